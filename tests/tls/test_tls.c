/* SPDX-License-Identifier: MIT */
/* test_tls.c - ward's server with the TLS adapter, built on BoringSSL or
 * on OpenSSL 3 (tls/tls.ninja builds both): a real server on loopback,
 * clients of the same library in the test process, certificates made at
 * test time with openssl(1): a CA, a server certificate (a.test,
 * localhost), one for the SNI name b.test, a client certificate, an
 * expired one and one from an unknown CA. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/hooks.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "harness.h"
#include "ward_tls.h"

/* --- certificates: made once per test run, shared by its test processes --- */

static char cert_dir[256];

static const char gen_script[] =
    "set -e; cd \"$1\"\n"
    "k() { openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout $1.key "
    "-out $1.csr -subj \"$2\" 2>/dev/null; }\n"
    "sign() { printf 'subjectAltName=%s\\n' \"$3\" > $1.ext; openssl x509 -req -in $1.csr "
    "-CA ca.pem -CAkey ca.key -CAcreateserial -days $2 -extfile $1.ext -out $1.pem "
    "2>/dev/null; }\n"
    "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key "
    "-out ca.pem -days 30 -subj '/O=ward/CN=ward test CA' 2>/dev/null\n"
    "k server /CN=a.test; sign server 30 DNS:a.test,DNS:localhost\n"
    "k sni /CN=b.test; sign sni 30 DNS:b.test\n"
    "k client '/O=ward/CN=ward client'; sign client 30 DNS:client\n"
    "k expired '/CN=expired client'; sign expired -1 DNS:expired\n"
    "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout rogue.key "
    "-out rogue.pem -days 30 -subj /CN=rogue 2>/dev/null\n";

static void run_script(const char *script, const char *dir)
{
    char cmd[4096];

    snprintf(cmd, sizeof cmd, "sh -c '%s' sh '%s'", "eval \"$WARD_TLS_GEN\"", dir);
    setenv("WARD_TLS_GEN", script, 1);
    cr_assert_eq(system(cmd), 0, "certificate generation failed");
}

/* The runner's pid names the directory; the first test process to get
 * there makes it (built aside, then renamed into place). */
static void certs(void)
{
    char tmp[256];

    snprintf(cert_dir, sizeof cert_dir, "/tmp/ward-tls-test-%d", (int)getppid());
    if (access(cert_dir, F_OK) == 0)
        return;
    snprintf(tmp, sizeof tmp, "/tmp/ward-tls-gen-XXXXXX");
    cr_assert_not_null(mkdtemp(tmp));
    run_script(gen_script, tmp);
    if (rename(tmp, cert_dir) != 0) { /* another test process won */
        char cmd[512];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
        cr_assert_eq(system(cmd), 0);
    }
}

ReportHook(POST_ALL)(struct criterion_global_stats *stats)
{
    char cmd[256];

    (void)stats;
    snprintf(cmd, sizeof cmd, "rm -rf /tmp/ward-tls-test-%d", (int)getpid());
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove the test certificates\n");
}

static const char *path(const char *name)
{
    static char bufs[8][512];
    static int next;
    char *b = bufs[next++ % 8];

    snprintf(b, 512, "%s/%s", cert_dir, name);
    return b;
}

/* --- the server ---------------------------------------------------------------- */

static ward_server *srv;
static ward_tls *tls;
static unsigned serve_port; /* ward-serve's, when a test runs the binary */

/* /tls: the TLS facts, one per line; else the harness's app. */
static int app(void *arg, const ward_req *req, ward_resp *resp)
{
    char out[8192], len[32];
    const ward_tls_info *t = req->tls;
    int n;

    if (!(req->path.len == 4 && memcmp(req->path.ptr, "/tls", 4) == 0))
        return t_app(arg, req, resp);
    if (t == NULL)
        n = snprintf(out, sizeof out, "no tls\n");
    else
        n = snprintf(out, sizeof out,
                     "protocol=%s\ncipher=%s\nsni=%s\nalpn=%s\nverified=%d\nsubject=%s\n"
                     "issuer=%s\nserial=%s\nstart=%s\nend=%s\nremain=%lld\npem=%d\n",
                     t->protocol, t->cipher, t->sni ? t->sni : "-", t->alpn ? t->alpn : "-",
                     t->client_verified, t->client_subject ? t->client_subject : "-",
                     t->client_issuer ? t->client_issuer : "-",
                     t->client_serial ? t->client_serial : "-",
                     t->client_not_before ? t->client_not_before : "-",
                     t->client_not_after ? t->client_not_after : "-", t->client_v_remain,
                     t->client_pem != NULL &&
                         strncmp(t->client_pem, "-----BEGIN CERTIFICATE-----", 27) == 0);
    snprintf(len, sizeof len, "%d", n);
    ward_resp_field(resp, "Content-Length", len);
    return ward_resp_write(resp, out, (size_t)n);
}

static void tls_defaults(ward_tls_config *tc)
{
    ward_tls_config_init(tc);
    tc->cert_file = path("server.pem");
    tc->key_file = path("server.key");
}

static void start_with(ward_tls_config *tc, ward_server_config *cfg)
{
    char err[512];

    tls = ward_tls_create(tc, err, sizeof err);
    cr_assert_not_null(tls, "ward_tls_create: %s", err);
    cfg->tls = ward_tls_adapter_of(tls);
    cfg->handler = app;
    srv = t_start(cfg);
}

static void start(ward_tls_config *tc)
{
    ward_server_config cfg;

    t_config(&cfg);
    start_with(tc, &cfg);
}

static void setup(void)
{
    certs();
}

static void teardown(void)
{
    if (srv != NULL)
        ward_server_free(srv);
    srv = NULL;
    ward_tls_destroy(tls);
    tls = NULL;
}

/* --- a client of the same TLS library -------------------------------------------- */

/* Where the libraries differ. Both servers take the client's order of TLS
 * 1.3 suites, and a BoringSSL client puts AES-128-GCM first (on a CPU with
 * AES instructions), an OpenSSL client AES-256-GCM. OpenSSL's client, at
 * its default security level, would not offer TLS 1.0 and 1.1 (whether
 * the server takes them is what the tests check), and it skips unknown
 * names in a cipher list where BoringSSL's strict call refuses them. */
