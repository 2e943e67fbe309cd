# shellcheck shell=bash
# Shared by bench/run.sh and bench/startup.sh: tool checks, a throwaway PKI, a local mosquitto with mutual
# TLS, a way to time one process (wall, peak RSS, CPU) and the exit cleanup. Source it: it only defines.

export LC_ALL=C   # decimal points, not commas, in every number we print or parse

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
JAR="$REPO_DIR/target/tesaiot-publish.jar"
# The release's launcher beside the jar (src/main/dist): its JVM flags and class-data sharing archive.
LAUNCHER="$REPO_DIR/target/tesaiot-publish"
DEVICE_ID=bench-device-01
TOPIC="device/$DEVICE_ID/telemetry"

die() { echo "bench: error: $*" >&2; exit 2; }
note() { echo "bench: $*" >&2; }

# Seconds since the epoch with microseconds; bash 5 has it built in, older shells ask date.
now() { if [[ -n ${EPOCHREALTIME:-} ]]; then echo "$EPOCHREALTIME"; else date +%s.%N; fi; }

# Debian installs the broker in /usr/sbin, which is not on every user's PATH.
find_mosquitto() {
    command -v mosquitto 2>/dev/null && return
    local p
    for p in /usr/sbin/mosquitto /usr/local/sbin/mosquitto; do [[ -x $p ]] && { echo "$p"; return; }; done
    return 1
}

# Fails with one line naming every missing tool; remembers the optional ones we can do without.
require_tools() {
    local missing=()
    command -v java >/dev/null || missing+=("java (JDK 17+)")
    [[ -f $JAR ]] || command -v mvn >/dev/null || missing+=("mvn (to build $JAR)")
    command -v openssl >/dev/null || missing+=("openssl")
    MOSQUITTO=$(find_mosquitto) || missing+=("mosquitto (the broker)")
    command -v mosquitto_pub >/dev/null || missing+=("mosquitto_pub (package mosquitto-clients)")
    command -v mosquitto_sub >/dev/null || missing+=("mosquitto_sub (package mosquitto-clients)")
    command -v awk >/dev/null || missing+=("awk")
    if ((${#missing[@]})); then
        die "missing: $(printf '%s; ' "${missing[@]}" | sed 's/; $//'). On Debian/Ubuntu: sudo apt-get install openjdk-17-jdk maven mosquitto mosquitto-clients openssl"
    fi
    HAVE_GNU_TIME=""
    if [[ -x /usr/bin/time ]] && /usr/bin/time --version 2>&1 | grep -q GNU; then HAVE_GNU_TIME=1; fi
    [[ -n $HAVE_GNU_TIME ]] || note "GNU time (/usr/bin/time) not found: peak RSS comes from polling /proc, CPU time is not measured (Debian package: time)"
    # The system's python3, as the original's users run it: a version manager's shim (pyenv) first on the PATH adds
    # about 0.25 s to every call, which would flatter us against the original's per-message step.
    HAVE_PYTHON="" PYTHON3=""
    for PYTHON3 in /usr/bin/python3 /usr/local/bin/python3 "$(command -v python3 2>/dev/null)"; do
        [[ -n $PYTHON3 && -x $PYTHON3 ]] && { HAVE_PYTHON=1; break; }
    done
    [[ -n $HAVE_PYTHON ]] || note "python3 not found: the per-message loop sends pre-generated payloads instead of running python3 per message"
}

build_jar_if_absent() {
    if [[ -f $JAR && -x $LAUNCHER && -z ${BENCH_REBUILD:-} ]]; then return; fi
    note "building $JAR (mvn -q -B package -DskipTests)"
    local log
    log=$(mktemp)
    # Maven's output only matters when the build fails (quiet Maven still prints terminal escape codes).
    if ! (cd "$REPO_DIR" && mvn -q -B package -DskipTests) >"$log" 2>&1; then
        cat "$log" >&2; rm -f "$log"; die "the build failed"
    fi
    rm -f "$log"
    [[ -f $JAR && -x $LAUNCHER ]] || die "the build did not produce $JAR and $LAUNCHER"
}

# A root CA, a server certificate for localhost/127.0.0.1, the device's EC P-256 client certificate (SEC1 key,
# CN = device id, as devices make them) and a second client for the subscriber; then the device's bundle.
make_pki() {
    local d=$1
    mkdir -p "$d/pki" "$d/bundle"
    (
        cd "$d/pki"
        openssl ecparam -name prime256v1 -genkey -noout -out ca.key
        openssl req -x509 -new -key ca.key -sha256 -days 2 -subj "/CN=tesaiot bench root CA" \
            -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.pem
        printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' > server.ext
        printf 'extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n' > client.ext
        local name cn ext
        for name in server device subscriber; do
            case $name in
                server) cn=localhost ext=server.ext ;;
                device) cn=$DEVICE_ID ext=client.ext ;;
                subscriber) cn=bench-subscriber ext=client.ext ;;
            esac
            openssl ecparam -name prime256v1 -genkey -noout -out "$name.key"
            openssl req -new -key "$name.key" -subj "/CN=$cn" -out "$name.csr"
            openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -sha256 \
                -extfile "$ext" -out "$name.pem"
        done
    ) >"$d/pki/openssl.log" 2>&1 || { cat "$d/pki/openssl.log" >&2; die "openssl could not make the test PKI"; }
    cp "$d/pki/ca.pem" "$d/bundle/ca-chain.pem"
    cp "$d/pki/device.pem" "$d/bundle/client_cert.pem"
    cp "$d/pki/device.key" "$d/bundle/client_key.pem"
    chmod 600 "$d/bundle/client_key.pem"
    echo "$DEVICE_ID" > "$d/bundle/device_id.txt"
}

