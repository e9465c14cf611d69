// One snapshot file per rendered file, with its real name and extension, so a review shows a
// readable diff of exactly the files a spec change touches. After an intended change:
// `pnpm test:update`, then commit test/__snapshots__/bundle/.
import { renderAll } from '@messenger-stack/renderers'
import { describe, expect, it } from 'vitest'
import { spec } from '../deployment.js'

const files = renderAll(spec)

describe('the rendered bundle', () => {
  it('has exactly these files, with these modes', () => {
    expect(files.map((file) => `${file.mode.toString(8)} ${file.path}`)).toMatchSnapshot()
  })

  it.each(files.map((file) => [file.path, file] as const))('%s', async (path, file) => {
    await expect(file.content).toMatchFileSnapshot(`__snapshots__/bundle/${path}`)
  })

  it('is the same however often it is rendered', () => {
    expect(renderAll(spec)).toEqual(files)
  })
})
