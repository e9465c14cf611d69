import type { SynapseStream } from './endpoint-table.js'

/**
 * The kinds of Synapse worker a spec can run, by their key in `synapse.workers.pools`. Each
 * kind is one pool: `count` processes of the same configuration.
 */
export const WORKER_KINDS = [
  'generic',
  'client',
  'federation',
  'eventPersister',
  'federationSender',
  'media',
  'pusher',
  'background',
  'userDirectory',
  'appservice',
  'typing',
  'toDevice',
  'accountData',
  'receipts',
  'presence',
  'pushRules',
  'deviceLists',
] as const

/** A kind of Synapse worker (a pool). */
export type WorkerKind = (typeof WORKER_KINDS)[number]

/** The public HTTP APIs a worker's listener serves (Synapse listener resources). */
export type WorkerApi = 'client' | 'federation' | 'media'

/**
 * A shared-config key that hands a duty without HTTP routes to workers: a list of names
 * (`federation_sender_instances`, `pusher_instances`) or one name.
 */
export type WorkerDuty =
  | 'federation_sender_instances'
  | 'pusher_instances'
  | 'run_background_tasks_on'
  | 'update_user_directory_from_worker'
  | 'notify_appservices_from_worker'

/** What a kind needs from the spec to be of any use (see `workerRelevance`). */
export type WorkerNeed = 'federation' | 'userDirectory' | 'appservices'

/** The catalogue record of a worker kind: what its processes run, serve and do. */
export interface WorkerKindTraits {
  /** The word in its names: `synapse-<slug>-<n>`. */
  readonly slug: string
  /** Synapse `worker_app`. */
  readonly app: 'synapse.app.generic_worker' | 'synapse.app.media_repository'
  /** The public APIs its HTTP listener serves; `federation` only while federation is on. None: a health-only listener. */
  readonly serves: readonly WorkerApi[]
  /** The streams it writes (`stream_writers`); a writer also gets a replication listener and an `instance_map` entry. */
  readonly streams: readonly SynapseStream[]
  /** The duty it takes over from the main process, if any. */
  readonly duty?: WorkerDuty
  /** At most one process may do this (upstream refuses or misbehaves with two). */
  readonly single: boolean
  /** Memory class: `heavy` workers hold caches of rooms and users, `light` ones mostly send. */
  readonly weight: 'heavy' | 'light'
  /** It does nothing unless the spec has this. */
  readonly needs?: WorkerNeed
  /** One sentence for operators (docs/workers.md and DEPLOY.md). */
  readonly description: string
}

/** Every worker kind's record, keyed and ordered as {@link WORKER_KINDS}. */
export const WORKER_CATALOGUE: Readonly<Record<WorkerKind, WorkerKindTraits>> = {
  generic: {
    slug: 'generic',
    app: 'synapse.app.generic_worker',
    serves: ['client', 'federation'],
    streams: [],
    single: false,
    weight: 'heavy',
    description: 'Serves every client and federation request a worker may serve (sync, reads, event sending, inbound federation).',
  },
  client: {
    slug: 'client',
    app: 'synapse.app.generic_worker',
    serves: ['client'],
    streams: [],
    single: false,
    weight: 'heavy',
    description:
      'Serves the client requests a worker may serve: /sync sticky per access token, room reads and event sending sticky per room, login, keys, profile.',
  },
  federation: {
    slug: 'federation',
    app: 'synapse.app.generic_worker',
    serves: ['federation'],
    streams: [],
    single: false,
    weight: 'heavy',
    needs: 'federation',
    description:
      'Serves federation requests from other servers: reads, joins, key queries, and inbound transactions sticky per sending address.',
  },
  eventPersister: {
    slug: 'event-persister',
    app: 'synapse.app.generic_worker',
    serves: [],
    streams: ['events'],
    single: false,
    weight: 'heavy',
    description: 'Writes new events to the database (the events stream), sharded by room; no public requests.',
  },
  federationSender: {
    slug: 'federation-sender',
    app: 'synapse.app.generic_worker',
    serves: [],
    streams: [],
    duty: 'federation_sender_instances',
    single: false,
    weight: 'light',
    needs: 'federation',
    description: 'Sends outgoing federation traffic, shared out by destination server; no public requests.',
  },
  media: {
    slug: 'media',
    app: 'synapse.app.media_repository',
    serves: ['media'],
    streams: ['quarantined_media_changes'],
    single: false,
    weight: 'heavy',
    description:
      'Serves uploads, downloads, thumbnails and URL previews from the shared media store; the first one also runs media clean-up jobs.',
  },
  pusher: {
    slug: 'pusher',
    app: 'synapse.app.generic_worker',
    serves: [],
    streams: [],
    duty: 'pusher_instances',
    single: false,
    weight: 'light',
    description: 'Sends push notifications to push gateways and by email; no public requests.',
  },
  background: {
    slug: 'background',
    app: 'synapse.app.generic_worker',
    serves: [],
    streams: [],
    duty: 'run_background_tasks_on',
    single: true,
    weight: 'light',
    description: 'Runs background tasks (clean-ups, statistics, scheduled deletions) instead of the main process.',
  },
  userDirectory: {
    slug: 'user-directory',
    app: 'synapse.app.generic_worker',
    serves: [],
    streams: [],
    duty: 'update_user_directory_from_worker',
    single: true,
    weight: 'light',
    needs: 'userDirectory',
    description: 'Keeps the user directory (user search) up to date instead of the main process.',
  },
  appservice: {
    slug: 'appservice',
    app: 'synapse.app.generic_worker',
    serves: [],
    streams: [],
    duty: 'notify_appservices_from_worker',
    single: true,
    weight: 'light',
    needs: 'appservices',
    description: 'Sends events to application services (bridges, bots) instead of the main process.',
  },
  typing: {
    slug: 'typing',
    app: 'synapse.app.generic_worker',
    serves: ['client'],
    streams: ['typing'],
    single: true,
    weight: 'light',
    description: 'Writes typing notifications (the typing stream) and serves /typing.',
  },
  toDevice: {
    slug: 'to-device',
    app: 'synapse.app.generic_worker',
    serves: ['client'],
    streams: ['to_device'],
    single: true,
    weight: 'light',
    description: 'Writes to-device messages (the to_device stream) and serves /sendToDevice.',
  },
  accountData: {
    slug: 'account-data',
    app: 'synapse.app.generic_worker',
    serves: ['client'],
    streams: ['account_data'],
    single: true,
    weight: 'light',
    description: 'Writes account data and tags (the account_data stream) and serves their requests.',
  },
  receipts: {
    slug: 'receipts',
    app: 'synapse.app.generic_worker',
    serves: ['client'],
    streams: ['receipts'],
    single: false,
    weight: 'light',
    description: 'Writes read receipts and read markers (the receipts stream) and serves their requests.',
  },
  presence: {
    slug: 'presence',
    app: 'synapse.app.generic_worker',
    serves: ['client'],
    streams: ['presence'],
    single: true,
    weight: 'light',
    description: 'Writes presence (the presence stream) and serves /presence.',
  },
  pushRules: {
    slug: 'push-rules',
    app: 'synapse.app.generic_worker',
    serves: ['client'],
    streams: ['push_rules'],
    single: true,
    weight: 'light',
    description: 'Writes push rules (the push_rules stream) and serves /pushrules.',
  },
  deviceLists: {
    slug: 'device-lists',
    app: 'synapse.app.generic_worker',
    serves: ['client'],
    streams: ['device_lists'],
    single: false,
    weight: 'heavy',
    description: 'Writes device lists and cross-signing keys (the device_lists stream) and serves device and key uploads.',
  },
}
