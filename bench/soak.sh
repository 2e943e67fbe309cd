#!/usr/bin/env bash
# Is memory flat over a long run? One run of BENCH_SOAK_COUNT readings (1 000 000) at --interval 0 against a
# local mutual-TLS mosquitto, the client's resident set sampled every 2 s from /proc: with the JVM's default flags,
# with BENCH_SOAK_SMALL_OPTS (-XX:+UseSerialGC -Xmx64m, the README's small-device flags), and through the release's
# launcher (target/tesaiot-publish: its own flags and class-data sharing archive).
#
#   bench/soak.sh        # about 40 s; prints markdown on stdout
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
COUNT=${BENCH_SOAK_COUNT:-1000000}
SMALL_OPTS=${BENCH_SOAK_SMALL_OPTS:-"-XX:+UseSerialGC -Xmx64m"}

install_cleanup
require_tools
build_jar_if_absent
umask 077
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tesaiot-soak.XXXXXX")
make_pki "$WORK"
start_broker "$WORK"

# soak LABEL COMMAND...: one run of COMMAND (the tool, up to its arguments); prints a table row.
soak() {
    local label=$1; shift
    "$@" --certs-dir "$WORK/bundle" --count "$COUNT" --interval 0 --max-inflight 1000 --seed 1 \
        >/dev/null 2>"$WORK/soak-$label.err" &
    local pid=$! samples=() rss
    while kill -0 "$pid" 2>/dev/null; do
        rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status" 2>/dev/null || true)
        [[ -n $rss ]] && samples+=("$rss")
        sleep 2
    done
    local status=0
    wait "$pid" || status=$?
    local summary
    summary=$(grep -o 'Sent .*' "$WORK/soak-$label.err" | tail -1)
    echo "| $label | $status | ${samples[*]} | $summary |"
}

echo "## tesaiot-publish soak ($(date -u '+%Y-%m-%d %H:%M UTC'))"
echo
echo "$COUNT readings, QoS 1, --interval 0 --max-inflight 1000, mutual TLS 1.2, mosquitto on loopback."
echo "Resident set size of the client in MiB, sampled every 2 s from start to exit."
echo
echo "| JVM flags | exit | RSS samples (MiB) | the tool's summary |"
echo "|---|---|---|---|"
soak "default" java -jar "$JAR"
# shellcheck disable=SC2086
soak "$SMALL_OPTS" java $SMALL_OPTS -jar "$JAR"
# Its archive in the work dir; the first (untimed) run writes it, as a user's first run does.
export TESAIOT_PUBLISH_CACHE="$WORK/cds"
"$LAUNCHER" --certs-dir "$WORK/bundle" --once >/dev/null 2>&1 || die "the launcher cannot publish to the local broker"
soak "launcher" "$LAUNCHER"
echo
echo "Machine: $(nproc) CPU(s); $(java -version 2>&1 | head -1); load average $(cut -d' ' -f1-3 /proc/loadavg)."
