import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      'packages/*',
      'e2e',
      'examples/custom-tooling',
      'examples/snapshot-testing',
      'examples/multi-tenant',
      'examples/build-pipeline',
    ],
    // The JSON report feeds the "N passed, N failed" line that .ci/run prints.
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-report.json' },
  },
})
