/* SPDX-License-Identifier: MIT */
/* test_unix.c - binding: UNIX sockets with peer credentials, the Linux
 * abstract namespace, port 0 reporting the real port. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

static void expect(tconn *c, int status, const char *body)
{
    tresp r;

    cr_assert_eq(tc_response(c, &r, 0), 0);
    cr_expect_eq(r.status, status, "%s", r.head);
    if (body != NULL)
        cr_expect_str_eq((char *)r.body, body);
    tr_free(&r);
}

Test(unix_socket, peer_credentials)
{
    char dir[] = "/tmp/ward-unix-XXXXXX", path[128], bind[140], want[256], addr[160];
    ward_server_config cfg;
    ward_server *srv;
    struct stat st;
    tconn *c;

    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/s", dir);
    snprintf(bind, sizeof bind, "unix:%s", path);
    t_config(&cfg);
    cfg.bind = bind;
    cfg.peer_creds = 1;
    cfg.peer_creds_resolve = 1;
    cfg.unix_mode = 0600;
    srv = t_start(&cfg);
    cr_assert_eq(ward_server_address(srv, addr, sizeof addr), 0);
    cr_expect_str_eq(addr, bind);
    cr_expect_eq(ward_server_port(srv), 0);
    cr_assert_eq(stat(path, &st), 0);
    cr_expect_eq(st.st_mode & 0777, 0600);
    c = tc_open_unix(path, 0);
    tc_sends(c, "GET /peer HTTP/1.1\r\nHost: a\r\n\r\n");
    {
        struct passwd *pw = getpwuid(getuid());
        struct group *gr = getgrgid(getgid());
        snprintf(want, sizeof want, "%d %d %d %s %s\n", (int)getpid(), (int)getuid(), (int)getgid(),
                 pw ? pw->pw_name : "-", gr ? gr->gr_name : "-");
    }
    expect(c, 200, want);
    tc_close(c);
    ward_server_free(srv);
    cr_expect_neq(stat(path, &st), 0, "the socket path was not unlinked");
    rmdir(dir);
}

Test(unix_socket, no_credentials_unless_enabled)
{
    char dir[] = "/tmp/ward-unix-XXXXXX", path[128];
    ward_server_config cfg;
    ward_server *srv;
    tconn *c;

    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/s", dir);
    t_config(&cfg);
    cfg.bind = path;
    srv = t_start(&cfg);
    c = tc_open_unix(path, 0);
    tc_sends(c, "GET /peer HTTP/1.1\r\nHost: a\r\n\r\n");
    expect(c, 200, "-1 -1 -1 - -\n");
    tc_close(c);
    ward_server_free(srv);
    rmdir(dir);
}

Test(unix_socket, never_unlinks_a_regular_file)
{
    char dir[] = "/tmp/ward-unix-XXXXXX", path[128], err[256];
    ward_server_config cfg;
    struct stat st;
    int fd;

    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/f", dir);
    fd = open(path, O_CREAT | O_WRONLY, 0600);
    cr_assert_geq(fd, 0);
    close(fd);
    t_config(&cfg);
    cfg.bind = path;
    cr_expect_null(ward_server_create(&cfg, err, sizeof err));
    cr_expect(strstr(err, "not a socket") != NULL, "%s", err);
    cr_expect_eq(stat(path, &st), 0);
    unlink(path);
    rmdir(dir);
}

Test(unix_socket, never_takes_the_path_of_a_running_server)
{
    char dir[] = "/tmp/ward-unix-XXXXXX", path[128], err[256];
    ward_server_config cfg;
    ward_server *srv, *second;
    struct stat st;
    tconn *c;

    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/s", dir);
    t_config(&cfg);
    cfg.bind = path;
    srv = t_start(&cfg);
    /* a second server on the same path is refused, and the first keeps it */
    second = ward_server_create(&cfg, err, sizeof err);
    cr_expect_null(second, "a second server took the path of a running one");
    ward_server_free(second);
    cr_expect(strstr(err, "in use") != NULL, "%s", err);
    cr_expect_eq(stat(path, &st), 0);
    c = tc_open_unix(path, 0);
    tc_sends(c, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    expect(c, 200, "hello\n");
    tc_close(c);
    ward_server_free(srv);
    cr_expect_neq(stat(path, &st), 0, "the socket path was not unlinked");
    rmdir(dir);
}

Test(unix_socket, abstract)
{
    char name[64], bind[70], addr[80];
    ward_server_config cfg;
    ward_server *srv;
    tconn *c;

    snprintf(name, sizeof name, "ward-test-%d", (int)getpid());
    snprintf(bind, sizeof bind, "@%s", name);
    t_config(&cfg);
    cfg.bind = bind;
    srv = t_start(&cfg);
    cr_assert_eq(ward_server_address(srv, addr, sizeof addr), 0);
    cr_expect_str_eq(addr, bind);
    c = tc_open_unix(name, 1);
    tc_sends(c, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    expect(c, 200, "hello\n");
    tc_close(c);
    ward_server_free(srv);
}

Test(bind, port_zero_reports_the_real_port)
{
    ward_server_config cfg;
    ward_server *srv;
    char addr[64], want[64];

    t_config(&cfg);
    srv = t_start(&cfg);
    cr_assert_neq(ward_server_port(srv), 0);
    snprintf(want, sizeof want, "127.0.0.1:%u", ward_server_port(srv));
    cr_assert_eq(ward_server_address(srv, addr, sizeof addr), 0);
    cr_expect_str_eq(addr, want);
    ward_server_free(srv);
}

Test(bind, ipv6_loopback)
{
    ward_server_config cfg;
    ward_server *srv;
    char addr[64], err[256];

    t_config(&cfg);
    cfg.bind = "[::1]:0";
    srv = ward_server_create(&cfg, err, sizeof err);
    if (srv == NULL)
        cr_skip_test("no IPv6 loopback here: %s", err);
    cr_assert_eq(ward_server_address(srv, addr, sizeof addr), 0);
    cr_expect(strncmp(addr, "[::1]:", 6) == 0, "%s", addr);
    ward_server_free(srv);
}

Test(bind, bad_addresses_refused)
{
    ward_server_config cfg;
    char err[256];

    t_config(&cfg);
    cfg.bind = "127.0.0.1";
    cr_expect_null(ward_server_create(&cfg, err, sizeof err));
    cfg.bind = "127.0.0.1:99999";
    cr_expect_null(ward_server_create(&cfg, err, sizeof err));
    cfg.bind = "127.0.0.1:0";
    cfg.reuse_port = 1;
    cr_expect_null(ward_server_create(&cfg, err, sizeof err));
}
