/**
 * The deployment spec, its parsing and checks, and the schemas of the files messenger-stack
 * renders. Pure: no file system, no process (see the `/node` subpath for those).
 *
 * @module
 * @mergeModuleWith <project>
 */
export * from './deployment/access.js'
export * from './deployment/backups.js'
export * from './deployment/risks.js'
export * from './network/private-ranges.js'
export * from './deployment/data-stores.js'
export * from './deployment/derived.js'
export * from './deployment/element-web.js'
export * from './deployment/email.js'
export * from './deployment/smtp-ports.js'
export * from './deployment/images.js'
export * from './deployment/livekit.js'
export * from './deployment/livekit-defaults.js'
export * from './deployment/kubernetes.js'
export * from './deployment/primitives.js'
export * from './deployment/sizes.js'
export * from './deployment/resources.js'
export * from './deployment/resource-profiles.js'
export * from './deployment/spec.js'
export * from './deployment/input.js'
export * from './deployment/synapse.js'
export * from './deployment/well-known.js'
export * from './deployment/support.js'
export * from './deployment/workers.js'
export * from './deployment/worker-presets.js'
export * from './secret-files/secrets.js'
export * from './secret-files/file-names.js'
export { formatPath, isSpecError, issueLocation, SpecError, type IssueCode, type IssuePath, type SpecIssue } from './errors/issue.js'
export * from './errors/safe-result.js'
// The individual rules (checkX, warnX) and their registries stay internal: parsing runs them
// all, and `runSpecChecks` / `specWarnings` run them on a spec that zod alone parsed.
export {
  extraConfigOwner,
  mergeExtraConfig,
  ownershipTree,
  runSpecChecks,
  specWarnings,
  type ExtraConfigSection,
  type OwnedNode,
  type SpecCheck,
  type SpecSection,
} from './checks/index.js'
export * from './parse.js'
export * from './deployment/layout.js'
export * from './rendered-file.js'
export { derivedSecretFiles, type DerivedSecretFile } from './secret-files/derived-files.js'
export * from './secret-files/synapse-email.js'
export * from './load.js'
export * from './errors/format.js'
export * from './synapse/homeserver.js'
export * from './synapse/overridable-keys.js'
export * from './synapse/email.js'
export * from './synapse/email-model.js'
export * from './synapse/metrics-listener.js'
export * from './synapse/metrics-listener-model.js'
export * from './deployment/monitoring.js'
export * from './workload/metrics-targets.js'
export * from './prometheus/config.js'
export * from './synapse/log-config.js'
export * from './synapse/login-paths.js'
export * from './synapse/worker-config.js'
export * from './workers/endpoint-table.js'
export * from './workers/kinds.js'
export * from './workers/pools.js'
export { pathApi, poolMembers, workerRoutes, type PoolMember, type SynapseRouteBase, type WorkerRoutes } from './workers/routing.js'
export * from './livekit/config.js'
export * from './livekit/keys.js'
export * from './element-web/config.js'
export * from './synapse/homeserver-lenient.js'
export * from './livekit/config-lenient.js'
export * from './element-web/config-lenient.js'
export * from './upstream/validate.js'
export * from './upstream/versions.js'
export * from './well-known/rtc-transport.js'
export * from './well-known/rtc-transports.js'
export * from './well-known/well-known.js'
export * from './well-known/support.js'
export * from './json-schema.js'
export * from './reference-doc.js'
export * from './workload/service-names.js'
export {
  portsOf,
  portUses,
  servicePorts,
  type PortRange,
  type PortSpec,
  type PortUse,
  type PublishedPort,
  type ServicePort,
} from './workload/ports.js'
export * from './workload/catalogue.js'
export * from './workload/enabled-services.js'
export type {
  ConfigMount,
  DataMount,
  DataVolumeKind,
  HealthCheck,
  HealthTiming,
  HostFileMount,
  Mount,
  SecretMount,
  TmpfsMount,
  Workload,
  WorkloadInput,
  WorkloadSpecifics,
} from './workload/workload.js'
export * from './workload/workloads.js'
export * from './workload/data-volumes.js'
export * from './workload/route.js'
export * from './workload/routes.js'
export * from './workload/stream-routes.js'
export { POSTGRES_SUPERUSER } from './workload/services/postgres.js'
export { NGINX_PID_FILE, NGINX_RELOAD_SECONDS } from './workload/services/nginx.js'
export { ROUTER_HEALTH_PATH } from './workload/services/router.js'
export { POSTGRES_EXPORTER_DATABASE, POSTGRES_EXPORTER_ROLE } from './workload/services/postgres-exporter.js'
export { certbotDirectoryFlags } from './workload/services/certbot.js'
export { withRenderMemo } from './_render-memo.js'
