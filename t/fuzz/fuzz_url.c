/* libFuzzer harness: URL parsing and the URL policy (SSRF guard). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "badge.h"
#include "url.h"

static badge_ctx_t *badge_fuzz_ctx;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    badge_arena_t *a;
    badge_url_t    u;
    char           err[256];
    char          *s;

    if (badge_fuzz_ctx == NULL) {
        badge_fuzz_ctx = badge_ctx_new();
    }
    a = badge_arena_new(1 << 20);
    s = badge_arena_strndup(a, (const char *) data, size);
    if (s != NULL && strlen(s) == size) {
        (void) badge_url_parse(a, s, &u);
        (void) badge_url_origin(a, s);
        (void) badge_url_check(badge_fuzz_ctx, s, err, sizeof(err));
    }
    badge_arena_free(a);
    return 0;
}
