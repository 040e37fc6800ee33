/* memmem() is a GNU extension; nginx builds the core without -D_GNU_SOURCE */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
/*
 * page.c: the public badge page.  The credential (OB 2.0 assertion with
 * its BadgeClass and issuer, OB 3.0 / VC, the payload of a VC-JWT, or the
 * credential inside a baked image) and the session's report become a tree
 * of template values (docs/page-template.md), which the built-in or a
 * custom template turns into HTML.
 *
 * Every string taken from the credential goes into the tree as text or as
 * a URL, never as HTML, so the template escapes it whatever it does; the
 * only HTML values (criteria paragraphs, the QR code, the JSON-LD block,
 * icons) are built here from escaped pieces.
 */
#include "page.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "b64.h"
#include "baked.h"
#include "datetime.h"
#include "detect.h"
#include "http_glue.h"
#include "json.h"
#include "messages.h"
#include "page_int.h"
#include "qr.h"
#include "report.h"
#include "session.h"
#include "template.h"

#define BADGE_PAGE_TEMPLATE_MAX   (1024 * 1024)
#define BADGE_PAGE_OG_DESC_CHARS  200
#define BADGE_PAGE_MAX_ITEMS      200     /* per list on the page */

struct badge_page_template_s {
    badge_arena_t  *arena;
    badge_tpl_t    *tpl;
    const char     *csp;
};

typedef struct badge_page_cached_s {
    const char                  *url;
    json_t                      *json;
    struct badge_page_cached_s  *next;
} badge_page_cached_t;

typedef struct {
    badge_session_t          *s;
    badge_arena_t            *a;
    const badge_page_opts_t  *o;
    const char               *lang;       /* "ja" or "en" */
    int                       ja;
    json_t                   *cred;       /* VC, or OB 2.0 assertion */
    int                       ob2;
    int                       jwt;
    json_t                   *subject;    /* credentialSubject */
    json_t                   *badge;      /* achievement / BadgeClass */
    json_t                   *issuer;     /* issuer profile, if known */
    const char               *cred_lang;  /* language declared for all */
    const char               *badge_lang;
    badge_page_cached_t      *cache;
    int                       oom;
} badge_page_t;

typedef struct {
    const char *s;
    const char *lang;       /* declared or inherited language, or NULL */
} badge_ptext_t;

/* ------------------------------------------------------------------ */
/* Small helpers                                                        */

static const char *
badge_page_t_(const badge_page_t *pg, const char *key)
{
    return badge_page_str(key, pg->ja);
}

/* fmt with its one %s (or %zu) replaced by arg: the string tables hold
 * formats, but nothing here passes them to printf. */
static char *
badge_page_subst(badge_arena_t *a, const char *fmt, const char *arg)
{
    const char  *p = strstr(fmt, "%s");
    size_t       n = 2;
    badge_buf_t  b;

    if (p == NULL) {
        p = strstr(fmt, "%zu");
        n = 3;
    }
    if (p == NULL) {
        return badge_arena_strdup(a, fmt);
    }
    badge_buf_init(&b, a, strlen(fmt) + strlen(arg) + 1);
    badge_buf_append(&b, fmt, (size_t) (p - fmt));
    badge_buf_puts(&b, arg);
    badge_buf_puts(&b, p + n);
    return badge_buf_cstr(&b);
}

static void
badge_page_set(badge_page_t *pg, badge_tv_t *obj, const char *key,
    badge_tv_type_t type, const char *str)
{
    if (badge_tv_set(pg->a, obj, key, type, str) == NULL) {
        pg->oom = 1;
    }
}

static void
badge_page_bool(badge_page_t *pg, badge_tv_t *obj, const char *key, int v)
{
    if (badge_tv_set_bool(pg->a, obj, key, v) == NULL) {
        pg->oom = 1;
    }
}

static badge_tv_t *
badge_page_obj(badge_page_t *pg, badge_tv_t *parent, const char *key)
{
    badge_tv_t *o = badge_tv_object(pg->a);

    if (o == NULL
        || (key != NULL ? badge_tv_put(pg->a, parent, key, o)
                        : badge_tv_push(pg->a, parent, o)) == NULL)
    {
        pg->oom = 1;
        return NULL;
    }
    return o;
}

static badge_tv_t *
badge_page_list(badge_page_t *pg, badge_tv_t *parent, const char *key)
{
    badge_tv_t *l = badge_tv_list(pg->a);

    if (l == NULL || badge_tv_put(pg->a, parent, key, l) == NULL) {
        pg->oom = 1;
        return NULL;
    }
    return l;
}

static int
badge_page_is_http(const char *url)
{
    return url != NULL
           && (strncasecmp(url, "https://", 8) == 0
               || strncasecmp(url, "http://", 7) == 0)
           && badge_tpl_url_ok(url, strlen(url));
}

/* An object's id when it is an object, the string itself otherwise. */
static const char *
badge_page_ref(const json_t *v)
{
    if (json_is_string(v)) {
        return json_string_value(v);
    }
    if (json_is_object(v)) {
        const char *id = badge_json_str(v, "id");

        return id != NULL ? id : badge_json_str(v, "@id");
    }
    return NULL;
}

/* v itself if an object, else the first object of an array. */
static json_t *
badge_page_first_obj(json_t *v)
{
    size_t i;

    if (json_is_object(v)) {
        return v;
    }
    if (json_is_array(v)) {
        for (i = 0; i < json_array_size(v); i++) {
            if (json_is_object(json_array_get(v, i))) {
                return json_array_get(v, i);
            }
        }
    }
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Languages                                                            */

/* 1 if tag looks like a BCP 47 tag (letters, digits, '-'; 1-35 chars). */
static int
badge_page_lang_tag_ok(const char *tag)
{
    size_t i, n = tag != NULL ? strlen(tag) : 0;

    if (n == 0 || n > 35) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        char c = tag[i];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9') || (c == '-' && i > 0)))
        {
            return 0;
        }
    }
    return 1;
}

/* 1 if tag's primary subtag is want ("ja-JP" matches "ja"). */
static int
badge_page_lang_is(const char *tag, const char *want)
{
    size_t n = strlen(want);

    return tag != NULL && strncasecmp(tag, want, n) == 0
           && (tag[n] == '\0' || tag[n] == '-');
}

/* The language an object declares for its strings, else inherit. */
static const char *
badge_page_obj_lang(const json_t *o, const char *inherit)
{
    const char *l;
    json_t     *v;

    if (!json_is_object(o)) {
        return inherit;
    }
    l = badge_json_str(o, "@language");
    if (l == NULL) {
        v = json_object_get(o, "inLanguage");
        l = json_is_string(v) ? json_string_value(v)
            : json_is_array(v) ? json_string_value(json_array_get(v, 0))
            : NULL;
    }
    return badge_page_lang_tag_ok(l) ? l : inherit;
}

static int
badge_page_lang_score(const badge_page_t *pg, const char *lang)
{
    if (lang == NULL) {
        return 2;
    }
    if (badge_page_lang_is(lang, pg->lang)) {
        return 3;
    }
    return badge_page_lang_is(lang, "en") ? 1 : 0;
}

/* A language map: {"ja": "...", "en": "..."} (all keys tags, all values
 * strings, and none of the keys a credential object would have). */
static int
badge_page_is_lang_map(const json_t *o)
{
    const char *k;
    json_t     *v;

    if (json_object_size(o) == 0) {
        return 0;
    }
    json_object_foreach((json_t *) o, k, v) {
        if (!json_is_string(v) || !badge_page_lang_tag_ok(k)
            || strlen(k) > 12 || strcmp(k, "id") == 0
            || strcmp(k, "type") == 0)
        {
            return 0;
        }
    }
    return 1;
}

/*
 * The text of a value in the page's language: a plain string, a JSON-LD
 * value object {"@value", "@language"}, a language map, or an array of
 * these.  Preference: the page language, then undeclared, then English,
 * then the first.
 */
static badge_ptext_t
badge_page_pick(const badge_page_t *pg, const json_t *v, const char *inherit)
{
    badge_ptext_t  best = { NULL, NULL }, c;
    int            best_score = -1, score;
    size_t         i, n;
    const char    *k;
    json_t        *e;

    if (json_is_string(v)) {
        best.s = json_string_value(v);
        best.lang = inherit;
        return best;
    }
    if (json_is_object(v) && json_is_string(json_object_get(v, "@value"))) {
        best.s = badge_json_str(v, "@value");
        best.lang = badge_page_obj_lang(v, inherit);
        return best;
    }
    if (json_is_object(v) && badge_page_is_lang_map(v)) {
        json_object_foreach((json_t *) v, k, e) {
            score = badge_page_lang_score(pg, k);
            if (score > best_score) {
                best.s = json_string_value(e);
                best.lang = k;
                best_score = score;
            }
        }
        return best;
    }
    if (json_is_array(v)) {
        n = json_array_size(v);
        for (i = 0; i < n && i < 64; i++) {
            e = json_array_get(v, i);
            if (!json_is_string(e)
                && !(json_is_object(e)
                     && json_is_string(json_object_get(e, "@value"))))
            {
                continue;
            }
            c = badge_page_pick(pg, e, inherit);
            score = badge_page_lang_score(pg, c.lang);
            if (score > best_score) {
                best = c;
                best_score = score;
            }
        }
    }
    return best;
}

/* 1 if s has kana or CJK ideographs (undeclared Japanese on an English
 * page still needs lang="ja" for the right glyphs). */
static int
badge_page_has_cjk(const char *s)
{
    const unsigned char *p = (const unsigned char *) s;

    for (; *p != '\0'; p++) {
        /* U+3040..U+30FF kana, U+4E00..U+9FFF ideographs: E3 81-83,
         * E4-E9 lead bytes */
        if ((p[0] == 0xe3 && p[1] >= 0x81 && p[1] <= 0x83)
            || (p[0] >= 0xe4 && p[0] <= 0xe9))
        {
            return 1;
        }
    }
    return 0;
}

/* The lang attribute an element needs for t, or NULL if none. */
static const char *
badge_page_lang_attr(const badge_page_t *pg, badge_ptext_t t)
{
    if (t.s == NULL) {
        return NULL;
    }
    if (t.lang != NULL) {
        return badge_page_lang_is(t.lang, pg->lang) ? NULL : t.lang;
    }
    if (!pg->ja && badge_page_has_cjk(t.s)) {
        return "ja";
    }
    return NULL;
}

/* obj[key] = the text of v, and obj[key_lang] when it differs. */
static const char *
badge_page_text(badge_page_t *pg, badge_tv_t *obj, const char *key,
    const json_t *v, const char *inherit)
{
    badge_ptext_t  t = badge_page_pick(pg, v, inherit);
    char           lk[64];

    if (t.s == NULL || t.s[0] == '\0') {
        return NULL;
    }
    badge_page_set(pg, obj, key, BADGE_TV_TEXT, t.s);
    snprintf(lk, sizeof(lk), "%s_lang", key);
    badge_page_set(pg, obj, lk, BADGE_TV_TEXT, badge_page_lang_attr(pg, t));
    return t.s;
}

/* ------------------------------------------------------------------ */
/* Dates                                                                */

