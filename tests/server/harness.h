/* SPDX-License-Identifier: MIT */
/* harness.h - a real ward server on a loopback port (or a UNIX socket),
 * raw client sockets, and a reader of responses as bytes on the wire.
 * Every wait is a poll with a deadline (5 s unless said), never a sleep. */
#ifndef WARD_TEST_SERVER_HARNESS_H
#define WARD_TEST_SERVER_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "ward_server.h"

#define T_DEADLINE_MS 5000

/* A config for tests: 127.0.0.1:0, the test app (t_app), small pool. */
void t_config(ward_server_config *cfg);
/* The descriptors this process holds (/proc/self/fd). */
int t_count_fds(void);
/* Create and start; fails the test on error. */
ward_server *t_start(ward_server_config *cfg);

typedef struct tconn {
    int fd;
    uint8_t *buf; /* bytes received and not yet taken */
    size_t len, cap;
} tconn;

tconn *tc_open(unsigned port);
tconn *tc_open_unix(const char *path, int abstract);
void tc_close(tconn *c);
void tc_send(tconn *c, const void *p, size_t n);
void tc_sends(tconn *c, const char *s);
/* One poll+recv into the buffer: bytes got, 0 at EOF, -1 on timeout/error. */
int tc_fill(tconn *c, int timeout_ms);
/* 1: the server closed (EOF or reset) and sent nothing more; 0: bytes came
 * (they stay in the buffer); -1: neither within timeout_ms. */
int tc_eof(tconn *c, int timeout_ms);
/* Everything until EOF (at most T_DEADLINE_MS): NUL-terminated, in c->buf. */
size_t tc_read_to_eof(tconn *c);

typedef struct tresp {
    int status;
    char head[16384]; /* status line and fields, NUL-terminated */
    size_t head_len;
    uint8_t *body;    /* malloc'ed, NUL-terminated */
    size_t body_len;
    int chunked;
} tresp;

/* Take one response off the connection (reading as needed). no_body: the
 * request was HEAD. 0 on success. */
int tc_response(tconn *c, tresp *r, int no_body);
void tr_free(tresp *r);
/* The value of a field in r->head ("" when absent, NULL-safe). */
const char *tr_field(const tresp *r, const char *name, char *out, size_t cap);

/* The test app, by path:
 *   /hello       200 "hello\n"
 *   /echo        ward_gateway_echo
 *   /head        writes "hello\n" whatever the method
 *   /204 /304    that status, then writes a body anyway
 *   /split       tries four injections; body "refused N\n"
 *   /cl-short    Content-Length 10, writes 5
 *   /cl-long     Content-Length 5, writes 11
 *   /cl-long-big Content-Length 20000, writes 20000 then 10 more
 *   /cl-short-big Content-Length 30000, writes 20000
 *   /stream      no length, 3 writes of 10000 bytes ('a', 'b', 'c')
 *   /read        reads the body, answers "read N\n" (or fails)
 *   /block       t_entered(), then waits for t_release()
 *   /slow        t_entered(), then 300 ms of work, then "slow done\n"
 *   /peer        "pid uid gid user group\n" of the peer
 *   /file        sendfile of t_file_fd (t_file_len bytes)
 *   /big         Content-Length T_BIG, one write of t_big (byte i: 'a' + i % 26)
 *   /fail        returns -1 without writing
 */
int t_app(void *arg, const ward_req *req, ward_resp *resp);
#define T_BIG (8u << 20)
#define T_BIG_STR "8388608"
extern uint8_t t_big[T_BIG];
extern int t_file_fd;
extern size_t t_file_len;

/* Synchronisation with handlers. */
void t_entered(void);
int t_wait_entered(int n, int timeout_ms); /* 0 once n handlers entered */
void t_release(void);

#endif
