// The Kubernetes target: manifests printed from the service catalogue, holding the compose
// bundle's configuration files unchanged, hardened for Pod Security `restricted`, never two
// Synapse mains, secret values never inside.
import { describe, expect, it } from 'vitest'
import {
  RESOURCE_PROFILES,
  SERVICE_CATALOGUE,
  parseDeploymentSpec,
  safeParseDeploymentSpec,
  workloads,
  type ServiceName,
} from '@messenger-stack/config-schema'
import { renderAll } from '../src/render-all.js'
import { kubernetesWorkloads } from '../src/kubernetes/manifests.js'
import { KUBERNETES_EXAMPLES, composeTwin, kubernetesExample, manifestsOf, podTemplates } from './_kubernetes-support.js'

// Keys that would carry a secret inline (as in secret-free.test.ts), looked for inside every ConfigMap file.
const INLINE_SECRET_KEY =
  /^\s*(?:macaroon_secret_key|registration_shared_secret|form_secret|password|requirepass|api_secret|keys|LIVEKIT_SECRET|LIVEKIT_API_SECRET|POSTGRES_PASSWORD|REDIS_PASSWORD|PGPASSWORD)\s*[:=]\s*\S/m

const KUBERNETES_BASE = { mode: 'microservice', target: 'kubernetes', serverName: 'example.org' }

it('has Kubernetes examples to check', () => {
  expect(KUBERNETES_EXAMPLES).toEqual(expect.arrayContaining(['kubernetes', 'kubernetes-minimal']))
})

