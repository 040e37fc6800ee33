/*
 * Unit tests of http_glue.c: the request-body rules, error answers and the
 * access gate's decision the nginx and Apache glue share.
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

#include "http_glue.h"

static void
test_content_types(void **state)
{
    static const char *ok[] = {
        "application/json", "Application/JSON; charset=utf-8",
        "application/ld+json", "application/jwt", "application/vc+jwt",
        "text/plain;charset=UTF-8", " image/png", "image/svg+xml",
        "application/x-www-form-urlencoded", "application/octet-stream", ""
    };
    static const char *bad[] = {
        "text/html", "application/xml",
        "application/jsonx", "application/js", "text"
    };
    size_t i;

    (void) state;
    for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        assert_int_equal(badge_http_content_type_ok(ok[i], strlen(ok[i])), 1);
    }
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(badge_http_content_type_ok(bad[i], strlen(bad[i])),
                         0);
    }
    assert_int_equal(badge_http_content_type_ok(NULL, 0), 1);
    /* the verify page's form (src/http_multipart.c) */
    assert_int_equal(badge_http_content_type_ok(
        "multipart/form-data; boundary=x", 31), 1);
    /* not NUL-terminated: only the given length counts */
    assert_int_equal(badge_http_content_type_ok("text/plainXXX", 10), 1);
}

