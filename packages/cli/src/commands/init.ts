import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import {
  BUNDLE_PATHS,
  bundleGitignore,
  safeParseDeploymentSpec,
  type DeploymentSpec,
  type DeploymentSpecDocument,
} from '@messenger-stack/config-schema'
import { sha256 } from '../manifest.js'
import { intFlag, stringFlag } from '../_args.js'
import { createFileExclusive, openSafeFolder, type SafeFolder } from '@messenger-stack/config-schema/node'
import type { CommandContext } from '../_commands.js'
import { CliError, EXIT, ioError, usageError, isCliError } from '../_errors.js'
import { ensureSecretsReported } from '../_secrets-folder.js'
import { schemaReference, specFileText } from '../_spec-file.js'
import { loadSpecArg, resolvePath } from '../_spec.js'

const SPEC_FILE = 'deployment.yaml'
const SECRETS_DIR = 'secrets'

/** The containers' user: --uid/--gid, else the invoking user; root needs the flags. */
export function containerUserFor(context: CommandContext): { uid: number; gid: number } {
  const uidFlag = intFlag(context.args, 'uid')
  const gidFlag = intFlag(context.args, 'gid')
  if ((uidFlag === undefined) !== (gidFlag === undefined)) throw usageError('Give both --uid and --gid, or neither (then yours are used).')
  if (uidFlag !== undefined && gidFlag !== undefined) return { uid: uidFlag, gid: gidFlag }
  const uid = context.io.getuid()
  const gid = context.io.getgid()
  if (uid === undefined || gid === undefined) throw usageError('Cannot tell your user ID on this platform: pass --uid N --gid N.')
  if (uid === 0 || gid === 0) {
    throw usageError(
      'You are running as root, and containers never run as root: pass the user that should own the data, such as --uid 1000 --gid 1000.',
    )
  }
  return { uid, gid }
}

function newSpecInput(context: CommandContext, serverName: string): DeploymentSpecDocument {
  const mode = stringFlag(context.args, 'mode') ?? 'standalone'
  if (mode !== 'standalone' && mode !== 'microservice') throw usageError(`--mode must be standalone or microservice, not "${mode}".`)
  const email = stringFlag(context.args, 'email') ?? `admin@${serverName}`
  return {
    serviceName: 'messenger',
    mode,
    serverName,
    containerUser: containerUserFor(context),
    resources: 'small',
    synapse: { registration: { mode: 'disabled' }, maxUploadSize: '50M' },
    livekit: { enabled: true },
    elementWeb: { enabled: true },
    ...(mode === 'standalone' ? { tls: { letsEncrypt: { email } } } : { gateway: { network: 'nginx-network' } }),
  }
}

/**
 * Whether the folder already holds a spec. Root may run init on a folder a user owns, so the
 * spec must be a regular file with one link: never a link to a file the user cannot read.
 */
async function existingSpec(dir: string, specShown: string): Promise<boolean> {
  let folder: SafeFolder
  try {
    folder = await openSafeFolder(dir, { followLink: true })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw ioError(`Cannot use ${specShown}`, error)
  }
  try {
    const file = await folder.openFile(SPEC_FILE, {
      singleLink: true,
      hint: `init reads an existing ${SPEC_FILE}; replace the link with the spec itself (or remove it to start afresh).`,
    })
    await file?.handle.close()
    return file !== undefined
  } catch (error) {
    throw ioError(`Cannot use ${specShown}`, error)
  } finally {
    await folder.close()
  }
}

