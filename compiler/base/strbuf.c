/* strbuf.c: growable or fixed text buffers and locale-independent formatting (strbuf.h). */
#include "strbuf.h"
#include "numtext.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tm.h"

void strbuf_init(strbuf *sb, base_alloc_fn alloc, void *alloc_user) {
    sb->data = NULL;
    sb->len = sb->cap = 0;
    sb->failed = 0;
    sb->fixed = 0;
    sb->alloc = alloc ? alloc : base_default_alloc;
    sb->alloc_user = alloc_user;
}

void strbuf_init_fixed(strbuf *sb, char *buf, size_t cap) {
    strbuf_init(sb, NULL, NULL);
    sb->fixed = 1;
    sb->data = cap ? buf : NULL;
    sb->cap = cap;
    if (cap)
        buf[0] = '\0';
}

void strbuf_free(strbuf *sb) {
    if (!sb)
        return;
    if (sb->data && !sb->fixed)
        sb->alloc(sb->alloc_user, sb->data, sb->cap, 0);
    if (sb->fixed) {
        strbuf_reset(sb);
        return;
    }
    sb->data = NULL;
    sb->len = sb->cap = 0;
    sb->failed = 0;
}

void strbuf_reset(strbuf *sb) { strbuf_truncate(sb, 0); }

void strbuf_truncate(strbuf *sb, size_t len) {
    if (len >= sb->len)
        return;
    sb->len = len;
    if (sb->data && len < sb->cap)
        sb->data[len] = '\0';
}

char *strbuf_take(strbuf *sb, size_t *len, size_t *cap) {
    char *d = sb->failed || sb->fixed ? NULL : sb->data;
    if (len)
        *len = d ? sb->len : 0;
    if (cap)
        *cap = d ? sb->cap : 0;
    if (!d)
        strbuf_free(sb);
    sb->data = NULL;
    sb->len = sb->cap = 0;
    sb->failed = 0;
    return d;
}

/* Marks the buffer failed and releases its text, so that the inline appends, finding no
 * room, come to strbuf_put_slow and drop what they write. */
static int fail(strbuf *sb) {
    if (sb->data)
        sb->alloc(sb->alloc_user, sb->data, sb->cap, 0);
    sb->data = NULL;
    sb->len = sb->cap = 0;
    sb->failed = 1;
    return 0;
}

int strbuf_reserve(strbuf *sb, size_t n) {
    if (sb->failed)
        return 0;
    if (n < SIZE_MAX - sb->len && sb->len + n + 1 <= sb->cap)
        return 1;
    if (sb->fixed)
        return 0;
    if (n >= SIZE_MAX / 2 - sb->len)
        return fail(sb);
    /* The first block holds what is asked for exactly (at least 256 bytes); then doubling. */
    size_t cap = sb->cap ? sb->cap : n + 1 > 256 ? n + 1 : 256;
    while (cap < sb->len + n + 1)
        cap *= 2;
    char *d = sb->alloc(sb->alloc_user, sb->data, sb->cap, cap);
    if (!d)
        return fail(sb);
    sb->data = d;
    sb->cap = cap;
    return 1;
}

void strbuf_put_slow(strbuf *sb, const char *s, size_t n) {
    if (sb->fixed) {
        /* snprintf's contract: store what fits before the NUL, count it all. */
        if (sb->len + 1 < sb->cap) {
            size_t room = sb->cap - 1 - sb->len;
            memcpy(sb->data + sb->len, s, n < room ? n : room);
            sb->data[sb->len + (n < room ? n : room)] = '\0';
        }
        sb->len += n;
        return;
    }
    if (!strbuf_reserve(sb, n))
        return;
    memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
}

void strbuf_pad(strbuf *sb, char c, size_t n) {
    size_t k = n;
    if (sb->fixed) {
        /* Store what fits before the NUL, count it all. */
        size_t room = sb->len + 1 < sb->cap ? sb->cap - 1 - sb->len : 0;
        k = n < room ? n : room;
    } else if (!strbuf_reserve(sb, n)) {
        return;
    }
    if (k > 0) {
        memset(sb->data + sb->len, c, k);
        sb->data[sb->len + k] = '\0';
    }
    sb->len += n;
}

void strbuf_vprintf(strbuf *sb, const char *fmt, va_list ap) {
    if (sb->failed)
        return;
    /* Straight into the room left; a second pass only when it was too small. */
    size_t room = sb->len < sb->cap ? sb->cap - sb->len : 0;
    char none[1];
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(room ? sb->data + sb->len : none, room ? room : 1, fmt, ap);
    if (n < 0) {
        va_end(again);
        return;
    }
    if ((size_t)n < room || sb->fixed) {
        sb->len += (size_t)n;
    } else if (strbuf_reserve(sb, (size_t)n)) {
        vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, again);
        sb->len += (size_t)n;
    }
    va_end(again);
}

