/* socket.c -- ZeroMQ socket helpers: endpoint lists with CZMQ-style '@'/'>' prefixes.
 *
 * Every socket gets an explicit linger and high-water marks, because libzmq's defaults
 * (linger -1, HWM 1000) hang zmq_ctx_term and hide back-pressure. */
#include "proto/socket.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

/* Longest single endpoint we accept (ipc paths are at most 107 bytes on Linux). */
#define S_MAX_ENDPOINT 1024

/* Copies the next comma-separated entry of *list (spaces trimmed) into out; advances *list.
 * Returns its length, or -1 when the entry is too long. */
static int s_next_endpoint(const char **list, char *out, size_t cap)
{
    const char *s = *list;
    const char *comma = strchr(s, ',');
    const char *end = comma ? comma : s + strlen(s);
    *list = comma ? comma + 1 : end;
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    size_t len = (size_t)(end - s);
    if (len >= cap)
        return -1;
    memcpy(out, s, len);
    out[len] = '\0';
    return (int)len;
}

int proto_socket_attach(void *sock, const char *endpoints, bool default_bind, char *err)
{
    core_assert(sock != NULL);
    core_assert(endpoints != NULL);
    const char *list = endpoints;
    int attached = 0;
    while (*list != '\0') {
        char entry[S_MAX_ENDPOINT];
        int len = s_next_endpoint(&list, entry, sizeof(entry));
        if (len < 0) {
            core_err_set(err, "endpoint longer than %d bytes in '%.64s...'", S_MAX_ENDPOINT - 1,
                         endpoints);
            return -EINVAL;
        }
        if (len == 0)
            continue;
        bool bind = default_bind;
        const char *endpoint = entry;
        if (entry[0] == '@' || entry[0] == '>') {
            bind = entry[0] == '@';
            endpoint++;
        }
        if (*endpoint == '\0') {
            core_err_set(err, "empty endpoint after '%c'", entry[0]);
            return -EINVAL;
        }
        int rc = bind ? zmq_bind(sock, endpoint) : zmq_connect(sock, endpoint);
        if (rc != 0) {
            core_err_set(err, "%s %s: %s", bind ? "bind" : "connect", endpoint,
                         zmq_strerror(zmq_errno()));
            return -EINVAL;
        }
        attached++;
    }
    if (attached == 0) {
        core_err_set(err, "no endpoint in '%s'", endpoints);
        return -EINVAL;
    }
    return 0;
}

void *proto_socket_new(void *ctx, int type, const char *endpoints, bool default_bind, int hwm,
                       int linger_ms, char *err)
{
    core_assert(ctx != NULL);
    core_assert(endpoints != NULL);
    void *sock = zmq_socket(ctx, type);
    if (sock == NULL) {
        core_err_set(err, "socket type %d: %s", type, zmq_strerror(zmq_errno()));
        return NULL;
    }
    if (zmq_setsockopt(sock, ZMQ_LINGER, &linger_ms, sizeof(linger_ms)) != 0 ||
        zmq_setsockopt(sock, ZMQ_SNDHWM, &hwm, sizeof(hwm)) != 0 ||
        zmq_setsockopt(sock, ZMQ_RCVHWM, &hwm, sizeof(hwm)) != 0) {
        core_err_set(err, "socket options (linger %d, hwm %d): %s", linger_ms, hwm,
                     zmq_strerror(zmq_errno()));
        goto out_close;
    }
    if (proto_socket_attach(sock, endpoints, default_bind, err) != 0)
        goto out_close;
    return sock;

out_close:
    proto_socket_close(&sock);
    return NULL;
}

void proto_socket_close(void **sock_p)
{
    core_assert(sock_p != NULL);
    if (*sock_p == NULL)
        return;
    zmq_close(*sock_p);
    *sock_p = NULL;
}

int proto_socket_send(void *sock, const core_buf_t *buf, int flags)
{
    core_assert(sock != NULL);
    core_assert(buf != NULL);
    static const char empty[1] = {0};
    const void *data = buf->len ? buf->data : empty;
    /* EINTR goes back to the caller, whose loop checks the stop flag. */
    if (zmq_send(sock, data, buf->len, flags) < 0)
        return -zmq_errno();
    return 0;
}

void proto_socket_unlink_ipc(const char *endpoints)
{
    core_assert(endpoints != NULL);
    const char *list = endpoints;
    while (*list != '\0') {
        char entry[S_MAX_ENDPOINT];
        int len = s_next_endpoint(&list, entry, sizeof(entry));
        if (len <= 0)
            continue;
        const char *endpoint = entry;
        if (entry[0] == '@' || entry[0] == '>')
            endpoint++;
        static const char scheme[] = "ipc://";
        if (strncmp(endpoint, scheme, sizeof(scheme) - 1) != 0)
            continue;
        const char *path = endpoint + sizeof(scheme) - 1;
        /* '@' names the abstract namespace and '*' a wildcard: no file behind either. */
        if (path[0] == '\0' || path[0] == '@' || path[0] == '*')
            continue;
        unlink(path);
    }
}
