/*
 * cmd_status.c: badgectl status, the issuer's registry of credentials and
 * their status list indexes, and the lists published from it.
 *
 *   badgectl status --registry FILE init [--size N]
 *   badgectl status --registry FILE allocate --id CRED_ID [--sequential]
 *       [--size N] [--list-url URL [--suspension-url URL]]
 *       [--format bitstring|1edtech]
 *   badgectl status --registry FILE revoke|suspend|reinstate
 *       (--id CRED_ID | --index N) [--reason TEXT] [--force]
 *   badgectl status --registry FILE list [--status S] [--json]
 *   badgectl status --registry FILE publish --issuer ISSUER --list-url URL
 *       [--key FILE | --unsigned] [--purpose revocation|suspension]
 *       [--format bitstring|1edtech|ob2] [--validity 1d] [--vm VMID]
 *       [--out FILE]
 *
 * allocate prints the index on the first line and, with --list-url, the
 * credentialStatus to put in the credential (JSON) after it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "arena.h"
#include "cli.h"
#include "issuer.h"
#include "keys.h"
#include "status_publish.h"
#include "status_registry.h"

typedef struct {
    const char  *registry;
    const char  *sub;
    const char  *id;
    const char  *index_s;
    const char  *reason;
    const char  *list_url;
    const char  *susp_url;
    const char  *format;
    const char  *purpose;
    const char  *status;
    const char  *key;
    const char  *issuer;
    const char  *vm;
    const char  *out;
    const char  *validity;
    const char  *size;
    int          sequential;
    int          force;
    int          json;
    int          unsigned_list;
} badgectl_status_args_t;

static void
badgectl_status_usage(FILE *f)
{
    fprintf(f, "usage: badgectl status --registry FILE COMMAND [options]\n"
        "  init [--size N]                   create an empty registry "
        "(131072 entries)\n"
        "  allocate --id CRED_ID [--sequential] [--size N (new registry)]\n"
        "           [--list-url URL [--suspension-url URL]] "
        "[--format bitstring|1edtech]\n"
        "                                    register a credential; print "
        "its index\n"
        "                                    (and its credentialStatus)\n"
        "  revoke|suspend|reinstate (--id CRED_ID | --index N) "
        "[--reason TEXT] [--force]\n"
        "  list [--status active|revoked|suspended] [--json]\n"
        "  publish --issuer ISSUER --list-url URL (--key FILE | "
        "--unsigned)\n"
        "          [--purpose revocation|suspension] "
        "[--format bitstring|1edtech|ob2]\n"
        "          [--validity 1d] [--vm VERIFICATION_METHOD] [--out FILE]\n"
        "revocation is permanent: reinstate undoes a suspension (--force "
        "also a revocation\nmade in error)\n");
}

static int
badgectl_status_fail(const badge_err_t *err)
{
    fprintf(stderr, "badgectl status: %s\n", err->message);
    return BADGECTL_USAGE;
}

static int
badgectl_parse_u64(const char *s, uint64_t *v)
{
    char               *end;
    unsigned long long  x;

    if (s[0] < '0' || s[0] > '9') {
        return -1;
    }
    errno = 0;
    x = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0') {
        return -1;
    }
    *v = (uint64_t) x;
    return 0;
}

/* "3600", "90s", "30m", "12h", "1d" -> seconds */
static int
badgectl_parse_duration(const char *s, long *v)
{
    char *end;
    long  x, mul = 1;

    errno = 0;
    x = strtol(s, &end, 10);
    if (errno != 0 || end == s || x <= 0) {
        return -1;
    }
    switch (*end) {
    case '\0':
    case 's':
        break;
    case 'm':
        mul = 60;
        break;
    case 'h':
        mul = 3600;
        break;
    case 'd':
        mul = 86400;
        break;
    default:
        return -1;
    }
    if (*end != '\0' && end[1] != '\0') {
        return -1;
    }
    if (x > 366L * 86400 / mul) {
        return -1;
    }
    *v = x * mul;
    return 0;
}

