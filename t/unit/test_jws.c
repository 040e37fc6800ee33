/*
 * Unit tests of jws.c: compact JWS parsing (strict structure, base64url
 * and header JSON), verification with tokens signed by OpenSSL directly,
 * and badgectl's signer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "arena.h"
#include "jws.h"
#include "keys.h"

#include "jose_helpers.h"

static int
parse(badge_arena_t *a, const char *s, badge_jws_t *jws, badge_err_t *err)
{
    int rc = badge_jws_parse(a, s, strlen(s), jws, err);

    if (rc == 0) {
        json_decref(jws->header);
    }
    return rc;
}

static void
test_parse_errors(void **state)
{
    static const struct {
        const char *jws;
        const char *code;
    } bad[] = {
        { "eyJhbGciOiJFUzI1NiJ9.e30", "jws_malformed" },
        { "eyJhbGciOiJFUzI1NiJ9.e30.AA.AA", "jws_malformed" },
        { ".e30.AAAA", "jws_malformed" },
        { "eyJhbGciOiJFUzI1NiJ9.e30=.AAAA", "jws_base64" },
        { "eyJhbGciOiJFUzI1NiJ9.e30.AA==", "jws_base64" },
        { "eyJhbGciOiJFUzI1NiJ9.e3 0.AAAA", "jws_base64" },
        { "eyJhbGciOiJFUzI1NiJ9.e31.AAAA", "jws_base64" },  /* spare bits */
        { "eyJhbGciOiJFUzI1NiJ9.e30.A", "jws_base64" },
        { "eyJhbGciOiJFUzI1NiJ9\n.e30.AAAA", "jws_base64" },
        { "bm90IGpzb24.e30.AAAA", "jws_header_invalid" },   /* not json */
        { "WyJFUzI1NiJd.e30.AAAA", "jws_header_invalid" },  /* ["ES256"] */
        { "e30.e30.AAAA", "jws_alg_missing" },              /* {} */
        { "eyJhbGciOjF9.e30.AAAA", "jws_header_invalid" },  /* alg: 1 */
        { "eyJhbGciOiIifQ.e30.AAAA", "jws_header_invalid" }, /* alg: "" */
        /* {"alg":"ES256","kid":5} */
        { "eyJhbGciOiJFUzI1NiIsImtpZCI6NX0.e30.AAAA", "jws_header_invalid" },
        /* {"alg":"ES256","jwk":"x"} */
        { "eyJhbGciOiJFUzI1NiIsImp3ayI6IngifQ.e30.AAAA",
          "jws_header_invalid" },
        /* {"alg":"ES256","crit":"b64"} */
        { "eyJhbGciOiJFUzI1NiIsImNyaXQiOiJiNjQifQ.e30.AAAA",
          "jws_header_invalid" },
        /* {"alg":"ES256","alg":"none"}: duplicate member */
        { "eyJhbGciOiJFUzI1NiIsImFsZyI6Im5vbmUifQ.e30.AAAA",
          "jws_header_invalid" },
    };
    badge_arena_t *a = badge_arena_new(0);
    badge_jws_t    jws;
    badge_err_t    err;
    size_t         i;

    (void) state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        badge_err_clear(&err);
        if (parse(a, bad[i].jws, &jws, &err) == 0) {
            fail_msg("accepted %s", bad[i].jws);
        }
        if (strcmp(err.code, bad[i].code) != 0) {
            fail_msg("%s: got %s, want %s", bad[i].jws, err.code,
                bad[i].code);
        }
    }
    /* a header past the size limit */
    {
        size_t  n = BADGE_JWS_MAX_HEADER * 2;
        char   *big = malloc(n + 16);

        memset(big, 'A', n);
        strcpy(big + n, ".e30.AAAA");
        assert_int_equal(parse(a, big, &jws, &err), -1);
        assert_string_equal(err.code, "jws_header_too_large");
        free(big);
    }
    badge_arena_free(a);
}

