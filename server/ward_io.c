/* SPDX-License-Identifier: MIT */
/* ward_io.c - clocks, the error log, sends under deadlines, Date, reasons. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>

#include "ward_server_int.h"

int64_t ward_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

uint64_t ward_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void ward_log(ward_server *srv, int level, const char *fmt, ...)
{
    char line[512];
    va_list ap;

    if (srv->cfg.log == NULL && level > WARD_LOG_WARN)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (srv->cfg.log != NULL)
        srv->cfg.log(srv->cfg.log_arg, level, line);
    else
        fprintf(stderr, "ward: %s\n", line);
}

/* Wait until fd is ready for events, at most until deadline (ms) and one
 * read timeout. 1 ready, 0 timed out, -1 failed. */
int ward_wait(ward_conn *c, short events, int64_t deadline)
{
    for (;;) {
        struct pollfd pfd = {.fd = c->fd, .events = events};
        int64_t now = ward_now_ms(), left = deadline - now;
        int rc;

        if (left > (int64_t)c->srv->cfg.read_timeout_ms)
            left = c->srv->cfg.read_timeout_ms;
        if (left > INT_MAX) /* poll(2) takes an int: never a negative "forever" */
            left = INT_MAX;
        if (left <= 0)
            return 0;
        rc = poll(&pfd, 1, (int)left);
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc < 0)
            return -1;
        if (rc == 0)
            return 0;
        return 1;
    }
}

void ward_count_out(ward_conn *c, size_t n)
{
    if (c->slot < c->srv->cfg.max_threads)
        atomic_fetch_add_explicit(&c->srv->slots[c->slot].bytes_out, n, memory_order_relaxed);
    ward_send_progress(c, n);
}

/* --- the TLS adapter's I/O (only when the connection has one) --- */

/* recv(2) through the connection's TLS, if any: bytes, 0 at the end, -1
 * with errno (EAGAIN: nothing now; a TLS read needing the socket writable
 * waits for it here, a read timeout at most). */
ssize_t ward_conn_recv(ward_conn *c, void *p, size_t n)
{
    const ward_tls_adapter *a = c->srv->cfg.tls;

    if (c->tls == NULL)
        return recv(c->fd, p, n, 0);
    for (;;) {
        int ww = 0;
        ssize_t r = a->recv(c->tls, p, n, &ww);
        if (r >= 0 || errno != EAGAIN || !ww)
            return r;
        if (ward_wait(c, POLLOUT, ward_now_ms() + c->srv->cfg.read_timeout_ms) != 1) {
            errno = ETIMEDOUT;
            return -1;
        }
    }
}

ssize_t ward_conn_recv_nb(ward_conn *c, void *p, size_t n, int *want_write)
{
    *want_write = 0;
    if (c->tls == NULL)
        return recv(c->fd, p, n, 0);
    return c->srv->cfg.tls->recv(c->tls, p, n, want_write);
}


/* Coalesce small pieces into TLS records of up to 16 KiB. */
static int tls_sendiov(ward_conn *c, struct iovec *iov, int n)
{
    const ward_tls_adapter *a = c->srv->cfg.tls;
    uint8_t buf[16384];

    for (int i = 0; i < n;) {
        const uint8_t *p;
        size_t len;

        if (iov[i].iov_len == 0) {
            i++;
            continue;
        }
        if (iov[i].iov_len >= sizeof buf) {
            p = iov[i].iov_base;
            len = iov[i].iov_len;
            i++;
        } else {
            len = 0;
            while (i < n && len + iov[i].iov_len <= sizeof buf) {
                memcpy(buf + len, iov[i].iov_base, iov[i].iov_len);
                len += iov[i].iov_len;
                iov[i].iov_len = 0;
                i++;
            }
            p = buf;
        }
        while (len > 0) {
            int ww = 0;
            ssize_t w = a->send(c->tls, p, len, &ww);
            if (w < 0 && errno == EAGAIN) {
                if (ward_send_wait(c, ww ? POLLOUT : POLLIN) == 1)
                    continue;
                c->err = ETIMEDOUT;
                return -1;
            }
            if (w <= 0) {
                c->err = errno ? errno : EPIPE;
                return -1;
            }
            ward_count_out(c, (size_t)w);
            p += w;
            len -= (size_t)w;
        }
    }
    return 0;
}

/* Send iov[0 .. n) in as few system calls as the socket allows, waiting at
 * most one read timeout for each stall. The iovecs are consumed. */
int ward_sendiov(ward_conn *c, struct iovec *iov, int n)
{
    int first = 0;

    if (c->err)
        return -1;
    if (c->tls != NULL)
        return tls_sendiov(c, iov, n);
    while (first < n && iov[first].iov_len == 0)
        first++;
    while (first < n) {
        struct msghdr msg;
        ssize_t w;

        memset(&msg, 0, sizeof msg);
        msg.msg_iov = iov + first;
        msg.msg_iovlen = (size_t)(n - first);
        w = sendmsg(c->fd, &msg, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            /* the response's progress rule, one read timeout per stall */
            if (ward_send_wait(c, POLLOUT) == 1)
                continue;
            c->err = ETIMEDOUT;
            return -1;
        }
        if (w <= 0) {
            c->err = errno ? errno : EPIPE;
            return -1;
        }
        ward_count_out(c, (size_t)w);
        for (size_t left = (size_t)w; left > 0;) {
            size_t k = left < iov[first].iov_len ? left : iov[first].iov_len;
            iov[first].iov_base = (char *)iov[first].iov_base + k;
            iov[first].iov_len -= k;
            left -= k;
            if (iov[first].iov_len == 0)
                first++;
        }
        while (first < n && iov[first].iov_len == 0)
            first++;
    }
    return 0;
}

int ward_sendv(ward_conn *c, const void *a, size_t an, const void *b, size_t bn)
{
    struct iovec iov[2] = {{(void *)a, an}, {(void *)b, bn}};

    return ward_sendiov(c, iov, 2);
}

int ward_send_all(ward_conn *c, const void *p, size_t n)
{
    return ward_sendv(c, p, n, NULL, 0);
}

/* IMF-fixdate (RFC 9110 §5.6.7), cached per thread for the second. */
void ward_date(char out[30])
{
    static _Thread_local time_t last;
    static _Thread_local char cache[30];
    static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t now = time(NULL);

    if (now != last || cache[0] == '\0') {
        struct tm tm;
        char tmp[64];
        gmtime_r(&now, &tm);
        snprintf(tmp, sizeof tmp, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday % 7],
                 tm.tm_mday, months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                 tm.tm_sec);
        memcpy(cache, tmp, 29);
        cache[29] = '\0';
        last = now;
    }
    memcpy(out, cache, 30);
}

const char *ward_reason(int status)
{
    switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 417: return "Expectation Failed";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "";
    }
}

/* RFC 9110 §5.6.2 tchar */
int ward_is_tchar(uint8_t ch)
{
    if ((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'))
        return 1;
    return ch != 0 && strchr("!#$%&'*+-.^_`|~", ch) != NULL;
}
