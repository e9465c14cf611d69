import type { DeploymentSpec } from '../deployment/spec.js'
import type { SpecIssue } from '../errors/issue.js'
import type { SpecCheck } from './index.js'
import { warnPrivateNodeIp, warnWideUdpRange } from './warnings-livekit.js'
import { warnWorkersMemory } from './warnings-workers.js'

/**
 * `registration.mode: open` lets anyone on the internet create accounts: spam and abuse
 * follow within days on a federating server. Email verification (`registration.requireEmail`,
 * Synapse `registrations_require_3pid: [email]`) slows that down, so the rule fires only
 * without it; the spec has no typed captcha.
 */
export function warnOpenRegistration(spec: DeploymentSpec): SpecIssue[] {
  if (spec.synapse.registration.mode !== 'open' || spec.synapse.registration.requireEmail) return []
  return [
    {
      path: ['synapse', 'registration', 'mode'],
      code: 'open_registration',
      message: 'Registration is open: anyone who reaches this server can create accounts, without email verification or a captcha.',
      hint: "use 'token' and hand out registration tokens, set registration.requireEmail (with synapse.email), or keep 'open' only on a closed network.",
    },
  ]
}

/** Without a `backups` section the backup script refuses to run; say so before the first cron job fails. */
export function warnBackupsNotConfigured(spec: DeploymentSpec): SpecIssue[] {
  if (spec.backups !== undefined) return []
  return [
    {
      path: ['backups'],
      code: 'backups_not_configured',
      message:
        'No backups section: scripts/backup.sh refuses to run until the spec says how backups are protected, because a backup holds every message and password hash.',
      hint: 'add backups: { encryption: age, recipients: [age1...] } (or gpg with fingerprints), or backups: { encryption: none } for plain backups.',
    },
  ]
}

/**
 * Rules for settings that are legal but likely wrong. Their issues are warnings: `validate`
 * and `render` print them and still succeed, and `--json` lists them under `warnings`.
 */
export const SPEC_WARNINGS: readonly SpecCheck[] = [
  warnOpenRegistration,
  warnBackupsNotConfigured,
  warnPrivateNodeIp,
  warnWideUdpRange,
  warnWorkersMemory,
]

/** Runs every warning rule on a valid spec. */
export function specWarnings(spec: DeploymentSpec): SpecIssue[] {
  return SPEC_WARNINGS.flatMap((rule) => rule(spec))
}
