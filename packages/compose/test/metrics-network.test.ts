// Metrics stay internal: every metrics endpoint is on the internal metrics network, never on the
// gateway's network nor published; the exporters and Prometheus join only internal networks, so
// Prometheus reaches each endpoint over internal networks alone.
import { describe, expect, it } from 'vitest'
import { metricsTargets, SERVICE_CATALOGUE, type DeploymentSpec, type ServiceName } from '@messenger-stack/config-schema'
import { parseCompose } from './_fixtures.js'
import { coverageSpecs } from './_walk.js'
import { composeFilesFor } from '../src/index.js'

type Networks = Record<string, { name: string; external?: boolean; internal?: boolean }>

/** Every service of every compose file of a spec, with the networks of the file it is in. */
function servicesOf(spec: DeploymentSpec): Array<{ key: string; networks: string[]; ports: string[]; declared: Networks }> {
  return composeFilesFor(spec).flatMap((file) => {
    const doc = parseCompose(file.content)
    return Object.entries(doc.services).map(([key, svc]) => ({
      key,
      networks: Object.keys((svc.networks ?? {}) as object),
      ports: svc.ports ?? [],
      declared: doc.networks as Networks,
    }))
  })
}

const withMonitoring = coverageSpecs().filter(([, s]) => s.monitoring !== undefined)
const without = coverageSpecs().filter(([, s]) => s.monitoring === undefined)

it('covers both modes, with and without the exporters and Prometheus', () => {
  expect(new Set(withMonitoring.map(([, s]) => s.mode))).toEqual(new Set(['standalone', 'microservice']))
  expect(withMonitoring.some(([, s]) => s.monitoring?.prometheus.enabled === true)).toBe(true)
  expect(withMonitoring.some(([, s]) => s.monitoring?.prometheus.enabled === false)).toBe(true)
})

describe.each(withMonitoring)('the metrics network of %s', (_label, s) => {
  const services = servicesOf(s)
  const metrics = `${s.serviceName}-metrics`
  const targets = metricsTargets(s)

  it('is internal, and joined by exactly the services with a metrics endpoint and the monitoring services', () => {
    const members = services.filter((svc) => svc.networks.includes(metrics))
    expect(members[0]?.declared[metrics]).toEqual({ name: metrics, internal: true })
    const expected = services
      .map((svc) => svc.key as ServiceName)
      .filter((key) => SERVICE_CATALOGUE[key].metrics !== false || SERVICE_CATALOGUE[key].monitor)
    expect(members.map((svc) => svc.key)).toEqual(expected)
    expect(targets.map((target) => target.service)).toEqual(expected.filter((key) => SERVICE_CATALOGUE[key].metrics !== false))
  })

  it("keeps every metrics endpoint off the gateway's network and unpublished", () => {
    for (const target of targets) {
      const svc = services.find((candidate) => candidate.key === target.service)!
      if (s.mode === 'microservice') expect(svc.networks, target.service).not.toContain(s.gateway.network)
      for (const port of svc.ports) expect(port, target.service).not.toMatch(new RegExp(`:${target.port}(/tcp)?$`))
    }
  })

  it('lets the exporters and Prometheus join internal networks only: Prometheus shares nothing else with what it scrapes', () => {
    for (const svc of services.filter((candidate) => SERVICE_CATALOGUE[candidate.key as ServiceName].monitor)) {
      for (const network of svc.networks) expect(svc.declared[network]?.internal, `${svc.key} on ${network}`).toBe(true)
      expect(svc.ports, svc.key).toEqual([])
    }
    const prometheus = services.find((svc) => svc.key === 'prometheus')
    if (prometheus !== undefined) expect(prometheus.networks).toEqual([metrics])
  })
})

describe.each(without)('without monitoring, %s', (_label, s) => {
  it('has no metrics network', () => {
    for (const svc of servicesOf(s)) expect(svc.networks).not.toContain(`${s.serviceName}-metrics`)
  })
})
