/*
 * fetch.c: badgectl's side of the document exchange (see fetch.h).
 */
#include "fetch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "vc.h"

struct badgectl_cached_s {
    char                *url;
    int                  status;
    unsigned char       *body;
    size_t               len;
    badgectl_cached_t   *next;
};

int
badgectl_vsetup_init(badgectl_vsetup_t *v)
{
    memset(v, 0, sizeof(*v));
    v->ctx = badge_ctx_new();
    v->docmap = badgectl_docmap_new();
    if (v->ctx == NULL || v->docmap == NULL) {
        fprintf(stderr, "badgectl: out of memory\n");
        badgectl_vsetup_free(v);
        return -1;
    }
    return 0;
}

void
badgectl_vsetup_free(badgectl_vsetup_t *v)
{
    badgectl_cached_t *c, *next;

    for (c = v->cached; c != NULL; c = next) {
        next = c->next;
        free(c->url);
        free(c->body);
        free(c);
    }
    v->cached = NULL;
    badge_ctx_free(v->ctx);
    badgectl_docmap_free(v->docmap);
    v->ctx = NULL;
    v->docmap = NULL;
}

static int
badgectl_need_arg(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc) {
        fprintf(stderr, "badgectl: %s needs an argument\n", argv[*i]);
        return -1;
    }
    (*i)++;
    return 0;
}

/* --key [KID=]FILE: KID= only if what follows the last '=' is a file. */
static int
badgectl_key_option(badgectl_vsetup_t *v, const char *arg)
{
    const char    *eq = strrchr(arg, '='), *file = arg;
    char          *kid = NULL, err[256];
    const char    *issuer = NULL, *k = NULL;
    unsigned char *body;
    size_t         len;
    int            rc;

    if (eq != NULL && eq != arg && access(eq + 1, R_OK) == 0) {
        kid = strndup(arg, (size_t) (eq - arg));
        if (kid == NULL) {
            return -1;
        }
        file = eq + 1;
        if (strchr(kid, '#') != NULL) {
            k = kid;
        } else {
            issuer = kid;
        }
    } else if (v->last_trust != NULL) {
        issuer = v->last_trust;
    } else {
        fprintf(stderr, "badgectl: --key FILE needs KID=FILE, ISSUER=FILE "
            "or a preceding --trust ISSUER\n");
        return -1;
    }
    if (badgectl_read_file(file, 1024 * 1024, &body, &len) != 0) {
        fprintf(stderr, "badgectl: cannot read key file %s\n", file);
        free(kid);
        return -1;
    }
    rc = badge_ctx_add_key(v->ctx, issuer, k, body, len, err, sizeof(err));
    free(body);
    if (rc != 0) {
        fprintf(stderr, "badgectl: key %s: %s\n", file, err);
    }
    free(kid);
    return rc;
}

int
badgectl_vsetup_option(badgectl_vsetup_t *v, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    char        err[256];
    time_t      t;
    int         rc;

    rc = badgectl_docmap_option(v->docmap, argc, argv, i);
    if (rc != 0) {
        return rc;
    }
    if (strcmp(a, "--trust") == 0) {
        if (badgectl_need_arg(argc, argv, i) != 0) {
            return -1;
        }
        if (badge_ctx_trust_issuer(v->ctx, argv[*i], err, sizeof(err)) != 0)
        {
            fprintf(stderr, "badgectl: --trust %s: %s\n", argv[*i], err);
            return -1;
        }
        v->last_trust = argv[*i];
        return 1;
    }
    if (strcmp(a, "--key") == 0) {
        if (badgectl_need_arg(argc, argv, i) != 0) {
            return -1;
        }
        return badgectl_key_option(v, argv[*i]) == 0 ? 1 : -1;
    }
    if (strcmp(a, "--now") == 0) {
        if (badgectl_need_arg(argc, argv, i) != 0) {
            return -1;
        }
        if (badge_vc_parse_date(argv[*i], &t) != 0) {
            fprintf(stderr, "badgectl: --now needs an RFC 3339 date-time "
                "(2024-01-31T12:00:00Z), got '%s'\n", argv[*i]);
            return -1;
        }
        v->vopts.now = t != 0 ? t : 1;
        return 1;
    }
    if (strcmp(a, "--lang") == 0) {
        if (badgectl_need_arg(argc, argv, i) != 0) {
            return -1;
        }
        if (strcmp(argv[*i], "ja") != 0 && strcmp(argv[*i], "en") != 0) {
            fprintf(stderr, "badgectl: --lang is ja or en\n");
            return -1;
        }
        v->vopts.lang = argv[*i];
        return 1;
    }
    if (strcmp(a, "--recipient") == 0) {
        if (badgectl_need_arg(argc, argv, i) != 0) {
            return -1;
        }
        v->vopts.recipient = argv[*i];
        return 1;
    }
    if (strcmp(a, "--challenge") == 0 || strcmp(a, "--domain") == 0) {
        if (badgectl_need_arg(argc, argv, i) != 0) {
            return -1;
        }
        if (a[2] == 'c') {
            v->vopts.challenge = argv[*i];
        } else {
            v->vopts.domain = argv[*i];
        }
        return 1;
    }
    if (strcmp(a, "--allow-http") == 0) {
        v->allow_http = 1;
        badge_ctx_set_option(v->ctx, BADGE_OPT_ALLOW_HTTP, 1);
        return 1;
    }
    if (strcmp(a, "--allow-private") == 0) {
        v->allow_private = 1;
        badge_ctx_set_option(v->ctx, BADGE_OPT_ALLOW_PRIVATE_URLS, 1);
        return 1;
    }
    if (strcmp(a, "--require-trusted") == 0) {
        badge_ctx_set_option(v->ctx, BADGE_OPT_REQUIRE_TRUSTED, 1);
        return 1;
    }
    if (strcmp(a, "--verbose") == 0 || strcmp(a, "-v") == 0) {
        v->verbose = 1;
        return 1;
    }
    return 0;
}

