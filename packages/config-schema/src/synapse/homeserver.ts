import * as z from 'zod'
import { DnsNameSchema, PortSchema } from '../deployment/primitives.js'
import { HttpsUrlSchema, RtcTransportSchema } from '../well-known/rtc-transport.js'
import {
  SynapseInstanceLocationSchema,
  SynapseInstanceNameSchema,
  SynapseListenerSchema,
  SynapseSocketListenerSchema,
  SynapseStreamWritersSchema,
} from './worker-config.js'
import { SynapseEmailConfigSchema } from './email.js'
import { SynapseMetricsListenerSchema } from './metrics-listener.js'

const AbsolutePathSchema = z.string().regex(/^\/[A-Za-z0-9_./-]+$/, { error: 'must be an absolute path' })

/** Synapse `$defs/rc`: a token-bucket rate limit. */
export const SynapseRateLimitSchema = z.strictObject({
  per_second: z.number().positive().register(z.globalRegistry, { description: 'Tokens added per second.' }),
  burst_count: z.int().positive().register(z.globalRegistry, { description: 'Bucket size: how many actions may happen at once.' }),
})

/** Synapse `database` for PostgreSQL; the password is read by libpq from `passfile`. */
export const SynapseDatabaseSchema = z.strictObject({
  name: z.literal('psycopg2'),
  args: z.strictObject({
    user: z.string().min(1),
    dbname: z.string().min(1),
    host: z.string().min(1),
    port: PortSchema,
    passfile: AbsolutePathSchema.meta({ description: 'libpq password file (host:port:db:user:password), mode 0600.' }),
    cp_min: z.int().min(1),
    cp_max: z.int().min(1),
    keepalives_idle: z.int().min(1),
    keepalives_interval: z.int().min(1),
    keepalives_count: z.int().min(1),
  }),
})

/** Synapse `redis`; the password is read from `password_path`. */
export const SynapseRedisSchema = z.strictObject({
  enabled: z.boolean(),
  host: z.string().min(1),
  port: PortSchema,
  password_path: AbsolutePathSchema,
})

/** The `experimental_features` we set (only for MatrixRTC). */
export const SynapseExperimentalFeaturesSchema = z.strictObject({
  msc3266_enabled: z.boolean().optional().register(z.globalRegistry, {
    description: 'Room summary API; stable since Synapse 1.153, kept for older pins (ignored by newer Synapse).',
  }),
  msc4143_enabled: z
    .boolean()
    .optional()
    .register(z.globalRegistry, { description: 'Serve the MatrixRTC transports endpoint; only with non-empty matrix_rtc.transports.' }),
  msc4222_enabled: z.boolean().optional().register(z.globalRegistry, { description: 'Sync v2 `state_after`, required by Element Call.' }),
})

/**
 * The subset of Synapse `homeserver.yaml` that messenger-stack renders, in upstream
 * spelling and in the order the file is written. Every leaf here is owned by the SDK:
 * `synapse.extraConfig` may add keys beside them, never set them (except
 * {@link HOMESERVER_OVERRIDABLE_KEYS}; see {@link extraConfigOwner}).
 *
 * Strict: exactly the typed part messenger-stack renders (before `extraConfig`), written
 * against {@link UPSTREAM_VERSIONS}`.synapse`. To check any real `homeserver.yaml`, including
 * ours with `extraConfig`, use {@link LenientHomeserverConfigSchema} or {@link validateHomeserver}.
 *
 * @see https://element-hq.github.io/synapse/latest/usage/configuration/config_documentation.html
 */
