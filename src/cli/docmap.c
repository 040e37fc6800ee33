/*
 * docmap.c: --offline, --doc URL=FILE and --docs PREFIX=DIR, shared by the
 * subcommands that need documents, and whole-file reading.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct badgectl_docmap_entry_s {
    char                            *key;    /* URL or prefix */
    char                            *path;   /* file or directory */
    int                              prefix;
    struct badgectl_docmap_entry_s  *next;
} badgectl_docmap_entry_t;

struct badgectl_docmap_s {
    badgectl_docmap_entry_t *entries;
    int                      offline;
};

badgectl_docmap_t *
badgectl_docmap_new(void)
{
    return calloc(1, sizeof(badgectl_docmap_t));
}

void
badgectl_docmap_free(badgectl_docmap_t *m)
{
    badgectl_docmap_entry_t *e, *next;

    if (m == NULL) {
        return;
    }
    for (e = m->entries; e != NULL; e = next) {
        next = e->next;
        free(e->key);
        free(e->path);
        free(e);
    }
    free(m);
}

static int
badgectl_docmap_add(badgectl_docmap_t *m, const char *opt, const char *arg,
    int prefix)
{
    badgectl_docmap_entry_t *e, **tail;
    const char              *eq = strrchr(arg, '=');

    /* URLs may contain '=', file names rarely do: split at the last one */
    if (eq == NULL || eq == arg || eq[1] == '\0') {
        fprintf(stderr, "badgectl: %s needs %s, got '%s'\n", opt,
            prefix ? "PREFIX=DIR" : "URL=FILE", arg);
        return -1;
    }
    e = calloc(1, sizeof(*e));
    if (e == NULL || (e->key = strndup(arg, (size_t) (eq - arg))) == NULL
        || (e->path = strdup(eq + 1)) == NULL)
    {
        if (e != NULL) {
            free(e->key);
            free(e);
        }
        fprintf(stderr, "badgectl: out of memory\n");
        return -1;
    }
    e->prefix = prefix;
    for (tail = &m->entries; *tail != NULL; tail = &(*tail)->next) {
        /* keep command-line order: the first match wins */
    }
    *tail = e;
    return 0;
}

int
badgectl_docmap_option(badgectl_docmap_t *m, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    int         prefix;

    if (strcmp(a, "--offline") == 0) {
        m->offline = 1;
        return 1;
    }
    if (strcmp(a, "--doc") != 0 && strcmp(a, "--docs") != 0) {
        return 0;
    }
    prefix = strcmp(a, "--docs") == 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "badgectl: %s needs an argument\n", a);
        return -1;
    }
    (*i)++;
    return badgectl_docmap_add(m, a, argv[*i], prefix) == 0 ? 1 : -1;
}

int
badgectl_docmap_offline(const badgectl_docmap_t *m)
{
    return m->offline;
}

int
badgectl_docmap_lookup(const badgectl_docmap_t *m, const char *url,
    unsigned char **body, size_t *len)
{
    const badgectl_docmap_entry_t *e;
    char                          *path;
    const char                    *rest;
    size_t                         n;
    int                            rc;

    for (e = m->entries; e != NULL; e = e->next) {
        if (!e->prefix) {
            if (strcmp(e->key, url) != 0) {
                continue;
            }
            rc = badgectl_read_file(e->path, 64 * 1024 * 1024, body, len);
            return rc == 0 ? 1 : -1;
        }
        n = strlen(e->key);
        if (strncmp(e->key, url, n) != 0) {
            continue;
        }
        rest = url + n;
        /* the rest of a URL must not climb out of the directory */
        if (strstr(rest, "..") != NULL) {
            fprintf(stderr, "badgectl: refusing to map '%s' (contains ..)\n",
                url);
            return -1;
        }
        n = strlen(e->path) + strlen(rest) + 2;
        path = malloc(n);
        if (path == NULL) {
            return -1;
        }
        snprintf(path, n, "%s%s%.*s", e->path,
            (rest[0] == '/' || rest[0] == '\0'
             || e->path[strlen(e->path) - 1] == '/') ? "" : "/",
            (int) strcspn(rest, "#"), rest);
        rc = badgectl_read_file(path, 64 * 1024 * 1024, body, len);
        free(path);
        if (rc == 0) {
            return 1;
        }
        /* a prefix that does not hold this file: try the next mapping */
    }
    return 0;
}

int
badgectl_read_file(const char *path, size_t limit, unsigned char **body,
    size_t *len)
{
    FILE          *f;
    unsigned char *buf = NULL, *nb;
    size_t         n = 0, cap = 0, r;
    int            is_stdin = strcmp(path, "-") == 0;

    f = is_stdin ? stdin : fopen(path, "rb");
    if (f == NULL) {
        return -1;
    }
    for ( ;; ) {
        if (cap - n < 65536) {
            cap = cap ? cap * 2 : 65536;
            nb = realloc(buf, cap + 1);
            if (nb == NULL) {
                free(buf);
                if (!is_stdin) {
                    fclose(f);
                }
                errno = ENOMEM;
                return -1;
            }
            buf = nb;
        }
        r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (n > limit) {
            free(buf);
            if (!is_stdin) {
                fclose(f);
            }
            errno = EFBIG;
            return -1;
        }
        if (r == 0) {
            break;
        }
    }
    if (ferror(f)) {
        free(buf);
        if (!is_stdin) {
            fclose(f);
        }
        return -1;
    }
    if (!is_stdin) {
        fclose(f);
    }
    buf[n] = '\0';
    *body = buf;
    *len = n;
    return 0;
}
