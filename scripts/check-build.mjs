#!/usr/bin/env node
// The build guard every package runs before `pnpm pack` / `pnpm publish` (its `prepack`
// script): refuses to pack when a file the package.json points at is missing, or when dist/
// is older than the sources it was built from, so a tarball never ships a stale build.
// Usage, from a package folder: node ../../scripts/check-build.mjs
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const SOURCE_CONDITION = '@messenger-stack/source'

/** Every file under `dir`, recursively (none when it does not exist). */
function filesUnder(dir) {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
}

/** The built files a manifest points at: exports (except the source condition), main, module, types. */
function declaredOutputs(manifest) {
  const out = new Set()
  const walk = (value, key) => {
    if (key === SOURCE_CONDITION) return
    if (typeof value === 'string') {
      if (value.startsWith('./dist/')) out.add(value)
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, k)
    }
  }
  walk(manifest.exports, '')
  for (const field of ['main', 'module', 'types']) walk(manifest[field], field)
  return [...out]
}

/** Problems that make the package in `dir` unfit to pack; empty when it may be packed. */
export function buildProblems(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  const problems = []
  for (const file of declaredOutputs(manifest)) {
    if (!existsSync(join(dir, file))) problems.push(`${file} is missing`)
  }
  const built = filesUnder(join(dir, 'dist'))
  if (built.length === 0) return [...problems, 'dist/ is empty or missing']
  const oldestBuilt = Math.min(...built.map((file) => statSync(file).mtimeMs))
  // Its own sources and those of the workspace packages it depends on (the CLI inlines them).
  const sourceDirs = [join(dir, 'src')]
  for (const name of Object.keys(manifest.dependencies ?? {})) {
    if (!name.startsWith('@messenger-stack/')) continue
    const sibling = resolve(dir, '..', name.slice('@messenger-stack/'.length), 'src')
    if (existsSync(sibling)) sourceDirs.push(sibling)
  }
  for (const source of sourceDirs.flatMap(filesUnder)) {
    if (statSync(source).mtimeMs > oldestBuilt) {
      problems.push(`${relative(dir, source)} changed after dist/ was built`)
      break
    }
  }
  return problems
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = process.cwd()
  const problems = buildProblems(dir)
  if (problems.length > 0) {
    const name = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name
    console.error(`Refusing to pack ${name}: the build is missing or stale.`)
    for (const problem of problems) console.error(`  - ${problem}`)
    console.error('Run `pnpm build` at the repository root first.')
    process.exit(1)
  }
}
