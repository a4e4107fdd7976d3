/* SPDX-License-Identifier: MIT */
/* ward_body.c - request body readers (known length, chunked through
 * ward_chunked_decode()), 100-continue, draining what the app left. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>

#include "ward_server_int.h"

void ward_body_reset(ward_resp *r, const ward_frame *frame)
{
    ward_server *srv = r->conn->srv;

    r->body_kind = frame->body;
    r->body_done = frame->body == WARD_BODY_NONE ||
                   (frame->body == WARD_BODY_LENGTH && frame->length == 0);
    r->continue_sent = 0;
    r->body_left = frame->length;
    r->body_read = 0;
    memset(&r->dec, 0, sizeof r->dec);
    r->pend_off = r->pend_len = 0;
    r->body_start = ward_now_ms();
    r->body_deadline = r->body_start + srv->cfg.body_timeout_ms;
    r->body_mark = 0;
    r->body_waited = 0;
    r->body_got = r->conn->in_len - r->conn->body_pos; /* came with the head */
    r->body_http = 0;
    r->body_text = NULL;
    r->draining = 0;
}

static ssize_t body_fail(ward_resp *r, int status, const char *text)
{
    r->body_http = status;
    r->body_text = text;
    r->conn->closing = 1;
    return -1;
}

static void progress(ward_resp *r, size_t n)
{
    ward_server *srv = r->conn->srv;

    r->body_read += n;
    if (!r->draining && r->body_read - r->body_mark >= srv->cfg.body_progress) {
        r->body_mark = r->body_read;
        r->body_deadline = ward_now_ms() + srv->cfg.body_timeout_ms;
    }
}

/* ms the body may still be waited for under the minimum rate: the grace,
 * plus 1000 / body_min_rate ms per byte received, less the time waited. */
int64_t ward_body_rate_left(const ward_resp *r)
{
    const ward_server_config *cfg = &r->conn->srv->cfg;

    return (int64_t)cfg->body_rate_grace_ms +
           (int64_t)(r->body_got * 1000u / cfg->body_min_rate) - r->body_waited;
}

/* The body fell below the minimum rate (or made no progress in time). */
ssize_t ward_body_slow(ward_resp *r, int rate)
{
    ward_server *srv = r->conn->srv;

    atomic_fetch_add_explicit(&srv->slow_bodies, 1, memory_order_relaxed);
    if (rate)
        ward_log(srv, WARD_LOG_INFO,
                 "408: request body below %u bytes/s: %llu bytes in %lld ms", srv->cfg.body_min_rate,
                 (unsigned long long)r->body_got, (long long)r->body_waited);
    else
        ward_log(srv, WARD_LOG_INFO, "408: request body brought no %u bytes in %u ms",
                 srv->cfg.body_progress, srv->cfg.body_timeout_ms);
    return body_fail(r, 408, "request body too slow");
}

/* Receive into p[0 .. cap): > 0 bytes, or -1 with the body error set. */
static ssize_t body_recv(ward_resp *r, void *p, size_t cap)
{
    ward_conn *c = r->conn;

    for (;;) {
        ssize_t n = ward_conn_recv(c, p, cap);
        int64_t t0, dl;
        int w;

        if (n > 0) {
            r->body_got += (uint64_t)n;
            atomic_fetch_add_explicit(&c->srv->slots[c->slot].bytes_in, (uint64_t)n,
                                      memory_order_relaxed);
            return n;
        }
        if (n == 0) /* RFC 9112 §6.3 ¶8: an incomplete body; the connection closes */
            return body_fail(r, 400, "request body incomplete");
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            c->err = errno;
            return body_fail(r, 400, "connection error");
        }
        t0 = ward_now_ms();
        dl = t0 + ward_body_rate_left(r);
        if (dl <= t0)
            return ward_body_slow(r, 1);
        if (dl > r->body_deadline)
            dl = r->body_deadline;
        w = ward_wait(c, POLLIN, dl);
        r->body_waited += ward_now_ms() - t0;
        if (w < 0) {
            c->err = errno;
            return body_fail(r, 400, "connection error");
        }
        if (w == 0 && ward_body_rate_left(r) <= 0)
            return ward_body_slow(r, 1);
        if (w == 0)
            return !r->draining && ward_now_ms() >= r->body_deadline ? ward_body_slow(r, 0)
                                                     : body_fail(r, 408, "request body too slow");
    }
}

/* RFC 9110 §10.1.1: 100 only to an HTTP/1.1 client that asked, only when
 * the body is wanted, and never after the final response started. */
