/*
 * badge_issuer.c: the issuer endpoints of mod_badge (Apache glue only;
 * the documents are built by the core: issuer.h, status_publish.h).
 *
 *   <Location /.well-known/did.json>
 *       SetHandler badge-did
 *       BadgeIssuerKey /etc/apache2/badge/issuer-key.pem
 *       BadgeIssuerDid did:web:badges.example.ac.jp     (default: ServerName)
 *   </Location>
 *   <Location /status/1>
 *       SetHandler badge-status
 *       BadgeIssuerKey /etc/apache2/badge/issuer-key.pem
 *       BadgeStatusRegistry /var/lib/badge/registry.tsv
 *       BadgeStatusPurpose revocation                    (or suspension)
 *       BadgeStatusFormat bitstring                      (1edtech, ob2)
 *       BadgeStatusListUrl https://badges.example.ac.jp/status/1
 *   </Location>
 *
 * The directives only record; post_config builds every section's
 * documents once (the key is read, the DID document made, the registry
 * loaded and the list published and signed), so that a bad key or
 * registry stops httpd at startup, naming the directive's file and line.
 * Requests are answered from memory: the DID document as built; the
 * status list from the core's endpoint, which re-publishes it when the
 * registry file changes.  Both with their content type, Cache-Control,
 * Access-Control-Allow-Origin: *, an ETag of the content, Last-Modified,
 * and 304 through ap_meets_conditions().
 */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"

#include "apr_file_info.h"
#include "apr_strings.h"

#include "badge.h"
#include "issuer.h"
#include "keys.h"
#include "page.h"
#include "status_publish.h"

#include "mod_badge.h"

APLOG_USE_MODULE(badge);

#define BADGE_HANDLER_DID     "badge-did"
#define BADGE_HANDLER_STATUS  "badge-status"

struct badge_issuer_conf_s {
    /* as configured */
    const char                *key_path;
    const char                *did;          /* NULL: from ServerName */
    const char                *registry;
    const char                *list_url;     /* NULL: from ServerName +
                                                the location */
    int                        purpose;      /* 0: revocation */
    int                        format;       /* 0: bitstring */
    const char                *location;     /* cmd->path */
    int                        url_location; /* location is a <Location> */
    server_rec                *server;
    const char                *file;         /* of the first directive */
    unsigned                   line;
    /* built in post_config */
    badge_key_t               *key;
    const char                *did_built;
    badge_issuer_response_t    did_resp;
    const char                *did_etag;
    int                        did_ready;
    badge_status_endpoint_t   *status;
    const char                *built_error;  /* why a handler answers 500 */
};

/* Every section with issuer directives, for post_config (per
 * configuration generation). */
static apr_array_header_t *badge_issuer_sections;

static apr_status_t
badge_issuer_reset(void *data)
{
    badge_issuer_sections = NULL;
    return APR_SUCCESS;
}

static badge_issuer_conf_t *
badge_issuer_conf(cmd_parms *cmd, void *dconf)
{
    badge_dir_conf      *conf = dconf;
    badge_issuer_conf_t *ic = conf->issuer;

    if (ic == NULL) {
        ic = apr_pcalloc(cmd->pool, sizeof(*ic));
        ic->location = cmd->path;
        ic->url_location = cmd->path != NULL && cmd->directive != NULL
                           && cmd->directive->parent != NULL
                           && strcasecmp(cmd->directive->parent->directive,
                                         "<Location") == 0;
        ic->server = cmd->server;
        ic->file = cmd->directive != NULL ? cmd->directive->filename : "?";
        ic->line = cmd->directive != NULL
                   ? (unsigned) cmd->directive->line_num : 0;
        conf->issuer = ic;
        if (badge_issuer_sections == NULL) {
            badge_issuer_sections = apr_array_make(cmd->pool, 4,
                                                   sizeof(ic));
            apr_pool_cleanup_register(cmd->pool, NULL, badge_issuer_reset,
                                      apr_pool_cleanup_null);
        }
        APR_ARRAY_PUSH(badge_issuer_sections, badge_issuer_conf_t *) = ic;
    }
    return ic;
}

