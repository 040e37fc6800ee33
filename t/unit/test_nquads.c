/*
 * Unit tests of the N-Quads parser and canonical serializer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "arena.h"
#include "error.h"
#include "nquads.h"

#define XSD "http://www.w3.org/2001/XMLSchema#"

typedef struct {
    badge_arena_t *a;
    badge_quads_t  q;
    badge_err_t    err;
} fix_t;

static int
setup(void **state)
{
    fix_t *f = calloc(1, sizeof(*f));

    f->a = badge_arena_new(0);
    badge_quads_init(&f->q, f->a, 0);
    badge_err_clear(&f->err);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fix_t *f = *state;

    badge_arena_free(f->a);
    free(f);
    return 0;
}

static int
parse(fix_t *f, const char *text)
{
    badge_quads_init(&f->q, f->a, 0);
    badge_err_clear(&f->err);
    return badge_nquads_parse(f->a, text, strlen(text), &f->q, &f->err);
}

static const char *
serialize(fix_t *f)
{
    size_t      len = 0;
    const char *s = badge_nquads_serialize(f->a, &f->q, &len);

    assert_non_null(s);
    assert_int_equal(strlen(s), len);
    return s;
}

static void
test_parse_terms(void **state)
{
    fix_t              *f = *state;
    const badge_quad_t *q;

    assert_int_equal(parse(f,
        "# a comment\n"
        "\n"
        "<http://ex/s> <http://ex/p> <http://ex/o> .\n"
        "_:b0 <http://ex/p> \"chat\"@fr-CA <http://ex/g> . # trailing\n"
        "  _:b0\t<http://ex/p>   \"5\"^^<" XSD "integer>   _:g1 .\r\n"
        "<http://ex/s> <http://ex/p> \"plain\"^^<" XSD "string> .\r"
        "<http://ex/s><http://ex/p>\"tight\"."), 0);
    assert_int_equal(f->q.n, 5);

    q = &f->q.items[0];
    assert_int_equal(q->s.kind, BADGE_TERM_IRI);
    assert_string_equal(q->s.value, "http://ex/s");
    assert_int_equal(q->o.kind, BADGE_TERM_IRI);
    assert_int_equal(q->g.kind, BADGE_TERM_NONE);

    q = &f->q.items[1];
    assert_int_equal(q->s.kind, BADGE_TERM_BNODE);
    assert_string_equal(q->s.value, "b0");
    assert_int_equal(q->o.kind, BADGE_TERM_LITERAL);
    assert_string_equal(q->o.value, "chat");
    assert_string_equal(q->o.lang, "fr-CA");
    assert_null(q->o.datatype);
    assert_int_equal(q->g.kind, BADGE_TERM_IRI);
    assert_string_equal(q->g.value, "http://ex/g");

    q = &f->q.items[2];
    assert_string_equal(q->o.datatype, XSD "integer");
    assert_int_equal(q->g.kind, BADGE_TERM_BNODE);
    assert_string_equal(q->g.value, "g1");

    q = &f->q.items[3];
    assert_null(q->o.datatype);          /* xsd:string is the default */
    assert_string_equal(q->o.value, "plain");

    q = &f->q.items[4];
    assert_string_equal(q->o.value, "tight");

    assert_string_equal(serialize(f),
        "<http://ex/s> <http://ex/p> <http://ex/o> .\n"
        "_:b0 <http://ex/p> \"chat\"@fr-CA <http://ex/g> .\n"
        "_:b0 <http://ex/p> \"5\"^^<" XSD "integer> _:g1 .\n"
        "<http://ex/s> <http://ex/p> \"plain\" .\n"
        "<http://ex/s> <http://ex/p> \"tight\" .\n");
}

