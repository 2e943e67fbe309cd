#!/usr/bin/env bash
# The .deb as a user meets it: installed with apt-get from target/packages (built by mvn package -Ppackage), then
# used from the PATH: --version, its man page, bash completion, and one reading to a local mosquitto made with
# bundle create (whose next commands name tesaiot-publish); removed again at the end, whatever happened. Run by .ci/run where apt-get and jpackage exist.
#
#   src/package/deb-install-test.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
deb=$(ls target/packages/tesaiot-publish_*.deb)
work=$(mktemp -d)
broker_pid=""
cleanup() {
  [ -z "$broker_pid" ] || kill "$broker_pid" 2>/dev/null || true
  rm -rf "$work"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get remove -y -qq tesaiot-publish >/dev/null 2>&1 || true
}
trap cleanup EXIT

DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "./$deb" >/dev/null
echo "installed $deb: $(command -v tesaiot-publish)"
tesaiot-publish --version | head -n 1

if grep -qs '^path-exclude=/usr/share/man' /etc/dpkg/dpkg.cfg.d/*; then
  # Minimal images (Docker's Debian and Ubuntu) tell dpkg to leave man pages out of every package.
  echo "dpkg here excludes /usr/share/man (path-exclude in /etc/dpkg/dpkg.cfg.d): the man page check is left out" >&2
  dpkg -c "$deb" | grep -q 'usr/share/man/man1/tesaiot-publish.1.gz' || { echo "the .deb has no man page" >&2; exit 1; }
else
  man_page=$(man -w tesaiot-publish)
  echo "man -w tesaiot-publish: $man_page"
  zcat -f "$man_page" | grep -q '^\.SH "EXIT STATUS"' || { echo "the man page has no EXIT STATUS" >&2; exit 1; }
fi

# Completion as an interactive bash loads it: bash-completion finds the script by the command's name.
completion=/usr/share/bash-completion/completions/tesaiot-publish
offered=$(bash -c 'source "$1"; COMP_WORDS=(tesaiot-publish --tls-version ""); COMP_CWORD=2; COMP_LINE="tesaiot-publish --tls-version ";
  COMP_POINT=${#COMP_LINE}; _complete_tesaiot-publish 2>/dev/null; echo "${COMPREPLY[*]}"' bash "$completion")
echo "bash: tesaiot-publish --tls-version <TAB> offers: $offered"
[ "$offered" = "tlsv1.2 tlsv1.3" ] || { echo "expected tlsv1.2 tlsv1.3" >&2; exit 1; }

# One reading from the PATH to a local mosquitto, on a free port, as README's local round trip does.
mosquitto=$(command -v mosquitto || echo /usr/sbin/mosquitto)
if [ -x "$mosquitto" ]; then
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  next=$(tesaiot-publish bundle create --out "$work/bundle" -i deb-smoke -p "$port")
  # The next commands it prints name the command the user ran, not the jar inside the package.
  grep -q '^  tesaiot-publish check' <<<"$next" || { echo "bundle create's next commands name another command: $next" >&2; exit 1; }
  "$mosquitto" -c "$work/bundle/broker/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
  broker_pid=$!
  for _ in $(seq 50); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
    kill -0 "$broker_pid" 2>/dev/null || { cat "$work/mosquitto.log" >&2; exit 1; }
    sleep 0.2
  done
  tesaiot-publish --certs-dir "$work/bundle" -h localhost -p "$port" --once
else
  echo "mosquitto is not installed: the --once from the PATH is left out"
fi
echo "deb install test passed"
