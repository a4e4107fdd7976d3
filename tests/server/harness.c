/* SPDX-License-Identifier: MIT */
/* harness.c - see harness.h. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

int t_file_fd = -1;
size_t t_file_len;

static long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

void t_config(ward_server_config *cfg)
{
    ward_server_config_init(cfg);
    cfg->bind = "127.0.0.1:0";
    cfg->handler = t_app;
    cfg->min_threads = 2;
    cfg->max_threads = 8;
    /* fits the usual test limits (the default, 100,000, would be lowered
     * with an INFO line that tests capturing the log would see) */
    cfg->max_conns = 10000;
}

ward_server *t_start(ward_server_config *cfg)
{
    char err[256];
    ward_server *srv = ward_server_create(cfg, err, sizeof err);

    cr_assert_not_null(srv, "ward_server_create: %s", err);
    cr_assert_eq(ward_server_start(srv), 0);
    return srv;
}

static tconn *wrap(int fd)
{
    tconn *c = calloc(1, sizeof *c);

    cr_assert_not_null(c);
    c->fd = fd;
    c->cap = 1 << 20;
    c->buf = malloc(c->cap + 1);
    cr_assert_not_null(c->buf);
    return c;
}

tconn *tc_open(unsigned port)
{
    struct sockaddr_in sa;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    cr_assert_geq(fd, 0);
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert_eq(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0, "connect: %s", strerror(errno));
    return wrap(fd);
}

