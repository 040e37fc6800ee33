# Issuer endpoints: badge_did_document and badge_status_list, built when
# the configuration is read and answered from memory.  The issuer's key,
# registry and credential are made here with badgectl ($BADGE_BUILD).
#
# Revocation: nginx reads the registry at configuration load, so
# "badgectl status revoke" takes effect on "nginx -s reload".  A reload in
# the middle of a test is simulated by two blocks: the same configuration,
# before (registry A) and after (registry B: a copy of A on which
# "badgectl status revoke" ran) the revocation.

use Cwd ();
use File::Temp ();
use File::Copy ();
use Test::Nginx::Socket 'no_plan';

repeat_each(1);
no_shuffle();
log_level('info');

$ENV{TEST_NGINX_REPO} ||= Cwd::getcwd();
$ENV{TEST_NGINX_BADGE_MODULE} ||= "$ENV{TEST_NGINX_REPO}/build/ngx_http_badge_module.so";
my $badgectl = ($ENV{BADGE_BUILD} || "$ENV{TEST_NGINX_REPO}/build") . "/badgectl";

sub run_or_die {
    my $cmd = shift;
    my $out = `$cmd 2>&1`;
    die "$cmd: $out" if $?;
    return $out;
}

my $dir = File::Temp::tempdir(CLEANUP => 1);
$ENV{TEST_NGINX_ISSUER_DIR} = $dir;
run_or_die("$badgectl keygen --type p256 --out $dir/key.pem");
File::Copy::copy("$dir/key.pem", "$dir/key-open.pem") or die $!;
chmod 0644, "$dir/key-open.pem";

my $id = "urn:uuid:11111111-2222-3333-4444-555555555555";
my $entry = run_or_die("$badgectl status --registry $dir/reg-a.txt allocate --id $id --sequential --list-url https://issuer.example/status/1");
my ($index) = $entry =~ /"statusListIndex":\s*"(\d+)"/ or die "allocate: $entry";
File::Copy::copy("$dir/reg-a.txt", "$dir/reg-b.txt") or die $!;
run_or_die("$badgectl status --registry $dir/reg-b.txt revoke --id $id --reason 'issued in error'");

