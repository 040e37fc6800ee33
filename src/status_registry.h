/*
 * status_registry.h: the issuer's registry of issued credentials and their
 * status list indexes, a plain text file:
 *
 *   # badge-status-registry v1 size=131072
 *   # index<TAB>credential id<TAB>status<TAB>updated<TAB>reason
 *   48213  urn:uuid:0c2e...          active   2025-06-01T10:00:00Z
 *   9021   https://example.ac.jp/b/7 revoked  2025-07-01T09:00:00Z  typo
 *
 * (fields separated by one TAB each; the reason is the fifth, may be
 * empty)
 *
 * One line per credential, in the order they were issued, so that a diff
 * shows exactly what changed.  In the id and reason, backslash, tab,
 * newline and carriage return are written \\ \t \n \r; other control
 * characters are refused; text is UTF-8.  Comment lines other than the
 * first are not kept when the file is rewritten.
 *
 * THIS IS ISSUER-SIDE I/O, outside the verification path: badgectl uses
 * it, and the server glue reads it at configuration load and, through a
 * badge_registry_watch_t, when the file changes.  Changes are safe under
 * concurrent use: an exclusive flock on "<file>.lock", then a temporary
 * file in the same directory, fsync, rename, fsync of the directory.
 * Readers never lock: they see the old file or the new one, whole.
 *
 * Indexes are drawn at random within the list (the Bitstring Status List
 * specification's advice: neighbours in a list must not reveal who was
 * issued together) from OpenSSL's CSPRNG, or sequentially on request.
 *
 * Layer: issuer side (top); includes only bottom-layer headers.
 */
#ifndef BADGE_STATUS_REGISTRY_H
#define BADGE_STATUS_REGISTRY_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "arena.h"
#include "error.h"

/* The Bitstring Status List specification's minimum (16 KiB), for herd
 * privacy. */
#define BADGE_REGISTRY_DEFAULT_SIZE  131072
/* Largest list (bits): 8 MiB of bitstring, well under the verifier's
 * inflate limit. */
#define BADGE_REGISTRY_MAX_SIZE      ((uint64_t) 1 << 26)
/* Longest credential id and reason (bytes, unescaped). */
#define BADGE_REGISTRY_MAX_ID        2048
#define BADGE_REGISTRY_MAX_REASON    2048
/* Largest registry file read. */
#define BADGE_REGISTRY_MAX_FILE      (256 * 1024 * 1024)

typedef enum {
    BADGE_REG_ACTIVE = 0,
    BADGE_REG_REVOKED,
    BADGE_REG_SUSPENDED
} badge_reg_status_t;

typedef struct {
    uint64_t            index;
    const char         *id;
    badge_reg_status_t  status;
    time_t              updated;     /* last change (allocation first) */
    const char         *reason;      /* "" when none */
} badge_reg_entry_t;

typedef struct badge_registry_s badge_registry_t;

/* "active", "revoked", "suspended"; parse: 0 or -1. */
const char *badge_reg_status_name(badge_reg_status_t st);
int badge_reg_status_parse(const char *s, badge_reg_status_t *st);

/* ------------------------------------------------------------------ */
/* In memory (pure)                                                     */

/* An empty registry for a list of size bits (a multiple of 8, from 8 to
 * BADGE_REGISTRY_MAX_SIZE); NULL with err. */
badge_registry_t *badge_registry_new(uint64_t size, badge_err_t *err);
/* Parse the text of a registry file.  Codes: "registry_invalid" (with
 * the line number), "out_of_memory". */
badge_registry_t *badge_registry_parse(const char *text, size_t len,
    badge_err_t *err);
/* The file text, malloc'ed (free()); NULL when out of memory. */
char *badge_registry_format(const badge_registry_t *r, size_t *len);
void badge_registry_free(badge_registry_t *r);

uint64_t badge_registry_size(const badge_registry_t *r);
size_t badge_registry_count(const badge_registry_t *r);
/* The i-th entry in file order (i < count). */
const badge_reg_entry_t *badge_registry_entry(const badge_registry_t *r,
    size_t i);
