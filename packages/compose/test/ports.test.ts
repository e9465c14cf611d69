import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { portUses, safeParseDeploymentSpec, type DeploymentSpec } from '@messenger-stack/config-schema'
import { composeModel, composeVariantsFor } from '../src/index.js'
import { coverageSpecs } from './_walk.js'

/** `protocol start[-end]` of every port published by the spec's compose files, sorted. */
function published(s: DeploymentSpec): string[] {
  const out: string[] = []
  for (const variant of composeVariantsFor(s)) {
    for (const svc of Object.values(composeModel(s, variant).services)) {
      for (const port of svc.ports ?? []) {
        const match = /^(127\.0\.0\.1:)?([0-9-]+):([0-9-]+)\/(tcp|udp)$/.exec(port)
        expect(match, port).not.toBeNull()
        const [, loopback, host, , protocol] = match!
        out.push(`${protocol} ${loopback ?? ''}${host}`)
      }
    }
  }
  return out.sort()
}

/** What config-schema says is bound on the host (without the gateway's own 80/443). */
function expectedHostPorts(s: DeploymentSpec): string[] {
  return portUses(s)
    .filter((use) => use.scope === 'host' && !(s.mode === 'microservice' && String(use.field[0]).startsWith('(gateway')))
    .map((use) => `${use.protocol} ${use.start === use.end ? use.start : `${use.start}-${use.end}`}`)
    .sort()
}

describe('published ports equal portUses(spec) for the host', () => {
  it.each(coverageSpecs())('%s', (_label, s) => {
    expect(published(s)).toEqual(expectedHostPorts(s))
  })

  it('for any valid LiveKit port layout (property)', () => {
    const port = fc.integer({ min: 1025, max: 65_000 })
    const layout = fc.record({
      mode: fc.constantFrom('standalone' as const, 'microservice' as const),
      enabled: fc.boolean(),
      tcpPort: port,
      media: fc.oneof(
        port.map((udpPort) => ({ udpPort })),
        port.map((start) => ({ udpRange: { start, end: start + 500 } })),
      ),
      turn: fc.record({
        enabled: fc.boolean(),
        udpPort: fc.oneof(fc.constant(0), port),
        tlsPort: fc.oneof(fc.constant(0), port),
        domain: fc.constant('turn.example.org'),
      }),
    })
    let checked = 0
    fc.assert(
      fc.property(layout, ({ mode, enabled, tcpPort, media, turn }) => {
        const parsed = safeParseDeploymentSpec({
          serverName: 'example.org',
          mode,
          ...(mode === 'standalone' ? { tls: { letsEncrypt: { email: 'a@example.org' } } } : {}),
          livekit: { enabled, tcpPort, ...media, turn, nodeIp: '203.0.113.7' },
        })
        if (!parsed.success) return // clashing ports: the spec is refused before any render
        checked++
        expect(published(parsed.spec)).toEqual(expectedHostPorts(parsed.spec))
        const postgres = composeModel(parsed.spec, mode === 'standalone' ? 'standalone' : 'core').services.postgres!
        expect(postgres.ports).toBeUndefined()
      }),
      { numRuns: 100, seed: 20261125 },
    )
    expect(checked).toBeGreaterThan(30)
  })
})
