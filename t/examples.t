# conf.examples/nginx/*.conf are pasteable: "nginx -t" passes with each,
# given load_module (badge-fetch.conf is the snippet the others include).
# The files the examples name under /etc/nginx/badge/ are made here with
# badgectl; /etc/nginx/badge, /etc/nginx/snippets and /var/log/nginx are
# rewritten to a temporary directory.  No server is started.

use strict;
use warnings;
use Cwd ();
use File::Temp ();
use File::Copy ();
use Test::More;

my $repo = $ENV{TEST_NGINX_REPO} || Cwd::getcwd();
my $module = $ENV{TEST_NGINX_BADGE_MODULE} || "$repo/build/ngx_http_badge_module.so";
my $nginx = $ENV{TEST_NGINX_BINARY} || 'nginx';
my $badgectl = ($ENV{BADGE_BUILD} || "$repo/build") . "/badgectl";

my $d = File::Temp::tempdir(CLEANUP => 1);
mkdir "$d/$_" for qw(logs badge snippets);
system("$badgectl keygen --type ed25519 --out $d/badge/issuer.key.pem >/dev/null 2>&1") == 0
    or die "badgectl keygen failed";
system("$badgectl status --registry $d/badge/registry.txt init >/dev/null 2>&1") == 0
    or die "badgectl status init failed";
File::Copy::copy("$repo/conf.examples/nginx/badge-fetch.conf",
                 "$d/snippets/badge-fetch.conf") or die $!;
# a trusted key for the commented-out line, should a reader uncomment it
system("$badgectl keygen --type p256 --out $d/badge/issuer2.key.pem >/dev/null 2>&1");

my @examples = grep { !/badge-fetch\.conf$/ } glob("$repo/conf.examples/nginx/*.conf");
ok(@examples >= 3, "examples found: @{[ map { s{.*/}{}r } @examples ]}");

for my $ex (@examples) {
    my $name = $ex =~ s{.*/}{}r;
    open my $in, '<', $ex or die "$ex: $!";
    local $/;
    my $conf = <$in>;
    close $in;
    $conf =~ s{/etc/nginx/badge/}{$d/badge/}g;
    $conf =~ s{/var/log/nginx/}{$d/logs/}g;
    $conf =~ s{include snippets/}{include $d/snippets/}g;
    open my $out, '>', "$d/$name" or die $!;
    print $out $conf;
    close $out;
    open my $main, '>', "$d/nginx.conf" or die $!;
    print $main "load_module $module;\nerror_log $d/logs/error.log;\n"
              . "pid $d/nginx.pid;\nevents {}\nhttp {\n"
              . "    access_log $d/logs/access.log;\n"
              . "    include $d/$name;\n}\n";
    close $main;
    my $res = `$nginx -t -p $d/ -c $d/nginx.conf -e $d/logs/error.log 2>&1`;
    like($res, qr/test is successful/, "nginx -t with $name")
        or diag($res);
    unlike($res, qr/\[(emerg|alert|crit|error)\]/, "$name: no error")
        or diag($res);
}

done_testing();
