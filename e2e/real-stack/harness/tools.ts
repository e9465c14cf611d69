import { spawnSync } from 'node:child_process'
import { accessSync, constants, existsSync, readFileSync } from 'node:fs'
import { DEBIAN_STREAM_MODULE } from './image-stand-ins.js'

/** Absolute paths of the programs the real-stack test runs, from `.ci/provision.sh`'s env.sh. */
export interface RealStackTools {
  readonly synapsePython: string
  readonly livekitServer: string
  /** lk-jwt-service and the image's health probe, built from upstream source by provision.sh. */
  readonly lkJwtService: string
  readonly lkJwtHealthcheck: string
  /** PostgreSQL server binaries at the compose file's major (initdb, pg_ctl, postgres). */
  readonly pgServerBinDir: string
  /** Debian's PostgreSQL (clients: psql for the init script and the password checks). */
  readonly pgBinDir: string
  readonly nginx: string
  readonly redisServer: string
  readonly redisCli: string
  readonly openssl: string
  readonly unshare: string
  readonly setpriv: string
  readonly chroot: string
  readonly ip: string
  readonly mount: string
  readonly nsenter: string
  /** nftables, to make the test's own namespace drop UDP (the ICE-over-TCP proof). */
  readonly nft: string
  /** Headless browser and NSS's certutil (to trust the test CA). */
  readonly chromium: string
  readonly certutil: string
  /** Element Call's static build (`index.html`, `assets/`). */
  readonly elementCallDir: string
  /** Debian's Python 3 with aiosmtpd (python3-aiosmtpd): the SMTP sink. */
  readonly python3: string
}

const INSTALL_HINT =
  'Install them as root with `bash .ci/provision.sh` (Debian packages with python3-aiosmtpd, the Synapse venv, livekit-server, lk-jwt-service, PostgreSQL 17, Element Call).'

/** Where provision.sh writes env.sh. */
export function provisionEnvFile(): string {
  return `${process.env.MESSENGER_STACK_CACHE ?? '/var/cache/messenger-stack'}/env.sh`
}

/** Parses the `export KEY=VALUE` lines of env.sh (values as bash `printf %q` writes simple paths). */
export function parseEnvSh(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of text.split('\n')) {
    const m = /^export ([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line)
    if (m === null) continue
    let value = m[2]!
    if (value === "''") value = ''
    else if (/^'.*'$/.test(value)) value = value.slice(1, -1)
    else value = value.replace(/\\(.)/g, '$1')
    out[m[1]!] = value
  }
  return out
}

function firstExecutable(candidates: readonly string[]): string | undefined {
  return candidates.find((p) => {
    try {
      accessSync(p, constants.X_OK)
      return true
    } catch {
      return false
    }
  })
}

/**
 * Finds every program the real-stack test needs, or throws one error naming what is missing
 * and how to install it. Never skips: a missing program is a failure.
 */
export function requireRealStackTools(): RealStackTools {
  const problems: string[] = []
  if (process.getuid?.() !== 0) problems.push('the real-stack test must run as root (it creates private namespaces with unshare)')
  const envFile = provisionEnvFile()
  const env = existsSync(envFile) ? parseEnvSh(readFileSync(envFile, 'utf8')) : {}
  if (!existsSync(envFile)) problems.push(`${envFile} is missing (provision.sh writes it)`)
  const need = (key: string, rel = '', kind: 'executable' | 'file' = 'executable'): string => {
    const value = env[key]
    const path = value === undefined || value === '' ? '' : `${value}${rel}`
    const ok = path !== '' && (kind === 'file' ? existsSync(path) : firstExecutable([path]) !== undefined)
    if (!ok) problems.push(`${key}${rel === '' ? '' : ` (${rel})`} is not ${kind === 'file' ? 'a file' : 'an executable'}: '${path}'`)
    return path
  }
  const system = (name: string, dirs = ['/usr/bin', '/bin', '/usr/sbin', '/sbin']): string => {
    const found = firstExecutable(dirs.map((d) => `${d}/${name}`))
    if (found === undefined)
      problems.push(`${name} not found in ${dirs.join(', ')} (Debian packages util-linux, iproute2, coreutils, nftables)`)
    return found ?? name
  }
  const tools: RealStackTools = {
    synapsePython: need('SYNAPSE_PYTHON'),
    livekitServer: need('LIVEKIT_SERVER_BIN'),
    lkJwtService: need('LK_JWT_SERVICE_BIN'),
    lkJwtHealthcheck: need('LK_JWT_HEALTHCHECK_BIN'),
    pgServerBinDir: need('PG17_BIN_DIR', '/postgres').replace(/\/postgres$/, ''),
    pgBinDir: need('PG_BIN_DIR', '/psql').replace(/\/psql$/, ''),
    nginx: need('NGINX_BIN'),
    redisServer: need('REDIS_SERVER_BIN'),
    redisCli: need('REDIS_CLI_BIN'),
    openssl: need('OPENSSL_BIN'),
    unshare: system('unshare'),
    setpriv: system('setpriv'),
    chroot: system('chroot'),
    ip: system('ip'),
    mount: system('mount'),
    nsenter: system('nsenter'),
    nft: system('nft'),
    chromium: need('CHROMIUM_BIN'),
    certutil: need('CERTUTIL_BIN'),
    elementCallDir: need('ELEMENT_CALL_DIR', '/index.html', 'file').replace(/\/index\.html$/, ''),
    python3: system('python3', ['/usr/bin']),
  }
  if (spawnSync(tools.python3, ['-c', 'import aiosmtpd'], { timeout: 30_000 }).status !== 0)
    problems.push(`${tools.python3} cannot import aiosmtpd (Debian package python3-aiosmtpd)`)
  // TURN/TLS shares 443 through nginx's stream context, a module on Debian (built into the image).
  if (!existsSync(DEBIAN_STREAM_MODULE)) problems.push(`${DEBIAN_STREAM_MODULE} is missing (Debian package libnginx-mod-stream)`)
  if (problems.length > 0) {
    throw new Error(`The real-stack test cannot run:\n  - ${problems.join('\n  - ')}\n${INSTALL_HINT}`)
  }
  return tools
}
