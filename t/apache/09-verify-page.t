# badge-verify for browsers: when Accept prefers text/html, the HTML
# verify page of the core (src/verify_page.h) instead of the JSON report:
# the empty form, the result of a verification above the form, or the
# error (415, 413...) with its status.  Programs (curl's Accept: */*, or
# application/json) still get JSON.
use Test::Badge::Apache 'no_plan';

our $jwt = Test::Badge::Apache::vector("shared/vc-jwt-eddsa-didjwk.jwt") =~ s/\s+//gr;
our $tampered = Test::Badge::Apache::vector("shared/vc-jwt-tampered.jwt") =~ s/\s+//gr;
our $xss = '{"@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"], "id": "urn:uuid:6b0f3c1e-8d0a-4a53-9a43-6e5c8b3a1d02\\"><script>alert(2)</script>", "type": ["VerifiableCredential", "OpenBadgeCredential"], "issuer": {"id": "did:web:evil.example", "type": ["Profile"], "name": "<script>alert(1)</script>"}, "validFrom": "2024-01-01T00:00:00Z", "name": "<script>alert(1)</script>", "credentialSubject": {"type": ["AchievementSubject"], "achievement": {"id": "https://evil.example/a", "type": ["Achievement"], "name": "<script>alert(1)</script>", "description": "x", "criteria": {"narrative": "x"}}}}';
our $browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
our $conf = <<'EOF';
<Location /verify>
    SetHandler badge-verify
    BadgeFetch Off
</Location>
EOF

run_tests();

__DATA__

=== TEST 1: a browser's GET: the empty form, with the page's CSP
--- config eval: $main::conf
--- request
GET /verify
--- more_headers eval
"Accept: $main::browser"
--- error_code: 200
--- response_headers
Content-Type: text/html; charset=utf-8
Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'
X-Content-Type-Options: nosniff
Referrer-Policy: no-referrer
Cache-Control: no-store
--- response_headers_like
Vary: ^Accept,\s*Accept-Language$
--- response_body_like: (?s)<html lang="en">.*<form id="verify-form" method="post" action="/verify\?lang=en" enctype="multipart/form-data".*name="credential".*name="file".*name="url"
--- no_error_log
[error]

