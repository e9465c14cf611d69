// Test support for the data-store, script and bundle tests: example specs and real programs.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { parseDeploymentSpec, type DeploymentSpec } from '@messenger-stack/config-schema'

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))

/**
 * The examples every renderer is pinned against: the deployment examples: every `examples/<name>/` holding a `deployment.yaml` and no
 * `package.json` (those are the tool examples, workspace packages with their own tests). A new
 * example folder is picked up by every test that iterates them.
 */
export const EXAMPLES: readonly string[] = readdirSync(`${repoRoot}examples`)
  .filter((name) => existsSync(`${repoRoot}examples/${name}/deployment.yaml`) && !existsSync(`${repoRoot}examples/${name}/package.json`))
  .sort()
export type ExampleName = string
// yaml is a dependency of config-schema, not of renderers: resolve it from there.
const { parse: parseYaml } = createRequire(new URL('../../config-schema/package.json', import.meta.url))('yaml') as {
  parse: (text: string) => unknown
}

/** The raw (unparsed) input of an example spec. */
export function exampleInput(name: ExampleName): unknown {
  return parseYaml(readFileSync(`${repoRoot}examples/${name}/deployment.yaml`, 'utf8'))
}

/** An example spec, parsed with every default applied. */
export function exampleSpec(name: ExampleName): DeploymentSpec {
  return parseDeploymentSpec(exampleInput(name))
}

/** The examples with `target: compose`, whose bundles hold compose files and scripts. */
export const COMPOSE_EXAMPLES: readonly string[] = EXAMPLES.filter((name) => exampleSpec(name).target === 'compose')

const INSTALL_HINT: Record<string, string> = {
  shellcheck: 'apt-get install shellcheck',
  'redis-server': 'apt-get install redis-server redis-tools',
  'redis-cli': 'apt-get install redis-tools',
  initdb: 'apt-get install postgresql',
  unshare: 'apt-get install util-linux',
  promtool: 'bash .ci/provision.sh (it go-installs promtool from the Go module proxy)',
  'synapse-python': 'bash .ci/provision.sh',
  'k8s-validate': 'bash .ci/provision.sh',
  kubectl: 'bash .ci/provision.sh',
}

const ENV_KEYS: Record<string, string> = {
  shellcheck: 'SHELLCHECK_BIN',
  'redis-server': 'REDIS_SERVER_BIN',
  'redis-cli': 'REDIS_CLI_BIN',
  promtool: 'PROMTOOL_BIN',
  nginx: 'NGINX_BIN',
  'synapse-python': 'SYNAPSE_PYTHON',
  'k8s-validate': 'K8S_VALIDATE',
  kubectl: 'KUBECTL_BIN',
}

/** The provisioned environment (`.ci/provision.sh`'s env.sh), such as `K8S_TOOLS_CACHE`. */
export function provisionedEnv(): Record<string, string> {
  const file = `${process.env.MESSENGER_STACK_CACHE ?? '/var/cache/messenger-stack'}/env.sh`
  if (!existsSync(file)) return {}
  const env: Record<string, string> = {}
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^export ([A-Z0-9_]+)=(.*)$/.exec(line)
    if (match !== null) env[match[1]!] = match[2]!.replace(/^'(.*)'$/, '$1')
  }
  return env
}

/**
 * Absolute path of a real program, from `.ci/provision.sh`'s env.sh or PATH. Throws (so the
 * test FAILS) with what to install when it is missing: system tests never skip.
 */
export function requireTool(name: string): string {
  const provisioned = provisionedEnv()
  const envKey = ENV_KEYS[name]
  const fromEnv = envKey === undefined ? undefined : (process.env[envKey] ?? provisioned[envKey])
  if (fromEnv !== undefined && fromEnv !== '' && existsSync(fromEnv)) return fromEnv
  if (name === 'initdb' || name === 'pg_ctl' || name === 'postgres' || name === 'psql') {
    const dir = process.env.PG_BIN_DIR ?? provisioned.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin'
    if (existsSync(`${dir}/${name}`)) return `${dir}/${name}`
  }
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' })
  const path = found.stdout.trim()
  if (found.status === 0 && path.startsWith('/')) return path
  throw new Error(`${name} is not installed: run \`${INSTALL_HINT[name] ?? `apt-get install ${name}`}\` (or \`bash .ci/provision.sh\`).`)
}

/** Runs shellcheck on a script; returns its findings (empty when clean). */
export function shellcheck(script: string, shell: 'sh' | 'bash'): string {
  const result = spawnSync(requireTool('shellcheck'), ['-s', shell, '-f', 'gcc', '-'], { input: script, encoding: 'utf8', timeout: 60_000 })
  if (result.error !== undefined) throw result.error
  return result.status === 0 ? '' : `${result.stdout}${result.stderr}`.trim() || `shellcheck exited ${result.status}`
}

/** Whether this process may create mount and network namespaces (root with unshare). */
export function requireNamespaces(): string {
  const unshare = requireTool('unshare')
  try {
    execFileSync(unshare, ['-m', '-n', 'true'], { timeout: 10_000 })
  } catch {
    throw new Error('these tests run programs in private mount and network namespaces: run them as root (`unshare -m -n` must work).')
  }
  return unshare
}

/**
 * Secrets for tests only: clearly fake, but valid for `SecretsSchema`, with the characters
 * (quotes, `$`, `;`, backslash) that escaping bugs trip over.
 */
export const TEST_SECRETS = {
  postgresPassword: `test-only-pg-pw'"$HOME;\\x`,
  synapseDatabasePassword: `test-only-synapse-db-pw'"$HOME;\\x`,
  synapseMacaroonSecretKey: 'test-only-macaroon-secret-key-0123456789',
  synapseRegistrationSharedSecret: 'test-only-registration-shared-secret-0123',
  synapseFormSecret: 'test-only-form-secret-0123456789abcdef',
  synapseSigningKey: 'ed25519 a_test VGVzdE9ubHlTaWduaW5nS2V5U2VlZEZvclRlc3RzMDE',
  livekitApiSecret: 'test-only-livekit-api-secret-0123456789',
  redisPassword: 'test-only-redis-password-$;x',
  smtpPassword: `test-only smtp pw'"$HOME;\\x`,
} as const
