/*
 * Unit tests of did.c: did:web URL mapping, did:key and did:jwk (with the
 * W3C vc-di-eddsa test key), DID document rules (controller, relative ids,
 * assertionMethod), verification method key formats, and resolution
 * through a session (pending, supplied, unavailable).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "arena.h"
#include "did.h"
#include "json.h"
#include "jws.h"
#include "multibase.h"
#include "session.h"

#include "jose_helpers.h"

static void
test_did_web_url(void **state)
{
    static const char *good[][2] = {
        { "did:web:example.com",
          "https://example.com/.well-known/did.json" },
        { "did:web:w3c-ccg.github.io:user:alice",
          "https://w3c-ccg.github.io/user/alice/did.json" },
        { "did:web:example.com%3A3000:user:alice",
          "https://example.com:3000/user/alice/did.json" },
        { "did:web:example.com%3a8443",
          "https://example.com:8443/.well-known/did.json" },
        { "did:web:Example.COM", "https://example.com/.well-known/did.json" },
        { "did:web:example.com:issuers:a%20b",
          "https://example.com/issuers/a%20b/did.json" },
    };
    static const char *bad[] = {
        "did:web:", "did:web:%3A80", "did:web:example.com%3A",
        "did:web:example.com%3A99999", "did:web:example.com%3A0",
        "did:web:example.com%3A12a", "did:web:example.com:..:x",
        "did:web:example.com:.", "did:web:example.com::x",
        "did:web:example.com:", "did:web:exa_mple.com",
        "did:web:example.com/path", "did:web:example.com#key-1",
        "did:web:example.com?x=1", "did:web:example.com%2Fevil",
        "did:web:ex ample.com", "did:web:example.com:a%2",
        "did:web:example.com:a%zz", "did:key:z6Mk", "web:example.com",
        "did:web:user@example.com",
    };
    badge_arena_t *a = badge_arena_new(0);
    badge_err_t    err;
    const char    *u;
    size_t         i;

    (void) state;
    for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        u = badge_did_web_url(a, good[i][0], &err);
        assert_non_null(u);
        assert_string_equal(u, good[i][1]);
    }
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        badge_err_clear(&err);
        u = badge_did_web_url(a, bad[i], &err);
        if (u != NULL) {
            fail_msg("accepted %s as %s", bad[i], u);
        }
        assert_string_equal(err.code, "did_invalid");
    }
    badge_arena_free(a);
}

static void
test_did_key(void **state)
{
    /* W3C vc-di-eddsa keyPair.json: private seed -> this did:key */
    const char    *pub = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
    const char    *priv = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq";
    unsigned char  raw[64];
    const unsigned char *seed;
    size_t         n, seedlen;
    uint64_t       codec;
    badge_key_t    k, *dk;
    badge_arena_t *a = badge_arena_new(0);
    badge_err_t    err;
    const char    *did;
    char           buf[200];
    static const char *types[] = { "p256", "p384", "ed25519" };
    static const char *prefixes[] = { "did:key:zDn", "did:key:z82",
                                      "did:key:z6Mk" };

    (void) state;
    assert_int_equal(badge_multibase_decode(priv, raw, sizeof(raw), &n), 0);
    assert_int_equal(badge_multicodec_split(raw, n, &codec, &seed,
        &seedlen), 0);
    assert_int_equal(codec, 0x1300);            /* ed25519-priv */
    assert_int_equal(seedlen, 32);
    k.type = BADGE_KEY_ED25519;
    k.pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
    assert_non_null(k.pkey);
    did = badge_did_key_encode(a, &k);
    snprintf(buf, sizeof(buf), "did:key:%s", pub);
    assert_string_equal(did, buf);
    assert_string_equal(badge_did_key_vm_id(a, did),
        "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
        "#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2");
    dk = badge_did_key_decode(badge_did_key_vm_id(a, did), &err);
    assert_non_null(dk);
    assert_true(badge_key_equal(dk, &k));
    badge_key_free(dk);
    EVP_PKEY_free(k.pkey);
    /* a did:key has one method: #<itself> */
    snprintf(buf, sizeof(buf), "did:key:%s#key-1", pub);
    assert_null(badge_did_key_decode(buf, &err));
    assert_string_equal(err.code, "did_method_not_found");
    assert_null(badge_did_key_decode("did:key:", &err));
    assert_null(badge_did_key_decode("did:key:z6MkrJVnaZ", &err));

    /* generated keys: encode, decode, same key; compressed EC points */
    for (n = 0; n < 3; n++) {
        EVP_PKEY *pk = th_keygen(types[n]);
        size_t    j;

        for (j = 0; j < 8; j++) {      /* both parities of y, likely */
            k.type = n == 0 ? BADGE_KEY_P256 : n == 1 ? BADGE_KEY_P384
                                                      : BADGE_KEY_ED25519;
            k.pkey = pk;
            did = badge_did_key_encode(a, &k);
            assert_non_null(did);
            assert_memory_equal(did, prefixes[n], strlen(prefixes[n]));
            dk = badge_did_key_decode(did, &err);
            assert_non_null(dk);
            assert_true(badge_key_equal(dk, &k));
            badge_key_free(dk);
            EVP_PKEY_free(pk);
            pk = th_keygen(types[n]);
        }
        EVP_PKEY_free(pk);
    }
    {
        EVP_PKEY *rsa = th_keygen("rsa2048");

        k.type = BADGE_KEY_RSA;
        k.pkey = rsa;
        assert_null(badge_did_key_encode(a, &k));
        /* did:jwk works for any key */
        did = badge_did_jwk_encode(a, &k);
        assert_non_null(did);
        dk = badge_did_jwk_decode(did, "assertionMethod", &err);
        assert_non_null(dk);
        assert_true(badge_key_equal(dk, &k));
        badge_key_free(dk);
        EVP_PKEY_free(rsa);
    }
    badge_arena_free(a);
}

