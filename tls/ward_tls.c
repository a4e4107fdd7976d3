/* SPDX-License-Identifier: MIT */
/* ward_tls.c - the TLS adapter on BoringSSL or OpenSSL 3 (the build picks
 * one: tls_backend in build.ninja): contexts (one per certificate: the
 * default and each SNI name), reload by swapping a reference-counted set
 * of contexts, a non-blocking handshake that spots plain HTTP, and the
 * connection's TLS facts. The two share the SSL_* API; the few places
 * where they differ are marked OPENSSL_IS_BORINGSSL below. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "ward_tls.h"

/* The contexts of one load: the default and one per SNI name. */
typedef struct ctxset {
    _Atomic int refs;
    SSL_CTX *def;
    SSL_CTX **sni;
    size_t nsni;
} ctxset;

struct ward_tls {
    ward_tls_config cfg;   /* strings owned */
    ward_tls_sni *sni;
    pthread_mutex_t mu;    /* guards cur */
    ctxset *cur;
    BIO_METHOD *bio_meth;
    ward_tls_adapter adapter;
};

typedef struct tls_conn {
    ward_tls *t;
    ctxset *set;
    SSL *ssl;
    int fd;
    int peeked;
    ward_tls_info info;
    char protocol[16], cipher[96], sni[256], alpn[32];
    char *subject, *issuer, *serial, *pem;
    char not_before[24], not_after[24];
} tls_conn;

/* --- the backends' differences ------------------------------------------------ */

#ifdef OPENSSL_IS_BORINGSSL
typedef uint32_t err_code;
#define set_cipher_list SSL_CTX_set_strict_cipher_list
#define get1_peer_certificate SSL_get_peer_certificate

/* Nothing to add: BoringSSL has no security levels, TLS 1.3 tickets
 * follow SSL_OP_NO_TICKET, and its default TLS 1.2 list is the one below. */
static int backend_ctx(SSL_CTX *ctx, const ward_tls_config *cfg, uint16_t lo)
{
    (void)ctx, (void)cfg, (void)lo;
    return 1;
}

static int mem_contents(BIO *b, const uint8_t **p, size_t *len)
{
    return BIO_mem_contents(b, p, len);
}
#else
typedef unsigned long err_code;
#define get1_peer_certificate SSL_get1_peer_certificate

/* BoringSSL's default TLS 1.2 suites, those a certificate can serve (its
 * 3DES suite aside): OpenSSL 3's default adds the CBC-SHA256/SHA384 ones. */
static const char default_ciphers[] =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES256-SHA:"
    "AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA:AES256-SHA";

/* Like BoringSSL's strict list: OpenSSL skips names it does not know, so
 * each element that adds ciphers must select some on its own. */
static int set_cipher_list(SSL_CTX *ctx, const char *list)
{
    SSL_CTX *scratch = SSL_CTX_new(TLS_server_method());
    char *copy = strdup(list), *save = NULL;
    int ok = scratch != NULL && copy != NULL && SSL_CTX_set_cipher_list(ctx, list) == 1;

    for (char *e = ok ? strtok_r(copy, ":, ", &save) : NULL; e != NULL && ok;
         e = strtok_r(NULL, ":, ", &save))
        if (strchr("!-+@", *e) == NULL)
            ok = SSL_CTX_set_cipher_list(scratch, e) == 1;
    free(copy);
    SSL_CTX_free(scratch);
    return ok;
}

/* What BoringSSL does by itself: TLS 1.0 and 1.1 need security level 0 in
 * OpenSSL 3 (their MD5+SHA-1 signatures); no TLS 1.3 tickets when tickets
 * are off (OpenSSL would send stateful ones); a peer that closes without
 * close_notify ends the stream (OpenSSL would call it an error). */
static int backend_ctx(SSL_CTX *ctx, const ward_tls_config *cfg, uint16_t lo)
{
    if (lo < TLS1_2_VERSION)
        SSL_CTX_set_security_level(ctx, 0);
    if (!cfg->tickets && SSL_CTX_set_num_tickets(ctx, 0) != 1)
        return 0;
    SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
    return cfg->ciphers != NULL || SSL_CTX_set_cipher_list(ctx, default_ciphers) == 1;
}