describe.each(KUBERNETES_EXAMPLES)('examples/%s on Kubernetes', (name) => {
  const { input, spec, files, objects } = kubernetesExample(name)
  const compose = renderAll(composeTwin(input))

  it('renders manifests and a kustomization.yaml listing every one of them', () => {
    const manifests = files.filter((file) => file.path.startsWith('kubernetes/') && file.path !== 'kubernetes/kustomization.yaml')
    const kustomization = files.find((file) => file.path === 'kubernetes/kustomization.yaml')!.content
    const listed = [...kustomization.matchAll(/^ {2}- (.+)$/gm)].map((match) => `kubernetes/${match[1]}`)
    expect([...listed].sort()).toEqual(manifests.map((file) => file.path).sort())
    expect(listed[0]).toBe('kubernetes/namespace.yaml')
    expect(files.some((file) => file.path.startsWith('docker-compose.'))).toBe(false)
  })

  it('every ConfigMap file is, byte for byte, the compose bundle file of that name', () => {
    let compared = 0
    for (const map of objects.filter((object) => object.kind === 'ConfigMap' && object.metadata.name.endsWith('-files'))) {
      for (const [key, content] of Object.entries(map.data as Record<string, string>)) {
        const twin = compose.filter((file) => file.path === key || file.path.endsWith(`/${key}`))
        expect(
          twin.map((file) => file.path),
          `${map.metadata.name} ${key}`,
        ).toHaveLength(1)
        expect(content, `${map.metadata.name} ${key}`).toBe(twin[0]!.content)
        compared++
      }
    }
    // homeserver.yaml, log.config, postgresql.conf, pg_hba.conf, the init script, redis.conf at least
    expect(compared).toBeGreaterThanOrEqual(6)
  })

  it("lk-jwt-service's variables are those of the compose bundle's env file", () => {
    const env = objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name.endsWith('-lk-jwt-service-env'))
    const file = compose.find((candidate) => candidate.path === 'livekit/lk-jwt-service.env')
    if (!spec.livekit.enabled) return expect(env ?? file).toBeUndefined()
    const lines = file!.content.split('\n').filter((line) => /^[A-Z_]+=/.test(line))
    expect(Object.entries(env!.data).map(([key, value]) => `${key}=${value}`)).toEqual(lines)
  })

  it('no ConfigMap file sets a secret-bearing key inline, and no Secret object is rendered', () => {
    for (const map of objects.filter((object) => object.kind === 'ConfigMap'))
      for (const [key, content] of Object.entries(map.data as Record<string, string>))
        expect(INLINE_SECRET_KEY.exec(`${key}=${content}`)?.[0], `${map.metadata.name} ${key}`).toBeUndefined()
    expect(objects.filter((object) => object.kind === 'Secret')).toEqual([])
  })

  it('the namespace enforces and warns Pod Security restricted, and every object lives in it', () => {
    const namespace = objects.find((object) => object.kind === 'Namespace')!
    expect(namespace.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    })
    for (const object of objects.filter((candidate) => candidate.kind !== 'Namespace'))
      expect(object.metadata.namespace, `${object.kind}/${object.metadata.name}`).toBe(namespace.metadata.name)
  })

  it('runs exactly the catalogue services the spec enables, edge proxies aside', () => {
    const expected = workloads(spec)
      .map((workload) => workload.service)
      .filter((service) => SERVICE_CATALOGUE[service].edge === false)
    const running = podTemplates(objects).map(({ template }) => template.metadata.labels['app.kubernetes.io/component'])
    expect([...running].sort()).toEqual([...expected].sort())
    expect(running).not.toContain('router')
    expect(running).not.toContain('nginx')
  })

  it('never runs two Synapse mains: one StatefulSet, one replica, each pod gone before the next starts', () => {
    const synapse = podTemplates(objects).filter(({ template }) => template.metadata.labels['app.kubernetes.io/component'] === 'synapse')
    expect(synapse.map(({ kind }) => kind)).toEqual(['StatefulSet'])
    const controller = objects.find((object) => object.kind === 'StatefulSet' && object.metadata.name === synapse[0]!.name)!
    expect(controller.spec.replicas).toBe(1)
    expect(controller.spec.podManagementPolicy).toBe('OrderedReady')
    expect(objects.some((object) => object.kind === 'HorizontalPodAutoscaler')).toBe(false)
  })

  it('PostgreSQL and Redis are StatefulSets; stateless services roll, LiveKit is recreated', () => {
    const kinds = Object.fromEntries(
      podTemplates(objects).map(({ kind, template, name: controller }) => [
        template.metadata.labels['app.kubernetes.io/component'],
        { kind, controller },
      ]),
    )
    expect(kinds.postgres?.kind).toBe('StatefulSet')
    expect(kinds.redis?.kind).toBe('StatefulSet')
    for (const object of objects.filter((candidate) => candidate.kind === 'Deployment')) {
      const service = object.spec.template.metadata.labels['app.kubernetes.io/component'] as ServiceName
      expect(object.spec.strategy.type, service).toBe(SERVICE_CATALOGUE[service].stateful ? 'Recreate' : 'RollingUpdate')
    }
  })

  it('every pod is hardened: spec UID/GID, non-root, read-only root, no capabilities, RuntimeDefault seccomp, no token', () => {
    for (const { name: controller, template } of podTemplates(objects)) {
      const pod = template.spec
      expect(pod.automountServiceAccountToken, controller).toBe(false)
      expect(pod.hostNetwork ?? false, controller).toBe(false)
      expect(pod.securityContext, controller).toMatchObject({
        runAsNonRoot: true,
        runAsUser: spec.containerUser.uid,
        runAsGroup: spec.containerUser.gid,
        seccompProfile: { type: 'RuntimeDefault' },
      })
      for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
        expect(container.securityContext, `${controller} ${container.name}`).toEqual({
          runAsNonRoot: true,
          runAsUser: spec.containerUser.uid,
          runAsGroup: spec.containerUser.gid,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        })
        expect(container.ports?.some((port: { hostPort?: number }) => port.hostPort !== undefined) ?? false).toBe(false)
      }
    }
  })

  it('memory comes from the resource profile, probes from the catalogue health checks', () => {
    const byName = new Map(kubernetesWorkloads(spec).map((workload) => [workload.name, workload]))
    for (const { template } of podTemplates(objects)) {
      const service = template.metadata.labels['app.kubernetes.io/component'] as ServiceName
      const workload = byName.get(template.metadata.labels['app.kubernetes.io/name'])!
      const [container] = template.spec.containers
      // A worker's limit is the profile's worker limit or a share of it (workloads.ts); every other service's is the profile's.
      if (service !== 'synapse-worker') expect(workload.memoryMb, service).toBe(RESOURCE_PROFILES[spec.resources].memoryLimitsMb[service])
      const memory = `${workload.memoryMb}Mi`
      expect(container.resources, service).toEqual({ requests: { memory }, limits: { memory } })
      const health = workload.health
      const command = health.kind === 'exec' ? health.command : health.kind === 'shell' ? ['sh', '-c', health.script] : undefined
      expect(container.livenessProbe?.exec.command, service).toEqual(command)
      expect(container.readinessProbe?.exec.command, service).toEqual(command)
    }
  })

  it('pods read secrets from the one Secret, by name, only the files their catalogue record mounts', () => {
    const byService = new Map(kubernetesWorkloads(spec).map((workload) => [workload.service, workload]))
    for (const { template } of podTemplates(objects)) {
      const service = template.metadata.labels['app.kubernetes.io/component'] as ServiceName
      const wanted = byService
        .get(service)!
        .mounts.flatMap((mount) => (mount.kind === 'secret' ? [mount.file] : []))
        .sort()
      const secrets = (template.spec.volumes ?? []).filter((volume: { secret?: unknown }) => volume.secret !== undefined)
      if (wanted.length === 0) {
        expect(secrets, service).toEqual([])
        continue
      }
      expect(secrets.map((volume: { secret: { secretName: string } }) => volume.secret.secretName)).toEqual([`${spec.serviceName}-secrets`])
      expect(secrets[0].secret.items.map((item: { key: string }) => item.key).sort(), service).toEqual(wanted)
    }
  })
})

