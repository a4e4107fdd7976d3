/* SPDX-License-Identifier: MIT */
/* ward_io.c - one connection's bytes, TLS or not: reads, sends that never
 * wait (the output queue), sendfile, and the one counted wait for it. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "ward_server_int.h"

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
    c->send_sent += n;
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

/* --- the output queue: what the socket did not take yet ---
 *
 * Segments in order: bytes (copied), or a range of a file (on a dup() of
 * the caller's descriptor, closed when the segment ends or the queue is
 * dropped). Nothing here waits but ward_out_wait(). */

#define SEG_MIN 16384u /* a new bytes segment's room at least */
#define TLS_REC 16384u /* one TLS record's plaintext */

static void seg_free(ward_conn *c, out_seg *s)
{
    if (s->fd >= 0)
        close(s->fd);
    else if (!s->staged)
        c->oq_copied -= s->len;
    free(s);
}

static void seg_pop(ward_conn *c)
{
    out_seg *s = c->oq_head;

    c->oq_head = s->next;
    if (c->oq_head == NULL)
        c->oq_tail = NULL;
    seg_free(c, s);
}

void ward_out_drop(ward_conn *c)
{
    while (c->oq_head != NULL)
        seg_pop(c);
}

static out_seg *seg_new(size_t cap)
{
    out_seg *s = malloc(sizeof *s + cap);

    if (s == NULL)
        return NULL;
    memset(s, 0, sizeof *s);
    s->fd = -1;
    s->cap = cap;
    return s;
}

static void seg_append(ward_conn *c, out_seg *s)
{
    if (c->oq_tail != NULL)
        c->oq_tail->next = s;
    else
        c->oq_head = s;
    c->oq_tail = s;
}

/* Copy p[0 .. n) to the queue's end. -1: out of memory (c->err set). */
static int queue_bytes(ward_conn *c, const void *p, size_t n)
{
    out_seg *t = c->oq_tail;

    if (n == 0)
        return 0;
    if (t != NULL && t->fd < 0 && !t->staged && t->cap - t->pos - t->len > 0) {
        size_t k = t->cap - t->pos - t->len;
        if (k > n)
            k = n;
        memcpy(t->data + t->pos + t->len, p, k);
        t->len += k;
        c->oq_copied += k;
        p = (const uint8_t *)p + k;
        n -= k;
    }
    if (n > 0) {
        out_seg *s = seg_new(n > SEG_MIN ? n : SEG_MIN);
        if (s == NULL) {
            c->err = ENOMEM;
            return -1;
        }
        memcpy(s->data, p, n);
        s->len = n;
        c->oq_copied += n;
        seg_append(c, s);
    }
    return 0;
}

/* Take w sent bytes off the queue's front bytes segments. */
static void consume(ward_conn *c, size_t w)
{
    ward_count_out(c, w);
    while (w > 0) {
        out_seg *s = c->oq_head;
        size_t k = w < s->len ? w : s->len;
        s->pos += k;
        s->len -= k;
        if (s->fd < 0 && !s->staged)
            c->oq_copied -= k;
        w -= k;
        if (s->len == 0)
            seg_pop(c);
    }
}

/* sendfile(2) has no MSG_NOSIGNAL: workers block SIGPIPE (ward_pool.c);
 * take a pending one off this thread. */
static void clear_sigpipe(void)
{
    sigset_t pipe;
    struct timespec zero = {0, 0};
    int e = errno;

    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    while (sigtimedwait(&pipe, NULL, &zero) == SIGPIPE)
        ;
    errno = e;
}

/* One send of the queue's front: > 0 bytes taken, 0 would block (*want_in:
 * a TLS write that needs the socket readable), -1 failed (c->err). */
