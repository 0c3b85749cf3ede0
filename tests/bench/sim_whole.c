/* sim_whole.c: `mmec simulate` as it ran before it streamed, for tests/bench/run: the trace
 * read whole into memory (mmec_trace_read), replayed with every decision recorded
 * (mmec_sim_run, options.record) and the report rendered from the timeline
 * (mmec_sim_report), then written to standard output. Usage: sim_whole POLICY.scale TRACE
 * [table|csv|json|summary]. The same bytes as `mmec simulate -q` for the report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmec.h"

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 20, n = 0, r;
    char *buf = malloc(cap);
    while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    *len = n;
    return buf;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: sim_whole POLICY.scale TRACE [table|csv|json|summary]\n");
        return 2;
    }
    const char *kind = argc > 3 ? argv[3] : "table";
    mmec_ctx *ctx = mmec_new(NULL);
    if (!ctx || mmec_compile_file(ctx, argv[1]) != MMEC_OK)
        return 1;
    size_t len;
    char *text = slurp(argv[2], &len);
    mmec_trace *t;
    if (!text || mmec_trace_read(ctx, argv[2], text, len, NULL, &t) != MMEC_OK)
        return 1;
    free(text);
    mmec_sim_options opt;
    mmec_sim_options_init(&opt);
    opt.record = strcmp(kind, "summary") != 0;
    mmec_sim *s;
    if (mmec_sim_open(ctx, 0, &opt, &s) != MMEC_OK || mmec_sim_run(s, t) != MMEC_OK)
        return 1;
    mmec_sim_report_kind k = strcmp(kind, "csv") == 0    ? MMEC_REPORT_CSV
                             : strcmp(kind, "json") == 0 ? MMEC_REPORT_JSON
                             : strcmp(kind, "summary") == 0 ? MMEC_REPORT_SUMMARY
                                                            : MMEC_REPORT_TABLE;
    char *out, *sum;
    size_t n, sn;
    if (mmec_sim_report(s, k, 0, &out, &n) != MMEC_OK ||
        mmec_sim_report(s, MMEC_REPORT_SUMMARY, 0, &sum, &sn) != MMEC_OK)
        return 1;
    fwrite(out, 1, n, stdout);
    if (k == MMEC_REPORT_TABLE) {
        fputc('\n', stdout);
        fwrite(sum, 1, sn, stdout);
    }
    mmec_buffer_free(ctx, out);
    mmec_buffer_free(ctx, sum);
    mmec_sim_free(s);
    mmec_trace_free(t);
    mmec_free(ctx);
    return 0;
}
