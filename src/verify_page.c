/*
 * verify_page.c: the browser verify page (see verify_page.h).
 *
 * One self-contained HTML document: landmarks (header, main, footer), a
 * skip link, labelled fields, visible focus, status conveyed by text as
 * well as by colour and symbol (✓ ✗ ! ?), system fonts, no script.
 */
#include "verify_page.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "messages.h"
#include "report.h"
#include "session.h"

#define BADGE_VP_ARENA_LIMIT  (8 * 1024 * 1024)

typedef enum {
    VP_TITLE = 0, VP_INTRO, VP_SKIP, VP_LANG_NAV, VP_FORM_H, VP_PASTE,
    VP_PASTE_HINT, VP_FILE, VP_FILE_HINT, VP_URL, VP_URL_HINT, VP_SUBMIT,
    VP_OR, VP_RESULT_H, VP_VERIFIED, VP_NOT_VERIFIED, VP_REVOKED,
    VP_SUSPENDED, VP_EXPIRED, VP_UNCHECKED, VP_VERIFIED_SUB,
    VP_NOT_VERIFIED_SUB, VP_UNCHECKED_SUB, VP_CHECKS_H, VP_ERRORS_H,
    VP_ACHIEVEMENT, VP_ISSUER, VP_SUBJECT, VP_VALID_FROM, VP_VALID_UNTIL,
    VP_FORMAT, VP_ID, VP_PASS, VP_FAIL, VP_WARN, VP_NOT_CHECKED,
    VP_REQUEST_ERROR, VP_API, VP_FOOTER, VP__COUNT
} badge_vp_str_t;

static const char *const badge_vp_en[VP__COUNT] = {
    [VP_TITLE] = "Verify a badge or credential",
    [VP_INTRO] = "Check an Open Badge or Verifiable Credential someone "
                 "showed you: paste it, upload the file (JSON, JWT, or a "
                 "baked PNG/SVG badge image), or give its URL.",
    [VP_SKIP] = "Skip to the form",
    [VP_LANG_NAV] = "Language",
    [VP_FORM_H] = "Credential to verify",
    [VP_PASTE] = "Paste the credential",
    [VP_PASTE_HINT] = "JSON or a JWT (eyJ\xe2\x80\xa6)",
    [VP_FILE] = "Or upload a file",
    [VP_FILE_HINT] = "JSON, JWT, or a baked badge image (PNG, SVG)",
    [VP_URL] = "Or give its URL",
    [VP_URL_HINT] = "https://\xe2\x80\xa6",
    [VP_SUBMIT] = "Verify",
    [VP_OR] = "or",
    [VP_RESULT_H] = "Result",
    [VP_VERIFIED] = "Verified",
    [VP_NOT_VERIFIED] = "Not verified",
    [VP_REVOKED] = "Revoked",
    [VP_SUSPENDED] = "Suspended",
    [VP_EXPIRED] = "Expired",
    [VP_UNCHECKED] = "Could not be verified",
    [VP_VERIFIED_SUB] = "The credential is genuine and every required "
                        "check passed.",
    [VP_NOT_VERIFIED_SUB] = "At least one check failed: do not rely on "
                            "this credential.",
    [VP_UNCHECKED_SUB] = "Nothing failed, but something could not be "
                         "checked (a document could not be fetched). Try "
                         "again later.",
    [VP_CHECKS_H] = "Checks",
    [VP_ERRORS_H] = "Errors",
    [VP_ACHIEVEMENT] = "Achievement",
    [VP_ISSUER] = "Issuer",
    [VP_SUBJECT] = "Subject",
    [VP_VALID_FROM] = "Valid from",
    [VP_VALID_UNTIL] = "Valid until",
    [VP_FORMAT] = "Format",
    [VP_ID] = "Credential ID",
    [VP_PASS] = "passed",
    [VP_FAIL] = "failed",
    [VP_WARN] = "warning",
    [VP_NOT_CHECKED] = "not checked",
    [VP_REQUEST_ERROR] = "The request could not be verified",
    [VP_API] = "For programs: POST the credential to this address, or GET "
               "it with ?url=, and ask for application/json.",
    [VP_FOOTER] = "Verification runs on this server; nothing is stored.",
};

