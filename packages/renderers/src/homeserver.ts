import {
  BUNDLE_PATHS,
  CONTAINER_PATHS,
  CONTAINER_PORTS,
  DERIVED_SECRET_FILES,
  SECRET_FILES,
  SECRETS_MOUNT,
  SYNAPSE_EMAIL_CONFIG_PATH,
  synapseEmailModel,
  synapseMetricsListener,
  containerName,
  deriveValues,
  mergeExtraConfig,
  PRIVATE_ADDRESS_RANGES,
  rtcTransports,
  type DeploymentSpec,
  type HomeserverConfig,
} from '@messenger-stack/config-schema'
import { generatedHeader, toYaml } from '@messenger-stack/config-schema/formats'
import { mainReplicationListener, workerSharedConfig } from './synapse-workers.js'

/**
 * Address ranges Synapse must never fetch URL previews from (the private ranges of
 * {@link PRIVATE_ADDRESS_RANGES}).
 */
export const URL_PREVIEW_BLOCKED_RANGES = PRIVATE_ADDRESS_RANGES

const secret = (file: string) => `${SECRETS_MOUNT}/${file}`

/**
 * The typed `homeserver.yaml` model (before `synapse.extraConfig`). Pure.
 *
 * @see https://element-hq.github.io/synapse/latest/usage/configuration/config_documentation.html
 */
export function homeserverModel(spec: DeploymentSpec): HomeserverConfig {
  const derived = deriveValues(spec)
  const { synapse } = spec
  const federation = synapse.federation.enabled
  const registration = synapse.registration.mode
  const requireEmail = synapse.registration.requireEmail
  const transports = rtcTransports(spec)
  const calls = transports.length > 0
  // The main process's pool; postgresql.conf's max_connections counts it with every worker's.
  const pool = derived.synapseConnectionPools[0]!
  return {
    server_name: spec.serverName,
    public_baseurl: derived.publicBaseUrl,
    // Synapse answers /.well-known/matrix/server with "<server_name>:443", which equals the
    // static file only when the APIs are served on the server name itself.
    serve_server_wellknown: derived.matrixHost === spec.serverName ? true : undefined,
    report_stats: false,
    listeners: [
      {
        port: synapse.httpPort,
        type: 'http',
        bind_addresses: ['0.0.0.0'],
        x_forwarded: true,
        // Without federation, `openid` still lets lk-jwt-service verify this server's users.
        resources: [{ names: federation ? ['client', 'federation'] : ['client', 'openid'], compress: false }],
      },
      ...mainReplicationListener(spec),
      {
        // The operator's way in: the admin API (implied by `client` on the main process) on a
        // socket only root and the container user can open, with no proxy header to trust.
        path: CONTAINER_PATHS.synapseAdminSocket,
        mode: 0o600,
        type: 'http',
        x_forwarded: false,
        resources: [{ names: ['client'], compress: false }],
      },
      // Metrics for Prometheus on a port of its own: never published, never routed by nginx.
      ...(spec.monitoring === undefined ? [] : [synapseMetricsListener(spec.monitoring.synapseMetricsPort)]),
    ],
    enable_metrics: spec.monitoring === undefined ? undefined : true,
    database: {
      name: 'psycopg2',
      args: {
        user: spec.postgres.user,
        dbname: spec.postgres.database,
        host: containerName(spec, 'postgres'),
        port: CONTAINER_PORTS.postgres,
        passfile: secret(DERIVED_SECRET_FILES.synapsePgpass),
        cp_min: pool.cpMin,
        cp_max: pool.cpMax,
        keepalives_idle: 10,
        keepalives_interval: 10,
        keepalives_count: 3,
      },
    },
    redis: {
      enabled: true,
      host: containerName(spec, 'redis'),
      port: CONTAINER_PORTS.redis,
      password_path: secret(SECRET_FILES.redisPassword),
    },
    ...workerSharedConfig(spec),
    log_config: CONTAINER_PATHS.synapseLogConfig,
    media_store_path: CONTAINER_PATHS.synapseMediaStore,
    max_upload_size: derived.maxUploadBytes,
    signing_key_path: secret(SECRET_FILES.synapseSigningKey),
    macaroon_secret_key_path: secret(SECRET_FILES.synapseMacaroonSecretKey),
    registration_shared_secret_path: secret(SECRET_FILES.synapseRegistrationSharedSecret),
    form_secret_path: secret(SECRET_FILES.synapseFormSecret),
    enable_registration: registration !== 'disabled',
    registration_requires_token: registration === 'token' ? true : undefined,
    enable_registration_without_verification: registration === 'open' && !requireEmail ? true : undefined,
    registrations_require_3pid: requireEmail ? ['email'] : undefined,
    federation_domain_whitelist: !federation ? [] : synapse.federation.allowList && [...new Set(synapse.federation.allowList)].sort(),
    trusted_key_servers: federation ? [{ server_name: 'matrix.org' }] : [],
    suppress_key_server_warning: federation ? true : undefined,
    presence: { enabled: synapse.presence },
    url_preview_enabled: synapse.urlPreviews,
    url_preview_ip_range_blacklist: synapse.urlPreviews ? [...URL_PREVIEW_BLOCKED_RANGES] : undefined,
    caches: { global_factor: derived.synapseCacheFactor },
    event_cache_size: derived.resources.synapseEventCacheSize,
    rc_login: {
      address: { per_second: 0.15, burst_count: 5 },
      account: { per_second: 0.15, burst_count: 5 },
      failed_attempts: { per_second: 0.15, burst_count: 5 },
    },
    rc_registration: { per_second: 0.17, burst_count: 3 },
    // MatrixRTC (Element Call): delayed events, state_after, transports, and the rate
    // limits Element Call needs for its membership events.
    rc_message: calls ? { per_second: 0.5, burst_count: 30 } : undefined,
    rc_delayed_event_mgmt: calls ? { per_second: 1, burst_count: 20 } : undefined,
    max_event_delay_duration: calls ? '24h' : undefined,
    experimental_features: calls ? { msc3266_enabled: true, msc4143_enabled: true, msc4222_enabled: true } : undefined,
    matrix_rtc: calls ? { transports } : undefined,
    extra_well_known_client_content: calls ? { 'org.matrix.msc4143.rtc_foci': rtcTransports(spec) } : undefined,
  }
}

