// Helpers shared by the benchmark scripts: where things are, the built packages, statistics.
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Repository root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

/**
 * The example specs the benchmarks render: every deployment example (`examples/<name>/` with a
 * `deployment.yaml` and no `package.json`), as the golden tests pin them.
 */
export const EXAMPLES = readdirSync(join(ROOT, 'examples'))
  .filter(
    (name) => existsSync(join(ROOT, 'examples', name, 'deployment.yaml')) && !existsSync(join(ROOT, 'examples', name, 'package.json')),
  )
  .sort()

/** Path of an example spec. */
export const examplePath = (name) => join(ROOT, 'examples', name, 'deployment.yaml')

/** Reads an example spec's text. */
export const exampleText = (name) => readFileSync(examplePath(name), 'utf8')

const DIST = {
  'config-schema': join(ROOT, 'packages/config-schema/dist/index.js'),
  renderers: join(ROOT, 'packages/renderers/dist/index.js'),
  cli: join(ROOT, 'packages/cli/dist/bin/messenger-stack.cjs'),
}

/** Imports a BUILT package (its dist), or exits with a hint when it has not been built. */
export async function importBuilt(name) {
  const file = DIST[name]
  if (!existsSync(file)) {
    console.error(`bench: ${file} is missing; run \`pnpm build\` first (the benchmarks measure the built packages).`)
    process.exit(2)
  }
  return import(file)
}

/** Throws unless the CLI is built (the cold-start benchmark runs its bin). */
export function requireBuiltCli() {
  if (!existsSync(DIST.cli)) {
    console.error(`bench: ${DIST.cli} is missing; run \`pnpm build\` first.`)
    process.exit(2)
  }
}

/** Median of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/**
 * Times `fn` in rounds of `perRound` calls after `warmup` calls; returns the median time of
 * one call in microseconds (wall clock) and the median CPU time of one call (user + system,
 * which includes V8's helper threads such as concurrent GC).
 */
export function timeCalls(fn, { warmup = 500, rounds = 9, perRound = 500 } = {}) {
  for (let i = 0; i < warmup; i++) fn()
  const wall = []
  const cpu = []
  for (let round = 0; round < rounds; round++) {
    const cpuStart = process.cpuUsage()
    const start = performance.now()
    for (let i = 0; i < perRound; i++) fn()
    wall.push(((performance.now() - start) * 1000) / perRound)
    const used = process.cpuUsage(cpuStart)
    cpu.push((used.user + used.system) / perRound)
  }
  return { wallUs: median(wall), cpuUs: median(cpu) }
}
