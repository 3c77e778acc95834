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

/* `parcelscreen export --db PATH [--parcel ID]`; argv[0] is "export". Returns 0, 1 (runtime)
 * or 2 (usage); errors as one line "parcelscreen: export: <why>" on stderr. */
int sink_export_main(int argc, char **argv);

#endif
