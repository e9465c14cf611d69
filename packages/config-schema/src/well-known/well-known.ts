import * as z from 'zod'
import { HttpsUrlSchema, RtcTransportSchema } from './rtc-transport.js'

/**
 * `/.well-known/matrix/client`: where clients find the homeserver and the MatrixRTC backend.
 *
 * @see https://spec.matrix.org/latest/client-server-api/#getwell-knownmatrixclient
 */
export const WellKnownClientSchema = z
  .strictObject({
    'm.homeserver': z
      .strictObject({ base_url: HttpsUrlSchema.meta({ description: 'Base URL of the client-server API, no trailing slash.' }) })
      .register(z.globalRegistry, { description: 'The homeserver clients talk to.' }),
    'org.matrix.msc4143.rtc_foci': z.array(RtcTransportSchema).min(1).optional().register(z.globalRegistry, {
      description: 'MatrixRTC transports; identical to Synapse `matrix_rtc.transports`. Absent when calls are off.',
    }),
  })
  .register(z.globalRegistry, { description: 'Client discovery document served at /.well-known/matrix/client.' })

/** The client well-known document. */
export type WellKnownClient = z.output<typeof WellKnownClientSchema>

/**
 * `/.well-known/matrix/server`: federation delegation to `host:port`.
 *
 * @see https://spec.matrix.org/latest/server-server-api/#getwell-knownmatrixserver
 */
export const WellKnownServerSchema = z
  .strictObject({
    'm.server': z
      .string()
      .regex(/^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?:[1-9][0-9]{0,4}$/, { error: 'must be "host:port"' })
      .register(z.globalRegistry, { description: 'Where other servers reach this server\'s federation API, as "host:port".' }),
  })
  .register(z.globalRegistry, { description: 'Federation delegation document served at /.well-known/matrix/server.' })

/** The server well-known document. */
export type WellKnownServer = z.output<typeof WellKnownServerSchema>
