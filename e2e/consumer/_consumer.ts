// The consumer test's set-up: pack every published package as a release would (`pnpm pack`,
// which runs each package's prepack build guard and turns `workspace:^` into a version range),
// then install the tarballs with npm into a fresh project outside the workspace.
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root (with trailing slash). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** The published packages, by folder name under packages/. */
export const PUBLISHED = ['config-schema', 'renderers', 'compose', 'cli'] as const
export type Published = (typeof PUBLISHED)[number]

/** A packed and installed set of packages. */
export interface Consumer {
  /** Temporary folder holding everything (outside the workspace). */
  readonly work: string
  /** The fresh npm project the tarballs are installed into. */
  readonly project: string
  /** Tarball path of each package. */
  readonly tarballs: Readonly<Record<Published, string>>
  /** The version every package was packed at. */
  readonly version: string
}

const NPM_FLAGS = ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', `--cache=${join(homedir(), '.npm')}`]

/** Packs every package and installs the tarballs (with `@types/node`) into a fresh project. */
export function prepareConsumer(): Consumer {
  const work = mkdtempSync(join(tmpdir(), 'ms-consumer-'))
  const packed = join(work, 'tarballs')
  mkdirSync(packed)
  const tarballs = {} as Record<Published, string>
  for (const name of PUBLISHED) {
    const before = new Set(readdirSync(packed))
    execFileSync('pnpm', ['pack', '--pack-destination', packed], { cwd: join(ROOT, 'packages', name), stdio: 'pipe', timeout: 120_000 })
    const created = readdirSync(packed).filter((file) => !before.has(file))
    if (created.length !== 1) throw new Error(`pnpm pack of ${name} made ${created.length} files`)
    tarballs[name] = join(packed, created[0]!)
  }
  const project = join(work, 'project')
  cpSync(join(ROOT, 'e2e/consumer/project'), project, { recursive: true })
  // Upstream-style files that messenger-stack did not write.
  for (const file of ['homeserver.yaml', 'element-config.json']) {
    cpSync(join(ROOT, 'packages/config-schema/test/fixtures/upstream', file), join(project, file))
  }
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)}\n`)
  const typesNode = JSON.parse(readFileSync(join(ROOT, 'node_modules/@types/node/package.json'), 'utf8')).version as string
  execFileSync('npm', ['install', ...NPM_FLAGS, ...Object.values(tarballs), `@types/node@${typesNode}`], {
    cwd: project,
    stdio: 'pipe',
    timeout: 300_000,
  })
  const version = JSON.parse(readFileSync(join(ROOT, 'packages/cli/package.json'), 'utf8')).version as string
  return { work, project, tarballs, version }
}

/**
 * Installs one tarball alone (with `@types/node`) into another fresh project beside the
 * consumer's: what `npm install @messenger-stack/<pkg>` gives someone who wants only that one.
 * Returns the project folder.
 */
export function installAlone(consumer: Consumer, pkg: Published): string {
  const project = join(consumer.work, `${pkg}-alone`)
  mkdirSync(project)
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: `${pkg}-alone`, private: true, type: 'module' }, null, 2)}\n`)
  const typesNode = JSON.parse(readFileSync(join(ROOT, 'node_modules/@types/node/package.json'), 'utf8')).version as string
  execFileSync('npm', ['install', ...NPM_FLAGS, consumer.tarballs[pkg], `@types/node@${typesNode}`], {
    cwd: project,
    stdio: 'pipe',
    timeout: 300_000,
  })
  return project
}

/** Runs a command in the consumer project; output as text. */
export function inProject(consumer: Consumer, command: string, args: readonly string[]): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd: consumer.project, encoding: 'utf8', timeout: 240_000, maxBuffer: 64 * 1024 * 1024 })
}

/** The workspace's TypeScript compiler on a tsconfig of the consumer project. */
export function tsc(consumer: Consumer, tsconfig: string): SpawnSyncReturns<string> {
  return inProject(consumer, process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', tsconfig])
}

/** The file names inside a tarball, without the `package/` prefix, sorted. */
export function tarballFiles(tarball: string): string[] {
  return execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line !== '' && !line.endsWith('/'))
    .map((line) => line.replace(/^package\//, ''))
    .sort()
}