static const char *const badge_page_months[] = {
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"
};

static char *
badge_page_date_text(badge_page_t *pg, int y, int m, int d)
{
    if (pg->ja) {
        return badge_arena_sprintf(pg->a, "%d年%d月%d日", y, m, d);
    }
    return badge_arena_sprintf(pg->a, "%d %s %d", d,
                               badge_page_months[m - 1], y);
}

/* The calendar date as the issuer wrote it ("2022-11-10T07:38-08:00" is
 * 10 November): 0 with y, m, d, or -1 if iso is not a valid date-time. */
static int
badge_page_ymd(const char *iso, int *y, int *m, int *d)
{
    time_t t;

    if (iso == NULL || badge_datetime_parse(iso, &t) != 0
        || sscanf(iso, "%4d-%2d-%2d", y, m, d) != 3 || *m < 1 || *m > 12)
    {
        return -1;
    }
    return 0;
}

/* obj[key] = {iso, text}; returns the new object or NULL. */
static badge_tv_t *
badge_page_date(badge_page_t *pg, badge_tv_t *obj, const char *key,
    const char *iso)
{
    badge_tv_t *o;
    int         y, m, d;

    if (badge_page_ymd(iso, &y, &m, &d) != 0) {
        return NULL;
    }
    o = badge_page_obj(pg, obj, key);
    if (o == NULL) {
        return NULL;
    }
    badge_page_set(pg, o, "iso", BADGE_TV_TEXT,
        badge_arena_sprintf(pg->a, "%04d-%02d-%02d", y, m, d));
    badge_page_set(pg, o, "text", BADGE_TV_TEXT,
        badge_page_date_text(pg, y, m, d));
    return o;
}

/* ------------------------------------------------------------------ */
/* Narratives: escaped text in paragraphs                               */

static void
badge_page_md_line(badge_buf_t *b, const char *s, size_t n)
{
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
    {
        n--;
    }
    badge_tpl_escape(b, s, n);
}

/*
 * Criteria and evidence narratives are Markdown by the OB 3.0 spec.  Only
 * its shape is kept: blank lines make paragraphs, "# " lines headings (as
 * bold paragraphs, so the page's heading order stays), "- " lines list
 * items.  Everything is escaped text: no HTML or links get through.
 */
static char *
badge_page_narrative(badge_page_t *pg, const char *md)
{
    badge_buf_t  b;
    const char  *p = md, *e, *l;
    size_t       n;
    int          in_p = 0, in_ul = 0;

    if (md == NULL || md[0] == '\0') {
        return NULL;
    }
    badge_buf_init(&b, pg->a, strlen(md) * 2 + 64);
    while (*p != '\0') {
        e = strchr(p, '\n');
        n = e != NULL ? (size_t) (e - p) : strlen(p);
        l = p;
        while (n > 0 && (*l == ' ' || *l == '\t')) {
            l++;
            n--;
        }
        while (n > 0 && (l[n - 1] == ' ' || l[n - 1] == '\r')) {
            n--;
        }
        if (n == 0) {
            if (in_p) {
                badge_buf_puts(&b, "</p>\n");
            }
            if (in_ul) {
                badge_buf_puts(&b, "</ul>\n");
            }
            in_p = in_ul = 0;
        } else if (l[0] == '#') {
            while (n > 0 && *l == '#') {
                l++;
                n--;
            }
            while (n > 0 && *l == ' ') {
                l++;
                n--;
            }
            if (in_p) {
                badge_buf_puts(&b, "</p>\n");
            }
            if (in_ul) {
                badge_buf_puts(&b, "</ul>\n");
            }
            in_p = in_ul = 0;
            badge_buf_puts(&b, "<p class=\"h\">");
            badge_page_md_line(&b, l, n);
            badge_buf_puts(&b, "</p>\n");
        } else if (n >= 2 && (l[0] == '-' || l[0] == '*' || l[0] == '+')
                   && l[1] == ' ')
        {
            if (in_p) {
                badge_buf_puts(&b, "</p>\n");
                in_p = 0;
            }
            if (!in_ul) {
                badge_buf_puts(&b, "<ul>\n");
                in_ul = 1;
            }
            badge_buf_puts(&b, "<li>");
            badge_page_md_line(&b, l + 2, n - 2);
            badge_buf_puts(&b, "</li>\n");
        } else {
            if (in_ul) {
                badge_buf_puts(&b, "</ul>\n");
                in_ul = 0;
            }
            badge_buf_puts(&b, in_p ? "<br>\n" : "<p>");
            in_p = 1;
            badge_page_md_line(&b, l, n);
        }
        p = e != NULL ? e + 1 : p + strlen(p);
    }
    if (in_p) {
        badge_buf_puts(&b, "</p>\n");
    }
    if (in_ul) {
        badge_buf_puts(&b, "</ul>\n");
    }
    return badge_buf_cstr(&b);
}

/* ------------------------------------------------------------------ */
/* Documents beside the credential                                      */

static json_t *
badge_page_parse(badge_page_t *pg, const char *text, size_t len)
{
    badge_err_t err;
    json_t     *j;

    badge_err_clear(&err);
    j = badge_session_parse_json(pg->s, text, len, &err);
    return json_is_object(j) ? j : NULL;
}

/* The document at url: given in opts, supplied to the session, or
 * pinned in the context.  NULL if none (never fetched from here). */
static json_t *
badge_page_doc(badge_page_t *pg, const char *url)
{
    const badge_pinned_doc_t *pin;
    const badge_doc_t        *d;
    badge_page_cached_t      *c;
    const char               *body = NULL;
    size_t                    len = 0, i;
    json_t                   *j;

    if (url == NULL) {
        return NULL;
    }
    for (c = pg->cache; c != NULL; c = c->next) {
        if (strcmp(c->url, url) == 0) {
            return c->json;
        }
    }
    for (i = 0; pg->o->docs != NULL && i < pg->o->n_docs; i++) {
        if (pg->o->docs[i].url != NULL
            && strcmp(pg->o->docs[i].url, url) == 0)
        {
            body = pg->o->docs[i].body;
            len = pg->o->docs[i].len;
            break;
        }
    }
    for (d = pg->s->docs; body == NULL && d != NULL; d = d->next) {
        if (strcmp(d->url, url) == 0 && d->http_status >= 200
            && d->http_status < 300 && d->body != NULL)
        {
            body = (const char *) d->body;
            len = d->len;
        }
    }
    if (body == NULL
        && (pin = badge_ctx_find_document(pg->s->ctx, url)) != NULL)
    {
        body = (const char *) pin->body;
        len = pin->len;
    }
    if (body == NULL && pg->o->doc_fn != NULL) {
        body = pg->o->doc_fn(pg->o->doc_ud, url, &len);
    }
    if (body == NULL) {
        return NULL;
    }
    j = badge_page_parse(pg, body, len);
    c = badge_arena_calloc(pg->a, sizeof(*c));
    if (c != NULL) {
        c->url = badge_arena_strdup(pg->a, url);
        c->json = j;
        c->next = pg->cache;
        pg->cache = c->url != NULL ? c : pg->cache;
    }
    return j;
}

