#!/usr/bin/env bash
# make load: nginx under sustained load, then under load with reloads.
#
# An nginx of its own (127.0.0.1:${LOAD_PORT:-8091}, 2 workers) serves the
# verify endpoint (a VC-JWT and an eddsa-rdfc-2022 credential), a
# badge_require gate, and a static file.  For each endpoint wrk runs with
# 64 connections for LOAD_SECONDS (default 60) and the script reports
# requests/s, latency percentiles (wrk --latency), the answers by status
# (t/bench/post.lua; a status other than the expected one, or a verify
# answer without "verified": true, is an error), socket errors, and the
# workers' RSS 10 s into the run, half-way and at its end.  A leak grows
# steadily, so the verdict is on the second half (half-way -> end < 5%);
# 10 s -> end is printed too.  Runs shorter than 30 s (CI) print the RSS
# but do not judge it.
# Each endpoint first gets LOAD_WARMUP seconds (default 10) of the same load,
# not counted: the workers' heap grows to its high-water mark for 64
# concurrent verifications in the first ~20 s and then stays flat (measured:
# 15.8 MiB at 10 s, 19.1 at 20 s, 19.4-19.7 from 40 s to 100 s), which is
# not the growth this check is after.
# Then the verify endpoint runs again for LOAD_SECONDS while
# `nginx -s reload` is sent every 3 s: no request may be lost (no socket
# error, no unexpected status).  That run uses "Connection: close": with
# keep-alive, a client racing an old worker's close of an idle connection
# sees an error that is not a lost request.
#
# Exit status 0 when every check holds.  Fixtures come from tools/bench.sh's
# recipe (badgectl keygen + sign) in build/load/.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
build=$(cd "${BUILD:-build}" && pwd)
secs=${LOAD_SECONDS:-60}
warmup=${LOAD_WARMUP:-10}
port=${LOAD_PORT:-8091}
conns=${LOAD_CONNECTIONS:-64}
badgectl=$build/badgectl
module=$build/ngx_http_badge_module.so
nginx=${NGINX:-/usr/sbin/nginx}
work=$build/load
fx=$work/fixtures
prefix=$work/nginx

for f in "$badgectl" "$module"; do
    [ -e "$f" ] || { echo "load: $f is missing: run make first" >&2; exit 1; }
done
command -v wrk >/dev/null || { echo "load: wrk is not installed" >&2; exit 1; }
rm -rf "$work"
mkdir -p "$fx" "$prefix/conf" "$prefix/logs" "$prefix/tmp" "$prefix/www/static"
say() { echo "load: $*" >&2; }
say "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"

# fixtures
out=$("$badgectl" keygen --type ed25519 --out "$fx/key.pem" 2>/dev/null)
did=$(awk '$1 == "did:key" { print $2; exit }' <<<"$out")
sed -e "s|@DID@|$did|g" -e "s|@NOW@|2024-01-01T00:00:00Z|g" \
    -e "s|@ID@|urn:uuid:5b0f3c1e-8d0a-4a53-9a43-6e5c8b3a1d03|g" -e "s|@NAME@|山田 花子|g" \
    conf.examples/demo/sample-credential.json.in > "$fx/cred.json"
"$badgectl" sign --key "$fx/key.pem" --format jwt "$fx/cred.json" > "$fx/cred.jwt"
if ! "$badgectl" sign --format di --key "$fx/key.pem" --suite eddsa-rdfc-2022 \
        "$fx/cred.json" > "$fx/cred-di.json" 2>/dev/null; then
    cc -O2 -std=c11 -D_DEFAULT_SOURCE -Isrc $(pkg-config --cflags jansson libxml-2.0) \
        -o "$work/sign_di" t/bench/sign_di.c "$build/libbadge.a" \
        $(pkg-config --libs jansson openssl zlib libxml-2.0 libqrencode) -lpthread
    "$work/sign_di" "$fx/key.pem" eddsa-rdfc-2022 "$fx/cred.json" > "$fx/cred-di.json"
fi
cp "$fx/cred-di.json" "$prefix/www/static/credential.json"
echo "welcome" > "$prefix/www/static/index.html"

cat > "$prefix/conf/nginx.conf" <<CONF
daemon on;
master_process on;
worker_processes 2;
error_log $prefix/logs/error.log warn;
pid $prefix/nginx.pid;
load_module $module;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path $prefix/tmp/body;
    proxy_temp_path $prefix/tmp/proxy;
    fastcgi_temp_path $prefix/tmp/fastcgi;
    uwsgi_temp_path $prefix/tmp/uwsgi;
    scgi_temp_path $prefix/tmp/scgi;
    server {
        listen 127.0.0.1:$port backlog=4096;
        root $prefix/www;
        location = /verify {
            badge_verify;
            client_body_buffer_size 64k;
        }
        location /gate/ {
            badge_require on;
            badge_trusted_issuer $did;
            alias $prefix/www/static/;
        }
        location /static/ {
        }
    }
}
CONF
"$nginx" -t -q -p "$prefix" -c "$prefix/conf/nginx.conf"
"$nginx" -p "$prefix" -c "$prefix/conf/nginx.conf"
stop() { "$nginx" -p "$prefix" -c "$prefix/conf/nginx.conf" -s stop 2>/dev/null || true; }
trap stop EXIT
sleep 0.5
base=http://127.0.0.1:$port

