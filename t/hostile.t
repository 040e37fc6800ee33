# Hostile inputs at the server level (docs/hostile-inputs.md): oversize
# headers and bodies, redirects to private addresses, and header injection
# through the exported variables.  Extra servers of the test listen on
# 127.0.0.1:3984 and 3985.  The core-level rows are t/unit/test_hostile.c.

use Cwd ();
use File::Temp ();
use Test::Nginx::Socket 'no_plan';

repeat_each(1);
no_shuffle();
log_level('info');

$ENV{TEST_NGINX_REPO} ||= Cwd::getcwd();
$ENV{TEST_NGINX_BADGE_MODULE} ||= "$ENV{TEST_NGINX_REPO}/build/ngx_http_badge_module.so";
my $badgectl = ($ENV{BADGE_BUILD} || "$ENV{TEST_NGINX_REPO}/build") . "/badgectl";

sub main::fixture {
    my $name = shift;
    my $f = "$ENV{TEST_NGINX_REPO}/t/vectors/nginx/$name";
    open my $fh, '<', $f or die "$f: $!";
    local $/;
    my $s = <$fh>;
    $s =~ s/\s+\z//;
    return $s;
}

# A credential signed here, by a did:key issuer, whose every exported
# field carries CR LF and markup.
my $dir = File::Temp::tempdir(CLEANUP => 1);
my $out = `$badgectl keygen --out $dir/key.pem 2>/dev/null`;
my ($did) = $out =~ /^did:key\s+(\S+)/m or die "badgectl keygen: $out";
my $evil = 'Evil\r\nX-Injected: 1\r\nSet-Cookie: session=stolen\r\n\r\n<script>alert(1)</script>';
open my $fh, '>', "$dir/cred.json" or die $!;
print $fh <<"JSON";
{"\@context": ["https://www.w3.org/ns/credentials/v2",
  "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
 "id": "urn:uuid:6b0f3c1e-8d0a-4a53-9a43-6e5c8b3a1d01\\r\\nX-Injected: 1",
 "type": ["VerifiableCredential", "OpenBadgeCredential"],
 "issuer": {"id": "$did", "type": ["Profile"], "name": "$evil"},
 "validFrom": "2024-01-01T00:00:00Z", "name": "$evil",
 "credentialSubject": {"id": "did:example:holder\\r\\nX-Injected: 1",
   "type": ["AchievementSubject"],
   "achievement": {"id": "https://example.org/a/1", "type": ["Achievement"],
     "name": "$evil", "criteria": {"narrative": "x"}}}}
JSON
close $fh;
$ENV{TEST_NGINX_EVIL_DID} = $did;
$ENV{TEST_NGINX_EVIL_JWT} =
    `$badgectl sign --key $dir/key.pem --format jwt $dir/cred.json`;
$ENV{TEST_NGINX_EVIL_JWT} =~ s/\s+\z//;
die "badgectl sign failed" unless $ENV{TEST_NGINX_EVIL_JWT} =~ /^[\w-]+\.[\w-]+\.[\w-]+$/;

$ENV{TEST_NGINX_DIDJWK} = main::fixture("didjwk.did");
$ENV{TEST_NGINX_JWT} = main::fixture("didjwk.jwt");
$ENV{TEST_NGINX_BIG} = 'A' x (48 * 1024);

run_tests();

__DATA__

=== TEST 1: the evil credential verifies (so the next tests export its fields)
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
$TEST_NGINX_EVIL_JWT
--- error_code: 200
--- response_body_like: "verified": true
--- no_error_log
[crit]
[alert]



=== TEST 2: header injection through add_header $badge_* (response headers)
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        badge_verify;
        add_header X-Badge-Issuer-Name $badge_issuer_name always;
        add_header X-Badge-Achievement $badge_achievement_name always;
        add_header X-Badge-Subject $badge_subject always;
        add_header X-Badge-Id $badge_credential_id always;
    }
--- more_headers
Content-Type: application/jwt
--- request
POST /verify
$TEST_NGINX_EVIL_JWT
--- error_code: 200
--- response_headers
!X-Injected
!Set-Cookie
--- response_body_like: ^\{\n  "verified": true
--- no_error_log
[crit]
[alert]



=== TEST 3: header injection through proxy_set_header $badge_* (request smuggling to the backend)
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- http_config
    server {
        listen 127.0.0.1:3984;
        location / {
            return 200 "injected=[$http_x_injected] subject=[$http_x_badge_subject]\n";
        }
    }
--- config
    location /alumni/ {
        badge_require on;
        badge_trusted_issuer $TEST_NGINX_EVIL_DID;
        proxy_pass http://127.0.0.1:3984/;
        proxy_set_header X-Badge-Subject $badge_subject;
        proxy_set_header X-Badge-Achievement $badge_achievement_name;
        proxy_set_header X-Badge-Issuer-Name $badge_issuer_name;
    }
--- more_headers
Authorization: Bearer $TEST_NGINX_EVIL_JWT
--- request
GET /alumni/
--- error_code: 200
--- response_body_like: ^injected=\[\] subject=\[[^\r\n\]]*\]$
--- no_error_log
[crit]
[alert]



