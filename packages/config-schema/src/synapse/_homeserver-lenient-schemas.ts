import * as z from 'zod'

// The lenient schemas of any real Synapse
// `homeserver.yaml`, built on first use rather than when the package loads: only
// the `extraConfig` checks of a spec that has some, and the upstream validators, need them,
// and building them at load cost every cold CLI run a few milliseconds. The public constants
// (and their documentation) are in the module without the underscore.
function build() {
  // Synapse reads sizes ("50M", 1024) and durations ("24h", 500 as milliseconds) in several keys.
  const ByteSizeSchema = z
    .union([z.int().min(0), z.string().regex(/^[0-9]+[KMGT]?$/, { error: 'must be a byte size such as "50M" or a whole number' })])
    .register(z.globalRegistry, {
      description: 'A size in bytes: a whole number, or digits with K, M, G or T (powers of 1024), such as "50M".',
    })
  const DurationSchema = z
    .union([z.int().min(0), z.string().regex(/^[0-9]+(ms|[smhdwy])?$/, { error: 'must be a duration such as "24h" or "500ms"' })])
    .register(z.globalRegistry, {
      description: 'A duration: milliseconds as a whole number, or digits with ms, s, m, h, d, w or y, such as "24h".',
    })
  const PathSchema = z.string().min(1)

  const LenientSynapseRateLimitSchema = z
    .looseObject({
      per_second: z.number().min(0).optional().register(z.globalRegistry, { description: 'Tokens added to the bucket per second.' }),
      burst_count: z
        .number()
        .min(0)
        .optional()
        .register(z.globalRegistry, { description: 'Bucket size: how many actions may happen at once.' }),
    })
    .register(z.globalRegistry, { description: 'A rate limit (token bucket).' })

  const ListenerSchema = z.looseObject({
    port: z
      .int()
      .min(0)
      .max(65_535)
      .optional()
      .register(z.globalRegistry, { description: 'TCP port of the listener (absent for a UNIX socket `path`).' }),
    path: z
      .string()
      .min(1)
      .optional()
      .register(z.globalRegistry, { description: 'Path of a UNIX socket to listen on instead of a TCP port (Synapse 1.89+).' }),
    mode: z
      .int()
      .min(0)
      .max(0o777)
      .nullable()
      .optional()
      .register(z.globalRegistry, { description: 'Permission bits of the UNIX socket (default 0666).' }),
    type: z.enum(['http', 'manhole', 'metrics']).register(z.globalRegistry, { description: 'What the listener serves.' }),
    bind_addresses: z
      .array(z.string())
      .nullable()
      .optional()
      .register(z.globalRegistry, { description: 'Addresses to listen on; all interfaces when unset.' }),
    x_forwarded: z
      .boolean()
      .optional()
      .register(z.globalRegistry, { description: 'Trust X-Forwarded-For and X-Forwarded-Proto from a reverse proxy.' }),
    resources: z
      .array(
        z.looseObject({
          names: z
            .array(z.enum(['client', 'consent', 'federation', 'keys', 'media', 'metrics', 'openid', 'replication', 'static', 'health']))
            .register(z.globalRegistry, { description: 'Synapse resources served on this listener.' }),
          compress: z.boolean().optional().register(z.globalRegistry, { description: 'gzip responses.' }),
        }),
      )
      .optional()
      .register(z.globalRegistry, { description: 'Resources of an `http` listener.' }),
  })

  const DatabaseSchema = z.looseObject({
    name: z
      .enum(['sqlite3', 'psycopg2'])
      .register(z.globalRegistry, { description: 'Database engine: `psycopg2` (PostgreSQL) or `sqlite3` (tests only).' }),
    args: z
      .looseObject({
        user: z.string().optional().register(z.globalRegistry, { description: 'PostgreSQL role.' }),
        dbname: z.string().optional().register(z.globalRegistry, { description: 'Database name.' }),
        host: z.string().optional().register(z.globalRegistry, { description: 'PostgreSQL host or UNIX socket folder.' }),
        port: z.int().min(1).max(65_535).optional().register(z.globalRegistry, { description: 'PostgreSQL port.' }),
        passfile: PathSchema.optional().register(z.globalRegistry, { description: 'libpq password file (host:port:db:user:password).' }),
        cp_min: z.int().min(0).optional().register(z.globalRegistry, { description: 'Fewest connections in the pool.' }),
        cp_max: z.int().min(1).optional().register(z.globalRegistry, { description: 'Most connections in the pool.' }),
        keepalives_idle: z.int().min(0).optional().register(z.globalRegistry, { description: 'Seconds idle before TCP keepalives start.' }),
        keepalives_interval: z.int().min(0).optional().register(z.globalRegistry, { description: 'Seconds between TCP keepalives.' }),
        keepalives_count: z
          .int()
          .min(0)
          .optional()
          .register(z.globalRegistry, { description: 'Lost keepalives before the connection is dropped.' }),
      })
      .optional()
      .register(z.globalRegistry, { description: 'Connection arguments passed to the database driver.' }),
  })

  const RtcTransportSchema = z.looseObject({
    type: z.string().min(1).register(z.globalRegistry, { description: 'Transport type, such as "livekit".' }),
    livekit_service_url: z
      .string()
      .optional()
      .register(z.globalRegistry, { description: 'URL of the MatrixRTC authorisation service (lk-jwt-service).' }),
  })

  const LenientHomeserverConfigSchema = z
    .looseObject({
      server_name: z
        .string()
        .min(1)
        .register(z.globalRegistry, { description: 'The domain in user IDs (`@alice:server_name`); never changes.' }),
      public_baseurl: z
        .string()
        .regex(/^https?:\/\/\S+$/, { error: 'must be an http(s) URL' })
        .nullable()
        .optional()
        .register(z.globalRegistry, { description: 'Public URL of the client API, as clients reach it.' }),
      serve_server_wellknown: z
        .boolean()
        .optional()
        .register(z.globalRegistry, { description: 'Serve `/.well-known/matrix/server` itself.' }),
      report_stats: z.boolean().register(z.globalRegistry, { description: 'Send anonymous usage statistics to matrix.org.' }),
      listeners: z.array(ListenerSchema).optional().register(z.globalRegistry, { description: 'The ports Synapse listens on.' }),
      enable_metrics: z
        .boolean()
        .optional()
        .register(z.globalRegistry, { description: 'Serve Prometheus metrics on `metrics` listeners.' }),
      database: DatabaseSchema.optional().register(z.globalRegistry, { description: 'The main database.' }),
      redis: z
        .looseObject({
          enabled: z.boolean().optional().register(z.globalRegistry, { description: 'Use Redis (needed for workers).' }),
          host: z.string().optional().register(z.globalRegistry, { description: 'Redis host.' }),
          port: z.int().min(1).max(65_535).optional().register(z.globalRegistry, { description: 'Redis port.' }),
          password_path: PathSchema.nullable().optional().register(z.globalRegistry, { description: 'File holding the Redis password.' }),
        })
        .optional()
        .register(z.globalRegistry, { description: 'Redis connection (replication between workers, caches).' }),
      instance_map: z
        .record(
          z.string(),
          z.looseObject({
            host: z.string().optional().register(z.globalRegistry, { description: 'Host of its replication listener.' }),
            port: z.int().min(1).max(65_535).optional().register(z.globalRegistry, { description: 'Port of its replication listener.' }),
            path: PathSchema.optional().register(z.globalRegistry, { description: 'UNIX socket of its replication listener.' }),
            tls: z.boolean().optional().register(z.globalRegistry, { description: 'Connect with TLS.' }),
          }),
        )
        .optional()
        .register(z.globalRegistry, { description: 'Where the main process (`main`) and each stream writer take replication requests.' }),
      stream_writers: z
        .record(z.string(), z.union([z.string(), z.array(z.string())]))
        .optional()
        .register(z.globalRegistry, { description: 'The processes that write each stream (events, typing, receipts, ...).' }),
      federation_sender_instances: z
        .array(z.string())
        .optional()
        .register(z.globalRegistry, { description: 'Workers that send outgoing federation.' }),
      pusher_instances: z.array(z.string()).optional().register(z.globalRegistry, { description: 'Workers that send push notifications.' }),
      run_background_tasks_on: z
        .string()
        .nullable()
        .optional()
        .register(z.globalRegistry, { description: 'The process that runs background tasks.' }),
      update_user_directory_from_worker: z
        .string()
        .nullable()
        .optional()
        .register(z.globalRegistry, { description: 'The worker that keeps the user directory up to date.' }),
      notify_appservices_from_worker: z
        .string()
        .nullable()
        .optional()
        .register(z.globalRegistry, { description: 'The worker that sends events to application services.' }),
      enable_media_repo: z
        .boolean()
        .optional()
        .register(z.globalRegistry, { description: 'Whether the main process serves media (false with media workers).' }),
      media_instance_running_background_jobs: z
        .string()
        .nullable()
        .optional()
        .register(z.globalRegistry, { description: 'The media worker that runs media clean-up jobs.' }),
      worker_replication_secret_path: PathSchema.nullable()
        .optional()
        .register(z.globalRegistry, { description: 'File holding the secret that authenticates replication requests.' }),
      log_config: PathSchema.nullable().optional().register(z.globalRegistry, { description: 'Python logging config file.' }),
      media_store_path: PathSchema.optional().register(z.globalRegistry, { description: 'Folder of uploaded and cached media.' }),
      max_upload_size: ByteSizeSchema.optional().register(z.globalRegistry, { description: 'Largest upload accepted.' }),
      signing_key_path: PathSchema.nullable().optional().register(z.globalRegistry, { description: 'The server signing key file.' }),
      macaroon_secret_key_path: PathSchema.nullable()
        .optional()
        .register(z.globalRegistry, { description: 'File holding the macaroon secret key.' }),
      registration_shared_secret_path: PathSchema.nullable()
        .optional()
        .register(z.globalRegistry, { description: 'File holding the shared secret of the admin registration API.' }),
      form_secret_path: PathSchema.nullable()
        .optional()
        .register(z.globalRegistry, { description: 'File holding the form secret (consent, some forms).' }),
      enable_registration: z.boolean().optional().register(z.globalRegistry, { description: 'Allow account registration.' }),
      registration_requires_token: z
        .boolean()
        .optional()
        .register(z.globalRegistry, { description: 'Registration needs a token from the admin API.' }),
      enable_registration_without_verification: z
        .boolean()
        .optional()
        .register(z.globalRegistry, { description: 'Allow registration without email or phone verification.' }),
      registrations_require_3pid: z
        .array(z.enum(['email', 'msisdn']))
        .nullable()
        .optional()
        .register(z.globalRegistry, { description: 'Third-party IDs every new account must give and confirm.' }),
      federation_domain_whitelist: z
        .array(z.string())
        .nullable()
        .optional()
        .register(z.globalRegistry, { description: 'Federate only with these servers.' }),
      trusted_key_servers: z
        .array(
          z.looseObject({
            server_name: z.string().min(1).register(z.globalRegistry, { description: 'Server whose key notary is trusted.' }),
          }),
        )
        .optional()
        .register(z.globalRegistry, { description: 'Notary servers for other servers’ signing keys.' }),
      suppress_key_server_warning: z
        .boolean()
        .optional()
        .register(z.globalRegistry, { description: 'Silence the warning about matrix.org as key server.' }),
      presence: z
        .looseObject({
          enabled: z
            .union([z.boolean(), z.literal('untracked')])
            .optional()
            .register(z.globalRegistry, { description: 'Track presence; "untracked" lets clients set it without tracking.' }),
        })
        .optional()
        .register(z.globalRegistry, { description: 'Presence (online status).' }),
      url_preview_enabled: z.boolean().optional().register(z.globalRegistry, { description: 'Fetch URL previews for clients.' }),
      url_preview_ip_range_blacklist: z
        .array(z.string())
        .nullable()
        .optional()
        .register(z.globalRegistry, { description: 'Address ranges URL previews never fetch from.' }),
      caches: z
        .looseObject({
          global_factor: z.number().min(0).optional().register(z.globalRegistry, { description: 'Multiplier of every cache size.' }),
        })
        .optional()
        .register(z.globalRegistry, { description: 'Cache sizing.' }),
      event_cache_size: ByteSizeSchema.optional().register(z.globalRegistry, { description: 'Number of events cached, such as "10K".' }),
      rc_login: z
        .looseObject({
          address: LenientSynapseRateLimitSchema.optional().register(z.globalRegistry, {
            description: 'Login attempts per client address.',
          }),
          account: LenientSynapseRateLimitSchema.optional().register(z.globalRegistry, { description: 'Login attempts per account.' }),
          failed_attempts: LenientSynapseRateLimitSchema.optional().register(z.globalRegistry, {
            description: 'Failed login attempts per account.',
          }),
        })
        .optional()
        .register(z.globalRegistry, { description: 'Login rate limits.' }),
      rc_registration: LenientSynapseRateLimitSchema.optional().register(z.globalRegistry, {
        description: 'Registration rate limit per address.',
      }),
      rc_message: LenientSynapseRateLimitSchema.optional().register(z.globalRegistry, { description: 'Message rate limit per user.' }),
      rc_delayed_event_mgmt: LenientSynapseRateLimitSchema.optional().register(z.globalRegistry, {
        description: 'Rate limit of delayed-event management (MatrixRTC keeps its membership alive with it).',
      }),
      max_event_delay_duration: DurationSchema.nullable()
        .optional()
        .register(z.globalRegistry, { description: 'Longest delay of a delayed event (MSC4140); enables delayed events.' }),
      experimental_features: z
        .looseObject({
          msc3266_enabled: z
            .boolean()
            .optional()
            .register(z.globalRegistry, { description: 'Room summary API (stable since Synapse 1.153).' }),
          msc4140_max_delayed_events_per_user: z
            .int()
            .min(0)
            .optional()
            .register(z.globalRegistry, { description: 'Most pending delayed events per user.' }),
          msc4143_enabled: z.boolean().optional().register(z.globalRegistry, { description: 'Serve the MatrixRTC transports endpoint.' }),
          msc4222_enabled: z
            .boolean()
            .optional()
            .register(z.globalRegistry, { description: 'Sync v2 `state_after` (Element Call needs it).' }),
        })
        .optional()
        .register(z.globalRegistry, { description: 'Experimental features (never null: Synapse refuses it).' }),
      matrix_rtc: z
        .looseObject({
          transports: z
            .array(RtcTransportSchema)
            .optional()
            .register(z.globalRegistry, { description: 'MatrixRTC transports served to clients.' }),
        })
        .optional()
        .register(z.globalRegistry, { description: 'MatrixRTC (calls) settings.' }),
      extra_well_known_client_content: z
        .looseObject({
          'org.matrix.msc4143.rtc_foci': z
            .array(RtcTransportSchema)
            .optional()
            .register(z.globalRegistry, { description: 'MatrixRTC transports advertised in the client well-known (older clients).' }),
        })
        .optional()
        .register(z.globalRegistry, { description: 'Extra keys of the client well-known that Synapse serves.' }),
    })
    .superRefine((config, ctx) => {
      // Synapse refuses to start with both (it would not know which database is the main one).
      if (config.database !== undefined && config['databases'] !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['databases'], input: config['databases'], message: 'must not be set together with database' })
      }
    })
    .register(z.globalRegistry, { description: 'A Synapse homeserver.yaml: the keys messenger-stack models; other keys are allowed.' })

  return { LenientSynapseRateLimitSchema, LenientHomeserverConfigSchema }
}

let built: ReturnType<typeof build> | undefined

/** The schemas of any real Synapse homeserver.yaml, built once, on first use. */
export function lenientHomeserverSchemas(): ReturnType<typeof build> {
  built ??= build()
  return built
}
