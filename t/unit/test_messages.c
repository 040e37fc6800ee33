/*
 * Unit tests of the Japanese report texts (src/messages.c): every code the
 * core writes has a Japanese sentence (found by reading src/ at test time,
 * so a new code without one fails here), the table has no dead entries,
 * "alone" is only claimed for fixed messages, and the pages show the
 * sentences: the badge page (src/page.c) and the verify page
 * (src/verify_page.c), for a passed, a failed and an unchecked check, and
 * so does the text report (src/report.c, badgectl verify --lang ja).
 * Run from the repository root (t/run-tests.sh does).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <dirent.h>
#include <cmocka.h>

#include "badge.h"
#include "messages.h"
#include "page.h"
#include "session.h"
#include "verify_page.h"

#define PAGES   "t/vectors/pages/"
#define JA_NOW  1777593600     /* 2026-05-01T00:00:00Z */
#define DID_URL "https://badges.sakura-u.example/.well-known/did.json"

/* ------------------------------------------------------------------ */
/* Reading src/                                                         */

static char *
slurp(const char *path, size_t *len)
{
    FILE  *f = fopen(path, "rb");
    char  *buf;
    long   n;

    if (f == NULL) {
        fail_msg("cannot open %s (run from the repository root)", path);
    }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t) n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t) n, f), (size_t) n);
    buf[n] = '\0';
    fclose(f);
    if (len != NULL) {
        *len = (size_t) n;
    }
    return buf;
}

/* The functions that take a report code, the index of that argument, and
 * of the message format after it (-1: the message is not a format the
 * report keeps as written). */
static const struct {
    const char *name;
    int         code_arg;
    int         fmt_arg;
} code_funcs[] = {
    { "badge_report_check", 3, 4 },
    { "badge_report_error", 1, 2 },
    { "badge_err_set", 1, -1 },         /* lower layers: messages get */
    { "badge_di_step", 2, -1 },         /* prefixed and combined */
    { "badge_status_pass", 1, -1 },
    { "jl_err", 1, -1 },                /* code from an E_ macro */
};

typedef struct {
    char        code[64];
    int         fixed;          /* the message is always this literal */
    char       *msg;            /* the literal, when fixed */
    char        where[64];
} occ_t;

typedef struct {
    char        name[64];
    char       *value;          /* the macro's first string literal */
} macro_t;

typedef struct {
    occ_t      *occ;
    size_t      n, cap;
    macro_t    *mac;
    size_t      n_mac, cap_mac;
} scan_t;

static scan_t scan;

/* Blank out comments (keeping strings and line breaks). */
static void
strip_comments(char *s)
{
    char *p = s;

    while (*p != '\0') {
        if (*p == '"' || *p == '\'') {
            char q = *p++;

            while (*p != '\0' && *p != q) {
                if (*p == '\\' && p[1] != '\0') {
                    p++;
                }
                p++;
            }
            if (*p != '\0') {
                p++;
            }
        } else if (p[0] == '/' && p[1] == '*') {
            while (*p != '\0' && !(p[0] == '*' && p[1] == '/')) {
                if (*p != '\n') {
                    *p = ' ';
                }
                p++;
            }
            if (*p != '\0') {
                p[0] = p[1] = ' ';
                p += 2;
            }
        } else if (p[0] == '/' && p[1] == '/') {
            while (*p != '\0' && *p != '\n') {
                *p++ = ' ';
            }
        } else {
            p++;
        }
    }
}

/* The string literal at *pp (its opening quote): its value, unescaped
 * enough for codes and messages; *pp moves past it. */
static char *
literal(const char **pp, char *out, size_t *len, size_t cap)
{
    const char *p = *pp + 1;

    while (*p != '\0' && *p != '"') {
        if (*p == '\\' && p[1] != '\0') {
            p++;
        }
        if (*len + 1 < cap) {
            out[(*len)++] = *p;
        }
        p++;
    }
    out[*len] = '\0';
    *pp = *p == '"' ? p + 1 : p;
    return out;
}

/* Adjacent literals from *pp on (whitespace between them): concatenated
 * into out; returns how many there were. */
