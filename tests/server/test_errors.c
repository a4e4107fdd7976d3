/* SPDX-License-Identifier: MIT */
/* test_errors.c - every error status the server sends, as bytes on the
 * wire: status line, Connection: close, the short body, then the close. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

/* Send req on a fresh connection of a default server; expect exactly one
 * response with status and body, Connection: close, then EOF. */
static void expect_error(const char *req, size_t req_len, int status, const char *body)
{
    ward_server_config cfg;
    ward_server *srv;
    tconn *c;
    tresp r;
    char v[128];

    t_config(&cfg);
    srv = t_start(&cfg);
    c = tc_open(ward_server_port(srv));
    tc_send(c, req, req_len);
    cr_assert_eq(tc_response(c, &r, 0), 0, "no response to %.40s", req);
    cr_expect_eq(r.status, status, "status %d, wanted %d: %s", r.status, status, r.head);
    cr_expect_str_eq(tr_field(&r, "Connection", v, sizeof v), "close");
    cr_expect_str_eq(tr_field(&r, "Content-Type", v, sizeof v), "text/plain; charset=utf-8");
    cr_expect_neq(tr_field(&r, "Date", v, sizeof v)[0], '\0');
    cr_expect_str_eq(tr_field(&r, "Server", v, sizeof v), "ward/" WARD_VERSION);
    if (body != NULL)
        cr_expect_str_eq((char *)r.body, body);
    cr_expect_eq(tc_eof(c, T_DEADLINE_MS), 1, "the connection stays open after %d", status);
    tr_free(&r);
    tc_close(c);
    ward_server_free(srv);
}

#define EXPECT(req, status, body) expect_error(req, sizeof req - 1, status, body)

