/* SPDX-License-Identifier: MIT */
/* fuzz_server.c - a whole server connection, driven over a socketpair.
 *
 * One server (server/, two workers) lives for the whole run. Each input is
 * one connection: it is split into segments at each "\0\0" (as h2o's
 * fuzzer splits its input into packets), the segments are sent in turn
 * while the responses are read, then the client half-closes and reads
 * until the server closes. The application chosen by the target's path
 * streams, reads bodies, lies about its Content-Length, answers 204 or
 * fails, so the server's own rules are what is checked:
 *
 * - every response is well-formed: status line, field lines of token
 *   names and value bytes, a body exactly as framed (Content-Length,
 *   chunked with its last chunk, or close-delimited and then the end), no
 *   body for HEAD, 204 and 304; only `100 Continue` as an interim answer;
 * - nothing follows a response that says `Connection: close`;
 * - no more final responses than requests: at most one per handler call
 *   plus one error, at most one per two line feeds sent plus one, and
 *   every handler call got its response (never zero, never two);
 * - the server always closes once the client has half-closed (a hang is
 *   a failure: 10 s).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "ward_server.h"

#define MAX_CALLS 4096
#define OUT_CAP (8u << 20)

static ward_server *srv;
static pthread_mutex_t calls_lock = PTHREAD_MUTEX_INITIALIZER;
static uint8_t call_head[MAX_CALLS]; /* per handler call: was it HEAD */
static size_t ncalls;
static uint8_t *out;

static int fill(ward_resp *resp, char ch, size_t n)
{
    char buf[7000];

    memset(buf, ch, sizeof buf);
    while (n > 0) {
        size_t k = n < sizeof buf ? n : sizeof buf;
        if (ward_resp_write(resp, buf, k) != 0)
            return -1;
        n -= k;
    }
    return 0;
}

static int app(void *arg, const ward_req *req, ward_resp *resp)
{
    char p = req->path.len >= 2 ? (char)req->path.ptr[1] : '\0';

    (void)arg;
    pthread_mutex_lock(&calls_lock);
    if (ncalls < MAX_CALLS)
        call_head[ncalls] = req->method.len == 4 && memcmp(req->method.ptr, "HEAD", 4) == 0;
    ncalls++;
    pthread_mutex_unlock(&calls_lock);
    switch (p) {
    case 's': /* streamed, length unknown: chunked or close-delimited */
        return fill(resp, 's', 21000);
    case 'c': /* declares more than it writes */
        (void)ward_resp_field(resp, "Content-Length", "5");
        return fill(resp, 'c', 3);
    case 'l': /* writes more than it declares */
        (void)ward_resp_field(resp, "Content-Length", "5");
        (void)fill(resp, 'l', 10);
        return 0;
    case 'n':
        (void)ward_resp_status(resp, 204, NULL);
        return fill(resp, 'n', 10);
    case 'f':
        return -1;
    case 'x': /* tries to split the response */
        (void)ward_resp_field(resp, "X-A", "a\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK");
        return fill(resp, 'x', 2);
    default: /* reads the whole body */
        return ward_gateway_echo(NULL, req, resp);
    }
}

static void start_server(void)
{
    ward_server_config cfg;
    char err[256];

    signal(SIGPIPE, SIG_IGN);
    ward_server_config_init(&cfg);
    cfg.bind = "127.0.0.1:0";
    cfg.handler = app;
    cfg.min_threads = 1;
    cfg.max_threads = 2;
    cfg.read_timeout_ms = 2000;
    cfg.head_timeout_ms = 2000;
    cfg.body_timeout_ms = 2000;
    cfg.keepalive_timeout_ms = 2000;
    cfg.linger_ms = 200;
    cfg.max_body = 65536;
    cfg.max_drain = 4096;
    cfg.max_requests = 50;
    srv = ward_server_create(&cfg, err, sizeof err);
    if (srv == NULL || ward_server_start(srv) != 0) {
        fprintf(stderr, "fuzz_server: %s\n", err);
        abort();
    }
    out = malloc(OUT_CAP);
    if (out == NULL)
        abort();
}

static long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Send the segments and read what comes back until the server closes. */
static size_t converse(int fd, const uint8_t *data, size_t size)
{
    size_t at = 0, got = 0, seg_end;
    long deadline = now_ms() + 10000;
    int wr_open = 1;

    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    for (;;) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        const uint8_t *sep;
        ssize_t n;

        if (wr_open && at == size) {
            shutdown(fd, SHUT_WR);
            wr_open = 0;
        }
        if (wr_open)
            pfd.events |= POLLOUT;
        if (now_ms() > deadline)
            FAIL("the server did not close the connection within 10 s");
        if (poll(&pfd, 1, 100) <= 0)
            continue;
        if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
            n = recv(fd, out + got, OUT_CAP - got, 0);
            if (n == 0 || (n < 0 && errno == ECONNRESET))
                break;
            if (n > 0)
                got += (size_t)n;
            CHECK(got < OUT_CAP);
        }
        if (wr_open && (pfd.revents & POLLOUT)) {
            /* one segment: up to the next "\0\0" (dropped) or the end */
            sep = size - at >= 2 ? memmem(data + at, size - at, "\0\0", 2) : NULL;
            seg_end = sep != NULL ? (size_t)(sep - data) : size;
            n = seg_end > at ? send(fd, data + at, seg_end - at, MSG_NOSIGNAL) : 0;
            if (n < 0 && errno != EAGAIN && errno != EINTR) {
                at = size; /* the server closed its side: read what it said */
                continue;
            }
            if (n > 0)
                at += (size_t)n;
            if (at == seg_end && sep != NULL)
                at += 2;
        }
    }
    return got;
}

