/*
 * cmd_canonicalize.c: badgectl canonicalize, the RDFC-1.0 canonical N-Quads
 * of a JSON-LD document (or of N-Quads input with --nquads).
 *
 *   badgectl canonicalize [--nquads] [--base IRI] [--hash sha256|sha384]
 *       [--print-hash | --map] [--offline] [--doc URL=FILE]
 *       [--docs PREFIX=DIR] FILE|-
 *
 * --hash picks the hash RDFC-1.0 uses for blank node labelling (and for
 * --print-hash); the output is still the canonical N-Quads.  --print-hash
 * prints only the hex digest of the canonical N-Quads, as Data Integrity
 * suites hash them.  --map prints the issued identifiers map (input blank
 * node label -> c14nN) as JSON.  Contexts come from the bundled store or the
 * document map; this command never fetches, so --offline changes nothing
 * and is accepted for symmetry with verify.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "arena.h"
#include "cli.h"
#include "error.h"
#include "json.h"
#include "jsonld.h"
#include "nquads.h"
#include "rdfc.h"

#define CANON_INPUT_LIMIT   (16 * 1024 * 1024)
#define CANON_ARENA_LIMIT   ((size_t) 512 * 1024 * 1024)
#define CANON_MAX_QUADS     1000000

typedef struct {
    badgectl_docmap_t *map;
    badge_arena_t     *arena;
} badgectl_canon_loader_t;


static void
badgectl_canon_usage(FILE *f)
{
    fprintf(f,
        "usage: badgectl canonicalize [--nquads] [--base IRI] "
        "[--hash sha256|sha384]\n"
        "                             [--print-hash | --map] [--offline] "
        "[--doc URL=FILE]\n"
        "                             [--docs PREFIX=DIR] FILE|-\n"
        "\n"
        "Prints the RDFC-1.0 canonical N-Quads of a JSON-LD document, or of "
        "N-Quads\ninput with --nquads.\n"
        "  --base IRI       base IRI for relative references in the document\n"
        "  --hash ALG       hash used by RDFC-1.0: sha256 (default) or "
        "sha384\n"
        "  --print-hash     print only the hex digest (ALG) of the canonical "
        "N-Quads\n"
        "  --map            print the issued identifiers map as JSON\n"
        "  --doc URL=FILE   read the context at URL from FILE (repeatable)\n"
        "  --docs PREFIX=DIR  read URLs starting with PREFIX from DIR\n"
        "  --offline        accepted; canonicalize never fetches anyway\n"
        "Remote contexts must be bundled or supplied with --doc/--docs.\n");
}


/* badge_jsonld_load_fn over the command line's document map.  The body is
 * copied into the arena so that it outlives the call, as jsonld.h asks. */
static int
badgectl_canon_load(void *udata, const char *url, const char **body,
    size_t *len, badge_err_t *err)
{
    badgectl_canon_loader_t *l = udata;
    unsigned char           *b = NULL;
    size_t                   n = 0;
    char                    *copy;
    int                      rc;

    rc = badgectl_docmap_lookup(l->map, url, &b, &n);
    if (rc == 0) {
        badge_err_set(err, "jsonld_context_not_bundled",
                      "context %s is not bundled; supply it with "
                      "--doc URL=FILE", url);
        return -1;
    }
    if (rc < 0) {
        badge_err_set(err, "document_unreadable",
                      "cannot read the file mapped for %s", url);
        return -1;
    }
    copy = badge_arena_strndup(l->arena, (const char *) b, n);
    free(b);
    if (copy == NULL) {
        badge_err_set(err, "out_of_memory", "out of memory loading %s", url);
        return -1;
    }
    *body = copy;
    *len = n;
    return 0;
}


static int
badgectl_canon_fail(const char *what, const badge_err_t *err)
{
    if (err != NULL && err->code != NULL) {
        fprintf(stderr, "badgectl canonicalize: %s: %s (%s)\n", what,
                err->message, err->code);
    } else {
        fprintf(stderr, "badgectl canonicalize: %s\n", what);
    }
    return BADGECTL_USAGE;
}


static int
badgectl_canon_print_map(const badge_rdfc_result_t *res)
{
    json_t *m = json_object();
    char   *s;
    size_t  i;

    if (m == NULL) {
        return -1;
    }
    for (i = 0; i < res->map_n; i++) {
        if (json_object_set_new(m, res->map[i].from,
                                json_string(res->map[i].to)) != 0)
        {
            json_decref(m);
            return -1;
        }
    }
    /* insertion order (c14n0 first) is kept by jansson */
    s = json_dumps(m, JSON_INDENT(2));
    json_decref(m);
    if (s == NULL) {
        return -1;
    }
    fputs(s, stdout);
    fputc('\n', stdout);
    free(s);
    return 0;
}


