import { defineProject } from 'vitest/config'

export default defineProject({
  // '@messenger-stack/source' makes workspace packages resolve to src/, so tests need no build.
  ssr: { resolve: { conditions: ['@messenger-stack/source'] } },
  test: {
    name: 'e2e',
    include: ['real-stack/**/*.test.ts', 'docs/**/*.test.ts', 'repo/**/*.test.ts', 'consumer/**/*.test.ts'],
    // The stack boots once per file in beforeAll; the namespace runner has its own hard limit.
    hookTimeout: 360_000,
    testTimeout: 60_000,
    // One real stack at a time: fixed ports live in private namespaces, but CPU does not.
    fileParallelism: false,
  },
})
