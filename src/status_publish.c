/*
 * status_publish.c: status lists from the issuer's registry: Bitstring
 * Status List credentials (signed with a Data Integrity proof), 1EdTech
 * Revocation Lists, OB 2.0 RevocationLists; and the endpoint object the
 * server glue serves them from.
 */
#include "status_publish.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "b64.h"
#include "sign_di.h"

struct badge_status_endpoint_s {
    badge_registry_watch_t  *watch;
    badge_publish_opts_t     o;          /* strings below, key dup'ed */
    char                    *list_url;
    char                    *issuer;
    char                    *vm;
    badge_key_t             *key;
    pthread_mutex_t          mu;
    char                    *body;       /* the current list, malloc'ed */
    size_t                   len;
    time_t                   built;
    time_t                   valid_until;   /* 0: none */
    unsigned long            generation;    /* of the registry it shows */
};

int
badge_publish_format_parse(const char *s, badge_publish_format_t *f)
{
    if (strcmp(s, "bitstring") == 0) {
        *f = BADGE_PUBLISH_BITSTRING;
    } else if (strcmp(s, "1edtech") == 0) {
        *f = BADGE_PUBLISH_1EDTECH;
    } else if (strcmp(s, "ob2") == 0) {
        *f = BADGE_PUBLISH_OB2;
    } else {
        return -1;
    }
    return 0;
}

int
badge_status_purpose_parse(const char *s, badge_status_purpose_t *p)
{
    if (strcmp(s, "revocation") == 0) {
        *p = BADGE_PURPOSE_REVOCATION;
    } else if (strcmp(s, "suspension") == 0) {
        *p = BADGE_PURPOSE_SUSPENSION;
    } else {
        return -1;
    }
    return 0;
}

const char *
badge_status_purpose_name(badge_status_purpose_t p)
{
    return p == BADGE_PURPOSE_SUSPENSION ? "suspension" : "revocation";
}

const char *
badge_publish_content_type(badge_publish_format_t f)
{
    /* JSON-LD for the credential and OB 2.0 lists (what status list
     * fetchers and OB 2.0 validators ask for); the 1EdTech list is JSON */
    return f == BADGE_PUBLISH_1EDTECH ? BADGE_ISSUER_CT_JSON
                                      : BADGE_ISSUER_CT_LD;
}

char *
badge_status_encode_list(badge_arena_t *a, const unsigned char *bits,
    size_t nbytes, badge_err_t *err)
{
    z_stream       z;
    unsigned char *gz;
    uLong          bound;
    char          *b64, *out;

    memset(&z, 0, sizeof(z));
    /* window bits 31: a GZIP wrapper (header with mtime 0, so the output
     * depends on the bits alone) */
    if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 31, 8,
                     Z_DEFAULT_STRATEGY) != Z_OK)
    {
        badge_err_set(err, "out_of_memory", "out of memory (zlib)");
        return NULL;
    }
    bound = deflateBound(&z, (uLong) nbytes);
    gz = badge_arena_alloc(a, bound);
    if (gz == NULL) {
        deflateEnd(&z);
        badge_err_set(err, "out_of_memory", "out of memory");
        return NULL;
    }
    z.next_in = (unsigned char *) bits;
    z.avail_in = (uInt) nbytes;
    z.next_out = gz;
    z.avail_out = (uInt) bound;
    if (deflate(&z, Z_FINISH) != Z_STREAM_END) {
        deflateEnd(&z);
        badge_err_set(err, "gzip_failed", "cannot compress the status list");
        return NULL;
    }
    b64 = badge_b64url_encode_arena(a, gz, z.total_out);
    deflateEnd(&z);
    out = b64 != NULL ? badge_arena_sprintf(a, "u%s", b64) : NULL;
    if (out == NULL) {
        badge_err_set(err, "out_of_memory", "out of memory");
    }
    return out;
}

json_t *
badge_status_entry_json(badge_publish_format_t f,
    badge_status_purpose_t purpose, const char *list_url, uint64_t index)
{
    char num[24], *id;
    json_t *e;

    if (f == BADGE_PUBLISH_1EDTECH) {
        return json_pack("{s:s, s:s}", "id", list_url, "type",
            "1EdTechRevocationList");
    }
    snprintf(num, sizeof(num), "%llu", (unsigned long long) index);
    id = malloc(strlen(list_url) + sizeof(num) + 2);
    if (id == NULL) {
        return NULL;
    }
    sprintf(id, "%s#%s", list_url, num);
    /* statusListIndex is a string of digits (Bitstring Status List) */
    e = json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", id, "type",
        "BitstringStatusListEntry", "statusPurpose",
        badge_status_purpose_name(purpose), "statusListIndex", num,
        "statusListCredential", list_url);
    free(id);
    return e;
}

