/* socket.h -- ZeroMQ socket helpers shared by the stages.
 *
 * Endpoint lists are comma-separated; each is "@endpoint" (bind), ">endpoint" (connect), or a
 * bare endpoint that gets the socket's default direction. */
#ifndef PROTO_SOCKET_H
#define PROTO_SOCKET_H

#include "core/buf.h"
#include "core/core.h"

/* Creates a socket of 'type' (ZMQ_PUSH, ...) in ctx, sets linger to 'linger_ms', both
 * high-water marks to 'hwm', and attaches it to 'endpoints'. Returns NULL with a reason in err
 * ("bind ipc:///x: Address already in use"). */
void *proto_socket_new(void *ctx, int type, const char *endpoints, bool default_bind, int hwm,
                       int linger_ms, char *err);

/* Attaches an existing socket. Returns 0 or -EINVAL with a reason in err. */
int proto_socket_attach(void *sock, const char *endpoints, bool default_bind, char *err);

/* Closes *sock_p (if not NULL) and sets it to NULL. */
void proto_socket_close(void **sock_p);

/* Sends buf's bytes as one frame (copied). flags as zmq_send. Returns 0 or -errno (-EAGAIN
 * with ZMQ_DONTWAIT when the peer is at its high-water mark, -ETERM on shutdown). */
int proto_socket_send(void *sock, const core_buf_t *buf, int flags);

/* Deletes the file behind an "ipc://" endpoint (for clean shutdown of a binder). */
void proto_socket_unlink_ipc(const char *endpoints);

#endif
