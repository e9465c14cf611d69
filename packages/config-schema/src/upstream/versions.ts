/**
 * The upstream releases the file schemas were written against: the lenient schemas
 * (`LenientHomeserverConfigSchema`, `LenientLiveKitConfigSchema`, `LenientElementConfigSchema`)
 * and the strict schemas of what messenger-stack renders. They are also the default images.
 *
 * Synapse 1.163 is the default image and the version the real-stack test boots; the modelled
 * keys were also checked against Synapse's own published config schema of 1.157.1 (the
 * newest copy the project keeps).
 */
export const UPSTREAM_VERSIONS = {
  synapse: 'Synapse 1.163',
  livekit: 'LiveKit server v1.13.5',
  elementWeb: 'Element Web v1.12.26',
} as const
