import { isSpecError, type DeploymentSpec, type SecretName } from '@messenger-stack/config-schema'
import {
  ensureSecretsFolder,
  readSecretsFolder,
  signingKeyId,
  signingKeyPublicKey,
  type SecretFileReport,
} from '@messenger-stack/config-schema/node'
import type { CommandContext } from './_commands.js'
import { ioError } from './_errors.js'
import { rotationAdvice } from './_rotation.js'

/**
 * Creates or completes a secrets folder and reports what happened (file names and statuses
 * only; `sha256` is null for secrets). Returns false when an existing secret is invalid
 * (its issues are recorded and printed; the command should exit 1).
 */
export async function ensureSecretsReported(
  context: CommandContext,
  dir: string,
  dirArg: string,
  spec: DeploymentSpec | undefined,
  initialValues?: Partial<Record<SecretName, string>>,
): Promise<boolean> {
  const { report, io } = context
  if (initialValues !== undefined) report.redact(Object.values(initialValues).filter((v): v is string => v !== undefined))
  const uid = io.getuid()
  let result
  try {
    result = await ensureSecretsFolder(dir, {
      label: dirArg,
      ...(spec === undefined ? {} : { spec }),
      ...(initialValues === undefined ? {} : { initialValues }),
      ...(uid === 0 && spec !== undefined ? { owner: spec.containerUser } : {}),
    })
  } catch (error) {
    if (isSpecError(error)) {
      const issues = error.issues.map((issue) => ({ ...issue, file: dirArg }))
      report.issues.push(...issues)
      report.log(await context.deps.formatIssues(issues, { color: report.color }))
      report.log(
        `${report.paint('red', '✖')} ${dirArg} holds an invalid secret; existing secrets are never changed. Fix or remove that file, then run again.`,
      )
      return false
    }
    throw ioError(`Cannot write the secrets folder ${dirArg}`, error)
  }
  // Registered after the fact too: nothing printed so far contains a value.
  report.redact(Object.values((await readSecretsFolder(dir)).values).filter((v): v is string => v !== undefined))
  if (result.createdFolder) report.out(`  ${report.paint('green', 'created'.padEnd(11))} ${dirArg}/ (mode 0700)`)
  if (result.repairedFolder) report.out(`  ${report.paint('yellow', 'repaired'.padEnd(11))} ${dirArg}/ mode (or owner); content untouched`)
  let kept = 0
  for (const file of result.files) {
    report.file({ path: `${dirArg}/${file.name}`, sha256: null, status: file.repaired ? 'repaired' : file.status })
    if (file.status === 'kept' || file.status === 'unchanged') kept++
    if (file.status === 'created' || file.status === 'refreshed')
      report.out(`  ${report.paint('green', file.status.padEnd(11))} ${dirArg}/${file.name}`)
    if (file.repaired)
      report.out(
        `  ${report.paint('yellow', 'repaired'.padEnd(11))} ${dirArg}/${file.name}: mode set to 0600 (or owner fixed); content untouched`,
      )
  }
  if (kept > 0) report.out(`  kept ${kept} existing file${kept === 1 ? '' : 's'} unchanged`)
  for (const warning of result.warnings) report.warn(warning)
  warnExposed(report, dirArg, result.files)
  const key = (await readSecretsFolder(dir)).values.synapseSigningKey
  if (key !== undefined) {
    try {
      report.out(`  Synapse signing key ${signingKeyId(key)}, public key ${signingKeyPublicKey(key)}`)
    } catch {
      report.warn(`${dirArg}/synapse_signing.key is not in Synapse's format.`)
    }
  }
  if (spec !== undefined && uid !== undefined && uid !== 0 && uid !== spec.containerUser.uid) {
    report.warn(
      `Containers run as uid ${spec.containerUser.uid}, but these files belong to you (uid ${uid}) with mode 0600, so containers cannot read them: run \`sudo chown -R ${spec.containerUser.uid}:${spec.containerUser.gid} ${dirArg}\`.`,
    )
  }
  return true
}

/** Warns, with how to rotate each, when a repair shows that other local users could read secrets. */
export function warnExposed(report: CommandContext['report'], dirArg: string, files: readonly SecretFileReport[]): void {
  const exposed = files.filter((file) => file.exposed).map((file) => file.name)
  if (exposed.length === 0) return
  report.warn(
    [
      `Before this repair, other users of this machine could read ${exposed.map((name) => `${dirArg}/${name}`).join(', ')}. Consider these secrets exposed and rotate them (docs/security.md, "Rotating secrets"):`,
      ...rotationAdvice(exposed).map((line) => `    ${line}`),
    ].join('\n'),
  )
}
