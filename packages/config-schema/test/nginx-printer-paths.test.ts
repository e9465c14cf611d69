// The nginx printer's fast paths against their references, on generated input, so that they
// cannot silently diverge: the bare-regex check (runs between escapes, and the memo of patterns
// printed bare) against the alternation it replaced, and the printing of shared nodes (each
// simple directive printed once per file, then reused) against printing the same tree with no
// node shared.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  comment,
  directive,
  entry,
  expression,
  type NginxArg,
  type NginxNode,
  printArg,
  printNginx,
  regex,
  variable,
} from '../src/nginx.js'

/** The bare-regex rule as the printer first wrote it: one alternation per character. */
const BARE_REGEX_ALTERNATION = /^(?:[A-Za-z0-9._~:/@%+=,!*?&^|()[\]<>$-]|\\[^"'\\trn\s])+$/

/** How the printer printed a regex argument before (same refusals, same quoting). */
function printRegexByAlternation(pattern: string): string {
  if (!/^[\x20-\x7e]*$/.test(pattern)) throw new Error('unprintable')
  if (pattern === '') throw new Error('empty')
  if (BARE_REGEX_ALTERNATION.test(pattern) && !pattern.includes('${')) return pattern
  return `"${pattern.replace(/[\\"]/g, (ch) => `\\${ch}`)}"`
}

const outcome = (print: () => string): string => {
  try {
    return print()
  } catch {
    return 'refused'
  }
}

/** Regex-like text near the rule's edges: escapes of every kind, quotes, braces, spaces, controls. */
const regexLike = fc.string({
  unit: fc.oneof(
    fc.constantFrom('\\', '\\', 'a', 'Z', '0', '.', '^', '$', '(', ')', '|', '[', ']', '*', '?', '/', '{', '}', ';', '#'),
    fc.constantFrom('"', "'", 't', 'r', 'n', 's', ' ', '\t', '\n', '\u00e9', '~', '-', '_', ':'),
    // Any printable ASCII character, and any control character, after a backslash or not.
    fc.integer({ min: 0, max: 0x7f }).map((code) => String.fromCharCode(code)),
  ),
  maxLength: 24,
})

/** Patterns that are bare but for their escapes: plain runs, each escape a backslash and any ASCII character. */
const escapedRuns = fc
  .array(
    fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9.^$()|*?/-]{0,4}$/),
      fc.integer({ min: 0, max: 0x7f }).map((code) => `\\${String.fromCharCode(code)}`),
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((parts) => parts.join(''))

describe('bare regexes', () => {
  it('the regex check prints exactly what the alternation form printed, however often it was printed before (property)', () => {
    fc.assert(
      fc.property(fc.oneof(regexLike, escapedRuns), (pattern) => {
        // Three times: the second and third go through the memo of patterns printed bare, the
        // first through the check itself (and a copy of the string, another object, too).
        const expected = outcome(() => printRegexByAlternation(pattern))
        for (const copy of [pattern, pattern, [...pattern].join('')]) expect(outcome(() => printArg(regex(copy)))).toBe(expected)
      }),
      { numRuns: 3000 },
    )
  })

  it('keeps the worker-route patterns bare and quotes a brace', () => {
    const pattern = '^(?:/_matrix/client/(api/v1|r0|v3|unstable)/rooms/.*/typing|/_matrix/client/v1/rooms/[^/]+/initialSync$)'
    expect(printArg(regex(pattern))).toBe(pattern)
    expect(printArg(regex('^/\\.well-known/matrix/(client|server)$'))).toBe('^/\\.well-known/matrix/(client|server)$')
    expect(printArg(regex('^/a{2}$'))).toBe('"^/a{2}$"')
    expect(printArg(regex('^/a\\{2\\}$'))).toBe('^/a\\{2\\}$')
  })
})

/** An argument of any kind, sometimes one the printer refuses (`$` in text, a bad variable name). */
const anyArg: fc.Arbitrary<NginxArg> = fc.oneof(
  fc.constantFrom('off', 'a b', '', '/x', '"q"', 'x;y', 'with$dollar'),
  fc.nat({ max: 70_000 }),
  fc.constantFrom('host', 'remote_addr', 'bad name').map((name) => expression(variable(name))),
  fc.constantFrom('^/x$', '^/a{2}$', '').map((pattern) => regex(pattern)),
)

/** A tree built from a small pool of nodes, so the same node objects recur at several depths. */
const sharedTree = fc
  .record({
    leaves: fc.array(
      fc.record({ name: fc.constantFrom('add_header', 'proxy_pass', 'listen', 'bad name'), args: fc.array(anyArg, { maxLength: 3 }) }),
      { minLength: 1, maxLength: 5 },
    ),
    shape: fc.array(fc.array(fc.nat({ max: 9 }), { maxLength: 8 }), { minLength: 1, maxLength: 6 }),
  })
  .map(({ leaves, shape }) => {
    const pool: NginxNode[] = leaves.map((leaf) => directive(leaf.name, leaf.args))
    pool.push(comment('a comment'), entry('default', 'x'))
    const pick = (at: number): NginxNode => pool[at % pool.length]!
    // Blocks nest: each block holds picked nodes and the block before it, so depths differ.
    let inner: NginxNode[] = []
    const top: NginxNode[] = []
    for (const picks of shape) {
      const block = directive('location', ['/'], [...picks.map(pick), ...inner])
      top.push(...picks.map(pick))
      inner = [block, ...picks.slice(0, 2).map(pick)]
    }
    return [...top, ...inner]
  })

describe('shared nodes', () => {
  it('a tree whose nodes recur prints as the same tree with no node shared (property)', () => {
    fc.assert(
      fc.property(sharedTree, (nodes) => {
        // A JSON copy (structuredClone would keep the sharing): every node its own object.
        const unshared = JSON.parse(JSON.stringify(nodes)) as NginxNode[]
        expect(outcome(() => printNginx(nodes))).toBe(outcome(() => printNginx(unshared)))
      }),
      { numRuns: 500 },
    )
  })

  it('prints one node at the indent of each place it appears', () => {
    const shared = directive('proxy_http_version', ['1.1'])
    expect(printNginx([shared, directive('server', [], [shared, directive('location', ['/'], [shared])])])).toBe(
      'proxy_http_version 1.1;\n\nserver {\n    proxy_http_version 1.1;\n\n    location / {\n        proxy_http_version 1.1;\n    }\n}\n',
    )
  })
})

/** Names near the rule's edges: plain words, capitals, digits first, dashes, spaces, `;`, non-ASCII. */
const nameLike = fc.string({
  unit: fc.constantFrom('a', 'z', '_', '0', '9', 'A', '-', ' ', ';', '{', '\n', '\u00e9', 'x'),
  maxLength: 12,
})

describe('directive names', () => {
  it('a name is printed exactly when it is a plain lowercase word, however often it was printed before (property)', () => {
    fc.assert(
      fc.property(fc.array(nameLike, { minLength: 1, maxLength: 20 }), (names) => {
        // Each name twice in a row and then once more at the end: the second and third meetings
        // go through the memo of names already accepted, the first through the check itself.
        for (const name of [...names, ...names, ...names]) {
          const expected = /^[a-z_][a-z0-9_]*$/.test(name) ? `${name};\n` : 'refused'
          expect(outcome(() => printNginx([directive(name)]))).toBe(expected)
        }
      }),
      { numRuns: 300 },
    )
  })
})

/** Comments near the printable rule: plain text, spaces, `#`, quotes, controls, non-ASCII, DEL. */
const commentLike = fc.string({
  unit: fc.constantFrom('a', 'Z', ' ', '#', '"', '~', '\n', '\t', '\u0000', '\u007f', '\u00e9', '\u2028'),
  maxLength: 10,
})

describe('comments', () => {
  it('a comment is printed exactly when it is printable ASCII, however often it was printed before (property)', () => {
    fc.assert(
      fc.property(fc.array(commentLike, { minLength: 1, maxLength: 20 }), (texts) => {
        // Each text three times, the last as another string object: the later meetings go
        // through the memo of comments already accepted, the first through the check itself.
        for (const text of [...texts, ...texts, ...texts.map((text) => [...text].join(''))]) {
          const expected = /^[\x20-\x7e]*$/.test(text) ? `${text === '' ? '#' : `# ${text}`}\n` : 'refused'
          expect(outcome(() => printNginx([comment(text)]))).toBe(expected)
          expect(outcome(() => printNginx([], { header: [text] }))).toBe(expected)
        }
      }),
      { numRuns: 300 },
    )
  })
})

/** Text near the quoting rules: bare characters, spaces, quotes, `\`, `$`, `;`, controls, non-ASCII. */
const textLike = fc.string({
  unit: fc.constantFrom('a', 'Z', '0', '-', '.', ':', '/', ' ', '"', '\\', '$', ';', '{', '#', '\n', '\u00e9'),
  minLength: 1,
  maxLength: 8,
})

describe('string arguments', () => {
  it('a string is printed bare exactly when it is one plain word, however often it was printed before (property)', () => {
    fc.assert(
      fc.property(fc.array(textLike, { minLength: 1, maxLength: 20 }), (texts) => {
        // Each text three times, the last as another string object: the later meetings go
        // through the memo of words already printed bare, the first through the check itself.
        for (const text of [...texts, ...texts, ...texts.map((text) => [...text].join(''))]) {
          const bare = /^[A-Za-z0-9._~:/@%+=,!*?&^|()[\]<>-]+$/.test(text)
          // As a whole argument and as the one text part of an expression: the same memo.
          for (const printed of [outcome(() => printArg(text)), outcome(() => printArg(expression(text)))]) {
            if (bare) expect(printed).toBe(text)
            else expect(printed === 'refused' || printed.startsWith('"')).toBe(true)
          }
        }
      }),
      { numRuns: 500 },
    )
  })

  it('a variable is printed exactly when its name is a plain word, however often it was printed before (property)', () => {
    const nameLikeVariable = fc.string({ unit: fc.constantFrom('a', 'Z', '0', '_', '-', ' ', '$', '{', '}', '\n', '\u00e9'), maxLength: 8 })
    fc.assert(
      fc.property(fc.array(nameLikeVariable, { minLength: 1, maxLength: 20 }), (names) => {
        for (const name of [...names, ...names, ...names.map((name) => [...name].join(''))]) {
          const expected = /^[A-Za-z0-9_]+$/.test(name) ? `$${name}` : 'refused'
          expect(outcome(() => printArg(expression(variable(name))))).toBe(expected)
        }
      }),
      { numRuns: 300 },
    )
  })
})

describe('literal text in parts', () => {
  it('prints non-empty text parts exactly as the one literal they join to (property)', () => {
    // Renderers write a URL of plain names as one literal (a proxy_pass to a container) and one
    // with a placeholder as an expression: both must print and refuse alike.
    fc.assert(
      fc.property(fc.array(textLike, { minLength: 1, maxLength: 4 }), (parts) => {
        expect(outcome(() => printArg(parts.join('')))).toBe(outcome(() => printArg(expression(...parts))))
      }),
      { numRuns: 2000 },
    )
  })
})
