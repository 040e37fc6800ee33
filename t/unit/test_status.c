/*
 * Unit tests of credentialStatus (status.c): index parsing, bit order,
 * statusSize, the GZIP bomb limit, and whole checks through a session with
 * pinned lists: revoked / not revoked / suspended / message, purpose
 * mismatch, short lists, unknown types, unavailable lists, 1EdTech lists.
 * Lists are built here with zlib.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>

#include "arena.h"
#include "b64.h"
#include "badge.h"
#include "report.h"
#include "session.h"
#include "status.h"

#define LIST_URL  "https://issuer.example/status/1"
#define ISSUER    "https://issuer.example/"
#define NOW       1750000000

/* GZIP of bits, then multibase ('u') or plain base64url; malloc'ed. */
static char *
encode_list(const unsigned char *bits, size_t n, int multibase)
{
    z_stream       z;
    unsigned char *gz = malloc(n + 1024);
    badge_arena_t *a = badge_arena_new(0);
    char          *b64, *out;

    memset(&z, 0, sizeof(z));
    assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8,
                                  Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (unsigned char *) bits;
    z.avail_in = (uInt) n;
    z.next_out = gz;
    z.avail_out = (uInt) (n + 1024);
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    b64 = badge_b64url_encode_arena(a, gz, z.total_out);
    deflateEnd(&z);
    out = malloc(strlen(b64) + 2);
    sprintf(out, "%s%s", multibase ? "u" : "", b64);
    free(gz);
    badge_arena_free(a);
    return out;
}

static unsigned char *
zeros(size_t n)
{
    unsigned char *p = calloc(1, n);

    assert_non_null(p);
    return p;
}

static int
read_bits(const char *enc, int mb, uint64_t index, unsigned size,
    uint32_t *v, uint64_t *total, badge_err_t *err)
{
    badge_arena_t *a = badge_arena_new(0);
    int            rc;

    badge_err_clear(err);
    rc = badge_status_read_bits(a, enc, mb, index, size, v, total, err);
    badge_arena_free(a);
    return rc;
}

static void
test_index_parse(void **state)
{
    static const char *bad[] = { "\"-1\"", "\"abc\"", "\"\"", "\" 1\"",
                                 "\"1.5\"", "\"+3\"", "-1", "1.0", "null",
                                 "true", "[1]", NULL };
    badge_err_t err;
    uint64_t    ix;
    int         lenient, i;
    json_t     *v;

    (void) state;
    v = json_string("23");
    assert_int_equal(badge_status_parse_index(v, &ix, &lenient, &err), 0);
    assert_int_equal(ix, 23);
    assert_int_equal(lenient, 0);
    json_decref(v);
    v = json_string("0000");
    assert_int_equal(badge_status_parse_index(v, &ix, &lenient, &err), 0);
    assert_int_equal(ix, 0);
    json_decref(v);
    v = json_integer(23);
    assert_int_equal(badge_status_parse_index(v, &ix, &lenient, &err), 0);
    assert_int_equal(ix, 23);
    assert_int_equal(lenient, 1);
    json_decref(v);
    for (i = 0; bad[i] != NULL; i++) {
        v = json_loads(bad[i], JSON_DECODE_ANY, NULL);
        assert_non_null(v);
        badge_err_clear(&err);
        if (badge_status_parse_index(v, &ix, &lenient, &err) == 0) {
            fail_msg("index %s accepted", bad[i]);
        }
        assert_string_equal(err.code, "status_index_invalid");
        json_decref(v);
    }
    v = json_string("99999999999999999999999999");
    assert_int_equal(badge_status_parse_index(v, &ix, &lenient, &err), -1);
    assert_string_equal(err.code, "status_index_out_of_range");
    json_decref(v);
    assert_int_equal(badge_status_parse_index(NULL, &ix, &lenient, &err),
                     -1);
}