/* v as an object: itself, or the document its URL names. */
static json_t *
badge_page_resolve(badge_page_t *pg, json_t *v)
{
    if (json_is_object(v)) {
        return v;
    }
    if (json_is_string(v)) {
        return badge_page_doc(pg, json_string_value(v));
    }
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Reading the credential                                               */

static char *
badge_page_epoch_iso(badge_page_t *pg, json_t *v)
{
    time_t     t;
    struct tm  tm;
    char       buf[32];

    if (!json_is_integer(v)) {
        return NULL;
    }
    t = (time_t) json_integer_value(v);
    if (gmtime_r(&t, &tm) == NULL
        || strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
    {
        return NULL;
    }
    return badge_arena_strdup(pg->a, buf);
}

static void
badge_page_claim(badge_page_t *pg, json_t *vc, const char *key,
    const char *value)
{
    if (value != NULL && json_object_get(vc, key) == NULL) {
        json_object_set_new(vc, key, json_string(value));
    }
}

/* The credential in a compact JWS: the payload, or its "vc" claim with
 * the registered claims filled in where the credential lacks them. */
static json_t *
badge_page_from_jwt(badge_page_t *pg, const char *p, size_t len)
{
    const char    *d1, *d2;
    unsigned char *payload;
    size_t         plen;
    json_t        *claims, *vc, *cs;

    d1 = memchr(p, '.', len);
    d2 = d1 != NULL ? memchr(d1 + 1, '.', len - (size_t) (d1 + 1 - p)) : NULL;
    if (d2 == NULL) {
        return NULL;
    }
    payload = badge_b64url_decode_arena(pg->a, d1 + 1,
                                        (size_t) (d2 - d1 - 1), &plen);
    if (payload == NULL) {
        return NULL;
    }
    claims = badge_page_parse(pg, (const char *) payload, plen);
    if (claims == NULL) {
        return NULL;
    }
    pg->jwt = 1;
    vc = json_object_get(claims, "vc");
    if (!json_is_object(vc)) {
        return claims;          /* VC 2.0 JWT, or an OB 2.0 assertion */
    }
    badge_page_claim(pg, vc, "issuer", badge_json_str(claims, "iss"));
    badge_page_claim(pg, vc, "id", badge_json_str(claims, "jti"));
    badge_page_claim(pg, vc, "validFrom",
        badge_page_epoch_iso(pg, json_object_get(claims, "nbf")));
    badge_page_claim(pg, vc, "validUntil",
        badge_page_epoch_iso(pg, json_object_get(claims, "exp")));
    cs = badge_page_first_obj(json_object_get(vc, "credentialSubject"));
    if (cs != NULL) {
        badge_page_claim(pg, cs, "id", badge_json_str(claims, "sub"));
    }
    return vc;
}

static json_t *
badge_page_load(badge_page_t *pg, const unsigned char *p, size_t len,
    int depth)
{
    badge_baked_t  baked;
    badge_err_t    err;
    json_t        *j, *vp;

    badge_trim(&p, &len);
    switch (badge_detect_input(p, len)) {
    case BADGE_INPUT_JSON:
        j = badge_page_parse(pg, (const char *) p, len);
        break;
    case BADGE_INPUT_JWS:
        j = badge_page_from_jwt(pg, (const char *) p, len);
        break;
    case BADGE_INPUT_PNG:
    case BADGE_INPUT_SVG:
        badge_err_clear(&err);
        if (depth > 0
            || badge_baked_extract(pg->a, p, len, &baked, &err) != 0)
        {
            return NULL;
        }
        if (baked.kind == BADGE_BAKED_URL) {
            return badge_page_doc(pg, baked.payload);
        }
        return badge_page_load(pg, (const unsigned char *) baked.payload,
                               baked.len, depth + 1);
    case BADGE_INPUT_URL:
        return depth > 0 ? NULL
               : badge_page_doc(pg, badge_arena_strndup(pg->a,
                                                        (const char *) p,
                                                        len));
    default:
        return NULL;
    }
    /* a presentation: show its first credential */
    if (j != NULL && json_object_get(j, "credentialSubject") == NULL
        && (vp = badge_page_first_obj(json_object_get(j,
                                          "verifiableCredential"))) != NULL)
    {
        return vp;
    }
    return j;
}

/* ------------------------------------------------------------------ */
/* Status and checks                                                    */

static const char badge_page_icon_verified[] =
    "<svg class=\"status-icon\" width=\"34\" height=\"34\" "
    "viewBox=\"0 0 24 24\" aria-hidden=\"true\" "
    "focusable=\"false\"><circle cx=\"12\" cy=\"12\" r=\"11\" "
    "fill=\"currentColor\"/><path d=\"M6.8 12.4l3.4 3.4 7-7.2\" "
    "fill=\"none\" stroke=\"#fff\" stroke-width=\"2.4\" "
    "stroke-linecap=\"round\" stroke-linejoin=\"round\"/></svg>";
static const char badge_page_icon_expired[] =
    "<svg class=\"status-icon\" width=\"34\" height=\"34\" "
    "viewBox=\"0 0 24 24\" aria-hidden=\"true\" "
    "focusable=\"false\"><circle cx=\"12\" cy=\"12\" r=\"11\" "
    "fill=\"currentColor\"/><path d=\"M12 6.5V12l3.8 2.6\" fill=\"none\" "
    "stroke=\"#fff\" stroke-width=\"2.2\" stroke-linecap=\"round\" "
    "stroke-linejoin=\"round\"/></svg>";
static const char badge_page_icon_revoked[] =
    "<svg class=\"status-icon\" width=\"34\" height=\"34\" "
    "viewBox=\"0 0 24 24\" aria-hidden=\"true\" "
    "focusable=\"false\"><circle cx=\"12\" cy=\"12\" r=\"11\" "
    "fill=\"currentColor\"/><path d=\"M8 8l8 8M16 8l-8 8\" fill=\"none\" "
    "stroke=\"#fff\" stroke-width=\"2.4\" stroke-linecap=\"round\"/></svg>";
static const char badge_page_icon_suspended[] =
    "<svg class=\"status-icon\" width=\"34\" height=\"34\" "
    "viewBox=\"0 0 24 24\" aria-hidden=\"true\" "
    "focusable=\"false\"><circle cx=\"12\" cy=\"12\" r=\"11\" "
    "fill=\"currentColor\"/><path d=\"M9.5 7.5v9M14.5 7.5v9\" fill=\"none\" "
    "stroke=\"#fff\" stroke-width=\"2.4\" stroke-linecap=\"round\"/></svg>";
static const char badge_page_icon_not_verified[] =
    "<svg class=\"status-icon\" width=\"34\" height=\"34\" "
    "viewBox=\"0 0 24 24\" aria-hidden=\"true\" "
    "focusable=\"false\"><path d=\"M12 1.5L23 21.5H1z\" "
    "fill=\"currentColor\" stroke=\"currentColor\" stroke-width=\"1.5\" "
    "stroke-linejoin=\"round\"/><path d=\"M12 9v5.5M12 17.8v.2\" "
    "fill=\"none\" stroke=\"#fff\" stroke-width=\"2.4\" "
    "stroke-linecap=\"round\"/></svg>";

static const char *const badge_page_check_icons[] = {
    /* BADGE_PASS */
    "<svg class=\"check-icon\" width=\"20\" height=\"20\" "
    "viewBox=\"0 0 20 20\" aria-hidden=\"true\" "
    "focusable=\"false\"><circle cx=\"10\" cy=\"10\" r=\"9\" "
    "fill=\"currentColor\"/><path d=\"M5.8 10.4l2.8 2.8 5.6-5.8\" "
    "fill=\"none\" stroke=\"#fff\" stroke-width=\"2\" "
    "stroke-linecap=\"round\" stroke-linejoin=\"round\"/></svg>",
    /* BADGE_FAIL */
    "<svg class=\"check-icon\" width=\"20\" height=\"20\" "
    "viewBox=\"0 0 20 20\" aria-hidden=\"true\" "
    "focusable=\"false\"><circle cx=\"10\" cy=\"10\" r=\"9\" "
    "fill=\"currentColor\"/><path d=\"M6.8 6.8l6.4 6.4M13.2 6.8l-6.4 6.4\" "
    "fill=\"none\" stroke=\"#fff\" stroke-width=\"2\" "
    "stroke-linecap=\"round\"/></svg>",
    /* BADGE_WARN */
    "<svg class=\"check-icon\" width=\"20\" height=\"20\" "
    "viewBox=\"0 0 20 20\" aria-hidden=\"true\" "
    "focusable=\"false\"><path d=\"M10 1.5L19 18H1z\" fill=\"currentColor\" "
    "stroke=\"currentColor\" stroke-linejoin=\"round\"/><path "
    "d=\"M10 7.5v4.5M10 14.8v.2\" fill=\"none\" stroke=\"#fff\" "
    "stroke-width=\"2\" stroke-linecap=\"round\"/></svg>",
    /* BADGE_UNCHECKED */
    "<svg class=\"check-icon\" width=\"20\" height=\"20\" "
    "viewBox=\"0 0 20 20\" aria-hidden=\"true\" "
    "focusable=\"false\"><circle cx=\"10\" cy=\"10\" r=\"8.2\" fill=\"none\" "
    "stroke=\"currentColor\" stroke-width=\"1.8\"/><path d=\"M6.5 10h7\" "
    "fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\" "
    "stroke-linecap=\"round\"/></svg>"
};

static const char *
badge_page_check_key(badge_check_status_t st)
{
    switch (st) {
    case BADGE_PASS:
        return "check_pass";
    case BADGE_FAIL:
        return "check_fail";
    case BADGE_WARN:
        return "check_warn";
    default:
        return "check_unchecked";
    }
}

static void
badge_page_status(badge_page_t *pg, badge_tv_t *root, const char *issuer,
    const char *expires_text)
{
    const badge_report_t       *r = pg->s->report;
    const badge_check_t        *c, *why = NULL;
    const badge_report_error_t *e;
    badge_tv_t                 *st, *list, *item, *ico;
    const char                 *code, *icon, *summary, *label, *text;
    const char                 *detail;
    char                        key[48];
    time_t                      now;
    struct tm                   tm;
    unsigned                    n = 0;

    code = badge_report_status(r);
    st = badge_page_obj(pg, root, "status");
    if (st == NULL) {
        return;
    }
    if (strcmp(code, "verified") == 0) {
        icon = badge_page_icon_verified;
        summary = issuer != NULL
            ? badge_page_subst(pg->a, badge_page_t_(pg, "summary_verified"),
                               issuer)
            : badge_page_t_(pg, "summary_verified_noissuer");
    } else if (strcmp(code, "expired") == 0) {
        icon = badge_page_icon_expired;
        summary = expires_text != NULL
            ? badge_page_subst(pg->a, badge_page_t_(pg, "summary_expired"),
                               expires_text)
            : badge_page_t_(pg, "summary_expired_nodate");
    } else if (strcmp(code, "revoked") == 0) {
        icon = badge_page_icon_revoked;
        summary = badge_page_t_(pg, "summary_revoked");
    } else if (strcmp(code, "suspended") == 0) {
        icon = badge_page_icon_suspended;
        summary = badge_page_t_(pg, "summary_suspended");
    } else {
        code = "not_verified";
        icon = badge_page_icon_not_verified;
        summary = badge_page_t_(pg, "summary_not_verified");
    }
    snprintf(key, sizeof(key), "status_%s", code);
    badge_page_set(pg, st, "code", BADGE_TV_TEXT, code);
    badge_page_set(pg, st, "label", BADGE_TV_TEXT, badge_page_t_(pg, key));
    badge_page_set(pg, st, "summary", BADGE_TV_TEXT, summary);
    badge_page_set(pg, st, "icon", BADGE_TV_SAFE, icon);
    snprintf(key, sizeof(key), "is_%s", code);
    badge_page_bool(pg, st, key, 1);

    /* why it is not verified: an input error, else the first failed (or
     * could-not-check) check */
    if (strcmp(code, "not_verified") == 0 && r != NULL) {
        e = r->errors;
        for (c = r->checks; c != NULL && why == NULL; c = c->next) {
            why = c->status == BADGE_FAIL ? c : NULL;
        }
        for (c = r->checks; c != NULL && why == NULL; c = c->next) {
            why = c->status == BADGE_UNCHECKED ? c : NULL;
        }
        /* in Japanese, the code's sentence, and the English message as
         * the detail when it says more (messages.h) */
        if (e != NULL && e->message != NULL) {
            badge_message_code_text(e->code, e->message, pg->ja, &text,
                                    &detail);
            badge_page_set(pg, st, "reason", BADGE_TV_TEXT, text);
            badge_page_set(pg, st, "reason_detail", BADGE_TV_TEXT, detail);
        } else if (why != NULL && why->message != NULL) {
            badge_message_code_text(why->code, why->message, pg->ja, &text,
                                    &detail);
            badge_page_set(pg, st, "reason", BADGE_TV_TEXT,
                badge_arena_sprintf(pg->a, "%s — %s",
                    badge_message_check_label(why->check, pg->ja), text));
            badge_page_set(pg, st, "reason_detail", BADGE_TV_TEXT, detail);
        }
    }

    now = pg->o->now != 0 ? pg->o->now : pg->s->now;
    if (gmtime_r(&now, &tm) != NULL) {
        badge_page_set(pg, st, "checked_iso", BADGE_TV_TEXT,
            badge_arena_sprintf(pg->a, "%04d-%02d-%02d", tm.tm_year + 1900,
                                tm.tm_mon + 1, tm.tm_mday));
        badge_page_set(pg, st, "checked_on", BADGE_TV_TEXT,
            badge_page_date_text(pg, tm.tm_year + 1900, tm.tm_mon + 1,
                                 tm.tm_mday));
    }

    list = badge_page_list(pg, root, "checks");
    for (c = r != NULL ? r->checks : NULL; list != NULL && c != NULL;
         c = c->next)
    {
        item = badge_page_obj(pg, list, NULL);
        if (item == NULL) {
            return;
        }
        label = badge_message_check_label(c->check, pg->ja);
        badge_page_set(pg, item, "check", BADGE_TV_TEXT, c->check);
        badge_page_set(pg, item, "label", BADGE_TV_TEXT, label);
        badge_page_set(pg, item, "status", BADGE_TV_TEXT,
            badge_check_status_name(c->status));
        badge_page_set(pg, item, "status_label", BADGE_TV_TEXT,
            badge_page_t_(pg, badge_page_check_key(c->status)));
        badge_message_code_text(c->code, c->message, pg->ja, &text,
                                &detail);
        badge_page_set(pg, item, "code", BADGE_TV_TEXT, c->code);
        badge_page_set(pg, item, "message", BADGE_TV_TEXT, text);
        badge_page_set(pg, item, "detail", BADGE_TV_TEXT, detail);
        ico = badge_tv_scalar(pg->a, BADGE_TV_SAFE,
            badge_page_check_icons[c->status <= BADGE_UNCHECKED
                                   ? c->status : BADGE_UNCHECKED]);
        if (badge_tv_put(pg->a, item, "icon", ico) == NULL) {
            pg->oom = 1;
        }
        n++;
    }
    badge_page_bool(pg, root, "has_checks", n > 0);
}

/* ------------------------------------------------------------------ */
/* The credential's parts                                               */

static const char *
badge_page_image(const json_t *v)
{
    const char *u = badge_page_ref(v);

    if (u == NULL) {
        return NULL;
    }
    /* only what an <img> may load: http(s), or a base64 raster/SVG
     * data: URI (an SVG in <img> runs no script) */
    return badge_tpl_image_ok(u, strlen(u)) && strchr(u, ':') != NULL ? u
                                                                     : NULL;
}

static const struct {
    const char *key;
    const char *en;
    const char *ja;
} badge_page_types[] = {
    { "Achievement", "Achievement", "達成" },
    { "ApprenticeshipCertificate", "Apprenticeship certificate",
      "実習修了証" },
    { "Assessment", "Assessment", "評価" },
    { "Assignment", "Assignment", "課題" },
    { "AssociateDegree", "Associate degree", "準学士" },
    { "Award", "Award", "表彰" },
    { "Badge", "Badge", "バッジ" },
    { "BachelorDegree", "Bachelor's degree", "学士" },
    { "Certificate", "Certificate", "修了証" },
    { "CertificateOfCompletion", "Certificate of completion", "修了証" },
    { "Certification", "Certification", "資格" },
    { "CommunityService", "Community service", "社会貢献活動" },
    { "Competency", "Competency", "コンピテンシー" },
    { "Course", "Course", "講座" },
    { "CoCurricular", "Co-curricular", "課外活動" },
    { "Degree", "Degree", "学位" },
    { "Diploma", "Diploma", "卒業証書" },
    { "DoctoralDegree", "Doctoral degree", "博士" },
    { "Fieldwork", "Fieldwork", "フィールドワーク" },
    { "GeneralEducationDevelopment", "General education", "一般教育" },
    { "JourneymanCertificate", "Journeyman certificate", "技能者証明" },
    { "LearningProgram", "Learning program", "学習プログラム" },
    { "License", "License", "免許" },
    { "Membership", "Membership", "会員資格" },
    { "ProfessionalDoctorate", "Professional doctorate", "専門職博士" },
    { "QualityAssuranceCredential", "Quality assurance credential",
      "品質保証資格" },
    { "MasterCertificate", "Master certificate", "マスター認定" },
    { "MasterDegree", "Master's degree", "修士" },
    { "MicroCredential", "Micro-credential", "マイクロクレデンシャル" },
    { "ResearchDoctorate", "Research doctorate", "博士（研究）" },
    { "SecondarySchoolDiploma", "Secondary school diploma", "高等学校卒業" },
    { NULL, NULL, NULL }
};

static const char *
badge_page_type_label(const badge_page_t *pg, const char *type)
{
    size_t i;

    if (type == NULL) {
        return NULL;
    }
    if (strncmp(type, "ext:", 4) == 0) {
        return type + 4;
    }
    for (i = 0; badge_page_types[i].key != NULL; i++) {
        if (strcmp(badge_page_types[i].key, type) == 0) {
            return pg->ja ? badge_page_types[i].ja : badge_page_types[i].en;
        }
    }
    return type;
}

static const struct {
    const char *key;
    const char *en;
    const char *ja;
} badge_page_result_status[] = {
    { "Completed", "Completed", "修了" },
    { "Enrolled", "Enrolled", "在籍" },
    { "Failed", "Failed", "不合格" },
    { "InProgress", "In progress", "受講中" },
    { "OnHold", "On hold", "保留" },
    { "Provisional", "Provisional", "仮" },
    { "Withdrew", "Withdrew", "取り下げ" },
    { NULL, NULL, NULL }
};

static const char *
badge_page_number(badge_page_t *pg, const json_t *v)
{
    if (json_is_string(v)) {
        return json_string_value(v);
    }
    if (json_is_integer(v)) {
        return badge_arena_sprintf(pg->a, "%lld",
                                   (long long) json_integer_value(v));
    }
    if (json_is_real(v)) {
        return badge_arena_sprintf(pg->a, "%g", json_real_value(v));
    }
    return NULL;
}

/* The resultDescription of the achievement with this id. */
static json_t *
badge_page_result_desc(badge_page_t *pg, const char *id)
{
    json_t *rd = json_object_get(pg->badge, "resultDescription"), *e;
    size_t  i;

    if (id == NULL) {
        return NULL;
    }
    json_array_foreach(rd, i, e) {
        if (json_is_object(e) && badge_json_str(e, "id") != NULL
            && strcmp(badge_json_str(e, "id"), id) == 0)
        {
            return e;
        }
    }
    return NULL;
}

static void
badge_page_results(badge_page_t *pg, badge_tv_t *root)
{
    json_t      *results, *r, *desc, *lv, *levels;
    badge_tv_t  *list, *item;
    const char  *value, *level;
    size_t       i, j, n = 0;

    list = badge_page_list(pg, root, "results");
    results = json_object_get(pg->subject, "result");
    if (json_is_object(results)) {
        results = badge_session_keep_json(pg->s, json_pack("[O]", results));
    }
    json_array_foreach(results, i, r) {
        if (list == NULL || !json_is_object(r) || n >= BADGE_PAGE_MAX_ITEMS)
        {
            continue;
        }
        desc = badge_page_result_desc(pg,
            badge_json_str(r, "resultDescription"));
        value = badge_page_number(pg, json_object_get(r, "value"));
        level = badge_json_str(r, "achievedLevel");
        if (value == NULL && level != NULL && desc != NULL) {
            levels = json_object_get(desc, "rubricCriterionLevel");
            json_array_foreach(levels, j, lv) {
                if (json_is_object(lv) && badge_json_str(lv, "id") != NULL
                    && strcmp(badge_json_str(lv, "id"), level) == 0)
                {
                    value = badge_page_pick(pg, json_object_get(lv, "name"),
                                            pg->badge_lang).s;
                }
            }
        }
        if (value == NULL && badge_json_str(r, "status") != NULL) {
            value = badge_json_str(r, "status");
            for (j = 0; badge_page_result_status[j].key != NULL; j++) {
                if (strcmp(value, badge_page_result_status[j].key) == 0) {
                    value = pg->ja ? badge_page_result_status[j].ja
                                   : badge_page_result_status[j].en;
                    break;
                }
            }
        }
        if (value == NULL) {
            continue;
        }
        item = badge_page_obj(pg, list, NULL);
        if (item == NULL) {
            return;
        }
        if (badge_page_text(pg, item, "name", json_object_get(desc, "name"),
                            pg->badge_lang) == NULL)
        {
            badge_page_set(pg, item, "name", BADGE_TV_TEXT,
                badge_page_t_(pg, "results"));
        }
        badge_page_set(pg, item, "value", BADGE_TV_TEXT, value);
        n++;
    }
    badge_page_bool(pg, root, "has_results", n > 0);
}

static void
badge_page_alignments(badge_page_t *pg, badge_tv_t *root)
{
    json_t      *al, *e;
    badge_tv_t  *list, *item;
    const char  *url;
    size_t       i, n = 0;

    list = badge_page_list(pg, root, "alignments");
    al = json_object_get(pg->badge, "alignment");
    if (json_is_object(al)) {
        al = badge_session_keep_json(pg->s, json_pack("[O]", al));
    }
    json_array_foreach(al, i, e) {
        if (list == NULL || !json_is_object(e) || n >= BADGE_PAGE_MAX_ITEMS)
        {
            continue;
        }
        item = badge_page_obj(pg, list, NULL);
        if (item == NULL) {
            return;
        }
        url = badge_json_str(e, "targetUrl");
        if (badge_page_text(pg, item, "name", json_object_get(e,
                                "targetName"), pg->badge_lang) == NULL)
        {
            badge_page_set(pg, item, "name", BADGE_TV_TEXT,
                url != NULL ? url : badge_json_str(e, "targetCode"));
        }
        badge_page_set(pg, item, "url", BADGE_TV_URL,
            badge_page_is_http(url) ? url : NULL);
        badge_page_text(pg, item, "description",
            json_object_get(e, "targetDescription"), pg->badge_lang);
        badge_page_text(pg, item, "framework",
            json_object_get(e, "targetFramework"), pg->badge_lang);
        badge_page_set(pg, item, "code", BADGE_TV_TEXT,
            badge_json_str(e, "targetCode"));
        badge_page_set(pg, item, "type", BADGE_TV_TEXT,
            badge_json_str(e, "targetType"));
        n++;
    }
    badge_page_bool(pg, root, "has_alignments", n > 0);
}

static void
badge_page_tags(badge_page_t *pg, badge_tv_t *root)
{
    json_t      *tags, *e;
    badge_tv_t  *list, *item;
    size_t       i, n = 0;

    list = badge_page_list(pg, root, "tags");
    tags = json_object_get(pg->badge, pg->ob2 ? "tags" : "tag");
    if (tags == NULL) {
        tags = json_object_get(pg->badge, pg->ob2 ? "tag" : "tags");
    }
    json_array_foreach(tags, i, e) {
        if (list == NULL || n >= BADGE_PAGE_MAX_ITEMS) {
            break;
        }
        if (!json_is_string(e) && !json_is_object(e)) {
            continue;
        }
        item = badge_page_obj(pg, list, NULL);
        if (item == NULL) {
            return;
        }
        if (badge_page_text(pg, item, "name", e, pg->badge_lang) != NULL) {
            n++;
        }
    }
    badge_page_bool(pg, root, "has_tags", n > 0);
}

static void
badge_page_evidence(badge_page_t *pg, badge_tv_t *root)
{
    json_t      *ev, *e;
    badge_tv_t  *list, *item;
    const char  *url, *nar;
    size_t       i, n = 0;

    list = badge_page_list(pg, root, "evidence");
    ev = json_object_get(pg->cred, "evidence");
    if (ev != NULL && !json_is_array(ev)) {
        ev = badge_session_keep_json(pg->s, json_pack("[O]", ev));
    }
    json_array_foreach(ev, i, e) {
        if (list == NULL || n >= BADGE_PAGE_MAX_ITEMS) {
            break;
        }
        url = badge_page_ref(e);
        if (!json_is_object(e) && !badge_page_is_http(url)) {
            continue;
        }
        item = badge_page_obj(pg, list, NULL);
        if (item == NULL) {
            return;
        }
        badge_page_set(pg, item, "url", BADGE_TV_URL,
            badge_page_is_http(url) ? url : NULL);
        if (json_is_object(e)) {
            badge_page_text(pg, item, "name", json_object_get(e, "name"),
                pg->cred_lang);
            badge_page_text(pg, item, "description",
                json_object_get(e, "description"), pg->cred_lang);
            nar = badge_page_pick(pg, json_object_get(e, "narrative"),
                                  pg->cred_lang).s;
            badge_page_set(pg, item, "narrative", BADGE_TV_TEXT, nar);
            badge_page_set(pg, item, "narrative_html", BADGE_TV_SAFE,
                badge_page_narrative(pg, nar));
            badge_page_set(pg, item, "genre", BADGE_TV_TEXT,
                badge_json_str(e, "genre"));
            badge_page_set(pg, item, "audience", BADGE_TV_TEXT,
                badge_json_str(e, "audience"));
        }
        if (badge_tv_get(item, "name") == NULL && url != NULL
            && badge_tv_get(item, "description") == NULL)
        {
            badge_page_set(pg, item, "name", BADGE_TV_TEXT, url);
        }
        n++;
    }
    badge_page_bool(pg, root, "has_evidence", n > 0);
}

/* One endorsement: OB 3.0 EndorsementCredential or OB 2.0 Endorsement. */
static void
badge_page_endorsement(badge_page_t *pg, badge_tv_t *list, json_t *e,
    const char *about)
{
    json_t      *iss, *claim;
    badge_tv_t  *item;
    const char  *name = NULL, *date;

    e = badge_page_resolve(pg, e);
    if (!json_is_object(e)) {
        return;
    }
    iss = json_object_get(e, "issuer");
    if (json_is_string(iss) && badge_page_doc(pg, json_string_value(iss))) {
        iss = badge_page_doc(pg, json_string_value(iss));
    }
    item = badge_page_obj(pg, list, NULL);
    if (item == NULL) {
        return;
    }
    if (json_is_object(iss)) {
        name = badge_page_text(pg, item, "issuer",
                               json_object_get(iss, "name"),
                               badge_page_obj_lang(iss, NULL));
    }
    if (name == NULL) {
        badge_page_set(pg, item, "issuer", BADGE_TV_TEXT,
            badge_page_ref(iss));
    }
    claim = json_object_get(e, pg->ob2 ? "claim" : "credentialSubject");
    if (claim == NULL) {
        claim = json_object_get(e, pg->ob2 ? "credentialSubject" : "claim");
    }
    badge_page_text(pg, item, "comment",
        json_object_get(badge_page_first_obj(claim), "endorsementComment"),
        badge_page_obj_lang(e, NULL));
    date = badge_json_str(e, "validFrom");
    if (date == NULL) {
        date = badge_json_str(e, "issuanceDate");
    }
    if (date == NULL) {
        date = badge_json_str(e, "issuedOn");
    }
    badge_page_date(pg, item, "date", date);
    badge_page_set(pg, item, "about", BADGE_TV_TEXT, about);
}

static void
badge_page_endorsements(badge_page_t *pg, badge_tv_t *root)
{
    json_t      *srcs[3] = { pg->cred, pg->badge, pg->issuer };
    const char  *about[3] = { "about_credential", "about_achievement",
                              "about_the_issuer" };
    badge_tv_t  *list;
    json_t      *en, *e;
    size_t       i, k;

    list = badge_page_list(pg, root, "endorsements");
    for (k = 0; k < 3 && list != NULL; k++) {
        en = json_object_get(srcs[k], "endorsement");
        if (en != NULL && !json_is_array(en)) {
            en = badge_session_keep_json(pg->s, json_pack("[O]", en));
        }
        json_array_foreach(en, i, e) {
            if (list->count >= BADGE_PAGE_MAX_ITEMS) {
                break;
            }
            badge_page_endorsement(pg, list, e,
                                   badge_page_t_(pg, about[k]));
        }
    }
    badge_page_bool(pg, root, "has_endorsements",
                    list != NULL && list->count > 0);
}

/* The recipient's name, when the credential gives one.  Identities
 * (e-mail addresses, hashed or not, URLs, phone numbers) are never shown:
 * a verifier checks them with their own input. */
static void
badge_page_recipient(badge_page_t *pg, badge_tv_t *root)
{
    badge_tv_t  *rec;
    json_t      *ids, *e, *prof;
    const char  *name = NULL;
    size_t       i;
    int          has_identity = 0;

    rec = badge_page_obj(pg, root, "recipient");
    if (rec == NULL) {
        return;
    }
    if (pg->ob2) {
        prof = json_object_get(pg->cred, "extensions:recipientProfile");
        if (json_is_object(prof)) {
            name = badge_page_text(pg, rec, "name",
                json_object_get(prof, "name"), pg->cred_lang);
        }
        has_identity = json_object_get(pg->cred, "recipient") != NULL;
    } else if (pg->subject != NULL) {
        name = badge_page_text(pg, rec, "name",
            json_object_get(pg->subject, "name"),
            badge_page_obj_lang(pg->subject, pg->cred_lang));
        ids = json_object_get(pg->subject, "identifier");
        if (json_is_object(ids)) {
            ids = badge_session_keep_json(pg->s, json_pack("[O]", ids));
        }
        json_array_foreach(ids, i, e) {
            has_identity = 1;
            /* OB 3.0 IdentityObject of type "name", in the clear */
            if (name == NULL && json_is_object(e)
                && json_is_false(json_object_get(e, "hashed"))
                && badge_json_str(e, "identityType") != NULL
                && strcmp(badge_json_str(e, "identityType"), "name") == 0)
            {
                name = badge_page_text(pg, rec, "name",
                    json_object_get(e, "identityHash"), pg->cred_lang);
            }
        }
    }
    badge_page_bool(pg, rec, "hidden", name == NULL && has_identity);
}

static void
badge_page_issuer(badge_page_t *pg, badge_tv_t *root, const char **name)
{
    badge_tv_t  *iss;
    json_t      *v;
    const char  *id, *url, *lang;

    iss = badge_page_obj(pg, root, "issuer");
    v = json_object_get(pg->ob2 ? pg->badge : pg->cred, "issuer");
    if (pg->ob2 && v == NULL) {
        v = json_object_get(pg->cred, "issuer");
    }
    id = badge_page_ref(v);
    pg->issuer = badge_page_resolve(pg, v);
    if (iss == NULL) {
        return;
    }
    lang = badge_page_obj_lang(pg->issuer, pg->cred_lang);
    *name = badge_page_text(pg, iss, "name",
                            json_object_get(pg->issuer, "name"), lang);
    if (*name == NULL) {
        *name = pg->s->report != NULL
                ? pg->s->report->fields[BADGE_FIELD_ISSUER_NAME] : NULL;
        badge_page_set(pg, iss, "name", BADGE_TV_TEXT, *name);
    }
    badge_page_set(pg, iss, "id", BADGE_TV_TEXT, id);
    url = badge_json_str(pg->issuer, "url");
    if (!badge_page_is_http(url)) {
        url = badge_page_is_http(id) ? id : NULL;
    }
    badge_page_set(pg, iss, "url", BADGE_TV_URL, url);
    badge_page_set(pg, iss, "image", BADGE_TV_IMAGE,
        badge_page_image(json_object_get(pg->issuer, "image")));
    badge_page_text(pg, iss, "description",
        json_object_get(pg->issuer, "description"), lang);
    badge_page_set(pg, iss, "email", BADGE_TV_TEXT,
        badge_json_str(pg->issuer, "email"));
}

/* ------------------------------------------------------------------ */
/* Sharing: LinkedIn, JSON-LD                                           */

static void
badge_page_urlenc(badge_buf_t *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p;

    for (p = (const unsigned char *) s; *p != '\0'; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')
            || (*p >= '0' && *p <= '9') || *p == '-' || *p == '.'
            || *p == '_' || *p == '~')
        {
            badge_buf_putc(b, (char) *p);
        } else {
            badge_buf_putc(b, '%');
            badge_buf_putc(b, hex[*p >> 4]);
            badge_buf_putc(b, hex[*p & 15]);
        }
    }
}

static char *
badge_page_linkedin(badge_page_t *pg, const char *name, const char *org,
    const char *issued, const char *expires, const char *cert_id)
{
    badge_buf_t b;
    int         y, m, d;

    if (name == NULL || pg->o->page_url == NULL) {
        return NULL;
    }
    badge_buf_init(&b, pg->a, 512);
    badge_buf_puts(&b, "https://www.linkedin.com/profile/add"
                       "?startTask=CERTIFICATION_NAME&name=");
    badge_page_urlenc(&b, name);
    if (org != NULL) {
        badge_buf_puts(&b, "&organizationName=");
        badge_page_urlenc(&b, org);
    }
    if (badge_page_ymd(issued, &y, &m, &d) == 0) {
        badge_buf_printf(&b, "&issueYear=%d&issueMonth=%d", y, m);
    }
    if (badge_page_ymd(expires, &y, &m, &d) == 0) {
        badge_buf_printf(&b, "&expirationYear=%d&expirationMonth=%d", y, m);
    }
    badge_buf_puts(&b, "&certUrl=");
    badge_page_urlenc(&b, pg->o->page_url);
    if (cert_id != NULL) {
        badge_buf_puts(&b, "&certId=");
        badge_page_urlenc(&b, cert_id);
    }
    return badge_buf_cstr(&b);
}

/* <script type="application/ld+json"> with the credential.  Inside a
 * script element only "</script", "<!--" and (for old parsers) U+2028/9
 * matter; every <, >, &, U+2028/9 and bidi control becomes a \u escape,
 * which is the same JSON. */
static char *
badge_page_jsonld(badge_page_t *pg)
{
    char        *dump, *p;
    badge_buf_t  b;

    if (json_object_get(pg->cred, "@context") == NULL) {
        return NULL;
    }
    dump = json_dumps(pg->cred, JSON_COMPACT);
    if (dump == NULL) {
        pg->oom = 1;
        return NULL;
    }
    badge_buf_init(&b, pg->a, strlen(dump) + 128);
    badge_buf_puts(&b, "<script type=\"application/ld+json\">");
    for (p = dump; *p != '\0'; p++) {
        if (*p == '<') {
            badge_buf_puts(&b, "\\u003c");
        } else if (*p == '>') {
            badge_buf_puts(&b, "\\u003e");
        } else if (*p == '&') {
            badge_buf_puts(&b, "\\u0026");
        } else if ((unsigned char) p[0] == 0xe2
                   && (((unsigned char) p[1] == 0x80
                        && (unsigned char) p[2] >= 0xa8
                        && (unsigned char) p[2] <= 0xae)
                       || ((unsigned char) p[1] == 0x81
                           && (unsigned char) p[2] >= 0xa6
                           && (unsigned char) p[2] <= 0xa9)))
        {
            /* U+2028/9 (line breaks to old parsers) and the bidi
             * controls, which would reorder what "view source" shows */
            badge_buf_printf(&b, "\\u%04x",
                ((unsigned) (p[1] & 0x3f) << 6 | (p[2] & 0x3f)) + 0x2000);
            p += 2;
        } else {
            badge_buf_putc(&b, *p);
        }
    }
    badge_buf_puts(&b, "</script>");
    free(dump);
    return badge_buf_cstr(&b);
}

/* First n characters (not bytes) of s, with an ellipsis if cut. */
static char *
badge_page_truncate(badge_page_t *pg, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *) s;
    size_t               chars = 0, i = 0;
    badge_buf_t          b;

    if (s == NULL) {
        return NULL;
    }
    while (p[i] != '\0' && chars < n) {
        i++;
        while ((p[i] & 0xc0) == 0x80) {
            i++;
        }
        chars++;
    }
    if (p[i] == '\0') {
        return (char *) s;
    }
    badge_buf_init(&b, pg->a, i + 4);
    badge_buf_append(&b, s, i);
    badge_buf_puts(&b, "…");
    return badge_buf_cstr(&b);
}

