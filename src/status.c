/*
 * status.c: credentialStatus checks (Bitstring Status List, StatusList2021,
 * 1EdTech Revocation List).
 *
 * Rules kept here:
 *  - "could not check" (list unavailable, unknown entry type, stale list)
 *    is "unchecked", never "not revoked";
 *  - a malformed entry or list, an index past the end, a purpose that does
 *    not match the list's, is a "fail": the credential's status is broken;
 *  - GZIP is inflated as a stream with a fixed buffer and a byte budget,
 *    so a list costs O(1) memory and bounded time whatever it claims.
 */
#include "status.h"
#include "proof_di.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <zlib.h>

#include "b64.h"
#include "badge.h"
#include "datetime.h"
#include "detect.h"
#include "jws.h"
#include "json.h"

/* Indexes past this cannot be in a list of at most 16 MiB anyway; the
 * bound keeps index * statusSize far from overflowing. */
#define BADGE_STATUS_MAX_INDEX  ((uint64_t) 1 << 40)

typedef enum {
    BADGE_STATUS_BITSTRING = 1,
    BADGE_STATUS_2021
} badge_status_kind_t;

/* ------------------------------------------------------------------ */
/* Building blocks                                                      */

int
badge_status_parse_index(const json_t *v, uint64_t *index, int *lenient,
    badge_err_t *err)
{
    const char *p;
    size_t      i, n;
    uint64_t    x = 0;

    *lenient = 0;
    if (json_is_integer(v)) {
        /* the 1EdTech samples write a number; the specification a string */
        if (json_integer_value(v) < 0) {
            badge_err_set(err, "status_index_invalid",
                "statusListIndex is negative (%lld)",
                (long long) json_integer_value(v));
            return -1;
        }
        x = (uint64_t) json_integer_value(v);
        *lenient = 1;
    } else if (json_is_string(v)) {
        p = json_string_value(v);
        n = json_string_length(v);
        if (n == 0) {
            badge_err_set(err, "status_index_invalid",
                "statusListIndex is empty");
            return -1;
        }
        for (i = 0; i < n; i++) {
            if (p[i] < '0' || p[i] > '9') {
                badge_err_set(err, "status_index_invalid",
                    "statusListIndex \"%.40s\" is not a string of digits",
                    p);
                return -1;
            }
            if (x < BADGE_STATUS_MAX_INDEX) {
                x = x * 10 + (uint64_t) (p[i] - '0');
            }
        }
    } else {
        badge_err_set(err, "status_index_invalid",
            "statusListIndex is missing or not a string");
        return -1;
    }
    if (x >= BADGE_STATUS_MAX_INDEX) {
        badge_err_set(err, "status_index_out_of_range",
            "statusListIndex is far beyond any status list");
        return -1;
    }
    *index = x;
    return 0;
}

