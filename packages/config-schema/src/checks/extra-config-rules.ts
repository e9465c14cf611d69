import type { IssuePath } from '../errors/issue.js'
import { LIVEKIT_SECTION_KEYS, LIVEKIT_TOP_LEVEL_KEYS } from '../livekit/keys.js'
import type { ExtraConfigSection } from './extra-config-ownership.js'

/** What the `extraConfig` checks need to know about one upstream file besides who owns what. */
export interface SectionRules {
  /** The upstream file, for messages. */
  readonly file: string
  /** Keys upstream knows, by dotted path of the mapping ('' is the top level), where upstream refuses unknown keys. */
  readonly known: Readonly<Record<string, readonly string[]>>
  /** The typed spec field that sets an owned place, by dotted path; the longest matching prefix wins. */
  readonly typedField: Readonly<Record<string, string>>
  /** Why the SDK owns a place that no typed field sets, by dotted path. */
  readonly reasons: Readonly<Record<string, string>>
  /** Top-level upstream keys that would put a secret inline or alias an owned key, with the reason. */
  readonly reserved: Readonly<Record<string, string>>
  /** Top-level upstream keys must be snake_case. */
  readonly snakeCase: boolean
}

const SECRET_IN_FILE = 'it would write a secret into the rendered file; messenger-stack reads it from the secrets folder instead'

