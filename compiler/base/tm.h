/* tm.h: calendar time for the checker, the importer and the simulator: civil dates of the
 * proleptic Gregorian calendar, the one ISO-8601 parser (each caller chooses the forms it
 * accepts), POSIX TZ strings and compiled time zones (TZif, RFC 8536), and where the zones
 * live. Base layer: libc only, no global state; memory through the caller's allocator.
 * (Named tm, not time: compiler/base is on the include path, and <time.h> must stay libc's.) */
#ifndef MMEC_TM_H
#define MMEC_TM_H

#include <stddef.h>
#include <stdint.h>

#include "alloc.h"


/* ---- civil dates --------------------------------------------------------------------------- */

/* A civil date and time (months and days from 1, hours 0..23). */
typedef struct tm_civil {
    int year, month, day, hour, minute, second;
} tm_civil;

/* Days since 1970-01-01 of a civil date, and back (Hinnant, "chrono-Compatible Low-Level Date
 * Algorithms": days_from_civil, civil_from_days); any date whose year fits an int. */
int64_t tm_days(int64_t year, int month, int day);
void tm_date(int64_t days, tm_civil *c);
/* The civil UTC date and time of `t` seconds since the epoch (years beyond an int wrap). */
void tm_split(int64_t t, tm_civil *c);
/* Seconds since the epoch of a civil UTC date and time (months and days from 1; no checks). */
int64_t tm_epoch(int year, int month, int day, int hour, int minute, int second);
int tm_leap(int64_t year);
int tm_days_in_month(int64_t year, int month);
/* Day of the week of day `days` since the epoch: 0 Sunday .. 6 Saturday. */
int tm_weekday(int64_t days);
/* a / b rounded towards minus infinity (b > 0). */
int64_t tm_floor_div(int64_t a, int64_t b);

/* ---- ISO 8601 ------------------------------------------------------------------------------ */

/* What tm_iso_parse accepts beyond the core YYYY-MM-DDThh:mm:ss (four-digit year, two-digit
 * fields, a valid calendar date, hours 00..23, minutes and seconds 00..59). */
enum {
    TM_ISO_DATE = 1 << 0,          /* the date alone: YYYY-MM-DD (midnight) */
    TM_ISO_MINUTES = 1 << 1,       /* hh:mm without seconds */
    TM_ISO_FRACTION = 1 << 2,      /* .ddd after the seconds (ISO 8601 4.2.2.4) */
    TM_ISO_COMMA = 1 << 3,         /* ',' as the decimal sign too (ISO 8601 prefers it) */
    TM_ISO_EMPTY_FRACTION = 1 << 4,/* a '.' without digits */
    TM_ISO_SPACE = 1 << 5,         /* ' ' and 't' for the 'T' (RFC 3339 5.6 note), 'z' for 'Z' */
    TM_ISO_Z = 1 << 6,             /* a final Z: UTC */
    TM_ISO_OFFSET = 1 << 7,        /* a final +hh:mm or -hh:mm (RFC 3339 time-numoffset) */
    TM_ISO_OFFSET_SHORT = 1 << 8,  /* also +hh, +hhmm and +hh: */
    TM_ISO_EPOCH_YEARS = 1 << 9,   /* years 1970..9999 only */
};

/* The forms each caller takes. Trace timestamps: a space or 't' for the T, optional seconds,
 * a fraction with '.' or ',', Z or any offset, nothing meaning UTC. */
#define TM_ISO_TRACE (TM_ISO_MINUTES | TM_ISO_FRACTION | TM_ISO_COMMA | TM_ISO_SPACE | \
                      TM_ISO_Z | TM_ISO_OFFSET | TM_ISO_OFFSET_SHORT)
/* StartTime and EndTime as AWS writes them: 2026-06-01T08:00:00[.fff](Z|+hh:mm|-hh:mm|). */
#define TM_ISO_AWS (TM_ISO_FRACTION | TM_ISO_EMPTY_FRACTION | TM_ISO_Z | TM_ISO_OFFSET)
/* A schedule's `from`/`until`: 2026-06-01, 2026-06-01T08:00 or ...T08:00:00, a Z allowed. */
#define TM_ISO_BOUND (TM_ISO_DATE | TM_ISO_MINUTES | TM_ISO_Z | TM_ISO_EPOCH_YEARS)
/* at(2026-06-01T08:00:00): exactly that (BC PutScheduledAction). */
#define TM_ISO_AT TM_ISO_EPOCH_YEARS

typedef struct tm_iso {
    tm_civil c;                    /* the fields as written (local to `offset`) */
    int32_t offset;                /* seconds east of UTC; 0 for Z or no zone */
    int has_time, has_seconds;     /* a time was written; with its seconds */
    int has_zone;                  /* Z or an offset was written */
    int fraction;                  /* a fraction other than zero was written (and dropped) */
} tm_iso;

/* Parses the `len` bytes at `s`, all of them, in the forms `flags` allows. 0 and *out, or -1. */
int tm_iso_parse(const char *s, size_t len, unsigned flags, tm_iso *out);
/* The instant `iso` names, in seconds since the epoch (whole seconds). */
int64_t tm_iso_utc(const tm_iso *iso);

