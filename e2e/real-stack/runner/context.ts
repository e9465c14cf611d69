import type { DeploymentSpec } from '@messenger-stack/config-schema'
import type { ContainerSpec } from '../harness/container.js'
import type { RunningService } from '../harness/processes.js'
import type { RunnerPlan } from './plan.js'

/** What every step sees. */
export interface StepContext {
  readonly plan: RunnerPlan
  readonly spec: DeploymentSpec
  /** `https://messenger.test` (through the port forwarder and nginx). */
  readonly publicUrl: string
  /** Synapse directly on its container host name (the admin API is not public). */
  readonly synapseUrl: string
  readonly services: Map<string, RunningService>
  /** How each running service was started (for `docker exec`-like probes). */
  readonly containerSpecs: Map<string, ContainerSpec>
  /** Users made by register-user: name → password (TEST VALUES). */
  readonly users: Map<string, { userId: string; password: string }>
}

/** Throws with `message` when `condition` is false. */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message)
}

/** fetch with a bounded timeout, returning status, headers and parsed JSON (or text). */
export async function getJson(url: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; body: any; text: string }> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) })
  const text = await res.text()
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  return { status: res.status, headers: res.headers, body, text }
}
