import * as z from 'zod'
import { WORKER_CATALOGUE, WORKER_KINDS, type WorkerKind } from '../workers/kinds.js'
import { MAX_POOL_SIZE, WORKER_PRESET_NAMES } from './worker-presets.js'

const poolShape = Object.fromEntries(
  WORKER_KINDS.map((kind) => [
    kind,
    z
      .int()
      .min(0)
      .max(MAX_POOL_SIZE)
      .optional()
      .register(z.globalRegistry, {
        description: `Number of ${kind} workers (overrides the preset). ${WORKER_CATALOGUE[kind].description}`,
      }),
  ]),
) as Record<WorkerKind, z.ZodOptional<z.ZodInt>>

/** How Synapse is split into worker processes. */
export const SynapseWorkersSchema = z
  .strictObject({
    preset: z.enum(WORKER_PRESET_NAMES).default('none').register(z.globalRegistry, {
      description:
        "'none': one Synapse process (up to a few hundred active users). 'small': one generic worker for sync, client reads and federation reads, and one federation sender. 'recommended': client and federation worker pools, an event persister, a federation sender, a media repository, a pusher, a background worker, and user-directory and appservice workers where the spec needs them. See docs/workers.md.",
    }),
    pools: z.strictObject(poolShape).default({}).register(z.globalRegistry, {
      description: "Process counts by worker kind, replacing the preset's count for each kind given (0 removes a kind).",
    }),
  })
  .register(z.globalRegistry, { description: "Synapse worker processes, routed from Synapse's own endpoint table. Off by default." })

/** The parsed `synapse.workers`. */
export type SynapseWorkers = z.output<typeof SynapseWorkersSchema>
