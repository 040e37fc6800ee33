/*
 * status_registry.c: the issuer's registry of credentials and status list
 * indexes (see status_registry.h for the file format and the locking).
 *
 * Issuer-side I/O lives here and nowhere else in the core: the
 * verification path never calls into this file.
 */
#include "status_registry.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "datetime.h"
#include "utf8.h"

#define BADGE_REG_MAGIC      "# badge-status-registry v1"
#define BADGE_REG_MAX_TRIES  64

struct badge_registry_s {
    badge_arena_t      *arena;      /* ids and reasons */
    uint64_t            size;       /* bits in the list */
    badge_reg_entry_t  *entries;    /* file order */
    size_t              n;
    size_t              cap;
    size_t             *hash;       /* id -> entry + 1; 0 = empty slot */
    size_t              hash_cap;   /* a power of two, > 2 n */
    unsigned char      *used;       /* size / 8 bytes: allocated indexes */
    atomic_int          refs;
};

static const char *badge_reg_names[] = { "active", "revoked", "suspended" };

const char *
badge_reg_status_name(badge_reg_status_t st)
{
    return (unsigned) st < 3 ? badge_reg_names[st] : "unknown";
}

int
badge_reg_status_parse(const char *s, badge_reg_status_t *st)
{
    int i;

    for (i = 0; i < 3; i++) {
        if (strcmp(s, badge_reg_names[i]) == 0) {
            *st = (badge_reg_status_t) i;
            return 0;
        }
    }
    return -1;
}

/* ------------------------------------------------------------------ */
/* Text                                                                 */

static int
badge_reg_format_time(time_t t, char *buf, size_t cap)
{
    struct tm tm;

    if (gmtime_r(&t, &tm) == NULL
        || strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
    {
        return -1;
    }
    return 0;
}

/* Strict UTF-8, since the text ends up in JSON. */
static int
badge_reg_utf8_ok(const unsigned char *p, size_t n)
{
    const unsigned char *end = p + n;
    uint32_t             c;
    size_t               len;

    while (p < end) {
        len = badge_utf8_decode(p, end, &c);
        if (len == 0) {
            return 0;
        }
        p += len;
    }
    return 1;
}

/* An id or a reason as given by a user: UTF-8, bounded, no control
 * characters (a reason may have tabs and line breaks). */
static int
badge_reg_text_ok(const char *s, int is_reason, badge_err_t *err)
{
    size_t n = strlen(s), i, max;

    max = is_reason ? BADGE_REGISTRY_MAX_REASON : BADGE_REGISTRY_MAX_ID;
    if (!is_reason && n == 0) {
        badge_err_set(err, "registry_invalid", "the credential id is empty");
        return 0;
    }
    if (n > max) {
        badge_err_set(err, "registry_invalid", "the %s is longer than %zu "
            "bytes", is_reason ? "reason" : "credential id", max);
        return 0;
    }
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char) s[i];

        if ((c < 0x20 || c == 0x7f)
            && !(is_reason && (c == '\t' || c == '\n' || c == '\r')))
        {
            badge_err_set(err, "registry_invalid", "the %s contains a "
                "control character", is_reason ? "reason" : "credential id");
            return 0;
        }
    }
    if (!badge_reg_utf8_ok((const unsigned char *) s, n)) {
        badge_err_set(err, "registry_invalid", "the %s is not UTF-8",
            is_reason ? "reason" : "credential id");
        return 0;
    }
    return 1;
}

static void
badge_reg_escape(badge_buf_t *b, const char *s)
{
    for ( ; *s != '\0'; s++) {
        switch (*s) {
        case '\\':
            badge_buf_puts(b, "\\\\");
            break;
        case '\t':
            badge_buf_puts(b, "\\t");
            break;
        case '\n':
            badge_buf_puts(b, "\\n");
            break;
        case '\r':
            badge_buf_puts(b, "\\r");
            break;
        default:
            badge_buf_putc(b, *s);
        }
    }
}

