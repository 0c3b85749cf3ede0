/* strbuf.h: the growable text buffer the runtime's report and trace modules write into, with
 * locale-independent number and time formatting (the library never calls setlocale, and its
 * output must be byte-identical whatever locale the embedding program chose). */
#ifndef MMEC_STRBUF_H
#define MMEC_STRBUF_H

#include <stddef.h>
#include <stdint.h>

#include "mmec.h"

/* A buffer the caller owns: `data` holds `len` bytes and a NUL. Every allocation goes through
 * `alloc` (NULL: realloc/free). After an allocation failure `failed` is set, later writes are
 * dropped, and the text is incomplete: check `failed` once at the end. */
typedef struct strbuf {
    char *data;
    size_t len, cap;
    int failed;
    mmec_alloc_fn alloc;
    void *alloc_user;
} strbuf;

/* An empty buffer using `alloc` (may be NULL). Allocates nothing yet. */
void strbuf_init(strbuf *sb, mmec_alloc_fn alloc, void *alloc_user);
/* Releases the text; the buffer is empty and usable again. Accepts NULL. */
void strbuf_free(strbuf *sb);
/* Hands the text to the caller (NUL-terminated; release it with the same allocator, `cap`
 * bytes, or with free() for the default allocator) and empties the buffer. NULL when empty or
 * after a failure. */
char *strbuf_take(strbuf *sb, size_t *len, size_t *cap);

void strbuf_put(strbuf *sb, const char *s, size_t n);
void strbuf_puts(strbuf *sb, const char *s);
void strbuf_putc(strbuf *sb, char c);
/* `n` copies of `c`. */
void strbuf_pad(strbuf *sb, char c, size_t n);
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
/* `s` with &, <, >, " escaped for XML text and attributes. */
void strbuf_xml(strbuf *sb, const char *s);

/* The same formatting into a fixed array (for sim_reason and tests): writes at most `cap`
 * bytes including the NUL and returns the length written. */
size_t strbuf_fmt_num(char *buf, size_t cap, double v, int decimals);

#endif
