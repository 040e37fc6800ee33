
/*
 * ngx_http_badge_fetch.c: documents the core asks for (BADGE_NEED_DOCUMENTS)
 * are fetched with one subrequest per URL, all in parallel, to
 * the location named by badge_fetch, where $badge_fetch_url holds the URL
 * (typically "proxy_pass $badge_fetch_url;").  Nothing here blocks.
 */


#include "ngx_http_badge_module.h"


typedef struct {
    ngx_http_badge_ctx_t   *ctx;        /* of the verifying request */
    ngx_http_badge_ctx_t   *sctx;       /* of the fetch subrequest */
    u_char                 *url;        /* NUL-terminated */
    unsigned                done:1;
} ngx_http_badge_fetch_t;


static ngx_http_output_body_filter_pt  ngx_http_next_body_filter;


static ngx_int_t ngx_http_badge_fetch_start(ngx_http_request_t *r,
    ngx_http_badge_ctx_t *ctx, const char *url);
static ngx_int_t ngx_http_badge_fetch_done(ngx_http_request_t *sr,
    void *data, ngx_int_t rc);
static ngx_int_t ngx_http_badge_peer_private(ngx_http_request_t *sr);
static ngx_int_t ngx_http_badge_fetch_body_filter(ngx_http_request_t *r,
    ngx_chain_t *in);
static void ngx_http_badge_supply(ngx_http_request_t *r,
    ngx_http_badge_ctx_t *ctx, const char *url, ngx_uint_t status,
    ngx_str_t *type, u_char *body, size_t len);


ngx_int_t
ngx_http_badge_drive(ngx_http_request_t *r, ngx_http_badge_ctx_t *ctx)
{
    size_t                  i, n;
    const char *const      *urls;
    badge_step_t            step;

    if (ctx->failed) {
        return NGX_ERROR;
    }

    if (ctx->done) {
        return NGX_OK;
    }

    if (ctx->pending) {
        return NGX_AGAIN;
    }

    for ( ;; ) {

        step = badge_session_run(ctx->session);

        if (step == BADGE_FAILED || ctx->failed) {
            ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                          "badge: verification failed (out of memory)");
            ctx->failed = 1;
            return NGX_ERROR;
        }

        if (step == BADGE_DONE) {
            ctx->done = 1;
            return NGX_OK;
        }

        n = badge_session_needed(ctx->session, &urls);

        ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                       "badge round %ui: %uz documents needed",
                       ctx->rounds, n);

        if (n == 0 || ctx->rounds > NGX_HTTP_BADGE_MAX_ROUNDS) {
            /* the core bounds its rounds; this is a safety net */
            ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                          "badge: too many fetch rounds, giving up");
            ctx->done = 1;
            return NGX_OK;
        }

        ctx->rounds++;

        for (i = 0; i < n; i++) {

            if (ctx->rounds > NGX_HTTP_BADGE_MAX_ROUNDS
                || ctx->conf->fetch.len == 0)
            {
                ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                              "badge: not fetching \"%s\": %s", urls[i],
                              ctx->conf->fetch.len
                              ? "too many rounds" : "no badge_fetch here");

                ngx_http_badge_supply(r, ctx, urls[i], 0, NULL, NULL, 0);
                continue;
            }

            if (ngx_http_badge_fetch_start(r, ctx, urls[i]) != NGX_OK) {
                ngx_http_badge_supply(r, ctx, urls[i], 0, NULL, NULL, 0);
            }
        }

        if (ctx->failed) {
            return NGX_ERROR;
        }

        ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                       "badge round %ui: %ui subrequests in flight",
                       ctx->rounds, ctx->pending);

        if (ctx->pending) {
            return NGX_AGAIN;
        }

        /* every document was answered at once: run again */
    }
}


