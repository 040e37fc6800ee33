/*
 * report.c: building the report check by check, and writing it out as the
 * stable JSON of DESIGN.md or as a short text summary.
 */
#include "report.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "messages.h"

static const char *badge_field_names[BADGE_FIELD__COUNT] = {
    "format", "issuer", "issuerName", "subject", "achievement",
    "achievementName", "achievementType", "id", "validFrom", "validUntil",
    "status", "error"
};

badge_report_t *
badge_report_new(badge_arena_t *a, const char *lang)
{
    badge_report_t *r = badge_arena_calloc(a, sizeof(*r));

    if (r == NULL) {
        return NULL;
    }
    r->arena = a;
    r->lang = lang != NULL ? lang : "en";
    r->checks_tail = &r->checks;
    r->errors_tail = &r->errors;
    r->children_tail = &r->children;
    return r;
}

void
badge_report_check(badge_report_t *r, const char *check,
    badge_check_status_t status, const char *code, const char *fmt, ...)
{
    badge_check_t *c;
    va_list        ap;
    char           msg[512];

    if (r == NULL) {
        return;
    }
    c = badge_arena_calloc(r->arena, sizeof(*c));
    if (c == NULL) {
        return;
    }
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    c->check = check;
    c->status = status;
    c->code = code;
    c->message = badge_arena_strdup(r->arena, msg);
    *r->checks_tail = c;
    r->checks_tail = &c->next;
    if (status == BADGE_FAIL && r->fields[BADGE_FIELD_ERROR] == NULL) {
        r->fields[BADGE_FIELD_ERROR] = code;
    }
}

void
badge_report_error(badge_report_t *r, const char *code, const char *fmt,
    ...)
{
    badge_report_error_t *e;
    va_list               ap;
    char                  msg[512];

    if (r == NULL) {
        return;
    }
    e = badge_arena_calloc(r->arena, sizeof(*e));
    if (e == NULL) {
        return;
    }
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    e->code = code;
    e->message = badge_arena_strdup(r->arena, msg);
    *r->errors_tail = e;
    r->errors_tail = &e->next;
    if (r->fields[BADGE_FIELD_ERROR] == NULL) {
        r->fields[BADGE_FIELD_ERROR] = code;
    }
}

void
badge_report_set(badge_report_t *r, badge_field_t f, const char *v)
{
    if (r != NULL && f < BADGE_FIELD__COUNT) {
        r->fields[f] = v != NULL ? badge_arena_strdup(r->arena, v) : NULL;
    }
}

void
badge_report_add_child(badge_report_t *r, const char *role,
    badge_report_t *child)
{
    badge_report_child_t *c;

    if (r == NULL || child == NULL) {
        return;
    }
    c = badge_arena_calloc(r->arena, sizeof(*c));
    if (c == NULL) {
        return;
    }
    c->role = role;
    c->report = child;
    *r->children_tail = c;
    r->children_tail = &c->next;
}

const badge_check_t *
badge_report_find(const badge_report_t *r, const char *check)
{
    const badge_check_t *c;

    for (c = r->checks; c != NULL; c = c->next) {
        if (strcmp(c->check, check) == 0) {
            return c;
        }
    }
    return NULL;
}

int
badge_report_verified(const badge_report_t *r)
{
    const badge_check_t *c;

    if (r == NULL || r->errors != NULL || !r->authenticated) {
        return 0;
    }
    for (c = r->checks; c != NULL; c = c->next) {
        if (c->status == BADGE_FAIL) {
            return 0;
        }
    }
    return 1;
}

const char *
badge_report_status(const badge_report_t *r)
{
    if (r == NULL) {
        return "not_verified";
    }
    /* revocation and expiry are only news if the credential is genuine */
    if (r->authenticated && r->errors == NULL) {
        if (r->revoked) {
            return "revoked";
        }
        if (r->suspended) {
            return "suspended";
        }
        if (r->expired) {
            return "expired";
        }
    }
    return badge_report_verified(r) ? "verified" : "not_verified";
}

const char *
badge_check_status_name(badge_check_status_t st)
{
    switch (st) {
    case BADGE_PASS:
        return "pass";
    case BADGE_FAIL:
        return "fail";
    case BADGE_WARN:
        return "warn";
    default:
        return "unchecked";
    }
}

