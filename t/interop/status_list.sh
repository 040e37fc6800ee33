#!/usr/bin/env bash
# Differential test of our Bitstring Status Lists against the npm package
# @digitalbazaar/vc-bitstring-status-list (see status_list.mjs).  Installs
# t/interop's packages when missing (npm must be reachable then).
# Last line: "status-interop: N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
BADGECTL=${BADGECTL:-${BADGE_BUILD:-$PWD/build}/badgectl}

fail() {
    echo "$1" >&2
    echo "status-interop: 0 passed, 1 failed"
    exit 1
}

[ -x "$BADGECTL" ] || fail "no badgectl at $BADGECTL (run make core)"
command -v node >/dev/null || fail "node is not installed"
if [ ! -f t/interop/node_modules/@digitalbazaar/vc-bitstring-status-list/package.json ]; then
    npm install --prefix t/interop --no-audit --no-fund >&2 \
        || fail "npm install --prefix t/interop failed"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
node t/interop/status_list.mjs "$BADGECTL" "$work"
