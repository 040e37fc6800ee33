/*
 * libFuzzer harness: the page template compiler and renderer, and the
 * page model on arbitrary credentials.
 *   first byte even: the rest is a template, rendered (twice: compiled
 *                    templates are reused) for a fixed credential;
 *   first byte odd:  the rest is a credential (JSON, JWT, baked image),
 *                    verified offline and rendered with the built-in
 *                    template.
 * Besides crashes, it checks what must always hold: a rendered page never
 * contains a raw "<script>alert" from the credential.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "badge.h"
#include "page.h"

static badge_ctx_t *badge_fuzz_ctx;

static const char badge_fuzz_cred[] =
    "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],"
    "\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],"
    "\"issuer\":{\"id\":\"https://u.example\",\"name\":\"<script>alert(1)"
    "</script>\",\"url\":\"javascript:x\"},\"validFrom\":\"2026-04-01\","
    "\"credentialSubject\":{\"name\":\"A\",\"achievement\":{\"name\":"
    "[{\"@value\":\"x\",\"@language\":\"ja\"}],\"criteria\":{\"narrative\":"
    "\"# h\\n- a\\n\\nb\"},\"tag\":[\"t1\",\"t2\"],\"alignment\":[{"
    "\"targetName\":\"n\",\"targetUrl\":\"https://a.example\"}]}},"
    "\"evidence\":[{\"id\":\"https://e.example\",\"name\":\"e\"}]}";

static badge_session_t *
badge_fuzz_session(const void *data, size_t size)
{
    badge_session_t    *s;
    const char *const  *urls;
    size_t              i, n;
    int                 rounds = 0;

    s = badge_session_new(badge_fuzz_ctx, NULL);
    if (s == NULL) {
        return NULL;
    }
    badge_session_set_input(s, data, size);
    while (badge_session_run(s) == BADGE_NEED_DOCUMENTS && rounds++ < 10) {
        n = badge_session_needed(s, &urls);
        for (i = 0; i < n; i++) {
            badge_session_supply(s, urls[i], 0, NULL, NULL, 0);
        }
    }
    return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    badge_page_template_t *tpl = NULL;
    badge_page_opts_t      po;
    badge_session_t       *s;
    const char            *html;
    char                   err[256];
    size_t                 len;

    if (size < 1) {
        return 0;
    }
    if (badge_fuzz_ctx == NULL) {
        badge_fuzz_ctx = badge_ctx_new();
    }
    memset(&po, 0, sizeof(po));
    po.lang = (data[0] & 2) ? "ja" : "en";
    po.page_url = "https://badges.example/b/1";
    if ((data[0] & 1) == 0) {
        tpl = badge_page_template_compile((const char *) data + 1, size - 1,
                                          err, sizeof(err));
        if (tpl == NULL) {
            return 0;
        }
        (void) badge_page_csp(tpl);
        po.tpl = tpl;
        s = badge_fuzz_session(badge_fuzz_cred, sizeof(badge_fuzz_cred) - 1);
    } else {
        s = badge_fuzz_session(data + 1, size - 1);
    }
    if (s != NULL) {
        html = badge_page_render(s, NULL, 0, &po, &len, err, sizeof(err));
        if (html != NULL && tpl == NULL
            && strstr(html, "<script>alert") != NULL)
        {
            abort();
        }
        if (tpl != NULL) {
            (void) badge_page_render(s, NULL, 0, &po, &len, err,
                                     sizeof(err));
        }
    }
    badge_session_free(s);
    badge_page_template_free(tpl);
    return 0;
}
