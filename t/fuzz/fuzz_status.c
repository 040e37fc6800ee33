/* libFuzzer harness: status list decoding (status.h): the entry index
 * parser on JSON values and badge_status_read_bits on an encodedList.
 * Input: 1 byte flags (bit 0: multibase; bits 1-5: status size),
 * 8 bytes index, then the encoded list.  The whole input is also tried
 * as a JSON statusListIndex value. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "arena.h"
#include "json.h"
#include "status.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    badge_arena_t *a;
    badge_err_t    err;
    json_t        *v;
    uint64_t       index, bits;
    uint32_t       value;
    int            lenient;
    unsigned       flags;
    char          *enc;

    v = badge_json_parse((const char *) data, size, &err);
    if (v != NULL) {
        (void) badge_status_parse_index(v, &index, &lenient, &err);
        json_decref(v);
    }
    if (size < 9) {
        return 0;
    }
    flags = data[0];
    memcpy(&index, data + 1, sizeof(index));
    if (flags & 0x80) {
        index %= 1u << 20;      /* mostly in range */
    }
    a = badge_arena_new(64 << 20);
    if (a == NULL) {
        return 0;
    }
    enc = badge_arena_strndup(a, (const char *) data + 9, size - 9);
    if (enc != NULL) {
        (void) badge_status_read_bits(a, enc, flags & 1, index,
                                      (flags >> 1) & 0x3f, &value, &bits,
                                      &err);
    }
    badge_arena_free(a);
    return 0;
}
