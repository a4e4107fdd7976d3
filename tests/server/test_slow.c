/* SPDX-License-Identifier: MIT */
/* test_slow.c - slow peers: the minimum body rate (408 and the close),
 * bodies collected by the event side, so that slow senders hold no
 * worker; responses finished by the event side, so that slow readers
 * hold none either, and the minimum response rate. Senders are paced by polls on their own sockets, never
 * by sleeps; nothing here asserts an elapsed time. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness.h"

/* A request body below the rate after the grace gets 408 and the close,
 * although body_timeout_ms (renewed per body_progress bytes) is far away.
 * temp_dir NULL: the event side holds the body and its sweep answers;
 * a missing directory and a 5-byte body_buffer: the handler reads the
 * body from the socket itself (the fallback) and its read answers. */
static void below_min_rate(const char *temp_dir)
{
    ward_server_config cfg;
    ward_server *srv;
    ward_server_stats st;
    tconn *c;
    tresp r;
    char v[64];

    t_config(&cfg);
    cfg.body_min_rate = 1000;      /* bytes a second */
    cfg.body_rate_grace_ms = 1000;
    cfg.body_timeout_ms = 60000;   /* the old rule alone would wait a minute */
    if (temp_dir != NULL) {
        cfg.body_temp_dir = temp_dir;
        cfg.body_buffer = 5;
    }
    srv = t_start(&cfg);
    c = tc_open(ward_server_port(srv));
    tc_sends(c, "POST /read HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n0123456789");
    /* one byte per 50 ms poll: about 20 bytes a second, 50 times too slow;
     * 400 polls (20 s) is far past when the 408 is due (about 1 s) */
    for (int i = 0; i < 400 && c->len == 0; i++) {
        (void)send(c->fd, "x", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
        (void)tc_fill(c, 50);
    }
    cr_assert_gt(c->len, 0, "no answer to a body trickling below the minimum rate");
    cr_assert_eq(tc_response(c, &r, 0), 0);
    cr_expect_eq(r.status, 408, "%s", r.head);
    cr_expect_str_eq(tr_field(&r, "Connection", v, sizeof v), "close");
    tr_free(&r);
    cr_expect_eq(tc_eof(c, T_DEADLINE_MS), 1);
    ward_server_stats_get(srv, &st, NULL, NULL);
    cr_expect_eq(st.slow_bodies, 1);
    tc_close(c);
    ward_server_free(srv);
}

Test(slow, body_below_min_rate_gets_408)
{
    below_min_rate(NULL);
}

Test(slow, body_below_min_rate_gets_408_when_the_handler_reads)
{
    below_min_rate("/nonexistent/ward-test");
}

/* The server closes its side of every connection: descriptors back to
 * base and no connection counted (a connection is uncounted just after
 * its descriptor closes: both are polled for). *st: the last stats. */
static void all_closed(ward_server *srv, int base, ward_server_stats *st)
{
    for (int i = 0; i < T_DEADLINE_MS / 10; i++) {
        ward_server_stats_get(srv, st, NULL, NULL);
        if (t_count_fds() == base && st->conns == 0)
            break;
        (void)poll(NULL, 0, 10);
    }
    cr_expect_eq(t_count_fds(), base, "descriptors leaked");
    cr_expect_eq(st->conns, 0);
}

/* A config under which no rule cuts a slow reader off (a minute of
 * grace, a minute per wait), with `threads` workers. */
static void patient(ward_server_config *cfg, unsigned threads)
{
    t_config(cfg);
    cfg->min_threads = cfg->max_threads = threads;
    cfg->read_timeout_ms = 60000;
    cfg->send_rate_grace_ms = 60000;
}

/* Poll (bounded) until stats say held connections == n. */
static int wait_held(ward_server *srv, unsigned n)
{
    ward_server_stats st;

    for (int i = 0; i < T_DEADLINE_MS / 10; i++) {
        ward_server_stats_get(srv, &st, NULL, NULL);
        if (st.held == n)
            return 0;
        (void)poll(NULL, 0, 10);
    }
    return -1;
}

static void expect_on(tconn *c, int status, const char *body)
{
    tresp r;

    cr_assert_eq(tc_response(c, &r, 0), 0, "no response");
    cr_expect_eq(r.status, status, "%s", r.head);
    if (body != NULL)
        cr_expect_str_eq((char *)r.body, body);
    tr_free(&r);
}

/* 100 clients each send a head with Content-Length: 1000000 and 10 bytes,
 * then nothing, to 4 workers; a normal GET and a small POST to the echo
 * gateway are answered while all 100 are still connected (their body
 * deadline is a minute away: a design where a worker waits for a body
 * would keep the normal client waiting for that minute). Two of them
 * then send their whole body and get it read intact; when all are closed,
 * the server's descriptors are back where they were. */
Test(slow, hundred_slow_senders_hold_no_worker)
{
    enum { N = 100, LEN = 1000000 };
    ward_server_config cfg;
    ward_server *srv;
    ward_server_stats st;
    tconn *a[N], *b;
    tresp r;
    static char rest[LEN];
    int base;

    t_config(&cfg);
    cfg.min_threads = cfg.max_threads = 4;
    cfg.body_timeout_ms = 60000;
    cfg.body_rate_grace_ms = 60000; /* the attackers are cut off by neither rule here */
    srv = t_start(&cfg);
    base = t_count_fds();
    for (int i = 0; i < N; i++) {
        a[i] = tc_open(ward_server_port(srv));
        tc_sends(a[i], "POST /read HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000\r\n\r\n0123456789");
    }
    b = tc_open(ward_server_port(srv));
    tc_sends(b, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    expect_on(b, 200, "hello\n");
    tc_sends(b, "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello world");
    cr_assert_eq(tc_response(b, &r, 0), 0, "no answer to a small POST");
    cr_expect_eq(r.status, 200, "%s", r.head);
    cr_expect_not_null(strstr((char *)r.body, "\"body_length\":11,\"body_base64\":\"aGVsbG8gd29ybGQ=\""),
                       "%s", r.body);
    tr_free(&r);
    /* the attackers are still there, held by the event side, unanswered */
    cr_expect_eq(wait_held(srv, N + 1), 0, "not all slow senders are held by the event side"); /* and b, idle */
    for (int i = 0; i < N; i++)
        cr_expect_eq(a[i]->len, 0);
    ward_server_stats_get(srv, &st, NULL, NULL);
    cr_expect_eq(st.requests, 2, "a handler ran for a slow sender");
    cr_expect_eq(st.slow_bodies, 0);
    /* bodies still arrive whole: two senders finish theirs */
    memset(rest, 'r', sizeof rest);
    for (int i = 0; i < 2; i++) {
        tc_send(a[i], rest, LEN - 10);
        expect_on(a[i], 200, "read 1000000\n");
    }
    for (int i = 0; i < N; i++)
        tc_close(a[i]);
    tc_close(b);
    all_closed(srv, base, &st);
    ward_server_free(srv);
}

static const char b64chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void b64(const uint8_t *p, size_t n, char *out)
{
    size_t o = 0;

    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) |
                     (i + 2 < n ? p[i + 2] : 0);
        out[o++] = b64chars[v >> 18 & 63];
        out[o++] = b64chars[v >> 12 & 63];
        out[o++] = i + 1 < n ? b64chars[v >> 6 & 63] : '=';
        out[o++] = i + 2 < n ? b64chars[v & 63] : '=';
    }
    out[o] = '\0';
}

