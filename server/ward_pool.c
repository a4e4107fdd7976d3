/* SPDX-License-Identifier: MIT */
/* ward_pool.c - the worker pool: a bounded queue of ready connections and
 * min..max threads that grow when work waits and shrink when idle. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <time.h>

#include "ward_server_int.h"

#define GROW_MS 100 /* the pool grows by one worker at most this often */

static int spawn(ward_server *srv);
static void grow(ward_server *srv);

typedef struct worker_arg {
    ward_server *srv;
    unsigned idx;
} worker_arg;

int ward_pool_init(ward_server *srv)
{
    pthread_condattr_t ca;

    srv->qcap = srv->cfg.queue_size;
    srv->queue = calloc(srv->qcap, sizeof *srv->queue);
    srv->slots = calloc(srv->cfg.max_threads, sizeof *srv->slots);
    if (srv->queue == NULL || srv->slots == NULL) {
        free(srv->queue); /* the caller does not call ward_pool_fini() then */
        free(srv->slots);
        srv->queue = NULL;
        srv->slots = NULL;
        return -1;
    }
    for (unsigned i = 0; i < srv->cfg.max_threads; i++)
        ward_mutex_init(&srv->slots[i].mu);
    ward_mutex_init(&srv->plock);
    srv->mgr_ready = ward_pool_put; /* the manager's sweep hands parked sends here */
    srv->mgr_tick = ward_pool_tick;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&srv->pdone, &ca);
    pthread_condattr_destroy(&ca);
    return 0;
}

void ward_pool_fini(ward_server *srv)
{
    if (srv->queue == NULL || srv->slots == NULL) {
        free(srv->queue);
        free(srv->slots);
        return;
    }
    for (unsigned i = 0; i < srv->cfg.max_threads; i++)
        pthread_mutex_destroy(&srv->slots[i].mu);
    pthread_mutex_destroy(&srv->plock);
    pthread_cond_destroy(&srv->pdone);
    free(srv->queue);
    free(srv->slots);
}

