import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { envValue, printEnvFile } from '../src/_env.js'
import { lkJwtEnvModel, renderLkJwtEnv } from '../src/index.js'
import { EXAMPLE_NAMES, exampleSpec, specWith } from './_renderer-fixtures.js'

/** Reads an env file the way docker-compose and python-dotenv do for what we write. */
function readEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line)
    if (match === null) throw new Error(`not an env line: ${JSON.stringify(line)}`)
    const raw = match[2]!
    out[match[1]!] = raw.startsWith("'") && raw.endsWith("'") && raw.length >= 2 ? raw.slice(1, -1) : raw
  }
  return out
}

describe('renderLkJwtEnv', () => {
  it.each(EXAMPLE_NAMES)('matches the golden file for %s', async (name) => {
    await expect(renderLkJwtEnv(exampleSpec(name))).toMatchFileSnapshot(`golden/${name}/lk-jwt-service.env`)
  })

  it('sets what lk-jwt-service needs, the secret only as a file path', () => {
    const env = readEnv(renderLkJwtEnv(exampleSpec('standalone')))
    expect(env).toEqual({
      LIVEKIT_URL: 'wss://matrix.example.org/livekit/sfu',
      LIVEKIT_KEY: 'messenger',
      LIVEKIT_SECRET_FROM_FILE: '/secrets/livekit_api_secret',
      LIVEKIT_FULL_ACCESS_HOMESERVERS: 'example.org',
      LIVEKIT_CS_API_URL_OVERRIDES: 'example.org=http://messenger-synapse:8008',
      LIVEKIT_LOG_LEVEL: 'info',
    })
    expect(env).not.toHaveProperty('LIVEKIT_SECRET')
    expect(env).not.toHaveProperty('LIVEKIT_JWT_PORT')
  })

  it('follows the spec ports and paths', () => {
    const env = readEnv(renderLkJwtEnv(specWith({ livekit: { jwtPort: 8090, sfuPath: '/rtc/sfu', host: 'rtc.example.org' } })))
    // Off the default port the bind is set; the image's health probe cannot use it then.
    expect(env.LIVEKIT_JWT_BIND).toBe(':8090')
    expect(env.LIVEKIT_URL).toBe('wss://rtc.example.org/rtc/sfu')
    const other = readEnv(renderLkJwtEnv(specWith({ serviceName: 'chat', synapse: { httpPort: 3708 }, livekit: { logLevel: 'debug' } })))
    // The homeserver over the internal network (Synapse's container and port), at LiveKit's log level.
    expect(other.LIVEKIT_CS_API_URL_OVERRIDES).toBe('example.org=http://chat-synapse:3708')
    expect(other.LIVEKIT_LOG_LEVEL).toBe('debug')
    expect(lkJwtEnvModel(specWith({})).map((e) => e.key)).toEqual([
      'LIVEKIT_URL',
      'LIVEKIT_KEY',
      'LIVEKIT_SECRET_FROM_FILE',
      'LIVEKIT_FULL_ACCESS_HOMESERVERS',
      'LIVEKIT_CS_API_URL_OVERRIDES',
      'LIVEKIT_LOG_LEVEL',
    ])
  })
})

describe('printEnvFile', () => {
  it('prints comments, commented-out entries and quotes only when needed', () => {
    expect(
      printEnvFile(
        [
          { key: 'A', value: 'https://x.example/p?q=1', comment: ['First.', ''] },
          { key: 'B', value: 'two words $HOME "q"' },
          { key: 'C', value: '', commented: true },
        ],
        { header: ['Header.'] },
      ),
    ).toMatchInlineSnapshot(`
      "# Header.

      # First.
      #
      A=https://x.example/p?q=1
      B='two words $HOME "q"'
      # C=
      "
    `)
  })

  it('refuses what an env file cannot hold', () => {
    expect(() => envValue('a\nB=1')).toThrowErrorMatchingInlineSnapshot(
      `[Error: env value "a\\nB=1" contains a newline or control character]`,
    )
    expect(() => envValue("it's")).toThrowErrorMatchingInlineSnapshot(
      `[Error: env value "it's" contains a single quote, which env files cannot hold literally]`,
    )
    expect(() => printEnvFile([{ key: 'lower', value: 'x' }])).toThrowErrorMatchingInlineSnapshot(
      `[Error: env variable name "lower" is not UPPER_SNAKE_CASE]`,
    )
    expect(() =>
      printEnvFile([
        { key: 'A', value: '1' },
        { key: 'A', value: '2' },
      ]),
    ).toThrowErrorMatchingInlineSnapshot(`[Error: env variable A is set twice]`)
    expect(() => printEnvFile([{ key: 'A', value: '1', comment: ['x\nB=2'] }])).toThrow(/control character/)
  })

  it('hostile values either round-trip as one literal value or are refused', () => {
    const unit = fc.constantFrom(
      'a',
      'Z',
      '0',
      ' ',
      '=',
      '#',
      '$',
      '{',
      '}',
      '"',
      "'",
      '\\',
      '\n',
      '\r',
      '`',
      ';',
      '&',
      '|',
      '\t',
      ':',
      '/',
    )
    fc.assert(
      fc.property(fc.string({ unit }), (value) => {
        let text: string
        try {
          text = printEnvFile([
            { key: 'V', value },
            { key: 'AFTER', value: 'ok' },
          ])
        } catch {
          expect(/[\n\r\t']/.test(value)).toBe(true)
          return
        }
        expect(readEnv(text)).toEqual({ V: value, AFTER: 'ok' })
        const line = text.split('\n')[0]!
        // Unquoted values carry no character any reader interprets.
        if (!line.startsWith("V='")) expect(line).toMatch(/^V=[A-Za-z0-9_.,:/@%+=?-]*$/)
      }),
      { numRuns: 200 },
    )
  })
})
