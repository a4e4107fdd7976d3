/* SPDX-License-Identifier: MIT */
/* ward_server_int.h - the server's private declarations. */
#ifndef WARD_SERVER_INT_H
#define WARD_SERVER_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <sys/un.h>

#include "ward_server.h"

#define OUT_CAP 16384u      /* response buffer: head + small bodies in one send */
#define FIELDS_CAP 8192u    /* the application's field lines */
#define BODY_ROOM 16384u    /* input buffer room past the largest head */
#define IN_FIRST 4096u      /* the input buffer's first size; grown while a head arrives */
#define TICK_MS 50          /* the connection manager's sweep */
#define WHEEL 128           /* the sweep's timer wheel: slots of TICK_MS (6.4 s a turn) */
#define NSTRIPE 64          /* lock stripes of the connection manager */

/* Where a connection is. Owned by exactly one party at a time: the pool
 * (queued or on a worker) or the connection manager (in its list). */
enum conn_state {
    CONN_WORK = 0, /* queued or on a worker */
    CONN_IDLE,     /* manager: keep-alive, between requests */
    CONN_HEAD,     /* manager: a request head is arriving */
    CONN_LINGER,   /* manager: closing, draining what the client still sends */
    CONN_BODY,     /* manager: a request body is arriving, collected before the handler */
    CONN_SEND      /* manager: the socket could not take all of a response: its rest */
};

typedef struct ward_conn ward_conn;

/* What a worker does with a connection after ward_exchange_step(): the
 * verdict the pool carries out. */
enum conn_next {
    WARD_NEXT_CLOSE = 0, /* close now */
    WARD_NEXT_LINGER,    /* lingering close (an error answer, unread bytes) */
    WARD_NEXT_IDLE,      /* keep-alive: back to the manager */
    WARD_NEXT_HEAD,      /* a head is arriving: back to the manager, its deadline kept */
    WARD_NEXT_REQUEUE,   /* pipelined bytes buffered: back on the queue at once */
    WARD_NEXT_BODY,      /* a body is arriving: back to the manager, under the body's deadline */
    WARD_NEXT_SEND       /* a response waits for the socket: back to the manager (CONN_SEND) */
};

/* A piece of the output queue: copied bytes data[pos .. pos + len), or
 * (fd >= 0) len bytes of a file from off, on a dup() of the caller's
 * descriptor that the segment closes. */
typedef struct out_seg {
    struct out_seg *next;
    int fd;
    uint8_t staged;  /* TLS: file bytes read into data (not counted as copied) */
    off_t off;
    size_t pos, len, cap;
    uint8_t data[];
} out_seg;

#define WARD_SERVER_MAX_FIELDS 256u /* max_fields is clamped to it */
#define WARD_SERVER_NAME_MAX 128u   /* longer server_name: refused */

/* The response under construction (one per connection, reset per request). */
struct ward_resp {
    ward_conn *conn;
    const ward_req *req;
    int status;
    char reason[64];
    char *fields;            /* FIELDS_CAP bytes after out's: the app's field lines,
                                "Name: value\r\n"... */
    size_t fields_len;
    uint64_t declared;       /* Content-Length set by the app */
    uint64_t written;        /* body bytes the app wrote (HEAD: counted) */
    uint8_t has_declared;
    uint8_t has_date;
    uint8_t has_server;
    uint8_t app_close;
    uint8_t head_sent;
    uint8_t no_body;         /* HEAD, 204, 304 */
    uint8_t is_head;         /* the request is HEAD */
    uint8_t chunked;         /* the head said Transfer-Encoding: chunked */
    uint8_t close_delim;     /* the body ends with the connection */
    uint8_t failed;          /* a write failed: sticky */
    /* the request body */
    uint8_t body_kind;
    uint8_t body_done;
    uint8_t continue_sent;
    uint8_t draining;        /* ward_body_drain(): no deadline extension */
    uint64_t body_left;      /* WARD_BODY_LENGTH: bytes still to read */
    uint64_t body_read;      /* body bytes handed to the app or drained */
    ward_chunked dec;
    size_t pend_off, pend_len; /* chunk data decoded but not yet handed over */
    int64_t body_deadline;
    uint64_t body_mark;      /* body_read at the last progress */
    /* the minimum rate: body_got bytes came while the server waited
     * body_waited ms for them (since body_start) */
    int64_t body_start, body_waited;
    uint64_t body_got;
    /* a body past body_buffer: its first spill_len bytes are in the
     * connection's spill file, spill_pos of them handed over */
    uint64_t spill_len, spill_pos;
    int body_http;           /* sticky body error: the status to answer (0: none) */
    const char *body_text;
    uint8_t *out;            /* OUT_CAP bytes, then the FIELDS_CAP of fields */
    size_t out_len;
};

