/* dates.c -- calendar dates (days since 1970-01-01, proleptic Gregorian) and
 * day-count conventions.
 *
 * Sources: Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms"
 * (days_from_civil / civil_from_days); ISDA 2006 Definitions 4.16 and
 * QuantLib's Thirty360 and ActualActual(ISDA) for the day counts.
 *
 * Pure functions (thread-safe); on error *out is left untouched. */
#include "dates.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>

#define GFIN_DATE_MIN (-719162)   /* 0001-01-01 */
#define GFIN_DATE_MAX 2932896     /* 9999-12-31 */

bool gfin__date_valid(gfin_date d) { return d >= GFIN_DATE_MIN && d <= GFIN_DATE_MAX; }

/* ------------------------------------------------------------------------ */
/* Dates                                                                    */
/* ------------------------------------------------------------------------ */

bool gfin__is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int gfin__days_in_month(int y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && gfin__is_leap(y) ? 29 : dim[m - 1];
}

/* Hinnant's days_from_civil: days since 1970-01-01 of a proleptic Gregorian
 * date, by 400-year eras starting on March 1 (so the leap day is last). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;                                    /* [0, 399] */
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

/* Hinnant's civil_from_days, the inverse. */
static void civil_from_days(int64_t z, int *year, int *month, int *day)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;                                         /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;    /* [0, 399] */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                  /* [0, 365] */
    int64_t mp = (5 * doy + 2) / 153;                                       /* [0, 11] */
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);                           /* [1, 31] */
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);                               /* [1, 12] */
    *year = (int)(yoe + era * 400 + (m <= 2));
    *month = m;
    *day = d;
}

/* The *_err twins fill a caller's gfin_error naming the argument, its value
 * and the rule; the 1.0 functions call them with NULL. */
static gfin_status arg_null(const char *name, gfin_error *err)
{
    return gfin__fail(err, GFIN_EINVAL, name, "is NULL");
}

gfin_status gfin__check_date(const char *name, gfin_date d, gfin_error *err)
{
    if (gfin__date_valid(d))
        return GFIN_OK;
    return gfin__fail(err, GFIN_EINVAL, name, "day %ld is outside 0001-01-01 .. 9999-12-31 (days %d .. %d since 1970-01-01)",
                      (long)d, GFIN_DATE_MIN, GFIN_DATE_MAX);
}

gfin_status gfin_date_from_ymd_err(int year, int month, int day, gfin_date *out, gfin_error *err)
{
    if (!out)
        return arg_null("out", err);
    if (year < 1 || year > 9999)
        return gfin__fail(err, GFIN_EINVAL, "year", "%d is outside [1, 9999]", year);
    if (month < 1 || month > 12)
        return gfin__fail(err, GFIN_EINVAL, "month", "%d is outside [1, 12]", month);
    const int dim = gfin__days_in_month(year, month);
    if (day < 1 || day > dim)
        return gfin__fail(err, GFIN_EINVAL, "day", "%d is outside [1, %d]: %04d-%02d has %d days", day, dim, year, month,
                          dim);
    *out = (gfin_date)days_from_civil(year, month, day);
    return GFIN_OK;
}

gfin_status gfin_date_from_ymd(int year, int month, int day, gfin_date *out)
{
    return gfin_date_from_ymd_err(year, month, day, out, NULL);
}

gfin_status gfin_date_to_ymd_err(gfin_date d, int *year, int *month, int *day, gfin_error *err)
{
    if (!year || !month || !day)
        return arg_null(!year ? "year" : !month ? "month" : "day", err);
    gfin_status st = gfin__check_date("d", d, err);
    if (st)
        return st;
    civil_from_days(d, year, month, day);
    return GFIN_OK;
}

gfin_status gfin_date_to_ymd(gfin_date d, int *year, int *month, int *day)
{
    return gfin_date_to_ymd_err(d, year, month, day, NULL);
}

gfin_status gfin_date_add_months(gfin_date d, int months, gfin_date *out)
{
    return gfin_date_add_months_err(d, months, out, NULL);
}

gfin_status gfin_date_add_months_err(gfin_date d, int months, gfin_date *out, gfin_error *err)
{
    if (!out)
        return arg_null("out", err);
    gfin_status st = gfin__check_date("d", d, err);
    if (st)
        return st;
    int y, m, dd;
    civil_from_days(d, &y, &m, &dd);
    int64_t total = (int64_t)y * 12 + (m - 1) + months;   /* months since year 0 */
    if (total < 12 || total >= 10000 * 12) {
        char ds[16];
        gfin__date_str(d, ds);
        return gfin__fail(err, GFIN_EINVAL, "months", "%d months from %s leave the years 1 .. 9999", months, ds);
    }
    int ny = (int)(total / 12), nm = (int)(total % 12) + 1;
    int dim = gfin__days_in_month(ny, nm);
    *out = (gfin_date)days_from_civil(ny, nm, dd < dim ? dd : dim);
    return GFIN_OK;
}

