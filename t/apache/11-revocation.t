# Revocation end to end (twin of t/issuer.t TESTs 14-16): this server
# publishes the issuer's status list (badge-status) and verifies, through
# that list, a credential the issuer signed (badge-verify and Require
# badge fetch it from here).  The key, registry and credential are made
# with badgectl.  Unlike nginx, which reads the registry at configuration
# load, badge-status re-publishes the list when the registry file changes
# (checked every 5 seconds): "badgectl status revoke" takes effect with no
# reload.  BadgeCacheTTL 0: with the result cache on, a revocation shows
# once the cached result expires (docs/apache-directives.md, BadgeCache).
use Test::Badge::Apache 'no_plan';
use File::Temp ();

my $repo = Test::Badge::Apache::repo_root();
our $badgectl = ($ENV{BADGE_BUILD} || "$repo/build") . "/badgectl";
our $port = Test::Badge::Apache::server_port();
our $dir = File::Temp::tempdir(CLEANUP => 1);
chmod 0755, $dir;

sub run_or_die {
    my $cmd = shift;
    my $out = `$cmd 2>&1`;
    die "$cmd: $out" if $?;
    return $out;
}

my $keygen = run_or_die("$badgectl keygen --out $dir/key.pem");
our ($did) = $keygen =~ /^did:key\s+(\S+)/m or die "keygen: $keygen";
our $list = "http://127.0.0.1:$port/status/1";
our $id = "urn:uuid:11111111-2222-3333-4444-555555555555";
my $entry = run_or_die("$badgectl status --registry $dir/reg.txt allocate --id $id --sequential --list-url $list");
my ($index) = $entry =~ /"statusListIndex":\s*"(\d+)"/ or die "allocate: $entry";
chmod 0644, "$dir/reg.txt";
open my $fh, '>', "$dir/cred.json" or die $!;
print $fh <<"JSON";
{"\@context": ["https://www.w3.org/ns/credentials/v2",
  "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
 "id": "$id",
 "type": ["VerifiableCredential", "OpenBadgeCredential"],
 "issuer": {"id": "$did", "type": ["Profile"], "name": "Issuer Example"},
 "validFrom": "2024-01-01T00:00:00Z",
 "name": "DX course",
 "credentialSubject": {"id": "did:example:holder", "type": ["AchievementSubject"],
   "achievement": {"id": "https://issuer.example/achievements/dx", "type": ["Achievement"],
     "name": "DX", "description": "x", "criteria": {"narrative": "x"}}},
 "credentialStatus": {"id": "$list#$index",
   "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
   "statusListIndex": "$index", "statusListCredential": "$list"}}
JSON
close $fh;
our $cred = run_or_die("$badgectl sign --key $dir/key.pem --format jwt $dir/cred.json") =~ s/\s+\z//r;

our $conf = <<"EOF";
Alias /members "/etc/hostname"
<Location /status/1>
    SetHandler badge-status
    BadgeIssuerKey "$dir/key.pem"
    BadgeIssuerDid $did
    BadgeStatusRegistry "$dir/reg.txt"
    BadgeStatusListUrl $list
</Location>
<Location /verify>
    SetHandler badge-verify
    BadgeFetchAllowHttp On
    BadgeFetchAllowPrivate On
    BadgeCacheTTL 0
</Location>
<Location /members>
    BadgeTrustedIssuer $did
    BadgeFetchAllowHttp On
    BadgeFetchAllowPrivate On
    BadgeCacheTTL 0
    Require badge verified
</Location>
EOF

run_tests();

__DATA__

=== TEST 1: before the revocation: verified through the list this server publishes
--- config eval: $main::conf
--- request eval
"POST /verify\n$main::cred"
--- more_headers
Content-Type: application/jwt
--- error_code: 200
--- response_body_like: (?s)^\{\s*"verified":\s*true,\s*"status":\s*"verified",.*"check":\s*"status",\s*"status":\s*"pass",\s*"code":\s*"status_not_revoked"
--- error_log eval
[qr{fetched http://127\.0\.0\.1:\d+/status/1: 200}]
--- no_error_log
[error]
[warn]

=== TEST 2: the gate admits it
--- config eval: $main::conf
--- request
GET /members
--- more_headers eval
"Authorization: Bearer $main::cred"
--- error_code: 200
--- response_headers
!X-Badge-Error

=== TEST 3: "badgectl status revoke", no reload: revoked
--- config eval: $main::conf
--- request eval
"POST /verify\n$main::cred"
--- more_headers eval
sub {
    my $out = `$main::badgectl status --registry $main::dir/reg.txt revoke --id $main::id --reason 'issued in error' 2>&1`;
    die "revoke: $out" if $?;
    sleep 6;    # the registry is looked at every 5 seconds at most
    "Content-Type: application/jwt";
}
--- error_code: 200
--- response_body_like: (?s)^\{\s*"verified":\s*false,\s*"status":\s*"revoked",.*"check":\s*"status",\s*"status":\s*"fail",\s*"code":\s*"status_revoked"
--- no_error_log
[error]

=== TEST 4: ... and the gate turns the revoked credential away
--- config eval: $main::conf
--- request
GET /members
--- more_headers eval
"Authorization: Bearer $main::cred"
--- error_code: 403
--- response_headers
X-Badge-Error: status_revoked