static int mem_contents(BIO *b, const uint8_t **p, size_t *len)
{
    char *data;
    long n = BIO_get_mem_data(b, &data);

    *p = (const uint8_t *)data;
    *len = n > 0 ? (size_t)n : 0;
    return n >= 0;
}
#endif

static int conn_idx = -1;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init_once(void)
{
    conn_idx = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
}

static void set_err(char *err, size_t cap, const char *what, const char *file)
{
    err_code e = ERR_get_error();
    char buf[256];

    ERR_error_string_n(e, buf, sizeof buf);
    if (err != NULL && cap > 0)
        snprintf(err, cap, "%s%s%s: %s", what, file ? " " : "", file ? file : "",
                 e ? buf : "failed");
    ERR_clear_error();
}

/* --- a socket BIO that never raises SIGPIPE ------------------------------- */

static int bio_write(BIO *b, const char *p, int n)
{
    int fd = (int)(intptr_t)BIO_get_data(b);
    ssize_t w;

    BIO_clear_retry_flags(b);
    do
        w = send(fd, p, (size_t)n, MSG_NOSIGNAL);
    while (w < 0 && errno == EINTR);
    if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        BIO_set_retry_write(b);
    return (int)w;
}

static int bio_read(BIO *b, char *p, int n)
{
    int fd = (int)(intptr_t)BIO_get_data(b);
    ssize_t r;

    BIO_clear_retry_flags(b);
    do
        r = recv(fd, p, (size_t)n, 0);
    while (r < 0 && errno == EINTR);
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        BIO_set_retry_read(b);
    return (int)r;
}

static long bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
    (void)b, (void)num, (void)ptr;
    return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

/* --- contexts ---------------------------------------------------------------- */

static uint16_t version_of(const char *s, uint16_t dflt)
{
    if (s == NULL || *s == '\0')
        return dflt;
    if (strcmp(s, "1.0") == 0)
        return TLS1_VERSION;
    if (strcmp(s, "1.1") == 0)
        return TLS1_1_VERSION;
    if (strcmp(s, "1.2") == 0)
        return TLS1_2_VERSION;
    if (strcmp(s, "1.3") == 0)
        return TLS1_3_VERSION;
    return 0;
}

static int alpn_select(SSL *ssl, const uint8_t **out, uint8_t *out_len, const uint8_t *in,
                       unsigned in_len, void *arg)
{
    (void)ssl, (void)arg;
    for (unsigned i = 0; i < in_len;) {
        unsigned n = in[i];
        if (i + 1 + n > in_len)
            break;
        if (n == 8 && memcmp(in + i + 1, "http/1.1", 8) == 0) {
            *out = in + i + 1;
            *out_len = 8;
            return SSL_TLSEXT_ERR_OK;
        }
        i += 1 + n;
    }
    return SSL_TLSEXT_ERR_NOACK;
}

/* SNI: switch to the name's context (the connection's set, fixed at its
 * start, so a reload meanwhile changes nothing under it). */
static int servername_cb(SSL *ssl, int *alert, void *arg)
{
    tls_conn *tc = SSL_get_ex_data(ssl, conn_idx);
    const char *name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);

    (void)alert, (void)arg;
    if (tc == NULL || name == NULL)
        return SSL_TLSEXT_ERR_OK;
    for (size_t i = 0; i < tc->set->nsni; i++) {
        if (strcasecmp(name, tc->t->sni[i].name) == 0) {
            SSL_set_SSL_CTX(ssl, tc->set->sni[i]);
            break;
        }
    }
    return SSL_TLSEXT_ERR_OK;
}

