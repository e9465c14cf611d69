// The names and descriptions of the worker routes (routing.ts), which depend on the worker
// kind alone: made once per process, so every render names its routes with the same strings.
import type { SynapseStream } from './endpoint-table.js'
import { WORKER_CATALOGUE, type WorkerKind } from './kinds.js'

/** The names and descriptions of the routes to one pool kind, the same in every render. */
export interface PoolRouteTexts {
  readonly stream: { readonly name: string; readonly description: (stream: SynapseStream) => string }
  readonly login: { readonly name: string; readonly description: string }
  readonly reads: { readonly name: string; readonly description: string }
  readonly pagination: { readonly name: string; readonly description: string }
  readonly events: { readonly name: string; readonly description: string }
  readonly sync: { readonly name: string; readonly description: string }
  readonly other: { readonly name: string; readonly description: string }
  readonly inbound: { readonly name: string; readonly description: string }
  readonly federation: { readonly name: string; readonly description: string }
}

/**
 * The route texts of each worker kind, built once per process (they depend on the catalogue's
 * slug only): one string object per text instead of a template joined anew by every render. V8
 * keeps a joined string as a rope, which the nginx printer flattens to check a comment and a
 * look-up by name to hash it; a string made once is flattened and hashed once.
 */
const POOL_ROUTE_TEXTS = new Map<WorkerKind, PoolRouteTexts>()

export function poolRouteTexts(kind: WorkerKind): PoolRouteTexts {
  const known = POOL_ROUTE_TEXTS.get(kind)
  if (known !== undefined) return known
  const slug = WORKER_CATALOGUE[kind].slug
  const streams = new Map<SynapseStream, string>()
  const texts: PoolRouteTexts = {
    stream: {
      name: `synapse-${slug}-stream`,
      description: (stream) => {
        let text = streams.get(stream)
        if (text === undefined) {
          text = `Requests of the ${stream} stream: to the worker that writes it.`
          streams.set(stream, text)
        }
        return text
      },
    },
    login: {
      name: `synapse-${slug}-login`,
      description: `Login and registration a worker may serve: rate limited per client address, to the ${slug} workers.`,
    },
    reads: {
      name: `synapse-${slug}-reads`,
      description: `Reads a worker may serve: GET to the ${slug} workers, other methods to the main process.`,
    },
    pagination: { name: `synapse-${slug}-pagination`, description: `Room pagination: the ${slug} workers, sticky per room.` },
    events: { name: `synapse-${slug}-events`, description: `Event sending: the ${slug} workers, sticky per room.` },
    sync: { name: `synapse-${slug}-sync`, description: `Sync: the ${slug} workers, sticky per access token.` },
    other: { name: `synapse-${slug}`, description: `Other client requests a worker may serve: the ${slug} workers.` },
    inbound: {
      name: `synapse-${slug}-inbound`,
      description: `Inbound federation transactions: the ${slug} workers, sticky per sending server's address.`,
    },
    federation: { name: `synapse-${slug}-federation`, description: `Federation requests a worker may serve: the ${slug} workers.` },
  }
  POOL_ROUTE_TEXTS.set(kind, texts)
  return texts
}
