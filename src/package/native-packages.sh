#!/usr/bin/env bash
# Native packages of tesaiot-publish, made by the JDK's own jpackage around a runtime jlink cuts to the modules the
# tool uses (about 36 MiB instead of a whole JDK), so that installing needs no Java. Each package puts the launcher on
# the PATH, the man pages in man1 and the shell completion where bash, zsh and fish look for it.
#
#   src/package/native-packages.sh TARGET VERSION [TYPE...]
#
# TARGET is Maven's target/ after `mvn package` (the jar, man/*.1, the completion scripts); VERSION the pom's.
# TYPE: deb, rpm (Linux), pkg (macOS), msi (Windows, needs WiX 3); by default whichever this machine can build.
# Run by `mvn package -Ppackage`; the packages land in TARGET/packages.
set -euo pipefail

target=$(cd "${1:?usage: native-packages.sh TARGET VERSION [TYPE...]}" && pwd)
version=${2:?usage: native-packages.sh TARGET VERSION [TYPE...]}
shift 2
here=$(cd "$(dirname "$0")" && pwd)
name=tesaiot-publish
work=$target/jpackage
out=$target/packages

if [ $# -eq 0 ]; then
  case "$(uname -s)" in
    Linux)
      command -v dpkg-deb >/dev/null && set -- "$@" deb
      command -v rpmbuild >/dev/null && set -- "$@" rpm
      [ $# -gt 0 ] || { echo "neither dpkg-deb nor rpmbuild is installed: no Linux package to build" >&2; exit 1; } ;;
    Darwin) set -- pkg ;;
    MINGW* | MSYS* | CYGWIN*) set -- msi ;;
    *) echo "no native package for $(uname -s)" >&2; exit 1 ;;
  esac
fi

# jdeps names java.base, java.logging, java.management (the fleet's thread and heap figures) and java.naming;
# jdk.crypto.ec is the SunEC provider (EC keys, ECDHE), which jdeps cannot see: it is found as a service.
modules=java.base,java.logging,java.management,java.naming,jdk.crypto.ec
rm -rf "$work" && mkdir -p "$work/input/share/man/man1" "$work/input/share/bash-completion/completions" \
  "$work/input/share/zsh/vendor-completions" "$work/input/share/fish/vendor_completions.d" "$out"
jlink --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=2 --output "$work/runtime"

# What the package holds besides the runtime: the jar, and the man pages and completion in the tree they are
# installed from (share/ is moved out of the application's folder into /usr/share by each package type).
cp "$target/$name.jar" "$work/input/"
for page in "$target"/man/*.1; do gzip -9n < "$page" > "$work/input/share/man/man1/$(basename "$page").gz"; done
cp "$target/completion/$name.bash" "$work/input/share/bash-completion/completions/$name"
cp "$target/completion/_$name" "$work/input/share/zsh/vendor-completions/_$name"
cp "$target/completion/$name.fish" "$work/input/share/fish/vendor_completions.d/$name.fish"

# The JVM writes its own warnings to stdout, where payloads and JSON go: keep them on stderr, as the launcher script
# does. The serial collector suits a short run; no heap limit, so a fleet gets the JVM's default (a quarter of the
# memory). jpackage's launcher reads no JAVA_OPTS or JDK_JAVA_OPTIONS: these flags live in app/tesaiot-publish.cfg.
java_options="-XX:+UseSerialGC -Xshare:auto -Xlog:disable -Xlog:all=warning:stderr"
common=(--name "$name" --input "$work/input" --main-jar "$name.jar"
  --main-class com.tesaiot.publish.cli.Main --runtime-image "$work/runtime" --java-options "$java_options"
  --description "Publishes medical telemetry to the TESAIoT MQTT broker over mutual TLS."
  --vendor TESAIoT --license-file "$here/../../LICENSE" --dest "$work/out")

for type in "$@"; do
  rm -f "$out"/*."$type" # a package left from an earlier build would be installed or released as this one
  case "$type" in
    deb)
      # Under /usr, jpackage puts the launcher in /usr/bin (on the PATH) and the rest in /usr/lib/tesaiot-publish.
      jpackage --type deb "${common[@]}" --app-version "$version" --install-dir /usr --linux-package-name "$name" --linux-app-category utils
      deb=$(ls "$work"/out/*.deb)
      # jpackage installs only into the application's folder: move share/ to /usr/share, where dpkg then owns it.
      root=$work/deb-root
      dpkg-deb -R "$deb" "$root"
      mkdir -p "$root/usr/share"
      cp -R "$root/usr/lib/$name/app/share/." "$root/usr/share/"
      rm -rf "$root/usr/lib/$name/app/share"
      if [ -f "$root/DEBIAN/md5sums" ]; then
        (cd "$root" && find usr -type f -exec md5sum {} + > DEBIAN/md5sums)
      fi
      fakeroot dpkg-deb -Zgzip --build "$root" "$out/$(basename "$deb")" >/dev/null
      rm -rf "$root" "$deb" ;;
    rpm)
      # The spec is jpackage's own, plus the move of share/ to /usr/share in %install (rpm then owns those files).
      jpackage --type rpm "${common[@]}" --app-version "$version" --install-dir /usr --linux-package-name "$name" --linux-app-category utils \
        --resource-dir "$here/linux"
      mv "$work"/out/*.rpm "$out/" ;;
    pkg)
      # The postinstall script links the launcher into /usr/local/bin and the man pages and completion beside it.
      # A macOS bundle version must not start with 0: a 0.x release gets 1.0.0 inside the bundle, and keeps its own
      # version in the file name.
      case "$version" in 0.*) bundle_version=1.0.0 ;; *) bundle_version=$version ;; esac
      jpackage --type pkg "${common[@]}" --app-version "$bundle_version" --mac-package-identifier com.tesaiot.publish \
        --resource-dir "$here/macos"
      mv "$work"/out/*.pkg "$out/$name-$version.pkg" ;;
    msi)
      # --win-console: a console program, so its output reaches the terminal that started it.
      jpackage --type msi "${common[@]}" --app-version "$version" --win-console --win-dir-chooser --win-upgrade-uuid 6f1d2a0e-7f3b-4c51-9a55-3c1d7e2b9a41
      mv "$work"/out/*.msi "$out/" ;;
    *) echo "unknown package type: $type (deb, rpm, pkg or msi)" >&2; exit 2 ;;
  esac
done
ls -l "$out"
