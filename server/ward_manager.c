/* ward_manager.c - the connection manager: one thread on epoll holding
 * idle keep-alive connections, connections whose head is still arriving,
 * and lingering closes. A readable connection goes (one-shot) to the
 * worker queue; the sweep expires what waited too long. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ward_server_int.h"

#define LINGER_MAX (1u << 20) /* bytes drained from a closing connection at most */

static void list_add(ward_server *srv, ward_conn *c)
{
    c->prev = NULL;
    c->next = srv->held;
    if (srv->held != NULL)
        srv->held->prev = c;
    srv->held = c;
    atomic_fetch_add_explicit(&srv->nheld, 1, memory_order_relaxed);
    if (c->state == CONN_IDLE)
        atomic_fetch_add_explicit(&srv->nidle, 1, memory_order_relaxed);
}

static void list_del(ward_server *srv, ward_conn *c)
{
    if (c->prev != NULL)
        c->prev->next = c->next;
    else
        srv->held = c->next;
    if (c->next != NULL)
        c->next->prev = c->prev;
    c->prev = c->next = NULL;
    atomic_fetch_sub_explicit(&srv->nheld, 1, memory_order_relaxed);
    if (c->state == CONN_IDLE)
        atomic_fetch_sub_explicit(&srv->nidle, 1, memory_order_relaxed);
    c->state = CONN_WORK;
}

static int arm(ward_server *srv, ward_conn *c)
{
    struct epoll_event ev;

    memset(&ev, 0, sizeof ev);
    ev.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;
    ev.data.ptr = c;
    if (epoll_ctl(srv->epfd, c->in_epoll ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, c->fd, &ev) != 0)
        return -1;
    c->in_epoll = 1;
    return 0;
}

/* Take c over in state until deadline. -1: refused (stopping, or epoll
 * failed); the caller still owns c. Arming happens under the lock, after
 * c is listed, so an event always finds c listed. */
int ward_manager_hold(ward_server *srv, ward_conn *c, int state, int64_t deadline)
{
    int rc = -1;

    pthread_mutex_lock(&srv->mlock);
    if (!srv->mclosed && (state == CONN_LINGER || !atomic_load(&srv->stopping))) {
        c->state = (uint8_t)state;
        c->deadline = deadline;
        list_add(srv, c);
        rc = arm(srv, c);
        if (rc != 0)
            list_del(srv, c);
    }
    pthread_mutex_unlock(&srv->mlock);
    return rc;
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

static void on_event(ward_server *srv, ward_conn *c)
{
    int state;

    pthread_mutex_lock(&srv->mlock);
    state = c->state;
    if (state == CONN_LINGER) {
        int done = linger_drain(c);
        if (done)
            list_del(srv, c);
        else if (arm(srv, c) != 0) {
            list_del(srv, c);
            done = 1;
        }
        pthread_mutex_unlock(&srv->mlock);
        if (done)
            ward_conn_free(c);
        return;
    }
    if (state == CONN_WORK) { /* not ours: cannot happen with one-shot arming */
        pthread_mutex_unlock(&srv->mlock);
        return;
    }
    list_del(srv, c);
    pthread_mutex_unlock(&srv->mlock);
    if (atomic_load(&srv->stopping))
        ward_conn_free(c);
    else if (ward_pool_put(srv, c) != 0)
        ward_reject(srv, c);
}

/* Expire what waited too long: idle keep-alive connections close
 * silently, a head that did not complete in time gets 408, a lingering
 * close ends. When stopping, every idle or arriving connection goes. */
static void sweep(ward_server *srv, int64_t now)
{
    ward_conn *expired = NULL, *c, *next;
    int stopping = atomic_load(&srv->stopping);

    pthread_mutex_lock(&srv->mlock);
    for (c = srv->held; c != NULL; c = next) {
        next = c->next;
        if (now >= c->deadline || (stopping && c->state != CONN_LINGER)) {
            int state = c->state;
            list_del(srv, c);
            c->state = (uint8_t)state; /* remembered for below; c is off the list */
            c->next = expired;
            expired = c;
        }
    }
    pthread_mutex_unlock(&srv->mlock);
    for (c = expired; c != NULL; c = next) {
        next = c->next;
        c->next = NULL;
        if (c->state == CONN_HEAD && c->in_len > 0 && !stopping) {
            c->state = CONN_WORK;
            ward_conn_error_nb(c, 408, "request head not complete in time");
            ward_conn_close(c, 1);
        } else {
            ward_conn_free(c);
        }
    }
}

void *ward_manager_main(void *arg)
{
    ward_server *srv = arg;
    struct epoll_event evs[64];
    int64_t next_sweep = ward_now_ms() + TICK_MS;

    for (;;) {
        int n = epoll_wait(srv->epfd, evs, 64, TICK_MS);
        int64_t now;
        int closed;

        for (int i = 0; i < n; i++)
            if (evs[i].data.ptr != NULL)
                on_event(srv, evs[i].data.ptr);
        pthread_mutex_lock(&srv->mlock);
        closed = srv->mclosed;
        pthread_mutex_unlock(&srv->mlock);
        if (closed)
            break;
        now = ward_now_ms();
        if (now >= next_sweep || atomic_load(&srv->stopping)) {
            sweep(srv, now);
            next_sweep = now + TICK_MS;
        }
    }
    ward_manager_close_all(srv);
    return NULL;
}

/* Close everything held (the manager has stopped, or never ran). */
void ward_manager_close_all(ward_server *srv)
{
    ward_conn *c;

    pthread_mutex_lock(&srv->mlock);
    srv->mclosed = 1;
    while ((c = srv->held) != NULL) {
        list_del(srv, c);
        pthread_mutex_unlock(&srv->mlock);
        ward_conn_free(c);
        pthread_mutex_lock(&srv->mlock);
    }
    pthread_mutex_unlock(&srv->mlock);
}
