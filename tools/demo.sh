#!/usr/bin/env bash
# make run: a demo issuer and verifier on http://127.0.0.1:8080/ (nginx in
# the foreground, Ctrl-C stops it).  The demo issuer (a key, its DID and a
# few signed badges) is generated on first run under demo/ and kept.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$repo/build}
demo=$repo/demo
port=${BADGE_DEMO_PORT:-8080}
badgectl=$build/badgectl
module=$build/ngx_http_badge_module.so
prefix=$demo/nginx

for f in "$badgectl" "$module"; do
    [ -e "$f" ] || { echo "demo: $f is missing: run make first" >&2; exit 1; }
done
mkdir -p "$demo/issuer" "$demo/www/alumni" "$demo/badges" "$prefix/tmp" "$prefix/conf"

# 1. The issuer: an Ed25519 key; its DID is the did:key of the key.
if [ ! -f "$demo/issuer/key.pem" ]; then
    "$badgectl" keygen --out "$demo/issuer/key.pem" \
        | awk '$1 == "did:key" { print $2 }' > "$demo/issuer/did.txt"
fi
did=$(cat "$demo/issuer/did.txt")

# 2. Sample badges: an Open Badges 3.0 credential signed as a VC-JWT.
if [ ! -f "$demo/badges/sample.jwt" ]; then
    now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    sed -e "s|@DID@|$did|g" -e "s|@NOW@|$now|g" \
        "$repo/conf.examples/demo/sample-credential.json.in" \
        > "$demo/badges/sample.json"
    "$badgectl" sign --key "$demo/issuer/key.pem" --format jwt \
        "$demo/badges/sample.json" > "$demo/badges/sample.jwt"
    # a tampered copy: one payload character changed
    python3 - "$demo/badges/sample.jwt" > "$demo/badges/tampered.jwt" <<'PY' 2>/dev/null || \
        sed 's/\.\(.\)/.X/' "$demo/badges/sample.jwt" > "$demo/badges/tampered.jwt"
import base64, json, sys
h, p, s = open(sys.argv[1]).read().strip().split('.')
pad = '=' * (-len(p) % 4)
claims = json.loads(base64.urlsafe_b64decode(p + pad))
claims['credentialSubject']['achievement']['name'] += ' (edited)'
p2 = base64.urlsafe_b64encode(json.dumps(claims, separators=(',', ':')).encode()).decode().rstrip('=')
print('.'.join([h, p2, s]))
PY
fi
cp "$repo/conf.examples/demo/index.html" "$demo/www/index.html"
echo "welcome, verified badge holder" > "$demo/www/alumni/index.html"
chmod -R a+rX "$demo/www" "$demo/badges"

sed -e "s|@PREFIX@|$prefix|g" -e "s|@MODULE@|$module|g" -e "s|@DEMO@|$demo|g" \
    -e "s|@DID@|$did|g" -e "s|@PORT@|$port|g" \
    "$repo/conf.examples/demo/nginx.conf.in" > "$prefix/conf/nginx.conf"

/usr/sbin/nginx -t -q -p "$prefix" -c "$prefix/conf/nginx.conf"

cat <<MSG

  Demo issuer: $did
  Open:   http://127.0.0.1:$port/
  Verify the sample badge (expect "verified": true):
    curl -s --data-binary @$demo/badges/sample.jwt http://127.0.0.1:$port/verify
  A tampered copy (expect "verified": false, signature check failed):
    curl -s --data-binary @$demo/badges/tampered.jwt http://127.0.0.1:$port/verify
  The badge gate (401 without a badge, 200 with one):
    curl -i -H "Authorization: Bearer \$(cat $demo/badges/sample.jwt)" http://127.0.0.1:$port/alumni/

  Ctrl-C stops the server.

MSG
exec /usr/sbin/nginx -p "$prefix" -c "$prefix/conf/nginx.conf"
