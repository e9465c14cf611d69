import type * as z from 'zod'
import { lenientLiveKitSchemas } from './_config-lenient-schemas.js'

/** LiveKit `rtc` in any real file: the keys messenger-stack models; others allowed. */
export const LenientLiveKitRtcSchema = lenientLiveKitSchemas().LenientLiveKitRtcSchema

/** LiveKit `turn` in any real file. */
export const LenientLiveKitTurnSchema = lenientLiveKitSchemas().LenientLiveKitTurnSchema

/**
 * Any real LiveKit server `config.yaml` (written against {@link UPSTREAM_VERSIONS}`.livekit`):
 * the keys messenger-stack models, typed and documented; other keys are allowed as `unknown`.
 * LiveKit itself refuses unknown keys, so {@link validateLiveKitConfig} reports a top-level
 * key LiveKit does not know ({@link LIVEKIT_TOP_LEVEL_KEYS}) as an error, and a known key that
 * messenger-stack does not model as "not modelled". For the file messenger-stack renders,
 * {@link LiveKitConfigSchema} is the strict, exact description.
 *
 * @see https://docs.livekit.io/home/self-hosting/deployment/
 */
export const LenientLiveKitConfigSchema = lenientLiveKitSchemas().LenientLiveKitConfigSchema

/** Any real LiveKit config, as far as messenger-stack models it; other keys are `unknown`. */
export type LenientLiveKitConfig = z.output<typeof LenientLiveKitConfigSchema>
