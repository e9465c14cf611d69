import * as z from 'zod'
import { withHint } from '../errors/field-hints.js'
import { BackupsSchema } from './backups.js'
import { MonitoringSchema } from './monitoring.js'
import { AcknowledgedRisksSchema } from './risks.js'
import { ContainerUserSchema, GatewayOptionsSchema, TlsOptionsSchema } from './access.js'
import { PostgresOptionsSchema, RedisOptionsSchema } from './data-stores.js'
import { ElementWebOptionsSchema } from './element-web.js'
import { ImagesSchema } from './images.js'
import { DeploymentTargetSchema, KubernetesOptionsSchema } from './kubernetes.js'
import { LiveKitOptionsSchema } from './livekit.js'
import { DeploymentModeSchema, DnsNameSchema } from './primitives.js'
import { ResourceProfileSchema } from './resources.js'
import { SupportSchema } from './support.js'
import { SynapseOptionsSchema } from './synapse.js'
import { WellKnownOptionsSchema } from './well-known.js'

/**
 * The deployment spec: one typed description of a self-hosted Matrix service, from which
 * every file is rendered. Keys are camelCase and ours; upstream spelling lives only in the
 * `extraConfig` escape hatches.
 */
export const DeploymentSpecSchema = z
  .strictObject({
    $schema: withHint(z.string().max(500), { invalid: 'use a path or URL of at most 500 characters, or remove it.' })
      .optional()
      .register(z.globalRegistry, { description: 'JSON Schema reference for editors; ignored when rendering.' }),
    serviceName: withHint(
      z
        .string()
        .regex(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/, { error: 'must be 2 to 32 lowercase letters, digits or "-", starting with a letter' }),
      { invalid: 'use 2 to 32 lowercase letters, digits or "-", such as "messenger".' },
    )
      .default('messenger')
      .register(z.globalRegistry, {
        description: 'Name prefix of containers, volumes and the compose project (the original SERVICE_NAME).',
      }),
    mode: DeploymentModeSchema.default('standalone').register(z.globalRegistry, {
      description:
        "'standalone': one compose project with its own nginx and Let's Encrypt. 'microservice': behind an existing nginx gateway with blue/green switching.",
    }),
    target: DeploymentTargetSchema.default('compose'),
    serverName: withHint(
      DnsNameSchema.meta({
        description: 'The Matrix server name: the domain in user IDs such as @alice:example.org. It can never change later.',
      }),
      { missing: 'add serverName, the domain of your Matrix IDs, such as "serverName: example.org".' },
    ),
    matrixHost: DnsNameSchema.optional().register(z.globalRegistry, {
      description:
        'Host that serves the Matrix APIs. Defaults to `serverName`; when different, `https://<serverName>/.well-known/matrix/client` and `/server` delegate to it (see `wellKnown.servedBy`).',
    }),
    wellKnown: WellKnownOptionsSchema.prefault({}),
    containerUser: ContainerUserSchema.prefault({ uid: 1000, gid: 1000 }),
    resources: ResourceProfileSchema.default('small'),
    synapse: SynapseOptionsSchema.prefault({}),
    postgres: PostgresOptionsSchema.prefault({}),
    redis: RedisOptionsSchema.prefault({}),
    livekit: LiveKitOptionsSchema.prefault({}),
    elementWeb: ElementWebOptionsSchema.prefault({}),
    tls: TlsOptionsSchema.optional().register(z.globalRegistry, {
      description: "Standalone mode only: Let's Encrypt or certificate files (exactly one).",
    }),
    gateway: GatewayOptionsSchema.prefault({}),
    kubernetes: KubernetesOptionsSchema.prefault({}),
    images: ImagesSchema.prefault({}),
    backups: BackupsSchema.optional(),
    monitoring: MonitoringSchema.optional(),
    support: SupportSchema.optional(),
    acknowledgedRisks: AcknowledgedRisksSchema,
  })
  .register(z.globalRegistry, {
    title: 'messenger-stack deployment spec',
    description: 'One typed description of a self-hosted Matrix service (Synapse, PostgreSQL, Redis, LiveKit, Element Web, nginx).',
  })

// `DeploymentSpec` (the parsed spec, every default applied) is the interface generated from
// this schema's output JSON Schema, so its fields carry their descriptions in editors and in
// the API reference; `DeploymentSpecInput` (what users write) is in ./input.ts. A type test
// checks that both agree with zod's own input and output types.
export type { DeploymentSpec } from '../../schema/deployment-spec-parsed.js'
