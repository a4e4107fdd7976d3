/* ward_serve.c - ward-serve, the program.
 *
 * Until the thread-pooled server of server/ lands (issue #4), this is a
 * minimal, single-threaded loop: accept one connection, read one request
 * head under a deadline, parse it with ward_parse_request() (feeding the
 * prev_len hint), answer it, close. Bad heads get the exact status of
 * ward_status_http(); GET and HEAD serve plain files lying directly in the
 * root directory. One request per connection, always `Connection: close`.
 */
#define _GNU_SOURCE /* accept4, SOCK_CLOEXEC, O_NOFOLLOW, MSG_NOSIGNAL */

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "ward_parse.h"

#define WARD_SERVE_VERSION "0.1.0-dev"

#define HEAD_DEADLINE_MS 10000 /* the whole head, not each read: slowloris */
#define SEND_TIMEOUT_S 10
#define HEAD_CAP WARD_DEFAULT_MAX_HEAD
#define ADDR_STR (NI_MAXHOST + NI_MAXSERV + 4) /* "[host]:port" */

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
    stop_signal = sig;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: ward-serve [--bind HOST:PORT] [--root DIR]\n"
            "       ward-serve --help | --version\n"
            "\n"
            "Serves the plain files directly inside DIR over HTTP/1.1; / is index.html.\n"
            "\n"
            "  --bind HOST:PORT  address to listen on (default 127.0.0.1:8080;\n"
            "                    [::1]:8080 for IPv6; port 0 picks a free port)\n"
            "  --root DIR        directory to serve (default site/)\n"
            "  --help            this text\n"
            "  --version         the version\n"
            "\n"
            "This is a minimal single-threaded loop, one request per connection;\n"
            "the thread-pooled server lands with issue #4.\n");
}

/* Split "HOST:PORT" or "[V6]:PORT" in place. */
static int split_bind(char *s, char **host, char **port)
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

static int listen_on(const char *host, const char *port)
{
    struct addrinfo hints, *res = NULL, *ai;
    int fd = -1, one = 1, rc;

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    rc = getaddrinfo(host, port, &hints, &res);
    if (rc != 0) {
        fprintf(stderr, "ward-serve: %s: %s\n", host, gai_strerror(rc));
        return -1;
    }
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0)
            continue;
        if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0 &&
            bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 64) == 0)
            break;
        close(fd);
        fd = -1;
    }
    if (fd < 0)
        fprintf(stderr, "ward-serve: cannot listen on %s:%s: %s\n", host, port, strerror(errno));
    freeaddrinfo(res);
    return fd;
}

