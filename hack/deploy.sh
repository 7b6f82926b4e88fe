#!/usr/bin/env bash
# `make deploy`: installs k8s/ into the current kubectl context with the load tester's bearer
# token and Grafana's admin password and API token in place. Kustomize cannot generate a random value, so this script does, once:
#
#   1. applies the two namespaces (the Secrets live in them);
#   2. makes sure the load tester's token Secret exists on both sides, with the same value:
#        test/flagger-loadtester-auth           read by the load tester (it refuses to start without)
#        flagger-system/flagger-webhook-auth    sent by the controller to the load tester's URL
#      neither exists: a random 256-bit token (64 hex characters) is created in both;
#      one exists: its token is copied to the other;
#      both exist: left alone (a warning if they differ: webhooks would get 401);
#   3. makes sure Grafana's two Secrets exist in flagger-system, each created when absent:
#        flagger-grafana-admin  admin-user=admin, admin-password=random (64 hex characters)
#        flagger-grafana-api    token=random (64 hex characters), the provisioner's API token
#   4. kubectl apply -k k8s/
#
# Existing Secrets are never changed, so re-running keeps the tokens and the password. None of
# them is ever printed or put on a command line: each goes through a file only this user can read.
# Read the Grafana password with
#   kubectl -n flagger-system get secret flagger-grafana-admin -o jsonpath='{.data.admin-password}' | base64 -d
# To rotate it, delete both Secrets, re-run, and restart the load tester:
#   kubectl -n test delete secret flagger-loadtester-auth
#   kubectl -n flagger-system delete secret flagger-webhook-auth
#   hack/deploy.sh && kubectl -n test rollout restart deployment/flagger-loadtester
#
#   KUBECTL=/path/to/kubectl hack/deploy.sh
set -o errexit
set -o nounset
set -o pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KUBECTL="${KUBECTL:-kubectl}"

LOADTESTER_NS=test
LOADTESTER_SECRET=flagger-loadtester-auth
CONTROLLER_NS=flagger-system
CONTROLLER_SECRET=flagger-webhook-auth
GRAFANA_NS=flagger-system
GRAFANA_ADMIN_SECRET=flagger-grafana-admin
GRAFANA_API_SECRET=flagger-grafana-api

if ! command -v "${KUBECTL}" >/dev/null 2>&1; then
  echo "error: ${KUBECTL} not found; install kubectl or set KUBECTL" >&2
  exit 1
fi

workdir="$(mktemp -d)"
trap 'rm -rf "${workdir}"' EXIT
chmod 700 "${workdir}"

# Whether secret $2 exists in namespace $1; stops the script when the cluster cannot say.
secret_exists() {
  local ns="$1" name="$2" found
  if ! found="$("${KUBECTL}" -n "${ns}" get secret "${name}" --ignore-not-found -o name)"; then
    echo "error: cannot read secret ${ns}/${name}" >&2
    exit 1
  fi
  [[ -n "${found}" ]]
}

# 256 random bits as 64 hex characters into file $1, readable by this user only.
random_hex() {
  (umask 077 && head -c 32 /dev/urandom | od -An -vtx1 | tr -d ' \n' >"$1")
}

# The token of secret $2 in namespace $1 into file $3; returns 1 when the Secret does not exist.
read_token() {
  local ns="$1" name="$2" out="$3" data
  if ! secret_exists "${ns}" "${name}"; then
    return 1
  fi
  if ! data="$("${KUBECTL}" -n "${ns}" get secret "${name}" -o jsonpath='{.data.token}')"; then
    echo "error: cannot read secret ${ns}/${name}" >&2
    exit 1
  fi
  if [[ -z "${data}" ]]; then
    echo "error: secret ${ns}/${name} exists but has no key \"token\"" >&2
    exit 1
  fi
  (umask 077 && printf '%s' "${data}" | base64 -d >"${out}")
}

