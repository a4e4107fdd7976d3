/* ward_serve.c - ward-serve, the program: flags, signals, logs; the
 * server itself is server/ (ward_server.h).
 *
 * Gateways: --root DIR (default site/) serves the plain files directly
 * inside DIR; --echo answers every request with a JSON document of what
 * ward parsed (for auditors and differential testers).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* by path: the compile edge in build.ninja passes -Iparser only */
#include "ward_server.h"

#define WARD_SERVE_VERSION "0.1.0-dev"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: ward-serve [--bind ADDR] [--root DIR | --echo] [options]\n"
            "       ward-serve --help | --version\n"
            "\n"
            "  --bind ADDR          HOST:PORT, [V6]:PORT, unix:PATH or @NAME (abstract)\n"
            "                       (default 127.0.0.1:8080; port 0 picks a free port)\n"
            "  --root DIR           serve the plain files directly inside DIR; / is\n"
            "                       index.html (default site/)\n"
            "  --echo               answer every request with 200 and a JSON document of\n"
            "                       what ward parsed: method, target, version, fields,\n"
            "                       body length, body as base64\n"
            "  --threads N          minimum worker threads (10)\n"
            "  --max-threads N      maximum worker threads (64)\n"
            "  --queue N            ready connections waiting for a worker; beyond: 503 (256)\n"
            "  --timeout MS         per-read, whole-head and keep-alive idle timeouts (10000)\n"
            "  --max-body BYTES     request body limit (1048576)\n"
            "  --keepalive-max N    idle keep-alive connections held (1000)\n"
            "  --server-name NAME   the Server field (\"\" sends none)\n"
            "  --http10             speak HTTP/1.0\n"
            "  --reuse-port         SO_REUSEPORT\n"
            "  --drop-underscore    drop request fields whose name holds '_'\n"
            "  --peer-creds         pass UNIX-socket peer pid/uid/gid (and names) to the app\n"
            "  --help, --version\n");
}

static void log_line(void *arg, int level, const char *msg)
{
    static const char *const names[] = {"error", "warning", "info", "debug"};

    (void)arg;
    if (level <= WARD_LOG_WARN)
        fprintf(stderr, "ward-serve: %s: %s\n", names[level & 3], msg);
}

static int num(const char *s, unsigned long long *out)
{
    char *end;

    errno = 0;
    *out = strtoull(s, &end, 10);
    return (s[0] >= '0' && s[0] <= '9' && *end == '\0' && errno == 0) ? 0 : -1;
}

int main(int argc, char **argv)
{
    ward_server_config cfg;
    const char *root = "site/";
    int echo = 0, rootfd = -1, sig = 0;
    unsigned long long v;
    char err[256], shown[256];
    ward_server *srv;
    sigset_t set;

    ward_server_config_init(&cfg);
    cfg.log = log_line;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--version") == 0) {
            printf("ward-serve %s\n", WARD_SERVE_VERSION);
            return 0;
        } else if (strcmp(a, "--echo") == 0) {
            echo = 1;
        } else if (strcmp(a, "--http10") == 0) {
            cfg.http10 = 1;
        } else if (strcmp(a, "--reuse-port") == 0) {
            cfg.reuse_port = 1;
        } else if (strcmp(a, "--drop-underscore") == 0) {
            cfg.parse_flags |= WARD_PARSE_DROP_UNDERSCORE;
        } else if (strcmp(a, "--peer-creds") == 0) {
            cfg.peer_creds = cfg.peer_creds_resolve = 1;
        } else if (val != NULL && strcmp(a, "--bind") == 0) {
            cfg.bind = val, i++;
        } else if (val != NULL && strcmp(a, "--root") == 0) {
            root = val, i++;
        } else if (val != NULL && strcmp(a, "--server-name") == 0) {
            cfg.server_name = val, i++;
        } else if (val != NULL && num(val, &v) == 0 && v > 0 && v < 1000000000ull &&
                   (strcmp(a, "--threads") == 0 || strcmp(a, "--max-threads") == 0 ||
                    strcmp(a, "--queue") == 0 || strcmp(a, "--timeout") == 0 ||
                    strcmp(a, "--keepalive-max") == 0)) {
            unsigned u = (unsigned)v;
            i++;
            if (strcmp(a, "--threads") == 0)
                cfg.min_threads = u;
            else if (strcmp(a, "--max-threads") == 0)
                cfg.max_threads = u;
            else if (strcmp(a, "--queue") == 0)
                cfg.queue_size = u;
            else if (strcmp(a, "--keepalive-max") == 0)
                cfg.keepalive_max = u;
            else
                cfg.read_timeout_ms = cfg.head_timeout_ms = cfg.keepalive_timeout_ms = u;
        } else if (val != NULL && strcmp(a, "--max-body") == 0 && num(val, &v) == 0 && v > 0) {
            cfg.max_body = v, i++;
        } else {
            fprintf(stderr, "ward-serve: unknown or incomplete option '%s'\n", a);
            usage(stderr);
            return 2;
        }
    }
    if (echo) {
        cfg.handler = ward_gateway_echo;
    } else {
        rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (rootfd < 0) {
            fprintf(stderr, "ward-serve: --root %s: %s\n", root, strerror(errno));
            return 1;
        }
        cfg.handler = ward_gateway_files;
        cfg.handler_arg = &rootfd;
    }

    /* Every thread inherits this mask; main takes the signals with sigwait. */
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    srv = ward_server_create(&cfg, err, sizeof err);
    if (srv == NULL) {
        fprintf(stderr, "ward-serve: %s\n", err);
        if (rootfd >= 0)
            close(rootfd);
        return 1;
    }
    if (ward_server_address(srv, shown, sizeof shown) != 0)
        snprintf(shown, sizeof shown, "%s", cfg.bind);
    if (ward_server_start(srv) != 0) {
        ward_server_free(srv);
        if (rootfd >= 0)
            close(rootfd);
        return 1;
    }
    if (echo)
        fprintf(stderr, "ward-serve %s: echo gateway on %s%s\n", WARD_SERVE_VERSION,
                shown[0] == 'u' || shown[0] == '@' ? "" : "http://", shown);
    else
        fprintf(stderr, "ward-serve %s: serving %s on %s%s/\n", WARD_SERVE_VERSION, root,
                shown[0] == 'u' || shown[0] == '@' ? "" : "http://", shown);

    while (sigwait(&set, &sig) != 0)
        ;
    fprintf(stderr, "ward-serve: %s, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    ward_server_free(srv); /* graceful: in-flight responses finish */
    if (rootfd >= 0)
        close(rootfd);
    return 0;
}
