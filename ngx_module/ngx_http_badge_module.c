
/*
 * ngx_http_badge_module: configuration, variables and the badge_verify
 * content handler.  See docs/nginx-directives.md.
 */


#include "ngx_http_badge_module.h"


#define NGX_HTTP_BADGE_MAX_FILE  (4 * 1024 * 1024)


static ngx_int_t ngx_http_badge_verify_handler(ngx_http_request_t *r);
static void ngx_http_badge_verify_body(ngx_http_request_t *r);
static void ngx_http_badge_verify_start(ngx_http_request_t *r,
    ngx_http_badge_ctx_t *ctx);
static void ngx_http_badge_verify_wake(ngx_http_request_t *r);
static ngx_int_t ngx_http_badge_verify_answer(ngx_http_request_t *r,
    ngx_http_badge_ctx_t *ctx);
static ngx_int_t ngx_http_badge_send(ngx_http_request_t *r,
    ngx_uint_t status, ngx_str_t *type, u_char *body, size_t len);
static ngx_int_t ngx_http_badge_send_error(ngx_http_request_t *r,
    ngx_uint_t status, const char *code, const char *message);
static ngx_int_t ngx_http_badge_send_err(ngx_http_request_t *r,
    badge_http_err_t e);
static ngx_int_t ngx_http_badge_send_page(ngx_http_request_t *r,
    ngx_uint_t status, badge_session_t *session, const char *code,
    const char *message);
static ngx_int_t ngx_http_badge_wants_html(ngx_http_request_t *r);
static u_char *ngx_http_badge_read_body(ngx_http_request_t *r,
    size_t *len);
static const char *ngx_http_badge_lang(ngx_http_request_t *r);
static void ngx_http_badge_session_cleanup(void *data);
static u_char *ngx_http_badge_trim_url(u_char *p, size_t len);

static ngx_int_t ngx_http_badge_add_variables(ngx_conf_t *cf);
static ngx_int_t ngx_http_badge_field_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data);
static ngx_int_t ngx_http_badge_verified_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data);
static ngx_int_t ngx_http_badge_error_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data);

static void *ngx_http_badge_create_loc_conf(ngx_conf_t *cf);
static char *ngx_http_badge_merge_loc_conf(ngx_conf_t *cf, void *parent,
    void *child);
static ngx_int_t ngx_http_badge_build_ctx(ngx_conf_t *cf,
    ngx_http_badge_loc_conf_t *conf);
static void ngx_http_badge_ctx_cleanup(void *data);
static ngx_int_t ngx_http_badge_read_file(ngx_conf_t *cf, ngx_str_t *name,
    ngx_str_t *body);

