/* SPDX-License-Identifier: MIT */
/* test_resp.c - what the server guarantees of a response whatever the app
 * does: no body for HEAD/204/304, no response splitting, Content-Length
 * enforced (never two responses), chunked when the length is unknown. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

static ward_server *srv;
static tconn *c;

static void start(void)
{
    ward_server_config cfg;

    t_config(&cfg);
    srv = t_start(&cfg);
    c = tc_open(ward_server_port(srv));
}

static void stop(void)
{
    tc_close(c);
    ward_server_free(srv);
}

/* After a response without a body, a pipelined GET's answer must come
 * next: any stray body byte would desynchronise the connection. */
static void expect_next_is_hello(void)
{
    tresp r;

    cr_assert_eq(tc_response(c, &r, 0), 0, "desynchronised: %.60s", c->buf);
    cr_expect_eq(r.status, 200);
    cr_expect_str_eq((char *)r.body, "hello\n");
    tr_free(&r);
}

Test(resp, head_has_no_body)
{
    tresp r;
    char v[64];

    start();
    tc_sends(c, "HEAD /head HTTP/1.1\r\nHost: a\r\n\r\nGET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    cr_assert_eq(tc_response(c, &r, 1), 0);
    cr_expect_eq(r.status, 200);
    cr_expect_str_eq(tr_field(&r, "Content-Length", v, sizeof v), "6");
    tr_free(&r);
    expect_next_is_hello();
    stop();
}

Test(resp, status_204_has_no_body)
{
    tresp r;
    char v[64];

    start();
    tc_sends(c, "GET /204 HTTP/1.1\r\nHost: a\r\n\r\nGET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    cr_assert_eq(tc_response(c, &r, 1), 0);
    cr_expect_eq(r.status, 204);
    cr_expect(strncmp(r.head, "HTTP/1.1 204 No Content\r\n", 25) == 0, "%s", r.head);
    cr_expect_str_eq(tr_field(&r, "Content-Length", v, sizeof v), "");
    cr_expect_str_eq(tr_field(&r, "Transfer-Encoding", v, sizeof v), "");
    tr_free(&r);
    expect_next_is_hello();
    stop();
}

Test(resp, status_304_has_no_body)
{
    tresp r;

    start();
    tc_sends(c, "GET /304 HTTP/1.1\r\nHost: a\r\n\r\nGET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    cr_assert_eq(tc_response(c, &r, 1), 0);
    cr_expect_eq(r.status, 304);
    tr_free(&r);
    expect_next_is_hello();
    stop();
}

Test(resp, response_splitting_refused)
{
    tresp r;
    char v[64];

    start();
    tc_sends(c, "GET /split HTTP/1.1\r\nHost: a\r\n\r\n");
    cr_assert_eq(tc_response(c, &r, 0), 0);
    cr_expect(strncmp(r.head, "HTTP/1.1 200 OK\r\n", 17) == 0, "%s", r.head);
    cr_expect_str_eq((char *)r.body, "refused 7\n");
    cr_expect(strstr(r.head, "evil") == NULL, "injected: %s", r.head);
    cr_expect(strstr(r.head, "Set-Cookie") == NULL, "injected: %s", r.head);
    cr_expect_str_eq(tr_field(&r, "X-Fine", v, sizeof v), "fine");
    tr_free(&r);
    stop();
}

Test(resp, short_output_nothing_sent_is_500)
{
    tresp r;

    start();
    tc_sends(c, "GET /cl-short HTTP/1.1\r\nHost: a\r\n\r\n");
    cr_assert_eq(tc_response(c, &r, 0), 0);
    cr_expect_eq(r.status, 500);
    tr_free(&r);
    cr_expect_eq(tc_eof(c, T_DEADLINE_MS), 1, "a second response or more bytes followed");
    stop();
}

Test(resp, long_output_nothing_sent_is_500)
{
    tresp r;

    start();
    tc_sends(c, "GET /cl-long HTTP/1.1\r\nHost: a\r\n\r\n");
    cr_assert_eq(tc_response(c, &r, 0), 0);
    cr_expect_eq(r.status, 500);
    tr_free(&r);
    cr_expect_eq(tc_eof(c, T_DEADLINE_MS), 1, "a second response or more bytes followed");
    stop();
}

Test(resp, long_output_after_head_is_cut_and_closed)
{
    tresp r;

    start();
    tc_sends(c, "GET /cl-long-big HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\n\r\n");
    cr_assert_eq(tc_response(c, &r, 0), 0);
    cr_expect_eq(r.status, 200);
    cr_expect_eq(r.body_len, 20000);
    cr_expect(memchr(r.body, 'y', r.body_len) == NULL);
    tr_free(&r);
    cr_expect_eq(tc_eof(c, T_DEADLINE_MS), 1, "bytes beyond the declared length");
    stop();
}

Test(resp, short_output_after_head_closes)
{
    char v[64];

    start();
    tc_sends(c, "GET /cl-short-big HTTP/1.1\r\nHost: a\r\n\r\n");
    tc_read_to_eof(c);
    {
        char *body = strstr((char *)c->buf, "\r\n\r\n");
        tresp r;
        cr_assert_not_null(body);
        memset(&r, 0, sizeof r);
        snprintf(r.head, sizeof r.head, "%.*s", (int)(body + 4 - (char *)c->buf), (char *)c->buf);
        cr_expect_str_eq(tr_field(&r, "Content-Length", v, sizeof v), "30000");
        cr_expect_eq(c->len - (size_t)(body + 4 - (char *)c->buf), 20000,
                     "the connection must close after the short body");
    }
    stop();
}

Test(resp, chunked_when_length_unknown)
{
    tresp r;

    start();
    tc_sends(c, "GET /stream HTTP/1.1\r\nHost: a\r\n\r\n");
    cr_assert_eq(tc_response(c, &r, 0), 0);
    cr_expect_eq(r.status, 200);
    cr_expect_eq(r.chunked, 1, "%s", r.head);
    cr_assert_eq(r.body_len, 30000);
    cr_expect_eq(r.body[0], 'a');
    cr_expect_eq(r.body[10000], 'b');
    cr_expect_eq(r.body[29999], 'c');
    tr_free(&r);
    tc_sends(c, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    expect_next_is_hello();
    stop();
}

Test(resp, close_delimited_for_http10)
{
    tresp r;
    char v[64];

    start();
    tc_sends(c, "GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    cr_assert_eq(tc_response(c, &r, 0), 0);
    cr_expect_eq(r.chunked, 0);
    cr_expect_str_eq(tr_field(&r, "Connection", v, sizeof v), "close");
    cr_expect_eq(r.body_len, 30000);
    tr_free(&r);
    stop();
}

Test(resp, sendfile_range)
{
    char path[] = "/tmp/ward-test-XXXXXX";
    int fd = mkstemp(path);
    char data[50000];
    tresp r;

    cr_assert_geq(fd, 0);
    unlink(path);
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (char)('A' + i % 26);
    cr_assert_eq(write(fd, data, sizeof data), (ssize_t)sizeof data);
    t_file_fd = fd;
    t_file_len = sizeof data;
    start();
    tc_sends(c, "GET /file HTTP/1.1\r\nHost: a\r\n\r\nHEAD /file HTTP/1.1\r\nHost: a\r\n\r\n"
                "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    cr_assert_eq(tc_response(c, &r, 0), 0);
    cr_assert_eq(r.body_len, sizeof data);
    cr_expect(memcmp(r.body, data, sizeof data) == 0);
    tr_free(&r);
    cr_assert_eq(tc_response(c, &r, 1), 0);
    cr_expect_eq(r.status, 200);
    tr_free(&r);
    expect_next_is_hello();
    stop();
    close(fd);
}

/* --- review fixes: status changes, HEAD lengths, signals, slow readers --- */

static int fix_fd = -1;  /* the file of /big and /wrap */
static size_t fix_len;

static int fix_is(const ward_req *req, const char *path)
{
    return req->path.len == strlen(path) && memcmp(req->path.ptr, path, req->path.len) == 0;
}

/* A sparse temporary file of len bytes ('F' in its first 64 KiB). */
static int temp_file(size_t len)
{
    char path[] = "/tmp/ward-test-XXXXXX";
    int fd = mkstemp(path);
    char f[65536];
    size_t head = len < sizeof f ? len : sizeof f;

    cr_assert_geq(fd, 0);
    unlink(path);
    memset(f, 'F', head);
    cr_assert_eq(write(fd, f, head), (ssize_t)head);
    cr_assert_eq(ftruncate(fd, (off_t)len), 0);
    return fd;
}

static int fix_app(void *arg, const ward_req *req, ward_resp *resp)
{
    (void)arg;
    if (fix_is(req, "/204-then-200")) {
        ward_resp_status(resp, 204, NULL);
        ward_resp_status(resp, 200, NULL);
        return ward_resp_write(resp, "hello", 5);
    }
    if (fix_is(req, "/empty"))
        return 0;
    if (fix_is(req, "/205")) {
        ward_resp_status(resp, 205, NULL);
        return ward_resp_write(resp, "junk", 4);
    }
    if (fix_is(req, "/fields")) {
        char name[32], value[200];
        int n = 0;
        memset(value, 'v', sizeof value - 1);
        value[sizeof value - 1] = '\0';
        static const char reason[] = "A Reason Phrase Of Sixty-Three Bytes "
                                     "For The Longest Head Ever!";
        if (ward_resp_status(resp, 299, reason) != 0) /* 63 bytes: the longest */
            return -1;
        do
            snprintf(name, sizeof name, "X-Fill-%d", n++);
        while (ward_resp_field(resp, name, value) == 0);
        return ward_resp_write(resp, "ok\n", 3);
    }
    if (fix_is(req, "/big")) {
        char len[32];
        snprintf(len, sizeof len, "%zu", fix_len);
        ward_resp_field(resp, "Content-Length", len);
        return ward_resp_sendfile(resp, fix_fd, 0, fix_len);
    }
    if (fix_is(req, "/wrap")) {
        /* one byte buffered, then "the rest of the file" as SIZE_MAX */
        if (ward_resp_write(resp, "x", 1) != 0)
            return -1;
        return ward_resp_sendfile(resp, fix_fd, 0, (size_t)-1);
    }
    if (fix_is(req, "/stream64m")) {
        static const char block[65536];
        for (int i = 0; i < 1024; i++)
            if (ward_resp_write(resp, block, sizeof block) != 0)
                return -1;
        return 0;
    }
    return t_app(arg, req, resp);
}

static void fix_start(ward_server_config *cfg)
{
    cfg->handler = fix_app;
    srv = t_start(cfg);
    c = tc_open(ward_server_port(srv));
}

static void hello_on_a_new_connection(void)
{
    tconn *keep = c;

    c = tc_open(ward_server_port(srv));
    tc_sends(c, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    expect_next_is_hello();
    tc_close(c);
    c = keep;
}

/* A later status decides: 204 then 200 is a 200 with its body, and the
 * pipelined request after it gets its own response. */
Test(resp, later_status_clears_no_body)
{
    ward_server_config cfg;
    tresp r;

    t_config(&cfg);
    fix_start(&cfg);
    tc_sends(c, "GET /204-then-200 HTTP/1.1\r\nHost: a\r\n\r\n"
                "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    cr_assert_eq(tc_response(c, &r, 0), 0);
    cr_expect_eq(r.status, 200, "%s", r.head);
    cr_expect_eq(r.body_len, 5);
    cr_expect(r.body_len == 5 && memcmp(r.body, "hello", 5) == 0);
    tr_free(&r);
    expect_next_is_hello();
    stop();
}

/* RFC 9110 §8.6: a HEAD response carries no Content-Length it cannot
 * vouch for; the GET of the same still says 0. */
Test(resp, head_of_empty_response_has_no_length)
{
    ward_server_config cfg;
    tresp r;
    char v[64];

    t_config(&cfg);
    fix_start(&cfg);
    tc_sends(c, "HEAD /empty HTTP/1.1\r\nHost: a\r\n\r\nGET /empty HTTP/1.1\r\nHost: a\r\n\r\n"
                "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    cr_assert_eq(tc_response(c, &r, 1), 0);
    cr_expect_eq(r.status, 200);
    cr_expect_str_eq(tr_field(&r, "Content-Length", v, sizeof v), "");
    cr_expect_str_eq(tr_field(&r, "Transfer-Encoding", v, sizeof v), "");
    tr_free(&r);
    cr_assert_eq(tc_response(c, &r, 0), 0);
    cr_expect_str_eq(tr_field(&r, "Content-Length", v, sizeof v), "0");
    tr_free(&r);
    expect_next_is_hello();
    stop();
}

/* The longest server_name and reason, fields until refused: the head
 * still goes out whole. */
Test(resp, fields_until_refused_still_sent)
{
    ward_server_config cfg;
    char name[129];
    tresp r;
    char v[256];

    memset(name, 'n', 128);
    name[128] = '\0';
    t_config(&cfg);
    cfg.server_name = name;
    fix_start(&cfg);
    tc_sends(c, "GET /fields HTTP/1.1\r\nHost: a\r\n\r\nGET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    cr_assert_eq(tc_response(c, &r, 0), 0, "no response: %.80s", c->buf);
    cr_expect_eq(r.status, 299);
    cr_expect_str_eq((char *)r.body, "ok\n");
    cr_expect_str_eq(tr_field(&r, "Server", v, sizeof v), name);
    cr_expect_neq(tr_field(&r, "X-Fill-30", v, sizeof v)[0], '\0');
    tr_free(&r);
    expect_next_is_hello();
    stop();
}

/* sendfile(fd, 0, SIZE_MAX) after one buffered byte: never "fits" the
 * buffer (no wrap): the head goes out and the file follows. */
Test(resp, sendfile_huge_length_does_not_wrap)
{
    ward_server_config cfg;

    fix_fd = temp_file(65536);
    t_config(&cfg);
    fix_start(&cfg);
    tc_sends(c, "GET /wrap HTTP/1.1\r\nHost: a\r\n\r\n");
    tc_read_to_eof(c);
    cr_expect(strncmp((char *)c->buf, "HTTP/1.1 200 ", 13) == 0, "%.60s", c->buf);
    cr_expect(strstr((char *)c->buf, "\r\n\r\n1\r\nx\r\n") != NULL, "%.300s", c->buf);
    cr_expect_geq(c->len, 65536);
    hello_on_a_new_connection();
    stop();
    close(fix_fd);
}

/* A client that resets mid-sendfile, twice: the process lives (no
 * SIGPIPE) and serves the next client. */
Test(resp, sendfile_reset_by_client_survives)
{
    ward_server_config cfg;
    struct linger lg = {1, 0};

    fix_len = 64u << 20;
    fix_fd = temp_file(fix_len);
    t_config(&cfg);
    fix_start(&cfg);
    for (int i = 0; i < 2; i++) {
        tc_sends(c, "GET /big HTTP/1.1\r\nHost: a\r\n\r\n");
        cr_assert_gt(tc_fill(c, T_DEADLINE_MS), 0);
        cr_assert_eq(setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg), 0);
        tc_close(c); /* RST */
        c = tc_open(ward_server_port(srv));
    }
    hello_on_a_new_connection();
    stop();
    close(fix_fd);
}

/* A stop that shuts a socket down mid-sendfile: no SIGPIPE either. */
Test(resp, sendfile_cut_by_stop_survives)
{
    ward_server_config cfg;

    fix_len = 64u << 20;
    fix_fd = temp_file(fix_len);
    t_config(&cfg);
    cfg.shutdown_timeout_ms = 100;
    fix_start(&cfg);
    tc_sends(c, "GET /big HTTP/1.1\r\nHost: a\r\n\r\n");
    cr_assert_gt(tc_fill(c, T_DEADLINE_MS), 0); /* the handler is in sendfile */
    ward_server_stop(srv);
    tc_read_to_eof(c);
    cr_expect(c->len < fix_len, "%zu bytes", c->len);
    stop();
    close(fix_fd);
}

static long ms_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* A client reading a big response far slower than send_min_rate (after
 * its grace) is cut off although no single stall reaches the read
 * timeout; a normal client is served meanwhile. (The handler streams 64
 * MiB in many writes: past resp_buffer its writes wait, under the rate.) */
Test(resp, slow_reader_is_cut_off)
{
    ward_server_config cfg;
    struct sockaddr_in sa;
    int rcv = 4096, fd;
    static char buf[1 << 16];
    size_t total = 0;
    long t0, slow_end, end;
    int eof = 0;

    t_config(&cfg);
    cfg.read_timeout_ms = 60000;
    cfg.send_min_rate = 1000000; /* bytes a second, after... */
    cfg.send_rate_grace_ms = 100;
    fix_start(&cfg);

    fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    cr_assert_geq(fd, 0);
    cr_assert_eq(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv), 0);
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)ward_server_port(srv));
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert_eq(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    cr_assert_eq(send(fd, "GET /stream64m HTTP/1.1\r\nHost: a\r\n\r\n", 37, MSG_NOSIGNAL), 37);

    /* 1 KiB per 20 ms (the pace of a slow client, not a synchronisation)
     * for 1.5 s: 50 KB/s against the 1 MB/s asked */
    t0 = ms_now();
    slow_end = t0 + 1500;
    while (!eof && ms_now() < slow_end) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        ssize_t n;
        if (poll(&pfd, 1, 20) > 0) {
            n = recv(fd, buf, 1024, 0);
            if (n <= 0)
                eof = 1;
            else
                total += (size_t)n;
        }
        poll(NULL, 0, 20);
    }
    hello_on_a_new_connection();
    /* then fast: what the kernel still holds, and the end */
    end = ms_now() + 10000;
    while (!eof && ms_now() < end) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        ssize_t n;
        if (poll(&pfd, 1, (int)(end - ms_now())) <= 0)
            break;
        n = recv(fd, buf, sizeof buf, 0);
        if (n <= 0)
            eof = 1;
        else
            total += (size_t)n;
    }
    cr_expect(eof, "the connection stayed open");
    cr_expect(total < (size_t)64 << 20, "the whole response went out: %zu bytes", total);
    {
        ward_server_stats st;
        ward_server_stats_get(srv, &st, NULL, NULL);
        cr_expect_geq(st.send_waits, 1, "the streaming handler never waited (resp_buffer)");
        cr_expect_eq(st.slow_readers, 1);
    }
    close(fd);
    stop();
}

/* RFC 9110 §15.3.6: a 205 has no content, whatever the app writes. */
Test(resp, status_205_has_no_body)
{
    ward_server_config cfg;
    tresp r;
    char v[64];

    t_config(&cfg);
    fix_start(&cfg);
    tc_sends(c, "GET /205 HTTP/1.1\r\nHost: a\r\n\r\nGET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    cr_assert_eq(tc_response(c, &r, 0), 0);
    cr_expect_eq(r.status, 205);
    cr_expect_str_eq(tr_field(&r, "Content-Length", v, sizeof v), "0");
    cr_expect_eq(r.body_len, 0);
    tr_free(&r);
    expect_next_is_hello();
    stop();
}
