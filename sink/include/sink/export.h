/* export.h -- every stored verdict as NDJSON in the SPEC section 3 shape.
 *
 * The JSON of each verdict is what proto_verdict_to_json wrote for it when it was screened
 * ("hits": [] for a clean verdict), one per line, in arrival order. Reads through a read-only
 * connection, so it runs while the sink writes (WAL readers see the last commit). */
#ifndef SINK_EXPORT_H
#define SINK_EXPORT_H

#include <stdio.h>

#include "core/core.h"

/* Writes the verdicts of the database at db_path to 'out' (only parcel_id's when parcel_id is
 * not NULL). Returns 0; -ENOENT when parcel_id was given and has no verdict; or another
 * negative errno (-EIO also for a failed write to 'out'), with a reason in err. */
int sink_export_ndjson(const char *db_path, const char *parcel_id, FILE *out, char *err);

/* What a database holds beyond a point: the verdicts stored after arrival 'after' (the
 * insertion order), per channel, and the queue entries they made. */
typedef struct {
    int64_t last_arrival; /* the newest verdict's arrival; 0 for an empty database */
    uint64_t verdicts;    /* verdicts with arrival > after */
    uint64_t red, yellow, green;
    uint64_t queued; /* queue entries of those verdicts */
} sink_tally_t;

/* Counts through a read-only connection (an index range, so cheap on a large database: only
 * the rows after 'after' are read). A missing file counts as empty. Returns 0, or a negative
 * errno with a reason in err. `parcelscreen run` takes one before and one after a run, so the
 * counts it prints come from the database and stay exact when a stage was killed. */
int sink_tally(const char *db_path, int64_t after, sink_tally_t *out, char *err);

/* `parcelscreen export --db PATH [--parcel ID]`; argv[0] is "export". Returns 0, 1 (runtime)
 * or 2 (usage); errors as one line "parcelscreen: export: <why>" on stderr. */
int sink_export_main(int argc, char **argv);

#endif
