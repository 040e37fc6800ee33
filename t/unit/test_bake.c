/*
 * Unit tests of bake.c, read back with baked.c (the extractor):
 * PNG (OB 3.0 and OB 2.0 keywords, chunk before IEND with a valid CRC,
 * an existing credential replaced, legacy tEXt dropped, trailing bytes
 * after IEND dropped, broken PNGs refused) and SVG (OB 3.0 credential
 * element, OB 2.0 assertion with verify = URL / JWS / the JSON's id, "]]>"
 * inside the JSON, a self-closing root, a replaced element, a prefix
 * bound to the other version, entities refused), and version guessing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>

#include "arena.h"
#include "bake.h"
#include "baked.h"
#include "error.h"

#define OB3  "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"," \
             "\"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\"" \
             "]," \
             "\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"]," \
             "\"name\":\"DX講座 ]]> <b>&amp;\"}"
#define OB2  "{\"@context\":\"https://w3id.org/openbadges/v2\"," \
             "\"type\":\"Assertion\",\"id\":\"https://x.jp/a/1\"}"
#define URL  "https://x.jp/a/1"
/* header {"alg":"RS256"}, payload OB 2.0 JSON, a made-up signature */
#define JWS2 "eyJhbGciOiJSUzI1NiJ9." \
             "eyJAY29udGV4dCI6Imh0dHBzOi8vdzNpZC5vcmcvb3BlbmJhZGdlcy92MiJ9." \
             "c2lnbmF0dXJl"
/* payload {"iss":"x"}: a VC-JWT as far as guessing goes */
#define JWT3 "eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJl"

typedef struct {
    unsigned char *p;
    size_t         len, cap;
} png_t;

static void
put(png_t *b, const void *p, size_t n)
{
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2;
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
    memcpy(b->p + b->len, p, n);
    b->len += n;
}

static void
put32(png_t *b, uint32_t v)
{
    unsigned char x[4] = { (unsigned char) (v >> 24),
                           (unsigned char) (v >> 16),
                           (unsigned char) (v >> 8), (unsigned char) v };

    put(b, x, 4);
}

static void
chunk(png_t *b, const char *type, const void *data, size_t n)
{
    uLong crc;

    put32(b, (uint32_t) n);
    put(b, type, 4);
    put(b, data, n);
    crc = crc32(0L, (const Bytef *) type, 4);
    crc = crc32(crc, data, (uInt) n);
    put32(b, (uint32_t) crc);
}

/* A 1x1 grey PNG, with an extra chunk before IEND when given. */
static png_t
make_png(const char *extra_type, const void *extra, size_t extra_len)
{
    static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n',
                                          0x1a, '\n' };
    static const unsigned char ihdr[13] = { 0, 0, 0, 1, 0, 0, 0, 1, 8, 0,
                                            0, 0, 0 };
    unsigned char raw[2] = { 0, 0x80 }, z[64];
    uLongf        zlen = sizeof(z);
    png_t         b = { NULL, 0, 0 };

    assert_int_equal(compress(z, &zlen, raw, 2), Z_OK);
    put(&b, sig, 8);
    chunk(&b, "IHDR", ihdr, 13);
    chunk(&b, "IDAT", z, zlen);
    if (extra_type != NULL) {
        chunk(&b, extra_type, extra, extra_len);
    }
    chunk(&b, "IEND", "", 0);
    return b;
}

/* Extract from img and expect payload, version and kind. */
static void
expect_baked(const unsigned char *img, size_t len, const char *payload,
    badge_baked_version_t v, badge_baked_kind_t kind)
{
    badge_arena_t *a = badge_arena_new(0);
    badge_baked_t  b;
    badge_err_t    err;

    badge_err_clear(&err);
    if (badge_baked_extract(a, img, len, &b, &err) != 0) {
        fail_msg("extract: %s", err.message);
    }
    assert_int_equal(b.version, v);
    assert_int_equal(b.kind, kind);
    assert_string_equal(b.payload, payload);
    badge_arena_free(a);
}

