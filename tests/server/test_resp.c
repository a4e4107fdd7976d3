/* test_resp.c - what the server guarantees of a response whatever the app
 * does: no body for HEAD/204/304, no response splitting, Content-Length
 * enforced (never two responses), chunked when the length is unknown. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
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
