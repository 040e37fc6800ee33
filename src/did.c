/*
 * did.c: did:key, did:jwk, did:web and controller documents.
 *
 * Resolution never trusts a key for more than the document says: a
 * verification method must be controlled by the document's subject and,
 * for a purpose, be listed under that relationship.
 */
#include "did.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>

#include "b64.h"
#include "json.h"
#include "jws.h"
#include "multibase.h"
#include "session.h"

/* A did:jwk carries at most this much JSON. */
#define BADGE_DID_JWK_MAX  4096

char *
badge_did_base(badge_arena_t *a, const char *vm_id)
{
    return badge_arena_strndup(a, vm_id, strcspn(vm_id, "#"));
}

static int
badge_did_pct_ok(const char *p)
{
    return p[0] == '%' && isxdigit((unsigned char) p[1])
        && isxdigit((unsigned char) p[2]);
}

char *
badge_did_web_url(badge_arena_t *a, const char *did, badge_err_t *err)
{
    const char  *p, *seg, *end;
    badge_buf_t  b;
    size_t       n, i;
    int          port = 0, digits = 0;

    if (did == NULL || strncmp(did, "did:web:", 8) != 0) {
        badge_err_set(err, "did_invalid", "not a did:web");
        return NULL;
    }
    p = did + 8;
    if (strlen(p) > 1024 || strpbrk(p, "#?/") != NULL) {
        badge_err_set(err, "did_invalid", "did:web with a path, query or "
            "fragment, or too long");
        return NULL;
    }
    badge_buf_init(&b, a, 128);
    badge_buf_puts(&b, "https://");
    /* the host: letters, digits, dots, hyphens; a port as %3A<digits> */
    n = strcspn(p, ":");
    if (n == 0) {
        goto bad;
    }
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char) p[i];

        if (port) {
            if (!isdigit(c) || ++digits > 5) {
                goto bad;
            }
            badge_buf_putc(&b, (char) c);
        } else if (c == '%' && i + 2 < n && p[i + 1] == '3'
                   && (p[i + 2] == 'A' || p[i + 2] == 'a'))
        {
            if (i == 0) {
                goto bad;
            }
            port = 1;
            badge_buf_putc(&b, ':');
            i += 2;
        } else if (isalnum(c) || c == '.' || c == '-') {
            badge_buf_putc(&b, (char) tolower(c));
        } else {
            goto bad;
        }
    }
    if (port) {
        /* b.data is not NUL-terminated here: no atoi() */
        long pv = 0;

        if (b.failed || b.data == NULL) {
            goto bad;
        }
        for (i = b.len - digits; i < b.len; i++) {
            pv = pv * 10 + (b.data[i] - '0');
        }
        if (digits == 0 || pv > 65535 || pv == 0) {
            goto bad;
        }
    }
    p += n;
    if (*p == '\0') {
        badge_buf_puts(&b, "/.well-known/did.json");
        return badge_buf_cstr(&b);
    }
    /* path segments: unreserved characters and percent escapes */
    while (*p == ':') {
        seg = p + 1;
        end = seg + strcspn(seg, ":");
        if (end == seg || (end - seg == 1 && seg[0] == '.')
            || (end - seg == 2 && seg[0] == '.' && seg[1] == '.'))
        {
            goto bad;
        }
        for (p = seg; p < end; p++) {
            if (*p == '%') {
                if (!badge_did_pct_ok(p)) {
                    goto bad;
                }
                p += 2;
            } else if (!isalnum((unsigned char) *p) && *p != '-'
                       && *p != '.' && *p != '_' && *p != '~')
            {
                goto bad;
            }
        }
        badge_buf_putc(&b, '/');
        badge_buf_append(&b, seg, (size_t) (end - seg));
        p = end;
    }
    badge_buf_puts(&b, "/did.json");
    return badge_buf_cstr(&b);

bad:
    badge_err_set(err, "did_invalid", "malformed did:web: %.200s", did);
    return NULL;
}