static void
test_form_field(void **state)
{
    char   out[64];
    size_t n;
    const char *f = "a=1&credential=%7B%22x%22%3A+1%7D&credential=2";

    (void) state;
    assert_int_equal(badge_http_form_field(f, strlen(f), "credential", out,
                                           &n), 0);
    assert_int_equal(n, 8);
    assert_memory_equal(out, "{\"x\": 1}", 8);
    /* an encoded key */
    f = "cred%65ntial=z";
    assert_int_equal(badge_http_form_field(f, strlen(f), "credential", out,
                                           &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(badge_http_form_field("x=1", 3, "credential", out, &n),
                     -1);
    assert_int_equal(badge_http_form_field("credentials=1", 13, "credential",
                                           out, &n), -1);
    /* cut or bad %-escapes */
    assert_int_equal(badge_http_form_field("credential=%", 12, "credential",
                                           out, &n), -2);
    assert_int_equal(badge_http_form_field("credential=%4", 13, "credential",
                                           out, &n), -2);
    assert_int_equal(badge_http_form_field("credential=%g0", 14,
                                           "credential", out, &n), -2);
    /* the length bounds the body: "%41" beyond it is not read */
    assert_int_equal(badge_http_form_field("credential=%41", 12,
                                           "credential", out, &n), -2);
    assert_int_equal(badge_http_form_field("credential", 10, "credential",
                                           out, &n), 0);
    assert_int_equal(n, 0);
}

static void
test_extract(void **state)
{
    char        scratch[128];
    const char *out;
    size_t      n;
    const char *jwt = "eyJhbGciOiJFZERTQSJ9.eyJ4IjoxfQ.c2ln";

    (void) state;
    assert_int_equal(badge_http_extract("text/html", 9, "x", 1, scratch,
                                        &out, &n), BADGE_HTTP_MEDIA_TYPE);
    assert_int_equal(badge_http_extract("application/json", 16, "", 0,
                                        scratch, &out, &n), BADGE_HTTP_EMPTY);
    assert_int_equal(badge_http_extract(NULL, 0, "{}", 2, scratch, &out, &n),
                     BADGE_HTTP_OK);
    assert_int_equal(n, 2);
    /* curl -d @badge.jwt */
    assert_int_equal(badge_http_extract("application/x-www-form-urlencoded",
                                        33, jwt, strlen(jwt), scratch, &out,
                                        &n), BADGE_HTTP_OK);
    assert_ptr_equal(out, jwt);
    assert_int_equal(badge_http_extract("application/x-www-form-urlencoded",
                                        33, "credential=", 11, scratch, &out,
                                        &n), BADGE_HTTP_EMPTY);
    assert_int_equal(badge_http_extract("application/x-www-form-urlencoded",
                                        33, "name=x", 6, scratch, &out, &n),
                     BADGE_HTTP_NO_FIELD);
    assert_int_equal(badge_http_extract("application/x-www-form-urlencoded",
                                        33, "credential=%zz", 14, scratch,
                                        &out, &n), BADGE_HTTP_BAD_FORM);
}

static void
test_error_json(void **state)
{
    char         buf[256];
    json_t      *j;
    json_error_t e;
    size_t       n, i;

    (void) state;
    n = badge_http_error_json(buf, sizeof(buf), "x_y",
                              "a \"quoted\"\n\x01 message \xe6\x97\xa5");
    assert_true(n < sizeof(buf));
    assert_int_equal(strlen(buf), n);
    j = json_loads(buf, 0, &e);
    assert_non_null(j);
    assert_true(json_is_false(json_object_get(j, "verified")));
    assert_string_equal(json_string_value(json_object_get(
        json_array_get(json_object_get(j, "errors"), 0), "code")), "x_y");
    assert_string_equal(json_string_value(json_object_get(
        json_array_get(json_object_get(j, "errors"), 0), "message")),
        "a \"quoted\"\n\x01 message \xe6\x97\xa5");
    json_decref(j);
    /* the length without a buffer, then cut safely at every size */
    n = badge_http_err_json(NULL, 0, BADGE_HTTP_TOO_LARGE);
    assert_true(n > 20);
    for (i = 1; i < n + 2 && i < sizeof(buf); i++) {
        memset(buf, 'Z', sizeof(buf));
        assert_int_equal(badge_http_err_json(buf, i, BADGE_HTTP_TOO_LARGE),
                         n);
        assert_true(strlen(buf) < i);
        assert_int_equal(buf[i], 'Z');
    }
    assert_int_equal(badge_http_err_status(BADGE_HTTP_METHOD), 405);
    assert_int_equal(badge_http_err_status(BADGE_HTTP_TOO_LARGE), 413);
    assert_int_equal(badge_http_err_status(BADGE_HTTP_MEDIA_TYPE), 415);
}

static void
test_lang(void **state)
{
    (void) state;
    assert_string_equal(badge_http_lang(NULL, 0), "en");
    assert_string_equal(badge_http_lang("ja", 2), "ja");
    assert_string_equal(badge_http_lang("ja-JP,en;q=0.5", 14), "ja");
    assert_string_equal(badge_http_lang("en-US, ja", 9), "en");
    assert_string_equal(badge_http_lang("fr, ja;q=0.8", 12), "ja");
    assert_string_equal(badge_http_lang("ja;q=0, en", 10), "en");
    assert_string_equal(badge_http_lang("ja;q=0.0", 8), "en");
    assert_string_equal(badge_http_lang("jam", 3), "en");
    assert_string_equal(badge_http_lang("ja", 1), "en");
}

static void
test_no_input(void **state)
{
    char buf[256];

    (void) state;
    /* GET of the verify endpoint without ?url= (nginx and Apache alike) */
    assert_int_equal(badge_http_err_status(BADGE_HTTP_NO_INPUT), 400);
    assert_string_equal(badge_http_err_code(BADGE_HTTP_NO_INPUT),
                        "input_empty");
    assert_string_equal(badge_http_err_message(BADGE_HTTP_NO_INPUT),
                        "nothing to verify: POST a credential, or GET with "
                        "?url=<credential URL>");
    assert_true(badge_http_err_json(buf, sizeof(buf), BADGE_HTTP_NO_INPUT)
                < sizeof(buf));
    assert_non_null(strstr(buf, "\"code\":\"input_empty\""));
    assert_non_null(strstr(buf, "GET with ?url=<credential URL>"));
    /* the code alone still gives the message of an empty body */
    badge_http_error_json(buf, sizeof(buf), "input_empty", NULL);
    assert_non_null(strstr(buf, "the request body is empty"));
}

static const badge_http_verdict_t verified_v = {
    1, BADGE_OUTCOME_VERIFIED, NULL, NULL,
    "did:web:a.example", "https://a.example/achievements/1"
};

static void
test_gate_outcomes(void **state)
{
    badge_http_verdict_t v;
    const char          *code = "x";

    (void) state;
    /* verified, no policy: admitted */
    assert_int_equal(badge_http_gate_decide(&verified_v, NULL, &code), 0);
    assert_null(code);

    /* a failing check: 401 with its code */
    v = verified_v;
    v.verified = 0;
    v.outcome = BADGE_OUTCOME_FAILED;
    v.fail_check = "signature";
    v.fail_code = "signature_invalid";
    assert_int_equal(badge_http_gate_decide(&v, NULL, &code), 401);
    assert_string_equal(code, "signature_invalid");
    v.fail_check = "status";
    v.fail_code = "status_revoked";
    assert_int_equal(badge_http_gate_decide(&v, NULL, &code), 401);
    assert_string_equal(code, "status_revoked");
    /* the input is not a credential */
    v.fail_check = "input";
    v.fail_code = "input_unrecognized";
    assert_int_equal(badge_http_gate_decide(&v, NULL, &code), 401);
    assert_string_equal(code, "input_unrecognized");
    /* a failing issuer check is the policy's: 403 */
    v.fail_check = "issuer";
    v.fail_code = "issuer_unknown";
    assert_int_equal(badge_http_gate_decide(&v, NULL, &code), 403);
    assert_string_equal(code, "issuer_unknown");
    /* no code: a generic one, never NULL */
    v.fail_check = NULL;
    v.fail_code = NULL;
    assert_int_equal(badge_http_gate_decide(&v, NULL, &code), 401);
    assert_string_equal(code, "not_verified");
    v.fail_code = "";
    assert_int_equal(badge_http_gate_decide(&v, NULL, &code), 401);
    assert_string_equal(code, "not_verified");

    /* only unchecked (the DID document could not be fetched): 401 */
    v.outcome = BADGE_OUTCOME_UNCHECKED;
    v.fail_check = "key";
    v.fail_code = "fetch_failed";
    assert_int_equal(badge_http_gate_decide(&v, NULL, &code), 401);
    assert_string_equal(code, "fetch_failed");
    v.fail_code = NULL;
    assert_int_equal(badge_http_gate_decide(&v, NULL, &code), 401);
    assert_string_equal(code, "unchecked");

    /* "verified" outcome, but the report says not verified: never admit */
    v = verified_v;
    v.verified = 0;
    assert_int_equal(badge_http_gate_decide(&v, NULL, &code), 401);
    assert_string_equal(code, "not_verified");

    /* no report */
    v.outcome = BADGE_OUTCOME_NO_REPORT;
    assert_int_equal(badge_http_gate_decide(&v, NULL, &code), 500);
    assert_string_equal(code, "internal_error");
    assert_int_equal(badge_http_gate_decide(NULL, NULL, &code), 500);
    assert_string_equal(code, "internal_error");
    badge_http_verdict_from_session(NULL, &v);
    assert_int_equal(v.outcome, BADGE_OUTCOME_NO_REPORT);
    assert_int_equal(badge_http_gate_decide(&v, NULL, &code), 500);
}

static void
test_gate_policy(void **state)
{
    /* the lists need not be NUL-terminated: only len counts */
    static const badge_http_str_t issuers[] = {
        { "did:web:b.example", 17 },
        { "did:web:a.exampleXYZ", 17 },
    };
    static const badge_http_str_t short_issuer[] = {
        { "did:web:a.exampl", 16 },
    };
    static const badge_http_str_t achievements[] = {
        { "https://a.example/achievements/2", 32 },
    };
    badge_http_gate_policy_t p;
    badge_http_verdict_t     v = verified_v;
    const char              *code;

    (void) state;
    memset(&p, 0, sizeof(p));
    assert_int_equal(badge_http_gate_decide(&v, &p, &code), 0);
    assert_null(code);

    /* an issuer the host does not trust (nginx's trust list) */
    p.issuer_untrusted = 1;
    assert_int_equal(badge_http_gate_decide(&v, &p, &code), 403);
    assert_string_equal(code, "issuer_not_trusted");
    /* ... comes after the credential's own verdict */
    v.verified = 0;
    v.outcome = BADGE_OUTCOME_FAILED;
    v.fail_check = "signature";
    v.fail_code = "signature_invalid";
    assert_int_equal(badge_http_gate_decide(&v, &p, &code), 401);
    assert_string_equal(code, "signature_invalid");
    v = verified_v;
    p.issuer_untrusted = 0;

    /* allowed issuers */
    p.issuers = issuers;
    p.n_issuers = 2;
    assert_int_equal(badge_http_gate_decide(&v, &p, &code), 0);
    p.n_issuers = 1;
    assert_int_equal(badge_http_gate_decide(&v, &p, &code), 403);
    assert_string_equal(code, "issuer_not_allowed");
    /* a prefix is not the issuer */
    p.issuers = short_issuer;
    assert_int_equal(badge_http_gate_decide(&v, &p, &code), 403);
    assert_string_equal(code, "issuer_not_allowed");
    /* a credential without an issuer id never matches */
    p.issuers = issuers;
    p.n_issuers = 2;
    v.issuer = NULL;
    assert_int_equal(badge_http_gate_decide(&v, &p, &code), 403);
    assert_string_equal(code, "issuer_not_allowed");
    v = verified_v;

    /* allowed achievements, checked after the issuers */
    p.achievements = achievements;
    p.n_achievements = 1;
    assert_int_equal(badge_http_gate_decide(&v, &p, &code), 403);
    assert_string_equal(code, "achievement_not_allowed");
    v.achievement = "https://a.example/achievements/2";
    assert_int_equal(badge_http_gate_decide(&v, &p, &code), 0);
    v.issuer = "did:web:c.example";
    assert_int_equal(badge_http_gate_decide(&v, &p, &code), 403);
    assert_string_equal(code, "issuer_not_allowed");
    v.issuer = "did:web:b.example";
    v.achievement = NULL;
    assert_int_equal(badge_http_gate_decide(&v, &p, &code), 403);
    assert_string_equal(code, "achievement_not_allowed");
}

/* The verdict of real sessions (t/vectors/nginx: did:jwk credentials that
 * verify offline), then the gate. */
static char *
read_vector(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long  n;

    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    assert_true(n > 0);
    rewind(f);
    buf = malloc((size_t) n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t) n, f), (size_t) n);
    fclose(f);
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r')) {
        n--;
    }
    buf[n] = '\0';
    *len = (size_t) n;
    return buf;
}

