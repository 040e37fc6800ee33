/*
 * contexts.c: lookup in the bundled context table (contexts_data.c, sorted
 * by URL by the generator).
 */
#include "contexts.h"

#include <string.h>

extern const badge_context_doc_t badge_contexts_data[];
extern const size_t badge_contexts_data_n;

int
badge_contexts_get(const char *url, const char **body, size_t *len,
    const char **sha256_hex)
{
    size_t lo = 0, hi = badge_contexts_data_n, mid;
    int    c;

    if (url == NULL) {
        return -1;
    }
    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        c = strcmp(url, badge_contexts_data[mid].url);
        if (c == 0) {
            if (body != NULL) {
                *body = badge_contexts_data[mid].body;
            }
            if (len != NULL) {
                *len = badge_contexts_data[mid].len;
            }
            if (sha256_hex != NULL) {
                *sha256_hex = badge_contexts_data[mid].sha256_hex;
            }
            return 0;
        }
        if (c < 0) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    return -1;
}

const badge_context_doc_t *
badge_contexts_at(size_t i)
{
    return i < badge_contexts_data_n ? &badge_contexts_data[i] : NULL;
}

size_t
badge_contexts_count(void)
{
    return badge_contexts_data_n;
}