static char *ngx_http_badge_verify(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_badge_trusted_issuer(ngx_conf_t *cf,
    ngx_command_t *cmd, void *conf);
static char *ngx_http_badge_trusted_key(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_badge_document(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_badge_fetch(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_badge_str_list(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);


static ngx_conf_num_bounds_t  ngx_http_badge_max_documents_bounds = {
    ngx_conf_check_num_bounds, 0, 256
};


static ngx_command_t  ngx_http_badge_commands[] = {

    { ngx_string("badge_verify"),
      NGX_HTTP_LOC_CONF|NGX_CONF_NOARGS,
      ngx_http_badge_verify,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("badge_max_input"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_size_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_badge_loc_conf_t, max_input),
      NULL },

    { ngx_string("badge_clock_skew"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_sec_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_badge_loc_conf_t, clock_skew),
      NULL },

    { ngx_string("badge_require_trusted"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_badge_loc_conf_t, require_trusted),
      NULL },

    { ngx_string("badge_trusted_issuer"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_http_badge_trusted_issuer,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("badge_trusted_key"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF
                        |NGX_CONF_TAKE23,
      ngx_http_badge_trusted_key,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("badge_document"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE2,
      ngx_http_badge_document,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("badge_fetch"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_badge_fetch,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("badge_fetch_max_size"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_size_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_badge_loc_conf_t, fetch_max_size),
      NULL },

    { ngx_string("badge_fetch_max_documents"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_num_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_badge_loc_conf_t, fetch_max_documents),
      &ngx_http_badge_max_documents_bounds },

    { ngx_string("badge_fetch_allow_private"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_badge_loc_conf_t, fetch_allow_private),
      NULL },

    { ngx_string("badge_fetch_allow_http"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_badge_loc_conf_t, fetch_allow_http),
      NULL },

    { ngx_string("badge_require"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_badge_loc_conf_t, require),
      NULL },

    { ngx_string("badge_credential_from"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_http_badge_credential_from,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("badge_require_issuer"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_http_badge_str_list,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_badge_loc_conf_t, require_issuers),
      NULL },

    { ngx_string("badge_require_achievement"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_http_badge_str_list,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_badge_loc_conf_t, require_achievements),
      NULL },

    { ngx_string("badge_issuer_key"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_badge_issuer_key,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("badge_issuer_did"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_badge_loc_conf_t, issuer_did),
      NULL },

    { ngx_string("badge_cache_control"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_badge_loc_conf_t, cache_control),
      NULL },

    { ngx_string("badge_did_document"),
      NGX_HTTP_LOC_CONF|NGX_CONF_NOARGS,
      ngx_http_badge_did_document,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("badge_status_list"),
      NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_http_badge_status_list,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("badge_ob2_hosting"),
      NGX_HTTP_LOC_CONF|NGX_CONF_TAKE12,
      ngx_http_badge_ob2_hosting,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("badge_page"),
      NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_badge_page,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("badge_page_index"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_badge_loc_conf_t, page_index),
      NULL },

    { ngx_string("badge_cache"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_http_badge_cache,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("badge_page_template"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_badge_page_template,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

      ngx_null_command
};


static ngx_http_module_t  ngx_http_badge_module_ctx = {
    ngx_http_badge_add_variables,          /* preconfiguration */
    ngx_http_badge_require_init,           /* postconfiguration */

    NULL,                                  /* create main configuration */
    NULL,                                  /* init main configuration */

    NULL,                                  /* create server configuration */
    NULL,                                  /* merge server configuration */

    ngx_http_badge_create_loc_conf,        /* create location configuration */
    ngx_http_badge_merge_loc_conf          /* merge location configuration */
};


ngx_module_t  ngx_http_badge_module = {
    NGX_MODULE_V1,
    &ngx_http_badge_module_ctx,            /* module context */
    ngx_http_badge_commands,               /* module directives */
    NGX_HTTP_MODULE,                       /* module type */
    NULL,                                  /* init master */
    NULL,                                  /* init module */
    NULL,                                  /* init process */
    NULL,                                  /* init thread */
    NULL,                                  /* exit thread */
    NULL,                                  /* exit process */
    NULL,                                  /* exit master */
    NGX_MODULE_V1_PADDING
};


static ngx_http_variable_t  ngx_http_badge_vars[] = {

    { ngx_string("badge_verified"), NULL,
      ngx_http_badge_verified_variable, 0,
      NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("badge_status"), NULL,
      ngx_http_badge_field_variable, BADGE_FIELD_STATUS,
      NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("badge_format"), NULL,
      ngx_http_badge_field_variable, BADGE_FIELD_FORMAT,
      NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("badge_issuer"), NULL,
      ngx_http_badge_field_variable, BADGE_FIELD_ISSUER,
      NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("badge_issuer_name"), NULL,
      ngx_http_badge_field_variable, BADGE_FIELD_ISSUER_NAME,
      NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("badge_subject"), NULL,
      ngx_http_badge_field_variable, BADGE_FIELD_SUBJECT,
      NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("badge_achievement"), NULL,
      ngx_http_badge_field_variable, BADGE_FIELD_ACHIEVEMENT,
      NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("badge_achievement_name"), NULL,
      ngx_http_badge_field_variable, BADGE_FIELD_ACHIEVEMENT_NAME,
      NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("badge_credential_id"), NULL,
      ngx_http_badge_field_variable, BADGE_FIELD_CREDENTIAL_ID,
      NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("badge_valid_until"), NULL,
      ngx_http_badge_field_variable, BADGE_FIELD_VALID_UNTIL,
      NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("badge_error"), NULL,
      ngx_http_badge_error_variable, 0,
      NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("badge_fetch_url"), NULL,
      ngx_http_badge_fetch_variable, 0,
      NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("badge_fetch_host"), NULL,
      ngx_http_badge_fetch_variable, 1,
      NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("badge_fetch_uri"), NULL,
      ngx_http_badge_fetch_variable, 2,
      NGX_HTTP_VAR_NOCACHEABLE, 0 },

      ngx_http_null_variable
};


static ngx_str_t  ngx_http_badge_json_type =
    ngx_string("application/json; charset=utf-8");


/* ------------------------------------------------------------------ */
/* badge_verify                                                         */


static ngx_int_t
ngx_http_badge_verify_handler(ngx_http_request_t *r)
{
    u_char                     *dst, *src;
    ngx_int_t                   rc;
    ngx_str_t                   arg;
    ngx_table_elt_t            *h;
    ngx_http_badge_ctx_t       *ctx;
    ngx_http_badge_loc_conf_t  *blcf;

    blcf = ngx_http_get_module_loc_conf(r, ngx_http_badge_module);

    if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD|NGX_HTTP_POST))) {

        rc = ngx_http_discard_request_body(r);
        if (rc != NGX_OK) {
            return rc;
        }

        h = ngx_list_push(&r->headers_out.headers);
        if (h == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        h->hash = 1;
        ngx_str_set(&h->key, "Allow");
        ngx_str_set(&h->value, "GET, HEAD, POST");

        return ngx_http_badge_send_error(r, NGX_HTTP_NOT_ALLOWED,
                                     badge_http_err_code(BADGE_HTTP_METHOD),
                                     "use POST with the credential as the "
                                     "request body, or GET with ?url=");
    }

    if (r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD)) {

        rc = ngx_http_discard_request_body(r);
        if (rc != NGX_OK) {
            return rc;
        }

        if (ngx_http_arg(r, (u_char *) "url", 3, &arg) != NGX_OK
            || arg.len == 0)
        {
            if (ngx_http_badge_wants_html(r)) {
                /* a browser: the verify page, its form empty */
                return ngx_http_badge_send_page(r, NGX_HTTP_OK, NULL, NULL,
                                                NULL);
            }

            return ngx_http_badge_send_err(r, BADGE_HTTP_NO_INPUT);
        }

        ctx = ngx_http_badge_create_ctx(r, blcf);
        if (ctx == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        ctx->html = ngx_http_badge_wants_html(r);

        /* NUL-terminated, %-decoded */
        dst = ngx_pnalloc(r->pool, arg.len + 1);
        if (dst == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        src = arg.data;
        arg.data = dst;
        ngx_unescape_uri(&dst, &src, arg.len, 0);

        ctx->url.data = ngx_http_badge_trim_url(arg.data, dst - arg.data);
        ctx->url.len = ngx_strlen(ctx->url.data);

        if (badge_session_set_input_url(ctx->session,
                                        (char *) ctx->url.data)
            != 0)
        {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        /* what ngx_http_read_client_request_body() does for POST */
        r->main->count++;

        ngx_http_badge_verify_start(r, ctx);

        return NGX_DONE;
    }

    /* POST: refuse early what would be refused after reading */

    h = r->headers_in.content_type;

    if (h != NULL
        && !badge_http_content_type_ok((char *) h->value.data, h->value.len))
    {
        rc = ngx_http_discard_request_body(r);
        if (rc != NGX_OK) {
            return rc;
        }

        return ngx_http_badge_send_err(r, BADGE_HTTP_MEDIA_TYPE);
    }

    if (r->headers_in.content_length_n > (off_t) blcf->max_input) {
        ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                      "badge: request body of %O bytes is over "
                      "badge_max_input %uz",
                      r->headers_in.content_length_n, blcf->max_input);

        rc = ngx_http_discard_request_body(r);
        if (rc != NGX_OK) {
            return rc;
        }

        return ngx_http_badge_send_err(r, BADGE_HTTP_TOO_LARGE);
    }

    rc = ngx_http_read_client_request_body(r, ngx_http_badge_verify_body);

    if (rc >= NGX_HTTP_SPECIAL_RESPONSE) {
        return rc;
    }

    return NGX_DONE;
}


static void
ngx_http_badge_verify_body(ngx_http_request_t *r)
{
    u_char                     *body, *scratch;
    size_t                      len;
    ngx_str_t                   type;
    badge_http_err_t            e;
    badge_http_input_t          in;
    ngx_http_badge_ctx_t       *ctx;
    ngx_http_badge_loc_conf_t  *blcf;

    blcf = ngx_http_get_module_loc_conf(r, ngx_http_badge_module);

    if (r->connection->error) {
        ngx_http_finalize_request(r, NGX_HTTP_CLIENT_CLOSED_REQUEST);
        return;
    }

    body = ngx_http_badge_read_body(r, &len);
    if (body == NULL) {
        ngx_http_finalize_request(r,
                         ngx_http_badge_send_err(r, BADGE_HTTP_BAD_REQUEST));
        return;
    }

    if (len > blcf->max_input) {
        /* a chunked body, whose length was not known in advance */
        ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                      "badge: request body of %uz bytes is over "
                      "badge_max_input %uz", len, blcf->max_input);
        ngx_http_finalize_request(r,
                           ngx_http_badge_send_err(r, BADGE_HTTP_TOO_LARGE));
        return;
    }

    if (r->headers_in.content_type) {
        type = r->headers_in.content_type->value;

    } else {
        ngx_str_null(&type);
    }

    scratch = ngx_pnalloc(r->pool, len + 1);
    if (scratch == NULL) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    /* the body itself, a form's "credential" or "file" field, or its
     * "url" field: verify what the URL holds */
    e = badge_http_extract_input((char *) type.data, type.len, (char *) body,
                                 len, (char *) scratch, &in);

    if (e != BADGE_HTTP_OK) {
        ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                      "badge: refused request body: %s",
                      badge_http_err_code(e));
        ngx_http_finalize_request(r, ngx_http_badge_send_err(r, e));
        return;
    }

    ctx = ngx_http_badge_create_ctx(r, blcf);
    if (ctx == NULL) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    ctx->html = ngx_http_badge_wants_html(r);

    if (in.url) {
        ctx->url.data = (u_char *) in.url;
        ctx->url.len = ngx_strlen(in.url);
    }

    if ((in.url ? badge_session_set_input_url(ctx->session, in.url)
                : badge_session_set_input(ctx->session, in.data, in.len))
        != 0)
    {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    ngx_http_badge_verify_start(r, ctx);
}


static void
ngx_http_badge_verify_start(ngx_http_request_t *r, ngx_http_badge_ctx_t *ctx)
{
    ngx_int_t  rc;

    rc = ngx_http_badge_drive(r, ctx);

    if (rc == NGX_AGAIN) {
        /* the request is posted as each subrequest ends */
        r->write_event_handler = ngx_http_badge_verify_wake;
        return;
    }

    ngx_http_finalize_request(r, ngx_http_badge_verify_answer(r, ctx));
}


static void
ngx_http_badge_verify_wake(ngx_http_request_t *r)
{
    ngx_http_badge_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_http_badge_module);

    ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "badge verify wake, pending: %ui",
                   ctx ? ctx->pending : 0);

    if (ctx == NULL) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    if (ctx->pending) {
        return;
    }

    ngx_http_badge_verify_start(r, ctx);
}


static ngx_int_t
ngx_http_badge_verify_answer(ngx_http_request_t *r, ngx_http_badge_ctx_t *ctx)
{
    size_t       len;
    const char  *json;
    ngx_uint_t   status;

    if (!ctx->done) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "badge: verification failed: no report "
                      "(out of memory?)");
        return ngx_http_badge_send_err(r, BADGE_HTTP_INTERNAL);
    }

    json = badge_session_report_json(ctx->session, &len);
    if (json == NULL) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "badge: no report (out of memory?)");
        return ngx_http_badge_send_err(r, BADGE_HTTP_INTERNAL);
    }

    status = badge_http_report_status(ctx->session);

    ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "badge verify: status %ui, verified %d", status,
                   badge_session_verified(ctx->session));

    if (ctx->html) {
        return ngx_http_badge_send_page(r, status, ctx->session, NULL, NULL);
    }

    return ngx_http_badge_send(r, status, &ngx_http_badge_json_type,
                               (u_char *) json, len);
}


static ngx_int_t
ngx_http_badge_send(ngx_http_request_t *r, ngx_uint_t status,
    ngx_str_t *type, u_char *body, size_t len)
{
    ngx_int_t         rc;
    ngx_buf_t        *b;
    ngx_chain_t       out;
    ngx_table_elt_t  *h;

    r->headers_out.status = status;
    r->headers_out.content_type = *type;
    r->headers_out.content_type_len = type->len;
    r->headers_out.content_type_lowcase = NULL;
    r->headers_out.content_length_n = len;

    if (r->headers_out.content_length) {
        r->headers_out.content_length->hash = 0;
        r->headers_out.content_length = NULL;
    }

    /* a verification result is about now, and may carry personal data */
    h = ngx_list_push(&r->headers_out.headers);
    if (h == NULL) {
        return NGX_ERROR;
    }

    h->hash = 1;
    ngx_str_set(&h->key, "Cache-Control");
    ngx_str_set(&h->value, "no-store");

    /* JSON or the page, in English or Japanese */
    h = ngx_list_push(&r->headers_out.headers);
    if (h == NULL) {
        return NGX_ERROR;
    }

    h->hash = 1;
    ngx_str_set(&h->key, "Vary");
    ngx_str_set(&h->value, "Accept, Accept-Language");

    if (len == 0) {
        r->header_only = 1;
    }

    rc = ngx_http_send_header(r);

    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
        return rc;
    }

    b = ngx_calloc_buf(r->pool);
    if (b == NULL) {
        return NGX_ERROR;
    }

    b->pos = body;
    b->last = body + len;
    b->memory = 1;
    b->last_buf = (r == r->main) ? 1 : 0;
    b->last_in_chain = 1;

    out.buf = b;
    out.next = NULL;

    return ngx_http_output_filter(r, &out);
}


static ngx_int_t
ngx_http_badge_send_error(ngx_http_request_t *r, ngx_uint_t status,
    const char *code, const char *message)
{
    u_char  *p;
    size_t   len;

    if (ngx_http_badge_wants_html(r)) {
        return ngx_http_badge_send_page(r, status, NULL, code, message);
    }

    len = badge_http_error_json(NULL, 0, code, message);

    p = ngx_pnalloc(r->pool, len + 1);
    if (p == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    (void) badge_http_error_json((char *) p, len + 1, code, message);

    return ngx_http_badge_send(r, status, &ngx_http_badge_json_type, p, len);
}


static ngx_int_t
ngx_http_badge_send_err(ngx_http_request_t *r, badge_http_err_t e)
{
    return ngx_http_badge_send_error(r, badge_http_err_status(e),
                                     badge_http_err_code(e),
                                     badge_http_err_message(e));
}


static void *
ngx_http_badge_palloc(void *pool, size_t n)
{
    return ngx_pnalloc(pool, n);
}


/* the verify page (src/verify_page.c): the form, and a result or an error */

static ngx_int_t
ngx_http_badge_send_page(ngx_http_request_t *r, ngx_uint_t status,
    badge_session_t *session, const char *code, const char *message)
{
    u_char                *p;
    size_t                 len;
    ngx_table_elt_t       *h;
    badge_verify_page_t    page;
    ngx_http_badge_ctx_t  *ctx;

    static ngx_str_t  type = ngx_string(BADGE_VERIFY_PAGE_TYPE);

    ngx_memzero(&page, sizeof(badge_verify_page_t));

    /* the form posts back here: the location's own path */
    p = ngx_pnalloc(r->pool, r->uri.len + 1);
    if (p == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    *ngx_cpymem(p, r->uri.data, r->uri.len) = '\0';

    page.action = (char *) p;
    page.lang = ngx_http_badge_lang(r);
    page.error_code = code;
    page.error_message = message;

    ctx = ngx_http_get_module_ctx(r, ngx_http_badge_module);

    if (ctx && ctx->url.len) {
        page.url = (char *) ctx->url.data;
    }

    p = (u_char *) badge_verify_page_html(session, &page,
                                          ngx_http_badge_palloc, r->pool,
                                          &len);
    if (p == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    h = ngx_list_push(&r->headers_out.headers);
    if (h == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    h->hash = 1;
    ngx_str_set(&h->key, "Content-Security-Policy");
    ngx_str_set(&h->value, BADGE_VERIFY_PAGE_CSP);

    h = ngx_list_push(&r->headers_out.headers);
    if (h == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    h->hash = 1;
    ngx_str_set(&h->key, "X-Content-Type-Options");
    ngx_str_set(&h->value, "nosniff");

    h = ngx_list_push(&r->headers_out.headers);
    if (h == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    h->hash = 1;
    ngx_str_set(&h->key, "Referrer-Policy");
    ngx_str_set(&h->value, "no-referrer");

    return ngx_http_badge_send(r, status, &type, p, len);
}


/* a browser asks for the page, a program for JSON (Accept) */

static ngx_int_t
ngx_http_badge_wants_html(ngx_http_request_t *r)
{
    ngx_table_elt_t  *h;

#if (NGX_HTTP_HEADERS)
    h = r->headers_in.accept;
#else
    h = NULL;
#endif

    if (h == NULL) {
        return 0;
    }

    return badge_http_wants_html((char *) h->value.data, h->value.len);
}


/* The whole request body in one buffer, NUL-terminated; "" if none. */

static u_char *
ngx_http_badge_read_body(ngx_http_request_t *r, size_t *len)
{
    u_char       *p, *body;
    off_t         size;
    ssize_t       n;
    ngx_buf_t    *b;
    ngx_chain_t  *cl;

    *len = 0;

    if (r->request_body == NULL || r->request_body->bufs == NULL) {
        return (u_char *) "";
    }

    size = 0;

    for (cl = r->request_body->bufs; cl; cl = cl->next) {
        size += ngx_buf_size(cl->buf);
    }

    if (size < 0 || size > NGX_MAX_SIZE_T_VALUE - 1) {
        return NULL;
    }

    body = ngx_pnalloc(r->pool, (size_t) size + 1);
    if (body == NULL) {
        return NULL;
    }

    p = body;

    for (cl = r->request_body->bufs; cl; cl = cl->next) {
        b = cl->buf;

        if (b->in_file) {
            /* a body bigger than client_body_buffer_size */
            n = ngx_read_file(b->file, p, (size_t) (b->file_last
                                                    - b->file_pos),
                              b->file_pos);

            if (n != b->file_last - b->file_pos) {
                ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                              "badge: could not read the request body "
                              "from \"%V\"", &b->file->name);
                return NULL;
            }

            p += n;
            continue;
        }

        /* the last buffer of a chunked body may be empty, pos NULL */
        if (b->last != b->pos) {
            p = ngx_cpymem(p, b->pos, b->last - b->pos);
        }
    }

    *p = '\0';
    *len = p - body;

    return body;
}


/* a pasted URL, without the white space around it; NUL-terminated in
 * place (p has room for len + 1 bytes) */

static u_char *
ngx_http_badge_trim_url(u_char *p, size_t len)
{
    while (len && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) {
        p++;
        len--;
    }

    while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'
                   || p[len - 1] == '\r' || p[len - 1] == '\n'))
    {
        len--;
    }

    p[len] = '\0';

    return p;
}


/* ?lang=ja|en, else Accept-Language */

static const char *
ngx_http_badge_lang(ngx_http_request_t *r)
{
    ngx_str_t         arg;
    ngx_table_elt_t  *h;

    if (ngx_http_arg(r, (u_char *) "lang", 4, &arg) == NGX_OK) {
        if (arg.len == 2 && ngx_strncasecmp(arg.data, (u_char *) "ja", 2)
                            == 0)
        {
            return "ja";
        }

        if (arg.len == 2 && ngx_strncasecmp(arg.data, (u_char *) "en", 2)
                            == 0)
        {
            return "en";
        }
    }

#if (NGX_HTTP_HEADERS)
    h = r->headers_in.accept_language;
#else
    h = NULL;
#endif

    if (h == NULL) {
        return "en";
    }

    return badge_http_lang((char *) h->value.data, h->value.len);
}


static void
ngx_http_badge_session_cleanup(void *data)
{
    ngx_http_badge_ctx_t  *ctx = data;

    badge_session_free(ctx->session);
    ctx->session = NULL;
}


ngx_http_badge_ctx_t *
ngx_http_badge_create_ctx(ngx_http_request_t *r,
    ngx_http_badge_loc_conf_t *conf)
{
    ngx_pool_cleanup_t    *cln;
    badge_verify_opts_t    opts;
    ngx_http_badge_ctx_t  *ctx;

    if (conf->ctx == NULL) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "badge: no configuration in this location");
        return NULL;
    }

    ctx = ngx_pcalloc(r->pool, sizeof(ngx_http_badge_ctx_t));
    if (ctx == NULL) {
        return NULL;
    }

    cln = ngx_pool_cleanup_add(r->pool, 0);
    if (cln == NULL) {
        return NULL;
    }

    ngx_memzero(&opts, sizeof(badge_verify_opts_t));
    opts.lang = ngx_http_badge_lang(r);

    ctx->session = badge_session_new(conf->ctx, &opts);
    if (ctx->session == NULL) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "badge: could not create a session");
        return NULL;
    }

    cln->handler = ngx_http_badge_session_cleanup;
    cln->data = ctx;

    ctx->conf = conf;
    ctx->gate_status = NGX_DECLINED;

    ngx_http_set_ctx(r, ctx, ngx_http_badge_module);

    return ctx;
}


/* ------------------------------------------------------------------ */
/* variables                                                            */


static ngx_int_t
ngx_http_badge_add_variables(ngx_conf_t *cf)
{
    ngx_http_variable_t  *var, *v;

    for (v = ngx_http_badge_vars; v->name.len; v++) {
        var = ngx_http_add_variable(cf, &v->name, v->flags);
        if (var == NULL) {
            return NGX_ERROR;
        }

        var->get_handler = v->get_handler;
        var->data = v->data;
    }

    return NGX_OK;
}


static ngx_http_badge_ctx_t *
ngx_http_badge_report_ctx(ngx_http_request_t *r)
{
    ngx_http_badge_ctx_t  *ctx;

    ngx_pool_cleanup_t    *cln;

    ctx = ngx_http_get_module_ctx(r, ngx_http_badge_module);

    if ((ctx == NULL || ctx->fetch) && r != r->main) {
        ctx = ngx_http_get_module_ctx(r->main, ngx_http_badge_module);
    }

    if (ctx == NULL) {
        /*
         * an internal redirect (error_page 401 = /denied) clears the
         * module contexts; the session cleanup still knows the last one,
         * as ngx_http_realip_module finds its own
         */
        for (cln = r->main->pool->cleanup; cln; cln = cln->next) {
            if (cln->handler == ngx_http_badge_session_cleanup) {
                ctx = cln->data;
                break;
            }
        }
    }

    if (ctx == NULL || ctx->fetch) {
        return NULL;
    }

    return ctx;
}


static ngx_int_t
ngx_http_badge_set_cstr(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, const char *s)
{
    size_t  len;

    if (s == NULL) {
        v->not_found = 1;
        return NGX_OK;
    }

    len = ngx_strlen(s);

    v->data = ngx_pnalloc(r->pool, len);
    if (v->data == NULL) {
        return NGX_ERROR;
    }

    ngx_memcpy(v->data, s, len);

    v->len = len;
    v->valid = 1;
    v->no_cacheable = 1;
    v->not_found = 0;

    return NGX_OK;
}


static ngx_int_t
ngx_http_badge_field_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data)
{
    ngx_http_badge_ctx_t  *ctx;

    ctx = ngx_http_badge_report_ctx(r);

    if (ctx == NULL || !ctx->done) {
        v->not_found = 1;
        return NGX_OK;
    }

    return ngx_http_badge_set_cstr(r, v,
                  badge_session_field(ctx->session, (badge_field_t) data));
}


static ngx_int_t
ngx_http_badge_verified_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data)
{
    ngx_http_badge_ctx_t  *ctx;

    ctx = ngx_http_badge_report_ctx(r);

    if (ctx == NULL || (!ctx->done && ctx->gate_status == NGX_DECLINED)) {
        v->not_found = 1;
        return NGX_OK;
    }

    return ngx_http_badge_set_cstr(r, v,
                          ctx->done && badge_session_verified(ctx->session)
                          ? "1" : "0");
}


