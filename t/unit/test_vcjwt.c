/*
 * Unit tests of VC-JWT verification through the public session API:
 * tokens are signed in the test with OpenSSL directly (jose_helpers.h),
 * valid and broken in every way the verifier must notice.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "badge.h"
#include "did.h"
#include "json.h"
#include "report.h"
#include "session.h"
#include "vc.h"
#include "vcjwt.h"

#include "jose_helpers.h"

#define NOW       1735689600          /* 2025-01-01T00:00:00Z */
#define FROM      1704067200          /* 2024-01-01T00:00:00Z */
#define FROM_S    "2024-01-01T00:00:00Z"
#define UNTIL     1767225600          /* 2026-01-01T00:00:00Z */
#define UNTIL_S   "2026-01-01T00:00:00Z"

/* documents the "host" hands over when asked */
static const char *doc_url, *doc_body;
static int         doc_status = 200;
static int         rounds;

static badge_session_t *
verify_opts(badge_ctx_t *ctx, const char *jwt, time_t now,
    const char *recipient)
{
    badge_verify_opts_t  o;
    badge_session_t     *s;
    badge_step_t         st;
    const char *const   *urls;
    size_t               n, i;

    memset(&o, 0, sizeof(o));
    o.now = now;
    o.recipient = recipient;
    s = badge_session_new(ctx, &o);
    assert_non_null(s);
    assert_int_equal(badge_session_set_input(s, jwt, strlen(jwt)), 0);
    rounds = 0;
    while ((st = badge_session_run(s)) == BADGE_NEED_DOCUMENTS) {
        rounds++;
        n = badge_session_needed(s, &urls);
        for (i = 0; i < n; i++) {
            if (doc_url != NULL && strcmp(urls[i], doc_url) == 0) {
                badge_session_supply(s, urls[i], doc_status, NULL,
                    doc_body, strlen(doc_body));
            } else {
                badge_session_supply(s, urls[i], 0, NULL, NULL, 0);
            }
        }
    }
    assert_int_equal(st, BADGE_DONE);
    return s;
}

static badge_session_t *
verify(badge_ctx_t *ctx, const char *jwt)
{
    return verify_opts(ctx, jwt, NOW, NULL);
}

static const badge_check_t *
find_check(badge_session_t *s, const char *check, const char *code)
{
    const badge_check_t *c;

    for (c = s->report->checks; c != NULL; c = c->next) {
        if (strcmp(c->check, check) == 0
            && (code == NULL || strcmp(c->code, code) == 0))
        {
            return c;
        }
    }
    return NULL;
}

/* assert that check/code is there with status st */
#define assert_check(s, check, code, st) do {                              \
        const badge_check_t *c_ = find_check(s, check, code);              \
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

/* a fixture file, NUL-terminated, from the repository root */
static int
read_fixture(const char *path, size_t limit, unsigned char **body,
    size_t *len)
{
    FILE *f = fopen(path, "rb");
    long  n;

    (void) limit;
    if (f == NULL) {
        return -1;
    }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    *body = malloc((size_t) n + 1);
    *len = fread(*body, 1, (size_t) n, f);
    (*body)[*len] = '\0';
    fclose(f);
    /* the fixtures end with a newline; a pasted token would be trimmed */
    while (*len > 0 && ((*body)[*len - 1] == '\n')) {
        (*body)[--*len] = '\0';
    }
    return 0;
}

static int
has_error(badge_session_t *s, const char *code)
{
    const badge_report_error_t *e;

    for (e = s->report->errors; e != NULL; e = e->next) {
        if (strcmp(e->code, code) == 0) {
            return 1;
        }
    }
    return 0;
}

/* An OB 3.0 credential (VC 2.0) as a jansson object. */
static json_t *
make_cred(const char *issuer, const char *from, const char *until)
{
    json_t *c = json_pack("{s:[s,s], s:s, s:[s,s], s:{s:s, s:[s], s:s},"
        " s:s, s:{s:s, s:[s], s:{s:s, s:[s], s:s, s:s, s:{s:s}}}}",
        "@context", BADGE_VC2_CONTEXT,
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        "id", "urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002",
        "type", "VerifiableCredential", "OpenBadgeCredential",
        "issuer", "id", issuer, "type", "Profile", "name", "Example Univ",
        "name", "DX course",
        "credentialSubject", "id", "did:example:holder",
        "type", "AchievementSubject",
        "achievement", "id", "https://example.edu/achievements/dx",
        "type", "Achievement", "name", "DX講座修了",
        "achievementType", "Certificate", "criteria", "narrative", "pass");

    assert_non_null(c);
    if (from != NULL) {
        json_object_set_new(c, "validFrom", json_string(from));
    }
    if (until != NULL) {
        json_object_set_new(c, "validUntil", json_string(until));
    }
    return c;
}

/* VC 2.0 payload form: the credential plus agreeing claims. */
static char *
payload20(json_t *cred, int with_claims)
{
    json_t *p = json_deep_copy(cred);
    char   *s;
    time_t  t;

    if (with_claims) {
        json_object_set_new(p, "iss",
            json_string(badge_json_id(cred, "issuer")));
        json_object_set_new(p, "jti",
            json_object_get(cred, "id"));
        json_incref(json_object_get(cred, "id"));
        json_object_set_new(p, "sub", json_string("did:example:holder"));
        if (badge_vc_parse_date(badge_json_str(cred, "validFrom"), &t) == 0)
        {
            json_object_set_new(p, "nbf", json_integer(t));
        }
        if (badge_vc_parse_date(badge_json_str(cred, "validUntil"), &t)
            == 0)
        {
            json_object_set_new(p, "exp", json_integer(t));
        }
    }
    s = json_dumps(p, JSON_COMPACT);
    json_decref(p);
    return s;
}

