/*
 * Unit tests of the JSON-LD processor (jsonld.h) and the bundled context
 * store (contexts.h): context pins, the 1EdTech OB 3.0 vector, undefined
 * term reporting, no-network errors, loops, limits, number forms, the
 * shared cache under threads.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>

#include <openssl/evp.h>

#include "arena.h"
#include "contexts.h"
#include "jsonld.h"
#include "nquads.h"
#include "rdfc.h"

/* 1EdTech OB 3.0 Linked Data Proof test vector (t/vectors would do as well;
 * inline so this test stands alone): the credential without its proof and
 * the RDFC-1.0 canonical N-Quads the implementation guide gives. */
static const char ob3_doc[] =
    "{\"@context\": [\"https://www.w3.org/ns/credentials/v2\","
    "  \"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\"],"
    " \"id\": \"http://example.com/credentials/3527\","
    " \"type\": [\"VerifiableCredential\", \"OpenBadgeCredential\"],"
    " \"issuer\": {\"id\": \"https://example.edu/issuers/565049\","
    "   \"type\": [\"Profile\"], \"url\": \"https://www.imsglobal.org\","
    "   \"name\": \"Example Corp\"},"
    " \"validFrom\": \"2010-01-01T00:00:00Z\","
    " \"name\": \"Teamwork Badge\","
    " \"credentialSubject\": {"
    "   \"id\": \"did:example:ebfeb1f712ebc6f1c276e12ec21\","
    "   \"type\": [\"AchievementSubject\"],"
    "   \"achievement\": {"
    "     \"id\": \"https://example.com/achievements/21st-century-skills/teamwork\","
    "     \"type\": [\"Achievement\"],"
    "     \"criteria\": {\"narrative\": \"Team members are nominated for this"
    " badge by their peers and recognized upon review by Example Corp"
    " management.\"},"
    "     \"description\": \"This badge recognizes the development of the"
    " capacity to collaborate within a group environment.\","
    "     \"name\": \"Teamwork\"}}}";

#define OB "https://purl.imsglobal.org/spec/vc/ob/vocab.html#"
static const char ob3_canon[] =
    "<did:example:ebfeb1f712ebc6f1c276e12ec21> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <" OB "AchievementSubject> .\n"
    "<did:example:ebfeb1f712ebc6f1c276e12ec21> <" OB "achievement> <https://example.com/achievements/21st-century-skills/teamwork> .\n"
    "<http://example.com/credentials/3527> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <" OB "OpenBadgeCredential> .\n"
    "<http://example.com/credentials/3527> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/2018/credentials#VerifiableCredential> .\n"
    "<http://example.com/credentials/3527> <https://schema.org/name> \"Teamwork Badge\" .\n"
    "<http://example.com/credentials/3527> <https://www.w3.org/2018/credentials#credentialSubject> <did:example:ebfeb1f712ebc6f1c276e12ec21> .\n"
    "<http://example.com/credentials/3527> <https://www.w3.org/2018/credentials#issuer> <https://example.edu/issuers/565049> .\n"
    "<http://example.com/credentials/3527> <https://www.w3.org/2018/credentials#validFrom> \"2010-01-01T00:00:00Z\"^^<http://www.w3.org/2001/XMLSchema#dateTime> .\n"
    "<https://example.com/achievements/21st-century-skills/teamwork> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <" OB "Achievement> .\n"
    "<https://example.com/achievements/21st-century-skills/teamwork> <" OB "Criteria> _:c14n0 .\n"
    "<https://example.com/achievements/21st-century-skills/teamwork> <https://schema.org/description> \"This badge recognizes the development of the capacity to collaborate within a group environment.\" .\n"
    "<https://example.com/achievements/21st-century-skills/teamwork> <https://schema.org/name> \"Teamwork\" .\n"
    "<https://example.edu/issuers/565049> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <" OB "Profile> .\n"
    "<https://example.edu/issuers/565049> <https://schema.org/name> \"Example Corp\" .\n"
    "<https://example.edu/issuers/565049> <https://schema.org/url> \"https://www.imsglobal.org\"^^<https://www.w3.org/2001/XMLSchema#anyURI> .\n"
    "_:c14n0 <" OB "narrative> \"Team members are nominated for this badge by their peers and recognized upon review by Example Corp management.\" .\n";

static badge_jsonld_cache_t *cache;

static int
setup(void **state)
{
    (void) state;
    cache = badge_jsonld_cache_new();
    return cache == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
    (void) state;
    badge_jsonld_cache_free(cache);
    return 0;
}