static ngx_int_t
ngx_http_badge_error_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data)
{
    u_char                *p;
    ngx_http_badge_ctx_t  *ctx;

    ctx = ngx_http_badge_report_ctx(r);

    if (ctx == NULL) {
        v->not_found = 1;
        return NGX_OK;
    }

    if (ctx->gate_error.len) {
        v->data = ctx->gate_error.data;
        v->len = ctx->gate_error.len;
        v->valid = 1;
        v->no_cacheable = 1;
        v->not_found = 0;
        return NGX_OK;
    }

    if (!ctx->done) {
        v->not_found = 1;
        return NGX_OK;
    }

    p = (u_char *) badge_session_field(ctx->session, BADGE_FIELD_ERROR);

    return ngx_http_badge_set_cstr(r, v, (char *) p);
}


/* ------------------------------------------------------------------ */
/* configuration                                                        */


static void *
ngx_http_badge_create_loc_conf(ngx_conf_t *cf)
{
    ngx_http_badge_loc_conf_t  *conf;

    conf = ngx_pcalloc(cf->pool, sizeof(ngx_http_badge_loc_conf_t));
    if (conf == NULL) {
        return NULL;
    }

    /*
     * set by ngx_pcalloc():
     *
     *     conf->ctx = NULL;
     *     conf->fetch = { 0, NULL };
     */

    conf->trust = NGX_CONF_UNSET_PTR;
    conf->max_input = NGX_CONF_UNSET_SIZE;
    conf->clock_skew = NGX_CONF_UNSET;
    conf->require_trusted = NGX_CONF_UNSET;
    conf->fetch_max_size = NGX_CONF_UNSET_SIZE;
    conf->fetch_max_documents = NGX_CONF_UNSET_UINT;
    conf->fetch_allow_private = NGX_CONF_UNSET;
    conf->fetch_allow_http = NGX_CONF_UNSET;
    conf->verify = NGX_CONF_UNSET;
    conf->require = NGX_CONF_UNSET;
    conf->sources = NGX_CONF_UNSET_PTR;
    conf->require_issuers = NGX_CONF_UNSET_PTR;
    conf->require_achievements = NGX_CONF_UNSET_PTR;
    conf->issuer_key = NGX_CONF_UNSET_PTR;
    conf->page_template = NGX_CONF_UNSET_PTR;
    conf->page_index = NGX_CONF_UNSET;
    conf->cache = NGX_CONF_UNSET_PTR;
    conf->did_document = NGX_CONF_UNSET;

    conf->fetch.data = NULL;

    return conf;
}


