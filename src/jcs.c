/*
 * jcs.c: JSON Canonicalization Scheme, RFC 8785.
 *
 * Numbers follow ECMAScript's Number.prototype.toString (RFC 8785 3.2.2.3):
 * the shortest decimal that reads back as the same double, chosen closest
 * to it, printed without exponent from 1e-6 up to 1e21.  The shortest digits
 * come from glibc's exactly rounded printf/strtod: for each length the
 * correctly rounded candidate is tried, and, because the rounding interval
 * of a power of two is lopsided, also its neighbour on the far side of the
 * value (the only other candidate of that length that can read back).
 */
#include "jcs.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "utf8.h"

#define BADGE_JCS_MAX_DEPTH  512


/* Adds +1 or -1 to the decimal digit string d (n digits, no sign).
 * Returns the new count of digits (n, or n + 1 on a carry out, or n with a
 * leading zero on a borrow, which the caller strips). */
static size_t
badge_jcs_bump(char *d, size_t n, int dir)
{
    size_t i = n;

    if (dir > 0) {
        while (i > 0) {
            i--;
            if (d[i] == '9') {
                d[i] = '0';
                continue;
            }
            d[i]++;
            return n;
        }
        memmove(d + 1, d, n);
        d[0] = '1';
        return n + 1;
    }
    while (i > 0) {
        i--;
        if (d[i] == '0') {
            d[i] = '9';
            continue;
        }
        d[i]--;
        return n;
    }
    return n;
}


/* Shortest round-trip digits of d > 0: digits[] (no trailing zeros) and
 * the decimal exponent n with d = 0.digits * 10^n. */
static size_t
badge_jcs_shortest(double d, char *digits, int *n10)
{
    char   tmp[64], cand[64];
    char  *e;
    int    prec, exp10, dir;
    size_t k, i;
    double back;

    for (prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, d);
        back = strtod(tmp, NULL);

        /* split "D.DDDe+XX" into digits and exponent */
        k = 0;
        for (i = 0; tmp[i] != 'e'; i++) {
            if (tmp[i] != '.') {
                digits[k++] = tmp[i];
            }
        }
        exp10 = (int) strtol(tmp + i + 1, &e, 10);

        if (back != d) {
            /* the neighbour on the other side of d */
            dir = back < d ? 1 : -1;
            k = badge_jcs_bump(digits, k, dir);
            if (digits[0] == '0') {             /* 1000 - 1 = 0999 */
                memmove(digits, digits + 1, --k);
                exp10--;
            } else if (k > (size_t) prec) {     /* 999 + 1 = 1000 */
                exp10++;
            }
            snprintf(cand, sizeof(cand), "%.*se%d", (int) k, digits,
                     exp10 - (int) k + 1);
            if (strtod(cand, NULL) != d) {
                continue;
            }
        }
        while (k > 1 && digits[k - 1] == '0') {
            k--;
        }
        digits[k] = '\0';
        *n10 = exp10 + 1;
        return k;
    }
    /* unreachable: 17 significant digits always round-trip */
    snprintf(tmp, sizeof(tmp), "%.16e", d);
    k = 0;
    for (i = 0; tmp[i] != 'e'; i++) {
        if (tmp[i] != '.') {
            digits[k++] = tmp[i];
        }
    }
    *n10 = (int) strtol(tmp + i + 1, NULL, 10) + 1;
    while (k > 1 && digits[k - 1] == '0') {
        k--;
    }
    digits[k] = '\0';
    return k;
}


int
badge_jcs_number(double d, char *buf)
{
    char   digits[40];
    char  *p = buf;
    size_t k, i;
    int    n, e;

    if (!isfinite(d)) {
        return -1;
    }
    if (d == 0) {               /* also -0 */
        buf[0] = '0';
        buf[1] = '\0';
        return 1;
    }
    if (d < 0) {
        *p++ = '-';
        d = -d;
    }
    k = badge_jcs_shortest(d, digits, &n);

    /* ECMA-262 Number::toString, with k digits and value 0.digits*10^n */
    if ((int) k <= n && n <= 21) {
        memcpy(p, digits, k);
        p += k;
        for (i = 0; i < (size_t) n - k; i++) {
            *p++ = '0';
        }
    } else if (0 < n && n <= 21) {
        memcpy(p, digits, (size_t) n);
        p += n;
        *p++ = '.';
        memcpy(p, digits + n, k - (size_t) n);
        p += k - (size_t) n;
    } else if (-6 < n && n <= 0) {
        *p++ = '0';
        *p++ = '.';
        for (i = 0; i < (size_t) -n; i++) {
            *p++ = '0';
        }
        memcpy(p, digits, k);
        p += k;
    } else {
        *p++ = digits[0];
        if (k > 1) {
            *p++ = '.';
            memcpy(p, digits + 1, k - 1);
            p += k - 1;
        }
        e = n - 1;
        p += sprintf(p, "e%c%d", e < 0 ? '-' : '+', e < 0 ? -e : e);
    }
    *p = '\0';
    return (int) (p - buf);
}


