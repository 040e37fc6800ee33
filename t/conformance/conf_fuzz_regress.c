/*
 * conf_fuzz_regress.c: every file under t/fuzz/regress/<harness>/ (inputs
 * that once crashed a libFuzzer harness, minimized) and every seed under
 * t/fuzz/corpus/<harness>/ goes through that harness's entry point, built
 * here without libFuzzer, so that `make test` keeps them fixed.  Under
 * `make asan` the same runs are checked by ASan and UBSan.
 * Run from the repository root.
 *
 * The harnesses are included with their entry point (and their static
 * names) renamed.  A directory under t/fuzz/regress/ naming a harness this
 * runner does not know is a failure: add it to HARNESSES below.
 *
 * Last line: "fuzz-regress: N files (R reproducers) through H harnesses, F failed"
 */
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define LLVMFuzzerTestOneInput fuzz_one_verify
#define badge_fuzz_ctx badge_fuzz_ctx_verify
#include "../fuzz/fuzz_verify.c"
#undef badge_fuzz_ctx
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput fuzz_one_url
#define badge_fuzz_ctx badge_fuzz_ctx_url
#include "../fuzz/fuzz_url.c"
#undef badge_fuzz_ctx
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput fuzz_one_nquads
#include "../fuzz/fuzz_nquads.c"
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput fuzz_one_jcs
#include "../fuzz/fuzz_jcs.c"
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput fuzz_one_jws
#include "../fuzz/fuzz_jws.c"
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput fuzz_one_multibase
#include "../fuzz/fuzz_multibase.c"
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput fuzz_one_baked
#include "../fuzz/fuzz_baked.c"
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput fuzz_one_status
#include "../fuzz/fuzz_status.c"
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput fuzz_one_did
#include "../fuzz/fuzz_did.c"
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput fuzz_one_report
#include "../fuzz/fuzz_report.c"
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput fuzz_one_jsonld
#include "../fuzz/fuzz_jsonld.c"
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput fuzz_one_proof_di
#define fuzz_ctx fuzz_ctx_proof_di
#define fuzz_arena fuzz_arena_proof_di
#define fuzz_key fuzz_key_proof_di
#define fuzz_vm fuzz_vm_proof_di
#define fuzz_init fuzz_init_proof_di
#define fuzz_verify fuzz_verify_proof_di
#include "../fuzz/fuzz_proof_di.c"
#undef fuzz_verify
#undef fuzz_init
#undef fuzz_vm
#undef fuzz_key
#undef fuzz_arena
#undef fuzz_ctx
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput fuzz_one_template
#define badge_fuzz_ctx badge_fuzz_ctx_template
#define badge_fuzz_cred badge_fuzz_cred_template
#define badge_fuzz_session badge_fuzz_session_template
#include "../fuzz/fuzz_template.c"
#undef badge_fuzz_session
#undef badge_fuzz_cred
#undef badge_fuzz_ctx
#undef LLVMFuzzerTestOneInput

typedef int (*fuzz_fn)(const uint8_t *data, size_t size);

static const struct {
    const char *name;
    fuzz_fn     fn;
} HARNESSES[] = {
    { "fuzz_verify", fuzz_one_verify },
    { "fuzz_url", fuzz_one_url },
    { "fuzz_nquads", fuzz_one_nquads },
    { "fuzz_jcs", fuzz_one_jcs },
    { "fuzz_jws", fuzz_one_jws },
    { "fuzz_multibase", fuzz_one_multibase },
    { "fuzz_baked", fuzz_one_baked },
    { "fuzz_status", fuzz_one_status },
    { "fuzz_did", fuzz_one_did },
    { "fuzz_report", fuzz_one_report },
    { "fuzz_jsonld", fuzz_one_jsonld },
    { "fuzz_proof_di", fuzz_one_proof_di },
    { "fuzz_template", fuzz_one_template },
};
#define N_HARNESSES  (sizeof(HARNESSES) / sizeof(HARNESSES[0]))

/* seconds one input may take (libFuzzer's -timeout in tools/fuzz.sh) */
#define REGRESS_TIMEOUT  10

static unsigned files, reproducers, failed;

static fuzz_fn
harness(const char *name)
{
    size_t i;

    for (i = 0; i < N_HARNESSES; i++) {
        if (strcmp(HARNESSES[i].name, name) == 0) {
            return HARNESSES[i].fn;
        }
    }
    return NULL;
}

/* Run fn on the file in a child, so that a crash is reported with its
 * file name and the other files still run. */
static void
run_file(const char *hname, fuzz_fn fn, const char *path, int reproducer)
{
    FILE          *f;
    unsigned char *buf;
    long           n;
    size_t         len;
    pid_t          pid;
    int            st;

    f = fopen(path, "rb");
    if (f == NULL) {
        return;
    }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    /* exactly the bytes, in a buffer of their size (ASan sees overreads) */
    buf = malloc(n > 0 ? (size_t) n : 1);
    len = fread(buf, 1, (size_t) n, f);
    fclose(f);
    files++;
    reproducers += reproducer != 0;
    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        alarm(REGRESS_TIMEOUT);
        fn(buf, len);
        _exit(0);
    }
    free(buf);
    if (pid < 0 || waitpid(pid, &st, 0) < 0) {
        printf("FAIL  %s %s: cannot run\n", hname, path);
        failed++;
        return;
    }
    if (WIFSIGNALED(st)) {
        printf("FAIL  %s %s: %s\n", hname, path,
               WTERMSIG(st) == SIGALRM ? "timeout" : strsignal(WTERMSIG(st)));
        failed++;
    } else if (WEXITSTATUS(st) != 0) {
        printf("FAIL  %s %s: exit %d\n", hname, path, WEXITSTATUS(st));
        failed++;
    }
}

static void
run_dir(const char *root, int reproducer)
{
    DIR           *d = opendir(root), *hd;
    struct dirent *e, *he;
    char           dir[512], path[1024];
    struct stat    sb;
    fuzz_fn        fn;

    if (d == NULL) {
        return;
    }
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') {
            continue;
        }
        snprintf(dir, sizeof(dir), "%s/%s", root, e->d_name);
        if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
            continue;
        }
        fn = harness(e->d_name);
        if (fn == NULL) {
            if (reproducer) {
                printf("FAIL  %s: no harness %s in conf_fuzz_regress.c\n",
                       dir, e->d_name);
                failed++;
            }
            continue;
        }
        hd = opendir(dir);
        while (hd != NULL && (he = readdir(hd)) != NULL) {
            if (he->d_name[0] == '.') {
                continue;
            }
            snprintf(path, sizeof(path), "%s/%s", dir, he->d_name);
            if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
                run_file(e->d_name, fn, path, reproducer);
            }
        }
        if (hd != NULL) {
            closedir(hd);
        }
    }
    closedir(d);
}

int
main(void)
{
    struct stat sb;

    if (stat("t/fuzz", &sb) != 0) {
        fprintf(stderr, "conf_fuzz_regress: run from the repository root\n");
        return 2;
    }
    run_dir("t/fuzz/regress", 1);
    run_dir("t/fuzz/corpus", 0);
    printf("fuzz-regress: %u files (%u reproducers) through %zu harnesses, "
           "%u failed\n", files, reproducers, N_HARNESSES, failed);
    return failed == 0 && files > 0 ? 0 : 1;
}
