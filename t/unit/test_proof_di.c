/*
 * Unit tests of Data Integrity proofs (proof_di.c, sign_di.c) and of
 * credentials/presentations secured with them (ldp.c), through the public
 * session API: credentials are signed in the test with fresh keys, then
 * verified valid and broken in every way the verifier must notice.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "badge.h"
#include "ctx.h"
#include "did.h"
#include "json.h"
#include "multibase.h"
#include "proof_di.h"
#include "report.h"
#include "session.h"
#include "sign_di.h"

#define NOW       1735689600          /* 2025-01-01T00:00:00Z */
#define SIGNED_AT 1704067200          /* 2024-01-01T00:00:00Z */

#define ISSUER_URL  "https://issuer.example/issuers/1"
#define VP_CHALLENGE "c-7f3a"

/* ------------------------------------------------------------------ */
/* helpers                                                              */

/* documents the "host" hands over when asked: url -> body */
static const char *docs[4][2];

static badge_key_t *
new_key(const char *type)
{
    badge_key_t *k = calloc(1, sizeof(*k));

    assert_non_null(k);
    if (strcmp(type, "ED25519") == 0) {
        k->type = BADGE_KEY_ED25519;
        k->pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    } else {
        k->type = strcmp(type, "P-384") == 0 ? BADGE_KEY_P384
                                             : BADGE_KEY_P256;
        k->pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", type);
    }
    assert_non_null(k->pkey);
    return k;
}

/* The public Multikey of a key, via its did:key. */
static const char *
multikey(badge_arena_t *a, const badge_key_t *k)
{
    char *did = badge_did_key_encode(a, k);

    assert_non_null(did);
    return did + 8;
}

static json_t *
credential(const char *issuer)
{
    json_t *c;

    c = json_pack("{s:[s,s], s:s, s:[s,s], s:{s:s, s:[s], s:s}, s:s, s:s,"
        " s:{s:s, s:[s], s:{s:s, s:[s], s:s, s:s, s:{s:s}}}}",
        "@context", "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        "id", "urn:uuid:3f1e5b0a-6d58-4f5c-9e85-1a2b3c4d5e6f",
        "type", "VerifiableCredential", "OpenBadgeCredential",
        "issuer", "id", issuer, "type", "Profile", "name", "大学",
        "validFrom", "2024-01-01T00:00:00Z",
        "name", "DX講座修了",
        "credentialSubject", "id", "did:example:learner",
        "type", "AchievementSubject",
        "achievement", "id", "https://issuer.example/achievements/dx",
        "type", "Achievement", "name", "DX講座",
        "description", "Data \"literacy\"\n\tand more",
        "criteria", "narrative", "修了した");
    assert_non_null(c);
    return c;
}

static json_t *
sign_with(const json_t *doc, const badge_key_t *k, badge_di_suite_t suite,
    const char *vm, const char *purpose, const char *expires,
    time_t created)
{
    badge_di_sign_opts_t  o;
    badge_arena_t        *a = badge_arena_new(0);
    badge_err_t           err;
    json_t               *out;

    memset(&o, 0, sizeof(o));
    o.suite = suite;
    o.verification_method = vm;
    o.purpose = purpose;
    o.expires = expires;
    o.created = created != 0 ? created : SIGNED_AT;
    if (purpose != NULL && strcmp(purpose, "authentication") == 0) {
        o.challenge = VP_CHALLENGE;
    }
    badge_err_clear(&err);
    out = badge_di_sign(a, doc, k, &o, &err);
    if (out == NULL) {
        fail_msg("signing failed: %s", err.message);
    }
    badge_arena_free(a);
    return out;
}

