import type { ContainerUser } from '../deployment/access.js'
import type { DeploymentSpec } from '../deployment/spec.js'
import type { ServicePort } from './ports.js'
import type { SynapseWorker } from '../workers/pools.js'
import type { ServiceName } from './service-names.js'

/**
 * The spec-dependent part of a service's catalogue record: what runs, as whom, with which
 * files, how it is checked and limited. Target-neutral: compose prints it as a service, and a
 * Kubernetes printer can print the same record as a pod spec. Strings are literal (a printer
 * escapes what its format would interpolate, such as `$` in compose).
 */
export interface Workload {
  /** The catalogue service this is. */
  readonly service: ServiceName
  /**
   * Its own name: the service's, or for a service of several instances (Synapse's workers) the
   * instance's, such as `synapse-client-1`. Compose service key; the container is
   * `<serviceName>-<name>`.
   */
  readonly name: string
  /** Pinned image reference, from `spec.images`. */
  readonly image: string
  /** The non-root user and group it runs as (`spec.containerUser`). */
  readonly user: ContainerUser
  /** Replaces the image's entrypoint. */
  readonly entrypoint?: readonly string[]
  /** Arguments (the image's command, or the entrypoint's arguments). */
  readonly command?: readonly string[]
  /** It runs a shell loop as PID 1, so it needs a minimal init that forwards signals and reaps children. */
  readonly init: boolean
  /** Environment variables (never secrets: those are files). */
  readonly environment?: Readonly<Record<string, string>>
  /** A rendered env file (bundle path) it reads its settings from; it holds no secret. */
  readonly environmentFile?: string
  /** Files, folders and volumes it sees, in reading order; tmpfs folders among them. */
  readonly mounts: readonly Mount[]
  /** Ports it listens on, from the port model; some published on the host. */
  readonly ports: readonly ServicePort[]
  /** How its health is checked, or why it cannot be. */
  readonly health: HealthCheck
  /** Its root filesystem is read-only (writable places are its tmpfs and data mounts). */
  readonly readOnlyRootFilesystem: boolean
  /** Memory limit in MiB, from the resource profile. */
  readonly memoryMb: number
  /** Maximum number of processes (threads included). */
  readonly pidsLimit: number
  /** Seconds it may take to stop before it is killed, when more than the default 10. */
  readonly stopGraceSeconds?: number
}

/**
 * What a service's own builder decides; the rest is filled in the same way for every service
 * (`service`, `image` from `spec.images`, `user`, `memoryMb` from the profile, `ports` from
 * the port model).
 */
export type WorkloadSpecifics = Omit<Workload, 'service' | 'name' | 'image' | 'user' | 'memoryMb' | 'ports'>

/** What a service's builder reads: the spec, and the service's own ports from the port model. */
export interface WorkloadInput {
  /** The deployment spec. */
  readonly spec: DeploymentSpec
  /** The service's ports (see `servicePorts`), of this instance only. */
  readonly ports: readonly ServicePort[]
  /** The Synapse worker this workload runs (`synapse-worker` only). */
  readonly worker?: SynapseWorker
}

/** What a persistent data volume holds. */
export type DataVolumeKind = 'postgres' | 'synapse' | 'letsencrypt' | 'acme-webroot' | 'prometheus'

/** A bundle file or folder, mounted read-only. */
export interface ConfigMount {
  readonly kind: 'config'
  /** Path in the bundle. */
  readonly source: string
  /** Path in the container. */
  readonly target: string
}

/** One file of the secrets folder, mounted read-only at `/secrets/<file>`, so each service sees only its own. */
export interface SecretMount {
  readonly kind: 'secret'
  /** File name in the secrets folder. */
  readonly file: string
}

/** A persistent data volume. */
export interface DataMount {
  readonly kind: 'data'
  /** Which data volume. */
  readonly volume: DataVolumeKind
  /** Path in the container. */
  readonly target: string
  /** Mounted read-only (it reads what another service writes). */
  readonly readOnly: boolean
}

/** A file of the host the operator names in the spec (their own certificate), mounted read-only. */
export interface HostFileMount {
  readonly kind: 'host-file'
  /** Absolute host path. */
  readonly source: string
  /** Path in the container. */
  readonly target: string
}

/** A writable in-memory folder of a read-only container. */
export interface TmpfsMount {
  readonly kind: 'tmpfs'
  /** Path in the container. */
  readonly target: string
  /** Size limit in MiB. */
  readonly sizeMb: number
}

/** Something a workload sees in its filesystem. */
export type Mount = ConfigMount | SecretMount | DataMount | HostFileMount | TmpfsMount

/** When a health check runs and when a workload counts as unhealthy. */
export interface HealthTiming {
  /** Seconds between two checks. */
  readonly intervalSeconds: number
  /** Seconds one check may take. */
  readonly timeoutSeconds: number
  /** Failed checks in a row before it counts as unhealthy. */
  readonly retries: number
  /** Seconds of start-up during which failures do not count (first start runs migrations, say). */
  readonly startPeriodSeconds: number
}

/** How a workload's health is checked: a program or a shell script run inside it, or nothing, and why. */
export type HealthCheck =
  | ({ readonly kind: 'exec'; readonly command: readonly string[] } & HealthTiming)
  | ({ readonly kind: 'shell'; readonly script: string } & HealthTiming)
  | { readonly kind: 'none'; readonly reason: string }

/*
 * The shared timing: every 30 s, 5 s each, unhealthy after 3 failures; `startPeriodSeconds` is
 * per service. Written out in each check rather than spread from a timing object: a spread
 * copies through a runtime call, once per workload (every Synapse worker) of every render.
 */
const INTERVAL_SECONDS = 30
const TIMEOUT_SECONDS = 5
const RETRIES = 3

/** A health check running a program (no shell needed), with the shared timing. */
export function execHealthCheck(command: readonly string[], startPeriodSeconds: number): HealthCheck {
  return { kind: 'exec', command, intervalSeconds: INTERVAL_SECONDS, timeoutSeconds: TIMEOUT_SECONDS, retries: RETRIES, startPeriodSeconds }
}

/** A health check running a `sh -c` script, with the shared timing. */
export function shellHealthCheck(script: string, startPeriodSeconds: number): HealthCheck {
  return { kind: 'shell', script, intervalSeconds: INTERVAL_SECONDS, timeoutSeconds: TIMEOUT_SECONDS, retries: RETRIES, startPeriodSeconds }
}
