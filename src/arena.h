/*
 * arena.h: the session arena.  Everything a verification allocates lives in
 * one arena and is released at once when the session ends, so no parser in
 * the core has to free on its error paths.  Bottom layer: includes nothing
 * of ours.
 */
#ifndef BADGE_ARENA_H
#define BADGE_ARENA_H

#include <stddef.h>

typedef struct badge_arena_s badge_arena_t;

/* limit: total bytes the arena may hand out (0 = no limit).  Past it every
 * allocation returns NULL, which callers report as "input too large". */
badge_arena_t *badge_arena_new(size_t limit);
void badge_arena_free(badge_arena_t *a);
/* Forget everything allocated but keep the first block for reuse. */
void badge_arena_reset(badge_arena_t *a);

void *badge_arena_alloc(badge_arena_t *a, size_t n);      /* 16-aligned */
void *badge_arena_calloc(badge_arena_t *a, size_t n);
void *badge_arena_memdup(badge_arena_t *a, const void *p, size_t n);
/* NUL-terminated copies */
char *badge_arena_strdup(badge_arena_t *a, const char *s);
char *badge_arena_strndup(badge_arena_t *a, const char *s, size_t n);
char *badge_arena_sprintf(badge_arena_t *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
size_t badge_arena_used(const badge_arena_t *a);

/* A growable byte buffer whose storage is in an arena. */
typedef struct {
    badge_arena_t *arena;
    char          *data;
    size_t         len;
    size_t         cap;
    int            failed;   /* sticky: an allocation failed */
} badge_buf_t;

void badge_buf_init(badge_buf_t *b, badge_arena_t *a, size_t hint);
void badge_buf_append(badge_buf_t *b, const void *p, size_t n);
void badge_buf_puts(badge_buf_t *b, const char *s);
void badge_buf_putc(badge_buf_t *b, char c);
void badge_buf_printf(badge_buf_t *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* NUL-terminates and returns data, or NULL if any append failed. */
char *badge_buf_cstr(badge_buf_t *b);

#endif
