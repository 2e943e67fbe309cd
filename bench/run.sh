#!/usr/bin/env bash
# Benchmark: tesaiot-publish against mosquitto_pub and the original per-message loop, on a local mosquitto
# with mutual TLS, every client as a whole process (start-up included). See bench/README.md.
#
#   bench/run.sh            # about 1 minute on 2 cores; prints a markdown table on stdout
#
# Environment: BENCH_COUNT (100000), BENCH_REPS (3, repetitions of the big runs, median reported),
# BENCH_MAX_INFLIGHT (1000, our --max-inflight), BENCH_LOOP (100, messages through the per-message loop),
# BENCH_JAVA_OPTS (extra JVM flags for our jar, e.g. "-XX:+UseSerialGC -Xmx64m"), BENCH_REBUILD=1 (rebuild
# the jar even if present), BENCH_KEEP=1 (keep the temp dir with PKI, broker log and outputs), BENCH_ONE_REPS (11,
# interleaved rounds of the one-reading measurements), BENCH_JAVA25 (a JDK 25+ home for the AOT cache rows; default
# /usr/lib/jvm/temurin-25-jdk-amd64, skipped when absent).
#
# First a table of issue 18's goals, each figure beside its reference from this same run, then the details. The
# references include the JVM's floor: bench/floor/MqttFloor.java, one mutual-TLS QoS 1 publish with the JDK alone.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

COUNT=${BENCH_COUNT:-100000}
REPS=${BENCH_REPS:-3}
MAX_INFLIGHT=${BENCH_MAX_INFLIGHT:-1000}
LOOP=${BENCH_LOOP:-100}
ONE_REPS=${BENCH_ONE_REPS:-11}
JAVA25=${BENCH_JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64}
[[ -x $JAVA25/bin/java ]] || JAVA25=""
read -r -a JAVA_OPTS <<< "${BENCH_JAVA_OPTS:-}"
# mosquitto_pub -l numbers its QoS 1 messages 1..65535 and, at end of input, disconnects on the first PUBACK
# carrying the last message's id: past 65 535 lines that is an early message, and the rest are never sent.
# So it is fed in chunks below that limit, one process (and one handshake) per chunk.
CHUNK=${BENCH_MOSQ_CHUNK:-50000}

install_cleanup

require_tools
build_jar_if_absent
umask 077
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tesaiot-bench.XXXXXX")
make_pki "$WORK"
start_broker "$WORK"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "n/a")
note "broker on 127.0.0.1:$BROKER_PORT (pid $BROKER_PID), work dir $WORK"

set_client_args "$WORK"
OURS=(java "${JAVA_OPTS[@]}" -jar "$JAR" --certs-dir "$WORK/bundle")
# The release's launcher, with its class-data sharing archive in the work dir rather than the user's cache.
export TESAIOT_PUBLISH_CACHE="$WORK/cds"
LAUNCHED=("$LAUNCHER" --certs-dir "$WORK/bundle")
MOSQ_PUB=(mosquitto_pub "${PUB[@]}" -i "$DEVICE_ID" -t "$TOPIC" -q 1)
# The JVM floor, with plain java and with an AppCDS archive and C1 only (as the launcher runs us).
build_floor "$WORK"
FLOOR_CDS=(-XX:SharedArchiveFile="$WORK/floor.jsa" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto)
if [[ -n $JAVA25 ]]; then
    # The same on JDK 25: the launcher makes its AOT cache, the floor gets one too (C1, serial GC).
    LAUNCHED25=(env JAVA_HOME="$JAVA25" TESAIOT_PUBLISH_CACHE="$WORK/aot" "$LAUNCHER" --certs-dir "$WORK/bundle")
    FLOOR_AOT=(-XX:AOTCache="$WORK/floor.aot" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC)
fi

# The broker's own count of PUBLISH packets received, from $SYS. With sys_interval 1 mosquitto refreshes it when
# its whole-second clock has moved on by one, so a value can be up to 2 s old.
sys_published() {
    mosquitto_sub "${SUB[@]}" -i bench-sys -C 1 -W 5 -t '$SYS/broker/publish/messages/received' 2>/dev/null || echo 0
}
# Waits for the $SYS counter to reach $1, or to stop moving; prints it.
sys_published_settled() {
    local want=$1 v prev="" i
    sleep 2.2
    for i in 1 2 3 4; do
        v=$(sys_published)
        if ((v >= want)) || [[ $v == "$prev" ]]; then break; fi
        prev=$v
        sleep 2.1
    done
    echo "$v"
}

