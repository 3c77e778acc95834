/* allowlist.h -- officers' false positives: (rule, party name) pairs whose hits are suppressed.
 *
 * An allow-list file is CSV (RFC 4180) with a header naming at least rule_id and name_key (the
 * sink's `parcelscreen allowlist export` writes rule_id,name_key,added_by,added_at,parcel_id;
 * other columns are ignored). Entries are attached to a matcher and read by its scanners: a
 * hit of a name rule whose matched text, NAME-normalised exactly like the matcher normalises
 * names (normalize.h), equals an entry's normalised name_key for the same rule id is reported
 * with suppressed = true and left out of the risk score (SPEC section 3). Only name rules are
 * allow-listed; an entry whose rule id is not an active name rule of the matcher is kept out
 * and counted (lists change; that is not an error). */
#ifndef SCREEN_ALLOWLIST_H
#define SCREEN_ALLOWLIST_H

#include "core/core.h"
#include "screen/matcher.h"

#define SCREEN_ALLOWLIST_MAX_RULE_ID 256 /* bytes */
#define SCREEN_ALLOWLIST_MAX_NAME 4096   /* bytes */

typedef struct {
    size_t files;     /* allow-list files loaded */
    size_t entries;   /* records read */
    size_t active;    /* distinct (name rule, normalised name) pairs in effect */
    size_t unmatched; /* records whose rule id is not an active name rule */
} screen_allowlist_info_t;

/* Loads 'count' allow-list files and attaches them to 'matcher', replacing what it had. Call it
 * where the matcher is built, before any scanner of it exists (the stage's build path: start-up
 * and reload). Any bad record refuses the whole set with "file:line: reason" in err (CORE_ERR_LEN
 * bytes): unreadable file, missing column, unterminated quote, wrong field count, empty or too
 * long rule_id or name_key, invalid UTF-8, a name_key without letters or digits. The matcher is
 * unchanged then. Returns 0, -EINVAL (a bad record), or the file's read error (-errno, -EIO,
 * -EFBIG over 256 MiB). */
int screen_matcher_load_allowlist(screen_matcher_t *matcher, const char *const *paths, size_t count,
                                  char *err);

/* What is attached (all zero when nothing is). */
screen_allowlist_info_t screen_matcher_allowlist_info(const screen_matcher_t *matcher);

#endif
