/*
 * mod_badge.c: Open Badges / Verifiable Credentials verification for
 * Apache httpd 2.4, the Apache glue of libbadge.
 *
 *   SetHandler badge-verify        POST a credential, get the JSON report
 *                                   (or the HTML verify page: browsers)
 *   Require badge verified|issuer ...|achievement ...
 *                                   admit requests that carry a credential
 *                                   (BadgeCredentialFrom) that verifies and
 *                                   comes from an issuer trusted here
 *
 * Verification itself is in the core (src/, through badge.h, http_glue.h,
 * http_cache.h, page.h and verify_page.h); this file holds directives,
 * the badge-verify handler, the authz provider and the apr glue.  The
 * other handlers, the result cache and the fetcher are in their own files
 * (mod_badge.h lists them).
 *
 * The gate verifies under a ctx of its own: the section's, with
 * BADGE_OPT_REQUIRE_TRUSTED (anyone can make a genuine did:key
 * credential; only trusted issuers may open a gate).
 *
 * Configuration and badge_ctx_t.  A badge_ctx_t is immutable once built,
 * so every directive that shapes it (trusted issuers and keys, pinned
 * documents, limits, fetch policy) is recorded as an "op" of its section
 * and also applied at once to the section's own ctx, built at
 * configuration time in the configuration pool: errors (a bad key file, a
 * malformed issuer) stop the server at start with the directive's file and
 * line.  Per-directory merging appends the parent's ops and the child's; a
 * merged config whose ops come from two sections needs a ctx of its own,
 * which is built from the ops on first use and kept, per child process,
 * under a mutex, keyed by the sections it came from (their "lineage"):
 * merges happen per request in httpd, and rebuilding a ctx (parsing keys)
 * per request would be waste.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "mod_auth.h"
#include "ap_provider.h"
#include "util_cookies.h"

#include "apr_file_io.h"
#include "apr_hash.h"
#include "apr_lib.h"
#include "apr_strings.h"
#if APR_HAS_THREADS
#include "apr_thread_mutex.h"
#endif

#include "badge.h"
#include "http_cache.h"
#include "http_glue.h"

#include "page.h"
#include "verify_page.h"

#include "badge_fetch.h"
#include "mod_badge.h"

/* the one exported symbol: the build hides everything else
 * (-fvisibility=hidden, --exclude-libs), so that libbadge's and OpenSSL's
 * names cannot clash with other modules' */
module AP_MODULE_DECLARE_DATA badge_module
    __attribute__((visibility("default")));

#define BADGE_HANDLER_VERIFY   "badge-verify"
#define BADGE_MAX_INPUT_LIMIT  (64L * 1024 * 1024)
#define BADGE_MAX_ROUNDS       32   /* the core stops at fewer; a guard */
#define BADGE_DEFAULT_TIMEOUT  apr_time_from_sec(5)

/* ------------------------------------------------------------------ */
/* Configuration                                                        */

typedef enum {
    BADGE_OP_ISSUER = 1,
    BADGE_OP_KEY,
    BADGE_OP_DOCUMENT,
    BADGE_OP_OPTION
} badge_op_type_t;

typedef struct {
    badge_op_type_t  type;
    badge_option_t   opt;       /* BADGE_OP_OPTION */
    long             value;
    const char      *issuer;    /* ISSUER, KEY (or NULL) */
    const char      *kid;       /* KEY (or NULL) */
    const char      *url;       /* DOCUMENT */
    const void      *data;      /* KEY, DOCUMENT: file contents */
    apr_size_t       len;
} badge_op_t;

typedef enum {
    BADGE_FROM_BEARER = 1,      /* Authorization: Bearer <credential> */
    BADGE_FROM_HEADER,
    BADGE_FROM_COOKIE,
    BADGE_FROM_ARG              /* a query argument, %-decoded */
} badge_from_type_t;

typedef struct {
    badge_from_type_t  type;
    const char        *name;
} badge_from_t;


typedef enum {
    BADGE_REQUIRE_VERIFIED = 1,
    BADGE_REQUIRE_ISSUER,
    BADGE_REQUIRE_ACHIEVEMENT
} badge_require_type_t;

typedef struct {
    badge_require_type_t      type;
    apr_array_header_t       *values;     /* const char * */
    badge_http_gate_policy_t  policy;     /* the core's gate (http_glue.h) */
} badge_require_t;

/* Per request (badge_req_t, mod_badge.h): one verification, shared by
 * the handler, every Require line and the subrequests and internal
 * redirects of the request. */

/* Section ids for lineages; configuration is read single-threaded. */
static unsigned badge_section_serial;

/* Per child process: ctxs of merged configurations, by lineage. */
static apr_pool_t         *badge_cache_pool;
static apr_hash_t         *badge_ctx_cache;
#if APR_HAS_THREADS
static apr_thread_mutex_t *badge_cache_mutex;
#endif

static apr_status_t
badge_ctx_cleanup(void *data)
{
    badge_ctx_free(data);
    return APR_SUCCESS;
}

static apr_status_t
badge_session_cleanup(void *data)
{
    badge_session_free(data);
    return APR_SUCCESS;
}

/* Apply one op to ctx; NULL or an error message (in p). */
static const char *
badge_op_apply(apr_pool_t *p, badge_ctx_t *ctx, const badge_op_t *op)
{
    char err[256];
    int  rc = -1;

    err[0] = '\0';
    switch (op->type) {
    case BADGE_OP_ISSUER:
        rc = badge_ctx_trust_issuer(ctx, op->issuer, err, sizeof(err));
        break;
    case BADGE_OP_KEY:
        rc = badge_ctx_add_key(ctx, op->issuer, op->kid, op->data, op->len,
                               err, sizeof(err));
        break;
    case BADGE_OP_DOCUMENT:
        rc = badge_ctx_add_document(ctx, op->url, op->data, op->len, err,
                                    sizeof(err));
        break;
    case BADGE_OP_OPTION:
        rc = badge_ctx_set_option(ctx, op->opt, op->value);
        if (rc != 0) {
            apr_cpystrn(err, "option refused by the core", sizeof(err));
        }
        break;
    }
    if (rc != 0) {
        return apr_pstrdup(p, err[0] != '\0' ? err : "refused by the core");
    }
    return NULL;
}

static void *
badge_create_dir_config(apr_pool_t *p, char *dir)
{
    badge_dir_conf *conf = apr_pcalloc(p, sizeof(*conf));

    conf->lineage = "";
    conf->fetch = -1;
    conf->fetch_timeout = -1;
    conf->cache_ttl = -1;
    return conf;
}

static void *
badge_merge_dir_config(apr_pool_t *p, void *basev, void *addv)
{
    badge_dir_conf *base = basev, *add = addv;
    badge_dir_conf *conf = apr_pcalloc(p, sizeof(*conf));

    if (add->ops == NULL) {
        conf->ops = base->ops;
        conf->ctx = base->ctx;
        conf->lineage = base->lineage;
        memcpy(conf->digest, base->digest, sizeof(conf->digest));
    } else if (base->ops == NULL) {
        conf->ops = add->ops;
        conf->ctx = add->ctx;
        conf->lineage = add->lineage;
        memcpy(conf->digest, add->digest, sizeof(conf->digest));
    } else {
        /* trust accumulates; later options override earlier ones */
        conf->ops = apr_array_append(p, base->ops, add->ops);
        conf->ctx = NULL;
        conf->lineage = apr_pstrcat(p, base->lineage, "+", add->lineage,
                                    NULL);
        if (badge_cache_chain(conf->digest, base->digest, add->digest,
                              sizeof(add->digest)) != 0)
        {
            /* no SHA-256: a digest no other configuration has */
            memset(conf->digest, 0xff, sizeof(conf->digest));
        }
    }
    conf->fetch = add->fetch != -1 ? add->fetch : base->fetch;
    conf->fetch_timeout = add->fetch_timeout != -1 ? add->fetch_timeout
                                                   : base->fetch_timeout;
    if (add->fetch_ca_file != NULL) {
        conf->fetch_ca_file = add->fetch_ca_file;
        conf->fetch_tls = add->fetch_tls;
    } else {
        conf->fetch_ca_file = base->fetch_ca_file;
        conf->fetch_tls = base->fetch_tls;
    }
    conf->from = add->from != NULL ? add->from : base->from;
    conf->cache_ttl = add->cache_ttl != -1 ? add->cache_ttl : base->cache_ttl;
    conf->page = badge_page_merge(p, base->page, add->page);
    conf->issuer = add->issuer != NULL ? add->issuer : base->issuer;
    return conf;
}

