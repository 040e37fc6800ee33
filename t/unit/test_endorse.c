/*
 * Unit tests of Open Badges 3.0 endorsements (endorse.c), of what is
 * present but not acted on (credentialSchema, refreshService: vc.c), and
 * of Verifiable Presentations (ldp.c: holder proof purpose, challenge,
 * domain, the credentials inside).  Everything is signed in the test with
 * fresh keys and verified through the public session API.
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
#include "endorse.h"
#include "json.h"
#include "multibase.h"
#include "proof_di.h"
#include "report.h"
#include "session.h"
#include "sign_di.h"

#include "jose_helpers.h"

#define NOW       1735689600          /* 2025-01-01T00:00:00Z */
#define SIGNED_AT 1704067200          /* 2024-01-01T00:00:00Z */

#define CRED_ID   "urn:uuid:3f1e5b0a-6d58-4f5c-9e85-1a2b3c4d5e6f"
#define ACH_ID    "https://issuer.example/achievements/dx"
#define ENDORSER_WEB  "did:web:endorser.example"
#define ENDORSER_URL  "https://endorser.example/.well-known/did.json"

/* ------------------------------------------------------------------ */
/* helpers                                                              */

/* documents the "host" hands over when asked: url -> body */
static const char *docs[4][2];
static int         n_asked;     /* URLs asked for, over all rounds */

typedef struct {
    badge_arena_t *a;
    badge_key_t   *k;
    char          *did;
    char          *vm;
} party_t;

static void
party(party_t *p)
{
    memset(p, 0, sizeof(*p));
    p->a = badge_arena_new(0);
    p->k = calloc(1, sizeof(*p->k));
    assert_non_null(p->k);
    p->k->type = BADGE_KEY_ED25519;
    p->k->pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    assert_non_null(p->k->pkey);
    p->did = badge_did_key_encode(p->a, p->k);
    p->vm = badge_did_key_vm_id(p->a, p->did);
    assert_non_null(p->vm);
}

static void
party_free(party_t *p)
{
    badge_key_free(p->k);
    badge_arena_free(p->a);
}

static json_t *
credential(const char *issuer)
{
    json_t *c;

    c = json_pack("{s:[s,s], s:s, s:[s,s], s:{s:s, s:[s], s:s}, s:s, s:s,"
        " s:{s:s, s:[s], s:{s:s, s:[s], s:s, s:s, s:{s:s}}}}",
        "@context", "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        "id", CRED_ID,
        "type", "VerifiableCredential", "OpenBadgeCredential",
        "issuer", "id", issuer, "type", "Profile", "name", "大学",
        "validFrom", "2024-01-01T00:00:00Z",
        "name", "DX講座修了",
        "credentialSubject", "id", "did:example:learner",
        "type", "AchievementSubject",
        "achievement", "id", ACH_ID,
        "type", "Achievement", "name", "DX講座",
        "description", "Data literacy",
        "criteria", "narrative", "修了した");
    assert_non_null(c);
    return c;
}

/* An EndorsementCredential of `about` by `issuer`. */
static json_t *
endorsement(const char *issuer, const char *about, const char *comment)
{
    json_t *c;

    c = json_pack("{s:[s,s], s:s, s:[s,s], s:{s:s, s:[s], s:s}, s:s, s:s,"
        " s:{s:s, s:[s], s:s}}",
        "@context", "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        "id", "urn:uuid:6a3c1e0e-1b8f-4e1a-9d4a-0c6f1f5e2b7d",
        "type", "VerifiableCredential", "EndorsementCredential",
        "issuer", "id", issuer, "type", "Profile", "name", "Endorser",
        "validFrom", "2024-01-01T00:00:00Z",
        "name", "Endorsement",
        "credentialSubject", "id", about, "type", "EndorsementSubject",
        "endorsementComment", comment);
    assert_non_null(c);
    return c;
}

