// The per-render memo of spec-derived values: computed once inside a render, never kept after
// it, never shared with another spec object, and frozen so no caller can change what the next
// renderer sees.
import { describe, expect, it } from 'vitest'
import { dependenciesOf, deriveValues, SERVICES, synapseWorkers, withRenderMemo, workloads } from '../src/index.js'
import { micro, spec } from './_helpers.js'

describe('withRenderMemo', () => {
  it('computes a derivation once per render of a spec object', () => {
    const s = spec()
    withRenderMemo(s, () => {
      expect(deriveValues(s)).toBe(deriveValues(s))
      expect(workloads(s)).toBe(workloads(s))
    })
  })

  it('keeps nothing after the render: a spec changed afterwards derives afresh', () => {
    const s = spec() as { matrixHost?: string } & ReturnType<typeof spec>
    const inside = withRenderMemo(s, () => deriveValues(s).matrixHost)
    s.matrixHost = 'chat.example.org'
    expect(withRenderMemo(s, () => deriveValues(s).matrixHost)).not.toBe(inside)
    expect(deriveValues(s).matrixHost).toBe('chat.example.org')
  })

  it('shares nothing with another spec object, even during a render', () => {
    const a = spec()
    const b = spec({ synapse: { workers: { preset: 'small' } } } as never)
    withRenderMemo(a, () => {
      expect(synapseWorkers(a)).toEqual([])
      expect(synapseWorkers(b).length).toBeGreaterThan(0)
      expect(deriveValues(b)).not.toBe(deriveValues(b))
    })
  })

  it('freezes memoised values, so a caller cannot change them for the next renderer', () => {
    const s = spec()
    withRenderMemo(s, () => {
      expect(() => (workloads(s) as unknown[]).push(undefined)).toThrow(TypeError)
    })
    expect(() => (workloads(s) as unknown[]).push(undefined)).not.toThrow()
  })

  it('ends the render when it throws', () => {
    const s = spec()
    expect(() =>
      withRenderMemo(s, () => {
        throw new Error('boom')
      }),
    ).toThrow('boom')
    expect(deriveValues(s)).not.toBe(deriveValues(s))
  })

  it('gives the dependencies of each service once per render, frozen, the same as outside one', () => {
    for (const s of [spec(), micro(), spec({ synapse: { workers: { preset: 'recommended' } } } as never)]) {
      const outside = SERVICES.map((service) => dependenciesOf(s, service))
      withRenderMemo(s, () => {
        for (const [index, service] of SERVICES.entries()) {
          const inside = dependenciesOf(s, service)
          expect(inside).toEqual(outside[index])
          expect(dependenciesOf(s, service)).toBe(inside)
          expect(Object.isFrozen(inside)).toBe(true)
        }
      })
      // Another spec object during the render gets its own answer (a variant without calls).
      const other = spec({ livekit: { enabled: false } })
      withRenderMemo(s, () => {
        dependenciesOf(s, 'lk-jwt-service')
        expect(dependenciesOf(other, 'nginx')).not.toContain('livekit')
      })
    }
  })
})
