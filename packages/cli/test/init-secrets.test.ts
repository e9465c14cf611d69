import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { SECRET_FILES } from '@messenger-stack/config-schema'
import { loadDeploymentSpec, loadSecrets, signingKeyPublicKey } from '@messenger-stack/config-schema/node'
import { describe, expect, it } from 'vitest'
import type { JsonReport } from '../src/index.js'
import { MINIMAL_SPEC, run, snapshotTree, tempDir } from './_helpers.js'

describe('init', () => {
  it('writes a commented, valid spec and a complete secrets folder; three runs change nothing', async () => {
    const dir = tempDir()
    const first = await run(['init', 'chat', '--server-name', 'example.org', '--json'], { cwd: dir, uid: 1234, gid: 4321 })
    expect(first.code, first.stderr).toBe(0)
    const report = JSON.parse(first.stdout) as JsonReport
    expect(report.files.map((f) => f.path)).toContain('chat/deployment.yaml')
    expect(report.files.filter((f) => f.path.startsWith('chat/secrets/')).every((f) => f.sha256 === null)).toBe(true)
    const text = readFileSync(join(dir, 'chat/deployment.yaml'), 'utf8')
    expect(text.split('\n')[0]).toMatch(
      /^# yaml-language-server: \$schema=\.\.\/[\w./-]*packages\/config-schema\/schema\/deployment-spec\.schema\.json$/,
    )
    // Inside the repository the reference is the committed schema, relative to the spec.
    expect(existsSync(join(dir, 'chat', text.split('\n')[0]!.split('$schema=')[1]!))).toBe(true)
    expect(text).toContain('# The Matrix server name')
    const spec = await loadDeploymentSpec(join(dir, 'chat/deployment.yaml'))
    expect(spec).toMatchObject({ serverName: 'example.org', mode: 'standalone', containerUser: { uid: 1234, gid: 4321 } })
    expect(spec.tls?.letsEncrypt?.email).toBe('admin@example.org')
    const secrets = await loadSecrets(join(dir, 'chat/secrets'))
    expect(statSync(join(dir, 'chat/secrets')).mode & 0o777).toBe(0o700)
    const tree = snapshotTree(join(dir, 'chat'))
    for (const [path, file] of Object.entries(tree)) if (path.startsWith('secrets/')) expect(file.mode, path).toBe(0o600)
    expect(Object.keys(tree).filter((p) => p.startsWith('secrets/'))).toHaveLength(11)
    expect(first.stdout).not.toContain(secrets.postgresPassword)

    for (let i = 0; i < 2; i++) {
      const again = await run(['init', 'chat', '--server-name', 'other.example', '--mode', 'microservice'], {
        cwd: dir,
        uid: 1234,
        gid: 4321,
      })
      expect(again.code, again.stderr).toBe(0)
      expect(again.stdout).toContain('kept        chat/deployment.yaml')
      expect(snapshotTree(join(dir, 'chat'))).toEqual(tree)
    }
    expect((await run(['validate', 'chat/deployment.yaml'], { cwd: dir })).code).toBe(0)
    expect(signingKeyPublicKey(secrets.synapseSigningKey)).toMatch(/^[A-Za-z0-9+/]{43}$/)
  })

  it('as root, requires --uid/--gid and writes nothing without them', async () => {
    const dir = tempDir()
    const refused = await run(['init', '--server-name', 'example.org'], { cwd: dir, uid: 0, gid: 0 })
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatchInlineSnapshot(`
      "✖ You are running as root, and containers never run as root: pass the user that should own the data, such as --uid 1000 --gid 1000.
      "
    `)
    expect(snapshotTree(dir)).toEqual({})
    const ok = await run(['init', '--server-name', 'example.org', '--uid', '1500', '--gid', '1500', '--mode', 'microservice'], {
      cwd: dir,
      uid: 0,
      gid: 0,
    })
    expect(ok.code, ok.stderr).toBe(0)
    const spec = await loadDeploymentSpec(join(dir, 'deployment.yaml'))
    expect(spec).toMatchObject({ mode: 'microservice', containerUser: { uid: 1500, gid: 1500 } })
    if (process.getuid?.() === 0) expect(statSync(join(dir, 'secrets/postgres_password')).uid).toBe(1500)
  })

  it('needs --server-name for a new spec, and refuses an invalid one with its issue', async () => {
    const dir = tempDir()
    expect((await run(['init'], { cwd: dir })).code).toBe(2)
    const bad = await run(['init', '--server-name', 'Bad_Name'], { cwd: dir })
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('serverName must be a lowercase DNS name')
    expect(snapshotTree(dir)).toEqual({})
    expect((await run(['init', '--server-name', 'example.org', '--uid', '0', '--gid', '0'], { cwd: dir })).code).toBe(1)
    expect((await run(['init', '--server-name', 'example.org', '--uid', '12'], { cwd: dir })).code).toBe(2)
  })
})

