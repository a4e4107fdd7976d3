/* SPDX-License-Identifier: MIT */
/* ward_server.c - configuration, lifecycle (create, start, graceful stop,
 * free), the bound address, stats. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ward_server_int.h"

#define DEFAULT_SERVER_NAME "ward/" WARD_VERSION

void ward_server_config_init(ward_server_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->bind = "127.0.0.1:8080";
    cfg->min_threads = 10;
    cfg->max_threads = 64;
    cfg->thread_idle_ms = 10000;
    cfg->queue_size = 256;
    cfg->retry_after_s = 1;
    cfg->backlog = 128;
    cfg->max_conns = 100000;
    cfg->read_timeout_ms = 10000;
    cfg->head_timeout_ms = 10000;
    cfg->tls_handshake_timeout_ms = 10000;
    cfg->body_timeout_ms = 30000;
    cfg->body_progress = 16384;
    cfg->keepalive_timeout_ms = 10000;
    cfg->keepalive_max = 100000;
    cfg->max_requests = 1000;
    cfg->linger_ms = 2000;
    cfg->shutdown_timeout_ms = 5000;
    cfg->max_request_line = WARD_DEFAULT_MAX_REQUEST_LINE;
    cfg->max_field_line = WARD_DEFAULT_MAX_FIELD_LINE;
    cfg->max_fields = WARD_DEFAULT_MAX_FIELDS;
    cfg->max_head = WARD_DEFAULT_MAX_HEAD;
    cfg->max_body = WARD_DEFAULT_MAX_BODY;
    cfg->max_drain = 65536;
    cfg->body_min_rate = 240;
    cfg->body_rate_grace_ms = 5000;
    cfg->body_buffer = 65536;
    cfg->body_temp_dir = "/tmp";
    cfg->send_min_rate = 240;
    cfg->send_rate_grace_ms = 5000;
    cfg->resp_buffer = 262144;
    cfg->server_name = DEFAULT_SERVER_NAME;
}

#define DEF(field)                                                                                 \
    do {                                                                                           \
        if (c->field == 0)                                                                         \
            c->field = d.field;                                                                    \
    } while (0)

/* Zero means the default; limits are clamped to what the parser takes. */
static void normalise(ward_server_config *c)
{
    ward_server_config d;

    ward_server_config_init(&d);
    if (c->bind == NULL)
        c->bind = d.bind;
    DEF(min_threads); DEF(max_threads); DEF(thread_idle_ms); DEF(queue_size);
    DEF(retry_after_s); DEF(backlog); DEF(max_conns); DEF(read_timeout_ms);
    DEF(head_timeout_ms); DEF(tls_handshake_timeout_ms); DEF(body_timeout_ms); DEF(body_progress);
    DEF(keepalive_timeout_ms); DEF(keepalive_max); DEF(max_requests); DEF(linger_ms);
    DEF(shutdown_timeout_ms); DEF(max_request_line); DEF(max_field_line); DEF(max_fields);
    DEF(max_head); DEF(max_body); DEF(max_drain); DEF(body_min_rate); DEF(body_rate_grace_ms);
    DEF(body_buffer); DEF(send_min_rate); DEF(send_rate_grace_ms); DEF(resp_buffer);
    if (c->server_name == NULL)
        c->server_name = d.server_name;
    if (c->body_temp_dir == NULL || c->body_temp_dir[0] == '\0')
        c->body_temp_dir = d.body_temp_dir;
    if (c->max_threads < c->min_threads)
        c->max_threads = c->min_threads;
    if (c->max_fields > WARD_SERVER_MAX_FIELDS)
        c->max_fields = WARD_SERVER_MAX_FIELDS;
    if (c->max_head > WARD_LIMIT_CAP)
        c->max_head = WARD_LIMIT_CAP;
    if (c->max_body > WARD_BODY_CAP)
        c->max_body = WARD_BODY_CAP;
    if (c->body_buffer > (1u << 30))
        c->body_buffer = 1u << 30;
    /* times become poll(2)/epoll_wait(2) ints: above INT_MAX they would be
     * negative, "never time out" */
    if (c->read_timeout_ms > INT_MAX)
        c->read_timeout_ms = INT_MAX;
    if (c->thread_idle_ms > INT_MAX)
        c->thread_idle_ms = INT_MAX;
}

