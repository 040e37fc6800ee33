/*
 * Hostile inputs through the public session API (badge_session_*), the
 * rows of docs/hostile-inputs.md that no other unit test covers at this
 * level.  Every case must end in a clear error code, in bounded time and
 * bounded session memory, and must never make the core ask the host to
 * fetch a private, loopback, link-local or file: URL.
 *
 * Time bounds are generous (2 s; 4x under sanitizers) and measured with
 * CLOCK_MONOTONIC; memory is the session arena's use (badge_arena_used).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>
#include <cmocka.h>

#include <jansson.h>

#include "badge.h"
#include "report.h"
#include "session.h"
#include "url.h"

#include "jose_helpers.h"

#if defined(__SANITIZE_ADDRESS__)
#define SLOW  4.0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SLOW  4.0
#endif
#endif
#ifndef SLOW
#define SLOW  1.0
#endif
#define MAX_SECONDS   (2.0 * SLOW)

#define NOW       1735689600          /* 2025-01-01T00:00:00Z */
#define ISSUER    "https://issuer.example.org/profile"
#define LIST_URL  "https://issuer.example.org/status/1"

/* ------------------------------------------------------------------ */
/* harness                                                              */

/* every URL any session of this test asked the host for */
static char   *asked[256];
static size_t  n_asked;

/* documents handed over when asked: url -> body (NULL: fetch fails) */
static const char *doc_url;
static const char *doc_body;

static double  last_seconds;
static size_t  last_arena;

static double
now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static void
forget_asked(void)
{
    size_t i;

    for (i = 0; i < n_asked; i++) {
        free(asked[i]);
    }
    n_asked = 0;
}

/* Run a session on input (or on url when input is NULL) to the end,
 * answering every request (doc_url gets doc_body, the rest fail). */
static badge_session_t *
run(badge_ctx_t *ctx, const void *input, size_t len, const char *url)
{
    badge_verify_opts_t  o;
    badge_session_t     *s;
    badge_step_t         st;
    const char *const   *urls;
    size_t               n, i;
    double               t0 = now_s();

    memset(&o, 0, sizeof(o));
    o.now = NOW;
    s = badge_session_new(ctx, &o);
    assert_non_null(s);
    if (input != NULL) {
        badge_session_set_input(s, input, len);
    } else {
        badge_session_set_input_url(s, url);
    }
    while ((st = badge_session_run(s)) == BADGE_NEED_DOCUMENTS) {
        n = badge_session_needed(s, &urls);
        for (i = 0; i < n; i++) {
            if (n_asked < 256) {
                asked[n_asked++] = strdup(urls[i]);
            }
            if (doc_url != NULL && strcmp(urls[i], doc_url) == 0) {
                badge_session_supply(s, urls[i], 200, NULL, doc_body,
                                     strlen(doc_body));
            } else {
                badge_session_supply(s, urls[i], 0, NULL, NULL, 0);
            }
        }
    }
    assert_int_equal(st, BADGE_DONE);
    assert_non_null(badge_session_report_json(s, NULL));
    last_seconds = now_s() - t0;
    last_arena = badge_arena_used(s->arena);
    if (last_seconds > MAX_SECONDS) {
        fail_msg("took %.2f s (bound %.1f s)", last_seconds, MAX_SECONDS);
    }
    return s;
}

static int
report_has_code(const badge_report_t *r, const char *code)
{
    const badge_check_t        *c;
    const badge_report_error_t *e;
    const badge_report_child_t *ch;

    for (c = r->checks; c != NULL; c = c->next) {
        if (c->code != NULL && strcmp(c->code, code) == 0) {
            return 1;
        }
    }
    for (e = r->errors; e != NULL; e = e->next) {
        if (e->code != NULL && strcmp(e->code, code) == 0) {
            return 1;
        }
    }
    for (ch = r->children; ch != NULL; ch = ch->next) {
        if (report_has_code(ch->report, code)) {
            return 1;
        }
    }
    return 0;
}

#define assert_code(s, code) do {                                          \
        if (!report_has_code((s)->report, code)) {                         \
            fail_msg("no %s in:\n%s", code,                                \
                     badge_session_report_json(s, NULL));                  \
        }                                                                  \
    } while (0)

#define assert_not_verified(s) do {                                        \
        if (badge_session_verified(s)) {                                   \
            fail_msg("verified:\n%s", badge_session_report_json(s, NULL)); \
        }                                                                  \
    } while (0)

/* no URL asked for so far points at a private host or is not http(s) */
static void
assert_nothing_private_asked(void)
{
    badge_arena_t *a = badge_arena_new(0);
    badge_url_t    u;
    size_t         i;

    for (i = 0; i < n_asked; i++) {
        if (strncmp(asked[i], "https://", 8) != 0
            && strncmp(asked[i], "http://", 7) != 0)
        {
            fail_msg("asked the host for %s", asked[i]);
        }
        if (badge_url_parse(a, asked[i], &u) != 0
            || badge_host_is_private(u.host))
        {
            fail_msg("asked the host for %s", asked[i]);
        }
    }
    badge_arena_free(a);
}

