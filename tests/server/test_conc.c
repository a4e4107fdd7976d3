/* SPDX-License-Identifier: MIT */
/* test_conc.c - the concurrency tests (also run under ThreadSanitizer):
 * slow clients do not hold workers, a full queue gives 503, the pool grows
 * and shrinks, graceful stop lets an in-flight response finish and leaks
 * no thread or descriptor. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

static void expect(tconn *c, int status, const char *body)
{
    tresp r;

    cr_assert_eq(tc_response(c, &r, 0), 0);
    cr_expect_eq(r.status, status, "%s", r.head);
    if (body != NULL)
        cr_expect_str_eq((char *)r.body, body);
    tr_free(&r);
}

/* The last response of a connection: it says so, then the server closes. */
static void expect_last(tconn *c, int status, const char *body)
{
    tresp r;
    char v[64];

    cr_assert_eq(tc_response(c, &r, 0), 0);
    cr_expect_eq(r.status, status, "%s", r.head);
    cr_expect_str_eq((char *)r.body, body);
    cr_expect_str_eq(tr_field(&r, "Connection", v, sizeof v), "close");
    tr_free(&r);
    cr_expect_eq(tc_eof(c, T_DEADLINE_MS), 1);
}

#define SLOW 50

Test(conc, slow_clients_do_not_stop_a_normal_one)
{
    static const char req[] = "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n";
    ward_server_config cfg;
    ward_server *srv;
    tconn *slow[SLOW], *c;

    t_config(&cfg);
    cfg.min_threads = 2;
    cfg.max_threads = 4; /* far fewer workers than slow clients */
    srv = t_start(&cfg);
    for (int i = 0; i < SLOW; i++)
        slow[i] = tc_open(ward_server_port(srv));
    /* one byte per round for every slow client, a normal client each round */
    for (size_t byte = 0; byte < 3; byte++) {
        for (int i = 0; i < SLOW; i++)
            tc_send(slow[i], req + byte, 1);
        c = tc_open(ward_server_port(srv));
        tc_sends(c, req);
        expect(c, 200, "hello\n"); /* within T_DEADLINE_MS */
        tc_close(c);
    }
    /* the slow ones finish and are answered too */
    for (int i = 0; i < SLOW; i++)
        tc_sends(slow[i], req + 3);
    for (int i = 0; i < SLOW; i++) {
        expect(slow[i], 200, "hello\n");
        tc_close(slow[i]);
    }
    ward_server_free(srv);
}

