import {
  BUNDLE_PATHS,
  CONTAINER_PATHS,
  certbotDirectoryFlags,
  deriveValues,
  tlsCertificatePaths,
  type DeploymentSpec,
} from '@messenger-stack/config-schema'
import { shellTemplate } from './_template.js'
import { PARTIALS, scriptView, type ScriptView } from './_common.js'

/** Bundle path of the standalone deploy script. */
export const DEPLOY_STANDALONE_SCRIPT = `${BUNDLE_PATHS.scriptsDir}/deploy-standalone.sh`

const TEMPLATE = `#!/usr/bin/env bash
# Deploys the standalone bundle: checks the secrets folder, starts PostgreSQL and sets the
# password of Synapse's database role, obtains the first TLS certificate when there is none
# yet (or checks that the container user can read the certificate files you manage), then
# starts every service and waits for Synapse and nginx.
# Usage: scripts/deploy-standalone.sh
set -euo pipefail

<%> prelude%>

<%> checkSecrets%>

<%> waitHealthy%>

<%> dataVolumes%>

<%> syncDatabaseRole%>

<%#certificateFiles%>

# Certificate files you manage yourself: compose mounts them into nginx, which runs as the
# container user, so that user must be able to read them, every folder on the way included.

# readable_by_container_user FILE: asked of the kernel as that user when this runs as root
# (setpriv, util-linux); otherwise only that very user can tell.
readable_by_container_user() {
  if [[ "$(id -u)" == 0 ]] && command -v setpriv >/dev/null 2>&1; then
    setpriv --reuid="$CONTAINER_UID" --regid="$CONTAINER_GID" --clear-groups -- test -r "$1"
  else
    [[ "$(id -u)" == "$CONTAINER_UID" ]] || log "warning: $1 is checked as UID $(id -u), not as $CONTAINER_UID: run this script with sudo"
    [[ -r "$1" ]]
  fi
}

check_certificate_files() {
  local file
  for file in <% certificate %> <% key %>; do
    [[ -f "$file" ]] || die "certificate file $file is missing"
    readable_by_container_user "$file" ||
      die "certificate file $file is not readable by UID $CONTAINER_UID, the user nginx runs as: chgrp $CONTAINER_GID $file && chmod 640 $file, and let that group into the folders above it"
  done
  log "certificate files readable by UID $CONTAINER_UID"
}
<%/certificateFiles%>

check_secrets
<%#certificateFiles%>
check_certificate_files
<%/certificateFiles%>
ensure_data_volumes
sync_database_role
<%#letsEncrypt%>

# Let's Encrypt: nginx cannot start without a certificate, and certbot needs nginx to answer
# the HTTP-01 challenge. So the first run starts nginx with a temporary self-signed
# certificate, asks certbot (webroot) for the real one, then reloads nginx.
CERT_NAME=<% certName %>
LIVE_DIR=<% liveDir %>
ACME_WEBROOT=<% acmeWebroot %>
LE_EMAIL=<% email %>
LE_STAGING=<% staging %>
DOMAINS=(<%#domains%><% . %> <%/domains%>)
BOOTSTRAP_MARKER=.messenger-stack-bootstrap

# certbot_sh PROGRAM ARGS...: runs a sh program in the certbot container. The programs are
# single-quoted on purpose: their $1, $2... are the arguments that follow.
certbot_sh() { compose run --rm -T --no-deps --entrypoint sh certbot -c "$@"; }

has_real_certificate() {
  # shellcheck disable=SC2016
  certbot_sh 'test -s "$1/fullchain.pem" && test ! -e "$1/$2"' sh "$LIVE_DIR" "$BOOTSTRAP_MARKER"
}

make_bootstrap_certificate() {
  log "creating a temporary self-signed certificate so that nginx can start"
  # shellcheck disable=SC2016
  certbot_sh 'set -e; mkdir -p "$1"; openssl req -x509 -nodes -newkey rsa:2048 -days 2 -subj "/CN=$2" -keyout "$1/privkey.pem" -out "$1/fullchain.pem" 2>/dev/null; touch "$1/$3"' \\
    sh "$LIVE_DIR" "\${DOMAINS[0]}" "$BOOTSTRAP_MARKER"
}

if has_real_certificate; then
  log "certificate $CERT_NAME found"
  compose up -d
else
  make_bootstrap_certificate
  compose up -d
  wait_healthy <% nginxContainer %> 120
  # certbot refuses to write into a live folder it did not create.
  # shellcheck disable=SC2016
  certbot_sh 'rm -rf "/etc/letsencrypt/live/$1" "/etc/letsencrypt/archive/$1" "/etc/letsencrypt/renewal/$1.conf"' sh "$CERT_NAME"
  args=(certonly --non-interactive --agree-tos --no-eff-email --email "$LE_EMAIL"
    --webroot -w "$ACME_WEBROOT" --cert-name "$CERT_NAME"
    <%#certbotFlags%><% . %> <%/certbotFlags%>)
  if [[ "$LE_STAGING" == true ]]; then args+=(--staging); fi
  for domain in "\${DOMAINS[@]}"; do args+=(-d "$domain"); done
  log "asking Let's Encrypt for a certificate covering \${DOMAINS[*]}"
  if ! compose run --rm -T --no-deps --entrypoint certbot certbot "\${args[@]}"; then
    make_bootstrap_certificate
    die "certbot failed: check the DNS records and that TCP port 80 reaches this host (see DEPLOY.md), then run this script again"
  fi
  compose exec -T nginx nginx -s reload
  log "certificate obtained; the certbot service renews it"
fi
<%/letsEncrypt%>
<%#certificateFiles%>

compose up -d
<%/certificateFiles%>
<%^tls%>
compose up -d
<%/tls%>

wait_healthy <% synapseContainer %> 300
# nginx is what clients reach: "deployed" only once it runs too.
wait_healthy <% nginxContainer %> 120
MATRIX_HOST=<% matrixHost %>
log "deployed: https://$MATRIX_HOST/ (next: scripts/create-first-user.sh)"
`

