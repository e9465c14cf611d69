import type { DeploymentSpec } from './spec.js'
import type { LiveKitOptions } from './livekit.js'
import { DEFAULT_UDP_MUX_PORT } from './livekit-defaults.js'
import { sizeToBytes } from './sizes.js'
import { resourceSettings, type ResourceSettings } from './resource-profiles.js'
import { synapseWorkers } from '../workers/pools.js'
import { memoised } from '../_render-memo.js'

/** LiveKit media ports: one UDP mux port or a range. */
export type LiveKitMedia =
  | { readonly kind: 'mux'; readonly udpPort: number }
  | { readonly kind: 'range'; readonly start: number; readonly end: number }

/**
 * Values that several files must agree on, derived once from the spec. Renderers read
 * these instead of recomputing them, so coupled values cannot drift apart.
 */
export interface DerivedValues {
  /** Host serving the Matrix APIs. */
  readonly matrixHost: string
  /** Host serving Element Web. */
  readonly elementHost: string
  /** Host serving the LiveKit routes. */
  readonly livekitHost: string
  /**
   * Every public host this deployment serves over HTTPS (and the certificate covers), sorted,
   * without duplicates: the server name only when this deployment serves its well-known files.
   */
  readonly publicHosts: readonly string[]
  /**
   * Every host name the standalone certificate covers, sorted: the public hosts, and the TURN
   * domain when TURN/TLS shares port 443 with HTTPS (nginx terminates TLS for it).
   */
  readonly certificateHosts: readonly string[]
  /** Whether this deployment serves `https://<serverName>/.well-known/matrix/*` (`wellKnown.servedBy`). */
  readonly wellKnownServedHere: boolean
  /** Synapse `public_baseurl` and the well-known `m.homeserver.base_url` (trailing slash). */
  readonly publicBaseUrl: string
  /** The well-known / `m.homeserver.base_url` without trailing slash. */
  readonly homeserverBaseUrl: string
  /** MatrixRTC `livekit_service_url`: the public URL of lk-jwt-service. */
  readonly livekitServiceUrl: string
  /** LiveKit SFU URL as clients see it (`wss://host/livekit/sfu`), lk-jwt-service `LIVEKIT_URL`. */
  readonly livekitSfuUrl: string
  /** Whether calls are deployed. */
  readonly calls: boolean
  /** LiveKit media ports. */
  readonly livekitMedia: LiveKitMedia
  /** Whether LiveKit discovers its public IP over STUN. */
  readonly livekitUseExternalIp: boolean
  /** TURN domain (defaults to the LiveKit host). */
  readonly turnDomain: string
  /** Whether TURN/TLS runs (calls, TURN and `livekit.turn.tlsPort` on); clients reach it on 443 of `turnDomain`. */
  readonly turnTls: boolean
  /** Synapse `max_upload_size` in bytes; nginx `client_max_body_size` is derived from it. */
  readonly maxUploadBytes: number
  /** The resource profile's numbers. */
  readonly resources: ResourceSettings
  /** Synapse `caches.global_factor`. */
  readonly synapseCacheFactor: number
  /** Redis `maxmemory`, such as `32mb`. */
  readonly redisMaxMemory: string
  /**
   * The database connection pool of every Synapse process, main first: each process (the main
   * one and every worker) reads the `database` section of `homeserver.yaml` and keeps a pool of
   * its own of up to `cpMax` connections.
   */
  readonly synapseConnectionPools: readonly SynapseConnectionPool[]
  /**
   * PostgreSQL `max_connections`: the sum of every Synapse process's `cp_max`, plus the
   * profile's `reservedConnections` (superuser slots, deploy scripts, backups, an operator), so
   * that no pool is ever refused a connection it is allowed to open.
   */
  readonly postgresMaxConnections: number
}

/** One Synapse process's database pool: `homeserver.yaml`'s `database.args.cp_min`/`cp_max`. */
export interface SynapseConnectionPool {
  /** `main`, or the worker's name. */
  readonly process: string
  /** Connections the pool keeps open. */
  readonly cpMin: number
  /** Connections the pool may open at most. */
  readonly cpMax: number
}

/**
 * LiveKit media ports from the LiveKit options alone: the range when one is set, else the
 * UDP mux port (default 7882). {@link deriveValues} uses it; so do checks that must run while
 * other sections of the spec are still invalid.
 */
export function deriveLiveKitMedia(lk: Pick<LiveKitOptions, 'udpPort' | 'udpRange'>): LiveKitMedia {
  if (lk.udpRange !== undefined && lk.udpPort === undefined) return { kind: 'range', start: lk.udpRange.start, end: lk.udpRange.end }
  return { kind: 'mux', udpPort: lk.udpPort ?? DEFAULT_UDP_MUX_PORT }
}

/** The parts of a spec the database connection counts depend on: the profile and the workers. */
export type ConnectionSpec = Pick<DeploymentSpec, 'resources' | 'synapse'>

/** The database pool of every Synapse process, main first (see `DerivedValues.synapseConnectionPools`). */
export function synapseConnectionPools(spec: ConnectionSpec): SynapseConnectionPool[] {
  const pool = resourceSettings(spec.resources).synapseDbPool
  const pools: SynapseConnectionPool[] = [{ process: 'main', cpMin: pool.min, cpMax: pool.max }]
  // An indexed loop: the memoised worker list is frozen, which V8 (Node 20) maps slowly.
  const workers = synapseWorkers(spec)
  for (let index = 0; index < workers.length; index++) pools.push({ process: workers[index]!.name, cpMin: pool.min, cpMax: pool.max })
  return pools
}