/* Every chunk's CRC is right and ours is the one before IEND. */
static void
check_png(const unsigned char *p, size_t len, const char *keyword)
{
    size_t   off = 8, last = 0;
    uint32_t n, crc;

    while (off + 12 <= len) {
        n = ((uint32_t) p[off] << 24) | ((uint32_t) p[off + 1] << 16)
            | ((uint32_t) p[off + 2] << 8) | p[off + 3];
        crc = ((uint32_t) p[off + 8 + n] << 24)
              | ((uint32_t) p[off + 9 + n] << 16)
              | ((uint32_t) p[off + 10 + n] << 8) | p[off + 11 + n];
        assert_int_equal(crc32(0L, p + off + 4, n + 4), crc);
        if (memcmp(p + off + 4, "IEND", 4) == 0) {
            assert_int_equal(off + 12, len);   /* nothing after IEND */
            assert_memory_equal(p + last + 4, "iTXt", 4);
            assert_memory_equal(p + last + 8, keyword, strlen(keyword) + 1);
            return;
        }
        last = off;
        off += n + 12;
    }
    fail_msg("no IEND");
}

static void
test_png(void **state)
{
    badge_arena_t *a = badge_arena_new(0);
    unsigned char *out, *out2;
    size_t         out_len, out2_len;
    badge_err_t    err;
    png_t          png = make_png(NULL, NULL, 0), old;
    static const char legacy[] = "openbadges\0https://x.jp/old";

    (void) state;
    /* OB 3.0 JSON, with surrounding white space trimmed */
    assert_int_equal(badge_bake(a, png.p, png.len, "\n " OB3 "\n",
                                strlen(OB3) + 3, 0, &out, &out_len, &err),
                     0);
    check_png(out, out_len, "openbadgecredential");
    expect_baked(out, out_len, OB3, BADGE_BAKED_OB3, BADGE_BAKED_JSON);

    /* baked again as OB 2.0: the old credential is gone, not doubled */
    assert_int_equal(badge_bake(a, out, out_len, OB2, strlen(OB2), 0, &out2,
                                &out2_len, &err), 0);
    check_png(out2, out2_len, "openbadges");
    expect_baked(out2, out2_len, OB2, BADGE_BAKED_OB2, BADGE_BAKED_JSON);
    assert_int_equal(out2_len, png.len + 12 + 10 + 5 + strlen(OB2));

    /* OB 2.0 URL and signed assertion; OB 3.0 JWT */
    assert_int_equal(badge_bake_png(a, png.p, png.len, URL, strlen(URL), 0,
                                    &out, &out_len, &err), 0);
    expect_baked(out, out_len, URL, BADGE_BAKED_OB2, BADGE_BAKED_URL);
    assert_int_equal(badge_bake_png(a, png.p, png.len, JWS2, strlen(JWS2), 0,
                                    &out, &out_len, &err), 0);
    expect_baked(out, out_len, JWS2, BADGE_BAKED_OB2, BADGE_BAKED_JWS);
    assert_int_equal(badge_bake_png(a, png.p, png.len, JWT3, strlen(JWT3), 0,
                                    &out, &out_len, &err), 0);
    expect_baked(out, out_len, JWT3, BADGE_BAKED_OB3, BADGE_BAKED_JWS);
    /* a forced version wins over the guess */
    assert_int_equal(badge_bake_png(a, png.p, png.len, OB2, strlen(OB2),
                                    BADGE_BAKED_OB3, &out, &out_len, &err),
                     0);
    expect_baked(out, out_len, OB2, BADGE_BAKED_OB3, BADGE_BAKED_JSON);

    /* a legacy tEXt openbadges chunk is replaced too */
    old = make_png("tEXt", legacy, sizeof(legacy) - 1);
    expect_baked(old.p, old.len, "https://x.jp/old", BADGE_BAKED_OB2,
                 BADGE_BAKED_URL);
    assert_int_equal(badge_bake(a, old.p, old.len, OB3, strlen(OB3), 0, &out,
                                &out_len, &err), 0);
    expect_baked(out, out_len, OB3, BADGE_BAKED_OB3, BADGE_BAKED_JSON);
    assert_int_equal(out_len, png.len + 12 + 19 + 5 + strlen(OB3));
    free(old.p);

    /* junk after IEND is not carried over */
    old = make_png(NULL, NULL, 0);
    put(&old, "trailing", 8);
    assert_int_equal(badge_bake(a, old.p, old.len, OB3, strlen(OB3), 0, &out,
                                &out_len, &err), 0);
    check_png(out, out_len, "openbadgecredential");
    free(old.p);

    /* refused: a bad CRC, a truncated PNG, bad payloads */
    old = make_png(NULL, NULL, 0);
    old.p[8 + 8 + 13] ^= 1;                 /* IHDR's CRC */
    assert_int_equal(badge_bake(a, old.p, old.len, OB3, strlen(OB3), 0, &out,
                                &out_len, &err), -1);
    assert_string_equal(err.code, "bake_png_invalid");
    old.p[8 + 8 + 13] ^= 1;
    assert_int_equal(badge_bake(a, old.p, old.len - 12, OB3, strlen(OB3), 0,
                                &out, &out_len, &err), -1);
    assert_string_equal(err.code, "bake_png_invalid");
    free(old.p);
    assert_int_equal(badge_bake(a, png.p, png.len, "", 0, 0, &out, &out_len,
                                &err), -1);
    assert_string_equal(err.code, "bake_payload_invalid");
    assert_int_equal(badge_bake(a, png.p, png.len, "[1,2]", 5, 0, &out,
                                &out_len, &err), -1);
    assert_int_equal(badge_bake(a, png.p, png.len, "hello", 5, 0, &out,
                                &out_len, &err), -1);
    assert_int_equal(badge_bake(a, png.p, png.len, URL, strlen(URL),
                                BADGE_BAKED_OB3, &out, &out_len, &err), -1);
    assert_string_equal(err.code, "bake_payload_invalid");
    assert_int_equal(badge_bake(a, (const unsigned char *) "GIF89a", 6, OB3,
                                strlen(OB3), 0, &out, &out_len, &err), -1);
    assert_string_equal(err.code, "bake_not_image");
    free(png.p);
    badge_arena_free(a);
}