# Starts a QoS 1 subscriber on the telemetry topic and returns once it provably receives (a probe message).
start_subscriber() {
    local out=$1 i
    mosquitto_sub "${SUB[@]}" -i bench-subscriber -q 1 -t "device/+/telemetry" -t bench/ready -F '%t' >"$out" 2>"$out.err" &
    SUB_PID=$!
    for i in $(seq 50); do
        mosquitto_pub "${PUB[@]}" -i bench-probe -t bench/ready -q 1 -m ready 2>/dev/null || true
        grep -q '^bench/ready$' "$out" && return
        sleep 0.1
    done
    die "the verifying subscriber never received its probe: $(cat "$out.err")"
}
# Waits until the subscriber has $2 telemetry messages or none arrive for 3 s; stops it; sets SUB_COUNT.
stop_subscriber_count() {
    local out=$1 want=$2 n prev=-1 still=0
    while :; do
        n=$(grep -c '^device/' "$out" || true)
        ((n >= want)) && break
        if ((n == prev)); then ((++still >= 6)) && break; else still=0; fi
        prev=$n
        sleep 0.5
    done
    kill "$SUB_PID" 2>/dev/null || true
    wait "$SUB_PID" 2>/dev/null || true
    SUB_PID=""
    SUB_COUNT=$n
}

# Our jar's summary line: "Sent N/N, acknowledged A, failed F in X s (R msg/s ...)".
summary_field() { # file field: acked | seconds | rate
    local line
    line=$(grep -o 'Sent [0-9]*/[0-9]*, acknowledged [0-9]*, failed [0-9]* in [0-9.]* s ([0-9.]* msg/s' "$1" | tail -1 || true)
    [[ -n $line ]] || { echo ""; return; }
    case $2 in
        acked) sed -E 's/.*acknowledged ([0-9]+).*/\1/' <<< "$line" ;;
        seconds) sed -E 's/.* in ([0-9.]+) s.*/\1/' <<< "$line" ;;
        rate) sed -E 's/.*\(([0-9.]+) msg\/s.*/\1/' <<< "$line" ;;
    esac
}

# Payloads for mosquitto_pub: exactly what our jar sends for --seed 1 (its dry run prints them).
note "generating $COUNT payloads with our --dry-run"
measure /dev/null "$WORK/payloads.jsonl" "$WORK/dryrun.err" "${OURS[@]}" --dry-run --count "$COUNT" --interval 0 --seed 1
((M_RC == 0)) || die "dry run failed: $(cat "$WORK/dryrun.err")"
DRY_BIG_WALL=$M_WALL
split -l "$CHUNK" -d -a 3 "$WORK/payloads.jsonl" "$WORK/chunk."
CHUNKS=("$WORK"/chunk.*)
FIRST_PAYLOAD=$(head -1 "$WORK/payloads.jsonl")
# bash -c "$FEED_CHUNKS" _ DEBUG_FLAG N FILE... MOSQUITTO_PUB_ARGS...: one mosquitto_pub -l per file, in turn.
# DEBUG_FLAG -d makes it print a "received PUBACK" line per acknowledged message (its only ack count).
FEED_CHUNKS='dbg=$1 n=$2; shift 2; files=("${@:1:n}"); pub=("${@:n+1}"); rc=0
for f in "${files[@]}"; do if [[ $dbg == -d ]]; then "${pub[@]}" -d -l < "$f" || rc=$?; else "${pub[@]}" -l < "$f" || rc=$?; fi; done
exit $rc'

# One untimed run of each client first, so that neither pays for a cold page cache; the launcher's first run also
# writes its class-data sharing archive, as a user's first run does.
"${OURS[@]}" --once >/dev/null 2>&1 || die "our jar cannot publish to the local broker: $("${OURS[@]}" --once 2>&1 | tail -3)"
"${LAUNCHED[@]}" --once >/dev/null 2>&1 || die "the launcher cannot publish to the local broker: $("${LAUNCHED[@]}" --once 2>&1 | tail -3)"
"${MOSQ_PUB[@]}" -m "$FIRST_PAYLOAD" || die "mosquitto_pub cannot publish to the local broker"
java -XX:ArchiveClassesAtExit="$WORK/floor.jsa" -Xlog:disable "${FLOOR[@]}" "$FIRST_PAYLOAD" \
    || die "the JVM floor (bench/floor/MqttFloor.java) cannot publish to the local broker"
if [[ -n $JAVA25 ]]; then
    "${LAUNCHED25[@]}" --once >/dev/null 2>&1 || die "the launcher on $JAVA25 cannot publish: $("${LAUNCHED25[@]}" --once 2>&1 | tail -3)"
    "$JAVA25/bin/java" -XX:AOTCacheOutput="$WORK/floor.aot" -Xlog:disable "${FLOOR[@]}" "$FIRST_PAYLOAD" >/dev/null 2>&1 \
        || die "the JVM floor on $JAVA25 cannot publish to the local broker"
fi