static struct timespec abs_ms(int64_t ms_from_now)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += ms_from_now / 1000;
    ts.tv_nsec += (long)(ms_from_now % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

/* Under plock: the queue's next connection, resetting the bell when the
 * queue empties (never while stopping: the bell then wakes every worker). */
static ward_conn *pop(ward_server *srv)
{
    ward_conn *c = srv->queue[srv->qhead];
    uint64_t v;

    srv->qhead = (srv->qhead + 1) % srv->qcap;
    srv->qlen--;
    if (srv->qlen == 0 && !atomic_load(&srv->stopping) && read(srv->mgr_efd, &v, sizeof v) < 0)
        (void)0; /* already reset */
    return c;
}

/* Wait for work: a readable connection of the epoll set (claimed here),
 * the bell (the queue has work), or the idle timeout. Returns a
 * connection to serve, or NULL (look at the queue again); *idle_out is
 * set when the wait timed out. No lock is held. */
static ward_conn *wait_work(ward_server *srv, int *idle_out)
{
    struct epoll_event ev;
    ward_conn *c;
    int n, state = CONN_WORK;

    atomic_fetch_add(&srv->nidle_threads, 1);
    n = epoll_wait(srv->epfd, &ev, 1, (int)srv->cfg.thread_idle_ms);
    atomic_fetch_sub(&srv->nidle_threads, 1);
    *idle_out = n == 0;
    c = n == 1 && ev.data.u64 != WARD_BELL ? ward_manager_claim(srv, ev.data.u64, &state) : NULL;
    if (c != NULL && state == CONN_LINGER) {
        ward_manager_linger_event(srv, c);
        c = NULL;
    } else if (c != NULL && atomic_load(&srv->stopping) && state != CONN_SEND) {
        ward_conn_free(c);
        c = NULL;
    }
    return c;
}

/* The next connection to serve, or NULL when this worker should exit
 * (stopping with the queue empty, or idle too long above min_threads: then
 * *left is set, the worker already uncounted from nthreads). */
static ward_conn *next_work(ward_server *srv, worker_slot *slot, int *left)
{
    for (;;) {
        ward_conn *c = NULL;
        int idle, leave;

        if (atomic_load(&srv->qlen) > 0) {
            pthread_mutex_lock(&srv->plock);
            if (srv->qlen > 0)
                c = pop(srv);
            pthread_mutex_unlock(&srv->plock);
            if (c != NULL)
                return c;
        }
        if (atomic_load(&srv->stopping)) {
            if (atomic_load(&srv->nsend) == 0)
                return NULL;
            /* parked sends are still listed: the sweep (woken when the
             * stop began) queues them for the workers; wait for it
             * here, not in epoll_wait(), where the rung bell would spin */
            (void)poll(NULL, 0, 1);
            continue;
        }
        c = wait_work(srv, &idle);
        if (c != NULL)
            return c;
        if (!idle)
            continue;
        pthread_mutex_lock(&srv->plock);
        leave = srv->qlen == 0 && srv->nthreads > srv->cfg.min_threads;
        if (leave) { /* decided under the lock: two idle workers cannot both leave past min */
            srv->nthreads--;
            slot->state = 2;
            pthread_cond_broadcast(&srv->pdone);
        }
        pthread_mutex_unlock(&srv->plock);
        if (leave) {
            *left = 1;
            return NULL;
        }
    }
}

/* Carry out what ward_exchange_step() decided. 0: the worker no longer
 * owns c; 1: it still does (c's next request is read and the queue is
 * full). */
static int what_next(ward_conn *c, int next)
{
    ward_server *srv = c->srv;
    int state;
    int64_t deadline;

    c->slot = UINT32_MAX;
    switch (next) {
    case WARD_NEXT_IDLE:
    case WARD_NEXT_HEAD:
    case WARD_NEXT_BODY:
    case WARD_NEXT_SEND:
        deadline = ward_exchange_wait(c, next, &state);
        if (ward_manager_hold(srv, c, state, deadline) != 0)
            ward_conn_free(c);
        return 0;
    case WARD_NEXT_REQUEUE:
        if (ward_pool_put(srv, c) == 0)
            return 0;
        if (!atomic_load(&srv->stopping))
            return 1; /* the queue is full: the worker goes on with c, rather than answer
                         a request that is already read with 503 */
        ward_reject(srv, c);
        return 0;
    case WARD_NEXT_LINGER:
        ward_manager_close(c, 1);
        return 0;
    case WARD_NEXT_CLOSE:
    default:
        ward_conn_free(c);
        return 0;
    }
}

/* One request per dispatch: queued work first, else whatever the epoll
 * set has ready. */
static void *worker_main(void *arg)
{
    worker_arg *wa = arg;
    ward_server *srv = wa->srv;
    worker_slot *slot = &srv->slots[wa->idx];
    unsigned idx = wa->idx;
    int left = 0;
    ward_conn *c;
    sigset_t pipe;

    free(wa);
    ward_thread_mark(srv);
    /* SIGPIPE blocked (a worker spawned by ward_server_adopt() does not
     * inherit it): sendfile(2) has no MSG_NOSIGNAL; ward_io.c takes a
     * pending one off the thread */
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, NULL);
    c = next_work(srv, slot, &left);
    while (c != NULL) {
        uint64_t t0;
        int next;

        /* grow when this takes the last idle worker away */
        if (atomic_load(&srv->nidle_threads) == 0 && !atomic_load(&srv->stopping)) {
            pthread_mutex_lock(&srv->plock);
            grow(srv);
            pthread_mutex_unlock(&srv->plock);
        }
        pthread_mutex_lock(&slot->mu);
        slot->cur = c;
        pthread_mutex_unlock(&slot->mu);

        t0 = ward_now_ns();
        c->slot = idx;
        next = ward_exchange_step(c);
        atomic_fetch_add_explicit(&slot->work_ns, ward_now_ns() - t0, memory_order_relaxed);

        pthread_mutex_lock(&slot->mu);
        slot->cur = NULL; /* before c leaves: stop's shutdown only sees owned ones */
        pthread_mutex_unlock(&slot->mu);
        if (what_next(c, next) == 0)
            c = next_work(srv, slot, &left);
        /* else c's next request, already read, found the queue full: it is served here */
    }
    if (left)
        return NULL; /* already uncounted and marked for joining */
    pthread_mutex_lock(&srv->plock);
    srv->nthreads--;
    slot->state = 2;
    pthread_cond_broadcast(&srv->pdone);
    pthread_mutex_unlock(&srv->plock);
    return NULL;
}

/* Under plock. */
static int spawn(ward_server *srv)
{
    for (unsigned i = 0; i < srv->cfg.max_threads; i++) {
        worker_slot *s = &srv->slots[i];
        worker_arg *wa;

        if (s->state == 1)
            continue;
        if (s->state == 2) {
            pthread_join(s->thread, NULL); /* it has left its loop: returns at once */
            s->state = 0;
        }
        wa = malloc(sizeof *wa);
        if (wa == NULL)
            return -1;
        wa->srv = srv;
        wa->idx = i;
        if (pthread_create(&s->thread, NULL, worker_main, wa) != 0) {
            free(wa);
            return -1;
        }
        s->state = 1;
        srv->nthreads++;
        return 0;
    }
    return -1;
}