/* ------------------------------------------------------------------ */
/* signed fixtures                                                      */

static EVP_PKEY    *key;
static badge_ctx_t *tctx;   /* trusts ISSUER with key */

static int
setup(void **state)
{
    char *pem;
    char  err[256];

    (void) state;
    key = th_keygen("ed25519");
    pem = th_pem(key, 0);
    tctx = badge_ctx_new();
    if (tctx == NULL
        || badge_ctx_add_key(tctx, ISSUER, NULL, pem, strlen(pem), err,
                             sizeof(err)) != 0)
    {
        fprintf(stderr, "setup: %s\n", err);
        free(pem);
        return -1;
    }
    free(pem);
    return 0;
}

static int
teardown(void **state)
{
    (void) state;
    badge_ctx_free(tctx);
    EVP_PKEY_free(key);
    forget_asked();
    return 0;
}

/* An OB 3.0 credential in the VC 2.0 JWT payload form, with the given
 * names (may contain anything) and extra members merged in. */
static json_t *
cred(const char *issuer_name, const char *ach_name, const char *subject,
    const char *id)
{
    json_t *c = json_pack("{s:[s,s], s:s, s:[s,s], s:{s:s, s:[s], s:s},"
        " s:s, s:s, s:{s:s, s:[s], s:{s:s, s:[s], s:s, s:{s:s}}},"
        " s:s, s:s, s:I}",
        "@context", "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        "id", id,
        "type", "VerifiableCredential", "OpenBadgeCredential",
        "issuer", "id", ISSUER, "type", "Profile", "name", issuer_name,
        "name", "course", "validFrom", "2024-01-01T00:00:00Z",
        "credentialSubject", "id", subject, "type", "AchievementSubject",
        "achievement", "id", "https://issuer.example.org/achievements/1",
        "type", "Achievement", "name", ach_name, "criteria", "narrative",
        "pass",
        "iss", ISSUER, "sub", subject, "nbf", (json_int_t) 1704067200);

    assert_non_null(c);
    json_object_set_new(c, "jti", json_string(id));
    return c;
}

/* sign a JSON text as an EdDSA JWT (the caller frees) */
static char *
sign_text(const char *payload)
{
    return th_jwt(key, "EdDSA", "{\"alg\":\"EdDSA\",\"typ\":\"vc+jwt\"}",
                  payload, NULL, 0);
}

static char *
sign_json(json_t *c)
{
    char *p = json_dumps(c, JSON_COMPACT);
    char *jwt = sign_text(p);

    free(p);
    return jwt;
}

/* ------------------------------------------------------------------ */
/* JSON                                                                 */

/* 100,000 levels of nesting: refused fast, no stack overflow */
static void
test_deep_nesting(void **state)
{
    const size_t     depth = 100000;
    char            *buf = malloc(depth * 6 + 64), *p = buf;
    badge_ctx_t     *ctx = badge_ctx_new();
    badge_session_t *s;
    size_t           i;

    (void) state;
    p += sprintf(p, "{\"@context\":\"https://www.w3.org/ns/credentials/v2\","
                    "\"a\":");
    for (i = 0; i < depth; i++) {
        *p++ = (i & 1) ? '[' : '{';
        if (!(i & 1)) {
            p += sprintf(p, "\"k\":");
        }
    }
    *p++ = '1';
    for (i = depth; i-- > 0;) {
        *p++ = (i & 1) ? ']' : '}';
    }
    *p++ = '}';
    s = run(ctx, buf, (size_t) (p - buf), NULL);
    assert_not_verified(s);
    if (!report_has_code(s->report, "json_too_deep")
        && !report_has_code(s->report, "json_invalid"))
    {
        fail_msg("%s", badge_session_report_json(s, NULL));
    }
    badge_session_free(s);

    /* the same depth inside a signed JWT payload */
    buf[0] = '{';
    {
        char *jwt;

        p = buf + sprintf(buf, "{\"iss\":\"" ISSUER "\",\"x\":");
        for (i = 0; i < 20000; i++) {
            *p++ = '[';
        }
        for (i = 0; i < 20000; i++) {
            *p++ = ']';
        }
        *p++ = '}';
        *p = '\0';
        jwt = sign_text(buf);
        s = run(tctx, jwt, strlen(jwt), NULL);
        assert_not_verified(s);
        badge_session_free(s);
        free(jwt);
    }
    free(buf);
    badge_ctx_free(ctx);
}