static json_t *
parse(const char *text)
{
    json_error_t je;
    json_t      *j = json_loads(text, 0, &je);

    if (j == NULL) {
        fail_msg("test JSON does not parse: %s", je.text);
    }
    return j;
}

/* toRdf of text; returns the canonical N-Quads (in a), or NULL with err */
static char *
to_canon(badge_arena_t *a, const char *text, badge_jsonld_opts_t *o,
    badge_err_t *err)
{
    json_t        *j = parse(text);
    badge_quads_t  q;
    char          *out = NULL;
    size_t         len;
    int            rc;

    o->cache = cache;
    rc = badge_jsonld_to_rdf(a, j, o, &q, err);
    json_decref(j);
    if (rc != 0) {
        return NULL;
    }
    assert_int_equal(badge_rdfc_canonicalize(a, &q, NULL, &out, &len, err),
                     0);
    return out;
}

static int
has_dropped(const badge_jsonld_opts_t *o, const char *name)
{
    size_t i;

    for (i = 0; i < o->n_dropped; i++) {
        if (strcmp(o->dropped[i], name) == 0) {
            return 1;
        }
    }
    return 0;
}

/* the bundled bytes still hash to their pins */
static void
test_context_pins(void **state)
{
    const badge_context_doc_t *d;
    unsigned char              md[32];
    unsigned int               mdlen;
    char                       hex[65];
    const char                *body, *pin;
    size_t                     i, k, len;

    (void) state;
    assert_true(badge_contexts_count() >= 20);
    for (i = 0; (d = badge_contexts_at(i)) != NULL; i++) {
        assert_int_equal(strlen(d->body), d->len);
        assert_int_equal(EVP_Digest(d->body, d->len, md, &mdlen,
                                    EVP_sha256(), NULL), 1);
        for (k = 0; k < 32; k++) {
            snprintf(hex + 2 * k, 3, "%02x", md[k]);
        }
        assert_string_equal(hex, d->sha256_hex);
        assert_int_equal(badge_contexts_get(d->url, &body, &len, &pin), 0);
        assert_ptr_equal(body, d->body);
        assert_int_equal(len, d->len);
        assert_string_equal(pin, d->sha256_hex);
        if (i > 0) {
            /* sorted, so lookups can bisect */
            assert_true(strcmp(badge_contexts_at(i - 1)->url, d->url) < 0);
        }
    }
    assert_int_equal(i, badge_contexts_count());
    assert_int_equal(badge_contexts_get("https://www.w3.org/ns/credentials/v2",
                                        NULL, NULL, NULL), 0);
    assert_int_equal(badge_contexts_get("https://example.com/ctx", &body,
                                        &len, &pin), -1);
}

/* the 1EdTech OB 3.0 vector, twice (cold and cached contexts) */
static void
test_ob3_vector(void **state)
{
    badge_arena_t      *a = badge_arena_new(0);
    badge_jsonld_opts_t o;
    badge_err_t         err;
    char               *c;
    int                 i;

    (void) state;
    for (i = 0; i < 2; i++) {
        memset(&o, 0, sizeof(o));
        c = to_canon(a, ob3_doc, &o, &err);
        if (c == NULL) {
            fail_msg("%s: %s", err.code, err.message);
        }
        assert_string_equal(c, ob3_canon);
        assert_int_equal(o.n_dropped, 0);
    }
    badge_arena_free(a);
}