static const badgectl_cached_t *
badgectl_cache_find(const badgectl_vsetup_t *v, const char *url)
{
    const badgectl_cached_t *c;

    for (c = v->cached; c != NULL; c = c->next) {
        if (strcmp(c->url, url) == 0) {
            return c;
        }
    }
    return NULL;
}

/* Keep (url, status, body) for the next sessions; takes body. */
static void
badgectl_cache_add(badgectl_vsetup_t *v, const char *url, int status,
    unsigned char *body, size_t len)
{
    badgectl_cached_t *c = calloc(1, sizeof(*c));

    if (c == NULL || (c->url = strdup(url)) == NULL) {
        free(c);
        free(body);
        return;
    }
    c->status = status;
    c->body = body;
    c->len = len;
    c->next = v->cached;
    v->cached = c;
}

/* Get one needed document and hand it to the session. */
static int
badgectl_supply_one(badgectl_vsetup_t *v, badge_session_t *s,
    const char *url)
{
    const badgectl_cached_t *c;
    unsigned char           *body = NULL;
    char                    *ctype = NULL, err[256];
    size_t                   len = 0;
    int                      rc, status = 0;

    if (v->cache && (c = badgectl_cache_find(v, url)) != NULL) {
        return badge_session_supply(s, url, c->status, NULL,
            c->body != NULL ? (const void *) c->body : "", c->len);
    }
    rc = badgectl_docmap_lookup(v->docmap, url, &body, &len);
    if (rc == 1) {
        status = 200;
        if (v->verbose) {
            fprintf(stderr, "badgectl: %s from the document map\n", url);
        }
    } else if (rc < 0) {
        fprintf(stderr, "badgectl: %s: the mapped file cannot be read\n",
            url);
    } else if (badgectl_docmap_offline(v->docmap) || v->no_network) {
        if (v->verbose) {
            fprintf(stderr, "badgectl: %s not fetched (offline)\n", url);
        }
    } else if (badgectl_fetch(v->ctx, url,
                   (size_t) badge_ctx_get_option(v->ctx,
                                                 BADGE_OPT_MAX_DOCUMENT),
                   v->allow_private, &status, &ctype, &body, &len, err,
                   sizeof(err)) != 0)
    {
        fprintf(stderr, "badgectl: %s: %s\n", url, err);
        status = 0;
    } else if (v->verbose) {
        fprintf(stderr, "badgectl: %s: HTTP %d, %zu bytes\n", url, status,
            len);
    }
    rc = badge_session_supply(s, url, status, ctype,
        body != NULL ? (const void *) body : "", len);
    free(ctype);
    if (v->cache) {
        badgectl_cache_add(v, url, status, body, len);
    } else {
        free(body);
    }
    return rc;
}

badge_step_t
badgectl_vsetup_run(badgectl_vsetup_t *v, badge_session_t *s)
{
    const char *const *urls;
    badge_step_t       step;
    size_t             n, i;
    int                guard;

    /* the session bounds its own rounds; this only guards the loop */
    for (guard = 0; guard < 64; guard++) {
        step = badge_session_run(s);
        if (step != BADGE_NEED_DOCUMENTS) {
            return step;
        }
        n = badge_session_needed(s, &urls);
        for (i = 0; i < n; i++) {
            if (badgectl_supply_one(v, s, urls[i]) != 0) {
                return BADGE_FAILED;
            }
        }
    }
    return BADGE_FAILED;
}

int
badgectl_session_exit_code(badge_session_t *s)
{
    const char *report;
    json_t     *root;
    size_t      len;
    int         errors;

    report = badge_session_report_json(s, &len);
    if (report == NULL) {
        return BADGECTL_USAGE;
    }
    root = json_loadb(report, len, 0, NULL);
    errors = root == NULL
             || json_array_size(json_object_get(root, "errors")) > 0;
    json_decref(root);
    if (errors) {
        return BADGECTL_USAGE;
    }
    return badge_session_verified(s) ? BADGECTL_OK : BADGECTL_NOT_OK;
}