workers_rss() {   # sum of the workers' VmRSS in KiB
    local master pid sum=0 r
    master=$(cat "$prefix/nginx.pid")
    for pid in $(pgrep -P "$master"); do
        r=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
        sum=$((sum + ${r:-0}))
    done
    echo "$sum"
}

fail=0
summary=()
run() {   # name url file content-type expect must [extra wrk args...]
    local name=$1 url=$2 file=$3 ct=$4 expect=$5 must=$6; shift 6
    local early=$(( secs < 30 ? secs / 3 : 10 ))
    local log=$work/$name.log rss0 rss1 rps p50 p99 bad sock growth
    say "$name: ${warmup}s warm-up, then ${secs}s, $conns connections"
    if [ "$warmup" -gt 0 ]; then
        wrk -t2 -c"$conns" -d"${warmup}s" --timeout 10s "$@" \
            -s t/bench/post.lua "$url" -- "$file" "$ct" "$expect" "$must" > "$log.warmup" 2>&1 || true
    fi
    local mid=$(( secs / 2 ))
    ( sleep "$early"; workers_rss > "$work/$name.rss0"
      [ "$mid" -gt "$early" ] && sleep $((mid - early))
      workers_rss > "$work/$name.rssm" ) &
    local sampler=$!
    wrk -t2 -c"$conns" -d"${secs}s" --latency --timeout 10s "$@" \
        -s t/bench/post.lua "$url" -- "$file" "$ct" "$expect" "$must" > "$log" 2>&1 || true
    wait "$sampler" || true
    rss0=$(cat "$work/$name.rss0")
    rssm=$(cat "$work/$name.rssm")
    rss1=$(workers_rss)
    rps=$(awk '/^Requests\/sec:/ { print int($2) }' "$log")
    p50=$(awk '$1 == "50%" { print $2 }' "$log")
    p99=$(awk '$1 == "99%" { print $2 }' "$log")
    bad=$(awk '/^unexpected:/ { print $2 }' "$log")
    sock=$(awk '/^socket errors: connect=/ { s = 0
                for (i = 3; i <= NF; i++) { split($i, kv, "="); s += kv[2] }
                print s }' "$log")
    growth0=$(awk -v a="$rss0" -v b="$rss1" 'BEGIN { if (a > 0) printf "%.1f", (b - a) * 100 / a; else print "?" }')
    growth=$(awk -v a="$rssm" -v b="$rss1" 'BEGIN { if (a > 0) printf "%.1f", (b - a) * 100 / a; else print "?" }')
    local verdict=ok
    if [ -z "$rps" ] || [ "${bad:-1}" != 0 ] || [ "${sock:-1}" != 0 ]; then
        verdict=FAIL
    fi
    # judged on runs of 30 s or more: shorter ones end before the heap
    # (and a shared cache zone's touched pages) reach their high-water mark
    if [ "$name" != reload ] && [ "$secs" -ge 30 ]; then
        if [ "$growth" = "?" ] || awk -v g="$growth" 'BEGIN { exit !(g >= 5) }'; then
            verdict=FAIL
        fi
    fi
    [ "$verdict" = ok ] || fail=1
    summary+=("$(printf '%-10s %6s req/s  p50 %8s  p99 %8s  unexpected %s  socket errors %s  RSS KiB 10s %s, mid %s, end %s (10s->end %s%%, mid->end %s%%)  %s  [%s]' \
        "$name" "${rps:-?}" "${p50:-?}" "${p99:-?}" "${bad:-?}" "${sock:-?}" "$rss0" "$rssm" "$rss1" "$growth0" "$growth" \
        "$verdict" "$(grep '^statuses:' "$log" | cut -d' ' -f2-)")")
}

run verify-jwt "$base/verify" "$fx/cred.jwt" application/jwt 200 '"verified": true'
run verify-di "$base/verify" "$fx/cred-di.json" application/json 200 '"verified": true'
run gate "$base/gate/index.html" - - 200 '' -H "Authorization: Bearer $(cat "$fx/cred.jwt")"
run static "$base/static/index.html" - - 200 ''

# under reloads (no warm-up: every reload starts new workers anyway)
warmup_was=$warmup
warmup=0
say "reload: ${secs}s with nginx -s reload every 3 s"
( end=$((SECONDS + secs)); n=0
  while [ $SECONDS -lt $((end - 2)) ]; do
      sleep 3
      "$nginx" -p "$prefix" -c "$prefix/conf/nginx.conf" -s reload 2>/dev/null && n=$((n + 1))
  done; echo "$n" > "$work/reloads" ) &
reloader=$!
run reload "$base/verify" "$fx/cred.jwt" application/jwt 200 '"verified": true' -H "Connection: close"
wait "$reloader" || true
reloads=$(cat "$work/reloads" 2>/dev/null || echo 0)
warmup=$warmup_was
[ "$reloads" -gt 0 ] || { fail=1; say "no reload happened"; }
stop
trap - EXIT

echo
echo "load: nginx 2 workers, $conns connections, ${secs}s per endpoint after ${warmup}s warm-up; $(nproc) cores"
printf '%s\n' "${summary[@]}"
echo "reloads during the reload run: $reloads (RSS of the reload run compares different worker generations: not judged)"
if grep -E '\[(alert|emerg|crit)\]' "$prefix/logs/error.log" >/dev/null; then
    echo "error.log has alert/crit lines:"; grep -E '\[(alert|emerg|crit)\]' "$prefix/logs/error.log" | head -5
    fail=1
fi
echo "load: $([ $fail = 0 ] && echo PASS || echo FAIL) (logs in $work)"
exit $fail
