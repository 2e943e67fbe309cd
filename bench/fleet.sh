#!/usr/bin/env bash
# bench/fleet.sh: many devices from one process against a local mosquitto, each with its own certificate, beside
# the same fleet in MQTT.js (one Node event loop, what MQTTX's bench is built on) on the same bundles and broker.
#
#   bench/fleet.sh                      # 1 000 devices, 1 message/s each for 60 s, connecting 200/s
#   BENCH_DEVICES=10000 BENCH_SECONDS=5 BENCH_INTERVAL=5 bench/fleet.sh          # 10 000 devices, 5 readings each
#   BENCH_JAVA_HOMES="/usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-17-openjdk-amd64" bench/fleet.sh
#   (each JVM runs ours in turn; Java 24+ runs Paho's threads as virtual threads, -Dtesaiot.virtualThreads=false not)
#   BENCH_PROBE="2000 4000 8000" bench/fleet.sh   # then larger fleets, 5 messages each, until one fails
#
# Makes the fleet with the tool itself (bundle create --devices: one development CA, a certificate per device,
# a mosquitto.conf whose ACL lets each device write only its own topic), starts mosquitto from that config on a
# free port (max_connections -1, ulimit -n raised to the hard limit), runs `fleet --output json` under GNU time on
# each JVM of BENCH_JAVA_HOMES, then bench/mqttjs/fleet.js on the same bundles (npm install into
# bench/mqttjs/node_modules on first use), and prints one markdown row per client: devices connected,
# acknowledged, lost (planned - acknowledged), connect time and ack latency p50/p99, client CPU (user + system, and
# system alone) and peak RSS (GNU time), the process's peak OS threads (sampled from /proc every 0.2 s), broker CPU
# (/proc), wall, and the load average before and after (the machine is shared: compare rows of one run).
#
# Reads: BENCH_DEVICES (1000), BENCH_SECONDS (60: readings per device), BENCH_INTERVAL (1), BENCH_RATE (200),
# BENCH_PROBE (empty), BENCH_JAVA_HOMES (empty: java on the PATH), BENCH_JAVA_OPTS (flags for our fleet, e.g. the
# image's in the Job's 512 MiB pod: "-XX:+UseSerialGC -XX:MaxRAMPercentage=75 -XX:InitialRAMPercentage=25
# -XX:MaxRAM=512m", MaxRAM standing for the container's limit; default none), BENCH_MQTTJS (1; 0 skips the reference),
# BENCH_REBUILD=1,
# BENCH_JAR (another build of ours, e.g. an older one to compare), BENCH_FLEET (a fleet directory an earlier run kept,
# with BENCH_KEEP: used instead of making BENCH_DEVICES new bundles, which takes about 13 minutes for 10 000 on 2
# busy cores), BENCH_KEEP=1 (keep the temp dir: fleet, broker log, every report).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DEVICES=${BENCH_DEVICES:-1000}
SECONDS_EACH=${BENCH_SECONDS:-60}
INTERVAL=${BENCH_INTERVAL:-1}
RATE=${BENCH_RATE:-200}
PROBE=${BENCH_PROBE:-}
JAVA_HOMES=${BENCH_JAVA_HOMES:-}
MQTTJS=${BENCH_MQTTJS:-1}

command -v java >/dev/null || [[ -n $JAVA_HOMES ]] || die "missing: java (JDK 17+)"
MOSQUITTO=$(find_mosquitto) || die "missing: mosquitto (Debian/Ubuntu: sudo apt-get install mosquitto)"
[[ -x /usr/bin/time ]] && /usr/bin/time --version 2>&1 | grep -q GNU || die "missing: GNU time (Debian package: time)"
command -v python3 >/dev/null || die "missing: python3 (to read the JSON report)"
if [[ $MQTTJS == 1 ]]; then
    command -v node >/dev/null && command -v npm >/dev/null || die "missing: node and npm (for the MQTT.js fleet; BENCH_MQTTJS=0 skips it)"
    if [[ ! -d $BENCH_DIR/mqttjs/node_modules/mqtt ]]; then
        note "installing MQTT.js into $BENCH_DIR/mqttjs/node_modules"
        (cd "$BENCH_DIR/mqttjs" && npm install --no-audit --no-fund >/dev/null) || die "npm install in bench/mqttjs failed"
    fi
