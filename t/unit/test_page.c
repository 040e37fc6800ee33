/*
 * Unit tests of the badge page (src/page.c): what a page shows in both
 * languages, what it never shows (hashed e-mail addresses), injection
 * through every rendered field, the JSON-LD block, CSP hashes, and the
 * HTTP helpers both glues use (negotiation, language, ETag, id check).
 * Run from the repository root (t/run-tests.sh does).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>

#include "arena.h"
#include "b64.h"
#include "badge.h"
#include "page.h"
#include "session.h"

#define PAGES  "t/vectors/pages/"
#define OB20   "t/vectors/1edtech-inspector/ob20/"
#define OB30   "t/vectors/1edtech-inspector/ob30/"

static char *
slurp(const char *path, size_t *len)
{
    FILE  *f = fopen(path, "rb");
    char  *buf;
    long   n;

    if (f == NULL) {
        fail_msg("cannot open %s", path);
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

typedef struct {
    badge_ctx_t      *ctx;
    badge_session_t  *s;
    const char       *html;
    size_t            len;
} page_t;

/* Pin path as the document at url. */
static void
pin(badge_ctx_t *ctx, const char *url, const char *path)
{
    size_t  len;
    char   *body = slurp(path, &len), err[256];

    assert_int_equal(badge_ctx_add_document(ctx, url, body, len, err,
                                            sizeof(err)), 0);
    free(body);
}

/* Verify data offline (documents pinned in ctx, the rest unavailable)
 * and render the page. */
static void
render_data(page_t *p, const char *data, size_t len, const char *lang,
    time_t now, const badge_page_opts_t *extra)
{
    badge_verify_opts_t  vo;
    badge_page_opts_t    po;
    const char *const   *urls;
    size_t               n, i;
    int                  rounds = 0;
    char                 err[256];

    memset(&vo, 0, sizeof(vo));
    vo.now = now;
    vo.lang = lang;
    p->s = badge_session_new(p->ctx, &vo);
    assert_non_null(p->s);
    assert_int_equal(badge_session_set_input(p->s, data, len), 0);
    while (badge_session_run(p->s) == BADGE_NEED_DOCUMENTS && rounds++ < 10)
    {
        n = badge_session_needed(p->s, &urls);
        for (i = 0; i < n; i++) {
            badge_session_supply(p->s, urls[i], 0, NULL, NULL, 0);
        }
    }
    if (extra != NULL) {
        po = *extra;
    } else {
        memset(&po, 0, sizeof(po));
    }
    po.lang = lang;
    if (po.page_url == NULL) {
        po.page_url = "https://badges.example.ac.jp/badges/b1";
    }
    p->html = badge_page_render(p->s, NULL, 0, &po, &p->len, err,
                                sizeof(err));
    if (p->html == NULL) {
        fail_msg("render: %s", err);
    }
    assert_int_equal(strlen(p->html), p->len);
}

static void
render_file(page_t *p, const char *path, const char *lang, time_t now,
    const badge_page_opts_t *extra)
{
    size_t  len;
    char   *data = slurp(path, &len);

    render_data(p, data, len, lang, now, extra);
    free(data);
}

static void
page_free(page_t *p)
{
    badge_session_free(p->s);
    badge_ctx_free(p->ctx);
    memset(p, 0, sizeof(*p));
}

static void
has(const page_t *p, const char *s)
{
    if (strstr(p->html, s) == NULL) {
        fail_msg("page lacks: %s", s);
    }
}

static void
lacks(const page_t *p, const char *s)
{
    if (strstr(p->html, s) != NULL) {
        fail_msg("page has: %s", s);
    }
}

/* The page with its JSON-LD block cut out: what a reader sees. */
static char *
visible(const page_t *p)
{
    char       *v = strdup(p->html);
    char       *b, *e;

    assert_non_null(v);
    b = strstr(v, "<script type=\"application/ld+json\">");
    if (b != NULL) {
        e = strstr(b, "</script>");
        assert_non_null(e);
        memmove(b, e + 9, strlen(e + 9) + 1);
    }
    return v;
}

static size_t
count(const char *hay, const char *needle)
{
    size_t n = 0;

    while ((hay = strstr(hay, needle)) != NULL) {
        n++;
        hay += strlen(needle);
    }
    return n;
}

static void check_url_attributes(const char *html);

#define JA_NOW  1777593600     /* 2026-05-01T00:00:00Z */