static const char *
badge_page_format_label(badge_page_t *pg)
{
    const char *f = pg->s->report != NULL ? pg->s->report->format : NULL;
    json_t     *type = json_object_get(pg->cred, "type");
    const char *base;

    if (pg->ob2) {
        base = "Open Badges 2.0";
    } else if (badge_json_has_string(type, "OpenBadgeCredential")
               || badge_json_has_string(type, "AchievementCredential"))
    {
        base = "Open Badges 3.0";
    } else {
        base = "W3C Verifiable Credential";
    }
    if (pg->jwt || (f != NULL && strstr(f, "jwt") != NULL)) {
        return badge_arena_sprintf(pg->a, "%s (JWT)", base);
    }
    return base;
}

/* ------------------------------------------------------------------ */
/* Templates                                                            */

static void
badge_page_hash(const void *p, size_t n, unsigned char out[32])
{
    unsigned int len = 32;

    if (EVP_Digest(p, n, out, &len, EVP_sha256(), NULL) != 1) {
        memset(out, 0, 32);
    }
}

/* Append the CSP sources of the inline <tag> blocks of a template. */
static void
badge_page_csp_scan(badge_buf_t *b, const char *text, size_t len,
    const char *tag, int *unhashable)
{
    char           open[16], close[16];
    const char    *p = text, *end = text + len, *gt, *stop;
    unsigned char  md[32];
    char           b64[64];

    snprintf(open, sizeof(open), "<%s", tag);
    snprintf(close, sizeof(close), "</%s", tag);
    while ((p = memmem(p, (size_t) (end - p), open, strlen(open))) != NULL) {
        gt = memchr(p, '>', (size_t) (end - p));
        if (gt == NULL) {
            return;
        }
        stop = memmem(gt + 1, (size_t) (end - gt - 1), close, strlen(close));
        if (stop == NULL) {
            return;
        }
        /* data blocks (JSON-LD) are not scripts: CSP does not apply */
        if (memmem(p, (size_t) (gt - p), "json", 4) == NULL
            && memmem(p, (size_t) (gt - p), "{{", 2) == NULL)
        {
            if (memmem(gt + 1, (size_t) (stop - gt - 1), "{{", 2) != NULL) {
                *unhashable = 1;
            } else {
                badge_page_hash(gt + 1, (size_t) (stop - gt - 1), md);
                badge_b64_encode(md, 32, b64, sizeof(b64));
                badge_buf_printf(b, " 'sha256-%s'", b64);
            }
        }
        p = stop;
    }
}

