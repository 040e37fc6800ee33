# Require badge ... (the authz provider), BadgeCredentialFrom, and the
# BADGE_* environment variables for logs, CGI and proxied backends.
use Test::Badge::Apache 'no_plan';

our $valid = Test::Badge::Apache::vector("shared/vc-jwt-eddsa-didjwk.jwt") =~ s/\s+//gr;
our $didweb = Test::Badge::Apache::vector("shared/vc-jwt-eddsa-didweb.jwt") =~ s/\s+//gr;
our $tampered = Test::Badge::Apache::vector("shared/vc-jwt-tampered.jwt") =~ s/\s+//gr;

run_tests();

__DATA__

=== TEST 1: Require badge verified, no credential: 403, BADGE_ERROR no_credential
--- config
Alias /alumni /etc/hostname
<Location /alumni>
    BadgeFetch Off
    BadgeTrustedIssuer did:jwk:eyJjcnYiOiJFZDI1NTE5Iiwia3R5IjoiT0tQIiwieCI6IjExcVlBWUt4Q3JmVlNfN1R5V1FIT2c3aGN2UGFwaU1scndJYWFQY0hVUm8ifQ
    Require badge verified
    Header always set X-Badge-Verified "%{BADGE_VERIFIED}e"
</Location>
--- request
GET /alumni
--- error_code: 403
--- response_headers
X-Badge-Verified: 0
X-Badge-Error: no_credential
--- error_log
Require badge verified: denied, no_credential
--- no_error_log
[error]

=== TEST 2: Require badge verified, a valid bearer credential: 200 and the env
--- config
Alias /alumni /etc/hostname
<Location /alumni>
    BadgeFetch Off
    BadgeTrustedIssuer did:jwk:eyJjcnYiOiJFZDI1NTE5Iiwia3R5IjoiT0tQIiwieCI6IjExcVlBWUt4Q3JmVlNfN1R5V1FIT2c3aGN2UGFwaU1scndJYWFQY0hVUm8ifQ
    Require badge verified
    Header always set X-Badge-Verified "%{BADGE_VERIFIED}e"
    Header always set X-Badge-Status "%{BADGE_STATUS}e"
    Header always set X-Badge-Issuer "%{BADGE_ISSUER}e"
    Header always set X-Badge-Subject "%{BADGE_SUBJECT}e"
    Header always set X-Badge-Achievement "%{BADGE_ACHIEVEMENT}e"
</Location>
--- request
GET /alumni
--- more_headers eval
"Authorization: Bearer $main::valid"
--- error_code: 200
--- response_headers
X-Badge-Verified: 1
X-Badge-Status: verified
X-Badge-Issuer: did:jwk:eyJjcnYiOiJFZDI1NTE5Iiwia3R5IjoiT0tQIiwieCI6IjExcVlBWUt4Q3JmVlNfN1R5V1FIT2c3aGN2UGFwaU1scndJYWFQY0hVUm8ifQ
X-Badge-Subject: did:example:alice
X-Badge-Achievement: https://example.edu/achievements/dx-101

=== TEST 3: Require badge verified, a tampered credential: 403
--- config
Alias /alumni /etc/hostname
<Location /alumni>
    BadgeFetch Off
    BadgeTrustedIssuer did:jwk:eyJjcnYiOiJFZDI1NTE5Iiwia3R5IjoiT0tQIiwieCI6IjExcVlBWUt4Q3JmVlNfN1R5V1FIT2c3aGN2UGFwaU1scndJYWFQY0hVUm8ifQ
    Require badge verified
    Header always set X-Badge-Verified "%{BADGE_VERIFIED}e"
</Location>
--- request
GET /alumni
--- more_headers eval
"Authorization: Bearer $main::tampered"
--- error_code: 403
--- response_headers
X-Badge-Verified: 0
--- error_log
Require badge verified: denied, the credential does not verify

=== TEST 4: garbage in the bearer header: 403, BADGE_ERROR from the core
--- config
Alias /alumni /etc/hostname
<Location /alumni>
    BadgeFetch Off
    BadgeTrustedIssuer did:jwk:eyJjcnYiOiJFZDI1NTE5Iiwia3R5IjoiT0tQIiwieCI6IjExcVlBWUt4Q3JmVlNfN1R5V1FIT2c3aGN2UGFwaU1scndJYWFQY0hVUm8ifQ
    Require badge verified
