import { lstatSync, readdirSync, readlinkSync, statSync } from 'node:fs'
import { posix } from 'node:path'

/** One mount of a stand-in container: a host file or folder seen at `target`. */
export interface ContainerMount {
  /** Absolute host path (file or folder), or `tmpfs` for a fresh empty tmpfs. */
  readonly source: string | 'tmpfs'
  /** Absolute path inside the container. */
  readonly target: string
  /** Mounted read-only (as compose `:ro`). */
  readonly readOnly: boolean
}

/** A process run like a container: its own mount view, chroot, a non-root user, a clean env. */
export interface ContainerSpec {
  /** Short name, used for logs and the root folder. */
  readonly name: string
  readonly mounts: readonly ContainerMount[]
  readonly uid: number
  readonly gid: number
  readonly env: Readonly<Record<string, string>>
  readonly cwd: string
  /** Absolute program path (inside the container view) and arguments. */
  readonly command: readonly string[]
  /** Its own network namespace with only loopback (default: the test's shared namespace). */
  readonly privateNetwork?: boolean
}

/** Tool paths the container script uses (host paths; the host root is visible in the chroot). */
export interface ContainerTools {
  readonly setpriv: string
  readonly chroot: string
  readonly mount: string
  readonly ip: string
}

/** Quotes one word for POSIX sh. */
export function shQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`
}

/** Every ancestor folder of `path` (without `/`), outermost first. */
function ancestors(path: string): string[] {
  const out: string[] = []
  let dir = posix.dirname(path)
  while (dir !== '/') {
    out.unshift(dir)
    dir = posix.dirname(dir)
  }
  return out
}

/**
 * The sh script that builds the container's root and runs its command. It must run in a new
 * private mount namespace (`unshare -m --propagation private`): it mounts a tmpfs on `root`,
 * recreates the host's top level there (folders rbind-mounted, files bound, symlinks copied),
 * replaces every folder that holds a mount target by a tmpfs copy of its entries (so nothing
 * is created on the host), binds each mount (read-only ones remounted `ro`), then chroots,
 * drops to the non-root uid/gid with no supplementary groups and no new privileges, and execs
 * the command with only the given environment.
 */
export function containerScript(spec: ContainerSpec, root: string, tools: ContainerTools): string {
  const targets = new Map(spec.mounts.map((m) => [m.target, m]))
  const shadowed = new Set<string>()
  for (const target of targets.keys()) for (const dir of ancestors(target)) shadowed.add(dir)
  const lines = ['set -eu', `R=${shQuote(root)}`, `${tools.mount} -t tmpfs -o mode=0755 ctr-${spec.name} "$R"`]
  if (spec.privateNetwork === true) lines.push(`${tools.ip} link set lo up`)
  const q = (p: string) => `"$R"${shQuote(p)}`

  const copyDir = (hostDir: string): void => {
    for (const entry of readdirSync(hostDir).sort()) {
      const path = posix.join(hostDir, entry)
      if (targets.has(path)) continue
      if (shadowed.has(path)) {
        lines.push(`mkdir -p ${q(path)}`)
        copyDir(path)
        continue
      }
      let st
      try {
        st = lstatSync(path)
      } catch {
        continue // vanished meanwhile
      }
      if (st.isSymbolicLink()) lines.push(`ln -s ${shQuote(readlinkSync(path))} ${q(path)}`)
      else if (st.isDirectory()) lines.push(`mkdir ${q(path)}`, `${tools.mount} --rbind ${shQuote(path)} ${q(path)}`)
      else lines.push(`touch ${q(path)}`, `${tools.mount} --bind ${shQuote(path)} ${q(path)}`)
    }
  }
  copyDir('/')

  for (const m of [...spec.mounts].sort((a, b) => a.target.localeCompare(b.target))) {
    lines.push(`mkdir -p ${q(posix.dirname(m.target))}`)
    if (m.source === 'tmpfs') {
      lines.push(`mkdir -p ${q(m.target)}`, `${tools.mount} -t tmpfs -o mode=1777 tmpfs ${q(m.target)}`)
    } else {
      const isDir = statSync(m.source).isDirectory()
      lines.push(isDir ? `mkdir -p ${q(m.target)}` : `touch ${q(m.target)}`)
      lines.push(`${tools.mount} --bind ${shQuote(m.source)} ${q(m.target)}`)
    }
    if (m.readOnly) lines.push(`${tools.mount} -o remount,bind,ro ${q(m.target)}`)
  }

  const env = Object.entries(spec.env)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => shQuote(`${k}=${v}`))
  lines.push(
    [
      'exec',
      tools.chroot,
      '"$R"',
      tools.setpriv,
      `--reuid=${spec.uid}`,
      `--regid=${spec.gid}`,
      '--clear-groups',
      '--no-new-privs',
      '--inh-caps=-all',
      '--bounding-set=-all',
      '/usr/bin/env',
      '-i',
      '-C',
      shQuote(spec.cwd),
      ...env,
      ...spec.command.map(shQuote),
    ].join(' '),
  )
  return `${lines.join('\n')}\n`
}
