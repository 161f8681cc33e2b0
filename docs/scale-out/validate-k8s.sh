#!/usr/bin/env bash
# Validates Kubernetes manifests offline (no cluster): `kubectl apply --dry-run=client` needs an API server, and the
# usual offline validators (kubeconform, kubeval) are not packaged by Debian. This installs two npm packages once,
# pinned, into a cache directory (not into the project), and runs validate-k8s.mjs with them: each document against
# its kind's JSON schema (kubernetes-models) and against the Kubernetes OpenAPI field lists (@kubernetes/client-node,
# generated from Kubernetes 1.36), so a misspelt field fails as kubectl's strict validation would.
#
#   docs/scale-out/validate-k8s.sh [FILE.yaml...]      default: docs/scale-out/study-indexed-job.yaml
#
# Needs node >= 20 and npm (Debian's nodejs and npm, or any other). EDGEQ_K8S_TOOLS sets the cache directory.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
tools="${EDGEQ_K8S_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/edgeq/k8s-validate}"
packages=(kubernetes-models@5.1.0 @kubernetes/client-node@2.0.1 yaml@2.9.1)

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "validate-k8s: needs node and npm" >&2; exit 2
fi
mkdir -p "$tools"
if [ ! -f "$tools/.installed" ] || [ "$(cat "$tools/.installed")" != "${packages[*]}" ]; then
  echo "validate-k8s: installing ${packages[*]} into $tools" >&2
  [ -f "$tools/package.json" ] || echo '{"private": true, "type": "module"}' > "$tools/package.json"
  (cd "$tools" && npm install --no-audit --no-fund --loglevel=error "${packages[@]}" >&2)
  echo "${packages[*]}" > "$tools/.installed"
fi
# Node resolves the packages from the script's own directory, so the script runs from the cache directory.
cp "$here/validate-k8s.mjs" "$tools/validate-k8s.mjs"
files=()
for f in "${@:-$here/study-indexed-job.yaml}"; do files+=("$(readlink -f "$f")"); done
exec node "$tools/validate-k8s.mjs" "${files[@]}"
