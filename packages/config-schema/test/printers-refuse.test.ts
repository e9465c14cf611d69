// The printers refuse values they cannot represent instead of writing `{}` or dropping them
// (issue 11 item 6): a Date, a Map, a Set, a class instance, a function, a non-finite number.
import { describe, expect, it } from 'vitest'
import { stableJson, toYaml } from '../src/formats.js'

class Port {
  readonly number = 8008
}

const unprintable: ReadonlyArray<readonly [string, unknown, RegExp]> = [
  ['a Date', new Date(0), /cannot print a Date \(at key "value"\)/],
  ['a Map', new Map([['a', 1]]), /cannot print a Map/],
  ['a Set', new Set([1]), /cannot print a Set/],
  ['a class instance', new Port(), /cannot print a Port/],
  ['a function', () => 1, /cannot print a function/],
]

describe('printers', () => {
  it.each(unprintable)('toYaml refuses %s, nested in a mapping or a list', (_name, value, message) => {
    expect(() => toYaml({ outer: { value } })).toThrow(message)
    expect(() => toYaml({ list: [value] })).toThrow(TypeError)
    expect(() => toYaml(value)).toThrow(TypeError)
  })

  it.each(unprintable)('stableJson refuses %s, nested in a mapping or a list', (_name, value, message) => {
    expect(() => stableJson({ outer: { value } })).toThrow(message)
    expect(() => stableJson({ list: [value] })).toThrow(TypeError)
  })

  it('stableJson refuses numbers JSON cannot hold instead of writing null', () => {
    expect(() => stableJson({ ratio: Number.NaN })).toThrow(/cannot print NaN/)
    expect(() => stableJson({ ratio: Number.POSITIVE_INFINITY })).toThrow(/cannot print Infinity/)
  })

  it('plain data still prints: objects with or without a prototype, arrays, scalars, undefined members dropped', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { b: 1 })
    expect(toYaml({ a: bare, c: [1, 'x', true, null], d: undefined })).toBe('a:\n  b: 1\nc:\n  - 1\n  - x\n  - true\n  - null\n')
    expect(stableJson({ a: bare, c: [1, 'x', true, null], d: undefined })).toBe(
      '{\n  "a": {\n    "b": 1\n  },\n  "c": [\n    1,\n    "x",\n    true,\n    null\n  ]\n}\n',
    )
  })
})
