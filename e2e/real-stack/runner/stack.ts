import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { posix } from 'node:path'
import { connect } from 'node:net'
import { startOrder, type DeploymentSpec, type ServiceName } from '@messenger-stack/config-schema'
import { readComposeServices, parseEnvFile, type ComposeServiceView } from '../harness/compose-services.js'
import type { ContainerMount, ContainerSpec } from '../harness/container.js'
import { imageBehaviour, standInPaths } from '../harness/image-stand-ins.js'
import { startContainer, stopService, type RunningService } from '../harness/processes.js'
import { waitFor } from '../harness/wait.js'
import type { RunnerPlan } from './plan.js'

/**
 * Compose services the test starts: the spec's services in the catalogue's start order, without
 * Element Web (a static web app no step exercises; nginx is started without waiting for it).
 */
export function startedServices(spec: DeploymentSpec): ServiceName[] {
  return startOrder(spec).filter((service) => service !== 'element-web')
}

/** The running stack. */
export interface Stack {
  readonly services: Map<string, RunningService>
  readonly compose: Map<string, ComposeServiceView>
}

/**
 * Named volumes are external volumes the deploy script binds to folders under the bundle's
 * `data/` (`<serviceName>-<kind>-data` → `data/<kind>`, owned by the container user, 0700).
 */
export function volumeHostDir(bundleDir: string, uid: number, gid: number): (volume: string) => string {
  return (volume) => {
    const m = /^[a-z][a-z0-9-]*?-([a-z-]+)-data$/.exec(volume)
    if (m === null) throw new Error(`unknown named volume '${volume}' (expected <serviceName>-<kind>-data)`)
    const dir = posix.join(bundleDir, 'data', m[1]!)
    if (!existsSync(dir)) {
      // As the deploy script's `install -d`: the parent `data/` is root's, 0755; each data folder the container user's, 0700.
      mkdirSync(posix.dirname(dir), { recursive: true, mode: 0o755 })
      mkdirSync(dir, { mode: 0o700 })
      chownSync(dir, uid, gid)
      chmodSync(dir, 0o700)
    }
    return dir
  }
}

/** The container spec of one compose service: compose first, the image stand-in below it. */
export function containerSpecFor(plan: RunnerPlan, view: ComposeServiceView): ContainerSpec {
  // Synapse's workers (compose keys `synapse-<kind>-<n>`) run the Synapse image.
  const image = imageBehaviour(/^synapse-[a-z-]+-\d+$/.test(view.name) ? 'synapse' : view.name, plan.tools, plan.standIns)
  const env: Record<string, string> = { ...image.env }
  for (const file of view.envFiles) Object.assign(env, parseEnvFile(readFileSync(file, 'utf8')))
  Object.assign(env, view.environment)
  const targets = new Set(view.mounts.map((m) => m.target))
  const mounts: ContainerMount[] = [...view.mounts, ...image.mounts.filter((m) => !targets.has(m.target))]
  return {
    name: view.name,
    uid: view.user.uid,
    gid: view.user.gid,
    env,
    cwd: '/',
    mounts,
    // Docker semantics: a compose `entrypoint` replaces the image's and drops its default command.
    command:
      view.entrypoint !== undefined
        ? [...view.entrypoint, ...(view.command ?? [])]
        : [...image.entrypoint, ...(view.command ?? image.defaultCommand)],
  }
}

/** Every mount source must be the bundle, a tmpfs or a listed image stand-in. */
export function unexpectedInputs(plan: RunnerPlan, specs: readonly ContainerSpec[], bundleDir: string): string[] {
  const allowed = new Set(standInPaths(plan.standIns, plan.tools))
  const bad: string[] = []
  for (const spec of specs) {
    for (const m of spec.mounts) {
      if (m.source === 'tmpfs' || allowed.has(m.source) || m.source.startsWith(`${bundleDir}/`)) continue
      bad.push(`${spec.name}: ${m.source} → ${m.target}`)
    }
  }
  return bad
}

/** Makes the log file writable for the container user (nginx reopens /dev/stdout). */
function prepareLog(workDir: string, name: string): void {
  mkdirSync(`${workDir}/logs`, { recursive: true })
  const file = `${workDir}/logs/${name}.log`
  writeFileSync(file, '', { flag: 'a' })
  chmodSync(file, 0o666)
}

/** Starts one compose service as its stand-in container. */
export function startService(plan: RunnerPlan, spec: ContainerSpec, logName = spec.name): RunningService {
  prepareLog(plan.workDir, logName)
  return startContainer(
    { ...spec, name: logName },
    {
      unshare: plan.tools.unshare,
      tools: { setpriv: plan.tools.setpriv, chroot: plan.tools.chroot, mount: plan.tools.mount, ip: plan.tools.ip },
      workDir: plan.workDir,
    },
  )
}

/** Reads the standalone compose file of the bundle. */
export function readCompose(bundleDir: string, composeFile: string, uid: number, gid: number): Map<string, ComposeServiceView> {
  // Like `docker compose` run in the bundle folder: `.env` there, if the operator made one.
  const dotEnv = posix.join(bundleDir, '.env')
  const vars = existsSync(dotEnv) ? parseEnvFile(readFileSync(dotEnv, 'utf8')) : {}
  return readComposeServices(readFileSync(posix.join(bundleDir, composeFile), 'utf8'), bundleDir, volumeHostDir(bundleDir, uid, gid), vars)
}

/** Sends raw bytes to a TCP port and collects the answer until `done` says so (bounded). */
export function tcpExchange(
  host: string,
  port: number,
  payload: string,
  done: (answer: string) => boolean,
  timeoutMs = 5_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = ''
    const socket = connect({ host, port })
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`no complete answer from ${host}:${port} within ${timeoutMs} ms (got ${JSON.stringify(answer)})`))
    }, timeoutMs)
    socket.on('connect', () => {
      if (payload === '' && done('')) {
        // A bare connect probe: the port accepts connections.
        clearTimeout(timer)
        socket.destroy()
        resolve('')
      } else socket.write(payload)
    })
    socket.on('data', (d) => {
      answer += d.toString('utf8')
      if (done(answer)) {
        clearTimeout(timer)
        socket.destroy()
        resolve(answer)
      }
    })
    socket.on('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
    socket.on('close', () => {
      clearTimeout(timer)
      resolve(answer)
    })
  })
}

/** Waits for an HTTP URL to answer `expectStatus`, aborting early if the service died. */
export async function waitHttp(url: string, service: RunningService, timeoutMs: number, expectStatus = 200): Promise<void> {
  await waitFor(
    `${service.name} at ${url}`,
    async () => {
      const res = await fetch(url, { signal: AbortSignal.timeout(3_000) })
      await res.arrayBuffer()
      if (res.status !== expectStatus) throw new Error(`HTTP ${res.status}`)
      return true
    },
    { timeoutMs, intervalMs: 300, abort: () => (service.hasExited() ? `the process exited; see ${service.logFile}` : undefined) },
  )
}

/** Stops every service (reverse start order); bounded. */
export async function stopAll(services: Map<string, RunningService>): Promise<void> {
  for (const s of [...services.values()].reverse()) await stopService(s)
}
