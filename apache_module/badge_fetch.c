/*
 * badge_fetch.c: fetching the documents libbadge asks for (DID documents,
 * status lists, hosted assertions), for mod_badge.
 *
 * Why a small blocking client on apr sockets and OpenSSL, and not mod_proxy
 * subrequests: the core's contract is that the host refuses private
 * addresses *after* DNS resolution.  Here the name is resolved once, every
 * address is checked with badge_addr_is_private(), and the connection goes
 * to the address that was checked (no second resolution for a rebinding
 * DNS server to exploit).  mod_proxy resolves on its own, would need a
 * ProxyPass to every host on the Internet (an open-proxy hazard if
 * misconfigured) and reads bodies of any size.  Blocking is fine in
 * httpd: the request's worker thread waits, bounded by BadgeFetchTimeout
 * per document and by the core's limit on documents per verification.
 * No libcurl in the server (DESIGN.md: the CLI's business).
 *
 * One GET per URL, HTTP/1.1 with "Connection: close" and "Accept-Encoding:
 * identity"; Content-Length, chunked or until-close bodies; at most
 * max_size body bytes; redirects followed (up to max_redirects), each hop
 * passing the core's URL policy (badge_url_check) and the address check
 * again.  TLS: certificate and host name verified against the system's
 * trust store (plus the CA certificates of BadgeFetchCAFile, where it is
 * set), TLS 1.2 or later, SNI.
 */
#include "httpd.h"
#include "http_log.h"

#include "apr_file_info.h"
#include "apr_lib.h"
#include "apr_network_io.h"
#include "apr_portable.h"
#include "apr_strings.h"
#include "apr_uri.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "badge.h"
#include "badge_fetch.h"

APLOG_USE_MODULE(badge);

#define BADGE_FETCH_MAX_HEADER  (32 * 1024)
#define BADGE_FETCH_UA          "mod_badge/" BADGE_VERSION

static SSL_CTX *badge_ssl_ctx;

/* A TLS 1.2+ client context that verifies the peer, trusting nothing yet. */
static SSL_CTX *
badge_ssl_client_ctx(void)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

    if (ctx == NULL) {
        return NULL;
    }
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    return ctx;
}

static apr_status_t
badge_ssl_ctx_cleanup(void *data)
{
    SSL_CTX_free(data);
    badge_ssl_ctx = NULL;
    return APR_SUCCESS;
}

static apr_status_t
badge_ca_ctx_cleanup(void *data)
{
    SSL_CTX_free(data);
    return APR_SUCCESS;
}

void
badge_fetch_child_init(apr_pool_t *pchild, server_rec *s)
{
    SSL_CTX *ctx = badge_ssl_client_ctx();

    if (ctx == NULL) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s,
                     "mod_badge: no TLS client context; https documents "
                     "will not be fetched");
        return;
    }
    if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                     "mod_badge: cannot load the system's trusted CA "
                     "certificates; https fetches will fail");
    }
    badge_ssl_ctx = ctx;
    apr_pool_cleanup_register(pchild, ctx, badge_ssl_ctx_cleanup,
                              apr_pool_cleanup_null);
}

