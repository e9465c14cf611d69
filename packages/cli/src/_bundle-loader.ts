import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { createRequire, wrap } from 'node:module'
import { dirname, join } from 'node:path'
import { Script } from 'node:vm'

/**
 * Loads one command bundle of the built CLI (`dist/bin/commands/<name>.cjs`) with a V8 code
 * cache next to it (`dist/bin/cache/<name>.v8`), which saves most of the time to compile and
 * start the bundle. The cache is written on first use when the folder is writable; V8 rejects
 * a cache from another Node version or another build, and it is then rewritten. Used only by
 * the built entry (see tsup.config.ts); source runs import the command modules directly.
 */
export function loadCommandBundle(binDir: string, name: string): unknown {
  const file = join(binDir, 'commands', `${name}.cjs`)
  const cacheFile = join(binDir, 'cache', `${name}-${process.version}.v8`)
  let cachedData: Buffer | undefined
  try {
    cachedData = readFileSync(cacheFile)
  } catch {
    cachedData = undefined
  }
  const script = new Script(wrap(readFileSync(file, 'utf8')), { filename: file, ...(cachedData === undefined ? {} : { cachedData }) })
  const module = { exports: {} as unknown }
  ;(script.runInThisContext() as (...args: unknown[]) => void).call(
    module.exports,
    module.exports,
    createRequire(file),
    module,
    file,
    dirname(file),
  )
  if (cachedData === undefined || script.cachedDataRejected === true) {
    // Written at exit, so it also holds the functions compiled while the command ran.
    process.once('exit', () => {
      try {
        mkdirSync(dirname(cacheFile), { recursive: true })
        const temp = `${cacheFile}.${process.pid}.tmp`
        writeFileSync(temp, script.createCachedData())
        renameSync(temp, cacheFile)
      } catch {
        // A read-only install runs without the cache.
      }
    })
  }
  return module.exports
}
