/*
 * url.c: the URL policy.  The core never connects anywhere; this decides
 * which URLs it will ask the host to fetch.  Literal addresses are checked
 * here; names are checked again by the host after resolution
 * (badge_addr_is_private), since DNS can point anywhere.
 */
#include "url.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ctx.h"

#define BADGE_URL_MAX  2048

int
badge_url_parse(badge_arena_t *a, const char *url, badge_url_t *u)
{
    const char *p, *host_start, *host_end, *auth_end, *q;
    size_t      i, n;
    char       *h;

    memset(u, 0, sizeof(*u));
    u->port = -1;
    if (url == NULL || strlen(url) > BADGE_URL_MAX) {
        return -1;
    }
    for (p = url; *p != '\0'; p++) {
        /* control characters, spaces and non-ASCII are not in a valid
         * URL; refusing them blocks header and request splitting */
        if ((unsigned char) *p <= 0x20 || (unsigned char) *p >= 0x7f
            || *p == '\\')
        {
            return -1;
        }
    }
    if (strncasecmp(url, "https://", 8) == 0) {
        u->scheme = "https";
        p = url + 8;
    } else if (strncasecmp(url, "http://", 7) == 0) {
        u->scheme = "http";
        p = url + 7;
    } else {
        return -1;
    }
    auth_end = p + strcspn(p, "/?#");
    for (q = p; q < auth_end; q++) {
        if (*q == '@') {
            u->has_userinfo = 1;
            p = q + 1;
        }
    }
    if (*p == '[') {
        host_start = p + 1;
        host_end = memchr(host_start, ']', (size_t) (auth_end - host_start));
        if (host_end == NULL) {
            return -1;
        }
        q = host_end + 1;
    } else {
        host_start = p;
        host_end = memchr(p, ':', (size_t) (auth_end - p));
        if (host_end == NULL) {
            host_end = auth_end;
        }
        q = host_end;
    }
    if (host_end == host_start) {
        return -1;
    }
    if (q < auth_end) {
        long port;
        char *end;

        if (*q != ':' || q + 1 == auth_end) {
            return -1;
        }
        port = strtol(q + 1, &end, 10);
        if (end != auth_end || port <= 0 || port > 65535) {
            return -1;
        }
        u->port = (int) port;
    }
    n = (size_t) (host_end - host_start);
    h = badge_arena_strndup(a, host_start, n);
    if (h == NULL) {
        return -1;
    }
    for (i = 0; i < n; i++) {
        h[i] = (char) tolower((unsigned char) h[i]);
    }
    u->host = h;
    p = auth_end;
    n = strcspn(p, "?#");
    u->path = badge_arena_strndup(a, p, n);
    p += n;
    if (*p == '?') {
        n = strcspn(p + 1, "#");
        u->query = badge_arena_strndup(a, p + 1, n);
        p += n + 1;
    }
    if (*p == '#') {
        u->fragment = badge_arena_strdup(a, p + 1);
    }
    return u->path != NULL ? 0 : -1;
}

const char *
badge_url_origin(badge_arena_t *a, const char *url)
{
    badge_url_t u;

    if (badge_url_parse(a, url, &u) != 0) {
        return NULL;
    }
    if (u.port == -1 || (u.port == 443 && strcmp(u.scheme, "https") == 0)
        || (u.port == 80 && strcmp(u.scheme, "http") == 0))
    {
        return badge_arena_sprintf(a, "%s://%s", u.scheme, u.host);
    }
    if (strchr(u.host, ':') != NULL) {
        return badge_arena_sprintf(a, "%s://[%s]:%d", u.scheme, u.host,
            u.port);
    }
    return badge_arena_sprintf(a, "%s://%s:%d", u.scheme, u.host, u.port);
}

static int
badge_ipv4_is_private(const unsigned char *b)
{
    return b[0] == 0 || b[0] == 10 || b[0] == 127
        || (b[0] == 100 && (b[1] & 0xc0) == 64)         /* CGNAT */
        || (b[0] == 169 && b[1] == 254)                  /* link-local,
                                                            metadata */
        || (b[0] == 172 && (b[1] & 0xf0) == 16)
        || (b[0] == 192 && b[1] == 168)
        || (b[0] == 192 && b[1] == 0 && b[2] == 0)
        || (b[0] == 198 && (b[1] & 0xfe) == 18)          /* benchmarking */
        || b[0] >= 224;                                  /* multicast,
                                                            reserved */
}

