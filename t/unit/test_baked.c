/*
 * Unit tests of baked badge extraction (baked.c): PNG chunk walking (CRC,
 * truncation, huge lengths, compressed iTXt and its bomb limit, legacy
 * tEXt, ambiguity) and SVG (CDATA, verify attribute, XXE and "billion
 * laughs" refused).  Fixtures are built here, with zlib, byte by byte.
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
#include "baked.h"
#include "error.h"

#define JSON3  "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"]," \
               "\"type\":[\"VerifiableCredential\"]}"
#define JWS    "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJl"

typedef struct {
    unsigned char *p;
    size_t         len, cap;
} png_t;

static void
put(png_t *b, const void *p, size_t n)
{
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2 + 64;
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
    memcpy(b->p + b->len, p, n);
    b->len += n;
}

static void
put32(png_t *b, uint32_t v)
{
    unsigned char x[4] = { v >> 24, v >> 16, v >> 8, v };

    put(b, x, 4);
}

static void
chunk(png_t *b, const char *type, const void *data, size_t n)
{
    uLong crc = crc32(0L, (const Bytef *) type, 4);

    crc = crc32(crc, data, (uInt) n);
    put32(b, (uint32_t) n);
    put(b, type, 4);
    put(b, data, n);
    put32(b, (uint32_t) crc);
}

static void
png_start(png_t *b)
{
    static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n',
                                          0x1a, '\n' };
    static const unsigned char ihdr[13] = { 0, 0, 0, 1, 0, 0, 0, 1, 8, 6,
                                            0, 0, 0 };

    memset(b, 0, sizeof(*b));
    put(b, sig, 8);
    chunk(b, "IHDR", ihdr, 13);
}

static void
png_end(png_t *b)
{
    static const unsigned char idat[] = { 0x78, 0x9c, 0x63, 0x60, 0, 0, 0,
                                          2, 0, 1 };

    chunk(b, "IDAT", idat, sizeof(idat));
    chunk(b, "IEND", "", 0);
}

/* iTXt: keyword NUL flag method lang NUL translated NUL text */
static void
itxt(png_t *b, const char *keyword, int compressed, const void *text,
    size_t n)
{
    png_t          d;
    unsigned char  hdr[2] = { (unsigned char) compressed, 0 };
    unsigned char *z = NULL;
    uLongf         zlen;

    memset(&d, 0, sizeof(d));
    put(&d, keyword, strlen(keyword) + 1);
    put(&d, hdr, 2);
    put(&d, "en\0\0", 4);
    if (compressed) {
        zlen = compressBound(n);
        z = malloc(zlen);
        assert_int_equal(compress2(z, &zlen, text, n, 9), Z_OK);
        put(&d, z, zlen);
        free(z);
    } else {
        put(&d, text, n);
    }
    chunk(b, "iTXt", d.p, d.len);
    free(d.p);
}

static int
extract(png_t *b, badge_baked_t *out, badge_err_t *err)
{
    badge_arena_t *a = badge_arena_new(0);
    int            rc;

    badge_err_clear(err);
    rc = badge_baked_extract(a, b->p, b->len, out, err);
    if (rc == 0) {
        /* copy out before the arena goes: tests compare the payload */
        out->payload = strdup(out->payload);
    }
    badge_arena_free(a);
    return rc;
}

static void
test_png_good(void **state)
{
    png_t          b;
    badge_baked_t  out;
    badge_err_t    err;

    (void) state;
    png_start(&b);
    chunk(&b, "tEXt", "date:create\0x", 13);
    itxt(&b, "openbadgecredential", 0, "\n  " JSON3 "  \n",
         strlen(JSON3) + 5);
    png_end(&b);
    assert_int_equal(extract(&b, &out, &err), 0);
    assert_int_equal(out.kind, BADGE_BAKED_JSON);
    assert_int_equal(out.version, BADGE_BAKED_OB3);
    assert_string_equal(out.container, "png");
    assert_string_equal(out.payload, JSON3);
    free((char *) out.payload);
    free(b.p);

    png_start(&b);
    itxt(&b, "openbadges", 0, JWS, strlen(JWS));
    png_end(&b);
    assert_int_equal(extract(&b, &out, &err), 0);
    assert_int_equal(out.kind, BADGE_BAKED_JWS);
    assert_int_equal(out.version, BADGE_BAKED_OB2);
    assert_string_equal(out.payload, JWS);
    free((char *) out.payload);
    free(b.p);
}

