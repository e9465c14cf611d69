import { RATE_LIMITS, type DeploymentSpec, type RateLimitClass, type Route } from '@messenger-stack/config-schema'
import { comment, directive, entry, expression, variable, type NginxNode } from '@messenger-stack/config-schema/nginx'

// What an nginx file that prints route locations declares in its http context: the rate-limit
// zones its routes name and the WebSocket upgrade map. Beside nginx-routes.ts, which prints the
// locations themselves; both the standalone site and the microservice router use the two.

/** The `limit_req_zone` name of a rate-limit class: `messenger_login`. */
export function rateLimitZone(spec: DeploymentSpec, rateLimit: RateLimitClass): string {
  return `${spec.serviceName}_${rateLimit}`
}

/** The rate-limit classes the routes use, each once, in route order. */
export function rateLimitClasses(table: readonly Route[]): RateLimitClass[] {
  // A loop rather than `flatMap` (slow in V8, Node 20) over the often frozen route table.
  const classes = new Set<RateLimitClass>()
  for (let index = 0; index < table.length; index++) {
    const rateLimit = table[index]!.rateLimit
    if (rateLimit !== undefined) classes.add(rateLimit)
  }
  return [...classes]
}

/** The comment of each rate-limit zone, by note and class: made once per process (see `zoneComment`). */
const ZONE_COMMENTS = new Map<string, Map<RateLimitClass, string>>()

/**
 * The comment above a `limit_req_zone`. The notes are the callers' literals and the classes a
 * fixed set, so the few texts are made once and the printer reads the same strings every
 * render, not ones joined anew (a rope it would flatten to check).
 */
function zoneComment(rateLimit: RateLimitClass, zoneNote: string): string {
  let byClass = ZONE_COMMENTS.get(zoneNote)
  if (byClass === undefined) {
    byClass = new Map()
    ZONE_COMMENTS.set(zoneNote, byClass)
  }
  let text = byClass.get(rateLimit)
  if (text === undefined) {
    text = `${RATE_LIMITS[rateLimit].description} per client address${zoneNote}.`
    byClass.set(rateLimit, text)
  }
  return text
}

/**
 * The http-context declarations every nginx that prints `routeLocations` (nginx-routes.ts) needs: a
 * `limit_req_zone` per rate-limit class of `table` (described with `zoneNote` after the class's
 * description) and the `Connection` header map of WebSocket upgrades.
 */
export function routingDeclarations(spec: DeploymentSpec, table: readonly Route[], zoneNote: string): NginxNode[] {
  const nodes: NginxNode[] = []
  // A loop rather than `flatMap`, which V8 (Node 20) runs slowly.
  for (const rateLimit of rateLimitClasses(table)) {
    nodes.push(
      comment(zoneComment(rateLimit, zoneNote)),
      directive('limit_req_zone', [
        expression(variable('binary_remote_addr')),
        `zone=${rateLimitZone(spec, rateLimit)}:10m`,
        `rate=${RATE_LIMITS[rateLimit].perMinute}r/m`,
      ]),
    )
  }
  nodes.push(
    comment('Connection header for WebSocket upgrades (LiveKit signalling).'),
    directive(
      'map',
      [expression(variable('http_upgrade')), expression(variable('connection_upgrade'))],
      [entry('default', 'upgrade'), entry('', 'close')],
    ),
  )
  return nodes
}
