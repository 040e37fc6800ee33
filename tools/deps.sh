#!/bin/sh
# tools/deps.sh check|install: the Debian packages the build, the demo and
# the tests need.  `check` exits 1 if any is missing; `install` installs the
# missing ones (as root, or through sudo) and is a no-op when all are there.
set -eu
PKGS="build-essential pkg-config clang libclang-rt-dev
nginx nginx-dev apache2 apache2-dev
libjansson-dev libssl-dev zlib1g-dev libcurl4-openssl-dev libxml2-dev
libqrencode-dev libcmocka-dev
libtest-base-perl libwww-perl liburi-perl libtest-longstring-perl
libapache2-mod-perl2 libapache2-mod-perl2-dev
wrk valgrind curl openssl
chromium fonts-noto-cjk"

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"
    then
        missing="$missing $p"
    fi
done

case "${1:-check}" in
check)
    [ -z "$missing" ] && exit 0
    echo "missing Debian packages:$missing" >&2
    exit 1 ;;
install)
    [ -z "$missing" ] && { echo "deps: all packages present"; exit 0; }
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    echo "deps: installing$missing"
    $SUDO apt-get update -qq
    # Debian starts the daemons on install; the tests run their own
    # instances, so keep the system ones from grabbing port 80.
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod +x /usr/sbin/policy-rc.d
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
        --no-install-recommends $missing
    $SUDO rm -f /usr/sbin/policy-rc.d ;;
*)
    echo "usage: $0 check|install" >&2
    exit 2 ;;
esac
