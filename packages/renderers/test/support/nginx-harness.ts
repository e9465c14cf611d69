// Runs the real nginx on rendered files without touching the host: a throw-away prefix
// (tooling.md §4.1: nginx.conf in the prefix root, relative pid/log/temp paths) and a private
// mount namespace (`unshare -m`) in which absolute in-container paths (certificates,
// /etc/hosts mapping container names to 127.0.0.1) exist only for that process.
//
// Reusable: `prepareNginxPrefix` + `nginxTest` for `nginx -t`; `namespaceCommand` to run any
// command (such as nginx in the foreground) inside the same namespace.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { directive, type NginxNode, printNginx } from '@messenger-stack/config-schema/nginx'
import { requireTool } from '../_bundle-support.js'

/** What the nginx under test needs. */
export interface NginxHarnessOptions {
  /** Files under the prefix, by relative path; `conf.d/*.conf` is included in `http {}`. */
  readonly prefixFiles: Readonly<Record<string, string>>
  /** Files at absolute paths, present only inside the namespace (such as well-known files). */
  readonly files?: Readonly<Record<string, string>>
  /** Host names the namespace's /etc/hosts maps to 127.0.0.1 (container names). */
  readonly hosts?: readonly string[]
  /** A self-signed certificate for `names`, written at these absolute paths. */
  readonly certificate?: { readonly certificate: string; readonly key: string; readonly names: readonly string[] }
}

/** A prepared prefix. Call `cleanup()` when done. */
export interface NginxPrefix {
  /** The prefix folder (nginx `-p`); nginx.conf is in its root. */
  readonly prefix: string
  /** Absolute path of nginx.conf. */
  readonly conf: string
  /** Absolute path of nginx, found on PATH or from `.ci/provision.sh`. */
  readonly nginx: string
  /** Absolute in-namespace path → staged file on the host. */
  readonly mounts: Readonly<Record<string, string>>
  /** Removes every file the harness wrote. */
  readonly cleanup: () => void
}

/** Where Debian's libnginx-mod-stream puts the stream module (the nginx image builds it in). */
export const DEBIAN_STREAM_MODULE = '/usr/lib/nginx/modules/ngx_stream_module.so'

/**
 * The `load_module` line Debian's nginx needs before a config with a `stream` context (the
 * image has the module built in, so rendered files never load it). Throws, so the test FAILS,
 * when the module is missing.
 */
export function streamModuleLine(): string {
  if (!existsSync(DEBIAN_STREAM_MODULE)) {
    throw new Error(
      `${DEBIAN_STREAM_MODULE} is missing: run \`apt-get install libnginx-mod-stream\` (or \`bash .ci/provision.sh\`); nginx's stream context needs it.`,
    )
  }
  return `load_module ${DEBIAN_STREAM_MODULE};`
}

/** Throws (so the test FAILS) unless this process may create a private mount namespace. */
export function requireRootForNamespaces(): void {
  requireTool('unshare')
  if (process.getuid?.() !== 0) {
    throw new Error(
      'nginx validation maps in-container paths in a private mount namespace (`unshare -m`), which needs root: run these tests as root (CI does).',
    )
  }
}

/** The minimal main config: everything relative to the prefix, `conf.d/*.conf` inside `http {}`. */
export function harnessMainConfig(): string {
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => directive(`${kind}_temp_path`, [`temp/${kind}`]))
  const nodes: NginxNode[] = [
    directive('worker_processes', [1]),
    directive('pid', ['nginx.pid']),
    directive('error_log', ['error.log']),
    directive('events', [], [directive('worker_connections', [64])]),
    directive('http', [], [directive('access_log', ['access.log']), ...temp, directive('include', ['conf.d/*.conf'])]),
  ]
  return printNginx(nodes, { header: ['nginx-harness: throw-away main config for tests.'] })
}

/** Writes the prefix, the staged files and the certificate. Needs nginx (and openssl for a certificate). */
export function prepareNginxPrefix(options: NginxHarnessOptions): NginxPrefix {
  const nginx = requireTool('nginx')
  const root = mkdtempSync(join(tmpdir(), 'nginx-harness-'))
  const prefix = join(root, 'prefix')
  const stage = join(root, 'stage')
  const write = (file: string, content: string) => {
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, content)
  }
  mkdirSync(join(prefix, 'temp'), { recursive: true })
  write(join(prefix, 'nginx.conf'), harnessMainConfig())
  for (const [file, content] of Object.entries(options.prefixFiles)) write(join(prefix, file), content)
  const mounts: Record<string, string> = {}
  const stageFile = (absolute: string, content?: string): string => {
    if (!/^\/[^/]+\/./.test(absolute) || absolute.includes('..') || absolute.startsWith(`/${tmpdir().split('/')[1]}/`)) {
      throw new Error(`cannot map ${absolute}: use an absolute path below a top-level folder other than the temporary one`)
    }
    const staged = join(stage, absolute)
    if (content !== undefined) write(staged, content)
    else mkdirSync(dirname(staged), { recursive: true })
    mounts[absolute] = staged
    return staged
  }
  for (const [file, content] of Object.entries(options.files ?? {})) stageFile(file, content)
  stageFile('/etc/hosts', ['127.0.0.1 localhost', ...(options.hosts ?? []).map((host) => `127.0.0.1 ${host}`), ''].join('\n'))
  if (options.certificate !== undefined) {
    const { certificate, key, names } = options.certificate
    const made = spawnSync(
      requireTool('openssl'),
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '2',
        '-subj',
        `/CN=${names[0] ?? 'localhost'}`,
        '-addext',
        `subjectAltName=${names.map((name) => `DNS:${name}`).join(',')}`,
        '-keyout',
        stageFile(key),
        '-out',
        stageFile(certificate),
      ],
      { encoding: 'utf8', timeout: 30_000 },
    )
    if (made.status !== 0) throw new Error(`openssl could not make a test certificate: ${made.stderr}`)
  }
  return { prefix, conf: join(prefix, 'nginx.conf'), nginx, mounts, cleanup: () => rmSync(root, { recursive: true, force: true }) }
}