static int
badge_ipv6_is_private(const unsigned char *b)
{
    static const unsigned char zero[16];
    static const unsigned char v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                                0xff, 0xff };

    if (memcmp(b, zero, 15) == 0 && (b[15] == 0 || b[15] == 1)) {
        return 1;                                   /* :: and ::1 */
    }
    if (memcmp(b, v4mapped, 12) == 0 || memcmp(b, zero, 12) == 0) {
        return badge_ipv4_is_private(b + 12);       /* mapped/compatible */
    }
    if (b[0] == 0x64 && b[1] == 0xff && b[2] == 0x9b) {
        return badge_ipv4_is_private(b + 12);       /* NAT64 */
    }
    return (b[0] & 0xfe) == 0xfc                    /* unique local */
        || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)  /* link-local */
        || (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0)  /* site-local */
        || b[0] == 0xff                             /* multicast */
        || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8);
}

int
badge_host_is_private(const char *host)
{
    unsigned char b[16];
    size_t        n = strlen(host);
    const char   *p;
    int           numeric = 1;
    char          name[256];

    /* "localhost." is "localhost": compare names without the root dot */
    if (n > 0 && host[n - 1] == '.') {
        if (n >= sizeof(name)) {
            return 1;
        }
        while (n > 0 && host[n - 1] == '.') {
            n--;
        }
        memcpy(name, host, n);
        name[n] = '\0';
        host = name;
    }
    if (n == 0) {
        return 1;
    }

    if (inet_pton(AF_INET, host, b) == 1) {
        return badge_ipv4_is_private(b);
    }
    if (inet_pton(AF_INET6, host, b) == 1) {
        return badge_ipv6_is_private(b);
    }
    if (strcmp(host, "localhost") == 0
        || (n > 10 && strcmp(host + n - 10, ".localhost") == 0)
        || (n > 6 && strcmp(host + n - 6, ".local") == 0)
        || (n > 9 && strcmp(host + n - 9, ".internal") == 0))
    {
        return 1;
    }
    /* "2130706433", "0x7f.1", "017700000001": forms that resolvers turn
     * into addresses but inet_pton does not accept.  No real issuer has a
     * host name made only of digits, dots and x. */
    for (p = host; *p != '\0'; p++) {
        if (!isxdigit((unsigned char) *p) && *p != '.' && *p != 'x') {
            numeric = 0;
            break;
        }
    }
    if (numeric && strspn(host, "0123456789.") == n) {
        return 1;
    }
    if (numeric && (strncmp(host, "0x", 2) == 0 || strstr(host, ".0x"))) {
        return 1;
    }
    return 0;
}

int
badge_url_check(const badge_ctx_t *ctx, const char *url, char *err,
    size_t errlen)
{
    badge_arena_t *a;
    badge_url_t    u;
    int            rc = -1;

    a = badge_arena_new(64 * 1024);
    if (a == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (badge_url_parse(a, url, &u) != 0) {
        snprintf(err, errlen, "not a valid http(s) URL: %.100s", url);
    } else if (strcmp(u.scheme, "http") == 0
               && !badge_ctx_get_option(ctx, BADGE_OPT_ALLOW_HTTP))
    {
        snprintf(err, errlen, "plain http URLs are not fetched (%.100s)",
            url);
    } else if (u.has_userinfo) {
        snprintf(err, errlen, "URLs with user information are not fetched");
    } else if (badge_host_is_private(u.host)
               && !badge_ctx_get_option(ctx, BADGE_OPT_ALLOW_PRIVATE_URLS))
    {
        snprintf(err, errlen, "refusing to fetch a loopback, private or "
            "link-local address (%.100s)", u.host);
    } else {
        rc = 0;
    }
    badge_arena_free(a);
    return rc;
}

int
badge_addr_is_private(const void *sockaddr)
{
    const struct sockaddr *sa = sockaddr;

    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *s4 = sockaddr;

        return badge_ipv4_is_private(
            (const unsigned char *) &s4->sin_addr.s_addr);
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *s6 = sockaddr;

        return badge_ipv6_is_private(s6->sin6_addr.s6_addr);
    }
    return 1;
}
