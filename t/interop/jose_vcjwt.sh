#!/usr/bin/env bash
# Differential test of VC-JWT against the `jose` npm package (see
# jose_vcjwt.mjs).  Installs jose into t/interop/node_modules when missing
# (npm must be reachable then).  Last line: "jose-interop: N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
BADGECTL=${BADGECTL:-${BADGE_BUILD:-$PWD/build}/badgectl}

fail() {
    echo "$1" >&2
    echo "jose-interop: 0 passed, 1 failed"
    exit 1
}

[ -x "$BADGECTL" ] || fail "no badgectl at $BADGECTL (run make core)"
command -v node >/dev/null || fail "node is not installed"
if [ ! -f t/interop/node_modules/jose/package.json ]; then
    npm install --prefix t/interop --no-audit --no-fund >&2 \
        || fail "npm install --prefix t/interop failed"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
node t/interop/jose_vcjwt.mjs "$BADGECTL" "$work"
