import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  comment,
  directive,
  entry,
  expression,
  type NginxArg,
  placeholder,
  printArg,
  printNginx,
  regex,
  variable,
} from '@messenger-stack/config-schema/nginx'
import { parseNginx } from './support/nginx-parse.js'

/** Prints `add_header X-Test <arg>;` and reads it back the way nginx does. */
const roundTrip = (arg: NginxArg) => parseNginx(printNginx([directive('add_header', ['X-Test', arg])]))

describe('printNginx', () => {
  it('prints blocks with 4-space indent, blank lines around blocks, LF and a final newline', () => {
    const text = printNginx(
      [
        directive('server_tokens', ['off']),
        comment('A server.'),
        directive('server', [], [directive('listen', [8080]), directive('location', ['/'], [directive('return', [404])])]),
        directive(
          'map',
          [expression(variable('http_upgrade')), expression(variable('connection_upgrade'))],
          [entry('default', 'upgrade'), entry('', 'close')],
        ),
      ],
      { header: ['generated', ''] },
    )
    expect(text).toMatchInlineSnapshot(`
      "# generated
      #

      server_tokens off;

      # A server.
      server {
          listen 8080;

          location / {
              return 404;
          }
      }

      map $http_upgrade $connection_upgrade {
          default upgrade;
          "" close;
      }
      "
    `)
    expect(text).not.toContain('\r')
  })

  it('prints plain words bare and quotes anything that could end a directive', () => {
    expect(['off', '/_synapse/admin', '^~', 'max-age=63072000', 'X25519:prime256v1'].map((arg) => printArg(arg))).toEqual([
      'off',
      '/_synapse/admin',
      '^~',
      'max-age=63072000',
      'X25519:prime256v1',
    ])
    expect(['a b', 'a;b', 'a{b', 'a}b', '#a', `it's`, 'say "hi"', 'back\\slash', ''].map((arg) => printArg(arg))).toEqual([
      '"a b"',
      '"a;b"',
      '"a{b"',
      '"a}b"',
      '"#a"',
      `"it's"`,
      '"say \\"hi\\""',
      '"back\\\\slash"',
      '""',
    ])
  })

  it('reads quoted arguments back as exactly the original text', () => {
    for (const text of ['a b', 'a;b', 'x { y } z', '#not a comment', `"unbalanced`, `'`, 'a\\"b', 'trailing\\']) {
      expect(roundTrip(text)).toEqual([{ name: 'add_header', args: ['X-Test', text] }])
    }
  })

  it('prints variables, placeholders and regexes only from their explicit kinds', () => {
    expect(printArg(expression('https://', variable('host'), variable('request_uri')))).toBe('https://$host$request_uri')
    expect(printArg(expression(variable('host'), 'suffix'))).toBe('${host}suffix')
    expect(printArg(expression('http://messenger-synapse-', placeholder('${ACTIVE_COLOR}'), ':3708'))).toBe(
      'http://messenger-synapse-${ACTIVE_COLOR}:3708',
    )
    expect(printArg(expression('a b ', variable('host')))).toBe('"a b $host"')
    expect(printArg(regex('^/_matrix/client/(r0|v3)/(login|register)$'))).toBe('^/_matrix/client/(r0|v3)/(login|register)$')
    expect(printArg(regex('^/\\.well-known/matrix/(client|server)$'))).toBe('^/\\.well-known/matrix/(client|server)$')
    expect(printArg(regex('^/a{2}$'))).toBe('"^/a{2}$"')
    expect(parseNginx(`location ~ ${printArg(regex('^/a\\{2} "x";'))} {}`)[0]?.args).toEqual(['~', '^/a\\{2} "x";'])
  })

  it('refuses what it cannot make safe, saying why', () => {
    const refusal = (run: () => unknown) => {
      try {
        run()
      } catch (error) {
        return (error as Error).message
      }
      return 'printed'
    }
    expect(refusal(() => printArg('$host'))).toMatchInlineSnapshot(
      `"nginx argument "$host" contains "$", which nginx would read as a variable; model variables explicitly."`,
    )
    expect(refusal(() => printArg('a\nb'))).toMatchInlineSnapshot(
      `"nginx argument "a\\nb" contains a control or non-ASCII character; refusing to print it."`,
    )
    expect(refusal(() => printArg('a\u0000b'))).toMatchInlineSnapshot(
      `"nginx argument "a\\u0000b" contains a control or non-ASCII character; refusing to print it."`,
    )
    expect(refusal(() => printArg('tab\there'))).toMatchInlineSnapshot(
      `"nginx argument "tab\\there" contains a control or non-ASCII character; refusing to print it."`,
    )
    expect(refusal(() => printArg('caf\u00e9'))).toMatchInlineSnapshot(
      `"nginx argument "café" contains a control or non-ASCII character; refusing to print it."`,
    )
    expect(refusal(() => printNginx([comment('ok\nreturn 200;')]))).toMatchInlineSnapshot(
      `"nginx comment "ok\\nreturn 200;" contains a control or non-ASCII character; refusing to print it."`,
    )
    expect(refusal(() => printNginx([directive('add_header; return', [])]))).toMatchInlineSnapshot(
      `"nginx directive name "add_header; return" is not a plain lowercase word."`,
    )
    expect(refusal(() => printArg(expression(variable('host; return 200'))))).toMatchInlineSnapshot(
      `"nginx variable name "host; return 200" is not a plain word."`,
    )
    expect(refusal(() => printArg(expression(placeholder('${X};'))))).toMatchInlineSnapshot(
      `"nginx placeholder "\${X};" must look like "\${NAME}"."`,
    )
    expect(refusal(() => printArg(regex('a\nb')))).toMatchInlineSnapshot(
      `"nginx regex "a\\nb" contains a control or non-ASCII character; refusing to print it."`,
    )
    expect(refusal(() => printArg(1.5))).toMatchInlineSnapshot(`"nginx numeric argument 1.5 is not a non-negative integer."`)
  })
})

