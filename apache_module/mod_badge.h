/*
 * mod_badge.h: what the files of mod_badge share (Apache glue only):
 *
 *   mod_badge.c     directives, the per-directory configuration and its
 *                   badge_ctx_t, the fetch loop, badge-verify, Require badge
 *   badge_cache.c   BadgeCache: verification results in an mod_socache
 *                   provider (shmcb by default), under an ap_global_mutex
 *   badge_page.c    the badge-page handler (public badge pages)
 *   badge_issuer.c  the badge-did and badge-status handlers
 *   badge_fetch.c   the blocking document fetcher
 */
#ifndef MOD_BADGE_H
#define MOD_BADGE_H

#include "httpd.h"
#include "http_config.h"

#include "apr_tables.h"

#include "badge.h"
#include "http_cache.h"

extern module AP_MODULE_DECLARE_DATA badge_module;

#define BADGE_JSON_TYPE        "application/json; charset=utf-8"
#define BADGE_MAX_FILE         (4 * 1024 * 1024)   /* key/document files */

typedef struct badge_page_conf_s    badge_page_conf_t;
typedef struct badge_issuer_conf_s  badge_issuer_conf_t;

typedef struct {
    apr_array_header_t   *ops;        /* badge_op_t, in order; NULL: none */
    badge_ctx_t          *ctx;        /* built from exactly ops, or NULL */
    const char           *lineage;    /* ids of the sections ops came from */
    /* SHA-256 chain of ops (zero with no ops): the cache's idea of "the
     * same trust configuration" */
    unsigned char         digest[BADGE_CACHE_KEY_LEN];
    int                   fetch;      /* BadgeFetch; -1 unset (On) */
    apr_interval_time_t   fetch_timeout;    /* -1 unset */
    const char           *fetch_ca_file;    /* BadgeFetchCAFile (absolute);
                                               NULL unset, "" none */
    struct ssl_ctx_st    *fetch_tls;        /* its TLS client context */
    apr_array_header_t   *from;       /* badge_from_t; NULL unset (bearer) */
    apr_interval_time_t   cache_ttl;  /* BadgeCacheTTL; -1 unset; 0 off */
    badge_page_conf_t    *page;       /* BadgePage*; NULL unset */
    badge_issuer_conf_t  *issuer;     /* BadgeIssuer*, BadgeStatus*; NULL */
} badge_dir_conf;

/* The outcome of one verification as the handlers and Require see it. */
typedef struct {
    const badge_ctx_t *ctx;           /* the configuration it ran under */
    int                have;          /* res is set */
    badge_result_t     res;
    const char        *error;         /* code when !have */
    const char        *cache;         /* "hit", "miss" or NULL (no cache) */
    int                gate;          /* for Require badge (trusted only) */
    const char        *denied;        /* why Require badge denied: the
                                         X-Badge-Error header */
} badge_req_t;

/* mod_badge.c */
const badge_ctx_t *badge_dir_ctx(request_rec *r, const badge_dir_conf *conf);
/* What of the fetch settings shapes a result beyond the ctx (BadgeFetch,
 * BadgeFetchCAFile), for cache keys. */
const char *badge_fetch_desc(request_rec *r, const badge_dir_conf *conf);
badge_session_t *badge_verify(request_rec *r, const badge_dir_conf *conf,
    const badge_ctx_t *ctx, const char *data, const char *url,
    apr_size_t len, const char *lang, int *transient);
const char *badge_read_conf_file(cmd_parms *cmd, const char *arg,
    const void **data, apr_size_t *len);
int badge_send_json(request_rec *r, int status, const char *body,
    apr_size_t len);

/* badge_cache.c */
const char *badge_cmd_cache(cmd_parms *cmd, void *dconf, const char *arg);
const char *badge_cmd_cache_ttl(cmd_parms *cmd, void *dconf,
    const char *arg);
void badge_cache_pre_config(apr_pool_t *pconf);
int badge_cache_post_config(apr_pool_t *pconf, apr_pool_t *ptemp,
    server_rec *s);
void badge_cache_child_init(apr_pool_t *pchild, server_rec *s);
/* The TTL in effect (0: no caching here). */
apr_interval_time_t badge_cache_ttl(const badge_dir_conf *conf);
/* 1 and res filled (strings in r->pool) on a hit, 0 on a miss; page: a
 * larger record may be read (a rendered page). */
int badge_cache_get(request_rec *r, const unsigned char *key,
    badge_result_t *res, int page);
void badge_cache_put(request_rec *r, const unsigned char *key,
    const badge_result_t *res, apr_interval_time_t ttl, int page);

/* badge_page.c */
const char *badge_cmd_page_dir(cmd_parms *cmd, void *dconf, const char *arg);
const char *badge_cmd_page_template(cmd_parms *cmd, void *dconf,
    const char *arg);
const char *badge_cmd_page_index(cmd_parms *cmd, void *dconf, int on);
badge_page_conf_t *badge_page_merge(apr_pool_t *p, badge_page_conf_t *base,
    badge_page_conf_t *add);
int badge_page_handler(request_rec *r);

/* badge_issuer.c */
const char *badge_cmd_issuer_key(cmd_parms *cmd, void *dconf,
    const char *arg);
const char *badge_cmd_issuer_did(cmd_parms *cmd, void *dconf,
    const char *arg);
const char *badge_cmd_status_registry(cmd_parms *cmd, void *dconf,
    const char *arg);
const char *badge_cmd_status_purpose(cmd_parms *cmd, void *dconf,
    const char *arg);
const char *badge_cmd_status_format(cmd_parms *cmd, void *dconf,
    const char *arg);
const char *badge_cmd_status_list_url(cmd_parms *cmd, void *dconf,
    const char *arg);
int badge_issuer_post_config(apr_pool_t *pconf, apr_pool_t *ptemp,
    server_rec *s);
int badge_issuer_handler(request_rec *r);

#endif
