/* SPDX-License-Identifier: MIT */
/* test_slow.c - slow request bodies: the minimum body rate (408 and the
 * close), and bodies collected by the event side, so that slow senders
 * hold no worker. Senders are paced by polls on their own sockets, never
 * by sleeps; nothing here asserts an elapsed time. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "harness.h"

/* A request body below the rate after the grace gets 408 and the close,
 * although body_timeout_ms (renewed per body_progress bytes) is far away. */
Test(slow, body_below_min_rate_gets_408)
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
