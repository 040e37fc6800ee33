#include "error.h"

#include <stdarg.h>
#include <stdio.h>

void
badge_err_set(badge_err_t *err, const char *code, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL) {
        return;
    }
    err->code = code;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof(err->message), fmt, ap);
    va_end(ap);
}

void
badge_err_clear(badge_err_t *err)
{
    if (err != NULL) {
        err->code = NULL;
        err->message[0] = '\0';
    }
}
