/*
 * conf_rdf_canon.c: runs the W3C RDF Dataset Canonicalization (RDFC-1.0)
 * test suite from t/vectors/rdf-canon/manifest.jsonld.  Run from the repo
 * root.  Every entry is run:
 *   RDFC10EvalTest          canonical N-Quads must equal the .nq file
 *   RDFC10MapTest           issued identifiers map must equal the .json
 *   RDFC10NegativeEvalTest  must fail (rdfc_too_complex), and quickly
 * hashAlgorithm "SHA384" selects SHA-384.  Last line:
 *   rdf-canon: P passed, F failed (of N)
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "error.h"
#include "nquads.h"
#include "rdfc.h"

#define DIR              "t/vectors/rdf-canon/"
#define NEGATIVE_MAX_MS  1000.0     /* CPU time; ~50 ms at -O2 here */

static char *
read_all(const char *path, size_t *len)
{
    FILE   *f = fopen(path, "rb");
    char   *buf;
    long    n;

    if (f == NULL) {
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0
        || fseek(f, 0, SEEK_SET) != 0)
    {
        fclose(f);
        return NULL;
    }
    buf = malloc((size_t) n + 1);
    if (buf == NULL || fread(buf, 1, (size_t) n, f) != (size_t) n) {
        free(buf);
        fclose(f);
        return NULL;
    }
    buf[n] = '\0';
    fclose(f);
    *len = (size_t) n;
    return buf;
}


static double
now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);   /* CPU: not load */
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}


/* 1 if the entry passed; otherwise 0 with the reason in msg */
static int
run_one(json_t *e, char *msg, size_t msglen)
{
    const char        *type = json_string_value(json_object_get(e, "type"));
    const char        *action = json_string_value(json_object_get(e, "action"));
    const char        *result = json_string_value(json_object_get(e, "result"));
    const char        *alg = json_string_value(json_object_get(e, "hashAlgorithm"));
    char               path[512];
    char              *in = NULL, *expect = NULL;
    size_t             in_len, expect_len;
    badge_arena_t     *a;
    badge_quads_t      q;
    badge_err_t        err;
    badge_rdfc_opts_t  opts;
    badge_rdfc_result_t res;
    int                ok = 0, rc;
    double             t0, ms;

    if (type == NULL || action == NULL) {
        snprintf(msg, msglen, "malformed manifest entry");
        return 0;
    }
    snprintf(path, sizeof(path), DIR "%s", action);
    in = read_all(path, &in_len);
    if (in == NULL) {
        snprintf(msg, msglen, "cannot read %s", path);
        return 0;
    }
    a = badge_arena_new(0);
    if (a == NULL) {
        free(in);
        snprintf(msg, msglen, "out of memory");
        return 0;
    }
    badge_err_clear(&err);
    badge_quads_init(&q, a, 0);
    if (badge_nquads_parse(a, in, in_len, &q, &err) != 0) {
        snprintf(msg, msglen, "parse error: %s", err.message);
        goto done;
    }
    memset(&opts, 0, sizeof(opts));
    opts.hash = alg != NULL ? alg : "sha256";
    opts.want_map = 1;

    t0 = now_ms();
    rc = badge_rdfc_canonicalize_ex(a, &q, &opts, &res, &err);
    ms = now_ms() - t0;

    if (strcmp(type, "rdfc:RDFC10NegativeEvalTest") == 0) {
        if (rc == 0) {
            snprintf(msg, msglen, "expected an error, got a result");
        } else if (err.code == NULL || strcmp(err.code, "rdfc_too_complex") != 0) {
            snprintf(msg, msglen, "expected rdfc_too_complex, got %s: %s",
                     err.code ? err.code : "(none)", err.message);
        } else if (ms > NEGATIVE_MAX_MS) {
            snprintf(msg, msglen, "error took %.1f ms (bound %.0f ms)", ms,
                     NEGATIVE_MAX_MS);
        } else {
            printf("ok   %s: rdfc_too_complex after %.1f ms CPU\n",
                   json_string_value(json_object_get(e, "id")), ms);
            ok = 1;
        }
        goto done;
    }

    if (rc != 0) {
        snprintf(msg, msglen, "canonicalize failed: %s: %s",
                 err.code ? err.code : "?", err.message);
        goto done;
    }
    if (result == NULL) {
        snprintf(msg, msglen, "no result file in manifest");
        goto done;
    }
    snprintf(path, sizeof(path), DIR "%s", result);
    expect = read_all(path, &expect_len);
    if (expect == NULL) {
        snprintf(msg, msglen, "cannot read %s", path);
        goto done;
    }

    if (strcmp(type, "rdfc:RDFC10EvalTest") == 0) {
        if (res.len != expect_len || memcmp(res.nquads, expect, res.len) != 0) {
            snprintf(msg, msglen, "output differs from %s:\n--- got\n%s--- expected\n%s",
                     result, res.nquads, expect);
        } else {
            ok = 1;
        }

    } else if (strcmp(type, "rdfc:RDFC10MapTest") == 0) {
        json_error_t  jerr;
        json_t       *want = json_loadb(expect, expect_len, 0, &jerr);
        json_t       *got = json_object();
        size_t        i;
        char         *dump;

        for (i = 0; i < res.map_n; i++) {
            json_object_set_new(got, res.map[i].from,
                                json_string(res.map[i].to));
        }
        if (want == NULL) {
            snprintf(msg, msglen, "bad JSON in %s: %s", result, jerr.text);
        } else if (!json_equal(want, got)) {
            dump = json_dumps(got, JSON_SORT_KEYS | JSON_COMPACT);
            snprintf(msg, msglen, "map differs from %s: got %s", result,
                     dump ? dump : "?");
            free(dump);
        } else {
            ok = 1;
        }
        json_decref(want);
        json_decref(got);

    } else {
        snprintf(msg, msglen, "unknown test type %s", type);
    }

done:
    free(in);
    free(expect);
    badge_arena_free(a);
    return ok;
}


int
main(void)
{
    json_error_t  jerr;
    json_t       *manifest, *entries, *e;
    size_t        i, passed = 0, failed = 0;
    char          msg[8192];

    manifest = json_load_file(DIR "manifest.jsonld", 0, &jerr);
    if (manifest == NULL) {
        fprintf(stderr, "cannot load " DIR "manifest.jsonld: %s\n", jerr.text);
        printf("rdf-canon: 0 passed, 1 failed (of 1)\n");
        return 1;
    }
    entries = json_object_get(manifest, "entries");
    json_array_foreach(entries, i, e) {
        msg[0] = '\0';
        if (run_one(e, msg, sizeof(msg))) {
            passed++;
        } else {
            failed++;
            printf("FAIL %s (%s): %s\n",
                   json_string_value(json_object_get(e, "id")),
                   json_string_value(json_object_get(e, "name")), msg);
        }
    }
    json_decref(manifest);
    printf("rdf-canon: %zu passed, %zu failed (of %zu)\n", passed, failed,
           passed + failed);
    return failed == 0 && passed > 0 ? 0 : 1;
}