</Location>
--- request
GET /alumni
--- more_headers
Authorization: Bearer not-a-credential
--- error_code: 403
--- response_headers
X-Badge-Error: input_unrecognized

=== TEST 5: Basic credentials are not a badge: 403 no_credential
--- config
Alias /alumni /etc/hostname
<Location /alumni>
    BadgeTrustedIssuer did:jwk:eyJjcnYiOiJFZDI1NTE5Iiwia3R5IjoiT0tQIiwieCI6IjExcVlBWUt4Q3JmVlNfN1R5V1FIT2c3aGN2UGFwaU1scndJYWFQY0hVUm8ifQ
    Require badge verified
</Location>
--- request
GET /alumni
--- more_headers
Authorization: Basic dXNlcjpwYXNz
--- error_code: 403
--- response_headers
X-Badge-Error: no_credential

=== TEST 6: a credential over BadgeMaxInput: 403 input_too_large
--- config
Alias /alumni /etc/hostname
<Location /alumni>
    BadgeMaxInput 100
    BadgeTrustedIssuer did:jwk:eyJjcnYiOiJFZDI1NTE5Iiwia3R5IjoiT0tQIiwieCI6IjExcVlBWUt4Q3JmVlNfN1R5V1FIT2c3aGN2UGFwaU1scndJYWFQY0hVUm8ifQ
    Require badge verified
</Location>
--- request
GET /alumni
--- more_headers eval
"Authorization: Bearer $main::valid"
--- error_code: 403
--- response_headers
X-Badge-Error: input_too_large

=== TEST 7: Require badge issuer, the right issuer: 200
--- config
Alias /alumni /etc/hostname
<Location /alumni>
    BadgeFetch Off
    BadgeTrustedIssuer did:jwk:eyJjcnYiOiJFZDI1NTE5Iiwia3R5IjoiT0tQIiwieCI6IjExcVlBWUt4Q3JmVlNfN1R5V1FIT2c3aGN2UGFwaU1scndJYWFQY0hVUm8ifQ
    Require badge issuer did:web:other.example did:jwk:eyJjcnYiOiJFZDI1NTE5Iiwia3R5IjoiT0tQIiwieCI6IjExcVlBWUt4Q3JmVlNfN1R5V1FIT2c3aGN2UGFwaU1scndJYWFQY0hVUm8ifQ
</Location>
--- request
GET /alumni
--- more_headers eval
"Authorization: Bearer $main::valid"
--- error_code: 200

=== TEST 8: Require badge issuer, another issuer: 403
--- config
Alias /alumni /etc/hostname
<Location /alumni>
    BadgeFetch Off
    BadgeTrustedIssuer did:jwk:eyJjcnYiOiJFZDI1NTE5Iiwia3R5IjoiT0tQIiwieCI6IjExcVlBWUt4Q3JmVlNfN1R5V1FIT2c3aGN2UGFwaU1scndJYWFQY0hVUm8ifQ
    Require badge issuer did:web:other.example
</Location>
--- request
GET /alumni
--- more_headers eval
"Authorization: Bearer $main::valid"
--- error_code: 403
--- error_log eval
qr/Require badge issuer did:web:other\.example: denied, the credential's issuer is did:jwk:/

=== TEST 9: Require badge achievement: 200 for the achievement
--- config
Alias /alumni /etc/hostname
<Location /alumni>
    BadgeFetch Off
    BadgeTrustedIssuer did:jwk:eyJjcnYiOiJFZDI1NTE5Iiwia3R5IjoiT0tQIiwieCI6IjExcVlBWUt4Q3JmVlNfN1R5V1FIT2c3aGN2UGFwaU1scndJYWFQY0hVUm8ifQ
    Require badge achievement https://example.edu/achievements/dx-101
</Location>
--- request
GET /alumni
--- more_headers eval
"Authorization: Bearer $main::valid"
--- error_code: 200

=== TEST 10: Require badge achievement: 403 for another achievement
--- config
Alias /alumni /etc/hostname
<Location /alumni>
    BadgeFetch Off
    BadgeTrustedIssuer did:jwk:eyJjcnYiOiJFZDI1NTE5Iiwia3R5IjoiT0tQIiwieCI6IjExcVlBWUt4Q3JmVlNfN1R5V1FIT2c3aGN2UGFwaU1scndJYWFQY0hVUm8ifQ
    Require badge achievement https://example.edu/achievements/other
