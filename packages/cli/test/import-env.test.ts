import { copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateSigningKey, loadDeploymentSpec, loadSecrets } from '@messenger-stack/config-schema'
import { describe, expect, it } from 'vitest'
import type { JsonReport } from '../src/index.js'
import { run, snapshotTree, tempDir } from './_helpers.js'

const FIXTURE = join(import.meta.dirname, 'fixtures/original.env')
const TEST_SECRETS = readFileSync(FIXTURE, 'utf8').match(/TEST-ONLY-[a-z-]+/g)!

describe('import-env', () => {
  it('maps the original .env, keeps every secret value, lists what it could not map', async () => {
    const dir = tempDir()
    copyFileSync(FIXTURE, join(dir, '.env'))
    const result = await run(['import-env', '.env', '--out', 'new', '--json'], { cwd: dir })
    expect(result.code, result.stderr).toBe(0)
    const spec = await loadDeploymentSpec(join(dir, 'new/deployment.yaml'))
    expect(spec).toMatchObject({
      serviceName: 'messenger',
      mode: 'microservice',
      serverName: 'messenger.example.org',
      containerUser: { uid: 1001, gid: 1002 },
      synapse: { httpPort: 3708 },
      livekit: { keyName: 'APItestkey', host: 'calls.example.org' },
    })
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
})