/* a million-element array: within the input limit it is parsed and
 * verified (or refused) in bounded time and memory; the default limit
 * refuses it before parsing */
static void
test_million_elements(void **state)
{
    const size_t     n = 1000000;
    badge_ctx_t     *ctx = badge_ctx_new();
    char            *buf = malloc(n * 2 + 256), *p = buf;
    badge_session_t *s;
    size_t           i;

    (void) state;
    p += sprintf(p, "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],"
                    "\"type\":[\"VerifiableCredential\"],\"issuer\":\""
                    ISSUER "\",\"credentialSubject\":{\"id\":\"urn:x\"},"
                    "\"x\":[");
    for (i = 0; i < n; i++) {
        *p++ = '0';
        *p++ = ',';
    }
    p[-1] = ']';
    *p++ = '}';
    s = run(ctx, buf, (size_t) (p - buf), NULL);
    assert_code(s, "input_too_large");
    assert_not_verified(s);
    badge_session_free(s);

    badge_ctx_set_option(ctx, BADGE_OPT_MAX_INPUT, 8 << 20);
    s = run(ctx, buf, (size_t) (p - buf), NULL);
    assert_not_verified(s);
    /* no proof: that is what it must say */
    if (!report_has_code(s->report, "proof_missing")
        && s->report->errors == NULL
        && badge_report_find(s->report, "signature") == NULL)
    {
        fail_msg("%s", badge_session_report_json(s, NULL));
    }
    print_message("million-element array: %.3f s, arena %zu KiB\n",
                  last_seconds, last_arena / 1024);
    /* the arena holds the input and the report, not a copy per element */
    assert_true(last_arena < 64u << 20);
    badge_session_free(s);
    free(buf);
    badge_ctx_free(ctx);
}

static void
test_duplicate_keys(void **state)
{
    badge_ctx_t     *ctx = badge_ctx_new();
    badge_session_t *s;
    char            *jwt;
    const char      *dup =
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],"
        "\"type\":[\"VerifiableCredential\"],"
        "\"issuer\":\"https://good.example\","
        "\"issuer\":\"https://evil.example\","
        "\"credentialSubject\":{\"id\":\"urn:x\"}}";
    json_t          *c;
    char            *p, *q;

    (void) state;
    s = run(ctx, dup, strlen(dup), NULL);
    assert_code(s, "json_invalid");
    assert_not_verified(s);
    badge_session_free(s);

    /* in a signed JWT payload: a valid signature over an ambiguous
     * document is not a verified credential */
    c = cred("U", "A", "did:example:holder", "urn:uuid:1");
    p = json_dumps(c, JSON_COMPACT);
    q = malloc(strlen(p) + 64);
    sprintf(q, "{\"iss\":\"https://evil.example\",%s", p + 1);
    jwt = sign_text(q);
    s = run(tctx, jwt, strlen(jwt), NULL);
    assert_not_verified(s);
    badge_session_free(s);
    free(jwt);
    free(q);
    free(p);
    json_decref(c);
    badge_ctx_free(ctx);
}

static void
test_invalid_utf8_and_nul(void **state)
{
    static const char *bad[] = {
        "{\"@context\":\"https://www.w3.org/ns/credentials/v2\",\"n\":\"\xff\"}",
        "{\"@context\":\"https://www.w3.org/ns/credentials/v2\",\"n\":\"\xc0\xaf\"}",
        "{\"@context\":\"https://www.w3.org/ns/credentials/v2\",\"n\":\"\xed\xa0\x80\"}",
        "{\"@context\":\"https://www.w3.org/ns/credentials/v2\",\"n\":\"a\\u0000b\"}",
        "{\"@context\":\"https://www.w3.org/ns/credentials/v2\",\"a\\u0000\":1}",
        NULL
    };
    static const char  raw_nul[] =
        "{\"@context\":\"https://www.w3.org/ns/credentials/v2\",\"n\":\"a\0b\"}";
    badge_ctx_t       *ctx = badge_ctx_new();
    badge_session_t   *s;
    size_t             i;
    char              *jwt, *jwt2;

    (void) state;
    for (i = 0; bad[i] != NULL; i++) {
        s = run(ctx, bad[i], strlen(bad[i]), NULL);
        assert_not_verified(s);
        assert_code(s, "json_invalid");
        badge_session_free(s);
    }
    s = run(ctx, raw_nul, sizeof(raw_nul) - 1, NULL);
    assert_not_verified(s);
    assert_non_null(s->report->errors);
    badge_session_free(s);

    /* a signed JWT whose payload is not UTF-8, and one with a NUL in a
     * claim: the signature is valid, the credential is not read */
    jwt = sign_text("{\"iss\":\"" ISSUER "\",\"name\":\"\xff\xfe\"}");
    s = run(tctx, jwt, strlen(jwt), NULL);
    assert_not_verified(s);
    badge_session_free(s);
    free(jwt);
    jwt = sign_text("{\"iss\":\"" ISSUER "\",\"name\":\"a\\u0000b\"}");
    s = run(tctx, jwt, strlen(jwt), NULL);
    assert_not_verified(s);
    badge_session_free(s);
    /* a NUL byte in the middle of the token itself */
    jwt2 = strdup(jwt);
    jwt2[strlen(jwt2) / 2] = '\0';
    s = run(tctx, jwt2, strlen(jwt), NULL);
    assert_not_verified(s);
    assert_non_null(s->report->errors);
    badge_session_free(s);
    free(jwt2);
    free(jwt);
    badge_ctx_free(ctx);
}

