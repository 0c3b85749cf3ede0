/* measure.c: runs a command several times and prints its best wall time and its peak
 * resident set size, for tests/bench/run. Usage: measure RUNS OUTFILE -- COMMAND ARGS...
 * (OUTFILE receives the command's standard output; /dev/null to discard it; with
 * MEASURE_STDERR=FILE in the environment, FILE receives its standard error). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 5 || strcmp(argv[3], "--") != 0) {
        fprintf(stderr, "usage: measure RUNS OUTFILE -- COMMAND ARGS...\n");
        return 2;
    }
    int runs = atoi(argv[1]);
    double best = 1e30;
    long peak = 0;
    for (int r = 0; r < runs; r++) {
        double t0 = now();
        pid_t pid = fork();
        if (pid == 0) {
            int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0)
                _exit(127);
            const char *errfile = getenv("MEASURE_STDERR");
            if (errfile != NULL) {
                int efd = open(errfile, O_WRONLY | O_CREAT | O_TRUNC, 0644);
                if (efd < 0 || dup2(efd, STDERR_FILENO) < 0)
                    _exit(127);
            }
            execvp(argv[4], argv + 4);
            _exit(127);
        }
        int status;
        struct rusage ru;
        /* RUSAGE_CHILDREN: the largest peak of the children waited for, all runs of one
         * command. */
        if (pid < 0 || waitpid(pid, &status, 0) < 0 || getrusage(RUSAGE_CHILDREN, &ru) != 0)
            return 1;
        double t = now() - t0;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "measure: %s failed (status %d)\n", argv[4], status);
            return 1;
        }
        if (t < best)
            best = t;
        if (ru.ru_maxrss > peak)
            peak = ru.ru_maxrss;
    }
    printf("%.6f %ld\n", best, peak);
    return 0;
}
