/* main.c -- the `sink` program: stores verdicts, acknowledges them, publishes queue entries.
 *
 * Binds PULL socket to --verdicts (default tcp://127.0.0.1:5602): VERDICT_BATCH, END in.
 * Connects PUSH socket to --acks (default tcp://127.0.0.1:5603): ACK out, after each COMMIT.
 * Binds PUB socket to --queue-pub (default tcp://127.0.0.1:5604): "queue.new" + JSON out.
 * Connects PUSH socket to --stats (optional): STATS out. Everything else is in the library. */
#include "sink/sink.h"

int main(int argc, char **argv)
{
    return sink_main(argc, argv);
}
