
/*
 * ngx_http_badge_cache.c: badge_cache zone=NAME:SIZE [ttl=TIME];
 *
 * A shared-memory cache, across workers, of rendered badge pages: a page
 * costs a verification (signature checks, often fetches of a DID document
 * and a status list) and a rendering; within ttl the same page is answered
 * from the zone.  The key is an MD5 of everything the page depends on: the
 * file's path, mtime and size (a changed file is a new key), the language
 * and the page's URL (scheme, Host, URI); the value is the page, of
 * variable size, allocated from the zone's slab pool.  Entries expire after
 * ttl (a revocation shows within it) and the least recently used ones are
 * evicted when the zone is full.
 *
 * Why the page and not the report: the core renders a page from a finished
 * session, which cannot be rebuilt from a report; caching the page saves
 * the verification and the rendering alike.
 */


#include "ngx_http_badge_module.h"

#include <ngx_md5.h>


typedef struct {
    ngx_rbtree_node_t           node;       /* key: first bytes of md5 */
    ngx_queue_t                 queue;      /* LRU */
    u_char                      md5[16];
    time_t                      expires;
    size_t                      len;
    u_char                      data[1];
} ngx_http_badge_cache_node_t;


typedef struct {
    ngx_rbtree_t                rbtree;
    ngx_rbtree_node_t           sentinel;
    ngx_queue_t                 queue;
} ngx_http_badge_cache_sh_t;


struct ngx_http_badge_cache_s {
    ngx_http_badge_cache_sh_t  *sh;
    ngx_slab_pool_t            *shpool;
    time_t                      ttl;
    ngx_shm_zone_t             *zone;
};


static ngx_int_t ngx_http_badge_cache_init_zone(ngx_shm_zone_t *shm_zone,
    void *data);
static void ngx_http_badge_cache_rbtree_insert(ngx_rbtree_node_t *temp,
    ngx_rbtree_node_t *node, ngx_rbtree_node_t *sentinel);
static ngx_http_badge_cache_node_t *ngx_http_badge_cache_find(
    ngx_http_badge_cache_t *cache, u_char *md5);
static void ngx_http_badge_cache_expire(ngx_http_badge_cache_t *cache,
    ngx_uint_t force);


void
ngx_http_badge_cache_key(u_char *md5, ngx_str_t *path, time_t mtime,
    off_t size, ngx_str_t *lang, ngx_str_t *url)
{
    ngx_md5_t  ctx;

    ngx_md5_init(&ctx);
    ngx_md5_update(&ctx, path->data, path->len + 1);
    ngx_md5_update(&ctx, &mtime, sizeof(time_t));
    ngx_md5_update(&ctx, &size, sizeof(off_t));
    ngx_md5_update(&ctx, lang->data, lang->len);
    ngx_md5_update(&ctx, "\n", 1);
    ngx_md5_update(&ctx, url->data, url->len);
    ngx_md5_final(md5, &ctx);
}


/* A copy of the cached page in pool, or NULL: a miss. */

u_char *
ngx_http_badge_cache_get(ngx_http_badge_cache_t *cache, u_char *md5,
    ngx_pool_t *pool, size_t *len)
{
    u_char                       *p;
    ngx_http_badge_cache_node_t  *cn;

    p = NULL;

    ngx_shmtx_lock(&cache->shpool->mutex);

    cn = ngx_http_badge_cache_find(cache, md5);

    if (cn && cn->expires > ngx_time()) {
        p = ngx_pnalloc(pool, cn->len);

        if (p) {
            ngx_memcpy(p, cn->data, cn->len);
            *len = cn->len;

            ngx_queue_remove(&cn->queue);
            ngx_queue_insert_head(&cache->sh->queue, &cn->queue);
        }
    }

    ngx_shmtx_unlock(&cache->shpool->mutex);

    return p;
}


