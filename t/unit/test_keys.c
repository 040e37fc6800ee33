/*
 * Unit tests of keys.c: reading keys (PEM, JWK, multibase), the
 * algorithm/key-type table, signatures made by OpenSSL directly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "json.h"
#include "jws.h"
#include "keys.h"

#include "jose_helpers.h"

static const char msg[] = "eyJhbGciOiJ0ZXN0In0.eyJ0ZXN0Ijp0cnVlfQ";

static badge_key_t *
key_from_pem(EVP_PKEY *k, int priv)
{
    char        *pem = th_pem(k, priv);
    badge_err_t  err;
    badge_key_t *bk;

    badge_err_clear(&err);
    bk = badge_key_parse(pem, strlen(pem), &err);
    free(pem);
    return bk;
}

static void
check_alg(EVP_PKEY *k, badge_key_type_t type, const char *alg)
{
    badge_key_t   *bk = key_from_pem(k, 0);
    unsigned char *sig;
    size_t         slen;
    badge_err_t    err;

    assert_non_null(bk);
    assert_int_equal(bk->type, type);
    sig = th_sign_raw(k, alg, msg, strlen(msg), &slen);
    assert_int_equal(badge_key_verify(bk, alg, (const unsigned char *) msg,
        strlen(msg), sig, slen, &err), 0);
    /* one changed byte of message or signature fails */
    assert_int_equal(badge_key_verify(bk, alg, (const unsigned char *) msg,
        strlen(msg) - 1, sig, slen, &err), -1);
    assert_string_equal(err.code, "signature_invalid");
    sig[slen / 2] ^= 0x01;
    assert_int_equal(badge_key_verify(bk, alg, (const unsigned char *) msg,
        strlen(msg), sig, slen, &err), -1);
    /* a truncated signature fails */
    sig[slen / 2] ^= 0x01;
    assert_int_equal(badge_key_verify(bk, alg, (const unsigned char *) msg,
        strlen(msg), sig, slen - 1, &err), -1);
    free(sig);
    badge_key_free(bk);
}

static void
test_verify_each_alg(void **state)
{
    EVP_PKEY *ed = th_keygen("ed25519"), *p256 = th_keygen("p256");
    EVP_PKEY *p384 = th_keygen("p384"), *rsa = th_keygen("rsa2048");

    (void) state;
    check_alg(ed, BADGE_KEY_ED25519, "EdDSA");
    check_alg(p256, BADGE_KEY_P256, "ES256");
    check_alg(p384, BADGE_KEY_P384, "ES384");
    check_alg(rsa, BADGE_KEY_RSA, "RS256");
    check_alg(rsa, BADGE_KEY_RSA, "PS256");
    EVP_PKEY_free(ed);
    EVP_PKEY_free(p256);
    EVP_PKEY_free(p384);
    EVP_PKEY_free(rsa);
}