note "one-message publish, the JVM floor, ten readings, dry run, --version and java -version: $ONE_REPS interleaved rounds"
w_ours1=() r_ours1=() c_ours1=() w_launch1=() r_launch1=() c_launch1=() w_mosq1=() r_mosq1=() w_dry=() w_version=() w_javaversion=()
w_floor=() c_floor=() w_floorcds=() c_floorcds=() w_launch25=() c_launch25=() w_flooraot=() c_flooraot=() w_ten=() c_ten=()
w_floorjks=() c_floorjks=() w_tenlaunch=() w_tenlaunch25=()
for _ in $(seq "$ONE_REPS"); do
    measure /dev/null /dev/null "$WORK/one.err" "${OURS[@]}" --once
    ((M_RC == 0)) || die "one-message publish failed: $(cat "$WORK/one.err")"
    w_ours1+=("$M_WALL"); r_ours1+=("$M_RSS_KB"); c_ours1+=("$M_CPU")
    measure /dev/null /dev/null "$WORK/one.err" java "${FLOOR[@]}" "$FIRST_PAYLOAD"
    ((M_RC == 0)) || die "the JVM floor failed: $(cat "$WORK/one.err")"
    w_floor+=("$M_WALL"); c_floor+=("$M_CPU")
    # The same floor with a JKS key store: no PBKDF2 sealing of the key, which tesaiot-publish does not do either.
    measure /dev/null /dev/null "$WORK/one.err" java -Dfloor.keystore=JKS "${FLOOR[@]}" "$FIRST_PAYLOAD"
    ((M_RC == 0)) || die "the JVM floor with a JKS key store failed: $(cat "$WORK/one.err")"
    w_floorjks+=("$M_WALL"); c_floorjks+=("$M_CPU")
    measure /dev/null /dev/null "$WORK/one.err" "${LAUNCHED[@]}" --once
    ((M_RC == 0)) || die "one-message publish through the launcher failed: $(cat "$WORK/one.err")"
    w_launch1+=("$M_WALL"); r_launch1+=("$M_RSS_KB"); c_launch1+=("$M_CPU")
    measure /dev/null /dev/null "$WORK/one.err" java "${FLOOR_CDS[@]}" "${FLOOR[@]}" "$FIRST_PAYLOAD"
    ((M_RC == 0)) || die "the JVM floor with CDS failed: $(cat "$WORK/one.err")"
    w_floorcds+=("$M_WALL"); c_floorcds+=("$M_CPU")
    if [[ -n $JAVA25 ]]; then
        measure /dev/null /dev/null "$WORK/one.err" "${LAUNCHED25[@]}" --once
        ((M_RC == 0)) || die "one-message publish through the launcher on JDK 25 failed: $(cat "$WORK/one.err")"
        w_launch25+=("$M_WALL"); c_launch25+=("$M_CPU")
        measure /dev/null /dev/null "$WORK/one.err" "$JAVA25/bin/java" "${FLOOR_AOT[@]}" "${FLOOR[@]}" "$FIRST_PAYLOAD"
        ((M_RC == 0)) || die "the JVM floor on JDK 25 failed: $(cat "$WORK/one.err")"
        w_flooraot+=("$M_WALL"); c_flooraot+=("$M_CPU")
    fi
    measure /dev/null /dev/null "$WORK/one.err" "${OURS[@]}" --count 10 --interval 0
    ((M_RC == 0)) || die "ten readings failed: $(cat "$WORK/one.err")"
    w_ten+=("$M_WALL"); c_ten+=("$M_CPU")
    measure /dev/null /dev/null "$WORK/one.err" "${LAUNCHED[@]}" --count 10 --interval 0
    ((M_RC == 0)) || die "ten readings through the launcher failed: $(cat "$WORK/one.err")"
    w_tenlaunch+=("$M_WALL")
    if [[ -n $JAVA25 ]]; then
        measure /dev/null /dev/null "$WORK/one.err" "${LAUNCHED25[@]}" --count 10 --interval 0
        ((M_RC == 0)) || die "ten readings through the launcher on JDK 25 failed: $(cat "$WORK/one.err")"
        w_tenlaunch25+=("$M_WALL")
    fi
    measure /dev/null /dev/null "$WORK/one.err" "${MOSQ_PUB[@]}" -m "$FIRST_PAYLOAD"
    ((M_RC == 0)) || die "mosquitto_pub one message failed: $(cat "$WORK/one.err")"
    w_mosq1+=("$M_WALL"); r_mosq1+=("$M_RSS_KB")
    measure /dev/null /dev/null "$WORK/one.err" "${OURS[@]}" --dry-run --once
    w_dry+=("$M_WALL")
    measure /dev/null /dev/null "$WORK/one.err" java "${JAVA_OPTS[@]}" -jar "$JAR" --version
    w_version+=("$M_WALL")
    measure /dev/null /dev/null "$WORK/one.err" java -version
    w_javaversion+=("$M_WALL")
done

