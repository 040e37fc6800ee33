/*
 * Unit tests of the core's plumbing: arena, URL policy (SSRF guard), input
 * detection, the report's verdict rules and the session's document
 * exchange with the host.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <cmocka.h>
#include <jansson.h>

#include "arena.h"
#include "badge.h"
#include "detect.h"
#include "report.h"
#include "session.h"
#include "url.h"

static void
test_arena_limits(void **state)
{
    badge_arena_t *a = badge_arena_new(1024);
    badge_buf_t    b;
    char          *s;
    int            i;

    (void) state;
    assert_non_null(a);
    assert_non_null(badge_arena_alloc(a, 512));
    assert_null(badge_arena_alloc(a, 1024));    /* over the limit */
    s = badge_arena_sprintf(a, "%s-%d", "x", 42);
    assert_string_equal(s, "x-42");
    badge_arena_free(a);

    a = badge_arena_new(0);
    badge_buf_init(&b, a, 4);
    for (i = 0; i < 10000; i++) {
        badge_buf_putc(&b, 'a' + i % 26);
    }
    s = badge_buf_cstr(&b);
    assert_non_null(s);
    assert_int_equal(strlen(s), 10000);
    assert_int_equal(s[9999], 'a' + 9999 % 26);
    badge_arena_free(a);
}

static void
test_url_policy(void **state)
{
    badge_ctx_t *ctx = badge_ctx_new();
    char         err[256];
    static const char *refused[] = {
        "http://example.org/did.json",          /* plain http */
        "file:///etc/passwd",
        "https://127.0.0.1/x", "https://[::1]/x", "https://169.254.169.254/",
        "https://10.1.2.3/", "https://192.168.0.1/", "https://172.16.0.1/",
        "https://localhost/x", "https://foo.localhost/x", "https://localhost./x",
        "https://127.0.0.1./x",
        "https://2130706433/", "https://0x7f.1/", "https://017700000001/",
        "https://[::ffff:127.0.0.1]/", "https://[fe80::1]/",
        "https://user@example.org/", "https://exa mple.org/",
        "https://example.org/\r\nHost: x", "gopher://example.org/",
        "https://", "https://:443/", "https://example.org:99999/",
        NULL
    };
    const char **u;

    (void) state;
    assert_non_null(ctx);
    assert_int_equal(badge_url_check(ctx, "https://example.org/did.json",
                                     err, sizeof(err)), 0);
    assert_int_equal(badge_url_check(ctx,
        "https://issuer.example.ac.jp:8443/a/b?c=d#e", err, sizeof(err)), 0);
    for (u = refused; *u != NULL; u++) {
        if (badge_url_check(ctx, *u, err, sizeof(err)) == 0) {
            fail_msg("URL should be refused: %s", *u);
        }
    }
    /* the switches open exactly what they say */
    badge_ctx_set_option(ctx, BADGE_OPT_ALLOW_HTTP, 1);
    assert_int_equal(badge_url_check(ctx, "http://example.org/", err,
                                     sizeof(err)), 0);
    assert_int_not_equal(badge_url_check(ctx, "http://127.0.0.1/", err,
                                         sizeof(err)), 0);
    badge_ctx_set_option(ctx, BADGE_OPT_ALLOW_PRIVATE_URLS, 1);
    assert_int_equal(badge_url_check(ctx, "http://127.0.0.1:8080/", err,
                                     sizeof(err)), 0);
    badge_ctx_free(ctx);
}

static void
test_addr_is_private(void **state)
{
    struct sockaddr_in  s4;
    struct sockaddr_in6 s6;

    (void) state;
    memset(&s4, 0, sizeof(s4));
    s4.sin_family = AF_INET;
    inet_pton(AF_INET, "10.0.0.8", &s4.sin_addr);
    assert_true(badge_addr_is_private(&s4));
    inet_pton(AF_INET, "93.184.216.34", &s4.sin_addr);
    assert_false(badge_addr_is_private(&s4));
    memset(&s6, 0, sizeof(s6));
    s6.sin6_family = AF_INET6;
    inet_pton(AF_INET6, "::1", &s6.sin6_addr);
    assert_true(badge_addr_is_private(&s6));
    inet_pton(AF_INET6, "2606:4700::1111", &s6.sin6_addr);
    assert_false(badge_addr_is_private(&s6));
}

static void
test_url_parse_origin(void **state)
{
    badge_arena_t *a = badge_arena_new(0);
    badge_url_t    u;

    (void) state;
    assert_int_equal(badge_url_parse(a, "HTTPS://Example.ORG:8443/p?q#f", &u),
                     0);
    assert_string_equal(u.scheme, "https");
    assert_string_equal(u.host, "example.org");
    assert_int_equal(u.port, 8443);
    assert_string_equal(u.path, "/p");
    assert_string_equal(u.query, "q");
    assert_string_equal(u.fragment, "f");
    assert_string_equal(badge_url_origin(a, "https://example.org:443/x"),
                        "https://example.org");
    assert_string_equal(badge_url_origin(a, "https://[2001:db8::1]:8443/"),
                        "https://[2001:db8::1]:8443");
    badge_arena_free(a);
}

