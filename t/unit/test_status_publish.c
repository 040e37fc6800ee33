/*
 * Unit tests of status_publish.c, through our own verifier:
 *  - encodedList: GZIP + multibase base64url, decoded by status.c
 *    (badge_status_read_bits) and by zlib directly: exactly the revoked
 *    bits are set, bit 0 = most significant bit of byte 0;
 *  - revocation and suspension lists are separate;
 *  - whole status checks (badge_status_check) against published lists:
 *    Bitstring revocation/suspension and 1EdTech Revocation List;
 *  - the list's Data Integrity proof (eddsa-rdfc-2022, ecdsa-rdfc-2019)
 *    verifies with proof_di.c, for did:key and for a did:web whose
 *    document issuer.c made; tampering breaks it; RSA is refused;
 *  - a signed credential with a status entry, verified end to end;
 *  - the OB 2.0 RevocationList and the endpoint object (rebuilds when the
 *    registry changes or half the validity has passed).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <jansson.h>
#include <zlib.h>

#include "arena.h"
#include "b64.h"
#include "badge.h"
#include "did.h"
#include "json.h"
#include "issuer.h"
#include "proof_di.h"
#include "report.h"
#include "session.h"
#include "sign_di.h"
#include "status.h"
#include "status_publish.h"
#include "status_registry.h"

#include "jose_helpers.h"

#define LIST_URL  "https://issuer.example/status/revocation"
#define SUSP_URL  "https://issuer.example/status/suspension"
#define NOW       1750000000

static badge_key_t *
gen_key(const char *type)
{
    EVP_PKEY    *pk = th_keygen(type);
    char        *pem = th_pem(pk, 1);
    badge_err_t  err;
    badge_key_t *k;

    k = badge_key_from_pem(pem, strlen(pem), &err);
    assert_non_null(k);
    free(pem);
    EVP_PKEY_free(pk);
    return k;
}

/* The whole bitstring of an encodedList, inflated by zlib directly. */
static unsigned char *
inflate_list(const char *enc, size_t *n)
{
    badge_arena_t *a = badge_arena_new(0);
    unsigned char *gz, *out = malloc(1 << 24);
    size_t         gz_len;
    z_stream       z;

    assert_int_equal(enc[0], 'u');
    gz = badge_b64url_decode_arena(a, enc + 1, strlen(enc + 1), &gz_len);
    assert_non_null(gz);
    /* a GZIP member: magic 1f 8b, deflate */
    assert_int_equal(gz[0], 0x1f);
    assert_int_equal(gz[1], 0x8b);
    memset(&z, 0, sizeof(z));
    assert_int_equal(inflateInit2(&z, 16 + MAX_WBITS), Z_OK);
    z.next_in = gz;
    z.avail_in = (uInt) gz_len;
    z.next_out = out;
    z.avail_out = 1 << 24;
    assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
    *n = z.total_out;
    inflateEnd(&z);
    badge_arena_free(a);
    return out;
}

static int
bit(const unsigned char *p, uint64_t i)
{
    return (p[i / 8] >> (7 - i % 8)) & 1;
}

static uint32_t
read_bit(const char *enc, uint64_t i)
{
    badge_arena_t *a = badge_arena_new(0);
    badge_err_t    err;
    uint32_t       v = 99;
    uint64_t       total;

    assert_int_equal(badge_status_read_bits(a, enc, 1, i, 1, &v, &total,
                                            &err), 0);
    badge_arena_free(a);
    return v;
}

static void
test_encode_list(void **state)
{
    static const uint64_t set[] = { 0, 7, 8, 1000, 65535, 131071 };
    badge_arena_t *a = badge_arena_new(0);
    unsigned char *bits = calloc(1, 16384), *back;
    badge_err_t    err;
    uint64_t       total;
    uint32_t       v;
    size_t         i, n;
    char          *enc;

    (void) state;
    for (i = 0; i < sizeof(set) / sizeof(set[0]); i++) {
        bits[set[i] / 8] |= (unsigned char) (0x80 >> (set[i] % 8));
    }
    enc = badge_status_encode_list(a, bits, 16384, &err);
    assert_non_null(enc);
    assert_int_equal(enc[0], 'u');
    assert_null(strpbrk(enc + 1, "+/="));     /* base64url, no padding */
    for (i = 0; i < sizeof(set) / sizeof(set[0]); i++) {
        assert_int_equal(read_bit(enc, set[i]), 1);
    }
    for (i = 0; i < 131072; i += 997) {
        assert_int_equal(read_bit(enc, i), (uint32_t) bit(bits, i));
    }
    assert_int_equal(read_bit(enc, 6), 0);
    assert_int_equal(badge_status_read_bits(a, enc, 1, 0, 1, &v, &total,
                                            &err), 0);
    assert_int_equal(total, 131072);
    back = inflate_list(enc, &n);
    assert_int_equal(n, 16384);
    assert_memory_equal(back, bits, n);
    /* deterministic: the same bits give the same text */
    assert_string_equal(enc, badge_status_encode_list(a, bits, 16384, &err));
    free(back);
    free(bits);
    badge_arena_free(a);
}

