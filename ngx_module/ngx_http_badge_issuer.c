
/*
 * ngx_http_badge_issuer.c: the issuer's static endpoints.
 *
 *   badge_did_document;   the site's DID document (did:web)
 *   badge_status_list     a status list built from the issuer's registry
 *
 * Both are built once, when the configuration is read (the master reads
 * the private key, as it reads ssl_certificate_key), and answered from
 * memory: a request costs a buffer and a chain, nothing else.  A change
 * (a key rotation, "badgectl status revoke") takes effect on reload
 * ("nginx -s reload"), nginx's model for every other file it reads at
 * configuration time.
 *
 * The answers carry Access-Control-Allow-Origin: * (other sites' verifiers
 * read them from browsers), Cache-Control (badge_cache_control, or the
 * core's defaults), an ETag and a Last-Modified: nginx's not_modified
 * filter answers If-None-Match and If-Modified-Since with 304.
 */


#include "ngx_http_badge_module.h"

#include <ngx_md5.h>

#include "issuer.h"
#include "page.h"
#include "status_publish.h"


#define NGX_HTTP_BADGE_ARENA_LIMIT  (64 * 1024 * 1024)


static ngx_int_t ngx_http_badge_static_handler(ngx_http_request_t *r);
static ngx_int_t ngx_http_badge_static_set(ngx_conf_t *cf,
    ngx_http_badge_loc_conf_t *conf, ngx_http_badge_static_t *st,
    u_char *body, size_t len, const char *type, const char *cache);
static void *ngx_http_badge_conf_alloc(void *pool, size_t n);
static ngx_int_t ngx_http_badge_default_did(ngx_conf_t *cf,
    ngx_str_t *did);
static void ngx_http_badge_key_cleanup(void *data);
static ngx_int_t ngx_http_badge_ob2_handler(ngx_http_request_t *r);
static void ngx_http_badge_registry_cleanup(void *data);


