/**
 * Synapse workers on the real stack: the workers bundle (preset `small`: the main process, a
 * generic worker and a federation sender, replicating over Redis) starts from its rendered
 * compose file after the main scenario has stopped its own stack, and its rendered nginx site
 * routes /sync and federation reads to the generic worker, as the worker's own access log shows.
 */
import { readFileSync } from 'node:fs'
import { BUNDLE_PATHS, CONTAINER_PORTS, containerName, synapseWorkers, workerHost, workerPorts } from '@messenger-stack/config-schema'
import type { RunningService } from '../harness/processes.js'
import { waitFor } from '../harness/wait.js'
import { check, getJson, type StepContext } from './context.js'
import { containerSpecFor, readCompose, startService, startedServices, tcpExchange, unexpectedInputs, waitHttp } from './stack.js'
import { chat, registerUsers, type ChatState } from './steps-matrix.js'

/** Log names of the workers stack: its own files, apart from the main scenario's. */
const logName = (service: string) => `workers-${service}`

/** The compose services of the workers stack in start order, every worker by its own name. */
function composeKeys(ctx: StepContext): string[] {
  return startedServices(ctx.spec).flatMap((service) =>
    service === 'synapse-worker' ? synapseWorkers(ctx.spec).map((worker) => worker.name) : [service],
  )
}

/** Starts the workers bundle's stack (into `ctx.services`) and waits until every process is healthy. */
export async function startWorkersStack(ctx: StepContext, details: Record<string, unknown>): Promise<void> {
  const { uid, gid } = ctx.spec.containerUser
  const compose = readCompose(ctx.plan.bundleDir, BUNDLE_PATHS.composeStandalone, uid, gid)
  const keys = composeKeys(ctx)
  details.services = keys
  const workers = synapseWorkers(ctx.spec)
  check(
    workers.map((worker) => worker.name).join(' ') === 'synapse-generic-1 synapse-federation-sender-1',
    `the small preset runs ${workers.map((w) => w.name).join(', ')}`,
  )
  const specs = keys.map((key) => {
    const view = compose.get(key)
    check(view !== undefined, `the rendered compose file has no '${key}' service`)
    check(view.user.uid === uid && view.user.gid === gid, `${key} runs as ${view.user.uid}:${view.user.gid}`)
    return containerSpecFor(ctx.plan, view)
  })
  const unexpected = unexpectedInputs(ctx.plan, specs, ctx.plan.bundleDir).filter(
    (line) => !line.includes(`: ${ctx.plan.certs.cert} →`) && !line.includes(`: ${ctx.plan.certs.key} →`),
  )
  check(unexpected.length === 0, `mounts from outside the bundle and the image stand-ins: ${unexpected.join('; ')}`)
  const byName = new Map(specs.map((spec) => [spec.name, spec]))
  const start = (name: string): RunningService => {
    const svc = startService(ctx.plan, byName.get(name)!, logName(name))
    ctx.services.set(name, svc)
    ctx.containerSpecs.set(name, byName.get(name)!)
    return svc
  }
  const alive = (svc: RunningService) => () => (svc.hasExited() ? `${svc.name} exited; see ${svc.logFile}` : undefined)
  const t0 = Date.now()
  const pg = start('postgres')
  const redis = start('redis')
  await waitFor(
    'postgres accepts TCP connections',
    () => tcpExchange(containerName(ctx.spec, 'postgres'), CONTAINER_PORTS.postgres, '', () => true, 1_000).then(() => true),
    { timeoutMs: 60_000, abort: alive(pg) },
  )
  await waitFor(
    'redis answers',
    () =>
      tcpExchange(containerName(ctx.spec, 'redis'), CONTAINER_PORTS.redis, 'PING\r\n', (a) => a.includes('\r\n'), 1_000).then((a) =>
        a.length > 0 ? true : undefined,
      ),
    { timeoutMs: 30_000, abort: alive(redis) },
  )
  const main = start('synapse')
  await waitHttp(`${ctx.synapseUrl}/health`, main, 90_000)
  details.mainReadyMs = Date.now() - t0
  // Workers wait for a healthy main process (compose depends_on), then start together.
  const started = workers.map((worker) => [worker, start(worker.name)] as const)
  for (const [worker, svc] of started) {
    await waitHttp(`http://${workerHost(ctx.spec, worker)}:${workerPorts(worker).http}/health`, svc, 90_000)
  }
  // Replication: every Synapse process subscribes to the Redis stream.
  for (const svc of [main, ...started.map(([, svc]) => svc)]) {
    await waitFor(
      `${svc.name} subscribed to Redis`,
      async () => (readFileSync(svc.logFile, 'utf8').includes('Successfully subscribed to redis stream') ? true : undefined),
      { timeoutMs: 30_000, abort: alive(svc) },
    )
  }
  details.workersReadyMs = Date.now() - t0
  const nginx = start('nginx')
  // The main scenario's port forwarders (443 → 8443) reach this nginx too.
  await waitHttp(`${ctx.publicUrl}/_matrix/client/versions`, nginx, 30_000)
  details.allReadyMs = Date.now() - t0
  details.pids = Object.fromEntries([...ctx.services].map(([n, s]) => [n, s.pid]))
}