static badge_session_t *
run_session(badge_ctx_t *ctx, const char *data, size_t len)
{
    badge_session_t    *s = badge_session_new(ctx, NULL);
    const char *const  *urls;
    size_t              i, n;

    assert_non_null(s);
    assert_int_equal(badge_session_set_input(s, data, len), 0);
    while (badge_session_run(s) == BADGE_NEED_DOCUMENTS) {
        /* nothing is fetched here */
        n = badge_session_needed(s, &urls);
        for (i = 0; i < n; i++) {
            badge_session_supply(s, urls[i], 0, NULL, NULL, 0);
        }
    }
    return s;
}

static void
test_gate_sessions(void **state)
{
    badge_ctx_t              *ctx = badge_ctx_new();
    badge_session_t          *s;
    badge_http_verdict_t      v;
    badge_http_gate_policy_t  p;
    badge_http_str_t          allowed;
    const char               *code;
    char                     *good, *tampered, *didweb, issuer[1024];
    char                      err[256];
    size_t                    glen, tlen, wlen;

    (void) state;
    assert_non_null(ctx);
    good = read_vector("t/vectors/nginx/didjwk.jwt", &glen);
    tampered = read_vector("t/vectors/nginx/didjwk-tampered.jwt", &tlen);
    didweb = read_vector("t/vectors/nginx/didweb.jwt", &wlen);

    /* verifies: admitted, and the verdict carries the issuer */
    s = run_session(ctx, good, glen);
    badge_http_verdict_from_session(s, &v);
    assert_int_equal(v.verified, 1);
    assert_int_equal(v.outcome, BADGE_OUTCOME_VERIFIED);
    assert_non_null(v.issuer);
    assert_int_equal(strncmp(v.issuer, "did:jwk:", 8), 0);
    assert_true(strlen(v.issuer) < sizeof(issuer));
    strcpy(issuer, v.issuer);
    assert_int_equal(badge_http_gate_decide(&v, NULL, &code), 0);
    memset(&p, 0, sizeof(p));
    allowed.data = "did:web:issuer.example";
    allowed.len = strlen(allowed.data);
    p.issuers = &allowed;
    p.n_issuers = 1;
    assert_int_equal(badge_http_gate_decide(&v, &p, &code), 403);
    assert_string_equal(code, "issuer_not_allowed");
    badge_session_free(s);

    /* tampered: 401 with the signature's code */
    s = run_session(ctx, tampered, tlen);
    badge_http_verdict_from_session(s, &v);
    assert_int_equal(v.verified, 0);
    assert_int_equal(v.outcome, BADGE_OUTCOME_FAILED);
    assert_int_equal(badge_http_gate_decide(&v, &p, &code), 401);
    assert_non_null(code);
    assert_string_equal(code, v.fail_code);
    assert_string_equal(v.fail_check, "signature");
    badge_session_free(s);

    /* did:web without its DID document: unchecked, 401 */
    s = run_session(ctx, didweb, wlen);
    badge_http_verdict_from_session(s, &v);
    assert_int_equal(v.outcome, BADGE_OUTCOME_UNCHECKED);
    assert_int_equal(badge_http_gate_decide(&v, NULL, &code), 401);
    assert_string_equal(code, v.fail_code);
    badge_session_free(s);

    /* not a credential */
    s = run_session(ctx, "not a badge", 11);
    badge_http_verdict_from_session(s, &v);
    assert_int_equal(badge_http_gate_decide(&v, NULL, &code), 401);
    assert_string_equal(code, "input_unrecognized");
    badge_session_free(s);

    /* a gate that requires trusted issuers (Apache's): the core's issuer
     * check fails, 403; trusted, admitted */
    assert_int_equal(badge_ctx_set_option(ctx, BADGE_OPT_REQUIRE_TRUSTED, 1),
                     0);
    s = run_session(ctx, good, glen);
    badge_http_verdict_from_session(s, &v);
    assert_int_equal(v.outcome, BADGE_OUTCOME_FAILED);
    assert_string_equal(v.fail_check, "issuer");
    assert_int_equal(badge_http_gate_decide(&v, NULL, &code), 403);
    assert_string_equal(code, v.fail_code);
    badge_session_free(s);
    assert_int_equal(badge_ctx_trust_issuer(ctx, issuer, err, sizeof(err)),
                     0);
    s = run_session(ctx, good, glen);
    badge_http_verdict_from_session(s, &v);
    assert_int_equal(badge_http_gate_decide(&v, NULL, &code), 0);
    allowed.data = issuer;
    allowed.len = strlen(issuer);
    assert_int_equal(badge_http_gate_decide(&v, &p, &code), 0);
    badge_session_free(s);

    free(good);
    free(tampered);
    free(didweb);
    badge_ctx_free(ctx);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_content_types),
        cmocka_unit_test(test_form_field),
        cmocka_unit_test(test_extract),
        cmocka_unit_test(test_error_json),
        cmocka_unit_test(test_lang),
        cmocka_unit_test(test_no_input),
        cmocka_unit_test(test_gate_outcomes),
        cmocka_unit_test(test_gate_policy),
        cmocka_unit_test(test_gate_sessions),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
