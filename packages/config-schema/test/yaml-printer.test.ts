import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Document, parse } from 'yaml'
import { toYaml } from '../src/formats.js'

/** Strings that try every quoting rule: indicators, implicit types, escapes, unicode. */
const trickyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom(
    '',
    ' ',
    '-',
    '- x',
    '-c',
    '?x',
    ':x',
    'a: b',
    'a #b',
    'a#b',
    'x:',
    '#x',
    '@x',
    '`x',
    '%x',
    '!x',
    '&x',
    '*x',
    '|x',
    '>x',
    "'x",
    '"x',
    'say "hi"',
    "it's",
    '{x',
    '[x',
    ',x',
    'on',
    'Off',
    'yes',
    'N',
    'y',
    '~',
    'null',
    'NULL',
    'true',
    '1e3',
    'E0',
    'e5',
    '1.5',
    '.5',
    '0x1F',
    '0o17',
    '+1',
    '1_000',
    '0755',
    '12:30',
    '22:22',
    '1:2:3.5',
    '2001-12-14',
    '.inf',
    '-.Inf',
    '.NaN',
    '=',
    '<<',
    'a\tb',
    'tab\t',
    'line\nbreak',
    'nul\0',
    '\u2028',
    '\ufeff',
    'é',
    '😀',
    '\ud800',
    'x\r\n',
    '\\',
    'back\\slash',
  ),
)
const key = fc.oneof(trickyString, fc.constantFrom('server_name', 'a b', 'x: y', '1', 'on'))
const scalar = fc.oneof(trickyString, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null))
const tree = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('map')),
  list: fc.array(tie('node'), { maxLength: 4 }),
  map: fc.dictionary(key, tie('node'), { maxKeys: 4 }),
})).node

/** /usr/bin/python3 with PyYAML (Debian's python3-yaml, as on the servers Synapse runs on). */
function pythonWithYaml(): string {
  const python = '/usr/bin/python3'
  const probe = existsSync(python) ? spawnSync(python, ['-c', 'import yaml'], { encoding: 'utf8' }) : undefined
  if (probe?.status !== 0) {
    throw new Error('PyYAML for /usr/bin/python3 is missing: run `apt-get install -y python3-yaml` (or `bash .ci/provision.sh`).')
  }
  return python
}

/** What a YAML reader should give back: -0 reads as 0. */
const expected = (value: unknown) => JSON.parse(JSON.stringify(value, (_k, v) => (Object.is(v, -0) ? 0 : v)))

