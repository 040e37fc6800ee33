# badge_verify: the JSON endpoint, its input rules and its error answers.
# Fixtures: t/vectors/nginx (see gen.js there).

use Cwd ();
use Test::Nginx::Socket 'no_plan';

repeat_each(1);
no_shuffle();
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

run_tests();

__DATA__

=== TEST 1: a valid VC-JWT (did:jwk, ES256) verifies
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
    }
--- more_headers
Content-Type: application/jwt
--- request eval
"POST /verify\n" . main::fixture("didjwk.jwt")
--- error_code: 200
--- response_headers
Content-Type: application/json; charset=utf-8
Cache-Control: no-store
--- response_body_like: ^\{\n  "verified": true,\n  "status": "verified",\n  "format": "[^"]+"
--- no_error_log
[error]
[crit]
[alert]



=== TEST 2: the report names the achievement and the issuer
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
    }
--- more_headers
Content-Type: application/jwt
--- request eval
"POST /verify\n" . main::fixture("didjwk.jwt")
--- error_code: 200
--- response_body_like: "achievement": "https://example\.ac\.jp/achievements/dx".*"check": "signature",\n\s+"status": "pass"



=== TEST 3: a tampered payload: 200, not verified, signature_invalid
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
    }
--- more_headers
Content-Type: application/jwt
--- request eval
"POST /verify\n" . main::fixture("didjwk-tampered.jwt")
--- error_code: 200
--- response_body_like: ^\{\n  "verified": false,.*"code": "signature_invalid"
--- no_error_log
[error]
[crit]
[alert]



=== TEST 4: alg none is refused
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
    }
--- more_headers
Content-Type: application/jwt
--- request eval
"POST /verify\n" . main::fixture("alg-none.jwt")
--- error_code: 200
--- response_body_like: "verified": false,.*"check": "signature",\n\s+"status": "fail",\n\s+"code": "alg_none"
--- no_error_log
[error]
[crit]
[alert]



=== TEST 5: HS256 (an HMAC keyed with the public key) is refused
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
    }
--- more_headers
Content-Type: application/jwt
--- request eval
"POST /verify\n" . main::fixture("hs256.jwt")
--- error_code: 200
--- response_body_like: "verified": false,.*"status": "fail",\n\s+"code": "alg_forbidden"
--- no_error_log
[error]
[crit]
[alert]



=== TEST 6: an RSA key used with alg ES256 is refused
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
    }
--- more_headers
Content-Type: application/jwt
--- request eval
"POST /verify\n" . main::fixture("rsa-as-es256.jwt")
--- error_code: 200
--- response_body_like: "verified": false,.*"code": "alg_key_mismatch"
--- no_error_log
[error]
[crit]
[alert]



=== TEST 7: an expired credential: 200, status expired
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
    }
--- more_headers
Content-Type: application/jwt
--- request eval
"POST /verify\n" . main::fixture("didjwk-expired.jwt")
--- error_code: 200
--- response_body_like: "verified": false,\n  "status": "expired"



=== TEST 8: garbage: 400 with the report's errors
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
    }
