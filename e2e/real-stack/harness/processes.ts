import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, openSync, closeSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { containerScript, type ContainerSpec, type ContainerTools } from './container.js'

/** A started service: its process (the service itself after the execs), and its log. */
export interface RunningService {
  readonly name: string
  readonly pid: number
  readonly logFile: string
  readonly child: ChildProcess
  /** Resolves with the exit code (or signal) once the process ended. */
  readonly exited: Promise<string>
  hasExited(): boolean
}

/**
 * Starts a stand-in container in its own process group: `unshare -m` runs the generated
 * script, which execs through chroot, setpriv and env into the service, so the pid is the
 * service's. Output goes to `<logDir>/<name>.log`.
 */
export function startContainer(
  spec: ContainerSpec,
  opts: { readonly unshare: string; readonly tools: ContainerTools; readonly workDir: string },
): RunningService {
  const roots = join(opts.workDir, 'roots', spec.name)
  const logs = join(opts.workDir, 'logs')
  mkdirSync(roots, { recursive: true })
  mkdirSync(logs, { recursive: true })
  const scriptFile = join(opts.workDir, 'roots', `${spec.name}.sh`)
  writeFileSync(scriptFile, containerScript(spec, roots, opts.tools))
  const logFile = join(logs, `${spec.name}.log`)
  const fd = openSync(logFile, 'a')
  const namespaces = spec.privateNetwork === true ? ['--mount', '--net'] : ['--mount']
  const child = spawn(opts.unshare, [...namespaces, '--propagation', 'private', '/bin/sh', scriptFile], {
    detached: true,
    stdio: ['ignore', fd, fd],
    env: {},
  })
  closeSync(fd)
  let done = false
  const exited = new Promise<string>((resolve) => {
    child.on('exit', (code, signal) => {
      done = true
      resolve(signal === null ? `exit ${code}` : `signal ${signal}`)
    })
    child.on('error', (err) => {
      done = true
      resolve(`spawn error ${err.message}`)
    })
  })
  if (child.pid === undefined) throw new Error(`could not start ${spec.name}`)
  return { name: spec.name, pid: child.pid, logFile, child, exited, hasExited: () => done }
}

/** Stops a service's process group: SIGTERM, then SIGKILL after `graceMs`. Bounded. */
export async function stopService(service: RunningService, graceMs = 5_000): Promise<void> {
  if (service.hasExited()) return
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-service.pid, sig)
    } catch {
      /* already gone */
    }
  }
  signal('SIGTERM')
  const timer = new Promise((r) => setTimeout(r, graceMs))
  await Promise.race([service.exited, timer])
  if (!service.hasExited()) {
    signal('SIGKILL')
    await Promise.race([service.exited, new Promise((r) => setTimeout(r, 2_000))])
  }
}

/** What a command run inside a container printed, and how it ended. */
export interface ExecResult {
  readonly code: number | null
  readonly output: string
}

/**
 * Runs a command inside a running container, as `docker exec` (and a compose health check)
 * does: in the service's mount and network namespaces and root, as its user, with its
 * environment. Bounded by `timeoutMs`.
 */
export function execInContainer(
  service: RunningService,
  spec: ContainerSpec,
  tools: { readonly nsenter: string; readonly setpriv: string },
  command: readonly string[],
  timeoutMs = 10_000,
): Promise<ExecResult> {
  const env = Object.entries(spec.env).map(([k, v]) => `${k}=${v}`)
  const args = [
    `--target=${service.pid}`,
    '--mount',
    ...(spec.privateNetwork === true ? ['--net'] : []),
    '--root',
    '--wd',
    tools.setpriv,
    `--reuid=${spec.uid}`,
    `--regid=${spec.gid}`,
    '--clear-groups',
    '--no-new-privs',
    '--inh-caps=-all',
    '--bounding-set=-all',
    '/usr/bin/env',
    '-i',
    ...env,
    ...command,
  ]
  return new Promise((resolve) => {
    execFile(tools.nsenter, args, { timeout: timeoutMs, env: {} }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code ?? null) : null
      resolve({ code, output: `${stdout}${stderr}`.trim() })
    })
  })
}
