# badge_page: public badge pages from t/vectors/pages (see its README):
# the page (verified live, rendered by the core), content negotiation, the
# file for machines, revalidation, injection and path traversal.

use Cwd ();
use Test::Nginx::Socket 'no_plan';

repeat_each(1);
no_shuffle();
log_level('info');

$ENV{TEST_NGINX_REPO} ||= Cwd::getcwd();
$ENV{TEST_NGINX_BADGE_MODULE} ||= "$ENV{TEST_NGINX_REPO}/build/ngx_http_badge_module.so";

# nginx's ETag of a file: "<mtime hex>-<size hex>"
my @st = stat("$ENV{TEST_NGINX_REPO}/t/vectors/pages/ja-dx-course.json") or die $!;
$ENV{TEST_NGINX_FILE_ETAG} = sprintf('"%x-%x"', $st[9], $st[7]);

sub main::file {
    my $f = "$ENV{TEST_NGINX_REPO}/t/vectors/pages/" . shift;
    open my $fh, '<', $f or die "$f: $!";
    binmode $fh;
    local $/;
    return scalar <$fh>;
}

run_tests();

__DATA__

=== TEST 1: the page: HTML, verified live, with its headers
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /badges/ {
        badge_page $TEST_NGINX_REPO/t/vectors/pages;
    }
