/*
 * Unit tests of http_glue.c: the request-body rules and error answers the
 * nginx and Apache glue share.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
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

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_content_types),
        cmocka_unit_test(test_form_field),
        cmocka_unit_test(test_extract),
        cmocka_unit_test(test_error_json),
        cmocka_unit_test(test_lang),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