static badge_session_t *
verify_doc(badge_ctx_t *ctx, const json_t *doc, const char *challenge,
    int *rounds)
{
    badge_verify_opts_t  o;
    badge_session_t     *s;
    badge_step_t         st;
    const char *const   *urls;
    char                *text;
    size_t               n, i, j;
    int                  r = 0;

    memset(&o, 0, sizeof(o));
    o.now = NOW;
    o.challenge = challenge;
    s = badge_session_new(ctx, &o);
    assert_non_null(s);
    text = json_dumps(doc, JSON_COMPACT);
    assert_non_null(text);
    assert_int_equal(badge_session_set_input(s, text, strlen(text)), 0);
    free(text);
    while ((st = badge_session_run(s)) == BADGE_NEED_DOCUMENTS) {
        r++;
        n = badge_session_needed(s, &urls);
        for (i = 0; i < n; i++) {
            for (j = 0; j < 4 && docs[j][0] != NULL; j++) {
                if (strcmp(urls[i], docs[j][0]) == 0) {
                    break;
                }
            }
            if (j < 4 && docs[j][0] != NULL) {
                badge_session_supply(s, urls[i], 200, "application/json",
                    docs[j][1], strlen(docs[j][1]));
            } else {
                badge_session_supply(s, urls[i], 0, NULL, NULL, 0);
            }
        }
    }
    assert_int_equal(st, BADGE_DONE);
    if (rounds != NULL) {
        *rounds = r;
    }
    return s;
}

static const badge_check_t *
find_check(const badge_report_t *r, const char *check, const char *code)
{
    const badge_check_t *c;

    for (c = r->checks; c != NULL; c = c->next) {
        if (strcmp(c->check, check) == 0
            && (code == NULL || strcmp(c->code, code) == 0))
        {
            return c;
        }
    }
    return NULL;
}

#define assert_check(s, check, code, st) do {                              \
        const badge_check_t *c_ = find_check((s)->report, check, code);    \
        if (c_ == NULL) {                                                  \
            fail_msg("no %s/%s check in:\n%s", check, code,                \
                badge_session_report_text(s, NULL));                       \
        }                                                                  \
        if (c_->status != (st)) {                                          \
            fail_msg("%s/%s is %s:\n%s", check, code,                      \
                badge_check_status_name(c_->status),                       \
                badge_session_report_text(s, NULL));                       \
        }                                                                  \
    } while (0)

#define assert_verified(s, v) do {                                         \
        if (badge_session_verified(s) != (v)) {                            \
            fail_msg("expected %s:\n%s", (v) ? "verified" : "not verified",\
                badge_session_report_text(s, NULL));                       \
        }                                                                  \
    } while (0)

/* A credential of a did:key issuer, signed with its key. */
typedef struct {
    badge_arena_t *a;
    badge_key_t   *k;
    char          *did;
    char          *vm;
    json_t        *signed_cred;
} fixture_t;

static void
fixture(fixture_t *f, const char *keytype, badge_di_suite_t suite)
{
    json_t *c;

    memset(f, 0, sizeof(*f));
    f->a = badge_arena_new(0);
    f->k = new_key(keytype);
    f->did = badge_did_key_encode(f->a, f->k);
    f->vm = badge_did_key_vm_id(f->a, f->did);
    assert_non_null(f->vm);
    c = credential(f->did);
    f->signed_cred = sign_with(c, f->k, suite, f->vm, NULL, NULL, 0);
    json_decref(c);
}

static void
fixture_free(fixture_t *f)
{
    json_decref(f->signed_cred);
    badge_key_free(f->k);
    badge_arena_free(f->a);
}

static void
clear_docs(void)
{
    memset(docs, 0, sizeof(docs));
}

/* ------------------------------------------------------------------ */
/* round trips                                                          */

static void
round_trip(const char *keytype, badge_di_suite_t suite, const char *name)
{
    badge_ctx_t     *ctx = badge_ctx_new();
    badge_session_t *s;
    fixture_t        f;
    const json_t    *p;

    clear_docs();
    fixture(&f, keytype, suite);
    p = json_object_get(f.signed_cred, "proof");
    assert_string_equal(badge_json_str(p, "cryptosuite"), name);
    assert_int_equal(badge_json_str(p, "proofValue")[0], 'z');
    s = verify_doc(ctx, f.signed_cred, NULL, NULL);
    assert_verified(s, 1);
    assert_string_equal(badge_session_field(s, BADGE_FIELD_FORMAT),
        "ob3-ldp");
    assert_check(s, "signature", "signature_valid", BADGE_PASS);
    assert_check(s, "key", "key_controller", BADGE_PASS);
    assert_check(s, "context", "context_valid", BADGE_PASS);
    assert_non_null(strstr(find_check(s->report, "format", "ldp")->message,
                           name));
    badge_session_free(s);
    fixture_free(&f);
    badge_ctx_free(ctx);
}