/* Record op in the section and apply it to the section's own ctx. */
static const char *
badge_add_op(cmd_parms *cmd, badge_dir_conf *conf, const badge_op_t *op)
{
    const char *err, *hdr;

    if (conf->ops == NULL) {
        conf->ops = apr_array_make(cmd->pool, 4, sizeof(badge_op_t));
        conf->lineage = apr_psprintf(cmd->pool, "%u", ++badge_section_serial);
        conf->ctx = badge_ctx_new();
        if (conf->ctx == NULL) {
            return "mod_badge: out of memory";
        }
        apr_pool_cleanup_register(cmd->pool, conf->ctx, badge_ctx_cleanup,
                                  apr_pool_cleanup_null);
    }
    err = badge_op_apply(cmd->pool, conf->ctx, op);
    if (err != NULL) {
        return apr_psprintf(cmd->pool, "%s: %s", cmd->cmd->name, err);
    }
    *(badge_op_t *) apr_array_push(conf->ops) = *op;
    /* the digest: the op's fields, then its data */
    hdr = apr_psprintf(cmd->temp_pool, "%d|%d|%ld|%s|%s|%s|%" APR_SIZE_T_FMT,
                       (int) op->type, (int) op->opt, op->value,
                       op->issuer != NULL ? op->issuer : "-",
                       op->kid != NULL ? op->kid : "-",
                       op->url != NULL ? op->url : "-", op->len);
    if (badge_cache_chain(conf->digest, conf->digest, hdr, strlen(hdr)) != 0
        || badge_cache_chain(conf->digest, conf->digest, op->data, op->len)
           != 0)
    {
        return "mod_badge: out of memory";
    }
    return NULL;
}