static ngx_int_t
ngx_http_badge_static_handler(ngx_http_request_t *r)
{
    ngx_int_t                   rc;
    ngx_buf_t                  *b;
    ngx_chain_t                 out;
    ngx_table_elt_t            *h;
    ngx_http_badge_static_t    *st;
    ngx_http_badge_loc_conf_t  *blcf;

    blcf = ngx_http_get_module_loc_conf(r, ngx_http_badge_module);
    st = blcf->static_resp;

    if (st == NULL) {
        return NGX_DECLINED;
    }

    if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD))) {
        return NGX_HTTP_NOT_ALLOWED;
    }

    rc = ngx_http_discard_request_body(r);

    if (rc != NGX_OK) {
        return rc;
    }

    r->headers_out.status = NGX_HTTP_OK;
    r->headers_out.content_type = st->type;
    r->headers_out.content_type_len = st->type.len;
    r->headers_out.content_length_n = st->body.len;
    r->headers_out.last_modified_time = st->last_modified;

    h = ngx_list_push(&r->headers_out.headers);
    if (h == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    h->hash = 1;
    ngx_str_set(&h->key, "ETag");
    h->value = st->etag;
    r->headers_out.etag = h;

    h = ngx_list_push(&r->headers_out.headers);
    if (h == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    h->hash = 1;
    ngx_str_set(&h->key, "Cache-Control");
    h->value = st->cache_control;

    h = ngx_list_push(&r->headers_out.headers);
    if (h == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    h->hash = 1;
    ngx_str_set(&h->key, "Access-Control-Allow-Origin");
    ngx_str_set(&h->value, BADGE_ISSUER_CORS);

    rc = ngx_http_send_header(r);

    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
        return rc;
    }

    b = ngx_calloc_buf(r->pool);
    if (b == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    /* the prebuilt body itself: read-only memory, never copied */
    b->pos = st->body.data;
    b->last = st->body.data + st->body.len;
    b->memory = 1;
    b->last_buf = (r == r->main) ? 1 : 0;
    b->last_in_chain = 1;

    out.buf = b;
    out.next = NULL;

    return ngx_http_output_filter(r, &out);
}


static ngx_int_t
ngx_http_badge_static_set(ngx_conf_t *cf, ngx_http_badge_loc_conf_t *conf,
    ngx_http_badge_static_t *st, u_char *body, size_t len, const char *type,
    const char *cache)
{
    u_char                    *p;
    ngx_md5_t                  md5;
    u_char                     hash[16];
    ngx_http_core_loc_conf_t  *clcf;

    st->body.data = body;
    st->body.len = len;

    st->type.len = ngx_strlen(type);
    st->type.data = (u_char *) type;

    if (conf->cache_control.data) {
        st->cache_control = conf->cache_control;

    } else {
        st->cache_control.len = ngx_strlen(cache);
        st->cache_control.data = (u_char *) cache;
    }

    /* a strong ETag: the content's own hash, stable across reloads */

    ngx_md5_init(&md5);
    ngx_md5_update(&md5, body, len);
    ngx_md5_final(hash, &md5);

    p = ngx_pnalloc(cf->pool, 2 + 32);
    if (p == NULL) {
        return NGX_ERROR;
    }

    st->etag.data = p;
    *p++ = '"';
    p = ngx_hex_dump(p, hash, 16);
    *p++ = '"';
    st->etag.len = p - st->etag.data;

    st->last_modified = ngx_time();

    clcf = ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module);
    clcf->handler = ngx_http_badge_static_handler;

    conf->static_resp = st;

    return NGX_OK;
}


static void *
ngx_http_badge_conf_alloc(void *pool, size_t n)
{
    return ngx_pnalloc(pool, n);
}


/* did:web:HOST[%3APORT] of this server: its first server_name and the
 * port of its first listen (none for 80 and 443) */

static ngx_int_t
ngx_http_badge_default_did(ngx_conf_t *cf, ngx_str_t *did)
{
    char                       *d;
    u_char                     *host;
    ngx_int_t                   port;
    ngx_uint_t                  i, j, k;
    badge_err_t                 err;
    badge_arena_t              *a;
    ngx_http_conf_port_t       *ports;
    ngx_http_conf_addr_t       *addrs;
    ngx_http_core_srv_conf_t   *cscf, **servers;
    ngx_http_core_main_conf_t  *cmcf;

    cscf = ngx_http_conf_get_module_srv_conf(cf, ngx_http_core_module);
    cmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_core_module);

    if (cscf->server_name.len == 0
        || cscf->server_name.data[0] == '*'
        || cscf->server_name.data[0] == '.'
        || cscf->server_name.data[0] == '~')
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"badge_did_document\" needs \"badge_issuer_did\""
                           " or a plain \"server_name\" to name the DID");
        return NGX_ERROR;
    }

    port = 0;

    if (cmcf->ports) {
        ports = cmcf->ports->elts;

        for (i = 0; port == 0 && i < cmcf->ports->nelts; i++) {
            addrs = ports[i].addrs.elts;

            for (j = 0; port == 0 && j < ports[i].addrs.nelts; j++) {
                servers = addrs[j].servers.elts;

                for (k = 0; k < addrs[j].servers.nelts; k++) {
                    if (servers[k] == cscf) {
                        port = ports[i].port;
                        break;
                    }
                }
            }
        }
    }

    if (port == 80 || port == 443) {
        /* https on 443, or plain http behind a TLS proxy */
        port = 0;
    }

    host = ngx_pnalloc(cf->temp_pool, cscf->server_name.len + 1);
    if (host == NULL) {
        return NGX_ERROR;
    }

    ngx_memcpy(host, cscf->server_name.data, cscf->server_name.len);
    host[cscf->server_name.len] = '\0';

    a = badge_arena_new(NGX_HTTP_BADGE_ARENA_LIMIT);
    if (a == NULL) {
        return NGX_ERROR;
    }

    badge_err_clear(&err);

    d = badge_issuer_did_from_server_name(a, (char *) host, (int) port, NULL,
                                          &err);
    if (d == NULL) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "badge_did_document: no did:web for server_name "
                           "\"%s\": %s; set \"badge_issuer_did\"", host,
                           err.message);
        badge_arena_free(a);
        return NGX_ERROR;
    }

    did->len = ngx_strlen(d);
    did->data = ngx_pnalloc(cf->pool, did->len + 1);
    if (did->data == NULL) {
        badge_arena_free(a);
        return NGX_ERROR;
    }

    ngx_memcpy(did->data, d, did->len + 1);
    badge_arena_free(a);

    return NGX_OK;
}


/*
 * Called by the merge of every location: builds the DID document or the
 * status list of a location that serves one.
 */

