/* tm.c: civil dates, the ISO-8601 parser, POSIX TZ strings and TZif zones (see tm.h). */
#define _XOPEN_SOURCE 700   /* realpath, lstat */
#include "tm.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- civil dates --------------------------------------------------------------------------- */

int64_t tm_floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

int tm_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int tm_days_in_month(int64_t y, int m) {
    static const int n[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && tm_leap(y) ? 29 : n[m - 1];
}

/* Hinnant's days_from_civil: eras of 400 years (146097 days), years from March so that the
 * leap day ends the year. */
int64_t tm_days(int64_t year, int month, int day) {
    int64_t y = year - (month <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t mp = month > 2 ? month - 3 : month + 9;
    int64_t doy = (153 * mp + 2) / 5 + day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Hinnant's civil_from_days. */
void tm_date(int64_t days, tm_civil *c) {
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    c->year = (int)(yoe + era * 400 + (m <= 2));
    c->month = (int)m;
    c->day = (int)(doy - (153 * mp + 2) / 5 + 1);
    c->hour = c->minute = c->second = 0;
}

void tm_split(int64_t t, tm_civil *c) {
    int64_t days = tm_floor_div(t, 86400);
    int64_t secs = t - days * 86400;
    tm_date(days, c);
    c->hour = (int)(secs / 3600);
    c->minute = (int)(secs / 60 % 60);
    c->second = (int)(secs % 60);
}

int64_t tm_epoch(int year, int month, int day, int hour, int minute, int second) {
    return tm_days(year, month, day) * 86400 + (int64_t)hour * 3600 + minute * 60 + second;
}

/* 1970-01-01 was a Thursday. */
int tm_weekday(int64_t days) { return (int)((days % 7 + 11) % 7); }

/* ---- ISO 8601 ------------------------------------------------------------------------------ */

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Exactly `n` digits at s[*i]. */
static int num(const char *s, size_t len, size_t *i, int n, int *v) {
    int x = 0;
    for (int k = 0; k < n; k++) {
        if (*i >= len || !is_digit(s[*i]))
            return 0;
        x = x * 10 + (s[(*i)++] - '0');
    }
    *v = x;
    return 1;
}

/* YYYY-MM-DD, a valid date. */
static int iso_date(const char *s, size_t len, size_t *i, unsigned f, tm_civil *c) {
    if (!num(s, len, i, 4, &c->year) || *i >= len || s[(*i)++] != '-' ||
        !num(s, len, i, 2, &c->month) || *i >= len || s[(*i)++] != '-' ||
        !num(s, len, i, 2, &c->day))
        return 0;
    return c->year >= ((f & TM_ISO_EPOCH_YEARS) ? 1970 : 0) && c->month >= 1 &&
           c->month <= 12 && c->day >= 1 && c->day <= tm_days_in_month(c->year, c->month);
}

/* hh:mm[:ss[.fff]] after the 'T'. */
static int iso_time(const char *s, size_t len, size_t *i, unsigned f, tm_iso *r) {
    if (!num(s, len, i, 2, &r->c.hour) || *i >= len || s[(*i)++] != ':' ||
        !num(s, len, i, 2, &r->c.minute))
        return 0;
    r->has_time = 1;
    if (*i < len && s[*i] == ':') {
        (*i)++;
        if (!num(s, len, i, 2, &r->c.second))
            return 0;
        r->has_seconds = 1;
        if ((f & TM_ISO_FRACTION) && *i < len &&
            (s[*i] == '.' || (s[*i] == ',' && (f & TM_ISO_COMMA)))) {
            size_t f0 = ++*i;
            for (; *i < len && is_digit(s[*i]); (*i)++)
                r->fraction |= s[*i] != '0';
            if (*i == f0 && !(f & TM_ISO_EMPTY_FRACTION))
                return 0;
        }
    } else if (!(f & TM_ISO_MINUTES)) {
        return 0;
    }
    return r->c.hour <= 23 && r->c.minute <= 59 && r->c.second <= 59;
}

/* +hh:mm (RFC 3339), or with TM_ISO_OFFSET_SHORT also +hh, +hhmm, +hh:. */
static int iso_offset(const char *s, size_t len, size_t *i, unsigned f, int32_t *off) {
    int sign = s[(*i)++] == '-' ? -1 : 1, h, m = 0;
    if (!num(s, len, i, 2, &h))
        return 0;
    if (f & TM_ISO_OFFSET_SHORT) {
        if (*i < len && s[*i] == ':')
            (*i)++;
        if (*i < len && !num(s, len, i, 2, &m))
            return 0;
    } else if (*i >= len || s[(*i)++] != ':' || !num(s, len, i, 2, &m)) {
        return 0;
    }
    *off = sign * (h * 3600 + m * 60);
    return h <= 23 && m <= 59;
}

int tm_iso_parse(const char *s, size_t len, unsigned f, tm_iso *out) {
    tm_iso r;
    size_t i = 0;
    memset(&r, 0, sizeof r);
    if (!iso_date(s, len, &i, f, &r.c))
        return -1;
    if (i < len && (s[i] == 'T' || ((f & TM_ISO_SPACE) && (s[i] == 't' || s[i] == ' ')))) {
        i++;
        if (!iso_time(s, len, &i, f, &r))
            return -1;
    } else if (!(f & TM_ISO_DATE)) {
        return -1;
    }
    if (i < len) {
        char c = s[i];
        if ((f & TM_ISO_Z) && (c == 'Z' || (c == 'z' && (f & TM_ISO_SPACE)))) {
            i++;
        } else if ((f & TM_ISO_OFFSET) && (c == '+' || c == '-')) {
            if (!iso_offset(s, len, &i, f, &r.offset))
                return -1;
        } else {
            return -1;
        }
        r.has_zone = 1;
    }
    if (i != len)
        return -1;
    *out = r;
    return 0;
}

int64_t tm_iso_utc(const tm_iso *r) {
    return tm_epoch(r->c.year, r->c.month, r->c.day, r->c.hour, r->c.minute, r->c.second) -
           r->offset;
}

/* ---- POSIX TZ strings ---------------------------------------------------------------------- */

static int is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

/* A zone abbreviation: three or more letters, or <...> of letters, digits, '+' and '-'. */
static int tz_name(const char *s, size_t len, size_t *i) {
    size_t b = *i;
    if (*i < len && s[*i] == '<') {
        for (b = ++*i; *i < len && s[*i] != '>'; (*i)++)
            if (!is_alpha(s[*i]) && !is_digit(s[*i]) && s[*i] != '+' && s[*i] != '-')
                return 0;
        if (*i >= len || *i - b < 3)
            return 0;
        (*i)++;
        return 1;
    }
    while (*i < len && is_alpha(s[*i]))
        (*i)++;
    return *i - b >= 3;
}

/* A whole number of 1 to `n` digits, at most `max`. */
static int small(const char *s, size_t len, size_t *i, int n, int max, int *v) {
    int x = 0, k = 0;
    for (; k < n && *i < len && is_digit(s[*i]); k++)
        x = x * 10 + (s[(*i)++] - '0');
    *v = x;
    return k > 0 && x <= max;
}

/* [+-]h[h[h]][:mm[:ss]], hours at most `maxh`, in seconds with the sign as written. */
static int tz_hms(const char *s, size_t len, size_t *i, int maxh, int32_t *v) {
    int sign = 1, h, m = 0, sec = 0;
    if (*i < len && (s[*i] == '+' || s[*i] == '-'))
        sign = s[(*i)++] == '-' ? -1 : 1;
    if (!small(s, len, i, 3, maxh, &h))
        return 0;
    if (*i < len && s[*i] == ':') {
        (*i)++;
        if (!small(s, len, i, 2, 59, &m))
            return 0;
        if (*i < len && s[*i] == ':') {
            (*i)++;
            if (!small(s, len, i, 2, 59, &sec))
                return 0;
        }
    }
    *v = sign * (h * 3600 + m * 60 + sec);
    return 1;
}

/* Jn, n or Mm.w.d, then /time (default 02:00:00; RFC 8536 3.3.1: -167..167 hours). */
static int tz_rule(const char *s, size_t len, size_t *i, tm_rule *r) {
    memset(r, 0, sizeof *r);
    r->time = 7200;
    if (*i >= len)
        return 0;
    if (s[*i] == 'J') {
        (*i)++;
        r->kind = 'J';
        if (!small(s, len, i, 3, 365, &r->day) || r->day < 1)
            return 0;
    } else if (s[*i] == 'M') {
        (*i)++;
        r->kind = 'M';
        if (!small(s, len, i, 2, 12, &r->month) || r->month < 1 || *i >= len ||
            s[(*i)++] != '.' || !small(s, len, i, 1, 5, &r->week) || r->week < 1 ||
            *i >= len || s[(*i)++] != '.' || !small(s, len, i, 1, 6, &r->day))
            return 0;
    } else {
        r->kind = 'n';
        if (!small(s, len, i, 3, 365, &r->day))
            return 0;
    }
    if (*i < len && s[*i] == '/') {
        (*i)++;
        return tz_hms(s, len, i, 167, &r->time);
    }
    return 1;
}

int tm_posix_parse(const char *s, size_t len, tm_posix *p) {
    size_t i = 0;
    int32_t v;
    memset(p, 0, sizeof *p);
    if (!tz_name(s, len, &i) || !tz_hms(s, len, &i, 24, &v))
        return -1;
    p->std_off = p->dst_off = -v;
    if (i == len)
        return 0;
    if (!tz_name(s, len, &i))
        return -1;
    p->has_dst = 1;
    p->dst_off = p->std_off + 3600;
    if (i < len && s[i] != ',') {
        if (!tz_hms(s, len, &i, 24, &v))
            return -1;
        p->dst_off = -v;
    }
    if (i == len) {
        /* No rule: the US rules since 2007, as tzcode and glibc assume (POSIX leaves it to
         * the implementation). */
        static const char us[] = "M3.2.0,M11.1.0";
        size_t k = 0;
        tz_rule(us, 6, &k, &p->start);
        k = 7;
        tz_rule(us, sizeof us - 1, &k, &p->end);
        return 0;
    }
    if (s[i++] != ',' || !tz_rule(s, len, &i, &p->start) || i >= len || s[i++] != ',' ||
        !tz_rule(s, len, &i, &p->end))
        return -1;
    return i == len ? 0 : -1;
}

/* The day (since the epoch) on which rule `r` falls in `year`. */
static int64_t rule_day(const tm_rule *r, int64_t year) {
    int64_t jan1 = tm_days(year, 1, 1);
    if (r->kind == 'J')
        return jan1 + r->day - 1 + (tm_leap(year) && r->day >= 60);
    if (r->kind == 'n')
        return jan1 + r->day;
    int64_t first = tm_days(year, r->month, 1);
    int64_t d = first + (r->day - tm_weekday(first) + 7) % 7 + (int64_t)(r->week - 1) * 7;
    while (d >= first + tm_days_in_month(year, r->month))
        d -= 7;                       /* week 5: the last one */
    return d;
}

/* Past this many seconds from the epoch (about 2.2 million years) years would not fit an int;
 * the rules are periodic long before. */
#define TZ_LIMIT ((int64_t)1 << 46)

/* The offset at `t` under rule `p`, and the changes around t: the last at or before it in
 * *lo, the next after it in *hi (the offset holds in [lo, hi); INT64_MIN and INT64_MAX when
 * there is none). */
static int32_t rule_span(const tm_posix *p, int64_t t, int64_t *lo, int64_t *hi) {
    *lo = INT64_MIN;
    *hi = INT64_MAX;
    if (!p->has_dst)
        return p->std_off;
    if (t > TZ_LIMIT)
        t = TZ_LIMIT;
    if (t < -TZ_LIMIT)
        t = -TZ_LIMIT;
    tm_civil c;
    tm_split(t + p->std_off, &c);
    /* The latest change at or before t among those of the years around it: a rule's time may
     * push its change into the next or the previous year (RFC 8536 3.3.1). Daylight time
     * starts at a time of standard time and ends at one of daylight time; a start at the
     * same instant as an end wins (EST5EDT,0/0,J365/25: daylight time all year). */
    int dst = 0;
    for (int64_t y = c.year - 1; y <= c.year + 1; y++) {
        int64_t end = rule_day(&p->end, y) * 86400 + p->end.time - p->dst_off;
        int64_t start = rule_day(&p->start, y) * 86400 + p->start.time - p->std_off;
        if (end <= t && end > *lo)
            *lo = end, dst = 0;
        if (start <= t && start >= *lo)
            *lo = start, dst = 1;
        if (end > t && end < *hi)
            *hi = end;
        if (start > t && start < *hi)
            *hi = start;
    }
    if (*lo == INT64_MIN || *hi == INT64_MAX)
        *lo = *hi = t;                /* rules too odd to bound: no stretch to reuse */
    return dst ? p->dst_off : p->std_off;
}

int32_t tm_posix_offset(const tm_posix *p, int64_t t) {
    int64_t lo, hi;
    return rule_span(p, t, &lo, &hi);
}

/* ---- zones --------------------------------------------------------------------------------- */

const char *tm_zone_dir(void) {
    const char *d = getenv("TZDIR");
    return d && *d ? d : "/usr/share/zoneinfo";
}

int tm_zone_name_ok(const char *s, size_t len) {
    if (len == 0 || len > 255)
        return 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        int start = i == 0 || s[i - 1] == '/';
        if (c == '/' ? start || i + 1 == len
                     : !(is_alpha(c) || is_digit(c) || c == '_' || c == '+' || c == '-' ||
                         (c == '.' && !start)))
            return 0;
    }
    /* Not zones: the folders of alternative builds, and the files beside the zones. */
    static const char *const not_zones[] = {"posix/", "right/", "posixrules", "localtime"};
    for (size_t i = 0; i < sizeof not_zones / sizeof not_zones[0]; i++)
        if (strncmp(s, not_zones[i], strlen(not_zones[i])) == 0)
            return 0;
    return 1;
}

int tm_is_tzif(const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    char magic[4];
    ssize_t r = read(fd, magic, 4);
    close(fd);
    return r == 4 && memcmp(magic, "TZif", 4) == 0;
}

/* The link `name` of tzdata.zi's "L TARGET NAME" lines, its target into `out`. */
static int zi_link(const char *dir, const char *name, char *out, size_t cap) {
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/tzdata.zi", dir) >= sizeof path)
        return 0;
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return 0;
    char line[512];
    int found = 0;
    size_t nl = strlen(name);
    while (!found && fgets(line, sizeof line, f) != NULL) {
        if (line[0] != 'L' || line[1] != ' ')
            continue;
        char *target = line + 2, *sp = strchr(target, ' ');
        if (sp == NULL)
            continue;
        char *link = sp + 1;
        size_t ll = strcspn(link, "\r\n");
        if (ll == nl && memcmp(link, name, nl) == 0 && (size_t)(sp - target) < cap) {
            memcpy(out, target, (size_t)(sp - target));
            out[sp - target] = '\0';
            found = 1;
        }
    }
    fclose(f);
    return found;
}

int tm_zone_link(const char *name, char *out, size_t cap) {
    if (cap == 0 || strcmp(name, "UTC") == 0 || strncmp(name, "Etc/", 4) == 0)
        return 0;
    out[0] = '\0';
    const char *dir = tm_zone_dir();
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
        return 0;
    struct stat st;
    if (lstat(path, &st) != 0)
        return 0;
    int found = 0;
    if (S_ISLNK(st.st_mode)) {
        /* The link's target, as a name under the zone folder. */
        char *real = realpath(path, NULL), *rdir = realpath(dir, NULL);
        size_t dl = rdir ? strlen(rdir) : 0;
        if (real && rdir && strncmp(real, rdir, dl) == 0 && real[dl] == '/' &&
            strlen(real + dl + 1) < cap) {
            memcpy(out, real + dl + 1, strlen(real + dl + 1) + 1);
            found = strcmp(out, name) != 0;
        }
        free(real);
        free(rdir);
    } else if (S_ISREG(st.st_mode) && st.st_nlink > 1) {
        found = zi_link(dir, name, out, cap);
    }
    if (found && (strcmp(out, "UTC") == 0 || strncmp(out, "Etc/", 4) == 0))
        found = 0;    /* Zulu, UCT, Universal, GMT: UTC by another name */
    if (!found)
        out[0] = '\0';
    return found;
}

/* The entry of folder `dir` equal to `name` ignoring case, copied to `out`. */
static int find_nocase(const char *dir, const char *name, size_t len, char *out, size_t cap) {
    DIR *d = opendir(dir);
    if (d == NULL)
        return 0;
    int found = 0;
    for (struct dirent *e; !found && (e = readdir(d)) != NULL;) {
        if (strlen(e->d_name) == len && strncasecmp(e->d_name, name, len) == 0 && len < cap) {
            memcpy(out, e->d_name, len + 1);
            found = 1;
        }
    }
    closedir(d);
    return found;
}

/* `name` (no '/') as a city of one of the areas: Paris is Europe/Paris. */
static void suggest_city(const char *name, char *out, size_t cap) {
    char path[1024], part[256];
    DIR *d = opendir(tm_zone_dir());
    if (d == NULL)
        return;
    for (struct dirent *e; out[0] == '\0' && (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.' || !tm_zone_name_ok(e->d_name, strlen(e->d_name)))
            continue;
        snprintf(path, sizeof path, "%s/%s", tm_zone_dir(), e->d_name);
        if (find_nocase(path, name, strlen(name), part, sizeof part)) {
            snprintf(path, sizeof path, "%s/%s/%s", tm_zone_dir(), e->d_name, part);
            size_t a = strlen(e->d_name), b = strlen(part);
            if (tm_is_tzif(path) && a + b + 2 <= cap) {
                memcpy(out, e->d_name, a);
                out[a] = '/';
                memcpy(out + a + 1, part, b + 1);
            }
        }
    }
    closedir(d);
}

void tm_zone_suggest(const char *name, char *out, size_t cap) {
    char path[1024], part[256];
    out[0] = '\0';
    size_t n = (size_t)snprintf(path, sizeof path, "%s", tm_zone_dir());
    size_t o = 0;
    int ok = 1;
    for (const char *p = name; ok && *p;) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        if (!find_nocase(path, p, len, part, sizeof part) || n + len + 2 > sizeof path ||
            o + len + 2 > cap) {
            ok = 0;
            break;
        }
        n += (size_t)snprintf(path + n, sizeof path - n, "/%s", part);
        o += (size_t)snprintf(out + o, cap - o, "%s%s", o ? "/" : "", part);
        p = slash ? slash + 1 : p + len;
    }
    if (ok && tm_is_tzif(path) && tm_zone_name_ok(out, strlen(out)))
        return;
    out[0] = '\0';
    if (!strchr(name, '/'))
        suggest_city(name, out, cap);
}

static uint32_t be32(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p) {
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

static void zone_init(tm_zone *z, base_alloc_fn alloc, void *user) {
    memset(z, 0, sizeof *z);
    z->alloc = alloc;
    z->alloc_user = user;
}

void tm_zone_free(tm_zone *z) {
    if (z->at)
        z->alloc(z->alloc_user, z->at, z->cap * sizeof *z->at, 0);
    if (z->off)
        z->alloc(z->alloc_user, z->off, z->cap * sizeof *z->off, 0);
    zone_init(z, z->alloc, z->alloc_user);
}

/* The footer of a version 2+ file: "\n" TZ-string "\n" (RFC 8536 3.3); an empty string means
 * no rule. */
static int footer(tm_zone *z, const unsigned char *b, size_t len) {
    if (len < 2 || b[0] != '\n')
        return TM_EFORMAT;
    const unsigned char *nl = memchr(b + 1, '\n', len - 1);
    if (nl == NULL)
        return TM_EFORMAT;
    size_t n = (size_t)(nl - b - 1);
    if (n == 0)
        return TM_OK;
    if (tm_posix_parse((const char *)b + 1, n, &z->rule) != 0)
        return TM_EFORMAT;
    z->has_rule = 1;
    return TM_OK;
}

/* One data block (RFC 8536 3.2) with `tsz`-byte times, its header at `h`: the transitions and
 * their offsets into `z`. */
static int data_block(tm_zone *z, const unsigned char *h, size_t tsz) {
    size_t tcnt = be32(h + 32), types = be32(h + 36);
    const unsigned char *t = h + 44, *idx = t + tcnt * tsz, *ty = idx + tcnt;
    z->cap = tcnt ? tcnt : 1;
    z->at = z->alloc(z->alloc_user, NULL, 0, z->cap * sizeof *z->at);
    z->off = z->alloc(z->alloc_user, NULL, 0, z->cap * sizeof *z->off);
    if (!z->at || !z->off)
        return TM_ENOMEM;
    for (size_t i = 0; i < tcnt; i++) {
        z->at[i] = tsz == 8 ? be64(t + i * 8) : (int32_t)be32(t + i * 4);
        if (idx[i] >= types || (i > 0 && z->at[i] <= z->at[i - 1]))
            return TM_EFORMAT;
        z->off[i] = (int32_t)be32(ty + idx[i] * 6);
    }
    z->n = tcnt;
    z->first = (int32_t)be32(ty);   /* RFC 8536 3.2: type 0 before the first transition */
    return TM_OK;
}

/* The size of the data block after the header at `h`, or 0 when the counts are absurd. */
static size_t block_size(const unsigned char *h, size_t tsz) {
    size_t isut = be32(h + 20), isstd = be32(h + 24), leap = be32(h + 28), tcnt = be32(h + 32),
           types = be32(h + 36), chars = be32(h + 40);
    if (tcnt > 100000 || types == 0 || types > 256 || chars > 100000 || leap > 100000 ||
        isut > types || isstd > types)
        return 0;
    return tcnt * tsz + tcnt + types * 6 + chars + leap * (tsz + 4) + isstd + isut;
}

int tm_zone_parse(tm_zone *z, const unsigned char *b, size_t len, base_alloc_fn alloc,
                  void *alloc_user) {
    zone_init(z, alloc, alloc_user);
    if (len < 44 || memcmp(b, "TZif", 4) != 0)
        return TM_EFORMAT;
    size_t body = block_size(b, 4);
    if (body == 0 || len - 44 < body)
        return TM_EFORMAT;
    int rc;
    if (b[4] < '2') {
        rc = data_block(z, b, 4);
    } else {
        /* Version 2+: a second header and block of 64-bit times, then the footer. */
        const unsigned char *h = b + 44 + body;
        size_t left = len - 44 - body, body2;
        if (left < 44 || memcmp(h, "TZif", 4) != 0 || (body2 = block_size(h, 8)) == 0 ||
            left - 44 < body2)
            return TM_EFORMAT;
        rc = data_block(z, h, 8);
        if (rc == TM_OK)
            rc = footer(z, h + 44 + body2, left - 44 - body2);
    }
    if (rc != TM_OK)
        tm_zone_free(z);
    return rc;
}

static int is_utc(const char *name) {
    return !name || strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0;
}

int tm_zone_load(tm_zone *z, const char *name, base_alloc_fn alloc, void *alloc_user) {
    zone_init(z, alloc, alloc_user);
    if (is_utc(name))
        return TM_OK;
    if (!tm_zone_name_ok(name, strlen(name)))
        return TM_ENAME;
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tm_zone_dir(), name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return TM_ENOENT;
    size_t cap = 0, len = 0;
    unsigned char *buf = NULL;
    int rc = TM_OK;
    for (;;) {
        if (len == cap) {
            size_t nc = cap ? cap * 2 : 4096;
            unsigned char *nb = cap >= (1u << 22) ? NULL : alloc(alloc_user, buf, cap, nc);
            if (!nb) {
                rc = cap >= (1u << 22) ? TM_EFORMAT : TM_ENOMEM;
                break;
            }
            buf = nb;
            cap = nc;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (rc == TM_OK && ferror(f))
        rc = TM_EREAD;
    fclose(f);
    if (rc == TM_OK)
        rc = tm_zone_parse(z, buf, len, alloc, alloc_user);
    if (buf)
        alloc(alloc_user, buf, cap, 0);
    return rc;
}

int32_t tm_zone_span(const tm_zone *z, int64_t t, int64_t *lo, int64_t *hi) {
    if (z->n == 0) {
        if (z->has_rule)
            return rule_span(&z->rule, t, lo, hi);
        *lo = INT64_MIN;
        *hi = INT64_MAX;
        return z->first;
    }
    if (t < z->at[0]) {
        *lo = INT64_MIN;
        *hi = z->at[0];
        return z->first;
    }
    int64_t last = z->at[z->n - 1];
    if (t > last && z->has_rule) {             /* RFC 8536 3.3: the footer, after the last */
        int32_t off = rule_span(&z->rule, t, lo, hi);
        if (*lo <= last)
            *lo = last + 1;
        return off;
    }
    size_t a = 0, b = z->n;                    /* the last transition at or before t */
    while (b - a > 1) {
        size_t mid = (a + b) / 2;
        if (z->at[mid] <= t)
            a = mid;
        else
            b = mid;
    }
    *lo = z->at[a];
    *hi = a + 1 < z->n ? z->at[a + 1] : z->has_rule ? last + 1 : INT64_MAX;
    return z->off[a];
}

int32_t tm_zone_offset(const tm_zone *z, int64_t t) {
    int64_t lo, hi;
    return tm_zone_span(z, t, &lo, &hi);
}

int64_t tm_zone_to_utc(const tm_zone *z, int64_t local) {
    int32_t before = tm_zone_offset(z, local - 86400), after = tm_zone_offset(z, local + 86400);
    if (tm_zone_offset(z, local - before) == before)
        return local - before;
    if (tm_zone_offset(z, local - after) == after)
        return local - after;
    return local - before;
}

/* tm_zone_to_utc(local) reads offsets at most a day and one offset either side of `local`;
 * offsets under 26 hours (RFC 8536 3.2: utoff SHOULD be within -25h..26h) keep them within
 * SLACK. */
#define MAX_OFF (26 * 3600)
#define SLACK (MAX_OFF + 86400)

int64_t tm_zone_to_utc_cached(const tm_zone *z, tm_zone_cache *c, int64_t local) {
    if (local < INT64_MIN / 2 || local > INT64_MAX / 2)
        return tm_zone_to_utc(z, local);
    if (!c->valid || local - SLACK < c->lo || local + SLACK > c->hi) {
        c->off = tm_zone_span(z, local, &c->lo, &c->hi);
        c->valid = c->off >= -MAX_OFF && c->off <= MAX_OFF;
        if (!c->valid || local - SLACK < c->lo || local + SLACK > c->hi)
            return tm_zone_to_utc(z, local);   /* near a change: the full answer */
    }
    return local - c->off;                     /* one offset all round: local - offset */
}
