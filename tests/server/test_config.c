/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
/* test_config.c - knobs of ward_server_config seen on the wire: the idle
 * connection cap, the connection cap, proxy mode, the underscore-dropping
 * header reader, leniencies, the error-log callback, zero meaning default. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "harness.h"

static void expect(tconn *c, int status, const char *connection, tresp *keep)
{
    tresp r;
    char v[64];

    cr_assert_eq(tc_response(c, &r, 0), 0);
    cr_expect_eq(r.status, status, "%s", r.head);
    if (connection != NULL)
        cr_expect_str_eq(tr_field(&r, "Connection", v, sizeof v), connection);
    if (keep != NULL)
        *keep = r;
    else
        tr_free(&r);
}

/* The server holds n idle connections (no event says when: look, up to 5 s). */
static int held_becomes(ward_server *srv, unsigned n)
{
    struct timespec tick = {0, 5 * 1000000L};
    ward_server_stats st;

    for (int i = 0; i < 1000; i++) {
        ward_server_stats_get(srv, &st, NULL, NULL);
        if (st.held == n)
            return 0;
        nanosleep(&tick, NULL);
    }
    return -1;
}

Test(config, keepalive_max_caps_idle_connections)
{
    ward_server_config cfg;
    ward_server *srv;
    tconn *a, *b;

    t_config(&cfg);
    cfg.keepalive_max = 1;
    srv = t_start(&cfg);
    a = tc_open(ward_server_port(srv));
    tc_sends(a, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    expect(a, 200, "", NULL);
    cr_assert_eq(held_becomes(srv, 1), 0, "the first connection is not held idle");
    b = tc_open(ward_server_port(srv));
    tc_sends(b, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    expect(b, 200, "close", NULL); /* no room for a second idle connection */
    cr_expect_eq(tc_eof(b, T_DEADLINE_MS), 1);
    tc_sends(a, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n"); /* the held one still works */
    expect(a, 200, NULL, NULL);
    tc_close(a);
    tc_close(b);
    ward_server_free(srv);
}

Test(config, max_conns_gives_503)
{
    ward_server_config cfg;
    ward_server *srv;
    tconn *a, *b;
    tresp r;
    char v[64];

    t_config(&cfg);
    cfg.max_conns = 1;
    srv = t_start(&cfg);
    a = tc_open(ward_server_port(srv));
    tc_sends(a, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    expect(a, 200, "", NULL); /* open and counted */
    b = tc_open(ward_server_port(srv));
    tc_sends(b, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    expect(b, 503, "close", &r);
    cr_expect_str_eq(tr_field(&r, "Retry-After", v, sizeof v), "1");
    tr_free(&r);
    cr_expect_eq(tc_eof(b, T_DEADLINE_MS), 1);
    tc_close(a);
    tc_close(b);
    ward_server_free(srv);
}

Test(config, proxy_mode_accepts_absolute_form)
{
    ward_server_config cfg;
    ward_server *srv;
    tconn *c;
    tresp r;

    t_config(&cfg);
    cfg.proxy_mode = 1;
    srv = t_start(&cfg);
    c = tc_open(ward_server_port(srv));
    tc_sends(c, "GET http://example.com/echo?x HTTP/1.1\r\nHost: example.com\r\n\r\n");
    expect(c, 200, NULL, &r);
    cr_expect(strstr((char *)r.body, "\"target\":\"http://example.com/echo?x\"") != NULL, "%s",
              r.body);
    tr_free(&r);
    tc_close(c);
    ward_server_free(srv);
}

Test(config, underscore_dropping_reader)
{
    ward_server_config cfg;
    ward_server *srv;
    tconn *c;
    tresp r;

    t_config(&cfg);
    cfg.parse_flags = WARD_PARSE_DROP_UNDERSCORE;
    srv = t_start(&cfg);
    c = tc_open(ward_server_port(srv));
    tc_sends(c, "GET /echo HTTP/1.1\r\nHost: a\r\nX_Foo: spoof\r\nX-Foo: real\r\n\r\n");
    expect(c, 200, NULL, &r);
    cr_expect(strstr((char *)r.body, "\"fields\":[[\"Host\",\"a\"],[\"X-Foo\",\"real\"]]") != NULL,
              "%s", r.body);
    tr_free(&r);
    tc_close(c);
    ward_server_free(srv);
}

Test(config, strict_by_default_lenient_when_asked)
{
    ward_server_config cfg;
    ward_server *srv;
    tconn *c;

    t_config(&cfg);
    srv = t_start(&cfg);
    c = tc_open(ward_server_port(srv));
    tc_sends(c, "GET /hello HTTP/1.1\nHost: a\n\n");
    expect(c, 400, "close", NULL);
    tc_close(c);
    ward_server_free(srv);

    t_config(&cfg);
    cfg.parse_flags = WARD_PARSE_LENIENT_BARE_LF;
    srv = t_start(&cfg);
    c = tc_open(ward_server_port(srv));
    tc_sends(c, "GET /hello HTTP/1.1\nHost: a\n\n");
    expect(c, 200, "", NULL);
    tc_close(c);
    ward_server_free(srv);
}

Test(config, header_limits_from_the_config)
{
    ward_server_config cfg;
    ward_server *srv;
    tconn *c;

    t_config(&cfg);
    cfg.max_request_line = 32;
    srv = t_start(&cfg);
    c = tc_open(ward_server_port(srv));
    tc_sends(c, "GET /a-target-longer-than-32-bytes HTTP/1.1\r\nHost: a\r\n\r\n");
    expect(c, 414, "close", NULL);
    tc_close(c);
    ward_server_free(srv);
}

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static char log_seen[512];
static int log_level = -1;

static void capture(void *arg, int level, const char *msg)
{
    (void)arg;
    pthread_mutex_lock(&log_lock);
    snprintf(log_seen, sizeof log_seen, "%s", msg);
    log_level = level;
    pthread_mutex_unlock(&log_lock);
}

Test(config, error_log_callback)
{
    ward_server_config cfg;
    ward_server *srv;
    tconn *c;

    t_config(&cfg);
    cfg.shutdown_timeout_ms = 100;
    cfg.log = capture;
    srv = t_start(&cfg);
    c = tc_open(ward_server_port(srv));
    /* a handler busy with its own work (300 ms) past the 100 ms shutdown
     * timeout (a body still arriving no longer holds a worker) */
    tc_sends(c, "GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
    cr_assert_eq(t_wait_entered(1, T_DEADLINE_MS), 0);
    ward_server_stop(srv);
    pthread_mutex_lock(&log_lock);
    cr_expect_eq(log_level, WARD_LOG_WARN);
    cr_expect(strstr(log_seen, "busy after the shutdown timeout") != NULL, "%s", log_seen);
    pthread_mutex_unlock(&log_lock);
    ward_server_free(srv);
    tc_close(c);
}

Test(config, max_conns_fits_the_descriptor_limit)
{
    ward_server_config cfg;
    ward_server *srv;
    struct rlimit rl;
    char want[128];
    tconn *c;

    /* each test runs in a process of its own: the lower limit stays here */
    cr_assert_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
    cr_assert(rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= 256);
    rl.rlim_cur = 256;
    cr_assert_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
    t_config(&cfg); /* max_conns 10000, max_threads 8 */
    cfg.log = capture;
    srv = t_start(&cfg);
    snprintf(want, sizeof want,
             "max_conns 10000 does not fit the descriptor limit (RLIMIT_NOFILE 256): lowered to %d",
             256 - 32 - 8);
    pthread_mutex_lock(&log_lock);
    cr_expect_eq(log_level, WARD_LOG_INFO);
    cr_expect_str_eq(log_seen, want);
    log_level = -1;
    log_seen[0] = '\0';
    pthread_mutex_unlock(&log_lock);
    c = tc_open(ward_server_port(srv));
    tc_sends(c, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    expect(c, 200, "", NULL);
    tc_close(c);
    ward_server_free(srv);
    /* a max_conns that fits is kept, without a word */
    t_config(&cfg);
    cfg.log = capture;
    cfg.max_conns = 100;
    srv = t_start(&cfg);
    pthread_mutex_lock(&log_lock);
    cr_expect_eq(log_level, -1, "%s", log_seen);
    pthread_mutex_unlock(&log_lock);
    ward_server_free(srv);
}

Test(config, zero_means_default)
{
    ward_server_config cfg;
    ward_server *srv;
    tconn *c;

    memset(&cfg, 0, sizeof cfg); /* no ward_server_config_init() */
    cfg.bind = "127.0.0.1:0";
    cfg.handler = t_app;
    srv = t_start(&cfg);
    c = tc_open(ward_server_port(srv));
    tc_sends(c, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    expect(c, 200, "", NULL);
    tc_close(c);
    ward_server_free(srv);
}

Test(config, no_handler_refused)
{
    ward_server_config cfg;
    char err[128];

    ward_server_config_init(&cfg);
    cfg.bind = "127.0.0.1:0";
    cr_expect_null(ward_server_create(&cfg, err, sizeof err));
    cr_expect_str_eq(err, "no handler");
}

Test(config, long_server_name_refused)
{
    ward_server_config cfg;
    char name[201], err[128];
    ward_server *srv;

    memset(name, 's', 200);
    name[200] = '\0';
    ward_server_config_init(&cfg);
    cfg.bind = "127.0.0.1:0";
    cfg.handler = t_app;
    cfg.server_name = name;
    cr_expect_null(ward_server_create(&cfg, err, sizeof err));
    cr_expect(strstr(err, "server_name") != NULL, "%s", err);
    name[128] = '\0'; /* the longest accepted */
    srv = ward_server_create(&cfg, err, sizeof err);
    cr_expect_not_null(srv, "%s", err);
    ward_server_free(srv);
}