static SSL_CTX *make_ctx(const ward_tls_config *cfg, const char *cert, const char *key, char *err,
                         size_t cap)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    uint16_t lo = version_of(cfg->min_version, TLS1_2_VERSION);
    uint16_t hi = version_of(cfg->max_version, TLS1_3_VERSION);
    static const uint8_t sid_ctx[] = "ward";

    if (ctx == NULL) {
        set_err(err, cap, "SSL_CTX_new", NULL);
        return NULL;
    }
    if (lo == 0 || hi == 0 || lo > hi) {
        snprintf(err, cap, "bad TLS version range");
        goto fail;
    }
    if (!SSL_CTX_set_min_proto_version(ctx, lo) || !SSL_CTX_set_max_proto_version(ctx, hi)) {
        set_err(err, cap, "TLS versions", NULL);
        goto fail;
    }
    if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1) {
        set_err(err, cap, "certificate chain", cert);
        goto fail;
    }
    if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1) {
        set_err(err, cap, "private key", key);
        goto fail;
    }
    if (SSL_CTX_check_private_key(ctx) != 1) {
        set_err(err, cap, "key does not match certificate", key);
        goto fail;
    }
    if (!backend_ctx(ctx, cfg, lo)) {
        set_err(err, cap, "TLS library settings", NULL);
        goto fail;
    }
    if (cfg->ciphers != NULL && set_cipher_list(ctx, cfg->ciphers) != 1) {
        set_err(err, cap, "cipher list", cfg->ciphers);
        goto fail;
    }
    if (cfg->curves != NULL && SSL_CTX_set1_curves_list(ctx, cfg->curves) != 1) {
        set_err(err, cap, "curves", cfg->curves);
        goto fail;
    }
    if (cfg->alpn)
        SSL_CTX_set_alpn_select_cb(ctx, alpn_select, NULL);
    if (!cfg->tickets)
        SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    SSL_CTX_set_session_id_context(ctx, sid_ctx, sizeof sid_ctx - 1);
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    if (cfg->client_auth != WARD_TLS_CLIENT_NONE) {
        STACK_OF(X509_NAME) *names;
        int mode = SSL_VERIFY_PEER;
        if (cfg->client_ca_file == NULL) {
            snprintf(err, cap, "client authentication needs a CA file");
            goto fail;
        }
        if (SSL_CTX_load_verify_locations(ctx, cfg->client_ca_file, NULL) != 1) {
            set_err(err, cap, "client CA file", cfg->client_ca_file);
            goto fail;
        }
        names = SSL_load_client_CA_file(cfg->client_ca_file);
        if (names == NULL) {
            set_err(err, cap, "client CA names", cfg->client_ca_file);
            goto fail;
        }
        SSL_CTX_set_client_CA_list(ctx, names);
        if (cfg->client_auth == WARD_TLS_CLIENT_REQUIRED)
            mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
        SSL_CTX_set_verify(ctx, mode, NULL);
    }
    SSL_CTX_set_tlsext_servername_callback(ctx, servername_cb);
    return ctx;
fail:
    SSL_CTX_free(ctx);
    return NULL;
}

static void set_put(ctxset *s)
{
    if (s == NULL || atomic_fetch_sub(&s->refs, 1) != 1)
        return;
    SSL_CTX_free(s->def);
    for (size_t i = 0; i < s->nsni; i++)
        SSL_CTX_free(s->sni[i]);
    free(s->sni);
    free(s);
}

static ctxset *load_set(ward_tls *t, char *err, size_t cap)
{
    ctxset *s = calloc(1, sizeof *s);

    if (s == NULL)
        goto fail;
    atomic_init(&s->refs, 1);
    s->sni = calloc(t->cfg.nsni + 1, sizeof *s->sni);
    if (s->sni == NULL)
        goto fail;
    s->def = make_ctx(&t->cfg, t->cfg.cert_file, t->cfg.key_file, err, cap);
    if (s->def == NULL)
        goto fail;
    for (; s->nsni < t->cfg.nsni; s->nsni++) {
        const ward_tls_sni *n = &t->sni[s->nsni];
        s->sni[s->nsni] = make_ctx(&t->cfg, n->cert_file, n->key_file, err, cap);
        if (s->sni[s->nsni] == NULL)
            goto fail;
    }
    return s;
fail:
    if (s != NULL && s->sni == NULL)
        snprintf(err, cap, "out of memory");
    if (s != NULL)
        atomic_store(&s->refs, 1);
    set_put(s);
    return NULL;
}

/* --- the adapter ---------------------------------------------------------------- */