/* numbers past every range: refused or clamped, never undefined
 * behaviour (UBSan in `make asan` watches the double -> time_t casts) */
static void
test_huge_numbers(void **state)
{
    static const char *claims[] = {
        "\"exp\": 1e300", "\"exp\": -1e300", "\"nbf\": 1e300",
        "\"nbf\": -1e300", "\"exp\": 9223372036854775807",
        "\"nbf\": -9223372036854775808", "\"iat\": 1.5e19",
        "\"exp\": 253402300800", "\"exp\": 0.5", NULL
    };
    badge_ctx_t     *ctx = badge_ctx_new();
    badge_session_t *s;
    json_t          *c;
    char            *p, *q, *jwt, *big;
    size_t           i;
    const char      *j;

    (void) state;
    j = "{\"@context\":\"https://www.w3.org/ns/credentials/v2\",\"n\":1e999999}";
    s = run(ctx, j, strlen(j), NULL);
    assert_code(s, "json_invalid");
    badge_session_free(s);
    big = malloc(5000);
    i = (size_t) sprintf(big, "{\"@context\":"
                         "\"https://www.w3.org/ns/credentials/v2\",\"n\":");
    memset(big + i, '9', 4000);
    strcpy(big + i + 4000, "}");
    s = run(ctx, big, strlen(big), NULL);
    assert_code(s, "json_invalid");
    badge_session_free(s);
    free(big);

    c = cred("U", "A", "did:example:holder", "urn:uuid:2");
    p = json_dumps(c, JSON_COMPACT);
    for (i = 0; claims[i] != NULL; i++) {
        q = malloc(strlen(p) + 64);
        sprintf(q, "{%s,%s", claims[i], p + 1);
        jwt = sign_text(q);
        s = run(tctx, jwt, strlen(jwt), NULL);
        /* the dates were looked at: a validity check is there */
        if (badge_report_find(s->report, "validity") == NULL
            && s->report->errors == NULL)
        {
            fail_msg("%s: %s", claims[i], badge_session_report_json(s, NULL));
        }
        if (strstr(claims[i], "exp\": -") != NULL
            || strstr(claims[i], "exp\": 0.5") != NULL)
        {
            assert_not_verified(s);
        }
        badge_session_free(s);
        free(jwt);
        free(q);
    }
    free(p);
    json_decref(c);
    badge_ctx_free(ctx);
}

/* ------------------------------------------------------------------ */
/* status lists                                                         */

/* base64url without padding */
static char *
b64url(const unsigned char *p, size_t n)
{
    return th_b64url(p, n);
}

/* gzip of n zero bytes, "u" + base64url */
static char *
gzip_zeros(size_t n)
{
    z_stream       z;
    unsigned char *in = calloc(1, 1 << 20), *out;
    size_t         cap = n / 500 + 4096, left = n, chunk;
    char          *enc, *mb;

    memset(&z, 0, sizeof(z));
    out = malloc(cap);
    deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
    z.next_out = out;
    z.avail_out = (uInt) cap;
    while (left > 0) {
        chunk = left < (1u << 20) ? left : (1u << 20);
        z.next_in = in;
        z.avail_in = (uInt) chunk;
        left -= chunk;
        deflate(&z, left == 0 ? Z_FINISH : Z_NO_FLUSH);
    }
    enc = b64url(out, cap - z.avail_out);
    deflateEnd(&z);
    mb = malloc(strlen(enc) + 2);
    sprintf(mb, "u%s", enc);
    free(enc);
    free(out);
    free(in);
    return mb;
}

/* a signed BitstringStatusListCredential (VC-JWT) with this encodedList */
static char *
status_list_jwt(const char *encoded)
{
    json_t *l = json_pack("{s:[s], s:s, s:[s,s], s:s, s:s,"
        " s:{s:s, s:s, s:s, s:s}, s:s, s:I}",
        "@context", "https://www.w3.org/ns/credentials/v2",
        "id", LIST_URL,
        "type", "VerifiableCredential", "BitstringStatusListCredential",
        "issuer", ISSUER, "validFrom", "2024-01-01T00:00:00Z",
        "credentialSubject", "id", LIST_URL "#list",
        "type", "BitstringStatusList", "statusPurpose", "revocation",
        "encodedList", encoded,
        "iss", ISSUER, "nbf", (json_int_t) 1704067200);
    char   *jwt = sign_json(l);

    json_decref(l);
    return jwt;
}

