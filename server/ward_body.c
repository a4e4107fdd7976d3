/* SPDX-License-Identifier: MIT */
/* ward_body.c - request body readers (known length, chunked through
 * ward_chunked_decode()), 100-continue, draining what the app left. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
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
    r->spill_len = r->spill_pos = 0;
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

/* The part of a collected body that went to the spill file, first. */
static ssize_t read_spill(ward_resp *r, void *buf, size_t cap)
{
    ward_conn *c = r->conn;
    ssize_t n;

    if (cap > r->spill_len - r->spill_pos)
        cap = (size_t)(r->spill_len - r->spill_pos);
    do
        n = pread(c->spill_fd, buf, cap, (off_t)r->spill_pos);
    while (n < 0 && errno == EINTR);
    if (n <= 0) {
        ward_log(c->srv, WARD_LOG_WARN, "request body file: %s", n < 0 ? strerror(errno) : "short");
        return body_fail(r, 500, "request body not read back");
    }
    r->spill_pos += (uint64_t)n;
    if (r->body_kind == WARD_BODY_LENGTH) {
        r->body_left -= (uint64_t)n;
        if (r->body_left == 0)
            r->body_done = 1;
    }
    progress(r, (size_t)n);
    return n;
}

/* Skip what is left of the spill file (the handler did not read it). */
static void skip_spill(ward_resp *r)
{
    uint64_t k = r->spill_len - r->spill_pos;

    r->spill_pos = r->spill_len;
    r->body_read += k;
    if (r->body_kind == WARD_BODY_LENGTH) {
        r->body_left -= k;
        if (r->body_left == 0)
            r->body_done = 1;
    }
}

