// The size budget of a tool that imports one renderer (issue 11 item 4; design "Performance
// targets"): `import { renderHomeserver }` bundled and minified for the browser stays within
// 150 KB. Measured with esbuild's metafile over the sources (the `@messenger-stack/source`
// condition); the published ESM keeps the same one-file-per-module graph (see tsup.config.ts),
// and the consumer test and `pnpm bench` measure the packed build the same way.
import { build, type Metafile } from 'esbuild'
import { describe, expect, it } from 'vitest'

/** The budget, in bytes of minified output. */
const BUDGET = 150_000

interface Measured {
  readonly bytes: number
  /** Bytes in the output by npm package (`zod`, `yaml`, ...) or `ours`. */
  readonly byPackage: Readonly<Record<string, number>>
}

/** Bundles `code` (ESM, minified, browser platform) and measures the output with the metafile. */
async function measure(code: string): Promise<Measured> {
  const result = await build({
    stdin: { contents: code, resolveDir: import.meta.dirname, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['@messenger-stack/source'],
    write: false,
    metafile: true,
    logLevel: 'silent',
  })
  const output = Object.values((result.metafile as Metafile).outputs)[0]!
  const byPackage: Record<string, number> = {}
  for (const [path, input] of Object.entries(output.inputs)) {
    const name = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? 'ours'
    byPackage[name] = (byPackage[name] ?? 0) + input.bytesInOutput
  }
  return { bytes: output.bytes, byPackage }
}

describe('bundle size', () => {
  it(`import { renderHomeserver } alone is at most ${BUDGET / 1000} KB minified, and pulls neither zod nor yaml`, async () => {
    const measured = await measure("export { renderHomeserver } from '@messenger-stack/renderers'")
    expect(measured.bytes).toBeLessThanOrEqual(BUDGET)
    // What kept it small: the schemas and the spec reader stay out of a renderer's graph.
    expect(Object.keys(measured.byPackage)).toEqual(['ours'])
  })

  it('the measurement fails above the budget: the spec reader with zod and yaml is far over it', async () => {
    const measured = await measure("export { loadDeploymentSpecText } from '@messenger-stack/config-schema'")
    expect(measured.bytes).toBeGreaterThan(BUDGET)
    expect(measured.byPackage['zod']).toBeGreaterThan(50_000)
  })
})

describe('browser bundles', () => {
  it('every entry of renderers, compose and config-schema bundles with --platform=browser', async () => {
    const measured = await measure(
      [
        "export * from '@messenger-stack/renderers'",
        "export * from '@messenger-stack/compose'",
        "export * from '@messenger-stack/config-schema'",
      ].join('\n'),
    )
    expect(measured.bytes).toBeGreaterThan(0)
  })

  it('renderHomeserver runs in the browser bundle and gives the bytes of the Node import', async () => {
    const result = await build({
      stdin: {
        contents: [
          "import { renderHomeserver } from '@messenger-stack/renderers'",
          "import { loadDeploymentSpecText } from '@messenger-stack/config-schema'",
          'export const render = (text: string) => renderHomeserver(loadDeploymentSpecText(text, "deployment.yaml"))',
        ].join('\n'),
        resolveDir: import.meta.dirname,
        loader: 'ts',
      },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      conditions: ['@messenger-stack/source'],
      write: false,
      logLevel: 'silent',
    })
    const url = `data:text/javascript;base64,${Buffer.from(result.outputFiles[0]!.contents).toString('base64')}`
    const bundled = (await import(/* @vite-ignore */ url)) as { render: (text: string) => string }
    const { readFileSync } = await import('node:fs')
    const { renderHomeserver } = await import('@messenger-stack/renderers')
    const { loadDeploymentSpecText } = await import('@messenger-stack/config-schema')
    const text = readFileSync(new URL('../../../examples/standalone/deployment.yaml', import.meta.url), 'utf8')
    expect(bundled.render(text)).toBe(renderHomeserver(loadDeploymentSpecText(text, 'deployment.yaml')))
  })

  it('the Node-only code lives behind @messenger-stack/config-schema/node, which does not bundle for the browser', async () => {
    await expect(measure("export * from '@messenger-stack/config-schema/node'")).rejects.toThrow(/node:/)
  })
})
