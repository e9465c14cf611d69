import { describe, expect, it } from 'vitest'
import {
  dataVolumes,
  enabledServices,
  RESOURCE_PROFILES,
  SERVICE_CATALOGUE,
  servicePorts,
  workloads,
  type DeploymentSpec,
} from '../src/index.js'
import { spec } from './_helpers.js'

const variants: Array<[string, DeploymentSpec]> = [
  [
    'standalone, Let’s Encrypt, TURN/TLS, large',
    spec({ resources: 'large', livekit: { turn: { tlsPort: 5349, domain: 'turn.example.org' } } }),
  ],
  [
    'standalone, certificate files, lk-jwt-service on 8090',
    spec({ tls: { certificateFiles: { certificate: '/c.pem', key: '/k.pem' } }, livekit: { jwtPort: 8090 } }),
  ],
  ['microservice', spec({ mode: 'microservice', tls: undefined })],
]

describe.each(variants)('workloads of %s', (_label, s) => {
  const all = workloads(s)

  it('exist for exactly the enabled services, in catalogue order', () => {
    expect(all.map((workload) => workload.service)).toEqual(enabledServices(s))
  })

  it('take image, memory, user and ports from the spec, the profile and the port model', () => {
    for (const workload of all) {
      expect(workload.image).toBe(s.images[SERVICE_CATALOGUE[workload.service].image])
      expect(workload.memoryMb).toBe(RESOURCE_PROFILES[s.resources].memoryLimitsMb[workload.service])
      expect(workload.user).toEqual(s.containerUser)
      expect(workload.ports).toEqual(servicePorts(s).filter((port) => port.service === workload.service))
    }
  })

  it('run read-only, writing only to tmpfs and data volumes; only stateful services write data', () => {
    for (const workload of all) {
      expect(workload.readOnlyRootFilesystem).toBe(true)
      const writes = workload.mounts.filter((mount) => mount.kind === 'data' && !mount.readOnly)
      if (writes.length > 0) expect(SERVICE_CATALOGUE[workload.service].stateful).toBe(true)
    }
  })

  it('are health-checked, except lk-jwt-service off its default port, which says why', () => {
    for (const workload of all) {
      const expectNone = workload.service === 'lk-jwt-service' && s.livekit.jwtPort !== 8080
      expect(workload.health.kind === 'none').toBe(expectNone)
      if (workload.health.kind === 'none') expect(workload.health.reason).toMatch(/default port/)
    }
  })

  it('declare the data volumes their mounts use, and no other', () => {
    const mounted = new Set(all.flatMap((workload) => workload.mounts.flatMap((mount) => (mount.kind === 'data' ? [mount.volume] : []))))
    expect(new Set(dataVolumes(s).map((volume) => volume.kind))).toEqual(mounted)
    for (const volume of dataVolumes(s)) {
      const users = all.filter((workload) => workload.mounts.some((mount) => mount.kind === 'data' && mount.volume === volume.kind))
      expect(volume.services).toEqual(users.map((workload) => workload.service))
    }
  })
})

it('never gives LiveKit a certificate: for TURN/TLS nginx terminates TLS and mounts its main config', () => {
  const mounts = (s: DeploymentSpec, service: 'livekit' | 'nginx') => workloads(s).find((workload) => workload.service === service)!.mounts
  const certificate = (s: DeploymentSpec) =>
    mounts(s, 'livekit').filter((mount) => mount.kind === 'host-file' || (mount.kind === 'data' && mount.volume === 'letsencrypt'))
  const turnTls = { turn: { tlsPort: 5349, domain: 'turn.example.org' } }
  const files = spec({ tls: { certificateFiles: { certificate: '/c.pem', key: '/k.pem' } }, livekit: turnTls })
  for (const s of [spec(), spec({ livekit: turnTls }), files]) expect(certificate(s)).toEqual([])
  const mainConf = (s: DeploymentSpec) =>
    mounts(s, 'nginx').filter((mount) => mount.kind === 'config' && mount.target === '/etc/nginx/nginx.conf')
  expect(mainConf(spec({ livekit: turnTls }))).toEqual([{ kind: 'config', source: 'nginx/nginx.conf', target: '/etc/nginx/nginx.conf' }])
  expect(mainConf(spec())).toEqual([])
})
