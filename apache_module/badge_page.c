/*
 * badge_page.c: public badge pages for mod_badge (Apache glue only; the
 * page itself, negotiation, ids, ETags and the CSP are the core's,
 * page.h).
 *
 *   <Location /badges/>
 *       SetHandler badge-page
 *       BadgePageDir /srv/badges
 *       BadgePageTemplate /etc/apache2/badge/page.html     (optional)
 *       BadgePageIndex On                                   (optional)
 *   </Location>
 *
 *   GET /badges/ID          the page (HTML: the credential in DIR/ID.json,
 *                           verified live, fetching what it needs) or,
 *                           when Accept asks for JSON/JSON-LD, the file
 *   GET /badges/ID.json     the file (also .jsonld, ?format=json)
 *   GET /badges/ID.png|svg  the baked badge DIR/ID.png|svg, if there is one
 *   GET /badges/            the index (BadgePageIndex On), else 404
 *
 * ID is the last segment of the decoded URI path, checked with
 * badge_page_id_valid() before it becomes a file name.  Conditional GETs
 * go through ap_meets_conditions() against the ETag (the core's
 * badge_page_etag*, the same values nginx sends) and Last-Modified.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"

#include "apr_file_info.h"
#include "apr_file_io.h"
#include "apr_strings.h"

#include <stdlib.h>

#include "badge.h"
#include "page.h"

#include "mod_badge.h"

APLOG_USE_MODULE(badge);

#define BADGE_HANDLER_PAGE     "badge-page"
#define BADGE_PAGE_MAX_INDEX   1000       /* files listed by the index */
#define BADGE_PAGE_INDEX_ARENA (32 * 1024 * 1024)

struct badge_page_conf_s {
    const char             *dir;      /* NULL: unset */
    badge_page_template_t  *tpl;      /* NULL: the built-in one */
    int                     tpl_set;
    const char             *tpl_id;   /* the template's path and mtime,
                                         for the page cache's key */
    int                     index;    /* -1 unset (Off) */
};

static apr_status_t
badge_page_tpl_cleanup(void *data)
{
    badge_page_template_free(data);
    return APR_SUCCESS;
}

static badge_page_conf_t *
badge_page_conf(cmd_parms *cmd, void *dconf)
{
    badge_dir_conf *conf = dconf;

    if (conf->page == NULL) {
        conf->page = apr_pcalloc(cmd->pool, sizeof(*conf->page));
        conf->page->index = -1;
    }
    return conf->page;
}

const char *
badge_cmd_page_dir(cmd_parms *cmd, void *dconf, const char *arg)
{
    badge_page_conf_t *pc = badge_page_conf(cmd, dconf);
    const char        *path = ap_server_root_relative(cmd->pool, arg);
    apr_finfo_t        fi;
    apr_status_t       rv;

    if (path == NULL) {
        return apr_psprintf(cmd->pool, "BadgePageDir: invalid path %s", arg);
    }
    rv = apr_stat(&fi, path, APR_FINFO_TYPE, cmd->temp_pool);
    if (rv != APR_SUCCESS || fi.filetype != APR_DIR) {
        return apr_psprintf(cmd->pool, "BadgePageDir: %s is not a "
                            "directory", path);
    }
    pc->dir = path;
    return NULL;
}

const char *
badge_cmd_page_template(cmd_parms *cmd, void *dconf, const char *arg)
{
    badge_page_conf_t     *pc = badge_page_conf(cmd, dconf);
    const char            *path = ap_server_root_relative(cmd->pool, arg);
    badge_page_template_t *tpl;
    char                   err[512];

    if (path == NULL) {
        return apr_psprintf(cmd->pool, "BadgePageTemplate: invalid path %s",
                            arg);
    }
    err[0] = '\0';
    tpl = badge_page_template_load(path, err, sizeof(err));
    if (tpl == NULL) {
        return apr_psprintf(cmd->pool, "BadgePageTemplate: %s",
                            err[0] != '\0' ? err : path);
    }
    apr_pool_cleanup_register(cmd->pool, tpl, badge_page_tpl_cleanup,
                              apr_pool_cleanup_null);
    pc->tpl = tpl;
    pc->tpl_set = 1;
    pc->tpl_id = apr_psprintf(cmd->pool, "%s@%" APR_TIME_T_FMT, path,
                              apr_time_now());
    return NULL;
}