const char *
badge_read_conf_file(cmd_parms *cmd, const char *arg, const void **data,
    apr_size_t *len)
{
    const char  *path = ap_server_root_relative(cmd->temp_pool, arg);
    apr_file_t  *f;
    apr_finfo_t  fi;
    apr_status_t rv;
    char        *buf;
    apr_size_t   n;

    if (path == NULL) {
        return apr_psprintf(cmd->pool, "%s: invalid file path %s",
                            cmd->cmd->name, arg);
    }
    rv = apr_file_open(&f, path, APR_FOPEN_READ | APR_FOPEN_BINARY,
                       APR_OS_DEFAULT, cmd->temp_pool);
    if (rv != APR_SUCCESS) {
        return apr_psprintf(cmd->pool, "%s: cannot open %s: %pm",
                            cmd->cmd->name, path, &rv);
    }
    rv = apr_file_info_get(&fi, APR_FINFO_SIZE, f);
    if (rv != APR_SUCCESS || fi.size > BADGE_MAX_FILE) {
        apr_file_close(f);
        return apr_psprintf(cmd->pool, "%s: %s is not a readable file of at "
                            "most %d bytes", cmd->cmd->name, path,
                            BADGE_MAX_FILE);
    }
    n = (apr_size_t) fi.size;
    buf = apr_palloc(cmd->pool, n + 1);
    rv = apr_file_read_full(f, buf, n, &n);
    apr_file_close(f);
    if (rv != APR_SUCCESS && rv != APR_EOF) {
        return apr_psprintf(cmd->pool, "%s: cannot read %s: %pm",
                            cmd->cmd->name, path, &rv);
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return NULL;
}

static const char *
badge_set_option(cmd_parms *cmd, void *dconf, badge_option_t opt, long v)
{
    badge_op_t op;

    memset(&op, 0, sizeof(op));
    op.type = BADGE_OP_OPTION;
    op.opt = opt;
    op.value = v;
    return badge_add_op(cmd, dconf, &op);
}

/* A whole number in [min, max]; unit suffixes K, M for sizes. */
static const char *
badge_parse_number(cmd_parms *cmd, const char *arg, int sizes, long min,
    long max, long *out)
{
    char     *end;
    apr_int64_t v;

    errno = 0;
    v = apr_strtoi64(arg, &end, 10);
    if (end == arg || errno != 0) {
        return apr_psprintf(cmd->pool, "%s: '%s' is not a number",
                            cmd->cmd->name, arg);
    }
    if (sizes && (*end == 'k' || *end == 'K')) {
        v *= 1024;
        end++;
    } else if (sizes && (*end == 'm' || *end == 'M')) {
        v *= 1024 * 1024;
        end++;
    }
    if (*end != '\0' || v < min || v > max) {
        return apr_psprintf(cmd->pool, "%s: '%s' must be a whole number "
                            "from %ld to %ld%s", cmd->cmd->name, arg, min,
                            max, sizes ? " (bytes; K and M suffixes)" : "");
    }
    *out = (long) v;
    return NULL;
}

static const char *
badge_cmd_max_input(cmd_parms *cmd, void *dconf, const char *arg)
{
    long        v;
    const char *err = badge_parse_number(cmd, arg, 1, 1,
                                         BADGE_MAX_INPUT_LIMIT, &v);

    return err != NULL ? err
                       : badge_set_option(cmd, dconf, BADGE_OPT_MAX_INPUT, v);
}

static const char *
badge_cmd_clock_skew(cmd_parms *cmd, void *dconf, const char *arg)
{
    long        v;
    const char *err = badge_parse_number(cmd, arg, 0, 0, 86400 * 7, &v);

    return err != NULL ? err
                       : badge_set_option(cmd, dconf, BADGE_OPT_CLOCK_SKEW,
                                          v);
}

static const char *
badge_cmd_fetch_max_size(cmd_parms *cmd, void *dconf, const char *arg)
{
    long        v;
    const char *err = badge_parse_number(cmd, arg, 1, 1,
                                         BADGE_MAX_INPUT_LIMIT, &v);

    return err != NULL ? err
                       : badge_set_option(cmd, dconf, BADGE_OPT_MAX_DOCUMENT,
                                          v);
}

static const char *
badge_cmd_fetch_max_docs(cmd_parms *cmd, void *dconf, const char *arg)
{
    long        v;
    const char *err = badge_parse_number(cmd, arg, 0, 0, 256, &v);

    return err != NULL ? err
                       : badge_set_option(cmd, dconf, BADGE_OPT_MAX_FETCHES,
                                          v);
}

static const char *
badge_cmd_flag_option(cmd_parms *cmd, void *dconf, int on)
{
    /* cmd_data of the command_rec says which option */
    return badge_set_option(cmd, dconf,
                            (badge_option_t) (apr_uintptr_t) cmd->info,
                            on ? 1 : 0);
}

static const char *
badge_cmd_trusted_issuer(cmd_parms *cmd, void *dconf, const char *arg)
{
    badge_op_t op;

    memset(&op, 0, sizeof(op));
    op.type = BADGE_OP_ISSUER;
    op.issuer = arg;
    return badge_add_op(cmd, dconf, &op);
}

static const char *
badge_cmd_trusted_key(cmd_parms *cmd, void *dconf, const char *who,
    const char *file)
{
    badge_op_t  op;
    const char *err;

    memset(&op, 0, sizeof(op));
    op.type = BADGE_OP_KEY;
    /* "did:web:x#key-1" is a verification method; "did:web:x" or
     * "https://example.edu/issuer" an issuer all of whose credentials the
     * key may verify */
    if (strchr(who, '#') != NULL) {
        op.kid = who;
    } else {
        op.issuer = who;
    }
    err = badge_read_conf_file(cmd, file, &op.data, &op.len);
    return err != NULL ? err : badge_add_op(cmd, dconf, &op);
}

static const char *
badge_cmd_document(cmd_parms *cmd, void *dconf, const char *url,
    const char *file)
{
    badge_op_t  op;
    const char *err;

    memset(&op, 0, sizeof(op));
    op.type = BADGE_OP_DOCUMENT;
    op.url = url;
    err = badge_read_conf_file(cmd, file, &op.data, &op.len);
    return err != NULL ? err : badge_add_op(cmd, dconf, &op);
}

static const char *
badge_cmd_fetch(cmd_parms *cmd, void *dconf, int on)
{
    ((badge_dir_conf *) dconf)->fetch = on;
    return NULL;
}

static const char *
badge_cmd_fetch_timeout(cmd_parms *cmd, void *dconf, const char *arg)
{
    badge_dir_conf     *conf = dconf;
    apr_interval_time_t t;

    if (ap_timeout_parameter_parse(arg, &t, "s") != APR_SUCCESS || t <= 0
        || t > apr_time_from_sec(300))
    {
        return "BadgeFetchTimeout: a time from 1ms to 300s (default unit: "
               "seconds; e.g. 5, 500ms)";
    }
    conf->fetch_timeout = t;
    return NULL;
}

/* BadgeFetchCAFile FILE|none */
static const char *
badge_cmd_fetch_ca_file(cmd_parms *cmd, void *dconf, const char *arg)
{
    badge_dir_conf *conf = dconf;
    const char     *path, *err;

    if (strcasecmp(arg, "none") == 0) {
        conf->fetch_ca_file = "";
        conf->fetch_tls = NULL;
        return NULL;
    }
    path = ap_server_root_relative(cmd->pool, arg);
    if (path == NULL) {
        return apr_psprintf(cmd->pool, "BadgeFetchCAFile: invalid file path "
                            "%s", arg);
    }
    err = badge_fetch_ca_ctx(cmd->pool, path, &conf->fetch_tls);
    if (err != NULL) {
        return apr_pstrcat(cmd->pool, "BadgeFetchCAFile: ", err, NULL);
    }
    conf->fetch_ca_file = path;
    return NULL;
}

static const char *
badge_cmd_credential_from(cmd_parms *cmd, void *dconf, const char *arg)
{
    badge_dir_conf *conf = dconf;
    badge_from_t   *f;

    if (conf->from == NULL) {
        conf->from = apr_array_make(cmd->pool, 2, sizeof(badge_from_t));
    }
    f = apr_array_push(conf->from);
    if (strcasecmp(arg, "bearer") == 0) {
        f->type = BADGE_FROM_BEARER;
        f->name = "Authorization";
    } else if (strncasecmp(arg, "header:", 7) == 0 && arg[7] != '\0') {
        f->type = BADGE_FROM_HEADER;
        f->name = arg + 7;
    } else if (strncasecmp(arg, "cookie:", 7) == 0 && arg[7] != '\0') {
        f->type = BADGE_FROM_COOKIE;
        f->name = arg + 7;
    } else if (strncasecmp(arg, "arg:", 4) == 0 && arg[4] != '\0') {
        f->type = BADGE_FROM_ARG;
        f->name = arg + 4;
    } else {
        return "BadgeCredentialFrom: each source is bearer, header:NAME, "
               "cookie:NAME or arg:NAME";
    }
    return NULL;
}

static const command_rec badge_cmds[] = {
    AP_INIT_TAKE1("BadgeMaxInput", badge_cmd_max_input, NULL,
        RSRC_CONF | ACCESS_CONF,
        "Largest credential accepted, in bytes (K and M suffixes; default "
        "1M); a larger request body is answered 413"),
    AP_INIT_ITERATE("BadgeTrustedIssuer", badge_cmd_trusted_issuer, NULL,
        RSRC_CONF | ACCESS_CONF,
        "One or more issuers (DIDs or issuer URLs) this site trusts"),
    AP_INIT_TAKE2("BadgeTrustedKey", badge_cmd_trusted_key, NULL,
        RSRC_CONF | ACCESS_CONF,
        "A verification method id (DID#fragment) or an issuer, and a file "
        "holding its public key (PEM, JWK or multibase); makes the issuer "
        "trusted"),
    AP_INIT_TAKE2("BadgeDocument", badge_cmd_document, NULL,
        RSRC_CONF | ACCESS_CONF,
        "A URL and a file answered for it without fetching (DID document, "
        "status list, issuer profile)"),
    AP_INIT_TAKE1("BadgeClockSkew", badge_cmd_clock_skew, NULL,
        RSRC_CONF | ACCESS_CONF,
        "Seconds of clock difference tolerated on validity dates "
        "(default 300)"),
    AP_INIT_FLAG("BadgeRequireTrustedIssuer", badge_cmd_flag_option,
        (void *) (apr_uintptr_t) BADGE_OPT_REQUIRE_TRUSTED,
        RSRC_CONF | ACCESS_CONF,
        "On: a credential from an issuer not trusted here does not verify "
        "(default Off)"),
    AP_INIT_FLAG("BadgeFetch", badge_cmd_fetch, NULL,
        RSRC_CONF | ACCESS_CONF,
        "Off: never fetch documents (DID documents, status lists); the "
        "checks that need them are reported unchecked (default On)"),
    AP_INIT_TAKE1("BadgeFetchTimeout", badge_cmd_fetch_timeout, NULL,
        RSRC_CONF | ACCESS_CONF,
        "Time allowed to fetch one document (default 5s)"),
    AP_INIT_TAKE1("BadgeFetchCAFile", badge_cmd_fetch_ca_file, NULL,
        RSRC_CONF | ACCESS_CONF,
        "A PEM file of CA certificates trusted for fetched https documents "
        "in addition to the system's store (e.g. a campus CA), or none"),
    AP_INIT_TAKE1("BadgeFetchMaxSize", badge_cmd_fetch_max_size, NULL,
        RSRC_CONF | ACCESS_CONF,
        "Largest fetched document, in bytes (default 2M)"),
    AP_INIT_TAKE1("BadgeFetchMaxDocuments", badge_cmd_fetch_max_docs, NULL,
        RSRC_CONF | ACCESS_CONF,
        "Documents one verification may fetch (default 16)"),
    AP_INIT_FLAG("BadgeFetchAllowPrivate", badge_cmd_flag_option,
        (void *) (apr_uintptr_t) BADGE_OPT_ALLOW_PRIVATE_URLS,
        RSRC_CONF | ACCESS_CONF,
        "On: fetch from loopback, private and link-local addresses too "
        "(default Off: SSRF guard)"),
    AP_INIT_FLAG("BadgeFetchAllowHttp", badge_cmd_flag_option,
        (void *) (apr_uintptr_t) BADGE_OPT_ALLOW_HTTP,
        RSRC_CONF | ACCESS_CONF,
        "On: fetch http:// URLs as well as https:// (default Off)"),
    AP_INIT_ITERATE("BadgeCredentialFrom", badge_cmd_credential_from, NULL,
        RSRC_CONF | ACCESS_CONF,
        "Where Require badge finds the credential, tried in order: bearer "
        "(Authorization: Bearer), header:NAME, cookie:NAME, arg:NAME "
        "(default bearer)"),
    AP_INIT_TAKE1("BadgeCache", badge_cmd_cache, NULL, RSRC_CONF,
        "Where verification results are cached: an mod_socache provider "
        "and its arguments (e.g. shmcb:/run/badge(512000)), or none "
        "(default: shmcb with its defaults, when mod_socache_shmcb is "
        "loaded)"),
    AP_INIT_TAKE1("BadgeCacheTTL", badge_cmd_cache_ttl, NULL,
        RSRC_CONF | ACCESS_CONF,
        "How long a cached verification result is used (default 60s; 0: "
        "do not use the cache here)"),
    AP_INIT_TAKE1("BadgePageDir", badge_cmd_page_dir, NULL,
        RSRC_CONF | ACCESS_CONF,
        "badge-page: the directory of the badge files; /.../ID is "
        "DIR/ID.json"),
    AP_INIT_TAKE1("BadgePageTemplate", badge_cmd_page_template, NULL,
        RSRC_CONF | ACCESS_CONF,
        "badge-page: a page template file, compiled at startup (default: "
        "the built-in one)"),
    AP_INIT_FLAG("BadgePageIndex", badge_cmd_page_index, NULL,
        RSRC_CONF | ACCESS_CONF,
        "badge-page: On lists the badges of BadgePageDir at the "
        "location's own URL (default Off: 404)"),
    AP_INIT_TAKE1("BadgeIssuerKey", badge_cmd_issuer_key, NULL,
        RSRC_CONF | ACCESS_CONF,
        "badge-did, badge-status: the issuer's private key file (PEM); "
        "keep it unreadable by others"),
    AP_INIT_TAKE1("BadgeIssuerDid", badge_cmd_issuer_did, NULL,
        RSRC_CONF | ACCESS_CONF,
        "badge-did, badge-status: the issuer's DID (default: did:web of "
        "the ServerName)"),
    AP_INIT_TAKE1("BadgeStatusRegistry", badge_cmd_status_registry, NULL,
        RSRC_CONF | ACCESS_CONF,
        "badge-status: the registry file of issued credentials and their "
        "status (badgectl status)"),
    AP_INIT_TAKE1("BadgeStatusPurpose", badge_cmd_status_purpose, NULL,
        RSRC_CONF | ACCESS_CONF,
        "badge-status: revocation (default) or suspension"),
    AP_INIT_TAKE1("BadgeStatusFormat", badge_cmd_status_format, NULL,
        RSRC_CONF | ACCESS_CONF,
        "badge-status: bitstring (default), 1edtech or ob2"),
    AP_INIT_TAKE1("BadgeStatusListUrl", badge_cmd_status_list_url, NULL,
        RSRC_CONF | ACCESS_CONF,
        "badge-status: the list's URL, its id (default: https:// + "
        "ServerName + the location)"),
    { NULL }
};

/* ------------------------------------------------------------------ */
/* The ctx of a (merged) configuration                                  */

static badge_ctx_t *
badge_ctx_from_ops(apr_pool_t *p, const apr_array_header_t *ops, int gate,
    const char **err)
{
    badge_ctx_t *ctx = badge_ctx_new();
    int          i;

    if (ctx == NULL) {
        *err = "out of memory";
        return NULL;
    }
    for (i = 0; ops != NULL && i < ops->nelts; i++) {
        *err = badge_op_apply(p, ctx, &APR_ARRAY_IDX(ops, i, badge_op_t));
        if (*err != NULL) {
            badge_ctx_free(ctx);
            return NULL;
        }
    }
    /* a gate admits only credentials of issuers trusted here */
    if (gate && badge_ctx_set_option(ctx, BADGE_OPT_REQUIRE_TRUSTED, 1) != 0) {
        *err = "option refused by the core";
        badge_ctx_free(ctx);
        return NULL;
    }
    return ctx;
}

static const badge_ctx_t *
badge_conf_ctx(request_rec *r, const badge_dir_conf *conf, int gate)
{
    badge_ctx_t *ctx;
    const char  *err = NULL, *lineage;

    if (conf->ctx != NULL && !gate) {
        return conf->ctx;
    }
    lineage = gate ? apr_pstrcat(r->pool, conf->lineage, "/gate", NULL)
                   : conf->lineage;
    if (badge_ctx_cache == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "mod_badge: no configuration cache (child_init did "
                      "not run)");
        return NULL;
    }
#if APR_HAS_THREADS
    apr_thread_mutex_lock(badge_cache_mutex);
#endif
    ctx = apr_hash_get(badge_ctx_cache, lineage, APR_HASH_KEY_STRING);
    if (ctx == NULL) {
        ctx = badge_ctx_from_ops(r->pool, conf->ops, gate, &err);
        if (ctx != NULL) {
            apr_pool_cleanup_register(badge_cache_pool, ctx,
                                      badge_ctx_cleanup,
                                      apr_pool_cleanup_null);
            apr_hash_set(badge_ctx_cache,
                         apr_pstrdup(badge_cache_pool, lineage),
                         APR_HASH_KEY_STRING, ctx);
        }
    }
#if APR_HAS_THREADS
    apr_thread_mutex_unlock(badge_cache_mutex);
#endif
    if (ctx == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "mod_badge: cannot build the configuration for %s: %s",
                      r->uri, err != NULL ? err : "unknown error");
    } else {
        ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r,
                      "mod_badge: configuration %s", lineage);
    }
    return ctx;
}

