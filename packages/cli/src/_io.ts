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

/**
 * A reader that closed its end early (`messenger-stack diff ... | head`) wants no more output:
 * the write fails with EPIPE, and later writes to the closed stream with
 * ERR_STREAM_DESTROYED. Both are dropped without a stack trace; the command still finishes
 * its work (a render keeps writing its files) and exits with its own code.
 */
function quietOnClosedPipe(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error
  })
  return stream
}

/** The real process as a {@link CliIo}. */
export function nodeIo(): CliIo {
  return {
    stdout: quietOnClosedPipe(process.stdout),
    stderr: quietOnClosedPipe(process.stderr),
    // A getter: Node builds process.stdin on first access (~1.3 ms of a cold start, a
    // ReadStream when it is a file or /dev/null), and only prompts read it.
    get stdin() {
      return process.stdin
    },
    isTTY: process.stderr.isTTY === true,
    cwd: process.cwd(),
    env: process.env,
    getuid: () => process.getuid?.(),
    getgid: () => process.getgid?.(),
  }
}
