/**
 * Everything a container IMAGE would provide, supplied here by the harness. This file is
 * the ONE list of inputs the real-stack test adds to what `messenger-stack render` wrote;
 * the runner asserts that every mount of every stand-in container comes from the bundle
 * folder, from a tmpfs, or from a file listed here.
 *
 * What Docker itself does (port publishing) is a stand-in too: see `tcp-forward.ts`.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ContainerMount } from './container.js'
import type { RealStackTools } from './tools.js'

/** Paths of the stand-in files the harness writes (all under `<workDir>/image`). */
export interface ImageStandInFiles {
  /** `/etc/passwd` and `/etc/group` with the container user (the postgres image uses nss_wrapper for this). */
  readonly passwd: string
  readonly group: string
  /** nginx-unprivileged's main `nginx.conf`: includes `/etc/nginx/conf.d/*.conf`, pid and temp paths under /tmp. */
  readonly nginxConf: string
  /**
   * The image's `nginx` program: Debian's, loading the stream module first (the image builds
   * it in; Debian ships it as libnginx-mod-stream), found first on the image's PATH.
   */
  readonly nginxProgram: string
  /** The postgres image's first-start steps (docker-entrypoint.sh), as a POSIX sh script. */
  readonly postgresEntrypoint: string
  /** The test CA certificate, as the image's system CA bundle (the real stack uses public CAs). */
  readonly caBundle: string
  /**
   * The Synapse image's `python` (first on its PATH, with Synapse installed): Synapse workers
   * start with `python -m synapse.app.<app>` as their compose entrypoint. Runs the provisioned
   * Synapse's interpreter.
   */
  readonly synapsePython: string
}

/** Writes the stand-in files; `caFile` is the test CA made by `tls.ts`. */
export function writeImageStandIns(workDir: string, uid: number, gid: number, caPem: string, nginxBin: string): ImageStandInFiles {
  const dir = join(workDir, 'image')
  mkdirSync(dir, { recursive: true })
  const files: ImageStandInFiles = {
    passwd: join(dir, 'passwd'),
    group: join(dir, 'group'),
    nginxConf: join(dir, 'nginx.conf'),
    nginxProgram: join(dir, 'nginx'),
    postgresEntrypoint: join(dir, 'postgres-entrypoint.sh'),
    caBundle: join(dir, 'ca-certificates.crt'),
    synapsePython: join(dir, 'python'),
  }
  writeFileSync(
    files.passwd,
    `root:x:0:0:root:/root:/usr/sbin/nologin\nstack:x:${uid}:${gid}:container user:/tmp:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n`,
  )
  writeFileSync(files.group, `root:x:0:\nstack:x:${gid}:\nnogroup:x:65534:\n`)
  writeFileSync(files.nginxConf, NGINX_MAIN_CONF)
  writeFileSync(files.nginxProgram, nginxProgram(nginxBin), { mode: 0o755 })
  writeFileSync(files.postgresEntrypoint, POSTGRES_ENTRYPOINT, { mode: 0o755 })
  writeFileSync(files.caBundle, caPem)
  writeFileSync(files.synapsePython, '#!/bin/sh\n# Stand-in for the Synapse image\'s python.\nexec "$SYNAPSE_PYTHON" "$@"\n', {
    mode: 0o755,
  })
  return files
}

/**
 * Every stand-in file, and the real programs mounted where their image keeps them, for the
 * "only non-rendered inputs" assertion.
 */
export function standInPaths(files: ImageStandInFiles, tools: RealStackTools): string[] {
  return [...Object.values(files), tools.lkJwtService, tools.lkJwtHealthcheck]
}

/** What an image adds to a compose service: entrypoint, PATH, and image files. */
export interface ImageBehaviour {
  /** Replaces the image's ENTRYPOINT (compose `command` is appended, as Docker does). */
  readonly entrypoint: readonly string[]
  /** The image's default command when compose sets none. */
  readonly defaultCommand: readonly string[]
  /** Environment the image sets (PATH and the like). */
  readonly env: Readonly<Record<string, string>>
  /** Files the image contains. */
  readonly mounts: readonly ContainerMount[]
}

