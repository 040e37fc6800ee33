/*
 * conf_vc_di_ecdsa.c: the W3C vc-di-ecdsa vectors (t/vectors/vc-di-ecdsa):
 * ecdsa-rdfc-2019 and ecdsa-jcs-2019 with P-256 and P-384 keys.
 *
 * The copies available here were generated with an earlier draft than the
 * current specification: the rdfc proofs sign a proof configuration whose
 * cryptosuite is a plain string (the Data Integrity context then had no
 * cryptosuiteString datatype), the jcs proofs one without @context.  They
 * cannot verify under today's contexts and rules (libbadge follows those,
 * as the vc-di-eddsa vectors confirm), so this runner checks what they do
 * establish independently of the draft: the document hash (SHA-256 for
 * P-256, SHA-384 for P-384, RDFC-1.0 and JCS) is reproduced, and each
 * signature verifies as ECDSA with SHA-256/SHA-384 over
 * hashData = H(configuration) || H(document), raw r||s, base58btc, with
 * the key named by the proof, when the configuration is canonicalized the
 * draft's way; a changed hashData does not verify.  Full round trips under
 * the current rules are in t/unit/test_proof_di.c.
 *
 * Run from the repository root.  Last line:
 *   vc-di-ecdsa: P passed, F failed (of N)
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "badge.h"
#include "did.h"
#include "jcs.h"
#include "json.h"
#include "keys.h"
#include "multibase.h"
#include "proof_di.h"

#define VEC   "t/vectors/vc-di-ecdsa"
#define CTXF  "t/vectors/vc-di-eddsa/contexts/credentials-examples-v2.jsonld"
#define EXAMPLES_V2  "https://www.w3.org/ns/credentials/examples/v2"

static int          passed, failed;
static char        *examples;
static size_t       examples_len;

static void
check(int cond, const char *fmt, ...)
{
    va_list ap;

    if (cond) {
        passed++;
        return;
    }
    failed++;
    printf("FAIL  ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

static char *
slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long  n;

    if (f == NULL) {
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0
        || fseek(f, 0, SEEK_SET) != 0 || (buf = malloc((size_t) n + 1)) == NULL)
    {
        fclose(f);
        return NULL;
    }
    if (fread(buf, 1, (size_t) n, f) != (size_t) n) {
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    buf[n] = '\0';
    if (len != NULL) {
        *len = (size_t) n;
    }
    return buf;
}

static int
test_load(void *udata, const char *url, const char **body, size_t *len,
    badge_err_t *err)
{
    (void) udata;
    if (strcmp(url, EXAMPLES_V2) == 0 && examples != NULL) {
        *body = examples;
        *len = examples_len;
        return 0;
    }
    badge_err_set(err, "jsonld_context_not_bundled", "not bundled: %s", url);
    return -1;
}

/* The key a proof names: did:key, or the multibase after '#'. */
static badge_key_t *
proof_key(const char *vm)
{
    badge_err_t err;

    if (strncmp(vm, "did:key:", 8) == 0) {
        return badge_did_key_decode(vm, &err);
    }
    return strchr(vm, '#') != NULL
           ? badge_key_from_multibase(strchr(vm, '#') + 1, &err) : NULL;
}

static int
digest(int sha384, const void *p, size_t n, unsigned char *md)
{
    unsigned int len;

    return EVP_Digest(p, n, md, &len, sha384 ? EVP_sha384() : EVP_sha256(),
                      NULL) == 1 ? 0 : -1;
}

/* hashData = H(config) || doc_hash, then the proof's signature. */
static void
check_signature(const char *file, const json_t *proof, int sha384,
    const char *config, size_t config_len, const unsigned char *doc_hash)
{
    unsigned char  hd[96], sig[128];
    size_t         hl = sha384 ? 48 : 32, sig_len = 0;
    badge_key_t   *k = proof_key(badge_json_str(proof, "verificationMethod"));
    badge_err_t    err;
    const char    *alg = sha384 ? "ES384" : "ES256";

    check(k != NULL && k->type == (sha384 ? BADGE_KEY_P384 : BADGE_KEY_P256),
        "%s: the proof's key is a %s key", file, sha384 ? "P-384" : "P-256");
    if (k == NULL || digest(sha384, config, config_len, hd) != 0) {
        badge_key_free(k);
        return;
    }
    memcpy(hd + hl, doc_hash, hl);
    check(badge_multibase_decode(badge_json_str(proof, "proofValue"), sig,
                                 sizeof(sig), &sig_len) == 0
          && sig_len == 2 * hl, "%s: proofValue is a %zu-byte r||s", file,
        2 * hl);
    badge_err_clear(&err);
    check(badge_key_verify(k, alg, hd, 2 * hl, sig, sig_len, &err) == 0,
        "%s: %s over hashData verifies: %s", file, alg, err.message);
    hd[hl + 3] ^= 0x01;
    check(badge_key_verify(k, alg, hd, 2 * hl, sig, sig_len, &err) != 0,
        "%s: a changed document hash does not verify", file);
    badge_key_free(k);
}

