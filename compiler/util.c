/* util.c: small text helpers shared by the parser and the checker ("did you mean"). */
#include <string.h>

#include "internal.h"

/* Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions),
 * giving up above `limit`. Words longer than 64 bytes are never close to anything. */
static size_t distance(const char *a, size_t la, const char *b, size_t lb, size_t limit) {
    enum { MAXW = 64 };
    if (la > MAXW || lb > MAXW)
        return limit + 1;
    size_t d[MAXW + 1][MAXW + 1];
    for (size_t i = 0; i <= la; i++) d[i][0] = i;
    for (size_t j = 0; j <= lb; j++) d[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v) v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    }
    return d[la][lb];
}

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; }

const char *util_closest(const char *word, size_t wlen, const void *candidates, size_t n,
                         size_t stride) {
    char w[65];
    if (wlen == 0 || wlen > 64)
        return NULL;
    for (size_t i = 0; i < wlen; i++) w[i] = (char)lower((unsigned char)word[i]);
    size_t limit = wlen / 3;
    if (limit < 1) limit = 1;
    if (limit > 3) limit = 3;
    const char *best = NULL;
    size_t bestd = limit + 1;
    for (size_t i = 0; i < n; i++) {
        const char *c = *(const char *const *)(const void *)((const char *)candidates + i * stride);
        if (c == NULL)
            continue;
        char lc[65];
        size_t cl = strlen(c);
        if (cl > 64)
            continue;
        for (size_t k = 0; k < cl; k++) lc[k] = (char)lower((unsigned char)c[k]);
        size_t dd = distance(w, wlen, lc, cl, limit);
        if (dd < bestd) {
            bestd = dd;
            best = c;
        }
    }
    return best;
}

/* The text of `s` mixed into `h` eight bytes at a time (each word by a multiply and a shift,
 * then its length): the ids are tens of bytes, and FNV-1a's multiply per byte was a chain of
 * eighty. */
static uint64_t mix_text(uint64_t h, const char *s) {
    const uint64_t k = 0x9e3779b97f4a7c15ull;
    size_t n = strlen(s), len = n;
    for (; n >= 8; s += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * k;
        h ^= h >> 32;
    }
    uint64_t w = 0;
    memcpy(&w, s, n);
    h = (h ^ w) * k;
    h ^= h >> 32;
    return (h ^ len) * k;
}

/* The key of the checker's and the importer's hash tables (a file may name a million
 * targets): the resource id and the dimension mixed, finished with MurmurHash3's fmix64
 * before the tables mask it. */
uint32_t util_target_hash(const char *resource_id, const char *dim) {
    return hash_mix64(mix_text(mix_text(1469598103934665603ull, resource_id), dim));
}
