/*
 * error.h: how a lower layer tells its caller what went wrong.  A stable
 * machine code (lower snake case, e.g. "jsonld_context_not_bundled") and a
 * short human message.  Bottom layer.
 */
#ifndef BADGE_ERROR_H
#define BADGE_ERROR_H

#include <stddef.h>

typedef struct {
    const char *code;          /* static string, NULL when no error */
    char        message[256];
} badge_err_t;

void badge_err_set(badge_err_t *err, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void badge_err_clear(badge_err_t *err);

#endif
