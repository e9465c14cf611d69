// Fixtures of the Synapse / LiveKit / Element / well-known renderer tests: example specs,
// spec variants built from small fragments, a YAML 1.1 reader and test-only secret strings.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { parseDeploymentSpec, type DeploymentSpec } from '@messenger-stack/config-schema'

/** The repository root (with trailing slash). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))

/**
 * The examples every renderer is pinned against: the deployment examples: every `examples/<name>/` holding a `deployment.yaml` and no
 * `package.json` (those are the tool examples, workspace packages with their own tests). A new
 * example folder is picked up by every test that iterates them.
 */
export const EXAMPLE_NAMES: readonly string[] = readdirSync(`${REPO_ROOT}examples`)
  .filter((name) => existsSync(`${REPO_ROOT}examples/${name}/deployment.yaml`) && !existsSync(`${REPO_ROOT}examples/${name}/package.json`))
  .sort()
export type ExampleName = string

// yaml is a dependency of config-schema, not of renderers: resolve it from there.
const yaml = createRequire(new URL('../../config-schema/package.json', import.meta.url))('yaml') as {
  parse: (text: string, options?: { version?: '1.1' | '1.2'; uniqueKeys?: boolean }) => unknown
}

/** Parses YAML as PyYAML, docker-compose v1 and LiveKit's reader would (1.1, unique keys). */
export function readYaml(text: string): unknown {
  return yaml.parse(text, { version: '1.1', uniqueKeys: true })
}

/** The raw input of an example spec. */
export function exampleInput(name: ExampleName): Record<string, unknown> {
  return readYaml(readFileSync(`${REPO_ROOT}examples/${name}/deployment.yaml`, 'utf8')) as Record<string, unknown>
}

/** An example spec with defaults applied. */
export function exampleSpec(name: ExampleName): DeploymentSpec {
  return parseDeploymentSpec(exampleInput(name))
}

/** A minimal standalone spec plus fragments (deep-merged), parsed. */
export function specWith(...fragments: Record<string, unknown>[]): DeploymentSpec {
  return parseDeploymentSpec(
    fragments.reduce(deepMerge, { serverName: 'example.org', tls: { letsEncrypt: { email: 'admin@example.org' } } }),
  )
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a }
  for (const [key, value] of Object.entries(b)) {
    const prev = out[key]
    out[key] = isPlain(prev) && isPlain(value) ? deepMerge(prev, value) : value
  }
  return out
}

const isPlain = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

/** Fragments: small spec pieces tests combine. */
export const FRAGMENTS = {
  noCalls: { livekit: { enabled: false } },
  noFederation: { synapse: { federation: { enabled: false } } },
  openRegistration: { synapse: { registration: { mode: 'open' } } },
  urlPreviews: { synapse: { urlPreviews: true } },
  noPresence: { synapse: { presence: false } },
  udpMux: { livekit: { udpPort: 7882, turn: { udpPort: 3478 } } },
  turnTls: { livekit: { turn: { tlsPort: 5349, domain: 'turn.example.org' } } },
  turnOff: { livekit: { turn: { enabled: false } } },
  delegated: { matrixHost: 'matrix.example.org' },
} as const

/**
 * Secret strings a test puts in scope while rendering: clearly fake values shaped like the
 * real ones, which must never appear in any rendered file.
 */
export const TEST_SECRETS = {
  postgresPassword: 'TEST-ONLY-pg-password-0000',
  synapseDatabasePassword: 'TEST-ONLY-synapse-db-password-0000',
  synapseMacaroonSecretKey: 'TEST-ONLY-macaroon-secret-key-000000000000',
  synapseRegistrationSharedSecret: 'TEST-ONLY-registration-shared-secret-0000',
  synapseFormSecret: 'TEST-ONLY-form-secret-00000000000000000000',
  synapseSigningKey: `ed25519 a_TEST ${'T'.repeat(43)}`,
  livekitApiSecret: 'TEST-ONLY-livekit-api-secret-000000000000',
  redisPassword: 'TEST-ONLY-redis-password-00',
  smtpPassword: 'TEST-ONLY smtp password 0000',
} as const