static const uint8_t *find_crlf(const uint8_t *p, const uint8_t *end)
{
    for (; p + 1 < end; p++)
        if (p[0] == '\r' && p[1] == '\n')
            return p;
    return NULL;
}

static int name_is(const uint8_t *p, size_t n, const char *want)
{
    return strlen(want) == n && strncasecmp((const char *)p, want, n) == 0;
}

/* One chunked body from p; returns its end. */
static const uint8_t *chunked_end(const uint8_t *p, const uint8_t *end)
{
    for (;;) {
        const uint8_t *eol = find_crlf(p, end);
        uint64_t size = 0;
        CHECK(eol != NULL && eol > p);
        for (const uint8_t *q = p; q < eol; q++) {
            CHECK((*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'f'));
            CHECK(size < (1ull << 32));
            size = size * 16 + (uint64_t)(*q <= '9' ? *q - '0' : *q - 'a' + 10);
        }
        p = eol + 2;
        if (size == 0) {
            CHECK(end - p >= 2 && p[0] == '\r' && p[1] == '\n'); /* no trailers from ward */
            return p + 2;
        }
        CHECK((uint64_t)(end - p) >= size + 2);
        p += size;
        CHECK(p[0] == '\r' && p[1] == '\n');
        p += 2;
    }
}

static void check_responses(const uint8_t *p, size_t len, size_t calls, size_t lfs)
{
    const uint8_t *end = p + len;
    size_t finals = 0;
    int closed = 0;

    while (p < end) {
        const uint8_t *eol = find_crlf(p, end);
        int status, is_head, has_cl = 0, chunked = 0, conn_close = 0;
        uint64_t cl = 0;

        CHECK(!closed); /* nothing after Connection: close */
        CHECK(eol != NULL);
        CHECK(eol - p >= 13 && memcmp(p, "HTTP/1.1 ", 9) == 0);
        CHECK(p[9] >= '1' && p[9] <= '9' && p[10] >= '0' && p[10] <= '9' && p[11] >= '0' &&
              p[11] <= '9' && p[12] == ' ');
        status = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
        for (const uint8_t *q = p + 13; q < eol; q++)
            CHECK(c_value(*q));
        p = eol + 2;
        for (;;) { /* field lines */
            const uint8_t *colon;
            eol = find_crlf(p, end);
            CHECK(eol != NULL);
            if (eol == p)
                break;
            colon = memchr(p, ':', (size_t)(eol - p));
            CHECK(colon != NULL && colon > p);
            for (const uint8_t *q = p; q < colon; q++)
                CHECK(c_tchar(*q));
            CHECK(colon + 1 < eol && colon[1] == ' ');
            for (const uint8_t *q = colon + 2; q < eol; q++)
                CHECK(c_value(*q));
            if (name_is(p, (size_t)(colon - p), "Content-Length")) {
                CHECK(!has_cl);
                has_cl = 1;
                for (const uint8_t *q = colon + 2; q < eol; q++) {
                    CHECK(*q >= '0' && *q <= '9' && cl < (1ull << 40));
                    cl = cl * 10 + (uint64_t)(*q - '0');
                }
            } else if (name_is(p, (size_t)(colon - p), "Transfer-Encoding")) {
                CHECK(name_is(colon + 2, (size_t)(eol - colon - 2), "chunked"));
                chunked = 1;
            } else if (name_is(p, (size_t)(colon - p), "Connection")) {
                conn_close = name_is(colon + 2, (size_t)(eol - colon - 2), "close");
            }
            p = eol + 2;
        }
        p = eol + 2;
        if (status == 100)
            continue; /* interim: the final answer follows */
        CHECK(status >= 200);
        CHECK(!(has_cl && chunked));
        is_head = finals < calls && finals < MAX_CALLS && call_head[finals];
        finals++;
        if (is_head || status == 204 || status == 304) {
            CHECK(!chunked);
        } else if (chunked) {
            p = chunked_end(p, end);
        } else if (has_cl && finals > calls && conn_close && p == end) {
            /* the server's own error after a head it parsed: for HEAD, no
             * body (the fuzzer does not know that request's method) */
        } else if (has_cl) {
            CHECK((uint64_t)(end - p) >= cl); /* never short: the app's lies become 500s */
            p += cl;
        } else {
            CHECK(conn_close); /* close-delimited */
            p = end;
        }
        if (conn_close)
            closed = 1;
    }
    CHECK(finals <= calls + 1);
    CHECK(finals <= lfs / 2 + 1);
    CHECK(finals >= calls || calls > MAX_CALLS);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int sv[2];
    size_t got, lfs = 0, calls;

    if (srv == NULL)
        start_server();
    for (size_t i = 0; i < size; i++)
        lfs += data[i] == '\n';
    pthread_mutex_lock(&calls_lock);
    ncalls = 0;
    pthread_mutex_unlock(&calls_lock);
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        abort();
    if (ward_server_adopt(srv, sv[1]) != 0)
        FAIL("ward_server_adopt refused a connection");
    got = converse(sv[0], data, size);
    close(sv[0]);
    pthread_mutex_lock(&calls_lock);
    calls = ncalls;
    pthread_mutex_unlock(&calls_lock);
    check_responses(out, got, calls, lfs);
    return 0;
}
