/* ward_pool.c - the worker pool: a bounded queue of ready connections and
 * min..max threads that grow when work waits and shrink when idle. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "ward_server_int.h"

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
    if (srv->queue == NULL || srv->slots == NULL)
        return -1;
    pthread_mutex_init(&srv->plock, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&srv->pcond, &ca);
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
    pthread_mutex_destroy(&srv->plock);
    pthread_cond_destroy(&srv->pcond);
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

/* Under plock: one request at a time from the queue, until told to stop
 * (after the queue is empty) or idle too long above min_threads. */
static void *worker_main(void *arg)
{
    worker_arg *wa = arg;
    ward_server *srv = wa->srv;
    worker_slot *slot = &srv->slots[wa->idx];
    unsigned idx = wa->idx;

    free(wa);
    pthread_mutex_lock(&srv->plock);
    for (;;) {
        ward_conn *c;
        uint64_t t0;
        int next;

        while (srv->qlen == 0 && !atomic_load(&srv->stopping)) {
            struct timespec until = abs_ms(srv->cfg.thread_idle_ms);
            int rc;
            srv->nidle_threads++;
            rc = pthread_cond_timedwait(&srv->pcond, &srv->plock, &until);
            srv->nidle_threads--;
            if (rc == ETIMEDOUT && srv->qlen == 0 && srv->nthreads > srv->cfg.min_threads)
                goto out;
        }
        if (srv->qlen == 0)
            goto out; /* stopping, and nothing left */
        c = srv->queue[srv->qhead];
        srv->qhead = (srv->qhead + 1) % srv->qcap;
        srv->qlen--;
        slot->cur = c;
        srv->nbusy++;
        pthread_mutex_unlock(&srv->plock);

        t0 = ward_now_ns();
        c->slot = idx;
        next = ward_conn_serve(c);
        atomic_fetch_add_explicit(&slot->work_ns, ward_now_ns() - t0, memory_order_relaxed);

        pthread_mutex_lock(&srv->plock);
        slot->cur = NULL; /* before c leaves: stop's shutdown only sees owned ones */
        srv->nbusy--;
        pthread_mutex_unlock(&srv->plock);
        ward_conn_next(c, next);
        pthread_mutex_lock(&srv->plock);
    }
out:
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

int ward_pool_start(ward_server *srv)
{
    int rc = 0;

    pthread_mutex_lock(&srv->plock);
    for (unsigned i = 0; i < srv->cfg.min_threads && rc == 0; i++)
        rc = spawn(srv);
    pthread_mutex_unlock(&srv->plock);
    return rc;
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
    if (srv->qlen > srv->nidle_threads && srv->nthreads < srv->cfg.max_threads &&
        !atomic_load(&srv->stopping))
        (void)spawn(srv); /* no thread now: the queued work waits for one */
    pthread_cond_signal(&srv->pcond);
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
    ward_conn_close(c, 1);
}

/* Let the workers finish what they have and what is queued, until the
 * deadline; then shut down the connections still being served so that
 * their workers return; join every thread. */
void ward_pool_stop(ward_server *srv, int64_t deadline)
{
    pthread_mutex_lock(&srv->plock);
    pthread_cond_broadcast(&srv->pcond);
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
        for (unsigned i = 0; i < srv->cfg.max_threads; i++)
            if (srv->slots[i].cur != NULL)
                shutdown(srv->slots[i].cur->fd, SHUT_RDWR);
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
