// The microservice router with the real nginx and real requests: it takes the client address
// only from the gateway's private network, rate-limits logins per real client, refuses the
// admin API, strips the SFU prefix and answers nothing else. Stubs stand in for Synapse and
// LiveKit and echo what reached them.
import { routerConfPath } from '@messenger-stack/config-schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderRouter } from '../src/router.js'
import { exampleSpec, requireTool } from './_bundle-support.js'
import { prepareNginxPrefix, runWithNginx, type NginxPrefix } from './support/nginx-harness.js'

const spec = exampleSpec('microservice')
const GATEWAY = '10.55.0.1'
const ROUTER = 'http://127.0.0.1:8080'

let prepared: NginxPrefix | undefined
const answers = new Map<string, string>()

beforeAll(() => {
  requireTool('curl')
  // Raw nginx text: test stubs that echo variables, which the renderers' printer rightly never writes.
  const echo = (port: number, what: string) =>
    `server {\n  listen 127.0.0.1:${port};\n  return 200 "${what} xff=$http_x_forwarded_for proto=$http_x_forwarded_proto uri=$request_uri";\n}\n`
  prepared = prepareNginxPrefix({
    prefixFiles: {
      [`conf.d/${routerConfPath(spec.serviceName).split('/').at(-1)}`]: renderRouter(spec),
      'conf.d/stubs.conf': echo(spec.synapse.httpPort, 'synapse') + echo(spec.livekit.httpPort, 'livekit'),
    },
    hosts: ['messenger-synapse', 'messenger-livekit'],
  })
  // Each line: a name, then what curl printed (status and body).
  const ask = (name: string, args: string) => `printf '%s ' ${name}; curl -s -w ' %{http_code}\\n' ${args}`
  const status = (name: string, args: string) => `printf '%s ' ${name}; curl -s -o /dev/null -w '%{http_code}\\n' ${args}`
  const out = runWithNginx(
    prepared,
    [
      `for i in $(seq 1 100); do curl -s -o /dev/null ${ROUTER}/healthz && break; sleep 0.1; done`,
      status('health', `${ROUTER}/healthz`),
      status('admin', `--interface ${GATEWAY} ${ROUTER}/_synapse/admin/v1/register`),
      ask(
        'versions',
        `--interface ${GATEWAY} -H 'X-Forwarded-For: 203.0.113.9' -H 'X-Forwarded-Proto: https' ${ROUTER}/_matrix/client/versions`,
      ),
      ask('spoofed', `--interface 127.0.0.1 -H 'X-Forwarded-For: 198.51.100.7' ${ROUTER}/_matrix/client/versions`),
      ask('sfu', `--interface ${GATEWAY} ${ROUTER}/livekit/sfu/rtc?access_token=x`),
      status('jwt', `--interface ${GATEWAY} ${ROUTER}/livekit/jwt/get_token`),
      status('root', `--interface ${GATEWAY} ${ROUTER}/`),
      // 20 logins of one client through the gateway, then one of another client.
      `printf 'burst '; for i in $(seq 1 20); do curl -s -o /dev/null -w '%{http_code},' --interface ${GATEWAY} -H 'X-Forwarded-For: 203.0.113.20' -X POST ${ROUTER}/_matrix/client/v3/login; done; echo`,
      ask('other-client', `--interface ${GATEWAY} -H 'X-Forwarded-For: 203.0.113.21' -X POST ${ROUTER}/_matrix/client/v3/login`),
    ],
    { addresses: [`${GATEWAY}/24`] },
  )
  for (const line of out.trim().split('\n')) {
    const [name, ...rest] = line.split(' ')
    answers.set(name!, rest.join(' '))
  }
}, 120_000)

afterAll(() => prepared?.cleanup())

describe('the router with the real nginx', () => {
  it('answers its health check', () => {
    expect(answers.get('health')).toBe('200')
  })

  it('refuses the admin API itself: nothing reaches Synapse', () => {
    expect(answers.get('admin')).toBe('404')
  })

  it("passes the gateway's client address and scheme on to Synapse", () => {
    expect(answers.get('versions')).toBe('synapse xff=203.0.113.9 proto=https uri=/_matrix/client/versions 200')
  })

  it('ignores X-Forwarded-For from an address outside the private networks', () => {
    expect(answers.get('spoofed')).toContain('xff=127.0.0.1 ')
  })

  it('strips the SFU prefix for LiveKit and serves nothing it does not route', () => {
    expect(answers.get('sfu')).toBe('livekit xff=10.55.0.1 proto= uri=/rtc?access_token=x 200')
    expect(answers.get('jwt')).toBe('404')
    expect(answers.get('root')).toBe('404')
  })

  it('rate-limits logins per real client, not per gateway', () => {
    const codes = answers.get('burst')!.split(',').filter(Boolean).map(Number)
    expect(codes.slice(0, 11)).toEqual(Array(11).fill(200))
    expect(codes).toContain(429)
    expect(answers.get('other-client')).toMatch(/ 200$/)
  })
})
