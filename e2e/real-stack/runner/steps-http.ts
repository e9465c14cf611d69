import { readFileSync } from 'node:fs'
import { posix } from 'node:path'
import { SECRET_FILES, deriveValues } from '@messenger-stack/config-schema'
import { signingKeyId, signingKeyPublicKey } from '@messenger-stack/config-schema/node'
import { check, getJson, type StepContext } from './context.js'

/** GET /.well-known/matrix/client: homeserver, rtc_foci and CORS. */
export async function wellKnownClient(ctx: StepContext, details: Record<string, unknown>): Promise<void> {
  const r = await getJson(`${ctx.publicUrl}/.well-known/matrix/client`)
  details.status = r.status
  details.cors = r.headers.get('access-control-allow-origin')
  details.body = r.body
  check(r.status === 200, `status ${r.status}: ${r.text.slice(0, 200)}`)
  check(details.cors === '*', `Access-Control-Allow-Origin is ${String(details.cors)}`)
  const derived = deriveValues(ctx.spec)
  check(
    r.body?.['m.homeserver']?.base_url === derived.homeserverBaseUrl,
    `m.homeserver.base_url is ${JSON.stringify(r.body?.['m.homeserver'])}`,
  )
  const foci = r.body?.['org.matrix.msc4143.rtc_foci']
  check(
    Array.isArray(foci) && foci.some((f: any) => f.type === 'livekit' && f.livekit_service_url === derived.livekitServiceUrl),
    `rtc_foci is ${JSON.stringify(foci)}`,
  )
}

/** GET /_matrix/client/versions: sliding sync and delayed events advertised. */
export async function clientVersions(ctx: StepContext, details: Record<string, unknown>): Promise<void> {
  const r = await getJson(`${ctx.publicUrl}/_matrix/client/versions`)
  details.status = r.status
  const unstable = r.body?.unstable_features ?? {}
  details.unstable = Object.fromEntries(
    ['org.matrix.simplified_msc3575', 'org.matrix.msc4140', 'org.matrix.msc4143'].map((k) => [k, unstable[k]]),
  )
  check(r.status === 200, `status ${r.status}`)
  check(unstable['org.matrix.simplified_msc3575'] === true, 'org.matrix.simplified_msc3575 is not advertised')
  check(unstable['org.matrix.msc4140'] === true, 'org.matrix.msc4140 is not advertised')
}

/** GET /_matrix/key/v2/server: the signing key `secrets` generated, by key ID and public key. */
export async function signingKey(ctx: StepContext, details: Record<string, unknown>): Promise<void> {
  const line = readFileSync(posix.join(ctx.plan.bundleDir, 'secrets', SECRET_FILES.synapseSigningKey), 'utf8').trim()
  const keyId = signingKeyId(line)
  // Derived here with node:crypto through the config-schema helper (Ed25519 seed → public key).
  const expected = signingKeyPublicKey(line)
  const r = await getJson(`${ctx.publicUrl}/_matrix/key/v2/server`)
  details.status = r.status
  details.keyId = keyId
  details.served = r.body?.verify_keys
  details.serverName = r.body?.server_name
  check(r.status === 200, `status ${r.status}`)
  check(r.body?.server_name === ctx.spec.serverName, `server_name ${r.body?.server_name}`)
  check(r.body?.verify_keys?.[keyId]?.key === expected, `verify_keys ${JSON.stringify(r.body?.verify_keys)} lacks ${keyId} = ${expected}`)
  details.matches = true
}

/** POST /register without auth: a 401 user-interactive flow or 403, and no account made. */
export async function registrationRefused(ctx: StepContext, details: Record<string, unknown>): Promise<void> {
  const username = 'intruder'
  const r = await getJson(`${ctx.publicUrl}/_matrix/client/v3/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: 'test-password-not-secret-1', auth: { type: 'm.login.dummy' } }),
  })
  details.status = r.status
  details.errcode = r.body?.errcode
  details.flows = r.body?.flows
  check(r.status === 401 || r.status === 403, `registration answered ${r.status}: ${r.text.slice(0, 200)}`)
  check(r.body?.access_token === undefined, 'registration returned an access token')
  const flows: any[] = r.body?.flows ?? []
  check(
    !flows.some((f) => Array.isArray(f.stages) && f.stages.length === 1 && f.stages[0] === 'm.login.dummy'),
    'a dummy-only flow would let anyone register',
  )
  const avail = await getJson(`${ctx.publicUrl}/_matrix/client/v3/register/available?username=${username}`)
  details.availableStatus = avail.status
  // 200 {available: true} means the name is still free; 403 means registration is off entirely.
  check(avail.status === 403 || avail.body?.available === true, `the account seems to exist: ${avail.status} ${avail.text.slice(0, 200)}`)
}
