/* SPDX-License-Identifier: MIT */
/* test_stats.c - the stats per status class and per parse-error reason,
 * and on_response, for the server's own answers too: a malformed head,
 * an oversize head, a bad Transfer-Encoding, then an app response. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static pthread_mutex_t seen_lock = PTHREAD_MUTEX_INITIALIZER;
static char seen[4096]; /* "status app request-line|-\n"... */

static void on_response(void *arg, const ward_response_info *info)
{
    size_t n;

    (void)arg;
    pthread_mutex_lock(&seen_lock);
    n = strlen(seen);
    snprintf(seen + n, sizeof seen - n, "%d %d %.*s %llu\n", info->status, info->app,
             info->request_line != NULL ? (int)info->request_line_len : 1,
             info->request_line != NULL ? (const char *)info->request_line : "-",
             (unsigned long long)info->bytes);
    pthread_mutex_unlock(&seen_lock);
}

/* One request on a fresh connection; the status of the answer, read to
 * the close (every one here closes but the last). */
static int one(unsigned port, const char *req, size_t len, int to_eof)
{
    tconn *c = tc_open(port);
    tresp r;
    int status;

    tc_send(c, req, len);
    cr_assert_eq(tc_response(c, &r, 0), 0, "no response to %.40s", req);
    status = r.status;
    if (to_eof)
        cr_expect_eq(tc_eof(c, T_DEADLINE_MS), 1);
    tr_free(&r);
    tc_close(c);
    return status;
}

Test(stats, reasons_classes_and_on_response)
{
    ward_server_config cfg;
    ward_server *srv;
    ward_server_stats st;
    static char big[9000 + 64];
    const char *seen_copy;
    unsigned port;
    size_t n;

    t_config(&cfg);
    cfg.on_response = on_response;
    srv = t_start(&cfg);
    port = ward_server_port(srv);
    ward_server_stats_get(srv, &st, NULL, NULL);
    for (unsigned i = 0; i < 6; i++)
        cr_expect_eq(st.status_class[i], 0);
    for (unsigned i = 0; i < WARD_STATUS_SLOTS; i++)
        cr_expect_eq(st.parse_errors[i], 0, "%s", ward_status_str((ward_status)i));

#define ONE(req, eof) one(port, req, sizeof req - 1, eof)
    cr_expect_eq(ONE("GET / HTTP/1.1 x\r\nHost: a\r\n\r\n", 1), 400);
    cr_expect_eq(ONE("GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked;x=1\r\n\r\n", 1), 400);
    cr_expect_eq(ONE("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 1), 501);
    n = (size_t)snprintf(big, sizeof big, "GET /");
    memset(big + n, 'a', 9000);
    n += 9000;
    n += (size_t)snprintf(big + n, sizeof big - n, " HTTP/1.1\r\nHost: a\r\n\r\n");
    cr_expect_eq(one(port, big, n, 1), 414);
    cr_expect_eq(ONE("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n", 0), 200);
    cr_expect_eq(ONE("GET /hello HTTP/1.1\r\n\r\n", 1), 400); /* the parser's: no request line */
    /* a body error, found while the server collects the body: it answers
     * it, and the handler never runs */
    cr_expect_eq(ONE("POST /read HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 1),
                 400);
#undef ONE

    ward_server_stats_get(srv, &st, NULL, NULL);
    cr_expect_eq(st.parse_errors[WARD_E_REQUEST_LINE], 1);
    cr_expect_eq(st.parse_errors[WARD_E_TRANSFER_ENCODING], 1);
    cr_expect_eq(st.parse_errors[WARD_E_CODING_UNSUPPORTED], 1);
    cr_expect_eq(st.parse_errors[WARD_E_REQUEST_LINE_TOO_LONG], 1);
    cr_expect_eq(st.parse_errors[WARD_E_HOST_MISSING], 1);
    cr_expect_eq(st.parse_errors[WARD_E_CHUNK_SIZE], 1);
    for (unsigned i = 0, sum = 0; i <= WARD_STATUS_SLOTS; i++) {
        if (i == WARD_STATUS_SLOTS) {
            cr_expect_eq(sum, 6);
            break;
        }
        sum += (unsigned)st.parse_errors[i];
    }
    cr_expect_eq(st.status_class[0], 0);
    cr_expect_eq(st.status_class[1], 0);
    cr_expect_eq(st.status_class[2], 1);
    cr_expect_eq(st.status_class[3], 0);
    cr_expect_eq(st.status_class[4], 5);
    cr_expect_eq(st.status_class[5], 1);

    /* every connection closed or answered: stop joins the workers, so every
     * on_response call is done */
    ward_server_stop(srv);
    pthread_mutex_lock(&seen_lock);
    seen_copy = seen;
    cr_expect(strstr(seen_copy, "400 0 - 23\n") != NULL, "%s", seen_copy);
    cr_expect(strstr(seen_copy, "400 0 GET / HTTP/1.1 ") != NULL, "%s", seen_copy);
    cr_expect(strstr(seen_copy, "501 0 POST / HTTP/1.1 ") != NULL, "%s", seen_copy);
    cr_expect(strstr(seen_copy, "414 0 - ") != NULL, "%s", seen_copy);
    cr_expect(strstr(seen_copy, "200 1 GET /hello HTTP/1.1 6\n") != NULL, "%s", seen_copy);
    cr_expect(strstr(seen_copy, "400 0 - 13\n") != NULL, "%s", seen_copy);
    cr_expect(strstr(seen_copy, "400 0 POST /read HTTP/1.1 ") != NULL, "%s", seen_copy);
    pthread_mutex_unlock(&seen_lock);
    ward_server_free(srv);
}

static pthread_mutex_t one_lock = PTHREAD_MUTEX_INITIALIZER;
static char one_seen[512]; /* "status app path\n"... of requests the handler ran for */

static void on_response_req(void *arg, const ward_response_info *info)
{
    size_t n;

    (void)arg;
    pthread_mutex_lock(&one_lock);
    n = strlen(one_seen);
    snprintf(one_seen + n, sizeof one_seen - n, "%d %d %.*s\n", info->status, info->app,
             info->req != NULL ? (int)info->req->path.len : 1,
             info->req != NULL ? (const char *)info->req->path.ptr : "-");
    pthread_mutex_unlock(&one_lock);
}

/* One outcome: a handler that declares Content-Length 10, writes 5 bytes
 * and returns (nothing sent yet) gets a 500 on the wire, and on_response
 * says 500 too, with the request it ran for; a good response says 200. */
Test(stats, one_outcome)
{
    ward_server_config cfg;
    ward_server *srv;
    tconn *c;
    tresp r;

    t_config(&cfg);
    cfg.on_response = on_response_req;
    srv = t_start(&cfg);
    c = tc_open(ward_server_port(srv));
    tc_sends(c, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    cr_assert_eq(tc_response(c, &r, 0), 0);
    cr_expect_eq(r.status, 200);
    tr_free(&r);
    tc_sends(c, "GET /cl-short HTTP/1.1\r\nHost: a\r\n\r\n");
    cr_assert_eq(tc_response(c, &r, 0), 0);
    cr_expect_eq(r.status, 500, "%s", r.head);
    tr_free(&r);
    tc_close(c);
    ward_server_stop(srv); /* joins the workers: every on_response call is done */
    pthread_mutex_lock(&one_lock);
    cr_expect_str_eq(one_seen, "200 1 /hello\n500 1 /cl-short\n");
    pthread_mutex_unlock(&one_lock);
    ward_server_free(srv);
}