static void
test_png_bad_crc(void **state)
{
    png_t         b;
    badge_baked_t out;
    badge_err_t   err;
    size_t        at;

    (void) state;
    png_start(&b);
    at = b.len;
    itxt(&b, "openbadges", 0, JWS, strlen(JWS));
    png_end(&b);
    b.p[at + 8 + 20] ^= 0x01;       /* one bit of the text */
    assert_int_equal(extract(&b, &out, &err), -1);
    assert_string_equal(err.code, "baked_png_bad_crc");
    free(b.p);
}

static void
test_png_truncated_and_huge(void **state)
{
    png_t         b;
    badge_baked_t out;
    badge_err_t   err;
    size_t        at, full;

    (void) state;
    png_start(&b);
    at = b.len;
    itxt(&b, "openbadges", 0, JWS, strlen(JWS));
    png_end(&b);
    full = b.len;

    /* cut anywhere: never read past the end, always an error */
    for (b.len = 8; b.len < full; b.len++) {
        assert_int_equal(extract(&b, &out, &err), -1);
        assert_true(strcmp(err.code, "baked_png_truncated") == 0
                    || strcmp(err.code, "baked_not_image") == 0);
    }
    b.len = full;

    /* a length past the end of the file */
    b.p[at] = 0x00;
    b.p[at + 1] = 0x10;
    assert_int_equal(extract(&b, &out, &err), -1);
    assert_string_equal(err.code, "baked_png_truncated");

    /* a length over 2^31-1 */
    b.p[at] = 0xff;
    b.p[at + 1] = 0xff;
    b.p[at + 2] = 0xff;
    b.p[at + 3] = 0xf0;
    assert_int_equal(extract(&b, &out, &err), -1);
    assert_string_equal(err.code, "baked_png_chunk_too_large");
    free(b.p);

    /* no IEND */
    png_start(&b);
    itxt(&b, "openbadges", 0, JWS, strlen(JWS));
    assert_int_equal(extract(&b, &out, &err), -1);
    assert_string_equal(err.code, "baked_png_truncated");
    free(b.p);
}

static void
test_png_structure(void **state)
{
    static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n',
                                          0x1a, '\n' };
    png_t         b;
    badge_baked_t out;
    badge_err_t   err;

    (void) state;
    /* IHDR must come first */
    memset(&b, 0, sizeof(b));
    put(&b, sig, 8);
    itxt(&b, "openbadges", 0, JWS, strlen(JWS));
    chunk(&b, "IEND", "", 0);
    assert_int_equal(extract(&b, &out, &err), -1);
    assert_string_equal(err.code, "baked_png_malformed");
    free(b.p);

    /* two credentials: refused, not guessed */
    png_start(&b);
    itxt(&b, "openbadges", 0, JWS, strlen(JWS));
    itxt(&b, "openbadgecredential", 0, JSON3, strlen(JSON3));
    png_end(&b);
    assert_int_equal(extract(&b, &out, &err), -1);
    assert_string_equal(err.code, "baked_ambiguous");
    free(b.p);

    /* none */
    png_start(&b);
    itxt(&b, "Comment", 0, "hello", 5);
    png_end(&b);
    assert_int_equal(extract(&b, &out, &err), -1);
    assert_string_equal(err.code, "baked_none");
    free(b.p);

    /* a payload that is none of JSON, JWS, URL */
    png_start(&b);
    itxt(&b, "openbadges", 0, "just some words", 15);
    png_end(&b);
    assert_int_equal(extract(&b, &out, &err), -1);
    assert_string_equal(err.code, "baked_payload_invalid");
    free(b.p);

    /* an unknown compression flag */
    png_start(&b);
    itxt(&b, "openbadges", 7, JWS, strlen(JWS));
    png_end(&b);
    assert_int_equal(extract(&b, &out, &err), -1);
    assert_string_equal(err.code, "baked_png_malformed");
    free(b.p);
}

