/* allowlist.h -- officers' false positives that screen suppresses next time.
 *
 * When an officer resolves a queue entry with outcome false_positive, every name hit of its
 * verdict becomes an allow-list entry (rule_id, name_key) in the same transaction, name_key
 * being the hit's 'matched' text: the party name as the rule matched it. Only kind 'name' hits
 * are taken: the issue asks for "party name + rule", and a keyword in a description or an HS
 * code is a statement about goods that one parcel's resolution should not silence for every
 * later parcel. The key is stored as matched; screen normalises it with the matcher's NAME
 * normalisation when it loads the list, so "ACME TRADING LTD" and "Acme Trading Ltd." are one
 * key there (the table may hold both spellings; they suppress the same hits).
 *
 * The entries leave the database as CSV (header rule_id,name_key,added_by,added_at,parcel_id,
 * RFC 4180 quoting, added_at RFC 3339 UTC), the format `screen --allowlist FILE` reads;
 * `parcelscreen run` exports them for its screen when its --db already has some. */
#ifndef SINK_ALLOWLIST_H
#define SINK_ALLOWLIST_H

#include <stdio.h>

#include "core/core.h"

#define SINK_ALLOWLIST_MAX_RULE_ID 256 /* bytes; longer rule ids are not allow-listed */
#define SINK_ALLOWLIST_MAX_NAME 4096   /* bytes (a manifest field's limit) */

/* One entry as the callback sees it; strings borrowed for the call. */
typedef struct {
    const char *rule_id;   /* watchlist rule id */
    const char *name_key;  /* the matched party name, as screened */
    const char *added_by;  /* the officer who resolved false_positive */
    int64_t added_at_ns;   /* when, wall-clock ns */
    const char *parcel_id; /* the resolved parcel it came from */
} sink_allowlist_entry_t;

/* Returns 0 to go on; anything else stops the walk and is returned. */
typedef int (*sink_allowlist_fn)(const sink_allowlist_entry_t *entry, void *arg);

/* Calls fn for every entry of the database at db_path, by rule_id then name_key (read-only
 * connection). Returns 0, fn's value, or a negative errno with a reason in err. */
int sink_allowlist_list(const char *db_path, sink_allowlist_fn fn, void *arg, char *err);

/* Writes the entries as CSV (header first) to out; *rows (may be NULL) gets the entry count.
 * Returns 0 or a negative errno (-EIO for a failed write) with a reason in err. */
int sink_allowlist_write_csv(const char *db_path, FILE *out, size_t *rows, char *err);

/* For `parcelscreen run`: when db_path exists and holds allow-list entries, writes them as CSV
 * to out_path (through out_path.tmp and a rename) and sets *rows; when the file does not exist,
 * is empty or has no allow-list table yet, writes nothing and sets *rows = 0. Returns 0 or a
 * negative errno with a reason in err. */
int sink_allowlist_export_file(const char *db_path, const char *out_path, size_t *rows, char *err);

/* Removes the entry (rule_id, name_key) (exact stored text). Returns 0, -ENOENT when there is
 * none, or another negative errno with a reason in err. */
int sink_allowlist_remove(const char *db_path, const char *rule_id, const char *name_key,
                          char *err);

/* `parcelscreen allowlist list|export|remove --db PATH ...`; argv[0] is "allowlist". Returns
 * 0, 1 (runtime failure, no such entry) or 2 (usage); errors as one line
 * "parcelscreen: allowlist: <why>" on stderr. */
int sink_allowlist_main(int argc, char **argv);

#endif
