/*
 * Unit tests of multibase.c: base58btc vectors (Bitcoin's, the W3C
 * vc-di-eddsa signature), strictness, varints and multicodec prefixes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/rand.h>

#include "arena.h"
#include "multibase.h"

static size_t
hex2bin(const char *hex, unsigned char *out)
{
    size_t n = strlen(hex) / 2, i;
    unsigned int v;

    for (i = 0; i < n; i++) {
        sscanf(hex + 2 * i, "%2x", &v);
        out[i] = (unsigned char) v;
    }
    return n;
}

static const struct {
    const char *hex;
    const char *b58;
} vectors[] = {            /* bitcoin/src/test/data/base58_encode_decode */
    { "", "" },
    { "61", "2g" },
    { "626262", "a3gV" },
    { "636363", "aPEr" },
    { "73696d706c792061206c6f6e6720737472696e67",
      "2cFupjhnEsSn59qHXstmK2ffpLv2" },
    { "00eb15231dfceb60925886b67d065299925915aeb172c06647",
      "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L" },
    { "516b6fcd0f", "ABnLTmg" },
    { "bf4f89001e670274dd", "3SEo3LWLoPntC" },
    { "572e4794", "3EFU7m" },
    { "ecac89cad93923c02321", "EJDM8drfXA6uyA" },
    { "10c8511e", "Rt5zm" },
    { "00000000000000000000", "1111111111" },
    /* W3C vc-di-eddsa eddsa-jcs-2022 test vector: the proofValue */
    { "407cd12654b33d718ecbb99179a1506daaa849450bf3fc523cce3e1c96f8b80351"
      "da3f253d725c6f00b07c9e5448d50b3ef78012b9ab54255116d069c6dd2808",
      "2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GA"
      "VFuUfjoJdcnTMuVor51aX" },
};

static void
test_base58_vectors(void **state)
{
    unsigned char bin[128], out[128];
    char          enc[256];
    size_t        i, n, len;

    (void) state;
    for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
        n = hex2bin(vectors[i].hex, bin);
        len = badge_base58_encode(bin, n, enc, sizeof(enc));
        assert_int_equal(len, strlen(vectors[i].b58));
        assert_string_equal(enc, vectors[i].b58);
        assert_int_equal(badge_base58_decode(vectors[i].b58,
            strlen(vectors[i].b58), out, sizeof(out), &len), 0);
        assert_int_equal(len, n);
        assert_memory_equal(out, bin, n);
    }
}

static void
test_base58_strict(void **state)
{
    static const char *bad[] = { "0", "O", "I", "l", "2g ", "+", "2g\n",
                                 "\xc3\xa9" };
    unsigned char out[64];
    char          big[BADGE_BASE58_MAX_CHARS + 2];
    size_t        i, n;

    (void) state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(badge_base58_decode(bad[i], strlen(bad[i]), out,
            sizeof(out), &n), -1);
    }
    /* too long to decode, too big for out */
    memset(big, '2', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(badge_base58_decode(big, strlen(big), out, sizeof(out),
        &n), -1);
    assert_int_equal(badge_base58_decode("2cFupjhnEsSn59qHXstmK2ffpLv2", 28,
        out, 10, &n), -1);
    /* multibase: only "z" */
    assert_int_equal(badge_multibase_decode("z2g", out, sizeof(out), &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(out[0], 0x61);
    assert_int_equal(badge_multibase_decode("2g", out, sizeof(out), &n), -1);
    assert_int_equal(badge_multibase_decode("mYQ", out, sizeof(out), &n), -1);
    assert_int_equal(badge_multibase_decode("z", out, sizeof(out), &n), -1);
    assert_int_equal(badge_multibase_decode(NULL, out, sizeof(out), &n), -1);
}

static void
test_base58_round_trip(void **state)
{
    unsigned char  data[200], out[200];
    char          *mb;
    size_t         len, n;
    badge_arena_t *a = badge_arena_new(0);

    (void) state;
    assert_non_null(a);
    /* from 1: "z" alone is refused (no key or proof is empty) */
    for (len = 1; len < sizeof(data); len++) {
        assert_int_equal(RAND_bytes(data, (int) sizeof(data)), 1);
        if (len > 2) {
            data[0] = 0;        /* leading zeros are their own case */
            data[1] = len % 2 ? 0 : 7;
        }
        mb = badge_multibase_encode(a, data, len);
        assert_non_null(mb);
        assert_int_equal(mb[0], 'z');
        assert_int_equal(badge_multibase_decode(mb, out, sizeof(out), &n), 0);
        assert_int_equal(n, len);
        assert_memory_equal(out, data, len);
    }
    badge_arena_free(a);
}

static void
test_varint(void **state)
{
    unsigned char  buf[16];
    const unsigned char *rest;
    uint64_t       v;
    size_t         n, rest_len;

    (void) state;
    n = badge_varint_encode(0xed, buf);
    assert_int_equal(n, 2);
    assert_int_equal(buf[0], 0xed);
    assert_int_equal(buf[1], 0x01);
    n = badge_varint_encode(0x1200, buf);
    assert_int_equal(n, 2);
    assert_int_equal(buf[0], 0x80);
    assert_int_equal(buf[1], 0x24);
    n = badge_varint_encode(0x1201, buf);
    assert_int_equal(buf[0], 0x81);
    assert_int_equal(buf[1], 0x24);
    assert_int_equal(badge_varint_encode(0, buf), 1);
    assert_int_equal(badge_varint_encode(127, buf), 1);
    assert_int_equal(badge_varint_encode(128, buf), 2);

    assert_int_equal(badge_varint_decode((const unsigned char *) "\xed\x01",
        2, &v), 2);
    assert_int_equal(v, 0xed);
    assert_int_equal(badge_varint_decode((const unsigned char *) "\x00", 1,
        &v), 1);
    assert_int_equal(v, 0);
    /* not minimal, truncated, longer than 9 bytes */
    assert_int_equal(badge_varint_decode((const unsigned char *) "\x80\x00",
        2, &v), 0);
    assert_int_equal(badge_varint_decode((const unsigned char *) "\xed", 1,
        &v), 0);
    memset(buf, 0xff, 10);
    buf[9] = 0x01;
    assert_int_equal(badge_varint_decode(buf, 10, &v), 0);
    assert_int_equal(badge_varint_decode(buf, 0, &v), 0);

    assert_int_equal(badge_multicodec_split(
        (const unsigned char *) "\x80\x24\x02\x03", 4, &v, &rest,
        &rest_len), 0);
    assert_int_equal(v, BADGE_MULTICODEC_P256_PUB);
    assert_int_equal(rest_len, 2);
    assert_int_equal(rest[0], 0x02);
    assert_int_equal(badge_multicodec_split(
        (const unsigned char *) "\x80", 1, &v, &rest, &rest_len), -1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base58_vectors),
        cmocka_unit_test(test_base58_strict),
        cmocka_unit_test(test_base58_round_trip),
        cmocka_unit_test(test_varint),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