# The JVM's floor for one reading (bench/floor/MqttFloor.java: JDK only, MQTT by hand), compiled into $1/floor for
# Java 17 and packed as $1/floor.jar, and the device key as unencrypted PKCS#8, the one form the JDK reads unaided.
# Sets FLOOR (the command without its java) and FLOOR_CLASSES.
build_floor() {
    local d=$1
    command -v javac >/dev/null && command -v jar >/dev/null || die "missing: javac and jar (a JDK, for the JVM floor bench/floor/MqttFloor.java)"
    mkdir -p "$d/floor"
    javac --release 17 -d "$d/floor" "$BENCH_DIR/floor/MqttFloor.java" || die "could not compile bench/floor/MqttFloor.java"
    # In a jar: class-data sharing archives only classes from jars, not from directories.
    jar cf "$d/floor.jar" -C "$d/floor" . || die "could not make floor.jar"
    openssl pkcs8 -topk8 -nocrypt -in "$d/pki/device.key" -out "$d/pki/device.pk8" || die "openssl pkcs8 failed"
    FLOOR_CLASSES="$d/floor.jar"
    FLOOR=(-cp "$FLOOR_CLASSES" MqttFloor localhost "$BROKER_PORT" "$d/pki/ca.pem" "$d/pki/device.pem" "$d/pki/device.pk8"
        "$DEVICE_ID" "$TOPIC")
}

free_port() {
    if [[ -n ${HAVE_PYTHON:-} ]]; then
        "$PYTHON3" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
        return
    fi
    local p
    for _ in $(seq 50); do
        p=$((20000 + RANDOM % 40000))
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
    done
    die "no free TCP port found"
}

# mosquitto with mutual TLS on 127.0.0.1:$BROKER_PORT. Queues and inflight windows unlimited so that a slow
# subscriber never makes the broker drop what it must count; $SYS every second for the PUBLISH counter.
start_broker() {
    local d=$1 attempt
    for attempt in 1 2 3; do
        BROKER_PORT=$(free_port)
        cat > "$d/mosquitto.conf" <<EOF
# Run as whoever started the bench (as root, mosquitto would otherwise switch to user 'mosquitto').
user $(id -un)
per_listener_settings false
persistence false
log_dest file $d/mosquitto.log
log_type error
log_type warning
sys_interval 1
max_inflight_messages 0
max_queued_messages 0
max_queued_bytes 0
# As the platform's EMQX does (its listeners' nodelay defaults to true), and as fleet.sh's broker and the tests'
# do: without it mosquitto holds each small PUBACK behind the previous one until the client's delayed TCP
# acknowledgement (40 ms), which a burst of readings pays at its end.
set_tcp_nodelay true
listener $BROKER_PORT 127.0.0.1
cafile $d/pki/ca.pem
certfile $d/pki/server.pem
keyfile $d/pki/server.key
require_certificate true
use_identity_as_username true
EOF
        # In a session of its own, so that Ctrl-C in the terminal reaches the clients but not the broker: a
        # broker gone mid-run leaves mosquitto_pub -l hanging. It is stopped by its pid on exit.
        if command -v setsid >/dev/null; then
            setsid "$MOSQUITTO" -c "$d/mosquitto.conf" >"$d/mosquitto.out" 2>&1 &
        else
            "$MOSQUITTO" -c "$d/mosquitto.conf" >"$d/mosquitto.out" 2>&1 &
        fi
        BROKER_PID=$!
        local i
        for i in $(seq 50); do
            kill -0 "$BROKER_PID" 2>/dev/null || break
            if (exec 3<>"/dev/tcp/127.0.0.1/$BROKER_PORT") 2>/dev/null; then
                printf '{"mqtt_host":"localhost","mqtt_mtls_port":%d}\n' "$BROKER_PORT" > "$d/bundle/endpoints.json"
                return
            fi
            sleep 0.1
        done
        kill "$BROKER_PID" 2>/dev/null || true
        wait "$BROKER_PID" 2>/dev/null || true
        BROKER_PID=""
        note "mosquitto did not start on port $BROKER_PORT (attempt $attempt): $(tail -3 "$d/mosquitto.log" "$d/mosquitto.out" 2>/dev/null | tr '\n' ' ')"
    done
    die "mosquitto would not start; see its log above"
}

