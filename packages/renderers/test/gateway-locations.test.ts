// Our routes in someone else's server block: renderGatewayLocations / gatewayProxyModel print
// the location blocks of nginx/gateway-proxy.conf (one model), and the real nginx accepts them
// inside a server block of a minimal nginx.conf that this test writes itself.
import { describe, expect, it } from 'vitest'
import { BUNDLE_PATHS, containerName, deriveValues } from '@messenger-stack/config-schema'
import { generatedHeader } from '@messenger-stack/config-schema/formats'
import { directive, printNginx } from '@messenger-stack/config-schema/nginx'
import { gatewayProxyModel, renderGatewayLocations, renderGatewayProxy } from '../src/index.js'
import { EXAMPLES, exampleSpec } from './_bundle-support.js'
import { nginxTest, prepareNginxPrefix } from './support/nginx-harness.js'

const MICROSERVICE_EXAMPLES = EXAMPLES.filter((name) => exampleSpec(name).mode === 'microservice')
const upstreamHosts = (text: string) => [...new Set([...text.matchAll(/proxy_pass http:\/\/([^:/]+)/g)].map((match) => match[1]!))]

describe('renderGatewayLocations', () => {
  it.each(MICROSERVICE_EXAMPLES)('examples/%s: the gateway include is its file header followed by exactly these blocks', (name) => {
    const spec = exampleSpec(name)
    const header = generatedHeader(BUNDLE_PATHS.gatewayProxy).map((line) => (line === '' ? '#' : `# ${line}`))
    expect(renderGatewayProxy(spec)).toBe(`${header.join('\n')}\n\n${renderGatewayLocations(spec)}`)
  })

  it('with activeColor, names the containers of that colour instead of the placeholder, and changes nothing else', () => {
    const spec = exampleSpec('microservice')
    const placeholder = spec.gateway.activeColorPlaceholder
    const green = renderGatewayLocations(spec, { activeColor: 'green' })
    expect(green).not.toContain(placeholder)
    expect(upstreamHosts(green)).toEqual(['messenger-router-green', 'messenger-lk-jwt-service-green'])
    // The same blocks as the placeholder version after the gateway's substitution; only the
    // comment explaining the placeholder differs.
    const substituted = renderGatewayLocations(spec).replaceAll(placeholder, 'green')
    const differing = green.split('\n').filter((line, index) => line !== substituted.split('\n')[index])
    expect(differing).toEqual(['# Upstreams are the green containers.'])
  })

  it('refuses a standalone spec, whose routes belong to its own nginx site', () => {
    expect(() => renderGatewayLocations(exampleSpec('standalone'))).toThrowErrorMatchingInlineSnapshot(
      `[Error: nginx/gateway-proxy.conf belongs to microservice mode, but the spec's mode is standalone.]`,
    )
  })
})

/** A minimal nginx.conf of our own: every path relative to the prefix, one `http` block holding `servers`. */
function minimalNginxConf(servers: string): string {
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `    ${kind}_temp_path temp/${kind};`)
  return [
    'worker_processes 1;',
    'pid nginx.pid;',
    'error_log error.log;',
    'events {',
    '    worker_connections 64;',
    '}',
    'http {',
    '    access_log access.log;',
    ...temp,
    servers,
    '}',
    '',
  ].join('\n')
}

const indent = (text: string, pad: string) =>
  text
    .split('\n')
    .map((line) => (line === '' ? line : pad + line))
    .join('\n')

/** Runs the real `nginx -t` on `conf` with `hosts` resolving to 127.0.0.1 (nginx resolves upstream names at load). */
function nginxAccepts(conf: string, hosts: readonly string[]): { ok: boolean; output: string } {
  const prepared = prepareNginxPrefix({ prefixFiles: { 'nginx.conf': conf }, hosts })
  try {
    return nginxTest(prepared)
  } finally {
    prepared.cleanup()
  }
}

describe('the printed locations inside our own server block, with the real nginx -t', () => {
  it.each(MICROSERVICE_EXAMPLES)('examples/%s: pasted as text and built as a tree, nginx accepts both', (name) => {
    const spec = exampleSpec(name)
    const host = deriveValues(spec).matrixHost
    // As text: the printed blocks pasted into a server block written by hand.
    const blue = renderGatewayLocations(spec, { activeColor: 'blue' })
    const pasted = [
      '    server {',
      '        listen 127.0.0.1:18081;',
      `        server_name ${host};`,
      '        location / {',
      '            return 200;',
      '        }',
      indent(blue, '        '),
      '    }',
    ].join('\n')
    // As a tree: the model's nodes inside a server block built with the public builders.
    const green = printNginx([
      directive(
        'server',
        [],
        [
          directive('listen', ['127.0.0.1:18082']),
          directive('server_name', [host]),
          directive('location', ['/'], [directive('return', [200])]),
          ...gatewayProxyModel(spec, { activeColor: 'green' }),
        ],
      ),
    ])
    const hosts = [...upstreamHosts(blue), ...upstreamHosts(green)]
    expect(hosts).toEqual(expect.arrayContaining([containerName(spec, 'router', 'blue'), containerName(spec, 'router', 'green')]))
    const result = nginxAccepts(minimalNginxConf(`${pasted}\n${indent(green, '    ')}`), hosts)
    expect(result.output).toContain('test is successful')
    expect(result.ok).toBe(true)
  })

  it('nginx reads the pasted blocks: the placeholder version is refused until the colour is substituted', () => {
    const spec = exampleSpec('microservice')
    const server = (blocks: string) => ['    server {', '        listen 127.0.0.1:18081;', indent(blocks, '        '), '    }'].join('\n')
    const withPlaceholder = nginxAccepts(minimalNginxConf(server(renderGatewayLocations(spec))), [])
    expect(withPlaceholder.ok).toBe(false)
    expect(withPlaceholder.output).toContain('unknown "active_color" variable')
  })
})
