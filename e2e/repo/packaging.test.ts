// The published packages as a tool builder meets them on the registry: metadata, licence,
// README with an example, CHANGELOG, one shared version, ranged internal dependencies, a
// namespaced source condition, and a build guard that refuses to pack a stale build.
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const PACKAGES = ['config-schema', 'renderers', 'compose', 'cli'] as const
const SOURCE_CONDITION = '@messenger-stack/source'

const manifest = (dir: string) => JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'))
const text = (path: string) => readFileSync(join(root, path), 'utf8')

describe.each(PACKAGES)('packages/%s', (name) => {
  const dir = `packages/${name}`
  const pkg = manifest(dir)

  it('has the metadata a registry page needs', () => {
    expect(pkg.name).toBe(`@messenger-stack/${name}`)
    expect(pkg.license).toBe('Apache-2.0')
    expect(pkg.description).toMatch(/\S{10}/)
    expect(pkg.keywords).toContain('messenger-stack')
    expect(pkg.repository).toEqual({ type: 'git', url: manifest('packages/config-schema').repository.url, directory: dir })
    expect(pkg.homepage).toMatch(/^https:\/\//)
    expect(pkg.bugs.url).toMatch(/^https:\/\//)
    expect(pkg.publishConfig).toEqual({ access: 'public' })
    expect(pkg.private).toBeUndefined()
  })

  it('ships the Apache-2.0 licence text, a README with a TypeScript example, and a CHANGELOG', () => {
    expect(text(`${dir}/LICENSE`)).toBe(text('LICENSE'))
    expect(text('LICENSE')).toContain('Apache License\n                           Version 2.0, January 2004')
    const readme = text(`${dir}/README.md`)
    expect(readme).toMatch(new RegExp(`^# @messenger-stack/${name}\\n`))
    expect(readme).toMatch(/```ts\n[\s\S]*?from '@messenger-stack\/[a-z-]+'[\s\S]*?```/)
    expect(readme).toContain(`npm install`)
    expect(text(`${dir}/CHANGELOG.md`)).toContain(`## ${pkg.version}`)
  })

  it('depends on workspace packages with a range, not an exact pin', () => {
    for (const [dep, range] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
      if (dep.startsWith('@messenger-stack/')) expect(range, dep).toBe('workspace:^')
    }
  })

  it('points its source condition at src under the namespaced name only', () => {
    const dot = pkg.exports['.']
    expect(Object.keys(dot)[0]).toBe(SOURCE_CONDITION)
    expect(dot).not.toHaveProperty('source')
    expect(pkg.scripts.prepack).toBe('node ../../scripts/check-build.mjs')
  })
})

it('the published packages share one version and form one changesets fixed group', () => {
  const versions = new Set(PACKAGES.map((name) => manifest(`packages/${name}`).version))
  expect(versions.size).toBe(1)
  const config = JSON.parse(text('.changeset/config.json'))
  expect(config.fixed).toEqual([PACKAGES.map((name) => `@messenger-stack/${name}`)])
  expect(config.access).toBe('public')
})

it('the CLI declares no dependency: its bin and its library entry are bundled (issue 11 item 7)', () => {
  // Its bin inlines everything from source; its library entry runs the bin's bundle and its
  // declarations inline the other packages' types (packages/cli/tsup.config.ts). The workspace
  // packages are build-time inputs only; the consumer test installs the tarball alone and renders.
  const cli = manifest('packages/cli')
  expect(cli.dependencies).toBeUndefined()
  expect(cli.peerDependencies).toBeUndefined()
  expect(cli.optionalDependencies).toBeUndefined()
  expect(Object.keys(cli.devDependencies).filter((dep) => dep.startsWith('@messenger-stack/'))).toEqual([
    '@messenger-stack/compose',
    '@messenger-stack/config-schema',
    '@messenger-stack/renderers',
  ])
})

it('every config that resolves workspace sources uses the namespaced condition', () => {
  const configs = [
    'tsconfig.base.json',
    'e2e/vitest.config.ts',
    'packages/cli/tsup.config.ts',
    ...PACKAGES.map((name) => `packages/${name}/vitest.config.ts`),
  ]
  for (const file of configs) {
    const content = text(file)
    expect(content, file).toContain(SOURCE_CONDITION)
    expect(content, file).not.toMatch(/['"]source['"]/)
  }
})

describe('the build guard (prepack)', () => {
  const guard = join(root, 'scripts/check-build.mjs')
  const runGuard = (cwd: string) => spawnSync(process.execPath, [guard], { cwd, encoding: 'utf8' })

  function fakePackage(): string {
    const dir = mkdtempSync(join(tmpdir(), 'ms-guard-'))
    cpSync(join(root, 'packages/compose/package.json'), join(dir, 'package.json'))
    for (const file of ['src/index.ts', 'dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts']) {
      cpSync(join(root, 'LICENSE'), join(dir, file), { recursive: true })
    }
    const past = new Date(Date.UTC(2020, 0, 1))
    utimesSync(join(dir, 'src/index.ts'), past, past)
    return dir
  }

  it('passes on a fresh build', () => {
    const dir = fakePackage()
    try {
      expect(runGuard(dir).status).toBe(0)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('refuses a missing build output and a source newer than dist/', () => {
    const dir = fakePackage()
    try {
      rmSync(join(dir, 'dist/index.cjs'))
      const missing = runGuard(dir)
      expect(missing.status).toBe(1)
      expect(missing.stderr).toContain('./dist/index.cjs is missing')
      writeFileSync(join(dir, 'dist/index.cjs'), '')
      writeFileSync(join(dir, 'src/index.ts'), 'export {}\n')
      const future = new Date(Date.now() + 60_000)
      utimesSync(join(dir, 'src/index.ts'), future, future)
      const stale = runGuard(dir)
      expect(stale.status).toBe(1)
      expect(stale.stderr).toContain('src/index.ts changed after dist/ was built')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