/* Write the whole text to path through a temporary file and a rename, so
 * that a web server serving path never sees half a list. */
static int
badgectl_status_write(const char *path, const char *text, size_t len)
{
    char *tmp;
    FILE *f;
    int   fd, ok;

    if (path == NULL) {
        return fwrite(text, 1, len, stdout) == len && fflush(stdout) == 0
               ? 0 : -1;
    }
    tmp = malloc(strlen(path) + 16);
    if (tmp == NULL) {
        return -1;
    }
    sprintf(tmp, "%s.tmp.XXXXXX", path);
    fd = mkstemp(tmp);
    if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
        fprintf(stderr, "badgectl status: cannot write next to %s: %s\n",
            path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        free(tmp);
        return -1;
    }
    /* a list is public: readable by the web server */
    ok = fchmod(fd, 0644) == 0 && fwrite(text, 1, len, f) == len
         && fflush(f) == 0 && fsync(fd) == 0;
    ok &= fclose(f) == 0;
    if (!ok || rename(tmp, path) != 0) {
        fprintf(stderr, "badgectl status: cannot write %s: %s\n", path,
            strerror(errno));
        unlink(tmp);
        free(tmp);
        return -1;
    }
    free(tmp);
    return 0;
}

static int
badgectl_status_init(const badgectl_status_args_t *o, uint64_t size)
{
    badge_registry_t *r;
    badge_err_t       err;
    struct stat       st;
    char             *text;
    size_t            len;
    int               rc;

    if (stat(o->registry, &st) == 0) {
        fprintf(stderr, "badgectl status: %s already exists\n", o->registry);
        return BADGECTL_USAGE;
    }
    r = badge_registry_new(size, &err);
    if (r == NULL) {
        return badgectl_status_fail(&err);
    }
    text = badge_registry_format(r, &len);
    badge_registry_free(r);
    if (text == NULL) {
        fprintf(stderr, "badgectl status: out of memory\n");
        return BADGECTL_USAGE;
    }
    rc = badgectl_status_write(o->registry, text, len);
    free(text);
    if (rc != 0) {
        return BADGECTL_USAGE;
    }
    fprintf(stderr, "badgectl status: created %s (%llu entries)\n",
        o->registry, (unsigned long long) size);
    return BADGECTL_OK;
}

static int
badgectl_status_allocate(const badgectl_status_args_t *o, uint64_t size)
{
    badge_publish_format_t  f = BADGE_PUBLISH_BITSTRING;
    badge_err_t             err;
    uint64_t                index;
    json_t                 *st = NULL, *e2;
    char                   *s;

    if (o->id == NULL) {
        fprintf(stderr, "badgectl status: allocate needs --id CRED_ID\n");
        return BADGECTL_USAGE;
    }
    if (o->format != NULL && (badge_publish_format_parse(o->format, &f) != 0
                              || f == BADGE_PUBLISH_OB2))
    {
        fprintf(stderr, "badgectl status: allocate --format is bitstring or "
            "1edtech (OB 2.0 assertions carry no status entry)\n");
        return BADGECTL_USAGE;
    }
    if (o->susp_url != NULL
        && (o->list_url == NULL || f != BADGE_PUBLISH_BITSTRING))
    {
        fprintf(stderr, "badgectl status: --suspension-url goes with a "
            "bitstring --list-url\n");
        return BADGECTL_USAGE;
    }
    if (o->size != NULL && access(o->registry, F_OK) == 0) {
        /* --size only shapes a new registry: say so rather than ignore it */
        badge_registry_t *r = badge_registry_load(o->registry, &err);

        if (r == NULL) {
            return badgectl_status_fail(&err);
        }
        if (badge_registry_size(r) != size) {
            fprintf(stderr, "badgectl status: %s already has %llu entries; "
                "--size applies to a new registry only\n", o->registry,
                (unsigned long long) badge_registry_size(r));
            badge_registry_free(r);
            return BADGECTL_USAGE;
        }
        badge_registry_free(r);
    }
    if (badge_registry_allocate(o->registry, o->id, o->sequential, size, 0,
                                &index, &err) != 0)
    {
        return badgectl_status_fail(&err);
    }
    printf("%llu\n", (unsigned long long) index);
    if (o->list_url != NULL) {
        st = badge_status_entry_json(f, BADGE_PURPOSE_REVOCATION,
                                     o->list_url, index);
        if (st != NULL && o->susp_url != NULL) {
            e2 = badge_status_entry_json(f, BADGE_PURPOSE_SUSPENSION,
                                         o->susp_url, index);
            st = json_pack("[o, o]", st, e2);
        }
        s = st != NULL ? json_dumps(st, JSON_INDENT(2) | JSON_PRESERVE_ORDER)
                       : NULL;
        json_decref(st);
        if (s == NULL) {
            fprintf(stderr, "badgectl status: out of memory\n");
            return BADGECTL_USAGE;
        }
        printf("%s\n", s);
        free(s);
    }
    return fflush(stdout) == 0 ? BADGECTL_OK : BADGECTL_USAGE;
}

