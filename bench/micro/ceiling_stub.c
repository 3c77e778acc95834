/* ceiling_stub.c -- bench_ceiling_measure when screen or ingest is not built: says so.
 *
 * Linked into the suite instead of bench_screen_scan.c only while those stage libraries are
 * missing from the build, so 'parcelscreen bench' still runs and reports the ceiling as
 * unavailable. */
#include <errno.h>

#include "benchmicro/micro.h"

int bench_ceiling_measure(const bench_ceiling_opts_t *opts, bench_ceiling_result_t *out, char *err)
{
    (void)opts;
    (void)out;
    core_err_set(err, "the matching ceiling needs the screen and ingest libraries in this build");
    return -ENOSYS;
}
