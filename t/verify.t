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

# multipart/form-data bodies, as a browser sends the verify page's form
sub main::multipart {
    my @parts = @_;
    my $b = "----badgeFormBoundary7MA4YWxk";
    my $body = "";
    while (my ($name, $value) = splice @parts, 0, 2) {
        my $file = "";
        if (ref $value) {
            ($file, $value) = ("; filename=\"$value->[0]\"\r\nContent-Type: $value->[1]", $value->[2]);
        }
        $body .= "--$b\r\nContent-Disposition: form-data; name=\"$name\"$file\r\n\r\n$value\r\n";
    }
    return "$body--$b--\r\n";
}

# a credential whose every name is markup (no proof: it does not verify,
# but its names are shown)
$ENV{TEST_NGINX_XSS} = '{"@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"], "id": "urn:uuid:6b0f3c1e-8d0a-4a53-9a43-6e5c8b3a1d02\"><script>alert(2)</script>", "type": ["VerifiableCredential", "OpenBadgeCredential"], "issuer": {"id": "did:web:evil.example", "type": ["Profile"], "name": "<script>alert(1)</script>"}, "validFrom": "2024-01-01T00:00:00Z", "name": "<script>alert(1)</script>", "credentialSubject": {"type": ["AchievementSubject"], "achievement": {"id": "https://evil.example/a", "type": ["Achievement"], "name": "<script>alert(1)</script>", "description": "x", "criteria": {"narrative": "x"}}}}';

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



=== TEST 27: a browser's GET: the verify page, an empty form, with CSP
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
    }
--- more_headers
Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8
--- request
GET /verify
--- error_code: 200
--- response_headers
Content-Type: text/html; charset=utf-8
Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'
X-Content-Type-Options: nosniff
Cache-Control: no-store
Vary: Accept, Accept-Language
--- response_body_like: (?s)^<!DOCTYPE html>\n<html lang="en">(?=.*<title>Verify a badge or credential</title>)(?=.*<main id="main">)(?=.*<form id="verify-form" method="post" action="/verify\?lang=en" enctype="multipart/form-data")(?=.*<label for="credential">)(?=.*<textarea id="credential" name="credential")(?=.*<label for="file">)(?=.*<input type="file" id="file" name="file")(?=.*<label for="url">)(?=.*<input type="url" id="url" name="url")(?=.*<button type="submit">Verify</button>)
--- response_body_unlike: <script|id="result"
--- no_error_log
[error]



=== TEST 28: the page in Japanese: Accept-Language
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
    }
--- more_headers
Accept: text/html
Accept-Language: ja,en-US;q=0.8
--- request
GET /verify
--- error_code: 200
--- response_body_like: (?s)<html lang="ja">.*<title>バッジ・証明書の検証</title>.*action="/verify\?lang=ja".*<button type="submit">検証する</button>



=== TEST 29: ?lang=en wins over Accept-Language
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
    }
--- more_headers
Accept: text/html
Accept-Language: ja
--- request
GET /verify?lang=en
--- error_code: 200
--- response_body_like: <html lang="en">



=== TEST 30: a program's GET (Accept: */*) still gets JSON
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
    }