static int name_ok(const char *s)
{
    if (strlen(s) > WARD_SERVER_NAME_MAX) /* the server's heads keep room for it */
        return 0;
    for (; *s != '\0'; s++)
        if ((uint8_t)*s < 0x20 || *s == 0x7f)
            return 0;
    return 1;
}

/* The descriptor table of the connection manager: one slot per possible
 * descriptor (RLIMIT_NOFILE, at most 2^20; calloc'ed pages stay untouched
 * until used). */
static int alloc_table(ward_server *srv)
{
    struct rlimit rl;

    srv->nfd = 65536;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
        srv->nfd = rl.rlim_cur < (1u << 20) ? (size_t)rl.rlim_cur : (1u << 20);
    srv->byfd = calloc(srv->nfd, sizeof *srv->byfd);
    return srv->byfd == NULL ? -1 : 0;
}

/* max_conns within the descriptor limit. Each connection holds one, the
 * server some of its own (listener, epoll set, eventfds, logs) and each
 * worker one more at times (a file it sends). Past the limit accept(2)
 * fails and the client waits unanswered in the backlog; within it the
 * client gets its 503. */
static void fit_conns(ward_server *srv)
{
    size_t reserve = 32 + (size_t)srv->cfg.max_threads;
    size_t room = srv->nfd > reserve ? srv->nfd - reserve : 1;

    if (srv->cfg.max_conns <= room)
        return;
    ward_log(srv, WARD_LOG_INFO,
             "max_conns %u does not fit the descriptor limit (RLIMIT_NOFILE %zu): lowered to %zu",
             srv->cfg.max_conns, srv->nfd, room);
    srv->cfg.max_conns = (unsigned)room;
}

ward_server *ward_server_create(const ward_server_config *cfg, char *err, size_t err_cap)
{
    ward_server *srv = calloc(1, sizeof *srv);
    struct epoll_event ev;
    pthread_condattr_t ca;

    if (err != NULL && err_cap > 0)
        err[0] = '\0';
    if (srv == NULL)
        return NULL;
    srv->lfd = srv->epfd = srv->stop_efd = srv->mgr_efd = -1;
    srv->cfg = *cfg;
    normalise(&srv->cfg);
    if (srv->cfg.handler == NULL || !name_ok(srv->cfg.server_name)) {
        if (err != NULL)
            snprintf(err, err_cap, "%s",
                     srv->cfg.handler == NULL
                         ? "no handler"
                         : "bad server_name (control bytes or over 128 bytes)");
        goto fail;
    }
    srv->server_name = strdup(srv->cfg.server_name);
    srv->temp_dir = strdup(srv->cfg.body_temp_dir);
    if (srv->server_name == NULL || srv->temp_dir == NULL)
        goto fail;
    srv->cfg.body_temp_dir = srv->temp_dir;
    srv->proto_minor = srv->cfg.http10 ? 0 : 1;
    srv->popts.flags = srv->cfg.parse_flags & WARD_PARSE_FLAGS_ALL;
    srv->popts.max_request_line = srv->cfg.max_request_line;
    srv->popts.max_field_line = srv->cfg.max_field_line;
    srv->popts.max_fields = srv->cfg.max_fields;
    srv->popts.max_head = srv->cfg.max_head;
    if (alloc_table(srv) != 0)
        goto fail;
    fit_conns(srv);
    pthread_mutex_init(&srv->mlock, NULL);
    pthread_mutex_init(&srv->stop_mu, NULL);
    pthread_cond_init(&srv->stop_cv, NULL);
    pthread_mutex_init(&srv->stopper_mu, NULL);
    for (unsigned i = 0; i < NSTRIPE; i++)
        ward_mutex_init(&srv->stripes[i].mu);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&srv->mcond, &ca);
    pthread_condattr_destroy(&ca);
    if (ward_pool_init(srv) != 0)
        goto fail_mutex;
    srv->stop_efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    srv->mgr_efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    srv->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (srv->stop_efd < 0 || srv->mgr_efd < 0 || srv->epfd < 0)
        goto fail_fds;
    memset(&ev, 0, sizeof ev);
    ev.events = EPOLLIN; /* level-triggered: it rings until the queue is empty */
    ev.data.u64 = WARD_BELL;
    if (epoll_ctl(srv->epfd, EPOLL_CTL_ADD, srv->mgr_efd, &ev) != 0)
        goto fail_fds;
    if (ward_listen_open(srv, err, err_cap) != 0)
        goto fail_fds;
    return srv;

