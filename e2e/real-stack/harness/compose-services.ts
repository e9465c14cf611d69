import { posix } from 'node:path'
import { parse } from 'yaml'
import type { ContainerMount } from './container.js'

/** The parts of a rendered compose service the stand-in containers honour. */
export interface ComposeServiceView {
  readonly name: string
  readonly containerName: string
  readonly user: { readonly uid: number; readonly gid: number }
  readonly entrypoint?: readonly string[]
  readonly command?: readonly string[]
  readonly environment: Readonly<Record<string, string>>
  readonly envFiles: readonly string[]
  readonly mounts: readonly ContainerMount[]
  readonly ports: readonly string[]
  /** The compose health check as written (`test` in exec form, or `disable: true`). */
  readonly healthcheck?: { readonly test?: readonly string[]; readonly disable?: boolean }
}

type RawService = Record<string, unknown>

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : [])

/** Parses a `.env`-style file as compose reads it (KEY=VALUE, `#` comments, no interpolation here). */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const eq = line.indexOf('=')
    if (eq <= 0) continue
    let value = line.slice(eq + 1)
    if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1)
    out[line.slice(0, eq)] = value
  }
  return out
}

/**
 * Compose variable interpolation: `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:?error}`, `$$` → `$`, with `vars` (the project's `.env`; no host environment).
 */
export function interpolate(text: string, vars: Readonly<Record<string, string>>): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g,
    (whole, name?: string, colon?: string, op?: string, arg?: string) => {
      if (whole === '$$') return '$'
      const value = vars[name!]
      const unset = value === undefined || (colon === ':' && value === '')
      if (op === '-') return unset ? arg! : value!
      if (op === '?' && unset) throw new Error(`compose variable ${name} is required: ${arg}`)
      return value ?? ''
    },
  )
}

function interpolateDeep(value: unknown, vars: Readonly<Record<string, string>>): unknown {
  if (typeof value === 'string') return interpolate(value, vars)
  if (Array.isArray(value)) return value.map((v) => interpolateDeep(v, vars))
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateDeep(v, vars)]))
  return value
}

/**
 * Reads the services of a rendered compose file (after interpolating with `vars`). Bind mounts (`./x:/y[:ro]`) are resolved
 * against the bundle folder; named volumes against `volumeHostDir(name)` (the folder the
 * deploy script binds the external volume to); `tmpfs:` entries become fresh tmpfs mounts.
 */
export function readComposeServices(
  composeText: string,
  bundleDir: string,
  volumeHostDir: (volume: string) => string,
  vars: Readonly<Record<string, string>> = {},
): Map<string, ComposeServiceView> {
  const doc = interpolateDeep(parse(composeText), vars) as { services?: Record<string, RawService> }
  const out = new Map<string, ComposeServiceView>()
  for (const [name, svc] of Object.entries(doc.services ?? {})) {
    const userMatch = /^(\d+):(\d+)$/.exec(String(svc.user ?? ''))
    if (userMatch === null) throw new Error(`compose service ${name}: user must be "uid:gid", got ${JSON.stringify(svc.user)}`)
    const mounts: ContainerMount[] = []
    for (const v of strings(svc.volumes)) {
      const parts = v.split(':')
      const [source, target, mode] = [parts[0]!, parts[1]!, parts[2]]
      const readOnly = mode === 'ro'
      const hostPath = source.startsWith('./') || source.startsWith('/') ? posix.resolve(bundleDir, source) : volumeHostDir(source)
      mounts.push({ source: hostPath, target, readOnly })
    }
    for (const t of strings(svc.tmpfs)) mounts.push({ source: 'tmpfs', target: t.split(':')[0]!, readOnly: false })
    const env = svc.environment
    const environment: Record<string, string> = {}
    if (Array.isArray(env)) {
      for (const kv of env.map(String)) environment[kv.slice(0, kv.indexOf('='))] = kv.slice(kv.indexOf('=') + 1)
    } else if (env !== null && typeof env === 'object') {
      for (const [k, v] of Object.entries(env)) environment[k] = String(v)
    }
    out.set(name, {
      name,
      containerName: String(svc.container_name ?? name),
      user: { uid: Number(userMatch[1]), gid: Number(userMatch[2]) },
      ...(svc.entrypoint === undefined ? {} : { entrypoint: strings(svc.entrypoint) }),
      ...(svc.command === undefined ? {} : { command: strings(svc.command) }),
      environment,
      envFiles: strings(svc.env_file).map((f) => posix.resolve(bundleDir, f)),
      mounts,
      ports: strings(svc.ports),
      ...(svc.healthcheck === undefined ? {} : { healthcheck: svc.healthcheck as ComposeServiceView['healthcheck'] }),
    })
  }
  return out
}
