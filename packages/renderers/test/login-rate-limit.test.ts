// Issue 9.7: login rate limiting must hold on every path Synapse routes to logging in or
// registering. The paths come from the real Synapse (the servlets of its login, register and
// login-token modules, read from the provisioned venv), the rendered standalone site runs in
// the real nginx, and each path is hammered from its own loopback address until it gets 429.
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { nginxSitePath, tlsCertificatePaths } from '@messenger-stack/config-schema'
import { directive, printNginx } from '@messenger-stack/config-schema/nginx'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderNginxSite } from '../src/nginx-site.js'
import { exampleSpec, requireTool } from './_bundle-support.js'
import { samplePaths } from './support/sample-paths.js'
import { prepareNginxPrefix, requireRootForNamespaces, runWithNginx, type NginxPrefix } from './support/nginx-harness.js'

const spec = exampleSpec('standalone')
const HOST = 'matrix.example.org'
const REQUESTS = 20

/** Every route pattern of Synapse's login and registration servlets, but token refresh. */
function synapseLoginPatterns(): string[] {
  const script = [
    'import inspect',
    'from synapse.http.servlet import RestServlet',
    'from synapse.rest.client import login, login_token_request, register',
    'for module in (login, register, login_token_request):',
    '    for name, cls in inspect.getmembers(module, inspect.isclass):',
    "        if issubclass(cls, RestServlet) and cls.__module__ == module.__name__ and name != 'RefreshTokenServlet':",
    '            for pattern in cls.PATTERNS: print(pattern.pattern)',
  ].join('\n')
  const result = spawnSync(requireTool('synapse-python'), ['-c', script], { encoding: 'utf8', timeout: 60_000 })
  if (result.status !== 0) throw new Error(`Synapse's servlets could not be read: ${result.stderr}`)
  return [...new Set(result.stdout.trim().split('\n'))]
}

let prepared: NginxPrefix | undefined
let statuses = new Map<string, number[]>()
const synapsePaths: string[] = []
const CONTROL = '/_matrix/client/v3/sync'

beforeAll(() => {
  requireRootForNamespaces()
  requireTool('curl')
  requireTool('ip')
  synapsePaths.push(
    ...synapseLoginPatterns().flatMap(samplePaths),
    '/_synapse/client/sso_register',
    '/_synapse/client/pick_username/account',
  )
  const certificate = tlsCertificatePaths(spec)
  // A stub Synapse on its port that answers 200 to everything, in the same nginx.
  const stub = printNginx([
    directive('server', [], [directive('listen', [`127.0.0.1:${spec.synapse.httpPort}`]), directive('return', [200, 'stub'])]),
  ])
  prepared = prepareNginxPrefix({
    prefixFiles: { [`conf.d/${nginxSitePath(spec.serviceName).split('/').at(-1)}`]: renderNginxSite(spec), 'conf.d/stub.conf': stub },
    hosts: ['messenger-synapse', 'messenger-livekit', 'messenger-lk-jwt-service', 'messenger-element-web'],
    certificate: { ...certificate, names: [HOST] },
  })
  const paths = [CONTROL, ...synapsePaths]
  writeFileSync(join(prepared.prefix, 'paths.txt'), `${paths.join('\n')}\n`)
  const result = runWithNginx(
    prepared,
    [
      `for i in $(seq 1 100); do curl -sk -o /dev/null --resolve ${HOST}:8443:127.0.0.1 https://${HOST}:8443/ && break; sleep 0.1; done`,
      'n=0',
      'while read -r path; do',
      '  n=$((n + 1))',
      // One client address per path (127.0.<1..>.<n>): each path gets its own rate-limit bucket.
      '  src="127.0.$((n / 250 + 1)).$((n % 250 + 1))"',
      '  urls=""',
      `  for i in $(seq 1 ${REQUESTS}); do urls="$urls https://${HOST}:8443$path"; done`,
      `  codes="$(curl -sk --interface "$src" --resolve ${HOST}:8443:127.0.0.1 -X POST -d '{}' -w '%{stderr}%{http_code} ' $urls 2>&1 >/dev/null)"`,
      '  printf "%s %s\\n" "$path" "$codes"',
      'done < "$NGINX_PREFIX/paths.txt"',
    ],
    { timeoutMs: 240_000 },
  )
  statuses = new Map(
    result
      .trim()
      .split('\n')
      .map((line) => {
        const [path, ...codes] = line.trim().split(/\s+/)
        return [path!, codes.map(Number)]
      }),
  )
}, 300_000)

afterAll(() => prepared?.cleanup())

describe('login rate limiting with the real nginx and the real Synapse routes', () => {
  it('reads a full set of login and registration paths from Synapse', () => {
    expect(synapsePaths.length).toBeGreaterThan(30)
    expect(synapsePaths).toContain('/_matrix/client/api/v1/login')
    expect(synapsePaths).toContain('/_matrix/client/unstable/register/available')
  })

  it('a path that is not login gets no 429', () => {
    expect(statuses.get(CONTROL)).toEqual(Array(REQUESTS).fill(200))
  })

  it('every login and registration path is refused with 429 past the burst, from each client address', () => {
    const notLimited = synapsePaths.filter((path) => {
      const codes = statuses.get(path) ?? []
      return codes.length !== REQUESTS || !codes.slice(0, 11).every((code) => code === 200) || !codes.includes(429)
    })
    expect(notLimited.map((path) => `${path}: ${statuses.get(path)?.join(' ')}`)).toEqual([])
  })
})