fail_fds:
    if (err != NULL && err[0] == '\0')
        snprintf(err, err_cap, "%s", strerror(errno));
    if (srv->epfd >= 0)
        close(srv->epfd);
    if (srv->stop_efd >= 0)
        close(srv->stop_efd);
    if (srv->mgr_efd >= 0)
        close(srv->mgr_efd);
    ward_pool_fini(srv);
fail_mutex:
    for (unsigned i = 0; i < NSTRIPE; i++)
        pthread_mutex_destroy(&srv->stripes[i].mu);
    pthread_cond_destroy(&srv->mcond);
    pthread_mutex_destroy(&srv->mlock);
    pthread_mutex_destroy(&srv->stop_mu);
    pthread_cond_destroy(&srv->stop_cv);
    pthread_mutex_destroy(&srv->stopper_mu);
fail:
    free(srv->byfd);
    free(srv->server_name);
    free(srv->temp_dir);
    free(srv->bind_copy);
    free(srv);
    return NULL;
}

int ward_server_start(ward_server *srv)
{
    sigset_t pipe, old;

    if (srv->started)
        return -1;
    srv->started = 1;
    srv->started_ms = ward_now_ms();
    /* the server's threads inherit SIGPIPE blocked: sendfile(2) has no
     * MSG_NOSIGNAL (ward_server.h) */
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, &old);
    if (ward_pool_start(srv) != 0)
        goto fail;
    /* the flags before the threads: whatever the threads lead to (a
     * handler's stop on another thread) comes after and sees them */
    srv->manager_up = 1;
    if (pthread_create(&srv->manager, NULL, ward_manager_main, srv) != 0) {
        srv->manager_up = 0;
        goto fail;
    }
    srv->listener_up = 1;
    if (pthread_create(&srv->listener, NULL, ward_listener_main, srv) != 0) {
        srv->listener_up = 0;
        goto fail;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return 0;

fail:
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    ward_log(srv, WARD_LOG_ERROR, "start: cannot create a thread");
    ward_server_stop(srv);
    return -1;
}

static void wake(int efd)
{
    uint64_t one = 1;

    if (efd >= 0 && write(efd, &one, sizeof one) < 0)
        (void)0; /* the counter is already non-zero: woken anyway */
}

static void close_listener(ward_server *srv)
{
    struct stat st;

    if (srv->lfd >= 0)
        close(srv->lfd);
    srv->lfd = -1;
    /* unlink only the socket this server made, not one put there since */
    if (srv->unix_path[0] != '\0' && lstat(srv->unix_path, &st) == 0 && S_ISSOCK(st.st_mode) &&
        st.st_ino == srv->unix_ino)
        unlink(srv->unix_path);
    srv->unix_path[0] = '\0';
}

/* The stop itself, on a thread that is none of the server's own. */
static void stop_now(ward_server *srv)
{
    int64_t deadline = ward_now_ms() + srv->cfg.shutdown_timeout_ms;

    atomic_store(&srv->stop_deadline, deadline); /* before stopping: whoever sees one sees both */
    atomic_store(&srv->stopping, 1);
    if (srv->manager_up)
        ward_manager_wake(srv); /* idle connections close now */
    /* 1. stop accepting */
    wake(srv->stop_efd);
    if (srv->listener_up)
        pthread_join(srv->listener, NULL);
    srv->listener_up = 0;
    close_listener(srv);
    /* 2. in-flight requests finish (idle connections close in the manager's sweep) */
    if (srv->started)
        ward_pool_stop(srv, deadline);
    /* 3. the manager closes what it still holds */
    pthread_mutex_lock(&srv->mlock);
    atomic_store(&srv->mclosed, 1);
    pthread_cond_signal(&srv->mcond);
    pthread_mutex_unlock(&srv->mlock);
    if (srv->manager_up)
        pthread_join(srv->manager, NULL);
    srv->manager_up = 0;
    ward_manager_close_all(srv);
}