static char *
ngx_http_badge_merge_loc_conf(ngx_conf_t *cf, void *parent, void *child)
{
    ngx_http_badge_loc_conf_t  *prev = parent;
    ngx_http_badge_loc_conf_t  *conf = child;

    ngx_http_badge_source_t   *src;

    ngx_conf_merge_ptr_value(conf->trust, prev->trust, NULL);
    ngx_conf_merge_size_value(conf->max_input, prev->max_input,
                              1024 * 1024);
    ngx_conf_merge_sec_value(conf->clock_skew, prev->clock_skew, 300);
    ngx_conf_merge_value(conf->require_trusted, prev->require_trusted, 0);

    if (conf->fetch.data == NULL) {
        conf->fetch = prev->fetch;
    }

    if (conf->fetch.data == NULL) {
        ngx_str_set(&conf->fetch, "");
    }

    ngx_conf_merge_size_value(conf->fetch_max_size, prev->fetch_max_size,
                              2 * 1024 * 1024);
    ngx_conf_merge_uint_value(conf->fetch_max_documents,
                              prev->fetch_max_documents, 16);
    ngx_conf_merge_value(conf->fetch_allow_private,
                         prev->fetch_allow_private, 0);
    ngx_conf_merge_value(conf->fetch_allow_http, prev->fetch_allow_http, 0);

    /* badge_verify is a content handler: not inherited */
    if (conf->verify == NGX_CONF_UNSET) {
        conf->verify = 0;
    }

    ngx_conf_merge_value(conf->require, prev->require, 0);
    ngx_conf_merge_ptr_value(conf->require_issuers, prev->require_issuers,
                             NULL);
    ngx_conf_merge_ptr_value(conf->require_achievements,
                             prev->require_achievements, NULL);

    if (conf->sources == NGX_CONF_UNSET_PTR) {
        conf->sources = prev->sources;
    }

    if (conf->sources == NGX_CONF_UNSET_PTR) {
        /* default: badge_credential_from header:Authorization */
        conf->sources = ngx_array_create(cf->pool, 1,
                                         sizeof(ngx_http_badge_source_t));
        if (conf->sources == NULL) {
            return NGX_CONF_ERROR;
        }

        src = ngx_array_push(conf->sources);
        if (src == NULL) {
            return NGX_CONF_ERROR;
        }

        src->type = 0;
        ngx_str_set(&src->name, "http_authorization");

        src->index = ngx_http_get_variable_index(cf, &src->name);
        if (src->index == NGX_ERROR) {
            return NGX_CONF_ERROR;
        }

        prev->sources = conf->sources;
    }

    if (ngx_http_badge_issuer_merge(cf, prev, conf) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    ngx_conf_merge_ptr_value(conf->page_template, prev->page_template, NULL);
    ngx_conf_merge_value(conf->page_index, prev->page_index, 0);
    ngx_conf_merge_ptr_value(conf->cache, prev->cache, NULL);

    if (!conf->verify && !conf->require && conf->page_dir.len == 0) {
        /* nothing to verify here: a nested location builds its own */
        return NGX_CONF_OK;
    }

    if (conf->require && conf->trust == NULL) {
        ngx_conf_log_error(NGX_LOG_WARN, cf, 0,
                           "\"badge_require\" without "
                           "\"badge_trusted_issuer\" or \"badge_trusted_key\""
                           " admits nobody");
    }

    /* share the parent's badge_ctx_t when nothing here differs */
    if (prev->ctx
        && conf->trust == prev->trust
        && conf->max_input == prev->max_input
        && conf->clock_skew == prev->clock_skew
        && conf->require_trusted == prev->require_trusted
        && conf->require == prev->require
        && conf->fetch_max_size == prev->fetch_max_size
        && conf->fetch_max_documents == prev->fetch_max_documents
        && conf->fetch_allow_private == prev->fetch_allow_private
        && conf->fetch_allow_http == prev->fetch_allow_http)
    {
        conf->ctx = prev->ctx;
        return NGX_CONF_OK;
    }

    if (ngx_http_badge_build_ctx(cf, conf) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    return NGX_CONF_OK;
}


static ngx_int_t
ngx_http_badge_build_ctx(ngx_conf_t *cf, ngx_http_badge_loc_conf_t *conf)
{
    char                     err[256];
    u_char                  *issuer, *kid;
    ngx_uint_t               i;
    badge_ctx_t             *ctx;
    ngx_pool_cleanup_t      *cln;
    ngx_http_badge_trust_t  *t;

    cln = ngx_pool_cleanup_add(cf->pool, 0);
    if (cln == NULL) {
        return NGX_ERROR;
    }

    ctx = badge_ctx_new();
    if (ctx == NULL) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "badge: could not create a verification context");
        return NGX_ERROR;
    }

    cln->handler = ngx_http_badge_ctx_cleanup;
    cln->data = ctx;

    if (badge_ctx_set_option(ctx, BADGE_OPT_CLOCK_SKEW,
                             (long) conf->clock_skew) != 0
        || badge_ctx_set_option(ctx, BADGE_OPT_MAX_INPUT,
                                (long) conf->max_input) != 0
        || badge_ctx_set_option(ctx, BADGE_OPT_MAX_DOCUMENT,
                                (long) conf->fetch_max_size) != 0
        || badge_ctx_set_option(ctx, BADGE_OPT_MAX_FETCHES,
                                (long) conf->fetch_max_documents) != 0
        || badge_ctx_set_option(ctx, BADGE_OPT_REQUIRE_TRUSTED,
                                conf->require_trusted || conf->require) != 0
        || badge_ctx_set_option(ctx, BADGE_OPT_ALLOW_PRIVATE_URLS,
                                conf->fetch_allow_private) != 0
        || badge_ctx_set_option(ctx, BADGE_OPT_ALLOW_HTTP,
                                conf->fetch_allow_http) != 0)
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "badge: invalid option value");
        return NGX_ERROR;
    }

    if (conf->trust) {
        t = conf->trust->elts;

        for (i = 0; i < conf->trust->nelts; i++) {

            /* the strings were NUL-terminated by the directive handlers */
            issuer = t[i].issuer.len ? t[i].issuer.data : NULL;
            kid = t[i].kid.len ? t[i].kid.data : NULL;
            err[0] = '\0';

            if (t[i].document) {
                if (badge_ctx_add_document(ctx, (char *) issuer,
                                           t[i].body.data, t[i].body.len,
                                           err, sizeof(err))
                    != 0)
                {
                    ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                                       "badge_document \"%V\" \"%V\": %s",
                                       &t[i].issuer, &t[i].file, err);
                    return NGX_ERROR;
                }

                continue;
            }

            if (t[i].file.len == 0) {
                if (badge_ctx_trust_issuer(ctx, (char *) issuer, err,
                                           sizeof(err))
                    != 0)
                {
                    ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                                       "badge_trusted_issuer \"%V\": %s",
                                       &t[i].issuer, err);
                    return NGX_ERROR;
                }

                continue;
            }

            if (badge_ctx_add_key(ctx, (char *) issuer, (char *) kid,
                                  t[i].body.data, t[i].body.len, err,
                                  sizeof(err))
                != 0)
            {
                ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                                   "badge_trusted_key \"%V\" \"%V\": %s",
                                   &t[i].issuer, &t[i].file, err);
                return NGX_ERROR;
            }
        }
    }

    conf->ctx = ctx;

    return NGX_OK;
}


