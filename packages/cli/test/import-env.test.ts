import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateSigningKey, loadDeploymentSpec, loadSecrets } from '@messenger-stack/config-schema/node'
import { describe, expect, it } from 'vitest'
import type { JsonReport } from '../src/index.js'
import { run, snapshotTree, tempDir } from './_helpers.js'

const FIXTURE = join(import.meta.dirname, 'fixtures/original.env')
const TEST_SECRETS = readFileSync(FIXTURE, 'utf8').match(/TEST-ONLY-[a-z-]+/g)!

/** The original service's signing key where its Synapse keeps it: synapse/data/<server>.signing.key beside the .env. */
function originalKey(dir: string, serverName: string): string {
  const key = generateSigningKey()
  mkdirSync(join(dir, 'synapse/data'), { recursive: true })
  writeFileSync(join(dir, `synapse/data/${serverName}.signing.key`), `${key}\n`)
  return key
}

describe('import-env', () => {
  it('maps the original .env, keeps every secret value, lists what it could not map', async () => {
    const dir = tempDir()
    copyFileSync(FIXTURE, join(dir, '.env'))
    const key = originalKey(dir, 'messenger.example.org')
    const result = await run(['import-env', '.env', '--out', 'new', '--json'], { cwd: dir })
    expect(result.code, result.stderr).toBe(0)
    const spec = await loadDeploymentSpec(join(dir, 'new/deployment.yaml'))
    expect(spec).toMatchObject({
      serviceName: 'messenger',
      mode: 'microservice',
      serverName: 'messenger.example.org',
      containerUser: { uid: 1001, gid: 1002 },
      synapse: { httpPort: 3708 },
      livekit: { keyName: 'APItestkey', host: 'calls.example.org', udpRange: { start: 50000, end: 60000 }, turn: { udpPort: 7882 } },
    })
    // The original federation identity is kept: its signing key, found beside the .env.
    expect((await loadSecrets(join(dir, 'new/secrets'))).synapseSigningKey).toBe(key)
    expect(result.stderr).not.toContain(key.split(' ')[2]!)
    expect(spec.elementWeb.host).toBeUndefined() // same host as DOMAIN
    const secrets = await loadSecrets(join(dir, 'new/secrets'))
    expect(secrets).toMatchObject({
      postgresPassword: 'TEST-ONLY-postgres-password-aaaaaaaaaaaa',
      synapseMacaroonSecretKey: 'TEST-ONLY-macaroon-secret-key-bbbbbbbbbbbbbbbbb',
      synapseRegistrationSharedSecret: 'TEST-ONLY-registration-secret-ccccccccccccccccc',
      livekitApiSecret: 'TEST-ONLY-livekit-api-secret-ddddddddddddddddddd',
      redisPassword: 'TEST-ONLY-redis-password-eeeeeeeeee',
    })
    expect(readFileSync(join(dir, 'new/secrets/livekit_keys.yaml'), 'utf8')).toBe(
      'APItestkey: TEST-ONLY-livekit-api-secret-ddddddddddddddddddd\n',
    )
    const report = JSON.parse(result.stdout) as JsonReport
    expect(report.issues.map((i) => i.path[0])).toEqual(['NGINX_MICROSERVICE_DIR', 'GRAFANA_URL'])
    expect(result.stderr).toContain('Not mapped: GRAFANA_URL (not known to messenger-stack).')
    for (const secret of TEST_SECRETS) {
      expect(result.stdout).not.toContain(secret)
      expect(result.stderr).not.toContain(secret)
      expect(readFileSync(join(dir, 'new/deployment.yaml'), 'utf8')).not.toContain(secret)
    }
    // Refuses to overwrite.
    const before = snapshotTree(dir)
    const again = await run(['import-env', '.env', '--out', 'new'], { cwd: dir })
    expect(again.code).toBe(2)
    expect(again.stderr).toContain('new/deployment.yaml already exists; import-env never overwrites')
    expect(snapshotTree(dir)).toEqual(before)
  })

  it('standalone with a kept signing key; a digit-first LiveKit key name falls back, keeping its secret', async () => {
    const dir = tempDir()
    const key = generateSigningKey()
    writeFileSync(join(dir, 'old.signing.key'), `${key}\n`)
    writeFileSync(
      join(dir, '.env'),
      'DOMAIN=chat.example.org\nLETSENCRYPT_EMAIL=ops@example.org\nLIVEKIT_API_KEY=0a1b2c3d4e5f\nLIVEKIT_API_SECRET=TEST-ONLY-livekit-api-secret-ddddddddddddddddddd\n',
    )
    const result = await run(['import-env', '.env', '--signing-key', 'old.signing.key'], { cwd: dir })
    expect(result.code, result.stderr).toBe(0)
    const spec = await loadDeploymentSpec(join(dir, 'deployment.yaml'))
    expect(spec.mode).toBe('standalone')
    expect(spec.tls?.letsEncrypt?.email).toBe('ops@example.org')
    expect(spec.livekit.keyName).toBe('messenger')
    expect(result.stdout).toContain('LIVEKIT_API_KEY: not a valid key name here')
    const secrets = await loadSecrets(join(dir, 'secrets'))
    expect(secrets.synapseSigningKey).toBe(key)
    expect(secrets.livekitApiSecret).toBe('TEST-ONLY-livekit-api-secret-ddddddddddddddddddd')
    expect(result.stdout + result.stderr).not.toContain(key.split(' ')[2]!)
  })

  it('refuses a secret it cannot keep, naming the variable, never the value; writes nothing', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, '.env'), 'DOMAIN=chat.example.org\nREDIS_PASSWORD=TEST-short\n')
    const result = await run(['import-env', '.env'], { cwd: dir })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('REDIS_PASSWORD cannot be kept')
    expect(result.stderr).not.toContain('TEST-short')
    expect(snapshotTree(dir)).toEqual({ '.env': expect.anything() })
    writeFileSync(join(dir, 'empty.env'), '# nothing\n')
    expect((await run(['import-env', 'empty.env'], { cwd: dir })).code).toBe(1)
    expect((await run(['import-env', 'missing.env'], { cwd: dir })).code).toBe(2)
  })

  it('says what it kept and what it changed', async () => {
    const dir = tempDir()
    copyFileSync(FIXTURE, join(dir, '.env'))
    originalKey(dir, 'messenger.example.org')
    const kept = await run(['import-env', '.env', '--out', 'kept'], { cwd: dir })
    expect(kept.code, kept.stderr).toBe(0)
    const section = (text: string) => text.slice(text.search(/^(Kept|Changed) from/m), text.indexOf('  note:'))
    expect(section(kept.stdout)).toMatchInlineSnapshot(`
      "Kept from the original service:
        ports: Synapse 3708, LiveKit media UDP 50000-60000, TURN/STUN UDP 7882 (--default-ports for one multiplexed UDP port instead)
        Synapse signing key from synapse/data/messenger.example.org.signing.key: the federation identity stays
      Changed from the original service:
        LiveKit ICE over TCP is published on TCP 7881 (the original listed no TCP port for LiveKit): open it in the firewall
      "
    `)
    const moved = await run(['import-env', '.env', '--out', 'moved', '--default-ports', '--new-signing-key'], { cwd: dir })
    expect(moved.code, moved.stderr).toBe(0)
    expect(section(moved.stdout)).toMatchInlineSnapshot(`
      "Changed from the original service:
        Synapse's port 3708 → 8008 (inside the container network; the gateway include follows)
        LiveKit media UDP 50000-60000 → UDP 7882 (one multiplexed port): open it, and close the range, in the firewall
        TURN/STUN UDP 7882 → UDP 3478: update the firewall
        LiveKit ICE over TCP is published on TCP 7881 (the original listed no TCP port for LiveKit): open it in the firewall
        Synapse signing key: a new one (--new-signing-key): other servers see messenger.example.org under a new identity
      "
    `)
    const spec = await loadDeploymentSpec(join(dir, 'moved/deployment.yaml'))
    expect([spec.synapse.httpPort, spec.livekit.udpRange, spec.livekit.turn.udpPort]).toEqual([8008, undefined, 3478])
  })

  it('without the original signing key, writes nothing unless told to make a new identity', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, '.env'), 'DOMAIN=chat.example.org\nLETSENCRYPT_EMAIL=ops@example.org\n')
    const result = await run(['import-env', '.env'], { cwd: dir })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("The original service's signing key is not at synapse/data/chat.example.org.signing.key")
    expect(snapshotTree(dir)).toEqual({ '.env': expect.anything() })
    const both = await run(['import-env', '.env', '--new-signing-key', '--signing-key', 'x.key'], { cwd: dir })
    expect(both.code).toBe(2)
    expect(both.stderr).toContain('Give either --signing-key or --new-signing-key, not both.')
    expect((await run(['import-env', '.env', '--new-signing-key'], { cwd: dir })).code).toBe(0)
  })

  it('never follows a link the container user planted in synapse/data', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, '.env'), 'DOMAIN=chat.example.org\nLETSENCRYPT_EMAIL=ops@example.org\n')
    // A file only root should read, shaped like a key so that a follow would copy it into secrets/.
    writeFileSync(join(dir, 'root-only'), `${generateSigningKey()}\n`, { mode: 0o600 })
    mkdirSync(join(dir, 'synapse/data'), { recursive: true })
    symlinkSync(join(dir, 'root-only'), join(dir, 'synapse/data/chat.example.org.signing.key'))
    const result = await run(['import-env', '.env'], { cwd: dir })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('never follows links')
    expect(snapshotTree(dir)).not.toHaveProperty('deployment.yaml')
  })
})
