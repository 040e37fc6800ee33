/*
 * Unit tests of JCS (RFC 8785), with the RFC's own examples.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "arena.h"
#include "jcs.h"

static const char *
canon(badge_arena_t *a, const char *json)
{
    json_error_t  jerr;
    json_t       *v = json_loads(json, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    const char   *s;
    size_t        len = 0;

    assert_non_null(v);
    s = badge_jcs_serialize(a, v, &len);
    if (s != NULL) {
        assert_int_equal(strlen(s), len);
    }
    json_decref(v);
    return s;
}

/* RFC 8785 Appendix B: IEEE 754 bit patterns and their serialization. */
static void
test_rfc_numbers(void **state)
{
    static const struct {
        uint64_t    bits;
        const char *text;    /* NULL: must be rejected */
    } t[] = {
        { 0x0000000000000000ULL, "0" },
        { 0x8000000000000000ULL, "0" },
        { 0x0000000000000001ULL, "5e-324" },
        { 0x8000000000000001ULL, "-5e-324" },
        { 0x7fefffffffffffffULL, "1.7976931348623157e+308" },
        { 0xffefffffffffffffULL, "-1.7976931348623157e+308" },
        { 0x4340000000000000ULL, "9007199254740992" },
        { 0xc340000000000000ULL, "-9007199254740992" },
        { 0x4430000000000000ULL, "295147905179352830000" },
        { 0x7fffffffffffffffULL, NULL },        /* NaN */
        { 0x7ff0000000000000ULL, NULL },        /* Infinity */
        { 0x44b52d02c7e14af5ULL, "9.999999999999997e+22" },
        { 0x44b52d02c7e14af6ULL, "1e+23" },
        { 0x44b52d02c7e14af7ULL, "1.0000000000000001e+23" },
        { 0x444b1ae4d6e2ef4eULL, "999999999999999700000" },
        { 0x444b1ae4d6e2ef4fULL, "999999999999999900000" },
        { 0x444b1ae4d6e2ef50ULL, "1e+21" },
        { 0x3eb0c6f7a0b5ed8cULL, "9.999999999999997e-7" },
        { 0x3eb0c6f7a0b5ed8dULL, "0.000001" },
        { 0x41b3de4355555553ULL, "333333333.3333332" },
        { 0x41b3de4355555554ULL, "333333333.33333325" },
        { 0x41b3de4355555555ULL, "333333333.3333333" },
        { 0x41b3de4355555556ULL, "333333333.3333334" },
        { 0x41b3de4355555557ULL, "333333333.33333343" },
        { 0xbecbf647612f3696ULL, "-0.0000033333333333333333" },
        { 0x43143ff3c1cb0959ULL, "1424953923781206.2" },
    };
    char   buf[40];
    double d;
    size_t i;
    int    n;

    (void) state;
    for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        memcpy(&d, &t[i].bits, sizeof(d));
        n = badge_jcs_number(d, buf);
        if (t[i].text == NULL) {
            assert_int_equal(n, -1);
        } else {
            assert_int_equal(n, (int) strlen(t[i].text));
            assert_string_equal(buf, t[i].text);
        }
    }
}

static void
test_more_numbers(void **state)
{
    static const struct {
        double      d;
        const char *text;
    } t[] = {
        { 1.0, "1" }, { -1.0, "-1" }, { 0.5, "0.5" }, { 100.0, "100" },
        { 1e20, "100000000000000000000" }, { 1e21, "1e+21" },
        { 1.5e21, "1.5e+21" }, { 1e-6, "0.000001" }, { 1e-7, "1e-7" },
        { 1.25e-7, "1.25e-7" }, { 123.456, "123.456" }, { 0.1, "0.1" },
        { 0.30000000000000004, "0.30000000000000004" }, { 5e-324, "5e-324" },
        { 4.35, "4.35" }, { 2e-3, "0.002" }, { 1e30, "1e+30" },
    };
    char   buf[40];
    size_t i;

    (void) state;
    for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        assert_true(badge_jcs_number(t[i].d, buf) > 0);
        assert_string_equal(buf, t[i].text);
    }
    assert_int_equal(badge_jcs_number(-INFINITY, buf), -1);
}