=== TEST 2: the same GET from a program: 400 JSON
--- config eval: $main::conf
--- request
GET /verify
--- more_headers
Accept: */*
--- error_code: 400
--- response_headers
Content-Type: application/json; charset=utf-8

=== TEST 3: the form posted (multipart, as the page sends it): the result above the form
--- config eval: $main::conf
--- request eval
"POST /verify?lang=en\n--f0rm\r\nContent-Disposition: form-data; name=\"lang\"\r\n\r\nen\r\n"
. "--f0rm\r\nContent-Disposition: form-data; name=\"credential\"\r\n\r\n$main::jwt\r\n"
. "--f0rm\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n\r\n"
. "--f0rm\r\nContent-Disposition: form-data; name=\"url\"\r\n\r\n\r\n--f0rm--\r\n"
--- more_headers eval
"Accept: $main::browser\nContent-Type: multipart/form-data; boundary=f0rm"
--- error_code: 200
--- response_headers
Content-Type: text/html; charset=utf-8
--- response_body_like: (?s)<section aria-labelledby="result-h".*data-status="verified".*DX講座修了.*<form id="verify-form"

=== TEST 4: an uploaded file
--- config eval: $main::conf
--- request eval
"POST /verify\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.jwt\"\r\nContent-Type: application/jwt\r\n\r\n$main::tampered\r\n--b--\r\n"
--- more_headers eval
"Accept: $main::browser\nContent-Type: multipart/form-data; boundary=b"
--- error_code: 200
--- response_body_like: (?s)data-status="not_verified".*signature_invalid

=== TEST 5: a urlencoded form, in Japanese
--- config eval: $main::conf
--- request eval
"POST /verify\ncredential=$main::jwt"
--- more_headers eval
"Accept: $main::browser\nAccept-Language: ja\nContent-Type: application/x-www-form-urlencoded"
--- error_code: 200
--- response_body_like: (?s)<html lang="ja">.*data-status="verified"

=== TEST 6: a refused request (415) is the page with the error, and the status
--- config eval: $main::conf
--- request
POST /verify
x
--- more_headers eval
"Accept: $main::browser\nContent-Type: text/html"
--- error_code: 415
--- response_headers
Content-Type: text/html; charset=utf-8
--- response_body_like: unsupported_media_type

=== TEST 7: garbage: 400, the page says what is wrong
--- config eval: $main::conf
--- request eval
"POST /verify\ncredential=hello"
--- more_headers eval
"Accept: $main::browser\nContent-Type: application/x-www-form-urlencoded"
--- error_code: 400
--- response_headers
Content-Type: text/html; charset=utf-8
--- response_body_like: (?s)<form id="verify-form"

=== TEST 8: a hostile URL is shown escaped
--- config eval: $main::conf
--- request
GET /verify?url=https%3A%2F%2Fx.example%2F%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E
--- more_headers eval
"Accept: $main::browser"
--- error_code: 400
--- response_body_like: ^(?s)(?!.*<script>alert).*&quot;&gt;&lt;script&gt;alert

=== TEST 9: Accept: application/json still gets JSON for a form post
--- config eval: $main::conf
--- request eval
"POST /verify\ncredential=$main::jwt"
--- more_headers
Accept: application/json
Content-Type: application/x-www-form-urlencoded
--- error_code: 200
--- response_headers
Content-Type: application/json; charset=utf-8
--- response_body_like: ^\{\s*"verified":\s*true

=== TEST 10: the page in Japanese by Accept-Language (nginx: verify.t TEST 28)
--- config eval: $main::conf
--- request
GET /verify
--- more_headers
Accept: text/html
Accept-Language: ja,en-US;q=0.8
--- error_code: 200
--- response_body_like: (?s)<html lang="ja">.*<title>バッジ・証明書の検証</title>.*action="/verify\?lang=ja".*<button type="submit">検証する</button>

=== TEST 11: ?lang=en wins over Accept-Language (nginx: verify.t TEST 29)
--- config eval: $main::conf
--- request
GET /verify?lang=en
--- more_headers
Accept: text/html
Accept-Language: ja
--- error_code: 200
--- response_body_like: <html lang="en">

=== TEST 12: markup in the credential is shown escaped, never run (nginx: verify.t TEST 33)
--- config eval: $main::conf
--- request eval
"POST /verify\n--b\r\nContent-Disposition: form-data; name=\"credential\"\r\n\r\n$main::xss\r\n--b--\r\n"
--- more_headers eval
"Accept: text/html\nContent-Type: multipart/form-data; boundary=b"
--- error_code: 200
--- response_body_like: ^(?s)(?!.*<script).*<dt>Achievement</dt><dd>&lt;script&gt;alert\(1\)&lt;/script&gt; <code>.*<dt>Issuer</dt><dd>&lt;script&gt;alert\(1\)&lt;/script&gt; <code>did:web:evil.example</code>.*&quot;&gt;&lt;script&gt;alert\(2\)&lt;/script&gt;

=== TEST 13: the URL field is shown back escaped; a refused URL is a 400 page (nginx: verify.t TEST 34)
--- config eval: $main::conf
--- request eval
"POST /verify\n--b\r\nContent-Disposition: form-data; name=\"credential\"\r\n\r\n \r\n\r\n--b\r\nContent-Disposition: form-data; name=\"url\"\r\n\r\nhttps://10.0.0.1/\"><script>alert(3)</script>\r\n--b--\r\n"
--- more_headers eval
"Accept: text/html\nContent-Type: multipart/form-data; boundary=b"
--- error_code: 400
--- response_body_like: ^(?s)(?!.*<script).*<code>url_refused</code>.*<input type="url" id="url" name="url" [^>]*value="https://10.0.0.1/&quot;&gt;&lt;script&gt;alert\(3\)&lt;/script&gt;">

=== TEST 14: an empty form posted by a browser: a 400 page saying so (nginx: verify.t TEST 35)
--- config eval: $main::conf
--- request eval
"POST /verify\n--b\r\nContent-Disposition: form-data; name=\"lang\"\r\n\r\nen\r\n--b\r\nContent-Disposition: form-data; name=\"credential\"\r\n\r\n\r\n--b\r\nContent-Disposition: form-data; name=\"url\"\r\n\r\n\r\n--b--\r\n"
--- more_headers eval
"Accept: text/html\nContent-Type: multipart/form-data; boundary=b"
--- error_code: 400
--- response_headers
Content-Type: text/html; charset=utf-8
--- response_body_like: (?s)data-status="error">.*<code>input_empty</code>

