/*
 * http_cache.c: cache keys and cached verification results shared by the
 * nginx and the Apache glue (see http_cache.h).  No I/O.
 *
 * A record:
 *   "BdC2"                 magic and version
 *   u8   BADGE_FIELD__COUNT (a record of another build is refused)
 *   u8   verified (0/1)
 *   u16  HTTP status, big-endian
 *   u8   outcome + 1 (badge_outcome_t, -1..2)
 *   then the report, each field, the failing check and its code:
 *   u32  length, big-endian (0xffffffff: absent), the bytes, a NUL
 */
#include "http_cache.h"

#include <stdint.h>
#include <string.h>

#include <openssl/evp.h>

#include "http_glue.h"

#define BADGE_CACHE_MAGIC      "BdC2"
#define BADGE_CACHE_HEADER     9
#define BADGE_CACHE_ABSENT     0xffffffffu
#define BADGE_CACHE_MAX_STR    (64u * 1024 * 1024)

int
badge_result_from_session(badge_session_t *s, badge_result_t *r)
{
    size_t i;

    memset(r, 0, sizeof(*r));
    if (s == NULL) {
        return -1;
    }
    r->report = badge_session_report_json(s, &r->report_len);
    if (r->report == NULL) {
        return -1;
    }
    r->verified = badge_session_verified(s) ? 1 : 0;
    r->http_status = badge_http_report_status(s);
    for (i = 0; i < BADGE_FIELD__COUNT; i++) {
        r->fields[i] = badge_session_field(s, (badge_field_t) i);
    }
    r->outcome = (int) badge_session_first_failure(s, &r->fail_check,
                                                   &r->fail_code);
    return 0;
}

static void
badge_put_u32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char) (v >> 24);
    p[1] = (unsigned char) (v >> 16);
    p[2] = (unsigned char) (v >> 8);
    p[3] = (unsigned char) v;
}

static uint32_t
badge_get_u32(const unsigned char *p)
{
    return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16)
           | ((uint32_t) p[2] << 8) | (uint32_t) p[3];
}

/* Append one string at *off (counting even when it does not fit). */
static void
badge_pack_str(unsigned char *buf, size_t size, size_t *off, const char *s,
    size_t len)
{
    size_t need = 4 + (s != NULL ? len + 1 : 0);

    if (*off + need <= size) {
        if (s == NULL) {
            badge_put_u32(buf + *off, BADGE_CACHE_ABSENT);
        } else {
            badge_put_u32(buf + *off, (uint32_t) len);
            memcpy(buf + *off + 4, s, len);
            buf[*off + 4 + len] = '\0';
        }
    }
    *off += need;
}

size_t
badge_result_pack(const badge_result_t *r, unsigned char *buf, size_t size)
{
    size_t off = BADGE_CACHE_HEADER, i;

    if (r->outcome < -1 || r->outcome > 2) {
        return (size_t) -1;
    }
    if (size >= BADGE_CACHE_HEADER) {
        memcpy(buf, BADGE_CACHE_MAGIC, 4);
        buf[4] = (unsigned char) BADGE_FIELD__COUNT;
        buf[5] = r->verified ? 1 : 0;
        buf[6] = (unsigned char) ((unsigned) r->http_status >> 8);
        buf[7] = (unsigned char) r->http_status;
        buf[8] = (unsigned char) (r->outcome + 1);
    }
    if (r->report == NULL || r->report_len >= BADGE_CACHE_MAX_STR) {
        return (size_t) -1;     /* never fits: not cacheable */
    }
    badge_pack_str(buf, size, &off, r->report, r->report_len);
    for (i = 0; i < BADGE_FIELD__COUNT; i++) {
        const char *f = r->fields[i];
        size_t      n = f != NULL ? strlen(f) : 0;

        if (n >= BADGE_CACHE_MAX_STR) {
            return (size_t) -1;
        }
        badge_pack_str(buf, size, &off, f, n);
    }
    badge_pack_str(buf, size, &off, r->fail_check,
                   r->fail_check != NULL ? strlen(r->fail_check) : 0);
    badge_pack_str(buf, size, &off, r->fail_code,
                   r->fail_code != NULL ? strlen(r->fail_code) : 0);
    return off;
}

/* Read one string at *off; 0 or -1. */
static int
badge_unpack_str(const unsigned char *buf, size_t len, size_t *off,
    const char **s, size_t *slen)
{
    uint32_t n;

    if (len - *off < 4) {
        return -1;
    }
    n = badge_get_u32(buf + *off);
    *off += 4;
    if (n == BADGE_CACHE_ABSENT) {
        *s = NULL;
        if (slen != NULL) {
            *slen = 0;
        }
        return 0;
    }
    if (n >= BADGE_CACHE_MAX_STR || len - *off < (size_t) n + 1
        || buf[*off + n] != '\0' || memchr(buf + *off, '\0', n) != NULL)
    {
        return -1;
    }
    *s = (const char *) buf + *off;
    if (slen != NULL) {
        *slen = n;
    }
    *off += (size_t) n + 1;
    return 0;
}

