# SetHandler badge-did and badge-status: the issuer's DID document and
# status lists, built once at startup (post_config) by the core
# (issuer.h, status_publish.h) and served from memory.  The key is the
# shared did:web:example.edu test key (t/vectors/shared): the DID
# document must carry the public key of did-web-example.edu.json.
use Test::Badge::Apache 'no_plan';
use File::Copy ();
use File::Path ();

our $root = Test::Badge::Apache::repo_root();
our $sr = Test::Badge::Apache::server_root();
File::Path::make_path("$sr/issuer");
# the shared key as it is in the repository (mode 0644) and a private
# copy (0600): the first must draw the startup warning, the second not
our $key_shared = "$root/t/vectors/shared/key-ed25519-web.pem";
our $key = "$sr/issuer/key.pem";
File::Copy::copy($key_shared, $key) or die $!;
chmod 0600, $key;
our ($x) = Test::Badge::Apache::vector("shared/did-web-example.edu.json") =~ /"x":\s*"([^"]+)"/;
our $registry = "$sr/issuer/registry.tsv";
open my $fh, '>', $registry or die $!;
print $fh "# badge-status-registry v1 size=131072\n"
    . "48213\turn:uuid:0c2e6a52-0000-4000-8000-000000000001\tactive\t2025-06-01T10:00:00Z\t\n"
    . "9021\thttps://example.edu/b/7\trevoked\t2025-07-01T09:00:00Z\tissued in error\n"
    . "77\thttps://example.edu/b/8\tsuspended\t2025-07-02T09:00:00Z\t\n";
close $fh;
open $fh, '>', "$sr/issuer/broken.tsv" or die $!;
print $fh "# badge-status-registry v1 size=131072\nnot a line\n";
close $fh;

our $conf = <<"EOF";
<Location /.well-known/did.json>
    SetHandler badge-did
    BadgeIssuerKey "$key"
    BadgeIssuerDid did:web:example.edu
</Location>
<Location /status/1>
    SetHandler badge-status
    BadgeIssuerKey "$key"
    BadgeIssuerDid did:web:example.edu
    BadgeStatusRegistry "$registry"
    BadgeStatusListUrl https://example.edu/status/1
</Location>
<Location /status/suspension>
    SetHandler badge-status
    BadgeIssuerKey "$key"
    BadgeIssuerDid did:web:example.edu
    BadgeStatusRegistry "$registry"
    BadgeStatusPurpose suspension
    BadgeStatusListUrl https://example.edu/status/suspension
</Location>
<Location /status/1edtech>
    SetHandler badge-status
    BadgeIssuerDid did:web:example.edu
    BadgeStatusRegistry "$registry"
    BadgeStatusFormat 1edtech
    BadgeStatusListUrl https://example.edu/status/1edtech
</Location>
<Location /status/ob2>
    SetHandler badge-status
    BadgeIssuerDid did:web:example.edu
    BadgeStatusRegistry "$registry"
    BadgeStatusFormat ob2
    BadgeStatusListUrl https://example.edu/revocations
</Location>
EOF

run_tests();

__DATA__

=== TEST 1: the DID document: did+ld+json, CORS, an hour of caching, the public key and never the private one
--- config eval: $main::conf
--- request
GET /.well-known/did.json
--- error_code: 200
--- response_headers
Content-Type: application/did+ld+json
Access-Control-Allow-Origin: *
Cache-Control: public, max-age=3600
X-Content-Type-Options: nosniff
--- response_headers_like
ETag: ^"p-[A-Za-z0-9_-]+"$
Last-Modified: GMT$
--- response_body_like eval
qr/^(?!.*"d":)(?!.*PRIVATE).*"id":\s*"did:web:example\.edu".*\Q$main::x\E.*"assertionMethod"/s
--- no_error_log
[error]
[warn]