/* The token never chooses: an algorithm must fit the key's type. */
static void
test_alg_policy(void **state)
{
    EVP_PKEY      *rsa = th_keygen("rsa2048"), *p256 = th_keygen("p256");
    EVP_PKEY      *ed = th_keygen("ed25519");
    badge_key_t   *krsa = key_from_pem(rsa, 0), *kec = key_from_pem(p256, 0);
    badge_key_t   *ked = key_from_pem(ed, 0);
    unsigned char *sig, mac[32];
    size_t         slen, mlen;
    char          *pem;
    badge_err_t    err;

    (void) state;
    sig = th_sign_raw(rsa, "RS256", msg, strlen(msg), &slen);
    /* RS256 signature presented as ES256/EdDSA/PS256 */
    assert_int_equal(badge_key_verify(krsa, "ES256",
        (const unsigned char *) msg, strlen(msg), sig, slen, &err), -1);
    assert_string_equal(err.code, "alg_key_mismatch");
    assert_int_equal(badge_key_verify(krsa, "EdDSA",
        (const unsigned char *) msg, strlen(msg), sig, slen, &err), -1);
    assert_string_equal(err.code, "alg_key_mismatch");
    assert_int_equal(badge_key_verify(krsa, "PS256",
        (const unsigned char *) msg, strlen(msg), sig, slen, &err), -1);
    assert_string_equal(err.code, "signature_invalid");
    free(sig);
    /* HS256 keyed with the public key's PEM: the classic confusion */
    pem = th_pem(rsa, 0);
    EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, pem, strlen(pem),
        (const unsigned char *) msg, strlen(msg), mac, sizeof(mac), &mlen);
    assert_int_equal(badge_key_verify(krsa, "HS256",
        (const unsigned char *) msg, strlen(msg), mac, mlen, &err), -1);
    assert_string_equal(err.code, "alg_forbidden");
    free(pem);
    assert_int_equal(badge_key_verify(krsa, "none",
        (const unsigned char *) msg, strlen(msg), NULL, 0, &err), -1);
    assert_string_equal(err.code, "alg_forbidden");
    assert_int_equal(badge_key_verify(kec, "ES512",
        (const unsigned char *) msg, strlen(msg), mac, mlen, &err), -1);
    assert_string_equal(err.code, "alg_unsupported");
    assert_int_equal(badge_key_verify(kec, "es256",
        (const unsigned char *) msg, strlen(msg), mac, mlen, &err), -1);
    assert_string_equal(err.code, "alg_unsupported");
    assert_int_equal(badge_key_verify(kec, "ES384",
        (const unsigned char *) msg, strlen(msg), mac, mlen, &err), -1);
    assert_string_equal(err.code, "alg_key_mismatch");
    assert_int_equal(badge_key_verify(ked, "ES256",
        (const unsigned char *) msg, strlen(msg), mac, mlen, &err), -1);
    assert_string_equal(err.code, "alg_key_mismatch");
    assert_int_equal(badge_key_verify(kec, NULL,
        (const unsigned char *) msg, strlen(msg), mac, mlen, &err), -1);
    /* default algorithms */
    assert_string_equal(badge_key_default_alg(krsa), "RS256");
    assert_string_equal(badge_key_default_alg(kec), "ES256");
    assert_string_equal(badge_key_default_alg(ked), "EdDSA");
    badge_key_free(krsa);
    badge_key_free(kec);
    badge_key_free(ked);
    EVP_PKEY_free(rsa);
    EVP_PKEY_free(p256);
    EVP_PKEY_free(ed);
}

/* An ECDSA signature whose r is the curve order minus nothing useful:
 * all-zero r/s must fail, not crash. */
static void
test_ecdsa_degenerate(void **state)
{
    EVP_PKEY      *p256 = th_keygen("p256");
    badge_key_t   *k = key_from_pem(p256, 0);
    unsigned char  sig[64];
    badge_err_t    err;

    (void) state;
    memset(sig, 0, sizeof(sig));
    assert_int_equal(badge_key_verify(k, "ES256",
        (const unsigned char *) msg, strlen(msg), sig, 64, &err), -1);
    memset(sig, 0xff, sizeof(sig));
    assert_int_equal(badge_key_verify(k, "ES256",
        (const unsigned char *) msg, strlen(msg), sig, 64, &err), -1);
    badge_key_free(k);
    EVP_PKEY_free(p256);
}

