import { COMMON_FLAGS, didYouMean, parseArgs } from './_args.js'
import { commandHelp, COMMANDS } from './_commands.js'
import type { CliDeps } from './_deps.js'
import { CliError, EXIT, isCliError, isUnsafeFileError } from './_errors.js'
import type { CliIo } from './_io.js'
import { Reporter } from './_report.js'
import manifest from '../package.json' with { type: 'json' }

export { nodeIo, type CliIo } from './_io.js'
export type { CliDeps } from './_deps.js'
export { EXIT } from './_errors.js'

/** Version of the CLI, printed by `--version`: the `version` of its package.json (inlined by the build). */
export const CLI_VERSION: string = manifest.version

function topHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2
  return [
    'Usage: messenger-stack <command> [arguments] [flags]',
    '',
    'One typed deployment spec in, every file of a self-hosted Matrix service out.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Every command takes --help (with an example) and --json (one JSON document on stdout).',
    'Exit codes: 0 ok; 1 invalid spec or drift found; 2 usage or I/O error.',
    '',
    'Example (quick start):',
    '  messenger-stack init my-chat --server-name example.org',
    '  cd my-chat && messenger-stack render deployment.yaml --out . --secrets secrets',
    '',
  ].join('\n')
}

/**
 * Runs the `messenger-stack` command line and returns its exit code: 0 ok, 1 invalid spec
 * or drift found, 2 usage or I/O error. Everything it touches of the process comes through
 * `io`, so tests run it in-process; `deps` replaces the real spec loader, renderer, etc.
 *
 * @example
 * process.exitCode = await cli(process.argv.slice(2), nodeIo())
 */
export async function cli(argv: readonly string[], io: CliIo, deps: Partial<CliDeps> = {}): Promise<number> {
  const [first, ...rest] = argv
  if (first === undefined) {
    io.stderr.write(topHelp())
    return EXIT.usage
  }
  if (first === '--help' || first === '-h' || (first === 'help' && rest.length === 0)) {
    io.stdout.write(topHelp())
    return EXIT.ok
  }
  if (first === '--version' || first === '-v') {
    io.stdout.write(`${CLI_VERSION}\n`)
    return EXIT.ok
  }
  const name = first === 'help' ? rest[0]! : first
  const args = first === 'help' ? ['--help'] : rest
  const spec = COMMANDS.find((c) => c.name === name)
  const json = args.includes('--json')
  if (spec === undefined) {
    const suggestion = didYouMean(
      name,
      COMMANDS.map((c) => c.name),
    )
    const message = `Unknown command "${name}".${suggestion === undefined ? '' : ` Did you mean "${suggestion}"?`} Run \`messenger-stack --help\` for the list.`
    return fail(io, name, json, new CliError(EXIT.usage, message))
  }
  let parsed
  try {
    parsed = parseArgs(spec.name, args, spec.flags, spec.positionals)
  } catch (error) {
    return fail(io, spec.name, json, error)
  }
  if (parsed.flags['help'] === true) {
    io.stdout.write(commandHelp(spec, [...spec.flags, ...COMMON_FLAGS]))
    return EXIT.ok
  }
  const report = new Reporter(io, spec.name, { json: parsed.flags['json'] === true, noColor: parsed.flags['no-color'] === true })
  try {
    const module = await spec.load()
    return await module.run({ io, deps: { ...module.defaultDeps, ...deps }, args: parsed, report })
  } catch (error) {
    return failWith(report, error, io)
  }
}

function fail(io: CliIo, command: string, json: boolean, error: unknown): number {
  return failWith(new Reporter(io, command, { json, noColor: false }), error, io)
}

function failWith(report: Reporter, error: unknown, io: CliIo): number {
  if (isUnsafeFileError(error)) return failWith(report, new CliError(EXIT.invalid, error.message), io)
  const known = isCliError(error)
  const message = known ? error.message : `Internal error: ${(error as Error)?.message ?? String(error)}`
  report.log(`${report.paint('red', '✖')} ${message}`)
  if (!known && (io.env['MESSENGER_STACK_DEBUG'] ?? '') !== '') report.log(String((error as Error)?.stack ?? ''))
  report.finish(false, report.clean(message))
  return known ? error.exitCode : EXIT.usage
}