const char *
badge_cmd_issuer_key(cmd_parms *cmd, void *dconf, const char *arg)
{
    badge_issuer_conf_t *ic = badge_issuer_conf(cmd, dconf);
    const char          *path = ap_server_root_relative(cmd->pool, arg);
    badge_key_t         *key;
    badge_err_t          err;

    if (path == NULL) {
        return apr_psprintf(cmd->pool, "BadgeIssuerKey: invalid path %s",
                            arg);
    }
    /* read now, so that a bad file is named with this line */
    memset(&err, 0, sizeof(err));
    key = badge_issuer_key_load(path, &err);
    if (key == NULL) {
        return apr_psprintf(cmd->pool, "BadgeIssuerKey: %s: %s (%s)", path,
                            err.message[0] != '\0' ? err.message
                                                   : "not a key",
                            err.code != NULL ? err.code : "key_invalid");
    }
    badge_key_free(key);
    ic->key_path = path;
    return NULL;
}

const char *
badge_cmd_issuer_did(cmd_parms *cmd, void *dconf, const char *arg)
{
    if (strncmp(arg, "did:", 4) != 0) {
        return "BadgeIssuerDid: a DID (did:web:..., did:key or did:jwk)";
    }
    badge_issuer_conf(cmd, dconf)->did = arg;
    return NULL;
}

const char *
badge_cmd_status_registry(cmd_parms *cmd, void *dconf, const char *arg)
{
    const char *path = ap_server_root_relative(cmd->pool, arg);

    if (path == NULL) {
        return apr_psprintf(cmd->pool, "BadgeStatusRegistry: invalid path "
                            "%s", arg);
    }
    badge_issuer_conf(cmd, dconf)->registry = path;
    return NULL;
}

const char *
badge_cmd_status_purpose(cmd_parms *cmd, void *dconf, const char *arg)
{
    badge_status_purpose_t p;

    if (badge_status_purpose_parse(arg, &p) != 0) {
        return "BadgeStatusPurpose: revocation or suspension";
    }
    badge_issuer_conf(cmd, dconf)->purpose = (int) p;
    return NULL;
}

const char *
badge_cmd_status_format(cmd_parms *cmd, void *dconf, const char *arg)
{
    badge_publish_format_t f;

    if (badge_publish_format_parse(arg, &f) != 0) {
        return "BadgeStatusFormat: bitstring, 1edtech or ob2";
    }
    badge_issuer_conf(cmd, dconf)->format = (int) f;
    return NULL;
}

const char *
badge_cmd_status_list_url(cmd_parms *cmd, void *dconf, const char *arg)
{
    if (strncmp(arg, "https://", 8) != 0 && strncmp(arg, "http://", 7) != 0) {
        return "BadgeStatusListUrl: an absolute http(s) URL";
    }
    badge_issuer_conf(cmd, dconf)->list_url = arg;
    return NULL;
}

/* ------------------------------------------------------------------ */
/* post_config                                                          */

static void *
badge_issuer_alloc(void *pool, size_t n)
{
    return apr_palloc(pool, n);
}

static apr_status_t
badge_issuer_key_cleanup(void *data)
{
    badge_key_free(data);
    return APR_SUCCESS;
}

static apr_status_t
badge_issuer_status_cleanup(void *data)
{
    badge_status_endpoint_free(data);
    return APR_SUCCESS;
}

/* The section's server name and port: the ServerName's port, else the
 * port of the virtual host's address (not 80 or 443: did:web is https,
 * and 443 is its default). */
