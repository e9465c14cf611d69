import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseSecrets, SpecError, type Secrets } from '../src/index.js'

// Test values only: obviously fake, long enough for the schema.
const TEST_SECRETS: Secrets = {
  postgresPassword: 'test-postgres-password-0001',
  synapseDatabasePassword: 'test-synapse-database-password-0001',
  synapseMacaroonSecretKey: 'test-macaroon-secret-key-00000000001',
  synapseRegistrationSharedSecret: 'test-registration-shared-secret-00001',
  synapseFormSecret: 'test-form-secret-000000000000000000001',
  synapseSigningKey: `ed25519 a_test ${'A'.repeat(43)}`,
  livekitApiSecret: 'test-livekit-api-secret-000000000000001',
  redisPassword: 'test-redis-password-0001',
}

const issuesOf = (input: unknown) => {
  try {
    parseSecrets(input)
  } catch (error) {
    expect(error).toBeInstanceOf(SpecError)
    return (error as SpecError).issues
  }
  throw new Error('parseSecrets accepted the input')
}

describe('parseSecrets', () => {
  it('accepts well-formed secrets', () => {
    expect(parseSecrets(TEST_SECRETS)).toEqual(TEST_SECRETS)
  })

  it('refuses a short LiveKit secret without quoting it', () => {
    const value = 'test-too-short-livekit'
    const issues = issuesOf({ ...TEST_SECRETS, livekitApiSecret: value })
    expect(issues.map((i) => [i.path.join('.'), i.code, i.message])).toMatchInlineSnapshot(`
      [
        [
          "livekitApiSecret",
          "invalid_secret",
          "livekitApiSecret must be at least 32 characters: LiveKit starts with a shorter one and only logs a warning, so messenger-stack refuses it.",
        ],
      ]
    `)
    expect(JSON.stringify(issues)).not.toContain(value)
  })

  it('names the file, not the field, when told the folder', () => {
    let error: unknown
    try {
      parseSecrets({ ...TEST_SECRETS, postgresPassword: 'TEST-short' }, { folder: 'secrets' })
    } catch (caught) {
      error = caught
    }
    const issues = (error as SpecError).issues
    expect(issues.map((i) => [i.path.join('.'), i.message])).toMatchInlineSnapshot(`
      [
        [
          "postgres_password",
          "secrets/postgres_password must be at least 16 characters: the password of the PostgreSQL superuser.",
        ],
      ]
    `)
    expect(JSON.stringify(issues)).not.toContain('postgresPassword')
  })

  it('refuses a malformed signing key, unknown and missing secrets', () => {
    const { redisPassword: _, ...missing } = TEST_SECRETS
    const issues = issuesOf({ ...missing, synapseSigningKey: 'ed25519 a_test not-base64', extra: 'x' })
    expect(issues.map((i) => `${i.code} ${i.path.join('.')}`)).toMatchInlineSnapshot(`
      [
        "invalid_secret synapseSigningKey",
        "invalid_secret redisPassword",
        "unknown_key extra",
      ]
    `)
  })

  it('never puts a secret value into a message, a hint or the error text (property)', () => {
    const names = Object.keys(TEST_SECRETS) as (keyof Secrets)[]
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.string({ unit: 'binary', minLength: 4, maxLength: 40 }), (name, value) => {
        const marked = `SECRET${value}`
        try {
          parseSecrets({ ...TEST_SECRETS, [name]: marked })
        } catch (error) {
          expect((error as SpecError).message).not.toContain(marked)
          for (const issue of (error as SpecError).issues) {
            expect(issue.message).not.toContain(marked)
            expect(issue.hint).not.toContain(marked)
          }
        }
      }),
      { numRuns: 200 },
    )
  })
})
