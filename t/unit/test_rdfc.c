/*
 * Unit tests of RDFC-1.0 canonicalization (the full W3C suite runs in
 * t/conformance/conf_rdf_canon.c; these pin down the API's behaviour).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "arena.h"
#include "error.h"
#include "nquads.h"
#include "rdfc.h"

#define EX  "http://example.org/vocab#"

static const char *
canon_opts(badge_arena_t *a, const char *nq, const badge_rdfc_opts_t *opts,
    badge_err_t *err)
{
    badge_quads_t  q;
    char          *out = NULL;
    size_t         len = 0;

    badge_quads_init(&q, a, 0);
    badge_err_clear(err);
    assert_int_equal(badge_nquads_parse(a, nq, strlen(nq), &q, err), 0);
    if (badge_rdfc_canonicalize(a, &q, opts, &out, &len, err) != 0) {
        return NULL;
    }
    assert_int_equal(strlen(out), len);
    return out;
}

static const char *
canon(badge_arena_t *a, const char *nq, const char *hash)
{
    badge_rdfc_opts_t  opts;
    badge_err_t        err;
    const char        *s;

    memset(&opts, 0, sizeof(opts));
    opts.hash = hash;
    s = canon_opts(a, nq, &opts, &err);
    if (s == NULL) {
        fail_msg("canonicalize: %s: %s", err.code, err.message);
    }
    return s;
}

static void
test_hash_hex(void **state)
{
    char hex[2 * 48 + 1];

    (void) state;
    assert_int_equal(badge_rdfc_hash_hex("sha256", "abc", 3, hex), 0);
    assert_string_equal(hex,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_int_equal(badge_rdfc_hash_hex("sha384", "abc", 3, hex), 0);
    assert_string_equal(hex,
        "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
        "8086072ba1e7cc2358baeca134c825a7");
    assert_int_equal(badge_rdfc_hash_hex("md5", "abc", 3, hex), -1);
}

static void
test_no_blank_nodes(void **state)
{
    badge_arena_t *a = badge_arena_new(0);

    (void) state;
    /* sorted by code point, duplicates dropped (a dataset is a set),
     * xsd:string omitted */
    assert_string_equal(canon(a,
        "<http://ex/b> <http://ex/p> \"\xC3\xA9\" .\n"
        "<http://ex/b> <http://ex/p> \"z\"^^<http://www.w3.org/2001/XMLSchema#string> .\n"
        "<http://ex/a> <http://ex/p> <http://ex/o> <http://ex/g> .\n"
        "<http://ex/b> <http://ex/p> \"z\" .\n"
        "<http://ex/a> <http://ex/p> <http://ex/o> .\n", NULL),
        "<http://ex/a> <http://ex/p> <http://ex/o> .\n"
        "<http://ex/a> <http://ex/p> <http://ex/o> <http://ex/g> .\n"
        "<http://ex/b> <http://ex/p> \"z\" .\n"
        "<http://ex/b> <http://ex/p> \"\xC3\xA9\" .\n");
    assert_string_equal(canon(a, "", NULL), "");
    badge_arena_free(a);
}

/* The 1EdTech OB 3.0 Linked Data Proof vector's document, with its blank
 * node renamed and the lines shuffled: the canonical form and its SHA-256
 * must come back exactly. */
