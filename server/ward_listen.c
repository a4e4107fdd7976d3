/* SPDX-License-Identifier: MIT */
/* ward_listen.c - binding (TCP v4/v6, UNIX path, Linux abstract) and the
 * listener thread, which only accepts. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "ward_server_int.h"

static int fail_msg(char *err, size_t cap, const char *fmt, const char *arg, int e)
{
    if (err != NULL && cap > 0) {
        char what[256];
        snprintf(what, sizeof what, fmt, arg);
        if (e != 0)
            snprintf(err, cap, "%s: %s", what, strerror(e));
        else
            snprintf(err, cap, "%s", what);
    }
    return -1;
}

/* Whether the UNIX socket at sun may be in use: only a connect refused
 * (nobody accepts: a stale socket) or a path gone since says it is not.
 * A full backlog, a socket of another type, no permission: in use. */
static int unix_live(const struct sockaddr_un *sun, socklen_t len)
{
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    int live;

    if (fd < 0)
        return 0;
    live = connect(fd, (const struct sockaddr *)sun, len) == 0 || (errno != ECONNREFUSED && errno != ENOENT);
    close(fd);
    return live;
}

static int open_unix(ward_server *srv, const char *path, int abstract, char *err, size_t cap)
{
    struct sockaddr_un sun;
    size_t n = strlen(path);
    socklen_t len;
    struct stat st;
    int fd;

    memset(&sun, 0, sizeof sun);
    sun.sun_family = AF_UNIX;
    if (n == 0 || n + (abstract ? 1u : 0u) >= sizeof sun.sun_path)
        return fail_msg(err, cap, "bad UNIX socket name '%s'", path, 0);
    memcpy(sun.sun_path + (abstract ? 1 : 0), path, n);
    len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1u); /* NUL, or the leading 0 */
    if (!abstract && lstat(path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) /* never unlink what is not a socket */
            return fail_msg(err, cap, "%s exists and is not a socket", path, 0);
        if (unix_live(&sun, len)) /* never take the path of a running server */
            return fail_msg(err, cap, "%s is in use: a server accepts on it", path, 0);
        unlink(path); /* stale: left by a server that ended without removing it */
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return fail_msg(err, cap, "socket(%s)", path, errno);
    if (bind(fd, (struct sockaddr *)&sun, len) != 0) {
        int e = errno;
        close(fd);
        return fail_msg(err, cap, "bind %s", path, e);
    }
    if (!abstract) {
        if (srv->cfg.unix_mode != 0 && chmod(path, srv->cfg.unix_mode) != 0)
            ward_log(srv, WARD_LOG_WARN, "chmod %s: %s", path, strerror(errno));
        if (stat(path, &st) == 0)
            srv->unix_ino = st.st_ino;
        snprintf(srv->unix_path, sizeof srv->unix_path, "%s", path);
    }
    memcpy(&srv->bound, &sun, sizeof sun);
    srv->bound_len = len;
    srv->family = AF_UNIX;
    return fd;
}

static int split_hostport(char *s, char **host, char **port)
{
    char *colon;

    if (s[0] == '[') {
        char *close = strchr(s, ']');
        if (close == NULL || close[1] != ':')
            return -1;
        *close = '\0';
        *host = s + 1;
        *port = close + 2;
    } else {
        colon = strrchr(s, ':');
        if (colon == NULL)
            return -1;
        *colon = '\0';
        *host = s;
        *port = colon + 1;
    }
    if (**host == '\0' || **port == '\0' || strspn(*port, "0123456789") != strlen(*port) ||
        strlen(*port) > 5 || atoi(*port) > 65535)
        return -1;
    return 0;
}

