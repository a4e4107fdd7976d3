/* SPDX-License-Identifier: MIT */
/* hello_server.c - a minimal server with ward: one handler.
 *
 *   ./hello_server          serve on a free port until SIGINT/SIGTERM
 *   ./hello_server --self   serve, request /ward once itself, print the
 *                           answer and stop (what `ninja test` runs)
 */
#define _POSIX_C_SOURCE 200809L /* sigwait, pthread_sigmask, getaddrinfo */
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ward_server.h"

/* Called on a worker thread for each request. */
static int hello(void *arg, const ward_req *req, ward_resp *resp)
{
    char body[300];
    int n = snprintf(body, sizeof body, "hello from %.*s\n", (int)req->path.len,
                     (const char *)req->path.ptr);

    (void)arg;
    if (ward_resp_field(resp, "Content-Type", "text/plain; charset=utf-8") != 0)
        return -1;
    return ward_resp_write(resp, body, (size_t)n); /* Content-Length is computed */
}

/* One GET over a plain socket; prints the response's last line. */
static int get_once(unsigned port)
{
    static const char rq[] = "GET /ward HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    struct addrinfo hints, *ai;
    char svc[16], resp[1024];
    size_t got = 0;
    ssize_t n;
    int fd;

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    snprintf(svc, sizeof svc, "%u", port);
    if (getaddrinfo("127.0.0.1", svc, &hints, &ai) != 0)
        return -1;
    fd = socket(ai->ai_family, ai->ai_socktype, 0);
    if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen) != 0 ||
        write(fd, rq, sizeof rq - 1) != (ssize_t)(sizeof rq - 1)) {
        freeaddrinfo(ai);
        return -1;
    }
    freeaddrinfo(ai);
    while (got < sizeof resp - 1 && (n = read(fd, resp + got, sizeof resp - 1 - got)) > 0)
        got += (size_t)n;
    close(fd);
    resp[got] = '\0';
    printf("%s", strncmp(resp, "HTTP/1.1 200", 12) == 0 ? "200 " : "not 200 ");
    printf("%s", strstr(resp, "\r\n\r\n") ? strstr(resp, "\r\n\r\n") + 4 : "(no body)\n");
    return strncmp(resp, "HTTP/1.1 200", 12) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    ward_server_config cfg;
    ward_server *srv;
    char err[256], addr[128];
    sigset_t stop;
    int sig, rc = 0;

    ward_server_config_init(&cfg); /* the documented defaults */
    cfg.bind = "127.0.0.1:0";      /* port 0: a free port */
    cfg.handler = hello;

    /* The server's threads inherit this mask: the signals come to sigwait. */
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);

    srv = ward_server_create(&cfg, err, sizeof err);
    if (srv == NULL) {
        fprintf(stderr, "hello_server: %s\n", err);
        return 1;
    }
    if (ward_server_start(srv) != 0 || ward_server_address(srv, addr, sizeof addr) != 0) {
        ward_server_free(srv);
        return 1;
    }
    if (argc > 1 && strcmp(argv[1], "--self") == 0) {
        rc = get_once(ward_server_port(srv)) == 0 ? 0 : 1;
    } else {
        printf("listening on http://%s/\n", addr);
        fflush(stdout);
        sigwait(&stop, &sig);
    }
    ward_server_free(srv); /* graceful stop, then everything is released */
    return rc;
}
