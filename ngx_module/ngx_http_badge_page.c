
/*
 * ngx_http_badge_page.c: public badge pages (badge_page DIR).
 *
 *   GET /badges/<id>        the page: DIR/<id>.json verified live (with
 *                           badge_fetch, like badge_verify) and rendered by
 *                           the core (src/page.c), in ja or en
 *   GET /badges/<id>.json   the file itself (also: Accept: application/json
 *                           or application/ld+json), for machines
 *
 * The id is checked by the core (badge_page_id_valid) after nginx has
 * decoded and normalized the URI, so "../", "%2e%2e", "%00" and encoded
 * slashes never name a file outside DIR: they are 404.
 *
 * The file is opened and read like nginx's static module reads files
 * (open, fstat, read of a file of at most badge_max_input bytes); the
 * verification's fetches are subrequests: nothing waits on the network.
 */


#include "ngx_http_badge_module.h"

#include "page.h"


static ngx_int_t ngx_http_badge_page_handler(ngx_http_request_t *r);
static ngx_int_t ngx_http_badge_page_json(ngx_http_request_t *r,
    ngx_str_t *path, ngx_uint_t format);
static void ngx_http_badge_page_start(ngx_http_request_t *r,
    ngx_http_badge_ctx_t *ctx);
static void ngx_http_badge_page_wake(ngx_http_request_t *r);
static ngx_int_t ngx_http_badge_page_answer(ngx_http_request_t *r,
    ngx_http_badge_ctx_t *ctx);
static ngx_int_t ngx_http_badge_page_header(ngx_http_request_t *r,
    const char *key, const char *value);
static ngx_int_t ngx_http_badge_page_send(ngx_http_request_t *r,
    ngx_http_badge_loc_conf_t *blcf, u_char *html, size_t len);
static ngx_int_t ngx_http_badge_page_url(ngx_http_request_t *r,
    ngx_str_t *url);
static void ngx_http_badge_template_cleanup(void *data);
static ngx_int_t ngx_http_badge_page_index(ngx_http_request_t *r,
    ngx_http_badge_loc_conf_t *blcf);
static void ngx_http_badge_arena_cleanup(void *data);
static int ngx_libc_cdecl ngx_http_badge_index_cmp(const void *one,
    const void *two);


/* the index lists at most this many badges (newest first) */
#define NGX_HTTP_BADGE_INDEX_MAX  1000


