/*
 * cmd_keygen.c: badgectl keygen, a new signing key as unencrypted PKCS#8
 * PEM in a file only its owner can read.  Prints the key's did:key (for
 * Ed25519 and P-256) and did:jwk, ready for a DID document or --kid.
 *
 *   badgectl keygen [--type ed25519|p256|rsa2048|rsa3072] --out FILE
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "arena.h"
#include "cli.h"
#include "did.h"
#include "keys.h"

static void
badgectl_keygen_usage(FILE *f)
{
    fprintf(f, "usage: badgectl keygen [--type ed25519|p256|rsa2048|"
        "rsa3072] --out FILE\n"
        "  writes a new private key (PKCS#8 PEM, mode 0600); never "
        "overwrites\n");
}

static EVP_PKEY *
badgectl_keygen_make(const char *type)
{
    if (strcmp(type, "ed25519") == 0) {
        return EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    }
    if (strcmp(type, "p256") == 0) {
        return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    }
    if (strcmp(type, "rsa2048") == 0) {
        return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t) 2048);
    }
    if (strcmp(type, "rsa3072") == 0) {
        return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t) 3072);
    }
    return NULL;
}

int
badgectl_cmd_keygen(int argc, char **argv)
{
    const char    *type = "ed25519", *out = NULL;
    EVP_PKEY      *pkey;
    badge_key_t    k;
    badge_arena_t *a;
    const char    *did;
    FILE          *f;
    int            i, fd, ok;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--type") == 0 && i + 1 < argc) {
            type = argv[++i];
        } else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
            out = argv[++i];
        } else if (strcmp(argv[i], "-h") == 0
                   || strcmp(argv[i], "--help") == 0)
        {
            badgectl_keygen_usage(stdout);
            return BADGECTL_OK;
        } else {
            badgectl_keygen_usage(stderr);
            return BADGECTL_USAGE;
        }
    }
    if (out == NULL) {
        badgectl_keygen_usage(stderr);
        return BADGECTL_USAGE;
    }
    if (strcmp(type, "ed25519") != 0 && strcmp(type, "p256") != 0
        && strcmp(type, "rsa2048") != 0 && strcmp(type, "rsa3072") != 0)
    {
        fprintf(stderr, "badgectl keygen: unknown --type %s\n", type);
        return BADGECTL_USAGE;
    }
    /* created here, never replaced: a key file is not overwritten */
    fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        fprintf(stderr, "badgectl keygen: %s: %s\n", out, strerror(errno));
        return BADGECTL_USAGE;
    }
    pkey = badgectl_keygen_make(type);
    f = fdopen(fd, "w");
    if (pkey == NULL || f == NULL) {
        fprintf(stderr, "badgectl keygen: cannot generate the key\n");
        if (f != NULL) {
            fclose(f);
        } else {
            close(fd);
        }
        unlink(out);
        EVP_PKEY_free(pkey);
        return BADGECTL_NOT_OK;
    }
    ok = PEM_write_PKCS8PrivateKey(f, pkey, NULL, NULL, 0, NULL, NULL) == 1;
    ok = fclose(f) == 0 && ok;
    if (!ok) {
        fprintf(stderr, "badgectl keygen: cannot write %s\n", out);
        unlink(out);
        EVP_PKEY_free(pkey);
        ERR_clear_error();
        return BADGECTL_NOT_OK;
    }
    k.pkey = pkey;
    k.type = strcmp(type, "ed25519") == 0 ? BADGE_KEY_ED25519
           : strcmp(type, "p256") == 0 ? BADGE_KEY_P256 : BADGE_KEY_RSA;
    a = badge_arena_new(0);
    if (a != NULL) {
        did = badge_did_key_encode(a, &k);
        if (did != NULL) {
            printf("did:key  %s\n", did);
        }
        did = badge_did_jwk_encode(a, &k);
        if (did != NULL) {
            printf("did:jwk  %s\n", did);
        }
        badge_arena_free(a);
    }
    fprintf(stderr, "badgectl keygen: wrote %s (%s, mode 0600)\n", out,
        type);
    EVP_PKEY_free(pkey);
    return BADGECTL_OK;
}
