import * as z from 'zod'

/** An `https://` URL without whitespace, quotes or control characters. */
export const HttpsUrlSchema = z
  .string()
  .max(2000)
  .regex(/^https:\/\/[^\s"'<>\\\p{Cc}]+$/u, { error: 'must be an https:// URL' })

/**
 * One MatrixRTC transport (MSC4143 "focus"): the LiveKit backend clients use for calls,
 * reached through the MatrixRTC authorisation service.
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export const RtcTransportSchema = z
  .strictObject({
    type: z.literal('livekit').register(z.globalRegistry, { description: 'Transport type; only LiveKit is deployed.' }),
    livekit_service_url: HttpsUrlSchema.meta({ description: 'Public URL of lk-jwt-service (no trailing slash).' }),
  })
  .register(z.globalRegistry, {
    description: 'A MatrixRTC transport: Synapse `matrix_rtc.transports[]` and well-known `org.matrix.msc4143.rtc_foci[]`.',
  })

/** A MatrixRTC transport. */
export type RtcTransport = z.output<typeof RtcTransportSchema>
