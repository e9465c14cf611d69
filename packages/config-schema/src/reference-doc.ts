import { deploymentSpecJsonSchema, type JsonSchemaDocument } from './json-schema.js'

type Schema = Record<string, unknown>

/** Where the generated reference page lives, relative to the repository root. */
export const REFERENCE_DOC_PATH = 'docs/reference/deployment-spec.md'

const asSchema = (value: unknown): Schema => (value !== null && typeof value === 'object' ? (value as Schema) : {})
const properties = (schema: Schema): [string, Schema][] => Object.entries(asSchema(schema['properties'])).map(([k, v]) => [k, asSchema(v)])
const isObjectWithFields = (schema: Schema) => schema['type'] === 'object' && schema['properties'] !== undefined

/** A Markdown code span that survives backticks inside `text`. */
function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length))
  const fence = '`'.repeat(longest + 1)
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${text}${pad}${fence}`
}

/** A human name for the type of a schema: `integer`, `list of string`, `map of string to any`. */
function typeName(schema: Schema): string {
  if (Array.isArray(schema['anyOf'])) return schema['anyOf'].map((s) => typeName(asSchema(s))).join(' or ')
  if (Array.isArray(schema['oneOf'])) return schema['oneOf'].map((s) => typeName(asSchema(s))).join(' or ')
  const type = schema['type']
  if (type === 'array') return `list of ${typeName(asSchema(schema['items']))}`
  if (type === 'object' && schema['properties'] === undefined && schema['additionalProperties'] !== undefined) {
    return `map of string to ${typeName(asSchema(schema['additionalProperties']))}`
  }
  if (type === 'object') return 'object'
  return typeof type === 'string' ? type : 'any'
}

/** The constraints of a schema as `name: value` lines (allowed values, pattern, bounds). */
function constraints(schema: Schema, prefix = ''): string[] {
  const lines: string[] = []
  if (Array.isArray(schema['enum'])) lines.push(`${prefix}Allowed values: ${schema['enum'].map((v) => code(JSON.stringify(v))).join(', ')}`)
  const min =
    schema['minimum'] ?? (schema['exclusiveMinimum'] === undefined ? undefined : `more than ${String(schema['exclusiveMinimum'])}`)
  const max =
    schema['maximum'] ?? (schema['exclusiveMaximum'] === undefined ? undefined : `less than ${String(schema['exclusiveMaximum'])}`)
  const safe = (n: unknown) => typeof n === 'number' && Math.abs(n) >= Number.MAX_SAFE_INTEGER
  if ((min !== undefined && !safe(min)) || (max !== undefined && !safe(max))) {
    lines.push(
      `${prefix}Range: ${min !== undefined && !safe(min) ? `from ${String(min)}` : ''}${min !== undefined && !safe(min) && max !== undefined && !safe(max) ? ' ' : ''}${max !== undefined && !safe(max) ? `to ${String(max)}` : ''}`,
    )
  }
  const minLength = schema['minLength'] ?? schema['minItems']
  const maxLength = schema['maxLength'] ?? schema['maxItems']
  const unit = schema['type'] === 'array' ? 'entries' : 'characters'
  if (minLength !== undefined || maxLength !== undefined) {
    const parts = [
      minLength === undefined ? undefined : `at least ${String(minLength)}`,
      maxLength === undefined ? undefined : `at most ${String(maxLength)}`,
    ]
    lines.push(`${prefix}Length: ${parts.filter((p) => p !== undefined).join(', ')} ${unit}`)
  }
  if (typeof schema['pattern'] === 'string') lines.push(`${prefix}Pattern: ${code(schema['pattern'])}`)
  if (typeof schema['format'] === 'string') lines.push(`${prefix}Format: ${schema['format']}`)
  if (schema['type'] === 'array') lines.push(...constraints(asSchema(schema['items']), 'Each entry: '))
  if (schema['type'] === 'object' && schema['propertyNames'] !== undefined)
    lines.push(...constraints(asSchema(schema['propertyNames']), 'Each key: '))
  if (schema['type'] === 'object' && schema['properties'] === undefined) {
    const values = asSchema(schema['additionalProperties'])
    if (Array.isArray(values['anyOf']))
      for (const s of values['anyOf']) lines.push(...constraints(asSchema(s), `Each ${typeName(asSchema(s))} value: `))
    else lines.push(...constraints(values, 'Each value: '))
  }
  return lines
}

function fieldEntry(path: string, schema: Schema, required: boolean, level: number): string[] {
  const lines = [`${'#'.repeat(level)} ${code(path)}`, '']
  lines.push(String(schema['description'] ?? '(undocumented)'), '')
  const facts = [`Type: ${code(typeName(schema))}`]
  if (required) facts.push('Required')
  if (schema['default'] !== undefined) facts.push(`Default: ${code(JSON.stringify(schema['default']))}`)
  facts.push(...constraints(schema))
  lines.push(...facts.map((fact) => `- ${fact}`), '')
  return lines
}

function fieldsOf(schema: Schema, prefix: string, level: number): string[] {
  const required = new Set(Array.isArray(schema['required']) ? (schema['required'] as string[]) : [])
  const lines: string[] = []
  for (const [name, child] of properties(schema)) {
    const path = prefix === '' ? name : `${prefix}.${name}`
    lines.push(...fieldEntry(path, child, required.has(name), level))
    if (isObjectWithFields(child)) lines.push(...fieldsOf(child, path, level))
  }
  return lines
}

/**
 * The reference page of the deployment spec in Markdown, generated from its JSON Schema
 * (itself generated from the zod schema): every field with type, default, allowed values,
 * constraints and description, grouped by top-level section.
 */
export function deploymentSpecReferenceDoc(schema: JsonSchemaDocument = deploymentSpecJsonSchema()): string {
  const root = asSchema(schema)
  const required = new Set(Array.isArray(root['required']) ? (root['required'] as string[]) : [])
  const top = properties(root)
  const simple = top.filter(([, s]) => !isObjectWithFields(s))
  const sections = top.filter(([, s]) => isObjectWithFields(s))
  const lines = [
    '<!-- Generated by `pnpm generate` from the zod schema in packages/config-schema. Do not edit by hand. -->',
    '',
    `# ${String(root['title'] ?? 'Deployment spec')} reference`,
    '',
    String(root['description'] ?? ''),
    '',
    'A spec is written in YAML (read as YAML 1.1), JSON, TOML or TypeScript (`defineDeployment`).',
    'Keys are camelCase; unknown keys are refused. Fields with a default may be left out.',
    'The JSON Schema is `packages/config-schema/schema/deployment-spec.schema.json`; rules that',
    'span several fields (port clashes, TLS per mode, blue/green, TURN ports) are checked by',
    '`messenger-stack` itself and are not part of the JSON Schema.',
    '',
    '## Contents',
    '',
    '- [Top-level fields](#top-level-fields)',
    ...sections.map(([name]) => `- [\`${name}\`](#${name.toLowerCase()})`),
    '',
    '## Top-level fields',
    '',
  ]
  for (const [name, child] of simple) lines.push(...fieldEntry(name, child, required.has(name), 3))
  for (const [name, child] of sections) {
    lines.push(`## ${name}`, '', ...fieldEntry(name, child, required.has(name), 3).slice(2), ...fieldsOf(child, name, 3))
  }
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`
}
