/* dtoa.c -- a double as the shortest decimal text that reads back as the same
 * double, in the form every writer of the library uses (part of core).
 *
 * The form is fixed by the 1.0 writers (the CLI and Python tests compare it):
 * whole numbers below 1e15 as "%.0f"; every other finite number as the first
 * of "%.15g", "%.16g", "%.17g" that strtod reads back as the same double
 * (from "%.1g" for subnormals, which have fewer digits); "NaN", "Infinity",
 * "-Infinity"; always with '.' whatever the locale. The reference algorithm
 * below is exactly that, and is kept as the fallback and as the oracle of
 * tests/test_dtoa.c.
 *
 * The fast path gives the same text without printf or strtod, for normal
 * numbers in [1e-11, 1e17), the range money, rates and energy fall in. With
 * v = m * 2^e (m the 53-bit significand) and s = 16 - floor(log10 |v|),
 *
 *     v * 10^s = m * 5^s * 2^(s + e)
 *
 * is computed exactly in 128-bit integers for 0 <= s <= 27 (5^27 < 2^63 and
 * m * 5^s < 2^116): its integer part N has 17 digits and the bits shifted
 * out say whether the rest is zero, below, at or above one half. Rounding N
 * to p digits then gives what "%.{p}g" prints (glibc rounds exactly, ties to
 * even), and whether that decimal reads back as v is decided exactly too: it
 * must lie within half a unit in the last place of v on each side (a quarter
 * below a power of two, whose lower neighbour is closer), the boundary itself
 * belonging to v when m is even (strtod rounds ties to even). This is the
 * exact-integer approach of Steele & White, "How to print floating-point
 * numbers accurately" (PLDI 1990) and of Ryu (Adams, PLDI 2018) reduced to a
 * range where one 128-bit product suffices; the digit choice is printf's,
 * not Ryu's, so that the text stays byte for byte what 1.0 wrote. */
#include "core.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* printf and strtod follow LC_NUMERIC, which the host program may have set
 * (setlocale(LC_ALL, "") under de_DE gives "0,05"); the library writes C-locale
 * numbers. A number printed with %g holds digits, '-', '+', 'e' and, at most
 * once, the locale's decimal point (one or more bytes): it becomes '.'. */
static void c_decimal_point(char *buf)
{
    for (char *p = buf; *p; ++p) {
        if ((*p >= '0' && *p <= '9') || *p == '-' || *p == '+' || *p == 'e')
            continue;
        size_t k = 1;
        while (p[k] && !(p[k] >= '0' && p[k] <= '9') && p[k] != 'e')
            ++k;
        *p = '.';
        memmove(p + 1, p + k, strlen(p + k) + 1);
        return;
    }
}

size_t gfin__dtoa_reference(char buf[GFIN_DTOA_BUF], double v)
{
    if (isnan(v))
        return (size_t)snprintf(buf, GFIN_DTOA_BUF, "NaN");
    if (isinf(v))
        return (size_t)snprintf(buf, GFIN_DTOA_BUF, v > 0 ? "Infinity" : "-Infinity");
    if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(buf, GFIN_DTOA_BUF, "%.0f", v);
        c_decimal_point(buf);
        return strlen(buf);
    }
    /* For a normal number, when some precision <= 15 (DBL_DIG) reads back,
     * %.15g prints those same digits (%g drops trailing zeros): start there.
     * Subnormals have fewer digits of precision: from 1. */
    for (int prec = fabs(v) >= DBL_MIN ? 15 : 1; prec <= 17; ++prec) {
        snprintf(buf, GFIN_DTOA_BUF, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) /* both in the locale's terms */
            break;
    }
    c_decimal_point(buf);
    return strlen(buf);
}

