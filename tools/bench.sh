#!/usr/bin/env bash
# make bench: the benchmark table.
#
#   1. fixtures, made with build/badgectl: keys (ed25519, p256, rsa2048), an
#      OB 3.0 credential signed as VC-JWT with each, and as Data Integrity
#      eddsa-rdfc-2022, eddsa-jcs-2022 and Ed25519Signature2020 (with
#      `badgectl sign --format di` when it can, else with t/bench/sign_di.c
#      against build/libbadge.a); the OB 2.0 signed sample of the 1EdTech
#      validator with its documents;
#   2. `badgectl bench --seconds N` on each (offline, one core);
#   3. `openssl speed` for the raw signature verification ceilings;
#   4. the Node reference (@digitalbazaar/vc, t/interop/bench_verify.mjs)
#      on the same eddsa-rdfc-2022 credential ("n/a" without node);
#   5. wrk against an nginx of its own (127.0.0.1:8090, worker_processes 1:
#      per-core figures): the verify endpoint (VC-JWT, eddsa-rdfc-2022), a
#      static file, badge_did_document and badge_page when this build has
#      them;
#   6. tools/bench-apache.sh when present (it gets the fixture directory
#      and prints "LABEL N req/s" lines, LABEL as in the table);
#   7. ONE table, and the targets.
#
# Environment: BENCH_SECONDS (CLI, default 3), BENCH_WRK_SECONDS (5),
# BENCH_PORT (8090), BUILD (build).  The whole run takes about 2 minutes.
# Figures measured while something else runs on the machine (a compiler,
# a fuzzer) are noisy: the script prints the load average it started with.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
build=$(cd "${BUILD:-build}" && pwd)
secs=${BENCH_SECONDS:-3}
wsecs=${BENCH_WRK_SECONDS:-5}
port=${BENCH_PORT:-8090}
badgectl=$build/badgectl
module=$build/ngx_http_badge_module.so
work=$build/bench
fx=$work/fixtures
prefix=$work/nginx
nginx=${NGINX:-/usr/sbin/nginx}

for f in "$badgectl" "$build/libbadge.a"; do
    [ -e "$f" ] || { echo "bench: $f is missing: run make first" >&2; exit 1; }
done
rm -rf "$work"
mkdir -p "$fx" "$prefix/conf" "$prefix/logs" "$prefix/tmp" "$prefix/www/static" \
         "$prefix/www/badges"
log=$work/bench.log
: > "$log"
say() { echo "bench: $*" >&2; }
t_start=$SECONDS
load0=$(cut -d' ' -f1-3 /proc/loadavg)
say "load average at start: $load0 ($(nproc) cores)"

declare -A cli ceil node ngx apache note cli_cpu ngx_cpu

# ---------------------------------------------------------------- fixtures
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
mkcred() {   # issuer DID -> credential JSON on stdout
    sed -e "s|@DID@|$1|g" -e "s|@NOW@|2024-01-01T00:00:00Z|g" \
        -e "s|@ID@|urn:uuid:5b0f3c1e-8d0a-4a53-9a43-6e5c8b3a1d02|g" \
        -e "s|@NAME@|山田 花子|g" conf.examples/demo/sample-credential.json.in
}
declare -A did
for t in ed25519 p256 rsa2048; do
    out=$("$badgectl" keygen --type "$t" --out "$fx/$t.pem" 2>>"$log")
    # did:key where the key type has one, else did:jwk
    did[$t]=$(awk '$1 == "did:key" { print $2; exit }' <<<"$out")
    [ -n "${did[$t]}" ] || did[$t]=$(awk '$1 == "did:jwk" { print $2; exit }' <<<"$out")
    mkcred "${did[$t]}" > "$fx/cred-$t.json"
done
"$badgectl" sign --key "$fx/ed25519.pem" --format jwt "$fx/cred-ed25519.json" > "$fx/vc-jwt-eddsa.jwt"
"$badgectl" sign --key "$fx/p256.pem" --format jwt "$fx/cred-p256.json" > "$fx/vc-jwt-es256.jwt"
"$badgectl" sign --key "$fx/rsa2048.pem" --format jwt "$fx/cred-rsa2048.json" > "$fx/vc-jwt-rs256.jwt"

