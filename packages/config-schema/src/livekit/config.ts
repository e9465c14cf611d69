import * as z from 'zod'
import { DnsNameSchema, Ipv4Schema, PortSchema } from '../deployment/primitives.js'

/** LiveKit `rtc`: ICE/TCP, the media UDP port(s) and how the public IP is found. */
export const LiveKitRtcSchema = z
  .strictObject({
    tcp_port: PortSchema.meta({ description: 'ICE over TCP.' }),
    udp_port: PortSchema.optional().register(z.globalRegistry, { description: 'Single UDP mux port; excludes the range.' }),
    port_range_start: PortSchema.optional(),
    port_range_end: PortSchema.optional(),
    use_external_ip: z.boolean().register(z.globalRegistry, { description: 'Discover the public IP over STUN.' }),
    node_ip: Ipv4Schema.optional().register(z.globalRegistry, { description: 'Public IP advertised to clients.' }),
  })
  .superRefine((rtc, ctx) => {
    const range = rtc.port_range_start !== undefined || rtc.port_range_end !== undefined
    if (rtc.udp_port !== undefined && range) ctx.addIssue({ code: 'custom', path: ['udp_port'], message: 'udp_port excludes port_range_*' })
    if (rtc.udp_port === undefined && (rtc.port_range_start === undefined || rtc.port_range_end === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['port_range_start'], message: 'set udp_port or both port_range_start and port_range_end' })
    }
  })

/** LiveKit `turn`: the embedded TURN server. */
export const LiveKitTurnSchema = z
  .strictObject({
    enabled: z.boolean(),
    domain: DnsNameSchema.optional(),
    udp_port: PortSchema.optional(),
    tls_port: PortSchema.optional(),
    cert_file: z.string().startsWith('/').optional(),
    key_file: z.string().startsWith('/').optional(),
    external_tls: z.literal(true).optional().register(z.globalRegistry, {
      description: 'TLS is terminated in front (nginx on 443): tls_port is a plain TCP listener, no certificate.',
    }),
    relay_range_start: PortSchema.optional().register(z.globalRegistry, { description: 'First UDP port TURN relays on (on node_ip).' }),
    relay_range_end: PortSchema.optional().register(z.globalRegistry, { description: 'Last UDP port TURN relays on.' }),
    allow_restricted_peer_cidrs: z
      .array(z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/))
      .optional()
      .register(z.globalRegistry, { description: 'Private or loopback peers TURN may relay to (denied by default).' }),
  })
  .superRefine((turn, ctx) => {
    if (turn.tls_port !== undefined && turn.domain === undefined) {
      ctx.addIssue({ code: 'custom', path: ['tls_port'], message: 'tls_port needs domain' })
    }
    if (turn.tls_port !== undefined && turn.external_tls !== true && (turn.cert_file === undefined || turn.key_file === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['tls_port'], message: 'tls_port needs cert_file and key_file, or external_tls' })
    }
    if (turn.enabled && turn.udp_port === undefined && turn.tls_port === undefined) {
      ctx.addIssue({ code: 'custom', path: ['enabled'], message: 'enabled TURN needs udp_port or tls_port' })
    }
    // Unset, LiveKit relays on 30000-40000, which no firewall list of ours names.
    if (turn.enabled && (turn.relay_range_start === undefined || turn.relay_range_end === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['relay_range_start'], message: 'enabled TURN needs relay_range_start and relay_range_end' })
    }
  })

/**
 * The subset of LiveKit's `config.yaml` messenger-stack renders (v1.13.5 key tree, upstream
 * spelling, strict like LiveKit itself). Every leaf here is owned by the SDK (see {@link extraConfigOwner}).
 *
 * Strict: exactly the typed part messenger-stack renders (before `extraConfig`). To check any
 * real LiveKit config, use {@link LenientLiveKitConfigSchema} or {@link validateLiveKitConfig}.
 *
 * @see https://docs.livekit.io/home/self-hosting/deployment/
 */
export const LiveKitConfigSchema = z
  .strictObject({
    port: PortSchema.meta({ description: 'HTTP signalling and API port.' }),
    bind_addresses: z.array(z.string().min(1)).min(1),
    rtc: LiveKitRtcSchema,
    turn: LiveKitTurnSchema,
    key_file: z
      .string()
      .startsWith('/')
      .register(z.globalRegistry, { description: 'YAML file `key: secret`; others-permission bits must be 0.' }),
    room: z.strictObject({
      auto_create: z.boolean().register(z.globalRegistry, { description: 'false: only lk-jwt-service creates rooms.' }),
    }),
    webhook: z.strictObject({
      api_key: z.string().min(1).register(z.globalRegistry, { description: 'Must name a key of key_file.' }),
      urls: z.array(z.string().regex(/^https?:\/\/\S+$/)).min(1),
    }),
    logging: z.strictObject({ level: z.enum(['debug', 'info', 'warn', 'error']) }),
    prometheus: z
      .strictObject({ port: PortSchema.meta({ description: 'Prometheus endpoint (`/metrics`), internal network only.' }) })
      .optional()
      .register(z.globalRegistry, { description: 'With `monitoring`.' }),
  })
  .register(z.globalRegistry, { description: 'The LiveKit server config keys messenger-stack renders.' })

/** The rendered LiveKit config (typed part, before `extraConfig`). */
export type LiveKitConfig = z.output<typeof LiveKitConfigSchema>
