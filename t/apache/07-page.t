# SetHandler badge-page: public badge pages (the page API of src/page.h),
# content negotiation, conditional GETs, the index, and refusals.  The
# badge directory is made of symbolic links to the shared vectors (no
# copies): teamwork.json is the 1EdTech OB 3.0 Data Integrity vector,
# ja-dx-course.json and hostile.json the page vectors.
use Test::Badge::Apache 'no_plan';
use File::Path ();
use POSIX ();

our $root = Test::Badge::Apache::repo_root();
our $sr = Test::Badge::Apache::server_root();
our $dir = "$sr/badges";
File::Path::remove_tree($dir);
File::Path::make_path($dir, "$sr/empty");
symlink "$root/t/vectors/ob3-ldp/signed-credential.json", "$dir/teamwork.json" or die $!;
symlink "$root/t/vectors/pages/ja-dx-course.json", "$dir/ja-dx-course.json" or die $!;
symlink "$root/t/vectors/pages/hostile.json", "$dir/hostile.json" or die $!;
symlink "$root/t/vectors/pages/badge-dx.svg", "$dir/ja-dx-course.svg" or die $!;
open my $fh, '>', "$dir/broken.json" or die $!;
print $fh "this is not JSON\n";
close $fh;
mkdir "$dir/subdir.json";
# a file of its own (not a link to a shared vector) whose mtime a test
# changes
open $fh, '>', "$dir/edited.json" or die $!;
print $fh Test::Badge::Apache::vector("ob3-ldp/signed-credential.json");
close $fh;
# the key of the OB 3.0 vector's verification method (multibase)
open $fh, '>', "$sr/teamwork-key.txt" or die $!;
print $fh "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi\n";
close $fh;

our $teamwork = Test::Badge::Apache::vector("ob3-ldp/signed-credential.json");
our @st = stat "$root/t/vectors/ob3-ldp/signed-credential.json";
our $file_etag = sprintf('"%x-%x"', $st[9], $st[7]);
our $file_date = POSIX::strftime('%a, %d %b %Y %H:%M:%S GMT', gmtime $st[9]);

our $conf = <<"EOF";
Header always set X-Badge-Cache "%{BADGE_CACHE}e" env=BADGE_CACHE
<Location /badges/>
    SetHandler badge-page
    BadgePageDir "$dir"
    BadgeFetch Off
    BadgeTrustedKey https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi "$sr/teamwork-key.txt"
</Location>
<Location /list/>
    SetHandler badge-page
    BadgePageDir "$dir"
    BadgePageIndex On
    BadgeFetch Off
</Location>
EOF

run_tests();

__DATA__

=== TEST 1: the page of a verified badge (no Accept: the page)
--- config eval: $main::conf
--- request
GET /badges/teamwork
--- error_code: 200
--- response_headers
Content-Type: text/html; charset=utf-8
Cache-Control: no-cache
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
!Access-Control-Allow-Origin
!Last-Modified
--- response_headers_like
Vary: ^Accept,\s*Accept-Language$
Content-Security-Policy: ^default-src 'none'.*frame-ancestors 'none'
ETag: ^"p-[A-Za-z0-9_-]+"$
--- response_body_like: <!DOCTYPE html>.*Teamwork.*http://127\.0\.0\.1:\d+/badges/teamwork\.json
--- error_log
mod_badge: page teamwork: verified
--- no_error_log
[error]
[warn]

=== TEST 2: a browser's Accept gets the page
--- config eval: $main::conf
--- request
GET /badges/teamwork
--- more_headers
Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8
--- error_code: 200
--- response_headers
Content-Type: text/html; charset=utf-8

