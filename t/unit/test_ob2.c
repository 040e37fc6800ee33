/*
 * Unit tests of Open Badges 2.0 verification (ob2.c) through the whole
 * pipeline: the documents are handed over round by round the way a host
 * does (badge_session_needed / badge_session_supply), including 410 Gone.
 * Signed assertions are signed here with OpenSSL directly
 * (jose_helpers.h), not with the code under test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "jose_helpers.h"

#include "badge.h"
#include "ob2.h"
#include "report.h"
#include "session.h"

#define ISS     "https://issuer.example/issuer.json"
#define BADGE   "https://issuer.example/badge.json"
#define KEY     "https://issuer.example/key.json"
#define RL      "https://issuer.example/revoked.json"
#define AID     "https://issuer.example/a/1"
#define NOW     1750000000      /* 2025-06-15 */
#define CTX     "\"@context\":\"https://w3id.org/openbadges/v2\","
/* sha256("nobody@example.org" + "deadsea") */
#define HASHED  "sha256$ecf5409f3f4b91ab60cc5ef4c02aef7032354375e70cf4d8e" \
                "43f6a1d29891942"

typedef struct {
    const char *url;
    int         status;
    const char *body;
} doc_t;

static EVP_PKEY *key;
static char     *key_pem;
static char      issuer_doc[1024], key_doc[2048];

static const char *badge_doc =
    "{" CTX "\"type\":\"BadgeClass\",\"id\":\"" BADGE "\","
    "\"name\":\"Robotics\",\"description\":\"Robots\","
    "\"image\":\"https://issuer.example/b.png\","
    "\"criteria\":{\"narrative\":\"Build one\"},\"issuer\":\"" ISS "\"}";

static const char *rl_doc =
    "{" CTX "\"type\":\"RevocationList\",\"id\":\"" RL "\","
    "\"revokedAssertions\":[\"urn:uuid:x\",{\"id\":\"urn:uuid:gone\","
    "\"revocationReason\":\"cheating\"}]}";

static int
setup(void **state)
{
    (void) state;
    key = th_keygen("rsa2048");
    key_pem = th_pem(key, 0);
    snprintf(issuer_doc, sizeof(issuer_doc),
        "{" CTX "\"type\":\"Issuer\",\"id\":\"" ISS "\",\"name\":\"Uni\","
        "\"url\":\"https://issuer.example\",\"publicKey\":\"" KEY "\","
        "\"revocationList\":\"" RL "\"}");
    /* the PEM's newlines as JSON escapes */
    {
        char  *p = key_doc, *q;
        size_t n;

        n = (size_t) sprintf(p, "{" CTX "\"type\":\"CryptographicKey\","
            "\"id\":\"" KEY "\",\"owner\":\"" ISS "\",\"publicKeyPem\":\"");
        p += n;
        for (q = key_pem; *q != '\0'; q++) {
            if (*q == '\n') {
                *p++ = '\\';
                *p++ = 'n';
            } else {
                *p++ = *q;
            }
        }
        strcpy(p, "\"}");
    }
    return 0;
}

static int
teardown(void **state)
{
    (void) state;
    EVP_PKEY_free(key);
    free(key_pem);
    return 0;
}

/* An assertion: id, verification, issuedOn and extra members. */
static char *
assertion(const char *id, const char *verification, const char *issued,
    const char *extra)
{
    char *a = malloc(2048);

    snprintf(a, 2048, "{" CTX "\"type\":\"Assertion\",\"id\":\"%s\","
        "\"recipient\":{\"type\":\"email\",\"hashed\":true,"
        "\"salt\":\"deadsea\",\"identity\":\"" HASHED "\"},"
        "\"badge\":\"" BADGE "\",\"verification\":%s,\"issuedOn\":\"%s\"%s}",
        id, verification, issued, extra != NULL ? extra : "");
    return a;
}

#define HOSTED  "{\"type\":\"hosted\"}"
#define SIGNED  "{\"type\":\"signed\",\"creator\":\"" KEY "\"}"

/* Verify input, answering the host's requests from docs (else status 0).
 * Returns the session (caller frees) and the context in *ctxp. */