describe('LiveKit media ports', () => {
  const mediaService = (extra: Record<string, unknown>) =>
    manifestsOf(renderAll(parseDeploymentSpec({ ...KUBERNETES_BASE, ...extra }))).find((object) =>
      object.metadata.name.endsWith('-livekit-media'),
    )!

  it('a LoadBalancer takes every published LiveKit port, numbers unchanged, client addresses kept', () => {
    const service = mediaService({ livekit: { udpPort: 7882, turn: { relayRange: { start: 30000, end: 30002 } } } })
    expect(service.spec.type).toBe('LoadBalancer')
    expect(service.spec.externalTrafficPolicy).toBe('Local')
    expect(
      service.spec.ports.map(
        (port: { name: string; protocol: string; port: number; targetPort: number }) =>
          `${port.name} ${port.protocol} ${port.port}>${port.targetPort}`,
      ),
    ).toMatchInlineSnapshot(`
        [
          "ice-tcp TCP 7881>7881",
          "media UDP 7882>7882",
          "turn UDP 3478>3478",
          "relay-30000 UDP 30000>30000",
          "relay-30001 UDP 30001>30001",
          "relay-30002 UDP 30002>30002",
        ]
      `)
  })

  it('a NodePort uses node ports equal to the ports LiveKit advertises', () => {
    const livekit = { tcpPort: 31881, udpPort: 31882, turn: { udpPort: 31478, relayRange: { start: 32000, end: 32001 } } }
    const service = mediaService({ livekit, kubernetes: { livekitMedia: 'nodePort' } })
    expect(service.spec.type).toBe('NodePort')
    for (const port of service.spec.ports) expect(port.nodePort).toBe(port.port)
  })

  it('without calls, nothing of LiveKit is rendered', () => {
    const objects = manifestsOf(renderAll(parseDeploymentSpec({ ...KUBERNETES_BASE, livekit: { enabled: false } })))
    expect(objects.filter((object) => object.metadata.name.includes('livekit'))).toEqual([])
  })
})