static char *
sign20(EVP_PKEY *k, const char *alg, const char *kid, json_t *cred)
{
    char *p = payload20(cred, 1), *t, hdr[4096];

    if (kid != NULL) {
        snprintf(hdr, sizeof(hdr), "{\"alg\":\"%s\",\"typ\":\"vc+jwt\","
            "\"kid\":\"%s\"}", alg, kid);
    } else {
        snprintf(hdr, sizeof(hdr), "{\"alg\":\"%s\",\"typ\":\"vc+jwt\"}",
            alg);
    }
    t = th_jwt(k, alg, hdr, p, NULL, 0);
    free(p);
    return t;
}

static const char *
did_key_of(badge_arena_t *a, EVP_PKEY *k)
{
    badge_key_t bk;

    bk.pkey = k;
    bk.type = EVP_PKEY_get_base_id(k) == EVP_PKEY_ED25519
              ? BADGE_KEY_ED25519 : BADGE_KEY_P256;
    return badge_did_key_encode(a, &bk);
}

static void
test_eddsa_did_key(void **state)
{
    badge_arena_t   *a = badge_arena_new(0);
    EVP_PKEY        *k = th_keygen("ed25519");
    const char      *did = did_key_of(a, k);
    json_t          *cred = make_cred(did, FROM_S, NULL);
    char            *jwt = sign20(k, "EdDSA", badge_did_key_vm_id(a, did),
                                  cred);
    badge_ctx_t     *ctx = badge_ctx_new();
    badge_session_t *s;
    char             err[128];

    (void) state;
    s = verify(ctx, jwt);
    assert_verified(s, 1);
    assert_int_equal(rounds, 0);
    assert_string_equal(badge_session_field(s, BADGE_FIELD_FORMAT),
        "ob3-jwt");
    assert_string_equal(badge_session_field(s, BADGE_FIELD_STATUS),
        "verified");
    assert_string_equal(badge_session_field(s, BADGE_FIELD_ISSUER), did);
    assert_string_equal(badge_session_field(s, BADGE_FIELD_ISSUER_NAME),
        "Example Univ");
    assert_string_equal(badge_session_field(s, BADGE_FIELD_SUBJECT),
        "did:example:holder");
    assert_string_equal(badge_session_field(s, BADGE_FIELD_ACHIEVEMENT),
        "https://example.edu/achievements/dx");
    assert_string_equal(badge_session_field(s,
        BADGE_FIELD_ACHIEVEMENT_NAME), "DX講座修了");
    assert_string_equal(badge_session_field(s,
        BADGE_FIELD_ACHIEVEMENT_TYPE), "Certificate");
    assert_string_equal(badge_session_field(s, BADGE_FIELD_VALID_FROM),
        FROM_S);
    assert_null(badge_session_field(s, BADGE_FIELD_VALID_UNTIL));
    assert_string_equal(badge_session_field(s, BADGE_FIELD_CREDENTIAL_ID),
        "urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002");
    assert_check(s, "format", "vc_jwt", BADGE_PASS);
    assert_check(s, "schema", "schema_valid", BADGE_PASS);
    assert_check(s, "key", "key_issuer", BADGE_PASS);
    assert_check(s, "signature", "signature_valid", BADGE_PASS);
    assert_check(s, "claims", "claims_match", BADGE_PASS);
    assert_check(s, "validity", "valid", BADGE_PASS);
    assert_check(s, "issuer", "issuer_unknown", BADGE_WARN);
    badge_session_free(s);

    /* a trusted issuer passes; under require-trusted an unknown fails */
    assert_int_equal(badge_ctx_trust_issuer(ctx, did, err, sizeof(err)), 0);
    s = verify(ctx, jwt);
    assert_check(s, "issuer", "issuer_trusted", BADGE_PASS);
    badge_session_free(s);
    badge_ctx_free(ctx);
    ctx = badge_ctx_new();
    badge_ctx_set_option(ctx, BADGE_OPT_REQUIRE_TRUSTED, 1);
    s = verify(ctx, jwt);
    assert_check(s, "issuer", "issuer_unknown", BADGE_FAIL);
    assert_verified(s, 0);
    badge_session_free(s);

    badge_ctx_free(ctx);
    free(jwt);
    json_decref(cred);
    EVP_PKEY_free(k);
    badge_arena_free(a);
}

/* VC 1.1: a "vc" claim without issuer, id, issuanceDate and subject id,
 * which VC-JWT 1.1 carries as iss, jti, nbf and sub. */
