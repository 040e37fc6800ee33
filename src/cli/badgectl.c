/*
 * badgectl: verify, canonicalize, render, sign and publish badges from the
 * command line.  Each subcommand lives in its own cmd_*.c file.
 */
#include <stdio.h>
#include <string.h>

#include "badge.h"
#include "cli.h"

typedef struct {
    const char *name;
    int       (*run)(int argc, char **argv);
    const char *help;
} badgectl_cmd_t;

/* Subcommands not built yet are weak so that the table stays one list. */
#define BADGECTL_WEAK __attribute__((weak))
BADGECTL_WEAK int badgectl_cmd_verify(int argc, char **argv);
BADGECTL_WEAK int badgectl_cmd_canonicalize(int argc, char **argv);
BADGECTL_WEAK int badgectl_cmd_bench(int argc, char **argv);
BADGECTL_WEAK int badgectl_cmd_keygen(int argc, char **argv);
BADGECTL_WEAK int badgectl_cmd_did(int argc, char **argv);
BADGECTL_WEAK int badgectl_cmd_sign(int argc, char **argv);
BADGECTL_WEAK int badgectl_cmd_render(int argc, char **argv);
BADGECTL_WEAK int badgectl_cmd_status(int argc, char **argv);
BADGECTL_WEAK int badgectl_cmd_bake(int argc, char **argv);

static const badgectl_cmd_t badgectl_cmds[] = {
    { "verify", badgectl_cmd_verify,
      "verify [--json] [--lang ja] [options] FILE|URL|-" },
    { "canonicalize", badgectl_cmd_canonicalize,
      "canonicalize [--nquads] [--base IRI] [--hash sha256|sha384] FILE|-" },
    { "bench", badgectl_cmd_bench, "bench [options] FILE" },
    { "keygen", badgectl_cmd_keygen,
      "keygen [--type ed25519|p256|rsa2048|rsa3072] --out FILE" },
    { "did", badgectl_cmd_did, "did --key FILE --did DID" },
    { "sign", badgectl_cmd_sign,
      "sign --key FILE [--format jwt --alg ALG] FILE" },
    { "render", badgectl_cmd_render, "render [--lang ja] FILE" },
    { "status", badgectl_cmd_status,
      "status allocate|revoke|suspend|reinstate|list ..." },
    { "bake", badgectl_cmd_bake, "bake --image FILE --out FILE CREDENTIAL" },
    { NULL, NULL, NULL }
};

static void
badgectl_usage(FILE *f)
{
    const badgectl_cmd_t *c;

    fprintf(f, "badgectl %s: verify and publish Open Badges and Verifiable "
        "Credentials\n\nusage:\n", BADGE_VERSION);
    for (c = badgectl_cmds; c->name != NULL; c++) {
        if (c->run != NULL) {
            fprintf(f, "  badgectl %s\n", c->help);
        }
    }
    fprintf(f, "\noptions shared by verify, canonicalize and bench:\n"
        "  --offline             never fetch anything\n"
        "  --doc URL=FILE        read the document at URL from FILE\n"
        "  --docs PREFIX=DIR     read URLs starting with PREFIX from DIR\n"
        "\nexit status: 0 verified/ok, 1 not verified, 2 usage or input "
        "error\n");
}

int
main(int argc, char **argv)
{
    const badgectl_cmd_t *c;

    if (argc < 2 || strcmp(argv[1], "-h") == 0
        || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0)
    {
        badgectl_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? BADGECTL_USAGE : BADGECTL_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("badgectl %s\n", BADGE_VERSION);
        return BADGECTL_OK;
    }
    for (c = badgectl_cmds; c->name != NULL; c++) {
        if (strcmp(c->name, argv[1]) == 0 && c->run != NULL) {
            return c->run(argc - 1, argv + 1);
        }
    }
    fprintf(stderr, "badgectl: unknown command '%s'\n\n", argv[1]);
    badgectl_usage(stderr);
    return BADGECTL_USAGE;
}
