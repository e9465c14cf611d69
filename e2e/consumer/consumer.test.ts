// The packages as someone else's tool meets them: packed tarballs installed with npm into a
// fresh project outside the workspace. ESM and CommonJS give the same bytes (and the same as the
// workspace sources; also our nginx location blocks printed through the /nginx subpath), the
// types compile under node16 and bundler resolution and refuse a typo and a TLS conflict, the
// exported validators accept upstream-style files, the CLI runs from its tarball, each tarball
// holds exactly the expected files, publint and arethetypeswrong are clean, and
// renderHomeserver bundles for the browser within its size budget. (Still to come: inline
// snapshots of the narrowed export lists, a further `it` on `consumer`.)
import { execFileSync, spawnSync } from 'node:child_process'
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { loadDeploymentSpecText } from '@messenger-stack/config-schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { directive, printNginx } from '@messenger-stack/config-schema/nginx'
import { gatewayProxyModel, renderAll, renderGatewayLocations } from '@messenger-stack/renderers'
import { type Consumer, inProject, installAlone, PUBLISHED, prepareConsumer, ROOT, tarballFiles, tsc } from './_consumer.js'

let consumer: Consumer
beforeAll(() => {
  consumer = prepareConsumer()
}, 420_000)
afterAll(() => {
  if (consumer !== undefined) rmSync(consumer.work, { recursive: true, force: true })
})

const EXAMPLES = ['standalone', 'microservice'] as const
const example = (name: string) => join(ROOT, 'examples', name, 'deployment.yaml')

describe('runtime', () => {
  it.each(EXAMPLES)('ESM and CommonJS render examples/%s byte for byte alike, and like the workspace sources', (name) => {
    const esm = inProject(consumer, process.execPath, ['render.mjs', example(name)])
    const cjs = inProject(consumer, process.execPath, ['render.cjs', example(name)])
    expect(esm.stderr).toBe('')
    expect(esm.status).toBe(0)
    expect(cjs.stderr).toBe('')
    expect(cjs.status).toBe(0)
    expect(cjs.stdout).toBe(esm.stdout)
    const spec = loadDeploymentSpecText(readFileSync(example(name), 'utf8'), example(name))
    const fromSource = renderAll(spec).map((file) => `=== ${file.path} ${file.mode.toString(8)}\n${file.content}`)
    expect(esm.stdout.startsWith(fromSource.join(''))).toBe(true)
  })

  it('ESM and CommonJS export the same names from every package', () => {
    const esm = inProject(consumer, process.execPath, ['exports.mjs'])
    const cjs = inProject(consumer, process.execPath, ['exports.cjs'])
    expect(esm.status, esm.stderr).toBe(0)
    const names = JSON.parse(esm.stdout) as Record<string, string[]>
    expect(JSON.parse(cjs.stdout)).toEqual(names)
    for (const pkg of PUBLISHED) expect(names[pkg]?.length, pkg).toBeGreaterThan(0)
    // Files and the secrets folder: the Node-only subpath, not the pure main entry.
    expect(names['config-schema/node']).toContain('loadDeploymentSpec')
    expect(names['config-schema']).not.toContain('loadDeploymentSpec')
    // The nginx block tree and its printer: a subpath of their own, not the package root.
    expect(names['config-schema/nginx']).toContain('printNginx')
    expect(names['config-schema']).not.toContain('directive')
    // The YAML and JSON printers: a subpath of their own too.
    expect(names['config-schema/formats']).toEqual(['generatedHeader', 'stableJson', 'toYaml'])
    expect(names['config-schema']).not.toContain('toYaml')
    // The installed packages export exactly the names pinned from the sources (e2e/repo/public-api).
    for (const [entry, exported] of Object.entries(names)) {
      const pinned = readFileSync(join(ROOT, 'e2e/repo/public-api', `${entry.replace('/', '-')}.txt`), 'utf8')
      expect(`${exported.join('\n')}\n`, entry).toBe(pinned)
    }
  })

  it('ESM and CommonJS print our location blocks inside their own server block with the nginx subpath, like the workspace sources', () => {
    const esm = inProject(consumer, process.execPath, ['embed-locations.mjs', example('microservice')])
    const cjs = inProject(consumer, process.execPath, ['embed-locations.cjs', example('microservice')])
    expect(esm.stderr).toBe('')
    expect(esm.status).toBe(0)
    expect(cjs.stderr).toBe('')
    expect(cjs.stdout).toBe(esm.stdout)
    const spec = loadDeploymentSpecText(readFileSync(example('microservice'), 'utf8'), example('microservice'))
    const server = printNginx([
      directive('server', [], [directive('listen', [8443, 'ssl']), ...gatewayProxyModel(spec, { activeColor: 'blue' })]),
    ])
    expect(esm.stdout).toBe(`${server}=== text\n${renderGatewayLocations(spec, { activeColor: 'blue' })}`)
    expect(esm.stdout).toContain('        proxy_pass http://messenger-router-blue:8080;\n')
  })

  it('isSpecError recognises a SpecError from the other build (ESM and CommonJS), where instanceof cannot', () => {
    const run = inProject(consumer, process.execPath, ['spec-error.mjs'])
    expect(run.stderr).toBe('')
    expect(JSON.parse(run.stdout)).toEqual({
      sameClass: false,
      isSpecError: { cjsErrorByEsm: true, esmErrorByCjs: true },
      instanceOf: { cjsErrorByEsm: false, esmErrorByCjs: false },
      codes: ['invalid_format', 'invalid_format'],
    })
  })

  it('validates an upstream-style homeserver.yaml and Element config.json with the exported schemas', () => {
    const run = inProject(consumer, process.execPath, ['validate-upstream.mjs'])
    expect(run.stderr).toBe('')
    const out = JSON.parse(run.stdout)
    expect(out.homeserver).toMatchObject({ success: true, upstream: 'Synapse 1.163', issues: [] })
    expect(out.homeserver.notModelled).toContain('registration_shared_secret 71:1')
    expect(out.homeserver.notModelled.length).toBeGreaterThan(10)
    expect(out.element).toMatchObject({ success: true, upstream: 'Element Web v1.12.26', issues: [] })
    expect(out.element.notModelled).toContain('jitsi 39:3')
    expect(out.schemas).toEqual({ homeserver: true, element: true })
    expect(out.broken.issues).toEqual(['homeserver.yaml:2:15 report_stats must be true or false, not text (got "sometimes").'])
  })
})

