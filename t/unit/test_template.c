/*
 * Unit tests of the page template language (src/template.c): rendering
 * rules, escaping decided by the data, the URL sanitizer, syntax errors
 * with line numbers, and the work limit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arena.h"
#include "page.h"
#include "template.h"

/* Render text against root; returns the output in a (or NULL with err). */
static const char *
render(badge_arena_t *a, const char *text, const badge_tv_t *root,
    badge_err_t *err)
{
    badge_tpl_t *t;
    badge_buf_t  b;

    badge_err_clear(err);
    t = badge_tpl_compile(a, text, strlen(text), err);
    if (t == NULL) {
        return NULL;
    }
    badge_buf_init(&b, a, 64);
    if (badge_tpl_render(t, root, &b, err) != 0) {
        return NULL;
    }
    return badge_buf_cstr(&b);
}

static badge_tv_t *
sample(badge_arena_t *a)
{
    badge_tv_t *root = badge_tv_object(a), *list, *item, *obj;

    badge_tv_set(a, root, "name", BADGE_TV_TEXT, "Tom & <Jerry> \"'`");
    badge_tv_set(a, root, "safe", BADGE_TV_SAFE, "<b>ok</b>");
    badge_tv_set(a, root, "link", BADGE_TV_URL, "https://example.org/?a=1&b=2");
    badge_tv_set(a, root, "bad", BADGE_TV_URL, "javascript:alert(1)");
    badge_tv_set(a, root, "img", BADGE_TV_IMAGE,
        "data:image/png;base64,iVBORw0KGgo=");
    badge_tv_set(a, root, "badimg", BADGE_TV_IMAGE,
        "data:text/html;base64,PHNjcmlwdD4=");
    badge_tv_set_bool(a, root, "yes", 1);
    badge_tv_set_bool(a, root, "no", 0);
    list = badge_tv_list(a);
    badge_tv_put(a, root, "items", list);
    item = badge_tv_object(a);
    badge_tv_set(a, item, "n", BADGE_TV_TEXT, "one");
    badge_tv_push(a, list, item);
    item = badge_tv_object(a);
    badge_tv_set(a, item, "n", BADGE_TV_TEXT, "two");
    badge_tv_push(a, list, item);
    badge_tv_put(a, root, "empty", badge_tv_list(a));
    list = badge_tv_list(a);
    badge_tv_put(a, root, "words", list);
    badge_tv_push(a, list, badge_tv_scalar(a, BADGE_TV_TEXT, "a<b"));
    badge_tv_push(a, list, badge_tv_scalar(a, BADGE_TV_TEXT, "c"));
    obj = badge_tv_object(a);
    badge_tv_put(a, root, "issuer", obj);
    badge_tv_set(a, obj, "title", BADGE_TV_TEXT, "Uni");
    return root;
}

static void
test_render_basics(void **state)
{
    badge_arena_t *a = badge_arena_new(0);
    badge_tv_t    *root = sample(a);
    badge_err_t    err;

    (void) state;
    assert_string_equal(render(a, "x{{name}}y", root, &err),
        "xTom &amp; &lt;Jerry&gt; &quot;&#39;&#96;y");
    /* user text stays escaped even in triple braces and {{&x}} */
    assert_string_equal(render(a, "{{{name}}}", root, &err),
        "Tom &amp; &lt;Jerry&gt; &quot;&#39;&#96;");
    assert_string_equal(render(a, "{{& name }}", root, &err),
        "Tom &amp; &lt;Jerry&gt; &quot;&#39;&#96;");
    /* renderer-made HTML: raw only in triple braces */
    assert_string_equal(render(a, "{{{safe}}}", root, &err), "<b>ok</b>");
    assert_string_equal(render(a, "{{safe}}", root, &err),
        "&lt;b&gt;ok&lt;/b&gt;");
    assert_string_equal(render(a, "{{ link }}", root, &err),
        "https://example.org/?a=1&amp;b=2");
    assert_string_equal(render(a, "{{bad}}|{{{bad}}}", root, &err), "#|#");
    assert_string_equal(render(a, "{{img}}", root, &err),
        "data:image/png;base64,iVBORw0KGgo=");
    assert_string_equal(render(a, "{{badimg}}", root, &err), "#");
    assert_string_equal(render(a, "{{missing}}.", root, &err), ".");
    assert_string_equal(render(a, "{{issuer.title}}", root, &err), "Uni");
    assert_string_equal(render(a, "{{issuer.nope}}|{{nope.title}}", root,
                               &err), "|");
    assert_string_equal(render(a, "{{! a comment }}z", root, &err), "z");
    badge_arena_free(a);
}

