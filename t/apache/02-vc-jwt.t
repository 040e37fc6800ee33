# badge-verify with VC-JWT vectors (t/vectors/shared, made by
# gen-vc-jwt.js): what verifies and what must not.
use Test::Badge::Apache 'no_plan';

run_tests();

__DATA__

=== TEST 1: a valid EdDSA VC-JWT (did:jwk) verifies
--- config
<Location /verify>
    SetHandler badge-verify
    BadgeFetch Off
</Location>
--- request eval
"POST /verify\n" . Test::Badge::Apache::vector("shared/vc-jwt-eddsa-didjwk.jwt")
--- more_headers
Content-Type: application/jwt
--- error_code: 200
--- response_headers
Content-Type: application/json; charset=utf-8
--- response_body_like: ^\{\s*"verified":\s*true,\s*"status":\s*"verified"
--- no_error_log
[error]
[warn]

=== TEST 2: a valid ES256 VC-JWT (did:jwk, P-256) verifies
--- config
<Location /verify>
    SetHandler badge-verify
    BadgeFetch Off
</Location>
--- request eval
"POST /verify\n" . Test::Badge::Apache::vector("shared/vc-jwt-es256-didjwk.jwt")
--- more_headers
Content-Type: text/plain
--- error_code: 200
--- response_body_like: ^\{\s*"verified":\s*true

=== TEST 3: a valid VC-JWT in the form field verifies
--- config
<Location /verify>
    SetHandler badge-verify
    BadgeFetch Off
</Location>
--- request eval
"POST /verify\ncredential=" . Test::Badge::Apache::vector("shared/vc-jwt-eddsa-didjwk.jwt") =~ s/\n//r
--- more_headers
Content-Type: application/x-www-form-urlencoded
--- error_code: 200
--- response_body_like: ^\{\s*"verified":\s*true

=== TEST 4: tampered payload: not verified, the signature check fails
--- config
<Location /verify>
    SetHandler badge-verify
    BadgeFetch Off
</Location>
--- request eval
"POST /verify\n" . Test::Badge::Apache::vector("shared/vc-jwt-tampered.jwt")
--- error_code: 200
--- response_body_like: ^\{\s*"verified":\s*false.*"check":\s*"signature",\s*"status":\s*"fail"

=== TEST 5: signed by another key than the kid's: not verified
--- config
<Location /verify>
    SetHandler badge-verify
    BadgeFetch Off
</Location>
--- request eval
"POST /verify\n" . Test::Badge::Apache::vector("shared/vc-jwt-wrong-key.jwt")
--- error_code: 200
--- response_body_like: ^\{\s*"verified":\s*false.*"check":\s*"signature",\s*"status":\s*"fail"

=== TEST 6: alg "none" is refused
--- config
<Location /verify>
    SetHandler badge-verify
    BadgeFetch Off
</Location>
--- request eval
"POST /verify\n" . Test::Badge::Apache::vector("shared/vc-jwt-alg-none.jwt")
--- response_body_like: ^\{\s*"verified":\s*false.*"code":\s*"alg_(?:forbidden|none)

=== TEST 7: HS256 keyed with the public key is refused
--- config
<Location /verify>
    SetHandler badge-verify
    BadgeFetch Off
</Location>
--- request eval
"POST /verify\n" . Test::Badge::Apache::vector("shared/vc-jwt-hs256.jwt")
--- response_body_like: ^\{\s*"verified":\s*false.*"code":\s*"alg_(?:forbidden|hmac)

=== TEST 8: expired: genuine but not verified, status expired
--- config
<Location /verify>
    SetHandler badge-verify
    BadgeFetch Off
</Location>
--- request eval
"POST /verify\n" . Test::Badge::Apache::vector("shared/vc-jwt-expired.jwt")
--- error_code: 200
--- response_body_like: ^\{\s*"verified":\s*false,\s*"status":\s*"expired".*"check":\s*"validity",\s*"status":\s*"fail"

=== TEST 9: expired, but within BadgeClockSkew? No: skew is seconds, the JWT expired years ago
--- config
<Location /verify>
    SetHandler badge-verify
    BadgeFetch Off
    BadgeClockSkew 3600
</Location>
--- request eval
"POST /verify\n" . Test::Badge::Apache::vector("shared/vc-jwt-expired.jwt")
--- error_code: 200
--- response_body_like: "verified":\s*false

=== TEST 10: did:web issuer, nothing trusted, no fetching: not verified
--- config
<Location /verify>
    SetHandler badge-verify
    BadgeFetch Off
</Location>
--- request eval
"POST /verify\n" . Test::Badge::Apache::vector("shared/vc-jwt-eddsa-didweb.jwt")
--- error_code: 200
--- response_body_like: ^\{\s*"verified":\s*false
--- error_log
not fetching https://example.edu/.well-known/did.json (BadgeFetch Off)

=== TEST 11: did:web issuer with BadgeTrustedKey by kid: verified
--- config
<Location /verify>
    SetHandler badge-verify
    BadgeFetch Off
    BadgeTrustedKey did:web:example.edu#key-1 ../vectors/shared/key-ed25519-web.pub.pem
</Location>
--- request eval
"POST /verify\n" . Test::Badge::Apache::vector("shared/vc-jwt-eddsa-didweb.jwt")
--- error_code: 200
--- response_body_like: ^\{\s*"verified":\s*true
--- no_error_log
not fetching

=== TEST 12: did:web issuer with BadgeTrustedKey by issuer: verified
--- config
<Location /verify>
    SetHandler badge-verify
    BadgeFetch Off
    BadgeTrustedKey did:web:example.edu ../vectors/shared/key-ed25519-web.pub.pem
</Location>
--- request eval
"POST /verify\n" . Test::Badge::Apache::vector("shared/vc-jwt-eddsa-didweb.jwt")
--- error_code: 200
--- response_body_like: ^\{\s*"verified":\s*true

=== TEST 13: a trusted key that is not the signer's: not verified
--- config
<Location /verify>
    SetHandler badge-verify
    BadgeFetch Off
    BadgeTrustedKey did:web:example.edu#key-1 ../vectors/shared/key-p256.pub.pem
</Location>
--- request eval
"POST /verify\n" . Test::Badge::Apache::vector("shared/vc-jwt-eddsa-didweb.jwt")
--- error_code: 200
--- response_body_like: ^\{\s*"verified":\s*false

=== TEST 14: did:web issuer with its DID document pinned (BadgeDocument)
--- config
<Location /verify>
    SetHandler badge-verify
    BadgeFetch Off
    BadgeDocument https://example.edu/.well-known/did.json ../vectors/shared/did-web-example.edu.json
</Location>
--- request eval
"POST /verify\n" . Test::Badge::Apache::vector("shared/vc-jwt-eddsa-didweb.jwt")
--- error_code: 200
--- response_body_like: ^\{\s*"verified":\s*true
--- no_error_log
not fetching

=== TEST 15: merged config: vhost requires trusted issuers, the location trusts a key
--- config
BadgeRequireTrustedIssuer On
BadgeFetch Off
<Location /verify>
    SetHandler badge-verify
    BadgeTrustedKey did:web:example.edu#key-1 ../vectors/shared/key-ed25519-web.pub.pem
</Location>
--- request eval
"POST /verify\n" . Test::Badge::Apache::vector("shared/vc-jwt-eddsa-didweb.jwt")
--- error_code: 200
--- response_body_like: ^\{\s*"verified":\s*true

=== TEST 16: merged config: the did:jwk issuer is not trusted there: not verified
--- config
BadgeRequireTrustedIssuer On
BadgeFetch Off
<Location /verify>
    SetHandler badge-verify
    BadgeTrustedKey did:web:example.edu#key-1 ../vectors/shared/key-ed25519-web.pub.pem
</Location>
--- request eval
"POST /verify\n" . Test::Badge::Apache::vector("shared/vc-jwt-eddsa-didjwk.jwt")
--- error_code: 200
--- response_body_like: ^\{\s*"verified":\s*false.*"check":\s*"issuer",\s*"status":\s*"fail"

=== TEST 17: merged config: a nested location trusts the did:jwk issuer too
--- config
BadgeRequireTrustedIssuer On
BadgeFetch Off
<Location /verify>
    SetHandler badge-verify
    BadgeTrustedKey did:web:example.edu#key-1 ../vectors/shared/key-ed25519-web.pub.pem
</Location>
<Location /verify/jwk>
    BadgeTrustedIssuer did:jwk:eyJjcnYiOiJFZDI1NTE5Iiwia3R5IjoiT0tQIiwieCI6IjExcVlBWUt4Q3JmVlNfN1R5V1FIT2c3aGN2UGFwaU1scndJYWFQY0hVUm8ifQ
</Location>
--- request eval
"POST /verify/jwk\n" . Test::Badge::Apache::vector("shared/vc-jwt-eddsa-didjwk.jwt")
--- error_code: 200
--- response_body_like: ^\{\s*"verified":\s*true

=== TEST 18: BadgeRequireTrustedIssuer Off in a nested location overrides the vhost
--- config
BadgeRequireTrustedIssuer On
BadgeFetch Off
<Location /verify>
    SetHandler badge-verify
    BadgeRequireTrustedIssuer Off
</Location>
--- request eval
"POST /verify\n" . Test::Badge::Apache::vector("shared/vc-jwt-eddsa-didjwk.jwt")
--- error_code: 200
--- response_body_like: ^\{\s*"verified":\s*true

=== TEST 19: report fields: issuer, subject and achievement of the credential
--- config
<Location /verify>
    SetHandler badge-verify
    BadgeFetch Off
</Location>
--- request eval
"POST /verify\n" . Test::Badge::Apache::vector("shared/vc-jwt-eddsa-didjwk.jwt")
--- error_code: 200
--- response_body_like: "achievement":\s*"https://example\.edu/achievements/dx-101"

=== TEST 20: an RSA key used with alg ES256 is refused (nginx: verify.t TEST 6; its vector)
--- config
<Location /verify>
    SetHandler badge-verify
    BadgeFetch Off
</Location>
--- request eval
"POST /verify\n" . Test::Badge::Apache::vector("nginx/rsa-as-es256.jwt")
--- more_headers
Content-Type: application/jwt
--- error_code: 200
--- response_body_like: "verified":\s*false,.*"code":\s*"alg_key_mismatch"
--- no_error_log
[error]

=== TEST 21: BadgeTrustedIssuer: the issuer check passes (nginx: verify.t TEST 19)
--- config
<Location /verify>
    SetHandler badge-verify
    BadgeFetch Off
    BadgeTrustedIssuer did:web:nobody.example
    BadgeTrustedIssuer did:jwk:eyJjcnYiOiJFZDI1NTE5Iiwia3R5IjoiT0tQIiwieCI6IjExcVlBWUt4Q3JmVlNfN1R5V1FIT2c3aGN2UGFwaU1scndJYWFQY0hVUm8ifQ
</Location>
--- request eval
"POST /verify\n" . Test::Badge::Apache::vector("shared/vc-jwt-eddsa-didjwk.jwt")
--- more_headers
Content-Type: application/jwt
--- error_code: 200
--- response_body_like: "check":\s*"issuer",\s*"status":\s*"pass",\s*"code":\s*"issuer_trusted"