#define SVG  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
             "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" " \
             "height=\"10\"><rect width=\"10\" height=\"10\"/></svg>\n"

static const char *
bake_svg(badge_arena_t *a, const char *svg, const char *payload,
    badge_baked_version_t v)
{
    unsigned char *out;
    size_t         out_len;
    badge_err_t    err;

    badge_err_clear(&err);
    if (badge_bake(a, (const unsigned char *) svg, strlen(svg), payload,
                   strlen(payload), v, &out, &out_len, &err) != 0)
    {
        fail_msg("bake: %s", err.message);
    }
    return badge_arena_strndup(a, (const char *) out, out_len);
}

static void
test_svg(void **state)
{
    badge_arena_t *a = badge_arena_new(0);
    const char    *out, *out2;
    unsigned char *o;
    size_t         olen;
    badge_err_t    err;

    (void) state;
    /* OB 3.0: the credential in CDATA, its "]]>" split safely */
    out = bake_svg(a, SVG, OB3, 0);
    assert_non_null(strstr(out, "xmlns:openbadges=\""
                                "https://purl.imsglobal.org/ob/v3p0\""));
    assert_non_null(strstr(out, "<openbadges:credential><![CDATA["));
    assert_non_null(strstr(out, "<rect"));      /* the picture is kept */
    expect_baked((const unsigned char *) out, strlen(out), OB3,
                 BADGE_BAKED_OB3, BADGE_BAKED_JSON);

    /* OB 2.0 JSON: verify names the hosted URL, the JSON is in the text */
    out = bake_svg(a, SVG, OB2, 0);
    assert_non_null(strstr(out, "xmlns:openbadges=\"http://openbadges.org\""));
    assert_non_null(strstr(out, "<openbadges:assertion verify=\""
                                "https://x.jp/a/1\"><![CDATA["));
    expect_baked((const unsigned char *) out, strlen(out), OB2,
                 BADGE_BAKED_OB2, BADGE_BAKED_JSON);
    /* OB 2.0 signed: verify is the JWS */
    out = bake_svg(a, SVG, JWS2, 0);
    assert_non_null(strstr(out, "verify=\"" JWS2 "\""));
    expect_baked((const unsigned char *) out, strlen(out), JWS2,
                 BADGE_BAKED_OB2, BADGE_BAKED_JWS);
    /* OB 2.0 hosted by URL only */
    out = bake_svg(a, SVG, URL, 0);
    expect_baked((const unsigned char *) out, strlen(out), URL,
                 BADGE_BAKED_OB2, BADGE_BAKED_URL);

    /* baked over: one credential, of the new version; the prefix now
     * bound to OB 2.0 on the root is redeclared locally */
    out2 = bake_svg(a, out, OB3, 0);
    expect_baked((const unsigned char *) out2, strlen(out2), OB3,
                 BADGE_BAKED_OB3, BADGE_BAKED_JSON);
    assert_null(strstr(out2, "openbadges:assertion"));
    out2 = bake_svg(a, out2, JWT3, 0);
    expect_baked((const unsigned char *) out2, strlen(out2), JWT3,
                 BADGE_BAKED_OB3, BADGE_BAKED_JWS);

    /* a self-closing root, nested existing element with another prefix */
    out = bake_svg(a, "<svg xmlns=\"http://www.w3.org/2000/svg\"/>", OB3, 0);
    expect_baked((const unsigned char *) out, strlen(out), OB3,
                 BADGE_BAKED_OB3, BADGE_BAKED_JSON);
    out = bake_svg(a, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                      "xmlns:ob=\"https://purl.imsglobal.org/ob/v3p0\"><g>"
                      "<ob:credential>{\"old\":1}</ob:credential></g></svg>",
                   OB3, 0);
    assert_null(strstr(out, "old"));
    expect_baked((const unsigned char *) out, strlen(out), OB3,
                 BADGE_BAKED_OB3, BADGE_BAKED_JSON);

    /* refused: entities, not SVG, not XML */
    {
        static const char xxe[] =
            "<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY x \"y\">]>"
            "<svg xmlns=\"http://www.w3.org/2000/svg\">&x;</svg>";

        assert_int_equal(badge_bake(a, (const unsigned char *) xxe,
                                    sizeof(xxe) - 1, OB3, strlen(OB3), 0, &o,
                                    &olen, &err), -1);
    }
    assert_string_equal(err.code, "bake_svg_entities");
    assert_int_equal(badge_bake_svg(a, (const unsigned char *) "<html/>", 7,
        OB3, strlen(OB3), 0, &o, &olen, &err), -1);
    assert_string_equal(err.code, "bake_not_image");
    assert_int_equal(badge_bake_svg(a, (const unsigned char *) "<svg><g>",
        8, OB3, strlen(OB3), 0, &o, &olen, &err), -1);
    assert_string_equal(err.code, "bake_svg_invalid");
    badge_arena_free(a);
}

static void
test_guess(void **state)
{
    badge_arena_t *a = badge_arena_new(0);

    (void) state;
    assert_int_equal(badge_bake_guess_version(a, OB3, strlen(OB3)),
                     BADGE_BAKED_OB3);
    assert_int_equal(badge_bake_guess_version(a, OB2, strlen(OB2)),
                     BADGE_BAKED_OB2);
    assert_int_equal(badge_bake_guess_version(a, URL, strlen(URL)),
                     BADGE_BAKED_OB2);
    assert_int_equal(badge_bake_guess_version(a, JWS2, strlen(JWS2)),
                     BADGE_BAKED_OB2);
    assert_int_equal(badge_bake_guess_version(a, JWT3, strlen(JWT3)),
                     BADGE_BAKED_OB3);
    {
        static const char arr[] =
            "{\"@context\":[\"https://w3id.org/openbadges/v2\"]}";

        assert_int_equal(badge_bake_guess_version(a, arr, sizeof(arr) - 1),
                         BADGE_BAKED_OB2);
    }
    badge_arena_free(a);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_png),
        cmocka_unit_test(test_svg),
        cmocka_unit_test(test_guess),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