</Location>
--- request
GET /alumni
--- more_headers eval
"Authorization: Bearer $main::valid"
--- error_code: 403

=== TEST 11: BadgeCredentialFrom header:X-Badge
--- config
Alias /alumni /etc/hostname
<Location /alumni>
    BadgeFetch Off
    BadgeCredentialFrom header:X-Badge
    BadgeTrustedIssuer did:jwk:eyJjcnYiOiJFZDI1NTE5Iiwia3R5IjoiT0tQIiwieCI6IjExcVlBWUt4Q3JmVlNfN1R5V1FIT2c3aGN2UGFwaU1scndJYWFQY0hVUm8ifQ
    Require badge verified
</Location>
--- request
GET /alumni
--- more_headers eval
"X-Badge: $main::valid"
--- error_code: 200

=== TEST 12: BadgeCredentialFrom header:X-Badge ignores the bearer header
--- config
Alias /alumni /etc/hostname
<Location /alumni>
    BadgeFetch Off
    BadgeCredentialFrom header:X-Badge
    BadgeTrustedIssuer did:jwk:eyJjcnYiOiJFZDI1NTE5Iiwia3R5IjoiT0tQIiwieCI6IjExcVlBWUt4Q3JmVlNfN1R5V1FIT2c3aGN2UGFwaU1scndJYWFQY0hVUm8ifQ
    Require badge verified
</Location>
--- request
GET /alumni
--- more_headers eval
"Authorization: Bearer $main::valid"
--- error_code: 403
--- response_headers
X-Badge-Error: no_credential

=== TEST 13: BadgeCredentialFrom cookie:badge
--- config
Alias /alumni /etc/hostname
<Location /alumni>
    BadgeFetch Off
    BadgeCredentialFrom cookie:badge
    BadgeTrustedIssuer did:jwk:eyJjcnYiOiJFZDI1NTE5Iiwia3R5IjoiT0tQIiwieCI6IjExcVlBWUt4Q3JmVlNfN1R5V1FIT2c3aGN2UGFwaU1scndJYWFQY0hVUm8ifQ
    Require badge verified
</Location>
--- request
GET /alumni
--- more_headers eval
"Cookie: theme=dark; badge=$main::valid; lang=ja"
--- error_code: 200

=== TEST 14: sources are tried in order: header first, then cookie
--- config
Alias /alumni /etc/hostname
<Location /alumni>
    BadgeFetch Off
    BadgeCredentialFrom header:X-Badge cookie:badge
    BadgeTrustedIssuer did:jwk:eyJjcnYiOiJFZDI1NTE5Iiwia3R5IjoiT0tQIiwieCI6IjExcVlBWUt4Q3JmVlNfN1R5V1FIT2c3aGN2UGFwaU1scndJYWFQY0hVUm8ifQ
    Require badge verified
</Location>
--- request
GET /alumni
--- more_headers eval
"Cookie: badge=$main::valid"
--- error_code: 200

=== TEST 15: RequireAny: another rule may admit without a badge
--- config
Alias /alumni /etc/hostname
<Location /alumni>
    BadgeTrustedIssuer did:jwk:eyJjcnYiOiJFZDI1NTE5Iiwia3R5IjoiT0tQIiwieCI6IjExcVlBWUt4Q3JmVlNfN1R5V1FIT2c3aGN2UGFwaU1scndJYWFQY0hVUm8ifQ
    <RequireAny>
        Require badge verified
        Require ip 127.0.0.1
    </RequireAny>
</Location>
--- request
GET /alumni
--- error_code: 200

=== TEST 16: RequireAll with two badge rules verifies once
--- config
Alias /alumni /etc/hostname
<Location /alumni>
    BadgeFetch Off
    BadgeTrustedIssuer did:jwk:eyJjcnYiOiJFZDI1NTE5Iiwia3R5IjoiT0tQIiwieCI6IjExcVlBWUt4Q3JmVlNfN1R5V1FIT2c3aGN2UGFwaU1scndJYWFQY0hVUm8ifQ
    <RequireAll>
        Require badge verified
        Require badge achievement https://example.edu/achievements/dx-101
    </RequireAll>
</Location>
--- request
GET /alumni
--- more_headers eval
"Authorization: Bearer $main::valid"
--- error_code: 200
--- error_log eval
qr/^(?![\s\S]*credential from[\s\S]*credential from)[\s\S]*credential from/
--- no_error_log
[warn]

