/* bench.h -- 'parcelscreen bench': the end-to-end benchmark suite with baselines in the same run.
 *
 * Generates manifests ('parcelscreen generate'), cuts watchlists of the requested sizes from
 * the given SPEC lists (synthetic names beyond them), runs 'parcelscreen run' for every
 * configuration (manifest size, list size, screen workers, input format), runs GNU grep and
 * ripgrep over the same NDJSON file with the list's name and keyword patterns, measures the
 * matching ceiling in-process, and writes DIR/results.csv, DIR/results.md, DIR/micro.txt and
 * SVG plots. See BENCH.md for the columns and how to reproduce the numbers. */
#ifndef BENCHSUITE_BENCH_H
#define BENCHSUITE_BENCH_H

/* The command entry point: argv[0] = "bench", options as in --help. It starts children by
 * executing /proc/self/exe (or --exe), so it must run inside the 'parcelscreen' program.
 * Returns the exit code: 0 when every configuration ran (targets missed still return 0),
 * 1 when a configuration or a step failed (the results say which), 2 on a usage error. */
int bench_main(int argc, char **argv);

#endif
