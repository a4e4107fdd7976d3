/* SPDX-License-Identifier: MIT */
/* test_body.c - request bodies: known length, chunked, 100-continue (the
 * server's, never to HTTP/1.0), the body limit, collecting, draining. */
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

/* The server collects a body before the handler runs (up to body_buffer),
 * so it sends the 100 itself, also for a handler that never reads; the
 * handler runs once the body came, and the connection is kept. */
Test(body, continue_sent_by_the_server)
{
    start();
    tc_sends(c, "POST /hello HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
    while (c->len < 25 && tc_fill(c, T_DEADLINE_MS) > 0)
        ;
    cr_assert_eq(c->len, 25, "%.*s", (int)c->len, c->buf);
    cr_expect(memcmp(c->buf, "HTTP/1.1 100 Continue\r\n\r\n", 25) == 0);
    c->len = 0;
    tc_sends(c, "hello");
    expect(200, "hello\n");
    tc_sends(c, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    expect(200, "hello\n");
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

/* A body within body_buffer is collected before the handler runs: the
 * handler that does not read it leaves nothing to drain, whatever
 * max_drain says, and the connection is kept. (Before, the handler ran
 * at once and the unsent 1000 bytes, over max_drain, closed it.) */
/* A 1000-byte body in two halves, to a handler that does not read it:
 * no answer before the second half, then 200 and the connection kept. */
static void body_before_handler(uint32_t body_buffer)
{
    ward_server_config cfg;
    ward_server_stats st;
    char body[1000];

    t_config(&cfg);
    cfg.max_drain = 100;
    cfg.body_buffer = body_buffer;
    start_with(&cfg);
    memset(body, 'b', sizeof body);
    tc_sends(c, "POST /hello HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n");
    tc_send(c, body, 500);
    cr_expect_eq(tc_fill(c, 200), -1, "answered before the body came: %s", c->buf);
    ward_server_stats_get(srv, &st, NULL, NULL);
    cr_expect_eq(st.requests, 0, "the handler ran before the body came");
    tc_send(c, body + 500, 500);
    expect(200, "hello\n");
    tc_sends(c, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    expect(200, "hello\n");
    stop();
}

Test(body, body_collected_before_the_handler)
{
    body_before_handler(0);
}

/* Past body_buffer the body is still collected before the handler runs
 * (its first part in a temporary file): a handler that does not read it
 * leaves nothing to drain, and the connection is kept. */
Test(body, body_over_buffer_collected_before_the_handler)
{
    body_before_handler(200);
}

/* Without a temporary file (body_temp_dir missing) the handler gets the
 * first body_buffer bytes and reads the rest itself: over max_drain
 * unread, the connection closes. */
Test(body, unread_body_over_buffer_without_temp_dir_closes)
{
    ward_server_config cfg;
    tresp r;
    char v[64], body[200];

    t_config(&cfg);
    cfg.max_drain = 100;
    cfg.body_buffer = 200;
    cfg.body_temp_dir = "/nonexistent/ward-test";
    start_with(&cfg);
    memset(body, 'b', sizeof body);
    tc_sends(c, "POST /hello HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n");
    tc_send(c, body, sizeof body);
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

/* A stalled body is held by the event side, not a worker: the only
 * worker serves another client meanwhile, and the stalled one gets 408
 * at its body deadline (before, the handler ran and the drain gave up). */
Test(body, stalled_unread_body_does_not_hold_the_worker)
{
    ward_server_config cfg;
    tconn *b;

    t_config(&cfg);
    cfg.min_threads = cfg.max_threads = 1;
    cfg.body_timeout_ms = 500;
    start_with(&cfg);
    tc_sends(c, "POST /hello HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
    b = tc_open(ward_server_port(srv));
    tc_sends(b, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    {
        tconn *keep = c;
        c = b;
        expect(200, "hello\n");
        c = keep;
    }
    tc_close(b);
    expect(408, NULL);
    cr_expect_eq(tc_eof(c, T_DEADLINE_MS), 1);
    stop();
}
