#!/usr/bin/env bash
# Where a one-message publish spends its time, without touching the code: the JVM's class-load log with
# uptime stamps marks when each step of the run begins (the first class a step needs is loaded as it starts),
# and a few JVM flags show what class-data sharing, C1-only compilation and the serial GC would save.
#
#   bench/startup.sh        # about 40 s; prints markdown on stdout
#
# Environment: BENCH_RUNS (5, runs per measurement, median reported), BENCH_KEEP=1 (keep the temp dir).
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
RUNS=${BENCH_RUNS:-5}

install_cleanup

require_tools
build_jar_if_absent
umask 077
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tesaiot-startup.XXXXXX")
make_pki "$WORK"
start_broker "$WORK"
ARGS=(-jar "$JAR" --certs-dir "$WORK/bundle" --once)
java "${ARGS[@]}" >/dev/null 2>&1 || die "our jar cannot publish to the local broker"

# Milestones: "first class loaded" -> the step that begins then. Order matters (TLS 1.2 handshake, Paho 1.2.5).
MILESTONES=(
    'com.tesaiot.publish.cli.Main |JVM start to our main class'
    'com.tesaiot.publish.bundle.|picocli: build the command model, parse, defaults'
    'com.tesaiot.publish.tls.MutualTlsFactory |read the bundle files'
    'com.tesaiot.publish.tls.MutualTls |PEM parsing (BouncyCastle), key check, SSLContext'
    'com.tesaiot.publish.bundle.Endpoint |endpoints.json (Jackson streaming parser)'
    'com.tesaiot.publish.mqtt.MqttPublisher |telemetry model and payload writer'
    'sun.security.ssl.ClientHello |Paho client set-up and TCP connect'
    'org.eclipse.paho.client.mqttv3.internal.CommsReceiver |TLS handshake (mutual, EC P-256)'
    'org.eclipse.paho.client.mqttv3.internal.wire.MultiByteInteger |Paho thread start-up, CONNECT, CONNACK'
    'org.eclipse.paho.client.mqttv3.internal.ClientComms$DisconnectBG |PUBLISH and its PUBACK'
)

declare -A PHASE
for run in $(seq "$RUNS"); do
    log="$WORK/classes-$run.log"
    t0=$(now)
    java -Xlog:class+load:file="$log":uptime "${ARGS[@]}" >/dev/null 2>&1 || die "run $run failed"
    t1=$(now)
    prev=0 i=0
    for m in "${MILESTONES[@]}"; do
        cls=${m%%|*}
        t=$(grep -F -m1 "] $cls" "$log" | sed -E 's/^\[([0-9.]+)s\].*/\1/' || true)
        [[ -n $t ]] || { note "milestone '$cls' not found in run $run"; t=$prev; }
        PHASE[$i]+=" $(awk -v a="$prev" -v b="$t" 'BEGIN { printf "%.3f", b - a }')"
        prev=$t i=$((i + 1))
    done
    last=$(tail -1 "$log" | sed -E 's/^\[([0-9.]+)s\].*/\1/')
    PHASE[$i]+=" $(awk -v a="$prev" -v b="$last" 'BEGIN { printf "%.3f", b - a }')"
    PHASE[$((i + 1))]+=" $(awk -v a="$last" -v w="$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" 'BEGIN { printf "%.3f", w - a }')"
    PHASE[total]+=" $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')"
done
LOG1="$WORK/classes-1.log"

echo
echo "## One-message publish: where the time goes ($(date -u '+%Y-%m-%d %H:%M UTC'), median of $RUNS)"
echo
echo "| step (begins when its first class loads) | ms |"
echo "|---|---|"
i=0
for m in "${MILESTONES[@]}"; do
    # shellcheck disable=SC2086
    echo "| ${m#*|} | $(median ${PHASE[$i]} | awk '{ printf "%.0f", $1 * 1000 }') |"
    i=$((i + 1))
done
# shellcheck disable=SC2086
echo "| DISCONNECT, close, summary line | $(median ${PHASE[$i]} | awk '{ printf "%.0f", $1 * 1000 }') |"
# shellcheck disable=SC2086
echo "| JVM exit (wall clock minus the last class load) | $(median ${PHASE[$((i + 1))]} | awk '{ printf "%.0f", $1 * 1000 }') |"
# shellcheck disable=SC2086
echo "| **whole process, wall clock** (with class-load logging) | **$(median ${PHASE[total]} | awk '{ printf "%.0f", $1 * 1000 }')** |"

