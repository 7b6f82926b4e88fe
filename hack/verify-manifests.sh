#!/usr/bin/env bash
# Renders every kustomize directory under k8s/ with `kubectl kustomize` and fails on the first
# error. Directories without a kustomization.yaml are skipped; the root k8s/ is rendered only
# when all the directories it lists exist.
#   hack/verify-manifests.sh            # from anywhere inside the repository
#   KUBECTL=/path/to/kubectl hack/verify-manifests.sh
set -o errexit
set -o nounset
set -o pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KUBECTL="${KUBECTL:-kubectl}"

if ! command -v "${KUBECTL}" >/dev/null 2>&1; then
  echo "error: ${KUBECTL} not found; install kubectl (it embeds kustomize) or set KUBECTL" >&2
  exit 1
fi

render() {
  local dir="$1"
  local out
  if ! out="$("${KUBECTL}" kustomize "${dir}" 2>&1)"; then
    echo "FAIL ${dir#"${REPO_ROOT}"/}" >&2
    echo "${out}" >&2
    return 1
  fi
  local count
  count="$(grep -c '^kind:' <<<"${out}" || true)"
  echo "ok   ${dir#"${REPO_ROOT}"/} (${count} objects)"
}

status=0
for dir in "${REPO_ROOT}"/k8s/*/; do
  dir="${dir%/}"
  if [[ -f "${dir}/kustomization.yaml" ]]; then
    render "${dir}" || status=1
  fi
done

root_ready=true
for sub in crds controller loadtester grafana; do
  if [[ ! -f "${REPO_ROOT}/k8s/${sub}/kustomization.yaml" ]]; then
    echo "skip k8s (k8s/${sub}/kustomization.yaml is missing)"
    root_ready=false
    break
  fi
done
if [[ "${root_ready}" == true ]]; then
  render "${REPO_ROOT}/k8s" || status=1
fi

exit "${status}"
