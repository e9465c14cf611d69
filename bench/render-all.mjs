// Benchmark (a): renderAll bundles per second for each example, and the ratio of one
// renderAll to one JSON.stringify of the same spec (a yardstick of machine speed). "One core"
// is measured as CPU time (user + system of the whole process, V8's helper threads included)
// per bundle: the rate one core sustains. Wall-clock rate is reported beside it.
// The printers build their text by concatenation, which V8 keeps as a tree of pieces (a rope)
// until something reads the characters; whoever writes the files then pays for joining them
// into one flat string. So the CPU time of renderAll followed by reading one character of each
// file (which flattens it, as writing would) is reported too: it is what a bundle really costs
// before it reaches the disk, and it keeps a renderer from looking faster by handing more
// pieces to its caller. The target is stated on renderAll itself.
// Prints one JSON document on stdout. Run through `pnpm bench`, or alone: node bench/render-all.mjs
import { EXAMPLES, exampleText, importBuilt, timeCalls } from './_shared.mjs'

const { loadDeploymentSpecText } = await importBuilt('config-schema')
const { renderAll } = await importBuilt('renderers')

const results = []
for (const name of EXAMPLES) {
  const spec = loadDeploymentSpecText(exampleText(name), `${name}/deployment.yaml`)
  const bytes = renderAll(spec).reduce((sum, file) => sum + file.content.length, 0)
  const render = timeCalls(() => renderAll(spec), { warmup: 1_000 })
  const flattened = timeCalls(
    () => {
      for (const file of renderAll(spec)) file.content.charCodeAt(0)
    },
    { warmup: 1_000 },
  )
  const json = timeCalls(() => JSON.stringify(spec), { warmup: 5000, perRound: 20_000 })
  results.push({
    example: name,
    files: renderAll(spec).length,
    bytes,
    usPerBundle: render.wallUs,
    cpuUsPerBundle: render.cpuUs,
    bundlesPerSecond: 1e6 / render.wallUs,
    bundlesPerCpuSecond: 1e6 / render.cpuUs,
    cpuUsPerBundleFlattened: flattened.cpuUs,
    bundlesPerCpuSecondFlattened: 1e6 / flattened.cpuUs,
    jsonStringifyUs: json.wallUs,
    ratioToJsonStringify: render.wallUs / json.wallUs,
  })
}
console.log(JSON.stringify({ benchmark: 'render-all', results }))
