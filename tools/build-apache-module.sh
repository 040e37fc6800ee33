#!/usr/bin/env bash
# Build mod_badge.so for Debian's apache2 (apache2-dev).
# Usage: tools/build-apache-module.sh BUILD_DIR
# BADGE_APACHE_CFLAGS (default -O2 -g) and BADGE_APACHE_LDFLAGS, e.g. for an
# ASan build (see docs/apache-directives.md, "Tests"):
#   BADGE_APACHE_CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer" \
#   BADGE_APACHE_LDFLAGS="-fsanitize=address,undefined" tools/build-apache-module.sh build-asan
#
# apxs is asked for the flags httpd was built with (apxs -q: include dirs,
# CPPFLAGS, the APR flags), and gcc compiles and links directly into
# BUILD_DIR.  Why not `apxs -c`: it runs libtool, which drops .lo/.slo/.la
# and .libs/ beside the sources (build litter in apache_module/), cannot
# put objects elsewhere, and makes it awkward to add -Werror and to link a
# static archive (libbadge.a, built with -fPIC) ahead of the system
# libraries in the right order.  The result is the same kind of object
# apxs makes: a -shared -fPIC module, installed with LoadModule.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=$(mkdir -p "${1:-build}" && cd "${1:-build}" && pwd)
obj=$build/apache
mkdir -p "$obj"

if ! command -v apxs >/dev/null; then
    echo "apxs not found: install apache2-dev (make deps)" >&2
    exit 1
fi
lib=$build/libbadge.a
if [ ! -f "$lib" ]; then
    echo "$lib is missing: build the core first (make)" >&2
    exit 1
fi

CC=${CC:-$(apxs -q CC)}
# the apr/httpd flags (-D_REENTRANT -D_GNU_SOURCE -DLINUX, include dirs)
apr_config=$(apxs -q APR_CONFIG)
apu_config=$(apxs -q APU_CONFIG)
AP_CPPFLAGS="-I$(apxs -q INCLUDEDIR) $(apxs -q EXTRA_CPPFLAGS) \
  $($apr_config --cppflags --includes) $($apu_config --includes)"
CFLAGS="${BADGE_APACHE_CFLAGS:--O2 -g} -std=c11 -fPIC -Wall -Wextra -Werror \
  -Wno-unused-parameter -Wshadow -Wpointer-arith -Wstrict-prototypes \
  -fvisibility=hidden"
# jansson etc. headers are not needed by the glue (badge.h is plain C)
LIBS="$lib -ljansson -lssl -lcrypto -lz -lxml2 -lqrencode -lm"

objs=()
for src in "$repo"/apache_module/*.c; do
    o=$obj/$(basename "${src%.c}").o
    # shellcheck disable=SC2086
    $CC $AP_CPPFLAGS $CFLAGS -I"$repo/src" -I"$repo/apache_module" \
        -MMD -MP -c "$src" -o "$o"
    objs+=("$o")
done
# the module symbol must stay visible: AP_MODULE_DECLARE_DATA marks it so
# shellcheck disable=SC2086
$CC -shared -fPIC ${BADGE_APACHE_LDFLAGS:-} -o "$build/mod_badge.so.tmp" "${objs[@]}" $LIBS \
    -Wl,-z,relro -Wl,-z,now -Wl,--exclude-libs,ALL
mv "$build/mod_badge.so.tmp" "$build/mod_badge.so"

# every undefined symbol must come from httpd, APR or a linked library:
# a core function that does not exist yet would otherwise surface only as
# "undefined symbol" when httpd loads the module
missing=$(nm -u "$build/mod_badge.so" | awk '{print $2}' | grep -E '^badge_' || true)
if [ -n "$missing" ]; then
    echo "mod_badge.so: core symbols not defined in libbadge.a:" >&2
    echo "$missing" | sed 's/^/  /' >&2
    rm -f "$build/mod_badge.so"
    exit 1
fi
echo "built $build/mod_badge.so"
