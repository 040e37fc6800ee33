# Fetching what the core asks for (here: the credential at ?url=), with
# the SSRF guard after DNS resolution, limits, redirects and timeouts.
# The documents come from the test server itself (Alias /docs) and from a
# small scripted HTTP server forked below on port 1987.
use Test::Badge::Apache 'no_plan';
use IO::Socket::INET;
use Socket qw(inet_ntoa);
use Sys::Hostname ();
use POSIX ();

our $port = Test::Badge::Apache::server_port();
our $docs = Test::Badge::Apache::repo_root() . "/t/vectors/shared";
our $valid = Test::Badge::Apache::vector("shared/vc-jwt-eddsa-didjwk.jwt") =~ s/\s+//gr;

# a host name (not an IP literal, not "localhost") that resolves to a
# loopback address: only the check after resolution can refuse it
our $loopback_name;
for my $name (Sys::Hostname::hostname(), 'localhost.') {
    my $packed = gethostbyname($name) or next;
    if (inet_ntoa($packed) =~ /^127\./) {
        $loopback_name = $name;
        last;
    }
}
die "no host name resolves to a loopback address here\n"
    unless defined $loopback_name;

# the scripted server: /slow never answers, /chunked answers chunked,
# /huge sends more than any limit
my $listener = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 1987,
                                     Listen => 16, ReuseAddr => 1)
    or die "cannot listen on 1987: $!";
my $server_pid = fork();
die "fork: $!" unless defined $server_pid;
if ($server_pid == 0) {
    # out of prove's way: a handler sleeping in /slow must not hold the
    # test's output open
    POSIX::setpgid(0, 0);
    open STDOUT, '>', '/dev/null';
    open STDERR, '>', '/dev/null';
    $SIG{CHLD} = 'IGNORE';
    while (my $c = $listener->accept) {
        next if fork();
        my $req = '';
        while (<$c>) { $req .= $_; last if /^\r?\n$/; }
        my ($path) = $req =~ m{^GET (\S+)};
        $path //= '';
        if ($path eq '/slow') {
            sleep 30;
        } elsif ($path eq '/chunked') {
            my $b = $valid;
            my $half = int(length($b) / 2);
            print $c "HTTP/1.1 200 OK\r\nContent-Type: application/jwt\r\n"
                . "Transfer-Encoding: chunked\r\n\r\n"
                . sprintf("%x\r\n%s\r\n", $half, substr($b, 0, $half))
                . sprintf("%x;ext=1\r\n%s\r\n", length($b) - $half, substr($b, $half))
                . "0\r\n\r\n";
        } elsif ($path eq '/bad-chunked') {
            print $c "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                . "zz\r\nxx\r\n0\r\n\r\n";
        } elsif ($path eq '/huge') {
            print $c "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n";
            print $c ("x" x 65536) for 1 .. 64;
        } elsif ($path eq '/clean') {
            # what the client sent the verifier must not be passed on
            if ($req =~ /^(?:Cookie|Authorization|Content-Length|Transfer-Encoding|X-Secret):/mi
                || $req !~ /^GET /) {
                print $c "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n";
            } else {
                print $c "HTTP/1.1 200 OK\r\nContent-Type: application/jwt\r\n"
                    . "Content-Length: " . length($valid) . "\r\n\r\n$valid";
            }
        } elsif ($path eq '/gzip') {
            print $c "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n"
                . "Content-Length: 3\r\n\r\nabc";
        } else {
            print $c "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
        }
        close $c;
        exit 0;
    }
    exit 0;
}
close $listener;
END { kill 'KILL', -$server_pid if $server_pid; }

run_tests();

__DATA__

