import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire, wrap } from 'node:module'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { Script } from 'node:vm'

/**
 * Where the V8 code cache of the command bundle lives: the user's cache folder
 * (`$XDG_CACHE_HOME`, else `~/.cache`), never the install folder, which may be read-only or
 * shared. Undefined when there is no home to put it in.
 */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const xdg = env['XDG_CACHE_HOME']
  if (xdg?.startsWith('/')) return join(xdg, 'messenger-stack')
  const home = env['HOME'] ?? homedir()
  return home === '' ? undefined : join(home, '.cache', 'messenger-stack')
}

let loaded: Readonly<Record<string, unknown>> | undefined

/**
 * Loads one command of the built CLI from its command bundle (`dist/bin/commands.cjs`, every
 * command in one file) with a V8 code cache under {@link codeCacheDir}, which saves most of
 * the time to compile and start the bundle. The cache is named after the command, the Node
 * version and the bundle's path, size and time, so installs of other versions do not take turns
 * rewriting it;
 * V8 rejects a cache that does not fit, and it is then rewritten. Used only by the built entry
 * (see tsup.config.ts); source runs import the command modules directly.
 */
export function loadCommandBundle(binDir: string, name: string): unknown {
  loaded ??= loadBundle(join(binDir, 'commands.cjs'), name)
  return loaded[name]
}

function loadBundle(file: string, command: string): Readonly<Record<string, unknown>> {
  const source = readFileSync(file, 'utf8')
  const cacheFile = cacheFileFor(file, command)
  let cachedData: Buffer | undefined
  try {
    cachedData = cacheFile === undefined ? undefined : readFileSync(cacheFile)
  } catch {
    cachedData = undefined
  }
  const script = new Script(wrap(source), { filename: file, ...(cachedData === undefined ? {} : { cachedData }) })
  const module = { exports: {} as { COMMAND_MODULES?: Readonly<Record<string, unknown>> } }
  ;(script.runInThisContext() as (...args: unknown[]) => void).call(
    module.exports,
    module.exports,
    createRequire(file),
    module,
    file,
    dirname(file),
  )
  if (cacheFile !== undefined && (cachedData === undefined || script.cachedDataRejected === true)) {
    // Written at exit, so it also holds the functions compiled while the command ran.
    process.once('exit', () => {
      try {
        mkdirSync(dirname(cacheFile), { recursive: true, mode: 0o700 })
        const temp = `${cacheFile}.${process.pid}.tmp`
        writeFileSync(temp, script.createCachedData(), { mode: 0o600 })
        renameSync(temp, cacheFile)
        pruneCodeCache(dirname(cacheFile))
      } catch {
        // No writable cache folder: the next run compiles again.
      }
    })
  }
  return module.exports.COMMAND_MODULES ?? {}
}

/**
 * The cache file of the bundle as one command uses it (each command compiles other functions,
 * and a process runs one command), or undefined without a cache folder.
 */
function cacheFileFor(file: string, command: string): string | undefined {
  const dir = codeCacheDir()
  if (dir === undefined) return undefined
  const stat = statSync(file)
  // A short, stable tag of the bundle's identity: path, size and modification time.
  let tag = 0
  for (const char of `${file}:${stat.size}:${stat.mtimeMs}`) tag = (Math.imul(tag, 31) + char.charCodeAt(0)) >>> 0
  return join(dir, `${command}-${process.version}-${tag.toString(36)}.v8`)
}

/** How many code cache files the cache folder keeps: every command of two or three installs. */
export const CODE_CACHE_KEEP = 24

/** A code cache file as {@link cacheFileFor} names it. */
const CACHE_NAME = /^[a-z-]+-v\d+\.\d+\.\d+-[0-9a-z]+\.v8$/

/**
 * Keeps the {@link CODE_CACHE_KEEP} newest code cache files of the folder and removes the
 * others. Each build or version of the CLI and each Node version names its caches anew, so
 * without this the folder grows with every upgrade (a developer's rebuilds filled 141 MB);
 * a cache removed while still in use is written again by its next run. Runs only after a
 * cache was written, which is rare, and touches no file it did not name.
 */
function pruneCodeCache(dir: string): void {
  const caches = readdirSync(dir)
    .filter((name) => CACHE_NAME.test(name))
    .map((name) => ({ name, mtimeMs: statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => b.mtimeMs - a.mtimeMs || (a.name < b.name ? -1 : 1))
  for (const { name } of caches.slice(CODE_CACHE_KEEP)) rmSync(join(dir, name), { force: true })
}
