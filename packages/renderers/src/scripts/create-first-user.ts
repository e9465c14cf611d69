import { BUNDLE_PATHS, type DeploymentSpec } from '@messenger-stack/config-schema'
import { shellTemplate } from './_template.js'
import { PARTIALS, scriptView, type ScriptView } from './_common.js'

/** Bundle path of the first-user script. */
export const CREATE_FIRST_USER_SCRIPT = `${BUNDLE_PATHS.scriptsDir}/create-first-user.sh`

const TEMPLATE = `#!/usr/bin/env bash
# Creates a Matrix account (an administrator unless --no-admin) with Synapse's
# register_new_matrix_user, inside the running Synapse container. The password is prompted
# for and never appears on a command line. Without a terminal, use
# 'messenger-stack register-user' instead.
# Usage: scripts/create-first-user.sh USERNAME [--no-admin]
set -euo pipefail

<%> prelude%>

SYNAPSE_CONFIG=<% synapseHomeserver %>
SYNAPSE_URL=<% synapseUrl %>

[[ $# -ge 1 && $# -le 2 ]] || die "usage: scripts/create-first-user.sh USERNAME [--no-admin]"
username="$1"
admin=--admin
if [[ $# -eq 2 ]]; then
  [[ "$2" == --no-admin ]] || die "unknown option $2 (usage: scripts/create-first-user.sh USERNAME [--no-admin])"
  admin=--no-admin
fi
[[ "$username" =~ ^[a-z0-9._=/+-]+$ ]] || die "a Matrix user name is lowercase letters, digits and ._=/+- only"
[[ -t 0 ]] || die "the password is prompted for, so this needs a terminal; use 'messenger-stack register-user' in scripts"

compose exec synapse register_new_matrix_user -c "$SYNAPSE_CONFIG" -u "$username" "$admin" "$SYNAPSE_URL"
`

const render = shellTemplate<ScriptView>(CREATE_FIRST_USER_SCRIPT, TEMPLATE, PARTIALS)

/**
 * Renders `scripts/create-first-user.sh`: `register_new_matrix_user` run through
 * `docker compose exec` against the rendered homeserver.yaml (which points at the shared
 * secret file), with the password prompted for.
 *
 * @see https://element-hq.github.io/synapse/latest/setup/installation.html#registering-a-user
 */
export function renderCreateFirstUserScript(spec: DeploymentSpec): string {
  return renderCreateFirstUserScriptWith(spec, scriptView(spec))
}

/** {@link renderCreateFirstUserScript} with the shared script values already computed. */
export function renderCreateFirstUserScriptWith(_spec: DeploymentSpec, shared: ScriptView): string {
  return render(shared)
}
