#!/usr/bin/env bash
# The Kubernetes manifests, checked without a cluster (none runs here): schema of every document,
# references between them, probes, replicas, and the variables they set (see
# packaging/kubernetes/validate/check_manifests.js). Installs the pinned npm packages once into
# ANIMEREC_NPM_DIR (default build/k8s-validate).
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v node >/dev/null && command -v npm >/dev/null ||
  { echo "test_manifests: node and npm are missing (apt-get install nodejs npm)"; exit 1; }
work="${ANIMEREC_NPM_DIR:-build/k8s-validate}"
mkdir -p "$work"
cp packaging/kubernetes/validate/package.json packaging/kubernetes/validate/check_manifests.js "$work/"
if [ ! -d "$work/node_modules/kubernetes-models" ] || [ ! -d "$work/node_modules/js-yaml" ]; then
  tests/npm_install_pinned.sh "$work"
fi
node "$work/check_manifests.js" "$PWD"
