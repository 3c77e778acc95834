/* run.h -- 'parcelscreen run': the whole pipeline as three supervised child processes.
 *
 * DESIGN: the controller makes a private directory for ipc endpoints, binds a PULL socket for
 * the stages' STATS, and starts sink, screen and ingest by re-executing its own binary
 * (/proc/self/exe <stage> ... --once --stats >ipc://...). Each stage exits by itself once the
 * run is complete for it (END has passed through and, for ingest, every batch is acknowledged
 * as durable). The controller waits for the three final STATS and three clean exits, checks
 * the accounting of SPEC section 4 (read = screened + rejected, stored = screened) and prints
 * the counts.
 *
 * Supervision: a stage that dies by a signal or exits non-zero before the run is complete is
 * started again after a back-off (100 ms, doubling per crash within --restart-window, at most
 * 5 s), with one line on stderr per restart ("screen killed by signal 9; restart 2 in 200 ms");
 * the count is printed at the end. ingest re-sends every batch not yet acknowledged, and sink
 * keeps one verdict per parcel_id, so a restarted screen or sink loses and doubles nothing. A
 * sink that dies after a --once screen has finished brings screen back with it (ingest's
 * re-sent END needs a carrier). A restarted ingest reads its input again from the start (with
 * --state: from its resume file, counting the records it skips apart), with screen and sink
 * stopped (SIGTERM) and restarted beside it, so that nothing of the old ingest (an END in
 * flight would end a --once stage early) reaches the new one; sink stores only the parcels it
 * does not hold yet. ingest reading stdin is not restarted. Exit 2 (configuration) and 127
 * (cannot start) are never restarted, and a stage that dies more than --max-restarts times
 * within the window ends the run with an error naming it; the other stages are then stopped
 * with SIGTERM, then SIGKILL. The run is complete when ingest has every batch acknowledged and
 * has exited; after restarts, screen and sink (whose END may have died with a killed process)
 * get 2 s to end by END, then SIGTERM. --pid-dir writes <stage>.pid at every (re)start. The
 * printed verdict, channel and queue counts are what the database gained during the run.
 *
 * SIGTERM/SIGINT stop the pipeline in order: ingest first (it flushes its partial batch, waits
 * for every ACK, then END), then screen and sink, each given 5 s to end by END before
 * SIGTERM; run exits 0 when every stage ended cleanly and what ingest read was screened and
 * stored. */
#ifndef CLI_RUN_H
#define CLI_RUN_H

/* argv[0] = "run". Returns the process exit code. */
int cli_run_main(int argc, char **argv);

#endif