const hostile = fc.string({
  unit: fc.oneof(
    fc.constantFrom(';', '{', '}', '#', '"', "'", '\\', '$', ' ', '\n', '\r', '\t', '\u0000', '(', ')', '=', '~', '^'),
    fc.string({ minLength: 1, maxLength: 1 }),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 40,
})

/** Prints or refuses; when it prints, nginx's reading must be the one directive we meant. */
const printedOrRefused = (build: () => string, expected: unknown) => {
  let text: string
  try {
    text = build()
  } catch (error) {
    expect(error).toBeInstanceOf(Error)
    return
  }
  expect(parseNginx(text)).toEqual(expected)
}

describe('hostile arguments (property)', () => {
  it('a literal argument is one word equal to the input, or refused', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        // Refused only for a reason: `$`, a control or a non-ASCII character.
        if (/^[\x20-\x7e]*$/.test(text) && !text.includes('$')) expect(() => printArg(text)).not.toThrow()
        printedOrRefused(
          () => printNginx([directive('add_header', ['X-Test', text, 'always'])]),
          [{ name: 'add_header', args: ['X-Test', text, 'always'] }],
        )
      }),
      { numRuns: 300 },
    )
  })

  it('a literal can never introduce a variable', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        fc.pre(text.includes('$'))
        expect(() => printArg(text)).toThrow(/contains "\$"|control or non-ASCII/)
      }),
      { numRuns: 100 },
    )
  })

  it('text inside expressions, regexes, comments and table rows never adds a directive', () => {
    fc.assert(
      fc.property(hostile, hostile, (a, b) => {
        printedOrRefused(
          () => printNginx([directive('return', [301, expression(a, variable('host'), b)])]),
          [{ name: 'return', args: ['301', expect.any(String)] }],
        )
        printedOrRefused(
          () => printNginx([directive('location', ['~', regex(a)], [directive('return', [404])])]),
          [{ name: 'location', args: ['~', a], children: [{ name: 'return', args: ['404'] }] }],
        )
        printedOrRefused(() => printNginx([comment(a), directive('server_tokens', ['off'])]), [{ name: 'server_tokens', args: ['off'] }])
        printedOrRefused(
          () => printNginx([directive('map', ['x', 'y'], [entry(a, b)])]),
          [{ name: 'map', args: ['x', 'y'], children: [{ name: a, args: [b] }] }],
        )
      }),
      { numRuns: 300 },
    )
  })

  it('printing is deterministic', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z0-9 ;{}#"']{0,12}$/), { maxLength: 5 }), (args) => {
        const nodes = [directive('server', [], [directive('add_header', args)])]
        expect(printNginx(nodes)).toBe(printNginx(nodes))
      }),
      { numRuns: 100 },
    )
  })
})
