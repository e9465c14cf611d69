/** A stream the CLI writes text to. */
export interface CliOutput {
  write(chunk: string): unknown
}

/** A stream the CLI may read from (passwords); `isTTY` decides whether it may prompt. */
export interface CliInput {
  readonly isTTY?: boolean
  setRawMode?(raw: boolean): unknown
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown
  removeListener(event: 'data', listener: (chunk: Buffer | string) => void): unknown
  resume?(): unknown
  pause?(): unknown
}

/**
 * Everything the CLI touches of its process, so tests run it in-process: streams, whether
 * output is a terminal (colours, progress), the working folder, the environment and the
 * invoking user's IDs.
 */
export interface CliIo {
  readonly stdout: CliOutput
  readonly stderr: CliOutput
  /** Standard input; prompts happen only when it is a TTY. */
  readonly stdin?: CliInput
  /** Whether stderr is a terminal: colours only then (and never with NO_COLOR). */
  readonly isTTY: boolean
  readonly cwd: string
  readonly env: Readonly<Record<string, string | undefined>>
  /** Real user ID of the invoking user (undefined on platforms without it). */
  readonly getuid: () => number | undefined
  /** Real group ID of the invoking user. */
  readonly getgid: () => number | undefined
}

/** The real process as a {@link CliIo}. */
export function nodeIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    isTTY: process.stderr.isTTY === true,
    cwd: process.cwd(),
    env: process.env,
    getuid: () => process.getuid?.(),
    getgid: () => process.getgid?.(),
  }
}
