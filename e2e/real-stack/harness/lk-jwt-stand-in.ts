/**
 * STAND-IN for lk-jwt-service (the MatrixRTC authorisation service, element-hq/lk-jwt-service).
 *
 * Why a stand-in: the real service is a Go module the Go module proxy refuses to serve
 * (github.com/element-hq/lk-jwt-service → 403), so `.ci/provision.sh` cannot build it here.
 * This program is written for the test from the service's documented behaviour (env vars,
 * endpoints, OpenID validation; see the LiveKit/Element fact sheet §2), reads the SAME
 * rendered `livekit/lk-jwt-service.env` and compose environment the real container would,
 * and is started like its container (own mount view, non-root UID, clean environment).
 *
 * Run: node --import <tsx loader> lk-jwt-stand-in.ts   (environment as the container gets it)
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { AccessToken, RoomServiceClient } from 'livekit-server-sdk'

const env = process.env
const fromFile = (path: string | undefined): string | undefined => (path === undefined ? undefined : readFileSync(path, 'utf8').trim())
let key = env.LIVEKIT_KEY ?? fromFile(env.LIVEKIT_KEY_FROM_FILE)
let secret = env.LIVEKIT_SECRET ?? fromFile(env.LIVEKIT_SECRET_FROM_FILE)
if (env.LIVEKIT_KEY_FILE !== undefined) {
  const parts = readFileSync(env.LIVEKIT_KEY_FILE, 'utf8').split(':')
  if (parts.length !== 2) throw new Error('LIVEKIT_KEY_FILE must hold exactly "key:secret"')
  key = parts[0]!.trim()
  secret = parts[1]!.trim()
}
const livekitUrl = env.LIVEKIT_URL
if (key === undefined || secret === undefined || livekitUrl === undefined || key === '' || secret === '') {
  console.error('LIVEKIT_KEY* / LIVEKIT_SECRET* and LIVEKIT_URL must be set')
  process.exit(1)
}
if (env.LIVEKIT_FULL_ACCESS_HOMESERVERS === undefined) {
  console.error('LIVEKIT_FULL_ACCESS_HOMESERVERS must be set')
  process.exit(1)
}
if (env.LIVEKIT_JWT_BIND !== undefined && env.LIVEKIT_JWT_PORT !== undefined) {
  console.error('LIVEKIT_JWT_BIND and LIVEKIT_JWT_PORT are mutually exclusive')
  process.exit(1)
}
const fullAccess = env.LIVEKIT_FULL_ACCESS_HOMESERVERS.split(/[\s,]+/).filter((s) => s !== '')
const bind = env.LIVEKIT_JWT_BIND ?? `:${env.LIVEKIT_JWT_PORT ?? '8080'}`
const bindHost = bind.slice(0, bind.lastIndexOf(':'))
const bindPort = Number(bind.slice(bind.lastIndexOf(':') + 1))
const rooms = new RoomServiceClient(livekitUrl.replace(/^ws/, 'http'), key, secret)

const b64 = (data: string) => createHash('sha256').update(data).digest('base64').replace(/=+$/, '')

class MatrixError extends Error {
  constructor(
    readonly status: number,
    readonly errcode: string,
    message: string,
  ) {
    super(message)
  }
}

/** Federation server discovery, reduced to `.well-known/matrix/server` (else port 8448). */
async function federationBase(serverName: string): Promise<string> {
  try {
    const res = await fetch(`https://${serverName}/.well-known/matrix/server`, { signal: AbortSignal.timeout(10_000) })
    if (res.ok) {
      const body = (await res.json()) as { 'm.server'?: string }
      const delegated = body['m.server']
      if (typeof delegated === 'string' && delegated !== '') return `https://${/:\d+$/.test(delegated) ? delegated : `${delegated}:8448`}`
    }
  } catch {
    /* fall through to the default port */
  }
  return `https://${/:\d+$/.test(serverName) ? serverName : `${serverName}:8448`}`
}