static const char *
did_jwk_of(badge_arena_t *a, const char *json)
{
    char *b = th_b64url(json, strlen(json));
    const char *d = badge_arena_sprintf(a, "did:jwk:%s", b);

    free(b);
    return d;
}

static void
test_did_jwk(void **state)
{
    badge_arena_t *a = badge_arena_new(0);
    EVP_PKEY      *pk = th_keygen("p256");
    char          *jwk = th_jwk(pk), *priv;
    const char    *did;
    badge_key_t   *k;
    badge_err_t    err;

    (void) state;
    did = did_jwk_of(a, jwk);
    k = badge_did_jwk_decode(did, "assertionMethod", &err);
    assert_non_null(k);
    badge_key_free(k);
    k = badge_did_jwk_decode(badge_arena_sprintf(a, "%s#0", did),
        "assertionMethod", &err);
    assert_non_null(k);
    badge_key_free(k);
    assert_null(badge_did_jwk_decode(badge_arena_sprintf(a, "%s#1", did),
        NULL, &err));
    assert_string_equal(err.code, "did_method_not_found");
    /* a private key in a DID is refused */
    priv = malloc(strlen(jwk) + 64);
    sprintf(priv, "%.*s,\"d\":\"AAAA\"}", (int) strlen(jwk) - 1, jwk);
    assert_null(badge_did_jwk_decode(did_jwk_of(a, priv), NULL, &err));
    assert_string_equal(err.code, "did_invalid");
    /* an encryption key does not sign */
    sprintf(priv, "%.*s,\"use\":\"enc\"}", (int) strlen(jwk) - 1, jwk);
    assert_null(badge_did_jwk_decode(did_jwk_of(a, priv), "assertionMethod",
        &err));
    assert_string_equal(err.code, "did_method_not_authorized");
    /* padded or broken base64url */
    assert_null(badge_did_jwk_decode(badge_arena_sprintf(a, "%s=", did),
        NULL, &err));
    assert_null(badge_did_jwk_decode("did:jwk:!!!", NULL, &err));
    assert_null(badge_did_jwk_decode(did_jwk_of(a, "[1]"), NULL, &err));
    free(priv);
    free(jwk);
    EVP_PKEY_free(pk);
    badge_arena_free(a);
}

