/*
 * libFuzzer harness: the whole verification pipeline on arbitrary bytes
 * (detection, JSON, JWS, baked images, every format), offline: every
 * document the core asks for is answered "could not fetch".
 */
#include <stddef.h>
#include <stdint.h>

#include "badge.h"

static badge_ctx_t *badge_fuzz_ctx;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    badge_session_t    *s;
    const char *const  *urls;
    size_t              i, n;
    int                 rounds = 0;

    if (badge_fuzz_ctx == NULL) {
        badge_fuzz_ctx = badge_ctx_new();
    }
    s = badge_session_new(badge_fuzz_ctx, NULL);
    if (s == NULL) {
        return 0;
    }
    badge_session_set_input(s, data, size);
    while (badge_session_run(s) == BADGE_NEED_DOCUMENTS && rounds++ < 10) {
        n = badge_session_needed(s, &urls);
        for (i = 0; i < n; i++) {
            badge_session_supply(s, urls[i], 0, NULL, NULL, 0);
        }
    }
    (void) badge_session_report_json(s, NULL);
    (void) badge_session_report_text(s, NULL);
    badge_session_free(s);
    return 0;
}
