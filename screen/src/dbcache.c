/* dbcache.c -- the compiled-database file: serialized Hyperscan databases of a matcher.
 *
 * DESIGN
 *
 * Only the Hyperscan databases are cached: they are what is slow (the 25k-rule list of the
 * pipeline test compiles in seconds); the rule table, the sorted-token and exact-key tables and
 * the spelling-tolerant index are rebuilt from the CSVs on every start (tens of ms, measured in
 * screen/README.md), so the file never has to describe them and cannot disagree with them.
 *
 * Key (Suricata's sgh-mpm-caching idea, util-mpm-hs-cache.c): BLAKE2b-256 over
 *   - a tag naming this compile scheme (bumped when matcher.c compiles differently),
 *   - hs_version() and the host's hs_populate_platform() (tune, CPU features),
 *   - per text class: every literal exactly as compiled (normalised bytes, in pattern-id
 *     order, lengths included) and every regex with its flags.
 * The key is computed from what is compiled, not from the CSV bytes: a change of the lists, of
 * the normaliser (transliteration) or of validity dates that changes a pattern changes the key,
 * a change that compiles the same patterns (a weight, a note, a keyword's case) reuses it.
 *
 * File (host byte order; the key pins the host anyway):
 *   magic "PSHSDB01" | key[32] | u32 slots (= 2 x SCREEN_CLASS_COUNT: literal, regex per class)
 *   | u32 0 | u64 length per slot (0 = no database) | the serialized databases, in slot order
 *   | BLAKE2b-256 of everything before it.
 * Load checks, in order: size within S_MAX_FILE, header and slot count, lengths adding up to
 * the file size exactly (overflow-checked), the trailing digest (a truncated or bit-flipped
 * file stops here), the key, that each slot is present exactly when the matcher needs that
 * database, hs_serialized_database_size() and hs_deserialize_database() (Hyperscan's own
 * version/platform/size checks). Any failure is a reason string: the caller compiles instead
 * and rewrites the file. Measured (tests/screen/test_dbcache.c): Hyperscan 5.4.0 refuses a
 * damaged database header but loads a database with a changed byte in its bytecode, so the
 * digest is what catches bit flips there. The digest is not a signature: whoever can write the
 * file can make Hyperscan load any bytecode, so it must be as protected as the watchlists.
 *
 * Writing: FILE.tmp.<pid> then rename(), so a reader sees the old or the new file, never half
 * a file; a failure to write is a warning, never fatal. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/log.h"
#include "internal.h"

#define S_MAGIC "PSHSDB01"
#define S_MAGIC_LEN 8
#define S_SLOTS (2 * SCREEN_CLASS_COUNT)
#define S_HEADER (S_MAGIC_LEN + SCREEN__DBCACHE_KEY_LEN + 8 + 8 * S_SLOTS)
#define S_DIGEST 32
#define S_MAX_FILE ((size_t)1 << 32) /* 4 GiB: far above any database we compile */

/* Bump when matcher.c changes how it compiles (flags, rendering, mode, ids). */
static const char s_scheme[] = "parcelscreen-matcher-hs/1 lit=\\xNN,flags=0,block "
                               "regex=SOM_LEFTMOST,block ids=group-index";

static void s_hash_u64(crypto_generichash_state *h, uint64_t v)
{
    unsigned char le[8];
    for (int i = 0; i < 8; i++)
        le[i] = (unsigned char)(v >> (8 * i));
    crypto_generichash_update(h, le, sizeof(le));
}

static void s_hash_bytes(crypto_generichash_state *h, const void *p, size_t n)
{
    s_hash_u64(h, n);
    if (n)
        crypto_generichash_update(h, p, n);
}

void screen__dbcache_key(const screen_matcher_t *m, unsigned char key[SCREEN__DBCACHE_KEY_LEN])
{
    if (sodium_init() < 0) /* idempotent; BLAKE2b itself needs no more */
        core_log(CORE_LOG_DEBUG, "sodium_init failed");
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, SCREEN__DBCACHE_KEY_LEN);
    s_hash_bytes(&h, s_scheme, sizeof(s_scheme) - 1);
    const char *ver = hs_version();
    s_hash_bytes(&h, ver, strlen(ver));
    hs_platform_info_t plat;
    memset(&plat, 0, sizeof(plat));
    if (hs_populate_platform(&plat) == HS_SUCCESS) {
        s_hash_u64(&h, plat.tune);
        s_hash_u64(&h, plat.cpu_features);
    } else {
        s_hash_u64(&h, UINT64_MAX);
    }
    for (int cls = 0; cls < SCREEN_CLASS_COUNT; cls++) {
        const screen__class_db_t *c = &m->classes[cls];
        const screen__table_t *t = &c->literals;
        s_hash_u64(&h, (uint64_t)cls);
        s_hash_u64(&h, t->group_count);
        for (size_t g = 0; g < t->group_count; g++)
            s_hash_bytes(&h, t->keys + t->groups[g].key_off, t->groups[g].key_len);
        s_hash_u64(&h, c->regex_count);
        for (size_t i = 0; i < c->regex_count; i++) {
            const char *p = m->rules[c->regex_rule[i]].pattern;
            s_hash_bytes(&h, p, strlen(p));
        }
    }
    crypto_generichash_final(&h, key, SCREEN__DBCACHE_KEY_LEN);
}