=== TEST 2: If-Modified-Since its Last-Modified: 304
--- config eval: $main::conf
--- request
GET /.well-known/did.json
--- more_headers eval
sub { "If-Modified-Since: " . ($_[0]{'last-modified'}[0] // 'none') }
--- error_code: 304
--- response_body:

=== TEST 3: with its ETag: 304
--- config eval: $main::conf
--- request
GET /.well-known/did.json
--- more_headers eval
sub { "If-None-Match: " . ($_[0]{etag}[0] // '"none"') }
--- error_code: 304

=== TEST 4: HEAD
--- config eval: $main::conf
--- request
HEAD /.well-known/did.json
--- error_code: 200
--- response_body:

=== TEST 5: POST: 405
--- config eval: $main::conf
--- request
POST /.well-known/did.json
{}
--- error_code: 405
--- response_headers_like
Allow: GET

=== TEST 6: the revocation list: a signed BitstringStatusListCredential
--- config eval: $main::conf
--- request
GET /status/1
--- error_code: 200
--- response_headers
Access-Control-Allow-Origin: *
Cache-Control: public, max-age=300
--- response_headers_like
Content-Type: ^application/(vc\+ld\+json|ld\+json|json)
ETag: ^"p-
Last-Modified: GMT$
--- response_body_like: (?s)"id":\s*"https://example\.edu/status/1".*"BitstringStatusListCredential".*"statusPurpose":\s*"revocation".*"encodedList":\s*"u[A-Za-z0-9_-]+".*"proof"
--- no_error_log
[error]

=== TEST 7: again with its ETag: 304
--- config eval: $main::conf
--- request
GET /status/1
--- more_headers eval
sub { "If-None-Match: " . ($_[0]{etag}[0] // '"none"') }
--- error_code: 304

=== TEST 8: the suspension list
--- config eval: $main::conf
--- request
GET /status/suspension
--- error_code: 200
--- response_body_like: "statusPurpose":\s*"suspension"

=== TEST 9: a 1EdTech revocation list (unsigned: no key in that section)
--- config eval: $main::conf
--- request
GET /status/1edtech
--- error_code: 200
--- response_body_like: (?s)"revokedCredentials".*"https://example\.edu/b/7".*"issued in error"

=== TEST 10: an OB 2.0 RevocationList
--- config eval: $main::conf
--- request
GET /status/ob2
--- error_code: 200
--- response_body_like: (?s)"RevocationList".*"revokedAssertions".*"https://example\.edu/b/7"

=== TEST 11: a key readable by others: a warning at startup, naming the file
--- config eval
qq{<Location /.well-known/did.json>
    SetHandler badge-did
    BadgeIssuerKey "$main::key_shared"
    BadgeIssuerDid did:web:example.edu
</Location>}
--- request
GET /.well-known/did.json
--- error_code: 200
--- error_log eval
[qr/\[badge:warn\].*BadgeIssuerKey \S+key-ed25519-web\.pem \(\S+:\d+\) is readable by group or others \(mode 0644\): .*chmod 600 it/]

=== TEST 12: the DID from ServerName and port when BadgeIssuerDid is not set
--- config eval
qq{ServerName badges.example.ac.jp
<Location /.well-known/did.json>
    SetHandler badge-did
    BadgeIssuerKey "$main::key"
</Location>}
--- request
GET /.well-known/did.json
--- error_code: 200
--- response_body_like eval
my $p = Test::Badge::Apache::server_port();
qr/"id":\s*"did:web:badges\.example\.ac\.jp%3A$p".*"id":\s*"did:web:badges\.example\.ac\.jp%3A$p#key-1"/s
--- no_error_log
[warn]

=== TEST 12b: the list's URL and issuer from ServerName and port (port 443 is left out of both)
--- config eval
qq{ServerName issuer.example
<Location /status/1>
    SetHandler badge-status
    BadgeIssuerKey "$main::key"
    BadgeStatusRegistry "$main::registry"
</Location>}
--- request
GET /status/1
--- error_code: 200
--- response_body_like eval
my $p = Test::Badge::Apache::server_port();
qr{"id":\s*"https://issuer\.example:$p/status/1".*"issuer":\s*"did:web:issuer\.example%3A$p"}s

=== TEST 12c: a did:web DID document served at another path than did:web's: a warning
--- config eval
qq{<Location /.well-known/did.json>
    SetHandler badge-did
    BadgeIssuerKey "$main::key"
    BadgeIssuerDid did:web:issuer.example:issuers:a
</Location>}
--- request
GET /.well-known/did.json
--- error_code: 200
--- error_log eval
[qr{\[badge:warn\].*did:web:issuer\.example:issuers:a is resolved at /issuers/a/did\.json, not at <Location /\.well-known/did\.json>}]

=== TEST 12d: an unsigned bitstring list: a warning
--- config eval
qq{<Location /status/1>
    SetHandler badge-status
    BadgeIssuerDid did:web:example.edu
    BadgeStatusRegistry "$main::registry"
</Location>}
--- request
GET /status/1
--- error_code: 200
--- error_log eval
[qr/\[badge:warn\].*is published unsigned/]

=== TEST 12e: suspension is a bitstring purpose only: httpd does not start
--- config eval
qq{<Location /status/1>
    SetHandler badge-status
    BadgeIssuerKey "$main::key"
    BadgeIssuerDid did:web:example.edu
    BadgeStatusRegistry "$main::registry"
    BadgeStatusPurpose suspension
    BadgeStatusFormat ob2
</Location>}
--- must_die
--- error_log eval
[qr/BadgeStatusRegistry \S+ \(\S+:\d+\): .*suspended \(publish_invalid\)/]

=== TEST 13: a key file that is no key stops httpd, naming the line
--- config eval
qq{<Location /.well-known/did.json>
    SetHandler badge-did
    BadgeIssuerKey "$main::registry"
</Location>}
--- must_die
--- error_log eval
[qr/Syntax error on line \d+ of .*httpd\.conf/, qr/BadgeIssuerKey: \S+registry\.tsv/]

=== TEST 14: a registry that does not parse stops httpd at startup
--- config eval
qq{<Location /status/1>
    SetHandler badge-status
    BadgeIssuerDid did:web:example.edu
    BadgeStatusRegistry "$main::sr/issuer/broken.tsv"
</Location>}
--- must_die
--- error_log eval
[qr/BadgeStatusRegistry \S+broken\.tsv \(\S+httpd\.conf:\d+\): /]

=== TEST 15: a missing registry stops httpd
--- config eval
qq{<Location /status/1>
    SetHandler badge-status
    BadgeIssuerDid did:web:example.edu
    BadgeStatusRegistry "$main::sr/issuer/none.tsv"
</Location>}
--- must_die
--- error_log
none.tsv

=== TEST 16: BadgeStatusFormat with an unknown word
--- config
<Location /status/1>
    BadgeStatusFormat csv
</Location>
--- must_die
--- error_log
BadgeStatusFormat: bitstring, 1edtech or ob2

=== TEST 17: BadgeStatusPurpose with an unknown word
--- config
<Location /status/1>
    BadgeStatusPurpose refresh
</Location>
--- must_die
--- error_log
BadgeStatusPurpose: revocation or suspension

=== TEST 18: BadgeIssuerDid that is not a DID
--- config
<Location /x>
    BadgeIssuerDid example.edu
</Location>
--- must_die
--- error_log
BadgeIssuerDid: a DID

=== TEST 19: badge-did without a key: 500, logged as an error
--- config
<Location /.well-known/did.json>
    SetHandler badge-did
</Location>
--- request
GET /.well-known/did.json
--- error_code: 500
--- error_log
SetHandler badge-did without BadgeIssuerKey

=== TEST 20: a change of the registry shows in the next list
--- config eval: $main::conf
--- request
GET /status/1edtech
--- more_headers eval
sub {
    open my $fh, '>>', $main::registry or die $!;
    print $fh "5\thttps://example.edu/b/9\trevoked\t2025-08-01T09:00:00Z\tlate revocation\n";
    close $fh;
    my $t = time + 10;
    utime $t, $t, $main::registry;
    sleep 6;    # the registry is re-read at most every 5 seconds
    "X-Test: 1";
}
--- error_code: 200
--- response_body_like: "late revocation"