static void
test_bit_order(void **state)
{
    unsigned char *bits = zeros(16384);
    char          *enc;
    badge_err_t    err;
    uint32_t       v;
    uint64_t       total;

    (void) state;
    bits[0] = 0x80;         /* index 0: the most significant bit */
    bits[2] = 0x01;         /* index 23 */
    bits[3] = 0xb4;         /* 1011 0100: 2-bit entries 12..15 = 2,3,1,0 */
    enc = encode_list(bits, 16384, 1);
    assert_int_equal(read_bits(enc, 1, 0, 1, &v, &total, &err), 0);
    assert_int_equal(v, 1);
    assert_int_equal(total, 131072);
    assert_int_equal(read_bits(enc, 1, 1, 1, &v, &total, &err), 0);
    assert_int_equal(v, 0);
    assert_int_equal(read_bits(enc, 1, 7, 1, &v, &total, &err), 0);
    assert_int_equal(v, 0);
    assert_int_equal(read_bits(enc, 1, 22, 1, &v, &total, &err), 0);
    assert_int_equal(v, 0);
    assert_int_equal(read_bits(enc, 1, 23, 1, &v, &total, &err), 0);
    assert_int_equal(v, 1);
    assert_int_equal(read_bits(enc, 1, 12, 2, &v, &total, &err), 0);
    assert_int_equal(v, 2);
    assert_int_equal(read_bits(enc, 1, 13, 2, &v, &total, &err), 0);
    assert_int_equal(v, 3);
    assert_int_equal(read_bits(enc, 1, 14, 2, &v, &total, &err), 0);
    assert_int_equal(v, 1);
    assert_int_equal(read_bits(enc, 1, 15, 2, &v, &total, &err), 0);
    assert_int_equal(v, 0);
    /* the last index, and one past it */
    assert_int_equal(read_bits(enc, 1, 131071, 1, &v, &total, &err), 0);
    assert_int_equal(read_bits(enc, 1, 131072, 1, &v, &total, &err), -1);
    assert_string_equal(err.code, "status_index_out_of_range");
    assert_int_equal(read_bits(enc, 1, 65536, 2, &v, &total, &err), -1);
    assert_string_equal(err.code, "status_index_out_of_range");
    /* without the multibase prefix it is not a Bitstring list... */
    assert_int_equal(read_bits(enc + 1, 1, 0, 1, &v, &total, &err), -1);
    assert_string_equal(err.code, "status_list_encoding");
    /* ...but is a StatusList2021 one */
    assert_int_equal(read_bits(enc + 1, 0, 23, 1, &v, &total, &err), 0);
    assert_int_equal(v, 1);
    free(enc);
    free(bits);
}

static void
test_gzip_limits(void **state)
{
    size_t         n = 17 * 1024 * 1024;
    unsigned char *bits = zeros(n);
    char          *enc, *bad;
    badge_err_t    err;
    uint32_t       v;
    uint64_t       total;

    (void) state;
    /* 17 MiB of zeros: ~17 KiB compressed, over the 16 MiB bound */
    enc = encode_list(bits, n, 1);
    assert_true(strlen(enc) < 64 * 1024);
    assert_int_equal(read_bits(enc, 1, 0, 1, &v, &total, &err), -1);
    assert_string_equal(err.code, "status_list_too_large");
    free(enc);
    free(bits);

    /* not GZIP at all */
    assert_int_equal(read_bits("uAAAA", 1, 0, 1, &v, &total, &err), -1);
    assert_string_equal(err.code, "status_list_gzip");
    /* not base64url */
    assert_int_equal(read_bits("u$$$$", 1, 0, 1, &v, &total, &err), -1);
    assert_string_equal(err.code, "status_list_encoding");

    /* truncated GZIP */
    bits = zeros(16384);
    enc = encode_list(bits, 16384, 1);
    bad = strdup(enc);
    bad[strlen(bad) - 8] = '\0';
    assert_int_equal(read_bits(bad, 1, 0, 1, &v, &total, &err), -1);
    assert_true(strcmp(err.code, "status_list_gzip") == 0
                || strcmp(err.code, "status_list_encoding") == 0);
    free(bad);
    free(enc);
    free(bits);
}

/* ------------------------------------------------------------------ */
/* Whole checks                                                         */

typedef struct {
    badge_ctx_t     *ctx;
    badge_session_t *s;
    badge_report_t  *r;
} fx_t;

static void
fx_open(fx_t *f, const char *list_doc)
{
    badge_verify_opts_t opts;
    char                err[128];

    memset(&opts, 0, sizeof(opts));
    opts.now = NOW;
    f->ctx = badge_ctx_new();
    assert_non_null(f->ctx);
    if (list_doc != NULL) {
        assert_int_equal(badge_ctx_add_document(f->ctx, LIST_URL, list_doc,
                         strlen(list_doc), err, sizeof(err)), 0);
    }
    f->s = badge_session_new(f->ctx, &opts);
    assert_non_null(f->s);
    f->r = badge_report_new(f->s->arena, "en");
    f->r->authenticated = 1;
}

