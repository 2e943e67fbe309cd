#!/usr/bin/env bash
# The reusable smoke test's local twin, for a machine without Docker or a platform account: a development bundle
# from `bundle create`, mosquitto started from the configuration it wrote, then the same smoke-run.sh the workflow
# runs (check, COUNT readings with --output json, a non-zero exit on failure).
#
#   .github/smoke/local-smoke-test.sh [JAR]        # default target/tesaiot-publish.jar
#
# Environment: COUNT (10), TLS_VERSION (tlsv1.2), SCENARIO (normal), SMOKE_PORT (the broker's port, 8883),
# MOSQUITTO (default: mosquitto on PATH, else /usr/sbin/mosquitto), SMOKE_OUT (where the JSON files go; default a
# temporary folder, removed afterwards).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
jar=$(cd "$(dirname "${1:-target/tesaiot-publish.jar}")" && pwd)/$(basename "${1:-target/tesaiot-publish.jar}")
port=${SMOKE_PORT:-8883}
mosquitto=${MOSQUITTO:-$(command -v mosquitto || echo /usr/sbin/mosquitto)}
[ -x "$mosquitto" ] || { echo "mosquitto not found: install it (apt-get install mosquitto) or set MOSQUITTO" >&2; exit 2; }
[ -f "$jar" ] || { echo "$jar not found: build it with mvn package -DskipTests" >&2; exit 2; }

work=$(mktemp -d)
broker_pid=""
cleanup() {
  [ -z "$broker_pid" ] || kill "$broker_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Listens on 127.0.0.1 only (bundle create's default): nothing outside this machine can reach the test broker.
java -jar "$jar" bundle create --out "$work/bundle" --device-id smoke-test --port "$port" >/dev/null
"$mosquitto" -c "$work/bundle/broker/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
broker_pid=$!
# Wait (at most about 10 s) until the broker accepts connections, or report why it did not start.
for _ in $(seq 50); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  if ! kill -0 "$broker_pid" 2>/dev/null; then
    echo "mosquitto exited:" >&2; cat "$work/mosquitto.log" >&2; exit 1
  fi
  sleep 0.2
done

export CERTS_DIR="$work/bundle"
if [ -z "${SMOKE_OUT:-}" ]; then export SMOKE_OUT="$work"; fi
"$here/smoke-run.sh" "$jar"
