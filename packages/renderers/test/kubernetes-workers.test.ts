// Synapse workers on Kubernetes: one StatefulSet per worker, Services named like their compose
// containers, the pools' Services, the replication edges, and THE ROUTING PROPERTY for the
// Ingresses: ingress-nginx tries a host's regex paths longest first, not in the route table's
// order, so every sample path of Synapse's worker table (the oracle file) is routed here as
// ingress-nginx would and must reach only processes upstream allows to serve it, and a worker
// for some of them.
import { describe, expect, it } from 'vitest'
import { deriveValues, parseDeploymentSpec, synapseWorkers, WORKER_CATALOGUE, type DeploymentSpec } from '@messenger-stack/config-schema'
import { renderAll } from '../src/render-all.js'
import { kubernetesExample, manifestsOf, type Manifest } from './_kubernetes-support.js'
import { exampleInput } from './_bundle-support.js'
import { regexSamples } from './support/regex-samples.js'
import { allowedProcesses, ORACLE_SAMPLE_LISTS } from './support/worker-routing-oracle.js'

const POOL_LABEL = 'messenger-stack/synapse-pool'

/** The examples/kubernetes spec with every stream writer and two of each pool (no media worker: refused on Kubernetes). */
function everyWriter(): DeploymentSpec {
  const input = exampleInput('kubernetes') as Record<string, any>
  return parseDeploymentSpec({
    ...input,
    synapse: {
      ...input.synapse,
      workers: {
        preset: 'recommended',
        pools: {
          client: 2,
          federation: 2,
          media: 0,
          typing: 1,
          toDevice: 1,
          accountData: 1,
          receipts: 2,
          presence: 1,
          pushRules: 1,
          deviceLists: 2,
        },
      },
    },
  })
}

const CASES: Record<string, DeploymentSpec> = {
  'examples/kubernetes': kubernetesExample('kubernetes').spec,
  'every stream writer, two of each pool': everyWriter(),
}

/** The ingress-nginx location a path takes on a host whose paths are regexes: exact first, then the longest path that matches. */
function ingressBackend(ingresses: readonly Manifest[], host: string, path: string): string | undefined {
  const candidates = ingresses.flatMap((ingress) =>
    (ingress.spec.rules as Manifest['spec'][])
      .filter((rule) => rule.host === host)
      .flatMap((rule) => rule.http.paths as Manifest['spec'][]),
  )
  const exact = candidates.find((entry) => entry.pathType === 'Exact' && entry.path === path)
  if (exact !== undefined) return exact.backend.service.name
  const ordered = candidates.filter((entry) => entry.pathType !== 'Exact').sort((a, b) => b.path.length - a.path.length)
  return ordered.find((entry) => new RegExp(`^${entry.path}`, 'i').test(path))?.backend.service.name
}

/** The Synapse processes behind each Service a Synapse route may name: the main's, each pool's. */
function processesBehind(spec: DeploymentSpec, objects: readonly Manifest[]): Map<string, string[]> {
  const behind = new Map<string, string[]>([[`${spec.serviceName}-synapse`, ['main']]])
  for (const service of objects.filter((object) => object.kind === 'Service' && object.spec.selector?.[POOL_LABEL] !== undefined)) {
    const slug = service.spec.selector[POOL_LABEL]
    behind.set(
      service.metadata.name,
      synapseWorkers(spec)
        .filter((worker) => WORKER_CATALOGUE[worker.kind].slug === slug)
        .map((worker) => worker.name),
    )
  }
  return behind
}

