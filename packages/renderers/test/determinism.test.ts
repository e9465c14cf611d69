import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseDeploymentSpec } from '@messenger-stack/config-schema'
import { renderAll } from '../src/render-all.js'
import { EXAMPLES, exampleInput, exampleSpec } from './_bundle-support.js'

/** A deep copy of a JSON value with the keys of every object in the given order. */
function reorder(value: unknown, order: (keys: string[]) => string[]): unknown {
  if (Array.isArray(value)) return value.map((item) => reorder(item, order))
  if (value === null || typeof value !== 'object') return value
  const record = value as Record<string, unknown>
  return Object.fromEntries(order(Object.keys(record)).map((key) => [key, reorder(record[key], order)]))
}

function shuffler(seed: number): (keys: string[]) => string[] {
  let state = seed >>> 0 || 1
  return (keys) => {
    const out = [...keys]
    for (let i = out.length - 1; i > 0; i--) {
      state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0
      const j = state % (i + 1)
      ;[out[i], out[j]] = [out[j]!, out[i]!]
    }
    return out
  }
}

describe.each(EXAMPLES)('renderAll for %s is deterministic', (name) => {
  const baseline = JSON.stringify(renderAll(exampleSpec(name)))

  it('whatever the key order of the input spec', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const input = reorder(exampleInput(name), shuffler(seed))
        expect(JSON.stringify(renderAll(parseDeploymentSpec(input)))).toBe(baseline)
      }),
      { numRuns: 40 },
    )
  })

  it('whatever the key order of the parsed spec it is given', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const spec = reorder(exampleSpec(name), shuffler(seed)) as ReturnType<typeof exampleSpec>
        expect(JSON.stringify(renderAll(spec))).toBe(baseline)
      }),
      { numRuns: 40 },
    )
  })

  it('on repeated calls', () => {
    const spec = exampleSpec(name)
    for (let i = 0; i < 5; i++) expect(JSON.stringify(renderAll(spec))).toBe(baseline)
  })
})
