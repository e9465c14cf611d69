// Benchmark (b): `messenger-stack render` of a full bundle in a cold process, against
// `node -e 0` on the same machine. The command is the bin file itself, started through its
// `#!/usr/bin/env node` line as an installed `messenger-stack` is (npm links the bin file),
// with this benchmark's node first on PATH. Uses hyperfine when installed (-N --warmup 3
// --runs 20; it also reports CPU time, user + system, the fairer measure on a shared machine),
// else spawns each command 20 times (after 3 warm-up runs) and takes medians. The bundle is
// written into an empty folder on every run, so the time includes writing (and fsyncing) it.
// Prints one JSON document on stdout. Run alone: node bench/cli-cold-start.mjs
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { ROOT, examplePath, median, requireBuiltCli } from './_shared.mjs'

requireBuiltCli()
const HYPERFINE = '/usr/bin/hyperfine'
const RUNS = 20
const WARMUP = 3
const work = mkdtempSync(join(tmpdir(), 'messenger-stack-bench-'))
const out = join(work, 'bundle')
const bin = join(ROOT, 'packages/cli/bin/messenger-stack.cjs')
const commands = {
  render: [bin, 'render', examplePath('standalone'), '--out', out],
  node: [process.execPath, '-e', '0'],
}
// The bin's `env node` finds the node that runs this benchmark.
const env = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}` }

function withHyperfine() {
  const exported = join(work, 'hyperfine.json')
  const quote = (args) => args.map((arg) => (/^[\w./:=-]+$/.test(arg) ? arg : `'${arg}'`)).join(' ')
  const result = spawnSync(
    HYPERFINE,
    [
      '-N',
      '--warmup',
      String(WARMUP),
      '--runs',
      String(RUNS),
      '--export-json',
      exported,
      '--prepare',
      `rm -rf ${out}`,
      quote(commands.render),
      '--prepare',
      'true',
      quote(commands.node),
    ],
    { stdio: ['ignore', 'ignore', 'inherit'], env },
  )
  if (result.status !== 0) throw new Error(`hyperfine exited with ${result.status}`)
  const [render, node] = JSON.parse(readFileSync(exported, 'utf8')).results
  return {
    tool: 'hyperfine',
    renderMs: render.median * 1000,
    nodeMs: node.median * 1000,
    renderMeanMs: render.mean * 1000,
    nodeMeanMs: node.mean * 1000,
    renderCpuMs: (render.user + render.system) * 1000,
    nodeCpuMs: (node.user + node.system) * 1000,
    cpuRatio: (render.user + render.system) / (node.user + node.system),
  }
}

function withSpawn() {
  const time = (args, prepare) => {
    const samples = []
    for (let run = 0; run < WARMUP + RUNS; run++) {
      prepare()
      const start = performance.now()
      const result = spawnSync(args[0], args.slice(1), { stdio: 'ignore', env })
      const ms = performance.now() - start
      if (result.status !== 0) throw new Error(`${args.join(' ')} exited with ${result.status}`)
      if (run >= WARMUP) samples.push(ms)
    }
    return median(samples)
  }
  const renderMs = time(commands.render, () => rmSync(out, { recursive: true, force: true }))
  const nodeMs = time(commands.node, () => undefined)
  return { tool: 'spawn', renderMs, nodeMs }
}

try {
  const result = existsSync(HYPERFINE) ? withHyperfine() : withSpawn()
  console.log(JSON.stringify({ benchmark: 'cli-cold-start', runs: RUNS, ...result, ratio: result.renderMs / result.nodeMs }))
} finally {
  rmSync(work, { recursive: true, force: true })
}
