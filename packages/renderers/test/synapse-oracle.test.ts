// SYNAPSE ORACLE: the rendered homeserver.yaml passes Synapse's own published config schema
// (../shared/oracles/synapse, beside the clone) with no unknown-key warnings.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { synapseWorkers, type DeploymentSpec } from '@messenger-stack/config-schema'
import { afterAll, describe, expect, it } from 'vitest'
import { renderHomeserver } from '../src/index.js'
import { EXAMPLE_NAMES, FRAGMENTS, REPO_ROOT, exampleSpec, specWith } from './_renderer-fixtures.js'

const ORACLE_DIR = resolve(REPO_ROOT, '../shared/oracles/synapse')
const VALIDATOR = join(ORACLE_DIR, 'validate.mjs')
// The validator needs ajv + ajv-formats (root devDependencies) and yaml (a config-schema
// dependency); resolving from config-schema's folder finds yaml there and ajv one level up.
const ORACLE_NODE_MODULES = resolve(REPO_ROOT, 'packages/config-schema')
const work = mkdtempSync(join(tmpdir(), 'synapse-oracle-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

function validate(name: string, spec: DeploymentSpec): { status: number | null; stdout: string; stderr: string } {
  if (!existsSync(VALIDATOR)) {
    throw new Error(
      `Synapse oracle missing: ${VALIDATOR} not found. Check out the shared folder beside the repository (../shared/oracles/synapse with validate.mjs and synapse-config.schema.json).`,
    )
  }
  const file = join(work, `${name}.homeserver.yaml`)
  writeFileSync(file, renderHomeserver(spec))
  const result = spawnSync(process.execPath, [VALIDATOR, file], {
    env: { ...process.env, ORACLE_NODE_MODULES },
    encoding: 'utf8',
    timeout: 30_000,
  })
  if (result.status === 2) throw new Error(`Synapse oracle setup error (install ajv, ajv-formats and yaml): ${result.stderr}`)
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
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
}

describe('Synapse config schema oracle', () => {
  it.each(Object.keys(VARIANTS))('%s: valid, no unknown top-level keys', (name) => {
    const result = validate(name, VARIANTS[name]!)
    expect(result.stdout).toContain('valid')
    expect(result.stdout).not.toContain('INVALID')
    expect(result.stderr).not.toContain('warning')
    expect(result.status).toBe(0)
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
