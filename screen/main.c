/* main.c -- the `screen` program: the screen stage on its own.
 *
 * Binds PULL --parcels (default tcp://127.0.0.1:5601) for PARCEL_BATCH and END from ingest;
 * connects PUSH --verdicts (default tcp://127.0.0.1:5602) for VERDICT_BATCH and END to sink;
 * optionally connects PUSH --stats for STATS. See screen/README.md. */
#include "screen/screen.h"

int main(int argc, char **argv)
{
    return screen_main(argc, argv);
}
