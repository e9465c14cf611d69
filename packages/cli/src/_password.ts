import { readFile } from 'node:fs/promises'
import type { CliInput, CliIo } from './_io.js'
import { CliError, EXIT, ioError, isCliError } from './_errors.js'

/** Reads all of a stream (for `--password-file -`), bounded to 64 KiB. */
function readAll(input: CliInput): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = ''
    const onData = (chunk: Buffer | string) => {
      text += chunk.toString()
      if (text.length > 65_536) {
        input.removeListener('data', onData)
        reject(new CliError(EXIT.usage, 'Standard input is larger than 64 KiB; it is not a password.'))
      }
    }
    input.on('data', onData)
    ;(input as unknown as { once(event: 'end', listener: () => void): unknown }).once('end', () => {
      input.removeListener('data', onData)
      resolve(text)
    })
    input.resume?.()
  })
}

/** Prompts on a terminal without echo; resolves at Enter, rejects on Ctrl-C / Ctrl-D. */
function promptHidden(io: CliIo, prompt: string): Promise<string> {
  const input = io.stdin!
  return new Promise((resolve, reject) => {
    io.stderr.write(prompt)
    input.setRawMode?.(true)
    input.resume?.()
    let value = ''
    const done = (error?: Error) => {
      input.removeListener('data', onData)
      input.setRawMode?.(false)
      input.pause?.()
      io.stderr.write('\n')
      if (error === undefined) resolve(value)
      else reject(error)
    }
    const onData = (chunk: Buffer | string) => {
      for (const char of chunk.toString()) {
        if (char === '\r' || char === '\n') return done()
        if (char === '\u0003' || char === '\u0004') return done(new CliError(EXIT.usage, 'Cancelled; no user was registered.'))
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1)
        else if (char >= ' ') value += char
      }
    }
    input.on('data', onData)
  })
}

/**
 * The password for register-user: the first line of `--password-file` (`-` = standard
 * input), or a hidden prompt (asked twice) when standard input is a terminal. Never from
 * argv, never echoed; without a terminal and without a file it is a usage error.
 */
export async function readPassword(
  io: CliIo,
  passwordFile: string | undefined,
  resolvePath: (p: string) => string,
  user: string,
): Promise<string> {
  let password: string
  if (passwordFile !== undefined) {
    let text: string
    try {
      if (passwordFile === '-') {
        if (io.stdin === undefined) throw new CliError(EXIT.usage, 'There is no standard input to read the password from.')
        text = await readAll(io.stdin)
      } else text = await readFile(resolvePath(passwordFile), 'utf8')
    } catch (error) {
      if (isCliError(error)) throw error
      throw ioError(`Cannot read the password file ${passwordFile}`, error)
    }
    password = text.split(/\r?\n/)[0] ?? ''
  } else if (io.stdin?.isTTY === true) {
    password = await promptHidden(io, `Password for ${user}: `)
    const again = await promptHidden(io, 'Repeat it: ')
    if (again !== password) throw new CliError(EXIT.usage, 'The two passwords differ; no user was registered.')
  } else {
    throw new CliError(
      EXIT.usage,
      'No terminal to ask for the password: pass --password-file FILE (or --password-file - to read standard input).',
    )
  }
  if (password === '') throw new CliError(EXIT.usage, 'The password is empty; no user was registered.')
  return password
}
