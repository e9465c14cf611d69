import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { posix } from 'node:path'
import { promisify } from 'node:util'
import { ClientEvent, RoomEvent, RoomMemberEvent, createClient, type MatrixClient, type MatrixEvent } from 'matrix-js-sdk'
import { deriveValues, synapseAdminSocketPath } from '@messenger-stack/config-schema'
import { check, getJson, type StepContext } from './context.js'

const run = promisify(execFile)

/** Runs the built CLI as the container user (as an operator would), bounded. */
export async function cli(ctx: StepContext, args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  const { uid, gid } = ctx.spec.containerUser
  try {
    return await run(
      ctx.plan.tools.setpriv,
      [`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', ctx.plan.nodePath, ctx.plan.cliBin, ...args],
      {
        cwd: ctx.plan.bundleDir,
        timeout: 60_000,
        env: { PATH: '/usr/bin:/bin', HOME: '/tmp', NO_COLOR: '1' },
      },
    )
  } catch (err: any) {
    throw new Error(`messenger-stack ${args.join(' ')} failed: ${err.message}\n${err.stdout ?? ''}\n${err.stderr ?? ''}`)
  }
}

/**
 * `messenger-stack register-user` for an admin and a second user, through the shared-secret API
 * on Synapse's admin socket in the bundle's data folder, as DEPLOY.md tells operators to.
 */
export async function registerUsers(ctx: StepContext, details: Record<string, unknown>): Promise<void> {
  for (const [name, admin] of [
    ['alice', true],
    ['bob', false],
  ] as const) {
    const password = `test-password-${name}-not-a-secret`
    const file = posix.join(ctx.plan.workDir, `${name}.password`)
    writeFileSync(file, `${password}\n`, { mode: 0o644 })
    const args = [
      'register-user',
      name,
      '--password-file',
      file,
      '--socket',
      posix.join(ctx.plan.bundleDir, synapseAdminSocketPath()),
      '--secrets',
      posix.join(ctx.plan.bundleDir, 'secrets'),
      '--json',
    ]
    const out = await cli(ctx, admin ? [...args, '--admin'] : args)
    details[`${name}.stdout`] = out.stdout.slice(0, 500)
    ctx.users.set(name, { userId: `@${name}:${ctx.spec.serverName}`, password })
  }
  // The admin flag really took: ask the admin API (on Synapse directly) as alice.
  const login = await getJson(`${ctx.synapseUrl}/_matrix/client/v3/login`, {
    method: 'POST',
    body: JSON.stringify({
      type: 'm.login.password',
      identifier: { type: 'm.id.user', user: 'alice' },
      password: ctx.users.get('alice')!.password,
    }),
  })
  check(login.status === 200, `alice cannot log in: ${login.status} ${login.text.slice(0, 200)}`)
  const whois = await getJson(`${ctx.synapseUrl}/_synapse/admin/v2/users/${encodeURIComponent(`@bob:${ctx.spec.serverName}`)}`, {
    headers: { Authorization: `Bearer ${login.body.access_token}` },
  })
  details.adminApiStatus = whois.status
  details.bobIsAdmin = whois.body?.admin
  check(whois.status === 200, `alice is not an admin (admin API answered ${whois.status})`)
  check(whois.body?.admin === false, 'bob was made an admin')
}

/** A logged-in, syncing matrix-js-sdk client through nginx. */
async function syncingClient(ctx: StepContext, name: string): Promise<MatrixClient> {
  const user = ctx.users.get(name)
  check(user !== undefined, `${name} was not registered`)
  const baseUrl = deriveValues(ctx.spec).homeserverBaseUrl
  const login = createClient({ baseUrl })
  const res = await login.loginRequest({ type: 'm.login.password', identifier: { type: 'm.id.user', user: name }, password: user.password })
  const client = createClient({ baseUrl, userId: res.user_id, accessToken: res.access_token, deviceId: res.device_id })
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: first sync did not finish in 30 s`)), 30_000)
    client.on(ClientEvent.Sync, (state) => {
      if (state === 'PREPARED' || state === 'SYNCING') {
        clearTimeout(timer)
        resolve()
      }
    })
  })
  await client.startClient({ initialSyncLimit: 5, lazyLoadMembers: true })
  await ready
  return client
}

