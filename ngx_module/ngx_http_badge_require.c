
/*
 * ngx_http_badge_require.c: the access-phase gate (badge_require), in the
 * manner of auth_request: the handler answers NGX_AGAIN while the fetch
 * subrequests run and is called again when each of them ends.
 *
 *   401  no credential, or one that does not verify: a check failed
 *        (signature, validity, status: revoked or suspended...) or could
 *        not be carried out (the issuer's key could not be fetched)
 *   403  a genuine credential the policy does not admit: an issuer this
 *        location does not trust, or another issuer or achievement than
 *        badge_require_issuer / badge_require_achievement name
 *
 * Either way "X-Badge-Error: <code>" says why, and $badge_error holds it.
 */


#include "ngx_http_badge_module.h"


#define NGX_HTTP_BADGE_SRC_HEADER  0
#define NGX_HTTP_BADGE_SRC_COOKIE  1
#define NGX_HTTP_BADGE_SRC_ARG     2


static ngx_int_t ngx_http_badge_access_handler(ngx_http_request_t *r);
static ngx_int_t ngx_http_badge_gate_decide(ngx_http_request_t *r,
    ngx_http_badge_ctx_t *ctx);
static ngx_int_t ngx_http_badge_gate_deny(ngx_http_request_t *r,
    ngx_http_badge_ctx_t *ctx, ngx_int_t status, const char *code);
static ngx_int_t ngx_http_badge_get_credential(ngx_http_request_t *r,
    ngx_http_badge_loc_conf_t *blcf, ngx_str_t *cred);
static ngx_int_t ngx_http_badge_gate_list(ngx_http_request_t *r,
    ngx_array_t *list, const badge_http_str_t **out, size_t *n);
static ngx_int_t ngx_http_badge_trusted(ngx_http_badge_loc_conf_t *blcf,
    const char *issuer);


static ngx_int_t
ngx_http_badge_access_handler(ngx_http_request_t *r)
{
    ngx_int_t                   rc;
    ngx_str_t                   cred;
    ngx_http_badge_ctx_t       *ctx;
    ngx_http_badge_loc_conf_t  *blcf;

    blcf = ngx_http_get_module_loc_conf(r, ngx_http_badge_module);

    if (!blcf->require) {
        return NGX_DECLINED;
    }

    ctx = ngx_http_get_module_ctx(r, ngx_http_badge_module);

    if (ctx != NULL) {

        if (!ctx->gate) {
            return NGX_DECLINED;
        }

        if (ctx->gate_status != NGX_DECLINED) {
            return ctx->gate_status;
        }

        rc = ngx_http_badge_drive(r, ctx);

        if (rc == NGX_AGAIN) {
            return NGX_AGAIN;
        }

        return ngx_http_badge_gate_decide(r, ctx);
    }

    ctx = ngx_http_badge_create_ctx(r, blcf);
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ctx->gate = 1;

    rc = ngx_http_badge_get_credential(r, blcf, &cred);

    if (rc == NGX_ERROR) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (rc == NGX_DECLINED) {
        return ngx_http_badge_gate_deny(r, ctx, NGX_HTTP_UNAUTHORIZED,
                                        "no_credential");
    }

    if (cred.len > blcf->max_input) {
        return ngx_http_badge_gate_deny(r, ctx, NGX_HTTP_UNAUTHORIZED,
                                        "input_too_large");
    }

    if (badge_session_set_input(ctx->session, cred.data, cred.len) != 0) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    rc = ngx_http_badge_drive(r, ctx);

    if (rc == NGX_AGAIN) {
        return NGX_AGAIN;
    }

    return ngx_http_badge_gate_decide(r, ctx);
}


/*
 * The decision is the core's (badge_http_gate_decide(), shared with
 * Apache's Require badge); the glue supplies the session's verdict and
 * this location's policy.
 */

