/* SPDX-License-Identifier: MIT */
/* slowpeers.c - the attackers and idle clients of the attack and memory
 * benchmarks (server/bench_attack.sh, server/bench_idle.sh): one process,
 * one epoll loop, any mix of
 *
 *   --senders N  POST --size BYTES (1048576) to --post-path (/) with that
 *                Content-Length, the body trickled at --rate B/S (1) each
 *   --readers N  GET --path (/) with SO_RCVBUF --rcvbuf BYTES (4096), set
 *                before connect, and never read a byte
 *   --idle N     GET --get-path (/), read the whole answer, then hold the
 *                keep-alive connection idle
 *   --active N   send a head that never ends ("GET --get-path HTTP/1.1",
 *                Host, no empty line) and hold the connection
 *
 * against 127.0.0.1:--port (or --host). A sender or reader the server
 * closes is opened again (the attack goes on); an idle or active one is
 * not (it is counted). Once every connection is in place (senders and
 * readers: head sent; idle: answer read; active: head sent) it prints
 * "ready" on stdout; it runs until SIGTERM/SIGINT or --seconds, then
 * prints one summary line on stderr: per group, connections open now,
 * closed by the server, and the status codes the server answered with.
 * At most 64 connects are in flight at once, so that a listen backlog of
 * 128 is never overrun. */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

enum { SENDER, READER, IDLE, ACTIVE, NKINDS };
enum { CONNECTING, HEAD, BODY, HELD, QUEUED };

static const char *const kind_name[NKINDS] = {"senders", "readers", "idle", "active"};

typedef struct {
    int fd;
    int kind;
    int state;
    int ready; /* reached its place once */
    size_t head_off;
    size_t body_sent;
    double body_t0; /* when the trickle started */
    char in[1024];  /* the answer's first bytes (idle: until it is whole) */
    size_t in_len;
    size_t got;     /* bytes of answer in all */
    size_t in_need; /* idle: head + Content-Length, once known */
    int noted;      /* the first answer's status counted */
} peer;

typedef struct {
    char *head[NKINDS];
    size_t head_len[NKINDS];
    size_t size;
    double rate;
    int rcvbuf;
    struct sockaddr_in addr;
    int ep;
    int connecting;
    int want[NKINDS], open[NKINDS], closed[NKINDS], ready[NKINDS];
    unsigned long status[NKINDS][6]; /* answers by class: 1xx..5xx, [0] other */
} world;

#define MAX_CONNECTING 64

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
    fprintf(stderr, "slowpeers: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void watch(world *w, peer *p, int op, unsigned events)
{
    struct epoll_event ev = {.events = events, .data.ptr = p};
    if (epoll_ctl(w->ep, op, p->fd, &ev) != 0)
        die("epoll_ctl");
}

/* Starts a connect for p (state CONNECTING), or queues it when 64 are in
 * flight. */
static void start(world *w, peer *p)
{
    memset(p->in, 0, sizeof p->in);
    p->head_off = p->body_sent = p->in_len = p->got = p->in_need = 0;
    p->noted = 0;
    if (w->connecting >= MAX_CONNECTING) {
        p->fd = -1;
        p->state = QUEUED;
        return;
    }
    p->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (p->fd < 0)
        die("socket");
    if (p->kind == READER && setsockopt(p->fd, SOL_SOCKET, SO_RCVBUF, &w->rcvbuf, sizeof w->rcvbuf) != 0)
        die("SO_RCVBUF");
    if (connect(p->fd, (struct sockaddr *)&w->addr, sizeof w->addr) != 0 && errno != EINPROGRESS)
        die("connect");
    p->state = CONNECTING;
    w->connecting++;
    watch(w, p, EPOLL_CTL_ADD, EPOLLOUT);
}

/* The server closed p (or the connect failed): count it; senders and
 * readers start again. */
static void lost(world *w, peer *p)
{
    if (p->state == CONNECTING)
        w->connecting--;
    else
        w->open[p->kind]--;
    w->closed[p->kind]++;
    close(p->fd);
    p->fd = -1;
    if (p->kind == SENDER || p->kind == READER)
        start(w, p);
    else
        p->state = HELD;
}

static void placed(world *w, peer *p)
{
    if (!p->ready) {
        p->ready = 1;
        w->ready[p->kind]++;
    }
}

/* The answer's status class from its first bytes ("HTTP/1.1 408"). */
static void note_status(world *w, peer *p)
{
    int c = 0;
    if (p->in_len >= 10 && memcmp(p->in, "HTTP/1.", 7) == 0 && p->in[9] >= '1' && p->in[9] <= '5')
        c = p->in[9] - '0';
    w->status[p->kind][c]++;
}

/* Reads what the server sent p; returns 0 when p was closed. An idle peer
 * takes its place once the whole answer is in. */
static int take(world *w, peer *p)
{
    char buf[16384];
    for (;;) {
        ssize_t n = recv(p->fd, buf, sizeof buf, 0);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
            lost(w, p);
            return 0;
        }
        if (n < 0)
            return 1;
        size_t room = sizeof p->in - 1 - p->in_len, k = (size_t)n < room ? (size_t)n : room;
        memcpy(p->in + p->in_len, buf, k);
        p->in_len += k;
        p->got += (size_t)n;
        if (!p->noted && p->in_len >= 10) {
            p->noted = 1;
            note_status(w, p);
        }
        if (p->kind != IDLE || p->ready)
            continue;
        char *end = strstr(p->in, "\r\n\r\n");
        if (p->in_need == 0 && end != NULL) {
            char *cl = strcasestr(p->in, "\r\ncontent-length:");
            p->in_need = (size_t)(end + 4 - p->in);
            if (cl != NULL && cl < end)
                p->in_need += strtoul(cl + 17, NULL, 10);
        }
        if (p->in_need != 0 && p->got >= p->in_need)
            placed(w, p);
    }
}