static void
fx_close(fx_t *f)
{
    badge_session_free(f->s);
    badge_ctx_free(f->ctx);
}

static void
fx_check(fx_t *f, const char *cred_json)
{
    json_t *cred = json_loads(cred_json, 0, NULL);

    assert_non_null(cred);
    badge_status_check(f->s, f->r, cred);
    json_decref(cred);
}

/* a list credential: purpose, encoded list, type names */
static char *
list_doc(const char *purpose, const char *enc, int bitstring,
    const char *extra)
{
    char *d = malloc(strlen(enc) + 1024);

    sprintf(d, "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],"
        "\"id\":\"" LIST_URL "\",\"issuer\":\"" ISSUER "\","
        "\"type\":[\"VerifiableCredential\",\"%s\"],%s"
        "\"credentialSubject\":{\"id\":\"" LIST_URL "#list\","
        "\"type\":\"%s\",\"statusPurpose\":\"%s\",\"encodedList\":\"%s\"}}",
        bitstring ? "BitstringStatusListCredential"
                  : "StatusList2021Credential",
        extra != NULL ? extra : "",
        bitstring ? "BitstringStatusList" : "StatusList2021", purpose, enc);
    return d;
}

static char *
cred_doc(const char *type, const char *purpose, const char *index,
    const char *extra)
{
    char *d = malloc(1024);

    sprintf(d, "{\"id\":\"urn:uuid:1\",\"issuer\":\"" ISSUER "\","
        "\"credentialStatus\":{\"type\":\"%s\",\"statusPurpose\":\"%s\","
        "\"statusListIndex\":%s,\"statusListCredential\":\"" LIST_URL "\""
        "%s}}", type, purpose, index, extra != NULL ? extra : "");
    return d;
}

static const badge_check_t *
find_code(const badge_report_t *r, const char *code)
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
test_check_revocation(void **state)
{
    unsigned char *bits = zeros(16384);
    char          *enc, *list, *cred;
    fx_t           f;
    const badge_check_t *c;

    (void) state;
    bits[2] = 0x01;     /* index 23 revoked */
    enc = encode_list(bits, 16384, 1);
    list = list_doc("revocation", enc, 1, NULL);

    cred = cred_doc("BitstringStatusListEntry", "revocation", "\"23\"",
                    NULL);
    fx_open(&f, list);
    fx_check(&f, cred);
    assert_int_equal(f.r->revoked, 1);
    c = badge_report_find(f.r, "status");
    assert_non_null(c);
    assert_int_equal(c->status, BADGE_FAIL);
    assert_string_equal(c->code, "status_revoked");
    /* an unsigned list: its proof is reported unchecked, never a pass */
    c = find_code(f.r, "status_list_unsigned");
    assert_non_null(c);
    assert_int_equal(c->status, BADGE_UNCHECKED);
    assert_false(badge_report_verified(f.r));
    fx_close(&f);
    free(cred);

    cred = cred_doc("BitstringStatusListEntry", "revocation", "\"22\"",
                    NULL);
    fx_open(&f, list);
    fx_check(&f, cred);
    assert_int_equal(f.r->revoked, 0);
    c = badge_report_find(f.r, "status");
    assert_int_equal(c->status, BADGE_PASS);
    assert_string_equal(c->code, "status_not_revoked");
    assert_true(badge_report_verified(f.r));
    fx_close(&f);

    /* not authenticated: "not revoked" is no reassurance */
    fx_open(&f, list);
    f.r->authenticated = 0;
    fx_check(&f, cred);
    assert_int_equal(badge_report_find(f.r, "status")->status,
                     BADGE_UNCHECKED);
    fx_close(&f);
    free(cred);

    /* out of range, negative, non-numeric */
    cred = cred_doc("BitstringStatusListEntry", "revocation", "\"131072\"",
                    NULL);
    fx_open(&f, list);
    fx_check(&f, cred);
    c = badge_report_find(f.r, "status");
    assert_int_equal(c->status, BADGE_FAIL);
    assert_string_equal(c->code, "status_index_out_of_range");
    assert_int_equal(f.r->revoked, 0);
    fx_close(&f);
    free(cred);
    cred = cred_doc("BitstringStatusListEntry", "revocation", "\"-5\"",
                    NULL);
    fx_open(&f, list);
    fx_check(&f, cred);
    assert_string_equal(badge_report_find(f.r, "status")->code,
                        "status_index_invalid");
    fx_close(&f);
    free(cred);
    cred = cred_doc("BitstringStatusListEntry", "revocation", "\"0x17\"",
                    NULL);
    fx_open(&f, list);
    fx_check(&f, cred);
    assert_string_equal(badge_report_find(f.r, "status")->code,
                        "status_index_invalid");
    assert_int_equal(badge_report_find(f.r, "status")->status, BADGE_FAIL);
    fx_close(&f);
    free(cred);

    /* a suspension entry against a revocation list */
    cred = cred_doc("BitstringStatusListEntry", "suspension", "\"23\"",
                    NULL);
    fx_open(&f, list);
    fx_check(&f, cred);
    assert_string_equal(badge_report_find(f.r, "status")->code,
                        "status_purpose_mismatch");
    assert_int_equal(f.r->suspended, 0);
    assert_int_equal(f.r->revoked, 0);
    fx_close(&f);
    free(cred);
    free(list);

    /* a suspension list */
    list = list_doc("suspension", enc, 1, NULL);
    cred = cred_doc("BitstringStatusListEntry", "suspension", "\"23\"",
                    NULL);
    fx_open(&f, list);
    fx_check(&f, cred);
    assert_int_equal(f.r->suspended, 1);
    assert_int_equal(f.r->revoked, 0);
    assert_string_equal(badge_report_find(f.r, "status")->code,
                        "status_suspended");
    fx_close(&f);
    free(cred);
    free(list);

    /* StatusList2021 (plain base64url) */
    list = list_doc("revocation", enc + 1, 0, NULL);
    cred = cred_doc("StatusList2021Entry", "revocation", "\"23\"", NULL);
    fx_open(&f, list);
    fx_check(&f, cred);
    assert_int_equal(f.r->revoked, 1);
    fx_close(&f);
    free(cred);
    free(list);
    free(enc);
    free(bits);
}

