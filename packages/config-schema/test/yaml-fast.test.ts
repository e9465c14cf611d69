// The fast YAML reader of specs against the reader it stands in for (the yaml library, YAML
// 1.1): whenever the fast reader returns a value, the yaml library reads the same text without
// an error or a duplicate key and gives the same value and the same field positions (issues
// and warnings are located with them); otherwise the loader falls back to the yaml library. Texts are generated with
// the YAML 1.1 traps (yes/on/y, 0777, 1:30, timestamps, .inf, ~...) written plain.
import fc from 'fast-check'
import { isDeepStrictEqual } from 'node:util'
import { describe, expect, it } from 'vitest'
import { plainYamlPositions, readPlainYaml } from '../src/_yaml-fast.js'
import { readYamlSource } from '../src/_yaml-source.js'
import { safeLoadDeploymentSpecText } from '../src/index.js'
import { EXAMPLES, repoFile } from './_helpers.js'

/** Plain tokens whose YAML 1.1 meaning is a trap, or ordinary. */
const TOKENS = [
  ...['yes', 'Yes', 'YES', 'no', 'No', 'on', 'On', 'ON', 'off', 'Off', 'y', 'Y', 'n', 'N', 'true', 'True', 'TRUE', 'tRue'],
  ...['false', 'False', 'FALSE', 'null', 'Null', 'NULL', 'nULL', '~', '', '-', '- a', '?', ':', 'a:', 'a: b', 'a:b', 'a #b', 'a#b', '#a'],
  ...[
    '0777',
    '0o17',
    '0x1F',
    '0xff',
    '0b101',
    '007',
    '0',
    '00',
    '12',
    '-12',
    '+12',
    '1_000',
    '1:30',
    '190:20:30',
    '1.5',
    '0.5',
    '1.0',
    '1.',
  ],
  ...[
    '.5',
    '1e5',
    '1E5',
    '1e',
    '6.8523015e+5',
    '.inf',
    '-.inf',
    '.nan',
    '.NaN',
    'NaN',
    '2001-12-14',
    '2001-12-14t21:59:43.10-05:00',
    '1.163.2',
  ],
  ...[
    '203.0.113.10',
    '50M',
    '512mb',
    '1h',
    '30s',
    '10s',
    'Example Chat',
    'example.org',
    'admin@example.org',
    'https://example.org/x',
    '<<',
  ],
  ...[
    '=',
    '&a x',
    '*a',
    '!!str x',
    '!x',
    '|',
    '>',
    '[a, b]',
    '{a: b}',
    'a[b]',
    'a{b}',
    '"x"',
    "'x'",
    '"a\\"b"',
    "'it''s'",
    '"a #b"',
    'a b',
  ],
  ...['__proto__', 'constructor', 'toString', '%TAG', '---', '...', 'x\ty', 'x\\y', 'é', '@x', '`x`', 'a,b', 'a  b', 'a '],
  // Words that begin like a YAML 1.1 boolean or null, or like an exponent, and are longer (the
  // reader looks special words up only up to their length, and exponents only after an e).
  ...['falsey', 'offset', 'Nulls', 'yesterday', 'onion', 'True1', 'e', 'E', 'e1x', 'E-1', 'eel', 'e+', '9z', '1a2', '12:30'],
]
const KEYS = [
  'serverName',
  'a',
  'b',
  'c',
  'd',
  'e',
  'f',
  'a.b',
  '_x',
  'x-y',
  'serverName',
  'a',
  'b',
  'c',
  'd',
  'e',
  'f',
  'a.b',
  '_x',
  'x-y',
]
const TRAP_KEYS = ['on', 'yes', 'y', 'No', 'null', 'true', '1', '__proto__', 'constructor', 'a b', '"q"', '<<']
const key = fc.oneof({ arbitrary: fc.constantFrom(...KEYS), weight: 40 }, { arbitrary: fc.constantFrom(...TRAP_KEYS), weight: 1 })

