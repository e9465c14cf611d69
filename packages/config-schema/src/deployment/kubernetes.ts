import * as z from 'zod'

/**
 * What runs the containers. Kept apart from `mode`, which is the topology (does the bundle bring
 * its own edge proxy and certificates, or sit behind someone else's?): on Kubernetes the edge is
 * always the cluster's Ingress controller and cert-manager, so a Kubernetes deployment is the
 * microservice topology printed for another runtime, and its configuration files stay those of
 * the microservice compose bundle, byte for byte. See docs/kubernetes.md.
 */
export const DeploymentTargetSchema = z.enum(['compose', 'kubernetes']).register(z.globalRegistry, {
  description:
    "What runs the containers: 'compose' (docker compose files and scripts) or 'kubernetes' (manifests and a kustomization.yaml under kubernetes/, for `kubectl apply -k`; needs mode 'microservice': the cluster's Ingress controller is the gateway).",
})

/** A deployment target. */
export type DeploymentTarget = z.output<typeof DeploymentTargetSchema>

/** A Kubernetes object name that is also a DNS label: lowercase letters, digits and `-`. */
const DnsLabelSchema = z
  .string()
  .regex(/^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/, { error: 'must be a DNS label: lowercase letters, digits and "-", starting with a letter' })

/** A storage size in Kubernetes quantity notation, binary units. */
const StorageSizeSchema = z.string().regex(/^[1-9][0-9]{0,5}(Mi|Gi|Ti)$/, { error: 'must be a size such as "10Gi" or "500Mi"' })

/**
 * How LiveKit's media ports reach it from outside the cluster. Host networking (and host ports)
 * are not offered: Pod Security `restricted`, which the namespace enforces, refuses both.
 */
export const LiveKitMediaExposureSchema = z.enum(['loadBalancer', 'nodePort']).register(z.globalRegistry, {
  description:
    "How LiveKit's ICE/TCP, UDP media and TURN ports reach it: 'loadBalancer' (a Service of type LoadBalancer with TCP and UDP, ports unchanged; set livekit.nodeIp to its address) or 'nodePort' (a NodePort Service whose node ports equal LiveKit's ports, so every port must lie in the cluster's NodePort range, 30000-32767 by default). Host networking is not offered: Pod Security 'restricted' refuses it.",
})

/** Kubernetes options: used only with `target: kubernetes`. */
export const KubernetesOptionsSchema = z
  .strictObject({
    namespace: DnsLabelSchema.optional().register(z.globalRegistry, {
      description: 'Namespace of every object (created with Pod Security `restricted`). Defaults to `serviceName`.',
    }),
    ingressClassName: DnsLabelSchema.default('nginx').register(z.globalRegistry, {
      description: 'IngressClass of the ingress-nginx controller that serves the routes.',
    }),
    ingressNamespace: DnsLabelSchema.default('ingress-nginx').register(z.globalRegistry, {
      description:
        'Namespace of the Ingress controller pods: the only pods NetworkPolicies let reach the proxied services from outside the namespace.',
    }),
    clusterIssuer: z
      .string()
      .regex(/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/, { error: 'must be a Kubernetes object name such as "letsencrypt"' })
      .default('letsencrypt')
      .register(z.globalRegistry, { description: "cert-manager ClusterIssuer that obtains the Ingress certificate (Let's Encrypt, say)." }),
    livekitMedia: LiveKitMediaExposureSchema.default('loadBalancer'),
    storageClassName: DnsLabelSchema.optional().register(z.globalRegistry, {
      description: "StorageClass of the persistent volumes (PostgreSQL data, Synapse media). Defaults to the cluster's default class.",
    }),
    storage: z
      .strictObject({
        postgres: StorageSizeSchema.default('10Gi').register(z.globalRegistry, { description: 'Size of the PostgreSQL data volume.' }),
        synapse: StorageSizeSchema.default('50Gi').register(z.globalRegistry, {
          description: "Size of Synapse's data volume (the media store).",
        }),
      })
      .prefault({})
      .register(z.globalRegistry, { description: 'Sizes of the persistent volumes.' }),
  })
  .register(z.globalRegistry, {
    description: 'Kubernetes options (target kubernetes only): namespace, Ingress, certificates, LiveKit media, storage.',
  })

/** Parsed Kubernetes options. */
export type KubernetesOptions = z.output<typeof KubernetesOptionsSchema>
