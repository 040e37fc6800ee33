package Test::Nginx::Socket;

# A small stand-in for Test::Nginx::Socket (CPAN), used only where the real
# one is not installed (t/run-tests.sh adds -I t/lib when
# `perl -MTest::Nginx::Socket -e1` fails).  It reads the same block format
# on Debian's Test::Base and implements the subset our suites use, with the
# real module's semantics, so that t/*.t run unchanged under either:
#
#   use Test::Nginx::Socket 'no_plan';   (or: plan tests => N)
#   repeat_each(N) no_shuffle() master_on() master_off() workers(N)
#   log_level(LEVEL) no_root_location() run_tests() blocks()
#
# Sections: main_config http_config config request raw_request
# more_headers response_body response_body_like response_body_unlike
# error_code response_headers response_headers_like error_log
# no_error_log must_die user_files timeout skip_nginx
#
# Environment: TEST_NGINX_BINARY (default: nginx in PATH), TEST_NGINX_PORT
# (or TEST_NGINX_SERVER_PORT; default 1984), TEST_NGINX_SERVROOT (default
# t/servroot), TEST_NGINX_SLEEP; and, for slow runs (valgrind), ours:
# TEST_NGINX_START_TIMEOUT (5 s), TEST_NGINX_TIMEOUT (3 s per request).  $TEST_NGINX_* in the config sections,
# the request, more_headers and user_files is replaced by the environment
# variable's value; $TEST_NGINX_SERVER_PORT and $TEST_NGINX_HTML_DIR are set.
#
# Unlike the real module, nginx runs in the foreground (daemon off) as a
# child of the test, which is simpler to stop and to watch; the generated
# nginx.conf is otherwise the same shape.

use strict;
use warnings;

use Test::Base ();
use Cwd qw(cwd abs_path);
use File::Path qw(make_path remove_tree);
use File::Basename qw(dirname);
use IO::Socket::INET;
use IO::Select;
use POSIX qw(:sys_wait_h);
use Time::HiRes qw(sleep time);

our $VERSION = '0.01-badge';

my @our_exports = qw(
    run_tests run_test repeat_each no_shuffle master_on master_off
    workers log_level no_root_location server_port html_dir server_root
    env_to_nginx no_long_string worker_connections
);

sub import {
    my ($class, @args) = @_;
    my $caller = caller;

    # Test::Base's own import in the caller's package: exports blocks(),
    # plan(), is() ... and takes the plan ('no_plan', tests => N)
    my $code = "package $caller; Test::Base->import(\@args); 1";
    eval $code or die $@;

    no strict 'refs';
    for my $name (@our_exports) {
        *{"${caller}::$name"} = \&{"Test::Nginx::Socket::$name"};
    }
}

our $RepeatEach = 1;
our $MasterProcessEnabled = 'off';
our $Workers = 1;
our $LogLevel = 'debug';
our $NoRootLocation = 0;
our $WorkerConnections = 64;
our @EnvToNginx;

our $ServerPort = $ENV{TEST_NGINX_PORT} || $ENV{TEST_NGINX_SERVER_PORT}
                  || 1984;
our $ServRoot = $ENV{TEST_NGINX_SERVROOT} || cwd() . '/t/servroot';
$ServRoot = cwd() . "/$ServRoot" if $ServRoot !~ m{^/};
our $HtmlDir = "$ServRoot/html";
our $ConfDir = "$ServRoot/conf";
our $LogDir = "$ServRoot/logs";
our $ErrLogFile = "$LogDir/error.log";
our $AccLogFile = "$LogDir/access.log";
our $PidFile = "$LogDir/nginx.pid";
our $ConfFile = "$ConfDir/nginx.conf";
our $NginxBinary = $ENV{TEST_NGINX_BINARY} || 'nginx';

$ENV{TEST_NGINX_SERVER_PORT} = $ServerPort;
$ENV{TEST_NGINX_HTML_DIR} ||= $HtmlDir;
$ENV{TEST_NGINX_SERVROOT} = $ServRoot;

my $NginxPid;

sub repeat_each (@) {
    $RepeatEach = shift if @_;
    return $RepeatEach;
}