static ngx_int_t
ngx_http_badge_page_handler(ngx_http_request_t *r)
{
    u_char                     *p, *last;
    size_t                      len;
    ngx_int_t                   rc;
    ngx_str_t                   id, path, body, args, al, accept;
    ngx_uint_t                  format;
    ngx_file_info_t             fi;
    ngx_http_badge_ctx_t       *ctx;
    ngx_http_core_loc_conf_t   *clcf;
    ngx_http_badge_loc_conf_t  *blcf;

    if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD))) {
        return NGX_HTTP_NOT_ALLOWED;
    }

    rc = ngx_http_discard_request_body(r);

    if (rc != NGX_OK) {
        return rc;
    }

    blcf = ngx_http_get_module_loc_conf(r, ngx_http_badge_module);
    clcf = ngx_http_get_module_loc_conf(r, ngx_http_core_module);

    /* the id: the decoded, normalized URI after the location's prefix */

    if (clcf->exact_match || r->uri.len < clcf->name.len
        || ngx_strncmp(r->uri.data, clcf->name.data, clcf->name.len) != 0)
    {
        return NGX_HTTP_NOT_FOUND;
    }

    id.data = r->uri.data + clcf->name.len;
    id.len = r->uri.len - clcf->name.len;

    if (id.len && id.data[0] == '/') {
        /* "location /badges" */
        id.data++;
        id.len--;
    }

    if (id.len == 0) {
        if (blcf->page_index != 1) {
            return NGX_HTTP_NOT_FOUND;
        }

        return ngx_http_badge_page_index(r, blcf);
    }

    format = (ngx_uint_t) -1;

    if (id.len > 5 && ngx_strncmp(id.data + id.len - 5, ".json", 5) == 0) {
        id.len -= 5;
        format = BADGE_PAGE_JSON;

    } else if (id.len > 7
               && ngx_strncmp(id.data + id.len - 7, ".jsonld", 7) == 0)
    {
        id.len -= 7;
        format = BADGE_PAGE_JSONLD;
    }

    if (!badge_page_id_valid((char *) id.data, id.len)) {
        ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                      "badge: no badge page for \"%V\"", &r->uri);
        return NGX_HTTP_NOT_FOUND;
    }

    if (format == (ngx_uint_t) -1) {
        accept.len = 0;
        accept.data = NULL;

#if (NGX_HTTP_HEADERS)
        if (r->headers_in.accept) {
            accept = r->headers_in.accept->value;
        }
#endif

        format = badge_page_negotiate((char *) accept.data, accept.len,
                                      (char *) r->unparsed_uri.data,
                                      r->unparsed_uri.len);
    }

    /* DIR/<id>.json */

    len = blcf->page_dir.len + 1 + id.len + sizeof(".json");

    path.data = ngx_pnalloc(r->pool, len);
    if (path.data == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    p = ngx_cpymem(path.data, blcf->page_dir.data, blcf->page_dir.len);
    *p++ = '/';
    p = ngx_cpymem(p, id.data, id.len);
    last = ngx_cpymem(p, ".json", sizeof(".json"));
    path.len = last - path.data - 1;

    ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "badge page \"%V\", format %ui", &path, format);

    if (format != BADGE_PAGE_HTML) {
        return ngx_http_badge_page_json(r, &path, format);
    }

    rc = ngx_http_badge_page_read(r, &path, &body, &fi);

    if (rc != NGX_OK) {
        return rc;
    }

    ctx = ngx_http_badge_create_ctx(r, blcf);
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    /* the page's language: ?lang=, else Accept-Language */

    args = r->args;
    ngx_str_null(&al);

#if (NGX_HTTP_HEADERS)
    if (r->headers_in.accept_language) {
        al = r->headers_in.accept_language->value;
    }
#endif

    ctx->lang.data = (u_char *) badge_page_lang((char *) args.data, args.len,
                                                (char *) al.data, al.len);
    ctx->lang.len = 2;
    ctx->page_id = id;

    if (ngx_http_badge_page_url(r, &ctx->page_url) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (blcf->cache) {
        ngx_http_badge_cache_key(ctx->page_key, &path, ngx_file_mtime(&fi),
                                 ngx_file_size(&fi), &ctx->lang,
                                 &ctx->page_url);

        p = ngx_http_badge_cache_get(blcf->cache, ctx->page_key, r->pool,
                                     &len);
        if (p) {
            ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                           "badge page cache hit: \"%V\"", &path);

            return ngx_http_badge_page_send(r, blcf, p, len);
        }

        ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                       "badge page cache miss: \"%V\"", &path);
    }

    if (badge_session_set_input(ctx->session, body.data, body.len) != 0) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    r->main->count++;

    ngx_http_badge_page_start(r, ctx);

    return NGX_DONE;
}


/* the credential file itself, as nginx's static module would send it */