ssize_t ward_body_read(ward_resp *r, void *buf, size_t cap)
{
    if (r->body_http != 0 || r->conn->err)
        return -1;
    if (cap > 0 && r->spill_pos < r->spill_len)
        return read_spill(r, buf, cap);
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
    uint64_t limit;

    if (r->body_http != 0)
        return -1;
    skip_spill(r); /* already here: not drained */
    limit = r->body_read + c->srv->cfg.max_drain;
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

/* --- collecting the body before the handler (the event side's part) --- */

/* When a body being collected expires: body_timeout_ms after its last
 * body_progress bytes, or when it falls below the minimum rate. */
int64_t ward_body_deadline(const ward_resp *r)
{
    const ward_server_config *cfg = &r->conn->srv->cfg;
    int64_t rate = r->body_start + (int64_t)cfg->body_rate_grace_ms +
                   (int64_t)(r->body_got * 1000u / cfg->body_min_rate);

    return rate < r->body_deadline ? rate : r->body_deadline;
}

/* The server's error answer (the handler does not run); -1. */
static int collect_fail(ward_conn *c, int status, const char *text)
{
    c->collecting = 0;
    c->closing = 1;
    if (c->err == 0)
        (void)ward_send_error(c, status, text, 0);
    return -1;
}

/* RFC 9110 §10.1.1: 100 only to an HTTP/1.1 client that asked and is
 * waiting for it (no body byte came yet). Sent at once without waiting: 25
 * bytes on a connection that has sent nothing else fit the socket buffer;
 * when they do not, the connection closes. */
static int send_continue(ward_conn *c, const ward_request *preq)
{
    static const char line[] = "HTTP/1.1 100 Continue\r\n\r\n";
    const size_t n = sizeof line - 1;
    ssize_t w;
    int ww = 0;

    c->resp->continue_sent = 1; /* never a late one from ward_body_read() */
    if (!(preq->flags & WARD_REQ_EXPECT_CONTINUE) || preq->version != 1 ||
        c->srv->proto_minor != 1 || c->in_len > c->head_len)
        return 0;
    if (c->tls != NULL)
        w = c->srv->cfg.tls->send(c->tls, line, n, &ww);
    else
        w = send(c->fd, line, n, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (w != (ssize_t)n) {
        c->err = w < 0 ? errno : EAGAIN;
        return -1;
    }
    ward_count_status(c->srv, 100);
    if (c->slot < c->srv->cfg.max_threads)
        atomic_fetch_add_explicit(&c->srv->slots[c->slot].bytes_out, n, memory_order_relaxed);
    return 0;
}

/* Room for what is collected: the head, then body_buffer body bytes (a
 * chunked body: and a read's worth of framing). Offsets only live across
 * the move. */
static int collect_room(ward_conn *c, size_t need)
{
    size_t rline = c->rline != NULL ? (size_t)(c->rline - c->in) : 0;
    uint8_t *p;

    if (need <= c->in_cap)
        return 0;
    p = realloc(c->in, need);
    if (p == NULL)
        return -1;
    if (c->rline != NULL)
        c->rline = p + rline;
    c->in = p;
    c->in_cap = need;
    return 0;
}

static int collect_begin(ward_conn *c, const ward_request *preq, const ward_frame *frame)
{
    ward_resp *r = c->resp;
    size_t want = c->srv->cfg.body_buffer;

    r->conn = c;
    ward_body_reset(r, frame);
    r->pend_off = c->head_len; /* chunked: the decoded body, contiguous from here */
    r->pend_len = 0;
    if (r->body_done)
        return 0;
    if (frame->body == WARD_BODY_LENGTH && frame->length < want)
        want = (size_t)frame->length;
    else if (frame->body == WARD_BODY_CHUNKED)
        want += BODY_ROOM;
    if (collect_room(c, c->head_len + want) != 0)
        return collect_fail(c, 503, "out of memory");
    if (send_continue(c, preq) != 0)
        return -1;
    c->collecting = 1;
    return 0;
}

/* One read without waiting: > 0 bytes, 0 nothing now (c->want_out says
 * for which event to wait), -1 answered or failed. */
static ssize_t collect_recv(ward_conn *c, size_t cap)
{
    ward_resp *r = c->resp;
    int ww = 0;

    for (;;) {
        ssize_t n = ward_conn_recv_nb(c, c->in + c->in_len, cap, &ww);

        if (n > 0) {
            c->in_len += (size_t)n;
            r->body_got += (uint64_t)n;
            if (r->body_got - r->body_mark >= c->srv->cfg.body_progress) {
                r->body_mark = r->body_got;
                r->body_deadline = ward_now_ms() + c->srv->cfg.body_timeout_ms;
            }
            if (c->slot < c->srv->cfg.max_threads)
                atomic_fetch_add_explicit(&c->srv->slots[c->slot].bytes_in, (uint64_t)n,
                                          memory_order_relaxed);
            return n;
        }
        if (n == 0) /* RFC 9112 §6.3 ¶8: an incomplete body; the connection closes */
            return collect_fail(c, 400, "request body incomplete");
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            c->want_out = (uint8_t)(ww != 0);
            return 0;
        }
        c->err = errno;
        return collect_fail(c, 400, "connection error");
    }
}

/* An unlinked temporary file in body_temp_dir; -1 when none can be made. */
static int spill_open(ward_server *srv)
{
    const char *dir = srv->cfg.body_temp_dir;
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);

    if (fd < 0 && errno != EMFILE && errno != ENFILE) { /* no O_TMPFILE there */
        char path[4096];
        if ((size_t)snprintf(path, sizeof path, "%s/ward-body-XXXXXX", dir) < sizeof path) {
            fd = mkostemp(path, O_CLOEXEC);
            if (fd >= 0)
                unlink(path);
        }
    }
    if (fd < 0)
        ward_log(srv, WARD_LOG_INFO, "body_temp_dir %s: %s: the handler reads the body's rest",
                 dir, strerror(errno));
    return fd;
}

/* Append p[0 .. n) of the body to the spill file. 0 done, 1 no file (the
 * handler reads the rest from the socket), -1 answered. */
static int spill(ward_conn *c, const uint8_t *p, size_t n)
{
    ward_resp *r = c->resp;

    if (c->spill_fd < 0 && (c->spill_fd = spill_open(c->srv)) < 0)
        return 1;
    while (n > 0) {
        ssize_t w = pwrite(c->spill_fd, p, n, (off_t)r->spill_len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            ward_log(c->srv, WARD_LOG_WARN, "request body file: %s",
                     w < 0 ? strerror(errno) : "no room");
            return collect_fail(c, 500, "request body not stored");
        }
        p += w;
        n -= (size_t)w;
        r->spill_len += (uint64_t)w;
    }
    return 0;
}

/* Decode what is buffered, moving each piece of chunk data left, to the
 * end of the decoded body at in[pend_off .. pend_off + pend_len). */
