/* mem.c -- jemalloc statistics through a weak mallctl reference. */
#include "core/mem.h"

#include <errno.h>
#include <stddef.h>

/* Resolved only when the program links jemalloc (built without a symbol prefix, as Debian's
 * libjemalloc is); otherwise the address is NULL. */
extern int mallctl(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen)
    __attribute__((weak));

int core_mem_stats(uint64_t *allocated, uint64_t *resident)
{
    *allocated = 0;
    *resident = 0;
    if (mallctl == NULL)
        return -ENOTSUP;
    /* Writing the epoch refreshes the cached statistics. */
    uint64_t epoch = 1;
    size_t len = sizeof(epoch);
    if (mallctl("epoch", &epoch, &len, &epoch, len) != 0)
        return -ENOTSUP;
    size_t a = 0;
    size_t r = 0;
    len = sizeof(a);
    if (mallctl("stats.allocated", &a, &len, NULL, 0) != 0)
        return -ENOTSUP;
    len = sizeof(r);
    if (mallctl("stats.resident", &r, &len, NULL, 0) != 0)
        return -ENOTSUP;
    *allocated = a;
    *resident = r;
    return 0;
}