Test(conc, full_queue_gives_503)
{
    ward_server_config cfg;
    ward_server *srv;
    tconn *a, *b, *c;
    tresp r;
    char v[64];

    t_config(&cfg);
    cfg.min_threads = 1;
    cfg.max_threads = 1;
    cfg.queue_size = 1;
    cfg.retry_after_s = 7;
    srv = t_start(&cfg);
    a = tc_open(ward_server_port(srv));
    tc_sends(a, "GET /block HTTP/1.1\r\nHost: a\r\n\r\n");
    cr_assert_eq(t_wait_entered(1, T_DEADLINE_MS), 0); /* the only worker is busy */
    b = tc_open(ward_server_port(srv)); /* takes the only queue place */
    tc_sends(b, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    c = tc_open(ward_server_port(srv)); /* finds the queue full */
    tc_sends(c, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    cr_assert_eq(tc_response(c, &r, 0), 0);
    cr_expect(strncmp(r.head, "HTTP/1.1 503 Service Unavailable\r\n", 34) == 0, "%s", r.head);
    cr_expect_str_eq(tr_field(&r, "Retry-After", v, sizeof v), "7");
    cr_expect_str_eq(tr_field(&r, "Connection", v, sizeof v), "close");
    tr_free(&r);
    cr_expect_eq(tc_eof(c, T_DEADLINE_MS), 1);
    t_release();
    expect(a, 200, "unblocked\n");
    expect(b, 200, "hello\n");
    {
        ward_server_stats st;
        ward_server_stats_get(srv, &st, NULL, NULL);
        cr_expect_eq(st.rejected_503, 1);
        cr_expect_eq(st.accepts, 3);
    }
    tc_close(a);
    tc_close(b);
    tc_close(c);
    ward_server_free(srv);
}

Test(conc, full_queue_no_503_mid_pipeline)
{
    ward_server_config cfg;
    ward_server *srv;
    tconn *a, *b, *c;
    tresp r;

    t_config(&cfg);
    cfg.min_threads = 1;
    cfg.max_threads = 1;
    cfg.queue_size = 1;
    srv = t_start(&cfg);
    a = tc_open(ward_server_port(srv));
    /* two pipelined requests: the worker reads both, then blocks in the first */
    tc_sends(a, "GET /block HTTP/1.1\r\nHost: a\r\n\r\nGET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    cr_assert_eq(t_wait_entered(1, T_DEADLINE_MS), 0);
    b = tc_open(ward_server_port(srv)); /* takes the only queue place */
    tc_sends(b, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    c = tc_open(ward_server_port(srv)); /* its 503 says the queue is full now */
    tc_sends(c, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    cr_assert_eq(tc_response(c, &r, 0), 0);
    cr_expect_eq(r.status, 503);
    tr_free(&r);
    t_release();
    /* a's second request, already read, cannot go back to the full queue:
     * it is served all the same, not refused with 503 */
    expect(a, 200, "unblocked\n");
    expect(a, 200, "hello\n");
    expect(b, 200, "hello\n");
    {
        ward_server_stats st;
        ward_server_stats_get(srv, &st, NULL, NULL);
        cr_expect_eq(st.rejected_503, 1);
    }
    tc_close(a);
    tc_close(b);
    tc_close(c);
    ward_server_free(srv);
}

Test(conc, pool_grows_under_load_and_shrinks_when_idle)
{
    ward_server_config cfg;
    ward_server *srv;
    ward_server_stats st;
    tconn *c[3];
    struct timespec tick = {0, 10 * 1000000L};
    int waited = 0;

    t_config(&cfg);
    cfg.min_threads = 1;
    cfg.max_threads = 4;
    cfg.thread_idle_ms = 100;
    srv = t_start(&cfg);
    for (int i = 0; i < 3; i++) {
        c[i] = tc_open(ward_server_port(srv));
        tc_sends(c[i], "GET /block HTTP/1.1\r\nHost: a\r\n\r\n");
    }
    cr_assert_eq(t_wait_entered(3, T_DEADLINE_MS), 0, "three blocked requests need three workers");
    ward_server_stats_get(srv, &st, NULL, NULL);
    cr_expect_geq(st.threads, 3);
    t_release();
    for (int i = 0; i < 3; i++) {
        expect(c[i], 200, "unblocked\n");
        tc_close(c[i]);
    }
    /* no event tells when a worker exits: look at the count, up to 5 s */
    do {
        ward_server_stats_get(srv, &st, NULL, NULL);
        if (st.threads == 1)
            break;
        nanosleep(&tick, NULL);
    } while (++waited < 500);
    cr_expect_eq(st.threads, 1, "the pool did not shrink to min_threads");
    ward_server_free(srv);
}

typedef struct stopper {
    ward_server *srv;
} stopper;

static void *stop_thread(void *arg)
{
    ward_server_stop(((stopper *)arg)->srv);
    return NULL;
}

/* A handler that stops its own server on /stop (a /shutdown endpoint). */
static int stop_app(void *arg, const ward_req *req, ward_resp *resp)
{
    if (req->path.len == 5 && memcmp(req->path.ptr, "/stop", 5) == 0) {
        ward_server_stop(*(ward_server **)arg);
        return ward_resp_write(resp, "stopping\n", 9);
    }
    return t_app(NULL, req, resp);
}

Test(conc, stop_from_a_handler)
{
    ward_server_config cfg;
    ward_server *srv;
    ward_server_stats st;
    tconn *c, *idle;
    int fds_before = t_count_fds();

    t_config(&cfg);
    cfg.handler = stop_app;
    cfg.handler_arg = &srv;
    srv = t_start(&cfg);
    idle = tc_open(ward_server_port(srv));
    tc_sends(idle, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    expect(idle, 200, "hello\n");
    c = tc_open(ward_server_port(srv));
    tc_sends(c, "GET /stop HTTP/1.1\r\nHost: a\r\n\r\n");
    /* the handler's own response goes out, saying so; then the connections close */
    expect_last(c, 200, "stopping\n");
    cr_expect_eq(tc_eof(idle, T_DEADLINE_MS), 1, "the idle connection was not closed");
    ward_server_wait(srv); /* returns once the stop the handler began is done */
    ward_server_stats_get(srv, &st, NULL, NULL);
    cr_expect_eq(st.threads, 0);
    cr_expect_eq(st.conns, 0);
    ward_server_stop(srv); /* done already: returns at once */
    ward_server_free(srv);
    tc_close(c);
    tc_close(idle);
    cr_expect_eq(t_count_fds(), fds_before, "descriptors leaked");
}

/* An error-log callback that stops the server on whatever it hears. */
static void log_stops(void *arg, int level, const char *msg)
{
    (void)level;
    (void)msg;
    ward_server_stop(*(ward_server **)arg);
}

Test(conc, stop_from_a_log_callback)
{
    ward_server_config cfg;
    ward_server *srv;
    tconn *c;

    t_config(&cfg);
    cfg.shutdown_timeout_ms = 200;
    cfg.log = log_stops;
    cfg.log_arg = &srv;
    srv = t_start(&cfg);
    c = tc_open(ward_server_port(srv));
    /* the handler waits for a body that never comes */
    tc_sends(c, "POST /read HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n");
    cr_expect_eq(tc_fill(c, 200), -1);
    /* the stop logs "busy after the shutdown timeout" on this thread, and
     * the callback's own ward_server_stop() must return, not wait for itself */
    ward_server_stop(srv);
    cr_expect_eq(tc_eof(c, T_DEADLINE_MS), 1);
    ward_server_wait(srv);
    ward_server_free(srv);
    tc_close(c);
}

Test(conc, graceful_stop_finishes_in_flight)
{
    ward_server_config cfg;
    ward_server *srv;
    ward_server_stats st;
    tconn *busy, *idle;
    pthread_t t;
    stopper s;
    int fds_before = t_count_fds();
    unsigned port;

    t_config(&cfg);
    srv = t_start(&cfg);
    port = ward_server_port(srv);
    idle = tc_open(port);
    tc_sends(idle, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    expect(idle, 200, "hello\n"); /* now idle in the connection manager */
    busy = tc_open(port);
    tc_sends(busy, "GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
    cr_assert_eq(t_wait_entered(1, T_DEADLINE_MS), 0);
    s.srv = srv;
    cr_assert_eq(pthread_create(&t, NULL, stop_thread, &s), 0);
    /* the in-flight response completes, saying the connection closes */
    expect_last(busy, 200, "slow done\n");
    cr_expect_eq(tc_eof(idle, T_DEADLINE_MS), 1, "the idle connection was not closed");
    pthread_join(t, NULL);
    ward_server_stats_get(srv, &st, NULL, NULL);
    cr_expect_eq(st.threads, 0);
    cr_expect_eq(st.conns, 0);
    {
        /* nothing listens any more */
        struct sockaddr_in sa;
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        memset(&sa, 0, sizeof sa);
        sa.sin_family = AF_INET;
        sa.sin_port = htons((uint16_t)port);
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        cr_expect_neq(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
        cr_expect_eq(errno, ECONNREFUSED);
        close(fd);
    }
    ward_server_free(srv);
    tc_close(busy);
    tc_close(idle);
    cr_expect_eq(t_count_fds(), fds_before, "descriptors leaked");
}

Test(conc, stop_deadline_shuts_down_a_stuck_body_read)
{
    ward_server_config cfg;
    ward_server *srv;
    tconn *c;

    t_config(&cfg);
    cfg.shutdown_timeout_ms = 200;
    srv = t_start(&cfg);
    c = tc_open(ward_server_port(srv));
    /* the handler waits for a body that never comes */
    tc_sends(c, "POST /read HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n");
    cr_expect_eq(tc_fill(c, 200), -1);
    ward_server_stop(srv); /* returns once the deadline shut the connection down */
    cr_expect_eq(tc_eof(c, T_DEADLINE_MS), 1);
    ward_server_free(srv);
    tc_close(c);
}

Test(conc, many_clients_many_requests)
{
    ward_server_config cfg;
    ward_server *srv;
    ward_server_stats st;
    ward_worker_stats w[8];
    size_t nw = 8;
    tconn *c[20];
    uint64_t sum = 0;

    t_config(&cfg);
    srv = t_start(&cfg);
    for (int i = 0; i < 20; i++)
        c[i] = tc_open(ward_server_port(srv));
    for (int round = 0; round < 10; round++) {
        for (int i = 0; i < 20; i++)
            tc_sends(c[i], "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
        for (int i = 0; i < 20; i++)
            expect(c[i], 200, "hello\n");
    }
    for (int i = 0; i < 20; i++)
        tc_close(c[i]);
    ward_server_stats_get(srv, &st, w, &nw);
    cr_expect_eq(st.requests, 200);
    cr_expect_eq(st.accepts, 20);
    cr_expect_eq(st.bytes_in, 200 * 32); /* 32 bytes a request */
    cr_expect_gt(st.bytes_out, 200 * 6);
    cr_expect_eq(nw, 8);
    for (size_t i = 0; i < nw; i++)
        sum += w[i].requests;
    cr_expect_eq(sum, 200);
    ward_server_free(srv);
}
