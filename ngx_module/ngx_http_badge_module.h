
/*
 * ngx_http_badge_module: nginx glue for libbadge (see src/badge.h).
 *
 * The glue is thin: directives build one badge_ctx_t per location, the
 * content handler (badge_verify) and the access gate (badge_require) feed
 * a badge_session_t and answer what its report says, and the fetch engine
 * (ngx_http_badge_fetch.c) turns BADGE_NEED_DOCUMENTS into parallel
 * subrequests to the location named by badge_fetch, whose bodies a body
 * filter keeps (ngx_http_badge_fetch.c).
 */


#ifndef _NGX_HTTP_BADGE_MODULE_H_INCLUDED_
#define _NGX_HTTP_BADGE_MODULE_H_INCLUDED_


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "badge.h"
#include "http_glue.h"
#include "keys.h"
#include "verify_page.h"


/* fetch rounds one verification may take, on top of the core's own bound */
#define NGX_HTTP_BADGE_MAX_ROUNDS  8


typedef struct {
    ngx_str_t                   issuer;     /* empty: none */
    ngx_str_t                   kid;        /* empty: any key of issuer */
    ngx_str_t                   file;
    ngx_str_t                   body;       /* the file's content */
    ngx_uint_t                  document;   /* 1: a pinned document */
} ngx_http_badge_trust_t;


typedef struct {
    ngx_uint_t                  type;       /* header, cookie, arg */
    ngx_str_t                   name;
    ngx_int_t                   index;      /* variable index */
} ngx_http_badge_source_t;


/* an issuer endpoint's answer, built at configuration time */
typedef struct {
    ngx_str_t                   body;
    ngx_str_t                   type;
    ngx_str_t                   cache_control;
    ngx_str_t                   etag;
    time_t                      last_modified;
} ngx_http_badge_static_t;


typedef struct {
    ngx_str_t                   file;
    badge_key_t                *key;       /* with its private half */
} ngx_http_badge_issuer_key_t;


typedef struct {
    ngx_str_t                   registry;
    ngx_str_t                   url;        /* the list's id; "" = derived */
    ngx_uint_t                  purpose;    /* badge_status_purpose_t */
    ngx_uint_t                  format;     /* badge_publish_format_t */
    time_t                      validity;   /* -1: no validUntil */
} ngx_http_badge_status_conf_t;


typedef struct ngx_http_badge_cache_s  ngx_http_badge_cache_t;


typedef struct {
    badge_ctx_t                *ctx;        /* NULL until needed */

    /* trust configuration, inherited as a whole */
    ngx_array_t                *trust;      /* ngx_http_badge_trust_t */

    size_t                      max_input;
    time_t                      clock_skew;
    ngx_flag_t                  require_trusted;

    ngx_str_t                   fetch;      /* location URI; "" = off */
    size_t                      fetch_max_size;
    ngx_uint_t                  fetch_max_documents;
    ngx_flag_t                  fetch_allow_private;
    ngx_flag_t                  fetch_allow_http;

    ngx_flag_t                  verify;     /* badge_verify here */

    ngx_flag_t                  require;
    ngx_array_t                *sources;    /* ngx_http_badge_source_t */
    ngx_array_t                *require_issuers;       /* ngx_str_t */
    ngx_array_t                *require_achievements;  /* ngx_str_t */

    /* issuer endpoints (ngx_http_badge_issuer.c) */
    ngx_http_badge_issuer_key_t  *issuer_key;
    ngx_str_t                   issuer_did;
    ngx_str_t                   cache_control;
    ngx_flag_t                  did_document;
    ngx_http_badge_status_conf_t  *status_list;
    ngx_http_badge_static_t    *static_resp;
    ngx_str_t                   ob2_dir;    /* badge_ob2_hosting */
    struct badge_registry_s    *ob2_registry;

    /* badge pages (ngx_http_badge_page.c) */
    ngx_str_t                   page_dir;   /* "": not a page location */
    ngx_flag_t                  page_index;
    ngx_http_badge_cache_t     *cache;      /* badge_cache; NULL: none */
    struct badge_page_template_s  *page_template;   /* NULL: built-in */
} ngx_http_badge_loc_conf_t;


