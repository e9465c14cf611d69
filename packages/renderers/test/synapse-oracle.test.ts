// SYNAPSE ORACLE: the rendered homeserver.yaml passes Synapse's own published config schema
// (../shared/oracles/synapse, beside the clone) with no unknown-key warnings.
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { DERIVED_SECRET_FILES, derivedSecretFiles, parseSecrets, synapseWorkers, type DeploymentSpec } from '@messenger-stack/config-schema'
import { afterAll, describe, expect, it } from 'vitest'
import { renderHomeserver } from '../src/index.js'
import { EXAMPLE_NAMES, FRAGMENTS, REPO_ROOT, TEST_SECRETS, exampleSpec, specWith } from './_renderer-fixtures.js'

const ORACLE_DIR = resolve(REPO_ROOT, '../shared/oracles/synapse')
const VALIDATOR = join(ORACLE_DIR, 'validate.mjs')
// The validator needs ajv + ajv-formats (root devDependencies) and yaml (a config-schema
// dependency); resolving from config-schema's folder finds yaml there and ajv one level up.
const ORACLE_NODE_MODULES = resolve(REPO_ROOT, 'packages/config-schema')
const work = mkdtempSync(join(tmpdir(), 'synapse-oracle-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

/**
 * Synapse's published schema with its one defect that concerns us corrected: `email.smtp_port`
 * is typed string|null, yet Synapse passes it to Twisted as a port number and its own example
 * is 587 (see the facts, section 1; a test below shows the upstream schema refusing it). Only
 * that type is widened, to integer|string|null.
 */
function patchedSchemaDir(): string {
  const dir = join(work, 'schema')
  if (existsSync(join(dir, 'synapse-config.schema.json'))) return dir
  mkdirSync(dir)
  const schema = JSON.parse(readFileSync(join(ORACLE_DIR, 'synapse-config.schema.json'), 'utf8'))
  const smtpPort = schema.properties.email.properties.smtp_port
  if (JSON.stringify(smtpPort.type) !== JSON.stringify(['string', 'null']))
    throw new Error('the oracle schema changed: review the smtp_port patch')
  smtpPort.type = ['integer', 'string', 'null']
  writeFileSync(join(dir, 'synapse-config.schema.json'), JSON.stringify(schema))
  copyFileSync(join(ORACLE_DIR, 'meta.schema.json'), join(dir, 'meta.schema.json'))
  return dir
}

/** Runs the oracle on files merged as Synapse merges repeated --config-path arguments. */
function runOracle(files: readonly string[], schemaDir = patchedSchemaDir()): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [VALIDATOR, ...files], {
    env: { ...process.env, ORACLE_NODE_MODULES, SYNAPSE_SCHEMA_DIR: schemaDir },
    encoding: 'utf8',
    timeout: 30_000,
  })
  if (result.status === 2) throw new Error(`Synapse oracle setup error (install ajv, ajv-formats and yaml): ${result.stderr}`)
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** Validates homeserver.yaml, and with synapse.email the secrets step's email file after it, as Synapse loads them. */
function validate(name: string, spec: DeploymentSpec): { status: number | null; stdout: string; stderr: string } {
  if (!existsSync(VALIDATOR)) {
    throw new Error(
      `Synapse oracle missing: ${VALIDATOR} not found. Check out the shared folder beside the repository (../shared/oracles/synapse with validate.mjs and synapse-config.schema.json).`,
    )
  }
  const file = join(work, `${name}.homeserver.yaml`)
  writeFileSync(file, renderHomeserver(spec))
  const email = derivedSecretFiles(spec, parseSecrets(TEST_SECRETS)).find((derived) => derived.name === DERIVED_SECRET_FILES.synapseEmail)
  const files = [file]
  if (email !== undefined) {
    files.push(join(work, `${name}.synapse-email.yaml`))
    writeFileSync(files[1]!, email.content)
  }
  return runOracle(files)
}

const VARIANTS: Record<string, DeploymentSpec> = {
  // Examples with workers carry list-valued stream writers, which the published schema mistypes:
  // synapse-workers-oracle.test.ts checks them, with each worker file and with real Synapse.
  ...Object.fromEntries(
    EXAMPLE_NAMES.filter((name) => synapseWorkers(exampleSpec(name)).length === 0).map((name) => [name, exampleSpec(name)]),
  ),
  'no-calls-no-federation': specWith(FRAGMENTS.noCalls, FRAGMENTS.noFederation, FRAGMENTS.openRegistration),
  // extraConfig merged leaf by leaf into keys the SDK renders in part, and appended list items.
  'extra-config-leaves': specWith({
    synapse: {
      extraConfig: {
        experimental_features: { msc3391_enabled: true },
        caches: { per_cache_factors: { get_users_who_share_room_with_user: 2 }, expire_caches: true },
        listeners: [{ port: 9000, type: 'metrics', bind_addresses: ['0.0.0.0'] }],
        trusted_key_servers: [
          { server_name: 'keys.example.net', verify_keys: { 'ed25519:auto': 'Noi6WqcDj0QmPxCNQqgezwTlBKrfqehY1u2FyWP9uYw' } },
        ],
        database: { args: { sslmode: 'disable' } },
        presence: { include_offline_users_on_sync: true },
        rc_login: { address: { per_second: 1 } },
      },
    },
  }),
  'previews-no-presence': specWith(FRAGMENTS.urlPreviews, FRAGMENTS.noPresence, {
    synapse: { federation: { allowList: ['friends.example'] } },
  }),
  // Implicit TLS to a relay without authentication, no Element Web, no notifications.
  'email-implicit-tls-no-auth': specWith(FRAGMENTS.noCalls, {
    elementWeb: { enabled: false },
    synapse: { email: { smtpHost: 'relay', tls: 'implicit', fromAddress: 'chat@example.org' } },
  }),
}

describe('Synapse config schema oracle', () => {
  it.each(Object.keys(VARIANTS))('%s: valid, no unknown top-level keys', (name) => {
    const result = validate(name, VARIANTS[name]!)
    expect(result.stdout).toContain('valid')
    expect(result.stdout).not.toContain('INVALID')
    expect(result.stderr).not.toContain('warning')
    expect(result.status).toBe(0)
  })

  it('the schema patch is needed and narrow: upstream refuses an int smtp_port, both refuse a boolean', () => {
    const file = join(work, 'smtp-port.yaml')
    const base = renderHomeserver(exampleSpec('standalone'))
    writeFileSync(file, `${base}email:\n  smtp_host: mail.example.org\n  smtp_port: 587\n  notif_from: a@example.org\n`)
    expect(runOracle([file], ORACLE_DIR).status).toBe(1)
    expect(runOracle([file]).status).toBe(0)
    writeFileSync(file, `${base}email:\n  smtp_host: mail.example.org\n  smtp_port: true\n  notif_from: a@example.org\n`)
    expect(runOracle([file]).status).toBe(1)
  })

  it('is not a rubber stamp: a wrong type fails', () => {
    const file = join(work, 'broken.yaml')
    writeFileSync(file, renderHomeserver(exampleSpec('standalone')).replace('enable_registration: true', 'enable_registration: [1]'))
    const result = spawnSync(process.execPath, [VALIDATOR, file], {
      env: { ...process.env, ORACLE_NODE_MODULES },
      encoding: 'utf8',
      timeout: 30_000,
    })
    expect(result.status).toBe(1)
  })
})