static const char *const badge_vp_ja[VP__COUNT] = {
    [VP_TITLE] = "バッジ・証明書の検証",
    [VP_INTRO] = "提示されたオープンバッジや検証可能な資格情報（VC）を確認し"
                 "ます。貼り付けるか、ファイル（JSON、JWT、ベイク済みPNG/SVG"
                 "画像）をアップロードするか、URLを入力してください。",
    [VP_SKIP] = "フォームへ移動",
    [VP_LANG_NAV] = "言語",
    [VP_FORM_H] = "検証する資格情報",
    [VP_PASTE] = "資格情報を貼り付け",
    [VP_PASTE_HINT] = "JSON または JWT（eyJ\xe2\x80\xa6）",
    [VP_FILE] = "またはファイルをアップロード",
    [VP_FILE_HINT] = "JSON、JWT、ベイク済みバッジ画像（PNG、SVG）",
    [VP_URL] = "またはURLを入力",
    [VP_URL_HINT] = "https://\xe2\x80\xa6",
    [VP_SUBMIT] = "検証する",
    [VP_OR] = "または",
    [VP_RESULT_H] = "結果",
    [VP_VERIFIED] = "検証済み",
    [VP_NOT_VERIFIED] = "検証できませんでした",
    [VP_REVOKED] = "失効しています",
    [VP_SUSPENDED] = "一時停止中です",
    [VP_EXPIRED] = "有効期限切れです",
    [VP_UNCHECKED] = "確認できませんでした",
    [VP_VERIFIED_SUB] = "本物の資格情報であり、必要な確認はすべて成功しました。",
    [VP_NOT_VERIFIED_SUB] = "失敗した確認があります。この資格情報を信頼しないで"
                            "ください。",
    [VP_UNCHECKED_SUB] = "失敗はありませんが、確認できなかった項目があります"
                         "（文書を取得できませんでした）。時間をおいて再度お試し"
                         "ください。",
    [VP_CHECKS_H] = "確認項目",
    [VP_ERRORS_H] = "エラー",
    [VP_ACHIEVEMENT] = "達成内容",
    [VP_ISSUER] = "発行者",
    [VP_SUBJECT] = "対象者",
    [VP_VALID_FROM] = "有効開始",
    [VP_VALID_UNTIL] = "有効期限",
    [VP_FORMAT] = "形式",
    [VP_ID] = "資格情報ID",
    [VP_PASS] = "成功",
    [VP_FAIL] = "失敗",
    [VP_WARN] = "警告",
    [VP_NOT_CHECKED] = "未確認",
    [VP_REQUEST_ERROR] = "このリクエストは検証できませんでした",
    [VP_API] = "プログラムから利用する場合：このアドレスに資格情報をPOSTするか、"
               "?url= を付けてGETし、application/json を指定してください。",
    [VP_FOOTER] = "検証はこのサーバー上で行われ、内容は保存されません。",
};

/* check names, as the report has them */
static const struct {
    const char *check;
    const char *en;
    const char *ja;
} badge_vp_checks[] = {
    { "format", "Format", "形式" },
    { "schema", "Structure", "構造" },
    { "key", "Issuer's key", "発行者の鍵" },
    { "signature", "Signature", "署名" },
    { "proof", "Proof", "証明" },
    { "claims", "JWT claims", "JWTクレーム" },
    { "issuer", "Issuer", "発行者" },
    { "validity", "Validity period", "有効期間" },
    { "status", "Revocation status", "失効状態" },
    { "recipient", "Recipient", "受領者" },
    { "hosted", "Hosted copy", "ホストされた原本" },
    { "context", "JSON-LD context", "JSON-LDコンテキスト" },
    { NULL, NULL, NULL }
};

