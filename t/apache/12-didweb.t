# did:web over real https: the twins of nginx's fetch.t TEST 1 and TEST 6,
# and BadgeFetchCAFile.
#
# nginx's fetch.t proxies every fetched URL to its own test server; mod_badge
# connects to the real host instead, and did:web always means https.  So
# this suite makes, at test time, a throwaway CA and a certificate for
# "localhost" signed by it (openssl CLI), serves a document root over TLS
# from an extra mod_ssl virtual host of the test httpd on a free port of
# 1990-1994, and issues with badgectl (keygen, did, sign) a credential of
# did:web:localhost%3A<port>, whose DID document is
# https://localhost:<port>/.well-known/did.json.  localhost is a private
# address, hence BadgeFetchAllowPrivate On; the test CA is in no system
# store, hence BadgeFetchCAFile.
use Test::Badge::Apache 'no_plan';
use File::Path ();
use IO::Socket::INET;

my $sr = Test::Badge::Apache::server_root();
my $build = Test::Badge::Apache::build_dir();
my $badgectl = "$build/badgectl";
die "$badgectl does not exist: build it first (make)\n" unless -x $badgectl;

# a free port for the TLS virtual host (1985 is the test server's, 1987 and
# 1999 are other suites')
our $tls_port;
for my $p (1990 .. 1994) {
    my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => $p,
                                  Listen => 1, ReuseAddr => 1) or next;
    close $s;
    $tls_port = $p;
    last;
}
die "no free port in 1990-1994\n" unless defined $tls_port;

# everything under the server root: the children (www-data when the tests
# run as root) read the document root
our $dir = "$sr/didweb";
File::Path::remove_tree($dir);
File::Path::make_path("$dir/www/.well-known", "$dir/www/creds",
                      { mode => 0755 });
chmod 0755, $sr, $dir, "$dir/www", "$dir/www/.well-known", "$dir/www/creds";

sub run_cmd {
    my $out = `@_ 2>&1`;
    die "failed ($?): @_\n$out" if $? != 0;
    return $out;
}

sub write_file {
    my ($path, $data) = @_;
    open my $fh, '>', $path or die "$path: $!";
    print $fh $data;
    close $fh;
    chmod 0644, $path;
}