static void
ngx_http_badge_ctx_cleanup(void *data)
{
    badge_ctx_free(data);
}


static ngx_http_badge_trust_t *
ngx_http_badge_push_trust(ngx_conf_t *cf, ngx_http_badge_loc_conf_t *blcf)
{
    ngx_http_badge_trust_t  *t;

    if (blcf->trust == NGX_CONF_UNSET_PTR || blcf->trust == NULL) {
        blcf->trust = ngx_array_create(cf->pool, 4,
                                       sizeof(ngx_http_badge_trust_t));
        if (blcf->trust == NULL) {
            return NULL;
        }
    }

    t = ngx_array_push(blcf->trust);
    if (t == NULL) {
        return NULL;
    }

    ngx_memzero(t, sizeof(ngx_http_badge_trust_t));

    return t;
}


static char *
ngx_http_badge_verify(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_badge_loc_conf_t *blcf = conf;

    ngx_http_core_loc_conf_t  *clcf;

    if (blcf->verify != NGX_CONF_UNSET) {
        return "is duplicate";
    }

    blcf->verify = 1;

    clcf = ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module);
    clcf->handler = ngx_http_badge_verify_handler;

    return NGX_CONF_OK;
}


static char *
ngx_http_badge_trusted_issuer(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_badge_loc_conf_t *blcf = conf;

    ngx_str_t               *value;
    ngx_uint_t               i;
    ngx_http_badge_trust_t  *t;

    value = cf->args->elts;

    for (i = 1; i < cf->args->nelts; i++) {

        if (ngx_strncmp(value[i].data, "did:", 4) != 0
            && ngx_strncmp(value[i].data, "https://", 8) != 0
            && ngx_strncmp(value[i].data, "http://", 7) != 0)
        {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "invalid issuer \"%V\": a trusted issuer is "
                               "a DID or an http(s) URL", &value[i]);
            return NGX_CONF_ERROR;
        }

        t = ngx_http_badge_push_trust(cf, blcf);
        if (t == NULL) {
            return NGX_CONF_ERROR;
        }

        /* cf->args values are NUL-terminated */
        t->issuer = value[i];
    }

    return NGX_CONF_OK;
}