describe('specs the Kubernetes target refuses, with the reason', () => {
  const messages = (input: Record<string, unknown>) => {
    const result = safeParseDeploymentSpec(input)
    return result.success
      ? []
      : result.issues.filter((issue) => issue.code === 'kubernetes_target').map((issue) => `${issue.path.join('.')}: ${issue.message}`)
  }

  it('monitoring, which rendered an internal error before (no storage size for the prometheus volume)', () => {
    const input = { ...KUBERNETES_BASE, monitoring: { postgresExporter: true, prometheus: { enabled: true } } }
    expect(messages(input)).toMatchInlineSnapshot(`
      [
        "monitoring: monitoring is set, but the Kubernetes manifests do not print the metrics side yet: the compose bundle's internal metrics network, exporters and Prometheus would be NetworkPolicies and your cluster Prometheus's scrape objects there.",
      ]
    `)
    expect(() => parseDeploymentSpec(input)).toThrow('monitoring is set')
  })

  it('standalone mode, a support document, a media worker (other workers are fine), node ports outside the NodePort range', () => {
    expect(
      messages({ target: 'kubernetes', serverName: 'example.org', tls: { letsEncrypt: { email: 'a@example.org' } } }),
    ).toMatchInlineSnapshot(`
      [
        "mode: target is 'kubernetes', but mode is 'standalone': on Kubernetes the cluster's Ingress controller and cert-manager terminate TLS and route, as the gateway does in microservice mode; the standalone nginx and certbot do not run there.",
      ]
    `)
    expect(messages({ ...KUBERNETES_BASE, support: { contacts: [{ role: 'admin', email: 'admin@example.org' }] } })).toMatchInlineSnapshot(`
      [
        "support: support is set, but on Kubernetes nothing answers /.well-known/matrix/support: an ingress-nginx Ingress cannot serve a document of its own without configuration snippets, which are off by default.",
      ]
    `)
    expect(messages({ ...KUBERNETES_BASE, synapse: { workers: { preset: 'small' } } })).toEqual([])
    expect(messages({ ...KUBERNETES_BASE, synapse: { workers: { preset: 'recommended', pools: { media: 0 } } } })).toEqual([])
    expect(messages({ ...KUBERNETES_BASE, synapse: { workers: { preset: 'recommended' } } })).toMatchInlineSnapshot(`
      [
        "synapse.workers: synapse.workers runs a media worker, but the Kubernetes manifests do not print one: it would write Synapse's media store beside the main process, which on a cluster needs a ReadWriteMany volume that many storage classes do not offer.",
      ]
    `)
    expect(messages({ ...KUBERNETES_BASE, kubernetes: { livekitMedia: 'nodePort' } })).toMatchInlineSnapshot(`
      [
        "livekit.tcpPort: LiveKit's ice-tcp port 7881 is outside the NodePort range 30000-32767; LiveKit advertises the port it listens on, so its node port must be the same number.",
        "livekit.udpPort: LiveKit's media port 7882 is outside the NodePort range 30000-32767; LiveKit advertises the port it listens on, so its node port must be the same number.",
        "livekit.turn.udpPort: LiveKit's turn port 3478 is outside the NodePort range 30000-32767; LiveKit advertises the port it listens on, so its node port must be the same number.",
      ]
    `)
  })

  it('the same specs with target compose raise none of these', () => {
    expect(messages({ ...KUBERNETES_BASE, target: 'compose', kubernetes: { livekitMedia: 'nodePort' } })).toEqual([])
  })

  it('colours are ignored: LiveKit posts its webhooks to lk-jwt-service inside the namespace', () => {
    const livekit = manifestsOf(
      renderAll(parseDeploymentSpec({ ...KUBERNETES_BASE, gateway: { colourSwitched: ['lk-jwt-service'] } })),
    ).find((object) => object.metadata.name === 'messenger-livekit-files')!
    expect(livekit.data['config.yaml']).toContain('http://messenger-lk-jwt-service:8080/sfu_webhook')
  })
})
