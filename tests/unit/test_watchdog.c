/* test_watchdog.c: the command line's last resort (compiler/cli/cli_watchdog.c), in a child process: armed,
 * it ends a call stuck past every limit with status 70, a message on stderr and the pending
 * temporary output removed; disarmed (seconds 0), it never fires. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli.h"

/* Runs a child that arms the watchdog for `arm` seconds, disarms it when `disarm`, then spins
 * for `spin` seconds; returns its exit status. */
static int child(double arm, int disarm, double spin, const char *tmp, int errfd) {
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(errfd, STDERR_FILENO);
        if (cli_watchdog_arm(arm, tmp) != 0)
            _exit(3);
        if (disarm && cli_watchdog_arm(0, NULL) != 0)
            _exit(4);
        struct timespec t0, t;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        do    /* busy: like a C call that never returns to the count hook */
            clock_gettime(CLOCK_MONOTONIC, &t);
        while ((double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9 < spin);
        _exit(0);
    }
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    return WEXITSTATUS(st);
}

static void fires_removes_the_temporary_file_and_exits_70(void **state) {
    (void)state;
    char tmp[] = "/tmp/mmec-watchdog-XXXXXX", err[] = "/tmp/mmec-watchdog-err-XXXXXX";
    int fd = mkstemp(tmp), efd = mkstemp(err);
    assert_true(fd >= 0 && efd >= 0);
    close(fd);
    assert_int_equal(child(0.1, 0, 5.0, tmp, efd), 70);
    assert_int_equal(access(tmp, F_OK), -1);
    char buf[200] = "";
    assert_true(pread(efd, buf, sizeof buf - 1, 0) > 0);
    assert_non_null(strstr(buf, "stopped by the watchdog"));
    close(efd);
    unlink(err);
}

static void disarmed_never_fires(void **state) {
    (void)state;
    char tmp[] = "/tmp/mmec-watchdog-XXXXXX";
    int fd = mkstemp(tmp);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(child(0.1, 1, 0.3, tmp, STDERR_FILENO), 0);
    assert_int_equal(access(tmp, F_OK), 0);
    unlink(tmp);
}

static void refuses_a_path_too_long(void **state) {
    (void)state;
    char longpath[5000];
    memset(longpath, 'a', sizeof longpath - 1);
    longpath[sizeof longpath - 1] = '\0';
    errno = 0;
    assert_int_equal(cli_watchdog_arm(30, longpath), -1);
    assert_int_equal(errno, ENAMETOOLONG);
    assert_int_equal(cli_watchdog_arm(0, NULL), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fires_removes_the_temporary_file_and_exits_70),
        cmocka_unit_test(disarmed_never_fires),
        cmocka_unit_test(refuses_a_path_too_long),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