static void
test_jwk(void **state)
{
    static const char *types[] = { "ed25519", "p256", "p384", "rsa2048" };
    size_t       i;
    EVP_PKEY    *k;
    badge_key_t *a, *b;
    char        *jwk;
    json_t      *exported;
    badge_err_t  err;

    (void) state;
    for (i = 0; i < 4; i++) {
        k = th_keygen(types[i]);
        jwk = th_jwk(k);
        a = badge_key_parse(jwk, strlen(jwk), &err);
        assert_non_null(a);
        b = key_from_pem(k, 0);
        assert_true(badge_key_equal(a, b));
        /* export and read back */
        exported = badge_jwk_from_key(a, &err);
        assert_non_null(exported);
        badge_key_free(b);
        b = badge_key_from_jwk(exported, &err);
        assert_non_null(b);
        assert_true(badge_key_equal(a, b));
        json_decref(exported);
        badge_key_free(a);
        badge_key_free(b);
        free(jwk);
        EVP_PKEY_free(k);
    }
    /* two different keys are not equal */
    k = th_keygen("p256");
    a = key_from_pem(k, 0);
    EVP_PKEY_free(k);
    k = th_keygen("p256");
    b = key_from_pem(k, 0);
    assert_false(badge_key_equal(a, b));
    badge_key_free(b);
    b = badge_key_dup(a);
    assert_true(badge_key_equal(a, b));
    badge_key_free(a);
    badge_key_free(b);
    EVP_PKEY_free(k);

    /* bad JWKs */
    {
        static const char *bad[] = {
            "{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}",
            "{\"kty\":\"OKP\",\"crv\":\"X25519\",\"x\":\"AAAA\"}",
            "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"AAAA\"}",
            "{\"kty\":\"OKP\",\"crv\":\"Ed25519\"}",
            "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AAAA\",\"y\":\"AAAA\"}",
            /* 32-byte coordinates, but not a point on the curve */
            "{\"kty\":\"EC\",\"crv\":\"P-256\","
            "\"x\":\"AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\","
            "\"y\":\"AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}",
            "{\"kty\":\"EC\",\"crv\":\"secp256k1\","
            "\"x\":\"AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\","
            "\"y\":\"AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}",
            "{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}",
            "{\"kty\":\"RSA\",\"n\":\"AQAB=\",\"e\":\"AQAB\"}",
            "{\"crv\":\"P-256\"}",
            "[]",
            "{\"kty\":\"EC\",\"kty\":\"RSA\"}",
        };

        for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            badge_err_clear(&err);
            a = badge_key_parse(bad[i], strlen(bad[i]), &err);
            if (a != NULL) {
                fail_msg("accepted bad JWK %s", bad[i]);
            }
            assert_non_null(err.code);
        }
    }
}

static void
test_pem_and_sizes(void **state)
{
    EVP_PKEY    *k;
    badge_key_t *bk;
    char        *pem;
    badge_err_t  err;
    unsigned char *sig;
    size_t       slen;

    (void) state;
    /* RSA under 2048 bits is refused */
    k = th_keygen("rsa1024");
    pem = th_pem(k, 0);
    assert_null(badge_key_parse(pem, strlen(pem), &err));
    assert_string_equal(err.code, "key_unsupported");
    free(pem);
    EVP_PKEY_free(k);
    /* curves other than P-256/P-384 are refused */
    k = th_keygen("secp256k1");
    pem = th_pem(k, 0);
    assert_null(badge_key_parse(pem, strlen(pem), &err));
    assert_string_equal(err.code, "key_unsupported");
    free(pem);
    EVP_PKEY_free(k);

    /* badge_key_parse keeps only the public half of a private PEM;
     * badge_key_from_pem keeps the private key (badgectl sign) */
    k = th_keygen("ed25519");
    pem = th_pem(k, 1);
    bk = badge_key_parse(pem, strlen(pem), &err);
    assert_non_null(bk);
    {
        unsigned char priv[32];
        size_t        n = sizeof(priv);

        assert_int_equal(EVP_PKEY_get_raw_private_key(bk->pkey, priv, &n),
            0);
    }
    badge_key_free(bk);
    bk = badge_key_from_pem(pem, strlen(pem), &err);
    assert_non_null(bk);
    {
        badge_arena_t *a = badge_arena_new(0);
        json_t        *h = json_object();
        char          *jwt = badge_jws_sign(a, bk, NULL, h, "{}", 2, &err);

        assert_non_null(jwt);
        json_decref(h);
        badge_arena_free(a);
    }
    badge_key_free(bk);
    free(pem);
    /* an RSA signature of the wrong length */
    EVP_PKEY_free(k);
    k = th_keygen("rsa2048");
    bk = key_from_pem(k, 0);
    sig = th_sign_raw(k, "RS256", msg, strlen(msg), &slen);
    assert_int_equal(badge_key_verify(bk, "RS256",
        (const unsigned char *) msg, strlen(msg), sig, slen - 1, &err), -1);
    free(sig);
    badge_key_free(bk);
    EVP_PKEY_free(k);
    /* nothing recognisable */
    assert_null(badge_key_parse("hello", 5, &err));
    assert_string_equal(err.code, "key_invalid");
    assert_null(badge_key_parse("-----BEGIN PUBLIC KEY-----\nAAAA\n"
        "-----END PUBLIC KEY-----\n", 55, &err));
    assert_null(badge_key_parse("", 0, &err));
}

