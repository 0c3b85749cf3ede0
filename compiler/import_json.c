/* import_json.c: the first stage of `mmec import`: the located JSON reader, which keeps each
 * value's byte span (cJSON does not) so that every finding points at the JSON that produced
 * it, and the memory the documents' trees live in, released document by document, with the
 * pages of a mapped input given back behind the reading. import.c recognises the documents
 * it reads and writes the .scale source. */
#define _DEFAULT_SOURCE      /* madvise's MADV_DONTNEED */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <unistd.h>

#include "import.h"
#include "internal.h"

#define MAX_DEPTH 64

static void *doc_alloc(importer *im, size_t n, int zero) {
    return import_pool_alloc(im, im->doc_mem, n, zero);
}

doc_mark import_doc_mark(const importer *im) {
    jblock *b = *im->doc_mem;
    return (doc_mark){b, b ? b->used : 0};
}

const jnode *import_read_at(importer *im, span loc, int lasting) {
    jreader r = {im->ctx, import_text(im, loc.start), loc.end, loc.start, 0, 0, !lasting, im,
                 lasting};
    const jnode *v = import_json_value(&r, 0);
    if (v == NULL)
        mem_fail(im->ctx);      /* it was read once: only memory can fail */
    return v;
}

void import_keep_names(importer *im) {
    import_read_again(im);
    for (size_t i = 0; i < im->nentries; i++) {
        entry *e = &im->entries[i];
        if (e->lazy && e->name == NULL && e->arn == NULL && e->name_loc.start != UINT32_MAX) {
            e->name = import_keep_node(im, im->line_mem, import_read_at(im, e->name_loc, 0),
                                       "PolicyName");
            mem_scratch_reset(im->ctx);
            import_drop_read(im, e->name_loc.end);
        }
    }
}

/* Frees what was allocated since mark `m`. */
void import_doc_release(importer *im, doc_mark m) {
    jblock *b = *im->doc_mem;
    while (b != m.b) {
        jblock *prev = b->prev;
        IMPORT_UNPOISON(b->data, b->size);
        mem_raw(im->ctx, b, sizeof *b + b->size, 0);
        b = prev;
    }
    *im->doc_mem = b;
    if (b) {
        b->used = m.used;
        IMPORT_POISON((char *)b->data + b->used, b->size - b->used);
    }
}

void import_doc_free(mmec_ctx *ctx, jblock *b) {
    while (b) {
        jblock *prev = b->prev;
        IMPORT_UNPOISON(b->data, b->size);      /* the allocator may write into it */
        mem_raw(ctx, b, sizeof *b + b->size, 0);
        b = prev;
    }
}

const jnode *import_keep_node(importer *im, jblock **pool, const jnode *v, const char *key) {
    if (v == NULL)
        return NULL;
    size_t n = sizeof(jnode) + v->slen + 1;
    jnode *c = pool ? import_pool_alloc(im, pool, n, 0) : mem_alloc(im->ctx, n);
    *c = *v;
    c->key = key;
    c->child = c->next = NULL;
    if (v->s) {
        char *text = (char *)(c + 1);
        memcpy(text, v->s, v->slen);
        text[v->slen] = '\0';
        c->s = text;
    }
    return c;
}

/* The pages of a mapped input (mmec_import_mapped) wholly below offset `upto`, in the input
 * that holds the byte before it, read already, are given back to the system, 256 KiB at
 * least at a time, 4 MiB while the checking compile runs beside the reading (each time, the
 * other processor running it is interrupted to forget those pages: at 256 KiB a time, an
 * import of 100,000 requests took 7% longer); they come back from the file if they are read
 * again (a diagnostic's line, the comparison after compiling). */
void import_drop_read(importer *im, size_t upto) {
    if (!im->mapped || upto == 0)
        return;
    ifile *f = &im->files[import_file_at(im, (uint32_t)(upto - 1))];
    if (upto > (size_t)f->base + f->src.len)      /* never past its mapping */
        upto = (size_t)f->base + f->src.len;
    if (upto < (size_t)f->dropped + ((size_t)1 << (*im->spec ? 22 : 18)))
        return;
    import_give_back(f->src.text - f->base, f->dropped, upto);
    f->dropped = (uint32_t)upto;
}