/* Unescape a field in place (it shrinks); -1 on a bad escape. */
static int
badge_reg_unescape(char *s)
{
    char *w = s;

    for ( ; *s != '\0'; s++) {
        if (*s != '\\') {
            *w++ = *s;
            continue;
        }
        switch (*++s) {
        case '\\':
            *w++ = '\\';
            break;
        case 't':
            *w++ = '\t';
            break;
        case 'n':
            *w++ = '\n';
            break;
        case 'r':
            *w++ = '\r';
            break;
        default:
            return -1;
        }
    }
    *w = '\0';
    return 0;
}

/* ------------------------------------------------------------------ */
/* In memory                                                            */

static uint64_t
badge_reg_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;    /* FNV-1a */

    for ( ; *s != '\0'; s++) {
        h ^= (unsigned char) *s;
        h *= 1099511628211ULL;
    }
    return h;
}

static int
badge_reg_used(const badge_registry_t *r, uint64_t i)
{
    return (r->used[i / 8] >> (7 - i % 8)) & 1;
}

static int
badge_reg_rehash(badge_registry_t *r, size_t cap)
{
    size_t *h, i, j;

    h = calloc(cap, sizeof(*h));
    if (h == NULL) {
        return -1;
    }
    for (i = 0; i < r->n; i++) {
        j = (size_t) badge_reg_hash(r->entries[i].id) & (cap - 1);
        while (h[j] != 0) {
            j = (j + 1) & (cap - 1);
        }
        h[j] = i + 1;
    }
    free(r->hash);
    r->hash = h;
    r->hash_cap = cap;
    return 0;
}

badge_registry_t *
badge_registry_new(uint64_t size, badge_err_t *err)
{
    badge_registry_t *r;

    if (size < 8 || size % 8 != 0 || size > BADGE_REGISTRY_MAX_SIZE) {
        badge_err_set(err, "registry_invalid", "a status list size must be "
            "a multiple of 8 from 8 to %llu (131072 recommended)",
            (unsigned long long) BADGE_REGISTRY_MAX_SIZE);
        return NULL;
    }
    r = calloc(1, sizeof(*r));
    if (r == NULL) {
        goto oom;
    }
    atomic_init(&r->refs, 1);
    r->size = size;
    r->arena = badge_arena_new(0);
    r->used = calloc(1, (size_t) (size / 8));
    if (r->arena == NULL || r->used == NULL
        || badge_reg_rehash(r, 64) != 0)
    {
        badge_registry_free(r);
        goto oom;
    }
    return r;

oom:
    badge_err_set(err, "out_of_memory", "out of memory");
    return NULL;
}

void
badge_registry_free(badge_registry_t *r)
{
    if (r == NULL) {
        return;
    }
    badge_arena_free(r->arena);
    free(r->entries);
    free(r->hash);
    free(r->used);
    free(r);
}

void
badge_registry_release(badge_registry_t *r)
{
    if (r != NULL && atomic_fetch_sub(&r->refs, 1) == 1) {
        badge_registry_free(r);
    }
}

uint64_t
badge_registry_size(const badge_registry_t *r)
{
    return r->size;
}

size_t
badge_registry_count(const badge_registry_t *r)
{
    return r->n;
}

const badge_reg_entry_t *
badge_registry_entry(const badge_registry_t *r, size_t i)
{
    return i < r->n ? &r->entries[i] : NULL;
}

const badge_reg_entry_t *
badge_registry_find_id(const badge_registry_t *r, const char *id)
{
    size_t j, e;

    if (r == NULL || id == NULL) {
        return NULL;
    }
    j = (size_t) badge_reg_hash(id) & (r->hash_cap - 1);
    while ((e = r->hash[j]) != 0) {
        if (strcmp(r->entries[e - 1].id, id) == 0) {
            return &r->entries[e - 1];
        }
        j = (j + 1) & (r->hash_cap - 1);
    }
    return NULL;
}

const badge_reg_entry_t *
badge_registry_find_index(const badge_registry_t *r, uint64_t index)
{
    size_t i;

    if (r == NULL || index >= r->size || !badge_reg_used(r, index)) {
        return NULL;
    }
    for (i = 0; i < r->n; i++) {
        if (r->entries[i].index == index) {
            return &r->entries[i];
        }
    }
    return NULL;
}