/* ---- POSIX TZ strings ---------------------------------------------------------------------- */

/* A daylight-saving change: on day `day` (Jn: 1..365, February 29 never counted; n: 0..365;
 * M: the `week`th (5: last) weekday `day` (0 Sunday) of `month`) at `time` seconds after
 * local midnight (-167h..167h, RFC 8536 3.3.1). */
typedef struct tm_rule {
    char kind;                     /* 'J', 'n' or 'M' */
    int day, week, month;
    int32_t time;
} tm_rule;

/* std offset [dst [offset] [,start[/time],end[/time]]] (POSIX.1-2017 8.3, RFC 8536 3.3.1).
 * Offsets are kept east of UTC (the string writes them west: CET-1 is +3600). */
typedef struct tm_posix {
    int32_t std_off, dst_off;
    int has_dst;
    tm_rule start, end;
} tm_posix;

/* Parses `len` bytes at `s`. 0, or -1 when it is not a TZ string. */
int tm_posix_parse(const char *s, size_t len, tm_posix *p);
/* The offset east of UTC at the instant `t`. */
int32_t tm_posix_offset(const tm_posix *p, int64_t t);

/* ---- zones --------------------------------------------------------------------------------- */

/* A zone loaded once: its transitions and, for the times after them (or for all times when
 * there are none), the footer's TZ rule. UTC when loaded from nothing. */
typedef struct tm_zone {
    int64_t *at;                   /* transition instants, increasing */
    int32_t *off;                  /* the offset from each transition on */
    size_t n, cap;                 /* transitions; entries allocated in each array */
    int32_t first;                 /* the offset before the first transition (type 0) */
    int has_rule;                  /* `rule` gives the times after the last transition */
    tm_posix rule;
    base_alloc_fn alloc;
    void *alloc_user;
} tm_zone;

enum {
    TM_OK = 0,
    TM_ENAME = -1,                 /* not a zone name (tm_zone_name_ok) */
    TM_ENOENT = -2,                /* no compiled zone of that name */
    TM_EREAD = -3,                 /* the file could not be read */
    TM_EFORMAT = -4,               /* not a TZif file, or a damaged one */
    TM_ENOMEM = -5,                /* the allocator failed */
};

/* The folder of the compiled zones: $TZDIR, else /usr/share/zoneinfo. */
const char *tm_zone_dir(void);
/* Whether the `len` bytes at `s` may name a zone: a relative path of letters, digits, '_', '+',
 * '-' and inner dots, outside the posix/ and right/ copies and the files beside the zones. */
int tm_zone_name_ok(const char *s, size_t len);
/* Whether `path` is a compiled zone (begins with RFC 8536's magic "TZif"). */
int tm_is_tzif(const char *path);
/* A zone that the misspelt `name` may mean: the same name in another case, or a city without
 * its area (Paris: Europe/Paris), into `out`; empty when there is none. */
void tm_zone_suggest(const char *name, char *out, size_t cap);

/* When zone `name` is a link (tzdata's backward-compatible names: US/Pacific, GB, Asia/Calcutta),
 * writes the zone it links to into `out` and returns 1; 0 for a zone of its own. A link is a
 * symbolic link in tm_zone_dir() (Debian), or a hard link listed as "L TARGET NAME" in its
 * tzdata.zi. UTC and the Etc/ zones are not reported. */
int tm_zone_link(const char *name, char *out, size_t cap);
/* Loads zone `name` from tm_zone_dir() (NULL, "UTC" and "Etc/UTC": UTC without a file).
 * `alloc` may not be NULL. Returns TM_OK or a TM_E code; `z` is then empty. */
int tm_zone_load(tm_zone *z, const char *name, base_alloc_fn alloc, void *alloc_user);
/* The same from the `len` bytes of a TZif file in memory. */
int tm_zone_parse(tm_zone *z, const unsigned char *b, size_t len, base_alloc_fn alloc,
                  void *alloc_user);
/* Releases what a load allocated; `z` is UTC again. */
void tm_zone_free(tm_zone *z);
/* The offset east of UTC, in seconds, at the instant `t`. */
int32_t tm_zone_offset(const tm_zone *z, int64_t t);
/* The same, and a stretch [*lo, *hi) around t in which it holds (INT64_MIN, INT64_MAX: no
 * bound; a stretch may stop at a change that keeps the offset). */
int32_t tm_zone_span(const tm_zone *z, int64_t t, int64_t *lo, int64_t *hi);
/* The instant of local wall time `local` (seconds since the epoch as if local were UTC): in a
 * fall-back overlap the earlier one; in a spring-forward gap the time moved forward by the
 * gap (read with the offset before the change). */
int64_t tm_zone_to_utc(const tm_zone *z, int64_t local);

/* tm_zone_to_utc for many local times in turn (a schedule's firings): the stretch of one
 * offset found last is kept in a caller-owned cache, zeroed before the first call, and reused
 * while `local` is far from its ends. Same answers as tm_zone_to_utc. */
typedef struct tm_zone_cache {
    int64_t lo, hi;
    int32_t off;
    int valid;
} tm_zone_cache;
int64_t tm_zone_to_utc_cached(const tm_zone *z, tm_zone_cache *c, int64_t local);

#endif