const char *
badge_cmd_page_index(cmd_parms *cmd, void *dconf, int on)
{
    badge_page_conf(cmd, dconf)->index = on ? 1 : 0;
    return NULL;
}

badge_page_conf_t *
badge_page_merge(apr_pool_t *p, badge_page_conf_t *base,
    badge_page_conf_t *add)
{
    badge_page_conf_t *c;

    if (base == NULL || add == NULL) {
        return add != NULL ? add : base;
    }
    c = apr_pcalloc(p, sizeof(*c));
    c->dir = add->dir != NULL ? add->dir : base->dir;
    c->tpl_set = add->tpl_set || base->tpl_set;
    c->tpl = add->tpl_set ? add->tpl : base->tpl;
    c->tpl_id = add->tpl_set ? add->tpl_id : base->tpl_id;
    c->index = add->index != -1 ? add->index : base->index;
    return c;
}

/* ------------------------------------------------------------------ */

static int
badge_ends_with(const char *s, apr_size_t len, const char *suffix)
{
    apr_size_t n = strlen(suffix);

    return len > n && strcmp(s + len - n, suffix) == 0;
}

/* Read a whole file (at most BADGE_MAX_FILE) into r->pool: OK with *data,
 * *len and *fi, or the HTTP status to answer. */
static int
badge_page_read(request_rec *r, const char *path, char **data,
    apr_size_t *len, apr_finfo_t *fi)
{
    apr_file_t   *f;
    apr_status_t  rv;
    apr_size_t    n;
    char         *buf;

    rv = apr_file_open(&f, path, APR_FOPEN_READ | APR_FOPEN_BINARY,
                       APR_OS_DEFAULT, r->pool);
    if (rv != APR_SUCCESS) {
        if (APR_STATUS_IS_ENOENT(rv) || APR_STATUS_IS_ENOTDIR(rv)) {
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                          "mod_badge: no badge file %s", path);
            return HTTP_NOT_FOUND;
        }
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      "mod_badge: cannot open %s", path);
        return APR_STATUS_IS_EACCES(rv) ? HTTP_FORBIDDEN
                                        : HTTP_INTERNAL_SERVER_ERROR;
    }
    rv = apr_file_info_get(fi, APR_FINFO_SIZE | APR_FINFO_MTIME
                               | APR_FINFO_TYPE, f);
    if (rv != APR_SUCCESS || fi->filetype != APR_REG) {
        apr_file_close(f);
        ap_log_rerror(APLOG_MARK, APLOG_INFO, rv, r,
                      "mod_badge: %s is not a regular file", path);
        return HTTP_NOT_FOUND;
    }
    if (fi->size > BADGE_MAX_FILE) {
        apr_file_close(f);
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "mod_badge: %s is larger than %d bytes", path,
                      BADGE_MAX_FILE);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    n = (apr_size_t) fi->size;
    buf = apr_palloc(r->pool, n + 1);
    rv = apr_file_read_full(f, buf, n, &n);
    apr_file_close(f);
    if (rv != APR_SUCCESS && !APR_STATUS_IS_EOF(rv)) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      "mod_badge: cannot read %s", path);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return OK;
}

/* Send body with the headers already set, after the conditional-request
 * check: OK, or HTTP_NOT_MODIFIED / HTTP_PRECONDITION_FAILED. */
static int
badge_page_send(request_rec *r, const char *ctype, const char *body,
    apr_size_t len)
{
    int rc;

    ap_set_content_type(r, ctype);
    apr_table_setn(r->headers_out, "X-Content-Type-Options", "nosniff");
    rc = ap_meets_conditions(r);
    if (rc != OK) {
        return rc;
    }
    ap_set_content_length(r, (apr_off_t) len);
    if (!r->header_only) {
        ap_rwrite(body, (int) len, r);
    }
    return OK;
}

/* Headers for a file served as it is: ETag and Last-Modified from the
 * file, CORS (public data, read by verifiers in browsers). */
