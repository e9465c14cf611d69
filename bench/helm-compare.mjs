// Compares a render by messenger-stack with `helm template` of Element's ESS chart
// (element-hq/ess-helm, charts/matrix-stack) for comparable components (bench/helm/ess-values.yaml),
// on this machine, in one run:
// - one render as a cold process: `messenger-stack render examples/standalone/deployment.yaml`
//   into an empty folder, `helm template` (with and without its values schema check), and
//   `node -e 0`; the commands take turns round after round (interleaved), medians are compared;
// - one tenant: helm renders one tenant per process; messenger-stack parses and renders a
//   tenant in an existing process (median over many distinct specs).
// The load average is printed before and after, since the machine may be shared.
// Usage: node bench/helm-compare.mjs --chart <ess-helm>/charts/matrix-stack [--helm <bin>] [--rounds 15]
// helm: --helm, else $HELM, else $MESSENGER_STACK_CACHE/bin/helm (bench/helm/build-helm.sh builds v3.22.0).
// Prints a summary on stderr and one JSON document on stdout.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { ROOT, examplePath, exampleText, importBuilt, median, requireBuiltCli } from './_shared.mjs'

const { values: args } = parseArgs({
  options: { chart: { type: 'string' }, helm: { type: 'string' }, rounds: { type: 'string', default: '15' } },
})
const helm = args.helm ?? process.env.HELM ?? join(process.env.MESSENGER_STACK_CACHE ?? join(ROOT, '.cache'), 'bin/helm')
if (args.chart === undefined || !existsSync(join(args.chart, 'Chart.yaml'))) {
  console.error('bench: --chart <path to ess-helm>/charts/matrix-stack is required (git clone https://github.com/element-hq/ess-helm).')
  process.exit(2)
}
if (!existsSync(helm)) {
  console.error(`bench: ${helm} is missing; build helm v3.22.0 with bench/helm/build-helm.sh, or pass --helm.`)
  process.exit(2)
}
requireBuiltCli()
const rounds = Number.parseInt(args.rounds, 10)
const work = mkdtempSync(join(tmpdir(), 'messenger-stack-helm-'))
const out = join(work, 'bundle')
const values = join(ROOT, 'bench/helm/ess-values.yaml')
const helmArgs = ['template', 'ess', args.chart, '-f', values]
const commands = {
  messengerStack: {
    argv: [process.execPath, join(ROOT, 'packages/cli/bin/messenger-stack.cjs'), 'render', examplePath('standalone'), '--out', out],
    prepare: () => rmSync(out, { recursive: true, force: true }),
  },
  // Our Kubernetes manifests (issue 14), when the example exists: the like-for-like comparison.
  ...(existsSync(examplePath('kubernetes'))
    ? {
        messengerStackKubernetes: {
          argv: [process.execPath, join(ROOT, 'packages/cli/bin/messenger-stack.cjs'), 'render', examplePath('kubernetes'), '--out', out],
          prepare: () => rmSync(out, { recursive: true, force: true }),
        },
      }
    : {}),
  helm: { argv: [helm, ...helmArgs] },
  helmNoSchema: { argv: [helm, ...helmArgs, '--skip-schema-validation'] },
  node: { argv: [process.execPath, '-e', '0'] },
}

function once(command) {
  command.prepare?.()
  const start = performance.now()
  const result = spawnSync(command.argv[0], command.argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 2 ** 20 })
  const ms = performance.now() - start
  if (result.status !== 0) throw new Error(`${command.argv.join(' ')} exited with ${result.status}: ${result.stderr}`)
  return { ms, bytes: result.stdout.length }
}

const loadBefore = loadavg()
const samples = Object.fromEntries(Object.keys(commands).map((name) => [name, []]))
const bytes = {}
for (const command of Object.values(commands)) once(command) // warm the page cache and V8's code cache
for (let round = 0; round < rounds; round++) {
  for (const [name, command] of Object.entries(commands)) {
    const { ms, bytes: printed } = once(command)
    samples[name].push(ms)
    bytes[name] = printed
  }
}
const ms = Object.fromEntries(Object.entries(samples).map(([name, list]) => [name, median(list)]))

