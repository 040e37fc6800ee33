/*
 * badge_fetch.h: the blocking document fetcher of mod_badge (Apache glue
 * only).  The core asks for URLs (BADGE_NEED_DOCUMENTS); this fetches each
 * one and hands the answer back with badge_session_supply().
 */
#ifndef MOD_BADGE_FETCH_H
#define MOD_BADGE_FETCH_H

#include "httpd.h"
#include "apr_time.h"

#include "badge.h"

typedef struct {
    apr_interval_time_t  timeout;        /* whole fetch, per URL */
    apr_size_t           max_size;       /* body bytes */
    int                  allow_private;  /* connect to private addresses */
    int                  max_redirects;
    struct ssl_ctx_st   *tls;            /* BadgeFetchCAFile's context;
                                            NULL: the system store only */
} badge_fetch_opts_t;

/* Set up the TLS client context of a child process (child_init). */
void badge_fetch_child_init(apr_pool_t *pchild, server_rec *s);

/*
 * BadgeFetchCAFile: a TLS client context that trusts the system's CA store
 * and, in addition, the CA certificates of the PEM file path (absolute).
 * Built when the directive is read, once per file (kept in pool p, freed
 * with it).  NULL, or why the file cannot be used (in p).
 */
const char *badge_fetch_ca_ctx(apr_pool_t *p, const char *path,
    struct ssl_ctx_st **out);

/*
 * GET url and supply the result to s: the HTTP status and body, or status
 * 0 when it could not be fetched (refused address, timeout, too large,
 * TLS failure...).  The reason goes to the error log at info level.
 * Returns the status supplied (0: not fetched).
 */
int badge_fetch_supply(request_rec *r, const badge_ctx_t *ctx,
    badge_session_t *s, const char *url, const badge_fetch_opts_t *o);

#endif