static void
test_escapes(void **state)
{
    fix_t      *f = *state;
    const char *v;

    assert_int_equal(parse(f,
        "<http://ex/\\u00E9> <http://ex/p> "
        "\"a\\tb\\nc\\\"d\\\\e\\'f\\u00e9\\U0001F303\\u0000g\\u0007\\u007f\" .\n"), 0);
    assert_int_equal(f->q.n, 1);
    assert_string_equal(f->q.items[0].s.value, "http://ex/\xC3\xA9");
    v = f->q.items[0].o.value;
    /* U+0000 is stored as C0 80 (see nquads.h) */
    assert_string_equal(v, "a\tb\nc\"d\\e'f\xC3\xA9\xF0\x9F\x8C\x83\xC0\x80g\x07\x7F");
    /* canonical form: ECHAR for \t \n \" \\, raw for ' and non-ASCII,
     * \u00XX (upper case) for other controls */
    assert_string_equal(serialize(f),
        "<http://ex/\xC3\xA9> <http://ex/p> "
        "\"a\\tb\\nc\\\"d\\\\e'f\xC3\xA9\xF0\x9F\x8C\x83\\u0000g\\u0007\\u007F\" .\n");
}

static void
test_bnode_labels(void **state)
{
    fix_t *f = *state;

    /* dots inside a label, not at its end; digits and ':' allowed */
    assert_int_equal(parse(f,
        "_:a.b <http://ex/p> _:0x:y. \n"
        "_:\xC3\xA9t\xC3\xA9 <http://ex/p> _:c.\n"), 0);
    assert_int_equal(f->q.n, 2);
    assert_string_equal(f->q.items[0].s.value, "a.b");
    assert_string_equal(f->q.items[0].o.value, "0x:y");
    assert_string_equal(f->q.items[1].s.value, "\xC3\xA9t\xC3\xA9");
    assert_string_equal(f->q.items[1].o.value, "c");
}

static void
test_round_trip(void **state)
{
    fix_t      *f = *state;
    const char *canon =
        "<did:example:123> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://ex/T> .\n"
        "<did:example:123> <https://schema.org/name> \"\\\"Quoted\\\" \\\\ \\r\\n\"@en .\n"
        "<did:example:123> <https://ex/n> \"42\"^^<" XSD "integer> _:c14n0 .\n"
        "_:c14n0 <https://ex/p> \"\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\\b\\f\\u001F\" .\n";

    assert_int_equal(parse(f, canon), 0);
    assert_string_equal(serialize(f), canon);
}

static void
expect_reject(fix_t *f, const char *text, size_t len, const char *line)
{
    badge_quads_init(&f->q, f->a, 0);
    badge_err_clear(&f->err);
    assert_int_equal(badge_nquads_parse(f->a, text, len, &f->q, &f->err), -1);
    assert_non_null(f->err.code);
    assert_string_equal(f->err.code, "nquads_syntax");
    if (line != NULL) {
        assert_non_null(strstr(f->err.message, line));
    }
}

#define REJECT(f, s, line)  expect_reject(f, s, sizeof(s) - 1, line)