const badge_ctx_t *
badge_dir_ctx(request_rec *r, const badge_dir_conf *conf)
{
    return badge_conf_ctx(r, conf, 0);
}

/* ------------------------------------------------------------------ */
/* Verification                                                         */

/* The verification already made for this request, or its main request
 * or the request it was redirected from, under the same configuration. */
static badge_req_t *
badge_req_state(request_rec *r, const badge_ctx_t *ctx)
{
    request_rec *q;
    badge_req_t *st;

    for (q = r; q != NULL; q = q->main != NULL ? q->main : q->prev) {
        st = ap_get_module_config(q->request_config, &badge_module);
        if (st != NULL && st->ctx == ctx) {
            return st;
        }
    }
    return NULL;
}

/* A value fit for an environment variable and a proxied header: control
 * characters (CR, LF...) from a hostile credential become '?'. */
static const char *
badge_env_value(apr_pool_t *p, const char *v)
{
    char *c, *s;

    if (v == NULL) {
        return "";
    }
    s = apr_pstrdup(p, v);
    for (c = s; *c != '\0'; c++) {
        if (apr_iscntrl(*c)) {
            *c = '?';
        }
    }
    return s;
}

static void
badge_export_env(request_rec *r, const badge_req_t *st)
{
    static const struct {
        const char    *name;
        badge_field_t  field;
    } vars[] = {
        { "BADGE_STATUS", BADGE_FIELD_STATUS },
        { "BADGE_FORMAT", BADGE_FIELD_FORMAT },
        { "BADGE_ISSUER", BADGE_FIELD_ISSUER },
        { "BADGE_SUBJECT", BADGE_FIELD_SUBJECT },
        { "BADGE_ACHIEVEMENT", BADGE_FIELD_ACHIEVEMENT },
        { "BADGE_ERROR", BADGE_FIELD_ERROR },
        /* the rest of nginx's $badge_* variables */
        { "BADGE_ISSUER_NAME", BADGE_FIELD_ISSUER_NAME },
        { "BADGE_ACHIEVEMENT_NAME", BADGE_FIELD_ACHIEVEMENT_NAME },
        { "BADGE_CREDENTIAL_ID", BADGE_FIELD_CREDENTIAL_ID },
        { "BADGE_VALID_UNTIL", BADGE_FIELD_VALID_UNTIL },
    };
    apr_table_t *env = r->subprocess_env;
    size_t       i;
    const char  *v;

    if (st->cache != NULL) {
        apr_table_setn(env, "BADGE_CACHE", st->cache);
    }
    if (!st->have) {
        apr_table_setn(env, "BADGE_VERIFIED", "0");
        apr_table_setn(env, "BADGE_ERROR", st->error);
        return;
    }
    apr_table_setn(env, "BADGE_VERIFIED", st->res.verified ? "1" : "0");
    for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
        v = st->res.fields[vars[i].field];
        if (v != NULL) {
            apr_table_setn(env, vars[i].name, badge_env_value(r->pool, v));
        } else {
            apr_table_unset(env, vars[i].name);
        }
    }
}