ngx_int_t
ngx_http_badge_issuer_merge(ngx_conf_t *cf, ngx_http_badge_loc_conf_t *prev,
    ngx_http_badge_loc_conf_t *conf)
{
    char                          *text, *path;
    size_t                         len;
    ngx_str_t                      did;
    badge_err_t                    err;
    badge_arena_t                 *a;
    badge_registry_t              *reg;
    badge_publish_opts_t           o;
    badge_issuer_response_t        resp;
    ngx_http_badge_static_t       *st;
    ngx_http_core_loc_conf_t      *clcf;
    ngx_http_badge_status_conf_t  *sl;

    ngx_conf_merge_ptr_value(conf->issuer_key, prev->issuer_key, NULL);
    ngx_conf_merge_str_value(conf->issuer_did, prev->issuer_did, "");

    if (conf->cache_control.data == NULL) {
        conf->cache_control = prev->cache_control;
    }

    if (conf->did_document == NGX_CONF_UNSET) {
        conf->did_document = 0;
    }

    if (!conf->did_document && conf->status_list == NULL) {
        return NGX_OK;
    }

    if (conf->static_resp) {
        /* merged once already (a location in several servers) */
        return NGX_OK;
    }

    did = conf->issuer_did;

    if (did.len && ngx_strncmp(did.data, "did:", 4) != 0
        && ngx_strncmp(did.data, "https://", 8) != 0)
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid \"badge_issuer_did\" \"%V\": a DID "
                           "(did:web:...) or an https issuer URL", &did);
        return NGX_ERROR;
    }

    if (conf->did_document && did.len
        && ngx_strncmp(did.data, "did:", 4) != 0)
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"badge_did_document\" needs a DID, not \"%V\"",
                           &did);
        return NGX_ERROR;
    }

    if (did.len == 0 && ngx_http_badge_default_did(cf, &did) != NGX_OK) {
        return NGX_ERROR;
    }

    st = ngx_pcalloc(cf->pool, sizeof(ngx_http_badge_static_t));
    if (st == NULL) {
        return NGX_ERROR;
    }

    badge_err_clear(&err);
    clcf = ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module);

    if (conf->did_document) {

        if (conf->issuer_key == NULL) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "\"badge_did_document\" in location \"%V\" "
                               "needs \"badge_issuer_key\"", &clcf->name);
            return NGX_ERROR;
        }

        if (badge_issuer_did_response(conf->issuer_key->key,
                                      (char *) did.data, NULL, 0,
                                      ngx_http_badge_conf_alloc, cf->pool,
                                      &resp, &err)
            != 0)
        {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "badge_did_document \"%V\" with key \"%V\": "
                               "%s", &did, &conf->issuer_key->file,
                               err.message);
            return NGX_ERROR;
        }

        /* the path a did:web resolver asks for should be this one */

        a = badge_arena_new(NGX_HTTP_BADGE_ARENA_LIMIT);
        if (a == NULL) {
            return NGX_ERROR;
        }

        path = badge_issuer_did_path(a, (char *) did.data, &err);

        if (path != NULL
            && (ngx_strlen(path) != clcf->name.len
                || ngx_strncmp(path, clcf->name.data, clcf->name.len) != 0))
        {
            ngx_conf_log_error(NGX_LOG_WARN, cf, 0,
                               "badge_did_document: \"%V\" is resolved at "
                               "\"%s\", not at location \"%V\"", &did, path,
                               &clcf->name);
        }

        badge_arena_free(a);

        ngx_log_error(NGX_LOG_INFO, cf->log, 0,
                      "badge: DID document of \"%V\" at \"%V\"", &did,
                      &clcf->name);

        return ngx_http_badge_static_set(cf, conf, st, (u_char *) resp.body,
                                         resp.len, BADGE_ISSUER_CT_DID,
                                         BADGE_ISSUER_CACHE_DID);
    }

    /* badge_status_list */

    sl = conf->status_list;

    if (sl->url.len == 0) {
        /* https://server_name[:port]/location: from the DID's host */
        if (ngx_strncmp(did.data, "did:web:", 8) != 0) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "\"badge_status_list\" needs \"url=\" when "
                               "the issuer is not a did:web (\"%V\")", &did);
            return NGX_ERROR;
        }

        sl->url.data = ngx_pnalloc(cf->pool, sizeof("https://") - 1
                                   + did.len + clcf->name.len + 1);
        if (sl->url.data == NULL) {
            return NGX_ERROR;
        }

        /* did:web:host%3Aport[:path] -> https://host:port */
        {
            u_char  *p, *s, *end;

            p = ngx_cpymem(sl->url.data, "https://", 8);
            s = did.data + 8;
            end = did.data + did.len;

            while (s < end && *s != ':') {
                if (end - s >= 3 && ngx_strncasecmp(s, (u_char *) "%3A", 3)
                                    == 0)
                {
                    *p++ = ':';
                    s += 3;
                    continue;
                }

                *p++ = *s++;
            }

            p = ngx_cpymem(p, clcf->name.data, clcf->name.len);
            *p = '\0';
            sl->url.len = p - sl->url.data;
        }
    }

    if (conf->issuer_key == NULL) {
        ngx_conf_log_error(NGX_LOG_WARN, cf, 0,
                           "badge_status_list \"%V\" without "
                           "\"badge_issuer_key\" is published unsigned: "
                           "verifiers cannot tell it from a forgery",
                           &sl->registry);
    }

    reg = badge_registry_load((char *) sl->registry.data, &err);
    if (reg == NULL) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "badge_status_list \"%V\": %s", &sl->registry,
                           err.message);
        return NGX_ERROR;
    }

    ngx_memzero(&o, sizeof(badge_publish_opts_t));
    o.format = (badge_publish_format_t) sl->format;
    o.purpose = (badge_status_purpose_t) sl->purpose;
    o.list_url = (char *) sl->url.data;
    o.issuer = (char *) did.data;
    o.key = conf->issuer_key ? conf->issuer_key->key : NULL;
    o.validity = sl->validity;

    a = badge_arena_new(NGX_HTTP_BADGE_ARENA_LIMIT);
    if (a == NULL) {
        badge_registry_free(reg);
        return NGX_ERROR;
    }

    text = badge_status_publish(a, reg, &o, &len, &err);

    if (text == NULL) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "badge_status_list \"%V\": %s", &sl->registry,
                           err.message);
        badge_arena_free(a);
        badge_registry_free(reg);
        return NGX_ERROR;
    }

    ngx_log_error(NGX_LOG_INFO, cf->log, 0,
                  "badge: status list \"%V\" (%uz credentials, %uz "
                  "bytes) at \"%V\"", &sl->url, badge_registry_count(reg),
                  len, &clcf->name);

    badge_registry_free(reg);

    st->body.data = ngx_pnalloc(cf->pool, len);
    if (st->body.data == NULL) {
        badge_arena_free(a);
        return NGX_ERROR;
    }

    ngx_memcpy(st->body.data, text, len);
    badge_arena_free(a);

    return ngx_http_badge_static_set(cf, conf, st, st->body.data, len,
                   badge_publish_content_type(o.format
                                              ? o.format
                                              : BADGE_PUBLISH_BITSTRING),
                   BADGE_ISSUER_CACHE_STATUS);
}


