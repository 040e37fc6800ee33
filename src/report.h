/*
 * report.h: the verification report.  Every check is recorded separately
 * with a stable check name, a status, a machine code and a human message;
 * report.c also serializes the report (JSON of DESIGN.md, and a text
 * summary).  Formats add checks; nothing below the formats includes this.
 */
#ifndef BADGE_REPORT_H
#define BADGE_REPORT_H

#include "arena.h"
#include "badge.h"

typedef enum {
    BADGE_PASS = 0,
    BADGE_FAIL,
    BADGE_WARN,
    BADGE_UNCHECKED
} badge_check_status_t;

typedef struct badge_check_s {
    const char             *check;    /* "signature", "validity", ... */
    badge_check_status_t    status;
    const char             *code;
    const char             *message;
    struct badge_check_s   *next;
} badge_check_t;

typedef struct badge_report_error_s {
    const char                  *code;
    const char                  *message;
    struct badge_report_error_s *next;
} badge_report_error_t;

typedef struct badge_report_s badge_report_t;

/* A nested report: an endorsement, or a credential inside a presentation. */
typedef struct badge_report_child_s {
    const char                  *role;   /* "endorsement", "credential" */
    badge_report_t              *report;
    struct badge_report_child_s *next;
} badge_report_child_t;

struct badge_report_s {
    badge_arena_t         *arena;
    const char            *lang;
    const char            *format;
    const char            *fields[BADGE_FIELD__COUNT];
    badge_check_t         *checks, **checks_tail;
    badge_report_error_t  *errors, **errors_tail;
    badge_report_child_t  *children, **children_tail;
    /* set when a signature/proof (or a hosted re-fetch) authenticated the
     * credential; "verified" needs it */
    int                    authenticated;
    int                    revoked;
    int                    suspended;
    int                    expired;
};

badge_report_t *badge_report_new(badge_arena_t *a, const char *lang);
void badge_report_check(badge_report_t *r, const char *check,
    badge_check_status_t status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* An input error: the input could not be read at all. */
void badge_report_error(badge_report_t *r, const char *code,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void badge_report_set(badge_report_t *r, badge_field_t f, const char *v);
void badge_report_add_child(badge_report_t *r, const char *role,
    badge_report_t *child);
/* The first check with this name, or NULL. */
const badge_check_t *badge_report_find(const badge_report_t *r,
    const char *check);

int badge_report_verified(const badge_report_t *r);
/* "verified", "revoked", "suspended", "expired" or "not_verified" */
const char *badge_report_status(const badge_report_t *r);
char *badge_report_json(badge_report_t *r, size_t *len);
char *badge_report_text(badge_report_t *r, size_t *len);

const char *badge_check_status_name(badge_check_status_t st);

#endif