static void
test_round_trip_eddsa_rdfc(void **state)
{
    (void) state;
    round_trip("ED25519", BADGE_DI_EDDSA_RDFC_2022, "eddsa-rdfc-2022");
}

static void
test_round_trip_eddsa_jcs(void **state)
{
    (void) state;
    round_trip("ED25519", BADGE_DI_EDDSA_JCS_2022, "eddsa-jcs-2022");
}

static void
test_round_trip_ecdsa_rdfc_p256(void **state)
{
    (void) state;
    round_trip("P-256", BADGE_DI_ECDSA_RDFC_2019, "ecdsa-rdfc-2019");
}

static void
test_round_trip_ecdsa_rdfc_p384(void **state)
{
    (void) state;
    round_trip("P-384", BADGE_DI_ECDSA_RDFC_2019, "ecdsa-rdfc-2019");
}

static void
test_round_trip_ecdsa_jcs(void **state)
{
    (void) state;
    round_trip("P-256", BADGE_DI_ECDSA_JCS_2019, "ecdsa-jcs-2019");
}

/* ------------------------------------------------------------------ */
/* what must fail                                                       */

static void
test_tampered_document(void **state)
{
    badge_ctx_t     *ctx = badge_ctx_new();
    badge_session_t *s;
    fixture_t        f;
    json_t          *c;

    (void) state;
    clear_docs();
    fixture(&f, "ED25519", BADGE_DI_EDDSA_RDFC_2022);
    c = json_deep_copy(f.signed_cred);
    json_object_set_new(json_object_get(json_object_get(c,
        "credentialSubject"), "achievement"), "name",
        json_string("DX講座 (上級)"));
    s = verify_doc(ctx, c, NULL, NULL);
    assert_verified(s, 0);
    assert_check(s, "signature", "signature_invalid", BADGE_FAIL);
    /* nothing else is presented as reassurance */
    assert_check(s, "validity", "not_authenticated", BADGE_UNCHECKED);
    badge_session_free(s);
    json_decref(c);
    fixture_free(&f);
    badge_ctx_free(ctx);
}

static void
test_tampered_proof_value(void **state)
{
    badge_ctx_t     *ctx = badge_ctx_new();
    badge_session_t *s;
    fixture_t        f;
    json_t          *c, *p;
    char            *pv;
    size_t           n;

    (void) state;
    clear_docs();
    fixture(&f, "ED25519", BADGE_DI_EDDSA_RDFC_2022);
    c = json_deep_copy(f.signed_cred);
    p = json_object_get(c, "proof");
    pv = strdup(badge_json_str(p, "proofValue"));
    n = strlen(pv);
    pv[n - 2] = pv[n - 2] == '2' ? '3' : '2';
    json_object_set_new(p, "proofValue", json_string(pv));
    s = verify_doc(ctx, c, NULL, NULL);
    assert_verified(s, 0);
    assert_check(s, "signature", NULL, BADGE_FAIL);
    badge_session_free(s);
    /* not base58 / wrong length */
    json_object_set_new(p, "proofValue", json_string("zabc"));
    s = verify_doc(ctx, c, NULL, NULL);
    assert_verified(s, 0);
    assert_check(s, "signature", "proof_value_invalid", BADGE_FAIL);
    badge_session_free(s);
    free(pv);
    json_decref(c);
    fixture_free(&f);
    badge_ctx_free(ctx);
}

static void
test_wrong_purpose(void **state)
{
    badge_ctx_t     *ctx = badge_ctx_new();
    badge_session_t *s;
    fixture_t        f;
    json_t          *c, *sc;

    (void) state;
    clear_docs();
    fixture(&f, "ED25519", BADGE_DI_EDDSA_RDFC_2022);
    c = credential(f.did);
    sc = sign_with(c, f.k, BADGE_DI_EDDSA_RDFC_2022, f.vm, "authentication",
        NULL, 0);
    s = verify_doc(ctx, sc, NULL, NULL);
    assert_verified(s, 0);
    assert_check(s, "signature", "proof_purpose_mismatch", BADGE_FAIL);
    badge_session_free(s);
    json_decref(sc);
    json_decref(c);
    fixture_free(&f);
    badge_ctx_free(ctx);
}

