# badge_cache: rendered badge pages in a shared-memory zone.  Each block's
# request runs twice against the same nginx (repeat_each(2)): the first
# renders and stores the page, the second is answered from the zone.

use Cwd ();
use Test::Nginx::Socket 'no_plan';

repeat_each(2);
no_shuffle();
log_level('debug');

$ENV{TEST_NGINX_REPO} ||= Cwd::getcwd();
$ENV{TEST_NGINX_BADGE_MODULE} ||= "$ENV{TEST_NGINX_REPO}/build/ngx_http_badge_module.so";

run_tests();

__DATA__

=== TEST 1: the second request is a cache hit, with the same page and ETag
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- http_config
    badge_cache zone=badge_pages:1m ttl=1m;
--- config
    location /badges/ {
        badge_page $TEST_NGINX_REPO/t/vectors/pages;
    }
--- request
GET /badges/ja-dx-course?lang=en
--- error_code: 200
--- response_headers
Content-Type: text/html; charset=utf-8
Cache-Control: no-cache
--- response_headers_like
ETag: "[^"]+"
--- response_body_like: (?s)<html[^>]* lang="en".*Sakura International University
--- error_log
badge page cache miss: "
badge page cache hit: "
--- no_error_log
[error]



=== TEST 2: without badge_cache: never a hit
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- config
    location /badges/ {
        badge_page $TEST_NGINX_REPO/t/vectors/pages;
    }
--- request
GET /badges/ja-dx-course
--- error_code: 200
--- no_error_log
badge page cache hit
badge page cache miss



=== TEST 3: a page too large for the zone (over an eighth) is not kept
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- http_config
    badge_cache zone=tiny:32k;
--- config
    location /badges/ {
        badge_page $TEST_NGINX_REPO/t/vectors/pages;
    }
--- request
GET /badges/ja-dx-course
--- error_code: 200
--- error_log
not kept
--- no_error_log
badge page cache hit



=== TEST 4: badge_cache off in a location
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- http_config
    badge_cache zone=badge_pages:1m;
--- config
    location /badges/ {
        badge_cache off;
        badge_page $TEST_NGINX_REPO/t/vectors/pages;
    }
--- request
GET /badges/ja-dx-course
--- error_code: 200
--- no_error_log
badge page cache hit



=== TEST 5: a bad size stops nginx
--- main_config
load_module $TEST_NGINX_BADGE_MODULE;
--- http_config
    badge_cache zone=x:lots;
--- config
--- must_die
--- error_log
invalid zone size "zone=x:lots"