tconn *tc_open_unix(const char *path, int abstract)
{
    struct sockaddr_un sun;
    size_t n = strlen(path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    cr_assert_geq(fd, 0);
    memset(&sun, 0, sizeof sun);
    sun.sun_family = AF_UNIX;
    memcpy(sun.sun_path + (abstract ? 1 : 0), path, n);
    cr_assert_eq(connect(fd, (struct sockaddr *)&sun,
                         (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1)),
                 0, "connect %s: %s", path, strerror(errno));
    return wrap(fd);
}

void tc_close(tconn *c)
{
    if (c == NULL)
        return;
    close(c->fd);
    free(c->buf);
    free(c);
}

void tc_send(tconn *c, const void *p, size_t n)
{
    const char *s = p;

    while (n > 0) {
        ssize_t w = send(c->fd, s, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        cr_assert_gt(w, 0, "send: %s", strerror(errno));
        s += w;
        n -= (size_t)w;
    }
}

void tc_sends(tconn *c, const char *s)
{
    tc_send(c, s, strlen(s));
}

int tc_fill(tconn *c, int timeout_ms)
{
    struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
    ssize_t n;

    if (c->len == c->cap)
        return -1;
    if (poll(&pfd, 1, timeout_ms) <= 0)
        return -1;
    n = recv(c->fd, c->buf + c->len, c->cap - c->len, 0);
    if (n < 0)
        return errno == ECONNRESET ? 0 : -1;
    c->len += (size_t)n;
    c->buf[c->len] = '\0';
    return (int)n;
}

int tc_eof(tconn *c, int timeout_ms)
{
    int n;

    if (c->len > 0)
        return 0;
    n = tc_fill(c, timeout_ms);
    return n == 0 ? 1 : n > 0 ? 0 : -1;
}

size_t tc_read_to_eof(tconn *c)
{
    long deadline = now_ms() + T_DEADLINE_MS;

    while (now_ms() < deadline) {
        int n = tc_fill(c, (int)(deadline - now_ms()));
        if (n <= 0)
            break;
    }
    c->buf[c->len] = '\0';
    return c->len;
}

/* Make sure at least want bytes are buffered. */
static int need(tconn *c, size_t want, long deadline)
{
    while (c->len < want) {
        long left = deadline - now_ms();
        if (left <= 0 || tc_fill(c, (int)left) <= 0)
            return -1;
    }
    return 0;
}

static void take(tconn *c, size_t n)
{
    memmove(c->buf, c->buf + n, c->len - n);
    c->len -= n;
    c->buf[c->len] = '\0';
}

const char *tr_field(const tresp *r, const char *name, char *out, size_t cap)
{
    const char *p = strstr(r->head, "\r\n");
    size_t n = strlen(name);

    out[0] = '\0';
    while (p != NULL && p[2] != '\0') {
        const char *line = p + 2, *end = strstr(line, "\r\n");
        if (end == NULL)
            break;
        if ((size_t)(end - line) > n + 1 && strncasecmp(line, name, n) == 0 && line[n] == ':') {
            const char *v = line + n + 1;
            while (*v == ' ')
                v++;
            snprintf(out, cap, "%.*s", (int)(end - v), v);
            return out;
        }
        p = end;
    }
    return out;
}

static int read_chunked(tconn *c, tresp *r, long deadline)
{
    size_t at = 0;

    for (;;) {
        char *eol;
        unsigned long size;
        while ((eol = memmem(c->buf + at, c->len - at, "\r\n", 2)) == NULL)
            if (need(c, c->len + 1, deadline) != 0)
                return -1;
        size = strtoul((char *)c->buf + at, NULL, 16);
        at = (size_t)((uint8_t *)eol - c->buf) + 2;
        if (need(c, at + size + 2, deadline) != 0)
            return -1;
        if (size == 0) {
            take(c, at + 2); /* no trailers from ward */
            return 0;
        }
        r->body = realloc(r->body, r->body_len + size + 1);
        memcpy(r->body + r->body_len, c->buf + at, size);
        r->body_len += size;
        r->body[r->body_len] = '\0';
        if (memcmp(c->buf + at + size, "\r\n", 2) != 0)
            return -1;
        take(c, at + size + 2);
        at = 0;
    }
}

int tc_response(tconn *c, tresp *r, int no_body)
{
    long deadline = now_ms() + T_DEADLINE_MS;
    uint8_t *end;
    char cl[64], te[64];
    size_t hl;

    memset(r, 0, sizeof *r);
    r->body = calloc(1, 1);
    while ((end = memmem(c->buf, c->len, "\r\n\r\n", 4)) == NULL)
        if (need(c, c->len + 1, deadline) != 0)
            return -1;
    hl = (size_t)(end - c->buf) + 4;
    if (hl >= sizeof r->head || strncmp((char *)c->buf, "HTTP/1.", 7) != 0)
        return -1;
    memcpy(r->head, c->buf, hl);
    r->head[hl] = '\0';
    r->head_len = hl;
    r->status = atoi(r->head + 9);
    take(c, hl);
    if (no_body || r->status < 200 || r->status == 204 || r->status == 304)
        return 0;
    tr_field(r, "Content-Length", cl, sizeof cl);
    tr_field(r, "Transfer-Encoding", te, sizeof te);
    if (strcasecmp(te, "chunked") == 0) {
        r->chunked = 1;
        return read_chunked(c, r, deadline);
    }
    if (cl[0] != '\0') {
        size_t n = strtoul(cl, NULL, 10);
        if (need(c, n, deadline) != 0)
            return -1;
        r->body = realloc(r->body, n + 1);
        memcpy(r->body, c->buf, n);
        r->body[n] = '\0';
        r->body_len = n;
        take(c, n);
        return 0;
    }
    tc_read_to_eof(c); /* close-delimited */
    r->body = realloc(r->body, c->len + 1);
    memcpy(r->body, c->buf, c->len);
    r->body[c->len] = '\0';
    r->body_len = c->len;
    take(c, c->len);
    return 0;
}

void tr_free(tresp *r)
{
    free(r->body);
    r->body = NULL;
}

/* --- synchronisation with handlers --------------------------------------- */

static pthread_mutex_t sync_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t sync_cond = PTHREAD_COND_INITIALIZER;
static int sync_entered, sync_released;

void t_entered(void)
{
    pthread_mutex_lock(&sync_lock);
    sync_entered++;
    pthread_cond_broadcast(&sync_cond);
    pthread_mutex_unlock(&sync_lock);
}

int t_wait_entered(int n, int timeout_ms)
{
    struct timespec until;
    int rc = 0;

    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&sync_lock);
    while (sync_entered < n && rc == 0)
        rc = pthread_cond_timedwait(&sync_cond, &sync_lock, &until);
    rc = sync_entered >= n ? 0 : -1;
    pthread_mutex_unlock(&sync_lock);
    return rc;
}

void t_release(void)
{
    pthread_mutex_lock(&sync_lock);
    sync_released = 1;
    pthread_cond_broadcast(&sync_cond);
    pthread_mutex_unlock(&sync_lock);
}

static void wait_release(void)
{
    pthread_mutex_lock(&sync_lock);
    while (!sync_released)
        pthread_cond_wait(&sync_cond, &sync_lock);
    pthread_mutex_unlock(&sync_lock);
}

/* --- the test app ---------------------------------------------------------- */

uint8_t t_big[T_BIG];

static void fill_big(void)
{
    for (size_t i = 0; i < T_BIG; i++)
        t_big[i] = (uint8_t)('a' + i % 26);
}

static int is(const ward_req *req, const char *path)
{
    return req->path.len == strlen(path) && memcmp(req->path.ptr, path, req->path.len) == 0;
}

static int say(ward_resp *resp, const char *s)
{
    return ward_resp_write(resp, s, strlen(s));
}

static int fill(ward_resp *resp, char ch, size_t n)
{
    char *p = malloc(n);
    int rc;

    memset(p, ch, n);
    rc = ward_resp_write(resp, p, n);
    free(p);
    return rc;
}

static int app_split(ward_resp *resp)
{
    char msg[32];
    int refused = 0;

    refused += ward_resp_field(resp, "X-A", "a\r\nSet-Cookie: evil=1") != 0;
    refused += ward_resp_field(resp, "X-B\r\nSet-Cookie", "evil=1") != 0;
    refused += ward_resp_field_n(resp, "X-C", 3, "a\0b", 3) != 0;
    refused += ward_resp_status(resp, 200, "OK\r\nSet-Cookie: evil=1") != 0;
    refused += ward_resp_field(resp, "X-D", "a\nb") != 0;
    refused += ward_resp_field(resp, "Bad Name", "x") != 0;
    refused += ward_resp_field(resp, "Transfer-Encoding", "chunked") != 0;
    if (ward_resp_field(resp, "X-Fine", "fine") != 0)
        return -1;
    snprintf(msg, sizeof msg, "refused %d\n", refused);
    return say(resp, msg);
}

static int app_read(ward_resp *resp)
{
    char buf[1000], msg[64];
    size_t total = 0;

    for (;;) {
        ssize_t n = ward_body_read(resp, buf, sizeof buf);
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        total += (size_t)n;
    }
    snprintf(msg, sizeof msg, "read %zu\n", total);
    return say(resp, msg);
}

static int app_peer(const ward_req *req, ward_resp *resp)
{
    char msg[256];
    const ward_peer *p = req->peer;

    snprintf(msg, sizeof msg, "%d %d %d %s %s\n", p->has_creds ? (int)p->pid : -1,
             p->has_creds ? (int)p->uid : -1, p->has_creds ? (int)p->gid : -1,
             p->has_names ? p->user : "-", p->has_names ? p->group : "-");
    return say(resp, msg);
}

int t_app(void *arg, const ward_req *req, ward_resp *resp)
{
    (void)arg;
    if (is(req, "/hello"))
        return say(resp, "hello\n");
    if (is(req, "/echo"))
        return ward_gateway_echo(NULL, req, resp);
    if (is(req, "/head"))
        return say(resp, "hello\n");
    if (is(req, "/204") || is(req, "/304")) {
        if (ward_resp_status(resp, req->path.ptr[1] == '2' ? 204 : 304, NULL) != 0)
            return -1;
        return say(resp, "a body that must not be sent");
    }
    if (is(req, "/split"))
        return app_split(resp);
    if (is(req, "/cl-short"))
        return ward_resp_field(resp, "Content-Length", "10") == 0 ? say(resp, "12345") : -1;
    if (is(req, "/cl-long")) {
        if (ward_resp_field(resp, "Content-Length", "5") != 0)
            return -1;
        return say(resp, "hello world") == 0 ? 0 : 0; /* the write fails; the app ignores it */
    }
    if (is(req, "/cl-long-big")) {
        if (ward_resp_field(resp, "Content-Length", "20000") != 0 || fill(resp, 'x', 20000) != 0)
            return -1;
        (void)fill(resp, 'y', 10);
        return 0;
    }
    if (is(req, "/cl-short-big"))
        return ward_resp_field(resp, "Content-Length", "30000") == 0 ? fill(resp, 'x', 20000) : -1;
    if (is(req, "/stream"))
        return fill(resp, 'a', 10000) || fill(resp, 'b', 10000) || fill(resp, 'c', 10000) ? -1 : 0;
    if (is(req, "/read"))
        return app_read(resp);
    if (is(req, "/block")) {
        t_entered();
        wait_release();
        return say(resp, "unblocked\n");
    }
    if (is(req, "/slow")) {
        struct timespec ts = {0, 300 * 1000000L}; /* the application's own work */
        t_entered();
        nanosleep(&ts, NULL);
        return say(resp, "slow done\n");
    }
    if (is(req, "/peer"))
        return app_peer(req, resp);
    if (is(req, "/file")) {
        char len[32];
        snprintf(len, sizeof len, "%zu", t_file_len);
        if (ward_resp_field(resp, "Content-Length", len) != 0)
            return -1;
        return ward_resp_sendfile(resp, t_file_fd, 0, t_file_len);
    }
    if (is(req, "/big")) { /* T_BIG bytes in one write: byte i is 'a' + i % 26 */
        static pthread_once_t once = PTHREAD_ONCE_INIT;
        pthread_once(&once, fill_big);
        if (ward_resp_field(resp, "Content-Length", T_BIG_STR) != 0)
            return -1;
        return ward_resp_write(resp, t_big, T_BIG);
    }
    if (is(req, "/fail"))
        return -1;
    ward_resp_status(resp, 404, NULL);
    return say(resp, "no such test path\n");
}

int t_count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    int n = 0;

    if (d == NULL)
        return -1;
    while ((e = readdir(d)) != NULL)
        n += e->d_name[0] != '.';
    closedir(d);
    return n - 1; /* the directory's own descriptor */
}
