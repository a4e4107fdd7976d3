/* SPDX-License-Identifier: MIT */
/* ward_server.h - ward's thread-pooled HTTP/1.1 server (cheroot's call flow, in C).
 *
 * Shape (DESIGN.md §4):
 * - a listener thread only accepts: it never reads from a client;
 * - a connection manager holds, in an epoll set, idle keep-alive
 *   connections, connections whose request head is still arriving and
 *   lingering closes; its thread expires them (keep-alive idle timeout,
 *   whole-head deadline: 408) and caps the idle ones;
 * - a worker pool (min..max threads, grows when the last idle worker
 *   takes work, shrinks when idle) answers ONE request per dispatch: an
 *   idle worker waits on the manager's epoll set itself (one-shot events:
 *   one readable connection wakes one worker, with no hand-off through a
 *   queue), then gives the connection back, re-queues it at once when
 *   pipelined bytes are already buffered, or closes it;
 * - a bounded queue for new connections (and pipelined re-queues): when it
 *   is full the connection gets 503 with Retry-After and a lingering
 *   close, never a silent drop;
 * - the application is a handler (the gateway): it sees the request and
 *   streams a response through the functions below.
 *
 * The server owns the HTTP rules an application should not have to get
 * right: error statuses from the parser's results, HEAD/204/304 without a
 * body, response status and fields validated (no response splitting), a
 * declared Content-Length enforced, chunked output when the length is
 * unknown and the client speaks HTTP/1.1, 100-continue only when the body
 * is read (never to HTTP/1.0), unread bodies drained or the connection
 * closed, Connection rules of 1.0 and 1.1, Date and Server fields.
 *
 * Every function that can fail returns 0 on success and -1 on failure,
 * unless said otherwise.
 *
 * Signals: the server's threads run with SIGPIPE blocked (sendfile(2) has
 * no MSG_NOSIGNAL; a pending SIGPIPE is taken off the thread), so a client
 * gone mid-response never kills the process; the calling thread's mask is
 * left as it was.
 */
#ifndef WARD_SERVER_H
#define WARD_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "ward_parse.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ward_server ward_server;
typedef struct ward_resp ward_resp;

/* --- the request, as the application sees it ------------------------------ */

/* A run of bytes; not NUL-terminated. */
typedef struct ward_bytes {
    const uint8_t *ptr;
    size_t len;
} ward_bytes;

/* Who is on the other end. */
typedef struct ward_peer {
    struct sockaddr_storage addr; /* AF_INET, AF_INET6 or AF_UNIX */
    socklen_t addr_len;
    int has_creds;   /* 1 when pid/uid/gid are set: a UNIX socket with peer_creds on */
    pid_t pid;
    uid_t uid;
    gid_t gid;
    int has_names;   /* 1 when user/group are set: peer_creds_resolve on, names known */
    char user[64];
    char group[64];
} ward_peer;

/* TLS facts of the connection, filled by the TLS adapter (tls/ward_tls.h)
 * once its handshake is complete; the request's tls member is NULL on a
 * connection without TLS. Every string is NUL-terminated and stays valid
 * for the connection's life. */
typedef struct ward_tls_info {
    const char *protocol; /* "TLSv1.3" */
    const char *cipher;   /* the standard (IANA) name */
    const char *sni;      /* NULL if the client sent none */
    const char *alpn;     /* NULL if none was agreed */
    int client_verified;  /* 1: the client sent a certificate and it verified */
    const char *client_subject; /* RFC 2253 DN of the client certificate; NULL: none */
    const char *client_issuer;
    const char *client_serial;  /* hex */
    const char *client_not_before; /* "YYYY-MM-DDTHH:MM:SSZ" */
    const char *client_not_after;
    long long client_v_remain;  /* whole days until not_after (0 if past) */
    const char *client_pem;
} ward_tls_info;

/* One request. Every member stays valid until the handler returns; the
 * spans of head/fields index `head` (see ward_parse.h). */
