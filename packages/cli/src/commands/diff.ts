import { paintDiff, redactedDiff } from '../_bundle-command.js'
import type { CommandContext } from '../_commands.js'
import { compareWithDisk, reportDrift } from '../_compare.js'
import { EXIT } from '../_errors.js'

/**
 * `messenger-stack diff <spec> --out DIR`: the unified diff from the files on disk to what
 * render would write. Exit 0 without differences, 1 with differences (like diff(1)).
 */
export async function run(context: CommandContext): Promise<number> {
  const { report } = context
  const comparison = await compareWithDisk(context)
  if (comparison === undefined) {
    report.finish(false)
    return EXIT.invalid
  }
  const { plan, outArg } = comparison
  const differing = reportDrift(context, plan)
  for (const file of differing) {
    if (file.status === 'mode') {
      report.out(`mode of ${file.path}: ${file.modeOnDisk?.toString(8)} → ${file.mode.toString(8)}`)
      continue
    }
    const from = file.onDisk === undefined ? '/dev/null' : `a/${file.path}`
    report.out(paintDiff(report, redactedDiff(file.onDisk ?? '', file.content, { from, to: `b/${file.path}` })).replace(/\n$/, ''))
  }
  for (const file of plan.stale) report.out(`${file.path}: rendered before, not by this spec (render leaves it in place)`)
  const differences = differing.length + plan.stale.length
  if (differences === 0) report.log(`${report.paint('green', '✔')} No differences: ${outArg} matches the spec.`)
  report.finish(differences === 0)
  return differences === 0 ? EXIT.ok : EXIT.invalid
}

/** The real dependencies, bundled with this command. */
export { defaultDeps } from '../_deps.js'
