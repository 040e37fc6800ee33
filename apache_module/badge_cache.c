/*
 * badge_cache.c: verification results in an mod_socache provider, for
 * mod_badge (Apache glue only; the key and the record are the core's,
 * http_cache.h).
 *
 *   BadgeCache shmcb:/run/apache2/badge(512000) | memcache:host:port | none
 *   BadgeCacheTTL 60
 *
 * One cache for the whole server (like SSLSessionCache and
 * AuthnCacheSOCache), shared by the child processes.  Without BadgeCache
 * the "default" socache provider (shmcb, when mod_socache_shmcb is loaded)
 * is used with its own defaults; without one, results are not cached.
 * Providers that are not safe across threads and processes (shmcb) are
 * used under an ap_global_mutex, "badge-cache" (Mutex directive).
 */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "ap_provider.h"
#include "ap_socache.h"
#include "util_mutex.h"

#include "apr_global_mutex.h"
#include "apr_lib.h"
#include "apr_strings.h"

#include "badge.h"
#include "http_cache.h"

#include "mod_badge.h"

APLOG_USE_MODULE(badge);

#define BADGE_CACHE_ID         "badge-cache"
#define BADGE_CACHE_NAMESPACE  "mod_badge-cache"
#define BADGE_CACHE_DEFAULT_TTL apr_time_from_sec(60)
/* A record larger than this is not kept (nor read back): reports are a
 * few KiB, pages a few tens (badge_page.c asks for more). */
#define BADGE_CACHE_MAX_VALUE  (64 * 1024)
#define BADGE_CACHE_MAX_PAGE   (1024 * 1024)

/* Server-wide, per configuration generation (reset in pre_config). */
static const ap_socache_provider_t *badge_socache;
static ap_socache_instance_t       *badge_socache_inst;
static apr_global_mutex_t          *badge_socache_mutex;
static int                          badge_socache_set;  /* 1 set, -1 none */
static const char                  *badge_socache_desc;

static apr_status_t
badge_cache_reset(void *data)
{
    badge_socache = NULL;
    badge_socache_inst = NULL;
    badge_socache_mutex = NULL;
    badge_socache_set = 0;
    badge_socache_desc = NULL;
    return APR_SUCCESS;
}

const char *
badge_cmd_cache(cmd_parms *cmd, void *dconf, const char *arg)
{
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);
    const char *sep, *name, *args = NULL;

    if (err != NULL) {
        return err;
    }
    if (badge_socache_set != 0) {
        return "BadgeCache: given twice";
    }
    if (strcasecmp(arg, "none") == 0) {
        badge_socache_set = -1;
        return NULL;
    }
    sep = ap_strchr_c(arg, ':');
    if (sep != NULL) {
        name = apr_pstrmemdup(cmd->pool, arg, (apr_size_t) (sep - arg));
        args = sep + 1;
    } else {
        name = arg;
    }
    badge_socache = ap_lookup_provider(AP_SOCACHE_PROVIDER_GROUP, name,
                                       AP_SOCACHE_PROVIDER_VERSION);
    if (badge_socache == NULL) {
        return apr_psprintf(cmd->pool, "BadgeCache: unknown socache "
                            "provider '%s' (is mod_socache_%s loaded?) or "
                            "'none'", name, name);
    }
    err = badge_socache->create(&badge_socache_inst, args, cmd->temp_pool,
                                cmd->pool);
    if (err != NULL) {
        badge_socache = NULL;
        return apr_psprintf(cmd->pool, "BadgeCache %s: %s", arg, err);
    }
    badge_socache_set = 1;
    badge_socache_desc = apr_pstrdup(cmd->pool, arg);
    return NULL;
}

const char *
badge_cmd_cache_ttl(cmd_parms *cmd, void *dconf, const char *arg)
{
    badge_dir_conf      *conf = dconf;
    apr_interval_time_t  t;

    if (!apr_isdigit(arg[0])
        || ap_timeout_parameter_parse(arg, &t, "s") != APR_SUCCESS || t < 0
        || t > apr_time_from_sec(86400))
    {
        return "BadgeCacheTTL: a time from 0 (off) to 86400s (default "
               "unit: seconds; e.g. 60, 300, 5min)";
    }
    conf->cache_ttl = t;
    return NULL;
}

apr_interval_time_t
badge_cache_ttl(const badge_dir_conf *conf)
{
    if (badge_socache_inst == NULL) {
        return 0;
    }
    return conf->cache_ttl >= 0 ? conf->cache_ttl : BADGE_CACHE_DEFAULT_TTL;
}

void
badge_cache_pre_config(apr_pool_t *pconf)
{
    badge_cache_reset(NULL);
    apr_pool_cleanup_register(pconf, NULL, badge_cache_reset,
                              apr_pool_cleanup_null);
    ap_mutex_register(pconf, BADGE_CACHE_ID, NULL, APR_LOCK_DEFAULT, 0);
}

static apr_status_t
badge_cache_destroy(void *data)
{
    if (badge_socache != NULL && badge_socache_inst != NULL) {
        badge_socache->destroy(badge_socache_inst, data);
    }
    badge_socache_inst = NULL;
    return APR_SUCCESS;
}

