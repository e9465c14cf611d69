// The YAML printer's fast paths against their references, on generated input, so that they
// cannot silently diverge: the plain-word check against the regex it replaces, the escape loop
// against a regex replace, and the whole printer against the line-by-line printer it replaced.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { IMPLICIT_TYPE, PLAIN_WORD, doubleQuoted, escapeDoubleQuoted, isImplicitType, isPlainWord } from '../src/formats/_yaml-scalars.js'
import { toYaml } from '../src/formats.js'
import { withRenderMemo } from '../src/index.js'
import { toYamlByLines } from './_yaml-line-printer.js'

/** Words near the boundary of the plain-word rule: implicit types, indicators, a trailing colon. */
const wordLike = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_./:@+=#' -]{0,9}$/),
  fc.stringMatching(/^[-+.]?[0-9eExXoObB._:]{0,8}$/),
  fc.stringMatching(/^[A-Za-z]{1,6}$/),
  fc.double().map(String),
  fc.integer().map(String),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10 + (date.getSeconds() % 3) * 3)),
  fc.constantFrom('null', 'Null', 'NULL', '~', 'yes', 'No', 'ON', 'off', 'y', 'N', 'true', 'FALSE', 'e5', 'E0', 'e+5', 'E-3x'),
  fc.constantFrom('.inf', '-.Inf', '.NaN', '.5', '1.', '<<', '=', '1:20', '190:20:30', '0b101', '0o17', '0x1F', '_x', '/a:', 'a:'),
  fc.string(),
  fc.string({ unit: 'binary' }),
)

