import { formatPath, type IssuePath, type SpecIssue } from '../errors/issue.js'

/**
 * Upstream setting names that hold a secret: `*_secret`, `*_secret_key`, `password`,
 * `smtp_pass`, `pepper`, `*_private_key` and the like, at any depth. Their `*_path` and
 * `*_file` variants name a file instead and are fine.
 */
const SECRET_KEY = /(?:^|_)(?:secret|secret_key|secret_access_key|password|passwd|pass|pepper|private_key|signing_key)$/

/** Upstream settings that have a `*_path` variant reading the secret from a file. */
const PATH_VARIANTS: Readonly<Record<string, string>> = {
  client_secret: 'client_secret_path',
  turn_shared_secret: 'turn_shared_secret_path',
  recaptcha_private_key: 'recaptcha_private_key_path',
  worker_replication_secret: 'worker_replication_secret_path',
  secret: 'secret_path',
  password: 'password_path',
}

/** Secrets messenger-stack already keeps in the secrets folder and renders as a `*_path` key. */
const MANAGED: Readonly<Record<string, string>> = {
  macaroon_secret_key: 'secrets/synapse_macaroon_secret_key',
  registration_shared_secret: 'secrets/synapse_registration_shared_secret',
  form_secret: 'secrets/synapse_form_secret',
  signing_key: 'secrets/synapse_signing.key',
}

const PEM_PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/

function hintFor(key: string): string {
  if (key === 'smtp_pass') return 'set synapse.email with smtpUser instead: the password goes into secrets/smtp_password.'
  const managed = MANAGED[key]
  if (managed !== undefined) return `remove it: messenger-stack already reads it from ${managed}.`
  const variant = PATH_VARIANTS[key]
  const file = variant === undefined ? 'the upstream setting that reads it from a file, where one exists' : `"${variant}"`
  return `put the value in a file of the secrets folder (mode 0600) and name that file with ${file}; see docs/security.md.`
}

function scan(value: unknown, path: (string | number)[], out: SpecIssue[]): void {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) scan(item, [...path, index], out)
    return
  }
  if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value).sort()) {
      const child = (value as Record<string, unknown>)[key]
      const childPath = [...path, key]
      const leaf = typeof child === 'string' || typeof child === 'number'
      if (leaf && SECRET_KEY.test(key) && child !== '') out.push(secretIssue(childPath, key))
      else scan(child, childPath, out)
    }
    return
  }
  if (typeof value === 'string' && PEM_PRIVATE_KEY.test(value)) out.push(secretIssue(path, undefined))
}

function secretIssue(path: IssuePath, key: string | undefined): SpecIssue {
  return {
    path,
    code: 'secret_in_spec',
    message: `${formatPath(path)} holds ${key === undefined ? 'a private key' : 'a secret'}: everything in the spec is copied into rendered files, and rendered files never carry secrets.`,
    hint: key === undefined ? 'put the key in a file of the secrets folder (mode 0600) and name that file instead.' : hintFor(key),
  }
}

/**
 * The secret values an `extraConfig` map holds, wherever they are nested (`smtp_pass`, OIDC
 * `client_secret`, `macaroon_secret_key`, TURN and LiveKit secrets, private keys, ...): the
 * spec is rendered into files that are committed, diffed and snapshot-tested, so secrets live
 * in the secrets folder and upstream reads them through its `*_path` settings.
 */
export function secretValueIssues(section: 'synapse' | 'livekit' | 'elementWeb', extra: Readonly<Record<string, unknown>>): SpecIssue[] {
  const issues: SpecIssue[] = []
  scan(extra, [section, 'extraConfig'], issues)
  return issues
}