sign_di() {   # suite out
    if "$badgectl" sign --format di --key "$fx/ed25519.pem" --suite "$1" \
           "$fx/cred-ed25519.json" > "$2" 2>>"$log"; then
        return 0
    fi
    if [ ! -x "$work/sign_di" ]; then
        cc -O2 -std=c11 -D_DEFAULT_SOURCE -Isrc $(pkg-config --cflags jansson libxml-2.0) \
            -o "$work/sign_di" t/bench/sign_di.c "$build/libbadge.a" \
            $(pkg-config --libs jansson openssl zlib libxml-2.0 libqrencode) -lpthread
    fi
    "$work/sign_di" "$fx/ed25519.pem" "$1" "$fx/cred-ed25519.json" > "$2"
}
sign_di eddsa-rdfc-2022 "$fx/eddsa-rdfc-2022.json"
sign_di eddsa-jcs-2022 "$fx/eddsa-jcs-2022.json"
sign_di Ed25519Signature2020 "$fx/ed25519signature2020.json" \
    || { note[ed25519signature2020]="no signer"; rm -f "$fx/ed25519signature2020.json"; }
ob2=t/vectors/1edtech-inspector/ob20
cp "$ob2/simple.jwt" "$fx/ob2-signed.jwt"
ob2_docs=(--allow-http --docs "http://example.org/=$ob2/assets/" --docs "https://example.org/=$ob2/assets/")

# ------------------------------------------------------------ CLI, 1 core
labels=(vc-jwt-eddsa vc-jwt-es256 vc-jwt-rs256 eddsa-rdfc-2022 eddsa-jcs-2022
        ed25519signature2020 ob2-signed)
declare -A file=( [vc-jwt-eddsa]=$fx/vc-jwt-eddsa.jwt [vc-jwt-es256]=$fx/vc-jwt-es256.jwt
    [vc-jwt-rs256]=$fx/vc-jwt-rs256.jwt [eddsa-rdfc-2022]=$fx/eddsa-rdfc-2022.json
    [eddsa-jcs-2022]=$fx/eddsa-jcs-2022.json
    [ed25519signature2020]=$fx/ed25519signature2020.json [ob2-signed]=$fx/ob2-signed.jwt )
declare -A alg=( [vc-jwt-eddsa]=ed25519 [vc-jwt-es256]=p256 [vc-jwt-rs256]=rsa
    [eddsa-rdfc-2022]=ed25519 [eddsa-jcs-2022]=ed25519 [ed25519signature2020]=ed25519
    [ob2-signed]=rsa )
for l in "${labels[@]}"; do
    f=${file[$l]}
    [ -f "$f" ] || { cli[$l]="n/a"; continue; }
    extra=()
    [ "$l" = ob2-signed ] && extra=("${ob2_docs[@]}")
    say "badgectl bench $l (${secs}s)"
    out=$(taskset -c 0 "$badgectl" bench --offline --seconds "$secs" "${extra[@]}" "$f" 2>&1 || true)
    echo "== $l: $out" >> "$log"
    cli[$l]=$(awk '/verifies\/s$/ { print $1 }' <<<"$out" | tail -1)
    cli_cpu[$l]=$(awk '/^cpu:/ { print $2 }' <<<"$out" | tail -1)
    [ -n "${cli[$l]}" ] || cli[$l]="error"
    res=$(sed -n 's/^result: //p' <<<"$out")
    case $res in
        verified*) ;;
        *) note[$l]="${note[$l]:+${note[$l]}; }result: $res" ;;
    esac
done

# --------------------------------------------------------- openssl ceiling
say "openssl speed -seconds 2 ed25519 ecdsap256 rsa2048"
sp=$(openssl speed -seconds 2 ed25519 ecdsap256 rsa2048 2>/dev/null || true)
echo "$sp" >> "$log"
c_ed=$(awk '/EdDSA \(Ed25519\)/ { print int($NF) }' <<<"$sp" | head -1)
c_p256=$(awk '/ecdsa \(nistp256\)/ { print int($NF) }' <<<"$sp" | head -1)
# rsa 2048 bits <times...> sign/s verify/s [encr./s decr./s]
c_rsa=$(awk '$1 == "rsa" && $2 == "2048" { n = 0
          for (i = 4; i <= NF; i++) if ($i ~ /^[0-9.]+$/) { n++; if (n == 2) { print int($i); exit } } }' <<<"$sp")
for l in "${labels[@]}"; do
    case ${alg[$l]} in
        ed25519) ceil[$l]=${c_ed:-n/a} ;;
        p256) ceil[$l]=${c_p256:-n/a} ;;
        rsa) ceil[$l]=${c_rsa:-n/a} ;;
    esac
