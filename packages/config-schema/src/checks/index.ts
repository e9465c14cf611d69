import type { DeploymentSpec } from '../deployment/spec.js'
import type { SpecIssue } from '../errors/issue.js'
import { checkNodeIp, checkRtcReachability, checkTurn, checkUdpRange } from './livekit.js'
import { checkBlueGreen, checkTlsForMode } from './modes.js'
import { checkPortClashes } from './ports.js'

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
  checkRtcReachability,
]

/** Runs every cross-field rule and returns all issues found. */
export function runSpecChecks(spec: DeploymentSpec): SpecIssue[] {
  return SPEC_CHECKS.flatMap((check) => check(spec))
}

export { checkBlueGreen, checkTlsForMode } from './modes.js'
export { checkNodeIp, checkRtcReachability, checkTurn, checkUdpRange } from './livekit.js'
export { checkPortClashes, portUses } from './ports.js'
