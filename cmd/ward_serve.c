/* SPDX-License-Identifier: MIT */
/* ward_serve.c - ward-serve, the program: flags, signals, logs, pid file;
 * the server itself is server/ (ward_server.h), the static site gateway
 * gateway/ward_static.c.
 *
 * Gateways: --root DIR (default site/) serves the files under DIR;
 * --echo answers every request with a JSON document of what ward parsed
 * (for auditors and differential testers).
 *
 * Threads: every thread inherits a mask blocking the signals below; main
 * takes them with sigwait(). The first SIGINT/SIGTERM starts a stopper
 * thread (graceful stop, within --shutdown-timeout); a second one exits at
 * once. SIGHUP reopens the log files; SIGUSR1 writes the stats to the
 * error log.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* by path: the compile edge in build.ninja passes -Iparser -Iserver */
#include "ward_server.h"
#include "ward_static.h"
#include "ward_tls.h"

#define MAX_BINDS 16

static const char usage_text[] =
    "usage: ward-serve [--bind ADDR]... [--root DIR | --echo] [options]\n"
    "       ward-serve --help | --version\n"
    "\n"
    "ward-serve serves a static site (or echoes what ward parsed) with ward's\n"
    "hardened HTTP/1.1 server. Options take their value as the next argument or\n"
    "after '=' (--threads=4). Sizes are bytes, times milliseconds.\n"
    "\n"
    "Listening:\n"
    "  --bind ADDR            HOST:PORT, [V6]:PORT, a UNIX socket path (unix:PATH,\n"
    "                         or starting with / or .), @NAME (abstract socket);\n"
    "                         repeatable; default 127.0.0.1:8080; port 0 picks one\n"
    "  --socket-mode OCTAL    mode of UNIX socket paths (default: the umask's)\n"
    "  --socket-owner USER[:GROUP]  owner of UNIX socket paths\n"
    "  --reuse-port           SO_REUSEPORT (TCP, fixed port)\n"
    "  --backlog N            listen(2) backlog (128)\n"
    "\n"
    "Gateway:\n"
    "  --root DIR             serve the files under DIR (default site/): GET and\n"
    "                         HEAD, index.html for directories, ETag and\n"
    "                         Last-Modified (304), one byte range (206, 416);\n"
    "                         nothing outside DIR, no dot files\n"
    "  --echo                 answer every request with 200 and a JSON document of\n"
    "                         what ward parsed (method, target, version, fields,\n"
    "                         body length, body as base64)\n"
    "\n"
    "Workers and limits:\n"
    "  --threads MIN[:MAX]    worker threads (10:64)\n"
    "  --max-threads N        maximum worker threads (64)\n"
    "  --queue N              ready connections waiting for a worker; beyond, 503 (256)\n"
    "  --max-conns N          open connections; beyond, 503 (100000)\n"
    "  --timeout MS           sets --read-timeout, --head-timeout, --keepalive-timeout\n"
    "  --read-timeout MS      each wait for the socket (10000)\n"
    "  --head-timeout MS      the whole request head (10000; then 408)\n"
    "  --body-timeout MS      body progress of 16384 bytes (30000; then 408)\n"
    "  --min-body-rate B/S    request bodies slower than this get 408 (240)\n"
    "  --min-body-rate-grace MS  ...after this long (5000)\n"
    "  --min-send-rate B/S    clients reading a response slower than this are\n"
    "                         closed (240)\n"
    "  --min-send-rate-grace MS  ...after this long (5000)\n"
    "  --resp-buffer BYTES    response bytes a connection queues for a slow client\n"
    "                         before the handler's writes wait (262144)\n"
    "  --keepalive-timeout MS idle keep-alive connections are closed (10000)\n"
    "  --shutdown-timeout MS  in-flight responses finish within it on stop (5000)\n"
    "  --keepalive-max N      idle keep-alive connections held (100000)\n"
    "  --max-requests N       requests per connection (1000)\n"
    "  --max-body BYTES       request body (1048576; 413 beyond)\n"
    "  --body-buffer BYTES    request bodies are read before the handler runs,\n"
    "                         without a worker waiting: in memory up to this (65536)\n"
    "  --body-temp-dir DIR    ...and beyond it in an unlinked file in DIR (/tmp)\n"
    "  --max-request-line BYTES  (8192; 414 beyond)\n"
    "  --max-field-line BYTES (8192; 431 beyond)\n"
    "  --max-fields N         (100; 431 beyond)\n"
    "  --max-head BYTES       (65536; 431 beyond)\n"
    "\n"
    "HTTP:\n"
    "  --strict               no leniency (the default; clears the --lenient-* flags)\n"
    "  --lenient-bare-lf      accept LF alone as a line end\n"
    "  --lenient-obs-fold     accept obs-fold (folded field lines)\n"
    "  --lenient-ws-before-colon  accept and drop whitespace before ':'\n"
    "  --drop-underscore-headers  drop (never reject) fields whose name holds '_'\n"
    "  --proxy                accept absolute-form targets and CONNECT\n"
    "  --http10               speak HTTP/1.0\n"
    "  --server-name NAME     the Server field (ward/VERSION; \"\" sends none)\n"
    "  --peercreds            pass UNIX-socket peer pid/uid/gid and names to the app\n"
    "\n"
    "TLS (BoringSSL or OpenSSL 3, as built; on every --bind when --tls-cert is given):\n"
    "  --tls-cert FILE        PEM certificate chain, leaf first\n"
    "  --tls-key FILE         PEM private key\n"
    "  --tls-min-version V    1.0, 1.1, 1.2 (default) or 1.3\n"
    "  --tls-max-version V    (1.3)\n"
    "  --tls-ciphers LIST     TLS 1.2 cipher list (OpenSSL syntax)\n"
    "  --tls-curves LIST      e.g. X25519:P-256\n"
    "  --tls-no-alpn          do not agree on ALPN http/1.1\n"
    "  --tls-tickets on|off   session tickets (on)\n"
    "  --tls-client-auth none|optional|required  client certificates (none)\n"
    "  --tls-client-ca FILE   PEM CAs that client certificates must chain to\n"
    "  --tls-sni NAME=CERT,KEY  serve NAME with its own certificate; repeatable\n"
    "  --tls-handshake-timeout MS  the whole handshake (10000)\n"
    "  Plain HTTP on a TLS port gets 400 and the connection closes. SIGHUP\n"
    "  also reloads the certificates, keys and CA file (new connections use\n"
    "  them; open ones keep theirs). --echo adds the TLS facts (\"tls\").\n"
    "\n"
    "Logs and process:\n"
    "  --access-log FILE|-    one line per request, Common Log Format\n"
    "  --access-log-format clf|json\n"
    "  --error-log FILE|-     the server's messages (default: stderr)\n"
    "  --log-level LEVEL      error, warn (the default), info or debug\n"
    "  --pid-file FILE        write the pid; a stale one is replaced, a live one\n"
    "                         refused\n"
    "  --stats-path PATH      answer GET PATH with the stats as JSON (off; it tells\n"
    "                         anyone who can reach it about the load)\n"
    "  --help, --version\n"
    "\n"
    "Signals: SIGTERM and SIGINT stop gracefully (a second one stops at once),\n"
    "SIGHUP reopens the log files (and reloads TLS files), SIGUSR1 writes the stats to the error log.\n"
    "Exit status: 0 after a graceful stop, 1 when it cannot start or stops at\n"
    "once, 2 for a bad command line.\n";

