import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { safeParseDeploymentSpec } from '@messenger-stack/config-schema'
import { composeFilesFor } from '../src/index.js'
import { parseCompose } from './_fixtures.js'

/** A copy with the keys of every object in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys)
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reverseKeys(v)]),
    )
  }
  return value
}

const specInput = fc.record({
  serviceName: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/),
  mode: fc.constantFrom('standalone', 'microservice'),
  containerUser: fc.record({ uid: fc.integer({ min: 1, max: 2_000_000 }), gid: fc.integer({ min: 1, max: 2_000_000 }) }),
  resources: fc.constantFrom('small', 'medium', 'large'),
  synapse: fc.record({ maxUploadSize: fc.constantFrom('10M', '50M', '100M', '1G') }),
  livekit: fc.record({ enabled: fc.boolean(), nodeIp: fc.constant('198.51.100.4') }),
  elementWeb: fc.record({ enabled: fc.boolean() }),
  ownCertificate: fc.boolean(),
})

describe('determinism', () => {
  it('same spec, same bytes, whatever the key order of the input (property)', () => {
    let rendered = 0
    fc.assert(
      fc.property(specInput, ({ ownCertificate, ...input }) => {
        const full = {
          serverName: 'example.org',
          ...input,
          ...(input.mode === 'standalone'
            ? {
                tls: ownCertificate
                  ? { certificateFiles: { certificate: '/c/full.pem', key: '/c/key.pem' } }
                  : { letsEncrypt: { email: 'a@example.org' } },
              }
            : {}),
        }
        const a = safeParseDeploymentSpec(full)
        const b = safeParseDeploymentSpec(reverseKeys(full))
        expect(a.success).toBe(true)
        if (!a.success || !b.success) return
        rendered++
        const first = composeFilesFor(a.spec)
        expect(composeFilesFor(a.spec)).toEqual(first)
        expect(composeFilesFor(b.spec)).toEqual(first)
        for (const file of first) {
          expect(file.content.endsWith('\n') && !file.content.endsWith('\n\n')).toBe(true)
          const services = Object.keys(parseCompose(file.content).services)
          // A colour file is empty when nothing colour-switched is enabled; the others never are.
          if (!/blue|green/.test(file.path)) {
            expect(services).toContain('synapse')
            for (const svc of Object.values(parseCompose(file.content).services)) {
              expect(svc.user).toBe(`${input.containerUser.uid}:${input.containerUser.gid}`)
            }
          }
        }
      }),
      { numRuns: 100, seed: 424242 },
    )
    expect(rendered).toBe(100)
  })
})