typedef struct ward_req {
    ward_bytes method;
    ward_bytes target;  /* as sent */
    ward_bytes path;    /* origin-form path, "*" for asterisk-form */
    ward_bytes query;   /* after '?', without it */
    ward_bytes host;    /* absolute-form authority, else the Host value */
    uint8_t version;    /* 0: HTTP/1.0; 1: HTTP/1.1, or a higher HTTP/1.x read as 1.1 */
    const uint8_t *head;          /* the request head's bytes */
    const ward_request *parsed;   /* what ward_parse_request() found */
    const ward_field *fields;     /* field lines kept, in order */
    size_t nfields;
    uint8_t body_kind;            /* enum ward_body_kind */
    uint64_t content_length;      /* WARD_BODY_LENGTH: the body's bytes */
    const ward_peer *peer;
    const ward_tls_info *tls;     /* NULL without TLS */
} ward_req;

/* The value of the first field named `name` (case-insensitive), or a
 * ward_bytes with ptr NULL when there is none. */
ward_bytes ward_req_field(const ward_req *req, const char *name);

/* --- the handler (gateway) ------------------------------------------------- */

/* Called once per request, on a worker thread, possibly on many threads at
 * once. Returns 0 when the response is complete as written (the server
 * finishes it: Content-Length or the last chunk), -1 on failure: a 500
 * if nothing was sent yet, else the connection is closed. A handler that
 * writes nothing sends `200 OK` with an empty body. */
typedef int (*ward_handler)(void *arg, const ward_req *req, ward_resp *resp);

/* Set the status (200..999; interim 1xx responses are the server's own:
 * 100 Continue) and its reason phrase (NULL: the standard one). Refused
 * (-1) once the head is sent, for an out-of-range code, or for a reason
 * with a byte other than HTAB, SP, VCHAR or obs-text (no CR, LF, NUL:
 * no response splitting). */
int ward_resp_status(ward_resp *resp, int status, const char *reason);

/* Add a field line. The name must be a token, the value HTAB, SP, VCHAR and
 * obs-text only (no CR, LF, NUL); anything else is refused (-1) and nothing
 * is added. Refused once the head is sent. The server owns some fields:
 * - Content-Length: 1*DIGIT, at most WARD_BODY_CAP; the server then sends
 *   exactly that many body bytes: longer output is cut and the write fails,
 *   shorter output closes the connection (a 500 instead when nothing was
 *   sent yet): never two responses on the wire;
 * - Transfer-Encoding: refused; the server chunks by itself;
 * - Connection: only "close" (the connection closes after the response);
 * - Date, Server: the app's value replaces the server's. */
int ward_resp_field(ward_resp *resp, const char *name, const char *value);
/* The same with explicit lengths: bytes may then include a NUL, which is
 * refused. */
int ward_resp_field_n(ward_resp *resp, const char *name, size_t name_len, const char *value,
                      size_t value_len);

/* Read the next piece of the request body into buf[0 .. cap). Returns the
 * number of bytes (> 0), 0 at the end of the body (at once when there is
 * none), -1 on failure: a malformed chunked body (400), over max_body
 * (413), the client too slow (408) or gone. A failure sticks: the server
 * answers it with its status if the response head was not sent yet, and
 * closes the connection. A body up to body_buffer bytes is already in
 * memory when the handler runs (ward_server_config): reads then never
 * wait; the server sent any `100 Continue` (HTTP/1.1 clients only). */
ssize_t ward_body_read(ward_resp *resp, void *buf, size_t cap);

