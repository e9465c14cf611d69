#!/usr/bin/env bash
# Builds helm v3.22.0 from the Go module proxy with the flags of helm's release Makefile, for
# bench/helm-compare.mjs. A plain `go install` leaves helm's Kubernetes version at its
# default (1.20), which the ESS chart refuses (kubeVersion >= 1.22): the release build sets it
# from the client-go version helm is built with (v0.37 -> 1.37).
# Usage: bench/helm/build-helm.sh [output-dir]   (default: $MESSENGER_STACK_CACHE/bin or ./.cache/bin)
# Rebuilds only when the stamp (version, flags, Go) changes. Needs Go and network access to
# the module proxy (or a warm module cache).
set -euo pipefail
VERSION=v3.22.0
K8S_MINOR=37 # helm v3.22.0's go.mod requires k8s.io/client-go v0.37.0
OUT="${1:-${MESSENGER_STACK_CACHE:-$(pwd)/.cache}/bin}"
LDFLAGS="-w -s -X helm.sh/helm/v3/internal/version.version=$VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
for pkg in pkg/lint/rules pkg/chartutil; do
  LDFLAGS+=" -X helm.sh/helm/v3/$pkg.k8sVersionMajor=1 -X helm.sh/helm/v3/$pkg.k8sVersionMinor=$K8S_MINOR"
done
STAMP="source=helm.sh/helm/v3@$VERSION flags=-trimpath CGO_ENABLED=0 -ldflags=$LDFLAGS go=$(go env GOVERSION)"
BIN="$OUT/helm"
if [[ -x "$BIN" && -f "$BIN.stamp" && "$(cat "$BIN.stamp")" == "$STAMP" ]]; then
  echo "helm $VERSION already built: $BIN" >&2
  exit 0
fi
mkdir -p "$OUT"
echo "downloading helm.sh/helm/v3@$VERSION from the Go module proxy" >&2
SRC="$(go mod download -json "helm.sh/helm/v3@$VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
[[ -d "$SRC" ]] || { echo "go mod download gave no source folder" >&2; exit 1; }
HAVE="$(env -C "$SRC" go list -m -f '{{.Version}}' k8s.io/client-go)"
[[ "$HAVE" == v0.$K8S_MINOR.* ]] || { echo "helm $VERSION uses client-go $HAVE, not v0.$K8S_MINOR: update K8S_MINOR" >&2; exit 1; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cp -r "$SRC/." "$WORK" && chmod -R u+w "$WORK" # the module cache is read-only
echo "compiling helm $VERSION (a few minutes on 2 busy cores)" >&2
env -C "$WORK" CGO_ENABLED=0 go build -trimpath -ldflags "$LDFLAGS" -o "$BIN.new" ./cmd/helm
mv -f "$BIN.new" "$BIN"
printf '%s\n' "$STAMP" >"$BIN.stamp"
"$BIN" version >&2