note "$COUNT readings, $REPS run(s) each: tesaiot-publish (--max-inflight $MAX_INFLIGHT) and mosquitto_pub -l (${#CHUNKS[@]} x $CHUNK lines)"
w_ours=() r_ours=() c_ours=() b_ours=() rate_ours=() ack_ours=()
w_launch=() r_launch=() c_launch=() ack_launch=()
w_mosq=() r_mosq=() c_mosq=() b_mosq=() ack_mosq=()
sys_before=$(sys_published_settled 0)   # $SYS lags up to 2 s behind the one-message runs above
for rep in $(seq "$REPS"); do
    b0=$(broker_cpu)
    measure /dev/null /dev/null "$WORK/ours.err" "${OURS[@]}" --count "$COUNT" --interval 0 --max-inflight "$MAX_INFLIGHT" --seed 1
    b1=$(broker_cpu)
    ((M_RC == 0)) || note "tesaiot-publish exited $M_RC in run $rep: $(tail -2 "$WORK/ours.err")"
    w_ours+=("$M_WALL"); r_ours+=("$M_RSS_KB"); c_ours+=("$M_CPU")
    [[ -n $b0 ]] && b_ours+=("$(awk -v a="$b0" -v b="$b1" 'BEGIN { printf "%.2f", b - a }')")
    rate_ours+=("$(summary_field "$WORK/ours.err" rate)"); ack_ours+=("$(summary_field "$WORK/ours.err" acked)")

    measure /dev/null /dev/null "$WORK/launch.err" "${LAUNCHED[@]}" --count "$COUNT" --interval 0 --max-inflight "$MAX_INFLIGHT" --seed 1
    ((M_RC == 0)) || note "the launcher exited $M_RC in run $rep: $(tail -2 "$WORK/launch.err")"
    w_launch+=("$M_WALL"); r_launch+=("$M_RSS_KB"); c_launch+=("$M_CPU")
    ack_launch+=("$(summary_field "$WORK/launch.err" acked)")

    b0=$(broker_cpu)
    measure /dev/null "$WORK/mosq.out" "$WORK/mosq.err" bash -c "$FEED_CHUNKS" _ -d "${#CHUNKS[@]}" "${CHUNKS[@]}" "${MOSQ_PUB[@]}"
    b1=$(broker_cpu)
    ((M_RC == 0)) || note "mosquitto_pub exited $M_RC in run $rep: $(tail -2 "$WORK/mosq.err")"
    w_mosq+=("$M_WALL"); r_mosq+=("$M_RSS_KB"); c_mosq+=("$M_CPU")
    [[ -n $b0 ]] && b_mosq+=("$(awk -v a="$b0" -v b="$b1" 'BEGIN { printf "%.2f", b - a }')")
    ack_mosq+=("$(grep -c 'received PUBACK' "$WORK/mosq.out" || true)")
done
sys_want=$((sys_before + 3 * REPS * COUNT))
sys_after=$(sys_published_settled "$sys_want")
SYS_TIMED=$((sys_after - sys_before))

note "the issue's method: all $COUNT lines into ONE mosquitto_pub -l"
sys_before=$sys_after
measure "$WORK/payloads.jsonl" "$WORK/naive.out" "$WORK/naive.err" "${MOSQ_PUB[@]}" -d -l
NAIVE_WALL=$M_WALL NAIVE_RSS=$M_RSS_KB NAIVE_RC=$M_RC
NAIVE_ACK=$(grep -c 'received PUBACK' "$WORK/naive.out" || true)
NAIVE_SENT=$(grep -c 'sending PUBLISH' "$WORK/naive.out" || true)
NAIVE_BROKER=$(( $(sys_published_settled $((sys_before + COUNT))) - sys_before ))

note "verified runs: a QoS 1 subscriber counts what the broker delivers"
start_subscriber "$WORK/sub-ours.out"
measure /dev/null /dev/null "$WORK/vours.err" "${OURS[@]}" --count "$COUNT" --interval 0 --max-inflight "$MAX_INFLIGHT" --seed 1
V_OURS_WALL=$M_WALL V_OURS_RC=$M_RC
stop_subscriber_count "$WORK/sub-ours.out" "$COUNT"
V_OURS_SUB=$SUB_COUNT
start_subscriber "$WORK/sub-mosq.out"
measure /dev/null "$WORK/vmosq.out" "$WORK/vmosq.err" bash -c "$FEED_CHUNKS" _ quiet "${#CHUNKS[@]}" "${CHUNKS[@]}" "${MOSQ_PUB[@]}"
V_MOSQ_WALL=$M_WALL V_MOSQ_RC=$M_RC
stop_subscriber_count "$WORK/sub-mosq.out" "$COUNT"
V_MOSQ_SUB=$SUB_COUNT