static void
test_rejections(void **state)
{
    fix_t *f = *state;

    /* syntax */
    REJECT(f, "<http://ex/s> <http://ex/p> <http://ex/o>\n", "line 1");
    REJECT(f, "<http://ex/s> <http://ex/p> <http://ex/o> .\n"
              "<http://ex/s> <http://ex/p> \"x\" . junk\n", "line 2");
    REJECT(f, "<http://ex/s> <http://ex/p> \"a\\qb\" .\n", "bad escape");
    REJECT(f, "<http://ex/s> <http://ex/p> \"a\\u12\" .\n", "line 1");
    REJECT(f, "<http://ex/s> <http://ex/p> \"\\uD800\" .\n", "line 1");
    REJECT(f, "<http://ex/s> <http://ex/p> \"\\U00110000\" .\n", "line 1");
    REJECT(f, "<http://ex/s> <http://ex/p> \"open .\n", "line 1");
    REJECT(f, "<http://ex/s> <http://ex/p> \"a\nb\" .\n", "line 1");
    REJECT(f, "<http://ex/s> <http://ex/p> \"x\"@ .\n", "language");
    REJECT(f, "<http://ex/s> <http://ex/p> \"x\"@en- .\n", "language");
    REJECT(f, "<http://ex/s> <http://ex/p> \"x\"^^xsd:string .\n", "datatype");
    REJECT(f, "\"lit\" <http://ex/p> <http://ex/o> .\n", "subject");
    REJECT(f, "<http://ex/s> _:p <http://ex/o> .\n", "predicate");
    REJECT(f, "<http://ex/s> <http://ex/p> <http://ex/o> \"g\" .\n", "'.'");
    REJECT(f, "<http://ex/s> <http://ex/p> <http://ex/o> <http://ex/g> <http://ex/x> .\n", "'.'");
    REJECT(f, "_: <http://ex/p> <http://ex/o> .\n", "blank node");
    REJECT(f, "_:-a <http://ex/p> <http://ex/o> .\n", "blank node");
    REJECT(f, "<http://ex/s>\n<http://ex/p> <http://ex/o> .\n", "line 1");

    /* IRIs */
    REJECT(f, "<relative> <http://ex/p> <http://ex/o> .\n", "relative");
    REJECT(f, "<http://ex/a b> <http://ex/p> <http://ex/o> .\n", "IRI");
    REJECT(f, "<http://ex/a\\u0020b> <http://ex/p> <http://ex/o> .\n", "IRI");
    REJECT(f, "<http://ex/a\\nb> <http://ex/p> <http://ex/o> .\n", "IRI");
    REJECT(f, "<http://ex/a{b}> <http://ex/p> <http://ex/o> .\n", "IRI");
    REJECT(f, "<http://ex/s <http://ex/p> <http://ex/o> .\n", NULL);

    /* invalid UTF-8, with the line it is on */
    REJECT(f, "\n\n<http://ex/s> <http://ex/p> \"\xC3\x28\" .\n", "line 3");
    REJECT(f, "<http://ex/s> <http://ex/p> \"\xC0\xAF\" .\n", "UTF-8");
    REJECT(f, "<http://ex/s> <http://ex/p> \"\xED\xA0\x80\" .\n", "UTF-8");
    REJECT(f, "<http://ex/s> <http://ex/p> \"\xF4\x90\x80\x80\" .\n", "UTF-8");
    REJECT(f, "<http://ex/s> <http://ex/p> \"\xE6\x97\" .\n", "UTF-8");
    REJECT(f, "<http://ex/s> <http://ex/p> \"\xFF\" .\n", "UTF-8");
}

static void
test_limit(void **state)
{
    fix_t *f = *state;
    const char *text =
        "<http://ex/s> <http://ex/p> \"1\" .\n"
        "<http://ex/s> <http://ex/p> \"2\" .\n"
        "<http://ex/s> <http://ex/p> \"3\" .\n";

    badge_quads_init(&f->q, f->a, 2);
    assert_int_equal(badge_nquads_parse(f->a, text, strlen(text), &f->q,
                                        &f->err), -1);
    assert_string_equal(f->err.code, "nquads_too_large");

    /* an empty document is fine */
    assert_int_equal(parse(f, ""), 0);
    assert_int_equal(f->q.n, 0);
    assert_string_equal(serialize(f), "");
    assert_int_equal(parse(f, "# only a comment"), 0);
    assert_int_equal(f->q.n, 0);
}

static void
test_write_terms(void **state)
{
    fix_t        *f = *state;
    badge_buf_t   b;
    badge_quad_t  q;

    memset(&q, 0, sizeof(q));
    q.s.kind = BADGE_TERM_BNODE;
    q.s.value = "x";
    q.p.kind = BADGE_TERM_IRI;
    q.p.value = "http://ex/p";
    q.o.kind = BADGE_TERM_LITERAL;
    q.o.value = "v";
    q.o.datatype = XSD "string";        /* spelt out: still omitted */
    badge_buf_init(&b, f->a, 16);
    badge_nquads_write_quad(&b, &q);
    q.o.lang = "ja";
    q.o.datatype = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";
    q.g.kind = BADGE_TERM_IRI;
    q.g.value = "http://ex/g";
    badge_nquads_write_quad(&b, &q);
    assert_string_equal(badge_buf_cstr(&b),
        "_:x <http://ex/p> \"v\" .\n"
        "_:x <http://ex/p> \"v\"@ja <http://ex/g> .\n");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_parse_terms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_escapes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bnode_labels, setup, teardown),
        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rejections, setup, teardown),
        cmocka_unit_test_setup_teardown(test_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_terms, setup, teardown),
    };

    return cmocka_run_group_tests_name("nquads", tests, NULL, NULL);
}
