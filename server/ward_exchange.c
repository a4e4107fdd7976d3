/* SPDX-License-Identifier: MIT */
/* ward_exchange.c - one request, as a coordinating function: read its head
 * (never waiting on a slow client: an incomplete head goes back to the
 * connection manager), check it, collect its body, run the handler,
 * finish the response, send what the socket takes, and return a verdict:
 * what comes next for the connection (enum conn_next), which the pool
 * carries out. It calls only downward: body, resp, conn, io, base. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ward_server_int.h"

/* Read until the head parses or nothing more is there now. */
static ward_status read_head(ward_conn *c, ward_request *preq, ward_field *fields, size_t *nf,
                             int *eof)
{
    ward_server *srv = c->srv;
    size_t cap = *nf;

    *eof = 0;
    for (;;) {
        ssize_t n;

        if (c->in_len > 0 && c->in_len != c->prev_len) {
            ward_status st;
            *nf = cap;
            st = ward_parse_request(c->in, c->in_len, c->prev_len, &srv->popts, preq, fields, nf);
            if (st != WARD_AGAIN)
                return st;
            c->prev_len = c->in_len;
        }
        if (c->in_len == c->in_cap && ward_conn_grow_in(c) != 0)
            return WARD_E_HEAD_TOO_LARGE; /* the parser says so first: the cap > max_head */
        n = ward_conn_recv(c, c->in + c->in_len, c->in_cap - c->in_len);
        if (n > 0) {
            c->in_len += (size_t)n;
            atomic_fetch_add_explicit(&srv->slots[c->slot].bytes_in, (uint64_t)n,
                                      memory_order_relaxed);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return WARD_AGAIN;
        *eof = 1;
        if (n < 0)
            c->err = errno;
        return WARD_AGAIN;
    }
}

/* The request line, for on_response: from the method to the line's end. */
static void set_rline(ward_conn *c, const ward_request *preq)
{
    const uint8_t *p = c->in + preq->method.off;
    size_t n = preq->head_len - preq->method.off;
    const uint8_t *e = memchr(p, '\n', n);

    n = e != NULL ? (size_t)(e - p) : n;
    if (n > 0 && p[n - 1] == '\r')
        n--;
    c->rline = p;
    c->rline_len = n;
}

/* Server policy beyond the parser: target forms. 0 or the status to send. */
static int policy(ward_server *srv, const ward_request *preq)
{
    if (srv->cfg.proxy_mode)
        return 0;
    if (preq->form == WARD_FORM_AUTHORITY)
        return 405; /* CONNECT needs proxy mode */
    if (preq->form == WARD_FORM_ABSOLUTE)
        return 400;
    return 0;
}

static void fill_req(ward_conn *c, ward_req *req, const ward_request *p, const ward_field *f,
                     size_t nf, const ward_frame *frame)
{
    const uint8_t *b = c->in;

    memset(req, 0, sizeof *req);
    req->method = (ward_bytes){b + p->method.off, p->method.len};
    req->target = (ward_bytes){b + p->target.off, p->target.len};
    req->path = (ward_bytes){b + p->path.off, p->path.len};
    req->query = (ward_bytes){b + p->query.off, p->query.len};
    req->host = (ward_bytes){b + p->host.off, p->host.len};
    req->version = p->version;
    req->head = b;
    req->parsed = p;
    req->fields = f;
    req->nfields = nf;
    req->body_kind = frame->body;
    req->content_length = frame->length;
    req->peer = ward_conn_peer(c);
    req->tls = c->tls != NULL ? c->srv->cfg.tls->info(c->tls) : NULL;
}

/* TLS: drive the handshake without waiting (the manager holds the
 * connection between steps, under the handshake deadline). -1: go on
 * with the request; else what to do with the connection next. */
static int tls_step(ward_conn *c)
{
    ward_server *srv = c->srv;
    const ward_tls_adapter *a = srv->cfg.tls;
    int rc;

    if (c->tls == NULL) {
        c->tls = a->conn_new(a->arg, c->fd);
        if (c->tls == NULL)
            return WARD_NEXT_CLOSE;
        c->head_deadline = ward_now_ms() + srv->cfg.tls_handshake_timeout_ms;
    }
    rc = a->handshake(c->tls);
    c->want_out = rc == WARD_TLS_AGAIN_WRITE; /* held for writable, not readable */
    if (rc == WARD_TLS_AGAIN_WRITE)
        rc = WARD_TLS_AGAIN;
    if (rc == WARD_TLS_DONE) {
        c->tls_up = 1;
        c->head_deadline = 0; /* the head's own deadline starts now */
        return -1;
    }
    if (rc == WARD_TLS_AGAIN)
        return atomic_load(&srv->stopping) ? WARD_NEXT_CLOSE : WARD_NEXT_HEAD;
    if (rc == WARD_TLS_PLAIN) { /* answer in plain text, then close */
        a->conn_free(c->tls);
        c->tls = NULL;
        ward_send_error(c, 400, "this port speaks HTTPS, not plain HTTP", 0);
        return WARD_NEXT_LINGER;
    }
    return WARD_NEXT_CLOSE;
}

/* After a request: keep the pipelined bytes, forget the rest. */
static void shift_input(ward_conn *c)
{
    size_t rest = c->in_len - c->body_pos, base = (size_t)c->srv->cfg.max_head + BODY_ROOM;

    ward_conn_spill_close(c);
    memmove(c->in, c->in + c->body_pos, rest);
    c->in_len = rest;
    if (c->in_cap > base && rest <= base) { /* a collected body made it larger */
        uint8_t *p = realloc(c->in, base);
        if (p != NULL) {
            c->in = p;
            c->in_cap = base;
        }
    }
    c->head_len = c->body_pos = c->prev_len = 0;
    c->head_deadline = 0;
    c->nreq++;
}

/* Close at once when the client asked for it and left nothing unread;
 * otherwise linger, so that bytes it still sends cannot reset the answer. */
static int close_kind(ward_conn *c, const ward_request *preq)
{
    int asked = (preq->flags & WARD_REQ_CONN_CLOSE) ||
                (preq->version == 0 && !(preq->flags & WARD_REQ_CONN_KEEP_ALIVE));

    if (c->err)
        return WARD_NEXT_CLOSE;
    if (asked && c->resp->body_done && c->resp->pend_len == 0 && c->body_pos == c->in_len)
        return WARD_NEXT_CLOSE;
    return WARD_NEXT_LINGER;
}

/* Serve one request (or learn that its head is not complete yet). The
 * return value says what to do with the connection next. */
static int serve_one(ward_conn *c)
{
    ward_server *srv = c->srv;
    ward_field fields[WARD_SERVER_MAX_FIELDS];
    size_t nf = srv->cfg.max_fields;
    ward_request preq;
    ward_frame frame;
    ward_req req;
    ward_status st;
    int eof, status, app_rc, is_head, rc;

    if (srv->cfg.tls != NULL && !c->tls_up) {
        int next = tls_step(c);
        if (next >= 0)
            return next;
    }
    if (ward_conn_alloc_in(c) != 0)
        return WARD_NEXT_CLOSE;
    if (c->collecting) {
        /* the body is arriving: the head parsed before, it parses again
         * (the parser is stateless; nothing of it is kept between steps) */
        st = ward_parse_request(c->in, c->head_len, 0, &srv->popts, &preq, fields, &nf);
        if (st != WARD_OK)
            return WARD_NEXT_CLOSE;
    } else {
        if (c->head_deadline == 0)
            c->head_deadline = ward_now_ms() + srv->cfg.head_timeout_ms;
        c->rline = NULL;
        c->app_ran = 0;
        st = read_head(c, &preq, fields, &nf, &eof);
        if (st == WARD_AGAIN) {
            if (eof || atomic_load(&srv->stopping))
                return WARD_NEXT_CLOSE; /* gone before a head was complete */
            return WARD_NEXT_HEAD;
        }
        if (st != WARD_OK) {
            status = ward_status_http(st);
            ward_note_reason(srv, st);
            ward_send_error(c, status, ward_status_str(st), 0);
            return WARD_NEXT_LINGER;
        }
        c->head_len = c->body_pos = preq.head_len;
    }
    set_rline(c, &preq);
    is_head = preq.method.len == 4 && memcmp(c->in + preq.method.off, "HEAD", 4) == 0;
    status = policy(srv, &preq);
    if (status != 0) {
        ward_send_error(c, status,
                        status == 405 ? "CONNECT needs proxy mode" : "absolute-form needs proxy mode",
                        is_head);
        return WARD_NEXT_LINGER;
    }
    st = ward_frame_request(c->in, &preq, fields, nf, srv->cfg.max_body, &frame);
    if (st != WARD_OK) { /* RFC 9112 §6.3: the framing is in doubt, so the connection closes */
        ward_note_reason(srv, st);
        ward_send_error(c, ward_status_http(st), ward_status_str(st), is_head);
        return WARD_NEXT_LINGER;
    }
    c->closing = frame.close;
    c->http10 = preq.version == 0;
    /* the body (up to body_buffer) before the handler, without waiting */
    rc = ward_body_collect(c, &preq, &frame);
    if (rc > 0)
        return atomic_load(&srv->stopping) ? WARD_NEXT_CLOSE : WARD_NEXT_BODY;
    if (rc < 0)
        return c->err ? WARD_NEXT_CLOSE : WARD_NEXT_LINGER;
    if (ward_conn_alloc_out(c) != 0) {
        ward_send_error(c, 503, "out of memory", is_head);
        return WARD_NEXT_LINGER;
    }
    set_rline(c, &preq); /* collecting may have moved c->in */
    fill_req(c, &req, &preq, fields, nf, &frame);
    ward_resp_reset(c->resp, c, &req);
    c->app_ran = 1;
    app_rc = srv->cfg.handler(srv->cfg.handler_arg, &req, c->resp);
    atomic_fetch_add_explicit(&srv->slots[c->slot].requests, 1, memory_order_relaxed);
    rc = ward_resp_finish(c->resp, app_rc != 0); /* tells on_response the outcome */
    if (rc != 0 || ward_body_drain(c->resp) != 0)
        return close_kind(c, &preq);
    shift_input(c);
    if (c->in_len > 0 || (c->tls != NULL && srv->cfg.tls->pending(c->tls) > 0))
        return WARD_NEXT_REQUEUE;
    return WARD_NEXT_IDLE;
}

/* A response's rest waits in the output queue: send what the socket
 * takes now; then what the exchange decided (c->after_send), or wait
 * (WARD_NEXT_SEND: held in CONN_SEND until ward_send_deadline()), or
 * close (failed, or the client reads below send_min_rate). */
static int send_step(ward_conn *c)
{
    int64_t now = ward_now_ms();
    int want_in = 0, rc;

    if (c->park_at != 0) /* only time spent waiting for the socket counts */
        c->send_waited += now - c->park_at;
    c->park_at = 0;
    rc = ward_out_flush(c, &want_in);
    if (rc == 0 && atomic_load(&c->srv->stopping))
        rc = ward_out_wait(c, 0) == 0 ? 1 : -1; /* the pool's stop bounds it */
    if (rc == 0 && c->send_clock && ward_send_left(c) <= 0) {
        ward_send_slow(c);
        rc = -1;
    }
    if (rc < 0) {
        ward_out_drop(c);
        c->sending = 0;
        return WARD_NEXT_CLOSE;
    }
    if (rc == 1) {
        c->sending = 0;
        return c->after_send;
    }
    ward_send_clock(c);
    c->want_out = (uint8_t)!want_in;
    c->park_at = now;
    return WARD_NEXT_SEND;
}

/* When a parked send expires: at the rate rule's limit, and at most one
 * read timeout after it parked. */
static int64_t send_deadline(const ward_conn *c)
{
    int64_t rate = c->park_at + ward_send_left(c),
            idle = c->park_at + (int64_t)c->srv->cfg.read_timeout_ms;

    return rate < idle ? rate : idle;
}

void ward_exchange_send_expired(ward_conn *c, int64_t now)
{
    c->send_waited += now - c->park_at;
    c->park_at = 0;
    ward_send_slow(c);
    ward_conn_free(c);
}

int ward_exchange_step(ward_conn *c)
{
    int next;

    if (c->sending)
        return send_step(c);
    next = serve_one(c);
    if (c->oq_head == NULL)
        return next;
    if (c->err || next == WARD_NEXT_CLOSE) {
        ward_out_drop(c);
        return WARD_NEXT_CLOSE;
    }
    /* the socket did not take all: the event side sends the rest. The
     * queue holds its own copies: the response's buffer goes back, and
     * the input buffer too when the exchange ends (not when pipelined
     * bytes, or a head or body still arriving, are in it) */
    if (next == WARD_NEXT_IDLE || next == WARD_NEXT_LINGER) {
        ward_conn_release(c);
    } else {
        free(c->resp->out);
        c->resp->out = NULL;
        c->resp->fields = NULL;
    }
    c->sending = 1;
    c->after_send = (uint8_t)next;
    c->park_at = 0;
    return send_step(c);
}

/* The connection goes back to the manager after next (WARD_NEXT_IDLE,
 * _HEAD, _BODY or _SEND): the state to hold it in (*state) and until when.
 * An idle connection gives its buffers back first. */
int64_t ward_exchange_wait(ward_conn *c, int next, int *state)
{
    switch (next) {
    case WARD_NEXT_IDLE:
        c->head_deadline = 0;
        ward_conn_release(c); /* nothing buffered (else REQUEUE): taken again when bytes come */
        *state = CONN_IDLE;
        return ward_now_ms() + c->srv->cfg.keepalive_timeout_ms;
    case WARD_NEXT_HEAD:
        if (c->in_len == 0)
            ward_conn_release(c); /* no byte of the head yet: nothing to hold */
        *state = CONN_HEAD;
        return c->head_deadline;
    case WARD_NEXT_BODY:
        *state = CONN_BODY;
        return ward_body_deadline(c->resp);
    case WARD_NEXT_SEND:
    default:
        *state = CONN_SEND;
        return send_deadline(c);
    }
}