echo
echo "Classes loaded in run 1: $(wc -l < "$LOG1") in all; $(grep -c 'shared objects file' "$LOG1" || true) from the JDK's CDS archive,"
echo "$(grep -c 'source: jrt:' "$LOG1" || true) from the JDK's modules (not archived), $(grep -c "source: file:" "$LOG1" || true) from our jar:"
for group in picocli com.fasterxml.jackson org.bouncycastle org.eclipse.paho com.tesaiot sun.security.ssl; do
    printf '%s %s, ' "$group" "$(grep -c "] $group" "$LOG1" || true)"
done
echo "dynamic/lambda $(grep -c -E 'Lambda|__dynamic_proxy__|__JVM_LookupDefineClass__' "$LOG1" || true)."

if command -v jfr >/dev/null; then
    # Paho 1.2.5 waits for each of its three threads with "while (!isRunning()) Thread.sleep(100)": whether a
    # wait happens is a race, so count them over a few runs.
    per_run=()
    for run in 1 2 3; do
        java -XX:StartFlightRecording=filename="$WORK/one-$run.jfr",settings=profile "${ARGS[@]}" >/dev/null 2>&1 || true
        per_run+=("$(jfr print --events jdk.ThreadSleep --stack-depth 2 "$WORK/one-$run.jfr" 2>/dev/null \
            | awk '/duration =/ { d = $3 } /org.eclipse.paho/ { n++; t += d; sub(/\(.*/, "", $1); sub(/.*internal\./, "", $1); w = w (w ? ", " : "") $1 }
                   END { printf "%d sleep(s), %d ms (%s)", n, t, w }')")
    done
    echo
    echo "Thread.sleep in Paho during a one-message run (JFR jdk.ThreadSleep, 3 runs): $(printf '%s; ' "${per_run[@]}" | sed 's/; $//')."
fi

echo
echo "### JVM flags (no code change), one-message publish, median of $RUNS (configurations interleaved)"
echo
echo "| java flags | wall |"
echo "|---|---|"
java -XX:ArchiveClassesAtExit="$WORK/app.jsa" "${ARGS[@]}" >/dev/null 2>&1 || true
set_client_args "$WORK"
MOSQ_ONE=(mosquitto_pub "${PUB[@]}" -i "$DEVICE_ID" -t "$TOPIC" -q 1 -m '{"probe":1}')
# The JVM floor (bench/floor/MqttFloor.java): what any JVM program pays for one mutual-TLS publish.
build_floor "$WORK"
java -XX:ArchiveClassesAtExit="$WORK/floor.jsa" -Xlog:disable "${FLOOR[@]}" '{"probe":1}' >/dev/null 2>&1 || true
LABELS=(
    "(none: the JDK's default CDS archive, C1+C2, G1)"
    "-Xshare:off"
    "-XX:TieredStopAtLevel=1"
    "-XX:+UseSerialGC"
    "-XX:SharedArchiveFile=app.jsa (AppCDS, made once with -XX:ArchiveClassesAtExit)"
    "AppCDS + -XX:TieredStopAtLevel=1 + -XX:+UseSerialGC"
    "for scale: java -version"
    "for scale: our jar --version (picocli only)"
    "for scale: our jar --dry-run --once (no TLS, no MQTT)"
    "for scale: mosquitto_pub -m, one message"
    "for scale: the JVM floor (JDK only, MQTT by hand), plain java"
    "for scale: the JVM floor with AppCDS + C1 + serial GC"
)
run_config() {
    case $1 in
        0) java "${ARGS[@]}" ;;
        1) java -Xshare:off "${ARGS[@]}" ;;
        2) java -XX:TieredStopAtLevel=1 "${ARGS[@]}" ;;
        3) java -XX:+UseSerialGC "${ARGS[@]}" ;;
        4) java -XX:SharedArchiveFile="$WORK/app.jsa" "${ARGS[@]}" ;;
        5) java -XX:SharedArchiveFile="$WORK/app.jsa" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC "${ARGS[@]}" ;;
        6) java -version ;;
        7) java -jar "$JAR" --version ;;
        8) java -jar "$JAR" --certs-dir "$WORK/bundle" --dry-run --once ;;
        9) "${MOSQ_ONE[@]}" ;;
        10) java "${FLOOR[@]}" '{"probe":1}' ;;
        11) java -XX:SharedArchiveFile="$WORK/floor.jsa" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC "${FLOOR[@]}" '{"probe":1}' ;;
    esac
}
declare -A FLAG_WALL
for _ in $(seq "$RUNS"); do
    for c in "${!LABELS[@]}"; do
        t0=$(now); run_config "$c" >/dev/null 2>&1 || true; t1=$(now)
        FLAG_WALL[$c]+=" $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')"
    done
done
for c in "${!LABELS[@]}"; do
    # shellcheck disable=SC2086
    echo "| ${LABELS[$c]} | $(median ${FLAG_WALL[$c]} | awk '{ printf "%.0f ms", $1 * 1000 }') |"
done
echo
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)."