/* A registry of 131072 with 300 credentials: every 7th revoked, every
 * 11th (not revoked) suspended. */
static badge_registry_t *
sample_registry(uint64_t *idx, size_t n)
{
    badge_registry_t *r = badge_registry_new(131072, NULL);
    badge_err_t       err;
    char              id[48];
    size_t            i;

    for (i = 0; i < n; i++) {
        snprintf(id, sizeof(id), "urn:uuid:cred-%zu", i);
        assert_int_equal(badge_registry_add(r, id, 0, NOW, &idx[i], &err),
                         0);
        if (i % 7 == 0) {
            assert_int_equal(badge_registry_set_status(r, id, 0,
                BADGE_REG_REVOKED, i % 2 ? "reason" : NULL, 0, NOW, &err),
                1);
        } else if (i % 11 == 0) {
            assert_int_equal(badge_registry_set_status(r, id, 0,
                BADGE_REG_SUSPENDED, NULL, 0, NOW, &err), 1);
        }
    }
    return r;
}

static void
test_bitstring_round_trip(void **state)
{
    badge_arena_t        *a = badge_arena_new(0);
    badge_registry_t     *r;
    badge_publish_opts_t  o;
    badge_err_t           err;
    uint64_t              idx[300], j;
    unsigned char        *bits;
    const char           *enc;
    char                 *text;
    size_t                len, i, n, ones;
    json_t               *doc, *subj;
    int                   p;

    (void) state;
    r = sample_registry(idx, 300);
    for (p = 0; p < 2; p++) {
        memset(&o, 0, sizeof(o));
        o.list_url = p == 0 ? LIST_URL : SUSP_URL;
        o.issuer = "did:web:issuer.example";
        o.purpose = p == 0 ? BADGE_PURPOSE_REVOCATION
                           : BADGE_PURPOSE_SUSPENSION;
        o.now = NOW;
        text = badge_status_publish(a, r, &o, &len, &err);
        assert_non_null(text);
        assert_int_equal(strlen(text), len);
        doc = json_loads(text, 0, NULL);
        assert_non_null(doc);
        assert_string_equal(json_string_value(json_object_get(doc, "id")),
                            o.list_url);
        assert_true(badge_json_has_string(json_object_get(doc, "type"),
                                          "BitstringStatusListCredential"));
        assert_true(badge_json_has_string(json_object_get(doc, "@context"),
                                          "https://www.w3.org/ns/"
                                          "credentials/v2"));
        assert_string_equal(json_string_value(json_object_get(doc,
                                "validFrom")), "2025-06-15T15:06:40Z");
        assert_string_equal(json_string_value(json_object_get(doc,
                                "validUntil")), "2025-06-16T15:06:40Z");
        assert_null(json_object_get(doc, "proof"));     /* no key given */
        subj = json_object_get(doc, "credentialSubject");
        assert_string_equal(json_string_value(json_object_get(subj, "type")),
                            "BitstringStatusList");
        assert_string_equal(json_string_value(json_object_get(subj,
                                "statusPurpose")),
                            p == 0 ? "revocation" : "suspension");
        assert_non_null(strstr(json_string_value(json_object_get(subj,
                                   "id")), "#list"));
        enc = json_string_value(json_object_get(subj, "encodedList"));

        /* exactly the bits of this purpose, nothing else */
        bits = inflate_list(enc, &n);
        assert_int_equal(n, 16384);
        for (i = 0; i < 300; i++) {
            int want = p == 0 ? i % 7 == 0 : (i % 7 != 0 && i % 11 == 0);

            assert_int_equal(bit(bits, idx[i]), want);
            assert_int_equal(read_bit(enc, idx[i]), (uint32_t) want);
        }
        for (ones = 0, j = 0; j < 131072; j++) {
            ones += (size_t) bit(bits, j);
        }
        assert_int_equal(ones, p == 0 ? 43 : 24);
        free(bits);
        json_decref(doc);
    }

    /* validity: custom, none; bad options */
    memset(&o, 0, sizeof(o));
    o.list_url = LIST_URL;
    o.issuer = "did:web:issuer.example";
    o.now = NOW;
    o.validity = 3600;
    text = badge_status_publish(a, r, &o, &len, &err);
    assert_non_null(strstr(text, "\"validUntil\": \"2025-06-15T16:06:40Z\""));
    o.validity = -1;
    text = badge_status_publish(a, r, &o, &len, &err);
    assert_null(strstr(text, "validUntil"));
    o.list_url = NULL;
    assert_null(badge_status_publish(a, r, &o, &len, &err));
    assert_string_equal(err.code, "publish_invalid");
    o.list_url = LIST_URL;
    o.format = BADGE_PUBLISH_1EDTECH;
    o.purpose = BADGE_PURPOSE_SUSPENSION;
    assert_null(badge_status_publish(a, r, &o, &len, &err));
    assert_string_equal(err.code, "publish_invalid");
    badge_registry_free(r);
    badge_arena_free(a);
}

