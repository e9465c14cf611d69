import { WellKnownClientSchema, WellKnownServerSchema } from '@messenger-stack/config-schema'
import { describe, expect, it } from 'vitest'
import { renderWellKnownClient, renderWellKnownServer, wellKnownClientModel, wellKnownServerModel } from '../src/index.js'
import { EXAMPLE_NAMES, FRAGMENTS, exampleSpec, specWith } from './_renderer-fixtures.js'

describe('well-known renderers', () => {
  it.each(EXAMPLE_NAMES)('match the golden files for %s', async (name) => {
    const spec = exampleSpec(name)
    await expect(renderWellKnownClient(spec)).toMatchFileSnapshot(`golden/${name}/well-known-client.json`)
    await expect(renderWellKnownServer(spec)).toMatchFileSnapshot(`golden/${name}/well-known-server.json`)
  })

  it.each(EXAMPLE_NAMES)('%s: strict schemas accept the parsed JSON', (name) => {
    const spec = exampleSpec(name)
    expect(WellKnownClientSchema.parse(JSON.parse(renderWellKnownClient(spec)))).toEqual(wellKnownClientModel(spec))
    expect(WellKnownServerSchema.parse(JSON.parse(renderWellKnownServer(spec)))).toEqual(wellKnownServerModel(spec))
  })

  it('delegates to the Matrix host and advertises the LiveKit transport', () => {
    const spec = exampleSpec('standalone')
    expect(JSON.parse(renderWellKnownServer(spec))).toEqual({ 'm.server': 'matrix.example.org:443' })
    expect(JSON.parse(renderWellKnownClient(spec))).toEqual({
      'm.homeserver': { base_url: 'https://matrix.example.org' },
      'org.matrix.msc4143.rtc_foci': [{ type: 'livekit', livekit_service_url: 'https://matrix.example.org/livekit/jwt' }],
    })
  })

  it('leaves rtc_foci out when calls are off', () => {
    expect(JSON.parse(renderWellKnownClient(specWith(FRAGMENTS.noCalls)))).toEqual({ 'm.homeserver': { base_url: 'https://example.org' } })
  })

  it('ends with exactly one newline and uses LF only', () => {
    const text = renderWellKnownClient(exampleSpec('microservice'))
    expect(text.endsWith('}\n')).toBe(true)
    expect(text).not.toContain('\r')
  })
})
