// Outgoing email in the bundle: homeserver.yaml leaves the email section to the secrets step's
// file, Synapse's start command reads both, and the deploy script refuses a stale email file.
import { chownSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  DERIVED_SECRET_FILES,
  derivedSecretFiles,
  parseSecrets,
  serviceWorkload,
  SYNAPSE_EMAIL_CONFIG_PATH,
  type DeploymentSpec,
} from '@messenger-stack/config-schema'
import { renderHomeserver } from '../src/homeserver.js'
import { renderAll } from '../src/render-all.js'
import { exampleSpec, TEST_SECRETS } from './_bundle-support.js'
import { readYaml, specWith } from './_renderer-fixtures.js'
import { fakeDockerBundle, type FakeDockerBundle } from './support/fake-docker.js'

const spec = exampleSpec('email')

describe('homeserver.yaml with synapse.email', () => {
  it('has no email section (Synapse would let the secret file replace it whole), and says where it is', () => {
    const text = renderHomeserver(spec)
    const parsed = readYaml(text) as Record<string, unknown>
    expect(parsed.email).toBeUndefined()
    expect(parsed.registrations_require_3pid).toEqual(['email'])
    expect(parsed.enable_registration_without_verification).toBeUndefined()
    expect(text).toContain(`Synapse reads it from ${SYNAPSE_EMAIL_CONFIG_PATH}`)
  })

  it('keeps an extraConfig.email in homeserver.yaml when the spec has no synapse.email', () => {
    const parsed = readYaml(renderHomeserver(specWith({ synapse: { extraConfig: { email: { app_name: 'Chat' } } } }))) as Record<
      string,
      any
    >
    expect(parsed.email).toEqual({ app_name: 'Chat' })
    expect(renderHomeserver(specWith({}))).not.toContain('synapse-email.yaml')
  })

  it('no rendered file carries the SMTP password or anything of the email file but its settings', () => {
    const email = derivedSecretFiles(spec, parseSecrets(TEST_SECRETS)).find((file) => file.name === DERIVED_SECRET_FILES.synapseEmail)
    expect(email?.content).toContain(TEST_SECRETS.smtpPassword)
    for (const file of renderAll(spec)) expect(file.content, file.path).not.toContain(TEST_SECRETS.smtpPassword)
  })
})

describe("Synapse's start command", () => {
  it("runs the image's start.py with both config files, and mounts the email file", () => {
    const workload = serviceWorkload(spec, 'synapse')
    expect(workload.command).toEqual(['run', '--config-path', '/config/homeserver.yaml', '--config-path', SYNAPSE_EMAIL_CONFIG_PATH])
    expect(workload.mounts).toContainEqual({ kind: 'secret', file: DERIVED_SECRET_FILES.synapseEmail })
    // Synapse never sees the bare password file: the email file carries it.
    expect(workload.mounts).not.toContainEqual({ kind: 'secret', file: 'smtp_password' })
  })

  it('keeps the image default without email', () => {
    const workload = serviceWorkload(exampleSpec('standalone'), 'synapse')
    expect(workload.command).toBeUndefined()
    expect(workload.mounts.some((mount) => mount.kind === 'secret' && mount.file === DERIVED_SECRET_FILES.synapseEmail)).toBe(false)
  })
})

describe('deploy-standalone.sh and the email file', () => {
  let bundle: FakeDockerBundle | undefined
  afterEach(() => {
    bundle?.remove()
    bundle = undefined
  })

  /** The fake bundle with the email file the secrets step writes for `written`. */
  function bundleWithEmailFile(written: DeploymentSpec): FakeDockerBundle {
    const b = fakeDockerBundle(spec)
    bundle = b
    const content = derivedSecretFiles(written, parseSecrets(TEST_SECRETS)).find(
      (f) => f.name === DERIVED_SECRET_FILES.synapseEmail,
    )!.content
    const file = join(b.work, 'bundle/secrets', DERIVED_SECRET_FILES.synapseEmail)
    writeFileSync(file, content, { mode: 0o600 })
    chownSync(file, b.uid, b.uid)
    utimesSync(join(b.work, 'bundle/secrets/smtp_password'), 1_000, 1_000)
    return b
  }

  it('starts the stack when the email file matches the spec and the password', () => {
    const result = bundleWithEmailFile(spec).run('deploy-standalone.sh')
    expect(String(result.stderr)).toContain('secrets folder ok')
    expect(result.status).toBe(0)
  })

  it('refuses an email file written for other settings', () => {
    const other = { ...spec, synapse: { ...spec.synapse, email: { ...spec.synapse.email!, smtpHost: 'old.example.net' } } }
    const b = bundleWithEmailFile(other)
    const result = b.run('deploy-standalone.sh')
    expect(result.status).toBe(1)
    expect(String(result.stderr)).toContain('synapse-email.yaml was written for other email settings')
    expect(b.log()).toEqual([])
  })

  it('refuses an email file older than smtp_password', () => {
    const b = bundleWithEmailFile(spec)
    utimesSync(join(b.work, 'bundle/secrets/smtp_password'), 4_000_000_000, 4_000_000_000)
    const result = b.run('deploy-standalone.sh')
    expect(result.status).toBe(1)
    expect(String(result.stderr)).toContain('smtp_password changed after')
    expect(b.log()).toEqual([])
  })
})