/* The page's only style: system fonts, good contrast, visible focus. */
static const char badge_vp_css[] =
    ":root{--fg:#1b1f24;--muted:#57606a;--bg:#f6f8fa;--card:#fff;"
    "--line:#d0d7de;--accent:#0b5cad;--ok:#116329;--okbg:#dafbe1;"
    "--bad:#a40e26;--badbg:#ffebe9;--warn:#7d4e00;--warnbg:#fff8c5;"
    "--unk:#57606a;--unkbg:#eaeef2}"
    "*{box-sizing:border-box}"
    "html{font-family:system-ui,-apple-system,'Segoe UI','Hiragino Sans',"
    "'Noto Sans JP',Meiryo,sans-serif;line-height:1.6;color:var(--fg);"
    "background:var(--bg)}"
    "body{margin:0}"
    ".skip{position:absolute;left:-999px;top:0;background:var(--card);"
    "padding:.5rem 1rem;z-index:1}"
    ".skip:focus{left:1rem}"
    "header,main,footer{max-width:46rem;margin:0 auto;padding:0 1rem}"
    "header{display:flex;flex-wrap:wrap;align-items:baseline;"
    "justify-content:space-between;gap:.5rem;padding-top:1.5rem}"
    "h1{font-size:1.6rem;margin:0}"
    "h2{font-size:1.2rem;margin:0 0 .75rem}"
    "nav ul{list-style:none;display:flex;gap:.75rem;margin:0;padding:0}"
    "a{color:var(--accent)}"
    "a[aria-current]{font-weight:700;color:var(--fg);text-decoration:none}"
    ".intro{color:var(--muted)}"
    "section{background:var(--card);border:1px solid var(--line);"
    "border-radius:.5rem;padding:1.25rem;margin:1rem 0}"
    "label{display:block;font-weight:600;margin-top:1rem}"
    "label:first-of-type{margin-top:0}"
    ".hint{display:block;font-weight:400;color:var(--muted);"
    "font-size:.875rem}"
    "textarea,input[type=url],input[type=file]{width:100%;font:inherit;"
    "margin-top:.25rem;padding:.5rem;border:1px solid var(--line);"
    "border-radius:.375rem;background:var(--card);color:var(--fg)}"
    "textarea{min-height:8rem;font-family:ui-monospace,SFMono-Regular,"
    "Menlo,Consolas,monospace;font-size:.875rem}"
    "button{margin-top:1.25rem;font:inherit;font-weight:600;color:#fff;"
    "background:var(--accent);border:0;border-radius:.375rem;"
    "padding:.6rem 1.5rem;cursor:pointer}"
    ":focus-visible{outline:3px solid #f59e0b;outline-offset:2px}"
    ".verdict{display:flex;gap:.75rem;align-items:flex-start;"
    "border-radius:.375rem;padding:.75rem 1rem;margin-bottom:1rem}"
    ".verdict p{margin:0}"
    ".verdict strong{font-size:1.15rem}"
    ".pass{background:var(--okbg);color:var(--ok)}"
    ".fail{background:var(--badbg);color:var(--bad)}"
    ".warn{background:var(--warnbg);color:var(--warn)}"
    ".unchecked{background:var(--unkbg);color:var(--unk)}"
    ".sym{display:inline-flex;justify-content:center;align-items:center;"
    "flex:none;width:1.6rem;height:1.6rem;border-radius:50%;"
    "font-weight:700}"
    "dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;"
    "margin:0 0 1rem}"
    "dt{color:var(--muted)}"
    "dd{margin:0;overflow-wrap:anywhere}"
    "ol.checks{list-style:none;margin:0;padding:0}"
    "ol.checks li{display:flex;gap:.75rem;padding:.6rem 0;"
    "border-top:1px solid var(--line)}"
    "ol.checks li:first-child{border-top:0}"
    ".check-name{font-weight:600}"
    ".msg{overflow-wrap:anywhere}"
    ".msg-detail{font-size:.85rem;color:var(--muted);overflow-wrap:anywhere}"
    "code{font-size:.8rem;color:var(--muted)}"
    ".vh{position:absolute;width:1px;height:1px;overflow:hidden;"
    "clip:rect(0 0 0 0);white-space:nowrap}"
    "footer{color:var(--muted);font-size:.875rem;padding-bottom:2rem}"
    "@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9da7b3;"
    "--bg:#0d1117;--card:#161b22;--line:#30363d;--accent:#58a6ff;"
    "--ok:#7ee787;--okbg:#12261e;--bad:#ffa198;--badbg:#2d1215;"
    "--warn:#e3b341;--warnbg:#272115;--unk:#9da7b3;--unkbg:#21262d}"
    "button{color:#0d1117}}";