/* Append an entry whose strings are already in r's arena. */
static int
badge_reg_append(badge_registry_t *r, uint64_t index, const char *id,
    badge_reg_status_t st, time_t updated, const char *reason,
    badge_err_t *err)
{
    badge_reg_entry_t *e;
    size_t             j, cap;

    if (r->n == r->cap) {
        cap = r->cap == 0 ? 64 : r->cap * 2;
        e = realloc(r->entries, cap * sizeof(*e));
        if (e == NULL) {
            goto oom;
        }
        r->entries = e;
        r->cap = cap;
    }
    if ((r->n + 1) * 2 > r->hash_cap
        && badge_reg_rehash(r, r->hash_cap * 2) != 0)
    {
        goto oom;
    }
    e = &r->entries[r->n];
    e->index = index;
    e->id = id;
    e->status = st;
    e->updated = updated;
    e->reason = reason;
    j = (size_t) badge_reg_hash(id) & (r->hash_cap - 1);
    while (r->hash[j] != 0) {
        j = (j + 1) & (r->hash_cap - 1);
    }
    r->hash[j] = ++r->n;
    r->used[index / 8] |= (unsigned char) (0x80 >> (index % 8));
    return 0;

oom:
    badge_err_set(err, "out_of_memory", "out of memory");
    return -1;
}

/* A uniform random number below n from the CSPRNG (rejection sampling,
 * so that no index is likelier than another). */
static int
badge_reg_random_below(uint64_t n, uint64_t *out)
{
    uint64_t v, limit = UINT64_MAX - (UINT64_MAX % n + 1) % n;

    do {
        if (RAND_bytes((unsigned char *) &v, sizeof(v)) != 1) {
            return -1;
        }
    } while (v > limit);
    *out = v % n;
    return 0;
}

int
badge_registry_add(badge_registry_t *r, const char *id, int sequential,
    time_t now, uint64_t *index, badge_err_t *err)
{
    const badge_reg_entry_t *old;
    uint64_t                 i = 0, k;
    char                    *copy;
    int                      tries;

    if (!badge_reg_text_ok(id, 0, err)) {
        return -1;
    }
    old = badge_registry_find_id(r, id);
    if (old != NULL) {
        badge_err_set(err, "registry_duplicate_id", "%.200s is already "
            "registered at index %llu", id, (unsigned long long) old->index);
        return -1;
    }
    if (r->n >= r->size) {
        badge_err_set(err, "registry_full", "all %llu indexes of the status "
            "list are taken: start a new registry and list",
            (unsigned long long) r->size);
        return -1;
    }
    if (sequential) {
        while (badge_reg_used(r, i)) {
            i++;
        }
    } else {
        for (tries = 0; tries < BADGE_REG_MAX_TRIES; tries++) {
            if (badge_reg_random_below(r->size, &i) != 0) {
                goto random_failed;
            }
            if (!badge_reg_used(r, i)) {
                break;
            }
        }
        if (tries == BADGE_REG_MAX_TRIES) {
            /* a nearly full list: draw among the free indexes directly */
            if (badge_reg_random_below(r->size - r->n, &k) != 0) {
                goto random_failed;
            }
            for (i = 0; ; i++) {
                if (!badge_reg_used(r, i) && k-- == 0) {
                    break;
                }
            }
        }
    }
    copy = badge_arena_strdup(r->arena, id);
    if (copy == NULL) {
        badge_err_set(err, "out_of_memory", "out of memory");
        return -1;
    }
    if (badge_reg_append(r, i, copy, BADGE_REG_ACTIVE, now, "", err) != 0) {
        return -1;
    }
    *index = i;
    return 0;

random_failed:
    badge_err_set(err, "random_failed", "the random number generator "
        "failed");
    return -1;
}