static void
test_wrong_controller(void **state)
{
    badge_ctx_t     *ctx = badge_ctx_new();
    badge_session_t *s;
    fixture_t        f, other;
    json_t          *c, *sc;

    (void) state;
    clear_docs();
    fixture(&f, "ED25519", BADGE_DI_EDDSA_RDFC_2022);
    fixture(&other, "ED25519", BADGE_DI_EDDSA_RDFC_2022);
    /* issued in f's name, signed by other's key */
    c = credential(f.did);
    sc = sign_with(c, other.k, BADGE_DI_EDDSA_RDFC_2022, other.vm, NULL,
        NULL, 0);
    s = verify_doc(ctx, sc, NULL, NULL);
    assert_verified(s, 0);
    assert_check(s, "key", "key_not_issuer", BADGE_FAIL);
    badge_session_free(s);
    json_decref(sc);
    json_decref(c);
    fixture_free(&other);
    fixture_free(&f);
    badge_ctx_free(ctx);
}

static void
test_expired_proof(void **state)
{
    badge_ctx_t     *ctx = badge_ctx_new();
    badge_session_t *s;
    fixture_t        f;
    json_t          *c, *sc;

    (void) state;
    clear_docs();
    fixture(&f, "ED25519", BADGE_DI_EDDSA_RDFC_2022);
    c = credential(f.did);
    sc = sign_with(c, f.k, BADGE_DI_EDDSA_RDFC_2022, f.vm, NULL,
        "2024-06-01T00:00:00Z", 0);
    s = verify_doc(ctx, sc, NULL, NULL);
    assert_verified(s, 0);
    assert_check(s, "signature", "proof_expired", BADGE_FAIL);
    badge_session_free(s);
    json_decref(sc);
    /* created after "now" */
    sc = sign_with(c, f.k, BADGE_DI_EDDSA_RDFC_2022, f.vm, NULL, NULL,
        NOW + 86400);
    s = verify_doc(ctx, sc, NULL, NULL);
    assert_verified(s, 0);
    assert_check(s, "signature", "proof_created_future", BADGE_FAIL);
    badge_session_free(s);
    json_decref(sc);
    json_decref(c);
    fixture_free(&f);
    badge_ctx_free(ctx);
}

static void
test_unknown_cryptosuite(void **state)
{
    badge_ctx_t     *ctx = badge_ctx_new();
    badge_session_t *s;
    fixture_t        f;
    json_t          *c, *p, *list;

    (void) state;
    clear_docs();
    fixture(&f, "ED25519", BADGE_DI_EDDSA_RDFC_2022);
    c = json_deep_copy(f.signed_cred);
    p = json_object_get(c, "proof");
    json_object_set_new(p, "cryptosuite", json_string("bbs-2023"));
    s = verify_doc(ctx, c, NULL, NULL);
    assert_verified(s, 0);
    assert_check(s, "signature", "cryptosuite_unsupported",
        BADGE_UNCHECKED);
    badge_session_free(s);
    json_decref(c);

    /* beside a good proof, an unknown one is ignored (and said so) */
    c = json_deep_copy(f.signed_cred);
    list = json_pack("[O, {s:s, s:s}]", json_object_get(c, "proof"),
        "type", "SomeProofType", "proofValue", "zzz");
    json_object_set_new(c, "proof", list);
    s = verify_doc(ctx, c, NULL, NULL);
    assert_verified(s, 1);
    assert_check(s, "signature", "proof_type_unsupported", BADGE_UNCHECKED);
    badge_session_free(s);
    json_decref(c);
    fixture_free(&f);
    badge_ctx_free(ctx);
}

