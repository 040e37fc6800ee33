/*
 * cmd_did.c: badgectl did, the DID document of a key.
 *
 *   badgectl did --key FILE [--did did:web:HOST[:PATH]|did:key|did:jwk]
 *       [--server-name HOST [--port N] [--path /P]] [--key-id FRAG]
 *       [--no-jwk] [--print-did | --print-path] [--out FILE]
 *
 * The document goes to stdout (or --out); serve it at the path
 * --print-path shows (/.well-known/did.json for a bare host).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "cli.h"
#include "issuer.h"
#include "keys.h"

static void
badgectl_did_usage(FILE *f)
{
    fprintf(f, "usage: badgectl did --key FILE [--did DID] [options]\n"
        "  --key FILE          the issuer's key (PEM private or public, JWK, "
        "multibase)\n"
        "  --did DID           did:web:HOST[%%3APORT][:PATH...], did:key "
        "(default) or did:jwk\n"
        "  --server-name HOST  build the did:web from a server name, with\n"
        "    [--port N] [--path /P]  (port 443 is not written)\n"
        "  --key-id FRAG       the did:web key's fragment (default key-1)\n"
        "  --no-jwk            no JsonWebKey entry next to the Multikey\n"
        "  --print-did         print only the DID\n"
        "  --print-path        print only the URL path to serve the "
        "document at\n"
        "  --out FILE          write the document to FILE\n");
}

static int
badgectl_did_write(const char *path, const char *text, size_t len)
{
    FILE *f = path != NULL ? fopen(path, "w") : stdout;

    if (f == NULL) {
        perror(path);
        return -1;
    }
    if (fwrite(text, 1, len, f) != len
        || (path != NULL ? fclose(f) : fflush(f)) != 0)
    {
        fprintf(stderr, "badgectl did: cannot write %s\n",
            path != NULL ? path : "the output");
        return -1;
    }
    return 0;
}

int
badgectl_cmd_did(int argc, char **argv)
{
    const char    *keyfile = NULL, *did = NULL, *key_id = NULL;
    const char    *host = NULL, *path = NULL, *outfile = NULL, *text;
    badge_arena_t *a = NULL;
    badge_key_t   *k = NULL;
    badge_err_t    err;
    unsigned       flags = 0;
    char          *end;
    long           port = 0;
    int            i, print_did = 0, print_path = 0, code = BADGECTL_USAGE;

    badge_err_clear(&err);
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--key") == 0 && i + 1 < argc) {
            keyfile = argv[++i];
        } else if (strcmp(argv[i], "--did") == 0 && i + 1 < argc) {
            did = argv[++i];
        } else if (strcmp(argv[i], "--server-name") == 0 && i + 1 < argc) {
            host = argv[++i];
        } else if (strcmp(argv[i], "--port") == 0 && i + 1 < argc) {
            port = strtol(argv[++i], &end, 10);
            if (*end != '\0' || port < 1 || port > 65535) {
                fprintf(stderr, "badgectl did: bad port %s\n", argv[i]);
                return BADGECTL_USAGE;
            }
        } else if (strcmp(argv[i], "--path") == 0 && i + 1 < argc) {
            path = argv[++i];
        } else if (strcmp(argv[i], "--key-id") == 0 && i + 1 < argc) {
            key_id = argv[++i];
        } else if (strcmp(argv[i], "--no-jwk") == 0) {
            flags |= BADGE_ISSUER_DID_NO_JWK;
        } else if (strcmp(argv[i], "--print-did") == 0) {
            print_did = 1;
        } else if (strcmp(argv[i], "--print-path") == 0) {
            print_path = 1;
        } else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
            outfile = argv[++i];
        } else if (strcmp(argv[i], "-h") == 0
                   || strcmp(argv[i], "--help") == 0)
        {
            badgectl_did_usage(stdout);
            return BADGECTL_OK;
        } else {
            fprintf(stderr, "badgectl did: unknown or incomplete option "
                "'%s'\n", argv[i]);
            badgectl_did_usage(stderr);
            return BADGECTL_USAGE;
        }
    }
    if (host != NULL && did != NULL) {
        fprintf(stderr, "badgectl did: give --did or --server-name, not "
            "both\n");
        return BADGECTL_USAGE;
    }
    if ((port != 0 || path != NULL) && host == NULL) {
        fprintf(stderr, "badgectl did: --port and --path go with "
            "--server-name\n");
        return BADGECTL_USAGE;
    }
    if (keyfile == NULL && !(print_path && (did != NULL || host != NULL))) {
        fprintf(stderr, "badgectl did: --key FILE is required\n");
        badgectl_did_usage(stderr);
        return BADGECTL_USAGE;
    }
    a = badge_arena_new(0);
    if (a == NULL) {
        fprintf(stderr, "badgectl did: out of memory\n");
        return BADGECTL_USAGE;
    }
    if (host != NULL) {
        did = badge_issuer_did_from_server_name(a, host, (int) port, path,
                                                &err);
        if (did == NULL) {
            goto fail;
        }
    }
    if (print_path) {
        if (did == NULL || strncmp(did, "did:web:", 8) != 0) {
            fprintf(stderr, "badgectl did: --print-path is for did:web (a "
                "did:key or did:jwk is not served anywhere)\n");
            goto done;
        }
        text = badge_issuer_did_path(a, did, &err);
        if (text == NULL) {
            goto fail;
        }
        printf("%s\n", text);
        code = BADGECTL_OK;
        goto done;
    }
    k = badge_issuer_key_load(keyfile, &err);
    if (k == NULL) {
        goto fail;
    }
    if (print_did) {
        text = badge_issuer_did_of(a, k, did, &err);
        if (text == NULL) {
            goto fail;
        }
        printf("%s\n", text);
        code = BADGECTL_OK;
        goto done;
    }
    text = badge_issuer_did_document(a, k, did, key_id, flags, &err);
    if (text == NULL) {
        goto fail;
    }
    if (badgectl_did_write(outfile, text, strlen(text)) == 0) {
        code = BADGECTL_OK;
    }
    goto done;

fail:
    fprintf(stderr, "badgectl did: %s\n", err.message);

done:
    badge_key_free(k);
    badge_arena_free(a);
    return code;
}