static void
test_detect(void **state)
{
    static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n',
                                         0x1a, '\n', 0, 0 };
#define D(s) badge_detect_input((const unsigned char *) (s), strlen(s))
    (void) state;
    assert_int_equal(D("  {\"a\":1}\n"), BADGE_INPUT_JSON);
    assert_int_equal(D("eyJhbGciOiJFZERTQSJ9.eyJ4IjoxfQ.c2ln"),
                     BADGE_INPUT_JWS);
    assert_int_equal(D("eyJh.eyJ4"), BADGE_INPUT_UNKNOWN);
    assert_int_equal(D("a.b.c.d"), BADGE_INPUT_UNKNOWN);
    assert_int_equal(D("<?xml version='1.0'?><svg></svg>"), BADGE_INPUT_SVG);
    assert_int_equal(D("https://example.org/a"), BADGE_INPUT_URL);
    assert_int_equal(D(" \n\t"), BADGE_INPUT_EMPTY);
    assert_int_equal(D("hello world"), BADGE_INPUT_UNKNOWN);
    assert_int_equal(badge_detect_input(png, sizeof(png)), BADGE_INPUT_PNG);
#undef D
}

static void
test_report_verdict(void **state)
{
    badge_arena_t  *a = badge_arena_new(0);
    badge_report_t *r = badge_report_new(a, "en");
    char           *json;

    (void) state;
    /* nothing authenticated: never verified, however many passes */
    badge_report_check(r, "schema", BADGE_PASS, "schema_ok", "fine");
    assert_false(badge_report_verified(r));
    r->authenticated = 1;
    assert_true(badge_report_verified(r));
    badge_report_check(r, "status", BADGE_UNCHECKED, "status_unavailable",
                       "could not fetch");
    assert_true(badge_report_verified(r));   /* unchecked is not fail */
    r->revoked = 1;
    badge_report_check(r, "status", BADGE_FAIL, "status_revoked", "revoked");
    assert_false(badge_report_verified(r));
    assert_string_equal(badge_report_status(r), "revoked");
    json = badge_report_json(r, NULL);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"verified\": false"));
    assert_non_null(strstr(json, "\"code\": \"status_revoked\""));
    /* an injected control character stays escaped in the JSON */
    badge_report_set(r, BADGE_FIELD_ISSUER, "x\"\n<script>");
    json = badge_report_json(r, NULL);
    assert_non_null(strstr(json, "x\\\"\\n<script>"));
    badge_arena_free(a);
}

static void
test_session_documents(void **state)
{
    badge_ctx_t        *ctx = badge_ctx_new();
    badge_session_t    *s;
    const badge_doc_t  *doc;
    badge_err_t         why;
    const char *const  *urls;
    char                err[128];

    (void) state;
    assert_int_equal(badge_ctx_add_document(ctx, "https://a.example/pinned",
                                            "{}", 2, err, sizeof(err)), 0);
    s = badge_session_new(ctx, NULL);
    assert_non_null(s);
    assert_int_equal(badge_session_document(s, "https://a.example/pinned",
                                            &doc, &why), BADGE_DOC_OK);
    assert_int_equal(doc->len, 2);
    assert_int_equal(badge_session_document(s, "https://b.example/x", &doc,
                                            &why), BADGE_DOC_PENDING);
    /* asking twice queues once */
    assert_int_equal(badge_session_document(s, "https://b.example/x", &doc,
                                            &why), BADGE_DOC_PENDING);
    assert_int_equal(badge_session_needed(s, &urls), 1);
    assert_string_equal(urls[0], "https://b.example/x");
    assert_int_equal(badge_session_document(s, "https://127.0.0.1/x", &doc,
                                            &why), BADGE_DOC_UNAVAILABLE);
    assert_string_equal(why.code, "url_refused");
    badge_session_supply(s, "https://b.example/x", 0, NULL, NULL, 0);
    assert_int_equal(badge_session_document(s, "https://b.example/x", &doc,
                                            &why), BADGE_DOC_UNAVAILABLE);
    assert_string_equal(why.code, "fetch_failed");
    badge_session_free(s);
    badge_ctx_free(ctx);
}