static void
ja_sample(page_t *p, const char *lang, time_t now)
{
    badge_page_opts_t po;

    memset(&po, 0, sizeof(po));
    po.page_url = "https://badges.sakura-u.example/badges/dx-8821";
    po.json_url = "https://badges.sakura-u.example/badges/dx-8821.json";
    po.baked_png_url = "https://badges.sakura-u.example/badges/dx-8821.png";
    p->ctx = badge_ctx_new();
    pin(p->ctx, "https://badges.sakura-u.example/.well-known/did.json",
        PAGES "did-sakura.json");
    render_file(p, PAGES "ja-dx-course.jwt", lang, now, &po);
}

static void
test_ja_page(void **state)
{
    page_t  p = { 0 };
    char   *v;

    (void) state;
    ja_sample(&p, "ja", JA_NOW);
    has(&p, "<html lang=\"ja\">");
    has(&p, "class=\"status status-verified\"");
    has(&p, "検証済み");
    has(&p, "<h1 id=\"badge-name\">データ活用基礎講座 修了</h1>");
    assert_int_equal(count(p.html, "<h1"), 1);
    has(&p, "さくら国際大学");
    has(&p, "山田 花子");
    has(&p, "2026年4月1日");
    has(&p, "2029年3月31日");
    has(&p, "<time datetime=\"2026-04-01\">");
    has(&p, "取得要件");                      /* criteria narrative */
    has(&p, "<li>受講者アンケートへの回答</li>");
    has(&p, "最終課題評価");                  /* results */
    has(&p, "デジタルスキル標準");            /* alignments */
    has(&p, "rel=\"noopener\"");
    has(&p, "リスキリング");                  /* tags */
    has(&p, "最終課題レポート");              /* evidence */
    has(&p, "○○県 生涯学習推進センター");     /* endorsement */
    has(&p, "<details>");
    has(&p, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\"");
    has(&p, "<meta property=\"og:title\" content=\"データ活用基礎講座 修了\">");
    has(&p, "<meta property=\"og:url\" content=\"https://badges.sakura-u."
            "example/badges/dx-8821\">");
    has(&p, "<meta property=\"og:locale\" content=\"ja_JP\">");
    has(&p, "<meta name=\"twitter:card\" content=\"summary\">");
    has(&p, "https://www.linkedin.com/profile/add?startTask="
            "CERTIFICATION_NAME&amp;name=%E3%83%87");
    has(&p, "&amp;issueYear=2026&amp;issueMonth=4&amp;expirationYear=2029"
            "&amp;expirationMonth=3&amp;certUrl=https%3A%2F%2Fbadges.sakura-u"
            ".example%2Fbadges%2Fdx-8821&amp;certId=urn%3Auuid%3A");
    has(&p, "value=\"https://badges.sakura-u.example/badges/dx-8821\" "
            "readonly");
    has(&p, "href=\"https://badges.sakura-u.example/badges/dx-8821.json\"");
    has(&p, "dx-8821.png\" type=\"image/png\" download");
    has(&p, "<script type=\"application/ld+json\">");
    has(&p, "hreflang=\"en\" lang=\"en\">English</a>");
    has(&p, "<a class=\"skip\" href=\"#main\">");
    has(&p, "<main id=\"main\"");
    has(&p, "<footer");
    check_url_attributes(p.html);
    /* the recipient's e-mail is hashed: never shown, only the note */
    v = visible(&p);
    assert_null(strstr(v, "sha256$3b7f6c0e"));
    assert_null(strstr(v, "s4kura"));
    assert_non_null(strstr(v, "<svg"));
    free(v);
    page_free(&p);
}

static void
test_en_page(void **state)
{
    page_t p = { 0 };

    (void) state;
    ja_sample(&p, "en", JA_NOW);
    has(&p, "<html lang=\"en\">");
    has(&p, ">Verified<");
    has(&p, "<h1 id=\"badge-name\">Data Literacy Fundamentals (Completion)"
            "</h1>");
    has(&p, "Sakura International University");
    has(&p, "1 April 2026");
    has(&p, "31 March 2029");
    /* Japanese-only text on the English page is marked */
    has(&p, "<div class=\"prose\" lang=\"ja\">");
    has(&p, "lang=\"ja\"><bdi>山田 花子</bdi>");
    has(&p, "hreflang=\"ja\" lang=\"ja\">日本語</a>");
    has(&p, "<meta property=\"og:locale\" content=\"en_US\">");
    page_free(&p);
}

