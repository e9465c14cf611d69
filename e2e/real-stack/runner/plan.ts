import type { ImageStandInFiles } from '../harness/image-stand-ins.js'
import type { TestCertificates } from '../harness/tls.js'
import type { RealStackTools } from '../harness/tools.js'

/** What the vitest test hands the namespace runner (as JSON in `<workDir>/plan.json`). */
export interface RunnerPlan {
  readonly repoRoot: string
  readonly workDir: string
  /** The standalone bundle `messenger-stack render` wrote (with its secrets folder). */
  readonly bundleDir: string
  /** The microservice bundle for the same server name. */
  readonly microBundleDir: string
  /** A standalone bundle with the `small` worker preset, started after the main scenario. */
  readonly workersBundleDir: string
  /** The spec files the bundles were rendered from. */
  readonly specFile: string
  readonly microSpecFile: string
  readonly workersSpecFile: string
  readonly tools: RealStackTools
  readonly standIns: ImageStandInFiles
  readonly certs: TestCertificates
  /** `node` and the tsx loader (absolute) for the CLI and the browser driver. */
  readonly nodePath: string
  readonly tsxLoader: string
  /** The built CLI. */
  readonly cliBin: string
  readonly resultsFile: string
  /** Hard limit for the whole run; the runner stops everything when it is reached. */
  readonly timeLimitMs: number
  /**
   * For developers (`MESSENGER_STACK_E2E_STEPS`, a regular expression): only the matching steps
   * run (and the stack start); every other step is recorded as failed, never as passed.
   */
  readonly onlySteps?: string
}

/** The scenario steps, in order; the vitest test asserts each in its own `it`. */
export const STEPS = [
  'stack starts from the rendered bundle and becomes healthy',
  'client well-known through nginx',
  'client versions through nginx',
  'TURN/TLS: a TLS session for the TURN domain on 443 reaches LiveKit through nginx',
  'nginx: the HTTPS servers behind the stream server see the client address',
  'federation signing key through nginx',
  'register-user creates an admin and a second user',
  'matrix-js-sdk: login, room, invite, join, messages both ways',
  'uploads: just under the limit accepted, just over refused',
  'email: a password reset mail arrives over STARTTLS, authenticated with secrets/smtp_password, and its link resets the password',
  'MatrixRTC: transports, OpenID token exchange, SFU join',
  'lk-jwt-service: delegated delayed leave sent on hang-up (LiveKit webhook)',
  'lk-jwt-service: compose health check agrees with the env on both ports',
  'call media: direct UDP through the mux port',
  'call media: ICE over TCP on a network that drops UDP',
  'call media: relay-only through LiveKit TURN/UDP',
  'call media: relay-only through TURN/TLS on 443 of the TURN domain',
  'Element Call: logged-out start screen against the test homeserver',
  'Element Call: log in, join the call of a room (MatrixRTC membership, LiveKit media), hang up',
  'microservice: gateway-proxy.conf serves the same client calls',
  'metrics: real Synapse and LiveKit answer the targets of the rendered prometheus.yml; not on the client listener, not through nginx',
  'security: services run as the configured non-root user',
  'security: PostgreSQL and Redis refuse clients without their passwords',
  'PostgreSQL: the pinned major runs the rendered init script and settings',
  'security: registration without a token is refused',
  'resources: resident memory of the small profile',
  'workers (small preset): main process, generic worker and federation sender start from the rendered bundle over Redis replication',
  'workers: /sync and a federation read are served by the generic worker (its own log), and messages flow',
  'workers: resident memory per Synapse process',
] as const

/** A scenario step. */
export type StepName = (typeof STEPS)[number]

/** What the runner records for one step. */
export interface StepResult {
  readonly ok: boolean
  readonly durationMs: number
  /** Facts the step observed (asserted again by the vitest test). */
  readonly details: Record<string, unknown>
  readonly error?: string
}

/** The results file. */
export interface RunnerResults {
  steps: Partial<Record<StepName, StepResult>>
  /** Log files of every started service, for failure output. */
  logs: Record<string, string>
  finished: boolean
  fatal?: string
}
