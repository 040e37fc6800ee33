/*
 * Unit tests of b64.c: RFC 4648 vectors, strictness (padding, alphabet,
 * spare bits, white space), round trips across the internal chunk size.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/rand.h>

#include "arena.h"
#include "b64.h"

static const struct {
    const char *plain;
    const char *b64;
    const char *b64url;
} vectors[] = {             /* RFC 4648 section 10 */
    { "", "", "" },
    { "f", "Zg==", "Zg" },
    { "fo", "Zm8=", "Zm8" },
    { "foo", "Zm9v", "Zm9v" },
    { "foob", "Zm9vYg==", "Zm9vYg" },
    { "fooba", "Zm9vYmE=", "Zm9vYmE" },
    { "foobar", "Zm9vYmFy", "Zm9vYmFy" },
};

static void
test_rfc4648(void **state)
{
    unsigned char out[64];
    char          enc[64];
    size_t        i, n;

    (void) state;
    for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
        size_t plen = strlen(vectors[i].plain);

        assert_int_equal(badge_b64_decode(vectors[i].b64,
            strlen(vectors[i].b64), out, sizeof(out), &n), 0);
        assert_int_equal(n, plen);
        assert_memory_equal(out, vectors[i].plain, plen);
        assert_int_equal(badge_b64url_decode(vectors[i].b64url,
            strlen(vectors[i].b64url), out, sizeof(out), &n), 0);
        assert_int_equal(n, plen);
        assert_memory_equal(out, vectors[i].plain, plen);

        n = badge_b64_encode((const unsigned char *) vectors[i].plain, plen,
            enc, sizeof(enc));
        assert_int_equal(n, strlen(vectors[i].b64));
        assert_string_equal(enc, vectors[i].b64);
        n = badge_b64url_encode((const unsigned char *) vectors[i].plain,
            plen, enc, sizeof(enc));
        assert_string_equal(enc, vectors[i].b64url);
    }
}

static void
test_url_alphabet(void **state)
{
    const unsigned char bytes[] = { 0xfb, 0xff, 0xbf };
    unsigned char       out[8];
    char                enc[8];
    size_t              n;

    (void) state;
    assert_int_equal(badge_b64url_encode(bytes, 3, enc, sizeof(enc)), 4);
    assert_string_equal(enc, "-_-_");
    assert_int_equal(badge_b64_encode(bytes, 3, enc, sizeof(enc)), 4);
    assert_string_equal(enc, "+/+/");
    assert_int_equal(badge_b64url_decode("-_-_", 4, out, sizeof(out), &n),
        0);
    assert_int_equal(n, 3);
    assert_memory_equal(out, bytes, 3);
    /* each alphabet refuses the other's characters */
    assert_int_equal(badge_b64url_decode("+/+/", 4, out, sizeof(out), &n),
        -1);
    assert_int_equal(badge_b64_decode("-_-_", 4, out, sizeof(out), &n), -1);
}

static void
test_strict(void **state)
{
    static const char *bad_url[] = {
        "Zg==",         /* padding is not base64url */
        "Zm8=",
        "Z",            /* 1 char is never a whole byte */
        "Zm9vY",        /* 5 chars: same */
        "Zh",           /* spare bits set: not canonical (Zg is) */
        "Zm9",          /* spare bits set (Zm8 is) */
        "Zm 9v",        /* white space */
        "Zm9v\n",
        " Zm9v",
        "Zm9v*",
        "Zm\x80v",
        "Zm9v\0v",
    };
    static const char *bad_std[] = {
        "Zg",           /* padding required */
        "Zg=",
        "Zg===",
        "Z===",
        "Zh==",         /* spare bits */
        "Zm9=",
        "Zm9v\r\n",
        "Zm=v",         /* padding in the middle */
        "=Zm9",
        "Zm9vYg==Zm9v", /* data after padding */
    };
    unsigned char out[64];
    size_t        i, n;

    (void) state;
    for (i = 0; i < sizeof(bad_url) / sizeof(bad_url[0]); i++) {
        size_t len = i == sizeof(bad_url) / sizeof(bad_url[0]) - 1
                     ? 6 : strlen(bad_url[i]);

        assert_int_equal(badge_b64url_decode(bad_url[i], len, out,
            sizeof(out), &n), -1);
    }
    for (i = 0; i < sizeof(bad_std) / sizeof(bad_std[0]); i++) {
        assert_int_equal(badge_b64_decode(bad_std[i], strlen(bad_std[i]),
            out, sizeof(out), &n), -1);
    }
    /* an output buffer that is too small is refused, not overrun */
    assert_int_equal(badge_b64url_decode("Zm9vYmFy", 8, out, 5, &n), -1);
    assert_int_equal(badge_b64url_decode("Zm9vYmFy", 8, out, 6, &n), 0);
    assert_int_equal(badge_b64url_encode((const unsigned char *) "foo", 3,
        (char *) out, 4), 0);
}

static void
test_round_trip(void **state)
{
    static unsigned char data[5000];
    unsigned char       *dec;
    char                *enc;
    size_t               len, n;
    badge_arena_t       *a = badge_arena_new(0);

    (void) state;
    assert_non_null(a);
    assert_int_equal(RAND_bytes(data, sizeof(data)), 1);
    /* lengths around the 1024-character chunk and every remainder */
    for (len = 0; len <= sizeof(data); len += (len < 800 ? 1 : 97)) {
        enc = badge_b64url_encode_arena(a, data, len);
        assert_non_null(enc);
        assert_null(strchr(enc, '='));
        dec = badge_b64url_decode_arena(a, enc, strlen(enc), &n);
        assert_non_null(dec);
        assert_int_equal(n, len);
        assert_memory_equal(dec, data, len);

        enc = badge_b64_encode_arena(a, data, len);
        assert_non_null(enc);
        assert_int_equal(strlen(enc), BADGE_B64_ENCODED_LEN(len));
        dec = badge_b64_decode_arena(a, enc, strlen(enc), &n);
        assert_non_null(dec);
        assert_int_equal(n, len);
        assert_memory_equal(dec, data, len);
        badge_arena_reset(a);
    }
    badge_arena_free(a);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc4648),
        cmocka_unit_test(test_url_alphabet),
        cmocka_unit_test(test_strict),
        cmocka_unit_test(test_round_trip),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