static void
test_es256_did_jwk_vc11(void **state)
{
    badge_arena_t   *a = badge_arena_new(0);
    EVP_PKEY        *k = th_keygen("p256");
    badge_key_t      bk;
    const char      *did;
    char            *jwt, *pl, hdr[1024];
    badge_ctx_t     *ctx = badge_ctx_new();
    badge_session_t *s;
    json_t          *p;

    (void) state;
    bk.pkey = k;
    bk.type = BADGE_KEY_P256;
    did = badge_did_jwk_encode(a, &bk);
    p = json_pack("{s:s, s:s, s:s, s:i, s:i, s:{s:[s,s], s:[s,s],"
        " s:{s:[s], s:{s:s, s:[s], s:s}}}}",
        "iss", did, "jti", "urn:uuid:1", "sub", "did:example:holder",
        "nbf", FROM, "iat", FROM,
        "vc", "@context", BADGE_VC1_CONTEXT,
        "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
        "type", "VerifiableCredential", "OpenBadgeCredential",
        "credentialSubject", "type", "AchievementSubject",
        "achievement", "id", "urn:ach:1", "type", "Achievement",
        "name", "Teamwork");
    pl = json_dumps(p, JSON_COMPACT);
    snprintf(hdr, sizeof(hdr), "{\"alg\":\"ES256\",\"typ\":\"JWT\","
        "\"kid\":\"%s#0\"}", did);
    jwt = th_jwt(k, "ES256", hdr, pl, NULL, 0);
    s = verify(ctx, jwt);
    assert_verified(s, 1);
    assert_check(s, "format", "vc_jwt", BADGE_PASS);
    assert_check(s, "key", "key_issuer", BADGE_PASS);
    assert_check(s, "claims", "claims_match", BADGE_PASS);
    assert_string_equal(badge_session_field(s, BADGE_FIELD_ISSUER), did);
    assert_string_equal(badge_session_field(s, BADGE_FIELD_CREDENTIAL_ID),
        "urn:uuid:1");
    assert_string_equal(badge_session_field(s, BADGE_FIELD_SUBJECT),
        "did:example:holder");
    assert_string_equal(badge_session_field(s, BADGE_FIELD_VALID_FROM),
        FROM_S);
    badge_session_free(s);
    /* before nbf (past the skew): not yet valid */
    s = verify_opts(ctx, jwt, FROM - 400, NULL);
    assert_check(s, "validity", "not_yet_valid", BADGE_FAIL);
    assert_verified(s, 0);
    badge_session_free(s);
    /* within the clock skew (300 s): valid */
    s = verify_opts(ctx, jwt, FROM - 200, NULL);
    assert_verified(s, 1);
    badge_session_free(s);
    free(jwt);
    free(pl);
    json_decref(p);
    badge_ctx_free(ctx);
    EVP_PKEY_free(k);
    badge_arena_free(a);
}

/* RS256 and PS256 with a key the operator configured for the issuer. */
static void
test_rsa_trusted_key(void **state)
{
    const char      *issuer = "https://example.edu/issuers/565049";
    EVP_PKEY        *k = th_keygen("rsa2048"), *other = th_keygen("rsa2048");
    char            *pem = th_pem(k, 0), *jwt, err[128];
    json_t          *cred = make_cred(issuer, FROM_S, UNTIL_S);
    badge_ctx_t     *ctx = badge_ctx_new();
    badge_session_t *s;

    (void) state;
    assert_int_equal(badge_ctx_add_key(ctx, issuer, NULL, pem, strlen(pem),
        err, sizeof(err)), 0);
    jwt = sign20(k, "RS256", NULL, cred);
    s = verify(ctx, jwt);
    assert_verified(s, 1);
    assert_check(s, "key", "key_trusted", BADGE_PASS);
    assert_check(s, "issuer", "issuer_trusted", BADGE_PASS);
    assert_check(s, "validity", "valid", BADGE_PASS);
    badge_session_free(s);
    free(jwt);
    jwt = sign20(k, "PS256", "https://example.edu/issuers/565049#key-1",
        cred);
    s = verify(ctx, jwt);
    assert_verified(s, 1);
    badge_session_free(s);
    free(jwt);
    /* another RSA key signing for the same issuer: the trusted key wins
     * even though the token names (and embeds) its own */
    {
        char *jwk = th_jwk(other), hdr[4096], *p = payload20(cred, 1);

        snprintf(hdr, sizeof(hdr), "{\"alg\":\"RS256\",\"jwk\":%s}", jwk);
        jwt = th_jwt(other, "RS256", hdr, p, NULL, 0);
        s = verify(ctx, jwt);
        assert_check(s, "signature", "signature_invalid", BADGE_FAIL);
        assert_verified(s, 0);
        badge_session_free(s);
        free(jwt);
        free(jwk);
        free(p);
    }
    /* HS256 keyed with the trusted public key's PEM */
    {
        char *p = payload20(cred, 1);

        jwt = th_jwt(NULL, "HS256", "{\"alg\":\"HS256\"}", p, pem,
            strlen(pem));
        s = verify(ctx, jwt);
        assert_check(s, "signature", "alg_forbidden", BADGE_FAIL);
        assert_verified(s, 0);
        badge_session_free(s);
        free(jwt);
        /* ES256 claimed for the RSA key (signed with a P-256 key) */
        {
            EVP_PKEY *ec = th_keygen("p256");

            jwt = th_jwt(ec, "ES256", "{\"alg\":\"ES256\"}", p, NULL, 0);
            s = verify(ctx, jwt);
            assert_check(s, "signature", "alg_key_mismatch", BADGE_FAIL);
            assert_verified(s, 0);
            badge_session_free(s);
            free(jwt);
            EVP_PKEY_free(ec);
        }
        free(p);
    }
    badge_ctx_free(ctx);
    json_decref(cred);
    free(pem);
    EVP_PKEY_free(k);
    EVP_PKEY_free(other);
}

static char *
did_doc(EVP_PKEY *k, const char *rel)
{
    char *jwk = th_jwk(k), *d = malloc(4096);

    snprintf(d, 4096, "{\"@context\":[\"https://www.w3.org/ns/did/v1\"],"
        "\"id\":\"did:web:issuer.example\",\"verificationMethod\":[{"
        "\"id\":\"did:web:issuer.example#key-1\",\"type\":\"JsonWebKey2020\","
        "\"controller\":\"did:web:issuer.example\",\"publicKeyJwk\":%s}],"
        "\"%s\":[\"#key-1\"]}", jwk, rel);
    free(jwk);
    return d;
}