done

# ------------------------------------------------------------ Node reference
for l in "${labels[@]}"; do node[$l]="-"; done
if command -v node >/dev/null && [ -d t/interop/node_modules/@digitalbazaar/vc ]; then
    say "node reference on eddsa-rdfc-2022 (${secs}s)"
    out=$(taskset -c 0 node t/interop/bench_verify.mjs "$fx/eddsa-rdfc-2022.json" "$secs" 2>&1 || true)
    echo "== node: $out" >> "$log"
    node[eddsa-rdfc-2022]=$(awk '/verifies\/s$/ { print $(NF-1) }' <<<"$out" | tail -1)
    [ -n "${node[eddsa-rdfc-2022]}" ] || node[eddsa-rdfc-2022]="error"
else
    node[eddsa-rdfc-2022]="n/a"
fi

# ------------------------------------------------------------------ nginx
for l in "${labels[@]}" static-file did-document badge-page badge-page-cached; do ngx[$l]="-"; apache[$l]="-"; done
# the worker's CPU time (user, system) in clock ticks
worker_ticks() {
    local w
    w=$(pgrep -P "$(cat "$prefix/nginx.pid" 2>/dev/null)" 2>/dev/null | head -1)
    [ -n "$w" ] && awk '{ print $14, $15 }' "/proc/$w/stat" 2>/dev/null || echo "- -"
}
wrk_run() {   # label url file content-type expect must
    local out t0 t1
    t0=$(worker_ticks)
    out=$(taskset -c "${wrk_cpu:-1}" wrk -t1 -c32 -d"${wsecs}s" -s t/bench/post.lua "$2" -- "$3" "$4" "$5" "$6" 2>&1 || true)
    t1=$(worker_ticks)
    echo "== wrk $1 $2: $out" >> "$log"
    # CPU per request of the worker: user and system microseconds
    awk -v a="$t0" -v b="$t1" -v hz="$(getconf CLK_TCK)" '
        /requests in/ { n = $1 }
        END { split(a, x, " "); split(b, y, " ")
              if (n > 0 && x[1] != "-" && y[1] != "-")
                  printf "%.1f %.1f\n", (y[1] - x[1]) * 1e6 / hz / n,
                                      (y[2] - x[2]) * 1e6 / hz / n }' <<<"$out" \
        > "$work/cpu-$1"
    local rps bad
    rps=$(awk '/^Requests\/sec:/ { print int($2) }' <<<"$out")
    bad=$(awk '/^unexpected:/ { print $2 }' <<<"$out")
    if [ -z "$rps" ]; then
        echo "error"
    elif [ "${bad:-0}" != 0 ]; then
        echo "$rps (${bad} bad)"
    else
        echo "$rps"
    fi
}
if [ -e "$module" ] && command -v wrk >/dev/null; then
    "$badgectl" keygen --type ed25519 --out "$fx/issuer.pem" >/dev/null 2>>"$log"
    # the same bytes as a static file, for the static baseline
    cp "$fx/eddsa-rdfc-2022.json" "$prefix/www/static/credential.json"
    cp "$fx/eddsa-rdfc-2022.json" "$prefix/www/badges/1.json"
    # the directives as docs/nginx-directives.md gives them; a build
    # without them gets "n/a" (nginx -t fails)
    optional_did='
        location = /.well-known/did.json {
            badge_issuer_key '"$fx/issuer.pem"';
            badge_issuer_did did:web:bench.example;
            badge_did_document;
        }'
    optional_page='
        location /badges/ {
            badge_page '"$prefix/www/badges"';
        }
        location /cbadges/ {
            badge_page '"$prefix/www/badges"';
            badge_cache zone=bench_pages:8m;
        }'
    write_conf() {   # extra locations
        cat > "$prefix/conf/nginx.conf" <<CONF
daemon on;
master_process on;
worker_processes 1;
worker_cpu_affinity 01;
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
        listen 127.0.0.1:$port;
        # docs/nginx-directives.md: a credential and its headers in one read
        client_header_buffer_size 4k;
        root $prefix/www;
        location = /verify {
            badge_verify;
            client_body_buffer_size 64k;
        }
        location /static/ {
        }
$1
    }
}
CONF
    }
    extras=""
    write_conf "$optional_did"
    if "$nginx" -t -q -p "$prefix" -c "$prefix/conf/nginx.conf" 2>>"$log"; then
        extras+=$optional_did
    else
        note[did-document]="badge_did_document not in this build"
    fi
    write_conf "$optional_page"
    if "$nginx" -t -q -p "$prefix" -c "$prefix/conf/nginx.conf" 2>>"$log"; then
        extras+=$optional_page
    else
        note[badge-page]="badge_page not in this build"
    fi
    write_conf "$extras"
    "$nginx" -p "$prefix" -c "$prefix/conf/nginx.conf"
    trap '"$nginx" -p "$prefix" -c "$prefix/conf/nginx.conf" -s stop 2>/dev/null || true' EXIT
    sleep 0.3
    base=http://127.0.0.1:$port
    say "wrk: nginx verify, VC-JWT (${wsecs}s)"
    ngx[vc-jwt-eddsa]=$(wrk_run vc-jwt-eddsa "$base/verify" "$fx/vc-jwt-eddsa.jwt" application/jwt 200 '"verified": true')
    say "wrk: nginx verify, eddsa-rdfc-2022 (${wsecs}s)"
    ngx[eddsa-rdfc-2022]=$(wrk_run eddsa-rdfc-2022 "$base/verify" "$fx/eddsa-rdfc-2022.json" application/json 200 '"verified": true')
    # again with wrk on the worker's own core: the worker's CPU time per
    # request without the cost a virtual machine charges for waking a
    # client on another vCPU (the "cpu" lines below)
    say "wrk on the worker's core: nginx verify, VC-JWT and eddsa-rdfc-2022 (${wsecs}s each)"
    wrk_cpu=0 wrk_run vc-jwt-eddsa-samecore "$base/verify" "$fx/vc-jwt-eddsa.jwt" application/jwt 200 '"verified": true' >/dev/null
    wrk_cpu=0 wrk_run eddsa-rdfc-2022-samecore "$base/verify" "$fx/eddsa-rdfc-2022.json" application/json 200 '"verified": true' >/dev/null
    if [ -z "${note[did-document]:-}" ]; then
        say "wrk: badge_did_document (${wsecs}s)"
        ngx[did-document]=$(wrk_run did-document "$base/.well-known/did.json" - - 200 '')
    fi
    # the static baseline serves the DID document's own bytes when there
    # is one (the credential's otherwise)
    static=$base/static/credential.json
    if [ -z "${note[did-document]:-}" ] \
       && curl -sf -o "$prefix/www/static/did.json" "$base/.well-known/did.json"; then
        static=$base/static/did.json
    fi
    say "wrk: nginx static file $static (${wsecs}s)"
    ngx[static-file]=$(wrk_run static-file "$static" - - 200 '')
    if [ -z "${note[badge-page]:-}" ]; then
        say "wrk: badge_page (${wsecs}s)"
        ngx[badge-page]=$(wrk_run badge-page "$base/badges/1" - - 200 '')
        say "wrk: badge_page with badge_cache (${wsecs}s)"
        ngx[badge-page-cached]=$(wrk_run badge-page-cached "$base/cbadges/1" - - 200 '')
    fi
    "$nginx" -p "$prefix" -c "$prefix/conf/nginx.conf" -s stop 2>/dev/null
    trap - EXIT
