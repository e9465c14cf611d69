// backup.sh and restore.sh in action against a fake docker, with real age and real gpg:
// what lands on disk is encrypted to the spec's recipients, and restore decrypts it.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Backups, DeploymentSpec } from '@messenger-stack/config-schema'
import { exampleSpec, requireTool } from './_bundle-support.js'
import { fakeDockerBundle, type FakeDockerBundle } from './support/fake-docker.js'

let bundle: FakeDockerBundle | undefined
let scratch: string | undefined
afterEach(() => {
  bundle?.remove()
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true })
  bundle = undefined
  scratch = undefined
})

/** A private folder for keys, removed after the test. */
function keysFolder(): string {
  scratch = mkdtempSync(join(tmpdir(), 'ms-backup-keys-'))
  return scratch
}

function withBackups(backups: Backups | undefined, example: 'standalone' | 'microservice' = 'standalone'): DeploymentSpec {
  return { ...exampleSpec(example), backups }
}

function ageKeyPair(dir: string): { identity: string; recipient: string } {
  const identity = join(dir, 'identity.txt')
  const result = spawnSync(requireTool('age-keygen'), ['-o', identity], { encoding: 'utf8', timeout: 10_000 })
  expect(result.status, result.stderr).toBe(0)
  const recipient = /age1[0-9a-z]{58}/.exec(readFileSync(identity, 'utf8'))![0]
  return { identity, recipient }
}