static void
test_check_list_problems(void **state)
{
    unsigned char *bits = zeros(1024);
    char          *enc, *list, *cred;
    fx_t           f;
    const badge_check_t *c;

    (void) state;
    bits[0] = 0x80;
    enc = encode_list(bits, 1024, 1);
    list = list_doc("revocation", enc, 1, NULL);
    cred = cred_doc("BitstringStatusListEntry", "revocation", "\"0\"", NULL);

    /* 8192 bits: answered, with a warning (herd privacy) */
    fx_open(&f, list);
    fx_check(&f, cred);
    assert_int_equal(f.r->revoked, 1);
    c = find_code(f.r, "status_list_short");
    assert_non_null(c);
    assert_int_equal(c->status, BADGE_WARN);
    fx_close(&f);
    /* ...or a failure when configured so */
    fx_open(&f, list);
    badge_ctx_set_option(f.ctx, BADGE_OPT_STATUS_MIN_BITS_FAIL, 1);
    fx_check(&f, cred);
    assert_int_equal(find_code(f.r, "status_list_short")->status,
                     BADGE_FAIL);
    fx_close(&f);
    free(list);

    /* an expired list says nothing about today */
    list = list_doc("revocation", enc, 1,
                    "\"validUntil\":\"2020-01-01T00:00:00Z\",");
    fx_open(&f, list);
    fx_check(&f, cred);
    assert_int_equal(f.r->revoked, 0);
    assert_string_equal(badge_report_find(f.r, "status")->code,
                        "status_list_expired");
    assert_int_equal(badge_report_find(f.r, "status")->status,
                     BADGE_UNCHECKED);
    fx_close(&f);
    free(list);

    /* not a status list */
    fx_open(&f, "{\"type\":[\"VerifiableCredential\"]}");
    fx_check(&f, cred);
    assert_string_equal(badge_report_find(f.r, "status")->code,
                        "status_list_type");
    fx_close(&f);

    /* the list is not pinned: first asked for, then unavailable */
    fx_open(&f, NULL);
    fx_check(&f, cred);
    assert_int_equal(f.s->n_needed, 1);
    assert_string_equal(f.s->needed[0], LIST_URL);
    assert_null(badge_report_find(f.r, "status"));
    assert_int_equal(badge_session_supply(f.s, LIST_URL, 0, NULL, NULL, 0),
                     0);
    f.s->n_needed = 0;
    fx_check(&f, cred);
    c = badge_report_find(f.r, "status");
    assert_int_equal(c->status, BADGE_UNCHECKED);
    assert_string_equal(c->code, "status_list_unavailable");
    assert_int_equal(f.r->revoked, 0);
    fx_close(&f);
    free(cred);

    /* an unknown entry type: unchecked, never "not revoked" */
    cred = cred_doc("RevocationList2020Status", "revocation", "\"0\"", NULL);
    fx_open(&f, NULL);
    fx_check(&f, cred);
    c = badge_report_find(f.r, "status");
    assert_int_equal(c->status, BADGE_UNCHECKED);
    assert_string_equal(c->code, "status_type_unsupported");
    assert_int_equal(f.s->n_needed, 0);
    fx_close(&f);
    free(cred);
    free(enc);
    free(bits);
}

