# badge-verify for browsers: when Accept prefers text/html, the HTML
# verify page of the core (src/verify_page.h) instead of the JSON report:
# the empty form, the result of a verification above the form, or the
# error (415, 413...) with its status.  Programs (curl's Accept: */*, or
# application/json) still get JSON.
use Test::Badge::Apache 'no_plan';

our $jwt = Test::Badge::Apache::vector("shared/vc-jwt-eddsa-didjwk.jwt") =~ s/\s+//gr;
our $tampered = Test::Badge::Apache::vector("shared/vc-jwt-tampered.jwt") =~ s/\s+//gr;
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
