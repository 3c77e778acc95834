/* pipeline_util.h -- helpers for tests that start the real parcelscreen processes. */
#ifndef TESTS_PIPELINE_UTIL_H
#define TESTS_PIPELINE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Makes a fresh directory under /tmp; returns a malloc'd path. */
char *pu_tmpdir(void);
/* Removes a directory tree made by pu_tmpdir. */
void pu_rmtree(const char *dir);
/* Runs argv (NULL-terminated) with stdout/stderr to the given files (NULL = /dev/null),
 * stdin from /dev/null; returns the wait status. */
int pu_run(char *const argv[], const char *out_path, const char *err_path);
/* Starts argv in the background; returns the pid. */
pid_t pu_spawn(char *const argv[], const char *out_path, const char *err_path);
/* Reads a whole file (NUL-terminated); returns malloc'd data or NULL. */
char *pu_read(const char *path, size_t *len);
/* Writes data to path. */
void pu_write(const char *path, const char *data, size_t len);
/* Parses "label:  N" from run's output; returns -1 when absent. */
long long pu_count(const char *text, const char *label);
/* Copies the string value of "key" in a JSON line into out; returns false if absent. */
bool pu_json_str(const char *line, const char *key, char *out, size_t out_len);

/* Lines of a file, split in place. */
typedef struct {
    char *data;   /* file contents, lines NUL-terminated in place */
    char **lines; /* line starts */
    size_t count; /* lines */
} pu_lines_t;

bool pu_lines_read(const char *path, pu_lines_t *out);
void pu_lines_free(pu_lines_t *lines);

/* Exported verdicts indexed by parcel id. */
typedef struct {
    pu_lines_t lines; /* export output */
    char **ids;       /* parcel id per line, sorted with 'sorted' */
    char **sorted;    /* lines sorted by parcel id */
} pu_verdicts_t;

bool pu_verdicts_load(const char *export_path, pu_verdicts_t *out);
/* The export line of a parcel, or NULL. */
const char *pu_verdicts_find(const pu_verdicts_t *v, const char *parcel_id);
/* True when two ids in a row are equal (a parcel with two verdicts). */
bool pu_verdicts_has_duplicates(const pu_verdicts_t *v);
void pu_verdicts_free(pu_verdicts_t *v);

/* True when the JSON line has a hit with this rule id. */
bool pu_line_has_rule(const char *line, const char *rule_id);

/* "dir/name", malloc'd (aborts when out of memory). */
char *pu_path(const char *dir, const char *name);
/* Sleeps ms milliseconds, through signals. */
void pu_sleep_ms(long ms);

/* The helpers below drive the parcelscreen binary (PS_PARCELSCREEN) and fail the calling
 * Criterion test on error. */

/* `generate --parcels N --seed S --out-dir dir --demo-watchlist`. */
void pu_generate_demo(const char *dir, const char *parcels, const char *seed);
/* `export --db db` into path. */
void pu_export(const char *db, const char *path);
/* Exports db into path and returns the verdicts sorted by parcel id without the time they
 * were screened at, one per line (malloc'd); asserts that no parcel has two verdicts.
 * *count (if not NULL) gets the number of verdicts. */
char *pu_canonical_export(const char *db, const char *path, size_t *count);

#endif
