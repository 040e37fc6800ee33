/*
 * report.c: building the report check by check, and writing it out as the
 * stable JSON of DESIGN.md or as a short text summary.
 */
#include "report.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

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

static json_t *
badge_report_to_jansson(const badge_report_t *r)
{
    json_t                     *root, *cred, *checks, *errors, *children;
    const badge_check_t        *c;
    const badge_report_error_t *e;
    const badge_report_child_t *ch;
    size_t                      i;
    int                         verified = badge_report_verified(r);

    root = json_object();
    cred = json_object();
    checks = json_array();
    errors = json_array();
    if (root == NULL || cred == NULL || checks == NULL || errors == NULL) {
        json_decref(root);
        json_decref(cred);
        json_decref(checks);
        json_decref(errors);
        return NULL;
    }
    json_object_set_new(root, "verified", json_boolean(verified));
    json_object_set_new(root, "status",
        json_string(badge_report_status(r)));
    json_object_set_new(root, "format",
        r->format != NULL ? json_string(r->format) : json_null());
    for (i = BADGE_FIELD_ISSUER; i < BADGE_FIELD_STATUS; i++) {
        if (r->fields[i] != NULL) {
            json_object_set_new(cred, badge_field_names[i],
                json_string(r->fields[i]));
        }
    }
    json_object_set_new(root, "credential", cred);
    for (c = r->checks; c != NULL; c = c->next) {
        json_t *o = json_object();

        if (o == NULL) {
            continue;
        }
        json_object_set_new(o, "check", json_string(c->check));
        json_object_set_new(o, "status",
            json_string(badge_check_status_name(c->status)));
        json_object_set_new(o, "code", json_string(c->code));
        json_object_set_new(o, "message", json_string(c->message));
        json_array_append_new(checks, o);
    }
    json_object_set_new(root, "checks", checks);
    for (e = r->errors; e != NULL; e = e->next) {
        json_t *o = json_object();

        if (o == NULL) {
            continue;
        }
        json_object_set_new(o, "code", json_string(e->code));
        json_object_set_new(o, "message", json_string(e->message));
        json_array_append_new(errors, o);
    }
    json_object_set_new(root, "errors", errors);
    if (r->children != NULL) {
        children = json_array();
        for (ch = r->children; children != NULL && ch != NULL;
             ch = ch->next)
        {
            json_t *sub = badge_report_to_jansson(ch->report);

            if (sub != NULL) {
                json_object_set_new(sub, "role", json_string(ch->role));
                json_array_append_new(children, sub);
            }
        }
        if (children != NULL) {
            json_object_set_new(root, "related", children);
        }
    }
    return root;
}

char *
badge_report_json(badge_report_t *r, size_t *len)
{
    json_t *root = badge_report_to_jansson(r);
    char   *s, *out;

    if (root == NULL) {
        return NULL;
    }
    /* jansson escapes control characters, so no field can break out;
     * Japanese stays readable UTF-8 */
    s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (s == NULL) {
        return NULL;
    }
    out = badge_arena_strdup(r->arena, s);
    free(s);
    if (out != NULL && len != NULL) {
        *len = strlen(out);
    }
    return out;
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
        badge_buf_printf(b, "%*s  \xe2\x9c\x97 %s: %s [%s]\n", depth * 2, "",
            ja ? "入力エラー" : "input",
            badge_report_line(r->arena, e->message), e->code);
    }
    for (c = r->checks; c != NULL; c = c->next) {
        const char *mark = c->status == BADGE_PASS ? "\xe2\x9c\x93"
                         : c->status == BADGE_FAIL ? "\xe2\x9c\x97"
                         : c->status == BADGE_WARN ? "!" : "?";

        badge_buf_printf(b, "%*s  %s %s: %s [%s]\n", depth * 2, "", mark,
            badge_message_check_label(c->check, ja),
            badge_report_line(r->arena, c->message), c->code);
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
