import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'tsup'

// Libraries the command bundle requires on first use from dist/bin/libraries.cjs (see
// src/_lazy-libraries.cjs), by the specifier config-schema imports them with.
const LAZY_FILTER = /^(?:yaml|@iarna\/toml\/parse-string\.js)$/
const CONFIG_SCHEMA_SRC = fileURLToPath(new URL('../config-schema/src', import.meta.url))

/**
 * CommonJS source of the stand-in for a lazy library: the same export names (read from the
 * library itself at build time, so a name config-schema starts to use later is there too),
 * each a getter that requires the libraries bundle on first use. esbuild reads imports from a
 * CommonJS module when they are used, never when the importing module initialises, so nothing
 * is loaded until a function of the library is called. A library that is a function (TOML's
 * parser) gets a function that forwards its calls.
 */
function lazyLibraryStandIn(specifier: string): string {
  const real: unknown = createRequire(new URL('../config-schema/package.json', import.meta.url))(specifier)
  const load = `let lib\nconst load = () => (lib ??= require('./libraries.cjs').LAZY_LIBRARIES[${JSON.stringify(specifier)}])\n`
  if (typeof real === 'function') return `${load}module.exports = function lazy(...args) { return load()(...args) }\n`
  const names = Object.keys(real as object).filter((name) => name !== 'default' && name !== '__esModule')
  return `${load}${names.map((name) => `Object.defineProperty(exports, ${JSON.stringify(name)}, { enumerable: true, get: () => load()[${JSON.stringify(name)}] })\n`).join('')}`
}

export default defineConfig([
  {
    // The library entry (cli(), nodeIo(), unifiedDiff...) runs the bin's own bundle: `./cli.js`
    // becomes a reference to dist/bin/messenger-stack.cjs (below), and the few small modules
    // left (unified diff, manifest path) are inlined. So the package needs no dependency at
    // run time, the bin and the library run the same code, and the install holds it once. The
    // declarations inline the types they use from the other packages (DeploymentSpec,
    // SpecIssue, RenderedFile...): type-checking a consumer needs no other package either.
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    target: 'node20',
    platform: 'node',
    clean: false, // the build script empties dist/ once, before both builds
    noExternal: [/.*/],
    dts: {
      compilerOptions: {
        ignoreDeprecations: '6.0',
        customConditions: [],
        rootDir: '..',
        // The other packages' types from their sources, so that they are inlined (their built
        // declarations import chunks by relative path, which would dangle once inlined here).
        paths: {
          '@messenger-stack/config-schema': ['../config-schema/src/index.ts'],
          '@messenger-stack/config-schema/node': ['../config-schema/src/node.ts'],
          '@messenger-stack/config-schema/nginx': ['../config-schema/src/nginx.ts'],
          '@messenger-stack/renderers': ['../renderers/src/index.ts'],
          '@messenger-stack/compose': ['../compose/src/index.ts'],
        },
      },
    },
    esbuildPlugins: [
      {
        name: 'library-runs-the-bin-bundle',
        setup(build) {
          build.onResolve({ filter: /^\.\/cli\.js$/ }, (args) =>
            /[\\/]src[\\/]index\.ts$/.test(args.importer) ? { path: './bin/messenger-stack.cjs', external: true } : undefined,
          )
        },
      },
    ],
  },
  {
    // The command itself, loaded by bin/messenger-stack.cjs: a small CommonJS entry (argv, help,
    // dispatch) plus one self-contained CommonJS bundle of every command (src/_all-commands.ts),
    // required only when a command runs. Every dependency is inlined from source, so a cold start
    // reads two files instead of resolving hundreds of modules; one bundle for all commands keeps
    // the install small (the libraries once, not once per command). CommonJS because yaml's node
    // build is CommonJS, which an ESM bundle cannot inline.
    entry: {
      'messenger-stack': 'src/cli.ts',
      commands: 'src/_all-commands.ts',
      libraries: 'src/_lazy-libraries.cjs',
    },
    outDir: 'dist/bin',
    format: ['cjs'],
    target: 'node20',
    platform: 'node',
    clean: false,
    shims: true,
    splitting: false,
    minify: true, // less to parse on every cold start
    noExternal: [/.*/],
    esbuildOptions(options) {
      options.conditions = ['@messenger-stack/source', 'node', 'require', 'default']
    },
    esbuildPlugins: [
      {
        name: 'lazy-libraries',
        setup(build) {
          build.onResolve({ filter: LAZY_FILTER }, (args) => {
            if (args.pluginData === 'real') return undefined
            // The libraries bundle gets the libraries themselves, found where config-schema finds them.
            if (/[\\/]_lazy-libraries\.cjs$/.test(args.importer))
              return build.resolve(args.path, { kind: args.kind, resolveDir: CONFIG_SCHEMA_SRC, pluginData: 'real' })
            return { path: args.path, namespace: 'lazy-library' }
          })
          build.onResolve({ filter: /^\.\/libraries\.cjs$/, namespace: 'lazy-library' }, (args) => ({ path: args.path, external: true }))
          build.onLoad({ filter: /.*/, namespace: 'lazy-library' }, (args) => ({ loader: 'js', contents: lazyLibraryStandIn(args.path) }))
        },
      },
      {
        name: 'lazy-command-bundles',
        setup(build) {
          // `import('./commands/x.js')` in the entry becomes a require() of the commands bundle:
          // import() of a CommonJS file makes Node scan it with its export lexer first, which
          // costs more than the whole rest of a cold start.
          // It goes through loadCommandBundle, which adds a V8 code cache.
          build.onLoad({ filter: /[\\/]_commands\.ts$/ }, async (args) => ({
            loader: 'ts',
            resolveDir: dirname(args.path),
            contents:
              "import { loadCommandBundle } from './_bundle-loader.js'\n" +
              (await readFile(args.path, 'utf8')).replace(
                /import\('\.\/commands\/([a-z-]+)\.js'\)/g,
                "Promise.resolve().then(() => loadCommandBundle(__dirname, '$1') as never)",
              ),
          }))
        },
      },
    ],
  },
])