static void *conn_new(void *arg, int fd)
{
    ward_tls *t = arg;
    tls_conn *tc = calloc(1, sizeof *tc);
    BIO *bio = NULL;

    if (tc == NULL)
        return NULL;
    tc->t = t;
    tc->fd = fd;
    pthread_mutex_lock(&t->mu);
    tc->set = t->cur;
    atomic_fetch_add(&tc->set->refs, 1);
    pthread_mutex_unlock(&t->mu);
    tc->ssl = SSL_new(tc->set->def);
    bio = BIO_new(t->bio_meth);
    if (tc->ssl == NULL || bio == NULL)
        goto fail;
    BIO_set_data(bio, (void *)(intptr_t)fd);
    BIO_set_init(bio, 1);
    SSL_set_bio(tc->ssl, bio, bio);
    bio = NULL;
    SSL_set_ex_data(tc->ssl, conn_idx, tc);
    SSL_set_accept_state(tc->ssl);
    return tc;
fail:
    BIO_free(bio);
    SSL_free(tc->ssl);
    set_put(tc->set);
    free(tc);
    ERR_clear_error();
    return NULL;
}

static void conn_free(void *p)
{
    tls_conn *tc = p;

    if (tc == NULL)
        return;
    SSL_free(tc->ssl);
    set_put(tc->set);
    free(tc->subject);
    free(tc->issuer);
    free(tc->serial);
    free(tc->pem);
    free(tc);
}

static char *name_str(X509_NAME *n)
{
    BIO *b = BIO_new(BIO_s_mem());
    const uint8_t *p;
    size_t len;
    char *s = NULL;

    if (b == NULL)
        return NULL;
    if (X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253) >= 0 && mem_contents(b, &p, &len))
        s = strndup((const char *)p, len);
    BIO_free(b);
    return s;
}