/** The access-log lines of a Synapse process for requests to `path` (any query string). */
function servedLines(svc: RunningService | undefined, method: string, path: string): string[] {
  if (svc === undefined) return []
  return readFileSync(svc.logFile, 'utf8')
    .split('\n')
    .filter((line) => line.includes('Processed request') && (line.includes(`"${method} ${path} `) || line.includes(`"${method} ${path}?`)))
}

/**
 * Two users chat through nginx (event sending, sync and room requests reach the generic worker,
 * which hands writes to the main process over replication); a sync and a federation read go
 * through nginx too. The generic worker's own access log must show both, and the main
 * process's must show neither.
 */
export async function workersServeRequests(ctx: StepContext, state: ChatState, details: Record<string, unknown>): Promise<void> {
  await registerUsers(ctx, details)
  await chat(ctx, state, details)
  const login = await getJson(`${ctx.publicUrl}/_matrix/client/v3/login`, {
    method: 'POST',
    body: JSON.stringify({
      type: 'm.login.password',
      identifier: { type: 'm.id.user', user: 'bob' },
      password: ctx.users.get('bob')!.password,
    }),
  })
  check(login.status === 200, `bob cannot log in through nginx: ${login.status}`)
  const sync = await getJson(`${ctx.publicUrl}/_matrix/client/v3/sync?timeout=0`, {
    headers: { Authorization: `Bearer ${login.body.access_token}` },
  })
  check(sync.status === 200, `sync through nginx answered ${sync.status}`)
  const version = await getJson(`${ctx.publicUrl}/_matrix/federation/v1/version`)
  details.federationVersion = version.body
  check(version.status === 200 && version.body?.server?.name === 'Synapse', `federation version answered ${version.status}`)
  const generic = ctx.services.get('synapse-generic-1')
  const main = ctx.services.get('synapse')
  const workerSyncs = servedLines(generic, 'GET', '/_matrix/client/v3/sync')
  const workerFederation = servedLines(generic, 'GET', '/_matrix/federation/v1/version')
  // Messages: sent through the generic worker, which has the main process (the events writer)
  // persist them over the replication listener.
  const workerSends = (generic === undefined ? '' : readFileSync(generic.logFile, 'utf8'))
    .split('\n')
    .filter(
      (line) => line.includes('Processed request') && /"PUT \/_matrix\/client\/v3\/rooms\/[^/ ]+\/send\/m\.room\.message\//.test(line),
    )
  const mainPersisted = (main === undefined ? '' : readFileSync(main.logFile, 'utf8'))
    .split('\n')
    .filter((line) => line.includes('Processed request') && line.includes('"POST /_synapse/replication/send_events/'))
  details.genericWorkerLog = { syncs: workerSyncs.length, federationReads: workerFederation.length, sends: workerSends.length }
  details.mainReplicationSendEvents = mainPersisted.length
  details.genericWorkerSample = [workerSyncs[0], workerFederation[0]]
  check(workerSyncs.length > 0, `the generic worker's log shows no /sync (see ${generic?.logFile})`)
  check(workerFederation.length > 0, `the generic worker's log shows no federation read (see ${generic?.logFile})`)
  check(workerSends.length >= 2 && mainPersisted.length >= 2, 'the messages did not go through the generic worker to the main process')
  const mainSyncs = servedLines(main, 'GET', '/_matrix/client/v3/sync')
  const mainFederation = servedLines(main, 'GET', '/_matrix/federation/v1/version')
  details.mainLog = { syncs: mainSyncs.length, federationReads: mainFederation.length }
  check(mainSyncs.length === 0 && mainFederation.length === 0, 'the main process served a /sync or a federation read')
  state.alice?.stopClient()
  state.bob?.stopClient()
}