/** `messenger-stack init [dir]`: a commented deployment.yaml and a complete secrets/ folder; never overwrites. */
export async function run(context: CommandContext): Promise<number> {
  const { args, report, deps } = context
  const dirArg = args.positionals[0] ?? '.'
  const dir = resolvePath(context, dirArg)
  const specPath = join(dir, SPEC_FILE)
  const specShown = dirArg === '.' ? SPEC_FILE : `${dirArg}/${SPEC_FILE}`
  const secretsShown = dirArg === '.' ? SECRETS_DIR : `${dirArg}/${SECRETS_DIR}`
  const exists = await existingSpec(dir, specShown)

  let spec: DeploymentSpec | undefined
  if (exists) {
    report.out(`  kept        ${specShown} (init never overwrites a file)`)
    spec = await loadSpecArg(context, specShown)
    if (spec === undefined) {
      report.finish(false)
      return EXIT.invalid
    }
  } else {
    const serverName = stringFlag(args, 'server-name')
    if (serverName === undefined)
      throw usageError('`init` needs --server-name NAME for a new spec: the Matrix domain, such as example.org.')
    const input = newSpecInput(context, serverName)
    const parsed = safeParseDeploymentSpec(input)
    if (!parsed.success) {
      report.issues.push(...parsed.issues)
      report.log(await deps.formatIssues(parsed.issues, { color: report.color }))
      report.log(`${report.paint('red', '✖')} These flags give an invalid spec; nothing was written.`)
      report.finish(false)
      return EXIT.invalid
    }
    spec = parsed.spec
    const text = specFileText(input, schemaReference(dir), [
      'messenger-stack deployment spec, written by `messenger-stack init`. Secrets live in secrets/, never here.',
      'Check it:   messenger-stack validate deployment.yaml',
      'Render it:  messenger-stack render deployment.yaml --out . --secrets secrets',
    ])
    try {
      await mkdir(dir, { recursive: true, mode: 0o755 })
      if (!(await createFileExclusive(specPath, text, 0o644)))
        throw new CliError(EXIT.usage, `${specShown} appeared while init ran; it was left alone.`)
    } catch (error) {
      if (isCliError(error)) throw error
      throw ioError(`Cannot write ${specShown}`, error)
    }
    report.file({ path: specShown, sha256: sha256(text), status: 'created' })
    report.out(`  ${report.paint('green', 'created'.padEnd(11))} ${specShown}`)
  }

  await writeGitignore(context, dir, dirArg)
  const ok = await ensureSecretsReported(context, join(dir, SECRETS_DIR), secretsShown, spec)
  if (!ok) {
    report.finish(false)
    return EXIT.invalid
  }
  report.out(
    [
      `${report.paint('green', '✔')} Ready. Next:`,
      ...(dirArg === '.' ? [] : [`  cd ${dirArg}`]),
      '  edit deployment.yaml, then',
      '  messenger-stack render deployment.yaml --out . --secrets secrets',
      '  and follow DEPLOY.md (DNS records, ports, first start, first user).',
    ].join('\n'),
  )
  report.finish(true)
  return EXIT.ok
}

/**
 * Writes the folder's `.gitignore` (secrets, data, backups, `.env`) before any secret
 * exists, so a `git add .` in a fresh folder never picks one up. Never overwrites: an
 * operator's own `.gitignore` is kept, with a warning when it does not ignore `secrets/`.
 */
async function writeGitignore(context: CommandContext, dir: string, dirArg: string): Promise<void> {
  const { report } = context
  const shown = dirArg === '.' ? BUNDLE_PATHS.gitignore : `${dirArg}/${BUNDLE_PATHS.gitignore}`
  const text = bundleGitignore()
  let created: boolean
  try {
    await mkdir(dir, { recursive: true, mode: 0o755 })
    created = await createFileExclusive(join(dir, BUNDLE_PATHS.gitignore), text, 0o644)
  } catch (error) {
    throw ioError(`Cannot write ${shown}`, error)
  }
  if (created) {
    report.file({ path: shown, sha256: sha256(text), status: 'created' })
    report.out(`  ${report.paint('green', 'created'.padEnd(11))} ${shown}`)
    return
  }
  const existing = await readOwnGitignore(dir)
  if (!existing.split('\n').some((line) => /^\/?secrets\/?$/.test(line.trim()))) {
    report.warn(`${shown} exists and does not ignore secrets/: add the line /${SECRETS_DIR}/ so git never picks up a secret.`)
  }
}

/** An existing `.gitignore`, read without following a link ('' when it cannot be read safely). */
async function readOwnGitignore(dir: string): Promise<string> {
  const folder = await openSafeFolder(dir, { followLink: true })
  try {
    return (await folder.readText(BUNDLE_PATHS.gitignore)) ?? ''
  } catch {
    return ''
  } finally {
    await folder.close()
  }
}

/** The real dependencies, bundled with this command. */
export { defaultDeps } from '../_deps.js'
