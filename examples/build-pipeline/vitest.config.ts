import { defineProject } from 'vitest/config'

// Like a project outside this repository: the packages resolve to their built dist/
// (run `pnpm build` first), not to their sources.
export default defineProject({
  test: { name: 'example-build-pipeline', include: ['test/**/*.test.ts'] },
})
