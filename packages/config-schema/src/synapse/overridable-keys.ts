import type { HomeserverKey } from './homeserver.js'

/**
 * Keys we render with sensible defaults that `synapse.extraConfig` may replace leaf by leaf
 * (no typed field exists and nothing else depends on them).
 */
export const HOMESERVER_OVERRIDABLE_KEYS = ['rc_login', 'rc_registration'] as const satisfies readonly HomeserverKey[]
