# Fetching: BADGE_NEED_DOCUMENTS becomes in-memory subrequests to the
# badge_fetch location.  The test server itself plays the issuer: every
# fetched URL is proxied to 127.0.0.1:$TEST_NGINX_SERVER_PORT with its path,
# so did:web:issuer.example resolves to t/vectors/nginx/did.json.

use Cwd ();
use Test::Nginx::Socket 'no_plan';

repeat_each(1);
no_shuffle();
log_level('debug');

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

run_tests();

__DATA__

=== TEST 1: did:web: the DID document is fetched, the credential verifies
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
        badge_fetch /_badge_fetch;
        badge_fetch_allow_private on;
    }
    location = /_badge_fetch {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT$badge_fetch_uri;
        proxy_set_header Host $badge_fetch_host;
        subrequest_output_buffer_size 64k;
    }
    location /.well-known/ {
        alias $TEST_NGINX_REPO/t/vectors/nginx/;
    }
    location = /status/1 {
        alias $TEST_NGINX_REPO/t/vectors/nginx/status-1.jwt;
        default_type application/vc+jwt;
    }
--- more_headers
Content-Type: application/jwt
--- request eval
"POST /verify\n" . main::fixture("didweb.jwt")
--- error_code: 200
--- response_body_like: ^\{\n  "verified": true,.*"check": "key",\n\s+"status": "pass"
--- error_log
badge fetch "https://issuer.example/.well-known/did.json" via "/_badge_fetch"
badge fetched "https://issuer.example/.well-known/did.json": 200, 579 bytes
--- no_error_log
[error]
[crit]
[alert]



=== TEST 2: the same through a server that is a private address: refused
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
        badge_fetch /_badge_fetch;
    }
    location = /_badge_fetch {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT$badge_fetch_uri;
        proxy_set_header Host $badge_fetch_host;
        subrequest_output_buffer_size 64k;
    }
    location /.well-known/ {
        alias $TEST_NGINX_REPO/t/vectors/nginx/;
    }
    location = /status/1 {
        alias $TEST_NGINX_REPO/t/vectors/nginx/status-1.jwt;
        default_type application/vc+jwt;
    }
--- more_headers
Content-Type: application/jwt
--- request eval
"POST /verify\n" . main::fixture("didweb.jwt")
--- error_code: 200
--- response_body_like: ^\{\n  "verified": false,.*"check": "key",\n\s+"status": "unchecked"
--- error_log
served from a loopback, private or link-local address
--- no_error_log
[error]
[crit]
[alert]



=== TEST 3: no badge_fetch: nothing is fetched, the key is unchecked
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
    }
--- more_headers
Content-Type: application/jwt
--- request eval
"POST /verify\n" . main::fixture("didweb.jwt")
--- error_code: 200
--- response_body_like: ^\{\n  "verified": false,.*"check": "key",\n\s+"status": "unchecked"
--- error_log
no badge_fetch here
--- no_error_log
[error]
[crit]
[alert]



=== TEST 4: the document server answers 404: unchecked, not a failure
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
        badge_fetch /_badge_fetch;
        badge_fetch_allow_private on;
    }
    location = /_badge_fetch {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/nowhere$badge_fetch_uri;
        subrequest_output_buffer_size 64k;
    }
--- more_headers
Content-Type: application/jwt
--- request eval
"POST /verify\n" . main::fixture("didweb.jwt")
--- error_code: 200
--- response_body_like: "verified": false,.*"check": "key",\n\s+"status": "unchecked",.*"message": "[^"]*HTTP 404
--- no_error_log
[crit]
[alert]



=== TEST 5: the document server is down: unchecked, no crash
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
        badge_fetch /_badge_fetch;
        badge_fetch_allow_private on;
    }
    location = /_badge_fetch {
        internal;
        proxy_pass http://127.0.0.1:1$badge_fetch_uri;
        proxy_connect_timeout 1s;
    }
--- more_headers
Content-Type: application/jwt
--- request eval
"POST /verify\n" . main::fixture("didweb.jwt")
--- error_code: 200
--- response_body_like: "verified": false,.*"check": "key",\n\s+"status": "unchecked"
--- error_log
badge: could not fetch "https://issuer.example/.well-known/did.json"
--- no_error_log
[crit]
[alert]



=== TEST 6: GET ?url=: the credential itself is fetched, then its issuer's DID
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
        badge_fetch /_badge_fetch;
        badge_fetch_allow_private on;
    }
    location = /_badge_fetch {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT$badge_fetch_uri;
        proxy_set_header Host $badge_fetch_host;
        subrequest_output_buffer_size 64k;
    }
    location /.well-known/ {
        alias $TEST_NGINX_REPO/t/vectors/nginx/;
    }
    location = /status/1 {
        alias $TEST_NGINX_REPO/t/vectors/nginx/status-1.jwt;
        default_type application/vc+jwt;
    }
    location /creds/ {
        alias $TEST_NGINX_REPO/t/vectors/nginx/;
    }