static void
test_undefined_terms(void **state)
{
    badge_ctx_t     *ctx = badge_ctx_new();
    badge_session_t *s;
    fixture_t        f;
    json_t          *c;

    (void) state;
    clear_docs();
    fixture(&f, "ED25519", BADGE_DI_EDDSA_RDFC_2022);
    /* JSON-LD drops a term no context defines: the signature still holds,
     * but the claim was never signed */
    c = json_deep_copy(f.signed_cred);
    json_object_set_new(json_object_get(c, "credentialSubject"),
        "grade", json_string("A+"));
    s = verify_doc(ctx, c, NULL, NULL);
    assert_verified(s, 0);
    assert_check(s, "context", "undefined_terms", BADGE_FAIL);
    assert_non_null(strstr(find_check(s->report, "context",
                                      "undefined_terms")->message, "grade"));
    badge_session_free(s);
    json_decref(c);
    fixture_free(&f);
    badge_ctx_free(ctx);
}

static void
test_unbundled_context(void **state)
{
    badge_ctx_t     *ctx = badge_ctx_new();
    badge_session_t *s;
    fixture_t        f;
    json_t          *c;
    int              rounds;

    (void) state;
    clear_docs();
    fixture(&f, "ED25519", BADGE_DI_EDDSA_RDFC_2022);
    c = json_deep_copy(f.signed_cred);
    json_array_append_new(json_object_get(c, "@context"),
        json_string("https://evil.example/context.jsonld"));
    s = verify_doc(ctx, c, NULL, &rounds);
    assert_verified(s, 0);
    /* never fetched */
    assert_int_equal(rounds, 0);
    assert_check(s, "context", "jsonld_context_not_bundled", BADGE_FAIL);
    badge_session_free(s);
    json_decref(c);
    fixture_free(&f);
    badge_ctx_free(ctx);
}

static void
test_proof_missing(void **state)
{
    badge_ctx_t     *ctx = badge_ctx_new();
    badge_session_t *s;
    json_t          *c;

    (void) state;
    clear_docs();
    c = credential(ISSUER_URL);
    s = verify_doc(ctx, c, NULL, NULL);
    assert_verified(s, 0);
    assert_check(s, "signature", "proof_missing", BADGE_FAIL);
    badge_session_free(s);
    json_decref(c);
    badge_ctx_free(ctx);
}

/* ------------------------------------------------------------------ */
/* https issuers: fragments, controller documents, configured keys      */

static void
test_key_from_fragment(void **state)
{
    badge_ctx_t     *ctx = badge_ctx_new();
    badge_session_t *s;
    badge_arena_t   *a = badge_arena_new(0);
    badge_key_t     *k = new_key("ED25519");
    const char      *mk = multikey(a, k);
    char            *vm = badge_arena_sprintf(a, "%s#%s", ISSUER_URL, mk);
    json_t          *c, *sc;
    int              rounds;

    (void) state;
    clear_docs();
    c = credential(ISSUER_URL);
    sc = sign_with(c, k, BADGE_DI_EDDSA_RDFC_2022, vm, NULL, NULL, 0);

    /* by default a key spelled in a URL fragment proves nothing: the
     * issuer's document is asked for, and without it nothing verifies */
    s = verify_doc(ctx, sc, NULL, &rounds);
    assert_int_equal(rounds, 1);
    assert_verified(s, 0);
    assert_check(s, "key", "fetch_failed", BADGE_UNCHECKED);
    badge_session_free(s);

    /* TEST ONLY switch */
    badge_ctx_set_option(ctx, BADGE_OPT_KEY_FROM_FRAGMENT, 1);
    s = verify_doc(ctx, sc, NULL, &rounds);
    assert_int_equal(rounds, 0);
    assert_verified(s, 1);
    badge_session_free(s);

    json_decref(sc);
    json_decref(c);
    badge_key_free(k);
    badge_arena_free(a);
    badge_ctx_free(ctx);
}