static badge_session_t *
verify(const char *input, const doc_t *docs, const char *recipient,
    badge_ctx_t **ctxp)
{
    badge_verify_opts_t  opts;
    badge_ctx_t         *ctx = badge_ctx_new();
    badge_session_t     *s;
    const char *const   *urls;
    const doc_t         *d;
    size_t               i, n;
    int                  round, found;
    badge_step_t         st = BADGE_FAILED;

    memset(&opts, 0, sizeof(opts));
    opts.now = NOW;
    opts.recipient = recipient;
    assert_non_null(ctx);
    s = badge_session_new(ctx, &opts);
    assert_non_null(s);
    assert_int_equal(badge_session_set_input(s, input, strlen(input)), 0);
    for (round = 0; round < 10; round++) {
        st = badge_session_run(s);
        if (st != BADGE_NEED_DOCUMENTS) {
            break;
        }
        n = badge_session_needed(s, &urls);
        for (i = 0; i < n; i++) {
            found = 0;
            for (d = docs; d != NULL && d->url != NULL; d++) {
                if (strcmp(d->url, urls[i]) == 0) {
                    badge_session_supply(s, urls[i], d->status,
                        "application/json", d->body, strlen(d->body));
                    found = 1;
                    break;
                }
            }
            if (!found) {
                badge_session_supply(s, urls[i], 0, NULL, NULL, 0);
            }
        }
    }
    assert_int_equal(st, BADGE_DONE);
    *ctxp = ctx;
    return s;
}

static void
done(badge_session_t *s, badge_ctx_t *ctx)
{
    badge_session_free(s);
    badge_ctx_free(ctx);
}

static const badge_check_t *
check(badge_session_t *s, const char *name)
{
    return badge_report_find(s->report, name);
}

static void
expect_fail(badge_session_t *s, const char *name, const char *code)
{
    const badge_check_t *c;

    for (c = s->report->checks; c != NULL; c = c->next) {
        if (strcmp(c->check, name) == 0 && c->status == BADGE_FAIL
            && strcmp(c->code, code) == 0)
        {
            assert_false(badge_session_verified(s));
            return;
        }
    }
    fail_msg("no failing %s check with code %s (first problem: %s)", name,
             code, s->report->fields[BADGE_FIELD_ERROR]
                   ? s->report->fields[BADGE_FIELD_ERROR] : "none");
}

static void
test_hosted_good(void **state)
{
    char            *a = assertion(AID, HOSTED, "2016-12-31T23:59:59Z", NULL);
    doc_t            docs[] = { { AID, 200, a }, { BADGE, 200, badge_doc },
                                { ISS, 200, issuer_doc }, { NULL, 0, NULL } };
    badge_ctx_t     *ctx;
    badge_session_t *s;

    (void) state;
    s = verify(a, docs, NULL, &ctx);
    assert_true(badge_session_verified(s));
    assert_true(s->report->authenticated);
    assert_string_equal(badge_session_field(s, BADGE_FIELD_FORMAT),
                        "ob2-hosted");
    assert_string_equal(badge_session_field(s, BADGE_FIELD_ISSUER), ISS);
    assert_string_equal(badge_session_field(s, BADGE_FIELD_ISSUER_NAME),
                        "Uni");
    assert_string_equal(badge_session_field(s, BADGE_FIELD_ACHIEVEMENT),
                        BADGE);
    assert_string_equal(badge_session_field(s,
                        BADGE_FIELD_ACHIEVEMENT_NAME), "Robotics");
    assert_string_equal(badge_session_field(s, BADGE_FIELD_VALID_FROM),
                        "2016-12-31T23:59:59Z");
    assert_string_equal(badge_session_field(s, BADGE_FIELD_CREDENTIAL_ID),
                        AID);
    assert_int_equal(check(s, "recipient")->status, BADGE_UNCHECKED);
    assert_int_equal(check(s, "hosted")->status, BADGE_PASS);
    done(s, ctx);

    /* the issuer's host is the only thing trusted: without it, nothing */
    {
        doc_t none[] = { { NULL, 0, NULL } };

        s = verify(a, none, NULL, &ctx);
        assert_false(badge_session_verified(s));
        assert_false(s->report->authenticated);
        assert_int_equal(check(s, "hosted")->status, BADGE_UNCHECKED);
        done(s, ctx);
    }
    free(a);
}

/* OB 2.0 endorsements: hosted by their endorser, about what lists them,
 * within the endorser's verification scope.  Each is a child report; none
 * changes the assertion's verdict. */
