/* main.c -- 'parcelscreen', the one entry point (git-style): dispatches to the stages and tools.
 *
 * Every stage is also its own program (ingest, screen, sink); 'parcelscreen run' re-executes
 * this binary to start them as separate processes. */
#include <stdio.h>
#include <string.h>

#include "benchsuite/bench.h"
#include "cli/run.h"
#include "gen/gen.h"
#include "ingest/ingest.h"
#include "screen/import.h"
#include "screen/screen.h"
#include "sink/allowlist.h"
#include "sink/export.h"
#include "sink/queue.h"
#include "sink/sink.h"

typedef struct {
    const char *name;                  /* command word */
    int (*main)(int argc, char **argv); /* entry point, argv[0] = command word */
    const char *help;                  /* one line */
} cli_command_t;

static int s_watchlist_main(int argc, char **argv);

static const cli_command_t s_commands[] = {
    { "run", cli_run_main, "screen manifests end to end (ingest, screen, sink processes)" },
    { "ingest", ingest_main, "stage 1: read manifests, validate, send parcel batches" },
    { "screen", screen_main, "stage 2: match parcels against the watchlists" },
    { "sink", sink_main, "stage 3: store verdicts durably, keep the officers' queue" },
    { "export", sink_export_main, "print every stored verdict as NDJSON" },
    { "queue", sink_queue_main, "the officers' queue: list, show, claim, resolve" },
    { "allowlist", sink_allowlist_main, "officers' false positives: list, export, remove" },
    { "watchlist", s_watchlist_main, "watchlists: import official lists, check" },
    { "generate", gen_main, "generate a synthetic manifest with planted hits" },
    { "bench", bench_main, "benchmark suite: throughput, latency, baselines (BENCH.md)" },
};

static void s_usage(FILE *out)
{
    fprintf(out, "usage: parcelscreen <command> [options]   (parcelscreen <command> --help)\n\n"
                 "commands:\n");
    for (size_t i = 0; i < sizeof(s_commands) / sizeof(s_commands[0]); i++)
        fprintf(out, "  %-10s %s\n", s_commands[i].name, s_commands[i].help);
}

static int s_watchlist_main(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        FILE *out = argc < 2 ? stderr : stdout;
        fprintf(out, "usage: parcelscreen watchlist import|check|compile [options]\n"
                     "  import   turn an official list into SPEC watchlist CSV\n"
                     "  check    load and compile watchlists, print what they hold\n"
                     "  compile  write the compiled databases for screen --compiled\n");
        return argc < 2 ? 2 : 0;
    }
    if (!strcmp(argv[1], "import"))
        return screen_import_main(argc - 1, argv + 1);
    if (!strcmp(argv[1], "check"))
        return screen_watchlist_check_main(argc - 1, argv + 1);
    if (!strcmp(argv[1], "compile"))
        return screen_watchlist_compile_main(argc - 1, argv + 1);
    fprintf(stderr, "parcelscreen: watchlist: unknown subcommand '%s'\n", argv[1]);
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        s_usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        s_usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("parcelscreen %s\n", PARCELSCREEN_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof(s_commands) / sizeof(s_commands[0]); i++)
        if (!strcmp(argv[1], s_commands[i].name))
            return s_commands[i].main(argc - 1, argv + 1);
    fprintf(stderr, "parcelscreen: unknown command '%s' (see parcelscreen --help)\n", argv[1]);
    return 2;
}
