import * as z from 'zod'

// The lenient schemas of any real LiveKit
// `config.yaml`, built on first use rather than when the package loads: only
// the `extraConfig` checks of a spec that has some, and the upstream validators, need them,
// and building them at load cost every cold CLI run a few milliseconds. The public constants
// (and their documentation) are in the module without the underscore.
function build() {
  const PortSchema = z.int().min(0).max(65_535)

  const LenientLiveKitRtcSchema = z
    .looseObject({
      tcp_port: PortSchema.optional().register(z.globalRegistry, { description: 'Port of ICE over TCP.' }),
      udp_port: z
        .union([PortSchema, z.string().regex(/^[0-9]{1,5}-[0-9]{1,5}$/, { error: 'must be a port or a range such as "50000-60000"' })])
        .optional()
        .register(z.globalRegistry, { description: 'One UDP port for all media (UDP mux), or a "start-end" range.' }),
      port_range_start: PortSchema.optional().register(z.globalRegistry, { description: 'First port of the media UDP range.' }),
      port_range_end: PortSchema.optional().register(z.globalRegistry, { description: 'Last port of the media UDP range.' }),
      use_external_ip: z.boolean().optional().register(z.globalRegistry, { description: 'Discover the public IP over STUN.' }),
      node_ip: z
        .string()
        .min(1)
        .optional()
        .register(z.globalRegistry, { description: 'Public IP advertised to clients ("ipv4", or "ipv4,ipv6").' }),
    })
    .register(z.globalRegistry, { description: 'WebRTC transport settings.' })

  const LenientLiveKitTurnSchema = z
    .looseObject({
      enabled: z.boolean().optional().register(z.globalRegistry, { description: 'Run the embedded TURN server.' }),
      domain: z.string().min(1).optional().register(z.globalRegistry, { description: 'TURN host name; needed for TURN/TLS.' }),
      udp_port: PortSchema.optional().register(z.globalRegistry, { description: 'TURN/UDP port; 0 turns it off.' }),
      tls_port: PortSchema.optional().register(z.globalRegistry, { description: 'TURN/TLS port; 0 turns it off.' }),
      cert_file: z.string().min(1).optional().register(z.globalRegistry, { description: 'TLS certificate of `domain`.' }),
      key_file: z.string().min(1).optional().register(z.globalRegistry, { description: 'TLS key of `domain`.' }),
      external_tls: z
        .boolean()
        .optional()
        .register(z.globalRegistry, { description: 'TLS is terminated in front of LiveKit: tls_port is a plain TCP listener.' }),
      relay_range_start: PortSchema.optional().register(z.globalRegistry, {
        description: 'First UDP port TURN relays on (30000 when unset).',
      }),
      relay_range_end: PortSchema.optional().register(z.globalRegistry, {
        description: 'Last UDP port TURN relays on (40000 when unset).',
      }),
    })
    .superRefine((turn, ctx) => {
      // The checks LiveKit's own config validation makes at start-up.
      const tls = (turn.tls_port ?? 0) > 0
      if (turn.enabled === true && !tls && (turn.udp_port ?? 0) === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['enabled'],
          input: turn.enabled,
          message: 'must come with udp_port or tls_port above 0 (LiveKit: "invalid TURN ports")',
        })
      }
      if (turn.enabled === true && tls && turn.domain === undefined) {
        ctx.addIssue({ code: 'custom', path: ['domain'], input: turn.domain, message: 'must be set when tls_port is above 0' })
      }
      if (turn.enabled === true && tls && turn.external_tls !== true && (turn.cert_file === undefined || turn.key_file === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: ['tls_port'],
          input: turn.tls_port,
          message: 'must come with cert_file and key_file unless external_tls is true',
        })
      }
    })
    .register(z.globalRegistry, { description: 'The embedded TURN server.' })

  const LenientLiveKitConfigSchema = z
    .looseObject({
      port: PortSchema.optional().register(z.globalRegistry, { description: 'HTTP port of signalling and the API.' }),
      bind_addresses: z
        .array(z.string())
        .optional()
        .register(z.globalRegistry, { description: 'Addresses to listen on; all interfaces when unset.' }),
      rtc: LenientLiveKitRtcSchema.optional().register(z.globalRegistry, { description: 'WebRTC transport settings.' }),
      turn: LenientLiveKitTurnSchema.optional().register(z.globalRegistry, { description: 'The embedded TURN server.' }),
      key_file: z.string().min(1).optional().register(z.globalRegistry, { description: 'YAML file of API keys (`key: secret`).' }),
      room: z
        .looseObject({
          auto_create: z
            .boolean()
            .optional()
            .register(z.globalRegistry, { description: 'Create a room when a client joins one that does not exist.' }),
        })
        .optional()
        .register(z.globalRegistry, { description: 'Room defaults.' }),
      webhook: z
        .looseObject({
          api_key: z.string().min(1).optional().register(z.globalRegistry, { description: 'API key that signs webhook requests.' }),
          urls: z.array(z.string()).optional().register(z.globalRegistry, { description: 'Where webhook events are sent.' }),
        })
        .optional()
        .register(z.globalRegistry, { description: 'Webhooks.' }),
      logging: z
        .looseObject({
          level: z.enum(['debug', 'info', 'warn', 'error']).optional().register(z.globalRegistry, { description: 'Log level.' }),
        })
        .optional()
        .register(z.globalRegistry, { description: 'Logging.' }),
      prometheus: z
        .looseObject({
          port: PortSchema.optional().register(z.globalRegistry, { description: 'Port of the Prometheus endpoint; 0 or unset: off.' }),
        })
        .optional()
        .register(z.globalRegistry, { description: 'Prometheus metrics.' }),
    })
    .register(z.globalRegistry, { description: 'A LiveKit server config.yaml: the keys messenger-stack models; other keys are allowed.' })

  return { LenientLiveKitRtcSchema, LenientLiveKitTurnSchema, LenientLiveKitConfigSchema }
}

let built: ReturnType<typeof build> | undefined

/** The schemas of any real LiveKit config.yaml, built once, on first use. */
export function lenientLiveKitSchemas(): ReturnType<typeof build> {
  built ??= build()
  return built
}
