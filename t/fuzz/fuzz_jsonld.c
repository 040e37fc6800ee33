/* libFuzzer harness: JSON-LD expansion and toRdf (jsonld.h) with the
 * bundled contexts only (a remote context is an error, never a fetch),
 * then RDFC-1.0 under a small work bound, as the Data Integrity verifier
 * does. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "arena.h"
#include "json.h"
#include "jsonld.h"
#include "nquads.h"
#include "rdfc.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    badge_arena_t       *a;
    badge_err_t          err;
    badge_jsonld_opts_t  opts;
    badge_rdfc_opts_t    ropts;
    badge_quads_t        q;
    json_t              *doc, *expanded = NULL;
    char                *out;
    size_t               len;

    doc = badge_json_parse((const char *) data, size, &err);
    if (doc == NULL) {
        return 0;
    }
    a = badge_arena_new(64 << 20);
    if (a == NULL) {
        json_decref(doc);
        return 0;
    }
    memset(&opts, 0, sizeof(opts));
    opts.base = "https://example.org/base/doc.json";
    opts.max_quads = 5000;
    if (badge_jsonld_expand(a, doc, &opts, &expanded, &err) == 0) {
        json_decref(expanded);
    }
    memset(&opts, 0, sizeof(opts));
    opts.max_quads = 5000;
    if (badge_jsonld_to_rdf(a, doc, &opts, &q, &err) == 0) {
        memset(&ropts, 0, sizeof(ropts));
        ropts.max_work = 2000;
        (void) badge_rdfc_canonicalize(a, &q, &ropts, &out, &len, &err);
    }
    badge_arena_free(a);
    json_decref(doc);
    return 0;
}