/* {"id", "revoked"?, "revocationReason"?} items of the revoked entries. */
static json_t *
badge_publish_revoked(const badge_registry_t *reg, int with_flag)
{
    const badge_reg_entry_t *e;
    json_t                  *list, *item;
    size_t                   i;

    list = json_array();
    for (i = 0; list != NULL && i < badge_registry_count(reg); i++) {
        e = badge_registry_entry(reg, i);
        if (e->status != BADGE_REG_REVOKED) {
            continue;
        }
        item = json_pack("{s:s}", "id", e->id);
        if (item == NULL
            || (with_flag
                && json_object_set_new(item, "revoked", json_true()) != 0)
            || (e->reason[0] != '\0'
                && json_object_set_new(item, "revocationReason",
                                       json_string(e->reason)) != 0)
            || json_array_append_new(list, item) != 0)
        {
            json_decref(list);
            return NULL;
        }
    }
    return list;
}

static json_t *
badge_publish_bitstring(badge_arena_t *a, const badge_registry_t *reg,
    const badge_publish_opts_t *o, time_t now, badge_err_t *err)
{
    const badge_reg_entry_t *e;
    badge_reg_status_t       want;
    unsigned char           *bits;
    uint64_t                 size = badge_registry_size(reg);
    char                     from[32], until[32], *enc, *subj_id;
    json_t                  *doc;
    size_t                   i;
    long                     validity;

    bits = badge_arena_calloc(a, (size_t) (size / 8));
    subj_id = badge_arena_sprintf(a, "%s#list", o->list_url);
    if (bits == NULL || subj_id == NULL) {
        badge_err_set(err, "out_of_memory", "out of memory");
        return NULL;
    }
    want = o->purpose == BADGE_PURPOSE_SUSPENSION ? BADGE_REG_SUSPENDED
                                                  : BADGE_REG_REVOKED;
    for (i = 0; i < badge_registry_count(reg); i++) {
        e = badge_registry_entry(reg, i);
        if (e->status == want) {
            /* bit 0 is the most significant bit of the first byte */
            bits[e->index / 8] |= (unsigned char) (0x80 >> (e->index % 8));
        }
    }
    enc = badge_status_encode_list(a, bits, (size_t) (size / 8), err);
    if (enc == NULL) {
        return NULL;
    }
    validity = o->validity > 0 ? o->validity
                               : BADGE_PUBLISH_DEFAULT_VALIDITY;
    if (badge_issuer_format_time(now, from, sizeof(from)) != 0
        || (o->validity >= 0
            && badge_issuer_format_time(now + validity, until,
                                        sizeof(until)) != 0))
    {
        badge_err_set(err, "date_invalid", "cannot format the validity "
            "dates");
        return NULL;
    }
    doc = json_pack("{s:[s], s:s, s:[s, s], s:s, s:s}",
        "@context", "https://www.w3.org/ns/credentials/v2",
        "id", o->list_url,
        "type", "VerifiableCredential", "BitstringStatusListCredential",
        "issuer", o->issuer,
        "validFrom", from);
    if (doc == NULL
        || (o->validity >= 0
            && json_object_set_new(doc, "validUntil", json_string(until))
               != 0)
        || json_object_set_new(doc, "credentialSubject",
               json_pack("{s:s, s:s, s:s, s:s}", "id", subj_id, "type",
                   "BitstringStatusList", "statusPurpose",
                   badge_status_purpose_name(o->purpose), "encodedList",
                   enc)) != 0)
    {
        json_decref(doc);
        badge_err_set(err, "out_of_memory", "out of memory");
        return NULL;
    }
    return doc;
}

/* Sign doc (a new reference replaces it) with o's key. */
static json_t *
badge_publish_sign(badge_arena_t *a, json_t *doc,
    const badge_publish_opts_t *o, time_t now, badge_err_t *err)
{
    badge_di_sign_opts_t  so;
    json_t               *signed_doc;
    const char           *vm = o->verification_method;

    if (o->key->type == BADGE_KEY_RSA) {
        badge_err_set(err, "key_type_mismatch", "an RSA key cannot make a "
            "Data Integrity proof: sign status lists with an Ed25519 or "
            "P-256 key");
        json_decref(doc);
        return NULL;
    }
    if (vm == NULL) {
        vm = badge_issuer_vm_id(a, o->key, o->issuer, NULL, err);
        if (vm == NULL) {
            json_decref(doc);
            return NULL;
        }
    }
    memset(&so, 0, sizeof(so));
    so.suite = BADGE_DI_SUITE_UNKNOWN;    /* eddsa-rdfc-2022 / ecdsa-rdfc */
    so.verification_method = vm;
    so.purpose = "assertionMethod";
    so.created = now;
    signed_doc = badge_di_sign(a, doc, o->key, &so, err);
    json_decref(doc);
    return signed_doc;
}

