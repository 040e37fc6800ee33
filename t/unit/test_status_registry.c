/*
 * Unit tests of status_registry.c: index allocation (sequential, random
 * within the list, a full list, duplicates), status changes (revocation
 * is permanent unless forced), the text format (escapes, UTF-8, comments,
 * CRLF, every parse error), files (created on first use, mode kept, no
 * temporary left behind), concurrent allocation from forked processes,
 * and the watcher servers use.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "status_registry.h"

#define HDR  "# badge-status-registry v1 size=64\n"

static void
test_sequential_and_size(void **state)
{
    static const uint64_t bad[] = { 0, 7, 12, 4, ((uint64_t) 1 << 26) + 8 };
    badge_registry_t *r;
    badge_err_t       err;
    uint64_t          idx;
    char              id[32];
    size_t            i;

    (void) state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_null(badge_registry_new(bad[i], &err));
        assert_string_equal(err.code, "registry_invalid");
    }
    r = badge_registry_new(16, &err);
    assert_non_null(r);
    for (i = 0; i < 16; i++) {
        snprintf(id, sizeof(id), "urn:x:%zu", i);
        assert_int_equal(badge_registry_add(r, id, 1, 100, &idx, &err), 0);
        assert_int_equal(idx, i);
    }
    assert_int_equal(badge_registry_add(r, "urn:x:more", 1, 100, &idx,
                                        &err), -1);
    assert_string_equal(err.code, "registry_full");
    assert_int_equal(badge_registry_count(r), 16);
    assert_int_equal(badge_registry_size(r), 16);
    assert_string_equal(badge_registry_find_index(r, 5)->id, "urn:x:5");
    assert_int_equal(badge_registry_find_id(r, "urn:x:9")->index, 9);
    assert_null(badge_registry_find_id(r, "urn:x:99"));
    assert_null(badge_registry_find_index(r, 99));
    badge_registry_free(r);
}

static void
test_random(void **state)
{
    badge_registry_t *r;
    badge_err_t       err;
    uint64_t          idx, max = 0;
    unsigned char     seen[8];
    char              id[32];
    size_t            i;

    (void) state;
    r = badge_registry_new(131072, &err);
    assert_non_null(r);
    for (i = 0; i < 2000; i++) {
        snprintf(id, sizeof(id), "urn:uuid:%zu", i);
        assert_int_equal(badge_registry_add(r, id, 0, 100, &idx, &err), 0);
        assert_true(idx < 131072);
        max = idx > max ? idx : max;
    }
    /* spread over the list, not packed at its start (p of failing by
     * chance: 2^-2000) */
    assert_true(max >= 65536);
    for (i = 0; i < 2000; i++) {
        snprintf(id, sizeof(id), "urn:uuid:%zu", i);
        assert_non_null(badge_registry_find_id(r, id));
    }
    badge_registry_free(r);

    /* a list of 8: every index exactly once, then full (the last draws
     * go through the free-index walk) */
    r = badge_registry_new(8, &err);
    memset(seen, 0, sizeof(seen));
    for (i = 0; i < 8; i++) {
        snprintf(id, sizeof(id), "urn:uuid:%zu", i);
        assert_int_equal(badge_registry_add(r, id, 0, 100, &idx, &err), 0);
        assert_true(idx < 8);
        assert_int_equal(seen[idx], 0);
        seen[idx] = 1;
    }
    assert_int_equal(badge_registry_add(r, "one more", 0, 100, &idx, &err),
                     -1);
    assert_string_equal(err.code, "registry_full");
    badge_registry_free(r);
}