/* The server whose stop this thread is running, if any. */
static _Thread_local const ward_server *stop_here;

static void *stopper_main(void *arg)
{
    ward_server_stop(arg);
    return NULL;
}

void ward_server_stop(ward_server *srv)
{
    if (srv == NULL || stop_here == srv)
        return; /* from within the stop: a log callback */
    if (ward_thread_of() == srv) {
        /* from a handler (or a log callback on one of the server's
         * threads): the stop waits for this very thread, so it runs on a
         * thread of its own; stopping is set now, so the handler's own
         * response says Connection: close */
        pthread_mutex_lock(&srv->stopper_mu);
        if (!srv->stopper_up && !atomic_load(&srv->stopping)) {
            if (pthread_create(&srv->stopper, NULL, stopper_main, srv) == 0) {
                srv->stopper_up = 1;
                atomic_store(&srv->stopping, 1);
            } else {
                ward_log(srv, WARD_LOG_ERROR, "stop: cannot create a thread for it");
            }
        }
        pthread_mutex_unlock(&srv->stopper_mu);
        return;
    }
    pthread_mutex_lock(&srv->stop_mu);
    if (!srv->stop_begun) {
        srv->stop_begun = 1;
        pthread_mutex_unlock(&srv->stop_mu); /* not held through the stop: callbacks may call in */
        stop_here = srv;
        stop_now(srv);
        stop_here = NULL;
        pthread_mutex_lock(&srv->stop_mu);
        srv->stopped = 1;
        pthread_cond_broadcast(&srv->stop_cv);
    }
    pthread_mutex_unlock(&srv->stop_mu);
    ward_server_wait(srv); /* a second caller returns when the stop is done */
}

void ward_server_wait(ward_server *srv)
{
    pthread_mutex_lock(&srv->stop_mu);
    while (!srv->stopped)
        pthread_cond_wait(&srv->stop_cv, &srv->stop_mu);
    pthread_mutex_unlock(&srv->stop_mu);
}

void ward_server_free(ward_server *srv)
{
    if (srv == NULL)
        return;
    ward_server_stop(srv);
    pthread_mutex_lock(&srv->stopper_mu); /* no worker is left to start one now */
    if (srv->stopper_up)
        pthread_join(srv->stopper, NULL);
    srv->stopper_up = 0;
    pthread_mutex_unlock(&srv->stopper_mu);
    close_listener(srv);
    close(srv->epfd);
    close(srv->stop_efd);
    close(srv->mgr_efd);
    ward_pool_fini(srv);
    for (unsigned i = 0; i < NSTRIPE; i++)
        pthread_mutex_destroy(&srv->stripes[i].mu);
    pthread_cond_destroy(&srv->mcond);
    pthread_mutex_destroy(&srv->mlock);
    pthread_mutex_destroy(&srv->stop_mu);
    pthread_cond_destroy(&srv->stop_cv);
    pthread_mutex_destroy(&srv->stopper_mu);
    free(srv->byfd);
    free(srv->server_name);
    free(srv->temp_dir);
    free(srv->bind_copy);
    free(srv);
}