const sq = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`

/**
 * `[program, args]` that run `command` (a shell command line) in a private mount namespace
 * where every mapped path exists: each top-level folder holding one (such as /etc) gets a
 * tmpfs-backed overlay, so the host's files stay untouched and nothing outlives the process.
 */
export function namespaceCommand(prepared: NginxPrefix, command: string): [string, string[]] {
  const scratch = join(dirname(prepared.prefix), 'scratch')
  mkdirSync(scratch, { recursive: true })
  const tops = [...new Set(Object.keys(prepared.mounts).map((path) => `/${path.split('/')[1]}`))].sort()
  const lines = ['set -eu', `mount -t tmpfs tmpfs ${sq(scratch)}`]
  tops.forEach((top, index) => {
    const upper = `${scratch}/upper${index}`
    const work = `${scratch}/work${index}`
    lines.push(
      `mkdir ${sq(upper)} ${sq(work)}`,
      `mount -t overlay overlay -o ${sq(`lowerdir=${top},upperdir=${upper},workdir=${work}`)} ${sq(top)}`,
    )
  })
  for (const [path, staged] of Object.entries(prepared.mounts).sort()) {
    lines.push(`mkdir -p ${sq(dirname(path))}`, `cat ${sq(staged)} > ${sq(path)}`)
  }
  lines.push(`exec ${command}`)
  return [requireTool('unshare'), ['-m', 'sh', '-c', lines.join('\n')]]
}

/** Result of `nginx -t`. */
export interface NginxTestResult {
  readonly ok: boolean
  /** nginx's own words (stderr), such as `... test is successful`. */
  readonly output: string
}

/** Runs `nginx -t` on the prepared prefix inside the private namespace (bounded to 30 s). */
export function nginxTest(prepared: NginxPrefix): NginxTestResult {
  requireRootForNamespaces()
  const nginxCommand = [prepared.nginx, '-t', '-p', `${prepared.prefix}/`, '-c', prepared.conf, '-e', `${prepared.prefix}/error.log`]
    .map(sq)
    .join(' ')
  const [program, args] = namespaceCommand(prepared, nginxCommand)
  const result = spawnSync(program, args, { encoding: 'utf8', timeout: 30_000 })
  if (result.error !== undefined) throw result.error
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}`.trim() }
}

/**
 * Starts the prepared nginx in a private mount and network namespace (loopback up, plus the
 * extra `addresses` on it), runs `script` (bash lines; `$NGINX_PREFIX` is the prefix) against
 * it, stops it, and returns what the script printed. Throws with nginx's error log when the
 * script fails. Needs root; bounded by `timeoutMs`.
 */
export function runWithNginx(
  prepared: NginxPrefix,
  script: readonly string[],
  options: { addresses?: readonly string[]; timeoutMs?: number } = {},
): string {
  requireRootForNamespaces()
  const q = sq
  const driver = [
    'set -eu',
    `NGINX_PREFIX=${q(prepared.prefix)}`,
    'ip link set lo up',
    ...(options.addresses ?? []).map((address) => `ip addr add ${q(address)} dev lo`),
    `${q(prepared.nginx)} -p ${q(`${prepared.prefix}/`)} -c ${q(prepared.conf)} -e ${q(`${prepared.prefix}/error.log`)}`,
    `trap 'kill "$(cat ${q(join(prepared.prefix, 'nginx.pid'))})" 2>/dev/null || true' EXIT`,
    ...script,
  ].join('\n')
  const driverFile = join(prepared.prefix, 'driver.sh')
  writeFileSync(driverFile, driver)
  const [program, args] = namespaceCommand(prepared, `bash ${q(driverFile)}`)
  const result = spawnSync(requireTool('unshare'), ['-n', '--', program, ...args], {
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 120_000,
  })
  if (result.status !== 0) {
    const log = spawnSync('cat', [join(prepared.prefix, 'error.log')], { encoding: 'utf8' }).stdout
    throw new Error(`the nginx run failed (${result.status ?? result.signal}): ${result.stderr}\n${result.stdout}\nerror.log:\n${log}`)
  }
  return result.stdout
}