static char *
cred_with_status(const char *index_json)
{
    json_t *c = cred("U", "A", "did:example:holder", "urn:uuid:3");
    json_t *st;
    char   *e, *jwt;

    e = malloc(strlen(index_json) + 256);
    sprintf(e, "{\"id\":\"" LIST_URL "#5\",\"type\":"
               "\"BitstringStatusListEntry\",\"statusPurpose\":"
               "\"revocation\",\"statusListIndex\":%s,"
               "\"statusListCredential\":\"" LIST_URL "\"}", index_json);
    st = json_loads(e, 0, NULL);
    assert_non_null(st);
    json_object_set_new(c, "credentialStatus", st);
    jwt = sign_json(c);
    json_decref(c);
    free(e);
    return jwt;
}

static void
test_status_gzip_bomb(void **state)
{
    char            *enc, *list, *jwt;
    badge_session_t *s;
    const badge_check_t *c;

    (void) state;
    /* 64 MiB of zeros, ~64 KiB compressed: over the 16 MiB bound */
    enc = gzip_zeros((size_t) 64 << 20);
    assert_true(strlen(enc) < 256 * 1024);
    list = status_list_jwt(enc);
    jwt = cred_with_status("\"5\"");
    doc_url = LIST_URL;
    doc_body = list;
    s = run(tctx, jwt, strlen(jwt), NULL);
    print_message("gzip bomb: %.3f s, arena %zu KiB\n", last_seconds,
                  last_arena / 1024);
    c = badge_report_find(s->report, "status");
    assert_non_null(c);
    assert_int_not_equal(c->status, BADGE_PASS);
    assert_code(s, "status_list_too_large");
    /* the arena never holds the inflated list */
    assert_true(last_arena < 24u << 20);
    badge_session_free(s);
    doc_url = doc_body = NULL;
    free(jwt);
    free(list);
    free(enc);
}

static void
test_status_indexes(void **state)
{
    static const struct {
        const char *index;
        const char *code;
    } cases[] = {
        { "\"-1\"", "status_index_invalid" },
        { "-1", "status_index_invalid" },
        { "\"abc\"", "status_index_invalid" },
        { "\"1e3\"", "status_index_invalid" },
        { "\"0x10\"", "status_index_invalid" },
        { "\"\"", "status_index_invalid" },
        { "null", "status_index_invalid" },
        { "\"18446744073709551616\"", NULL },      /* > 2^64 */
        { "\"999999999999\"", "status_index_out_of_range" },
        { "\"131072\"", "status_index_out_of_range" },  /* one past */
    };
    char            *enc, *list, *jwt;
    badge_session_t *s;
    const badge_check_t *c;
    size_t           i;

    (void) state;
    enc = gzip_zeros(131072 / 8);
    list = status_list_jwt(enc);
    doc_url = LIST_URL;
    doc_body = list;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        jwt = cred_with_status(cases[i].index);
        s = run(tctx, jwt, strlen(jwt), NULL);
        c = badge_report_find(s->report, "status");
        if (c == NULL || c->status == BADGE_PASS) {
            fail_msg("index %s: %s", cases[i].index,
                     badge_session_report_json(s, NULL));
        }
        if (cases[i].code != NULL) {
            assert_code(s, cases[i].code);
        }
        assert_not_verified(s);
        badge_session_free(s);
        free(jwt);
    }
    /* the last valid index answers "not revoked" (the fixture works) */
    jwt = cred_with_status("\"131071\"");
    s = run(tctx, jwt, strlen(jwt), NULL);
    c = badge_report_find(s->report, "status");
    assert_non_null(c);
    assert_int_equal(c->status, BADGE_PASS);
    badge_session_free(s);
    free(jwt);
    doc_url = doc_body = NULL;
    free(list);
    free(enc);
}

/* ------------------------------------------------------------------ */
/* JSON-LD / Data Integrity                                             */

#define DI_KEY "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"

/* A Data Integrity (eddsa-rdfc-2022) credential around extra members;
 * the proof value is well-formed but does not match (canonicalization
 * comes before the signature check, which is what is exercised). */