/*
 * Verify data (len bytes), or the credential at url, under conf, fetching
 * what the core asks for.  The session lives until the request's pool is
 * cleared.  NULL when no report could be made (out of memory: logged).
 * *transient (may be NULL) is set when a document could not be fetched
 * (error, timeout or a 5xx answer): the result is not to be cached.
 * lang: the report's language; NULL: from Accept-Language.
 */
badge_session_t *
badge_verify(request_rec *r, const badge_dir_conf *conf,
    const badge_ctx_t *ctx, const char *data, const char *url,
    apr_size_t len, const char *lang, int *transient)
{
    badge_verify_opts_t  opts;
    badge_session_t     *s;
    badge_fetch_opts_t   fo;
    badge_step_t         step;
    const char *const   *urls;
    const char          *al;
    size_t               n, i;
    int                  round, got;

    if (transient != NULL) {
        *transient = 0;
    }
    memset(&opts, 0, sizeof(opts));
    al = apr_table_get(r->headers_in, "Accept-Language");
    opts.lang = lang != NULL ? lang
                             : badge_http_lang(al, al != NULL ? strlen(al) : 0);
    s = badge_session_new(ctx, &opts);
    if (s == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "mod_badge: cannot start a verification");
        return NULL;
    }
    apr_pool_cleanup_register(r->pool, s, badge_session_cleanup,
                              apr_pool_cleanup_null);
    if (url != NULL ? badge_session_set_input_url(s, url) != 0
                    : badge_session_set_input(s, data, len) != 0)
    {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "mod_badge: out of memory for a %" APR_SIZE_T_FMT
                      "-byte input", len);
        return NULL;
    }

    fo.timeout = conf->fetch_timeout > 0 ? conf->fetch_timeout
                                         : BADGE_DEFAULT_TIMEOUT;
    fo.max_size = (apr_size_t) badge_ctx_get_option(ctx,
                                                    BADGE_OPT_MAX_DOCUMENT);
    fo.allow_private = badge_ctx_get_option(ctx,
                                            BADGE_OPT_ALLOW_PRIVATE_URLS) != 0;
    fo.max_redirects = 3;
    fo.tls = conf->fetch_tls;

    for (round = 0; ; round++) {
        step = badge_session_run(s);
        if (step == BADGE_DONE) {
            break;
        }
        if (step != BADGE_NEED_DOCUMENTS) {
            ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                          "mod_badge: verification failed (out of memory)");
            return NULL;
        }
        n = badge_session_needed(s, &urls);
        for (i = 0; i < n; i++) {
            if (conf->fetch != 0 && round < BADGE_MAX_ROUNDS) {
                got = badge_fetch_supply(r, ctx, s, urls[i], &fo);
                if ((got == 0 || got >= 500) && transient != NULL) {
                    *transient = 1;
                }
            } else {
                ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                              "mod_badge: not fetching %s (BadgeFetch Off)",
                              urls[i]);
                badge_session_supply(s, urls[i], 0, NULL, NULL, 0);
            }
        }
    }
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                  "mod_badge: %s credential from %s: %s%s%s",
                  badge_session_field(s, BADGE_FIELD_FORMAT) != NULL
                      ? badge_session_field(s, BADGE_FIELD_FORMAT) : "unknown",
                  badge_session_field(s, BADGE_FIELD_ISSUER) != NULL
                      ? badge_session_field(s, BADGE_FIELD_ISSUER) : "unknown",
                  badge_session_field(s, BADGE_FIELD_STATUS),
                  badge_session_field(s, BADGE_FIELD_ERROR) != NULL
                      ? ", " : "",
                  badge_session_field(s, BADGE_FIELD_ERROR) != NULL
                      ? badge_session_field(s, BADGE_FIELD_ERROR) : "");
    return s;
}

const char *
badge_fetch_desc(request_rec *r, const badge_dir_conf *conf)
{
    if (conf->fetch == 0) {
        return "fetch off";
    }
    if (conf->fetch_tls == NULL) {
        return "fetch on";
    }
    /* another trust store: a document one section fetches another may
     * not, so the two must not share results */
    return apr_pstrcat(r->pool, "fetch on, ca ", conf->fetch_ca_file, NULL);
}

/*
 * Verify (data, len) or the credential at url for the request and fill
 * st: from the cache when it holds the result (BADGE_CACHE=hit), else by
 * badge_verify(), whose result then goes into the cache (BADGE_CACHE=
 * miss).  The key is the configuration's digest, BadgeFetch, the report
 * language and the input.  want_session: the caller needs the session
 * (the HTML page renders from it), so the cache is not read (the result
 * is still stored); returns it, or NULL.
 */
static badge_session_t *
badge_check(request_rec *r, const badge_dir_conf *conf, badge_req_t *st,
    const char *data, const char *url, apr_size_t len, int want_session)
{
    unsigned char        cfg[BADGE_CACHE_KEY_LEN], key[BADGE_CACHE_KEY_LEN];
    apr_interval_time_t  ttl = badge_cache_ttl(conf);
    badge_session_t     *s;
    const char          *al, *lang, *f;
    int                  transient = 0, keyed = 0;

    if (ttl > 0) {
        al = apr_table_get(r->headers_in, "Accept-Language");
        lang = badge_http_lang(al, al != NULL ? strlen(al) : 0);
        f = apr_pstrcat(r->pool, badge_fetch_desc(r, conf),
                        st->gate ? " gate" : "", NULL);
        keyed = badge_cache_chain(cfg, conf->digest, f, strlen(f)) == 0
                && badge_cache_key(key, cfg, lang,
                                   url != NULL ? "url" : "data",
                                   url != NULL ? url : data,
                                   url != NULL ? strlen(url) : len) == 0;
        if (keyed && !want_session && badge_cache_get(r, key, &st->res, 0)) {
            st->have = 1;
            st->cache = "hit";
            ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                          "mod_badge: cache hit: %s",
                          st->res.fields[BADGE_FIELD_STATUS] != NULL
                              ? st->res.fields[BADGE_FIELD_STATUS] : "-");
            return NULL;
        }
        st->cache = keyed ? "miss" : NULL;
    }
    s = badge_verify(r, conf, st->ctx, data, url, len, NULL, &transient);
    if (s == NULL || badge_result_from_session(s, &st->res) != 0) {
        st->error = badge_http_err_code(BADGE_HTTP_INTERNAL);
        return NULL;
    }
    st->have = 1;
    if (keyed && badge_result_cacheable(&st->res, transient)) {
        badge_cache_put(r, key, &st->res, ttl, 0);
    } else if (keyed) {
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                      "mod_badge: result not cached (%s)",
                      transient ? "a document could not be fetched"
                                : "not a finished report");
    }
    return s;
}

/* ------------------------------------------------------------------ */
/* The badge-verify handler                                             */

int
badge_send_json(request_rec *r, int status, const char *body, apr_size_t len)
{
    r->status = status;
    ap_set_content_type(r, BADGE_JSON_TYPE);
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    apr_table_setn(r->headers_out, "X-Content-Type-Options", "nosniff");
    /* a browser would have had the page; the messages follow
     * Accept-Language */
    apr_table_mergen(r->headers_out, "Vary", "Accept, Accept-Language");
    ap_set_content_length(r, (apr_off_t) len);
    if (!r->header_only) {
        ap_rwrite(body, (int) len, r);
    }
    return OK;
}

static void *
badge_palloc(void *pool, size_t n)
{
    return apr_palloc(pool, n);
}

/* 1 if the client (a browser) prefers the HTML verify page to JSON. */
static int
badge_wants_html(request_rec *r)
{
    const char *accept = apr_table_get(r->headers_in, "Accept");

    return accept != NULL && badge_http_wants_html(accept, strlen(accept));
}