/* --- logs -------------------------------------------------------------------- */

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static const char *access_path, *error_path;
static FILE *access_f, *error_f;
static int access_json, log_level = WARD_LOG_WARN;


static FILE *open_log(const char *path)
{
    FILE *f;

    if (strcmp(path, "-") == 0)
        return NULL; /* stdout (access) or stderr (error): see the writers */
    f = fopen(path, "ae");
    if (f != NULL)
        setvbuf(f, NULL, _IOLBF, 0);
    return f;
}

static FILE *access_out(void)
{
    return access_f != NULL ? access_f : stdout;
}

static FILE *error_out(void)
{
    return error_f != NULL ? error_f : stderr;
}

static void elog(const char *fmt, ...)
{
    va_list ap;
    FILE *f;

    pthread_mutex_lock(&log_lock);
    f = error_out();
    fputs("ward-serve: ", f);
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fputc('\n', f);
    fflush(f);
    pthread_mutex_unlock(&log_lock);
}

static void server_log(void *arg, int level, const char *msg)
{
    static const char *const names[] = {"error", "warning", "info", "debug"};

    (void)arg;
    if (level <= log_level)
        elog("%s: %s", names[level & 3], msg);
}

/* SIGHUP: a log rotated away is written anew. */
static void reopen_logs(void)
{
    pthread_mutex_lock(&log_lock);
    if (access_f != NULL) {
        FILE *f = open_log(access_path);
        if (f != NULL) {
            fclose(access_f);
            access_f = f;
        }
    }
    if (error_f != NULL) {
        FILE *f = open_log(error_path);
        if (f != NULL) {
            fclose(error_f);
            error_f = f;
        }
    }
    pthread_mutex_unlock(&log_lock);
}

/* The bytes as they may appear inside a quoted log string. */
static size_t quoted(char *out, size_t cap, const uint8_t *p, size_t n, int json)
{
    size_t o = 0;

    for (size_t i = 0; i < n && o + 7 < cap; i++) {
        uint8_t c = p[i];
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x7f)
            o += (size_t)snprintf(out + o, cap - o, json ? "\\u%04x" : "\\x%02x", c);
        else
            out[o++] = (char)c;
    }
    out[o] = '\0';
    return o;
}

static void peer_text(const ward_peer *peer, char *out, size_t cap)
{
    const struct sockaddr_storage *ss = &peer->addr;

    if (ss->ss_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr, out, (socklen_t)cap);
    else if (ss->ss_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ss)->sin6_addr, out, (socklen_t)cap);
    else
        snprintf(out, cap, "unix");
}

/* One access log record, JSON or Common Log Format (host ident authuser
 * [date] "request" status bytes), the fields already quoted for the
 * format in force: request is the CLF request text, the others go to JSON. */
static void access_write(const char *host, const char *user, const char *request, const char *method,
                         const char *target, const char *version, int status, uint64_t bytes,
                         const char *ua)
{
    char date[64];
    time_t now = time(NULL);
    struct tm tm;

    gmtime_r(&now, &tm);
    pthread_mutex_lock(&log_lock);
    if (access_json) {
        strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
        fprintf(access_out(),
                "{\"time\":\"%s\",\"remote\":\"%s\",\"user\":\"%s\",\"method\":\"%s\","
                "\"target\":\"%s\",\"version\":\"%s\",\"status\":%d,\"bytes\":%llu,"
                "\"user_agent\":\"%s\"}\n",
                date, host, user, method, target, version, status, (unsigned long long)bytes, ua);
    } else {
        strftime(date, sizeof date, "%d/%b/%Y:%H:%M:%S +0000", &tm);
        if (bytes > 0)
            fprintf(access_out(), "%s - %s [%s] \"%s\" %d %llu\n", host, user, date, request, status,
                    (unsigned long long)bytes);
        else
            fprintf(access_out(), "%s - %s [%s] \"%s\" %d -\n", host, user, date, request, status);
    }
    fflush(access_out());
    pthread_mutex_unlock(&log_lock);
}

static void access_line(const ward_req *req, int status, uint64_t bytes)
{
    char host[64] = "-", method[64], target[2048], ua[512] = "", user[80], version[16];
    char request[sizeof method + sizeof target + sizeof version];
    ward_bytes agent = ward_req_field(req, "User-Agent");
    const char *u = req->peer->has_names ? req->peer->user : "-";

    peer_text(req->peer, host, sizeof host);
    quoted(method, sizeof method, req->method.ptr, req->method.len, access_json);
    quoted(target, sizeof target, req->target.ptr, req->target.len, access_json);
    if (agent.ptr != NULL)
        quoted(ua, sizeof ua, agent.ptr, agent.len, access_json);
    quoted(user, sizeof user, (const uint8_t *)u, strlen(u), access_json);
    snprintf(version, sizeof version, "HTTP/1.%u", (unsigned)req->version);
    snprintf(request, sizeof request, "%s %s %s", method, target, version);
    access_write(host, user, request, method, target, version, status, bytes, ua);
}

