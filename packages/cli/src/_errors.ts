/** Exit codes of every command. */
export const EXIT = {
  /** Success (for `check` and `diff`: no differences). */
  ok: 0,
  /** Invalid spec or secrets, hand-edited files in the way, or drift found. */
  invalid: 1,
  /** Usage error (unknown command or flag, missing argument) or I/O error. */
  usage: 2,
} as const

/** An error meant for the user: one screen message and an exit code, no stack trace. */
export class CliError extends Error {
  readonly exitCode: number

  constructor(exitCode: number, message: string) {
    super(message)
    this.name = 'CliError'
    this.exitCode = exitCode
  }
}

/**
 * Whether `error` is a {@link CliError}. Checked by shape, not `instanceof`: the built
 * command is split into one bundle per command, each with its own copy of the class.
 */
export function isCliError(error: unknown): error is CliError {
  return error instanceof Error && error.name === 'CliError' && typeof (error as { exitCode?: unknown }).exitCode === 'number'
}

/** A usage error (exit 2). */
export function usageError(message: string): CliError {
  return new CliError(EXIT.usage, message)
}

const IO_REASONS: Record<string, string> = {
  ENOENT: 'does not exist',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'is a folder, not a file',
  EEXIST: 'already exists',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
}

/**
 * Whether `error` is config-schema's `UnsafeFileError` (a link, special file or hard link
 * refused in a secrets or output folder). By shape, so `--help` loads no other package.
 */
export function isUnsafeFileError(error: unknown): error is Error {
  return error instanceof Error && error.name === 'UnsafeFileError'
}

/**
 * Turns a file-system error into a one-line I/O error (exit 2) naming what failed. A refused
 * link or special file (`UnsafeFileError`) stays what it is: its own message, exit 1.
 */
export function ioError(what: string, error: unknown): CliError {
  if (isUnsafeFileError(error)) return new CliError(EXIT.invalid, error.message)
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  const reason =
    code !== undefined && IO_REASONS[code] !== undefined ? `${IO_REASONS[code]} (${code})` : String((error as Error)?.message ?? error)
  return new CliError(EXIT.usage, `${what}: ${reason}.`)
}
