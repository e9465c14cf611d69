/**
 * Element Call's static npm build, served by the browser driver at an origin of its own with
 * a `config.json` naming the test homeserver; the app talks to the homeserver through the
 * rendered nginx TLS site, whose certificate the browser verifies against the test CA.
 */
import { existsSync, readFileSync } from 'node:fs'
import { extname, posix } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { deriveValues } from '@messenger-stack/config-schema'
import { launchBrowser } from '../harness/browser.js'
import type { StepContext } from './context.js'

/** Where the browser driver serves Element Call (a host of the test, never resolved). */
export const CALL_ORIGIN = 'https://call.messenger.test'

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
  '.ogg': 'audio/ogg',
  '.mp3': 'audio/mpeg',
}

/** An Element Call tab and what it showed: page errors, console errors, homeserver answers. */
export interface ElementCallTab {
  readonly browser: Browser
  readonly page: Page
  readonly pageErrors: string[]
  readonly consoleErrors: string[]
  readonly homeserverResponses: string[]
}

/** A fresh browser (own profile) with one Element Call tab open at `path`. */
export async function openElementCall(ctx: StepContext, profile: string, path = '/'): Promise<ElementCallTab> {
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
    homeDir: posix.join(ctx.plan.workDir, `browser-${profile}`),
  })
  try {
    const page = await browser.newPage()
    page.setDefaultTimeout(30_000)
    const tab: ElementCallTab = { browser, page, pageErrors: [], consoleErrors: [], homeserverResponses: [] }
    page.on('pageerror', (e) => tab.pageErrors.push(e.message))
    page.on('console', (m) => {
      if (m.type() === 'error') tab.consoleErrors.push(m.text().slice(0, 300))
    })
    page.on('response', (r) => {
      if (r.url().startsWith(ctx.publicUrl)) tab.homeserverResponses.push(`${r.status()} ${r.request().method()} ${r.url()}`)
    })
    await page.route(`${CALL_ORIGIN}/**`, (route) => {
      const pathname = new URL(route.request().url()).pathname
      // The embedded build refers to its files relatively (`./assets/…`, `./config.json`: it is
      // made to live under any path of Element Web), so a deep link such as `/room/…` asks for
      // `/room/assets/…`: serve `<any path>/assets/<file>` and `<any path>/config.json` from the
      // build, as a web server's rewrite for it would.
      if (pathname.endsWith('/config.json')) return route.fulfill({ contentType: 'application/json', body: JSON.stringify(config) })
      const asset = pathname.lastIndexOf('/assets/')
      const relative = asset >= 0 ? pathname.slice(asset) : pathname
      // A single-page app: every other path that is not a file is index.html.
      const file = posix.join(dist, relative === '/' || !existsSync(posix.join(dist, relative)) ? 'index.html' : relative)
      return route.fulfill({ contentType: TYPES[extname(file)] ?? 'application/octet-stream', body: readFileSync(file) })
    })
    await page.goto(`${CALL_ORIGIN}${path}`, { timeout: 60_000 })
    return tab
  } catch (err) {
    await browser.close()
    throw err
  }
}

/** The visible text of the page, shortened, for error messages. */
export async function pageText(page: Page, max = 400): Promise<string> {
  try {
    return ((await page.locator('body').textContent({ timeout: 5_000 })) ?? '').replace(/\s+/g, ' ').slice(0, max)
  } catch {
    return '(page text unavailable)'
  }
}