static void
test_expired_page(void **state)
{
    page_t p = { 0 };

    (void) state;
    ja_sample(&p, "ja", 1875484800);        /* 2029-06-07 */
    has(&p, "class=\"status status-expired\"");
    has(&p, "有効期限切れ");
    has(&p, "2029年3月31日に有効期限が切れています");
    /* no LinkedIn offer for a badge that does not verify */
    lacks(&p, "linkedin.com");
    page_free(&p);
}

/* Each status: its class, its words and its own icon (not colour alone);
 * re-rendered from one verified session with the report's flags set. */
static void
test_status_banners(void **state)
{
    static const struct {
        const char *cls;
        const char *label;
        const char *icon_path;       /* a piece of the icon's drawing */
    } want[] = {
        { "status-revoked", ">失効<", "M8 8l8 8M16 8l-8 8" },
        { "status-suspended", ">一時停止中<", "M9.5 7.5v9M14.5 7.5v9" },
        { "status-expired", ">有効期限切れ<", "M12 6.5V12l3.8 2.6" },
        { "status-not_verified", ">検証できません<", "M12 1.5L23 21.5H1z" },
    };
    badge_page_opts_t  po;
    page_t             p = { 0 };
    const char        *html;
    char               err[256];
    size_t             i, len;

    (void) state;
    ja_sample(&p, "ja", JA_NOW);
    has(&p, "M6.8 12.4l3.4 3.4 7-7.2");             /* the check mark */
    memset(&po, 0, sizeof(po));
    po.lang = "ja";
    po.page_url = "https://badges.sakura-u.example/badges/dx-8821";
    for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        p.s->report->revoked = i == 0;
        p.s->report->suspended = i == 1;
        p.s->report->expired = i == 2;
        p.s->report->authenticated = i != 3;
        html = badge_page_render(p.s, NULL, 0, &po, &len, err, sizeof(err));
        assert_non_null(html);
        assert_non_null(strstr(html, want[i].cls));
        assert_non_null(strstr(html, want[i].label));
        assert_non_null(strstr(html, want[i].icon_path));
        assert_null(strstr(html, "linkedin.com"));
    }
    page_free(&p);
}

static void
test_ob2_page(void **state)
{
    page_t  p = { 0 };
    char   *v;
    static const char *assets[] = {
        "robotics-badge.json", "organization.json", "badgecriteria.json",
        NULL
    };
    char   url[256], path[256];
    int    i;

    (void) state;
    p.ctx = badge_ctx_new();
    for (i = 0; assets[i] != NULL; i++) {
        snprintf(url, sizeof(url), "https://example.org/%s", assets[i]);
        snprintf(path, sizeof(path), OB20 "assets/%s", assets[i]);
        pin(p.ctx, url, path);
    }
    pin(p.ctx, "https://example.org/beths-robotics-badge.json",
        OB20 "basic-assertion.json");
    render_file(&p, OB20 "basic-assertion.json", "en", 0, NULL);
    has(&p, "class=\"status status-verified\"");
    has(&p, ">Awesome Robotics Badge</h1>");
    has(&p, "An Example Badge Issuer");
    has(&p, "31 December 2016");
    has(&p, "Do the important things.");        /* criteria document */
    has(&p, "src=\"https://example.org/robotics-badge.png\"");
    has(&p, "Open Badges 2.0");
    /* the hashed e-mail and its salt are not shown */
    v = visible(&p);
    assert_null(strstr(v, "ecf5409f3f4b91ab60cc5ef4c02aef70"));
    assert_null(strstr(v, "deadsea"));
    assert_non_null(strstr(v, "protected (hashed)"));
    free(v);
    page_free(&p);

    /* in Japanese */
    p.ctx = badge_ctx_new();
    for (i = 0; assets[i] != NULL; i++) {
        snprintf(url, sizeof(url), "https://example.org/%s", assets[i]);
        snprintf(path, sizeof(path), OB20 "assets/%s", assets[i]);
        pin(p.ctx, url, path);
    }
    pin(p.ctx, "https://example.org/beths-robotics-badge.json",
        OB20 "basic-assertion.json");
    render_file(&p, OB20 "basic-assertion.json", "ja", 0, NULL);
    has(&p, "2016年12月31日");
    has(&p, "検証済み");
    /* undeclared Latin text on a Japanese page is not guessed at */
    has(&p, "<h1 id=\"badge-name\">Awesome Robotics Badge</h1>");
    page_free(&p);
}