/** PostgreSQL `max_connections` for a spec (see `DerivedValues.postgresMaxConnections`). */
export function postgresMaxConnections(spec: ConnectionSpec): number {
  const reserved = resourceSettings(spec.resources).postgres.reservedConnections
  return synapseConnectionPools(spec).reduce((sum, { cpMax }) => sum + cpMax, reserved)
}

/** Derives the values several files share. Pure. */
export function deriveValues(spec: DeploymentSpec): DerivedValues {
  return memoised(spec, computeDeriveValues)
}

function computeDeriveValues(spec: DeploymentSpec): DerivedValues {
  const matrixHost = spec.matrixHost ?? spec.serverName
  const elementHost = spec.elementWeb.host ?? matrixHost
  const livekitHost = spec.livekit.host ?? matrixHost
  const wellKnownServedHere = spec.wellKnown.servedBy === 'this-deployment'
  const hosts = new Set([matrixHost])
  if (wellKnownServedHere) hosts.add(spec.serverName)
  if (spec.elementWeb.enabled) hosts.add(elementHost)
  if (spec.livekit.enabled) hosts.add(livekitHost)
  const resources = resourceSettings(spec.resources)
  const lk = spec.livekit
  const livekitMedia = deriveLiveKitMedia(lk)
  const turnDomain = lk.turn.domain ?? livekitHost
  const turnTls = lk.enabled && lk.turn.enabled && lk.turn.tlsPort > 0
  const publicHosts = [...hosts].sort()
  return {
    matrixHost,
    elementHost,
    livekitHost,
    publicHosts,
    certificateHosts: turnTls ? [...new Set([...publicHosts, turnDomain])].sort() : publicHosts,
    wellKnownServedHere,
    publicBaseUrl: `https://${matrixHost}/`,
    homeserverBaseUrl: `https://${matrixHost}`,
    livekitServiceUrl: `https://${livekitHost}${lk.jwtPath}`,
    livekitSfuUrl: `wss://${livekitHost}${lk.sfuPath}`,
    calls: lk.enabled,
    livekitMedia,
    livekitUseExternalIp: lk.useExternalIp ?? lk.nodeIp === undefined,
    turnDomain,
    turnTls,
    maxUploadBytes: sizeToBytes(spec.synapse.maxUploadSize),
    resources,
    synapseCacheFactor: spec.synapse.cacheFactor ?? resources.synapseCacheFactor,
    redisMaxMemory: spec.redis.maxMemory ?? `${resources.redisMaxMemoryMb}mb`,
    synapseConnectionPools: synapseConnectionPools(spec),
    postgresMaxConnections: postgresMaxConnections(spec),
  }
}

/**
 * The host names DEPLOY.md tells the operator to point at this host in DNS: every public host,
 * and the TURN domain when TURN runs. Checks that reason about those records read the same list.
 */
export function dnsRecordHosts(spec: DeploymentSpec): readonly string[] {
  const derived = deriveValues(spec)
  const hosts = [...derived.publicHosts]
  if (derived.calls && spec.livekit.turn.enabled && !hosts.includes(derived.turnDomain)) hosts.push(derived.turnDomain)
  return hosts
}

/** A compose file of the bundle: standalone, the blue/green shared core, or one colour. */
export type ComposeVariant = 'standalone' | 'core' | 'blue' | 'green'

/**
 * The compose project name of each file (passed with `-p`; compose v1 refuses a top-level
 * `name:`). Colours follow the original service: `messenger_blue`, `messenger_green`.
 */
export function composeProjectName(spec: DeploymentSpec, variant: ComposeVariant): string {
  return variant === 'standalone' ? spec.serviceName : `${spec.serviceName}_${variant}`
}

/**
 * Where nginx (and LiveKit's TURN/TLS) find the certificate inside their containers. With
 * Let's Encrypt, certbot keeps one certificate named after the service covering every
 * public host; with certificate files, compose mounts the operator's files at fixed paths.
 */
export function tlsCertificatePaths(spec: DeploymentSpec): { readonly certificate: string; readonly key: string } {
  if (spec.tls?.certificateFiles !== undefined) {
    return { certificate: '/etc/nginx/certs/fullchain.pem', key: '/etc/nginx/certs/privkey.pem' }
  }
  const live = `/etc/letsencrypt/live/${spec.serviceName}`
  return { certificate: `${live}/fullchain.pem`, key: `${live}/privkey.pem` }
}

/** lk-jwt-service's default listen port; its bundled health probe only works on it. */
export const LK_JWT_DEFAULT_PORT = 8080

/**
 * lk-jwt-service's `LIVEKIT_JWT_BIND`, or undefined to leave it unset. The image's health
 * probe pastes the variable after `http://127.0.0.1:`, so any value breaks the probe: on the
 * default port the variable stays unset (service and probe both use 8080); on another port
 * it is `:<port>` and compose turns the probe off.
 */
export function lkJwtBind(spec: DeploymentSpec): string | undefined {
  return spec.livekit.jwtPort === LK_JWT_DEFAULT_PORT ? undefined : `:${spec.livekit.jwtPort}`
}
