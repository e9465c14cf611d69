import * as z from 'zod'
import { PortSchema } from '../deployment/primitives.js'

const AbsolutePathSchema = z.string().regex(/^\/[A-Za-z0-9_./-]+$/, { error: 'must be an absolute path' })

/** A worker or instance name: what `worker_name`, `instance_map` and `stream_writers` use. */
export const SynapseInstanceNameSchema = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, {
  error: 'must be lowercase letters, digits and "-", starting with a letter',
})

/** The HTTP resources a listener messenger-stack renders may serve. */
export const SynapseResourceNameSchema = z.enum(['client', 'federation', 'openid', 'media', 'replication', 'health'])

/**
 * One HTTP listener of a Synapse process (the main's `listeners`, a worker's `worker_listeners`).
 *
 * @see https://element-hq.github.io/synapse/latest/usage/configuration/config_documentation.html#listeners
 */
const listenerResources = z
  .array(
    z.strictObject({
      names: z.array(SynapseResourceNameSchema).min(1),
      compress: z.boolean(),
    }),
  )
  .min(1)

export const SynapseListenerSchema = z.strictObject({
  port: PortSchema.meta({ description: 'TCP port inside the container.' }),
  type: z.literal('http'),
  bind_addresses: z
    .array(z.string().min(1))
    .min(1)
    .register(z.globalRegistry, { description: 'Addresses to listen on; all interfaces in a container.' }),
  x_forwarded: z.boolean().register(z.globalRegistry, { description: 'Trust X-Forwarded-For from the reverse proxy.' }),
  resources: listenerResources,
})

/** One HTTP listener of a Synapse process on a Unix socket (Synapse 1.89 or newer). */
export const SynapseSocketListenerSchema = z.strictObject({
  path: AbsolutePathSchema.meta({ description: 'Path of the socket inside the container; its folder must exist.' }),
  mode: z
    .int()
    .min(0)
    .max(0o777)
    .register(z.globalRegistry, { description: 'Permission bits of the socket, as a number (384 is 0600: its owner only).' }),
  type: z.literal('http'),
  x_forwarded: z.boolean().register(z.globalRegistry, { description: 'Trust X-Forwarded-For; false for a socket nothing proxies.' }),
  resources: listenerResources,
})

/** Where another process reaches a process's replication listener (`instance_map` values). */
export const SynapseInstanceLocationSchema = z.strictObject({
  host: z.string().min(1).register(z.globalRegistry, { description: 'Host name on the internal network (its container name).' }),
  port: PortSchema.meta({ description: 'Port of its `replication` listener.' }),
})

const writers = z.array(SynapseInstanceNameSchema).min(1)

/**
 * `stream_writers`: the streams moved off the main process. Streams that upstream lets several
 * processes write are lists; the single-writer ones are one name. `master` is the main
 * process's own instance name.
 */
export const SynapseStreamWritersSchema = z.strictObject({
  events: writers.optional(),
  typing: SynapseInstanceNameSchema.optional(),
  to_device: SynapseInstanceNameSchema.optional(),
  account_data: SynapseInstanceNameSchema.optional(),
  receipts: writers.optional(),
  presence: SynapseInstanceNameSchema.optional(),
  push_rules: SynapseInstanceNameSchema.optional(),
  device_lists: writers.optional(),
  quarantined_media_changes: writers.optional(),
})

/**
 * A Synapse worker's own config file, read after `homeserver.yaml` (a later `--config-path`
 * replaces whole top-level keys): what it runs, its name, its listeners and its log config.
 *
 * @see https://element-hq.github.io/synapse/latest/workers.html#worker-configuration
 */
export const SynapseWorkerConfigSchema = z
  .strictObject({
    worker_app: z.enum(['synapse.app.generic_worker', 'synapse.app.media_repository']),
    worker_name: SynapseInstanceNameSchema,
    worker_listeners: z.array(SynapseListenerSchema).min(1),
    worker_log_config: AbsolutePathSchema,
  })
  .register(z.globalRegistry, { description: "A Synapse worker's config file." })

/** A rendered Synapse worker config file. */
export type SynapseWorkerConfig = z.output<typeof SynapseWorkerConfigSchema>
