// Runs a program with absolute in-container paths (such as /config and /secrets) mapped to
// folders of the test, without creating anything on the host: in a private mount namespace,
// an overlay of the root filesystem (writes land in a tmpfs) gets the folders bound in, and
// the program runs chrooted into it. Nothing outlives the process.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { requireNamespaces } from '../_bundle-support.js'

const sq = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`

/** What the program printed and how it ended. */
export interface MappedRunResult {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

/**
 * Runs `command` (program and arguments, absolute paths as seen inside) where each key of
 * `binds` (an absolute path) shows the host folder it names. Bounded by `timeoutMs`.
 */
export function runWithMappedPaths(
  binds: Readonly<Record<string, string>>,
  command: readonly string[],
  timeoutMs = 120_000,
): MappedRunResult {
  const unshare = requireNamespaces()
  const scratch = mkdtempSync(join(tmpdir(), 'mapped-root-'))
  try {
    const root = `${scratch}/root`
    const lines = [
      'set -eu',
      `mount -t tmpfs tmpfs ${sq(scratch)}`,
      `mkdir ${sq(`${scratch}/upper`)} ${sq(`${scratch}/work`)} ${sq(root)}`,
      `mount -t overlay overlay -o ${sq(`lowerdir=/,upperdir=${scratch}/upper,workdir=${scratch}/work`)} ${sq(root)}`,
      `mount --rbind /dev ${sq(`${root}/dev`)}`,
      `mount -t proc proc ${sq(`${root}/proc`)}`,
    ]
    for (const [inside, host] of Object.entries(binds).sort()) {
      if (!/^\/[A-Za-z0-9_./-]+$/.test(inside) || inside.includes('..')) throw new Error(`cannot map ${inside}`)
      lines.push(`mkdir -p ${sq(`${root}${inside}`)}`, `mount --bind ${sq(host)} ${sq(`${root}${inside}`)}`)
    }
    lines.push(`exec chroot ${sq(root)} ${command.map(sq).join(' ')}`)
    mkdirSync(scratch, { recursive: true })
    const result = spawnSync(unshare, ['-m', '--propagation', 'private', 'sh', '-c', lines.join('\n')], {
      encoding: 'utf8',
      timeout: timeoutMs,
    })
    if (result.error !== undefined) throw result.error
    return { status: result.status, stdout: result.stdout, stderr: result.stderr }
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}