static int
badgectl_status_change(const badgectl_status_args_t *o,
    badge_reg_status_t st)
{
    badge_reg_entry_t  e;
    badge_err_t        err;
    uint64_t           index = 0;
    int                rc;

    if ((o->id == NULL) == (o->index_s == NULL)) {
        fprintf(stderr, "badgectl status: %s needs --id CRED_ID or --index "
            "N\n", o->sub);
        return BADGECTL_USAGE;
    }
    if (o->index_s != NULL && badgectl_parse_u64(o->index_s, &index) != 0) {
        fprintf(stderr, "badgectl status: bad index %s\n", o->index_s);
        return BADGECTL_USAGE;
    }
    rc = badge_registry_change(o->registry, o->id, index, st, o->reason,
                               o->force, 0, &e, &err);
    if (rc < 0) {
        return badgectl_status_fail(&err);
    }
    if (o->id != NULL) {
        printf("%s (index %llu): %s%s\n", o->id,
            (unsigned long long) e.index, rc == 0 ? "already " : "",
            badge_reg_status_name(e.status));
    } else {
        printf("index %llu: %s%s\n", (unsigned long long) e.index,
            rc == 0 ? "already " : "", badge_reg_status_name(e.status));
    }
    if (rc == 1) {
        /* what makes the change public depends on who publishes the list */
        fprintf(stderr, "badgectl status: now publish it: nginx "
            "(badge_status_list) after `nginx -s reload`; Apache "
            "(badge-status) at once; a static file: badgectl status "
            "publish again\n");
    }
    return BADGECTL_OK;
}

static int
badgectl_status_list(const badgectl_status_args_t *o)
{
    const badge_reg_entry_t *e;
    badge_reg_status_t       want = BADGE_REG_ACTIVE;
    badge_registry_t        *r;
    badge_err_t              err;
    json_t                  *j;
    char                     when[32], *s;
    size_t                   i;

    if (o->status != NULL && badge_reg_status_parse(o->status, &want) != 0) {
        fprintf(stderr, "badgectl status: --status is active, revoked or "
            "suspended\n");
        return BADGECTL_USAGE;
    }
    r = badge_registry_load(o->registry, &err);
    if (r == NULL) {
        return badgectl_status_fail(&err);
    }
    for (i = 0; i < badge_registry_count(r); i++) {
        e = badge_registry_entry(r, i);
        if (o->status != NULL && e->status != want) {
            continue;
        }
        if (badge_issuer_format_time(e->updated, when, sizeof(when)) != 0) {
            strcpy(when, "?");
        }
        if (o->json) {
            j = json_pack("{s:I, s:s, s:s, s:s, s:s}", "index",
                (json_int_t) e->index, "id", e->id, "status",
                badge_reg_status_name(e->status), "updated", when,
                "reason", e->reason);
            s = j != NULL ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER)
                          : NULL;
            json_decref(j);
            if (s == NULL) {
                badge_registry_free(r);
                fprintf(stderr, "badgectl status: out of memory\n");
                return BADGECTL_USAGE;
            }
            printf("%s\n", s);
            free(s);
        } else {
            printf("%-8llu %-9s %s  %s%s%s\n", (unsigned long long) e->index,
                badge_reg_status_name(e->status), when, e->id,
                e->reason[0] != '\0' ? "  # " : "", e->reason);
        }
    }
    if (!o->json) {
        fprintf(stderr, "%zu of %llu entries used\n",
            badge_registry_count(r),
            (unsigned long long) badge_registry_size(r));
    }
    badge_registry_free(r);
    return BADGECTL_OK;
}

