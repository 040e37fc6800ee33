/*
 * Unit tests of the verify form's core (src/http_multipart.c): the
 * multipart/form-data parser and its bounds, the choice between pasted
 * text, upload and URL, the Accept rule for the HTML page; the first
 * failing check (session.c) and the verify page's escaping
 * (src/verify_page.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "badge.h"
#include "http_glue.h"
#include "verify_page.h"

#define CT  "multipart/form-data; boundary=XyZ"

static void
test_multipart_fields(void **state)
{
    const char body[] =
        "preamble to ignore\r\n"
        "--XyZ\r\n"
        "Content-Disposition: form-data; name=\"lang\"\r\n\r\n"
        "ja\r\n"
        "--XyZ\r\n"
        "Content-Disposition: form-data; name=\"file\"; "
        "filename=\"b.jwt\"\r\n"
        "Content-Type: application/octet-stream\r\n\r\n"
        "eyJ\r\n--Xy not the boundary\r\n"
        "--XyZ\r\n"
        "content-disposition: form-data; name=url\r\n\r\n"
        " https://example.org/b \r\n"
        "--XyZ\r\n"
        "Content-Disposition: form-data; name=\"credential\"\r\n\r\n"
        "\r\n"
        "--XyZ--\r\n";
    badge_http_form_t f;

    (void) state;
    assert_int_equal(badge_http_multipart(CT, strlen(CT), body,
                                          sizeof(body) - 1, &f),
                     BADGE_HTTP_OK);
    assert_int_equal(f.lang_len, 2);
    assert_memory_equal(f.lang, "ja", 2);
    assert_int_equal(f.file_len, strlen("eyJ\r\n--Xy not the boundary"));
    assert_memory_equal(f.file, "eyJ\r\n--Xy not the boundary", f.file_len);
    assert_int_equal(f.url_len, strlen(" https://example.org/b "));
    assert_non_null(f.credential);
    assert_int_equal(f.credential_len, 0);
}

static void
test_multipart_quoted_boundary(void **state)
{
    const char ct[] = "Multipart/Form-Data; charset=utf-8; "
                      "boundary=\"a b;c\"";
    const char body[] = "--a b;c\r\n"
        "Content-Disposition: form-data; name=\"credential\"\r\n\r\n"
        "{}\r\n--a b;c--";
    badge_http_form_t f;

    (void) state;
    assert_true(badge_http_is_multipart(ct, strlen(ct)));
    assert_int_equal(badge_http_multipart(ct, strlen(ct), body,
                                          sizeof(body) - 1, &f),
                     BADGE_HTTP_OK);
    assert_int_equal(f.credential_len, 2);
}

static void
test_multipart_malformed(void **state)
{
    badge_http_form_t f;
    char             *big;
    size_t            i, n;
    const char *bad[] = {
        /* no closing delimiter */
        "--XyZ\r\nContent-Disposition: form-data; name=\"credential\"\r\n"
        "\r\nabc",
        /* no Content-Disposition name */
        "--XyZ\r\nContent-Type: text/plain\r\n\r\nabc\r\n--XyZ--",
        /* an unterminated quoted name */
        "--XyZ\r\nContent-Disposition: form-data; name=\"cred\r\n\r\n"
        "abc\r\n--XyZ--",
        /* bare LF after the delimiter */
        "--XyZ\nContent-Disposition: form-data; name=\"a\"\n\nabc\n--XyZ--",
        /* no delimiter at all */
        "just text",
        NULL
    };

    (void) state;
    for (i = 0; bad[i] != NULL; i++) {
        assert_int_equal(badge_http_multipart(CT, strlen(CT), bad[i],
                                              strlen(bad[i]), &f),
                         BADGE_HTTP_BAD_FORM);
    }
    /* no boundary, an empty one, one over 70 characters */
    assert_int_equal(badge_http_multipart("multipart/form-data", 19,
                                          "--x--", 5, &f),
                     BADGE_HTTP_BAD_FORM);
    assert_int_equal(badge_http_multipart("multipart/form-data; boundary=",
                                          30, "----", 4, &f),
                     BADGE_HTTP_BAD_FORM);
    {
        char ct[128];

        snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%071d", 0);
        assert_int_equal(badge_http_multipart(ct, strlen(ct), "--0--", 5,
                                              &f),
                         BADGE_HTTP_BAD_FORM);
    }

    /* 17 parts */
    big = malloc(17 * 64 + 16);
    assert_non_null(big);
    n = 0;
    for (i = 0; i < 17; i++) {
        n += (size_t) sprintf(big + n, "--XyZ\r\nContent-Disposition: "
                              "form-data; name=\"x%zu\"\r\n\r\ny\r\n", i);
    }
    n += (size_t) sprintf(big + n, "--XyZ--");
    assert_int_equal(badge_http_multipart(CT, strlen(CT), big, n, &f),
                     BADGE_HTTP_BAD_FORM);
    free(big);

    /* a header block over 8 KiB */
    big = malloc(9000 + 64);
    assert_non_null(big);
    n = (size_t) sprintf(big, "--XyZ\r\nX-Pad: ");
    memset(big + n, 'a', 9000);
    n += 9000;
    n += (size_t) sprintf(big + n, "\r\n\r\nabc\r\n--XyZ--");
    assert_int_equal(badge_http_multipart(CT, strlen(CT), big, n, &f),
                     BADGE_HTTP_BAD_FORM);
    free(big);
}