/* undefined terms are dropped by JSON-LD; we report them */
static void
test_undefined_terms(void **state)
{
    badge_arena_t      *a = badge_arena_new(0);
    badge_jsonld_opts_t o;
    badge_err_t         err;
    char               *c;

    (void) state;
    /* VC 1.1: no @vocab, "foo" and the type "FooType" drop out */
    memset(&o, 0, sizeof(o));
    c = to_canon(a,
        "{\"@context\": [\"https://www.w3.org/2018/credentials/v1\"],"
        " \"id\": \"urn:uuid:1\", \"type\": [\"VerifiableCredential\","
        " \"FooType\"], \"issuer\": \"did:example:1\","
        " \"issuanceDate\": \"2020-01-01T00:00:00Z\","
        " \"credentialSubject\": {\"id\": \"did:example:2\","
        "   \"foo\": \"bar\"}}", &o, &err);
    assert_non_null(c);
    assert_true(has_dropped(&o, "foo"));
    assert_true(has_dropped(&o, "FooType"));
    assert_null(strstr(c, "bar"));

    /* with a base the type "expands" against it; still undefined */
    memset(&o, 0, sizeof(o));
    o.base = "https://example.com/creds/";
    c = to_canon(a,
        "{\"@context\": [\"https://www.w3.org/2018/credentials/v1\"],"
        " \"type\": [\"VerifiableCredential\", \"FooType\"]}", &o, &err);
    assert_non_null(c);
    assert_true(has_dropped(&o, "FooType"));
    assert_int_equal(o.n_dropped, 1);

    /* VC 2.0 as bundled (the REC context has no @vocab): dropped too */
    memset(&o, 0, sizeof(o));
    c = to_canon(a,
        "{\"@context\": [\"https://www.w3.org/ns/credentials/v2\","
        "  \"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\"],"
        " \"type\": [\"VerifiableCredential\", \"OpenBadgeCredential\"],"
        " \"issuer\": \"did:example:1\", \"foo\": \"bar\","
        " \"credentialSubject\": {\"id\": \"did:example:2\","
        "   \"type\": [\"AchievementSubject\"], \"baz\": 1}}", &o, &err);
    assert_non_null(c);
    assert_true(has_dropped(&o, "foo"));
    assert_true(has_dropped(&o, "baz"));
    assert_int_equal(o.n_dropped, 2);

    /* ... unless the undefined-terms context gives them an IRI */
    memset(&o, 0, sizeof(o));
    c = to_canon(a,
        "{\"@context\": [\"https://www.w3.org/ns/credentials/v2\","
        "  \"https://www.w3.org/ns/credentials/undefined-terms/v2\"],"
        " \"type\": [\"VerifiableCredential\"],"
        " \"issuer\": \"did:example:1\", \"foo\": \"bar\"}", &o, &err);
    assert_non_null(c);
    assert_int_equal(o.n_dropped, 0);
    assert_non_null(strstr(c, "<https://www.w3.org/ns/credentials/"
                              "undefined-term#foo> \"bar\""));
    badge_arena_free(a);
}

static void
test_not_bundled(void **state)
{
    badge_arena_t      *a = badge_arena_new(0);
    badge_jsonld_opts_t o;
    badge_err_t         err;

    (void) state;
    memset(&o, 0, sizeof(o));
    assert_null(to_canon(a,
        "{\"@context\": [\"https://www.w3.org/ns/credentials/v2\","
        "  \"https://evil.example/ctx.jsonld\"], \"name\": \"x\"}",
        &o, &err));
    assert_string_equal(err.code, "jsonld_context_not_bundled");
    assert_non_null(strstr(err.message, "https://evil.example/ctx.jsonld"));
    assert_true(strncmp(err.message, "loading remote context failed", 29)
                == 0);

    /* @import is no way around it */
    memset(&o, 0, sizeof(o));
    assert_null(to_canon(a,
        "{\"@context\": {\"@version\": 1.1,"
        "  \"@import\": \"https://evil.example/i.jsonld\"}, \"name\": \"x\"}",
        &o, &err));
    assert_string_equal(err.code, "jsonld_context_not_bundled");
    badge_arena_free(a);
}

/* documents supplied by the caller: a context loop */
static int
loop_loader(void *udata, const char *url, const char **body, size_t *len,
    badge_err_t *err)
{
    static const char ab[] = "{\"@context\": [\"https://x.example/b\"]}";
    static const char ba[] = "{\"@context\": [\"https://x.example/a\","
                             " {\"p\": \"http://ex/p\"}]}";
    static const char self[] = "{\"@context\": {\"@version\": 1.1,"
                               " \"t\": {\"@id\": \"http://ex/t\","
                               "  \"@context\": \"https://x.example/self\"}}}";

    (void) udata;
    (void) err;
    if (strcmp(url, "https://x.example/a") == 0) {
        *body = ab;
    } else if (strcmp(url, "https://x.example/b") == 0) {
        *body = ba;
    } else if (strcmp(url, "https://x.example/self") == 0) {
        *body = self;
    } else {
        return -1;
    }
    *len = strlen(*body);
    return 0;
}

