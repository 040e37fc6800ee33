#!/usr/bin/env bash
# make run: a demo issuer and verifier on http://127.0.0.1:8080/ (nginx in
# the foreground, Ctrl-C stops it).  The demo issuer (a key, its did:web
# DID, a status registry and a few signed badges) is generated on first run
# under demo/ and kept; `rm -rf demo` starts afresh.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$repo/build}
demo=$repo/demo
port=${BADGE_DEMO_PORT:-8080}
badgectl=$build/badgectl
module=$build/ngx_http_badge_module.so
prefix=$demo/nginx
site=https://localhost:$port

for f in "$badgectl" "$module"; do
    [ -e "$f" ] || { echo "demo: $f is missing: run make first" >&2; exit 1; }
done
mkdir -p "$demo/issuer" "$demo/www/alumni" "$demo/badges" "$prefix/tmp" \
         "$prefix/conf"

# 1. The issuer: an Ed25519 key and its did:web DID (this site).
if [ ! -f "$demo/issuer/key.pem" ]; then
    "$badgectl" keygen --out "$demo/issuer/key.pem" >/dev/null
fi
did=$("$badgectl" did --key "$demo/issuer/key.pem" --server-name localhost \
        --port "$port" --print-did)
status_url=$site/status/1

# 2. The status registry and the sample badges: an Open Badges 3.0
#    credential signed with a Data Integrity proof (eddsa-rdfc-2022), the
#    same as a VC-JWT, a revoked one, and a tampered copy.
make_badge() {   # name, credential id, recipient name
    local name=$1 id=$2 who=$3 status now
    now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    status=$("$badgectl" status --registry "$demo/issuer/registry.txt" \
               allocate --id "$id" --list-url "$status_url" | sed 1d)
    sed -e "s|@DID@|$did|g" -e "s|@NOW@|$now|g" -e "s|@ID@|$id|g" \
        -e "s|@NAME@|$who|g" \
        "$repo/conf.examples/demo/sample-credential.json.in" \
      | python3 -c 'import json,sys; c=json.load(sys.stdin); c["credentialStatus"]=json.loads(sys.argv[1]); print(json.dumps(c, ensure_ascii=False, indent=2))' "$status" \
      > "$demo/issuer/$name.unsigned.json"
    "$badgectl" sign --key "$demo/issuer/key.pem" --vm "$did#key-1" \
        --out "$demo/badges/$name.json" "$demo/issuer/$name.unsigned.json"
}
if [ ! -f "$demo/badges/sample.json" ]; then
    rm -f "$demo/issuer/registry.txt"
    "$badgectl" status --registry "$demo/issuer/registry.txt" init >/dev/null
    make_badge sample "urn:uuid:5b0f3c1e-8d0a-4a53-9a43-6e5c8b3a1d01" "山田 花子"
    make_badge revoked "urn:uuid:5b0f3c1e-8d0a-4a53-9a43-6e5c8b3a1d02" "佐藤 太郎"
    "$badgectl" status --registry "$demo/issuer/registry.txt" revoke \
        --id "urn:uuid:5b0f3c1e-8d0a-4a53-9a43-6e5c8b3a1d02" \
        --reason "issued in error (demo)" >/dev/null
    "$badgectl" sign --key "$demo/issuer/key.pem" --format jwt \
        --kid "$did#key-1" "$demo/issuer/sample.unsigned.json" \
        > "$demo/issuer/sample.jwt"
    sed 's/DX講座修了 (Digital/DX講座修了 (Advanced Digital/' \
        "$demo/badges/sample.json" > "$demo/issuer/tampered.json"
fi
cp "$repo/conf.examples/demo/index.html" "$demo/www/index.html"
echo "welcome, verified badge holder" > "$demo/www/alumni/index.html"
chmod -R a+rX "$demo/www" "$demo/badges"
chmod a+r "$demo/issuer/registry.txt"

sed -e "s|@PREFIX@|$prefix|g" -e "s|@MODULE@|$module|g" -e "s|@DEMO@|$demo|g" \
    -e "s|@DID@|$did|g" -e "s|@PORT@|$port|g" -e "s|@STATUS_URL@|$status_url|g" \
    "$repo/conf.examples/demo/nginx.conf.in" > "$prefix/conf/nginx.conf"

/usr/sbin/nginx -t -q -p "$prefix" -c "$prefix/conf/nginx.conf"

u=http://127.0.0.1:$port
cat <<MSG

  Demo issuer: $did
  Open in a browser:
    $u/                         this demo's start page
    $u/verify                   the verify page (paste, upload or a URL)
    $u/badges/                  badge pages (sample: verified, revoked: revoked)
    $u/.well-known/did.json     the issuer's DID document
    $u/status/1                 its signed revocation list

  Verify the sample badge (expect "verified": true):
    curl -s --data-binary @$demo/badges/sample.json $u/verify
  The same badge as a VC-JWT:
    curl -s --data-binary @$demo/issuer/sample.jwt $u/verify
  A tampered copy (expect "verified": false, a failing signature check):
    curl -s --data-binary @$demo/issuer/tampered.json $u/verify
  A revoked badge (expect "status": "revoked"):
    curl -s --data-binary @$demo/badges/revoked.json $u/verify
  The badge gate (401 without a badge, 200 with one):
    curl -i -H "Authorization: Bearer \$(cat $demo/issuer/sample.jwt)" $u/alumni/

  Revoke the sample, then reload to republish the list:
    $badgectl status --registry $demo/issuer/registry.txt revoke --id urn:uuid:5b0f3c1e-8d0a-4a53-9a43-6e5c8b3a1d01
    /usr/sbin/nginx -p $prefix -c $prefix/conf/nginx.conf -s reload

  Ctrl-C stops the server.

MSG
exec /usr/sbin/nginx -p "$prefix" -c "$prefix/conf/nginx.conf"
