/* fuzz_watchlist.c -- libFuzzer target: the watchlist loader (screen/watchlist.h).
 *
 * screen_watchlist_load() only takes paths, so each run writes its input to memfds and passes
 * "/proc/self/fd/N". A form feed byte splits the input into up to FUZZ_MAX_FILES files, so
 * duplicate ids across files and per-file line numbers get exercised. 'today' is fixed so
 * runs are reproducible. An accepted watchlist must hold only rules that satisfy the header's
 * promises; a refused one must say why on one line. */
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "screen/watchlist.h"

#define FUZZ_MAX_FILES 3

static int s_memfd(const uint8_t *data, size_t size)
{
    int fd = memfd_create("fuzz-watchlist", MFD_CLOEXEC);
    if (fd < 0)
        fuzz_fail("memfd_create", "failed");
    size_t done = 0;
    while (done < size) {
        ssize_t n = write(fd, data + done, size - done);
        if (n <= 0)
            fuzz_fail("memfd write", "failed");
        done += (size_t)n;
    }
    return fd;
}

static void s_check(const screen_watchlist_t *wl, size_t files)
{
    if (screen_watchlist_file_count(wl) != files)
        fuzz_fail("watchlist", "file count changed");
    const char *version = screen_watchlist_version(wl);
    if (version == NULL || strlen(version) != 19 || strncmp(version, "wl-", 3) != 0)
        fuzz_fail("watchlist", "bad version string");
    if (screen_watchlist_description(wl) == NULL)
        fuzz_fail("watchlist", "no description");
    for (size_t i = 0; i < screen_watchlist_size(wl); i++) {
        const screen_rule_t *r = screen_watchlist_rule(wl, i);
        if (r->id == NULL || r->list == NULL || r->pattern == NULL || r->note == NULL)
            fuzz_fail("watchlist rule", "NULL string");
        if (r->id[0] == '\0' || r->list[0] == '\0' || r->pattern[0] == '\0')
            fuzz_fail("watchlist rule", "empty id, list or pattern");
        if (r->kind >= SCREEN_KIND_COUNT)
            fuzz_fail("watchlist rule", "kind out of range");
        if (r->scope == 0 || (r->scope >> 19) != 0)
            fuzz_fail("watchlist rule", "scope empty or out of range");
        if (r->weight < 1 || r->weight > 100)
            fuzz_fail("watchlist rule", "weight outside 1..100");
        if (r->file >= files || r->line < 1)
            fuzz_fail("watchlist rule", "bad file or line");
        if (!core_utf8_valid(r->pattern, strlen(r->pattern)) ||
            !core_utf8_valid(r->id, strlen(r->id)))
            fuzz_fail("watchlist rule", "invalid UTF-8 accepted");
        if (screen_kind_name(r->kind) == NULL)
            fuzz_fail("watchlist rule", "kind without a name");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fds[FUZZ_MAX_FILES];
    char names[FUZZ_MAX_FILES][64];
    const char *paths[FUZZ_MAX_FILES];
    size_t files = 0;
    size_t start = 0;
    while (files < FUZZ_MAX_FILES) {
        const uint8_t *ff = memchr(data + start, '\f', size - start);
        size_t stop = ff != NULL && files + 1 < FUZZ_MAX_FILES ? (size_t)(ff - data) : size;
        fds[files] = s_memfd(data + start, stop - start);
        snprintf(names[files], sizeof(names[files]), "/proc/self/fd/%d", fds[files]);
        paths[files] = names[files];
        files++;
        if (stop == size)
            break;
        start = stop + 1;
    }

    screen_watchlist_opts_t opts = {.today = "2026-03-01"};
    char err[CORE_ERR_LEN] = "";
    screen_watchlist_t *wl = screen_watchlist_load(paths, files, &opts, err);
    if (wl == NULL) {
        if (err[0] == '\0' || strchr(err, '\n') != NULL)
            fuzz_fail("watchlist refused", "reason empty or not one line");
    } else {
        s_check(wl, files);
        screen_watchlist_destroy(&wl);
    }
    for (size_t i = 0; i < files; i++)
        close(fds[i]);
    return 0;
}