static int
literals(const char **pp, char *out, size_t cap)
{
    const char *p = *pp;
    size_t      len = 0;
    int         n = 0;

    out[0] = '\0';
    for ( ;; ) {
        while (isspace((unsigned char) *p) || *p == '\\') {
            p++;
        }
        if (*p != '"') {
            break;
        }
        literal(&p, out, &len, cap);
        n++;
    }
    *pp = p;
    return n;
}

static int
is_code(const char *s)
{
    if (*s == '\0') {
        return 0;
    }
    for (; *s != '\0'; s++) {
        if (!(islower((unsigned char) *s) || isdigit((unsigned char) *s)
              || *s == '_'))
        {
            return 0;
        }
    }
    return 1;
}

static const char *
macro_value(const char *name)
{
    size_t i;

    for (i = 0; i < scan.n_mac; i++) {
        if (strcmp(scan.mac[i].name, name) == 0) {
            return scan.mac[i].value;
        }
    }
    return NULL;
}

static void
add_occ(const char *code, int fixed, const char *msg, const char *file,
    int line)
{
    occ_t *o;

    if (!is_code(code) || strlen(code) >= sizeof(o->code)) {
        return;
    }
    if (scan.n == scan.cap) {
        scan.cap = scan.cap ? scan.cap * 2 : 256;
        scan.occ = realloc(scan.occ, scan.cap * sizeof(*scan.occ));
        assert_non_null(scan.occ);
    }
    o = &scan.occ[scan.n++];
    memset(o, 0, sizeof(*o));
    strcpy(o->code, code);
    o->fixed = fixed;
    o->msg = fixed ? strdup(msg) : NULL;
    snprintf(o->where, sizeof(o->where), "%s:%d", file, line);
}

/* The arguments of the call whose '(' is at p: [start, end) of each,
 * split at top-level commas. */
#define MAX_ARGS 16
static int
split_args(const char *p, const char **start, const char **end)
{
    int depth = 0, n = 0;

    start[n] = ++p;
    for (; *p != '\0'; p++) {
        if (*p == '"' || *p == '\'') {
            char q = *p++;

            while (*p != '\0' && *p != q) {
                if (*p == '\\' && p[1] != '\0') {
                    p++;
                }
                p++;
            }
            if (*p == '\0') {
                break;
            }
        } else if (*p == '(' || *p == '[' || *p == '{') {
            depth++;
        } else if (*p == ')' || *p == ']' || *p == '}') {
            if (depth-- == 0) {
                end[n++] = p;
                return n;
            }
        } else if (*p == ',' && depth == 0) {
            end[n++] = p;
            if (n == MAX_ARGS) {
                return n;
            }
            start[n] = p + 1;
        }
    }
    return n;
}

/* The codes in one argument: its literals outside any parentheses (a
 * ternary gives two), or the macro it names. */
static int
arg_codes(const char *b, const char *e, const char *file, int line,
    int fixed_ok, const char *fixed_msg)
{
    const char *p = b;
    char        buf[512], id[64];
    int         depth = 0, found = 0, groups = 0;
    size_t      k;

    while (p < e) {
        if (*p == '"') {
            const char *q = p;

            literals(&q, buf, sizeof(buf));
            groups++;
            if (depth == 0) {
                add_occ(buf, 0, NULL, file, line);
                found++;
            }
            p = q;
            continue;
        }
        if (*p == '(') {
            depth++;
        } else if (*p == ')') {
            depth--;
        }
        p++;
    }
    if (found == 1 && groups == 1 && fixed_ok) {
        /* exactly one literal code: mark its occurrence fixed */
        scan.occ[scan.n - 1].fixed = 1;
        scan.occ[scan.n - 1].msg = strdup(fixed_msg);
    }
    if (found == 0) {
        /* a bare identifier: a macro's code (NQ_ERR, E_NOT_BUNDLED) */
        while (b < e && isspace((unsigned char) *b)) {
            b++;
        }
        for (k = 0; b < e && k + 1 < sizeof(id)
                    && (isalnum((unsigned char) *b) || *b == '_'); b++)
        {
            id[k++] = *b;
        }
        id[k] = '\0';
        while (b < e && isspace((unsigned char) *b)) {
            b++;
        }
        if (b == e && k > 0 && macro_value(id) != NULL) {
            add_occ(macro_value(id), 0, NULL, file, line);
            found++;
        }
    }
    return found;
}

