import { isSpecError, SpecError } from '../errors/issue.js'
import type { SafeResult } from '../errors/safe-result.js'
import { openSafeFolder, type SafeFolder } from '../files/safe-folder.js'
import { parseSecrets } from '../parse.js'
import type { DeploymentSpec } from '../deployment/spec.js'
import type { SecretName, Secrets } from './secrets.js'
import { DERIVED_SECRET_FILES, requiredSecrets, SECRET_FILES } from './file-names.js'

/** What to do about a link, special file or hard link found in a secrets folder. */
export const SECRETS_HINT =
  'Whoever can write the secrets folder may be trying to make root read or change another file: remove it, put the secret back as a regular file (or delete it and run `messenger-stack secrets` to generate a new one), then run again.'

/**
 * Opens a secrets folder without following a link (the folder itself must not be a symbolic
 * link); with `create`, makes it with mode 0700 when missing.
 */
export function openSecretsFolder(dir: string, create = false): Promise<SafeFolder> {
  return openSafeFolder(dir, { ...(create ? { create: 0o700 } : {}), hint: SECRETS_HINT })
}

/** Reads one file of an open secrets folder: regular, single link, never through a link. */
export function readSecretFile(folder: SafeFolder, name: string): Promise<string | undefined> {
  return folder.readText(name, { singleLink: true, hint: SECRETS_HINT })
}

/**
 * Reads the secret files of an open secrets folder, without validating them. `missing` names
 * the absent secrets the spec needs (without a spec: those every spec needs; see
 * {@link requiredSecrets}).
 */
export async function readSecretValues(
  folder: SafeFolder,
  spec?: DeploymentSpec,
): Promise<{ values: Partial<Record<SecretName, string>>; missing: SecretName[] }> {
  const values: Partial<Record<SecretName, string>> = {}
  const required = requiredSecrets(spec)
  const missing: SecretName[] = []
  for (const [name, file] of Object.entries(SECRET_FILES) as [SecretName, string][]) {
    const text = await readSecretFile(folder, file)
    if (text === undefined) {
      if (required.includes(name)) missing.push(name)
    } else values[name] = text.replace(/\r?\n$/, '')
  }
  return { values, missing }
}

/**
 * Reads the secret files that exist, without validating them. Trailing newlines are dropped.
 * Never follows a link: a symbolic link, special file or hard-linked file is refused.
 *
 * @throws {UnsafeFileError} when the folder is a link, or a secret file is a link, not a regular file, or hard-linked.
 */
export async function readSecretsFolder(
  dir: string,
  spec?: DeploymentSpec,
): Promise<{ values: Partial<Record<SecretName, string>>; missing: SecretName[] }> {
  const folder = await openSecretsFolder(dir)
  try {
    return await readSecretValues(folder, spec)
  } finally {
    await folder.close()
  }
}

/** Turns missing secrets into issues, naming files, never values. */
export function missingSecretsError(dir: string, missing: readonly SecretName[]): SpecError {
  return new SpecError(
    missing.map((name) => ({
      path: [SECRET_FILES[name]],
      code: 'invalid_secret' as const,
      message: `The secrets folder has no ${SECRET_FILES[name]} file.`,
      hint: `run \`messenger-stack secrets ${dir}\` to generate the missing secrets.`,
    })),
    'secrets folder',
  )
}

/**
 * Loads and validates every secret of a secrets folder (every one the spec needs must be
 * there; without a spec, every one all specs need). Messages name files (`label/<file>`,
 * `label` defaulting to `dir`), never values.
 * The derived files, when present, are checked too (regular, one link), so that a command
 * that later refreshes them fails before it writes anything else.
 *
 * @throws {SpecError} when a secret is missing or invalid; {@link UnsafeFileError} for a link
 * or special file; the fs error when the folder is unreadable.
 */
export async function loadSecrets(dir: string, label: string = dir, spec?: DeploymentSpec): Promise<Secrets> {
  const folder = await openSecretsFolder(dir)
  try {
    const { values, missing } = await readSecretValues(folder, spec)
    for (const name of Object.values(DERIVED_SECRET_FILES)) {
      const file = await folder.openFile(name, { singleLink: true, hint: SECRETS_HINT })
      await file?.handle.close()
    }
    if (missing.length > 0) throw missingSecretsError(dir, missing)
    return parseSecrets(values, { folder: label })
  } finally {
    await folder.close()
  }
}

/**
 * {@link loadSecrets} without throwing for a missing or invalid secret: those come back as
 * issues. A link or special file ({@link UnsafeFileError}) and an unreadable folder still
 * reject, so callers can tell "cannot read safely" from "invalid".
 */
export async function safeLoadSecrets(dir: string, label: string = dir, spec?: DeploymentSpec): Promise<SafeResult<Secrets>> {
  try {
    return { success: true, data: await loadSecrets(dir, label, spec), issues: [] }
  } catch (error) {
    if (isSpecError(error)) return { success: false, issues: error.issues }
    throw error
  }
}