char *
badge_status_publish(badge_arena_t *a, const badge_registry_t *reg,
    const badge_publish_opts_t *o, size_t *len, badge_err_t *err)
{
    badge_publish_format_t  f = o->format != 0 ? o->format
                                               : BADGE_PUBLISH_BITSTRING;
    time_t                  now = o->now != 0 ? o->now : time(NULL);
    json_t                 *doc, *list;
    char                   *s, *text;

    if (o->list_url == NULL || o->list_url[0] == '\0' || o->issuer == NULL
        || o->issuer[0] == '\0')
    {
        badge_err_set(err, "publish_invalid", "a status list needs its URL "
            "and its issuer");
        return NULL;
    }
    if (o->purpose == BADGE_PURPOSE_SUSPENSION
        && f != BADGE_PUBLISH_BITSTRING)
    {
        badge_err_set(err, "publish_invalid", "only a Bitstring Status List "
            "can say that a credential is suspended");
        return NULL;
    }
    switch (f) {
    case BADGE_PUBLISH_BITSTRING:
        doc = badge_publish_bitstring(a, reg, o, now, err);
        if (doc != NULL && o->key != NULL) {
            doc = badge_publish_sign(a, doc, o, now, err);
        }
        if (doc == NULL) {
            return NULL;
        }
        break;
    case BADGE_PUBLISH_1EDTECH:
    case BADGE_PUBLISH_OB2:
        list = badge_publish_revoked(reg, f == BADGE_PUBLISH_1EDTECH);
        if (list == NULL) {
            goto oom;
        }
        if (f == BADGE_PUBLISH_1EDTECH) {
            doc = json_pack("{s:s, s:s, s:o}", "id", o->list_url, "issuer",
                o->issuer, "revokedCredentials", list);
        } else {
            doc = json_pack("{s:s, s:s, s:s, s:s, s:o}",
                "@context", "https://w3id.org/openbadges/v2",
                "id", o->list_url, "type", "RevocationList",
                "issuer", o->issuer, "revokedAssertions", list);
        }
        if (doc == NULL) {
            goto oom;
        }
        break;
    default:
        badge_err_set(err, "publish_invalid", "unknown list format");
        return NULL;
    }
    s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(doc);
    if (s == NULL) {
        goto oom;
    }
    text = badge_arena_sprintf(a, "%s\n", s);
    free(s);
    if (text == NULL) {
        goto oom;
    }
    *len = strlen(text);
    return text;

oom:
    badge_err_set(err, "out_of_memory", "out of memory");
    return NULL;
}

/* ------------------------------------------------------------------ */
/* The endpoint                                                         */

void
badge_status_endpoint_free(badge_status_endpoint_t *ep)
{
    if (ep == NULL) {
        return;
    }
    badge_registry_watch_free(ep->watch);
    badge_key_free(ep->key);
    pthread_mutex_destroy(&ep->mu);
    free(ep->list_url);
    free(ep->issuer);
    free(ep->vm);
    free(ep->body);
    free(ep);
}

/* Rebuild the list from reg; 0 or -1 with err (the old one stays). */
static int
badge_endpoint_build(badge_status_endpoint_t *ep, const badge_registry_t *reg,
    unsigned long generation, time_t now, badge_err_t *err)
{
    badge_arena_t        *a;
    badge_publish_opts_t  o = ep->o;
    char                 *text, *copy;
    size_t                len;

    a = badge_arena_new(0);
    if (a == NULL) {
        badge_err_set(err, "out_of_memory", "out of memory");
        return -1;
    }
    o.now = now;
    text = badge_status_publish(a, reg, &o, &len, err);
    copy = text != NULL ? badge_issuer_copy(NULL, NULL, text, len) : NULL;
    badge_arena_free(a);
    if (copy == NULL) {
        if (text != NULL) {
            badge_err_set(err, "out_of_memory", "out of memory");
        }
        return -1;
    }
    free(ep->body);
    ep->body = copy;
    ep->len = len;
    ep->built = now;
    ep->generation = generation;
    ep->valid_until = 0;
    if ((o.format == 0 || o.format == BADGE_PUBLISH_BITSTRING)
        && o.validity >= 0)
    {
        ep->valid_until = now + (o.validity > 0
                                 ? o.validity
                                 : BADGE_PUBLISH_DEFAULT_VALIDITY);
    }
    return 0;
}