void
ngx_http_badge_cache_put(ngx_http_badge_cache_t *cache, u_char *md5,
    u_char *data, size_t len, ngx_log_t *log)
{
    size_t                        size;
    ngx_uint_t                    i;
    ngx_http_badge_cache_node_t  *cn;

    size = offsetof(ngx_http_badge_cache_node_t, data) + len;

    /* one page may not take more than an eighth of the zone */
    if (size > cache->zone->shm.size / 8) {
        ngx_log_debug1(NGX_LOG_DEBUG_HTTP, log, 0,
                       "badge page cache: %uz bytes, not kept", len);
        return;
    }

    ngx_shmtx_lock(&cache->shpool->mutex);

    cn = ngx_http_badge_cache_find(cache, md5);

    if (cn) {
        /* another worker was faster */
        ngx_rbtree_delete(&cache->sh->rbtree, &cn->node);
        ngx_queue_remove(&cn->queue);
        ngx_slab_free_locked(cache->shpool, cn);
    }

    ngx_http_badge_cache_expire(cache, 0);

    cn = ngx_slab_alloc_locked(cache->shpool, size);

    for (i = 0; cn == NULL && i < 64; i++) {
        if (ngx_queue_empty(&cache->sh->queue)) {
            break;
        }

        ngx_http_badge_cache_expire(cache, 1);
        cn = ngx_slab_alloc_locked(cache->shpool, size);
    }

    if (cn == NULL) {
        ngx_shmtx_unlock(&cache->shpool->mutex);
        ngx_log_error(NGX_LOG_INFO, log, 0,
                      "badge: page cache \"%V\" is full",
                      &cache->zone->shm.name);
        return;
    }

    ngx_memcpy(cn->md5, md5, 16);
    ngx_memcpy(&cn->node.key, md5, sizeof(ngx_rbtree_key_t));
    cn->expires = ngx_time() + cache->ttl;
    cn->len = len;
    ngx_memcpy(cn->data, data, len);

    ngx_rbtree_insert(&cache->sh->rbtree, &cn->node);
    ngx_queue_insert_head(&cache->sh->queue, &cn->queue);

    ngx_shmtx_unlock(&cache->shpool->mutex);
}


static ngx_http_badge_cache_node_t *
ngx_http_badge_cache_find(ngx_http_badge_cache_t *cache, u_char *md5)
{
    ngx_int_t                     rc;
    ngx_rbtree_key_t              key;
    ngx_rbtree_node_t            *node, *sentinel;
    ngx_http_badge_cache_node_t  *cn;

    ngx_memcpy(&key, md5, sizeof(ngx_rbtree_key_t));

    node = cache->sh->rbtree.root;
    sentinel = cache->sh->rbtree.sentinel;

    while (node != sentinel) {

        if (key < node->key) {
            node = node->left;
            continue;
        }

        if (key > node->key) {
            node = node->right;
            continue;
        }

        cn = (ngx_http_badge_cache_node_t *) node;

        rc = ngx_memcmp(md5, cn->md5, 16);

        if (rc == 0) {
            return cn;
        }

        node = (rc < 0) ? node->left : node->right;
    }

    return NULL;
}


/* drop expired entries from the LRU end (at most a few); force: drop the
 * least recently used one whether expired or not */

static void
ngx_http_badge_cache_expire(ngx_http_badge_cache_t *cache, ngx_uint_t force)
{
    time_t                        now;
    ngx_uint_t                    n;
    ngx_queue_t                  *q;
    ngx_http_badge_cache_node_t  *cn;

    now = ngx_time();

    for (n = 0; n < 3; n++) {

        if (ngx_queue_empty(&cache->sh->queue)) {
            return;
        }

        q = ngx_queue_last(&cache->sh->queue);
        cn = ngx_queue_data(q, ngx_http_badge_cache_node_t, queue);

        if (!force && cn->expires > now) {
            return;
        }

        ngx_queue_remove(q);
        ngx_rbtree_delete(&cache->sh->rbtree, &cn->node);
        ngx_slab_free_locked(cache->shpool, cn);

        if (force) {
            return;
        }
    }
}


static void
ngx_http_badge_cache_rbtree_insert(ngx_rbtree_node_t *temp,
    ngx_rbtree_node_t *node, ngx_rbtree_node_t *sentinel)
{
    ngx_rbtree_node_t           **p;
    ngx_http_badge_cache_node_t  *cn, *cnt;

    for ( ;; ) {

        if (node->key < temp->key) {
            p = &temp->left;

        } else if (node->key > temp->key) {
            p = &temp->right;

        } else {
            cn = (ngx_http_badge_cache_node_t *) node;
            cnt = (ngx_http_badge_cache_node_t *) temp;

            p = (ngx_memcmp(cn->md5, cnt->md5, 16) < 0)
                ? &temp->left : &temp->right;
        }

        if (*p == sentinel) {
            break;
        }

        temp = *p;
    }

    *p = node;
    node->parent = temp;
    node->left = sentinel;
    node->right = sentinel;
    ngx_rbt_red(node);
}


