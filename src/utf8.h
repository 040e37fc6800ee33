/*
 * utf8.h: strict UTF-8 decoding (RFC 3629: no overlong forms, no
 * surrogates, nothing past U+10FFFF), shared by the serializers (JCS,
 * N-Quads, the report).  Bottom layer: includes nothing of ours.
 */
#ifndef BADGE_UTF8_H
#define BADGE_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* The length of the sequence at p (p < end) and its code point in *cp, or
 * 0 when it is not valid UTF-8. */
size_t badge_utf8_decode(const unsigned char *p, const unsigned char *end,
    uint32_t *cp);

#endif
