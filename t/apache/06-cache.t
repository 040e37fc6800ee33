# BadgeCache / BadgeCacheTTL: verification results in an mod_socache
# provider (the runner loads mod_socache_shmcb, so the default cache is
# on).  A cached result is announced by BADGE_CACHE=hit (here copied into
# the X-Badge-Cache response header) and by the debug line "mod_badge:
# cache hit"; the core is not run again (no "credential from" line).
# Blocks with the same configuration share one server, and so one cache:
# the order of the blocks matters.
use Test::Badge::Apache 'no_plan';

our $jwt = Test::Badge::Apache::vector("shared/vc-jwt-eddsa-didjwk.jwt") =~ s/\s+//gr;
our $tampered = Test::Badge::Apache::vector("shared/vc-jwt-tampered.jwt") =~ s/\s+//gr;
our $conf = <<'EOF';
Header always set X-Badge-Cache "%{BADGE_CACHE}e" env=BADGE_CACHE
<Location /verify>
    SetHandler badge-verify
    BadgeFetch Off
</Location>
<Location /strict>
    SetHandler badge-verify
    BadgeFetch Off
    BadgeRequireTrustedIssuer On
</Location>
<Location /nocache>
    SetHandler badge-verify
    BadgeFetch Off
    BadgeCacheTTL 0
</Location>
<Location /same>
    SetHandler badge-verify
    BadgeFetch Off
</Location>
<Location /gate>
    Require badge verified
    BadgeFetch Off
    BadgeTrustedIssuer did:jwk:eyJjcnYiOiJFZDI1NTE5Iiwia3R5IjoiT0tQIiwieCI6IjExcVlBWUt4Q3JmVlNfN1R5V1FIT2c3aGN2UGFwaU1scndJYWFQY0hVUm8ifQ
</Location>
<Location /fetching>
    SetHandler badge-verify
    BadgeFetchAllowHttp On
    BadgeFetchAllowPrivate On
</Location>
EOF

run_tests();

__DATA__