static int collect_decode(ward_conn *c)
{
    ward_resp *r = c->resp;
    ward_chunked_opts opts;

    memset(&opts, 0, sizeof opts);
    opts.max_body = c->srv->cfg.max_body;
    while (c->body_pos < c->in_len && !r->body_done) {
        size_t consumed = 0;
        ward_span data, trailer;
        ward_status st = ward_chunked_decode(&r->dec, &opts, c->in + c->body_pos,
                                             c->in_len - c->body_pos, &consumed, &data, &trailer);

        if (data.len > 0) /* the decoded end never passes the raw bytes it came from */
            memmove(c->in + r->pend_off + r->pend_len, c->in + c->body_pos + data.off, data.len);
        r->pend_len += data.len;
        c->body_pos += consumed;
        if (st == WARD_OK)
            r->body_done = 1;
        else if (st != WARD_AGAIN) {
            ward_note_reason(c->srv, st);
            return collect_fail(c, ward_status_http(st), ward_status_str(st));
        } else if (consumed == 0)
            break;
    }
    return 0;
}

/* Chunked: 0 ready, 1 waiting, -1 answered. */
static int collect_chunked(ward_conn *c)
{
    ward_resp *r = c->resp;

    for (;;) {
        size_t dst, rest;
        ssize_t n;

        if (collect_decode(c) != 0)
            return -1;
        if (r->body_done)
            return 0;
        if (r->pend_len >= c->srv->cfg.body_buffer) {
            int s = spill(c, c->in + r->pend_off, r->pend_len);
            if (s != 0)
                return s < 0 ? -1 : 0;
            r->pend_len = 0;
        }
        dst = r->pend_off + r->pend_len; /* the undecoded rest next to the body */
        rest = c->in_len - c->body_pos;
        memmove(c->in + dst, c->in + c->body_pos, rest);
        c->body_pos = dst;
        c->in_len = dst + rest;
        if (c->in_len == c->in_cap)
            return collect_fail(c, 400, "chunk framing too long");
        n = collect_recv(c, c->in_cap - c->in_len);
        if (n <= 0)
            return n < 0 ? -1 : 1;
    }
}

/* Content-Length: 0 ready, 1 waiting, -1 answered. The body arrives in a
 * window of body_buffer bytes after the head; a full window that is not
 * the whole body goes to the spill file. */
static int collect_length(ward_conn *c)
{
    ward_resp *r = c->resp;
    size_t win = c->srv->cfg.body_buffer;

    for (;;) {
        uint64_t rest = r->body_left - r->spill_len; /* body bytes not in the file */
        size_t have = c->in_len - c->head_len, cap;
        ssize_t n;

        if (have >= rest)
            return 0;
        if (have >= win) { /* all body bytes: have < rest */
            int s = spill(c, c->in + c->head_len, have);
            if (s != 0)
                return s < 0 ? -1 : 0;
            c->in_len = c->head_len;
            continue;
        }
        cap = win - have;
        if (cap > rest - have)
            cap = (size_t)(rest - have);
        n = collect_recv(c, cap);
        if (n <= 0)
            return n < 0 ? -1 : 1;
    }
}

int ward_body_collect(ward_conn *c, const ward_request *preq, const ward_frame *frame)
{
    ward_resp *r = c->resp;
    int64_t now;
    int rc;

    c->want_out = 0;
    if (!c->collecting) {
        if (collect_begin(c, preq, frame) != 0)
            return -1;
        if (!c->collecting)
            return 0; /* no body */
    }
    rc = frame->body == WARD_BODY_CHUNKED ? collect_chunked(c) : collect_length(c);
    if (rc <= 0) {
        c->collecting = 0;
        r->body_mark = 0; /* body_read counts from here on */
        r->body_waited = ward_now_ms() - r->body_start;
        return rc;
    }
    now = ward_now_ms();
    r->body_waited = now - r->body_start;
    if (now >= ward_body_deadline(r)) { /* each step checks what the sweep would */
        (void)ward_body_slow(r, ward_body_rate_left(r) <= 0);
        return collect_fail(c, 408, "request body too slow");
    }
    return 1;
}

/* Called by the manager's sweep, which owns c (off its lists). */
void ward_body_expired(ward_conn *c, int64_t now)
{
    ward_resp *r = c->resp;

    r->body_waited = now - r->body_start;
    (void)ward_body_slow(r, ward_body_rate_left(r) <= 0);
    ward_conn_error_nb(c, 408, "request body too slow");
    c->collecting = 0; /* the manager closes c (lingering) */
}