/*
 * The HTML verify page (src/verify_page.h): the form, with the result of
 * session s or the error (code, message) above it.
 */
static int
badge_send_page(request_rec *r, int status, const badge_session_t *s,
    const char *code, const char *message, const char *url)
{
    badge_verify_page_t  page;
    const char          *al;
    char                *html;
    size_t               len;

    memset(&page, 0, sizeof(page));
    page.action = r->uri;
    al = apr_table_get(r->headers_in, "Accept-Language");
    page.lang = badge_page_lang(r->args, r->args != NULL ? strlen(r->args) : 0,
                                al, al != NULL ? strlen(al) : 0);
    page.url = url;
    page.error_code = code;
    page.error_message = message;
    html = badge_verify_page_html(s, &page, badge_palloc, r->pool, &len);
    if (html == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "mod_badge: cannot make the verify page");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    r->status = status;
    ap_set_content_type(r, BADGE_VERIFY_PAGE_TYPE);
    apr_table_setn(r->headers_out, "Content-Security-Policy",
                   BADGE_VERIFY_PAGE_CSP);
    apr_table_setn(r->headers_out, "X-Content-Type-Options", "nosniff");
    apr_table_setn(r->headers_out, "Referrer-Policy", "no-referrer");
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    apr_table_mergen(r->headers_out, "Vary", "Accept, Accept-Language");
    ap_set_content_length(r, (apr_off_t) len);
    if (!r->header_only) {
        ap_rwrite(html, (int) len, r);
    }
    return OK;
}

/* An answer before verification: JSON, or the page for a browser. */
static int
badge_send_error_msg(request_rec *r, int status, const char *code,
    const char *message)
{
    char        buf[1024];
    apr_size_t  len;

    ap_log_rerror(APLOG_MARK, status >= 500 ? APLOG_ERR : APLOG_INFO, 0, r,
                  "mod_badge: %d %s", status, code);
    if (status == HTTP_REQUEST_ENTITY_TOO_LARGE) {
        /* the rest of the body is not read: no keep-alive after it */
        r->connection->keepalive = AP_CONN_CLOSE;
    }
    if (badge_wants_html(r)) {
        return badge_send_page(r, status, NULL, code, message, NULL);
    }
    len = badge_http_error_json(buf, sizeof(buf), code, message);
    if (len >= sizeof(buf)) {
        len = sizeof(buf) - 1;
    }
    return badge_send_json(r, status, buf, len);
}

static int
badge_send_error(request_rec *r, badge_http_err_t e)
{
    return badge_send_error_msg(r, badge_http_err_status(e),
                                badge_http_err_code(e),
                                badge_http_err_message(e));
}

/* Read the request body, at most max bytes: OK, HTTP_REQUEST_ENTITY_TOO_
 * LARGE, AP_FILTER_ERROR (an answer was sent) or another error status. */
static int
badge_read_body(request_rec *r, apr_size_t max, char **out, apr_size_t *outlen)
{
    apr_bucket_brigade *bb;
    apr_bucket         *e;
    apr_status_t        rv;
    const char         *cl, *data;
    char               *buf, *nbuf;
    apr_size_t          cap, len = 0, n;
    apr_off_t           clen;
    int                 eos = 0;

    cl = apr_table_get(r->headers_in, "Content-Length");
    cap = 8192;
    if (cl != NULL) {
        if (!ap_parse_strict_length(&clen, cl)) {
            return HTTP_BAD_REQUEST;
        }
        if ((apr_uint64_t) clen > max) {
            return HTTP_REQUEST_ENTITY_TOO_LARGE;
        }
        cap = (apr_size_t) clen;
    }
    if (cap > max) {
        cap = max;
    }
    buf = apr_palloc(r->pool, cap + 1);
    bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    do {
        rv = ap_get_brigade(r->input_filters, bb, AP_MODE_READBYTES,
                            APR_BLOCK_READ, HUGE_STRING_LEN);
        if (rv != APR_SUCCESS) {
            apr_brigade_destroy(bb);
            return ap_map_http_request_error(rv, HTTP_BAD_REQUEST);
        }
        for (e = APR_BRIGADE_FIRST(bb); e != APR_BRIGADE_SENTINEL(bb);
             e = APR_BUCKET_NEXT(e))
        {
            if (APR_BUCKET_IS_EOS(e)) {
                eos = 1;
                break;
            }
            if (APR_BUCKET_IS_METADATA(e)) {
                continue;
            }
            rv = apr_bucket_read(e, &data, &n, APR_BLOCK_READ);
            if (rv != APR_SUCCESS) {
                apr_brigade_destroy(bb);
                return HTTP_BAD_REQUEST;
            }
            if (n > max - len) {
                apr_brigade_destroy(bb);
                return HTTP_REQUEST_ENTITY_TOO_LARGE;
            }
            if (len + n > cap) {
                cap = cap * 2 > len + n ? cap * 2 : len + n;
                if (cap > max) {
                    cap = max;
                }
                nbuf = apr_palloc(r->pool, cap + 1);
                memcpy(nbuf, buf, len);
                buf = nbuf;
            }
            memcpy(buf + len, data, n);
            len += n;
        }
        apr_brigade_cleanup(bb);
    } while (!eos);
    apr_brigade_destroy(bb);
    buf[len] = '\0';
    *out = buf;
    *outlen = len;
    return OK;
}

/* The decoded "url" query argument, or NULL. */
static const char *
badge_query_url(request_rec *r)
{
    char       *out;
    size_t      len;
    apr_size_t  n;

    if (r->args == NULL) {
        return NULL;
    }
    n = strlen(r->args);
    out = apr_palloc(r->pool, n + 1);
    if (badge_http_form_field(r->args, n, "url", out, &len) != 0
        || len == 0 || memchr(out, '\0', len) != NULL)
    {
        return NULL;
    }
    out[len] = '\0';
    return out;
}

static int
badge_send_report(request_rec *r, badge_req_t *st, const badge_session_t *s,
    const char *url)
{
    const char *err;
    int         status;

    badge_export_env(r, st);
    if (!st->have) {
        return badge_send_error(r, BADGE_HTTP_INTERNAL);
    }
    status = st->res.http_status;
    if (status != HTTP_OK) {
        err = st->res.fields[BADGE_FIELD_ERROR];
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "mod_badge: %d: the input is not a credential (%s)",
                      status, err != NULL ? err : "-");
    }
    if (s != NULL) {
        return badge_send_page(r, status, s, NULL, NULL, url);
    }
    return badge_send_json(r, status, st->res.report, st->res.report_len);
}

/*
 * SetHandler badge-verify:
 *   POST, the credential as the body, or a form (urlencoded or
 *   multipart/form-data) with a "credential" field, a "file" upload or a
 *   "url" field (the credential at that URL): the core's
 *   badge_http_extract_input() reads them
 *   GET ?url=URL: verify the credential found at URL (fetched under the
 *   same policy as every other document)
 * Answers the JSON report: 200 when the input was read as a credential
 * (verified or not), 400 when it was not one; errors before verification
 * (405, 413, 415, 400) are JSON too.  A browser (Accept prefers
 * text/html) gets the HTML verify page instead: the form, with the result
 * or the error above it; GET without ?url= is the empty form.
 */