describe('secrets', () => {
  it('generates missing secrets only, refreshes derived files, repairs modes without touching content', async () => {
    const dir = tempDir()
    writeFileSync(
      join(dir, 'deployment.yaml'),
      'serverName: example.org\ntls: {letsEncrypt: {email: a@example.org}}\nlivekit: {keyName: callkey}\n',
    )
    const first = await run(['secrets'], { cwd: dir })
    expect(first.code, first.stderr).toBe(0)
    expect(first.stderr).toContain('Using the spec next to the folder')
    expect(readFileSync(join(dir, 'secrets/livekit_keys.yaml'), 'utf8')).toMatch(/^callkey: [A-Za-z0-9_-]{43}\n$/)
    const key = readFileSync(join(dir, 'secrets', SECRET_FILES.synapseSigningKey), 'utf8')
    expect(key).toMatch(/^ed25519 a_[A-Za-z]{4} [A-Za-z0-9+/]{43}\n$/)
    const tree = snapshotTree(join(dir, 'secrets'))

    for (let i = 0; i < 2; i++) {
      expect((await run(['secrets', 'secrets'], { cwd: dir })).code).toBe(0)
      expect(snapshotTree(join(dir, 'secrets'))).toEqual(tree)
    }
    chmodSync(join(dir, 'secrets'), 0o755)
    chmodSync(join(dir, 'secrets/redis_password'), 0o640)
    const repaired = await run(['secrets', 'secrets', '--json'], { cwd: dir })
    expect(repaired.code).toBe(0)
    expect(repaired.stderr).toContain('secrets/redis_password: mode set to 0600 (or owner fixed); content untouched')
    expect((JSON.parse(repaired.stdout) as JsonReport).files.find((f) => f.path === 'secrets/redis_password')).toEqual({
      path: 'secrets/redis_password',
      sha256: null,
      status: 'repaired',
    })
    expect(snapshotTree(join(dir, 'secrets'))).toEqual(tree)
    expect(statSync(join(dir, 'secrets')).mode & 0o777).toBe(0o700)

    // A deleted secret is regenerated; the others stay.
    writeFileSync(
      join(dir, 'deployment.yaml'),
      'serverName: example.org\ntls: {letsEncrypt: {email: a@example.org}}\nlivekit: {keyName: otherkey}\n',
    )
    const lk = readFileSync(join(dir, 'secrets/livekit_api_secret'), 'utf8')
    expect((await run(['secrets', 'secrets'], { cwd: dir })).code).toBe(0)
    expect(readFileSync(join(dir, 'secrets/livekit_keys.yaml'), 'utf8')).toBe(`otherkey: ${lk}\n`)
    expect(readFileSync(join(dir, 'secrets', SECRET_FILES.synapseSigningKey), 'utf8')).toBe(key)
  })

  it('repairing a folder others could read says which secrets are exposed and how to rotate each', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'deployment.yaml'), MINIMAL_SPEC)
    expect((await run(['secrets', 'secrets'], { cwd: dir })).code).toBe(0)
    // Only the folder was open: names were visible, contents were not. Repaired, nothing exposed.
    chmodSync(join(dir, 'secrets'), 0o755)
    const listable = await run(['secrets', 'secrets'], { cwd: dir })
    expect(listable.code).toBe(0)
    expect(listable.stdout).toContain('repaired    secrets/ mode (or owner); content untouched')
    expect(listable.stderr).not.toContain('exposed')
    // World-readable files in a folder anyone may enter: those secrets were readable by every local user.
    chmodSync(join(dir, 'secrets'), 0o755)
    chmodSync(join(dir, 'secrets/redis_password'), 0o644)
    chmodSync(join(dir, 'secrets/synapse.pgpass'), 0o644)
    chmodSync(join(dir, 'secrets/synapse_signing.key'), 0o604)
    const exposed = await run(['secrets', 'secrets', '--json'], { cwd: dir })
    expect(exposed.code).toBe(0)
    const warning = exposed.stderr.slice(exposed.stderr.indexOf('! Before this repair'))
    expect(warning.split('\n').slice(0, 4).join('\n')).toMatchInlineSnapshot(`
      "! Before this repair, other users of this machine could read secrets/synapse_signing.key, secrets/redis_password, secrets/synapse.pgpass. Consider these secrets exposed and rotate them (docs/security.md, "Rotating secrets"):
          redis_password: delete the file, run \`messenger-stack secrets\`, then render with --secrets and run the deploy script again.
          synapse_database_password: delete the file, run \`messenger-stack secrets\`, then render with --secrets and run the deploy script again (it sets the role's new password and restarts Synapse).
          synapse_signing.key: note its key ID and public key (printed by \`messenger-stack secrets\`) under synapse.extraConfig.old_signing_keys with expired_ts set to now, delete the file, run \`messenger-stack secrets\`, then render and deploy: other servers fetch the new key."
    `)
    for (const file of ['redis_password', 'synapse.pgpass', 'synapse_signing.key']) expect(warning).toContain(`secrets/${file}`)
    expect(statSync(join(dir, 'secrets/redis_password')).mode & 0o777).toBe(0o600)
    // Once repaired, nothing more to say.
    expect((await run(['secrets', 'secrets'], { cwd: dir })).stderr).not.toContain('exposed')
    // render --secrets repairs too, and says the same.
    chmodSync(join(dir, 'secrets'), 0o711) // others may enter (not list) the folder
    chmodSync(join(dir, 'secrets/synapse_form_secret'), 0o644)
    const rendered = await run(['render', 'deployment.yaml', '--out', 'out', '--secrets', 'secrets'], { cwd: dir })
    expect(rendered.code, rendered.stderr).toBe(0)
    expect(rendered.stderr).toContain('other users of this machine could read secrets/synapse_form_secret. Consider these secrets exposed')
    expect(rendered.stderr).toContain('    synapse_form_secret: delete the file, run `messenger-stack secrets`')
  })

  it('without a spec: secrets only, with a warning; an invalid existing secret is reported without its value', async () => {
    const dir = tempDir()
    const result = await run(['secrets', 'vault'], { cwd: dir })
    expect(result.code).toBe(0)
    expect(result.stderr).toContain('No deployment spec given')
    expect(existsSync(join(dir, 'vault/synapse.pgpass'))).toBe(false)
    writeFileSync(join(dir, 'vault/postgres_password'), 'TEST-tooshort')
    writeFileSync(join(dir, 'd.yaml'), 'serverName: example.org\ntls: {letsEncrypt: {email: a@example.org}}\n')
    const bad = await run(['secrets', 'vault', '--spec', 'd.yaml'], { cwd: dir })
    expect(bad.code).toBe(1)
    expect(bad.stderr).not.toContain('TEST-tooshort')
    // The file is named as the operator knows it, not the internal field.
    expect(bad.stderr).toContain('vault/postgres_password must be at least 16 characters')
    expect(bad.stderr).not.toContain('postgresPassword')
    expect(readFileSync(join(dir, 'vault/postgres_password'), 'utf8')).toBe('TEST-tooshort')
  })

  it('render --secrets names the weak secret by its file, with what to do', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'd.yaml'), 'serverName: example.org\ntls: {letsEncrypt: {email: a@example.org}}\n')
    expect((await run(['secrets', 'deploy/secrets', '--spec', 'd.yaml'], { cwd: dir })).code).toBe(0)
    writeFileSync(join(dir, 'deploy/secrets/livekit_api_secret'), 'TEST-short-livekit')
    const result = await run(['render', 'd.yaml', '--out', 'out', '--secrets', 'deploy/secrets', '--json'], { cwd: dir })
    expect(result.code).toBe(1)
    expect(result.stdout).not.toContain('TEST-short-livekit')
    const issues = (JSON.parse(result.stdout) as { issues: { path: string[]; message: string; hint: string }[] }).issues
    expect(issues.map((i) => [i.path.join('.'), i.message, i.hint])).toMatchInlineSnapshot(`
      [
        [
          "livekit_api_secret",
          "deploy/secrets/livekit_api_secret must be at least 32 characters: LiveKit starts with a shorter one and only logs a warning, so messenger-stack refuses it.",
          "write a valid value into deploy/secrets/livekit_api_secret, or move the file away and run \`messenger-stack secrets deploy/secrets\` to generate one; a secret already in use (a database password, the signing key) must then be changed where it is used as well.",
        ],
      ]
    `)
  })

  it('a secrets path below a file is an I/O error', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'f'), 'x')
    const result = await run(['secrets', 'f/secrets'], { cwd: dir })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/Cannot write the secrets folder f\/secrets: a part of the path is a file/)
  })
})