/** Validates an OpenID token at the user's homeserver; returns the Matrix user ID. */
async function lookupUser(token: { access_token?: string; matrix_server_name?: string }): Promise<string> {
  if (typeof token.access_token !== 'string' || typeof token.matrix_server_name !== 'string') {
    throw new MatrixError(400, 'M_BAD_JSON', 'openid_token needs access_token and matrix_server_name')
  }
  const base = await federationBase(token.matrix_server_name)
  const url = `${base}/_matrix/federation/v1/openid/userinfo?access_token=${encodeURIComponent(token.access_token)}`
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) })
  if (!res.ok) throw new MatrixError(401, 'M_UNAUTHORIZED', `The request could not be authorised (userinfo answered ${res.status})`)
  const body = (await res.json()) as { sub?: string }
  if (typeof body.sub !== 'string' || !body.sub.endsWith(`:${token.matrix_server_name}`)) {
    throw new MatrixError(401, 'M_UNAUTHORIZED', 'The OpenID token belongs to another server')
  }
  return body.sub
}

async function issue(room: string, identity: string, serverName: string): Promise<{ url: string; jwt: string }> {
  if (fullAccess.includes('*') || fullAccess.includes(serverName)) {
    try {
      await rooms.createRoom({ name: room, emptyTimeout: 300, departureTimeout: 20 })
    } catch (err) {
      console.error('CreateRoom failed:', err)
      throw new MatrixError(500, 'M_UNKNOWN', 'Unable to create room on SFU')
    }
  }
  const at = new AccessToken(key, secret, { identity, ttl: '1h' })
  at.addGrant({ room, roomJoin: true, canPublish: true, canSubscribe: true, canPublishData: true })
  return { url: livekitUrl!, jwt: await at.toJwt() }
}

async function readJson(req: IncomingMessage): Promise<Record<string, any>> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, any>
  } catch {
    throw new MatrixError(400, 'M_BAD_JSON', 'The request body is not JSON')
  }
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const send = (status: number, body: unknown) => {
    res.writeHead(status, {
      'Content-Type': 'application/json',
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Methods': 'POST, OPTIONS',
      'Access-Control-Allow-Headers': '*',
    })
    res.end(JSON.stringify(body))
  }
  const path = (req.url ?? '/').split('?')[0]
  try {
    if (req.method === 'OPTIONS') return send(200, {})
    if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) return send(200, {})
    if (path === '/sfu_webhook' && req.method === 'POST') {
      await readJson(req).catch(() => ({}))
      return send(200, {})
    }
    if (path === '/get_token' && req.method === 'POST') {
      const body = await readJson(req)
      const sub = await lookupUser(body.openid_token ?? {})
      const member = body.member ?? {}
      if (member.claimed_user_id !== undefined && member.claimed_user_id !== sub)
        throw new MatrixError(401, 'M_UNAUTHORIZED', 'claimed_user_id does not match the token')
      if (typeof body.room_id !== 'string' || typeof body.slot_id !== 'string')
        throw new MatrixError(400, 'M_BAD_JSON', 'room_id and slot_id are required')
      const room = b64(JSON.stringify([body.room_id, body.slot_id]))
      const identity = b64(JSON.stringify([sub, member.claimed_device_id ?? '', member.id ?? '']))
      return send(200, await issue(room, identity, body.openid_token.matrix_server_name))
    }
    if (path === '/sfu/get' && req.method === 'POST') {
      const body = await readJson(req)
      const sub = await lookupUser(body.openid_token ?? {})
      if (typeof body.room !== 'string') throw new MatrixError(400, 'M_BAD_JSON', 'room is required')
      return send(200, await issue(body.room, `${sub}:${body.device_id ?? ''}`, body.openid_token.matrix_server_name))
    }
    send(404, { errcode: 'M_NOT_FOUND', error: 'Not found' })
  } catch (err) {
    if (err instanceof MatrixError) return send(err.status, { errcode: err.errcode, error: err.message })
    console.error(err)
    send(500, { errcode: 'M_UNKNOWN', error: 'internal error' })
  }
}

createServer((req, res) => void handle(req, res)).listen(bindPort, bindHost === '' ? undefined : bindHost, () => {
  console.log(`lk-jwt-service STAND-IN listening on ${bind} (LIVEKIT_URL ${livekitUrl}, full access: ${fullAccess.join(',')})`)
})