static json_t *
sign_full(const json_t *doc, const badge_key_t *k, badge_di_suite_t suite,
    const char *vm, const char *purpose, const char *challenge,
    const char *domain)
{
    badge_di_sign_opts_t  o;
    badge_arena_t        *a = badge_arena_new(0);
    badge_err_t           err;
    json_t               *out;

    memset(&o, 0, sizeof(o));
    o.suite = suite;
    o.verification_method = vm;
    o.purpose = purpose;
    o.created = SIGNED_AT;
    o.challenge = challenge;
    o.domain = domain;
    badge_err_clear(&err);
    out = badge_di_sign(a, doc, k, &o, &err);
    if (out == NULL) {
        fail_msg("signing failed: %s", err.message);
    }
    badge_arena_free(a);
    return out;
}

static json_t *
sign_as(const json_t *doc, const party_t *p, badge_di_suite_t suite)
{
    return sign_full(doc, p->k, suite, p->vm, NULL, NULL, NULL);
}

/* A VC-JWT (VC 2.0 payload form) of cred, signed by p. */
static char *
sign_jwt(const json_t *cred, const party_t *p)
{
    json_t *pl = json_deep_copy(cred);
    char   *payload, *jwt, hdr[512];

    json_object_set_new(pl, "iss", json_string(p->did));
    json_object_set_new(pl, "nbf", json_integer(SIGNED_AT));
    payload = json_dumps(pl, JSON_COMPACT);
    snprintf(hdr, sizeof(hdr), "{\"alg\":\"EdDSA\",\"typ\":\"vc+jwt\","
        "\"kid\":\"%s\"}", p->vm);
    jwt = th_jwt(p->k->pkey, "EdDSA", hdr, payload, NULL, 0);
    assert_non_null(jwt);
    free(payload);
    json_decref(pl);
    return jwt;
}