/* badge_trusted_key ISSUER FILE [kid=KID]; */

static char *
ngx_http_badge_trusted_key(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_badge_loc_conf_t *blcf = conf;

    ngx_str_t               *value, kid;
    ngx_http_badge_trust_t  *t;

    value = cf->args->elts;
    ngx_str_null(&kid);

    if (cf->args->nelts == 4) {
        if (ngx_strncmp(value[3].data, "kid=", 4) != 0 || value[3].len == 4)
        {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "invalid parameter \"%V\", "
                               "expected \"kid=KEY_ID\"", &value[3]);
            return NGX_CONF_ERROR;
        }

        kid.data = value[3].data + 4;
        kid.len = value[3].len - 4;
    }

    if (ngx_strncmp(value[1].data, "did:", 4) != 0
        && ngx_strncmp(value[1].data, "https://", 8) != 0
        && ngx_strncmp(value[1].data, "http://", 7) != 0)
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid issuer \"%V\": an issuer is a DID or an "
                           "http(s) URL", &value[1]);
        return NGX_CONF_ERROR;
    }

    t = ngx_http_badge_push_trust(cf, blcf);
    if (t == NULL) {
        return NGX_CONF_ERROR;
    }

    t->issuer = value[1];
    t->kid = kid;
    t->file = value[2];

    if (ngx_http_badge_read_file(cf, &t->file, &t->body) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    return NGX_CONF_OK;
}


