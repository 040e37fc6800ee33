/*
 * datetime.h: ISO 8601 / RFC 3339 date-times as credentials write them
 * ("2016-12-31T23:59:59Z", "2022-11-10T07:38:00-08:00", "2017-10-01T00:00Z",
 * "2010-01-01"), strictly: a value that is not one of these forms is an
 * error, never a guess.  Bottom layer.
 */
#ifndef BADGE_DATETIME_H
#define BADGE_DATETIME_H

#include <time.h>

/* Seconds since the epoch (UTC; no zone means UTC).  0 or -1. */
int badge_datetime_parse(const char *s, time_t *t);
/* The same, but only a full date-time with seconds ("2024-01-01T00:00:00Z",
 * an optional fraction and zone), as VC validFrom/validUntil require. */
int badge_datetime_parse_strict(const char *s, time_t *t);

#endif
