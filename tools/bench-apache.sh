#!/usr/bin/env bash
# The Apache side of `make bench`: requests/s of mod_badge's endpoints,
# measured with wrk against an httpd of its own on 127.0.0.1:1995.
#
#   tools/bench-apache.sh [FIXTURE_DIR]      (tools/bench.sh passes its own)
#   tools/bench-apache.sh --cred FILE [--type CONTENT-TYPE]
#
# Prints one line per figure, "LABEL N req/s" (the labels of bench.sh's
# table), the first always
#   apache verify: N req/s
# (POST the credential to a badge-verify location, BadgeCacheTTL 0: every
# request is verified; "apache verify (cached)" is the same with the
# result cache on).  With a fixture directory it also measures
# vc-jwt-eddsa, eddsa-rdfc-2022, did-document, badge-page (verified and
# rendered every time), badge-page-cached (the page cache on, its default
# TTL) and static-file.
#
# Environment: BUILD (build), BENCH_SECONDS (10), BENCH_APACHE_PORT (1995),
# BENCH_APACHE_MPM (event | prefork), BENCH_WRK ("-t2 -c64"),
# TEST_BADGE_APACHE (/usr/sbin/apache2), TEST_BADGE_APACHE_MODULES.
# The body is sent by t/bench/post.lua (shared with bench.sh), which also
# counts answers that are not 200 or lack '"verified": true': a figure
# with such answers is reported as "error", never as a rate.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
build=$(cd "${BUILD:-build}" && pwd)
secs=${BENCH_SECONDS:-10}
port=${BENCH_APACHE_PORT:-1995}
mpm=${BENCH_APACHE_MPM:-event}
wrk_args=${BENCH_WRK:--t2 -c64}
httpd=${TEST_BADGE_APACHE:-/usr/sbin/apache2}
moddir=${TEST_BADGE_APACHE_MODULES:-/usr/lib/apache2/modules}
so=$build/mod_badge.so

fx= cred= ctype=application/jwt
while [ $# -gt 0 ]; do
    case $1 in
        --cred) cred=$2; shift 2 ;;
        --type) ctype=$2; shift 2 ;;
        -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
        *) fx=$1; shift ;;
    esac
done
if [ -z "$cred" ]; then
    if [ -n "$fx" ] && [ -f "$fx/vc-jwt-eddsa.jwt" ]; then
        cred=$fx/vc-jwt-eddsa.jwt
    else
        cred=$repo/t/vectors/shared/vc-jwt-eddsa-didjwk.jwt
    fi
fi
cred=$(cd "$(dirname "$cred")" && pwd)/$(basename "$cred")
[ "$port" -ge 1985 ] && [ "$port" -le 1999 ] || { echo "bench-apache: port $port is outside 1985-1999" >&2; exit 2; }
for f in "$so" "$cred"; do
    [ -f "$f" ] || { echo "bench-apache: $f is missing (make apache)" >&2; exit 1; }
done
command -v wrk >/dev/null || { echo "bench-apache: wrk is not installed" >&2; exit 1; }

work=$build/bench-apache
rm -rf "$work"
mkdir -p "$work/logs" "$work/htdocs/static" "$work/badges"
cp "$cred" "$work/htdocs/static/credential"
user=
[ "$(id -u)" = 0 ] && user=$'User www-data\nGroup www-data'

if [ "$mpm" = prefork ]; then
    mpm_conf="LoadModule mpm_prefork_module $moddir/mod_mpm_prefork.so
StartServers 8
MinSpareServers 8
MaxSpareServers 64
MaxRequestWorkers 64
ServerLimit 64"
else
    mpm_conf="LoadModule mpm_event_module $moddir/mod_mpm_event.so
ServerLimit 2
StartServers 2
ThreadsPerChild 32
MaxRequestWorkers 64
MinSpareThreads 64
MaxSpareThreads 64
ThreadLimit 32"
fi

extra=
if [ -n "$fx" ] && [ -f "$fx/ed25519.pem" ]; then
    cp "$fx/ed25519.pem" "$work/key.pem"
    chmod 600 "$work/key.pem"
    extra+="
