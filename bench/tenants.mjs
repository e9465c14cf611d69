// Benchmark (c): 10,000 distinct tenant specs (server name, service name, ports, resources,
// mode vary) parsed from YAML text and rendered in one process: total time and peak RSS.
// Prints one JSON document on stdout. Run alone: node bench/tenants.mjs [count]
import { exampleText, importBuilt } from './_shared.mjs'

const { loadDeploymentSpecText } = await importBuilt('config-schema')
const { renderAll } = await importBuilt('renderers')

const count = Number.parseInt(process.argv[2] ?? '10000', 10)
const templates = { standalone: exampleText('standalone'), microservice: exampleText('microservice') }
const PROFILES = ['small', 'medium']

/** The YAML text of tenant `i`: one of the examples with its names and ports changed. */
function tenantText(i) {
  const mode = i % 5 === 0 ? 'microservice' : 'standalone'
  return templates[mode]
    .replace(/^serviceName: .*$/m, `serviceName: t${i}`)
    .replace(/^serverName: .*$/m, `serverName: tenant${i}.example.org`)
    .replace(/^matrixHost: .*$/m, `matrixHost: matrix.tenant${i}.example.org`)
    .replace(/^resources: .*$/m, `resources: ${PROFILES[i % PROFILES.length]}`)
    .replace(/^(\s+)tcpPort: \d+$/m, `$1tcpPort: ${20_000 + (i % 5_000)}`)
    .replace(/^(\s+)udpPort: 7882$/m, `$1udpPort: ${40_000 + (i % 5_000)}`)
    .replace(/^(\s+)httpPort: 3708$/m, `$1httpPort: ${3_000 + (i % 1_000)}`)
    .replace(/email: .*$/m, `email: admin@tenant${i}.example.org`)
}

const start = performance.now()
const cpuStart = process.cpuUsage()
let files = 0
let bytes = 0
const seen = new Set()
for (let i = 0; i < count; i++) {
  const text = tenantText(i)
  const spec = loadDeploymentSpecText(text, `tenant-${i}.yaml`)
  if (i < 3) seen.add(spec.serverName)
  for (const file of renderAll(spec)) {
    files++
    bytes += file.content.length
  }
}
const seconds = (performance.now() - start) / 1000
const cpu = process.cpuUsage(cpuStart)
// CPU time of the process (user + system, V8's helper threads included): what the run costs
// on a machine shared with other work, where wall-clock time also counts waiting for a core.
const cpuSeconds = (cpu.user + cpu.system) / 1e6
// maxRSS is in kilobytes.
const peakRssMb = process.resourceUsage().maxRSS / 1024
console.log(
  JSON.stringify({
    benchmark: 'tenants',
    tenants: count,
    distinct: seen.size === Math.min(count, 3),
    files,
    bytes,
    seconds,
    cpuSeconds,
    peakRssMb,
  }),
)