const badge_reg_entry_t *badge_registry_find_id(const badge_registry_t *r,
    const char *id);
const badge_reg_entry_t *badge_registry_find_index(
    const badge_registry_t *r, uint64_t index);

/*
 * Register id at a new index: random (CSPRNG, rejection sampling and
 * collision retry) or, with sequential, the lowest free one.  Codes:
 * "registry_duplicate_id" (the message names its index),
 * "registry_full", "registry_invalid" (bad id), "random_failed".
 */
int badge_registry_add(badge_registry_t *r, const char *id, int sequential,
    time_t now, uint64_t *index, badge_err_t *err);

/*
 * Change the status of the entry with id (or, id NULL, at index).
 * Revocation is permanent: suspending or reinstating a revoked entry is
 * refused ("registry_revoked") unless force (a clerical error undone).
 * Returns 1 if changed, 0 if it already had that status (nothing done),
 * -1 with err ("registry_not_found", "registry_revoked",
 * "registry_invalid" for a bad reason).  reason NULL keeps the old one
 * when the status does not change and clears it otherwise.
 */
int badge_registry_set_status(badge_registry_t *r, const char *id,
    uint64_t index, badge_reg_status_t st, const char *reason, int force,
    time_t now, badge_err_t *err);

/* ------------------------------------------------------------------ */
/* On disk (issuer-side I/O)                                            */

/* Read a registry file (no lock needed).  "registry_missing" when there
 * is no such file, "file_unreadable", or parse errors. */
badge_registry_t *badge_registry_load(const char *path, badge_err_t *err);

/*
 * A locked read-modify-write of the file: fn changes the registry (a
 * missing file starts empty with create_size bits, or fails with
 * "registry_missing" when create_size is 0); if fn returns 1 the result
 * is written atomically, 0 leaves the file as it was, -1 aborts with its
 * err.  Returns fn's result, or -1 with err ("file_unwritable", "lock_
 * failed", ...).
 */
typedef int (*badge_registry_fn)(badge_registry_t *r, void *udata,
    badge_err_t *err);
int badge_registry_update(const char *path, uint64_t create_size,
    badge_registry_fn fn, void *udata, badge_err_t *err);

/* badge_registry_add() on the file (created with create_size bits, 0 =
 * the default, when missing). */
int badge_registry_allocate(const char *path, const char *id,
    int sequential, uint64_t create_size, time_t now, uint64_t *index,
    badge_err_t *err);

/* badge_registry_set_status() on the file; *entry (may be NULL) gets a
 * copy of the entry's index and status after the change. */
int badge_registry_change(const char *path, const char *id, uint64_t index,
    badge_reg_status_t st, const char *reason, int force, time_t now,
    badge_reg_entry_t *entry, badge_err_t *err);

/* ------------------------------------------------------------------ */
/* For servers: the current registry, reloaded when the file changes     */

typedef struct badge_registry_watch_s badge_registry_watch_t;

/*
 * Load path now (configuration time: errors surface there) and keep it.
 * recheck: seconds between stat() calls at request time (0 = 5; -1 =
 * never re-read: changes take effect on a server reload).
 */
badge_registry_watch_t *badge_registry_watch_new(const char *path,
    long recheck, badge_err_t *err);
void badge_registry_watch_free(badge_registry_watch_t *w);

/*
 * The current snapshot: re-read when the file's inode, size or mtime
 * changed (at most once per recheck seconds).  If re-reading fails the
 * previous snapshot is kept and err says why (the glue logs it).
 * Thread-safe.  The caller owns one reference: badge_registry_release().
 * *generation (may be NULL) increases with every new snapshot; *mtime
 * (may be NULL) is the file's modification time.
 */
badge_registry_t *badge_registry_watch_get(badge_registry_watch_t *w,
    time_t now, unsigned long *generation, time_t *mtime, badge_err_t *err);
void badge_registry_release(badge_registry_t *r);

#endif
