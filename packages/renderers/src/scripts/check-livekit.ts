import { BUNDLE_PATHS, deriveValues, portUses, type DeploymentSpec } from '@messenger-stack/config-schema'
import { shellTemplate } from './_template.js'
import { PARTIALS, scriptView, type ScriptView } from './_common.js'

/** Bundle path of the LiveKit check script. */
export const CHECK_LIVEKIT_SCRIPT = `${BUNDLE_PATHS.scriptsDir}/check-livekit.sh`

const TEMPLATE = `#!/usr/bin/env bash
# Checks the call stack from outside, through the public URLs clients use: the LiveKit SFU,
# the MatrixRTC authorisation service (lk-jwt-service) and the well-known that advertises
# it. Then lists the ports the firewall must let through. Exits 1 when a check fails.
# Usage: scripts/check-livekit.sh
set -euo pipefail

SFU_URL=<% sfuUrl %>
JWT_HEALTH_URL=<% jwtHealthUrl %>
WELL_KNOWN_URL=<% wellKnownUrl %>
LIVEKIT_SERVICE_URL=<% livekitServiceUrl %>
failures=0

# check NAME URL: an HTTP 200 within 10 seconds.
check() {
  local code
  code="$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 "$2" 2>/dev/null || true)"
  if [[ "$code" == 200 ]]; then
    printf 'ok    %s (%s)\\n' "$1" "$2"
  else
    printf 'FAIL  %s (%s): HTTP %s\\n' "$1" "$2" "\${code:-no answer}"
    failures=$((failures + 1))
  fi
}

command -v curl >/dev/null 2>&1 || { echo "curl is not installed" >&2; exit 1; }
check "LiveKit SFU" "$SFU_URL"
check "lk-jwt-service" "$JWT_HEALTH_URL"
if curl -sS --max-time 10 "$WELL_KNOWN_URL" 2>/dev/null | grep -qF "$LIVEKIT_SERVICE_URL"; then
  printf 'ok    well-known advertises %s\\n' "$LIVEKIT_SERVICE_URL"
else
  printf 'FAIL  %s does not advertise %s\\n' "$WELL_KNOWN_URL" "$LIVEKIT_SERVICE_URL"
  failures=$((failures + 1))
fi

echo
echo "Media cannot be checked with curl. The host firewall (and any cloud security group)"
echo "must let these through to this host:"
printf '  %s\\n' <%#ports%><% . %> <%/ports%>

if ((failures > 0)); then
  echo "$failures check(s) failed" >&2
  exit 1
fi
`

const render = shellTemplate<ReturnType<typeof checkLiveKitView>>(CHECK_LIVEKIT_SCRIPT, TEMPLATE, PARTIALS)

/** Human-readable lines for the host ports LiveKit publishes, from `portUses`. */
export function livekitPortLines(spec: DeploymentSpec): string[] {
  // An indexed loop, not filter/map: the memoised port uses are frozen (V8, Node 20, slow path).
  const uses = portUses(spec)
  const lines: string[] = []
  for (let index = 0; index < uses.length; index++) {
    const use = uses[index]!
    if (use.scope !== 'host' || use.field[0] !== 'livekit') continue
    const ports = use.start === use.end ? String(use.start) : `${use.start}-${use.end}`
    const what = use.field.slice(1).join('.')
    lines.push(`${use.protocol.toUpperCase()} ${ports} (livekit.${what})`)
  }
  return lines
}

/**
 * Renders `scripts/check-livekit.sh`: LiveKit through `<sfuPath>/`, lk-jwt-service through
 * `<jwtPath>/healthz`, the well-known `rtc_foci` entry, and a reminder of the media ports.
 */
export function renderCheckLiveKitScript(spec: DeploymentSpec): string {
  return renderCheckLiveKitScriptWith(spec, scriptView(spec))
}

/** {@link renderCheckLiveKitScript} with the shared script values already computed. */
export function renderCheckLiveKitScriptWith(spec: DeploymentSpec, shared: ScriptView): string {
  return render(checkLiveKitView(spec), shared)
}

/** The values this script adds to the shared ones: the public URLs and ports it probes. */
function checkLiveKitView(spec: DeploymentSpec) {
  const derived = deriveValues(spec)
  const base = `https://${derived.livekitHost}`
  return {
    sfuUrl: `${base}${spec.livekit.sfuPath}/`,
    jwtHealthUrl: `${base}${spec.livekit.jwtPath}/healthz`,
    wellKnownUrl: `https://${spec.serverName}/.well-known/matrix/client`,
    livekitServiceUrl: derived.livekitServiceUrl,
    ports: livekitPortLines(spec),
  }
}
