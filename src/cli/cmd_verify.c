/*
 * cmd_verify.c: badgectl verify, one credential from a file, stdin or a
 * URL, with the documents it needs from the document map or the network.
 *
 *   exit 0 verified, 1 not verified, 2 usage or input error
 */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "badge.h"
#include "cli.h"
#include "fetch.h"

static void
badgectl_verify_usage(FILE *f)
{
    fprintf(f,
        "usage: badgectl verify [--json] [--lang ja|en] [--offline]\n"
        "           [--doc URL=FILE]... [--docs PREFIX=DIR]... "
        "[--trust ISSUER]...\n"
        "           [--key [KID=]FILE]... [--require-trusted] "
        "[--now RFC3339]\n"
        "           [--recipient ID] [--challenge C] [--domain D]\n"
        "           [--allow-http] [--allow-private] [--verbose]\n"
        "           FILE|URL|-\n"
        "\n"
        "  --json             print the report as JSON\n"
        "  --trust ISSUER     trust this issuer (a DID or URL)\n"
        "  --key KID=FILE     trust this key (PEM, JWK, multibase) for a "
        "verification\n"
        "                     method id (with '#') or an issuer (without); "
        "--key FILE\n"
        "                     binds it to the last --trust ISSUER\n"
        "  --now RFC3339      verify as of this time\n"
        "  --recipient ID     check the credential was issued to ID "
        "(email, URL, DID)\n"
        "  --challenge C      a presentation's proof must have this "
        "challenge\n"
        "  --domain D         a presentation's proof must have this domain\n"
        "  --allow-http       also fetch http:// URLs\n"
        "  --allow-private    also fetch loopback/private addresses\n"
        "exit status: 0 verified, 1 not verified, 2 usage or input error\n");
}

int
badgectl_cmd_verify(int argc, char **argv)
{
    badgectl_vsetup_t  v;
    badge_session_t   *s = NULL;
    const char        *input = NULL, *out;
    unsigned char     *body = NULL;
    size_t             len = 0;
    int                i, rc, json = 0, code = BADGECTL_USAGE;

    if (badgectl_vsetup_init(&v) != 0) {
        return BADGECTL_USAGE;
    }
    for (i = 1; i < argc; i++) {
        rc = badgectl_vsetup_option(&v, argc, argv, &i);
        if (rc < 0) {
            goto done;
        }
        if (rc > 0) {
            continue;
        }
        if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if (strcmp(argv[i], "-h") == 0
                   || strcmp(argv[i], "--help") == 0)
        {
            badgectl_verify_usage(stdout);
            code = BADGECTL_OK;
            goto done;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "badgectl verify: unknown option %s\n", argv[i]);
            badgectl_verify_usage(stderr);
            goto done;
        } else if (input != NULL) {
            fprintf(stderr, "badgectl verify: one input only\n");
            goto done;
        } else {
            input = argv[i];
        }
    }
    if (input == NULL) {
        badgectl_verify_usage(stderr);
        goto done;
    }
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
            fprintf(stderr, "badgectl verify: cannot read %s%s\n", input,
                strcmp(input, "-") == 0 ? " (stdin)" : "");
            goto done;
        }
        rc = badge_session_set_input(s, body, len);
    }
    if (rc != 0 || badgectl_vsetup_run(&v, s) != BADGE_DONE) {
        fprintf(stderr, "badgectl verify: out of memory\n");
        goto done;
    }
    out = json ? badge_session_report_json(s, &len)
               : badge_session_report_text(s, &len);
    if (out == NULL) {
        fprintf(stderr, "badgectl verify: out of memory\n");
        goto done;
    }
    fwrite(out, 1, len, stdout);
    if (len == 0 || out[len - 1] != '\n') {
        putchar('\n');
    }
    code = badgectl_session_exit_code(s);

done:
    free(body);
    badge_session_free(s);
    badgectl_vsetup_free(&v);
    return code;
}