static void
test_ids(void **state)
{
    badge_registry_t *r = badge_registry_new(64, NULL);
    badge_err_t       err;
    uint64_t          idx, first;
    char              big[BADGE_REGISTRY_MAX_ID + 2];

    (void) state;
    assert_int_equal(badge_registry_add(r, "https://x.jp/a/1", 0, 1, &first,
                                        &err), 0);
    assert_int_equal(badge_registry_add(r, "https://x.jp/a/1", 0, 1, &idx,
                                        &err), -1);
    assert_string_equal(err.code, "registry_duplicate_id");
    assert_non_null(strstr(err.message, "index"));
    assert_int_equal(badge_registry_add(r, "", 0, 1, &idx, &err), -1);
    assert_int_equal(badge_registry_add(r, "a\tb", 0, 1, &idx, &err), -1);
    assert_int_equal(badge_registry_add(r, "a\nb", 0, 1, &idx, &err), -1);
    assert_int_equal(badge_registry_add(r, "\xc3\x28", 0, 1, &idx, &err),
                     -1);
    assert_int_equal(badge_registry_add(r, "\xed\xa0\x80", 0, 1, &idx,
                                        &err), -1);   /* a surrogate */
    assert_int_equal(badge_registry_add(r, "\xc0\xaf", 0, 1, &idx, &err),
                     -1);                            /* overlong */
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(badge_registry_add(r, big, 0, 1, &idx, &err), -1);
    assert_string_equal(err.code, "registry_invalid");
    assert_int_equal(badge_registry_add(r, "urn:講座:1", 0, 1, &idx, &err),
                     0);
    assert_int_equal(badge_registry_count(r), 2);
    badge_registry_free(r);
}

static void
test_status_changes(void **state)
{
    badge_registry_t        *r = badge_registry_new(64, NULL);
    const badge_reg_entry_t *e;
    badge_err_t              err;
    uint64_t                 idx;

    (void) state;
    assert_int_equal(badge_registry_add(r, "c1", 1, 10, &idx, &err), 0);
    e = badge_registry_find_id(r, "c1");
    assert_int_equal(e->status, BADGE_REG_ACTIVE);
    assert_int_equal(e->updated, 10);

    /* suspend, again (no change), reinstate */
    assert_int_equal(badge_registry_set_status(r, "c1", 0,
                         BADGE_REG_SUSPENDED, "inquiry", 0, 20, &err), 1);
    assert_int_equal(e->status, BADGE_REG_SUSPENDED);
    assert_string_equal(e->reason, "inquiry");
    assert_int_equal(e->updated, 20);
    assert_int_equal(badge_registry_set_status(r, "c1", 0,
                         BADGE_REG_SUSPENDED, NULL, 0, 25, &err), 0);
    assert_int_equal(e->updated, 20);
    assert_string_equal(e->reason, "inquiry");
    assert_int_equal(badge_registry_set_status(r, NULL, idx,
                         BADGE_REG_ACTIVE, NULL, 0, 30, &err), 1);
    assert_string_equal(e->reason, "");

    /* revoke; a new reason on a revoked entry is a change */
    assert_int_equal(badge_registry_set_status(r, "c1", 0, BADGE_REG_REVOKED,
                         "cheating\tin\nexam", 0, 40, &err), 1);
    assert_int_equal(badge_registry_set_status(r, "c1", 0, BADGE_REG_REVOKED,
                         NULL, 0, 45, &err), 0);
    assert_int_equal(badge_registry_set_status(r, "c1", 0, BADGE_REG_REVOKED,
                         "plagiarism", 0, 50, &err), 1);
    assert_string_equal(e->reason, "plagiarism");

    /* revocation is permanent */
    assert_int_equal(badge_registry_set_status(r, "c1", 0,
                         BADGE_REG_SUSPENDED, NULL, 0, 60, &err), -1);
    assert_string_equal(err.code, "registry_revoked");
    assert_int_equal(badge_registry_set_status(r, "c1", 0, BADGE_REG_ACTIVE,
                         NULL, 0, 60, &err), -1);
    assert_int_equal(e->status, BADGE_REG_REVOKED);
    /* ... unless forced (a clerical error) */
    assert_int_equal(badge_registry_set_status(r, "c1", 0, BADGE_REG_ACTIVE,
                         NULL, 1, 70, &err), 1);
    assert_int_equal(e->status, BADGE_REG_ACTIVE);

    assert_int_equal(badge_registry_set_status(r, "nope", 0,
                         BADGE_REG_REVOKED, NULL, 0, 1, &err), -1);
    assert_string_equal(err.code, "registry_not_found");
    assert_int_equal(badge_registry_set_status(r, NULL, 63,
                         BADGE_REG_REVOKED, NULL, 0, 1, &err), -1);
    assert_string_equal(err.code, "registry_not_found");
    assert_int_equal(badge_registry_set_status(r, "c1", 0, BADGE_REG_REVOKED,
                         "bad\x01", 0, 1, &err), -1);
    assert_string_equal(err.code, "registry_invalid");
    badge_registry_free(r);
}