static const char ob3_canon[] =
"<did:example:ebfeb1f712ebc6f1c276e12ec21> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#AchievementSubject> .\n"
"<did:example:ebfeb1f712ebc6f1c276e12ec21> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#achievement> <https://example.com/achievements/21st-century-skills/teamwork> .\n"
"<http://example.com/credentials/3527> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential> .\n"
"<http://example.com/credentials/3527> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/2018/credentials#VerifiableCredential> .\n"
"<http://example.com/credentials/3527> <https://schema.org/name> \"Teamwork Badge\" .\n"
"<http://example.com/credentials/3527> <https://www.w3.org/2018/credentials#credentialSubject> <did:example:ebfeb1f712ebc6f1c276e12ec21> .\n"
"<http://example.com/credentials/3527> <https://www.w3.org/2018/credentials#issuer> <https://example.edu/issuers/565049> .\n"
"<http://example.com/credentials/3527> <https://www.w3.org/2018/credentials#validFrom> \"2010-01-01T00:00:00Z\"^^<http://www.w3.org/2001/XMLSchema#dateTime> .\n"
"<https://example.com/achievements/21st-century-skills/teamwork> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#Achievement> .\n"
"<https://example.com/achievements/21st-century-skills/teamwork> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#Criteria> _:c14n0 .\n"
"<https://example.com/achievements/21st-century-skills/teamwork> <https://schema.org/description> \"This badge recognizes the development of the capacity to collaborate within a group environment.\" .\n"
"<https://example.com/achievements/21st-century-skills/teamwork> <https://schema.org/name> \"Teamwork\" .\n"
"<https://example.edu/issuers/565049> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#Profile> .\n"
"<https://example.edu/issuers/565049> <https://schema.org/name> \"Example Corp\" .\n"
"<https://example.edu/issuers/565049> <https://schema.org/url> \"https://www.imsglobal.org\"^^<https://www.w3.org/2001/XMLSchema#anyURI> .\n"
"_:c14n0 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#narrative> \"Team members are nominated for this badge by their peers and recognized upon review by Example Corp management.\" .\n";

/* Reverse the lines and rename _:c14n to _:x: a different input for the
 * same dataset. */
static char *
scramble(badge_arena_t *a, const char *nq, const char *from, const char *to)
{
    const char  *lines[64];
    size_t       lens[64], n = 0, i;
    const char  *p = nq, *e;
    badge_buf_t  b;

    while (*p != '\0' && n < 64) {
        e = strchr(p, '\n');
        lines[n] = p;
        lens[n++] = (size_t) (e - p + 1);
        p = e + 1;
    }
    badge_buf_init(&b, a, strlen(nq) * 2);
    for (i = n; i-- > 0; ) {
        const char *s = lines[i], *end = lines[i] + lens[i], *hit;

        while ((hit = strstr(s, from)) != NULL && hit < end) {
            badge_buf_append(&b, s, (size_t) (hit - s));
            badge_buf_puts(&b, to);
            s = hit + strlen(from);
        }
        badge_buf_append(&b, s, (size_t) (end - s));
    }
    return badge_buf_cstr(&b);
}

static void
test_ob3_document(void **state)
{
    badge_arena_t *a = badge_arena_new(0);
    const char    *out;
    char           hex[2 * 48 + 1];

    (void) state;
    out = canon(a, scramble(a, ob3_canon, "_:c14n", "_:renamed"), NULL);
    assert_string_equal(out, ob3_canon);
    assert_int_equal(badge_rdfc_hash_hex("sha256", out, strlen(out), hex), 0);
    assert_string_equal(hex,
        "87f65a76d40146205e3b3e06cb0fbd153f97f9ce70372390f52566bb7f9e0773");
    badge_arena_free(a);
}

/* W3C test 020 / 075: the "diamond", SHA-256 and SHA-384 label it
 * differently. */
static const char diamond[] =
    "<" EX "test> <" EX "A> _:e0 .\n"
    "<" EX "test> <" EX "B> _:e1 .\n"
    "_:e0 <" EX "next> _:e2 .\n"
    "_:e1 <" EX "next> _:e2 .\n";