static void
test_did_web(void **state)
{
    EVP_PKEY        *k = th_keygen("p256");
    json_t          *cred = make_cred("did:web:issuer.example", FROM_S, NULL);
    char            *jwt = sign20(k, "ES256", "did:web:issuer.example#key-1",
                                  cred);
    char            *doc = did_doc(k, "assertionMethod");
    badge_ctx_t     *ctx = badge_ctx_new();
    badge_session_t *s;

    (void) state;
    doc_url = "https://issuer.example/.well-known/did.json";
    doc_body = doc;
    doc_status = 200;
    s = verify(ctx, jwt);
    assert_int_equal(rounds, 1);
    assert_verified(s, 1);
    assert_check(s, "key", "key_issuer", BADGE_PASS);
    badge_session_free(s);

    /* listed for authentication only: not for signing credentials */
    free(doc);
    doc = did_doc(k, "authentication");
    doc_body = doc;
    s = verify(ctx, jwt);
    assert_check(s, "key", "did_method_not_authorized", BADGE_FAIL);
    assert_verified(s, 0);
    badge_session_free(s);

    /* the document cannot be had: unchecked, not failed, no input error */
    doc_status = 0;
    s = verify(ctx, jwt);
    assert_check(s, "key", "fetch_failed", BADGE_UNCHECKED);
    assert_check(s, "signature", "key_missing", BADGE_UNCHECKED);
    assert_verified(s, 0);
    assert_null(s->report->errors);
    badge_session_free(s);
    doc_status = 200;

    /* the kid's DID is not the issuer's */
    free(jwt);
    json_decref(cred);
    cred = make_cred("did:web:other.example", FROM_S, NULL);
    jwt = sign20(k, "ES256", "did:web:issuer.example#key-1", cred);
    free(doc);
    doc = did_doc(k, "assertionMethod");
    doc_body = doc;
    s = verify(ctx, jwt);
    assert_check(s, "key", "key_not_issuer", BADGE_FAIL);
    assert_check(s, "signature", "signature_valid", BADGE_PASS);
    assert_verified(s, 0);
    assert_int_equal(s->report->authenticated, 0);
    badge_session_free(s);
    doc_url = NULL;

    badge_ctx_free(ctx);
    free(doc);
    free(jwt);
    json_decref(cred);
    EVP_PKEY_free(k);
}

/* Replace the payload, keep header and signature. */
static char *
swap_payload(const char *jwt, const char *payload)
{
    const char *d1 = strchr(jwt, '.'), *d2 = strrchr(jwt, '.');
    char       *p = th_b64url(payload, strlen(payload));
    char       *out = malloc(strlen(jwt) + strlen(p) + 2);

    sprintf(out, "%.*s.%s%s", (int) (d1 - jwt), jwt, p, d2);
    free(p);
    return out;
}

static void
test_tampered_and_broken(void **state)
{
    badge_arena_t   *a = badge_arena_new(0);
    EVP_PKEY        *k = th_keygen("ed25519");
    const char      *did = did_key_of(a, k);
    json_t          *cred = make_cred(did, FROM_S, NULL);
    char            *jwt = sign20(k, "EdDSA", badge_did_key_vm_id(a, did),
                                  cred);
    char            *bad, *p;
    badge_ctx_t     *ctx = badge_ctx_new();
    badge_session_t *s;
    size_t           n;

    (void) state;
    /* another achievement name, same signature */
    json_object_set_new(json_object_get(json_object_get(cred,
        "credentialSubject"), "achievement"), "name", json_string("PhD"));
    p = payload20(cred, 1);
    bad = swap_payload(jwt, p);
    s = verify(ctx, bad);
    assert_check(s, "signature", "signature_invalid", BADGE_FAIL);
    assert_verified(s, 0);
    assert_string_equal(badge_session_field(s, BADGE_FIELD_STATUS),
        "not_verified");
    /* nothing is presented as reassurance */
    assert_check(s, "claims", "not_authenticated", BADGE_UNCHECKED);
    assert_check(s, "validity", "not_authenticated", BADGE_UNCHECKED);
    assert_check(s, "issuer", "issuer_unauthenticated", BADGE_UNCHECKED);
    badge_session_free(s);
    free(bad);
    free(p);

    /* truncated signature: 86 characters cut to 84 (63 bytes, still
     * canonical base64url) */
    n = strlen(jwt);
    assert_int_equal(n - (size_t) (strrchr(jwt, '.') - jwt) - 1, 86);
    bad = strndup(jwt, n - 2);
    s = verify(ctx, bad);
    assert_check(s, "signature", "signature_invalid", BADGE_FAIL);
    assert_verified(s, 0);
    badge_session_free(s);
    free(bad);
    /* truncated by one character: not canonical base64url */
    bad = strndup(jwt, n - 1);
    s = verify(ctx, bad);
    assert_verified(s, 0);
    badge_session_free(s);
    free(bad);
    /* no signature at all */
    bad = strndup(jwt, (size_t) (strrchr(jwt, '.') - jwt + 1));
    s = verify(ctx, bad);
    assert_check(s, "signature", "signature_invalid", BADGE_FAIL);
    badge_session_free(s);
    free(bad);
    /* cut before the signature: not a JWS any more: input error */
    bad = strndup(jwt, (size_t) (strrchr(jwt, '.') - jwt));
    s = verify(ctx, bad);
    assert_non_null(s->report->errors);
    assert_verified(s, 0);
    badge_session_free(s);
    free(bad);
    /* padding and a stray character: input errors */
    bad = malloc(n + 4);
    sprintf(bad, "%.*s=%s", (int) (strrchr(jwt, '.') - jwt), jwt,
        strrchr(jwt, '.'));
    s = verify(ctx, bad);
    assert_true(has_error(s, "jws_base64") || has_error(s,
        "input_unrecognized"));
    assert_verified(s, 0);
    badge_session_free(s);
    free(bad);
    /* the payload is not JSON */
    bad = swap_payload(jwt, "not json");
    s = verify(ctx, bad);
    assert_true(has_error(s, "jwt_payload_invalid"));
    badge_session_free(s);
    free(bad);
    /* JSON with a duplicate member */
    bad = swap_payload(jwt, "{\"iss\":\"a\",\"iss\":\"b\"}");
    s = verify(ctx, bad);
    assert_true(has_error(s, "jwt_payload_invalid"));
    badge_session_free(s);
    free(bad);
    /* not a credential */
    bad = swap_payload(jwt, "{\"iss\":\"a\"}");
    s = verify(ctx, bad);
    assert_true(has_error(s, "jwt_not_credential"));
    badge_session_free(s);
    free(bad);

    badge_ctx_free(ctx);
    free(jwt);
    json_decref(cred);
    EVP_PKEY_free(k);
    badge_arena_free(a);
}

