/*
 * ctx.c: building the configuration.  Everything lives in the context's
 * arena except the EVP keys, which are released in badge_ctx_free().
 */
#include "ctx.h"

#include <stdio.h>
#include <string.h>

#include "jsonld.h"

static const long badge_opt_defaults[BADGE_OPT__MAX] = {
    [BADGE_OPT_CLOCK_SKEW] = 300,
    [BADGE_OPT_MAX_INPUT] = 1024 * 1024,
    [BADGE_OPT_MAX_DOCUMENT] = 2 * 1024 * 1024,
    [BADGE_OPT_MAX_FETCHES] = 16,
    [BADGE_OPT_RDFC_MAX_WORK] = 100000,
};

badge_ctx_t *
badge_ctx_new(void)
{
    badge_arena_t *a = badge_arena_new(0);
    badge_ctx_t   *ctx;

    if (a == NULL) {
        return NULL;
    }
    ctx = badge_arena_calloc(a, sizeof(*ctx));
    if (ctx == NULL) {
        badge_arena_free(a);
        return NULL;
    }
    ctx->arena = a;
    memcpy(ctx->opts, badge_opt_defaults, sizeof(ctx->opts));
    ctx->jsonld_cache = badge_jsonld_cache_new();
    ctx->key_memo = badge_key_memo_new();
    if (ctx->jsonld_cache == NULL || ctx->key_memo == NULL) {
        badge_jsonld_cache_free(ctx->jsonld_cache);
        badge_key_memo_free(ctx->key_memo);
        badge_arena_free(a);
        return NULL;
    }
    return ctx;
}

void
badge_ctx_free(badge_ctx_t *ctx)
{
    badge_trusted_key_t *k;

    if (ctx == NULL) {
        return;
    }
    for (k = ctx->keys; k != NULL; k = k->next) {
        badge_key_free(k->key);
    }
    badge_jsonld_cache_free(ctx->jsonld_cache);
    badge_key_memo_free(ctx->key_memo);
    badge_arena_free(ctx->arena);
}

int
badge_ctx_set_option(badge_ctx_t *ctx, badge_option_t opt, long value)
{
    if ((int) opt <= 0 || opt >= BADGE_OPT__MAX || value < 0) {
        return -1;
    }
    ctx->opts[opt] = value;
    return 0;
}

long
badge_ctx_get_option(const badge_ctx_t *ctx, badge_option_t opt)
{
    if ((int) opt <= 0 || opt >= BADGE_OPT__MAX) {
        return 0;
    }
    return ctx->opts[opt];
}

static void
badge_ctx_errmsg(char *err, size_t errlen, const char *msg)
{
    if (err != NULL && errlen > 0) {
        snprintf(err, errlen, "%s", msg);
    }
}

int
badge_ctx_trust_issuer(badge_ctx_t *ctx, const char *issuer, char *err,
    size_t errlen)
{
    badge_trusted_issuer_t *t;

    if (issuer == NULL || issuer[0] == '\0'
        || (strncmp(issuer, "did:", 4) != 0
            && strncmp(issuer, "https://", 8) != 0
            && strncmp(issuer, "http://", 7) != 0))
    {
        badge_ctx_errmsg(err, errlen,
            "a trusted issuer must be a DID or an http(s) URL");
        return -1;
    }
    if (badge_ctx_issuer_trusted(ctx, issuer)) {
        return 0;
    }
    t = badge_arena_calloc(ctx->arena, sizeof(*t));
    if (t == NULL || (t->id = badge_arena_strdup(ctx->arena, issuer)) == NULL)
    {
        badge_ctx_errmsg(err, errlen, "out of memory");
        return -1;
    }
    t->next = ctx->issuers;
    ctx->issuers = t;
    return 0;
}

int
badge_ctx_add_key(badge_ctx_t *ctx, const char *issuer, const char *kid,
    const void *key, size_t len, char *err, size_t errlen)
{
    badge_trusted_key_t *t, **tail;
    badge_err_t          e;
    badge_key_t         *k;

    badge_err_clear(&e);
    if (issuer == NULL && kid == NULL) {
        badge_ctx_errmsg(err, errlen, "a key needs an issuer or a key id");
        return -1;
    }
    k = badge_key_parse(key, len, &e);
    if (k == NULL) {
        badge_ctx_errmsg(err, errlen, e.message);
        return -1;
    }
    t = badge_arena_calloc(ctx->arena, sizeof(*t));
    if (t == NULL) {
        badge_key_free(k);
        badge_ctx_errmsg(err, errlen, "out of memory");
        return -1;
    }
    t->issuer = issuer != NULL ? badge_arena_strdup(ctx->arena, issuer)
                               : NULL;
    t->kid = kid != NULL ? badge_arena_strdup(ctx->arena, kid) : NULL;
    t->key = k;
    /* keep configuration order: the first matching key wins */
    for (tail = &ctx->keys; *tail != NULL; tail = &(*tail)->next) {
        /* void */
    }
    *tail = t;
    if (issuer != NULL
        && badge_ctx_trust_issuer(ctx, issuer, err, errlen) != 0)
    {
        return -1;
    }
    return 0;
}

int
badge_ctx_add_document(badge_ctx_t *ctx, const char *url, const void *body,
    size_t len, char *err, size_t errlen)
{
    badge_pinned_doc_t *d;

    if (url == NULL || url[0] == '\0') {
        badge_ctx_errmsg(err, errlen, "a pinned document needs a URL");
        return -1;
    }
    d = badge_arena_calloc(ctx->arena, sizeof(*d));
    if (d == NULL
        || (d->url = badge_arena_strdup(ctx->arena, url)) == NULL
        || (d->body = badge_arena_memdup(ctx->arena, body, len)) == NULL)
    {
        badge_ctx_errmsg(err, errlen, "out of memory");
        return -1;
    }
    d->len = len;
    d->next = ctx->docs;
    ctx->docs = d;
    return 0;
}

int
badge_ctx_issuer_trusted(const badge_ctx_t *ctx, const char *issuer)
{
    const badge_trusted_issuer_t *t;

    if (issuer == NULL) {
        return 0;
    }
    for (t = ctx->issuers; t != NULL; t = t->next) {
        if (strcmp(t->id, issuer) == 0) {
            return 1;
        }
    }
    return 0;
}

const badge_key_t *
badge_ctx_find_key(const badge_ctx_t *ctx, const char *issuer,
    const char *kid)
{
    const badge_trusted_key_t *t;

    if (kid != NULL) {
        for (t = ctx->keys; t != NULL; t = t->next) {
            if (t->kid != NULL && strcmp(t->kid, kid) == 0) {
                return t->key;
            }
        }
    }
    if (issuer != NULL) {
        for (t = ctx->keys; t != NULL; t = t->next) {
            if (t->kid == NULL && t->issuer != NULL
                && strcmp(t->issuer, issuer) == 0)
            {
                return t->key;
            }
        }
    }
    return NULL;
}

const badge_pinned_doc_t *
badge_ctx_find_document(const badge_ctx_t *ctx, const char *url)
{
    const badge_pinned_doc_t *d;

    for (d = ctx->docs; d != NULL; d = d->next) {
        if (strcmp(d->url, url) == 0) {
            return d;
        }
    }
    return NULL;
}
