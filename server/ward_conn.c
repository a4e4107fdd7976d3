/* SPDX-License-Identifier: MIT */
/* ward_conn.c - one connection's life and memory: made, its buffers taken
 * and given back (#28), its peer's credentials, freed. */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ward_server_int.h"

ward_conn *ward_conn_new(ward_server *srv, int fd)
{
    ward_conn *c = calloc(1, sizeof *c);

    if (c == NULL)
        return NULL;
    c->fd = fd;
    c->srv = srv;
    c->slot = UINT32_MAX;
    c->spill_fd = -1;
    c->gen = atomic_fetch_add_explicit(&srv->next_gen, 1, memory_order_relaxed);
    atomic_fetch_add(&srv->conns, 1);
    return c;
}

/* The request is over: close its spill file (ward_body.c's), if any. */
void ward_conn_spill_close(ward_conn *c)
{
    if (c->spill_fd >= 0)
        close(c->spill_fd);
    c->spill_fd = -1;
}

/* Give the input and output buffers back (#28), and the peer when it
 * can be rebuilt. */
void ward_conn_release(ward_conn *c)
{
    ward_conn_spill_close(c);
    if (!c->peer_keep) {
        free(c->peer);
        c->peer = NULL;
    }
    if (c->in != NULL)
        atomic_fetch_sub_explicit(&c->srv->nbuffered, 1, memory_order_relaxed);
    free(c->in);
    if (c->resp != NULL)
        free(c->resp->out);
    free(c->resp);
    c->in = NULL;
    c->resp = NULL;
    c->in_len = c->in_cap = 0;
}

void ward_conn_free(ward_conn *c)
{
    if (c == NULL)
        return;
    if (c->tls != NULL) {
        if (c->tls_up && c->err == 0)
            c->srv->cfg.tls->close_notify(c->tls);
        c->srv->cfg.tls->conn_free(c->tls);
    }
    if (c->fd >= 0)
        close(c->fd);
    ward_out_drop(c);
    ward_conn_release(c);
    free(c->peer);
    atomic_fetch_sub(&c->srv->conns, 1);
    free(c);
}

/* The peer's address, from accept: inline when it fits, else (a long
 * UNIX address) in a ward_peer kept for the connection's life. */
int ward_conn_set_addr(ward_conn *c, const struct sockaddr_storage *sa, socklen_t len)
{
    if (len <= sizeof c->addr) {
        memcpy(&c->addr, sa, len);
        c->addr_len = len;
        return 0;
    }
    c->peer = calloc(1, sizeof *c->peer);
    if (c->peer == NULL)
        return -1;
    memcpy(&c->peer->addr, sa, sizeof *sa);
    c->peer->addr_len = len;
    c->peer_keep = 1;
    return 0;
}

/* The peer's credentials (a UNIX socket, peer_creds set): once. */
static void peer_creds(ward_conn *c, ward_peer *p)
{
    ward_server *srv = c->srv;
    struct ucred uc;
    socklen_t len = sizeof uc;

    c->peer_done = 1;
    if (srv->family != AF_UNIX || !srv->cfg.peer_creds)
        return;
    if (getsockopt(c->fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) != 0 || len != sizeof uc)
        return;
    c->peer_keep = 1; /* looked for once */
    p->has_creds = 1;
    p->pid = uc.pid;
    p->uid = uc.uid;
    p->gid = uc.gid;
    if (srv->cfg.peer_creds_resolve) {
        char buf[4096];
        struct passwd pw, *pwp = NULL;
        struct group gr, *grp = NULL;
        if (getpwuid_r(uc.uid, &pw, buf, sizeof buf, &pwp) == 0 && pwp != NULL &&
            strlen(pw.pw_name) < sizeof p->user) {
            strcpy(p->user, pw.pw_name);
            if (getgrgid_r(uc.gid, &gr, buf, sizeof buf, &grp) == 0 && grp != NULL &&
                strlen(gr.gr_name) < sizeof p->group) {
                strcpy(p->group, gr.gr_name);
                p->has_names = 1;
            }
        }
    }
}

/* Who is on the other end, for a request or on_response: built on the
 * side when first needed (an empty one if memory is short). */
const ward_peer *ward_conn_peer(ward_conn *c)
{
    static const ward_peer none;

    if (c->peer == NULL) {
        c->peer = calloc(1, sizeof *c->peer);
        if (c->peer == NULL)
            return &none;
        memcpy(&c->peer->addr, &c->addr, c->addr_len);
        c->peer->addr_len = c->addr_len;
    }
    if (!c->peer_done)
        peer_creds(c, c->peer);
    return c->peer;
}

/* The input buffer, IN_FIRST bytes at first: most heads fit it; and the
 * request's state (#28: neither is held while idle). */
int ward_conn_alloc_in(ward_conn *c)
{
    if (c->in != NULL)
        return 0;
    c->resp = calloc(1, sizeof *c->resp);
    c->in = c->resp != NULL ? malloc(IN_FIRST) : NULL;
    if (c->in == NULL) {
        free(c->resp);
        c->resp = NULL;
        return -1;
    }
    c->in_cap = IN_FIRST;
    atomic_fetch_add_explicit(&c->srv->nbuffered, 1, memory_order_relaxed);
    return 0;
}

/* The output buffer and the field lines, when a handler is about to run. */
int ward_conn_alloc_out(ward_conn *c)
{
    if (c->resp->out != NULL)
        return 0;
    c->resp->out = malloc(OUT_CAP + FIELDS_CAP);
    if (c->resp->out == NULL)
        return -1;
    c->resp->fields = (char *)c->resp->out + OUT_CAP;
    return 0;
}

/* A full input buffer while a head arrives: twice as large, up to
 * max_head + BODY_ROOM (spans are offsets: the move is safe). */
int ward_conn_grow_in(ward_conn *c)
{
    size_t max = (size_t)c->srv->cfg.max_head + BODY_ROOM, cap = c->in_cap * 2;
    uint8_t *p;

    if (c->in_cap >= max)
        return -1;
    if (cap > max)
        cap = max;
    p = realloc(c->in, cap);
    if (p == NULL)
        return -1;
    c->in = p;
    c->in_cap = cap;
    return 0;
}