#define END1    "https://endorser.example/e/1"
#define END2    "https://endorser.example/e/2"
#define END3    "https://elsewhere.example/e/3"
#define END4    "https://endorser.example/e/4"
#define ENDISS  "https://endorser.example/profile"
#define ENDORSEMENT(id, about, extra) \
    "{" CTX "\"type\":\"Endorsement\",\"id\":\"" id "\"," \
    "\"issuer\":\"" ENDISS "\",\"issuedOn\":\"2017-01-01T00:00:00Z\"," \
    "\"claim\":{\"id\":\"" about "\",\"endorsementComment\":\"good\"}" \
    extra "}"

static const badge_report_t *
endorsement_child(badge_session_t *s, int i)
{
    const badge_report_child_t *c;

    for (c = s->report->children; c != NULL; c = c->next) {
        if (strcmp(c->role, "endorsement") == 0 && i-- == 0) {
            return c->report;
        }
    }
    fail_msg("no endorsement child %d", i);
    return NULL;
}

static const badge_check_t *
child_check(const badge_report_t *r, const char *code)
{
    const badge_check_t *c;

    for (c = r->checks; c != NULL; c = c->next) {
        if (strcmp(c->code, code) == 0) {
            return c;
        }
    }
    return NULL;
}

static void
test_endorsements(void **state)
{
    char            *a = assertion(AID, HOSTED, "2016-12-31T23:59:59Z",
        ",\"endorsement\":[\"" END1 "\",\"" END2 "\",\"" END3 "\","
        "{\"id\":\"" END4 "\"},{\"type\":\"Endorsement\",\"verification\":"
        "{\"type\":\"signed\"}}]");
    doc_t            docs[] = { { AID, 200, a }, { BADGE, 200, badge_doc },
        { ISS, 200, issuer_doc },
        { ENDISS, 200, "{" CTX "\"type\":\"Profile\",\"id\":\"" ENDISS "\","
                       "\"name\":\"Endorser\"}" },
        /* good */
        { END1, 200, ENDORSEMENT(END1, AID, "") },
        /* about something else */
        { END2, 200, ENDORSEMENT(END2, BADGE, "") },
        /* hosted off the endorser's host */
        { END3, 200, ENDORSEMENT(END3, AID, "") },
        /* revoked */
        { END4, 410, "{}" },
        { NULL, 0, NULL } };
    badge_ctx_t          *ctx;
    badge_session_t      *s;
    const badge_report_t *c;

    (void) state;
    s = verify(a, docs, NULL, &ctx);
    assert_true(badge_session_verified(s));
    c = endorsement_child(s, 0);
    if (!badge_report_verified(c)) {
        fail_msg("endorsement 1:\n%s", badge_session_report_text(s, NULL));
    }
    assert_string_equal(c->fields[BADGE_FIELD_ISSUER], ENDISS);
    assert_non_null(child_check(c, "endorsement_subject"));
    c = endorsement_child(s, 1);
    assert_false(badge_report_verified(c));
    assert_non_null(child_check(c, "ob2_endorsement_claim_mismatch"));
    c = endorsement_child(s, 2);
    assert_false(badge_report_verified(c));
    assert_non_null(child_check(c, "ob2_hosted_out_of_scope"));
    c = endorsement_child(s, 3);
    assert_false(badge_report_verified(c));
    assert_non_null(child_check(c, "ob2_endorsement_revoked"));
    c = endorsement_child(s, 4);
    assert_false(badge_report_verified(c));
    assert_int_equal(child_check(c, "ob2_endorsement_signed")->status,
                     BADGE_UNCHECKED);
    done(s, ctx);

    /* the endorser's server is down: unchecked, never a pass */
    docs[3].url = "https://nowhere.example/";
    s = verify(a, docs, NULL, &ctx);
    assert_true(badge_session_verified(s));
    c = endorsement_child(s, 0);
    assert_false(badge_report_verified(c));
    assert_int_equal(child_check(c, "ob2_unavailable")->status,
                     BADGE_UNCHECKED);
    done(s, ctx);
    free(a);

    /* a tampered assertion: its endorsements are not looked at */
    a = assertion(AID, HOSTED, "2016-12-31T23:59:59Z",
        ",\"endorsement\":[\"" END1 "\"]");
    docs[0].body = "{}";
    s = verify(a, docs, NULL, &ctx);
    assert_false(badge_session_verified(s));
    assert_null(s->report->children);
    done(s, ctx);
    free(a);
}