int
badge_registry_set_status(badge_registry_t *r, const char *id,
    uint64_t index, badge_reg_status_t st, const char *reason, int force,
    time_t now, badge_err_t *err)
{
    badge_reg_entry_t *e;
    char               when[32];

    e = (badge_reg_entry_t *) (id != NULL ? badge_registry_find_id(r, id)
                                          : badge_registry_find_index(r,
                                                                      index));
    if (e == NULL) {
        if (id != NULL) {
            badge_err_set(err, "registry_not_found", "%.200s is not in the "
                "registry", id);
        } else {
            badge_err_set(err, "registry_not_found", "no credential has "
                "index %llu", (unsigned long long) index);
        }
        return -1;
    }
    if (reason != NULL && !badge_reg_text_ok(reason, 1, err)) {
        return -1;
    }
    if (e->status == st) {
        if (reason == NULL || strcmp(reason, e->reason) == 0) {
            return 0;
        }
    } else if (e->status == BADGE_REG_REVOKED && !force) {
        /* Bitstring Status List: revocation cannot be undone */
        if (badge_reg_format_time(e->updated, when, sizeof(when)) != 0) {
            strcpy(when, "?");
        }
        badge_err_set(err, "registry_revoked", "%.200s was revoked on %s; "
            "revocation is permanent (force only to undo a clerical error)",
            e->id, when);
        return -1;
    }
    if (reason == NULL && e->status != st) {
        reason = "";
    }
    if (reason != NULL) {
        e->reason = badge_arena_strdup(r->arena, reason);
        if (e->reason == NULL) {
            e->reason = "";
            badge_err_set(err, "out_of_memory", "out of memory");
            return -1;
        }
    }
    e->status = st;
    e->updated = now;
    return 1;
}

/* ------------------------------------------------------------------ */
/* Parsing and formatting                                               */

static int
badge_reg_parse_u64(const char *s, uint64_t max, uint64_t *v)
{
    uint64_t x = 0;

    if (*s == '\0' || (s[0] == '0' && s[1] != '\0')) {
        return -1;
    }
    for ( ; *s != '\0'; s++) {
        if (*s < '0' || *s > '9' || x > max / 10) {
            return -1;
        }
        x = x * 10 + (uint64_t) (*s - '0');
    }
    if (x > max) {
        return -1;
    }
    *v = x;
    return 0;
}

/* The header: "# badge-status-registry v1 size=N". */
static int
badge_reg_header(const char *line, uint64_t *size)
{
    const char *p;
    char        num[24];
    size_t      n;

    if (strncmp(line, BADGE_REG_MAGIC, sizeof(BADGE_REG_MAGIC) - 1) != 0) {
        return -1;
    }
    p = strstr(line, " size=");
    if (p == NULL) {
        *size = BADGE_REGISTRY_DEFAULT_SIZE;
        return 0;
    }
    p += 6;
    n = strcspn(p, " \t");
    if (n == 0 || n >= sizeof(num)) {
        return -1;
    }
    memcpy(num, p, n);
    num[n] = '\0';
    return badge_reg_parse_u64(num, BADGE_REGISTRY_MAX_SIZE, size);
}

static int
badge_reg_parse_line(badge_registry_t *r, char *line, size_t lineno,
    badge_err_t *err)
{
    char               *f[5], *p = line;
    int                 nf = 0;
    uint64_t            index;
    badge_reg_status_t  st;
    time_t              t;
    const char         *what;
    badge_err_t         why;

    while (nf < 5) {
        f[nf++] = p;
        p = strchr(p, '\t');
        if (p == NULL) {
            break;
        }
        *p++ = '\0';
    }
    if (nf == 4) {
        /* no reason, its tab dropped by an editor: the empty string at
         * the end of the line (writable, in the arena) */
        f[4] = f[3] + strlen(f[3]);
    } else if (nf != 5 || p != NULL) {
        what = "5 tab-separated fields";
        goto bad;
    }
    if (badge_reg_parse_u64(f[0], r->size - 1, &index) != 0) {
        what = "an index below the list size";
        goto bad;
    }
    if (badge_reg_unescape(f[1]) != 0 || badge_reg_unescape(f[4]) != 0) {
        what = "valid escapes (\\\\ \\t \\n \\r)";
        goto bad;
    }
    if (!badge_reg_text_ok(f[1], 0, &why)
        || !badge_reg_text_ok(f[4], 1, &why))
    {
        badge_err_set(err, "registry_invalid", "registry line %zu: %s",
            lineno, why.message);
        return -1;
    }
    if (badge_reg_status_parse(f[2], &st) != 0) {
        what = "a status: active, revoked or suspended";
        goto bad;
    }
    if (badge_datetime_parse(f[3], &t) != 0) {
        what = "a date-time (YYYY-MM-DDThh:mm:ssZ)";
        goto bad;
    }
    if (badge_reg_used(r, index)) {
        badge_err_set(err, "registry_invalid", "registry line %zu: index "
            "%llu is used twice", lineno, (unsigned long long) index);
        return -1;
    }
    if (badge_registry_find_id(r, f[1]) != NULL) {
        badge_err_set(err, "registry_invalid", "registry line %zu: "
            "%.200s is registered twice", lineno, f[1]);
        return -1;
    }
    return badge_reg_append(r, index, f[1], st, t, f[4], err);

bad:
    badge_err_set(err, "registry_invalid", "registry line %zu: expected %s",
        lineno, what);
    return -1;
}

