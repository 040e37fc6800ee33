# badge_require: the access-phase gate, with a master and two workers.
# 401: no credential, or one that does not verify; 403: verified, but not
# from a trusted issuer or not what the location requires.

use Cwd ();
use Test::Nginx::Socket 'no_plan';

repeat_each(2);
no_shuffle();
master_on();
workers(2);
log_level('info');

$ENV{TEST_NGINX_REPO} ||= Cwd::getcwd();
$ENV{TEST_NGINX_BADGE_MODULE} ||= "$ENV{TEST_NGINX_REPO}/build/ngx_http_badge_module.so";

sub main::fixture {
    my $name = shift;
    my $f = "$ENV{TEST_NGINX_REPO}/t/vectors/nginx/$name";
    open my $fh, '<', $f or die "$f: $!";
    local $/;
    my $s = <$fh>;
    $s =~ s/\s+\z//;
    return $s;
}

$ENV{TEST_NGINX_DIDJWK} = main::fixture("didjwk.did");
$ENV{TEST_NGINX_JWT} = main::fixture("didjwk.jwt");
$ENV{TEST_NGINX_JWT_TAMPERED} = main::fixture("didjwk-tampered.jwt");
$ENV{TEST_NGINX_JWT_DIDWEB} = main::fixture("didweb.jwt");
$ENV{TEST_NGINX_JWT_REVOKED} = main::fixture("didweb-revoked.jwt");

run_tests();

__DATA__

=== TEST 1: no credential: 401 with X-Badge-Error
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /backend/ {
        return 200 "welcome $http_x_badge_subject\n";
    }
    location /alumni/ {
        badge_require on;
        badge_trusted_issuer $TEST_NGINX_DIDJWK;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend/;
    }
--- request
GET /alumni/
--- error_code: 401
--- response_headers
X-Badge-Error: no_credential
--- no_error_log
[error]
[crit]
[alert]



=== TEST 2: a valid credential from a trusted issuer (Authorization: Bearer)
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /backend/ {
        return 200 "welcome $http_x_badge_subject\n";
    }
    location /alumni/ {
        badge_require on;
        badge_trusted_issuer $TEST_NGINX_DIDJWK;
        add_header X-Subject $badge_subject always;
        add_header X-Achievement $badge_achievement always;
        add_header X-Verified $badge_verified always;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend/;
        proxy_set_header X-Badge-Subject $badge_subject;
    }
--- more_headers
Authorization: Bearer $TEST_NGINX_JWT
--- request
GET /alumni/
--- error_code: 200
--- response_headers
X-Subject: did:example:holder
X-Achievement: https://example.ac.jp/achievements/dx
X-Verified: 1
!X-Badge-Error
--- response_body
welcome did:example:holder
--- no_error_log
[error]
[crit]
[alert]



=== TEST 3: a valid credential from an issuer nobody trusts here: 403
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /backend/ {
        return 200 "welcome $http_x_badge_subject\n";
    }
    location /alumni/ {
        badge_require on;
        badge_trusted_issuer did:web:university.example;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend/;
    }
--- more_headers
Authorization: Bearer $TEST_NGINX_JWT
--- request
GET /alumni/
--- error_code: 403
--- response_headers
X-Badge-Error: issuer_unknown
--- no_error_log
[error]
[crit]
[alert]



=== TEST 4: a tampered credential: 401 signature_invalid
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /backend/ {
        return 200 "welcome $http_x_badge_subject\n";
    }
    location /alumni/ {
        badge_require on;
        badge_trusted_issuer $TEST_NGINX_DIDJWK;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend/;
    }
--- more_headers
Authorization: Bearer $TEST_NGINX_JWT_TAMPERED
--- request
GET /alumni/
--- error_code: 401
--- response_headers
X-Badge-Error: signature_invalid
--- no_error_log
[error]
[crit]
[alert]



=== TEST 5: garbage: 401, never 500
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /backend/ {
        return 200 "welcome $http_x_badge_subject\n";
    }
    location /alumni/ {
        badge_require on;
        badge_trusted_issuer $TEST_NGINX_DIDJWK;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend/;
    }
--- more_headers
Authorization: Bearer not.a.jwt
--- request
GET /alumni/
--- error_code: 401
--- response_headers_like
X-Badge-Error: \w+
--- no_error_log
[error]
[crit]
[alert]



=== TEST 6: badge_require_achievement: another achievement is 403
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /backend/ {
        return 200 "welcome $http_x_badge_subject\n";
    }
    location /phd/ {
        badge_require on;
        badge_trusted_issuer $TEST_NGINX_DIDJWK;
        badge_require_achievement https://example.ac.jp/achievements/phd;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend/;
    }