static char *
di_cred(const char *context_extra, const char *subject)
{
    char *s = malloc(strlen(subject) + 2048);

    sprintf(s, "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"%s],"
        "\"id\":\"urn:uuid:4\",\"type\":[\"VerifiableCredential\"],"
        "\"issuer\":\"" DI_KEY "\",\"validFrom\":\"2024-01-01T00:00:00Z\","
        "\"credentialSubject\":%s,"
        "\"proof\":{\"type\":\"DataIntegrityProof\",\"cryptosuite\":"
        "\"eddsa-rdfc-2022\",\"created\":\"2024-02-24T23:36:38Z\","
        "\"verificationMethod\":\"" DI_KEY "#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6"
        "pvBQ7XJPt4swbTQ2\",\"proofPurpose\":\"assertionMethod\","
        "\"proofValue\":\"z2YwC8z3ap7yx1nZYCg4L3j3ApHsF8kgPdSb5xoS1VR7vPG3F5"
        "61B52hYnQF9iseabecm3ijx4K1FBTQsCZahKZme\"}}", context_extra,
        subject);
    return s;
}

/* the well-formed credential reaches the signature check (fixture) */
static void
test_di_fixture(void **state)
{
    badge_ctx_t     *ctx = badge_ctx_new();
    char            *d = di_cred("", "{\"id\":\"did:example:x\"}");
    badge_session_t *s;
    const badge_check_t *c;

    (void) state;
    s = run(ctx, d, strlen(d), NULL);
    c = badge_report_find(s->report, "signature");
    assert_non_null(c);
    assert_int_equal(c->status, BADGE_FAIL);
    assert_not_verified(s);
    badge_session_free(s);
    free(d);
    badge_ctx_free(ctx);
}

/* a complete graph of blank nodes: RDFC-1.0's worst case, reached
 * through JSON-LD, must end in rdfc_too_complex, fast */
static void
test_rdf_poison_via_jsonld(void **state)
{
    const int        n = 24;
    badge_ctx_t     *ctx = badge_ctx_new();
    char            *subj = malloc((size_t) n * n * 40 + 64), *p = subj;
    char            *d;
    badge_session_t *s;
    int              i, j;

    (void) state;
    *p++ = '[';
    for (i = 0; i < n; i++) {
        p += sprintf(p, "%s{\"id\":\"_:e%d\",\"https://ex.org/p\":[",
                     i ? "," : "", i);
        for (j = 0; j < n; j++) {
            if (j != i) {
                p += sprintf(p, "%s{\"id\":\"_:e%d\"}",
                             (j == 0 || (i == 0 && j == 1)) ? "" : ",", j);
            }
        }
        *p++ = ']';
        *p++ = '}';
    }
    *p++ = ']';
    *p = '\0';
    d = di_cred("", subj);
    s = run(ctx, d, strlen(d), NULL);
    print_message("poison graph (%d blank nodes): %.3f s, arena %zu KiB\n",
                  n, last_seconds, last_arena / 1024);
    assert_code(s, "rdfc_too_complex");
    assert_not_verified(s);
    badge_session_free(s);
    free(d);
    free(subj);
    badge_ctx_free(ctx);
}

static void
test_protected_term_redefinition(void **state)
{
    badge_ctx_t     *ctx = badge_ctx_new();
    char            *d;
    badge_session_t *s;

    (void) state;
    /* a top-level protected term of the VC 2.0 context ("issuer" is not
     * one: the VerifiableCredential type-scoped context defines it and
     * is applied over any embedded context, as JSON-LD says) */
    d = di_cred(",{\"name\":\"https://evil.example/name\"}",
                "{\"id\":\"did:example:x\"}");
    s = run(ctx, d, strlen(d), NULL);
    assert_code(s, "jsonld_protected_term_redefinition");
    assert_not_verified(s);
    badge_session_free(s);
    free(d);
    /* the type name itself */
    d = di_cred(",{\"VerifiableCredential\":\"https://evil.example/VC\"}",
                "{\"id\":\"did:example:x\"}");
    s = run(ctx, d, strlen(d), NULL);
    assert_code(s, "jsonld_protected_term_redefinition");
    assert_not_verified(s);
    badge_session_free(s);
    free(d);
    /* through a type-scoped context */
    d = di_cred(",{\"@version\":1.1,\"Foo\":{\"@id\":\"https://ex.org/Foo\","
                "\"@context\":{\"id\":\"https://ex.org/notid\"}}}",
                "{\"type\":\"Foo\",\"id\":\"did:example:x\"}");
    s = run(ctx, d, strlen(d), NULL);
    assert_code(s, "jsonld_protected_term_redefinition");
    assert_not_verified(s);
    badge_session_free(s);
    free(d);
    badge_ctx_free(ctx);
}

