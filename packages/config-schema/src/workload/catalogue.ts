import type { Images } from '../deployment/images.js'
import type { DeploymentMode } from '../deployment/primitives.js'
import type { SpecIssue } from '../errors/issue.js'
import { SERVICES, type ServiceName } from './service-names.js'

/**
 * A spec setting that turns services on or off: `calls` (`livekit.enabled`), `elementWeb`
 * (`elementWeb.enabled`), `letsEncrypt` (TLS without certificate files of one's own), `workers`
 * (`synapse.workers` names at least one worker), `postgresExporter`, `redisExporter` and
 * `prometheus` (the `monitoring` switches). Named rather than written as functions, so the
 * catalogue stays plain data.
 */
export type ServiceSwitch = 'calls' | 'elementWeb' | 'letsEncrypt' | 'workers' | 'postgresExporter' | 'redisExporter' | 'prometheus'

/** A Prometheus endpoint of a service (see {@link ServiceTraits.metrics}). */
export interface MetricsEndpoint {
  /** The scrape job's name (the `job` label of every series). */
  readonly job: string
  /** HTTP path of the metrics. */
  readonly path: string
  /** The name of the port, among the service's ports of the port model, that serves them. */
  readonly port: string
}

/** Why a service may not run once per colour: the issue blue/green validation reports. */
export interface ColourRefusal {
  /** Stable issue code. */
  readonly code: Extract<SpecIssue['code'], 'two_synapse_mains' | 'stateful_colour'>
  /** The sentence the issue carries. */
  readonly message: string
}

/**
 * What is true of a service whatever the target prints: the catalogue record. Its spec-dependent
 * part (image, memory, mounts, health check) is its workload (see `serviceWorkload`).
 */
export interface ServiceTraits {
  /** Deployment modes it can run in. */
  readonly modes: readonly DeploymentMode[]
  /** The spec switch that turns it on within those modes; absent when it always runs there. */
  readonly enabledBy?: ServiceSwitch
  /**
   * Holds state (data, connections, calls in progress, host ports) that must exist exactly
   * once: never one per colour, never several replicas.
   */
  readonly stateful: boolean
  /** Present when blue/green refuses to run it per colour, with the reason. */
  readonly colourRefusal?: ColourRefusal
  /** Public requests reach it through the edge proxy (the route table targets it). */
  readonly proxied: boolean
  /**
   * It is an edge proxy, so it starts after the proxied services it routes to: `'proxied'` every
   * one (standalone nginx), `'stateful'` only Synapse and LiveKit (the microservice router; the
   * gateway reaches the stateless ones directly). `false` for every other service.
   */
  readonly edge: false | 'proxied' | 'stateful'
  /** Services that must be running (healthy when they can tell) before it starts. */
  readonly dependsOn: readonly ServiceName[]
  /**
   * Services it opens connections to beyond those it waits for (`dependsOn`): lk-jwt-service
   * asks Synapse about OpenID tokens, LiveKit posts webhooks to lk-jwt-service. With
   * `dependsOn` and the edge proxy's routes these are every connection inside the deployment.
   */
  readonly connectsTo: readonly ServiceName[]
  /**
   * Holds data only its dependants read (PostgreSQL, Redis): it sits on a network of its own with
   * them, never reaches out, and nothing else (the edge proxy, the gateway, Element Web) reaches it.
   */
  readonly dataStore: boolean
  /**
   * The Prometheus endpoint it serves when the spec has `monitoring`: the scrape job's name, the
   * HTTP path, and the name of the port (in the port model) that serves it; `false` for none.
   * The scrape config and DEPLOY.md are derived from these (see `metricsTargets`).
   */
  readonly metrics: false | MetricsEndpoint
  /**
   * Part of monitoring (the exporters, Prometheus): it joins only internal networks, the metrics
   * network and the data network of a data store it reads, so it can neither reach the internet
   * nor the services that are not scraped.
   */
  readonly monitor: boolean
  /** The entry of `spec.images` that pins its image. */
  readonly image: keyof Images
  /** One line for operators: what it writes and how its health is checked. */
  readonly notes: string
}

const BOTH_MODES = ['standalone', 'microservice'] as const

/**
 * The service catalogue: one record per service, keyed and ordered as {@link SERVICES}. Every
 * list of services in the packages (colourable, stateful, proxied, start order, compose
 * services, notes) is derived from it.
 */