function waitEvent<T>(what: string, timeoutMs: number, subscribe: (resolve: (v: T) => void) => () => void): Promise<T> {
  return new Promise((resolve, reject) => {
    let unsubscribe = () => {}
    const timer = setTimeout(() => {
      unsubscribe()
      reject(new Error(`${what}: not seen within ${timeoutMs} ms`))
    }, timeoutMs)
    unsubscribe = subscribe((v) => {
      clearTimeout(timer)
      unsubscribe()
      resolve(v)
    })
  })
}

/** Waits until `client` receives a message with `body` in `roomId` through sync. */
function waitMessage(client: MatrixClient, roomId: string, body: string): Promise<MatrixEvent> {
  return waitEvent(`message "${body}" at ${client.getUserId()}`, 20_000, (resolve) => {
    const handler = (event: MatrixEvent) => {
      if (event.getRoomId() === roomId && event.getType() === 'm.room.message' && event.getContent().body === body) resolve(event)
    }
    client.on(RoomEvent.Timeline, handler)
    return () => client.off(RoomEvent.Timeline, handler)
  })
}

/** Shared between the chat and upload steps. */
export interface ChatState {
  alice?: MatrixClient
  bob?: MatrixClient
  roomId?: string
}

/** Both log in through nginx; alice creates a room, invites bob, he joins; messages both ways. */
export async function chat(ctx: StepContext, state: ChatState, details: Record<string, unknown>): Promise<void> {
  const alice = await syncingClient(ctx, 'alice')
  state.alice = alice
  const bob = await syncingClient(ctx, 'bob')
  state.bob = bob
  const bobId = ctx.users.get('bob')!.userId
  const invited = waitEvent<string>('bob sees the invite', 20_000, (resolve) => {
    const handler = (_e: MatrixEvent, member: { userId: string; membership?: string; roomId: string }) => {
      if (member.userId === bobId && member.membership === 'invite') resolve(member.roomId)
    }
    bob.on(RoomMemberEvent.Membership, handler as never)
    return () => bob.off(RoomMemberEvent.Membership, handler as never)
  })
  const { room_id: roomId } = await alice.createRoom({ name: 'real-stack test', invite: [bobId], preset: 'private_chat' as never })
  state.roomId = roomId
  details.roomId = roomId
  check((await invited) === roomId, 'bob was invited to another room')
  await bob.joinRoom(roomId)
  details.bobJoined = true
  const toBob = waitMessage(bob, roomId, 'hello bob, from alice')
  await alice.sendTextMessage(roomId, 'hello bob, from alice')
  details.aliceToBob = (await toBob).getSender()
  const toAlice = waitMessage(alice, roomId, 'hello alice, from bob')
  await bob.sendTextMessage(roomId, 'hello alice, from bob')
  details.bobToAlice = (await toAlice).getSender()
}

/** Upload just under max_upload_size (accepted) and just over it (refused). */
export async function uploads(ctx: StepContext, state: ChatState, details: Record<string, unknown>): Promise<void> {
  const alice = state.alice
  check(alice !== undefined, 'no logged-in client (the chat step failed)')
  const limit = deriveValues(ctx.spec).maxUploadBytes
  details.limit = limit
  const under = await alice.uploadContent(Buffer.alloc(limit - 4096, 1) as never, { name: 'under.bin', type: 'application/octet-stream' })
  details.underUri = under.content_uri
  check(under.content_uri.startsWith('mxc://'), `upload under the limit gave ${JSON.stringify(under)}`)
  let overStatus: number | undefined
  try {
    await alice.uploadContent(Buffer.alloc(limit + 4096, 1) as never, { name: 'over.bin', type: 'application/octet-stream' })
  } catch (err: any) {
    overStatus = err.httpStatus ?? err.status
    details.overError = String(err.message).slice(0, 200)
  }
  details.overStatus = overStatus
  check(overStatus === 413, `upload over the limit was not refused with 413 (got ${String(overStatus)})`)
}