static void
test_format_round_trip(void **state)
{
    badge_registry_t        *r = badge_registry_new(64, NULL), *r2;
    const badge_reg_entry_t *e, *e2;
    badge_err_t              err;
    uint64_t                 idx;
    char                    *text, *text2;
    size_t                   len, len2, i;

    (void) state;
    assert_int_equal(badge_registry_add(r, "urn:a", 0, 1750000000, &idx,
                                        &err), 0);
    assert_int_equal(badge_registry_add(r, "https://x.jp/b\\c", 0,
                                        1750000001, &idx, &err), 0);
    assert_int_equal(badge_registry_add(r, "urn:講座", 0, 1750000002, &idx,
                                        &err), 0);
    assert_int_equal(badge_registry_set_status(r, "https://x.jp/b\\c", 0,
                         BADGE_REG_REVOKED, "tab\there\nline\r\\end 手違い",
                         0, 1750000003, &err), 1);
    assert_int_equal(badge_registry_set_status(r, "urn:講座", 0,
                         BADGE_REG_SUSPENDED, NULL, 0, 1750000004, &err), 1);
    text = badge_registry_format(r, &len);
    assert_non_null(text);
    assert_int_equal(strlen(text), len);
    assert_true(strncmp(text, "# badge-status-registry v1 size=64\n", 35)
                == 0);
    /* one line per entry, escapes on the line */
    assert_non_null(strstr(text, "\trevoked\t2025-06-15T15:06:43Z\t"
                                 "tab\\there\\nline\\r\\\\end 手違い\n"));
    assert_non_null(strstr(text, "https://x.jp/b\\\\c\t"));
    r2 = badge_registry_parse(text, len, &err);
    assert_non_null(r2);
    assert_int_equal(badge_registry_count(r2), 3);
    for (i = 0; i < 3; i++) {
        e = badge_registry_entry(r, i);
        e2 = badge_registry_entry(r2, i);
        assert_int_equal(e->index, e2->index);
        assert_string_equal(e->id, e2->id);
        assert_int_equal(e->status, e2->status);
        assert_int_equal(e->updated, e2->updated);
        assert_string_equal(e->reason, e2->reason);
    }
    text2 = badge_registry_format(r2, &len2);
    assert_int_equal(len, len2);
    assert_memory_equal(text, text2, len);
    free(text);
    free(text2);
    badge_registry_free(r);
    badge_registry_free(r2);
}