export const HomeserverConfigSchema = z
  .strictObject({
    server_name: DnsNameSchema,
    public_baseurl: HttpsUrlSchema.regex(/\/$/, { error: 'must end with "/"' }),
    serve_server_wellknown: z.boolean().optional(),
    report_stats: z.boolean(),
    listeners: z.array(z.union([SynapseListenerSchema, SynapseSocketListenerSchema, SynapseMetricsListenerSchema])).min(1),
    enable_metrics: z
      .boolean()
      .optional()
      .register(z.globalRegistry, { description: 'Serve metrics on the `metrics` listeners (with `monitoring`).' }),
    database: SynapseDatabaseSchema,
    redis: SynapseRedisSchema,
    // Workers (synapse.workers): absent while Synapse runs as one process.
    instance_map: z.record(z.union([z.literal('main'), SynapseInstanceNameSchema]), SynapseInstanceLocationSchema).optional(),
    stream_writers: SynapseStreamWritersSchema.optional(),
    federation_sender_instances: z.array(SynapseInstanceNameSchema).min(1).optional(),
    pusher_instances: z.array(SynapseInstanceNameSchema).min(1).optional(),
    run_background_tasks_on: SynapseInstanceNameSchema.optional(),
    update_user_directory_from_worker: SynapseInstanceNameSchema.optional(),
    notify_appservices_from_worker: SynapseInstanceNameSchema.optional(),
    enable_media_repo: z.boolean().optional(),
    media_instance_running_background_jobs: SynapseInstanceNameSchema.optional(),
    worker_replication_secret_path: AbsolutePathSchema.optional(),
    log_config: AbsolutePathSchema,
    media_store_path: AbsolutePathSchema,
    max_upload_size: z.int().positive(),
    signing_key_path: AbsolutePathSchema,
    macaroon_secret_key_path: AbsolutePathSchema,
    registration_shared_secret_path: AbsolutePathSchema,
    form_secret_path: AbsolutePathSchema,
    enable_registration: z.boolean(),
    registration_requires_token: z.boolean().optional(),
    enable_registration_without_verification: z.boolean().optional(),
    registrations_require_3pid: z.array(z.literal('email')).min(1).optional(),
    federation_domain_whitelist: z.array(DnsNameSchema).optional(),
    trusted_key_servers: z.array(z.strictObject({ server_name: DnsNameSchema })),
    suppress_key_server_warning: z.boolean().optional(),
    presence: z.strictObject({ enabled: z.boolean() }),
    url_preview_enabled: z.boolean(),
    url_preview_ip_range_blacklist: z
      .array(z.string().regex(/^[0-9a-f.:]+\/[0-9]{1,3}$/))
      .min(1)
      .optional(),
    caches: z.strictObject({ global_factor: z.number().positive() }),
    event_cache_size: z.string().regex(/^[1-9][0-9]*[KMG]?$/),
    rc_login: z.strictObject({
      address: SynapseRateLimitSchema,
      account: SynapseRateLimitSchema,
      failed_attempts: SynapseRateLimitSchema,
    }),
    rc_registration: SynapseRateLimitSchema,
    rc_message: SynapseRateLimitSchema.optional(),
    rc_delayed_event_mgmt: SynapseRateLimitSchema.optional(),
    max_event_delay_duration: z
      .string()
      .regex(/^[1-9][0-9]*[smhdwy]$/)
      .optional(),
    experimental_features: SynapseExperimentalFeaturesSchema.optional(),
    matrix_rtc: z.strictObject({ transports: z.array(RtcTransportSchema) }).optional(),
    extra_well_known_client_content: z.strictObject({ 'org.matrix.msc4143.rtc_foci': z.array(RtcTransportSchema).min(1) }).optional(),
    // Never printed into homeserver.yaml: it is written, with smtp_pass, into secrets/synapse-email.yaml
    // (Synapse replaces whole top-level sections when it merges config files). Modelled here so
    // that extraConfig may add keys to it and never set the ones the SDK renders.
    email: SynapseEmailConfigSchema.optional(),
  })
  .superRefine((config, ctx) => {
    // Clients cache an empty transports answer as "no calls" (MISSING_MATRIX_RTC_TRANSPORT).
    if (config.experimental_features?.msc4143_enabled === true && (config.matrix_rtc?.transports.length ?? 0) === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['experimental_features', 'msc4143_enabled'],
        message: 'msc4143_enabled needs non-empty matrix_rtc.transports',
      })
    }
    // Every worker reaches the main process, and every stream writer, through instance_map.
    const writers = Object.entries(config.stream_writers ?? {}).flatMap(([stream, names]) =>
      (Array.isArray(names) ? names : [names]).map((name) => [stream, name] as const),
    )
    if (config.instance_map !== undefined && config.instance_map.main === undefined) {
      ctx.addIssue({ code: 'custom', path: ['instance_map'], message: 'instance_map must name the main process as "main"' })
    }
    for (const [stream, name] of writers) {
      if (name !== 'master' && config.instance_map?.[name] === undefined) {
        ctx.addIssue({ code: 'custom', path: ['stream_writers', stream], message: `${name} writes ${stream} but is not in instance_map` })
      }
    }
    if (config.registration_requires_token === true && !config.enable_registration) {
      ctx.addIssue({
        code: 'custom',
        path: ['registration_requires_token'],
        message: 'registration_requires_token without enable_registration',
      })
    }
  })
  .register(z.globalRegistry, { description: 'The Synapse homeserver.yaml keys messenger-stack renders.' })

/** The rendered Synapse `homeserver.yaml` (typed part, before `extraConfig`). */
export type HomeserverConfig = z.output<typeof HomeserverConfigSchema>

/** A top-level `homeserver.yaml` key messenger-stack renders. */
export type HomeserverKey = keyof HomeserverConfig
