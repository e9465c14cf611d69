import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parse as parseToml } from '@iarna/toml'
import { Ajv2020 } from 'ajv/dist/2020.js'
import formats from 'ajv-formats'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import {
  DeploymentSpecSchema,
  deploymentSpecJsonSchema,
  safeLoadDeploymentSpecText,
  secretsJsonSchema,
  type IssueCode,
} from '../src/index.js'
import { EXAMPLES, repoFile } from './_helpers.js'

const addFormats = formats.default

function compile(schema: Record<string, unknown>) {
  const ajv = new Ajv2020({ strict: true, allErrors: true })
  addFormats(ajv)
  return ajv.compile(schema)
}

const validateSpec = compile(deploymentSpecJsonSchema())

/** Codes of rules that only zod and our checks enforce: JSON Schema cannot say them. */
const CROSS_FIELD_CODES: ReadonlySet<IssueCode> = new Set<IssueCode>([
  'port_clash',
  'udp_range',
  'turn_without_ports',
  'turn_tls_domain',
  'well_known_unserved',
  'well_known_conflict',
  'owned_key',
  'unknown_upstream_key',
  'tls_choice',
  'mode_mismatch',
  'two_synapse_mains',
  'stateful_colour',
  'node_ip_conflict',
  'duplicate_host',
])

const badDirectory = new URL('./fixtures/bad/', import.meta.url)

function dataOf(name: string): unknown {
  const text = readFileSync(fileURLToPath(new URL(name, badDirectory)), 'utf8')
  if (name.endsWith('.json')) return JSON.parse(text)
  if (name.endsWith('.toml')) return parseToml(text)
  return parseYaml(text, { version: '1.1' })
}

describe('deployment spec JSON Schema', () => {
  it('is draft 2020-12, refuses unknown keys, and compiles in ajv strict mode', () => {
    const schema = deploymentSpecJsonSchema()
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema')
    expect(schema['additionalProperties']).toBe(false)
    expect(schema['required']).toEqual(['serverName'])
    expect(typeof validateSpec).toBe('function')
  })

  it.each(EXAMPLES)('accepts examples/%s', (name) => {
    const data = parseYaml(repoFile(`examples/${name}/deployment.yaml`), { version: '1.1' })
    expect(validateSpec(data), JSON.stringify(validateSpec.errors)).toBe(true)
  })

  it('the examples point editors at the committed schema', () => {
    for (const name of EXAMPLES) {
      const first = repoFile(`examples/${name}/deployment.yaml`).split('\n')[0]
      expect(first).toBe('# yaml-language-server: $schema=../../packages/config-schema/schema/deployment-spec.schema.json')
    }
  })

  // Every bad fixture that is readable data is refused by ajv, except those whose only
  // problems are rules JSON Schema cannot express (cross-field checks, the "latest" tag).
  const readable = readdirSync(badDirectory)
    .sort()
    .filter((name) => {
      try {
        dataOf(name)
        return !safeLoadDeploymentSpecText(readFileSync(fileURLToPath(new URL(name, badDirectory)), 'utf8'), name).issues.some(
          (issue) => issue.code === 'syntax_error' || issue.code === 'duplicate_key',
        )
      } catch {
        return false
      }
    })

  it.each(readable)('agrees with zod on fixtures/bad/%s', (name) => {
    const text = readFileSync(fileURLToPath(new URL(name, badDirectory)), 'utf8')
    const { issues } = safeLoadDeploymentSpecText(text, name)
    const zodOnly = issues.every((issue) => CROSS_FIELD_CODES.has(issue.code) || issue.message.includes('"latest" tag'))
    expect(validateSpec(dataOf(name))).toBe(zodOnly)
  })

  it('lists the fixtures that only zod and the cross-field checks refuse', () => {
    const zodOnly = readable.filter((name) => validateSpec(dataOf(name)))
    expect(readable.length).toBeGreaterThan(40)
    expect(zodOnly).toMatchInlineSnapshot(`
      [
        "image-latest.yaml",
        "node-ip-and-external-ip.yaml",
        "port-clash-container.yaml",
        "port-clash-https.yaml",
        "port-clash-udp.yaml",
        "stateful-colour-switched.toml",
        "synapse-colour-switched.yaml",
        "tls-both.yaml",
        "tls-empty-standalone.yaml",
        "tls-in-microservice.json",
        "tls-missing-standalone.yaml",
        "turn-tls-domain-shared.yaml",
        "turn-tls-in-microservice.yaml",
        "turn-without-ports.yaml",
        "udp-port-and-range.yaml",
        "udp-range-overlaps-turn.yaml",
        "udp-range-reversed.yaml",
        "udp-range-too-wide.yaml",
        "well-known-conflict.yaml",
        "well-known-unserved.yaml",
      ]
    `)
  })

  it('agrees with zod on field values (property)', () => {
    const base = { serverName: 'example.org', tls: { letsEncrypt: { email: 'admin@example.org' } } }
    const value = fc.oneof(fc.integer({ min: -5, max: 70_000 }), fc.double(), fc.string({ maxLength: 20 }), fc.boolean(), fc.constant(null))
    const field = fc.constantFrom<[string, string]>(
      ['livekit', 'tcpPort'],
      ['synapse', 'httpPort'],
      ['synapse', 'maxUploadSize'],
      ['containerUser', 'uid'],
      ['elementWeb', 'brand'],
      ['redis', 'maxMemory'],
      ['livekit', 'nodeIp'],
    )
    fc.assert(
      fc.property(field, value, ([section, key], v) => {
        const spec = { ...base, [section]: section === 'containerUser' ? { uid: 1000, gid: 1000, [key]: v } : { [key]: v } }
        expect(validateSpec(spec)).toBe(DeploymentSpecSchema.safeParse(spec).success)
      }),
      { numRuns: 300 },
    )
  })
})