static void
test_hosted_tampered_and_scope(void **state)
{
    char            *hosted = assertion(AID, HOSTED, "2016-12-31T23:59:59Z",
                                        NULL);
    char            *given = assertion(AID, HOSTED, "2020-12-31T23:59:59Z",
                                       NULL);
    char            *evil = assertion("https://evil.example/a/1", HOSTED,
                                      "2016-12-31T23:59:59Z", NULL);
    doc_t            docs[] = { { AID, 200, hosted },
                                { "https://evil.example/a/1", 200, evil },
                                { BADGE, 200, badge_doc },
                                { ISS, 200, issuer_doc }, { NULL, 0, NULL } };
    badge_ctx_t     *ctx;
    badge_session_t *s;
    char             iss2[1200];

    (void) state;
    s = verify(given, docs, NULL, &ctx);
    expect_fail(s, "hosted", "ob2_hosted_mismatch");
    assert_false(s->report->authenticated);
    done(s, ctx);

    /* hosted by its author on another host, naming the issuer's badge */
    s = verify(evil, docs, NULL, &ctx);
    expect_fail(s, "hosted", "ob2_hosted_out_of_scope");
    assert_false(s->report->authenticated);
    done(s, ctx);

    /* ...unless the issuer's policy allows that origin */
    snprintf(iss2, sizeof(iss2), "%.*s,\"verification\":{\"allowedOrigins\""
             ":[\"evil.example\"]}}", (int) strlen(issuer_doc) - 1,
             issuer_doc);
    docs[3].body = iss2;
    s = verify(evil, docs, NULL, &ctx);
    assert_true(badge_session_verified(s));
    done(s, ctx);

    /* startsWith narrows it */
    snprintf(iss2, sizeof(iss2), "%.*s,\"verification\":{\"startsWith\":"
             "\"https://issuer.example/b/\"}}", (int) strlen(issuer_doc) - 1,
             issuer_doc);
    s = verify(hosted, docs, NULL, &ctx);
    expect_fail(s, "hosted", "ob2_hosted_out_of_scope");
    done(s, ctx);
    free(hosted);
    free(given);
    free(evil);
}

static void
test_hosted_revoked(void **state)
{
    char            *a = assertion(AID, HOSTED, "2016-12-31T23:59:59Z", NULL);
    char            *r = assertion(AID, HOSTED, "2016-12-31T23:59:59Z",
                                   ",\"revoked\":true");
    doc_t            gone[] = { { AID, 410, "{\"revoked\":true}" },
                                { BADGE, 200, badge_doc },
                                { ISS, 200, issuer_doc }, { NULL, 0, NULL } };
    doc_t            flag[] = { { AID, 200, r }, { BADGE, 200, badge_doc },
                                { ISS, 200, issuer_doc }, { NULL, 0, NULL } };
    badge_ctx_t     *ctx;
    badge_session_t *s;

    (void) state;
    s = verify(a, gone, NULL, &ctx);
    expect_fail(s, "status", "ob2_revoked");
    assert_true(s->report->revoked);
    assert_string_equal(badge_session_field(s, BADGE_FIELD_STATUS),
                        "revoked");
    done(s, ctx);

    s = verify(r, flag, NULL, &ctx);
    expect_fail(s, "status", "ob2_revoked");
    assert_true(s->report->revoked);
    done(s, ctx);
    free(a);
    free(r);
}

static void
test_dates(void **state)
{
    static const struct {
        const char *issued, *extra, *code;
    } cases[] = {
        { "2100-01-01T00:00:00Z", NULL, "ob2_issued_in_future" },
        { "2016-01-01T00:00:00Z", ",\"expires\":\"2020-01-01T00:00:00Z\"",
          "ob2_expired" },
        { "2024-01-01T00:00:00Z", ",\"expires\":\"2023-01-01T00:00:00Z\"",
          "ob2_expires_before_issued" },
        { "31/12/2016", NULL, "ob2_date_invalid" },
        { "2016-02-30T00:00:00Z", NULL, "ob2_date_invalid" },
        { NULL, NULL, NULL }
    };
    badge_ctx_t     *ctx;
    badge_session_t *s;
    char            *a;
    int              i;

    (void) state;
    for (i = 0; cases[i].issued != NULL; i++) {
        doc_t docs[] = { { AID, 200, NULL }, { BADGE, 200, badge_doc },
                         { ISS, 200, issuer_doc }, { NULL, 0, NULL } };

        a = assertion(AID, HOSTED, cases[i].issued, cases[i].extra);
        docs[0].body = a;
        s = verify(a, docs, NULL, &ctx);
        expect_fail(s, "validity", cases[i].code);
        if (strcmp(cases[i].code, "ob2_expired") == 0) {
            assert_true(s->report->expired);
            assert_string_equal(badge_session_field(s, BADGE_FIELD_STATUS),
                                "expired");
        }
        done(s, ctx);
        free(a);
    }
    /* still valid, with an expiry ahead and a zone offset */
    {
        doc_t docs[] = { { AID, 200, NULL }, { BADGE, 200, badge_doc },
                         { ISS, 200, issuer_doc }, { NULL, 0, NULL } };

        a = assertion(AID, HOSTED, "2016-12-31T23:59:59+09:00",
                      ",\"expires\":\"2099-01-01T00:00Z\"");
        docs[0].body = a;
        s = verify(a, docs, NULL, &ctx);
        assert_true(badge_session_verified(s));
        assert_string_equal(badge_session_field(s, BADGE_FIELD_VALID_UNTIL),
                            "2099-01-01T00:00Z");
        done(s, ctx);
        free(a);
    }
}

