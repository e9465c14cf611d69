import { readFileSync } from 'node:fs'
import { posix } from 'node:path'
import { AccessToken, RoomServiceClient } from 'livekit-server-sdk'
import { BUNDLE_PATHS, SECRET_FILES, deriveValues } from '@messenger-stack/config-schema'
import { check, getJson, type StepContext } from './context.js'
import { getToken, jwtRoom, memberOf, openIdToken, signalJoin, type MatrixLogin } from './matrix-rtc.js'
import type { ChatState } from './steps-matrix.js'

/** The LiveKit API secret (from the secrets folder) for the test's own RoomService calls. */
export function livekitSecret(ctx: StepContext): string {
  return readFileSync(posix.join(ctx.plan.bundleDir, 'secrets', SECRET_FILES.livekitApiSecret), 'utf8').trim()
}

/** nginx access-log lines of Twirp room creation through the SFU route. */
function createRoomLines(ctx: StepContext): string[] {
  return readFileSync(ctx.services.get('nginx')!.logFile, 'utf8')
    .split('\n')
    .filter((l) => l.includes(`POST ${ctx.spec.livekit.sfuPath}/twirp/livekit.RoomService/CreateRoom`))
}

/**
 * Transports endpoint, then what Element Call does: OpenID token → the real lk-jwt-service's
 * `/get_token` (200; a forged token 401), which creates the LiveKit room through the rendered
 * SFU route (`<sfuPath>/twirp/`, since LiveKit's `room.auto_create` is false), then the
 * signalling join through nginx, and the RoomService listing through `/twirp/`.
 */
export async function matrixRtc(ctx: StepContext, state: ChatState, details: Record<string, unknown>): Promise<void> {
  const alice = state.alice
  check(alice !== undefined && state.roomId !== undefined, 'no logged-in client and room (the chat step failed)')
  const derived = deriveValues(ctx.spec)
  const login: MatrixLogin = { userId: alice.getUserId()!, deviceId: alice.getDeviceId()!, accessToken: alice.getAccessToken()! }
  const transports = await getJson(`${ctx.publicUrl}/_matrix/client/unstable/org.matrix.msc4143/rtc/transports`, {
    headers: { Authorization: `Bearer ${login.accessToken}` },
  })
  details.transports = transports.body
  check(transports.status === 200, `transports answered ${transports.status}`)
  const list: any[] = transports.body?.rtc_transports ?? []
  check(
    list.some((t) => t.type === 'livekit' && t.livekit_service_url === derived.livekitServiceUrl),
    `no livekit transport ${derived.livekitServiceUrl}`,
  )

  const livekitConfig = readFileSync(posix.join(ctx.plan.bundleDir, BUNDLE_PATHS.livekitConfig), 'utf8')
  check(/^room:\n {2}auto_create: false$/m.test(livekitConfig), 'the rendered LiveKit config does not set room.auto_create: false')
  const createdBefore = createRoomLines(ctx).length
  const openid = await openIdToken(ctx, login)
  const got = await getToken(ctx, state.roomId, openid, memberOf(login))
  details.getTokenStatus = got.status
  details.sfuUrl = got.body?.url
  check(got.status === 200, `get_token answered ${got.status}: ${got.text.slice(0, 300)}`)
  check(got.body.url === derived.livekitSfuUrl, `get_token url ${got.body.url} is not ${derived.livekitSfuUrl}`)
  const jwt: string = got.body.jwt
  check(typeof jwt === 'string' && jwt.split('.').length === 3, 'get_token returned no JWT')
  const roomName = jwtRoom(jwt)
  details.livekitRoom = roomName
  const created = createRoomLines(ctx).slice(createdBefore)
  details.createRoomThroughNginx = created
  check(
    created.some((l) => / 200 /.test(l)),
    `lk-jwt-service did not create the room through ${ctx.spec.livekit.sfuPath}/twirp/ (nginx log: ${created.join(' | ')})`,
  )

  // A forged OpenID token is refused by the real service (it asks the homeserver).
  const forged = await getToken(ctx, state.roomId, { ...openid, access_token: 'forged-token' }, memberOf(login, 'x'))
  details.forgedStatus = forged.status
  details.forgedErrcode = forged.body?.errcode
  check(forged.status === 401, `a forged OpenID token got ${forged.status}`)

  // auto_create is off: a valid LiveKit token for a room nobody created does not get in.
  const stray = new AccessToken(ctx.spec.livekit.keyName, livekitSecret(ctx), { identity: 'stray' })
  stray.addGrant({ room: 'never-created', roomJoin: true })
  const strayJoin = await signalJoin(derived.livekitSfuUrl, await stray.toJwt()).then(
    ({ ws }) => {
      ws.terminate()
      return 'joined'
    },
    (err: Error) => err.message,
  )
  details.uncreatedRoomJoin = strayJoin
  check(strayJoin !== 'joined', 'LiveKit let a client into a room lk-jwt-service never created (room.auto_create is on?)')

  const { ws, join } = await signalJoin(got.body.url, jwt)
  try {
    details.joinRoom = join.room?.name
    details.joinIdentity = join.participant?.identity
    details.serverVersion = join.serverInfo?.version
    check(join.room?.name === roomName, `joined room ${join.room?.name}, token was for ${roomName}`)
    const rooms = new RoomServiceClient(ctx.publicUrl, ctx.spec.livekit.keyName, livekitSecret(ctx))
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