export const SERVICE_CATALOGUE = {
  synapse: {
    modes: BOTH_MODES,
    stateful: true,
    colourRefusal: {
      code: 'two_synapse_mains',
      message:
        'Synapse cannot run in two colours: blue and green would be two main processes on one database, which Synapse does not support (IDs are handed out from memory, one process upgrades the schema, caches are not shared).',
    },
    proxied: true,
    edge: false,
    dependsOn: ['postgres', 'redis'],
    connectsTo: [],
    dataStore: false,
    metrics: { job: 'synapse', path: '/_synapse/metrics', port: 'metrics' },
    monitor: false,
    image: 'synapse',
    notes: 'writes its data volume (media) and tmpfs /tmp (upload spool); health: curl /health.',
  },
  'synapse-worker': {
    modes: BOTH_MODES,
    enabledBy: 'workers',
    stateful: true,
    colourRefusal: {
      code: 'stateful_colour',
      message:
        'Synapse workers cannot run in two colours: each worker is a process of the one Synapse main process (same database, same replication stream, a name only one process may hold), so they live with it in the shared core.',
    },
    proxied: true,
    edge: false,
    // Workers refuse to start on a database schema the main process has not upgraded yet.
    dependsOn: ['synapse'],
    // Like the main process, each worker keeps its own PostgreSQL pool and Redis connection.
    connectsTo: ['postgres', 'redis'],
    dataStore: false,
    // No metrics listener of their own yet: Prometheus scrapes the main process only.
    metrics: false,
    monitor: false,
    image: 'synapse',
    notes:
      'one container per worker (synapse.workers), named after it; media workers write the data volume (the shared media store), the others read it; tmpfs /tmp; health: curl /health on its HTTP listener.',
  },
  postgres: {
    modes: BOTH_MODES,
    stateful: true,
    colourRefusal: {
      code: 'stateful_colour',
      message: 'PostgreSQL cannot run in two colours: its data must survive a colour switch, so it is part of the single shared core.',
    },
    proxied: false,
    edge: false,
    dependsOn: [],
    connectsTo: [],
    dataStore: true,
    metrics: false,
    monitor: false,
    image: 'postgres',
    notes: 'writes its data volume; tmpfs /var/run/postgresql (socket) and /tmp (nss_wrapper for an arbitrary UID); health: pg_isready.',
  },
  redis: {
    modes: BOTH_MODES,
    stateful: true,
    colourRefusal: {
      code: 'stateful_colour',
      message: 'Redis cannot run in two colours: Synapse keeps one connection to one Redis, so it is part of the single shared core.',
    },
    proxied: false,
    edge: false,
    dependsOn: [],
    connectsTo: [],
    dataStore: true,
    metrics: false,
    monitor: false,
    image: 'redis',
    notes: 'no persistence, tmpfs /data as working folder; health: redis-cli ping, password from a file via REDISCLI_AUTH.',
  },
  livekit: {
    modes: BOTH_MODES,
    enabledBy: 'calls',
    stateful: true,
    colourRefusal: {
      code: 'stateful_colour',
      message:
        'LiveKit cannot run in two colours: both would publish the same media ports on the host, and calls in progress live in one SFU.',
    },
    proxied: true,
    edge: false,
    dependsOn: [],
    connectsTo: ['lk-jwt-service'],
    dataStore: false,
    metrics: { job: 'livekit', path: '/metrics', port: 'metrics' },
    monitor: false,
    image: 'livekit',
    notes: 'writes nothing; publishes its ICE/TCP, media and TURN ports; health: wget / (busybox).',
  },
  'lk-jwt-service': {
    modes: BOTH_MODES,
    enabledBy: 'calls',
    stateful: false,
    proxied: true,
    edge: false,
    dependsOn: [],
    connectsTo: ['synapse'],
    dataStore: false,
    metrics: false,
    monitor: false,
    image: 'lkJwtService',
    notes:
      'writes nothing; no shell in the image: health is its bundled /lk-jwt-service-healthcheck, usable only on port 8080 with LIVEKIT_JWT_BIND empty (else off).',
  },
  'element-web': {
    modes: BOTH_MODES,
    enabledBy: 'elementWeb',
    stateful: false,
    proxied: true,
    edge: false,
    dependsOn: [],
    connectsTo: [],
    dataStore: false,
    metrics: false,
    monitor: false,
    image: 'elementWeb',
    notes: 'tmpfs /etc/nginx/conf.d, /tmp, /var/cache/nginx (its entrypoint renders config there); health: wget /config.json.',
  },
  nginx: {
    modes: ['standalone'],
    stateful: false,
    proxied: false,
    edge: 'proxied',
    dependsOn: [],
    connectsTo: [],
    dataStore: false,
    metrics: false,
    monitor: false,
    image: 'nginx',
    notes: 'tmpfs /tmp and /var/cache/nginx; reloads every 6 h for renewed certificates; health: master process alive.',
  },
  router: {
    modes: ['microservice'],
    stateful: false,
    // The gateway reaches it (not the route table): it routes the gateway's requests for the
    // core, so that Synapse and LiveKit never join the gateway's shared network.
    proxied: false,
    edge: 'stateful',
    dependsOn: [],
    connectsTo: [],
    dataStore: false,
    metrics: false,
    monitor: false,
    image: 'nginx',
    notes:
      'routes the gateway to Synapse and LiveKit (which stay off the gateway network); tmpfs /tmp and /var/cache/nginx; health: wget /healthz.',
  },
  certbot: {
    modes: ['standalone'],
    // With certificate files of their own, operators renew them themselves.
    enabledBy: 'letsEncrypt',
    // The ACME account and the certificates live in its volume; two would race on renewals.
    stateful: true,
    proxied: false,
    edge: false,
    dependsOn: [],
    connectsTo: [],
    dataStore: false,
    metrics: false,
    monitor: false,
    image: 'certbot',
    notes: 'writes the letsencrypt and webroot volumes, tmpfs /tmp; renews every 12 h; health: certificate file present.',
  },
  'postgres-exporter': {
    modes: BOTH_MODES,
    enabledBy: 'postgresExporter',
    // One exporter per database: two would report every series twice.
    stateful: true,
    colourRefusal: {
      code: 'stateful_colour',
      message:
        'The PostgreSQL exporter cannot run in two colours: it reads the one database of the shared core, and Prometheus scrapes it once, by its container name.',
    },
    proxied: false,
    edge: false,
    dependsOn: ['postgres'],
    connectsTo: [],
    dataStore: false,
    metrics: { job: 'postgres', path: '/metrics', port: 'metrics' },
    monitor: true,
    image: 'postgresExporter',
    notes: 'writes nothing; logs in as its own pg_monitor role (own password file); health: wget / (busybox).',
  },
  'redis-exporter': {
    modes: BOTH_MODES,
    enabledBy: 'redisExporter',
    stateful: true,
    colourRefusal: {
      code: 'stateful_colour',
      message:
        'The Redis exporter cannot run in two colours: it reads the one Redis of the shared core, and Prometheus scrapes it once, by its container name.',
    },
    proxied: false,
    edge: false,
    dependsOn: ['redis'],
    connectsTo: [],
    dataStore: false,
    metrics: { job: 'redis', path: '/metrics', port: 'metrics' },
    monitor: true,
    image: 'redisExporter',
    notes: 'writes nothing; Redis password from a derived JSON file; no shell in the image, so no health check.',
  },
  prometheus: {
    modes: BOTH_MODES,
    enabledBy: 'prometheus',
    // Its samples live in one data volume; two would scrape twice and store apart.
    stateful: true,
    colourRefusal: {
      code: 'stateful_colour',
      message: 'Prometheus cannot run in two colours: its samples live in one data volume that must survive a colour switch.',
    },
    proxied: false,
    edge: false,
    dependsOn: [],
    // It scrapes every service with `metrics`, over the metrics network only (see `metricsTargets`).
    connectsTo: [],
    dataStore: false,
    metrics: { job: 'prometheus', path: '/metrics', port: 'http' },
    monitor: true,
    image: 'prometheus',
    notes: 'writes its data volume (samples); publishes no port; health: wget /-/healthy (busybox).',
  },
} as const satisfies Readonly<Record<ServiceName, ServiceTraits>>