static void
test_check_message(void **state)
{
    unsigned char *bits = zeros(32768);
    char          *enc, *list, *cred;
    fx_t           f;
    const badge_check_t *c;

    (void) state;
    bits[1] = 0x04;     /* 2-bit entry 6 (bits 12,13) = 01 */
    enc = encode_list(bits, 32768, 1);
    list = list_doc("message", enc, 1, NULL);
    cred = cred_doc("BitstringStatusListEntry", "message", "\"6\"",
        ",\"statusSize\":2,\"statusMessage\":["
        "{\"status\":\"0x0\",\"message\":\"pending\"},"
        "{\"status\":\"0x1\",\"message\":\"accepted\"}]");
    fx_open(&f, list);
    fx_check(&f, cred);
    c = badge_report_find(f.r, "status");
    assert_string_equal(c->code, "status_message");
    assert_non_null(strstr(c->message, "accepted"));
    fx_close(&f);
    free(cred);

    /* statusSize > 1 without statusMessage */
    cred = cred_doc("BitstringStatusListEntry", "message", "\"6\"",
                    ",\"statusSize\":2");
    fx_open(&f, list);
    fx_check(&f, cred);
    assert_string_equal(badge_report_find(f.r, "status")->code,
                        "status_entry_invalid");
    fx_close(&f);
    free(cred);
    free(list);
    free(enc);
    free(bits);
}

static void
test_check_1edtech(void **state)
{
    static const char *list =
        "{\"revokedCredentials\":["
        "{\"id\":\"urn:uuid:1\",\"revocationReason\":\"cheating\"},"
        "{\"id\":\"urn:uuid:2\",\"revoked\":false}]}";
    static const char *c1 =
        "{\"id\":\"urn:uuid:1\",\"credentialStatus\":{\"id\":\"" LIST_URL
        "\",\"type\":\"1EdTechRevocationList\"}}";
    static const char *c2 =
        "{\"id\":\"urn:uuid:2\",\"credentialStatus\":{\"id\":\"" LIST_URL
        "\",\"type\":\"1EdTechRevocationList\"}}";
    static const char *c3 =
        "{\"id\":\"urn:uuid:3\",\"credentialStatus\":[{\"id\":\"" LIST_URL
        "\",\"type\":\"1EdTechRevocationList\"}]}";
    fx_t                 f;
    const badge_check_t *c;

    (void) state;
    fx_open(&f, list);
    fx_check(&f, c1);
    c = badge_report_find(f.r, "status");
    assert_int_equal(c->status, BADGE_FAIL);
    assert_non_null(strstr(c->message, "cheating"));
    assert_int_equal(f.r->revoked, 1);
    fx_close(&f);

    fx_open(&f, list);
    fx_check(&f, c2);
    assert_int_equal(badge_report_find(f.r, "status")->status, BADGE_PASS);
    assert_int_equal(f.r->revoked, 0);
    fx_close(&f);

    fx_open(&f, list);
    fx_check(&f, c3);
    assert_int_equal(badge_report_find(f.r, "status")->status, BADGE_PASS);
    fx_close(&f);

    fx_open(&f, "{\"nothing\":1}");
    fx_check(&f, c1);
    assert_int_equal(badge_report_find(f.r, "status")->status, BADGE_FAIL);
    assert_int_equal(f.r->revoked, 0);
    fx_close(&f);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_index_parse),
        cmocka_unit_test(test_bit_order),
        cmocka_unit_test(test_gzip_limits),
        cmocka_unit_test(test_check_revocation),
        cmocka_unit_test(test_check_list_problems),
        cmocka_unit_test(test_check_message),
        cmocka_unit_test(test_check_1edtech),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