--- request
GET /verify?url=https%3A%2F%2Fissuer.example%2Fcreds%2Fdidweb.jwt
--- error_code: 200
--- response_body_like: ^\{\n  "verified": true,
--- error_log
badge fetched "https://issuer.example/creds/didweb.jwt": 200
badge fetched "https://issuer.example/.well-known/did.json": 200
badge round 1: 2 documents needed
--- no_error_log
[error]
[crit]
[alert]



=== TEST 7: a form with url=
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
        badge_fetch /_badge_fetch;
        badge_fetch_allow_private on;
    }
    location = /_badge_fetch {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT$badge_fetch_uri;
        subrequest_output_buffer_size 64k;
    }
    location /creds/ {
        alias $TEST_NGINX_REPO/t/vectors/nginx/;
    }
--- more_headers
Content-Type: application/x-www-form-urlencoded
--- request
POST /verify
url=https%3A%2F%2Fissuer.example%2Fcreds%2Fdidjwk.jwt
--- error_code: 200
--- response_body_like: ^\{\n  "verified": true,
--- no_error_log
[error]



=== TEST 8: proxy_pass $badge_fetch_url, plain http allowed by badge_fetch_allow_http
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
        badge_fetch /_badge_fetch;
        badge_fetch_allow_private on;
        badge_fetch_allow_http on;
    }
    location = /_badge_fetch {
        internal;
        proxy_pass $badge_fetch_url;
        subrequest_output_buffer_size 64k;
    }
    location /creds/ {
        alias $TEST_NGINX_REPO/t/vectors/nginx/;
    }
--- request
GET /verify?url=http://127.0.0.1:$TEST_NGINX_SERVER_PORT/creds/didjwk.jwt
--- error_code: 200
--- response_body_like: ^\{\n  "verified": true,
--- no_error_log
[error]



=== TEST 9: without badge_fetch_allow_http, an http URL is refused by the core
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
        badge_fetch /_badge_fetch;
        badge_fetch_allow_private on;
    }
    location = /_badge_fetch {
        internal;
        proxy_pass $badge_fetch_url;
    }
--- request
GET /verify?url=http://127.0.0.1:$TEST_NGINX_SERVER_PORT/creds/didjwk.jwt
--- error_code: 400
--- response_body_like: "verified": false,.*"errors": \[\n\s+\{\n\s+"code": "url_refused"
--- no_error_log
badge fetch "
[crit]
[alert]



=== TEST 10: a literal private address is refused by the core, before any fetch
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
        badge_fetch /_badge_fetch;
    }
    location = /_badge_fetch {
        internal;
        proxy_pass $badge_fetch_url;
    }
--- request
GET /verify?url=https://10.0.0.1/creds/didjwk.jwt
--- error_code: 400
--- response_body_like: "code": "url_refused"
--- no_error_log
badge fetch "
[crit]
[alert]



=== TEST 11: badge_document pins the DID document and the status list: verified offline
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_document https://issuer.example/.well-known/did.json $TEST_NGINX_REPO/t/vectors/nginx/did.json;
        badge_document https://issuer.example/status/1 $TEST_NGINX_REPO/t/vectors/nginx/status-1.jwt;
        badge_verify;
    }
--- more_headers
Content-Type: application/jwt
--- request eval
"POST /verify\n" . main::fixture("didweb.jwt")
--- error_code: 200
--- response_body_like: ^\{\n  "verified": true,
--- no_error_log
not fetching
badge fetch "
[error]



=== TEST 12: a document that arrives in many small buffers is put together
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
        badge_fetch /_badge_fetch;
        badge_fetch_allow_private on;
    }
    location = /_badge_fetch {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT$badge_fetch_uri;
        proxy_buffering off;
        proxy_buffer_size 512;
    }
    location /.well-known/ {
        alias $TEST_NGINX_REPO/t/vectors/nginx/;
    }
    location = /status/1 {
        alias $TEST_NGINX_REPO/t/vectors/nginx/status-1.jwt;
        default_type application/vc+jwt;
    }
--- more_headers
Content-Type: application/jwt
--- request eval
"POST /verify\n" . main::fixture("didweb.jwt")
--- error_code: 200
--- response_body_like: ^\{\n  "verified": true,
--- error_log
badge fetched "https://issuer.example/.well-known/did.json": 200, 579 bytes
--- no_error_log
[error]
[crit]
[alert]



=== TEST 13: a document over badge_fetch_max_size: unchecked
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
        badge_fetch /_badge_fetch;
        badge_fetch_allow_private on;
        badge_fetch_max_size 100;
    }
    location = /_badge_fetch {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT$badge_fetch_uri;
        subrequest_output_buffer_size 64k;
    }
    location /.well-known/ {
        alias $TEST_NGINX_REPO/t/vectors/nginx/;
    }
    location = /status/1 {
        alias $TEST_NGINX_REPO/t/vectors/nginx/status-1.jwt;
        default_type application/vc+jwt;
    }
--- more_headers
Content-Type: application/jwt
--- request eval
"POST /verify\n" . main::fixture("didweb.jwt")
--- error_code: 200
--- response_body_like: "verified": false,.*"check": "key",\n\s+"status": "unchecked"
--- error_log
is over badge_fetch_max_size (100)
--- no_error_log
[crit]
[alert]



