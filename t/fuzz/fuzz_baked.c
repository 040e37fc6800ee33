/* libFuzzer harness: credentials baked into PNG and SVG images (baked.h):
 * chunk walking, CRCs, inflate bounds, libxml2 without entities. */
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "baked.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    badge_arena_t *a = badge_arena_new(64 << 20);
    badge_baked_t  out;
    badge_err_t    err;

    if (a == NULL) {
        return 0;
    }
    (void) badge_baked_extract(a, data, size, &out, &err);
    /* both parsers whatever the magic says */
    (void) badge_baked_extract_png(a, data, size, &out, &err);
    (void) badge_baked_extract_svg(a, data, size, &out, &err);
    badge_arena_free(a);
    return 0;
}