/*
 * The report as JSON, written straight into the arena.  The layout is the
 * one jansson's JSON_INDENT(2) gives (two-space indent, "key": value), so
 * curl output stays readable, but without building a jansson tree first:
 * the HTTP endpoints write a report per request and the tree cost as much
 * as a tenth of a verification.  t/unit/test_report.c holds it to
 * jansson's own output.
 */
typedef struct {
    badge_buf_t  buf;
    int          depth;
    int          empty;       /* the open object or array has no member */
} badge_report_writer_t;

/* a NULL string is null; invalid UTF-8 (a message cut at its buffer's
 * end) becomes U+FFFD */
static void
badge_rw_string(badge_report_writer_t *w, const char *s)
{
    if (s == NULL) {
        badge_buf_puts(&w->buf, "null");
        return;
    }
    (void) badge_json_quote(&w->buf, s, strlen(s), 1);
}

static void
badge_rw_newline(badge_report_writer_t *w)
{
    static const char spaces[] = "                                ";
    size_t            n = (size_t) w->depth * 2;

    badge_buf_putc(&w->buf, '\n');
    while (n > 0) {
        size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;

        badge_buf_append(&w->buf, spaces, k);
        n -= k;
    }
}

static void
badge_rw_open(badge_report_writer_t *w, char bracket)
{
    badge_buf_putc(&w->buf, bracket);
    w->depth++;
    w->empty = 1;
}

static void
badge_rw_close(badge_report_writer_t *w, char bracket)
{
    w->depth--;
    if (!w->empty) {
        badge_rw_newline(w);
    }
    badge_buf_putc(&w->buf, bracket);
    w->empty = 0;
}

/* the next array element, or the next member when key is not NULL */
static void
badge_rw_next(badge_report_writer_t *w, const char *key)
{
    if (!w->empty) {
        badge_buf_putc(&w->buf, ',');
    }
    w->empty = 0;
    badge_rw_newline(w);
    if (key != NULL) {
        badge_rw_string(w, key);
        badge_buf_append(&w->buf, ": ", 2);
    }
}

static void
badge_rw_member(badge_report_writer_t *w, const char *key, const char *v)
{
    badge_rw_next(w, key);
    badge_rw_string(w, v);
}

static void
badge_rw_report(badge_report_writer_t *w, const badge_report_t *r,
    const char *role)
{
    const badge_check_t        *c;
    const badge_report_error_t *e;
    const badge_report_child_t *ch;
    size_t                      i;

    badge_rw_open(w, '{');
    badge_rw_next(w, "verified");
    badge_buf_puts(&w->buf, badge_report_verified(r) ? "true" : "false");
    badge_rw_member(w, "status", badge_report_status(r));
    badge_rw_member(w, "format", r->format);

    badge_rw_next(w, "credential");
    badge_rw_open(w, '{');
    for (i = BADGE_FIELD_ISSUER; i < BADGE_FIELD_STATUS; i++) {
        if (r->fields[i] != NULL) {
            badge_rw_member(w, badge_field_names[i], r->fields[i]);
        }
    }
    badge_rw_close(w, '}');

    badge_rw_next(w, "checks");
    badge_rw_open(w, '[');
    for (c = r->checks; c != NULL; c = c->next) {
        badge_rw_next(w, NULL);
        badge_rw_open(w, '{');
        badge_rw_member(w, "check", c->check);
        badge_rw_member(w, "status", badge_check_status_name(c->status));
        badge_rw_member(w, "code", c->code);
        badge_rw_member(w, "message", c->message);
        badge_rw_close(w, '}');
    }
    badge_rw_close(w, ']');

    badge_rw_next(w, "errors");
    badge_rw_open(w, '[');
    for (e = r->errors; e != NULL; e = e->next) {
        badge_rw_next(w, NULL);
        badge_rw_open(w, '{');
        badge_rw_member(w, "code", e->code);
        badge_rw_member(w, "message", e->message);
        badge_rw_close(w, '}');
    }
    badge_rw_close(w, ']');

    if (r->children != NULL) {
        badge_rw_next(w, "related");
        badge_rw_open(w, '[');
        for (ch = r->children; ch != NULL; ch = ch->next) {
            badge_rw_next(w, NULL);
            badge_rw_report(w, ch->report, ch->role);
        }
        badge_rw_close(w, ']');
    }
    if (role != NULL) {
        badge_rw_member(w, "role", role);
    }
    badge_rw_close(w, '}');
}

