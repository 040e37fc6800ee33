/*
 * cmd_render.c: badgectl render, the public badge page of one credential
 * on stdout: verified first (the same options and fetch loop as verify),
 * then rendered with the built-in or a custom template.
 *
 *   exit 0 the page was written (whatever the verification said; the page
 *   shows it), 2 usage, input or template error
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "badge.h"
#include "cli.h"
#include "fetch.h"
#include "page.h"

/* Documents the page would show but the verification never asked for
 * (it stopped early): from the document map only, never the network. */
typedef struct badgectl_render_doc_s {
    unsigned char                 *body;
    struct badgectl_render_doc_s  *next;
} badgectl_render_doc_t;

typedef struct {
    badgectl_docmap_t      *docmap;
    badgectl_render_doc_t  *bodies;
} badgectl_render_docs_t;

static const char *
badgectl_render_doc(void *ud, const char *url, size_t *len)
{
    badgectl_render_docs_t *d = ud;
    badgectl_render_doc_t  *keep;
    unsigned char          *body;

    if (badgectl_docmap_lookup(d->docmap, url, &body, len) != 1) {
        return NULL;
    }
    keep = malloc(sizeof(*keep));
    if (keep == NULL) {
        free(body);
        return NULL;
    }
    keep->body = body;
    keep->next = d->bodies;
    d->bodies = keep;
    return (const char *) body;
}

static void
badgectl_render_usage(FILE *f)
{
    fprintf(f,
        "usage: badgectl render [--lang ja|en] [--url PAGE_URL] "
        "[--json-url URL]\n"
        "           [--baked-png URL] [--baked-svg URL] "
        "[--template FILE] [--csp]\n"
        "           [--offline] [--doc URL=FILE]... [--docs PREFIX=DIR]...\n"
        "           [--trust ISSUER]... [--key [KID=]FILE]... "
        "[--now RFC3339] FILE|URL|-\n"
        "       badgectl render --dump-template\n"
        "\n"
        "  --url PAGE_URL     the page's own absolute URL (QR code, share "
        "links, og:url)\n"
        "  --json-url URL     offer the credential JSON for download\n"
        "  --baked-png URL    offer a baked PNG badge (--baked-svg: SVG)\n"
        "  --template FILE    a custom page template "
        "(docs/page-template.md)\n"
        "  --csp              print the Content-Security-Policy for the "
        "template and exit\n"
        "  --dump-template    print the built-in template (a starting "
        "point)\n"
        "The credential is verified first (options as for verify); the "
        "page shows the\nresult.  Exit status: 0 page written, 2 usage, "
        "input or template error.\n");
}

int
badgectl_cmd_render(int argc, char **argv)
{
    badgectl_vsetup_t       v;
    badge_session_t        *s = NULL;
    badge_page_template_t  *tpl = NULL;
    badge_page_opts_t       po;
    badgectl_render_docs_t  docs = { NULL, NULL };
    badgectl_render_doc_t  *d;
    const char             *input = NULL, *tpl_path = NULL, *html;
    unsigned char          *body = NULL;
    size_t                  len = 0;
    char                    err[512];
    int                     i, rc, csp = 0, code = BADGECTL_USAGE;

    if (badgectl_vsetup_init(&v) != 0) {
        return BADGECTL_USAGE;
    }
    memset(&po, 0, sizeof(po));
    for (i = 1; i < argc; i++) {
        rc = badgectl_vsetup_option(&v, argc, argv, &i);
        if (rc < 0) {
            goto done;
        }
        if (rc > 0) {
            continue;
        }
        if ((strcmp(argv[i], "--url") == 0
             || strcmp(argv[i], "--json-url") == 0
             || strcmp(argv[i], "--baked-png") == 0
             || strcmp(argv[i], "--baked-svg") == 0
             || strcmp(argv[i], "--template") == 0) && i + 1 >= argc)
        {
            fprintf(stderr, "badgectl render: %s needs an argument\n",
                argv[i]);
            goto done;
        }
        if (strcmp(argv[i], "--url") == 0) {
            po.page_url = argv[++i];
        } else if (strcmp(argv[i], "--json-url") == 0) {
            po.json_url = argv[++i];
        } else if (strcmp(argv[i], "--baked-png") == 0) {
            po.baked_png_url = argv[++i];
        } else if (strcmp(argv[i], "--baked-svg") == 0) {
            po.baked_svg_url = argv[++i];
        } else if (strcmp(argv[i], "--template") == 0) {
            tpl_path = argv[++i];
        } else if (strcmp(argv[i], "--csp") == 0) {
            csp = 1;
        } else if (strcmp(argv[i], "--dump-template") == 0) {
            html = badge_page_default_template(&len);
            fwrite(html, 1, len, stdout);
            code = BADGECTL_OK;
            goto done;
        } else if (strcmp(argv[i], "-h") == 0
                   || strcmp(argv[i], "--help") == 0)
        {
            badgectl_render_usage(stdout);
            code = BADGECTL_OK;
            goto done;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "badgectl render: unknown option %s\n", argv[i]);
            badgectl_render_usage(stderr);
            goto done;
        } else if (input != NULL) {
            fprintf(stderr, "badgectl render: one input only\n");
            goto done;
        } else {
            input = argv[i];
        }
    }
    if (tpl_path != NULL) {
        /* as the servers do at configuration load: errors name the line */
        tpl = badge_page_template_load(tpl_path, err, sizeof(err));
        if (tpl == NULL) {
            fprintf(stderr, "badgectl render: template %s\n", err);
            goto done;
        }
    }
    if (csp) {
        printf("%s\n", badge_page_csp(tpl));
        code = BADGECTL_OK;
        goto done;
    }
    if (input == NULL) {
        badgectl_render_usage(stderr);
        goto done;
    }
    po.lang = v.vopts.lang != NULL ? v.vopts.lang : "en";
    po.tpl = tpl;
    docs.docmap = v.docmap;
    po.doc_fn = badgectl_render_doc;
    po.doc_ud = &docs;
    s = badge_session_new(v.ctx, &v.vopts);
    if (s == NULL) {
        fprintf(stderr, "badgectl: out of memory\n");
        goto done;
    }
    if (strncmp(input, "https://", 8) == 0
        || strncmp(input, "http://", 7) == 0)
    {
        rc = badge_session_set_input_url(s, input);
    } else {
        if (badgectl_read_file(input, BADGECTL_INPUT_LIMIT, &body, &len)
            != 0)
        {
            fprintf(stderr, "badgectl render: cannot read %s%s\n", input,
                strcmp(input, "-") == 0 ? " (stdin)" : "");
            goto done;
        }
        rc = badge_session_set_input(s, body, len);
    }
    if (rc != 0 || badgectl_vsetup_run(&v, s) != BADGE_DONE) {
        fprintf(stderr, "badgectl render: out of memory\n");
        goto done;
    }
    html = badge_page_render(s, NULL, 0, &po, &len, err, sizeof(err));
    if (html == NULL) {
        fprintf(stderr, "badgectl render: %s\n", err);
        goto done;
    }
    fwrite(html, 1, len, stdout);
    code = fflush(stdout) == 0 ? BADGECTL_OK : BADGECTL_USAGE;

done:
    while ((d = docs.bodies) != NULL) {
        docs.bodies = d->next;
        free(d->body);
        free(d);
    }
    free(body);
    badge_session_free(s);
    badge_page_template_free(tpl);
    badgectl_vsetup_free(&v);
    return code;
}