static void
test_png_compressed(void **state)
{
    png_t          b;
    badge_baked_t  out;
    badge_err_t    err;
    char          *big;
    size_t         at, n = 2 * 1024 * 1024;

    (void) state;
    png_start(&b);
    itxt(&b, "openbadgecredential", 1, JSON3, strlen(JSON3));
    png_end(&b);
    assert_int_equal(extract(&b, &out, &err), 0);
    assert_int_equal(out.kind, BADGE_BAKED_JSON);
    assert_string_equal(out.payload, JSON3);
    free((char *) out.payload);
    free(b.p);

    /* a decompression bomb: 2 MiB of spaces compress to ~2 KiB */
    big = malloc(n);
    memset(big, ' ', n);
    big[0] = '{';
    png_start(&b);
    itxt(&b, "openbadgecredential", 1, big, n);
    png_end(&b);
    assert_true(b.len < 16 * 1024);
    assert_int_equal(extract(&b, &out, &err), -1);
    assert_string_equal(err.code, "baked_text_too_large");
    free(b.p);
    free(big);

    /* corrupt deflate data (CRC fixed up so the chunk itself is valid) */
    png_start(&b);
    at = b.len;
    itxt(&b, "openbadgecredential", 1, JSON3, strlen(JSON3));
    png_end(&b);
    {
        size_t   n_data = ((size_t) b.p[at + 2] << 8) | b.p[at + 3];
        uLong    crc;
        unsigned char *d = b.p + at + 8;

        d[n_data - 6] ^= 0x55;
        crc = crc32(0L, b.p + at + 4, (uInt) n_data + 4);
        d[n_data] = crc >> 24;
        d[n_data + 1] = crc >> 16;
        d[n_data + 2] = crc >> 8;
        d[n_data + 3] = crc;
    }
    assert_int_equal(extract(&b, &out, &err), -1);
    assert_true(strcmp(err.code, "baked_inflate_failed") == 0
                || strcmp(err.code, "baked_payload_invalid") == 0);
    free(b.p);
}

static void
test_png_legacy_text(void **state)
{
    png_t         b;
    badge_baked_t out;
    badge_err_t   err;
    const char    t1[] = "openbadges\0https://example.org/assertion/1";
    const char    t2[] = "openbadges\0{\"a\":1}";

    (void) state;
    png_start(&b);
    chunk(&b, "tEXt", t1, sizeof(t1) - 1);
    png_end(&b);
    assert_int_equal(extract(&b, &out, &err), 0);
    assert_int_equal(out.kind, BADGE_BAKED_URL);
    assert_int_equal(out.version, BADGE_BAKED_OB2);
    assert_string_equal(out.payload, "https://example.org/assertion/1");
    free((char *) out.payload);
    free(b.p);

    png_start(&b);
    chunk(&b, "tEXt", t2, sizeof(t2) - 1);
    png_end(&b);
    assert_int_equal(extract(&b, &out, &err), -1);
    assert_string_equal(err.code, "baked_payload_invalid");
    free(b.p);
}

static int
extract_svg(const char *svg, badge_baked_t *out, badge_err_t *err)
{
    png_t b;

    b.p = (unsigned char *) svg;
    b.len = strlen(svg);
    return extract(&b, out, err);
}

static void
test_svg_good(void **state)
{
    badge_baked_t out;
    badge_err_t   err;

    (void) state;
    assert_int_equal(extract_svg(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" "
        "\"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n"
        "<svg xmlns=\"http://www.w3.org/2000/svg\" "
        "xmlns:openbadges=\"https://purl.imsglobal.org/ob/v3p0\">"
        "<g><openbadges:credential><![CDATA[ " JSON3 " ]]>"
        "</openbadges:credential></g></svg>", &out, &err), 0);
    assert_int_equal(out.kind, BADGE_BAKED_JSON);
    assert_int_equal(out.version, BADGE_BAKED_OB3);
    assert_string_equal(out.payload, JSON3);
    free((char *) out.payload);

    /* the JWT in verify wins over any unsigned copy in the text */
    assert_int_equal(extract_svg(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" "
        "xmlns:openbadges=\"https://purl.imsglobal.org/ob/v3p0\">"
        "<openbadges:credential verify=\"" JWS "\">" "{\"x\":1}"
        "</openbadges:credential></svg>", &out, &err), 0);
    assert_int_equal(out.kind, BADGE_BAKED_JWS);
    assert_string_equal(out.payload, JWS);
    free((char *) out.payload);

    /* OB 2.0 hosted: only the verify URL */
    assert_int_equal(extract_svg(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" "
        "xmlns:openbadges=\"http://openbadges.org\">"
        "<openbadges:assertion verify=\"https://example.org/a/1\">"
        "</openbadges:assertion></svg>", &out, &err), 0);
    assert_int_equal(out.kind, BADGE_BAKED_URL);
    assert_int_equal(out.version, BADGE_BAKED_OB2);
    assert_string_equal(out.payload, "https://example.org/a/1");
    free((char *) out.payload);
}