/* ------------------------------------------------------------------ */
/* Whole status checks against published lists                          */

typedef struct {
    badge_ctx_t     *ctx;
    badge_session_t *s;
    badge_report_t  *r;
} fx_t;

static void
fx_open(fx_t *f, const char *url1, const char *doc1, const char *url2,
    const char *doc2)
{
    badge_verify_opts_t opts;
    char                err[128];

    memset(&opts, 0, sizeof(opts));
    opts.now = NOW + 60;
    f->ctx = badge_ctx_new();
    assert_int_equal(badge_ctx_add_document(f->ctx, url1, doc1,
                                            strlen(doc1), err, sizeof(err)),
                     0);
    if (url2 != NULL) {
        assert_int_equal(badge_ctx_add_document(f->ctx, url2, doc2,
                                                strlen(doc2), err,
                                                sizeof(err)), 0);
    }
    f->s = badge_session_new(f->ctx, &opts);
    f->r = badge_report_new(f->s->arena, "en");
    f->r->authenticated = 1;
}

static void
fx_close(fx_t *f)
{
    badge_session_free(f->s);
    badge_ctx_free(f->ctx);
}

/* A credential with entries for both lists at index. */
static json_t *
cred_with_status(const char *id, uint64_t index, int both)
{
    json_t *st;

    st = json_pack("[o]", badge_status_entry_json(BADGE_PUBLISH_BITSTRING,
                       BADGE_PURPOSE_REVOCATION, LIST_URL, index));
    if (both) {
        json_array_append_new(st, badge_status_entry_json(
            BADGE_PUBLISH_BITSTRING, BADGE_PURPOSE_SUSPENSION, SUSP_URL,
            index));
    }
    return json_pack("{s:s, s:s, s:o}", "id", id, "issuer",
                     "did:web:issuer.example", "credentialStatus", st);
}

static void
test_status_checks(void **state)
{
    badge_arena_t        *a = badge_arena_new(0);
    badge_registry_t     *r;
    badge_publish_opts_t  o;
    badge_err_t           err;
    uint64_t              idx[300];
    const char           *rev, *susp;
    size_t                len, i;
    json_t               *cred, *e;
    fx_t                  f;
    char                  id[48];

    (void) state;
    r = sample_registry(idx, 300);
    memset(&o, 0, sizeof(o));
    o.list_url = LIST_URL;
    o.issuer = "did:web:issuer.example";
    o.now = NOW;
    rev = badge_status_publish(a, r, &o, &len, &err);
    o.list_url = SUSP_URL;
    o.purpose = BADGE_PURPOSE_SUSPENSION;
    susp = badge_status_publish(a, r, &o, &len, &err);
    assert_non_null(rev);
    assert_non_null(susp);

    /* the entry shape badgectl prints */
    e = badge_status_entry_json(BADGE_PUBLISH_BITSTRING,
                                BADGE_PURPOSE_REVOCATION, LIST_URL, 42);
    assert_string_equal(json_string_value(json_object_get(e,
                            "statusListIndex")), "42");
    assert_string_equal(json_string_value(json_object_get(e, "id")),
                        LIST_URL "#42");
    json_decref(e);

    for (i = 0; i < 30; i++) {
        snprintf(id, sizeof(id), "urn:uuid:cred-%zu", i);
        cred = cred_with_status(id, idx[i], 1);
        fx_open(&f, LIST_URL, rev, SUSP_URL, susp);
        badge_status_check(f.s, f.r, cred);
        assert_int_equal(f.r->revoked, i % 7 == 0);
        assert_int_equal(f.r->suspended, i % 7 != 0 && i % 11 == 0);
        if (i % 7 != 0 && i % 11 != 0) {
            assert_int_equal(badge_report_find(f.r, "status")->status,
                             BADGE_PASS);
        }
        fx_close(&f);
        json_decref(cred);
    }
    badge_registry_free(r);
    badge_arena_free(a);
}

