#!/usr/bin/env bash
# The Apache suites under AddressSanitizer + UBSan: mod_badge.so and the
# core built with -fsanitize=address,undefined into build-asan/, loaded
# into Debian's (uninstrumented) apache2 with libasan preloaded.  Reports
# go to httpd's stderr, i.e. its error log, where the runner fails a
# block on "AddressSanitizer" or "runtime error:".
#   tools/apache-asan.sh [t/apache/FILE.t ...]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
san="-fsanitize=address,undefined -fno-omit-frame-pointer"
make -j2 BUILD=build-asan OPT=-O1 \
    SANITIZE="$san -fno-sanitize-recover=undefined" build-asan/libbadge.a build-asan/badgectl
BADGE_APACHE_CFLAGS="-O1 -g $san" BADGE_APACHE_LDFLAGS="-fsanitize=address,undefined" \
    tools/build-apache-module.sh build-asan
wrapper=$repo/build-asan/apache2-asan
cat > "$wrapper" <<WRAP
#!/bin/sh
# leaks: httpd does not free its pools at exit, the report would be noise
export LD_PRELOAD="$(gcc -print-file-name=libasan.so) $(gcc -print-file-name=libubsan.so)"
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=0:halt_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1
exec /usr/sbin/apache2 "\$@"
WRAP
chmod +x "$wrapper"
export TEST_BADGE_APACHE=$wrapper
if [ $# -gt 0 ]; then
    export BADGE_BUILD=$repo/build-asan
    exec prove -I t/lib "$@"
fi
BUILD=build-asan exec t/run-tests.sh apache
