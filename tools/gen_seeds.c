/* SPDX-License-Identifier: MIT */
/* gen_seeds.c - writes the fuzz seed corpora: the parser's test vectors,
 * and requests with bodies and chunked bodies written here from RULES.md.
 *
 *   gen_seeds [-r] [-t TARGET] DIR
 *
 * TARGET is head, chunked, frame or diff; without -t it is DIR's last
 * component when that is one of them (build.ninja's seed stamps use
 * build/fuzz/seeds/<target>), else head. Files are written in DIR (created
 * if missing), each in its target's input format:
 *   head     one file per vector, named by its id: fuzz_head's option
 *            prefix for the vector's flags and limits (top of
 *            fuzz/fuzz_head.c), then its bytes; with -r, the bytes alone
 *   chunked  each chunked body below under three option prefixes (strict,
 *            bare LF with the trailers kept, small limits), bodies against
 *            limits set at and one under what they need, and generating
 *            inputs, one per limit choice (top of fuzz/fuzz_chunked.c)
 *   frame    each request stream below (strict, then all leniencies with a
 *            small body limit), each chunked body inside a POST followed
 *            by a GET, and every vector as a stream with its flags (top of
 *            fuzz/fuzz_frame.c)
 *   diff     the same streams as frame, bytes alone (fuzz_diff has no
 *            options), and every vector that ward accepts
 * Linked with tests/parser/vectors.c; run at build time, never checked in.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vectors.h"

/* fuzz_head's option prefix (keep in step with decode_cfg there) */
#define OPT_LIMITS 0x10u

static void put_limit(uint8_t *p, uint32_t v)
{
    if (v > 0xFFFEu)
        v = 0xFFFFu; /* fuzz_head reads 0xFFFF as UINT32_MAX: clamped alike */
    p[0] = (uint8_t)(v & 0xFFu);
    p[1] = (uint8_t)(v >> 8);
}

static size_t encode_opts(const ward_parse_opts *o, uint8_t out[9])
{
    out[0] = (uint8_t)(o->flags & WARD_PARSE_FLAGS_ALL);
    if (o->max_request_line == 0 && o->max_field_line == 0 && o->max_fields == 0 && o->max_head == 0)
        return 1;
    out[0] |= OPT_LIMITS;
    put_limit(out + 1, o->max_request_line);
    put_limit(out + 3, o->max_field_line);
    put_limit(out + 5, o->max_fields);
    put_limit(out + 7, o->max_head);
    return 9;
}

/* A file name from an id: [A-Za-z0-9._-] kept, anything else '_'. */
static void file_name(char *out, size_t cap, const char *id)
{
    size_t k = 0;
    for (; id[k] != '\0' && k + 1 < cap; k++) {
        char ch = id[k];
        int keep = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
                   ch == '.' || ch == '_' || ch == '-';
        out[k] = keep ? ch : '_';
    }
    out[k] = '\0';
    if (k == 0 || out[0] == '.')
        out[0] = '_';
}

/* Writes prefix[0 .. np) then the bytes into DIR/NAME. */
static int write_file(const char *dir, const char *name, const uint8_t *prefix, size_t np, const void *bytes,
                      size_t len)
{
    char path[4096];
    FILE *f;
    int ok;

    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path) {
        fprintf(stderr, "gen_seeds: path too long for %s\n", name);
        return -1;
    }
    f = fopen(path, "wb");
    if (f == NULL) {
        fprintf(stderr, "gen_seeds: %s: %s\n", path, strerror(errno));
        return -1;
    }
    ok = fwrite(prefix, 1, np, f) == np && fwrite(bytes, 1, len, f) == len;
    if (fclose(f) != 0 || !ok) {
        fprintf(stderr, "gen_seeds: %s: write failed\n", path);
        return -1;
    }
    return 0;
}

static int write_seed(const char *dir, const struct ward_vector *v, int raw)
{
    char name[256];
    uint8_t prefix[9];
    size_t np = raw ? 0 : encode_opts(&v->opts, prefix);
    size_t len = v->len != 0 ? v->len : strlen(v->input);

    file_name(name, sizeof name, v->id);
    return write_file(dir, name, prefix, np, v->input, len);
}

/* A string literal with its length (NULs inside allowed). */
#define S(id, lit) {id, lit, sizeof(lit) - 1}
struct blob {
    const char *id;
    const char *bytes;
    size_t len;
};