const SAFE_TOKENS = ['a', 'word', 'Example Chat', '12', '0', '0.5', 'true', 'false', 'null', '50M', '203.0.113.10', 'example.org', 'x-y_z']
const token = fc.oneof(
  { arbitrary: fc.constantFrom(...SAFE_TOKENS), weight: 12 },
  { arbitrary: fc.constantFrom(...TOKENS), weight: 3 },
  { arbitrary: fc.string({ maxLength: 6 }), weight: 1 },
  { arbitrary: fc.integer({ min: -5, max: 100_000 }).map(String), weight: 1 },
)
const quoted = fc
  .tuple(token, fc.constantFrom('plain', 'plain', 'plain', 'single', 'double'))
  .map(([text, style]) => (style === 'single' ? `'${text}'` : style === 'double' ? `"${text}"` : text))

type Tree = string | Tree[] | [string, Tree][]
const isMapTree = (tree: Tree): tree is [string, Tree][] =>
  Array.isArray(tree) &&
  tree.every((entry) => Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string' && entry[0].startsWith('\u0000'))

const { tree } = fc.letrec<{ tree: Tree; map: Tree; seq: Tree }>((tie) => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, quoted, tie('map'), tie('seq')),
  map: fc.array(
    fc.tuple(
      key.map((name) => `\u0000${name}`),
      tie('tree'),
    ),
    { minLength: 1, maxLength: 4 },
  ),
  seq: fc.array(tie('tree'), { minLength: 1, maxLength: 3 }),
}))

interface Style {
  readonly indent: number
  readonly seqAtKeyIndent: boolean
  readonly comments: boolean
}

/** Writes a tree as block YAML; tokens are written as they are, traps included. */
function write(value: Tree, depth: number, style: Style, out: string[]): void {
  const pad = ' '.repeat(depth)
  if (typeof value === 'string') {
    out.push(`${pad}${value}`)
    return
  }
  if (isMapTree(value)) {
    for (const [rawKey, child] of value) {
      const key = rawKey.slice(1)
      if (style.comments) out.push(`${pad}# about ${key}`)
      if (typeof child === 'string') out.push(`${pad}${key}: ${child}${style.comments ? ' # note' : ''}`)
      else {
        out.push(`${pad}${key}:`)
        const nested = !isMapTree(child) && style.seqAtKeyIndent ? depth : depth + style.indent
        write(child, nested, style, out)
      }
    }
    return
  }
  for (const item of value) {
    if (typeof item === 'string') out.push(`${pad}- ${item}`)
    else if (isMapTree(item)) {
      // `- key: value` with the mapping's other keys below, aligned with the first.
      const lines: string[] = []
      write(item, depth + 2, style, lines)
      const first = lines.findIndex((line) => !line.trimStart().startsWith('#'))
      lines[first] = `${pad}- ${lines[first]!.slice(depth + 2)}`
      out.push(...lines)
    } else {
      out.push(`${pad}-`)
      write(item, depth + style.indent, style, out)
    }
  }
}

const style = fc.record({ indent: fc.constantFrom(2, 4), seqAtKeyIndent: fc.boolean(), comments: fc.boolean() })
const document = fc
  .tuple(
    fc.array(
      fc.tuple(
        key.map((name) => `\u0000${name}`),
        tree,
      ),
      { minLength: 1, maxLength: 5 },
    ),
    style,
  )
  .map(([root, s]) => {
    const out: string[] = []
    write(root as Tree, 0, s, out)
    return `${out.join('\n')}\n`
  })

/** Arbitrary text over the characters that matter to YAML. */
const noise = fc
  .array(
    fc.constantFrom(
      'a',
      'b',
      'y',
      'o',
      'n',
      '0',
      '1',
      '7',
      ' ',
      '  ',
      ':',
      ': ',
      '-',
      '- ',
      '\n',
      '\n  ',
      '#',
      "'",
      '"',
      '{',
      '[',
      '&',
      '*',
      '!',
      '|',
      '>',
      '\t',
      '.',
      '~',
      '\r',
      '---',
    ),
    {
      maxLength: 60,
    },
  )
  .map((parts) => parts.join(''))