static ngx_int_t
ngx_http_badge_page_json(ngx_http_request_t *r, ngx_str_t *path,
    ngx_uint_t format)
{
    ngx_int_t                  rc;
    ngx_buf_t                 *b;
    ngx_chain_t                out;
    const char                *type;
    ngx_open_file_info_t       of;
    ngx_http_core_loc_conf_t  *clcf;

    clcf = ngx_http_get_module_loc_conf(r, ngx_http_core_module);

    ngx_memzero(&of, sizeof(ngx_open_file_info_t));

    of.read_ahead = clcf->read_ahead;
    of.directio = clcf->directio;
    of.valid = clcf->open_file_cache_valid;
    of.min_uses = clcf->open_file_cache_min_uses;
    of.errors = clcf->open_file_cache_errors;
    of.events = clcf->open_file_cache_events;

    if (ngx_http_set_disable_symlinks(r, clcf, path, &of) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_open_cached_file(clcf->open_file_cache, path, &of, r->pool)
        != NGX_OK)
    {
        if (of.err == NGX_ENOENT || of.err == NGX_ENOTDIR
            || of.err == NGX_ENAMETOOLONG)
        {
            return NGX_HTTP_NOT_FOUND;
        }

        if (of.err == NGX_EACCES) {
            return NGX_HTTP_FORBIDDEN;
        }

        ngx_log_error(NGX_LOG_ERR, r->connection->log, of.err,
                      "%s \"%s\" failed", of.failed, path->data);
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (!of.is_file) {
        return NGX_HTTP_NOT_FOUND;
    }

    r->headers_out.status = NGX_HTTP_OK;
    r->headers_out.content_length_n = of.size;
    r->headers_out.last_modified_time = of.mtime;

    type = badge_page_content_type((badge_page_format_t) format);
    r->headers_out.content_type.len = ngx_strlen(type);
    r->headers_out.content_type.data = (u_char *) type;
    r->headers_out.content_type_len = r->headers_out.content_type.len;

    if (ngx_http_set_etag(r) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_badge_page_header(r, "Access-Control-Allow-Origin", "*")
        != NGX_OK
        || ngx_http_badge_page_header(r, "Vary", "Accept, Accept-Language")
           != NGX_OK
        || ngx_http_badge_page_header(r, "X-Content-Type-Options",
                                      "nosniff") != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    r->allow_ranges = 1;

    rc = ngx_http_send_header(r);

    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
        return rc;
    }

    b = ngx_calloc_buf(r->pool);
    if (b == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    b->file = ngx_pcalloc(r->pool, sizeof(ngx_file_t));
    if (b->file == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    b->file_pos = 0;
    b->file_last = of.size;
    b->in_file = b->file_last ? 1 : 0;
    b->last_buf = (r == r->main) ? 1 : 0;
    b->last_in_chain = 1;
    b->sync = (b->last_buf || b->in_file) ? 0 : 1;

    b->file->fd = of.fd;
    b->file->name = *path;
    b->file->log = r->connection->log;
    b->file->directio = of.is_directio;

    out.buf = b;
    out.next = NULL;

    return ngx_http_output_filter(r, &out);
}


/* a badge file, whole, NUL-terminated: at most badge_max_input bytes */

ngx_int_t
ngx_http_badge_page_read(ngx_http_request_t *r, ngx_str_t *path,
    ngx_str_t *body, ngx_file_info_t *fi)
{
    ssize_t                     n;
    ngx_fd_t                    fd;
    ngx_int_t                   rc;
    ngx_err_t                   err;
    ngx_file_t                  file;
    ngx_http_badge_loc_conf_t  *blcf;

    blcf = ngx_http_get_module_loc_conf(r, ngx_http_badge_module);

    fd = ngx_open_file(path->data, NGX_FILE_RDONLY|NGX_FILE_NONBLOCK,
                       NGX_FILE_OPEN, 0);

    if (fd == NGX_INVALID_FILE) {
        err = ngx_errno;

        if (err == NGX_ENOENT || err == NGX_ENOTDIR
            || err == NGX_ENAMETOOLONG)
        {
            return NGX_HTTP_NOT_FOUND;
        }

        ngx_log_error(NGX_LOG_ERR, r->connection->log, err,
                      ngx_open_file_n " \"%s\" failed", path->data);
        return err == NGX_EACCES ? NGX_HTTP_FORBIDDEN
                                 : NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    rc = NGX_HTTP_INTERNAL_SERVER_ERROR;

    if (ngx_fd_info(fd, fi) == NGX_FILE_ERROR) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, ngx_errno,
                      ngx_fd_info_n " \"%s\" failed", path->data);
        goto done;
    }

    if (!ngx_is_file(fi)) {
        rc = NGX_HTTP_NOT_FOUND;
        goto done;
    }

    if (ngx_file_size(fi) > (off_t) blcf->max_input) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "badge: \"%s\" is over badge_max_input", path->data);
        goto done;
    }

    body->len = (size_t) ngx_file_size(fi);
    body->data = ngx_pnalloc(r->pool, body->len + 1);
    if (body->data == NULL) {
        goto done;
    }

    ngx_memzero(&file, sizeof(ngx_file_t));
    file.fd = fd;
    file.name = *path;
    file.log = r->connection->log;

    n = ngx_read_file(&file, body->data, body->len, 0);

    if (n != (ssize_t) body->len) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "badge: could not read \"%s\"", path->data);
        goto done;
    }

    body->data[body->len] = '\0';
    rc = NGX_OK;

