#!/usr/bin/env bash
# A stand-in for kubectl for DeployScriptTest: keeps Secrets as files under $FAKE_STATE
# (<namespace>_<name>, holding the base64 data of key "token"; <namespace>_<name>.<key> for other
# keys; <namespace>_<name>.keys listing the keys of a created Secret; .mode files with the
# permissions of the file each key came from), logs every command line to $FAKE_STATE/calls.log,
# and fails every "get" when $FAKE_STATE/unreachable exists.
set -o errexit
set -o nounset
state="${FAKE_STATE:?}"
printf '%s\n' "$*" >>"${state}/calls.log"
ns=default
if [[ "${1:-}" == "-n" ]]; then
  ns="$2"
  shift 2
fi
case "$1 ${2:-}" in
  "apply "*)
    exit 0
    ;;
  "get secret")
    if [[ -e "${state}/unreachable" ]]; then
      echo "The connection to the server localhost:8080 was refused" >&2
      exit 1
    fi
    name="$3"
    file="${state}/${ns}_${name}"
    shift 3
    if [[ ! -e "${file}" && ! -e "${file}.keys" ]]; then
      [[ " $* " == *" --ignore-not-found "* ]] && exit 0
      echo "Error from server (NotFound): secrets \"${name}\" not found" >&2
      exit 1
    fi
    if [[ " $* " == *" -o name "* ]]; then
      echo "secret/${name}"
    elif [[ "$*" =~ \{\.data\.([^}]+)\} && "${BASH_REMATCH[1]}" != token ]]; then
      cat "${file}.${BASH_REMATCH[1]}" 2>/dev/null || true
    else
      cat "${file}"
    fi
    ;;
  "create secret")
    name="$4"
    file="${state}/${ns}_${name}"
    if [[ -e "${file}" || -e "${file}.keys" ]]; then
      echo "Error from server (AlreadyExists): secrets \"${name}\" already exists" >&2
      exit 1
    fi
    shift 4
    for arg in "$@"; do
      spec="${arg#--from-file=}"
      [[ "${spec}" != "${arg}" ]] || { echo "fake kubectl: unexpected argument ${arg}" >&2; exit 2; }
      key="${spec%%=*}"
      from="${spec#*=}"
      target="${file}.${key}"
      [[ "${key}" != token ]] || target="${file}"
      stat -c '%a' "${from}" >"${target}.mode"
      base64 -w0 "${from}" >"${target}"
      echo "${key}" >>"${file}.keys"
    done
    echo "secret/${name} created"
    ;;
  "label secret")
    echo "secret/$3 labeled"
    ;;
  *)
    echo "fake kubectl: unexpected command: $*" >&2
    exit 2
    ;;
esac