/** The fast reader agrees with the yaml library, or declines. */
let taken = 0

function agrees(text: string): boolean {
  const fast = readPlainYaml(text)
  if (fast === undefined) return true
  taken++
  const slow = readYamlSource(text, 'spec.yaml')
  // The same value, and every field at the same line and column (issues and warnings are located with them).
  // (Positions it is not sure of, it declines to give: the loader then asks the yaml library.)
  const positions = plainYamlPositions(text)
  return slow.ok && isDeepStrictEqual(fast, slow.value) && (positions === undefined || isDeepStrictEqual(positions, slow.positions))
}

describe('readPlainYaml (the fast reader of specs)', () => {
  it('reads every example spec, to the same value as the yaml library', () => {
    for (const name of EXAMPLES) {
      const text = repoFile(`examples/${name}/deployment.yaml`)
      const slow = readYamlSource(text, 'deployment.yaml')
      expect(slow.ok).toBe(true)
      expect(readPlainYaml(text), name).toEqual(slow.ok ? slow.value : undefined)
      expect(plainYamlPositions(text), name).toEqual(slow.ok ? slow.positions : undefined)
    }
  })

  it('gives the yaml library value of generated block YAML, or declines (YAML 1.1 traps written plain)', () => {
    taken = 0
    fc.assert(
      fc.property(document, (text) => agrees(text)),
      { numRuns: 3000 },
    )
    expect(taken).toBeGreaterThan(300) // the generator reaches the fast path often enough to mean something
  }, 60_000)

  it('gives the yaml library value of arbitrary text, or declines', () => {
    fc.assert(
      fc.property(noise, (text) => agrees(text)),
      { numRuns: 3000 },
    )
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => agrees(text)),
      { numRuns: 1000 },
    )
  })

  it('declines the YAML 1.1 forms that differ from the plain reading', () => {
    for (const value of [
      'yes',
      'on',
      'off',
      'y',
      'N',
      '0777',
      '1:30',
      '2001-12-14',
      '0x1F',
      '.inf',
      '~',
      '1_000',
      '6.8523015e+5',
      'e0',
      'E+5',
      'e-12',
    ]) {
      expect(readPlainYaml(`a: ${value}\n`), value).toBeUndefined()
    }
    expect(readPlainYaml('a: 1\na: 2\n')).toBeUndefined() // duplicate keys are the yaml reader's to report
    expect(readPlainYaml('on: 1\n')).toBeUndefined() // a 1.1 boolean as a key
    // fast-check found it: YAML 1.1 reads a bare exponent as a float (NaN), not as the word.
    expect(readPlainYaml('serverName:\n  serverName:\n    serverName: e0\n')).toBeUndefined()
  })

  it('loading gives the same result, issues, warnings and positions included, as the yaml library path', () => {
    // A document end marker makes the fast reader decline and changes nothing for the yaml
    // library: the same text read both ways. The specs are examples with one value replaced by
    // a token, so that some are valid, some draw warnings and some are refused.
    const specs = EXAMPLES.map((name) => repoFile(`examples/${name}/deployment.yaml`).split('\n'))
    const edited = fc.tuple(fc.nat(), fc.nat(), quoted).map(([which, line, value]) => {
      const lines = [...specs[which % specs.length]!]
      const editable = lines.flatMap((text, index) => (/^\s*[A-Za-z]+: \S/.test(text) ? [index] : []))
      const at = editable[line % editable.length]!
      lines[at] = lines[at]!.replace(/: .*$/, `: ${value}`)
      return lines.join('\n')
    })
    fc.assert(
      fc.property(edited, (text) => {
        // Only texts the fast reader takes matter (the others go through the yaml library anyway).
        if (readPlainYaml(text) === undefined) return
        expect(readPlainYaml(`${text}...\n`)).toBeUndefined()
        expect(safeLoadDeploymentSpecText(text, 'deploy.yaml')).toEqual(safeLoadDeploymentSpecText(`${text}...\n`, 'deploy.yaml'))
      }),
      { numRuns: 400 },
    )
  }, 60_000)
})
