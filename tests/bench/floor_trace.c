/* floor_trace.c: the floor of `mmec simulate` for tests/bench/run: reads a CSV trace
 * (timestamp,value) in 64 KiB chunks and parses every line (an ISO-8601 UTC timestamp
 * "YYYY-MM-DDTHH:MM:SSZ" or epoch seconds, and the value with strtod), nothing else; prints
 * the count and the sum so that nothing is optimized away. Usage: floor_trace FILE. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static int num(const char *s, int n) {
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

static int64_t parse_time(const char *s, size_t len) {
    if (len >= 19 && s[4] == '-')
        return days_from_civil(num(s, 4), (unsigned)num(s + 5, 2), (unsigned)num(s + 8, 2)) * 86400 +
               num(s + 11, 2) * 3600 + num(s + 14, 2) * 60 + num(s + 17, 2);
    return strtoll(s, NULL, 10);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: floor_trace FILE\n");
        return 2;
    }
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) {
        perror(argv[1]);
        return 1;
    }
    static char buf[(1 << 16) + 4096];
    size_t have = 0, lines = 0;
    double sum = 0;
    int64_t tsum = 0;
    for (;;) {
        ssize_t n = read(fd, buf + have, sizeof buf - 1 - have);
        if (n < 0) {
            perror(argv[1]);
            return 1;
        }
        have += (size_t)n;
        buf[have] = '\0';
        size_t start = 0;
        char *nl;
        while ((nl = memchr(buf + start, '\n', have - start)) != NULL) {
            const char *line = buf + start;
            size_t len = (size_t)(nl - line);
            const char *comma = memchr(line, ',', len);
            if (comma && line[0] != '#' && (line[0] == '-' || (line[0] >= '0' && line[0] <= '9'))) {
                tsum += parse_time(line, (size_t)(comma - line));
                *nl = '\0';
                sum += strtod(comma + 1, NULL);
                lines++;
            }
            start = (size_t)(nl - buf) + 1;
        }
        memmove(buf, buf + start, have - start);
        have -= start;
        if (n == 0)
            break;
    }
    close(fd);
    printf("%zu datapoints, sum %g, time sum %lld\n", lines, sum, (long long)tsum);
    return 0;
}