static void
test_alg_none_and_crit(void **state)
{
    badge_arena_t   *a = badge_arena_new(0);
    EVP_PKEY        *k = th_keygen("ed25519");
    const char      *did = did_key_of(a, k);
    json_t          *cred = make_cred(did, FROM_S, NULL);
    char            *p = payload20(cred, 1), *jwt, hdr[512];
    badge_ctx_t     *ctx = badge_ctx_new();
    badge_session_t *s;

    (void) state;
    snprintf(hdr, sizeof(hdr), "{\"alg\":\"none\",\"kid\":\"%s\"}",
        badge_did_key_vm_id(a, did));
    jwt = th_jwt(NULL, "none", hdr, p, NULL, 0);
    s = verify(ctx, jwt);
    assert_check(s, "signature", "alg_none", BADGE_FAIL);
    assert_verified(s, 0);
    badge_session_free(s);
    free(jwt);
    /* a valid signature, but an extension marked critical */
    snprintf(hdr, sizeof(hdr), "{\"alg\":\"EdDSA\",\"kid\":\"%s\","
        "\"crit\":[\"exp\"],\"exp\":1}", badge_did_key_vm_id(a, did));
    jwt = th_jwt(k, "EdDSA", hdr, p, NULL, 0);
    s = verify(ctx, jwt);
    assert_check(s, "signature", "crit_unsupported", BADGE_FAIL);
    assert_verified(s, 0);
    badge_session_free(s);
    free(jwt);
    /* an unexpected typ is only a warning */
    snprintf(hdr, sizeof(hdr), "{\"alg\":\"EdDSA\",\"kid\":\"%s\","
        "\"typ\":\"at+jwt\"}", badge_did_key_vm_id(a, did));
    jwt = th_jwt(k, "EdDSA", hdr, p, NULL, 0);
    s = verify(ctx, jwt);
    assert_check(s, "format", "typ_unexpected", BADGE_WARN);
    assert_verified(s, 1);
    badge_session_free(s);
    free(jwt);
    badge_ctx_free(ctx);
    free(p);
    json_decref(cred);
    EVP_PKEY_free(k);
    badge_arena_free(a);
}

static void
test_validity(void **state)
{
    badge_arena_t   *a = badge_arena_new(0);
    EVP_PKEY        *k = th_keygen("ed25519");
    const char      *did = did_key_of(a, k);
    const char      *kid = badge_did_key_vm_id(a, did);
    json_t          *cred = make_cred(did, FROM_S, UNTIL_S);
    char            *jwt = sign20(k, "EdDSA", kid, cred);
    badge_ctx_t     *ctx = badge_ctx_new();
    badge_session_t *s;

    (void) state;
    s = verify(ctx, jwt);
    assert_verified(s, 1);
    assert_string_equal(badge_session_field(s, BADGE_FIELD_VALID_UNTIL),
        UNTIL_S);
    badge_session_free(s);
    /* after validUntil/exp */
    s = verify_opts(ctx, jwt, UNTIL + 1000, NULL);
    assert_check(s, "validity", "expired", BADGE_FAIL);
    assert_verified(s, 0);
    assert_int_equal(s->report->expired, 1);
    assert_string_equal(badge_session_field(s, BADGE_FIELD_STATUS),
        "expired");
    badge_session_free(s);
    /* within the skew of the end */
    s = verify_opts(ctx, jwt, UNTIL - 100, NULL);
    assert_verified(s, 1);
    badge_session_free(s);
    free(jwt);
    /* valid from the future */
    json_decref(cred);
    cred = make_cred(did, "2040-01-01T00:00:00Z", NULL);
    jwt = sign20(k, "EdDSA", kid, cred);
    s = verify(ctx, jwt);
    assert_check(s, "validity", "not_yet_valid", BADGE_FAIL);
    assert_verified(s, 0);
    badge_session_free(s);
    free(jwt);
    /* exp earlier than validUntil: disagreement and expiry by exp */
    {
        char *p, hdr[512];
        json_t *pl;

        json_decref(cred);
        cred = make_cred(did, FROM_S, UNTIL_S);
        p = payload20(cred, 1);
        pl = json_loads(p, 0, NULL);
        json_object_set_new(pl, "exp", json_integer(NOW - 1000));
        free(p);
        p = json_dumps(pl, JSON_COMPACT);
        snprintf(hdr, sizeof(hdr), "{\"alg\":\"EdDSA\",\"kid\":\"%s\"}",
            kid);
        jwt = th_jwt(k, "EdDSA", hdr, p, NULL, 0);
        s = verify(ctx, jwt);
        assert_check(s, "claims", "claim_exp_mismatch", BADGE_FAIL);
        assert_check(s, "validity", "expired", BADGE_FAIL);
        badge_session_free(s);
        free(jwt);
        free(p);
        json_decref(pl);
    }
    /* a date that is not a date */
    json_decref(cred);
    cred = make_cred(did, "2024-13-01T00:00:00Z", NULL);
    jwt = sign20(k, "EdDSA", kid, cred);
    s = verify(ctx, jwt);
    assert_check(s, "schema", "date_invalid", BADGE_FAIL);
    assert_verified(s, 0);
    badge_session_free(s);
    free(jwt);
    badge_ctx_free(ctx);
    json_decref(cred);
    EVP_PKEY_free(k);
    badge_arena_free(a);
}

