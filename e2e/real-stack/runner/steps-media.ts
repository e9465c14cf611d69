/**
 * Real call media through the rendered routes: two headless Chromium participants get their
 * LiveKit JWTs the way Element Call does (Matrix login → OpenID token → `/get_token` through
 * nginx), join through `wss://<host>/livekit/sfu`; one publishes the fake camera and
 * microphone, the other receives. Four ways: direct UDP (the mux port), ICE over TCP (the
 * test's namespace drops every non-loopback UDP datagram meanwhile, a network without UDP),
 * relay-only through LiveKit's TURN/UDP, and relay-only through TURN/TLS on 443 of the TURN
 * domain (the only ICE server the browsers keep), which nginx routes by name to LiveKit.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { posix } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { deriveValues } from '@messenger-stack/config-schema'
import { launchBrowser } from '../harness/browser.js'
import { blockUdp, type UdpBlock } from '../harness/udp-block.js'
import { waitFor, within } from '../harness/wait.js'
import { check, type StepContext } from './context.js'
import { getToken, memberOf, openIdToken, type MatrixLogin } from './matrix-rtc.js'
import { LIVEKIT_CLIENT_PATH, MEDIA_PAGE_HTML, MEDIA_PAGE_PATH } from './media-page.js'
import type { ChatState } from './steps-matrix.js'

/** How the browsers may reach LiveKit. */
export type MediaPath = 'udp' | 'tcp' | 'turn-udp' | 'turn-tls'

interface MediaStats {
  videoBytes: number
  videoFrames: number
  audioBytes: number
  pairs: { local: { type: string; protocol: string; relayProtocol?: string }; remote: { protocol: string; port: number } }[]
}

/** Where artifacts (frames, screenshots) go: kept after a passing run. */
export function artifactsDir(ctx: StepContext): string {
  const dir = posix.join(ctx.plan.workDir, 'artifacts')
  mkdirSync(dir, { recursive: true })
  return dir
}

/** A page of the public host whose content the browser driver serves (a secure origin). */
async function callPage(ctx: StepContext, browser: Browser): Promise<Page> {
  const page = await browser.newPage()
  const umd = readFileSync(createRequire(import.meta.url).resolve('livekit-client'), 'utf8')
  await page.route(`${ctx.publicUrl}${MEDIA_PAGE_PATH}`, (route) => route.fulfill({ contentType: 'text/html', body: MEDIA_PAGE_HTML }))
  await page.route(`${ctx.publicUrl}${LIVEKIT_CLIENT_PATH}`, (route) => route.fulfill({ contentType: 'text/javascript', body: umd }))
  await page.goto(`${ctx.publicUrl}${MEDIA_PAGE_PATH}`, { timeout: 30_000 })
  return page
}

/** The selected candidate pairs must all be of the kind this path is about. */
function pathProblems(path: MediaPath, ctx: StepContext, stats: MediaStats): string[] {
  const udpPort = ctx.spec.livekit.udpPort
  if (stats.pairs.length === 0) return ['no selected ICE candidate pair']
  return stats.pairs.flatMap((p) => {
    const ok =
      path === 'udp'
        ? p.local.protocol === 'udp' && p.local.type !== 'relay' && p.remote.port === udpPort
        : path === 'tcp'
          ? p.local.protocol === 'tcp' &&
            p.local.type !== 'relay' &&
            p.remote.protocol === 'tcp' &&
            p.remote.port === ctx.spec.livekit.tcpPort
          : p.local.type === 'relay' && p.local.relayProtocol === (path === 'turn-tls' ? 'tls' : 'udp')
    return ok ? [] : [`selected pair ${JSON.stringify(p)} is not ${path}`]
  })
}