// One tenant in one process: parse + render distinct specs, as a hosting provider would.
const { loadDeploymentSpecText } = await importBuilt('config-schema')
const { renderAll } = await importBuilt('renderers')
/** Median time to parse and render one tenant in a running process, from an example's spec. */
function perTenant(example) {
  const template = exampleText(example)
  const times = []
  for (let i = 0; i < 600; i++) {
    const text = template
      .replace(/^serverName: .*$/m, `serverName: tenant${i}.example.org`)
      .replace(/^matrixHost: .*$/m, `matrixHost: matrix.tenant${i}.example.org`)
    const start = performance.now()
    renderAll(loadDeploymentSpecText(text, `tenant-${i}.yaml`))
    if (i >= 100) times.push(performance.now() - start) // after the first 100 (JIT warm-up)
  }
  return median(times)
}
const perTenantMs = perTenant('standalone')
const perTenantKubernetesMs = commands.messengerStackKubernetes === undefined ? undefined : perTenant('kubernetes')
const loadAfter = loadavg()
rmSync(work, { recursive: true, force: true })

const helmVersion = spawnSync(helm, ['version', '--short'], { encoding: 'utf8' }).stdout.trim()
const chartVersion = /^version:\s*(\S+)/m.exec(readFileSync(join(args.chart, 'Chart.yaml'), 'utf8'))?.[1]
const result = {
  benchmark: 'helm-compare',
  helm: helmVersion,
  chart: `matrix-stack ${chartVersion}`,
  rounds,
  loadBefore: loadBefore.map((v) => Number(v.toFixed(2))),
  loadAfter: loadAfter.map((v) => Number(v.toFixed(2))),
  medianMs: ms,
  helmOutputBytes: bytes.helm,
  helmOverMessengerStack: ms.helm / ms.messengerStack,
  helmSchemaShare: (ms.helm - ms.helmNoSchema) / ms.helm,
  messengerStackOverNode: ms.messengerStack / ms.node,
  helmOverMessengerStackKubernetes: ms.messengerStackKubernetes === undefined ? undefined : ms.helm / ms.messengerStackKubernetes,
  perTenant: {
    helmProcessMs: ms.helm,
    messengerStackInProcessMs: perTenantMs,
    ratio: ms.helm / perTenantMs,
    kubernetesInProcessMs: perTenantKubernetesMs,
  },
}
const f = (v, d = 0) => v.toFixed(d)
console.error(
  `${result.helm}, ESS chart ${result.chart}; ${rounds} interleaved rounds; load ${loadBefore.map((v) => f(v, 1)).join(' ')} -> ${loadAfter.map((v) => f(v, 1)).join(' ')}`,
)
console.error(
  `  helm template (ESS)        ${f(ms.helm)} ms  (${f(ms.helmNoSchema)} ms without its values schema check: ${f(100 * result.helmSchemaShare)}% of its time)`,
)
console.error(`  messenger-stack render     ${f(ms.messengerStack)} ms  (node -e 0: ${f(ms.node)} ms)`)
console.error(`  helm / messenger-stack     ${f(result.helmOverMessengerStack, 2)}x`)
if (ms.messengerStackKubernetes !== undefined) {
  console.error(
    `  messenger-stack render of examples/kubernetes ${f(ms.messengerStackKubernetes)} ms: helm / ours ${f(result.helmOverMessengerStackKubernetes, 2)}x; per tenant in one process ${f(perTenantKubernetesMs, 2)} ms`,
  )
}
console.error(
  `  per tenant: helm ${f(ms.helm)} ms per process, messenger-stack ${f(perTenantMs, 2)} ms in one process (${f(result.perTenant.ratio)}x)`,
)
console.log(JSON.stringify(result))