/* Write body bytes. The head goes out with the first bytes that do not
 * fit the server's buffer, else at the end, with a Content-Length the
 * server computes; chunked to an HTTP/1.1 client when the length is not
 * known at that point, close-delimited to an HTTP/1.0 one. Responses to
 * HEAD, and 204, 205 (Content-Length: 0) and 304 responses, never carry a
 * body: writes are counted (a HEAD response gets Content-Length: <what was
 * written> when the app set none and wrote something, none when it wrote
 * nothing: RFC 9110 §8.6) and dropped; the last ward_resp_status()
 * decides. -1 on failure (the client is gone, the declared length is
 * exceeded); it sticks. It does not wait for a slow client: what the
 * socket does not take is copied to the connection's output queue and
 * sent by the server after the handler returns; only when more than
 * resp_buffer copied bytes are queued does the next write wait. */
int ward_resp_write(ward_resp *resp, const void *buf, size_t len);

/* Send len bytes of the file fd from offset off (sendfile(2)), as body
 * bytes: the same rules as ward_resp_write(). Set Content-Length first
 * for a file served whole. The file descriptor stays the caller's (it may
 * close it at once): a range the socket cannot take now is queued on a
 * dup() of it, which the server closes when the range is sent or the
 * connection ends; it never waits, whatever its length. */
int ward_resp_sendfile(ward_resp *resp, int fd, off_t off, size_t len);

/* --- configuration --------------------------------------------------------- */

enum ward_log_level { WARD_LOG_ERROR = 0, WARD_LOG_WARN = 1, WARD_LOG_INFO = 2, WARD_LOG_DEBUG = 3 };

/* One response, for on_response (an access log). */
typedef struct ward_response_info {
    const ward_peer *peer;
    const uint8_t *request_line; /* without CRLF; NULL: unknown (the head did not parse) */
    size_t request_line_len;
    int status;
    uint64_t bytes;              /* body bytes sent */
    int app;                     /* 1: the handler ran for this request (its outcome) */
    /* the request the handler ran for (app == 1), else NULL: valid during
     * the call only */
    const ward_req *req;
} ward_response_info;

/* A server's configuration. ward_server_config_init() writes the documented
 * defaults; ward_server_create() also treats a zero size, limit, count or
 * time as its default, so no limit is ever 0 = unlimited, and an all-zero
 * configuration (with bind and handler set) is the default server. */