static void
test_configured_key(void **state)
{
    badge_ctx_t     *ctx = badge_ctx_new();
    badge_session_t *s;
    badge_arena_t   *a = badge_arena_new(0);
    badge_key_t     *k = new_key("ED25519"), *k2 = new_key("ED25519");
    const char      *mk = multikey(a, k);
    char            *vm = badge_arena_sprintf(a, "%s#key-1", ISSUER_URL);
    char             err[200];
    json_t          *c, *sc;
    int              rounds;

    (void) state;
    clear_docs();
    c = credential(ISSUER_URL);
    sc = sign_with(c, k, BADGE_DI_EDDSA_RDFC_2022, vm, NULL, NULL, 0);
    /* a key configured for the exact method: no fetch */
    assert_int_equal(badge_ctx_add_key(ctx, NULL, vm, mk, strlen(mk), err,
                                       sizeof(err)), 0);
    s = verify_doc(ctx, sc, NULL, &rounds);
    assert_int_equal(rounds, 0);
    assert_verified(s, 1);
    assert_check(s, "key", "key_trusted", BADGE_PASS);
    badge_session_free(s);
    badge_ctx_free(ctx);

    /* a key configured for the issuer wins over anything fetched: here
     * it is the wrong key, so the signature fails */
    ctx = badge_ctx_new();
    mk = multikey(a, k2);
    assert_int_equal(badge_ctx_add_key(ctx, ISSUER_URL, NULL, mk,
                                       strlen(mk), err, sizeof(err)), 0);
    s = verify_doc(ctx, sc, NULL, &rounds);
    assert_int_equal(rounds, 0);
    assert_verified(s, 0);
    assert_check(s, "signature", "signature_invalid", BADGE_FAIL);
    badge_session_free(s);

    json_decref(sc);
    json_decref(c);
    badge_key_free(k);
    badge_key_free(k2);
    badge_arena_free(a);
    badge_ctx_free(ctx);
}

static void
test_controller_document(void **state)
{
    badge_ctx_t     *ctx = badge_ctx_new();
    badge_session_t *s;
    badge_arena_t   *a = badge_arena_new(0);
    badge_key_t     *k = new_key("ED25519");
    const char      *mk = multikey(a, k);
    char            *vm = badge_arena_sprintf(a, "%s#key-1", ISSUER_URL);
    char            *good, *unlisted, *keydoc, *kvm;
    json_t          *c, *sc;
    int              rounds;

    (void) state;
    good = badge_arena_sprintf(a, "{\"id\": \"%s\", \"verificationMethod\":"
        " [{\"id\": \"%s\", \"type\": \"Multikey\", \"controller\": \"%s\","
        " \"publicKeyMultibase\": \"%s\"}], \"assertionMethod\": "
        "[\"#key-1\"]}", ISSUER_URL, vm, ISSUER_URL, mk);
    unlisted = badge_arena_sprintf(a, "{\"id\": \"%s\", "
        "\"verificationMethod\": [{\"id\": \"%s\", \"type\": \"Multikey\", "
        "\"controller\": \"%s\", \"publicKeyMultibase\": \"%s\"}], "
        "\"authentication\": [\"#key-1\"]}", ISSUER_URL, vm, ISSUER_URL, mk);
    c = credential(ISSUER_URL);
    sc = sign_with(c, k, BADGE_DI_EDDSA_RDFC_2022, vm, NULL, NULL, 0);

    clear_docs();
    docs[0][0] = ISSUER_URL;
    docs[0][1] = good;
    s = verify_doc(ctx, sc, NULL, &rounds);
    assert_int_equal(rounds, 1);
    assert_verified(s, 1);
    badge_session_free(s);

    docs[0][1] = unlisted;
    s = verify_doc(ctx, sc, NULL, NULL);
    assert_verified(s, 0);
    assert_check(s, "key", "did_method_not_authorized", BADGE_FAIL);
    badge_session_free(s);
    json_decref(sc);

    /* an https key document (OB 3.0 style), claimed by its controller */
    kvm = "https://issuer.example/keys/1";
    keydoc = badge_arena_sprintf(a, "{\"id\": \"%s\", \"type\": "
        "\"Multikey\", \"controller\": \"%s\", \"publicKeyMultibase\": "
        "\"%s\"}", kvm, ISSUER_URL, mk);
    sc = sign_with(c, k, BADGE_DI_EDDSA_RDFC_2022, kvm, NULL, NULL, 0);
    docs[0][0] = kvm;
    docs[0][1] = keydoc;
    docs[1][0] = ISSUER_URL;
    docs[1][1] = badge_arena_sprintf(a, "{\"id\": \"%s\", "
        "\"assertionMethod\": [\"%s\"]}", ISSUER_URL, kvm);
    s = verify_doc(ctx, sc, NULL, &rounds);
    assert_verified(s, 1);
    assert_int_equal(rounds, 2);
    badge_session_free(s);
    /* the controller does not claim it */
    docs[1][1] = badge_arena_sprintf(a, "{\"id\": \"%s\", "
        "\"assertionMethod\": []}", ISSUER_URL);
    s = verify_doc(ctx, sc, NULL, NULL);
    assert_verified(s, 0);
    assert_check(s, "key", "did_method_not_authorized", BADGE_FAIL);
    badge_session_free(s);
    clear_docs();

    json_decref(sc);
    json_decref(c);
    badge_key_free(k);
    badge_arena_free(a);
    badge_ctx_free(ctx);
}