static bool s_slot_wanted(const screen_matcher_t *m, int slot)
{
    const screen__class_db_t *c = &m->classes[slot / 2];
    return slot % 2 == 0 ? c->literals.group_count > 0 : c->regex_count > 0;
}

static hs_database_t **s_slot_db(screen_matcher_t *m, int slot)
{
    screen__class_db_t *c = &m->classes[slot / 2];
    return slot % 2 == 0 ? &c->literal_db : &c->regex_db;
}

static uint64_t s_get_u64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

static uint32_t s_get_u32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

/* Reads a whole regular file of at most S_MAX_FILE bytes. */
static int s_read_file(const char *path, unsigned char **data_p, size_t *len_p, char *why)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        core_err_set(why, "%s", strerror(e));
        return -e;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        core_err_set(why, "not a regular file");
        close(fd);
        return -EINVAL;
    }
    if ((uint64_t)sb.st_size > S_MAX_FILE) {
        core_err_set(why, "%lld bytes is too large", (long long)sb.st_size);
        close(fd);
        return -EFBIG;
    }
    size_t len = (size_t)sb.st_size;
    unsigned char *data = core_malloc(len ? len : 1);
    size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, data + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            core_err_set(why, "read: %s", n < 0 ? strerror(errno) : "file shrank");
            free(data);
            close(fd);
            return -EIO;
        }
        got += (size_t)n;
    }
    close(fd);
    *data_p = data;
    *len_p = len;
    return 0;
}

static void s_free_slots(screen_matcher_t *m)
{
    for (int s = 0; s < S_SLOTS; s++) {
        hs_database_t **db = s_slot_db(m, s);
        hs_free_database(*db);
        *db = NULL;
    }
}

int screen__dbcache_load(screen_matcher_t *m, const char *path,
                         const unsigned char key[SCREEN__DBCACHE_KEY_LEN], char *why)
{
    unsigned char *data = NULL;
    size_t len = 0;
    int rc = s_read_file(path, &data, &len, why);
    if (rc != 0)
        return rc;
    rc = -EINVAL;
    if (len < S_HEADER + S_DIGEST || memcmp(data, S_MAGIC, S_MAGIC_LEN) != 0) {
        core_err_set(why, "not a compiled watchlist file (%zu bytes)", len);
        goto out;
    }
    const unsigned char *p = data + S_MAGIC_LEN + SCREEN__DBCACHE_KEY_LEN;
    if (s_get_u32(p) != S_SLOTS || s_get_u32(p + 4) != 0) {
        core_err_set(why, "unknown layout (%u database slots)", s_get_u32(p));
        goto out;
    }
    p += 8;
    uint64_t lens[S_SLOTS];
    uint64_t total = S_HEADER + S_DIGEST;
    for (int s = 0; s < S_SLOTS; s++) {
        lens[s] = s_get_u64(p + 8 * (size_t)s);
        if (lens[s] > S_MAX_FILE || total + lens[s] > len) {
            core_err_set(why, "truncated or corrupt (database %d claims %llu bytes)", s,
                         (unsigned long long)lens[s]);
            goto out;
        }
        total += lens[s];
    }
    if (total != len) {
        core_err_set(why, "size %zu does not match its header (%llu)", len,
                     (unsigned long long)total);
        goto out;
    }
    unsigned char digest[S_DIGEST];
    crypto_generichash(digest, sizeof(digest), data, len - S_DIGEST, NULL, 0);
    if (sodium_memcmp(digest, data + len - S_DIGEST, S_DIGEST) != 0) {
        core_err_set(why, "checksum mismatch (truncated or corrupt)");
        goto out;
    }
    if (memcmp(data + S_MAGIC_LEN, key, SCREEN__DBCACHE_KEY_LEN) != 0) {
        rc = -ESTALE;
        core_err_set(why, "compiled for other lists, options or Hyperscan/CPU");
        goto out;
    }
    const unsigned char *blob = data + S_HEADER;
    for (int s = 0; s < S_SLOTS; s++) {
        if ((lens[s] != 0) != s_slot_wanted(m, s)) {
            core_err_set(why, "database %d %s", s, lens[s] ? "not expected" : "missing");
            goto out_free;
        }
        if (lens[s] == 0)
            continue;
        size_t dsize = 0;
        char *herr = NULL;
        if (hs_serialized_database_size((const char *)blob, (size_t)lens[s], &dsize) !=
                HS_SUCCESS ||
            dsize == 0 || dsize > S_MAX_FILE) {
            core_err_set(why, "database %d is not a serialized Hyperscan database", s);
            goto out_free;
        }
        hs_error_t he =
            hs_deserialize_database((const char *)blob, (size_t)lens[s], s_slot_db(m, s));
        if (he != HS_SUCCESS) {
            *s_slot_db(m, s) = NULL;
            core_err_set(why, "database %d: hs_deserialize_database failed (%d%s)", s, (int)he,
                         he == HS_DB_VERSION_ERROR    ? ", other Hyperscan version"
                         : he == HS_DB_PLATFORM_ERROR ? ", other CPU"
                                                      : "");
            goto out_free;
        }
        if (hs_database_info(*s_slot_db(m, s), &herr) != HS_SUCCESS) {
            core_err_set(why, "database %d: no database info", s);
            goto out_free;
        }
        free(herr);
        blob += lens[s];
    }
    rc = 0;
    goto out;

out_free:
    s_free_slots(m);
out:
    free(data);
    return rc;
}

