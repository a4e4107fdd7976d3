/* SPDX-License-Identifier: MIT */
/* ward_base.c - the bottom layer of server/: clocks, the error log, locks,
 * and which server a thread belongs to. It calls nothing of server/. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
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

void ward_mutex_init(pthread_mutex_t *m)
{
    pthread_mutexattr_t a;

    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ADAPTIVE_NP);
    pthread_mutex_init(m, &a);
    pthread_mutexattr_destroy(&a);
}

/* The server whose thread (worker, listener, manager) this is, if any. */
static _Thread_local const ward_server *thread_of;

void ward_thread_mark(const ward_server *srv)
{
    thread_of = srv;
}

const ward_server *ward_thread_of(void)
{
    return thread_of;
}
