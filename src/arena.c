/*
 * arena.c: chunked bump allocator.  Blocks grow geometrically; a request
 * larger than a block gets a block of its own.
 */
#include "arena.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BADGE_ARENA_BLOCK  (16 * 1024)
#define BADGE_ARENA_ALIGN  16

typedef struct badge_block_s {
    struct badge_block_s *next;
    size_t                size;
    size_t                used;
    /* data follows, aligned */
} badge_block_t;

struct badge_arena_s {
    badge_block_t *head;
    size_t         limit;
    size_t         total;
    size_t         next_size;
};

#define BLOCK_HDR                                                         \
    ((sizeof(badge_block_t) + BADGE_ARENA_ALIGN - 1)                      \
     & ~(size_t) (BADGE_ARENA_ALIGN - 1))

/*
 * One spare block per thread, the largest of the last arena freed (up to
 * BADGE_ARENA_SPARE_MAX): a server builds and drops an arena per request,
 * and without it glibc gives the top of the heap back to the kernel after
 * each big one and faults it in again on the next (three brk() per badge
 * page).  Thread-specific data, so no lock, and a thread that ends (an
 * Apache worker thread, a test's thread) frees its spare.
 */
#define BADGE_ARENA_SPARE_MAX  (512 * 1024)

static pthread_key_t   badge_arena_key;
static pthread_once_t  badge_arena_once = PTHREAD_ONCE_INIT;
static int             badge_arena_key_ok;

static void
badge_arena_key_init(void)
{
    badge_arena_key_ok = pthread_key_create(&badge_arena_key, free) == 0;
}

static badge_block_t *
badge_block_new(size_t size)
{
    badge_block_t *b = NULL;

    pthread_once(&badge_arena_once, badge_arena_key_init);
    if (badge_arena_key_ok) {
        b = pthread_getspecific(badge_arena_key);
    }
    if (b != NULL && b->size >= size) {
        pthread_setspecific(badge_arena_key, NULL);
    } else {
        b = malloc(BLOCK_HDR + size);
        if (b == NULL) {
            return NULL;
        }
        b->size = size;
    }
    b->next = NULL;
    b->used = 0;
    return b;
}

static void
badge_block_free(badge_block_t *b)
{
    badge_block_t *old;

    if (badge_arena_key_ok && b->size <= BADGE_ARENA_SPARE_MAX) {
        old = pthread_getspecific(badge_arena_key);
        if ((old == NULL || old->size < b->size)
            && pthread_setspecific(badge_arena_key, b) == 0)
        {
            b = old;
        }
    }
    free(b);
}

/* when the library is unloaded (or the process ends): the calling
 * thread's spare, and the key, so that no thread ending later calls into
 * an unloaded library */
__attribute__((destructor)) static void
badge_arena_spare_release(void)
{
    if (badge_arena_key_ok) {
        free(pthread_getspecific(badge_arena_key));
        pthread_setspecific(badge_arena_key, NULL);
        pthread_key_delete(badge_arena_key);
        badge_arena_key_ok = 0;
    }
}

badge_arena_t *
badge_arena_new(size_t limit)
{
    badge_arena_t *a = calloc(1, sizeof(*a));

    if (a == NULL) {
        return NULL;
    }
    a->head = badge_block_new(BADGE_ARENA_BLOCK);
    if (a->head == NULL) {
        free(a);
        return NULL;
    }
    a->limit = limit;
    a->next_size = BADGE_ARENA_BLOCK * 2;
    return a;
}

void
badge_arena_free(badge_arena_t *a)
{
    badge_block_t *b, *next;

    if (a == NULL) {
        return;
    }
    for (b = a->head; b != NULL; b = next) {
        next = b->next;
        badge_block_free(b);
    }
    free(a);
}

void
badge_arena_reset(badge_arena_t *a)
{
    badge_block_t *b, *next, *last = NULL;

    /* the first block allocated is the last in the list */
    for (b = a->head; b != NULL; b = next) {
        next = b->next;
        if (next == NULL) {
            last = b;
        } else {
            badge_block_free(b);
        }
    }
    a->head = last;
    if (last != NULL) {
        last->used = 0;
    }
    a->total = 0;
    a->next_size = BADGE_ARENA_BLOCK * 2;
}