Test(errors, bad_request_line_400)
{
    EXPECT("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400, NULL);
}

Test(errors, missing_host_400)
{
    EXPECT("GET / HTTP/1.1\r\n\r\n", 400, "missing Host\n");
}

Test(errors, status_line_400_exact)
{
    ward_server_config cfg;
    ward_server *srv;
    tconn *c;

    t_config(&cfg);
    srv = t_start(&cfg);
    c = tc_open(ward_server_port(srv));
    tc_sends(c, "GET / HTTP/1.1\r\n\r\n");
    tc_read_to_eof(c);
    cr_assert(strncmp((char *)c->buf, "HTTP/1.1 400 Bad Request\r\nDate: ", 32) == 0, "%s", c->buf);
    cr_assert(strstr((char *)c->buf,
                     "\r\nServer: ward/" WARD_VERSION "\r\nContent-Type: text/plain; charset=utf-8\r\n"
                     "Content-Length: 13\r\nConnection: close\r\n\r\nmissing Host\n") != NULL,
              "%s", c->buf);
    cr_assert(strstr((char *)c->buf, "missing Host\n") + 13 == (char *)c->buf + c->len,
              "bytes after the error response");
    tc_close(c);
    ward_server_free(srv);
}

Test(errors, head_deadline_408)
{
    ward_server_config cfg;
    ward_server *srv;
    tconn *c;
    tresp r;
    char v[64];

    t_config(&cfg);
    cfg.head_timeout_ms = 200;
    srv = t_start(&cfg);
    c = tc_open(ward_server_port(srv));
    tc_sends(c, "GET / HTTP/1.1\r\nHo");
    cr_assert_eq(tc_response(c, &r, 0), 0);
    cr_expect_eq(r.status, 408);
    cr_expect_str_eq(tr_field(&r, "Connection", v, sizeof v), "close");
    cr_expect_eq(tc_eof(c, T_DEADLINE_MS), 1);
    tr_free(&r);
    tc_close(c);
    ward_server_free(srv);
}

Test(errors, content_length_over_limit_413)
{
    EXPECT("POST /read HTTP/1.1\r\nHost: a\r\nContent-Length: 2000000\r\n\r\n", 413, NULL);
}

Test(errors, request_line_too_long_414)
{
    char *req = malloc(9000 + 64);
    size_t n;

    strcpy(req, "GET /");
    memset(req + 5, 'a', 9000);
    strcpy(req + 9005, " HTTP/1.1\r\nHost: a\r\n\r\n");
    n = strlen(req);
    expect_error(req, n, 414, NULL);
    free(req);
}

Test(errors, expectation_417)
{
    EXPECT("GET / HTTP/1.1\r\nHost: a\r\nExpect: teapot\r\n\r\n", 417, NULL);
}

Test(errors, field_line_too_long_431)
{
    char *req = malloc(9000 + 64);
    size_t n;

    strcpy(req, "GET / HTTP/1.1\r\nHost: a\r\nX-Big: ");
    n = strlen(req);
    memset(req + n, 'b', 9000);
    strcpy(req + n + 9000, "\r\n\r\n");
    expect_error(req, strlen(req), 431, NULL);
    free(req);
}

Test(errors, too_many_fields_431)
{
    char *req = malloc(200 * 16 + 64);
    size_t n;

    strcpy(req, "GET / HTTP/1.1\r\nHost: a\r\n");
    n = strlen(req);
    for (int i = 0; i < 200; i++)
        n += (size_t)sprintf(req + n, "X-F%d: v\r\n", i);
    strcpy(req + n, "\r\n");
    expect_error(req, strlen(req), 431, NULL);
    free(req);
}

Test(errors, unknown_coding_501)
{
    /* gzip then chunked: framed, but gzip is not implemented (RFC 9112 §6.1 ¶11) */
    EXPECT("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501, NULL);
}

Test(errors, version_505)
{
    EXPECT("GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505, NULL);
}

/* 505 only for a major version other than 1 (RFC 9110 §6.2): 0.9 too */
Test(errors, version_0_9_505)
{
    EXPECT("GET / HTTP/0.9\r\nHost: a\r\n\r\n", 505, NULL);
}

/* pct-encoded = "%" HEXDIG HEXDIG (RFC 3986 §2.1), anywhere in the target */
Test(errors, bad_pct_encoding_400)
{
    EXPECT("GET /a?q=%zz HTTP/1.1\r\nHost: a\r\n\r\n", 400, "invalid request-target\n");
}

Test(errors, cl_and_te_400)
{
    EXPECT("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
           400, NULL);
}

Test(errors, absolute_form_without_proxy_mode_400)
{
    EXPECT("GET http://a/x HTTP/1.1\r\nHost: a\r\n\r\n", 400, "absolute-form needs proxy mode\n");
}

Test(errors, connect_without_proxy_mode_405)
{
    EXPECT("CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n", 405, NULL);
}

Test(errors, head_request_error_has_no_body)
{
    ward_server_config cfg;
    ward_server *srv;
    tconn *c;
    char *end;

    t_config(&cfg);
    srv = t_start(&cfg);
    c = tc_open(ward_server_port(srv));
    tc_sends(c, "HEAD / HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n");
    tc_read_to_eof(c);
    cr_assert(strncmp((char *)c->buf, "HTTP/1.1 400 Bad Request\r\n", 26) == 0, "%s", c->buf);
    end = strstr((char *)c->buf, "\r\n\r\n");
    cr_assert_not_null(end);
    cr_expect_eq(end + 4, (char *)c->buf + c->len, "a body in a response to HEAD: %s", end + 4);
    tc_close(c);
    ward_server_free(srv);
}

Test(errors, app_failure_500)
{
    EXPECT("GET /fail HTTP/1.1\r\nHost: a\r\n\r\n", 500, NULL);
}

/* Lingering close: a client that sent more than the server read still
 * gets the whole error response, not a reset. */
Test(errors, lingering_close_lets_the_client_read)
{
    ward_server_config cfg;
    ward_server *srv;
    tconn *c;
    tresp r;
    char *junk = malloc(256 * 1024);

    t_config(&cfg);
    srv = t_start(&cfg);
    c = tc_open(ward_server_port(srv));
    memset(junk, 'j', 256 * 1024);
    memcpy(junk, "GET / HTTP/1.1\r\n\r\n", 18); /* 400: missing Host, then junk */
    tc_send(c, junk, 256 * 1024);
    cr_assert_eq(tc_response(c, &r, 0), 0, "the error response was lost");
    cr_expect_eq(r.status, 400);
    cr_expect_str_eq((char *)r.body, "missing Host\n");
    tr_free(&r);
    tc_close(c);
    ward_server_free(srv);
    free(junk);
}