static ssize_t send_front(ward_conn *c, int *want_in)
{
    out_seg *s = c->oq_head;
    ssize_t w;

    if (s->fd >= 0 && c->tls != NULL) {
        /* TLS cannot sendfile: a record's worth of the file, staged by
         * pread() into a bytes segment before it */
        size_t n = s->len < TLS_REC ? s->len : TLS_REC;
        out_seg *b = seg_new(TLS_REC);
        if (b == NULL) {
            c->err = ENOMEM;
            return -1;
        }
        do
            w = pread(s->fd, b->data, n, s->off);
        while (w < 0 && errno == EINTR);
        if (w <= 0) { /* 0: the file is shorter than promised */
            c->err = w == 0 ? EIO : errno;
            free(b);
            return -1;
        }
        b->len = (size_t)w;
        b->staged = 1;
        s->off += w;
        s->len -= (size_t)w;
        b->next = s;
        c->oq_head = b;
        s = b;
    }
    if (s->fd >= 0) {
        size_t n = s->len < 0x7ffff000u ? s->len : 0x7ffff000u; /* MAX_RW_COUNT */
        w = sendfile(c->fd, s->fd, &s->off, n);
        if (w < 0 && errno == EPIPE)
            clear_sigpipe();
        if (w == 0) {
            c->err = EIO;
            return -1;
        }
        if (w > 0) { /* sendfile advanced s->off */
            ward_count_out(c, (size_t)w);
            s->len -= (size_t)w;
            if (s->len == 0)
                seg_pop(c);
            return w;
        }
    } else if (c->tls != NULL) {
        int ww = 0;
        /* the same front bytes are offered again after EAGAIN (BoringSSL
         * asks for it; ward_tls.c allows a moving buffer) */
        w = c->srv->cfg.tls->send(c->tls, s->data + s->pos, s->len < TLS_REC ? s->len : TLS_REC,
                                  &ww);
        if (w < 0 && errno == EAGAIN) {
            *want_in = !ww;
            return 0;
        }
        if (w == 0) {
            c->err = EPIPE;
            return -1;
        }
        if (w > 0)
            consume(c, (size_t)w);
    } else {
        struct iovec iov[16];
        struct msghdr msg;
        int n = 0;

        for (out_seg *t = s; t != NULL && t->fd < 0 && n < 16; t = t->next) {
            iov[n].iov_base = t->data + t->pos;
            iov[n++].iov_len = t->len;
        }
        memset(&msg, 0, sizeof msg);
        msg.msg_iov = iov;
        msg.msg_iovlen = (size_t)n;
        w = sendmsg(c->fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w > 0)
            consume(c, (size_t)w);
    }
    if (w > 0)
        return w;
    if (errno == EINTR)
        return send_front(c, want_in);
    if (errno == EAGAIN || errno == EWOULDBLOCK)
        return 0;
    c->err = errno ? errno : EPIPE;
    return -1;
}

int ward_out_flush(ward_conn *c, int *want_in)
{
    *want_in = 0;
    if (c->err)
        return -1;
    while (c->oq_head != NULL) {
        ssize_t w;
        if (c->oq_head->len == 0) {
            seg_pop(c);
            continue;
        }
        w = send_front(c, want_in);
        if (w < 0)
            return -1;
        if (w == 0)
            return 0;
    }
    return 1;
}

/* The send rate rule: ms the queue may still wait for the socket. Only
 * the time spent waiting counts (send_waited), not the handler's. */
int64_t ward_send_left(const ward_conn *c)
{
    const ward_server_config *cfg = &c->srv->cfg;

    return (int64_t)cfg->send_rate_grace_ms +
           (int64_t)((c->send_sent - c->send_mark) * 1000u / cfg->send_min_rate) - c->send_waited;
}

/* The rate's clock starts with the response's first wait: what the socket
 * took before it (its buffers filling) is not counted. */
void ward_send_clock(ward_conn *c)
{
    if (!c->send_clock) {
        c->send_clock = 1;
        c->send_mark = c->send_sent;
    }
}

/* A client reads slower than send_min_rate (or took nothing within a
 * read timeout): logged, counted; the connection closes. */
