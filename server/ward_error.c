/* SPDX-License-Identifier: MIT */
/* ward_error.c - the server's own answers (a short text, Connection:
 * close: 400, 408, 413, 500, 503...), and what every response counts and
 * tells: the status classes, the parser's reasons, on_response; Date and
 * the reason phrases, for these and for the response writer above. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "ward_server_int.h"

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

/* The server's own response: a short text, Connection: close. */
static size_t format_error(ward_server *srv, char *out, size_t cap, int status, const char *text,
                           int head_only)
{
    char date[30], retry[48] = "";
    int n;

    ward_date(date);
    if (status == 503)
        snprintf(retry, sizeof retry, "Retry-After: %u\r\n", srv->cfg.retry_after_s);
    n = snprintf(out, cap,
                 "HTTP/1.%u %d %s\r\nDate: %.29s\r\n%s%s%sContent-Type: text/plain; "
                 "charset=utf-8\r\nContent-Length: %zu\r\n%sConnection: close\r\n\r\n%s%s",
                 (unsigned)srv->proto_minor, status, ward_reason(status), date,
                 srv->server_name[0] != '\0' ? "Server: " : "", srv->server_name,
                 srv->server_name[0] != '\0' ? "\r\n" : "", strlen(text) + 1, retry,
                 head_only ? "" : text, head_only ? "" : "\n");
    if (n < 0 || (size_t)n >= cap)
        return 0;
    return (size_t)n;
}

/* Count a response by its class before its bytes go out, so a client that
 * saw it finds it in the stats (lock-free: atomics). */
void ward_count_status(ward_server *srv, int status)
{
    atomic_fetch_add_explicit(&srv->status_class[status >= 100 && status < 600 ? status / 100 : 0],
                              1, memory_order_relaxed);
}

/* Tell on_response of a response sent. */
void ward_note_response(ward_conn *c, int status, uint64_t bytes)
{
    ward_server *srv = c->srv;
    ward_response_info info;

    if (srv->cfg.on_response == NULL)
        return;
    info.peer = ward_conn_peer(c);
    info.request_line = c->rline;
    info.request_line_len = c->rline != NULL ? c->rline_len : 0;
    info.status = status;
    info.bytes = bytes;
    info.app = c->app_ran;
    info.req = c->app_ran && c->resp != NULL ? c->resp->req : NULL;
    srv->cfg.on_response(srv->cfg.on_response_arg, &info);
}

void ward_note_reason(ward_server *srv, ward_status st)
{
    if ((unsigned)st < WARD_STATUS_SLOTS)
        atomic_fetch_add_explicit(&srv->parse_errors[st], 1, memory_order_relaxed);
}

int ward_send_error(ward_conn *c, int status, const char *text, int head_only)
{
    char out[1024];
    size_t n = format_error(c->srv, out, sizeof out, status, text, head_only);
    int rc;

    c->closing = 1;
    if (c->oq_head == NULL) { /* the rate's clock afresh: resp may be the last request's */
        c->send_sent = c->send_mark = 0;
        c->send_waited = 0;
        c->send_clock = 0;
    }
    if (n == 0)
        return -1;
    ward_count_status(c->srv, status);
    /* told before its bytes go out: a client that saw it finds it logged */
    ward_note_response(c, status, head_only ? 0 : strlen(text) + 1);
    rc = ward_send_all(c, out, n);
    return rc;
}

/* For the listener and the manager, which must not block on a client: one
 * non-blocking send of a fresh or idle connection's empty buffer. */
void ward_conn_error_nb(ward_conn *c, int status, const char *text)
{
    char out[1024];
    size_t n = format_error(c->srv, out, sizeof out, status, text, 0);

    c->closing = 1;
    if (n == 0)
        return;
    if (c->srv->cfg.tls != NULL) { /* TLS: only on an established session, one try */
        int ww = 0;
        if (c->tls == NULL || !c->tls_up)
            return;
        ward_count_status(c->srv, status);
        if (c->srv->cfg.tls->send(c->tls, out, n, &ww) < 0)
            c->err = errno;
    } else {
        ward_count_status(c->srv, status);
        if (send(c->fd, out, n, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
            c->err = errno;
    }
    if (c->err == 0) {
        if (!c->collecting) /* a fresh or idle connection: no request */
            c->rline = NULL;
        c->app_ran = 0;
        ward_note_response(c, status, strlen(text) + 1);
    }
}
