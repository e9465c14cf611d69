import { join } from 'node:path'
import { commitAtomicFile, discardAtomicFile, removeStaleTempFiles } from '@messenger-stack/config-schema/node'
import { entriesOnDisk, type BundlePlan } from './_bundle.js'
import type { CommandContext } from './_commands.js'
import { CliError, EXIT, ioError } from './_errors.js'
import type { OutTree } from './_out-tree.js'
import { testHooks } from './_test-hooks.js'
import { MANIFEST_PATH, manifestContent, type ManifestEntry } from './manifest.js'

/**
 * Writes a planned bundle into the output folder, which the caller has locked:
 * 1. removes temporary files that killed renders left in the bundle's folders;
 * 2. records the files about to be written as `pending` in the manifest, so that if this
 *    render is interrupted the next one recognises them as its own and resumes;
 * 3. writes each changed file atomically (all temporary files written and fsynced together,
 *    while step 2 is written, then renamed in order once both are done, each folder fsynced once);
 * 4. writes the final manifest (no pending entries).
 * Returns how many files were written.
 */
export async function writePlannedFiles(context: CommandContext, tree: OutTree, plan: BundlePlan, outArg: string): Promise<number> {
  const { report, deps } = context
  const hooks = testHooks(context.io)
  const toWrite = plan.files.filter((f) => f.status !== 'unchanged')

  const folders = new Set(['', '.messenger-stack', ...plan.files.map((f) => f.path.split('/').slice(0, -1).join('/'))])
  let leftovers = 0
  for (const dir of [...folders].sort()) {
    const folder = await tree.folder(dir, false)
    if (folder !== undefined) leftovers += (await removeStaleTempFiles(folder)).length
  }
  if (leftovers > 0)
    report.log(`  removed ${leftovers} temporary file${leftovers === 1 ? '' : 's'} an interrupted render left in ${outArg}`)

  const final: ManifestEntry[] = [
    ...plan.files.map((f) => ({ path: f.path, sha256: f.sha256, mode: f.mode })),
    ...plan.stale.map((f) => ({ path: f.path, sha256: f.sha256, mode: f.mode })),
  ]
  const writeManifest = async (pending: readonly ManifestEntry[]) => {
    try {
      await tree.write(MANIFEST_PATH, pending.length === 0 ? manifestContent(final) : manifestContent(entriesOnDisk(plan), pending), 0o644)
    } catch (error) {
      throw ioError(`Cannot write ${join(tree.out, MANIFEST_PATH)}`, error)
    }
  }
  if (toWrite.length === 0) {
    await writeManifest([])
    return 0
  }
  report.progress(`writing ${toWrite.length} file${toWrite.length === 1 ? '' : 's'} into ${outArg}`)
  const failed = (path: string, written: number, error: unknown) =>
    ioError(`Cannot write ${join(tree.out, path)} (${written} of ${toWrite.length} files written, each complete; run render again)`, error)
  // Every file is written and fsynced as a temporary file first, all at once (the fsyncs
  // overlap instead of queueing), then renamed into place one by one, and each folder is
  // fsynced once: the durability of one atomic write per file, without 2 fsyncs per file in
  // a row. A crash before a rename leaves the old file and a temporary file the next render
  // removes. The manifest with the pending files is written meanwhile: it must be on disk
  // before the first rename, not before the temporary files.
  const dirs = [...new Set(toWrite.map((f) => dirOf(f.path)))].sort()
  for (const dir of dirs) {
    try {
      await tree.folder(dir, true)
    } catch (error) {
      throw failed(toWrite.find((f) => dirOf(f.path) === dir)!.path, 0, error)
    }
  }
  const [pending, files] = await Promise.all([
    writeManifest(toWrite.map((f) => ({ path: f.path, sha256: f.sha256, mode: f.mode }))).then(
      () => undefined,
      (error: unknown) => ({ error }),
    ),
    Promise.allSettled(toWrite.map((file) => tree.prepare(file.path, file.content, file.mode))),
  ])
  const prepared = files.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []))
  const refused = files.findIndex((s) => s.status === 'rejected')
  if (pending !== undefined || refused !== -1) {
    await Promise.all(prepared.map(discardAtomicFile))
    if (pending !== undefined) throw pending.error
    throw failed(toWrite[refused]!.path, 0, (files[refused] as PromiseRejectedResult).reason)
  }
  let count = 0
  try {
    for (const [index, file] of toWrite.entries()) {
      try {
        await commitAtomicFile(prepared[index]!)
      } catch (error) {
        throw failed(file.path, count, error)
      }
      count++
      await deps.afterFileWritten?.(file.path, count)
      if (hooks.killAfter !== undefined && count >= hooks.killAfter) process.kill(process.pid, 'SIGKILL')
      if (hooks.pause !== undefined && count === hooks.pause.after) {
        report.log(`test pause after ${count} files`)
        await new Promise((resolve) => setTimeout(resolve, hooks.pause!.ms))
      }
      if (hooks.failAfter !== undefined && count >= hooks.failAfter) {
        throw new CliError(EXIT.usage, `Simulated failure after ${count} files (MESSENGER_STACK_TEST_FAIL_AFTER).`)
      }
    }
  } finally {
    await Promise.all(prepared.slice(count).map(discardAtomicFile))
    await Promise.all(dirs.map((dir) => tree.sync(dir)))
  }
  await writeManifest([])
  return count
}

function dirOf(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash === -1 ? '' : path.slice(0, slash)
}