describe.each(Object.keys(CASES))('Synapse workers on Kubernetes, %s', (label) => {
  const spec = CASES[label]!
  const objects = manifestsOf(renderAll(spec))
  const workers = synapseWorkers(spec)
  const ingresses = objects.filter((object) => object.kind === 'Ingress')
  const host = deriveValues(spec).matrixHost

  it('every worker is a one-replica StatefulSet with a Service named like its compose container, no volume claim', () => {
    for (const worker of workers) {
      const name = `${spec.serviceName}-${worker.name}`
      const set = objects.find((object) => object.kind === 'StatefulSet' && object.metadata.name === name)
      expect(set?.spec.replicas, name).toBe(1)
      expect(set?.spec.serviceName).toBe(name)
      expect(set?.spec.volumeClaimTemplates).toBeUndefined()
      expect(set?.spec.template.metadata.labels[POOL_LABEL]).toBe(WORKER_CATALOGUE[worker.kind].slug)
      // The media store is the main process's alone (no media worker): an empty, writable folder Synapse may create media_store in.
      expect(set?.spec.template.spec.volumes).toContainEqual({ name: 'synapse-data', emptyDir: { sizeLimit: '1Mi' } })
      const data = set?.spec.template.spec.containers[0].volumeMounts.find((mount: Manifest['spec']) => mount.name === 'synapse-data')
      expect(data).toEqual({ name: 'synapse-data', mountPath: '/data' })
      expect(objects.some((object) => object.kind === 'Service' && object.metadata.name === name)).toBe(true)
      expect(objects.some((object) => object.kind === 'Deployment' && object.metadata.name === name)).toBe(false)
    }
  })

  it("every Service in a worker's config file (instance_map) exists with that port", () => {
    const maps = objects.filter((object) => object.kind === 'ConfigMap')
    const homeserver = maps.map((map) => map.data?.['homeserver.yaml']).find((text) => text !== undefined) as string
    const entries = [...homeserver.matchAll(/host: (\S+)\n\s+port: (\d+)/g)]
    expect(entries.length).toBeGreaterThan(1)
    for (const [, host, port] of entries) {
      const service = objects.find((object) => object.kind === 'Service' && object.metadata.name === host)
      expect(
        service?.spec.ports.map((entry: Manifest['spec']) => entry.port),
        host,
      ).toContain(Number(port))
    }
  })

  it('every sample path of the worker table reaches only processes upstream allows, and workers take some', () => {
    const behind = processesBehind(spec, objects)
    const wrong: string[] = []
    let toWorkers = 0
    let seed = 2026
    for (const [patterns, methods] of ORACLE_SAMPLE_LISTS) {
      for (const pattern of patterns) {
        for (const path of regexSamples(pattern, 3, seed++)) {
          const service = ingressBackend(ingresses, host, path)
          for (const method of methods) {
            const allowed = allowedProcesses(spec, method, path)
            const processes = service === undefined ? undefined : behind.get(service)
            if (allowed.has('refused')) {
              if (processes !== undefined) wrong.push(`${method} ${path} → ${service} (admin API)`)
              continue
            }
            if (processes === undefined || processes.length === 0 || processes.some((name) => !allowed.has(name)))
              wrong.push(`${method} ${path} → ${service} (allowed: ${[...allowed].join(', ')})`)
            else if (!processes.includes('main')) toWorkers++
          }
        }
      }
    }
    expect(wrong).toEqual([])
    expect(toWorkers).toBeGreaterThan(100)
  })

  it('sticky pools hash by access token, path or client address, each on a Service of its own', () => {
    const hashed = new Map<string, Set<string>>()
    for (const ingress of ingresses) {
      const backend = ingress.spec.rules[0].http.paths[0].backend.service.name as string
      const hash = ingress.metadata.annotations?.['nginx.ingress.kubernetes.io/upstream-hash-by'] ?? 'round-robin'
      hashed.set(backend, (hashed.get(backend) ?? new Set()).add(hash))
    }
    // ingress-nginx keeps one upstream per Service port: two hashings of one Service would clash.
    for (const [backend, hashes] of hashed) expect([...hashes], backend).toHaveLength(1)
    expect(hashed.get(`${spec.serviceName}-synapse-client-pool-by-token`)).toEqual(new Set(['$http_authorization$arg_access_token']))
    expect(hashed.get(`${spec.serviceName}-synapse-federation-pool-by-address`)).toEqual(new Set(['$remote_addr']))
  })

  it('replication: every Synapse process reaches the stream writers, nothing else reaches them', () => {
    const policies = objects.filter((object) => object.kind === 'NetworkPolicy')
    const writers = workers.filter((worker) => WORKER_CATALOGUE[worker.kind].streams.length > 0)
    expect(writers.length).toBeGreaterThan(0)
    for (const worker of writers) {
      const policy = policies.find((object) => object.metadata.name === `${spec.serviceName}-${worker.name}`)!
      const replication = objects
        .find((object) => object.kind === 'StatefulSet' && object.metadata.name === `${spec.serviceName}-${worker.name}`)!
        .spec.template.spec.containers[0].ports.find((port: Manifest['spec']) => port.name === 'replication').containerPort
      const rules = (policy.spec.ingress as Manifest['spec'][]).filter((rule) => rule.ports.some((port: any) => port.port === replication))
      const callers = rules.flatMap((rule) =>
        (rule.from ?? []).map((source: any) => source.podSelector?.matchLabels?.['app.kubernetes.io/component']),
      )
      expect(new Set(callers.filter((caller) => caller !== undefined))).toEqual(new Set(['synapse', 'synapse-worker']))
    }
    for (const component of ['synapse', 'synapse-worker']) {
      const policy = policies.find((object) => object.metadata.labels?.['app.kubernetes.io/component'] === component)!
      const reaches = (policy.spec.egress as Manifest['spec'][]).some((rule) =>
        (rule.to ?? []).some((peer: any) => peer.podSelector?.matchLabels?.['app.kubernetes.io/component'] === 'synapse-worker'),
      )
      expect(reaches, component).toBe(true)
    }
  })
})

describe('the media worker on Kubernetes', () => {
  it('is refused with the reason; the other workers are not', () => {
    const input = exampleInput('kubernetes') as Record<string, any>
    expect(() => parseDeploymentSpec({ ...input, synapse: { ...input.synapse, workers: { preset: 'recommended' } } })).toThrow(
      /media worker/,
    )
  })
})