stop_broker() {
    if [[ -n ${BROKER_PID:-} ]]; then
        kill "$BROKER_PID" 2>/dev/null || true
        wait "$BROKER_PID" 2>/dev/null || true
        BROKER_PID=""
    fi
}

# PUB and SUB: mosquitto_pub/mosquitto_sub connection arguments for the device and for the subscriber.
set_client_args() {
    local d=$1
    PUB=(-h localhost -p "$BROKER_PORT" --cafile "$d/pki/ca.pem" --cert "$d/pki/device.pem" --key "$d/pki/device.key" --tls-version tlsv1.2)
    SUB=(-h localhost -p "$BROKER_PORT" --cafile "$d/pki/ca.pem" --cert "$d/pki/subscriber.pem" --key "$d/pki/subscriber.key" --tls-version tlsv1.2)
}

# Broker CPU seconds so far (user + system), from /proc; empty where there is no /proc.
broker_cpu() {
    [[ -r /proc/$BROKER_PID/stat ]] || { echo ""; return; }
    awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.3f\n", ($12 + $13) / hz }' "/proc/$BROKER_PID/stat"
}

# measure STDIN STDOUT STDERR CMD...: runs CMD as one process (wall time includes its start-up).
# Sets M_WALL (s), M_RSS_KB (peak resident set of the process and its waited-for children), M_CPU (user+sys s,
# empty without GNU time) and M_RC. Never fails: the caller judges M_RC.
measure() {
    local in=$1 out=$2 err=$3; shift 3
    local t0 t1 u s tf="$WORK/measure.time"
    M_RC=0 M_RSS_KB="" M_CPU=""
    if [[ -n $HAVE_GNU_TIME ]]; then
        t0=$(now)
        /usr/bin/time -f '%M %U %S' -o "$tf" "$@" <"$in" >"$out" 2>"$err" || M_RC=$?
        t1=$(now)
        read -r M_RSS_KB u s < <(tail -1 "$tf")
        M_CPU=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
    else
        local pid hwm=0 v
        t0=$(now)
        "$@" <"$in" >"$out" 2>"$err" &
        pid=$!
        while kill -0 "$pid" 2>/dev/null; do
            v=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
            [[ -n $v && $v -gt $hwm ]] && hwm=$v
            sleep 0.01
        done
        wait "$pid" || M_RC=$?
        t1=$(now)
        M_RSS_KB=$hwm
    fi
    M_WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    # Ctrl-C reaches the measured process too; GNU time then exits normally with its status, and bash, seeing a
    # child that handled the signal, would carry on: stop here instead.
    case $M_RC in 130 | 143) note "interrupted"; exit "$M_RC" ;; esac
}

# On any exit (also Ctrl-C and kill): stop the subscriber if one runs, stop the broker, remove $WORK unless
# BENCH_KEEP is set. Keeps the exit status.
WORK=""
SUB_PID=""
cleanup() {
    local rc=$?
    if [[ -n $SUB_PID ]]; then kill "$SUB_PID" 2>/dev/null || true; wait "$SUB_PID" 2>/dev/null || true; fi
    stop_broker
    if [[ -n $WORK ]]; then
        if [[ -n ${BENCH_KEEP:-} ]]; then note "kept $WORK"; else rm -rf "$WORK"; fi
    fi
    exit "$rc"
}
install_cleanup() {
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# median of the numbers given as arguments (empty ones ignored)
median() {
    printf '%s\n' "$@" | awk 'NF' | sort -g | awk '{ a[NR] = $1 } END { if (NR) print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'
}