--- more_headers
Authorization: Bearer $TEST_NGINX_JWT
--- request
GET /phd/
--- error_code: 403
--- response_headers
X-Badge-Error: achievement_not_allowed
--- no_error_log
[error]
[crit]
[alert]



=== TEST 7: badge_require_achievement: one of several
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /backend/ {
        return 200 "welcome $http_x_badge_subject\n";
    }
    location /dx/ {
        badge_require on;
        badge_trusted_issuer $TEST_NGINX_DIDJWK;
        badge_require_achievement https://example.ac.jp/achievements/phd
                                  https://example.ac.jp/achievements/dx;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend/;
    }
--- more_headers
Authorization: Bearer $TEST_NGINX_JWT
--- request
GET /dx/
--- error_code: 200
--- response_body_like: ^welcome



=== TEST 8: badge_require_issuer narrows the trusted issuers
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /backend/ {
        return 200 "welcome $http_x_badge_subject\n";
    }
    location /alumni/ {
        badge_require on;
        badge_trusted_issuer $TEST_NGINX_DIDJWK did:web:university.example;
        badge_require_issuer did:web:university.example;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend/;
    }
--- more_headers
Authorization: Bearer $TEST_NGINX_JWT
--- request
GET /alumni/
--- error_code: 403
--- response_headers
X-Badge-Error: issuer_not_allowed



=== TEST 9: badge_credential_from cookie:
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /backend/ {
        return 200 "welcome $http_x_badge_subject\n";
    }
    location /alumni/ {
        badge_require on;
        badge_credential_from cookie:badge;
        badge_trusted_issuer $TEST_NGINX_DIDJWK;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend/;
    }
--- more_headers
Cookie: theme=dark; badge=$TEST_NGINX_JWT
--- request
GET /alumni/
--- error_code: 200
--- response_body_like: ^welcome



=== TEST 10: badge_credential_from: the first source present wins; a header
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /backend/ {
        return 200 "welcome $http_x_badge_subject\n";
    }
    location /alumni/ {
        badge_require on;
        badge_credential_from arg:badge header:X-Badge;
        badge_trusted_issuer $TEST_NGINX_DIDJWK;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend/;
    }
--- more_headers
X-Badge: $TEST_NGINX_JWT
--- request
GET /alumni/
--- error_code: 200



=== TEST 11: the Authorization header is not read when other sources are set
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /backend/ {
        return 200 "welcome $http_x_badge_subject\n";
    }
    location /alumni/ {
        badge_require on;
        badge_credential_from cookie:badge;
        badge_trusted_issuer $TEST_NGINX_DIDJWK;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend/;
    }
--- more_headers
Authorization: Bearer $TEST_NGINX_JWT
--- request
GET /alumni/
--- error_code: 401
--- response_headers
X-Badge-Error: no_credential



=== TEST 12: arg: source, %-encoded
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /backend/ {
        return 200 "welcome $http_x_badge_subject\n";
    }
    location /alumni/ {
        badge_require on;
        badge_credential_from arg:badge;
        badge_trusted_issuer $TEST_NGINX_DIDJWK;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend/;
    }
--- request eval
my $jwt = main::fixture("didjwk.jwt");
$jwt =~ s/\./%2E/g;
"GET /alumni/?x=1&badge=$jwt"
--- error_code: 200



=== TEST 13: the gate fetches the did:web DID document with subrequests
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /backend/ {
        return 200 "welcome $http_x_badge_subject\n";
    }
    location /alumni/ {
        badge_require on;
        badge_trusted_issuer did:web:issuer.example;
        badge_require_achievement https://issuer.example/achievements/dx;
        badge_fetch /_badge_fetch;
        badge_fetch_allow_private on;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend/;
        proxy_set_header X-Badge-Subject $badge_issuer;
    }
    location = /_badge_fetch {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT$badge_fetch_uri;
        proxy_set_header Host $badge_fetch_host;
    }
    location /.well-known/ {
        alias $TEST_NGINX_REPO/t/vectors/nginx/;
    }
    location = /status/1 {
        alias $TEST_NGINX_REPO/t/vectors/nginx/status-1.jwt;
        default_type application/vc+jwt;
    }
--- more_headers
Authorization: Bearer $TEST_NGINX_JWT_DIDWEB
--- request
GET /alumni/
--- error_code: 200
--- response_body
welcome did:web:issuer.example
--- no_error_log
[error]
[crit]
[alert]



=== TEST 14: ... and a gated static file and proxy_set_header see the variables
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- http_config
    map $badge_achievement $badge_course {
        default                                 other;
        https://issuer.example/achievements/dx  dx;
    }