static void
test_1edtech_and_ob2(void **state)
{
    badge_arena_t        *a = badge_arena_new(0);
    badge_registry_t     *r;
    badge_publish_opts_t  o;
    badge_err_t           err;
    uint64_t              idx[300];
    const char           *text;
    const badge_check_t  *c;
    size_t                len;
    json_t               *doc, *list, *cred;
    fx_t                  f;

    (void) state;
    r = sample_registry(idx, 300);
    memset(&o, 0, sizeof(o));
    o.format = BADGE_PUBLISH_1EDTECH;
    o.list_url = "https://issuer.example/revocations";
    o.issuer = "did:web:issuer.example";
    text = badge_status_publish(a, r, &o, &len, &err);
    assert_non_null(text);
    doc = json_loads(text, 0, NULL);
    list = json_object_get(doc, "revokedCredentials");
    assert_int_equal(json_array_size(list), 43);
    json_decref(doc);

    /* revoked (with its reason), not revoked, suspended (not in it) */
    cred = json_pack("{s:s, s:{s:s, s:s}}", "id", "urn:uuid:cred-7",
        "credentialStatus", "id", o.list_url, "type",
        "1EdTechRevocationList");
    fx_open(&f, o.list_url, text, NULL, NULL);
    badge_status_check(f.s, f.r, cred);
    c = badge_report_find(f.r, "status");
    assert_int_equal(c->status, BADGE_FAIL);
    assert_non_null(strstr(c->message, "reason"));
    assert_true(f.r->revoked);
    fx_close(&f);
    json_decref(cred);
    cred = json_pack("{s:s, s:{s:s, s:s}}", "id", "urn:uuid:cred-11",
        "credentialStatus", "id", o.list_url, "type",
        "1EdTechRevocationList");
    fx_open(&f, o.list_url, text, NULL, NULL);
    badge_status_check(f.s, f.r, cred);
    assert_int_equal(badge_report_find(f.r, "status")->status, BADGE_PASS);
    assert_false(f.r->revoked);
    fx_close(&f);
    json_decref(cred);

    /* OB 2.0: the shape ob2.c reads (type, issuer, revokedAssertions) */
    o.format = BADGE_PUBLISH_OB2;
    o.issuer = "https://issuer.example/issuer.json";
    text = badge_status_publish(a, r, &o, &len, &err);
    assert_non_null(text);
    doc = json_loads(text, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(doc, "type")),
                        "RevocationList");
    assert_string_equal(json_string_value(json_object_get(doc, "@context")),
                        "https://w3id.org/openbadges/v2");
    assert_string_equal(json_string_value(json_object_get(doc, "issuer")),
                        o.issuer);
    list = json_object_get(doc, "revokedAssertions");
    assert_int_equal(json_array_size(list), 43);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(list, 0), "id")),
                        "urn:uuid:cred-0");
    assert_null(json_object_get(json_array_get(list, 0),
                                "revocationReason"));
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(list, 1), "revocationReason")),
                        "reason");      /* cred-7 */
    json_decref(doc);
    badge_registry_free(r);
    badge_arena_free(a);
}

/* ------------------------------------------------------------------ */
/* Signed lists                                                         */