/* Every response, once, as the server decided it (on_response): the
 * handler's with the request (and its User-Agent); the server's own (a
 * 400 for a malformed head...) with what is known of the request, "-" for
 * the rest, as nginx does. */
static void access_server_line(void *arg, const ward_response_info *info)
{
    char host[64] = "-", req[2048] = "-", user[80];
    char method[64] = "-", target[2048] = "-", version[32] = "-";
    const char *u = info->peer->has_names ? info->peer->user : "-";

    (void)arg;
    if (info->req != NULL) {
        access_line(info->req, info->status, info->bytes);
        return;
    }
    peer_text(info->peer, host, sizeof host);
    quoted(user, sizeof user, (const uint8_t *)u, strlen(u), access_json);
    if (info->request_line != NULL) {
        const uint8_t *p = info->request_line, *sp1, *sp2;
        size_t n = info->request_line_len;
        quoted(req, sizeof req, p, n, access_json);
        sp1 = memchr(p, ' ', n);
        sp2 = sp1 != NULL ? memchr(sp1 + 1, ' ', n - (size_t)(sp1 + 1 - p)) : NULL;
        if (sp2 != NULL) {
            quoted(method, sizeof method, p, (size_t)(sp1 - p), 1);
            quoted(target, sizeof target, sp1 + 1, (size_t)(sp2 - sp1 - 1), 1);
            quoted(version, sizeof version, sp2 + 1, n - (size_t)(sp2 + 1 - p), 1);
        }
    }
    access_write(host, user, req, method, target, version, info->status, info->bytes, "-");
}

/* Responses by class and error answers by reason, summed over the
 * listeners (the server counts its own answers too). */
static void sum_stats(uint64_t cls[6], uint64_t reasons[WARD_STATUS_SLOTS]);

/* --- the handler: the gateway, then counters and the access log ----------------- */

static ward_handler gateway;
static void *gateway_arg;
static int access_on;
static const char *stats_path;

static ward_server *servers[MAX_BINDS];
static int nservers;

/* --stats-path: the stats as one JSON document. */
static int stats_doc(ward_resp *resp)
{
    char doc[8192], len[24];
    size_t o = 0;
    uint64_t cls[6], reasons[WARD_STATUS_SLOTS];

    o += (size_t)snprintf(doc + o, sizeof doc - o, "{\"listeners\":[");
    for (int i = 0; i < nservers && o < sizeof doc - 1024; i++) {
        ward_server_stats st;
        char addr[256] = "?", q[600];
        ward_server_stats_get(servers[i], &st, NULL, NULL);
        ward_server_address(servers[i], addr, sizeof addr);
        quoted(q, sizeof q, (const uint8_t *)addr, strlen(addr), 1);
        o += (size_t)snprintf(doc + o, sizeof doc - o,
                              "%s{\"address\":\"%s\",\"accepts\":%llu,\"accept_errors\":%llu,"
                              "\"rejected_503\":%llu,\"requests\":%llu,\"bytes_in\":%llu,"
                              "\"bytes_out\":%llu,\"threads\":%u,\"threads_idle\":%u,"
                              "\"queued\":%u,\"held\":%u,\"conns\":%u,\"slow_bodies\":%llu,"
                              "\"slow_readers\":%llu,\"send_waits\":%llu,\"sweep_us_max\":%.1f,"
                              "\"run_s\":%.3f}",
                              i ? "," : "", q, (unsigned long long)st.accepts,
                              (unsigned long long)st.accept_errors,
                              (unsigned long long)st.rejected_503, (unsigned long long)st.requests,
                              (unsigned long long)st.bytes_in, (unsigned long long)st.bytes_out,
                              st.threads, st.threads_idle, st.queued, st.held, st.conns,
                              (unsigned long long)st.slow_bodies,
                              (unsigned long long)st.slow_readers,
                              (unsigned long long)st.send_waits, (double)st.sweep_ns_max / 1e3,
                              (double)st.run_ns / 1e9);
    }
    sum_stats(cls, reasons);
    o += (size_t)snprintf(doc + o, sizeof doc - o,
                          "],\"responses\":{\"1xx\":%llu,\"2xx\":%llu,\"3xx\":%llu,"
                          "\"4xx\":%llu,\"5xx\":%llu},\"errors\":{",
                          (unsigned long long)cls[1], (unsigned long long)cls[2],
                          (unsigned long long)cls[3], (unsigned long long)cls[4],
                          (unsigned long long)cls[5]);
    for (unsigned i = 0, first = 1; i < WARD_STATUS_SLOTS && o < sizeof doc; i++) {
        if (reasons[i] == 0)
            continue;
        o += (size_t)snprintf(doc + o, sizeof doc - o, "%s\"%s\":%llu", first ? "" : ",",
                              ward_status_str((ward_status)i), (unsigned long long)reasons[i]);
        first = 0;
    }
    if (o < sizeof doc)
        o += (size_t)snprintf(doc + o, sizeof doc - o, "}}\n");
    if (o >= sizeof doc)
        return -1;
    snprintf(len, sizeof len, "%zu", o);
    if (ward_resp_field(resp, "Content-Type", "application/json") != 0 ||
        ward_resp_field(resp, "Cache-Control", "no-store") != 0 ||
        ward_resp_field(resp, "Content-Length", len) != 0)
        return -1;
    return ward_resp_write(resp, doc, o);
}

