/**
 * A typed model of the docker-compose files messenger-stack writes: a deliberately narrow
 * subset of the Compose Specification, restricted to what docker-compose v1 (1.29, format
 * 3.9) and Compose v2 both accept. So no top-level `name:` (v1 refuses it; projects are named
 * with `-p`) and no `healthcheck.start_interval`. Keys are declared in the order a reader
 * scans a service: what runs, as whom, with which files, how it is checked and limited.
 *
 * @see https://github.com/compose-spec/compose-spec/blob/main/spec.md
 */

/** `depends_on` condition. */
export type ComposeDependencyCondition = 'service_started' | 'service_healthy'

/** A healthcheck; `test` is an exec form (`CMD`) or a shell form (`CMD-SHELL`). */
export interface ComposeHealthcheck {
  readonly test: readonly ['CMD' | 'CMD-SHELL', ...string[]]
  readonly interval: string
  readonly timeout: string
  readonly retries: number
  readonly start_period: string
}

/** Healthcheck switched off, for an image that offers no way to check itself. */
export interface ComposeHealthcheckDisabled {
  readonly disable: true
}

/** Per-network settings of a service. */
export interface ComposeServiceNetwork {
  /** Extra DNS names of the service on that network. */
  readonly aliases?: readonly string[]
}

/** Container log rotation (json-file driver). */
export interface ComposeLogging {
  readonly driver: 'json-file'
  readonly options: { readonly 'max-size': string; readonly 'max-file': string }
}

/** One service (container) of a compose file. */
export interface ComposeService {
  readonly image: string
  readonly container_name: string
  /** The spec's `uid:gid`, written literally (never from a variable): never root. */
  readonly user: string
  readonly entrypoint?: readonly string[]
  readonly command?: readonly string[]
  /** Runs a minimal init as PID 1 that forwards signals and reaps children (shell loops). */
  readonly init?: true
  readonly env_file?: readonly string[]
  readonly environment?: Readonly<Record<string, string>>
  /** Short syntax: `./bundle/path:/container/path:ro` or `volume-name:/path[:ro]`. */
  readonly volumes?: readonly string[]
  /** Writable in-memory folders of a read-only container: `/path:size=...`. */
  readonly tmpfs?: readonly string[]
  /** Short syntax with explicit protocol: `host:container/tcp`. */
  readonly ports?: readonly string[]
  readonly networks: Readonly<Record<string, ComposeServiceNetwork>>
  readonly depends_on?: Readonly<Record<string, { readonly condition: ComposeDependencyCondition }>>
  readonly healthcheck: ComposeHealthcheck | ComposeHealthcheckDisabled
  readonly restart: 'unless-stopped'
  readonly read_only: boolean
  readonly cap_drop: readonly ['ALL']
  readonly cap_add?: readonly string[]
  readonly security_opt: readonly ['no-new-privileges:true']
  readonly mem_limit: string
  readonly pids_limit: number
  readonly stop_grace_period?: string
  readonly logging: ComposeLogging
}

/** A top-level network. `name` fixes the Docker name so it does not depend on the project. */
export interface ComposeNetwork {
  readonly name: string
  readonly external?: true
  /** No route to the outside: only the containers on it talk to each other. */
  readonly internal?: true
}

/**
 * A top-level volume. Every data volume is `external`: the deploy script creates it, bound
 * to a folder under `./data` owned by the container user (see config-schema's `dataVolumes`).
 */
export interface ComposeVolume {
  readonly name: string
  readonly external: true
}

/** A whole compose file. */
export interface ComposeFile {
  readonly services: Readonly<Record<string, ComposeService>>
  readonly networks: Readonly<Record<string, ComposeNetwork>>
  readonly volumes?: Readonly<Record<string, ComposeVolume>>
}