void import_give_back(const char *text, size_t from, size_t to) {
    long page = sysconf(_SC_PAGESIZE);
    if (page <= 0)
        return;
    uintptr_t a = (uintptr_t)(text + from), e = (uintptr_t)(text + to);
    a = (a + (uintptr_t)page - 1) / (uintptr_t)page * (uintptr_t)page;
    e = e / (uintptr_t)page * (uintptr_t)page;
    if (e > a)
        (void)madvise((void *)a, e - a, MADV_DONTNEED);      /* a hint: may fail */
}

void import_read_again(importer *im) {
    for (size_t k = 0; k < im->nfiles; k++)
        im->files[k].dropped = im->files[k].base;
}

/* ---- The located JSON reader ---- */

static void *jalloc(jreader *r, size_t n) {
    if (r->doc)
        return doc_alloc(r->im, n, 1);
    return r->scratch ? mem_scratch(r->ctx, n) : mem_alloc(r->ctx, n);
}

/* Room for a text the caller writes whole (it need not be zeroed). */
static char *jtext(jreader *r, size_t n) {
    return r->doc ? doc_alloc(r->im, n, 0) : jalloc(r, n);
}

static void jfail(jreader *r, size_t at, const char *msg) {
    if (!r->failed && r->report)
        import_error(r->im, "json-syntax", ((span){(uint32_t)at, (uint32_t)at + 1}), "%s", msg);
    r->failed = 1;
}

static inline int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* The end of the white space at `p` of `s` (`n` bytes). Compact JSON has none between its
 * tokens (one test); indented JSON (describe-* output as the AWS CLI prints it) has a line
 * end and up to twenty spaces before most tokens: sixteen bytes at a time to the first that
 * is not white space. */
static inline __attribute__((always_inline)) size_t space_end(const char *s, size_t n,
                                                              size_t p) {
    if (p >= n || !is_space(s[p]))
        return p;
#ifdef __SSE2__
    const __m128i sp = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t'), nl = _mm_set1_epi8('\n'),
                  cr = _mm_set1_epi8('\r');
    while (p + 16 <= n) {
        __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(s + p));
        __m128i ws = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(b, sp), _mm_cmpeq_epi8(b, tab)),
                                  _mm_or_si128(_mm_cmpeq_epi8(b, nl), _mm_cmpeq_epi8(b, cr)));
        unsigned other = ~(unsigned)_mm_movemask_epi8(ws) & 0xFFFFu;
        if (other)
            return p + (size_t)__builtin_ctz(other);
        p += 16;
    }
#endif
    while (p < n && is_space(s[p]))
        p++;
    return p;
}

/* White space at r->pos passed over. */
static inline __attribute__((always_inline)) void jskip(jreader *r) {
    r->pos = space_end(r->s, r->len, r->pos);
}

void import_json_skip(jreader *r) { jskip(r); }