/* ------------------------------------------------------------------ */
/* libcurl                                                              */

typedef struct {
    unsigned char *data;
    size_t         len;
    size_t         limit;
    int            too_large;
} badgectl_body_t;

static size_t
badgectl_fetch_write(char *p, size_t size, size_t nmemb, void *ud)
{
    badgectl_body_t *b = ud;
    size_t           n = size * nmemb;
    unsigned char   *nd;

    if (n > b->limit - b->len) {
        b->too_large = 1;
        return 0;               /* aborts the transfer */
    }
    nd = realloc(b->data, b->len + n + 1);
    if (nd == NULL) {
        return 0;
    }
    b->data = nd;
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return n;
}

/* The SSRF guard after DNS: refuse to open a socket to a private
 * address, whatever name led there. */
static curl_socket_t
badgectl_fetch_socket(void *ud, curlsocktype purpose,
    struct curl_sockaddr *addr)
{
    int allow_private = *(int *) ud;

    (void) purpose;
    if (!allow_private && badge_addr_is_private(&addr->addr)) {
        return CURL_SOCKET_BAD;
    }
    return socket(addr->family, addr->socktype, addr->protocol);
}

static int
badgectl_fetch_once(const char *url, size_t limit, int allow_http,
    int allow_private, long *status, char **ctype, char **location,
    badgectl_body_t *b, char *err, size_t errlen)
{
    CURL              *c;
    CURLcode           rc;
    struct curl_slist *hdrs = NULL;
    char               ebuf[CURL_ERROR_SIZE] = "";
    char              *ct = NULL, *loc = NULL;

    c = curl_easy_init();
    if (c == NULL) {
        snprintf(err, errlen, "cannot start libcurl");
        return -1;
    }
    hdrs = curl_slist_append(NULL, "Accept: application/did+json, "
        "application/ld+json, application/json;q=0.9, */*;q=0.1");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR,
        allow_http ? "http,https" : "https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, (long) BADGECTL_FETCH_TIMEOUT);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT,
        (long) BADGECTL_FETCH_TIMEOUT);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    /* a proxy would resolve names where the guard cannot see them */
    curl_easy_setopt(c, CURLOPT_PROXY, "");
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t) limit);
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "badgectl/" BADGE_VERSION);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, badgectl_fetch_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
    curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, badgectl_fetch_socket);
    curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &allow_private);
    if (getenv("BADGECTL_CURL_VERBOSE") != NULL) {
        curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);
    }
    rc = curl_easy_perform(c);
    if (rc != CURLE_OK) {
        snprintf(err, errlen, "%s", b->too_large ? "document too large"
            : rc == CURLE_COULDNT_CONNECT && !allow_private
              ? "could not connect (private addresses are refused)"
              : ebuf[0] != '\0' ? ebuf : curl_easy_strerror(rc));
        curl_slist_free_all(hdrs);
        curl_easy_cleanup(c);
        return -1;
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
    curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
    curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &loc);
    *ctype = ct != NULL ? strdup(ct) : NULL;
    *location = loc != NULL ? strdup(loc) : NULL;
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(c);
    return 0;
}

int
badgectl_fetch(const badge_ctx_t *ctx, const char *url, size_t limit,
    int allow_private, int *status, char **ctype, unsigned char **body,
    size_t *len, char *err, size_t errlen)
{
    static int       inited;
    badgectl_body_t  b;
    char            *cur, *location = NULL;
    long             code = 0;
    int              hop, allow_http;

    if (!inited) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
            snprintf(err, errlen, "cannot initialise libcurl");
            return -1;
        }
        inited = 1;
    }
    allow_http = badge_ctx_get_option(ctx, BADGE_OPT_ALLOW_HTTP) != 0;
    cur = strdup(url);
    if (cur == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    *ctype = NULL;
    for (hop = 0; hop <= BADGECTL_FETCH_REDIRECTS; hop++) {
        /* every hop passes the same policy as the first URL */
        if (badge_url_check(ctx, cur, err, errlen) != 0) {
            break;
        }
        memset(&b, 0, sizeof(b));
        b.limit = limit;
        free(*ctype);
        *ctype = NULL;
        if (badgectl_fetch_once(cur, limit, allow_http, allow_private, &code,
                                ctype, &location, &b, err, errlen) != 0)
        {
            free(b.data);
            break;
        }
        if (code >= 300 && code < 400 && location != NULL) {
            free(b.data);
            free(cur);
            cur = location;
            location = NULL;
            continue;
        }
        free(location);
        free(cur);
        *status = (int) code;
        *body = b.data;
        *len = b.len;
        return 0;
    }
    if (hop > BADGECTL_FETCH_REDIRECTS) {
        snprintf(err, errlen, "too many redirects");
    }
    free(location);
    free(cur);
    free(*ctype);
    *ctype = NULL;
    return -1;
}
