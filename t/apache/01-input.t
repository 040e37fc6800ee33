# badge-verify: what it accepts and how it refuses.  Every refusal is JSON
# {"verified":false,"errors":[{"code":...,"message":...}]}, never a 500,
# and nothing at crit (the runner checks the error log of every block).
use Test::Badge::Apache 'no_plan';

run_tests();

__DATA__

=== TEST 1: GET without ?url= is 400 input_empty, in JSON (nginx: verify.t TEST 18)
--- config
<Location /verify>
    SetHandler badge-verify
</Location>
--- request
GET /verify
--- error_code: 400
--- response_headers
Content-Type: application/json; charset=utf-8
Cache-Control: no-store
--- response_headers_like
Vary: ^Accept,\s*Accept-Language$
--- response_body
{"verified":false,"errors":[{"code":"input_empty","message":"nothing to verify: POST a credential, or GET with ?url=<credential URL>"}]}
--- no_error_log
[error]

=== TEST 2: PUT is 405 with Allow, in JSON
--- config
<Location /verify>
    SetHandler badge-verify
</Location>
--- request
PUT /verify
{"a":1}
--- more_headers
Content-Type: application/json
--- error_code: 405
--- response_headers
Allow: GET, HEAD, POST
Content-Type: application/json; charset=utf-8
--- response_body
{"verified":false,"errors":[{"code":"method_not_allowed","message":"use POST with the credential as the request body"}]}

=== TEST 3: an unsupported Content-Type is 415
--- config
<Location /verify>
    SetHandler badge-verify