=== TEST 17: the badge-verify handler exports the same variables
--- config
<Location /verify>
    SetHandler badge-verify
    BadgeFetch Off
    Header always set X-Badge-Verified "%{BADGE_VERIFIED}e"
    Header always set X-Badge-Error "%{BADGE_ERROR}e"
</Location>
--- request
POST /verify
garbage
--- error_code: 400
--- response_headers
X-Badge-Verified: 0
X-Badge-Error: input_unrecognized

=== TEST 18: the handler's env for a valid credential
--- config
<Location /verify>
    SetHandler badge-verify
    BadgeFetch Off
    Header always set X-Badge-Verified "%{BADGE_VERIFIED}e"
    Header always set X-Badge-Format "%{BADGE_FORMAT}e"
</Location>
--- request eval
"POST /verify\n$main::valid"
--- error_code: 200
--- response_headers
X-Badge-Verified: 1
--- response_headers_like
X-Badge-Format: jwt

=== TEST 19: a gate that trusts nobody admits nobody: a genuine credential of an unknown issuer is 403 issuer_unknown (nginx: require.t TEST 3, 18)
--- config
Alias /alumni /etc/hostname
<Location /alumni>
    BadgeFetch Off
    Require badge verified
</Location>
--- request
GET /alumni
--- more_headers eval
"Authorization: Bearer $main::valid"
--- error_code: 403
--- response_headers
X-Badge-Error: issuer_unknown
--- error_log eval
[qr/denied, the credential does not verify \(issuer_unknown, check issuer\)/,
 qr/\[badge:warn\].*Require badge \(\S+httpd\.conf:\d+\): no BadgeTrustedIssuer or BadgeTrustedKey in its section or server/]

=== TEST 20: ... while badge-verify under the same configuration still says verified (with an issuer warning)
--- config
<Location /verify>
    SetHandler badge-verify
    BadgeFetch Off