/* Claims that disagree with the credential. */
static void
test_claims(void **state)
{
    static const struct {
        const char *claim;
        const char *value;      /* JSON */
        const char *code;
    } cases[] = {
        { "iss", "\"did:example:mallory\"", "claim_iss_mismatch" },
        { "jti", "\"urn:uuid:other\"", "claim_jti_mismatch" },
        { "sub", "\"did:example:mallory\"", "claim_sub_mismatch" },
        { "nbf", "1600000000", "claim_nbf_mismatch" },
        { "nbf", "\"2024-01-01\"", "claim_invalid" },
        { "exp", "-5", "claim_invalid" },
        { "iss", "5", "claim_invalid" },
    };
    badge_arena_t   *a = badge_arena_new(0);
    EVP_PKEY        *k = th_keygen("ed25519");
    const char      *did = did_key_of(a, k);
    const char      *kid = badge_did_key_vm_id(a, did);
    json_t          *cred = make_cred(did, FROM_S, NULL), *pl;
    char            *p, *jwt, hdr[512];
    badge_ctx_t     *ctx = badge_ctx_new();
    badge_session_t *s;
    size_t           i;

    (void) state;
    snprintf(hdr, sizeof(hdr), "{\"alg\":\"EdDSA\",\"kid\":\"%s\"}", kid);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        p = payload20(cred, 1);
        pl = json_loads(p, 0, NULL);
        json_object_set_new(pl, cases[i].claim,
            json_loads(cases[i].value, JSON_DECODE_ANY, NULL));
        free(p);
        p = json_dumps(pl, JSON_COMPACT);
        jwt = th_jwt(k, "EdDSA", hdr, p, NULL, 0);
        s = verify(ctx, jwt);
        assert_check(s, "claims", cases[i].code, BADGE_FAIL);
        assert_verified(s, 0);
        badge_session_free(s);
        free(jwt);
        free(p);
        json_decref(pl);
    }
    /* no sub (as in 1EdTech's samples): a warning */
    p = payload20(cred, 1);
    pl = json_loads(p, 0, NULL);
    json_object_del(pl, "sub");
    free(p);
    p = json_dumps(pl, JSON_COMPACT);
    jwt = th_jwt(k, "EdDSA", hdr, p, NULL, 0);
    s = verify(ctx, jwt);
    assert_check(s, "claims", "claim_sub_missing", BADGE_WARN);
    assert_verified(s, 1);
    badge_session_free(s);
    free(jwt);
    free(p);
    json_decref(pl);
    /* VC 2.0 form without any claims: fine */
    p = payload20(cred, 0);
    pl = json_loads(p, 0, NULL);
    json_object_del(json_object_get(pl, "credentialSubject"), "id");
    free(p);
    p = json_dumps(pl, JSON_COMPACT);
    jwt = th_jwt(k, "EdDSA", hdr, p, NULL, 0);
    s = verify(ctx, jwt);
    assert_check(s, "claims", "claims_match", BADGE_PASS);
    assert_verified(s, 1);
    badge_session_free(s);
    free(jwt);
    free(p);
    json_decref(pl);
    badge_ctx_free(ctx);
    json_decref(cred);
    EVP_PKEY_free(k);
    badge_arena_free(a);
}