static int handle(void *arg, const ward_req *req, ward_resp *resp)
{
    int rc;

    (void)arg;
    if (stats_path != NULL && req->path.len == strlen(stats_path) &&
        memcmp(req->path.ptr, stats_path, req->path.len) == 0 &&
        ((req->method.len == 3 && memcmp(req->method.ptr, "GET", 3) == 0) ||
         (req->method.len == 4 && memcmp(req->method.ptr, "HEAD", 4) == 0)))
        rc = stats_doc(resp);
    else
        rc = gateway(gateway_arg, req, resp);
    return rc; /* logged by on_response, with the outcome the server decided */
}

/* --- the command line ----------------------------------------------------------- */

static void bad(const char *fmt, ...)
{
    va_list ap;

    fputs("ward-serve: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs(" (see ward-serve --help)\n", stderr);
    exit(2);
}

static unsigned long long number(const char *opt, const char *s, unsigned long long min,
                                 unsigned long long max)
{
    unsigned long long v;
    char *end;

    errno = 0;
    v = strtoull(s, &end, 10);
    if (s[0] < '0' || s[0] > '9' || *end != '\0' || errno != 0 || v < min || v > max)
        bad("%s: '%s' is not a number from %llu to %llu", opt, s, min, max);
    return v;
}

typedef struct opts {
    const char *binds[MAX_BINDS];
    int nbinds;
    const char *root;
    int echo;
    const char *pid_file;
    int have_owner;
    uid_t owner;
    gid_t group;
    ward_tls_config tls;
    int tls_set;
    ward_tls_sni sni[MAX_BINDS];
} opts;

static char *sni_buf[MAX_BINDS]; /* --tls-sni values, split in place */

static void owner(opts *o, const char *opt, const char *val)
{
    char user[256];
    const char *colon = strchr(val, ':');
    struct passwd *pw;
    struct group *gr;

    snprintf(user, sizeof user, "%.*s", colon ? (int)(colon - val) : (int)strlen(val), val);
    pw = getpwnam(user);
    if (pw == NULL)
        bad("%s: no user '%s'", opt, user);
    o->owner = pw->pw_uid;
    o->group = pw->pw_gid;
    if (colon != NULL) {
        gr = getgrnam(colon + 1);
        if (gr == NULL)
            bad("%s: no group '%s'", opt, colon + 1);
        o->group = gr->gr_gid;
    }
    o->have_owner = 1;
}

static void tls_option(ward_server_config *cfg, opts *o, const char *opt, const char *val)
{
    ward_tls_config *t = &o->tls;

    o->tls_set = 1;
    if (strcmp(opt, "--tls-cert") == 0) {
        t->cert_file = val;
    } else if (strcmp(opt, "--tls-key") == 0) {
        t->key_file = val;
    } else if (strcmp(opt, "--tls-min-version") == 0 || strcmp(opt, "--tls-max-version") == 0) {
        if (strcmp(val, "1.0") != 0 && strcmp(val, "1.1") != 0 && strcmp(val, "1.2") != 0 &&
            strcmp(val, "1.3") != 0)
            bad("%s: '%s' is not 1.0, 1.1, 1.2 or 1.3", opt, val);
        if (opt[6] == 'm' && opt[7] == 'i')
            t->min_version = val;
        else
            t->max_version = val;
    } else if (strcmp(opt, "--tls-ciphers") == 0) {
        t->ciphers = val;
    } else if (strcmp(opt, "--tls-curves") == 0) {
        t->curves = val;
    } else if (strcmp(opt, "--tls-tickets") == 0) {
        if (strcmp(val, "on") != 0 && strcmp(val, "off") != 0)
            bad("--tls-tickets: '%s' is not on or off", val);
        t->tickets = strcmp(val, "on") == 0;
    } else if (strcmp(opt, "--tls-client-auth") == 0) {
        if (strcmp(val, "none") == 0)
            t->client_auth = WARD_TLS_CLIENT_NONE;
        else if (strcmp(val, "optional") == 0)
            t->client_auth = WARD_TLS_CLIENT_OPTIONAL;
        else if (strcmp(val, "required") == 0)
            t->client_auth = WARD_TLS_CLIENT_REQUIRED;
        else
            bad("--tls-client-auth: '%s' is not none, optional or required", val);
    } else if (strcmp(opt, "--tls-client-ca") == 0) {
        t->client_ca_file = val;
    } else if (strcmp(opt, "--tls-sni") == 0) {
        char *b, *eq, *comma;
        if (t->nsni == MAX_BINDS)
            bad("--tls-sni: at most %d names", MAX_BINDS);
        b = strdup(val);
        if (b == NULL)
            bad("out of memory");
        eq = strchr(b, '=');
        comma = eq ? strchr(eq + 1, ',') : NULL;
        if (eq == NULL || comma == NULL || eq == b || comma == eq + 1 || comma[1] == '\0')
            bad("--tls-sni: '%s' is not NAME=CERT,KEY", val);
        *eq = *comma = '\0';
        sni_buf[t->nsni] = b;
        o->sni[t->nsni] = (ward_tls_sni){b, eq + 1, comma + 1};
        t->nsni++;
        t->sni = o->sni;
    } else if (strcmp(opt, "--tls-handshake-timeout") == 0) {
        cfg->tls_handshake_timeout_ms = (unsigned)number(opt, val, 1, 86400000ull);
    } else {
        bad("unknown option '%s'", opt);
    }
}

/* One option that takes a value. */
static void option(ward_server_config *cfg, opts *o, const char *opt, const char *val)
{
    const unsigned long long U = 4000000000ull, T = 86400000ull;

    if (strcmp(opt, "--bind") == 0) {
        if (o->nbinds == MAX_BINDS)
            bad("--bind: at most %d addresses", MAX_BINDS);
        if (val[0] == '\0')
            bad("--bind: empty address");
        o->binds[o->nbinds++] = val;
    } else if (strcmp(opt, "--root") == 0) {
        o->root = val;
    } else if (strcmp(opt, "--threads") == 0) {
        char min[32];
        const char *colon = strchr(val, ':');
        snprintf(min, sizeof min, "%.*s", colon ? (int)(colon - val) : (int)strlen(val), val);
        cfg->min_threads = (unsigned)number(opt, min, 1, 100000);
        if (colon != NULL)
            cfg->max_threads = (unsigned)number(opt, colon + 1, 1, 100000);
        if (colon != NULL && cfg->max_threads < cfg->min_threads)
            bad("--threads: MAX (%u) is below MIN (%u)", cfg->max_threads, cfg->min_threads);
    } else if (strcmp(opt, "--max-threads") == 0) {
        cfg->max_threads = (unsigned)number(opt, val, 1, 100000);
    } else if (strcmp(opt, "--queue") == 0) {
        cfg->queue_size = (unsigned)number(opt, val, 1, 1000000);
    } else if (strcmp(opt, "--backlog") == 0) {
        cfg->backlog = (int)number(opt, val, 1, 65535);
    } else if (strcmp(opt, "--max-conns") == 0) {
        cfg->max_conns = (unsigned)number(opt, val, 1, 10000000);
    } else if (strcmp(opt, "--timeout") == 0) {
        cfg->read_timeout_ms = cfg->head_timeout_ms = cfg->keepalive_timeout_ms =
            (unsigned)number(opt, val, 1, T);
    } else if (strcmp(opt, "--read-timeout") == 0) {
        cfg->read_timeout_ms = (unsigned)number(opt, val, 1, T);
    } else if (strcmp(opt, "--head-timeout") == 0) {
        cfg->head_timeout_ms = (unsigned)number(opt, val, 1, T);
    } else if (strcmp(opt, "--body-timeout") == 0) {
        cfg->body_timeout_ms = (unsigned)number(opt, val, 1, T);
    } else if (strcmp(opt, "--min-body-rate") == 0) {
        cfg->body_min_rate = (unsigned)number(opt, val, 1, U);
    } else if (strcmp(opt, "--min-body-rate-grace") == 0) {
        cfg->body_rate_grace_ms = (unsigned)number(opt, val, 1, T);
    } else if (strcmp(opt, "--min-send-rate") == 0) {
        cfg->send_min_rate = (unsigned)number(opt, val, 1, U);
    } else if (strcmp(opt, "--min-send-rate-grace") == 0) {
        cfg->send_rate_grace_ms = (unsigned)number(opt, val, 1, T);
    } else if (strcmp(opt, "--resp-buffer") == 0) {
        cfg->resp_buffer = (uint32_t)number(opt, val, 1, 1u << 30);
    } else if (strcmp(opt, "--keepalive-timeout") == 0) {
        cfg->keepalive_timeout_ms = (unsigned)number(opt, val, 1, T);
    } else if (strcmp(opt, "--shutdown-timeout") == 0) {
        cfg->shutdown_timeout_ms = (unsigned)number(opt, val, 1, T);
    } else if (strcmp(opt, "--keepalive-max") == 0) {
        cfg->keepalive_max = (unsigned)number(opt, val, 1, U);
    } else if (strcmp(opt, "--max-requests") == 0) {
        cfg->max_requests = (unsigned)number(opt, val, 1, U);
    } else if (strcmp(opt, "--max-body") == 0) {
        cfg->max_body = number(opt, val, 1, 1ull << 50);
    } else if (strcmp(opt, "--body-buffer") == 0) {
        cfg->body_buffer = (uint32_t)number(opt, val, 1, 1u << 30);
    } else if (strcmp(opt, "--body-temp-dir") == 0) {
        cfg->body_temp_dir = val;
    } else if (strcmp(opt, "--max-request-line") == 0) {
        cfg->max_request_line = (uint32_t)number(opt, val, 16, 1u << 30);
    } else if (strcmp(opt, "--max-field-line") == 0) {
        cfg->max_field_line = (uint32_t)number(opt, val, 16, 1u << 30);
    } else if (strcmp(opt, "--max-fields") == 0) {
        cfg->max_fields = (uint32_t)number(opt, val, 1, 1u << 20);
    } else if (strcmp(opt, "--max-head") == 0) {
        cfg->max_head = (uint32_t)number(opt, val, 64, 1u << 30);
    } else if (strcmp(opt, "--server-name") == 0) {
        cfg->server_name = val;
    } else if (strcmp(opt, "--socket-mode") == 0) {
        char *end;
        unsigned long m = strtoul(val, &end, 8);
        if (val[0] < '0' || val[0] > '7' || *end != '\0' || m == 0 || m > 0777)
            bad("--socket-mode: '%s' is not an octal mode from 1 to 777", val);
        cfg->unix_mode = (unsigned)m;
    } else if (strcmp(opt, "--socket-owner") == 0) {
        owner(o, opt, val);
    } else if (strcmp(opt, "--access-log") == 0) {
        access_path = val;
    } else if (strcmp(opt, "--access-log-format") == 0) {
        if (strcmp(val, "clf") != 0 && strcmp(val, "json") != 0)
            bad("--access-log-format: '%s' is not clf or json", val);
        access_json = strcmp(val, "json") == 0;
    } else if (strcmp(opt, "--error-log") == 0) {
        error_path = val;
    } else if (strcmp(opt, "--log-level") == 0) {
        static const char *const lv[] = {"error", "warn", "info", "debug"};
        int found = -1;
        for (int i = 0; i < 4; i++)
            if (strcmp(val, lv[i]) == 0)
                found = i;
        if (found < 0)
            bad("--log-level: '%s' is not error, warn, info or debug", val);
        log_level = found;
    } else if (strcmp(opt, "--stats-path") == 0) {
        if (val[0] != '/')
            bad("--stats-path: '%s' does not start with '/'", val);
        stats_path = val;
    } else if (strcmp(opt, "--pid-file") == 0) {
        o->pid_file = val;
    } else if (strncmp(opt, "--tls-", 6) == 0) {
        tls_option(cfg, o, opt, val);
    } else {
        bad("unknown option '%s'", opt);
    }
}

static const char *const valued[] = {
    "--bind",           "--root",           "--threads",          "--max-threads",
    "--queue",          "--backlog",        "--max-conns",        "--timeout",
    "--read-timeout",   "--head-timeout",   "--body-timeout",     "--keepalive-timeout",
    "--min-body-rate",  "--min-body-rate-grace", "--body-buffer", "--body-temp-dir",
    "--min-send-rate",  "--min-send-rate-grace", "--resp-buffer",
    "--shutdown-timeout", "--keepalive-max", "--max-requests",     "--max-body",
    "--max-request-line", "--max-field-line", "--max-fields",     "--max-head",
    "--server-name",    "--socket-mode",    "--socket-owner",     "--access-log",
    "--access-log-format", "--error-log",   "--log-level",        "--pid-file",
    "--stats-path",     "--tls-cert",       "--tls-key",          "--tls-min-version",
    "--tls-max-version", "--tls-ciphers",   "--tls-curves",       "--tls-tickets",
    "--tls-client-auth", "--tls-client-ca", "--tls-sni",          "--tls-handshake-timeout",
};

static int takes_value(const char *opt)
{
    for (size_t i = 0; i < sizeof valued / sizeof valued[0]; i++)
        if (strcmp(opt, valued[i]) == 0)
            return 1;
    return 0;
}

/* A flag without a value: 1 if it was one. */
static int flag(ward_server_config *cfg, opts *o, const char *a)
{
    if (strcmp(a, "--echo") == 0)
        o->echo = 1;
    else if (strcmp(a, "--http10") == 0)
        cfg->http10 = 1;
    else if (strcmp(a, "--reuse-port") == 0)
        cfg->reuse_port = 1;
    else if (strcmp(a, "--proxy") == 0)
        cfg->proxy_mode = 1;
    else if (strcmp(a, "--strict") == 0)
        cfg->parse_flags &= ~(uint32_t)(WARD_PARSE_LENIENT_BARE_LF | WARD_PARSE_LENIENT_OBS_FOLD |
                                        WARD_PARSE_LENIENT_WS_BEFORE_COLON);
    else if (strcmp(a, "--lenient-bare-lf") == 0)
        cfg->parse_flags |= WARD_PARSE_LENIENT_BARE_LF;
    else if (strcmp(a, "--lenient-obs-fold") == 0)
        cfg->parse_flags |= WARD_PARSE_LENIENT_OBS_FOLD;
    else if (strcmp(a, "--lenient-ws-before-colon") == 0)
        cfg->parse_flags |= WARD_PARSE_LENIENT_WS_BEFORE_COLON;
    else if (strcmp(a, "--drop-underscore-headers") == 0 || strcmp(a, "--drop-underscore") == 0)
        cfg->parse_flags |= WARD_PARSE_DROP_UNDERSCORE;
    else if (strcmp(a, "--peercreds") == 0 || strcmp(a, "--peer-creds") == 0)
        cfg->peer_creds = cfg->peer_creds_resolve = 1;
    else if (strcmp(a, "--tls-no-alpn") == 0)
        o->tls.alpn = 0, o->tls_set = 1;
    else
        return 0;
    return 1;
}

static void parse_args(int argc, char **argv, ward_server_config *cfg, opts *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *eq;
        char name[64];

        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_text, stdout);
            exit(0);
        }
        if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
            printf("ward-serve %s\n", ward_version());
            exit(0);
        }
        if (flag(cfg, o, a))
            continue;
        eq = strchr(a, '=');
        if (strncmp(a, "--", 2) == 0 && eq != NULL && (size_t)(eq - a) < sizeof name) {
            snprintf(name, sizeof name, "%.*s", (int)(eq - a), a);
            if (!takes_value(name))
                bad("unknown option '%s'", name);
            option(cfg, o, name, eq + 1);
            continue;
        }
        if (!takes_value(a))
            bad(a[0] == '-' ? "unknown option '%s'" : "unexpected argument '%s'", a);
        if (i + 1 >= argc)
            bad("%s needs a value", a);
        option(cfg, o, a, argv[++i]);
    }
    if (o->echo && o->root != NULL)
        bad("--root and --echo exclude each other");
    if (cfg->max_threads != 0 && cfg->min_threads > cfg->max_threads)
        bad("--threads %u is above --max-threads %u", cfg->min_threads, cfg->max_threads);
    if (cfg->min_threads > 64 && cfg->max_threads == 0)
        cfg->max_threads = cfg->min_threads;
    if (o->tls_set && (o->tls.cert_file == NULL || o->tls.key_file == NULL))
        bad("TLS needs --tls-cert and --tls-key");
    if (o->tls.client_auth != WARD_TLS_CLIENT_NONE && o->tls.client_ca_file == NULL)
        bad("--tls-client-auth %s needs --tls-client-ca",
            o->tls.client_auth == WARD_TLS_CLIENT_REQUIRED ? "required" : "optional");
}