int
badgectl_cmd_canonicalize(int argc, char **argv)
{
    badgectl_docmap_t       *map;
    badgectl_canon_loader_t  loader;
    badge_arena_t           *a = NULL;
    badge_err_t              err;
    badge_quads_t            quads;
    badge_rdfc_opts_t        ropts;
    badge_rdfc_result_t      res;
    badge_jsonld_opts_t      jopts;
    json_t                  *doc = NULL;
    unsigned char           *body = NULL;
    size_t                   len = 0;
    const char              *file = NULL, *base = NULL, *hash = "sha256";
    const char              *arg, *val;
    char                     hex[2 * 48 + 1];
    int                      i, r, nquads = 0, print_hash = 0, print_map = 0;
    int                      rc = BADGECTL_USAGE;

    map = badgectl_docmap_new();
    if (map == NULL) {
        fprintf(stderr, "badgectl canonicalize: out of memory\n");
        return BADGECTL_USAGE;
    }
    badge_err_clear(&err);

    for (i = 1; i < argc; i++) {
        arg = argv[i];
        r = badgectl_docmap_option(map, argc, argv, &i);
        if (r < 0) {
            goto done;
        }
        if (r > 0) {
            continue;
        }
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            badgectl_canon_usage(stdout);
            rc = BADGECTL_OK;
            goto done;
        }
        if (strcmp(arg, "--nquads") == 0) {
            nquads = 1;
        } else if (strcmp(arg, "--print-hash") == 0) {
            print_hash = 1;
        } else if (strcmp(arg, "--map") == 0) {
            print_map = 1;
        } else if (strcmp(arg, "--base") == 0 || strcmp(arg, "--hash") == 0
                   || strncmp(arg, "--base=", 7) == 0
                   || strncmp(arg, "--hash=", 7) == 0)
        {
            val = strchr(arg, '=');
            if (val != NULL) {
                val++;
            } else if (i + 1 < argc) {
                val = argv[++i];
            } else {
                fprintf(stderr, "badgectl canonicalize: %s needs an "
                        "argument\n", arg);
                goto done;
            }
            if (arg[2] == 'b') {
                base = val;
            } else {
                hash = val;
            }
        } else if (arg[0] == '-' && arg[1] != '\0') {
            fprintf(stderr, "badgectl canonicalize: unknown option '%s' "
                    "(see --help)\n", arg);
            goto done;
        } else if (file != NULL) {
            fprintf(stderr, "badgectl canonicalize: one input only ('%s' and "
                    "'%s')\n", file, arg);
            goto done;
        } else {
            file = arg;
        }
    }
    if (file == NULL) {
        badgectl_canon_usage(stderr);
        goto done;
    }
    if (strcmp(hash, "sha256") != 0 && strcmp(hash, "sha384") != 0) {
        fprintf(stderr, "badgectl canonicalize: --hash must be sha256 or "
                "sha384, not '%s'\n", hash);
        goto done;
    }
    if (print_hash && print_map) {
        fprintf(stderr, "badgectl canonicalize: --print-hash and --map "
                "exclude each other\n");
        goto done;
    }

    if (badgectl_read_file(file, CANON_INPUT_LIMIT, &body, &len) != 0) {
        fprintf(stderr, "badgectl canonicalize: cannot read %s: %s\n",
                strcmp(file, "-") == 0 ? "standard input" : file,
                errno == EFBIG ? "larger than 16 MiB" : strerror(errno));
        goto done;
    }
    a = badge_arena_new(CANON_ARENA_LIMIT);
    if (a == NULL) {
        fprintf(stderr, "badgectl canonicalize: out of memory\n");
        goto done;
    }

    if (nquads) {
        badge_quads_init(&quads, a, CANON_MAX_QUADS);
        if (badge_nquads_parse(a, (const char *) body, len, &quads, &err)
            != 0)
        {
            rc = badgectl_canon_fail("invalid N-Quads", &err);
            goto done;
        }
    } else {
        doc = badge_json_parse((const char *) body, len, &err);
        if (doc == NULL) {
            rc = badgectl_canon_fail("invalid JSON", &err);
            goto done;
        }
        loader.map = map;
        loader.arena = a;
        memset(&jopts, 0, sizeof(jopts));
        jopts.base = base;
        jopts.load = badgectl_canon_load;
        jopts.load_udata = &loader;
        if (badge_jsonld_to_rdf(a, doc, &jopts, &quads, &err) != 0) {
            rc = badgectl_canon_fail("JSON-LD to RDF failed", &err);
            goto done;
        }
    }

    memset(&ropts, 0, sizeof(ropts));
    ropts.hash = hash;
    ropts.want_map = print_map;
    if (badge_rdfc_canonicalize_ex(a, &quads, &ropts, &res, &err) != 0) {
        rc = badgectl_canon_fail("canonicalization failed", &err);
        goto done;
    }

    if (print_hash) {
        if (badge_rdfc_hash_hex(hash, res.nquads, res.len, hex) != 0) {
            rc = badgectl_canon_fail("hashing failed", NULL);
            goto done;
        }
        printf("%s\n", hex);
    } else if (print_map) {
        if (badgectl_canon_print_map(&res) != 0) {
            rc = badgectl_canon_fail("out of memory printing the map", NULL);
            goto done;
        }
    } else if (res.len > 0 && fwrite(res.nquads, 1, res.len, stdout) != res.len)
    {
        rc = badgectl_canon_fail("cannot write the output", NULL);
        goto done;
    }
    if (fflush(stdout) != 0) {
        rc = badgectl_canon_fail("cannot write the output", NULL);
        goto done;
    }
    rc = BADGECTL_OK;

done:
    json_decref(doc);
    free(body);
    badge_arena_free(a);
    badgectl_docmap_free(map);
    return rc;
}
