import type { Stats } from 'node:fs'
import type { DeploymentSpec } from '../deployment/spec.js'
import { createFileExclusive, removeStaleTempFiles, writeFileAtomic } from '../files/atomic-write.js'
import type { CheckedFile } from '../files/safe-folder.js'
import { parseSecrets } from '../parse.js'
import { derivedSecretFiles } from './derived-files.js'
import { generateSecret } from './generate.js'
import { missingSecretsError, openSecretsFolder, readSecretValues, SECRETS_HINT } from './load.js'
import type { SecretName } from './secrets.js'
import { DERIVED_SECRET_FILES, requiredSecrets, SECRET_FILES } from './file-names.js'

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
  /**
   * Whether another local user could read it before this run: readable by group or others
   * through a folder they could enter, or owned by a user other than root and the owner it
   * was given. Its secret should then be considered exposed and rotated.
   */
  readonly exposed: boolean
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
  /** The folder as the operator names it, for messages about an invalid secret file (defaults to `dir`). */
  readonly label?: string
}

type Owner = EnsureSecretsOptions['owner']

/**
 * What to do with a generated SMTP password: it only works where the operator runs the SMTP
 * server; a provider hands out its own. Never contains the value.
 */
function smtpPasswordNote(file: string, spec: DeploymentSpec | undefined): string {
  const email = spec?.synapse.email
  const account = email === undefined ? 'the SMTP user' : `the SMTP user ${email.smtpUser ?? ''} at ${email.smtpHost}`.replace('  ', ' ')
  return `Generated a random ${file}: make it the password of ${account}, or replace the file's content with the password your provider gave you (one line, mode 0600) and run \`messenger-stack secrets\` again so that synapse-email.yaml gets it.`
}

/** Sets mode (and owner) on the descriptor when they differ; returns whether anything changed. */
async function repair(file: CheckedFile, mode: number, owner: Owner): Promise<boolean> {
  let changed = false
  if ((file.stat.mode & 0o7777) !== mode) {
    await file.handle.chmod(mode)
    changed = true
  }
  if (owner !== undefined && (file.stat.uid !== owner.uid || file.stat.gid !== owner.gid)) {
    await file.handle.chown(owner.uid, owner.gid)
    changed = true
  }
  return changed
}

/** Whether a user other than root and the intended owner could read the file (see {@link SecretFileReport.exposed}). */
function wasExposed(file: Stats, folder: Stats, owner: Owner): boolean {
  const byOthers = (file.mode & 0o004) !== 0 && (folder.mode & 0o001) !== 0
  const byGroup = (file.mode & 0o040) !== 0 && (folder.mode & 0o010) !== 0
  const ownedByStranger = owner !== undefined && file.uid !== 0 && file.uid !== owner.uid
  return byOthers || byGroup || ownedByStranger
}

/**
 * Creates or completes a secrets folder: generates every missing secret the spec needs with
 * the CSPRNG (or takes it from `initialValues`; without a spec, the secrets every spec needs:
 * see {@link requiredSecrets}), never changes an existing secret, repairs modes
 * (folder 0700, files 0600) without touching content, and, given the spec, writes the
 * derived files (`synapse.pgpass`, `redis-auth.conf`, `livekit_keys.yaml`). Every write is
 * atomic; a new secret is linked into place so it can never replace an existing file.
 *
 * Run as root on a folder its container user owns, it never follows what that user planted:
 * the folder is opened without following a link and held by its descriptor; every existing
 * file is opened with `O_NOFOLLOW` and checked (regular file, one link) before anything is
 * changed; modes and owners are set on descriptors, never on paths.
 *
 * @throws {UnsafeFileError} when the folder is a link, or a file in it is a link, not a regular
 * file or hard-linked (nothing was changed); {@link SpecError} when an existing secret is
 * invalid and derived files are needed.
 */