enum { BODY = 3000 };
static uint8_t body[BODY];

/* Send in pieces of 1..13 bytes, each its own segment (TCP_NODELAY). */
static void send_split(tconn *c, const void *p, size_t n)
{
    const uint8_t *s = p;

    for (size_t k = 0, piece = 1; k < n; k += piece, piece = piece % 13 + 1) {
        if (piece > n - k)
            piece = n - k;
        tc_send(c, s + k, piece);
    }
}

/* The body as chunks of 1..200 bytes, some with extensions, a trailer. */
static size_t chunked(char *out, size_t cap)
{
    size_t o = 0;

    for (size_t k = 0, n = 1; k < BODY; k += n, n = n * 7 % 201 + 1) {
        if (n > BODY - k)
            n = BODY - k;
        o += (size_t)snprintf(out + o, cap - o, k % 2 ? "%zx;ext=1\r\n" : "%zX\r\n", n);
        memcpy(out + o, body + k, n);
        o += n;
        memcpy(out + o, "\r\n", 2);
        o += 2;
    }
    o += (size_t)snprintf(out + o, cap - o, "0\r\nX-Trailer: t\r\n\r\n");
    return o;
}

/* One POST /echo of the body on c, framed and split as asked; the echo
 * must hold the body byte for byte; the connection then serves a GET. */