struct ward_conn {
    int fd;
    uint8_t state;      /* enum conn_state */
    uint8_t in_epoll;   /* registered with the manager's epoll set */
    uint8_t closing;    /* the response says Connection: close */
    uint8_t http10;     /* the current request is HTTP/1.0 */
    uint8_t collecting; /* the current request's body is being collected (CONN_BODY) */
    uint8_t want_out;   /* CONN_BODY over TLS: the read waits for the socket writable */
    uint16_t wslot;     /* the manager's wheel slot it is listed in */
    int spill_fd;       /* the body's unlinked temporary file, or -1 */
    int err;            /* sticky: once set the connection only closes */
    uint32_t gen;       /* tells this connection's epoll events from a reused fd's */
    ward_server *srv;
    ward_conn *prev, *next; /* the manager's list: its wheel slot's */
    int64_t deadline;   /* manager: when it expires (ms, monotonic) */
    int64_t head_deadline; /* the current head's deadline, 0: not started */
    uint8_t *in;        /* IN_FIRST bytes, grown up to max_head + BODY_ROOM while a head
                           arrives, more while a body is collected */
    size_t in_cap;
    size_t in_len;      /* bytes in `in` */
    size_t head_len;    /* the current request's head (body starts here) */
    size_t body_pos;    /* buffered body bytes: in[body_pos .. in_len) */
    size_t prev_len;    /* the parser's hint */
    uint32_t nreq;
    uint32_t linger_bytes;
    /* the peer (#28): its address inline when it fits (IPv4, IPv6, an
     * unnamed UNIX socket); the ward_peer itself on the side, built while
     * a request needs it and given back with the buffers, unless it cannot
     * be rebuilt (peer_keep: a longer UNIX address, credentials) */
    union {
        struct sockaddr sa;
        struct sockaddr_in6 in6;
    } addr;
    socklen_t addr_len;
    uint8_t peer_done;  /* the credentials were looked for */
    uint8_t peer_keep;
    ward_peer *peer;
    ward_resp *resp;    /* the request's state: taken with `in`, given back with it */
    unsigned slot;      /* the worker's stats slot while on a worker */
    /* TLS (srv->cfg.tls set): the adapter's state; tls_up once the
     * handshake is complete */
    void *tls;
    uint8_t tls_up;
    /* the current request, for on_response: its line (NULL: unknown) and
     * whether the handler ran */
    const uint8_t *rline;
    size_t rline_len;
    uint8_t app_ran;
    /* the output queue (ward_io.c): what the socket did not take yet; its
     * copied bytes (files not counted) */
    out_seg *oq_head, *oq_tail;
    size_t oq_copied;
    /* the send rate rule: send_sent bytes taken by the socket while the
     * response waited send_waited ms for it (parked since park_at) */
    uint64_t send_sent, send_mark; /* the rate counts from send_mark, the first wait */
    int64_t send_waited, park_at;
    uint8_t send_clock;  /* the first wait began: send_mark is set */
    uint8_t sending;    /* CONN_SEND: the response's rest is queued */
    uint8_t after_send; /* enum conn_next: what comes once it is sent */
};
/* #28: an idle keep-alive connection is this struct and nothing else (its
 * buffers, its request's state and its ward_peer are given back); keep
 * it small: 288 bytes on x86-64, a 304-byte malloc chunk. */
_Static_assert(sizeof(struct ward_conn) <= 320, "ward_conn grew past 320 bytes");

typedef struct worker_slot {
    pthread_t thread;
    int state;          /* 0 free, 1 running, 2 exited (to join) */
    pthread_mutex_t mu; /* guards cur: uncontended but for stop */
    ward_conn *cur;     /* the connection being served */
    _Atomic uint64_t requests, bytes_in, bytes_out, work_ns;
} worker_slot;

struct ward_server {
    ward_server_config cfg;
    char *bind_copy;
    char *server_name;
    char *temp_dir;       /* cfg.body_temp_dir, copied */
    ward_parse_opts popts;
    uint8_t proto_minor;  /* the version of every response: 1, or 0 under http10 */
    int lfd;
    int family;
    char unix_path[sizeof(((struct sockaddr_un *)0)->sun_path) + 1];
    ino_t unix_ino;
    struct sockaddr_storage bound;
    socklen_t bound_len;
    int stop_efd;       /* wakes the listener */
    int mgr_efd;        /* the queue's bell, in the epoll set: work is queued */
    int epfd;
    int64_t started_ms;
    _Atomic int stopping;
    _Atomic int64_t stop_deadline; /* set before stopping: the shutdown deadline */
    int started;
    int stop_begun, stopped;  /* under stop_mu: a stop runs, is done */
    pthread_mutex_t stop_mu;  /* held by the one stop running */
    pthread_cond_t stop_cv;   /* the stop is done (ward_server_wait) */
    pthread_mutex_t stopper_mu;
    pthread_t stopper;        /* runs a stop a handler asked for */
    int stopper_up;           /* under stopper_mu */