/* Chunked bodies (the bytes after a head), well-formed and not, from
 * RULES.md "Chunked decoding". */
static const struct blob bodies[] = {
    S("min", "0\r\n\r\n"),
    S("one", "3\r\nabc\r\n0\r\n\r\n"),
    S("two", "1\r\na\r\n2\r\nbc\r\n0\r\n\r\n"),
    S("hex-upper-zeros", "000A\r\n0123456789\r\n00\r\n\r\n"),
    S("hex-lower", "a\r\n0123456789\r\n0\r\n\r\n"),
    S("ext-token", "3;name=value\r\nabc\r\n0\r\n\r\n"),
    S("ext-quoted", "3;a=\"q \\\" x\"\r\nabc\r\n0;last\r\n\r\n"),
    S("ext-bws", "3 ; a = b\r\nabc\r\n0\r\n\r\n"),
    S("ext-bws-end", "3;a=b \t\r\nabc\r\n0\r\n\r\n"),
    S("ext-many", "3;a;b=c;d=\"e,f\"\r\nabc\r\n0;z\r\n\r\n"),
    S("ext-obs-text", "3;a=\"\x80\xff\"\r\nabc\r\n0\r\n\r\n"),
    S("trailer", "3\r\nabc\r\n0\r\nExpires: 0\r\nX-T: a b\r\n\r\n"),
    S("trailer-empty-value", "0\r\nX:\r\n\r\n"),
    S("data-crlf", "5\r\n\r\n0\r\n\r\n0\r\n\r\n"),
    S("data-binary", "4\r\n\x00\xff\r\n\r\n0\r\n\r\n"),
    S("bare-lf", "3\nabc\n0\n\n"),
    S("bare-lf-trailer", "3\r\nabc\r\n0\r\nX: y\n\n"),
    S("next-message", "0\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"),
    S("size-empty", "\r\nabc\r\n0\r\n\r\n"),
    S("size-sign", "+3\r\nabc\r\n0\r\n\r\n"),
    S("size-0x", "0x3\r\nabc\r\n0\r\n\r\n"),
    S("size-space", "3 \r\nabc\r\n0\r\n\r\n"),
    S("size-leading-space", " 3\r\nabc\r\n0\r\n\r\n"),
    S("size-huge", "ffffffffffffffffffffffff\r\n"),
    S("size-over-body", "100001\r\n"),
    S("size-bad-byte", "3g\r\nabc\r\n0\r\n\r\n"),
    S("ext-empty-name", "3;\r\nabc\r\n0\r\n\r\n"),
    S("ext-eq-no-value", "3;a=\r\nabc\r\n0\r\n\r\n"),
    S("ext-ws-in-name", "3;a b\r\nabc\r\n0\r\n\r\n"),
    S("ext-ws-in-value", "3;a=b c\r\nabc\r\n0\r\n\r\n"),
    S("ext-bad-qs", "3;a=\"\x01\"\r\nabc\r\n0\r\n\r\n"),
    S("ext-unterminated", "3;a=\"x\r\nabc\r\n0\r\n\r\n"),
    S("ext-after-quote", "3;a=\"x\"y\r\nabc\r\n0\r\n\r\n"),
    S("data-too-long", "3\r\nabcd\r\n0\r\n\r\n"),
    S("data-cr-then-x", "3\r\nabc\rX0\r\n\r\n"),
    S("size-cr-without-lf", "3\rabc"),
    S("last-chunk-no-crlf", "0\r\n"),
    S("trailer-fold", "0\r\nX: a\r\n b\r\n\r\n"),
    S("trailer-ws-colon", "0\r\nX : a\r\n\r\n"),
    S("trailer-no-colon", "0\r\nX\r\n\r\n"),
    S("trailer-ctl", "0\r\nX: \x01\r\n\r\n"),
    S("trailer-empty-name", "0\r\n: a\r\n\r\n"),
    S("trailer-bare-cr", "0\r\nX: a\rb\r\n\r\n"),
    S("incomplete-data", "5\r\nab"),
    S("incomplete-trailer", "0\r\nX: a"),
};

/* Whole requests, pipelined: framing by RULES.md "Framing" and the
 * classic smuggling shapes. */