static void
test_embedded_jwk(void **state)
{
    const char      *issuer = "https://example.edu/issuers/565049";
    EVP_PKEY        *k = th_keygen("rsa2048");
    char            *jwk = th_jwk(k), *p, *jwt, hdr[4096], err[128];
    json_t          *cred = make_cred(issuer, FROM_S, NULL);
    badge_ctx_t     *ctx = badge_ctx_new();
    badge_session_t *s;

    (void) state;
    p = payload20(cred, 1);
    snprintf(hdr, sizeof(hdr), "{\"alg\":\"RS256\",\"jwk\":%s}", jwk);
    jwt = th_jwt(k, "RS256", hdr, p, NULL, 0);
    s = verify(ctx, jwt);
    assert_check(s, "key", "key_embedded", BADGE_WARN);
    assert_check(s, "signature", "signature_valid", BADGE_PASS);
    assert_verified(s, 1);
    badge_session_free(s);
    /* a trusted issuer name on a self-made key is not trust */
    assert_int_equal(badge_ctx_trust_issuer(ctx, issuer, err, sizeof(err)),
        0);
    s = verify(ctx, jwt);
    assert_check(s, "issuer", "issuer_key_unbound", BADGE_WARN);
    badge_session_free(s);
    badge_ctx_set_option(ctx, BADGE_OPT_REQUIRE_TRUSTED, 1);
    s = verify(ctx, jwt);
    assert_check(s, "issuer", "issuer_key_unbound", BADGE_FAIL);
    assert_verified(s, 0);
    badge_session_free(s);
    free(jwt);
    /* the jwk's own alg must agree */
    {
        char jwk2[2048];

        snprintf(jwk2, sizeof(jwk2), "%.*s,\"alg\":\"PS256\"}",
            (int) strlen(jwk) - 1, jwk);
        snprintf(hdr, sizeof(hdr), "{\"alg\":\"RS256\",\"jwk\":%s}", jwk2);
        jwt = th_jwt(k, "RS256", hdr, p, NULL, 0);
        s = verify(ctx, jwt);
        assert_check(s, "key", "alg_key_mismatch", BADGE_FAIL);
        assert_verified(s, 0);
        badge_session_free(s);
        free(jwt);
    }
    /* an unresolvable kid falls back to the embedded key */
    badge_ctx_free(ctx);
    ctx = badge_ctx_new();
    snprintf(hdr, sizeof(hdr), "{\"alg\":\"RS256\",\"kid\":\"did:example:1"
        "#k\",\"jwk\":%s}", jwk);
    jwt = th_jwt(k, "RS256", hdr, p, NULL, 0);
    s = verify(ctx, jwt);
    assert_check(s, "key", "key_embedded", BADGE_WARN);
    assert_verified(s, 1);
    badge_session_free(s);
    free(jwt);
    /* a kid that cannot be resolved, nothing embedded */
    jwt = th_jwt(k, "RS256", "{\"alg\":\"RS256\",\"kid\":\"did:example:1#k\"}",
        p, NULL, 0);
    s = verify(ctx, jwt);
    assert_check(s, "key", "did_method_unsupported", BADGE_UNCHECKED);
    assert_check(s, "signature", "key_missing", BADGE_UNCHECKED);
    assert_verified(s, 0);
    badge_session_free(s);
    free(jwt);
    badge_ctx_free(ctx);
    free(p);
    free(jwk);
    json_decref(cred);
    EVP_PKEY_free(k);
}

static void
test_kid_not_issuer(void **state)
{
    badge_arena_t   *a = badge_arena_new(0);
    EVP_PKEY        *k = th_keygen("ed25519"), *k2 = th_keygen("ed25519");
    const char      *did = did_key_of(a, k), *did2 = did_key_of(a, k2);
    json_t          *cred = make_cred(did, FROM_S, NULL);
    char            *jwt;
    badge_ctx_t     *ctx = badge_ctx_new();
    badge_session_t *s;

    (void) state;
    /* signed by k2 under its own did:key, claiming k's DID as issuer */
    jwt = sign20(k2, "EdDSA", badge_did_key_vm_id(a, did2), cred);
    s = verify(ctx, jwt);
    assert_check(s, "key", "key_not_issuer", BADGE_FAIL);
    assert_verified(s, 0);
    badge_session_free(s);
    free(jwt);
    /* k's did:key as kid, but signed by k2 */
    jwt = sign20(k2, "EdDSA", badge_did_key_vm_id(a, did), cred);
    s = verify(ctx, jwt);
    assert_check(s, "signature", "signature_invalid", BADGE_FAIL);
    badge_session_free(s);
    free(jwt);
    badge_ctx_free(ctx);
    json_decref(cred);
    EVP_PKEY_free(k);
    EVP_PKEY_free(k2);
    badge_arena_free(a);
}