    pthread_t listener, manager;
    int listener_up, manager_up;

    /* the connection manager: its connections in NSTRIPE stripes by
     * descriptor, each with its lock, so that workers claiming and handing
     * back connections seldom meet on one lock. A stripe is a timer wheel
     * (#28): a connection is listed in the slot of the tick its deadline
     * falls in (modulo WHEEL), and a sweep looks at the slots of the ticks
     * gone by since the last one, not at every connection */
    struct stripe {
        pthread_mutex_t mu;
        int64_t swept;             /* the last tick whose slot was looked at */
        ward_conn *wheel[WHEEL];   /* doubly linked lists */
    } stripes[NSTRIPE];
    pthread_mutex_t mlock; /* the sweeper's wait */
    pthread_cond_t mcond;  /* wakes the sweeper */
    ward_conn **byfd;      /* listed connections by descriptor */
    /* a callback, not a call up: where the sweep hands a parked send that a
     * stop finishes (the pool's queue, set by ward_pool_init()); -1: full */
    int (*mgr_ready)(ward_server *srv, ward_conn *c);
    void (*mgr_tick)(ward_server *srv); /* each tick: the pool grows if work waits */
    size_t nfd;
    _Atomic uint32_t next_gen;
    _Atomic unsigned nheld, nidle;
    _Atomic unsigned nsend; /* held in CONN_SEND: a stop keeps workers for them */
    _Atomic int mclosed;
    _Atomic uint64_t sweep_ns_max; /* the manager's longest sweep */

    /* the pool */
    pthread_mutex_t plock;
    pthread_cond_t pdone;  /* a worker exited or went idle */
    ward_conn **queue;
    unsigned qcap, qhead;
    _Atomic unsigned qlen;  /* changed under plock; read without it on the hot path */
    worker_slot *slots;
    unsigned nthreads;      /* under plock */
    int64_t grown_ms;       /* under plock: the last worker added on demand */
    _Atomic unsigned nidle_threads; /* workers waiting for work */

    _Atomic uint64_t accepts, accept_errors, rejected, slow_bodies, slow_readers, send_waits;
    _Atomic unsigned conns;
    _Atomic unsigned nbuffered; /* connections holding their in/out buffers */
    _Atomic uint64_t status_class[6];                   /* responses sent by class */
    _Atomic uint64_t parse_errors[WARD_STATUS_SLOTS];   /* error responses by ward_status */
};

/* --- the layers (docs/design.md): each file calls only the ones above it
 * here, never one below; tools/check_layers.sh keeps it so. --------------- */

