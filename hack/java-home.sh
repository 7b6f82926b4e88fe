#!/usr/bin/env bash
# Prints the home of a JDK >= 21 (Helidon 4.5 needs it), or explains what is missing and fails.
# Order: $JAVA_HOME if it qualifies, then Temurin under /usr/lib/jvm, then any other JDK there.
set -euo pipefail

major() { # major version of the JDK at $1, or 0
  local v
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  echo "${v:-0}"
}

candidates=()
[ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
for d in /usr/lib/jvm/temurin-*-jdk* /usr/lib/jvm/*; do
  [ -x "$d/bin/javac" ] && candidates+=("$d")
done

for c in "${candidates[@]}"; do
  if [ -x "$c/bin/javac" ] && [ "$(major "$c")" -ge 21 ]; then
    echo "$c"
    exit 0
  fi
done

echo "No JDK 21 or newer found (Helidon 4.5 needs Java 21+)." >&2
echo "Looked at: ${candidates[*]:-nothing}" >&2
echo "Install one, e.g. 'apt-get install temurin-25-jdk' or 'apt-get install openjdk-21-jdk-headless', or set JAVA_HOME." >&2
exit 1
