/*
 * Unit tests of http_cache.c: cache keys and the packed verification
 * results both glues keep in their caches (shared memory: the bytes read
 * back are not trusted).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "badge.h"
#include "http_cache.h"

static void
sample(badge_result_t *r)
{
    memset(r, 0, sizeof(*r));
    r->verified = 1;
    r->http_status = 200;
    r->report = "{\"verified\": true}";
    r->report_len = strlen(r->report);
    r->fields[BADGE_FIELD_ISSUER] = "did:web:example.edu";
    r->fields[BADGE_FIELD_STATUS] = "verified";
    r->outcome = BADGE_OUTCOME_VERIFIED;
}

static void
test_round_trip(void **state)
{
    badge_result_t  a, b;
    unsigned char  *buf;
    size_t          n, i;

    (void) state;
    sample(&a);
    a.verified = 0;
    a.outcome = BADGE_OUTCOME_FAILED;
    a.fail_check = "signature";
    a.fail_code = "signature_invalid";
    n = badge_result_pack(&a, NULL, 0);
    assert_true(n > 8 && n < 1024);
    buf = malloc(n);
    assert_non_null(buf);
    assert_int_equal(badge_result_pack(&a, buf, n), n);
    assert_int_equal(badge_result_unpack(buf, n, &b), 0);
    assert_int_equal(b.verified, 0);
    assert_int_equal(b.http_status, 200);
    assert_int_equal(b.outcome, BADGE_OUTCOME_FAILED);
    assert_string_equal(b.report, a.report);
    assert_int_equal(b.report_len, a.report_len);
    assert_string_equal(b.fail_check, "signature");
    assert_string_equal(b.fail_code, "signature_invalid");
    for (i = 0; i < BADGE_FIELD__COUNT; i++) {
        if (a.fields[i] == NULL) {
            assert_null(b.fields[i]);
        } else {
            assert_string_equal(b.fields[i], a.fields[i]);
        }
    }
    free(buf);
}

static void
test_hostile_records(void **state)
{
    badge_result_t  a, b;
    unsigned char   buf[512];
    size_t          n, i;

    (void) state;
    sample(&a);
    n = badge_result_pack(&a, buf, sizeof(buf));
    assert_true(n <= sizeof(buf));
    /* every truncation is refused */
    for (i = 0; i < n; i++) {
        assert_int_equal(badge_result_unpack(buf, i, &b), -1);
    }
    /* a trailing byte too */
    buf[n] = 'x';
    assert_int_equal(badge_result_unpack(buf, n + 1, &b), -1);
    /* another version, another field count */
    buf[3] = '9';
    assert_int_equal(badge_result_unpack(buf, n, &b), -1);
    buf[3] = '2';
    buf[4]++;
    assert_int_equal(badge_result_unpack(buf, n, &b), -1);
    buf[4]--;
    assert_int_equal(badge_result_unpack(buf, n, &b), 0);
    /* a length that points past the end */
    buf[9] = 0x7f;
    assert_int_equal(badge_result_unpack(buf, n, &b), -1);
    assert_int_equal(badge_result_unpack(NULL, 0, &b), -1);
}

static void
test_too_small(void **state)
{
    badge_result_t a;
    unsigned char  buf[16];

    (void) state;
    sample(&a);
    /* like snprintf: the size needed, nothing written past size */
    memset(buf, 0xaa, sizeof(buf));
    assert_true(badge_result_pack(&a, buf, 10) > 10);
    assert_int_equal(buf[10], 0xaa);
    a.report = NULL;
    assert_int_equal(badge_result_pack(&a, buf, sizeof(buf)), (size_t) -1);
}

static void
test_keys(void **state)
{
    unsigned char c1[BADGE_CACHE_KEY_LEN], c2[BADGE_CACHE_KEY_LEN];
    unsigned char k1[BADGE_CACHE_KEY_LEN], k2[BADGE_CACHE_KEY_LEN];

    (void) state;
    assert_int_equal(badge_cache_chain(c1, NULL, "a", 1), 0);
    assert_int_equal(badge_cache_chain(c2, NULL, "a", 1), 0);
    assert_memory_equal(c1, c2, sizeof(c1));
    assert_int_equal(badge_cache_chain(c2, c2, "b", 1), 0);
    assert_memory_not_equal(c1, c2, sizeof(c1));
    /* "ab" in one piece is not "a" then "b" */
    assert_int_equal(badge_cache_chain(c1, NULL, "ab", 2), 0);
    assert_memory_not_equal(c1, c2, sizeof(c1));

    assert_int_equal(badge_cache_key(k1, c1, "en", "data", "x", 1), 0);
    assert_int_equal(badge_cache_key(k2, c1, "en", "data", "x", 1), 0);
    assert_memory_equal(k1, k2, sizeof(k1));
    assert_int_equal(badge_cache_key(k2, c1, "ja", "data", "x", 1), 0);
    assert_memory_not_equal(k1, k2, sizeof(k1));
    assert_int_equal(badge_cache_key(k2, c1, "en", "url", "x", 1), 0);
    assert_memory_not_equal(k1, k2, sizeof(k1));
    assert_int_equal(badge_cache_key(k2, c2, "en", "data", "x", 1), 0);
    assert_memory_not_equal(k1, k2, sizeof(k1));
    assert_int_equal(badge_cache_key(k2, c1, "en", "data", "x\n", 2), 0);
    assert_memory_not_equal(k1, k2, sizeof(k1));
}

static void
test_cacheable(void **state)
{
    badge_result_t r;

    (void) state;
    sample(&r);
    assert_int_equal(badge_result_cacheable(&r, 0), 1);
    assert_int_equal(badge_result_cacheable(&r, 1), 0);
    r.http_status = 400;
    assert_int_equal(badge_result_cacheable(&r, 0), 1);
    r.http_status = 500;
    assert_int_equal(badge_result_cacheable(&r, 0), 0);
    assert_int_equal(badge_result_cacheable(NULL, 0), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_hostile_records),
        cmocka_unit_test(test_too_small),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_cacheable),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