static void
test_parse(void **state)
{
    static const char *good =
        HDR
        "# a comment\n"
        "\n"
        "3\turn:a\tactive\t2025-06-15T15:06:40Z\t\n"
        "4\turn:b\trevoked\t2025-06-15T15:06:40Z\r\n"      /* CRLF, 4 f. */
        "63\turn:c\tsuspended\t2025-06-15T15:06:40Z\twhy\n"
        "0\turn:d\tactive\t2025-06-15T15:06:40Z\t";        /* no newline */
    static const struct {
        const char *text;
        const char *in;
    } bad[] = {
        { "", "header" },
        { "3\turn:a\tactive\t2025-06-15T15:06:40Z\t\n", "line 1" },
        { "# badge-status-registry v2 size=64\n", "line 1" },
        { "# badge-status-registry v1 size=63\n", "multiple of 8" },
        { "# badge-status-registry v1 size=x\n", "line 1" },
        { HDR "3\turn:a\tactive\n", "line 2" },
        { HDR "3\turn:a\tactive\t2025-06-15T15:06:40Z\tr\textra\n",
          "line 2" },
        { HDR "64\turn:a\tactive\t2025-06-15T15:06:40Z\t\n", "index" },
        { HDR "-1\turn:a\tactive\t2025-06-15T15:06:40Z\t\n", "index" },
        { HDR "03\turn:a\tactive\t2025-06-15T15:06:40Z\t\n", "index" },
        { HDR "3\turn:a\tgone\t2025-06-15T15:06:40Z\t\n", "status" },
        { HDR "3\turn:a\tactive\tyesterday\t\n", "date" },
        { HDR "3\turn:a\\x\tactive\t2025-06-15T15:06:40Z\t\n", "escape" },
        { HDR "3\t\tactive\t2025-06-15T15:06:40Z\t\n", "empty" },
        { HDR "3\turn:\xff\tactive\t2025-06-15T15:06:40Z\t\n", "UTF-8" },
        { HDR "3\turn:a\tactive\t2025-06-15T15:06:40Z\t\x01\n", "control" },
        { HDR "3\turn:a\tactive\t2025-06-15T15:06:40Z\t\n"
              "3\turn:b\tactive\t2025-06-15T15:06:40Z\t\n", "twice" },
        { HDR "3\turn:a\tactive\t2025-06-15T15:06:40Z\t\n"
              "5\turn:a\tactive\t2025-06-15T15:06:40Z\t\n", "twice" },
    };
    badge_registry_t *r;
    badge_err_t       err;
    size_t            i;

    (void) state;
    r = badge_registry_parse(good, strlen(good), &err);
    assert_non_null(r);
    assert_int_equal(badge_registry_count(r), 4);
    assert_int_equal(badge_registry_find_id(r, "urn:b")->status,
                     BADGE_REG_REVOKED);
    assert_string_equal(badge_registry_find_id(r, "urn:b")->reason, "");
    assert_string_equal(badge_registry_find_id(r, "urn:c")->reason, "why");
    assert_int_equal(badge_registry_find_id(r, "urn:d")->index, 0);
    badge_registry_free(r);

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        badge_err_clear(&err);
        r = badge_registry_parse(bad[i].text, strlen(bad[i].text), &err);
        if (r != NULL) {
            fail_msg("parsed bad registry #%zu", i);
        }
        if (strstr(err.message, bad[i].in) == NULL) {
            fail_msg("#%zu: \"%s\" does not mention \"%s\"", i, err.message,
                     bad[i].in);
        }
    }
    assert_null(badge_registry_parse(HDR "\0", sizeof(HDR), &err));
}

/* ------------------------------------------------------------------ */
/* Files                                                                */

static char dir[64];

static char *
path_in(const char *name)
{
    static char p[512];

    snprintf(p, sizeof(p), "%s/%s", dir, name);
    return p;
}

static int
setup_dir(void **state)
{
    (void) state;
    strcpy(dir, "/tmp/badge-registry-XXXXXX");
    return mkdtemp(dir) != NULL ? 0 : -1;
}

static int
teardown_dir(void **state)
{
    DIR           *d = opendir(dir);
    struct dirent *e;

    (void) state;
    while (d != NULL && (e = readdir(d)) != NULL) {
        if (e->d_name[0] != '.') {
            unlink(path_in(e->d_name));
        }
    }
    if (d != NULL) {
        closedir(d);
    }
    return rmdir(dir);
}

