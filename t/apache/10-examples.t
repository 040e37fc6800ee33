# Every file of conf.examples/apache/ pastes into a server that starts:
# the paths of the examples (/etc/apache2/badge/..., /srv/badges,
# /var/lib/badge/...) are pointed at the shared test vectors, and the
# result is the server configuration of a block that must start and
# answer.
use Test::Badge::Apache 'no_plan';
use File::Copy ();
use File::Path ();

our $root = Test::Badge::Apache::repo_root();
our $sr = Test::Badge::Apache::server_root();
my $etc = "$sr/examples/etc";
File::Path::make_path($etc);
File::Copy::copy("$root/t/vectors/shared/key-ed25519-web.pem", "$etc/issuer-key.pem") or die $!;
chmod 0600, "$etc/issuer-key.pem";
open my $fh, '>', "$sr/examples/registry.tsv" or die $!;
print $fh "# badge-status-registry v1 size=131072\n";
close $fh;

sub example {
    my $name = shift;
    open my $in, '<', "$root/conf.examples/apache/$name" or die "$name: $!";
    local $/;
    my $text = <$in>;
    my %map = (
        '/etc/apache2/badge/key-1.pub.pem' => "$root/t/vectors/shared/key-ed25519-web.pub.pem",
        '/etc/apache2/badge/did.json' => "$root/t/vectors/shared/did-web-example.edu.json",
        '/etc/apache2/badge/status-1.json' => "$root/t/vectors/shared/did-web-example.edu.json",
        '/etc/apache2/badge/issuer-key.pem' => "$etc/issuer-key.pem",
        '/var/lib/badge/registry.tsv' => "$sr/examples/registry.tsv",
        '/srv/badges' => "$root/t/vectors/pages",
        '${APACHE_RUN_DIR}' => "$sr/logs",
        '${APACHE_LOG_DIR}' => "$sr/logs",
    );
    for my $k (sort { length $b <=> length $a } keys %map) {
        $text =~ s/\Q$k\E/$map{$k}/g;
    }
    die "$name: a path is left unmapped\n" if $text =~ m{^\s*[^#\s].*\s/(?:etc|srv|var)/}m;
    return $text;
}

run_tests();

__DATA__

=== TEST 1: badge-gate.conf
--- config eval: main::example("badge-gate.conf")
--- request
GET /alumni/
--- error_code: 403

=== TEST 2: offline-trust.conf
--- config eval: main::example("offline-trust.conf")
--- request
GET /verify
--- error_code: 400

=== TEST 3: verify-endpoint.conf
--- config eval: main::example("verify-endpoint.conf")
--- request
GET /verify
--- error_code: 400

=== TEST 4: badge-pages.conf
--- http_config eval
my $t = main::example("badge-pages.conf");
# BadgeCache is server-wide: outside the virtual host
$t =~ s/^(BadgeCache .*)$//m; $1
--- config eval
main::example("badge-pages.conf") =~ s/^BadgeCache .*$//mr
--- request
GET /badges/ja-dx-course.json
--- error_code: 200

=== TEST 5: issuer.conf
--- config eval: main::example("issuer.conf")
--- request
GET /.well-known/did.json
--- error_code: 200
--- no_error_log
[warn]