/* OB 3.0 complete sample, offline: its unhashed e-mail identities are not
 * shown either. */
static void
test_ob3_complete(void **state)
{
    page_t  p = { 0 };
    char   *v;

    (void) state;
    p.ctx = badge_ctx_new();
    render_file(&p, OB30 "complete.json", "en", 0, NULL);
    has(&p, "class=\"status status-not_verified\"");
    has(&p, ">1EdTech University Degree</h1>");
    has(&p, "1 January 2010");
    has(&p, "1 January 2030");
    has(&p, "Degree Requirements");
    has(&p, "Final Project Grade");
    has(&p, "research");
    has(&p, "Example Accrediting Agency");
    has(&p, "href=\"https://1edtech.edu/catalog/degree\" rel=\"noopener\"");
    v = visible(&p);
    assert_null(strstr(v, "student@1edtech.edu"));
    assert_null(strstr(v, "somebody@gmail.com"));
    free(v);
    page_free(&p);
}

/*
 * Every URL attribute of the page is harmless: http(s), a relative
 * reference, "#", or a base64 data: image in src.  (Text mentioning
 * "javascript:" is fine; an attribute starting with it is not.)
 */
static void
check_url_attributes(const char *html)
{
    static const char *attrs[] = {
        " href=\"", " src=\"", " action=\"", " formaction=\"",
        " xlink:href=\"", " poster=\"", " srcset=\"", NULL
    };
    const char *p, *v;
    int         i;

    for (i = 0; attrs[i] != NULL; i++) {
        for (p = html; (p = strstr(p, attrs[i])) != NULL; p++) {
            v = p + strlen(attrs[i]);
            if (strncmp(v, "https://", 8) == 0
                || strncmp(v, "http://", 7) == 0
                || (v[0] == '/' && v[1] != '/' && v[1] != '\\')
                || v[0] == '#' || v[0] == '?'
                || (strcmp(attrs[i], " src=\"") == 0
                    && (strncmp(v, "data:image/png;base64,", 22) == 0
                        || strncmp(v, "data:image/svg+xml;base64,", 26)
                           == 0)))
            {
                continue;
            }
            fail_msg("bad URL attribute: %.60s", p);
        }
    }
    /* og:url, og:image and twitter:image carry URLs in content="" */
    for (p = html; (p = strstr(p, "image\" content=\"")) != NULL; p++) {
        v = p + strlen("image\" content=\"");
        if (strncmp(v, "https://", 8) != 0 && strncmp(v, "http://", 7) != 0) {
            fail_msg("bad og:image: %.60s", p);
        }
    }
}

/* The hostile sample: every field carries markup or a bad URL. */
static void
check_no_injection(const page_t *p)
{
    const char *b, *e;

    lacks(p, "<script>alert");
    lacks(p, "<img src=x");
    lacks(p, "<svg onload");
    lacks(p, "<iframe");
    lacks(p, "<b>");
    lacks(p, "</style><style>");
    lacks(p, "</textarea><script");
    lacks(p, "=\"javascript:");
    lacks(p, "=\"JaVaScRiPt:");
    lacks(p, "=\" JaVaScRiPt:");
    lacks(p, "=\"data:text/html");
    lacks(p, "=\"vbscript:");
    lacks(p, "href=\"//evil");
    check_url_attributes(p->html);
    lacks(p, "\xe2\x80\xae");                   /* RLO */
    /* two scripts: the JSON-LD block and the page's own */
    assert_int_equal(count(p->html, "<script"), 2);
    assert_int_equal(count(p->html, "</script>"), 2);
    /* no '<' at all inside the JSON-LD block */
    b = strstr(p->html, "<script type=\"application/ld+json\">");
    assert_non_null(b);
    b += strlen("<script type=\"application/ld+json\">");
    e = strstr(b, "</script>");
    assert_non_null(e);
    assert_null(memchr(b, '<', (size_t) (e - b)));
    assert_null(memmem(b, (size_t) (e - b), "\xe2\x80\xa8", 3));
    assert_non_null(strstr(b, "\\u003c/script\\u003e\\u003c!--"));
    assert_non_null(strstr(b, "\\u2028"));
    /* still one h1 and the banner */
    assert_int_equal(count(p->html, "<h1"), 1);
    assert_non_null(strstr(p->html, "class=\"status status-"));
}

