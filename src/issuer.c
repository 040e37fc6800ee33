/*
 * issuer.c: DID documents of the issuer's key, did:web names and paths,
 * and the responses of the issuer endpoints (DID document, hosted OB 2.0).
 *
 * The did:web -> URL mapping is did.c's (badge_did_web_url); the key
 * encodings are did.c's (did:key multibase) and jws.c's (JWK), so that
 * what we publish is exactly what our verifier reads back.
 */
#include "issuer.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "did.h"
#include "json.h"
#include "jws.h"

#define BADGE_ISSUER_MAX_KEY_FILE  (1024 * 1024)
#define BADGE_ISSUER_MAX_HOST      253

static const char *badge_ctx_did = "https://www.w3.org/ns/did/v1";
static const char *badge_ctx_multikey =
    "https://w3id.org/security/multikey/v1";

/* ------------------------------------------------------------------ */
/* Helpers                                                              */

int
badge_issuer_format_time(time_t t, char *buf, size_t cap)
{
    struct tm tm;

    if (gmtime_r(&t, &tm) == NULL
        || strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
    {
        return -1;
    }
    return 0;
}

char *
badge_issuer_copy(badge_alloc_fn alloc, void *pool, const char *p, size_t n)
{
    char *d = alloc != NULL ? alloc(pool, n + 1) : malloc(n + 1);

    if (d != NULL) {
        memcpy(d, p, n);
        d[n] = '\0';
    }
    return d;
}

int
badge_issuer_error_response(badge_alloc_fn alloc, void *pool,
    const badge_err_t *err, badge_issuer_response_t *out)
{
    json_t *j;
    char   *s;

    memset(out, 0, sizeof(*out));
    out->status = 500;
    out->content_type = BADGE_ISSUER_CT_JSON;
    out->cache_control = "no-store";
    j = json_pack("{s:s, s:s}", "error",
        err->code != NULL ? err->code : "internal_error", "message",
        err->message);
    s = j != NULL ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(j);
    if (s == NULL) {
        return -1;
    }
    out->len = strlen(s);
    out->body = badge_issuer_copy(alloc, pool, s, out->len);
    free(s);
    return out->body != NULL ? 0 : -1;
}

/* A jansson tree as pretty text (two spaces, members in insertion order,
 * a final newline) in the arena. */
static char *
badge_issuer_dump(badge_arena_t *a, const json_t *j, badge_err_t *err)
{
    char *s, *d;

    s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (s == NULL) {
        badge_err_set(err, "out_of_memory", "out of memory");
        return NULL;
    }
    d = badge_arena_sprintf(a, "%s\n", s);
    free(s);
    if (d == NULL) {
        badge_err_set(err, "out_of_memory", "out of memory");
    }
    return d;
}

badge_key_t *
badge_issuer_key_load(const char *path, badge_err_t *err)
{
    unsigned char  buf[4096], *data = NULL, *p;
    size_t         len = 0, n;
    badge_key_t   *k;
    FILE          *f;

    f = fopen(path, "rb");
    if (f == NULL) {
        badge_err_set(err, "file_unreadable", "cannot open the key file "
            "%.200s: %s", path, strerror(errno));
        return NULL;
    }
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
        if (len + n > BADGE_ISSUER_MAX_KEY_FILE) {
            break;
        }
        p = realloc(data, len + n + 1);
        if (p == NULL) {
            break;
        }
        data = p;
        memcpy(data + len, buf, n);
        len += n;
    }
    if (n > 0 || ferror(f) || data == NULL) {
        fclose(f);
        free(data);
        badge_err_set(err, "file_unreadable", "cannot read the key file "
            "%.200s (empty, unreadable or larger than 1 MiB)", path);
        return NULL;
    }
    fclose(f);
    data[len] = '\0';
    p = data;
    while (len > 0 && isspace(*p)) {
        p++;
        len--;
    }
    /* PEM keeps a private key (signing); the other forms are public */
    if (len >= 10 && memcmp(p, "-----BEGIN", 10) == 0) {
        k = badge_key_from_pem(p, len, err);
    } else {
        k = badge_key_parse(p, len, err);
    }
    OPENSSL_cleanse(data, len);
    free(data);
    if (k == NULL && err != NULL) {
        char msg[sizeof(err->message)];

        snprintf(msg, sizeof(msg), "%s", err->message);
        badge_err_set(err, err->code != NULL ? err->code : "key_invalid",
            "%.150s: %s", path, msg);
    }
    return k;
}

