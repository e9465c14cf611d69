import { spawnSync } from 'node:child_process'
import { chmodSync, linkSync, lstatSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { asUser, bin, requireBuild, requireRoot } from './_bin.js'
import { tempDir } from './_helpers.js'

// The attacker is the container user, uid 1000, who owns secrets/ (as DEPLOY.md sets it up);
// the victim is root running the built command, as DEPLOY.md tells operators to. Each test
// plants something as uid 1000 and checks that root neither followed it nor changed anything.
const ATTACKER = 1000

/** Every entry below `dir` as lstat sees it (links are not followed): type, mode, owner, content or target. */
function lstatTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      const full = join(folder, name)
      const info = lstatSync(full)
      const what = info.isSymbolicLink()
        ? `link -> ${readlinkSync(full)}`
        : info.isDirectory()
          ? 'dir'
          : info.isFile()
            ? `file ${readFileSync(full, 'utf8')}`
            : 'special'
      out[relative(dir, full)] = `${(info.mode & 0o7777).toString(8)} ${info.uid}:${info.gid} ${what}`
      if (info.isDirectory()) walk(full)
    }
  }
  walk(dir)
  return out
}

/** A deployment made as root for uid 1000 (init chowns secrets/ to it), in a folder others may enter. */
function deployment(): { dir: string; site: string; secrets: string; victim: string } {
  requireBuild()
  requireRoot()
  const dir = tempDir()
  chmodSync(dir, 0o755)
  const init = bin(['init', 'site', '--server-name', 'example.org', '--uid', String(ATTACKER), '--gid', String(ATTACKER)], dir)
  expect(init.code, init.stderr).toBe(0)
  // A root-only file the attacker wants: readable and changeable by root alone.
  const victim = join(dir, 'root-only')
  writeFileSync(victim, 'ROOT-ONLY-CONTENT\n', { mode: 0o600 })
  chmodSync(victim, 0o600)
  return { dir, site: join(dir, 'site'), secrets: join(dir, 'site/secrets'), victim }
}

function expectVictimUntouched(victim: string): void {
  const info = statSync(victim)
  expect({ uid: info.uid, gid: info.gid, mode: info.mode & 0o7777 }).toEqual({ uid: 0, gid: 0, mode: 0o600 })
  expect(readFileSync(victim, 'utf8')).toBe('ROOT-ONLY-CONTENT\n')
}