--- more_headers
Accept: */*
--- request
GET /verify
--- error_code: 400
--- response_headers
Content-Type: application/json; charset=utf-8
--- response_body_like: "code":"input_empty"



=== TEST 31: the form posted (multipart, pasted credential): the result, check by check
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
    }
--- more_headers
Accept: text/html
Content-Type: multipart/form-data; boundary=----badgeFormBoundary7MA4YWxk
--- request eval
"POST /verify?lang=en\n" . main::multipart(lang => "en", credential => main::fixture("didjwk.jwt"), file => ["", "application/octet-stream", ""], url => "")
--- error_code: 200
--- response_headers
Content-Type: text/html; charset=utf-8
--- response_body_like: (?s)<section aria-labelledby="result-h" id="result">.*<div class="verdict pass" role="status" data-status="verified">.*<strong>Verified</strong>.*<dt>Achievement</dt><dd>DX講座修了 <code>https://example.ac.jp/achievements/dx</code></dd>.*<li data-check="signature" data-status="pass"><span class="sym pass" aria-hidden="true">✓</span><span class="vh">passed: </span><div><span class="check-name">Signature</span> <code>signature_valid</code><div class="msg">[^<]+</div>.*<form id="verify-form"
--- no_error_log
[error]



=== TEST 32: an uploaded file (multipart, tampered), in Japanese: ✗ for the signature
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
    }
--- more_headers
Accept: text/html
Content-Type: multipart/form-data; boundary=----badgeFormBoundary7MA4YWxk
--- request eval
"POST /verify?lang=ja\n" . main::multipart(lang => "ja", credential => "", file => ["badge.jwt", "application/octet-stream", main::fixture("didjwk-tampered.jwt")], url => "")
--- error_code: 200
--- response_body_like: (?s)<html lang="ja">.*<div class="verdict fail" role="status" data-status="not_verified">.*<strong>検証できませんでした</strong>.*<li data-check="signature" data-status="fail"><span class="sym fail" aria-hidden="true">✗</span><span class="vh">失敗: </span><div><span class="check-name">署名</span> <code>signature_invalid</code>



=== TEST 33: markup in the credential is shown escaped, never run
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
    }
--- more_headers
Accept: text/html
Content-Type: multipart/form-data; boundary=----badgeFormBoundary7MA4YWxk
--- request eval
"POST /verify\n" . main::multipart(credential => $ENV{TEST_NGINX_XSS})
--- error_code: 200
--- response_body_like: (?s)<dt>Achievement</dt><dd>&lt;script&gt;alert\(1\)&lt;/script&gt; <code>.*<dt>Issuer</dt><dd>&lt;script&gt;alert\(1\)&lt;/script&gt; <code>did:web:evil.example</code>.*<dd>urn:uuid:6b0f3c1e-8d0a-4a53-9a43-6e5c8b3a1d02&quot;&gt;&lt;script&gt;alert\(2\)&lt;/script&gt;</dd>
--- response_body_unlike: <script



=== TEST 34: the URL field is shown back escaped; a refused URL is a 400 page
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
    }
--- more_headers
Accept: text/html
Content-Type: multipart/form-data; boundary=----badgeFormBoundary7MA4YWxk
--- request eval
"POST /verify\n" . main::multipart(credential => " \r\n", url => 'https://10.0.0.1/"><script>alert(3)</script>')
--- error_code: 400
--- response_body_like: (?s)<li data-status="fail">.*<code>url_refused</code>.*<input type="url" id="url" name="url" [^>]*value="https://10.0.0.1/&quot;&gt;&lt;script&gt;alert\(3\)&lt;/script&gt;">
--- response_body_unlike: <script



=== TEST 35: an empty form posted by a browser: a 400 page saying so
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
    }
--- more_headers
Accept: text/html
Content-Type: multipart/form-data; boundary=----badgeFormBoundary7MA4YWxk
--- request eval
"POST /verify\n" . main::multipart(lang => "en", credential => "", file => ["", "application/octet-stream", ""], url => "")
--- error_code: 400
--- response_headers
Content-Type: text/html; charset=utf-8
--- response_body_like: (?s)<div class="verdict fail" role="alert" data-status="error">.*<code>input_empty</code>



=== TEST 36: multipart from a program (curl -F credential=@badge.jwt): JSON
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
    }
--- more_headers
Content-Type: multipart/form-data; boundary=----badgeFormBoundary7MA4YWxk
--- request eval
"POST /verify\n" . main::multipart(credential => ["badge.jwt", "application/octet-stream", main::fixture("didjwk.jwt")])
--- error_code: 200
--- response_body_like: ^\{\n  "verified": true,



=== TEST 37: a multipart body without its closing boundary: 400 form_bad_encoding
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
    }
--- more_headers
Content-Type: multipart/form-data; boundary=----badgeFormBoundary7MA4YWxk
--- request eval
"POST /verify\n------badgeFormBoundary7MA4YWxk\r\nContent-Disposition: form-data; name=\"credential\"\r\n\r\n" . main::fixture("didjwk.jwt")
--- error_code: 400
--- response_body_like: "code":"form_bad_encoding"



=== TEST 38: a multipart Content-Type without a boundary: 400
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
    }
--- more_headers
Content-Type: multipart/form-data
--- request eval
"POST /verify\n" . main::multipart(credential => main::fixture("didjwk.jwt"))
--- error_code: 400
--- response_body_like: "code":"form_bad_encoding"



=== TEST 39: 17 parts are too many
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
    }
--- more_headers
Content-Type: multipart/form-data; boundary=----badgeFormBoundary7MA4YWxk
--- request eval
"POST /verify\n" . main::multipart((map { ("x$_" => "y") } 1 .. 16), credential => main::fixture("didjwk.jwt"))
--- error_code: 400
--- response_body_like: "code":"form_bad_encoding"



=== TEST 40: in Japanese each check reads in Japanese, the English detail beneath it
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
    }
--- more_headers
Accept: text/html
Content-Type: multipart/form-data; boundary=----badgeFormBoundary7MA4YWxk
--- request eval
"POST /verify?lang=ja\n" . main::multipart(lang => "ja", credential => main::fixture("didjwk.jwt"), file => ["", "application/octet-stream", ""], url => "")
--- error_code: 200
--- response_body_like: (?s)<html lang="ja">.*<code>signature_valid</code><div class="msg">署名は有効です。</div><div class="msg-detail" lang="en">the \w+ signature is valid</div>
--- response_body_unlike: <div class="msg">the



=== TEST 41: in Japanese, a failed check (a tampered signature) reads in Japanese
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
    }
--- more_headers
Accept: text/html
Content-Type: multipart/form-data; boundary=----badgeFormBoundary7MA4YWxk
--- request eval
"POST /verify?lang=ja\n" . main::multipart(lang => "ja", credential => main::fixture("didjwk-tampered.jwt"), file => ["", "application/octet-stream", ""], url => "")
--- error_code: 200
--- response_body_like: (?s)<li data-check="signature" data-status="fail">.*<code>signature_invalid</code><div class="msg">署名が無効です（改ざんされているか、別の鍵による署名です）。</div>



=== TEST 42: in Japanese, unchecked checks (a did:web without badge_fetch) read in Japanese; a fixed message has no English line
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
    }
--- more_headers
Accept: text/html
Content-Type: multipart/form-data; boundary=----badgeFormBoundary7MA4YWxk
--- request eval
"POST /verify?lang=ja\n" . main::multipart(lang => "ja", credential => main::fixture("didweb.jwt"), file => ["", "application/octet-stream", ""], url => "")
--- error_code: 200
--- response_body_like: (?s)<li data-check="signature" data-status="unchecked">.*<code>key_missing</code><div class="msg">鍵がないため、署名を確認できませんでした。</div>.*<code>issuer_unauthenticated</code><div class="msg">資格情報が認証されていないため、発行者は確認していません。</div></div></li>



=== TEST 43: the JSON report keeps its English messages under ?lang=ja
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
    }
--- more_headers
Accept: application/json
Content-Type: application/jwt
--- request eval
"POST /verify?lang=ja\n" . main::fixture("didjwk.jwt")
--- error_code: 200
--- response_body_like: "code": "signature_valid",\s+"message": "the \w+ signature is valid"