/* A DID document for did:web:example.com with a P-256 JsonWebKey2020
 * (#key-1, listed under assertionMethod), an Ed25519 Multikey (#key-2,
 * authentication only), and #key-3 controlled by someone else. */
static json_t *
make_doc(EVP_PKEY *k1, const char *extra)
{
    char        *jwk = th_jwk(k1), *text;
    json_t      *doc;
    badge_err_t  err;

    text = malloc(8192);
    snprintf(text, 8192,
        "{\"@context\":[\"https://www.w3.org/ns/did/v1\"],"
        "\"id\":\"did:web:example.com\","
        "\"verificationMethod\":["
        "{\"id\":\"#key-1\",\"type\":\"JsonWebKey2020\","
        "\"controller\":\"did:web:example.com\",\"publicKeyJwk\":%s},"
        "{\"id\":\"did:web:example.com#key-2\",\"type\":\"Multikey\","
        "\"controller\":\"did:web:example.com\",\"publicKeyMultibase\":"
        "\"z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2\"},"
        "{\"id\":\"#key-3\",\"type\":\"JsonWebKey2020\","
        "\"controller\":\"did:web:evil.example\",\"publicKeyJwk\":%s}],"
        "\"assertionMethod\":[\"#key-1\",\"#key-3\","
        "{\"id\":\"#key-4\",\"type\":\"Multikey\","
        "\"controller\":\"did:web:example.com\",\"publicKeyMultibase\":"
        "\"z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2\"}],"
        "\"authentication\":[\"did:web:example.com#key-2\"]%s}",
        jwk, jwk, extra != NULL ? extra : "");
    doc = badge_json_parse(text, strlen(text), &err);
    assert_non_null(doc);
    free(text);
    free(jwk);
    return doc;
}

static void
test_doc_find_method(void **state)
{
    badge_arena_t *a = badge_arena_new(0);
    EVP_PKEY      *k1 = th_keygen("p256");
    json_t        *doc = make_doc(k1, NULL);
    const json_t  *vm;
    badge_key_t   *k;
    badge_err_t    err;
    const char    *id = "did:web:example.com";

    (void) state;
    vm = badge_did_doc_find_method(a, doc, id, "did:web:example.com#key-1",
        "assertionMethod", &err);
    assert_non_null(vm);
    k = badge_did_method_key(vm, &err);
    assert_non_null(k);
    assert_int_equal(k->type, BADGE_KEY_P256);
    badge_key_free(k);
    /* listed for authentication only */
    assert_null(badge_did_doc_find_method(a, doc, id,
        "did:web:example.com#key-2", "assertionMethod", &err));
    assert_string_equal(err.code, "did_method_not_authorized");
    assert_non_null(badge_did_doc_find_method(a, doc, id,
        "did:web:example.com#key-2", "authentication", &err));
    /* controlled by another DID */
    assert_null(badge_did_doc_find_method(a, doc, id,
        "did:web:example.com#key-3", "assertionMethod", &err));
    assert_string_equal(err.code, "did_controller_mismatch");
    /* embedded in assertionMethod */
    vm = badge_did_doc_find_method(a, doc, id, "did:web:example.com#key-4",
        "assertionMethod", &err);
    assert_non_null(vm);
    assert_null(badge_did_doc_find_method(a, doc, id,
        "did:web:example.com#key-9", NULL, &err));
    assert_string_equal(err.code, "did_method_not_found");
    /* a relative id only matches under this document's id */
    assert_null(badge_did_doc_find_method(a, doc, id,
        "did:web:other.com#key-1", NULL, &err));
    /* the document must be the DID's */
    assert_null(badge_did_doc_find_method(a, doc, "did:web:other.com",
        "did:web:other.com#key-1", NULL, &err));
    assert_string_equal(err.code, "did_document_invalid");
    json_decref(doc);
    EVP_PKEY_free(k1);
    badge_arena_free(a);
}

