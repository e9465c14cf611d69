import type { DeploymentSpec } from '../deployment/spec.js'
import type { SpecIssue } from '../errors/issue.js'
import { checkNodeIp, checkTurn, checkTurnPrivateNodeIp, checkUdpRange } from './livekit.js'
import { checkWellKnownDelegation } from './well-known.js'
import { checkBlueGreen, checkTlsForMode } from './modes.js'
import { checkEmail } from './email.js'
import { checkExtraConfig } from './extra-config-types.js'
import { checkPortClashes } from './ports.js'
import { checkPostgresSettings, checkSynapseNetworkAccess } from './guard-rails.js'
import { checkWorkers } from './workers.js'
import { checkPostgresConnections } from './postgres-connections.js'
import { checkKubernetesTarget } from './kubernetes.js'

/** A cross-field rule: a pure function from a parsed spec to the issues it finds. */
export type SpecCheck = (spec: DeploymentSpec) => SpecIssue[]

/** Every cross-field rule, run together so that all issues are reported at once. */
export const SPEC_CHECKS: readonly SpecCheck[] = [
  checkTlsForMode,
  checkBlueGreen,
  checkPortClashes,
  checkUdpRange,
  checkTurn,
  checkNodeIp,
  checkTurnPrivateNodeIp,
  checkWellKnownDelegation,
  checkExtraConfig,
  checkPostgresSettings,
  checkPostgresConnections,
  checkSynapseNetworkAccess,
  checkWorkers,
  checkEmail,
  checkKubernetesTarget,
]

/** A top-level section of the spec, such as `livekit` or `mode`. */
export type SpecSection = keyof DeploymentSpec

/**
 * The top-level sections each rule reads. When a spec has field errors, a rule still runs
 * if every section it reads is valid, so cross-field issues are reported together with
 * field issues. A rule missing here runs only on a fully valid spec.
 */
export const CHECK_SECTIONS: ReadonlyMap<SpecCheck, readonly SpecSection[]> = new Map<SpecCheck, readonly SpecSection[]>([
  [checkTlsForMode, ['mode', 'tls']],
  [checkBlueGreen, ['mode', 'gateway']],
  [checkPortClashes, ['mode', 'synapse', 'livekit', 'monitoring']],
  [checkUdpRange, ['livekit']],
  [checkTurn, ['mode', 'livekit', 'serverName', 'matrixHost', 'elementWeb']],
  [checkNodeIp, ['livekit']],
  [checkTurnPrivateNodeIp, ['livekit']],
  [checkWellKnownDelegation, ['mode', 'serverName', 'matrixHost', 'wellKnown', 'elementWeb', 'livekit']],
  [checkExtraConfig, ['synapse', 'livekit', 'elementWeb']],
  [checkPostgresSettings, ['postgres', 'acknowledgedRisks']],
  [checkPostgresConnections, ['postgres', 'resources', 'synapse']],
  [checkSynapseNetworkAccess, ['synapse', 'acknowledgedRisks']],
  [checkWorkers, ['synapse']],
  [checkEmail, ['synapse']],
  [checkKubernetesTarget, ['target', 'mode', 'gateway', 'support', 'synapse', 'livekit', 'kubernetes']],
])

/** Runs every cross-field rule and returns all issues found. */
export function runSpecChecks(spec: DeploymentSpec): SpecIssue[] {
  return SPEC_CHECKS.flatMap((check) => check(spec))
}

export { checkBlueGreen, checkTlsForMode } from './modes.js'
export { checkNodeIp, checkTurn, checkTurnPrivateNodeIp, checkUdpRange } from './livekit.js'
export { checkWellKnownDelegation } from './well-known.js'
export { checkPortClashes } from './ports.js'
export { checkEmail } from './email.js'
export { checkKubernetesTarget, NODE_PORT_RANGE } from './kubernetes.js'
export { checkExtraConfig, extraConfigIssues } from './extra-config-types.js'
export type { ExtraConfigSection } from './extra-config.js'
export { mergeExtraConfig } from './extra-config-merge.js'
export { extraConfigOwner, ownershipTree, type OwnedNode } from './extra-config-ownership.js'
export { checkPostgresSettings, checkSynapseNetworkAccess } from './guard-rails.js'
export { checkWorkers } from './workers.js'
export { checkPostgresConnections } from './postgres-connections.js'
export { SPEC_WARNINGS, specWarnings, warnBackupsNotConfigured, warnOpenRegistration } from './warnings.js'
export { UDP_RANGE_WARNING_PORTS, warnPrivateNodeIp, warnWideUdpRange } from './warnings-livekit.js'
export { warnWorkersMemory } from './warnings-workers.js'