/* Sends what is left of p's head; on the last byte p takes its place. */
static void send_head(world *w, peer *p)
{
    while (p->head_off < w->head_len[p->kind]) {
        ssize_t n = send(p->fd, w->head[p->kind] + p->head_off, w->head_len[p->kind] - p->head_off, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN)
                return;
            lost(w, p);
            return;
        }
        p->head_off += (size_t)n;
    }
    switch (p->kind) {
    case SENDER:
        p->state = BODY;
        p->body_t0 = now();
        placed(w, p);
        watch(w, p, EPOLL_CTL_MOD, EPOLLIN | EPOLLRDHUP);
        break;
    case READER: /* never reads: only a reset or a FIN wakes it */
        p->state = HELD;
        placed(w, p);
        watch(w, p, EPOLL_CTL_MOD, EPOLLRDHUP);
        break;
    case IDLE:
        p->state = HEAD; /* waiting for the answer */
        watch(w, p, EPOLL_CTL_MOD, EPOLLIN | EPOLLRDHUP);
        break;
    default:
        p->state = HELD;
        placed(w, p);
        watch(w, p, EPOLL_CTL_MOD, EPOLLIN | EPOLLRDHUP);
        break;
    }
}

/* Every tick: each sender sends what its rate allows so far. */
static void trickle(world *w, peer *peers, int n, double t)
{
    static char body[4096];
    if (body[0] == 0)
        memset(body, 'a', sizeof body);
    for (int i = 0; i < n; i++) {
        peer *p = &peers[i];
        if (p->kind != SENDER || p->state != BODY || p->body_sent >= w->size)
            continue;
        double due = (t - p->body_t0) * w->rate;
        size_t want = due >= (double)w->size ? w->size : (size_t)due;
        while (p->body_sent < want) {
            size_t k = want - p->body_sent < sizeof body ? want - p->body_sent : sizeof body;
            ssize_t s = send(p->fd, body, k, MSG_NOSIGNAL);
            if (s <= 0) {
                if (s < 0 && errno == EAGAIN)
                    break;
                lost(w, p);
                break;
            }
            p->body_sent += (size_t)s;
        }
    }
}

static void event(world *w, peer *p, unsigned ev)
{
    if (p->fd < 0)
        return;
    if (p->state == CONNECTING) {
        int err = 0;
        socklen_t len = sizeof err;
        if ((ev & (EPOLLERR | EPOLLHUP)) || getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
            lost(w, p);
            return;
        }
        w->connecting--;
        w->open[p->kind]++;
        p->state = HEAD;
        send_head(w, p);
        return;
    }
    if (p->kind == READER) { /* reset or FIN: the server let it go */
        lost(w, p);
        return;
    }
    if (p->head_off < w->head_len[p->kind]) {
        if (ev & (EPOLLERR | EPOLLHUP))
            lost(w, p);
        else
            send_head(w, p);
        return;
    }
    if (ev & (EPOLLIN | EPOLLRDHUP | EPOLLERR | EPOLLHUP))
        take(w, p);
}

static char *fmt_head(const char *fmt, const char *path, size_t size, size_t *len)
{
    char *s;
    int n = asprintf(&s, fmt, path, size);
    if (n < 0)
        die("asprintf");
    *len = (size_t)n;
    return s;
}

static void usage(void)
{
    fputs("usage: slowpeers --port P [--host A] [--senders N] [--rate B/S] [--size BYTES]\n"
          "                 [--post-path P] [--readers N] [--path P] [--rcvbuf BYTES]\n"
          "                 [--idle N] [--active N] [--get-path P] [--seconds S]\n",
          stderr);
    exit(2);
}