static void
test_session_input_errors(void **state)
{
    badge_ctx_t     *ctx = badge_ctx_new();
    badge_session_t *s;
    const char      *json;

    (void) state;
    s = badge_session_new(ctx, NULL);
    badge_session_set_input(s, "not a badge", 11);
    assert_int_equal(badge_session_run(s), BADGE_DONE);
    assert_false(badge_session_verified(s));
    assert_string_equal(badge_session_field(s, BADGE_FIELD_ERROR),
                        "input_unrecognized");
    badge_session_free(s);

    s = badge_session_new(ctx, NULL);
    badge_session_set_input(s, "{\"a\":1,\"a\":2}", 13);
    assert_int_equal(badge_session_run(s), BADGE_DONE);
    json = badge_session_report_json(s, NULL);
    assert_non_null(strstr(json, "json_invalid"));
    badge_session_free(s);

    badge_ctx_set_option(ctx, BADGE_OPT_MAX_INPUT, 4);
    s = badge_session_new(ctx, NULL);
    badge_session_set_input(s, "{\"a\":1}", 7);
    assert_int_equal(badge_session_run(s), BADGE_DONE);
    assert_string_equal(badge_session_field(s, BADGE_FIELD_ERROR),
                        "input_too_large");
    badge_session_free(s);
    badge_ctx_free(ctx);
}

/* The report writer against jansson: what it writes must parse, and
 * jansson's JSON_INDENT(2) dump of the parsed value must give back the very
 * same bytes; hostile strings keep their meaning. */
static void
test_report_json_writer(void **state)
{
    badge_arena_t  *a = badge_arena_new(0);
    badge_report_t *r, *child, *empty;
    json_error_t    err;
    json_t         *v;
    char           *out, *again;
    size_t          len;

    (void) state;
    assert_non_null(a);
    r = badge_report_new(a, "en");
    r->format = "vc-jwt";
    badge_report_set(r, BADGE_FIELD_ISSUER, "did:web:example.ac.jp");
    badge_report_set(r, BADGE_FIELD_ISSUER_NAME, "東京\"大学\"\\ \x1b[31m\r\n");
    badge_report_check(r, "signature", BADGE_PASS, "signature_valid",
                       "tab\there, slash /, del \x7f, nul-less");
    badge_report_check(r, "key", BADGE_WARN, "key_x", "%s", "cut \xE6\x9D");
    badge_report_check(r, "status", BADGE_FAIL, "status_revoked",
                       "bad \xC0\xAF and \xED\xA0\x80 surrogate");
    badge_report_error(r, "oops", "emoji \xF0\x9F\x8E\x93 ok");
    child = badge_report_new(a, "en");
    badge_report_check(child, "signature", BADGE_PASS, "signature_valid",
                       "endorsed");
    child->authenticated = 1;
    badge_report_add_child(r, "endorsement", child);
    empty = badge_report_new(a, "en");
    badge_report_add_child(r, "endorsement", empty);

    out = badge_report_json(r, &len);
    assert_non_null(out);
    assert_int_equal(len, strlen(out));
    v = json_loadb(out, len, JSON_REJECT_DUPLICATES, &err);
    if (v == NULL) {
        fail_msg("report JSON does not parse: %s\n%s", err.text, out);
    }
    again = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    assert_non_null(again);
    /* the one difference: jansson escapes in upper case, RFC 8785 (and
     * so badge_json_quote) in lower case */
    {
        char *u = strstr(again, "\\u001B");

        assert_non_null(u);
        u[5] = 'b';
    }
    assert_string_equal(out, again);
    free(again);

    assert_string_equal(json_string_value(json_object_get(
        json_object_get(v, "credential"), "issuerName")),
        "東京\"大学\"\\ \x1b[31m\r\n");
    /* a cut or invalid sequence becomes U+FFFD, the rest is kept */
    assert_string_equal(json_string_value(json_object_get(
        json_array_get(json_object_get(v, "checks"), 1), "message")),
        "cut \xEF\xBF\xBD\xEF\xBF\xBD");
    assert_string_equal(json_string_value(json_object_get(
        json_array_get(json_object_get(v, "errors"), 0), "message")),
        "emoji \xF0\x9F\x8E\x93 ok");
    assert_true(json_is_false(json_object_get(v, "verified")));
    assert_string_equal(json_string_value(json_object_get(json_array_get(
        json_object_get(v, "related"), 1), "role")), "endorsement");
    assert_int_equal(json_array_size(json_object_get(json_array_get(
        json_object_get(v, "related"), 1), "checks")), 0);
    assert_non_null(strstr(out, "\\u001b[31m"));
    json_decref(v);
    badge_arena_free(a);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arena_limits),
        cmocka_unit_test(test_url_policy),
        cmocka_unit_test(test_addr_is_private),
        cmocka_unit_test(test_url_parse_origin),
        cmocka_unit_test(test_detect),
        cmocka_unit_test(test_report_verdict),
        cmocka_unit_test(test_report_json_writer),
        cmocka_unit_test(test_session_documents),
        cmocka_unit_test(test_session_input_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
