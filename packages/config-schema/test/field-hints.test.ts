import { describe, expect, it } from 'vitest'
import { safeParseDeploymentSpec } from '../src/index.js'

// Hints are registered on the schemas of the fields they explain (errors/field-hints.ts),
// not looked up by the last segment of an issue's path: two fields that share a key name
// (LiveKit's media `udpPort` and TURN's `udpPort`, a listening port and the SMTP server's
// port) each get their own advice.

const base = { serverName: 'example.org', tls: { letsEncrypt: { email: 'admin@example.org' } } }

function hintFor(document: Record<string, unknown>, path: string): string | undefined {
  const result = safeParseDeploymentSpec({ ...base, ...document })
  if (result.success) throw new Error(`accepted, but ${path} must be refused`)
  const issue = result.issues.find((candidate) => candidate.path.join('.') === path)
  if (issue === undefined) throw new Error(`no issue at ${path}: ${JSON.stringify(result.issues)}`)
  return issue.hint
}

describe('field hints follow the field, not its key name', () => {
  it("LiveKit's media udpPort, which cannot be 0, is not told that 0 turns TURN/UDP off", () => {
    const hint = hintFor({ livekit: { udpPort: 0 } }, 'livekit.udpPort')
    expect(hint).toBe('use a port number from 1 to 65535 that nothing else on the host uses.')
  })

  it("TURN's udpPort, which can be 0, says so", () => {
    expect(hintFor({ livekit: { turn: { udpPort: 70_000 } } }, 'livekit.turn.udpPort')).toContain('0 to turn TURN/UDP off')
  })

  it("the SMTP server's port is the provider's, not a port on this host", () => {
    const email = { smtpHost: 'smtp.example.org', smtpPort: 0, fromAddress: 'matrix@example.org' }
    const hint = hintFor({ synapse: { email } }, 'synapse.email.smtpPort')
    expect(hint).toContain('587')
    expect(hint).not.toContain('on the host')
  })

  it('a hint reaches items of lists and values of records', () => {
    expect(hintFor({ synapse: { federation: { allowList: ['Bad'] } } }, 'synapse.federation.allowList.0')).toContain('lowercase')
    expect(hintFor({ postgres: { extraSettings: { work_mem: "4'MB" } } }, 'postgres.extraSettings.work_mem')).toContain('without quotes')
  })

  it('missing required fields get the hint registered for them', () => {
    expect(hintFor({ serverName: undefined }, 'serverName')).toContain('the domain of your Matrix IDs')
    expect(hintFor({ tls: { letsEncrypt: {} } }, 'tls.letsEncrypt.email')).toContain("Let's Encrypt sends expiry notices")
  })
})