void gfin__date_str(gfin_date d, char buf[16])
{
    /* A day outside years 1..9999 has no YYYY-MM-DD form: it is written
     * "0000-00-00", visibly not a date. The unsigned remainders also tell
     * the compiler the text fits. */
    int y = 0, m = 0, dd = 0;
    if (gfin__date_valid(d))
        civil_from_days(d, &y, &m, &dd);
    unsigned v[3] = {(unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)dd % 100u};
    /* By hand rather than snprintf: the writers print one date per schedule
     * row, millions in a large report. */
    buf[0] = (char)('0' + v[0] / 1000), buf[1] = (char)('0' + v[0] / 100 % 10);
    buf[2] = (char)('0' + v[0] / 10 % 10), buf[3] = (char)('0' + v[0] % 10), buf[4] = '-';
    buf[5] = (char)('0' + v[1] / 10), buf[6] = (char)('0' + v[1] % 10), buf[7] = '-';
    buf[8] = (char)('0' + v[2] / 10), buf[9] = (char)('0' + v[2] % 10), buf[10] = '\0';
}

gfin_status gfin__date_parse(const char *s, gfin_date *out)
{
    if (!s || !out)
        return GFIN_EINVAL;
    /* Exactly YYYY-MM-DD: checked left to right so a short string stops at
     * its NUL and nothing past it is read. */
    int v[3] = {0, 0, 0};
    for (int i = 0; i < 10; ++i) {
        char c = s[i];
        if (i == 4 || i == 7) {
            if (c != '-')
                return GFIN_EINVAL;
            continue;
        }
        if (c < '0' || c > '9')
            return GFIN_EINVAL;
        int k = i < 4 ? 0 : i < 7 ? 1 : 2;
        v[k] = v[k] * 10 + (c - '0');
    }
    if (s[10] != '\0')
        return GFIN_EINVAL;
    return gfin_date_from_ymd(v[0], v[1], v[2], out);
}

/* ------------------------------------------------------------------------ */
/* Day counts                                                               */
/* ------------------------------------------------------------------------ */

static bool last_of_feb(int y, int m, int d) { return m == 2 && d == gfin__days_in_month(y, 2); }

/* The day-count numerator from start to end (start <= end). `end_is_maturity`
 * only matters for 30E/360 ISDA. */
static double dc_days(gfin_date start, gfin_date end, bool end_is_maturity, gfin_day_count dc)
{
    int y1, m1, d1, y2, m2, d2;
    civil_from_days(start, &y1, &m1, &d1);
    civil_from_days(end, &y2, &m2, &d2);
    switch (dc) {
    case GFIN_DC_30_360_US:
        /* QuantLib Thirty360(USA) (SIA), its current US_Impl::dayCount,
         * which notes "the order of checks is important": the February
         * rules first, then the 31st rules (2007-02-28 .. 2007-08-31 is
         * 180 days; the older order, 31st rules first, gave 181). */
        if (last_of_feb(y1, m1, d1)) {
            if (last_of_feb(y2, m2, d2))
                d2 = 30;
            d1 = 30;
        }
        if (d2 == 31 && d1 >= 30)
            d2 = 30;
        if (d1 == 31)
            d1 = 30;
        break;
    case GFIN_DC_30_360_ISDA:
        /* ISDA 2006 4.16(f), bond basis: D1 31 -> 30; D2 31 -> 30 when D1 > 29. */
        if (d1 == 31)
            d1 = 30;
        if (d2 == 31 && d1 == 30)
            d2 = 30;
        break;
    case GFIN_DC_30E_360:
        /* ISDA 2006 4.16(g), Eurobond basis: any 31st is the 30th. */
        if (d1 == 31)
            d1 = 30;
        if (d2 == 31)
            d2 = 30;
        break;
    case GFIN_DC_30E_360_ISDA:
        /* ISDA 2006 4.16(h): the last day of a month is the 30th, except a
         * D2 on the last day of February that is the termination date. */
        if (d1 == 31 || last_of_feb(y1, m1, d1))
            d1 = 30;
        if (d2 == 31 || (last_of_feb(y2, m2, d2) && !end_is_maturity))
            d2 = 30;
        break;
    default:
        return (double)(end - start);
    }
    return 360.0 * (y2 - y1) + 30.0 * (m2 - m1) + (d2 - d1);
}