static void
test_injection(void **state)
{
    page_t p = { 0 };

    (void) state;
    p.ctx = badge_ctx_new();
    render_file(&p, PAGES "hostile.json", "ja", 0, NULL);
    check_no_injection(&p);
    has(&p, "&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;");
    has(&p, "{{t.skip}}");                  /* values are not templates */
    page_free(&p);

    p.ctx = badge_ctx_new();
    render_file(&p, PAGES "hostile.json", "en", 0, NULL);
    check_no_injection(&p);
    page_free(&p);
}

/* OB 2.0 with the BadgeClass and issuer given beside the assertion. */
static void
test_injection_ob2_docs(void **state)
{
    static const char assertion[] =
        "{\"@context\":\"https://w3id.org/openbadges/v2\",\"type\":"
        "\"Assertion\",\"id\":\"https://x.example/a\",\"recipient\":{"
        "\"type\":\"email\",\"hashed\":false,\"identity\":\"me@x.example\"},"
        "\"badge\":\"https://x.example/b\",\"issuedOn\":\"2020-01-01\","
        "\"image\":\"javascript:alert(1)\",\"evidence\":[\"javascript:"
        "alert(2)\",{\"id\":\"data:text/html,<script>alert(3)</script>\","
        "\"narrative\":\"<script>alert(4)</script>\"}],\"verification\":{"
        "\"type\":\"hosted\"}}";
    static const char badge[] =
        "{\"@context\":\"https://w3id.org/openbadges/v2\",\"type\":"
        "\"BadgeClass\",\"id\":\"https://x.example/b\",\"name\":"
        "\"<script>alert(5)</script>\",\"description\":\"\\\"><img src=x "
        "onerror=alert(6)>\",\"image\":\"data:text/html;base64,PHNjcmlwdD4=\","
        "\"criteria\":{\"id\":\"javascript:alert(7)\",\"narrative\":"
        "\"</style><script>alert(8)</script>\"},\"issuer\":"
        "\"https://x.example/i\",\"tags\":[\"<b>t</b>\"],\"alignment\":[{"
        "\"targetName\":\"<iframe>\",\"targetUrl\":\"javascript:alert(9)\"}]}";
    static const char issuer[] =
        "{\"@context\":\"https://w3id.org/openbadges/v2\",\"type\":\"Issuer\","
        "\"id\":\"https://x.example/i\",\"name\":\"\\u202eEvil</title>\","
        "\"url\":\"javascript:alert(10)\",\"image\":\"vbscript:x\"}";
    badge_page_doc_t  docs[2];
    badge_page_opts_t po;
    page_t            p = { 0 };
    char             *v;

    (void) state;
    docs[0].url = "https://x.example/b";
    docs[0].body = badge;
    docs[0].len = strlen(badge);
    docs[1].url = "https://x.example/i";
    docs[1].body = issuer;
    docs[1].len = strlen(issuer);
    memset(&po, 0, sizeof(po));
    po.docs = docs;
    po.n_docs = 2;
    p.ctx = badge_ctx_new();
    render_data(&p, assertion, strlen(assertion), "en", 0, &po);
    lacks(&p, "<script>alert");
    lacks(&p, "<img src=x");
    lacks(&p, "<b>t");
    lacks(&p, "<iframe");
    lacks(&p, "=\"javascript:");
    lacks(&p, "=\"data:text/html");
    lacks(&p, "=\"vbscript:");
    lacks(&p, "\xe2\x80\xae");
    check_url_attributes(p.html);
    has(&p, "&lt;script&gt;alert(5)&lt;/script&gt;</h1>");
    has(&p, "Evil&lt;/title&gt;");
    v = visible(&p);
    assert_null(strstr(v, "me@x.example"));    /* even unhashed */
    free(v);
    page_free(&p);
}