/* Verify the list's proof with proof_di.c; pins docs (url, body) first. */
static badge_di_state_t
verify_list(const char *text, const char *controller, const char *url,
    const char *body)
{
    badge_verify_opts_t     opts;
    badge_di_verify_opts_t  vo;
    badge_di_result_t       res;
    badge_ctx_t            *ctx = badge_ctx_new();
    badge_session_t        *s;
    json_t                 *doc = json_loads(text, 0, NULL);
    char                    e[128];

    assert_non_null(doc);
    if (url != NULL) {
        assert_int_equal(badge_ctx_add_document(ctx, url, body, strlen(body),
                                                e, sizeof(e)), 0);
    }
    memset(&opts, 0, sizeof(opts));
    opts.now = NOW + 60;
    s = badge_session_new(ctx, &opts);
    memset(&vo, 0, sizeof(vo));
    vo.purpose = "assertionMethod";
    vo.controller = controller;
    memset(&res, 0, sizeof(res));
    badge_di_verify_proof(s, doc, json_object_get(doc, "proof"), &vo, &res);
    badge_session_free(s);
    badge_ctx_free(ctx);
    json_decref(doc);
    return res.state;
}

static void
test_signed_lists(void **state)
{
    badge_arena_t        *a = badge_arena_new(0);
    badge_registry_t     *r;
    badge_publish_opts_t  o;
    badge_err_t           err;
    badge_key_t          *ed = gen_key("ed25519"), *p256 = gen_key("p256");
    badge_key_t          *rsa = gen_key("rsa2048");
    uint64_t              idx[20];
    const char           *did, *web = "did:web:issuer.example:org:1";
    char                 *text, *tampered, *p, *doc;
    size_t                len;
    json_t               *j;

    (void) state;
    r = sample_registry(idx, 20);
    memset(&o, 0, sizeof(o));
    o.list_url = LIST_URL;
    o.now = NOW;

    /* did:key issuer, Ed25519: eddsa-rdfc-2022 */
    did = badge_did_key_encode(a, ed);
    o.issuer = did;
    o.key = ed;
    text = badge_status_publish(a, r, &o, &len, &err);
    if (text == NULL) {
        fail_msg("%s", err.message);
    }
    j = json_loads(text, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(
                            json_object_get(j, "proof"), "cryptosuite")),
                        "eddsa-rdfc-2022");
    assert_string_equal(json_string_value(json_object_get(
                            json_object_get(j, "proof"),
                            "verificationMethod")),
                        badge_did_key_vm_id(a, did));
    json_decref(j);
    assert_int_equal(verify_list(text, did, NULL, NULL), BADGE_DI_VALID);
    /* someone else's list is not the issuer's */
    assert_int_not_equal(verify_list(text, "did:web:other.example", NULL,
                                     NULL), BADGE_DI_VALID);
    /* flip one character of the encoded list: the proof breaks */
    tampered = strdup(text);
    p = strstr(tampered, "\"encodedList\": \"u") + 20;
    *p = *p == 'A' ? 'B' : 'A';
    assert_int_equal(verify_list(tampered, did, NULL, NULL),
                     BADGE_DI_INVALID);
    free(tampered);

    /* did:web issuer: its key is found through the DID document issuer.c
     * makes, pinned where did.c looks for it */
    o.issuer = web;
    text = badge_status_publish(a, r, &o, &len, &err);
    assert_non_null(text);
    assert_non_null(strstr(text, web));
    assert_non_null(strstr(text, "\"verificationMethod\": "
                                 "\"did:web:issuer.example:org:1#key-1\""));
    doc = badge_issuer_did_document(a, ed, web, NULL, 0, &err);
    assert_int_equal(verify_list(text, web,
                                 "https://issuer.example/org/1/did.json",
                                 doc),
                     BADGE_DI_VALID);

    /* P-256: ecdsa-rdfc-2019 */
    o.key = p256;
    o.issuer = badge_did_key_encode(a, p256);
    text = badge_status_publish(a, r, &o, &len, &err);
    assert_non_null(text);
    assert_non_null(strstr(text, "ecdsa-rdfc-2019"));
    assert_int_equal(verify_list(text, o.issuer, NULL, NULL),
                     BADGE_DI_VALID);

    /* RSA cannot make a Data Integrity proof; an https issuer needs an
     * explicit method */
    o.key = rsa;
    o.issuer = web;
    assert_null(badge_status_publish(a, r, &o, &len, &err));
    assert_string_equal(err.code, "key_type_mismatch");
    o.key = ed;
    o.issuer = "https://issuer.example/";
    assert_null(badge_status_publish(a, r, &o, &len, &err));
    assert_string_equal(err.code, "vm_missing");
    o.verification_method = "https://issuer.example/keys/1";
    assert_non_null(badge_status_publish(a, r, &o, &len, &err));

    badge_key_free(ed);
    badge_key_free(p256);
    badge_key_free(rsa);
    badge_registry_free(r);
    badge_arena_free(a);
}