/* Files in dir other than reg and its lock file (temporaries left?). */
static int
stray_files(void)
{
    DIR           *d = opendir(dir);
    struct dirent *e;
    int            n = 0;

    while ((e = readdir(d)) != NULL) {
        if (strstr(e->d_name, ".tmp.") != NULL) {
            n++;
        }
    }
    closedir(d);
    return n;
}

static void
test_files(void **state)
{
    const char        *reg = "reg.tsv";
    char               p[512];
    badge_registry_t  *r;
    badge_reg_entry_t  e;
    badge_err_t        err;
    struct stat        st;
    uint64_t           i1, i2;

    (void) state;
    snprintf(p, sizeof(p), "%s", path_in(reg));
    /* changing a missing registry is an error; allocating creates it */
    assert_int_equal(badge_registry_change(p, "x", 0, BADGE_REG_REVOKED,
                                           NULL, 0, 0, NULL, &err), -1);
    assert_string_equal(err.code, "registry_missing");
    assert_null(badge_registry_load(p, &err));
    assert_string_equal(err.code, "registry_missing");
    assert_int_equal(badge_registry_allocate(p, "urn:1", 0, 256, 0, &i1,
                                             &err), 0);
    assert_int_equal(badge_registry_allocate(p, "urn:2", 0, 0, 0, &i2,
                                             &err), 0);
    assert_int_equal(badge_registry_allocate(p, "urn:2", 0, 0, 0, &i2,
                                             &err), -1);
    assert_string_equal(err.code, "registry_duplicate_id");
    r = badge_registry_load(p, &err);
    assert_non_null(r);
    assert_int_equal(badge_registry_size(r), 256);   /* the size it got */
    assert_int_equal(badge_registry_count(r), 2);
    assert_int_equal(badge_registry_find_id(r, "urn:1")->index, i1);
    badge_registry_free(r);

    /* the mode an admin set survives rewrites (the web server reads it) */
    assert_int_equal(chmod(p, 0640), 0);
    assert_int_equal(badge_registry_change(p, "urn:2", 0, BADGE_REG_REVOKED,
                         "error", 0, 1750000000, &e, &err), 1);
    assert_int_equal(e.index, i2);
    assert_int_equal(e.status, BADGE_REG_REVOKED);
    assert_int_equal(badge_registry_change(p, NULL, i2, BADGE_REG_REVOKED,
                         NULL, 0, 0, &e, &err), 0);
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0640);
    assert_int_equal(badge_registry_change(p, "urn:2", 0,
                         BADGE_REG_SUSPENDED, NULL, 0, 0, NULL, &err), -1);
    assert_string_equal(err.code, "registry_revoked");
    assert_int_equal(stray_files(), 0);
    r = badge_registry_load(p, &err);
    assert_string_equal(badge_registry_find_id(r, "urn:2")->reason, "error");
    badge_registry_free(r);

    /* a corrupt file is never overwritten */
    {
        FILE *f = fopen(p, "a");

        fputs("garbage line\n", f);
        fclose(f);
    }
    assert_int_equal(badge_registry_allocate(p, "urn:3", 0, 0, 0, &i1,
                                             &err), -1);
    assert_string_equal(err.code, "registry_invalid");
    assert_non_null(strstr(err.message, "reg.tsv"));
    assert_non_null(strstr(err.message, "line 5"));
}

#define CHILDREN   4
#define PER_CHILD  40

/* Processes allocating at once: every id gets its own index and the file
 * stays whole (the flock serializes the read-modify-write). */