const BASE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

/** The image behaviour of each compose service the test starts. */
export function imageBehaviour(service: string, tools: RealStackTools, files: ImageStandInFiles): ImageBehaviour {
  const common: ContainerMount[] = [
    { source: files.passwd, target: '/etc/passwd', readOnly: true },
    { source: files.group, target: '/etc/group', readOnly: true },
  ]
  switch (service) {
    case 'postgres':
      // docker-entrypoint.sh runs initdb, pg_ctl and postgres from PATH (the major the compose
      // file pins, from provision.sh) and the init scripts run psql (Debian's client). The
      // image's build puts the socket in /var/run/postgresql, this build in /tmp (both tmpfs
      // mounts of the compose file): PGHOST points the container's clients at it.
      return {
        entrypoint: ['/usr/local/bin/docker-entrypoint.sh'],
        defaultCommand: ['postgres'],
        env: { PATH: `${tools.pgServerBinDir}:${tools.pgBinDir}:${BASE_PATH}`, LANG: 'C.UTF-8', PGHOST: '/tmp' },
        mounts: [...common, { source: files.postgresEntrypoint, target: '/usr/local/bin/docker-entrypoint.sh', readOnly: true }],
      }
    case 'redis':
      return { entrypoint: [], defaultCommand: ['redis-server'], env: { PATH: BASE_PATH }, mounts: common }
    case 'synapse':
      // The image's ENTRYPOINT /start.py, run as a non-root user: mode `run` (the default, and
      // the first word of a compose command), `-m synapse.app.homeserver` unless a module is
      // given, `--config-path $SYNAPSE_CONFIG_PATH` unless a --config-path/-c is given, then
      // exec. The image's CA bundle is where Debian keeps it (SMTP over TLS verifies with it).
      return {
        entrypoint: ['/bin/sh', '-c', SYNAPSE_START, '/start.py'],
        defaultCommand: [],
        env: { PATH: BASE_PATH, LANG: 'C.UTF-8', PYTHONDONTWRITEBYTECODE: '1', SYNAPSE_PYTHON: tools.synapsePython },
        mounts: [
          ...common,
          { source: files.caBundle, target: '/etc/ssl/certs/ca-certificates.crt', readOnly: true },
          { source: files.synapsePython, target: '/usr/local/bin/python', readOnly: true },
        ],
      }
    case 'livekit':
      return {
        entrypoint: [tools.livekitServer],
        defaultCommand: [],
        env: {},
        mounts: [...common, { source: files.caBundle, target: '/etc/ssl/certs/ca-certificates.crt', readOnly: true }],
      }
    case 'lk-jwt-service':
      // The real service, built from upstream source, where its image keeps it (`FROM scratch`:
      // /lk-jwt-service, /lk-jwt-service-healthcheck, the CA bundle; CMD /lk-jwt-service).
      return {
        entrypoint: ['/lk-jwt-service'],
        defaultCommand: [],
        env: { PATH: BASE_PATH },
        mounts: [
          ...common,
          { source: tools.lkJwtService, target: '/lk-jwt-service', readOnly: true },
          { source: tools.lkJwtHealthcheck, target: '/lk-jwt-service-healthcheck', readOnly: true },
          { source: files.caBundle, target: '/etc/ssl/certs/ca-certificates.crt', readOnly: true },
        ],
      }
    case 'nginx':
      return {
        entrypoint: [tools.nginx],
        defaultCommand: ['-g', 'daemon off;'],
        env: { PATH: BASE_PATH },
        mounts: [
          ...common,
          { source: files.nginxConf, target: '/etc/nginx/nginx.conf', readOnly: true },
          { source: files.nginxProgram, target: '/usr/local/sbin/nginx', readOnly: true },
          { source: 'tmpfs', target: '/tmp', readOnly: false },
        ],
      }
    default:
      throw new Error(`no image stand-in for compose service '${service}'`)
  }
}

