#!/usr/bin/env bash
# Regenerates src/page_template.c from src/page_template.html (the badge
# page) and src/page_index.html (the index).  The generated file is
# committed so that a plain nginx --add-module build needs no generator.
#   tools/gen_page_template.sh > src/page_template.c
set -euo pipefail
cd "$(dirname "$0")/.."
emit() {    # C-name file
    printf 'const char %s_text[] =\n' "$1"
    # one C string literal per line: escape \ and ", keep the newline
    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/??/?\\?/g' -e 's/^/    "/' -e 's/$/\\n"/' "$2"
    printf '    ;\nconst size_t %s_len = sizeof(%s_text) - 1;\n\n' "$1" "$1"
}
cat <<'HDR'
/*
 * page_template.c: the built-in page templates, generated from
 * src/page_template.html and src/page_index.html by
 * tools/gen_page_template.sh.  Edit the .html files, not this one.
 */
#include "page_int.h"

HDR
emit badge_page_default_template src/page_template.html
emit badge_page_index_template src/page_index.html
