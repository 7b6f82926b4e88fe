#!/usr/bin/env bash
# Renders every kustomize directory under k8s/ and k8s/overlays/ with `kubectl kustomize` and
# fails on the first error. Directories without a kustomization.yaml are skipped; the root k8s/ is rendered only
# when all the directories it lists exist. The root rendering must also carry what keeps a
# default install closed: the NetworkPolicies of the controller, the load tester and Grafana and Pod Security
# Standards labels on every Namespace; hack/deploy.sh (make deploy) must parse. ManifestsTest
# checks all of this in depth.
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
for dir in "${REPO_ROOT}"/k8s/*/ "${REPO_ROOT}"/k8s/overlays/*/; do
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
  if root="$("${KUBECTL}" kustomize "${REPO_ROOT}/k8s" 2>/dev/null)"; then
    for policy in flagger flagger-loadtester flagger-grafana; do
      if ! awk -v name="${policy}" '
          /^kind: /{kind=$2} /^  name: /{if (kind=="NetworkPolicy" && $2==name) found=1}
          END{exit found ? 0 : 1}' <<<"${root}"; then
        echo "FAIL k8s: no NetworkPolicy ${policy}" >&2
        status=1
      fi
    done
    unlabelled="$(awk '
        /^---/{if (kind=="Namespace" && !pss) print name; kind=""; pss=0; name=""}
        /^kind: /{kind=$2} /^  name: /{name=$2}
        /pod-security.kubernetes.io\/audit: restricted/{pss=1}
        END{if (kind=="Namespace" && !pss) print name}' <<<"${root}")"
    if [[ -n "${unlabelled}" ]]; then
      echo "FAIL k8s: Namespaces without pod-security.kubernetes.io/audit: restricted: ${unlabelled}" >&2
      status=1
    else
      echo "ok   k8s NetworkPolicies and Pod Security Standards labels"
    fi
  fi
fi
if ! bash -n "${REPO_ROOT}/hack/deploy.sh"; then
  echo "FAIL hack/deploy.sh does not parse" >&2
  status=1
fi

exit "${status}"