open my $fh, '>', "$dir/cred.json" or die $!;
print $fh <<"JSON";
{"\@context": ["https://www.w3.org/ns/credentials/v2",
  "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
 "id": "$id",
 "type": ["VerifiableCredential", "OpenBadgeCredential"],
 "issuer": {"id": "did:web:issuer.example", "type": ["Profile"], "name": "Issuer Example"},
 "validFrom": "2024-01-01T00:00:00Z",
 "name": "DX course",
 "credentialSubject": {"id": "did:example:holder", "type": ["AchievementSubject"],
   "achievement": {"id": "https://issuer.example/achievements/dx", "type": ["Achievement"],
     "name": "DX", "description": "x", "criteria": {"narrative": "x"}}},
 "credentialStatus": {"id": "https://issuer.example/status/1#$index",
   "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
   "statusListIndex": "$index", "statusListCredential": "https://issuer.example/status/1"}}
JSON
close $fh;
$ENV{TEST_NGINX_CRED} = run_or_die("$badgectl sign --key $dir/key.pem --format jwt --kid 'did:web:issuer.example#key-1' $dir/cred.json");
$ENV{TEST_NGINX_CRED} =~ s/\s+\z//;

# hosted OB 2.0: an assertion, active in registry A, revoked in registry B
mkdir "$dir/ob2";
open $fh, '>', "$dir/ob2/a1.json" or die $!;
print $fh '{"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "https://issuer.example/ob2/a1", "recipient": {"type": "email", "hashed": false, "identity": "a@example.org"}, "badge": "https://issuer.example/ob2/class1", "verification": {"type": "hosted"}, "issuedOn": "2024-01-01T00:00:00Z"}';
close $fh;
run_or_die("$badgectl status --registry $dir/reg-ob2-a.txt allocate --id https://issuer.example/ob2/a1");
File::Copy::copy("$dir/reg-ob2-a.txt", "$dir/reg-ob2-b.txt") or die $!;
run_or_die("$badgectl status --registry $dir/reg-ob2-b.txt revoke --id https://issuer.example/ob2/a1 --reason 'issued in error'");

# Warnings at startup go to stderr (and the compiled-in error log), not to
# the test's error.log: they are checked with "nginx -t" here.
sub nginx_t {
    my $conf = shift;
    my $d = File::Temp::tempdir(CLEANUP => 1);
    mkdir "$d/logs";
    open my $c, '>', "$d/nginx.conf" or die $!;
    print $c "load_module $ENV{TEST_NGINX_BADGE_MODULE};\n"
           . "error_log $d/logs/error.log;\npid $d/nginx.pid;\n"
           . "events {}\nhttp {\n access_log off;\n"
           . " server {\n  listen 127.0.0.1:2985;\n$conf\n }\n}\n";
    close $c;
    my $nginx = $ENV{TEST_NGINX_BINARY} || 'nginx';
    return scalar `$nginx -t -p $d/ -c $d/nginx.conf -e $d/logs/error.log 2>&1`;
}

my $k = "$dir/key.pem";
my $out = nginx_t("badge_issuer_did did:web:issuer.example;\n"
    . "location = /.well-known/did.json { badge_issuer_key $dir/key-open.pem; badge_did_document; }");
like($out, qr/\[warn\].*key-open\.pem" is readable by group or others \(mode 644\): chmod 600 it/,
     "nginx -t: a private key readable by others is a warning");
like($out, qr/test is successful/, "nginx -t: ... but not an error");
$out = nginx_t("badge_issuer_did did:web:issuer.example;\n"
    . "location = /.well-known/did.json { badge_issuer_key $k; badge_did_document; }");
unlike($out, qr/\[warn\]/, "nginx -t: a key of mode 600: no warning");
$out = nginx_t("badge_issuer_did did:web:issuer.example:issuers:a;\n"
    . "location = /.well-known/did.json { badge_issuer_key $k; badge_did_document; }");
like($out, qr/\[warn\].*"did:web:issuer\.example:issuers:a" is resolved at "\/issuers\/a\/did\.json", not at location "\/\.well-known\/did\.json"/,
     "nginx -t: a DID document at another path than did:web's is a warning");
$out = nginx_t("badge_issuer_did did:web:issuer.example;\n"
    . "location = /status/1 { badge_status_list $dir/reg-a.txt; }");
like($out, qr/\[warn\].*is published unsigned/, "nginx -t: an unsigned list is a warning");
$out = nginx_t("badge_issuer_did did:web:issuer.example;\n"
    . "location = /status/1 { badge_issuer_key $k; badge_status_list $dir/reg-a.txt purpose=suspension format=ob2; }");
like($out, qr/\[emerg\].*purpose=suspension needs format=bitstring/, "nginx -t: suspension is bitstring only");

run_tests();

__DATA__

=== TEST 1: the DID document, did:web from server_name and port
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- http_config
    server {
        listen 127.0.0.1:2984;
        server_name issuer.example;
        location = /.well-known/did.json {
            badge_issuer_key $TEST_NGINX_ISSUER_DIR/key.pem;
            badge_did_document;
        }
    }
--- config
    location = /.well-known/did.json {
        proxy_pass http://127.0.0.1:2984;
    }
--- request
GET /.well-known/did.json
--- error_code: 200
--- response_headers
Content-Type: application/did+ld+json
Access-Control-Allow-Origin: *
Cache-Control: public, max-age=3600
--- response_headers_like
ETag: "[0-9a-f]{32}"
Last-Modified: .+ GMT
--- response_body_like: (?s)^\{\n.*"id": "did:web:issuer\.example%3A2984",.*"verificationMethod".*"id": "did:web:issuer\.example%3A2984#key-1"
--- response_body_unlike: "d":
--- no_error_log
[error]
[warn]



=== TEST 2: badge_issuer_did names it; If-None-Match: * is a 304
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    badge_issuer_did did:web:issuer.example;
    badge_issuer_key $TEST_NGINX_ISSUER_DIR/key.pem;
    location = /.well-known/did.json {
        badge_did_document;
    }
--- more_headers
If-None-Match: *
--- request
GET /.well-known/did.json
--- error_code: 304
--- response_headers_like
ETag: "[0-9a-f]{32}"
--- response_body:



=== TEST 3: another ETag: 200; HEAD: headers only
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    badge_issuer_did did:web:issuer.example;
    badge_issuer_key $TEST_NGINX_ISSUER_DIR/key.pem;
    location = /.well-known/did.json {
        badge_did_document;
    }
--- more_headers
If-None-Match: "0123456789abcdef0123456789abcdef"
--- request
HEAD /.well-known/did.json
--- error_code: 200
--- response_headers
Content-Type: application/did+ld+json
--- response_body:



=== TEST 4: If-Modified-Since after the load (if_modified_since before): 304
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    badge_issuer_did did:web:issuer.example;
    badge_issuer_key $TEST_NGINX_ISSUER_DIR/key.pem;
    location = /.well-known/did.json {
        if_modified_since before;
        badge_did_document;
    }
--- more_headers
If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT
--- request
GET /.well-known/did.json
--- error_code: 304



=== TEST 5: POST: 405
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    badge_issuer_did did:web:issuer.example;
    badge_issuer_key $TEST_NGINX_ISSUER_DIR/key.pem;
    location = /.well-known/did.json {
        badge_did_document;
    }
--- request
POST /.well-known/did.json
x
--- error_code: 405



=== TEST 6: the private key is never in the document
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    badge_issuer_did did:web:issuer.example;
    location = /.well-known/did.json {
        badge_issuer_key $TEST_NGINX_ISSUER_DIR/key.pem;
        badge_did_document;
    }
--- request
GET /.well-known/did.json
--- error_code: 200
--- response_body_unlike: "d"\s*:|PRIVATE



=== TEST 7: badge_did_document without a key: nginx does not start
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    badge_issuer_did did:web:issuer.example;
    location = /.well-known/did.json {
        badge_did_document;
    }
--- must_die
--- error_log
"badge_did_document" in location "/.well-known/did.json" needs "badge_issuer_key"



=== TEST 8: a missing key file: nginx does not start
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location = /.well-known/did.json {
        badge_issuer_key $TEST_NGINX_ISSUER_DIR/nonexistent.pem;
        badge_did_document;
    }
--- must_die
--- error_log
nonexistent.pem" failed



=== TEST 9: the status list: signed, from the registry
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    server_name issuer.example;
    badge_issuer_did did:web:issuer.example;
    badge_issuer_key $TEST_NGINX_ISSUER_DIR/key.pem;
    location = /status/1 {
        badge_status_list $TEST_NGINX_ISSUER_DIR/reg-a.txt;
    }
--- request
GET /status/1
--- error_code: 200
--- response_headers
Access-Control-Allow-Origin: *
Cache-Control: public, max-age=300
--- response_headers_like
Content-Type: application/(vc\+ld\+json|ld\+json|json)
ETag: "[0-9a-f]{32}"
--- response_body_like: (?s)"id": "https://issuer\.example/status/1".*"BitstringStatusListCredential".*"statusPurpose": "revocation".*"encodedList": "u.*"proof"
--- no_error_log
[error]
[warn]



=== TEST 10: the list's URL and issuer from server_name and port
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- http_config
    server {
        listen 127.0.0.1:2984;
        server_name issuer.example;
        badge_issuer_key $TEST_NGINX_ISSUER_DIR/key.pem;
        location = /status/1 {
            badge_status_list $TEST_NGINX_ISSUER_DIR/reg-a.txt;
        }
    }
--- config
    location = /status/1 {
        proxy_pass http://127.0.0.1:2984;
    }
--- request
GET /status/1
--- error_code: 200
--- response_body_like: (?s)"id": "https://issuer\.example:2984/status/1".*"issuer": "did:web:issuer\.example%3A2984"



=== TEST 11: badge_cache_control; format=1edtech lists the revoked ones
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    badge_issuer_did did:web:issuer.example;
    badge_issuer_key $TEST_NGINX_ISSUER_DIR/key.pem;
    location = /revoked {
        badge_cache_control "public, max-age=60";
        badge_status_list $TEST_NGINX_ISSUER_DIR/reg-b.txt format=1edtech url=https://issuer.example/revoked;
    }
--- request
GET /revoked
--- error_code: 200
--- response_headers
Cache-Control: public, max-age=60
--- response_body_like: (?s)"revokedCredentials".*"urn:uuid:11111111-2222-3333-4444-555555555555".*"issued in error"



=== TEST 12: a bad parameter stops nginx
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    badge_issuer_did did:web:issuer.example;
    location = /status/1 {
        badge_status_list $TEST_NGINX_ISSUER_DIR/reg-a.txt purpose=revoked;
    }
--- must_die
--- error_log
invalid parameter "purpose=revoked"



=== TEST 13: a missing registry stops nginx
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    badge_issuer_did did:web:issuer.example;
    location = /status/1 {
        badge_status_list $TEST_NGINX_ISSUER_DIR/nonexistent.txt;
    }
--- must_die
--- error_log
badge_status_list "



=== TEST 14: before the revocation (registry A): verified through the published list
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    badge_issuer_did did:web:issuer.example;
    badge_issuer_key $TEST_NGINX_ISSUER_DIR/key.pem;
    location = /.well-known/did.json {
        badge_did_document;
    }
    location = /status/1 {
        badge_status_list $TEST_NGINX_ISSUER_DIR/reg-a.txt;
    }
    location = /verify {
        badge_verify;
        badge_fetch /_badge_fetch;
        badge_fetch_allow_private on;
    }
    location = /_badge_fetch {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT$badge_fetch_uri;
    }
--- more_headers
Content-Type: application/jwt
--- request
POST /verify
$TEST_NGINX_CRED
--- error_code: 200
--- response_body_like: (?s)^\{\n  "verified": true,\n  "status": "verified",.*"check": "status",\n\s+"status": "pass",\n\s+"code": "status_not_revoked"
--- no_error_log
[error]



=== TEST 15: after "badgectl status revoke" and a reload (registry B): revoked
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    badge_issuer_did did:web:issuer.example;
    badge_issuer_key $TEST_NGINX_ISSUER_DIR/key.pem;
    location = /.well-known/did.json {
        badge_did_document;
    }
    location = /status/1 {
        badge_status_list $TEST_NGINX_ISSUER_DIR/reg-b.txt;
    }
    location = /verify {
        badge_verify;
        badge_fetch /_badge_fetch;
        badge_fetch_allow_private on;
    }
    location = /_badge_fetch {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT$badge_fetch_uri;
    }
--- more_headers
Content-Type: application/jwt
--- request
POST /verify
$TEST_NGINX_CRED
--- error_code: 200
--- response_body_like: (?s)^\{\n  "verified": false,\n  "status": "revoked",.*"check": "status",\n\s+"status": "fail",\n\s+"code": "status_revoked"
--- no_error_log
[error]



=== TEST 16: ... and the gate turns the revoked credential away
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    badge_issuer_did did:web:issuer.example;
    badge_issuer_key $TEST_NGINX_ISSUER_DIR/key.pem;
    location = /.well-known/did.json {
        badge_did_document;
    }
    location = /status/1 {
        badge_status_list $TEST_NGINX_ISSUER_DIR/reg-b.txt;
    }
    location /members/ {
        badge_require on;
        badge_trusted_issuer did:web:issuer.example;
        badge_fetch /_badge_fetch;
        badge_fetch_allow_private on;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend/;
    }
    location /backend/ {
        return 200 "welcome\n";
    }
    location = /_badge_fetch {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT$badge_fetch_uri;
    }
--- more_headers
Authorization: Bearer $TEST_NGINX_CRED
--- request
GET /members/
--- error_code: 401
--- response_headers
X-Badge-Error: status_revoked



=== TEST 20: badge_ob2_hosting: an active assertion, as it is, with CORS
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /ob2/ {
        badge_ob2_hosting $TEST_NGINX_ISSUER_DIR/ob2 $TEST_NGINX_ISSUER_DIR/reg-ob2-a.txt;
    }
--- request
GET /ob2/a1
--- error_code: 200
--- response_headers
Content-Type: application/ld+json
Access-Control-Allow-Origin: *
Cache-Control: public, max-age=300
--- response_headers_like
ETag: "[0-9a-f]+-[0-9a-f]+"
--- response_body_like: ^\{"\@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "https://issuer.example/ob2/a1"



=== TEST 21: ... revoked in the registry: 410 Gone with the revocation JSON
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /ob2/ {
        badge_ob2_hosting $TEST_NGINX_ISSUER_DIR/ob2 $TEST_NGINX_ISSUER_DIR/reg-ob2-b.txt;
    }
--- request
GET /ob2/a1.json
--- error_code: 410
--- response_headers
Access-Control-Allow-Origin: *
--- response_body_like: (?s)"id": "https://issuer\.example/ob2/a1".*"revoked": true.*"revocationReason": "issued in error"
--- response_body_unlike: a\@example\.org



=== TEST 22: badge_ob2_hosting: traversal and unknown ids are 404
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /ob2/ {
        badge_ob2_hosting $TEST_NGINX_ISSUER_DIR/ob2;
    }
--- request
GET /ob2/%2e%2e%2freg-ob2-a.txt
--- error_code: 404
--- response_body_unlike: urn:uuid|ob2/a1