#ifdef OPENSSL_IS_BORINGSSL
#define TLS13_FIRST_SUITE "TLS_AES_128_GCM_SHA256"
#define client_lib_ctx(ctx) ((void)(ctx))
#define client_cipher_list SSL_CTX_set_strict_cipher_list
#define get1_peer_certificate SSL_get_peer_certificate
#else
#define TLS13_FIRST_SUITE "TLS_AES_256_GCM_SHA384"
#define client_lib_ctx(ctx) SSL_CTX_set_security_level(ctx, 0)
#define client_cipher_list SSL_CTX_set_cipher_list
#define get1_peer_certificate SSL_get1_peer_certificate
#endif

typedef struct tcl {
    int fd;
    SSL *ssl;
    char buf[65536];
    size_t len;
} tcl;

typedef struct copts {
    uint16_t min, max;        /* 0: library default */
    const char *sni;
    const char *cert, *key;   /* file names in cert_dir */
    const char *alpn;         /* wire format */
    size_t alpn_len;
    const char *ciphers;
    int count_tickets;        /* add the tickets' bytes to ticket_bytes */
} copts;

static size_t ticket_bytes;

/* Each new session: TLS 1.2's after its handshake, TLS 1.3's with each
 * NewSessionTicket. */
static int new_session(SSL *ssl, SSL_SESSION *sess)
{
    const uint8_t *t;
    size_t n;

    (void)ssl;
    SSL_SESSION_get0_ticket(sess, &t, &n);
    ticket_bytes += n;
    return 0; /* not kept */
}

static SSL_CTX *client_ctx(const copts *o)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_method());

    cr_assert_not_null(ctx);
    client_lib_ctx(ctx);
    SSL_CTX_set_min_proto_version(ctx, o->min ? o->min : TLS1_VERSION);
    if (o->max)
        SSL_CTX_set_max_proto_version(ctx, o->max);
    cr_assert_eq(SSL_CTX_load_verify_locations(ctx, path("ca.pem"), NULL), 1);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    if (o->cert != NULL) {
        cr_assert_eq(SSL_CTX_use_certificate_chain_file(ctx, path(o->cert)), 1);
        cr_assert_eq(SSL_CTX_use_PrivateKey_file(ctx, path(o->key), SSL_FILETYPE_PEM), 1);
    }
    if (o->alpn != NULL)
        SSL_CTX_set_alpn_protos(ctx, (const uint8_t *)o->alpn, (unsigned)o->alpn_len);
    if (o->ciphers != NULL)
        cr_assert_eq(client_cipher_list(ctx, o->ciphers), 1);
    if (o->count_tickets) {
        SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT);
        SSL_CTX_sess_set_new_cb(ctx, new_session);
    }
    return ctx;
}

static int tcp_open(unsigned port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    struct timeval tv = {.tv_sec = 5};
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    cr_assert(fd >= 0);
    cr_assert_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    return fd;
}

/* Connect and shake hands; NULL when the handshake fails. */
static tcl *tls_open(const copts *o)
{
    SSL_CTX *ctx = client_ctx(o);
    tcl *c = calloc(1, sizeof *c);

    cr_assert_not_null(c);
    c->fd = tcp_open(serve_port != 0 ? serve_port : ward_server_port(srv));
    c->ssl = SSL_new(ctx);
    SSL_CTX_free(ctx); /* the SSL holds its reference */
    SSL_set_fd(c->ssl, c->fd);
    if (o->sni != NULL)
        SSL_set_tlsext_host_name(c->ssl, o->sni);
    if (SSL_connect(c->ssl) != 1) {
        ERR_clear_error();
        SSL_free(c->ssl);
        close(c->fd);
        free(c);
        return NULL;
    }
    return c;
}

static void tls_close(tcl *c)
{
    if (c == NULL)
        return;
    SSL_free(c->ssl);
    close(c->fd);
    free(c);
}

static int tls_send(tcl *c, const char *s)
{
    return SSL_write(c->ssl, s, (int)strlen(s)) == (int)strlen(s) ? 0 : -1;
}

/* One response with Content-Length: its status, its body in body (NUL-
 * terminated); -1 if the connection failed first. */
static int tls_response(tcl *c, char *body, size_t cap)
{
    for (;;) {
        char *end;
        c->buf[c->len] = '\0';
        end = strstr(c->buf, "\r\n\r\n");
        if (end != NULL) {
            size_t head = (size_t)(end + 4 - c->buf), blen = 0;
            const char *cl = strcasestr(c->buf, "\r\nContent-Length:");
            int status = atoi(c->buf + 9);
            if (cl != NULL && cl < end)
                blen = strtoul(cl + 17, NULL, 10);
            if (c->len >= head + blen) {
                size_t k = blen < cap - 1 ? blen : cap - 1;
                memcpy(body, c->buf + head, k);
                body[k] = '\0';
                memmove(c->buf, c->buf + head + blen, c->len - head - blen);
                c->len -= head + blen;
                return status;
            }
        }
        if (c->len >= sizeof c->buf - 1)
            return -1;
        int n = SSL_read(c->ssl, c->buf + c->len, (int)(sizeof c->buf - 1 - c->len));
        if (n <= 0) {
            ERR_clear_error();
            return -1;
        }
        c->len += (size_t)n;
    }
}

/* GET target on c: the status, the body in body. */
static int get(tcl *c, const char *target, char *body, size_t cap)
{
    char req[256];

    snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: a.test\r\n\r\n", target);
    if (tls_send(c, req) != 0)
        return -1;
    return tls_response(c, body, cap);
}

/* The value of "name=" in a /tls body. */
static const char *fact(const char *body, const char *name, char *out, size_t cap)
{
    char key[64];
    const char *p;
    size_t n = 0;

    snprintf(key, sizeof key, "%s=", name);
    for (p = body; p != NULL; p = strchr(p, '\n')) {
        if (*p == '\n')
            p++;
        if (strncmp(p, key, strlen(key)) == 0) {
            p += strlen(key);
            while (p[n] != '\n' && p[n] != '\0' && n + 1 < cap)
                n++;
            memcpy(out, p, n);
            out[n] = '\0';
            return out;
        }
    }
    out[0] = '\0';
    return out;
}

