import { describe, expect, it } from 'vitest'
import { dependenciesOf, enabledServices, SERVICE_CATALOGUE, STATEFUL_SERVICES } from '@messenger-stack/config-schema'
import { colourSwitchedServices, composeModel, composeVariantsFor, renderCompose } from '../src/index.js'
import { coverageSpecs } from './_walk.js'

describe.each(coverageSpecs())('compose files print the catalogue: %s', (_label, spec) => {
  const models = composeVariantsFor(spec).map((variant) => ({ variant, model: composeModel(spec, variant) }))

  it('hold every enabled service of the catalogue, and nothing else', () => {
    const printed = new Set(models.flatMap(({ model }) => Object.keys(model.services)))
    expect([...printed].sort()).toEqual(enabledServices(spec).sort())
  })

  it('list services in catalogue order', () => {
    for (const { model } of models) {
      const keys = Object.keys(model.services)
      expect(keys).toEqual(enabledServices(spec).filter((service) => keys.includes(service)))
    }
  })

  it('keep stateful services out of the colour files, and the switched ones out of the core', () => {
    for (const { variant, model } of models) {
      const keys = Object.keys(model.services)
      if (variant === 'blue' || variant === 'green') {
        for (const key of keys) expect(STATEFUL_SERVICES).not.toContain(key)
        expect(keys).toEqual(colourSwitchedServices(spec))
      }
      if (variant === 'core') for (const key of colourSwitchedServices(spec)) expect(keys).not.toContain(key)
    }
  })

  it("wait for each service's catalogue dependencies", () => {
    for (const { model } of models) {
      for (const [name, service] of Object.entries(model.services)) {
        const waits = Object.keys(service.depends_on ?? {})
        expect(waits).toEqual(dependenciesOf(spec, name as keyof typeof SERVICE_CATALOGUE))
      }
    }
  })

  it("print each service's catalogue note above services:", () => {
    for (const { variant, model } of models) {
      const text = renderCompose(spec, variant)
      for (const name of Object.keys(model.services)) {
        expect(text).toContain(`# ${name}: ${SERVICE_CATALOGUE[name as keyof typeof SERVICE_CATALOGUE].notes}\n`)
      }
    }
  })
})