describe('root never follows what the container user plants in secrets/', { timeout: 120_000 }, () => {
  it('`secrets`: a secret replaced by a symlink to a root-only file is refused; nothing is chowned, chmodded or changed', () => {
    const { dir, secrets, victim } = deployment()
    asUser(ATTACKER, `rm secrets/redis_password && ln -s ${victim} secrets/redis_password`, join(dir, 'site'))
    const before = lstatTree(secrets)
    const result = bin(['secrets', 'site/secrets', '--spec', 'site/deployment.yaml'], dir)
    expect(result.code, result.stderr).toBe(1)
    expect(result.stderr).toContain(`${secrets}/redis_password is a symbolic link`)
    expect(result.stderr).not.toContain('ROOT-ONLY')
    expectVictimUntouched(victim)
    expect(lstatTree(secrets)).toEqual(before)
  })

  it('`render --secrets`: a symlinked postgres_password is not copied into synapse.pgpass; nothing is written', () => {
    const { dir, secrets, site, victim } = deployment()
    asUser(ATTACKER, `rm secrets/postgres_password && ln -s ${victim} secrets/postgres_password`, site)
    const before = lstatTree(site)
    const result = bin(['render', 'site/deployment.yaml', '--out', 'site', '--secrets', 'site/secrets'], dir)
    expect(result.code, result.stderr).toBe(1)
    expect(result.stderr).toContain(`${secrets}/postgres_password is a symbolic link`)
    expect(readFileSync(join(secrets, 'synapse.pgpass'), 'utf8')).not.toContain('ROOT-ONLY')
    expectVictimUntouched(victim)
    expect(lstatTree(site)).toEqual(before)
  })

  it('a symlinked derived file (synapse.pgpass) is refused before any secret or mode changes', () => {
    const { dir, secrets, site, victim } = deployment()
    asUser(ATTACKER, `rm secrets/synapse.pgpass && ln -s ${victim} secrets/synapse.pgpass && chmod 640 secrets/redis_password`, site)
    const before = lstatTree(secrets)
    const result = bin(['secrets', 'site/secrets', '--spec', 'site/deployment.yaml'], dir)
    expect(result.code, result.stderr).toBe(1)
    expect(result.stderr).toContain(`${secrets}/synapse.pgpass is a symbolic link`)
    expectVictimUntouched(victim)
    expect(lstatTree(secrets)).toEqual(before) // redis_password kept its 0640: nothing was repaired either
  })

  it('a hard link to a root-only file, and a FIFO, are refused (and the FIFO does not hang root)', () => {
    const { dir, secrets, site, victim } = deployment()
    // Hard links to other users' files need protected_hardlinks=0; root plants this one to stand for that case.
    spawnSync('rm', [join(secrets, 'synapse_form_secret')])
    linkSync(victim, join(secrets, 'synapse_form_secret'))
    const linked = bin(['secrets', 'site/secrets', '--spec', 'site/deployment.yaml'], dir)
    expect(linked.code, linked.stderr).toBe(1)
    expect(linked.stderr).toContain(`${secrets}/synapse_form_secret has more than one hard link`)
    expectVictimUntouched(victim)

    spawnSync('rm', [join(secrets, 'synapse_form_secret')])
    asUser(ATTACKER, 'rm secrets/livekit_api_secret && mkfifo secrets/livekit_api_secret', site)
    const fifo = bin(['render', 'site/deployment.yaml', '--out', 'site', '--secrets', 'site/secrets'], dir)
    expect(fifo.code, fifo.stderr).toBe(1)
    expect(fifo.stderr).toContain(`${secrets}/livekit_api_secret is not a regular file`)
  })

  it('a secrets folder that is itself a symlink is refused', () => {
    const { dir, site, victim } = deployment()
    // The attacker would need to own site/; make it so, to stand for an operator who let them.
    spawnSync('chown', [`${ATTACKER}:${ATTACKER}`, site])
    asUser(ATTACKER, `mv secrets secrets.real && ln -s ${dir} secrets`, site)
    const result = bin(['secrets', 'site/secrets', '--spec', 'site/deployment.yaml'], dir)
    expect(result.code, result.stderr).toBe(1)
    expect(result.stderr).toContain(`${site}/secrets is a symbolic link`)
    expectVictimUntouched(victim)
    expect(statSync(dir).mode & 0o7777).toBe(0o755) // not chmodded to 0700 through the link
    expect(readdirSync(dir).sort()).toEqual(['root-only', 'site'])
  })

  it('`register-user`: a symlinked shared secret is refused before anything is sent', () => {
    const { dir, site, secrets, victim } = deployment()
    asUser(ATTACKER, `rm secrets/synapse_registration_shared_secret && ln -s ${victim} secrets/synapse_registration_shared_secret`, site)
    writeFileSync(join(dir, 'password'), 'TEST-ONLY-long-password\n')
    const result = bin(
      ['register-user', 'alice', '--url', 'http://127.0.0.1:9', '--secrets', 'site/secrets', '--password-file', 'password'],
      dir,
    )
    // Exit 2 would mean it read the file and went on to the (unreachable) network.
    expect(result.code, result.stderr).toBe(1)
    expect(result.stderr).toContain(`${secrets}/synapse_registration_shared_secret is a symbolic link`)
    expectVictimUntouched(victim)
  })

  it('`init`: an existing deployment.yaml that links to a root-only file is not read', () => {
    const { dir, site, victim } = deployment()
    spawnSync('chown', [`${ATTACKER}:${ATTACKER}`, site])
    asUser(ATTACKER, `rm deployment.yaml && ln -s ${victim} deployment.yaml`, site)
    const result = bin(['init', 'site', '--server-name', 'example.org', '--uid', String(ATTACKER), '--gid', String(ATTACKER)], dir)
    expect(result.code, result.stderr).toBe(1)
    expect(result.stderr).toContain(`${site}/deployment.yaml is a symbolic link`)
    expect(result.stderr).not.toContain('ROOT-ONLY')
    expectVictimUntouched(victim)
  })
})