/* --- pid file ---------------------------------------------------------------- */

/* A live pid in it: refuse; a stale one: replace. 0 or -1 (said why). */
static int write_pid_file(const char *path)
{
    char buf[32];
    FILE *f = fopen(path, "re");
    long old = 0;
    int fd;

    if (f != NULL) {
        if (fgets(buf, sizeof buf, f) != NULL)
            old = strtol(buf, NULL, 10);
        fclose(f);
        if (old > 0 && old != getpid() && (kill((pid_t)old, 0) == 0 || errno == EPERM)) {
            elog("--pid-file %s: already running as pid %ld", path, old);
            return -1;
        }
        if (old > 0)
            elog("--pid-file %s: replacing the stale pid %ld", path, old);
    }
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) {
        elog("--pid-file %s: %s", path, strerror(errno));
        return -1;
    }
    snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
    if (write(fd, buf, strlen(buf)) != (ssize_t)strlen(buf)) {
        elog("--pid-file %s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    close(fd);
    return 0;
}

/* Remove the pid file if it still holds our pid. */
static void remove_pid_file(const char *path)
{
    char buf[32];
    FILE *f;

    if (path == NULL || (f = fopen(path, "re")) == NULL)
        return;
    if (fgets(buf, sizeof buf, f) != NULL && strtol(buf, NULL, 10) == (long)getpid())
        unlink(path);
    fclose(f);
}

/* --- systemd socket activation ------------------------------------------------- */

#define LISTEN_FDS_START 3

/* sd_listen_fds(3), done by hand: the descriptors are ours only when
 * LISTEN_PID is our pid; the variables are unset either way (children must
 * not take them). Returns the count (names[i]: LISTEN_FDNAMES' entry or
 * "unknown"), or -1 on a malformed LISTEN_FDS. */
static int activated(char names[][64], int cap)
{
    const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
    const char *fdnames = getenv("LISTEN_FDNAMES");
    char *end;
    long n = 0;

    if (pid != NULL && fds != NULL && strtol(pid, &end, 10) == (long)getpid() && *end == '\0') {
        errno = 0;
        n = strtol(fds, &end, 10);
        if (errno != 0 || *end != '\0' || fds[0] == '\0' || n < 0 || n > cap)
            n = -1;
    }
    for (long i = 0; i < n; i++) {
        const char *p = fdnames;
        size_t len;
        for (long k = 0; p != NULL && k < i; k++)
            p = strchr(p, ':') != NULL ? strchr(p, ':') + 1 : NULL;
        len = p == NULL ? 0 : strcspn(p, ":");
        if (len == 0 || len >= 64)
            snprintf(names[i], 64, "unknown");
        else
            snprintf(names[i], 64, "%.*s", (int)len, p);
        (void)fcntl((int)(LISTEN_FDS_START + i), F_SETFD, FD_CLOEXEC);
    }
    unsetenv("LISTEN_PID");
    unsetenv("LISTEN_FDS");
    unsetenv("LISTEN_FDNAMES");
    return (int)n;
}

/* --- servers ----------------------------------------------------------------- */

static pthread_t main_thread;

static void sum_stats(uint64_t cls[6], uint64_t reasons[WARD_STATUS_SLOTS])
{
    memset(cls, 0, 6 * sizeof *cls);
    memset(reasons, 0, WARD_STATUS_SLOTS * sizeof *reasons);
    for (int i = 0; i < nservers; i++) {
        ward_server_stats s;
        ward_server_stats_get(servers[i], &s, NULL, NULL);
        for (unsigned k = 0; k < 6; k++)
            cls[k] += s.status_class[k];
        for (unsigned k = 0; k < WARD_STATUS_SLOTS; k++)
            reasons[k] += s.parse_errors[k];
    }
}

static void print_stats(void)
{
    uint64_t cls[6], reasons[WARD_STATUS_SLOTS];
    char line[2048];
    size_t o = 0;

    for (int i = 0; i < nservers; i++) {
        ward_server_stats s;
        char addr[256] = "?";
        ward_server_stats_get(servers[i], &s, NULL, NULL);
        ward_server_address(servers[i], addr, sizeof addr);
        elog("stats %s: accepts %llu, accept errors %llu, 503 %llu, requests %llu, "
             "bytes in %llu, out %llu, threads %u (%u idle), queued %u, held %u, conns %u, "
             "run %.1f s",
             addr, (unsigned long long)s.accepts, (unsigned long long)s.accept_errors,
             (unsigned long long)s.rejected_503, (unsigned long long)s.requests,
             (unsigned long long)s.bytes_in, (unsigned long long)s.bytes_out, s.threads,
             s.threads_idle, s.queued, s.held, s.conns, (double)s.run_ns / 1e9);
    }
    sum_stats(cls, reasons);
    elog("stats: handled 1xx %llu, 2xx %llu, 3xx %llu, 4xx %llu, 5xx %llu",
         (unsigned long long)cls[1], (unsigned long long)cls[2], (unsigned long long)cls[3],
         (unsigned long long)cls[4], (unsigned long long)cls[5]);
    line[0] = '\0';
    for (unsigned k = 0; k < WARD_STATUS_SLOTS && o < sizeof line; k++)
        if (reasons[k] != 0)
            o += (size_t)snprintf(line + o, sizeof line - o, "%s%s %llu", o ? ", " : "",
                                  ward_status_str((ward_status)k), (unsigned long long)reasons[k]);
    elog("stats: errors by reason: %s", o ? line : "none");
}

static void *stopper(void *arg)
{
    (void)arg;
    for (int i = 0; i < nservers; i++)
        ward_server_stop(servers[i]);
    pthread_kill(main_thread, SIGUSR2); /* done */
    return NULL;
}

/* A second signal: no more waiting. Remove what we made, then exit. */
static void stop_now(const char *pid_file)
{
    for (int i = 0; i < nservers; i++) {
        char addr[4096];
        struct stat st;
        if (ward_server_address(servers[i], addr, sizeof addr) == 0 &&
            strncmp(addr, "unix:", 5) == 0 && lstat(addr + 5, &st) == 0 && S_ISSOCK(st.st_mode))
            unlink(addr + 5);
    }
    remove_pid_file(pid_file);
    elog("second signal, stopping at once");
    _exit(1);
}

static void set_owner(ward_server *srv, const opts *o)
{
    char addr[4096];

    if (o->have_owner && ward_server_address(srv, addr, sizeof addr) == 0 &&
        strncmp(addr, "unix:", 5) == 0 && chown(addr + 5, o->owner, o->group) != 0)
        elog("--socket-owner: %s: %s", addr + 5, strerror(errno));
}

static ward_tls *tls;

static void cleanup(ward_static *site, const char *pid_file)
{
    for (int i = 0; i < nservers; i++)
        ward_server_free(servers[i]);
    nservers = 0;
    ward_tls_destroy(tls); /* after the servers that used it */
    tls = NULL;
    for (int i = 0; i < MAX_BINDS; i++) {
        free(sni_buf[i]);
        sni_buf[i] = NULL;
    }
    ward_static_close(site);
    remove_pid_file(pid_file);
}

/* The soft descriptor limit up to the hard one, as servers do: the usual
 * soft 1024 is far below --max-conns' default, and the server would lower
 * max_conns to fit it. */
static void raise_nofile(void)
{
    struct rlimit rl;
    rlim_t want;

    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return;
    want = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > (1u << 20) ? (1u << 20) : rl.rlim_max;
    if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= want)
        return; /* raised, never lowered */
    rl.rlim_cur = want;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
        elog("raising RLIMIT_NOFILE to %llu: %s", (unsigned long long)rl.rlim_cur, strerror(errno));
}

