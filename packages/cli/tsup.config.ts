import { defineConfig } from 'tsup'

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  target: 'node20',
  clean: true,
  // Workspace dependencies stay external; their types come from their own dist.
  dts: { compilerOptions: { ignoreDeprecations: '6.0', customConditions: [] } },
})
