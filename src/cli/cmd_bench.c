/*
 * cmd_bench.c: badgectl bench, verifies one credential again and again in
 * this process and prints the rate.  Every document comes from the
 * document map (read once, then kept in memory): no network, so that the
 * number measures the verifier, not the issuer's web server.
 *
 *   badgectl bench [verify options] [--seconds N] FILE
 *
 * The last two lines are "cpu: T us per verify" (CPU time) and exactly
 * "N verifies/s".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "badge.h"
#include "cli.h"
#include "fetch.h"

static double
badgectl_bench_clock(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static double
badgectl_bench_now(void)
{
    return badgectl_bench_clock(CLOCK_MONOTONIC);
}

/* One verification; returns the session's status text or NULL. */
static int
badgectl_bench_once(badgectl_vsetup_t *v, const unsigned char *body,
    size_t len, char *status, size_t slen)
{
    badge_session_t *s;
    const char      *st, *fmt;
    int              rc = -1;

    s = badge_session_new(v->ctx, &v->vopts);
    if (s == NULL) {
        return -1;
    }
    if (badge_session_set_input(s, body, len) == 0
        && badgectl_vsetup_run(v, s) == BADGE_DONE)
    {
        if (status != NULL) {
            st = badge_session_field(s, BADGE_FIELD_STATUS);
            fmt = badge_session_field(s, BADGE_FIELD_FORMAT);
            snprintf(status, slen, "%s (%s)%s%s", st != NULL ? st : "?",
                fmt != NULL ? fmt : "unknown format",
                badge_session_field(s, BADGE_FIELD_ERROR) != NULL
                    ? ", first problem: " : "",
                badge_session_field(s, BADGE_FIELD_ERROR) != NULL
                    ? badge_session_field(s, BADGE_FIELD_ERROR) : "");
        }
        rc = 0;
    }
    badge_session_free(s);
    return rc;
}

int
badgectl_cmd_bench(int argc, char **argv)
{
    badgectl_vsetup_t  v;
    const char        *input = NULL;
    unsigned char     *body = NULL;
    size_t             len;
    double             seconds = 3, t0, elapsed, cpu0;
    unsigned long      n = 0;
    char               status[256], *end;
    int                i, rc, code = BADGECTL_USAGE;

    if (badgectl_vsetup_init(&v) != 0) {
        return BADGECTL_USAGE;
    }
    v.no_network = 1;
    v.cache = 1;
    for (i = 1; i < argc; i++) {
        rc = badgectl_vsetup_option(&v, argc, argv, &i);
        if (rc < 0) {
            goto done;
        }
        if (rc > 0) {
            continue;
        }
        if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
            seconds = strtod(argv[++i], &end);
            if (*end != '\0' || !(seconds > 0 && seconds <= 3600)) {
                fprintf(stderr, "badgectl bench: --seconds takes 0 < N <= "
                    "3600\n");
                goto done;
            }
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "badgectl bench: unknown option %s\n", argv[i]);
            goto done;
        } else if (input == NULL) {
            input = argv[i];
        } else {
            fprintf(stderr, "badgectl bench: one input only\n");
            goto done;
        }
    }
    if (input == NULL) {
        fprintf(stderr, "usage: badgectl bench [verify options] "
            "[--seconds N] FILE\n");
        goto done;
    }
    if (badgectl_read_file(input, BADGECTL_INPUT_LIMIT, &body, &len) != 0) {
        fprintf(stderr, "badgectl bench: cannot read %s\n", input);
        goto done;
    }
    /* the first run reads the mapped documents into the cache */
    if (badgectl_bench_once(&v, body, len, status, sizeof(status)) != 0) {
        fprintf(stderr, "badgectl bench: verification failed to run\n");
        code = BADGECTL_NOT_OK;
        goto done;
    }
    printf("result: %s\n", status);
    t0 = badgectl_bench_now();
    cpu0 = badgectl_bench_clock(CLOCK_PROCESS_CPUTIME_ID);
    do {
        if (badgectl_bench_once(&v, body, len, NULL, 0) != 0) {
            fprintf(stderr, "badgectl bench: out of memory\n");
            code = BADGECTL_NOT_OK;
            goto done;
        }
        n++;
        elapsed = badgectl_bench_now() - t0;
    } while (elapsed < seconds);
    /* CPU time, not wall time, per verification: comparable with a
     * server worker's CPU time per request whatever else the machine
     * runs */
    printf("cpu: %.1f us per verify\n",
           (badgectl_bench_clock(CLOCK_PROCESS_CPUTIME_ID) - cpu0) * 1e6
           / (double) n);
    printf("%.0f verifies/s\n", (double) n / elapsed);
    code = BADGECTL_OK;

done:
    free(body);
    badgectl_vsetup_free(&v);
    return code;
}
