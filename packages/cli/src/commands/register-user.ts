import { createHmac } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { stringFlag } from '../_args.js'
import type { CommandContext } from '../_commands.js'
import { CliError, EXIT, ioError, usageError } from '../_errors.js'
import { requestJson, type JsonResponse, type TlsOptions } from '../_http.js'
import { readPassword } from '../_password.js'
import { resolvePath } from '../_spec.js'
import { SECRET_FILES } from '@messenger-stack/config-schema'
import { openSecretsFolder, readSecretFile } from '@messenger-stack/config-schema/node'

/** Fewest characters (code points) of a server admin's password without `--allow-weak-password`. */
export const MIN_ADMIN_PASSWORD = 12

/** Path of Synapse's shared-secret registration API. */
export const REGISTER_PATH = '/_synapse/admin/v1/register'

/**
 * The `mac` of a shared-secret registration: hex HMAC-SHA1, keyed with the shared secret,
 * over `nonce NUL username NUL password NUL ("admin" | "notadmin")`.
 *
 * @see https://element-hq.github.io/synapse/latest/admin_api/register_api.html
 */
export function registrationMac(sharedSecret: string, nonce: string, username: string, password: string, admin: boolean): string {
  return createHmac('sha1', Buffer.from(sharedSecret, 'utf8'))
    .update([nonce, username, password, admin ? 'admin' : 'notadmin'].join('\0'), 'utf8')
    .digest('hex')
}

function synapseError(response: JsonResponse): string {
  const body = response.body as { errcode?: unknown; error?: unknown } | undefined
  const parts = [
    typeof body?.errcode === 'string' ? body.errcode : undefined,
    typeof body?.error === 'string' ? body.error : undefined,
  ].filter(Boolean)
  return `HTTP ${response.status}${parts.length > 0 ? `: ${parts.join(': ')}` : ''}`
}

/** `messenger-stack register-user <user> --url URL --secrets DIR`: shared-secret registration. */
export async function run(context: CommandContext): Promise<number> {
  const { args, report, io } = context
  const user = args.positionals[0]!
  if (!/^[a-z0-9._=\-/+]{1,255}$/.test(user)) {
    throw usageError(`"${user}" is not a valid user localpart: use lowercase letters, digits and ._=-/+ (such as alice).`)
  }
  const socketArg = stringFlag(args, 'socket')
  const urlArg = stringFlag(args, 'url') ?? (socketArg === undefined ? undefined : 'http://localhost')
  const secretsArg = stringFlag(args, 'secrets')
  if (socketArg !== undefined && stringFlag(args, 'url') !== undefined) throw usageError('Give --socket or --url, not both.')
  if (urlArg === undefined) {
    throw usageError("`register-user` needs --socket PATH (Synapse's admin socket, data/synapse/admin.sock in the bundle) or --url URL.")
  }
  const socketPath = socketArg === undefined ? undefined : resolvePath(context, socketArg)
  if (secretsArg === undefined)
    throw usageError('`register-user` needs --secrets DIR: the folder holding synapse_registration_shared_secret.')
  let base: URL
  try {
    base = new URL(urlArg)
  } catch {
    throw usageError(`--url ${urlArg} is not a URL; write it like https://matrix.example.org.`)
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw usageError(`--url must be http:// or https://, not ${base.protocol}`)
  const endpoint = new URL(`${base.pathname.replace(/\/+$/, '')}${REGISTER_PATH}`, base)

  const secretPath = `${secretsArg}/${SECRET_FILES.synapseRegistrationSharedSecret}`
  let sharedSecret: string
  try {
    // Root may run this on a folder the container user owns: never read through a link.
    const folder = await openSecretsFolder(resolvePath(context, secretsArg))
    try {
      const text = await readSecretFile(folder, SECRET_FILES.synapseRegistrationSharedSecret)
      if (text === undefined) throw Object.assign(new Error('missing'), { code: 'ENOENT' })
      sharedSecret = text.replace(/\r?\n$/, '')
    } finally {
      await folder.close()
    }
  } catch (error) {
    throw ioError(`Cannot read ${secretPath}`, error)
  }
  if (sharedSecret === '') throw new CliError(EXIT.invalid, `${secretPath} is empty.`)
  report.redact([sharedSecret])

  const tls: { ca?: string; insecure?: boolean } = { insecure: args.flags['insecure'] === true }
  const caFile = stringFlag(args, 'ca-file')
  if (caFile !== undefined) {
    try {
      tls.ca = await readFile(resolvePath(context, caFile), 'utf8')
    } catch (error) {
      throw ioError(`Cannot read the CA file ${caFile}`, error)
    }
  }
  const password = await readPassword(io, stringFlag(args, 'password-file'), (p) => resolvePath(context, p), user)
  report.redact([password])
  const admin = args.flags['admin'] === true
  const length = [...password].length
  if (admin && length < MIN_ADMIN_PASSWORD && args.flags['allow-weak-password'] !== true) {
    throw new CliError(
      EXIT.invalid,
      `The password for the server admin ${user} has ${length} characters; an admin password needs at least ${MIN_ADMIN_PASSWORD} (an admin can read and delete everything). Nothing was sent. Choose a longer one, or pass --allow-weak-password to register it anyway.`,
    )
  }

  const call = async (method: 'GET' | 'POST', body?: unknown): Promise<JsonResponse> => {
    try {
      return await requestJson(endpoint, method, body, tls as TlsOptions, 30_000, socketPath)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      throw new CliError(
        EXIT.usage,
        socketArg === undefined
          ? `Cannot reach ${endpoint.origin}: ${code ?? (error as Error).message}. Is Synapse running, and is --url right?`
          : `Cannot reach Synapse's admin socket ${socketArg}: ${code ?? (error as Error).message}. Is Synapse running, and are you root or its container user (${code === 'EACCES' ? 'permission denied' : 'run this in the bundle folder'})?`,
      )
    }
  }
  const where = socketArg ?? endpoint.origin
  report.progress(`asking ${where} for a registration nonce`)
  const nonceResponse = await call('GET')
  const nonce = (nonceResponse.body as { nonce?: unknown } | undefined)?.nonce
  if (nonceResponse.status !== 200 || typeof nonce !== 'string') {
    throw new CliError(
      EXIT.invalid,
      `Synapse did not hand out a registration nonce (${synapseError(nonceResponse)}). Shared-secret registration needs registration_shared_secret_path in homeserver.yaml and no MAS.`,
    )
  }
  const mac = registrationMac(sharedSecret, nonce, user, password, admin)
  const response = await call('POST', { nonce, username: user, password, admin, mac })
  if (response.status !== 200) {
    throw new CliError(EXIT.invalid, `Synapse refused to register ${user} (${synapseError(response)}).`)
  }
  const userId = (response.body as { user_id?: unknown } | undefined)?.user_id
  report.file({ path: endpoint.pathname, sha256: null, status: 'registered' })
  report.out(`${report.paint('green', '✔')} Registered ${typeof userId === 'string' ? userId : user}${admin ? ' (server admin)' : ''}.`)
  report.finish(true)
  return EXIT.ok
}

/** The real dependencies, bundled with this command. */
export { defaultDeps } from '../_deps.js'