int
badge_cache_post_config(apr_pool_t *pconf, apr_pool_t *ptemp, server_rec *s)
{
    struct ap_socache_hints hints;
    const char             *err;
    apr_status_t            rv;

    /* the first pass (configuration check) creates nothing */
    if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG) {
        return OK;
    }
    if (badge_socache_set < 0) {
        ap_log_error(APLOG_MARK, APLOG_TRACE1, 0, s,
                     "mod_badge: BadgeCache none: results are not cached");
        return OK;
    }
    if (badge_socache_set == 0) {
        badge_socache = ap_lookup_provider(AP_SOCACHE_PROVIDER_GROUP,
                                           AP_SOCACHE_DEFAULT_PROVIDER,
                                           AP_SOCACHE_PROVIDER_VERSION);
        if (badge_socache == NULL) {
            ap_log_error(APLOG_MARK, APLOG_INFO, 0, s,
                         "mod_badge: no socache provider is loaded "
                         "(mod_socache_shmcb): verification results are "
                         "not cached");
            return OK;
        }
        err = badge_socache->create(&badge_socache_inst, NULL, ptemp, pconf);
        if (err != NULL) {
            ap_log_error(APLOG_MARK, APLOG_ERR, 0, s,
                         "mod_badge: cannot create the default cache: %s",
                         err);
            badge_socache = NULL;
            badge_socache_inst = NULL;
            return HTTP_INTERNAL_SERVER_ERROR;
        }
        badge_socache_desc = AP_SOCACHE_DEFAULT_PROVIDER;
    }
    if (badge_socache->flags & AP_SOCACHE_FLAG_NOTMPSAFE) {
        rv = ap_global_mutex_create(&badge_socache_mutex, NULL,
                                    BADGE_CACHE_ID, NULL, s, pconf, 0);
        if (rv != APR_SUCCESS) {
            ap_log_error(APLOG_MARK, APLOG_ERR, rv, s,
                         "mod_badge: cannot create the cache mutex");
            badge_socache_inst = NULL;
            return HTTP_INTERNAL_SERVER_ERROR;
        }
    }
    memset(&hints, 0, sizeof(hints));
    hints.avg_id_len = BADGE_CACHE_KEY_LEN;
    hints.avg_obj_size = 3000;
    hints.expiry_interval = 60;
    rv = badge_socache->init(badge_socache_inst, BADGE_CACHE_NAMESPACE,
                             &hints, s, pconf);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_ERR, rv, s,
                     "mod_badge: cannot initialise the cache (%s)",
                     badge_socache_desc);
        badge_socache_inst = NULL;
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    apr_pool_cleanup_register(pconf, s, badge_cache_destroy,
                              apr_pool_cleanup_null);
    ap_log_error(APLOG_MARK, APLOG_TRACE1, 0, s,
                 "mod_badge: verification results cached in %s",
                 badge_socache_desc);
    return OK;
}

void
badge_cache_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_status_t rv;

    if (badge_socache_mutex == NULL) {
        return;
    }
    rv = apr_global_mutex_child_init(&badge_socache_mutex,
             apr_global_mutex_lockfile(badge_socache_mutex), pchild);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_ERR, rv, s,
                     "mod_badge: cannot attach the cache mutex; results "
                     "are not cached in this process");
        badge_socache_inst = NULL;
    }
}

static int
badge_cache_lock(request_rec *r)
{
    apr_status_t rv;

    if (badge_socache_mutex == NULL) {
        return 1;
    }
    rv = apr_global_mutex_lock(badge_socache_mutex);
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      "mod_badge: cannot lock the cache");
        return 0;
    }
    return 1;
}

static void
badge_cache_unlock(request_rec *r)
{
    apr_status_t rv;

    if (badge_socache_mutex == NULL) {
        return;
    }
    rv = apr_global_mutex_unlock(badge_socache_mutex);
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      "mod_badge: cannot unlock the cache");
    }
}

int
badge_cache_get(request_rec *r, const unsigned char *key,
    badge_result_t *res, int page)
{
    unsigned char *buf;
    unsigned int   len = page ? BADGE_CACHE_MAX_PAGE : BADGE_CACHE_MAX_VALUE;
    apr_status_t   rv;

    if (badge_socache_inst == NULL) {
        return 0;
    }
    buf = apr_palloc(r->pool, len);
    if (!badge_cache_lock(r)) {
        return 0;
    }
    rv = badge_socache->retrieve(badge_socache_inst, r->server, key,
                                 BADGE_CACHE_KEY_LEN, buf, &len, r->pool);
    badge_cache_unlock(r);
    if (rv == APR_NOTFOUND) {
        return 0;
    }
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, rv, r,
                      "mod_badge: cache lookup failed");
        return 0;
    }
    if (badge_result_unpack(buf, len, res) != 0) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      "mod_badge: a malformed cache entry (%u bytes) is "
                      "ignored", len);
        return 0;
    }
    return 1;
}

void
badge_cache_put(request_rec *r, const unsigned char *key,
    const badge_result_t *res, apr_interval_time_t ttl, int page)
{
    unsigned char *buf;
    size_t         need;
    apr_status_t   rv;

    if (badge_socache_inst == NULL || ttl <= 0) {
        return;
    }
    need = badge_result_pack(res, NULL, 0);
    if (need > (page ? BADGE_CACHE_MAX_PAGE : BADGE_CACHE_MAX_VALUE)) {
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                      "mod_badge: result not cached (%" APR_SIZE_T_FMT
                      " bytes)", need);
        return;
    }
    buf = apr_palloc(r->pool, need);
    if (badge_result_pack(res, buf, need) != need) {
        return;
    }
    if (!badge_cache_lock(r)) {
        return;
    }
    rv = badge_socache->store(badge_socache_inst, r->server, key,
                              BADGE_CACHE_KEY_LEN, apr_time_now() + ttl, buf,
                              (unsigned int) need, r->pool);
    badge_cache_unlock(r);
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, rv, r,
                  "mod_badge: result %scached for %" APR_TIME_T_FMT "s",
                  rv == APR_SUCCESS ? "" : "not ", apr_time_sec(ttl));
}