/* ------------------------------------------------------------------ */
/* DID documents                                                        */

/* The key's Multikey value ("z..."), NULL for RSA. */
static const char *
badge_issuer_multikey(badge_arena_t *a, const badge_key_t *k)
{
    const char *did;

    if (k->type == BADGE_KEY_RSA) {
        return NULL;
    }
    did = badge_did_key_encode(a, k);
    return did != NULL ? did + 8 : NULL;
}

static json_t *
badge_issuer_vm(const char *id, const char *did, const char *mb,
    json_t *jwk)
{
    json_t *vm;

    if (mb != NULL) {
        vm = json_pack("{s:s, s:s, s:s, s:s}", "id", id, "type", "Multikey",
            "controller", did, "publicKeyMultibase", mb);
    } else {
        vm = json_pack("{s:s, s:s, s:s, s:O}", "id", id, "type",
            "JsonWebKey", "controller", did, "publicKeyJwk", jwk);
    }
    return vm;
}

/* Add vm to verificationMethod and its id to each relationship. */
static int
badge_issuer_add_vm(json_t *doc, json_t *vm, const char *const *rels)
{
    json_t *list, *id;
    int     bad = 0;

    if (vm == NULL) {
        return -1;
    }
    id = json_object_get(vm, "id");
    list = json_object_get(doc, "verificationMethod");
    bad |= json_array_append_new(list, vm);
    for ( ; *rels != NULL; rels++) {
        list = json_object_get(doc, *rels);
        if (list == NULL) {
            list = json_array();
            bad |= json_object_set_new(doc, *rels, list);
        }
        bad |= json_array_append(list, id);
    }
    return bad ? -1 : 0;
}

static const char *const badge_rels_web[] = {
    "authentication", "assertionMethod", NULL
};
static const char *const badge_rels_key[] = {
    "authentication", "assertionMethod", "capabilityDelegation",
    "capabilityInvocation", NULL
};

char *
badge_issuer_did_of(badge_arena_t *a, const badge_key_t *key,
    const char *did, badge_err_t *err)
{
    const char *mine;

    if (did == NULL || strcmp(did, "did:key") == 0
        || strncmp(did, "did:key:", 8) == 0)
    {
        mine = badge_did_key_encode(a, key);
        if (mine == NULL) {
            badge_err_set(err, "key_unsupported", "did:key names Ed25519, "
                "P-256 and P-384 keys only (use did:jwk or did:web)");
            return NULL;
        }
    } else if (strcmp(did, "did:jwk") == 0
               || strncmp(did, "did:jwk:", 8) == 0)
    {
        mine = badge_did_jwk_encode(a, key);
        if (mine == NULL) {
            badge_err_set(err, "out_of_memory", "cannot encode the key");
            return NULL;
        }
        if (did[7] == ':') {
            badge_key_t *k2 = badge_did_jwk_decode(did, NULL, err);
            int          same = k2 != NULL && badge_key_equal(k2, key);

            badge_key_free(k2);
            if (!same) {
                badge_err_set(err, "did_invalid", "%.200s is not this key's "
                    "did:jwk", did);
                return NULL;
            }
            mine = did;
        }
        return badge_arena_strdup(a, mine);
    } else if (strncmp(did, "did:web:", 8) == 0) {
        if (badge_did_web_url(a, did, err) == NULL) {
            return NULL;
        }
        return badge_arena_strdup(a, did);
    } else {
        badge_err_set(err, "did_invalid", "the DID must be did:web:HOST..., "
            "did:key or did:jwk (not %.100s)", did);
        return NULL;
    }
    if (did != NULL && did[7] == ':' && strcmp(did, mine) != 0) {
        badge_err_set(err, "did_invalid", "%.200s is not this key's did:key "
            "(%.100s)", did, mine);
        return NULL;
    }
    return (char *) mine;
}