int
badge_status_read_bits(badge_arena_t *a, const char *encoded, int multibase,
    uint64_t index, unsigned status_size, uint32_t *value,
    uint64_t *total_bits, badge_err_t *err)
{
    unsigned char        chunk[16384], want[8];
    const unsigned char *gz;
    size_t               n, gz_len, got, i;
    uint64_t             first_bit, last_bit, first_byte, last_byte, pos = 0;
    uint64_t             b;
    z_stream             z;
    int                  rc;

    if (status_size == 0 || status_size > BADGE_STATUS_MAX_SIZE
        || index >= BADGE_STATUS_MAX_INDEX)
    {
        badge_err_set(err, "status_index_out_of_range",
            "status entry outside any list");
        return -1;
    }
    n = strlen(encoded);
    if (multibase) {
        if (n < 2 || encoded[0] != 'u') {
            badge_err_set(err, "status_list_encoding",
                "encodedList is not multibase base64url ('u...')");
            return -1;
        }
        encoded++;
        n--;
    } else {
        while (n > 0 && encoded[n - 1] == '=') {
            n--;    /* StatusList2021 writers differ on padding */
        }
    }
    gz = badge_b64url_decode_arena(a, encoded, n, &gz_len);
    if (gz == NULL) {
        badge_err_set(err, "status_list_encoding",
            "encodedList is not valid base64url");
        return -1;
    }
    first_bit = index * status_size;
    last_bit = first_bit + status_size - 1;
    first_byte = first_bit / 8;
    last_byte = last_bit / 8;
    memset(want, 0, sizeof(want));

    memset(&z, 0, sizeof(z));
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {   /* GZIP only */
        badge_err_set(err, "out_of_memory", "out of memory (zlib)");
        return -1;
    }
    z.next_in = (unsigned char *) gz;
    z.avail_in = (uInt) gz_len;
    do {
        z.next_out = chunk;
        z.avail_out = sizeof(chunk);
        rc = inflate(&z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) {
            inflateEnd(&z);
            badge_err_set(err, "status_list_gzip",
                "encodedList is not a complete GZIP stream");
            return -1;
        }
        got = sizeof(chunk) - z.avail_out;
        if (pos + got > BADGE_STATUS_MAX_LIST_BYTES) {
            inflateEnd(&z);
            badge_err_set(err, "status_list_too_large",
                "the status list inflates to more than %d bytes",
                BADGE_STATUS_MAX_LIST_BYTES);
            return -1;
        }
        /* keep the bytes holding our bits as they stream past */
        for (b = first_byte; b <= last_byte; b++) {
            if (b >= pos && b < pos + got) {
                want[b - first_byte] = chunk[b - pos];
            }
        }
        pos += got;
    } while (rc != Z_STREAM_END);
    rc = (int) z.avail_in;
    inflateEnd(&z);
    if (rc != 0) {
        badge_err_set(err, "status_list_gzip",
            "data follows the GZIP stream of encodedList");
        return -1;
    }
    *total_bits = pos * 8;
    if (last_bit >= pos * 8) {
        badge_err_set(err, "status_index_out_of_range",
            "status index %llu is outside the list of %llu entries",
            (unsigned long long) index,
            (unsigned long long) (pos * 8 / status_size));
        return -1;
    }
    /* bit 0 is the most significant bit of the first byte */
    *value = 0;
    for (i = 0; i < status_size; i++) {
        b = first_bit + i - first_byte * 8;
        *value = (*value << 1) | ((want[b / 8] >> (7 - b % 8)) & 1);
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* The list credential's proof: the hook                                */

badge_list_proof_t
badge_status_verify_list_proof(badge_session_t *s, const badge_doc_t *doc,
    const json_t *list, const char *issuer, badge_err_t *why)
{
    (void) doc;
    if (json_object_get(list, "proof") == NULL) {
        /* a JWT-encoded list was authenticated by its JWS already, if at
         * all; an unsigned JSON list proves nothing about its issuer */
        badge_err_set(why, "status_list_unsigned",
            "the status list carries no proof");
        return BADGE_LIST_PROOF_UNCHECKED;
    }
    switch (badge_di_verify_document(s, list, "assertionMethod", issuer,
                                     why))
    {
    case BADGE_DI_VALID:
        return BADGE_LIST_PROOF_VALID;
    case BADGE_DI_PENDING:
        return BADGE_LIST_PROOF_PENDING;
    case BADGE_DI_INVALID:
        return BADGE_LIST_PROOF_INVALID;
    default:
        return BADGE_LIST_PROOF_UNCHECKED;
    }
}

/* ------------------------------------------------------------------ */
/* Entries                                                              */

/* A passing status is only news if the credential itself is genuine. */
static void
badge_status_pass(badge_report_t *r, const char *code, const char *msg)
{
    if (r->authenticated) {
        badge_report_check(r, "status", BADGE_PASS, code, "%s", msg);
    } else {
        badge_report_check(r, "status", BADGE_UNCHECKED, "not_authenticated",
            "%s (but the credential itself is not authenticated)", msg);
    }
}

/* The list document as JSON: a JSON body, or the payload of a JWT (its
 * "vc" claim for VC 1.1 JWTs).  NULL with why. */
static const json_t *
badge_status_list_json(badge_session_t *s, const badge_doc_t *doc,
    badge_err_t *why)
{
    const unsigned char *p = doc->body;
    size_t               n = doc->len;
    badge_jws_t          jws;
    const json_t        *v, *vc;

    if (p == NULL) {
        badge_err_set(why, "status_list_invalid", "the status list at %s "
            "is empty", doc->url);
        return NULL;
    }
    badge_trim(&p, &n);
    switch (badge_detect_input(p, n)) {
    case BADGE_INPUT_JSON:
        v = badge_session_parse_json(s, (const char *) p, n, why);
        break;
    case BADGE_INPUT_JWS:
        if (badge_jws_parse(s->arena, (const char *) p, n, &jws, why) != 0)
        {
            return NULL;
        }
        badge_session_keep_json(s, jws.header);
        v = badge_session_parse_json(s, (const char *) jws.payload,
                                     jws.payload_len, why);
        vc = json_object_get(v, "vc");
        if (json_is_object(vc)) {
            v = vc;
        }
        break;
    default:
        badge_err_set(why, "status_list_invalid", "the status list at %s "
            "is neither JSON nor a JWT", doc->url);
        return NULL;
    }
    if (v != NULL && !json_is_object(v)) {
        badge_err_set(why, "status_list_invalid", "the status list at %s "
            "is not a JSON object", doc->url);
        return NULL;
    }
    return v;
}

/* Fetch a list; 1 = got it, 0 = pending or reported unavailable. */
static int
badge_status_fetch(badge_session_t *s, badge_report_t *r, const char *url,
    const badge_doc_t **doc)
{
    badge_err_t why;

    badge_err_clear(&why);
    switch (badge_session_document(s, url, doc, &why)) {
    case BADGE_DOC_OK:
        return 1;
    case BADGE_DOC_PENDING:
        return 0;
    default:
        badge_report_check(r, "status", BADGE_UNCHECKED,
            "status_list_unavailable", "the status list could not be "
            "fetched, so the status is unknown: %s", why.message);
        return 0;
    }
}

static const char *
badge_status_first_string(const json_t *v)
{
    if (json_is_array(v)) {
        v = json_array_get(v, 0);
    }
    return json_string_value(v);
}

/* The status list credential's validity period: a stale list says
 * nothing about today. */
static int
badge_status_list_current(badge_session_t *s, badge_report_t *r,
    const json_t *list)
{
    const char *from, *until;
    time_t      t;
    long        skew = badge_ctx_get_option(s->ctx, BADGE_OPT_CLOCK_SKEW);

    from = badge_json_str(list, "validFrom");
    if (from == NULL) {
        from = badge_json_str(list, "issuanceDate");
    }
    until = badge_json_str(list, "validUntil");
    if (until == NULL) {
        until = badge_json_str(list, "expirationDate");
    }
    if (from != NULL && badge_datetime_parse(from, &t) == 0
        && t > s->now + skew)
    {
        badge_report_check(r, "status", BADGE_UNCHECKED,
            "status_list_not_yet_valid", "the status list is valid only "
            "from %.40s, so the status is unknown", from);
        return 0;
    }
    if (until != NULL && badge_datetime_parse(until, &t) == 0
        && t < s->now - skew)
    {
        badge_report_check(r, "status", BADGE_UNCHECKED,
            "status_list_expired", "the status list expired on %.40s, so "
            "the status is unknown", until);
        return 0;
    }
    return 1;
}

static void
badge_status_message(badge_report_t *r, const json_t *entry, uint32_t value)
{
    const json_t *msgs = json_object_get(entry, "statusMessage"), *m;
    const char   *st, *text;
    unsigned long v;
    char         *end;
    size_t        i;

    json_array_foreach(msgs, i, m) {
        st = badge_json_str(m, "status");
        text = badge_json_str(m, "message");
        if (st == NULL || text == NULL || strncasecmp(st, "0x", 2) != 0) {
            continue;
        }
        v = strtoul(st + 2, &end, 16);
        if (*end == '\0' && end != st + 2 && v == value) {
            badge_report_check(r, "status", BADGE_PASS, "status_message",
                "status 0x%x: %.300s", (unsigned) value, text);
            return;
        }
    }
    badge_report_check(r, "status", BADGE_WARN, "status_message_unknown",
        "status 0x%x has no statusMessage", (unsigned) value);
}

static void
badge_status_list_entry(badge_session_t *s, badge_report_t *r,
    const json_t *entry, const char *issuer, badge_status_kind_t kind)
{
    const char         *purpose, *url, *enc, *list_issuer;
    const json_t       *list, *subj, *sz;
    const badge_doc_t  *doc;
    badge_list_proof_t  proof;
    badge_err_t         err, proof_why;
    uint64_t            index, bits;
    uint32_t            value;
    unsigned            size = 1;
    int                 lenient;
    long                min_fail;

    badge_err_clear(&err);
    badge_err_clear(&proof_why);
    purpose = badge_json_str(entry, "statusPurpose");
    if (purpose == NULL) {
        badge_report_check(r, "status", BADGE_FAIL, "status_entry_invalid",
            "the status entry has no statusPurpose");
        return;
    }
    if (strcmp(purpose, "revocation") != 0
        && strcmp(purpose, "suspension") != 0
        && (kind != BADGE_STATUS_BITSTRING || strcmp(purpose, "message")))
    {
        badge_report_check(r, "status", BADGE_UNCHECKED,
            "status_purpose_unsupported", "status purpose \"%.40s\" is not "
            "supported, so this status is unknown", purpose);
        return;
    }
    if (badge_status_parse_index(json_object_get(entry, "statusListIndex"),
                                 &index, &lenient, &err) != 0)
    {
        badge_report_check(r, "status", BADGE_FAIL, err.code, "%s",
            err.message);
        return;
    }
    if (lenient) {
        badge_report_check(r, "schema", BADGE_WARN, "status_index_number",
            "statusListIndex should be a string of digits, not a number");
    }
    sz = json_object_get(entry, "statusSize");
    if (kind == BADGE_STATUS_BITSTRING && sz != NULL) {
        if (!json_is_integer(sz) || json_integer_value(sz) < 1
            || json_integer_value(sz) > BADGE_STATUS_MAX_SIZE)
        {
            badge_report_check(r, "status", BADGE_FAIL,
                "status_entry_invalid", "statusSize must be an integer "
                "from 1 to %d", BADGE_STATUS_MAX_SIZE);
            return;
        }
        size = (unsigned) json_integer_value(sz);
    }
    if (size > 1 && !json_is_array(json_object_get(entry, "statusMessage")))
    {
        badge_report_check(r, "status", BADGE_FAIL, "status_entry_invalid",
            "statusSize is %u but the entry has no statusMessage", size);
        return;
    }
    if (size == 1 && strcmp(purpose, "message") == 0
        && !json_is_array(json_object_get(entry, "statusMessage")))
    {
        badge_report_check(r, "status", BADGE_FAIL, "status_entry_invalid",
            "a message status entry needs statusMessage");
        return;
    }
    url = badge_json_str(entry, "statusListCredential");
    if (url == NULL) {
        badge_report_check(r, "status", BADGE_FAIL, "status_entry_invalid",
            "the status entry has no statusListCredential");
        return;
    }
    if (!badge_status_fetch(s, r, url, &doc)) {
        return;
    }
    list = badge_status_list_json(s, doc, &err);
    if (list == NULL) {
        badge_report_check(r, "status", BADGE_FAIL,
            err.code != NULL ? err.code : "status_list_invalid",
            "the status list is unusable: %s", err.message);
        return;
    }
    if (!badge_json_has_string(json_object_get(list, "type"),
            kind == BADGE_STATUS_BITSTRING ? "BitstringStatusListCredential"
                                           : "StatusList2021Credential"))
    {
        badge_report_check(r, "status", BADGE_FAIL, "status_list_type",
            "the document at %.200s is not a %s", url,
            kind == BADGE_STATUS_BITSTRING ? "BitstringStatusListCredential"
                                           : "StatusList2021Credential");
        return;
    }
    subj = json_object_get(list, "credentialSubject");
    if (json_is_array(subj) && json_array_size(subj) == 1) {
        subj = json_array_get(subj, 0);
    }
    enc = badge_json_str(subj, "encodedList");
    if (!json_is_object(subj) || enc == NULL
        || !badge_json_has_string(json_object_get(subj, "type"),
               kind == BADGE_STATUS_BITSTRING ? "BitstringStatusList"
                                              : "StatusList2021"))
    {
        badge_report_check(r, "status", BADGE_FAIL, "status_list_invalid",
            "the status list credential has no %s subject with an "
            "encodedList", kind == BADGE_STATUS_BITSTRING
                           ? "BitstringStatusList" : "StatusList2021");
        return;
    }
    if (!badge_json_has_string(json_object_get(subj, "statusPurpose"),
                               purpose))
    {
        /* a suspension list must not answer for revocation, nor the
         * reverse */
        badge_report_check(r, "status", BADGE_FAIL,
            "status_purpose_mismatch", "the entry's purpose is \"%.40s\" "
            "but the list's is \"%.40s\"", purpose,
            badge_status_first_string(json_object_get(subj,
                                                      "statusPurpose"))
            ? badge_status_first_string(json_object_get(subj,
                                                        "statusPurpose"))
            : "(none)");
        return;
    }
    list_issuer = badge_json_id(list, "issuer");
    if (issuer != NULL && list_issuer != NULL
        && strcmp(issuer, list_issuer) != 0)
    {
        badge_report_check(r, "status", BADGE_WARN,
            "status_list_issuer_differs", "the status list is issued by "
            "%.200s, not by the credential's issuer", list_issuer);
    }
    if (!badge_status_list_current(s, r, list)) {
        return;
    }
    proof = badge_status_verify_list_proof(s, doc, list, issuer,
                                           &proof_why);
    if (proof == BADGE_LIST_PROOF_PENDING) {
        return;
    }
    if (proof == BADGE_LIST_PROOF_INVALID) {
        badge_report_check(r, "status", BADGE_UNCHECKED,
            "status_list_proof_invalid", "the status list's proof does not "
            "verify, so the list is ignored and the status is unknown: %s",
            proof_why.message);
        return;
    }
    if (badge_status_read_bits(s->arena, enc, kind == BADGE_STATUS_BITSTRING,
                               index, size, &value, &bits, &err) != 0)
    {
        if (strcmp(err.code, "out_of_memory") == 0) {
            s->oom = 1;
        }
        badge_report_check(r, "status", BADGE_FAIL, err.code, "%s",
            err.message);
        return;
    }
    if (bits < BADGE_STATUS_MIN_BITS) {
        min_fail = badge_ctx_get_option(s->ctx,
                                        BADGE_OPT_STATUS_MIN_BITS_FAIL);
        badge_report_check(r, "status", min_fail ? BADGE_FAIL : BADGE_WARN,
            "status_list_short", "the status list has only %llu entries "
            "(fewer than %d bits lets the issuer see whose status is "
            "checked)", (unsigned long long) (bits / size),
            BADGE_STATUS_MIN_BITS);
    }
    if (strcmp(purpose, "message") == 0) {
        badge_status_message(r, entry, value);
    } else if (value != 0 && strcmp(purpose, "revocation") == 0) {
        r->revoked = 1;
        badge_report_check(r, "status", BADGE_FAIL, "status_revoked",
            "the issuer has revoked this credential (status list entry "
            "%llu)", (unsigned long long) index);
    } else if (value != 0) {
        r->suspended = 1;
        badge_report_check(r, "status", BADGE_FAIL, "status_suspended",
            "the issuer has suspended this credential (status list entry "
            "%llu)", (unsigned long long) index);
    } else {
        badge_status_pass(r, strcmp(purpose, "revocation") == 0
                             ? "status_not_revoked" : "status_not_suspended",
            strcmp(purpose, "revocation") == 0
            ? "not revoked according to the issuer's status list"
            : "not suspended according to the issuer's status list");
    }
    if (proof == BADGE_LIST_PROOF_UNCHECKED) {
        badge_report_check(r, "status", BADGE_UNCHECKED,
            proof_why.code != NULL ? proof_why.code
                                   : "status_list_proof_unchecked",
            "%s", proof_why.message);
    }
}

/* 1EdTech Revocation List (OB 3.0): GET the entry's id; a JSON object
 * whose revokedCredentials lists {id, revoked?, revocationReason?}. */
static void
badge_status_1edtech(badge_session_t *s, badge_report_t *r,
    const json_t *entry, const json_t *credential)
{
    const char        *url, *cred_id, *id, *reason;
    const json_t      *list, *revoked, *item, *flag;
    const badge_doc_t *doc;
    badge_err_t        err;
    size_t             i;

    badge_err_clear(&err);
    url = badge_json_str(entry, "id");
    cred_id = badge_json_str(credential, "id");
    if (url == NULL) {
        badge_report_check(r, "status", BADGE_FAIL, "status_entry_invalid",
            "the 1EdTechRevocationList entry has no id (the list URL)");
        return;
    }
    if (cred_id == NULL) {
        badge_report_check(r, "status", BADGE_UNCHECKED,
            "status_no_credential_id", "the credential has no id to look "
            "up in the revocation list, so its status is unknown");
        return;
    }
    if (!badge_status_fetch(s, r, url, &doc)) {
        return;
    }
    list = badge_status_list_json(s, doc, &err);
    revoked = json_object_get(list, "revokedCredentials");
    if (list == NULL || !json_is_array(revoked)) {
        badge_report_check(r, "status", BADGE_FAIL, "status_list_invalid",
            "the revocation list at %.200s has no revokedCredentials array",
            url);
        return;
    }
    json_array_foreach(revoked, i, item) {
        id = badge_json_str(item, "id");
        if (id == NULL || strcmp(id, cred_id) != 0) {
            continue;
        }
        flag = json_object_get(item, "revoked");
        if (flag != NULL && !json_is_boolean(flag)) {
            badge_report_check(r, "status", BADGE_FAIL,
                "status_list_invalid", "\"revoked\" in the revocation list "
                "is not a boolean");
            return;
        }
        if (flag == NULL || json_is_true(flag)) {
            reason = badge_json_str(item, "revocationReason");
            r->revoked = 1;
            badge_report_check(r, "status", BADGE_FAIL, "status_revoked",
                "the issuer has revoked this credential%s%.300s",
                reason != NULL ? ": " : "", reason != NULL ? reason : "");
            return;
        }
    }
    badge_status_pass(r, "status_not_revoked",
        "not in the issuer's revocation list");
}

static void
badge_status_entry(badge_session_t *s, badge_report_t *r,
    const json_t *entry, const json_t *credential)
{
    const json_t *type = json_object_get(entry, "type");
    const char   *issuer = badge_json_id(credential, "issuer");

    if (!json_is_object(entry)) {
        badge_report_check(r, "status", BADGE_FAIL, "status_entry_invalid",
            "a credentialStatus entry is not an object");
    } else if (badge_json_has_string(type, "BitstringStatusListEntry")) {
        badge_status_list_entry(s, r, entry, issuer, BADGE_STATUS_BITSTRING);
    } else if (badge_json_has_string(type, "StatusList2021Entry")) {
        badge_status_list_entry(s, r, entry, issuer, BADGE_STATUS_2021);
    } else if (badge_json_has_string(type, "1EdTechRevocationList")) {
        badge_status_1edtech(s, r, entry, credential);
    } else {
        badge_report_check(r, "status", BADGE_UNCHECKED,
            "status_type_unsupported", "status type %.60s is not supported, "
            "so the credential's status is unknown",
            badge_status_first_string(type) != NULL
            ? badge_status_first_string(type) : "(none)");
    }
}

void
badge_status_check(badge_session_t *s, badge_report_t *r,
    const json_t *credential)
{
    const json_t *st = json_object_get(credential, "credentialStatus"), *e;
    size_t        i;

    if (st == NULL) {
        return;
    }
    if (json_is_array(st)) {
        if (json_array_size(st) > BADGE_STATUS_MAX_ENTRIES) {
            badge_report_check(r, "status", BADGE_FAIL, "status_invalid",
                "more than %d credentialStatus entries",
                BADGE_STATUS_MAX_ENTRIES);
            return;
        }
        json_array_foreach(st, i, e) {
            badge_status_entry(s, r, e, credential);
        }
        return;
    }
    badge_status_entry(s, r, st, credential);
}