static void time_str(const ASN1_TIME *t, char out[24], long long *days_left)
{
    ASN1_TIME *epoch = ASN1_TIME_set(NULL, 0);
    int d = 0, s = 0;

    out[0] = '\0';
    if (epoch != NULL && ASN1_TIME_diff(&d, &s, epoch, t)) {
        time_t when = (time_t)d * 86400 + s;
        struct tm tm;
        gmtime_r(&when, &tm);
        strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
    ASN1_TIME_free(epoch);
    if (days_left != NULL) {
        *days_left = 0;
        if (ASN1_TIME_diff(&d, &s, NULL, t) && (d > 0 || (d == 0 && s > 0)))
            *days_left = d;
    }
}

/* The facts, once the handshake is complete. */
static void fill_info(tls_conn *tc)
{
    ward_tls_info *i = &tc->info;
    const SSL_CIPHER *c = SSL_get_current_cipher(tc->ssl);
    const char *sni = SSL_get_servername(tc->ssl, TLSEXT_NAMETYPE_host_name);
    const uint8_t *alpn;
    unsigned alpn_len;
    X509 *x;

    snprintf(tc->protocol, sizeof tc->protocol, "%s", SSL_get_version(tc->ssl));
    i->protocol = tc->protocol;
    snprintf(tc->cipher, sizeof tc->cipher, "%s", c ? SSL_CIPHER_standard_name(c) : "");
    i->cipher = tc->cipher;
    if (sni != NULL) {
        snprintf(tc->sni, sizeof tc->sni, "%s", sni);
        i->sni = tc->sni;
    }
    SSL_get0_alpn_selected(tc->ssl, &alpn, &alpn_len);
    if (alpn_len > 0 && alpn_len < sizeof tc->alpn) {
        memcpy(tc->alpn, alpn, alpn_len);
        tc->alpn[alpn_len] = '\0';
        i->alpn = tc->alpn;
    }
    x = get1_peer_certificate(tc->ssl);
    if (x != NULL) {
        BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
        BIO *b = BIO_new(BIO_s_mem());
        const uint8_t *p;
        size_t len;

        i->client_verified = SSL_get_verify_result(tc->ssl) == X509_V_OK;
        tc->subject = name_str(X509_get_subject_name(x));
        tc->issuer = name_str(X509_get_issuer_name(x));
        if (bn != NULL) {
            char *h = BN_bn2hex(bn);
            if (h != NULL)
                tc->serial = strdup(h);
            OPENSSL_free(h);
            BN_free(bn);
        }
        if (b != NULL && PEM_write_bio_X509(b, x) && mem_contents(b, &p, &len))
            tc->pem = strndup((const char *)p, len);
        BIO_free(b);
        time_str(X509_get0_notBefore(x), tc->not_before, NULL);
        time_str(X509_get0_notAfter(x), tc->not_after, &i->client_v_remain);
        i->client_subject = tc->subject;
        i->client_issuer = tc->issuer;
        i->client_serial = tc->serial;
        i->client_not_before = tc->not_before;
        i->client_not_after = tc->not_after;
        i->client_pem = tc->pem;
        X509_free(x);
    }
    ERR_clear_error();
}

static int handshake(void *p)
{
    tls_conn *tc = p;
    int rc;

    if (!tc->peeked) { /* plain HTTP? A TLS client starts with a handshake record (22) */
        uint8_t b;
        ssize_t n = recv(tc->fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
            return WARD_TLS_AGAIN;
        if (n <= 0)
            return WARD_TLS_FAIL;
        if (b != 22)
            return (b >= 'A' && b <= 'Z') ? WARD_TLS_PLAIN : WARD_TLS_FAIL;
        tc->peeked = 1;
    }
    rc = SSL_do_handshake(tc->ssl);
    if (rc == 1) {
        fill_info(tc);
        return WARD_TLS_DONE;
    }
    switch (SSL_get_error(tc->ssl, rc)) {
    case SSL_ERROR_WANT_READ:
        return WARD_TLS_AGAIN;
    case SSL_ERROR_WANT_WRITE: /* the server's flight did not fit the socket buffer */
        return WARD_TLS_AGAIN_WRITE;
    default:
        ERR_clear_error();
        return WARD_TLS_FAIL;
    }
}

static ssize_t map_err(tls_conn *tc, int rc, int *want_write)
{
    switch (SSL_get_error(tc->ssl, rc)) {
    case SSL_ERROR_WANT_READ:
        *want_write = 0;
        errno = EAGAIN;
        return -1;
    case SSL_ERROR_WANT_WRITE:
        *want_write = 1;
        errno = EAGAIN;
        return -1;
    case SSL_ERROR_ZERO_RETURN:
        return 0;
    case SSL_ERROR_SYSCALL:
        ERR_clear_error();
        if (errno == 0)
            return 0; /* the peer closed without close_notify */
        return -1;
    default:
        ERR_clear_error();
        errno = EPROTO;
        return -1;
    }
}

static ssize_t tls_recv(void *p, void *buf, size_t n, int *want_write)
{
    tls_conn *tc = p;
    int rc;

    errno = 0;
    rc = SSL_read(tc->ssl, buf, n > INT32_MAX ? INT32_MAX : (int)n);
    if (rc > 0)
        return rc;
    return map_err(tc, rc, want_write);
}

static ssize_t tls_send(void *p, const void *buf, size_t n, int *want_write)
{
    tls_conn *tc = p;
    int rc;

    errno = 0;
    rc = SSL_write(tc->ssl, buf, n > INT32_MAX ? INT32_MAX : (int)n);
    if (rc > 0)
        return rc;
    rc = (int)map_err(tc, rc, want_write);
    if (rc == 0)
        errno = EPIPE;
    return -1;
}

static size_t pending(void *p)
{
    tls_conn *tc = p;

    return (size_t)SSL_pending(tc->ssl);
}

static void close_notify(void *p)
{
    tls_conn *tc = p;

    if (SSL_shutdown(tc->ssl) < 0)
        ERR_clear_error();
}

static const ward_tls_info *info(void *p)
{
    tls_conn *tc = p;

    return &tc->info;
}

/* --- lifecycle ---------------------------------------------------------------- */

void ward_tls_config_init(ward_tls_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->alpn = 1;
    cfg->tickets = 1;
}

static char *dup_opt(const char *s, int *oom)
{
    char *d;

    if (s == NULL)
        return NULL;
    d = strdup(s);
    if (d == NULL)
        *oom = 1;
    return d;
}

static void free_cfg(ward_tls *t)
{
    free((char *)t->cfg.cert_file);
    free((char *)t->cfg.key_file);
    free((char *)t->cfg.min_version);
    free((char *)t->cfg.max_version);
    free((char *)t->cfg.ciphers);
    free((char *)t->cfg.curves);
    free((char *)t->cfg.client_ca_file);
    for (size_t i = 0; t->sni != NULL && i < t->cfg.nsni; i++) {
        free((char *)t->sni[i].name);
        free((char *)t->sni[i].cert_file);
        free((char *)t->sni[i].key_file);
    }
    free(t->sni);
}

ward_tls *ward_tls_create(const ward_tls_config *cfg, char *err, size_t err_cap)
{
    ward_tls *t;
    int oom = 0;

    pthread_once(&once, init_once);
    if (cfg->cert_file == NULL || cfg->key_file == NULL) {
        snprintf(err, err_cap, "TLS needs a certificate and a key");
        return NULL;
    }
    t = calloc(1, sizeof *t);
    if (t == NULL) {
        snprintf(err, err_cap, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&t->mu, NULL);
    t->cfg = *cfg;
    t->cfg.cert_file = dup_opt(cfg->cert_file, &oom);
    t->cfg.key_file = dup_opt(cfg->key_file, &oom);
    t->cfg.min_version = dup_opt(cfg->min_version, &oom);
    t->cfg.max_version = dup_opt(cfg->max_version, &oom);
    t->cfg.ciphers = dup_opt(cfg->ciphers, &oom);
    t->cfg.curves = dup_opt(cfg->curves, &oom);
    t->cfg.client_ca_file = dup_opt(cfg->client_ca_file, &oom);
    t->cfg.sni = NULL;
    t->sni = calloc(cfg->nsni + 1, sizeof *t->sni);
    if (t->sni == NULL)
        oom = 1;
    for (size_t i = 0; t->sni != NULL && i < cfg->nsni; i++) {
        t->sni[i].name = dup_opt(cfg->sni[i].name, &oom);
        t->sni[i].cert_file = dup_opt(cfg->sni[i].cert_file, &oom);
        t->sni[i].key_file = dup_opt(cfg->sni[i].key_file, &oom);
        if (cfg->sni[i].name == NULL || cfg->sni[i].cert_file == NULL ||
            cfg->sni[i].key_file == NULL) {
            snprintf(err, err_cap, "an SNI name needs a name, a certificate and a key");
            goto fail;
        }
    }
    if (oom) {
        snprintf(err, err_cap, "out of memory");
        goto fail;
    }
    t->bio_meth = BIO_meth_new(BIO_TYPE_SOCKET, "ward socket");
    if (t->bio_meth == NULL || !BIO_meth_set_write(t->bio_meth, bio_write) ||
        !BIO_meth_set_read(t->bio_meth, bio_read) || !BIO_meth_set_ctrl(t->bio_meth, bio_ctrl)) {
        snprintf(err, err_cap, "out of memory");
        goto fail;
    }
    t->cur = load_set(t, err, err_cap);
    if (t->cur == NULL)
        goto fail;
    t->adapter = (ward_tls_adapter){.arg = t,
                                    .conn_new = conn_new,
                                    .conn_free = conn_free,
                                    .handshake = handshake,
                                    .recv = tls_recv,
                                    .send = tls_send,
                                    .pending = pending,
                                    .close_notify = close_notify,
                                    .info = info};
    return t;
fail:
    ward_tls_destroy(t);
    return NULL;
}

const ward_tls_adapter *ward_tls_adapter_of(ward_tls *t)
{
    return &t->adapter;
}

int ward_tls_reload(ward_tls *t, char *err, size_t err_cap)
{
    ctxset *s = load_set(t, err, err_cap), *old;

    if (s == NULL)
        return -1;
    pthread_mutex_lock(&t->mu);
    old = t->cur;
    t->cur = s;
    pthread_mutex_unlock(&t->mu);
    set_put(old);
    return 0;
}

void ward_tls_destroy(ward_tls *t)
{
    if (t == NULL)
        return;
    set_put(t->cur);
    if (t->bio_meth != NULL)
        BIO_meth_free(t->bio_meth);
    free_cfg(t);
    pthread_mutex_destroy(&t->mu);
    free(t);
}
