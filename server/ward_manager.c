/* SPDX-License-Identifier: MIT */
/* ward_manager.c - the connection manager: the epoll set of idle
 * keep-alive connections, connections whose head or body is still
 * arriving, responses waiting for the socket (CONN_SEND), and lingering
 * closes; its thread expires them.
 *
 * Readiness is taken by the workers themselves: an idle worker waits in
 * epoll_wait() on this set (one-shot registrations, so one event goes to
 * one worker) and claims the connection, which saves the hand-off through
 * a queue and a second wake-up on every keep-alive request. The manager's
 * thread only sweeps: idle connections past the keep-alive timeout close
 * silently, heads past their deadline get 408, bodies past theirs (the
 * minimum rate, body_timeout_ms) too, responses whose reader is below
 * send_min_rate close, lingering closes end.
 *
 * Safety of events against expiry: an event carries the descriptor and the
 * connection's generation, never a pointer. Whoever removes a connection
 * from its list and the descriptor table (under its stripe's lock) owns it; an event
 * whose descriptor no longer maps to a listed connection of its generation
 * is stale and dropped. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ward_server_int.h"

#define LINGER_MAX (1u << 20) /* bytes drained from a closing connection at most */

static struct stripe *stripe_of(ward_server *srv, int fd)
{
    return &srv->stripes[(unsigned)fd % NSTRIPE];
}

/* Under the stripe's lock: listed in the slot of the first tick at or
 * after c's deadline, or of the next tick when that one was swept. */
static void list_add(ward_server *srv, ward_conn *c)
{
    struct stripe *s = stripe_of(srv, c->fd);
    int64_t t = c->deadline > 0 ? (c->deadline + TICK_MS - 1) / TICK_MS : 0;
    ward_conn **head;

    if (t <= s->swept)
        t = s->swept + 1;
    c->wslot = (uint16_t)(t % WHEEL);
    head = &s->wheel[c->wslot];
    c->prev = NULL;
    c->next = *head;
    if (*head != NULL)
        (*head)->prev = c;
    *head = c;
    srv->byfd[c->fd] = c;
    atomic_fetch_add_explicit(&srv->nheld, 1, memory_order_relaxed);
    if (c->state == CONN_IDLE)
        atomic_fetch_add_explicit(&srv->nidle, 1, memory_order_relaxed);
    if (c->state == CONN_SEND)
        atomic_fetch_add(&srv->nsend, 1);
}

/* Under the stripe's lock. */
static void list_del(ward_server *srv, ward_conn *c)
{
    struct stripe *s = stripe_of(srv, c->fd);

    if (c->prev != NULL)
        c->prev->next = c->next;
    else
        s->wheel[c->wslot] = c->next;
    if (c->next != NULL)
        c->next->prev = c->prev;
    c->prev = c->next = NULL;
    srv->byfd[c->fd] = NULL;
    atomic_fetch_sub_explicit(&srv->nheld, 1, memory_order_relaxed);
    if (c->state == CONN_IDLE)
        atomic_fetch_sub_explicit(&srv->nidle, 1, memory_order_relaxed);
    if (c->state == CONN_SEND)
        atomic_fetch_sub(&srv->nsend, 1);
    c->state = CONN_WORK;
}

static int arm(ward_server *srv, ward_conn *c)
{
    struct epoll_event ev;

    memset(&ev, 0, sizeof ev);
    /* a TLS read of a body may need the socket writable (BoringSSL) */
    ev.events = (c->want_out ? EPOLLOUT : EPOLLIN) | EPOLLONESHOT;
    /* a parked send: a half-closed client may still read; RDHUP would
     * wake it again at once */
    if (c->state != CONN_SEND)
        ev.events |= EPOLLRDHUP;
    ev.data.u64 = (uint64_t)c->gen << 32 | (uint32_t)c->fd;
    if (epoll_ctl(srv->epfd, c->in_epoll ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, c->fd, &ev) != 0)
        return -1;
    c->in_epoll = 1;
    return 0;
}

/* Take c over in state until deadline. -1: refused (stopping, a descriptor
 * beyond the table, epoll failed); the caller still owns c. Arming happens
 * under the stripe's lock, after c is listed, so an event always finds c
 * listed. */
