/*
 * status.h: credentialStatus of Verifiable Credentials / Open Badges 3.0.
 *
 *   BitstringStatusListEntry (W3C Bitstring Status List v1.0): purposes
 *     revocation, suspension, message; statusSize and statusMessage;
 *   StatusList2021Entry (W3C CCG, the predecessor);
 *   1EdTechRevocationList (Open Badges 3.0: a JSON list of revoked ids).
 *
 * The list is fetched through badge_session_document(); GZIP is inflated
 * as a stream under a hard bound (BADGE_STATUS_MAX_LIST_BYTES), keeping
 * only the bits the entry points at.  An entry type the core does not know
 * is reported "unchecked", never as "not revoked".
 *
 * Layer: formats/status (above session, report, JSON, encodings).  The VC
 * verifiers (VC-JWT, Data Integrity) call badge_status_check().
 */
#ifndef BADGE_STATUS_H
#define BADGE_STATUS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "error.h"
#include "report.h"
#include "session.h"

/* Decompressed status list bytes accepted (the gzip-bomb limit). */
#define BADGE_STATUS_MAX_LIST_BYTES  (16 * 1024 * 1024)
/* Lists shorter than this many bits leak who is checked (herd privacy):
 * a warning, or a failure with BADGE_OPT_STATUS_MIN_BITS_FAIL. */
#define BADGE_STATUS_MIN_BITS        131072
/* Entries per credential, and bits per status entry, accepted. */
#define BADGE_STATUS_MAX_ENTRIES     8
#define BADGE_STATUS_MAX_SIZE        32

/*
 * Check every credentialStatus entry of credential (an object or an array
 * of objects) and add "status" checks to r: fail + r->revoked /
 * r->suspended when the list says so, pass when it says not, unchecked
 * when the list cannot be had or the entry type is unknown.  Needs
 * documents through badge_session_document() (the host reruns).
 * Does nothing when the credential has no credentialStatus.
 */
void badge_status_check(badge_session_t *s, badge_report_t *r,
    const json_t *credential);

/* ------------------------------------------------------------------ */
/* The status list credential's own proof                               */

typedef enum {
    BADGE_LIST_PROOF_VALID = 0,
    BADGE_LIST_PROOF_INVALID,      /* tampered or wrongly signed: ignore
                                      the list */
    BADGE_LIST_PROOF_PENDING,      /* documents requested; rerun */
    BADGE_LIST_PROOF_UNCHECKED     /* no verifier for it (yet) */
} badge_list_proof_t;

/*
 * Verify the status list credential's own proof (Data Integrity proof in
 * list, or a VC-JWT when doc's body is a JWT) and that it is the
 * credential's issuer's.  THE HOOK TO WIRE: until a proof verifier is
 * connected here it answers BADGE_LIST_PROOF_UNCHECKED with why set, and
 * the report says the list's proof was not checked (never "pass").
 */
badge_list_proof_t badge_status_verify_list_proof(badge_session_t *s,
    const badge_doc_t *doc, const json_t *list, const char *issuer,
    badge_err_t *why);

/* ------------------------------------------------------------------ */
/* Building blocks, exposed for tests and for badgectl status           */

/*
 * Parse a statusListIndex: a string of ASCII digits (the specification's
 * form) or, tolerated with *lenient = 1, a non-negative JSON integer.
 * 0, or -1 with err ("status_index_invalid").
 */
int badge_status_parse_index(const json_t *v, uint64_t *index, int *lenient,
    badge_err_t *err);

/*
 * Decode an encodedList (multibase: 'u' + base64url without padding for
 * Bitstring Status List; plain base64url for StatusList2021), inflate the
 * GZIP stream (at most BADGE_STATUS_MAX_LIST_BYTES), and read the
 * status_size bits of entry index (bit 0 is the most significant bit of
 * the first byte).  *total_bits is the list's length.  0, or -1 with err:
 * "status_list_encoding", "status_list_gzip", "status_list_too_large",
 * "status_index_out_of_range", "out_of_memory".
 */
int badge_status_read_bits(badge_arena_t *a, const char *encoded,
    int multibase, uint64_t index, unsigned status_size, uint32_t *value,
    uint64_t *total_bits, badge_err_t *err);

#endif
