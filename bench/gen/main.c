/* main.c -- 'parcelscreen-gen': the manifest generator as its own program.
 *
 * Writes files only; no sockets. Same options as 'parcelscreen generate --help'. */
#include "gen/gen.h"

int main(int argc, char **argv)
{
    argv[0] = "generate";
    return gen_main(argc, argv);
}