done:

    if (ngx_close_file(fd) == NGX_FILE_ERROR) {
        ngx_log_error(NGX_LOG_ALERT, r->connection->log, ngx_errno,
                      ngx_close_file_n " \"%s\" failed", path->data);
    }

    return rc;
}


static void
ngx_http_badge_page_start(ngx_http_request_t *r, ngx_http_badge_ctx_t *ctx)
{
    ngx_int_t  rc;

    rc = ngx_http_badge_drive(r, ctx);

    if (rc == NGX_AGAIN) {
        r->write_event_handler = ngx_http_badge_page_wake;
        return;
    }

    ngx_http_finalize_request(r, ngx_http_badge_page_answer(r, ctx));
}


static void
ngx_http_badge_page_wake(ngx_http_request_t *r)
{
    ngx_http_badge_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_http_badge_module);

    if (ctx == NULL) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    if (ctx->pending) {
        return;
    }

    ngx_http_badge_page_start(r, ctx);
}


static ngx_int_t
ngx_http_badge_page_answer(ngx_http_request_t *r, ngx_http_badge_ctx_t *ctx)
{
    u_char                     *p, *url;
    size_t                      len;
    char                        err[256];
    const char                 *html;
    badge_page_opts_t           opts;
    ngx_http_badge_loc_conf_t  *blcf;

    blcf = ctx->conf;

    if (!ctx->done) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "badge: page verification failed: no report");
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    url = ngx_pnalloc(r->pool, ctx->page_url.len + sizeof(".json"));
    if (url == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    p = ngx_cpymem(url, ctx->page_url.data, ctx->page_url.len);
    ngx_memcpy(p, ".json", sizeof(".json"));

    ngx_memzero(&opts, sizeof(badge_page_opts_t));
    opts.lang = (char *) ctx->lang.data;
    opts.page_url = (char *) ctx->page_url.data;
    opts.json_url = (char *) url;
    opts.tpl = blcf->page_template;

    err[0] = '\0';

    html = badge_page_render(ctx->session, NULL, 0, &opts, &len, err,
                             sizeof(err));

    if (html == NULL) {
        /* not a credential at all: the site's file is broken */
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "badge: page for \"%V\" not rendered: %s",
                      &ctx->page_id, err);
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    /* not a page whose status could not be checked (a fetch failed):
     * the next request may do better */
    if (blcf->cache
        && badge_session_first_failure(ctx->session, NULL, NULL)
           != BADGE_OUTCOME_UNCHECKED)
    {
        ngx_http_badge_cache_put(blcf->cache, ctx->page_key, (u_char *) html,
                                 len, r->connection->log);
    }

    return ngx_http_badge_page_send(r, blcf, (u_char *) html, len);
}