// What the Synapse image's docker/start.py does in `run` mode for a non-root user (no gosu,
// no chown), as POSIX sh: the arguments after the mode go to Synapse.
const SYNAPSE_START = `set -eu
mode="\${1:-run}"
if [ "$#" -gt 0 ]; then shift; fi
if [ "$mode" != run ]; then echo "Unknown execution mode '$mode'" >&2; exit 2; fi
case " $* " in *" -m "*) ;; *) set -- -m synapse.app.homeserver "$@" ;; esac
has_config=no
for arg in "$@"; do case "$arg" in --config-path* | -c*) has_config=yes ;; esac; done
if [ "$has_config" = no ]; then set -- "$@" --config-path "\${SYNAPSE_CONFIG_PATH:-/data/homeserver.yaml}"; fi
exec "$SYNAPSE_PYTHON" "$@"
`

/** Where Debian's libnginx-mod-stream puts the stream module. */
export const DEBIAN_STREAM_MODULE = '/usr/lib/nginx/modules/ngx_stream_module.so'

/**
 * The image's `nginx`: Debian's binary with the stream module loaded through `-g` (merged with
 * a `-g` the caller passes, such as the compose entrypoint's `daemon off;`), for every use:
 * starting, `-t`, `-s reload`.
 */
function nginxProgram(nginxBin: string): string {
  return `#!/bin/sh
# Stand-in for the nginx program of the nginx image, which has the stream module built in.
load='load_module ${DEBIAN_STREAM_MODULE};'
if [ "\${1:-}" = -g ]; then
  global="$2"
  shift 2
  exec ${nginxBin} -g "$load $global" "$@"
fi
exec ${nginxBin} -g "$load" "$@"
`
}

const NGINX_MAIN_CONF = `# Stand-in for the nginxinc/nginx-unprivileged image's /etc/nginx/nginx.conf.
worker_processes 1;
error_log /dev/stderr notice;
pid /tmp/nginx.pid;
events { worker_connections 1024; }
http {
  proxy_temp_path /tmp/proxy_temp;
  client_body_temp_path /tmp/client_temp;
  fastcgi_temp_path /tmp/fastcgi_temp;
  uwsgi_temp_path /tmp/uwsgi_temp;
  scgi_temp_path /tmp/scgi_temp;
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log /dev/stdout;
  sendfile on;
  keepalive_timeout 65;
  include /etc/nginx/conf.d/*.conf;
}
`

// The first-start steps of the postgres image's docker-entrypoint.sh, reduced to what the
// bundle relies on: initdb with POSTGRES_INITDB_ARGS and the superuser password from
// POSTGRES_PASSWORD_FILE, a socket-only temporary server started with the compose command's
// arguments, every /docker-entrypoint-initdb.d/*.sh run (executed if executable, else
// sourced) with POSTGRES_USER, POSTGRES_DB and PGPASSWORD set, then the real server.
const POSTGRES_ENTRYPOINT = `#!/bin/sh
set -eu
if [ "\${1:-}" = postgres ]; then shift; fi
: "\${PGDATA:?}" "\${POSTGRES_USER:=postgres}" "\${POSTGRES_DB:=$POSTGRES_USER}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  initdb -D "$PGDATA" --username="$POSTGRES_USER" --pwfile="$POSTGRES_PASSWORD_FILE" $POSTGRES_INITDB_ARGS
  PGPASSWORD="$(cat "$POSTGRES_PASSWORD_FILE")"
  export PGPASSWORD POSTGRES_USER POSTGRES_DB
  pg_ctl -D "$PGDATA" -w -t 60 -o "$* -c listen_addresses=''" start
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh) if [ -x "$f" ]; then "$f"; else . "$f"; fi ;;
      *) echo "ignoring $f" ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop
  unset PGPASSWORD
fi
exec postgres "$@"
`
