#!/usr/bin/env bash
# Builds TARGET/exlm-mon.jsa, a static class-data-sharing archive (JDK 17 AppCDS) of the classes that short commands
# load, from training runs of TARGET/exlm-mon.jar. Run by Maven after the shaded jar exists. The training backend is
# the jar's own demo server, in a separate JVM, so that the server's classes stay out of the archive.
# A failure here only costs start-up time: the script warns and exits 0, and the launcher runs without the archive.
set -u
t=$(cd "${1:?target dir}" && pwd)
jar=$t/exlm-mon.jar
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
tmp=$(mktemp -d)
demo=
cleanup() {
  [ -n "$demo" ] && kill "$demo" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
  echo "cds.sh: warning: no class-data archive ($1); exlm-mon starts slower but works" >&2
  rm -f "$t/exlm-mon.jsa"
  exit 0
}

"$java" -jar "$jar" demo --port 0 --no-load >"$tmp/demo.out" 2>&1 &
demo=$!
url=
for _ in $(seq 100); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$tmp/demo.out" | head -n 1)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || fail "the demo backend did not start"

cat >"$tmp/sample.prom" <<'PROM'
# HELP http_requests_total Total number of HTTP requests.
# TYPE http_requests_total counter
http_requests_total{method="GET",handler="/api/v1/models",status="200"} 1027
# HELP http_request_duration_seconds HTTP request latency in seconds.
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{handler="/",method="GET",le="0.1"} 3
http_request_duration_seconds_bucket{handler="/",method="GET",le="+Inf"} 4
http_request_duration_seconds_sum{handler="/",method="GET"} 0.52
http_request_duration_seconds_count{handler="/",method="GET"} 4
PROM
n=0
nowhere=http://127.0.0.1:1
for args in "--help" "health --help" "health --backend-url $url" "health --backend-url $url -o json" \
    "health --backend-url $url --check basic" "health --backend-url http://127.0.0.1:1 --check basic" \
    "metrics check $tmp/sample.prom" "metrics --file $tmp/sample.prom" "metrics --backend-url $url" \
    "top --backend-url $url --once --interval 250ms" \
    "doctor --backend-url $url --prometheus-url $nowhere --alertmanager-url $nowhere --grafana-url $nowhere" \
    "doctor --backend-url $url --prometheus-url $nowhere --alertmanager-url $nowhere --grafana-url $nowhere -o json"; do
  n=$((n + 1))
  # shellcheck disable=SC2086
  "$java" -Xshare:off -XX:DumpLoadedClassList="$tmp/$n.lst" -cp "$jar" io.exlm.mon.cli.Main $args >/dev/null 2>&1
done
cat "$tmp"/*.lst | awk '!seen[$0]++' > "$tmp/classlist"
# the class list travels in the distribution, which makes its own archive where it is installed
cp "$tmp/classlist" "$t/exlm-mon.classlist"
rm -f "$t/exlm-mon.jsa"
# the class path is the jar's absolute path (jars only); the JVM checks the jar's size and time before using it
"$java" -Xshare:dump -Xlog:cds=off -Xlog:cds+dynamic=off -XX:SharedClassListFile="$tmp/classlist" \
  -XX:SharedArchiveFile="$t/exlm-mon.jsa" -cp "$jar" >"$tmp/dump.log" 2>&1 || fail "the dump failed: $(tail -n 1 "$tmp/dump.log")"
