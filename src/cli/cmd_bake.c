/*
 * cmd_bake.c: badgectl bake, a credential baked into a PNG or SVG badge
 * image (bake.h), read back by our own extractor before it is written.
 *
 *   badgectl bake --image FILE --out FILE [--ob2 | --ob3] CREDENTIAL|-
 *
 * CREDENTIAL is the JSON, a JWS/JWT, or (OB 2.0) the assertion URL, in a
 * file or on stdin ("-").  The version follows from the credential unless
 * --ob2 / --ob3 says.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "bake.h"
#include "baked.h"
#include "cli.h"

static void
badgectl_bake_usage(FILE *f)
{
    fprintf(f, "usage: badgectl bake --image FILE --out FILE [--ob2 | --ob3] "
        "CREDENTIAL|-\n"
        "  --image FILE   the badge image, PNG or SVG\n"
        "  --out FILE     the baked image (\"-\" = stdout)\n"
        "  --ob2, --ob3   the Open Badges version (default: from the "
        "credential)\n"
        "  CREDENTIAL     JSON, a JWS/JWT, or an OB 2.0 assertion URL "
        "(file, or - for stdin)\n");
}

int
badgectl_cmd_bake(int argc, char **argv)
{
    const char            *image = NULL, *outfile = NULL, *input = NULL;
    unsigned char         *img = NULL, *cred = NULL, *baked;
    size_t                 img_len, cred_len, baked_len;
    badge_baked_version_t  version = 0;
    badge_arena_t         *a = NULL;
    badge_err_t            err;
    FILE                  *f;
    int                    i, code = BADGECTL_USAGE;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--image") == 0 && i + 1 < argc) {
            image = argv[++i];
        } else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
            outfile = argv[++i];
        } else if (strcmp(argv[i], "--ob2") == 0) {
            version = BADGE_BAKED_OB2;
        } else if (strcmp(argv[i], "--ob3") == 0) {
            version = BADGE_BAKED_OB3;
        } else if (strcmp(argv[i], "-h") == 0
                   || strcmp(argv[i], "--help") == 0)
        {
            badgectl_bake_usage(stdout);
            return BADGECTL_OK;
        } else if ((argv[i][0] != '-' || strcmp(argv[i], "-") == 0)
                   && input == NULL)
        {
            input = argv[i];
        } else {
            fprintf(stderr, "badgectl bake: unknown option or extra argument "
                "'%s'\n", argv[i]);
            badgectl_bake_usage(stderr);
            return BADGECTL_USAGE;
        }
    }
    if (image == NULL || outfile == NULL || input == NULL) {
        fprintf(stderr, "badgectl bake: --image, --out and the credential "
            "are required\n");
        badgectl_bake_usage(stderr);
        return BADGECTL_USAGE;
    }
    if (badgectl_read_file(image, BADGE_BAKED_MAX_IMAGE, &img, &img_len)
        != 0)
    {
        fprintf(stderr, "badgectl bake: cannot read %s: %s\n", image,
            strerror(errno));
        goto done;
    }
    if (badgectl_read_file(input, BADGE_BAKED_MAX_TEXT, &cred, &cred_len)
        != 0)
    {
        fprintf(stderr, "badgectl bake: cannot read %s: %s\n", input,
            strerror(errno));
        goto done;
    }
    a = badge_arena_new(0);
    if (a == NULL) {
        fprintf(stderr, "badgectl bake: out of memory\n");
        goto done;
    }
    if (badge_bake(a, img, img_len, (const char *) cred, cred_len, version,
                   &baked, &baked_len, &err) != 0)
    {
        fprintf(stderr, "badgectl bake: %s\n", err.message);
        goto done;
    }
    f = strcmp(outfile, "-") == 0 ? stdout : fopen(outfile, "wb");
    if (f == NULL) {
        fprintf(stderr, "badgectl bake: cannot write %s: %s\n", outfile,
            strerror(errno));
        goto done;
    }
    if (fwrite(baked, 1, baked_len, f) != baked_len
        || (f == stdout ? fflush(f) : fclose(f)) != 0)
    {
        fprintf(stderr, "badgectl bake: cannot write %s\n", outfile);
        goto done;
    }
    code = BADGECTL_OK;

done:
    badge_arena_free(a);
    free(img);
    free(cred);
    return code;
}