const KEY_COMMENTS: Readonly<Record<string, readonly string[]>> = {
  database: ['libpq reads the password from `passfile`; no secret is written here.'],
  instance_map: ['Synapse workers (synapse.workers): where each process with a replication listener is reached.'],
  signing_key_path: ['Secrets are files in the read-only secrets mount, never values in this file.'],
  rc_message: ['MatrixRTC (calls): settings Element Call needs from the homeserver.'],
}

/**
 * Renders Synapse `homeserver.yaml`: the typed model, then `synapse.extraConfig` (sorted,
 * never overriding an owned key). Pure: same spec, same bytes.
 *
 * @example
 * writeFileSync('synapse/config/homeserver.yaml', renderHomeserver(spec))
 */
export function renderHomeserver(spec: DeploymentSpec): string {
  const emailFile = synapseEmailModel(spec) !== undefined
  // With synapse.email, the whole email section (extraConfig.email included) is in the secrets step's file.
  const { email: _inEmailFile, ...extra } = spec.synapse.extraConfig
  const merged = mergeExtraConfig('synapse', homeserverModel(spec), emailFile ? extra : spec.synapse.extraConfig)
  const header = generatedHeader(BUNDLE_PATHS.homeserver)
  if (emailFile) header.push('', ...EMAIL_FILE_NOTE)
  return toYaml(merged, { header, keyComments: KEY_COMMENTS })
}

/** Said in the header when Synapse reads its email section from the secrets folder. */
const EMAIL_FILE_NOTE = [
  `The email section is not here: Synapse reads it from ${SYNAPSE_EMAIL_CONFIG_PATH} (a second --config-path),`,
  'which `messenger-stack secrets` writes from synapse.email with the SMTP password.',
]