static void
run_rdfc(const char *file, const char *combined, int sha384)
{
    static const char  dt[] = "^^<https://w3id.org/security#cryptosuiteString>";
    char               path[256], hex[97], *want, *old, *p;
    json_t            *doc, *u = NULL, *c = NULL;
    badge_arena_t     *a = badge_arena_new(0);
    badge_di_canon_opts_t co;
    badge_di_hash_t    h;
    badge_err_t        err;
    size_t             i, hl = sha384 ? 48 : 32;

    snprintf(path, sizeof(path), VEC "/%s", file);
    doc = json_load_file(path, 0, NULL);
    snprintf(path, sizeof(path), VEC "/%s", combined);
    want = slurp(path, NULL);
    memset(&co, 0, sizeof(co));
    co.load = test_load;
    badge_err_clear(&err);
    if (doc == NULL || want == NULL || a == NULL
        || badge_di_prepare(doc, json_object_get(doc, "proof"),
                            BADGE_DI_ECDSA_RDFC_2019, &u, &c, &err) != 0
        || badge_di_hash_data(a, BADGE_DI_ECDSA_RDFC_2019, sha384, u, c, &co,
                              &h, &err) != 0)
    {
        check(0, "%s: cannot hash: %s", file, err.message);
        goto done;
    }
    for (i = 0; i < hl; i++) {
        sprintf(hex + 2 * i, "%02x", h.doc_hash[i]);
    }
    check(strlen(want) == 4 * hl && strcmp(want + 2 * hl, hex) == 0,
        "%s: document hash (SHA-%d) reproduced: %s", file,
        sha384 ? 384 : 256, hex);
    /* the draft's configuration: cryptosuite without its datatype */
    old = strdup(h.config);
    p = old != NULL ? strstr(old, dt) : NULL;
    check(p != NULL, "%s: the configuration has a cryptosuiteString", file);
    if (p != NULL) {
        memmove(p, p + strlen(dt), strlen(p + strlen(dt)) + 1);
        check_signature(file, json_object_get(doc, "proof"), sha384, old,
            strlen(old), h.doc_hash);
    }
    free(old);

done:
    free(want);
    json_decref(u);
    json_decref(c);
    json_decref(doc);
    badge_arena_free(a);
}

static void
run_jcs(const char *file, int sha384)
{
    char           path[256];
    json_t        *doc, *u = NULL, *c = NULL;
    const json_t  *proof;
    badge_arena_t *a = badge_arena_new(0);
    unsigned char  dh[48];
    char          *cj, *dj;
    size_t         cl, dl;

    snprintf(path, sizeof(path), VEC "/%s", file);
    doc = json_load_file(path, 0, NULL);
    proof = json_object_get(doc, "proof");
    u = json_copy(doc);
    c = json_copy((json_t *) proof);
    if (doc == NULL || a == NULL || u == NULL || c == NULL) {
        check(0, "%s: cannot read", file);
        goto done;
    }
    json_object_del(u, "proof");
    json_object_del(c, "proofValue");
    /* the draft's configuration: no @context */
    dj = badge_jcs_serialize(a, u, &dl);
    cj = badge_jcs_serialize(a, c, &cl);
    check(dj != NULL && cj != NULL, "%s: JCS", file);
    if (dj != NULL && cj != NULL && digest(sha384, dj, dl, dh) == 0) {
        check_signature(file, proof, sha384, cj, cl, dh);
    }

done:
    json_decref(u);
    json_decref(c);
    json_decref(doc);
    badge_arena_free(a);
}

int
main(void)
{
    examples = slurp(CTXF, &examples_len);
    if (examples == NULL) {
        printf("cannot set up (run from the repository root)\n");
        return 2;
    }
    run_rdfc("signedECDSAP256.json", "combinedHashECDSAP256.txt", 0);
    run_rdfc("signedECDSAP384.json", "combinedHashECDSAP384.txt", 1);
    run_jcs("signedJCSECDSAP256.json", 0);
    run_jcs("signedJCSECDSAP384.json", 1);
    free(examples);
    printf("vc-di-ecdsa: %d passed, %d failed (of %d)\n", passed, failed,
        passed + failed);
    return failed == 0 && passed > 0 ? 0 : 1;
}