/* An argument that is only literals (a format: without a conversion). */
static int
fixed_text(const char *b, const char *e, char *out, size_t cap, int fmt)
{
    const char *p = b;

    if (literals(&p, out, cap) == 0) {
        return 0;
    }
    while (p < e && isspace((unsigned char) *p)) {
        p++;
    }
    return p == e && !(fmt && strchr(out, '%') != NULL);
}

static int
line_of(const char *s, const char *p)
{
    int n = 1;

    for (; s < p; s++) {
        n += *s == '\n';
    }
    return n;
}

static void
scan_macros(const char *s)
{
    const char *p = s, *q;
    char        name[64], buf[512];
    size_t      k, len;

    while ((p = strstr(p, "#define ")) != NULL) {
        p += 8;
        for (k = 0; k + 1 < sizeof(name)
                    && (isalnum((unsigned char) *p) || *p == '_'); p++)
        {
            name[k++] = *p;
        }
        name[k] = '\0';
        q = p;
        while (*q == ' ' || *q == '\t' || *q == '\\' || *q == '\n') {
            q++;
        }
        if (k == 0 || *q != '"') {
            continue;
        }
        len = 0;
        literal(&q, buf, &len, sizeof(buf));
        if (scan.n_mac == scan.cap_mac) {
            scan.cap_mac = scan.cap_mac ? scan.cap_mac * 2 : 64;
            scan.mac = realloc(scan.mac, scan.cap_mac * sizeof(*scan.mac));
            assert_non_null(scan.mac);
        }
        strcpy(scan.mac[scan.n_mac].name, name);
        scan.mac[scan.n_mac++].value = strdup(buf);
    }
}

static void
scan_calls(const char *file, const char *s)
{
    const char *p, *start[MAX_ARGS], *end[MAX_ARGS];
    char        fmt[512];
    size_t      f;
    int         n, fixed;

    for (f = 0; f < sizeof(code_funcs) / sizeof(code_funcs[0]); f++) {
        size_t nl = strlen(code_funcs[f].name);

        for (p = s; (p = strstr(p, code_funcs[f].name)) != NULL; p += nl) {
            const char *q = p + nl;

            if ((p > s && (isalnum((unsigned char) p[-1]) || p[-1] == '_'))
                || isalnum((unsigned char) *q) || *q == '_')
            {
                continue;
            }
            while (isspace((unsigned char) *q)) {
                q++;
            }
            if (*q != '(') {
                continue;
            }
            n = split_args(q, start, end);
            if (n <= code_funcs[f].code_arg) {
                continue;
            }
            fixed = code_funcs[f].fmt_arg >= 0 && n > code_funcs[f].fmt_arg
                    && fixed_text(start[code_funcs[f].fmt_arg],
                                  end[code_funcs[f].fmt_arg], fmt,
                                  sizeof(fmt), 1);
            arg_codes(start[code_funcs[f].code_arg],
                      end[code_funcs[f].code_arg], file, line_of(s, p),
                      fixed, fmt);
        }
    }
}

/* src/http_glue.c's table of request errors: { status, "code", "msg" } */
static void
scan_http_table(const char *file, const char *s)
{
    const char *p, *start[MAX_ARGS], *end[MAX_ARGS], *q;
    char        code[128], msg[512];
    int         n;

    for (p = s; (p = strstr(p, "] = {")) != NULL; p += 5) {
        n = split_args(p + 4, start, end);
        if (n < 3) {
            continue;
        }
        q = start[0];
        while (isspace((unsigned char) *q)) {
            q++;
        }
        if (!isdigit((unsigned char) *q)) {
            continue;
        }
        q = start[1];
        if (literals(&q, code, sizeof(code)) != 1) {
            continue;
        }
        add_occ(code, fixed_text(start[2], end[2], msg, sizeof(msg), 0),
                msg, file, line_of(s, p));
    }
}