--- more_headers
Content-Type: text/plain
--- request
POST /verify
this is not a credential
--- error_code: 400
--- response_headers
Content-Type: application/json; charset=utf-8
--- response_body_like: "verified": false,.*"errors": \[\n\s+\{\n\s+"code": "input_unrecognized"
--- no_error_log
[error]
[crit]
[alert]



=== TEST 9: broken JSON: 400 naming the problem
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
    }
--- more_headers
Content-Type: application/json
--- request
POST /verify
{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": 
--- error_code: 400
--- response_body_like: "errors": \[\n\s+\{\n\s+"code": "json_\w+"
--- no_error_log
[error]
[crit]
[alert]



=== TEST 10: a JSON array is not a credential: 400
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
    }
--- more_headers
Content-Type: application/json
--- request
POST /verify
[1, 2, 3]
--- error_code: 400
--- response_body_like: "verified": false,.*"errors": \[\n\s+\{\n\s+"code": "input_\w+"



=== TEST 11: empty body: 400 input_empty
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
    }
--- more_headers
Content-Type: application/jwt
--- request
POST /verify
--- error_code: 400
--- response_body
{"verified":false,"errors":[{"code":"input_empty","message":"nothing to verify: the request body is empty"}]}
--- no_error_log
[error]
[crit]
[alert]



=== TEST 12: a body over badge_max_input (Content-Length): 413 in JSON
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_max_input 1k;
        badge_verify;
    }
--- more_headers
Content-Type: application/jwt
--- request eval
"POST /verify\n" . main::fixture("didjwk.jwt")
--- error_code: 413
--- response_headers
Content-Type: application/json; charset=utf-8
--- response_body_like: ^\{"verified":false,"errors":\[\{"code":"input_too_large","message":"[^"]+"\}\]\}$
--- error_log
is over badge_max_input 1024
--- no_error_log
[error]
[crit]
[alert]



=== TEST 13: a chunked body over badge_max_input: 413 as well
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_max_input 16;
        badge_verify;
    }
--- raw_request eval
"POST /verify HTTP/1.1\r
Host: localhost\r
Connection: close\r
Content-Type: text/plain\r
Transfer-Encoding: chunked\r
\r
10\r
0123456789abcdef\r
4\r
more\r
0\r
\r
"
--- error_code: 413
--- response_body_like: "code":"input_too_large"
--- no_error_log
[error]
[crit]
[alert]



=== TEST 14: wrong method: 405 with Allow
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
    }
--- request
PUT /verify
xyz
--- error_code: 405
--- response_headers
Allow: GET, HEAD, POST
Content-Type: application/json; charset=utf-8
--- response_body_like: ^\{"verified":false,"errors":\[\{"code":"method_not_allowed",
--- no_error_log
[error]
[crit]
[alert]



=== TEST 15: wrong content type: 415
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
    }
--- more_headers
Content-Type: text/html
--- request
POST /verify
<p>hello</p>
--- error_code: 415
--- response_body_like: ^\{"verified":false,"errors":\[\{"code":"unsupported_media_type",
--- no_error_log
[error]
[crit]
[alert]



=== TEST 16: a form with credential=
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
    }
--- more_headers
Content-Type: application/x-www-form-urlencoded
--- request eval
"POST /verify\nlang=en&credential=" . main::fixture("didjwk.jwt") . "&x=1"
--- error_code: 200
--- response_body_like: ^\{\n  "verified": true,



=== TEST 17: a form without the credential field: 400
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
    }
--- more_headers
Content-Type: application/x-www-form-urlencoded
--- request
POST /verify
foo=bar&baz=1
--- error_code: 400
--- response_body_like: "code":"form_no_credential"



=== TEST 18: GET without ?url=: 400 in JSON
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
    }
--- request
GET /verify
--- error_code: 400
--- response_body_like: ^\{"verified":false,"errors":\[\{"code":"input_empty",



=== TEST 19: badge_trusted_issuer: the issuer check passes
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_trusted_issuer did:web:nobody.example;
        badge_trusted_issuer $TEST_NGINX_DIDJWK;
        badge_verify;
    }
--- more_headers
Content-Type: application/jwt
--- request eval
"POST /verify\n" . main::fixture("didjwk.jwt")
--- error_code: 200
--- response_body_like: "check": "issuer",\n\s+"status": "pass",\n\s+"code": "issuer_trusted"



=== TEST 20: badge_trusted_key: a configured key
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_trusted_key $TEST_NGINX_DIDJWK $TEST_NGINX_REPO/t/vectors/nginx/didjwk.pub.pem;
        badge_verify;
    }
--- more_headers
Content-Type: application/jwt
--- request eval
"POST /verify\n" . main::fixture("didjwk.jwt")
--- error_code: 200
--- response_body_like: "verified": true,.*"code": "issuer_trusted"



=== TEST 21: badge_require_trusted on: an unknown issuer fails
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_require_trusted on;
        badge_trusted_issuer did:web:nobody.example;
        badge_verify;
    }
--- more_headers
Content-Type: application/jwt
--- request eval
"POST /verify\n" . main::fixture("didjwk.jwt")
--- error_code: 200
--- response_body_like: "verified": false,.*"check": "issuer",\n\s+"status": "fail",\n\s+"code": "issuer_unknown"



=== TEST 22: the same location without it: a warning only
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_trusted_issuer did:web:nobody.example;
        badge_verify;
    }
--- more_headers
Content-Type: application/jwt
--- request eval
"POST /verify\n" . main::fixture("didjwk.jwt")
--- error_code: 200
--- response_body_like: "verified": true,.*"check": "issuer",\n\s+"status": "warn",\n\s+"code": "issuer_unknown"



=== TEST 23: a missing key file stops nginx at startup
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_trusted_key did:web:x.example /nonexistent/key.pem;
        badge_verify;
    }
--- must_die
--- error_log
/nonexistent/key.pem



=== TEST 24: a file that is no key stops nginx, naming it
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_trusted_key did:web:x.example $TEST_NGINX_REPO/t/vectors/nginx/gen.js;
        badge_verify;
    }
--- must_die
--- error_log
badge_trusted_key "did:web:x.example"



=== TEST 25: an issuer that is neither a DID nor a URL is refused
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_trusted_issuer example.com;
        badge_verify;
    }
--- must_die
--- error_log
invalid issuer "example.com"



=== TEST 26: HEAD: headers only
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
    }
--- request
HEAD /verify
--- error_code: 400
--- response_body:
