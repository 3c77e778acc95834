/* run.h -- 'parcelscreen run': the whole pipeline as three supervised child processes.
 *
 * DESIGN: the controller makes a private directory for ipc endpoints, binds a PULL socket for
 * the stages' STATS, and starts sink, screen and ingest by re-executing its own binary
 * (/proc/self/exe <stage> ... --once --stats >ipc://...). Each stage exits by itself once the
 * run is complete for it (END has passed through and, for ingest, every batch is acknowledged
 * as durable). The controller waits for the three final STATS and three clean exits, checks
 * the accounting of SPEC section 4 (read = screened + rejected, stored = screened) and prints
 * the counts. A stage that exits non-zero or dies by a signal ends the run with an error that
 * names it; the other stages are stopped with SIGTERM, then SIGKILL. */
#ifndef CLI_RUN_H
#define CLI_RUN_H

/* argv[0] = "run". Returns the process exit code. */
int cli_run_main(int argc, char **argv);

#endif