static void post_echo(tconn *c, int is_chunked, int expect_continue)
{
    static char wire[BODY * 2], want[BODY * 2], head[256];
    size_t n;
    tresp r;

    snprintf(head, sizeof head, "POST /echo HTTP/1.1\r\nHost: a\r\n%s%s\r\n",
             is_chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: 3000\r\n",
             expect_continue ? "Expect: 100-continue\r\n" : "");
    send_split(c, head, strlen(head));
    if (expect_continue) {
        while (c->len < 25 && tc_fill(c, T_DEADLINE_MS) > 0)
            ;
        cr_assert_eq(c->len, 25, "%.*s", (int)c->len, c->buf);
        cr_assert(memcmp(c->buf, "HTTP/1.1 100 Continue\r\n\r\n", 25) == 0);
        c->len = 0;
    }
    if (is_chunked) {
        n = chunked(wire, sizeof wire);
        send_split(c, wire, n);
    } else {
        send_split(c, body, BODY);
    }
    cr_assert_eq(tc_response(c, &r, 0), 0);
    cr_expect_eq(r.status, 200, "%s", r.head);
    memcpy(want, "\"body_length\":3000,\"body_base64\":\"", 35);
    b64(body, BODY, want + 35);
    cr_expect_not_null(strstr((char *)r.body, want), "chunked %d, expect %d: %.200s", is_chunked,
                       expect_continue, r.body);
    tr_free(&r);
    tc_sends(c, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    expect_on(c, 200, "hello\n");
}

static void bodies_intact(uint32_t body_buffer, const char *temp_dir)
{
    ward_server_config cfg;
    ward_server *srv;
    int one = 1;

    for (size_t i = 0; i < BODY; i++)
        body[i] = (uint8_t)(i * 7 + i / 251);
    t_config(&cfg);
    cfg.body_buffer = body_buffer;
    cfg.body_temp_dir = temp_dir;
    srv = t_start(&cfg);
    for (int k = 0; k < 4; k++) {
        tconn *c = tc_open(ward_server_port(srv));
        setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        post_echo(c, k & 1, k >> 1);
        tc_close(c);
    }
    ward_server_free(srv);
}

/* Content-Length and chunked, with and without 100-continue, split into
 * pieces of 1..13 bytes: collected whole (3000 < the 64 KiB default). */
Test(slow, bodies_collected_intact)
{
    bodies_intact(0, NULL);
}

/* The same past body_buffer (1000 < 3000): collected with its first part
 * in a temporary file. */
Test(slow, bodies_over_body_buffer_intact)
{
    bodies_intact(1000, NULL);
}

/* The same without a temporary file: the handler gets the first part
 * collected and reads the rest from the socket itself. */
Test(slow, bodies_over_body_buffer_without_temp_dir_intact)
{
    bodies_intact(1000, "/nonexistent/ward-test");
}

/* A body larger than body_buffer holds no worker either: one worker, a
 * client sends 100000 of 300000 bytes and stops; another client is
 * served; the first then finishes and its handler reads all of it. */
Test(slow, large_body_sender_does_not_hold_the_only_worker)
{
    enum { LEN = 300000 };
    ward_server_config cfg;
    ward_server *srv;
    ward_server_stats st;
    static char big[LEN];
    tconn *a, *b;
    int base;

    t_config(&cfg);
    cfg.min_threads = cfg.max_threads = 1;
    cfg.body_timeout_ms = 60000;
    cfg.body_rate_grace_ms = 60000;
    srv = t_start(&cfg);
    base = t_count_fds();
    memset(big, 'g', sizeof big);
    a = tc_open(ward_server_port(srv));
    tc_sends(a, "POST /read HTTP/1.1\r\nHost: a\r\nContent-Length: 300000\r\n\r\n");
    tc_send(a, big, 100000);
    b = tc_open(ward_server_port(srv));
    tc_sends(b, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    expect_on(b, 200, "hello\n");
    ward_server_stats_get(srv, &st, NULL, NULL);
    cr_expect_eq(st.requests, 1, "a handler ran before its body came");
    tc_send(a, big + 100000, LEN - 100000);
    expect_on(a, 200, "read 300000\n");
    tc_close(a);
    tc_close(b);
    for (int i = 0; i < T_DEADLINE_MS / 10 && t_count_fds() != base; i++)
        (void)poll(NULL, 0, 10);
    cr_expect_eq(t_count_fds(), base, "descriptors leaked (the body's file?)");
    ward_server_free(srv);
}

/* Poll (bounded) until stats say buffered == n and held == h. */
static int wait_buffered(ward_server *srv, unsigned n, unsigned h)
{
    ward_server_stats st;

    for (int i = 0; i < T_DEADLINE_MS / 10; i++) {
        ward_server_stats_get(srv, &st, NULL, NULL);
        if (st.buffered == n && st.held == h)
            return 0;
        (void)poll(NULL, 0, 10);
    }
    return -1;
}

/* #28: a few thousand keep-alive connections (2,000; fewer when the
 * descriptor limit is lower: both ends are in this process), each answered
 * once, then idle: none holds an input or output buffer; one whose next
 * head is arriving holds its own; they serve again once bytes come;
 * closed, nothing is held. */
Test(scale, idle_connections_hold_no_buffers)
{
    enum { NMAX = 2000 };
    ward_server_config cfg;
    ward_server *srv;
    ward_server_stats st;
    struct rlimit rl;
    unsigned n = NMAX;
    tconn **c = calloc(NMAX, sizeof *c);

    cr_assert_not_null(c);
    /* each test runs in a process of its own: the raised limit stays here */
    cr_assert_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < 2 * NMAX + 256) {
        rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > 2 * NMAX + 256 ? 2 * NMAX + 256
                                                                                  : rl.rlim_max;
        cr_assert_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
        if (rl.rlim_cur < 2 * NMAX + 256)
            n = (unsigned)(rl.rlim_cur - 256) / 2;
    }
    cr_assert_geq(n, 200, "RLIMIT_NOFILE %llu is too low", (unsigned long long)rl.rlim_cur);
    t_config(&cfg);
    cfg.keepalive_timeout_ms = 600000; /* none expires while the others open */
    srv = t_start(&cfg);
    for (unsigned i = 0; i < n; i++) {
        c[i] = tc_open(ward_server_port(srv));
        tc_sends(c[i], "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
        expect_on(c[i], 200, "hello\n");
    }
    cr_expect_eq(wait_buffered(srv, 0, n), 0, "idle connections hold buffers");
    ward_server_stats_get(srv, &st, NULL, NULL);
    cr_expect_eq(st.buffered, 0);
    cr_expect_eq(st.conns, n);
    tc_sends(c[0], "GET /hello HTTP/1.1\r\nHo"); /* a head arriving: its buffer */
    cr_expect_eq(wait_buffered(srv, 1, n), 0, "a head arriving holds no buffer?");
    tc_sends(c[0], "st: a\r\n\r\n");
    expect_on(c[0], 200, "hello\n");
    for (unsigned i = 1; i < n; i += 50) {
        tc_sends(c[i], "POST /read HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc");
        expect_on(c[i], 200, "read 3\n");
    }
    cr_expect_eq(wait_buffered(srv, 0, n), 0, "buffers not given back after a second request");
    for (unsigned i = 0; i < n; i++)
        tc_close(c[i]);
    for (int i = 0; i < T_DEADLINE_MS / 10; i++) {
        ward_server_stats_get(srv, &st, NULL, NULL);
        if (st.conns == 0)
            break;
        (void)poll(NULL, 0, 10);
    }
    cr_expect_eq(st.conns, 0);
    cr_expect_eq(st.buffered, 0);
    ward_server_free(srv);
    free(c);
}

/* The input buffer starts small (4 KiB) and grows while a head arrives:
 * a 20 KiB head sent in 1000-byte pieces is served, and its connection
 * then gives the buffer back; a head past max_head is still 431. */
Test(scale, large_head_grows_the_input_buffer)
{
    ward_server_config cfg;
    ward_server *srv;
    tconn *c;
    static char head[24000];
    size_t n;

    t_config(&cfg);
    cfg.max_head = 20500; /* the 20 KiB head fits */
    srv = t_start(&cfg);
    c = tc_open(ward_server_port(srv));
    n = (size_t)snprintf(head, sizeof head, "GET /hello HTTP/1.1\r\nHost: a\r\n");
    for (int i = 0; i < 4; i++) {
        n += (size_t)snprintf(head + n, sizeof head - n, "X-%d: ", i);
        memset(head + n, 'v', 5000);
        n += 5000;
        memcpy(head + n, "\r\n", 2);
        n += 2;
    }
    memcpy(head + n, "\r\n", 2);
    n += 2;
    for (size_t k = 0; k < n; k += 1000)
        tc_send(c, head + k, n - k < 1000 ? n - k : 1000);
    expect_on(c, 200, "hello\n");
    cr_expect_eq(wait_buffered(srv, 0, 1), 0);
    /* one more field line of 1000 bytes: past max_head */
    memcpy(head + n - 2, "X-5: ", 5);
    memset(head + n + 3, 'v', 1000);
    memcpy(head + n + 1003, "\r\n\r\n", 4);
    tc_send(c, head, n + 1005);
    expect_on(c, 431, NULL);
    tc_close(c);
    ward_server_free(srv);
}

/* --- slow readers: responses finished by the event side --- */

#define FILE_LEN (16u << 20)

/* A sparse 16 MiB temporary file (more than loopback's socket buffers
 * hold), "BEGIN" at its start and "END" at its end. */
static int big_file(void)
{
    char path[] = "/tmp/ward-slow-XXXXXX";
    int fd = mkstemp(path);

    cr_assert_geq(fd, 0);
    unlink(path);
    cr_assert_eq(ftruncate(fd, FILE_LEN), 0);
    cr_assert_eq(pwrite(fd, "BEGIN", 5, 0), 5);
    cr_assert_eq(pwrite(fd, "END", 3, FILE_LEN - 3), 3);
    return fd;
}

/* A client with a 4 KiB receive window that sends req and reads nothing. */
static int slow_reader_req(unsigned port, const char *req)
{
    struct sockaddr_in sa;
    int rcv = 4096, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int n = (int)strlen(req);

    cr_assert_geq(fd, 0);
    cr_assert_eq(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv), 0);
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert_eq(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    cr_assert_eq(send(fd, req, (size_t)n, MSG_NOSIGNAL), n);
    return fd;
}

/* The same with a GET of path. */
static int slow_reader(unsigned port, const char *path)
{
    char req[128];

    snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: a\r\n\r\n", path);
    return slow_reader_req(port, req);
}

/* The response to fd's request has begun: bytes wait to be read. */
static int answered(int fd)
{
    struct pollfd pfd = {.fd = fd, .events = POLLIN};

    return poll(&pfd, 1, T_DEADLINE_MS) == 1 ? 0 : -1;
}

/* Read one response whose body is len bytes: the head, then every body
 * byte (each poll bounded by the harness deadline). Checks the body's
 * first and last bytes against first[]/last[]. */
static void read_whole(int fd, size_t len, const char *first, const char *last)
{
    static char buf[1 << 16];
    char head[4096], want[64], got_first[16] = "", got_last[16] = "";
    size_t hl = 0, got = 0, nf = strlen(first), nl = strlen(last);
    char *end = NULL;

    while (end == NULL) { /* the head, a byte at a time: nothing past it taken */
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        cr_assert_eq(poll(&pfd, 1, T_DEADLINE_MS), 1, "no response head");
        cr_assert_eq(recv(fd, head + hl, 1, 0), 1, "closed before the head");
        hl++;
        cr_assert_lt(hl, sizeof head - 1);
        head[hl] = '\0';
        end = strstr(head, "\r\n\r\n");
    }
    cr_assert_eq(strncmp(head, "HTTP/1.1 200 ", 13), 0, "%s", head);
    snprintf(want, sizeof want, "Content-Length: %zu\r\n", len);
    cr_assert_not_null(strstr(head, want), "%s", head);
    while (got < len) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        size_t want_n = len - got < sizeof buf ? len - got : sizeof buf;
        ssize_t n;
        cr_assert_eq(poll(&pfd, 1, T_DEADLINE_MS), 1, "stalled after %zu of %zu bytes", got, len);
        n = recv(fd, buf, want_n, 0);
        cr_assert_gt(n, 0, "closed after %zu of %zu bytes", got, len);
        for (size_t i = 0; i < (size_t)n; i++) {
            size_t at = got + i;
            if (at < nf)
                got_first[at] = buf[i];
            if (at >= len - nl)
                got_last[at - (len - nl)] = buf[i];
        }
        got += (size_t)n;
    }
    cr_expect_str_eq(got_first, first);
    cr_expect_str_eq(got_last, last);
}

/* One worker; a client that never reads a response larger than the
 * socket buffers: the worker is free for another client's GET while the
 * reader is still connected (a worker waiting for the reader would leave
 * the GET unanswered for a minute); the reader then reads every byte;
 * descriptors (the file's dup among them) and threads come back. */
static void reader_does_not_hold_the_only_worker(const char *path, size_t len, const char *first,
                                                 const char *last)
{
    ward_server_config cfg;
    ward_server *srv;
    ward_server_stats st;
    tconn *b;
    int base, a;

    patient(&cfg, 1);
    srv = t_start(&cfg);
    base = t_count_fds();
    a = slow_reader(ward_server_port(srv), path);
    cr_assert_eq(answered(a), 0, "the reader's request was not answered");
    b = tc_open(ward_server_port(srv));
    tc_sends(b, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    expect_on(b, 200, "hello\n");
    /* a, parked, and b, idle: held, and neither holds a buffer (the
     * queue keeps what the socket did not take) */
    cr_expect_eq(wait_buffered(srv, 0, 2), 0, "a parked response holds its buffers");
    ward_server_stats_get(srv, &st, NULL, NULL);
    cr_expect_eq(st.slow_readers, 0);
    cr_expect_eq(st.send_waits, 0, "a worker waited for the reader");
    read_whole(a, len, first, last);
    close(a);
    tc_close(b);
    all_closed(srv, base, &st);
    cr_expect_eq(st.threads, 1);
    ward_server_free(srv);
}

Test(slow, reader_of_a_big_file_does_not_hold_the_only_worker)
{
    t_file_fd = big_file();
    t_file_len = FILE_LEN;
    reader_does_not_hold_the_only_worker("/file", FILE_LEN, "BEGIN", "END");
    close(t_file_fd);
    t_file_fd = -1;
}

/* 100 clients that never read a 16 MiB file, 4 workers: a normal client
 * is served while all 100 are connected and their responses parked (a
 * design where a worker waits for a reader would need 100 workers);
 * when they close, descriptors (the file's dups among them) come back. */
Test(slow, hundred_slow_readers_hold_no_worker)
{
    enum { N = 100 };
    ward_server_config cfg;
    ward_server *srv;
    ward_server_stats st;
    int a[N], base;
    tconn *b;

    patient(&cfg, 4);
    t_file_fd = big_file();
    t_file_len = FILE_LEN;
    srv = t_start(&cfg);
    base = t_count_fds();
    for (int i = 0; i < N; i++)
        a[i] = slow_reader(ward_server_port(srv), "/file");
    for (int i = 0; i < N; i++)
        cr_assert_eq(answered(a[i]), 0, "reader %d was not answered", i);
    b = tc_open(ward_server_port(srv));
    tc_sends(b, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    expect_on(b, 200, "hello\n");
    cr_expect_eq(wait_held(srv, N + 1), 0, "not every reader is parked"); /* and b, idle */
    ward_server_stats_get(srv, &st, NULL, NULL);
    cr_expect_eq(st.slow_readers, 0);
    for (int i = 0; i < N; i++)
        close(a[i]);
    tc_close(b);
    all_closed(srv, base, &st);
    ward_server_free(srv);
    close(t_file_fd);
    t_file_fd = -1;
}

/* A request pipelined behind a parked response is served after it, in
 * order, on the same connection: one worker, a reader sends GET /file
 * and GET /hello at once and reads nothing; another client is served;
 * then the reader gets the whole file, then hello. */
Test(slow, pipelined_request_waits_behind_a_parked_response)
{
    ward_server_config cfg;
    ward_server *srv;
    tconn *b, *rest;
    tresp r;
    int a;

    patient(&cfg, 1);
    t_file_fd = big_file();
    t_file_len = FILE_LEN;
    srv = t_start(&cfg);
    a = slow_reader_req(ward_server_port(srv), "GET /file HTTP/1.1\r\nHost: a\r\n\r\n"
                                               "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    cr_assert_eq(answered(a), 0, "the reader's request was not answered");
    b = tc_open(ward_server_port(srv));
    tc_sends(b, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    expect_on(b, 200, "hello\n");
    read_whole(a, FILE_LEN, "BEGIN", "END");
    rest = calloc(1, sizeof *rest); /* the rest of a's bytes through the harness's reader */
    cr_assert_not_null(rest);
    rest->fd = a;
    rest->cap = 4096;
    rest->buf = malloc(rest->cap + 1);
    cr_assert_not_null(rest->buf);
    cr_assert_eq(tc_response(rest, &r, 0), 0, "no response to the pipelined request");
    cr_expect_eq(r.status, 200, "%s", r.head);
    cr_expect_str_eq((char *)r.body, "hello\n");
    tr_free(&r);
    tc_close(rest); /* closes a */
    tc_close(b);
    ward_server_free(srv);
    close(t_file_fd);
    t_file_fd = -1;
}

Test(slow, reader_of_a_big_write_does_not_hold_the_only_worker)
{
    char last[4] = {(char)('a' + (T_BIG - 3) % 26), (char)('a' + (T_BIG - 2) % 26),
                    (char)('a' + (T_BIG - 1) % 26), '\0'};

    reader_does_not_hold_the_only_worker("/big", T_BIG, "abcde", last);
}

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static char log_text[4096];

static void log_line(void *arg, int level, const char *msg)
{
    size_t n;

    (void)arg;
    if (level != WARD_LOG_INFO)
        return;
    pthread_mutex_lock(&log_lock);
    n = strlen(log_text);
    snprintf(log_text + n, sizeof log_text - n, "%s\n", msg);
    pthread_mutex_unlock(&log_lock);
}

/* A reader below send_min_rate after its grace is closed (1 MB/s asked,
 * 100 ms of grace; the client reads 1 KiB per 20 ms, about 50 KB/s); the
 * only worker serves another client meanwhile; counted once. */
Test(slow, reader_below_min_rate_is_closed)
{
    ward_server_config cfg;
    ward_server *srv;
    ward_server_stats st;
    static char buf[1024];
    size_t total = 0;
    int a, eof = 0;
    tconn *b;

    t_config(&cfg);
    cfg.min_threads = cfg.max_threads = 1;
    cfg.read_timeout_ms = 60000;
    cfg.send_min_rate = 1000000;
    cfg.send_rate_grace_ms = 100;
    cfg.log = log_line;
    t_file_fd = big_file();
    t_file_len = FILE_LEN;
    srv = t_start(&cfg);
    a = slow_reader(ward_server_port(srv), "/file");
    cr_assert_eq(answered(a), 0, "the reader's request was not answered");
    b = tc_open(ward_server_port(srv));
    tc_sends(b, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    expect_on(b, 200, "hello\n");
    /* 1000 paced reads (20 s at the pace) are far more than the close
     * needs (about 100 ms after the socket buffers fill) */
    for (int i = 0; i < 1000 && !eof; i++) {
        struct pollfd pfd = {.fd = a, .events = POLLIN};
        if (poll(&pfd, 1, 20) > 0) {
            ssize_t n = recv(a, buf, sizeof buf, 0);
            if (n <= 0)
                eof = 1;
            else
                total += (size_t)n;
        }
        (void)poll(NULL, 0, 20);
    }
    cr_expect(eof, "the slow reader was never closed");
    cr_expect_lt(total, (size_t)FILE_LEN, "the whole file went out");
    ward_server_stats_get(srv, &st, NULL, NULL);
    cr_expect_eq(st.slow_readers, 1);
    pthread_mutex_lock(&log_lock);
    cr_expect_not_null(strstr(log_text, "closed: client reads a response below 1000000 bytes/s"),
                       "%s", log_text);
    pthread_mutex_unlock(&log_lock);
    close(a);
    tc_close(b);
    ward_server_free(srv);
    close(t_file_fd);
    t_file_fd = -1;
}

static void *stopper(void *arg)
{
    ward_server_stop(arg);
    return NULL;
}

/* A stop finishes a parked response within the shutdown timeout: one
 * worker, a reader that has taken nothing of a 16 MiB file; the stop
 * begins (the parked send leaves the manager's list for a worker), then
 * the reader reads fast and gets every byte, then the close. */
Test(slow, stop_finishes_a_parked_send)
{
    ward_server_config cfg;
    ward_server *srv;
    pthread_t th;
    char c;
    int a;

    patient(&cfg, 1);
    cfg.shutdown_timeout_ms = 60000; /* the test's own deadlines come first */
    t_file_fd = big_file();
    t_file_len = FILE_LEN;
    srv = t_start(&cfg);
    a = slow_reader(ward_server_port(srv), "/file");
    cr_assert_eq(answered(a), 0, "the reader's request was not answered");
    cr_assert_eq(wait_held(srv, 1), 0, "the response is not parked");
    cr_assert_eq(pthread_create(&th, NULL, stopper, srv), 0);
    cr_assert_eq(wait_held(srv, 0), 0, "the stop did not take the parked send");
    read_whole(a, FILE_LEN, "BEGIN", "END");
    {
        struct pollfd pfd = {.fd = a, .events = POLLIN};
        cr_assert_eq(poll(&pfd, 1, T_DEADLINE_MS), 1, "no close after the response");
        cr_expect_eq(recv(a, &c, 1, 0), 0, "bytes after the response, or a reset");
    }
    pthread_join(th, NULL);
    close(a);
    ward_server_free(srv);
    close(t_file_fd);
    t_file_fd = -1;
}

static _Atomic int stopped;

static void *stopper_flag(void *arg)
{
    ward_server_stop(arg);
    atomic_store(&stopped, 1);
    return NULL;
}

/* Read what the server sent until it closes (each poll bounded): the
 * byte count, or -1 when it did not close. */
static long read_to_close(int fd)
{
    static char buf[1 << 16];
    long total = 0;

    for (;;) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        ssize_t n;
        if (poll(&pfd, 1, T_DEADLINE_MS) != 1)
            return -1;
        n = recv(fd, buf, sizeof buf, 0);
        if (n <= 0)
            return total;
        total += n;
    }
}

/* A stop ends at its deadline whatever the readers do: one worker, two
 * readers that never read, both parked; the stop (shutdown_timeout_ms
 * 300, but a minute of grace and per wait for the readers) returns, and
 * each reader gets a cut response and the close. A worker finishing the
 * second send after the deadline would wait a minute for it. */
Test(slow, stop_cuts_parked_sends_at_its_deadline)
{
    ward_server_config cfg;
    ward_server *srv;
    pthread_t th;
    int a[2];

    patient(&cfg, 1);
    cfg.shutdown_timeout_ms = 300;
    t_file_fd = big_file();
    t_file_len = FILE_LEN;
    srv = t_start(&cfg);
    for (int i = 0; i < 2; i++) {
        a[i] = slow_reader(ward_server_port(srv), "/file");
        cr_assert_eq(answered(a[i]), 0, "reader %d was not answered", i);
    }
    cr_assert_eq(wait_held(srv, 2), 0, "the responses are not parked");
    atomic_store(&stopped, 0);
    cr_assert_eq(pthread_create(&th, NULL, stopper_flag, srv), 0);
    for (int i = 0; i < T_DEADLINE_MS / 10 && !atomic_load(&stopped); i++)
        (void)poll(NULL, 0, 10);
    cr_expect(atomic_load(&stopped), "the stop outlived its deadline");
    for (int i = 0; i < 2; i++) {
        long got = read_to_close(a[i]);
        cr_expect_geq(got, 0, "reader %d was not closed", i);
        cr_expect_lt(got, (long)FILE_LEN, "reader %d got the whole file", i);
        close(a[i]);
    }
    pthread_join(th, NULL);
    ward_server_free(srv);
    close(t_file_fd);
    t_file_fd = -1;
}
