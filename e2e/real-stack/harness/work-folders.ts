import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** Work folders are `<tmp>/messenger-stack-e2e-XXXXXX`. */
export const WORK_FOLDER_PREFIX = 'messenger-stack-e2e-'
/** The process that owns a work folder (the vitest worker that made it). */
const OWNER_FILE = 'owner.pid'

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Folders of earlier runs that may go: their owner process is gone (a passing run left its
 * artifacts, a failing one its logs and bundles), or, without an owner file (runs from before
 * owner files), they hold nothing but `artifacts`. A run still going keeps its folder, so runs
 * from several worktrees at once do not delete each other's.
 */
export function staleWorkFolders(tmp: string): string[] {
  let names: string[]
  try {
    names = readdirSync(tmp).filter((n) => n.startsWith(WORK_FOLDER_PREFIX))
  } catch {
    return []
  }
  return names
    .map((n) => join(tmp, n))
    .filter((dir) => {
      let entries: string[]
      try {
        entries = readdirSync(dir)
      } catch {
        return false
      }
      if (!entries.includes(OWNER_FILE)) return entries.length === 1 && entries[0] === 'artifacts'
      const pid = Number.parseInt(readFileSync(join(dir, OWNER_FILE), 'utf8'), 10)
      return Number.isInteger(pid) && pid > 0 && pid !== process.pid && !alive(pid)
    })
}

/**
 * A new work folder owned by this process, after deleting the stale ones: only the latest
 * run's artifacts (and a failed run's logs until the next run) stay on disk.
 */
export function newWorkFolder(tmp: string): { dir: string; removed: string[] } {
  const removed = staleWorkFolders(tmp)
  for (const dir of removed) rmSync(dir, { recursive: true, force: true })
  const dir = mkdtempSync(join(tmp, WORK_FOLDER_PREFIX))
  chmodSync(dir, 0o755)
  writeFileSync(join(dir, OWNER_FILE), `${process.pid}\n`)
  return { dir, removed }
}

/** After a passing run: everything but the artifacts and the owner file goes. */
export function keepOnlyArtifacts(dir: string): void {
  for (const entry of readdirSync(dir))
    if (entry !== 'artifacts' && entry !== OWNER_FILE) rmSync(join(dir, entry), { recursive: true, force: true })
}
