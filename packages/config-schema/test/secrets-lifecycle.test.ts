import { createPublicKey, sign, verify } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, statSync, chmodSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { derivedSecretFiles, parseDeploymentSpec, requiredSecrets, SECRET_FILES, SecretsSchema, SpecError } from '../src/index.js'
import { escapePgpassField, quoteRedisConfigValue } from '../src/secret-files/derived-files.js'
import {
  ensureSecretsFolder,
  generateSecrets,
  generateSigningKey,
  loadSecrets,
  parseSigningKey,
  signingKeyId,
  signingKeyPublicKey,
} from '../src/node.js'

const spec = parseDeploymentSpec({ serverName: 'example.org', tls: { letsEncrypt: { email: 'a@example.org' } } })
const dirs: string[] = []
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ms-secrets-'))
  dirs.push(dir)
  return dir
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const snapshot = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [f, { content: readFileSync(join(dir, f), 'utf8'), mode: statSync(join(dir, f)).mode & 0o777 }]),
  )

describe('signing keys', () => {
  it('are in Synapse format with a fresh key id and seed each time', () => {
    const keys = Array.from({ length: 20 }, generateSigningKey)
    for (const key of keys) expect(key).toMatch(/^ed25519 a_[A-Za-z]{4} [A-Za-z0-9+/]{43}$/)
    expect(new Set(keys).size).toBe(20)
    expect(SecretsSchema.shape.synapseSigningKey.safeParse(keys[0]).success).toBe(true)
  })

  it('derive the Ed25519 public key that verifies signatures made with the seed', () => {
    const key = generateSigningKey()
    const { seed, version } = parseSigningKey(key)
    expect(signingKeyId(key)).toBe(`ed25519:${version}`)
    const publicB64 = signingKeyPublicKey(key)
    expect(publicB64).toMatch(/^[A-Za-z0-9+/]{43}$/)
    // Sign with the seed, verify with the derived public key.
    const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed])
    const signature = sign(null, Buffer.from('hello'), { key: der, format: 'der', type: 'pkcs8' })
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(publicB64, 'base64')])
    expect(verify(null, Buffer.from('hello'), createPublicKey({ key: spki, format: 'der', type: 'spki' }), signature)).toBe(true)
  })

  it('has a known answer for the RFC 8032 test vector 1', () => {
    const seed = Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex')
    const line = `ed25519 a_test ${seed.toString('base64').replace(/=+$/, '')}`
    expect(Buffer.from(signingKeyPublicKey(line), 'base64').toString('hex')).toBe(
      'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    )
  })

  it('refuse malformed lines without quoting them', () => {
    expect(() => parseSigningKey('ed25519 a_x SECRETVALUE')).toThrowErrorMatchingInlineSnapshot(
      `[Error: The signing key is not one line "ed25519 <key id> <43 characters of unpadded base64>", as Synapse writes it.]`,
    )
  })
})

describe('derived secret files', () => {
  it('escape hostile values and parse back', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[\x21-\x7e]{32,64}$/), (secret) => {
        const secrets = { ...generateSecrets(), synapseDatabasePassword: secret, redisPassword: secret, livekitApiSecret: secret }
        const files = Object.fromEntries(derivedSecretFiles(spec, secrets).map((f) => [f.name, f.content]))
        const pgpass = files['synapse.pgpass']!
        expect(pgpass.endsWith('\n')).toBe(true)
        const fields = pgpass.trimEnd().split(/(?<!\\):/)
        expect(fields).toHaveLength(5)
        expect(fields[4]!.replace(/\\(.)/g, '$1')).toBe(secret)
        const requirepass = files['redis-auth.conf']!.split('\n')[1]!
        const quoted = requirepass.slice('requirepass '.length)
        expect(quoted.startsWith('"') && quoted.endsWith('"')).toBe(true)
        expect(quoted.slice(1, -1).replace(/\\(.)/g, '$1')).toBe(secret)
        expect(parse(files['livekit_keys.yaml']!, { version: '1.1' })).toEqual({ messenger: secret })
      }),
      { numRuns: 100 },
    )
  })

  it("synapse.pgpass carries Synapse's own database password, never the superuser's", () => {
    const secrets = generateSecrets()
    const pgpass = derivedSecretFiles(spec, secrets).find((f) => f.name === 'synapse.pgpass')!.content
    expect(pgpass).toBe(`*:*:*:synapse:${secrets.synapseDatabasePassword}\n`)
    expect(pgpass).not.toContain(secrets.postgresPassword)
    expect(secrets.synapseDatabasePassword).not.toBe(secrets.postgresPassword)
  })

  it('pins the formats', () => {
    expect(escapePgpassField('a:b\\c')).toBe('a\\:b\\\\c')
    expect(quoteRedisConfigValue('a"b\\c')).toBe('"a\\"b\\\\c"')
  })
})