describe('toYaml', () => {
  it('prints the shapes our files use', () => {
    expect(
      toYaml(
        {
          server_name: 'example.org',
          ports: ['22:22', '7881:7881/tcp'],
          empty: {},
          none: [],
          list: [{ a: 1, b: [true, null] }, [1, 2]],
          skip: undefined,
        },
        { header: ['Generated.', '', 'Second paragraph.'], keyComments: { ports: ['Published ports.'] } },
      ),
    ).toMatchInlineSnapshot(`
      "# Generated.

      # Second paragraph.

      server_name: example.org
      # Published ports.
      ports:
        - "22:22"
        - 7881:7881/tcp
      empty: {}
      none: []
      list:
        - a: 1
          b:
            - true
            - null
        - - 1
          - 2
      "
    `)
  })

  it('prints top-level scalars and empty collections', () => {
    expect([toYaml('on'), toYaml([]), toYaml({}), toYaml(null), toYaml(0.5)]).toEqual(['"on"\n', '[]\n', '{}\n', 'null\n', '0.5\n'])
    expect(toYaml([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e21, 7e-323])).toBe(
      '- .nan\n- .inf\n- -.inf\n- 1.0e+21\n- 7.0e-323\n',
    )
  })

  it('reads back as the same data under YAML 1.1 and 1.2', () => {
    fc.assert(
      fc.property(tree, (value) => {
        const text = toYaml(value)
        const want = expected(value)
        expect(parse(text, { version: '1.1', uniqueKeys: false })).toEqual(want)
        expect(parse(text, { version: '1.2', uniqueKeys: false })).toEqual(want)
      }),
      // A fixed seed keeps CI deterministic; the constant list above holds the edge cases found so far.
      { numRuns: 400, seed: 20261125 },
    )
  })

  it('agrees byte for byte with the yaml library on data without edge-case strings', () => {
    // (The library also quotes 'e0'-like words, which PyYAML reads as text: leave them out.)
    const word = fc.stringMatching(/^[a-df-z][a-z0-9_./-]{0,12}$/)
    const simple = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, word, fc.integer(), fc.boolean(), tie('list'), tie('map')),
      list: fc.array(tie('node'), { maxLength: 4 }),
      map: fc.dictionary(word, tie('node'), { maxKeys: 4 }),
    })).node
    fc.assert(
      fc.property(simple, (value) => {
        const reference = new Document(value, { version: '1.1', aliasDuplicateObjects: false }).toString({ lineWidth: 0, indentSeq: true })
        expect(toYaml(value)).toBe(reference)
      }),
      { numRuns: 300, seed: 4242 },
    )
  })

  it('writes keys too long for an implicit key (over 1024 characters) as explicit keys that both readers parse (property)', () => {
    // Long keys of every kind (escapes and astral characters make the printed key longer than the
    // string), under maps, in sequences, with scalar, map and list values.
    const longKey = fc.oneof(
      fc.string({ minLength: 990, maxLength: 1100 }),
      fc.string({ unit: 'binary', minLength: 330, maxLength: 1100 }),
      fc.integer({ min: 995, max: 1040 }).map((n) => 'k'.repeat(n)),
      fc.integer({ min: 340, max: 360 }).map((n) => '\u0001'.repeat(n)),
    )
    const value = fc.oneof(scalar, fc.dictionary(key, scalar, { maxKeys: 2 }), fc.array(scalar, { maxLength: 2 }))
    const doc = fc.oneof(
      fc.dictionary(longKey, value, { minKeys: 1, maxKeys: 2 }),
      fc.record({ nested: fc.dictionary(longKey, value, { minKeys: 1, maxKeys: 2 }) }),
      fc.record({ list: fc.array(fc.dictionary(longKey, value, { minKeys: 1, maxKeys: 2 }), { minLength: 1, maxLength: 2 }) }),
    )
    const pyYamlSafe = (text: string) => !/[\ud800-\udfff\ufffe\uffff]/.test(text)
    const samples = fc.sample(doc, { numRuns: 60, seed: 1024 }).filter((v) => pyYamlSafe(JSON.stringify(v)))
    expect(samples.length).toBeGreaterThan(30)
    const documents = samples.map((v) => toYaml(v))
    documents.forEach((text, index) => {
      expect(parse(text, { version: '1.1', uniqueKeys: false })).toEqual(expected(samples[index]))
      expect(parse(text, { version: '1.2', uniqueKeys: false })).toEqual(expected(samples[index]))
    })
    expect(documents.some((text) => /^\s*(?:- )?\? /m.test(text))).toBe(true)
    const reader = 'import json,sys,yaml\nfor doc in json.load(sys.stdin): print(json.dumps(yaml.safe_load(doc)))'
    const result = spawnSync(pythonWithYaml(), ['-c', reader], { input: JSON.stringify(documents), encoding: 'utf8', timeout: 60_000 })
    expect(result.status, result.stderr).toBe(0)
    const lines = result.stdout.trim().split('\n')
    expect(lines).toHaveLength(samples.length)
    lines.forEach((line, index) => {
      expect(JSON.parse(line)).toEqual(expected(samples[index]))
    })
  })

  it('keeps keys of up to 1000 printed characters implicit', () => {
    expect(toYaml({ ['k'.repeat(1000)]: 1 })).toBe(`${'k'.repeat(1000)}: 1\n`)
    expect(toYaml({ ['k'.repeat(1001)]: 1 })).toBe(`? ${'k'.repeat(1001)}\n: 1\n`)
  })

  it('reads back as the same data in PyYAML, the reader of Synapse and docker-compose v1', () => {
    const python = pythonWithYaml()
    // PyYAML refuses some code points in any form (lone surrogates, U+FFFE/FFFF).
    const pyYamlSafe = (text: string) => !/[\ud800-\udfff\ufffe\uffff]/.test(text) || /[\ud800-\udbff][\udc00-\udfff]/.test(text)
    const samples = fc.sample(tree, { numRuns: 300, seed: 20261125 }).filter((v) => pyYamlSafe(JSON.stringify(v)))
    const documents = samples.map((value) => toYaml({ value }))
    const reader = 'import json,sys,yaml\nfor doc in json.load(sys.stdin): print(json.dumps(yaml.safe_load(doc)["value"]))'
    const result = spawnSync(python, ['-c', reader], { input: JSON.stringify(documents), encoding: 'utf8', timeout: 60_000 })
    expect(result.status, result.stderr).toBe(0)
    const lines = result.stdout.trim().split('\n')
    expect(lines).toHaveLength(samples.length)
    lines.forEach((line, index) => {
      expect(JSON.parse(line), documents[index]).toEqual(expected(samples[index]))
    })
  })
})