static void
test_method_key_formats(void **state)
{
    static const char *bad[] = {
        /* an Ed25519VerificationKey2020 that holds a P-256 key */
        "{\"type\":\"Ed25519VerificationKey2020\",\"publicKeyMultibase\":"
        "\"zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169\"}",
        /* two representations */
        "{\"type\":\"Multikey\",\"publicKeyMultibase\":"
        "\"z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2\","
        "\"publicKeyBase58\":\"abc\"}",
        /* none */
        "{\"type\":\"Multikey\"}",
        /* private JWK */
        "{\"type\":\"JsonWebKey2020\",\"publicKeyJwk\":{\"kty\":\"OKP\","
        "\"crv\":\"Ed25519\",\"x\":\"AAAA\",\"d\":\"AAAA\"}}",
        /* base58 for another type */
        "{\"type\":\"Multikey\",\"publicKeyBase58\":"
        "\"4zvwRjXUKGfvwnParsHAS3HuSVzV5cA4McphgmoCtajS\"}",
    };
    badge_err_t  err;
    badge_key_t *k;
    json_t      *vm;
    size_t       i;

    (void) state;
    vm = json_loads("{\"type\":\"Ed25519VerificationKey2018\","
        "\"publicKeyBase58\":\"4zvwRjXUKGfvwnParsHAS3HuSVzV5cA4McphgmoCtajS\"}",
        0, NULL);
    k = badge_did_method_key(vm, &err);
    assert_non_null(k);
    assert_int_equal(k->type, BADGE_KEY_ED25519);
    badge_key_free(k);
    json_decref(vm);
    vm = json_loads("{\"type\":\"Multikey\",\"publicKeyMultibase\":"
        "\"zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169\"}", 0, NULL);
    k = badge_did_method_key(vm, &err);
    assert_non_null(k);
    assert_int_equal(k->type, BADGE_KEY_P256);
    badge_key_free(k);
    json_decref(vm);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        vm = json_loads(bad[i], 0, NULL);
        assert_non_null(vm);
        k = badge_did_method_key(vm, &err);
        if (k != NULL) {
            fail_msg("accepted %s", bad[i]);
        }
        json_decref(vm);
    }
}