/** One call over one path: publisher and subscriber, growth of received media, a frame saved. */
export async function callMedia(ctx: StepContext, state: ChatState, path: MediaPath, details: Record<string, unknown>): Promise<void> {
  check(state.roomId !== undefined, 'no room (the chat step failed)')
  const tokens = []
  // The chat step's sessions, as a client keeps its session (every extra login from the same
  // address spends the homeserver's login rate limit, which Element Call's log-in needs later).
  for (const [name, client] of [
    ['alice', state.alice],
    ['bob', state.bob],
  ] as const) {
    check(client !== undefined, `no session of ${name} (the chat step failed)`)
    const login: MatrixLogin = { userId: client.getUserId()!, deviceId: client.getDeviceId()!, accessToken: client.getAccessToken()! }
    const got = await getToken(ctx, state.roomId, await openIdToken(ctx, login), memberOf(login))
    check(got.status === 200, `get_token for ${name}: ${got.status} ${got.text.slice(0, 200)}`)
    check(got.body.url === deriveValues(ctx.spec).livekitSfuUrl, `get_token url ${got.body.url}`)
    tokens.push(got.body as { url: string; jwt: string })
  }
  // ICE over TCP: the network carries no UDP while this call runs (both browsers and LiveKit
  // live in the test's namespace, so one rule set covers both directions).
  const udpBlock: UdpBlock | undefined = path === 'tcp' ? await blockUdp(ctx.plan.tools.nft) : undefined
  try {
    await callInBrowsers(ctx, path, tokens, details)
  } finally {
    if (udpBlock !== undefined) details.udpDropped = await udpBlock.lift()
  }
  if (udpBlock !== undefined) {
    const dropped = details.udpDropped as { packets: number }
    check(dropped.packets > 0, 'no UDP datagram was dropped: the browsers never tried UDP, so the block proved nothing')
  }
}

/** Publisher and subscriber pages in one headless browser; the received media must grow. */
async function callInBrowsers(
  ctx: StepContext,
  path: MediaPath,
  tokens: readonly { url: string; jwt: string }[],
  details: Record<string, unknown>,
): Promise<void> {
  const browser = await launchBrowser({
    chromium: ctx.plan.tools.chromium,
    certutil: ctx.plan.tools.certutil,
    caCert: ctx.plan.certs.caCert,
    homeDir: posix.join(ctx.plan.workDir, `browser-${path}`),
  })
  try {
    const publisher = await callPage(ctx, browser)
    const subscriber = await callPage(ctx, browser)
    const relayOnly = path === 'turn-udp' || path === 'turn-tls'
    const turnsOnly = path === 'turn-tls'
    // page.evaluate has no timeout of its own.
    const join = (page: Page, token: { url: string; jwt: string }, publish: boolean) =>
      within(
        `${publish ? 'publisher' : 'subscriber'} joins (${path})`,
        45_000,
        page.evaluate((o) => (globalThis as any).joinCall(o), { url: token.url, token: token.jwt, publish, relayOnly, turnsOnly }),
      )
    await join(subscriber, tokens[1]!, false)
    await join(publisher, tokens[0]!, true)
    await within(
      'the subscriber gets the video track',
      30_000,
      subscriber.evaluate(() => (globalThis as any).waitVideo()),
    )
    const sample = () => within('stats', 10_000, subscriber.evaluate(() => (globalThis as any).mediaStats()) as Promise<MediaStats>)
    const first = await waitFor(
      'the subscriber decodes video',
      async () => {
        const s = await sample()
        return s.videoFrames > 0 && s.audioBytes > 0 ? s : undefined
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    )
    const second = await waitFor(
      'received video frames, video bytes and audio bytes grow',
      async () => {
        const s = await sample()
        return s.videoFrames > first.videoFrames && s.videoBytes > first.videoBytes && s.audioBytes > first.audioBytes ? s : undefined
      },
      { timeoutMs: 20_000, intervalMs: 500 },
    )
    details.first = first
    details.second = second
    const publisherStats = (await within(
      'publisher stats',
      10_000,
      publisher.evaluate(() => (globalThis as any).mediaStats()),
    )) as MediaStats
    details.publisherPairs = publisherStats.pairs
    const problems = [...pathProblems(path, ctx, second), ...pathProblems(path, ctx, publisherStats)]
    check(problems.length === 0, problems.join('; '))
    const frame = (await within(
      'frame grab',
      10_000,
      subscriber.evaluate(() => (globalThis as any).grabFrame()),
    )) as {
      width: number
      height: number
      png: string
    }
    check(frame.width > 0 && frame.height > 0, 'the received video has no size')
    const file = posix.join(artifactsDir(ctx), `received-frame-${path}.png`)
    writeFileSync(file, Buffer.from(frame.png.replace(/^data:image\/png;base64,/, ''), 'base64'))
    details.frame = `${file} (${frame.width}x${frame.height})`
    console.log(`[runner] received video frame (${path}): ${file}`)
    for (const page of [publisher, subscriber])
      await within(
        'leave',
        10_000,
        page.evaluate(() => (globalThis as any).leaveCall()),
      )
  } finally {
    await browser.close()
  }
}
