/* signals.h -- SIGTERM/SIGINT/SIGHUP become flags that loops poll.
 *
 * Handlers only set sig_atomic_t flags; stage loops check them between batches and use poll
 * timeouts, so no work is interrupted half-done. */
#ifndef CORE_SIGNALS_H
#define CORE_SIGNALS_H

#include "core/core.h"

/* Installs handlers for SIGTERM, SIGINT, SIGHUP; ignores SIGPIPE. */
void core_signals_install(void);
/* True once SIGTERM or SIGINT arrived. */
bool core_signals_stop_requested(void);
/* True once per SIGHUP (the call clears it). */
bool core_signals_take_reload(void);
/* For tests and controllers: behave as if SIGTERM arrived. */
void core_signals_request_stop(void);

#endif
