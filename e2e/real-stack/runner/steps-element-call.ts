/**
 * Element Call against the deployment, in headless Chromium: its logged-out start screen; then
 * a user registered by the test logs in through its UI and joins the call of a room from the
 * lobby: the MatrixRTC membership must be in the room's state (read through the Matrix API),
 * the device a publishing participant of the LiveKit room, and hanging up must end it.
 */
import { createHash } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { posix } from 'node:path'
import { TrackType } from '@livekit/protocol'
import { RoomServiceClient } from 'livekit-server-sdk'
import { waitFor } from '../harness/wait.js'
import { check, getJson, type StepContext } from './context.js'
import { CALL_ORIGIN, openElementCall, pageText, type ElementCallTab } from './element-call-app.js'
import { passwordLogin } from './matrix-rtc.js'
import { artifactsDir } from './steps-media.js'
import { cli } from './steps-matrix.js'
import { livekitSecret } from './steps-rtc.js'

/** The MatrixRTC membership state event (MSC3401 type, as Element Call and matrix-js-sdk send it). */
export const CALL_MEMBER_EVENT = 'org.matrix.msc3401.call.member'

async function screenshot(ctx: StepContext, tab: ElementCallTab, name: string, details: Record<string, unknown>): Promise<void> {
  const shot = posix.join(artifactsDir(ctx), `element-call-${name}.png`)
  try {
    await tab.page.screenshot({ path: shot, timeout: 15_000 })
    details[`screenshot.${name}`] = shot
    console.log(`[runner] Element Call screenshot: ${shot}`)
  } catch (err) {
    details[`screenshot.${name}`] = `failed: ${(err as Error).message}`
  }
}

/** Runs `stage`; on failure the error names the stage and what the page showed. */
async function stage(ctx: StepContext, tab: ElementCallTab, name: string, details: Record<string, unknown>, fn: () => Promise<void>) {
  try {
    await fn()
  } catch (err) {
    await screenshot(ctx, tab, `failed-${name.replace(/\W+/g, '-')}`, details)
    details.pageErrors = tab.pageErrors
    details.consoleErrors = tab.consoleErrors.slice(-15)
    details.homeserverResponses = tab.homeserverResponses.slice(-25)
    throw new Error(`${name}: ${(err as Error).message.split('\n')[0]}\npage: ${await pageText(tab.page)}`)
  }
}

/** Element Call's logged-out start screen comes up without an error; a screenshot is kept. */
export async function elementCall(ctx: StepContext, details: Record<string, unknown>): Promise<void> {
  const tab = await openElementCall(ctx, 'element-call')
  try {
    await tab.page.getByText('Start new call').first().waitFor({ timeout: 60_000 })
    const text = await pageText(tab.page, 2_000)
    details.homeserverRequests = tab.homeserverResponses.slice(0, 10)
    details.pageErrors = tab.pageErrors
    await screenshot(ctx, tab, 'start', details)
    check(!/something went wrong/i.test(text), `Element Call shows an error: ${text.slice(0, 300)}`)
    check(/log in/i.test(text), `the start screen offers no log-in: ${text.slice(0, 300)}`)
  } finally {
    await tab.browser.close()
  }
}

/**
 * lk-jwt-service's names: unpadded standard base64 of SHA-256 over a JSON array; [room ID,
 * slot ID] is the LiveKit room of a MatrixRTC slot, [user, device, member ID] an identity.
 */
export function sha256Base64(parts: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64').replace(/=+$/, '')
}

/** A user of its own for Element Call (its device and rate limits apart from the other steps). */
async function registerCaller(ctx: StepContext): Promise<{ name: string; password: string }> {
  const name = 'carol'
  const password = `test-password-${name}-not-a-secret`
  const file = posix.join(ctx.plan.workDir, `${name}.password`)
  writeFileSync(file, `${password}\n`, { mode: 0o644 })
  await cli(ctx, [
    'register-user',
    name,
    '--password-file',
    file,
    '--url',
    ctx.synapseUrl,
    '--secrets',
    posix.join(ctx.plan.bundleDir, 'secrets'),
  ])
  ctx.users.set(name, { userId: `@${name}:${ctx.spec.serverName}`, password })
  return { name, password }
}

/**
 * The room a call happens in, made by the caller through the Matrix API with the settings
 * Element Call's own "Start new call" uses (public preset, its power levels), except one:
 * Element Call 0.26.1 also lists the creator in `users` of the power levels, which room
 * version 12 (Synapse's default since 1.13x, and so this deployment's) refuses with 400
 * "Creator user ... must not appear in content.users": a room from Element Call's home screen
 * cannot be created on this homeserver. In version 12 the creator has every power anyway.
 */
async function createCallRoom(ctx: StepContext, accessToken: string): Promise<string> {
  const r = await getJson(`${ctx.publicUrl}/_matrix/client/v3/createRoom`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      visibility: 'private',
      preset: 'public_chat',
      name: 'real-stack call',
      power_level_content_override: {
        invite: 100,
        kick: 100,
        ban: 100,
        redact: 50,
        state_default: 0,
        events_default: 0,
        users_default: 0,
        events: { 'm.room.power_levels': 100, 'm.room.history_visibility': 100, 'm.room.tombstone': 100, [CALL_MEMBER_EVENT]: 0 },
      },
    }),
  })
  check(r.status === 200 && typeof r.body?.room_id === 'string', `createRoom answered ${r.status}: ${r.text.slice(0, 300)}`)
  return r.body.room_id
}

