// Outgoing email: the typed settings, the rules around them, Synapse's email section and the
// secrets step that writes it (with the SMTP password) into secrets/synapse-email.yaml.
import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import {
  derivedSecretFiles,
  emailSettingsFingerprint,
  requiredSecrets,
  parseDeploymentSpec,
  safeParseDeploymentSpec,
  SecretsSchema,
  SpecError,
  specWarnings,
  synapseEmailFile,
  synapseEmailModel,
  synapseEmailSection,
  type DeploymentSpecDocument,
} from '../src/index.js'
import { ensureSecretsFolder, generateSecrets, loadSecrets } from '../src/node.js'

const base = { serverName: 'example.org', tls: { letsEncrypt: { email: 'admin@example.org' } } }
const withEmail = (email: Record<string, unknown>, extra: Partial<DeploymentSpecDocument> = {}) =>
  parseDeploymentSpec({ ...base, ...extra, synapse: { ...extra.synapse, email: { fromAddress: 'noreply@example.org', ...email } } })
const brief = (issues: readonly { path: readonly (string | number)[]; code: string; message: string; hint: string }[]) =>
  issues.map((i) => `${i.code} at ${i.path.join('.')}: ${i.message} | ${i.hint}`)

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ms-email-'))
  dirs.push(dir)
  return join(dir, 'secrets')
}

describe('synapse.email', () => {
  it("maps each TLS mode onto Synapse 1.163's three switches, with the mode's default port", () => {
    const modes = (['starttls', 'implicit', 'off'] as const).map((tls) => {
      const model = synapseEmailModel(withEmail({ smtpHost: 'smtp.example.net', tls }))!
      return [tls, model.smtp_port, model.force_tls, model.require_transport_security, model.enable_tls]
    })
    expect(modes).toEqual([
      ['starttls', 587, false, true, true],
      ['implicit', 465, true, false, true],
      ['off', 25, false, false, false],
    ])
    expect(synapseEmailModel(withEmail({ smtpHost: 'smtp.example.net', smtpPort: 2525 }))!.smtp_port).toBe(2525)
  })

  it('renders the sender, and links to Element Web when it runs', () => {
    const model = synapseEmailModel(withEmail({ smtpHost: 'smtp.example.net', fromName: '%(app)s at Example' }))!
    expect(model.notif_from).toBe('%(app)s at Example <noreply@example.org>')
    expect(model.client_base_url).toBe('https://example.org')
    const noElement = synapseEmailModel(withEmail({ smtpHost: 'relay' }, { elementWeb: { enabled: false } }))!
    expect(noElement.notif_from).toBe('noreply@example.org')
    expect(noElement.client_base_url).toBeUndefined()
    expect(synapseEmailModel(parseDeploymentSpec(base))).toBeUndefined()
  })

  it('refuses header injection and % formatting in the sender, and hostile hosts', () => {
    for (const email of [
      { smtpHost: 'smtp.example.net', fromName: 'Chat\nBcc: victim@example.org' },
      { smtpHost: 'smtp.example.net', fromName: 'Chat <evil@example.org>' },
      { smtpHost: 'smtp.example.net', fromName: '100% chat' },
      { smtpHost: 'smtp.example.net', fromAddress: 'a%b@example.org' },
      { smtpHost: 'smtp.example.net;rm -rf /' },
      { smtpHost: 'SMTP.example.net' },
      { smtpHost: 'smtp.example.net', smtpUser: 'two words' },
    ]) {
      const result = safeParseDeploymentSpec({ ...base, synapse: { email: { fromAddress: 'noreply@example.org', ...email } } })
      expect(result.success, JSON.stringify(email)).toBe(false)
    }
  })

  it('needs email for verification, and never sends a password in clear', () => {
    const result = safeParseDeploymentSpec({
      ...base,
      synapse: {
        registration: { mode: 'disabled', requireEmail: true },
        email: { smtpHost: 'relay', tls: 'off', smtpUser: 'chat', fromAddress: 'noreply@example.org' },
      },
    })
    expect(result.success).toBe(false)
    expect(brief(result.success ? [] : result.issues)).toMatchInlineSnapshot(`
      [
        "email_required at synapse.registration.requireEmail: synapse.registration.requireEmail has no effect while registration.mode is 'disabled': nobody registers. | set registration.mode to 'token' or 'open', or remove requireEmail.",
        "smtp_password_in_clear at synapse.email.tls: synapse.email.tls is 'off' but smtpUser is set: the SMTP password would cross the network unencrypted. | use tls: 'starttls' (port 587) or 'implicit' (port 465), or a relay without authentication on a trusted network.",
      ]
    `)
    const noEmail = safeParseDeploymentSpec({ ...base, synapse: { registration: { mode: 'open', requireEmail: true } } })
    expect(brief(noEmail.success ? [] : noEmail.issues)).toMatchInlineSnapshot(`
      [
        "email_required at synapse.registration.requireEmail: synapse.registration.requireEmail needs outgoing email: Synapse verifies addresses by mailing a link. | add synapse.email with your SMTP server, or set requireEmail to false.",
      ]
    `)
  })

  it('open registration warns only without email verification', () => {
    const open = parseDeploymentSpec({ ...base, synapse: { registration: { mode: 'open' } } })
    expect(specWarnings(open).map((w) => w.code)).toContain('open_registration')
    const verified = withEmail({ smtpHost: 'smtp.example.net' }, { synapse: { registration: { mode: 'open', requireEmail: true } } })
    expect(specWarnings(verified).map((w) => w.code)).not.toContain('open_registration')
  })

  it('extraConfig.email may add keys, never set the ones the spec renders or the password', () => {
    const result = safeParseDeploymentSpec({
      ...base,
      synapse: { extraConfig: { email: { smtp_port: 2525, smtp_pass: 'hunter2hunter2', app_name: 'Chat' } } },
    })
    expect(brief(result.success ? [] : result.issues)).toMatchInlineSnapshot(`
      [
        "owned_key at synapse.extraConfig.email.smtp_port: synapse.extraConfig sets email.smtp_port, which messenger-stack renders itself in homeserver.yaml; use synapse.email instead. | remove email.smtp_port from synapse.extraConfig and set synapse.email.",
        "secret_in_spec at synapse.extraConfig.email.smtp_pass: synapse.extraConfig.email.smtp_pass holds a secret: everything in the spec is copied into rendered files, and rendered files never carry secrets. | set synapse.email with smtpUser instead: the password goes into secrets/smtp_password.",
      ]
    `)
    const spec = withEmail(
      { smtpHost: 'smtp.example.net' },
      { synapse: { extraConfig: { email: { app_name: 'Chat', subjects: { password_reset: 'Reset' } } } } },
    )
    const section = synapseEmailSection(spec)!
    expect(Object.keys(section).slice(-2)).toEqual(['app_name', 'subjects'])
    expect(section.subjects).toEqual({ password_reset: 'Reset' })
  })
})

