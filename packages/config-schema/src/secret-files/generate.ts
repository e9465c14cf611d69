import { createPrivateKey, createPublicKey, randomBytes, randomInt } from 'node:crypto'
import type { SafeResult } from '../errors/safe-result.js'
import type { SpecIssue } from '../errors/issue.js'
import type { SecretName, Secrets } from './secrets.js'
import { SECRET_FILES } from './file-names.js'

/**
 * Generates one secret value with the operating system's CSPRNG (never a seeded PRNG):
 * 32 random bytes as base64url, 43 characters of `[A-Za-z0-9_-]`. The alphabet needs no
 * escaping in libpq passfiles, Redis configs, YAML or `.env` files.
 *
 * @example
 * const password = generateSecretValue() // 43 characters
 */
export function generateSecretValue(bytes = 32): string {
  return randomBytes(bytes).toString('base64url')
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'

/**
 * Generates a Synapse signing key in Synapse's file format: `ed25519 a_XXXX <seed>` where
 * `XXXX` are four random letters and `<seed>` is the unpadded standard base64 of a 32-byte
 * Ed25519 seed, both from the CSPRNG. No trailing newline (the file writer adds one).
 *
 * @see https://element-hq.github.io/synapse/latest/usage/configuration/config_documentation.html#signing_key_path
 */
export function generateSigningKey(): string {
  let version = 'a_'
  for (let i = 0; i < 4; i++) version += LETTERS[randomInt(LETTERS.length)]
  return `ed25519 ${version} ${unpaddedBase64(randomBytes(32))}`
}

/** The parts of a Synapse signing key line. */
export interface SigningKeyParts {
  /** Always `ed25519`. */
  readonly algorithm: 'ed25519'
  /** Key version such as `a_AbCd`. */
  readonly version: string
  /** The 32-byte Ed25519 seed. */
  readonly seed: Buffer
}

const SIGNING_KEY_LINE = /^ed25519 ([A-Za-z0-9_]{1,32}) ([A-Za-z0-9+/]{43})=?$/

/**
 * Splits a Synapse signing key line (`ed25519 a_AbCd <seed>`) into its parts, without
 * throwing. The issue never quotes the key.
 */
export function safeParseSigningKey(line: string): SafeResult<SigningKeyParts> {
  const match = SIGNING_KEY_LINE.exec(line.trim())
  const seed = match === null ? undefined : Buffer.from(match[2]!, 'base64')
  if (match === null || seed === undefined || seed.length !== 32) {
    const issue: SpecIssue = {
      path: [SECRET_FILES.synapseSigningKey],
      code: 'invalid_secret',
      message: 'The signing key is not one line "ed25519 <key id> <43 characters of unpadded base64>", as Synapse writes it.',
      hint: 'copy the one line of the signing.key file Synapse wrote, or generate a new key with `messenger-stack secrets`.',
    }
    return { success: false, issues: [issue] }
  }
  return { success: true, data: { algorithm: 'ed25519', version: match[1]!, seed }, issues: [] }
}

/**
 * Splits a Synapse signing key line (`ed25519 a_AbCd <seed>`) into its parts. The error
 * message never quotes the key.
 *
 * @throws {Error} when the line is not in Synapse's format.
 */
export function parseSigningKey(line: string): SigningKeyParts {
  const result = safeParseSigningKey(line)
  if (!result.success) throw new Error(result.issues[0]!.message)
  return result.data
}

/** The federation key ID of a signing key, such as `ed25519:a_AbCd`. */
export function signingKeyId(line: string): string {
  return `ed25519:${parseSigningKey(line).version}`
}

// PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410): SEQUENCE { version 0, AlgorithmIdentifier
// id-Ed25519, OCTET STRING { OCTET STRING seed } }.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')

/**
 * The Ed25519 public key of a Synapse signing key, as unpadded standard base64: the value
 * Synapse publishes for the key ID at `/_matrix/key/v2/server` (`verify_keys`).
 *
 * @see https://spec.matrix.org/latest/server-server-api/#retrieving-server-keys
 */
export function signingKeyPublicKey(line: string): string {
  const { seed } = parseSigningKey(line)
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' })
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' })
  return unpaddedBase64(spki.subarray(spki.length - 32))
}

/** Generates a fresh value for one secret of the stack. */
export function generateSecret(name: SecretName): string {
  return name === 'synapseSigningKey' ? generateSigningKey() : generateSecretValue()
}

/** Generates every secret of the stack (for tests and first-time set-up). */
export function generateSecrets(): Secrets {
  const out: Partial<Record<SecretName, string>> = {}
  for (const name of Object.keys(SECRET_FILES) as SecretName[]) out[name] = generateSecret(name)
  return out as Secrets
}

function unpaddedBase64(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '')
}