static ngx_int_t
ngx_http_badge_page_send(ngx_http_request_t *r,
    ngx_http_badge_loc_conf_t *blcf, u_char *html, size_t len)
{
    size_t            n;
    char              etag[64];
    ngx_int_t         rc;
    ngx_buf_t        *b;
    ngx_chain_t       out;
    ngx_table_elt_t  *h;

    r->headers_out.status = NGX_HTTP_OK;
    r->headers_out.content_length_n = len;
    ngx_str_set(&r->headers_out.content_type, "text/html; charset=utf-8");
    r->headers_out.content_type_len = r->headers_out.content_type.len;
    r->headers_out.content_type_lowcase = NULL;

    /* the page shows the live status: its ETag is its content's */

    n = badge_page_etag_data(etag, sizeof(etag), html, len);

    h = ngx_list_push(&r->headers_out.headers);
    if (h == NULL || n == 0) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    h->hash = 1;
    ngx_str_set(&h->key, "ETag");
    h->value.data = ngx_pnalloc(r->pool, n);
    if (h->value.data == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_memcpy(h->value.data, etag, n);
    h->value.len = n;
    r->headers_out.etag = h;

    if (ngx_http_badge_page_header(r, "Content-Security-Policy",
                                   badge_page_csp(blcf->page_template))
        != NGX_OK
        || ngx_http_badge_page_header(r, "Vary", "Accept, Accept-Language")
           != NGX_OK
        || ngx_http_badge_page_header(r, "Cache-Control", "no-cache")
           != NGX_OK
        || ngx_http_badge_page_header(r, "X-Content-Type-Options",
                                      "nosniff") != NGX_OK
        || ngx_http_badge_page_header(r, "Referrer-Policy",
                                      "strict-origin-when-cross-origin")
           != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    rc = ngx_http_send_header(r);

    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
        return rc;
    }

    b = ngx_calloc_buf(r->pool);
    if (b == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    /* in the session's arena or the request's pool: freed with it */
    b->pos = html;
    b->last = html + len;
    b->memory = 1;
    b->last_buf = (r == r->main) ? 1 : 0;
    b->last_in_chain = 1;

    out.buf = b;
    out.next = NULL;

    return ngx_http_output_filter(r, &out);
}


/* this page's URL: scheme://Host/uri (nginx has checked the Host) */

static ngx_int_t
ngx_http_badge_page_url(ngx_http_request_t *r, ngx_str_t *url)
{
    u_char      *p, portbuf[sizeof(":65535")];
    in_port_t    port;
    ngx_str_t    host, portstr;
    ngx_uint_t   https;

    if (r->headers_in.server.len) {
        host = r->headers_in.server;

    } else {
        ngx_str_set(&host, "localhost");
    }

#if (NGX_HTTP_SSL)
    https = r->connection->ssl != NULL;
#else
    https = 0;
#endif

    /* the port the client connected to, unless it is the scheme's own:
     * the QR code and share links must reach this very page */
    portstr.len = 0;
    portstr.data = portbuf;
    if (ngx_connection_local_sockaddr(r->connection, NULL, 0) == NGX_OK) {
        port = ngx_inet_get_port(r->connection->local_sockaddr);
        if (port != 0 && port != (https ? 443 : 80)) {
            portstr.len = ngx_sprintf(portbuf, ":%d", (int) port) - portbuf;
        }
    }

    url->data = ngx_pnalloc(r->pool, sizeof("https://") + host.len
                                     + portstr.len + r->uri.len);
    if (url->data == NULL) {
        return NGX_ERROR;
    }

    p = ngx_sprintf(url->data, "%s://%V%V%V", https ? "https" : "http",
                    &host, &portstr, &r->uri);
    url->len = p - url->data;
    *p = '\0';

    return NGX_OK;
}


static ngx_int_t
ngx_http_badge_page_header(ngx_http_request_t *r, const char *key,
    const char *value)
{
    ngx_table_elt_t  *h;

    h = ngx_list_push(&r->headers_out.headers);
    if (h == NULL) {
        return NGX_ERROR;
    }

    h->hash = 1;
    h->key.len = ngx_strlen(key);
    h->key.data = (u_char *) key;
    h->value.len = ngx_strlen(value);
    h->value.data = (u_char *) value;

    return NGX_OK;
}


/* badge_page DIR; */

char *
ngx_http_badge_page(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_badge_loc_conf_t *blcf = conf;

    ngx_str_t                 *value;
    ngx_http_core_loc_conf_t  *clcf;

    if (blcf->page_dir.data) {
        return "is duplicate";
    }

    value = cf->args->elts;
    if (ngx_http_badge_conf_dir(cf, &blcf->page_dir, &value[1]) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    clcf = ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module);
    clcf->handler = ngx_http_badge_page_handler;

    return NGX_CONF_OK;
}


/* badge_page_template FILE; compiled now: errors stop nginx, with the line */

char *
ngx_http_badge_page_template(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_badge_loc_conf_t *blcf = conf;

    char                    err[512];
    ngx_str_t              *value, path;
    ngx_pool_cleanup_t     *cln;
    badge_page_template_t  *tpl;

    if (blcf->page_template != NGX_CONF_UNSET_PTR) {
        return "is duplicate";
    }

    value = cf->args->elts;
    path = value[1];

    if (ngx_conf_full_name(cf->cycle, &path, 1) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    cln = ngx_pool_cleanup_add(cf->pool, 0);
    if (cln == NULL) {
        return NGX_CONF_ERROR;
    }

    err[0] = '\0';

    tpl = badge_page_template_load((char *) path.data, err, sizeof(err));
    if (tpl == NULL) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "badge_page_template: %s", err);
        return NGX_CONF_ERROR;
    }

    cln->handler = ngx_http_badge_template_cleanup;
    cln->data = tpl;

    blcf->page_template = tpl;

    return NGX_CONF_OK;
}


static void
ngx_http_badge_template_cleanup(void *data)
{
    badge_page_template_free(data);
}


/*
 * badge_page_index on: the directory's badges, newest first.  Like
 * autoindex, the directory is read synchronously; each file is read (up to
 * badge_max_input) for its name, issuer, date and image.
 */

static ngx_int_t
ngx_http_badge_page_index(ngx_http_request_t *r,
    ngx_http_badge_loc_conf_t *blcf)
{
    u_char                   *p, *name, *url;
    size_t                    len;
    ngx_int_t                 rc;
    ngx_dir_t                 dir;
    ngx_str_t                 path, body, args, al, page_url;
    ngx_buf_t                *b;
    ngx_uint_t                count;
    ngx_chain_t               out;
    const char               *html, *lang;
    badge_arena_t            *a;
    ngx_file_info_t           fi;
    badge_page_opts_t         opts;
    ngx_pool_cleanup_t       *cln;
    badge_page_index_item_t  *items;

    cln = ngx_pool_cleanup_add(r->pool, 0);
    if (cln == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    a = badge_arena_new(64 * 1024 * 1024);
    if (a == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    cln->handler = ngx_http_badge_arena_cleanup;
    cln->data = a;

    items = ngx_pnalloc(r->pool, NGX_HTTP_BADGE_INDEX_MAX
                                 * sizeof(badge_page_index_item_t));
    if (items == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    args = r->args;
    ngx_str_null(&al);

#if (NGX_HTTP_HEADERS)
    if (r->headers_in.accept_language) {
        al = r->headers_in.accept_language->value;
    }
#endif

    lang = badge_page_lang((char *) args.data, args.len, (char *) al.data,
                           al.len);

    /* page_dir is NUL-terminated (ngx_conf_full_name) */
    if (ngx_open_dir(&blcf->page_dir, &dir) == NGX_ERROR) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, ngx_errno,
                      ngx_open_dir_n " \"%V\" failed", &blcf->page_dir);
        return NGX_HTTP_NOT_FOUND;
    }

    count = 0;

    for ( ;; ) {
        ngx_set_errno(0);

        if (ngx_read_dir(&dir) == NGX_ERROR) {
            break;
        }

        name = ngx_de_name(&dir);
        len = ngx_de_namelen(&dir);

        if (len <= 5 || ngx_strncmp(name + len - 5, ".json", 5) != 0
            || !badge_page_id_valid((char *) name, len - 5))
        {
            continue;
        }

        if (count == NGX_HTTP_BADGE_INDEX_MAX) {
            ngx_log_error(NGX_LOG_WARN, r->connection->log, 0,
                          "badge: the index of \"%V\" shows the first %d "
                          "badges only", &blcf->page_dir,
                          NGX_HTTP_BADGE_INDEX_MAX);
            break;
        }

        path.len = blcf->page_dir.len + 1 + len;
        path.data = ngx_pnalloc(r->pool, path.len + 1);
        if (path.data == NULL) {
            break;
        }

        p = ngx_cpymem(path.data, blcf->page_dir.data, blcf->page_dir.len);
        *p++ = '/';
        p = ngx_cpymem(p, name, len);
        *p = '\0';

        if (ngx_http_badge_page_read(r, &path, &body, &fi) != NGX_OK) {
            continue;
        }

        p = ngx_pnalloc(r->pool, len - 5 + 1);
        if (p == NULL) {
            break;
        }

        ngx_memcpy(p, name, len - 5);
        p[len - 5] = '\0';

        if (badge_page_index_item(a, (char *) p, body.data, body.len, lang,
                                  &items[count])
            == 0)
        {
            count++;
        }
    }

    if (ngx_close_dir(&dir) == NGX_ERROR) {
        ngx_log_error(NGX_LOG_ALERT, r->connection->log, ngx_errno,
                      ngx_close_dir_n " \"%V\" failed", &blcf->page_dir);
    }

    ngx_qsort(items, count, sizeof(badge_page_index_item_t),
              ngx_http_badge_index_cmp);

    if (ngx_http_badge_page_url(r, &page_url) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }
    url = page_url.data;

    ngx_memzero(&opts, sizeof(badge_page_opts_t));
    opts.lang = lang;
    opts.page_url = (char *) url;
    opts.tpl = blcf->page_template;

    html = badge_page_index_html(a, items, count, &opts, &len);
    if (html == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    r->headers_out.status = NGX_HTTP_OK;
    r->headers_out.content_length_n = len;
    ngx_str_set(&r->headers_out.content_type, "text/html; charset=utf-8");
    r->headers_out.content_type_len = r->headers_out.content_type.len;

    if (ngx_http_badge_page_header(r, "Content-Security-Policy",
                                   badge_page_csp(blcf->page_template))
        != NGX_OK
        || ngx_http_badge_page_header(r, "Vary", "Accept-Language")
           != NGX_OK
        || ngx_http_badge_page_header(r, "Cache-Control", "no-cache")
           != NGX_OK
        || ngx_http_badge_page_header(r, "X-Content-Type-Options",
                                      "nosniff") != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    rc = ngx_http_send_header(r);

    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
        return rc;
    }

    b = ngx_calloc_buf(r->pool);
    if (b == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    b->pos = (u_char *) html;
    b->last = (u_char *) html + len;
    b->memory = 1;
    b->last_buf = (r == r->main) ? 1 : 0;
    b->last_in_chain = 1;

    out.buf = b;
    out.next = NULL;

    return ngx_http_output_filter(r, &out);
}


/* newest first, then by id */

static int ngx_libc_cdecl
ngx_http_badge_index_cmp(const void *one, const void *two)
{
    const badge_page_index_item_t  *a = one, *b = two;
    int                              rc;

    rc = ngx_strcmp(b->date ? b->date : "", a->date ? a->date : "");

    if (rc != 0) {
        return rc;
    }

    return ngx_strcmp(a->id, b->id);
}


static void
ngx_http_badge_arena_cleanup(void *data)
{
    badge_arena_free(data);
}