static void
scan_src(void)
{
    DIR           *d;
    struct dirent *de;
    char           path[512], *files[256];
    size_t         nf = 0, i, len;

    if (scan.occ != NULL) {
        return;
    }
    d = opendir("src");
    assert_non_null(d);
    while ((de = readdir(d)) != NULL && nf < 256) {
        len = strlen(de->d_name);
        if (len > 2 && de->d_name[len - 2] == '.'
            && (de->d_name[len - 1] == 'c' || de->d_name[len - 1] == 'h'))
        {
            snprintf(path, sizeof(path), "src/%s", de->d_name);
            files[nf++] = strdup(path);
        }
    }
    closedir(d);
    assert_true(nf > 20);
    for (i = 0; i < nf; i++) {
        char *s = slurp(files[i], NULL);

        strip_comments(s);
        scan_macros(s);
        free(s);
    }
    for (i = 0; i < nf; i++) {
        char *s = slurp(files[i], NULL);

        strip_comments(s);
        if (strcmp(files[i], "src/contexts_data.c") != 0) {
            scan_calls(files[i], s);
        }
        if (strcmp(files[i], "src/http_glue.c") == 0) {
            scan_http_table(files[i], s);
        }
        free(s);
        free(files[i]);
    }
}

static int
used(const char *code)
{
    size_t i, n = strlen(code);

    for (i = 0; i < scan.n; i++) {
        if (n > 1 && code[n - 1] == '*'
            ? strncmp(scan.occ[i].code, code, n - 1) == 0
            : strcmp(scan.occ[i].code, code) == 0)
        {
            return 1;
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* The table against src/                                               */

static void
test_scanner_finds_codes(void **state)
{
    static const char *known[] = {
        "signature_valid", "signature_invalid", "status_revoked",
        "issuer_unknown", "key_unresolvable", "input_empty",
        "ob2_revocation_list_invalid",      /* split literal */
        "issuer_missing", "issuer_invalid", /* a ternary */
        "status_not_revoked",               /* badge_status_pass() */
        "proof_purpose_mismatch",           /* badge_di_step() */
        "nquads_syntax",                    /* a macro */
        "jsonld_context_not_bundled",       /* an E_ macro via jl_err() */
        "form_no_credential",               /* http_glue.c's table */
        "fetch_failed", "url_refused",      /* session.c */
    };
    size_t i, j;

    (void) state;
    scan_src();
    assert_true(scan.n > 300);
    for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
        for (j = 0; j < scan.n && strcmp(scan.occ[j].code, known[i]); j++) {
        }
        if (j == scan.n) {
            fail_msg("the scan of src/ misses %s", known[i]);
        }
    }
    /* strcmp(purpose, "revocation") inside a code argument is no code */
    assert_false(used("revocation"));
}

static void
test_every_code_has_japanese(void **state)
{
    char   missing[4096] = "", needle[80];
    size_t i, nm = 0;

    (void) state;
    scan_src();
    for (i = 0; i < scan.n; i++) {
        snprintf(needle, sizeof(needle), "\n  %s (", scan.occ[i].code);
        if (badge_message_code_find(scan.occ[i].code) == NULL
            && strstr(missing, needle) == NULL)
        {
            nm++;
            snprintf(missing + strlen(missing),
                     sizeof(missing) - strlen(missing), "\n  %s (%s)",
                     scan.occ[i].code, scan.occ[i].where);
        }
    }
    if (nm > 0) {
        fail_msg("%zu report codes have no Japanese sentence in "
                 "src/messages.c:%s", nm, missing);
    }
}

static void
test_table_is_tidy(void **state)
{
    const badge_code_text_t *t;
    const unsigned char     *p;
    size_t                   n, i;
    int                      wide;

    (void) state;
    scan_src();
    t = badge_message_code_table(&n);
    assert_true(n > 200);
    for (i = 0; i < n; i++) {
        if (i > 0 && strcmp(t[i - 1].code, t[i].code) >= 0) {
            fail_msg("src/messages.c: %s is out of order (after %s)",
                     t[i].code, t[i - 1].code);
        }
        if (!used(t[i].code)) {
            fail_msg("src/messages.c: %s is used nowhere in src/",
                     t[i].code);
        }
        /* a Japanese sentence: some non-ASCII text, a full stop */
        wide = 0;
        for (p = (const unsigned char *) t[i].ja; *p != '\0'; p++) {
            wide |= *p >= 0x80;
        }
        if (!wide || strlen(t[i].ja) < 3
            || strcmp(t[i].ja + strlen(t[i].ja) - 3, "\xe3\x80\x82") != 0)
        {
            fail_msg("src/messages.c: %s: \"%s\" is not a Japanese "
                     "sentence ending in 。", t[i].code, t[i].ja);
        }
        assert_ptr_equal(badge_message_code_find(t[i].code), &t[i]);
    }
}

/* "alone" (no English detail line) only where every message of the code
 * is the same fixed text. */
static void
test_alone_only_for_fixed_messages(void **state)
{
    const badge_code_text_t *t;
    const char              *msg;
    size_t                   n, i, j;

    (void) state;
    scan_src();
    t = badge_message_code_table(&n);
    for (i = 0; i < n; i++) {
        if (!t[i].alone) {
            continue;
        }
        msg = NULL;
        for (j = 0; j < scan.n; j++) {
            if (strcmp(scan.occ[j].code, t[i].code) != 0) {
                continue;
            }
            if (!scan.occ[j].fixed) {
                fail_msg("src/messages.c: %s is marked alone, but %s "
                         "writes it with a message of its own", t[i].code,
                         scan.occ[j].where);
            }
            if (msg != NULL && strcmp(msg, scan.occ[j].msg) != 0) {
                fail_msg("src/messages.c: %s is marked alone, but %s "
                         "writes another message (\"%s\", not \"%s\")",
                         t[i].code, scan.occ[j].where, scan.occ[j].msg,
                         msg);
            }
            msg = scan.occ[j].msg;
        }
        assert_non_null(msg);
    }
}

static void
test_code_text(void **state)
{
    const char *text, *detail;

    (void) state;
    /* English: the report's message as it is */
    badge_message_code_text("signature_valid", "the EdDSA signature is valid",
                            0, &text, &detail);
    assert_string_equal(text, "the EdDSA signature is valid");
    assert_null(detail);
    /* Japanese: the sentence, and the message as the detail */
    badge_message_code_text("signature_valid", "the EdDSA signature is valid",
                            1, &text, &detail);
    assert_string_equal(text, "署名は有効です。");
    assert_string_equal(detail, "the EdDSA signature is valid");
    /* a fixed message the sentence says in full: no detail */
    badge_message_code_text("alg_none", "the token is unsigned (alg \"none\"):"
                            " never accepted", 1, &text, &detail);
    assert_string_equal(text, "署名のないトークン（alg \"none\"）です。"
                              "受け付けません。");
    assert_null(detail);
    /* the JSON-LD error codes share one sentence; one has its own */
    assert_string_equal(
        badge_message_code_find("jsonld_invalid_iri_mapping")->code,
        "jsonld_*");
    assert_string_equal(
        badge_message_code_find("jsonld_context_not_bundled")->code,
        "jsonld_context_not_bundled");
    /* an unknown code: the message, even in Japanese */
    badge_message_code_text("no_such_code", "something", 1, &text, &detail);
    assert_string_equal(text, "something");
    assert_null(detail);
    badge_message_code_text("no_such_code", NULL, 1, &text, &detail);
    assert_string_equal(text, "no_such_code");
    assert_null(badge_message_code_find(NULL));
}

/* ------------------------------------------------------------------ */
/* The pages                                                            */

/* Verify the sample badge offline, with its DID document when with_did,
 * after flipping one signature character when tamper. */
static badge_session_t *
verify_sample(badge_ctx_t **ctx, const char *lang, int with_did, int tamper)
{
    badge_verify_opts_t  vo;
    badge_session_t     *s;
    const char *const   *urls;
    char                *data, *did, err[256];
    size_t               len, dlen, n, i;
    int                  rounds = 0;

    *ctx = badge_ctx_new();
    assert_non_null(*ctx);
    if (with_did) {
        did = slurp(PAGES "did-sakura.json", &dlen);
        assert_int_equal(badge_ctx_add_document(*ctx, DID_URL, did, dlen,
                                                err, sizeof(err)), 0);
        free(did);
    }
    data = slurp(PAGES "ja-dx-course.jwt", &len);
    while (len > 0 && isspace((unsigned char) data[len - 1])) {
        len--;
    }
    if (tamper) {
        data[len - 20] = data[len - 20] == 'A' ? 'B' : 'A';
    }
    memset(&vo, 0, sizeof(vo));
    vo.now = JA_NOW;
    vo.lang = lang;
    s = badge_session_new(*ctx, &vo);
    assert_non_null(s);
    assert_int_equal(badge_session_set_input(s, data, len), 0);
    while (badge_session_run(s) == BADGE_NEED_DOCUMENTS && rounds++ < 10) {
        n = badge_session_needed(s, &urls);
        for (i = 0; i < n; i++) {
            badge_session_supply(s, urls[i], 0, NULL, NULL, 0);
        }
    }
    free(data);
    return s;
}

static void
has(const char *html, const char *s)
{
    if (strstr(html, s) == NULL) {
        fail_msg("page lacks: %s", s);
    }
}

static void
lacks(const char *html, const char *s)
{
    if (strstr(html, s) != NULL) {
        fail_msg("page has: %s", s);
    }
}

static char *
badge_page(badge_session_t *s, const char *lang)
{
    badge_page_opts_t  po;
    const char        *html;
    char               err[256];
    size_t             len;

    memset(&po, 0, sizeof(po));
    po.lang = lang;
    po.page_url = "https://badges.sakura-u.example/badges/dx-8821";
    html = badge_page_render(s, NULL, 0, &po, &len, err, sizeof(err));
    if (html == NULL) {
        fail_msg("render: %s", err);
    }
    return strdup(html);
}

static char *
verify_page(badge_session_t *s, const char *lang)
{
    badge_verify_page_t  p;
    size_t               len;
    char                *html;

    memset(&p, 0, sizeof(p));
    p.action = "/verify";
    p.lang = lang;
    html = badge_verify_page_html(s, &p, NULL, NULL, &len);
    assert_non_null(html);
    return html;
}

static void
test_badge_page_ja(void **state)
{
    badge_ctx_t     *ctx;
    badge_session_t *s;
    char            *html;

    (void) state;
    /* pass: the Japanese sentence, the English detail marked as such */
    s = verify_sample(&ctx, "ja", 1, 0);
    html = badge_page(s, "ja");
    has(html, "<span class=\"check-msg\">署名は有効です。<span "
              "class=\"check-detail\" lang=\"en\">the EdDSA signature is "
              "valid</span></span>");
    has(html, "<span class=\"check-msg\">信頼する発行者として設定されて"
              "いません。");
    has(html, "<span class=\"check-msg\">有効期間内です。<span "
              "class=\"check-detail\" lang=\"en\">valid from ");
    lacks(html, "<span class=\"check-msg\">the ");
    free(html);
    /* the same session on an English page: the report's messages */
    html = badge_page(s, "en");
    has(html, "<span class=\"check-msg\">the EdDSA signature is valid"
              "</span>");
    lacks(html, "check-detail\" lang");
    lacks(html, "署名は有効です");
    free(html);
    badge_session_free(s);
    badge_ctx_free(ctx);

    /* fail: a tampered signature, and the reason in the banner */
    s = verify_sample(&ctx, "ja", 1, 1);
    html = badge_page(s, "ja");
    has(html, "<li class=\"check-fail\">");
    has(html, "<span class=\"check-msg\">署名が無効です（改ざんされているか"
              "、別の鍵による署名です）。<span class=\"check-detail\" "
              "lang=\"en\">the EdDSA signature does not match</span>");
    has(html, "署名 — 署名が無効です");
    has(html, "<span class=\"status-reason-detail\" lang=\"en\">(the EdDSA "
              "signature does not match)</span>");
    free(html);
    badge_session_free(s);
    badge_ctx_free(ctx);

    /* unchecked: the issuer's DID document could not be fetched */
    s = verify_sample(&ctx, "ja", 0, 0);
    html = badge_page(s, "ja");
    has(html, "<li class=\"check-unchecked\">");
    has(html, "<span class=\"check-msg\">鍵がないため、署名を確認できません"
              "でした。<span class=\"check-detail\" lang=\"en\">the EdDSA "
              "signature could not be checked without the key</span>");
    has(html, "<span class=\"check-msg\">必要な文書を取得できませんでした。"
              "<span class=\"check-detail\" lang=\"en\">key did:web:");
    /* a fixed message: the sentence alone */
    has(html, "<span class=\"check-msg\">資格情報が認証されていないため、"
              "発行者は確認していません。</span>");
    lacks(html, "not checked: the credential is not authenticated");
    free(html);
    badge_session_free(s);
    badge_ctx_free(ctx);
}

static void
test_verify_page_ja(void **state)
{
    badge_ctx_t         *ctx;
    badge_session_t     *s;
    badge_verify_page_t  p;
    badge_verify_opts_t  vo;
    char                *html;
    size_t               len;

    (void) state;
    s = verify_sample(&ctx, "ja", 1, 0);
    html = verify_page(s, "ja");
    has(html, "<code>signature_valid</code><div class=\"msg\">署名は有効です"
              "。</div><div class=\"msg-detail\" lang=\"en\">the EdDSA "
              "signature is valid</div>");
    free(html);
    html = verify_page(s, "en");
    has(html, "<code>signature_valid</code><div class=\"msg\">the EdDSA "
              "signature is valid</div></div></li>");
    lacks(html, "msg-detail\" lang");
    free(html);
    badge_session_free(s);
    badge_ctx_free(ctx);

    s = verify_sample(&ctx, "ja", 1, 1);
    html = verify_page(s, "ja");
    has(html, "<code>signature_invalid</code><div class=\"msg\">署名が無効"
              "です（改ざんされているか、別の鍵による署名です）。</div>");
    free(html);
    badge_session_free(s);
    badge_ctx_free(ctx);

    s = verify_sample(&ctx, "ja", 0, 0);
    html = verify_page(s, "ja");
    has(html, "data-status=\"unchecked\"");
    has(html, "<code>key_missing</code><div class=\"msg\">鍵がないため、"
              "署名を確認できませんでした。</div>");
    has(html, "<code>issuer_unauthenticated</code><div class=\"msg\">"
              "資格情報が認証されていないため、発行者は確認していません。"
              "</div></div></li>");
    free(html);
    badge_session_free(s);
    badge_ctx_free(ctx);

    /* a request error (from the host): its sentence too */
    memset(&p, 0, sizeof(p));
    p.lang = "ja";
    p.error_code = "form_no_credential";
    p.error_message = "the form has no \"credential\" field";
    html = badge_verify_page_html(NULL, &p, NULL, NULL, &len);
    assert_non_null(html);
    has(html, "フォームに資格情報（credential）の欄がありません。 <code>"
              "form_no_credential</code></p></div>");
    lacks(html, "the form has no");
    free(html);
    /* an input error of the report */
    ctx = badge_ctx_new();
    assert_non_null(ctx);
    memset(&vo, 0, sizeof(vo));
    vo.lang = "ja";
    s = badge_session_new(ctx, &vo);
    assert_non_null(s);
    assert_int_equal(badge_session_set_input(s, "hello", 5), 0);
    assert_int_equal(badge_session_run(s), BADGE_DONE);
    html = verify_page(s, "ja");
    has(html, "<code>input_unrecognized</code><div class=\"msg\">入力は"
              "JSON、JWT、PNG・SVGのバッジ画像のいずれでもありません。"
              "</div></div></li>");
    free(html);
    badge_session_free(s);
    badge_ctx_free(ctx);
}

/* badgectl verify --lang ja: the text report */
static void
test_text_report_ja(void **state)
{
    badge_ctx_t     *ctx;
    badge_session_t *s;
    const char      *text;
    size_t           len;

    (void) state;
    s = verify_sample(&ctx, "ja", 0, 0);
    text = badge_session_report_text(s, &len);
    assert_non_null(text);
    has(text, "  ? 署名: 鍵がないため、署名を確認できませんでした。 "
              "[key_missing]\n      the EdDSA signature could not be checked "
              "without the key\n");
    has(text, "  ? 発行者: 資格情報が認証されていないため、発行者は確認して"
              "いません。 [issuer_unauthenticated]\n  ");
    badge_session_free(s);
    badge_ctx_free(ctx);
    s = verify_sample(&ctx, "en", 0, 0);
    text = badge_session_report_text(s, &len);
    has(text, "  ? Signature: the EdDSA signature could not be checked "
              "without the key [key_missing]\n");
    lacks(text, "鍵がない");
    badge_session_free(s);
    badge_ctx_free(ctx);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scanner_finds_codes),
        cmocka_unit_test(test_every_code_has_japanese),
        cmocka_unit_test(test_table_is_tidy),
        cmocka_unit_test(test_alone_only_for_fixed_messages),
        cmocka_unit_test(test_code_text),
        cmocka_unit_test(test_badge_page_ja),
        cmocka_unit_test(test_verify_page_ja),
        cmocka_unit_test(test_text_report_ja),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