</Location>
--- request eval
"POST /verify\n$main::valid"
--- more_headers
Content-Type: application/jwt
--- error_code: 200
--- response_body_like: ^\{\s*"verified":\s*true.*"issuer_unknown"

=== TEST 21: X-Badge-Error names the rule that denied: issuer_not_allowed
--- config
Alias /alumni /etc/hostname
<Location /alumni>
    BadgeFetch Off
    BadgeTrustedIssuer did:jwk:eyJjcnYiOiJFZDI1NTE5Iiwia3R5IjoiT0tQIiwieCI6IjExcVlBWUt4Q3JmVlNfN1R5V1FIT2c3aGN2UGFwaU1scndJYWFQY0hVUm8ifQ
    Require badge issuer did:web:other.example
</Location>
--- request
GET /alumni
--- more_headers eval
"Authorization: Bearer $main::valid"
--- error_code: 403
--- response_headers
X-Badge-Error: issuer_not_allowed

=== TEST 22: ... achievement_not_allowed
--- config
Alias /alumni /etc/hostname
<Location /alumni>
    BadgeFetch Off
    BadgeTrustedIssuer did:jwk:eyJjcnYiOiJFZDI1NTE5Iiwia3R5IjoiT0tQIiwieCI6IjExcVlBWUt4Q3JmVlNfN1R5V1FIT2c3aGN2UGFwaU1scndJYWFQY0hVUm8ifQ
    Require badge achievement https://example.edu/achievements/other
</Location>
--- request
GET /alumni
--- more_headers eval
"Authorization: Bearer $main::valid"
--- error_code: 403
--- response_headers
X-Badge-Error: achievement_not_allowed

=== TEST 23: an admitted request has no X-Badge-Error (and a gate that trusts someone draws no warning)
--- config
Alias /alumni /etc/hostname
<Location /alumni>
    BadgeFetch Off
    BadgeTrustedIssuer did:jwk:eyJjcnYiOiJFZDI1NTE5Iiwia3R5IjoiT0tQIiwieCI6IjExcVlBWUt4Q3JmVlNfN1R5V1FIT2c3aGN2UGFwaU1scndJYWFQY0hVUm8ifQ
    Require badge verified
</Location>
--- request
GET /alumni
--- more_headers eval
"Authorization: Bearer $main::valid"
--- error_code: 200
--- response_headers
!X-Badge-Error
--- no_error_log
[warn]

=== TEST 24: BadgeCredentialFrom arg:badge, %-encoded (nginx: require.t TEST 12)
--- config
Alias /alumni /etc/hostname
<Location /alumni>
    BadgeFetch Off
    BadgeTrustedIssuer did:jwk:eyJjcnYiOiJFZDI1NTE5Iiwia3R5IjoiT0tQIiwieCI6IjExcVlBWUt4Q3JmVlNfN1R5V1FIT2c3aGN2UGFwaU1scndJYWFQY0hVUm8ifQ
    BadgeCredentialFrom arg:badge
    Require badge verified
</Location>
--- request eval
my $jwt = $main::valid =~ s/\./%2E/gr;
"GET /alumni?x=1&badge=$jwt"
--- error_code: 200

=== TEST 25: Require badge achievement: one of several (nginx: require.t TEST 7)
--- config
Alias /alumni /etc/hostname
<Location /alumni>
    BadgeFetch Off
    BadgeTrustedIssuer did:jwk:eyJjcnYiOiJFZDI1NTE5Iiwia3R5IjoiT0tQIiwieCI6IjExcVlBWUt4Q3JmVlNfN1R5V1FIT2c3aGN2UGFwaU1scndJYWFQY0hVUm8ifQ
    Require badge achievement https://example.edu/achievements/other https://example.edu/achievements/dx-101
</Location>
--- request
GET /alumni
--- more_headers eval
"Authorization: Bearer $main::valid"
--- error_code: 200

=== TEST 26: the gate without the issuer's DID document (BadgeFetch Off): denied, the key is unchecked (nginx: require.t TEST 15)
--- config
Alias /alumni /etc/hostname
<Location /alumni>
    BadgeFetch Off
    BadgeTrustedIssuer did:web:example.edu
    Require badge verified
</Location>
--- request
GET /alumni
--- more_headers eval
"Authorization: Bearer $main::didweb"
--- error_code: 403
--- response_headers_like
X-Badge-Error: ^(fetch_failed|key_unavailable|key_unchecked|\w+_unchecked)$

=== TEST 27: the reason survives ErrorDocument (nginx: require.t TEST 16)
--- config
Alias /alumni /etc/hostname
Alias /denied.txt /etc/hostname
ErrorDocument 403 /denied.txt
<Location /alumni>
    BadgeFetch Off
    BadgeTrustedIssuer did:jwk:eyJjcnYiOiJFZDI1NTE5Iiwia3R5IjoiT0tQIiwieCI6IjExcVlBWUt4Q3JmVlNfN1R5V1FIT2c3aGN2UGFwaU1scndJYWFQY0hVUm8ifQ
    Require badge verified
</Location>
--- request
GET /alumni
--- more_headers eval
"Authorization: Bearer $main::tampered"
--- error_code: 403
--- response_headers
X-Badge-Error: signature_invalid
--- response_body_like: \S

=== TEST 28: a nested location without the gate (nginx: require.t TEST 17)
--- config
Alias /alumni /etc
<Location /alumni>
    BadgeFetch Off
    BadgeTrustedIssuer did:jwk:eyJjcnYiOiJFZDI1NTE5Iiwia3R5IjoiT0tQIiwieCI6IjExcVlBWUt4Q3JmVlNfN1R5V1FIT2c3aGN2UGFwaU1scndJYWFQY0hVUm8ifQ
    Require badge verified
</Location>
<Location /alumni/hostname>
    Require all granted
</Location>
--- request
GET /alumni/hostname
--- error_code: 200

=== TEST 29: the names, the credential id and the expiry too (nginx's $badge_* variables)
--- config
<Location /verify>
    SetHandler badge-verify
    BadgeFetch Off
    Header always set X-Issuer-Name "%{BADGE_ISSUER_NAME}e"
    Header always set X-Achievement-Name "%{BADGE_ACHIEVEMENT_NAME}e"
    Header always set X-Credential-Id "%{BADGE_CREDENTIAL_ID}e"
    Header always set X-Valid-Until "%{BADGE_VALID_UNTIL}e"
</Location>
--- request eval
"POST /verify\n$main::valid"
--- more_headers
Content-Type: application/jwt
--- error_code: 200
--- response_headers
X-Issuer-Name: Example University
X-Credential-Id: urn:uuid:3b6d3c57-2f7e-4b4b-9d0c-6d2b1a7c0001
X-Valid-Until: 2100-01-01T00:00:00Z
--- response_headers_like
X-Achievement-Name: ^DX

