#!/usr/bin/env bash
# Regenerates the libFuzzer seed corpora t/fuzz/corpus/<harness>/ from the
# test vectors (small files only; the whole set stays well under 2 MB) for
# the harnesses below.  Run from anywhere; overwrites those directories
# only (fuzz_proof_di and fuzz_template keep seeds of their own).
set -euo pipefail
cd "$(dirname "$0")/.."
C=t/fuzz/corpus
for h in fuzz_verify fuzz_jcs fuzz_jsonld fuzz_nquads fuzz_jws fuzz_baked \
         fuzz_did fuzz_status fuzz_multibase fuzz_report fuzz_url; do
    rm -rf "${C:?}/$h"
done
mkdir -p "$C"
small() { find "$@" -type f -size -24k 2>/dev/null | sort; }
put() {   # harness, files...
    local h=$1; shift
    mkdir -p "$C/$h"
    local f
    for f in "$@"; do
        cp "$f" "$C/$h/$(echo "$f" | tr '/' '_' | sed 's/^t_vectors_//')"
    done
}
V=t/vectors
# whole pipeline: credentials of every format
put fuzz_verify $(small $V/1edtech-inspector/ob30 -maxdepth 1 -name '*.json' | head -25) \
    $(small $V/1edtech-inspector/ob20 -maxdepth 1 \( -name '*.json' -o -name '*.jwt' -o -name '*.png' \) | head -12) \
    $(small $V/jwt $V/nginx -name '*.jwt') $(small $V/1edtech-inspector/ob30 -maxdepth 1 -name '*.svg') \
    $V/ob3-ldp/signed-credential.json $(small $V/vc-di-eddsa -name '*.json' | head -10)