typedef struct ward_server_config {
    /* "HOST:PORT" (IPv4 or name), "[V6]:PORT", "unix:/path" (or a path
     * starting with '/' or '.'), "@name" (Linux abstract socket). Port 0
     * picks a free port: ward_server_address() reports it.
     * Default "127.0.0.1:8080". */
    const char *bind;
    ward_handler handler; /* required */
    void *handler_arg;

    unsigned min_threads;        /* 10: workers started at once, never fewer */
    unsigned max_threads;        /* 64: the pool grows up to this under load */
    unsigned thread_idle_ms;     /* 10000: a worker above min idle this long exits (<= INT_MAX) */
    unsigned queue_size;         /* 256: ready connections waiting for a worker; beyond: 503 */
    unsigned retry_after_s;      /* 1: the 503's Retry-After */
    int backlog;                 /* 128: listen(2) backlog (cheroot: 5) */
    unsigned max_conns;          /* 100000: open connections in all; beyond: 503 (lowered,
                                    logged at INFO, to fit RLIMIT_NOFILE less 32 + max_threads) */

    unsigned read_timeout_ms;    /* 10000: each wait for the socket (read or write; <= INT_MAX) */
    unsigned head_timeout_ms;    /* 10000: the whole request head, from its first wait (408) */
    unsigned body_timeout_ms;    /* 30000: the body must bring body_progress bytes in this time (408) */
    unsigned body_progress;      /* 16384 bytes */
    unsigned keepalive_timeout_ms; /* 10000: an idle keep-alive connection is closed after it */
    unsigned keepalive_max;      /* 100000: idle keep-alive connections held; beyond: Connection: close */
    unsigned max_requests;       /* 1000: requests per connection, then Connection: close */
    unsigned linger_ms;          /* 2000: a closing connection is drained this long (lingering close) */
    unsigned shutdown_timeout_ms; /* 5000: in-flight responses finish within it on stop */

    uint32_t max_request_line;   /* WARD_DEFAULT_MAX_REQUEST_LINE (8192): 414 beyond */
    uint32_t max_field_line;     /* WARD_DEFAULT_MAX_FIELD_LINE (8192): 431 beyond */
    uint32_t max_fields;         /* WARD_DEFAULT_MAX_FIELDS (100): 431 beyond */
    uint32_t max_head;           /* WARD_DEFAULT_MAX_HEAD (65536): 431 beyond */
    uint64_t max_body;           /* WARD_DEFAULT_MAX_BODY (1 MiB): 413 beyond */
    uint64_t max_drain;          /* 65536: unread body bytes drained to keep a connection */

    int nodelay;                 /* 0 or 1: TCP_NODELAY, the default (TCP only); -1: off */
    int reuse_port;              /* 0: SO_REUSEPORT (TCP with a fixed port only) */
    const char *server_name;     /* "ward/" WARD_VERSION: the Server field; "" sends none; <= 128 bytes */
    int http10;                  /* 0: speak HTTP/1.1; 1: HTTP/1.0 (no chunked, 1.0 keep-alive) */
    /* Strict mode is the default: parse_flags without leniencies. Leniencies
     * are WARD_PARSE_LENIENT_*; the underscore-dropping header reader is
     * WARD_PARSE_DROP_UNDERSCORE (ward_parse.h). */
    uint32_t parse_flags;
    int proxy_mode;              /* 0: absolute-form targets get 400, CONNECT 405 */
    unsigned unix_mode;          /* 0: leave the UNIX socket's mode to the umask; else chmod */
    int peer_creds;              /* 0: SO_PEERCRED pid/uid/gid on UNIX sockets */
    int peer_creds_resolve;      /* 0: also user and group names (needs peer_creds) */

    /* Error log: level, one line without its newline. NULL: stderr, for
     * WARD_LOG_WARN and worse. Called from any thread. */
    void (*log)(void *arg, int level, const char *msg);
    void *log_arg;

    /* NULL: plain HTTP. Else every connection runs through this adapter
     * (tls/ward_tls.h provides one); the handshake is driven by workers
     * and must complete within tls_handshake_timeout_ms. */
    const struct ward_tls_adapter *tls;
    unsigned tls_handshake_timeout_ms; /* 10000 */

    /* Called once per response, the server's own (400, 408, 503...)
     * included, when the server has decided it: after the handler
     * returned, with the status on the wire (a 500 where the handler's
     * response could not be sent as declared) and the body bytes it
     * carries, before the bytes that complete it go out (a client that
     * has its response finds it logged). A rest still queued for a slow
     * client may yet be cut (ward_server_stats.slow_readers). NULL: none.
     * Called from any thread. */
    void (*on_response)(void *arg, const ward_response_info *info);
    void *on_response_arg;

    /* Minimum request-body data rate (Kestrel's MinRequestBodyDataRate,
     * Apache mod_reqtimeout's MinRate): after body_rate_grace_ms, a body
     * must have brought body_min_rate bytes a second, counted over the time
     * the server waited for it (not the time the handler spent working); a
     * slower body gets 408 and the connection closes, logged at INFO and
     * counted in ward_server_stats.slow_bodies. It bounds a trickle that
     * body_timeout_ms alone would keep alive. */
    unsigned body_min_rate;      /* 240 bytes a second */
    unsigned body_rate_grace_ms; /* 5000 */
    /* Request bodies are collected by the server, without a worker waiting
     * for the client, before the handler runs: a whole body up to
     * body_buffer bytes (Content-Length, or chunked, decoded) in memory; a
     * larger one with its first part in a temporary file (body_temp_dir).
     * The 100 Continue an `Expect: 100-continue` asks for is the
     * server's, sent when collecting begins. */
    uint32_t body_buffer;        /* 65536 bytes in memory (at most 1 GiB) */
    /* Where the part of a body past body_buffer goes while it is collected:
     * an unlinked file (O_TMPFILE, else mkstemp + unlink) in this directory,
     * closed when the request ends; so the whole body, up to max_body, is
     * read before the handler runs and no read of the handler waits. When
     * the file cannot be made, the handler reads the rest from the socket. */
    const char *body_temp_dir;   /* "/tmp" */
    /* Minimum response data rate (Kestrel's MinResponseDataRate): what the
     * socket does not take at once waits in the connection's output queue
     * and is sent by the event side, no worker waiting; after
     * send_rate_grace_ms of waiting, the client must have taken
     * send_min_rate bytes a second, counted over the time the response
     * waited for the socket (not the time the handler spent producing it),
     * and something within each read_timeout_ms. A slower client is
     * closed, logged at INFO and counted in ward_server_stats.slow_readers. */
    unsigned send_min_rate;      /* 240 bytes a second */
    unsigned send_rate_grace_ms; /* 5000 */
    /* Copied response bytes (ward_resp_write()) a connection queues at
     * most before a write waits for the socket (under the rate above,
     * counted in ward_server_stats.send_waits); one write is always
     * queued whole; ward_resp_sendfile() ranges never count. */
    uint32_t resp_buffer;        /* 262144 bytes */
} ward_server_config;