static void
test_sections(void **state)
{
    badge_arena_t *a = badge_arena_new(0);
    badge_tv_t    *root = sample(a);
    badge_err_t    err;

    (void) state;
    assert_string_equal(render(a, "{{#items}}[{{n}}]{{/items}}", root,
                               &err), "[one][two]");
    assert_string_equal(render(a, "{{#items}}{{name}}{{/items}}", root,
                               &err) != NULL ? "ok" : "", "ok");
    /* outer names are visible inside a section */
    assert_string_equal(render(a, "{{#items}}{{issuer.title}}{{/items}}",
                               root, &err), "UniUni");
    assert_string_equal(render(a, "{{#words}}<{{.}}>{{/words}}", root,
                               &err), "<a&lt;b><c>");
    assert_string_equal(render(a, "{{#yes}}Y{{/yes}}{{#no}}N{{/no}}", root,
                               &err), "Y");
    assert_string_equal(render(a, "{{^no}}n{{/no}}{{^yes}}y{{/yes}}", root,
                               &err), "n");
    assert_string_equal(render(a, "{{#empty}}E{{/empty}}{{^empty}}e"
                               "{{/empty}}", root, &err), "e");
    assert_string_equal(render(a, "{{^missing}}m{{/missing}}", root, &err),
        "m");
    assert_string_equal(render(a, "{{#issuer}}{{title}}{{/issuer}}", root,
                               &err), "Uni");
    assert_string_equal(render(a, "{{#name}}[{{.}}]{{/name}}", root, &err),
        "[Tom &amp; &lt;Jerry&gt; &quot;&#39;&#96;]");
    /* a block tag alone on its line takes the line with it */
    assert_string_equal(render(a, "a\n  {{#yes}}  \nb\n{{/yes}}\nc\n", root,
                               &err), "a\nb\nc\n");
    assert_string_equal(render(a, "a {{#yes}}b{{/yes}} c", root, &err),
        "a b c");
    badge_arena_free(a);
}

static void
test_escape(void **state)
{
    badge_arena_t *a = badge_arena_new(0);
    badge_buf_t    b;
    const char    *in = "a\xe2\x80\xae" "b\xe2\x81\xa6" "c\x01\x1b" "d\t\n"
                        "\xc2\x85" "e\xff" "f\xe2\x80\x8f" "g";

    (void) state;
    badge_buf_init(&b, a, 16);
    badge_tpl_escape(&b, in, strlen(in));
    /* RLO, isolates, C0/C1 controls gone; a broken byte is U+FFFD; RLM
     * (harmless) kept */
    assert_string_equal(badge_buf_cstr(&b),
        "abcd\t\ne\xef\xbf\xbd" "f\xe2\x80\x8fg");
    badge_arena_free(a);
}

static void
test_url_sanitizer(void **state)
{
    static const char *ok[] = {
        "https://example.org/", "http://example.org/a?b#c", "HTTPS://X.ORG",
        "/badges/x", "?format=json", "#top", "x/y", "badge.json",
        "https://例え.jp/パス", NULL
    };
    static const char *bad[] = {
        "javascript:alert(1)", "JavaScript:alert(1)", " javascript:x",
        "java\tscript:x", "java\nscript:x", "vbscript:msgbox",
        "data:text/html,<x>",
        "data:text/html;base64,PHg+", "//evil.example/", "/\\evil.example",
        "\\\\evil", "https://", "http://", "mailto:a@b", "file:///etc/passwd",
        "https://x/\"onmouseover=x", "https://x/ y", "", "JAVASCRIPT:x",
        "\x01javascript:x",
        "x:y", NULL
    };
    static const char *img_ok[] = {
        "data:image/png;base64,iVBORw0KGgo=", "DATA:IMAGE/JPEG;BASE64,/9j/",
        "data:image/gif;base64,R0lGOD", "data:image/svg+xml;base64,PHN2Zz4=",
        "https://example.org/i.png", NULL
    };
    static const char *img_bad[] = {
        "data:image/svg+xml,<svg onload=alert(1)>",
        "data:image/png;base64,ab cd", "data:image/png;base64,",
        "data:text/html;base64,PHg+", "data:image/png,raw",
        "javascript:alert(1)", NULL
    };
    int i;

    (void) state;
    for (i = 0; ok[i] != NULL; i++) {
        if (!badge_tpl_url_ok(ok[i], strlen(ok[i]))) {
            fail_msg("refused: %s", ok[i]);
        }
    }
    for (i = 0; bad[i] != NULL; i++) {
        if (badge_tpl_url_ok(bad[i], strlen(bad[i]))) {
            fail_msg("allowed: %s", bad[i]);
        }
        if (badge_tpl_image_ok(bad[i], strlen(bad[i]))) {
            fail_msg("allowed as image: %s", bad[i]);
        }
    }
    for (i = 0; img_ok[i] != NULL; i++) {
        if (!badge_tpl_image_ok(img_ok[i], strlen(img_ok[i]))) {
            fail_msg("image refused: %s", img_ok[i]);
        }
    }
    for (i = 0; img_bad[i] != NULL; i++) {
        if (badge_tpl_image_ok(img_bad[i], strlen(img_bad[i]))) {
            fail_msg("image allowed: %s", img_bad[i]);
        }
        if (badge_tpl_url_ok(img_bad[i], strlen(img_bad[i]))) {
            fail_msg("allowed as link: %s", img_bad[i]);
        }
    }
}