/* an unbundled remote @context is an error, never a fetch */
static void
test_remote_context_never_fetched(void **state)
{
    badge_ctx_t     *ctx = badge_ctx_new();
    char            *d;
    badge_session_t *s;
    size_t           i;

    (void) state;
    forget_asked();
    d = di_cred(",\"https://evil.example/ctx.jsonld\"",
                "{\"id\":\"did:example:x\"}");
    s = run(ctx, d, strlen(d), NULL);
    assert_code(s, "jsonld_context_not_bundled");
    assert_not_verified(s);
    for (i = 0; i < n_asked; i++) {
        if (strstr(asked[i], "evil.example") != NULL) {
            fail_msg("asked the host for %s", asked[i]);
        }
    }
    badge_session_free(s);
    free(d);
    /* nor through @import */
    d = di_cred(",{\"@version\":1.1,\"@import\":"
                "\"https://evil.example/i.jsonld\"}",
                "{\"id\":\"did:example:x\"}");
    s = run(ctx, d, strlen(d), NULL);
    assert_code(s, "jsonld_context_not_bundled");
    for (i = 0; i < n_asked; i++) {
        assert_null(strstr(asked[i], "evil.example"));
    }
    badge_session_free(s);
    free(d);
    badge_ctx_free(ctx);
}

/* ------------------------------------------------------------------ */
/* SSRF: identifiers pointing at private addresses                      */

static const char *private_hosts[] = {
    "127.0.0.1", "localhost", "foo.localhost", "169.254.169.254",
    "10.0.0.1", "10.255.255.254", "192.168.1.1", "172.16.0.1",
    "%5B::1%5D", "0.0.0.0", "2130706433", "0x7f.1", NULL
};

static void
test_ssrf_kid_and_did_web(void **state)
{
    badge_ctx_t     *ctx = badge_ctx_new();
    badge_session_t *s;
    json_t          *c;
    char            *p, hdr[512], issuer[128], *jwt;
    size_t           i, k;
    static const char *hdr_fmt[] = {
        "{\"alg\":\"EdDSA\",\"kid\":\"did:web:%s#key-1\"}",
        "{\"alg\":\"EdDSA\",\"kid\":\"https://%s/keys/1\"}",
        "{\"alg\":\"EdDSA\",\"kid\":\"http://%s/keys/1\"}",
        "{\"alg\":\"EdDSA\",\"kid\":\"file:///etc/passwd#%s\"}",
        "{\"alg\":\"EdDSA\",\"jku\":\"https://%s/jwks.json\"}",
        "{\"alg\":\"EdDSA\",\"x5u\":\"https://%s/cert.pem\"}",
        "{\"alg\":\"RS256\",\"jku\":\"https://%s/jwks.json\","
        "\"kid\":\"https://%s/k\"}",
    };

    (void) state;
    forget_asked();
    for (i = 0; private_hosts[i] != NULL; i++) {
        /* the issuer itself is a did:web on a private host */
        snprintf(issuer, sizeof(issuer), "did:web:%s", private_hosts[i]);
        c = cred("U", "A", "did:example:holder", "urn:uuid:5");
        json_object_set_new(json_object_get(c, "issuer"), "id",
                            json_string(issuer));
        json_object_set_new(c, "iss", json_string(issuer));
        p = json_dumps(c, JSON_COMPACT);
        for (k = 0; k < sizeof(hdr_fmt) / sizeof(hdr_fmt[0]); k++) {
            snprintf(hdr, sizeof(hdr), hdr_fmt[k], private_hosts[i],
                     private_hosts[i]);
            jwt = th_jwt(key, "EdDSA", hdr, p, NULL, 0);
            s = run(ctx, jwt, strlen(jwt), NULL);
            assert_not_verified(s);
            badge_session_free(s);
            free(jwt);
        }
        free(p);
        json_decref(c);
    }
    assert_nothing_private_asked();
    badge_ctx_free(ctx);
}

