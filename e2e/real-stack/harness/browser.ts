import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'

/**
 * Headless Debian Chromium driven by playwright-core (never a downloaded browser build), with
 * a private HOME whose NSS database trusts the test CA, so TLS is verified as a user's browser
 * would, and fake camera and microphone (a test pattern and a beep) granted without prompts.
 */
export async function launchBrowser(opts: {
  readonly chromium: string
  readonly certutil: string
  readonly caCert: string
  readonly homeDir: string
  readonly args?: readonly string[]
}): Promise<Browser> {
  const nssdb = join(opts.homeDir, '.pki', 'nssdb')
  mkdirSync(nssdb, { recursive: true })
  const certutil = (args: string[]) => execFileSync(opts.certutil, ['-d', `sql:${nssdb}`, ...args], { stdio: 'pipe', timeout: 30_000 })
  certutil(['-N', '--empty-password'])
  certutil(['-A', '-t', 'C,,', '-n', 'messenger-stack test CA', '-i', opts.caCert])
  return chromium.launch({
    executablePath: opts.chromium,
    headless: true,
    timeout: 60_000,
    // playwright-core adds --no-sandbox (we are root in the test's namespaces) and --mute-audio.
    // The test pages are served by the driver itself (no address), the stack is on loopback:
    // Chromium's local-network-access checks would treat that as a public page reaching in.
    args: [
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      '--disable-features=LocalNetworkAccessChecks,PrivateNetworkAccessRespectPreflightResults',
      ...(opts.args ?? []),
    ],
    env: { HOME: opts.homeDir, PATH: '/usr/bin:/bin' },
  })
}
