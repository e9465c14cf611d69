// Benchmark (e) and (f): the size targets of the design. (e) `import { renderHomeserver }` from
// the BUILT renderers bundled with esbuild (minified, browser platform), measured with its
// metafile; (f) the packed `@messenger-stack/cli` tarball (`pnpm pack`, as published), its
// unpacked size. Prints one JSON document on stdout. Run alone: node bench/sizes.mjs
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from './_shared.mjs'

const renderers = join(ROOT, 'packages/renderers')
if (!existsSync(join(renderers, 'dist/index.js'))) {
  console.error('bench: packages/renderers/dist is missing; run `pnpm build` first (the benchmarks measure the built packages).')
  process.exit(2)
}
const { build } = createRequire(join(renderers, 'package.json'))('esbuild')
const result = await build({
  stdin: { contents: "export { renderHomeserver } from '@messenger-stack/renderers'", resolveDir: renderers },
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  write: false,
  metafile: true,
  logLevel: 'silent',
})
const output = Object.values(result.metafile.outputs)[0]

const work = mkdtempSync(join(tmpdir(), 'messenger-stack-bench-pack-'))
let cli
try {
  execFileSync('pnpm', ['pack', '--pack-destination', work], { cwd: join(ROOT, 'packages/cli'), stdio: 'pipe' })
  const tarball = join(work, readdirSync(work)[0])
  const listing = execFileSync('tar', ['-tzvf', tarball], { encoding: 'utf8' })
  const files = listing.split('\n').filter((line) => line.startsWith('-'))
  cli = {
    files: files.length,
    unpackedBytes: files.reduce((sum, line) => sum + Number(line.split(/\s+/)[2]), 0),
    tarballBytes: execFileSync('stat', ['-c', '%s', tarball], { encoding: 'utf8' }).trim() * 1,
  }
} finally {
  rmSync(work, { recursive: true, force: true })
}

console.log(JSON.stringify({ benchmark: 'sizes', renderHomeserverBytes: output.bytes, cli }))