typedef struct ngx_http_badge_ctx_s  ngx_http_badge_ctx_t;

typedef void (*ngx_http_badge_done_pt)(ngx_http_request_t *r,
    ngx_http_badge_ctx_t *ctx);


struct ngx_http_badge_ctx_s {
    badge_session_t            *session;
    ngx_http_badge_loc_conf_t  *conf;

    ngx_uint_t                  pending;     /* subrequests in flight */
    ngx_uint_t                  rounds;
    ngx_uint_t                  fetched;     /* documents supplied */

    /* in a fetch subrequest: the URL it fetches */
    ngx_str_t                   fetch_url;
    ngx_str_t                   fetch_host;
    ngx_str_t                   fetch_uri;
    u_char                     *fetch_body;  /* what it answered so far */
    size_t                      fetch_len;
    size_t                      fetch_size;  /* allocated */
    size_t                      fetch_max;   /* badge_fetch_max_size */

    /* access gate */
    ngx_int_t                   gate_status; /* NGX_OK, 401, 403 */
    ngx_str_t                   gate_error;  /* X-Badge-Error */

    ngx_str_t                   lang;
    ngx_str_t                   url;         /* the URL verified, if any */
    ngx_str_t                   page_id;     /* badge_page: the id */
    ngx_str_t                   page_url;    /* its absolute URL */
    u_char                      page_key[16];  /* badge_cache key */

    unsigned                    done:1;      /* report ready */
    unsigned                    failed:1;    /* no report: internal error */
    unsigned                    gate:1;      /* started by badge_require */
    unsigned                    fetch:1;     /* this is a fetch subrequest */
    unsigned                    fetch_too_big:1;
    unsigned                    html:1;      /* answer with a page */
};


extern ngx_module_t  ngx_http_badge_module;


ngx_http_badge_ctx_t *ngx_http_badge_create_ctx(ngx_http_request_t *r,
    ngx_http_badge_loc_conf_t *conf);

/*
 * Runs the session until it is done or waits for documents: NGX_OK when
 * the report is ready (ctx->done), NGX_AGAIN while subrequests run (the
 * request is posted when each ends), NGX_ERROR when there is no report.
 */
ngx_int_t ngx_http_badge_drive(ngx_http_request_t *r,
    ngx_http_badge_ctx_t *ctx);

ngx_int_t ngx_http_badge_fetch_init(ngx_conf_t *cf);
ngx_int_t ngx_http_badge_fetch_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data);

ngx_int_t ngx_http_badge_issuer_merge(ngx_conf_t *cf,
    ngx_http_badge_loc_conf_t *prev, ngx_http_badge_loc_conf_t *conf);
char *ngx_http_badge_issuer_key(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
char *ngx_http_badge_did_document(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
char *ngx_http_badge_status_list(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);

char *ngx_http_badge_page(ngx_conf_t *cf, ngx_command_t *cmd, void *conf);
/* a directory argument: no trailing slash, relative to the prefix,
 * NUL-terminated */
ngx_int_t ngx_http_badge_conf_dir(ngx_conf_t *cf, ngx_str_t *dir,
    ngx_str_t *arg);
ngx_int_t ngx_http_badge_page_read(ngx_http_request_t *r, ngx_str_t *path,
    ngx_str_t *body, ngx_file_info_t *fi);
char *ngx_http_badge_ob2_hosting(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
char *ngx_http_badge_page_template(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);

char *ngx_http_badge_cache(ngx_conf_t *cf, ngx_command_t *cmd, void *conf);
void ngx_http_badge_cache_key(u_char *md5, ngx_str_t *path, time_t mtime,
    off_t size, ngx_str_t *lang, ngx_str_t *url);
u_char *ngx_http_badge_cache_get(ngx_http_badge_cache_t *cache, u_char *md5,
    ngx_pool_t *pool, size_t *len);
void ngx_http_badge_cache_put(ngx_http_badge_cache_t *cache, u_char *md5,
    u_char *data, size_t len, ngx_log_t *log);

ngx_int_t ngx_http_badge_require_init(ngx_conf_t *cf);
char *ngx_http_badge_credential_from(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);


#endif /* _NGX_HTTP_BADGE_MODULE_H_INCLUDED_ */