static void
test_recipient(void **state)
{
    char            *a = assertion(AID, HOSTED, "2016-12-31T23:59:59Z", NULL);
    doc_t            docs[] = { { AID, 200, a }, { BADGE, 200, badge_doc },
                                { ISS, 200, issuer_doc }, { NULL, 0, NULL } };
    badge_ctx_t     *ctx;
    badge_session_t *s;
    badge_err_t      err;
    json_t          *rec;

    (void) state;
    s = verify(a, docs, "nobody@example.org", &ctx);
    assert_true(badge_session_verified(s));
    assert_int_equal(check(s, "recipient")->status, BADGE_PASS);
    done(s, ctx);
    s = verify(a, docs, "NoBody@Example.org", &ctx);
    assert_int_equal(check(s, "recipient")->status, BADGE_PASS);
    done(s, ctx);
    s = verify(a, docs, "somebody@example.org", &ctx);
    expect_fail(s, "recipient", "recipient_mismatch");
    done(s, ctx);
    free(a);

    /* the matcher alone: plain, md5, no salt, malformed */
    rec = json_loads("{\"type\":\"email\",\"hashed\":false,"
                     "\"identity\":\"A@b.org\"}", 0, NULL);
    assert_int_equal(badge_ob2_recipient_match(rec, "a@B.org", &err), 1);
    assert_int_equal(badge_ob2_recipient_match(rec, "c@b.org", &err), 0);
    json_decref(rec);
    rec = json_loads("{\"type\":\"url\",\"hashed\":false,"
                     "\"identity\":\"https://a.example/\"}", 0, NULL);
    assert_int_equal(badge_ob2_recipient_match(rec, "https://A.example/",
                     &err), 0);
    json_decref(rec);
    /* md5("nobody@example.org" + "pepper") */
    rec = json_loads("{\"type\":\"email\",\"hashed\":true,\"salt\":"
                     "\"pepper\",\"identity\":"
                     "\"md5$CF9C6131EE0527787057D4C1C89A3842\"}",
                     0, NULL);
    assert_int_equal(badge_ob2_recipient_match(rec, "nobody@example.org",
                     &err), 1);
    assert_int_equal(badge_ob2_recipient_match(rec, "x@example.org", &err),
                     0);
    json_decref(rec);
    rec = json_loads("{\"type\":\"email\",\"hashed\":true,\"identity\":"
                     "\"sha1$abcdef\"}", 0, NULL);
    assert_int_equal(badge_ob2_recipient_match(rec, "x@example.org", &err),
                     -1);
    json_decref(rec);
    rec = json_loads("{\"type\":\"email\",\"hashed\":true,\"identity\":"
                     "\"nodollar\"}", 0, NULL);
    assert_int_equal(badge_ob2_recipient_match(rec, "x@example.org", &err),
                     -1);
    json_decref(rec);
}

/* ------------------------------------------------------------------ */
/* Signed                                                               */

static char *
sign(const char *payload, const char *alg)
{
    char header[64];

    snprintf(header, sizeof(header), "{\"alg\":\"%s\"}", alg);
    return th_jwt(strcmp(alg, "none") == 0 ? NULL : key, alg, header,
                  payload, "secret", 6);
}

