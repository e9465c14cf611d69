import type { WorkerKind } from '../workers/kinds.js'
import type { ProxiedService } from './catalogue.js'

/**
 * How a route matches the request path, in the precedence nginx and ingress controllers share:
 * an exact path first, then the longest matching prefix (which then wins over every regex),
 * then regexes in table order, then the default route.
 */
export type RouteMatch =
  /** Exactly this path. */
  | { readonly kind: 'exact'; readonly path: string }
  /** Paths starting with this prefix; when it is the longest matching prefix, no regex is tried. */
  | { readonly kind: 'prefix'; readonly path: string }
  /** Paths matching this regular expression (PCRE, anchored with `^` where it must be). */
  | { readonly kind: 'regex'; readonly pattern: string }
  /** Every path no other route of the host matches. */
  | { readonly kind: 'default' }

/**
 * How a pool spreads requests over its processes: evenly (`round-robin`), or sticky, so that
 * related requests meet the same process: by access token (a user's syncs share its caches), by
 * room ID (a room's events and pagination), or by client address (a remote server's inbound
 * federation transactions).
 */
export type PoolBalance = 'round-robin' | 'access-token' | 'room' | 'client-address'

/** A group of Synapse processes a route spreads requests over: the main process, or the workers of one kind. */
export interface SynapsePool {
  /** `main`, or the worker kind whose processes make up the pool. */
  readonly processes: 'main' | WorkerKind
  /** How requests are spread over them. */
  readonly balance: PoolBalance
}

/** Where a route sends the request. */
export type RouteTarget =
  /** Proxied to a service's port; `stripPrefix` removes the matched prefix from the path first. */
  | { readonly kind: 'service'; readonly service: ProxiedService; readonly port: number; readonly stripPrefix: boolean }
  /** A file of the bundle, served by the edge proxy itself. */
  | { readonly kind: 'file'; readonly file: string; readonly contentType: string }
  /** Refused with a status, so the path is never reachable from outside. */
  | { readonly kind: 'refuse'; readonly status: 404 }
  /**
   * A small document of the spec, answered by the edge proxy itself: one line of printable
   * ASCII without `$`. Used where no bundle file can be mounted (the gateway of microservice mode).
   */
  | { readonly kind: 'document'; readonly body: string; readonly contentType: string }
  /**
   * Spread over a pool of Synapse processes (their HTTP listeners, path unchanged). With
   * `nonGet`, only `GET` requests go to `pool` and every other method goes to `nonGet`:
   * upstream lets workers serve some paths for reading only.
   */
  | { readonly kind: 'pool'; readonly pool: SynapsePool; readonly nonGet?: SynapsePool }

/** A rate-limit class of a route: requests per client address. */
export type RateLimitClass = 'login'

/** What a rate-limit class allows. */
export interface RateLimit {
  /** What is limited, as a phrase: `Login and registration attempts`. */
  readonly description: string
  /** Sustained requests per minute per client address. */
  readonly perMinute: number
  /** Requests above the rate accepted at once before refusing. */
  readonly burst: number
  /** Status of a refused request. */
  readonly status: 429
}

/** The rate-limit classes: login and registration, 30 a minute per address with bursts of 10. */
export const RATE_LIMITS: Readonly<Record<RateLimitClass, RateLimit>> = {
  login: { description: 'Login and registration attempts', perMinute: 30, burst: 10, status: 429 },
}

/** Cross-origin access to a route's responses. */
export interface CorsPolicy {
  /** `Access-Control-Allow-Origin`. */
  readonly allowOrigin: string
  /** `Access-Control-Allow-Methods`. */
  readonly allowMethods: readonly string[]
  /** `Access-Control-Allow-Headers`. */
  readonly allowHeaders: readonly string[]
}

/** A response header a route sets, on every status. */
export interface ResponseHeader {
  /** Header name. */
  readonly name: string
  /** Header value. */
  readonly value: string
}

/** A public HTTP route of the deployment: target-neutral, printed as nginx locations and (later) Ingress rules. */
export interface Route {
  /** Stable name, unique in the table. */
  readonly name: string
  /** One sentence: what it serves and why it is shaped so. */
  readonly description: string
  /** The public hosts that serve it, sorted. */
  readonly hosts: readonly string[]
  /** Which paths it takes. */
  readonly match: RouteMatch
  /** Where they go. */
  readonly target: RouteTarget
  /** WebSocket upgrades pass through, unbuffered, idle for at most this many seconds. */
  readonly websocket?: { readonly idleTimeoutSeconds: number }
  /** Requests per client address are limited by this class. */
  readonly rateLimit?: RateLimitClass
  /** Responses are readable from other origins. */
  readonly cors?: CorsPolicy
  /** Largest request body accepted, in bytes; absent for the proxy's default (1 MiB in nginx). */
  readonly maxBodyBytes?: number
  /** Headers added to every response. */
  readonly responseHeaders: readonly ResponseHeader[]
  /** Upstream response headers dropped, because this route sets its own. */
  readonly hideUpstreamHeaders: readonly string[]
}