/* RFC 8785 section 3.2.4 (the main example) */
static void
test_rfc_example(void **state)
{
    badge_arena_t *a = badge_arena_new(0);

    (void) state;
    assert_string_equal(canon(a,
        "{\n"
        "  \"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],\n"
        "  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
        "  \"literals\": [null, true, false]\n"
        "}"),
        "{\"literals\":[null,true,false],"
        "\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
        "\"string\":\"\xE2\x82\xAC$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
    badge_arena_free(a);
}

/* RFC 8785 section 3.2.3: member sorting by UTF-16 code units */
static void
test_rfc_sorting(void **state)
{
    badge_arena_t *a = badge_arena_new(0);

    (void) state;
    assert_string_equal(canon(a,
        "{\n"
        "  \"\\u20ac\": \"Euro Sign\",\n"
        "  \"\\r\": \"Carriage Return\",\n"
        "  \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\",\n"
        "  \"1\": \"One\",\n"
        "  \"\\ud83d\\ude00\": \"Emoji: Grinning Face\",\n"
        "  \"\\u0080\": \"Control\",\n"
        "  \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"\n"
        "}"),
        "{\"\\r\":\"Carriage Return\","
        "\"1\":\"One\","
        "\"\xC2\x80\":\"Control\","
        "\"\xC3\xB6\":\"Latin Small Letter O With Diaeresis\","
        "\"\xE2\x82\xAC\":\"Euro Sign\","
        "\"\xF0\x9F\x98\x80\":\"Emoji: Grinning Face\","
        "\"\xEF\xAC\xB3\":\"Hebrew Letter Dalet With Dagesh\"}");
    badge_arena_free(a);
}

static void
test_values(void **state)
{
    badge_arena_t *a = badge_arena_new(0);
    json_t        *v;
    const char    *s;
    int            i;

    (void) state;
    assert_string_equal(canon(a, "{}"), "{}");
    assert_string_equal(canon(a, "[]"), "[]");
    assert_string_equal(canon(a, "\"\""), "\"\"");
    assert_string_equal(canon(a, "[1, -0, 0.0, 10, 9007199254740993]"),
                        "[1,0,0,10,9007199254740992]");
    assert_string_equal(canon(a, "{\"b\": {\"d\": 1, \"c\": [true]}, \"a\": null}"),
                        "{\"a\":null,\"b\":{\"c\":[true],\"d\":1}}");
    /* control characters, DEL and '/' */
    assert_string_equal(canon(a, "\"\\u0000\\u0001\\b\\t\\f\\u001f\\u007f/\""),
                        "\"\\u0000\\u0001\\b\\t\\f\\u001f\x7F/\"");
    /* keys with an embedded NUL (jansson's parser refuses them, its API
     * does not) sort and print correctly */
    v = json_object();
    json_object_setn_new(v, "a\0b", 3, json_integer(1));
    json_object_set_new(v, "a", json_integer(2));
    assert_string_equal(badge_jcs_serialize(a, v, NULL),
                        "{\"a\":2,\"a\\u0000b\":1}");
    json_decref(v);

    /* integers beyond 2^53 become the nearest double, as in ECMAScript */
    v = json_integer(INT64_C(9223372036854775807));
    s = badge_jcs_serialize(a, v, NULL);
    assert_string_equal(s, "9223372036854776000");
    json_decref(v);

    /* too deep */
    v = json_array();
    {
        json_t *cur = v, *next;

        for (i = 0; i < 600; i++) {
            next = json_array();
            json_array_append_new(cur, next);
            cur = next;
        }
    }
    assert_null(badge_jcs_serialize(a, v, NULL));
    json_decref(v);

    /* invalid UTF-8 slipped in without jansson's check */
    v = json_stringn_nocheck("\xC3\x28", 2);
    assert_null(badge_jcs_serialize(a, v, NULL));
    json_decref(v);

    assert_null(badge_jcs_serialize(a, NULL, NULL));
    badge_arena_free(a);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc_numbers),
        cmocka_unit_test(test_more_numbers),
        cmocka_unit_test(test_rfc_example),
        cmocka_unit_test(test_rfc_sorting),
        cmocka_unit_test(test_values),
    };

    return cmocka_run_group_tests_name("jcs", tests, NULL, NULL);
}
