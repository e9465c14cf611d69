// `pnpm bench`: runs every benchmark in its own process against the built packages and
// prints a short report with PASS/MISS per performance target of the design ("Performance
// targets"). Benchmarks inform, they do not gate: the exit code is 0 whatever the numbers
// (2 only when a benchmark could not run, such as before `pnpm build`).
import { spawnSync } from 'node:child_process'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { ROOT } from './_shared.mjs'

const TARGETS = { bundlesPerSecond: 2_000, cliRatio: 2, tenantSeconds: 10, tenantRssMb: 300 }

/** Runs one benchmark script in a fresh process and returns the JSON document it prints. */
function run(script, args = []) {
  const result = spawnSync(process.execPath, [join(ROOT, 'bench', script), ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  if (result.status !== 0) {
    console.error(`bench: ${script} failed (exit ${result.status}).`)
    process.exit(2)
  }
  return JSON.parse(result.stdout.trim().split('\n').at(-1))
}

const verdict = (ok) => (ok ? 'PASS' : 'MISS')
const fixed = (value, digits = 0) => value.toFixed(digits)

console.log(
  `messenger-stack benchmarks: node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${fixed(totalmem() / 2 ** 30)} GiB`,
)
console.log('')

const renderAll = run('render-all.mjs')
console.log('(a) renderAll, full bundle; rate on one core = 1 / CPU time per bundle (wall-clock rate in brackets)')
for (const r of renderAll.results) {
  console.log(
    `    ${r.example.padEnd(12)} ${fixed(r.bundlesPerCpuSecond).padStart(5)} bundles/s (${fixed(r.bundlesPerSecond)}/s wall, ${fixed(r.usPerBundle)} us each; ` +
      `${r.files} files, ${fixed(r.bytes / 1024)} KiB; ${fixed(r.ratioToJsonStringify)}x JSON.stringify(spec))  ` +
      `target >= ${TARGETS.bundlesPerSecond}/s: ${verdict(r.bundlesPerCpuSecond >= TARGETS.bundlesPerSecond)}`,
  )
}

const cli = run('cli-cold-start.mjs')
console.log(`(b) CLI render of a full bundle, cold process (${cli.tool}, ${cli.runs} runs, medians)`)
console.log(
  `    render ${fixed(cli.renderMs)} ms, node -e 0 ${fixed(cli.nodeMs)} ms: ${fixed(cli.ratio, 2)}x  target <= ${TARGETS.cliRatio}x: ${verdict(cli.ratio <= TARGETS.cliRatio)}`,
)

const tenants = run('tenants.mjs')
console.log(`(c) ${tenants.tenants} distinct tenant specs parsed and rendered in one process (${tenants.files} files)`)
console.log(
  `    time ${fixed(tenants.seconds, 1)} s  target < ${TARGETS.tenantSeconds} s: ${verdict(tenants.seconds < TARGETS.tenantSeconds)}`,
)
console.log(
  `    peak RSS ${fixed(tenants.peakRssMb)} MB  target < ${TARGETS.tenantRssMb} MB: ${verdict(tenants.peakRssMb < TARGETS.tenantRssMb)}`,
)
