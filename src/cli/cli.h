/*
 * cli.h: badgectl's subcommands and the options they share.
 */
#ifndef BADGECTL_CLI_H
#define BADGECTL_CLI_H

#include <stddef.h>

/* Exit codes fixed by DESIGN.md */
#define BADGECTL_OK         0   /* verified / success */
#define BADGECTL_NOT_OK     1   /* not verified */
#define BADGECTL_USAGE      2   /* usage or input error */

/*
 * The document map shared by verify, canonicalize and bench:
 *   --offline            never fetch
 *   --doc URL=FILE       the document at URL is read from FILE
 *   --docs PREFIX=DIR    any URL starting with PREFIX is read from DIR + rest
 */
typedef struct badgectl_docmap_s badgectl_docmap_t;

badgectl_docmap_t *badgectl_docmap_new(void);
void badgectl_docmap_free(badgectl_docmap_t *m);
/* Returns 1 if argv[*i] was a docmap option (consuming its argument and
 * advancing *i), 0 if not, -1 on a usage error (message printed). */
int badgectl_docmap_option(badgectl_docmap_t *m, int argc, char **argv,
    int *i);
int badgectl_docmap_offline(const badgectl_docmap_t *m);
/* Look up URL in the map.  Returns 1 and a malloc'ed body if mapped,
 * 0 if not mapped, -1 if mapped but unreadable (message printed). */
int badgectl_docmap_lookup(const badgectl_docmap_t *m, const char *url,
    unsigned char **body, size_t *len);

/* Read a whole file ("-" = stdin) into a malloc'ed buffer; limit in bytes. */
int badgectl_read_file(const char *path, size_t limit, unsigned char **body,
    size_t *len);

int badgectl_cmd_verify(int argc, char **argv);
int badgectl_cmd_canonicalize(int argc, char **argv);
int badgectl_cmd_bench(int argc, char **argv);
int badgectl_cmd_keygen(int argc, char **argv);
int badgectl_cmd_did(int argc, char **argv);
int badgectl_cmd_sign(int argc, char **argv);

#endif