# Secret $2 in namespace $1 from files, each argument after them being key=file.
create_secret() {
  local ns="$1" name="$2" from=() spec
  shift 2
  for spec in "$@"; do
    from+=("--from-file=${spec}")
  done
  "${KUBECTL}" -n "${ns}" create secret generic "${name}" "${from[@]}" >/dev/null
  "${KUBECTL}" -n "${ns}" label secret "${name}" app.kubernetes.io/part-of=flagger >/dev/null
  echo "created secret ${ns}/${name}"
}

ensure_token() {
  local lt="${workdir}/loadtester" ctl="${workdir}/controller" have_lt=true have_ctl=true
  read_token "${LOADTESTER_NS}" "${LOADTESTER_SECRET}" "${lt}" || have_lt=false
  read_token "${CONTROLLER_NS}" "${CONTROLLER_SECRET}" "${ctl}" || have_ctl=false
  if [[ "${have_lt}" == false && "${have_ctl}" == false ]]; then
    random_hex "${lt}"
    create_secret "${LOADTESTER_NS}" "${LOADTESTER_SECRET}" "token=${lt}"
    create_secret "${CONTROLLER_NS}" "${CONTROLLER_SECRET}" "token=${lt}"
  elif [[ "${have_lt}" == false ]]; then
    create_secret "${LOADTESTER_NS}" "${LOADTESTER_SECRET}" "token=${ctl}"
  elif [[ "${have_ctl}" == false ]]; then
    create_secret "${CONTROLLER_NS}" "${CONTROLLER_SECRET}" "token=${lt}"
  elif ! cmp -s "${lt}" "${ctl}"; then
    echo "warning: ${LOADTESTER_NS}/${LOADTESTER_SECRET} and ${CONTROLLER_NS}/${CONTROLLER_SECRET}" \
      "hold different tokens: the load tester will answer the controller's webhooks with 401" >&2
  fi
}

# Whether the existing admin Secret still holds "change-me-before-use", the placeholder the first
# manifests shipped (compared in base64, in memory: nothing is printed or passed on).
grafana_password_is_placeholder() {
  local data
  data="$("${KUBECTL}" -n "${GRAFANA_NS}" get secret "${GRAFANA_ADMIN_SECRET}" \
    -o jsonpath='{.data.admin-password}')" || return 1
  [[ "${data}" == "Y2hhbmdlLW1lLWJlZm9yZS11c2U=" ]]
}

# Grafana's admin (for Grafana and the provisioner) and the provisioner's API token, each only
# when absent: Grafana keeps the password it started with, so changing it here would lock the
# provisioner out until a restart.
ensure_grafana_secrets() {
  local user="${workdir}/grafana-admin-user" password="${workdir}/grafana-admin-password"
  local api="${workdir}/grafana-api-token"
  if ! secret_exists "${GRAFANA_NS}" "${GRAFANA_ADMIN_SECRET}"; then
    (umask 077 && printf 'admin' >"${user}")
    random_hex "${password}"
    create_secret "${GRAFANA_NS}" "${GRAFANA_ADMIN_SECRET}" \
      "admin-user=${user}" "admin-password=${password}"
  elif grafana_password_is_placeholder; then
    echo "warning: ${GRAFANA_NS}/${GRAFANA_ADMIN_SECRET} holds the placeholder password that" \
      "earlier manifests shipped, which the provisioner refuses: replace the Secret and restart" \
      "Grafana (docs/install.md, Grafana's Secrets)" >&2
  fi
  if ! secret_exists "${GRAFANA_NS}" "${GRAFANA_API_SECRET}"; then
    random_hex "${api}"
    create_secret "${GRAFANA_NS}" "${GRAFANA_API_SECRET}" "token=${api}"
  fi
}

"${KUBECTL}" apply \
  -f "${REPO_ROOT}/k8s/controller/000-Namespace.yaml" \
  -f "${REPO_ROOT}/k8s/loadtester/000-Namespace-test.yaml"
ensure_token
ensure_grafana_secrets
"${KUBECTL}" apply -k "${REPO_ROOT}/k8s/"
