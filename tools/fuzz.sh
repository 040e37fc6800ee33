#!/usr/bin/env bash
# make fuzz [FUZZ_SECONDS=N]: build every libFuzzer harness in t/fuzz/
# (clang, ASan+UBSan) and run each for N seconds (default 60) on its seed
# corpus t/fuzz/corpus/<name>/ (seeds are the test vectors).  A crash
# leaves build-fuzz/crash-* and fails; turn it into a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-${FUZZ_SECONDS:-60}}
only=${FUZZ_ONLY:-}
out=build-fuzz
mkdir -p "$out/obj"
CFLAGS="-g -O1 -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -Isrc $(pkg-config --cflags jansson libxml-2.0)"
LIBS="$(pkg-config --libs jansson openssl zlib libxml-2.0 libqrencode) -lpthread"
objs=()
for c in src/*.c; do
    o="$out/obj/$(basename "${c%.c}").o"
    if [ ! -f "$o" ] || [ "$c" -nt "$o" ] || [ -n "$(find src -name '*.h' -newer "$o" | head -1)" ]; then
        clang $CFLAGS -c "$c" -o "$o"
    fi
    objs+=("$o")
done
status=0
summary=()
for h in t/fuzz/fuzz_*.c; do
    name=$(basename "${h%.c}")
    [ -n "$only" ] && [[ " $only " != *" $name "* ]] && continue
    clang $CFLAGS -fsanitize=fuzzer "$h" "${objs[@]}" $LIBS -o "$out/$name"
    corpus="$out/corpus/$name"
    mkdir -p "$corpus"
    [ -d "t/fuzz/corpus/$name" ] && cp -n t/fuzz/corpus/"$name"/* "$corpus"/ 2>/dev/null || true
    log="$out/$name.log"
    echo "fuzz: $name for ${secs}s"
    if "$out/$name" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 \
        -timeout=10 -artifact_prefix="$out/$name-" "$corpus" >"$log" 2>&1; then
        execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || true)
        [ -z "$execs" ] && execs=$(grep -oE '#[0-9]+' "$log" | tail -1 | tr -d '#')
        summary+=("$name: ${execs:-?} executions, 0 crashes")
    else
        status=1
        summary+=("$name: CRASH (see $log and $out/$name-*)")
        tail -30 "$log"
    fi
done
printf '%s\n' "${summary[@]}"
exit $status
