/* screen.h -- the screen stage: entry points for its program and for 'parcelscreen'.
 *
 * Sockets (defaults in proto/endpoints.h):
 *   --parcels  PULL, binds    <- ingest PUSH: PARCEL_BATCH, END
 *   --verdicts PUSH, connects -> sink PULL:   VERDICT_BATCH, END
 *   --stats    PUSH, connects -> controller:  STATS (optional)
 *   --control  PULL, binds    <- controller:  CONTROL "reload", "stop" (optional)
 * Threads: the caller's thread does all socket I/O; --workers scan threads each own a scanner;
 * a builder thread exists while a reload (SIGHUP or CONTROL "reload") compiles the lists. */
#ifndef SCREEN_SCREEN_H
#define SCREEN_SCREEN_H

#include "core/config.h"
#include "core/core.h"

/* Most scan workers a stage starts. */
#define SCREEN_MAX_WORKERS 64

/* The stage configuration; fields are filled by core_config_parse from the stage's table. */
typedef struct {
    core_strlist_t watchlist;      /* watchlist CSV files, in load order */
    char *parcels;                 /* PULL endpoint(s) for PARCEL_BATCH */
    char *verdicts;                /* PUSH endpoint(s) for VERDICT_BATCH */
    long workers;                  /* scan threads; 0 = online CPUs */
    long red;                      /* risk_score for channel red */
    long yellow;                   /* risk_score for channel yellow */
    double random_rate;            /* 0..1 share of parcels selected at random */
    long random_seed;              /* seed of the random selection */
    char *stats;                   /* STATS endpoint, NULL = none */
    long stats_interval_ms;        /* period of STATS messages */
    bool once;                     /* exit 0 after END has been forwarded */
    char *log_level;               /* error|warn|info|debug */
    long hwm;                      /* high-water mark of the stage sockets, in messages */
    double name_threshold;         /* similarity a spelling-tolerant name hit needs (0..1) */
    core_strlist_t list_threshold; /* "LIST=X" overrides of name_threshold per list */
    core_strlist_t allowlist;      /* allow-list CSV files (screen/allowlist.h), may be empty */
    char *compiled;                /* compiled-database file (load or write), NULL = none */
    char *control;                 /* PULL endpoint for CONTROL ("reload", "stop"), NULL */
} screen_config_t;

/* `screen` program / `parcelscreen screen`: parses argv (argv[0] = "screen") and runs the stage
 * until SIGTERM/SIGINT (or END with --once). Returns 0, 1 (runtime failure) or 2 (usage or
 * configuration error, including a refused watchlist). */
int screen_main(int argc, char **argv);

/* Runs the stage with a parsed configuration (what screen_main does after parsing). */
int screen_run(const screen_config_t *cfg);

/* `parcelscreen watchlist compile --watchlist F... --output FILE`: loads the lists and writes
 * the compiled-database file that `screen --compiled FILE` loads instead of compiling. Prints
 * the version, key and times. Returns 0, 1 (the file cannot be written) or 2 (usage, refused
 * lists). */
int screen_watchlist_compile_main(int argc, char **argv);

/* `parcelscreen watchlist check --watchlist F...`: loads and compiles the lists, prints rules
 * per kind and list, pattern counts, database sizes, compile time and the version on stdout.
 * Returns 0, or 2 with "parcelscreen: watchlist check: file:line: reason" on stderr. */
int screen_watchlist_check_main(int argc, char **argv);

#endif