const char *
badge_fetch_ca_ctx(apr_pool_t *p, const char *path, SSL_CTX **out)
{
    const char    *key = apr_pstrcat(p, "mod_badge:ca:", path, NULL);
    void          *have = NULL;
    SSL_CTX       *ctx;
    apr_finfo_t    fi;
    apr_status_t   rv;
    unsigned long  e;
    int            n = 0;

    /* one context per file, however many sections name it */
    if (apr_pool_userdata_get(&have, key, p) == APR_SUCCESS && have != NULL) {
        *out = have;
        return NULL;
    }
    rv = apr_stat(&fi, path, APR_FINFO_TYPE, p);
    if (rv != APR_SUCCESS) {
        return apr_psprintf(p, "cannot open %s: %pm", path, &rv);
    }
    if (fi.filetype != APR_REG) {
        return apr_psprintf(p, "%s is not a file", path);
    }
    ctx = badge_ssl_client_ctx();
    if (ctx == NULL) {
        return "cannot create a TLS client context";
    }
    /* in addition to the system's store, as a browser with a campus CA
     * installed (a missing system store is child_init's warning) */
    (void) SSL_CTX_set_default_verify_paths(ctx);
    ERR_clear_error();
    if (SSL_CTX_load_verify_locations(ctx, path, NULL) != 1) {
        e = ERR_peek_last_error();
        ERR_clear_error();
        SSL_CTX_free(ctx);
        return apr_psprintf(p, "no PEM certificate could be read from %s "
                            "(%s)", path,
                            e != 0 && ERR_reason_error_string(e) != NULL
                                ? ERR_reason_error_string(e)
                                : "unknown error");
    }
    /* a file with certificates and garbage after them loads: refuse it,
     * the admin meant something else */
    {
        BIO  *bio = BIO_new_file(path, "r");
        X509 *x;

        while (bio != NULL
               && (x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL)
        {
            X509_free(x);
            n++;
        }
        e = ERR_peek_last_error();
        BIO_free(bio);
        ERR_clear_error();
        if (n == 0 || (e != 0 && ERR_GET_REASON(e) != PEM_R_NO_START_LINE)) {
            SSL_CTX_free(ctx);
            return apr_psprintf(p, "%s is not a file of PEM certificates "
                                "(BEGIN CERTIFICATE)", path);
        }
    }
    apr_pool_userdata_set(ctx, key, badge_ca_ctx_cleanup, p);
    *out = ctx;
    return NULL;
}

/* ------------------------------------------------------------------ */

typedef struct {
    apr_socket_t  *sock;
    int            fd;
    SSL           *ssl;
    apr_time_t     deadline;
} badge_conn_t;

typedef struct {
    int            status;
    const char    *content_type;
    const char    *location;
    char          *body;
    apr_size_t     len;
} badge_resp_t;

static void
badge_conn_close(badge_conn_t *c)
{
    if (c->ssl != NULL) {
        SSL_shutdown(c->ssl);
        SSL_free(c->ssl);
        c->ssl = NULL;
    }
    if (c->sock != NULL) {
        apr_socket_close(c->sock);
        c->sock = NULL;
    }
}

/* The time left, for the socket's per-operation timeouts; 0 if none. */
static int
badge_conn_arm(badge_conn_t *c)
{
    apr_interval_time_t left = c->deadline - apr_time_now();
    struct timeval      tv;

    if (left <= 0) {
        return 0;
    }
    tv.tv_sec = (time_t) apr_time_sec(left);
    tv.tv_usec = (suseconds_t) apr_time_usec(left);
    if (tv.tv_sec == 0 && tv.tv_usec == 0) {
        tv.tv_usec = 1;
    }
    setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    return 1;
}

static int
badge_conn_write(badge_conn_t *c, const char *buf, apr_size_t len)
{
    int n;

    while (len > 0) {
        if (!badge_conn_arm(c)) {
            return -1;
        }
        if (c->ssl != NULL) {
            n = SSL_write(c->ssl, buf, (int) len);
        } else {
            n = (int) send(c->fd, buf, len, MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR) {
                continue;
            }
        }
        if (n <= 0) {
            return -1;
        }
        buf += n;
        len -= (apr_size_t) n;
    }
    return 0;
}

/* Bytes read (> 0), 0 at the end of the stream, -1 on error/timeout. */
static int
badge_conn_read(badge_conn_t *c, char *buf, apr_size_t len)
{
    int n;

    for (;;) {
        if (!badge_conn_arm(c)) {
            return -1;
        }
        if (c->ssl != NULL) {
            n = SSL_read(c->ssl, buf, (int) len);
            if (n <= 0) {
                return SSL_get_error(c->ssl, n) == SSL_ERROR_ZERO_RETURN
                       ? 0 : -1;
            }
            return n;
        }
        n = (int) recv(c->fd, buf, len, 0);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        return n < 0 ? -1 : n;
    }
}

/* After a certificate verification error: what an admin may do. */
static const char *
badge_untrusted_hint(long vr, const badge_fetch_opts_t *o)
{
    switch (vr) {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
        return o->tls != NULL
               ? " (the certificate is signed by no CA of the system's "
                 "store or of BadgeFetchCAFile)"
               : " (the certificate is signed by no CA of the system's "
                 "store; a private CA can be added with BadgeFetchCAFile)";
    default:
        return "";
    }
}

/* Resolve, check every address, connect to a checked one. */
static const char *
badge_conn_open(request_rec *r, badge_conn_t *c, const char *host,
    apr_port_t port, int tls, const badge_fetch_opts_t *o)
{
    apr_sockaddr_t *sa, *a;
    apr_status_t    rv;
    apr_os_sock_t   fd;
    const char     *why = "no address";
    char           *ip;
    SSL_CTX        *tls_ctx = o->tls != NULL ? o->tls : badge_ssl_ctx;

    rv = apr_sockaddr_info_get(&sa, host, APR_UNSPEC, port, 0, r->pool);
    if (rv != APR_SUCCESS) {
        return apr_psprintf(r->pool, "cannot resolve %s: %pm", host, &rv);
    }
    for (a = sa; a != NULL; a = a->next) {
        apr_sockaddr_ip_get(&ip, a);
        if (!o->allow_private && badge_addr_is_private(&a->sa)) {
            why = apr_psprintf(r->pool, "%s is %s, a private address "
                               "(BadgeFetchAllowPrivate is Off)", host, ip);
            continue;
        }
        rv = apr_socket_create(&c->sock, a->family, SOCK_STREAM,
                               APR_PROTO_TCP, r->pool);
        if (rv != APR_SUCCESS) {
            why = apr_psprintf(r->pool, "socket: %pm", &rv);
            continue;
        }
        apr_socket_timeout_set(c->sock, c->deadline - apr_time_now());
        rv = apr_socket_connect(c->sock, a);
        if (rv != APR_SUCCESS) {
            why = apr_psprintf(r->pool, "cannot connect to %s (%s): %pm",
                               host, ip, &rv);
            apr_socket_close(c->sock);
            c->sock = NULL;
            continue;
        }
        /* blocking from here on, bounded by SO_RCVTIMEO/SO_SNDTIMEO */
        apr_socket_timeout_set(c->sock, -1);
        apr_os_sock_get(&fd, c->sock);
        c->fd = fd;
        break;
    }
    if (c->sock == NULL) {
        return why;
    }
    if (!tls) {
        return NULL;
    }
    if (tls_ctx == NULL) {
        return "no TLS client context";
    }
    c->ssl = SSL_new(tls_ctx);
    if (c->ssl == NULL || SSL_set_fd(c->ssl, c->fd) != 1
        || SSL_set1_host(c->ssl, host) != 1
        || SSL_set_tlsext_host_name(c->ssl, host) != 1)
    {
        return "TLS setup failed";
    }
    badge_conn_arm(c);
    if (SSL_connect(c->ssl) != 1) {
        long        vr = SSL_get_verify_result(c->ssl);
        const char *reason = vr != X509_V_OK
                             ? X509_verify_cert_error_string(vr)
                             : ERR_reason_error_string(ERR_peek_error());

        ERR_clear_error();
        return apr_psprintf(r->pool, "TLS handshake with %s failed: %s%s",
                            host, reason != NULL ? reason : "unknown",
                            badge_untrusted_hint(vr, o));
    }
    return NULL;
}

/* Decode a chunked body in place; -1 if malformed or cut. */
static int
badge_dechunk(char *buf, apr_size_t len, apr_size_t *out)
{
    apr_size_t  i = 0, o = 0, size;
    char       *end;
    apr_int64_t v;

    for (;;) {
        if (i >= len || !apr_isxdigit(buf[i])) {
            return -1;
        }
        errno = 0;
        v = apr_strtoi64(buf + i, &end, 16);
        if (errno != 0 || v < 0 || (apr_size_t) (end - buf) > len) {
            return -1;
        }
        size = (apr_size_t) v;
        /* chunk extensions up to CRLF */
        i = (apr_size_t) (end - buf);
        while (i + 1 < len && !(buf[i] == '\r' && buf[i + 1] == '\n')) {
            i++;
        }
        if (i + 1 >= len) {
            return -1;
        }
        i += 2;
        if (size == 0) {
            *out = o;
            return 0;
        }
        if (size > len - i || len - i - size < 2) {
            return -1;
        }
        memmove(buf + o, buf + i, size);
        o += size;
        i += size;
        if (buf[i] != '\r' || buf[i + 1] != '\n') {
            return -1;
        }
        i += 2;
    }
}

/* One GET, no redirects followed.  NULL or why it failed. */
static const char *
badge_fetch_once(request_rec *r, const char *url,
    const badge_fetch_opts_t *o, apr_time_t deadline, badge_resp_t *resp)
{
    apr_uri_t     u;
    badge_conn_t  c;
    const char   *why, *host, *path, *req, *line, *hdr_end, *p;
    char         *buf, *nbuf;
    apr_size_t    cap, len = 0, hlen = 0, raw_max, clen = 0, blen;
    int           n, tls, has_clen = 0, chunked = 0;
    apr_port_t    port;

    memset(resp, 0, sizeof(*resp));
    memset(&c, 0, sizeof(c));
    c.deadline = deadline;
    if (apr_uri_parse(r->pool, url, &u) != APR_SUCCESS || u.scheme == NULL
        || u.hostname == NULL || u.hostname[0] == '\0')
    {
        return "not an absolute URL";
    }
    if (strcasecmp(u.scheme, "https") == 0) {
        tls = 1;
    } else if (strcasecmp(u.scheme, "http") == 0) {
        tls = 0;
    } else {
        return "not an http(s) URL";
    }
    port = u.port_str != NULL ? u.port : apr_uri_port_of_scheme(u.scheme);
    why = badge_conn_open(r, &c, u.hostname, port, tls, o);
    if (why != NULL) {
        badge_conn_close(&c);
        return why;
    }
    host = strchr(u.hostname, ':') != NULL
           ? apr_pstrcat(r->pool, "[", u.hostname, "]", NULL) : u.hostname;
    if (u.port_str != NULL) {
        host = apr_pstrcat(r->pool, host, ":", u.port_str, NULL);
    }
    path = u.path != NULL && u.path[0] != '\0' ? u.path : "/";
    if (u.query != NULL) {
        path = apr_pstrcat(r->pool, path, "?", u.query, NULL);
    }
    req = apr_pstrcat(r->pool, "GET ", path, " HTTP/1.1\r\n"
                      "Host: ", host, "\r\n"
                      "User-Agent: " BADGE_FETCH_UA "\r\n"
                      "Accept: application/ld+json, application/json;q=0.9, "
                      "*/*;q=0.5\r\n"
                      "Accept-Encoding: identity\r\n"
                      "Connection: close\r\n\r\n", NULL);
    if (badge_conn_write(&c, req, strlen(req)) != 0) {
        badge_conn_close(&c);
        return "cannot send the request (timeout or connection closed)";
    }

    /* read it all: headers, then the body up to the limit (chunk framing
     * may add a little to the raw size) */
    raw_max = BADGE_FETCH_MAX_HEADER + o->max_size + o->max_size / 8 + 1024;
    cap = 16384;
    buf = apr_palloc(r->pool, cap + 1);
    for (;;) {
        if (len == cap) {
            if (cap >= raw_max) {
                badge_conn_close(&c);
                return apr_psprintf(r->pool, "larger than %" APR_SIZE_T_FMT
                                    " bytes", o->max_size);
            }
            cap = cap * 2 < raw_max ? cap * 2 : raw_max;
            nbuf = apr_palloc(r->pool, cap + 1);
            memcpy(nbuf, buf, len);
            buf = nbuf;
        }
        n = badge_conn_read(&c, buf + len, cap - len);
        if (n < 0) {
            badge_conn_close(&c);
            return apr_time_now() >= deadline ? "timed out"
                                              : "read error";
        }
        if (n == 0) {
            break;
        }
        len += (apr_size_t) n;
        buf[len] = '\0';
        /* with a Content-Length, stop when it is all there */
        if (has_clen) {
            if (len - hlen >= clen) {
                break;
            }
        } else if (hlen == 0 && (hdr_end = strstr(buf, "\r\n\r\n")) != NULL) {
            hlen = (apr_size_t) (hdr_end - buf) + 4;
            p = ap_strcasestr(buf, "\r\ncontent-length:");
            if (p != NULL && p < hdr_end) {
                apr_off_t v;

                p += 17;
                while (*p == ' ' || *p == '\t') {
                    p++;
                }
                if (apr_strtoff(&v, p, NULL, 10) != APR_SUCCESS || v < 0) {
                    badge_conn_close(&c);
                    return "bad Content-Length";
                }
                if ((apr_uint64_t) v > o->max_size) {
                    badge_conn_close(&c);
                    return apr_psprintf(r->pool, "larger than %"
                                        APR_SIZE_T_FMT " bytes", o->max_size);
                }
                clen = (apr_size_t) v;
                has_clen = 1;
                if (len - hlen >= clen) {
                    break;
                }
            }
        }
        if (hlen == 0 && len > BADGE_FETCH_MAX_HEADER) {
            badge_conn_close(&c);
            return "response header too large";
        }
    }
    badge_conn_close(&c);
    buf[len] = '\0';
    hdr_end = strstr(buf, "\r\n\r\n");
    if (hdr_end == NULL) {
        return "incomplete response";
    }
    hlen = (apr_size_t) (hdr_end - buf) + 4;

    /* status line and the headers we use */
    if (strncmp(buf, "HTTP/1.", 7) != 0 || !apr_isdigit(buf[9])
        || !apr_isdigit(buf[10]) || !apr_isdigit(buf[11])
        || buf[8] != ' ')
    {
        return "not an HTTP/1.x response";
    }
    resp->status = (buf[9] - '0') * 100 + (buf[10] - '0') * 10
                   + (buf[11] - '0');
    line = strstr(buf, "\r\n") + 2;
    while (line < hdr_end) {
        const char *eol = strstr(line, "\r\n"), *colon, *v;
        char       *name;

        colon = memchr(line, ':', (apr_size_t) (eol - line));
        if (colon != NULL) {
            name = apr_pstrmemdup(r->pool, line, (apr_size_t) (colon - line));
            v = colon + 1;
            while (*v == ' ' || *v == '\t') {
                v++;
            }
            v = apr_pstrmemdup(r->pool, v, (apr_size_t) (eol - v));
            if (strcasecmp(name, "Content-Type") == 0) {
                resp->content_type = v;
            } else if (strcasecmp(name, "Location") == 0) {
                resp->location = v;
            } else if (strcasecmp(name, "Transfer-Encoding") == 0) {
                chunked = ap_strcasestr(v, "chunked") != NULL;
            } else if (strcasecmp(name, "Content-Encoding") == 0
                       && strcasecmp(v, "identity") != 0)
            {
                return apr_psprintf(r->pool, "Content-Encoding %s was not "
                                    "asked for", v);
            }
        }
        line = eol + 2;
    }
    resp->body = buf + hlen;
    blen = len - hlen;
    if (chunked) {
        if (badge_dechunk(resp->body, blen, &blen) != 0) {
            return "malformed chunked body";
        }
    } else if (has_clen) {
        if (blen < clen) {
            return "body shorter than its Content-Length";
        }
        blen = clen;
    }
    if (blen > o->max_size) {
        return apr_psprintf(r->pool, "larger than %" APR_SIZE_T_FMT " bytes",
                            o->max_size);
    }
    resp->body[blen] = '\0';
    resp->len = blen;
    return NULL;
}

/* The absolute URL a Location names, or NULL. */
static const char *
badge_fetch_location(request_rec *r, const char *base, const char *loc)
{
    apr_uri_t   u;
    const char *p = loc;

    /* absolute, whatever the scheme: the URL policy judges it */
    if (apr_isalpha(*p)) {
        while (apr_isalnum(*p) || *p == '+' || *p == '-' || *p == '.') {
            p++;
        }
        if (strncmp(p, "://", 3) == 0) {
            return loc;
        }
    }
    if (loc[0] != '/' || loc[1] == '/'
        || apr_uri_parse(r->pool, base, &u) != APR_SUCCESS)
    {
        return NULL;
    }
    return apr_pstrcat(r->pool, u.scheme, "://", u.hostinfo, loc, NULL);
}

int
badge_fetch_supply(request_rec *r, const badge_ctx_t *ctx,
    badge_session_t *s, const char *url, const badge_fetch_opts_t *o)
{
    badge_resp_t  resp;
    const char   *cur = url, *why = NULL, *next;
    char          err[256];
    int           hops;
    apr_time_t    t0 = apr_time_now();

    for (hops = 0; ; hops++) {
        /* one deadline for the URL and its redirects */
        why = badge_fetch_once(r, cur, o, t0 + o->timeout, &resp);
        if (why != NULL) {
            break;
        }
        if (resp.status != 301 && resp.status != 302 && resp.status != 303
            && resp.status != 307 && resp.status != 308)
        {
            break;
        }
        if (resp.location == NULL
            || (next = badge_fetch_location(r, cur, resp.location)) == NULL)
        {
            why = "redirect without a usable Location";
            break;
        }
        if (hops >= o->max_redirects) {
            why = "too many redirects";
            break;
        }
        if (badge_url_check(ctx, next, err, sizeof(err)) != 0) {
            why = apr_psprintf(r->pool, "redirect to %s refused: %s", next,
                               err);
            break;
        }
        cur = next;
    }
    if (why != NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "mod_badge: cannot fetch %s: %s", url, why);
        badge_session_supply(s, url, 0, NULL, NULL, 0);
        return 0;
    }
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                  "mod_badge: fetched %s: %d, %" APR_SIZE_T_FMT " bytes, "
                  "%s, %" APR_TIME_T_FMT " ms", url, resp.status, resp.len,
                  resp.content_type != NULL ? resp.content_type : "no type",
                  apr_time_as_msec(apr_time_now() - t0));
    badge_session_supply(s, url, resp.status, resp.content_type, resp.body,
                         resp.len);
    return resp.status;
}