static void
badge_page_file_headers(request_rec *r, const apr_finfo_t *fi)
{
    char etag[64];

    if (badge_page_etag(etag, sizeof(etag),
                        (time_t) apr_time_sec(fi->mtime),
                        (long long) fi->size) > 0)
    {
        apr_table_set(r->headers_out, "ETag", etag);
    }
    ap_update_mtime(r, fi->mtime);
    ap_set_last_modified(r);
    apr_table_setn(r->headers_out, "Access-Control-Allow-Origin", "*");
}

static int
badge_page_compare(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

static apr_status_t
badge_page_arena_cleanup(void *data)
{
    badge_arena_free(data);
    return APR_SUCCESS;
}

/* GET /badges/ with BadgePageIndex On. */
static int
badge_page_index(request_rec *r, const badge_page_conf_t *pc,
    const char *lang)
{
    apr_array_header_t      *ids = apr_array_make(r->pool, 16,
                                                  sizeof(char *));
    badge_page_index_item_t *items;
    badge_page_opts_t        po;
    badge_arena_t           *a;
    apr_dir_t               *dir;
    apr_finfo_t              fi;
    apr_status_t             rv;
    apr_size_t               nlen, len;
    const char              *html;
    char                    *data, *id, etag[64];
    size_t                   hlen;
    int                      i, n = 0, rc;

    rv = apr_dir_open(&dir, pc->dir, r->pool);
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      "mod_badge: cannot list %s", pc->dir);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    while (ids->nelts < BADGE_PAGE_MAX_INDEX) {
        rv = apr_dir_read(&fi, APR_FINFO_NAME | APR_FINFO_TYPE, dir);
        if (rv != APR_SUCCESS && !APR_STATUS_IS_INCOMPLETE(rv)) {
            break;
        }
        if (fi.name == NULL) {
            continue;
        }
        nlen = strlen(fi.name);
        /* symbolic links are followed (and checked) when read */
        if ((fi.filetype != APR_REG && fi.filetype != APR_LNK)
            || !badge_ends_with(fi.name, nlen, ".json")
            || !badge_page_id_valid(fi.name, nlen - 5))
        {
            continue;
        }
        APR_ARRAY_PUSH(ids, char *) = apr_pstrmemdup(r->pool, fi.name,
                                                     nlen - 5);
    }
    apr_dir_close(dir);
    qsort(ids->elts, (size_t) ids->nelts, sizeof(char *), badge_page_compare);

    a = badge_arena_new(BADGE_PAGE_INDEX_ARENA);
    if (a == NULL) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    apr_pool_cleanup_register(r->pool, a, badge_page_arena_cleanup,
                              apr_pool_cleanup_null);
    items = apr_pcalloc(r->pool, sizeof(*items) * (size_t) (ids->nelts + 1));
    for (i = 0; i < ids->nelts; i++) {
        id = APR_ARRAY_IDX(ids, i, char *);
        if (badge_page_read(r, apr_pstrcat(r->pool, pc->dir, "/", id,
                                           ".json", NULL),
                            &data, &len, &fi) != OK
            || badge_page_index_item(a, id, data, len, lang, &items[n]) != 0)
        {
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                          "mod_badge: %s/%s.json left out of the index",
                          pc->dir, id);
            continue;
        }
        n++;
    }
    memset(&po, 0, sizeof(po));
    po.lang = lang;
    po.page_url = ap_construct_url(r->pool, r->uri, r);
    html = badge_page_index_html(a, items, (size_t) n, &po, &hlen);
    if (html == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "mod_badge: cannot render the index of %s", pc->dir);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    if (badge_page_etag_data(etag, sizeof(etag), html, hlen) > 0) {
        apr_table_set(r->headers_out, "ETag", etag);
    }
    apr_table_setn(r->headers_out, "Content-Security-Policy",
                   badge_page_csp(pc->tpl));
    apr_table_setn(r->headers_out, "Vary", "Accept-Language");
    apr_table_setn(r->headers_out, "Cache-Control", "no-cache");
    apr_table_setn(r->headers_out, "Referrer-Policy",
                   "strict-origin-when-cross-origin");
    rc = badge_page_send(r, badge_page_content_type(BADGE_PAGE_HTML), html,
                         hlen);
    return rc;
}