note "$LOOP readings through a per-message loop like the original (python3 + mosquitto_pub per message)"
# The payload the original's .gen_payload.py made: every field drawn independently (see shared/FIELD-NOTES.md).
GEN='import datetime, json, random, sys
r = random
print(json.dumps({"device_id": sys.argv[1],
  "timestamp": datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat(),
  "data": {"spo2": r.randint(94, 99), "spo2_unit": "%", "temperature": round(r.uniform(36.2, 37.5), 1),
    "temperature_unit": "\u00b0C", "heart_rate": r.randint(65, 95), "heart_rate_bpm": r.randint(65, 95),
    "perfusion_index": round(r.uniform(2.5, 6.5), 1), "motion": r.random() < 0.5, "signal_quality": r.randint(85, 100),
    "rhythm": r.choice(["sinus", "afib", "svt", "vt", "unknown"]), "rr_interval_ms": r.randint(600, 950),
    "qt_interval_ms": r.randint(320, 420), "site": r.choice(["temporal", "oral", "core"])}}))'
# Each step (payload, then publish) is timed too: its median is the reference for one reading with our jar.
loop_ok=0 w_step=()
t0=$(now)
for i in $(seq "$LOOP"); do
    s0=$(now)
    if [[ -n $HAVE_PYTHON ]]; then payload=$("$PYTHON3" -c "$GEN" "$DEVICE_ID") || die "python3 could not make a payload"; else payload=$(sed -n "${i}p" "$WORK/payloads.jsonl"); fi
    if "${MOSQ_PUB[@]}" -m "$payload" 2>>"$WORK/loop.err"; then loop_ok=$((loop_ok + 1)); fi
    s1=$(now)
    w_step+=("$(awk -v a="$s0" -v b="$s1" 'BEGIN { printf "%.3f", b - a }')")
done
t1=$(now)
LOOP_WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
measure /dev/null /dev/null "$WORK/ours100.err" "${OURS[@]}" --count "$LOOP" --interval 0 --max-inflight "$MAX_INFLIGHT"
OURS100_WALL=$M_WALL
OURS100_ACK=$(summary_field "$WORK/ours100.err" acked)
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "n/a")

# ---- the report ----
fmt_s() { [[ -n $1 ]] && awk -v x="$1" 'BEGIN { printf (x < 10 ? "%.3f s" : "%.1f s"), x }' || echo "n/a"; }
fmt_rate() { [[ -n $1 ]] && awk -v x="$1" 'BEGIN { printf (x < 10 ? "%.1f msg/s" : "%.0f msg/s"), x }' || echo "n/a"; }
fmt_mib() { [[ -n $1 && $1 != 0 ]] && awk -v x="$1" 'BEGIN { printf "%.0f MiB", x / 1024 }' || echo "n/a"; }
fmt_cpu() { [[ -n $1 ]] && awk -v x="$1" 'BEGIN { printf "%.2f s", x }' || echo "n/a"; }
ratio() { [[ -n $1 && -n $2 ]] && awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else print "n/a" }' || echo "n/a"; }
rate_of() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.1f", n / s }'; }
after_start() { awk -v n="$1" -v w="$2" -v o="$3" 'BEGIN { if (w - o > 0) printf "%.0f", n / (w - o) }'; }