badge_status_endpoint_t *
badge_status_endpoint_new(const badge_status_endpoint_conf_t *conf,
    badge_err_t *err)
{
    badge_status_endpoint_t *ep;
    badge_registry_t        *reg;
    unsigned long            gen;
    const badge_publish_opts_t *c = &conf->publish;

    ep = calloc(1, sizeof(*ep));
    if (ep == NULL || pthread_mutex_init(&ep->mu, NULL) != 0) {
        free(ep);
        badge_err_set(err, "out_of_memory", "out of memory");
        return NULL;
    }
    ep->o = *c;
    ep->list_url = c->list_url != NULL ? strdup(c->list_url) : NULL;
    ep->issuer = c->issuer != NULL ? strdup(c->issuer) : NULL;
    ep->vm = c->verification_method != NULL ? strdup(c->verification_method)
                                            : NULL;
    ep->key = c->key != NULL ? badge_key_dup(c->key) : NULL;
    if ((c->list_url != NULL && ep->list_url == NULL)
        || (c->issuer != NULL && ep->issuer == NULL)
        || (c->verification_method != NULL && ep->vm == NULL)
        || (c->key != NULL && ep->key == NULL))
    {
        badge_status_endpoint_free(ep);
        badge_err_set(err, "out_of_memory", "out of memory");
        return NULL;
    }
    ep->o.list_url = ep->list_url;
    ep->o.issuer = ep->issuer;
    ep->o.verification_method = ep->vm;
    ep->o.key = ep->key;
    ep->watch = badge_registry_watch_new(conf->registry, conf->recheck, err);
    if (ep->watch == NULL) {
        badge_status_endpoint_free(ep);
        return NULL;
    }
    reg = badge_registry_watch_get(ep->watch, time(NULL), &gen, NULL, err);
    if (badge_endpoint_build(ep, reg, gen, time(NULL), err) != 0) {
        badge_registry_release(reg);
        badge_status_endpoint_free(ep);
        return NULL;
    }
    badge_registry_release(reg);
    return ep;
}

int
badge_status_endpoint_respond(badge_status_endpoint_t *ep, time_t now,
    badge_alloc_fn alloc, void *pool, badge_issuer_response_t *out,
    badge_err_t *err)
{
    badge_registry_t *reg;
    badge_err_t       werr, berr;
    unsigned long     gen;
    long              half;
    badge_err_t       none;
    int               rc = 0, stale;

    if (err == NULL) {
        err = &none;
    }
    memset(out, 0, sizeof(*out));
    badge_err_clear(err);
    badge_err_clear(&berr);
    pthread_mutex_lock(&ep->mu);
    reg = badge_registry_watch_get(ep->watch, now, &gen, NULL, &werr);
    half = ep->valid_until != 0 ? (long) (ep->valid_until - ep->built) / 2
                                : 0;
    stale = ep->body == NULL || gen != ep->generation || now < ep->built
            || (half > 0 && now - ep->built >= half);
    if (stale && badge_endpoint_build(ep, reg, gen, now, &berr) != 0) {
        if (ep->body == NULL
            || (ep->valid_until != 0 && now >= ep->valid_until))
        {
            /* nothing valid left to serve */
            pthread_mutex_unlock(&ep->mu);
            badge_registry_release(reg);
            *err = berr;
            badge_issuer_error_response(alloc, pool, err, out);
            return -1;
        }
        *err = berr;
        rc = 1;
    }
    if (rc == 0 && werr.code != NULL) {
        *err = werr;
        rc = 1;
    }
    out->status = 200;
    out->content_type = badge_publish_content_type(ep->o.format);
    out->cache_control = BADGE_ISSUER_CACHE_STATUS;
    out->last_modified = ep->built;
    out->len = ep->len;
    out->body = badge_issuer_copy(alloc, pool, ep->body, ep->len);
    pthread_mutex_unlock(&ep->mu);
    badge_registry_release(reg);
    if (out->body == NULL) {
        badge_err_set(err, "out_of_memory", "out of memory");
        return -1;
    }
    return rc;
}