/* badge_issuer_key FILE; */

char *
ngx_http_badge_issuer_key(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_badge_loc_conf_t *blcf = conf;

    ngx_str_t                  *value, path;
    badge_err_t                 err;
    ngx_file_info_t             fi;
    ngx_pool_cleanup_t         *cln;
    ngx_http_badge_issuer_key_t *k;

    if (blcf->issuer_key != NGX_CONF_UNSET_PTR) {
        return "is duplicate";
    }

    value = cf->args->elts;
    path = value[1];

    if (ngx_conf_full_name(cf->cycle, &path, 1) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    if (ngx_file_info(path.data, &fi) == NGX_FILE_ERROR) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                           ngx_file_info_n " \"%s\" failed", path.data);
        return NGX_CONF_ERROR;
    }

    if (fi.st_mode & (S_IRWXG|S_IRWXO)) {
        ngx_conf_log_error(NGX_LOG_WARN, cf, 0,
                           "the issuer's private key \"%s\" is readable by "
                           "group or others (mode %ui%ui%ui): chmod 600 it",
                           path.data, (ngx_uint_t) (fi.st_mode >> 6) & 7,
                           (ngx_uint_t) (fi.st_mode >> 3) & 7,
                           (ngx_uint_t) fi.st_mode & 7);
    }

    k = ngx_pcalloc(cf->pool, sizeof(ngx_http_badge_issuer_key_t));
    if (k == NULL) {
        return NGX_CONF_ERROR;
    }

    cln = ngx_pool_cleanup_add(cf->pool, 0);
    if (cln == NULL) {
        return NGX_CONF_ERROR;
    }

    badge_err_clear(&err);

    k->key = badge_issuer_key_load((char *) path.data, &err);
    if (k->key == NULL) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "badge_issuer_key \"%s\": %s", path.data,
                           err.message);
        return NGX_CONF_ERROR;
    }

    cln->handler = ngx_http_badge_key_cleanup;
    cln->data = k->key;

    k->file = path;
    blcf->issuer_key = k;

    return NGX_CONF_OK;
}


