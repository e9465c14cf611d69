import { ElementConfigSchema, safeParseDeploymentSpec } from '@messenger-stack/config-schema'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { elementConfigModel, renderElementConfig } from '../src/index.js'
import { EXAMPLE_NAMES, FRAGMENTS, exampleSpec, specWith } from './_renderer-fixtures.js'

type Json = Record<string, any>
const rendered = (text: string) => JSON.parse(text) as Json

describe('renderElementConfig', () => {
  it.each(EXAMPLE_NAMES)('matches the golden file for %s', async (name) => {
    await expect(renderElementConfig(exampleSpec(name))).toMatchFileSnapshot(`golden/${name}/element-config.json`)
  })

  it.each(EXAMPLE_NAMES)('%s: the model passes the strict schema and the JSON equals it', (name) => {
    const spec = exampleSpec(name)
    const model = elementConfigModel(spec)
    expect(() => ElementConfigSchema.parse(model)).not.toThrow()
    expect(rendered(renderElementConfig(spec))).toEqual(JSON.parse(JSON.stringify(model)))
  })

  it('points at this homeserver only and uses Element Call when calls are deployed', () => {
    const config = rendered(renderElementConfig(exampleSpec('standalone')))
    expect(config.default_server_config).toEqual({ 'm.homeserver': { base_url: 'https://matrix.example.org', server_name: 'example.org' } })
    expect(config).not.toHaveProperty('default_server_name')
    expect(config).not.toHaveProperty('default_hs_url')
    expect(config).toMatchObject({
      brand: 'Example Chat',
      default_theme: 'dark',
      disable_guests: true,
      disable_custom_urls: true,
      show_labs_settings: false,
    })
    expect(config.element_call).toEqual({ use_exclusively: true })
    expect(config.room_directory).toEqual({ servers: ['example.org'] })
  })

  it('turns call UI off without LiveKit and follows federation and presence', () => {
    const config = rendered(renderElementConfig(specWith(FRAGMENTS.noCalls, FRAGMENTS.noFederation, FRAGMENTS.noPresence)))
    expect(config.element_call).toEqual({ disable: true })
    expect(config).not.toHaveProperty('features')
    expect(config.setting_defaults).toEqual({ 'UIFeature.voip': false })
    expect(config.default_federate).toBe(false)
    expect(config.enable_presence_by_hs_url).toEqual({ 'https://example.org': false })
  })

  it('writes only snake_case keys of its own', () => {
    const keys = Object.keys(rendered(renderElementConfig(exampleSpec('standalone'))))
    for (const key of keys) expect(key).toMatch(/^[a-z][a-z0-9_]*$/)
  })

  it('merges elementWeb.extraConfig last, sorted', () => {
    const config = rendered(
      renderElementConfig(
        specWith({ elementWeb: { extraConfig: { privacy_policy_url: 'https://example.org/p', bug_report_endpoint_url: 'local' } } }),
      ),
    )
    expect(Object.keys(config).slice(-2)).toEqual(['bug_report_endpoint_url', 'privacy_policy_url'])
  })

  it('hostile brand and extraConfig strings stay inside their member', () => {
    const unit = fc.constantFrom('a', ' ', '"', '\\', '}', '{', ',', ':', '<', '/', '\u2028', '\u2029', '$', "'", '\n')
    fc.assert(
      fc.property(fc.string({ unit, minLength: 1, maxLength: 40 }), (text) => {
        const parsed = safeParseDeploymentSpec({
          serverName: 'example.org',
          tls: { letsEncrypt: { email: 'admin@example.org' } },
          elementWeb: { brand: text, extraConfig: { privacy_policy_url: text } },
        })
        if (!parsed.success) {
          // Only the brand's "one line, no control characters" rule may refuse it.
          expect(parsed.issues.map((i) => i.path.join('.'))).toEqual(['elementWeb.brand'])
          return
        }
        const config = rendered(renderElementConfig(parsed.spec))
        expect(config.brand).toBe(text)
        expect(config.privacy_policy_url).toBe(text)
        expect(Object.keys(config)).toEqual([
          ...Object.keys(JSON.parse(JSON.stringify(elementConfigModel(parsed.spec)))),
          'privacy_policy_url',
        ])
      }),
      { numRuns: 100 },
    )
  })
})
