#!/usr/bin/env bash
# tools/screenshots.sh: render sample badge pages with `badgectl render` and
# take headless Chromium screenshots of them, to look at the design:
#
#   build/screenshots/<sample>-<lang>-desktop.png   1280x900
#   build/screenshots/<sample>-<lang>-phone.png     390x844
#   ...-desktop-full.png, ...-phone-full.png        the whole page
#   <sample>-<lang>-print.png                       the A4 certificate
#                                                   (print CSS, 794x1123)
#
# Installs nothing: uses Debian's chromium if present (apt-get install -y
# chromium; fonts-noto-cjk for Japanese glyphs), else only checks the HTML.
# Fails if a page lacks a key element (h1, status banner, QR code,
# og:title) or if Chromium logs a console error, an uncaught exception or
# a CSP violation (the pages are loaded under the policy that
# `badgectl render --csp` prints, as the servers send it).
#
# Usage: tools/screenshots.sh [BUILD_DIR]   (default: build)
#        SHOTS_ONLY="ja-dx hostile" tools/screenshots.sh   (some samples)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-${BUILD:-build}}
ctl="$build/badgectl"
out="$build/screenshots"
vec=t/vectors/1edtech-inspector
pages=t/vectors/pages
[ -x "$ctl" ] || { echo "screenshots: $ctl not built (make core)" >&2; exit 2; }
mkdir -p "$out"
[ -n "${SHOTS_ONLY:-}" ] || rm -f "$out"/*.png "$out"/*.html "$out"/*.log

browser=""
for b in chromium chromium-browser google-chrome; do
    if command -v "$b" >/dev/null 2>&1; then browser=$b; break; fi
done
[ -n "$browser" ] || echo "screenshots: no chromium; checking the HTML only" >&2

fail=0
csp=$("$ctl" render --csp)
# a <meta> policy cannot carry frame-ancestors (Chromium warns about it)
meta_csp=${csp//; frame-ancestors \'none\'/}

# render NAME LANG ARGS...: one page, checked, then photographed
render() {
    local name=$1 lang=$2; shift 2
    if [ -n "${SHOTS_ONLY:-}" ] && [[ " $SHOTS_ONLY " != *" $name "* ]]; then
        return
    fi
    local html="$out/$name-$lang.html"
    if ! "$ctl" render --lang "$lang" "$@" >"$html" 2>"$out/$name-$lang.log"; then
        echo "FAIL $name-$lang: badgectl render failed"; cat "$out/$name-$lang.log"
        fail=1; return
    fi
    local missing=()
    grep -q '<h1[ >]' "$html" || missing+=(h1)
    [ "$(grep -c '<h1[ >]' "$html")" -eq 1 ] || missing+=("exactly one h1")
    grep -q 'class="status status-' "$html" || missing+=("status banner")
    grep -q '<svg xmlns="http://www.w3.org/2000/svg" class="qr"' "$html" || missing+=("QR svg")
    grep -q 'property="og:title"' "$html" || missing+=(og:title)
    grep -q '<script type="application/ld+json">' "$html" || missing+=(JSON-LD)
    grep -q 'class="skip"' "$html" || missing+=("skip link")
    if [ ${#missing[@]} -gt 0 ]; then
        echo "FAIL $name-$lang: missing ${missing[*]}"; fail=1
    fi
    [ -n "$browser" ] || { echo "ok   $name-$lang (HTML only)"; return; }

    # the page as the server sends it: under its CSP
    local served="$out/$name-$lang.served.html"
    sed "s|<meta charset=\"utf-8\">|<meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\"$meta_csp\">|" \
        "$html" >"$served"
    # the print layout as a screen page (headless cannot emulate print);
    # its style is edited, so it is loaded without the policy
    local print="$out/$name-$lang.print.html"
    sed -e 's/@media print{/@media all{/' -e 's/@page{size:A4;margin:12mm}/body{margin:12mm}/' \
        "$html" >"$print"
    local shot size file log
    for shot in desktop:1280,900:"$served" phone:390,844:"$served" \
                desktop-full:1280,2900:"$served" phone-full:390,5200:"$served" \
                print:794,1123:"$print"; do
        IFS=: read -r tag size file <<<"$shot"
        log="$out/$name-$lang-$tag.chromium.log"
        timeout 60 "$browser" --headless --no-sandbox --disable-gpu --disable-quic \
            --no-first-run --disable-background-networking --disable-component-update \
            --disable-sync --hide-scrollbars --enable-logging=stderr --v=0 \
            --user-data-dir="$(mktemp -d)" --window-size="$size" \
            --screenshot="$out/$name-$lang-$tag.png" "file://$PWD/$file" \
            >"$log" 2>&1 || true
        if [ ! -s "$out/$name-$lang-$tag.png" ]; then
            echo "FAIL $name-$lang-$tag: no screenshot (see $log)"; fail=1
        fi
        if grep -E 'Uncaught|CONSOLE.*(rror|Refused|violates)|Refused to' "$log" \
            | grep -v 'net::ERR_' >/dev/null; then
            echo "FAIL $name-$lang-$tag: console errors:"
            grep -E 'Uncaught|CONSOLE|Refused' "$log" | head -5 | sed 's/^/    /'
            fail=1
        fi
    done
    echo "ok   $name-$lang"
}

jadocs=(--doc "https://badges.sakura-u.example/.well-known/did.json=$pages/did-sakura.json"
        --now 2026-05-01T00:00:00Z)
url=https://badges.sakura-u.example/badges/dx-data-101-8821
for lang in ja en; do
    render ja-dx "$lang" --url "$url" --json-url "$url.json" --baked-png "$url.png" \
        "${jadocs[@]}" "$pages/ja-dx-course.jwt"
done
# expired: the same credential verified after its end date
render ja-dx-expired ja --url "$url" "${jadocs[@]/2026-05-01T00:00:00Z/2029-06-01T00:00:00Z}" \
    "$pages/ja-dx-course.jwt"
# hostile strings in every field
render hostile ja --url "https://badges.example.edu/badges/x" "$pages/hostile.json"
# OB 3.0 (1EdTech's complete sample: its key is not trusted offline)
render ob3-complete en --offline --url "https://1edtech.edu/badges/3732" \
    --json-url "https://1edtech.edu/badges/3732.json" "$vec/ob30/complete.json"
# OB 2.0 hosted assertion with its BadgeClass and issuer from the vectors
ob2docs=(--docs "https://example.org/=$vec/ob20/assets/"
         --doc "https://example.org/beths-robotics-badge.json=$vec/ob20/basic-assertion.json")
render ob2-basic en "${ob2docs[@]}" \
    --url "https://example.org/badges/beths-robotics" "$vec/ob20/basic-assertion.json"
render ob2-basic ja "${ob2docs[@]}" \
    --url "https://example.org/badges/beths-robotics" "$vec/ob20/basic-assertion.json"

echo "screenshots in $out/"
exit $fail