void *
badge_arena_alloc(badge_arena_t *a, size_t n)
{
    badge_block_t *b;
    size_t         size;
    unsigned char *p;

    if (n == 0) {
        n = 1;
    }
    if (n > SIZE_MAX / 2) {
        return NULL;
    }
    n = (n + BADGE_ARENA_ALIGN - 1) & ~(size_t) (BADGE_ARENA_ALIGN - 1);
    if (a->limit != 0 && (a->total + n > a->limit || a->total + n < n)) {
        return NULL;
    }
    b = a->head;
    if (b == NULL || b->size - b->used < n) {
        size = a->next_size;
        if (size < n) {
            size = n;
        }
        b = badge_block_new(size);
        if (b == NULL) {
            return NULL;
        }
        if (a->next_size < 4 * 1024 * 1024) {
            a->next_size *= 2;
        }
        b->next = a->head;
        a->head = b;
    }
    p = (unsigned char *) b + BLOCK_HDR + b->used;
    b->used += n;
    a->total += n;
    return p;
}

void *
badge_arena_calloc(badge_arena_t *a, size_t n)
{
    void *p = badge_arena_alloc(a, n);

    if (p != NULL) {
        memset(p, 0, n);
    }
    return p;
}

void *
badge_arena_memdup(badge_arena_t *a, const void *src, size_t n)
{
    void *p = badge_arena_alloc(a, n);

    if (p != NULL && n > 0) {
        memcpy(p, src, n);
    }
    return p;
}

char *
badge_arena_strndup(badge_arena_t *a, const char *s, size_t n)
{
    char *p = badge_arena_alloc(a, n + 1);

    if (p != NULL) {
        if (n > 0) {
            memcpy(p, s, n);
        }
        p[n] = '\0';
    }
    return p;
}

char *
badge_arena_strdup(badge_arena_t *a, const char *s)
{
    return s == NULL ? NULL : badge_arena_strndup(a, s, strlen(s));
}

static char *
badge_arena_vsprintf(badge_arena_t *a, const char *fmt, va_list ap)
{
    va_list cp;
    int     n;
    char   *p;

    va_copy(cp, ap);
    n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0) {
        return NULL;
    }
    p = badge_arena_alloc(a, (size_t) n + 1);
    if (p != NULL) {
        vsnprintf(p, (size_t) n + 1, fmt, ap);
    }
    return p;
}

char *
badge_arena_sprintf(badge_arena_t *a, const char *fmt, ...)
{
    va_list ap;
    char   *p;

    va_start(ap, fmt);
    p = badge_arena_vsprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

size_t
badge_arena_used(const badge_arena_t *a)
{
    return a->total;
}

void
badge_buf_init(badge_buf_t *b, badge_arena_t *a, size_t hint)
{
    b->arena = a;
    b->len = 0;
    b->failed = 0;
    b->cap = hint < 64 ? 64 : hint;
    b->data = badge_arena_alloc(a, b->cap);
    if (b->data == NULL) {
        b->failed = 1;
        b->cap = 0;
    }
}

static int
badge_buf_reserve(badge_buf_t *b, size_t n)
{
    size_t cap;
    char  *p;

    if (b->failed) {
        return -1;
    }
    if (b->cap - b->len > n) {
        return 0;
    }
    cap = b->cap * 2;
    while (cap - b->len <= n) {
        if (cap > SIZE_MAX / 2) {
            b->failed = 1;
            return -1;
        }
        cap *= 2;
    }
    /* the old storage stays in the arena until the session ends */
    p = badge_arena_alloc(b->arena, cap);
    if (p == NULL) {
        b->failed = 1;
        return -1;
    }
    memcpy(p, b->data, b->len);
    b->data = p;
    b->cap = cap;
    return 0;
}

void
badge_buf_append(badge_buf_t *b, const void *p, size_t n)
{
    /* the room is usually there: no call for it (serialisers append a few
     * bytes at a time) */
    if (b->cap - b->len <= n || b->failed) {
        if (n == 0 || badge_buf_reserve(b, n) != 0) {
            return;
        }
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

void
badge_buf_puts(badge_buf_t *b, const char *s)
{
    badge_buf_append(b, s, strlen(s));
}

void
badge_buf_putc(badge_buf_t *b, char c)
{
    if (b->cap - b->len <= 1 || b->failed) {
        if (badge_buf_reserve(b, 1) != 0) {
            return;
        }
    }
    b->data[b->len++] = c;
}

void
badge_buf_printf(badge_buf_t *b, const char *fmt, ...)
{
    va_list ap;
    int     n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || badge_buf_reserve(b, (size_t) n + 1) != 0) {
        b->failed = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t) n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t) n;
}

char *
badge_buf_cstr(badge_buf_t *b)
{
    if (badge_buf_reserve(b, 1) != 0) {
        return NULL;
    }
    b->data[b->len] = '\0';
    return b->data;
}