static badge_session_t *
verify_opts(badge_ctx_t *ctx, const json_t *doc, const char *challenge,
    const char *domain, const char *recipient, int *rounds)
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
    o.domain = domain;
    o.recipient = recipient;
    s = badge_session_new(ctx, &o);
    assert_non_null(s);
    text = json_dumps(doc, JSON_COMPACT);
    assert_non_null(text);
    assert_int_equal(badge_session_set_input(s, text, strlen(text)), 0);
    free(text);
    n_asked = 0;
    while ((st = badge_session_run(s)) == BADGE_NEED_DOCUMENTS) {
        r++;
        n = badge_session_needed(s, &urls);
        n_asked += (int) n;
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

static badge_session_t *
verify_doc(badge_ctx_t *ctx, const json_t *doc)
{
    return verify_opts(ctx, doc, NULL, NULL, NULL, NULL);
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

static void
assert_check_in(badge_session_t *s, const badge_report_t *r,
    const char *check, const char *code, badge_check_status_t st)
{
    const badge_check_t *c = find_check(r, check, code);

    if (c == NULL) {
        fail_msg("no %s/%s check in:\n%s", check, code,
            badge_session_report_text(s, NULL));
    }
    if (c->status != st) {
        fail_msg("%s/%s is %s:\n%s", check, code,
            badge_check_status_name(c->status),
            badge_session_report_text(s, NULL));
    }
}

#define assert_check(s, check, code, st) \
    assert_check_in((s), (s)->report, (check), (code), (st))

#define assert_verified(s, v) do {                                         \
        if (badge_session_verified(s) != (v)) {                            \
            fail_msg("expected %s:\n%s", (v) ? "verified" : "not verified",\
                badge_session_report_text(s, NULL));                       \
        }                                                                  \
    } while (0)

/* The i-th child report of role, or NULL. */
static const badge_report_t *
child(const badge_report_t *r, const char *role, int i)
{
    const badge_report_child_t *ch;

    for (ch = r->children; ch != NULL; ch = ch->next) {
        if (strcmp(ch->role, role) == 0 && i-- == 0) {
            return ch->report;
        }
    }
    return NULL;
}

static int
n_children(const badge_report_t *r)
{
    const badge_report_child_t *ch;
    int                         n = 0;

    for (ch = r->children; ch != NULL; ch = ch->next) {
        n++;
    }
    return n;
}

/* The report JSON, parsed. */
static json_t *
report_json(badge_session_t *s)
{
    const char  *j = badge_session_report_json(s, NULL);
    json_t      *v;

    assert_non_null(j);
    v = json_loads(j, 0, NULL);
    assert_non_null(v);
    return v;
}

static void
clear_docs(void)
{
    memset(docs, 0, sizeof(docs));
}

/* main credential of `issuer` with endorsements attached by set(), then
 * signed by issuer */
static json_t *
endorsed(const party_t *issuer, json_t *on_cred, json_t *on_ach,
    json_t *on_issuer, const char *issuer_jwt, badge_di_suite_t suite)
{
    json_t *c = credential(issuer->did), *sc;

    if (on_cred != NULL) {
        json_object_set_new(c, "endorsement", on_cred);
    }
    if (on_ach != NULL) {
        json_object_set_new(json_object_get(json_object_get(c,
            "credentialSubject"), "achievement"), "endorsement", on_ach);
    }
    if (on_issuer != NULL) {
        json_object_set_new(json_object_get(c, "issuer"), "endorsement",
            on_issuer);
    }
    if (issuer_jwt != NULL) {
        json_object_set_new(json_object_get(c, "issuer"), "endorsementJwt",
            json_pack("[s]", issuer_jwt));
    }
    sc = sign_as(c, issuer, suite);
    json_decref(c);
    return sc;
}

/* ------------------------------------------------------------------ */
/* endorsements                                                         */

/* Three places, three forms: a DI endorsement of the credential, one of
 * the achievement by a did:web endorser (fetched), a VC-JWT endorsement
 * of the issuer.  All verify, and are reported under "related". */
static void
test_endorsements_valid(void **state)
{
    badge_ctx_t          *ctx = badge_ctx_new();
    badge_session_t      *s;
    party_t               iss, end;
    badge_key_t          *wk;
    char                 *jwt, *wdoc, *wvm, *text;
    json_t               *e1, *e2, *e3, *sc, *rep, *rel, *one;
    const badge_report_t *c;
    size_t                i;
    int                   rounds;

    (void) state;
    clear_docs();
    party(&iss);
    party(&end);
    /* the did:web endorser uses end's key */
    wk = end.k;
    wvm = ENDORSER_WEB "#key-1";
    wdoc = badge_arena_sprintf(end.a, "{\"id\": \"%s\", "
        "\"verificationMethod\": [{\"id\": \"%s\", \"type\": \"Multikey\", "
        "\"controller\": \"%s\", \"publicKeyMultibase\": \"%s\"}], "
        "\"assertionMethod\": [\"%s\"]}", ENDORSER_WEB, wvm, ENDORSER_WEB,
        end.did + 8, wvm);
    docs[0][0] = ENDORSER_URL;
    docs[0][1] = wdoc;

    e1 = endorsement(end.did, CRED_ID, "well run");
    e2 = endorsement(ENDORSER_WEB, ACH_ID, "good course");
    e3 = endorsement(end.did, iss.did, "a fine issuer");
    jwt = sign_jwt(e3, &end);
    sc = endorsed(&iss,
        json_pack("[o]", sign_as(e1, &end, BADGE_DI_EDDSA_RDFC_2022)),
        json_pack("[o]", sign_full(e2, wk, BADGE_DI_EDDSA_RDFC_2022, wvm,
                                   NULL, NULL, NULL)),
        NULL, jwt, BADGE_DI_EDDSA_JCS_2022);

    s = verify_opts(ctx, sc, NULL, NULL, NULL, &rounds);
    assert_verified(s, 1);
    assert_true(rounds >= 1);         /* the did:web document was fetched */
    assert_int_equal(n_children(s->report), 3);
    for (i = 0; i < 3; i++) {
        c = child(s->report, "endorsement", (int) i);
        assert_non_null(c);
        if (!badge_report_verified(c)) {
            fail_msg("endorsement %zu not verified:\n%s", i,
                badge_session_report_text(s, NULL));
        }
        assert_check_in(s, c, "endorsement", "endorsement_subject",
            BADGE_PASS);
        assert_null(c->children);     /* depth 1 */
    }
    /* in document order: credential, achievement, issuer */
    assert_string_equal(child(s->report, "endorsement", 1)
        ->fields[BADGE_FIELD_ISSUER], ENDORSER_WEB);
    assert_string_equal(child(s->report, "endorsement", 2)->format,
        "ob3-jwt");

    /* JSON: under "related", role "endorsement", each with its verdict */
    rep = report_json(s);
    assert_true(json_is_true(json_object_get(rep, "verified")));
    rel = json_object_get(rep, "related");
    assert_int_equal(json_array_size(rel), 3);
    json_array_foreach(rel, i, one) {
        assert_string_equal(badge_json_str(one, "role"), "endorsement");
        assert_true(json_is_true(json_object_get(one, "verified")));
        assert_string_equal(badge_json_str(one, "status"), "verified");
        assert_true(json_array_size(json_object_get(one, "checks")) > 0);
    }
    json_decref(rep);
    /* text: each under an "Endorsement:" heading */
    text = (char *) badge_session_report_text(s, NULL);
    assert_non_null(strstr(text, "Endorsement:"));
    assert_non_null(strstr(text, "endorsement_subject"));
    badge_session_free(s);

    json_decref(sc);
    json_decref(e1);
    json_decref(e2);
    json_decref(e3);
    free(jwt);
    party_free(&iss);
    party_free(&end);
    clear_docs();
    badge_ctx_free(ctx);
}

/* Failing endorsements are reported as failing and change nothing in the
 * credential's verdict; the credential's own failure is not hidden by
 * passing endorsements either. */
static void
test_endorsement_failures_isolated(void **state)
{
    badge_ctx_t          *ctx = badge_ctx_new();
    badge_session_t      *s;
    party_t               iss, end;
    json_t               *good, *tampered, *wrong_subj, *not_end, *sc, *bad;
    json_t               *rep, *rel;
    const badge_report_t *c;
    size_t                i;

    (void) state;
    clear_docs();
    party(&iss);
    party(&end);
    good = endorsement(end.did, CRED_ID, "ok");
    tampered = sign_as(good, &end, BADGE_DI_EDDSA_RDFC_2022);
    json_object_set_new(json_object_get(tampered, "credentialSubject"),
        "endorsementComment", json_string("forged praise"));
    wrong_subj = endorsement(end.did, "urn:uuid:something-else", "ok");
    not_end = json_deep_copy(good);
    json_object_set_new(not_end, "type",
        json_pack("[s,s]", "VerifiableCredential", "OpenBadgeCredential"));
    json_object_del(not_end, "credentialSubject");
    json_object_set_new(not_end, "credentialSubject", json_pack(
        "{s:s, s:[s], s:{s:s, s:[s], s:s, s:s, s:{s:s}}}",
        "id", CRED_ID, "type", "AchievementSubject",
        "achievement", "id", ACH_ID, "type", "Achievement", "name", "x",
        "description", "x", "criteria", "narrative", "x"));

    sc = endorsed(&iss, json_pack("[o,o,o,O]", tampered,
            sign_as(wrong_subj, &end, BADGE_DI_EDDSA_RDFC_2022),
            sign_as(not_end, &end, BADGE_DI_EDDSA_RDFC_2022),
            good /* no proof at all */),
        NULL, NULL, NULL, BADGE_DI_EDDSA_RDFC_2022);

    s = verify_doc(ctx, sc);
    assert_verified(s, 1);            /* the credential is unaffected */
    assert_string_equal(badge_session_field(s, BADGE_FIELD_STATUS),
        "verified");
    assert_null(badge_session_field(s, BADGE_FIELD_ERROR));
    assert_int_equal(n_children(s->report), 4);
    for (i = 0; i < 4; i++) {
        assert_false(badge_report_verified(child(s->report, "endorsement",
                                                 (int) i)));
    }
    c = child(s->report, "endorsement", 0);
    assert_check_in(s, c, "signature", "signature_invalid", BADGE_FAIL);
    c = child(s->report, "endorsement", 1);
    assert_true(c->authenticated);    /* genuine, but about something else */
    assert_check_in(s, c, "endorsement", "endorsement_subject_mismatch",
        BADGE_FAIL);
    c = child(s->report, "endorsement", 2);
    assert_check_in(s, c, "endorsement", "endorsement_type_invalid",
        BADGE_FAIL);
    c = child(s->report, "endorsement", 3);
    assert_check_in(s, c, "signature", "proof_missing", BADGE_FAIL);

    rep = report_json(s);
    assert_true(json_is_true(json_object_get(rep, "verified")));
    rel = json_object_get(rep, "related");
    assert_int_equal(json_array_size(rel), 4);
    for (i = 0; i < 4; i++) {
        assert_false(json_is_true(json_object_get(json_array_get(rel, i),
                                                  "verified")));
        assert_string_equal(badge_json_str(json_array_get(rel, i),
                                           "status"), "not_verified");
    }
    json_decref(rep);
    badge_session_free(s);

    /* the other way round: a tampered credential with a good endorsement
     * is not verified */
    bad = json_deep_copy(sc);
    json_object_set_new(bad, "name", json_string("forged"));
    s = verify_doc(ctx, bad);
    assert_verified(s, 0);
    assert_check(s, "signature", "signature_invalid", BADGE_FAIL);
    badge_session_free(s);

    json_decref(bad);
    json_decref(sc);
    json_decref(good);
    json_decref(wrong_subj);
    json_decref(not_end);
    party_free(&iss);
    party_free(&end);
    badge_ctx_free(ctx);
}

/* At most BADGE_ENDORSE_MAX endorsements; none of an endorsement's own
 * endorsements; a caller's recipient is not asked of endorsements. */
static void
test_endorsement_bounds(void **state)
{
    badge_ctx_t          *ctx = badge_ctx_new();
    badge_session_t      *s;
    party_t               iss, end;
    json_t               *e, *inner, *list, *sc, *one, *ie;
    const badge_report_t *c;
    int                   i;

    (void) state;
    clear_docs();
    party(&iss);
    party(&end);
    ie = endorsement(end.did, "urn:uuid:x", "inner");
    inner = sign_as(ie, &end, BADGE_DI_EDDSA_JCS_2022);
    json_decref(ie);
    e = endorsement(end.did, CRED_ID, "outer");
    json_object_set_new(e, "endorsement", json_pack("[o]", inner));
    one = sign_as(e, &end, BADGE_DI_EDDSA_JCS_2022);
    list = json_array();
    for (i = 0; i < BADGE_ENDORSE_MAX + 3; i++) {
        json_array_append(list, one);
    }
    sc = endorsed(&iss, list, NULL, NULL, NULL, BADGE_DI_EDDSA_JCS_2022);

    s = verify_opts(ctx, sc, NULL, NULL, "did:example:learner", NULL);
    assert_verified(s, 1);
    assert_check(s, "recipient", NULL, BADGE_PASS);
    assert_check(s, "endorsement", "endorsements_limited", BADGE_WARN);
    assert_int_equal(n_children(s->report), BADGE_ENDORSE_MAX);
    for (i = 0; i < BADGE_ENDORSE_MAX; i++) {
        c = child(s->report, "endorsement", i);
        if (!badge_report_verified(c)) {
            fail_msg("endorsement %d:\n%s", i,
                badge_session_report_text(s, NULL));
        }
        assert_null(c->children);
        assert_null(find_check(c, "recipient", NULL));
    }
    badge_session_free(s);

    json_decref(sc);
    json_decref(e);
    json_decref(one);
    party_free(&iss);
    party_free(&end);
    badge_ctx_free(ctx);
}

/* ------------------------------------------------------------------ */
/* credentialSchema, refreshService                                     */

static void
test_schema_and_refresh_unchecked(void **state)
{
    badge_ctx_t         *ctx = badge_ctx_new();
    badge_session_t     *s;
    party_t              iss;
    json_t              *c, *sc, *bad;
    const badge_check_t *k;

    (void) state;
    clear_docs();
    party(&iss);
    c = credential(iss.did);
    json_object_set_new(c, "credentialSchema", json_pack("[{s:s, s:s}]",
        "id", "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
        "ob_v3p0_achievementcredential_schema.json",
        "type", "1EdTechJsonSchemaValidator2019"));
    json_object_set_new(c, "refreshService", json_pack("{s:s, s:s}",
        "id", "https://issuer.example/refresh/1",
        "type", "1EdTechCredentialRefresh"));
    /* JCS: the 1EdTech type names are not in the bundled contexts */
    sc = sign_as(c, &iss, BADGE_DI_EDDSA_JCS_2022);

    s = verify_doc(ctx, sc);
    assert_verified(s, 1);
    assert_int_equal(badge_session_first_failure(s, NULL, NULL),
        BADGE_OUTCOME_VERIFIED);
    assert_check(s, "schema", "schema_valid", BADGE_PASS);
    assert_check(s, "schema", "credential_schema_unchecked",
        BADGE_UNCHECKED);
    k = find_check(s->report, "schema", "credential_schema_unchecked");
    assert_non_null(strstr(k->message,
        "ob_v3p0_achievementcredential_schema.json"));
    assert_non_null(strstr(k->message, "1EdTechJsonSchemaValidator2019"));
    assert_non_null(strstr(k->message,
        "JSON Schema validation is not performed"));
    assert_check(s, "refresh", "refresh_service_ignored", BADGE_UNCHECKED);
    k = find_check(s->report, "refresh", NULL);
    assert_non_null(strstr(k->message, "https://issuer.example/refresh/1"));
    /* the first "schema" check is still the structural verdict */
    assert_string_equal(badge_report_find(s->report, "schema")->code,
        "schema_valid");
    badge_session_free(s);

    /* they do not mask a broken signature */
    bad = json_deep_copy(sc);
    json_object_set_new(bad, "name", json_string("forged"));
    s = verify_doc(ctx, bad);
    assert_verified(s, 0);
    assert_check(s, "refresh", "refresh_service_ignored", BADGE_UNCHECKED);
    badge_session_free(s);
    json_decref(bad);
    json_decref(sc);

    /* absent: no such checks */
    json_object_del(c, "credentialSchema");
    json_object_del(c, "refreshService");
    sc = sign_as(c, &iss, BADGE_DI_EDDSA_JCS_2022);
    s = verify_doc(ctx, sc);
    assert_verified(s, 1);
    assert_null(find_check(s->report, "schema",
                           "credential_schema_unchecked"));
    assert_null(find_check(s->report, "refresh", NULL));
    badge_session_free(s);

    json_decref(sc);
    json_decref(c);
    party_free(&iss);
    badge_ctx_free(ctx);
}

/* ------------------------------------------------------------------ */
/* presentations                                                        */

#define CHALLENGE "c-91ab"
#define DOMAIN    "verifier.example"

static json_t *
presentation(const party_t *holder, json_t *vcs)
{
    json_t *vp = json_pack("{s:[s], s:[s], s:s, s:o}",
        "@context", "https://www.w3.org/ns/credentials/v2",
        "type", "VerifiablePresentation", "holder", holder->did,
        "verifiableCredential", vcs);

    assert_non_null(vp);
    return vp;
}

static void
test_presentation_checks(void **state)
{
    badge_ctx_t          *ctx = badge_ctx_new();
    badge_session_t      *s;
    party_t               iss, holder;
    json_t               *c, *sc, *vp, *svp, *rep, *rel;
    char                 *jwt;
    const badge_report_t *ch;

    (void) state;
    clear_docs();
    party(&iss);
    party(&holder);
    c = credential(iss.did);
    sc = sign_as(c, &iss, BADGE_DI_EDDSA_RDFC_2022);
    jwt = sign_jwt(c, &iss);
    vp = presentation(&holder, json_pack("[O,s]", sc, jwt));
    /* JCS for the holder's proof: a VC-JWT string is not JSON-LD */
    svp = sign_full(vp, holder.k, BADGE_DI_EDDSA_JCS_2022, holder.vm,
        "authentication", CHALLENGE, DOMAIN);

    /* valid, with the expected challenge and domain */
    s = verify_opts(ctx, svp, CHALLENGE, DOMAIN, NULL, NULL);
    assert_verified(s, 1);
    assert_check(s, "credentials", "credentials_verified", BADGE_PASS);
    assert_int_equal(n_children(s->report), 2);
    ch = child(s->report, "credential", 0);
    assert_true(badge_report_verified(ch));
    ch = child(s->report, "credential", 1);
    assert_true(badge_report_verified(ch));
    assert_string_equal(ch->format, "ob3-jwt");
    rep = report_json(s);
    rel = json_object_get(rep, "related");
    assert_int_equal(json_array_size(rel), 2);
    assert_string_equal(badge_json_str(json_array_get(rel, 0), "role"),
        "credential");
    json_decref(rep);
    badge_session_free(s);

    /* the wrong challenge; the wrong domain */
    s = verify_opts(ctx, svp, "c-other", DOMAIN, NULL, NULL);
    assert_verified(s, 0);
    assert_check(s, "signature", "challenge_mismatch", BADGE_FAIL);
    badge_session_free(s);
    s = verify_opts(ctx, svp, CHALLENGE, "evil.example", NULL, NULL);
    assert_verified(s, 0);
    assert_check(s, "signature", "domain_mismatch", BADGE_FAIL);
    badge_session_free(s);
    /* a prefix of the challenge is not the challenge */
    s = verify_opts(ctx, svp, "c-91", NULL, NULL, NULL);
    assert_verified(s, 0);
    assert_check(s, "signature", "challenge_mismatch", BADGE_FAIL);
    badge_session_free(s);
    json_decref(svp);

    /* expected but missing from the proof */
    svp = sign_full(vp, holder.k, BADGE_DI_EDDSA_JCS_2022, holder.vm,
        "authentication", NULL, NULL);
    s = verify_opts(ctx, svp, CHALLENGE, NULL, NULL, NULL);
    assert_verified(s, 0);
    assert_check(s, "signature", "challenge_mismatch", BADGE_FAIL);
    badge_session_free(s);
    s = verify_opts(ctx, svp, NULL, DOMAIN, NULL, NULL);
    assert_verified(s, 0);
    assert_check(s, "signature", "domain_mismatch", BADGE_FAIL);
    badge_session_free(s);
    json_decref(svp);

    /* the holder's proof must be for authentication */
    svp = sign_full(vp, holder.k, BADGE_DI_EDDSA_JCS_2022, holder.vm,
        "assertionMethod", CHALLENGE, DOMAIN);
    s = verify_opts(ctx, svp, CHALLENGE, DOMAIN, NULL, NULL);
    assert_verified(s, 0);
    assert_check(s, "signature", "proof_purpose_mismatch", BADGE_FAIL);
    badge_session_free(s);
    json_decref(svp);

    json_decref(vp);
    json_decref(sc);
    json_decref(c);
    free(jwt);
    party_free(&iss);
    party_free(&holder);
    badge_ctx_free(ctx);
}

/* A holder signs a presentation over a tampered credential: the holder's
 * proof is good, the credential is not, so neither is the presentation. */
static void
test_presentation_tampered_credential(void **state)
{
    badge_ctx_t          *ctx = badge_ctx_new();
    badge_session_t      *s;
    party_t               iss, holder;
    json_t               *c, *sc, *vp, *svp;
    const badge_report_t *ch;

    (void) state;
    clear_docs();
    party(&iss);
    party(&holder);
    c = credential(iss.did);
    sc = sign_as(c, &iss, BADGE_DI_EDDSA_RDFC_2022);
    json_object_set_new(json_object_get(json_object_get(sc,
        "credentialSubject"), "achievement"), "name", json_string("上級"));
    vp = presentation(&holder, json_pack("[O]", sc));
    svp = sign_full(vp, holder.k, BADGE_DI_EDDSA_RDFC_2022, holder.vm,
        "authentication", CHALLENGE, NULL);

    s = verify_opts(ctx, svp, CHALLENGE, NULL, NULL, NULL);
    assert_verified(s, 0);
    assert_true(s->report->authenticated);     /* the holder's proof */
    assert_check(s, "signature", "signature_valid", BADGE_PASS);
    assert_check(s, "credentials", "credential_not_verified", BADGE_FAIL);
    ch = child(s->report, "credential", 0);
    assert_non_null(ch);
    assert_false(badge_report_verified(ch));
    assert_check_in(s, ch, "signature", "signature_invalid", BADGE_FAIL);
    badge_session_free(s);

    json_decref(svp);
    json_decref(vp);
    json_decref(sc);
    json_decref(c);
    party_free(&iss);
    party_free(&holder);
    badge_ctx_free(ctx);
}

/* A presentation's credentials have their endorsements verified into their
 * own child reports: a good one passes, a forged one fails there without
 * touching the presentation's verdict; a VC-JWT credential's endorsements
 * too; the session-wide bound holds across credentials. */
static void
test_presentation_endorsements(void **state)
{
    badge_ctx_t          *ctx = badge_ctx_new();
    badge_session_t      *s;
    party_t               iss, holder, end;
    json_t               *e, *good, *bad, *sc, *c, *vp, *svp, *list, *vcs;
    char                 *jwt;
    const badge_report_t *ch, *en;
    int                   i, total;

    (void) state;
    clear_docs();
    party(&iss);
    party(&holder);
    party(&end);
    e = endorsement(end.did, CRED_ID, "well run");
    good = sign_as(e, &end, BADGE_DI_EDDSA_RDFC_2022);
    bad = json_deep_copy(good);
    json_object_set_new(json_object_get(bad, "credentialSubject"),
        "endorsementComment", json_string("forged"));
    sc = endorsed(&iss, json_pack("[O,O]", good, bad), NULL, NULL, NULL,
        BADGE_DI_EDDSA_RDFC_2022);
    c = credential(iss.did);
    json_object_set_new(c, "endorsement", json_pack("[O]", good));
    jwt = sign_jwt(c, &iss);
    vp = presentation(&holder, json_pack("[O,s]", sc, jwt));
    svp = sign_full(vp, holder.k, BADGE_DI_EDDSA_JCS_2022, holder.vm,
        "authentication", CHALLENGE, DOMAIN);

    s = verify_opts(ctx, svp, CHALLENGE, DOMAIN, NULL, NULL);
    assert_verified(s, 1);
    ch = child(s->report, "credential", 0);
    assert_true(badge_report_verified(ch));
    assert_int_equal(n_children(ch), 2);
    en = child(ch, "endorsement", 0);
    if (!badge_report_verified(en)) {
        fail_msg("endorsement 1:\n%s", badge_session_report_text(s, NULL));
    }
    en = child(ch, "endorsement", 1);
    assert_false(badge_report_verified(en));
    ch = child(s->report, "credential", 1);
    assert_string_equal(ch->format, "ob3-jwt");
    assert_int_equal(n_children(ch), 1);
    assert_true(badge_report_verified(child(ch, "endorsement", 0)));
    badge_session_free(s);
    json_decref(svp);
    json_decref(vp);
    json_decref(sc);

    /* 16 credentials with 4 endorsements each: BADGE_ENDORSE_SESSION_MAX
     * in all, the rest reported as limited */
    list = json_pack("[O,O,O,O]", good, good, good, good);
    sc = endorsed(&iss, list, NULL, NULL, NULL, BADGE_DI_EDDSA_JCS_2022);
    vcs = json_array();
    for (i = 0; i < 16; i++) {
        json_array_append(vcs, sc);
    }
    vp = presentation(&holder, vcs);
    svp = sign_full(vp, holder.k, BADGE_DI_EDDSA_JCS_2022, holder.vm,
        "authentication", CHALLENGE, DOMAIN);
    s = verify_opts(ctx, svp, CHALLENGE, DOMAIN, NULL, NULL);
    assert_verified(s, 1);
    total = 0;
    for (i = 0; i < 16; i++) {
        ch = child(s->report, "credential", i);
        total += n_children(ch);
        if (i >= BADGE_ENDORSE_SESSION_MAX / 4) {
            assert_non_null(find_check(ch, "endorsement",
                                       "endorsements_limited"));
        }
    }
    assert_int_equal(total, BADGE_ENDORSE_SESSION_MAX);
    badge_session_free(s);

    json_decref(svp);
    json_decref(vp);
    json_decref(sc);
    json_decref(c);
    json_decref(e);
    json_decref(good);
    json_decref(bad);
    free(jwt);
    party_free(&iss);
    party_free(&holder);
    party_free(&end);
    badge_ctx_free(ctx);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_endorsements_valid),
        cmocka_unit_test(test_endorsement_failures_isolated),
        cmocka_unit_test(test_endorsement_bounds),
        cmocka_unit_test(test_schema_and_refresh_unchecked),
        cmocka_unit_test(test_presentation_checks),
        cmocka_unit_test(test_presentation_tampered_credential),
        cmocka_unit_test(test_presentation_endorsements),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