<Location /.well-known/did.json>
    SetHandler badge-did
    BadgeIssuerKey \"$work/key.pem\"
    BadgeIssuerDid did:web:bench.example
</Location>"
fi
if [ -n "$fx" ] && [ -f "$fx/eddsa-rdfc-2022.json" ]; then
    cp "$fx/eddsa-rdfc-2022.json" "$work/badges/1.json"
    extra+="
<Location /badges/>
    SetHandler badge-page
    BadgePageDir \"$work/badges\"
    BadgeFetch Off
    BadgeCacheTTL 0
</Location>
<Location /cbadges/>
    SetHandler badge-page
    BadgePageDir \"$work/badges\"
    BadgeFetch Off
</Location>"
fi

conf=$work/httpd.conf
cat > "$conf" <<EOF
ServerRoot "$work"
DefaultRuntimeDir "$work/logs"
PidFile "$work/logs/httpd.pid"
Listen 127.0.0.1:$port
ServerName 127.0.0.1
$user
$mpm_conf
LoadModule authz_core_module $moddir/mod_authz_core.so
LoadModule mime_module $moddir/mod_mime.so
LoadModule socache_shmcb_module $moddir/mod_socache_shmcb.so
LoadModule badge_module $so
ErrorLog "$work/logs/error.log"
LogLevel warn
TypesConfig /etc/mime.types
DocumentRoot "$work/htdocs"
KeepAlive On
MaxKeepAliveRequests 0
<Directory />
    Require all granted
</Directory>
<Location /verify>
    SetHandler badge-verify
    BadgeFetch Off
    BadgeCacheTTL 0
</Location>
<Location /verify-cached>
    SetHandler badge-verify
    BadgeFetch Off
</Location>
$extra
EOF

"$httpd" -f "$conf" -k start
stop() {
    local pid
    pid=$(cat "$work/logs/httpd.pid" 2>/dev/null || true)
    if [ -n "$pid" ]; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
}
trap stop EXIT
for _ in $(seq 100); do
    (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break
    sleep 0.1
done
base=http://127.0.0.1:$port

run() {   # label path file content-type must
    local out rps bad
    # shellcheck disable=SC2086
    out=$(wrk $wrk_args -d"${secs}s" -s t/bench/post.lua "$base$2" -- "$3" "$4" 200 "$5" 2>&1 || true)
    echo "$out" >> "$work/wrk.log"
    rps=$(awk '/^Requests\/sec:/ { print int($2) }' <<<"$out")
    bad=$(awk '/^unexpected:/ { print $2 }' <<<"$out")
    if [ -z "$rps" ] || [ "${bad:-0}" != 0 ]; then
        echo "$1 error (unexpected answers: ${bad:-?}; see $work/wrk.log)"
    else
        echo "$1 $rps req/s"
    fi
}

verified='"verified": true'
line=$(run x /verify "$cred" "$ctype" "$verified")
echo "apache verify: ${line#x }"
line=$(run x /verify-cached "$cred" "$ctype" "$verified")
echo "apache verify (cached): ${line#x }"
if [ -n "$fx" ]; then
    [ -f "$fx/vc-jwt-eddsa.jwt" ] && run vc-jwt-eddsa /verify "$fx/vc-jwt-eddsa.jwt" application/jwt "$verified"
    [ -f "$fx/eddsa-rdfc-2022.json" ] && run eddsa-rdfc-2022 /verify "$fx/eddsa-rdfc-2022.json" application/json "$verified"
    [ -f "$work/key.pem" ] && run did-document /.well-known/did.json - - ''
    [ -f "$work/badges/1.json" ] && run badge-page /badges/1 - - ''
    [ -f "$work/badges/1.json" ] && run badge-page-cached /cbadges/1 - - ''
    run static-file /static/credential - - ''
fi
if grep -E '\[(crit|alert|emerg)\]|exit signal' "$work/logs/error.log" >&2; then
    echo "bench-apache: the error log has crit/alert/emerg lines (above)" >&2
fi