/* Issue a Data Integrity credential with a status entry (sign_di.h), revoke
 * it, publish, and verify the credential as a relying party would. */
static void
test_end_to_end(void **state)
{
    badge_arena_t        *a = badge_arena_new(0);
    badge_registry_t     *r = badge_registry_new(131072, NULL);
    badge_publish_opts_t  o;
    badge_di_sign_opts_t  so;
    badge_verify_opts_t   vo;
    badge_err_t           err;
    badge_key_t          *k = gen_key("ed25519");
    badge_ctx_t          *ctx;
    badge_session_t      *s;
    uint64_t              index;
    const char           *did, *list;
    const char           *const *urls;
    char                 *text, e[128];
    size_t                len;
    json_t               *cred, *signed_cred;
    int                   pass;

    (void) state;
    did = badge_did_key_encode(a, k);
    assert_int_equal(badge_registry_add(r, "urn:uuid:e2e", 0, NOW, &index,
                                        &err), 0);
    cred = json_pack("{s:[s], s:s, s:[s], s:s, s:s, s:{s:s}, s:o}",
        "@context", "https://www.w3.org/ns/credentials/v2",
        "id", "urn:uuid:e2e",
        "type", "VerifiableCredential",
        "issuer", did,
        "validFrom", "2025-01-01T00:00:00Z",
        "credentialSubject", "id", "did:example:holder",
        "credentialStatus", badge_status_entry_json(BADGE_PUBLISH_BITSTRING,
            BADGE_PURPOSE_REVOCATION, LIST_URL, index));
    assert_non_null(cred);
    memset(&so, 0, sizeof(so));
    so.verification_method = badge_did_key_vm_id(a, did);
    so.created = NOW;
    signed_cred = badge_di_sign(a, cred, k, &so, &err);
    if (signed_cred == NULL) {
        fail_msg("%s", err.message);
    }
    text = json_dumps(signed_cred, JSON_COMPACT);

    for (pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            assert_int_equal(badge_registry_set_status(r, "urn:uuid:e2e", 0,
                BADGE_REG_REVOKED, "issued in error", 0, NOW, &err), 1);
        }
        memset(&o, 0, sizeof(o));
        o.list_url = LIST_URL;
        o.issuer = did;
        o.key = k;
        o.now = NOW;
        list = badge_status_publish(a, r, &o, &len, &err);
        assert_non_null(list);
        ctx = badge_ctx_new();
        assert_int_equal(badge_ctx_add_document(ctx, LIST_URL, list, len, e,
                                                sizeof(e)), 0);
        memset(&vo, 0, sizeof(vo));
        vo.now = NOW + 60;
        s = badge_session_new(ctx, &vo);
        assert_int_equal(badge_session_set_input(s, text, strlen(text)), 0);
        assert_int_equal(badge_session_run(s), BADGE_DONE);
        assert_int_equal(badge_session_needed(s, &urls), 0);
        if (pass == 0) {
            if (!badge_session_verified(s)) {
                fail_msg("not verified: %s",
                         badge_session_report_json(s, NULL));
            }
            assert_int_equal(badge_report_find(s->report, "status")->status,
                             BADGE_PASS);
        } else {
            assert_false(badge_session_verified(s));
            assert_true(s->report->revoked);
            assert_string_equal(badge_session_field(s, BADGE_FIELD_STATUS),
                                "revoked");
        }
        badge_session_free(s);
        badge_ctx_free(ctx);
    }
    free(text);
    json_decref(cred);
    json_decref(signed_cred);
    badge_key_free(k);
    badge_registry_free(r);
    badge_arena_free(a);
}

/* ------------------------------------------------------------------ */
/* The endpoint                                                         */