/* A fresh connection's /tls facts; 0, or -1 when the handshake or the
 * request failed. */
static int facts(const copts *o, char *body, size_t cap)
{
    tcl *c = tls_open(o);
    int st;

    if (c == NULL)
        return -1;
    st = get(c, "/tls", body, cap);
    tls_close(c);
    return st == 200 ? 0 : -1;
}

static char *peer_cn(tcl *c, char *out, size_t cap)
{
    X509 *x = get1_peer_certificate(c->ssl);

    out[0] = '\0';
    if (x != NULL) {
        X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, out, (int)cap);
        X509_free(x);
    }
    return out;
}

/* --- versions, ciphers, ALPN, SNI ------------------------------------------------- */

TestSuite(tls, .init = setup, .fini = teardown, .timeout = 30);

Test(tls, handshake_at_each_allowed_version)
{
    ward_tls_config tc;
    char body[8192], v[128];

    tls_defaults(&tc);
    start(&tc);
    cr_assert_eq(facts(&(copts){.min = TLS1_2_VERSION, .max = TLS1_2_VERSION}, body, sizeof body), 0);
    cr_expect_str_eq(fact(body, "protocol", v, sizeof v), "TLSv1.2");
    cr_assert_eq(facts(&(copts){.min = TLS1_3_VERSION, .max = TLS1_3_VERSION}, body, sizeof body), 0);
    cr_expect_str_eq(fact(body, "protocol", v, sizeof v), "TLSv1.3");
    cr_expect_str_eq(fact(body, "cipher", v, sizeof v), TLS13_FIRST_SUITE);
    cr_expect_str_eq(fact(body, "verified", v, sizeof v), "0");
    cr_expect_str_eq(fact(body, "subject", v, sizeof v), "-");
}

Test(tls, old_versions_when_allowed)
{
    ward_tls_config tc;
    char body[8192], v[128];

    tls_defaults(&tc);
    tc.min_version = "1.0";
    start(&tc);
    cr_assert_eq(facts(&(copts){.min = TLS1_VERSION, .max = TLS1_VERSION}, body, sizeof body), 0);
    cr_expect_str_eq(fact(body, "protocol", v, sizeof v), "TLSv1");
    cr_assert_eq(facts(&(copts){.min = TLS1_1_VERSION, .max = TLS1_1_VERSION}, body, sizeof body), 0);
    cr_expect_str_eq(fact(body, "protocol", v, sizeof v), "TLSv1.1");
}

Test(tls, refused_below_default_minimum)
{
    ward_tls_config tc;

    tls_defaults(&tc);
    start(&tc);
    cr_expect_null(tls_open(&(copts){.max = TLS1_1_VERSION}));
    cr_expect_null(tls_open(&(copts){.max = TLS1_VERSION}));
}

Test(tls, refused_below_configured_minimum)
{
    ward_tls_config tc;
    char body[8192], v[64];

    tls_defaults(&tc);
    tc.min_version = "1.3";
    start(&tc);
    cr_expect_null(tls_open(&(copts){.max = TLS1_2_VERSION}));
    cr_assert_eq(facts(&(copts){0}, body, sizeof body), 0);
    cr_expect_str_eq(fact(body, "protocol", v, sizeof v), "TLSv1.3");
}

Test(tls, maximum_version)
{
    ward_tls_config tc;
    char body[8192], v[64];

    tls_defaults(&tc);
    tc.max_version = "1.2";
    start(&tc);
    cr_expect_null(tls_open(&(copts){.min = TLS1_3_VERSION}));
    cr_assert_eq(facts(&(copts){0}, body, sizeof body), 0);
    cr_expect_str_eq(fact(body, "protocol", v, sizeof v), "TLSv1.2");
}

Test(tls, bad_configuration_is_refused)
{
    ward_tls_config tc;
    char err[512];

    tls_defaults(&tc);
    tc.min_version = "1.3";
    tc.max_version = "1.2";
    cr_expect_null(ward_tls_create(&tc, err, sizeof err));
    tls_defaults(&tc);
    tc.ciphers = "NO-SUCH-CIPHER";
    cr_expect_null(ward_tls_create(&tc, err, sizeof err));
    tls_defaults(&tc);
    tc.ciphers = "ECDHE-ECDSA-CHACHA20-POLY1305:NO-SUCH-CIPHER"; /* one unknown is enough */
    cr_expect_null(ward_tls_create(&tc, err, sizeof err));
    tls_defaults(&tc);
    tc.key_file = path("client.key"); /* not the certificate's key */
    cr_expect_null(ward_tls_create(&tc, err, sizeof err));
    tls_defaults(&tc);
    tc.client_auth = WARD_TLS_CLIENT_REQUIRED; /* without a CA file */
    cr_expect_null(ward_tls_create(&tc, err, sizeof err));
}

