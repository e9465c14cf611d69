// The Kubernetes network: NetworkPolicies allow exactly the connections the service catalogue
// declares, and the Ingresses route the route table's paths as the nginx site does (same
// targets, prefix strips, body size, WebSocket timeouts, CORS), never the admin API.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SERVICE_CATALOGUE, deriveValues, parseDeploymentSpec, workersEnabled, type ServiceName } from '@messenger-stack/config-schema'
import { renderAll } from '../src/render-all.js'
import { ingressRegexPath } from '../src/kubernetes/ingress.js'
import { KUBERNETES_EXAMPLES, kubernetesExample, manifestsOf, type Manifest } from './_kubernetes-support.js'

const COMPONENT = 'app.kubernetes.io/component'
const POOL = 'messenger-stack/synapse-pool'

/** The catalogue's connections among running services, computed here from the records themselves. */
function declared(running: readonly ServiceName[]): Set<string> {
  const pairs = new Set<string>()
  for (const from of running)
    for (const to of [...SERVICE_CATALOGUE[from].dependsOn, ...SERVICE_CATALOGUE[from].connectsTo])
      if (running.includes(to)) pairs.add(`${from}>${to}`)
  return pairs
}

/** What the policies let through between pods of the namespace: egress of one side and ingress of the other (any pod of each service). */
function allowed(policies: readonly Manifest[]): Set<string> {
  const byService = new Map<string, Manifest[]>()
  for (const policy of policies) {
    const service = policy.metadata.labels?.[COMPONENT]
    if (service !== undefined) byService.set(service, [...(byService.get(service) ?? []), policy])
  }
  const pairs = new Set<string>()
  for (const [from, own] of byService) {
    for (const rule of own.flatMap((policy) => policy.spec.egress ?? [])) {
      for (const peer of rule.to ?? []) {
        const to = peer.podSelector?.matchLabels?.[COMPONENT]
        if (to === undefined) continue
        const admits = (byService.get(to) ?? []).some((target) =>
          (target.spec.ingress ?? []).some((inRule: Manifest['spec']) =>
            (inRule.from ?? []).some((source: Manifest['spec']) => source.podSelector?.matchLabels?.[COMPONENT] === from),
          ),
        )
        if (admits) pairs.add(`${from}>${to}`)
      }
    }
  }
  return pairs
}

/**
 * The replication connections of `instance_map`, beside the catalogue's: every Synapse process
 * reaches the workers that write a stream (those with a replication port).
 */
function replication(objects: readonly Manifest[]): string[] {
  const writers = objects.some(
    (object) =>
      object.kind === 'StatefulSet' &&
      object.spec.template.metadata.labels[COMPONENT] === 'synapse-worker' &&
      object.spec.template.spec.containers[0].ports.some((port: Manifest['spec']) => port.name === 'replication'),
  )
  return writers ? ['synapse>synapse-worker', 'synapse-worker>synapse-worker'] : []
}

