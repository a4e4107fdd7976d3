/* SPDX-License-Identifier: MIT */
/* test_body.c - request bodies: known length, chunked, 100-continue (only
 * when the app reads, never to HTTP/1.0), the body limit, draining. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

static ward_server *srv;
static tconn *c;

static void start_with(ward_server_config *cfg)
{
    srv = t_start(cfg);
    c = tc_open(ward_server_port(srv));
}

static void start(void)
{
    ward_server_config cfg;

    t_config(&cfg);
    start_with(&cfg);
}

static void stop(void)
{
    tc_close(c);
    ward_server_free(srv);
}

static void expect(int status, const char *body)
{
    tresp r;

    cr_assert_eq(tc_response(c, &r, 0), 0);
    cr_expect_eq(r.status, status, "%s", r.head);
    if (body != NULL)
        cr_expect_str_eq((char *)r.body, body);
    tr_free(&r);
}

Test(body, known_length)
{
    start();
    tc_sends(c, "POST /read HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
    expect(200, "read 5\n");
    stop();
}

Test(body, echo_of_the_body)
{
    start();
    tc_sends(c, "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
    {
        tresp r;
        cr_assert_eq(tc_response(c, &r, 0), 0);
        cr_expect(strstr((char *)r.body, "\"body_length\":5,\"body_base64\":\"aGVsbG8=\"") != NULL,
                  "%s", r.body);
        cr_expect(strstr((char *)r.body, "[\"Content-Length\",\"5\"]") != NULL, "%s", r.body);
        tr_free(&r);
    }
    stop();
}

Test(body, chunked)
{
    start();
    tc_sends(c, "POST /read HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                "5\r\nhello\r\n6;x=y\r\n world\r\n0\r\nTrailer: t\r\n\r\n"
                "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    expect(200, "read 11\n");
    expect(200, "hello\n");
    stop();
}

Test(body, chunked_malformed_is_400_and_close)
{
    start();
    tc_sends(c, "POST /read HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                "-5\r\nhello\r\n0\r\n\r\n");
    expect(400, NULL);
    cr_expect_eq(tc_eof(c, T_DEADLINE_MS), 1);
    stop();
}

Test(body, chunked_over_limit_413)
{
    ward_server_config cfg;

    t_config(&cfg);
    cfg.max_body = 10;
    start_with(&cfg);
    tc_sends(c, "POST /read HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                "8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n");
    expect(413, NULL);
    cr_expect_eq(tc_eof(c, T_DEADLINE_MS), 1);
    stop();
}

Test(body, length_over_limit_413_before_reading)
{
    ward_server_config cfg;

    t_config(&cfg);
    cfg.max_body = 10;
    start_with(&cfg);
    tc_sends(c, "POST /read HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n");
    expect(413, NULL);
    cr_expect_eq(tc_eof(c, T_DEADLINE_MS), 1);
    stop();
}

Test(body, continue_when_the_app_reads)
{
    start();
    tc_sends(c, "POST /read HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
    expect(100, NULL);
    cr_expect(c->len == 0, "bytes after the 100: %s", c->buf);
    tc_sends(c, "hello");
    expect(200, "read 5\n");
    stop();
}

Test(body, continue_exact_bytes)
{
    start();
    tc_sends(c, "POST /read HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
    while (c->len < 25 && tc_fill(c, T_DEADLINE_MS) > 0)
        ;
    cr_assert_eq(c->len, 25, "%s", c->buf);
    cr_expect(memcmp(c->buf, "HTTP/1.1 100 Continue\r\n\r\n", 25) == 0, "%s", c->buf);
    stop();
}

Test(body, no_continue_when_the_app_does_not_read)
{
    tresp r;
    char v[64];

    start();
    tc_sends(c, "POST /hello HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
    cr_assert_eq(tc_response(c, &r, 0), 0);
    cr_expect_eq(r.status, 200, "%s", r.head);
    cr_expect_str_eq((char *)r.body, "hello\n");
    /* the body never came: the connection cannot be reused */
    cr_expect_str_eq(tr_field(&r, "Connection", v, sizeof v), "close");
    tr_free(&r);
    cr_expect_eq(tc_eof(c, T_DEADLINE_MS), 1);
    stop();
}

Test(body, no_continue_to_http10)
{
    start();
    tc_sends(c, "POST /read HTTP/1.0\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
    /* the handler is blocked in its read: a 100 would arrive now */
    cr_expect_eq(tc_fill(c, 300), -1, "bytes before the body was sent: %s", c->buf);
    tc_sends(c, "hello");
    expect(200, "read 5\n");
    stop();
}

Test(body, unread_body_is_drained)
{
    start();
    tc_sends(c, "POST /hello HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789"
                "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    expect(200, "hello\n");
    expect(200, "hello\n");
    stop();
}

Test(body, unread_chunked_body_is_drained)
{
    start();
    tc_sends(c, "POST /hello HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                "3\r\nabc\r\n0\r\n\r\nGET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    expect(200, "hello\n");
    expect(200, "hello\n");
    stop();
}

Test(body, unread_body_over_drain_limit_closes)
{
    ward_server_config cfg;
    tresp r;
    char v[64];

    t_config(&cfg);
    cfg.max_drain = 100;
    start_with(&cfg);
    /* the body is not sent yet: 1000 bytes to come are more than max_drain */
    tc_sends(c, "POST /hello HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n");
    cr_assert_eq(tc_response(c, &r, 0), 0);
    cr_expect_eq(r.status, 200);
    cr_expect_str_eq(tr_field(&r, "Connection", v, sizeof v), "close");
    tr_free(&r);
    cr_expect_eq(tc_eof(c, T_DEADLINE_MS), 1);
    stop();
}

Test(body, unread_buffered_body_within_drain_limit_keeps_the_connection)
{
    ward_server_config cfg;
    char body[1000];

    t_config(&cfg);
    cfg.max_drain = 2000;
    start_with(&cfg);
    memset(body, 'b', sizeof body);
    tc_sends(c, "POST /hello HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n");
    tc_send(c, body, sizeof body);
    expect(200, "hello\n");
    tc_sends(c, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    expect(200, "hello\n");
    stop();
}

Test(body, body_progress_deadline_408)
{
    ward_server_config cfg;
    tresp r;
    char v[64];

    t_config(&cfg);
    cfg.body_timeout_ms = 300;
    start_with(&cfg);
    /* 10 of 100 bytes, then nothing: the handler's read must give up */
    tc_sends(c, "POST /read HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n0123456789");
    cr_assert_eq(tc_response(c, &r, 0), 0);
    cr_expect_eq(r.status, 408, "%s", r.head);
    cr_expect_str_eq(tr_field(&r, "Connection", v, sizeof v), "close");
    tr_free(&r);
    cr_expect_eq(tc_eof(c, T_DEADLINE_MS), 1);
    stop();
}

Test(body, stalled_unread_body_does_not_hold_the_worker)
{
    ward_server_config cfg;

    t_config(&cfg);
    cfg.linger_ms = 200; /* the drain gives up after it, not after the 30 s body deadline */
    start_with(&cfg);
    tc_sends(c, "POST /hello HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
    expect(200, "hello\n");
    cr_expect_eq(tc_eof(c, T_DEADLINE_MS), 1);
    stop();
}