static double dc_fraction(gfin_date start, gfin_date end, bool end_is_maturity, gfin_day_count dc)
{
    switch (dc) {
    case GFIN_DC_ACT_360:
        return (double)(end - start) / 360.0;
    case GFIN_DC_ACT_365F:
        return (double)(end - start) / 365.0;
    case GFIN_DC_ACT_ACT_ISDA: {
        /* ISDA 2006 4.16(b): days in a leap year / 366 + days in other years
         * / 365, the period split at each January 1. */
        int y1, m1, d1, y2, m2, d2;
        civil_from_days(start, &y1, &m1, &d1);
        civil_from_days(end, &y2, &m2, &d2);
        if (y1 == y2)
            return (double)(end - start) / (gfin__is_leap(y1) ? 366.0 : 365.0);
        double first = (double)(days_from_civil(y1 + 1, 1, 1) - start) / (gfin__is_leap(y1) ? 366.0 : 365.0);
        double last = (double)(end - days_from_civil(y2, 1, 1)) / (gfin__is_leap(y2) ? 366.0 : 365.0);
        return first + (double)(y2 - y1 - 1) + last;
    }
    default:
        return dc_days(start, end, end_is_maturity, dc) / 360.0;
    }
}

/* The arguments of a day count: out, the dates (maturity when has_maturity)
 * and the convention. */
static gfin_status check_dc(gfin_date start, gfin_date end, gfin_date maturity, bool has_maturity, gfin_day_count dc,
                            const double *out, gfin_error *err)
{
    gfin_status st;
    if (!out)
        return arg_null("out", err);
    if ((st = gfin__check_date("start", start, err)) || (st = gfin__check_date("end", end, err)) ||
        (has_maturity && (st = gfin__check_date("maturity", maturity, err))))
        return st;
    if ((unsigned)dc > (unsigned)GFIN_DC_ACT_ACT_ISDA)
        return gfin__fail(err, GFIN_EINVAL, "dc", "%d is not a gfin_day_count (0 .. %d)", (int)dc,
                          (int)GFIN_DC_ACT_ACT_ISDA);
    return GFIN_OK;
}

/* Reversed periods (end < start) are the negative of the forward period, as
 * QuantLib's ActualActual does; for the 30/360 family this keeps the
 * adjustments tied to the earlier and the later date. */
gfin_status gfin_year_fraction_err(gfin_date start, gfin_date end, gfin_day_count dc, double *out, gfin_error *err)
{
    gfin_status st = check_dc(start, end, 0, false, dc, out, err);
    if (st)
        return st;
    *out = end >= start ? dc_fraction(start, end, false, dc) : -dc_fraction(end, start, false, dc);
    return GFIN_OK;
}

gfin_status gfin_year_fraction(gfin_date start, gfin_date end, gfin_day_count dc, double *out)
{
    return gfin_year_fraction_err(start, end, dc, out, NULL);
}

gfin_status gfin_year_fraction_maturity(gfin_date start, gfin_date end, gfin_date maturity, gfin_day_count dc,
                                        double *out)
{
    return gfin_year_fraction_maturity_err(start, end, maturity, dc, out, NULL);
}

gfin_status gfin_year_fraction_maturity_err(gfin_date start, gfin_date end, gfin_date maturity, gfin_day_count dc,
                                            double *out, gfin_error *err)
{
    gfin_status st = check_dc(start, end, maturity, true, dc, out, err);
    if (st)
        return st;
    gfin_date a = end >= start ? start : end, b = end >= start ? end : start;
    double f = dc_fraction(a, b, b == maturity, dc);
    *out = end >= start ? f : -f;
    return GFIN_OK;
}

gfin_status gfin_day_count_days(gfin_date start, gfin_date end, gfin_date maturity, gfin_day_count dc, double *out)
{
    return gfin_day_count_days_err(start, end, maturity, dc, out, NULL);
}

gfin_status gfin_day_count_days_err(gfin_date start, gfin_date end, gfin_date maturity, gfin_day_count dc,
                                    double *out, gfin_error *err)
{
    gfin_status st = check_dc(start, end, maturity, true, dc, out, err);
    if (st)
        return st;
    gfin_date a = end >= start ? start : end, b = end >= start ? end : start;
    double days = dc_days(a, b, b == maturity, dc);
    *out = end >= start ? days : -days;
    return GFIN_OK;
}