/** The part of esbuild's `build` this test uses. */
type EsbuildBuild = (options: Record<string, unknown>) => Promise<{
  metafile: { outputs: Record<string, { bytes: number; inputs: Record<string, unknown> }> }
}>

describe('bundling', () => {
  it('import { renderHomeserver } from the tarballs bundles for the browser within 150 KB minified (esbuild metafile)', async () => {
    // esbuild is the renderers' dev dependency, not e2e's: loaded by path, typed by what is used.
    const { build } = (await import(join(ROOT, 'packages/renderers/node_modules/esbuild/lib/main.js'))) as { build: EsbuildBuild }
    const result = await build({
      stdin: { contents: "export { renderHomeserver } from '@messenger-stack/renderers'", resolveDir: consumer.project },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      metafile: true,
      logLevel: 'silent',
    })
    const output = Object.values(result.metafile.outputs)[0]!
    expect(output.bytes).toBeLessThanOrEqual(150_000)
    // From the installed build, not from the workspace's sources.
    const inputs = Object.keys(output.inputs).filter((path) => path !== '<stdin>')
    expect(inputs.length).toBeGreaterThan(0)
    expect(inputs.filter((path) => !path.includes('node_modules/@messenger-stack/'))).toEqual([])
  })
})

describe('types', () => {
  it.each(['tsconfig.node16.json', 'tsconfig.bundler.json'])(
    'a consumer file type-checks with %s (skipLibCheck off)',
    (tsconfig) => {
      const result = tsc(consumer, tsconfig)
      expect(result.stdout + result.stderr).toBe('')
      expect(result.status).toBe(0)
    },
    240_000,
  )

  it.each(['node16', 'bundler'])(
    'a deliberate typo and a deliberate TLS conflict fail to compile under %s resolution',
    (resolution) => {
      const tsconfig = `tsconfig.${resolution}.must-fail.json`
      const files = ['types/typo.ts', 'types/tls-conflict.ts']
      inProject(consumer, process.execPath, [
        '-e',
        `require('node:fs').writeFileSync(${JSON.stringify(tsconfig)}, JSON.stringify({ extends: './tsconfig.${resolution}.json', files: ${JSON.stringify(files)} }))`,
      ])
      const result = tsc(consumer, tsconfig)
      expect(result.status, result.stdout).not.toBe(0)
      // Each for the intended reason, and nothing else.
      const errors = result.stdout
        .split('\n')
        .filter((line) => /error TS/.test(line))
        .sort()
      expect(errors).toHaveLength(2)
      expect(errors[1]).toMatch(/^types\/typo\.ts\(4,\d+\): error TS(2353|2561): .*'matrixHots'/)
      expect(errors[0]).toMatch(/^types\/tls-conflict\.ts\(6,\d+\): error TS2322: .*certificate/)
    },
    240_000,
  )
  it("every TypeScript example of the packages' READMEs compiles against the tarballs", () => {
    const files: string[] = []
    for (const pkg of PUBLISHED) {
      const readme = readFileSync(join(ROOT, 'packages', pkg, 'README.md'), 'utf8')
      for (const [index, match] of [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].entries()) {
        const file = `types/readme-${pkg}-${index}.ts`
        writeFileSync(join(consumer.project, file), `${match[1]}export {}\n`)
        files.push(file)
      }
    }
    expect(files.length).toBeGreaterThanOrEqual(PUBLISHED.length)
    writeFileSync(join(consumer.project, 'tsconfig.readme.json'), JSON.stringify({ extends: './tsconfig.bundler.json', files }))
    const result = tsc(consumer, 'tsconfig.readme.json')
    expect(result.stdout + result.stderr).toBe('')
    expect(result.status).toBe(0)
  }, 240_000)
})

