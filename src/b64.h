/*
 * b64.h: base64 (RFC 4648 section 4) and base64url (section 5), strict.
 *
 * Decoding refuses anything but the canonical encoding: no white space, no
 * characters outside the alphabet, padding exactly where the variant needs
 * it (base64: required; base64url: refused), and zero unused bits in the
 * last character, so that one value has exactly one accepted encoding
 * (a tampered JWT cannot keep its signature by changing spare bits).
 * Bottom layer.
 */
#ifndef BADGE_B64_H
#define BADGE_B64_H

#include <stddef.h>

#include "arena.h"

/* Bytes needed to decode len characters (an upper bound). */
#define BADGE_B64_DECODED_MAX(len)  (((len) + 3) / 4 * 3)
/* Characters (without NUL) of the padded base64 encoding of n bytes. */
#define BADGE_B64_ENCODED_LEN(n)    (((n) + 2) / 3 * 4)

/*
 * Decode into out (cap bytes, at least BADGE_B64_DECODED_MAX(len)).
 * Returns 0 and *outlen, or -1 if the input is not canonical.
 */
int badge_b64_decode(const char *s, size_t len, unsigned char *out,
    size_t cap, size_t *outlen);
int badge_b64url_decode(const char *s, size_t len, unsigned char *out,
    size_t cap, size_t *outlen);

/* The same into the arena (NUL-terminated for convenience). */
unsigned char *badge_b64_decode_arena(badge_arena_t *a, const char *s,
    size_t len, size_t *outlen);
unsigned char *badge_b64url_decode_arena(badge_arena_t *a, const char *s,
    size_t len, size_t *outlen);

/*
 * Encode n bytes into out (cap chars including the NUL).  Returns the
 * length written (without NUL), or 0 if cap is too small.  base64url has
 * no padding.
 */
size_t badge_b64_encode(const unsigned char *p, size_t n, char *out,
    size_t cap);
size_t badge_b64url_encode(const unsigned char *p, size_t n, char *out,
    size_t cap);

/* NUL-terminated encodings in the arena; NULL when out of memory. */
char *badge_b64_encode_arena(badge_arena_t *a, const unsigned char *p,
    size_t n);
char *badge_b64url_encode_arena(badge_arena_t *a, const unsigned char *p,
    size_t n);

#endif