int screen__dbcache_save(const screen_matcher_t *m, const char *path,
                         const unsigned char key[SCREEN__DBCACHE_KEY_LEN], char *err)
{
    core_buf_t buf;
    memset(&buf, 0, sizeof(buf));
    char *ser[S_SLOTS] = {0};
    size_t lens[S_SLOTS] = {0};
    int rc = 0;
    for (int s = 0; s < S_SLOTS; s++) {
        hs_database_t *db = *s_slot_db((screen_matcher_t *)m, s);
        if (db == NULL)
            continue;
        if (hs_serialize_database(db, &ser[s], &lens[s]) != HS_SUCCESS) {
            core_err_set(err, "hs_serialize_database failed");
            rc = -EIO;
            goto out;
        }
    }
    core_buf_append(&buf, S_MAGIC, S_MAGIC_LEN);
    core_buf_append(&buf, key, SCREEN__DBCACHE_KEY_LEN);
    uint32_t slots[2] = {S_SLOTS, 0};
    core_buf_append(&buf, slots, sizeof(slots));
    for (int s = 0; s < S_SLOTS; s++) {
        uint64_t l = lens[s];
        core_buf_append(&buf, &l, sizeof(l));
    }
    for (int s = 0; s < S_SLOTS; s++)
        if (lens[s])
            core_buf_append(&buf, ser[s], lens[s]);
    unsigned char digest[S_DIGEST];
    crypto_generichash(digest, sizeof(digest), (const unsigned char *)buf.data, buf.len, NULL, 0);
    core_buf_append(&buf, digest, sizeof(digest));

    char tmp[4096];
    if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof(tmp)) {
        core_err_set(err, "path too long");
        rc = -ENAMETOOLONG;
        goto out;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        rc = -errno;
        core_err_set(err, "%s: %s", tmp, strerror(errno));
        goto out;
    }
    size_t off = 0;
    while (off < buf.len) {
        ssize_t n = write(fd, buf.data + off, buf.len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            rc = -(n < 0 ? errno : EIO);
            core_err_set(err, "%s: write: %s", tmp, strerror(-rc));
            break;
        }
        off += (size_t)n;
    }
    if (rc == 0 && fsync(fd) != 0) {
        rc = -errno;
        core_err_set(err, "%s: fsync: %s", tmp, strerror(errno));
    }
    if (close(fd) != 0 && rc == 0) {
        rc = -errno;
        core_err_set(err, "%s: close: %s", tmp, strerror(errno));
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        rc = -errno;
        core_err_set(err, "rename to %s: %s", path, strerror(errno));
    }
    if (rc != 0)
        unlink(tmp);
out:
    for (int s = 0; s < S_SLOTS; s++)
        free(ser[s]);
    core_buf_clear(&buf);
    return rc;
}
