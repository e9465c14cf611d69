import { z } from 'zod'
import { DnsNameSchema, Ipv4Schema, PortSchema } from '../deployment/primitives.js'

/**
 * Every top-level key LiveKit server v1.13.5 knows (its `Config` struct). LiveKit parses
 * its config strictly and refuses unknown keys, so `livekit.extraConfig` is checked
 * against this list.
 *
 * @see https://github.com/livekit/livekit/blob/v1.13.5/pkg/config/config.go
 */
export const LIVEKIT_TOP_LEVEL_KEYS = [
  'port',
  'bind_addresses',
  'prometheus_port',
  'prometheus',
  'debug_handler',
  'rtc',
  'redis',
  'audio',
  'video',
  'room',
  'turn',
  'ingress',
  'sip',
  'webhook',
  'node_selector',
  'key_file',
  'keys',
  'region',
  'signal_relay',
  'psrpc',
  'log_level',
  'logging',
  'limit',
  'agents',
  'development',
  'metric',
  'trace',
  'node_stats',
  'enable_data_tracks',
  'enable_participant_data_blob',
  'api',
] as const

/** A top-level LiveKit config key. */
export type LiveKitTopLevelKey = (typeof LIVEKIT_TOP_LEVEL_KEYS)[number]

/** LiveKit `rtc`: ICE/TCP, the media UDP port(s) and how the public IP is found. */
export const LiveKitRtcSchema = z
  .strictObject({
    tcp_port: PortSchema.meta({ description: 'ICE over TCP.' }),
    udp_port: PortSchema.optional().meta({ description: 'Single UDP mux port; excludes the range.' }),
    port_range_start: PortSchema.optional(),
    port_range_end: PortSchema.optional(),
    use_external_ip: z.boolean().meta({ description: 'Discover the public IP over STUN.' }),
    node_ip: Ipv4Schema.optional().meta({ description: 'Public IP advertised to clients.' }),
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
    allow_restricted_peer_cidrs: z
      .array(z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/))
      .optional()
      .meta({ description: 'Private or loopback peers TURN may relay to (denied by default).' }),
  })
  .superRefine((turn, ctx) => {
    if (turn.tls_port !== undefined && (turn.cert_file === undefined || turn.key_file === undefined || turn.domain === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['tls_port'], message: 'tls_port needs domain, cert_file and key_file' })
    }
    if (turn.enabled && turn.udp_port === undefined && turn.tls_port === undefined) {
      ctx.addIssue({ code: 'custom', path: ['enabled'], message: 'enabled TURN needs udp_port or tls_port' })
    }
  })

/**
 * The subset of LiveKit's `config.yaml` messenger-stack renders (v1.13.5 key tree, upstream
 * spelling, strict like LiveKit itself). Every top-level key here is owned by the SDK.
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
    key_file: z.string().startsWith('/').meta({ description: 'YAML file `key: secret`; others-permission bits must be 0.' }),
    room: z.strictObject({ auto_create: z.boolean().meta({ description: 'false: only lk-jwt-service creates rooms.' }) }),
    webhook: z.strictObject({
      api_key: z.string().min(1).meta({ description: 'Must name a key of key_file.' }),
      urls: z.array(z.string().regex(/^https?:\/\/\S+$/)).min(1),
    }),
    logging: z.strictObject({ level: z.enum(['debug', 'info', 'warn', 'error']) }),
  })
  .meta({ description: 'The LiveKit server config keys messenger-stack renders.' })

/** The rendered LiveKit config (typed part, before `extraConfig`). */
export type LiveKitConfig = z.output<typeof LiveKitConfigSchema>
