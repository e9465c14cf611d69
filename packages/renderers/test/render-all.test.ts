import { describe, expect, it } from 'vitest'
import { BUNDLE_PATHS, nginxSitePath } from '@messenger-stack/config-schema'
import { renderAll } from '../src/render-all.js'
import { COMPOSE_EXAMPLES, EXAMPLES, exampleSpec } from './_bundle-support.js'

describe.each(EXAMPLES)('renderAll for %s', (name) => {
  const spec = exampleSpec(name)
  const files = renderAll(spec)
  const paths = files.map((file) => file.path)

  it('lists the same paths and modes as the golden listing', async () => {
    const listing = files.map((file) => `${file.mode.toString(8)} ${file.path}`).join('\n')
    await expect(`${listing}\n`).toMatchFileSnapshot(`golden/${name}/bundle-files.txt`)
  })

  it('is sorted by path, without duplicates', () => {
    expect(paths).toEqual([...paths].sort())
    expect(new Set(paths).size).toBe(paths.length)
  })

  it('renders LF files with a final newline, scripts 0755 and configs 0644', () => {
    for (const file of files) {
      expect(file.content.endsWith('\n'), file.path).toBe(true)
      expect(file.content.includes('\r'), file.path).toBe(false)
      const script = file.path.endsWith('.sh')
      expect(file.mode, file.path).toBe(script ? 0o755 : 0o644)
      if (script) expect(file.content.startsWith('#!'), file.path).toBe(true)
    }
  })

  // Kubernetes bundles hold neither compose files nor scripts (see kubernetes.test.ts).
  if (!COMPOSE_EXAMPLES.includes(name)) return

  it('holds only the files of its mode', () => {
    const standalone = [
      nginxSitePath(spec.serviceName),
      BUNDLE_PATHS.wellKnownClient,
      BUNDLE_PATHS.wellKnownServer,
      BUNDLE_PATHS.composeStandalone,
      'scripts/deploy-standalone.sh',
    ]
    const microservice = [
      BUNDLE_PATHS.gatewayProxy,
      BUNDLE_PATHS.composeCore,
      BUNDLE_PATHS.composeBlue,
      BUNDLE_PATHS.composeGreen,
      'scripts/deploy.sh',
    ]
    const [wanted, unwanted] = spec.mode === 'standalone' ? [standalone, microservice] : [microservice, standalone]
    for (const path of wanted) expect(paths).toContain(path)
    for (const path of unwanted) expect(paths).not.toContain(path)
  })

  it('contains every bundle file the compose files mount', () => {
    const mounted = files
      .filter((file) => file.path.startsWith('docker-compose.'))
      .flatMap((file) => [...file.content.matchAll(/^\s*- \.\/([^:\s]+):/gm)].map((m) => m[1]!))
      .filter((path) => !path.startsWith(`${BUNDLE_PATHS.secretsDir}/`))
    expect(mounted.length).toBeGreaterThan(3)
    for (const path of mounted)
      expect(
        paths.some((p) => p === path || p.startsWith(`${path}/`)),
        path,
      ).toBe(true)
  })
})

it('leaves out LiveKit and Element Web files when they are disabled', () => {
  const base = exampleSpec('standalone')
  const spec = { ...base, livekit: { ...base.livekit, enabled: false }, elementWeb: { ...base.elementWeb, enabled: false } }
  const paths = renderAll(spec).map((file) => file.path)
  for (const path of [BUNDLE_PATHS.livekitConfig, BUNDLE_PATHS.lkJwtEnv, BUNDLE_PATHS.elementConfig, 'scripts/check-livekit.sh'])
    expect(paths).not.toContain(path)
})