=== TEST 14: the fetch is a clean GET: no client cookie, credentials or body
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
        badge_fetch /_badge_fetch;
        badge_fetch_allow_private on;
    }
    location = /_badge_fetch {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT$badge_fetch_uri;
        subrequest_output_buffer_size 64k;
    }
    location /.well-known/ {
        alias $TEST_NGINX_REPO/t/vectors/nginx/;
    }
    location = /status/1 {
        alias $TEST_NGINX_REPO/t/vectors/nginx/status-1.jwt;
        default_type application/vc+jwt;
    }
--- more_headers
Content-Type: application/jwt
Cookie: session=secret
Authorization: Basic c2VjcmV0
--- request eval
"POST /verify\n" . main::fixture("didweb.jwt")
--- error_code: 200
--- response_body_like: "verified": true
--- error_log eval
qr{http proxy header:\s*"GET /\.well-known/did\.json HTTP/1\.0\r\n}
--- no_error_log eval
["Cookie: session=secret\r", "Authorization: Basic c2VjcmV0\r", "Content-Length: 1313\r", "Content-Type: application/jwt\r", "[error]"]



=== TEST 15: a revoked credential: 200, verified false, status revoked
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
        badge_fetch /_badge_fetch;
        badge_fetch_allow_private on;
    }
    location = /_badge_fetch {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT$badge_fetch_uri;
        subrequest_output_buffer_size 64k;
    }
    location /.well-known/ {
        alias $TEST_NGINX_REPO/t/vectors/nginx/;
    }
    location = /status/1 {
        alias $TEST_NGINX_REPO/t/vectors/nginx/status-1.jwt;
        default_type application/vc+jwt;
    }
--- more_headers
Content-Type: application/jwt
--- request eval
"POST /verify\n" . main::fixture("didweb-revoked.jwt")
--- error_code: 200
--- response_body_like: ^\{\n  "verified": false,\n  "status": "revoked",.*"check": "status",\n\s+"status": "fail",\n\s+"code": "status_revoked"
--- error_log
badge fetched "https://issuer.example/status/1": 200
--- no_error_log
[error]
[crit]
[alert]



=== TEST 16: the same credential not revoked: the status check passes
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
        badge_fetch /_badge_fetch;
        badge_fetch_allow_private on;
    }
    location = /_badge_fetch {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT$badge_fetch_uri;
        subrequest_output_buffer_size 64k;
    }
    location /.well-known/ {
        alias $TEST_NGINX_REPO/t/vectors/nginx/;
    }
    location = /status/1 {
        alias $TEST_NGINX_REPO/t/vectors/nginx/status-1.jwt;
        default_type application/vc+jwt;
    }
--- more_headers
Content-Type: application/jwt
--- request eval
"POST /verify\n" . main::fixture("didweb.jwt")
--- error_code: 200
--- response_body_like: ^\{\n  "verified": true,\n  "status": "verified",.*"check": "status",\n\s+"status": "pass"
--- no_error_log
[error]



=== TEST 17: the DID document and the status list are fetched in one round, in parallel
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
        badge_fetch /_badge_fetch;
        badge_fetch_allow_private on;
    }
    location = /_badge_fetch {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT$badge_fetch_uri;
        subrequest_output_buffer_size 64k;
    }
    location /.well-known/ {
        alias $TEST_NGINX_REPO/t/vectors/nginx/;
    }
    location = /status/1 {
        alias $TEST_NGINX_REPO/t/vectors/nginx/status-1.jwt;
        default_type application/vc+jwt;
    }
--- more_headers
Content-Type: application/jwt
--- request eval
"POST /verify\n" . main::fixture("didweb.jwt")
--- error_code: 200
--- response_body_like: ^\{\n  "verified": true,
--- error_log eval
["badge round 0: 2 documents needed",
 "badge round 1: 2 subrequests in flight",
 qr/badge fetched "https:[^"]+": 200, \d+ bytes, 1 pending/,
 qr/badge fetched "https:[^"]+": 200, \d+ bytes, 0 pending/]
--- no_error_log
badge round 1: 2 documents needed
[error]



=== TEST 18: the status list server is down: the status is unchecked, not revoked
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
        badge_fetch /_badge_fetch;
        badge_fetch_allow_private on;
    }
    location = /_badge_fetch {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT$badge_fetch_uri;
        subrequest_output_buffer_size 64k;
    }
    location /.well-known/ {
        alias $TEST_NGINX_REPO/t/vectors/nginx/;
    }
    location = /status/1 {
        return 503;
    }
--- more_headers
Content-Type: application/jwt
--- request eval
"POST /verify\n" . main::fixture("didweb-revoked.jwt")
--- error_code: 200
--- response_body_like: "check": "status",\n\s+"status": "unchecked",\n\s+"code": "status_list_unavailable"
--- response_body_unlike: status_revoked
--- no_error_log
[crit]
[alert]
