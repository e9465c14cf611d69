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

/**
 * The keys LiveKit server v1.13.5 knows inside the sections messenger-stack renders in part
 * (`rtc`, `turn`, `room`, `webhook`, `logging`), so that a typo inside them is refused as one
 * at the top level is: LiveKit decodes every level strictly.
 *
 * @see https://github.com/livekit/livekit/blob/v1.13.5/pkg/config/config.go
 */
export const LIVEKIT_SECTION_KEYS: Readonly<Record<'rtc' | 'turn' | 'room' | 'webhook' | 'logging', readonly string[]>> = {
  rtc: [
    'udp_port',
    'tcp_port',
    'port_range_start',
    'port_range_end',
    'use_stun_port_as_ice',
    'node_ip',
    'stun_servers',
    'use_external_ip',
    'use_ice_lite',
    'interfaces',
    'ips',
    'enable_loopback_candidate',
    'use_mdns',
    'external_ip_only',
    'batch_io',
    'sctp_min_cwnd',
    'sctp_fast_rtx_wnd',
    'sctp_cwnd_ca_step',
    'force_tcp',
    'turn_servers',
    'strict_acks',
    'packet_buffer_size',
    'packet_buffer_size_video',
    'packet_buffer_size_audio',
    'pli_throttle',
    'congestion_control',
    'allow_tcp_fallback',
    'tcp_fallback_rtt_threshold',
    'allow_udp_unstable_fallback',
    'reconnect_on_publication_error',
    'reconnect_on_subscription_error',
    'reconnect_on_data_channel_error',
    'data_channel_max_buffered_amount',
    'datachannel_slow_threshold',
    'datachannel_lossy_target_latency',
    'datachannel_data_track_target_latency',
    'forward_stats',
    'enable_rtp_stream_restart_detection',
  ],
  turn: [
    'enabled',
    'domain',
    'cert_file',
    'key_file',
    'tls_port',
    'udp_port',
    'relay_range_start',
    'relay_range_end',
    'external_tls',
    'bind_addresses',
    'ttl_seconds',
    'allow_restricted_peer_cidrs',
    'deny_peer_cidrs',
  ],
  room: [
    'auto_create',
    'enabled_codecs',
    'max_participants',
    'empty_timeout',
    'departure_timeout',
    'enable_remote_unmute',
    'playout_delay',
    'sync_streams',
    'create_room_timeout',
    'create_room_attempts',
    'update_batch_target_size',
    'max_metadata_size',
    'max_room_name_length',
    'max_participant_identity_length',
    'room_configurations',
  ],
  webhook: ['urls', 'api_key', 'url_notifier', 'resource_url_notifier', 'filter_params'],
  logging: [
    'json',
    'level',
    'sample',
    'component_levels',
    'sample_initial',
    'sample_interval',
    'item_sample_seconds',
    'item_sample_initial',
    'item_sample_interval',
    'pion_level',
  ],
}

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
    external_tls: z
      .literal(true)
      .optional()
      .meta({ description: 'TLS is terminated in front (nginx on 443): tls_port is a plain TCP listener, no certificate.' }),
    relay_range_start: PortSchema.optional().meta({ description: 'First UDP port TURN relays on (on node_ip).' }),
    relay_range_end: PortSchema.optional().meta({ description: 'Last UDP port TURN relays on.' }),
    allow_restricted_peer_cidrs: z
      .array(z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/))
      .optional()
      .meta({ description: 'Private or loopback peers TURN may relay to (denied by default).' }),
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
    key_file: z.string().startsWith('/').meta({ description: 'YAML file `key: secret`; others-permission bits must be 0.' }),
    room: z.strictObject({ auto_create: z.boolean().meta({ description: 'false: only lk-jwt-service creates rooms.' }) }),
    webhook: z.strictObject({
      api_key: z.string().min(1).meta({ description: 'Must name a key of key_file.' }),
      urls: z.array(z.string().regex(/^https?:\/\/\S+$/)).min(1),
    }),
    logging: z.strictObject({ level: z.enum(['debug', 'info', 'warn', 'error']) }),
    prometheus: z
      .strictObject({ port: PortSchema.meta({ description: 'Prometheus endpoint (`/metrics`), internal network only.' }) })
      .optional()
      .meta({ description: 'With `monitoring`.' }),
  })
  .meta({ description: 'The LiveKit server config keys messenger-stack renders.' })

/** The rendered LiveKit config (typed part, before `extraConfig`). */
export type LiveKitConfig = z.output<typeof LiveKitConfigSchema>