static const char *
badge_issuer_host(badge_issuer_conf_t *ic, server_rec *s, int *port)
{
    server_rec *v = ic->server != NULL ? ic->server : s;

    *port = v->port;
    if (*port == 0 && v->is_virtual && v->addrs != NULL) {
        *port = v->addrs->host_port;
    }
    if (*port == 80 || *port == 443) {
        *port = 0;
    }
    return v->server_hostname != NULL ? v->server_hostname
                                      : s->server_hostname;
}

/* The DID of a section: BadgeIssuerDid, or did:web of its ServerName. */
static const char *
badge_issuer_did_for(apr_pool_t *p, badge_issuer_conf_t *ic, server_rec *s,
    badge_err_t *err)
{
    badge_arena_t *a;
    const char    *did, *host;
    char          *d;
    int            port;

    if (ic->did != NULL) {
        return ic->did;
    }
    host = badge_issuer_host(ic, s, &port);
    a = badge_arena_new(64 * 1024);
    if (a == NULL) {
        badge_err_set(err, "out_of_memory", "out of memory");
        return NULL;
    }
    d = badge_issuer_did_from_server_name(a, host, port, NULL, err);
    did = d != NULL ? apr_pstrdup(p, d) : NULL;
    badge_arena_free(a);
    return did;
}

/* A did:web DID document served at another path than the one did:web
 * resolves to is a mistake worth a warning (nobody will find it). */
static void
badge_issuer_check_path(apr_pool_t *p, badge_issuer_conf_t *ic,
    server_rec *s)
{
    badge_arena_t *a = badge_arena_new(64 * 1024);
    badge_err_t    err;
    const char    *path;

    if (a == NULL) {
        return;
    }
    memset(&err, 0, sizeof(err));
    path = badge_issuer_did_path(a, ic->did_built, &err);
    if (path != NULL && strcmp(path, ic->location) != 0) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                     "mod_badge: %s is resolved at %s, not at <Location %s> "
                     "(%s:%u): verifiers will not find this DID document",
                     ic->did_built, path, ic->location, ic->file, ic->line);
    }
    badge_arena_free(a);
}