static ngx_int_t
ngx_http_badge_cache_init_zone(ngx_shm_zone_t *shm_zone, void *data)
{
    ngx_http_badge_cache_t  *ocache = data;

    size_t                   len;
    ngx_http_badge_cache_t  *cache;

    cache = shm_zone->data;

    if (ocache) {
        /* a reload: the zone and its pages are kept */
        cache->sh = ocache->sh;
        cache->shpool = ocache->shpool;
        return NGX_OK;
    }

    cache->shpool = (ngx_slab_pool_t *) shm_zone->shm.addr;

    if (shm_zone->shm.exists) {
        cache->sh = cache->shpool->data;
        return NGX_OK;
    }

    cache->sh = ngx_slab_alloc(cache->shpool,
                               sizeof(ngx_http_badge_cache_sh_t));
    if (cache->sh == NULL) {
        return NGX_ERROR;
    }

    cache->shpool->data = cache->sh;

    ngx_rbtree_init(&cache->sh->rbtree, &cache->sh->sentinel,
                    ngx_http_badge_cache_rbtree_insert);
    ngx_queue_init(&cache->sh->queue);

    len = sizeof(" in badge_cache zone \"\"") + shm_zone->shm.name.len;

    cache->shpool->log_ctx = ngx_slab_alloc(cache->shpool, len);
    if (cache->shpool->log_ctx == NULL) {
        return NGX_ERROR;
    }

    ngx_sprintf(cache->shpool->log_ctx, " in badge_cache zone \"%V\"%Z",
                &shm_zone->shm.name);

    cache->shpool->log_nomem = 0;

    return NGX_OK;
}


/* badge_cache zone=NAME:SIZE [ttl=TIME]; */

char *
ngx_http_badge_cache(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_badge_loc_conf_t *blcf = conf;

    u_char                  *p;
    ssize_t                  size;
    time_t                   ttl;
    ngx_str_t               *value, name, s;
    ngx_uint_t               i;
    ngx_shm_zone_t          *shm_zone;
    ngx_http_badge_cache_t  *cache;

    if (blcf->cache != NGX_CONF_UNSET_PTR) {
        return "is duplicate";
    }

    value = cf->args->elts;

    ngx_str_null(&name);
    size = 0;
    ttl = 60;

    for (i = 1; i < cf->args->nelts; i++) {

        if (ngx_strncmp(value[i].data, "zone=", 5) == 0) {
            name.data = value[i].data + 5;

            p = (u_char *) ngx_strchr(name.data, ':');

            if (p == NULL) {
                ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                                   "invalid zone size \"%V\"", &value[i]);
                return NGX_CONF_ERROR;
            }

            name.len = p - name.data;

            s.data = p + 1;
            s.len = value[i].data + value[i].len - s.data;

            size = ngx_parse_size(&s);

            if (size == NGX_ERROR) {
                ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                                   "invalid zone size \"%V\"", &value[i]);
                return NGX_CONF_ERROR;
            }

            if (size < (ssize_t) (8 * ngx_pagesize)) {
                ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                                   "zone \"%V\" is too small", &value[i]);
                return NGX_CONF_ERROR;
            }

            continue;
        }

        if (ngx_strncmp(value[i].data, "ttl=", 4) == 0) {
            s.data = value[i].data + 4;
            s.len = value[i].len - 4;

            ttl = ngx_parse_time(&s, 1);

            if (ttl == (time_t) NGX_ERROR || ttl == 0) {
                ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                                   "invalid ttl \"%V\"", &value[i]);
                return NGX_CONF_ERROR;
            }

            continue;
        }

        if (ngx_strcmp(value[i].data, "off") == 0 && cf->args->nelts == 2) {
            blcf->cache = NULL;
            return NGX_CONF_OK;
        }

        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid parameter \"%V\"", &value[i]);
        return NGX_CONF_ERROR;
    }

    if (name.len == 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"%V\" must have \"zone\" parameter",
                           &cmd->name);
        return NGX_CONF_ERROR;
    }

    cache = ngx_pcalloc(cf->pool, sizeof(ngx_http_badge_cache_t));
    if (cache == NULL) {
        return NGX_CONF_ERROR;
    }

    shm_zone = ngx_shared_memory_add(cf, &name, size,
                                     &ngx_http_badge_module);
    if (shm_zone == NULL) {
        return NGX_CONF_ERROR;
    }

    if (shm_zone->data) {
        /* the same zone named again: share it (its ttl is the first's) */
        blcf->cache = shm_zone->data;
        return NGX_CONF_OK;
    }

    cache->ttl = ttl;
    cache->zone = shm_zone;

    shm_zone->init = ngx_http_badge_cache_init_zone;
    shm_zone->data = cache;

    blcf->cache = cache;

    return NGX_CONF_OK;
}
