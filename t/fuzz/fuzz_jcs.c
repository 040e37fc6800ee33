/* libFuzzer harness: JSON parsing with the core's rules (json.h) and JCS
 * (RFC 8785) serialization of whatever parses; the first 8 bytes are also
 * read as a double for badge_jcs_number. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "jcs.h"
#include "json.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    badge_arena_t *a;
    badge_err_t    err;
    json_t        *v;
    size_t         len;
    double         d;
    char           buf[32];

    if (size >= sizeof(d)) {
        memcpy(&d, data, sizeof(d));
        (void) badge_jcs_number(d, buf);
    }
    v = badge_json_parse((const char *) data, size, &err);
    if (v == NULL) {
        return 0;
    }
    a = badge_arena_new(16 << 20);
    if (a != NULL) {
        (void) badge_jcs_serialize(a, v, &len);
        badge_arena_free(a);
    }
    json_decref(v);
    return 0;
}
