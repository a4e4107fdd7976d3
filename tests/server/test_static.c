/* SPDX-License-Identifier: MIT */
/* test_static.c - ward-serve, the real binary (build/ward-serve, or
 * $WARD_SERVE): the static site gateway's rules, the command line, signals
 * and logs. Each test makes a temporary root, starts the binary on port 0,
 * waits for its listening line on stderr (poll with a deadline), and talks
 * raw HTTP to it. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

typedef struct ws {
    pid_t pid;
    int errfd;         /* the child's stderr */
    unsigned port;
    char dir[64];      /* the temporary directory: root/ and out/ in it */
    char root[96];
    char err[8192];    /* stderr read so far */
    size_t err_len;
} ws;

static long ms_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static const char *binary(void)
{
    const char *b = getenv("WARD_SERVE");
#if defined(__SANITIZE_ADDRESS__)
    const char *built = "build/asan/ward-serve"; /* the sanitised builds test their own */
#elif defined(__SANITIZE_THREAD__)
    const char *built = "build/tsan/ward-serve";
#else
    const char *built = "build/ward-serve";
#endif
    return b != NULL ? b : built;
}

static void put_file(const char *dir, const char *name, const void *data, size_t len)
{
    char path[256];
    int fd;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    cr_assert(fd >= 0, "open %s: %s", path, strerror(errno));
    cr_assert_eq(write(fd, data, len), (ssize_t)len);
    close(fd);
}

static void put_dir(const char *dir, const char *name)
{
    char path[256];

    snprintf(path, sizeof path, "%s/%s", dir, name);
    cr_assert_eq(mkdir(path, 0755), 0, "mkdir %s", path);
}

static void put_link(const char *dir, const char *name, const char *target)
{
    char path[256];

    snprintf(path, sizeof path, "%s/%s", dir, name);
    cr_assert_eq(symlink(target, path), 0, "symlink %s", path);
}

/* root/: index.html, ten.txt, style.css, pic.png, blob.xyz, .hidden,
 * sub/index.html, empty/, big.bin (300 KB), inlink -> ten.txt,
 * leak -> ../out/secret.txt, outdir -> ../out; out/secret.txt. */