sub no_shuffle () { }
sub no_long_string () { }
sub master_on () { $MasterProcessEnabled = 'on' }
sub master_off () { $MasterProcessEnabled = 'off' }
sub workers ($) { $Workers = shift }
sub worker_connections ($) { $WorkerConnections = shift }
sub log_level ($) { $LogLevel = shift }
sub no_root_location () { $NoRootLocation = 1 }
sub server_port () { $ServerPort }
sub html_dir () { $HtmlDir }
sub server_root () { $ServRoot }
sub env_to_nginx (@) { push @EnvToNginx, @_ }

sub bail_out ($) {
    my $msg = shift;
    stop_nginx();
    Test::More::BAIL_OUT($msg);
}

sub expand_env ($) {
    my $s = shift;
    return $s unless defined $s;
    $s =~ s{\$(TEST_NGINX_[_A-Z0-9]+)}{
        defined $ENV{$1} ? $ENV{$1}
                         : bail_out("No environment $1 defined.\n")
    }ge;
    return $s;
}

sub run_tests () {
    for my $block (Test::Base::blocks()) {
        run_test($block);
    }
    stop_nginx();
}

sub write_file ($$) {
    my ($path, $content) = @_;
    make_path(dirname($path));
    open my $fh, '>', $path or bail_out("cannot write $path: $!");
    binmode $fh;
    print $fh $content;
    close $fh;
}

