#!/usr/bin/env bash
# Runs the test suites and ends with one summary line:
#   "suites: N passed, N failed"
# Usage: t/run-tests.sh [unit] [conformance] [nginx] [apache] [interop] [all]
# Suites are found by file name, so adding a test needs no edit here:
#   t/unit/test_*.c          cmocka binaries       (build/t/test_*)
#   t/conformance/conf_*.c   conformance runners   (build/t/conf_*), run from the repo root
#   t/*.t                    Test::Nginx::Socket suites (prove)
#   t/apache/*.t             Apache suites (prove)
#   t/interop/*.sh           differential tests against Node (skipped without node)
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export BADGE_BUILD="$PWD/$BUILD"
want=${*:-all}
passed=0 failed=0 skipped=0
failed_names=()
log_dir="$BUILD/test-logs"
mkdir -p "$log_dir"

run_suite() {   # name, command...
    local name=$1; shift
    local log="$log_dir/${name//\//_}.log"
    local t0=$SECONDS
    if "$@" >"$log" 2>&1; then
        passed=$((passed + 1))
        printf 'ok      %-40s %3ds  %s\n' "$name" $((SECONDS - t0)) "$(grep -E '[0-9]+ passed|PASSED|^Result|^Files=' "$log" | tail -1)"
    else
        failed=$((failed + 1))
        failed_names+=("$name")
        printf 'FAILED  %-40s %3ds  (log: %s)\n' "$name" $((SECONDS - t0)) "$log"
        tail -25 "$log" | sed 's/^/    | /'
    fi
}

has() { [[ " $want " == *" all "* || " $want " == *" $1 "* ]]; }

if has unit; then
    for b in "$BUILD"/t/test_*; do
        [ -x "$b" ] || continue
        run_suite "unit/$(basename "$b")" "$b"
    done
fi
if has conformance; then
    for b in "$BUILD"/t/conf_*; do
        [ -x "$b" ] || continue
        run_suite "conformance/$(basename "$b")" "$b"
    done
fi
if has nginx; then
    inc=()
    perl -MTest::Nginx::Socket -e1 2>/dev/null || inc=(-I t/lib)
    export TEST_NGINX_BINARY=${TEST_NGINX_BINARY:-/usr/sbin/nginx}
    export TEST_NGINX_BADGE_MODULE="$BADGE_BUILD/ngx_http_badge_module.so"
    export TEST_NGINX_REPO="$PWD"
    for f in t/*.t; do
        [ -e "$f" ] || continue
        run_suite "nginx/$(basename "$f")" prove "${inc[@]}" "$f"
    done
fi
if has apache; then
    for f in t/apache/*.t; do
        [ -e "$f" ] || continue
        run_suite "apache/$(basename "$f")" prove -I t/lib "$f"
    done
fi
if has interop; then
    for f in t/interop/*.sh; do
        [ -e "$f" ] || continue
        if command -v node >/dev/null; then
            run_suite "interop/$(basename "$f")" bash "$f"
        else
            skipped=$((skipped + 1))
        fi
    done
fi

if [ "$failed" -gt 0 ]; then
    echo "failed suites: ${failed_names[*]}"
fi
echo "suites: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
