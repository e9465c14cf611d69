import { SynapseLogConfigSchema } from '@messenger-stack/config-schema'
import { describe, expect, it } from 'vitest'
import { renderSynapseLogConfig, synapseLogConfigModel } from '../src/index.js'
import { EXAMPLE_NAMES, exampleSpec, readYaml, specWith } from './_renderer-fixtures.js'

describe('renderSynapseLogConfig', () => {
  it.each(EXAMPLE_NAMES)('matches the golden file for %s', async (name) => {
    await expect(renderSynapseLogConfig(exampleSpec(name))).toMatchFileSnapshot(`golden/${name}/log.config.yaml`)
  })

  it.each(['DEBUG', 'INFO', 'WARNING', 'ERROR'] as const)('root at %s, SQL statements never at DEBUG', (level) => {
    const spec = specWith({ synapse: { logLevel: level } })
    const parsed = readYaml(renderSynapseLogConfig(spec)) as Record<string, any>
    expect(SynapseLogConfigSchema.parse(parsed)).toEqual(synapseLogConfigModel(spec))
    expect(parsed.root).toEqual({ level, handlers: ['console'] })
    expect(parsed.loggers['synapse.storage.SQL']).toEqual({ level: 'INFO' })
    expect(parsed.disable_existing_loggers).toBe(false)
    expect(parsed.version).toBe(1)
  })

  it('the schema refuses a SQL logger at DEBUG', () => {
    const model = { ...synapseLogConfigModel(specWith({})), loggers: { 'synapse.storage.SQL': { level: 'DEBUG' as const } } }
    expect(SynapseLogConfigSchema.safeParse(model).success).toBe(false)
  })
})