fi
if [[ -n ${BENCH_JAR:-} ]]; then JAR=$BENCH_JAR; else build_jar_if_absent; fi

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
    if [[ -n ${BENCH_FLEET:-} ]]; then
        ln -s "$BENCH_FLEET" "$dir"
        PORT=$(awk '/^listener / { print $2 }' "$dir/broker/mosquitto.conf")
        "$MOSQUITTO" -c "$dir/broker/mosquitto.conf" >"$dir/broker/mosquitto.out" 2>&1 &
        BROKER_PID=$!
        for _ in $(seq 100); do (echo >"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && return; sleep 0.1; done
        die "mosquitto did not listen on $PORT: $(cat "$dir/broker/mosquitto.out")"
    fi
    note "making $n device bundles in $dir"
    java -jar "$JAR" bundle create --devices "$n" --out "$dir" --port "$PORT" >/dev/null
    # mosquitto logs connects only: a line per publish would cost the broker more than the publishing. The last
    # listener line is the generated one: max_connections applies to it (-1: no limit, stated for 10 000 devices).
    printf 'log_dest file %s\nlog_type error\nlog_type warning\nmax_queued_messages 100000\nset_tcp_nodelay true\nmax_connections -1\n' \
        "$dir/broker/mosquitto.log" >>"$dir/broker/mosquitto.conf"
    "$MOSQUITTO" -c "$dir/broker/mosquitto.conf" >"$dir/broker/mosquitto.out" 2>&1 &
    BROKER_PID=$!
    for _ in $(seq 100); do (echo >"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && return; sleep 0.1; done
    die "mosquitto did not listen on $PORT: $(cat "$dir/broker/mosquitto.out")"
}

broker_cpu_seconds() {
    awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); print ($12 + $13) / hz }' "/proc/$BROKER_PID/stat"
}

# timed TIMEFILE OUT ERR CMD...: runs CMD under GNU time (wall, user, sys, peak RSS into TIMEFILE) and samples its
# OS thread count from /proc every 0.2 s; sets PEAK_THREADS.
timed() {
    local tf=$1 out=$2 err=$3; shift 3
    /usr/bin/time -f '%e %U %S %M' -o "$tf" "$@" >"$out" 2>"$err" &
    local timer=$! child="" t
    PEAK_THREADS=0
    while kill -0 "$timer" 2>/dev/null; do
        [[ -n $child ]] || child=$(pgrep -P "$timer" | head -1 || true)
        if [[ -n $child ]]; then
            t=$(awk '/^Threads:/ { print $2 }' "/proc/$child/status" 2>/dev/null || true)
            [[ -n $t ]] && ((t > PEAK_THREADS)) && PEAK_THREADS=$t
        fi
        sleep 0.2
    done
    wait "$timer" || true
}

