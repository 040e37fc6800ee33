/*
 * multibase.c: base58btc, "z" multibase and multicodec varints.
 */
#include "multibase.h"

#include <string.h>

static const char badge_b58_alphabet[] =
    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

static int
badge_b58_value(unsigned char c)
{
    const char *p;

    if (c == '\0') {
        return -1;
    }
    p = strchr(badge_b58_alphabet, c);
    return p != NULL ? (int) (p - badge_b58_alphabet) : -1;
}

int
badge_base58_decode(const char *s, size_t len, unsigned char *out,
    size_t cap, size_t *outlen)
{
    /* big-endian big number built in tmp; 733/1000 ~ log(58)/log(256) */
    unsigned char tmp[BADGE_BASE58_MAX_CHARS * 733 / 1000 + 1];
    size_t        zeros = 0, size, i, j, high, start;
    unsigned int  carry;
    int           v;

    if (len > BADGE_BASE58_MAX_CHARS) {
        return -1;
    }
    while (zeros < len && s[zeros] == '1') {
        zeros++;
    }
    size = (len - zeros) * 733 / 1000 + 1;
    memset(tmp, 0, size);
    high = size;
    for (i = zeros; i < len; i++) {
        v = badge_b58_value((unsigned char) s[i]);
        if (v < 0) {
            return -1;
        }
        carry = (unsigned int) v;
        for (j = size; j > 0 && (carry != 0 || j > high); j--) {
            carry += 58u * tmp[j - 1];
            tmp[j - 1] = (unsigned char) (carry & 0xff);
            carry >>= 8;
        }
        high = j;
    }
    for (start = 0; start < size && tmp[start] == 0; start++) {
        /* skip the big number's leading zero bytes */
    }
    if (zeros + (size - start) > cap) {
        return -1;
    }
    /* each leading '1' stands for one leading zero byte */
    memset(out, 0, zeros);
    memcpy(out + zeros, tmp + start, size - start);
    *outlen = zeros + (size - start);
    return 0;
}

size_t
badge_base58_encode(const unsigned char *p, size_t n, char *out, size_t cap)
{
    /* 138/100 ~ log(256)/log(58) */
    unsigned char tmp[BADGE_BASE58_MAX_CHARS];
    size_t        zeros = 0, size, i, j, high, start, len;
    unsigned int  carry;

    while (zeros < n && p[zeros] == 0) {
        zeros++;
    }
    size = (n - zeros) * 138 / 100 + 1;
    if (size > sizeof(tmp)) {
        return 0;
    }
    memset(tmp, 0, size);
    high = size;
    for (i = zeros; i < n; i++) {
        carry = p[i];
        for (j = size; j > 0 && (carry != 0 || j > high); j--) {
            carry += 256u * tmp[j - 1];
            tmp[j - 1] = (unsigned char) (carry % 58);
            carry /= 58;
        }
        high = j;
    }
    for (start = 0; start < size && tmp[start] == 0; start++) {
        /* void */
    }
    len = zeros + (size - start);
    if (len + 1 > cap) {
        return 0;
    }
    memset(out, '1', zeros);
    for (i = 0; start + i < size; i++) {
        out[zeros + i] = badge_b58_alphabet[tmp[start + i]];
    }
    out[len] = '\0';
    return len;
}

int
badge_multibase_decode(const char *mb, unsigned char *out, size_t cap,
    size_t *outlen)
{
    if (mb == NULL || mb[0] != 'z' || mb[1] == '\0') {
        return -1;
    }
    return badge_base58_decode(mb + 1, strlen(mb + 1), out, cap, outlen);
}

char *
badge_multibase_encode(badge_arena_t *a, const unsigned char *p, size_t n)
{
    size_t cap = n * 138 / 100 + 3;
    char  *out = badge_arena_alloc(a, cap);

    if (out == NULL) {
        return NULL;
    }
    out[0] = 'z';
    if (badge_base58_encode(p, n, out + 1, cap - 1) == 0 && n > 0) {
        return NULL;
    }
    return out;
}

size_t
badge_varint_decode(const unsigned char *p, size_t n, uint64_t *v)
{
    uint64_t x = 0;
    size_t   i;

    for (i = 0; i < n && i < 9; i++) {
        x |= (uint64_t) (p[i] & 0x7f) << (7 * i);
        if ((p[i] & 0x80) == 0) {
            /* minimal: a last byte of 0 is only valid for the value 0 */
            if (p[i] == 0 && i > 0) {
                return 0;
            }
            *v = x;
            return i + 1;
        }
    }
    return 0;
}

size_t
badge_varint_encode(uint64_t v, unsigned char *out)
{
    size_t n = 0;

    do {
        out[n] = (unsigned char) (v & 0x7f);
        v >>= 7;
        if (v != 0) {
            out[n] |= 0x80;
        }
        n++;
    } while (v != 0);
    return n;
}

int
badge_multicodec_split(const unsigned char *p, size_t n, uint64_t *codec,
    const unsigned char **rest, size_t *rest_len)
{
    size_t used = badge_varint_decode(p, n, codec);

    if (used == 0) {
        return -1;
    }
    *rest = p + used;
    *rest_len = n - used;
    return 0;
}
