/**
 * The operator's mail provider, played by a real SMTP server (aiosmtpd, `smtp-sink.py`): it
 * requires STARTTLS, then AUTH with the one account it knows, whose password it reads from the
 * bundle's `secrets/smtp_password`. Accepted mails land as JSON files in `mailDir`.
 */
import { spawn } from 'node:child_process'
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** One mail the sink accepted, with what its SMTP session proved. */
export interface SinkMail {
  /** The session ran STARTTLS before the mail. */
  readonly tls: boolean
  /** The SMTP login that authenticated the session. */
  readonly login: string | null
  readonly mail_from: string
  readonly rcpt_tos: readonly string[]
  /** The raw message (headers and MIME body). */
  readonly data: string
}

/** A running sink. */
export interface SmtpSink {
  readonly mailDir: string
  readonly logFile: string
  /** Every mail accepted so far, in arrival order. */
  mails(): SinkMail[]
  stop(): void
}

/** What the sink needs: where to listen, its certificate, the account and the password file. */
export interface SmtpSinkOptions {
  readonly python: string
  readonly script: string
  readonly host: string
  readonly port: number
  readonly cert: string
  readonly key: string
  readonly user: string
  readonly passwordFile: string
  readonly workDir: string
}

/** Starts the sink and waits (at most 15 s) until it listens. */
export async function startSmtpSink(options: SmtpSinkOptions): Promise<SmtpSink> {
  const mailDir = join(options.workDir, 'mail')
  mkdirSync(mailDir, { recursive: true })
  mkdirSync(join(options.workDir, 'logs'), { recursive: true })
  const logFile = join(options.workDir, 'logs', 'smtp-sink.log')
  const log = createWriteStream(logFile, { flags: 'a' })
  const child = spawn(
    options.python,
    [options.script, options.host, String(options.port), options.cert, options.key, options.user, options.passwordFile, mailDir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  child.stderr.pipe(log)
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the SMTP sink did not start within 15 s; see ${logFile}`)), 15_000)
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString('utf8').includes('ready')) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the SMTP sink exited with ${code}; see ${logFile}`))
    })
  })
  return {
    mailDir,
    logFile,
    mails: () =>
      existsSync(mailDir)
        ? readdirSync(mailDir)
            .filter((name) => name.endsWith('.json'))
            .sort()
            .map((name) => JSON.parse(readFileSync(join(mailDir, name), 'utf8')) as SinkMail)
        : [],
    stop: () => {
      child.kill('SIGTERM')
    },
  }
}

/** The decoded text parts of a MIME message (base64 and quoted-printable bodies decoded), joined. */
export function mailText(raw: string): string {
  const parts = raw.split(/\r?\n--[^\r\n]+\r?\n/)
  return parts
    .map((part) => {
      const split = part.search(/\r?\n\r?\n/)
      if (split < 0) return part
      const headers = part.slice(0, split)
      const body = part.slice(split).trim()
      if (/^Content-Transfer-Encoding:\s*base64/im.test(headers)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
      if (/^Content-Transfer-Encoding:\s*quoted-printable/im.test(headers))
        return body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
      return body
    })
    .join('\n')
}
