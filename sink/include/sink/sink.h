/* sink.h -- stage 3 of parcelscreen: stores verdicts durably, acknowledges them, feeds the
 * officers' queue.
 *
 * The stage PULLs VERDICT_BATCH messages from screen, stores each group of batches in one
 * SQLite transaction (idempotent per parcel_id), and only after COMMIT PUSHes ACK{seq,
 * parcels} to ingest and PUBlishes the new queue entries ("queue.new"). See sink/README.md for
 * sockets, options, schema and failure behaviour; store.h, queue.h and export.h for the
 * library underneath. */
#ifndef SINK_SINK_H
#define SINK_SINK_H

/* The stage entry point: argv[0] = "sink", options as in --help. Returns the exit code:
 * 0 ok (--once after END, or SIGTERM/SIGINT), 1 runtime failure (database cannot be opened or
 * a commit failed: nothing of that group was acknowledged), 2 usage or configuration error. */
int sink_main(int argc, char **argv);

#endif