static int hexval(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static int read_u4(jreader *r, size_t at, unsigned *cp) {
    if (at + 4 > r->len)
        return 0;
    *cp = 0;
    for (size_t i = 0; i < 4; i++) {
        int h = hexval(r->s[at + i]);
        if (h < 0)
            return 0;
        *cp = *cp * 16 + (unsigned)h;
    }
    return 1;
}

static size_t put_utf8(char *o, unsigned cp) {
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) { o[0] = (char)(0xC0 | cp >> 6); o[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12); o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | cp >> 18); o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* The bytes a string's plain run stops at: the closing quote, a backslash, a control
 * character. */
static const unsigned char string_stop[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    ['"'] = 1, ['\\'] = 1};

/* The offset of the closing quote of the string whose text starts at `start` (after its
 * opening quote), and whether it holds an escape; 0 after failing: a control character, no
 * closing quote. Inlined: the reader's hottest loop (a call cost 10% of the strings' time). */
static inline __attribute__((always_inline)) size_t string_end(jreader *r, size_t start,
                                                               int *escaped) {
    size_t end = start;
    const unsigned char *s = (const unsigned char *)r->s;
    *escaped = 0;
#ifdef __SSE2__
    /* Sixteen bytes at a time to the first that stops the run (most strings end in the first
     * or second block); never past the text's end, which may be a mapping's last page. */
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'),
                  space = _mm_set1_epi8(0x20);
    while (end + 16 <= r->len) {
        __m128i b = _mm_loadu_si128((const __m128i *)(s + end));
        __m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(b, quote),
                                                 _mm_cmpeq_epi8(b, backslash)),
                                    _mm_cmpeq_epi8(_mm_max_epu8(b, space), space));
        unsigned m = (unsigned)_mm_movemask_epi8(stop);
        /* max(b, 0x20) == 0x20: b <= 0x20, a control character or the space, which is
         * plain: it only ends the fast scan, the loop below goes on past it. */
        if (m == 0) {
            end += 16;
            continue;
        }
        end += (size_t)__builtin_ctz(m);
        break;
    }
#endif
    while (end < r->len && s[end] != '"') {
        /* Most bytes: four at a time while none stops the run. */
        while (end + 4 <= r->len && !(string_stop[s[end]] | string_stop[s[end + 1]] |
                                      string_stop[s[end + 2]] | string_stop[s[end + 3]]))
            end += 4;
        if (end < r->len && !string_stop[s[end]]) {
            end++;
            continue;
        }
        if (end >= r->len || s[end] == '"')
            break;
        if (s[end] < 0x20) {
            jfail(r, end, "a control character in a string must be escaped");
            return 0;
        }
        if (s[end] == '\\') {
            *escaped = 1;
            end += 2;
        } else {
            end++;
        }
    }
    if (end >= r->len) {
        jfail(r, start - 1, "unterminated string");
        return 0;
    }
    return end;
}

/* The text of a string with escapes, from `start` to `end` (its closing quote), decoded into
 * `o` (as long as the text at least: decoding never grows it), or only checked when `o` is
 * NULL; its length in *outlen, or 0 after failing on an escape. */
static int string_decode(jreader *r, size_t start, size_t end, char *o, size_t *outlen) {
    size_t n = 0;
    char u[4];
    for (size_t i = start; i < end; i++) {
        char c = r->s[i];
        if (c != '\\') {
            if (o)
                o[n] = c;
            n++;
            continue;
        }
        c = r->s[++i];
        const char *simple = strchr("\"\\/bfnrt", c);
        if (c != '\0' && simple) {
            if (o)
                o[n] = "\"\\/\b\f\n\r\t"[simple - "\"\\/bfnrt"];
            n++;
            continue;
        }
        unsigned cp, lo;
        if (c != 'u' || !read_u4(r, i + 1, &cp)) {
            jfail(r, i - 1, "invalid escape in a string");
            return 0;
        }
        i += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 < end + 1 && r->s[i + 1] == '\\' &&
            r->s[i + 2] == 'u' && read_u4(r, i + 3, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            i += 6;
        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            jfail(r, i - 5, "a lone UTF-16 surrogate in a string");
            return 0;
        }
        if (cp == 0) {
            jfail(r, i - 5, "a NUL character in a string");
            return 0;
        }
        n += put_utf8(o ? o + n : u, cp);
    }
    if (o)
        o[n] = '\0';
    *outlen = n;
    return 1;
}