=== TEST 1: the first verification is a miss, and runs the core
--- config eval: $main::conf
--- request eval
"POST /verify\n$main::jwt"
--- more_headers
Content-Type: application/jwt
--- error_code: 200
--- response_headers
X-Badge-Cache: miss
--- response_body_like: ^\{\s*"verified":\s*true
--- error_log
credential from did:jwk
mod_badge: result cached for 60s
--- no_error_log
[error]
cache hit

=== TEST 2: the same credential again: a hit, the same report, the core not run
--- config eval: $main::conf
--- request eval
"POST /verify\n$main::jwt"
--- more_headers
Content-Type: application/jwt
--- error_code: 200
--- response_headers
X-Badge-Cache: hit
Content-Type: application/json; charset=utf-8
--- response_body_like: ^\{\s*"verified":\s*true,\s*"status":\s*"verified"
--- error_log
mod_badge: cache hit: verified
--- no_error_log
credential from
[error]

=== TEST 3: another report language is another entry
--- config eval: $main::conf
--- request eval
"POST /verify\n$main::jwt"
--- more_headers
Content-Type: application/jwt
Accept-Language: ja
--- error_code: 200
--- response_headers
X-Badge-Cache: miss
--- error_log
credential from

=== TEST 4: another configuration (BadgeRequireTrustedIssuer On) is another entry, with its own answer
--- config eval: $main::conf
--- request eval
"POST /strict\n$main::jwt"
--- more_headers
Content-Type: application/jwt
--- error_code: 200
--- response_headers
X-Badge-Cache: miss
--- response_body_like: ^\{\s*"verified":\s*false

=== TEST 5: ... which is cached too
--- config eval: $main::conf
--- request eval
"POST /strict\n$main::jwt"
--- more_headers
Content-Type: application/jwt
--- error_code: 200
--- response_headers
X-Badge-Cache: hit
--- response_body_like: ^\{\s*"verified":\s*false

=== TEST 6: a credential that does not verify is cached as not verified
--- config eval: $main::conf
--- request eval
"POST /verify\n$main::tampered"
--- more_headers
Content-Type: application/jwt
--- error_code: 200
--- response_headers
X-Badge-Cache: miss
--- response_body_like: "code":\s*"signature_invalid"

=== TEST 7: ... and answered from the cache, still not verified
--- config eval: $main::conf
--- request eval
"POST /verify\n$main::tampered"
--- more_headers
Content-Type: application/jwt
--- error_code: 200
--- response_headers
X-Badge-Cache: hit
--- response_body_like: ^\{\s*"verified":\s*false.*"code":\s*"signature_invalid"

=== TEST 8: one byte more is another input
--- config eval: $main::conf
--- request eval
"POST /verify\n$main::jwt\n"
--- more_headers
Content-Type: application/jwt
--- error_code: 200
--- response_headers
X-Badge-Cache: miss

=== TEST 8b: another location with the same configuration shares the entries
--- config eval: $main::conf
--- request eval
"POST /same\n$main::jwt"
--- more_headers
Content-Type: application/jwt
--- error_code: 200
--- response_headers
X-Badge-Cache: hit

=== TEST 9: BadgeCacheTTL 0: no cache in that location
--- config eval: $main::conf
--- request eval
"POST /nocache\n$main::jwt"
--- more_headers
Content-Type: application/jwt
--- error_code: 200
--- response_headers
!X-Badge-Cache
--- response_body_like: ^\{\s*"verified":\s*true
--- error_log
credential from
--- no_error_log
cache hit

=== TEST 10: Require badge: the first check is a miss
--- config eval: $main::conf
--- request
GET /gate/
--- more_headers eval
"Authorization: Bearer $main::jwt"
--- error_code: 404
--- response_headers
X-Badge-Cache: miss
--- error_log
credential from

=== TEST 11: Require badge: a repeated gate check does not verify again
--- config eval: $main::conf
--- request
GET /gate/
--- more_headers eval
"Authorization: Bearer $main::jwt"
--- error_code: 404
--- response_headers
X-Badge-Cache: hit
--- error_log
cache hit: verified
--- no_error_log
credential from

=== TEST 12: Require badge: a failure is denied (a miss) ...
--- config eval: $main::conf
--- request
GET /gate/
--- more_headers eval
"Authorization: Bearer $main::tampered"
--- error_code: 403
--- response_headers
X-Badge-Cache: miss
--- error_log
denied, the credential does not verify

=== TEST 12b: ... and a cached failure still denies
--- config eval: $main::conf
--- request
GET /gate/
--- more_headers eval
"Authorization: Bearer $main::tampered"
--- error_code: 403
--- response_headers
X-Badge-Cache: hit
--- error_log
cache hit: not_verified
denied, the credential does not verify

=== TEST 13: a result that depended on a failed fetch is not cached (nothing listens on 1999)
--- config eval: $main::conf
--- request eval
"GET /fetching?url=http%3A%2F%2F127.0.0.1%3A1999%2Fx.jwt"
--- error_code: 400
--- response_headers
X-Badge-Cache: miss
--- error_log
result not cached (a document could not be fetched)

=== TEST 14: ... so the next request tries again
--- config eval: $main::conf
--- request eval
"GET /fetching?url=http%3A%2F%2F127.0.0.1%3A1999%2Fx.jwt"
--- error_code: 400
--- response_headers
X-Badge-Cache: miss
--- error_log
cannot fetch http://127.0.0.1:1999/x.jwt

=== TEST 15: BadgeCache none: nothing is cached
--- http_config
BadgeCache none
--- config eval: $main::conf
--- request eval
"POST /verify\n$main::jwt"
--- more_headers
Content-Type: application/jwt
--- error_code: 200
--- response_headers
!X-Badge-Cache
--- response_body_like: ^\{\s*"verified":\s*true

=== TEST 16: an explicit shmcb cache with a file and a size
--- http_config eval
"BadgeCache shmcb:" . Test::Badge::Apache::server_root() . "/logs/badge-cache(256000)"
--- config eval: $main::conf
--- request eval
"POST /verify\n$main::jwt"
--- more_headers
Content-Type: application/jwt
--- error_code: 200
--- response_headers
X-Badge-Cache: miss

=== TEST 17: ... it is used
--- http_config eval
"BadgeCache shmcb:" . Test::Badge::Apache::server_root() . "/logs/badge-cache(256000)"
--- config eval: $main::conf
--- request eval
"POST /verify\n$main::jwt"
--- more_headers
Content-Type: application/jwt
--- error_code: 200
--- response_headers
X-Badge-Cache: hit

=== TEST 18: BadgeCache with a provider that is not loaded stops httpd
--- http_config
BadgeCache memcache:127.0.0.1:11211
--- must_die
--- error_log
BadgeCache: unknown socache provider 'memcache' (is mod_socache_memcache loaded?)

=== TEST 19: BadgeCache inside a VirtualHost stops httpd
--- config
BadgeCache none
--- must_die
--- error_log
BadgeCache cannot occur within <VirtualHost> section

=== TEST 20: BadgeCacheTTL that is not a time
--- config
<Location /v>
    BadgeCacheTTL soon
</Location>
--- must_die
--- error_log
BadgeCacheTTL: a time from 0 (off)
