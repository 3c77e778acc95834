/* ingest.h -- stage 1 of parcelscreen: reads manifests, validates them, sends PARCEL_BATCH.
 *
 * The stage reads NDJSON, CSV and MessagePack manifests (files, stdin, or producers pushing
 * MessagePack over ZeroMQ), rejects bad records to a reject log, and PUSHes batches of parcels
 * to screen under credit-based flow control: at most --max-in-flight batches that sink has not
 * yet acknowledged. See ingest/README.md for sockets, options and failure behaviour. */
#ifndef INGEST_INGEST_H
#define INGEST_INGEST_H

/* The stage entry point: argv[0] = "ingest", options as in --help. Returns the exit code:
 * 0 ok, 1 runtime failure (an input that cannot be read, no ACK progress), 2 usage or
 * configuration error. */
int ingest_main(int argc, char **argv);

#endif
