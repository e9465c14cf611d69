// The pod template checksum is hashed piece by piece with the hash state of shared leading files
// kept for the render (ConfigBundle.checksum); it must stay the checksum of the whole text, file
// lists sharing prefixes or not, in any order of calls.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checksum, checksumDigits, fnv1a, fnv1aUnits } from '../src/kubernetes/_checksum.js'
import { ConfigBundle, type ConfigFile } from '../src/kubernetes/_config-bundle.js'

const wholeText = (files: readonly ConfigFile[]) => checksum(files.map((file) => `${file.key}\n${file.content}`).join('\n'))

describe('ConfigBundle.checksum', () => {
  it('equals the checksum of the joined keys and contents, also when lists share leading files', () => {
    const pool = fc.uniqueArray(
      fc.record({ name: fc.stringMatching(/^[a-z]{1,6}$/), content: fc.string({ unit: 'binary', maxLength: 40 }) }),
      {
        minLength: 1,
        maxLength: 5,
        selector: (file) => file.name,
      },
    )
    fc.assert(
      fc.property(pool, fc.array(fc.array(fc.nat(), { maxLength: 4 }), { minLength: 1, maxLength: 6 }), (sources, picks) => {
        const files = sources.map((source, index) => ({
          path: `config/${source.name}`,
          content: source.content,
          mode: 0o644,
          key: source.name,
          mount: index,
        }))
        const bundle = new ConfigBundle(files)
        for (const pick of picks) {
          const list = pick.map((n) => files[n % files.length]!)
          expect(bundle.checksum(list)).toBe(wholeText(list))
        }
      }),
      { numRuns: 500, seed: 1518 },
    )
  })
})

describe('fnv1a', () => {
  // Texts of 64 code units and more are hashed from their UTF-8 bytes when they are ASCII; any
  // other text must fall back to the code units, and both ways must give the same state.
  it('hashes long texts from their bytes as from their code units, ASCII or not, rope or flat', () => {
    // Sizes around the threshold: fast-check alone keeps strings short.
    const sized = (unit: fc.Arbitrary<string>) => fc.string({ unit, minLength: 20, maxLength: 120, size: 'max' })
    const unit = fc.oneof(
      { weight: 6, arbitrary: sized(fc.constantFrom('a', 'Z', '\n', ' ', '"', '\\', '\x7f')) },
      { weight: 1, arbitrary: sized(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })) },
      { weight: 1, arbitrary: sized(fc.constantFrom('a', 'a', 'a', '\x80', '\xe9', '\u2028', '\ud800', '\udc00')) },
    )
    fc.assert(
      fc.property(fc.array(unit, { minLength: 1, maxLength: 6 }), fc.nat(), (pieces, seed) => {
        let text = ''
        for (const piece of pieces) text += piece // a rope, as a printer's text
        const state = seed >>> 0
        expect(fnv1a(state, text)).toBe(fnv1aUnits(state, text))
      }),
      { numRuns: 1000, seed: 2211 },
    )
  })

  it('hashes a long ASCII text after a longer one from its own bytes only', () => {
    const long = 'x'.repeat(9000)
    const short = `${'y'.repeat(100)}\u00e9`
    fnv1a(1, long)
    expect(fnv1a(7, 'z'.repeat(70))).toBe(fnv1aUnits(7, 'z'.repeat(70)))
    expect(fnv1a(7, short)).toBe(fnv1aUnits(7, short))
    // As many UTF-8 bytes as the scratch holds, one character short: not ASCII.
    const accented = `\u00e9${'a'.repeat(8999)}`
    expect(fnv1a(7, accented)).toBe(fnv1aUnits(7, accented))
  })
})

describe('checksumDigits', () => {
  it('writes a 32-bit state as toString(16) padded to 8 digits', () => {
    for (const state of [0, 1, 0xff, 0x100, 0x811c9dc5, 0x7fffffff, 0x80000000, 0xffffffff])
      expect(checksumDigits(state)).toBe(state.toString(16).padStart(8, '0'))
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (state) => {
        expect(checksumDigits(state)).toBe(state.toString(16).padStart(8, '0'))
      }),
      { numRuns: 20_000, seed: 1515 },
    )
  })
})
