#!/bin/sh
# image.prepare of zookeeper.yaml: a small Java runtime for the ZooKeeper node
# image. jdeps names the modules zookeeper.jar and the jars its manifest lists
# need, jlink builds a runtime of just those (about 50 MB instead of the
# JDK's 260 MB). It runs before every test, so it rebuilds only when the JDK
# or zookeeper.jar changed (the stamp says which ones it was built from).
set -eu
JAR=/usr/share/java/zookeeper.jar
for tool in jar jdeps jlink; do
  command -v "$tool" >/dev/null || { echo "no $tool: install default-jdk-headless (faultline setup does)" >&2; exit 1; }
done
[ -f "$JAR" ] || { echo "no $JAR: install zookeeper (faultline setup does)" >&2; exit 1; }
stamp="$(readlink -f "$(command -v jlink)") $(cksum < "$JAR")"
if [ -x jre/bin/java ] && [ "$(cat jre/.faultline-stamp 2>/dev/null)" = "$stamp" ]; then exit 0; fi
# The jar's manifest, read with the JDK's own jar tool (no unzip needed).
manifest() {
  tmp="$(mktemp -d)"
  (cd "$tmp" && jar xf "$JAR" META-INF/MANIFEST.MF && cat META-INF/MANIFEST.MF)
  rm -rf "$tmp"
}
# The manifest's Class-Path, its continuation lines joined.
classpath="$(manifest | tr -d '\r' | awk '/^Class-Path:/{on=1; sub(/^Class-Path: /, ""); printf "%s", $0; next} on && /^ /{sub(/^ /, ""); printf "%s", $0; next} {on=0}' | tr ' ' ':')"
modules="$(jdeps --ignore-missing-deps --print-module-deps --multi-release 17 --class-path "$classpath" "$JAR")"
# jdk.zipfs: jar handling at run time; jdk.crypto.ec: TLS defaults; jdk.localedata is not needed.
rm -rf jre.tmp
jlink --add-modules "$modules,jdk.zipfs,jdk.crypto.ec" --strip-debug --no-header-files --no-man-pages --compress=2 --output jre.tmp
echo "$stamp" > jre.tmp/.faultline-stamp
rm -rf jre && mv jre.tmp jre
