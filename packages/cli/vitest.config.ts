import { defineProject } from 'vitest/config'

export default defineProject({
  // '@messenger-stack/source' makes workspace packages resolve to src/, so tests need no build.
  ssr: { resolve: { conditions: ['@messenger-stack/source'] } },
  test: { name: 'cli', include: ['test/**/*.test.ts'] },
})