const render = shellTemplate<ReturnType<typeof deployStandaloneView>>(DEPLOY_STANDALONE_SCRIPT, TEMPLATE, PARTIALS)

/**
 * Renders `scripts/deploy-standalone.sh`: secrets folder checks, the first Let's Encrypt
 * certificate through a temporary self-signed one and certbot's webroot, then
 * `docker compose -p <serviceName> -f docker-compose.standalone.yml up -d`.
 *
 * @see https://eff-certbot.readthedocs.io/en/stable/using.html#webroot
 */
export function renderDeployStandaloneScript(spec: DeploymentSpec): string {
  return renderDeployStandaloneScriptWith(spec, scriptView(spec))
}

/** {@link renderDeployStandaloneScript} with the shared script values already computed. */
export function renderDeployStandaloneScriptWith(spec: DeploymentSpec, shared: ScriptView): string {
  return render(deployStandaloneView(spec), shared)
}

/** The values this script adds to the shared ones: how the first certificate is obtained. */
function deployStandaloneView(spec: DeploymentSpec) {
  const tls = spec.tls
  const live = tlsCertificatePaths(spec).certificate.replace(/\/fullchain\.pem$/, '')
  return {
    tls: tls?.letsEncrypt !== undefined || tls?.certificateFiles !== undefined,
    letsEncrypt:
      tls?.letsEncrypt === undefined
        ? false
        : {
            certName: spec.serviceName,
            liveDir: live,
            acmeWebroot: CONTAINER_PATHS.acmeWebroot,
            email: tls.letsEncrypt.email,
            staging: tls.letsEncrypt.staging,
            domains: deriveValues(spec).certificateHosts,
            certbotFlags: certbotDirectoryFlags(),
          },
    certificateFiles: tls?.letsEncrypt === undefined ? (tls?.certificateFiles ?? false) : false,
  }
}
