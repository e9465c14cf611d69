import { defineProject } from 'vitest/config'

export default defineProject({
  // 'source' makes workspace packages resolve to src/, so tests need no build.
  ssr: { resolve: { conditions: ['source'] } },
  test: { name: 'compose', include: ['test/**/*.test.ts'] },
})
