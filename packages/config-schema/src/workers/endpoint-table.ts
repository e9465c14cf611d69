/**
 * Synapse's worker endpoint table: which request paths a worker may serve, as upstream
 * documents them in `docs/workers.md`. The patterns are upstream facts, copied verbatim
 * (Python-style regexes, matched against the path without the query string; media prefixes are
 * plain path prefixes); the `group` of each generic-worker pattern is the label upstream puts
 * above it. A test checks that this table equals `../shared/oracles/synapse/worker-endpoints.json`
 * exactly, so a new Synapse pin starts by updating both.
 *
 * @see https://element-hq.github.io/synapse/latest/workers.html
 */

/** Where the table comes from: the upstream file and the Synapse version it documents. */
export interface WorkerEndpointSource {
  readonly repo: string
  readonly path: string
  readonly commit: string
  readonly version: string
}

/** Upstream's label of a group of generic-worker patterns (the `#` line above them). */
export type EndpointGroup =
  | 'sync'
  | 'federation'
  | 'inbound-federation'
  | 'client'
  | 'admin'
  | 'encryption'
  | 'login'
  | 'event-sending'
  | 'user-directory'
  | 'delayed-events'
  | 'push-rules'
  | 'account-data'
  | 'presence'
  | 'room-pagination'
  | 'sso'
  | 'sso-oidc'
  | 'sso-saml'
  | 'sso-cas'

/** One generic-worker pattern and its upstream group. */
export interface GroupedPattern {
  readonly group: EndpointGroup
  readonly pattern: string
}

/** A stream of `stream_writers`. */
export type SynapseStream =
  | 'events'
  | 'typing'
  | 'to_device'
  | 'account_data'
  | 'receipts'
  | 'presence'
  | 'push_rules'
  | 'device_lists'
  | 'quarantined_media_changes'

/** The table's shape. */
export interface WorkerEndpointTable {
  readonly source: WorkerEndpointSource
  /** `synapse.app.generic_worker`. */
  readonly genericWorker: {
    /** Any generic worker, any method. */
    readonly anyMethod: readonly GroupedPattern[]
    /** Any generic worker, `GET` requests only. */
    readonly getOnly: readonly GroupedPattern[]
    /** Any generic worker, but every request for one room on the same one. */
    readonly roomStickyPagination: readonly GroupedPattern[]
    /** Only with single sign-on configured, and all of them on one process. */
    readonly ssoSingleProcess: readonly GroupedPattern[]
  }
  /** Paths to route to the writer (or one of the writers) of a stream, by stream. */
  readonly streamWriters: Readonly<Record<SynapseStream, readonly string[]>>
  /** Streams that accept several writers; every other stream has exactly one. */
  readonly multiWriterStreams: readonly SynapseStream[]
  /** User directory search: any worker with the `client` resource. */
  readonly userDirectorySearch: readonly string[]
  /** `synapse.app.media_repository`. */
  readonly mediaRepository: {
    /** Every path starting with one of these. */
    readonly prefixes: readonly string[]
    /** The media admin API. */
    readonly adminRegexes: readonly string[]
  }
}