/* Language maps, value objects and @language. */
static void
test_languages(void **state)
{
    static const char cred[] =
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],"
        "\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],"
        "\"issuer\":{\"id\":\"https://u.example\",\"name\":{\"en\":"
        "\"Example University\",\"ja\":\"例示大学\"}},"
        "\"validFrom\":\"2026-04-01T09:00:00+09:00\","
        "\"credentialSubject\":{\"achievement\":{\"inLanguage\":\"en\","
        "\"name\":[{\"@value\":\"Robotics\",\"@language\":\"en\"},"
        "{\"@value\":\"ロボット工学\",\"@language\":\"ja-JP\"}],"
        "\"description\":\"English only\","
        "\"criteria\":{\"narrative\":\"Para one\\nline two\\n\\nPara two\"}"
        "}}}";
    page_t p = { 0 };

    (void) state;
    p.ctx = badge_ctx_new();
    render_data(&p, cred, strlen(cred), "ja", 0, NULL);
    has(&p, "<h1 id=\"badge-name\">ロボット工学</h1>");     /* ja-JP */
    lacks(&p, ">例示大学<span");
    has(&p, "例示大学");
    has(&p, "lang=\"en\">English only</p>");
    has(&p, "<p>Para one<br>\nline two</p>\n<p>Para two</p>");
    has(&p, "2026年4月1日");
    page_free(&p);

    p.ctx = badge_ctx_new();
    render_data(&p, cred, strlen(cred), "en", 0, NULL);
    has(&p, "<h1 id=\"badge-name\">Robotics</h1>");
    has(&p, "Example University");
    page_free(&p);
}

/* The payload of a VC-JWT and the credential in a baked PNG. */
static void
test_jwt_and_baked(void **state)
{
    page_t p = { 0 };

    (void) state;
    p.ctx = badge_ctx_new();
    render_file(&p, "t/vectors/shared/vc-jwt-eddsa-didjwk.jwt", "en", 0,
                NULL);
    assert_int_equal(count(p.html, "<h1"), 1);
    has(&p, "(JWT)");
    page_free(&p);

    p.ctx = badge_ctx_new();
    render_file(&p, OB30 "simple-json.png", "en", 0, NULL);
    assert_int_equal(count(p.html, "<h1"), 1);
    has(&p, "class=\"status status-");
    page_free(&p);
}

static void
test_unreadable(void **state)
{
    badge_ctx_t       *ctx = badge_ctx_new();
    badge_session_t   *s = badge_session_new(ctx, NULL);
    char               err[256];

    (void) state;
    badge_session_set_input(s, "not a credential", 16);
    badge_session_run(s);
    assert_null(badge_page_render(s, NULL, 0, NULL, NULL, err,
                                  sizeof(err)));
    assert_non_null(strstr(err, "cannot be read"));
    /* a JSON array is not a credential either */
    assert_null(badge_page_render(s, "[1]", 3, NULL, NULL, err,
                                  sizeof(err)));
    badge_session_free(s);
    badge_ctx_free(ctx);
}

/* A custom template: triple braces do not unescape user text. */
static void
test_custom_template(void **state)
{
    static const char text[] =
        "<p>{{{badge.name}}}|{{badge.name}}|{{{issuer.url}}}|"
        "{{{badge.criteria_url}}}</p>{{{qr_svg}}}{{#checks}}"
        "<i>{{label}}</i>{{/checks}}<style>p{}</style>";
    badge_page_template_t *tpl;
    badge_page_opts_t      po;
    page_t                 p = { 0 };
    char                   err[256];
    const char            *csp;

    (void) state;
    tpl = badge_page_template_compile(text, strlen(text), err, sizeof(err));
    assert_non_null(tpl);
    memset(&po, 0, sizeof(po));
    po.tpl = tpl;
    p.ctx = badge_ctx_new();
    render_file(&p, PAGES "hostile.json", "en", 0, &po);
    has(&p, "<p>&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;&quot;"
            "&gt;&lt;img src=x onerror=alert(1)&gt;|");
    has(&p, "||</p><svg xmlns=");       /* no link: not http(s) */
    has(&p, "<i>");
    csp = badge_page_csp(tpl);
    assert_non_null(strstr(csp, "script-src 'none'"));
    assert_non_null(strstr(csp, "style-src 'sha256-"));
    page_free(&p);
    badge_page_template_free(tpl);

    /* a placeholder inside <style> cannot be hashed */
    tpl = badge_page_template_compile("<style>{{x}}</style><script>{{y}}"
                                      "</script>", 39, err, sizeof(err));
    assert_non_null(tpl);
    csp = badge_page_csp(tpl);
    assert_non_null(strstr(csp, "'unsafe-inline'"));
    assert_non_null(strstr(csp, "script-src 'none'"));
    badge_page_template_free(tpl);
}