static void
test_signed(void **state)
{
    char            *p = assertion("urn:uuid:ok", SIGNED,
                                   "2016-12-31T23:59:59Z", NULL);
    char            *pr = assertion("urn:uuid:gone", SIGNED,
                                    "2016-12-31T23:59:59Z", NULL);
    char            *jws = sign(p, "RS256"), *jr = sign(pr, "RS256");
    doc_t            docs[] = { { KEY, 200, key_doc },
                                { BADGE, 200, badge_doc },
                                { ISS, 200, issuer_doc }, { RL, 200, rl_doc },
                                { NULL, 0, NULL } };
    badge_ctx_t     *ctx;
    badge_session_t *s;

    (void) state;
    s = verify(jws, docs, "nobody@example.org", &ctx);
    assert_true(badge_session_verified(s));
    assert_string_equal(badge_session_field(s, BADGE_FIELD_FORMAT),
                        "ob2-signed");
    assert_int_equal(check(s, "signature")->status, BADGE_PASS);
    assert_int_equal(check(s, "key")->status, BADGE_PASS);
    assert_int_equal(check(s, "status")->status, BADGE_PASS);
    assert_int_equal(check(s, "recipient")->status, BADGE_PASS);
    done(s, ctx);

    s = verify(jr, docs, NULL, &ctx);
    expect_fail(s, "status", "ob2_revoked");
    assert_non_null(strstr(check(s, "status")->message, "cheating"));
    assert_true(s->report->revoked);
    done(s, ctx);

    /* the revocation list cannot be had: unchecked, still verified */
    docs[3].url = "https://nowhere.example/";
    s = verify(jws, docs, NULL, &ctx);
    assert_int_equal(check(s, "status")->status, BADGE_UNCHECKED);
    done(s, ctx);
    free(p);
    free(pr);
    free(jws);
    free(jr);
}

static void
test_signed_attacks(void **state)
{
    char            *p = assertion("urn:uuid:ok", SIGNED,
                                   "2016-12-31T23:59:59Z", NULL);
    char            *jws = sign(p, "RS256"), *t, *dot, *b64;
    char             key2[2300], iss2[1200];
    doc_t            docs[] = { { KEY, 200, key_doc },
                                { BADGE, 200, badge_doc },
                                { ISS, 200, issuer_doc }, { RL, 200, rl_doc },
                                { NULL, 0, NULL } };
    badge_ctx_t     *ctx;
    badge_session_t *s;

    (void) state;
    /* the payload changed after signing */
    t = malloc(strlen(jws) + 64);
    dot = strchr(jws, '.');
    {
        char *q = assertion("urn:uuid:ok", SIGNED, "2015-12-31T23:59:59Z",
                            NULL);

        b64 = th_b64url(q, strlen(q));
        sprintf(t, "%.*s.%s%s", (int) (dot - jws), jws, b64,
                strchr(dot + 1, '.'));
        free(q);
        free(b64);
    }
    s = verify(t, docs, NULL, &ctx);
    expect_fail(s, "signature", "ob2_signature_invalid");
    assert_false(s->report->authenticated);
    /* no reassurance after a bad signature */
    assert_null(check(s, "status"));
    done(s, ctx);
    free(t);

    /* alg none, HS256 with whatever secret */
    t = sign(p, "none");
    s = verify(t, docs, NULL, &ctx);
    assert_false(badge_session_verified(s));
    assert_false(s->report->authenticated);
    done(s, ctx);
    free(t);
    t = sign(p, "HS256");
    s = verify(t, docs, NULL, &ctx);
    assert_false(badge_session_verified(s));
    assert_false(s->report->authenticated);
    done(s, ctx);
    free(t);

    /* a key owned by someone else */
    snprintf(key2, sizeof(key2), "%s", key_doc);
    memcpy(strstr(key2, "issuer.json"), "ixxxer.json", 11);
    docs[0].body = key2;
    s = verify(jws, docs, NULL, &ctx);
    expect_fail(s, "key", "ob2_key_owner_mismatch");
    assert_false(s->report->authenticated);
    done(s, ctx);
    docs[0].body = key_doc;

    /* an issuer that does not list the key */
    snprintf(iss2, sizeof(iss2), "%s", issuer_doc);
    memcpy(strstr(iss2, "key.json"), "kex.json", 8);
    docs[2].body = iss2;
    s = verify(jws, docs, NULL, &ctx);
    expect_fail(s, "key", "ob2_key_not_listed");
    done(s, ctx);
    docs[2].body = issuer_doc;

    /* the key document at the creator URL names another key */
    snprintf(key2, sizeof(key2), "%s", key_doc);
    memcpy(strstr(key2, "key.json"), "kez.json", 8);
    docs[0].body = key2;
    s = verify(jws, docs, NULL, &ctx);
    expect_fail(s, "key", "ob2_key_id_mismatch");
    done(s, ctx);
    free(p);
    free(jws);
}