static void
test_endpoint(void **state)
{
    char                          path[] = "/tmp/badge-ep-XXXXXX";
    char                          reg[64], lock[80];
    badge_status_endpoint_conf_t  c;
    badge_status_endpoint_t      *ep;
    badge_issuer_response_t       out;
    badge_err_t                   err;
    badge_key_t                  *k = gen_key("ed25519");
    badge_arena_t                *a = badge_arena_new(0);
    uint64_t                      index;
    time_t                        now = time(NULL), first;
    json_t                       *j;
    const char                   *enc, *vf1;
    char                         *body1;
    FILE                         *f;
    int                           rc;

    (void) state;
    assert_non_null(mkdtemp(path));
    snprintf(reg, sizeof(reg), "%s/reg.tsv", path);
    snprintf(lock, sizeof(lock), "%s.lock", reg);
    assert_int_equal(badge_registry_allocate(reg, "urn:ep:1", 0, 0, 0, &index,
                                             &err), 0);
    memset(&c, 0, sizeof(c));
    c.registry = reg;
    c.recheck = 1;
    c.publish.list_url = LIST_URL;
    c.publish.issuer = badge_did_key_encode(a, k);
    c.publish.key = k;
    c.publish.validity = 600;
    ep = badge_status_endpoint_new(&c, &err);
    if (ep == NULL) {
        fail_msg("%s", err.message);
    }
    badge_key_free(k);      /* the endpoint holds its own reference */
    c.publish.key = NULL;

    rc = badge_status_endpoint_respond(ep, now, NULL, NULL, &out, &err);
    assert_int_equal(rc, 0);
    assert_int_equal(out.status, 200);
    assert_string_equal(out.content_type, "application/ld+json");
    assert_string_equal(out.cache_control, BADGE_ISSUER_CACHE_STATUS);
    assert_true(out.last_modified >= now - 5);
    first = out.last_modified;
    body1 = out.body;
    j = json_loads(body1, 0, NULL);
    enc = json_string_value(json_object_get(json_object_get(j,
              "credentialSubject"), "encodedList"));
    assert_int_equal(read_bit(enc, index), 0);
    assert_non_null(json_object_get(j, "proof"));
    json_decref(j);

    /* the same list until something changes */
    rc = badge_status_endpoint_respond(ep, now, NULL, NULL, &out, &err);
    assert_int_equal(rc, 0);
    assert_string_equal(out.body, body1);
    free(out.body);

    /* revoked: shown once the registry is rechecked */
    assert_int_equal(badge_registry_change(reg, "urn:ep:1", 0,
                         BADGE_REG_REVOKED, NULL, 0, 0, NULL, &err), 1);
    rc = badge_status_endpoint_respond(ep, now + 2, NULL, NULL, &out, &err);
    assert_int_equal(rc, 0);
    j = json_loads(out.body, 0, NULL);
    enc = json_string_value(json_object_get(json_object_get(j,
              "credentialSubject"), "encodedList"));
    assert_int_equal(read_bit(enc, index), 1);
    assert_int_equal(out.last_modified, now + 2);
    json_decref(j);
    free(out.body);

    /* a broken registry: the last good list, and a reason to log */
    f = fopen(reg, "a");
    fputs("broken\n", f);
    fclose(f);
    rc = badge_status_endpoint_respond(ep, now + 4, NULL, NULL, &out, &err);
    assert_int_equal(rc, 1);
    assert_non_null(err.code);
    assert_int_equal(out.status, 200);
    free(out.body);

    /* half the validity (300 s) later: rebuilt, newer dates */
    rc = badge_status_endpoint_respond(ep, now + 310, NULL, NULL, &out,
                                       &err);
    assert_true(rc == 0 || rc == 1);    /* 1: the registry is still bad */
    j = json_loads(out.body, 0, NULL);
    vf1 = json_string_value(json_object_get(j, "validFrom"));
    {
        char want[32];

        badge_issuer_format_time(now + 310, want, sizeof(want));
        assert_string_equal(vf1, want);
    }
    assert_true(out.last_modified > first);
    json_decref(j);
    free(out.body);
    free(body1);
    badge_status_endpoint_free(ep);

    /* errors show at configuration time */
    c.publish.list_url = NULL;
    assert_null(badge_status_endpoint_new(&c, &err));
    c.publish.list_url = LIST_URL;
    c.registry = "/nonexistent/reg.tsv";
    assert_null(badge_status_endpoint_new(&c, &err));
    assert_string_equal(err.code, "registry_missing");

    unlink(reg);
    unlink(lock);
    rmdir(path);
    badge_arena_free(a);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encode_list),
        cmocka_unit_test(test_bitstring_round_trip),
        cmocka_unit_test(test_status_checks),
        cmocka_unit_test(test_1edtech_and_ob2),
        cmocka_unit_test(test_signed_lists),
        cmocka_unit_test(test_end_to_end),
        cmocka_unit_test(test_endpoint),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