static void
test_sha384(void **state)
{
    badge_arena_t        *a = badge_arena_new(0);
    badge_quads_t         q;
    badge_err_t           err;
    badge_rdfc_opts_t     opts;
    badge_rdfc_result_t   res;

    (void) state;
    assert_string_equal(canon(a, diamond, "sha256"),
        "<" EX "test> <" EX "A> _:c14n2 .\n"
        "<" EX "test> <" EX "B> _:c14n0 .\n"
        "_:c14n0 <" EX "next> _:c14n1 .\n"
        "_:c14n2 <" EX "next> _:c14n1 .\n");
    assert_string_equal(canon(a, diamond, "SHA384"),
        "<" EX "test> <" EX "A> _:c14n0 .\n"
        "<" EX "test> <" EX "B> _:c14n2 .\n"
        "_:c14n0 <" EX "next> _:c14n1 .\n"
        "_:c14n2 <" EX "next> _:c14n1 .\n");

    /* the issued identifiers map and the sorted quads */
    badge_quads_init(&q, a, 0);
    assert_int_equal(badge_nquads_parse(a, diamond, strlen(diamond), &q,
                                        &err), 0);
    memset(&opts, 0, sizeof(opts));
    opts.hash = "sha384";
    opts.want_map = 1;
    assert_int_equal(badge_rdfc_canonicalize_ex(a, &q, &opts, &res, &err), 0);
    assert_int_equal(res.map_n, 3);
    assert_string_equal(res.map[0].from, "e0");
    assert_string_equal(res.map[0].to, "c14n0");
    assert_string_equal(res.map[1].from, "e2");
    assert_string_equal(res.map[1].to, "c14n1");
    assert_string_equal(res.map[2].from, "e1");
    assert_string_equal(res.map[2].to, "c14n2");
    assert_int_equal(res.n, 4);
    assert_int_equal(res.quads[0].o.kind, BADGE_TERM_BNODE);
    assert_string_equal(res.quads[0].o.value, "c14n0");
    assert_string_equal(res.quads[3].s.value, "c14n2");
    assert_string_equal(res.lines[3], "_:c14n2 <" EX "next> _:c14n1 .");

    opts.hash = "md5";
    assert_int_equal(badge_rdfc_canonicalize_ex(a, &q, &opts, &res, &err), -1);
    assert_string_equal(err.code, "rdfc_bad_hash");
    badge_arena_free(a);
}

/* Two interlocked rings of blank nodes, all with the same first-degree
 * hash: only the N-degree step tells them apart.  Whatever the input
 * labels and order, the output is the same. */
static void
test_n_degree_invariance(void **state)
{
    static const char rings[] =
        "_:a <" EX "p> _:b .\n_:b <" EX "p> _:c .\n_:c <" EX "p> _:a .\n"
        "_:d <" EX "p> _:e .\n_:e <" EX "p> _:f .\n_:f <" EX "p> _:d .\n"
        "_:a <" EX "q> _:d .\n_:b <" EX "q> _:e .\n_:c <" EX "q> _:f .\n"
        "_:f <" EX "r> _:g _:h .\n_:h <" EX "r> \"x\" _:g .\n";
    badge_arena_t *a = badge_arena_new(0);
    const char    *ref, *out;
    char          *in;

    (void) state;
    ref = canon(a, rings, NULL);
    assert_non_null(strstr(ref, "_:c14n7"));
    assert_null(strstr(ref, "_:c14n8"));

    in = scramble(a, rings, "_:", "_:zz");
    out = canon(a, in, NULL);
    assert_string_equal(out, ref);

    /* canonical output is a fixed point */
    assert_string_equal(canon(a, ref, NULL), ref);
    badge_arena_free(a);
}

static void
test_literal_nul_and_graph_bnode(void **state)
{
    badge_arena_t *a = badge_arena_new(0);

    (void) state;
    assert_string_equal(canon(a,
        "_:s <http://ex/p> \"a\\u0000b\\u007f\" _:g .\n"
        "_:g <http://ex/p> \"graph name\" .\n", NULL),
        "_:c14n0 <http://ex/p> \"graph name\" .\n"
        "_:c14n1 <http://ex/p> \"a\\u0000b\\u007F\" _:c14n0 .\n");
    badge_arena_free(a);
}

