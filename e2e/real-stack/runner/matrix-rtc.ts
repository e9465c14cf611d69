/**
 * What a MatrixRTC client (Element Call) does to get into a call, shared by the steps:
 * Matrix OpenID token → lk-jwt-service `/get_token` through nginx → LiveKit signalling.
 */
import { DisconnectReason, LeaveRequest, SignalRequest, SignalResponse, type JoinResponse } from '@livekit/protocol'
import WebSocket from 'ws'
import { deriveValues } from '@messenger-stack/config-schema'
import { check, getJson, type StepContext } from './context.js'

/** A logged-in Matrix user as the REST calls need it. */
export interface MatrixLogin {
  readonly userId: string
  readonly deviceId: string
  readonly accessToken: string
}

/** The MatrixRTC membership a client claims (`member` of `/get_token`). */
export interface RtcMember {
  readonly id: string
  readonly claimed_user_id: string
  readonly claimed_device_id: string
}

/** The member object Element Call sends for this login. */
export function memberOf(login: MatrixLogin, id = `${login.userId}:${login.deviceId}`): RtcMember {
  return { id, claimed_user_id: login.userId, claimed_device_id: login.deviceId }
}

/**
 * Password login through nginx (REST, as Element Call's own client does). A 429 is waited out
 * as its `retry_after_ms` says (every login of the test comes from one address, and the
 * rendered `rc_login` allows a burst of a few), at most three times and 10 s each.
 */
export async function passwordLogin(ctx: StepContext, name: string): Promise<MatrixLogin> {
  const user = ctx.users.get(name)
  check(user !== undefined, `${name} was not registered`)
  for (let attempt = 1; ; attempt++) {
    const r = await getJson(`${ctx.publicUrl}/_matrix/client/v3/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'm.login.password', identifier: { type: 'm.id.user', user: name }, password: user.password }),
    })
    const wait = Number(r.body?.retry_after_ms)
    if (r.status === 429 && attempt <= 3 && Number.isFinite(wait) && wait <= 10_000) {
      await new Promise((resolve) => setTimeout(resolve, wait + 100))
      continue
    }
    check(r.status === 200, `${name} cannot log in: ${r.status} ${r.text.slice(0, 200)}`)
    return { userId: r.body.user_id, deviceId: r.body.device_id, accessToken: r.body.access_token }
  }
}

/** POST /openid/request_token through nginx: the token lk-jwt-service verifies over federation. */
export async function openIdToken(ctx: StepContext, login: MatrixLogin): Promise<Record<string, unknown>> {
  const r = await getJson(`${ctx.publicUrl}/_matrix/client/v3/user/${encodeURIComponent(login.userId)}/openid/request_token`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${login.accessToken}`, 'Content-Type': 'application/json' },
    body: '{}',
  })
  check(r.status === 200 && typeof r.body?.access_token === 'string', `openid/request_token answered ${r.status}`)
  return r.body
}

/** What `/get_token` answered. */
export interface TokenAnswer {
  readonly status: number
  readonly body: any
  readonly text: string
}

/** POST `<livekit_service_url>/get_token` (through nginx) for a room's `m.call#ROOM` slot. */
export async function getToken(ctx: StepContext, roomId: string, openid: Record<string, unknown>, member: RtcMember): Promise<TokenAnswer> {
  const r = await getJson(`${deriveValues(ctx.spec).livekitServiceUrl}/get_token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ room_id: roomId, slot_id: 'm.call#ROOM', openid_token: openid, member }),
  })
  return { status: r.status, body: r.body, text: r.text }
}

/** The LiveKit room a JWT admits to (its `video.room` claim). */
export function jwtRoom(jwt: string): string {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')).video?.room
}

/** Opens the LiveKit signalling WebSocket and resolves with the decoded join response. */
export function signalJoin(sfuUrl: string, jwt: string, timeoutMs = 15_000): Promise<{ ws: WebSocket; join: JoinResponse }> {
  const url = `${sfuUrl}/rtc?access_token=${encodeURIComponent(jwt)}&auto_subscribe=1&protocol=15&sdk=js&version=2.15.0`
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url)
    const timer = setTimeout(() => {
      ws.terminate()
      reject(new Error(`no join response within ${timeoutMs} ms`))
    }, timeoutMs)
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) return
      const msg = SignalResponse.fromBinary(new Uint8Array(data))
      if (msg.message.case === 'join') {
        clearTimeout(timer)
        resolve({ ws, join: msg.message.value })
      }
    })
    ws.on('unexpected-response', (_req, res) => {
      clearTimeout(timer)
      reject(new Error(`WebSocket upgrade refused: HTTP ${res.statusCode}`))
    })
    ws.on('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
  })
}

/** Leaves the call the way a client hanging up does (a `leave` signal request), then closes. */
export async function signalLeave(ws: WebSocket): Promise<void> {
  const leave = new SignalRequest({
    message: { case: 'leave', value: new LeaveRequest({ canReconnect: false, reason: DisconnectReason.CLIENT_INITIATED }) },
  })
  await new Promise<void>((resolve) => ws.send(leave.toBinary(), () => resolve()))
  await new Promise((r) => setTimeout(r, 500))
  ws.close()
}