static char *
badge_page_csp_build(badge_arena_t *a, const char *text, size_t len)
{
    badge_buf_t b;
    int         style_unsafe = 0, script_unsafe = 0;
    size_t      mark;

    badge_buf_init(&b, a, 512);
    badge_buf_puts(&b, "default-src 'none'; style-src");
    mark = b.len;
    badge_page_csp_scan(&b, text, len, "style", &style_unsafe);
    /* the index page shares the policy */
    badge_page_csp_scan(&b, badge_page_index_template_text,
        badge_page_index_template_len, "style", &style_unsafe);
    if (style_unsafe) {
        badge_buf_puts(&b, " 'unsafe-inline'");
    }
    if (b.len == mark) {
        badge_buf_puts(&b, " 'none'");
    }
    badge_buf_puts(&b, "; script-src");
    mark = b.len;
    badge_page_csp_scan(&b, text, len, "script", &script_unsafe);
    if (b.len == mark) {
        badge_buf_puts(&b, " 'none'");
    }
    badge_buf_puts(&b, "; img-src http: https: data:; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'");
    return badge_buf_cstr(&b);
}

badge_page_template_t *
badge_page_template_compile(const char *text, size_t len, char *err,
    size_t errlen)
{
    badge_page_template_t *t;
    badge_arena_t         *a;
    badge_err_t            e;

    badge_err_clear(&e);
    a = badge_arena_new(0);
    if (a == NULL || (t = badge_arena_calloc(a, sizeof(*t))) == NULL) {
        badge_arena_free(a);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    t->arena = a;
    /* the template keeps pointers into its text: copy it */
    text = badge_arena_memdup(a, text, len);
    t->tpl = text != NULL ? badge_tpl_compile(a, text, len, &e) : NULL;
    t->csp = t->tpl != NULL ? badge_page_csp_build(a, text, len) : NULL;
    if (t->tpl == NULL || t->csp == NULL) {
        snprintf(err, errlen, "%s", e.code != NULL ? e.message
                                                   : "out of memory");
        badge_arena_free(a);
        return NULL;
    }
    return t;
}

badge_page_template_t *
badge_page_template_load(const char *path, char *err, size_t errlen)
{
    badge_page_template_t *t;
    FILE                  *f;
    char                  *buf, msg[300];
    size_t                 n;

    f = fopen(path, "rb");
    if (f == NULL) {
        snprintf(err, errlen, "%s: cannot open", path);
        return NULL;
    }
    buf = malloc(BADGE_PAGE_TEMPLATE_MAX + 1);
    if (buf == NULL) {
        fclose(f);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    n = fread(buf, 1, BADGE_PAGE_TEMPLATE_MAX + 1, f);
    if (ferror(f) || n > BADGE_PAGE_TEMPLATE_MAX) {
        snprintf(err, errlen, "%s: %s", path, ferror(f) ? "read error"
                 : "larger than 1 MiB");
        fclose(f);
        free(buf);
        return NULL;
    }
    fclose(f);
    t = badge_page_template_compile(buf, n, msg, sizeof(msg));
    free(buf);
    if (t == NULL) {
        snprintf(err, errlen, "%s: %s", path, msg);
    }
    return t;
}

void
badge_page_template_free(badge_page_template_t *t)
{
    if (t != NULL) {
        badge_arena_free(t->arena);
    }
}

const char *
badge_page_default_template(size_t *len)
{
    if (len != NULL) {
        *len = badge_page_default_template_len;
    }
    return badge_page_default_template_text;
}

/* The built-in templates, compiled once per process. */
static pthread_once_t          badge_page_once = PTHREAD_ONCE_INIT;
static badge_page_template_t  *badge_page_builtin;
static badge_page_template_t  *badge_page_builtin_index;

static void
badge_page_init_builtin(void)
{
    char err[256];

    badge_page_builtin = badge_page_template_compile(
        badge_page_default_template_text, badge_page_default_template_len,
        err, sizeof(err));
    badge_page_builtin_index = badge_page_template_compile(
        badge_page_index_template_text, badge_page_index_template_len,
        err, sizeof(err));
}

const char *
badge_page_csp(const badge_page_template_t *tpl)
{
    if (tpl == NULL) {
        pthread_once(&badge_page_once, badge_page_init_builtin);
        tpl = badge_page_builtin;
    }
    return tpl != NULL ? tpl->csp
           : "default-src 'none'; style-src 'unsafe-inline'; "
             "img-src http: https: data:";
}

/* ------------------------------------------------------------------ */
/* The page                                                             */

/* Strings every page has: language, links, interface words. */
static void
badge_page_common(badge_page_t *pg, badge_tv_t *root)
{
    const badge_page_str_t *s;
    badge_tv_t             *t;
    const char             *other = pg->ja ? "en" : "ja", *u;

    badge_page_set(pg, root, "lang", BADGE_TV_TEXT, pg->lang);
    badge_page_bool(pg, root, "is_ja", pg->ja);
    badge_page_bool(pg, root, "is_en", !pg->ja);
    badge_page_set(pg, root, "lang_other", BADGE_TV_TEXT, other);
    badge_page_set(pg, root, "version", BADGE_TV_TEXT, BADGE_VERSION);
    badge_page_set(pg, root, "generator", BADGE_TV_TEXT,
        "libbadge " BADGE_VERSION);
    badge_page_set(pg, root, "page_url", BADGE_TV_URL, pg->o->page_url);
    u = pg->o->lang_other_url;
    if (u == NULL && pg->o->page_url != NULL) {
        u = badge_arena_sprintf(pg->a, "%s%slang=%s", pg->o->page_url,
                                strchr(pg->o->page_url, '?') ? "&" : "?",
                                other);
    }
    badge_page_set(pg, root, "lang_other_url", BADGE_TV_URL, u);
    t = badge_page_obj(pg, root, "t");
    for (s = badge_page_strings; t != NULL && s->key != NULL; s++) {
        badge_page_set(pg, t, s->key, BADGE_TV_TEXT, pg->ja ? s->ja : s->en);
    }
}

static void
badge_page_init(badge_page_t *pg, badge_arena_t *a, badge_session_t *s,
    const badge_page_opts_t *o)
{
    memset(pg, 0, sizeof(*pg));
    pg->a = a;
    pg->s = s;
    pg->o = o;
    pg->ja = o->lang != NULL && strcmp(o->lang, "ja") == 0;
    pg->lang = pg->ja ? "ja" : "en";
}

static badge_tv_t *
badge_page_model(badge_page_t *pg)
{
    badge_tv_t  *root, *badge, *og, *cred, *issued;
    json_t      *crit, *v;
    const char  *name, *issuer_name = NULL, *desc, *img, *iso_from,
                *iso_until, *crit_url = NULL, *crit_text, *cid, *type;
    badge_tv_t  *exp;

    root = badge_tv_object(pg->a);
    if (root == NULL) {
        pg->oom = 1;
        return NULL;
    }
    badge_page_common(pg, root);

    pg->ob2 = json_object_get(pg->cred, "badge") != NULL
              && json_object_get(pg->cred, "credentialSubject") == NULL;
    pg->cred_lang = badge_page_obj_lang(pg->cred, NULL);
    if (pg->ob2) {
        pg->badge = badge_page_resolve(pg, json_object_get(pg->cred,
                                                           "badge"));
    } else {
        pg->subject = badge_page_first_obj(json_object_get(pg->cred,
                                               "credentialSubject"));
        pg->badge = badge_page_resolve(pg, json_object_get(pg->subject,
                                                           "achievement"));
    }
    pg->badge_lang = badge_page_obj_lang(pg->badge, pg->cred_lang);

    badge_page_issuer(pg, root, &issuer_name);

    /* the badge */
    badge = badge_page_obj(pg, root, "badge");
    if (badge == NULL) {
        return NULL;
    }
    name = badge_page_text(pg, badge, "name",
                           json_object_get(pg->badge, "name"),
                           pg->badge_lang);
    if (name == NULL) {
        name = badge_page_text(pg, badge, "name",
                               json_object_get(pg->cred, "name"),
                               pg->cred_lang);
    }
    if (name == NULL) {
        name = pg->s->report != NULL
               ? pg->s->report->fields[BADGE_FIELD_ACHIEVEMENT_NAME] : NULL;
        if (name == NULL) {
            name = badge_page_t_(pg, "brand");
        }
        badge_page_set(pg, badge, "name", BADGE_TV_TEXT, name);
    }
    desc = badge_page_text(pg, badge, "description",
                           json_object_get(pg->badge, "description"),
                           pg->badge_lang);
    if (desc == NULL) {
        desc = badge_page_text(pg, badge, "description",
                               json_object_get(pg->cred, "description"),
                               pg->cred_lang);
    }
    img = badge_page_image(json_object_get(pg->badge, "image"));
    if (img == NULL) {
        img = badge_page_image(json_object_get(pg->cred, "image"));
    }
    badge_page_set(pg, badge, "image", BADGE_TV_IMAGE, img);
    v = json_object_get(json_object_get(pg->badge, "image"), "caption");
    if (badge_page_pick(pg, v, pg->badge_lang).s != NULL) {
        badge_page_set(pg, badge, "image_alt", BADGE_TV_TEXT,
            badge_page_pick(pg, v, pg->badge_lang).s);
    } else {
        badge_page_set(pg, badge, "image_alt", BADGE_TV_TEXT, name);
    }
    badge_page_set(pg, badge, "id", BADGE_TV_TEXT,
        badge_page_ref(pg->ob2 ? json_object_get(pg->cred, "badge")
                               : json_object_get(pg->subject,
                                                 "achievement")));
    type = badge_json_str(pg->badge, "achievementType");
    badge_page_set(pg, badge, "type", BADGE_TV_TEXT,
        badge_page_type_label(pg, type));

    /* criteria: a URL (OB 2.0), or {id, narrative} */
    crit = json_object_get(pg->badge, "criteria");
    if (json_is_string(crit)) {
        crit_url = json_string_value(crit);
        if (badge_page_doc(pg, crit_url) != NULL) {
            crit = badge_page_doc(pg, crit_url);
        }
    } else {
        crit_url = badge_page_ref(crit);
    }
    crit_text = badge_page_pick(pg, json_object_get(crit, "narrative"),
                                badge_page_obj_lang(crit, pg->badge_lang)).s;
    if (crit_text != NULL) {
        badge_page_text(pg, badge, "criteria_text",
            json_object_get(crit, "narrative"),
            badge_page_obj_lang(crit, pg->badge_lang));
        badge_page_set(pg, badge, "criteria_lang", BADGE_TV_TEXT,
            badge_page_lang_attr(pg, badge_page_pick(pg,
                json_object_get(crit, "narrative"),
                badge_page_obj_lang(crit, pg->badge_lang))));
        badge_page_set(pg, badge, "criteria_html", BADGE_TV_SAFE,
            badge_page_narrative(pg, crit_text));
    }
    badge_page_set(pg, badge, "criteria_url", BADGE_TV_URL,
        badge_page_is_http(crit_url) ? crit_url : NULL);
    badge_page_bool(pg, badge, "has_criteria",
        crit_text != NULL || badge_page_is_http(crit_url));
    badge_page_text(pg, badge, "field_of_study",
        json_object_get(pg->badge, "fieldOfStudy"), pg->badge_lang);
    badge_page_text(pg, badge, "specialization",
        json_object_get(pg->badge, "specialization"), pg->badge_lang);
    badge_page_set(pg, badge, "human_code", BADGE_TV_TEXT,
        badge_json_str(pg->badge, "humanCode"));
    v = json_object_get(pg->subject, "creditsEarned");
    if (v == NULL) {
        v = json_object_get(pg->badge, "creditsAvailable");
    }
    badge_page_set(pg, badge, "credits", BADGE_TV_TEXT,
        badge_page_number(pg, v));

    badge_page_recipient(pg, root);

    /* dates, as written in the credential; the report's as a fallback */
    if (pg->ob2) {
        iso_from = badge_json_str(pg->cred, "issuedOn");
        iso_until = badge_json_str(pg->cred, "expires");
    } else {
        iso_from = badge_json_str(pg->cred, "validFrom");
        if (iso_from == NULL) {
            iso_from = badge_json_str(pg->cred, "issuanceDate");
        }
        if (iso_from == NULL) {
            iso_from = badge_json_str(pg->cred, "awardedDate");
        }
        iso_until = badge_json_str(pg->cred, "validUntil");
        if (iso_until == NULL) {
            iso_until = badge_json_str(pg->cred, "expirationDate");
        }
    }
    if (iso_from == NULL && pg->s->report != NULL) {
        iso_from = pg->s->report->fields[BADGE_FIELD_VALID_FROM];
    }
    if (iso_until == NULL && pg->s->report != NULL) {
        iso_until = pg->s->report->fields[BADGE_FIELD_VALID_UNTIL];
    }
    issued = badge_page_date(pg, root, "issued", iso_from);
    exp = badge_page_date(pg, root, "expires", iso_until);
    (void) issued;

    badge_page_status(pg, root, issuer_name,
        badge_tv_get(exp, "text") != NULL ? badge_tv_get(exp, "text")->str
                                          : NULL);

    badge_page_results(pg, root);
    badge_page_alignments(pg, root);
    badge_page_tags(pg, root);
    badge_page_evidence(pg, root);
    badge_page_endorsements(pg, root);

    /* the credential itself */
    cred = badge_page_obj(pg, root, "credential");
    cid = badge_page_ref(pg->cred);
    if (cred != NULL) {
        badge_page_set(pg, cred, "id", BADGE_TV_TEXT, cid);
        badge_page_set(pg, cred, "format", BADGE_TV_TEXT,
            pg->s->report != NULL ? pg->s->report->format : NULL);
        badge_page_set(pg, cred, "format_label", BADGE_TV_TEXT,
            badge_page_format_label(pg));
    }

    /* sharing */
    badge_page_set(pg, root, "title", BADGE_TV_TEXT,
        issuer_name != NULL
        ? badge_arena_sprintf(pg->a, "%s | %s", name, issuer_name) : name);
    og = badge_page_obj(pg, root, "og");
    if (og != NULL) {
        badge_page_set(pg, og, "type", BADGE_TV_TEXT, "website");
        badge_page_set(pg, og, "title", BADGE_TV_TEXT, name);
        if (desc == NULL) {
            desc = issuer_name != NULL
                   ? badge_arena_sprintf(pg->a, "%s: %s",
                                         badge_page_t_(pg, "issued_by"),
                                         issuer_name)
                   : badge_page_t_(pg, "brand");
        }
        badge_page_set(pg, og, "description", BADGE_TV_TEXT,
            badge_page_truncate(pg, desc, BADGE_PAGE_OG_DESC_CHARS));
        badge_page_set(pg, og, "url", BADGE_TV_URL, pg->o->page_url);
        badge_page_set(pg, og, "image", BADGE_TV_URL,
            badge_page_is_http(img) ? img : NULL);
        badge_page_set(pg, og, "image_alt", BADGE_TV_TEXT, name);
        badge_page_set(pg, og, "site_name", BADGE_TV_TEXT,
            issuer_name != NULL ? issuer_name : badge_page_t_(pg, "brand"));
        badge_page_set(pg, og, "locale", BADGE_TV_TEXT,
            pg->ja ? "ja_JP" : "en_US");
    }
    /* offered for a badge that verifies, not for a revoked or forged one */
    if (strcmp(badge_report_status(pg->s->report), "verified") == 0) {
        badge_page_set(pg, root, "linkedin_url", BADGE_TV_URL,
            badge_page_linkedin(pg, name, issuer_name, iso_from, iso_until,
                                cid));
    }
    badge_page_set(pg, root, "qr_svg", BADGE_TV_SAFE,
        badge_qr_svg(pg->a, pg->o->page_url, badge_page_t_(pg, "qr_label")));
    badge_page_set(pg, root, "jsonld", BADGE_TV_SAFE, badge_page_jsonld(pg));
    badge_page_set(pg, root, "json_url", BADGE_TV_URL, pg->o->json_url);
    badge_page_set(pg, root, "baked_png_url", BADGE_TV_URL,
        pg->o->baked_png_url);
    badge_page_set(pg, root, "baked_svg_url", BADGE_TV_URL,
        pg->o->baked_svg_url);
    badge_page_bool(pg, root, "has_downloads",
        pg->o->json_url != NULL || pg->o->baked_png_url != NULL
        || pg->o->baked_svg_url != NULL);
    return pg->oom ? NULL : root;
}

const char *
badge_page_render(badge_session_t *s, const void *credential,
    size_t credential_len, const badge_page_opts_t *opts, size_t *len,
    char *err, size_t errlen)
{
    static const badge_page_opts_t  defaults;
    const badge_page_template_t    *tpl;
    badge_page_t                    pg;
    badge_tv_t                     *root;
    badge_buf_t                     out;
    badge_err_t                     e;
    char                           *html;

    if (s == NULL) {
        snprintf(err, errlen, "no session");
        return NULL;
    }
    badge_page_init(&pg, s->arena, s, opts != NULL ? opts : &defaults);
    if (credential != NULL) {
        pg.cred = badge_page_load(&pg, credential, credential_len, 0);
    } else if (s->input != NULL) {
        pg.cred = badge_page_load(&pg, s->input, s->input_len, 0);
    } else if (s->input_url != NULL) {
        pg.cred = badge_page_doc(&pg, s->input_url);
    }
    if (pg.cred == NULL) {
        snprintf(err, errlen, "the credential cannot be read (not JSON, a "
            "VC-JWT or a baked badge)");
        return NULL;
    }
    tpl = pg.o->tpl;
    if (tpl == NULL) {
        pthread_once(&badge_page_once, badge_page_init_builtin);
        tpl = badge_page_builtin;
        if (tpl == NULL) {
            snprintf(err, errlen, "out of memory");
            return NULL;
        }
    }
    root = badge_page_model(&pg);
    if (root == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    badge_err_clear(&e);
    badge_buf_init(&out, s->arena, 64 * 1024);
    if (badge_tpl_render(tpl->tpl, root, &out, &e) != 0
        || (html = badge_buf_cstr(&out)) == NULL)
    {
        snprintf(err, errlen, "%s", e.code != NULL ? e.message
                                                   : "out of memory");
        return NULL;
    }
    if (len != NULL) {
        *len = out.len;
    }
    return html;
}

/* ------------------------------------------------------------------ */
/* The index                                                            */

int
badge_page_index_item(badge_arena_t *a, const char *id, const void *json,
    size_t len, const char *lang, badge_page_index_item_t *item)
{
    badge_page_opts_t  o;
    badge_page_t       pg;
    badge_err_t        err;
    json_t            *root, *cs, *badge, *iss;
    const char        *s;

    memset(item, 0, sizeof(*item));
    memset(&o, 0, sizeof(o));
    o.lang = lang;
    badge_page_init(&pg, a, NULL, &o);
    badge_err_clear(&err);
    root = badge_json_parse(json, len, &err);
    if (!json_is_object(root)) {
        json_decref(root);
        return -1;
    }
    item->id = badge_arena_strdup(a, id);
    if (json_object_get(root, "credentialSubject") != NULL) {
        cs = badge_page_first_obj(json_object_get(root,
                                                  "credentialSubject"));
        badge = json_object_get(cs, "achievement");
        iss = json_object_get(root, "issuer");
        s = badge_json_str(root, "validFrom");
        item->date = badge_arena_strdup(a, s != NULL ? s
                        : badge_json_str(root, "issuanceDate"));
    } else {
        badge = json_object_get(root, "badge");
        iss = json_object_get(badge, "issuer");
        item->date = badge_arena_strdup(a, badge_json_str(root,
                                                          "issuedOn"));
    }
    s = badge_page_pick(&pg, json_object_get(badge, "name"),
                        badge_page_obj_lang(badge, NULL)).s;
    if (s == NULL) {
        s = badge_page_pick(&pg, json_object_get(root, "name"), NULL).s;
    }
    item->name = badge_arena_strdup(a, s != NULL ? s : id);
    item->issuer = badge_arena_strdup(a, badge_page_pick(&pg,
                       json_object_get(iss, "name"), NULL).s);
    s = badge_page_image(json_object_get(badge, "image"));
    item->image = badge_arena_strdup(a, s != NULL ? s
                      : badge_page_image(json_object_get(root, "image")));
    json_decref(root);
    return item->id != NULL && item->name != NULL ? 0 : -1;
}

const char *
badge_page_index_html(badge_arena_t *a, const badge_page_index_item_t *items,
    size_t n, const badge_page_opts_t *opts, size_t *len)
{
    static const badge_page_opts_t  defaults;
    badge_page_t                    pg;
    badge_tv_t                     *root, *list, *it;
    badge_buf_t                     out;
    badge_err_t                     e;
    const char                     *base = "";
    char                           *html, num[32];
    badge_ptext_t                   t;
    size_t                          i, shown = 0;

    pthread_once(&badge_page_once, badge_page_init_builtin);
    if (badge_page_builtin_index == NULL) {
        return NULL;
    }
    badge_page_init(&pg, a, NULL, opts != NULL ? opts : &defaults);
    root = badge_tv_object(a);
    if (root == NULL) {
        return NULL;
    }
    badge_page_common(&pg, root);
    if (pg.o->page_url != NULL) {
        size_t ul = strlen(pg.o->page_url);

        base = ul > 0 && pg.o->page_url[ul - 1] == '/'
               ? pg.o->page_url
               : badge_arena_sprintf(a, "%s/", pg.o->page_url);
    }
    list = badge_page_list(&pg, root, "items");
    for (i = 0; list != NULL && base != NULL && i < n; i++) {
        if (items[i].id == NULL
            || !badge_page_id_valid(items[i].id, strlen(items[i].id)))
        {
            continue;
        }
        it = badge_page_obj(&pg, list, NULL);
        if (it == NULL) {
            break;
        }
        badge_page_set(&pg, it, "id", BADGE_TV_TEXT, items[i].id);
        badge_page_set(&pg, it, "url", BADGE_TV_URL,
            badge_arena_sprintf(a, "%s%s", base, items[i].id));
        t.s = items[i].name != NULL ? items[i].name : items[i].id;
        t.lang = NULL;
        badge_page_set(&pg, it, "name", BADGE_TV_TEXT, t.s);
        badge_page_set(&pg, it, "name_lang", BADGE_TV_TEXT,
            badge_page_lang_attr(&pg, t));
        t.s = items[i].issuer;
        badge_page_set(&pg, it, "issuer", BADGE_TV_TEXT, t.s);
        badge_page_set(&pg, it, "issuer_lang", BADGE_TV_TEXT,
            badge_page_lang_attr(&pg, t));
        badge_page_set(&pg, it, "image", BADGE_TV_IMAGE,
            items[i].image != NULL
            && badge_tpl_image_ok(items[i].image, strlen(items[i].image))
            ? items[i].image : NULL);
        badge_page_date(&pg, it, "date", items[i].date);
        shown++;
    }
    snprintf(num, sizeof(num), "%zu", shown);
    badge_page_set(&pg, root, "count", BADGE_TV_TEXT, num);
    badge_page_set(&pg, root, "count_text", BADGE_TV_TEXT,
        badge_page_subst(a, badge_page_t_(&pg, "index_count"), num));
    badge_page_bool(&pg, root, "has_items", shown > 0);
    if (pg.oom) {
        return NULL;
    }
    badge_err_clear(&e);
    badge_buf_init(&out, a, 16 * 1024);
    if (badge_tpl_render(badge_page_builtin_index->tpl, root, &out, &e) != 0
        || (html = badge_buf_cstr(&out)) == NULL)
    {
        return NULL;
    }
    if (len != NULL) {
        *len = out.len;
    }
    return html;
}

/* ------------------------------------------------------------------ */
/* HTTP helpers                                                         */

/* The value of query parameter name (not decoded), or NULL. */
static const char *
badge_page_query_arg(const char *q, size_t qlen, const char *name,
    size_t *vlen)
{
    size_t      nl = strlen(name);
    const char *p = q, *end = q + qlen, *amp;

    while (p != NULL && p < end) {
        amp = memchr(p, '&', (size_t) (end - p));
        if (amp == NULL) {
            amp = end;
        }
        if ((size_t) (amp - p) > nl && strncmp(p, name, nl) == 0
            && p[nl] == '=')
        {
            *vlen = (size_t) (amp - p) - nl - 1;
            return p + nl + 1;
        }
        p = amp + 1;
    }
    return NULL;
}

static int
badge_page_eq(const char *p, size_t n, const char *s)
{
    return n == strlen(s) && strncasecmp(p, s, n) == 0;
}

badge_page_format_t
badge_page_negotiate(const char *accept, size_t accept_len, const char *uri,
    size_t uri_len)
{
    const char *q = NULL, *v, *p, *end, *semi, *comma;
    size_t      plen, vlen, tl;
    double      qv, html = -1, json = -1, ld = -1, wild = -1;

    if (uri != NULL) {
        q = memchr(uri, '?', uri_len);
        plen = q != NULL ? (size_t) (q - uri) : uri_len;
        if (q != NULL) {
            v = badge_page_query_arg(q + 1, uri_len - plen - 1, "format",
                                     &vlen);
            if (v != NULL) {
                if (badge_page_eq(v, vlen, "json")) {
                    return BADGE_PAGE_JSON;
                }
                if (badge_page_eq(v, vlen, "jsonld")
                    || badge_page_eq(v, vlen, "ld+json")
                    || badge_page_eq(v, vlen, "ld%2Bjson"))
                {
                    return BADGE_PAGE_JSONLD;
                }
                if (badge_page_eq(v, vlen, "html")) {
                    return BADGE_PAGE_HTML;
                }
            }
        }
        if (plen >= 5 && strncasecmp(uri + plen - 5, ".json", 5) == 0) {
            return BADGE_PAGE_JSON;
        }
        if (plen >= 7 && strncasecmp(uri + plen - 7, ".jsonld", 7) == 0) {
            return BADGE_PAGE_JSONLD;
        }
    }
    if (accept == NULL) {
        return BADGE_PAGE_HTML;
    }
    p = accept;
    end = accept + accept_len;
    while (p < end) {
        comma = memchr(p, ',', (size_t) (end - p));
        if (comma == NULL) {
            comma = end;
        }
        while (p < comma && (*p == ' ' || *p == '\t')) {
            p++;
        }
        semi = memchr(p, ';', (size_t) (comma - p));
        tl = (size_t) ((semi != NULL ? semi : comma) - p);
        while (tl > 0 && (p[tl - 1] == ' ' || p[tl - 1] == '\t')) {
            tl--;
        }
        qv = 1;
        if (semi != NULL) {
            const char *qq = semi;

            /* ";q=0.5" among the parameters */
            while ((qq = memchr(qq, ';', (size_t) (comma - qq))) != NULL) {
                qq++;
                while (qq < comma && *qq == ' ') {
                    qq++;
                }
                if (comma - qq >= 2 && (qq[0] == 'q' || qq[0] == 'Q')
                    && qq[1] == '=')
                {
                    char   num[8];
                    size_t k = 0;

                    qq += 2;
                    while (qq < comma && k < sizeof(num) - 1
                           && ((*qq >= '0' && *qq <= '9') || *qq == '.'))
                    {
                        num[k++] = *qq++;
                    }
                    num[k] = '\0';
                    qv = k > 0 ? strtod(num, NULL) : 0;
                    break;
                }
            }
        }
        if (badge_page_eq(p, tl, "text/html")
            || badge_page_eq(p, tl, "application/xhtml+xml")
            || badge_page_eq(p, tl, "text/*"))
        {
            html = qv > html ? qv : html;
        } else if (badge_page_eq(p, tl, "application/json")) {
            json = qv > json ? qv : json;
        } else if (badge_page_eq(p, tl, "application/ld+json")
                   || badge_page_eq(p, tl, "application/vc+ld+json")
                   || badge_page_eq(p, tl, "application/vc"))
        {
            ld = qv > ld ? qv : ld;
        } else if (badge_page_eq(p, tl, "*/*")) {
            wild = qv > wild ? qv : wild;
        }
        p = comma + 1;
    }
    /* named types win over the wildcard; on a tie the page */
    if (html <= 0 && json <= 0 && ld <= 0) {
        return BADGE_PAGE_HTML;
    }
    if (html >= json && html >= ld) {
        return BADGE_PAGE_HTML;
    }
    if (wild > json && wild > ld) {
        return BADGE_PAGE_HTML;
    }
    return ld >= json ? BADGE_PAGE_JSONLD : BADGE_PAGE_JSON;
}

const char *
badge_page_content_type(badge_page_format_t f)
{
    switch (f) {
    case BADGE_PAGE_JSON:
        return "application/json";
    case BADGE_PAGE_JSONLD:
        return "application/ld+json";
    default:
        return "text/html; charset=utf-8";
    }
}

const char *
badge_page_lang(const char *query, size_t query_len,
    const char *accept_language, size_t al_len)
{
    const char *v;
    size_t      vlen;

    if (query != NULL && query_len > 0 && query[0] == '?') {
        query++;
        query_len--;
    }
    if (query != NULL
        && (v = badge_page_query_arg(query, query_len, "lang", &vlen))
           != NULL)
    {
        if (badge_page_eq(v, vlen, "ja")) {
            return "ja";
        }
        if (badge_page_eq(v, vlen, "en")) {
            return "en";
        }
    }
    return badge_http_lang(accept_language, al_len);
}

int
badge_page_id_valid(const char *id, size_t len)
{
    size_t i;

    if (id == NULL || len == 0 || len > 128 || id[0] == '.') {
        return 0;
    }
    for (i = 0; i < len; i++) {
        char c = id[i];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9') || c == '.' || c == '_'
              || c == '-'))
        {
            return 0;
        }
        if (c == '.' && i + 1 < len && id[i + 1] == '.') {
            return 0;
        }
    }
    return 1;
}

size_t
badge_page_etag(char *buf, size_t size, time_t mtime, long long file_size)
{
    int n = snprintf(buf, size, "\"%llx-%llx\"",
                     (unsigned long long) mtime,
                     (unsigned long long) file_size);

    return n > 0 && (size_t) n < size ? (size_t) n : 0;
}

size_t
badge_page_etag_data(char *buf, size_t size, const void *data, size_t len)
{
    unsigned char md[32];
    char          b64[64];
    int           n;

    badge_page_hash(data, len, md);
    if (badge_b64url_encode(md, 18, b64, sizeof(b64)) == 0) {
        return 0;
    }
    n = snprintf(buf, size, "\"p-%s\"", b64);
    return n > 0 && (size_t) n < size ? (size_t) n : 0;
}
