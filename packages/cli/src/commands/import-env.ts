import { mkdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import {
  safeParseDeploymentSpec,
  SECRET_FILES,
  SecretsSchema,
  type DeploymentSpecDocument,
  type SecretName,
} from '@messenger-stack/config-schema'
import { stringFlag } from '../_args.js'
import { createFileExclusive } from '@messenger-stack/config-schema/node'
import type { CommandContext } from '../_commands.js'
import { parseDotenv } from '../_dotenv.js'
import { CliError, EXIT, ioError, usageError, isCliError } from '../_errors.js'
import { importedSigningKey } from '../_import-signing-key.js'
import { ensureSecretsReported } from '../_secrets-folder.js'
import { schemaReference, specFileText } from '../_spec-file.js'
import { resolvePath } from '../_spec.js'
import { sha256 } from '../manifest.js'

/** Variables of the original service's `.env` that hold a secret, and where each goes. */
const SECRET_VARS: Readonly<Record<string, SecretName>> = {
  POSTGRES_PASSWORD: 'postgresPassword',
  SYNAPSE_SECRET_KEY: 'synapseMacaroonSecretKey',
  SYNAPSE_REGISTRATION_SECRET: 'synapseRegistrationSharedSecret',
  LIVEKIT_API_SECRET: 'livekitApiSecret',
  REDIS_PASSWORD: 'redisPassword',
}

/** Variables that are known but have no place in the spec, and why. */
const NOT_IN_SPEC: Readonly<Record<string, string>> = {
  NGINX_MICROSERVICE_DIR: 'a path used by the old deploy scripts; the gateway is outside the spec (it only chose microservice mode)',
}

/**
 * The ports of the original service (its README: Synapse on `${SYNAPSE_PORT:-3708}`, UDP 7882
 * for TURN/STUN and 50000-60000 for media): kept unless `--default-ports`, so firewall rules
 * and the gateway's view of Synapse stay as they are.
 */
const ORIGINAL_PORTS = { synapse: 3708, mediaStart: 50000, mediaEnd: 60000, turnUdp: 7882 } as const

/** A host name from a variable that may hold a URL (`https://host/path`, `wss://host`) or a bare host. */
function hostOf(value: string): string {
  const match = /^(?:[a-z][a-z0-9+.-]*:\/\/)?([^/:?#]+)/i.exec(value.trim())
  return (match?.[1] ?? value).toLowerCase()
}

/** `messenger-stack import-env <file.env>`: the original service's .env → deployment.yaml + secrets/. */
export async function run(context: CommandContext): Promise<number> {
  const { args, report, deps } = context
  const envArg = args.positionals[0]!
  const outArg = stringFlag(args, 'out') ?? '.'
  const out = resolvePath(context, outArg)
  const specShown = outArg === '.' ? 'deployment.yaml' : `${outArg}/deployment.yaml`
  const secretsShown = outArg === '.' ? 'secrets' : `${outArg}/secrets`

  let text: string
  try {
    text = await readFile(resolvePath(context, envArg), 'utf8')
  } catch (error) {
    throw ioError(`Cannot read ${envArg}`, error)
  }
  for (const target of [specShown, secretsShown]) {
    const exists = await stat(resolvePath(context, target)).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false
        throw ioError(`Cannot use ${target}`, error)
      },
    )
    if (exists)
      throw new CliError(
        EXIT.usage,
        `${target} already exists; import-env never overwrites. Choose another --out folder; nothing was written.`,
      )
  }

  const { values: env, problems } = parseDotenv(text)
  for (const problem of problems) report.warn(`${envArg}:${problem.line} ${problem.message}; skipped.`)
  const used = new Set<string>()
  const take = (key: string): string | undefined => {
    const value = env.get(key)
    if (value === undefined || value === '') return undefined
    used.add(key)
    return value
  }
  const notes: string[] = []

  const secrets: Partial<Record<SecretName, string>> = {}
  for (const [key, name] of Object.entries(SECRET_VARS)) {
    const value = take(key)
    if (value !== undefined) secrets[name] = value
  }
  report.redact(Object.values(secrets).filter((v): v is string => v !== undefined))

  const domain = take('DOMAIN')
  if (domain === undefined)
    throw new CliError(EXIT.invalid, `${envArg} has no DOMAIN: the Matrix server name cannot be guessed; nothing was written.`)
  const serverName = hostOf(domain)
  const modeFlag = stringFlag(args, 'mode')
  if (modeFlag !== undefined && modeFlag !== 'standalone' && modeFlag !== 'microservice')
    throw usageError(`--mode must be standalone or microservice, not "${modeFlag}".`)
  const email = take('LETSENCRYPT_EMAIL')
  const gatewayDir = env.get('NGINX_MICROSERVICE_DIR') || undefined
  const mode = modeFlag ?? (gatewayDir !== undefined || email === undefined ? 'microservice' : 'standalone')
  notes.push(
    `mode: ${mode}${modeFlag !== undefined ? ' (--mode)' : gatewayDir !== undefined ? ' (NGINX_MICROSERVICE_DIR is set)' : email === undefined ? ' (no LETSENCRYPT_EMAIL)' : ' (LETSENCRYPT_EMAIL is set)'}`,
  )

  const input: Record<string, unknown> = { serviceName: take('SERVICE_NAME') ?? 'messenger', mode, serverName }
  const uid = take('CONTAINER_USER_UID')
  const gid = take('CONTAINER_USER_GID')
  if (uid !== undefined || gid !== undefined) input['containerUser'] = { uid: Number(uid ?? gid), gid: Number(gid ?? uid) }
  else notes.push('containerUser: not in the .env; the default 1000:1000 is used')
  const kept: string[] = []
  const changed: string[] = []
  const defaultPorts = args.flags['default-ports'] === true
  const synapsePort = Number(take('SYNAPSE_PORT') ?? ORIGINAL_PORTS.synapse)
  const { mediaStart, mediaEnd, turnUdp } = ORIGINAL_PORTS
  if (defaultPorts) {
    changed.push(
      `Synapse's port ${synapsePort} → 8008 (inside the container network${mode === 'microservice' ? '; the gateway include follows' : ''})`,
      `LiveKit media UDP ${mediaStart}-${mediaEnd} → UDP 7882 (one multiplexed port): open it, and close the range, in the firewall`,
      `TURN/STUN UDP ${turnUdp} → UDP 3478: update the firewall`,
    )
  } else {
    input['synapse'] = { httpPort: synapsePort }
    kept.push(
      `ports: Synapse ${synapsePort}, LiveKit media UDP ${mediaStart}-${mediaEnd}, TURN/STUN UDP ${turnUdp} (--default-ports for one multiplexed UDP port instead)`,
    )
  }
  changed.push('LiveKit ICE over TCP is published on TCP 7881 (the original listed no TCP port for LiveKit): open it in the firewall')
  const elementUrl = take('ELEMENT_BASE_URL')
  if (elementUrl !== undefined && hostOf(elementUrl) !== serverName) input['elementWeb'] = { host: hostOf(elementUrl) }
  const livekit: Record<string, unknown> = {}
  const livekitUrl = take('LIVEKIT_URL')
  if (livekitUrl !== undefined && hostOf(livekitUrl) !== serverName) livekit['host'] = hostOf(livekitUrl)
  const keyName = take('LIVEKIT_API_KEY')
  if (keyName !== undefined) {
    if (/^[A-Za-z][A-Za-z0-9_-]{2,63}$/.test(keyName)) livekit['keyName'] = keyName
    else
      notes.push(
        'LIVEKIT_API_KEY: not a valid key name here (3-64 letters, digits, "_" or "-", starting with a letter); the key is named "messenger" instead, its secret is kept',
      )
  }
  if (!defaultPorts) {
    livekit['udpRange'] = { start: mediaStart, end: mediaEnd }
    livekit['turn'] = { udpPort: turnUdp }
  }
  if (Object.keys(livekit).length > 0) input['livekit'] = livekit
  const postgres: Record<string, unknown> = {}
  const pgUser = take('POSTGRES_USER')
  if (pgUser !== undefined) postgres['user'] = pgUser
  const pgDb = take('POSTGRES_DB')
  if (pgDb !== undefined) postgres['database'] = pgDb
  if (Object.keys(postgres).length > 0) input['postgres'] = postgres
  if (mode === 'standalone') input['tls'] = { letsEncrypt: { email: email ?? `admin@${serverName}` } }
  else if (email !== undefined) notes.push('LETSENCRYPT_EMAIL: not used in microservice mode (the gateway does TLS)')

  const parsed = safeParseDeploymentSpec(input)
  const secretIssues = Object.entries(secrets).flatMap(([name, value]) => {
    const check = SecretsSchema.shape[name as SecretName].safeParse(value)
    const variable = Object.keys(SECRET_VARS).find((key) => SECRET_VARS[key] === name)!
    return check.success
      ? []
      : [
          {
            path: [variable],
            code: 'invalid_secret',
            message: `${variable} cannot be kept: it ${check.error.issues[0]?.message ?? 'is invalid'}.`,
            hint: `fix ${variable} in ${envArg}, or remove it to have a new one generated.`,
            file: envArg,
          },
        ]
  })
  if (!parsed.success || secretIssues.length > 0) {
    const issues = [...(parsed.success ? [] : parsed.issues.map((i) => ({ ...i, file: envArg }))), ...secretIssues]
    report.issues.push(...issues)
    report.log(await deps.formatIssues(issues as never, { color: report.color }))
    report.log(`${report.paint('red', '✖')} ${envArg} does not give a valid deployment; nothing was written.`)
    report.finish(false)
    return EXIT.invalid
  }

  const signingKeyArg = stringFlag(args, 'signing-key')
  const signingKey = await importedSigningKey(resolvePath(context, envArg), envArg, serverName, {
    ...(signingKeyArg === undefined ? {} : { file: resolvePath(context, signingKeyArg), fileArg: signingKeyArg }),
    generateNew: args.flags['new-signing-key'] === true,
  })
  if (signingKey === undefined) {
    changed.push(`Synapse signing key: a new one (--new-signing-key): other servers see ${serverName} under a new identity`)
  } else {
    report.redact([signingKey.key])
    secrets.synapseSigningKey = signingKey.key
    kept.push(`Synapse signing key from ${signingKey.from}: the federation identity stays`)
  }

  const specText = specFileText(input as unknown as DeploymentSpecDocument, schemaReference(out), [
    `messenger-stack deployment spec, imported from ${envArg} by \`messenger-stack import-env\`.`,
    'Secrets were moved to secrets/; delete the old .env once the new deployment runs.',
    'Render it:  messenger-stack render deployment.yaml --out . --secrets secrets',
  ])
  try {
    await mkdir(out, { recursive: true, mode: 0o755 })
    if (!(await createFileExclusive(join(out, 'deployment.yaml'), specText, 0o644)))
      throw new CliError(EXIT.usage, `${specShown} appeared meanwhile; nothing was overwritten.`)
  } catch (error) {
    if (isCliError(error)) throw error
    throw ioError(`Cannot write ${specShown}`, error)
  }
  report.file({ path: specShown, sha256: sha256(specText), status: 'created' })
  report.out(`  ${report.paint('green', 'created'.padEnd(11))} ${specShown}`)
  const ok = await ensureSecretsReported(context, join(out, 'secrets'), secretsShown, parsed.spec, secrets)

  const keptSecrets = Object.entries(SECRET_VARS)
    .filter(([key]) => used.has(key))
    .map(([key, name]) => `${key} → secrets/${SECRET_FILES[name]}`)
  if (keptSecrets.length > 0)
    report.out(`Kept ${keptSecrets.length} secret${keptSecrets.length === 1 ? '' : 's'}: ${keptSecrets.join(', ')}`)
  for (const [title, lines] of [
    ['Kept from the original service:', kept],
    ['Changed from the original service:', changed],
  ] as const) {
    if (lines.length > 0) report.out([title, ...lines.map((line) => `  ${line}`)].join('\n'))
  }
  for (const note of notes) report.out(`  note: ${note}`)
  const unmapped = [...env.keys()].filter((key) => !used.has(key))
  for (const key of unmapped) {
    const reason = NOT_IN_SPEC[key] ?? (env.get(key) === '' ? 'empty' : 'not known to messenger-stack')
    report.warn(`Not mapped: ${key} (${reason}).`)
    report.issues.push({
      path: [key],
      code: 'not_mapped',
      message: `${key} was not mapped: ${reason}.`,
      hint: 'check whether the spec needs an equivalent setting.',
      file: envArg,
    })
  }
  if (ok) report.out(`${report.paint('green', '✔')} Imported ${envArg}. Review ${specShown}, then render it.`)
  report.finish(ok)
  return ok ? EXIT.ok : EXIT.invalid
}

/** The real dependencies, bundled with this command. */
export { defaultDeps } from '../_deps.js'
