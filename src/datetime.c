/*
 * datetime.c: parsing credential dates without the C library's locale- and
 * TZ-dependent functions (nginx and Apache workers share one process
 * environment).
 */
#include "datetime.h"

#include <stddef.h>
#include <string.h>

static int
badge_dt_digits(const char **p, int n, int *v)
{
    int i;

    *v = 0;
    for (i = 0; i < n; i++) {
        if ((*p)[i] < '0' || (*p)[i] > '9') {
            return -1;
        }
        *v = *v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    return 0;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (H. Hinnant's days_from_civil). */
static long long
badge_dt_days(int y, int m, int d)
{
    long long era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int
badge_datetime_parse(const char *s, time_t *t)
{
    static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
                                 30, 31 };
    const char *p = s;
    int         y, mo, d, h = 0, mi = 0, sec = 0, oh = 0, om = 0, sign = 0;
    int         leap;
    long long   v;

    if (s == NULL || badge_dt_digits(&p, 4, &y) != 0 || *p++ != '-'
        || badge_dt_digits(&p, 2, &mo) != 0 || *p++ != '-'
        || badge_dt_digits(&p, 2, &d) != 0)
    {
        return -1;
    }
    if (*p == 'T' || *p == 't') {
        p++;
        if (badge_dt_digits(&p, 2, &h) != 0 || *p++ != ':'
            || badge_dt_digits(&p, 2, &mi) != 0)
        {
            return -1;
        }
        if (*p == ':') {
            p++;
            if (badge_dt_digits(&p, 2, &sec) != 0) {
                return -1;
            }
            if (*p == '.') {
                p++;
                if (*p < '0' || *p > '9') {
                    return -1;
                }
                while (*p >= '0' && *p <= '9') {
                    p++;
                }
            }
        }
        if (*p == 'Z' || *p == 'z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            sign = *p++ == '-' ? -1 : 1;
            if (badge_dt_digits(&p, 2, &oh) != 0 || *p++ != ':'
                || badge_dt_digits(&p, 2, &om) != 0 || oh > 23 || om > 59)
            {
                return -1;
            }
        }
    }
    if (*p != '\0' || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59
        || sec > 60)
    {
        return -1;
    }
    leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap)) {
        return -1;
    }
    v = badge_dt_days(y, mo, d) * 86400LL + h * 3600 + mi * 60
        + (sec == 60 ? 59 : sec);
    v -= sign * (oh * 3600 + om * 60);
    *t = (time_t) v;
    return 0;
}

int
badge_datetime_parse_strict(const char *s, time_t *t)
{
    size_t n;

    if (s == NULL) {
        return -1;
    }
    n = strlen(s);
    if (n < 19 || n > 64 || (s[10] != 'T' && s[10] != 't') || s[16] != ':')
    {
        return -1;
    }
    return badge_datetime_parse(s, t);
}