static int
badgectl_status_publish(const badgectl_status_args_t *o)
{
    badge_publish_opts_t  po;
    badge_registry_t     *r = NULL;
    badge_key_t          *k = NULL;
    badge_arena_t        *a = NULL;
    badge_err_t           err;
    const char           *text;
    size_t                len;
    int                   code = BADGECTL_USAGE;

    memset(&po, 0, sizeof(po));
    po.format = BADGE_PUBLISH_BITSTRING;
    po.purpose = BADGE_PURPOSE_REVOCATION;
    if (o->format != NULL
        && badge_publish_format_parse(o->format, &po.format) != 0)
    {
        fprintf(stderr, "badgectl status: --format is bitstring, 1edtech or "
            "ob2\n");
        return BADGECTL_USAGE;
    }
    if (o->purpose != NULL
        && badge_status_purpose_parse(o->purpose, &po.purpose) != 0)
    {
        fprintf(stderr, "badgectl status: --purpose is revocation or "
            "suspension\n");
        return BADGECTL_USAGE;
    }
    if (o->issuer == NULL || o->list_url == NULL) {
        fprintf(stderr, "badgectl status: publish needs --issuer and "
            "--list-url\n");
        return BADGECTL_USAGE;
    }
    if (o->validity != NULL
        && badgectl_parse_duration(o->validity, &po.validity) != 0)
    {
        fprintf(stderr, "badgectl status: --validity is a duration such as "
            "3600, 12h or 1d (at most a year)\n");
        return BADGECTL_USAGE;
    }
    if (po.format == BADGE_PUBLISH_BITSTRING && o->key == NULL
        && !o->unsigned_list)
    {
        fprintf(stderr, "badgectl status: a Bitstring Status List is signed: "
            "give --key FILE (or --unsigned for a test list)\n");
        return BADGECTL_USAGE;
    }
    po.list_url = o->list_url;
    po.issuer = o->issuer;
    po.verification_method = o->vm;
    if (o->key != NULL && po.format == BADGE_PUBLISH_BITSTRING
        && !o->unsigned_list)
    {
        k = badge_issuer_key_load(o->key, &err);
        if (k == NULL) {
            return badgectl_status_fail(&err);
        }
        po.key = k;
    }
    r = badge_registry_load(o->registry, &err);
    a = badge_arena_new(0);
    if (r == NULL || a == NULL) {
        if (a == NULL) {
            badge_err_set(&err, "out_of_memory", "out of memory");
        }
        code = badgectl_status_fail(&err);
        goto done;
    }
    text = badge_status_publish(a, r, &po, &len, &err);
    if (text == NULL) {
        code = badgectl_status_fail(&err);
        goto done;
    }
    if (badgectl_status_write(o->out, text, len) == 0) {
        code = BADGECTL_OK;
        if (po.format == BADGE_PUBLISH_BITSTRING && po.key == NULL) {
            fprintf(stderr, "badgectl status: warning: the list is NOT "
                "signed\n");
        }
    }

done:
    badge_arena_free(a);
    badge_registry_free(r);
    badge_key_free(k);
    return code;
}