void ward_send_slow(ward_conn *c)
{
    ward_server *srv = c->srv;

    atomic_fetch_add_explicit(&srv->slow_readers, 1, memory_order_relaxed);
    if (ward_send_left(c) <= 0)
        ward_log(srv, WARD_LOG_INFO,
                 "closed: client reads a response below %u bytes/s: %llu bytes in %lld ms",
                 srv->cfg.send_min_rate, (unsigned long long)(c->send_sent - c->send_mark),
                 (long long)c->send_waited);
    else
        ward_log(srv, WARD_LOG_INFO, "closed: client took nothing of a response for %u ms",
                 srv->cfg.read_timeout_ms);
    /* a reset: what the kernel still buffers for the client (megabytes,
     * at its pace) goes too, and the close is not one more slow read */
    (void)setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &(struct linger){1, 0}, sizeof(struct linger));
    c->err = ETIMEDOUT;
}

int ward_out_wait(ward_conn *c, size_t bound)
{
    int counted = bound == 0; /* a stop's flush is no handler's write */

    for (;;) {
        int want_in, rc = ward_out_flush(c, &want_in), w;
        int64_t t0, dl, stop = INT64_MAX;

        if (rc != 0)
            return rc < 0 ? -1 : 0;
        if (c->oq_copied <= bound && bound > 0)
            return 0;
        if (!counted) {
            atomic_fetch_add_explicit(&c->srv->send_waits, 1, memory_order_relaxed);
            counted = 1;
        }
        ward_send_clock(c);
        t0 = ward_now_ms();
        dl = t0 + ward_send_left(c);
        if (atomic_load(&c->srv->stopping)) /* a stop waits no longer than its deadline */
            stop = atomic_load(&c->srv->stop_deadline);
        if (dl <= t0) {
            ward_send_slow(c);
            return -1;
        }
        if (stop <= t0) {
            c->err = ETIMEDOUT;
            return -1;
        }
        w = ward_wait(c, want_in ? POLLIN : POLLOUT, dl < stop ? dl : stop);
        c->send_waited += ward_now_ms() - t0;
        if (w < 0) {
            c->err = errno;
            return -1;
        }
        if (w == 0 && ward_now_ms() >= stop) {
            c->err = ETIMEDOUT; /* cut by the stop, not slow */
            return -1;
        }
        if (w == 0) {
            ward_send_slow(c);
            return -1;
        }
    }
}

int ward_out_file(ward_conn *c, int fd, off_t off, size_t len)
{
    out_seg *s;
    int want_in;

    if (c->err)
        return -1;
    if (len == 0)
        return 0;
    s = seg_new(0);
    if (s == NULL) {
        c->err = ENOMEM;
        return -1;
    }
    s->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (s->fd < 0) {
        ward_log(c->srv, WARD_LOG_WARN, "a file response needs a second descriptor: %s",
                 strerror(errno));
        c->err = errno;
        free(s);
        return -1;
    }
    s->off = off;
    s->len = len;
    seg_append(c, s);
    return ward_out_flush(c, &want_in) < 0 ? -1 : 0;
}

/* Send iov[0 .. n): what the socket takes now goes out, the rest is
 * copied to the output queue (behind what already waits there). Never
 * waits. */
int ward_sendiov(ward_conn *c, struct iovec *iov, int n)
{
    int first = 0, want_in;

    if (c->err)
        return -1;
    while (first < n && iov[first].iov_len == 0)
        first++;
    while (first < n && c->oq_head == NULL && c->tls == NULL) {
        struct msghdr msg;
        ssize_t w;

        memset(&msg, 0, sizeof msg);
        msg.msg_iov = iov + first;
        msg.msg_iovlen = (size_t)(n - first);
        w = sendmsg(c->fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
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
    if (first == n)
        return 0;
    for (; first < n; first++)
        if (queue_bytes(c, iov[first].iov_base, iov[first].iov_len) != 0)
            return -1;
    return ward_out_flush(c, &want_in) < 0 ? -1 : 0;
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