/* Under plock: one more worker when the work finds none idle, at most
 * one every GROW_MS (#28: 5,000 clients connecting at once are short work,
 * yet each found the workers busy and the pool went from 10 to 64 threads,
 * 4 MB of stacks and arenas; blocked handlers still get a worker a tick
 * later through ward_pool_tick()). */
static void grow(ward_server *srv)
{
    int64_t now = ward_now_ms();

    if (srv->nidle_threads == 0 && srv->nthreads < srv->cfg.max_threads &&
        !atomic_load(&srv->stopping) && now - srv->grown_ms >= GROW_MS && spawn(srv) == 0)
        srv->grown_ms = now;
}

/* The manager's tick: work still waits with no worker idle (every worker
 * is in a handler): grow. */
void ward_pool_tick(ward_server *srv)
{
    if (atomic_load(&srv->nidle_threads) != 0)
        return;
    pthread_mutex_lock(&srv->plock);
    grow(srv);
    pthread_mutex_unlock(&srv->plock);
}

int ward_pool_start(ward_server *srv)
{
    int rc = 0;

    pthread_mutex_lock(&srv->plock);
    for (unsigned i = 0; i < srv->cfg.min_threads && rc == 0; i++)
        rc = spawn(srv);
    pthread_mutex_unlock(&srv->plock);
    return rc;
}

/* Wake a worker waiting in epoll_wait(): the queue has work. */
static void ring(ward_server *srv)
{
    uint64_t one = 1;

    if (write(srv->mgr_efd, &one, sizeof one) < 0)
        (void)0; /* the counter is already non-zero: it rings anyway */
}

/* Queue c for a worker; grow the pool when the work outnumbers the idle
 * workers. -1 when the queue is full: the caller still owns c. */
int ward_pool_put(ward_server *srv, ward_conn *c)
{
    pthread_mutex_lock(&srv->plock);
    if (srv->qlen == srv->qcap || srv->nthreads == 0) {
        pthread_mutex_unlock(&srv->plock);
        return -1;
    }
    c->state = CONN_WORK;
    srv->queue[(srv->qhead + srv->qlen) % srv->qcap] = c;
    srv->qlen++;
    if (srv->qlen == 1)
        ring(srv);
    /* grow only when the work finds nobody idle: a sleeping worker already
     * signalled would otherwise be counted twice, and extra threads on few
     * cores only contend */
    grow(srv); /* no thread now: the queued work waits for one */
    pthread_mutex_unlock(&srv->plock);
    return 0;
}

/* The queue is full (or the server at max_conns): 503 and close, with a
 * lingering close so that the client reads it. Never blocks. */
void ward_reject(ward_server *srv, ward_conn *c)
{
    atomic_fetch_add_explicit(&srv->rejected, 1, memory_order_relaxed);
    ward_conn_error_nb(c, 503, "server busy, retry later");
    c->slot = UINT32_MAX;
    ward_manager_close(c, 1);
}

/* Let the workers finish what they have and what is queued, until the
 * deadline; then shut down the connections still being served so that
 * their workers return; join every thread. */
void ward_pool_stop(ward_server *srv, int64_t deadline)
{
    pthread_mutex_lock(&srv->plock);
    ring(srv); /* stays rung (level-triggered): every waiting worker wakes and leaves */
    while (srv->nthreads > 0) {
        int64_t left = deadline - ward_now_ms();
        struct timespec until;
        if (left <= 0)
            break;
        until = abs_ms(left);
        pthread_cond_timedwait(&srv->pdone, &srv->plock, &until);
    }
    if (srv->nthreads > 0) {
        ward_log(srv, WARD_LOG_WARN, "stop: %u worker(s) busy after the shutdown timeout",
                 srv->nthreads);
        for (unsigned i = 0; i < srv->cfg.max_threads; i++) {
            pthread_mutex_lock(&srv->slots[i].mu);
            if (srv->slots[i].cur != NULL)
                shutdown(srv->slots[i].cur->fd, SHUT_RDWR);
            pthread_mutex_unlock(&srv->slots[i].mu);
        }
    }
    while (srv->nthreads > 0)
        pthread_cond_wait(&srv->pdone, &srv->plock);
    for (unsigned i = 0; i < srv->cfg.max_threads; i++) {
        if (srv->slots[i].state == 2) {
            pthread_join(srv->slots[i].thread, NULL);
            srv->slots[i].state = 0;
        }
    }
    /* what is still queued (the queue outlived every worker): close it */
    while (srv->qlen > 0) {
        ward_conn *c = srv->queue[srv->qhead];
        srv->qhead = (srv->qhead + 1) % srv->qcap;
        srv->qlen--;
        ward_conn_free(c);
    }
    pthread_mutex_unlock(&srv->plock);
}