/* ------------------------------------------------------------------ */
/* proof sets and presentations                                         */

static void
test_proof_set(void **state)
{
    badge_ctx_t     *ctx = badge_ctx_new();
    badge_session_t *s;
    fixture_t        f;
    json_t          *two, *bad;

    (void) state;
    clear_docs();
    fixture(&f, "ED25519", BADGE_DI_EDDSA_RDFC_2022);
    /* a second proof by the same issuer, with the JCS suite */
    two = sign_with(f.signed_cred, f.k, BADGE_DI_EDDSA_JCS_2022, f.vm, NULL,
        NULL, 0);
    assert_int_equal(json_array_size(json_object_get(two, "proof")), 2);
    s = verify_doc(ctx, two, NULL, NULL);
    assert_verified(s, 1);
    badge_session_free(s);
    /* one bad proof spoils the set */
    bad = json_deep_copy(two);
    json_object_set_new(json_array_get(json_object_get(bad, "proof"), 1),
        "created", json_string("2024-01-02T00:00:00Z"));
    s = verify_doc(ctx, bad, NULL, NULL);
    assert_verified(s, 0);
    assert_check(s, "signature", "signature_invalid", BADGE_FAIL);
    badge_session_free(s);
    json_decref(bad);
    json_decref(two);
    fixture_free(&f);
    badge_ctx_free(ctx);
}

static void
test_presentation(void **state)
{
    badge_ctx_t         *ctx = badge_ctx_new();
    badge_session_t     *s;
    fixture_t            issuer, holder;
    json_t              *vp, *svp, *bad;
    const badge_report_t *child;

    (void) state;
    clear_docs();
    fixture(&issuer, "ED25519", BADGE_DI_EDDSA_RDFC_2022);
    fixture(&holder, "ED25519", BADGE_DI_EDDSA_RDFC_2022);
    vp = json_pack("{s:[s], s:[s], s:s, s:[O]}",
        "@context", "https://www.w3.org/ns/credentials/v2",
        "type", "VerifiablePresentation", "holder", holder.did,
        "verifiableCredential", issuer.signed_cred);
    assert_non_null(vp);
    svp = sign_with(vp, holder.k, BADGE_DI_EDDSA_RDFC_2022, holder.vm,
        "authentication", NULL, 0);

    s = verify_doc(ctx, svp, VP_CHALLENGE, NULL);
    assert_verified(s, 1);
    assert_string_equal(badge_session_field(s, BADGE_FIELD_FORMAT),
        "vp-ldp");
    assert_non_null(s->report->children);
    child = s->report->children->report;
    assert_string_equal(s->report->children->role, "credential");
    assert_true(badge_report_verified(child));
    assert_check(s, "credentials", "credentials_verified", BADGE_PASS);
    badge_session_free(s);

    /* the wrong challenge: a replay */
    s = verify_doc(ctx, svp, "another", NULL);
    assert_verified(s, 0);
    assert_check(s, "signature", "challenge_mismatch", BADGE_FAIL);
    badge_session_free(s);

    /* a credential inside tampered: the presentation's own proof fails
     * (it covers the credential) and so does the credential */
    bad = json_deep_copy(svp);
    json_object_set_new(json_array_get(json_object_get(bad,
        "verifiableCredential"), 0), "name", json_string("forged"));
    s = verify_doc(ctx, bad, VP_CHALLENGE, NULL);
    assert_verified(s, 0);
    assert_check(s, "credentials", "credential_not_verified", BADGE_FAIL);
    badge_session_free(s);

    json_decref(bad);
    json_decref(svp);
    json_decref(vp);
    fixture_free(&issuer);
    fixture_free(&holder);
    badge_ctx_free(ctx);
}