/* Public PEM keys are remembered by their text in a memo (keys.c): the
 * second parse of the same text, and parses after more keys than the memo
 * holds, give the same keys; a refused key stays refused; a private key is
 * not kept. */
static void
test_pem_memo(void **state)
{
    badge_key_memo_t *memo = badge_key_memo_new();
    EVP_PKEY         *keys[20];
    badge_key_t      *bk;
    char             *pem[20];
    badge_err_t       err;
    int               i, round;

    (void) state;
    assert_non_null(memo);
    for (i = 0; i < 20; i++) {
        keys[i] = th_keygen("ed25519");
        pem[i] = th_pem(keys[i], 0);
    }
    for (round = 0; round < 3; round++) {
        for (i = 0; i < 20; i++) {
            bk = badge_key_from_pem_memo(memo, pem[i], strlen(pem[i]), &err);
            assert_non_null(bk);
            assert_int_equal(EVP_PKEY_eq(bk->pkey, keys[i]), 1);
            assert_int_equal(EVP_PKEY_eq(bk->pkey, keys[(i + 1) % 20]), 0);
            badge_key_free(bk);
            /* the same text again: now from the memo */
            bk = badge_key_from_pem_memo(memo, pem[i], strlen(pem[i]), &err);
            assert_non_null(bk);
            assert_int_equal(EVP_PKEY_eq(bk->pkey, keys[i]), 1);
            badge_key_free(bk);
        }
    }
    for (i = 0; i < 20; i++) {
        free(pem[i]);
        EVP_PKEY_free(keys[i]);
    }
    keys[0] = th_keygen("rsa1024");
    pem[0] = th_pem(keys[0], 0);
    for (round = 0; round < 2; round++) {
        assert_null(badge_key_from_pem_memo(memo, pem[0], strlen(pem[0]),
                                            &err));
        assert_string_equal(err.code, "key_unsupported");
    }
    free(pem[0]);
    EVP_PKEY_free(keys[0]);
    /* a private PEM keeps its private half, each time */
    keys[0] = th_keygen("ed25519");
    pem[0] = th_pem(keys[0], 1);
    for (round = 0; round < 2; round++) {
        unsigned char priv[32];
        size_t        n = sizeof(priv);

        bk = badge_key_from_pem_memo(memo, pem[0], strlen(pem[0]), &err);
        assert_non_null(bk);
        assert_int_equal(EVP_PKEY_get_raw_private_key(bk->pkey, priv, &n),
                         1);
        badge_key_free(bk);
    }
    free(pem[0]);
    EVP_PKEY_free(keys[0]);
    badge_key_memo_free(memo);
}

static void
test_multibase_keys(void **state)
{
    badge_err_t  err;
    badge_key_t *k;

    (void) state;
    /* W3C vc-di-eddsa test vector key */
    k = badge_key_parse("z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
        48, &err);
    assert_non_null(k);
    assert_int_equal(k->type, BADGE_KEY_ED25519);
    badge_key_free(k);
    /* a private key multicodec (0x1300) is not a public key */
    assert_null(badge_key_from_multibase(
        "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq", &err));
    assert_null(badge_key_from_multibase("z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZ",
        &err));
    assert_null(badge_key_from_multibase("zzzz", &err));
    assert_null(badge_key_from_multibase("6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6"
        "pvBQ7XJPt4swbTQ2", &err));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verify_each_alg),
        cmocka_unit_test(test_alg_policy),
        cmocka_unit_test(test_ecdsa_degenerate),
        cmocka_unit_test(test_jwk),
        cmocka_unit_test(test_pem_and_sizes),
        cmocka_unit_test(test_pem_memo),
        cmocka_unit_test(test_multibase_keys),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