#define P11 "POST / HTTP/1.1\r\nHost: a\r\n"
#define G11 "GET / HTTP/1.1\r\nHost: a\r\n\r\n"
static const struct blob streams[] = {
    S("cl", P11 "Content-Length: 3\r\n\r\nabc" G11),
    S("cl-zero", P11 "Content-Length: 0\r\n\r\n" G11),
    S("cl-list-equal", P11 "Content-Length: 3, 3\r\nContent-Length: 3\r\n\r\nabc" G11),
    S("cl-leading-zeros", P11 "Content-Length: 003\r\n\r\nabc" G11),
    S("cl-zeros-list", P11 "Content-Length: 03, 3\r\n\r\nabc" G11),
    S("cl-list-differ", P11 "Content-Length: 3, 4\r\n\r\nabcd" G11),
    S("cl-lines-differ", P11 "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd" G11),
    S("cl-empty-element", P11 "Content-Length: 3,,3\r\n\r\nabc" G11),
    S("cl-empty", P11 "Content-Length: \r\n\r\n" G11),
    S("cl-sign", P11 "Content-Length: +3\r\n\r\nabc" G11),
    S("cl-hex", P11 "Content-Length: 0x3\r\n\r\nabc" G11),
    S("cl-cap", P11 "Content-Length: 1000000000000000000\r\n\r\n"),
    S("cl-over-cap", P11 "Content-Length: 1000000000000000001\r\n\r\n"),
    S("cl-over-u64", P11 "Content-Length: 99999999999999999999999\r\n\r\n"),
    S("cl-over-default", P11 "Content-Length: 1048577\r\n\r\n"),
    S("cl-short", P11 "Content-Length: 10\r\n\r\nabc"),
    S("cl-case", P11 "content-LENGTH: 2\r\n\r\nab" G11),
    S("te-chunked", P11 "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n" G11),
    S("te-case", P11 "Transfer-Encoding: ChUnKeD\r\n\r\n0\r\n\r\n" G11),
    S("te-gzip-chunked", P11 "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n" G11),
    S("te-lines", P11 "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" G11),
    S("te-chunked-gzip", P11 "Transfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n" G11),
    S("te-chunked-twice", P11 "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" G11),
    S("te-gzip", P11 "Transfer-Encoding: gzip\r\n\r\n" G11),
    S("te-params", P11 "Transfer-Encoding: gzip;q=\"1,2\" ; a=b, chunked\r\n\r\n0\r\n\r\n" G11),
    S("te-chunked-param", P11 "Transfer-Encoding: chunked;a=b\r\n\r\n0\r\n\r\n" G11),
    S("te-empty-elements", P11 "Transfer-Encoding: , chunked ,\r\n\r\n0\r\n\r\n" G11),
    S("te-empty", P11 "Transfer-Encoding: \r\n\r\n" G11),
    S("te-commas", P11 "Transfer-Encoding: ,,\r\n\r\n" G11),
    S("te-xchunked", P11 "Transfer-Encoding: xchunked\r\n\r\n" G11),
    S("te-bad-list", P11 "Transfer-Encoding: chunked chunked\r\n\r\n" G11),
    S("te-with-cl", P11 "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n" G11),
    S("cl-with-te", P11 "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" G11),
    S("te-http10", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
    S("http10-keep-alive", "POST / HTTP/1.0\r\nContent-Length: 3\r\nConnection: keep-alive\r\n\r\nabc"
                           "GET / HTTP/1.0\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"),
    S("http10-close", "GET / HTTP/1.0\r\n\r\n" G11),
    S("http12-chunked", "POST / HTTP/1.2\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n"
                        "GET / HTTP/1.9\r\nHost: a\r\nContent-Length: 1\r\n\r\nx" G11),
    S("pct-target", "GET /a%2Fb?x=%41 HTTP/1.1\r\nHost: a\r\n\r\nGET /%zz HTTP/1.1\r\nHost: a\r\n\r\n" G11),
    S("close", "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n" G11),
    S("close-list", "GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, close\r\n\r\n" G11),
    S("pipeline", P11 "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nTrailer: x\r\n\r\n" P11
                  "Content-Length: 2\r\n\r\nhi" G11 G11),
    S("leading-crlf", "\r\n" G11 "\r\n" G11),
    S("two-crlf", G11 "\r\n\r\n" G11),
    S("connect", "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n" G11),
    S("upgrade", "GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n" G11),
    S("upgrade-body", P11 "Connection: upgrade\r\nUpgrade: h2c\r\nContent-Length: 2\r\n\r\nhi" G11),
    S("expect", P11 "Expect: 100-continue\r\nContent-Length: 2\r\n\r\nhi" G11),
    S("head-with-cl", "HEAD / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi" G11),
    S("unknown-method", "FOO / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi" G11),
    S("te-ws-before-colon", P11 "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n" G11),
    S("cl-ws-before-colon", P11 "Content-Length : 2\r\n\r\nhi" G11),
    S("te-fold", P11 "Transfer-Encoding: gzip,\r\n chunked\r\n\r\n0\r\n\r\n" G11),
    S("cl-fold", P11 "Content-Length:\r\n 2\r\n\r\nhi" G11),
    S("te-underscore", P11 "Transfer_Encoding: chunked\r\n\r\n0\r\n\r\n" G11),
    S("cl-underscore", P11 "Content_Length: 2\r\n\r\nhi" G11),
    S("bare-lf-head", "POST / HTTP/1.1\nHost: a\nContent-Length: 2\n\nhi" G11),
    S("bare-lf-chunked", "POST / HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n2\nhi\n0\n\n" G11),
    S("te-vtab", P11 "Transfer-Encoding: chunked\x0b\r\n\r\n0\r\n\r\n" G11),
    S("trailer-te", P11 "Transfer-Encoding: chunked\r\n\r\n0\r\nTransfer-Encoding: gzip\r\n\r\n" G11),
    S("trailer-cl", P11 "Transfer-Encoding: chunked\r\n\r\n0\r\nContent-Length: x\r\n\r\n" G11),
    S("trailer-close", P11 "Transfer-Encoding: chunked\r\n\r\n0\r\nConnection: close\r\n\r\n" G11),
    S("cl-nul", P11 "Content-Length: 2\x00\r\n\r\nhi" G11),
};

/* fuzz_chunked's prefix (keep in step with decode_cfg there). */
static size_t chunked_prefix(uint8_t *p, unsigned variant, unsigned k)
{
    switch (variant) {
    case 0: /* strict, fragments of up to 2^k bytes */
        p[0] = (uint8_t)(k << 5);
        p[1] = 0x2A;
        p[2] = 0x00;
        return 3;
    case 1: /* bare LF, trailers kept, byte by byte */
        p[0] = 0x03;
        p[1] = 0x11;
        p[2] = 0x00;
        return 3;
    default: /* small limits: ext 4, overhead 12, trailer 8, 1 trailer field, body 5 */
        p[0] = (uint8_t)(0x04 | 0x02 | (k << 5));
        p[1] = 0x07;
        p[2] = 0x00;
        p[3] = 4;
        p[4] = 0;
        p[5] = 12;
        p[6] = 0;
        p[7] = 8;
        p[8] = 0;
        p[9] = 1;
        p[10] = 5;
        p[11] = p[12] = p[13] = 0;
        return 14;
    }
}

/* Chunked bodies against limits set exactly at, or one under, what they
 * need (RULES.md: "one past" each limit is its error). */
static const struct {
    const char *id;
    uint16_t ext, overhead, trailer;
    uint8_t fields;
    uint32_t body;
    const char *bytes;
} edges[] = {
    {"edge-overhead-at-data-lf", 0, 3, 0, 0, 0, "1\r\na\r\n0\r\n\r\n"},
    {"edge-overhead-exact", 0, 4, 0, 0, 0, "1\r\na\r\n"},
    {"edge-ext-exact", 2, 0, 0, 0, 0, "1;a\r\nx\r\n0\r\n\r\n"},
    {"edge-ext-over", 1, 0, 0, 0, 0, "1;a\r\nx\r\n0\r\n\r\n"},
    {"edge-trailer-exact", 0, 0, 8, 0, 0, "0\r\nX: y\r\n\r\n"},
    {"edge-trailer-over", 0, 0, 7, 0, 0, "0\r\nX: y\r\n\r\n"},
    {"edge-fields-exact", 0, 0, 0, 2, 0, "0\r\nX: y\r\nZ: w\r\n\r\n"},
    {"edge-fields-over", 0, 0, 0, 1, 0, "0\r\nX: y\r\nZ: w\r\n\r\n"},
    {"edge-body-exact", 0, 0, 0, 0, 3, "3\r\nabc\r\n0\r\n\r\n"},
    {"edge-body-over", 0, 0, 0, 0, 2, "3\r\nabc\r\n0\r\n\r\n"},
    {"edge-body-over-second", 0, 0, 0, 0, 4, "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"},
};

static int gen_chunked(const char *dir)
{
    /* a body description for the generating mode (fuzz_chunked.c's
     * generate()): three chunks (the second 6 + 8 bytes, the third with
     * CR/LF in its data), the last chunk "00;a", two trailer fields */
    static const uint8_t desc[] = {
        0x02, 0x08, 'a', 'b', 'c',                                                 /* 3, ext ";a" */
        0x45, 0x01, 0x2D, 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', /* 14, upper, 1 zero */
        0x04, 0x38, '\r', '\n', '0', '\r', '\n',                                  /* 5, ext 7 */
        0x80,                                                                      /* last chunk */
        0x05,                                                                      /* "00", ext ";a" */
        0x02, 0x19, 'v', 'w', 'x', 0x21, 'y', 'z', 'q', 'r',                       /* two fields */
        0x00,                                                                      /* final CRLF */
        'G', 'E', 'T', ' ', '/',                                                   /* what follows */
    };
    char name[256];
    uint8_t pre[16];
    size_t n = 0;

    for (size_t k = 0; k < sizeof bodies / sizeof bodies[0]; k++) {
        static const char *const suffix[] = {"", ".bare-keep", ".limits"};
        for (unsigned v = 0; v < 3; v++) {
            size_t np = chunked_prefix(pre, v, (unsigned)(k % 8));
            snprintf(name, sizeof name, "%s%s", bodies[k].id, suffix[v]);
            if (write_file(dir, name, pre, np, bodies[k].bytes, bodies[k].len) != 0)
                return -1;
            n++;
        }
    }
    for (size_t k = 0; k < sizeof edges / sizeof edges[0]; k++) {
        pre[0] = (uint8_t)(0x04 | ((k % 8) << 5));
        pre[1] = (uint8_t)k;
        pre[2] = 0;
        pre[3] = (uint8_t)(edges[k].ext & 0xFFu);
        pre[4] = (uint8_t)(edges[k].ext >> 8);
        pre[5] = (uint8_t)(edges[k].overhead & 0xFFu);
        pre[6] = (uint8_t)(edges[k].overhead >> 8);
        pre[7] = (uint8_t)(edges[k].trailer & 0xFFu);
        pre[8] = (uint8_t)(edges[k].trailer >> 8);
        pre[9] = edges[k].fields;
        for (unsigned j = 0; j < 4; j++)
            pre[10 + j] = (uint8_t)((edges[k].body >> (8 * j)) & 0xFFu);
        if (write_file(dir, edges[k].id, pre, 14, edges[k].bytes, strlen(edges[k].bytes)) != 0)
            return -1;
        n++;
    }
    for (unsigned sel = 0; sel < 11; sel++) {
        pre[0] = (uint8_t)(0x10 | (sel & 1 ? 0x02 : 0x00) | (sel & 2 ? 0x01 : 0x00) | ((sel % 8) << 5));
        pre[1] = (uint8_t)(0x30 + sel);
        pre[2] = 0;
        pre[3] = (uint8_t)sel;
        snprintf(name, sizeof name, "gen-limit-%u", sel);
        if (write_file(dir, name, pre, 4, desc, sizeof desc) != 0)
            return -1;
        n++;
    }
    printf("gen_seeds: %zu seeds in %s\n", n, dir);
    return 0;
}

/* A chunked body inside a POST, then a GET. */
static size_t wrap_body(char *out, size_t cap, const struct blob *b)
{
    static const char head[] = P11 "Transfer-Encoding: chunked\r\n\r\n", tail[] = G11;
    size_t n = 0;
    if (sizeof head - 1 + b->len + sizeof tail - 1 > cap)
        return 0;
    memcpy(out, head, sizeof head - 1);
    n += sizeof head - 1;
    memcpy(out + n, b->bytes, b->len);
    n += b->len;
    memcpy(out + n, tail, sizeof tail - 1);
    return n + sizeof tail - 1;
}

/* frame: fuzz_frame's 4-byte prefix; diff: none. */
static int gen_streams(const char *dir, int frame)
{
    static char buf[8192];
    char name[256];
    uint8_t pre[4];
    size_t n = 0, np = frame ? 4 : 0;

    for (size_t k = 0; k < sizeof streams / sizeof streams[0]; k++) {
        pre[0] = 0; /* strict, at once and in fragments of up to 2^3 bytes */
        pre[1] = (uint8_t)k;
        pre[2] = 0x60;
        pre[3] = 0;
        if (write_file(dir, streams[k].id, pre, np, streams[k].bytes, streams[k].len) != 0)
            return -1;
        n++;
        if (frame) { /* every leniency, trailers kept, bare LF in bodies, a 32-byte body limit */
            pre[0] = 0x0F | 0x10 | 0x20;
            pre[2] = 0x20;
            pre[3] = 2;
            snprintf(name, sizeof name, "%s.lenient", streams[k].id);
            if (write_file(dir, name, pre, np, streams[k].bytes, streams[k].len) != 0)
                return -1;
            n++;
        }
    }
    for (size_t k = 0; k < sizeof bodies / sizeof bodies[0]; k++) {
        size_t len = wrap_body(buf, sizeof buf, &bodies[k]);
        pre[0] = k % 2 ? 0x30 : 0x00;
        pre[1] = (uint8_t)k;
        pre[2] = (uint8_t)((k % 8) << 5);
        pre[3] = 0;
        snprintf(name, sizeof name, "post-chunked-%s", bodies[k].id);
        if (len == 0 || write_file(dir, name, pre, np, buf, len) != 0)
            return -1;
        n++;
    }
    for (size_t k = 0; k < ward_nvectors; k++) {
        const struct ward_vector *v = &ward_vectors[k];
        size_t len = v->len != 0 ? v->len : strlen(v->input);
        if (!frame && v->expect != WARD_OK)
            continue; /* llhttp's view of what ward rejects: fuzz_diff finds those */
        if (!frame && v->opts.flags != 0)
            continue; /* fuzz_diff runs ward strict */
        pre[0] = (uint8_t)(v->opts.flags & WARD_PARSE_FLAGS_ALL);
        pre[1] = (uint8_t)k;
        pre[2] = 0;
        pre[3] = 0;
        file_name(name, sizeof name - 4, v->id);
        memmove(name + 2, name, strlen(name) + 1);
        name[0] = 'v';
        name[1] = '-';
        if (write_file(dir, name, pre, np, v->input, len) != 0)
            return -1;
        n++;
    }
    printf("gen_seeds: %zu seeds in %s\n", n, dir);
    return 0;
}

static int gen_head(const char *dir, int raw)
{
    for (size_t k = 0; k < ward_nvectors; k++) {
        if (write_seed(dir, &ward_vectors[k], raw) != 0)
            return -1;
    }
    printf("gen_seeds: %zu seeds in %s\n", ward_nvectors, dir);
    return 0;
}

int main(int argc, char **argv)
{
    int raw = 0, a = 1, rc;
    const char *target = NULL, *dir, *base;

    for (; a < argc - 1; a++) {
        if (strcmp(argv[a], "-r") == 0)
            raw = 1;
        else if (strcmp(argv[a], "-t") == 0 && a + 1 < argc - 1)
            target = argv[++a];
        else
            break;
    }
    if (a != argc - 1) {
        fprintf(stderr, "usage: gen_seeds [-r] [-t head|chunked|frame|diff] DIR\n");
        return 2;
    }
    dir = argv[a];
    base = strrchr(dir, '/');
    base = base != NULL ? base + 1 : dir;
    if (target == NULL)
        target = strcmp(base, "chunked") == 0 || strcmp(base, "frame") == 0 || strcmp(base, "diff") == 0 ? base : "head";
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "gen_seeds: %s: %s\n", dir, strerror(errno));
        return 1;
    }
    if (strcmp(target, "head") == 0)
        rc = gen_head(dir, raw);
    else if (strcmp(target, "chunked") == 0)
        rc = gen_chunked(dir);
    else if (strcmp(target, "frame") == 0)
        rc = gen_streams(dir, 1);
    else if (strcmp(target, "diff") == 0)
        rc = gen_streams(dir, 0);
    else {
        fprintf(stderr, "gen_seeds: unknown target %s\n", target);
        return 2;
    }
    return rc == 0 ? 0 : 1;
}