</Location>
--- request
POST /verify
<html></html>
--- more_headers
Content-Type: text/html
--- error_code: 415
--- response_headers
Content-Type: application/json; charset=utf-8
--- response_body_like: ^\{"verified":false,"errors":\[\{"code":"unsupported_media_type","message":"(?:[^"\\]|\\.)+"\}\]\}$

=== TEST 4: a multipart/form-data form is read by the core: a broken one is 400
--- config
<Location /verify>
    SetHandler badge-verify
</Location>
--- request
POST /verify
--x
--- more_headers
Content-Type: multipart/form-data; boundary=x
--- error_code: 400
--- response_body_like: "code":"form_bad_encoding"

=== TEST 4b: multipart/form-data with the credential as the "file" upload
--- config
<Location /verify>
    SetHandler badge-verify
    BadgeFetch Off
</Location>
--- request eval
my $jwt = Test::Badge::Apache::vector("shared/vc-jwt-eddsa-didjwk.jwt") =~ s/\s+//gr;
"POST /verify\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"badge.jwt\"\r\n"
. "Content-Type: application/octet-stream\r\n\r\n$jwt\r\n--XyZ--\r\n"
--- more_headers
Content-Type: multipart/form-data; boundary=XyZ
--- error_code: 200
--- response_body_like: ^\{\s*"verified":\s*true

=== TEST 4c: multipart/form-data with the "credential" field
--- config
<Location /verify>
    SetHandler badge-verify
    BadgeFetch Off
</Location>
--- request eval
my $jwt = Test::Badge::Apache::vector("shared/vc-jwt-eddsa-didjwk.jwt") =~ s/\s+//gr;
"POST /verify\n--b1\r\nContent-Disposition: form-data; name=\"credential\"\r\n\r\n$jwt\r\n--b1--\r\n"
--- more_headers
Content-Type: multipart/form-data; boundary=b1
--- error_code: 200
--- response_body_like: ^\{\s*"verified":\s*true

=== TEST 5: an empty body is 400 input_empty
--- config
<Location /verify>
    SetHandler badge-verify
</Location>
--- request
POST /verify
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body
{"verified":false,"errors":[{"code":"input_empty","message":"nothing to verify: the request body is empty"}]}

=== TEST 6: white space only is 400 from the core, as JSON
--- config
<Location /verify>
    SetHandler badge-verify
</Location>
--- request eval
"POST /verify\n   \n\t\n"
--- more_headers
Content-Type: text/plain
--- error_code: 400
--- response_body_like: "verified":\s*false.*"errors":\s*\[\s*\{\s*"code":\s*"input_empty"

=== TEST 7: garbage is 400 naming the problem
--- config
<Location /verify>
    SetHandler badge-verify
</Location>
--- request
POST /verify
this is not a credential
--- more_headers
Content-Type: text/plain
--- error_code: 400
--- response_body_like: "verified":\s*false.*"errors":\s*\[\s*\{\s*"code":\s*"input_unrecognized",\s*"message":\s*"[^"]+"
--- error_log
the input is not a credential (input_unrecognized)
--- no_error_log
[error]

=== TEST 8: broken JSON is 400 with the parser's complaint
--- config
<Location /verify>
    SetHandler badge-verify
</Location>
--- request
POST /verify
{"@context": ["https://www.w3.org/2018/credentials/v1"], "type": 
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: "verified":\s*false.*"errors":\s*\[\s*\{\s*"code":\s*"json

=== TEST 9: binary garbage is 400, not a crash
--- config
<Location /verify>
    SetHandler badge-verify
</Location>
--- request eval
"POST /verify\n" . pack("C*", map { ($_ * 7919) % 256 } 0 .. 4095)
--- more_headers
Content-Type: application/octet-stream
--- error_code: 400
--- response_body_like: "verified":\s*false

=== TEST 10: over the default limit (1 MiB) by Content-Length: 413, JSON
--- config
<Location /verify>
    SetHandler badge-verify
</Location>
--- request eval
"POST /verify\n" . ("a" x (1024 * 1024 + 1))
--- more_headers
Content-Type: text/plain
--- error_code: 413
--- response_headers
Content-Type: application/json; charset=utf-8
Connection: close
--- response_body
{"verified":false,"errors":[{"code":"input_too_large","message":"the request body is larger than this server accepts"}]}

=== TEST 11: exactly the limit is read (and is garbage: 400, not 413)
--- config
<Location /verify>
    SetHandler badge-verify
    BadgeMaxInput 4K
</Location>
--- request eval
"POST /verify\n" . ("a" x 4096)
--- more_headers
Content-Type: text/plain
--- error_code: 400
--- response_body_like: "code":\s*"input_unrecognized"

=== TEST 12: BadgeMaxInput with a chunked body: 413 while reading
--- config
<Location /verify>
    SetHandler badge-verify
    BadgeMaxInput 100
</Location>
--- request eval
"POST /verify\n" . "80\r\n" . ("a" x 128) . "\r\n0\r\n\r\n"
--- more_headers
Content-Type: text/plain
Transfer-Encoding: chunked
--- error_code: 413
--- response_body_like: ^\{"verified":false,"errors":\[\{"code":"input_too_large"

=== TEST 13: a chunked body under the limit is read whole
--- config
<Location /verify>
    SetHandler badge-verify
</Location>
--- request eval
"POST /verify\n" . "5\r\nnot a\r\n7\r\n badge!\r\n0\r\n\r\n"
--- more_headers
Content-Type: text/plain
Transfer-Encoding: chunked
--- error_code: 400
--- response_body_like: "code":\s*"input_unrecognized"

=== TEST 14: a form without a credential field is 400
--- config
<Location /verify>
    SetHandler badge-verify
</Location>
--- request
POST /verify
name=alice&x=1
--- more_headers
Content-Type: application/x-www-form-urlencoded
--- error_code: 400
--- response_body
{"verified":false,"errors":[{"code":"form_no_credential","message":"the form has no \"credential\" field"}]}

=== TEST 15: a form with broken %-encoding is 400
--- config
<Location /verify>
    SetHandler badge-verify
</Location>
--- request
POST /verify
credential=%7B%zz
--- more_headers
Content-Type: application/x-www-form-urlencoded
--- error_code: 400
--- response_body_like: "code":"form_bad_encoding"

=== TEST 16: the form's credential field is decoded and handed to the core
--- config
<Location /verify>
    SetHandler badge-verify
</Location>
--- request
POST /verify
other=1&credential=%7B%22a%22%3A+1+%7D&z=2
--- more_headers
Content-Type: application/x-www-form-urlencoded; charset=UTF-8
--- response_body_like: "verified":\s*false
--- no_error_log
form_no_credential
input_unrecognized

=== TEST 17: the form's credential field holding garbage: the core's 400
--- config
<Location /verify>
    SetHandler badge-verify
</Location>
--- request
POST /verify
credential=hello+world
--- more_headers
Content-Type: application/x-www-form-urlencoded
--- error_code: 400
--- response_body_like: "code":\s*"input_unrecognized"

=== TEST 18: curl -d @badge.jwt (form type, raw JWT body) is taken as is
--- config
<Location /verify>
    SetHandler badge-verify
</Location>
--- request eval
"POST /verify\n" . Test::Badge::Apache::vector("shared/vc-jwt-tampered.jwt")
--- more_headers
Content-Type: application/x-www-form-urlencoded
--- error_code: 200
--- response_body_like: "verified":\s*false
--- no_error_log
form_no_credential

=== TEST 19: the report is application/json, nosniff, no-store
--- config
<Location /verify>
    SetHandler badge-verify
</Location>
--- request
POST /verify
x
--- error_code: 400
--- response_headers
Content-Type: application/json; charset=utf-8
X-Content-Type-Options: nosniff
Cache-Control: no-store

=== TEST 20: another handler's location is left alone
--- config
<Location /verify>
    SetHandler badge-verify
</Location>
Alias /plain "/etc/hostname"
--- request
GET /plain
--- error_code: 200
--- response_headers_like
Content-Type: ^(?!application/json)

=== TEST 21: Accept-Language ja: still JSON, the API's messages stay English (the code is the stable part; pages are Japanese)
--- config
<Location /verify>
    SetHandler badge-verify
</Location>
--- request
POST /verify
garbage
--- more_headers
Accept-Language: ja, en;q=0.5
--- error_code: 400
--- response_body_like: "verified":\s*false,.*"code":\s*"input_unrecognized",\s*"message":\s*"the input is not JSON

=== TEST 22: a JSON array is not a credential: 400 (nginx: verify.t TEST 10)
--- config
<Location /verify>
    SetHandler badge-verify
</Location>
--- request
POST /verify
[1, 2, 3]
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: "verified":\s*false,.*"errors":\s*\[\s*\{\s*"code":\s*"input_\w+"

=== TEST 23: HEAD: headers only (nginx: verify.t TEST 26)
--- config
<Location /verify>
    SetHandler badge-verify
</Location>
--- request
HEAD /verify
--- error_code: 400
--- response_body:

=== TEST 24: a multipart Content-Type without a boundary: 400 (nginx: verify.t TEST 38)
--- config
<Location /verify>
    SetHandler badge-verify
</Location>
--- request
POST /verify
--b\r\nContent-Disposition: form-data; name="credential"\r\n\r\nx\r\n--b--\r\n
--- more_headers
Content-Type: multipart/form-data
--- error_code: 400
--- response_body_like: "code":"form_bad_encoding"

=== TEST 25: 17 parts are too many (nginx: verify.t TEST 39)
--- config
<Location /verify>
    SetHandler badge-verify
</Location>
--- request eval
"POST /verify\n" . join('', map { "--b\r\nContent-Disposition: form-data; name=\"x$_\"\r\n\r\ny\r\n" } 1 .. 16)
. "--b\r\nContent-Disposition: form-data; name=\"credential\"\r\n\r\nx\r\n--b--\r\n"
--- more_headers
Content-Type: multipart/form-data; boundary=b
--- error_code: 400
--- response_body_like: "code":"form_bad_encoding"