/* badge_document URL FILE; */

static char *
ngx_http_badge_document(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_badge_loc_conf_t *blcf = conf;

    ngx_str_t               *value;
    ngx_http_badge_trust_t  *t;

    value = cf->args->elts;

    if (ngx_strncmp(value[1].data, "https://", 8) != 0
        && ngx_strncmp(value[1].data, "http://", 7) != 0)
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid URL \"%V\": a document is named by its "
                           "http(s) URL", &value[1]);
        return NGX_CONF_ERROR;
    }

    t = ngx_http_badge_push_trust(cf, blcf);
    if (t == NULL) {
        return NGX_CONF_ERROR;
    }

    t->issuer = value[1];
    t->file = value[2];
    t->document = 1;

    if (ngx_http_badge_read_file(cf, &t->file, &t->body) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    return NGX_CONF_OK;
}


static ngx_int_t
ngx_http_badge_read_file(ngx_conf_t *cf, ngx_str_t *name, ngx_str_t *body)
{
    size_t           size;
    ssize_t          n;
    ngx_fd_t         fd;
    ngx_str_t        path;
    ngx_file_info_t  fi;
    ngx_int_t        rc;

    path = *name;

    if (ngx_conf_full_name(cf->cycle, &path, 1) != NGX_OK) {
        return NGX_ERROR;
    }

    fd = ngx_open_file(path.data, NGX_FILE_RDONLY, NGX_FILE_OPEN, 0);
    if (fd == NGX_INVALID_FILE) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                           ngx_open_file_n " \"%s\" failed", path.data);
        return NGX_ERROR;
    }

    rc = NGX_ERROR;

    if (ngx_fd_info(fd, &fi) == NGX_FILE_ERROR) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                           ngx_fd_info_n " \"%s\" failed", path.data);
        goto done;
    }

    if (ngx_file_size(&fi) > NGX_HTTP_BADGE_MAX_FILE) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"%s\" is too large (over %d bytes)", path.data,
                           NGX_HTTP_BADGE_MAX_FILE);
        goto done;
    }

    size = (size_t) ngx_file_size(&fi);

    body->data = ngx_pnalloc(cf->pool, size + 1);
    if (body->data == NULL) {
        goto done;
    }

    n = ngx_read_fd(fd, body->data, size);

    if (n == -1) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                           ngx_read_fd_n " \"%s\" failed", path.data);
        goto done;
    }

    if ((size_t) n != size) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           ngx_read_fd_n " \"%s\" returned only %z bytes",
                           path.data, n);
        goto done;
    }

    body->data[size] = '\0';
    body->len = size;
    rc = NGX_OK;

