import { describe, expect, it } from 'vitest'
import { BUNDLE_PATHS } from '@messenger-stack/config-schema'
import { composeFilesFor } from '../src/index.js'
import { EXAMPLES, example } from './_fixtures.js'

describe('golden files', () => {
  it.each(EXAMPLES)('examples/%s renders the files of its mode', async (name) => {
    const files = composeFilesFor(example(name))
    expect(files.map((f) => f.path)).toEqual(
      example(name).mode === 'standalone'
        ? [BUNDLE_PATHS.composeStandalone]
        : [BUNDLE_PATHS.composeBlue, BUNDLE_PATHS.composeCore, BUNDLE_PATHS.composeGreen],
    )
    for (const file of files) {
      expect(file.content.endsWith('\n')).toBe(true)
      expect(file.content).not.toContain('\r')
      await expect(file.content).toMatchFileSnapshot(`golden/${name}/${file.path}`)
    }
  })
})