describe('backup.sh', () => {
  it('refuses to run when the spec has no backups section, before touching anything', () => {
    bundle = fakeDockerBundle(withBackups(undefined))
    const result = bundle.run('backup.sh', [join(bundle.work, 'out')])
    expect(result.status).toBe(1)
    expect(String(result.stderr)).toContain('the spec has no backups section')
    expect(bundle.log()).toEqual([])
  })

  it('with encryption none writes the dump, the media archive and checksums, plain', () => {
    bundle = fakeDockerBundle(withBackups({ encryption: 'none' }, 'microservice'))
    const result = bundle.run('backup.sh', [join(bundle.work, 'out')])
    expect(result.status, String(result.stderr)).toBe(0)
    expect(readFileSync(join(bundle.work, 'out/synapse.pgdump'), 'utf8')).toBe('FAKE-DUMP')
    expect(readFileSync(join(bundle.work, 'out/SHA256SUMS'), 'utf8')).toMatch(/ {2}synapse\.pgdump\n.* {2}media_store\.tar\.gz\n$/)
    expect(bundle.log()[0]).toMatch(
      /^compose -p messenger_core -f docker-compose.core.yml exec -T postgres sh -c .* sh \/secrets\/synapse_database_password pg_dump --format=custom -U synapse -d synapse$/,
    )
    expect(String(result.stderr)).toContain('(unencrypted, as the spec says)')
    expect(String(result.stderr)).toContain('does not contain secrets/')
  })

  it('with age writes only age files, readable with the identity; restore decrypts them', () => {
    requireTool('age')
    const keys = keysFolder()
    const { identity, recipient } = ageKeyPair(keys)
    bundle = fakeDockerBundle(withBackups({ encryption: 'age', recipients: [recipient] }))
    const out = join(bundle.work, 'out')
    const result = bundle.run('backup.sh', [out])
    expect(result.status, String(result.stderr)).toBe(0)
    const dump = readFileSync(join(out, 'synapse.pgdump.age'))
    expect(dump.subarray(0, 21).toString()).toBe('age-encryption.org/v1')
    expect(dump.includes('FAKE-DUMP')).toBe(false)
    const decrypted = spawnSync('age', ['--decrypt', '--identity', identity, join(out, 'synapse.pgdump.age')], { encoding: 'utf8' })
    expect(decrypted.stdout).toBe('FAKE-DUMP')
    expect(readFileSync(join(out, 'SHA256SUMS'), 'utf8')).toMatch(/ {2}synapse\.pgdump\.age\n.* {2}media_store\.tar\.gz\.age\n$/)

    const noIdentity = bundle.run('restore.sh', [out])
    expect(noIdentity.status).toBe(1)
    expect(String(noIdentity.stderr)).toContain('encrypted with age: pass --identity')
    mkdirSync(join(keys, 'other'))
    const other = ageKeyPair(join(keys, 'other'))
    const wrong = bundle.run('restore.sh', [out, '--identity', other.identity])
    expect(wrong.status).toBe(1)
    expect(String(wrong.stderr)).toContain('cannot decrypt')
    expect(bundle.log().some((line) => line.includes('stop synapse'))).toBe(false)

    const restored = bundle.run('restore.sh', [out, '--identity', identity])
    expect(restored.status, String(restored.stderr)).toBe(0)
    expect(readFileSync(join(bundle.work, 'restored'), 'utf8')).toBe('FAKE-DUMP')
  })

  it('with gpg encrypts to the fingerprint in the keyring and refuses a missing key', () => {
    const gpg = requireTool('gpg')
    const home = join(keysFolder(), 'gnupg')
    mkdirSync(home, { mode: 0o700 })
    const env = { GNUPGHOME: home }
    const made = spawnSync(
      gpg,
      ['--batch', '--passphrase', '', '--quick-gen-key', 'Backup Test <backup@example.test>', 'ed25519', 'cert', 'never'],
      {
        env: { ...process.env, ...env },
        encoding: 'utf8',
        timeout: 60_000,
      },
    )
    expect(made.status, made.stderr).toBe(0)
    const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(
      spawnSync(gpg, ['--batch', '--with-colons', '--list-keys'], { env: { ...process.env, ...env }, encoding: 'utf8' }).stdout,
    )![1]!
    const sub = spawnSync(gpg, ['--batch', '--passphrase', '', '--quick-add-key', fingerprint, 'cv25519', 'encr', 'never'], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
      timeout: 60_000,
    })
    expect(sub.status, sub.stderr).toBe(0)
    bundle = fakeDockerBundle(withBackups({ encryption: 'gpg', recipients: [fingerprint] }))
    const out = join(bundle.work, 'out')
    const missing = bundle.run('backup.sh', [out], { GNUPGHOME: join(bundle.work, 'empty-gnupg') })
    expect(missing.status).toBe(1)
    expect(String(missing.stderr)).toContain(`the OpenPGP key ${fingerprint} is not in the keyring`)
    const result = bundle.run('backup.sh', [out], env)
    expect(result.status, String(result.stderr)).toBe(0)
    const decrypted = spawnSync(gpg, ['--batch', '--quiet', '--decrypt', join(out, 'synapse.pgdump.gpg')], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    })
    expect(decrypted.stdout).toBe('FAKE-DUMP')
    expect(readFileSync(join(out, 'synapse.pgdump.gpg')).includes('FAKE-DUMP')).toBe(false)
    const restored = bundle.run('restore.sh', [out], env)
    expect(restored.status, String(restored.stderr)).toBe(0)
    expect(readFileSync(join(bundle.work, 'restored'), 'utf8')).toBe('FAKE-DUMP')
  })
})

describe('restore.sh', () => {
  it('refuses a database that has tables, unless --force', () => {
    bundle = fakeDockerBundle(withBackups({ encryption: 'none' }, 'microservice'))
    const { run, work } = bundle
    expect(run('backup.sh', [join(work, 'out')]).status).toBe(0)
    writeFileSync(join(work, 'log'), '')
    const refused = run('restore.sh', [join(work, 'out')], { FAKE_TABLES: '42' })
    expect(refused.status).toBe(1)
    expect(String(refused.stderr)).toContain('already has 42 tables; restoring would replace them. Re-run with --force')
    expect(readFileSync(join(work, 'log'), 'utf8')).not.toContain('pg_restore')
    const forced = run('restore.sh', [join(work, 'out'), '--force'], { FAKE_TABLES: '42' })
    expect(forced.status, String(forced.stderr)).toBe(0)
    expect(readFileSync(join(work, 'log'), 'utf8')).toMatch(
      /-p messenger_core -f docker-compose.core.yml stop synapse\n.*pg_restore --clean --if-exists --no-owner --exit-on-error/,
    )
    expect(readFileSync(join(work, 'restored'), 'utf8')).toBe('FAKE-DUMP')
  })
})