static void
test_context_loop(void **state)
{
    badge_arena_t      *a = badge_arena_new(0);
    badge_jsonld_opts_t o;
    badge_err_t         err;
    char               *c;

    (void) state;
    memset(&o, 0, sizeof(o));
    o.load = loop_loader;
    assert_null(to_canon(a, "{\"@context\": \"https://x.example/a\","
                            " \"p\": \"v\"}", &o, &err));
    assert_string_equal(err.code, "jsonld_context_overflow");
    assert_true(strncmp(err.message, "context overflow", 16) == 0);

    /* a context whose scoped context is itself: fine to define, and
     * using the term applies it once more */
    memset(&o, 0, sizeof(o));
    o.load = loop_loader;
    c = to_canon(a, "{\"@context\": \"https://x.example/self\","
                    " \"t\": {\"t\": {\"@id\": \"http://ex/x\"}}}", &o, &err);
    if (c == NULL) {
        fail_msg("%s: %s", err.code, err.message);
    }
    assert_non_null(strstr(c, "<http://ex/t> <http://ex/x>"));

    /* the per-document bound on remote contexts */
    memset(&o, 0, sizeof(o));
    o.max_contexts = 1;
    assert_null(to_canon(a,
        "{\"@context\": [\"https://www.w3.org/ns/credentials/v2\","
        "  \"https://w3id.org/security/data-integrity/v2\"]}", &o, &err));
    assert_string_equal(err.code, "jsonld_context_overflow");
    badge_arena_free(a);
}

static void
test_depth_limit(void **state)
{
    badge_arena_t      *a = badge_arena_new(0);
    badge_jsonld_opts_t o;
    badge_err_t         err;
    char                buf[8192], *p = buf;
    int                 i, n = 200;

    (void) state;
    p += sprintf(p, "{\"@context\": {\"@vocab\": \"http://ex/\"}, \"a\": ");
    for (i = 0; i < n; i++) {
        p += sprintf(p, "{\"a\": ");
    }
    p += sprintf(p, "1");
    for (i = 0; i < n; i++) {
        *p++ = '}';
    }
    *p++ = '}';
    *p = '\0';
    memset(&o, 0, sizeof(o));
    assert_null(to_canon(a, buf, &o, &err));
    assert_string_equal(err.code, "jsonld_too_deep");

    /* within a caller's smaller bound */
    memset(&o, 0, sizeof(o));
    o.max_depth = 3;
    assert_null(to_canon(a, "{\"@context\": {\"@vocab\": \"http://ex/\"},"
                            " \"a\": {\"a\": {\"a\": {\"a\": 1}}}}", &o, &err));
    assert_string_equal(err.code, "jsonld_too_deep");
    badge_arena_free(a);
}

static void
test_limits_and_errors(void **state)
{
    badge_arena_t      *a = badge_arena_new(0);
    badge_jsonld_opts_t o;
    badge_err_t         err;

    (void) state;
    /* protected terms of VC 2.0 cannot be redefined */
    memset(&o, 0, sizeof(o));
    assert_null(to_canon(a,
        "{\"@context\": [\"https://www.w3.org/ns/credentials/v2\","
        "  {\"name\": \"http://evil.example/name\"}],"
        " \"name\": \"x\"}", &o, &err));
    assert_string_equal(err.code, "jsonld_protected_term_redefinition");
    assert_true(strncmp(err.message, "protected term redefinition", 27) == 0);

    /* nor can a type-scoped context's protected terms */
    memset(&o, 0, sizeof(o));
    assert_null(to_canon(a,
        "{\"@context\": [\"https://www.w3.org/ns/credentials/v2\","
        "  {\"@version\": 1.1, \"Foo\": {\"@id\": \"http://ex/Foo\","
        "   \"@context\": {\"id\": \"http://ex/notid\"}}}],"
        " \"type\": [\"Foo\"], \"id\": \"urn:x\"}", &o, &err));
    assert_string_equal(err.code, "jsonld_protected_term_redefinition");

    /* the quad bound */
    memset(&o, 0, sizeof(o));
    o.max_quads = 2;
    assert_null(to_canon(a, "{\"@context\": {\"@vocab\": \"http://ex/\"},"
                            " \"a\": [1, 2, 3]}", &o, &err));
    assert_string_equal(err.code, "jsonld_too_many_quads");

    /* spec errors carry the spec's code first */
    memset(&o, 0, sizeof(o));
    assert_null(to_canon(a, "{\"@id\": 5}", &o, &err));
    assert_string_equal(err.code, "jsonld_invalid_id_value");
    assert_true(strncmp(err.message, "invalid @id value", 17) == 0);
    badge_arena_free(a);
}

static void
test_invalid_utf8(void **state)
{
    badge_arena_t      *a = badge_arena_new(0);
    badge_jsonld_opts_t o;
    badge_err_t         err;
    badge_quads_t       q;
    json_t             *j = parse("{\"@context\": {\"@vocab\": \"http://ex/\"}}");

    (void) state;
    /* jansson checks what it parses; a value made by hand is checked by us */
    json_object_set_new(j, "p", json_stringn_nocheck("a\xff" "b", 3));
    memset(&o, 0, sizeof(o));
    o.cache = cache;
    assert_int_equal(badge_jsonld_to_rdf(a, j, &o, &q, &err), -1);
    assert_string_equal(err.code, "jsonld_invalid_utf8");
    json_decref(j);
    badge_arena_free(a);
}