static void
test_shapes(void **state)
{
    char            *signed_json = assertion(AID, SIGNED,
                                             "2016-12-31T23:59:59Z", NULL);
    badge_ctx_t     *ctx;
    badge_session_t *s;
    doc_t            none[] = { { NULL, 0, NULL } };
    doc_t            badbadge[] = {
        { AID, 200, NULL },
        { BADGE, 200, "{" CTX "\"type\":\"BadgeClass\",\"id\":\"" BADGE "\","
                      "\"name\":\"x\",\"description\":\"y\",\"image\":\"z\","
                      "\"issuer\":\"" ISS "\"}" },
        { ISS, 200, NULL }, { NULL, 0, NULL } };
    char            *a;

    (void) state;
    /* a signed assertion's JSON proves nothing */
    s = verify(signed_json, none, NULL, &ctx);
    expect_fail(s, "signature", "ob2_signed_json");
    done(s, ctx);
    free(signed_json);

    /* Open Badges 1.0: recognized, refused clearly */
    s = verify("{\"uid\":\"1\",\"recipient\":\"sha256$00\",\"badge\":"
               "\"https://x.example/b\",\"verify\":{\"type\":\"hosted\","
               "\"url\":\"https://x.example/a\"},\"issuedOn\":1400000000}",
               none, NULL, &ctx);
    assert_false(badge_session_verified(s));
    assert_string_equal(s->report->errors->code, "ob_version_unsupported");
    done(s, ctx);

    /* a BadgeClass is not an assertion */
    s = verify(badge_doc, none, NULL, &ctx);
    assert_string_equal(s->report->errors->code, "ob2_not_assertion");
    done(s, ctx);

    /* a BadgeClass without criteria */
    a = assertion(AID, HOSTED, "2016-12-31T23:59:59Z", NULL);
    badbadge[0].body = a;
    badbadge[2].body = issuer_doc;
    s = verify(a, badbadge, NULL, &ctx);
    expect_fail(s, "schema", "ob2_badgeclass_invalid");
    assert_false(s->report->authenticated);
    done(s, ctx);
    free(a);

    /* no recipient */
    s = verify("{" CTX "\"type\":\"Assertion\",\"id\":\"" AID "\","
               "\"badge\":\"" BADGE "\",\"verification\":" HOSTED ","
               "\"issuedOn\":\"2016-01-01\"}", none, NULL, &ctx);
    expect_fail(s, "schema", "ob2_missing_property");
    done(s, ctx);
}

static void
test_rounds(void **state)
{
    char                *a = assertion(AID, HOSTED, "2016-12-31T23:59:59Z",
                                       NULL);
    badge_verify_opts_t  opts;
    badge_ctx_t         *ctx = badge_ctx_new();
    badge_session_t     *s;
    const char *const   *urls;

    (void) state;
    memset(&opts, 0, sizeof(opts));
    opts.now = NOW;
    s = badge_session_new(ctx, &opts);
    badge_session_set_input(s, a, strlen(a));
    /* round 1: only the hosted copy; nothing from the given copy is
     * fetched before the issuer's host has answered */
    assert_int_equal(badge_session_run(s), BADGE_NEED_DOCUMENTS);
    assert_int_equal(badge_session_needed(s, &urls), 1);
    assert_string_equal(urls[0], AID);
    badge_session_supply(s, AID, 200, NULL, a, strlen(a));
    assert_int_equal(badge_session_run(s), BADGE_NEED_DOCUMENTS);
    assert_int_equal(badge_session_needed(s, &urls), 1);
    assert_string_equal(urls[0], BADGE);
    badge_session_free(s);
    badge_ctx_free(ctx);
    free(a);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hosted_good),
        cmocka_unit_test(test_endorsements),
        cmocka_unit_test(test_hosted_tampered_and_scope),
        cmocka_unit_test(test_hosted_revoked),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_recipient),
        cmocka_unit_test(test_signed),
        cmocka_unit_test(test_signed_attacks),
        cmocka_unit_test(test_shapes),
        cmocka_unit_test(test_rounds),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