=== TEST 3: the page again with its ETag: 304 (ap_meets_conditions)
--- config eval: $main::conf
--- request
GET /badges/teamwork
--- more_headers eval
sub { "If-None-Match: " . ($_[0]{etag}[0] // '"none"') }
--- error_code: 304
--- response_body:

=== TEST 4: another ETag: 200
--- config eval: $main::conf
--- request
GET /badges/teamwork
--- more_headers
If-None-Match: "p-something-else"
--- error_code: 200

=== TEST 5: Accept: application/json gets the file as it is, with CORS
--- config eval: $main::conf
--- request
GET /badges/teamwork
--- more_headers
Accept: application/json
--- error_code: 200
--- response_headers eval
"Content-Type: application/json
Access-Control-Allow-Origin: *
Vary: Accept,Accept-Language
ETag: $main::file_etag
Last-Modified: $main::file_date"
--- response_body eval: $main::teamwork

=== TEST 6: <id>.json gets the file whatever Accept says
--- config eval: $main::conf
--- request
GET /badges/teamwork.json
--- more_headers
Accept: text/html
--- error_code: 200
--- response_headers
Content-Type: application/json
Access-Control-Allow-Origin: *
--- response_body eval: $main::teamwork

=== TEST 7: JSON-LD by Accept
--- config eval: $main::conf
--- request
GET /badges/teamwork
--- more_headers
Accept: application/ld+json
--- error_code: 200
--- response_headers
Content-Type: application/ld+json
Access-Control-Allow-Origin: *

=== TEST 8: ?format=json
--- config eval: $main::conf
--- request
GET /badges/teamwork?format=json
--- error_code: 200
--- response_headers
Content-Type: application/json

=== TEST 9: the file with its ETag: 304
--- config eval: $main::conf
--- request
GET /badges/teamwork.json
--- more_headers eval
"If-None-Match: $main::file_etag"
--- error_code: 304
--- response_headers eval
"ETag: $main::file_etag"

=== TEST 10: the file with If-Modified-Since its mtime: 304
--- config eval: $main::conf
--- request
GET /badges/teamwork.json
--- more_headers eval
"If-Modified-Since: $main::file_date"
--- error_code: 304

=== TEST 11: HEAD: headers, no body
--- config eval: $main::conf
--- request
HEAD /badges/teamwork.json
--- error_code: 200
--- response_headers eval
"Content-Length: " . length($main::teamwork)
--- response_body:

=== TEST 12: an unsigned credential: a page that says it is not verified
--- config eval: $main::conf
--- request
GET /badges/ja-dx-course
--- error_code: 200
--- response_body_like: (?s)<!DOCTYPE html>.*proof_missing|(?s)<!DOCTYPE html>.*(not verified|NOT VERIFIED|Not verified)
--- error_log
mod_badge: page ja-dx-course: not_verified

=== TEST 13: Japanese by Accept-Language, English by ?lang=en
--- config eval: $main::conf
--- request
GET /badges/ja-dx-course
--- more_headers
Accept-Language: ja,en;q=0.5
--- error_code: 200
--- response_body_like: <html lang="ja"

=== TEST 14: ?lang=en wins over Accept-Language
--- config eval: $main::conf
--- request
GET /badges/ja-dx-course?lang=en
--- more_headers
Accept-Language: ja
--- error_code: 200
--- response_body_like: <html lang="en"

=== TEST 15: a baked SVG beside the JSON is linked and served
--- config eval: $main::conf
--- request
GET /badges/ja-dx-course.svg
--- error_code: 200
--- response_headers
Content-Type: image/svg+xml
Access-Control-Allow-Origin: *
--- response_headers_like
Content-Security-Policy: sandbox
--- response_body_like: <svg

=== TEST 16: hostile content is escaped
--- config eval: $main::conf
--- request
GET /badges/hostile
--- error_code: 200
--- response_body_like: ^(?s)(?!.*<script>alert).*&lt;script&gt;alert
--- no_error_log
[error]

=== TEST 17: path traversal is not a badge id: 404
--- config eval: $main::conf
--- request
GET /badges/..%2e
--- error_code: 404
--- no_error_log
[error]

=== TEST 18: an id starting with a dot: 404
--- config eval: $main::conf
--- request
GET /badges/.hidden
--- error_code: 404
--- error_log
not a badge id

=== TEST 19: %00 in the id: 404 (httpd refuses it before us)
--- config eval: $main::conf
--- request
GET /badges/teamwork%00.json
--- error_code: 404

=== TEST 20: a missing badge: 404, logged at info only
--- config eval: $main::conf
--- request
GET /badges/nobody
--- error_code: 404
--- error_log
no badge file
--- no_error_log
[error]

=== TEST 21: a directory named like a badge: 404
--- config eval: $main::conf
--- request
GET /badges/subdir
--- error_code: 404

=== TEST 22: a file that is not a credential: 500, logged as the site's error, not crit
--- config eval: $main::conf
--- request
GET /badges/broken
--- error_code: 500
--- error_log
cannot show

=== TEST 23: POST: 405 with Allow
--- config eval: $main::conf
--- request
POST /badges/teamwork
x
--- error_code: 405
--- response_headers_like
Allow: GET

=== TEST 24: the location itself without BadgePageIndex: 404
--- config eval: $main::conf
--- request
GET /badges/
--- error_code: 404

=== TEST 25: BadgePageIndex On lists the badges, with links
--- config eval: $main::conf
--- request
GET /list/
--- error_code: 200
--- response_headers
Content-Type: text/html; charset=utf-8
--- response_headers_like
Content-Security-Policy: ^default-src 'none'
--- response_body_like: href="[^"]*teamwork".*Teamwork
--- error_log
broken.json left out of the index

=== TEST 26: BadgePageTemplate: a custom template is used
--- config eval
my $t = "$main::sr/tpl.html";
open my $fh, '>', $t or die;
print $fh "<!DOCTYPE html><html lang=\"{{lang}}\"><title>{{name}}</title><p>custom template</p></html>\n";
close $fh;
qq{<Location /badges/>
    SetHandler badge-page
    BadgePageDir "$main::dir"
    BadgePageTemplate "$t"
    BadgeFetch Off
</Location>}
--- request
GET /badges/teamwork
--- error_code: 200
--- response_body_like: custom template

=== TEST 27: a template with a syntax error stops httpd, naming the line
--- config eval
my $t = "$main::sr/bad-tpl.html";
open my $fh, '>', $t or die;
print $fh "<html>\n<p>ok</p>\n{{#checks}}\n<p>never closed\n</html>\n";
close $fh;
qq{<Location /badges/>
    SetHandler badge-page
    BadgePageDir "$main::dir"
    BadgePageTemplate "$t"
</Location>}
--- must_die
--- error_log eval
[qr/BadgePageTemplate: .*line \d+/, qr/Syntax error on line \d+ of/]

=== TEST 28: BadgePageDir that is not a directory stops httpd
--- config
<Location /badges/>
    SetHandler badge-page
    BadgePageDir /nonexistent/badges
</Location>
--- must_die
--- error_log
BadgePageDir: /nonexistent/badges is not a directory

=== TEST 29: SetHandler badge-page without BadgePageDir: 500, logged
--- config
<Location /badges/>
    SetHandler badge-page
</Location>
--- request
GET /badges/x
--- error_code: 500
--- error_log
SetHandler badge-page without BadgePageDir

=== TEST 30: If-None-Match: * on the page: 304
--- config eval: $main::conf
--- request
GET /badges/teamwork
--- more_headers
If-None-Match: *
--- error_code: 304

=== TEST 31: %2e%2e%2f (an encoded slash): 404, never a file outside DIR
--- config eval: $main::conf
--- request
GET /badges/%2e%2e%2fteamwork-key.txt
--- error_code: 404

=== TEST 32: an encoded slash inside DIR: 404 (the id has no slash)
--- config eval: $main::conf
--- request
GET /badges/subdir.json%2fx
--- error_code: 404

=== TEST 33: ..%2f after a name: 404
--- config eval: $main::conf
--- request
GET /badges/teamwork..%2f..%2fteamwork-key
--- error_code: 404

=== TEST 34: plain ../ is normalized by httpd before the location: never reaches DIR's parent
--- config eval: $main::conf
--- request
GET /badges/../badges/../teamwork-key.txt
--- error_code: 404
--- no_error_log
badge page

=== TEST 35: the page again: from the cache (BadgeCacheTTL), not verified nor rendered again
--- config eval: $main::conf
--- request
GET /badges/teamwork
--- error_code: 200
--- response_headers
X-Badge-Cache: hit
Content-Type: text/html; charset=utf-8
--- response_headers_like
Content-Security-Policy: ^default-src 'none'
ETag: ^"p-
--- response_body_like: <!DOCTYPE html>.*Teamwork
--- error_log
mod_badge: page teamwork: cache hit: verified
--- no_error_log
credential from

=== TEST 36: a file of its own: first a miss
--- config eval: $main::conf
--- request
GET /badges/edited
--- error_code: 200
--- response_headers
X-Badge-Cache: miss

=== TEST 37: then a hit
--- config eval: $main::conf
--- request
GET /badges/edited
--- error_code: 200
--- response_headers
X-Badge-Cache: hit

=== TEST 38: an edited file (another mtime) is a new page at once
--- config eval: $main::conf
--- request
GET /badges/edited
--- more_headers eval
sub { my $t = time + 60; utime $t, $t, "$main::dir/edited.json" or die $!; "X-Test: 1" }
--- error_code: 200
--- response_headers
X-Badge-Cache: miss
--- error_log
mod_badge: page edited: verified

=== TEST 39: the JSON file is never from the cache (sent from the file)
--- config eval: $main::conf
--- request
GET /badges/teamwork.json
--- error_code: 200
--- response_headers
!X-Badge-Cache