put fuzz_jcs $(small $V/1edtech-inspector/ob30 -maxdepth 1 -name '*.json' | head -8) \
    $(ls $V/jsonld-toRdf/toRdf/*-in.jsonld | head -30)
put fuzz_jsonld $(small $V/1edtech-inspector/ob30 -maxdepth 1 -name '*.json' | head -12) \
    $V/ob3-ldp/signed-credential.json \
    $(find $V/jsonld-toRdf/toRdf -name '*-in.jsonld' -size -3k | sort | head -150)
put fuzz_nquads $(find $V/rdf-canon/rdfc10 -name '*-in.nq' -size -8k | sort) $V/ob3-ldp/document-canon.nq
put fuzz_jws $(small $V/jwt $V/nginx $V/1edtech-inspector/ob20 $V/pages -name '*.jwt')
put fuzz_baked $(find $V -name '*.png' -size -4k) $(small $V -name '*.svg')
put fuzz_did $V/nginx/did.json $V/shared/did-web-example.edu.json
# synthesized seeds (python3)
python3 - "$C" <<'PY'
import base64, json, os, re, struct, sys, zlib, glob
C = sys.argv[1]
def w(h, name, data):
    os.makedirs(os.path.join(C, h), exist_ok=True)
    if isinstance(data, str): data = data.encode()
    open(os.path.join(C, h, name), 'wb').write(data)
# PNG with iTXt openbadgecredential, compressed and not, and legacy tEXt
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
ihdr = chunk(b'IHDR', struct.pack('>IIBBBBB', 1, 1, 8, 0, 0, 0, 0))
idat = chunk(b'IDAT', zlib.compress(b'\x00\x00'))
iend = chunk(b'IEND', b'')
jwt = open('t/vectors/jwt/1edtech-simple.jwt').read().strip()
sig = b'\x89PNG\r\n\x1a\n'
w('fuzz_baked', 'itxt-plain.png', sig + ihdr + chunk(b'iTXt', b'openbadgecredential\x00\x00\x00\x00\x00' + jwt.encode()) + idat + iend)
w('fuzz_baked', 'itxt-deflate.png', sig + ihdr + chunk(b'iTXt', b'openbadgecredential\x00\x01\x00\x00\x00' + zlib.compress(jwt.encode())) + idat + iend)
w('fuzz_baked', 'text-ob2.png', sig + ihdr + chunk(b'tEXt', b'openbadges\x00https://example.org/assertions/1') + idat + iend)
w('fuzz_baked', 'svg-entities.svg', '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://openbadges.org"><openbadges:assertion verify="https://example.org/a/1">&b;</openbadges:assertion></svg>')
# status lists: flags (bit0 multibase, bits1-5 size, bit7 small index), index, list
for f in glob.glob('t/vectors/**/*', recursive=True):
    if os.path.isfile(f) and os.path.getsize(f) < 200000:
        try: txt = open(f, encoding='utf-8').read()
        except Exception: continue
        for m in re.findall(r'"encodedList"\s*:\s*"([^"]+)"', txt):
            mb = m.startswith('u')
            for idx in (0, 3, 94567, 131071, 131072):
                w('fuzz_status', 'list-%s-%d' % (os.path.basename(f), idx), bytes([0x80 | (1 << 1) | (1 if mb else 0)]) + struct.pack('<Q', idx) + m.encode())
gz = base64.urlsafe_b64encode(zlib.compress(b'\x00' * 16384)).decode().rstrip('=')
w('fuzz_status', 'sl2021-plain', bytes([0x80 | (1 << 1)]) + struct.pack('<Q', 5) + gz.encode())
w('fuzz_status', 'size8', bytes([0x80 | (8 << 1) | 1]) + struct.pack('<Q', 2) + ('u' + gz).encode())
for i, v in enumerate(['"94567"', '0', '"-1"', '"1e3"', '"18446744073709551616"', '12.5', '"0x10"', '" 7"']):
    w('fuzz_status', 'index-%d' % i, v)
# multibase / base58 / keys
mbs = set()
for f in glob.glob('t/vectors/**/*.json', recursive=True):
    try: txt = open(f, encoding='utf-8').read()
    except Exception: continue
    mbs.update(re.findall(r'"(z[1-9A-HJ-NP-Za-km-z]{20,200})"', txt))
    mbs.update(re.findall(r'did:key:(z[1-9A-HJ-NP-Za-km-z]{20,200})', txt))
for i, m in enumerate(sorted(mbs)[:40]):
    w('fuzz_multibase', 'mb-%02d' % i, m)
w('fuzz_multibase', 'leading-ones', '1112')
w('fuzz_multibase', 'varint', bytes([0xed, 0x01]) + b'\x00' * 32)
w('fuzz_multibase', 'varint-p256', bytes([0x80, 0x24, 0x02]) + b'\x11' * 32)
# DIDs: first line the DID URL, the rest a DID document
dids = set()
for f in glob.glob('t/vectors/**/*', recursive=True):
    if os.path.isfile(f) and os.path.getsize(f) < 200000:
        try: txt = open(f, encoding='utf-8').read()
        except Exception: continue
        dids.update(re.findall(r'did:(?:web|key|jwk):[A-Za-z0-9._%:\-]+(?:#[A-Za-z0-9._\-]+)?', txt))
for i, d in enumerate(sorted(dids)[:40]):
    w('fuzz_did', 'did-%02d' % i, d)
for d in ['did:web:example.com%3A8443:user:alice', 'did:web:localhost', 'did:web:127.0.0.1', 'did:web:..%2F..', 'did:web:exa%00mple.com']:
    w('fuzz_did', 'web-' + re.sub(r'[^a-z0-9]', '_', d), d)
doc = open('t/vectors/nginx/did.json').read()
dj = json.loads(doc)
vm = (dj.get('assertionMethod') or [dj.get('id', '') + '#key-1'])[0]
if isinstance(vm, dict): vm = vm.get('id', '')
if vm.startswith('#'): vm = dj['id'] + vm
w('fuzz_did', 'doc-nginx', vm + '\n' + doc)
# report: records of 4 NUL-separated strings: selector, check, code, message
recs = [(b'\x00', b'signature', b'signature_valid', b'ok'), (b'\x01', b'status', b'revoked', b'<script>alert(1)</script>'),
        (b'\x06', b'', b'', b'did:web:example.edu'), (b'\x02', b'endorsement', b'x', b'y'), (b'\x03', b'validity', b'expired', b'\xff\xfe bad utf-8'),
        (b'\x45', b'issuer', b'issuer_trusted', '発行者'.encode())]
w('fuzz_report', 'mixed', b'\x00'.join(b'\x00'.join(r) for r in recs))
w('fuzz_report', 'one', b'\x00'.join(recs[0]))
# URLs
for i, u in enumerate(['https://example.org/a?b#c', 'http://127.0.0.1:8080/', 'https://[::1]/x', 'https://169.254.169.254/latest/meta-data/',
                       'https://10.1.2.3/', 'https://localhost./', 'https://0x7f.1/', 'https://2130706433/', 'file:///etc/passwd',
                       'https://user:pw@example.org/', 'https://[::ffff:127.0.0.1]/', 'https://example.org:99999/', 'https://xn--fsq.example/']):
    w('fuzz_url', 'url-%02d' % i, u)
PY
du -sh --apparent-size "$C"; for d in "$C"/*; do echo "$(basename "$d"): $(ls "$d" | wc -l) files, $(du -sk "$d" | cut -f1) KB"; done