describe.each(KUBERNETES_EXAMPLES)('NetworkPolicies of examples/%s', (name) => {
  const { spec, objects } = kubernetesExample(name)
  const policies = objects.filter((object) => object.kind === 'NetworkPolicy')
  const running = [
    ...new Set(
      objects
        .filter((object) => object.kind === 'StatefulSet' || object.kind === 'Deployment')
        .map((object) => object.spec.template.metadata.labels[COMPONENT]),
    ),
  ] as ServiceName[]
  const policyOf = (service: string) => policies.find((policy) => policy.metadata.labels?.[COMPONENT] === service)!

  it('deny everything in and out by default', () => {
    const deny = policies.find((policy) => policy.metadata.name.endsWith('-default-deny'))!
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] })
  })

  it('let pods reach each other exactly along the catalogue edges', () => {
    expect([...allowed(policies)].sort()).toEqual([...declared(running), ...replication(objects)].sort())
    expect(declared(running)).toContain('synapse>postgres')
  })

  it('PostgreSQL and Redis: reached from the Synapse processes only, on their port; they reach nothing but DNS', () => {
    const synapse = (['synapse', 'synapse-worker'] as const).filter((service) => running.includes(service))
    for (const store of ['postgres', 'redis']) {
      const policy = policyOf(store)
      expect(
        policy.spec.ingress.flatMap((rule: Manifest['spec']) => rule.from),
        store,
      ).toEqual(
        synapse.map((caller) => ({
          podSelector: { matchLabels: { [COMPONENT]: caller, 'app.kubernetes.io/instance': spec.serviceName } },
        })),
      )
      expect(policy.spec.egress, store).toEqual([
        {
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
      ])
    }
  })

  it('only proxied services accept the Ingress controller (of the workers, those of a routed pool), on the ports the route table names', () => {
    const routedPools = new Set(
      objects.flatMap((object) =>
        object.kind === 'Service' && object.spec.selector[POOL] !== undefined ? [object.spec.selector[POOL]] : [],
      ),
    )
    const poolOf = new Map(
      objects.flatMap((object) =>
        object.kind === 'StatefulSet' ? [[object.metadata.name, object.spec.template.metadata.labels[POOL]]] : [],
      ),
    )
    for (const policy of policies.filter((candidate) => candidate.metadata.labels?.[COMPONENT] !== undefined)) {
      const service = policy.metadata.labels[COMPONENT] as ServiceName
      const fromIngress = (policy.spec.ingress as Manifest['spec'][]).filter((rule) =>
        (rule.from ?? []).some((source: Manifest['spec']) => source.namespaceSelector !== undefined),
      )
      const routed =
        service === 'synapse-worker'
          ? routedPools.has(poolOf.get(`${spec.serviceName}-${policy.metadata.labels['app.kubernetes.io/name']}`))
          : SERVICE_CATALOGUE[service].proxied
      expect(fromIngress.length, policy.metadata.name).toBe(routed ? 1 : 0)
      if (fromIngress.length > 0)
        expect(fromIngress[0].from).toEqual([
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': spec.kubernetes.ingressNamespace } } },
        ])
    }
  })

  it('admit the Internet only on published ports (LiveKit media), and let only non-data-stores out to it', () => {
    for (const policy of policies.filter((candidate) => candidate.metadata.labels?.[COMPONENT] !== undefined)) {
      const service = policy.metadata.labels[COMPONENT] as ServiceName
      const openIn = (policy.spec.ingress as Manifest['spec'][]).some((rule) =>
        (rule.from ?? []).some((source: Manifest['spec']) => source.ipBlock),
      )
      expect(openIn, service).toBe(service === 'livekit')
      const openOut = (policy.spec.egress as Manifest['spec'][]).some((rule) =>
        (rule.to ?? []).some((peer: Manifest['spec']) => peer.ipBlock),
      )
      expect(openOut, service).toBe(!SERVICE_CATALOGUE[service].dataStore)
      for (const rule of policy.spec.egress as Manifest['spec'][])
        for (const peer of rule.to ?? []) if (peer.ipBlock?.cidr === '0.0.0.0/0') expect(peer.ipBlock.except).toContain('10.0.0.0/8')
    }
  })
})

/** How ingress-nginx picks a location on a host whose paths are regexes: exact first, then the longest path that matches. */
function route(
  ingresses: readonly Manifest[],
  host: string,
  path: string,
): { service: string; upstreamPath: string; ingress: Manifest } | undefined {
  const candidates = ingresses.flatMap((ingress) =>
    (ingress.spec.rules as Manifest['spec'][])
      .filter((rule) => rule.host === host)
      .flatMap((rule) => (rule.http.paths as Manifest['spec'][]).map((entry) => ({ ingress, entry }))),
  )
  const exact = candidates.find(({ entry }) => entry.pathType === 'Exact' && entry.path === path)
  const ordered = [...candidates]
    .filter(({ entry }) => entry.pathType !== 'Exact')
    .sort((a, b) => b.entry.path.length - a.entry.path.length)
  for (const { ingress, entry } of exact === undefined ? ordered : [exact]) {
    const match = new RegExp(`^${entry.path}`, 'i').exec(path)
    if (exact === undefined && match === null) continue
    const rewrite = ingress.metadata.annotations?.['nginx.ingress.kubernetes.io/rewrite-target']
    return { service: entry.backend.service.name, upstreamPath: rewrite === '/$1' ? `/${match?.[1] ?? ''}` : path, ingress }
  }
  return undefined
}