static void
test_resolve_session(void **state)
{
    badge_ctx_t        *ctx = badge_ctx_new();
    badge_session_t    *s;
    EVP_PKEY           *k1 = th_keygen("p256");
    json_t             *doc = make_doc(k1, NULL);
    char               *text = json_dumps(doc, 0);
    badge_key_t        *key;
    const char         *ctl;
    const char *const  *urls;
    badge_err_t         err;
    char               *jwk = th_jwk(k1), *jwks;

    (void) state;
    s = badge_session_new(ctx, NULL);
    /* not fetched yet: pending, and the URL is queued for the host */
    assert_int_equal(badge_did_resolve_method(s, "did:web:example.com#key-1",
        "assertionMethod", &key, &ctl, &err), BADGE_DID_PENDING);
    assert_int_equal(badge_session_needed(s, &urls), 1);
    assert_string_equal(urls[0], "https://example.com/.well-known/did.json");
    badge_session_supply(s, urls[0], 200, "application/did+json", text,
        strlen(text));
    s->n_needed = 0;
    assert_int_equal(badge_did_resolve_method(s, "did:web:example.com#key-1",
        "assertionMethod", &key, &ctl, &err), BADGE_DID_OK);
    assert_non_null(key);               /* owned by the session */
    assert_string_equal(ctl, "did:web:example.com");
    assert_int_equal(badge_did_resolve_method(s, "did:web:example.com#key-2",
        "assertionMethod", &key, &ctl, &err), BADGE_DID_FAIL);
    assert_string_equal(err.code, "did_method_not_authorized");
    /* a document at a private address is never requested */
    assert_int_equal(badge_did_resolve_method(s, "did:web:127.0.0.1#key-1",
        "assertionMethod", &key, &ctl, &err), BADGE_DID_UNAVAILABLE);
    assert_string_equal(err.code, "url_refused");
    /* unsupported methods: cannot check */
    assert_int_equal(badge_did_resolve_method(s, "did:example:123#k",
        "assertionMethod", &key, &ctl, &err), BADGE_DID_UNAVAILABLE);
    assert_string_equal(err.code, "did_method_unsupported");
    assert_int_equal(badge_did_resolve_method(s, "key-1",
        "assertionMethod", &key, &ctl, &err), BADGE_DID_FAIL);
    badge_session_free(s);

    /* the document could not be fetched: unavailable, not failed */
    s = badge_session_new(ctx, NULL);
    badge_session_supply(s, "https://example.com/.well-known/did.json", 0,
        NULL, NULL, 0);
    assert_int_equal(badge_did_resolve_method(s, "did:web:example.com#key-1",
        "assertionMethod", &key, &ctl, &err), BADGE_DID_UNAVAILABLE);
    /* not JSON: failed */
    badge_session_supply(s, "https://example.org/.well-known/did.json", 200,
        NULL, "<html>", 6);
    assert_int_equal(badge_did_resolve_method(s, "did:web:example.org#key-1",
        "assertionMethod", &key, &ctl, &err), BADGE_DID_FAIL);
    /* a JWK Set at an https kid */
    jwks = malloc(strlen(jwk) + 64);
    sprintf(jwks, "{\"keys\":[%.*s,\"kid\":\"k1\"}]}",
        (int) strlen(jwk) - 1, jwk);
    badge_session_supply(s, "https://issuer.example/jwks.json", 200, NULL,
        jwks, strlen(jwks));
    assert_int_equal(badge_did_resolve_method(s,
        "https://issuer.example/jwks.json#k1", "assertionMethod", &key, &ctl,
        &err), BADGE_DID_OK);
    assert_string_equal(ctl, "https://issuer.example/jwks.json");
    assert_int_equal(badge_did_resolve_method(s,
        "https://issuer.example/jwks.json#k2", "assertionMethod", &key, &ctl,
        &err), BADGE_DID_FAIL);
    /* did:key resolves without documents */
    assert_int_equal(badge_did_resolve_method(s,
        "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
        "#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
        "assertionMethod", &key, &ctl, &err), BADGE_DID_OK);
    assert_string_equal(ctl,
        "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2");
    /* <url>#<multibase> is a key only with the test-only switch */
    assert_int_equal(badge_did_resolve_method(s,
        "https://example.edu/issuers/1#"
        "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
        "assertionMethod", &key, &ctl, &err), BADGE_DID_PENDING);
    badge_session_free(s);
    badge_ctx_set_option(ctx, BADGE_OPT_KEY_FROM_FRAGMENT, 1);
    s = badge_session_new(ctx, NULL);
    assert_int_equal(badge_did_resolve_method(s,
        "https://example.edu/issuers/1#"
        "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
        "assertionMethod", &key, &ctl, &err), BADGE_DID_OK);
    assert_string_equal(ctl, "https://example.edu/issuers/1");
    badge_session_free(s);

    free(jwks);
    free(jwk);
    free(text);
    json_decref(doc);
    EVP_PKEY_free(k1);
    badge_ctx_free(ctx);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_did_web_url),
        cmocka_unit_test(test_did_key),
        cmocka_unit_test(test_did_jwk),
        cmocka_unit_test(test_doc_find_method),
        cmocka_unit_test(test_method_key_formats),
        cmocka_unit_test(test_resolve_session),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