sub setup_servroot ($) {
    my $block = shift;
    remove_tree($ServRoot) if -d $ServRoot;
    make_path($ConfDir, $HtmlDir, $LogDir);

    if (defined(my $files = $block->user_files)) {
        $files = expand_env($files);
        my @parts = split /^>>>\s+/m, $files;
        shift @parts;       # what precedes the first >>>
        for my $part (@parts) {
            my ($name, $body) = ($part =~ /^(\S+)[^\n]*\n(.*)\z/s)
                or bail_out("bad user_files entry: $part");
            write_file("$HtmlDir/$name", $body);
        }
    }

    my $main_config = expand_env($block->main_config // '');
    my $http_config = expand_env($block->http_config // '');
    my $config = expand_env($block->config // '');
    my $env = join '', map { "env $_;\n" } @EnvToNginx;
    my $root_location = $NoRootLocation ? '' : <<"_EOC_";
        location / {
            root $HtmlDir;
            index index.html index.htm;
        }
_EOC_

    write_file($ConfFile, <<"_EOC_");
worker_processes  $Workers;
daemon off;
master_process $MasterProcessEnabled;
error_log $ErrLogFile $LogLevel;
pid       $PidFile;
env MOCKEAGAIN_VERBOSE;
env MOCKEAGAIN;
env MOCKEAGAIN_WRITE_TIMEOUT_PATTERN;
env LD_PRELOAD;
env LD_LIBRARY_PATH;
$env
$main_config

http {
    access_log $AccLogFile;

    default_type text/plain;
    keepalive_timeout  68;

$http_config

    server {
        listen          $ServerPort;
        server_name     'localhost';

        client_max_body_size 30M;

        # Begin test case config...
$config
        # End test case config.

$root_location
    }
}

events {
    accept_mutex off;

    worker_connections  $WorkerConnections;
}
_EOC_
}

sub port_open () {
    my $sock = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
                                     PeerPort => $ServerPort,
                                     Proto => 'tcp', Timeout => 1);
    return 0 unless $sock;
    close $sock;
    return 1;
}

# Starts nginx; returns undef on success, or its exit status and output if
# it died (for must_die).
sub start_nginx ($) {
    my $block = shift;
    stop_nginx();

    for (1 .. 50) {
        last unless port_open();
        sleep 0.1;
    }
    bail_out("port $ServerPort is in use") if port_open();

    my $out = "$LogDir/stderr.log";
    my @cmd = ($NginxBinary, '-p', "$ServRoot/", '-c', $ConfFile);
    my $pid = fork();
    bail_out("fork: $!") unless defined $pid;
    if ($pid == 0) {
        open STDOUT, '>>', $out or die;
        open STDERR, '>>', $out or die;
        exec @cmd or die "exec $NginxBinary: $!";
    }
    $NginxPid = $pid;

    my $deadline = time + ($ENV{TEST_NGINX_START_TIMEOUT} || 5);
    while (time < $deadline) {
        my $w = waitpid($pid, WNOHANG);
        if ($w == $pid) {
            my $status = $? >> 8;
            $NginxPid = undef;
            return ($status || 1, slurp($out) . slurp($ErrLogFile));
        }
        return () if port_open();
        sleep 0.05;
    }
    bail_out("nginx did not start listening on port $ServerPort: "
             . slurp($out));
}

sub stop_nginx () {
    return unless $NginxPid;
    my $pid = $NginxPid;
    $NginxPid = undef;
    kill 'QUIT', $pid;
    my $deadline = time + 5;
    while (time < $deadline) {
        return if waitpid($pid, WNOHANG) == $pid;
        sleep 0.02;
    }
    kill 'KILL', $pid;
    waitpid($pid, 0);
}

END { stop_nginx() }

sub slurp ($) {
    my $f = shift;
    open my $fh, '<', $f or return '';
    binmode $fh;
    local $/;
    my $s = <$fh>;
    close $fh;
    return $s // '';
}

sub build_request ($) {
    my $block = shift;

    if (defined(my $raw = $block->raw_request)) {
        return expand_env($raw);
    }

    my $request = $block->request;
    bail_out($block->name . " - no request section") unless defined $request;
    $request = expand_env($request);

    my ($first, $content) = split /\n/, $request, 2;
    $content //= '';
    $first =~ s/^\s+|\s+$//g;
    my ($meth, $uri, $ver) = split /\s+/, $first;
    $ver //= 'HTTP/1.1';

    my $req = "$meth $uri $ver\r\n";
    my $headers = '';
    my %have;
    if (defined(my $mh = $block->more_headers)) {
        for my $line (split /\n/, expand_env($mh)) {
            next if $line =~ /^\s*$/;
            my ($k) = ($line =~ /^\s*([^:]+?)\s*:/);
            $have{lc $k} = 1 if defined $k;
            $headers .= "$line\r\n";
        }
    }
    $req .= "Host: localhost\r\n" unless $have{host};
    $req .= "Connection: close\r\n" unless $have{connection};
    $req .= $headers;
    if (($content ne '' || $meth =~ /^(?:POST|PUT)$/)
        && !$have{'content-length'} && !$have{'transfer-encoding'})
    {
        $req .= "Content-Length: " . length($content) . "\r\n";
    }
    $req .= "\r\n" . $content;
    return $req;
}

sub send_request ($$) {
    my ($req, $timeout) = @_;
    my $sock = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
                                     PeerPort => $ServerPort,
                                     Proto => 'tcp', Timeout => $timeout)
        or return (undef, "cannot connect: $!");
    $sock->autoflush(1);
    binmode $sock;
    my $off = 0;
    local $SIG{PIPE} = 'IGNORE';
    while ($off < length $req) {
        my $n = syswrite($sock, $req, length($req) - $off, $off);
        last unless defined $n && $n > 0;   # the server may answer early
        $off += $n;
    }
    my $sel = IO::Select->new($sock);
    my $resp = '';
    my $deadline = time + $timeout;
    while (1) {
        my $left = $deadline - time;
        return ($resp, 'timeout') if $left <= 0;
        last unless $sel->can_read($left);
        my $n = sysread($sock, my $buf, 65536);
        last unless $n;
        $resp .= $buf;
    }
    close $sock;
    return ($resp, undef);
}

sub parse_response ($) {
    my $raw = shift;
    my ($head, $body) = split /\r\n\r\n/, $raw, 2;
    return unless defined $head && $head =~ m{^HTTP/\d\.\d (\d{3})};
    my $code = $1;
    my @lines = split /\r\n/, $head;
    shift @lines;
    my %h;
    for (@lines) {
        my ($k, $v) = /^([^:]+):\s*(.*?)\s*$/ or next;
        $k = lc $k;
        $h{$k} = defined $h{$k} ? "$h{$k}, $v" : $v;
    }
    $body //= '';
    if (($h{'transfer-encoding'} // '') =~ /chunked/i) {
        my $out = '';
        while ($body =~ s/^([0-9a-fA-F]+)[^\r\n]*\r\n//) {
            my $len = hex $1;
            last if $len == 0;
            $out .= substr($body, 0, $len, '');
            $body =~ s/^\r\n//;
        }
        $body = $out;
    }
    return ($code, \%h, $body);
}

sub check_log_lines ($$$$) {
    my ($name, $spec, $log, $want) = @_;
    my @pats = ref $spec eq 'ARRAY' ? @$spec
             : ref $spec ? ($spec)
             : grep { /\S/ } split /\n/, $spec;
    for my $pat (@pats) {
        my $found = ref $pat eq 'Regexp' ? $log =~ $pat
                                         : index($log, $pat) >= 0;
        if ($want) {
            Test::More::ok($found, "$name - pattern \"$pat\" should match "
                           . "a line in error.log");
        } else {
            Test::More::ok(!$found, "$name - pattern \"$pat\" does not "
                           . "match a line in error.log");
        }
    }
}

sub run_test ($) {
    my $block = shift;
    my $name = $block->name;

    if (defined $block->skip_nginx) {
        return;
    }

    setup_servroot($block);
    my ($died, $out) = start_nginx($block);

    if (defined $block->must_die) {
        Test::More::ok($died, "$name - nginx must die");
        if (defined $block->error_log) {
            check_log_lines($name, $block->error_log, $out // '', 1);
        }
        return;
    }

    if ($died) {
        Test::More::fail("$name - nginx started");
        Test::More::diag($out);
        return;
    }

    my $timeout = $block->timeout // $ENV{TEST_NGINX_TIMEOUT} // 3;
    $timeout =~ s/s$//;

    for my $i (1 .. $RepeatEach) {
        my $req = build_request($block);
        my ($raw, $err) = send_request($req, $timeout);
        my ($code, $h, $body) = defined $raw ? parse_response($raw) : ();

        if ($err && $err eq 'timeout') {
            Test::More::fail("$name - request timed out");
        }

        my $want_code = $block->error_code // 200;
        $want_code =~ s/^\s+|\s+$//g;
        Test::More::is($code // '', $want_code, "$name - status code ok");

        if (defined(my $hs = $block->response_headers)) {
            for my $line (split /\n/, $hs) {
                next if $line =~ /^\s*(?:#.*)?$/;
                if ($line =~ /^\s*!\s*(\S+)\s*$/) {
                    Test::More::ok(!defined $h->{lc $1},
                                   "$name - header $1 not present");
                } elsif ($line =~ /^\s*([^:]+?)\s*:\s*(.*?)\s*$/) {
                    Test::More::is($h->{lc $1}, $2,
                                   "$name - header $1 ok");
                }
            }
        }

        if (defined(my $hs = $block->response_headers_like)) {
            for my $line (split /\n/, $hs) {
                next if $line =~ /^\s*(?:#.*)?$/;
                if ($line =~ /^\s*([^:]+?)\s*:\s*(.*?)\s*$/) {
                    my ($k, $pat) = ($1, $2);
                    Test::More::like($h->{lc $k} // '', qr/^$pat$/,
                                     "$name - header $k like ok");
                }
            }
        }

        if (defined(my $want = $block->response_body)) {
            $want =~ s/\$ServerPort\b/$ServerPort/g;
            Test::More::is($body, $want, "$name - response_body - "
                           . "response is expected");
        }

        if (defined(my $pat = $block->response_body_like)) {
            Test::More::like($body // '', qr/$pat/s,
                             "$name - response_body_like - response is "
                             . "expected");
        }

        if (defined(my $pat = $block->response_body_unlike)) {
            Test::More::unlike($body // '', qr/$pat/s,
                               "$name - response_body_unlike - response "
                               . "is expected");
        }
    }

    sleep($ENV{TEST_NGINX_SLEEP} // 0.05);
    my $log = slurp($ErrLogFile);

    if (defined(my $spec = $block->error_log)) {
        check_log_lines($name, $spec, $log, 1);
    }

    if (defined(my $spec = $block->no_error_log)) {
        check_log_lines($name, $spec, $log, 0);
    }

    # every block: no worker lost, no sanitizer report, shutdown included
    # (nginx sends stderr to error.log; a sanitizer report of the exit
    # path is written while it stops)
    stop_nginx();
    $log = slurp($ErrLogFile) . slurp("$LogDir/stderr.log");
    my @bad = grep { /exited on signal|Segmentation fault|AddressSanitizer|LeakSanitizer|runtime error:/ }
              split /\n/, $log;
    Test::More::ok(!@bad, "$name - no crash or sanitizer report");
    Test::More::diag(join "\n", @bad[0 .. ($#bad < 9 ? $#bad : 9)]) if @bad;
}

1;
