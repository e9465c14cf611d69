/**
 * What only the real lk-jwt-service shows: its bundled health probe against the rendered env
 * and compose health check, and delegated delayed leave driven by LiveKit's webhook.
 */
import { chmodSync, chownSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { posix } from 'node:path'
import { parse, stringify } from 'yaml'
import { BUNDLE_PATHS, LK_JWT_DEFAULT_PORT, deriveValues } from '@messenger-stack/config-schema'
import { parseEnvFile } from '../harness/compose-services.js'
import { execInContainer, stopService } from '../harness/processes.js'
import { waitFor } from '../harness/wait.js'
import { check, getJson, type StepContext } from './context.js'
import { getToken, memberOf, openIdToken, passwordLogin, signalJoin, signalLeave } from './matrix-rtc.js'
import { cli } from './steps-matrix.js'
import type { ChatState } from './steps-matrix.js'
import { containerSpecFor, readCompose, startService } from './stack.js'

/**
 * Runs the compose health check's `test` (exec form) inside the running container, or, when
 * compose disables it, the image's own probe, and says how it ended.
 */
async function probe(ctx: StepContext, name: string, serviceKey: string, bundleDir: string) {
  const { uid, gid } = ctx.spec.containerUser
  const view = readCompose(bundleDir, BUNDLE_PATHS.composeStandalone, uid, gid).get('lk-jwt-service')
  check(view !== undefined, `${bundleDir} has no lk-jwt-service`)
  const env = parseEnvFile(readFileSync(posix.join(bundleDir, BUNDLE_PATHS.lkJwtEnv), 'utf8'))
  const healthcheck = view.healthcheck
  const enabled = healthcheck?.disable !== true
  const test = healthcheck?.test ?? []
  check(!enabled || test[0] === 'CMD', `${name}: compose health check is not in exec form: ${JSON.stringify(healthcheck)}`)
  const command = enabled ? test.slice(1) : ['/lk-jwt-service-healthcheck']
  const service = ctx.services.get(serviceKey)
  const spec = ctx.containerSpecs.get(serviceKey)
  check(service !== undefined && spec !== undefined, `${serviceKey} is not running`)
  const result = await execInContainer(service, spec, ctx.plan.tools, command)
  return { enabled, bind: env.LIVEKIT_JWT_BIND, command, ...result }
}

/**
 * The compose health check and the env file agree, for the test's port (8081, where the
 * image's probe cannot work, so compose turns it off) and for the default port (a second
 * bundle rendered with `livekit.jwtPort` unset, its lk-jwt-service in a private network
 * namespace so that 8080 is free): the probe passes exactly where compose runs it.
 */
export async function lkJwtHealthCheck(ctx: StepContext, details: Record<string, unknown>): Promise<void> {
  const main = await probe(ctx, `jwtPort ${ctx.spec.livekit.jwtPort}`, 'lk-jwt-service', ctx.plan.bundleDir)
  details[`jwtPort ${ctx.spec.livekit.jwtPort}`] = main
  check(ctx.spec.livekit.jwtPort !== LK_JWT_DEFAULT_PORT, 'the test stack is meant to use a non-default jwtPort')
  check(main.bind === `:${ctx.spec.livekit.jwtPort}`, `LIVEKIT_JWT_BIND is ${String(main.bind)}`)
  check(!main.enabled, 'compose runs a health check that the image probe cannot pass with LIVEKIT_JWT_BIND set')
  // The reason compose turns it off: the bundled probe fails with this env (upstream bug).
  check(main.code !== 0, `the image probe passed with LIVEKIT_JWT_BIND=${main.bind}: compose could enable it (${main.output})`)

  // A bundle on the default port, rendered by the CLI from the same spec and secrets.
  const dir = posix.join(ctx.plan.workDir, 'default-jwt-port')
  const { uid, gid } = ctx.spec.containerUser
  mkdirSync(dir, { recursive: true })
  chownSync(dir, uid, gid)
  chmodSync(dir, 0o755)
  const specDoc = parse(readFileSync(ctx.plan.specFile, 'utf8'))
  delete specDoc.livekit.jwtPort
  writeFileSync(posix.join(dir, 'deployment.yaml'), stringify(specDoc))
  chownSync(posix.join(dir, 'deployment.yaml'), uid, gid)
  await cli(ctx, ['render', posix.join(dir, 'deployment.yaml'), '--out', dir, '--secrets', posix.join(ctx.plan.bundleDir, 'secrets')])
  // The same secrets folder, where compose expects it (./secrets).
  symlinkSync(posix.join(ctx.plan.bundleDir, 'secrets'), posix.join(dir, 'secrets'))
  const view = readCompose(dir, BUNDLE_PATHS.composeStandalone, uid, gid).get('lk-jwt-service')
  check(view !== undefined, 'the default-port bundle has no lk-jwt-service')
  const spec = { ...containerSpecFor(ctx.plan, view), name: 'lk-jwt-default-port', privateNetwork: true }
  const service = startService(ctx.plan, spec)
  ctx.services.set('lk-jwt-default-port', service)
  ctx.containerSpecs.set('lk-jwt-default-port', spec)
  try {
    await waitFor(
      'lk-jwt-service on the default port starts listening',
      async () => (readFileSync(service.logFile, 'utf8').includes('Starting service') ? true : undefined),
      { timeoutMs: 20_000, abort: () => (service.hasExited() ? `it exited; see ${service.logFile}` : undefined) },
    )
    const deflt = await waitFor(
      'the compose health check passes on the default port',
      async () => {
        const r = await probe(ctx, `jwtPort ${LK_JWT_DEFAULT_PORT}`, 'lk-jwt-default-port', dir)
        if (r.code === 0) return r
        throw new Error(`probe exited ${r.code}: ${r.output}`)
      },
      { timeoutMs: 20_000, intervalMs: 500 },
    )
    details[`jwtPort ${LK_JWT_DEFAULT_PORT}`] = deflt
    check(deflt.enabled, 'compose turns the health check off on the default port, where it works')
    check(deflt.bind === undefined, `LIVEKIT_JWT_BIND is set on the default port (${deflt.bind}), which breaks the probe`)
    check(readFileSync(service.logFile, 'utf8').includes('Handler: health check'), 'the probe passed without reaching /healthz')
  } finally {
    await stopService(service)
    ctx.services.delete('lk-jwt-default-port')
    ctx.containerSpecs.delete('lk-jwt-default-port')
  }
}

/** `Job: FSM transition` lines lk-jwt-service logged (from, to, event). */
function fsmTransitions(logFile: string): string[] {
  return readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((l) => l.includes('Job: FSM transition'))
    .map((l) => l.replace(/^.*Job: FSM transition/, '').trim())
}

/**
 * MSC4140 delegated leave, end to end: bob schedules a delayed "left the call" state event in
 * Synapse, hands it to lk-jwt-service through `/delegate_delayed_leave` (nginx), joins
 * LiveKit, and hangs up. LiveKit's webhook (`/sfu_webhook`) tells lk-jwt-service, which sends
 * the delayed event at once: the state event appears in the room long before its delay.
 */
export async function delegatedLeave(ctx: StepContext, state: ChatState, details: Record<string, unknown>): Promise<void> {
  check(state.roomId !== undefined && state.alice !== undefined, 'no room (the chat step failed)')
  const roomId = state.roomId
  // As Element Call does for its rooms: anyone in the room may post call membership.
  const alice = state.alice!
  const levels = await alice.getStateEvent(roomId, 'm.room.power_levels', '')
  await alice.sendStateEvent(
    roomId,
    'm.room.power_levels' as never,
    {
      ...levels,
      events: { ...(levels.events ?? {}), 'org.matrix.msc3401.call.member': 0 },
    } as never,
  )
  const bob = await passwordLogin(ctx, 'bob')
  const member = memberOf(bob)
  const stateKey = `_${bob.userId}_${bob.deviceId}_m.call`
  const stateUrl = `${ctx.publicUrl}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/state/org.matrix.msc3401.call.member/${encodeURIComponent(stateKey)}`
  const auth = { Authorization: `Bearer ${bob.accessToken}`, 'Content-Type': 'application/json' }
  const delayMs = 600_000
  const delayed = await getJson(`${stateUrl}?org.matrix.msc4140.delay=${delayMs}`, { method: 'PUT', headers: auth, body: '{}' })
  details.delayedStatus = delayed.status
  check(
    delayed.status === 200 && typeof delayed.body?.delay_id === 'string',
    `delayed state event: ${delayed.status} ${delayed.text.slice(0, 200)}`,
  )
  const before = await getJson(stateUrl, { headers: auth })
  details.stateBefore = before.status
  check(before.status === 404, `the delayed event is already in the room (${before.status})`)

  const openid = await openIdToken(ctx, bob)
  const token = await getToken(ctx, roomId, openid, member)
  check(token.status === 200, `get_token for bob answered ${token.status}: ${token.text.slice(0, 200)}`)
  const delegate = await getJson(`${deriveValues(ctx.spec).livekitServiceUrl}/delegate_delayed_leave`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      room_id: roomId,
      slot_id: 'm.call#ROOM',
      openid_token: openid,
      member,
      delay_id: delayed.body.delay_id,
      delay_timeout: delayMs,
    }),
  })
  details.delegateStatus = delegate.status
  check(delegate.status === 200, `/delegate_delayed_leave answered ${delegate.status}: ${delegate.text.slice(0, 300)}`)

  const jwtLog = ctx.services.get('lk-jwt-service')!.logFile
  const { ws } = await signalJoin(token.body.url, token.body.jwt)
  try {
    await waitFor(
      'lk-jwt-service sees bob in the LiveKit room',
      async () => (fsmTransitions(jwtLog).some((t) => /to=Connected/.test(t)) ? true : undefined),
      {
        timeoutMs: 20_000,
      },
    )
  } finally {
    await signalLeave(ws)
  }
  const after = await waitFor(
    'the delayed leave event is sent after bob hangs up',
    async () => {
      const r = await getJson(stateUrl, { headers: auth })
      return r.status === 200 ? r : undefined
    },
    { timeoutMs: 30_000, intervalMs: 500 },
  )
  details.stateAfter = after.body
  details.transitions = fsmTransitions(jwtLog)
  check(
    fsmTransitions(jwtLog).some((t) => /event=ParticipantDisconnectedIntentionally/.test(t)),
    'lk-jwt-service never got the LiveKit webhook for the hang-up (no ParticipantDisconnectedIntentionally transition)',
  )
  // It sent that event to Synapse over the internal network (LIVEKIT_CS_API_URL_OVERRIDES), not
  // through the public address its well-known discovery would find: nginx never saw it.
  const viaNginx = readFileSync(ctx.services.get('nginx')!.logFile, 'utf8')
    .split('\n')
    .filter((line) => line.includes('/org.matrix.msc4140/delayed_events/'))
  details.delayedEventActionsViaNginx = viaNginx.length
  check(viaNginx.length === 0, `lk-jwt-service sent delayed-event actions through the public nginx: ${viaNginx.join(' | ').slice(0, 300)}`)
}
