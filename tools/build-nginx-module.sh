#!/usr/bin/env bash
# Build ngx_http_badge_module.so against Debian's nginx (nginx-dev), the way
# Debian's own nginx_mod packages do, so `load_module` works in
# /usr/sbin/nginx.  Usage: tools/build-nginx-module.sh BUILD_DIR
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=$(mkdir -p "${1:-build}" && cd "${1:-build}" && pwd)
src=/usr/share/nginx/src
dir=$build/nginx
if [ ! -x "$src/configure" ]; then
    echo "nginx-dev is not installed (run: make deps)" >&2
    exit 1
fi
# configure again whenever the module's file list or config changes
stamp=$( (cat "$repo/config"; ls "$repo"/src/*.c "$repo"/src/*.h \
          "$repo"/ngx_module/* ; cat "$src/conf_flags") | sha256sum | cut -c1-16)
if [ ! -f "$dir/objs/Makefile" ] || [ "$(cat "$dir/.badge-stamp" 2>/dev/null)" != "$stamp" ]
then
    rm -rf "$dir"
    cp -r "$src" "$dir"
    (
        cd "$dir"
        . ./conf_flags
        ./configure "${NGX_CONF_FLAGS[@]}" --add-dynamic-module="$repo" \
            ${BADGE_NGX_CC_OPT:+--with-cc-opt="$BADGE_NGX_CC_OPT"} \
            ${BADGE_NGX_LD_OPT:+--with-ld-opt="$BADGE_NGX_LD_OPT"} \
            > "$dir/configure.log" 2>&1 || { tail -30 "$dir/configure.log"; exit 1; }
    )
    echo "$stamp" > "$dir/.badge-stamp"
fi
make -C "$dir" -f objs/Makefile modules -j"$(nproc)" > "$dir/make.log" 2>&1 \
    || { grep -E 'error|warning' "$dir/make.log" | head -40; tail -5 "$dir/make.log"; exit 1; }
# a new file, renamed into place: a running nginx keeps its mapping of the
# old one (cp would rewrite the mapped file under its workers)
cp "$dir/objs/ngx_http_badge_module.so" "$build/ngx_http_badge_module.so.tmp"
mv -f "$build/ngx_http_badge_module.so.tmp" "$build/ngx_http_badge_module.so"
echo "built $build/ngx_http_badge_module.so"