describe('the CLI from its tarball', () => {
  const bin = () => join(consumer.project, 'node_modules/.bin/messenger-stack')

  it('prints the version of its package.json', () => {
    const result = inProject(consumer, bin(), ['--version'])
    expect(result.stdout).toBe(`${consumer.version}\n`)
    const installed = JSON.parse(readFileSync(join(consumer.project, 'node_modules/@messenger-stack/cli/package.json'), 'utf8'))
    expect(installed.version).toBe(consumer.version)
    // The bin and the library entry are self-contained (see 'installed alone' below).
    expect(installed.dependencies).toBeUndefined()
    expect(installed.peerDependencies).toBeUndefined()
  })

  it('init writes a spec whose $schema names the package version; validate and render agree with the library', () => {
    const init = inProject(consumer, bin(), ['init', 'deploy', '--server-name', 'example.org', '--uid', '1000', '--gid', '1000'])
    expect(init.status, init.stderr).toBe(0)
    const specFile = join(consumer.project, 'deploy/deployment.yaml')
    const spec = readFileSync(specFile, 'utf8')
    expect(spec.split('\n')[0]).toBe(
      `# yaml-language-server: $schema=https://unpkg.com/@messenger-stack/config-schema@${consumer.version}/schema/deployment-spec.schema.json`,
    )
    expect(inProject(consumer, bin(), ['validate', 'deploy/deployment.yaml']).status).toBe(0)
    const render = inProject(consumer, bin(), ['render', 'deploy/deployment.yaml', '--out', 'out'])
    expect(render.status, render.stderr).toBe(0)
    const library = inProject(consumer, process.execPath, ['render.mjs', 'deploy/deployment.yaml'])
    const written = library.stdout
      .split(/^=== /m)
      .filter((chunk) => chunk !== '' && !chunk.startsWith('compose ') && !chunk.startsWith('homeserver\n'))
      // DEPLOY.md names the spec as the CLI found it (the library's default is deployment.yaml).
      .filter((chunk) => !chunk.startsWith('DEPLOY.md '))
    expect(written.length).toBeGreaterThan(10)
    for (const chunk of written) {
      const header = chunk.slice(0, chunk.indexOf('\n'))
      const path = header.slice(0, header.lastIndexOf(' '))
      expect(readFileSync(join(consumer.project, 'out', path), 'utf8'), path).toBe(chunk.slice(chunk.indexOf('\n') + 1))
    }
    expect(readFileSync(join(consumer.project, 'out/DEPLOY.md'), 'utf8')).toContain(
      'sudo messenger-stack render ../deploy/deployment.yaml --out . --secrets secrets\n',
    )
  })

  it('installs in at most 1.5 MB unpacked (issue 15), and keeps its code cache in the user cache folder, not in the install', () => {
    const listing = execFileSync('tar', ['-tzvf', consumer.tarballs.cli], { encoding: 'utf8' })
    const unpacked = listing
      .split('\n')
      .filter((line) => line.startsWith('-'))
      .reduce((sum, line) => sum + Number(line.split(/\s+/)[2]), 0)
    expect(unpacked).toBeGreaterThan(100_000)
    expect(unpacked).toBeLessThanOrEqual(1_500_000)
    const cache = join(consumer.work, 'xdg-cache')
    const run = spawnSync(bin(), ['validate', 'deploy/deployment.yaml'], {
      cwd: consumer.project,
      encoding: 'utf8',
      env: { ...process.env, XDG_CACHE_HOME: cache },
    })
    expect(run.status, run.stderr).toBe(0)
    expect(readdirSync(join(cache, 'messenger-stack')).filter((file) => file.endsWith('.v8'))).toHaveLength(1)
    const installed = join(consumer.project, 'node_modules/@messenger-stack/cli')
    const files = readdirSync(installed, { recursive: true }).map(String)
    expect(files.filter((file) => file.endsWith('.v8') || file.includes('cache'))).toEqual([])
  })

  it('schema prints the JSON Schema the package ships', () => {
    const result = inProject(consumer, bin(), ['schema'])
    expect(result.status).toBe(0)
    const shipped = readFileSync(
      join(consumer.project, 'node_modules/@messenger-stack/config-schema/schema/deployment-spec.schema.json'),
      'utf8',
    )
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(shipped))
  })
})