char *
badge_report_json(badge_report_t *r, size_t *len)
{
    badge_report_writer_t w;

    if (r == NULL) {
        return NULL;
    }
    memset(&w, 0, sizeof(w));
    badge_buf_init(&w.buf, r->arena, 4096);
    badge_rw_report(&w, r, NULL);
    if (badge_buf_cstr(&w.buf) == NULL) {
        return NULL;
    }
    if (len != NULL) {
        *len = w.buf.len;
    }
    return w.buf.data;
}

/* A value fit for one line of a terminal: control characters (CR, LF,
 * ESC...) from the credential must not forge lines or escape sequences. */
static const char *
badge_report_line(badge_arena_t *a, const char *v)
{
    char   *c;
    size_t  i;

    if (v == NULL) {
        return "";
    }
    for (i = 0; v[i] != '\0'; i++) {
        if ((unsigned char) v[i] < 0x20 || v[i] == 0x7f) {
            break;
        }
    }
    if (v[i] == '\0') {
        return v;
    }
    c = badge_arena_strdup(a, v);
    if (c == NULL) {
        return "";
    }
    for (; c[i] != '\0'; i++) {
        if ((unsigned char) c[i] < 0x20 || c[i] == 0x7f) {
            c[i] = ' ';
        }
    }
    return c;
}

/* One check or input error of the text report: its message (in Japanese
 * the code's sentence, messages.h), then, indented beneath it, the English
 * message when that says more. */
static void
badge_report_text_item(badge_buf_t *b, const badge_report_t *r, int depth,
    const char *mark, const char *label, const char *code,
    const char *message, int ja)
{
    const char *text, *detail;

    badge_message_code_text(code, message, ja, &text, &detail);
    badge_buf_printf(b, "%*s  %s %s: %s [%s]\n", depth * 2, "", mark, label,
        badge_report_line(r->arena, text), code);
    if (detail != NULL) {
        badge_buf_printf(b, "%*s      %s\n", depth * 2, "",
            badge_report_line(r->arena, detail));
    }
}

static void
badge_report_text_into(badge_buf_t *b, const badge_report_t *r, int depth)
{
    const badge_check_t        *c;
    const badge_report_error_t *e;
    const badge_report_child_t *ch;
    int                         ja = r->lang != NULL
                                     && strcmp(r->lang, "ja") == 0;
    const char                 *st = badge_report_status(r);

    badge_buf_printf(b, "%*s%s: %s (%s)\n", depth * 2, "",
        badge_message_status_label(st, ja),
        r->fields[BADGE_FIELD_ACHIEVEMENT_NAME] != NULL
            ? badge_report_line(r->arena,
                                r->fields[BADGE_FIELD_ACHIEVEMENT_NAME])
            : "-",
        r->format != NULL ? r->format : "unknown format");
    if (r->fields[BADGE_FIELD_ISSUER] != NULL) {
        badge_buf_printf(b, "%*s  %s: %s\n", depth * 2, "",
            ja ? "発行者" : "issuer",
            badge_report_line(r->arena, r->fields[BADGE_FIELD_ISSUER]));
    }
    for (e = r->errors; e != NULL; e = e->next) {
        badge_report_text_item(b, r, depth, "\xe2\x9c\x97",
            ja ? "入力エラー" : "input", e->code, e->message, ja);
    }
    for (c = r->checks; c != NULL; c = c->next) {
        const char *mark = c->status == BADGE_PASS ? "\xe2\x9c\x93"
                         : c->status == BADGE_FAIL ? "\xe2\x9c\x97"
                         : c->status == BADGE_WARN ? "!" : "?";

        badge_report_text_item(b, r, depth, mark,
            badge_message_check_label(c->check, ja), c->code, c->message,
            ja);
    }
    for (ch = r->children; ch != NULL; ch = ch->next) {
        badge_buf_printf(b, "%*s  %s:\n", depth * 2, "",
            badge_message_check_label(ch->role, ja));
        badge_report_text_into(b, ch->report, depth + 2);
    }
}

char *
badge_report_text(badge_report_t *r, size_t *len)
{
    badge_buf_t b;
    char       *s;

    badge_buf_init(&b, r->arena, 1024);
    badge_report_text_into(&b, r, 0);
    s = badge_buf_cstr(&b);
    if (s != NULL && len != NULL) {
        *len = b.len;
    }
    return s;
}
