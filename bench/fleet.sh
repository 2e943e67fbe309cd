#!/usr/bin/env bash
# bench/fleet.sh: many devices from one process against a local mosquitto, each with its own certificate.
#
#   bench/fleet.sh                      # 1 000 devices, 1 message/s each for 60 s, connecting 200/s
#   BENCH_PROBE="2000 4000 8000" bench/fleet.sh   # then larger fleets, 5 messages each, until one fails
#
# Makes the fleet with the tool itself (bundle create --devices: one development CA, a certificate per device,
# a mosquitto.conf whose ACL lets each device write only its own topic), starts mosquitto from that config on a
# free port, runs `fleet --output json` under GNU time, and prints markdown: devices connected, acknowledged,
# lost (planned - acknowledged), connect time and ack latency p50/p99 (from the tool's histograms), client CPU
# (user + system) and peak RSS (GNU time), the client's peak threads (its own report), broker CPU (/proc), and the
# load average before and after (the machine is shared: compare runs with similar load).
#
# Reads: BENCH_DEVICES (1000), BENCH_SECONDS (60), BENCH_RATE (200), BENCH_PROBE (empty), BENCH_JAVA_OPTS,
# BENCH_REBUILD=1, BENCH_KEEP=1 (keep the temp dir: fleet, broker log, every report).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DEVICES=${BENCH_DEVICES:-1000}
SECONDS_EACH=${BENCH_SECONDS:-60}
RATE=${BENCH_RATE:-200}
PROBE=${BENCH_PROBE:-}

command -v java >/dev/null || die "missing: java (JDK 17+)"
MOSQUITTO=$(find_mosquitto) || die "missing: mosquitto (Debian/Ubuntu: sudo apt-get install mosquitto)"
[[ -x /usr/bin/time ]] && /usr/bin/time --version 2>&1 | grep -q GNU || die "missing: GNU time (Debian package: time)"
command -v python3 >/dev/null || die "missing: python3 (to read the JSON report)"
build_jar_if_absent

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tesaiot-fleet-bench.XXXXXX")
BROKER_PID=""
cleanup() {
    [[ -n $BROKER_PID ]] && kill "$BROKER_PID" 2>/dev/null && wait "$BROKER_PID" 2>/dev/null
    if [[ -n ${BENCH_KEEP:-} ]]; then note "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Each device holds a socket in the client and one in the broker: both need room for more than the default 1024.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

# start_fleet N: a fleet of N devices in $WORK/fleet-N, and mosquitto running its generated configuration.
start_fleet() {
    local n=$1 dir="$WORK/fleet-$1"
    [[ -n $BROKER_PID ]] && { kill "$BROKER_PID"; wait "$BROKER_PID" 2>/dev/null || true; BROKER_PID=""; }
    note "making $n device bundles in $dir"
    java -jar "$JAR" bundle create --devices "$n" --out "$dir" --port "$PORT" >/dev/null
    # mosquitto logs connects only: a line per publish would cost the broker more than the publishing.
    printf 'log_dest file %s\nlog_type error\nlog_type warning\nmax_queued_messages 100000\nset_tcp_nodelay true\n' \
        "$dir/broker/mosquitto.log" >>"$dir/broker/mosquitto.conf"
    "$MOSQUITTO" -c "$dir/broker/mosquitto.conf" >"$dir/broker/mosquitto.out" 2>&1 &
    BROKER_PID=$!
    for _ in $(seq 100); do (echo >"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && return; sleep 0.1; done
    die "mosquitto did not listen on $PORT: $(cat "$dir/broker/mosquitto.out")"
}

broker_cpu_seconds() {
    awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$BROKER_PID/stat"
}

# run_fleet N COUNT INTERVAL: one fleet run; prints a markdown row.
run_fleet() {
    local n=$1 count=$2 interval=$3 dir="$WORK/fleet-$1" out="$WORK/report-$1.json" err="$WORK/run-$1.err"
    local broker_before load_before start end
    broker_before=$(broker_cpu_seconds)
    load_before=$(cut -d' ' -f1 /proc/loadavg)
    start=$(now)
    # shellcheck disable=SC2086
    /usr/bin/time -f '%e %U %S %M' -o "$WORK/time-$1" java ${BENCH_JAVA_OPTS:-} -jar "$JAR" fleet --bundles "$dir/devices" \
        --count "$count" --interval "$interval" --connect-rate "$RATE" --seed 1 --output json >"$out" 2>"$err" || true
    end=$(now)
    local broker_cpu
    broker_cpu=$(awk -v a="$broker_before" -v b="$(broker_cpu_seconds)" 'BEGIN { printf "%.1f", b - a }')
    read -r wall user sys rss <"$WORK/time-$1"
    python3 - "$out" "$n" "$wall" "$user" "$sys" "$rss" "$broker_cpu" "$load_before" "$(cut -d' ' -f1 /proc/loadavg)" "$err" <<'PY'
import json, sys
out, n, wall, user, sys_, rss, broker, load_before, load_after, err = sys.argv[1:]
try:
    r = json.loads(open(out).read().strip().splitlines()[-1])
except Exception:
    tail = open(err).read().strip().splitlines()[-3:]
    print(f"| {n} | run failed: {' / '.join(tail)} |")
    sys.exit(0)
d = r["devices"]
print(f"| {n} | {d['connected']}/{d['total']} | {r['acknowledged']}/{r['planned']} | {r['planned'] - r['acknowledged']}"
      f" | {r['connect_ms']['p50']:.0f} / {r['connect_ms']['p99']:.0f} | {r['ack_latency_ms']['p50']:.1f} / {r['ack_latency_ms']['p99']:.1f}"
      f" | {float(user) + float(sys_):.1f} | {int(rss) / 1024:.0f} | {r['peak_threads']} | {broker} | {float(wall):.1f}"
      f" | {load_before} → {load_after} |")
for refusal in r["refusals"][:3]:
    print(f"|  | refused {len(refusal['devices'])}: {refusal['cause']} | | | | | | | | | | |")
PY
}

echo "## Fleet: devices each with its own certificate, one process, against mosquitto on 127.0.0.1"
echo
echo "$(nproc) cores; $(java -version 2>&1 | head -1); $("$MOSQUITTO" -h 2>/dev/null | head -1)"
echo
echo "| devices | connected | acknowledged | lost | connect p50 / p99 ms | ack p50 / p99 ms | client CPU s | peak RSS MiB | peak threads | broker CPU s | wall s | load avg |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
start_fleet "$DEVICES"
run_fleet "$DEVICES" "$SECONDS_EACH" 1
for n in $PROBE; do
    start_fleet "$n"
    row=$(run_fleet "$n" 5 5)
    echo "$row"
    # The first fleet that does not connect or deliver everything is where something gave: stop there.
    grep -qE "run failed| ([0-9]+)/\1 \| ([0-9]+)/\2 \| 0 \|" <<<"$row" || break
done
