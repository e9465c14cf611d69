import { describe, expect, it } from 'vitest'

// The runtime names each published entry point exports, pinned in one file per entry point
// (public-api/*.txt): a change to the public API is always a visible diff in review (adding a
// name is a decision, removing one breaks users). Types vanish at runtime; the API reference
// (typedoc, e2e/docs) covers them.

const ENTRY_POINTS = {
  'config-schema': () => import('../../packages/config-schema/src/index.js'),
  'config-schema-node': () => import('../../packages/config-schema/src/node.js'),
  'config-schema-nginx': () => import('../../packages/config-schema/src/nginx.js'),
  'config-schema-formats': () => import('../../packages/config-schema/src/formats.js'),
  renderers: () => import('../../packages/renderers/src/index.js'),
  compose: () => import('../../packages/compose/src/index.js'),
  cli: () => import('../../packages/cli/src/index.js'),
} as const

describe('public API: the runtime exports of each entry point', () => {
  it.each(Object.entries(ENTRY_POINTS))('%s', async (name, load) => {
    const exported = Object.keys(await load()).sort()
    expect(exported.length).toBeGreaterThan(0)
    await expect(`${exported.join('\n')}\n`).toMatchFileSnapshot(`public-api/${name}.txt`)
  })
})