static void
test_parse_fields(void **state)
{
    badge_arena_t *a = badge_arena_new(0);
    badge_jws_t    jws;
    badge_err_t    err;
    char          *t;

    (void) state;
    t = th_jwt(NULL, "none", "{\"alg\":\"ES256\",\"kid\":\"did:x#1\","
        "\"typ\":\"vc+jwt\",\"jwk\":{\"kty\":\"EC\"},\"crit\":[\"exp\"]}",
        "{\"a\":1}", NULL, 0);
    assert_int_equal(badge_jws_parse(a, t, strlen(t), &jws, &err), 0);
    assert_string_equal(jws.alg, "ES256");
    assert_string_equal(jws.kid, "did:x#1");
    assert_string_equal(jws.typ, "vc+jwt");
    assert_non_null(jws.jwk);
    assert_non_null(jws.crit);
    assert_int_equal(jws.payload_len, 7);
    assert_memory_equal(jws.payload, "{\"a\":1}", 7);
    assert_int_equal(jws.sig_len, 0);
    assert_int_equal(jws.signing_input_len, strchr(strchr(t, '.') + 1, '.')
        - t);
    json_decref(jws.header);
    free(t);
    badge_arena_free(a);
}

static void
check_sign_verify(const char *type, const char *alg)
{
    badge_arena_t *a = badge_arena_new(0);
    EVP_PKEY      *k = th_keygen(type);
    char          *pem = th_pem(k, 1), *pub = th_pem(k, 0), *t, *mine;
    badge_key_t   *priv, *pk;
    badge_jws_t    jws;
    badge_err_t    err;
    json_t        *h;
    char           hdr[64];

    priv = badge_key_from_pem(pem, strlen(pem), &err);
    pk = badge_key_parse(pub, strlen(pub), &err);
    assert_non_null(priv);
    assert_non_null(pk);

    /* a token made by OpenSSL directly verifies */
    snprintf(hdr, sizeof(hdr), "{\"alg\":\"%s\"}", alg);
    t = th_jwt(k, alg, hdr,
        "{\"hello\":\"world\"}", NULL, 0);
    assert_int_equal(badge_jws_parse(a, t, strlen(t), &jws, &err), 0);
    assert_int_equal(badge_jws_verify(&jws, pk, &err), 0);
    json_decref(jws.header);
    /* one payload character changed: fails */
    {
        char *c = strchr(t, '.') + 3;

        *c = *c == 'A' ? 'B' : 'A';
    }
    assert_int_equal(badge_jws_parse(a, t, strlen(t), &jws, &err), 0);
    assert_int_equal(badge_jws_verify(&jws, pk, &err), -1);
    json_decref(jws.header);
    free(t);

    /* badgectl's signer, verified by the public key */
    h = json_pack("{s:s}", "kid", "k1");
    mine = badge_jws_sign(a, priv, alg, h, "{\"x\":1}", 7, &err);
    assert_non_null(mine);
    assert_int_equal(badge_jws_parse(a, mine, strlen(mine), &jws, &err), 0);
    assert_string_equal(jws.alg, alg);
    assert_string_equal(jws.kid, "k1");
    assert_int_equal(badge_jws_verify(&jws, pk, &err), 0);
    json_decref(jws.header);
    json_decref(h);

    badge_key_free(priv);
    badge_key_free(pk);
    free(pem);
    free(pub);
    EVP_PKEY_free(k);
    badge_arena_free(a);
}

static void
test_sign_verify(void **state)
{
    (void) state;
    check_sign_verify("ed25519", "EdDSA");
    check_sign_verify("p256", "ES256");
    check_sign_verify("p384", "ES384");
    check_sign_verify("rsa2048", "RS256");
    check_sign_verify("rsa2048", "PS256");
}

static void
test_sign_refuses(void **state)
{
    badge_arena_t *a = badge_arena_new(0);
    EVP_PKEY      *k = th_keygen("rsa2048");
    char          *pem = th_pem(k, 1), *pub = th_pem(k, 0);
    badge_key_t   *priv, *pk;
    badge_err_t    err;
    json_t        *h = json_object();

    (void) state;
    priv = badge_key_from_pem(pem, strlen(pem), &err);
    pk = badge_key_parse(pub, strlen(pub), &err);
    assert_null(badge_jws_sign(a, priv, "ES256", h, "{}", 2, &err));
    assert_string_equal(err.code, "alg_key_mismatch");
    assert_null(badge_jws_sign(a, priv, "HS256", h, "{}", 2, &err));
    assert_null(badge_jws_sign(a, priv, "none", h, "{}", 2, &err));
    /* a public key cannot sign */
    assert_null(badge_jws_sign(a, pk, "RS256", h, "{}", 2, &err));
    json_decref(h);
    badge_key_free(priv);
    badge_key_free(pk);
    free(pem);
    free(pub);
    EVP_PKEY_free(k);
    badge_arena_free(a);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_parse_fields),
        cmocka_unit_test(test_sign_verify),
        cmocka_unit_test(test_sign_refuses),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