/** The catalogue record of a service. */
export function serviceTraits(service: ServiceName): ServiceTraits {
  return SERVICE_CATALOGUE[service]
}

/** A service the edge proxy routes public requests to. */
export type ProxiedService = { [K in ServiceName]: (typeof SERVICE_CATALOGUE)[K]['proxied'] extends true ? K : never }[ServiceName]

/** A service that runs in microservice mode, so `gateway.colourSwitched` may name it. */
export type ColourableService = {
  [K in ServiceName]: 'microservice' extends (typeof SERVICE_CATALOGUE)[K]['modes'][number] ? K : never
}[ServiceName]

/** The services the edge proxy routes to, in catalogue order. */
export const PROXIED_SERVICES: readonly ProxiedService[] = SERVICES.filter(
  (service): service is ProxiedService => SERVICE_CATALOGUE[service].proxied,
)

/**
 * The services `gateway.colourSwitched` may name: every service of microservice mode. The
 * stateful ones are refused by validation with their {@link ColourRefusal}, which explains
 * better than an unknown enum value would.
 */
export const COLOURABLE_SERVICES: readonly ColourableService[] = SERVICES.filter((service): service is ColourableService =>
  (SERVICE_CATALOGUE[service].modes as readonly string[]).includes('microservice'),
)

/** The stateful services: one instance each, in the shared core of blue/green. */
export const STATEFUL_SERVICES: readonly ServiceName[] = SERVICES.filter((service) => SERVICE_CATALOGUE[service].stateful)
