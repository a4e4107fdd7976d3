/* SPDX-License-Identifier: MIT */
/* ward_tls.h - TLS for ward's server, on BoringSSL or OpenSSL 3 (chosen
 * when the library is built: tls_backend in build.ninja; the API is the
 * same on both).
 *
 * The server knows TLS only through its adapter interface
 * (ward_tls_adapter in server/ward_server.h); this library provides one.
 * The handshake is non-blocking and driven by the server's workers, with
 * the connection manager holding a connection between handshake steps
 * under ward_server_config.tls_handshake_timeout_ms; the listener never
 * touches TLS, so clients that never finish a handshake delay no one.
 *
 *     ward_tls_config tc;
 *     ward_tls_config_init(&tc);
 *     tc.cert_file = "server.pem"; tc.key_file = "server.key";
 *     ward_tls *t = ward_tls_create(&tc, err, sizeof err);
 *     cfg.tls = ward_tls_adapter_of(t);      // then ward_server_create()
 *     ...
 *     ward_tls_reload(t, err, sizeof err);   // e.g. on SIGHUP
 *     ...
 *     ward_tls_destroy(t);                   // after ward_server_destroy()
 */
#ifndef WARD_TLS_H
#define WARD_TLS_H

#include <stddef.h>

#include "ward_server.h"

#ifdef __cplusplus
extern "C" {
#endif

enum ward_tls_client_auth {
    WARD_TLS_CLIENT_NONE = 0,     /* no certificate asked for */
    WARD_TLS_CLIENT_OPTIONAL = 1, /* asked for; none is fine, a bad one fails */
    WARD_TLS_CLIENT_REQUIRED = 2  /* a certificate verified against client_ca_file */
};

/* An SNI name served with its own certificate chain and key. */
typedef struct ward_tls_sni {
    const char *name;     /* exact host name, case-insensitive */
    const char *cert_file;
    const char *key_file;
} ward_tls_sni;

typedef struct ward_tls_config {
    const char *cert_file;   /* PEM chain, leaf first (required) */
    const char *key_file;    /* PEM private key (required) */
    const char *min_version; /* "1.0", "1.1", "1.2" (default), "1.3" */
    const char *max_version; /* default "1.3" */
    const char *ciphers;     /* TLS 1.2 and below, OpenSSL syntax; NULL: BoringSSL's
                                default (on OpenSSL 3 the same list, 3DES aside) */
    const char *curves;      /* "X25519:P-256:P-384"; NULL: the library's */
    int alpn;                /* 1 (default): agree on http/1.1 when offered; 0: no ALPN */
    int tickets;             /* 1 (default): session tickets on; 0: off */
    int client_auth;         /* enum ward_tls_client_auth */
    const char *client_ca_file; /* PEM CAs for client certificates */
    const ward_tls_sni *sni; /* names with their own certificate */
    size_t nsni;
} ward_tls_config;

typedef struct ward_tls ward_tls;

void ward_tls_config_init(ward_tls_config *cfg);

/* Load everything; NULL with err set on failure. The configuration is
 * copied. */
ward_tls *ward_tls_create(const ward_tls_config *cfg, char *err, size_t err_cap);

/* The adapter to put in ward_server_config.tls (valid until destroy). */
const ward_tls_adapter *ward_tls_adapter_of(ward_tls *t);

/* Reload the certificates, keys and CA file from their files. New
 * connections use them; established ones keep theirs. On failure (-1,
 * err set) the old ones stay. Thread-safe. */
int ward_tls_reload(ward_tls *t, char *err, size_t err_cap);

/* After the server using it is destroyed. */
void ward_tls_destroy(ward_tls *t);

#ifdef __cplusplus
}
#endif

#endif
