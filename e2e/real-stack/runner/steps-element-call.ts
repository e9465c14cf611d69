/**
 * Element Call (its static npm build) with a `config.json` naming the test homeserver, loaded
 * in headless Chromium; the app talks to the homeserver through the rendered nginx TLS site,
 * whose certificate the browser verifies against the test CA.
 */
import { existsSync, readFileSync } from 'node:fs'
import { extname, posix } from 'node:path'
import { deriveValues } from '@messenger-stack/config-schema'
import { launchBrowser } from '../harness/browser.js'
import { check, type StepContext } from './context.js'
import { artifactsDir } from './steps-media.js'

/** Where the browser driver serves Element Call (a host of the test, never resolved). */
const CALL_ORIGIN = 'https://call.messenger.test'

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
}

/** Element Call's logged-out start screen comes up without an error; a screenshot is kept. */
export async function elementCall(ctx: StepContext, details: Record<string, unknown>): Promise<void> {
  const dist = ctx.plan.tools.elementCallDir
  const config = {
    default_server_config: {
      'm.homeserver': { base_url: deriveValues(ctx.spec).homeserverBaseUrl, server_name: ctx.spec.serverName },
    },
  }
  const browser = await launchBrowser({
    chromium: ctx.plan.tools.chromium,
    certutil: ctx.plan.tools.certutil,
    caCert: ctx.plan.certs.caCert,
    homeDir: posix.join(ctx.plan.workDir, 'browser-element-call'),
  })
  try {
    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    const homeserverRequests: string[] = []
    page.on('response', (r) => {
      if (r.url().startsWith(ctx.publicUrl)) homeserverRequests.push(`${r.status()} ${r.url()}`)
    })
    await page.route(`${CALL_ORIGIN}/**`, (route) => {
      const path = new URL(route.request().url()).pathname
      if (path === '/config.json') return route.fulfill({ contentType: 'application/json', body: JSON.stringify(config) })
      const file = posix.join(dist, path === '/' || !existsSync(posix.join(dist, path)) ? 'index.html' : path)
      return route.fulfill({ contentType: TYPES[extname(file)] ?? 'application/octet-stream', body: readFileSync(file) })
    })
    await page.goto(`${CALL_ORIGIN}/`, { timeout: 60_000 })
    await page.getByText('Start new call').first().waitFor({ timeout: 60_000 })
    const text = (await page.locator('body').textContent()) ?? ''
    details.homeserverRequests = homeserverRequests.slice(0, 10)
    details.pageErrors = errors
    const shot = posix.join(artifactsDir(ctx), 'element-call-start.png')
    await page.screenshot({ path: shot })
    details.screenshot = shot
    console.log(`[runner] Element Call screenshot: ${shot}`)
    check(!/something went wrong/i.test(text), `Element Call shows an error: ${text.slice(0, 300)}`)
    check(/log in/i.test(text), `the start screen offers no log-in: ${text.slice(0, 300)}`)
  } finally {
    await browser.close()
  }
}