static void
test_extract_input(void **state)
{
    char               scratch[512];
    badge_http_input_t in;
    const char         mp_url[] = "--XyZ\r\n"
        "Content-Disposition: form-data; name=\"credential\"\r\n\r\n"
        "  \r\n\r\n--XyZ\r\n"
        "Content-Disposition: form-data; name=\"file\"; filename=\"\"\r\n"
        "Content-Type: application/octet-stream\r\n\r\n\r\n--XyZ\r\n"
        "Content-Disposition: form-data; name=\"url\"\r\n\r\n"
        " https://example.org/b.json\r\n\r\n--XyZ--\r\n";
    const char         mp_empty[] = "--XyZ\r\n"
        "Content-Disposition: form-data; name=\"credential\"\r\n\r\n"
        "\r\n--XyZ--\r\n";
    const char         form[] = "credential=&url=https%3A%2F%2Fa.example%2Fx";
    const char        *fct = "application/x-www-form-urlencoded";

    (void) state;
    /* multipart: blank text, empty upload: the URL, trimmed */
    assert_int_equal(badge_http_extract_input(CT, strlen(CT), mp_url,
                         sizeof(mp_url) - 1, scratch, &in), BADGE_HTTP_OK);
    assert_null(in.data);
    assert_string_equal(in.url, "https://example.org/b.json");
    assert_int_equal(badge_http_extract_input(CT, strlen(CT), mp_empty,
                         sizeof(mp_empty) - 1, scratch, &in),
                     BADGE_HTTP_EMPTY);

    /* urlencoded: an empty credential and a URL */
    assert_int_equal(badge_http_extract_input(fct, strlen(fct), form,
                         sizeof(form) - 1, scratch, &in), BADGE_HTTP_OK);
    assert_string_equal(in.url, "https://a.example/x");

    /* a raw body is the credential */
    assert_int_equal(badge_http_extract_input("application/json", 16, "{}",
                         2, scratch, &in), BADGE_HTTP_OK);
    assert_int_equal(in.len, 2);
    assert_null(in.url);

    /* multipart is accepted before the body is read */
    assert_true(badge_http_content_type_ok(CT, strlen(CT)));
}

static void
test_wants_html(void **state)
{
    const char *firefox = "text/html,application/xhtml+xml,application/xml;"
                          "q=0.9,*/*;q=0.8";

    (void) state;
    assert_true(badge_http_wants_html(firefox, strlen(firefox)));
    assert_true(badge_http_wants_html("text/html", 9));
    assert_false(badge_http_wants_html(NULL, 0));
    assert_false(badge_http_wants_html("*/*", 3));
    assert_false(badge_http_wants_html("application/json", 16));
    assert_false(badge_http_wants_html("application/json, text/html", 27));
    assert_true(badge_http_wants_html("text/html, application/json", 27));
    assert_false(badge_http_wants_html("text/html;q=0.5, application/json",
                                       33));
    assert_false(badge_http_wants_html("text/html;q=0", 13));
    assert_true(badge_http_wants_html("application/ld+json;q=0.1, "
                                      "text/html", 36));
}

static badge_session_t *
verify_offline(badge_ctx_t *ctx, const char *input, const char *lang)
{
    badge_verify_opts_t o;
    badge_session_t    *s;

    memset(&o, 0, sizeof(o));
    o.lang = lang;
    s = badge_session_new(ctx, &o);
    assert_non_null(s);
    assert_int_equal(badge_session_set_input(s, input, strlen(input)), 0);
    while (badge_session_run(s) == BADGE_NEED_DOCUMENTS) {
        const char *const *urls;
        size_t              i, n = badge_session_needed(s, &urls);

        for (i = 0; i < n; i++) {
            badge_session_supply(s, urls[i], 0, NULL, NULL, 0);
        }
    }
    return s;
}