describe('the CLI tarball installed alone (no other @messenger-stack package)', () => {
  let alone: string
  beforeAll(() => {
    alone = installAlone(consumer, 'cli')
  }, 420_000)
  const run = (command: string, args: readonly string[]) =>
    spawnSync(command, args, { cwd: alone, encoding: 'utf8', timeout: 240_000, maxBuffer: 64 * 1024 * 1024 })

  it('installs nothing else (besides @types/node, there for the type-check below)', () => {
    expect(readdirSync(join(alone, 'node_modules/@messenger-stack'))).toEqual(['cli'])
    const installed = readdirSync(join(alone, 'node_modules')).filter((name) => !name.startsWith('.'))
    expect(installed.filter((name) => name !== '@types' && name !== 'undici-types')).toEqual(['@messenger-stack'])
  })

  it('renders the same bundle as the CLI installed with every package', () => {
    const files = (dir: string) =>
      readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
        .sort()
    const outputs = [alone, consumer.project].map((cwd) => {
      // The same spec at the same relative place: DEPLOY.md names it relative to the output.
      writeFileSync(join(cwd, 'alone-spec.yaml'), readFileSync(example('standalone')))
      const render = spawnSync(join(cwd, 'node_modules/.bin/messenger-stack'), ['render', 'alone-spec.yaml', '--out', 'alone-out'], {
        cwd,
        encoding: 'utf8',
      })
      expect(render.status, render.stderr).toBe(0)
      const out = join(cwd, 'alone-out')
      return new Map(files(out).map((path) => [path, readFileSync(join(out, path), 'utf8')]))
    })
    expect(outputs[0]!.size).toBeGreaterThan(10)
    expect(outputs[0]).toEqual(outputs[1])
  })

  it('its library entry loads as ESM and CommonJS and runs a command', () => {
    const spec = example('standalone')
    const script = (load: string) =>
      `${load}.then(async (m) => { process.exitCode = await m.cli(['validate', ${JSON.stringify(spec)}], m.nodeIo()) })`
    const esm = run(process.execPath, ['--input-type=module', '-e', script("import('@messenger-stack/cli')")])
    expect(esm.status, esm.stderr).toBe(0)
    expect(esm.stdout).toContain('is valid')
    const cjs = run(process.execPath, ['-e', script("Promise.resolve(require('@messenger-stack/cli'))")])
    expect(cjs.status, cjs.stderr).toBe(0)
    expect(cjs.stdout).toBe(esm.stdout)
  })

  it('its declarations type-check without the other packages (skipLibCheck off)', () => {
    writeFileSync(
      join(alone, 'use-cli.ts'),
      [
        "import { cli, nodeIo, type CliDeps } from '@messenger-stack/cli'",
        "const deps: Partial<CliDeps> = { renderAll: (spec) => [{ path: spec.serverName, content: '', mode: 0o644 }] }",
        "export const code: Promise<number> = cli(['render', 'deploy.yaml'], nodeIo(), deps)",
        '',
      ].join('\n'),
    )
    const options = { strict: true, skipLibCheck: false, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', types: ['node'] }
    writeFileSync(join(alone, 'tsconfig.json'), JSON.stringify({ compilerOptions: options, files: ['use-cli.ts'] }))
    const result = run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'])
    expect(result.stdout + result.stderr).toBe('')
    expect(result.status).toBe(0)
  }, 240_000)
})

/** Every file under a folder of the workspace, relative to the package, sorted. */
function filesIn(pkg: string, folder: string): string[] {
  const dir = join(ROOT, 'packages', pkg, folder)
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(join(ROOT, 'packages', pkg), join(entry.parentPath, entry.name)))
    .sort()
}

