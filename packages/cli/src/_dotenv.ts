/** One problem in a `.env` file (never quoting a value). */
export interface DotenvProblem {
  readonly line: number
  readonly message: string
}

/**
 * Parses a docker-compose style `.env` file: `KEY=VALUE` lines, optional `export `, `#`
 * comments, single quotes (literal), double quotes (with `\n`, `\"`, `\\` escapes) and
 * `${KEY}` / `$KEY` references to keys defined earlier (not inside single quotes).
 */
export function parseDotenv(text: string): { values: Map<string, string>; problems: DotenvProblem[] } {
  const values = new Map<string, string>()
  const problems: DotenvProblem[] = []
  const expand = (raw: string) =>
    raw.replace(
      /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
      (_, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => {
        const value = values.get((braced ?? bare)!)
        return value !== undefined && value !== '' ? value : (fallback ?? '')
      },
    )
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const line = rawLine.trim()
    if (line === '' || line.startsWith('#')) return
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line)
    if (match === null) {
      problems.push({ line: index + 1, message: 'is not a KEY=VALUE line' })
      return
    }
    const [, key, rest] = match as unknown as [string, string, string]
    let value: string
    if (rest.startsWith("'")) {
      const end = rest.indexOf("'", 1)
      if (end === -1) {
        problems.push({ line: index + 1, message: `${key}: the single quote is not closed` })
        return
      }
      value = rest.slice(1, end)
    } else if (rest.startsWith('"')) {
      let out = ''
      let i = 1
      for (; i < rest.length && rest[i] !== '"'; i++) {
        if (rest[i] === '\\' && i + 1 < rest.length) {
          i++
          out += rest[i] === 'n' ? '\n' : rest[i]
        } else out += rest[i]
      }
      if (i >= rest.length) {
        problems.push({ line: index + 1, message: `${key}: the double quote is not closed` })
        return
      }
      value = expand(out)
    } else {
      value = expand(rest.replace(/\s+#.*$/, '').trim())
    }
    values.set(key, value)
  })
  return { values, problems }
}
