/*
 * ctx.h: the long-lived configuration behind badge_ctx_t: options, trusted
 * issuers and keys, pinned documents.  Built at configuration load,
 * read-only afterwards (shared by nginx workers after fork, and by Apache
 * threads).
 */
#ifndef BADGE_CTX_H
#define BADGE_CTX_H

#include "arena.h"
#include "badge.h"
#include "keys.h"

#define BADGE_OPT__MAX  16

typedef struct badge_trusted_key_s {
    const char                  *issuer;   /* may be NULL */
    const char                  *kid;      /* may be NULL */
    badge_key_t                 *key;
    struct badge_trusted_key_s  *next;
} badge_trusted_key_t;

typedef struct badge_trusted_issuer_s {
    const char                     *id;
    struct badge_trusted_issuer_s  *next;
} badge_trusted_issuer_t;

typedef struct badge_pinned_doc_s {
    const char                 *url;
    const unsigned char        *body;
    size_t                      len;
    struct badge_pinned_doc_s  *next;
} badge_pinned_doc_t;

struct badge_ctx_s {
    badge_arena_t            *arena;
    long                      opts[BADGE_OPT__MAX];
    badge_trusted_issuer_t   *issuers;
    badge_trusted_key_t      *keys;
    badge_pinned_doc_t       *docs;
    /* processed JSON-LD contexts, shared by all sessions (thread-safe) */
    struct badge_jsonld_cache_s *jsonld_cache;
    /* public keys decoded from PEM documents (thread-safe) */
    struct badge_key_memo_s  *key_memo;
};

int badge_ctx_issuer_trusted(const badge_ctx_t *ctx, const char *issuer);
/* The first trusted key for this kid (exact), else for this issuer with no
 * kid; NULL if none. */
const badge_key_t *badge_ctx_find_key(const badge_ctx_t *ctx,
    const char *issuer, const char *kid);
const badge_pinned_doc_t *badge_ctx_find_document(const badge_ctx_t *ctx,
    const char *url);

#endif
