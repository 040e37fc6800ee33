/* libFuzzer harness: N-Quads parsing, serialization and RDFC-1.0 with a
 * small work bound (poison graphs must end in an error, fast). */
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "nquads.h"
#include "rdfc.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    badge_arena_t     *a = badge_arena_new(64 << 20);
    badge_quads_t      q;
    badge_err_t        err;
    badge_rdfc_opts_t  opts = { 0 };
    char              *out;
    size_t             len;

    if (a == NULL) {
        return 0;
    }
    /* badge_nquads_parse appends to q, which must be set up first */
    badge_quads_init(&q, a, 100000);
    if (badge_nquads_parse(a, (const char *) data, size, &q, &err) == 0) {
        (void) badge_nquads_serialize(a, &q, &len);
        opts.max_work = 2000;
        (void) badge_rdfc_canonicalize(a, &q, &opts, &out, &len, &err);
    }
    badge_arena_free(a);
    return 0;
}