describe.each(KUBERNETES_EXAMPLES)('Ingresses of examples/%s', (name) => {
  const { spec, objects } = kubernetesExample(name)
  const ingresses = objects.filter((object) => object.kind === 'Ingress')
  const host = deriveValues(spec).matrixHost
  const svc = (service: string) => `${spec.serviceName}-${service}`

  it('route each path where the nginx site routes it, with the same prefix strips', () => {
    const at = (path: string) => {
      const found = route(ingresses, host, path)
      return found === undefined ? 'none' : `${found.service} ${found.upstreamPath}`
    }
    // With workers, sync and login go to the client workers' pool (kubernetes-workers.test.ts checks every worker path).
    const workers = workersEnabled(spec)
    expect(at('/_matrix/client/v3/sync')).toBe(`${svc(workers ? 'synapse-client-pool-by-token' : 'synapse')} /_matrix/client/v3/sync`)
    expect(at('/_matrix/client/v3/login')).toBe(`${svc(workers ? 'synapse-client-pool' : 'synapse')} /_matrix/client/v3/login`)
    expect(route(ingresses, host, '/_matrix/client/v3/login')!.ingress.metadata.annotations['nginx.ingress.kubernetes.io/limit-rpm']).toBe(
      '30',
    )
    expect(at('/_matrix/federation/v1/version')).toBe(
      `${svc(workers ? 'synapse-federation-pool' : 'synapse')} /_matrix/federation/v1/version`,
    )
    expect(at('/_synapse/client/oidc/callback')).toBe(`${svc('synapse')} /_synapse/client/oidc/callback`)
    expect(at('/.well-known/matrix/client')).toBe(`${svc('synapse')} /.well-known/matrix/client`)
    if (spec.livekit.enabled) {
      expect(at(`${spec.livekit.jwtPath}/sfu/get`)).toBe(`${svc('lk-jwt-service')} /sfu/get`)
      expect(at(`${spec.livekit.sfuPath}/rtc`)).toBe(`${svc('livekit')} /rtc`)
      expect(at('/twirp/livekit.RoomService/CreateRoom')).toBe(`${svc('livekit')} /twirp/livekit.RoomService/CreateRoom`)
    }
    if (spec.elementWeb.enabled) expect(at('/')).toBe(`${svc('element-web')} /`)
  })

  it('never send the admin API to Synapse, whatever its spelling', () => {
    for (const path of ['/_synapse/admin/v1/users/@a:b', '/_synapse/admin', '/_SYNAPSE/admin/v2/users', '/_synapse/admin/v1/register'])
      expect(route(ingresses, host, path)?.service, path).not.toBe(svc('synapse'))
  })

  it('carry the body size, WebSocket timeouts and CORS of the route table, one certificate for every host', () => {
    const annotations = (path: string) => route(ingresses, host, path)!.ingress.metadata.annotations
    expect(annotations('/_matrix/media/v3/upload')['nginx.ingress.kubernetes.io/proxy-body-size']).toBe(
      String(deriveValues(spec).maxUploadBytes),
    )
    expect(annotations('/.well-known/matrix/client')).toMatchObject({
      'nginx.ingress.kubernetes.io/enable-cors': 'true',
      'nginx.ingress.kubernetes.io/cors-allow-origin': '*',
    })
    if (spec.livekit.enabled)
      expect(annotations(`${spec.livekit.sfuPath}/rtc`)['nginx.ingress.kubernetes.io/proxy-read-timeout']).toBe('120')
    expect(
      ingresses.filter((ingress) => ingress.metadata.annotations?.['cert-manager.io/cluster-issuer'] === spec.kubernetes.clusterIssuer),
    ).toHaveLength(1)
    for (const ingress of ingresses) {
      expect(ingress.spec.ingressClassName).toBe(spec.kubernetes.ingressClassName)
      expect(ingress.spec.tls).toEqual([{ hosts: [...deriveValues(spec).publicHosts].sort(), secretName: `${spec.serviceName}-tls` }])
    }
  })
})

