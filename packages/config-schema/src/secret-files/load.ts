import { chmod, chown, lstat, mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { DeploymentSpec } from '../deployment/spec.js'
import { SpecError } from '../errors/issue.js'
import { createFileExclusive, writeFileAtomic } from '../files/atomic-write.js'
import { parseSecrets } from '../parse.js'
import { derivedSecretFiles } from './derived-files.js'
import { generateSecret } from './generate.js'
import { SECRET_FILES, type SecretName, type Secrets } from './secrets.js'

/** Mode of the secrets folder. */
export const SECRETS_DIR_MODE = 0o700
/** Mode of every file in the secrets folder. */
export const SECRET_FILE_MODE = 0o600

/** What {@link ensureSecretsFolder} did to one file. Never carries a secret value. */
export interface SecretFileReport {
  /** File name inside the secrets folder. */
  readonly name: string
  /** `created` (generated or imported), `kept` (existing, untouched), `refreshed`/`unchanged` (derived files). */
  readonly status: 'created' | 'kept' | 'refreshed' | 'unchanged'
  /** Whether its mode (or owner) was repaired without touching the content. */
  readonly repaired: boolean
}

/** Result of {@link ensureSecretsFolder}. */
export interface SecretsFolderReport {
  /** Whether the folder itself was created. */
  readonly createdFolder: boolean
  /** Whether the folder's mode (or owner) was repaired. */
  readonly repairedFolder: boolean
  /** Every secret and derived file, in a stable order. */
  readonly files: readonly SecretFileReport[]
  /** Things the operator should know (never containing a secret value). */
  readonly warnings: readonly string[]
}

/** Options of {@link ensureSecretsFolder}. */
export interface EnsureSecretsOptions {
  /** The spec, needed for the derived files (key name, database user). Without it they are left alone. */
  readonly spec?: DeploymentSpec
  /** Values to use instead of generating, for missing files only (e.g. imported from an old `.env`). */
  readonly initialValues?: Partial<Record<SecretName, string>>
  /** Owner to give the folder and files (needs root); containers read them as this user. */
  readonly owner?: { readonly uid: number; readonly gid: number }
}

/** Reads the secret files that exist, without validating them. Trailing newlines are dropped. */
export async function readSecretsFolder(dir: string): Promise<{ values: Partial<Record<SecretName, string>>; missing: SecretName[] }> {
  const values: Partial<Record<SecretName, string>> = {}
  const missing: SecretName[] = []
  for (const [name, file] of Object.entries(SECRET_FILES) as [SecretName, string][]) {
    try {
      values[name] = (await readFile(join(dir, file), 'utf8')).replace(/\r?\n$/, '')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      missing.push(name)
    }
  }
  return { values, missing }
}

/**
 * Loads and validates every secret of a secrets folder. Messages name files, never values.
 *
 * @throws {SpecError} when a secret is missing or invalid; the fs error when the folder is unreadable.
 */
export async function loadSecrets(dir: string): Promise<Secrets> {
  await lstat(dir) // ENOENT / ENOTDIR surface as they are
  const { values, missing } = await readSecretsFolder(dir)
  if (missing.length > 0) {
    throw new SpecError(
      missing.map((name) => ({
        path: [SECRET_FILES[name]],
        code: 'invalid_secret' as const,
        message: `The secrets folder has no ${SECRET_FILES[name]} file.`,
        hint: `run \`messenger-stack secrets ${dir}\` to generate the missing secrets.`,
      })),
      'secrets folder',
    )
  }
  return parseSecrets(values)
}

/**
 * Creates or completes a secrets folder: generates every missing secret with the CSPRNG
 * (or takes it from `initialValues`), never changes an existing secret, repairs modes
 * (folder 0700, files 0600) without touching content, and, given the spec, writes the
 * derived files (`synapse.pgpass`, `redis-auth.conf`, `livekit_keys.yaml`). Every write is
 * atomic; a new secret is linked into place so it can never replace an existing file.
 *
 * @throws {SpecError} when an existing secret is invalid and derived files are needed.
 */
export async function ensureSecretsFolder(dir: string, options: EnsureSecretsOptions = {}): Promise<SecretsFolderReport> {
  const warnings: string[] = []
  const files: SecretFileReport[] = []
  let createdFolder = false
  try {
    const stat = await lstat(dir)
    if (!stat.isDirectory()) throw Object.assign(new Error(`${dir} exists and is not a folder.`), { code: 'ENOTDIR' })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    await mkdir(dir, { recursive: true, mode: SECRETS_DIR_MODE })
    createdFolder = true
  }
  const repairedFolder = (await repair(dir, SECRETS_DIR_MODE, options.owner)) && !createdFolder

  for (const [name, file] of Object.entries(SECRET_FILES) as [SecretName, string][]) {
    const path = join(dir, file)
    const value = options.initialValues?.[name] ?? generateSecret(name)
    const created = await createFileExclusive(path, name === 'synapseSigningKey' ? `${value}\n` : value, SECRET_FILE_MODE)
    const repaired = await repair(path, SECRET_FILE_MODE, options.owner)
    files.push({ name: file, status: created ? 'created' : 'kept', repaired: repaired && !created })
  }

  if (options.spec !== undefined) {
    const secrets = await loadSecrets(dir)
    for (const derived of derivedSecretFiles(options.spec, secrets)) {
      const path = join(dir, derived.name)
      const current = await readFile(path, 'utf8').catch(() => undefined)
      if (current !== derived.content) await writeFileAtomic(path, derived.content, SECRET_FILE_MODE)
      const repaired = await repair(path, SECRET_FILE_MODE, options.owner)
      files.push({
        name: derived.name,
        status: current === derived.content ? 'unchanged' : 'refreshed',
        repaired: repaired && current === derived.content,
      })
    }
  } else {
    warnings.push('No deployment spec given: the derived files (synapse.pgpass, redis-auth.conf, livekit_keys.yaml) were not written.')
  }
  return { createdFolder, repairedFolder, files, warnings }
}

/** Sets mode (and owner) when they differ; returns whether anything changed. */
async function repair(path: string, mode: number, owner: EnsureSecretsOptions['owner']): Promise<boolean> {
  const stat = await lstat(path)
  let changed = false
  if ((stat.mode & 0o7777) !== mode) {
    await chmod(path, mode)
    changed = true
  }
  if (owner !== undefined && (stat.uid !== owner.uid || stat.gid !== owner.gid)) {
    await chown(path, owner.uid, owner.gid)
    changed = true
  }
  return changed
}
