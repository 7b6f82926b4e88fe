#!/usr/bin/env bash
# Production code never reads the clock or sleeps directly (STYLE.md 6); the ArchUnit tests
# check the bytecode, this checks the sources so `make lint` fails fast.
set -euo pipefail
cd "$(dirname "$0")/.."
hits=$(grep -rnE 'Thread\.sleep\(|Instant\.now\(\)|System\.currentTimeMillis\(\)|LocalDateTime\.now\(\)|Config\.global\(|Metrics\.globalRegistry\(' \
  --include=*.java ./*/src/main || true)
if [ -n "$hits" ]; then
  echo "Production code must take time from an injected Clock or scheduler:"
  echo "$hits"
  exit 1
fi
echo "lint: no clock reads, sleeps or globals in src/main"