int ward_manager_hold(ward_server *srv, ward_conn *c, int state, int64_t deadline)
{
    struct stripe *s;
    int rc = -1;

    if (c->fd < 0 || (size_t)c->fd >= srv->nfd)
        return -1;
    s = stripe_of(srv, c->fd);
    pthread_mutex_lock(&s->mu);
    if (!atomic_load(&srv->mclosed) && (state == CONN_LINGER || !atomic_load(&srv->stopping))) {
        c->state = (uint8_t)state;
        c->deadline = deadline;
        /* writable: a body's or a handshake's TLS read, a send */
        if (state != CONN_BODY && state != CONN_SEND && !(state == CONN_HEAD && !c->tls_up))
            c->want_out = 0;
        list_add(srv, c);
        rc = arm(srv, c);
        if (rc != 0)
            list_del(srv, c);
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
}

/* Close now, or (linger) half-close and let the manager drain what the
 * client still sends, so that the answer is read rather than reset
 * (RFC 9112 §9.6). */
void ward_manager_close(ward_conn *c, int linger)
{
    if (linger && c->err == 0) {
        ward_conn_release(c);
        if (c->tls != NULL && c->tls_up) {
            c->srv->cfg.tls->close_notify(c->tls);
            c->tls_up = 0; /* once */
        }
        if (shutdown(c->fd, SHUT_WR) == 0 &&
            ward_manager_hold(c->srv, c, CONN_LINGER, ward_now_ms() + c->srv->cfg.linger_ms) == 0)
            return;
    }
    ward_conn_free(c);
}

/* The connection an event is for, taken off the list (*state says what it
 * was), or NULL when the event is stale. */
ward_conn *ward_manager_claim(ward_server *srv, uint64_t key, int *state)
{
    uint32_t fd = (uint32_t)key, gen = (uint32_t)(key >> 32);
    struct stripe *s = &srv->stripes[fd % NSTRIPE];
    ward_conn *c = NULL;

    pthread_mutex_lock(&s->mu);
    if (fd < srv->nfd && srv->byfd[fd] != NULL && srv->byfd[fd]->gen == gen) {
        c = srv->byfd[fd];
        *state = c->state;
        list_del(srv, c);
    }
    pthread_mutex_unlock(&s->mu);
    return c;
}

/* Read and drop what a closing client still sends; 1 when done. */
static int linger_drain(ward_conn *c)
{
    uint8_t sink[4096];

    for (;;) {
        ssize_t n = recv(c->fd, sink, sizeof sink, MSG_DONTWAIT);
        if (n > 0) {
            c->linger_bytes += (uint32_t)n;
            if (c->linger_bytes > LINGER_MAX)
                return 1;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        return !(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
    }
}

/* A lingering connection became readable (claimed by a worker). */
void ward_manager_linger_event(ward_server *srv, ward_conn *c)
{
    if (linger_drain(c) || ward_manager_hold(srv, c, CONN_LINGER, c->deadline) != 0)
        ward_conn_free(c);
}

/* Under the stripe's lock: take what is due in wheel slot k onto
 * *expired. */
static void sweep_slot(ward_server *srv, struct stripe *s, unsigned k, int64_t now, int stopping,
                       ward_conn **expired)
{
    ward_conn *c, *next;

    for (c = s->wheel[k]; c != NULL; c = next) {
        next = c->next;
        /* when stopping, a parked send is finished (queued for a
         * worker, under the shutdown deadline), the rest close now */
        if (now >= c->deadline || (stopping && c->state != CONN_LINGER)) {
            int state = c->state;
            list_del(srv, c);
            c->state = (uint8_t)state; /* remembered for below; c is off the list */
            c->next = *expired;
            *expired = c;
        }
    }
}

/* Expire what waited too long: idle keep-alive connections close
 * silently, a head that did not complete in time gets 408, a lingering
 * close ends. When stopping, every idle or arriving connection goes.
 * Only the slots of the ticks since the last sweep are looked at (all of
 * them when stopping): a connection is looked at on its deadline's tick,
 * and once a turn of the wheel (WHEEL ticks) before it. */
static void sweep(ward_server *srv, int64_t now)
{
    ward_conn *expired = NULL, *c, *next;
    int stopping = atomic_load(&srv->stopping);
    int64_t tick = now / TICK_MS;

    for (unsigned i = 0; i < NSTRIPE; i++) {
        struct stripe *s = &srv->stripes[i];
        pthread_mutex_lock(&s->mu);
        if (stopping || tick - s->swept >= WHEEL) {
            for (unsigned k = 0; k < WHEEL; k++)
                sweep_slot(srv, s, k, now, stopping, &expired);
        } else {
            for (int64_t t = s->swept + 1; t <= tick; t++)
                sweep_slot(srv, s, (unsigned)(t % WHEEL), now, stopping, &expired);
        }
        if (tick > s->swept)
            s->swept = tick;
        pthread_mutex_unlock(&s->mu);
    }
    for (c = expired; c != NULL; c = next) {
        next = c->next;
        c->next = NULL;
        if (c->state == CONN_HEAD && c->in_len > 0 && !stopping) {
            c->state = CONN_WORK;
            ward_conn_error_nb(c, 408, "request head not complete in time");
            ward_manager_close(c, 1);
        } else if (c->state == CONN_BODY && !stopping) {
            c->state = CONN_WORK;
            ward_body_expired(c, now); /* 408, below the minimum rate or stalled */
            ward_manager_close(c, 1);
        } else if (c->state == CONN_SEND && now >= c->deadline) {
            c->state = CONN_WORK;
            ward_exchange_send_expired(c, now); /* below the minimum rate: closed */
        } else if (c->state == CONN_SEND) {
            c->state = CONN_WORK;
            if (srv->mgr_ready(srv, c) != 0) /* the pool's queue */
                ward_conn_free(c);
        } else {
            ward_conn_free(c);
        }
    }
}

/* A sweep, its time kept when it is the longest (stats.sweep_ns_max). */
static void timed_sweep(ward_server *srv)
{
    struct timespec t0, t1;
    uint64_t ns;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    sweep(srv, (int64_t)t0.tv_sec * 1000 + t0.tv_nsec / 1000000);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ns = (uint64_t)((t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec));
    if (ns > atomic_load_explicit(&srv->sweep_ns_max, memory_order_relaxed))
        atomic_store_explicit(&srv->sweep_ns_max, ns, memory_order_relaxed); /* the one writer */
}

void *ward_manager_main(void *arg)
{
    ward_server *srv = arg;

    ward_thread_mark(srv);

    pthread_mutex_lock(&srv->mlock);
    while (!atomic_load(&srv->mclosed)) {
        struct timespec until;

        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_nsec += TICK_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&srv->mcond, &srv->mlock, &until);
        if (atomic_load(&srv->mclosed))
            break;
        pthread_mutex_unlock(&srv->mlock);
        timed_sweep(srv);
        if (srv->mgr_tick != NULL)
            srv->mgr_tick(srv);
        pthread_mutex_lock(&srv->mlock);
    }
    pthread_mutex_unlock(&srv->mlock);
    ward_manager_close_all(srv);
    return NULL;
}

/* Sweep now (stop has begun: idle connections go at once). */
void ward_manager_wake(ward_server *srv)
{
    pthread_mutex_lock(&srv->mlock);
    pthread_cond_signal(&srv->mcond);
    pthread_mutex_unlock(&srv->mlock);
}

/* Close everything held (the manager has stopped, or never ran). */
void ward_manager_close_all(ward_server *srv)
{
    atomic_store(&srv->mclosed, 1); /* before the stripes: no hold gets in after */
    for (unsigned i = 0; i < NSTRIPE; i++) {
        struct stripe *s = &srv->stripes[i];
        ward_conn *c;

        pthread_mutex_lock(&s->mu);
        for (unsigned k = 0; k < WHEEL; k++) {
            while ((c = s->wheel[k]) != NULL) {
                list_del(srv, c);
                pthread_mutex_unlock(&s->mu);
                ward_conn_free(c);
                pthread_mutex_lock(&s->mu);
            }
        }
        pthread_mutex_unlock(&s->mu);
    }
}
