/* SPDX-License-Identifier: MIT */
/* test_keepalive.c - keep-alive, pipelining in order, idle expiry,
 * requests per connection, the Connection rules of 1.0 and 1.1. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

static ward_server *srv;
static tconn *c;

static void start(ward_server_config *cfg)
{
    srv = t_start(cfg);
    c = tc_open(ward_server_port(srv));
}

static void stop(void)
{
    tc_close(c);
    ward_server_free(srv);
}

static void expect_ok(const char *body, const char *connection)
{
    tresp r;
    char v[64];

    cr_assert_eq(tc_response(c, &r, 0), 0);
    cr_expect_eq(r.status, 200, "%s", r.head);
    cr_expect_str_eq((char *)r.body, body);
    cr_expect_str_eq(tr_field(&r, "Connection", v, sizeof v), connection);
    tr_free(&r);
}

Test(keepalive, two_requests_one_connection)
{
    ward_server_config cfg;

    t_config(&cfg);
    start(&cfg);
    tc_sends(c, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    expect_ok("hello\n", "");
    tc_sends(c, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    expect_ok("hello\n", "");
    cr_expect_eq(tc_eof(c, 100), -1, "closed after a keep-alive response");
    stop();
}

Test(keepalive, pipelined_in_order)
{
    ward_server_config cfg;
    tresp r;

    t_config(&cfg);
    start(&cfg);
    tc_sends(c, "GET /echo?1 HTTP/1.1\r\nHost: a\r\n\r\n"
                "POST /echo?2 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
                "GET /echo?3 HTTP/1.1\r\nHost: a\r\n\r\n"
                "GET /hello HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    for (int i = 1; i <= 3; i++) {
        char want[32];
        cr_assert_eq(tc_response(c, &r, 0), 0);
        cr_expect_eq(r.status, 200);
        snprintf(want, sizeof want, "\"target\":\"/echo?%d\"", i);
        cr_expect(strstr((char *)r.body, want) != NULL, "response %d out of order: %s", i, r.body);
        tr_free(&r);
    }
    expect_ok("hello\n", "close");
    cr_expect_eq(tc_eof(c, T_DEADLINE_MS), 1);
    stop();
}

Test(keepalive, idle_connection_expires_silently)
{
    ward_server_config cfg;

    t_config(&cfg);
    cfg.keepalive_timeout_ms = 200;
    start(&cfg);
    tc_sends(c, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    expect_ok("hello\n", "");
    cr_expect_eq(tc_eof(c, T_DEADLINE_MS), 1, "the idle connection was not closed, or got bytes");
    stop();
}

Test(keepalive, max_requests_per_connection)
{
    ward_server_config cfg;

    t_config(&cfg);
    cfg.max_requests = 2;
    start(&cfg);
    tc_sends(c, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    expect_ok("hello\n", "");
    tc_sends(c, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    expect_ok("hello\n", "close");
    cr_expect_eq(tc_eof(c, T_DEADLINE_MS), 1);
    stop();
}

Test(keepalive, client_close)
{
    ward_server_config cfg;

    t_config(&cfg);
    start(&cfg);
    tc_sends(c, "GET /hello HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    expect_ok("hello\n", "close");
    cr_expect_eq(tc_eof(c, T_DEADLINE_MS), 1);
    stop();
}

Test(keepalive, http10_closes_by_default)
{
    ward_server_config cfg;

    t_config(&cfg);
    start(&cfg);
    tc_sends(c, "GET /hello HTTP/1.0\r\n\r\n");
    expect_ok("hello\n", "close");
    cr_expect_eq(tc_eof(c, T_DEADLINE_MS), 1);
    stop();
}

Test(keepalive, http10_keep_alive_when_asked)
{
    ward_server_config cfg;

    t_config(&cfg);
    start(&cfg);
    tc_sends(c, "GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    expect_ok("hello\n", "keep-alive");
    tc_sends(c, "GET /hello HTTP/1.0\r\n\r\n");
    expect_ok("hello\n", "close");
    cr_expect_eq(tc_eof(c, T_DEADLINE_MS), 1);
    stop();
}

Test(keepalive, status_line_version_and_server_fields)
{
    ward_server_config cfg;
    tresp r;
    char v[64];

    t_config(&cfg);
    cfg.server_name = "";
    start(&cfg);
    tc_sends(c, "GET /hello HTTP/1.0\r\n\r\n");
    cr_assert_eq(tc_response(c, &r, 0), 0);
    cr_expect(strncmp(r.head, "HTTP/1.1 200 OK\r\nDate: ", 23) == 0, "%s", r.head);
    cr_expect_str_eq(tr_field(&r, "Server", v, sizeof v), "");
    cr_expect_str_eq(tr_field(&r, "Content-Length", v, sizeof v), "6");
    tr_free(&r);
    stop();
}

/* A higher HTTP/1.x minor version is read as 1.1 (RFC 9110 §2.5, §6.2):
 * the response is HTTP/1.1, the connection kept alive by 1.1's rule, a body
 * of unknown length chunked, and a missing Host is 400 as in 1.1. */
Test(keepalive, http1x_minor_above_1_read_as_http11)
{
    ward_server_config cfg;
    tresp r;
    char v[64];

    t_config(&cfg);
    start(&cfg);
    tc_sends(c, "GET /hello HTTP/1.2\r\nHost: a\r\n\r\n");
    cr_assert_eq(tc_response(c, &r, 0), 0);
    cr_expect(strncmp(r.head, "HTTP/1.1 200 OK\r\n", 17) == 0, "%s", r.head);
    cr_expect_str_eq(tr_field(&r, "Connection", v, sizeof v), "");
    cr_expect_str_eq((char *)r.body, "hello\n");
    tr_free(&r);
    tc_sends(c, "GET /stream HTTP/1.9\r\nHost: a\r\n\r\n");
    cr_assert_eq(tc_response(c, &r, 0), 0);
    cr_expect(strncmp(r.head, "HTTP/1.1 200 OK\r\n", 17) == 0, "%s", r.head);
    cr_expect_eq(r.chunked, 1, "no chunked body for an HTTP/1.9 client");
    cr_expect_eq(r.body_len, 30000);
    tr_free(&r);
    tc_sends(c, "GET /hello HTTP/1.5\r\n\r\n");
    tc_read_to_eof(c);
    cr_expect(strncmp((char *)c->buf, "HTTP/1.1 400 Bad Request\r\n", 26) == 0, "%s", c->buf);
    cr_expect(strstr((char *)c->buf, "\r\n\r\nmissing Host\n") != NULL, "%s", c->buf);
    stop();
}

Test(keepalive, protocol_http10)
{
    ward_server_config cfg;
    tresp r;

    t_config(&cfg);
    cfg.http10 = 1;
    start(&cfg);
    tc_sends(c, "GET /stream HTTP/1.1\r\nHost: a\r\n\r\n");
    cr_assert_eq(tc_response(c, &r, 0), 0);
    cr_expect(strncmp(r.head, "HTTP/1.0 200 OK\r\n", 17) == 0, "%s", r.head);
    cr_expect_eq(r.chunked, 0, "chunked from an HTTP/1.0 server");
    cr_expect_eq(r.body_len, 30000);
    tr_free(&r);
    stop();
}
