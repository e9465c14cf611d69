import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import type { DeploymentSpec } from '@messenger-stack/config-schema'
import { afterEach } from 'vitest'
import { cli, type CliDeps, type CliIo } from '../src/index.js'

/** A captured run of the CLI. */
export interface Run {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Options for {@link run}. */
export interface RunOptions {
  readonly cwd: string
  readonly deps?: Partial<CliDeps>
  readonly env?: Record<string, string | undefined>
  readonly uid?: number
  readonly gid?: number
  readonly isTTY?: boolean
  readonly stdin?: CliIo['stdin']
}

/** Runs `cli()` in-process with captured output; the user defaults to 1000:1000. */
export async function run(argv: readonly string[], options: RunOptions): Promise<Run> {
  let stdout = ''
  let stderr = ''
  const io: CliIo = {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
    isTTY: options.isTTY ?? false,
    cwd: options.cwd,
    env: options.env ?? {},
    getuid: () => options.uid ?? 1000,
    getgid: () => options.gid ?? 1000,
  }
  const code = await cli(argv, io, options.deps ?? {})
  return { code, stdout, stderr }
}

const temps: string[] = []
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A fresh temporary folder, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ms-cli-'))
  temps.push(dir)
  return dir
}

/** Every file below `dir` (relative path → content and mode), for before/after comparisons. */
export function snapshotTree(dir: string): Record<string, { content: string; mode: number }> {
  const out: Record<string, { content: string; mode: number }> = {}
  const walk = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      const full = join(folder, name)
      const info = statSync(full)
      if (info.isDirectory()) walk(full)
      else out[relative(dir, full)] = { content: readFileSync(full, 'utf8'), mode: info.mode & 0o777 }
    }
  }
  walk(dir)
  return out
}

/**
 * A small stand-in renderer for tests that need to steer which files exist: homeserver
 * and a script always; a LiveKit file only when calls are enabled.
 */
export function fakeRenderAll(spec: DeploymentSpec): { path: string; content: string; mode: number }[] {
  const files = [
    {
      path: 'synapse/config/homeserver.yaml',
      content: `server_name: ${spec.serverName}\npublic_baseurl: https://${spec.matrixHost ?? spec.serverName}/\n`,
      mode: 0o644,
    },
    { path: 'scripts/deploy.sh', content: `#!/bin/sh\necho deploying ${spec.serviceName}\n`, mode: 0o755 },
    { path: 'element/config.json', content: `{\n  "brand": ${JSON.stringify(spec.elementWeb.brand)}\n}\n`, mode: 0o644 },
  ]
  if (spec.livekit.enabled) files.push({ path: 'livekit/config.yaml', content: `port: ${spec.livekit.httpPort}\n`, mode: 0o644 })
  return files
}

/** A minimal valid standalone spec in YAML. */
export const MINIMAL_SPEC = [
  'serverName: example.org',
  'containerUser: {uid: 1000, gid: 1000}',
  'tls:',
  '  letsEncrypt:',
  '    email: admin@example.org',
  '',
].join('\n')