static ngx_int_t
ngx_http_badge_gate_decide(ngx_http_request_t *r, ngx_http_badge_ctx_t *ctx)
{
    int                         status;
    const char                 *code;
    badge_http_verdict_t        v;
    badge_http_gate_policy_t    policy;
    ngx_http_badge_loc_conf_t  *blcf;

    blcf = ctx->conf;

    ngx_memzero(&policy, sizeof(badge_http_gate_policy_t));

    if (ctx->done) {
        badge_http_verdict_from_session(ctx->session, &v);

    } else {
        badge_http_verdict_from_session(NULL, &v);
    }

    policy.issuer_untrusted = !ngx_http_badge_trusted(blcf, v.issuer);

    if (ngx_http_badge_gate_list(r, blcf->require_issuers, &policy.issuers,
                                 &policy.n_issuers)
        != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_badge_gate_list(r, blcf->require_achievements,
                                 &policy.achievements, &policy.n_achievements)
        != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    status = badge_http_gate_decide(&v, &policy, &code);

    if (status == 0) {
        ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                       "badge gate: admitted, issuer \"%s\"", v.issuer);

        ctx->gate_status = NGX_OK;

        return NGX_OK;
    }

    if (status >= NGX_HTTP_INTERNAL_SERVER_ERROR) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "badge: verification failed: no report");
        ctx->gate_status = NGX_HTTP_INTERNAL_SERVER_ERROR;
        return ctx->gate_status;
    }

    return ngx_http_badge_gate_deny(r, ctx, status, code);
}


/* an ngx_str_t list of the configuration as the core's strings */

static ngx_int_t
ngx_http_badge_gate_list(ngx_http_request_t *r, ngx_array_t *list,
    const badge_http_str_t **out, size_t *n)
{
    ngx_str_t         *v;
    ngx_uint_t         i;
    badge_http_str_t  *s;

    *out = NULL;
    *n = 0;

    if (list == NULL || list->nelts == 0) {
        return NGX_OK;
    }

    s = ngx_palloc(r->pool, list->nelts * sizeof(badge_http_str_t));
    if (s == NULL) {
        return NGX_ERROR;
    }

    v = list->elts;

    for (i = 0; i < list->nelts; i++) {
        s[i].data = (const char *) v[i].data;
        s[i].len = v[i].len;
    }

    *out = s;
    *n = list->nelts;

    return NGX_OK;
}