int
badge_result_unpack(const unsigned char *buf, size_t len, badge_result_t *r)
{
    size_t off = BADGE_CACHE_HEADER, i;

    memset(r, 0, sizeof(*r));
    if (buf == NULL || len < BADGE_CACHE_HEADER
        || memcmp(buf, BADGE_CACHE_MAGIC, 4) != 0
        || buf[4] != (unsigned char) BADGE_FIELD__COUNT || buf[5] > 1
        || buf[8] > 3)
    {
        return -1;
    }
    r->verified = buf[5];
    r->outcome = (int) buf[8] - 1;
    r->http_status = (buf[6] << 8) | buf[7];
    if (r->http_status < 100 || r->http_status > 599) {
        return -1;
    }
    if (badge_unpack_str(buf, len, &off, &r->report, &r->report_len) != 0
        || r->report == NULL)
    {
        return -1;
    }
    for (i = 0; i < BADGE_FIELD__COUNT; i++) {
        if (badge_unpack_str(buf, len, &off, &r->fields[i], NULL) != 0) {
            return -1;
        }
    }
    if (badge_unpack_str(buf, len, &off, &r->fail_check, NULL) != 0
        || badge_unpack_str(buf, len, &off, &r->fail_code, NULL) != 0)
    {
        return -1;
    }
    return off == len ? 0 : -1;
}

static int
badge_sha256_parts(unsigned char out[BADGE_CACHE_KEY_LEN],
    const void *const *parts, const size_t *lens, size_t n)
{
    EVP_MD_CTX   *md = EVP_MD_CTX_new();
    unsigned int  outlen = 0;
    size_t        i;
    int           ok;

    if (md == NULL) {
        return -1;
    }
    ok = EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1;
    for (i = 0; ok && i < n; i++) {
        ok = EVP_DigestUpdate(md, parts[i], lens[i]) == 1;
    }
    ok = ok && EVP_DigestFinal_ex(md, out, &outlen) == 1
         && outlen == BADGE_CACHE_KEY_LEN;
    EVP_MD_CTX_free(md);
    return ok ? 0 : -1;
}

int
badge_cache_chain(unsigned char out[BADGE_CACHE_KEY_LEN],
    const unsigned char *prev, const void *data, size_t len)
{
    static const unsigned char zero[BADGE_CACHE_KEY_LEN];
    unsigned char  lenbuf[8], p[BADGE_CACHE_KEY_LEN];
    const void    *parts[4];
    size_t         lens[4], i;

    memcpy(p, prev != NULL ? prev : zero, sizeof(p));
    for (i = 0; i < 8; i++) {
        lenbuf[i] = (unsigned char) ((uint64_t) len >> (56 - 8 * i));
    }
    parts[0] = "badge-cache-chain";
    lens[0] = sizeof("badge-cache-chain");
    parts[1] = p;
    lens[1] = sizeof(p);
    parts[2] = lenbuf;
    lens[2] = sizeof(lenbuf);
    parts[3] = data != NULL ? data : "";
    lens[3] = data != NULL ? len : 0;
    return badge_sha256_parts(out, parts, lens, 4);
}

int
badge_cache_key(unsigned char key[BADGE_CACHE_KEY_LEN],
    const unsigned char config[BADGE_CACHE_KEY_LEN], const char *lang,
    const char *kind, const void *input, size_t len)
{
    const void *parts[5];
    size_t      lens[5];

    /* the NULs keep "en"+"data" apart from "e"+"ndata" */
    parts[0] = "badge-cache-key-v1";
    lens[0] = sizeof("badge-cache-key-v1");
    parts[1] = config;
    lens[1] = BADGE_CACHE_KEY_LEN;
    parts[2] = lang != NULL ? lang : "en";
    lens[2] = strlen(parts[2]) + 1;
    parts[3] = kind != NULL ? kind : "data";
    lens[3] = strlen(parts[3]) + 1;
    parts[4] = input != NULL ? input : "";
    lens[4] = input != NULL ? len : 0;
    return badge_sha256_parts(key, parts, lens, 5);
}

int
badge_result_cacheable(const badge_result_t *r, int transient)
{
    if (transient || r == NULL || r->report == NULL) {
        return 0;
    }
    return r->http_status == 200 || r->http_status == 400;
}