#define XSS_CRED                                                             \
    "{\"@context\": [\"https://www.w3.org/ns/credentials/v2\","              \
    " \"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\"],"     \
    " \"id\": \"urn:uuid:6b0f3c1e-8d0a-4a53-9a43-6e5c8b3a1d02\","            \
    " \"type\": [\"VerifiableCredential\", \"OpenBadgeCredential\"],"        \
    " \"issuer\": {\"id\": \"did:web:evil.example\", \"type\": [\"Profile\"]," \
    " \"name\": \"<script>alert(1)</script>\"},"                             \
    " \"validFrom\": \"2024-01-01T00:00:00Z\", \"name\": \"x\","             \
    " \"credentialSubject\": {\"type\": [\"AchievementSubject\"],"           \
    " \"achievement\": {\"id\": \"https://evil.example/a\","                 \
    " \"type\": [\"Achievement\"], \"name\": \"a'b\\\"c&d\\u0007e\","        \
    " \"description\": \"x\", \"criteria\": {\"narrative\": \"x\"}}}}"

static void
test_first_failure_and_page(void **state)
{
    badge_ctx_t         *ctx = badge_ctx_new();
    badge_session_t     *s;
    badge_verify_page_t  p;
    const char          *check, *code;
    char                *html;
    size_t               len;

    (void) state;
    assert_non_null(ctx);

    /* no proof: the first failure is the signature check */
    s = verify_offline(ctx, XSS_CRED, "en");
    assert_int_equal(badge_session_first_failure(s, &check, &code),
                     BADGE_OUTCOME_FAILED);
    assert_string_equal(check, "signature");
    assert_string_equal(code, "proof_missing");

    memset(&p, 0, sizeof(p));
    p.action = "/verify\"><x>";
    p.lang = "ja";
    p.url = "https://a.example/?q=<b>";
    html = badge_verify_page_html(s, &p, NULL, NULL, &len);
    assert_non_null(html);
    assert_int_equal(strlen(html), len);
    assert_non_null(strstr(html, "<html lang=\"ja\">"));
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "<x>"));
    assert_null(strstr(html, "<b>"));
    assert_null(strstr(html, "\a"));
    assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_non_null(strstr(html, "a&#39;b&quot;c&amp;d e"));
    assert_non_null(strstr(html, "action=\"/verify&quot;&gt;&lt;x&gt;"
                                 "?lang=ja\""));
    assert_non_null(strstr(html, "value=\"https://a.example/?q=&lt;b&gt;\""));
    assert_non_null(strstr(html, "data-check=\"signature\" "
                                 "data-status=\"fail\""));
    free(html);
    badge_session_free(s);

    /* not a credential: the input error */
    s = verify_offline(ctx, "{\"a\": 1", "en");
    assert_int_equal(badge_session_first_failure(s, &check, &code),
                     BADGE_OUTCOME_FAILED);
    assert_string_equal(check, "input");
    assert_non_null(code);
    badge_session_free(s);

    /* no report yet */
    {
        badge_verify_opts_t o;

        memset(&o, 0, sizeof(o));
        s = badge_session_new(ctx, &o);
        assert_int_equal(badge_session_first_failure(s, NULL, NULL),
                         BADGE_OUTCOME_NO_REPORT);
        badge_session_free(s);
    }

    /* the empty form page */
    memset(&p, 0, sizeof(p));
    html = badge_verify_page_html(NULL, &p, NULL, NULL, &len);
    assert_non_null(html);
    assert_non_null(strstr(html, "<html lang=\"en\">"));
    assert_null(strstr(html, "id=\"result\""));
    assert_non_null(strstr(html, "enctype=\"multipart/form-data\""));
    free(html);

    badge_ctx_free(ctx);
}

static void
test_fields_have_no_control_characters(void **state)
{
    badge_ctx_t     *ctx = badge_ctx_new();
    badge_session_t *s;
    const char      *v;

    (void) state;
    s = verify_offline(ctx, XSS_CRED, "en");
    v = badge_session_field(s, BADGE_FIELD_ACHIEVEMENT_NAME);
    assert_non_null(v);
    assert_string_equal(v, "a'b\"c&d e");
    badge_session_free(s);
    badge_ctx_free(ctx);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_multipart_fields),
        cmocka_unit_test(test_multipart_quoted_boundary),
        cmocka_unit_test(test_multipart_malformed),
        cmocka_unit_test(test_extract_input),
        cmocka_unit_test(test_wants_html),
        cmocka_unit_test(test_first_failure_and_page),
        cmocka_unit_test(test_fields_have_no_control_characters),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
