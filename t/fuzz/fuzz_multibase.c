/* libFuzzer harness: base58btc, multibase, unsigned varints, multicodec
 * splitting and Multikey decoding (multibase.h, keys.h). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "keys.h"
#include "multibase.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    badge_arena_t       *a;
    unsigned char        out[4096];
    char                 enc[8192];
    size_t               outlen, n, rest_len;
    uint64_t             v, codec;
    const unsigned char *rest;
    badge_key_t         *k;
    badge_err_t          err;
    char                *s;

    (void) badge_varint_decode(data, size, &v);
    (void) badge_multicodec_split(data, size, &codec, &rest, &rest_len);
    if (badge_base58_decode((const char *) data, size, out, sizeof(out),
                            &outlen) == 0)
    {
        n = badge_base58_encode(out, outlen, enc, sizeof(enc));
        /* strict base58: a decoded string encodes back to itself (the
         * encoder refuses more than ~1483 bytes, 0, while the decoder
         * takes up to 2048 characters, ~1500 bytes: not judged then) */
        if (n != 0 && (n != size || memcmp(enc, data, size) != 0)) {
            __builtin_trap();
        }
    }
    a = badge_arena_new(1 << 20);
    if (a == NULL) {
        return 0;
    }
    s = badge_arena_strndup(a, (const char *) data, size);
    if (s != NULL && strlen(s) == size) {
        (void) badge_multibase_decode(s, out, sizeof(out), &outlen);
        k = badge_key_from_multibase(s, &err);
        badge_key_free(k);
    }
    (void) badge_multibase_encode(a, data, size > 1024 ? 1024 : size);
    badge_arena_free(a);
    return 0;
}