static void
test_schema_and_status(void **state)
{
    badge_arena_t   *a = badge_arena_new(0);
    EVP_PKEY        *k = th_keygen("ed25519");
    const char      *did = did_key_of(a, k);
    const char      *kid = badge_did_key_vm_id(a, did);
    json_t          *cred;
    char            *jwt;
    badge_ctx_t     *ctx = badge_ctx_new();
    badge_session_t *s;

    (void) state;
    cred = make_cred(did, FROM_S, NULL);
    json_array_set_new(json_object_get(cred, "@context"), 0,
        json_string("https://example.org/context"));
    jwt = sign20(k, "EdDSA", kid, cred);
    s = verify(ctx, jwt);
    assert_check(s, "schema", "context_invalid", BADGE_FAIL);
    assert_verified(s, 0);
    badge_session_free(s);
    free(jwt);
    json_decref(cred);

    cred = make_cred(did, FROM_S, NULL);
    json_object_set_new(cred, "type", json_string("OpenBadgeCredential"));
    jwt = sign20(k, "EdDSA", kid, cred);
    s = verify(ctx, jwt);
    assert_check(s, "schema", "type_invalid", BADGE_FAIL);
    badge_session_free(s);
    free(jwt);
    json_decref(cred);

    cred = make_cred(did, FROM_S, NULL);
    json_object_del(cred, "credentialSubject");
    jwt = sign20(k, "EdDSA", kid, cred);
    s = verify(ctx, jwt);
    assert_check(s, "schema", "subject_missing", BADGE_FAIL);
    badge_session_free(s);
    free(jwt);
    json_decref(cred);

    /* a malformed status entry fails; an unknown status type is
     * unchecked, never "not revoked" */
    cred = make_cred(did, FROM_S, NULL);
    json_object_set_new(cred, "credentialStatus", json_pack("{s:s, s:s}",
        "id", "https://example.edu/status/1#5", "type",
        "BitstringStatusListEntry"));
    jwt = sign20(k, "EdDSA", kid, cred);
    s = verify(ctx, jwt);
    assert_check(s, "status", "status_entry_invalid", BADGE_FAIL);
    assert_verified(s, 0);
    badge_session_free(s);
    free(jwt);
    json_decref(cred);
    cred = make_cred(did, FROM_S, NULL);
    json_object_set_new(cred, "credentialStatus", json_pack("{s:s, s:s}",
        "id", "https://example.edu/status/1#5", "type",
        "ExampleUnknownStatusEntry"));
    jwt = sign20(k, "EdDSA", kid, cred);
    s = verify(ctx, jwt);
    assert_check(s, "status", NULL, BADGE_UNCHECKED);
    assert_verified(s, 1);
    badge_session_free(s);
    /* recipient */
    s = verify_opts(ctx, jwt, NOW, "did:example:holder");
    assert_check(s, "recipient", "recipient_match", BADGE_PASS);
    badge_session_free(s);
    s = verify_opts(ctx, jwt, NOW, "did:example:someone-else");
    assert_check(s, "recipient", "recipient_mismatch", BADGE_FAIL);
    assert_verified(s, 0);
    badge_session_free(s);
    free(jwt);
    json_decref(cred);

    /* not a VC: an Open Badges 2.0 payload is handed over or reported */
    {
        badge_session_t *s2 = badge_session_new(ctx, NULL);
        badge_report_t  *r = badge_report_new(s2->arena, "en");

        jwt = th_jwt(k, "EdDSA", "{\"alg\":\"EdDSA\"}",
            "{\"@context\":\"https://w3id.org/openbadges/v2\","
            "\"type\":\"Assertion\",\"badge\":\"https://x/b\","
            "\"recipient\":{\"identity\":\"a@b\"}}", NULL, 0);
        /* an OB 2.0 context is not a VC: the pipeline hands it to ob2;
         * vcjwt alone reports it */
        badge_vcjwt_verify(s2, r, jwt, strlen(jwt));
        assert_non_null(r->errors);
        assert_string_equal(r->errors->code, "ob2_signed_unsupported");
        free(jwt);
        jwt = th_jwt(k, "EdDSA", "{\"alg\":\"EdDSA\"}",
            "{\"badge\":\"https://x/b\",\"recipient\":{\"identity\":"
            "\"a@b\"}}", NULL, 0);
        r = badge_report_new(s2->arena, "en");
        badge_vcjwt_verify(s2, r, jwt, strlen(jwt));
        assert_non_null(r->errors);
        assert_string_equal(r->errors->code, "ob2_signed_unsupported");
        free(jwt);
        badge_session_free(s2);
    }
    badge_ctx_free(ctx);
    EVP_PKEY_free(k);
    badge_arena_free(a);
}

/* 1EdTech's own samples (t/vectors/jwt, Apache-2.0). */
static void
test_1edtech_samples(void **state)
{
    badge_ctx_t     *ctx = badge_ctx_new();
    badge_session_t *s;
    unsigned char   *body;
    size_t           len;

    (void) state;
    assert_int_equal(read_fixture("t/vectors/jwt/1edtech-simple-jwt.jwt",
        1 << 20, &body, &len), 0);
    s = verify(ctx, (char *) body);
    assert_verified(s, 1);
    assert_check(s, "key", "key_embedded", BADGE_WARN);
    assert_check(s, "claims", "claim_sub_missing", BADGE_WARN);
    assert_string_equal(badge_session_field(s, BADGE_FIELD_ACHIEVEMENT_NAME),
        "Teamwork");
    badge_session_free(s);
    free(body);
    assert_int_equal(read_fixture(
        "t/vectors/jwt/1edtech-simple-jwt_v1.jwt", 1 << 20, &body, &len), 0);
    s = verify(ctx, (char *) body);
    assert_verified(s, 1);
    badge_session_free(s);
    free(body);
    /* no key anywhere: cannot be checked */
    assert_int_equal(read_fixture("t/vectors/jwt/1edtech-simple.jwt",
        1 << 20, &body, &len), 0);
    s = verify(ctx, (char *) body);
    assert_verified(s, 0);
    assert_check(s, "key", "key_not_found", BADGE_UNCHECKED);
    badge_session_free(s);
    free(body);
    /* a DID method we do not resolve: unchecked, never "pass" */
    assert_int_equal(read_fixture("t/vectors/jwt/1edtech-velocity.jwt",
        1 << 20, &body, &len), 0);
    s = verify(ctx, (char *) body);
    assert_verified(s, 0);
    assert_check(s, "key", "did_method_unsupported", BADGE_UNCHECKED);
    assert_check(s, "signature", "key_missing", BADGE_UNCHECKED);
    assert_null(s->report->errors);
    badge_session_free(s);
    free(body);
    badge_ctx_free(ctx);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eddsa_did_key),
        cmocka_unit_test(test_es256_did_jwk_vc11),
        cmocka_unit_test(test_rsa_trusted_key),
        cmocka_unit_test(test_did_web),
        cmocka_unit_test(test_tampered_and_broken),
        cmocka_unit_test(test_alg_none_and_crit),
        cmocka_unit_test(test_validity),
        cmocka_unit_test(test_claims),
        cmocka_unit_test(test_embedded_jwk),
        cmocka_unit_test(test_kid_not_issuer),
        cmocka_unit_test(test_schema_and_status),
        cmocka_unit_test(test_1edtech_samples),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
