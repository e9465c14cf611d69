/**
 * TURN over TLS through the rendered nginx: LiveKit advertises `turns:<turn domain>:443`, so a
 * client's TLS session for the TURN domain on port 443 must end in LiveKit's TURN server,
 * while every other name on 443 still reaches the HTTPS site with the client's own address.
 */
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { connect, type TLSSocket } from 'node:tls'
import { deriveValues, streamRoutes } from '@messenger-stack/config-schema'
import { MEDIA_NODE_IP } from '../harness/prepare.js'
import { waitFor } from '../harness/wait.js'
import { check, getJson, type StepContext } from './context.js'

const STUN_MAGIC_COOKIE = 0x2112a442
const ALLOCATE_REQUEST = 0x0003
const ALLOCATE_ERROR_RESPONSE = 0x0113
const ATTR_REQUESTED_TRANSPORT = 0x0019
const ATTR_ERROR_CODE = 0x0009
const ATTR_REALM = 0x0014
const ATTR_NONCE = 0x0015
/** LiveKit's TURN realm (`LivekitRealm` in its pkg/service/turn.go). */
const LIVEKIT_REALM = 'livekit'

/** A TURN Allocate request without credentials (RFC 8656): the server must answer 401 with its realm and a nonce. */
function allocateRequest(transactionId: Buffer): Buffer {
  const message = Buffer.alloc(20 + 8)
  message.writeUInt16BE(ALLOCATE_REQUEST, 0)
  message.writeUInt16BE(8, 2)
  message.writeUInt32BE(STUN_MAGIC_COOKIE, 4)
  transactionId.copy(message, 8)
  message.writeUInt16BE(ATTR_REQUESTED_TRANSPORT, 20)
  message.writeUInt16BE(4, 22)
  message.writeUInt8(17, 24) // UDP
  return message
}

/** The parts of a STUN message the step checks. */
interface StunAnswer {
  readonly type: number
  readonly transactionId: string
  readonly errorCode?: number
  readonly realm?: string
  readonly nonce: boolean
}

function parseStun(message: Buffer): StunAnswer {
  const length = message.readUInt16BE(2)
  let errorCode: number | undefined
  let realm: string | undefined
  let nonce = false
  for (let offset = 20; offset + 4 <= 20 + length; ) {
    const type = message.readUInt16BE(offset)
    const size = message.readUInt16BE(offset + 2)
    const value = message.subarray(offset + 4, offset + 4 + size)
    if (type === ATTR_ERROR_CODE) errorCode = (value.readUInt8(2) & 0x07) * 100 + value.readUInt8(3)
    if (type === ATTR_REALM) realm = value.toString('utf8')
    if (type === ATTR_NONCE) nonce = size > 0
    offset += 4 + Math.ceil(size / 4) * 4
  }
  return { type: message.readUInt16BE(0), transactionId: message.subarray(8, 20).toString('hex'), errorCode, realm, nonce }
}

/** Opens TLS to `address:443` for `servername` (verified against the test CA) and sends one STUN message; bounded. */
function stunOverTls(
  ctx: StepContext,
  address: string,
  servername: string,
  request: Buffer,
): Promise<{ answer: Buffer; socket: TLSSocket }> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0)
    const socket = connect({ host: address, port: 443, servername, ca: readFileSync(ctx.plan.certs.caCert) })
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`no STUN answer over TLS from ${servername} at ${address}:443 within 10 s (got ${received.length} bytes)`))
    }, 10_000)
    socket.on('secureConnect', () => socket.write(request))
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk])
      if (received.length >= 20 && received.length >= 20 + received.readUInt16BE(2)) {
        clearTimeout(timer)
        resolve({ answer: received.subarray(0, 20 + received.readUInt16BE(2)), socket })
      }
    })
    socket.on('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
  })
}

/**
 * The TURN domain resolves to the address LiveKit advertises; its port 443 (published, as
 * Docker does on every address) reaches nginx, which terminates TLS with the deployment's
 * certificate for that name and passes the stream to LiveKit's TURN listener: a TURN Allocate
 * without credentials comes back as LiveKit's 401 with realm "livekit" and a nonce.
 */
export async function turnTlsHandshake(ctx: StepContext, details: Record<string, unknown>): Promise<void> {
  const derived = deriveValues(ctx.spec)
  const routes = streamRoutes(ctx.spec)
  details.streamRoutes = routes
  check(derived.turnTls && routes.length === 1, 'the test spec has no TURN/TLS stream route')
  const livekitConfig = readFileSync(`${ctx.plan.bundleDir}/livekit/config.yaml`, 'utf8')
  check(/^ {2}external_tls: true$/m.test(livekitConfig), 'the rendered LiveKit config does not leave TLS to nginx')
  const transactionId = randomBytes(12)
  const { answer, socket } = await stunOverTls(ctx, MEDIA_NODE_IP, derived.turnDomain, allocateRequest(transactionId))
  const certificate = socket.getPeerCertificate()
  details.tlsProtocol = socket.getProtocol()
  details.certificateNames = certificate.subjectaltname
  details.authorized = socket.authorized
  socket.destroy()
  const stun = parseStun(answer)
  details.answer = stun
  check(socket.authorized, `the certificate for ${derived.turnDomain} was not accepted`)
  check(String(certificate.subjectaltname).includes(`DNS:${derived.turnDomain}`), `the certificate does not name ${derived.turnDomain}`)
  check(stun.transactionId === transactionId.toString('hex'), 'the STUN answer is for another transaction')
  check(
    stun.type === ALLOCATE_ERROR_RESPONSE && stun.errorCode === 401 && stun.realm === LIVEKIT_REALM && stun.nonce,
    `expected LiveKit's 401 with realm "${LIVEKIT_REALM}" and a nonce, got ${JSON.stringify(stun)}`,
  )
  // The same address and port, asked for the Matrix host, is still the HTTPS site.
  const versions = await getJson(`${ctx.publicUrl}/_matrix/client/versions`)
  check(versions.status === 200, `HTTPS on 443 answered ${versions.status} next to TURN/TLS`)
}

/**
 * Behind the stream server the HTTPS servers take the client's address from the PROXY
 * protocol header: nginx's access log names the test client (loopback through the port
 * forwarder), never the socket (`unix:`), which would put every client in one rate-limit bucket.
 */
export async function clientAddressBehindStream(ctx: StepContext, details: Record<string, unknown>): Promise<void> {
  const marker = `/_matrix/client/versions?client-address-probe=${randomBytes(6).toString('hex')}`
  const r = await getJson(`${ctx.publicUrl}${marker}`)
  check(r.status === 200, `status ${r.status}`)
  const nginx = ctx.services.get('nginx')
  check(nginx !== undefined, 'nginx is not running')
  // nginx logs a request after it has sent the answer, so the client can read the log before
  // the line is there (seen once on a loaded machine): wait for it, a few seconds at most.
  const line = await waitFor(
    'the probe request in nginx access log',
    async () =>
      readFileSync(nginx.logFile, 'utf8')
        .split('\n')
        .find((l) => l.includes(marker)),
    { timeoutMs: 5_000, intervalMs: 50 },
  ).catch(() => undefined)
  details.logLine = line
  check(line !== undefined, 'the probe request is not in nginx access log')
  check(line.startsWith('127.0.0.1 '), `nginx logged the client as ${line.split(' ')[0]}, not its address`)
}