=== TEST 1: ?url= on a loopback http URL, allowed: fetched and verified
--- config eval
qq{Alias /docs "$main::docs"
<Location /verify>
    SetHandler badge-verify
    BadgeFetchAllowHttp On
    BadgeFetchAllowPrivate On
</Location>}
--- request eval
"GET /verify?url=http%3A%2F%2F127.0.0.1%3A$main::port%2Fdocs%2Fvc-jwt-eddsa-didjwk.jwt"
--- error_code: 200
--- response_body_like: ^\{\s*"verified":\s*true
--- error_log eval
qr{fetched http://127\.0\.0\.1:\d+/docs/vc-jwt-eddsa-didjwk\.jwt: 200, \d+ bytes}

=== TEST 2: the same without BadgeFetchAllowPrivate: refused by the URL policy
--- config eval
qq{Alias /docs "$main::docs"
<Location /verify>
    SetHandler badge-verify
    BadgeFetchAllowHttp On
</Location>}
--- request eval
"GET /verify?url=http://127.0.0.1:$main::port/docs/vc-jwt-eddsa-didjwk.jwt"
--- error_code: 400
--- response_body_like: ^\{\s*"verified":\s*false.*"code":\s*"url_refused"
--- no_error_log
fetched http

=== TEST 3: a name that resolves to loopback: refused after DNS resolution
--- config eval
qq{Alias /docs "$main::docs"
<Location /verify>
    SetHandler badge-verify
    BadgeFetchAllowHttp On
</Location>}
--- request eval
"GET /verify?url=http://$main::loopback_name:$main::port/docs/vc-jwt-eddsa-didjwk.jwt"
--- error_code: 400
--- response_body_like: ^\{\s*"verified":\s*false.*"code":\s*"fetch_failed"
--- error_log eval
qr/cannot fetch http:\S+: \S+ is 127\.[0-9.]+, a private address \(BadgeFetchAllowPrivate is Off\)/
--- no_error_log
fetched http

=== TEST 4: http:// without BadgeFetchAllowHttp: refused
--- config eval
qq{<Location /verify>
    SetHandler badge-verify
    BadgeFetchAllowPrivate On
</Location>}
--- request eval
"GET /verify?url=http://127.0.0.1:$main::port/docs/x.jwt"
--- error_code: 400
--- response_body_like: "code":\s*"url_refused"

=== TEST 5: BadgeFetch Off: nothing is fetched
--- config eval
qq{Alias /docs "$main::docs"
<Location /verify>
    SetHandler badge-verify
    BadgeFetch Off
    BadgeFetchAllowHttp On
    BadgeFetchAllowPrivate On
</Location>}
--- request eval
"GET /verify?url=http://127.0.0.1:$main::port/docs/vc-jwt-eddsa-didjwk.jwt"
--- error_code: 400
--- response_body_like: "code":\s*"fetch_failed"
--- error_log
(BadgeFetch Off)

=== TEST 6: a 404 is handed to the core as a 404
--- config eval
qq{Alias /docs "$main::docs"
<Location /verify>
    SetHandler badge-verify
    BadgeFetchAllowHttp On
    BadgeFetchAllowPrivate On
</Location>}
--- request eval
"GET /verify?url=http://127.0.0.1:$main::port/docs/nothing-here.jwt"
--- error_code: 400
--- response_body_like: "code":\s*"fetch_http_error"
--- error_log eval
qr{fetched http://127\.0\.0\.1:\d+/docs/nothing-here\.jwt: 404}

=== TEST 7: over BadgeFetchMaxSize (Content-Length): not fetched
--- config eval
qq{Alias /docs "$main::docs"
<Location /verify>
    SetHandler badge-verify
    BadgeFetchAllowHttp On
    BadgeFetchAllowPrivate On
    BadgeFetchMaxSize 100
</Location>}
--- request eval
"GET /verify?url=http://127.0.0.1:$main::port/docs/vc-jwt-eddsa-didjwk.jwt"
--- error_code: 400
--- response_body_like: "code":\s*"fetch_failed"
--- error_log
larger than 100 bytes

=== TEST 8: over BadgeFetchMaxSize (no Content-Length, until close): not fetched
--- config
<Location /verify>
    SetHandler badge-verify
    BadgeFetchAllowHttp On
    BadgeFetchAllowPrivate On
    BadgeFetchMaxSize 64K
</Location>
--- request
GET /verify?url=http://127.0.0.1:1987/huge
--- error_code: 400
--- response_body_like: "code":\s*"fetch_failed"
--- error_log
larger than 65536 bytes

=== TEST 9: a redirect is followed
--- config eval
qq{Alias /docs "$main::docs"
Redirect /moved http://127.0.0.1:$main::port/docs/vc-jwt-eddsa-didjwk.jwt
<Location /verify>
    SetHandler badge-verify
    BadgeFetchAllowHttp On
    BadgeFetchAllowPrivate On
</Location>}
--- request eval
"GET /verify?url=http://127.0.0.1:$main::port/moved"
--- error_code: 200
--- response_body_like: ^\{\s*"verified":\s*true
--- error_log eval
qr{fetched http://127\.0\.0\.1:\d+/moved: 200}

=== TEST 10: a redirect out of the URL policy is refused
--- config eval
qq{Redirect /elsewhere ftp://example.edu/badge.jwt
<Location /verify>
    SetHandler badge-verify
    BadgeFetchAllowHttp On
    BadgeFetchAllowPrivate On
</Location>}
--- request eval
"GET /verify?url=http://127.0.0.1:$main::port/elsewhere"
--- error_code: 400
--- response_body_like: "code":\s*"fetch_failed"
--- error_log
redirect to ftp://example.edu/badge.jwt refused

=== TEST 11: a redirect loop stops
--- config eval
qq{Redirect /loop http://127.0.0.1:$main::port/loop
<Location /verify>
    SetHandler badge-verify
    BadgeFetchAllowHttp On
    BadgeFetchAllowPrivate On
</Location>}
--- request eval
"GET /verify?url=http://127.0.0.1:$main::port/loop"
--- error_code: 400
--- error_log
too many redirects

=== TEST 12: a server that never answers: BadgeFetchTimeout
--- config
<Location /verify>
    SetHandler badge-verify
    BadgeFetchAllowHttp On
    BadgeFetchAllowPrivate On
    BadgeFetchTimeout 500ms
</Location>
--- request
GET /verify?url=http://127.0.0.1:1987/slow
--- error_code: 400
--- response_body_like: "code":\s*"fetch_failed"
--- error_log
cannot fetch http://127.0.0.1:1987/slow: timed out

=== TEST 13: a chunked answer is decoded
--- config
<Location /verify>
    SetHandler badge-verify
    BadgeFetchAllowHttp On
    BadgeFetchAllowPrivate On
</Location>
--- request
GET /verify?url=http://127.0.0.1:1987/chunked
--- error_code: 200
--- response_body_like: ^\{\s*"verified":\s*true
--- error_log eval
qr{fetched http://127\.0\.0\.1:1987/chunked: 200, \d+ bytes, application/jwt}

=== TEST 14: a malformed chunked answer is refused
--- config
<Location /verify>
    SetHandler badge-verify
    BadgeFetchAllowHttp On
    BadgeFetchAllowPrivate On
</Location>
--- request
GET /verify?url=http://127.0.0.1:1987/bad-chunked
--- error_code: 400
--- error_log
malformed chunked body

=== TEST 15: a Content-Encoding that was not asked for is refused
--- config
<Location /verify>
    SetHandler badge-verify
    BadgeFetchAllowHttp On
    BadgeFetchAllowPrivate On
</Location>
--- request
GET /verify?url=http://127.0.0.1:1987/gzip
--- error_code: 400
--- error_log
Content-Encoding gzip was not asked for

=== TEST 16: nothing listening: the connection error is logged at info, 400
--- config
<Location /verify>
    SetHandler badge-verify
    BadgeFetchAllowHttp On
    BadgeFetchAllowPrivate On
</Location>
--- request
GET /verify?url=http://127.0.0.1:1999/none
--- error_code: 400
--- error_log
cannot connect to 127.0.0.1
--- no_error_log
[error]

=== TEST 17: a form with url= (nginx: fetch.t TEST 7)
--- config eval
qq{Alias /docs "$main::docs"
<Location /verify>
    SetHandler badge-verify
    BadgeFetchAllowHttp On
    BadgeFetchAllowPrivate On
</Location>}
--- request eval
"POST /verify\nurl=http%3A%2F%2F127.0.0.1%3A$main::port%2Fdocs%2Fvc-jwt-eddsa-didjwk.jwt"
--- more_headers
Content-Type: application/x-www-form-urlencoded
--- error_code: 200
--- response_body_like: ^\{\s*"verified":\s*true

=== TEST 18: the fetch is a clean GET: no client cookie, credentials or body (nginx: fetch.t TEST 14)
--- config
<Location /verify>
    SetHandler badge-verify
    BadgeFetchAllowHttp On
    BadgeFetchAllowPrivate On
</Location>
--- request
GET /verify?url=http%3A%2F%2F127.0.0.1%3A1987%2Fclean
--- more_headers
Cookie: session=secret
Authorization: Bearer secret
X-Secret: 1
--- error_code: 200
--- response_body_like: ^\{\s*"verified":\s*true
--- error_log eval
qr{fetched http://127\.0\.0\.1:1987/clean: 200}