W_OURS=$(median "${w_ours[@]}") W_MOSQ=$(median "${w_mosq[@]}")
R_OURS=$(median "${r_ours[@]}") R_MOSQ=$(median "${r_mosq[@]}")
C_OURS=$(median ${c_ours[@]+"${c_ours[@]}"}) C_MOSQ=$(median ${c_mosq[@]+"${c_mosq[@]}"})
B_OURS=$(median ${b_ours[@]+"${b_ours[@]}"}) B_MOSQ=$(median ${b_mosq[@]+"${b_mosq[@]}"})
RATE_OURS=$(median "${rate_ours[@]}")
W1_OURS=$(median "${w_ours1[@]}") W1_MOSQ=$(median "${w_mosq1[@]}")
R1_OURS=$(median "${r_ours1[@]}") R1_MOSQ=$(median "${r_mosq1[@]}")
W_DRY=$(median "${w_dry[@]}")
W_VERSION=$(median "${w_version[@]}") W_JAVAVERSION=$(median "${w_javaversion[@]}")
W1_LAUNCH=$(median "${w_launch1[@]}") R1_LAUNCH=$(median "${r_launch1[@]}")
W_LAUNCH=$(median "${w_launch[@]}") R_LAUNCH=$(median "${r_launch[@]}") C_LAUNCH=$(median ${c_launch[@]+"${c_launch[@]}"})
ACK_LAUNCH=$(printf '%s\n' "${ack_launch[@]}" | sort -n | head -1)
W_STEP=$(median "${w_step[@]}")
C1_OURS=$(median "${c_ours1[@]}") C1_LAUNCH=$(median "${c_launch1[@]}")
W_FLOOR=$(median "${w_floor[@]}") C_FLOOR=$(median "${c_floor[@]}")
W_FLOORCDS=$(median "${w_floorcds[@]}") C_FLOORCDS=$(median "${c_floorcds[@]}")
W_LAUNCH25=$(median ${w_launch25[@]+"${w_launch25[@]}"}) C_LAUNCH25=$(median ${c_launch25[@]+"${c_launch25[@]}"})
W_FLOORAOT=$(median ${w_flooraot[@]+"${w_flooraot[@]}"}) C_FLOORAOT=$(median ${c_flooraot[@]+"${c_flooraot[@]}"})
W_TEN=$(median "${w_ten[@]}") C_TEN=$(median "${c_ten[@]}")
W_FLOORJKS=$(median "${w_floorjks[@]}") C_FLOORJKS=$(median "${c_floorjks[@]}")
W_TENLAUNCH=$(median "${w_tenlaunch[@]}") W_TENLAUNCH25=$(median ${w_tenlaunch25[@]+"${w_tenlaunch25[@]}"})
W_TEN_STEPS=$(awk -v s="$W_STEP" 'BEGIN { if (s != "") printf "%.3f", 10 * s }')
ACK_OURS=$(printf '%s\n' "${ack_ours[@]}" | sort -n | head -1)
ACK_MOSQ=$(printf '%s\n' "${ack_mosq[@]}" | sort -n | head -1)
ABS_OURS=$(after_start "$COUNT" "$W_OURS" "$W1_OURS")
ABS_MOSQ=$(after_start "$COUNT" "$W_MOSQ" "$(awk -v w="$W1_MOSQ" -v k="${#CHUNKS[@]}" 'BEGIN { print w * k }')")
LOOP_RATE=$(rate_of "$loop_ok" "$LOOP_WALL")
OURS100_RATE=$(rate_of "${OURS100_ACK:-0}" "$OURS100_WALL")

# met TARGET_KIND FIGURE LIMIT: "yes" or "no" (at most / under the limit); "n/a" without a figure.
met() { [[ -n $2 && -n $3 ]] && awk -v x="$2" -v l="$3" -v k="$1" 'BEGIN { print ((k == "le" ? x <= l : x < l) ? "yes" : "no") }' || echo "n/a"; }
times() { [[ -n $1 && -n $2 ]] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", b * a }'; }
MIB160=$((160 * 1024))

cat <<EOF

## Issue 18's goals ($(date -u '+%Y-%m-%d %H:%M UTC'); load average before $LOAD_BEFORE, after $LOAD_AFTER)

Each figure is a median from this run ($ONE_REPS interleaved rounds for one reading, $REPS for $COUNT readings), beside
its reference measured in the same run on the same broker; CPU is user + system. "JVM floor": bench/floor/MqttFloor.java,
one mutual-TLS QoS 1 publish with the JDK alone (MQTT by hand). "Launcher": the release's \`target/tesaiot-publish\`
(JDK 17: AppCDS archive from its first run, C1 only, serial GC; JDK 25: AOT cache). Every other figure is plain
\`java -jar\`${BENCH_JAVA_OPTS:+ with $BENCH_JAVA_OPTS}.

| goal | tesaiot-publish | reference (same run) | target | met |
|---|---|---|---|---|
| one reading, \`java -jar\` | $(fmt_s "$W1_OURS") (CPU $(fmt_cpu "$C1_OURS")) | JVM floor, plain java: $(fmt_s "$W_FLOOR") (CPU $(fmt_cpu "$C_FLOOR")) | ≤ 1.15× | $(met le "$W1_OURS" "$(times 1.15 "$W_FLOOR")") ($(ratio "$W1_OURS" "$W_FLOOR"); CPU $(ratio "$C1_OURS" "$C_FLOOR")) |
| one reading, \`java -jar\`, against a floor without PBKDF2 | $(fmt_s "$W1_OURS") (CPU $(fmt_cpu "$C1_OURS")) | JVM floor, plain java, JKS key store: $(fmt_s "$W_FLOORJKS") (CPU $(fmt_cpu "$C_FLOORJKS")) | report | $(ratio "$W1_OURS" "$W_FLOORJKS"); CPU $(ratio "$C1_OURS" "$C_FLOORJKS") |
| one reading, launcher (JDK 17, AppCDS + C1) | $(fmt_s "$W1_LAUNCH") (CPU $(fmt_cpu "$C1_LAUNCH")) | JVM floor with AppCDS + C1: $(fmt_s "$W_FLOORCDS") (CPU $(fmt_cpu "$C_FLOORCDS")) | ≤ 1.0× | $(met le "$W1_LAUNCH" "$W_FLOORCDS") ($(ratio "$W1_LAUNCH" "$W_FLOORCDS"); CPU $(ratio "$C1_LAUNCH" "$C_FLOORCDS")) |
| one reading, launcher on JDK 25 (AOT cache + C1) | $(fmt_s "$W_LAUNCH25") (CPU $(fmt_cpu "$C_LAUNCH25")) | JVM floor on JDK 25, AOT cache + C1: $(fmt_s "$W_FLOORAOT") (CPU $(fmt_cpu "$C_FLOORAOT")) | report | $(ratio "$W_LAUNCH25" "$W_FLOORAOT") |
| ten readings, \`--count 10 --interval 0\`, \`java -jar\` | $(fmt_s "$W_TEN") (CPU $(fmt_cpu "$C_TEN")) | the original's ten steps (10 × the median step, system python3 + mosquitto_pub): $(fmt_s "$W_TEN_STEPS") | ≤ 0.5× | $(met le "$W_TEN" "$(times 0.5 "$W_TEN_STEPS")") ($(ratio "$W_TEN" "$W_TEN_STEPS")) |
| ten readings through the launcher: JDK 17 (AppCDS + C1), JDK 25 (AOT cache + C1) | $(fmt_s "$W_TENLAUNCH"), $(fmt_s "$W_TENLAUNCH25") | the original's ten steps: $(fmt_s "$W_TEN_STEPS") | report | $(ratio "$W_TENLAUNCH" "$W_TEN_STEPS"), $(ratio "$W_TENLAUNCH25" "$W_TEN_STEPS") |
| $COUNT readings: wall | $(fmt_s "$W_OURS") | mosquitto_pub -l, ${#CHUNKS[@]} runs of $CHUNK: $(fmt_s "$W_MOSQ") | ≤ 1.5× | $(met le "$W_OURS" "$(times 1.5 "$W_MOSQ")") ($(ratio "$W_OURS" "$W_MOSQ")) |
| $COUNT readings: client CPU | $(fmt_cpu "$C_OURS") | same: $(fmt_cpu "$C_MOSQ") | ≤ 3× | $(met le "$C_OURS" "$(times 3 "$C_MOSQ")") ($(ratio "$C_OURS" "$C_MOSQ")) |
| $COUNT readings: peak RSS, no JVM flags | $(fmt_mib "$R_OURS") | mosquitto_pub: $(fmt_mib "$R_MOSQ") | ≤ 160 MiB | $(met le "$R_OURS" "$MIB160") |
| $COUNT readings through the launcher: wall, CPU, peak RSS | $(fmt_s "$W_LAUNCH"), $(fmt_cpu "$C_LAUNCH"), $(fmt_mib "$R_LAUNCH") | mosquitto_pub -l: $(fmt_s "$W_MOSQ"), $(fmt_cpu "$C_MOSQ") | — | $(ratio "$W_LAUNCH" "$W_MOSQ") wall, $(ratio "$C_LAUNCH" "$C_MOSQ") CPU |
| \`--dry-run --once\` | $(fmt_s "$W_DRY") | \`java -version\`: $(fmt_s "$W_JAVAVERSION") | ≤ 5× | $(met le "$W_DRY" "$(times 5 "$W_JAVAVERSION")") ($(ratio "$W_DRY" "$W_JAVAVERSION")) |
| \`--version\` | $(fmt_s "$W_VERSION") | \`java -version\`: $(fmt_s "$W_JAVAVERSION") | — | $(ratio "$W_VERSION" "$W_JAVAVERSION") |
| one reading, for scale | — | the original's step: $(fmt_s "$W_STEP"); mosquitto_pub -m: $(fmt_s "$W1_MOSQ") | — | |

Memory over 1 000 000 readings ("flat"): \`bench/soak.sh\`.

## tesaiot-publish benchmark ($(date -u '+%Y-%m-%d %H:%M UTC'))

$COUNT readings, QoS 1, mutual TLS 1.2, mosquitto on loopback; every client timed as a whole process (start-up
included). Big runs: median of $REPS; one-message and dry runs: median of $ONE_REPS. Ratio = tesaiot-publish ÷ mosquitto_pub.
Our jar: --interval 0 --max-inflight $MAX_INFLIGHT${BENCH_JAVA_OPTS:+, JVM flags: $BENCH_JAVA_OPTS}. mosquitto_pub: -l, fed
the same payloads in ${#CHUNKS[@]} chunk(s) of $CHUNK lines (one process each, run back to back), default -M (20).

| measurement | tesaiot-publish | mosquitto_pub | ratio |
|---|---|---|---|
| $COUNT readings: wall time | $(fmt_s "$W_OURS") | $(fmt_s "$W_MOSQ") | $(ratio "$W_OURS" "$W_MOSQ") |
| $COUNT readings: msg/s, whole process | $(fmt_rate "$(rate_of "$COUNT" "$W_OURS")") | $(fmt_rate "$(rate_of "$COUNT" "$W_MOSQ")") | $(ratio "$(rate_of "$COUNT" "$W_OURS")" "$(rate_of "$COUNT" "$W_MOSQ")") |
| $COUNT readings: msg/s after start-up ¹ | $(fmt_rate "$ABS_OURS") | $(fmt_rate "$ABS_MOSQ") | $(ratio "$ABS_OURS" "$ABS_MOSQ") |
| $COUNT readings: msg/s from our summary line ² | $(fmt_rate "$RATE_OURS") | — | — |
| $COUNT readings: peak RSS | $(fmt_mib "$R_OURS") | $(fmt_mib "$R_MOSQ") | $(ratio "$R_OURS" "$R_MOSQ") |
| $COUNT readings: client CPU (user+sys) | $(fmt_cpu "$C_OURS") | $(fmt_cpu "$C_MOSQ") | $(ratio "$C_OURS" "$C_MOSQ") |
| $COUNT readings: broker CPU | $(fmt_cpu "$B_OURS") | $(fmt_cpu "$B_MOSQ") | $(ratio "$B_OURS" "$B_MOSQ") |
| $COUNT readings: acknowledged (client's count, worst run) | ${ACK_OURS:-n/a} (launcher: ${ACK_LAUNCH:-n/a}) | ${ACK_MOSQ:-n/a} | |
| broker's \$SYS PUBLISH count over the timed runs | $SYS_TIMED of $((3 * REPS * COUNT)) expected (ours, launcher, mosquitto_pub) | | |
| $COUNT readings with a QoS 1 subscriber attached: wall | $(fmt_s "$V_OURS_WALL") (exit $V_OURS_RC) | $(fmt_s "$V_MOSQ_WALL") (exit $V_MOSQ_RC) | $(ratio "$V_OURS_WALL" "$V_MOSQ_WALL") |
| … received by that subscriber | $V_OURS_SUB of $COUNT | $V_MOSQ_SUB of $COUNT | |
| $COUNT lines into ONE mosquitto_pub -l (the issue's method) ³ | — | $(fmt_s "$NAIVE_WALL"), $(fmt_mib "$NAIVE_RSS"), exit $NAIVE_RC: sent $NAIVE_SENT, acked $NAIVE_ACK, broker got $NAIVE_BROKER | |
| one-message publish: wall | $(fmt_s "$W1_OURS") | $(fmt_s "$W1_MOSQ") | $(ratio "$W1_OURS" "$W1_MOSQ") |
| one-message publish: peak RSS | $(fmt_mib "$R1_OURS") | $(fmt_mib "$R1_MOSQ") | $(ratio "$R1_OURS" "$R1_MOSQ") |
| one-message publish through the launcher: wall, peak RSS | $(fmt_s "$W1_LAUNCH"), $(fmt_mib "$R1_LAUNCH") | — | — |
| $LOOP readings: ours in one process vs the original's loop ⁴ | $(fmt_rate "$OURS100_RATE") ($(fmt_s "$OURS100_WALL")) | $(fmt_rate "$LOOP_RATE") ($(fmt_s "$LOOP_WALL"), $loop_ok ok) | $(ratio "$OURS100_RATE" "$LOOP_RATE") |
| dry run --once: wall | $(fmt_s "$W_DRY") | — | — |
| dry run, $COUNT payloads to a file: wall | $(fmt_s "$DRY_BIG_WALL") | — | — |

¹ $COUNT ÷ (wall − one-message wall × processes): the rate once connected, start-up and handshake taken out.
² Our jar's own figure: connect → last PUBACK → disconnect, JVM start excluded.
³ mosquitto_pub 2.0 stops at end of input on the first PUBACK whose message id equals the last one's; ids wrap at 65 535,
  so past 65 535 lines it disconnects early and drops the rest, exit 0. Not a valid comparison: shown to explain it.
⁴ Original's loop: $( [[ -n $HAVE_PYTHON ]] && echo "python3 -c payload + mosquitto_pub -m" || echo "mosquitto_pub -m (no python3 here)" ) per message: a process and a TLS handshake each.

Machine: $(nproc) CPU(s), $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || uname -m), $(uname -sr);
$(java -version 2>&1 | head -1); $("$MOSQUITTO" -h 2>/dev/null | head -1 | sed 's/ is an MQTT.*//'); $(mosquitto_pub --help 2>/dev/null | sed -n 2p | sed 's/ running on.*//');
$(openssl version | cut -d' ' -f1-2)$( [[ -n $HAVE_PYTHON ]] && echo "; $PYTHON3: $("$PYTHON3" --version 2>&1)")$( [[ -n $JAVA25 ]] && echo "; JDK 25 rows: $("$JAVA25/bin/java" -version 2>&1 | head -1)"); load average before $LOAD_BEFORE, after $LOAD_AFTER.
EOF
if awk -v l="${LOAD_BEFORE%% *}" 'BEGIN { exit !(l + 0 > 0.7) }' 2>/dev/null; then
    echo
    echo "Note: the 1-minute load average was ${LOAD_BEFORE%% *} before the run: other work shared the CPUs, so expect noise."
fi
