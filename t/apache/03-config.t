# Directive errors stop httpd at start with the directive named; a server
# with mod_badge loaded and not used serves as before.
use Test::Badge::Apache 'no_plan';

run_tests();

__DATA__

=== TEST 1: BadgeTrustedKey with a missing file
--- config
BadgeTrustedKey did:web:example.edu#key-1 /nonexistent/key.pem
--- must_die
--- error_log
BadgeTrustedKey: cannot open /nonexistent/key.pem

=== TEST 2: BadgeTrustedKey with a file that is no key
--- config
BadgeTrustedKey did:web:example.edu#key-1 /etc/hostname
--- must_die
--- error_log
BadgeTrustedKey:

=== TEST 3: BadgeTrustedIssuer that is neither a DID nor a URL
--- config
BadgeTrustedIssuer did:web:good.example not-an-issuer
--- must_die
--- error_log
BadgeTrustedIssuer: a trusted issuer must be a DID or an http(s) URL

=== TEST 4: BadgeMaxInput 0
--- config
BadgeMaxInput 0
--- must_die
--- error_log
BadgeMaxInput: '0' must be a whole number

=== TEST 5: BadgeMaxInput with a unit it does not know
--- config
BadgeMaxInput 10G
--- must_die
--- error_log
BadgeMaxInput: '10G' must be a whole number

=== TEST 6: BadgeClockSkew negative
--- config
BadgeClockSkew -5
--- must_die
--- error_log
BadgeClockSkew: '-5' must be a whole number

=== TEST 7: BadgeCredentialFrom with an unknown source
--- config
BadgeCredentialFrom query:x
--- must_die
--- error_log
BadgeCredentialFrom: each source is bearer, header:NAME, cookie:NAME or arg:NAME

=== TEST 8: Require badge with an unknown word
--- config
<Location /x>
    Require badge holder
</Location>
--- must_die
--- error_log
Require badge: expected 'verified', 'issuer ID...' or 'achievement ID...'

=== TEST 9: Require badge issuer without an issuer
--- config
<Location /x>
    Require badge issuer
</Location>
--- must_die
--- error_log
Require badge issuer|achievement: name at least one id

=== TEST 10: BadgeFetchTimeout out of range
--- config
BadgeFetchTimeout 1000
--- must_die
--- error_log
BadgeFetchTimeout: a time from 1ms to 300s

=== TEST 11: BadgeDocument with a missing file
--- config
BadgeDocument https://example.edu/x /nonexistent
--- must_die
--- error_log
BadgeDocument: cannot open /nonexistent

=== TEST 12: every directive, well formed, starts
--- config
BadgeMaxInput 512K
BadgeClockSkew 60
BadgeTrustedIssuer did:web:example.edu https://example.edu/issuers/1
BadgeTrustedKey did:web:example.edu#key-1 ../vectors/shared/key-ed25519-web.pub.pem
BadgeTrustedKey https://example.edu/issuers/1 ../vectors/shared/key-p256.pub.pem
BadgeDocument https://example.edu/.well-known/did.json ../vectors/shared/did-web-example.edu.json
BadgeRequireTrustedIssuer On
BadgeFetch On
BadgeFetchTimeout 2
BadgeFetchMaxSize 1M
BadgeFetchMaxDocuments 8
BadgeFetchAllowPrivate Off
BadgeFetchAllowHttp Off
BadgeCredentialFrom header:X-Badge cookie:badge bearer
BadgeCacheTTL 30
<Location /verify>
    SetHandler badge-verify
</Location>
<Location /badges/>
    SetHandler badge-page
    BadgePageDir ../vectors/pages
    BadgePageTemplate ../../src/page_template.html
    BadgePageIndex On
</Location>
<Location /.well-known/did.json>
    SetHandler badge-did
    BadgeIssuerKey ../vectors/shared/key-ed25519-web.pem
    BadgeIssuerDid did:web:example.edu
</Location>
<Location /status/1>
    BadgeStatusPurpose suspension
    BadgeStatusFormat bitstring
    BadgeStatusListUrl https://example.edu/status/1
</Location>
--- http_config
BadgeCache shmcb:logs/badge-cache(100000)
--- request
GET /verify
--- error_code: 400
--- no_error_log
[error]

=== TEST 13: mod_badge loaded, not used: other content is unaffected
--- config
Alias /hello /etc/hostname
--- request
GET /hello
--- error_code: 200
--- no_error_log
mod_badge
