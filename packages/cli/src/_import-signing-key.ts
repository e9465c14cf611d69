import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { SecretsSchema } from '@messenger-stack/config-schema'
import { isUnsafeFileError, openSafeFolder } from '@messenger-stack/config-schema/node'
import { CliError, EXIT, ioError } from './_errors.js'

/** Where the original service keeps Synapse's signing key, beside its .env (Synapse's default name). */
export function originalSigningKeyPath(envFile: string, serverName: string): string {
  return join(dirname(envFile), 'synapse', 'data', `${serverName}.signing.key`)
}

/** The signing key import-env keeps, and where it came from; undefined to generate a new one. */
export interface ImportedSigningKey {
  readonly key: string
  readonly from: string
}

const LINK_HINT =
  'The container user writes synapse/data: a link there could make root copy another file into the secrets. Pass the key with --signing-key FILE instead.'

/**
 * Reads the original service's signing key from `synapse/data/<server>.signing.key` beside the
 * .env without following a link the container user could have planted there (the folders and
 * the file are opened no-follow, single link). Undefined when it is not there.
 */
async function readBesideEnv(path: string): Promise<string | undefined> {
  let folder
  try {
    folder = await openSafeFolder(dirname(dirname(path)), { hint: LINK_HINT })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  try {
    const data = await folder.folder('data', { hint: LINK_HINT })
    if (data === undefined) return undefined
    try {
      return await data.readText(path.slice(path.lastIndexOf('/') + 1), { singleLink: true, hint: LINK_HINT })
    } finally {
      await data.close()
    }
  } finally {
    await folder.close()
  }
}

/**
 * The Synapse signing key import-env keeps: the file `--signing-key` names, else the original
 * service's own key beside the .env. A new key changes the server's federation identity, so it
 * is made only when asked (`--new-signing-key`); without a key and without that flag, nothing
 * is written.
 *
 * @throws {CliError} when the key is missing, unreadable, unsafe or malformed.
 */
export async function importedSigningKey(
  envFile: string,
  envArg: string,
  serverName: string,
  options: { readonly file?: string; readonly fileArg?: string; readonly generateNew: boolean },
): Promise<ImportedSigningKey | undefined> {
  if (options.generateNew) {
    if (options.file !== undefined) throw new CliError(EXIT.usage, 'Give either --signing-key or --new-signing-key, not both.')
    return undefined
  }
  const path = options.file ?? originalSigningKeyPath(envFile, serverName)
  const shown = options.fileArg ?? join(dirname(envArg), 'synapse', 'data', `${serverName}.signing.key`)
  let text: string | undefined
  try {
    text = options.file === undefined ? await readBesideEnv(path) : await readFile(path, 'utf8')
  } catch (error) {
    // A link planted in synapse/data is reported like every unsafe file (exit 1, nothing written).
    if (isUnsafeFileError(error)) throw error
    throw ioError(`Cannot read ${shown}`, error)
  }
  if (text === undefined) {
    throw new CliError(
      EXIT.usage,
      `The original service's signing key is not at ${shown}, and a new key would give ${serverName} a new identity that other servers do not trust yet; nothing was written. Pass --signing-key FILE (synapse/data/<server>.signing.key of the running service), or --new-signing-key for a server that never federated.`,
    )
  }
  const key = text.split('\n')[0]!.trim()
  if (!SecretsSchema.shape.synapseSigningKey.safeParse(key).success) {
    throw new CliError(EXIT.invalid, `${shown} is not a Synapse signing key ("ed25519 <key id> <seed>"); nothing was written.`)
  }
  return { key, from: shown }
}
