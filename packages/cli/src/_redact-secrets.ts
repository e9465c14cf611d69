/** What a redacted value is shown as. */
export const REDACTED = '<redacted>'

/**
 * A setting name that holds a secret, in any of the formats of a bundle (YAML, JSON, `.env`,
 * nginx, Redis, PostgreSQL): `password`, `smtp_pass`, `requirepass`, `*_secret`, `*_token`,
 * `api_key`, `private_key`, `masterauth`, `credentials`... compared case-insensitively.
 */
const SECRET_NAME =
  /(?:pass(?:word|wd|phrase)?|secret|token|api[_-]?key|private[_-]?key|signing[_-]?key|credentials?|auth(?:entication)?[_-]?(?:key|header)?|pepper|^authorization)$/i
/** Names that hold a file or folder name, not the secret itself (`*_path`, `POSTGRES_PASSWORD_FILE`, `passfile`). */
const FILE_NAME = /(?:path|file|dir|directory)$/i
/** A YAML key whose nested values are secrets by name: LiveKit's `keys:` map (`key name: secret`). */
const SECRET_MAP = /^(?:keys|secrets|credentials)$/i

// key: value (YAML, JSON; optional list dash and quotes), KEY=value (.env, shell, ini, postgresql.conf),
// and `name value` (nginx, Redis).
const YAML_ENTRY = /^(\s*(?:-\s+)?)(?:(["'])(.*?)\2|([^\s"':#=,{}[\]][^\s:#=,{}[\]]*))(\s*:)(?=\s|$)(\s*)(.*)$/
const ASSIGNMENT = /^(\s*(?:export\s+)?)([A-Za-z_][\w.-]*)(\s*=\s*)(.*)$/
const DIRECTIVE = /^(\s*)([A-Za-z_][\w.-]*)(\s+)(\S.*)$/
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:)[^/\s@]+@/gi
const AUTH_HEADER = /\b(Authorization:?\s*["']?\s*(?:Bearer|Basic|Token)\s+)[^\s"';]+/gi
const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/
const PEM_END = /-----END [A-Z0-9 ]*PRIVATE KEY-----/

/** nginx directives named `*_pass` that take an upstream address, not a password. */
const NGINX_PASS = /^(?:proxy|fastcgi|uwsgi|scgi|grpc|memcached)_pass$/
/** Values that are no secret whatever their name (`registration_requires_token: true`). */
const NOT_A_SECRET = /^(?:true|false|yes|no|on|off|null|~)[;,]?$/i

const isSecretName = (name: string) => SECRET_NAME.test(name) && !FILE_NAME.test(name) && !NGINX_PASS.test(name)
const indentOf = (line: string) => /^\s*/.exec(line)![0].length

/** Keeps a value's closing punctuation (`;` of nginx, `,` of JSON) so the line keeps its shape. */
function redactValue(value: string): string {
  if (value === '' || /^[|>][-+]?$/.test(value) || NOT_A_SECRET.test(value.trim())) return value
  const tail = /[;,]$/.exec(value)?.[0] ?? ''
  return `${REDACTED}${tail}`
}

/**
 * Redacts every line of a text file that looks like a secret assignment, whatever the
 * format: the value after a secret-like name (`smtp_pass: x`, `REDIS_PASSWORD=x`,
 * `requirepass x`, `"client_secret": "x"`), values nested under `keys:`, passwords in URLs,
 * `Authorization` header tokens and PEM private key bodies. Names and structure stay, so a
 * diff still shows which setting changed. Used before printing hand-edited files, whose
 * content messenger-stack does not know: the redactor of known secret values cannot catch a
 * secret someone typed into a rendered file.
 *
 * @example
 * redactSecretLines('smtp_pass: hunter2\nsmtp_host: mail\n') // 'smtp_pass: <redacted>\nsmtp_host: mail\n'
 */
export function redactSecretLines(text: string): string {
  const lines = text.split('\n')
  let block: number | undefined // indent of a key whose nested values are all secret
  let pem = false
  for (let index = 0; index < lines.length; index++) {
    let line = lines[index]!
    if (pem) {
      if (PEM_END.test(line)) pem = false
      else lines[index] = line.replace(/\S.*$/, REDACTED)
      continue
    }
    if (PEM_BEGIN.test(line)) {
      pem = !PEM_END.test(line)
      lines[index] = line.replace(/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----.*$/, `${REDACTED}`)
      continue
    }
    line = line.replace(URL_PASSWORD, `$1${REDACTED}@`).replace(AUTH_HEADER, `$1${REDACTED}`)
    if (block !== undefined && line.trim() !== '' && indentOf(line) <= block) block = undefined
    const yaml = YAML_ENTRY.exec(line)
    if (yaml !== null) {
      const [, lead, quote = '', quotedKey, plainKey, colon, space, value] = yaml as unknown as string[]
      const key = quotedKey ?? plainKey!
      const secret = isSecretName(key)
      if (block !== undefined || secret) line = `${lead}${quote}${key}${quote}${colon}${space}${redactValue(value!)}`
      if (block === undefined && (secret || SECRET_MAP.test(key)) && /^(?:[|>][-+]?)?\s*$/.test(value!)) {
        block = indentOf(line) // a nested map or block scalar: everything under it is secret
      }
      if (block !== undefined || secret) {
        lines[index] = line
        continue
      }
    } else if (block !== undefined) {
      lines[index] = line.replace(/^(\s*(?:-\s+)?)(\S.*)$/, (_m, lead: string, value: string) => `${lead}${redactValue(value)}`)
      continue
    }
    // The same line read as KEY=value or `name value`: a secret by either reading is redacted.
    for (const pattern of [ASSIGNMENT, DIRECTIVE]) {
      const match = pattern.exec(line)
      if (match !== null && isSecretName(match[2]!)) {
        line = `${match[1]}${match[2]}${match[3]}${redactValue(match[4]!)}`
        break
      }
    }
    lines[index] = line
  }
  return lines.join('\n')
}
