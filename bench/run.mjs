// `pnpm bench`: runs every benchmark in its own process against the built packages and
// prints a short report with PASS/MISS per performance target of the design ("Performance
// targets"). Benchmarks inform, they do not gate: the exit code is 0 whatever the numbers
// (2 only when a benchmark could not run, such as before `pnpm build`).
import { spawnSync } from 'node:child_process'
import { cpus, loadavg, totalmem } from 'node:os'
import { join } from 'node:path'
import { ROOT } from './_shared.mjs'

// The targets of issue 15 (raised from the design's first ones: 2,000/s, 2x, 10 s).
const TARGETS = { bundlesPerSecond: 4_000, cliRatio: 1.5, tenantSeconds: 5, tenantRssMb: 300 }
// Sizes: `import { renderHomeserver }` minified, and the CLI installed (unpacked tarball).
const SIZE_TARGETS = { renderHomeserverBytes: 150_000, cliUnpackedBytes: 1_500_000 }

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
console.log(
  `load average at start: ${loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')} (the machine may be shared: compare ratios, not times)`,
)
console.log('')

const renderAll = run('render-all.mjs')
console.log('(a) renderAll, full bundle; rate on one core = 1 / CPU time per bundle (wall-clock rate in brackets)')
console.log('    "with the text flattened": renderAll plus reading each file once, which joins its pieces as writing it would')
for (const r of renderAll.results) {
  console.log(
    `    ${r.example.padEnd(12)} ${fixed(r.bundlesPerCpuSecond).padStart(5)} bundles/s (${fixed(r.bundlesPerSecond)}/s wall, ${fixed(r.usPerBundle)} us each; ` +
      `${r.files} files, ${fixed(r.bytes / 1024)} KiB, ${fixed((r.bytes * r.bundlesPerCpuSecond) / 1048576)} MiB/s of output; ${fixed(r.ratioToJsonStringify)}x JSON.stringify(spec); ` +
      `${fixed(r.bundlesPerCpuSecondFlattened)}/s with the text flattened)  ` +
      `target >= ${TARGETS.bundlesPerSecond}/s: ${verdict(r.bundlesPerCpuSecond >= TARGETS.bundlesPerSecond)}`,
  )
}

const slowest = renderAll.results.reduce((a, b) => (a.bundlesPerCpuSecond <= b.bundlesPerCpuSecond ? a : b))
console.log(
  `    slowest: ${slowest.example}, ${fixed(slowest.bundlesPerCpuSecond)} bundles/s  target >= ${TARGETS.bundlesPerSecond}/s for every example: ${verdict(slowest.bundlesPerCpuSecond >= TARGETS.bundlesPerSecond)}`,
)

const cli = run('cli-cold-start.mjs')
console.log(`(b) CLI render of a full bundle, cold process (${cli.tool}, ${cli.runs} runs, medians)`)
console.log(
  `    render ${fixed(cli.renderMs)} ms, node -e 0 ${fixed(cli.nodeMs)} ms: ${fixed(cli.ratio, 2)}x  target <= ${TARGETS.cliRatio}x: ${verdict(cli.ratio <= TARGETS.cliRatio)}`,
)
if (cli.cpuRatio !== undefined) {
  console.log(
    `    CPU time (user + system, means): render ${fixed(cli.renderCpuMs)} ms, node -e 0 ${fixed(cli.nodeCpuMs)} ms: ${fixed(cli.cpuRatio, 2)}x`,
  )
}

const tenants = run('tenants.mjs')
console.log(`(c) ${tenants.tenants} distinct tenant specs parsed and rendered in one process (${tenants.files} files)`)
console.log(
  `    time ${fixed(tenants.seconds, 1)} s (CPU ${fixed(tenants.cpuSeconds, 1)} s)  target < ${TARGETS.tenantSeconds} s: ${verdict(tenants.seconds < TARGETS.tenantSeconds)}`,
)
console.log(
  `    peak RSS ${fixed(tenants.peakRssMb)} MB  target < ${TARGETS.tenantRssMb} MB: ${verdict(tenants.peakRssMb < TARGETS.tenantRssMb)}`,
)

// The comparison with Element's ESS Helm chart runs when a helm binary and the chart are at hand.
const chart = process.env.ESS_CHART
if (chart === undefined) {
  console.log('(d) helm template of ESS: skipped (set ESS_CHART=<ess-helm>/charts/matrix-stack; see docs/benchmarks.md)')
} else {
  const helm = run('helm-compare.mjs', ['--chart', chart, '--rounds', '10'])
  console.log(`(d) helm template of ESS (${helm.helm}, ${helm.chart}), ${helm.rounds} interleaved rounds`)
  console.log(
    `    helm ${fixed(helm.medianMs.helm)} ms, messenger-stack render ${fixed(helm.medianMs.messengerStack)} ms: helm is ${fixed(helm.helmOverMessengerStack, 2)}x slower; per tenant ${fixed(helm.perTenant.ratio)}x`,
  )
  if (helm.helmOverMessengerStackKubernetes !== undefined) {
    console.log(`    our Kubernetes manifests (examples/kubernetes): helm is ${fixed(helm.helmOverMessengerStackKubernetes, 2)}x slower`)
  }
}
const sizes = run('sizes.mjs')
console.log('(e) import { renderHomeserver } from the built renderers, esbuild --minify --platform=browser (metafile)')
console.log(
  `    ${fixed(sizes.renderHomeserverBytes / 1000, 1)} KB  target <= ${SIZE_TARGETS.renderHomeserverBytes / 1000} KB: ${verdict(sizes.renderHomeserverBytes <= SIZE_TARGETS.renderHomeserverBytes)}`,
)
console.log(
  `(f) @messenger-stack/cli as published (pnpm pack): ${sizes.cli.files} files, tarball ${fixed(sizes.cli.tarballBytes / 1000)} KB`,
)
console.log(
  `    unpacked ${fixed(sizes.cli.unpackedBytes / 1e6, 2)} MB  target <= ${SIZE_TARGETS.cliUnpackedBytes / 1e6} MB (cold start: row b): ${verdict(sizes.cli.unpackedBytes <= SIZE_TARGETS.cliUnpackedBytes)}`,
)
console.log(
  `load average at end: ${loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')}`,
)