static void
test_literals(void **state)
{
    badge_arena_t      *a = badge_arena_new(0);
    badge_jsonld_opts_t o;
    badge_err_t         err;
    char               *c;

    (void) state;
    memset(&o, 0, sizeof(o));
    c = to_canon(a,
        "{\"@context\": {\"@vocab\": \"http://ex/\","
        "  \"d\": {\"@type\": \"http://www.w3.org/2001/XMLSchema#double\"}},"
        " \"@id\": \"http://ex/s\","
        " \"a\": 1.1, \"b\": 10, \"c\": true, \"d\": 53, \"e\": 2.0,"
        " \"f\": 1e21, \"g\": 9007199254740993, \"h\": -0.0,"
        " \"i\": {\"@value\": \"x\", \"@language\": \"EN-us\"}}", &o, &err);
    if (c == NULL) {
        fail_msg("%s: %s", err.code, err.message);
    }
#define XSD "http://www.w3.org/2001/XMLSchema#"
    assert_non_null(strstr(c, "<http://ex/a> \"1.1E0\"^^<" XSD "double>"));
    assert_non_null(strstr(c, "<http://ex/b> \"10\"^^<" XSD "integer>"));
    assert_non_null(strstr(c, "<http://ex/c> \"true\"^^<" XSD "boolean>"));
    assert_non_null(strstr(c, "<http://ex/d> \"5.3E1\"^^<" XSD "double>"));
    assert_non_null(strstr(c, "<http://ex/e> \"2\"^^<" XSD "integer>"));
    assert_non_null(strstr(c, "<http://ex/f> \"1.0E21\"^^<" XSD "double>"));
    /* beyond 2^53 a JSON number is the nearest double, as in jsonld.js */
    assert_non_null(strstr(c, "<http://ex/g> \"9007199254740992\"^^<" XSD
                              "integer>"));
    assert_non_null(strstr(c, "<http://ex/h> \"0\"^^<" XSD "integer>"));
    assert_non_null(strstr(c, "<http://ex/i> \"x\"@en-us"));
    badge_arena_free(a);
}

static void
test_expand(void **state)
{
    badge_arena_t      *a = badge_arena_new(0);
    badge_jsonld_opts_t o;
    badge_err_t         err;
    json_t             *in = parse(ob3_doc), *out = NULL, *n;

    (void) state;
    memset(&o, 0, sizeof(o));
    o.cache = cache;
    assert_int_equal(badge_jsonld_expand(a, in, &o, &out, &err), 0);
    assert_true(json_is_array(out));
    assert_int_equal(json_array_size(out), 1);
    n = json_array_get(out, 0);
    assert_string_equal(json_string_value(json_object_get(n, "@id")),
                        "http://example.com/credentials/3527");
    assert_non_null(json_object_get(n, "https://schema.org/name"));
    json_decref(out);
    json_decref(in);
    badge_arena_free(a);
}

/* the cache is shared by threads: results agree, nothing races (run it
 * under the sanitizers) */
typedef struct {
    int   ok;
    char *canon;
} thr_t;

static void *
thr_main(void *arg)
{
    thr_t              *t = arg;
    badge_arena_t      *a = badge_arena_new(0);
    badge_jsonld_opts_t o;
    badge_err_t         err;
    char               *c;
    int                 i;

    t->ok = 1;
    for (i = 0; i < 50 && a != NULL; i++) {
        badge_arena_reset(a);
        memset(&o, 0, sizeof(o));
        c = to_canon(a, ob3_doc, &o, &err);
        if (c == NULL || strcmp(c, ob3_canon) != 0) {
            t->ok = 0;
            break;
        }
    }
    badge_arena_free(a);
    return NULL;
}

static void
test_threads(void **state)
{
    pthread_t th[4];
    thr_t     t[4];
    int       i;

    (void) state;
    badge_jsonld_cache_free(cache);
    cache = badge_jsonld_cache_new();     /* cold: threads race to fill it */
    for (i = 0; i < 4; i++) {
        assert_int_equal(pthread_create(&th[i], NULL, thr_main, &t[i]), 0);
    }
    for (i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        assert_true(t[i].ok);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_context_pins),
        cmocka_unit_test(test_ob3_vector),
        cmocka_unit_test(test_undefined_terms),
        cmocka_unit_test(test_not_bundled),
        cmocka_unit_test(test_context_loop),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_limits_and_errors),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_literals),
        cmocka_unit_test(test_expand),
        cmocka_unit_test(test_threads),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
