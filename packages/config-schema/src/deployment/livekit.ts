import * as z from 'zod'
import { DnsNameSchema, ExtraConfigSchema, Ipv4Schema, ListenPortSchema, PathPrefixSchema } from './primitives.js'
import { DEFAULT_TURN_RELAY_RANGE } from './livekit-defaults.js'
import { withHint } from '../errors/field-hints.js'

/** A UDP port range for LiveKit media. */
export const UdpRangeSchema = z
  .strictObject({
    start: ListenPortSchema.meta({ description: 'First UDP port of the range (inclusive).' }),
    end: ListenPortSchema.meta({ description: 'Last UDP port of the range (inclusive).' }),
  })
  .register(z.globalRegistry, { description: 'A UDP port range, both ends inclusive.' })

/** LiveKit's embedded TURN server. */
export const TurnSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .register(z.globalRegistry, { description: "Whether LiveKit's embedded TURN server runs (helps clients behind strict NATs)." }),
    udpPort: withHint(z.int().min(0).max(65_535), {
      invalid: 'use a port number from 1 to 65535 that nothing else on the host uses, or 0 to turn TURN/UDP off.',
    })
      .default(3478)
      .register(z.globalRegistry, { description: 'UDP port of TURN/UDP (published on the host); 0 turns TURN/UDP off.' }),
    tlsPort: withHint(z.int().min(0).max(65_535), { invalid: 'use a port number from 1 to 65535, or 0 to turn TURN/TLS off.' })
      .default(0)
      .register(z.globalRegistry, {
        description:
          "Port of LiveKit's TURN/TLS listener inside its container (not published); 0 (the default) turns TURN/TLS off. LiveKit tells clients to use TURN/TLS on port 443 of `domain` whatever this says, so in standalone mode nginx takes TLS on 443 for `domain` (routed by the requested name, SNI), terminates it with the deployment's certificate and forwards TURN here (`external_tls`). `domain` must then be a host name of its own. Refused in microservice mode, where 443 belongs to the gateway.",
      }),
    domain: DnsNameSchema.optional().register(z.globalRegistry, {
      description:
        'Host name of the TURN server. Defaults to the LiveKit host. With TURN/TLS it must be a name of its own (such as `turn.example.org`), pointing at this host.',
    }),
    relayRange: UdpRangeSchema.default({ ...DEFAULT_TURN_RELAY_RANGE }).register(z.globalRegistry, {
      description:
        "UDP ports TURN relays media on (LiveKit's `turn.relay_range_start`/`_end`, published on the host). Relayed media flows between these ports and the SFU on `nodeIp`, so they must reach this host at that address. A relayed participant holds up to four ports; each published port is one Docker proxy process. Defaults to 30000-30049.",
    }),
    relayToPrivateNodeIp: z.boolean().default(false).register(z.globalRegistry, {
      description:
        "Let TURN relay to LiveKit's own `nodeIp` when that address is private (a LAN-only or test deployment). LiveKit's TURN refuses private and loopback peers by default; this allows exactly `nodeIp`/32 (`turn.allow_restricted_peer_cidrs`), so relayed clients reach the SFU. Leave it off when `nodeIp` is public: then it is not needed.",
    }),
  })
  .register(z.globalRegistry, { description: "LiveKit's embedded TURN server." })

/** LiveKit SFU and MatrixRTC authorisation service options. */
export const LiveKitOptionsSchema = z
  .strictObject({
    enabled: z.boolean().default(true).register(z.globalRegistry, {
      description: 'Whether audio/video calls (LiveKit SFU + MatrixRTC authorisation service) are deployed and advertised to clients.',
    }),
    host: DnsNameSchema.optional().register(z.globalRegistry, {
      description: 'Public host serving the LiveKit routes. Defaults to `matrixHost`.',
    }),
    jwtPath: PathPrefixSchema.default('/livekit/jwt').register(z.globalRegistry, {
      description: 'URL path prefix of the MatrixRTC authorisation service (lk-jwt-service).',
    }),
    sfuPath: PathPrefixSchema.default('/livekit/sfu').register(z.globalRegistry, {
      description: 'URL path prefix of the LiveKit SFU WebSocket and API.',
    }),
    keyName: withHint(
      z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{2,63}$/, { error: 'must be 3 to 64 letters, digits, "_" or "-", starting with a letter' }),
      { invalid: 'use an identifier such as "messenger" (the secret itself lives in the secrets folder).' },
    )
      .default('messenger')
      .register(z.globalRegistry, {
        description: 'Name of the LiveKit API key (an identifier, not a secret). Its secret lives in the secrets folder.',
      }),
    httpPort: ListenPortSchema.default(7880).register(z.globalRegistry, {
      description: 'TCP port of LiveKit signalling and API inside its container.',
    }),
    jwtPort: ListenPortSchema.default(8080).register(z.globalRegistry, { description: 'TCP port of lk-jwt-service inside its container.' }),
    tcpPort: ListenPortSchema.default(7881).register(z.globalRegistry, {
      description: 'TCP port for ICE over TCP (published on the host).',
    }),
    udpPort: ListenPortSchema.optional().register(z.globalRegistry, {
      description:
        'A single UDP port for all media (UDP mux, published on the host). Set this or `udpRange`, not both; with neither, media uses UDP mux on 7882.',
    }),
    udpRange: UdpRangeSchema.optional().register(z.globalRegistry, {
      description:
        'UDP port range for media (published on the host), such as 50000-60000 as in the original service. Docker starts one proxy per published port, so a large range makes start-up slow and costs memory; the default is the UDP mux port instead, and a range wider than 500 ports gets a warning.',
    }),
    turn: TurnSchema.prefault({}),
    nodeIp: withHint(Ipv4Schema.clone(), {
      invalid: 'use the public IPv4 address of the host, such as "203.0.113.10", or leave it out to discover it over STUN.',
    })
      .optional()
      .register(z.globalRegistry, {
        description:
          'Public IPv4 address LiveKit advertises to clients; DEPLOY.md points the DNS records at it. When unset, LiveKit discovers it over STUN (`use_external_ip`). A private or loopback address gets a warning unless every host name is local-only (.lan, .internal, .home.arpa, ...) or `turn.relayToPrivateNodeIp` is true.',
      }),
    useExternalIp: z.boolean().optional().register(z.globalRegistry, {
      description: 'Discover the public IP over STUN. Defaults to true when `nodeIp` is unset; cannot be combined with `nodeIp`.',
    }),
    logLevel: z
      .enum(['debug', 'info', 'warn', 'error'])
      .default('info')
      .register(z.globalRegistry, { description: 'Log level of LiveKit and lk-jwt-service.' }),
    extraConfig: ExtraConfigSchema.default({}).register(z.globalRegistry, {
      description:
        'Extra LiveKit config keys in LiveKit spelling, merged last, leaf by leaf (such as `room.empty_timeout` beside the rendered `room.auto_create`). Keys LiveKit does not know and leaves the SDK renders are refused. See docs/extra-config.md.',
    }),
  })
  .register(z.globalRegistry, { description: 'Audio/video calls: LiveKit SFU with embedded TURN and the MatrixRTC authorisation service.' })

export type LiveKitOptions = z.output<typeof LiveKitOptionsSchema>

/** A UDP port range, both ends inclusive. */
export type UdpRange = z.output<typeof UdpRangeSchema>
