import type { CliIo } from './_io.js'

/** One file in a command's report. `sha256` is null for secret files (a hash could help guess weak secrets). */
export interface ReportedFile {
  readonly path: string
  readonly sha256: string | null
  readonly status: string
}

/** An issue in a command's report: a spec issue, or a problem a command found. */
export interface ReportedIssue {
  readonly path: readonly (string | number)[]
  readonly code: string
  readonly message: string
  readonly hint: string
  readonly file?: string
  readonly line?: number
  readonly column?: number
}

/** The one JSON document `--json` prints on stdout. */
export interface JsonReport {
  readonly ok: boolean
  readonly command: string
  readonly files: readonly ReportedFile[]
  readonly issues: readonly ReportedIssue[]
  /** Settings that are legal but likely wrong; they never make a command fail. */
  readonly warnings: readonly ReportedIssue[]
  /** The error message when the command failed for a reason other than issues. */
  readonly error?: string
}

const ANSI = { red: 31, green: 32, yellow: 33, cyan: 36, dim: 2, bold: 1 } as const

/** Colour names {@link Reporter.paint} knows. */
export type Colour = keyof typeof ANSI

/**
 * Where every command's output goes. Human mode: results on stdout, logs and progress on
 * stderr. `--json` mode: stdout carries exactly one JSON document, printed by
 * {@link Reporter.finish}; everything else goes to stderr. Every line passes through the
 * redactor, so a secret value registered with {@link Reporter.redact} never gets printed.
 */
export class Reporter {
  readonly json: boolean
  readonly color: boolean
  readonly files: ReportedFile[] = []
  readonly issues: ReportedIssue[] = []
  readonly warnings: ReportedIssue[] = []
  private readonly secrets = new Set<string>()

  constructor(
    private readonly io: CliIo,
    readonly command: string,
    options: { json: boolean; noColor: boolean },
  ) {
    this.json = options.json
    this.color = io.isTTY && !options.noColor && (io.env['NO_COLOR'] ?? '') === '' && io.env['TERM'] !== 'dumb'
  }

  /** Registers secret values that must never be printed (replaced by `<secret>`). */
  redact(values: Iterable<string>): void {
    for (const value of values) if (value.length >= 6) this.secrets.add(value)
  }

  /** Applies the redactor to text. */
  clean(text: string): string {
    let out = text
    for (const secret of this.secrets) out = out.split(secret).join('<secret>')
    return out
  }

  /** Wraps text in an ANSI colour when colours are on. */
  paint(colour: Colour, text: string): string {
    return this.color ? `\u001b[${ANSI[colour]}m${text}\u001b[0m` : text
  }

  /** A result line: stdout in human mode, stderr in JSON mode. */
  out(text: string): void {
    const line = `${this.clean(text)}\n`
    if (this.json) this.io.stderr.write(line)
    else this.io.stdout.write(line)
  }

  /** A log line on stderr. */
  log(text: string): void {
    this.io.stderr.write(`${this.clean(text)}\n`)
  }

  /** A progress line for a slow step, on stderr. */
  progress(text: string): void {
    this.io.stderr.write(`${this.paint('dim', `… ${this.clean(text)}`)}\n`)
  }

  /** A warning on stderr. */
  warn(text: string): void {
    this.io.stderr.write(`${this.paint('yellow', '!')} ${this.clean(text)}\n`)
  }

  /** Records a file for the JSON report. */
  file(entry: ReportedFile): void {
    this.files.push(entry)
  }

  /** Prints the JSON document (JSON mode only). Call exactly once, at the end. */
  finish(ok: boolean, error?: string): void {
    if (!this.json) return
    const report: JsonReport = {
      ok,
      command: this.command,
      files: this.files,
      issues: this.issues,
      warnings: this.warnings,
      ...(error === undefined ? {} : { error }),
    }
    this.io.stdout.write(`${this.clean(JSON.stringify(report, null, 2))}\n`)
  }
}