static int
badge_verify_handler(request_rec *r)
{
    badge_dir_conf      *conf;
    const badge_ctx_t   *ctx;
    badge_req_t         *st;
    badge_session_t     *s;
    badge_http_input_t   in;
    badge_http_err_t     e;
    const char          *ct, *url = NULL;
    char                *body = NULL, *scratch;
    apr_size_t           len = 0;
    int                  rc, html;

    if (r->handler == NULL || strcmp(r->handler, BADGE_HANDLER_VERIFY) != 0) {
        return DECLINED;
    }
    r->allowed |= (AP_METHOD_BIT << M_POST) | (AP_METHOD_BIT << M_GET);
    if (r->method_number != M_GET && r->method_number != M_POST) {
        apr_table_setn(r->headers_out, "Allow", "GET, HEAD, POST");
        return badge_send_error(r, BADGE_HTTP_METHOD);
    }
    html = badge_wants_html(r);
    if (r->method_number == M_GET) {
        url = badge_query_url(r);
        if (url == NULL) {
            if (html) {
                return badge_send_page(r, HTTP_OK, NULL, NULL, NULL, NULL);
            }
            return badge_send_error(r, BADGE_HTTP_NO_INPUT);
        }
    }
    conf = ap_get_module_config(r->per_dir_config, &badge_module);
    ctx = badge_dir_ctx(r, conf);
    if (ctx == NULL) {
        return badge_send_error(r, BADGE_HTTP_INTERNAL);
    }
    st = apr_pcalloc(r->pool, sizeof(*st));
    st->ctx = ctx;
    ap_set_module_config(r->request_config, &badge_module, st);

    if (url != NULL) {
        s = badge_check(r, conf, st, NULL, url, 0, html);
        return badge_send_report(r, st, html ? s : NULL, url);
    }

    ct = apr_table_get(r->headers_in, "Content-Type");
    if (!badge_http_content_type_ok(ct, ct != NULL ? strlen(ct) : 0)) {
        return badge_send_error(r, BADGE_HTTP_MEDIA_TYPE);
    }
    rc = badge_read_body(r, (apr_size_t) badge_ctx_get_option(ctx,
                                                     BADGE_OPT_MAX_INPUT),
                         &body, &len);
    if (rc == HTTP_REQUEST_ENTITY_TOO_LARGE) {
        return badge_send_error(r, BADGE_HTTP_TOO_LARGE);
    }
    if (rc == AP_FILTER_ERROR) {
        return rc;
    }
    if (rc != OK) {
        return badge_send_error(r, BADGE_HTTP_BAD_REQUEST);
    }
    scratch = apr_palloc(r->pool, len + 1);
    memset(&in, 0, sizeof(in));
    e = badge_http_extract_input(ct, ct != NULL ? strlen(ct) : 0, body, len,
                                 scratch, &in);
    if (e != BADGE_HTTP_OK) {
        return badge_send_error(r, e);
    }
    s = badge_check(r, conf, st, in.url == NULL ? in.data : NULL, in.url,
                    in.url == NULL ? in.len : 0, html);
    return badge_send_report(r, st, html ? s : NULL, in.url);
}

/* ------------------------------------------------------------------ */
/* Require badge ...                                                    */

/* Every Require badge line, for the startup check that some issuer is
 * trusted where it applies (post_config). */
typedef struct {
    const badge_dir_conf *conf;       /* its section's own configuration */
    server_rec           *server;
    const char           *file;
    unsigned              line;
} badge_gate_t;

static apr_array_header_t *badge_gates;

static apr_status_t
badge_gates_reset(void *data)
{
    badge_gates = NULL;
    return APR_SUCCESS;
}

static int
badge_ops_trust(const badge_dir_conf *conf)
{
    const badge_op_t *op;
    int               i;

    for (i = 0; conf != NULL && conf->ops != NULL && i < conf->ops->nelts;
         i++)
    {
        op = &APR_ARRAY_IDX(conf->ops, i, badge_op_t);
        if (op->type == BADGE_OP_ISSUER || op->type == BADGE_OP_KEY) {
            return 1;
        }
    }
    return 0;
}

/* A gate that trusts nobody admits nobody: say so at startup (as nginx
 * does).  Looked at: the section of the Require line and the server's
 * (and the main server's) defaults; trust set only in an enclosing
 * <Location> is not seen, hence "may". */
static void
badge_gates_check(server_rec *main)
{
    const badge_gate_t *g;
    int                 i;

    for (i = 0; badge_gates != NULL && i < badge_gates->nelts; i++) {
        g = &APR_ARRAY_IDX(badge_gates, i, badge_gate_t);
        if (badge_ops_trust(g->conf)
            || badge_ops_trust(ap_get_module_config(
                   g->server->lookup_defaults, &badge_module))
            || badge_ops_trust(ap_get_module_config(
                   main->lookup_defaults, &badge_module)))
        {
            continue;
        }
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, g->server,
                     "mod_badge: Require badge (%s:%u): no BadgeTrustedIssuer "
                     "or BadgeTrustedKey in its section or server: the gate "
                     "admits only credentials of trusted issuers, and may "
                     "admit nobody", g->file, g->line);
    }
}

static const char *
badge_authz_parse(cmd_parms *cmd, const char *require_args,
    const void **parsed)
{
    badge_gate_t *g;

    badge_require_t *req = apr_pcalloc(cmd->pool, sizeof(*req));
    const char      *line = require_args, *w;

    w = ap_getword_conf(cmd->temp_pool, &line);
    if (strcasecmp(w, "verified") == 0) {
        req->type = BADGE_REQUIRE_VERIFIED;
    } else if (strcasecmp(w, "issuer") == 0) {
        req->type = BADGE_REQUIRE_ISSUER;
    } else if (strcasecmp(w, "achievement") == 0) {
        req->type = BADGE_REQUIRE_ACHIEVEMENT;
    } else {
        return "Require badge: expected 'verified', 'issuer ID...' or "
               "'achievement ID...'";
    }
    req->values = apr_array_make(cmd->pool, 2, sizeof(const char *));
    while (*line != '\0') {
        w = ap_getword_conf(cmd->pool, &line);
        if (*w != '\0') {
            APR_ARRAY_PUSH(req->values, const char *) = w;
        }
    }
    if (req->type == BADGE_REQUIRE_VERIFIED && req->values->nelts > 0) {
        return "Require badge verified: takes no arguments";
    }
    if (req->type != BADGE_REQUIRE_VERIFIED && req->values->nelts == 0) {
        return "Require badge issuer|achievement: name at least one id";
    }
    if (req->type != BADGE_REQUIRE_VERIFIED) {
        badge_http_str_t *ids = apr_palloc(cmd->pool, sizeof(*ids)
                                           * (apr_size_t) req->values->nelts);
        int               i;

        for (i = 0; i < req->values->nelts; i++) {
            ids[i].data = APR_ARRAY_IDX(req->values, i, const char *);
            ids[i].len = strlen(ids[i].data);
        }
        if (req->type == BADGE_REQUIRE_ISSUER) {
            req->policy.issuers = ids;
            req->policy.n_issuers = (size_t) req->values->nelts;
        } else {
            req->policy.achievements = ids;
            req->policy.n_achievements = (size_t) req->values->nelts;
        }
    }
    if (cmd->context != NULL && cmd->directive != NULL) {
        if (badge_gates == NULL) {
            badge_gates = apr_array_make(cmd->pool, 4, sizeof(badge_gate_t));
            apr_pool_cleanup_register(cmd->pool, NULL, badge_gates_reset,
                                      apr_pool_cleanup_null);
        }
        g = apr_array_push(badge_gates);
        g->conf = ap_get_module_config(cmd->context, &badge_module);
        g->server = cmd->server;
        g->file = cmd->directive->filename;
        g->line = (unsigned) cmd->directive->line_num;
    }
    *parsed = req;
    return NULL;
}