static void
test_svg_hostile(void **state)
{
    badge_baked_t out;
    badge_err_t   err;

    (void) state;
    /* XXE */
    assert_int_equal(extract_svg(
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE svg [ <!ENTITY xxe SYSTEM \"file:///etc/passwd\"> ]>\n"
        "<svg xmlns:openbadges=\"http://openbadges.org\">"
        "<openbadges:assertion>&xxe;</openbadges:assertion></svg>",
        &out, &err), -1);
    assert_string_equal(err.code, "baked_svg_entities");

    /* billion laughs */
    assert_int_equal(extract_svg(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE svg [\n"
        " <!ENTITY a \"aaaaaaaaaa\">\n"
        " <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
        " <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
        " <!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n]>\n"
        "<svg xmlns:openbadges=\"http://openbadges.org\">"
        "<openbadges:assertion>&d;</openbadges:assertion></svg>",
        &out, &err), -1);
    assert_string_equal(err.code, "baked_svg_entities");

    /* parameter entity / external DTD subset with entities */
    assert_int_equal(extract_svg(
        "<!DOCTYPE svg [ <!ENTITY % p SYSTEM \"https://evil/x.dtd\"> %p; ]>"
        "<svg/>", &out, &err), -1);
    assert_string_equal(err.code, "baked_svg_entities");

    /* UTF-16 (NUL bytes) is not taken */
    {
        static const unsigned char u16[] = { 0xff, 0xfe, '<', 0, 's', 0,
                                             'v', 0, 'g', 0, '/', 0, '>',
                                             0 };
        png_t b = { (unsigned char *) u16, sizeof(u16), 0 };

        assert_int_equal(extract(&b, &out, &err), -1);
    }

    /* not well-formed */
    assert_int_equal(extract_svg("<svg><openbadges:assertion></svg>",
                                 &out, &err), -1);
    assert_string_equal(err.code, "baked_svg_invalid");

    /* two credential elements */
    assert_int_equal(extract_svg(
        "<svg xmlns:openbadges=\"http://openbadges.org\">"
        "<openbadges:assertion verify=\"https://a.example/1\"/>"
        "<openbadges:assertion verify=\"https://b.example/2\"/></svg>",
        &out, &err), -1);
    assert_string_equal(err.code, "baked_ambiguous");

    /* none */
    assert_int_equal(extract_svg("<svg><g/></svg>", &out, &err), -1);
    assert_string_equal(err.code, "baked_none");

    /* an empty element */
    assert_int_equal(extract_svg(
        "<svg xmlns:openbadges=\"http://openbadges.org\">"
        "<openbadges:assertion> </openbadges:assertion></svg>",
        &out, &err), -1);
    assert_string_equal(err.code, "baked_payload_invalid");

    /* not an image at all */
    assert_int_equal(extract_svg("{\"a\":1}", &out, &err), -1);
    assert_string_equal(err.code, "baked_not_image");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_png_good),
        cmocka_unit_test(test_png_bad_crc),
        cmocka_unit_test(test_png_truncated_and_huge),
        cmocka_unit_test(test_png_structure),
        cmocka_unit_test(test_png_compressed),
        cmocka_unit_test(test_png_legacy_text),
        cmocka_unit_test(test_svg_good),
        cmocka_unit_test(test_svg_hostile),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
