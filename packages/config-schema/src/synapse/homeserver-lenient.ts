import type * as z from 'zod'
import { lenientHomeserverSchemas } from './_homeserver-lenient-schemas.js'

/** Synapse `$defs/rc`: a token bucket, in any real file. */
export const LenientSynapseRateLimitSchema = lenientHomeserverSchemas().LenientSynapseRateLimitSchema

/**
 * Any real Synapse `homeserver.yaml` (written against {@link UPSTREAM_VERSIONS}`.synapse`): the
 * keys messenger-stack models, typed and documented, with the types Synapse accepts; every
 * other key is allowed as `unknown` (see {@link validateHomeserver}, which lists them as "not
 * modelled"). Only `server_name` and `report_stats` are required, as Synapse requires them.
 * For the file messenger-stack itself renders, {@link HomeserverConfigSchema} is the strict,
 * exact description.
 *
 * @see https://element-hq.github.io/synapse/latest/usage/configuration/config_documentation.html
 */
export const LenientHomeserverConfigSchema = lenientHomeserverSchemas().LenientHomeserverConfigSchema

/** Any real `homeserver.yaml`, as far as messenger-stack models it; other keys are `unknown`. */
export type LenientHomeserverConfig = z.output<typeof LenientHomeserverConfigSchema>
