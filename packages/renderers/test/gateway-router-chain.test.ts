// The first hop of microservice worker routing, with the real nginx: the gateway include (its
// location blocks in a server block, as the gateway includes it, the colour substituted) must
// hand every request of Synapse's worker endpoint table to the router, path and query
// unchanged, so that the router's pools see them (worker-routing.test.ts checks the router);
// the admin API stays refused at the gateway. A stub stands in for the router and echoes what
// reached it.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { containerName } from '@messenger-stack/config-schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderGatewayProxy } from '../src/gateway-proxy.js'
import { exampleSpec } from './_renderer-fixtures.js'
import { requireTool } from './_bundle-support.js'
import { prepareNginxPrefix, runWithNginx, type NginxPrefix } from './support/nginx-harness.js'
import { regexSamples } from './support/regex-samples.js'
import { ORACLE_SAMPLE_LISTS, ORACLE_TABLE } from './support/worker-routing-oracle.js'

const spec = exampleSpec('workers-microservice')
const GATEWAY = 'http://127.0.0.1:9000'

/** Sample paths of every entry of the oracle's table (two each), and a sync with its query. */
function samplePaths(): string[] {
  const regexes = ORACLE_SAMPLE_LISTS.flatMap(([patterns]) => patterns)
  return [
    ...regexes.flatMap((pattern, n) => regexSamples(pattern, 2, 40 + n)),
    ...ORACLE_TABLE.media_repository.prefixes.flatMap((prefix, n) => regexSamples(prefix, 2, 400 + n, true)),
    '/_matrix/client/v3/sync?since=s1_2&access_token=syt_x',
  ]
}

const paths = samplePaths()
let prepared: NginxPrefix | undefined
let answers: string[] = []

beforeAll(() => {
  requireTool('curl')
  const include = renderGatewayProxy(spec).replaceAll(spec.gateway.activeColorPlaceholder, 'blue')
  const router = `${containerName(spec, 'router')}-blue`
  const upstreams = [...new Set([...include.matchAll(/proxy_pass http:\/\/([a-z0-9-]+):/g)].map((m) => m[1]!))]
  expect(upstreams).toContain(router)
  // Raw nginx text: the gateway's own server block around the include, and a router stub that
  // echoes the request URI (variables the renderers' printer rightly never writes).
  prepared = prepareNginxPrefix({
    prefixFiles: {
      'gateway-proxy.conf': include,
      'conf.d/gateway.conf': 'server {\n  listen 127.0.0.1:9000;\n  include gateway-proxy.conf;\n}\n',
      'conf.d/router-stub.conf': 'server {\n  listen 127.0.0.1:8080;\n  return 200 "router $request_method $request_uri";\n}\n',
      'paths.txt': `${paths.join('\n')}\n`,
    },
    hosts: upstreams,
  })
  const out = runWithNginx(prepared, [
    `for i in $(seq 1 100); do curl -s -o /dev/null ${GATEWAY}/ && break; sleep 0.1; done`,
    // One line per path: the status, then the body on one line (the router stub's echo).
    'while IFS= read -r path; do',
    `  code=$(curl -s -g -o "$NGINX_PREFIX/body" -w '%{http_code}' "${GATEWAY}$path")`,
    `  printf '%s %s\\n' "$code" "$(tr '\\n' ' ' < "$NGINX_PREFIX/body")"`,
    'done < "$NGINX_PREFIX/paths.txt"',
  ])
  answers = out.trimEnd().split('\n')
}, 120_000)

afterAll(() => prepared?.cleanup())

describe('the gateway include hands worker requests to the router', () => {
  it('answers every sample', () => {
    expect(answers).toHaveLength(paths.length)
    expect(readFileSync(join(prepared!.prefix, 'paths.txt'), 'utf8').trimEnd().split('\n')).toEqual(paths)
  })

  it('passes every sample path of the table but the admin API to the router, unchanged', () => {
    const wrong = paths.flatMap((path, index) =>
      path.startsWith('/_synapse/admin') || answers[index] === `200 router GET ${path}` ? [] : [`${path} → ${answers[index]}`],
    )
    expect(wrong).toEqual([])
    expect(paths.filter((path) => !path.startsWith('/_synapse/admin')).length).toBeGreaterThan(150)
  })

  it('refuses the admin API itself', () => {
    const admin = paths.flatMap((path, index) => (path.startsWith('/_synapse/admin') ? [answers[index]] : []))
    expect(admin.length).toBeGreaterThan(0)
    for (const answer of admin) expect(answer).toMatch(/^404 /)
    for (const answer of admin) expect(answer).not.toContain('router')
  })
})