/** What each tarball must hold: metadata files, its built entry points, and its sources. */
function expectedFiles(pkg: (typeof PUBLISHED)[number]): { exact: string[]; chunks: RegExp | undefined } {
  const common = [
    'CHANGELOG.md',
    'LICENSE',
    'README.md',
    'package.json',
    'dist/index.cjs',
    'dist/index.d.cts',
    'dist/index.d.ts',
    'dist/index.js',
  ]
  const sources = filesIn(pkg, 'src')
  // The ESM build of a library keeps one module per source file (tree-shaking by module).
  const modules = sources.map((file) => `dist/${file.slice('src/'.length, -'.ts'.length)}.js`)
  const library = (...more: string[]) => [...new Set([...common, ...sources, ...modules, ...more])].sort()
  if (pkg === 'config-schema') {
    return {
      exact: library(
        ...filesIn(pkg, 'schema'),
        ...['node', 'nginx', 'formats'].flatMap((entry) => [
          `dist/${entry}.cjs`,
          `dist/${entry}.d.cts`,
          `dist/${entry}.d.ts`,
          `${entry}/package.json`,
        ]),
      ),
      // The chunk the CommonJS entries share, and the declarations both entries use.
      chunks: /^dist\/(chunk-[A-Z0-9]{8}\.cjs|[a-z-]+-[A-Za-z0-9_-]{8}\.d\.c?ts)$/,
    }
  }
  if (pkg !== 'cli') return { exact: library(), chunks: undefined }
  return {
    // One bundle holds every command (the libraries they share, once), and one the libraries
    // that only rare paths load (yaml, TOML).
    exact: [
      ...common,
      ...sources,
      'bin/messenger-stack.cjs',
      'dist/bin/messenger-stack.cjs',
      'dist/bin/commands.cjs',
      'dist/bin/libraries.cjs',
    ].sort(),
    // The library's lazily loaded command modules (ESM code splitting).
    chunks: /^dist\/[a-z-]+-[A-Z0-9]{8}\.js$/,
  }
}

describe.each(PUBLISHED)('the %s tarball', (pkg) => {
  it('holds exactly README, LICENSE, CHANGELOG, package.json, the build and the sources; no tests, fixtures or caches', () => {
    const files = tarballFiles(consumer.tarballs[pkg])
    const { exact, chunks } = expectedFiles(pkg)
    expect(files.filter((file) => chunks === undefined || !chunks.test(file))).toEqual(exact)
    for (const file of files) {
      expect(file).not.toMatch(/(^|\/)(test|tests|fixtures|golden|__snapshots__|cache)\/|\.test\.|\.spec\.|tsconfig|\.config\.ts$|\.v8$/)
    }
    expect(readFileSync(join(consumer.project, 'node_modules/@messenger-stack', pkg, 'LICENSE'), 'utf8')).toBe(
      readFileSync(join(ROOT, 'LICENSE'), 'utf8'),
    )
  })

  it('publint (strict) and arethetypeswrong find nothing', () => {
    const publint = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules/publint/src/cli.js'), 'run', '--strict', consumer.tarballs[pkg]],
      {
        encoding: 'utf8',
        timeout: 120_000,
      },
    )
    expect(publint.stdout + publint.stderr).toContain('All good!')
    expect(publint.status).toBe(0)
    const attw = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules/@arethetypeswrong/cli/dist/index.js'), consumer.tarballs[pkg], '--format', 'ascii'],
      {
        encoding: 'utf8',
        timeout: 120_000,
      },
    )
    expect(attw.stdout + attw.stderr).toContain('No problems found')
    expect(attw.status).toBe(0)
  }, 240_000)
})
