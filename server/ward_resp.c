/* SPDX-License-Identifier: MIT */
/* ward_resp.c - the response writer: validation, framing, the handler's
 * writes, the response's end and its one outcome (ward_resp_finish()). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "ward_server_int.h"

#define HEAD_CAP (FIELDS_CAP + 512u)

/* The head's own lines beside the app's fields: status line (reason < 64),
 * Date, Server (at most WARD_SERVER_NAME_MAX), Content-Length or
 * Transfer-Encoding, Connection, the blank line: under 512 bytes, so any
 * fields ward_resp_field_n() accepted (FIELDS_CAP) fit the head. */
_Static_assert(WARD_SERVER_NAME_MAX + 64 + 200 <= HEAD_CAP - FIELDS_CAP, "head overhead");

/* RFC 9110 §5.6.2 tchar */
static int ward_is_tchar(uint8_t ch)
{
    if ((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'))
        return 1;
    return ch != 0 && strchr("!#$%&'*+-.^_`|~", ch) != NULL;
}

void ward_resp_reset(ward_resp *r, ward_conn *c, const ward_req *req)
{
    uint8_t *out = r->out;
    int is_head = req != NULL && req->method.len == 4 && memcmp(req->method.ptr, "HEAD", 4) == 0;

    /* everything before the request body's part, but the 8 KiB field-line
     * buffer: only fields_len says what it holds (a memset of it was the
     * server's largest user-space cost per keep-alive request) */
    memset(r, 0, offsetof(ward_resp, reason));
    r->reason[0] = '\0';
    memset(&r->fields_len, 0, offsetof(ward_resp, body_kind) - offsetof(ward_resp, fields_len));
    r->out = out;
    r->out_len = 0;
    r->conn = c;
    r->req = req;
    r->status = 200;
    r->is_head = (uint8_t)is_head;
    r->no_body = (uint8_t)is_head;
    c->send_sent = c->send_mark = 0; /* the send rate's clock: per response */
    c->send_waited = 0;
    c->send_clock = 0;
}

/* RFC 9110 §5.5: field-value bytes are HTAB, SP, VCHAR, obs-text. */
static int value_ok(const char *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t ch = (uint8_t)v[i];
        if (ch != '\t' && (ch < 0x20 || ch == 0x7f))
            return 0;
    }
    return 1;
}

static int name_is(const char *name, size_t n, const char *want)
{
    return strlen(want) == n && strncasecmp(name, want, n) == 0;
}

int ward_resp_status(ward_resp *r, int status, const char *reason)
{
    size_t n = reason != NULL ? strlen(reason) : 0;

    /* RFC 9110 §15: 3 digits; 1xx are interim, the server's own */
    if (r->head_sent || status < 200 || status > 999 || n >= sizeof r->reason ||
        !value_ok(reason != NULL ? reason : "", n))
        return -1;
    r->status = status;
    if (reason != NULL)
        memcpy(r->reason, reason, n + 1);
    else
        r->reason[0] = '\0';
    /* from the final status: a later 200 undoes an earlier 204 */
    r->no_body = (uint8_t)(r->is_head || status < 200 || status == 204 || status == 205 ||
                           status == 304);
    return 0;
}

static int parse_length(const char *v, size_t n, uint64_t *out)
{
    uint64_t x = 0;

    if (n == 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        uint8_t d = (uint8_t)((uint8_t)v[i] - (uint8_t)'0');
        if (d > 9 || x > (uint64_t)WARD_BODY_CAP / 10)
            return -1;
        x = x * 10 + d;
    }
    if (x > (uint64_t)WARD_BODY_CAP)
        return -1;
    *out = x;
    return 0;
}

int ward_resp_field_n(ward_resp *r, const char *name, size_t nl, const char *value, size_t vl)
{
    size_t need = nl + 2 + vl + 2;

    if (r->head_sent || nl == 0 || !value_ok(value, vl))
        return -1;
    for (size_t i = 0; i < nl; i++)
        if (!ward_is_tchar((uint8_t)name[i]))
            return -1;
    if (name_is(name, nl, "Content-Length")) {
        uint64_t len;
        if (parse_length(value, vl, &len) != 0 || (r->has_declared && len != r->declared))
            return -1;
        r->declared = len;
        r->has_declared = 1;
        return 0;
    }
    if (name_is(name, nl, "Transfer-Encoding"))
        return -1;
    if (name_is(name, nl, "Connection")) {
        if (!name_is(value, vl, "close"))
            return -1;
        r->app_close = 1;
        return 0;
    }
    if (need > FIELDS_CAP - r->fields_len)
        return -1;
    if (name_is(name, nl, "Date"))
        r->has_date = 1;
    if (name_is(name, nl, "Server"))
        r->has_server = 1;
    memcpy(r->fields + r->fields_len, name, nl);
    memcpy(r->fields + r->fields_len + nl, ": ", 2);
    memcpy(r->fields + r->fields_len + nl + 2, value, vl);
    memcpy(r->fields + r->fields_len + nl + 2 + vl, "\r\n", 2);
    r->fields_len += need;
    return 0;
}

int ward_resp_field(ward_resp *r, const char *name, const char *value)
{
    if (name == NULL || value == NULL)
        return -1;
    return ward_resp_field_n(r, name, strlen(name), value, strlen(value));
}

/* Whether the connection may stay open after this response. */
int ward_resp_would_keep(ward_resp *r)
{
    ward_conn *c = r->conn;
    ward_server *srv = c->srv;

    if (c->closing || r->app_close || c->err || atomic_load(&srv->stopping))
        return 0;
    if (c->nreq + 1 >= srv->cfg.max_requests)
        return 0;
    if (atomic_load_explicit(&srv->nidle, memory_order_relaxed) >= srv->cfg.keepalive_max)
        return 0;
    /* a body that will not be drained: the client waits for a 100 it never
     * got, or more is left than max_drain */
    if (!r->body_done && r->req != NULL) {
        uint64_t buffered = c->in_len - c->body_pos + (r->spill_len - r->spill_pos);
        if ((r->req->parsed->flags & WARD_REQ_EXPECT_CONTINUE) && !r->continue_sent)
            return 0;
        if (r->body_kind == WARD_BODY_LENGTH && r->body_left > buffered &&
            r->body_left - buffered > srv->cfg.max_drain)
            return 0;
    }
    /* HTTP/1.0 keeps a connection only when asked (RFC 9112 §9.3) */
    if (srv->proto_minor == 0 && r->req != NULL &&
        !(r->req->parsed->flags & WARD_REQ_CONN_KEEP_ALIVE))
        return 0;
    return 1;
}

static size_t put(char *h, size_t at, const char *s, size_t n)
{
    if (at <= HEAD_CAP && n <= HEAD_CAP - at) /* no wrap */
        memcpy(h + at, s, n);
    return at + n;
}

static size_t puts_(char *h, size_t at, const char *s)
{
    return put(h, at, s, strlen(s));
}

/* v in decimal (snprintf was the second user-space cost of a response). */
static size_t put_dec(char *h, size_t at, uint64_t v)
{
    char d[20];
    size_t n = 0;

    do {
        d[sizeof d - 1 - n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    return put(h, at, d + sizeof d - n, n);
}

/* Send head[0 .. head_len) (may be empty), then the buffered body bytes,
 * as one chunk when chunked. */
static int flush_out(ward_resp *r, const char *head, size_t head_len)
{
    char line[24];
    struct iovec iov[4];
    int n = 0;
    size_t body = r->no_body ? 0 : r->out_len;

    iov[n].iov_base = (void *)head;
    iov[n++].iov_len = head_len;
    if (body > 0 && r->chunked) {
        iov[n].iov_base = line;
        iov[n++].iov_len = (size_t)snprintf(line, sizeof line, "%zx\r\n", body);
    }
    iov[n].iov_base = r->out;
    iov[n++].iov_len = body;
    if (body > 0 && r->chunked) {
        iov[n].iov_base = (void *)"\r\n";
        iov[n++].iov_len = 2;
    }
    r->out_len = 0;
    return ward_sendiov(r->conn, iov, n);
}

/* Build and send the head, with out[] after it. final: every body byte
 * is in out[], so the length is known. */
static int send_head(ward_resp *r, int final)
{
    ward_conn *c = r->conn;
    ward_server *srv = c->srv;
    char h[HEAD_CAP], date[30];
    size_t at = 0;
    int chunkable = srv->proto_minor == 1 && r->req->version == 1;
    int keep;

    if (r->no_body && r->status != 204 && r->status != 304 && !r->has_declared && !final)
        return -1; /* cannot happen: HEAD writes are only counted */
    if (!r->no_body && !r->has_declared && !final && !chunkable)
        r->close_delim = 1;
    keep = ward_resp_would_keep(r) && !r->close_delim;
    if (!keep)
        c->closing = 1;

    at = puts_(h, at, srv->proto_minor == 1 ? "HTTP/1.1 " : "HTTP/1.0 ");
    at = put_dec(h, at, (uint64_t)r->status); /* 200..999: ward_resp_status() */
    at = puts_(h, at, " ");
    at = puts_(h, at, r->reason[0] != '\0' ? r->reason : ward_reason(r->status));
    at = puts_(h, at, "\r\n");
    if (!r->has_date) {
        ward_date(date);
        at = puts_(h, at, "Date: ");
        at = put(h, at, date, 29);
        at = puts_(h, at, "\r\n");
    }
    if (!r->has_server && srv->server_name[0] != '\0') {
        at = puts_(h, at, "Server: ");
        at = puts_(h, at, srv->server_name);
        at = puts_(h, at, "\r\n");
    }
    at = put(h, at, r->fields, r->fields_len);
    if (r->status == 204) {
        /* RFC 9110 §8.6: no Content-Length in a 204 */
    } else if (r->status == 205) {
        /* RFC 9110 §15.3.6: no content; say so, whatever was declared */
        at = puts_(h, at, "Content-Length: 0\r\n");
    } else if (r->is_head && !r->has_declared && r->written == 0) {
        /* RFC 9110 §8.6, §9.3.2: nothing declared, nothing written: the
         * length a GET would get is not known, so none is sent */
    } else if (r->has_declared || (final && (r->status != 304))) {
        at = puts_(h, at, "Content-Length: ");
        at = put_dec(h, at, r->has_declared ? r->declared : r->written);
        at = puts_(h, at, "\r\n");
    } else if (!r->no_body && !r->close_delim) {
        r->chunked = 1;
        at = puts_(h, at, "Transfer-Encoding: chunked\r\n");
    }
    if (!keep)
        at = puts_(h, at, "Connection: close\r\n");
    else if (r->req->version == 0 || srv->proto_minor == 0)
        at = puts_(h, at, "Connection: keep-alive\r\n");
    at = puts_(h, at, "\r\n");
    if (at > HEAD_CAP)
        return -1;
    r->head_sent = 1;
    ward_count_status(srv, r->status);
    return flush_out(r, h, at);
}

/* Send body bytes once the head is out (chunk framing when chunked). */
static int send_body(ward_resp *r, const void *p, size_t n)
{
    char line[24];
    struct iovec iov[3];

    if (!r->chunked)
        return ward_send_all(r->conn, p, n);
    iov[0].iov_base = line;
    iov[0].iov_len = (size_t)snprintf(line, sizeof line, "%zx\r\n", n);
    iov[1].iov_base = (void *)p;
    iov[1].iov_len = n;
    iov[2].iov_base = (void *)"\r\n";
    iov[2].iov_len = 2;
    return ward_sendiov(r->conn, iov, 3);
}

static int fail(ward_resp *r)
{
    r->failed = 1;
    r->conn->closing = 1;
    return -1;
}

/* How many of n bytes the declared length still allows; 0 with *over set
 * when some must be cut. */
static size_t allowed(ward_resp *r, size_t n, int *over)
{
    *over = 0;
    if (r->has_declared && n > r->declared - r->written) {
        *over = 1;
        return (size_t)(r->declared - r->written);
    }
    return n;
}

/* More than resp_buffer copied bytes wait in the queue: the one place a
 * handler waits for the socket (under the send rate rule). */
static int room(ward_resp *r)
{
    ward_conn *c = r->conn;

    if (c->oq_copied <= c->srv->cfg.resp_buffer)
        return 0;
    return ward_out_wait(c, c->srv->cfg.resp_buffer);
}

int ward_resp_write(ward_resp *r, const void *buf, size_t len)
{
    int over;

    if (r->failed || r->conn->err || r->body_http != 0)
        return -1;
    if (r->no_body) {
        r->written += len;
        return 0;
    }
    len = allowed(r, len, &over);
    if (len > 0 && room(r) != 0)
        return fail(r);
    if (len > 0 && !r->head_sent && len <= OUT_CAP - r->out_len) {
        memcpy(r->out + r->out_len, buf, len);
        r->out_len += len;
    } else if (len > 0) {
        if (!r->head_sent && send_head(r, 0) != 0)
            return fail(r);
        if (send_body(r, buf, len) != 0)
            return fail(r);
    }
    r->written += len;
    return over ? fail(r) : 0;
}

int ward_resp_sendfile(ward_resp *r, int fd, off_t off, size_t len)
{
    char line[24];
    int over;

    if (r->failed || r->conn->err || r->body_http != 0 || off < 0)
        return -1;
    if (r->no_body) {
        r->written += len;
        return 0;
    }
    len = allowed(r, len, &over);
    if (len > 0 && room(r) != 0)
        return fail(r);
    if (len > 0 && !r->head_sent && len <= OUT_CAP - r->out_len) {
        ssize_t got = pread(fd, r->out + r->out_len, len, off);
        if (got < 0 || (size_t)got != len)
            return fail(r);
        r->out_len += len;
    } else if (len > 0) {
        if (!r->head_sent && send_head(r, 0) != 0)
            return fail(r);
        if (r->chunked &&
            ward_send_all(r->conn, line, (size_t)snprintf(line, sizeof line, "%zx\r\n", len)) != 0)
            return fail(r);
        if (ward_out_file(r->conn, fd, off, len) != 0)
            return fail(r);
        if (r->chunked && ward_send_all(r->conn, "\r\n", 2) != 0)
            return fail(r);
    }
    r->written += len;
    return over ? fail(r) : 0;
}

/* The one outcome of the handler's response, told to on_response once,
 * before the bytes that complete it go out. */
static void outcome(ward_resp *r)
{
    ward_note_response(r->conn, r->status, r->no_body ? 0 : r->written);
}

/* Complete the response after the handler returned, deciding its outcome
 * (on_response). -1: close the connection (c->closing is set too). */
int ward_resp_finish(ward_resp *r, int app_failed)
{
    ward_conn *c = r->conn;
    int head_only = r->is_head; /* an error answer replaces a 204/205/304 */

    if (c->err) {
        if (r->head_sent)
            outcome(r); /* cut: the client saw the head */
        return -1;
    }
    if (!r->head_sent) {
        if (r->body_http != 0)
            return ward_send_error(c, r->body_http, r->body_text, head_only), -1;
        /* a short body with nothing sent yet: a 500, never a wrong 200 */
        if (app_failed || r->failed || (r->has_declared && !r->no_body && r->written < r->declared))
            return ward_send_error(c, 500, "the application failed", head_only), -1;
        outcome(r);
        return send_head(r, 1) != 0 || c->closing ? -1 : 0;
    }
    outcome(r);
    if (app_failed || r->failed || r->body_http != 0) {
        c->closing = 1; /* the response is cut: no last chunk, the client sees it */
        return -1;
    }
    if (r->chunked && ward_send_all(c, "0\r\n\r\n", 5) != 0)
        return -1;
    if (r->has_declared && r->written < r->declared)
        c->closing = 1;
    return c->closing ? -1 : 0;
}