static void
test_ssrf_hosted_and_input_url(void **state)
{
    static const char *urls[] = {
        "https://127.0.0.1/a.json", "https://[::1]/a.json",
        "https://169.254.169.254/latest/meta-data/", "https://10.0.0.1/a",
        "https://localhost/a", "file:///etc/passwd", "http://example.org/a",
        "https://[::ffff:127.0.0.1]/a", "https://[fe80::1]/a",
        "gopher://example.org/", NULL
    };
    badge_ctx_t     *ctx = badge_ctx_new();
    badge_session_t *s;
    char             buf[1024];
    size_t           i;

    (void) state;
    forget_asked();
    for (i = 0; urls[i] != NULL; i++) {
        /* the input is the URL */
        s = run(ctx, NULL, 0, urls[i]);
        assert_not_verified(s);
        badge_session_free(s);
        /* the URL pasted as the input text */
        s = run(ctx, urls[i], strlen(urls[i]), NULL);
        assert_not_verified(s);
        badge_session_free(s);
        /* an OB 2.0 hosted assertion whose verify.url / id / badge /
         * issuer point there */
        snprintf(buf, sizeof(buf),
            "{\"@context\":\"https://w3id.org/openbadges/v2\","
            "\"type\":\"Assertion\",\"id\":\"%s\","
            "\"recipient\":{\"type\":\"email\",\"hashed\":false,"
            "\"identity\":\"a@example.org\"},\"badge\":\"%s\","
            "\"verification\":{\"type\":\"hosted\",\"url\":\"%s\"},"
            "\"issuedOn\":\"2024-01-01T00:00:00Z\"}", urls[i], urls[i],
            urls[i]);
        s = run(ctx, buf, strlen(buf), NULL);
        assert_not_verified(s);
        badge_session_free(s);
        /* a DI proof whose verificationMethod is there */
        snprintf(buf, sizeof(buf), ",{\"x\":\"%s\"}", urls[i]);
        {
            char *d = di_cred("", "{\"id\":\"did:example:x\"}");
            char *m = strstr(d, DI_KEY "#");
            char *d2 = malloc(strlen(d) + 256);

            assert_non_null(m);
            sprintf(d2, "%.*s%s#k\",\"proofPurpose\"%s", (int) (m - d), d,
                    urls[i], strstr(m, "\",\"proofPurpose\"") + 16);
            s = run(ctx, d2, strlen(d2), NULL);
            assert_not_verified(s);
            badge_session_free(s);
            free(d2);
            free(d);
        }
    }
    assert_nothing_private_asked();
    /* and the hosts a redirect could lead to are refused by the policy
     * the host applies to Location: headers (badge_url_check) */
    for (i = 0; urls[i] != NULL; i++) {
        char err[256];

        assert_int_equal(badge_url_check(ctx, urls[i], err, sizeof(err)),
                         -1);
    }
    badge_ctx_free(ctx);
}

/* ------------------------------------------------------------------ */
/* injection into exported fields                                       */

/* Fields are exported as nginx variables ($badge_issuer ...) and Apache
 * environment variables, which configurations put into headers
 * (add_header, proxy_set_header, RequestHeader): no CR, LF or other
 * control character may come out of badge_session_field(), and the text
 * report keeps one line per check. */
static void
test_field_injection(void **state)
{
    const char *evil = "Evil\r\nSet-Cookie: a=b\r\n\r\n<script>x</script>\x01"
                       "\x1b[1A\x1b[2K";
    badge_session_t *s;
    json_t          *c;
    char            *jwt, *text;
    const char      *v;
    int              f;
    size_t           len, lines = 0, checks = 0;
    const badge_check_t *ck;

    (void) state;
    c = cred(evil, evil, "did:example:holder\r\nX-Injected: 1",
             "urn:uuid:6\r\nX-Injected: 1");
    jwt = sign_json(c);
    s = run(tctx, jwt, strlen(jwt), NULL);
    for (f = 0; f < BADGE_FIELD__COUNT; f++) {
        v = badge_session_field(s, (badge_field_t) f);
        if (v == NULL) {
            continue;
        }
        for (; *v != '\0'; v++) {
            if ((unsigned char) *v < 0x20 || *v == 0x7f) {
                fail_msg("field %d carries control character 0x%02x: %s",
                         f, (unsigned char) *v,
                         badge_session_field(s, (badge_field_t) f));
            }
        }
    }
    /* the JSON report escapes them */
    assert_null(strchr(badge_session_report_json(s, &len), '\r'));
    /* the text report (badgectl verify prints it to a terminal): no CR,
     * no escape sequence, no line of the credential's making */
    text = (char *) badge_session_report_text(s, &len);
    for (ck = s->report->checks; ck != NULL; ck = ck->next) {
        checks++;
    }
    for (; *text != '\0'; text++) {
        lines += *text == '\n';
        if (((unsigned char) *text < 0x20 && *text != '\n')
            || *text == 0x7f)
        {
            fail_msg("the text report carries control character 0x%02x:\n%s",
                     (unsigned char) *text,
                     badge_session_report_text(s, NULL));
        }
    }
    if (lines > checks + 8) {
        fail_msg("%zu lines for %zu checks:\n%s", lines, checks,
                 badge_session_report_text(s, NULL));
    }
    badge_session_free(s);
    free(jwt);
    json_decref(c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_million_elements),
        cmocka_unit_test(test_duplicate_keys),
        cmocka_unit_test(test_invalid_utf8_and_nul),
        cmocka_unit_test(test_huge_numbers),
        cmocka_unit_test(test_status_gzip_bomb),
        cmocka_unit_test(test_status_indexes),
        cmocka_unit_test(test_di_fixture),
        cmocka_unit_test(test_rdf_poison_via_jsonld),
        cmocka_unit_test(test_protected_term_redefinition),
        cmocka_unit_test(test_remote_context_never_fetched),
        cmocka_unit_test(test_ssrf_kid_and_did_web),
        cmocka_unit_test(test_ssrf_hosted_and_input_url),
        cmocka_unit_test(test_field_injection),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