static int
badge_issuer_build(apr_pool_t *pconf, badge_issuer_conf_t *ic,
    server_rec *s, int real)
{
    badge_status_endpoint_conf_t sc;
    badge_err_t                  err;
    apr_finfo_t                  fi;
    const char                  *host;
    char                         etag[64];
    int                          port;

    memset(&err, 0, sizeof(err));
    if (ic->key_path != NULL) {
        ic->key = badge_issuer_key_load(ic->key_path, &err);
        if (ic->key == NULL) {
            ap_log_error(APLOG_MARK, APLOG_ERR, 0, s,
                         "mod_badge: BadgeIssuerKey %s (%s:%u): %s",
                         ic->key_path, ic->file, ic->line, err.message);
            return HTTP_INTERNAL_SERVER_ERROR;
        }
        apr_pool_cleanup_register(pconf, ic->key, badge_issuer_key_cleanup,
                                  apr_pool_cleanup_null);
        if (real
            && apr_stat(&fi, ic->key_path, APR_FINFO_PROT, pconf)
               == APR_SUCCESS
            && (fi.protection & (APR_FPROT_GREAD | APR_FPROT_GWRITE
                                 | APR_FPROT_WREAD | APR_FPROT_WWRITE)))
        {
            ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                         "mod_badge: BadgeIssuerKey %s (%s:%u) is readable "
                         "by group or others (mode %04o): whoever can read "
                         "it can sign as this issuer; chmod 600 it (httpd "
                         "reads it as root at startup)", ic->key_path,
                         ic->file, ic->line,
                         /* apr_fileperms_t: one hex digit per octal one */
                         (unsigned) ((((fi.protection >> 8) & 7) << 6)
                                     | (((fi.protection >> 4) & 7) << 3)
                                     | (fi.protection & 7)));
        }
    }

    ic->did_built = badge_issuer_did_for(pconf, ic, s, &err);
    if (ic->did_built == NULL) {
        /* only fatal when something needs it */
        if (ic->key_path != NULL || ic->registry != NULL) {
            ap_log_error(APLOG_MARK, APLOG_ERR, 0, s,
                         "mod_badge: no issuer DID for the section at "
                         "%s:%u: %s (set BadgeIssuerDid)", ic->file,
                         ic->line, err.message);
            return HTTP_INTERNAL_SERVER_ERROR;
        }
        ic->built_error = "no issuer DID";
        return OK;
    }

    if (ic->key != NULL) {
        if (badge_issuer_did_response(ic->key, ic->did_built, NULL, 0,
                                      badge_issuer_alloc, pconf,
                                      &ic->did_resp, &err) != 0)
        {
            ap_log_error(APLOG_MARK, APLOG_ERR, 0, s,
                         "mod_badge: cannot make the DID document of %s "
                         "(%s:%u): %s", ic->did_built, ic->file, ic->line,
                         err.message);
            return HTTP_INTERNAL_SERVER_ERROR;
        }
        if (ic->did_resp.last_modified == 0) {
            ic->did_resp.last_modified = time(NULL);
        }
        if (badge_page_etag_data(etag, sizeof(etag), ic->did_resp.body,
                                 ic->did_resp.len) > 0)
        {
            ic->did_etag = apr_pstrdup(pconf, etag);
        }
        ic->did_ready = 1;
        if (real && ic->url_location
            && strncmp(ic->did_built, "did:web:", 8) == 0)
        {
            badge_issuer_check_path(pconf, ic, s);
        }
    } else {
        ic->built_error = "no BadgeIssuerKey";
    }

    if (ic->registry != NULL) {
        memset(&sc, 0, sizeof(sc));
        sc.registry = ic->registry;
        sc.recheck = 0;
        sc.publish.format = (badge_publish_format_t) ic->format;
        sc.publish.purpose = (badge_status_purpose_t) ic->purpose;
        sc.publish.issuer = ic->did_built;
        sc.publish.key = ic->key;
        sc.publish.list_url = ic->list_url;
        if (sc.publish.list_url == NULL) {
            host = badge_issuer_host(ic, s, &port);
            sc.publish.list_url = apr_psprintf(pconf, "https://%s%s%s%s",
                                      host != NULL ? host : "",
                                      port != 0 ? ":" : "",
                                      port != 0 ? apr_itoa(pconf, port) : "",
                                      ic->location != NULL ? ic->location
                                                           : "/");
        }
        ic->status = badge_status_endpoint_new(&sc, &err);
        if (ic->status == NULL) {
            ap_log_error(APLOG_MARK, APLOG_ERR, 0, s,
                         "mod_badge: BadgeStatusRegistry %s (%s:%u): %s (%s)",
                         ic->registry, ic->file, ic->line, err.message,
                         err.code != NULL ? err.code : "error");
            return HTTP_INTERNAL_SERVER_ERROR;
        }
        apr_pool_cleanup_register(pconf, ic->status,
                                  badge_issuer_status_cleanup,
                                  apr_pool_cleanup_null);
        if (real && ic->key == NULL
            && (ic->format == 0 || ic->format == BADGE_PUBLISH_BITSTRING))
        {
            ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                         "mod_badge: the status list of %s (%s:%u) is "
                         "published unsigned: set BadgeIssuerKey so that "
                         "verifiers can trust it", ic->registry, ic->file,
                         ic->line);
        }
        if (real) {
            ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, s,
                         "mod_badge: status list %s of %s from %s",
                         sc.publish.list_url, ic->did_built, ic->registry);
        }
    }
    return OK;
}

int
badge_issuer_post_config(apr_pool_t *pconf, apr_pool_t *ptemp,
    server_rec *s)
{
    int real = ap_state_query(AP_SQ_MAIN_STATE)
               != AP_SQ_MS_CREATE_PRE_CONFIG;
    int i, rc;

    for (i = 0; badge_issuer_sections != NULL
                && i < badge_issuer_sections->nelts; i++)
    {
        rc = badge_issuer_build(pconf,
                 APR_ARRAY_IDX(badge_issuer_sections, i,
                               badge_issuer_conf_t *), s, real);
        if (rc != OK) {
            return rc;
        }
    }
    return OK;
}

