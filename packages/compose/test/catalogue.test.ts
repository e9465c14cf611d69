import { describe, expect, it } from 'vitest'
import {
  dependenciesOf,
  enabledServices,
  SERVICE_CATALOGUE,
  STATEFUL_SERVICES,
  workloads,
  type ServiceName,
} from '@messenger-stack/config-schema'
import { colourSwitchedServices, composeModel, composeVariantsFor, renderCompose } from '../src/index.js'
import { coverageSpecs } from './_walk.js'

describe.each(coverageSpecs())('compose files print the catalogue: %s', (_label, spec) => {
  const models = composeVariantsFor(spec).map((variant) => ({ variant, model: composeModel(spec, variant) }))
  // One compose service per workload: a service of the catalogue, or one Synapse worker.
  const running = workloads(spec)
  const serviceOf = (key: string): ServiceName => running.find((workload) => workload.name === key)!.service

  it('hold every enabled service of the catalogue, and nothing else', () => {
    const printed = new Set(models.flatMap(({ model }) => Object.keys(model.services)))
    expect([...printed].sort()).toEqual(running.map((workload) => workload.name).sort())
    expect([...new Set([...printed].map(serviceOf))].sort()).toEqual(enabledServices(spec).sort())
  })

  it('list services in catalogue order', () => {
    for (const { model } of models) {
      const keys = Object.keys(model.services)
      expect(keys).toEqual(running.map((workload) => workload.name).filter((name) => keys.includes(name)))
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
        const expected = dependenciesOf(spec, serviceOf(name)).flatMap((dependency) =>
          running.filter((workload) => workload.service === dependency).map((workload) => workload.name),
        )
        expect(waits).toEqual(expected)
      }
    }
  })

  it("print each service's catalogue note above services:", () => {
    for (const { variant, model } of models) {
      const text = renderCompose(spec, variant)
      for (const name of Object.keys(model.services)) {
        expect(text).toContain(`# ${serviceOf(name)}: ${SERVICE_CATALOGUE[serviceOf(name)].notes}\n`)
      }
    }
  })
})