static int maybe_continue(ward_resp *r)
{
    ward_conn *c = r->conn;
    static const char line[] = "HTTP/1.1 100 Continue\r\n\r\n";

    if (r->continue_sent || !(r->req->parsed->flags & WARD_REQ_EXPECT_CONTINUE) ||
        r->req->version != 1 || c->srv->proto_minor != 1 || r->head_sent)
        return 0;
    r->continue_sent = 1;
    if (c->in_len > c->body_pos)
        return 0; /* the client did not wait: the body is arriving */
    ward_count_status(c->srv, 100);
    return ward_send_all(c, line, sizeof line - 1);
}

static ssize_t read_length(ward_resp *r, uint8_t *buf, size_t cap)
{
    ward_conn *c = r->conn;
    size_t have = c->in_len - c->body_pos, n = cap;
    ssize_t got;

    if (n > r->body_left)
        n = (size_t)r->body_left;
    if (have > 0) {
        if (n > have)
            n = have;
        memcpy(buf, c->in + c->body_pos, n);
        c->body_pos += n;
    } else {
        got = body_recv(r, buf, n); /* never past the body: n <= body_left */
        if (got < 0)
            return -1;
        n = (size_t)got;
    }
    r->body_left -= n;
    if (r->body_left == 0)
        r->body_done = 1;
    progress(r, n);
    return (ssize_t)n;
}

static ssize_t read_chunked(ward_resp *r, uint8_t *buf, size_t cap)
{
    ward_conn *c = r->conn;
    ward_server *srv = c->srv;
    ward_chunked_opts opts;

    memset(&opts, 0, sizeof opts);
    opts.max_body = srv->cfg.max_body;
    while (r->pend_len == 0) {
        size_t consumed = 0;
        ward_span data, trailer;
        ward_status st;

        if (c->body_pos == c->in_len) {
            ssize_t got;
            c->in_len = c->body_pos = c->head_len; /* nothing pending: reuse the room */
            got = body_recv(r, c->in + c->in_len, c->in_cap - c->in_len);
            if (got < 0)
                return -1;
            c->in_len += (size_t)got;
        }
        st = ward_chunked_decode(&r->dec, &opts, c->in + c->body_pos, c->in_len - c->body_pos,
                                 &consumed, &data, &trailer);
        r->pend_off = c->body_pos + data.off;
        r->pend_len = data.len;
        c->body_pos += consumed;
        if (st == WARD_OK) {
            r->body_done = 1;
            if (r->pend_len == 0)
                return 0;
            break;
        }
        if (st != WARD_AGAIN) {
            if (!r->head_sent) /* the error is answered: count its reason */
                ward_note_reason(r->conn->srv, st);
            return body_fail(r, ward_status_http(st), ward_status_str(st));
        }
    }
    if (cap > r->pend_len)
        cap = r->pend_len;
    memcpy(buf, c->in + r->pend_off, cap);
    r->pend_off += cap;
    r->pend_len -= cap;
    progress(r, cap);
    return (ssize_t)cap;
}

ssize_t ward_body_read(ward_resp *r, void *buf, size_t cap)
{
    if (r->body_http != 0 || r->conn->err)
        return -1;
    if (r->pend_len == 0 && r->body_done)
        return 0;
    if (cap == 0)
        return 0;
    if (maybe_continue(r) != 0)
        return body_fail(r, 400, "connection error");
    if (r->body_kind == WARD_BODY_LENGTH)
        return read_length(r, buf, cap);
    return read_chunked(r, buf, cap);
}

/* Read and drop what the app left of the body, up to max_drain bytes, so
 * the connection can carry the next request. -1: close instead. */
int ward_body_drain(ward_resp *r)
{
    ward_conn *c = r->conn;
    uint8_t sink[4096];
    uint64_t limit = r->body_read + c->srv->cfg.max_drain;

    if (r->body_http != 0)
        return -1;
    if (r->pend_len == 0 && r->body_done)
        return 0;
    /* the client waits for a 100 it never got: it may never send the body */
    if ((r->req->parsed->flags & WARD_REQ_EXPECT_CONTINUE) && !r->continue_sent)
        return -1;
    if (r->body_kind == WARD_BODY_LENGTH && r->body_left > c->in_len - c->body_pos &&
        r->body_left - (c->in_len - c->body_pos) > c->srv->cfg.max_drain)
        return -1;
    r->continue_sent = 1; /* draining never invites a body */
    /* what the app left comes now or not at all: a client that stops
     * sending must not hold the worker for a whole body deadline */
    r->draining = 1;
    if (r->body_deadline > ward_now_ms() + c->srv->cfg.linger_ms)
        r->body_deadline = ward_now_ms() + c->srv->cfg.linger_ms;
    while (!(r->pend_len == 0 && r->body_done)) {
        if (r->body_read >= limit)
            return -1;
        if (ward_body_read(r, sink, sizeof sink) < 0)
            return -1;
    }
    return 0;
}
