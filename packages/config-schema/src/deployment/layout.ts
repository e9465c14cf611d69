import { generatedHeader } from '../formats/header.js'

/**
 * Where every rendered file lives in the bundle (relative to the output folder; the original
 * service's paths where it had them) and where containers see it. Renderers, compose files,
 * scripts and the real-stack tests all read these, so a path is written down once.
 */
export const BUNDLE_PATHS = {
  homeserver: 'synapse/config/homeserver.yaml',
  synapseLogConfig: 'synapse/config/log.config',
  /** One config file per Synapse worker: see {@link synapseWorkerConfigPath}. */
  synapseWorkersDir: 'synapse/config/workers',
  livekitConfig: 'livekit/config.yaml',
  lkJwtEnv: 'livekit/lk-jwt-service.env',
  elementConfig: 'element/config.json',
  wellKnownClient: 'nginx/well-known/matrix/client',
  wellKnownServer: 'nginx/well-known/matrix/server',
  /** Standalone nginx site; the file name carries the service name: see {@link nginxSitePath}. */
  nginxConfDir: 'nginx/conf.d',
  /**
   * nginx's main config, rendered only when port 443 is shared by name (TURN/TLS): the image's
   * own one has no `stream` context. Mounted over the image's `/etc/nginx/nginx.conf`.
   */
  nginxMainConf: 'nginx/nginx.conf',
  gatewayProxy: 'nginx/gateway-proxy.conf',
  postgresInit: 'postgres/init/10-synapse-database.sh',
  postgresConf: 'postgres/postgresql.conf',
  /** Client authentication rules (scram-sha-256 everywhere, no `trust`), named by `hba_file`. */
  postgresHba: 'postgres/pg_hba.conf',
  redisConf: 'redis/redis.conf',
  /** Prometheus scrape config (with `monitoring`), for the bundle's Prometheus or one of your own. */
  prometheusConfig: 'prometheus/prometheus.yml',
  envExample: '.env.example',
  composeStandalone: 'docker-compose.standalone.yml',
  composeCore: 'docker-compose.core.yml',
  composeBlue: 'docker-compose.blue.yml',
  composeGreen: 'docker-compose.green.yml',
  deployDoc: 'DEPLOY.md',
  scriptsDir: 'scripts',
  /** Secrets folder, relative to the bundle (mode 0700, files 0600, never rendered). */
  secretsDir: 'secrets',
  /** Data folders behind the external volumes (`data/<kind>`), owned by the container user. */
  dataDir: 'data',
  /** Where `scripts/backup.sh` writes by default (`backups/<UTC time>`). */
  backupsDir: 'backups',
  /** Keeps secrets, data and backups out of git (see {@link bundleGitignore}). */
  gitignore: '.gitignore',
} as const

/**
 * The bundle's `.gitignore`: the secrets folder, the data folders, backups and `.env` (the
 * original service kept secrets there) never get committed, whatever the operator's own
 * git habits. `render` writes it into the bundle and `init` into its folder, the same bytes,
 * so rendering into an initialised folder finds it unchanged.
 */
export function bundleGitignore(): string {
  const lines = [
    ...generatedHeader(BUNDLE_PATHS.gitignore).map((line) => `# ${line}`),
    '# Secrets, every message and password hash (data/, backups/) never belong in git.',
    `/${BUNDLE_PATHS.secretsDir}/`,
    `/${BUNDLE_PATHS.dataDir}/`,
    `/${BUNDLE_PATHS.backupsDir}/`,
    '/.env',
  ]
  return `${lines.join('\n')}\n`
}

/** Path of the standalone nginx site in the bundle. */
export function nginxSitePath(serviceName: string): string {
  return `${BUNDLE_PATHS.nginxConfDir}/${serviceName}.conf`
}

/** Path of a Synapse worker's config file in the bundle: `synapse/config/workers/synapse-client-1.yaml`. */
export function synapseWorkerConfigPath(workerName: string): string {
  return `${BUNDLE_PATHS.synapseWorkersDir}/${workerName}.yaml`
}

/** Path of the microservice router's routes in the bundle (its conf.d holds only this file). */
export function routerConfPath(serviceName: string): string {
  return `${BUNDLE_PATHS.nginxConfDir}/${serviceName}-router.conf`
}

/** Paths inside the containers. */
export const CONTAINER_PATHS = {
  /** Synapse config folder (read-only): homeserver.yaml and log.config. */
  synapseConfigDir: '/config',
  synapseHomeserver: '/config/homeserver.yaml',
  synapseLogConfig: '/config/log.config',
  /** A worker's own config file is mounted here, beside the shared homeserver.yaml. */
  synapseWorkerConfigDir: '/config/workers',
  /** Synapse data folder (writable volume): media store. */
  synapseDataDir: '/data',
  synapseMediaStore: '/data/media_store',
  /**
   * Synapse's admin listener, a Unix socket in its data volume (`data/synapse/admin.sock` on the
   * host, see {@link synapseAdminSocketPath}): the admin API for the operator, with no TCP port
   * anyone else could reach and no proxy header anyone could forge.
   */
  synapseAdminSocket: '/data/admin.sock',
  /** Every secret file is mounted one by one, read-only, under this folder. */
  secretsDir: '/secrets',
  livekitConfig: '/etc/livekit/config.yaml',
  elementConfig: '/app/config.json',
  redisConf: '/usr/local/etc/redis/redis.conf',
  prometheusConfig: '/etc/prometheus/prometheus.yml',
  /** Prometheus's samples (writable data volume). */
  prometheusDataDir: '/prometheus',
  redisDataDir: '/data',
  postgresInitDir: '/docker-entrypoint-initdb.d',
  postgresConf: '/etc/postgresql/postgresql.conf',
  postgresHba: '/etc/postgresql/pg_hba.conf',
  postgresDataDir: '/var/lib/postgresql/data',
  nginxConfDir: '/etc/nginx/conf.d',
  nginxMainConf: '/etc/nginx/nginx.conf',
  nginxWellKnownDir: '/usr/share/nginx/well-known',
  /** certbot's webroot for HTTP-01 challenges, shared by nginx and certbot. */
  acmeWebroot: '/var/www/certbot',
  letsEncryptDir: '/etc/letsencrypt',
} as const

/** Ports services listen on inside their containers (not published unless stated). */
export const CONTAINER_PORTS = {
  /** Unprivileged nginx listens above 1024; compose publishes these as 80 and 443. */
  nginxHttp: 8080,
  nginxHttps: 8443,
  /** The Synapse main process's replication listener (internal network only), with workers. */
  synapseReplication: 9093,
  /** The microservice router (nginx-unprivileged too), reached by the gateway only. */
  router: 8080,
  postgres: 5432,
  redis: 6379,
  elementWeb: 8080,
  /** The exporters' and Prometheus's default listen ports (with `monitoring`). */
  postgresExporter: 9187,
  redisExporter: 9121,
  prometheus: 9090,
} as const