/** The rules of each section, by `extraConfig` section. */
export const SECTION_RULES: Readonly<Record<ExtraConfigSection, SectionRules>> = {
  synapse: {
    file: 'homeserver.yaml',
    known: {},
    typedField: {
      server_name: 'serverName',
      public_baseurl: 'matrixHost',
      serve_server_wellknown: 'matrixHost',
      listeners: 'synapse.httpPort',
      database: 'postgres.database and postgres.user',
      'database.args.cp_min': 'resources',
      'database.args.cp_max': 'resources',
      log_config: 'synapse.logLevel',
      max_upload_size: 'synapse.maxUploadSize',
      enable_registration: 'synapse.registration.mode',
      registration_requires_token: 'synapse.registration.mode',
      enable_registration_without_verification: 'synapse.registration.mode',
      registrations_require_3pid: 'synapse.registration.requireEmail',
      enable_metrics: 'monitoring',
      email: 'synapse.email',
      federation_domain_whitelist: 'synapse.federation.allowList',
      trusted_key_servers: 'synapse.federation.enabled',
      suppress_key_server_warning: 'synapse.federation.enabled',
      presence: 'synapse.presence',
      url_preview_enabled: 'synapse.urlPreviews',
      url_preview_ip_range_blacklist: 'synapse.urlPreviews',
      caches: 'synapse.cacheFactor',
      event_cache_size: 'resources',
      rc_message: 'livekit.enabled',
      rc_delayed_event_mgmt: 'livekit.enabled',
      max_event_delay_duration: 'livekit.enabled',
      experimental_features: 'livekit.enabled',
      matrix_rtc: 'livekit.enabled',
      extra_well_known_client_content: 'livekit.enabled',
      instance_map: 'synapse.workers',
      stream_writers: 'synapse.workers',
      federation_sender_instances: 'synapse.workers',
      pusher_instances: 'synapse.workers',
      run_background_tasks_on: 'synapse.workers',
      update_user_directory_from_worker: 'synapse.workers',
      notify_appservices_from_worker: 'synapse.workers',
      enable_media_repo: 'synapse.workers',
      media_instance_running_background_jobs: 'synapse.workers',
      worker_replication_secret_path: 'synapse.workers',
    },
    reasons: {},
    // Secrets (macaroon_secret_key, form_secret, ...) are refused wherever they are nested: see secret-values.ts.
    reserved: {
      databases: 'it would replace the PostgreSQL database messenger-stack configures (Synapse refuses both database and databases)',
      ...Object.fromEntries(
        ['worker_app', 'worker_name', 'worker_listeners', 'worker_log_config'].map((key) => [
          key,
          'per-process worker keys belong in the worker files messenger-stack renders from synapse.workers; in homeserver.yaml every process, the main one too, would read them',
        ]),
      ),
      ...Object.fromEntries(
        ['send_federation', 'start_pushers', 'notify_appservices', 'update_user_directory'].map((key) => [
          key,
          'it is the legacy spelling of a duty messenger-stack hands to workers from synapse.workers',
        ]),
      ),
    },
    snakeCase: true,
  },
  livekit: {
    file: 'LiveKit config.yaml',
    known: { '': LIVEKIT_TOP_LEVEL_KEYS, ...LIVEKIT_SECTION_KEYS },
    typedField: {
      port: 'livekit.httpPort',
      'rtc.tcp_port': 'livekit.tcpPort',
      'rtc.udp_port': 'livekit.udpPort or livekit.udpRange',
      'rtc.port_range_start': 'livekit.udpPort or livekit.udpRange',
      'rtc.port_range_end': 'livekit.udpPort or livekit.udpRange',
      'rtc.use_external_ip': 'livekit.nodeIp and livekit.useExternalIp',
      'rtc.node_ip': 'livekit.nodeIp',
      turn: 'livekit.turn',
      'turn.domain': 'livekit.turn.domain',
      'turn.cert_file': 'livekit.turn.tlsPort',
      'turn.key_file': 'livekit.turn.tlsPort',
      'turn.external_tls': 'livekit.turn.tlsPort',
      'turn.allow_restricted_peer_cidrs': 'livekit.turn.relayToPrivateNodeIp',
      'turn.relay_range_start': 'livekit.turn.relayRange',
      'turn.relay_range_end': 'livekit.turn.relayRange',
      webhook: 'livekit.keyName',
      'webhook.urls': 'mode and gateway.colourSwitched',
      logging: 'livekit.logLevel',
      prometheus: 'monitoring.livekitMetricsPort',
    },
    reasons: {
      'room.auto_create':
        'only lk-jwt-service may create LiveKit rooms, for users of the homeservers it serves; clients that create rooms themselves bypass that check',
    },
    reserved: {
      keys: SECRET_IN_FILE,
      log_level: 'it is the deprecated spelling of logging.level, which messenger-stack renders from livekit.logLevel',
      prometheus_port: 'it is the deprecated spelling of prometheus.port, which messenger-stack renders from monitoring.livekitMetricsPort',
    },
    snakeCase: true,
  },
  elementWeb: {
    file: 'Element Web config.json',
    known: {},
    typedField: {
      default_server_config: 'matrixHost and serverName',
      brand: 'elementWeb.brand',
      default_theme: 'elementWeb.defaultTheme',
      disable_guests: 'elementWeb.disableGuests',
      disable_custom_urls: 'elementWeb.disableCustomUrls',
      default_federate: 'synapse.federation.enabled',
      room_directory: 'serverName',
      element_call: 'livekit.enabled',
      features: 'livekit.enabled',
      setting_defaults: 'livekit.enabled',
      enable_presence_by_hs_url: 'synapse.presence',
    },
    reasons: {},
    reserved: {
      default_server_name:
        'Element Web must use exactly one of default_server_config and default_server_name; messenger-stack renders default_server_config',
      default_hs_url:
        'Element Web must use exactly one of default_server_config and default_hs_url; messenger-stack renders default_server_config',
    },
    snakeCase: true,
  },
}

/** The typed spec field that controls `path` (longest matching prefix), if there is one. */
export function typedFieldFor(section: ExtraConfigSection, path: IssuePath): string | undefined {
  const fields = SECTION_RULES[section].typedField
  for (let length = path.length; length > 0; length--) {
    const field = fields[path.slice(0, length).join('.')]
    if (field !== undefined) return field
  }
  return undefined
}
