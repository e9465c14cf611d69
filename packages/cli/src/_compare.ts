import { stringFlag } from './_args.js'
import { planBundle, type BundlePlan, type PlannedFile } from './_bundle.js'
import { deployDocPaths, renderBundle, requireOutFolder } from './_bundle-command.js'
import type { CommandContext } from './_commands.js'
import { CliError, EXIT } from './_errors.js'
import { loadSpecArg, resolvePath } from './_spec.js'
import { readManifest } from './manifest.js'
import { OutTree } from './_out-tree.js'
import { lockOutFolder, lockWaitMs } from './_out-lock.js'

/** A spec rendered and compared with an output folder, for `check` and `diff`. */
export interface Comparison {
  readonly outArg: string
  readonly plan: BundlePlan
}

/**
 * Reports every planned file in the JSON document (`missing`, `unchanged` or `changed`) and
 * returns the ones that differ from what render would write.
 */
export function reportDrift(context: CommandContext, plan: BundlePlan): PlannedFile[] {
  const differing: PlannedFile[] = []
  for (const file of plan.files) {
    const status = file.status === 'create' ? 'missing' : file.status === 'unchanged' ? 'unchanged' : 'changed'
    context.report.file({ path: file.path, sha256: file.sha256, status })
    if (status !== 'unchanged') differing.push(file)
  }
  for (const file of plan.stale) context.report.file({ path: file.path, sha256: file.sha256, status: 'extra' })
  return differing
}

/** Loads the spec, renders it and compares it with `--out`; undefined when the spec is invalid. */
export async function compareWithDisk(context: CommandContext): Promise<Comparison | undefined> {
  const outArg = stringFlag(context.args, 'out')
  if (outArg === undefined)
    throw new CliError(EXIT.usage, `\`${context.report.command}\` needs --out DIR: the folder render wrote the bundle into.`)
  const out = resolvePath(context, outArg)
  await requireOutFolder(out, outArg)
  const spec = await loadSpecArg(context, context.args.positionals[0]!)
  if (spec === undefined) return undefined
  context.report.progress(`rendering ${context.args.positionals[0]!}`)
  const specFile = resolvePath(context, context.args.positionals[0]!)
  const files = await renderBundle(context, spec, undefined, deployDocPaths(specFile, out))
  const tree = await OutTree.open(out, { create: false })
  try {
    // Wait for a render in progress (a half-written bundle is not drift); take no lock, so read-only folders work.
    await lockOutFolder(tree, outArg, context.report, { take: false, waitMs: lockWaitMs(context.io.env) })
    return { outArg, plan: await planBundle(tree, files, await readManifest(tree)) }
  } finally {
    await tree.close()
  }
}
