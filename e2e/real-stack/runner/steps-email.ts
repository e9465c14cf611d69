import { readFileSync, writeFileSync } from 'node:fs'
import { posix } from 'node:path'
import { randomBytes } from 'node:crypto'
import { deriveValues, SECRET_FILES } from '@messenger-stack/config-schema'
import { mailText, type SmtpSink } from '../harness/smtp-sink.js'
import { waitFor } from '../harness/wait.js'
import { check, getJson, type StepContext } from './context.js'
import { passwordLogin } from './matrix-rtc.js'
import { cli } from './steps-matrix.js'
import type { ChatState } from './steps-matrix.js'

/**
 * The whole password-reset path a user takes, against the real SMTP sink: erin (made by
 * register-user) gets an email address through the admin API; through nginx she asks for a
 * reset; Synapse mails the link over STARTTLS, logged in with the password of
 * secrets/smtp_password (the sink knows no other); the link, opened and confirmed through
 * nginx, validates the address; the new password is set with the email identity and works.
 */
export async function passwordResetByEmail(
  ctx: StepContext,
  state: ChatState,
  sink: SmtpSink | undefined,
  details: Record<string, unknown>,
): Promise<void> {
  const email = ctx.spec.synapse.email
  check(email !== undefined && sink !== undefined, 'the test spec has no synapse.email, or the SMTP sink did not start')
  check(state.alice !== undefined, 'no logged-in admin client (the chat step failed)')
  const password = 'test-password-erin-not-a-secret'
  const file = posix.join(ctx.plan.workDir, 'erin.password')
  writeFileSync(file, `${password}\n`, { mode: 0o644 })
  await cli(ctx, [
    'register-user',
    'erin',
    '--password-file',
    file,
    '--url',
    ctx.synapseUrl,
    '--secrets',
    posix.join(ctx.plan.bundleDir, 'secrets'),
  ])
  const erinId = `@erin:${ctx.spec.serverName}`
  const address = `erin@${ctx.spec.serverName}`

  // The admin API (on Synapse itself: it is not public) binds the address to erin.
  const bind = await getJson(`${ctx.synapseUrl}/_synapse/admin/v2/users/${encodeURIComponent(erinId)}`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${state.alice.getAccessToken()}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ threepids: [{ medium: 'email', address }] }),
  })
  check(bind.status === 200, `the admin API did not add erin's address: ${bind.status} ${bind.text.slice(0, 200)}`)

  const before = sink.mails().length
  const clientSecret = `realstack${randomBytes(8).toString('hex')}`
  const request = await getJson(`${ctx.publicUrl}/_matrix/client/v3/account/password/email/requestToken`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ client_secret: clientSecret, email: address, send_attempt: 1 }),
  })
  details.requestTokenStatus = request.status
  check(request.status === 200 && typeof request.body?.sid === 'string', `requestToken: ${request.status} ${request.text.slice(0, 300)}`)
  const sid = request.body.sid as string

  const mail = await waitFor(
    'the password reset mail in the SMTP sink',
    async () =>
      sink
        .mails()
        .slice(before)
        .find((m) => m.rcpt_tos.includes(address)),
    {
      timeoutMs: 30_000,
      intervalMs: 300,
    },
  )
  const text = mailText(mail.data)
  details.mail = {
    tls: mail.tls,
    login: mail.login,
    from: mail.mail_from,
    to: mail.rcpt_tos,
    subject: /^Subject: (.*)$/m.exec(mail.data)?.[1],
  }
  check(mail.tls, 'the mail was sent without STARTTLS')
  check(mail.login === email.smtpUser, `the SMTP session logged in as ${String(mail.login)}, not ${email.smtpUser}`)
  check(mail.mail_from === email.fromAddress, `envelope sender ${mail.mail_from}, not ${email.fromAddress}`)
  // The sink accepts only the password it read from the secrets folder, which the secrets step generated.
  const secret = readFileSync(posix.join(ctx.plan.bundleDir, 'secrets', SECRET_FILES.smtpPassword), 'utf8').trim()
  check(secret.length >= 32, 'secrets/smtp_password is not the generated password')
  check(!text.includes(secret), 'the mail carries the SMTP password')

  const base = deriveValues(ctx.spec).publicBaseUrl
  const link = new RegExp(
    `${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}_synapse/client/password_reset/email/submit_token\\?[^\\s"'<>]+`,
  ).exec(text)?.[0]
  details.link = link?.replace(/token=[^&]+/, 'token=<redacted>')
  check(link !== undefined, `no reset link to ${base} in the mail:\n${text.slice(0, 1500)}`)
  const url = new URL(link.replaceAll('&amp;', '&'))
  check(url.searchParams.get('sid') === sid && url.searchParams.get('client_secret') === clientSecret, 'the link is for another request')

  // Through nginx, as the user's browser: the confirmation page, then its form.
  const page = await fetch(url, { signal: AbortSignal.timeout(15_000) })
  details.confirmPageStatus = page.status
  check(page.status === 200, `the reset link answered ${page.status}`)
  await page.arrayBuffer()
  const confirm = await fetch(url.origin + url.pathname, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: url.searchParams.get('token')!, client_secret: clientSecret, sid }).toString(),
    signal: AbortSignal.timeout(15_000),
  })
  details.confirmStatus = confirm.status
  check(confirm.status === 200, `confirming the link answered ${confirm.status}: ${(await confirm.text()).slice(0, 300)}`)

  const newPassword = 'test-password-erin-reset-not-a-secret'
  const change = await getJson(`${ctx.publicUrl}/_matrix/client/v3/account/password`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      new_password: newPassword,
      logout_devices: true,
      auth: { type: 'm.login.email.identity', threepid_creds: { sid, client_secret: clientSecret } },
    }),
  })
  details.changeStatus = change.status
  check(change.status === 200, `the password change with the email identity: ${change.status} ${change.text.slice(0, 300)}`)
  ctx.users.set('erin', { userId: erinId, password: newPassword })
  const login = await passwordLogin(ctx, 'erin')
  details.loggedInWithNewPassword = login.userId === erinId
  check(login.userId === erinId, `logged in as ${login.userId}`)
}