char *
badge_issuer_vm_id(badge_arena_t *a, const badge_key_t *key,
    const char *issuer, const char *key_id, badge_err_t *err)
{
    const char *did;

    if (issuer == NULL) {
        badge_err_set(err, "did_invalid", "no issuer");
        return NULL;
    }
    if (strncmp(issuer, "did:key:", 8) == 0
        || strncmp(issuer, "did:jwk:", 8) == 0)
    {
        did = badge_issuer_did_of(a, key, issuer, err);
        return did != NULL ? badge_did_key_vm_id(a, did) : NULL;
    }
    if (strncmp(issuer, "did:web:", 8) == 0) {
        if (badge_did_web_url(a, issuer, err) == NULL) {
            return NULL;
        }
        return badge_arena_sprintf(a, "%s#%s", issuer,
            key_id != NULL ? key_id : BADGE_ISSUER_KEY_ID);
    }
    badge_err_set(err, "vm_missing", "for the issuer %.200s, name the "
        "verification method (the key's id in its controller document) "
        "explicitly", issuer);
    return NULL;
}

char *
badge_issuer_did_document(badge_arena_t *a, const badge_key_t *key,
    const char *did, const char *key_id, unsigned flags, badge_err_t *err)
{
    json_t     *doc = NULL, *ctx, *jwk = NULL;
    const char *mb, *id;
    char       *text = NULL;
    int         bad = 0, web;

    did = badge_issuer_did_of(a, key, did, err);
    if (did == NULL) {
        return NULL;
    }
    web = strncmp(did, "did:web:", 8) == 0;
    if (key_id == NULL) {
        key_id = BADGE_ISSUER_KEY_ID;
    }
    if (web && (key_id[0] == '\0' || strpbrk(key_id, "#?/ ") != NULL)) {
        badge_err_set(err, "did_invalid", "bad key id \"%.60s\" (a URL "
            "fragment without '#')", key_id);
        return NULL;
    }
    mb = badge_issuer_multikey(a, key);
    if ((flags & BADGE_ISSUER_DID_NO_MULTIKEY) && web) {
        mb = NULL;
    }
    if (mb == NULL || (web && !(flags & BADGE_ISSUER_DID_NO_JWK))
        || strncmp(did, "did:jwk:", 8) == 0)
    {
        jwk = badge_jwk_from_key(key, err);
        if (jwk == NULL) {
            return NULL;
        }
    }
    if (mb == NULL && jwk == NULL) {
        badge_err_set(err, "did_invalid", "no verification method left");
        return NULL;
    }
    ctx = json_pack("[s, s]", badge_ctx_did, badge_ctx_multikey);
    doc = json_pack("{s:o, s:s, s:[]}", "@context", ctx, "id", did,
        "verificationMethod");
    if (doc == NULL) {
        goto oom;
    }
    if (strncmp(did, "did:key:", 8) == 0) {
        id = badge_did_key_vm_id(a, did);
        bad |= id == NULL
               || badge_issuer_add_vm(doc, badge_issuer_vm(id, did, mb,
                                                           NULL),
                                      badge_rels_key);
    } else if (strncmp(did, "did:jwk:", 8) == 0) {
        id = badge_did_key_vm_id(a, did);
        bad |= id == NULL
               || badge_issuer_add_vm(doc, badge_issuer_vm(id, did, NULL,
                                                           jwk),
                                      badge_rels_key);
    } else {
        if (mb != NULL) {
            id = badge_arena_sprintf(a, "%s#%s", did, key_id);
            bad |= id == NULL
                   || badge_issuer_add_vm(doc, badge_issuer_vm(id, did, mb,
                                                               NULL),
                                          badge_rels_web);
        }
        if (jwk != NULL) {
            /* RSA: the JWK is the key's only form, so it is #key-1 */
            id = badge_arena_sprintf(a, "%s#%s%s", did, key_id,
                                     mb != NULL ? "-jwk" : "");
            bad |= id == NULL
                   || badge_issuer_add_vm(doc, badge_issuer_vm(id, did, NULL,
                                                               jwk),
                                          badge_rels_web);
        }
    }
    if (jwk != NULL && !bad) {
        /* no bundled context defines the JWK terms: define them inline,
         * so that the document stays valid JSON-LD without a fetch */
        bad |= json_array_append_new(ctx, json_pack("{s:s, s:{s:s, s:s}}",
            "JsonWebKey", "https://w3id.org/security#JsonWebKey",
            "publicKeyJwk", "@id", "https://w3id.org/security#publicKeyJwk",
            "@type", "@json"));
    }
    if (bad) {
        goto oom;
    }
    text = badge_issuer_dump(a, doc, err);
    json_decref(doc);
    json_decref(jwk);
    return text;

oom:
    json_decref(doc);
    json_decref(jwk);
    badge_err_set(err, "out_of_memory", "out of memory");
    return NULL;
}