badge_registry_t *
badge_registry_parse(const char *text, size_t len, badge_err_t *err)
{
    badge_registry_t *r;
    const char       *p = text, *end = text + len, *nl;
    char             *line;
    size_t            n, lineno = 0;
    uint64_t          size;

    if (memchr(text, '\0', len) != NULL) {
        badge_err_set(err, "registry_invalid", "the registry is not text");
        return NULL;
    }
    r = NULL;
    while (p < end) {
        nl = memchr(p, '\n', (size_t) (end - p));
        n = nl != NULL ? (size_t) (nl - p) : (size_t) (end - p);
        lineno++;
        if (r == NULL) {
            line = strndup(p, n);
            if (line == NULL) {
                badge_err_set(err, "out_of_memory", "out of memory");
                return NULL;
            }
            if (n > 0 && line[n - 1] == '\r') {
                line[n - 1] = '\0';
            }
            if (badge_reg_header(line, &size) != 0) {
                free(line);
                badge_err_set(err, "registry_invalid", "registry line 1 is "
                    "not \"" BADGE_REG_MAGIC " size=N\"");
                return NULL;
            }
            free(line);
            r = badge_registry_new(size, err);
            if (r == NULL) {
                return NULL;
            }
        } else if (n > 0 && p[0] != '#' && !(n == 1 && p[0] == '\r')) {
            line = badge_arena_strndup(r->arena, p,
                                       n - (p[n - 1] == '\r' ? 1 : 0));
            if (line == NULL) {
                badge_err_set(err, "out_of_memory", "out of memory");
                badge_registry_free(r);
                return NULL;
            }
            if (badge_reg_parse_line(r, line, lineno, err) != 0) {
                badge_registry_free(r);
                return NULL;
            }
        }
        p += n + 1;
    }
    if (r == NULL) {
        badge_err_set(err, "registry_invalid", "the registry is empty (no "
            "header line)");
    }
    return r;
}

char *
badge_registry_format(const badge_registry_t *r, size_t *len)
{
    badge_arena_t           *a;
    badge_buf_t              b;
    const badge_reg_entry_t *e;
    char                     when[32], *out = NULL;
    size_t                   i;

    a = badge_arena_new(0);
    if (a == NULL) {
        return NULL;
    }
    badge_buf_init(&b, a, 128 + r->n * 96);
    badge_buf_printf(&b, BADGE_REG_MAGIC " size=%llu\n"
        "# index\tcredential id\tstatus\tupdated\treason "
        "(one credential per line; badgectl status)\n",
        (unsigned long long) r->size);
    for (i = 0; i < r->n; i++) {
        e = &r->entries[i];
        if (badge_reg_format_time(e->updated, when, sizeof(when)) != 0) {
            goto done;
        }
        badge_buf_printf(&b, "%llu\t", (unsigned long long) e->index);
        badge_reg_escape(&b, e->id);
        badge_buf_printf(&b, "\t%s\t%s\t", badge_reg_status_name(e->status),
            when);
        badge_reg_escape(&b, e->reason);
        badge_buf_putc(&b, '\n');
    }
    if (badge_buf_cstr(&b) == NULL) {
        goto done;
    }
    out = malloc(b.len + 1);
    if (out != NULL) {
        memcpy(out, b.data, b.len + 1);
        *len = b.len;
    }

done:
    badge_arena_free(a);
    return out;
}

/* ------------------------------------------------------------------ */
/* Files                                                                */