static ngx_int_t
ngx_http_badge_gate_deny(ngx_http_request_t *r, ngx_http_badge_ctx_t *ctx,
    ngx_int_t status, const char *code)
{
    size_t            len;
    ngx_table_elt_t  *h;

    len = ngx_strlen(code);

    ctx->gate_error.data = ngx_pnalloc(r->pool, len);
    if (ctx->gate_error.data == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_memcpy(ctx->gate_error.data, code, len);
    ctx->gate_error.len = len;

    ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                  "badge: access denied (%i): %V", status, &ctx->gate_error);

    h = ngx_list_push(&r->headers_out.headers);
    if (h == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    h->hash = 1;
    ngx_str_set(&h->key, "X-Badge-Error");
    h->value = ctx->gate_error;

    ctx->gate_status = status;

    return status;
}


/* the gate admits only issuers this location trusts */

static ngx_int_t
ngx_http_badge_trusted(ngx_http_badge_loc_conf_t *blcf, const char *issuer)
{
    size_t                   len;
    ngx_uint_t               i;
    ngx_http_badge_trust_t  *t;

    if (issuer == NULL || blcf->trust == NULL) {
        return 0;
    }

    len = ngx_strlen(issuer);
    t = blcf->trust->elts;

    for (i = 0; i < blcf->trust->nelts; i++) {
        if (!t[i].document && t[i].issuer.len == len
            && ngx_strncmp(t[i].issuer.data, issuer, len) == 0)
        {
            return 1;
        }
    }

    return 0;
}


static ngx_int_t
ngx_http_badge_get_credential(ngx_http_request_t *r,
    ngx_http_badge_loc_conf_t *blcf, ngx_str_t *cred)
{
    u_char                     *dst, *src;
    ngx_uint_t                  i;
    ngx_http_badge_source_t    *s;
    ngx_http_variable_value_t  *vv;

    s = blcf->sources->elts;

    for (i = 0; i < blcf->sources->nelts; i++) {

        vv = ngx_http_get_indexed_variable(r, s[i].index);

        if (vv == NULL) {
            return NGX_ERROR;
        }

        if (vv->not_found || vv->len == 0) {
            continue;
        }

        cred->data = vv->data;
        cred->len = vv->len;

        if (s[i].type == NGX_HTTP_BADGE_SRC_HEADER
            && cred->len > 7
            && ngx_strncasecmp(cred->data, (u_char *) "Bearer ", 7) == 0)
        {
            cred->data += 7;
            cred->len -= 7;

            while (cred->len && cred->data[0] == ' ') {
                cred->data++;
                cred->len--;
            }
        }

        if (s[i].type != NGX_HTTP_BADGE_SRC_HEADER
            && ngx_strlchr(cred->data, cred->data + cred->len, '%'))
        {
            /* cookie and argument values may be %-encoded */
            dst = ngx_pnalloc(r->pool, cred->len);
            if (dst == NULL) {
                return NGX_ERROR;
            }

            src = cred->data;
            cred->data = dst;
            ngx_unescape_uri(&dst, &src, cred->len, 0);
            cred->len = dst - cred->data;
        }

        if (cred->len == 0) {
            continue;
        }

        return NGX_OK;
    }

    return NGX_DECLINED;
}


/* badge_credential_from header:NAME | cookie:NAME | arg:NAME ...; */

char *
ngx_http_badge_credential_from(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_badge_loc_conf_t *blcf = conf;

    u_char                   *p;
    size_t                    plen;
    ngx_str_t                *value, name;
    ngx_uint_t                i, j, type;
    ngx_http_badge_source_t  *s;

    if (blcf->sources != NGX_CONF_UNSET_PTR) {
        return "is duplicate";
    }

    blcf->sources = ngx_array_create(cf->pool, cf->args->nelts - 1,
                                     sizeof(ngx_http_badge_source_t));
    if (blcf->sources == NULL) {
        return NGX_CONF_ERROR;
    }

    value = cf->args->elts;

    for (i = 1; i < cf->args->nelts; i++) {

        if (ngx_strncmp(value[i].data, "header:", 7) == 0) {
            type = NGX_HTTP_BADGE_SRC_HEADER;
            p = (u_char *) "http_";
            plen = 7;

        } else if (ngx_strncmp(value[i].data, "cookie:", 7) == 0) {
            type = NGX_HTTP_BADGE_SRC_COOKIE;
            p = (u_char *) "cookie_";
            plen = 7;

        } else if (ngx_strncmp(value[i].data, "arg:", 4) == 0) {
            type = NGX_HTTP_BADGE_SRC_ARG;
            p = (u_char *) "arg_";
            plen = 4;

        } else {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "invalid credential source \"%V\", expected "
                               "header:NAME, cookie:NAME or arg:NAME",
                               &value[i]);
            return NGX_CONF_ERROR;
        }

        if (value[i].len == plen) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "credential source \"%V\" has no name",
                               &value[i]);
            return NGX_CONF_ERROR;
        }

        /* header:X-Badge -> $http_x_badge, cookie:b -> $cookie_b */

        name.len = ngx_strlen(p) + value[i].len - plen;
        name.data = ngx_pnalloc(cf->pool, name.len);
        if (name.data == NULL) {
            return NGX_CONF_ERROR;
        }

        ngx_memcpy(name.data, p, ngx_strlen(p));

        for (j = 0; j < value[i].len - plen; j++) {
            u_char  c = value[i].data[plen + j];

            if (type == NGX_HTTP_BADGE_SRC_HEADER) {
                c = (c == '-') ? '_' : ngx_tolower(c);
            }

            name.data[ngx_strlen(p) + j] = c;
        }

        s = ngx_array_push(blcf->sources);
        if (s == NULL) {
            return NGX_CONF_ERROR;
        }

        s->type = type;
        s->name = name;

        s->index = ngx_http_get_variable_index(cf, &name);
        if (s->index == NGX_ERROR) {
            return NGX_CONF_ERROR;
        }
    }

    return NGX_CONF_OK;
}


ngx_int_t
ngx_http_badge_require_init(ngx_conf_t *cf)
{
    ngx_http_handler_pt        *h;
    ngx_http_core_main_conf_t  *cmcf;

    cmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_core_module);

    h = ngx_array_push(&cmcf->phases[NGX_HTTP_ACCESS_PHASE].handlers);
    if (h == NULL) {
        return NGX_ERROR;
    }

    *h = ngx_http_badge_access_handler;

    return ngx_http_badge_fetch_init(cf);
}