--- config
    location /alumni/ {
        badge_require on;
        badge_trusted_issuer did:web:issuer.example;
        badge_fetch /_badge_fetch;
        badge_fetch_allow_private on;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend/;
        proxy_set_header X-Badge-Subject $badge_subject;
        proxy_set_header X-Badge-Course $badge_course;
    }
    location /backend/ {
        return 200 "backend: $http_x_badge_subject $http_x_badge_course\n";
    }
    location = /_badge_fetch {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT$badge_fetch_uri;
    }
    location /.well-known/ {
        alias $TEST_NGINX_REPO/t/vectors/nginx/;
    }
    location = /status/1 {
        alias $TEST_NGINX_REPO/t/vectors/nginx/status-1.jwt;
        default_type application/vc+jwt;
    }
--- more_headers
Authorization: Bearer $TEST_NGINX_JWT_DIDWEB
--- request
GET /alumni/page
--- error_code: 200
--- response_body
backend: did:example:holder dx



=== TEST 15: the gate without its DID document: 401, the key is unchecked
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /backend/ {
        return 200 "welcome $http_x_badge_subject\n";
    }
    location /alumni/ {
        badge_require on;
        badge_trusted_issuer did:web:issuer.example;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend/;
    }
--- more_headers
Authorization: Bearer $TEST_NGINX_JWT_DIDWEB
--- request
GET /alumni/
--- error_code: 401
--- response_headers
X-Badge-Error: fetch_failed



=== TEST 16: $badge_error survives error_page
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /backend/ {
        return 200 "welcome $http_x_badge_subject\n";
    }
    location /alumni/ {
        error_page 401 = /denied;
        badge_require on;
        badge_trusted_issuer $TEST_NGINX_DIDJWK;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend/;
    }
    location = /denied {
        return 401 "denied: $badge_error v=$badge_verified\n";
    }
--- more_headers
Authorization: Bearer $TEST_NGINX_JWT_TAMPERED
--- request
GET /alumni/
--- error_code: 401
--- response_body
denied: signature_invalid v=0



=== TEST 17: badge_require off in a nested location
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /backend/ {
        return 200 "welcome $http_x_badge_subject\n";
    }
    location /alumni/ {
        badge_require on;
        badge_trusted_issuer $TEST_NGINX_DIDJWK;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend/;

        location /alumni/public/ {
            badge_require off;
            proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend/;
        }
    }
--- request
GET /alumni/public/x
--- error_code: 200
--- response_body
welcome 



=== TEST 18: a gate that trusts nobody admits nobody (and warns at startup)
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /backend/ {
        return 200 "welcome $http_x_badge_subject\n";
    }
    location /alumni/ {
        badge_require on;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend/;
    }
--- more_headers
Authorization: Bearer $TEST_NGINX_JWT
--- request
GET /alumni/
--- error_code: 403
--- response_headers
X-Badge-Error: issuer_unknown



=== TEST 19: a revoked credential from a trusted issuer: 401 status_revoked
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /backend/ {
        return 200 "welcome\n";
    }
    location /alumni/ {
        error_page 401 = /denied;
        badge_require on;
        badge_trusted_issuer did:web:issuer.example;
        badge_fetch /_badge_fetch;
        badge_fetch_allow_private on;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend/;
    }
    location = /denied {
        return 401 "denied: $badge_error status=$badge_status\n";
    }
    location = /_badge_fetch {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT$badge_fetch_uri;
    }
    location /.well-known/ {
        alias $TEST_NGINX_REPO/t/vectors/nginx/;
    }
    location = /status/1 {
        alias $TEST_NGINX_REPO/t/vectors/nginx/status-1.jwt;
        default_type application/vc+jwt;
    }
--- more_headers
Authorization: Bearer $TEST_NGINX_JWT_REVOKED
--- request
GET /alumni/
--- error_code: 401
--- response_body
denied: status_revoked status=revoked
--- error_log
badge: access denied (401): status_revoked
--- no_error_log
[error]
[crit]
[alert]



=== TEST 20: revoked, from an issuer this location does not trust: 403 issuer_unknown (the first failing check decides)
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /backend/ {
        return 200 "welcome\n";
    }
    location /alumni/ {
        badge_require on;
        badge_trusted_issuer did:web:other.example;
        badge_fetch /_badge_fetch;
        badge_fetch_allow_private on;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend/;
    }
    location = /_badge_fetch {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT$badge_fetch_uri;
    }
    location /.well-known/ {
        alias $TEST_NGINX_REPO/t/vectors/nginx/;
    }
    location = /status/1 {
        alias $TEST_NGINX_REPO/t/vectors/nginx/status-1.jwt;
        default_type application/vc+jwt;
    }
--- more_headers
Authorization: Bearer $TEST_NGINX_JWT_REVOKED
--- request
GET /alumni/
--- error_code: 403
--- response_headers
X-Badge-Error: issuer_unknown
--- no_error_log
[error]
