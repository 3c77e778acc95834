/* endpoints.h -- default endpoints of every socket, in one place.
 *
 * '@' binds, '>' connects (CZMQ style). A deployment overrides them in deploy/config/<stage>.conf;
 * 'parcelscreen run' replaces them with ipc endpoints in a private directory. */
#ifndef PROTO_ENDPOINTS_H
#define PROTO_ENDPOINTS_H

/* ingest PULL, producers push MessagePack parcels here (used with --input zmq). */
#define PROTO_ENDPOINT_PRODUCERS "tcp://127.0.0.1:5600"
/* screen PULL (bind) <- ingest PUSH (connect): PARCEL_BATCH, END. */
#define PROTO_ENDPOINT_PARCELS "tcp://127.0.0.1:5601"
/* sink PULL (bind) <- screen PUSH (connect): VERDICT_BATCH, END. */
#define PROTO_ENDPOINT_VERDICTS "tcp://127.0.0.1:5602"
/* ingest PULL (bind) <- sink PUSH (connect): ACK. */
#define PROTO_ENDPOINT_ACKS "tcp://127.0.0.1:5603"
/* sink PUB (bind): new officers' queue entries, topic "queue.new". */
#define PROTO_ENDPOINT_QUEUE_PUB "tcp://127.0.0.1:5604"

#endif
