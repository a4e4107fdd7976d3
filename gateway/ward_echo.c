/* SPDX-License-Identifier: MIT */
/* ward_echo.c - the echo gateway (ward-serve --echo, the tests): what ward
 * parsed, as JSON. It uses only the public ward_server.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ward_server.h"

typedef struct sbuf {
    char *p;
    size_t len, cap;
    int oom;
} sbuf;

static void sb_put(sbuf *b, const void *s, size_t n)
{
    if (b->oom)
        return;
    if (n > b->cap - b->len) {
        size_t cap = b->cap ? b->cap : 1024;
        char *p;
        if (n > SIZE_MAX / 4 - b->len) { /* no wrap below */
            b->oom = 1;
            return;
        }
        while (cap < b->len + n)
            cap *= 2;
        p = realloc(b->p, cap);
        if (p == NULL) {
            b->oom = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

static void sb_str(sbuf *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

/* A JSON string of the bytes; bytes >= 0x80 become \u00XX (Latin-1), so
 * the document is ASCII whatever the request held. */
static void sb_json(sbuf *b, const uint8_t *s, size_t n)
{
    char esc[8];

    sb_put(b, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        uint8_t ch = s[i];
        if (ch == '"' || ch == '\\') {
            esc[0] = '\\';
            esc[1] = (char)ch;
            sb_put(b, esc, 2);
        } else if (ch < 0x20 || ch >= 0x7f) {
            snprintf(esc, sizeof esc, "\\u%04x", ch);
            sb_put(b, esc, 6);
        } else {
            sb_put(b, &s[i], 1);
        }
    }
    sb_put(b, "\"", 1);
}

static void sb_base64(sbuf *b, const uint8_t *s, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char q[4];

    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)s[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)s[i + 1] << 8;
        if (i + 2 < n)
            v |= s[i + 2];
        q[0] = tab[(v >> 18) & 63];
        q[1] = tab[(v >> 12) & 63];
        q[2] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
        q[3] = i + 2 < n ? tab[v & 63] : '=';
        sb_put(b, q, 4);
    }
}

/* "name":"value" or "name":null */
static void json_opt(sbuf *b, const char *name, const char *v)
{
    sb_str(b, ",\"");
    sb_str(b, name);
    sb_str(b, "\":");
    if (v == NULL)
        sb_str(b, "null");
    else
        sb_json(b, (const uint8_t *)v, strlen(v));
}

/* The TLS facts, named as cheroot's SSL_* environment. */
static void echo_tls(sbuf *b, const ward_tls_info *t)
{
    char num[32];

    sb_str(b, ",\"tls\":{\"SSL_PROTOCOL\":");
    sb_json(b, (const uint8_t *)t->protocol, strlen(t->protocol));
    json_opt(b, "SSL_CIPHER", t->cipher);
    json_opt(b, "SSL_TLS_SNI", t->sni);
    json_opt(b, "SSL_ALPN", t->alpn);
    sb_str(b, t->client_verified ? ",\"SSL_CLIENT_VERIFY\":\"SUCCESS\""
                                 : (t->client_pem != NULL ? ",\"SSL_CLIENT_VERIFY\":\"FAILED\""
                                                          : ",\"SSL_CLIENT_VERIFY\":\"NONE\""));
    json_opt(b, "SSL_CLIENT_S_DN", t->client_subject);
    json_opt(b, "SSL_CLIENT_I_DN", t->client_issuer);
    json_opt(b, "SSL_CLIENT_M_SERIAL", t->client_serial);
    json_opt(b, "SSL_CLIENT_V_START", t->client_not_before);
    json_opt(b, "SSL_CLIENT_V_END", t->client_not_after);
    if (t->client_pem != NULL) {
        snprintf(num, sizeof num, "%lld", t->client_v_remain);
        sb_str(b, ",\"SSL_CLIENT_V_REMAIN\":");
        sb_str(b, num);
    }
    json_opt(b, "SSL_CLIENT_CERT", t->client_pem);
    sb_str(b, "}");
}

int ward_gateway_echo(void *arg, const ward_req *req, ward_resp *resp)
{
    sbuf body = {0}, doc = {0};
    char num[32];
    ssize_t n;
    int rc = -1;

    (void)arg;
    for (;;) { /* the whole body: the server bounds it by max_body */
        if (body.cap - body.len < 4096) {
            char *p = realloc(body.p, body.cap ? body.cap * 2 : 8192);
            if (p == NULL)
                goto out;
            body.p = p;
            body.cap = body.cap ? body.cap * 2 : 8192;
        }
        n = ward_body_read(resp, body.p + body.len, body.cap - body.len);
        if (n < 0)
            goto out; /* the server answers the body's error */
        if (n == 0)
            break;
        body.len += (size_t)n;
    }
    sb_str(&doc, "{\"method\":");
    sb_json(&doc, req->method.ptr, req->method.len);
    sb_str(&doc, ",\"target\":");
    sb_json(&doc, req->target.ptr, req->target.len);
    sb_str(&doc, req->version == 1 ? ",\"version\":\"HTTP/1.1\",\"fields\":["
                                   : ",\"version\":\"HTTP/1.0\",\"fields\":[");
    for (size_t i = 0; i < req->nfields; i++) {
        const ward_field *f = &req->fields[i];
        sb_str(&doc, i == 0 ? "[" : ",[");
        sb_json(&doc, req->head + f->name.off, f->name.len);
        sb_str(&doc, ",");
        sb_json(&doc, req->head + f->value.off, f->value.len);
        sb_str(&doc, "]");
    }
    snprintf(num, sizeof num, "%zu", body.len);
    sb_str(&doc, "],\"body_length\":");
    sb_str(&doc, num);
    sb_str(&doc, ",\"body_base64\":\"");
    sb_base64(&doc, (const uint8_t *)body.p, body.len);
    sb_str(&doc, "\"");
    if (req->tls != NULL)
        echo_tls(&doc, req->tls);
    sb_str(&doc, "}\n");
    if (doc.oom)
        goto out;
    snprintf(num, sizeof num, "%zu", doc.len);
    if (ward_resp_field(resp, "Content-Type", "application/json") != 0 ||
        ward_resp_field(resp, "Content-Length", num) != 0 || ward_resp_write(resp, doc.p, doc.len) != 0)
        goto out;
    rc = 0;
out:
    free(body.p);
    free(doc.p);
    return rc;
}