describe('secrets/synapse-email.yaml', () => {
  const spec = withEmail({ smtpHost: 'smtp.example.net', smtpUser: 'chat@example.org' })

  it('holds the whole section with smtp_pass after smtp_user, and the fingerprint of the settings', () => {
    const secrets = { ...generateSecrets(), smtpPassword: 'pw: "quoted" # not a comment' }
    const text = synapseEmailFile(spec, secrets)!
    const parsed = parse(text, { version: '1.1' }) as { email: Record<string, unknown> }
    const { smtp_pass, ...rest } = parsed.email
    expect(smtp_pass).toBe(secrets.smtpPassword)
    expect(rest).toEqual(synapseEmailSection(spec))
    expect(Object.keys(parsed.email).indexOf('smtp_pass')).toBe(Object.keys(parsed.email).indexOf('smtp_user') + 1)
    expect(text).toContain(`\n# email settings ${emailSettingsFingerprint(synapseEmailSection(spec)!)}\n`)
    expect(() => synapseEmailFile(spec, { ...secrets, smtpPassword: undefined })).toThrow('no smtp_password')
  })

  it('keeps any valid password exactly (YAML 1.1, as Synapse reads it)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 60 }).filter((pw) => SecretsSchema.shape.smtpPassword.safeParse(pw).success),
        (pw) => {
          const text = synapseEmailFile(spec, { ...generateSecrets(), smtpPassword: pw })!
          expect((parse(text, { version: '1.1' }) as { email: { smtp_pass: unknown } }).email.smtp_pass).toBe(pw)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('changes fingerprint with every setting, never with the password', () => {
    const other = withEmail({ smtpHost: 'smtp.example.net', smtpUser: 'chat@example.org', smtpPort: 2587 })
    expect(emailSettingsFingerprint(synapseEmailSection(other)!)).not.toBe(emailSettingsFingerprint(synapseEmailSection(spec)!))
    const a = synapseEmailFile(spec, { ...generateSecrets(), smtpPassword: 'one-password' })!
    const b = synapseEmailFile(spec, { ...generateSecrets(), smtpPassword: 'another-password' })!
    expect(a.split('\n').find((l) => l.startsWith('# email settings'))).toBe(b.split('\n').find((l) => l.startsWith('# email settings')))
  })
})

describe('the SMTP password in the secrets folder', () => {
  it('is needed only with smtpUser', () => {
    expect(requiredSecrets()).not.toContain('smtpPassword')
    expect(requiredSecrets(withEmail({ smtpHost: 'relay' }))).not.toContain('smtpPassword')
    expect(requiredSecrets(withEmail({ smtpHost: 'relay', smtpUser: 'chat' }))).toContain('smtpPassword')
  })

  it('is created by the secrets step only for a spec that uses it, with a note; the email file follows it', async () => {
    const dir = tempDir()
    await ensureSecretsFolder(dir, { spec: parseDeploymentSpec(base) })
    expect(() => statSync(join(dir, 'smtp_password'))).toThrow()
    expect(() => statSync(join(dir, 'synapse-email.yaml'))).toThrow()

    const spec = withEmail({ smtpHost: 'smtp.example.net', smtpUser: 'chat@example.org' })
    await expect(loadSecrets(dir, dir, spec)).rejects.toThrow(SpecError)
    const report = await ensureSecretsFolder(dir, { spec })
    expect(report.files.find((f) => f.name === 'smtp_password')?.status).toBe('created')
    expect(report.files.find((f) => f.name === 'synapse-email.yaml')?.status).toBe('refreshed')
    expect(report.warnings.join('\n')).toContain('make it the password of the SMTP user chat@example.org at smtp.example.net')
    expect(statSync(join(dir, 'smtp_password')).mode & 0o777).toBe(0o600)
    expect(statSync(join(dir, 'synapse-email.yaml')).mode & 0o777).toBe(0o600)
    const generated = readFileSync(join(dir, 'smtp_password'), 'utf8')
    expect(readFileSync(join(dir, 'synapse-email.yaml'), 'utf8')).toContain(generated)
    expect((await loadSecrets(dir, dir, spec)).smtpPassword).toBe(generated)

    // The operator puts the provider's password in: the next run keeps it and rewrites the email file.
    writeFileSync(join(dir, 'smtp_password'), 'provider password 1\n')
    const again = await ensureSecretsFolder(dir, { spec })
    expect(again.files.find((f) => f.name === 'smtp_password')?.status).toBe('kept')
    expect(again.files.find((f) => f.name === 'synapse-email.yaml')?.status).toBe('refreshed')
    expect(again.warnings.join('\n')).not.toContain('smtp_password')
    expect(readFileSync(join(dir, 'synapse-email.yaml'), 'utf8')).toContain('smtp_pass: provider password 1\n')
    expect(derivedSecretFiles(spec, await loadSecrets(dir, dir, spec)).find((f) => f.name === 'synapse-email.yaml')?.content).toBe(
      readFileSync(join(dir, 'synapse-email.yaml'), 'utf8'),
    )
    // A spec without email leaves both files alone.
    utimesSync(join(dir, 'smtp_password'), 1, 1)
    const without = await ensureSecretsFolder(dir, { spec: parseDeploymentSpec(base) })
    expect(without.files.find((f) => f.name === 'smtp_password')?.status).toBe('kept')
    expect(readFileSync(join(dir, 'smtp_password'), 'utf8')).toBe('provider password 1\n')
  })

  it('refuses a password with a line break or surrounding spaces, naming the file', async () => {
    const dir = tempDir()
    const spec = withEmail({ smtpHost: 'smtp.example.net', smtpUser: 'chat@example.org' })
    await ensureSecretsFolder(dir, { spec })
    writeFileSync(join(dir, 'smtp_password'), ' two\nlines\n')
    const error = await loadSecrets(dir, 'deploy/secrets', spec).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SpecError)
    expect((error as SpecError).issues.map((i) => i.message).join('\n')).toContain('deploy/secrets/smtp_password')
  })
})