/** The escaping the printer used before the loop: one regex replace with a callback. */
function escapeByRegex(text: string): string {
  const named: Record<string, string> = {
    '\0': '\\0',
    '\x07': '\\a',
    '\b': '\\b',
    '\t': '\\t',
    '\n': '\\n',
    '\v': '\\v',
    '\f': '\\f',
    '\r': '\\r',
    '\x1b': '\\e',
    '"': '\\"',
    '\\': '\\\\',
    '\x85': '\\N',
    '\xa0': '\\_',
    '\u2028': '\\L',
    '\u2029': '\\P',
  }
  return text.replace(/["\\\x00-\x1f\x7f-\x9f\xa0\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udfff]/g, (char) => {
    const code = char.charCodeAt(0)
    return named[char] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`)
  })
}

/** Text made of the code units at the edges of the escape rules: Latin-1, separators, BOM, non-characters, surrogates. */
const edgyText = fc
  .array(
    fc.oneof(
      fc.integer({ min: 0, max: 0x101 }),
      fc.constantFrom(0x2027, 0x2028, 0x2029, 0xfeff, 0xfffe, 0xffff, 0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000),
    ),
    {
      maxLength: 12,
    },
  )
  .map((codes) => String.fromCharCode(...codes))

const scalar = fc.oneof(wordLike, edgyText, fc.integer(), fc.double(), fc.boolean(), fc.constant(null))
const tree = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('map')),
  list: fc.array(fc.oneof(tie('node'), fc.constant(undefined)), { maxLength: 4 }),
  map: fc.dictionary(wordLike, fc.oneof(tie('node'), fc.constant(undefined)), { maxKeys: 5 }),
})).node

describe('YAML printer fast paths', () => {
  it('isPlainWord agrees with the plain-word regex', () => {
    fc.assert(
      fc.property(wordLike, (text) => {
        expect(isPlainWord(text)).toBe(PLAIN_WORD.test(text))
      }),
      { numRuns: 20_000, seed: 1515 },
    )
  })

  it('isImplicitType agrees with the implicit-type regex', () => {
    // Strings near every implicit type, now and then with one character none of them has (`s`,
    // space, `/`, a non-ASCII letter) at any place, and dates followed by anything.
    const near = fc.oneof(
      wordLike,
      fc.stringMatching(/^[-+.~<=0-9a-fA-FxoinINulsyYtTrRUSL_:]{0,8}$/),
      fc
        .tuple(fc.stringMatching(/^[-+.0-9eExob_:]{0,6}$/), fc.constantFrom('s', ' ', '/', 'é', 'O', 'g', 'm'), fc.nat(6))
        .map(([text, odd, at]) => text.slice(0, at) + odd + text.slice(at)),
      fc.tuple(fc.stringMatching(/^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$/), fc.string({ maxLength: 6 })).map(([date, rest]) => date + rest),
      fc.constantFrom('ON', 'On', 'NO', 'Off', 'OFF', 'TRUE', 'FALSE', 'YES', '.NaN', '-.INF', '<<', '=', '~', '0x1F', '0o17', '1e5'),
    )
    fc.assert(
      fc.property(near, (text) => {
        expect(isImplicitType(text)).toBe(IMPLICIT_TYPE.test(text))
      }),
      { numRuns: 20_000, seed: 1519 },
    )
  })

  it('the escape loop agrees with a regex replace', () => {
    fc.assert(
      fc.property(fc.oneof(wordLike, edgyText, fc.string({ unit: 'binary', maxLength: 60 })), (text) => {
        expect(escapeDoubleQuoted(text)).toBe(escapeByRegex(text))
      }),
      { numRuns: 5_000, seed: 1516 },
    )
  })

  it('double-quotes through JSON.stringify exactly as the escape loop does', () => {
    // Mostly text that takes the JSON way (printable, the five short escapes, quotes,
    // backslashes, non-Latin), with a code unit at the edge of the rules now and then.
    const unit = fc.oneof(
      {
        weight: 8,
        arbitrary: fc.constantFrom('a', ' ', '\n', '\t', '\b', '\f', '\r', '"', '\\', "'", 'é', '€', '#', ':', '\u2027', '\ue000'),
      },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)) },
      { weight: 1, arbitrary: fc.constantFrom('\ud83d\ude00', '\x7f', '\x85', '\xa0', '\xa1', '\x0b', '\x1b', '\0', '\u2028', '\ufeff') },
    )
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(unit, { maxLength: 40 }).map((units) => units.join('')),
          // Long ASCII text (a configuration file), which the printer checks by its bytes, with
          // a code unit now and then that JSON does not write as YAML does, or a typed `\u`.
          fc
            .array(
              fc.oneof(
                { weight: 400, arbitrary: fc.constantFrom('a', ' ', '\n', '\t', '\b', '\f', '\r', '"', '\\', '#', ':', '{') },
                { weight: 1, arbitrary: fc.constantFrom('\0', '\x07', '\x0b', '\x1b', '\x1f', '\x7f', '\x80', 'é', '\\u', '\u2028') },
              ),
              { minLength: 100, maxLength: 300 },
            )
            .map((units) => units.join('')),
          edgyText,
          fc.string({ unit: 'binary' }),
        ),
        (text) => {
          expect(doubleQuoted(text)).toBe(`"${escapeDoubleQuoted(text)}"`)
        },
      ),
      { numRuns: 10_000, seed: 1518 },
    )
  })

  it('double-quotes a text as long as the scratch bytes of the ASCII check, led by a two-byte code unit', () => {
    // The bytes fill up before the text ends: as many bytes written as the text has code units, not all of it read.
    const text = `\x80${'a'.repeat(2 ** 20 - 1)}`
    expect(doubleQuoted(text)).toBe(`"${escapeDoubleQuoted(text)}"`)
  })

  it('prints byte for byte what the line-by-line printer printed, in a render and outside one', () => {
    fc.assert(
      fc.property(tree, fc.array(fc.string({ maxLength: 8 }), { maxLength: 2 }), (value, header) => {
        const want = toYamlByLines(value, header)
        expect(toYaml(value, { header })).toBe(want)
        // Inside a render, the scalars table is shared by every document of the bundle.
        expect(withRenderMemo({}, () => [toYaml(value, { header }), toYaml(value, { header })])).toEqual([want, want])
      }),
      { numRuns: 1_000, seed: 1517 },
    )
  })

  it('prints a frozen sub-tree shared at several places and depths as a copy of it would print', () => {
    const freeze = (value: unknown, deep: boolean): unknown => {
      if (value === null || typeof value !== 'object') return value
      if (deep) for (const member of Object.values(value)) freeze(member, true)
      return Object.freeze(value)
    }
    fc.assert(
      fc.property(tree, fc.boolean(), fc.boolean(), (value, deep, inList) => {
        const copy = structuredClone(value)
        const shared = freeze(value, deep)
        const holder = (inner: unknown) => ({ a: inner, b: [inner, { c: inner, d: [[inner]] }], e: { f: { g: inner } } })
        const document = inList ? [holder(shared), shared] : holder(shared)
        const want = toYamlByLines(inList ? [holder(copy), copy] : holder(copy))
        expect(toYaml(document)).toBe(want)
        expect(withRenderMemo({}, () => [toYaml(document), toYaml(document)])).toEqual([want, want])
      }),
      { numRuns: 1_000, seed: 1519 },
    )
  })

  it('prints a frozen object again when something inside it was not frozen and changed', () => {
    const labels = { app: 'a' }
    const shallow = Object.freeze({ labels, port: 1 })
    const deep = Object.freeze({ labels: Object.freeze({ app: 'a' }), port: 1 })
    withRenderMemo({}, () => {
      expect(toYaml({ shallow, deep })).toBe(toYamlByLines({ shallow, deep }))
      labels.app = 'b'
      expect(toYaml({ shallow, deep })).toBe(toYamlByLines({ shallow, deep }))
      expect(toYaml({ shallow })).toContain('app: b')
    })
  })

  it('prints long strings (looked up in their own list) as the line-by-line printer did', () => {
    // Texts around the length where the printer stops using its table, some equal in length,
    // some the same text built twice, some needing escapes.
    const long = fc
      .tuple(fc.integer({ min: 250, max: 262 }), fc.constantFrom('a', 'b', '\n', '"', '\x85', ': '))
      .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length))
    fc.assert(
      fc.property(fc.array(long, { minLength: 1, maxLength: 8 }), (texts) => {
        const value = { a: texts, b: texts.map((text) => ({ [text.slice(0, 3)]: `${text}` })), c: texts[0] }
        const want = toYamlByLines(value)
        expect(toYaml(value)).toBe(want)
        expect(withRenderMemo({}, () => [toYaml(value), toYaml(value)])).toEqual([want, want])
      }),
      { numRuns: 500, seed: 1520 },
    )
  })

  it('prints plain words (not looked up in the table) and near-plain strings as the line-by-line printer did', () => {
    fc.assert(
      fc.property(fc.array(wordLike, { minLength: 1, maxLength: 12 }), (words) => {
        const value = { list: words, map: Object.fromEntries(words.map((word, index) => [`k${index}`, word])), again: [...words] }
        const want = toYamlByLines(value)
        expect(toYaml(value)).toBe(want)
        expect(withRenderMemo({}, () => [toYaml(value), toYaml(value)])).toEqual([want, want])
      }),
      { numRuns: 2_000, seed: 1521 },
    )
  })

  it('prints own keys only, in their order, when Object.prototype has an enumerable property', () => {
    // The printer walks maps with for...in, which would also list the inherited key.
    const value = { b: 1, a: { c: [{ d: 'x' }], e: {} }, 2: 'two', 1: 'one', f: [{}] }
    const want = toYamlByLines(value)
    Object.defineProperty(Object.prototype, 'inherited', { value: 'x', enumerable: true, configurable: true, writable: true })
    try {
      expect(toYaml(value)).toBe(want)
      expect(withRenderMemo({}, () => [toYaml(value), toYaml(value)])).toEqual([want, want])
    } finally {
      delete (Object.prototype as Record<string, unknown>).inherited
    }
    expect(want).not.toContain('inherited')
  })

  it('writes key comments and long explicit keys as the line-by-line printer did', () => {
    const long = 'k'.repeat(1001)
    const value = { a: 1, [long]: { b: [1, { c: 2 }] }, d: [], e: {}, f: undefined, g: 'x' }
    const comments = { a: ['first'], g: ['second', 'lines'] }
    expect(toYaml(value, { header: ['h'], keyComments: comments })).toBe(toYamlByLines(value, ['h'], comments))
  })
})
