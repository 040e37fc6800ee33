/*
 * multibase.h: base58btc (the Bitcoin alphabet), multibase strings of the
 * base58btc kind ("z..."), and multicodec prefixes (unsigned varints), as
 * used by did:key, Multikey and Data Integrity proof values.
 * Bottom layer.
 */
#ifndef BADGE_MULTIBASE_H
#define BADGE_MULTIBASE_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

/* Multicodec codes for public keys */
#define BADGE_MULTICODEC_ED25519_PUB  0xed
#define BADGE_MULTICODEC_P256_PUB     0x1200
#define BADGE_MULTICODEC_P384_PUB     0x1201

/* Longest base58 input decoded (the algorithm is quadratic); far more
 * than any key or signature needs. */
#define BADGE_BASE58_MAX_CHARS  2048

/* Decode len base58btc characters into out (cap bytes).  Returns 0 and
 * *outlen, or -1 on a bad character, an overlong input or a short out. */
int badge_base58_decode(const char *s, size_t len, unsigned char *out,
    size_t cap, size_t *outlen);
/* Encode into out (cap chars with NUL).  Returns the length or 0. */
size_t badge_base58_encode(const unsigned char *p, size_t n, char *out,
    size_t cap);

/* "z" + base58btc: the only multibase form accepted (the others are not
 * used for keys or proofs in the specifications we follow). */
int badge_multibase_decode(const char *mb, unsigned char *out, size_t cap,
    size_t *outlen);
char *badge_multibase_encode(badge_arena_t *a, const unsigned char *p,
    size_t n);

/* Unsigned varint (multiformats): minimal encoding, at most 9 bytes.
 * Returns the bytes used, or 0 if p does not start with a valid one. */
size_t badge_varint_decode(const unsigned char *p, size_t n, uint64_t *v);
/* Writes at most 10 bytes; returns the count. */
size_t badge_varint_encode(uint64_t v, unsigned char *out);

/* Split "<varint codec><rest>".  Returns 0, or -1 if no valid prefix. */
int badge_multicodec_split(const unsigned char *p, size_t n,
    uint64_t *codec, const unsigned char **rest, size_t *rest_len);

#endif