describe('secrets JSON Schema', () => {
  it('compiles in strict mode and refuses short secrets', () => {
    const validate = compile(secretsJsonSchema())
    expect(validate({ postgresPassword: 'short' })).toBe(false)
  })
})

/** Every property of every object in a JSON Schema, with its path. */
function* propertiesOf(schema: unknown, path: string): Generator<[string, Record<string, unknown>]> {
  if (schema === null || typeof schema !== 'object') return
  const node = schema as Record<string, unknown>
  for (const [name, child] of Object.entries((node['properties'] as Record<string, unknown> | undefined) ?? {})) {
    yield [`${path}${path === '' ? '' : '.'}${name}`, child as Record<string, unknown>]
    yield* propertiesOf(child, `${path}${path === '' ? '' : '.'}${name}`)
  }
  for (const key of ['items', 'additionalProperties']) yield* propertiesOf(node[key], `${path}[]`)
  for (const key of ['anyOf', 'oneOf', 'allOf']) for (const s of (node[key] as unknown[] | undefined) ?? []) yield* propertiesOf(s, path)
  for (const [name, s] of Object.entries((node['$defs'] as Record<string, unknown> | undefined) ?? {}))
    yield* propertiesOf(s, `$defs.${name}`)
}

describe('every field is documented', () => {
  it.each([
    ['deployment spec', deploymentSpecJsonSchema()],
    ['secrets', secretsJsonSchema()],
  ] as const)('%s: every property has a description', (_, schema) => {
    const all = [...propertiesOf(schema, '')]
    expect(all.length).toBeGreaterThan(5)
    const undocumented = all.filter(([, s]) => typeof s['description'] !== 'string' || s['description'].trim().length < 10).map(([p]) => p)
    expect(undocumented).toEqual([])
  })
})

describe('DEPLOYMENT_SPEC_SCHEMA_URL', () => {
  it('names the package version, so a $schema line keeps pointing at the schema the spec was written for', async () => {
    const { DEPLOYMENT_SPEC_SCHEMA_URL } = await import('../src/index.js')
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
    expect(DEPLOYMENT_SPEC_SCHEMA_URL).toBe(
      `https://unpkg.com/@messenger-stack/config-schema@${version}/schema/deployment-spec.schema.json`,
    )
  })
})
