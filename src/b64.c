/*
 * b64.c: strict base64 / base64url on top of OpenSSL's EVP_DecodeBlock and
 * EVP_EncodeBlock.  EVP_DecodeBlock accepts white space, keeps the bytes
 * that padding stands for, and ignores spare bits, so everything is
 * validated here first and the padding bytes are dropped afterwards.
 */
#include "b64.h"

#include <limits.h>
#include <string.h>

#include <openssl/evp.h>

/* Translation happens through a stack buffer of this many characters (a
 * multiple of 4), so that no allocation is needed. */
#define BADGE_B64_CHUNK  1024

static int
badge_b64_value(unsigned char c, int url)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == (url ? '-' : '+')) {
        return 62;
    }
    if (c == (url ? '_' : '/')) {
        return 63;
    }
    return -1;
}

/*
 * Checks the characters and the spare bits; returns the number of data
 * characters (without padding) or -1.
 */
static long
badge_b64_validate(const char *s, size_t len, int url)
{
    size_t data = len, i, rem;
    int    v;

    if (len > LONG_MAX / 2) {
        return -1;
    }
    if (!url) {
        if (len % 4 != 0) {
            return -1;
        }
        if (len > 0 && s[len - 1] == '=') {
            data--;
            if (s[len - 2] == '=') {
                data--;
            }
        }
    }
    rem = data % 4;
    if (rem == 1) {
        return -1;
    }
    for (i = 0; i < data; i++) {
        if (badge_b64_value((unsigned char) s[i], url) < 0) {
            return -1;
        }
    }
    if (rem != 0) {
        /* 2 chars carry 1 byte (4 spare bits), 3 chars 2 bytes (2) */
        v = badge_b64_value((unsigned char) s[data - 1], url);
        if ((v & (rem == 2 ? 0x0f : 0x03)) != 0) {
            return -1;
        }
    }
    return (long) data;
}

static int
badge_b64_decode_any(const char *s, size_t len, unsigned char *out,
    size_t cap, size_t *outlen, int url)
{
    unsigned char  chunk[BADGE_B64_CHUNK];
    long           data;
    size_t         i, n, k, done = 0, pos = 0;
    int            r;

    data = badge_b64_validate(s, len, url);
    if (data < 0) {
        return -1;
    }
    if (cap < BADGE_B64_DECODED_MAX((size_t) data)) {
        return -1;
    }
    while (pos < (size_t) data) {
        n = (size_t) data - pos;
        if (n > BADGE_B64_CHUNK) {
            n = BADGE_B64_CHUNK;
        }
        for (i = 0; i < n; i++) {
            unsigned char c = (unsigned char) s[pos + i];

            if (url) {
                c = c == '-' ? '+' : c == '_' ? '/' : c;
            }
            chunk[i] = c;
        }
        k = n;
        while (k % 4 != 0) {
            chunk[k++] = '=';
        }
        r = EVP_DecodeBlock(out + done, chunk, (int) k);
        if (r < 0 || (size_t) r != k / 4 * 3) {
            return -1;
        }
        /* EVP_DecodeBlock emits zero bytes for the padding: drop them */
        done += (size_t) r - (k - n);
        pos += n;
    }
    *outlen = done;
    return 0;
}

int
badge_b64_decode(const char *s, size_t len, unsigned char *out, size_t cap,
    size_t *outlen)
{
    return badge_b64_decode_any(s, len, out, cap, outlen, 0);
}

int
badge_b64url_decode(const char *s, size_t len, unsigned char *out,
    size_t cap, size_t *outlen)
{
    return badge_b64_decode_any(s, len, out, cap, outlen, 1);
}

static unsigned char *
badge_b64_decode_arena_any(badge_arena_t *a, const char *s, size_t len,
    size_t *outlen, int url)
{
    unsigned char *out;
    size_t         cap = BADGE_B64_DECODED_MAX(len) + 1;

    out = badge_arena_alloc(a, cap);
    if (out == NULL) {
        return NULL;
    }
    if (badge_b64_decode_any(s, len, out, cap, outlen, url) != 0) {
        return NULL;
    }
    out[*outlen] = '\0';
    return out;
}

unsigned char *
badge_b64_decode_arena(badge_arena_t *a, const char *s, size_t len,
    size_t *outlen)
{
    return badge_b64_decode_arena_any(a, s, len, outlen, 0);
}

unsigned char *
badge_b64url_decode_arena(badge_arena_t *a, const char *s, size_t len,
    size_t *outlen)
{
    return badge_b64_decode_arena_any(a, s, len, outlen, 1);
}

size_t
badge_b64_encode(const unsigned char *p, size_t n, char *out, size_t cap)
{
    size_t done = 0, k;
    int    r;

    if (n > (size_t) INT_MAX / 2 || cap < BADGE_B64_ENCODED_LEN(n) + 1) {
        return 0;
    }
    /* whole groups of 3 bytes per call keep the output contiguous */
    while (n > 0) {
        k = n > 3 * 4096 ? 3 * 4096 : n;
        r = EVP_EncodeBlock((unsigned char *) out + done, p, (int) k);
        if (r < 0) {
            return 0;
        }
        done += (size_t) r;
        p += k;
        n -= k;
    }
    out[done] = '\0';
    return done;
}

size_t
badge_b64url_encode(const unsigned char *p, size_t n, char *out, size_t cap)
{
    size_t len, i;

    /* the padded form needs up to 2 more bytes than the result */
    if (cap < BADGE_B64_ENCODED_LEN(n) + 1) {
        return 0;
    }
    len = badge_b64_encode(p, n, out, cap);
    if (len == 0) {
        out[0] = '\0';
        return 0;
    }
    while (len > 0 && out[len - 1] == '=') {
        len--;
    }
    for (i = 0; i < len; i++) {
        out[i] = out[i] == '+' ? '-' : out[i] == '/' ? '_' : out[i];
    }
    out[len] = '\0';
    return len;
}

char *
badge_b64_encode_arena(badge_arena_t *a, const unsigned char *p, size_t n)
{
    size_t cap = BADGE_B64_ENCODED_LEN(n) + 1;
    char  *out = badge_arena_alloc(a, cap);

    if (out == NULL) {
        return NULL;
    }
    if (badge_b64_encode(p, n, out, cap) == 0 && n > 0) {
        return NULL;
    }
    out[BADGE_B64_ENCODED_LEN(n)] = '\0';
    return out;
}

char *
badge_b64url_encode_arena(badge_arena_t *a, const unsigned char *p,
    size_t n)
{
    size_t cap = BADGE_B64_ENCODED_LEN(n) + 1;
    char  *out = badge_arena_alloc(a, cap);

    if (out == NULL) {
        return NULL;
    }
    if (badge_b64url_encode(p, n, out, cap) == 0) {
        if (n > 0) {
            return NULL;
        }
        out[0] = '\0';
    }
    return out;
}