/* The credential the request carries, or NULL. */
static const char *
badge_request_credential(request_rec *r, const badge_dir_conf *conf)
{
    static const badge_from_t bearer = { BADGE_FROM_BEARER,
                                         "Authorization" };
    const badge_from_t *f;
    const char         *v;
    int                 i, n;

    n = conf->from != NULL ? conf->from->nelts : 1;
    for (i = 0; i < n; i++) {
        f = conf->from != NULL ? &APR_ARRAY_IDX(conf->from, i, badge_from_t)
                               : &bearer;
        v = NULL;
        switch (f->type) {
        case BADGE_FROM_BEARER:
            v = apr_table_get(r->headers_in, "Authorization");
            if (v != NULL && strncasecmp(v, "Bearer ", 7) == 0) {
                v += 7;
            } else {
                v = NULL;
            }
            break;
        case BADGE_FROM_HEADER:
            v = apr_table_get(r->headers_in, f->name);
            break;
        case BADGE_FROM_COOKIE:
            if (ap_cookie_read(r, f->name, &v, 0) != APR_SUCCESS) {
                v = NULL;
            }
            if (v != NULL && strchr(v, '%') != NULL) {
                char *d = apr_pstrdup(r->pool, v);

                v = ap_unescape_url(d) == OK ? d : NULL;
            }
            break;
        case BADGE_FROM_ARG:
            if (r->args != NULL) {
                /* the core's form decoding, as for ?url= */
                size_t alen = strlen(r->args), len;
                char  *d = apr_palloc(r->pool, alen + 1);

                if (badge_http_form_field(r->args, alen, f->name, d, &len) == 0
                    && memchr(d, '\0', len) == NULL)
                {
                    d[len] = '\0';
                    v = d;
                }
            }
            break;
        }
        while (v != NULL && apr_isspace(*v)) {
            v++;
        }
        if (v != NULL && *v != '\0') {
            return v;
        }
    }
    return NULL;
}

static authz_status
badge_authz_check(request_rec *r, const char *line,
    const void *parsed)
{
    const badge_require_t *req = parsed;
    badge_dir_conf        *conf;
    const badge_ctx_t     *ctx;
    badge_req_t           *st;
    badge_http_verdict_t   v;
    const char            *cred, *code, *what, *have;
    int                    status;

    if (req == NULL) {
        return AUTHZ_GENERAL_ERROR;
    }
    conf = ap_get_module_config(r->per_dir_config, &badge_module);
    ctx = badge_conf_ctx(r, conf, 1);
    if (ctx == NULL) {
        return AUTHZ_GENERAL_ERROR;
    }
    st = badge_req_state(r, ctx);
    if (st == NULL) {
        st = apr_pcalloc(r->pool, sizeof(*st));
        st->ctx = ctx;
        st->gate = 1;
        cred = badge_request_credential(r, conf);
        if (cred == NULL) {
            st->error = badge_http_err_code(BADGE_HTTP_NO_CREDENTIAL);
        } else if ((long) strlen(cred)
                   > badge_ctx_get_option(ctx, BADGE_OPT_MAX_INPUT))
        {
            st->error = badge_http_err_code(BADGE_HTTP_TOO_LARGE);
        } else {
            (void) badge_check(r, conf, st, cred, NULL, strlen(cred), 0);
        }
        ap_set_module_config(r->request_config, &badge_module, st);
        badge_export_env(r, st);
    } else if (apr_table_get(r->subprocess_env, "BADGE_VERIFIED") == NULL) {
        badge_export_env(r, st);
    }

    if (!st->have) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "mod_badge: Require badge %s: denied, %s", line,
                      st->error);
        st->denied = st->error;
        return AUTHZ_DENIED;
    }
    /* the decision is the core's, as nginx's gate's; the trust the gate
     * needs is in ctx (BADGE_OPT_REQUIRE_TRUSTED): a failing issuer check */
    memset(&v, 0, sizeof(v));
    v.verified = st->res.verified;
    v.outcome = st->res.outcome;
    v.fail_check = st->res.fail_check;
    v.fail_code = st->res.fail_code;
    v.issuer = st->res.fields[BADGE_FIELD_ISSUER];
    v.achievement = st->res.fields[BADGE_FIELD_ACHIEVEMENT];
    status = badge_http_gate_decide(&v, &req->policy, &code);
    if (status == 0) {
        return AUTHZ_GRANTED;
    }
    st->denied = code;
    what = strcmp(code, "issuer_not_allowed") == 0 ? "issuer"
           : strcmp(code, "achievement_not_allowed") == 0 ? "achievement"
           : NULL;
    if (what != NULL) {
        have = what[0] == 'i' ? v.issuer : v.achievement;
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "mod_badge: Require badge %s: denied, the credential's "
                      "%s is %s", line, what, have != NULL ? have : "absent");
        return AUTHZ_DENIED;
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  "mod_badge: Require badge %s: denied, the credential "
                  "does not verify (%s%s%s)", line, code,
                  v.fail_check != NULL ? ", check " : "",
                  v.fail_check != NULL ? v.fail_check : "");
    return status >= 500 ? AUTHZ_GENERAL_ERROR : AUTHZ_DENIED;
}

static const authz_provider badge_authz_provider = {
    &badge_authz_check,
    &badge_authz_parse,
};

/* ------------------------------------------------------------------ */
/* Hooks                                                                */

/* A request Require badge denied says why, as nginx's gate does:
 * X-Badge-Error: no_credential | signature_invalid | issuer_unknown |
 * issuer_not_allowed | achievement_not_allowed | ... */
static void
badge_set_error_header(request_rec *r, request_rec *from)
{
    request_rec *q;
    badge_req_t *st;

    for (q = from; q != NULL; q = q->prev) {
        st = ap_get_module_config(q->request_config, &badge_module);
        if (st != NULL && st->denied != NULL) {
            apr_table_setn(r->err_headers_out, "X-Badge-Error",
                           badge_env_value(r->pool, st->denied));
            return;
        }
    }
}

/* The error httpd answers itself. */
static void
badge_insert_error_filter(request_rec *r)
{
    if (r->status == HTTP_FORBIDDEN || r->status == HTTP_UNAUTHORIZED) {
        badge_set_error_header(r, r);
    }
}

/* An ErrorDocument served for the denial (an internal redirect). */
static void
badge_insert_filter(request_rec *r)
{
    if (r->prev != NULL && (r->prev->status == HTTP_FORBIDDEN
                            || r->prev->status == HTTP_UNAUTHORIZED))
    {
        badge_set_error_header(r, r->prev);
    }
}

static void
badge_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_status_t rv;

    badge_cache_pool = pchild;
    badge_ctx_cache = apr_hash_make(pchild);
#if APR_HAS_THREADS
    rv = apr_thread_mutex_create(&badge_cache_mutex,
                                 APR_THREAD_MUTEX_DEFAULT, pchild);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s,
                     "mod_badge: cannot create the configuration mutex");
        badge_ctx_cache = NULL;
    }
#else
    (void) rv;
#endif
    badge_fetch_child_init(pchild, s);
    badge_cache_child_init(pchild, s);
}

static int
badge_pre_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp)
{
    badge_cache_pre_config(pconf);
    return OK;
}

static int
badge_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
    server_rec *s)
{
    int rc = badge_issuer_post_config(pconf, ptemp, s);

    if (ap_state_query(AP_SQ_MAIN_STATE) != AP_SQ_MS_CREATE_PRE_CONFIG) {
        badge_gates_check(s);
    }
    return rc != OK ? rc : badge_cache_post_config(pconf, ptemp, s);
}

static void
badge_register_hooks(apr_pool_t *p)
{
    ap_hook_pre_config(badge_pre_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(badge_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(badge_verify_handler, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(badge_page_handler, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(badge_issuer_handler, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(badge_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_insert_error_filter(badge_insert_error_filter, NULL, NULL,
                                APR_HOOK_MIDDLE);
    ap_hook_insert_filter(badge_insert_filter, NULL, NULL, APR_HOOK_MIDDLE);
    ap_register_auth_provider(p, AUTHZ_PROVIDER_GROUP, "badge",
                              AUTHZ_PROVIDER_VERSION, &badge_authz_provider,
                              AP_AUTH_INTERNAL_PER_CONF);
}

AP_DECLARE_MODULE(badge) = {
    STANDARD20_MODULE_STUFF,
    badge_create_dir_config,
    badge_merge_dir_config,
    NULL,                       /* server config: everything is per-dir */
    NULL,
    badge_cmds,
    badge_register_hooks,
    AP_MODULE_FLAG_NONE
};
