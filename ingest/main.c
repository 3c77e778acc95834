/* main.c -- the 'ingest' program: stage 1 of parcelscreen on its own.
 *
 * Sockets (defaults in proto/endpoints.h):
 *   parcels    PUSH, connects to screen  (>tcp://127.0.0.1:5601): PARCEL_BATCH, END out
 *   acks       PULL, binds               (@tcp://127.0.0.1:5603): ACK in, from sink
 *   producers  PULL, binds with --input zmq (@tcp://127.0.0.1:5600): MessagePack parcels in
 *   stats      PUSH, connects to --stats when given: STATS out */
#include "ingest/ingest.h"

int main(int argc, char **argv)
{
    return ingest_main(argc, argv);
}
