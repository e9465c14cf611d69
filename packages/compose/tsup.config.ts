import { defineConfig } from 'tsup'

// Workspace dependencies stay external; their types come from their own dist.
const dts = { compilerOptions: { ignoreDeprecations: '6.0', customConditions: [] } }

export default defineConfig([
  {
    // ESM keeps one file per source module, so that a bundler drops every module an import
    // does not reach (`sideEffects: false`); see config-schema's tsup.config.ts.
    entry: ['src/**/*.ts'],
    format: ['esm'],
    bundle: false,
    target: 'node20.19', // keeps import attributes (`with { type: 'json' }`), which Node 20.10 and later read
    clean: false, // the build script empties dist/ once, before both builds
    dts: { ...dts, entry: 'src/index.ts' },
  },
  {
    // CommonJS cannot be tree-shaken anyway: one file.
    entry: ['src/index.ts'],
    format: ['cjs'],
    target: 'node20',
    clean: false,
    dts,
  },
])