static long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int send_all(int fd, const void *p, size_t n)
{
    const char *c = p;

    while (n > 0) {
        ssize_t w = send(fd, c, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

static const char *reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 417: return "Expectation Failed";
    case 431: return "Request Header Fields Too Large";
    case 505: return "HTTP Version Not Supported";
    default: return "Internal Server Error";
    }
}

/* A complete short text response; the connection closes after it. A
 * response to HEAD carries the length of the body it does not send. */
static off_t send_text(int fd, int status, const char *text, const char *extra, int head_only)
{
    char out[512];
    int n = snprintf(out, sizeof out,
                     "HTTP/1.1 %d %s\r\n"
                     "Content-Type: text/plain; charset=utf-8\r\n"
                     "Content-Length: %zu\r\n"
                     "%s"
                     "Connection: close\r\n"
                     "\r\n"
                     "%s%s",
                     status, reason(status), strlen(text) + 1, extra ? extra : "",
                     head_only ? "" : text, head_only ? "" : "\n");
    if (n <= 0 || (size_t)n >= sizeof out || send_all(fd, out, (size_t)n) != 0 || head_only)
        return 0;
    return (off_t)strlen(text) + 1;
}

static const char *content_type(const char *name)
{
    static const char *const map[][2] = {
        {".html", "text/html; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
        {".txt", "text/plain; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
        {".json", "application/json"},         {".svg", "image/svg+xml"},
        {".png", "image/png"},                 {".ico", "image/x-icon"},
    };
    const char *dot = strrchr(name, '.');

    for (size_t i = 0; dot != NULL && i < sizeof map / sizeof map[0]; i++)
        if (strcmp(dot, map[i][0]) == 0)
            return map[i][1];
    return "application/octet-stream";
}

/* The file name a path maps to: "/" is index.html, "/name" is name. NULL
 * for anything else: a '/' beyond the first, "..", '%' (no decoding, so
 * no encoded way around the other rules), a leading '.' or an empty name. */
static const char *file_for(const uint8_t *buf, ward_span path, char *name, size_t cap)
{
    const uint8_t *p = buf + path.off;
    size_t n = path.len;

    if (n == 0 || (n == 1 && p[0] == '/'))
        return "index.html";
    if (p[0] != '/' || n - 1 >= cap || p[1] == '.')
        return NULL;
    if (memchr(p + 1, '/', n - 1) != NULL || memchr(p + 1, '%', n - 1) != NULL)
        return NULL;
    memcpy(name, p + 1, n - 1);
    name[n - 1] = '\0';
    if (strstr(name, "..") != NULL)
        return NULL;
    return name;
}

/* Serve one file of the root; returns the status sent. */
static int send_file(int fd, int rootfd, const char *name, int head_only, off_t *sent)
{
    char hdr[512], chunk[16384];
    struct stat st;
    int n, ffd = openat(rootfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

    *sent = 0;
    /* O_NONBLOCK: a FIFO in the root must not stall the loop; it is then
     * refused as not a regular file. */
    if (ffd < 0 || fstat(ffd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (ffd >= 0)
            close(ffd);
        *sent = send_text(fd, 404, "not found", NULL, head_only);
        return 404;
    }
    n = snprintf(hdr, sizeof hdr,
                 "HTTP/1.1 200 OK\r\n"
                 "Content-Type: %s\r\n"
                 "Content-Length: %lld\r\n"
                 "X-Content-Type-Options: nosniff\r\n"
                 "Connection: close\r\n"
                 "\r\n",
                 content_type(name), (long long)st.st_size);
    if (n <= 0 || (size_t)n >= sizeof hdr || send_all(fd, hdr, (size_t)n) != 0 || head_only) {
        close(ffd);
        return 200;
    }
    while (*sent < st.st_size) {
        ssize_t r = read(ffd, chunk, sizeof chunk);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0 || send_all(fd, chunk, (size_t)r) != 0)
            break; /* the length is promised: closing short tells the client */
        *sent += r;
    }
    close(ffd);
    return 200;
}

/* Read until the head parses (or fails, or the deadline passes). */
static ward_status read_head(int fd, uint8_t *buf, size_t *len, ward_request *req,
                             ward_field *fields, size_t *nfields, int *timed_out)
{
    long deadline = now_ms() + HEAD_DEADLINE_MS;
    size_t prev_len = 0, cap = *nfields;
    ward_status st = WARD_AGAIN;

    *len = 0;
    *timed_out = 0;
    while (st == WARD_AGAIN) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        long left = deadline - now_ms();
        ssize_t r;

        if (*len == HEAD_CAP)
            return WARD_E_HEAD_TOO_LARGE; /* the parser's own limit says the same */
        if (stop_signal)
            return WARD_AGAIN;
        if (left <= 0) {
            *timed_out = 1;
            return WARD_AGAIN;
        }
        r = poll(&pfd, 1, (int)left);
        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0)
            continue; /* the deadline check above ends it */
        r = recv(fd, buf + *len, HEAD_CAP - *len, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return WARD_AGAIN; /* closed or reset before the head completed */
        *len += (size_t)r;
        *nfields = cap;
        st = ward_parse_request(buf, *len, prev_len, NULL, req, fields, nfields);
        prev_len = *len;
    }
    return st;
}

/* Give the client time to read the answer before a close could reset it. */
static void linger_close(int fd)
{
    char sink[4096];
    long deadline = now_ms() + 1000;
    size_t drained = 0;

    shutdown(fd, SHUT_WR);
    while (drained < 65536) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        long left = deadline - now_ms();
        ssize_t r;

        if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
            break;
        r = recv(fd, sink, sizeof sink, 0);
        if (r <= 0)
            break;
        drained += (size_t)r;
    }
    close(fd);
}

static void peer_name(const struct sockaddr_storage *sa, socklen_t salen, char *out, size_t cap)
{
    char host[NI_MAXHOST], serv[NI_MAXSERV];

    if (getnameinfo((const struct sockaddr *)sa, salen, host, sizeof host, serv, sizeof serv,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        snprintf(out, cap, "?");
    else if (sa->ss_family == AF_INET6)
        snprintf(out, cap, "[%s]:%s", host, serv);
    else
        snprintf(out, cap, "%s:%s", host, serv);
}

static void handle(int fd, int rootfd, const char *peer)
{
    static uint8_t buf[HEAD_CAP];
    ward_field fields[WARD_DEFAULT_MAX_FIELDS];
    size_t len, nfields = WARD_DEFAULT_MAX_FIELDS;
    ward_request req;
    struct timeval tv = {.tv_sec = SEND_TIMEOUT_S, .tv_usec = 0};
    char name[256];
    const char *file;
    int status, timed_out, head_only;
    off_t sent = 0;
    ward_status st;

    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    st = read_head(fd, buf, &len, &req, fields, &nfields, &timed_out);
    if (st == WARD_AGAIN) {
        if (timed_out && len > 0) {
            (void)send_text(fd, 408, "request head not complete in time", NULL, 0);
            fprintf(stderr, "%s - 408 (head deadline)\n", peer);
        } else if (len > 0) {
            fprintf(stderr, "%s - closed before the head completed\n", peer);
        }
        linger_close(fd);
        return;
    }
    if (st != WARD_OK) {
        status = ward_status_http(st);
        (void)send_text(fd, status, ward_status_str(st), NULL, 0);
        fprintf(stderr, "%s - %d (%s)\n", peer, status, ward_status_str(st));
        linger_close(fd);
        return;
    }

    head_only = req.method.len == 4 && memcmp(buf + req.method.off, "HEAD", 4) == 0;
    if (!head_only && !(req.method.len == 3 && memcmp(buf + req.method.off, "GET", 3) == 0)) {
        status = 405;
        sent = send_text(fd, status, "only GET and HEAD are served", "Allow: GET, HEAD\r\n", 0);
    } else if ((file = file_for(buf, req.path, name, sizeof name)) == NULL) {
        status = 404;
        sent = send_text(fd, status, "not found", NULL, head_only);
    } else {
        status = send_file(fd, rootfd, file, head_only, &sent);
    }
    /* method and target are tokens and URI characters: printable as they are */
    fprintf(stderr, "%s \"%.*s %.*s HTTP/1.%u\" %d %lld\n", peer, (int)req.method.len,
            (const char *)buf + req.method.off, (int)req.target.len,
            (const char *)buf + req.target.off, (unsigned)req.version, status, (long long)sent);
    linger_close(fd);
}

int main(int argc, char **argv)
{
    char bind_default[] = "127.0.0.1:8080", *bind_arg = bind_default, *host, *port;
    const char *root = "site/";
    struct sigaction sa;
    struct sockaddr_storage addr;
    socklen_t alen = sizeof addr;
    char shown[ADDR_STR], hostbuf[NI_MAXHOST], portbuf[NI_MAXSERV];
    int lfd, rootfd;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--version") == 0) {
            printf("ward-serve %s\n", WARD_SERVE_VERSION);
            return 0;
        } else if (strcmp(a, "--bind") == 0 && i + 1 < argc) {
            bind_arg = argv[++i];
        } else if (strncmp(a, "--bind=", 7) == 0) {
            bind_arg = argv[i] + 7;
        } else if (strcmp(a, "--root") == 0 && i + 1 < argc) {
            root = argv[++i];
        } else if (strncmp(a, "--root=", 7) == 0) {
            root = a + 7;
        } else {
            fprintf(stderr, "ward-serve: unknown or incomplete option '%s'\n", a);
            usage(stderr);
            return 2;
        }
    }
    if (split_bind(bind_arg, &host, &port) != 0) {
        fprintf(stderr, "ward-serve: --bind wants HOST:PORT or [V6]:PORT\n");
        return 2;
    }
    rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0) {
        fprintf(stderr, "ward-serve: --root %s: %s\n", root, strerror(errno));
        return 1;
    }

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART: accept() returns EINTR */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    lfd = listen_on(host, port);
    if (lfd < 0) {
        close(rootfd);
        return 1;
    }
    if (getsockname(lfd, (struct sockaddr *)&addr, &alen) == 0 &&
        getnameinfo((struct sockaddr *)&addr, alen, hostbuf, sizeof hostbuf, portbuf,
                    sizeof portbuf, NI_NUMERICHOST | NI_NUMERICSERV) == 0)
        snprintf(shown, sizeof shown, "%s%s%s:%s", addr.ss_family == AF_INET6 ? "[" : "",
                 hostbuf, addr.ss_family == AF_INET6 ? "]" : "", portbuf);
    else
        snprintf(shown, sizeof shown, "%s:%s", host, port);
    fprintf(stderr,
            "ward-serve %s: minimal loop (the thread-pooled server lands with issue #4), "
            "serving %s on http://%s/\n",
            WARD_SERVE_VERSION, root, shown);

    while (!stop_signal) {
        struct sockaddr_storage peer;
        socklen_t plen = sizeof peer;
        char pname[ADDR_STR];
        int cfd = accept4(lfd, (struct sockaddr *)&peer, &plen, SOCK_CLOEXEC);

        if (cfd < 0) {
            if (errno == EMFILE || errno == ENFILE)
                (void)poll(NULL, 0, 100); /* out of descriptors: back off, do not spin */
            else if (errno != EINTR && errno != ECONNABORTED)
                fprintf(stderr, "ward-serve: accept: %s\n", strerror(errno));
            continue;
        }
        peer_name(&peer, plen, pname, sizeof pname);
        handle(cfd, rootfd, pname);
    }
    fprintf(stderr, "ward-serve: %s, exiting\n", stop_signal == SIGINT ? "SIGINT" : "SIGTERM");
    close(lfd);
    close(rootfd);
    return 0;
}