/* ------------------------------------------------------------------ */
/* did:web names                                                        */

char *
badge_issuer_did_from_server_name(badge_arena_t *a, const char *host,
    int port, const char *path, badge_err_t *err)
{
    static const char  hex[] = "0123456789ABCDEF";
    badge_buf_t        b;
    const char        *p, *seg;
    size_t             n, i;
    char              *did;

    if (host == NULL) {
        goto bad_host;
    }
    n = strlen(host);
    if (n > 0 && host[n - 1] == '.') {
        n--;        /* the root label of a fully qualified name */
    }
    if (n == 0 || n > BADGE_ISSUER_MAX_HOST || host[0] == '.'
        || host[0] == '-')
    {
        goto bad_host;
    }
    for (i = 0; i < n; i++) {
        if (!isalnum((unsigned char) host[i]) && host[i] != '.'
            && host[i] != '-')
        {
            goto bad_host;  /* IPv6 literals, wildcards, regex names */
        }
    }
    if (port < 0 || port > 65535) {
        badge_err_set(err, "did_invalid", "bad port %d", port);
        return NULL;
    }
    badge_buf_init(&b, a, 64);
    badge_buf_puts(&b, "did:web:");
    for (i = 0; i < n; i++) {
        badge_buf_putc(&b, (char) tolower((unsigned char) host[i]));
    }
    if (port != 0 && port != 443) {
        badge_buf_printf(&b, "%%3A%d", port);
    }
    /* path segments become ':'-separated, percent-encoded */
    for (p = path != NULL ? path : ""; *p != '\0'; p = seg + n) {
        while (*p == '/') {
            p++;
        }
        seg = p;
        n = strcspn(seg, "/");
        if (n == 0) {
            break;
        }
        if ((n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.'
                                          && seg[1] == '.'))
        {
            badge_err_set(err, "did_invalid", "the path %.100s has a dot "
                "segment", path);
            return NULL;
        }
        badge_buf_putc(&b, ':');
        for (i = 0; i < n; i++) {
            unsigned char c = (unsigned char) seg[i];

            if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
                badge_buf_putc(&b, (char) c);
            } else {
                badge_buf_putc(&b, '%');
                badge_buf_putc(&b, hex[c >> 4]);
                badge_buf_putc(&b, hex[c & 15]);
            }
        }
    }
    did = badge_buf_cstr(&b);
    if (did == NULL) {
        badge_err_set(err, "out_of_memory", "out of memory");
    }
    /* well-formed by construction: host checked, port bounded, segments
     * percent-encoded (the unit tests map every form back with did.c) */
    return did;

bad_host:
    badge_err_set(err, "did_invalid", "\"%.100s\" is not a host name a "
        "did:web can name (letters, digits, dots, hyphens)",
        host != NULL ? host : "(none)");
    return NULL;
}