describe('ensureSecretsFolder', () => {
  it('creates 0700/0600, never rotates, writes derived files, repairs modes', async () => {
    const dir = join(tempDir(), 'secrets')
    const first = await ensureSecretsFolder(dir, { spec })
    expect(first.createdFolder).toBe(true)
    expect(statSync(dir).mode & 0o777).toBe(0o700)
    const before = snapshot(dir)
    // Without workers, no replication secret is born.
    expect(Object.keys(before)).toEqual(
      [...requiredSecrets(spec).map((name) => SECRET_FILES[name]), 'livekit_keys.yaml', 'redis-auth.conf', 'synapse.pgpass'].sort(),
    )
    expect(Object.keys(before)).not.toContain(SECRET_FILES.synapseWorkerReplicationSecret)
    for (const file of Object.values(before)) expect(file.mode).toBe(0o600)
    const secrets = await loadSecrets(dir)
    expect(secrets.postgresPassword.length).toBeGreaterThanOrEqual(32)

    for (let i = 0; i < 2; i++) {
      const again = await ensureSecretsFolder(dir, { spec })
      expect(again.files.every((f) => f.status === 'kept' || f.status === 'unchanged')).toBe(true)
      expect(snapshot(dir)).toEqual(before)
    }

    chmodSync(dir, 0o755)
    chmodSync(join(dir, 'postgres_password'), 0o644)
    const repaired = await ensureSecretsFolder(dir, { spec })
    expect(repaired.repairedFolder).toBe(true)
    expect(repaired.files.find((f) => f.name === 'postgres_password')).toEqual({
      name: 'postgres_password',
      status: 'kept',
      repaired: true,
      exposed: true, // 0644 in a 0755 folder: every local user could read it
    })
    expect(snapshot(dir)).toEqual(before)
  })

  it('upgrades a folder from before synapse_database_password: adds it, keeps every other secret byte for byte', async () => {
    const dir = join(tempDir(), 'secrets')
    await ensureSecretsFolder(dir, { spec })
    // What messenger-stack wrote before Synapse had its own database password: no such file,
    // and synapse.pgpass carrying the superuser's password.
    rmSync(join(dir, 'synapse_database_password'))
    const superuser = readFileSync(join(dir, 'postgres_password'), 'utf8')
    writeFileSync(join(dir, 'synapse.pgpass'), `*:*:*:synapse:${superuser}\n`, { mode: 0o600 })
    const before = snapshot(dir)
    const report = await ensureSecretsFolder(dir, { spec })
    const after = snapshot(dir)
    expect(report.files.find((f) => f.name === 'synapse_database_password')?.status).toBe('created')
    for (const [name, file] of Object.entries(before)) if (name !== 'synapse.pgpass') expect(after[name], name).toEqual(file)
    const own = after['synapse_database_password']!.content
    expect(own).not.toBe(superuser)
    expect(after['synapse.pgpass']!.content).toBe(`*:*:*:synapse:${own}\n`)
  })

  it('keeps imported values and reports invalid existing secrets without their value', async () => {
    const dir = join(tempDir(), 'secrets')
    const value = 'TEST-ONLY-postgres-password-0123456789'
    await ensureSecretsFolder(dir, { initialValues: { postgresPassword: value } })
    expect(readFileSync(join(dir, 'postgres_password'), 'utf8')).toBe(value)
    writeFileSync(join(dir, 'redis_password'), 'TEST-short')
    const error = await ensureSecretsFolder(dir, { spec }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SpecError)
    expect(String((error as Error).message)).not.toContain('TEST-short')
    // Named by its file in the folder, not by the internal field (redisPassword).
    expect((error as SpecError).issues.map((i) => i.path.join('.'))).toEqual(['redis_password'])
    expect((error as SpecError).issues[0]?.message).toContain(`${dir}/redis_password must be at least 16 characters`)
  })
})