/* The TLS adapter interface: per-connection state behind a few hooks, all
 * non-blocking on the connection's non-blocking socket. */
enum {
    WARD_TLS_DONE = 1,  /* handshake: complete */
    WARD_TLS_AGAIN = 0, /* handshake: wait for the socket (readable) */
    WARD_TLS_FAIL = -1, /* handshake: failed, close */
    WARD_TLS_PLAIN = -2, /* handshake: the client speaks plain HTTP */
    WARD_TLS_AGAIN_WRITE = 2 /* handshake: wait for the socket writable */
};
typedef struct ward_tls_adapter {
    void *arg;
    void *(*conn_new)(void *arg, int fd);  /* NULL: refused */
    void (*conn_free)(void *tc);
    int (*handshake)(void *tc);            /* WARD_TLS_* */
    /* Like recv(2)/send(2): bytes, 0 at the peer's end, -1 with errno
     * (EAGAIN: wait for readable if *want_write is 0, else writable). */
    ssize_t (*recv)(void *tc, void *buf, size_t n, int *want_write);
    ssize_t (*send)(void *tc, const void *buf, size_t n, int *want_write);
    size_t (*pending)(void *tc);           /* decrypted bytes buffered */
    void (*close_notify)(void *tc);        /* one non-blocking try, before closing */
    const ward_tls_info *(*info)(void *tc);
} ward_tls_adapter;

void ward_server_config_init(ward_server_config *cfg);

/* --- lifecycle ------------------------------------------------------------- */

/* Bind and listen (no thread yet). NULL on failure, with a reason in
 * err[0 .. err_cap) when err is not NULL. */
ward_server *ward_server_create(const ward_server_config *cfg, char *err, size_t err_cap);

/* Start the listener, the connection manager and min_threads workers. */
int ward_server_start(ward_server *srv);

/* Graceful stop: stop accepting, close idle connections, let in-flight
 * responses finish (with Connection: close) within shutdown_timeout_ms,
 * then shut the remaining connections down and join every thread. A
 * handler that never returns holds this call. Idempotent; a second caller
 * returns when the stop is done. Called from a handler of this server, it
 * starts the stop on a thread of its own and returns at once: the
 * handler's response still goes out (with Connection: close). The same
 * from a log callback on any of the server's threads; from a log callback
 * during the stop itself it returns at once. */
void ward_server_stop(ward_server *srv);

/* Block until ward_server_stop() has finished, whoever called it (a
 * handler, a signal thread...). Not from a handler. */
void ward_server_wait(ward_server *srv);