/* Next code point of valid UTF-8, or -1 when invalid. */
static int32_t
badge_jcs_cp(const unsigned char **pp, const unsigned char *end)
{
    uint32_t c;
    size_t   n = badge_utf8_decode(*pp, end, &c);

    if (n == 0) {
        return -1;
    }
    *pp += n;
    return (int32_t) c;
}


typedef struct {
    const char *key;
    size_t      len;
    json_t     *value;
} badge_jcs_member_t;


/* RFC 8785 3.2.3: member names compared as arrays of UTF-16 code units.
 * Keys were validated as UTF-8 when written; here invalid input only has
 * to sort deterministically. */
static int
badge_jcs_key_cmp(const void *a, const void *b)
{
    const badge_jcs_member_t *x = a, *y = b;
    const unsigned char      *p = (const unsigned char *) x->key;
    const unsigned char      *pe = p + x->len;
    const unsigned char      *q = (const unsigned char *) y->key;
    const unsigned char      *qe = q + y->len;
    int32_t                   c, d, cu, du;

    while (p < pe && q < qe) {
        c = badge_jcs_cp(&p, pe);
        d = badge_jcs_cp(&q, qe);
        if (c < 0 || d < 0) {
            return c < 0 && d >= 0 ? -1 : (d < 0 && c >= 0 ? 1 : 0);
        }
        if (c == d) {
            continue;
        }
        /* the first UTF-16 unit: a supplementary character starts with
         * its high surrogate; if those tie the code points still order */
        cu = c >= 0x10000 ? 0xD800 + ((c - 0x10000) >> 10) : c;
        du = d >= 0x10000 ? 0xD800 + ((d - 0x10000) >> 10) : d;
        if (cu != du) {
            return cu < du ? -1 : 1;
        }
        return c < d ? -1 : 1;
    }
    if (p < pe) {
        return 1;
    }
    return q < qe ? -1 : 0;
}


static int
badge_jcs_value(badge_buf_t *b, const json_t *v, int depth)
{
    char                numbuf[40];
    int                 n;
    size_t              i, count;
    const char         *key;
    size_t              klen;
    json_t             *val;
    badge_jcs_member_t *m;

    if (depth > BADGE_JCS_MAX_DEPTH) {
        return -1;
    }
    switch (json_typeof(v)) {
    case JSON_NULL:
        badge_buf_append(b, "null", 4);
        return 0;
    case JSON_TRUE:
        badge_buf_append(b, "true", 4);
        return 0;
    case JSON_FALSE:
        badge_buf_append(b, "false", 5);
        return 0;
    case JSON_INTEGER:
        /* I-JSON: every number is a double, integers included */
        n = badge_jcs_number((double) json_integer_value(v), numbuf);
        if (n < 0) {
            return -1;
        }
        badge_buf_append(b, numbuf, (size_t) n);
        return 0;
    case JSON_REAL:
        n = badge_jcs_number(json_real_value(v), numbuf);
        if (n < 0) {
            return -1;
        }
        badge_buf_append(b, numbuf, (size_t) n);
        return 0;
    case JSON_STRING:
        return badge_json_quote(b, json_string_value(v), json_string_length(v),
                                0);
    case JSON_ARRAY:
        badge_buf_putc(b, '[');
        for (i = 0; i < json_array_size(v); i++) {
            if (i > 0) {
                badge_buf_putc(b, ',');
            }
            if (badge_jcs_value(b, json_array_get(v, i), depth + 1) != 0) {
                return -1;
            }
        }
        badge_buf_putc(b, ']');
        return 0;
    case JSON_OBJECT:
        count = json_object_size(v);
        m = badge_arena_alloc(b->arena, (count + 1) * sizeof(*m));
        if (m == NULL) {
            return -1;
        }
        i = 0;
        /* jansson's iteration API wants a non-const object; it does not
         * modify it */
        json_object_keylen_foreach((json_t *) v, key, klen, val) {
            if (i < count) {
                m[i].key = key;
                m[i].len = klen;
                m[i].value = val;
                i++;
            }
        }
        count = i;
        qsort(m, count, sizeof(*m), badge_jcs_key_cmp);
        badge_buf_putc(b, '{');
        for (i = 0; i < count; i++) {
            if (i > 0) {
                badge_buf_putc(b, ',');
            }
            if (badge_json_quote(b, m[i].key, m[i].len, 0) != 0) {
                return -1;
            }
            badge_buf_putc(b, ':');
            if (badge_jcs_value(b, m[i].value, depth + 1) != 0) {
                return -1;
            }
        }
        badge_buf_putc(b, '}');
        return 0;
    }
    return -1;
}


char *
badge_jcs_serialize(badge_arena_t *a, const json_t *v, size_t *len)
{
    badge_buf_t b;
    char       *s;

    if (v == NULL) {
        return NULL;
    }
    badge_buf_init(&b, a, 1024);
    if (badge_jcs_value(&b, v, 0) != 0) {
        return NULL;
    }
    s = badge_buf_cstr(&b);
    if (s != NULL && len != NULL) {
        *len = b.len;
    }
    return s;
}