# run_client LABEL N COUNT INTERVAL CMD...: one fleet run of CMD; prints a markdown row.
run_client() {
    local label=$1 n=$2 count=$3 interval=$4; shift 4
    local tag
    tag=$(tr -c 'a-zA-Z0-9\n' '-' <<<"$label-$n")
    local out="$WORK/report-$tag.json" err="$WORK/run-$tag.err" broker_before load_before
    broker_before=$(broker_cpu_seconds)
    load_before=$(cut -d' ' -f1 /proc/loadavg)
    timed "$WORK/time-$tag" "$out" "$err" "$@"
    local broker_cpu
    broker_cpu=$(awk -v a="$broker_before" -v b="$(broker_cpu_seconds)" 'BEGIN { printf "%.1f", b - a }')
    # GNU time writes "Command exited with non-zero status N" first when the client fails (a refused device): the
    # figures are on the last line.
    read -r wall user sys rss < <(tail -1 "$WORK/time-$tag")
    python3 - "$label" "$out" "$n" "$wall" "$user" "$sys" "$rss" "$PEAK_THREADS" "$broker_cpu" "$load_before" \
        "$(cut -d' ' -f1 /proc/loadavg)" "$err" <<'PY'
import json, sys
label, out, n, wall, user, sys_, rss, threads, broker, load_before, load_after, err = sys.argv[1:]
try:
    r = json.loads(open(out).read().strip().splitlines()[-1])
except Exception:
    tail = open(err).read().strip().splitlines()[-3:]
    print(f"| {label} | {n} | run failed: {' / '.join(tail)} |")
    sys.exit(0)
d = r["devices"]
print(f"| {label} | {d['connected']}/{d['total']} | {r['acknowledged']}/{r['planned']} | {r['planned'] - r['acknowledged']}"
      f" | {r['connect_ms']['p50']:.0f} / {r['connect_ms']['p99']:.0f} | {r['ack_latency_ms']['p50']:.1f} / {r['ack_latency_ms']['p99']:.1f}"
      f" | {float(user) + float(sys_):.1f} ({float(sys_):.1f}) | {int(rss) / 1024:.0f} | {threads} | {broker} | {float(wall):.1f}"
      f" | {load_before} → {load_after} |")
refusals = r["refusals"]
if isinstance(refusals, dict):
    refusals = [{"cause": cause, "devices": [None] * k} for cause, k in refusals.items()]
for refusal in refusals[:3]:
    print(f"|  | refused {len(refusal['devices'])}: {refusal['cause']} | | | | | | | | | | |")
PY
}

# run_all N COUNT INTERVAL: ours on each JVM, then MQTT.js, on the fleet of N devices that start_fleet made.
run_all() {
    local n=$1 count=$2 interval=$3 dir="$WORK/fleet-$1" home java label
    # bundle create --devices writes the bundles under devices/; a fleet made before that has them beside ca/ and broker/.
    local bundles="$dir/devices"
    [[ -d $bundles ]] || bundles=$dir
    for home in ${JAVA_HOMES:-""}; do
        java=${home:+$home/bin/}java
        label="tesaiot-publish, Java $("$java" -XshowSettings:properties -version 2>&1 | awk '/java.version =/ { print $3 }')"
        # shellcheck disable=SC2086
        run_client "$label" "$n" "$count" "$interval" "$java" ${BENCH_JAVA_OPTS:-} -jar "$JAR" fleet --bundles "$bundles" \
            --count "$count" --interval "$interval" --connect-rate "$RATE" --seed 1 --output json
    done
    if [[ $MQTTJS == 1 ]]; then
        run_client "MQTT.js $(node -p 'require(process.argv[1]).version' "$BENCH_DIR/mqttjs/node_modules/mqtt/package.json"), Node $(node --version)" \
            "$n" "$count" "$interval" node "$BENCH_DIR/mqttjs/fleet.js" --bundles "$bundles" \
            --count "$count" --interval "$interval" --connect-rate "$RATE"
    fi
}

echo "## Fleet: devices each with its own certificate, one process, against mosquitto on 127.0.0.1"
echo
echo "$(nproc) cores; $("$MOSQUITTO" -h 2>/dev/null | head -1); $DEVICES devices × $SECONDS_EACH readings every $INTERVAL s, connect rate $RATE/s; our JVM flags: ${BENCH_JAVA_OPTS:-none}"
echo
echo "| client | connected | acknowledged | lost | connect p50 / p99 ms | ack p50 / p99 ms | client CPU s (system) | peak RSS MiB | peak threads | broker CPU s | wall s | load avg |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
start_fleet "$DEVICES"
run_all "$DEVICES" "$SECONDS_EACH" "$INTERVAL"
for n in $PROBE; do
    start_fleet "$n"
    rows=$(run_all "$n" 5 5)
    echo "$rows"
    # The first fleet that does not connect or deliver everything is where something gave: stop there.
    grep -qE "run failed| ([0-9]+)/\1 \| ([0-9]+)/\2 \| 0 \|" <<<"$(head -1 <<<"$rows")" || break
done