--- more_headers
Accept: text/html,application/xhtml+xml,*/*;q=0.8
Accept-Language: ja
--- request
GET /badges/ja-dx-course
--- error_code: 200
--- response_headers
Content-Type: text/html; charset=utf-8
Vary: Accept, Accept-Language
Cache-Control: no-cache
X-Content-Type-Options: nosniff
--- response_headers_like
ETag: "[^"]+"
Content-Security-Policy: default-src 'none';.*
--- response_body_like: (?s)<html[^>]* lang="ja".*データ活用基礎講座 修了.*さくら国際大学
--- no_error_log
[error]



=== TEST 2: ?lang=en: the page in English
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /badges/ {
        badge_page $TEST_NGINX_REPO/t/vectors/pages;
    }
--- more_headers
Accept-Language: ja
--- request
GET /badges/ja-dx-course?lang=en
--- error_code: 200
--- response_body_like: (?s)<html[^>]* lang="en".*Sakura International University



=== TEST 3: Accept: application/json: the file itself, for machines, with CORS
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /badges/ {
        badge_page $TEST_NGINX_REPO/t/vectors/pages;
    }
--- more_headers
Accept: application/json
--- request
GET /badges/ja-dx-course
--- error_code: 200
--- response_headers eval
"Content-Type: application/json
Access-Control-Allow-Origin: *
ETag: $ENV{TEST_NGINX_FILE_ETAG}
Vary: Accept, Accept-Language
"
--- response_headers_like
Last-Modified: .+ GMT
--- response_body eval
main::file("ja-dx-course.json")



=== TEST 4: <id>.json: the file, whatever Accept says
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /badges/ {
        badge_page $TEST_NGINX_REPO/t/vectors/pages;
    }
--- more_headers
Accept: text/html
--- request
GET /badges/ja-dx-course.json
--- error_code: 200
--- response_headers
Content-Type: application/json
--- response_body eval
main::file("ja-dx-course.json")



=== TEST 5: application/ld+json
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /badges/ {
        badge_page $TEST_NGINX_REPO/t/vectors/pages;
    }
--- more_headers
Accept: application/ld+json
--- request
GET /badges/ja-dx-course
--- error_code: 200
--- response_headers
Content-Type: application/ld+json



=== TEST 6: revalidating the file: 304
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /badges/ {
        badge_page $TEST_NGINX_REPO/t/vectors/pages;
    }
--- more_headers eval
"If-None-Match: $ENV{TEST_NGINX_FILE_ETAG}"
--- request
GET /badges/ja-dx-course.json
--- error_code: 304
--- response_body:



=== TEST 7: revalidating the page (If-None-Match: *): 304
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /badges/ {
        badge_page $TEST_NGINX_REPO/t/vectors/pages;
    }
--- more_headers
If-None-Match: *
--- request
GET /badges/ja-dx-course
--- error_code: 304
--- response_body:



=== TEST 8: a stale page ETag: 200
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /badges/ {
        badge_page $TEST_NGINX_REPO/t/vectors/pages;
    }
--- more_headers
If-None-Match: "0000"
--- request
GET /badges/ja-dx-course
--- error_code: 200



=== TEST 9: markup in every field is shown escaped
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /badges/ {
        badge_page $TEST_NGINX_REPO/t/vectors/pages;
    }
--- request
GET /badges/hostile
--- error_code: 200
--- response_body_like: &lt;script&gt;alert\(
--- response_body_unlike: <script>alert|(href|src|action)="\s*(javascript|vbscript|data:text)|</title><script|<img src=x|<svg onload



=== TEST 10: no such badge: 404
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /badges/ {
        badge_page $TEST_NGINX_REPO/t/vectors/pages;
    }
--- request
GET /badges/nonexistent
--- error_code: 404



=== TEST 11: path traversal with %2e%2e and an encoded slash: 404, never the file outside DIR
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /badges/ {
        badge_page $TEST_NGINX_REPO/t/vectors/pages;
    }
--- request
GET /badges/%2e%2e%2fnginx%2fdid.json
--- error_code: 404
--- response_body_unlike: verificationMethod



=== TEST 12: an encoded slash inside DIR: 404 (the id has no slash)
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /badges/ {
        badge_page $TEST_NGINX_REPO/t/vectors;
    }
--- request
GET /badges/pages%2fja-dx-course.json
--- error_code: 404
--- response_body_unlike: sakura



=== TEST 13: ..%2f after a name: 404
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /badges/ {
        badge_page $TEST_NGINX_REPO/t/vectors/pages;
    }
--- request
GET /badges/x%2f..%2f..%2fnginx%2fdid
--- error_code: 404
--- response_body_unlike: verificationMethod



=== TEST 14: an embedded NUL: refused
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /badges/ {
        badge_page $TEST_NGINX_REPO/t/vectors/pages;
    }
--- request
GET /badges/ja-dx-course%00.json
--- error_code: 400
--- response_body_unlike: sakura



=== TEST 15: a hidden file name: 404
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /badges/ {
        badge_page $TEST_NGINX_REPO/t/vectors/pages;
    }
--- request
GET /badges/.hidden
--- error_code: 404



=== TEST 16: plain ../ is normalized by nginx before the location: never reaches DIR's parent
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /badges/ {
        badge_page $TEST_NGINX_REPO/t/vectors/pages;
    }
--- request
GET /badges/../nginx/did.json
--- error_code: 404
--- response_body_unlike: verificationMethod



=== TEST 17: POST: 405
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /badges/ {
        badge_page $TEST_NGINX_REPO/t/vectors/pages;
    }
--- request
POST /badges/ja-dx-course
x
--- error_code: 405



=== TEST 18: a custom template: compiled at load
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /badges/ {
        badge_page $TEST_NGINX_REPO/t/vectors/pages;
        badge_page_template $TEST_NGINX_SERVROOT/html/tpl.html;
    }
--- user_files
>>> tpl.html
<!DOCTYPE html><html lang="{{lang}}"><head><title>{{title}}</title></head><body><h1>CUSTOM {{title}}</h1></body></html>
--- request
GET /badges/ja-dx-course?lang=en
--- error_code: 200
--- response_body_like: <h1>CUSTOM [^<]+</h1>



=== TEST 19: a broken template stops nginx, naming the line
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /badges/ {
        badge_page $TEST_NGINX_REPO/t/vectors/pages;
        badge_page_template $TEST_NGINX_SERVROOT/html/tpl.html;
    }
--- user_files
>>> tpl.html
<html>
<body>
{{#tags}}
</body>
--- must_die
--- error_log eval
qr/badge_page_template: .*line \d+/



=== TEST 20: badge_page_index on: the directory's badges, linked
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /badges/ {
        badge_page $TEST_NGINX_REPO/t/vectors/pages;
        badge_page_index on;
    }
--- more_headers
Accept-Language: en
--- request
GET /badges/
--- error_code: 200
--- response_headers
Content-Type: text/html; charset=utf-8
--- response_body_like: (?s)<html[^>]* lang="en".*href="[^"]*/badges/ja-dx-course"
--- response_body_unlike: <script>alert



=== TEST 21: badge_page_index off (the default): 404
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /badges/ {
        badge_page $TEST_NGINX_REPO/t/vectors/pages;
    }
--- request
GET /badges/
--- error_code: 404



=== TEST 22: in Japanese each check reads in Japanese (a pass, a fail, an unchecked), the English detail marked lang="en"
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /badges/ {
        badge_page $TEST_NGINX_REPO/t/vectors/pages;
    }
--- more_headers
Accept: text/html
--- request
GET /badges/ja-dx-course?lang=ja
--- error_code: 200
--- response_body_like: (?s)<li class="check-pass">.*<span class="check-msg">資格情報の構造に問題はありません。<span class="check-detail" lang="en">a VC 2.0 Open Badges 3.0 credential</span></span>.*<li class="check-fail">.*<span class="check-msg">証明（署名）がないため、誰が発行したかを示すものがありません。<span class="check-detail" lang="en">.*<li class="check-unchecked">.*<span class="check-msg">資格情報が認証されていないため、発行者は確認していません。</span>