static int try_tcp(ward_server *srv, const struct addrinfo *ai, int port0)
{
    int one = 1, zero = 0;
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);

    if (fd < 0)
        return -1;
    if (!port0)
        (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (srv->cfg.reuse_port)
        (void)setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    if (srv->cfg.nodelay >= 0) /* accepted sockets inherit it */
        (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (ai->ai_family == AF_INET6) /* "::" serves IPv4 too */
        (void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
    if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

static int open_tcp(ward_server *srv, char *spec, char *err, size_t cap)
{
    struct addrinfo hints, *res = NULL, *ai;
    char *host, *port;
    int fd = -1, rc, e = 0;

    if (split_hostport(spec, &host, &port) != 0)
        return fail_msg(err, cap, "bind address '%s': want HOST:PORT, [V6]:PORT, unix:PATH or @NAME",
                        srv->cfg.bind, 0);
    if (srv->cfg.reuse_port && atoi(port) == 0)
        return fail_msg(err, cap, "reuse_port with port 0 (%s)", srv->cfg.bind, 0);
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    rc = getaddrinfo(host, port, &hints, &res);
    if (rc != 0)
        return fail_msg(err, cap, "%s", gai_strerror(rc), 0);
    for (ai = res; ai != NULL && fd < 0; ai = ai->ai_next) {
        fd = try_tcp(srv, ai, atoi(port) == 0);
        if (fd < 0)
            e = errno;
    }
    freeaddrinfo(res);
    if (fd < 0)
        return fail_msg(err, cap, "bind %s", srv->cfg.bind, e);
    srv->bound_len = sizeof srv->bound;
    getsockname(fd, (struct sockaddr *)&srv->bound, &srv->bound_len);
    srv->family = srv->bound.ss_family;
    return fd;
}

int ward_listen_open(ward_server *srv, char *err, size_t cap)
{
    const char *b = srv->cfg.bind;
    int fd;

    if (strncmp(b, "unix:", 5) == 0 || b[0] == '/' || b[0] == '.') {
        if (srv->cfg.reuse_port)
            return fail_msg(err, cap, "reuse_port on a UNIX socket (%s)", b, 0);
        fd = open_unix(srv, b[0] == 'u' ? b + 5 : b, 0, err, cap);
    } else if (b[0] == '@') {
        fd = open_unix(srv, b + 1, 1, err, cap);
    } else {
        srv->bind_copy = strdup(b);
        if (srv->bind_copy == NULL)
            return fail_msg(err, cap, "out of memory", "", 0);
        fd = open_tcp(srv, srv->bind_copy, err, cap);
    }
    if (fd < 0)
        return -1;
    if (listen(fd, srv->cfg.backlog) != 0) {
        int e = errno;
        close(fd);
        return fail_msg(err, cap, "listen %s", b, e);
    }
    srv->lfd = fd;
    return 0;
}

static int accept_one(ward_server *srv, int fd, const struct sockaddr_storage *sa, socklen_t len)
{
    ward_conn *c;

    atomic_fetch_add_explicit(&srv->accepts, 1, memory_order_relaxed);
    c = ward_conn_new(srv, fd);
    if (c == NULL) {
        close(fd);
        return -1;
    }
    if (ward_conn_set_addr(c, sa, len) != 0) {
        ward_conn_free(c);
        return -1;
    }
    if (atomic_load(&srv->conns) > srv->cfg.max_conns || ward_pool_put(srv, c) != 0) {
        ward_reject(srv, c);
        return -1;
    }
    return 0;
}

int ward_server_adopt(ward_server *srv, int fd)
{
    struct sockaddr_storage sa;
    socklen_t len = sizeof sa;
    int fl = fcntl(fd, F_GETFL);

    memset(&sa, 0, sizeof sa);
    if (atomic_load(&srv->stopping) || fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) != 0) {
        close(fd);
        return -1;
    }
    if (getpeername(fd, (struct sockaddr *)&sa, &len) != 0)
        len = 0;
    return accept_one(srv, fd, &sa, len);
}

/* Accept until stopped; never read from a client. */
void *ward_listener_main(void *arg)
{
    ward_server *srv = arg;

    ward_thread_mark(srv);

    while (!atomic_load(&srv->stopping)) {
        struct pollfd pfd[2] = {{.fd = srv->lfd, .events = POLLIN}, {.fd = srv->stop_efd, .events = POLLIN}};

        if (poll(pfd, 2, -1) < 0 && errno != EINTR)
            break;
        if (pfd[1].revents != 0)
            break;
        for (;;) {
            struct sockaddr_storage sa;
            socklen_t len = sizeof sa;
            int fd = accept4(srv->lfd, (struct sockaddr *)&sa, &len, SOCK_CLOEXEC | SOCK_NONBLOCK);

            if (fd >= 0) {
                (void)accept_one(srv, fd, &sa, len);
                continue;
            }
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            atomic_fetch_add_explicit(&srv->accept_errors, 1, memory_order_relaxed);
            int e = errno; /* ward_log() may change it */
            char eb[128];  /* strerror(3) is not thread-safe: GNU strerror_r */
            ward_log(srv, WARD_LOG_ERROR, "accept: %s", strerror_r(e, eb, sizeof eb));
            if (e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM)
                (void)poll(pfd + 1, 1, 100); /* out of descriptors: back off, do not spin */
            break;
        }
    }
    return NULL;
}

/* Serve on fd, an inherited listening socket (systemd), instead of the one
 * ward_server_create() bound: call it before ward_server_start(). The
 * server owns fd from then on. The socket's path, if any, stays its
 * owner's: the server never unlinks it. (A stop-gap: the proper place is a
 * listen_fd member of ward_server_config.) */
int ward_server_use_listener(ward_server *srv, int fd, char *err, size_t cap)
{
    int type = 0, acc = 0, dom = 0, one = 1;
    socklen_t len = sizeof type;
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    struct stat st;

    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode) ||
        getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_STREAM ||
        (len = sizeof acc, getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &acc, &len)) != 0 || !acc ||
        (len = sizeof dom, getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &dom, &len)) != 0 ||
        (dom != AF_INET && dom != AF_INET6 && dom != AF_UNIX) ||
        getsockname(fd, (struct sockaddr *)&ss, &sl) != 0) {
        snprintf(err, cap, "descriptor %d is not a listening stream socket (TCP or UNIX)", fd);
        return -1;
    }
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0 ||
        fcntl(fd, F_SETFD, FD_CLOEXEC) != 0) {
        snprintf(err, cap, "descriptor %d: %s", fd, strerror(errno));
        return -1;
    }
    if (dom != AF_UNIX && srv->cfg.nodelay >= 0) /* accepted sockets inherit it */
        (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (srv->lfd >= 0)
        close(srv->lfd);
    if (srv->unix_path[0] != '\0') /* the socket ward_server_create() made */
        unlink(srv->unix_path);
    srv->unix_path[0] = '\0';
    srv->lfd = fd;
    memcpy(&srv->bound, &ss, sizeof ss);
    srv->bound_len = sl;
    srv->family = dom;
    return 0;
}
