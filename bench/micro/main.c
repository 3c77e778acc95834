/* main.c -- one micro-benchmark program: BENCH_ENTRY names its entry point (set by CMake).
 *
 * Every bench_<module>_<what> program is this file compiled with
 * -DBENCH_ENTRY=bench_<module>_<what>_main and linked with that benchmark's library. */
#include "benchmicro/micro.h"

#ifndef BENCH_ENTRY
#error "BENCH_ENTRY must name the benchmark's entry point"
#endif

int main(int argc, char **argv)
{
    return BENCH_ENTRY(argc, argv);
}