/* A string at r->pos (the opening quote), decoded into the arena. */
static const char *jstring(jreader *r, size_t *outlen) {
    size_t start = r->pos + 1;
    int escaped;
    size_t end = string_end(r, start, &escaped);
    if (end == 0)
        return NULL;
    char *o = jtext(r, end - start + 1);
    if (!escaped) {      /* most strings: the text as it is */
        size_t n = end - start;
        memcpy(o, r->s + start, n);
        o[n] = '\0';
        *outlen = n;
    } else if (!string_decode(r, start, end, o, outlen)) {
        return NULL;
    }
    r->pos = end + 1;
    return o;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* The end of the number at r->pos, or 0 after failing. */
static inline __attribute__((always_inline)) size_t number_end(jreader *r) {
    size_t p = r->pos;
    if (p < r->len && r->s[p] == '-')
        p++;
    if (p < r->len && r->s[p] == '0')
        p++;
    else if (p < r->len && is_digit(r->s[p]))
        while (p < r->len && is_digit(r->s[p])) p++;
    else
        return jfail(r, r->pos, "invalid number"), 0;
    if (p < r->len && r->s[p] == '.') {
        if (++p >= r->len || !is_digit(r->s[p]))
            return jfail(r, p, "a digit must follow the decimal point"), 0;
        while (p < r->len && is_digit(r->s[p])) p++;
    }
    if (p < r->len && (r->s[p] == 'e' || r->s[p] == 'E')) {
        p++;
        if (p < r->len && (r->s[p] == '+' || r->s[p] == '-'))
            p++;
        if (p >= r->len || !is_digit(r->s[p]))
            return jfail(r, p, "a digit must follow the exponent"), 0;
        while (p < r->len && is_digit(r->s[p])) p++;
    }
    return p;
}

static void jnumber(jreader *r, jnode *v) {
    size_t p = number_end(r);
    if (p == 0)
        return;
    v->type = J_NUM;
    char *text = jtext(r, p - r->pos + 1);
    memcpy(text, r->s + r->pos, p - r->pos);
    text[p - r->pos] = '\0';
    v->s = text;
    v->slen = p - r->pos;
    /* A whole number of up to 15 digits is exact in a double: its digits need no strtod. */
    if (v->slen <= 15 && strspn(v->s, "0123456789") == v->slen) {
        double d = 0;
        for (size_t i = 0; i < v->slen; i++)
            d = d * 10 + (v->s[i] - '0');
        v->num = d;
    } else {
        v->num = strtod(v->s, NULL);
    }
    r->pos = p;
}

/* true, false or null at r->pos: 0, 1 or 2, r->pos after it; 3 when it is none of them. */
static size_t jword(jreader *r) {
    static const char *const words[] = {"true", "false", "null"};
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(words[i]);
        if (r->len - r->pos >= n && memcmp(r->s + r->pos, words[i], n) == 0) {
            r->pos += n;
            return i;
        }
    }
    return 3;
}

/* After a member or an item: 1 at a comma, 2 at `close`, each passed over; 0 at anything
 * else (r->pos at it). */
static inline __attribute__((always_inline)) int jnext(jreader *r, char close) {
    jskip(r);
    if (r->pos < r->len && (r->s[r->pos] == ',' || r->s[r->pos] == close))
        return r->s[r->pos++] == ',' ? 1 : 2;
    return 0;
}

/* The members of an object compared with each other as it is read: the few of a request's
 * objects; a larger object (quadratic to compare) is looked up member by member. */
#define UNIQUE_MAX 16