/* The CSP of the built-in template names the hash of its inline script. */
static void
test_csp(void **state)
{
    const char    *csp = badge_page_csp(NULL), *tpl, *b, *e;
    size_t         len;
    unsigned char  md[32];
    unsigned int   mdlen = 32;
    char           b64[64], want[96];

    (void) state;
    assert_non_null(strstr(csp, "default-src 'none'"));
    assert_non_null(strstr(csp, "base-uri 'none'"));
    assert_non_null(strstr(csp, "frame-ancestors 'none'"));
    assert_null(strstr(csp, "unsafe-inline"));
    assert_null(strstr(csp, "unsafe-eval"));
    tpl = badge_page_default_template(&len);
    b = strstr(tpl, "<script>");
    assert_non_null(b);
    b += 8;
    e = strstr(b, "</script>");
    assert_non_null(e);
    assert_int_equal(EVP_Digest(b, (size_t) (e - b), md, &mdlen,
                                EVP_sha256(), NULL), 1);
    badge_b64_encode(md, 32, b64, sizeof(b64));
    snprintf(want, sizeof(want), "script-src 'sha256-%s'", b64);
    assert_non_null(strstr(csp, want));
    /* no inline event handlers or style attributes in the template */
    assert_null(strstr(tpl, " onclick="));
    assert_null(strstr(tpl, " onerror="));
    assert_null(strstr(tpl, " onload="));
    assert_null(strstr(tpl, " style=\""));
}

static void
test_id_valid(void **state)
{
    static const char *ok[] = {
        "b1", "dx-data-101_8821", "a.b.c", "A9", "x.json", NULL
    };
    static const char *bad[] = {
        "", "../x", "..", "a/../b", "%2e%2e", "%2e%2e%2fx", "x%00", "a/b",
        "a\\b", ".hidden", ".", "a..b", "a b", "a?b", "a#b", "a%2fb",
        "日本語", "a:b", "~root", NULL
    };
    char long_id[130];
    int  i;

    (void) state;
    for (i = 0; ok[i] != NULL; i++) {
        if (!badge_page_id_valid(ok[i], strlen(ok[i]))) {
            fail_msg("refused: %s", ok[i]);
        }
    }
    for (i = 0; bad[i] != NULL; i++) {
        if (badge_page_id_valid(bad[i], strlen(bad[i]))) {
            fail_msg("allowed: %s", bad[i]);
        }
    }
    /* an embedded NUL (a decoded %00) counts */
    assert_false(badge_page_id_valid("x\0../etc", 8));
    assert_false(badge_page_id_valid(NULL, 0));
    memset(long_id, 'a', sizeof(long_id));
    assert_true(badge_page_id_valid(long_id, 128));
    assert_false(badge_page_id_valid(long_id, 129));
}

static void
test_negotiate(void **state)
{
    static const struct {
        const char          *accept;
        const char          *uri;
        badge_page_format_t  want;
    } cases[] = {
        { NULL, "/badges/x", BADGE_PAGE_HTML },
        { "*/*", "/badges/x", BADGE_PAGE_HTML },
        { "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
          "/badges/x", BADGE_PAGE_HTML },
        { "application/json", "/badges/x", BADGE_PAGE_JSON },
        { "application/ld+json, application/json;q=0.9", "/badges/x",
          BADGE_PAGE_JSONLD },
        { "application/json, */*", "/badges/x", BADGE_PAGE_JSON },
        { "application/json;q=0.5, text/html", "/badges/x",
          BADGE_PAGE_HTML },
        { "text/html;q=0.1, application/vc+ld+json", "/badges/x",
          BADGE_PAGE_JSONLD },
        { "application/json;q=0", "/badges/x", BADGE_PAGE_HTML },
        { "image/png", "/badges/x", BADGE_PAGE_HTML },
        { "text/html", "/badges/x.json", BADGE_PAGE_JSON },
        { "text/html", "/badges/x.jsonld", BADGE_PAGE_JSONLD },
        { "text/html", "/badges/x?format=json", BADGE_PAGE_JSON },
        { "text/html", "/badges/x?lang=ja&format=jsonld", BADGE_PAGE_JSONLD },
        { "application/json", "/badges/x?format=html", BADGE_PAGE_HTML },
        { "application/json", "/badges/x?xformat=html", BADGE_PAGE_JSON },
        { NULL, NULL, BADGE_PAGE_HTML }
    };
    int i;

    (void) state;
    for (i = 0; cases[i].uri != NULL; i++) {
        badge_page_format_t got = badge_page_negotiate(cases[i].accept,
            cases[i].accept != NULL ? strlen(cases[i].accept) : 0,
            cases[i].uri, strlen(cases[i].uri));

        if (got != cases[i].want) {
            fail_msg("Accept '%s' %s: got %d, want %d", cases[i].accept,
                cases[i].uri, got, cases[i].want);
        }
    }
    assert_int_equal(badge_page_negotiate(NULL, 0, NULL, 0),
                     BADGE_PAGE_HTML);
    assert_string_equal(badge_page_content_type(BADGE_PAGE_HTML),
                        "text/html; charset=utf-8");
    assert_string_equal(badge_page_content_type(BADGE_PAGE_JSONLD),
                        "application/ld+json");
}