static int
badge_reg_read_fd(int fd, const char *path, char **text, size_t *len,
    badge_err_t *err)
{
    struct stat st;
    size_t      got = 0;
    ssize_t     n;
    char       *buf;

    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        badge_err_set(err, "file_unreadable", "%.200s is not a regular file",
            path);
        return -1;
    }
    if (st.st_size > BADGE_REGISTRY_MAX_FILE) {
        badge_err_set(err, "file_unreadable", "%.200s is larger than %d "
            "bytes", path, BADGE_REGISTRY_MAX_FILE);
        return -1;
    }
    buf = malloc((size_t) st.st_size + 1);
    if (buf == NULL) {
        badge_err_set(err, "out_of_memory", "out of memory");
        return -1;
    }
    while (got < (size_t) st.st_size) {
        n = read(fd, buf + got, (size_t) st.st_size - got);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            free(buf);
            badge_err_set(err, "file_unreadable", "cannot read %.200s: %s",
                path, n < 0 ? strerror(errno) : "file shrank");
            return -1;
        }
        got += (size_t) n;
    }
    buf[got] = '\0';
    *text = buf;
    *len = got;
    return 0;
}

/* Read and parse path; *missing set when there is no such file. */
static badge_registry_t *
badge_reg_load(const char *path, int *missing, struct stat *sb,
    badge_err_t *err)
{
    badge_registry_t *r;
    char             *text;
    size_t            len;
    int               fd;

    *missing = 0;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        *missing = errno == ENOENT;
        badge_err_set(err, *missing ? "registry_missing" : "file_unreadable",
            "cannot open the registry %.200s: %s", path, strerror(errno));
        return NULL;
    }
    if (sb != NULL && fstat(fd, sb) != 0) {
        memset(sb, 0, sizeof(*sb));
    }
    if (badge_reg_read_fd(fd, path, &text, &len, err) != 0) {
        close(fd);
        return NULL;
    }
    close(fd);
    r = badge_registry_parse(text, len, err);
    free(text);
    if (r == NULL && err != NULL) {
        /* say which file */
        char msg[sizeof(err->message)];

        snprintf(msg, sizeof(msg), "%s", err->message);
        badge_err_set(err, err->code, "%.100s: %s", path, msg);
    }
    return r;
}

badge_registry_t *
badge_registry_load(const char *path, badge_err_t *err)
{
    int missing;

    return badge_reg_load(path, &missing, NULL, err);
}

static int
badge_reg_write_all(int fd, const char *p, size_t n)
{
    ssize_t w;

    while (n > 0) {
        w = write(fd, p, n);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return -1;
        }
        p += w;
        n -= (size_t) w;
    }
    return 0;
}

/* Write r to path atomically: a temporary file beside it, fsync, rename,
 * fsync of the directory.  The old file's mode and owner are kept (the
 * web server's user must still be able to read it). */
static int
badge_reg_save(const badge_registry_t *r, const char *path,
    const struct stat *old, badge_err_t *err)
{
    char       *text = NULL, *tmp = NULL, *dir = NULL, *slash;
    size_t      len, plen = strlen(path);
    int         fd = -1, dfd, rc = -1;
    mode_t      mode, mask;

    text = badge_registry_format(r, &len);
    tmp = malloc(plen + 16);
    dir = strdup(path);
    if (text == NULL || tmp == NULL || dir == NULL) {
        badge_err_set(err, "out_of_memory", "out of memory");
        goto done;
    }
    snprintf(tmp, plen + 16, "%s.tmp.XXXXXX", path);
    fd = mkstemp(tmp);
    if (fd < 0) {
        badge_err_set(err, "file_unwritable", "cannot create a temporary "
            "file next to %.200s: %s", path, strerror(errno));
        goto done;
    }
    if (old != NULL) {
        mode = old->st_mode & 07777;
        if (geteuid() == 0 && fchown(fd, old->st_uid, old->st_gid) != 0) {
            badge_err_set(err, "file_unwritable", "cannot keep the owner of "
                "%.200s: %s", path, strerror(errno));
            goto fail;
        }
    } else {
        /* a new file: what open(2) would give (the CLI is single-threaded,
         * so reading the umask this way is safe there) */
        mask = umask(022);
        umask(mask);
        mode = 0666 & ~mask;
    }
    if (fchmod(fd, mode) != 0 || badge_reg_write_all(fd, text, len) != 0
        || fsync(fd) != 0)
    {
        badge_err_set(err, "file_unwritable", "cannot write %.200s: %s",
            tmp, strerror(errno));
        goto fail;
    }
    if (close(fd) != 0) {
        fd = -1;
        badge_err_set(err, "file_unwritable", "cannot write %.200s: %s",
            tmp, strerror(errno));
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) != 0) {
        badge_err_set(err, "file_unwritable", "cannot replace %.200s: %s",
            path, strerror(errno));
        goto fail;
    }
    /* make the rename itself durable */
    slash = strrchr(dir, '/');
    if (slash == NULL) {
        strcpy(dir, ".");
    } else if (slash == dir) {
        dir[1] = '\0';
    } else {
        *slash = '\0';
    }
    dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        (void) fsync(dfd);
        close(dfd);
    }
    rc = 0;
    goto done;