int ward_server_address(const ward_server *srv, char *buf, size_t cap)
{
    char host[NI_MAXHOST], serv[NI_MAXSERV];
    const struct sockaddr_un *sun = (const struct sockaddr_un *)&srv->bound;
    int n;

    if (srv->family == AF_UNIX) {
        size_t len = srv->bound_len - offsetof(struct sockaddr_un, sun_path);
        if (len > 0 && sun->sun_path[0] == '\0')
            n = snprintf(buf, cap, "@%.*s", (int)(len - 1), sun->sun_path + 1);
        else
            n = snprintf(buf, cap, "unix:%s", sun->sun_path);
    } else {
        if (getnameinfo((const struct sockaddr *)&srv->bound, srv->bound_len, host, sizeof host,
                        serv, sizeof serv, NI_NUMERICHOST | NI_NUMERICSERV) != 0)
            return -1;
        n = snprintf(buf, cap, srv->family == AF_INET6 ? "[%s]:%s" : "%s:%s", host, serv);
    }
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

unsigned ward_server_port(const ward_server *srv)
{
    if (srv->family == AF_INET)
        return ntohs(((const struct sockaddr_in *)&srv->bound)->sin_port);
    if (srv->family == AF_INET6)
        return ntohs(((const struct sockaddr_in6 *)&srv->bound)->sin6_port);
    return 0;
}

void ward_server_stats_get(ward_server *srv, ward_server_stats *out, ward_worker_stats *workers,
                           size_t *nworkers)
{
    size_t cap = nworkers != NULL ? *nworkers : 0, n = 0;

    memset(out, 0, sizeof *out);
    out->accepts = atomic_load_explicit(&srv->accepts, memory_order_relaxed);
    out->accept_errors = atomic_load_explicit(&srv->accept_errors, memory_order_relaxed);
    out->rejected_503 = atomic_load_explicit(&srv->rejected, memory_order_relaxed);
    out->held = atomic_load_explicit(&srv->nheld, memory_order_relaxed);
    out->conns = atomic_load_explicit(&srv->conns, memory_order_relaxed);
    out->slow_bodies = atomic_load_explicit(&srv->slow_bodies, memory_order_relaxed);
    out->buffered = atomic_load_explicit(&srv->nbuffered, memory_order_relaxed);
    out->slow_readers = atomic_load_explicit(&srv->slow_readers, memory_order_relaxed);
    out->send_waits = atomic_load_explicit(&srv->send_waits, memory_order_relaxed);
    out->sweep_ns_max = atomic_load_explicit(&srv->sweep_ns_max, memory_order_relaxed);
    out->run_ns = srv->started ? (uint64_t)(ward_now_ms() - srv->started_ms) * 1000000u : 0;
    for (unsigned i = 0; i < 6; i++)
        out->status_class[i] = atomic_load_explicit(&srv->status_class[i], memory_order_relaxed);
    for (unsigned i = 0; i < WARD_STATUS_SLOTS; i++)
        out->parse_errors[i] = atomic_load_explicit(&srv->parse_errors[i], memory_order_relaxed);
    for (unsigned i = 0; i < srv->cfg.max_threads; i++) {
        worker_slot *s = &srv->slots[i];
        ward_worker_stats w;
        w.requests = atomic_load_explicit(&s->requests, memory_order_relaxed);
        w.bytes_in = atomic_load_explicit(&s->bytes_in, memory_order_relaxed);
        w.bytes_out = atomic_load_explicit(&s->bytes_out, memory_order_relaxed);
        w.work_ns = atomic_load_explicit(&s->work_ns, memory_order_relaxed);
        out->requests += w.requests;
        out->bytes_in += w.bytes_in;
        out->bytes_out += w.bytes_out;
        out->work_ns += w.work_ns;
        if (workers != NULL && n < cap)
            workers[n++] = w;
    }
    if (nworkers != NULL)
        *nworkers = n;
    pthread_mutex_lock(&srv->plock);
    out->threads = srv->nthreads;
    out->threads_idle = srv->nidle_threads;
    out->queued = srv->qlen;
    pthread_mutex_unlock(&srv->plock);
}

ward_bytes ward_req_field(const ward_req *req, const char *name)
{
    size_t n = strlen(name);

    for (size_t i = 0; i < req->nfields; i++) {
        const ward_field *f = &req->fields[i];
        if (f->name.len == n && strncasecmp((const char *)req->head + f->name.off, name, n) == 0)
            return (ward_bytes){req->head + f->value.off, f->value.len};
    }
    return (ward_bytes){NULL, 0};
}
