/* signals.c -- signal handlers that only set flags. */
#include "core/signals.h"

#include <signal.h>
#include <string.h>

/* Set from signal handlers, read by the stage's main loop; sig_atomic_t needs no lock. */
static volatile sig_atomic_t s_stop;
static volatile sig_atomic_t s_reload;

static void s_on_signal(int sig)
{
    if (sig == SIGHUP)
        s_reload = 1;
    else
        s_stop = 1;
}

void core_signals_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = s_on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

bool core_signals_stop_requested(void)
{
    return s_stop != 0;
}

bool core_signals_take_reload(void)
{
    if (!s_reload)
        return false;
    s_reload = 0;
    return true;
}

void core_signals_request_stop(void)
{
    s_stop = 1;
}