fail:
    if (fd >= 0) {
        close(fd);
    }
    unlink(tmp);

done:
    free(text);
    free(tmp);
    free(dir);
    return rc;
}

int
badge_registry_update(const char *path, uint64_t create_size,
    badge_registry_fn fn, void *udata, badge_err_t *err)
{
    badge_registry_t *r;
    struct stat       st;
    char             *lock;
    int               lfd, rc, missing;

    lock = malloc(strlen(path) + 6);
    if (lock == NULL) {
        badge_err_set(err, "out_of_memory", "out of memory");
        return -1;
    }
    sprintf(lock, "%s.lock", path);
    /* read-only is enough for flock, so that any user who may read the
     * registry may also wait for writers */
    lfd = open(lock, O_RDONLY | O_CREAT | O_CLOEXEC, 0644);
    if (lfd < 0) {
        badge_err_set(err, "lock_failed", "cannot open the lock file "
            "%.200s: %s", lock, strerror(errno));
        free(lock);
        return -1;
    }
    free(lock);
    while (flock(lfd, LOCK_EX) != 0) {
        if (errno != EINTR) {
            badge_err_set(err, "lock_failed", "cannot lock %.200s: %s", path,
                strerror(errno));
            close(lfd);
            return -1;
        }
    }
    r = badge_reg_load(path, &missing, &st, err);
    if (r == NULL && missing && create_size > 0) {
        badge_err_clear(err);
        r = badge_registry_new(create_size, err);
    }
    if (r == NULL) {
        close(lfd);
        return -1;
    }
    rc = fn(r, udata, err);
    if (rc == 1 && badge_reg_save(r, path, missing ? NULL : &st, err) != 0)
    {
        rc = -1;
    }
    badge_registry_free(r);
    close(lfd);     /* releases the lock */
    return rc;
}

typedef struct {
    const char         *id;
    uint64_t            index;
    badge_reg_status_t  st;
    const char         *reason;
    int                 sequential;
    int                 force;
    time_t              now;
    badge_reg_entry_t  *entry;
} badge_reg_op_t;

static int
badge_reg_do_allocate(badge_registry_t *r, void *udata, badge_err_t *err)
{
    badge_reg_op_t *op = udata;

    if (badge_registry_add(r, op->id, op->sequential, op->now, &op->index,
                           err) != 0)
    {
        return -1;
    }
    return 1;
}

int
badge_registry_allocate(const char *path, const char *id, int sequential,
    uint64_t create_size, time_t now, uint64_t *index, badge_err_t *err)
{
    badge_reg_op_t op;
    int            rc;

    memset(&op, 0, sizeof(op));
    op.id = id;
    op.sequential = sequential;
    op.now = now != 0 ? now : time(NULL);
    rc = badge_registry_update(path, create_size != 0
                                     ? create_size
                                     : BADGE_REGISTRY_DEFAULT_SIZE,
                               badge_reg_do_allocate, &op, err);
    if (rc != 1) {
        return -1;
    }
    *index = op.index;
    return 0;
}

