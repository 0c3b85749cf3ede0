/* cli_watchdog.c: the last resort against a hook stuck in one long C call.
 *
 * The count hook, the guards and the deadline stop every hook between two VM instructions; a
 * single C call that outlives them all (a bug in a guard, a pathological library function) is
 * ended by SIGALRM. A signal handler is process-wide state, so this belongs to the command line,
 * never to the library. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "cli.h"

/* Written by cli_watchdog_arm before the timer starts, read by the handler: the path of the
 * temporary output file to remove. */
static char tmp_to_unlink[4096];

/* Async-signal-safe only: write, unlink, _exit. */
static void on_alarm(int sig) {
    static const char msg[] = "mmec: a hook ran past every limit; stopped by the watchdog\n";
    (void)sig;
    ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)w;
    if (tmp_to_unlink[0] != '\0')
        unlink(tmp_to_unlink);
    _exit(70);
}

int cli_watchdog_arm(double seconds, const char *tmp_path) {
    struct itimerval it;
    memset(&it, 0, sizeof it);
    /* Stop a running timer first, so the handler never sees a half-copied path. */
    if (setitimer(ITIMER_REAL, &it, NULL) != 0)
        return -1;
    if (!(seconds > 0)) {
        tmp_to_unlink[0] = '\0';
        return 0;
    }
    if (tmp_path != NULL && strlen(tmp_path) >= sizeof tmp_to_unlink) {
        errno = ENAMETOOLONG;
        return -1;
    }
    if (tmp_path != NULL)
        memcpy(tmp_to_unlink, tmp_path, strlen(tmp_path) + 1);
    else
        tmp_to_unlink[0] = '\0';
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGALRM, &sa, NULL) != 0)
        return -1;
    if (seconds > 1e6)
        seconds = 1e6;
    it.it_value.tv_sec = (time_t)seconds;
    it.it_value.tv_usec = (suseconds_t)((seconds - (double)(time_t)seconds) * 1e6);
    if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0)
        it.it_value.tv_usec = 1;
    return setitimer(ITIMER_REAL, &it, NULL);
}