else
    say "no nginx module or no wrk: nginx columns are n/a"
    for l in vc-jwt-eddsa eddsa-rdfc-2022 static-file; do ngx[$l]="n/a"; done
fi

# ------------------------------------------------------------------ Apache
if [ -x tools/bench-apache.sh ]; then
    say "tools/bench-apache.sh"
    out=$(BENCH_SECONDS=$wsecs tools/bench-apache.sh "$fx" 2>>"$log" || true)
    echo "== apache: $out" >> "$log"
    while read -r lab val _; do
        [ -n "$lab" ] && apache[$lab]=$val
    done < <(awk '$3 == "req/s" && $2 ~ /^[0-9.]+$/ { print $1, int($2) }' <<<"$out")
else
    for l in vc-jwt-eddsa eddsa-rdfc-2022; do apache[$l]="n/a"; done
fi

# ------------------------------------------------------------------ table
printf '\n'
printf '%-22s | %12s | %10s | %9s | %11s | %11s\n' format "verifies/s" "ceiling" "Node ref" "nginx req/s" "Apache req/s"
printf '%-22s | %12s | %10s | %9s | %11s | %11s\n' "(1 core)" "(CLI)" "(openssl)" "" "(1 worker)" ""
printf -- '-----------------------+--------------+------------+-----------+-------------+-------------\n'
for l in "${labels[@]}"; do
    printf '%-22s | %12s | %10s | %9s | %11s | %11s\n' "$l" "${cli[$l]}" "${ceil[$l]}" \
        "${node[$l]}" "${ngx[$l]}" "${apache[$l]}"