describe('ingressRegexPath', () => {
  it('turns anchored route regexes into Ingress paths that start with /', () => {
    expect(ingressRegexPath('^/\\.well-known/matrix/(client|server)$')).toBe('/\\.well-known/matrix/(client|server)$')
    expect(ingressRegexPath('^(/_matrix|/_synapse/client)')).toBe('/(?:_matrix|_synapse/client)')
    expect(ingressRegexPath('^(/a/(b|c)|/d\\)|/e)x')).toBe('/(?:a/(b|c)|d\\)|e)x')
    expect(() => ingressRegexPath('/unanchored')).toThrow(/Cannot print/)
    expect(() => ingressRegexPath('^(a|/b)')).toThrow(/Cannot print/)
  })

  it('agrees with the one-character-string walk it replaced, on generated patterns', () => {
    // The walk as it was: alternatives gathered, checked and joined at the end.
    const reference = (pattern: string): string => {
      if (pattern.startsWith('^/')) return pattern.slice(1)
      if (!pattern.startsWith('^(')) throw new Error('refused')
      const alternatives: string[] = []
      const open = pattern.startsWith('^(?:') ? 4 : 2
      let depth = 0
      let start = open
      let end = -1
      for (let index = open; index < pattern.length && end < 0; index++) {
        const char = pattern[index]
        if (char === '\\') index++
        else if (char === '(') depth++
        else if (char === ')' && depth > 0) depth--
        else if (char === ')') {
          alternatives.push(pattern.slice(start, index))
          end = index
        } else if (char === '|' && depth === 0) {
          alternatives.push(pattern.slice(start, index))
          start = index + 1
        }
      }
      if (end < 0 || alternatives.some((alternative) => !alternative.startsWith('/'))) throw new Error('refused')
      return `/(?:${alternatives.map((alternative) => alternative.slice(1)).join('|')})${pattern.slice(end + 1)}`
    }
    const outcome = (print: (pattern: string) => string, pattern: string): string => {
      try {
        return print(pattern)
      } catch {
        return 'refused'
      }
    }
    const part = fc.constantFrom('/', '/', '/a', 'b', '(', ')', '|', '\\', '\\)', '?:', '$', '.*')
    const pattern = fc
      .tuple(fc.constantFrom('^(', '^(?:', '^/', '^', ''), fc.array(part, { maxLength: 14 }))
      .map(([lead, parts]) => lead + parts.join(''))
    fc.assert(
      fc.property(pattern, (text) => {
        // Twice: the second answer of a kept pattern comes from the process's memo.
        expect(outcome(ingressRegexPath, text)).toBe(outcome(reference, text))
        expect(outcome(ingressRegexPath, text)).toBe(outcome(reference, text))
      }),
      { numRuns: 20_000, seed: 1522 },
    )
  })

  it('without calls or Element Web, only the Matrix routes remain', () => {
    const objects = manifestsOf(
      renderAll(
        parseDeploymentSpec({
          mode: 'microservice',
          target: 'kubernetes',
          serverName: 'example.org',
          livekit: { enabled: false },
          elementWeb: { enabled: false },
        }),
      ),
    )
    expect(objects.filter((object) => object.kind === 'Ingress').map((object) => object.metadata.name)).toEqual([
      'messenger-well-known',
      'messenger-login',
      'messenger-matrix',
    ])
  })
})