# the throwaway CA and the server certificate for localhost
write_file("$dir/server.ext",
           "basicConstraints=critical,CA:FALSE\n"
           . "keyUsage=critical,digitalSignature\n"
           . "extendedKeyUsage=serverAuth\n"
           . "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
run_cmd("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256"
        . " -nodes -keyout '$dir/ca.key' -out '$dir/ca.pem' -days 2"
        . " -subj '/CN=mod_badge test CA'"
        . " -addext 'basicConstraints=critical,CA:TRUE'"
        . " -addext 'keyUsage=critical,keyCertSign,cRLSign'");
run_cmd("openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
        . " -keyout '$dir/server.key' -out '$dir/server.csr'"
        . " -subj '/CN=localhost'");
run_cmd("openssl x509 -req -in '$dir/server.csr' -CA '$dir/ca.pem'"
        . " -CAkey '$dir/ca.key' -CAcreateserial -out '$dir/server.pem'"
        . " -days 2 -extfile '$dir/server.ext'");
# not a certificate at all, for the startup check
write_file("$dir/not-a-cert.pem", "this is not PEM\n");

# the issuer: did:web:localhost%3A<port>, its DID document, a credential
our $did = "did:web:localhost%3A$tls_port";
run_cmd("'$badgectl' keygen --out '$dir/issuer.pem'");
write_file("$dir/www/.well-known/did.json",
           run_cmd("'$badgectl' did --key '$dir/issuer.pem' --did '$did'"
                   . " 2>/dev/null"));
write_file("$dir/credential.json", <<"EOF");
{
  "\@context": [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
  ],
  "type": ["VerifiableCredential", "OpenBadgeCredential"],
  "id": "urn:uuid:5d0f7c4e-12a9-4b7e-9a41-6b1f2f0c9d21",
  "issuer": {"id": "$did", "type": ["Profile"], "name": "Campus test issuer"},
  "validFrom": "2024-04-01T00:00:00Z",
  "name": "did:web test badge",
  "credentialSubject": {
    "id": "did:example:holder",
    "type": ["AchievementSubject"],
    "achievement": {
      "id": "https://localhost/achievements/didweb-test",
      "type": ["Achievement"],
      "name": "did:web test",
      "description": "Issued by a did:web issuer served over https.",
      "criteria": {"narrative": "Run t/apache/12-didweb.t."}
    }
  }
}
EOF
our $jwt = run_cmd("'$badgectl' sign --key '$dir/issuer.pem' --format jwt"
                   . " --alg EdDSA --kid '$did#key-1'"
                   . " '$dir/credential.json' 2>/dev/null") =~ s/\s+//gr;
die "badgectl sign gave no JWT\n" unless $jwt =~ /^[\w-]+\.[\w-]+\.[\w-]+$/;
write_file("$dir/www/creds/x.jwt", $jwt);

# the TLS virtual host that plays the issuer's web server
my $mods = Test::Badge::Apache::module_dir();
our $tls_vhost = qq{LoadModule ssl_module $mods/mod_ssl.so
Listen 127.0.0.1:$tls_port
SSLSessionCache "shmcb:$sr/logs/ssl_scache(51200)"
<VirtualHost 127.0.0.1:$tls_port>
    ServerName localhost:$tls_port
    DocumentRoot "$dir/www"
    AddType application/vc+jwt .jwt
    SSLEngine on
    SSLCertificateFile "$dir/server.pem"
    SSLCertificateKeyFile "$dir/server.key"
</VirtualHost>};

our $did_url = qr{https://localhost:$tls_port/\.well-known/did\.json};
# no line at error level or above, from any module
our @no_errors = (qr/\[(?:\w+:)?(?:error|crit|alert|emerg)\]/);

run_tests();

__DATA__

=== TEST 1: did:web: the DID document is fetched over https, the credential verifies (nginx: fetch.t TEST 1)
--- http_config eval
$main::tls_vhost
--- config eval
qq{<Location /verify>
    SetHandler badge-verify
    BadgeFetchAllowPrivate On
    BadgeFetchCAFile "$main::dir/ca.pem"
</Location>}
--- more_headers
Content-Type: application/jwt
--- request eval
"POST /verify\n$main::jwt"
--- error_code: 200
--- response_body_like: ^\{\s*"verified":\s*true,.*"check":\s*"key",\s*"status":\s*"pass"
--- error_log eval
[qr{mod_badge: fetched $main::did_url: 200, \d+ bytes},
 qr{mod_badge: \S+ credential from did:web:localhost%3A\d+: verified}]
--- no_error_log eval
[@main::no_errors, qr/cannot fetch/]

=== TEST 2: GET ?url=: the credential itself is fetched over https, then its issuer's DID (nginx: fetch.t TEST 6)
--- http_config eval
$main::tls_vhost
--- config eval
qq{<Location /verify>
    SetHandler badge-verify
    BadgeFetchAllowPrivate On
    BadgeFetchCAFile "$main::dir/ca.pem"
</Location>}
--- request eval
"GET /verify?url=https%3A%2F%2Flocalhost%3A$main::tls_port%2Fcreds%2Fx.jwt"
--- error_code: 200
--- response_body_like: ^\{\s*"verified":\s*true,.*"check":\s*"key",\s*"status":\s*"pass"
--- error_log eval
[qr{mod_badge: fetched https://localhost:$main::tls_port/creds/x\.jwt: 200, \d+ bytes, application/vc\+jwt},
 qr{mod_badge: fetched $main::did_url: 200, \d+ bytes}]
--- no_error_log eval
[@main::no_errors, qr/cannot fetch/]

=== TEST 3: without BadgeFetchCAFile the certificate is not trusted: the key is unchecked, no crash (nginx: fetch.t TEST 5)
--- http_config eval
$main::tls_vhost
--- config eval
qq{<Location /verify>
    SetHandler badge-verify
    BadgeFetchAllowPrivate On
</Location>}
--- more_headers
Content-Type: application/jwt
--- request eval
"POST /verify\n$main::jwt"
--- error_code: 200
--- response_body_like: ^\{\s*"verified":\s*false,.*"check":\s*"key",\s*"status":\s*"unchecked",\s*"code":\s*"\w+",\s*"message":\s*"[^"]*https://localhost:\d+/\.well-known/did\.json
--- error_log eval
[qr{mod_badge: cannot fetch $main::did_url: TLS handshake with localhost failed: unable to get local issuer certificate \(the certificate is signed by no CA of the system's store; a private CA can be added with BadgeFetchCAFile\)}]
--- no_error_log eval
[@main::no_errors, qr/mod_badge: fetched https/]

=== TEST 4: ?url= without BadgeFetchCAFile: the credential itself cannot be fetched, 400 fetch_failed
--- http_config eval
$main::tls_vhost
--- config eval
qq{<Location /verify>
    SetHandler badge-verify
    BadgeFetchAllowPrivate On
</Location>}
--- request eval
"GET /verify?url=https%3A%2F%2Flocalhost%3A$main::tls_port%2Fcreds%2Fx.jwt"
--- error_code: 400
--- response_body_like: ^\{\s*"verified":\s*false.*"code":\s*"fetch_failed"
--- error_log eval
[qr{cannot fetch https://localhost:\d+/creds/x\.jwt: TLS handshake with localhost failed}]
--- no_error_log eval
[@main::no_errors]

=== TEST 5: BadgeFetchCAFile with BadgeFetchAllowPrivate Off: the SSRF guard still refuses localhost (nginx: fetch.t TEST 2)
--- http_config eval
$main::tls_vhost
--- config eval
qq{<Location /verify>
    SetHandler badge-verify
    BadgeFetchCAFile "$main::dir/ca.pem"
</Location>}
--- more_headers
Content-Type: application/jwt
--- request eval
"POST /verify\n$main::jwt"
--- error_code: 200
--- response_body_like: ^\{\s*"verified":\s*false,.*"check":\s*"key",\s*"status":\s*"unchecked"
--- no_error_log eval
[@main::no_errors, qr/mod_badge: fetched https/]

=== TEST 6: one server, two sections: a result verified with the CA is not served from the cache where the CA is not trusted (1/2)
--- http_config eval
$main::tls_vhost
--- config eval
qq{BadgeFetchAllowPrivate On
<Location /with-ca>
    SetHandler badge-verify
    BadgeFetchCAFile "$main::dir/ca.pem"
</Location>
<Location /with-ca/none>
    BadgeFetchCAFile none
</Location>
<Location /without-ca>
    SetHandler badge-verify
</Location>}
--- more_headers
Content-Type: application/jwt
--- request eval
"POST /with-ca\n$main::jwt"
--- error_code: 200
--- response_body_like: ^\{\s*"verified":\s*true,
--- error_log eval
[qr{mod_badge: fetched $main::did_url: 200}, qr/result cached for \d+s/]

=== TEST 7: one server, two sections: ... (2/2) the section without the CA verifies afresh, and cannot fetch
--- http_config eval
$main::tls_vhost
--- config eval
qq{BadgeFetchAllowPrivate On
<Location /with-ca>
    SetHandler badge-verify
    BadgeFetchCAFile "$main::dir/ca.pem"
</Location>
<Location /with-ca/none>
    BadgeFetchCAFile none
</Location>
<Location /without-ca>
    SetHandler badge-verify
</Location>}
--- more_headers
Content-Type: application/jwt
--- request eval
"POST /without-ca\n$main::jwt"
--- error_code: 200
--- response_body_like: ^\{\s*"verified":\s*false,.*"check":\s*"key",\s*"status":\s*"unchecked"
--- error_log eval
[qr{cannot fetch $main::did_url: TLS handshake}]
--- no_error_log eval
[qr/cache hit/, @main::no_errors]

=== TEST 8: the same section with the CA: a cache hit
--- http_config eval
$main::tls_vhost
--- config eval
qq{BadgeFetchAllowPrivate On
<Location /with-ca>
    SetHandler badge-verify
    BadgeFetchCAFile "$main::dir/ca.pem"
</Location>
<Location /with-ca/none>
    BadgeFetchCAFile none
</Location>
<Location /without-ca>
    SetHandler badge-verify
</Location>}
--- more_headers
Content-Type: application/jwt
--- request eval
"POST /with-ca\n$main::jwt"
--- error_code: 200
--- response_body_like: ^\{\s*"verified":\s*true,
--- error_log
cache hit: verified
--- no_error_log eval
[qr/mod_badge: fetched/, @main::no_errors]

=== TEST 9: BadgeFetchCAFile none in a nested section: the system store only
--- http_config eval
$main::tls_vhost
--- config eval
qq{BadgeFetchAllowPrivate On
<Location /with-ca>
    SetHandler badge-verify
    BadgeFetchCAFile "$main::dir/ca.pem"
</Location>
<Location /with-ca/none>
    BadgeFetchCAFile none
</Location>
<Location /without-ca>
    SetHandler badge-verify
</Location>}
--- more_headers
Content-Type: application/jwt
--- request eval
"POST /with-ca/none\n$main::jwt"
--- error_code: 200
--- response_body_like: ^\{\s*"verified":\s*false,.*"check":\s*"key",\s*"status":\s*"unchecked"
--- error_log eval
[qr{cannot fetch $main::did_url: TLS handshake}]
--- no_error_log eval
[qr/cache hit/, @main::no_errors]

=== TEST 10: the gate fetches the did:web DID document over https (nginx: require.t TEST 13)
--- http_config eval
$main::tls_vhost
--- config eval
qq{Alias /alumni "$main::dir/www/creds"
<Location /alumni>
    BadgeFetchAllowPrivate On
    BadgeFetchCAFile "$main::dir/ca.pem"
    BadgeTrustedIssuer $main::did
    Require badge achievement https://localhost/achievements/didweb-test
    Header always set X-Badge-Issuer "%{BADGE_ISSUER}e"
</Location>}
--- more_headers eval
"Authorization: Bearer $main::jwt"
--- request
GET /alumni/x.jwt
--- error_code: 200
--- response_headers eval
"X-Badge-Issuer: $main::did"
--- error_log eval
[qr{mod_badge: fetched $main::did_url: 200}]
--- no_error_log eval
[@main::no_errors]

=== TEST 11: BadgeFetchCAFile: a file that is not PEM certificates stops httpd, naming it
--- config eval
qq{<Location /verify>
    SetHandler badge-verify
    BadgeFetchCAFile "$main::dir/not-a-cert.pem"
</Location>}
--- must_die
--- error_log eval
[qr{BadgeFetchCAFile: no PEM certificate could be read from \S+/not-a-cert\.pem}]

=== TEST 12: BadgeFetchCAFile: a missing file stops httpd
--- config eval
qq{<Location /verify>
    SetHandler badge-verify
    BadgeFetchCAFile "$main::dir/missing.pem"
</Location>}
--- must_die
--- error_log eval
[qr{BadgeFetchCAFile: cannot open \S+/missing\.pem: No such file or directory}]
