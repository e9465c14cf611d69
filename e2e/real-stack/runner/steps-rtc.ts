import { readFileSync } from 'node:fs'
import { posix } from 'node:path'
import { SignalResponse, type JoinResponse } from '@livekit/protocol'
import { RoomServiceClient } from 'livekit-server-sdk'
import WebSocket from 'ws'
import { SECRET_FILES, deriveValues } from '@messenger-stack/config-schema'
import { check, getJson, type StepContext } from './context.js'
import type { ChatState } from './steps-matrix.js'

/** Opens the LiveKit signalling WebSocket and resolves with the decoded join response. */
function signalJoin(url: string, timeoutMs = 15_000): Promise<{ ws: WebSocket; join: JoinResponse }> {
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

/** Transports endpoint, OpenID token → /livekit/jwt/get_token, SFU join through nginx, RoomService listing. */
export async function matrixRtc(ctx: StepContext, state: ChatState, details: Record<string, unknown>): Promise<void> {
  const alice = state.alice
  check(alice !== undefined && state.roomId !== undefined, 'no logged-in client and room (the chat step failed)')
  const derived = deriveValues(ctx.spec)
  const token = alice.getAccessToken()!
  const auth = { Authorization: `Bearer ${token}` }
  const transports = await getJson(`${ctx.publicUrl}/_matrix/client/unstable/org.matrix.msc4143/rtc/transports`, { headers: auth })
  details.transports = transports.body
  check(transports.status === 200, `transports answered ${transports.status}`)
  const list: any[] = transports.body?.rtc_transports ?? []
  check(
    list.some((t) => t.type === 'livekit' && t.livekit_service_url === derived.livekitServiceUrl),
    `no livekit transport ${derived.livekitServiceUrl}`,
  )

  const userId = alice.getUserId()!
  const openid = await getJson(`${ctx.publicUrl}/_matrix/client/v3/user/${encodeURIComponent(userId)}/openid/request_token`, {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: '{}',
  })
  check(openid.status === 200 && typeof openid.body?.access_token === 'string', `openid/request_token answered ${openid.status}`)
  const deviceId = alice.getDeviceId()!
  const got = await getJson(`${derived.livekitServiceUrl}/get_token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      room_id: state.roomId,
      slot_id: 'm.call#ROOM',
      openid_token: openid.body,
      member: { id: `${userId}:${deviceId}`, claimed_user_id: userId, claimed_device_id: deviceId },
    }),
  })
  details.getTokenStatus = got.status
  details.sfuUrl = got.body?.url
  check(got.status === 200, `get_token answered ${got.status}: ${got.text.slice(0, 300)}`)
  check(got.body.url === derived.livekitSfuUrl, `get_token url ${got.body.url} is not ${derived.livekitSfuUrl}`)
  const jwt: string = got.body.jwt
  check(typeof jwt === 'string' && jwt.split('.').length === 3, 'get_token returned no JWT')
  const claims = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'))
  const roomName: string = claims.video?.room
  details.livekitRoom = roomName

  // A forged OpenID token is refused.
  const forged = await getJson(`${derived.livekitServiceUrl}/get_token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      room_id: state.roomId,
      slot_id: 'm.call#ROOM',
      openid_token: { ...openid.body, access_token: 'forged-token' },
      member: { id: 'x', claimed_user_id: userId, claimed_device_id: deviceId },
    }),
  })
  details.forgedStatus = forged.status
  check(forged.status === 401, `a forged OpenID token got ${forged.status}`)

  const { ws, join } = await signalJoin(
    `${got.body.url}/rtc?access_token=${encodeURIComponent(jwt)}&auto_subscribe=1&protocol=15&sdk=js&version=2.15.0`,
  )
  try {
    details.joinRoom = join.room?.name
    details.joinIdentity = join.participant?.identity
    details.serverVersion = join.serverInfo?.version
    check(join.room?.name === roomName, `joined room ${join.room?.name}, token was for ${roomName}`)
    const secret = readFileSync(posix.join(ctx.plan.bundleDir, 'secrets', SECRET_FILES.livekitApiSecret), 'utf8').trim()
    const rooms = new RoomServiceClient(ctx.publicUrl, ctx.spec.livekit.keyName, secret)
    const listed = await rooms.listRooms()
    details.rooms = listed.map((r) => r.name)
    check(
      listed.some((r) => r.name === roomName),
      'RoomService (through /twirp/) does not list the room',
    )
    const participants = await rooms.listParticipants(roomName)
    details.participants = participants.map((p) => p.identity)
    check(
      participants.some((p) => p.identity === join.participant?.identity),
      'the joined participant is not listed',
    )
  } finally {
    ws.terminate()
  }
}