/* Stop if needed, close every descriptor (and unlink a UNIX socket path
 * this server created), free everything. NULL is fine. Not from a handler. */
void ward_server_free(ward_server *srv);

/* Serve fd, an already-connected stream socket (from socketpair(2), a
 * hand-over...), as if the listener had accepted it. The server owns fd
 * from then on, whatever the result; -1 when it was refused (stopping,
 * out of memory: fd is closed; queue full: fd got a 503). */
int ward_server_adopt(ward_server *srv, int fd);

/* Socket activation (ward-serve): serve on fd, an inherited listening
 * stream socket (TCP or UNIX), instead of the socket ward_server_create()
 * bound; before ward_server_start(). 0, or -1 with a reason in err (fd is
 * then still the caller's). The server owns fd once it is accepted, and
 * never unlinks its path. */
int ward_server_use_listener(ward_server *srv, int fd, char *err, size_t cap);

/* The bound address as "127.0.0.1:34567", "[::1]:8080", "unix:/path" or
 * "@name" (the real port when 0 was asked). */
int ward_server_address(const ward_server *srv, char *buf, size_t cap);
/* The bound TCP port (0 for UNIX sockets). */
unsigned ward_server_port(const ward_server *srv);

/* --- stats (cheroot's counters) ---------------------------------------------- */

#define WARD_STATUS_SLOTS 100u /* every ward_status value is below */

typedef struct ward_worker_stats {
    uint64_t requests;
    uint64_t bytes_in;
    uint64_t bytes_out;
    uint64_t work_ns; /* time spent in requests */
} ward_worker_stats;

typedef struct ward_server_stats {
    uint64_t accepts;
    uint64_t accept_errors;
    uint64_t rejected_503;   /* queue full or max_conns */
    uint64_t requests;       /* the sums of the workers' */
    uint64_t bytes_in;
    uint64_t bytes_out;
    uint64_t work_ns;
    uint64_t run_ns;         /* since ward_server_start() */
    unsigned threads;        /* workers now */
    unsigned threads_idle;
    unsigned queued;
    unsigned held;           /* connections held by the connection manager */
    unsigned conns;          /* open connections */
    /* every response sent, the server's own included: [1..5] 1xx..5xx */
    uint64_t status_class[6];
    /* error responses by the ward_status that caused them (indexed by its
     * value; ward_status_str() names it) */
    uint64_t parse_errors[WARD_STATUS_SLOTS];
    /* request bodies answered 408: below body_min_rate, or no progress
     * within body_timeout_ms */
    uint64_t slow_bodies;
    /* connections holding input and output buffers (about 100 KiB each):
     * those with bytes in flight; an idle keep-alive connection holds none */
    unsigned buffered;
    /* clients closed for reading a response below send_min_rate (or not at
     * all within read_timeout_ms) */
    uint64_t slow_readers;
    /* writes that waited for the socket: more than resp_buffer copied
     * bytes were queued */
    uint64_t send_waits;
    /* the longest sweep of the connection manager (one tick: the timer
     * wheel's slots due since the last), in nanoseconds */
    uint64_t sweep_ns_max;
} ward_server_stats;

/* A snapshot. When workers is not NULL, workers[0 .. *nworkers) gets one
 * entry per worker slot (max_threads slots; counters stay with the slot
 * when its thread exits and a new one takes it); *nworkers is the
 * capacity on entry, the count on return. */
void ward_server_stats_get(ward_server *srv, ward_server_stats *out, ward_worker_stats *workers,
                           size_t *nworkers);

/* --- the built-in echo gateway (gateway/ward_echo.c) --------------------- */

/* --echo: 200 and a JSON document of what ward parsed: method, target,
 * version, fields in order, body length and the body as base64. arg is
 * unused. (The static site gateway, gateway/ward_static.h, is
 * ward-serve's, outside the library.) */
int ward_gateway_echo(void *arg, const ward_req *req, ward_resp *resp);

#ifdef __cplusplus
}
#endif

#endif