Test(tls, cipher_list_and_curves)
{
    ward_tls_config tc;
    char body[8192], v[128];

    tls_defaults(&tc);
    tc.ciphers = "ECDHE-ECDSA-CHACHA20-POLY1305";
    tc.curves = "P-256";
    start(&tc);
    cr_assert_eq(facts(&(copts){.max = TLS1_2_VERSION}, body, sizeof body), 0);
    cr_expect_str_eq(fact(body, "cipher", v, sizeof v),
                     "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
    /* a client without that cipher */
    cr_expect_null(tls_open(&(copts){.max = TLS1_2_VERSION,
                                     .ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256"}));
}

Test(tls, alpn_http11)
{
    ward_tls_config tc;
    char body[8192], v[64];
    static const char both[] = "\x02h2\x08http/1.1", h2[] = "\x02h2";

    tls_defaults(&tc);
    start(&tc);
    cr_assert_eq(facts(&(copts){.alpn = both, .alpn_len = sizeof both - 1}, body, sizeof body), 0);
    cr_expect_str_eq(fact(body, "alpn", v, sizeof v), "http/1.1");
    cr_assert_eq(facts(&(copts){.alpn = h2, .alpn_len = sizeof h2 - 1}, body, sizeof body), 0);
    cr_expect_str_eq(fact(body, "alpn", v, sizeof v), "-");
    cr_assert_eq(facts(&(copts){0}, body, sizeof body), 0);
    cr_expect_str_eq(fact(body, "alpn", v, sizeof v), "-");
}

Test(tls, alpn_off)
{
    ward_tls_config tc;
    char body[8192], v[64];
    static const char both[] = "\x02h2\x08http/1.1";

    tls_defaults(&tc);
    tc.alpn = 0;
    start(&tc);
    cr_assert_eq(facts(&(copts){.alpn = both, .alpn_len = sizeof both - 1}, body, sizeof body), 0);
    cr_expect_str_eq(fact(body, "alpn", v, sizeof v), "-");
}

Test(tls, sni_selects_certificate)
{
    ward_tls_config tc;
    ward_tls_sni sni[1];
    char body[8192], v[256];
    tcl *c;

    tls_defaults(&tc);
    sni[0] = (ward_tls_sni){"b.test", path("sni.pem"), path("sni.key")};
    tc.sni = sni;
    tc.nsni = 1;
    start(&tc);
    c = tls_open(&(copts){.sni = "B.test"});
    cr_assert_not_null(c);
    cr_expect_str_eq(peer_cn(c, v, sizeof v), "b.test");
    cr_assert_eq(get(c, "/tls", body, sizeof body), 200);
    cr_expect_str_eq(fact(body, "sni", v, sizeof v), "B.test");
    tls_close(c);
    c = tls_open(&(copts){.sni = "a.test"});
    cr_assert_not_null(c);
    cr_expect_str_eq(peer_cn(c, v, sizeof v), "a.test");
    tls_close(c);
    c = tls_open(&(copts){0});
    cr_assert_not_null(c);
    cr_expect_str_eq(peer_cn(c, v, sizeof v), "a.test");
    cr_assert_eq(get(c, "/tls", body, sizeof body), 200);
    cr_expect_str_eq(fact(body, "sni", v, sizeof v), "-");
    tls_close(c);
}

/* The ticket bytes a client gets over one request at version v, from a
 * server with tickets on or off (TLS 1.3's come after the handshake,
 * before the response). */
static size_t ticket_bytes_at(uint16_t v, int tickets)
{
    ward_tls_config tc;
    tcl *c;
    char body[8192];

    tls_defaults(&tc);
    tc.tickets = tickets;
    start(&tc);
    ticket_bytes = 0;
    c = tls_open(&(copts){.min = v, .max = v, .count_tickets = 1});
    cr_assert_not_null(c);
    cr_assert_eq(get(c, "/hello", body, sizeof body), 200);
    tls_close(c);
    teardown();
    return ticket_bytes;
}

Test(tls, tickets_on_and_off)
{
    cr_expect_eq(ticket_bytes_at(TLS1_2_VERSION, 0), 0, "a TLS 1.2 ticket with tickets off");
    cr_expect_gt(ticket_bytes_at(TLS1_2_VERSION, 1), 0, "no TLS 1.2 ticket with tickets on");
    cr_expect_eq(ticket_bytes_at(TLS1_3_VERSION, 0), 0, "a TLS 1.3 ticket with tickets off");
    cr_expect_gt(ticket_bytes_at(TLS1_3_VERSION, 1), 0, "no TLS 1.3 ticket with tickets on");
}

/* --- client certificates ---------------------------------------------------------- */

static void start_client_auth(int mode)
{
    ward_tls_config tc;

    tls_defaults(&tc);
    tc.client_auth = mode;
    tc.client_ca_file = path("ca.pem");
    start(&tc);
}

Test(tls, client_auth_required)
{
    char body[8192], v[4096];

    start_client_auth(WARD_TLS_CLIENT_REQUIRED);
    cr_assert_eq(facts(&(copts){.cert = "client.pem", .key = "client.key"}, body, sizeof body), 0);
    cr_expect_str_eq(fact(body, "verified", v, sizeof v), "1");
    cr_expect_str_eq(fact(body, "subject", v, sizeof v), "CN=ward client,O=ward");
    cr_expect_str_eq(fact(body, "issuer", v, sizeof v), "CN=ward test CA,O=ward");
    cr_expect_neq(strcmp(fact(body, "serial", v, sizeof v), "-"), 0);
    cr_expect_eq(strlen(fact(body, "start", v, sizeof v)), 20);
    cr_expect_eq(strlen(fact(body, "end", v, sizeof v)), 20);
    fact(body, "remain", v, sizeof v);
    cr_expect(strcmp(v, "29") == 0 || strcmp(v, "30") == 0, "V_REMAIN %s", v);
    cr_expect_str_eq(fact(body, "pem", v, sizeof v), "1");
    /* no certificate: refused (at TLS 1.3 the alert comes with the first read) */
    cr_expect_eq(facts(&(copts){.max = TLS1_2_VERSION}, body, sizeof body), -1);
    cr_expect_eq(facts(&(copts){0}, body, sizeof body), -1);
}

Test(tls, client_auth_optional)
{
    char body[8192], v[512];

    start_client_auth(WARD_TLS_CLIENT_OPTIONAL);
    cr_assert_eq(facts(&(copts){0}, body, sizeof body), 0);
    cr_expect_str_eq(fact(body, "verified", v, sizeof v), "0");
    cr_expect_str_eq(fact(body, "subject", v, sizeof v), "-");
    cr_assert_eq(facts(&(copts){.cert = "client.pem", .key = "client.key"}, body, sizeof body), 0);
    cr_expect_str_eq(fact(body, "verified", v, sizeof v), "1");
    cr_expect_str_eq(fact(body, "subject", v, sizeof v), "CN=ward client,O=ward");
}

Test(tls, client_cert_from_unknown_ca_refused)
{
    char body[8192];

    start_client_auth(WARD_TLS_CLIENT_OPTIONAL);
    cr_expect_eq(facts(&(copts){.cert = "rogue.pem", .key = "rogue.key"}, body, sizeof body), -1);
    cr_expect_eq(facts(&(copts){.max = TLS1_2_VERSION, .cert = "rogue.pem", .key = "rogue.key"},
                       body, sizeof body),
                 -1);
    teardown();
    start_client_auth(WARD_TLS_CLIENT_REQUIRED);
    cr_expect_eq(facts(&(copts){.cert = "rogue.pem", .key = "rogue.key"}, body, sizeof body), -1);
}

Test(tls, expired_client_cert_refused)
{
    char body[8192];

    start_client_auth(WARD_TLS_CLIENT_REQUIRED);
    cr_expect_eq(facts(&(copts){.cert = "expired.pem", .key = "expired.key"}, body, sizeof body), -1);
    teardown();
    start_client_auth(WARD_TLS_CLIENT_OPTIONAL);
    cr_expect_eq(facts(&(copts){.cert = "expired.pem", .key = "expired.key"}, body, sizeof body), -1);
}

Test(tls, no_client_auth_ignores_client_cert)
{
    ward_tls_config tc;
    char body[8192], v[64];

    tls_defaults(&tc);
    start(&tc);
    cr_assert_eq(facts(&(copts){.cert = "client.pem", .key = "client.key"}, body, sizeof body), 0);
    cr_expect_str_eq(fact(body, "verified", v, sizeof v), "0");
    cr_expect_str_eq(fact(body, "subject", v, sizeof v), "-");
}

/* --- the wire: plain HTTP, silent clients, the handshake deadline ----------------- */

Test(tls, plain_http_gets_400_then_close)
{
    ward_tls_config tc;
    tconn *c;
    tresp r;

    tls_defaults(&tc);
    start(&tc);
    c = tc_open(ward_server_port(srv));
    tc_sends(c, "GET / HTTP/1.1\r\nHost: a.test\r\n\r\n");
    cr_assert_eq(tc_response(c, &r, 0), 0);
    cr_expect_eq(r.status, 400, "%s", r.head);
    cr_expect_not_null(strstr((char *)r.body, "HTTPS"), "%s", (char *)r.body);
    tr_free(&r);
    cr_expect_eq(tc_eof(c, T_DEADLINE_MS), 1);
    tc_close(c);
}

Test(tls, garbage_closes_silently)
{
    ward_tls_config tc;
    tconn *c;

    tls_defaults(&tc);
    start(&tc);
    c = tc_open(ward_server_port(srv));
    tc_send(c, "\x01\x02\x03\x04", 4);
    cr_expect_eq(tc_eof(c, T_DEADLINE_MS), 1);
    cr_expect_eq(c->len, 0);
    tc_close(c);
}

static long ms_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

Test(tls, silent_clients_do_not_delay_a_real_one)
{
    ward_tls_config tc;
    ward_server_config cfg;
    tconn *silent[50];
    char body[8192];
    long t0;
    tcl *c;

    tls_defaults(&tc);
    t_config(&cfg);
    cfg.min_threads = 2;
    cfg.max_threads = 4; /* fewer workers than silent clients */
    start_with(&tc, &cfg);
    for (int i = 0; i < 50; i++)
        silent[i] = tc_open(ward_server_port(srv));
    t0 = ms_now();
    c = tls_open(&(copts){0});
    cr_assert_not_null(c);
    cr_assert_eq(get(c, "/hello", body, sizeof body), 200);
    cr_expect_lt(ms_now() - t0, 1000, "a real client took %ld ms", ms_now() - t0);
    tls_close(c);
    for (int i = 0; i < 50; i++)
        tc_close(silent[i]);
}

Test(tls, handshake_deadline)
{
    ward_tls_config tc;
    ward_server_config cfg;
    tconn *c, *d;
    long t0;

    tls_defaults(&tc);
    t_config(&cfg);
    cfg.tls_handshake_timeout_ms = 300;
    start_with(&tc, &cfg);
    c = tc_open(ward_server_port(srv));
    d = tc_open(ward_server_port(srv));
    tc_send(d, "\x16\x03\x01\x02\x00\x01", 6); /* the start of a ClientHello */
    t0 = ms_now();
    cr_expect_eq(tc_eof(c, T_DEADLINE_MS), 1);
    cr_expect_eq(tc_eof(d, T_DEADLINE_MS), 1);
    cr_expect_lt(ms_now() - t0, 2000);
    cr_expect_eq(c->len + d->len, 0);
    tc_close(c);
    tc_close(d);
}

/* --- HTTP over TLS -------------------------------------------------------------- */

Test(tls, keepalive_and_pipelining)
{
    ward_tls_config tc;
    char body[8192];
    tcl *c;

    tls_defaults(&tc);
    start(&tc);
    c = tls_open(&(copts){0});
    cr_assert_not_null(c);
    for (int i = 0; i < 5; i++) {
        cr_assert_eq(get(c, "/hello", body, sizeof body), 200);
        cr_expect_str_eq(body, "hello\n");
    }
    cr_assert_eq(tls_send(c, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n"
                             "GET /tls HTTP/1.1\r\nHost: a\r\n\r\n"
                             "POST /read HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nabcde"
                             "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n"),
                 0);
    cr_expect_eq(tls_response(c, body, sizeof body), 200);
    cr_expect_str_eq(body, "hello\n");
    cr_expect_eq(tls_response(c, body, sizeof body), 200);
    cr_expect_not_null(strstr(body, "protocol=TLSv1.3"));
    cr_expect_eq(tls_response(c, body, sizeof body), 200);
    cr_expect_str_eq(body, "read 5\n");
    cr_expect_eq(tls_response(c, body, sizeof body), 200);
    cr_expect_str_eq(body, "hello\n");
    tls_close(c);
}

Test(tls, large_body_both_ways)
{
    ward_tls_config tc;
    static char big[200000], body[8192];
    char head[128];
    tcl *c;

    tls_defaults(&tc);
    start(&tc);
    c = tls_open(&(copts){0});
    cr_assert_not_null(c);
    memset(big, 'x', sizeof big);
    snprintf(head, sizeof head, "POST /read HTTP/1.1\r\nHost: a\r\nContent-Length: %zu\r\n\r\n",
             sizeof big);
    cr_assert_eq(tls_send(c, head), 0);
    cr_assert_eq(SSL_write(c->ssl, big, sizeof big), (int)sizeof big);
    cr_expect_eq(tls_response(c, body, sizeof body), 200);
    cr_expect_str_eq(body, "read 200000\n");
    cr_assert_eq(get(c, "/hello", body, sizeof body), 200);
    tls_close(c);
}

Test(tls, echo_gateway_has_tls_facts)
{
    ward_tls_config tc;
    static char body[65536];
    tcl *c;

    tls_defaults(&tc);
    tc.client_auth = WARD_TLS_CLIENT_OPTIONAL;
    tc.client_ca_file = path("ca.pem");
    start(&tc);
    c = tls_open(&(copts){.sni = "a.test", .cert = "client.pem", .key = "client.key"});
    cr_assert_not_null(c);
    cr_assert_eq(get(c, "/echo", body, sizeof body), 200);
    cr_expect_not_null(strstr(body, "\"tls\":{\"SSL_PROTOCOL\":\"TLSv1.3\""), "%s", body);
    cr_expect_not_null(strstr(body, "\"SSL_TLS_SNI\":\"a.test\""), "%s", body);
    cr_expect_not_null(strstr(body, "\"SSL_CLIENT_VERIFY\":\"SUCCESS\""), "%s", body);
    cr_expect_not_null(strstr(body, "\"SSL_CLIENT_S_DN\":\"CN=ward client,O=ward\""), "%s", body);
    cr_expect_not_null(strstr(body, "\"SSL_CLIENT_CERT\":\"-----BEGIN CERTIFICATE-----"), "%s",
                       body);
    tls_close(c);
}

/* --- request bodies, collected without a worker waiting -------------------------- */

/* SSL_write each piece of s, 1..5 bytes: one TLS record each. */
static void tls_send_split(tcl *c, const char *s)
{
    size_t n = strlen(s);

    for (size_t k = 0, piece = 1; k < n; k += piece, piece = piece % 5 + 1) {
        if (piece > n - k)
            piece = n - k;
        cr_assert_eq(SSL_write(c->ssl, s + k, (int)piece), (int)piece);
    }
}

/* One worker; a client that sent part of a body holds it not: another
 * client shakes hands and is served, then the first one's body, sent in
 * one-record pieces, reaches the handler whole. */
Test(tls, slow_body_sender_does_not_hold_the_only_worker)
{
    ward_tls_config tc;
    ward_server_config cfg;
    static char body[65536];
    tcl *a, *b;

    tls_defaults(&tc);
    t_config(&cfg);
    cfg.min_threads = cfg.max_threads = 1;
    cfg.body_rate_grace_ms = 60000; /* a stays within the body's deadlines */
    start_with(&tc, &cfg);
    a = tls_open(&(copts){0});
    cr_assert_not_null(a);
    cr_assert_eq(tls_send(a, "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhel"), 0);
    /* a's body is held by the event side (polled, bounded), not a worker */
    for (int i = 0; i < T_DEADLINE_MS / 10; i++) {
        ward_server_stats st;
        ward_server_stats_get(srv, &st, NULL, NULL);
        if (st.held == 1 && st.threads_idle == 1)
            break;
        (void)poll(NULL, 0, 10);
    }
    b = tls_open(&(copts){0});
    cr_assert_not_null(b, "the only worker is held by a body");
    cr_assert_eq(get(b, "/hello", body, sizeof body), 200);
    cr_expect_str_eq(body, "hello\n");
    tls_close(b);
    tls_send_split(a, "lo world");
    cr_assert_eq(tls_response(a, body, sizeof body), 200);
    cr_expect_not_null(strstr(body, "\"body_length\":11,\"body_base64\":\"aGVsbG8gd29ybGQ=\""), "%s",
                       body);
    tls_close(a);
}

/* --- responses, finished without a worker waiting -------------------------------- */

/* One worker; a TLS client with a 4 KiB receive window asks for a 16 MiB
 * file (sparse: "BEGIN" first, "END" last) and reads nothing: another
 * client shakes hands and is served meanwhile (a worker waiting for the
 * reader would keep it out for a minute); then the reader takes every
 * byte. Over TLS the file goes out by pread() into records, staged by
 * the event side. */
Test(tls, slow_reader_does_not_hold_the_only_worker)
{
    enum { LEN = 16 << 20 };
    ward_tls_config tc;
    ward_server_config cfg;
    static char body[65536];
    char path_[] = "/tmp/ward-tls-slow-XXXXXX", first[8] = "", last[8] = "";
    int rcv = 4096, fd = mkstemp(path_);
    size_t got = 0, head = 0;
    struct pollfd pfd;
    tcl *a, *b;
    SSL_CTX *ctx;

    cr_assert_geq(fd, 0);
    unlink(path_);
    cr_assert_eq(ftruncate(fd, LEN), 0);
    cr_assert_eq(pwrite(fd, "BEGIN", 5, 0), 5);
    cr_assert_eq(pwrite(fd, "END", 3, LEN - 3), 3);
    t_file_fd = fd;
    t_file_len = LEN;
    tls_defaults(&tc);
    t_config(&cfg);
    cfg.min_threads = cfg.max_threads = 1;
    cfg.read_timeout_ms = 60000; /* no rule cuts the reader off here */
    cfg.send_rate_grace_ms = 60000;
    start_with(&tc, &cfg);

    a = calloc(1, sizeof *a);
    cr_assert_not_null(a);
    a->fd = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert_geq(a->fd, 0);
    cr_assert_eq(setsockopt(a->fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv), 0);
    {
        struct sockaddr_in sa = {.sin_family = AF_INET,
                                 .sin_port = htons((uint16_t)ward_server_port(srv)),
                                 .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        struct timeval tv = {.tv_sec = 5};
        cr_assert_eq(connect(a->fd, (struct sockaddr *)&sa, sizeof sa), 0);
        setsockopt(a->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }
    ctx = client_ctx(&(copts){0});
    a->ssl = SSL_new(ctx);
    SSL_CTX_free(ctx);
    SSL_set_fd(a->ssl, a->fd);
    cr_assert_eq(SSL_connect(a->ssl), 1);
    cr_assert_eq(tls_send(a, "GET /file HTTP/1.1\r\nHost: a\r\n\r\n"), 0);
    pfd = (struct pollfd){.fd = a->fd, .events = POLLIN};
    cr_assert_eq(poll(&pfd, 1, T_DEADLINE_MS), 1, "the reader's request was not answered");

    b = tls_open(&(copts){0});
    cr_assert_not_null(b, "the only worker is held by a reader");
    cr_assert_eq(get(b, "/hello", body, sizeof body), 200);
    cr_expect_str_eq(body, "hello\n");
    tls_close(b);

    /* the reader now takes the head, then every body byte */
    while (head == 0 || got < head + LEN) {
        int n = SSL_read(a->ssl, body, sizeof body);
        cr_assert_gt(n, 0, "the response stopped after %zu bytes", got);
        for (int i = 0; i < n; i++, got++) {
            if (head == 0) {
                static char h[4096];
                cr_assert_lt(got, sizeof h - 1);
                h[got] = body[i];
                h[got + 1] = '\0';
                if (got >= 3 && memcmp(h + got - 3, "\r\n\r\n", 4) == 0) {
                    cr_assert_eq(strncmp(h, "HTTP/1.1 200 ", 13), 0, "%s", h);
                    cr_assert_not_null(strstr(h, "Content-Length: 16777216\r\n"), "%s", h);
                    head = got + 1;
                }
            } else if (got - head < 5) {
                first[got - head] = body[i];
            } else if (got - head >= LEN - 3) {
                last[got - head - (LEN - 3)] = body[i];
            }
        }
    }
    cr_expect_eq(got, head + LEN);
    cr_expect_str_eq(first, "BEGIN");
    cr_expect_str_eq(last, "END");
    tls_close(a);
    close(fd);
    t_file_fd = -1;
}

/* A TLS body below the minimum rate: the event side's 408 goes out over
 * TLS, then the connection closes. The client sends one record a poll
 * (100 ms), far below 1000 bytes a second. */
Test(tls, body_below_min_rate_gets_408)
{
    ward_tls_config tc;
    ward_server_config cfg;
    static char body[65536];
    int status = -1;
    tcl *c;

    tls_defaults(&tc);
    t_config(&cfg);
    cfg.body_min_rate = 1000;
    cfg.body_rate_grace_ms = 500;
    cfg.body_timeout_ms = 60000;
    start_with(&tc, &cfg);
    c = tls_open(&(copts){0});
    cr_assert_not_null(c);
    cr_assert_eq(tls_send(c, "POST /read HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\nab"), 0);
    for (int i = 0; i < 200; i++) { /* 20 s at most; the 408 is due after about 0.5 s */
        struct pollfd p = {.fd = c->fd, .events = POLLIN};
        if (poll(&p, 1, 100) == 1) {
            status = tls_response(c, body, sizeof body);
            break;
        }
        (void)SSL_write(c->ssl, "x", 1);
    }
    cr_expect_eq(status, 408);
    cr_expect_eq(SSL_read(c->ssl, body, sizeof body), 0, "the connection stays open");
    tls_close(c);
}

/* Chunked, with 100-continue, split into one-record pieces: the server's
 * 100 comes over TLS, the decoded body reaches the handler; the
 * connection then serves the next request. */
Test(tls, chunked_body_with_continue_collected_whole)
{
    ward_tls_config tc;
    static char body[65536];
    tcl *c;

    tls_defaults(&tc);
    start(&tc);
    c = tls_open(&(copts){0});
    cr_assert_not_null(c);
    tls_send_split(c, "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
                      "Expect: 100-continue\r\n\r\n");
    cr_assert_eq(tls_response(c, body, sizeof body), 100);
    tls_send_split(c, "5\r\nhello\r\n1;x=y\r\n \r\n5\r\nworld\r\n0\r\nX-T: 1\r\n\r\n");
    cr_assert_eq(tls_response(c, body, sizeof body), 200);
    cr_expect_not_null(strstr(body, "\"body_length\":11,\"body_base64\":\"aGVsbG8gd29ybGQ=\""), "%s",
                       body);
    cr_assert_eq(get(c, "/hello", body, sizeof body), 200);
    tls_close(c);
}

/* --- reload ----------------------------------------------------------------------- */

Test(tls, reload_keeps_connections_and_serves_new_certificate)
{
    ward_tls_config tc;
    char dir[] = "/tmp/ward-tls-reload-XXXXXX", cmd[1024], body[8192], v[256], err[512];
    char cert[512], key[512];
    tcl *old, *fresh;

    cr_assert_not_null(mkdtemp(dir));
    snprintf(cmd, sizeof cmd, "cp '%s' '%s' '%s'", path("server.pem"), path("server.key"), dir);
    cr_assert_eq(system(cmd), 0);
    snprintf(cert, sizeof cert, "%s/server.pem", dir);
    snprintf(key, sizeof key, "%s/server.key", dir);
    ward_tls_config_init(&tc);
    tc.cert_file = cert;
    tc.key_file = key;
    start(&tc);
    old = tls_open(&(copts){0});
    cr_assert_not_null(old);
    cr_expect_str_eq(peer_cn(old, v, sizeof v), "a.test");
    /* a new certificate (the SNI one) in place of the old */
    snprintf(cmd, sizeof cmd, "cp '%s' '%s/server.pem' && cp '%s' '%s/server.key'",
             path("sni.pem"), dir, path("sni.key"), dir);
    cr_assert_eq(system(cmd), 0);
    cr_assert_eq(ward_tls_reload(tls, err, sizeof err), 0, "%s", err);
    cr_assert_eq(get(old, "/hello", body, sizeof body), 200); /* not dropped */
    fresh = tls_open(&(copts){0});
    cr_assert_not_null(fresh);
    cr_expect_str_eq(peer_cn(fresh, v, sizeof v), "b.test");
    cr_assert_eq(get(fresh, "/hello", body, sizeof body), 200);
    /* a broken file: the reload fails and the last good certificate stays */
    snprintf(cmd, sizeof cmd, "echo broken > '%s/server.pem'", dir);
    cr_assert_eq(system(cmd), 0);
    cr_expect_eq(ward_tls_reload(tls, err, sizeof err), -1);
    tls_close(fresh);
    fresh = tls_open(&(copts){0});
    cr_assert_not_null(fresh);
    cr_expect_str_eq(peer_cn(fresh, v, sizeof v), "b.test");
    cr_assert_eq(get(old, "/hello", body, sizeof body), 200);
    tls_close(fresh);
    tls_close(old);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

/* --- ward-serve: flags, the echo gateway's TLS facts, reload on SIGHUP ------------ */

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

/* Wait until the file holds want; a pointer just past it in buf, or NULL. */
static const char *log_wait(const char *file, const char *want, char *buf, size_t cap)
{
    long deadline = ms_now() + T_DEADLINE_MS;

    while (ms_now() < deadline) {
        FILE *f = fopen(file, "r");
        if (f != NULL) {
            size_t n = fread(buf, 1, cap - 1, f);
            const char *p;
            fclose(f);
            buf[n] = '\0';
            if ((p = strstr(buf, want)) != NULL)
                return p + strlen(want);
        }
        usleep(20000);
    }
    return NULL;
}

Test(tls, ward_serve_tls_flags_echo_and_sighup_reload)
{
    char dir[] = "/tmp/ward-tls-serve-XXXXXX", cmd[2048], log[512], buf[8192], v[256];
    static char body[65536];
    char cert[512], key[512], ca[512], sni_arg[1200];
    const char *p;
    tcl *old, *fresh;
    pid_t pid;
    int status;

    cr_assert_not_null(mkdtemp(dir));
    snprintf(cmd, sizeof cmd, "cp '%s' '%s' '%s'", path("server.pem"), path("server.key"), dir);
    cr_assert_eq(system(cmd), 0);
    snprintf(cert, sizeof cert, "%s/server.pem", dir);
    snprintf(key, sizeof key, "%s/server.key", dir);
    snprintf(ca, sizeof ca, "%s", path("ca.pem"));
    snprintf(log, sizeof log, "%s/error.log", dir);
    snprintf(sni_arg, sizeof sni_arg, "c.test=%s,%s", path("sni.pem"), path("sni.key"));
    pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        execl(binary(), binary(), "--bind", "127.0.0.1:0", "--echo", "--threads", "2:4",
              "--tls-cert", cert, "--tls-key", key, "--tls-min-version", "1.2",
              "--tls-max-version", "1.3", "--tls-client-auth", "optional", "--tls-client-ca",
              ca, "--tls-sni", sni_arg, "--tls-tickets", "off", "--tls-curves", "X25519:P-256",
              "--tls-handshake-timeout", "5000", "--error-log", log, (char *)NULL);
        _exit(127);
    }
    p = log_wait(log, "echo gateway on https://127.0.0.1:", buf, sizeof buf);
    cr_assert_not_null(p, "ward-serve did not start: %s", buf);
    serve_port = (unsigned)atoi(p);
    old = tls_open(&(copts){.cert = "client.pem", .key = "client.key"});
    cr_assert_not_null(old);
    cr_expect_str_eq(peer_cn(old, v, sizeof v), "a.test");
    cr_assert_eq(get(old, "/x", body, sizeof body), 200);
    cr_expect_not_null(strstr(body, "\"SSL_CLIENT_VERIFY\":\"SUCCESS\""), "%s", body);
    cr_expect_not_null(strstr(body, "\"SSL_CLIENT_S_DN\":\"CN=ward client,O=ward\""), "%s", body);
    fresh = tls_open(&(copts){.sni = "c.test"});
    cr_assert_not_null(fresh);
    cr_expect_str_eq(peer_cn(fresh, v, sizeof v), "b.test"); /* --tls-sni */
    tls_close(fresh);
    /* new files, SIGHUP: open connections stay, new ones get the new certificate */
    snprintf(cmd, sizeof cmd, "cp '%s' '%s/server.pem' && cp '%s' '%s/server.key'",
             path("sni.pem"), dir, path("sni.key"), dir);
    cr_assert_eq(system(cmd), 0);
    cr_assert_eq(kill(pid, SIGHUP), 0);
    cr_assert_not_null(log_wait(log, "TLS certificates reloaded", buf, sizeof buf), "%s", buf);
    cr_assert_eq(get(old, "/x", body, sizeof body), 200);
    fresh = tls_open(&(copts){0});
    cr_assert_not_null(fresh);
    cr_expect_str_eq(peer_cn(fresh, v, sizeof v), "b.test");
    tls_close(fresh);
    tls_close(old);
    kill(pid, SIGTERM);
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %d", status);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

Test(tls, ward_serve_tls_flag_errors)
{
    char cmd[1024];

    snprintf(cmd, sizeof cmd, "%s --tls-cert x.pem >/dev/null 2>&1", binary());
    cr_expect_eq(WEXITSTATUS(system(cmd)), 2); /* no key */
    snprintf(cmd, sizeof cmd, "%s --tls-min-version 1.4 >/dev/null 2>&1", binary());
    cr_expect_eq(WEXITSTATUS(system(cmd)), 2);
    snprintf(cmd, sizeof cmd,
             "%s --tls-cert x --tls-key y --tls-client-auth required >/dev/null 2>&1", binary());
    cr_expect_eq(WEXITSTATUS(system(cmd)), 2); /* no CA */
    snprintf(cmd, sizeof cmd, "%s --tls-cert /nonexistent --tls-key /nonexistent "
                              "--bind 127.0.0.1:0 >/dev/null 2>&1", binary());
    cr_expect_eq(WEXITSTATUS(system(cmd)), 1); /* cannot load */
}