static int
badge_reg_do_change(badge_registry_t *r, void *udata, badge_err_t *err)
{
    badge_reg_op_t          *op = udata;
    const badge_reg_entry_t *e;
    int                      rc;

    rc = badge_registry_set_status(r, op->id, op->index, op->st, op->reason,
                                   op->force, op->now, err);
    if (rc >= 0 && op->entry != NULL) {
        e = op->id != NULL ? badge_registry_find_id(r, op->id)
                           : badge_registry_find_index(r, op->index);
        op->entry->index = e->index;
        op->entry->status = e->status;
        op->entry->updated = e->updated;
        op->entry->id = NULL;       /* the strings die with r */
        op->entry->reason = NULL;
    }
    return rc;
}

int
badge_registry_change(const char *path, const char *id, uint64_t index,
    badge_reg_status_t st, const char *reason, int force, time_t now,
    badge_reg_entry_t *entry, badge_err_t *err)
{
    badge_reg_op_t op;

    memset(&op, 0, sizeof(op));
    op.id = id;
    op.index = index;
    op.st = st;
    op.reason = reason;
    op.force = force;
    op.now = now != 0 ? now : time(NULL);
    op.entry = entry;
    return badge_registry_update(path, 0, badge_reg_do_change, &op, err);
}

/* ------------------------------------------------------------------ */
/* Watching the file (servers)                                          */

struct badge_registry_watch_s {
    char               *path;
    long                recheck;
    pthread_mutex_t     mu;
    badge_registry_t   *cur;
    unsigned long       generation;
    time_t              last_check;
    struct stat         st;
};

badge_registry_watch_t *
badge_registry_watch_new(const char *path, long recheck, badge_err_t *err)
{
    badge_registry_watch_t *w;
    int                     missing;

    w = calloc(1, sizeof(*w));
    if (w == NULL || (w->path = strdup(path)) == NULL) {
        free(w);
        badge_err_set(err, "out_of_memory", "out of memory");
        return NULL;
    }
    w->recheck = recheck == 0 ? 5 : recheck;
    w->cur = badge_reg_load(path, &missing, &w->st, err);
    if (w->cur == NULL || pthread_mutex_init(&w->mu, NULL) != 0) {
        if (w->cur != NULL) {
            badge_err_set(err, "out_of_memory", "cannot create a mutex");
        }
        badge_registry_free(w->cur);
        free(w->path);
        free(w);
        return NULL;
    }
    w->generation = 1;
    w->last_check = time(NULL);
    return w;
}

void
badge_registry_watch_free(badge_registry_watch_t *w)
{
    if (w == NULL) {
        return;
    }
    badge_registry_release(w->cur);
    pthread_mutex_destroy(&w->mu);
    free(w->path);
    free(w);
}

static int
badge_reg_same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino
           && a->st_size == b->st_size
           && a->st_mtim.tv_sec == b->st_mtim.tv_sec
           && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

badge_registry_t *
badge_registry_watch_get(badge_registry_watch_t *w, time_t now,
    unsigned long *generation, time_t *mtime, badge_err_t *err)
{
    badge_registry_t *r, *fresh;
    struct stat       st, fst;
    int               missing;

    badge_err_clear(err);
    pthread_mutex_lock(&w->mu);
    if (w->recheck > 0 && (now - w->last_check >= w->recheck
                           || now < w->last_check))
    {
        w->last_check = now;
        if (stat(w->path, &st) != 0) {
            badge_err_set(err, "file_unreadable", "cannot stat the registry "
                "%.200s: %s (serving the last one read)", w->path,
                strerror(errno));
        } else if (!badge_reg_same_file(&st, &w->st)) {
            fresh = badge_reg_load(w->path, &missing, &fst, err);
            if (fresh != NULL) {
                badge_registry_release(w->cur);
                w->cur = fresh;
                w->st = fst;
                w->generation++;
            } else {
                /* half-edited by hand?  keep serving the last good one and
                 * try again at the next check */
                w->st.st_ino = 0;
            }
        }
    }
    r = w->cur;
    atomic_fetch_add(&r->refs, 1);
    if (generation != NULL) {
        *generation = w->generation;
    }
    if (mtime != NULL) {
        *mtime = w->st.st_mtim.tv_sec;
    }
    pthread_mutex_unlock(&w->mu);
    return r;
}