badge_key_t *
badge_did_key_decode(const char *did, badge_err_t *err)
{
    char        mb[256];
    const char *p, *frag;
    size_t      n;

    if (did == NULL || strncmp(did, "did:key:", 8) != 0) {
        badge_err_set(err, "did_invalid", "not a did:key");
        return NULL;
    }
    p = did + 8;
    n = strcspn(p, "#");
    frag = p[n] == '#' ? p + n + 1 : NULL;
    if (n == 0 || n >= sizeof(mb)) {
        badge_err_set(err, "did_invalid", "malformed did:key");
        return NULL;
    }
    /* the key's only method is did:key:X#X */
    if (frag != NULL && (strlen(frag) != n || memcmp(frag, p, n) != 0)) {
        badge_err_set(err, "did_method_not_found", "did:key has no "
            "verification method #%.60s", frag);
        return NULL;
    }
    memcpy(mb, p, n);
    mb[n] = '\0';
    return badge_key_from_multibase(mb, err);
}

badge_key_t *
badge_did_jwk_decode(const char *did, const char *purpose, badge_err_t *err)
{
    unsigned char  buf[BADGE_DID_JWK_MAX + 3];
    const char    *p, *frag, *use;
    size_t         n, len;
    json_t        *jwk;
    badge_key_t   *k;

    if (did == NULL || strncmp(did, "did:jwk:", 8) != 0) {
        badge_err_set(err, "did_invalid", "not a did:jwk");
        return NULL;
    }
    p = did + 8;
    n = strcspn(p, "#");
    frag = p[n] == '#' ? p + n + 1 : NULL;
    if (frag != NULL && strcmp(frag, "0") != 0) {
        badge_err_set(err, "did_method_not_found", "did:jwk has no "
            "verification method #%.60s (only #0)", frag);
        return NULL;
    }
    if (n == 0 || BADGE_B64_DECODED_MAX(n) > BADGE_DID_JWK_MAX
        || badge_b64url_decode(p, n, buf, sizeof(buf), &len) != 0)
    {
        badge_err_set(err, "did_invalid", "did:jwk is not canonical "
            "base64url");
        return NULL;
    }
    jwk = badge_json_parse((const char *) buf, len, err);
    if (jwk == NULL) {
        return NULL;
    }
    if (!json_is_object(jwk) || json_object_get(jwk, "d") != NULL) {
        badge_err_set(err, "did_invalid", "did:jwk must hold a public JWK");
        json_decref(jwk);
        return NULL;
    }
    use = badge_json_str(jwk, "use");
    if (purpose != NULL && use != NULL && strcmp(use, "sig") != 0) {
        badge_err_set(err, "did_method_not_authorized", "did:jwk key is for "
            "\"%s\", not signing", use);
        json_decref(jwk);
        return NULL;
    }
    k = badge_key_from_jwk(jwk, err);
    json_decref(jwk);
    return k;
}

char *
badge_did_key_encode(badge_arena_t *a, const badge_key_t *k)
{
    unsigned char  buf[2 + 1 + 48];
    size_t         n, len = 0, size;
    BIGNUM        *x = NULL, *y = NULL;
    uint64_t       codec;
    char          *mb;

    switch (k->type) {
    case BADGE_KEY_ED25519:
        len = badge_varint_encode(BADGE_MULTICODEC_ED25519_PUB, buf);
        n = 32;
        if (EVP_PKEY_get_raw_public_key(k->pkey, buf + len, &n) != 1
            || n != 32)
        {
            ERR_clear_error();
            return NULL;
        }
        len += n;
        break;
    case BADGE_KEY_P256:
    case BADGE_KEY_P384:
        codec = k->type == BADGE_KEY_P256 ? BADGE_MULTICODEC_P256_PUB
                                          : BADGE_MULTICODEC_P384_PUB;
        size = k->type == BADGE_KEY_P256 ? 32 : 48;
        len = badge_varint_encode(codec, buf);
        /* compressed point: 02/03 by the parity of y, then x */
        if (EVP_PKEY_get_bn_param(k->pkey, OSSL_PKEY_PARAM_EC_PUB_X, &x) != 1
            || EVP_PKEY_get_bn_param(k->pkey, OSSL_PKEY_PARAM_EC_PUB_Y, &y)
               != 1
            || BN_bn2binpad(x, buf + len + 1, (int) size) != (int) size)
        {
            BN_free(x);
            BN_free(y);
            ERR_clear_error();
            return NULL;
        }
        buf[len] = BN_is_odd(y) ? 0x03 : 0x02;
        len += 1 + size;
        BN_free(x);
        BN_free(y);
        break;
    default:
        return NULL;
    }
    mb = badge_multibase_encode(a, buf, len);
    return mb != NULL ? badge_arena_sprintf(a, "did:key:%s", mb) : NULL;
}