static const char DIGIT_PAIRS[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                  "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                  "8081828384858687888990919293949596979899";

/* Writes the n digits of u (u < 10^n, leading zeros written), two at a time
 * from the right. */
static void put_digits(char *p, uint64_t u, size_t n)
{
    char *end = p + n;
    while (end - p >= 2) {
        end -= 2;
        memcpy(end, DIGIT_PAIRS + 2 * (u % 100), 2);
        u /= 100;
    }
    if (end > p)
        *--end = (char)('0' + u);
}

static size_t count_digits(uint64_t u)
{
    size_t n = 1;
    while (u >= 10000)
        u /= 10000, n += 4;
    while (u >= 10)
        u /= 10, n++;
    return n;
}

/* Writes the digits of u (at least one) and returns the end. */
static char *put_uint(char *p, uint64_t u)
{
    size_t n = count_digits(u);
    put_digits(p, u, n);
    return p + n;
}

#if defined(__SIZEOF_INT128__)
__extension__ typedef unsigned __int128 u128;

static const uint64_t POW10[] = {1u,
                                 10u,
                                 100u,
                                 1000u,
                                 10000u,
                                 100000u,
                                 1000000u,
                                 10000000u,
                                 100000000u,
                                 1000000000u,
                                 10000000000u,
                                 100000000000u,
                                 1000000000000u,
                                 10000000000000u,
                                 100000000000000u,
                                 1000000000000000u,
                                 10000000000000000u,
                                 100000000000000000u,
                                 1000000000000000000u};

#define MAX_S 27

/* What follows the integer part N of v * 10^s. */
enum tail { TAIL_ZERO, TAIL_BELOW_HALF, TAIL_HALF, TAIL_ABOVE_HALF };

typedef struct scaled {
    uint64_t m;    /* significand, 2^52 <= m < 2^53 */
    int t;         /* s + e */
    uint64_t p5;   /* 5^s */
    bool closer_below; /* a power of two: the lower neighbour is half as far */
    u128 a;        /* m * 5^s */
    uint64_t n;    /* floor(v * 10^s), 17 digits */
    enum tail tail;
} scaled;

static const uint64_t POW5[MAX_S + 1] = {UINT64_C(1), UINT64_C(5), UINT64_C(25), UINT64_C(125), UINT64_C(625), UINT64_C(3125), UINT64_C(15625), UINT64_C(78125), UINT64_C(390625), UINT64_C(1953125), UINT64_C(9765625), UINT64_C(48828125), UINT64_C(244140625), UINT64_C(1220703125), UINT64_C(6103515625), UINT64_C(30517578125), UINT64_C(152587890625), UINT64_C(762939453125), UINT64_C(3814697265625), UINT64_C(19073486328125), UINT64_C(95367431640625), UINT64_C(476837158203125), UINT64_C(2384185791015625), UINT64_C(11920928955078125), UINT64_C(59604644775390625), UINT64_C(298023223876953125), UINT64_C(1490116119384765625), UINT64_C(7450580596923828125)};

/* floor(m * 5^s * 2^t) and the tail; false when it does not fit. */
static bool scale(scaled *x, int s, int e)
{
    x->p5 = POW5[s];
    x->t = s + e;
    u128 a = x->a = (u128)x->m * x->p5;
    if (x->t >= 0) {
        if (x->t > 60 || (a >> (64 - x->t)) != 0)
            return false;
        x->n = (uint64_t)(a << x->t);
        x->tail = TAIL_ZERO;
        return true;
    }
    int sh = -x->t;
    if (sh >= 127)
        return false;
    u128 q = a >> sh;
    if (q >> 63)
        return false;
    x->n = (uint64_t)q;
    u128 rem = a & (((u128)1 << sh) - 1), half = (u128)1 << (sh - 1);
    x->tail = rem == 0 ? TAIL_ZERO : rem < half ? TAIL_BELOW_HALF : rem == half ? TAIL_HALF : TAIL_ABOVE_HALF;
    return true;
}

/* Whether the decimal w / 10^s reads back as m * 2^e: exact comparisons
 * against the half-way points to the neighbours, both scaled by 10^s. */
static bool reads_back(const scaled *x, uint64_t w)
{
    u128 wv, cv, up, lo;
    if (x->t >= 2) {
        wv = w;
        cv = x->a << x->t;
        up = (u128)x->p5 << (x->t - 1);
        lo = x->closer_below ? (u128)x->p5 << (x->t - 2) : up;
    } else {
        wv = (u128)w << (2 - x->t);
        cv = x->a << 2;
        up = (u128)x->p5 << 1;
        lo = x->closer_below ? (u128)x->p5 : up;
    }
    bool even = (x->m & 1) == 0;
    if (wv >= cv)
        return wv - cv < up || (wv - cv == up && even);
    return cv - wv < lo || (cv - wv == lo && even);
}

/* "%.{p}g" of the decimal q * 10^(x - p + 1) (q has p digits), with '-'
 * when neg. Returns the length. */
static size_t format_g(char *buf, bool neg, uint64_t q, int p, int x)
{
    char dig[24];
    size_t nd = (size_t)p; /* q has p digits */
    put_digits(dig, q, nd);
    while (nd > 1 && dig[nd - 1] == '0') /* %g drops trailing zeros */
        nd--;
    char *o = buf;
    if (neg)
        *o++ = '-';
    if (x < -4 || x >= p) {
        *o++ = dig[0];
        if (nd > 1) {
            *o++ = '.';
            memcpy(o, dig + 1, nd - 1);
            o += nd - 1;
        }
        *o++ = 'e';
        *o++ = x < 0 ? '-' : '+';
        unsigned ax = (unsigned)(x < 0 ? -x : x);
        if (ax < 10)
            *o++ = '0';
        o = put_uint(o, ax);
    } else if (x >= 0) {
        size_t ip = (size_t)x + 1;
        for (size_t i = 0; i < ip; ++i)
            *o++ = i < nd ? dig[i] : '0';
        if (nd > ip) {
            *o++ = '.';
            memcpy(o, dig + ip, nd - ip);
            o += nd - ip;
        }
    } else {
        *o++ = '0';
        *o++ = '.';
        for (int i = -1; i > x; --i)
            *o++ = '0';
        memcpy(o, dig, nd);
        o += nd;
    }
    *o = '\0';
    return (size_t)(o - buf);
}

/* The fast path; 0 when v is outside its range. */
static size_t fast(char buf[GFIN_DTOA_BUF], double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    bool neg = bits >> 63;
    int biased = (int)((bits >> 52) & 0x7FF);
    uint64_t frac = bits & ((UINT64_C(1) << 52) - 1);
    if (biased == 0 || biased == 0x7FF)
        return 0; /* zero and subnormals, NaN and infinities */
    scaled x = {.m = frac | UINT64_C(1) << 52, .closer_below = frac == 0 && biased > 1};
    int e = biased - 1075, e2 = biased - 1023;
    /* floor(e2 * log10(2)) = floor(log10 |v|) or one less: 78913 / 2^18
     * is log10(2) closely enough for |e2| < 1650 (Ryu's log10Pow2). */
    int e10 = e2 >= 0 ? (e2 * 78913) >> 18 : -((-e2 * 78913 + (1 << 18) - 1) >> 18);
    for (int attempt = 0;; ++attempt) {
        int s = 16 - e10;
        if (attempt > 2 || s < 0 || s > MAX_S || !scale(&x, s, e))
            return 0;
        if (x.n >= POW10[17])
            e10++;
        else if (x.n < POW10[16])
            e10--;
        else
            break;
    }
    /* v = (n + tail) / 10^(16 - e10): the first p of its 17 digits, rounded. */
    for (int p = 15; p <= 17; ++p) {
        /* the divisors are constants: the compiler multiplies */
        int d = 17 - p, xe = e10;
        uint64_t q = p == 15 ? x.n / 100 : p == 16 ? x.n / 10 : x.n;
        uint64_t r = x.n - q * POW10[d], half = POW10[d] / 2;
        bool up;
        if (d == 0)
            up = x.tail == TAIL_ABOVE_HALF || (x.tail == TAIL_HALF && (q & 1));
        else
            up = r > half || (r == half && (x.tail != TAIL_ZERO || (q & 1)));
        if (up && ++q == POW10[p]) {
            q = POW10[p - 1];
            xe++;
        }
        /* q * 10^(xe - p + 1), in units of 10^-s: q * 10^(d + xe - e10). */
        uint64_t w = q * POW10[d + (xe - e10)];
        if (p == 17 || reads_back(&x, w))
            return format_g(buf, neg, q, p, xe);
    }
    return 0; /* not reached: 17 digits always read back */
}
#else
static size_t fast(char buf[GFIN_DTOA_BUF], double v)
{
    (void)buf;
    (void)v;
    return 0;
}
#endif

size_t gfin__dtoa(char buf[GFIN_DTOA_BUF], double v)
{
    /* Whole numbers below 1e15 ("%.0f"): -0 keeps its sign, as printf's. */
    if (fabs(v) < 1e15) {
        int64_t i = (int64_t)v;
        if ((double)i == v) {
            char *o = buf;
            if (signbit(v))
                *o++ = '-';
            o = put_uint(o, (uint64_t)(i < 0 ? -i : i));
            *o = '\0';
            return (size_t)(o - buf);
        }
    }
    size_t n = fast(buf, v);
    return n ? n : gfin__dtoa_reference(buf, v);
}