char *
badge_issuer_did_path(badge_arena_t *a, const char *did, badge_err_t *err)
{
    char *url = badge_did_web_url(a, did, err);

    if (url == NULL) {
        return NULL;
    }
    /* "https://" host[:port] path */
    return strchr(url + 8, '/');
}

int
badge_issuer_did_response(const badge_key_t *key, const char *did,
    const char *key_id, unsigned flags, badge_alloc_fn alloc, void *pool,
    badge_issuer_response_t *out, badge_err_t *err)
{
    badge_arena_t *a;
    char          *text;
    int            rc = -1;

    memset(out, 0, sizeof(*out));
    a = badge_arena_new(0);
    if (a == NULL) {
        badge_err_set(err, "out_of_memory", "out of memory");
        return -1;
    }
    text = badge_issuer_did_document(a, key, did, key_id, flags, err);
    if (text != NULL) {
        out->status = 200;
        out->content_type = BADGE_ISSUER_CT_DID;
        out->cache_control = BADGE_ISSUER_CACHE_DID;
        out->len = strlen(text);
        out->body = badge_issuer_copy(alloc, pool, text, out->len);
        if (out->body == NULL) {
            badge_err_set(err, "out_of_memory", "out of memory");
        } else {
            rc = 0;
        }
    }
    badge_arena_free(a);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Hosted OB 2.0                                                        */

int
badge_issuer_ob2_response(const void *doc, size_t len,
    const badge_registry_t *reg, badge_alloc_fn alloc, void *pool,
    badge_issuer_response_t *out, badge_err_t *err)
{
    const badge_reg_entry_t *e = NULL;
    json_t                  *j, *gone = NULL;
    const char              *id, *reason = NULL;
    char                    *s;
    int                      revoked;
    badge_err_t              none;

    if (err == NULL) {
        err = &none;
    }
    memset(out, 0, sizeof(*out));
    badge_err_clear(err);
    j = badge_json_parse(doc, len, err);
    if (j == NULL || !json_is_object(j)) {
        json_decref(j);
        if (err->code == NULL || strcmp(err->code, "out_of_memory") != 0) {
            badge_err_set(err, "ob2_file_invalid", "the hosted file is not "
                "a JSON object");
        }
        badge_issuer_error_response(alloc, pool, err, out);
        return -1;
    }
    id = badge_json_str(j, "id");
    if (id != NULL && reg != NULL) {
        e = badge_registry_find_id(reg, id);
    }
    revoked = (e != NULL && e->status == BADGE_REG_REVOKED)
              || json_is_true(json_object_get(j, "revoked"));
    out->cache_control = BADGE_ISSUER_CACHE_STATUS;
    out->content_type = BADGE_ISSUER_CT_LD;
    if (!revoked) {
        json_decref(j);
        out->status = 200;
        out->len = len;
        out->body = badge_issuer_copy(alloc, pool, doc, len);
        goto done;
    }
    if (e != NULL && e->reason[0] != '\0') {
        reason = e->reason;
    } else {
        reason = badge_json_str(j, "revocationReason");
    }
    /* what OB 2.0 verifiers expect of a revoked hosted assertion */
    gone = json_pack("{s:s, s:s?, s:b}", "@context",
        "https://w3id.org/openbadges/v2", "id", id, "revoked", 1);
    if (gone != NULL && reason != NULL
        && json_object_set_new(gone, "revocationReason", json_string(reason))
           != 0)
    {
        json_decref(gone);
        gone = NULL;
    }
    json_decref(j);
    s = gone != NULL ? json_dumps(gone, JSON_INDENT(2) | JSON_PRESERVE_ORDER)
                     : NULL;
    json_decref(gone);
    if (s == NULL) {
        badge_err_set(err, "out_of_memory", "out of memory");
        badge_issuer_error_response(alloc, pool, err, out);
        return -1;
    }
    out->status = 410;
    out->len = strlen(s);
    out->body = badge_issuer_copy(alloc, pool, s, out->len);
    free(s);

done:
    if (out->body == NULL) {
        badge_err_set(err, "out_of_memory", "out of memory");
        return -1;
    }
    return 0;
}