typedef struct {
    badge_buf_t         b;
    const char *const  *t;
    int                 ja;
} badge_vp_t;

static void
vp_puts(badge_vp_t *v, const char *s)
{
    badge_buf_puts(&v->b, s);
}

/* HTML-escape s (text and attribute values alike); invalid UTF-8 bytes
 * become U+FFFD so that the page stays well-formed. */
static void
vp_esc(badge_vp_t *v, const char *s)
{
    const unsigned char *p = (const unsigned char *) s;
    size_t               n, i;

    if (s == NULL) {
        return;
    }
    while (*p != '\0') {
        switch (*p) {
        case '&':
            vp_puts(v, "&amp;");
            p++;
            continue;
        case '<':
            vp_puts(v, "&lt;");
            p++;
            continue;
        case '>':
            vp_puts(v, "&gt;");
            p++;
            continue;
        case '"':
            vp_puts(v, "&quot;");
            p++;
            continue;
        case '\'':
            vp_puts(v, "&#39;");
            p++;
            continue;
        default:
            break;
        }
        if (*p < 0x80) {
            if (*p < 0x20 && *p != '\n' && *p != '\t') {
                vp_puts(v, "\xef\xbf\xbd");
            } else {
                badge_buf_putc(&v->b, (char) *p);
            }
            p++;
            continue;
        }
        n = (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3
            : (*p & 0xf8) == 0xf0 ? 4 : 0;
        for (i = 1; n != 0 && i < n; i++) {
            if ((p[i] & 0xc0) != 0x80) {
                n = 0;
            }
        }
        if (n == 0 || (n == 2 && *p < 0xc2)) {
            vp_puts(v, "\xef\xbf\xbd");
            p++;
            continue;
        }
        badge_buf_append(&v->b, p, n);
        p += n;
    }
}

static const char *
vp_check_label(badge_vp_t *v, const char *check)
{
    size_t i;

    for (i = 0; badge_vp_checks[i].check != NULL; i++) {
        if (strcmp(badge_vp_checks[i].check, check) == 0) {
            return v->ja ? badge_vp_checks[i].ja : badge_vp_checks[i].en;
        }
    }
    return check;
}

static void
vp_field(badge_vp_t *v, badge_vp_str_t label, const char *value,
    const char *extra)
{
    if (value == NULL || *value == '\0') {
        return;
    }
    vp_puts(v, "<dt>");
    vp_puts(v, v->t[label]);
    vp_puts(v, "</dt><dd>");
    vp_esc(v, value);
    if (extra != NULL && *extra != '\0' && strcmp(extra, value) != 0) {
        vp_puts(v, " <code>");
        vp_esc(v, extra);
        vp_puts(v, "</code>");
    }
    vp_puts(v, "</dd>");
}

static void
vp_symbol(badge_vp_t *v, badge_check_status_t st)
{
    static const char *sym[] = { "\xe2\x9c\x93", "\xe2\x9c\x97", "!", "?" };
    static const char *cls[] = { "pass", "fail", "warn", "unchecked" };
    static const badge_vp_str_t name[] = { VP_PASS, VP_FAIL, VP_WARN,
                                           VP_NOT_CHECKED };
    unsigned i = (unsigned) st < 4 ? (unsigned) st : 3;

    vp_puts(v, "<span class=\"sym ");
    vp_puts(v, cls[i]);
    vp_puts(v, "\" aria-hidden=\"true\">");
    vp_puts(v, sym[i]);
    vp_puts(v, "</span><span class=\"vh\">");
    vp_puts(v, v->t[name[i]]);
    vp_puts(v, ": </span>");
}

/* A check's or an error's message: in Japanese the code's sentence, then
 * the English message as a detail line when it says more (messages.h). */
static void
vp_message(badge_vp_t *v, const char *code, const char *message)
{
    const char *text, *detail;

    badge_message_code_text(code, message, v->ja, &text, &detail);
    vp_puts(v, "<div class=\"msg\">");
    vp_esc(v, text);
    vp_puts(v, "</div>");
    if (detail != NULL) {
        vp_puts(v, "<div class=\"msg-detail\" lang=\"en\">");
        vp_esc(v, detail);
        vp_puts(v, "</div>");
    }
}

static void
vp_result(badge_vp_t *v, const badge_session_t *s)
{
    const badge_report_t       *r = s->report;
    const badge_check_t        *c;
    const badge_report_error_t *e;
    const char                 *status, *cls, *sym;
    badge_vp_str_t              head, sub;
    badge_outcome_t             out;

    out = badge_session_first_failure(s, NULL, NULL);
    status = badge_session_field(s, BADGE_FIELD_STATUS);
    if (status == NULL) {
        status = "not_verified";
    }

    if (out == BADGE_OUTCOME_VERIFIED) {
        head = VP_VERIFIED;
        sub = VP_VERIFIED_SUB;
        cls = "pass";
        sym = "\xe2\x9c\x93";
    } else if (out == BADGE_OUTCOME_UNCHECKED) {
        head = VP_UNCHECKED;
        sub = VP_UNCHECKED_SUB;
        cls = "unchecked";
        sym = "?";
    } else {
        head = strcmp(status, "revoked") == 0 ? VP_REVOKED
               : strcmp(status, "suspended") == 0 ? VP_SUSPENDED
               : strcmp(status, "expired") == 0 ? VP_EXPIRED
               : VP_NOT_VERIFIED;
        sub = VP_NOT_VERIFIED_SUB;
        cls = "fail";
        sym = "\xe2\x9c\x97";
    }

    vp_puts(v, "<section aria-labelledby=\"result-h\" id=\"result\">"
               "<h2 id=\"result-h\">");
    vp_puts(v, v->t[VP_RESULT_H]);
    vp_puts(v, "</h2><div class=\"verdict ");
    vp_puts(v, cls);
    vp_puts(v, "\" role=\"status\" data-status=\"");
    vp_esc(v, status);
    vp_puts(v, "\"><span class=\"sym\" aria-hidden=\"true\">");
    vp_puts(v, sym);
    vp_puts(v, "</span><div><p><strong>");
    vp_puts(v, v->t[head]);
    vp_puts(v, "</strong></p><p>");
    vp_puts(v, v->t[sub]);
    vp_puts(v, "</p></div></div>");

    if (r->errors == NULL) {
        vp_puts(v, "<dl>");
        vp_field(v, VP_ACHIEVEMENT,
                 badge_session_field(s, BADGE_FIELD_ACHIEVEMENT_NAME),
                 badge_session_field(s, BADGE_FIELD_ACHIEVEMENT));
        if (badge_session_field(s, BADGE_FIELD_ISSUER_NAME) != NULL) {
            vp_field(v, VP_ISSUER,
                     badge_session_field(s, BADGE_FIELD_ISSUER_NAME),
                     badge_session_field(s, BADGE_FIELD_ISSUER));
        } else {
            vp_field(v, VP_ISSUER, badge_session_field(s, BADGE_FIELD_ISSUER),
                     NULL);
        }
        vp_field(v, VP_SUBJECT, badge_session_field(s, BADGE_FIELD_SUBJECT),
                 NULL);
        vp_field(v, VP_VALID_FROM,
                 badge_session_field(s, BADGE_FIELD_VALID_FROM), NULL);
        vp_field(v, VP_VALID_UNTIL,
                 badge_session_field(s, BADGE_FIELD_VALID_UNTIL), NULL);
        vp_field(v, VP_ID, badge_session_field(s, BADGE_FIELD_CREDENTIAL_ID),
                 NULL);
        vp_field(v, VP_FORMAT, badge_session_field(s, BADGE_FIELD_FORMAT),
                 NULL);
        vp_puts(v, "</dl>");
    }

    if (r->checks != NULL) {
        vp_puts(v, "<h3 class=\"vh\">");
        vp_puts(v, v->t[VP_CHECKS_H]);
        vp_puts(v, "</h3><ol class=\"checks\">");
        for (c = r->checks; c != NULL; c = c->next) {
            vp_puts(v, "<li data-check=\"");
            vp_esc(v, c->check);
            vp_puts(v, "\" data-status=\"");
            vp_puts(v, badge_check_status_name(c->status));
            vp_puts(v, "\">");
            vp_symbol(v, c->status);
            vp_puts(v, "<div><span class=\"check-name\">");
            vp_esc(v, vp_check_label(v, c->check));
            vp_puts(v, "</span> <code>");
            vp_esc(v, c->code);
            vp_puts(v, "</code>");
            vp_message(v, c->code, c->message);
            vp_puts(v, "</div></li>");
        }
        vp_puts(v, "</ol>");
    }

    if (r->errors != NULL) {
        vp_puts(v, "<h3>");
        vp_puts(v, v->t[VP_ERRORS_H]);
        vp_puts(v, "</h3><ol class=\"checks\">");
        for (e = r->errors; e != NULL; e = e->next) {
            vp_puts(v, "<li data-status=\"fail\">");
            vp_symbol(v, BADGE_FAIL);
            vp_puts(v, "<div><code>");
            vp_esc(v, e->code);
            vp_puts(v, "</code>");
            vp_message(v, e->code, e->message);
            vp_puts(v, "</div></li>");
        }
        vp_puts(v, "</ol>");
    }
    vp_puts(v, "</section>");
}

static void
vp_request_error(badge_vp_t *v, const badge_verify_page_t *p)
{
    const char *text, *detail;

    vp_puts(v, "<section aria-labelledby=\"result-h\" id=\"result\">"
               "<h2 id=\"result-h\">");
    vp_puts(v, v->t[VP_RESULT_H]);
    vp_puts(v, "</h2><div class=\"verdict fail\" role=\"alert\" "
               "data-status=\"error\"><span class=\"sym\" "
               "aria-hidden=\"true\">\xe2\x9c\x97</span><div><p><strong>");
    vp_puts(v, v->t[VP_REQUEST_ERROR]);
    vp_puts(v, "</strong></p><p>");
    badge_message_code_text(p->error_code, p->error_message, v->ja, &text,
                            &detail);
    vp_esc(v, text);
    vp_puts(v, " <code>");
    vp_esc(v, p->error_code);
    vp_puts(v, "</code></p>");
    if (detail != NULL) {
        vp_puts(v, "<p class=\"msg-detail\" lang=\"en\">");
        vp_esc(v, detail);
        vp_puts(v, "</p>");
    }
    vp_puts(v, "</div></div></section>");
}

static void
vp_form(badge_vp_t *v, const badge_verify_page_t *p, const char *lang)
{
    vp_puts(v, "<section aria-labelledby=\"form-h\"><h2 id=\"form-h\">");
    vp_puts(v, v->t[VP_FORM_H]);
    vp_puts(v, "</h2><form id=\"verify-form\" method=\"post\" action=\"");
    vp_esc(v, p->action != NULL ? p->action : "");
    vp_puts(v, "?lang=");
    vp_puts(v, lang);
    vp_puts(v, "\" enctype=\"multipart/form-data\" accept-charset=\"utf-8\">"
               "<input type=\"hidden\" name=\"lang\" value=\"");
    vp_puts(v, lang);
    vp_puts(v, "\"><label for=\"credential\">");
    vp_puts(v, v->t[VP_PASTE]);
    vp_puts(v, " <span class=\"hint\" id=\"credential-hint\">");
    vp_puts(v, v->t[VP_PASTE_HINT]);
    vp_puts(v, "</span></label><textarea id=\"credential\" "
               "name=\"credential\" rows=\"8\" spellcheck=\"false\" "
               "autocomplete=\"off\" aria-describedby=\"credential-hint\">"
               "</textarea><label for=\"file\">");
    vp_puts(v, v->t[VP_FILE]);
    vp_puts(v, " <span class=\"hint\" id=\"file-hint\">");
    vp_puts(v, v->t[VP_FILE_HINT]);
    vp_puts(v, "</span></label><input type=\"file\" id=\"file\" "
               "name=\"file\" accept=\".json,.jsonld,.jwt,.txt,.png,.svg,"
               "application/json,application/ld+json,image/png,"
               "image/svg+xml\" aria-describedby=\"file-hint\">"
               "<label for=\"url\">");
    vp_puts(v, v->t[VP_URL]);
    vp_puts(v, "</label><input type=\"url\" id=\"url\" name=\"url\" "
               "inputmode=\"url\" autocomplete=\"off\" placeholder=\"");
    vp_puts(v, v->t[VP_URL_HINT]);
    vp_puts(v, "\" value=\"");
    vp_esc(v, p->url);
    vp_puts(v, "\"><button type=\"submit\">");
    vp_puts(v, v->t[VP_SUBMIT]);
    vp_puts(v, "</button></form></section>");
}

char *
badge_verify_page_html(const badge_session_t *s,
    const badge_verify_page_t *p, void *(*alloc)(void *pool, size_t n),
    void *pool, size_t *len)
{
    badge_arena_t *a;
    badge_vp_t     v;
    const char    *lang, *html;
    char          *out;

    lang = p->lang != NULL && strcmp(p->lang, "ja") == 0 ? "ja" : "en";
    a = badge_arena_new(BADGE_VP_ARENA_LIMIT);
    if (a == NULL) {
        return NULL;
    }
    memset(&v, 0, sizeof(v));
    v.ja = lang[0] == 'j';
    v.t = v.ja ? badge_vp_ja : badge_vp_en;
    badge_buf_init(&v.b, a, 16384);

    vp_puts(&v, "<!DOCTYPE html>\n<html lang=\"");
    vp_puts(&v, lang);
    vp_puts(&v, "\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" "
                "content=\"width=device-width,initial-scale=1\">"
                "<meta name=\"referrer\" content=\"no-referrer\">"
                "<meta name=\"robots\" content=\"noindex\"><title>");
    vp_puts(&v, v.t[VP_TITLE]);
    vp_puts(&v, "</title><style>");
    vp_puts(&v, badge_vp_css);
    vp_puts(&v, "</style></head>\n<body><a class=\"skip\" "
                "href=\"#verify-form\">");
    vp_puts(&v, v.t[VP_SKIP]);
    vp_puts(&v, "</a><header><h1>");
    vp_puts(&v, v.t[VP_TITLE]);
    vp_puts(&v, "</h1><nav aria-label=\"");
    vp_puts(&v, v.t[VP_LANG_NAV]);
    vp_puts(&v, "\"><ul><li><a href=\"");
    vp_esc(&v, p->action != NULL ? p->action : "");
    vp_puts(&v, "?lang=ja\" lang=\"ja\" hreflang=\"ja\"");
    vp_puts(&v, v.ja ? " aria-current=\"page\"" : "");
    vp_puts(&v, ">日本語</a></li><li><a href=\"");
    vp_esc(&v, p->action != NULL ? p->action : "");
    vp_puts(&v, "?lang=en\" lang=\"en\" hreflang=\"en\"");
    vp_puts(&v, v.ja ? "" : " aria-current=\"page\"");
    vp_puts(&v, ">English</a></li></ul></nav></header>\n<main id=\"main\">"
                "<p class=\"intro\">");
    vp_puts(&v, v.t[VP_INTRO]);
    vp_puts(&v, "</p>\n");

    if (p->error_code != NULL) {
        vp_request_error(&v, p);
    } else if (s != NULL && s->report != NULL) {
        vp_result(&v, s);
    }
    vp_puts(&v, "\n");
    vp_form(&v, p, lang);

    vp_puts(&v, "\n</main><footer><p>");
    vp_puts(&v, v.t[VP_FOOTER]);
    vp_puts(&v, " ");
    vp_puts(&v, v.t[VP_API]);
    vp_puts(&v, "</p></footer></body></html>\n");

    html = badge_buf_cstr(&v.b);
    if (html == NULL) {
        badge_arena_free(a);
        return NULL;
    }
    out = alloc != NULL ? alloc(pool, v.b.len + 1) : malloc(v.b.len + 1);
    if (out != NULL) {
        memcpy(out, html, v.b.len + 1);
        if (len != NULL) {
            *len = v.b.len;
        }
    }
    badge_arena_free(a);
    return out;
}