static void make_tree(ws *w)
{
    static char big[300000];

    snprintf(w->dir, sizeof w->dir, "/tmp/ward-static-XXXXXX");
    cr_assert_not_null(mkdtemp(w->dir));
    snprintf(w->root, sizeof w->root, "%s/root", w->dir);
    put_dir(w->dir, "root");
    put_dir(w->dir, "out");
    put_file(w->dir, "out/secret.txt", "secret\n", 7);
    put_file(w->root, "index.html", "<p>hello</p>\n", 13);
    put_file(w->root, "ten.txt", "0123456789", 10);
    put_file(w->root, "style.css", "p{}\n", 4);
    put_file(w->root, "pic.png", "\x89PNG", 4);
    put_file(w->root, "blob.xyz", "blob", 4);
    put_file(w->root, ".hidden", "hidden", 6);
    put_dir(w->root, "sub");
    put_file(w->root, "sub/index.html", "sub\n", 4);
    put_dir(w->root, "empty");
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (char)('a' + i % 26);
    put_file(w->root, "big.bin", big, sizeof big);
    put_link(w->root, "inlink", "ten.txt");
    put_link(w->root, "leak", "../out/secret.txt");
    put_link(w->root, "outdir", "../out");
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static void rm_tree(ws *w)
{
    if (w->dir[0] != '\0')
        nftw(w->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Read the child's stderr until `want` appears or the deadline; 0 when found. */
static int err_wait(ws *w, const char *want, int timeout_ms)
{
    long deadline = ms_now() + timeout_ms;

    for (;;) {
        struct pollfd p = {.fd = w->errfd, .events = POLLIN};
        long left = deadline - ms_now();
        ssize_t n;

        w->err[w->err_len] = '\0';
        if (strstr(w->err, want) != NULL)
            return 0;
        if (poll(&p, 1, left > 0 ? (int)left : 0) <= 0)
            return -1;
        n = read(w->errfd, w->err + w->err_len, sizeof w->err - 1 - w->err_len);
        if (n <= 0)
            return strstr(w->err, want) != NULL ? 0 : -1;
        w->err_len += (size_t)n;
    }
}

/* Start the binary with argv[1..] = args (NULL-terminated). */
static void spawn(ws *w, const char *const *args)
{
    const char *argv[64];
    int pe[2], n = 0;

    argv[n++] = binary();
    for (; *args != NULL && n < 62; args++)
        argv[n++] = *args;
    argv[n] = NULL;
    cr_assert_eq(pipe2(pe, O_CLOEXEC), 0);
    w->pid = fork();
    cr_assert(w->pid >= 0);
    if (w->pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* a failed test must not leave it running */
        dup2(pe[1], 2);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(pe[1]);
    w->errfd = pe[0];
}

/* Start serving the tree with extra flags; waits for the listening line. */
static void start(ws *w, const char *const *extra)
{
    const char *args[48] = {"--bind", "127.0.0.1:0", "--threads", "2", "--root", w->root};
    const char *p;
    int n = 6;

    for (; extra != NULL && *extra != NULL && n < 46; extra++)
        args[n++] = *extra;
    args[n] = NULL;
    spawn(w, args);
    cr_assert_eq(err_wait(w, "http://127.0.0.1:", T_DEADLINE_MS), 0, "no listening line: %s",
                 w->err);
    p = strstr(w->err, "http://127.0.0.1:");
    w->port = (unsigned)atoi(p + strlen("http://127.0.0.1:"));
    cr_assert_gt(w->port, 0);
}

/* The exit status of the child (waits up to the deadline); -1 if it did
 * not exit (it is then killed). */
static int reap(ws *w)
{
    long deadline = ms_now() + T_DEADLINE_MS;
    int st;

    for (;;) {
        pid_t r = waitpid(w->pid, &st, WNOHANG);
        if (r == w->pid)
            break;
        if (ms_now() > deadline) {
            kill(w->pid, SIGKILL);
            waitpid(w->pid, &st, 0);
            return -1;
        }
        /* wait for stderr to change or close, a bounded wait, not a sleep */
        err_wait(w, "\x01never", 20);
    }
    err_wait(w, "\x01never", 0);
    close(w->errfd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void stop(ws *w)
{
    kill(w->pid, SIGTERM);
    cr_expect_eq(reap(w), 0, "stderr: %s", w->err);
    rm_tree(w);
}

/* One request on a new connection; r is filled. */
static void get(ws *w, const char *req, tresp *r, int head)
{
    tconn *c = tc_open(w->port);

    tc_sends(c, req);
    cr_assert_eq(tc_response(c, r, head), 0, "no response to %s", req);
    tc_close(c);
}

static void expect_status(ws *w, const char *path, int status)
{
    char req[512];
    tresp r;

    snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", path);
    get(w, req, &r, 0);
    cr_expect_eq(r.status, status, "GET %s: %d, not %d", path, r.status, status);
    tr_free(&r);
}

static const char *field(const tresp *r, const char *name)
{
    static char v[512];
    return tr_field(r, name, v, sizeof v);
}

Test(static_site, get_index_and_files)
{
    ws w = {0};
    tresp r;
    char len[32];

    make_tree(&w);
    start(&w, NULL);
    get(&w, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", &r, 0);
    cr_expect_eq(r.status, 200);
    cr_expect_str_eq((char *)r.body, "<p>hello</p>\n");
    cr_expect_str_eq(field(&r, "Content-Type"), "text/html; charset=utf-8");
    cr_expect_str_eq(field(&r, "Content-Length"), "13");
    cr_expect_str_eq(field(&r, "X-Content-Type-Options"), "nosniff");
    cr_expect_str_eq(field(&r, "Accept-Ranges"), "bytes");
    cr_expect_neq(field(&r, "ETag")[0], '\0');
    cr_expect_neq(field(&r, "Last-Modified")[0], '\0');
    tr_free(&r);
    get(&w, "GET /ten.txt?q=1 HTTP/1.1\r\nHost: x\r\n\r\n", &r, 0);
    cr_expect_eq(r.status, 200);
    cr_expect_str_eq((char *)r.body, "0123456789");
    cr_expect_str_eq(field(&r, "Content-Type"), "text/plain; charset=utf-8");
    tr_free(&r);
    /* a big file: sendfile past the server's buffer */
    get(&w, "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n", &r, 0);
    cr_expect_eq(r.status, 200);
    snprintf(len, sizeof len, "%s", field(&r, "Content-Length"));
    cr_expect_str_eq(len, "300000");
    cr_expect_eq(r.body_len, 300000u);
    cr_expect(r.body_len == 300000 && r.body[0] == 'a' && r.body[299999] == (char)('a' + 299999 % 26));
    tr_free(&r);
    stop(&w);
}

Test(static_site, mime_types)
{
    ws w = {0};
    tresp r;

    make_tree(&w);
    start(&w, NULL);
    get(&w, "GET /style.css HTTP/1.1\r\nHost: x\r\n\r\n", &r, 0);
    cr_expect_str_eq(field(&r, "Content-Type"), "text/css; charset=utf-8");
    tr_free(&r);
    get(&w, "GET /pic.png HTTP/1.1\r\nHost: x\r\n\r\n", &r, 0);
    cr_expect_str_eq(field(&r, "Content-Type"), "image/png");
    tr_free(&r);
    get(&w, "GET /blob.xyz HTTP/1.1\r\nHost: x\r\n\r\n", &r, 0);
    cr_expect_str_eq(field(&r, "Content-Type"), "application/octet-stream");
    tr_free(&r);
    stop(&w);
}

Test(static_site, head_has_no_body)
{
    ws w = {0};
    tconn *c;
    tresp r;

    make_tree(&w);
    start(&w, NULL);
    c = tc_open(w.port);
    /* HEAD then GET on one connection: the second response must start right
     * after the first head, so no body bytes followed it */
    tc_sends(c, "HEAD /ten.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /ten.txt HTTP/1.1\r\nHost: x\r\n\r\n");
    cr_assert_eq(tc_response(c, &r, 1), 0);
    cr_expect_eq(r.status, 200);
    cr_expect_str_eq(field(&r, "Content-Length"), "10");
    tr_free(&r);
    cr_assert_eq(tc_response(c, &r, 0), 0);
    cr_expect_eq(r.status, 200);
    cr_expect_str_eq((char *)r.body, "0123456789");
    tr_free(&r);
    tc_close(c);
    stop(&w);
}

Test(static_site, traversal_refused)
{
    static const char *const bad[] = {
        "/../out/secret.txt",      "/%2e%2e/out/secret.txt", "/%2E%2E/out/secret.txt",
        "/.%2e/out/secret.txt",    "/sub/../../out/secret.txt", "/sub/%2e%2e/%2e%2e/out/secret.txt",
        "/..%2fout/secret.txt",    "/sub%2f..%2f..%2fout%2fsecret.txt", "/ten.txt%00.html",
        "/%00",                    "/%zz",                    "/ten%2",
        "/..%5c..%5cout%5csecret.txt", "/%252e%252e/out/secret.txt",
    };
    ws w = {0};

    make_tree(&w);
    start(&w, NULL);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char req[512];
        tresp r;

        snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", bad[i]);
        get(&w, req, &r, 0);
        cr_expect(r.status == 400 || r.status == 404, "GET %s: %d", bad[i], r.status);
        cr_expect(strstr((char *)r.body, "secret") == NULL, "GET %s leaked", bad[i]);
        tr_free(&r);
    }
    /* decoding once: %252e is "%2e" literally, a missing file */
    expect_status(&w, "/%252e%252e/out/secret.txt", 404);
    expect_status(&w, "/../out/secret.txt", 400);
    expect_status(&w, "/a%2fb", 400);
    expect_status(&w, "/a%00b", 400);
    /* staying inside: fine */
    expect_status(&w, "/sub/../ten.txt", 200);
    expect_status(&w, "/./ten.txt", 200);
    expect_status(&w, "//ten.txt", 200);
    expect_status(&w, "/%74en.txt", 200);
    /* dot files */
    expect_status(&w, "/.hidden", 404);
    expect_status(&w, "/%2ehidden", 404);
    stop(&w);
}

Test(static_site, symlinks)
{
    ws w = {0};
    tresp r;

    make_tree(&w);
    start(&w, NULL);
    expect_status(&w, "/leak", 403);
    expect_status(&w, "/outdir/secret.txt", 403);
    expect_status(&w, "/outdir/", 403);
    get(&w, "GET /inlink HTTP/1.1\r\nHost: x\r\n\r\n", &r, 0);
    cr_expect_eq(r.status, 200);
    cr_expect_str_eq((char *)r.body, "0123456789");
    tr_free(&r);
    stop(&w);
}

Test(static_site, directories)
{
    ws w = {0};
    tresp r;

    make_tree(&w);
    start(&w, NULL);
    get(&w, "GET /sub HTTP/1.1\r\nHost: x\r\n\r\n", &r, 0);
    cr_expect_eq(r.status, 301);
    cr_expect_str_eq(field(&r, "Location"), "/sub/");
    tr_free(&r);
    get(&w, "GET /sub?a=1 HTTP/1.1\r\nHost: x\r\n\r\n", &r, 0);
    cr_expect_eq(r.status, 301);
    cr_expect_str_eq(field(&r, "Location"), "/sub/?a=1");
    tr_free(&r);
    /* no open redirect: "//host" collapses */
    get(&w, "GET //sub HTTP/1.1\r\nHost: x\r\n\r\n", &r, 0);
    cr_expect_eq(r.status, 301);
    cr_expect_str_eq(field(&r, "Location"), "/sub/");
    tr_free(&r);
    get(&w, "GET /sub/ HTTP/1.1\r\nHost: x\r\n\r\n", &r, 0);
    cr_expect_eq(r.status, 200);
    cr_expect_str_eq((char *)r.body, "sub\n");
    cr_expect_str_eq(field(&r, "Content-Type"), "text/html; charset=utf-8");
    tr_free(&r);
    expect_status(&w, "/empty/", 403);
    expect_status(&w, "/ten.txt/", 404);
    expect_status(&w, "/nope", 404);
    expect_status(&w, "/nope/deeper", 404);
    expect_status(&w, "/ten.txt/x", 404);
    stop(&w);
}

Test(static_site, methods)
{
    ws w = {0};
    tresp r;

    make_tree(&w);
    start(&w, NULL);
    get(&w, "POST /ten.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi", &r, 0);
    cr_expect_eq(r.status, 405);
    cr_expect_str_eq(field(&r, "Allow"), "GET, HEAD");
    tr_free(&r);
    get(&w, "DELETE / HTTP/1.1\r\nHost: x\r\n\r\n", &r, 0);
    cr_expect_eq(r.status, 405);
    cr_expect_str_eq(field(&r, "Allow"), "GET, HEAD");
    tr_free(&r);
    stop(&w);
}

Test(static_site, conditional)
{
    ws w = {0};
    tresp r;
    char etag[128], lm[64], req[512];

    make_tree(&w);
    start(&w, NULL);
    get(&w, "GET /ten.txt HTTP/1.1\r\nHost: x\r\n\r\n", &r, 0);
    snprintf(etag, sizeof etag, "%s", field(&r, "ETag"));
    snprintf(lm, sizeof lm, "%s", field(&r, "Last-Modified"));
    tr_free(&r);
    cr_assert(etag[0] == '"' && lm[0] != '\0');

    snprintf(req, sizeof req, "GET /ten.txt HTTP/1.1\r\nHost: x\r\nIf-None-Match: %s\r\n\r\n", etag);
    get(&w, req, &r, 0);
    cr_expect_eq(r.status, 304);
    cr_expect_str_eq(field(&r, "ETag"), etag);
    cr_expect_str_eq(field(&r, "Content-Length"), "");
    tr_free(&r);
    snprintf(req, sizeof req,
             "GET /ten.txt HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"zz\", W/%s\r\n\r\n", etag);
    get(&w, req, &r, 0);
    cr_expect_eq(r.status, 304);
    tr_free(&r);
    get(&w, "GET /ten.txt HTTP/1.1\r\nHost: x\r\nIf-None-Match: *\r\n\r\n", &r, 0);
    cr_expect_eq(r.status, 304);
    tr_free(&r);
    get(&w, "GET /ten.txt HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"other\"\r\n\r\n", &r, 0);
    cr_expect_eq(r.status, 200);
    cr_expect_str_eq((char *)r.body, "0123456789");
    tr_free(&r);

    snprintf(req, sizeof req, "GET /ten.txt HTTP/1.1\r\nHost: x\r\nIf-Modified-Since: %s\r\n\r\n", lm);
    get(&w, req, &r, 0);
    cr_expect_eq(r.status, 304);
    tr_free(&r);
    get(&w, "GET /ten.txt HTTP/1.1\r\nHost: x\r\nIf-Modified-Since: Thu, 01 Jan 1998 00:00:00 GMT\r\n\r\n",
        &r, 0);
    cr_expect_eq(r.status, 200);
    tr_free(&r);
    get(&w, "GET /ten.txt HTTP/1.1\r\nHost: x\r\nIf-Modified-Since: yesterday\r\n\r\n", &r, 0);
    cr_expect_eq(r.status, 200);
    tr_free(&r);
    /* If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2) */
    snprintf(req, sizeof req,
             "GET /ten.txt HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"other\"\r\nIf-Modified-Since: %s\r\n\r\n",
             lm);
    get(&w, req, &r, 0);
    cr_expect_eq(r.status, 200);
    tr_free(&r);
    /* HEAD too */
    snprintf(req, sizeof req, "HEAD /ten.txt HTTP/1.1\r\nHost: x\r\nIf-None-Match: %s\r\n\r\n", etag);
    get(&w, req, &r, 1);
    cr_expect_eq(r.status, 304);
    tr_free(&r);
    stop(&w);
}

static void range(ws *w, const char *spec, int status, const char *body, const char *cr)
{
    char req[512];
    tresp r;

    snprintf(req, sizeof req, "GET /ten.txt HTTP/1.1\r\nHost: x\r\nRange: %s\r\n\r\n", spec);
    get(w, req, &r, 0);
    cr_expect_eq(r.status, status, "Range: %s -> %d", spec, r.status);
    if (body != NULL)
        cr_expect_str_eq((char *)r.body, body, "Range: %s", spec);
    cr_expect_str_eq(field(&r, "Content-Range"), cr, "Range: %s", spec);
    tr_free(&r);
}

Test(static_site, ranges)
{
    ws w = {0};
    tresp r;
    char req[512];

    make_tree(&w);
    start(&w, NULL);
    range(&w, "bytes=2-4", 206, "234", "bytes 2-4/10");
    range(&w, "bytes=7-", 206, "789", "bytes 7-9/10");
    range(&w, "bytes=-3", 206, "789", "bytes 7-9/10");
    range(&w, "bytes=-20", 206, "0123456789", "bytes 0-9/10");
    range(&w, "bytes=5-100", 206, "56789", "bytes 5-9/10");
    range(&w, "bytes=9-9", 206, "9", "bytes 9-9/10");
    range(&w, "bytes=10-", 416, NULL, "bytes */10");
    range(&w, "bytes=-0", 416, NULL, "bytes */10");
    range(&w, "bytes=0-1,3-4", 200, "0123456789", "");
    range(&w, "bytes=x-y", 200, "0123456789", "");
    range(&w, "bytes=4-2", 200, "0123456789", "");
    range(&w, "items=0-1", 200, "0123456789", "");
    /* HEAD ignores Range (RFC 9110 §14.2: defined for GET only) */
    get(&w, "HEAD /ten.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=2-4\r\n\r\n", &r, 1);
    cr_expect_eq(r.status, 200);
    cr_expect_str_eq(field(&r, "Content-Length"), "10");
    tr_free(&r);
    /* If-Range: a stale validator gets the whole file */
    get(&w, "GET /ten.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=2-4\r\nIf-Range: \"old\"\r\n\r\n", &r,
        0);
    cr_expect_eq(r.status, 200);
    cr_expect_str_eq((char *)r.body, "0123456789");
    tr_free(&r);
    get(&w, "GET /ten.txt HTTP/1.1\r\nHost: x\r\n\r\n", &r, 0);
    snprintf(req, sizeof req, "GET /ten.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=2-4\r\nIf-Range: %s\r\n\r\n",
             field(&r, "ETag"));
    tr_free(&r);
    get(&w, req, &r, 0);
    cr_expect_eq(r.status, 206);
    cr_expect_str_eq((char *)r.body, "234");
    tr_free(&r);
    /* a range in a big file goes through sendfile */
    get(&w, "GET /big.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=100000-299999\r\n\r\n", &r, 0);
    cr_expect_eq(r.status, 206);
    cr_expect_eq(r.body_len, 200000u);
    cr_expect(r.body_len > 0 && r.body[0] == (char)('a' + 100000 % 26));
    tr_free(&r);
    stop(&w);
}

/* --- the command line, signals, logs -------------------------------------------- */

/* Run the binary to its end; its exit status, stdout in out. */
static int run(const char *const *args, char *out, size_t cap, ws *w)
{
    int po[2], st;
    size_t n = 0;
    const char *argv[32];
    int k = 0;

    argv[k++] = binary();
    for (; *args != NULL && k < 30; args++)
        argv[k++] = *args;
    argv[k] = NULL;
    cr_assert_eq(pipe2(po, O_CLOEXEC), 0);
    {
        int pe[2];
        cr_assert_eq(pipe2(pe, O_CLOEXEC), 0);
        w->pid = fork();
        cr_assert(w->pid >= 0);
        if (w->pid == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            dup2(po[1], 1);
            dup2(pe[1], 2);
            execv(argv[0], (char *const *)argv);
            _exit(127);
        }
        close(pe[1]);
        w->errfd = pe[0];
    }
    close(po[1]);
    for (;;) {
        struct pollfd p = {.fd = po[0], .events = POLLIN};
        ssize_t got;
        if (poll(&p, 1, T_DEADLINE_MS) <= 0)
            break;
        got = read(po[0], out + n, cap - 1 - n);
        if (got <= 0)
            break;
        n += (size_t)got;
    }
    out[n] = '\0';
    close(po[0]);
    st = reap(w);
    return st;
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s != '\0'; s++)
        n += *s == '\n';
    return n;
}

Test(cli, help_and_version)
{
    static char out[65536];
    ws w = {0};

    cr_expect_eq(run((const char *const[]){"--help", NULL}, out, sizeof out, &w), 0);
    cr_expect(strncmp(out, "usage: ward-serve", 17) == 0, "%s", out);
    cr_expect(strstr(out, "--access-log") != NULL && strstr(out, "--pid-file") != NULL);
    cr_expect_eq(w.err_len, 0u, "stderr: %s", w.err);
    memset(&w, 0, sizeof w);
    cr_expect_eq(run((const char *const[]){"--version", NULL}, out, sizeof out, &w), 0);
    cr_expect_str_eq(out, "ward-serve " WARD_VERSION "\n"); /* the one version, ward_parse.h */
}

Test(cli, bad_flags_exit_2_with_one_line)
{
    static const char *const cases[][4] = {
        {"--bogus", NULL},
        {"--threads", "abc", NULL},
        {"--threads", "0", NULL},
        {"--threads", "8:2", NULL},
        {"--threads", NULL},
        {"--bind", NULL},
        {"--timeout", "-5", NULL},
        {"--max-body", "12x", NULL},
        {"--max-body", "99999999999999999999999", NULL},
        {"--socket-mode", "999", NULL},
        {"--access-log-format", "xml", NULL},
        {"--log-level", "loud", NULL},
        {"--echo", "--root", "/tmp", NULL},
        {"stray", NULL},
        {"--http10=yes", NULL},
        {"--threads=", NULL},
    };
    static char out[4096];

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ws w = {0};
        int st = run(cases[i], out, sizeof out, &w);
        cr_expect_eq(st, 2, "%s: exit %d", cases[i][0], st);
        cr_expect_eq(count_lines(w.err), 1, "%s: stderr: %s", cases[i][0], w.err);
        cr_expect(strncmp(w.err, "ward-serve: ", 12) == 0, "%s", w.err);
        cr_expect_eq(out[0], '\0');
    }
}

Test(cli, cannot_start_exit_1)
{
    static char out[4096];
    ws w = {0};

    cr_expect_eq(run((const char *const[]){"--root", "/nonexistent/ward", "--bind", "127.0.0.1:0", NULL},
                     out, sizeof out, &w),
                 1);
    cr_expect(strstr(w.err, "/nonexistent/ward") != NULL, "%s", w.err);
    memset(&w, 0, sizeof w);
    cr_expect_eq(run((const char *const[]){"--echo", "--bind", "256.1.1.1:80", NULL}, out, sizeof out, &w),
                 1);
    cr_expect_eq(count_lines(w.err), 1, "%s", w.err);
}

Test(cli, equals_form_and_echo)
{
    ws w = {0};
    tresp r;

    make_tree(&w);
    start(&w, (const char *const[]){"--threads=2:4", "--server-name=test-srv", NULL});
    get(&w, "GET /ten.txt HTTP/1.1\r\nHost: x\r\n\r\n", &r, 0);
    cr_expect_str_eq(field(&r, "Server"), "test-srv");
    tr_free(&r);
    stop(&w);
}

Test(signals, sigterm_and_sigint_graceful)
{
    int sigs[] = {SIGTERM, SIGINT};

    for (int i = 0; i < 2; i++) {
        ws w = {0};
        make_tree(&w);
        start(&w, NULL);
        expect_status(&w, "/", 200);
        kill(w.pid, sigs[i]);
        cr_expect_eq(reap(&w), 0, "%s", w.err);
        cr_expect(strstr(w.err, "stopping") != NULL && strstr(w.err, "stopped") != NULL, "%s", w.err);
        rm_tree(&w);
    }
}

Test(signals, second_signal_stops_at_once)
{
    ws w = {0};
    char path[256], pid_file[256];
    tconn *c;
    int fd;

    make_tree(&w);
    /* a response the client does not read: its worker stays in flight */
    snprintf(path, sizeof path, "%s/huge.bin", w.root);
    fd = open(path, O_WRONLY | O_CREAT, 0644);
    cr_assert(fd >= 0);
    cr_assert_eq(ftruncate(fd, 256 << 20), 0);
    close(fd);
    snprintf(pid_file, sizeof pid_file, "%s/ward.pid", w.dir);
    start(&w, (const char *const[]){"--shutdown-timeout", "60000", "--pid-file", pid_file, NULL});
    c = tc_open(w.port);
    tc_sends(c, "GET /huge.bin HTTP/1.1\r\nHost: x\r\n\r\n");
    cr_assert_gt(tc_fill(c, T_DEADLINE_MS), 0); /* the head came: in flight */
    kill(w.pid, SIGTERM);
    cr_assert_eq(err_wait(&w, "stopping", T_DEADLINE_MS), 0, "%s", w.err);
    kill(w.pid, SIGTERM);
    cr_expect_eq(reap(&w), 1, "%s", w.err);
    cr_expect(strstr(w.err, "at once") != NULL, "%s", w.err);
    cr_expect_neq(access(pid_file, F_OK), 0, "the pid file stayed");
    tc_close(c);
    rm_tree(&w);
}

static void read_file(const char *path, char *out, size_t cap)
{
    int fd = open(path, O_RDONLY);
    ssize_t n = fd < 0 ? 0 : read(fd, out, cap - 1);

    out[n > 0 ? n : 0] = '\0';
    if (fd >= 0)
        close(fd);
}

Test(process, pid_file)
{
    ws w = {0};
    char pid_file[256], buf[64], expect[64];
    pid_t dead;
    int fd;

    make_tree(&w);
    snprintf(pid_file, sizeof pid_file, "%s/ward.pid", w.dir);
    /* a stale pid file: a pid that was reaped */
    dead = fork();
    if (dead == 0)
        _exit(0);
    waitpid(dead, NULL, 0);
    fd = open(pid_file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    snprintf(buf, sizeof buf, "%ld\n", (long)dead);
    cr_assert_eq(write(fd, buf, strlen(buf)), (ssize_t)strlen(buf));
    close(fd);
    start(&w, (const char *const[]){"--pid-file", pid_file, NULL});
    read_file(pid_file, buf, sizeof buf);
    snprintf(expect, sizeof expect, "%ld\n", (long)w.pid);
    cr_expect_str_eq(buf, expect);
    cr_expect(strstr(w.err, "stale") != NULL, "%s", w.err);
    kill(w.pid, SIGTERM);
    cr_expect_eq(reap(&w), 0, "%s", w.err);
    cr_expect_neq(access(pid_file, F_OK), 0, "the pid file stayed");
    rm_tree(&w);
}

Test(process, live_pid_file_refused)
{
    static char out[4096];
    ws w = {0};
    char pid_file[256], buf[64];
    int fd;

    make_tree(&w);
    snprintf(pid_file, sizeof pid_file, "%s/ward.pid", w.dir);
    fd = open(pid_file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    snprintf(buf, sizeof buf, "%ld\n", (long)getpid()); /* this test is alive */
    cr_assert_eq(write(fd, buf, strlen(buf)), (ssize_t)strlen(buf));
    close(fd);
    cr_expect_eq(run((const char *const[]){"--bind", "127.0.0.1:0", "--root", w.root, "--pid-file",
                                           pid_file, NULL},
                     out, sizeof out, &w),
                 1);
    cr_expect(strstr(w.err, "already running") != NULL, "%s", w.err);
    read_file(pid_file, out, sizeof out);
    cr_expect_str_eq(out, buf);
    rm_tree(&w);
}

Test(logs, access_log_clf_json_and_reopen)
{
    ws w = {0};
    char log[256], moved[256];
    static char text[8192];
    tresp r;

    make_tree(&w);
    snprintf(log, sizeof log, "%s/access.log", w.dir);
    snprintf(moved, sizeof moved, "%s/access.log.1", w.dir);
    start(&w, (const char *const[]){"--access-log", log, NULL});
    get(&w, "GET /ten.txt?a=b HTTP/1.1\r\nHost: x\r\n\r\n", &r, 0);
    tr_free(&r);
    expect_status(&w, "/nope", 404);
    /* SIGHUP: the log moved away is written anew */
    cr_assert_eq(rename(log, moved), 0);
    kill(w.pid, SIGHUP);
    cr_assert_eq(err_wait(&w, "reopened", T_DEADLINE_MS), 0, "%s", w.err);
    expect_status(&w, "/sub", 301);
    kill(w.pid, SIGTERM);
    cr_expect_eq(reap(&w), 0, "%s", w.err); /* every worker joined: the lines are written */
    read_file(moved, text, sizeof text);
    cr_expect_eq(count_lines(text), 2, "%s", text);
    cr_expect(strncmp(text, "127.0.0.1 - - [", 15) == 0, "%s", text);
    cr_expect(strstr(text, "] \"GET /ten.txt?a=b HTTP/1.1\" 200 10\n") != NULL, "%s", text);
    cr_expect(strstr(text, "\"GET /nope HTTP/1.1\" 404 10\n") != NULL, "%s", text);
    read_file(log, text, sizeof text);
    cr_expect_eq(count_lines(text), 1, "%s", text);
    cr_expect(strstr(text, "\"GET /sub HTTP/1.1\" 301 6\n") != NULL, "%s", text);
    rm_tree(&w);

    memset(&w, 0, sizeof w);
    make_tree(&w);
    snprintf(log, sizeof log, "%s/access.json", w.dir);
    start(&w, (const char *const[]){"--access-log", log, "--access-log-format", "json", NULL});
    get(&w, "HEAD /ten.txt HTTP/1.1\r\nHost: x\r\nUser-Agent: t\"1\r\n\r\n", &r, 1);
    tr_free(&r);
    kill(w.pid, SIGTERM);
    cr_expect_eq(reap(&w), 0, "%s", w.err);
    read_file(log, text, sizeof text);
    cr_expect(strstr(text, "\"remote\":\"127.0.0.1\",\"user\":\"-\",\"method\":\"HEAD\","
                           "\"target\":\"/ten.txt\",\"version\":\"HTTP/1.1\",\"status\":200,"
                           "\"bytes\":0,\"user_agent\":\"t\\u00221\"}\n") != NULL,
              "%s", text);
    rm_tree(&w);
}

Test(logs, stats_on_sigusr1)
{
    ws w = {0};

    make_tree(&w);
    start(&w, NULL);
    expect_status(&w, "/", 200);
    expect_status(&w, "/nope", 404);
    kill(w.pid, SIGUSR1);
    cr_assert_eq(err_wait(&w, "5xx", T_DEADLINE_MS), 0, "%s", w.err);
    cr_expect(strstr(w.err, "requests 2") != NULL, "%s", w.err);
    cr_expect(strstr(w.err, "2xx 1, 3xx 0, 4xx 1, 5xx 0") != NULL, "%s", w.err);
    stop(&w);
}

/* --- systemd socket activation ------------------------------------------------ */

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

/* Start the binary as systemd would: lfd as descriptor 3, LISTEN_FDS=1,
 * LISTEN_PID its pid, LISTEN_FDNAMES=name; pid_ok 0 puts a wrong pid. */
static void spawn_activated(ws *w, int lfd, int pid_ok, const char *const *args)
{
    const char *argv[32];
    int pe[2], n = 0;

    argv[n++] = binary();
    for (; *args != NULL && n < 30; args++)
        argv[n++] = *args;
    argv[n] = NULL;
    cr_assert_eq(pipe2(pe, O_CLOEXEC), 0);
    w->pid = fork();
    cr_assert(w->pid >= 0);
    if (w->pid == 0) {
        char pid[32];
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        dup2(pe[1], 2);
        if (lfd != 3) {
            dup2(lfd, 3); /* dup2 clears FD_CLOEXEC */
        } else {
            fcntl(3, F_SETFD, 0);
        }
        snprintf(pid, sizeof pid, "%ld", (long)getpid() + (pid_ok ? 0 : 1));
        setenv("LISTEN_PID", pid, 1);
        setenv("LISTEN_FDS", "1", 1);
        setenv("LISTEN_FDNAMES", "web", 1);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(pe[1]);
    w->errfd = pe[0];
}

static int tcp_listener(unsigned *port)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof sa;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    cr_assert(fd >= 0);
    cr_assert_eq(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    cr_assert_eq(listen(fd, 16), 0);
    cr_assert_eq(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
    *port = ntohs(sa.sin_port);
    return fd;
}

Test(activation, tcp_socket)
{
    ws w = {0};
    unsigned port;
    int lfd;
    tresp r;

    make_tree(&w);
    lfd = tcp_listener(&port);
    spawn_activated(&w, lfd, 1, (const char *const[]){"--threads", "2", "--root", w.root, NULL});
    close(lfd); /* the child has it now */
    cr_assert_eq(err_wait(&w, "http://127.0.0.1:", T_DEADLINE_MS), 0, "%s", w.err);
    cr_expect(strstr(w.err, "socket activation: 'web' is 127.0.0.1:") != NULL, "%s", w.err);
    cr_expect(strstr(w.err, ":8080") == NULL, "no default bind with activation: %s", w.err);
    w.port = port;
    get(&w, "GET /ten.txt HTTP/1.1\r\nHost: x\r\n\r\n", &r, 0);
    cr_expect_eq(r.status, 200);
    cr_expect_str_eq((char *)r.body, "0123456789");
    tr_free(&r);
    stop(&w);
}

Test(activation, unix_socket_path_is_kept)
{
    ws w = {0};
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    struct stat st;
    tconn *c;
    tresp r;
    int lfd;

    make_tree(&w);
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s/web.sock", w.dir);
    lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    cr_assert_eq(bind(lfd, (struct sockaddr *)&sa, sizeof sa), 0);
    cr_assert_eq(listen(lfd, 16), 0);
    spawn_activated(&w, lfd, 1, (const char *const[]){"--threads", "2", "--root", w.root, NULL});
    close(lfd);
    cr_assert_eq(err_wait(&w, "socket activation: 'web' is unix:", T_DEADLINE_MS), 0, "%s", w.err);
    c = tc_open_unix(sa.sun_path, 0);
    tc_sends(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    cr_assert_eq(tc_response(c, &r, 0), 0);
    cr_expect_eq(r.status, 200);
    tr_free(&r);
    tc_close(c);
    kill(w.pid, SIGTERM);
    cr_expect_eq(reap(&w), 0, "%s", w.err);
    /* the socket unit owns the path: it stays */
    cr_expect(lstat(sa.sun_path, &st) == 0 && S_ISSOCK(st.st_mode));
    rm_tree(&w);
}

Test(activation, wrong_pid_ignored_and_bad_fd_refused)
{
    static char out[4096];
    ws w = {0};
    unsigned port;
    int lfd, fd;

    make_tree(&w);
    lfd = tcp_listener(&port);
    /* LISTEN_PID not ours: the descriptor is not taken; --bind is used */
    spawn_activated(&w, lfd, 0,
                    (const char *const[]){"--bind", "127.0.0.1:0", "--root", w.root, NULL});
    cr_assert_eq(err_wait(&w, "http://127.0.0.1:", T_DEADLINE_MS), 0, "%s", w.err);
    cr_expect(strstr(w.err, "socket activation") == NULL, "%s", w.err);
    kill(w.pid, SIGTERM);
    cr_expect_eq(reap(&w), 0, "%s", w.err);
    close(lfd);
    rm_tree(&w);
    /* descriptor 3 is a regular file: refused, exit 1 */
    memset(&w, 0, sizeof w);
    make_tree(&w);
    snprintf(out, sizeof out, "%s/ten.txt", w.root);
    fd = open(out, O_RDONLY | O_CLOEXEC);
    spawn_activated(&w, fd, 1, (const char *const[]){"--root", w.root, NULL});
    close(fd);
    cr_expect_eq(reap(&w), 1, "%s", w.err);
    cr_expect(strstr(w.err, "not a listening stream socket") != NULL, "%s", w.err);
    rm_tree(&w);
}

/* --- sockets and HTTP flags ------------------------------------------------------ */

Test(sockets, tcp_and_unix_binds)
{
    static char out[4096];
    ws w = {0};
    char sock[256], addr[300], junk[256];
    struct stat st;
    tconn *c;
    tresp r;

    make_tree(&w);
    snprintf(sock, sizeof sock, "%s/ward.sock", w.dir);
    snprintf(addr, sizeof addr, "unix:%s", sock);
    /* a stale socket left at the path is replaced */
    {
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        cr_assert(strlen(sock) < sizeof sa.sun_path);
        memcpy(sa.sun_path, sock, strlen(sock) + 1);
        cr_assert_eq(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
        close(fd);
    }
    start(&w, (const char *const[]){"--bind", addr, "--socket-mode", "600", NULL});
    cr_assert_eq(err_wait(&w, sock, T_DEADLINE_MS), 0, "%s", w.err);
    cr_expect(stat(sock, &st) == 0 && S_ISSOCK(st.st_mode) && (st.st_mode & 0777) == 0600,
              "mode %o", st.st_mode & 0777);
    expect_status(&w, "/ten.txt", 200); /* TCP */
    c = tc_open_unix(sock, 0);
    tc_sends(c, "GET /ten.txt HTTP/1.1\r\nHost: x\r\n\r\n");
    cr_assert_eq(tc_response(c, &r, 0), 0);
    cr_expect_eq(r.status, 200);
    cr_expect_str_eq((char *)r.body, "0123456789");
    tr_free(&r);
    tc_close(c);
    kill(w.pid, SIGTERM);
    cr_expect_eq(reap(&w), 0, "%s", w.err);
    cr_expect_neq(lstat(sock, &st), 0, "the socket path stayed after exit");
    /* a file that is not a socket is never unlinked: exit 1 */
    snprintf(junk, sizeof junk, "%s/not-a-socket", w.dir);
    put_file(w.dir, "not-a-socket", "keep", 4);
    snprintf(addr, sizeof addr, "unix:%s", junk);
    memset(&w.pid, 0, sizeof w.pid);
    w.err_len = 0;
    w.err[0] = '\0';
    cr_expect_eq(run((const char *const[]){"--bind", addr, "--root", w.root, NULL}, out, sizeof out, &w),
                 1);
    cr_expect(strstr(w.err, "not a socket") != NULL, "%s", w.err);
    cr_expect(lstat(junk, &st) == 0 && S_ISREG(st.st_mode));
    rm_tree(&w);
}

Test(sockets, abstract_bind)
{
    ws w = {0};
    char name[64], bind_arg[80];
    tconn *c;
    tresp r;

    make_tree(&w);
    snprintf(name, sizeof name, "ward-test-%ld", (long)getpid());
    snprintf(bind_arg, sizeof bind_arg, "@%s", name);
    start(&w, (const char *const[]){"--bind", bind_arg, NULL});
    cr_assert_eq(err_wait(&w, bind_arg, T_DEADLINE_MS), 0, "%s", w.err);
    c = tc_open_unix(name, 1);
    tc_sends(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    cr_assert_eq(tc_response(c, &r, 0), 0);
    cr_expect_eq(r.status, 200);
    tr_free(&r);
    tc_close(c);
    stop(&w);
}

Test(sockets, descriptor_limit_raised_to_the_hard_one)
{
    ws w = {0};
    struct rlimit rl;
    char path[64], line[256];
    unsigned long long soft = 0, want;
    FILE *f;

    make_tree(&w);
    /* each test runs in a process of its own: ward-serve inherits this */
    cr_assert_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
    cr_assert(rl.rlim_max == RLIM_INFINITY || rl.rlim_max > 512, "hard limit %llu",
              (unsigned long long)rl.rlim_max);
    rl.rlim_cur = 512;
    cr_assert_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
    want = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > (1u << 20) ? (1u << 20) : rl.rlim_max;
    start(&w, NULL);
    snprintf(path, sizeof path, "/proc/%ld/limits", (long)w.pid);
    f = fopen(path, "r");
    cr_assert_not_null(f);
    while (fgets(line, sizeof line, f) != NULL)
        if (sscanf(line, "Max open files %llu", &soft) == 1)
            break;
    fclose(f);
    cr_expect_eq(soft, want, "ward-serve's soft RLIMIT_NOFILE is %llu, not %llu", soft, want);
    stop(&w);
}

Test(http_flags, strict_by_default_lenient_by_name)
{
    ws w = {0};
    tresp r;

    make_tree(&w);
    start(&w, NULL);
    get(&w, "GET /ten.txt HTTP/1.1\nHost: x\n\n", &r, 0);
    cr_expect_eq(r.status, 400, "bare LF in strict mode: %d", r.status);
    tr_free(&r);
    kill(w.pid, SIGTERM);
    cr_expect_eq(reap(&w), 0);
    rm_tree(&w);

    memset(&w, 0, sizeof w);
    make_tree(&w);
    start(&w, (const char *const[]){"--lenient-bare-lf", NULL});
    get(&w, "GET /ten.txt HTTP/1.1\nHost: x\n\n", &r, 0);
    cr_expect_eq(r.status, 200);
    tr_free(&r);
    stop(&w);
}

Test(http_flags, echo_drop_underscore_and_proxy)
{
    static const char *const args[] = {"--echo", "--bind", "127.0.0.1:0", "--threads", "2",
                                       "--drop-underscore-headers", NULL};
    ws w = {0};
    tresp r;
    const char *p;

    spawn(&w, args);
    cr_assert_eq(err_wait(&w, "http://127.0.0.1:", T_DEADLINE_MS), 0, "%s", w.err);
    p = strstr(w.err, "http://127.0.0.1:");
    w.port = (unsigned)atoi(p + strlen("http://127.0.0.1:"));
    get(&w, "GET /e HTTP/1.1\r\nHost: x\r\nX_Bad: 1\r\nX-Good: 2\r\n\r\n", &r, 0);
    cr_expect_eq(r.status, 200);
    cr_expect(strstr((char *)r.body, "X_Bad") == NULL && strstr((char *)r.body, "X-Good") != NULL,
              "%s", (char *)r.body);
    tr_free(&r);
    /* no --proxy: absolute-form is refused */
    get(&w, "GET http://x/e HTTP/1.1\r\nHost: x\r\n\r\n", &r, 0);
    cr_expect_eq(r.status, 400);
    tr_free(&r);
    stop(&w);
}

Test(logs, stats_path)
{
    ws w = {0};
    tresp r;

    make_tree(&w);
    start(&w, (const char *const[]){"--stats-path", "/_ward/stats", NULL});
    expect_status(&w, "/", 200);
    expect_status(&w, "/sub", 301);
    expect_status(&w, "/nope", 404);
    get(&w, "GET /_ward/stats HTTP/1.1\r\nHost: x\r\n\r\n", &r, 0);
    cr_expect_eq(r.status, 200);
    cr_expect_str_eq(field(&r, "Content-Type"), "application/json");
    cr_expect(strstr((char *)r.body, "\"requests\":3,") != NULL, "%s", (char *)r.body);
    cr_expect(strstr((char *)r.body, "\"responses\":{\"1xx\":0,\"2xx\":1,\"3xx\":1,\"4xx\":1,\"5xx\":0}") !=
                  NULL,
              "%s", (char *)r.body);
    tr_free(&r);
    /* only that path */
    expect_status(&w, "/_ward/stats/", 404);
    stop(&w);
}

/* The server's own answers are in the stats (by class and by reason) and
 * in the access log, "-" for what is not known. */
Test(logs, server_errors_in_stats_and_access_log)
{
    ws w = {0};
    char log[256];
    static char text[8192], big[9100];
    tconn *c;
    tresp r;
    size_t n;

    make_tree(&w);
    snprintf(log, sizeof log, "%s/access.log", w.dir);
    start(&w, (const char *const[]){"--access-log", log, "--stats-path", "/_ward/stats", NULL});
    get(&w, "GET / HTTP/1.1 x\r\nHost: x\r\n\r\n", &r, 0);
    cr_expect_eq(r.status, 400);
    tr_free(&r);
    n = (size_t)snprintf(big, sizeof big, "GET /");
    memset(big + n, 'a', 9000);
    n += 9000;
    n += (size_t)snprintf(big + n, sizeof big - n, " HTTP/1.1\r\nHost: x\r\n\r\n");
    c = tc_open(w.port);
    tc_send(c, big, n);
    cr_assert_eq(tc_response(c, &r, 0), 0);
    cr_expect_eq(r.status, 414);
    tr_free(&r);
    tc_close(c);
    get(&w, "POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked;x=1\r\n\r\n", &r, 0);
    cr_expect_eq(r.status, 400);
    tr_free(&r);
    get(&w, "GET /_ward/stats HTTP/1.1\r\nHost: x\r\n\r\n", &r, 0);
    cr_expect_eq(r.status, 200);
    cr_expect(strstr((char *)r.body, "\"responses\":{\"1xx\":0,\"2xx\":0,\"3xx\":0,\"4xx\":3,"
                                     "\"5xx\":0},\"errors\":{\"malformed request line\":1,"
                                     "\"invalid Transfer-Encoding\":1,\"request line too long\":1}}\n") !=
                  NULL,
              "%s", (char *)r.body);
    tr_free(&r);
    kill(w.pid, SIGUSR1);
    cr_expect_eq(err_wait(&w,
                          "stats: errors by reason: malformed request line 1, invalid "
                          "Transfer-Encoding 1, request line too long 1",
                          T_DEADLINE_MS),
                 0, "%s", w.err);
    kill(w.pid, SIGTERM);
    cr_expect_eq(reap(&w), 0, "%s", w.err); /* every worker joined: the lines are written */
    read_file(log, text, sizeof text);
    cr_expect_eq(count_lines(text), 4, "%s", text);
    cr_expect(strncmp(text, "127.0.0.1 - - [", 15) == 0, "%s", text);
    cr_expect(strstr(text, "] \"-\" 400 23\n") != NULL, "%s", text);
    cr_expect(strstr(text, "] \"-\" 414 22\n") != NULL, "%s", text);
    cr_expect(strstr(text, "] \"POST /up HTTP/1.1\" 400 26\n") != NULL, "%s", text);
    cr_expect(strstr(text, "] \"GET /_ward/stats HTTP/1.1\" 200 ") != NULL, "%s", text);
    rm_tree(&w);
}