static ngx_int_t
ngx_http_badge_fetch_start(ngx_http_request_t *r, ngx_http_badge_ctx_t *ctx,
    const char *url)
{
    u_char                      *p, *host, *end;
    size_t                       len;
    ngx_http_request_t          *sr;
    ngx_http_badge_ctx_t        *sctx;
    ngx_http_badge_fetch_t      *f;
    ngx_http_post_subrequest_t  *ps;

    len = ngx_strlen(url);

    f = ngx_pcalloc(r->pool, sizeof(ngx_http_badge_fetch_t));
    if (f == NULL) {
        return NGX_ERROR;
    }

    f->url = ngx_pnalloc(r->pool, len + 1);
    if (f->url == NULL) {
        return NGX_ERROR;
    }

    ngx_memcpy(f->url, url, len + 1);
    f->ctx = ctx;

    sctx = ngx_pcalloc(r->pool, sizeof(ngx_http_badge_ctx_t));
    if (sctx == NULL) {
        return NGX_ERROR;
    }

    sctx->fetch = 1;
    sctx->gate_status = NGX_DECLINED;
    sctx->fetch_max = ctx->conf->fetch_max_size;
    f->sctx = sctx;
    sctx->fetch_url.data = f->url;
    sctx->fetch_url.len = len;

    /* scheme://host[:port]/path?query#fragment, checked by the core */

    end = f->url + len;
    host = (u_char *) ngx_strstr(f->url, "://");
    host = host ? host + 3 : f->url;

    for (p = host; p < end && *p != '/' && *p != '?' && *p != '#'; p++) {
        /* void */
    }

    sctx->fetch_host.data = host;
    sctx->fetch_host.len = p - host;

    sctx->fetch_uri.data = p;

    while (p < end && *p != '#') {
        p++;
    }

    sctx->fetch_uri.len = p - sctx->fetch_uri.data;

    if (sctx->fetch_uri.len == 0) {
        ngx_str_set(&sctx->fetch_uri, "/");
    }

    ps = ngx_palloc(r->pool, sizeof(ngx_http_post_subrequest_t));
    if (ps == NULL) {
        return NGX_ERROR;
    }

    ps->handler = ngx_http_badge_fetch_done;
    ps->data = f;

    /*
     * Not NGX_HTTP_SUBREQUEST_IN_MEMORY: a response over
     * subrequest_output_buffer_size would end the client's request too.
     * The body filter below keeps up to badge_fetch_max_size instead.
     */

    if (ngx_http_subrequest(r, &ctx->conf->fetch, NULL, &sr, ps,
                            NGX_HTTP_SUBREQUEST_WAITED)
        != NGX_OK)
    {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "badge: could not start a subrequest to \"%V\" "
                      "for \"%s\"", &ctx->conf->fetch, url);
        return NGX_ERROR;
    }

    ngx_http_set_ctx(sr, sctx, ngx_http_badge_module);

    sr->filter_need_in_memory = 1;

    ctx->pending++;

    /*
     * A plain GET: never the client's method, body, cookies or
     * credentials (they are none of the document server's business).
     */
    sr->method = NGX_HTTP_GET;
    ngx_str_set(&sr->method_name, "GET");
    sr->header_only = 0;
    sr->request_body = NULL;

    ngx_memzero(&sr->headers_in, sizeof(ngx_http_headers_in_t));

    if (ngx_list_init(&sr->headers_in.headers, r->pool, 1,
                      sizeof(ngx_table_elt_t))
        != NGX_OK)
    {
        /* the subrequest runs (an empty list is harmless), the report
         * is lost: the request ends with an error */
        ctx->failed = 1;
    }

    sr->headers_in.server = r->headers_in.server;
    sr->headers_in.content_length_n = -1;
    sr->headers_in.keep_alive_n = -1;

    ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "badge fetch \"%s\" via \"%V\"", url, &ctx->conf->fetch);

    return NGX_OK;
}


static ngx_int_t
ngx_http_badge_fetch_done(ngx_http_request_t *sr, void *data, ngx_int_t rc)
{
    ngx_http_badge_fetch_t *f = data;

    size_t                  len;
    u_char                 *body;
    ngx_str_t              *type;
    ngx_uint_t              status;
    ngx_http_badge_ctx_t   *ctx;

    if (f->done) {
        return rc;
    }

    f->done = 1;
    ctx = f->ctx;
    ctx->pending--;

    status = 0;
    body = NULL;
    len = 0;
    type = NULL;

    if (rc == NGX_ERROR || rc >= NGX_HTTP_SPECIAL_RESPONSE
        || sr->connection->error)
    {
        ngx_log_error(NGX_LOG_INFO, sr->connection->log, 0,
                      "badge: could not fetch \"%s\" (%i)", f->url, rc);
        goto supply;
    }

    status = sr->headers_out.status;

    if (!ctx->conf->fetch_allow_private && ngx_http_badge_peer_private(sr)) {
        ngx_log_error(NGX_LOG_WARN, sr->connection->log, 0,
                      "badge: refusing \"%s\": it was served from a "
                      "loopback, private or link-local address "
                      "(see badge_fetch_allow_private)", f->url);
        status = 0;
        goto supply;
    }

    if (f->sctx->fetch_too_big) {
        ngx_log_error(NGX_LOG_INFO, sr->connection->log, 0,
                      "badge: \"%s\" is over badge_fetch_max_size (%uz)",
                      f->url, ctx->conf->fetch_max_size);
        status = 0;
        goto supply;
    }

    body = f->sctx->fetch_body;
    len = f->sctx->fetch_len;

    if (sr->headers_out.content_type.len) {
        type = &sr->headers_out.content_type;
    }

    ngx_log_debug4(NGX_LOG_DEBUG_HTTP, sr->connection->log, 0,
                   "badge fetched \"%s\": %ui, %uz bytes, %ui pending",
                   f->url, status, len, ctx->pending);

supply:

    ngx_http_badge_supply(sr, ctx, (char *) f->url, status, type, body, len);

    return rc;
}