static void
ngx_http_badge_key_cleanup(void *data)
{
    badge_key_free(data);
}


/* badge_did_document; */

char *
ngx_http_badge_did_document(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_badge_loc_conf_t *blcf = conf;

    if (blcf->did_document != NGX_CONF_UNSET || blcf->status_list) {
        return "is duplicate";
    }

    blcf->did_document = 1;

    return NGX_CONF_OK;
}


/* badge_status_list REGISTRY [purpose=P] [format=F] [url=URL]
 *                   [validity=TIME|off]; */

char *
ngx_http_badge_status_list(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_badge_loc_conf_t *blcf = conf;

    ngx_str_t                     *value, s;
    ngx_uint_t                     i;
    ngx_http_badge_status_conf_t  *sl;
    badge_publish_format_t         f;
    badge_status_purpose_t         p;

    if (blcf->status_list || blcf->did_document == 1) {
        return "is duplicate";
    }

    sl = ngx_pcalloc(cf->pool, sizeof(ngx_http_badge_status_conf_t));
    if (sl == NULL) {
        return NGX_CONF_ERROR;
    }

    value = cf->args->elts;

    sl->registry = value[1];

    if (ngx_conf_full_name(cf->cycle, &sl->registry, 1) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    sl->format = BADGE_PUBLISH_BITSTRING;
    sl->purpose = BADGE_PURPOSE_REVOCATION;
    sl->validity = -1;

    for (i = 2; i < cf->args->nelts; i++) {

        if (ngx_strncmp(value[i].data, "purpose=", 8) == 0) {
            if (badge_status_purpose_parse((char *) value[i].data + 8, &p)
                != 0)
            {
                goto invalid;
            }

            sl->purpose = p;
            continue;
        }

        if (ngx_strncmp(value[i].data, "format=", 7) == 0) {
            if (badge_publish_format_parse((char *) value[i].data + 7, &f)
                != 0)
            {
                goto invalid;
            }

            sl->format = f;
            continue;
        }

        if (ngx_strncmp(value[i].data, "url=", 4) == 0) {
            if (ngx_strncmp(value[i].data + 4, "https://", 8) != 0
                && ngx_strncmp(value[i].data + 4, "http://", 7) != 0)
            {
                goto invalid;
            }

            sl->url.data = value[i].data + 4;
            sl->url.len = value[i].len - 4;
            continue;
        }

        if (ngx_strncmp(value[i].data, "validity=", 9) == 0) {
            s.data = value[i].data + 9;
            s.len = value[i].len - 9;

            if (s.len == 3 && ngx_strncmp(s.data, "off", 3) == 0) {
                sl->validity = -1;
                continue;
            }

            sl->validity = ngx_parse_time(&s, 1);

            if (sl->validity == (time_t) NGX_ERROR || sl->validity == 0) {
                goto invalid;
            }

            continue;
        }

        goto invalid;
    }

    if (sl->purpose == BADGE_PURPOSE_SUSPENSION
        && sl->format != BADGE_PUBLISH_BITSTRING)
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "purpose=suspension needs format=bitstring");
        return NGX_CONF_ERROR;
    }

    blcf->status_list = sl;

    return NGX_CONF_OK;

invalid:

    ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                       "invalid parameter \"%V\"", &value[i]);

    return NGX_CONF_ERROR;
}


/*
 * badge_ob2_hosting DIR [REGISTRY]: hosted Open Badges 2.0 documents.
 * /prefix/<id> (or <id>.json) is DIR/<id>.json, sent as it is
 * (application/ld+json, CORS), or, for an Assertion the registry (read at
 * configuration load) marks revoked or that says "revoked": true itself,
 * 410 Gone with the {"id", "revoked": true, "revocationReason"} that OB 2.0
 * verifiers expect.  The file is read like badge_page's.
 */

