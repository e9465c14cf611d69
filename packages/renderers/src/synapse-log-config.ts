import { BUNDLE_PATHS, type DeploymentSpec, type SynapseLogConfig } from '@messenger-stack/config-schema'
import { generatedHeader, toYaml } from '@messenger-stack/config-schema/formats'

/**
 * The typed Synapse log config: console only (Docker collects it), root level from
 * `synapse.logLevel`, and `synapse.storage.SQL` pinned to INFO because at DEBUG it logs
 * statement arguments, access tokens included. Pure.
 *
 * @see https://element-hq.github.io/synapse/latest/usage/configuration/logging_sample_config.html
 */
export function synapseLogConfigModel(spec: DeploymentSpec): SynapseLogConfig {
  return {
    version: 1,
    formatters: { precise: { format: '%(asctime)s - %(name)s - %(lineno)d - %(levelname)s - %(request)s - %(message)s' } },
    handlers: { console: { class: 'logging.StreamHandler', formatter: 'precise', stream: 'ext://sys.stdout' } },
    loggers: { 'synapse.storage.SQL': { level: 'INFO' } },
    root: { level: spec.synapse.logLevel, handlers: ['console'] },
    disable_existing_loggers: false,
  }
}

/** Renders Synapse's log config (`log.config`, Python logging dictConfig YAML). Pure. */
export function renderSynapseLogConfig(spec: DeploymentSpec): string {
  return toYaml(synapseLogConfigModel(spec), { header: generatedHeader(BUNDLE_PATHS.synapseLogConfig) })
}