/* base: ward_base.c */
int64_t ward_now_ms(void);
uint64_t ward_now_ns(void);
void ward_log(ward_server *srv, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A mutex that spins a little before sleeping: the server's locks guard a
 * few stores each, and a futex sleep costs more than the wait. */
void ward_mutex_init(pthread_mutex_t *m);
/* Marks the calling thread as one of srv's own (a worker, the listener,
 * the manager), which a stop cannot wait for; ward_thread_of() tells. */
void ward_thread_mark(const ward_server *srv);
const ward_server *ward_thread_of(void);

/* io: ward_io.c. Sends never wait: what the socket does not take is
 * queued (copied). */
int ward_send_all(ward_conn *c, const void *p, size_t n);
int ward_sendv(ward_conn *c, const void *a, size_t an, const void *b, size_t bn);
struct iovec;
int ward_sendiov(ward_conn *c, struct iovec *iov, int n);
int ward_wait(ward_conn *c, short events, int64_t deadline);
ssize_t ward_conn_recv(ward_conn *c, void *p, size_t n);
/* The same, never waiting: EAGAIN with *want_write set when a TLS read
 * needs the socket writable. */
ssize_t ward_conn_recv_nb(ward_conn *c, void *p, size_t n, int *want_write);
/* The output queue: len bytes of fd from off (sent now as far as the
 * socket takes them, the rest queued on a dup of fd); a non-blocking
 * flush: 1 empty, 0 would block (*want_in: a TLS write needs readable),
 * -1 failed (c->err); drop it all (closing its files). */
int ward_out_file(ward_conn *c, int fd, off_t off, size_t len);
int ward_out_flush(ward_conn *c, int *want_in);
void ward_out_drop(ward_conn *c);
/* The one wait for the socket that is left: flush until at most bound
 * copied bytes are queued (0: all), under the send rate rule. 0 or -1. */
int ward_out_wait(ward_conn *c, size_t bound);
int64_t ward_send_left(const ward_conn *c);
void ward_send_clock(ward_conn *c);
void ward_send_slow(ward_conn *c);
void ward_count_out(ward_conn *c, size_t n);

/* conn: ward_conn.c */
ward_conn *ward_conn_new(ward_server *srv, int fd);
void ward_conn_free(ward_conn *c);
/* Give the input and output buffers back (and the body's spill file). */
void ward_conn_release(ward_conn *c);
void ward_conn_spill_close(ward_conn *c);
int ward_conn_alloc_in(ward_conn *c);
int ward_conn_alloc_out(ward_conn *c);
int ward_conn_grow_in(ward_conn *c);
int ward_conn_set_addr(ward_conn *c, const struct sockaddr_storage *sa, socklen_t len);
const ward_peer *ward_conn_peer(ward_conn *c);

/* error: ward_error.c */
/* IMF-fixdate (RFC 9110 §5.6.7); the reason phrase of a status ("" if
 * none). */
void ward_date(char out[30]);
const char *ward_reason(int status);
/* The server's own answer (Connection: close), queued as sends are. */
int ward_send_error(ward_conn *c, int status, const char *text, int head_only);
/* The same, never waiting (one try); the caller closes c. */
void ward_conn_error_nb(ward_conn *c, int status, const char *text);
void ward_count_status(ward_server *srv, int status);
void ward_note_response(ward_conn *c, int status, uint64_t bytes);
void ward_note_reason(ward_server *srv, ward_status st);

/* resp: ward_resp.c */
void ward_resp_reset(ward_resp *r, ward_conn *c, const ward_req *req);
int ward_resp_finish(ward_resp *r, int app_failed);
int ward_resp_would_keep(ward_resp *r);

/* body: ward_body.c */
void ward_body_reset(ward_resp *r, const ward_frame *frame);
int ward_body_drain(ward_resp *r);
int64_t ward_body_rate_left(const ward_resp *r);
/* Collect the request body into c->in without waiting (the first call
 * begins it: 100-continue, the body's clocks): 0 ready for the handler
 * (the whole body, or its first body_buffer bytes), 1 waiting for the
 * peer (hold the connection in CONN_BODY until ward_body_deadline()),
 * -1 answered with an error (the connection closes). */
int ward_body_collect(ward_conn *c, const ward_request *preq, const ward_frame *frame);
int64_t ward_body_deadline(const ward_resp *r);
/* The manager's: a collected body missed its deadline (408 sent; the
 * manager then closes c, lingering). */
void ward_body_expired(ward_conn *c, int64_t now);
ssize_t ward_body_slow(ward_resp *r, int rate);

/* exchange: ward_exchange.c. One step of a connection on a worker: the
 * verdict is what comes next (enum conn_next), which the pool carries
 * out. */
int ward_exchange_step(ward_conn *c);
/* For WARD_NEXT_IDLE, _HEAD, _BODY, _SEND: the manager's state (*state)
 * and deadline to hold c with. */
int64_t ward_exchange_wait(ward_conn *c, int next, int *state);
/* The manager's: a parked response missed its deadline (closed). */
void ward_exchange_send_expired(ward_conn *c, int64_t now);

/* manager: ward_manager.c */
#define WARD_BELL UINT64_MAX /* the bell's epoll key */
int ward_manager_hold(ward_server *srv, ward_conn *c, int state, int64_t deadline);
ward_conn *ward_manager_claim(ward_server *srv, uint64_t key, int *state);
void ward_manager_linger_event(ward_server *srv, ward_conn *c);
/* Close c now, or (linger) half-close it and hold it in CONN_LINGER. */
void ward_manager_close(ward_conn *c, int linger);
void ward_manager_wake(ward_server *srv);
void *ward_manager_main(void *arg);
void ward_manager_close_all(ward_server *srv);

/* pool: ward_pool.c */
int ward_pool_init(ward_server *srv);
int ward_pool_put(ward_server *srv, ward_conn *c);
void ward_pool_tick(ward_server *srv);
int ward_pool_start(ward_server *srv);
void ward_pool_stop(ward_server *srv, int64_t deadline);
void ward_pool_fini(ward_server *srv);
void ward_reject(ward_server *srv, ward_conn *c);

/* listen: ward_listen.c */
int ward_listen_open(ward_server *srv, char *err, size_t err_cap);
void *ward_listener_main(void *arg);

/* server: ward_server.c (config, lifecycle, stats) */

#endif