static void
test_concurrent(void **state)
{
    char              p[512], id[64];
    badge_registry_t *r;
    badge_err_t       err;
    pid_t             pids[CHILDREN];
    uint64_t          idx;
    int               c, k, status;

    (void) state;
    snprintf(p, sizeof(p), "%s", path_in("concurrent.tsv"));
    for (c = 0; c < CHILDREN; c++) {
        pids[c] = fork();
        assert_true(pids[c] >= 0);
        if (pids[c] == 0) {
            for (k = 0; k < PER_CHILD; k++) {
                snprintf(id, sizeof(id), "urn:child:%d:%d", c, k);
                if (badge_registry_allocate(p, id, c % 2, 4096, 0, &idx,
                                            &err) != 0)
                {
                    fprintf(stderr, "child %d: %s\n", c, err.message);
                    _exit(1);
                }
            }
            _exit(0);
        }
    }
    for (c = 0; c < CHILDREN; c++) {
        assert_int_equal(waitpid(pids[c], &status, 0), pids[c]);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
    }
    /* the parser refuses duplicate indexes and ids, so a load that works
     * proves there are none */
    r = badge_registry_load(p, &err);
    assert_non_null(r);
    assert_int_equal(badge_registry_count(r), CHILDREN * PER_CHILD);
    for (c = 0; c < CHILDREN; c++) {
        for (k = 0; k < PER_CHILD; k++) {
            snprintf(id, sizeof(id), "urn:child:%d:%d", c, k);
            assert_non_null(badge_registry_find_id(r, id));
        }
    }
    badge_registry_free(r);
    assert_int_equal(stray_files(), 0);
}

static void
test_watch(void **state)
{
    char                    p[512];
    badge_registry_watch_t *w;
    badge_registry_t       *r1, *r2;
    badge_err_t             err;
    unsigned long           g1, g2;
    uint64_t                idx;
    time_t                  now = time(NULL), mtime;
    FILE                   *f;

    (void) state;
    snprintf(p, sizeof(p), "%s", path_in("watch.tsv"));
    assert_null(badge_registry_watch_new(p, 1, &err));
    assert_string_equal(err.code, "registry_missing");
    assert_int_equal(badge_registry_allocate(p, "urn:w1", 0, 64, 0, &idx,
                                             &err), 0);
    w = badge_registry_watch_new(p, 1, &err);
    assert_non_null(w);
    r1 = badge_registry_watch_get(w, now, &g1, &mtime, &err);
    assert_null(err.code);
    assert_true(mtime > 0);
    assert_int_equal(badge_registry_count(r1), 1);

    assert_int_equal(badge_registry_change(p, "urn:w1", 0,
                         BADGE_REG_REVOKED, NULL, 0, 0, NULL, &err), 1);
    /* within the recheck interval: the same snapshot */
    r2 = badge_registry_watch_get(w, now, &g2, NULL, &err);
    assert_ptr_equal(r1, r2);
    assert_int_equal(g1, g2);
    badge_registry_release(r2);
    /* after it: the new file (r1 stays valid for its holder) */
    r2 = badge_registry_watch_get(w, now + 2, &g2, NULL, &err);
    assert_true(g2 > g1);
    assert_int_equal(badge_registry_find_id(r2, "urn:w1")->status,
                     BADGE_REG_REVOKED);
    assert_int_equal(badge_registry_find_id(r1, "urn:w1")->status,
                     BADGE_REG_ACTIVE);
    badge_registry_release(r1);
    badge_registry_release(r2);

    /* a half-edited file: keep serving the last good one, say why */
    f = fopen(p, "a");
    fputs("oops\n", f);
    fclose(f);
    r1 = badge_registry_watch_get(w, now + 4, &g1, NULL, &err);
    assert_non_null(err.code);
    assert_int_equal(g1, g2);
    assert_int_equal(badge_registry_find_id(r1, "urn:w1")->status,
                     BADGE_REG_REVOKED);
    badge_registry_release(r1);
    badge_registry_watch_free(w);

    /* recheck -1: never re-read */
    w = badge_registry_watch_new(p, -1, &err);
    assert_null(w);     /* the file is corrupt now */
    assert_string_equal(err.code, "registry_invalid");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sequential_and_size),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_ids),
        cmocka_unit_test(test_status_changes),
        cmocka_unit_test(test_format_round_trip),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_concurrent),
        cmocka_unit_test(test_watch),
    };

    return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
