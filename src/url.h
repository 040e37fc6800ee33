/*
 * url.h: absolute URL parsing, relative reference resolution, and the URL
 * policy (SSRF guard) applied to every URL the host is asked to fetch.
 * Bottom layer.
 */
#ifndef BADGE_URL_H
#define BADGE_URL_H

#include <stddef.h>

#include "arena.h"
#include "badge.h"

typedef struct {
    const char *scheme;     /* lower case */
    const char *host;       /* lower case; IPv6 without brackets */
    int         port;       /* -1 when absent */
    const char *path;       /* "" when absent, else starts with "/" */
    const char *query;      /* NULL when absent (without "?") */
    const char *fragment;   /* NULL when absent (without "#") */
    int         has_userinfo;
} badge_url_t;

/* Parse an absolute http(s) URL into parts allocated in a. */
int badge_url_parse(badge_arena_t *a, const char *url, badge_url_t *u);
/* scheme://host[:port] of url (for same-origin checks), or NULL. */
const char *badge_url_origin(badge_arena_t *a, const char *url);
/* 1 if host is an IP literal or a name that must never be fetched
 * (localhost...) in a private, loopback or link-local range. */
int badge_host_is_private(const char *host);

#endif
