/**
 * The namespace runner: executed by the vitest test INSIDE a private mount+network+pid
 * namespace (loopback only, test hosts file), as root of that namespace. Starts the stack
 * from the rendered bundle, runs every scenario step, records each step's result, and always
 * stops what it started. Usage: node --conditions=@messenger-stack/source --import <tsx> main.ts <plan.json>
 */
import { readFileSync } from 'node:fs'
import type { Server } from 'node:net'
import { BUNDLE_PATHS, CONTAINER_PORTS, SECRET_FILES, containerName, smtpPort } from '@messenger-stack/config-schema'
import { loadDeploymentSpec } from '@messenger-stack/config-schema/node'
import { forwardTcp } from '../harness/tcp-forward.js'
import type { RunningService } from '../harness/processes.js'
import { waitFor } from '../harness/wait.js'
import type { StepContext } from './context.js'
import type { RunnerPlan } from './plan.js'
import { ResultRecorder } from './results.js'
import { containerSpecFor, readCompose, startService, stopAll, tcpExchange, startedServices, unexpectedInputs, waitHttp } from './stack.js'
import { clientVersions, registrationRefused, signingKey, wellKnownClient } from './steps-http.js'
import { chat, registerUsers, uploads, type ChatState } from './steps-matrix.js'
import { microservice } from './steps-microservice.js'
import { delegatedLeave, lkJwtHealthCheck } from './steps-lk-jwt.js'
import { elementCall, elementCallJoin } from './steps-element-call.js'
import { callMedia } from './steps-media.js'
import { clientAddressBehindStream, turnTlsHandshake } from './steps-turn-tls.js'
import { MEDIA_NODE_IP } from '../harness/prepare.js'
import { matrixRtc } from './steps-rtc.js'
import { nonRoot, passwordsRequired, postgresMajor, residentMemory } from './steps-system.js'
import { passwordResetByEmail } from './steps-email.js'
import { metrics } from './steps-metrics.js'
import { startSmtpSink, type SmtpSink } from '../harness/smtp-sink.js'
import { startWorkersStack, workersServeRequests } from './steps-workers.js'

const plan = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as RunnerPlan
const recorder = new ResultRecorder(plan.resultsFile, plan.onlySteps)
const services = new Map<string, RunningService>()
/** The workers bundle's stack, started once the main scenario's is stopped. */
const workerServices = new Map<string, RunningService>()
const forwarders: Server[] = []
let smtpSink: SmtpSink | undefined

const hardStop = setTimeout(() => {
  recorder.results.fatal = `time limit of ${plan.timeLimitMs} ms reached`
  recorder.flush()
  void stopAll(services)
    .then(() => stopAll(workerServices))
    .finally(() => process.exit(3))
}, plan.timeLimitMs)

