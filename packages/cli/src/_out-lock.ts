import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { link, rename, rmdir, unlink } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { createFileExclusive, isProcessAlive, type SafeFolder } from '@messenger-stack/config-schema/node'
import { CliError, EXIT, ioError } from './_errors.js'
import type { OutTree } from './_out-tree.js'
import type { Reporter } from './_report.js'

/** The lock of an output folder, next to the manifest. */
export const LOCK_PATH = '.messenger-stack/lock'

/** Who holds a lock: enough to tell, on this machine, whether that process still runs. */
interface LockOwner {
  readonly pid: number
  readonly host: string
  /** Linux boot ID and the process's start time since boot: a recycled process ID cannot match both. */
  readonly boot?: string
  readonly start?: string
  /** Random: tells this lock from a later one by the same process ID. */
  readonly nonce: string
}

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim()
  } catch {
    return undefined
  }
}

/** Field 22 of /proc/PID/stat: the process's start time in clock ticks since boot. */
function startTime(pid: number): string | undefined {
  const stat = readProc(`/proc/${pid}/stat`)
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[19]
}

function me(): LockOwner {
  const boot = readProc('/proc/sys/kernel/random/boot_id')
  const start = startTime(process.pid)
  return {
    pid: process.pid,
    host: hostname(),
    ...(boot === undefined ? {} : { boot }),
    ...(start === undefined ? {} : { start }),
    nonce: randomBytes(8).toString('hex'),
  }
}

function parseOwner(text: string | undefined): LockOwner | undefined {
  try {
    const owner = JSON.parse(text ?? '') as LockOwner
    return Number.isInteger(owner.pid) && typeof owner.host === 'string' && typeof owner.nonce === 'string' ? owner : undefined
  } catch {
    return undefined
  }
}

/** Whether the holder surely no longer runs. A holder on another host (a shared folder) is never judged dead. */
function isDead(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return false
  const boot = readProc('/proc/sys/kernel/random/boot_id')
  if (owner.boot !== undefined && boot !== undefined && owner.boot !== boot) return true
  if (!isProcessAlive(owner.pid)) return true
  const start = startTime(owner.pid)
  return owner.start !== undefined && start !== undefined && owner.start !== start
}

/** How long a command waits for another one's lock; tests shorten it (only under vitest). */
export function lockWaitMs(env: Readonly<Record<string, string | undefined>>): number {
  const test = env['MESSENGER_STACK_TEST_LOCK_WAIT_MS']
  if (test !== undefined && (env['VITEST'] ?? '') !== '') return Number.parseInt(test, 10)
  return 60_000
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function lockedError(outArg: string, owner: LockOwner | undefined, lockShown: string): CliError {
  const who = owner === undefined ? 'an unreadable lock' : `messenger-stack (process ${owner.pid} on ${owner.host})`
  const remedy =
    owner !== undefined && owner.host !== hostname()
      ? ` If nothing runs there any more, delete ${lockShown} and run again.`
      : owner === undefined
        ? ` Delete ${lockShown} if no messenger-stack runs, then run again.`
        : ' Wait for it to finish, then run again.'
  return new CliError(EXIT.usage, `${outArg} is in use by ${who}; nothing was written.${remedy}`)
}

/**
 * Waits (bounded) until no live process holds the output folder's lock. With `take`, then
 * takes it: an exclusive lock file created with `link()` (which fails when the name exists),
 * holding this process's ID, start time and a random nonce. A lock whose holder died (killed
 * mid-render) is broken: moved aside under a unique name and deleted only if it is still that
 * dead holder's (a lock someone took meanwhile is put back). Returns the release function.
 *
 * @throws {CliError} exit 2 when another process still holds the lock after the wait.
 */
export async function lockOutFolder(
  tree: OutTree,
  outArg: string,
  report: Reporter,
  options: { take: boolean; waitMs: number },
): Promise<() => Promise<void>> {
  const lockShown = join(outArg, LOCK_PATH)
  const hadRoot = await tree.folder('', false)
  let folder = await tree.folder('.messenger-stack', false)
  const createdFolder = folder === undefined && options.take
  if (createdFolder) {
    try {
      folder = await tree.folder('.messenger-stack', true)
    } catch (error) {
      throw ioError(`Cannot create ${join(outArg, '.messenger-stack')} for the lock; nothing was written`, error)
    }
  }
  const mine = me()
  const deadline = Date.now() + options.waitMs
  let announced = false
  for (let first = true; ; first = false) {
    if (folder === undefined) return async () => undefined // no lock folder: nobody holds a lock
    if (!first && Date.now() >= deadline) throw lockedError(outArg, parseOwner(await folder.readText('lock')), lockShown)
    if (options.take && (await createFileExclusive(folder.at('lock'), `${JSON.stringify(mine)}\n`, 0o644))) break
    const text = await folder.readText('lock')
    if (text === undefined) {
      if (options.take) continue // released meanwhile: try again
      break
    }
    const owner = parseOwner(text)
    if (owner !== undefined && isDead(owner)) {
      if (!options.take) break // a dead holder changes nothing for a reader
      await breakStaleLock(folder, owner)
      continue
    }
    if (!announced) {
      report.progress(`waiting for ${owner === undefined ? 'another messenger-stack' : `process ${owner.pid}`} to finish with ${outArg}`)
      announced = true
    }
    await sleep(Math.max(0, Math.min(100, deadline - Date.now())))
  }
  if (!options.take) return async () => undefined
  const held = folder!
  return async () => {
    const owner = parseOwner(await held.readText('lock').catch(() => undefined))
    if (owner?.nonce === mine.nonce) await unlink(held.at('lock'))
    // A render that wrote nothing leaves nothing behind: the folders made for the lock go too.
    if (createdFolder) {
      const root = await tree.folder('', false)
      if (root !== undefined) await rmdir(root.at('.messenger-stack')).catch(() => undefined)
      if (hadRoot === undefined) await rmdir(tree.out).catch(() => undefined)
    }
  }
}

/** Removes a dead holder's lock, and only that one (see {@link lockOutFolder}). */
async function breakStaleLock(folder: SafeFolder, dead: LockOwner): Promise<void> {
  const aside = `lock.stale-${process.pid}-${randomBytes(4).toString('hex')}`
  try {
    await rename(folder.at('lock'), folder.at(aside))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return // someone else broke it
    throw error
  }
  const moved = parseOwner(await folder.readText(aside).catch(() => undefined))
  if (moved !== undefined && moved.nonce !== dead.nonce) {
    // A live lock taken since we looked: put it back (unless yet another was taken meanwhile).
    await link(folder.at(aside), folder.at('lock')).catch(() => undefined)
  }
  await unlink(folder.at(aside))
}