static void
test_syntax_errors(void **state)
{
    static const struct {
        const char *text;
        const char *want;       /* in the message */
    } cases[] = {
        { "a\nb {{name", "line 2: '{{' is not closed" },
        { "{{{name}}", "line 1: '{{{' is not closed" },
        { "x\n{{#a}}\n\ny", "line 2: section 'a' is not closed" },
        { "{{#a}}\n{{/b}}", "line 2: '{{/b}}' closes 'a' opened on line 1" },
        { "\n\n{{/a}}", "line 3: '{{/a}}' closes no open section" },
        { "{{> partial}}", "partials" },
        { "{{=<% %>=}}", "changing delimiters" },
        { "{{na me}}", "bad character in name" },
        { "{{a..b}}", "empty part in name" },
        { "{{}}", "empty tag" },
        { "{{#}}{{/}}", "empty tag" },
        { NULL, NULL }
    };
    badge_arena_t *a = badge_arena_new(0);
    badge_err_t    err;
    badge_buf_t    deep;
    int            i;
    char           msg[256];

    (void) state;
    for (i = 0; cases[i].text != NULL; i++) {
        badge_err_clear(&err);
        assert_null(badge_tpl_compile(a, cases[i].text,
                                      strlen(cases[i].text), &err));
        if (strstr(err.message, cases[i].want) == NULL) {
            fail_msg("%s: got '%s', want '%s'", cases[i].text, err.message,
                cases[i].want);
        }
    }
    /* nesting bound */
    badge_buf_init(&deep, a, 64);
    for (i = 0; i < BADGE_TPL_MAX_DEPTH + 1; i++) {
        badge_buf_puts(&deep, "{{#a}}");
    }
    badge_err_clear(&err);
    assert_null(badge_tpl_compile(a, badge_buf_cstr(&deep), deep.len, &err));
    assert_non_null(strstr(err.message, "nested deeper"));

    /* the public wrapper: the message names the line */
    assert_null(badge_page_template_compile("ok\n{{#x}}", 9, msg,
                                            sizeof(msg)));
    assert_non_null(strstr(msg, "line 2"));
    assert_null(badge_page_template_load("/nonexistent/t.html", msg,
                                         sizeof(msg)));
    assert_non_null(strstr(msg, "cannot open"));
    badge_arena_free(a);
}

/* {{#a}} nested 20 deep over a 10-item list is 10^20 iterations: the
 * work limit stops it. */
static void
test_work_limit(void **state)
{
    badge_arena_t *a = badge_arena_new(0);
    badge_tv_t    *root = badge_tv_object(a), *list = badge_tv_list(a);
    badge_buf_t    t;
    badge_err_t    err;
    int            i;

    (void) state;
    badge_tv_put(a, root, "a", list);
    for (i = 0; i < 10; i++) {
        badge_tv_push(a, list, badge_tv_object(a));
    }
    badge_buf_init(&t, a, 256);
    for (i = 0; i < 20; i++) {
        badge_buf_puts(&t, "{{#a}}");
    }
    for (i = 0; i < 20; i++) {
        badge_buf_puts(&t, "{{/a}}");
    }
    assert_null(render(a, badge_buf_cstr(&t), root, &err));
    assert_string_equal(err.code, "template_too_much_work");
    badge_arena_free(a);
}

/* A compiled template is reusable: render twice, same result. */
static void
test_reuse(void **state)
{
    badge_arena_t *a = badge_arena_new(0);
    badge_tv_t    *root = sample(a);
    badge_tpl_t   *t;
    badge_buf_t    b1, b2;
    badge_err_t    err;
    const char    *text = "{{#items}}{{n}},{{/items}}{{name}}";

    (void) state;
    badge_err_clear(&err);
    t = badge_tpl_compile(a, text, strlen(text), &err);
    assert_non_null(t);
    badge_buf_init(&b1, a, 16);
    badge_buf_init(&b2, a, 16);
    assert_int_equal(badge_tpl_render(t, root, &b1, &err), 0);
    assert_int_equal(badge_tpl_render(t, root, &b2, &err), 0);
    assert_string_equal(badge_buf_cstr(&b1), badge_buf_cstr(&b2));
    badge_arena_free(a);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_render_basics),
        cmocka_unit_test(test_sections),
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_url_sanitizer),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_work_limit),
        cmocka_unit_test(test_reuse),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