export async function ensureSecretsFolder(dir: string, options: EnsureSecretsOptions = {}): Promise<SecretsFolderReport> {
  const warnings: string[] = []
  const files: SecretFileReport[] = []
  const folder = await openSecretsFolder(dir, true)
  const open = new Map<string, CheckedFile>()
  try {
    const derivedNames = options.spec === undefined ? [] : Object.values(DERIVED_SECRET_FILES)
    // Check every file first, so that a planted link stops the run before anything changes.
    for (const name of [...Object.values(SECRET_FILES), ...derivedNames]) {
      const file = await folder.openFile(name, { singleLink: true, hint: SECRETS_HINT })
      if (file !== undefined) open.set(name, file)
    }
    const leftovers = await removeStaleTempFiles(folder)
    if (leftovers.length > 0) warnings.push(`Removed ${leftovers.length} temporary file(s) an interrupted run left in ${dir}.`)
    const folderStat = await folder.handle.stat()
    const repairedFolder = (await repair({ handle: folder.handle, stat: folderStat }, SECRETS_DIR_MODE, options.owner)) && !folder.created

    const required = requiredSecrets(options.spec)
    for (const [name, file] of Object.entries(SECRET_FILES) as [SecretName, string][]) {
      let existing = open.get(file)
      // A secret only some specs need is born the first time a spec needing it comes.
      if (existing === undefined && !required.includes(name)) continue
      if (existing === undefined) {
        const value = options.initialValues?.[name] ?? generateSecret(name)
        if (name === 'smtpPassword' && options.initialValues?.smtpPassword === undefined)
          warnings.push(smtpPasswordNote(file, options.spec))
        const content = name === 'synapseSigningKey' ? `${value}\n` : value
        const owner = options.owner === undefined ? {} : { owner: options.owner }
        if (await createFileExclusive(folder.at(file), content, SECRET_FILE_MODE, owner)) {
          files.push({ name: file, status: 'created', repaired: false, exposed: false })
          continue
        }
        // Another run created it meanwhile: check and keep it like any existing file.
        existing = await folder.openFile(file, { singleLink: true, hint: SECRETS_HINT })
        if (existing === undefined)
          throw Object.assign(new Error(`${folder.shown(file)} vanished while it was written.`), { code: 'ENOENT' })
        open.set(file, existing)
      }
      const exposed = wasExposed(existing.stat, folderStat, options.owner)
      files.push({ name: file, status: 'kept', repaired: await repair(existing, SECRET_FILE_MODE, options.owner), exposed })
    }

    if (options.spec !== undefined) {
      const { values, missing } = await readSecretValues(folder, options.spec)
      if (missing.length > 0) throw missingSecretsError(dir, missing)
      const secrets = parseSecrets(values, { folder: options.label ?? dir })
      for (const derived of derivedSecretFiles(options.spec, secrets)) {
        const existing = open.get(derived.name)
        const current = existing === undefined ? undefined : await existing.handle.readFile('utf8')
        const exposed = existing !== undefined && wasExposed(existing.stat, folderStat, options.owner)
        if (existing === undefined || current !== derived.content) {
          await writeFileAtomic(folder.at(derived.name), derived.content, SECRET_FILE_MODE, {
            ...(options.owner === undefined ? {} : { owner: options.owner }),
          })
          files.push({ name: derived.name, status: 'refreshed', repaired: false, exposed })
        } else {
          files.push({
            name: derived.name,
            status: 'unchanged',
            repaired: await repair(existing, SECRET_FILE_MODE, options.owner),
            exposed,
          })
        }
      }
    } else {
      warnings.push(
        'No deployment spec given: the derived files (synapse.pgpass, redis-auth.conf, livekit_keys.yaml, synapse-email.yaml) were not written.',
      )
    }
    return { createdFolder: folder.created, repairedFolder, files, warnings }
  } finally {
    for (const file of open.values()) await file.handle.close()
    await folder.close()
  }
}