/**
 * Log in through Element Call's UI (found by the app's own `data-testid` hooks), open the call
 * of a room, join it from the lobby; then the room's state has the caller's
 * `org.matrix.msc3401.call.member` event (naming a LiveKit focus) and the LiveKit room that
 * lk-jwt-service made for that Matrix room has a participant.
 */
export async function elementCallJoin(ctx: StepContext, details: Record<string, unknown>): Promise<void> {
  const caller = await registerCaller(ctx)
  const userId = ctx.users.get(caller.name)!.userId
  const tab = await openElementCall(ctx, 'element-call-caller', '/login')
  const { page } = tab
  try {
    // Element Call's log-in first: it does not wait out a 429 of the login rate limit.
    await stage(ctx, tab, 'log in', details, async () => {
      await page.getByTestId('login_username').fill(caller.name)
      await page.getByTestId('login_password').fill(caller.password)
      await page.getByTestId('login_login').click()
      // Logged in: the home screen's "Start new call" form.
      await page.getByTestId('home_callName').waitFor({ timeout: 60_000 })
    })
    // The test's own session of the caller, for the Matrix API calls.
    const login = await passwordLogin(ctx, caller.name)
    const auth = { headers: { Authorization: `Bearer ${login.accessToken}` } }
    const roomId = await createCallRoom(ctx, login.accessToken)
    details.roomId = roomId
    await stage(ctx, tab, 'open the call of the room', details, async () => {
      // Element Call's own link format for a room's call (what its invite links look like).
      await page.goto(`${CALL_ORIGIN}/room/#/real-stack-call?roomId=${encodeURIComponent(roomId)}`, { timeout: 60_000 })
      await page.getByTestId('lobby_joinCall').waitFor({ timeout: 60_000 })
    })
    await screenshot(ctx, tab, 'lobby', details)
    await stage(ctx, tab, 'join the call', details, async () => {
      await page.getByTestId('lobby_joinCall').click()
      await page.getByTestId('incall_leave').waitFor({ timeout: 60_000 })
    })
    details.url = page.url()

    // The Matrix side, through the API: the caller's membership in the room's state.
    const membership = await waitFor(
      `a ${CALL_MEMBER_EVENT} state event from ${userId}`,
      async () => {
        const state = await getJson(`${ctx.publicUrl}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/state`, auth)
        if (state.status !== 200) throw new Error(`room state answered ${state.status}`)
        const events = (state.body as any[]).filter((e) => e.type === CALL_MEMBER_EVENT)
        details.callMemberEvents = events.map((e) => ({ sender: e.sender, state_key: e.state_key, content: e.content }))
        return events.find((e) => e.sender === userId && Object.keys(e.content ?? {}).length > 0)
      },
      { timeoutMs: 30_000, intervalMs: 1_000 },
    )
    details.membership = membership
    const foci: any[] = [membership.content.focus_active, ...(membership.content.foci_preferred ?? [])].filter(Boolean)
    check(
      foci.some((f) => f.type === 'livekit'),
      `the membership names no LiveKit focus: ${JSON.stringify(membership.content)}`,
    )

    // The media side: the LiveKit room lk-jwt-service made for this Matrix room has the caller's
    // device (legacy identity `<user>:<device>`, or the hashed one of `/get_token`), publishing
    // the fake microphone and camera.
    const { device_id: deviceId, membershipID } = membership.content
    const identities = [`${userId}:${deviceId}`, sha256Base64([userId, deviceId, membershipID])]
    const alias = sha256Base64([roomId, 'm.call#ROOM'])
    details.livekitRoom = alias
    const livekit = new RoomServiceClient(ctx.publicUrl, ctx.spec.livekit.keyName, livekitSecret(ctx))
    const participant = await waitFor(
      `the caller's device publishing audio and video in LiveKit room ${alias}`,
      async () => {
        const participants = await livekit.listParticipants(alias)
        details.livekitParticipants = participants.map((p) => ({ identity: p.identity, tracks: p.tracks.map((t) => TrackType[t.type]) }))
        return participants.find(
          (p) =>
            identities.includes(p.identity) &&
            p.tracks.some((t) => t.type === TrackType.AUDIO) &&
            p.tracks.some((t) => t.type === TrackType.VIDEO),
        )
      },
      { timeoutMs: 30_000, intervalMs: 1_000 },
    )
    details.livekitIdentity = participant.identity
    await screenshot(ctx, tab, 'in-call', details)

    // Hanging up through the UI ends the membership (its state event is emptied).
    await stage(ctx, tab, 'hang up', details, async () => {
      await page.getByTestId('incall_leave').click()
      await waitFor(
        `the ${CALL_MEMBER_EVENT} state event of ${userId} is emptied`,
        async () => {
          const state = await getJson(
            `${ctx.publicUrl}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/state/${CALL_MEMBER_EVENT}/${encodeURIComponent(membership.state_key)}`,
            auth,
          )
          return state.status === 200 && Object.keys(state.body ?? {}).length === 0 ? true : undefined
        },
        { timeoutMs: 30_000, intervalMs: 1_000 },
      )
    })
    details.pageErrors = tab.pageErrors
  } finally {
    await tab.browser.close()
  }
}
