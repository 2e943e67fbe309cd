#!/usr/bin/env bash
# The smoke test itself, shared by the reusable workflow (.github/workflows/smoke-test.yml) and its local twin
# (local-smoke-test.sh): check the way to the broker, publish COUNT readings, fail on a non-zero exit, and append the
# run's summary to $GITHUB_STEP_SUMMARY when GitHub Actions sets it.
#
#   smoke-run.sh JAR
#
# The bundle and broker come from the tool's own environment variables (CERTS_DIR, or CA_FILE, CLIENT_CERT,
# CLIENT_KEY and DEVICE_ID; MQTT_HOST, MQTT_PORT; TLS_VERSION; SCENARIO), so no secret is on a command line.
# COUNT defaults to 10. Writes smoke-summary.json into SMOKE_OUT (default: the working directory).
set -euo pipefail

jar=${1:?usage: smoke-run.sh JAR}
count=${COUNT:-10}
out=${SMOKE_OUT:-.}
summary_file=${GITHUB_STEP_SUMMARY:-/dev/null}

set +e
java -jar "$jar" check --output json >"$out/smoke-check.json"
check_status=$?
if [ "$check_status" -eq 0 ]; then
  java -jar "$jar" --count "$count" --interval 0 --output json >"$out/smoke-summary.json"
  publish_status=$?
else
  publish_status=skipped
fi
set -e

{
  echo "### tesaiot-publish smoke test"
  echo
  echo "| step | exit code |"
  echo "|---|---|"
  echo "| \`check\` | $check_status |"
  echo "| publish $count readings | $publish_status |"
  echo
  echo "<details><summary>check</summary>"
  echo
  echo '```json'
  cat "$out/smoke-check.json"
  echo '```'
  echo "</details>"
  if [ -s "$out/smoke-summary.json" ]; then
    echo
    echo "Run summary (\`--output json\`):"
    echo
    echo '```json'
    cat "$out/smoke-summary.json"
    echo '```'
  fi
} >>"$summary_file"

if [ "$check_status" -ne 0 ]; then
  echo "smoke test failed: check exited $check_status" >&2
  exit "$check_status"
fi
if [ "$publish_status" -ne 0 ]; then
  echo "smoke test failed: publishing $count readings exited $publish_status" >&2
  exit "$publish_status"
fi
echo "smoke test passed: check, then $count readings acknowledged"