/* The one-verdict form, as status lists use it. */
static void
test_verify_document(void **state)
{
    badge_ctx_t         *ctx = badge_ctx_new();
    badge_verify_opts_t  vo;
    badge_session_t     *s;
    badge_err_t          why;
    fixture_t            f;
    json_t              *c;

    (void) state;
    clear_docs();
    fixture(&f, "ED25519", BADGE_DI_EDDSA_RDFC_2022);
    memset(&vo, 0, sizeof(vo));
    vo.now = NOW;
    s = badge_session_new(ctx, &vo);
    badge_err_clear(&why);
    assert_int_equal(badge_di_verify_document(s, f.signed_cred,
        "assertionMethod", f.did, &why), BADGE_DI_VALID);
    /* someone else's list */
    assert_int_equal(badge_di_verify_document(s, f.signed_cred,
        "assertionMethod", "did:web:other.example", &why), BADGE_DI_INVALID);
    assert_string_equal(why.code, "key_not_issuer");
    /* no controller given: no key is anyone's */
    assert_int_equal(badge_di_verify_document(s, f.signed_cred,
        "assertionMethod", NULL, &why), BADGE_DI_INVALID);
    c = json_deep_copy(f.signed_cred);
    json_object_set_new(c, "name", json_string("changed"));
    assert_int_equal(badge_di_verify_document(s, c, "assertionMethod",
        f.did, &why), BADGE_DI_INVALID);
    assert_string_equal(why.code, "signature_invalid");
    json_object_del(c, "proof");
    assert_int_equal(badge_di_verify_document(s, c, "assertionMethod",
        f.did, &why), BADGE_DI_INVALID);
    assert_string_equal(why.code, "proof_missing");
    json_decref(c);
    badge_session_free(s);
    fixture_free(&f);
    badge_ctx_free(ctx);
}

/* The signer refuses what the verifier would refuse. */
static void
test_sign_refuses_undefined_terms(void **state)
{
    badge_di_sign_opts_t  o;
    badge_arena_t        *a = badge_arena_new(0);
    badge_key_t          *k = new_key("ED25519");
    badge_err_t           err;
    json_t               *c;

    (void) state;
    c = credential(ISSUER_URL);
    json_object_set_new(c, "unknownTerm", json_true());
    memset(&o, 0, sizeof(o));
    o.verification_method = ISSUER_URL "#key-1";
    badge_err_clear(&err);
    assert_null(badge_di_sign(a, c, k, &o, &err));
    assert_string_equal(err.code, "undefined_terms");
    /* and a key of the wrong type for the suite */
    json_object_del(c, "unknownTerm");
    o.suite = BADGE_DI_ECDSA_RDFC_2019;
    assert_null(badge_di_sign(a, c, k, &o, &err));
    assert_string_equal(err.code, "key_type_mismatch");
    json_decref(c);
    badge_key_free(k);
    badge_arena_free(a);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_eddsa_rdfc),
        cmocka_unit_test(test_round_trip_eddsa_jcs),
        cmocka_unit_test(test_round_trip_ecdsa_rdfc_p256),
        cmocka_unit_test(test_round_trip_ecdsa_rdfc_p384),
        cmocka_unit_test(test_round_trip_ecdsa_jcs),
        cmocka_unit_test(test_tampered_document),
        cmocka_unit_test(test_tampered_proof_value),
        cmocka_unit_test(test_wrong_purpose),
        cmocka_unit_test(test_wrong_controller),
        cmocka_unit_test(test_expired_proof),
        cmocka_unit_test(test_unknown_cryptosuite),
        cmocka_unit_test(test_undefined_terms),
        cmocka_unit_test(test_unbundled_context),
        cmocka_unit_test(test_proof_missing),
        cmocka_unit_test(test_key_from_fragment),
        cmocka_unit_test(test_configured_key),
        cmocka_unit_test(test_controller_document),
        cmocka_unit_test(test_proof_set),
        cmocka_unit_test(test_presentation),
        cmocka_unit_test(test_verify_document),
        cmocka_unit_test(test_sign_refuses_undefined_terms),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