int main(int argc, char **argv)
{
    world w = {.size = 1048576, .rate = 1, .rcvbuf = 4096};
    const char *host = "127.0.0.1", *post_path = "/", *path = "/", *get_path = "/";
    int port = 0;
    double seconds = 0;

    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (v == NULL)
            usage();
        i++;
        if (strcmp(o, "--port") == 0) port = atoi(v);
        else if (strcmp(o, "--host") == 0) host = v;
        else if (strcmp(o, "--senders") == 0) w.want[SENDER] = atoi(v);
        else if (strcmp(o, "--rate") == 0) w.rate = atof(v);
        else if (strcmp(o, "--size") == 0) w.size = strtoul(v, NULL, 10);
        else if (strcmp(o, "--post-path") == 0) post_path = v;
        else if (strcmp(o, "--readers") == 0) w.want[READER] = atoi(v);
        else if (strcmp(o, "--path") == 0) path = v;
        else if (strcmp(o, "--rcvbuf") == 0) w.rcvbuf = atoi(v);
        else if (strcmp(o, "--idle") == 0) w.want[IDLE] = atoi(v);
        else if (strcmp(o, "--active") == 0) w.want[ACTIVE] = atoi(v);
        else if (strcmp(o, "--get-path") == 0) get_path = v;
        else if (strcmp(o, "--seconds") == 0) seconds = atof(v);
        else usage();
    }
    if (port <= 0 || port > 65535)
        usage();
    w.addr.sin_family = AF_INET;
    w.addr.sin_port = htons((unsigned short)port);
    if (inet_pton(AF_INET, host, &w.addr.sin_addr) != 1)
        usage();

    w.head[SENDER] = fmt_head("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                              "Content-Length: %zu\r\n\r\n",
                              post_path, w.size, &w.head_len[SENDER]);
    w.head[READER] = fmt_head("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", path, 0, &w.head_len[READER]);
    w.head[IDLE] = fmt_head("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", get_path, 0, &w.head_len[IDLE]);
    w.head[ACTIVE] = fmt_head("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n", get_path, 0, &w.head_len[ACTIVE]);

    int total = 0;
    for (int k = 0; k < NKINDS; k++)
        total += w.want[k];
    peer *peers = calloc((size_t)(total ? total : 1), sizeof *peers);
    if (peers == NULL)
        die("calloc");

    w.ep = epoll_create1(EPOLL_CLOEXEC);
    if (w.ep < 0)
        die("epoll_create1");
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigprocmask(SIG_BLOCK, &set, NULL);
    int sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    if (sfd < 0 || tfd < 0)
        die("signalfd/timerfd");
    struct itimerspec tick = {.it_interval = {0, 100000000}, .it_value = {0, 100000000}};
    timerfd_settime(tfd, 0, &tick, NULL);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &sfd};
    epoll_ctl(w.ep, EPOLL_CTL_ADD, sfd, &ev);
    ev.data.ptr = &tfd;
    epoll_ctl(w.ep, EPOLL_CTL_ADD, tfd, &ev);

    int i = 0;
    for (int k = 0; k < NKINDS; k++)
        for (int j = 0; j < w.want[k]; j++, i++) {
            peers[i].kind = k;
            start(&w, &peers[i]);
        }

    double t0 = now();
    int said_ready = 0, stop = 0;
    struct epoll_event evs[256];
    while (!stop) {
        int n = epoll_wait(w.ep, evs, 256, -1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            die("epoll_wait");
        for (int e = 0; e < n; e++) {
            if (evs[e].data.ptr == &sfd) {
                stop = 1;
            } else if (evs[e].data.ptr == &tfd) {
                unsigned long long ticks;
                if (read(tfd, &ticks, sizeof ticks) < 0 && errno != EAGAIN)
                    die("timerfd");
                double t = now();
                trickle(&w, peers, total, t);
                if (seconds > 0 && t - t0 >= seconds)
                    stop = 1;
            } else {
                event(&w, evs[e].data.ptr, evs[e].events);
            }
        }
        /* queued connects start as others finish */
        for (int j = 0; j < total && w.connecting < MAX_CONNECTING; j++)
            if (peers[j].state == QUEUED)
                start(&w, &peers[j]);
        if (!said_ready) {
            int all = 1;
            for (int k = 0; k < NKINDS; k++)
                all &= w.ready[k] >= w.want[k];
            if (all) {
                said_ready = 1;
                printf("ready %.2f s\n", now() - t0);
                fflush(stdout);
            }
        }
    }

    fprintf(stderr, "slowpeers:");
    for (int k = 0; k < NKINDS; k++) {
        if (w.want[k] == 0)
            continue;
        fprintf(stderr, " %s %d open, %d closed by the server", kind_name[k], w.open[k], w.closed[k]);
        for (int c = 1; c <= 5; c++)
            if (w.status[k][c])
                fprintf(stderr, ", %lu %dxx", w.status[k][c], c);
        fprintf(stderr, ";");
    }
    fprintf(stderr, "\n");
    return 0;
}