done:

    if (ngx_close_file(fd) == NGX_FILE_ERROR) {
        ngx_log_error(NGX_LOG_ALERT, cf->log, ngx_errno,
                      ngx_close_file_n " \"%s\" failed", path.data);
    }

    return rc;
}


/* badge_fetch URI | off; */

static char *
ngx_http_badge_fetch(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_badge_loc_conf_t *blcf = conf;

    ngx_str_t  *value;

    if (blcf->fetch.data) {
        return "is duplicate";
    }

    value = cf->args->elts;

    if (ngx_strcmp(value[1].data, "off") == 0) {
        ngx_str_set(&blcf->fetch, "");
        return NGX_CONF_OK;
    }

    if (value[1].data[0] != '/') {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid location \"%V\": badge_fetch names a "
                           "location URI, e.g. /_badge_fetch", &value[1]);
        return NGX_CONF_ERROR;
    }

    blcf->fetch = value[1];

    return NGX_CONF_OK;
}


static char *
ngx_http_badge_str_list(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    char  *p = conf;

    ngx_str_t    *value, *s;
    ngx_uint_t    i;
    ngx_array_t **a;

    a = (ngx_array_t **) (p + cmd->offset);

    if (*a == NGX_CONF_UNSET_PTR || *a == NULL) {
        *a = ngx_array_create(cf->pool, 4, sizeof(ngx_str_t));
        if (*a == NULL) {
            return NGX_CONF_ERROR;
        }
    }

    value = cf->args->elts;

    for (i = 1; i < cf->args->nelts; i++) {
        s = ngx_array_push(*a);
        if (s == NULL) {
            return NGX_CONF_ERROR;
        }

        *s = value[i];
    }

    return NGX_CONF_OK;
}


ngx_int_t
ngx_http_badge_conf_dir(ngx_conf_t *cf, ngx_str_t *dir, ngx_str_t *arg)
{
    *dir = *arg;

    while (dir->len > 1 && dir->data[dir->len - 1] == '/') {
        dir->len--;
    }

    return ngx_conf_full_name(cf->cycle, dir, 0);
}