void strbuf_printf(strbuf *sb, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    strbuf_vprintf(sb, fmt, ap);
    va_end(ap);
}

void strbuf_int(strbuf *sb, int64_t v) {
    char tmp[24];
    strbuf_put(sb, tmp, numtext_int(tmp, v));
}

/* A finite `v` rounded to `dec` (0..6) decimals at `p` (room for 28 bytes): numtext's text;
 * beyond int64 the integer part only, clamped (no number mmec prints is this large). */
static size_t fmt_finite(char *p, double v, int dec) {
    static const double scale[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
    double a = fabs(v) * scale[dec];
    if (a >= 9.0e18) {
        a = 9.0e18;
        dec = 0;
    }
    return numtext_scaled(p, v, a, dec);
}

size_t strbuf_fmt_num(char *buf, size_t cap, double v, int decimals) {
    char tmp[48];
    size_t n = 0;
    if (cap == 0)
        return 0;
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    if (isnan(v)) {
        memcpy(tmp, "nan", 3);
        n = 3;
    } else if (isinf(v)) {
        const char *s = v < 0 ? "-inf" : "inf";
        n = strlen(s);
        memcpy(tmp, s, n);
    } else if (cap > 27) {
        /* Room for any number: straight into the caller's buffer. */
        n = fmt_finite(buf, v, decimals);
        buf[n] = '\0';
        return n;
    } else {
        n = fmt_finite(tmp, v, decimals);
    }
    if (n >= cap)
        n = cap - 1;
    memcpy(buf, tmp, n);
    buf[n] = '\0';
    return n;
}

void strbuf_num(strbuf *sb, double v, int decimals) {
    char tmp[48];
    size_t n = strbuf_fmt_num(tmp, sizeof tmp, v, decimals);
    strbuf_put(sb, tmp, n);
}

static void put2(strbuf *sb, int v) {
    char b[2] = {(char)('0' + v / 10 % 10), (char)('0' + v % 10)};
    strbuf_put(sb, b, 2);
}

void strbuf_time(strbuf *sb, int64_t t) {
    tm_civil tm;
    tm_split(t, &tm);
    if (tm.year >= 0 && tm.year <= 9999) {
        put2(sb, tm.year / 100);
        put2(sb, tm.year % 100);
    } else {
        strbuf_int(sb, tm.year);
    }
    strbuf_putc(sb, '-');
    put2(sb, tm.month);
    strbuf_putc(sb, '-');
    put2(sb, tm.day);
    strbuf_putc(sb, 'T');
    put2(sb, tm.hour);
    strbuf_putc(sb, ':');
    put2(sb, tm.minute);
    strbuf_putc(sb, ':');
    put2(sb, tm.second);
    strbuf_putc(sb, 'Z');
}

void strbuf_json_escape(strbuf *sb, const char *s, size_t n) {
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        /* The run that needs no escape, in one append. */
        const unsigned char *q = p;
        while (q < end && *q >= 0x20 && *q != '"' && *q != '\\')
            q++;
        strbuf_put(sb, (const char *)p, (size_t)(q - p));
        if (q == end)
            break;
        switch (*q) {
        case '"': strbuf_put(sb, "\\\"", 2); break;
        case '\\': strbuf_put(sb, "\\\\", 2); break;
        case '\n': strbuf_put(sb, "\\n", 2); break;
        case '\t': strbuf_put(sb, "\\t", 2); break;
        case '\r': strbuf_put(sb, "\\r", 2); break;
        default: {
            char e[6] = {'\\', 'u', '0', '0', hex[*q >> 4], hex[*q & 15]};
            strbuf_put(sb, e, 6);
        }
        }
        p = q + 1;
    }
}

void strbuf_json_string(strbuf *sb, const char *s) {
    strbuf_putc(sb, '"');
    strbuf_json_escape(sb, s, strlen(s));
    strbuf_putc(sb, '"');
}

void strbuf_xml(strbuf *sb, const char *s) {
    for (; *s; s++) {
        switch (*s) {
        case '&': strbuf_puts(sb, "&amp;"); break;
        case '<': strbuf_puts(sb, "&lt;"); break;
        case '>': strbuf_puts(sb, "&gt;"); break;
        case '"': strbuf_puts(sb, "&quot;"); break;
        default: strbuf_putc(sb, *s);
        }
    }
}
