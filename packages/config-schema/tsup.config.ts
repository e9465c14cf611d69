import { defineConfig } from 'tsup'

// Workspace dependencies stay external; their types come from their own dist.
const dts = { compilerOptions: { ignoreDeprecations: '6.0', customConditions: [] } }

export default defineConfig([
  {
    // ESM keeps one file per source module, so that a bundler drops every module an import
    // does not reach (`sideEffects: false`): `renderHomeserver` must not pull zod and every
    // schema along (the size budget of issue 11; see test/bundle-size.test.ts in renderers).
    entry: ['src/**/*.ts'],
    format: ['esm'],
    bundle: false,
    target: 'node20.19', // keeps import attributes (`with { type: 'json' }`), which Node 20.10 and later read
    clean: false, // the build script empties dist/ once, before both builds
    dts: { ...dts, entry: ['src/index.ts', 'src/node.ts', 'src/nginx.ts', 'src/formats.ts'] },
  },
  {
    // CommonJS cannot be tree-shaken anyway: the entries share chunks, so that classes
    // such as SpecError are the same in every entry.
    entry: ['src/index.ts', 'src/node.ts', 'src/nginx.ts', 'src/formats.ts'],
    format: ['cjs'],
    splitting: true,
    target: 'node20',
    clean: false,
    dts,
  },
])
