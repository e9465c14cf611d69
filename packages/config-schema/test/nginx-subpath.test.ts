// `@messenger-stack/config-schema/nginx` as a tool builder uses it: build a tree with the
// builders, check it with the schema, print it. The printer's quoting and refusals are tested
// in depth in renderers (nginx-printer.test.ts, which reads the output back like nginx).
import { describe, expect, it } from 'vitest'
import * as root from '../src/index.js'
import {
  comment,
  directive,
  entry,
  expression,
  NginxConfigSchema,
  type NginxNode,
  placeholder,
  printNginx,
  regex,
  variable,
} from '../src/nginx.js'

/** A hand-built file: an http-level map, and a server with exact, prefix and regex locations. */
const tree: NginxNode[] = [
  comment('Upgrade WebSocket requests only.'),
  directive(
    'map',
    [expression(variable('http_upgrade')), expression(variable('connection_upgrade'))],
    [entry('default', 'upgrade'), entry('', 'close')],
  ),
  directive(
    'server',
    [],
    [
      directive('listen', [8080]),
      directive('server_name', ['chat.example.org']),
      directive('location', ['=', '/health'], [directive('return', [200, 'ok; fine'])]),
      directive(
        'location',
        ['^~', '/app/'],
        [
          directive('proxy_pass', [expression('http://app-', placeholder('${ACTIVE_COLOR}'), ':3000/')]),
          directive('proxy_set_header', ['Connection', expression(variable('connection_upgrade'))]),
        ],
      ),
      directive('location', ['~', regex('^/a{2}/(x|y)$')], [directive('return', [404])]),
    ],
  ),
]

describe('@messenger-stack/config-schema/nginx', () => {
  it('prints a hand-built tree', () => {
    expect(printNginx(tree, { header: ['Written by a test.'] })).toMatchInlineSnapshot(`
      "# Written by a test.

      # Upgrade WebSocket requests only.
      map $http_upgrade $connection_upgrade {
          default upgrade;
          "" close;
      }

      server {
          listen 8080;
          server_name chat.example.org;

          location = /health {
              return 200 "ok; fine";
          }

          location ^~ /app/ {
              proxy_pass http://app-\${ACTIVE_COLOR}:3000/;
              proxy_set_header Connection $connection_upgrade;
          }

          location ~ "^/a{2}/(x|y)$" {
              return 404;
          }
      }
      "
    `)
  })

  it('the schema checks the tree, not nginx text: it accepts what the printer then refuses', () => {
    expect(NginxConfigSchema.safeParse(tree).success).toBe(true)
    // A tree read from JSON, as a tool might receive it.
    expect(NginxConfigSchema.parse(JSON.parse(JSON.stringify(tree)))).toEqual(tree)
    expect(NginxConfigSchema.safeParse([{ name: 'Bad Name', args: [] }]).success).toBe(false)
    expect(NginxConfigSchema.safeParse('server { listen 80; }').success).toBe(false)
    const literalDollar = [directive('return', [200, '$host'])]
    expect(NginxConfigSchema.safeParse(literalDollar).success).toBe(true)
    expect(() => printNginx(literalDollar)).toThrowErrorMatchingInlineSnapshot(
      `[Error: nginx argument "$host" contains "$", which nginx would read as a variable; model variables explicitly.]`,
    )
  })

  it('is a subpath only: the package root keeps none of the generic builders', () => {
    for (const name of ['comment', 'directive', 'entry', 'expression', 'printNginx', 'regex', 'NginxConfigSchema']) {
      expect(root, name).not.toHaveProperty(name)
    }
  })
})