int main(int argc, char **argv)
{
    ward_server_config cfg;
    ward_static site = {.rootfd = -1};
    opts o = {0};
    char err[256], shown[4096];
    sigset_t set;
    pthread_t stop_thread;
    int sig = 0, stopping = 0;

    char fdnames[MAX_BINDS][64];
    int nact;

    ward_server_config_init(&cfg);
    cfg.min_threads = 0; /* 0: the default; --threads sets it */
    cfg.max_threads = 0;
    ward_tls_config_init(&o.tls);
    parse_args(argc, argv, &cfg, &o);
    raise_nofile();
    cfg.log = server_log;
    nact = activated(fdnames, MAX_BINDS);
    if (nact < 0) {
        fprintf(stderr, "ward-serve: LISTEN_FDS: not a count from 0 to %d\n", MAX_BINDS);
        return 1;
    }
    if (nact + o.nbinds > MAX_BINDS) {
        fprintf(stderr, "ward-serve: more than %d sockets\n", MAX_BINDS);
        return 1;
    }
    if (o.nbinds == 0 && nact == 0)
        o.binds[o.nbinds++] = "127.0.0.1:8080";
    if (o.root == NULL)
        o.root = "site/";

    if (error_path != NULL && strcmp(error_path, "-") != 0 && (error_f = open_log(error_path)) == NULL) {
        fprintf(stderr, "ward-serve: --error-log %s: %s\n", error_path, strerror(errno));
        return 1;
    }
    if (access_path != NULL) {
        access_on = 1;
        if (strcmp(access_path, "-") != 0 && (access_f = open_log(access_path)) == NULL) {
            elog("--access-log %s: %s", access_path, strerror(errno));
            return 1;
        }
    }
    if (o.echo) {
        gateway = ward_gateway_echo;
    } else {
        if (ward_static_init(&site, o.root) != 0) {
            elog("--root %s: %s", o.root, strerror(errno));
            return 1;
        }
        gateway = ward_gateway_static;
        gateway_arg = &site;
    }
    cfg.handler = handle;
    if (access_on)
        cfg.on_response = access_server_line;
    if (o.tls_set) {
        char terr[512];
        tls = ward_tls_create(&o.tls, terr, sizeof terr);
        if (tls == NULL) {
            elog("TLS: %s", terr);
            cleanup(&site, NULL);
            return 1;
        }
        cfg.tls = ward_tls_adapter_of(tls);
    }

    /* Every thread inherits this mask; main takes the signals with sigwait. */
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    main_thread = pthread_self();

    for (int i = 0; i < o.nbinds; i++) {
        cfg.bind = o.binds[i];
        servers[nservers] = ward_server_create(&cfg, err, sizeof err);
        if (servers[nservers] == NULL) {
            elog("--bind %s: %s", o.binds[i], err);
            cleanup(&site, NULL);
            return 1;
        }
        set_owner(servers[nservers++], &o);
    }
    for (int i = 0; i < nact; i++) {
        char tmp[64];
        /* a placeholder socket, replaced at once by the inherited one */
        snprintf(tmp, sizeof tmp, "@ward-serve.%ld.%d", (long)getpid(), i);
        cfg.bind = tmp;
        servers[nservers] = ward_server_create(&cfg, err, sizeof err);
        if (servers[nservers] == NULL) {
            elog("socket activation: %s", err);
            cleanup(&site, NULL);
            return 1;
        }
        nservers++;
        if (ward_server_use_listener(servers[nservers - 1], LISTEN_FDS_START + i, err, sizeof err) != 0) {
            elog("socket activation (%s): %s", fdnames[i], err);
            cleanup(&site, NULL);
            return 1;
        }
    }
    if (o.pid_file != NULL && write_pid_file(o.pid_file) != 0) {
        cleanup(&site, NULL);
        return 1;
    }
    for (int i = 0; i < nservers; i++) {
        if (ward_server_start(servers[i]) != 0) {
            elog("cannot start the server");
            cleanup(&site, o.pid_file);
            return 1;
        }
    }
    for (int i = 0; i < nservers; i++) {
        if (ward_server_address(servers[i], shown, sizeof shown) != 0)
            snprintf(shown, sizeof shown, "%s", i < o.nbinds ? o.binds[i] : "?");
        if (i >= o.nbinds)
            elog("socket activation: '%s' is %s", fdnames[i - o.nbinds], shown);
        const char *scheme = shown[0] == 'u' || shown[0] == '@' ? "" : tls ? "https://" : "http://";
        if (o.echo)
            elog("%s: echo gateway on %s%s", ward_version(), scheme, shown);
        else
            elog("%s: serving %s on %s%s%s", ward_version(), o.root, scheme, shown,
                 shown[0] == 'u' || shown[0] == '@' ? "" : "/");
    }

    for (;;) {
        if (sigwait(&set, &sig) != 0)
            continue;
        if (sig == SIGHUP) {
            reopen_logs();
            elog("SIGHUP, logs reopened");
            if (tls != NULL) {
                char terr[512];
                if (ward_tls_reload(tls, terr, sizeof terr) == 0)
                    elog("SIGHUP, TLS certificates reloaded");
                else
                    elog("SIGHUP, TLS reload failed, the old certificates stay: %s", terr);
            }
        } else if (sig == SIGUSR1) {
            print_stats();
        } else if (sig == SIGUSR2) {
            if (stopping)
                break; /* the stopper is done */
        } else if (stopping) {
            stop_now(o.pid_file);
        } else {
            elog("%s, stopping (again to stop at once)", sig == SIGINT ? "SIGINT" : "SIGTERM");
            stopping = 1;
            if (pthread_create(&stop_thread, NULL, stopper, NULL) != 0)
                stop_now(o.pid_file);
        }
    }
    pthread_join(stop_thread, NULL);
    cleanup(&site, o.pid_file);
    elog("stopped");
    return 0;
}