/* ------------------------------------------------------------------ */
/* Handlers                                                             */

static int
badge_issuer_send(request_rec *r, const badge_issuer_response_t *resp,
    const char *etag)
{
    char buf[64];
    int  rc;

    if (resp->status != HTTP_OK) {
        r->status = resp->status;
    }
    ap_set_content_type(r, resp->content_type);
    apr_table_setn(r->headers_out, "Cache-Control", resp->cache_control);
    apr_table_setn(r->headers_out, "Access-Control-Allow-Origin",
                   BADGE_ISSUER_CORS);
    apr_table_setn(r->headers_out, "X-Content-Type-Options", "nosniff");
    if (etag == NULL
        && badge_page_etag_data(buf, sizeof(buf), resp->body, resp->len) > 0)
    {
        etag = buf;
    }
    if (resp->status == HTTP_OK) {
        if (etag != NULL) {
            apr_table_set(r->headers_out, "ETag", etag);
        }
        if (resp->last_modified != 0) {
            ap_update_mtime(r, apr_time_from_sec(resp->last_modified));
            ap_set_last_modified(r);
        }
        rc = ap_meets_conditions(r);
        if (rc != OK) {
            return rc;
        }
    }
    ap_set_content_length(r, (apr_off_t) resp->len);
    if (!r->header_only) {
        ap_rwrite(resp->body, (int) resp->len, r);
    }
    return OK;
}

static int
badge_issuer_method(request_rec *r)
{
    r->allowed |= AP_METHOD_BIT << M_GET;
    ap_allow_standard_methods(r, REPLACE_ALLOW, M_GET, -1);
    return r->method_number == M_GET ? OK : HTTP_METHOD_NOT_ALLOWED;
}

int
badge_issuer_handler(request_rec *r)
{
    badge_dir_conf          *conf;
    badge_issuer_conf_t     *ic;
    badge_issuer_response_t  out;
    badge_err_t              err;
    int                      did, rc;

    if (r->handler == NULL) {
        return DECLINED;
    }
    did = strcmp(r->handler, BADGE_HANDLER_DID) == 0;
    if (!did && strcmp(r->handler, BADGE_HANDLER_STATUS) != 0) {
        return DECLINED;
    }
    conf = ap_get_module_config(r->per_dir_config, &badge_module);
    ic = conf->issuer;
    if ((rc = badge_issuer_method(r)) != OK) {
        return rc;
    }
    if (did) {
        if (ic == NULL || !ic->did_ready) {
            ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                          "mod_badge: SetHandler badge-did without "
                          "BadgeIssuerKey for %s", r->uri);
            return HTTP_INTERNAL_SERVER_ERROR;
        }
        return badge_issuer_send(r, &ic->did_resp, ic->did_etag);
    }
    if (ic == NULL || ic->status == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "mod_badge: SetHandler badge-status without "
                      "BadgeStatusRegistry for %s", r->uri);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    memset(&err, 0, sizeof(err));
    memset(&out, 0, sizeof(out));
    rc = badge_status_endpoint_respond(ic->status,
                                       (time_t) apr_time_sec(r->request_time),
                                       badge_issuer_alloc, r->pool, &out,
                                       &err);
    if (rc != 0) {
        ap_log_rerror(APLOG_MARK, rc > 0 ? APLOG_WARNING : APLOG_ERR, 0, r,
                      "mod_badge: status list %s: %s%s", ic->registry,
                      err.message, rc > 0 ? " (the last good list is "
                                            "served)" : "");
    }
    if (out.body == NULL) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    return badge_issuer_send(r, &out, NULL);
}