int
badge_page_handler(request_rec *r)
{
    badge_dir_conf      *conf;
    badge_page_conf_t   *pc;
    badge_page_format_t  fmt;
    badge_page_opts_t    po;
    const badge_ctx_t   *ctx;
    badge_session_t     *s;
    apr_finfo_t          fi, bfi;
    apr_interval_time_t  ttl;
    badge_result_t       res;
    unsigned char        key[BADGE_CACHE_KEY_LEN];
    const char          *slash, *id, *accept, *al, *lang, *base, *html;
    const char          *desc;
    const char          *ext = NULL, *path;
    char                *data, *idc, etag[64], err[512];
    apr_size_t           idlen, len;
    size_t               hlen;
    int                  rc, keyed = 0, transient = 0;

    if (r->handler == NULL || strcmp(r->handler, BADGE_HANDLER_PAGE) != 0) {
        return DECLINED;
    }
    conf = ap_get_module_config(r->per_dir_config, &badge_module);
    pc = conf->page;
    if (pc == NULL || pc->dir == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "mod_badge: SetHandler badge-page without "
                      "BadgePageDir for %s", r->uri);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    r->allowed |= AP_METHOD_BIT << M_GET;
    ap_allow_standard_methods(r, REPLACE_ALLOW, M_GET, -1);
    if (r->method_number != M_GET) {
        return HTTP_METHOD_NOT_ALLOWED;
    }
    accept = apr_table_get(r->headers_in, "Accept");
    al = apr_table_get(r->headers_in, "Accept-Language");
    lang = badge_page_lang(r->args, r->args != NULL ? strlen(r->args) : 0,
                           al, al != NULL ? strlen(al) : 0);

    slash = strrchr(r->uri, '/');
    id = slash != NULL ? slash + 1 : r->uri;
    if (*id == '\0') {
        if (pc->index != 1) {
            ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                          "mod_badge: %s: no index (BadgePageIndex Off)",
                          r->uri);
            return HTTP_NOT_FOUND;
        }
        return badge_page_index(r, pc, lang);
    }

    fmt = badge_page_negotiate(accept, accept != NULL ? strlen(accept) : 0,
                               r->unparsed_uri, strlen(r->unparsed_uri));
    idlen = strlen(id);
    if (badge_ends_with(id, idlen, ".jsonld")) {
        idlen -= 7;
    } else if (badge_ends_with(id, idlen, ".json")) {
        idlen -= 5;
    } else if (badge_ends_with(id, idlen, ".png")) {
        idlen -= 4;
        ext = "png";
    } else if (badge_ends_with(id, idlen, ".svg")) {
        idlen -= 4;
        ext = "svg";
    }
    if (!badge_page_id_valid(id, idlen)) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "mod_badge: %s: not a badge id", r->uri);
        return HTTP_NOT_FOUND;
    }
    idc = apr_pstrmemdup(r->pool, id, idlen);

    if (ext != NULL) {
        /* the baked badge, as it is */
        path = apr_pstrcat(r->pool, pc->dir, "/", idc, ".", ext, NULL);
        rc = badge_page_read(r, path, &data, &len, &fi);
        if (rc != OK) {
            return rc;
        }
        badge_page_file_headers(r, &fi);
        if (ext[0] == 's') {
            /* an SVG opened directly runs no script of its own */
            apr_table_setn(r->headers_out, "Content-Security-Policy",
                           "default-src 'none'; img-src data:; "
                           "style-src 'unsafe-inline'; sandbox");
        }
        return badge_page_send(r, ext[0] == 'p' ? "image/png"
                                                : "image/svg+xml",
                               data, len);
    }

    path = apr_pstrcat(r->pool, pc->dir, "/", idc, ".json", NULL);
    rc = badge_page_read(r, path, &data, &len, &fi);
    if (rc != OK) {
        return rc;
    }

    if (fmt != BADGE_PAGE_HTML) {
        badge_page_file_headers(r, &fi);
        /* the page at this URL varies with both (as nginx says) */
        apr_table_setn(r->headers_out, "Vary", "Accept, Accept-Language");
        return badge_page_send(r, badge_page_content_type(fmt), data, len);
    }

    /* the page: verify live, then render; or the page rendered a moment
     * ago for the same file (path, mtime, size), language and URL under
     * the same configuration, from the cache (BadgeCacheTTL) */
    base = ap_construct_url(r->pool,
                            apr_pstrmemdup(r->pool, r->uri,
                                           (apr_size_t) (id - r->uri) + idlen),
                            r);
    memset(&po, 0, sizeof(po));
    po.lang = lang;
    po.page_url = base;
    po.json_url = apr_pstrcat(r->pool, base, ".json", NULL);
    if (apr_stat(&bfi, apr_pstrcat(r->pool, pc->dir, "/", idc, ".png", NULL),
                 APR_FINFO_TYPE, r->pool) == APR_SUCCESS
        && bfi.filetype == APR_REG)
    {
        po.baked_png_url = apr_pstrcat(r->pool, base, ".png", NULL);
    }
    if (apr_stat(&bfi, apr_pstrcat(r->pool, pc->dir, "/", idc, ".svg", NULL),
                 APR_FINFO_TYPE, r->pool) == APR_SUCCESS
        && bfi.filetype == APR_REG)
    {
        po.baked_svg_url = apr_pstrcat(r->pool, base, ".svg", NULL);
    }
    po.tpl = pc->tpl;

    ttl = badge_cache_ttl(conf);
    if (ttl > 0) {
        desc = apr_psprintf(r->pool, "page|%s|%" APR_TIME_T_FMT "|%"
                            APR_OFF_T_FMT "|%s|%d%d|%s|%s", path, fi.mtime,
                            fi.size, base, po.baked_png_url != NULL,
                            po.baked_svg_url != NULL,
                            pc->tpl_id != NULL ? pc->tpl_id : "built-in",
                            badge_fetch_desc(r, conf));
        keyed = badge_cache_key(key, conf->digest, lang, "page", desc,
                                strlen(desc)) == 0;
        if (keyed && badge_cache_get(r, key, &res, 1)) {
            apr_table_setn(r->subprocess_env, "BADGE_CACHE", "hit");
            ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                          "mod_badge: page %s: cache hit: %s", idc,
                          res.fields[BADGE_FIELD_STATUS] != NULL
                              ? res.fields[BADGE_FIELD_STATUS] : "-");
            html = res.report;
            hlen = res.report_len;
            goto send;
        }
        if (keyed) {
            apr_table_setn(r->subprocess_env, "BADGE_CACHE", "miss");
        }
    }

    ctx = badge_dir_ctx(r, conf);
    if (ctx == NULL) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    s = badge_verify(r, conf, ctx, data, NULL, len, lang, &transient);
    if (s == NULL) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    err[0] = '\0';
    html = badge_page_render(s, NULL, 0, &po, &hlen, err, sizeof(err));
    if (html == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "mod_badge: cannot show %s as a badge page: %s", path,
                      err[0] != '\0' ? err : "unknown error");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                  "mod_badge: page %s: %s", idc,
                  badge_session_field(s, BADGE_FIELD_STATUS) != NULL
                      ? badge_session_field(s, BADGE_FIELD_STATUS) : "-");
    if (keyed) {
        /* the page as the cached "report"; not when a document could not
         * be fetched (the page would show a passing network failure) */
        memset(&res, 0, sizeof(res));
        res.verified = badge_session_verified(s) ? 1 : 0;
        res.http_status = HTTP_OK;
        res.report = html;
        res.report_len = hlen;
        res.fields[BADGE_FIELD_STATUS] = badge_session_field(s,
                                             BADGE_FIELD_STATUS);
        res.outcome = (int) badge_session_first_failure(s, NULL, NULL);
        if (badge_result_cacheable(&res, transient)) {
            badge_cache_put(r, key, &res, ttl, 1);
        }
    }

send:
    /* the page shows the live status: its ETag is of the HTML, and it
     * is revalidated every time */
    if (badge_page_etag_data(etag, sizeof(etag), html, hlen) > 0) {
        apr_table_set(r->headers_out, "ETag", etag);
    }
    apr_table_setn(r->headers_out, "Content-Security-Policy",
                   badge_page_csp(pc->tpl));
    apr_table_setn(r->headers_out, "Vary", "Accept, Accept-Language");
    apr_table_setn(r->headers_out, "Cache-Control", "no-cache");
    apr_table_setn(r->headers_out, "Referrer-Policy",
                   "strict-origin-when-cross-origin");
    return badge_page_send(r, badge_page_content_type(BADGE_PAGE_HTML), html,
                           hlen);
}