done
for l in did-document static-file badge-page badge-page-cached; do
    printf '%-22s | %12s | %10s | %9s | %11s | %11s\n' "$l" "-" "-" "-" "${ngx[$l]}" "${apache[$l]}"
done
printf '\n'
for l in "${!note[@]}"; do echo "note: $l: ${note[$l]}"; done
# where the verify endpoint's time goes: the worker's CPU per request,
# user and kernel, next to the CLI's CPU per verification
declare -A percore
for l in vc-jwt-eddsa eddsa-rdfc-2022; do
    for where in "" -samecore; do
        read -r u k < "$work/cpu-$l$where" 2>/dev/null || continue
        [ -n "${u:-}" ] && [ -n "${cli_cpu[$l]:-}" ] || continue
        awk -v l="$l" -v w="${where:+ (client on the same core)}" -v u="$u" -v k="$k" -v c="${cli_cpu[$l]}" 'BEGIN {
            printf "cpu %-17s nginx worker %.1f us user + %.1f us kernel per request%s; CLI %.1f us per verify (user space %.0f%%, with the kernel %.0f%%)\n",
                   l, u, k, w, c, 100 * c / u, 100 * c / (u + k) }'
        [ "$where" = -samecore ] && percore[$l]=$(awk -v u="$u" -v k="$k" 'BEGIN { printf "%d", 1e6 / (u + k) }')
    done
done
echo "nginx: 1 worker; Apache: tools/bench-apache.sh's own setup (see its header); static-file: the same bytes as the DID document"
echo "badge-page: verified and rendered on every request; badge-page-cached: the same with badge_cache / BadgeCache"
echo "load average at start: $load0; $(nproc) cores; log: $log"

# ---------------------------------------------------------------- targets
num() { [[ $1 =~ ^[0-9]+ ]] && echo "${BASH_REMATCH[0]}" || echo ""; }
target() {   # name value op limit
    local v; v=$(num "$2")
    if [ -z "$v" ]; then
        printf 'target  %-52s n/a\n' "$1"
    elif awk -v v="$v" -v l="$4" 'BEGIN { exit !(v >= l) }'; then
        printf 'target  %-52s PASS (%s >= %s)\n' "$1" "$v" "$4"
    else
        printf 'target  %-52s MISS (%s < %s)\n' "$1" "$v" "$4"
    fi
}
target "eddsa-rdfc-2022 >= 6000 verifies/s (CLI, 1 core)" "${cli[eddsa-rdfc-2022]}" ">=" 6000
for l in vc-jwt-eddsa eddsa-rdfc-2022; do
    c=$(num "${cli[$l]}"); n=$(num "${ngx[$l]}")
    if [ -n "$c" ] && [ -n "$n" ]; then
        target "nginx verify $l >= 80% of CLI per core" "$n" ">=" $(( c * 80 / 100 ))
    else
        target "nginx verify $l >= 80% of CLI per core" "" ">=" 0
    fi
    # the same on CPU time: requests per second of worker CPU against
    # verifies per second of CLI CPU
    c=$(awk -v c="${cli_cpu[$l]:-}" 'BEGIN { if (c > 0) printf "%d", 1e6 / c }')
    n=${percore[$l]:-}
    if [ -n "$c" ] && [ -n "$n" ]; then
        target "  the same per worker CPU second (client on its core)" "$n" ">=" $(( c * 80 / 100 ))
    fi
done
s=$(num "${ngx[static-file]}"); d=$(num "${ngx[did-document]}")
if [ -n "$s" ] && [ -n "$d" ]; then
    target "badge_did_document >= 90% of nginx static file" "$d" ">=" $(( s * 90 / 100 ))
else
    target "badge_did_document >= 90% of nginx static file" "" ">=" 0
fi
target "badge pages >= 2000/s" "${ngx[badge-page]}" ">=" 2000
echo "bench: done in $((SECONDS - t_start)) s"