static void
test_lang_and_etag(void **state)
{
    char   buf[64];
    char   buf2[64];
    size_t n;

    (void) state;
    assert_string_equal(badge_page_lang("lang=ja", 7, "en", 2), "ja");
    assert_string_equal(badge_page_lang("?x=1&lang=en", 12, "ja", 2), "en");
    assert_string_equal(badge_page_lang("lang=fr", 7, "ja,en;q=0.5", 11),
                        "ja");
    assert_string_equal(badge_page_lang(NULL, 0, NULL, 0), "en");
    n = badge_page_etag(buf, sizeof(buf), 0x5f5e1000, 1234);
    assert_string_equal(buf, "\"5f5e1000-4d2\"");
    assert_int_equal(n, strlen(buf));
    assert_int_equal(badge_page_etag(buf, 4, 0x5f5e1000, 1234), 0);
    n = badge_page_etag_data(buf, sizeof(buf), "abc", 3);
    assert_true(n > 10 && buf[0] == '"' && buf[n - 1] == '"');
    badge_page_etag_data(buf2, sizeof(buf2), "abd", 3);
    assert_string_not_equal(buf, buf2);
}

static void
test_index(void **state)
{
    badge_page_index_item_t items[4];
    badge_page_opts_t       po;
    badge_arena_t          *a = badge_arena_new(0);
    const char             *html;
    char                   *json;
    size_t                  len;

    (void) state;
    json = slurp(PAGES "ja-dx-course.json", &len);
    assert_int_equal(badge_page_index_item(a, "dx-8821", json, len, "ja",
                                           &items[0]), 0);
    free(json);
    assert_string_equal(items[0].name, "データ活用基礎講座 修了");
    assert_string_equal(items[0].issuer, "さくら国際大学");
    json = slurp(PAGES "hostile.json", &len);
    assert_int_equal(badge_page_index_item(a, "evil", json, len, "en",
                                           &items[1]), 0);
    free(json);
    memset(&items[2], 0, sizeof(items[2]));
    items[2].id = "../etc/passwd";          /* refused, not linked */
    items[2].name = "traversal";
    assert_int_equal(badge_page_index_item(a, "x", "[]", 2, "en",
                                           &items[3]), -1);
    memset(&po, 0, sizeof(po));
    po.lang = "ja";
    po.page_url = "https://badges.sakura-u.example/badges";
    html = badge_page_index_html(a, items, 3, &po, &len);
    assert_non_null(html);
    assert_int_equal(strlen(html), len);
    assert_non_null(strstr(html, "href=\"https://badges.sakura-u.example/"
                                 "badges/dx-8821\""));
    assert_non_null(strstr(html, "データ活用基礎講座 修了"));
    assert_non_null(strstr(html, "2026年4月1日"));
    assert_non_null(strstr(html, "2 件のバッジ"));
    assert_null(strstr(html, "traversal"));
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "javascript:"));
    assert_non_null(strstr(html, "<h1>"));
    html = badge_page_index_html(a, NULL, 0, &po, &len);
    assert_non_null(strstr(html, "公開されているバッジはまだありません"));
    badge_arena_free(a);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ja_page),
        cmocka_unit_test(test_en_page),
        cmocka_unit_test(test_expired_page),
        cmocka_unit_test(test_status_banners),
        cmocka_unit_test(test_ob2_page),
        cmocka_unit_test(test_ob3_complete),
        cmocka_unit_test(test_injection),
        cmocka_unit_test(test_injection_ob2_docs),
        cmocka_unit_test(test_languages),
        cmocka_unit_test(test_jwt_and_baked),
        cmocka_unit_test(test_unreadable),
        cmocka_unit_test(test_custom_template),
        cmocka_unit_test(test_csp),
        cmocka_unit_test(test_id_valid),
        cmocka_unit_test(test_negotiate),
        cmocka_unit_test(test_lang_and_etag),
        cmocka_unit_test(test_index),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
