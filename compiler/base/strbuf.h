/* strbuf.h: the one growable text buffer of the library: appending bytes, numbers formatted
 * locale-independently (the library never calls setlocale, and its output must be
 * byte-identical whatever locale the embedding program chose), printf-style formatting, JSON
 * string and XML escaping. A buffer either grows through an allocator (alloc.h), or writes
 * into a caller's fixed array with snprintf's contract (strbuf_init_fixed). */
#ifndef MMEC_STRBUF_H
#define MMEC_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "alloc.h"

/* A buffer the caller owns: `data` holds `len` bytes and a NUL. Every allocation goes through
 * `alloc` (NULL: realloc/free). After an allocation failure `failed` is set, the text so far
 * is released and later writes are dropped: check `failed` once at the end (strbuf_take
 * returns NULL then). A fixed buffer never fails: it stores what fits and counts the rest in
 * `len`, as snprintf does. */
typedef struct strbuf {
    char *data;
    size_t len, cap;
    int failed;
    int fixed;                     /* writes into the caller's array: never grows */
    base_alloc_fn alloc;
    void *alloc_user;
} strbuf;

/* An empty buffer using `alloc` (may be NULL). Allocates nothing yet. */
void strbuf_init(strbuf *sb, base_alloc_fn alloc, void *alloc_user);
/* A buffer writing into `buf` (`cap` bytes, may be 0): at most cap - 1 bytes and a NUL are
 * stored, `len` counts every byte written, so len >= cap says the text was cut. */
void strbuf_init_fixed(strbuf *sb, char *buf, size_t cap);
/* Releases the text; the buffer is empty and usable again. Accepts NULL. */
void strbuf_free(strbuf *sb);
/* Empties the buffer, keeping its memory for what is written next. */
void strbuf_reset(strbuf *sb);
/* Cuts the text to its first `len` bytes (nothing when it is no longer). */
void strbuf_truncate(strbuf *sb, size_t len);
/* Hands the text to the caller (NUL-terminated; release it with the same allocator, `cap`
 * bytes, or with free() for the default allocator) and empties the buffer. NULL when empty or
 * after a failure. */
char *strbuf_take(strbuf *sb, size_t *len, size_t *cap);
/* Room for `n` more bytes and the NUL without another allocation; 0 when memory ran out (the
 * buffer has failed) or a fixed buffer cannot hold them. */
int strbuf_reserve(strbuf *sb, size_t n);

/* The append that does not fit the room left: grows, cuts (fixed) or drops (failed). */
void strbuf_put_slow(strbuf *sb, const char *s, size_t n);

/* Appends are inline for the common case of room left: the emitters append a few bytes at a
 * time, millions of times for a large file. */
static inline void strbuf_put(strbuf *sb, const char *s, size_t n) {
    if (sb->len + n < sb->cap) {
        memcpy(sb->data + sb->len, s, n);
        sb->len += n;
        sb->data[sb->len] = '\0';
    } else {
        strbuf_put_slow(sb, s, n);
    }
}
static inline void strbuf_puts(strbuf *sb, const char *s) { strbuf_put(sb, s, strlen(s)); }
static inline void strbuf_putc(strbuf *sb, char c) {
    if (sb->len + 1 < sb->cap) {
        sb->data[sb->len++] = c;
        sb->data[sb->len] = '\0';
    } else {
        strbuf_put_slow(sb, &c, 1);
    }
}
/* `n` copies of `c`. */
void strbuf_pad(strbuf *sb, char c, size_t n);
/* printf-style formatting (vsnprintf, so %f and %g follow the C locale only if the embedder
 * left LC_NUMERIC alone: numbers in output use strbuf_int and strbuf_num instead). */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void strbuf_printf(strbuf *sb, const char *fmt, ...);
void strbuf_vprintf(strbuf *sb, const char *fmt, va_list ap);
/* A signed integer in decimal. */
void strbuf_int(strbuf *sb, int64_t v);
/* `v` rounded to `decimals` (0..6) places, trailing zeros after the point dropped, '.' as the
 * decimal point whatever the locale; "nan", "inf", "-inf" for non-finite values. */
void strbuf_num(strbuf *sb, double v, int decimals);
/* `t` (seconds since 1970-01-01 UTC) as ISO-8601 UTC: 2026-01-01T08:00:00Z (the date from
 * tm.h). */
void strbuf_time(strbuf *sb, int64_t t);
/* A JSON string literal (quotes and escapes) of the NUL-terminated `s`. */
void strbuf_json_string(strbuf *sb, const char *s);
/* The `n` bytes of `s` escaped as inside a JSON string literal (RFC 8259 §7): '"', '\\' and
 * the control characters, \n, \t and \r by name, the others as \u00XX. */
void strbuf_json_escape(strbuf *sb, const char *s, size_t n);
/* `s` with &, <, >, " escaped for XML text and attributes. */
void strbuf_xml(strbuf *sb, const char *s);

/* The same formatting into a fixed array (for sim_reason and tests): writes at most `cap`
 * bytes including the NUL and returns the length written. */
size_t strbuf_fmt_num(char *buf, size_t cap, double v, int decimals);

#endif
