import { describe, expect, it } from 'vitest'
import { portsOf, portUses, servicePorts, type DeploymentSpec, type PortSpec } from '../src/index.js'
import { portNumber } from '../src/workload/ports.js'
import { micro, spec } from './_helpers.js'

const variants: Array<[string, DeploymentSpec]> = [
  ['standalone defaults', spec()],
  [
    'standalone, range + TURN/TLS',
    spec({ livekit: { udpRange: { start: 50000, end: 50100 }, turn: { tlsPort: 5349, domain: 'turn.example.org' } } }),
  ],
  ['standalone, no calls', spec({ livekit: { enabled: false } })],
  ['microservice defaults', micro()],
]

describe('the port model', () => {
  it.each(variants)('%s: the host view is exactly the published ports (plus the gateway in microservice mode)', (_label, s) => {
    const published = servicePorts(s)
      .filter((port) => port.published !== undefined)
      .map((port) => `${port.protocol} ${port.published!.start}-${port.published!.end} ${port.field.join('.')}`)
    const host = portUses(s)
      .filter((use) => use.scope === 'host' && !String(use.field[0]).startsWith('(gateway'))
      .map((use) => `${use.protocol} ${use.start}-${use.end} ${use.field.join('.')}`)
    expect(host).toEqual(published)
  })

  it.each(variants)('%s: only nginx and LiveKit publish; Synapse (admin API), PostgreSQL and Redis never', (_label, s) => {
    for (const port of servicePorts(s)) {
      if (port.published === undefined) continue
      expect(['nginx', 'livekit']).toContain(port.service)
    }
    for (const service of ['synapse', 'postgres', 'redis'] as const) {
      expect(portsOf(s, service).map((port) => port.published)).toEqual([undefined])
    }
  })

  it('lists the edge first: nginx in standalone, the gateway in microservice', () => {
    expect(
      portUses(spec())
        .slice(0, 2)
        .map((use) => use.field.join('.')),
    ).toEqual(['(nginx http)', '(nginx https)'])
    expect(
      portUses(micro())
        .slice(0, 2)
        .map((use) => use.field.join('.')),
    ).toEqual(['(gateway http)', '(gateway https)'])
    expect(servicePorts(micro()).some((port) => port.service === 'nginx')).toBe(false)
  })

  it('leaves out LiveKit and lk-jwt-service when calls are off', () => {
    const services = new Set(servicePorts(spec({ livekit: { enabled: false } })).map((port) => port.service))
    expect(services.has('livekit')).toBe(false)
    expect(services.has('lk-jwt-service')).toBe(false)
  })

  it('reads only mode, synapse and livekit, so the port check runs while other sections are invalid', () => {
    const { mode, synapse, livekit } = spec()
    const only: PortSpec = { mode, synapse, livekit }
    expect(servicePorts(only)).toEqual(servicePorts(spec()))
  })

  it('names each port uniquely within its service', () => {
    const s = spec({ livekit: { turn: { tlsPort: 5349, domain: 'turn.example.org' } } })
    const names = servicePorts(s).map((port) => `${port.service}/${port.name}`)
    expect(new Set(names).size).toBe(names.length)
    expect(portNumber(portsOf(s, 'synapse'), 'http')).toBe(s.synapse.httpPort)
    expect(() => portNumber(portsOf(s, 'certbot'), 'http')).toThrow('There is no http port among no ports')
  })
})