static ngx_int_t
ngx_http_badge_ob2_handler(ngx_http_request_t *r)
{
    u_char                     *p;
    ngx_int_t                   rc;
    ngx_str_t                   id, path, body;
    ngx_buf_t                  *b;
    badge_err_t                 err;
    ngx_chain_t                 out;
    ngx_table_elt_t            *h;
    ngx_file_info_t             fi;
    badge_issuer_response_t     resp;
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

    if (clcf->exact_match || r->uri.len <= clcf->name.len
        || ngx_strncmp(r->uri.data, clcf->name.data, clcf->name.len) != 0)
    {
        return NGX_HTTP_NOT_FOUND;
    }

    id.data = r->uri.data + clcf->name.len;
    id.len = r->uri.len - clcf->name.len;

    if (id.len && id.data[0] == '/') {
        id.data++;
        id.len--;
    }

    if (id.len > 5 && ngx_strncmp(id.data + id.len - 5, ".json", 5) == 0) {
        id.len -= 5;
    }

    if (!badge_page_id_valid((char *) id.data, id.len)) {
        return NGX_HTTP_NOT_FOUND;
    }

    path.len = blcf->ob2_dir.len + 1 + id.len + sizeof(".json") - 1;
    path.data = ngx_pnalloc(r->pool, path.len + 1);
    if (path.data == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    p = ngx_cpymem(path.data, blcf->ob2_dir.data, blcf->ob2_dir.len);
    *p++ = '/';
    p = ngx_cpymem(p, id.data, id.len);
    ngx_memcpy(p, ".json", sizeof(".json"));

    rc = ngx_http_badge_page_read(r, &path, &body, &fi);

    if (rc != NGX_OK) {
        return rc;
    }

    badge_err_clear(&err);

    if (badge_issuer_ob2_response(body.data, body.len, blcf->ob2_registry,
                                  ngx_http_badge_conf_alloc, r->pool, &resp,
                                  &err)
        != 0)
    {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "badge: hosted OB 2.0 document \"%V\": %s", &path,
                      err.message);

        if (resp.body == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }
    }

    r->headers_out.status = resp.status;
    r->headers_out.content_length_n = resp.len;
    r->headers_out.content_type.len = ngx_strlen(resp.content_type);
    r->headers_out.content_type.data = (u_char *) resp.content_type;
    r->headers_out.content_type_len = r->headers_out.content_type.len;

    if (resp.status == NGX_HTTP_OK) {
        r->headers_out.last_modified_time = ngx_file_mtime(&fi);

        if (ngx_http_set_etag(r) != NGX_OK) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }
    }

    h = ngx_list_push(&r->headers_out.headers);
    if (h == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    h->hash = 1;
    ngx_str_set(&h->key, "Access-Control-Allow-Origin");
    ngx_str_set(&h->value, BADGE_ISSUER_CORS);

    h = ngx_list_push(&r->headers_out.headers);
    if (h == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    h->hash = 1;
    ngx_str_set(&h->key, "Cache-Control");

    if (blcf->cache_control.data) {
        h->value = blcf->cache_control;

    } else {
        h->value.len = ngx_strlen(resp.cache_control);
        h->value.data = (u_char *) resp.cache_control;
    }

    rc = ngx_http_send_header(r);

    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
        return rc;
    }

    b = ngx_calloc_buf(r->pool);
    if (b == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    b->pos = (u_char *) resp.body;
    b->last = (u_char *) resp.body + resp.len;
    b->memory = 1;
    b->last_buf = (r == r->main) ? 1 : 0;
    b->last_in_chain = 1;

    out.buf = b;
    out.next = NULL;

    return ngx_http_output_filter(r, &out);
}


/* badge_ob2_hosting DIR [REGISTRY]; */

char *
ngx_http_badge_ob2_hosting(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_badge_loc_conf_t *blcf = conf;

    ngx_str_t                 *value, reg;
    badge_err_t                err;
    ngx_pool_cleanup_t        *cln;
    ngx_http_core_loc_conf_t  *clcf;

    if (blcf->ob2_dir.data) {
        return "is duplicate";
    }

    value = cf->args->elts;
    if (ngx_http_badge_conf_dir(cf, &blcf->ob2_dir, &value[1]) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    if (cf->args->nelts == 3) {
        reg = value[2];

        if (ngx_conf_full_name(cf->cycle, &reg, 1) != NGX_OK) {
            return NGX_CONF_ERROR;
        }

        cln = ngx_pool_cleanup_add(cf->pool, 0);
        if (cln == NULL) {
            return NGX_CONF_ERROR;
        }

        badge_err_clear(&err);

        blcf->ob2_registry = badge_registry_load((char *) reg.data, &err);
        if (blcf->ob2_registry == NULL) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "badge_ob2_hosting \"%V\": %s", &reg,
                               err.message);
            return NGX_CONF_ERROR;
        }

        cln->handler = ngx_http_badge_registry_cleanup;
        cln->data = blcf->ob2_registry;
    }

    clcf = ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module);
    clcf->handler = ngx_http_badge_ob2_handler;

    return NGX_CONF_OK;
}


static void
ngx_http_badge_registry_cleanup(void *data)
{
    badge_registry_free(data);
}