=== TEST 4: an oversize header (48 KiB bearer, default buffers): nginx's own 400, no crash
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /alumni/ {
        badge_require on;
        badge_trusted_issuer $TEST_NGINX_DIDJWK;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend/;
    }
    location /backend/ {
        return 200 "in\n";
    }
--- more_headers
Authorization: Bearer $TEST_NGINX_BIG
--- request
GET /alumni/
--- error_code: 400
--- no_error_log
[crit]
[alert]



=== TEST 5: a large bearer that nginx accepts but is over badge_max_input: 401 input_too_large
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- http_config
    large_client_header_buffers 4 64k;
--- config
    location /alumni/ {
        badge_require on;
        badge_max_input 16k;
        badge_trusted_issuer $TEST_NGINX_DIDJWK;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend/;
    }
    location /backend/ {
        return 200 "in\n";
    }
--- more_headers
Authorization: Bearer $TEST_NGINX_BIG
--- request
GET /alumni/
--- error_code: 401
--- response_headers
X-Badge-Error: input_too_large
--- no_error_log
[crit]
[alert]



=== TEST 6: a body over client_max_body_size: nginx's 413 before the module reads it
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /verify {
        client_max_body_size 16k;
        badge_verify;
    }
--- more_headers
Content-Type: application/jwt
--- request eval
"POST /verify\n" . ('A' x (64 * 1024))
--- error_code: 413
--- no_error_log
[crit]
[alert]



=== TEST 7: a redirect to a private address is not followed (the 302 is the answer: unchecked)
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- http_config
    server {
        listen 127.0.0.1:3984;
        location / {
            return 302 http://127.0.0.1:3985$request_uri;
        }
    }
    server {
        listen 127.0.0.1:3985;
        location /.well-known/ {
            alias $TEST_NGINX_REPO/t/vectors/nginx/;
        }
    }
--- config
    location = /verify {
        badge_verify;
        badge_fetch /_badge_fetch;
        badge_fetch_allow_private on;
    }
    location = /_badge_fetch {
        internal;
        subrequest_output_buffer_size 64k;
        proxy_pass http://127.0.0.1:3984$badge_fetch_uri;
        proxy_set_header Host $badge_fetch_host;
    }
--- more_headers
Content-Type: application/jwt
--- request eval
"POST /verify\n" . main::fixture("didweb.jwt")
--- error_code: 200
--- response_body_like: "verified": false,.*"check": "key",\n\s+"status": "unchecked",.*HTTP 302
--- no_error_log
[crit]
[alert]



=== TEST 8: the same redirect target fetched directly would verify (TEST 7 can fail)
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- http_config
    server {
        listen 127.0.0.1:3985;
        location /.well-known/ {
            alias $TEST_NGINX_REPO/t/vectors/nginx/;
        }
        location = /status/1 {
            alias $TEST_NGINX_REPO/t/vectors/nginx/status-1.jwt;
            default_type application/vc+jwt;
        }
    }
--- config
    location = /verify {
        badge_verify;
        badge_fetch /_badge_fetch;
        badge_fetch_allow_private on;
    }
    location = /_badge_fetch {
        internal;
        subrequest_output_buffer_size 64k;
        proxy_pass http://127.0.0.1:3985$badge_fetch_uri;
        proxy_set_header Host $badge_fetch_host;
    }
--- more_headers
Content-Type: application/jwt
--- request eval
"POST /verify\n" . main::fixture("didweb.jwt")
--- error_code: 200
--- response_body_like: "verified": true
--- no_error_log
[crit]
[alert]



=== TEST 9: ?url= naming a link-local metadata address is refused before any fetch
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
GET /verify?url=https://169.254.169.254/latest/meta-data/
--- error_code: 400
--- response_body_like: "code": "url_refused"
--- no_error_log
badge fetch "
[crit]
[alert]



=== TEST 10: ?url= naming IPv6 loopback is refused before any fetch
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
GET /verify?url=https://%5B::1%5D/a.jwt
--- error_code: 400
--- response_body_like: "code": "url_refused"
--- no_error_log
badge fetch "
[crit]
[alert]



=== TEST 11: ?url= naming file: is refused before any fetch
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
GET /verify?url=file:///etc/passwd
--- error_code: 400
--- response_body_like: "code": "url_refused"
--- no_error_log
badge fetch "
[crit]
[alert]



=== TEST 12: ?url= naming localhost is refused before any fetch
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
GET /verify?url=https://localhost/a.jwt
--- error_code: 400
--- response_body_like: "code": "url_refused"
--- no_error_log
badge fetch "
[crit]
[alert]
