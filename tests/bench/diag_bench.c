/* diag_bench.c: what a diagnostic costs, through the public API (mmec.h). Compiles N one-line
 * policies of mixed metrics, a quarter of them MemoryUtilization (each draws a warning), with
 * no cap on the warnings shown, three ways in one process: diagnostics counted only; each
 * rendered GCC-style (mmec_diagnostic_render) and written to a file through a stdio buffer;
 * each rendered and written with one write(2) of its own (an unbuffered stderr, as the mmec
 * command prints them). The cost of a diagnostic is the difference to the first, divided by
 * the number of warnings. Usage: diag_bench N RUNS FILE (FILE receives the warnings). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mmec.h"

typedef struct sink {
    int mode;                   /* 0 count, 1 render + stdio, 2 render + write(2) */
    FILE *f;
    size_t n;
} sink;

static void on_diag(const mmec_diagnostic *d, void *user) {
    sink *s = user;
    s->n++;
    if (s->mode == 0)
        return;
    char buf[2048];
    size_t len = mmec_diagnostic_render(d, 0, buf, sizeof buf);
    if (len >= sizeof buf)
        len = sizeof buf - 1;
    if (s->mode == 1)
        fwrite(buf, 1, len, s->f);
    else if (write(fileno(s->f), buf, len) < 0)
        abort();
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double run(const char *src, size_t len, sink *s) {
    mmec_config cfg;
    mmec_config_init(&cfg);
    cfg.on_diagnostic = on_diag;
    cfg.diagnostic_user = s;
    cfg.max_warnings = SIZE_MAX;
    mmec_ctx *ctx = mmec_new(&cfg);
    if (ctx == NULL)
        exit(1);
    double t0 = now();
    if (mmec_compile_string(ctx, "mixed.scale", src, len) != MMEC_OK)
        exit(1);
    fflush(s->f);
    double t = now() - t0;
    mmec_free(ctx);
    return t;
}

int main(int argc, char **argv) {
    if (argc != 4)
        return 2;
    size_t n = strtoul(argv[1], NULL, 10), cap = n * 80 + 1, len = 0;
    int runs = atoi(argv[2]);
    char *src = malloc(cap);
    FILE *f = fopen(argv[3], "w");
    if (src == NULL || f == NULL)
        return 1;
    static const char *const metric[] = {"gpu avg 50%", "cpu avg 60%", "memory avg 70%",
                                         "invocations 100 per instance"};
    for (size_t i = 1; i <= n; i++)
        len += (size_t)snprintf(src + len, cap - len, "scale ep-%zu on %s cooldown in 10m out 5m\n",
                                i, metric[i % 4]);
    static const char *const what[] = {"counted only", "rendered, written through stdio",
                                       "rendered, one write(2) each"};
    double best[3] = {1e30, 1e30, 1e30};
    size_t warnings = 0;
    for (int r = 0; r < runs; r++)
        for (int m = 0; m < 3; m++) {
            sink s = {m, f, 0};
            rewind(f);
            double t = run(src, len, &s);
            if (t < best[m])
                best[m] = t;
            warnings = s.n;
        }
    printf("| diagnostics (%zu policies, %zu warnings) | compile ms (CPU) | per diagnostic us |\n",
           n, warnings);
    printf("|---|---:|---:|\n");
    for (int m = 0; m < 3; m++)
        printf("| %s | %.2f | %.2f |\n", what[m], best[m] * 1e3,
               m ? (best[m] - best[0]) / (double)warnings * 1e6 : 0.0);
    fclose(f);
    free(src);
    return 0;
}
