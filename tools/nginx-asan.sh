#!/usr/bin/env bash
# The nginx suites under AddressSanitizer + UBSan: ngx_http_badge_module.so
# and the core built with -fsanitize=address,undefined into build-asan/,
# loaded into Debian's (uninstrumented) nginx with libasan preloaded.
# nginx writes stderr to its error log, where the runner fails every block
# on "AddressSanitizer", "runtime error:" or a lost worker
# (t/lib/Test/Nginx/Socket.pm), the exit path included.
#   tools/nginx-asan.sh [t/FILE.t ...]      (default: every t/*.t)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
san="-fsanitize=address,undefined -fno-omit-frame-pointer"
BADGE_NGX_CC_OPT="-O1 -g $san -fno-sanitize-recover=undefined" \
BADGE_NGX_LD_OPT="-fsanitize=address,undefined" \
    tools/build-nginx-module.sh build-asan >/dev/null
wrapper=$repo/build-asan/nginx-asan
cat > "$wrapper" <<WRAP
#!/bin/sh
# leaks: nginx leaves its cycle pool to the exit at shutdown, the report
# would be noise (valgrind runs cover leaks: see README)
export LD_PRELOAD="$(gcc -print-file-name=libasan.so) $(gcc -print-file-name=libubsan.so)"
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=0:halt_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1
exec /usr/sbin/nginx "\$@"
WRAP
chmod +x "$wrapper"
export TEST_NGINX_BINARY=$wrapper
export TEST_NGINX_BADGE_MODULE=$repo/build-asan/ngx_http_badge_module.so
export TEST_NGINX_REPO=$repo
export BADGE_BUILD=$repo/build-asan
# the sanitizers are slower: more time to start and to answer
export TEST_NGINX_START_TIMEOUT=${TEST_NGINX_START_TIMEOUT:-20}
export TEST_NGINX_TIMEOUT=${TEST_NGINX_TIMEOUT:-10}
inc=()
perl -MTest::Nginx::Socket -e1 2>/dev/null || inc=(-I t/lib)
if [ $# -eq 0 ]; then
    set -- t/*.t
fi
status=0
for f in "$@"; do
    if prove "${inc[@]}" "$f" > "build-asan/$(basename "$f").asan.log" 2>&1; then
        echo "ok      asan nginx/$(basename "$f")"
    else
        status=1
        echo "FAILED  asan nginx/$(basename "$f") (log: build-asan/$(basename "$f").asan.log)"
        tail -20 "build-asan/$(basename "$f").asan.log" | sed 's/^/    | /'
    fi
done
exit $status
