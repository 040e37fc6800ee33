#!/usr/bin/env bash
# Differential test of Data Integrity (eddsa-rdfc-2022) and RDFC-1.0
# canonicalization against the Digital Bazaar reference (see
# di_reference.mjs).  Installs the npm packages into t/interop/node_modules
# when missing (npm must be reachable then).  Also prints the reference's
# verifies/s next to badgectl bench on the same credential.
# Last line: "di-interop: N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
BADGECTL=${BADGECTL:-${BADGE_BUILD:-$PWD/build}/badgectl}

fail() {
    echo "$1" >&2
    echo "di-interop: 0 passed, 1 failed"
    exit 1
}

[ -x "$BADGECTL" ] || fail "no badgectl at $BADGECTL (run make core)"
command -v node >/dev/null || fail "node is not installed"
for p in jsonld @digitalbazaar/vc @digitalbazaar/data-integrity \
         @digitalbazaar/eddsa-rdfc-2022-cryptosuite \
         @digitalbazaar/ed25519-multikey; do
    if [ ! -f "t/interop/node_modules/$p/package.json" ]; then
        npm install --prefix t/interop --no-audit --no-fund >&2 \
            || fail "npm install --prefix t/interop failed"
        break
    fi
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
node t/interop/di_reference.mjs "$BADGECTL" "$work" "${DI_INTEROP_COUNT:-300}" \
    > "$work/out" 2>&1
rc=$?
# badgectl's rate on the credential the reference's rate was measured on
if [ -f "$work/bench-credential.json" ]; then
    grep -v '^di-interop:' "$work/out"
    printf 'badgectl: '
    "$BADGECTL" bench --seconds "${REF_BENCH_SECONDS:-3}" \
        "$work/bench-credential.json" | tail -1
    grep '^di-interop:' "$work/out"
else
    cat "$work/out"
fi
exit $rc