char *
badge_did_jwk_encode(badge_arena_t *a, const badge_key_t *k)
{
    badge_err_t  err;
    json_t      *jwk;
    char        *s, *enc;

    jwk = badge_jwk_from_key(k, &err);
    if (jwk == NULL) {
        return NULL;
    }
    s = json_dumps(jwk, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(jwk);
    if (s == NULL) {
        return NULL;
    }
    enc = badge_b64url_encode_arena(a, (unsigned char *) s, strlen(s));
    free(s);
    return enc != NULL ? badge_arena_sprintf(a, "did:jwk:%s", enc) : NULL;
}

char *
badge_did_key_vm_id(badge_arena_t *a, const char *did)
{
    if (strncmp(did, "did:key:", 8) == 0) {
        return badge_arena_sprintf(a, "%s#%s", did, did + 8);
    }
    if (strncmp(did, "did:jwk:", 8) == 0) {
        return badge_arena_sprintf(a, "%s#0", did);
    }
    return NULL;
}

/* ref made absolute against the document id ("#key-1" -> id#key-1). */
static int
badge_did_ref_is(const char *ref, const char *doc_id, const char *vm_id)
{
    size_t n;

    if (ref == NULL) {
        return 0;
    }
    if (ref[0] == '#') {
        n = strlen(doc_id);
        return strncmp(vm_id, doc_id, n) == 0 && strcmp(vm_id + n, ref) == 0;
    }
    return strcmp(ref, vm_id) == 0;
}

static const json_t *
badge_did_find_in(const json_t *list, const char *doc_id, const char *vm_id)
{
    size_t        i;
    const json_t *e;

    if (json_is_object(list)) {
        return badge_did_ref_is(badge_json_str(list, "id"), doc_id, vm_id)
               ? list : NULL;
    }
    json_array_foreach(list, i, e) {
        if (json_is_object(e)
            && badge_did_ref_is(badge_json_str(e, "id"), doc_id, vm_id))
        {
            return e;
        }
    }
    return NULL;
}

static const char *badge_did_relationships[] = {
    "assertionMethod", "authentication", "capabilityInvocation",
    "capabilityDelegation", "keyAgreement", NULL
};

const json_t *
badge_did_doc_find_method(badge_arena_t *a, const json_t *doc,
    const char *doc_id, const char *vm_id, const char *purpose,
    badge_err_t *err)
{
    const json_t  *vm, *list, *e, *ctl;
    const char   **rel, *id;
    size_t         i;
    int            listed = 0;

    (void) a;
    if (!json_is_object(doc)) {
        badge_err_set(err, "did_document_invalid", "the document of %.200s "
            "is not a JSON object", doc_id);
        return NULL;
    }
    id = badge_json_str(doc, "id");
    if (id == NULL || strcmp(id, doc_id) != 0) {
        badge_err_set(err, "did_document_invalid", "the document's id "
            "(%.100s) is not %.200s", id != NULL ? id : "none", doc_id);
        return NULL;
    }
    vm = badge_did_find_in(json_object_get(doc, "verificationMethod"),
        doc_id, vm_id);
    for (rel = badge_did_relationships; vm == NULL && *rel != NULL; rel++) {
        /* a method may be embedded in a relationship instead */
        vm = badge_did_find_in(json_object_get(doc, *rel), doc_id, vm_id);
    }
    if (vm == NULL) {
        badge_err_set(err, "did_method_not_found", "%.200s is not in the "
            "document of %.200s", vm_id, doc_id);
        return NULL;
    }
    ctl = json_object_get(vm, "controller");
    if (!(json_is_string(ctl) && strcmp(json_string_value(ctl), doc_id) == 0)
        && !(json_is_array(ctl) && badge_json_has_string(ctl, doc_id)))
    {
        badge_err_set(err, "did_controller_mismatch", "%.200s is not "
            "controlled by %.200s", vm_id, doc_id);
        return NULL;
    }
    if (purpose == NULL) {
        return vm;
    }
    list = json_object_get(doc, purpose);
    if (json_is_array(list)) {
        json_array_foreach(list, i, e) {
            if ((json_is_string(e)
                 && badge_did_ref_is(json_string_value(e), doc_id, vm_id))
                || (json_is_object(e)
                    && badge_did_ref_is(badge_json_str(e, "id"), doc_id,
                                        vm_id)))
            {
                listed = 1;
                break;
            }
        }
    }
    if (!listed) {
        badge_err_set(err, "did_method_not_authorized", "%.200s is not "
            "listed under %s in the document of %.200s", vm_id, purpose,
            doc_id);
        return NULL;
    }
    return vm;
}

badge_key_t *
badge_did_method_key(const json_t *vm, badge_err_t *err)
{
    const char    *type = badge_json_str(vm, "type");
    const json_t  *mb = json_object_get(vm, "publicKeyMultibase");
    const json_t  *jwk = json_object_get(vm, "publicKeyJwk");
    const json_t  *b58 = json_object_get(vm, "publicKeyBase58");
    unsigned char  raw[64];
    size_t         len;
    badge_key_t   *k;

    if ((mb != NULL) + (jwk != NULL) + (b58 != NULL) != 1) {
        badge_err_set(err, "key_invalid", "a verification method needs "
            "exactly one of publicKeyMultibase, publicKeyJwk, "
            "publicKeyBase58");
        return NULL;
    }
    if (mb != NULL) {
        if (!json_is_string(mb)) {
            badge_err_set(err, "key_invalid", "publicKeyMultibase is not a "
                "string");
            return NULL;
        }
        k = badge_key_from_multibase(json_string_value(mb), err);
        if (k != NULL && type != NULL
            && strcmp(type, "Ed25519VerificationKey2020") == 0
            && k->type != BADGE_KEY_ED25519)
        {
            badge_key_free(k);
            badge_err_set(err, "key_invalid", "an "
                "Ed25519VerificationKey2020 that is not an Ed25519 key");
            return NULL;
        }
        return k;
    }
    if (jwk != NULL) {
        if (!json_is_object(jwk) || json_object_get(jwk, "d") != NULL) {
            badge_err_set(err, "key_invalid", "publicKeyJwk must be a public "
                "JWK");
            return NULL;
        }
        return badge_key_from_jwk(jwk, err);
    }
    /* Ed25519VerificationKey2018: the raw 32 bytes in base58 */
    if (!json_is_string(b58) || type == NULL
        || strcmp(type, "Ed25519VerificationKey2018") != 0
        || badge_base58_decode(json_string_value(b58),
                               strlen(json_string_value(b58)), raw,
                               sizeof(raw), &len) != 0
        || len != 32)
    {
        badge_err_set(err, "key_invalid", "publicKeyBase58 is only read for "
            "Ed25519VerificationKey2018 (32 bytes)");
        return NULL;
    }
    {
        char    x[64];
        json_t *j;

        if (badge_b64url_encode(raw, 32, x, sizeof(x)) == 0) {
            badge_err_set(err, "key_invalid", "bad publicKeyBase58");
            return NULL;
        }
        j = json_pack("{s:s, s:s, s:s}", "kty", "OKP", "crv", "Ed25519",
            "x", x);
        if (j == NULL) {
            badge_err_set(err, "out_of_memory", "out of memory");
            return NULL;
        }
        k = badge_key_from_jwk(j, err);
        json_decref(j);
        return k;
    }
}

static void
badge_did_key_release(void *k)
{
    badge_key_free(k);
}

/* Hand a key to the session; NULL (and the key freed) when out of
 * memory. */
static badge_key_t *
badge_did_keep_key(badge_session_t *s, badge_key_t *k)
{
    if (k == NULL) {
        return NULL;
    }
    return badge_session_cleanup(s, badge_did_key_release, k) == 0 ? k
                                                                   : NULL;
}

/* Fetch and parse the JSON document at url. */
badge_did_result_t
badge_did_fetch_json(badge_session_t *s, const char *url, json_t **out,
    badge_err_t *err)
{
    const badge_doc_t *doc;
    badge_err_t        why;
    json_t            *v;

    badge_err_clear(&why);
    switch (badge_session_document(s, url, &doc, &why)) {
    case BADGE_DOC_OK:
        break;
    case BADGE_DOC_PENDING:
        return BADGE_DID_PENDING;
    default:
        badge_err_set(err, why.code != NULL ? why.code : "fetch_failed",
            "%s", why.message);
        return BADGE_DID_UNAVAILABLE;
    }
    v = badge_session_parse_json(s, (const char *) doc->body, doc->len,
        &why);
    if (v == NULL) {
        badge_err_set(err, "did_document_invalid", "the document at %.200s "
            "is not valid JSON: %s", url, why.message);
        return BADGE_DID_FAIL;
    }
    *out = v;
    return BADGE_DID_OK;
}

/* A JWK, or the member of a JWK Set whose kid is vm_id or its fragment. */
static const json_t *
badge_did_jwk_in(const json_t *doc, const char *vm_id)
{
    const char   *frag = strchr(vm_id, '#'), *kid;
    const json_t *keys, *e;
    size_t        i;

    if (json_object_get(doc, "kty") != NULL) {
        return doc;
    }
    keys = json_object_get(doc, "keys");
    json_array_foreach(keys, i, e) {
        kid = badge_json_str(e, "kid");
        if (kid != NULL && (strcmp(kid, vm_id) == 0
                            || (frag != NULL && strcmp(kid, frag + 1) == 0)))
        {
            return e;
        }
    }
    return NULL;
}

badge_did_result_t
badge_did_resolve_method(badge_session_t *s, const char *vm_id,
    const char *purpose, badge_key_t **key, const char **controller,
    badge_err_t *err)
{
    const json_t       *vm, *jwk;
    const char         *frag, *url;
    char               *base;
    json_t             *doc = NULL;
    badge_key_t        *k;
    badge_did_result_t  rc;

    *key = NULL;
    if (controller != NULL) {
        *controller = NULL;
    }
    if (vm_id == NULL || strlen(vm_id) > 8192) {
        badge_err_set(err, "did_invalid", "no usable verification method "
            "id");
        return BADGE_DID_FAIL;
    }
    base = badge_did_base(s->arena, vm_id);
    if (base == NULL) {
        badge_err_set(err, "out_of_memory", "out of memory");
        return BADGE_DID_FAIL;
    }
    frag = strchr(vm_id, '#');
    if (strncmp(vm_id, "did:key:", 8) == 0) {
        k = badge_did_key_decode(vm_id, err);
    } else if (strncmp(vm_id, "did:jwk:", 8) == 0) {
        k = badge_did_jwk_decode(vm_id, purpose, err);
    } else if (strncmp(vm_id, "did:web:", 8) == 0) {
        url = badge_did_web_url(s->arena, base, err);
        if (url == NULL) {
            return BADGE_DID_FAIL;
        }
        rc = badge_did_fetch_json(s, url, &doc, err);
        if (rc != BADGE_DID_OK) {
            return rc;
        }
        vm = badge_did_doc_find_method(s->arena, doc, base, vm_id, purpose,
            err);
        k = vm != NULL ? badge_did_method_key(vm, err) : NULL;
    } else if (strncmp(vm_id, "https://", 8) == 0
               || strncmp(vm_id, "http://", 7) == 0)
    {
        if (frag != NULL && frag[1] == 'z'
            && badge_ctx_get_option(s->ctx, BADGE_OPT_KEY_FROM_FRAGMENT))
        {
            /* TEST ONLY (1EdTech samples): anyone can write such a URL */
            k = badge_key_from_multibase(frag + 1, err);
        } else {
            rc = badge_did_fetch_json(s, base, &doc, err);
            if (rc != BADGE_DID_OK) {
                return rc;
            }
            jwk = badge_did_jwk_in(doc, vm_id);
            if (jwk != NULL) {
                if (json_object_get(jwk, "d") != NULL) {
                    badge_err_set(err, "key_invalid", "the key document "
                        "holds a private key");
                    k = NULL;
                } else {
                    k = badge_key_from_jwk(jwk, err);
                }
            } else {
                vm = badge_did_doc_find_method(s->arena, doc, base, vm_id,
                    purpose, err);
                k = vm != NULL ? badge_did_method_key(vm, err) : NULL;
            }
        }
    } else if (strncmp(vm_id, "did:", 4) == 0) {
        badge_err_set(err, "did_method_unsupported", "DID method of %.100s "
            "is not supported (did:key, did:jwk, did:web)", vm_id);
        return BADGE_DID_UNAVAILABLE;
    } else {
        badge_err_set(err, "did_invalid", "%.100s is neither a DID nor an "
            "https URL", vm_id);
        return BADGE_DID_FAIL;
    }
    if (k == NULL) {
        return BADGE_DID_FAIL;
    }
    *key = badge_did_keep_key(s, k);
    if (*key == NULL) {
        badge_err_set(err, "out_of_memory", "out of memory");
        return BADGE_DID_FAIL;
    }
    if (controller != NULL) {
        *controller = base;
    }
    return BADGE_DID_OK;
}