static void
ngx_http_badge_supply(ngx_http_request_t *r, ngx_http_badge_ctx_t *ctx,
    const char *url, ngx_uint_t status, ngx_str_t *type, u_char *body,
    size_t len)
{
    u_char  *ct;

    ct = NULL;

    if (type) {
        ct = ngx_pnalloc(r->pool, type->len + 1);
        if (ct == NULL) {
            ctx->failed = 1;
            return;
        }

        *ngx_cpymem(ct, type->data, type->len) = '\0';
    }

    if (badge_session_supply(ctx->session, url, (int) status, (char *) ct,
                             body, len)
        != 0)
    {
        ctx->failed = 1;
        return;
    }

    ctx->fetched++;
}


/*
 * The core refuses literal private addresses; a name may still resolve to
 * one (DNS rebinding, internal names).  Every peer the upstream module
 * talked to for this subrequest is checked.
 */

static ngx_int_t
ngx_http_badge_peer_private(ngx_http_request_t *sr)
{
    ngx_int_t                   rc;
    ngx_uint_t                  i;
    ngx_addr_t                  addr;
    ngx_http_upstream_state_t  *state;

    if (sr->upstream_states == NULL) {
        /* not proxied: served by this server's own configuration */
        return 0;
    }

    state = sr->upstream_states->elts;

    for (i = 0; i < sr->upstream_states->nelts; i++) {

        if (state[i].peer == NULL) {
            /* e.g. a cache hit */
            continue;
        }

        rc = ngx_parse_addr_port(sr->pool, &addr, state[i].peer->data,
                                 state[i].peer->len);

        if (rc != NGX_OK) {
            /* "unix:...", or no address at all: not a public address */
            return 1;
        }

        if (badge_addr_is_private(addr.sockaddr)) {
            return 1;
        }
    }

    return 0;
}


/*
 * The fetch subrequest's body is kept here, and goes no further: not to
 * the client, not into the parent's output.
 */

static ngx_int_t
ngx_http_badge_fetch_body_filter(ngx_http_request_t *r, ngx_chain_t *in)
{
    u_char                *p;
    size_t                 n, size;
    ngx_buf_t             *b;
    ngx_chain_t           *cl;
    ngx_http_badge_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_http_badge_module);

    if (ctx == NULL || !ctx->fetch || r == r->main) {
        return ngx_http_next_body_filter(r, in);
    }

    for (cl = in; cl; cl = cl->next) {
        b = cl->buf;

        if (!ngx_buf_in_memory(b)) {
            /* filter_need_in_memory: file buffers are read by the copy
             * filter; whatever else is here holds no data */
            b->file_pos = b->file_last;
            continue;
        }

        n = b->last - b->pos;

        if (n == 0 || ctx->fetch_too_big) {
            b->pos = b->last;
            continue;
        }

        if (n > ctx->fetch_max - ctx->fetch_len) {
            ctx->fetch_too_big = 1;
            b->pos = b->last;
            continue;
        }

        if (ctx->fetch_len + n > ctx->fetch_size) {
            size = ngx_max(ctx->fetch_size * 2, ctx->fetch_len + n);
            size = ngx_max(size, 4096);
            size = ngx_min(size, ctx->fetch_max);

            p = ngx_pnalloc(r->pool, size);
            if (p == NULL) {
                return NGX_ERROR;
            }

            if (ctx->fetch_len) {
                ngx_memcpy(p, ctx->fetch_body, ctx->fetch_len);
            }

            ctx->fetch_body = p;
            ctx->fetch_size = size;
        }

        ngx_memcpy(ctx->fetch_body + ctx->fetch_len, b->pos, n);
        ctx->fetch_len += n;
        b->pos = b->last;
    }

    return NGX_OK;
}


ngx_int_t
ngx_http_badge_fetch_init(ngx_conf_t *cf)
{
    ngx_http_next_body_filter = ngx_http_top_body_filter;
    ngx_http_top_body_filter = ngx_http_badge_fetch_body_filter;

    return NGX_OK;
}


ngx_int_t
ngx_http_badge_fetch_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data)
{
    ngx_str_t             *s;
    ngx_http_badge_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_http_badge_module);

    if (ctx == NULL || !ctx->fetch) {
        v->not_found = 1;
        return NGX_OK;
    }

    switch (data) {

    case 0:
        s = &ctx->fetch_url;
        break;

    case 1:
        s = &ctx->fetch_host;
        break;

    default:
        s = &ctx->fetch_uri;
        break;
    }

    v->data = s->data;
    v->len = s->len;
    v->valid = 1;
    v->no_cacheable = 1;
    v->not_found = 0;

    return NGX_OK;
}
