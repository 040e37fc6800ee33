# Hostile inputs at the Apache level (docs/hostile-inputs.md): header
# injection through the exported BADGE_* variables, and oversize headers.
# Port 1999 unless TEST_BADGE_APACHE_PORT says otherwise.  The redirect and
# private-address rows are t/apache/05-fetch.t, oversize bodies
# t/apache/01-input.t, path traversal t/apache/07-page.t.
BEGIN { $ENV{TEST_BADGE_APACHE_PORT} ||= 1999 }

use File::Temp ();
use Test::Badge::Apache 'no_plan';

# A credential signed here, by a did:key issuer, whose exported fields
# carry CR LF and markup.
my $repo = Test::Badge::Apache::repo_root();
my $badgectl = ($ENV{BADGE_BUILD} || "$repo/build") . "/badgectl";
my $dir = File::Temp::tempdir(CLEANUP => 1);
my $out = `$badgectl keygen --out $dir/key.pem 2>/dev/null`;
our ($did) = $out =~ /^did:key\s+(\S+)/m or die "badgectl keygen: $out";
my $evil = 'Evil\r\nX-Injected: 1\r\nSet-Cookie: session=stolen\r\n\r\n<script>alert(1)</script>';
open my $fh, '>', "$dir/cred.json" or die $!;
print $fh <<"JSON";
{"\@context": ["https://www.w3.org/ns/credentials/v2",
  "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
 "id": "urn:uuid:6b0f3c1e-8d0a-4a53-9a43-6e5c8b3a1d01\\r\\nX-Injected: 1",
 "type": ["VerifiableCredential", "OpenBadgeCredential"],
 "issuer": {"id": "$did", "type": ["Profile"], "name": "$evil"},
 "validFrom": "2024-01-01T00:00:00Z", "name": "$evil",
 "credentialSubject": {"id": "did:example:holder\\r\\nX-Injected: 1",
   "type": ["AchievementSubject"],
   "achievement": {"id": "https://example.org/a/1\\r\\nX-Injected: 1",
     "type": ["Achievement"], "name": "$evil",
     "criteria": {"narrative": "x"}}}}
JSON
close $fh;
our $evil_jwt = `$badgectl sign --key $dir/key.pem --format jwt $dir/cred.json`;
$evil_jwt =~ s/\s+\z//;
die "badgectl sign failed" unless $evil_jwt =~ /^[\w-]+\.[\w-]+\.[\w-]+$/;
our $big = 'A' x (48 * 1024);

run_tests();

__DATA__

=== TEST 1: header injection through Header set %{BADGE_*}e: no injected header, the request still works
--- config eval
qq|Alias /alumni /etc/hostname
BadgeTrustedIssuer $main::did
<Location /alumni>
    BadgeFetch Off
    Require badge verified
    Header always set X-Badge-Subject "%{BADGE_SUBJECT}e"
    Header always set X-Badge-Achievement "%{BADGE_ACHIEVEMENT}e"
    Header always set X-Badge-Issuer-Name "%{BADGE_ISSUER_NAME}e"
    Header always set X-Badge-Achievement-Name "%{BADGE_ACHIEVEMENT_NAME}e"
</Location>
|
--- request
GET /alumni
--- more_headers eval
"Authorization: Bearer $main::evil_jwt"
--- error_code: 200
--- response_headers
!X-Injected
!Set-Cookie

=== TEST 2: the same through the badge-verify handler's env
--- config
<Location /verify>
    SetHandler badge-verify
    BadgeFetch Off
    Header always set X-Badge-Subject "%{BADGE_SUBJECT}e"
    Header always set X-Badge-Achievement-Name "%{BADGE_ACHIEVEMENT_NAME}e"
</Location>
--- request eval
"POST /verify\n$main::evil_jwt"
--- more_headers
Content-Type: application/jwt
--- error_code: 200
--- response_headers
!X-Injected
!Set-Cookie
--- response_body_like: "verified": true

=== TEST 3: an oversize header (48 KiB bearer): httpd's own 400, no crash
--- config
Alias /alumni /etc/hostname
<Location /alumni>
    BadgeFetch Off
    Require badge verified
</Location>
--- request
GET /alumni
--- more_headers eval
"Authorization: Bearer $main::big"
--- error_code: 400