int
badgectl_cmd_status(int argc, char **argv)
{
    badgectl_status_args_t  o;
    badge_reg_status_t      st;
    uint64_t                size = BADGE_REGISTRY_DEFAULT_SIZE;
    int                     i;

    memset(&o, 0, sizeof(o));
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        const char **dst = NULL;

        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            badgectl_status_usage(stdout);
            return BADGECTL_OK;
        } else if (strcmp(a, "--sequential") == 0) {
            o.sequential = 1;
        } else if (strcmp(a, "--force") == 0) {
            o.force = 1;
        } else if (strcmp(a, "--json") == 0) {
            o.json = 1;
        } else if (strcmp(a, "--unsigned") == 0) {
            o.unsigned_list = 1;
        } else if (strcmp(a, "--registry") == 0) {
            dst = &o.registry;
        } else if (strcmp(a, "--id") == 0) {
            dst = &o.id;
        } else if (strcmp(a, "--index") == 0) {
            dst = &o.index_s;
        } else if (strcmp(a, "--reason") == 0) {
            dst = &o.reason;
        } else if (strcmp(a, "--list-url") == 0) {
            dst = &o.list_url;
        } else if (strcmp(a, "--suspension-url") == 0) {
            dst = &o.susp_url;
        } else if (strcmp(a, "--format") == 0) {
            dst = &o.format;
        } else if (strcmp(a, "--purpose") == 0) {
            dst = &o.purpose;
        } else if (strcmp(a, "--status") == 0) {
            dst = &o.status;
        } else if (strcmp(a, "--key") == 0) {
            dst = &o.key;
        } else if (strcmp(a, "--issuer") == 0) {
            dst = &o.issuer;
        } else if (strcmp(a, "--vm") == 0) {
            dst = &o.vm;
        } else if (strcmp(a, "--out") == 0) {
            dst = &o.out;
        } else if (strcmp(a, "--validity") == 0) {
            dst = &o.validity;
        } else if (strcmp(a, "--size") == 0) {
            dst = &o.size;
        } else if (a[0] != '-' && o.sub == NULL) {
            o.sub = a;
        } else {
            fprintf(stderr, "badgectl status: unknown option or extra "
                "argument '%s'\n", a);
            badgectl_status_usage(stderr);
            return BADGECTL_USAGE;
        }
        if (dst != NULL) {
            if (v == NULL) {
                fprintf(stderr, "badgectl status: %s needs a value\n", a);
                return BADGECTL_USAGE;
            }
            *dst = v;
            i++;
        }
    }
    if (o.sub == NULL || o.registry == NULL) {
        fprintf(stderr, "badgectl status: %s\n", o.registry == NULL
                ? "--registry FILE is required" : "which command?");
        badgectl_status_usage(stderr);
        return BADGECTL_USAGE;
    }
    if (o.size != NULL && badgectl_parse_u64(o.size, &size) != 0) {
        fprintf(stderr, "badgectl status: bad --size %s\n", o.size);
        return BADGECTL_USAGE;
    }
    if (strcmp(o.sub, "init") == 0) {
        return badgectl_status_init(&o, size);
    }
    if (strcmp(o.sub, "allocate") == 0) {
        return badgectl_status_allocate(&o, size);
    }
    if (strcmp(o.sub, "revoke") == 0 || strcmp(o.sub, "suspend") == 0
        || strcmp(o.sub, "reinstate") == 0)
    {
        st = strcmp(o.sub, "revoke") == 0    ? BADGE_REG_REVOKED
             : strcmp(o.sub, "suspend") == 0 ? BADGE_REG_SUSPENDED
                                             : BADGE_REG_ACTIVE;
        return badgectl_status_change(&o, st);
    }
    if (strcmp(o.sub, "list") == 0) {
        return badgectl_status_list(&o);
    }
    if (strcmp(o.sub, "publish") == 0) {
        return badgectl_status_publish(&o);
    }
    fprintf(stderr, "badgectl status: unknown command '%s'\n", o.sub);
    badgectl_status_usage(stderr);
    return BADGECTL_USAGE;
}
