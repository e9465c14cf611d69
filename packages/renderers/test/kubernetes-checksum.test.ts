// The pod template checksum is hashed piece by piece with the hash state of shared leading files
// kept for the render (ConfigBundle.checksum); it must stay the checksum of the whole text, file
// lists sharing prefixes or not, in any order of calls.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checksum } from '../src/kubernetes/_checksum.js'
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