/** Synapse's worker endpoint table, as of the version in its `source`. */
export const SYNAPSE_WORKER_ENDPOINTS: WorkerEndpointTable = {
  source: { repo: 'element-hq/synapse', path: 'docs/workers.md', commit: 'a58ad44eb0ce3cc14153f921206f322e17339dc5', version: '1.157.1' },
  genericWorker: {
    anyMethod: [
      { group: 'sync', pattern: '^/_matrix/client/(r0|v3)/sync$' },
      { group: 'sync', pattern: '^/_matrix/client/(api/v1|r0|v3)/events$' },
      { group: 'sync', pattern: '^/_matrix/client/(api/v1|r0|v3)/initialSync$' },
      { group: 'sync', pattern: '^/_matrix/client/(api/v1|r0|v3)/rooms/[^/]+/initialSync$' },
      { group: 'federation', pattern: '^/_matrix/federation/v1/version$' },
      { group: 'federation', pattern: '^/_matrix/federation/v1/event/' },
      { group: 'federation', pattern: '^/_matrix/federation/v1/state/' },
      { group: 'federation', pattern: '^/_matrix/federation/v1/state_ids/' },
      { group: 'federation', pattern: '^/_matrix/federation/v1/backfill/' },
      { group: 'federation', pattern: '^/_matrix/federation/v1/get_missing_events/' },
      { group: 'federation', pattern: '^/_matrix/federation/v1/publicRooms' },
      { group: 'federation', pattern: '^/_matrix/federation/v1/query/' },
      { group: 'federation', pattern: '^/_matrix/federation/v1/make_join/' },
      { group: 'federation', pattern: '^/_matrix/federation/v1/make_leave/' },
      { group: 'federation', pattern: '^/_matrix/federation/(v1|v2)/send_join/' },
      { group: 'federation', pattern: '^/_matrix/federation/(v1|v2)/send_leave/' },
      { group: 'federation', pattern: '^/_matrix/federation/v1/make_knock/' },
      { group: 'federation', pattern: '^/_matrix/federation/v1/send_knock/' },
      { group: 'federation', pattern: '^/_matrix/federation/(v1|v2)/invite/' },
      { group: 'federation', pattern: '^/_matrix/federation/v1/event_auth/' },
      { group: 'federation', pattern: '^/_matrix/federation/v1/timestamp_to_event/' },
      { group: 'federation', pattern: '^/_matrix/federation/v1/exchange_third_party_invite/' },
      { group: 'federation', pattern: '^/_matrix/federation/v1/user/devices/' },
      { group: 'federation', pattern: '^/_matrix/key/v2/query' },
      { group: 'federation', pattern: '^/_matrix/federation/v1/hierarchy/' },
      { group: 'inbound-federation', pattern: '^/_matrix/federation/v1/send/' },
      { group: 'client', pattern: '^/_matrix/client/(api/v1|r0|v3|unstable)/createRoom$' },
      { group: 'client', pattern: '^/_matrix/client/(api/v1|r0|v3|unstable)/publicRooms$' },
      { group: 'client', pattern: '^/_matrix/client/(api/v1|r0|v3|unstable)/rooms/.*/joined_members$' },
      { group: 'client', pattern: '^/_matrix/client/(api/v1|r0|v3|unstable)/rooms/.*/context/.*$' },
      { group: 'client', pattern: '^/_matrix/client/(api/v1|r0|v3|unstable)/rooms/.*/members$' },
      { group: 'client', pattern: '^/_matrix/client/(api/v1|r0|v3|unstable)/rooms/.*/state$' },
      { group: 'client', pattern: '^/_matrix/client/v1/rooms/.*/hierarchy$' },
      { group: 'client', pattern: '^/_matrix/client/(v1|unstable)/rooms/.*/relations/' },
      { group: 'client', pattern: '^/_matrix/client/v1/rooms/.*/threads$' },
      { group: 'client', pattern: '^/_matrix/client/unstable/im.nheko.summary/summary/.*$' },
      { group: 'client', pattern: '^/_matrix/client/v1/room_summary/.*$' },
      { group: 'client', pattern: '^/_matrix/client/(r0|v3|unstable)/account/3pid$' },
      { group: 'client', pattern: '^/_matrix/client/(r0|v3|unstable)/account/whoami$' },
      { group: 'client', pattern: '^/_matrix/client/(r0|v3|unstable)/account/deactivate$' },
      { group: 'client', pattern: '^/_matrix/client/(r0|v3)/delete_devices$' },
      { group: 'client', pattern: '^/_matrix/client/(api/v1|r0|v3|unstable)/devices(/|$)' },
      { group: 'client', pattern: '^/_matrix/client/versions$' },
      { group: 'client', pattern: '^/_matrix/client/(api/v1|r0|v3|unstable)/voip/turnServer$' },
      { group: 'client', pattern: '^/_matrix/client/(api/v1|r0|v3|unstable)/rooms/.*/event/' },
      { group: 'client', pattern: '^/_matrix/client/(api/v1|r0|v3|unstable)/joined_rooms$' },
      { group: 'client', pattern: '^/_matrix/client/v1/rooms/.*/timestamp_to_event$' },
      { group: 'client', pattern: '^/_matrix/client/(api/v1|r0|v3|unstable/.*)/rooms/.*/aliases' },
      { group: 'client', pattern: '^/_matrix/client/(api/v1|r0|v3|unstable)/search$' },
      { group: 'client', pattern: '^/_matrix/client/(r0|v3|unstable)/user/.*/filter(/|$)' },
      { group: 'client', pattern: '^/_matrix/client/(api/v1|r0|v3|unstable)/directory/room/.*$' },
      { group: 'client', pattern: '^/_matrix/client/(r0|v3|unstable)/capabilities$' },
      { group: 'client', pattern: '^/_matrix/client/(r0|v3|unstable)/notifications$' },
      { group: 'admin', pattern: '^/_synapse/admin/v1/rooms/[^/]+$' },
      { group: 'encryption', pattern: '^/_matrix/client/(r0|v3|unstable)/keys/query$' },
      { group: 'encryption', pattern: '^/_matrix/client/(r0|v3|unstable)/keys/changes$' },
      { group: 'encryption', pattern: '^/_matrix/client/(r0|v3|unstable)/keys/claim$' },
      { group: 'encryption', pattern: '^/_matrix/client/(r0|v3|unstable)/room_keys/' },
      { group: 'encryption', pattern: '^/_matrix/client/(r0|v3|unstable)/keys/upload' },
      { group: 'encryption', pattern: '^/_matrix/client/(api/v1|r0|v3|unstable)/keys/device_signing/upload$' },
      { group: 'encryption', pattern: '^/_matrix/client/(api/v1|r0|v3|unstable)/keys/signatures/upload$' },
      { group: 'login', pattern: '^/_matrix/client/(api/v1|r0|v3|unstable)/login$' },
      { group: 'login', pattern: '^/_matrix/client/(r0|v3|unstable)/register$' },
      { group: 'login', pattern: '^/_matrix/client/(r0|v3|unstable)/register/available$' },
      { group: 'login', pattern: '^/_matrix/client/v1/register/m.login.registration_token/validity$' },
      { group: 'login', pattern: '^/_matrix/client/(r0|v3|unstable)/password_policy$' },
      { group: 'event-sending', pattern: '^/_matrix/client/(api/v1|r0|v3|unstable)/rooms/.*/redact' },
      { group: 'event-sending', pattern: '^/_matrix/client/(api/v1|r0|v3|unstable)/rooms/.*/send' },
      { group: 'event-sending', pattern: '^/_matrix/client/(api/v1|r0|v3|unstable)/rooms/.*/state/' },
      { group: 'event-sending', pattern: '^/_matrix/client/(api/v1|r0|v3|unstable)/rooms/.*/(join|invite|leave|ban|unban|kick)$' },
      { group: 'event-sending', pattern: '^/_matrix/client/(api/v1|r0|v3|unstable)/join/' },
      { group: 'event-sending', pattern: '^/_matrix/client/(api/v1|r0|v3|unstable)/knock/' },
      { group: 'event-sending', pattern: '^/_matrix/client/(api/v1|r0|v3|unstable)/profile/' },
      { group: 'user-directory', pattern: '^/_matrix/client/(r0|v3|unstable)/user_directory/search$' },
      { group: 'delayed-events', pattern: '^/_matrix/client/unstable/org.matrix.msc4140/delayed_events(/.*/restart)?$' },
    ],
    getOnly: [
      { group: 'push-rules', pattern: '^/_matrix/client/(api/v1|r0|v3|unstable)/pushrules/' },
      { group: 'account-data', pattern: '^/_matrix/client/(r0|v3|unstable)/.*/tags' },
      { group: 'account-data', pattern: '^/_matrix/client/(r0|v3|unstable)/.*/account_data' },
      { group: 'presence', pattern: '^/_matrix/client/(api/v1|r0|v3|unstable)/presence/' },
      { group: 'admin', pattern: '^/_synapse/admin/v2/users/[^/]+$' },
    ],
    roomStickyPagination: [{ group: 'room-pagination', pattern: '^/_matrix/client/(api/v1|r0|v3|unstable)/rooms/.*/messages$' }],
    ssoSingleProcess: [
      { group: 'sso', pattern: '^/_matrix/client/(api/v1|r0|v3|unstable)/login/sso/redirect' },
      { group: 'sso', pattern: '^/_synapse/client/pick_idp$' },
      { group: 'sso', pattern: '^/_synapse/client/pick_username' },
      { group: 'sso', pattern: '^/_synapse/client/new_user_consent$' },
      { group: 'sso', pattern: '^/_synapse/client/sso_register$' },
      { group: 'sso-oidc', pattern: '^/_synapse/client/oidc/callback$' },
      { group: 'sso-saml', pattern: '^/_synapse/client/saml2/authn_response$' },
      { group: 'sso-cas', pattern: '^/_matrix/client/(api/v1|r0|v3|unstable)/login/cas/ticket$' },
    ],
  },
  streamWriters: {
    events: [],
    typing: ['^/_matrix/client/(api/v1|r0|v3|unstable)/rooms/.*/typing'],
    to_device: ['^/_matrix/client/(r0|v3|unstable)/sendToDevice/'],
    account_data: ['^/_matrix/client/(r0|v3|unstable)/.*/tags', '^/_matrix/client/(r0|v3|unstable)/.*/account_data'],
    receipts: ['^/_matrix/client/(r0|v3|unstable)/rooms/.*/receipt', '^/_matrix/client/(r0|v3|unstable)/rooms/.*/read_markers'],
    presence: ['^/_matrix/client/(api/v1|r0|v3|unstable)/presence/'],
    push_rules: ['^/_matrix/client/(api/v1|r0|v3|unstable)/pushrules/'],
    device_lists: [
      '^/_matrix/client/(r0|v3)/delete_devices$',
      '^/_matrix/client/(api/v1|r0|v3|unstable)/devices(/|$)',
      '^/_matrix/client/(r0|v3|unstable)/keys/upload',
      '^/_matrix/client/(api/v1|r0|v3|unstable)/keys/device_signing/upload$',
      '^/_matrix/client/(api/v1|r0|v3|unstable)/keys/signatures/upload$',
    ],
    quarantined_media_changes: ['^/_synapse/admin/v1/quarantine_media/.*$'],
  },
  multiWriterStreams: ['events', 'receipts', 'device_lists', 'quarantined_media_changes'],
  userDirectorySearch: ['^/_matrix/client/(r0|v3|unstable)/user_directory/search$'],
  mediaRepository: {
    prefixes: ['/_matrix/media/', '/_matrix/client/v1/media/', '/_matrix/federation/v1/media/'],
    adminRegexes: [
      '^/_synapse/admin/v1/purge_media_cache$',
      '^/_synapse/admin/v1/room/.*/media.*$',
      '^/_synapse/admin/v1/user/.*/media.*$',
      '^/_synapse/admin/v1/media/.*$',
      '^/_synapse/admin/v1/quarantine_media/.*$',
      '^/_synapse/admin/v1/users/.*/media$',
    ],
  },
}