static void jcontainer(jreader *r, jnode *v, int depth) {
    int obj = r->s[r->pos] == '{';
    char close = obj ? '}' : ']';
    v->type = obj ? J_OBJ : J_ARR;
    r->pos++;
    jnode **tail = &v->child;
    size_t n = 0;      /* members compared for a key given twice (UNIQUE_MAX at most) */
    int dup = 0;
    jskip(r);
    if (r->pos < r->len && r->s[r->pos] == close) {
        v->unique = obj;
        r->pos++;
        return;
    }
    for (;;) {
        jskip(r);
        const char *key = NULL;
        span key_loc = {0, 0};
        size_t klen = 0;
        if (obj) {
            if (r->pos >= r->len || r->s[r->pos] != '"')
                return jfail(r, r->pos, "expected a member name in double quotes");
            key_loc.start = (uint32_t)r->pos;
            if ((key = jstring(r, &klen)) == NULL)
                return;
            key_loc.end = (uint32_t)r->pos;
            jskip(r);
            if (r->pos >= r->len || r->s[r->pos] != ':')
                return jfail(r, r->pos, "expected ':' after the member name");
            r->pos++;
        }
        if (obj && n <= UNIQUE_MAX) {
            /* The key compared with those before it by length and bytes, as import_get_n
             * matches a key: an object of unique keys is looked up to its first match. */
            for (const jnode *p = v->child; p; p = p->next)
                if (p->klen == klen && import_same_bytes(p->key, key, klen))
                    dup = 1;
            n++;
        }
        jnode *c = import_json_value(r, depth + 1);
        if (c == NULL)
            return;
        c->key = key;
        c->klen = (uint32_t)klen;
        c->key_loc = key_loc;
        *tail = c;
        tail = &c->next;
        int next = jnext(r, close);
        if (next == 1)
            continue;
        if (next == 2) {
            v->unique = obj && !dup && n <= UNIQUE_MAX;
            return;
        }
        return jfail(r, r->pos, obj ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

jnode *import_json_value(jreader *r, int depth) {
    jskip(r);
    if (r->pos >= r->len) {
        jfail(r, r->pos, "unexpected end of the JSON text");
        return NULL;
    }
    if (depth > MAX_DEPTH) {
        jfail(r, r->pos, "JSON nested too deeply");
        return NULL;
    }
    /* Zeroed here, where its size is known (a few stores, not a call). */
    jnode *v = r->doc ? import_pool_alloc(r->im, r->im->doc_mem, sizeof *v, 0) : jalloc(r, sizeof *v);
    memset(v, 0, sizeof *v);
    v->loc.start = (uint32_t)r->pos;
    char c = r->s[r->pos];
    if (c == '{' || c == '[') {
        jcontainer(r, v, depth);
    } else if (c == '"') {
        v->type = J_STR;
        v->s = jstring(r, &v->slen);
    } else if (c == '-' || is_digit(c)) {
        jnumber(r, v);
    } else {
        size_t i = jword(r);
        if (i < 3) {
            v->type = i == 2 ? J_NULL : J_BOOL;
            v->boolean = i == 0;
        } else {
            jfail(r, r->pos, "expected a JSON value");
            /* `AWSTemplateFormatVersion: ...` or `Resources:`: a template written in YAML. */
            if (depth == 0 && r->report && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
                import_note(r->im, ((span){(uint32_t)r->pos, (uint32_t)r->pos + 1}),
                          "mmec import reads JSON; convert a YAML template to JSON first");
        }
    }
    v->loc.end = (uint32_t)r->pos;
    return r->failed ? NULL : v;
}

/* ---- Passing over a value ----
 * What import_json_value reads, checked and passed over without making anything (the reader
 * reports nothing: r->report 0): 0 where import_json_value would fail. */

static inline __attribute__((always_inline)) int jvalid_string(jreader *r, int *escaped) {
    size_t n, end = string_end(r, r->pos + 1, escaped);
    if (end == 0 || (*escaped && !string_decode(r, r->pos + 1, end, NULL, &n)))
        return 0;
    r->pos = end + 1;
    return 1;
}

/* A member's name and its colon (after white space), passed over: the name's text from
 * *start to *end, *escaped when it holds an escape. */
static inline __attribute__((always_inline)) int jvalid_name(jreader *r, size_t *start,
                                                             size_t *end, int *escaped) {
    jskip(r);
    if (r->pos >= r->len || r->s[r->pos] != '"')
        return 0;
    *start = r->pos + 1;
    if (!jvalid_string(r, escaped))
        return 0;
    *end = r->pos - 1;
    jskip(r);
    if (r->pos >= r->len || r->s[r->pos] != ':')
        return 0;
    r->pos++;
    return 1;
}

static int jvalid(jreader *r, int depth) {
    jskip(r);
    if (r->pos >= r->len || depth > MAX_DEPTH)
        return 0;
    char c = r->s[r->pos];
    int escaped;
    if (c == '"')
        return jvalid_string(r, &escaped);
    if (c == '-' || is_digit(c)) {
        size_t end = number_end(r);
        r->pos = end ? end : r->pos;
        return end != 0;
    }
    if (c != '{' && c != '[')
        return jword(r) < 3;
    char close = c == '{' ? '}' : ']';
    r->pos++;
    jskip(r);
    if (r->pos < r->len && r->s[r->pos] == close) {
        r->pos++;
        return 1;
    }
    for (;;) {
        size_t start, end;
        if (c == '{' && !jvalid_name(r, &start, &end, &escaped))
            return 0;
        if (!jvalid(r, depth + 1))
            return 0;
        int next = jnext(r, close);
        if (next != 1)
            return next == 2;
    }
}

size_t import_json_members(jreader *r, jmember *m, size_t max) {
    if (r->pos >= r->len || r->s[r->pos] != '{')
        return 0;
    r->pos++;
    size_t n = 0;
    for (;;) {
        size_t start, end;
        int escaped;
        if (n >= max || !jvalid_name(r, &start, &end, &escaped) || escaped)
            return 0;
        jskip(r);
        m[n++] = (jmember){r->s + start, end - start, r->pos, 0};
        if (!jvalid(r, 1))
            return 0;
        m[n - 1].end = r->pos;
        int next = jnext(r, '}');
        if (next != 1)
            return next == 2 ? n : 0;
    }
}

/* ---- The same JSON, told from the text ---- */

/* The end of the number token at `p` of `s` (valid JSON: its characters run to the end). */
static size_t number_token_end(const char *s, size_t n, size_t p) {
    while (p < n && (is_digit(s[p]) || s[p] == '-' || s[p] == '+' || s[p] == '.' ||
                     s[p] == 'e' || s[p] == 'E'))
        p++;
    return p;
}

/* A number token's value, or NAN when it is too long to copy (the caller then compares
 * trees). */
static double token_value(const char *s, size_t n) {
    char buf[64];
    if (n >= sizeof buf)
        return NAN;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return strtod(buf, NULL);
}

int import_json_same(const char *a, size_t na, const char *b, size_t nb) {
    size_t i = 0, j = 0;
    while (i < na) {
        j = space_end(b, nb, j);
        if (j >= nb)
            return 0;
        char c = a[i];
        if (c == '"') {      /* a string: its bytes, escapes as written */
            if (b[j] != '"')
                return 0;
            /* Most strings have no escape: compared whole, their closing quote included. */
            const char *q = memchr(a + i + 1, '"', na - i - 1);
            size_t k = q ? (size_t)(q - a) - i : 0;
            if (q && memchr(a + i + 1, '\\', k - 1) == NULL) {
                if (nb - j <= k || memcmp(a + i, b + j, k + 1) != 0)
                    return 0;
                i += k + 1;
                j += k + 1;
                continue;
            }
            for (i++, j++; i < na && j < nb && a[i] == b[j] && a[i] != '"'; i++, j++)
                if (a[i] == '\\' && (++i >= na || ++j >= nb || a[i] != b[j]))
                    return 0;
            if (i >= na || j >= nb || a[i] != '"' || b[j] != '"')
                return 0;
            i++;
            j++;
        } else if (c == '-' || is_digit(c)) {      /* a number: its value (60 and 60.0) */
            size_t ie = number_token_end(a, na, i), je = number_token_end(b, nb, j);
            if (je == j)
                return 0;
            if (!(ie - i == je - j && memcmp(a + i, b + j, ie - i) == 0) &&
                !(token_value(a + i, ie - i) == token_value(b + j, je - j)))
                return 0;
            i = ie;
            j = je;
        } else {
            if (b[j] != c)
                return 0;
            i++;
            j++;
        }
    }
    return space_end(b, nb, j) == nb;
}

const jnode *import_child(const jnode *o, const char *key) {
    if (o == NULL || o->type != J_OBJ)      /* an array's items have no names */
        return NULL;
    for (const jnode *c = o->child; c; c = c->next)
        if (strcmp(c->key, key) == 0)
            return c;
    return NULL;
}
