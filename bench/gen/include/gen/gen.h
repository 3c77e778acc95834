/* gen.h -- synthetic parcel manifests with planted watchlist hits ('parcelscreen generate').
 *
 * Writes one set of parcels in the three SPEC encodings (NDJSON, flat CSV, MessagePack) plus a
 * truth file naming every planted hit, deterministically for a seed. See bench/README.md. */
#ifndef GEN_GEN_H
#define GEN_GEN_H

#include <stdbool.h>
#include <stdint.h>

/* The command entry point: argv[0] = "generate", options as in --help. Writes
 * DIR/manifest.{ndjson,csv,msgpack}, DIR/truth.csv and, with --demo-watchlist,
 * DIR/demo_watchlist.csv. Returns the exit code: 0 ok, 1 runtime failure (a file that cannot
 * be read or written), 2 usage or configuration error (bad option, unreadable watchlist). */
int gen_main(int argc, char **argv);

/* UPU S10 check digit of an 8-digit serial number (weights 8,6,4,2,3,5,9,7; 11 - sum mod 11,
 * 10 -> 0, 11 -> 5). 'serial' points at 8 ASCII digits. Returns '0'..'9'. */
char gen_s10_check_digit(const char *serial);

/* True when 'id' is a well-formed S10 identifier (2 letters, 8 digits, check digit, 2 letters)
 * whose check digit is right. */
bool gen_s10_valid(const char *id);

#endif