static double
now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);   /* CPU: not load */
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* A 10-node clique (W3C test 074): bounded work, an error, quickly. */
static void
test_poison(void **state)
{
    badge_arena_t     *a = badge_arena_new(0);
    badge_buf_t        b;
    badge_err_t        err;
    badge_rdfc_opts_t  opts;
    int                i, j;
    double             t0, ms;

    (void) state;
    badge_buf_init(&b, a, 4096);
    for (i = 0; i < 10; i++) {
        for (j = 0; j < 10; j++) {
            badge_buf_printf(&b, "_:e%d <http://ex/p> _:e%d .\n", i, j);
        }
    }
    t0 = now_ms();
    assert_null(canon_opts(a, badge_buf_cstr(&b), NULL, &err));
    ms = now_ms() - t0;
    assert_string_equal(err.code, "rdfc_too_complex");
    assert_true(ms < 1000.0);

    /* the bound is the caller's to set: the rings need a few dozen steps */
    memset(&opts, 0, sizeof(opts));
    opts.max_work = 1;      /* no N-degree step needed */
    assert_non_null(canon_opts(a, diamond, &opts, &err));
    opts.max_work = 5;
    assert_null(canon_opts(a,
        "_:a <" EX "p> _:b .\n_:b <" EX "p> _:c .\n_:c <" EX "p> _:a .\n",
        &opts, &err));
    assert_string_equal(err.code, "rdfc_too_complex");
    opts.max_work = 1000;
    assert_non_null(canon_opts(a,
        "_:a <" EX "p> _:b .\n_:b <" EX "p> _:c .\n_:c <" EX "p> _:a .\n",
        &opts, &err));
    badge_arena_free(a);
}

static void
test_bad_input(void **state)
{
    badge_arena_t *a = badge_arena_new(0);
    badge_quads_t  q;
    badge_quad_t   quad;
    badge_err_t    err;
    char          *out;
    size_t         len;

    (void) state;
    /* a literal as subject cannot come from the parser, but can from code */
    memset(&quad, 0, sizeof(quad));
    quad.s.kind = BADGE_TERM_LITERAL;
    quad.s.value = "x";
    quad.p.kind = BADGE_TERM_IRI;
    quad.p.value = "http://ex/p";
    quad.o.kind = BADGE_TERM_IRI;
    quad.o.value = "http://ex/o";
    badge_quads_init(&q, a, 0);
    assert_int_equal(badge_quads_add(&q, &quad), 0);
    assert_int_equal(badge_rdfc_canonicalize(a, &q, NULL, &out, &len, &err), -1);
    assert_string_equal(err.code, "rdfc_bad_input");

    /* an arena too small: an error, not a crash */
    {
        badge_arena_t *tiny = badge_arena_new(1024);
        badge_quads_t  q2;
        int            i;

        badge_quads_init(&q2, a, 0);
        quad.s.kind = BADGE_TERM_BNODE;
        for (i = 0; i < 40; i++) {
            quad.s.value = badge_arena_sprintf(a, "b%d", i);
            assert_int_equal(badge_quads_add(&q2, &quad), 0);
        }
        assert_int_equal(badge_rdfc_canonicalize(tiny, &q2, NULL, &out, &len,
                                                 &err), -1);
        assert_string_equal(err.code, "out_of_memory");
        badge_arena_free(tiny);
    }
    badge_arena_free(a);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_hex),
        cmocka_unit_test(test_no_blank_nodes),
        cmocka_unit_test(test_ob3_document),
        cmocka_unit_test(test_sha384),
        cmocka_unit_test(test_n_degree_invariance),
        cmocka_unit_test(test_literal_nul_and_graph_bnode),
        cmocka_unit_test(test_poison),
        cmocka_unit_test(test_bad_input),
    };

    return cmocka_run_group_tests_name("rdfc", tests, NULL, NULL);
}
