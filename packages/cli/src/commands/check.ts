import type { CommandContext } from '../_commands.js'
import { compareWithDisk, reportDrift } from '../_compare.js'
import { EXIT } from '../_errors.js'

/**
 * `messenger-stack check <spec> --out DIR`: exit 1 when the files on disk differ from what
 * render would write (changed, missing, or extra: rendered before, no longer by this spec).
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
    const detail =
      file.status === 'mode'
        ? ` (mode ${file.modeOnDisk?.toString(8)}, expected ${file.mode.toString(8)})`
        : file.status === 'edited'
          ? ' (edited by hand)'
          : ''
    const status = file.status === 'create' ? 'missing' : 'changed'
    report.out(`  ${report.paint(status === 'missing' ? 'red' : 'yellow', status.padEnd(9))} ${file.path}${detail}`)
  }
  for (const file of plan.stale)
    report.out(`  ${report.paint('yellow', 'extra'.padEnd(9))} ${file.path} (rendered before, not by this spec)`)
  const drift = differing.length + plan.stale.length
  if (drift === 0) {
    report.out(`${report.paint('green', '✔')} ${outArg} matches the spec (${plan.files.length} files).`)
    report.finish(true)
    return EXIT.ok
  }
  report.log(
    `${report.paint('red', '✖')} ${drift} file${drift === 1 ? ' differs' : 's differ'} from what \`messenger-stack render\` would write into ${outArg}.`,
  )
  report.finish(false)
  return EXIT.invalid
}

/** The real dependencies, bundled with this command. */
export { defaultDeps } from '../_deps.js'