async function main(): Promise<void> {
  const spec = await loadDeploymentSpec(plan.specFile)
  const { uid, gid } = spec.containerUser
  const ctx: StepContext = {
    plan,
    spec,
    publicUrl: `https://${spec.matrixHost ?? spec.serverName}`,
    synapseUrl: `http://${containerName(spec, 'synapse')}:${spec.synapse.httpPort}`,
    services,
    containerSpecs: new Map(),
    users: new Map(),
  }
  const chatState: ChatState = {}

  const started = await recorder.step('stack starts from the rendered bundle and becomes healthy', async (d) => {
    const compose = readCompose(plan.bundleDir, BUNDLE_PATHS.composeStandalone, uid, gid)
    const specs = startedServices(spec).map((name) => {
      const view = compose.get(name)
      if (view === undefined) throw new Error(`the rendered compose file has no '${name}' service`)
      if (view.user.uid !== uid || view.user.gid !== gid)
        throw new Error(`${name} runs as ${view.user.uid}:${view.user.gid}, not the spec's ${uid}:${gid}`)
      return containerSpecFor(plan, view)
    })
    const allowedCerts = new Set([plan.certs.cert, plan.certs.key])
    const unexpected = unexpectedInputs(plan, specs, plan.bundleDir).filter(
      (line) => ![...allowedCerts].some((c) => line.includes(`: ${c} →`)),
    )
    d.unexpectedInputs = unexpected
    if (unexpected.length > 0) throw new Error(`mounts from outside the bundle and the image stand-ins: ${unexpected.join('; ')}`)
    const byName = new Map(specs.map((s) => [s.name, s]))
    const start = (name: string) => {
      const svc = startService(plan, byName.get(name)!)
      services.set(name, svc)
      ctx.containerSpecs.set(name, byName.get(name)!)
      recorder.results.logs[name] = svc.logFile
      recorder.flush()
      return svc
    }
    const alive = (svc: RunningService) => () => (svc.hasExited() ? `${svc.name} exited; see ${svc.logFile}` : undefined)
    const t0 = Date.now()
    const pg = start('postgres')
    const redis = start('redis')
    await waitFor(
      'postgres accepts TCP connections',
      () => tcpExchange(containerName(spec, 'postgres'), CONTAINER_PORTS.postgres, '', () => true, 1_000).then(() => true),
      {
        timeoutMs: 60_000,
        abort: alive(pg),
      },
    )
    // The entrypoint's temporary server listens on the socket only: TCP means init is done.
    await waitFor(
      'redis answers',
      () =>
        tcpExchange(containerName(spec, 'redis'), CONTAINER_PORTS.redis, 'PING\r\n', (a) => a.includes('\r\n'), 1_000).then((a) =>
          a.length > 0 ? true : undefined,
        ),
      {
        timeoutMs: 30_000,
        abort: alive(redis),
      },
    )
    d.dataStoresReadyMs = Date.now() - t0
    const email = spec.synapse.email
    if (email?.smtpUser !== undefined) {
      // The mail provider, up before Synapse: it knows the account by the secrets folder's password.
      smtpSink = await startSmtpSink({
        python: plan.tools.python3,
        script: `${plan.repoRoot}/e2e/real-stack/harness/smtp-sink.py`,
        host: '127.0.0.1',
        port: smtpPort(email),
        cert: plan.certs.cert,
        key: plan.certs.key,
        user: email.smtpUser,
        passwordFile: `${plan.bundleDir}/${BUNDLE_PATHS.secretsDir}/${SECRET_FILES.smtpPassword}`,
        workDir: plan.workDir,
      })
      recorder.results.logs['smtp-sink'] = smtpSink.logFile
    }
    const synapse = start('synapse')
    const livekit = start('livekit')
    await waitHttp(`${ctx.synapseUrl}/health`, synapse, 90_000)
    d.synapseReadyMs = Date.now() - t0
    await waitFor(
      'Synapse subscribed to Redis',
      async () => (readFileSync(synapse.logFile, 'utf8').includes('Successfully subscribed to redis stream') ? true : undefined),
      {
        timeoutMs: 20_000,
        abort: alive(synapse),
      },
    )
    await waitHttp(`http://${containerName(spec, 'livekit')}:${spec.livekit.httpPort}/`, livekit, 30_000)
    const jwt = start('lk-jwt-service')
    await waitHttp(`http://${containerName(spec, 'lk-jwt-service')}:${spec.livekit.jwtPort}/healthz`, jwt, 30_000)
    const nginx = start('nginx')
    // Docker's port publishing: 443 → 8443 and 80 → 8080 of the nginx container, on every
    // address (the veth address LiveKit advertises carries the TURN domain).
    forwarders.push(
      await forwardTcp('127.0.0.1', 443, CONTAINER_PORTS.nginxHttps),
      await forwardTcp('127.0.0.1', 80, CONTAINER_PORTS.nginxHttp),
      await forwardTcp(MEDIA_NODE_IP, 443, CONTAINER_PORTS.nginxHttps),
    )
    await waitHttp(`${ctx.publicUrl}/_matrix/client/versions`, nginx, 30_000)
    d.allReadyMs = Date.now() - t0
    d.pids = Object.fromEntries([...services].map(([n, s]) => [n, s.pid]))
  })

  if (started) {
    await recorder.step('client well-known through nginx', (d) => wellKnownClient(ctx, d))
    await recorder.step('client versions through nginx', (d) => clientVersions(ctx, d))
    await recorder.step('TURN/TLS: a TLS session for the TURN domain on 443 reaches LiveKit through nginx', (d) => turnTlsHandshake(ctx, d))
    await recorder.step('nginx: the HTTPS servers behind the stream server see the client address', (d) =>
      clientAddressBehindStream(ctx, d),
    )
    await recorder.step('federation signing key through nginx', (d) => signingKey(ctx, d))
    await recorder.step('register-user creates an admin and a second user', (d) => registerUsers(ctx, d))
    await recorder.step('matrix-js-sdk: login, room, invite, join, messages both ways', (d) => chat(ctx, chatState, d))
    await recorder.step('uploads: just under the limit accepted, just over refused', (d) => uploads(ctx, chatState, d))
    await recorder.step(
      'email: a password reset mail arrives over STARTTLS, authenticated with secrets/smtp_password, and its link resets the password',
      (d) => passwordResetByEmail(ctx, chatState, smtpSink, d),
    )
    await recorder.step('MatrixRTC: transports, OpenID token exchange, SFU join', (d) => matrixRtc(ctx, chatState, d))
    await recorder.step('lk-jwt-service: delegated delayed leave sent on hang-up (LiveKit webhook)', (d) =>
      delegatedLeave(ctx, chatState, d),
    )
    await recorder.step('lk-jwt-service: compose health check agrees with the env on both ports', (d) => lkJwtHealthCheck(ctx, d))
    await recorder.step('call media: direct UDP through the mux port', (d) => callMedia(ctx, chatState, 'udp', d))
    await recorder.step('call media: ICE over TCP on a network that drops UDP', (d) => callMedia(ctx, chatState, 'tcp', d))
    await recorder.step('call media: relay-only through LiveKit TURN/UDP', (d) => callMedia(ctx, chatState, 'turn-udp', d))
    await recorder.step('call media: relay-only through TURN/TLS on 443 of the TURN domain', (d) =>
      callMedia(ctx, chatState, 'turn-tls', d),
    )
    await recorder.step('Element Call: logged-out start screen against the test homeserver', (d) => elementCall(ctx, d))
    await recorder.step('Element Call: log in, join the call of a room (MatrixRTC membership, LiveKit media), hang up', (d) =>
      elementCallJoin(ctx, d),
    )
    await recorder.step('microservice: gateway-proxy.conf serves the same client calls', (d) => microservice(ctx, d))
    await recorder.step(
      'metrics: real Synapse and LiveKit answer the targets of the rendered prometheus.yml; not on the client listener, not through nginx',
      (d) => metrics(ctx, d),
    )
    await recorder.step('security: services run as the configured non-root user', (d) => nonRoot(ctx, d))
    await recorder.step('security: PostgreSQL and Redis refuse clients without their passwords', (d) => passwordsRequired(ctx, d))
    await recorder.step('security: registration without a token is refused', (d) => registrationRefused(ctx, d))
    await recorder.step('PostgreSQL: the pinned major runs the rendered init script and settings', (d) => postgresMajor(ctx, d))
    await recorder.step('resources: resident memory of the small profile', (d) => residentMemory(ctx, d))
  }
  chatState.alice?.stopClient()
  chatState.bob?.stopClient()

  // The workers bundle: same host names and ports, so the main scenario's stack stops first.
  await stopAll(services)
  services.clear()
  const workersSpec = await loadDeploymentSpec(plan.workersSpecFile)
  const wctx: StepContext = {
    ...ctx,
    plan: { ...plan, bundleDir: plan.workersBundleDir, specFile: plan.workersSpecFile },
    spec: workersSpec,
    services: workerServices,
    containerSpecs: new Map(),
    users: new Map(),
  }
  const workersState: ChatState = {}
  const workersUp = await recorder.step(
    'workers (small preset): main process, generic worker and federation sender start from the rendered bundle over Redis replication',
    async (d) => {
      try {
        await startWorkersStack(wctx, d)
      } finally {
        for (const [name, svc] of workerServices) recorder.results.logs[`workers-${name}`] = svc.logFile
      }
    },
  )
  if (workersUp) {
    await recorder.step('workers: /sync and a federation read are served by the generic worker (its own log), and messages flow', (d) =>
      workersServeRequests(wctx, workersState, d),
    )
    await recorder.step('workers: resident memory per Synapse process', (d) => residentMemory(wctx, d))
  }
  workersState.alice?.stopClient()
  workersState.bob?.stopClient()
}

main()
  .catch((err) => {
    recorder.results.fatal = err instanceof Error ? (err.stack ?? err.message) : String(err)
  })
  .finally(async () => {
    for (const f of forwarders) f.close()
    smtpSink?.stop()
    await stopAll(services)
    await stopAll(workerServices)
    recorder.results.finished = true
    recorder.flush()
    clearTimeout(hardStop)
    process.exit(0)
  })
