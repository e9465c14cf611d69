import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const PACKAGE = fileURLToPath(new URL('..', import.meta.url))
/** The command as installed: bin/messenger-stack.cjs. */
export const BIN = join(PACKAGE, 'bin/messenger-stack.cjs')
const BUNDLE = join(PACKAGE, 'dist/bin/messenger-stack.cjs')

/** The newest modification time below a folder. */
function newest(dir: string): number {
  let max = 0
  for (const name of readdirSync(dir)) {
    const full = join(dir, name)
    const info = statSync(full)
    max = Math.max(max, info.isDirectory() ? newest(full) : info.mtimeMs)
  }
  return max
}

/** Fails with what to do when the built CLI is missing or older than any package's source. */
export function requireBuild(): void {
  if (!existsSync(BUNDLE)) {
    throw new Error(`The built CLI is missing (${BUNDLE}): run pnpm build (or pnpm --filter @messenger-stack/cli build) first.`)
  }
  // The bundle inlines every workspace package from source, so any of them can make it stale.
  for (const pkg of ['cli', 'config-schema', 'renderers', 'compose']) {
    if (newest(join(PACKAGE, '..', pkg, 'src')) > statSync(BUNDLE).mtimeMs) {
      throw new Error(
        `The built CLI is older than packages/${pkg}/src: run pnpm build (or pnpm --filter @messenger-stack/cli build) again.`,
      )
    }
  }
}

/** The size of the built command entry, for the start-up test. */
export function bundleFile(): string {
  return BUNDLE
}

/** A finished run of the built command. */
export interface Spawned {
  readonly code: number | null
  readonly signal?: NodeJS.Signals | null
  /** Process ID of the command (not setpriv's: setpriv execs it). */
  readonly pid?: number
  readonly stdout: string
  readonly stderr: string
}

/** Options of {@link bin} and {@link binAsync}. */
export interface BinOptions {
  readonly env?: Record<string, string>
  /** Run as this UID (and the same GID) through setpriv; the tests run as root. */
  readonly asUser?: number
}

function command(args: readonly string[], options: BinOptions): string[] {
  return options.asUser === undefined
    ? [process.execPath, BIN, ...args]
    : ['setpriv', `--reuid=${options.asUser}`, `--regid=${options.asUser}`, '--clear-groups', process.execPath, BIN, ...args]
}

/** Runs the built command to the end. */
export function bin(args: readonly string[], cwd: string, options: BinOptions = {}): Spawned {
  const [file, ...rest] = command(args, options)
  const result = spawnSync(file!, rest, { cwd, env: { ...process.env, NO_COLOR: '1', ...options.env }, encoding: 'utf8', timeout: 60_000 })
  if (result.error !== undefined) throw result.error
  return { code: result.status, signal: result.signal, pid: result.pid, stdout: result.stdout, stderr: result.stderr }
}

/** Starts the built command; `done` resolves when it exits (killed after 60 s at most). */
export function binAsync(
  args: readonly string[],
  cwd: string,
  options: BinOptions = {},
): { pid: number; done: Promise<Spawned>; stderr: () => string } {
  const [file, ...rest] = command(args, options)
  const child = spawn(file!, rest, { cwd, env: { ...process.env, NO_COLOR: '1', ...options.env } })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
  const done = new Promise<Spawned>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })
  return { pid: child.pid!, done, stderr: () => stderr }
}

/** Runs a shell command as a non-root user (the attacker), failing loudly when it fails. */
export function asUser(uid: number, shell: string, cwd: string): void {
  const result = spawnSync('setpriv', [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', 'sh', '-ec', shell], { cwd, encoding: 'utf8' })
  if (result.error !== undefined) throw new Error(`setpriv (util-linux) is needed to act as uid ${uid}: ${result.error.message}`)
  if (result.status !== 0) throw new Error(`as uid ${uid}, \`${shell}\` failed: ${result.stderr}`)
}

/** Fails unless the tests run as root: the attacks need a root victim and a non-root attacker. */
export function requireRoot(): void {
  if (process.getuid?.() !== 0) throw new Error('These tests perform attacks on root: run them as root (CI does).')
}
