/* SPDX-License-Identifier: MIT */
/* bench_parse.c - request parsing throughput, single core: ward against
 * llhttp and http-parser, side by side in one run, on one corpus: request
 * heads, and requests with a chunked body.
 *
 *   bench_parse [-r RUNS] [-t SECONDS] [-o DATAFILE]
 *   bench_parse -n COUNT [-c CORPUS]   (untimed, for bench/icount.sh)
 *   bench_parse -b BATCHES [-c CORPUS] (the fastest batch, to compare builds)
 *
 * Each (corpus, parser) is calibrated once to run >= SECONDS (0.2) of
 * thread CPU time, then measured RUNS times (11), the parsers interleaved
 * and their order turned each round; the median requests/s and bytes/s
 * are reported. Progress goes
 * to stderr, a Markdown table to stdout, the medians and ratios to
 * DATAFILE for bench/plot.gp.
 *
 * -b: each parser times BATCHES batches of about 0.2 ms (interleaved) on
 * each head corpus and keeps its fastest: ns a request. A median moves by
 * a few percent from run to run on a shared machine; the fastest batch,
 * the run least disturbed, moves by about 1%, so that two builds run one
 * after the other, several times alternated, can be told apart by a
 * change that small (bench/README.md). Not the published table: that is
 * the medians, with the spread they have.
 *
 * Fairness: every parser finds every span. ward returns the method, target
 * and field spans; llhttp and http-parser get minimal callbacks (on_url,
 * on_header_field, on_header_value, on_headers_complete) that only record
 * spans, as offsets, in an array of the same shape. Before timing, the
 * spans each parser found are compared: all three must agree.
 *
 * Chunked bodies: ward parses the head (ward_parse_request), frames it
 * (ward_frame_request) and decodes the body with ward_chunked_decode(),
 * calling again with buf + consumed after each data span; llhttp and
 * http-parser parse the same bytes in one execute call, with on_body and
 * on_message_complete besides the head callbacks. Every parser hands each
 * data span to the same consumer, bench_take(): it adds up the data bytes
 * (so every byte is read, as a real consumer would) and counts them.
 * Before timing, each parser's data bytes are collected and compared with
 * the body the corpus was built from: all must be equal, or the program
 * stops.
 *
 * One source, three objects: llhttp.h and http_parser.h cannot share a
 * translation unit (both declare HTTP_GET, HTTP_REQUEST, HTTP_STATUS_OK...).
 *   (no macro)               the driver, the corpus and the ward adapter
 *   -DBENCH_PEER_LLHTTP      the llhttp adapter
 *   -DBENCH_PEER_HTTP_PARSER the http-parser adapter
 */
#define _POSIX_C_SOURCE 200809L

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define BENCH_MAX_FIELDS 128

struct bspan {
    uint32_t off, len;
};

/* What a parser found: the spans of the last head, counts over all. */
struct rec {
    const char *base; /* the buffer the spans are offsets into */
    uint32_t k;       /* fields in the current head */
    uint64_t nreq;    /* heads completed */
    uint64_t nfields; /* fields over all heads */
    struct bspan url;
    struct bspan name[BENCH_MAX_FIELDS];
    struct bspan value[BENCH_MAX_FIELDS];
    uint32_t last_k; /* fields of the last completed head */
    /* chunked bodies */
    uint64_t nmsg;     /* messages completed, body included */
    uint64_t nbody;    /* data bytes taken */
    uint64_t sum;      /* their sum, mod 2^64 */
    uint8_t *copy;     /* before timing: the data bytes, in order (NULL while timing) */
    size_t copy_len, copy_cap;
};

/* The sum of p[0 .. n), eight bytes at a time: each 64-bit word adds its
 * even and odd bytes into four 16-bit lanes, folded every 128 words (128 *
 * 2 * 255 < 2^16). The same for any split of the data into spans. */
static inline uint64_t bench_byte_sum(const uint8_t *p, size_t n)
{
    const uint64_t m = 0x00FF00FF00FF00FFull;
    uint64_t total = 0;
    while (n >= 8) {
        size_t words = n / 8 > 128 ? 128 : n / 8;
        uint64_t acc = 0;
        for (size_t i = 0; i < words; i++) {
            uint64_t w;
            memcpy(&w, p + 8 * i, 8);
            acc += (w & m) + ((w >> 8) & m);
        }
        total += (acc & 0xFFFF) + ((acc >> 16) & 0xFFFF) + ((acc >> 32) & 0xFFFF) + (acc >> 48);
        p += 8 * words;
        n -= 8 * words;
    }
    while (n > 0) {
        total += *p++;
        n--;
    }
    return total;
}

/* The body consumer, the same for every parser (static inline: each of
 * the three objects has its own copy, so no parser pays a call across
 * objects): read and add up the span, and before timing keep a copy. */
static inline void bench_take(struct rec *r, const uint8_t *p, size_t n)
{
    r->nbody += n;
    r->sum += bench_byte_sum(p, n);
    if (r->copy != NULL) {
        if (r->copy_len <= r->copy_cap && n <= r->copy_cap - r->copy_len)
            memcpy(r->copy + r->copy_len, p, n);
        r->copy_len += n; /* past copy_cap: more data than the body has */
    }
}

/* Parse one head (stream == 0) or every head of buf (stream != 0); the
 * result is the number of bytes consumed, 0 on a parse error. */
typedef size_t (*bench_fn)(const uint8_t *buf, size_t len, int stream, struct rec *r);
/* Parse one request with a chunked body, head and body, from buf[0 ..
 * len); the bytes consumed (len when the request fills buf), 0 on error. */
typedef size_t (*bench_body_fn)(const uint8_t *buf, size_t len, struct rec *r);

size_t bench_llhttp(const uint8_t *buf, size_t len, int stream, struct rec *r);
size_t bench_http_parser(const uint8_t *buf, size_t len, int stream, struct rec *r);
size_t bench_llhttp_chunked(const uint8_t *buf, size_t len, struct rec *r);
size_t bench_http_parser_chunked(const uint8_t *buf, size_t len, struct rec *r);
const char *bench_llhttp_version(void);
const char *bench_http_parser_version(void);

/* ------------------------------------------------------------------------ */
#if defined(BENCH_PEER_LLHTTP) || defined(BENCH_PEER_HTTP_PARSER)

#ifdef BENCH_PEER_LLHTTP
#include "llhttp.h"
typedef llhttp_t peer_parser;
#else
#include <http_parser.h>
#include <stdio.h>
typedef http_parser peer_parser;
#endif

static struct bspan span_at(const struct rec *r, const char *at, size_t n)
{
    struct bspan s = {(uint32_t)(at - r->base), (uint32_t)n};
    return s;
}

static int on_url(peer_parser *p, const char *at, size_t n)
{
    struct rec *r = p->data;
    r->url = span_at(r, at, n);
    return 0;
}

static int on_header_field(peer_parser *p, const char *at, size_t n)
{
    struct rec *r = p->data;
    if (r->k < BENCH_MAX_FIELDS)
        r->name[r->k] = span_at(r, at, n);
    r->k++;
    return 0;
}

static int on_header_value(peer_parser *p, const char *at, size_t n)
{
    struct rec *r = p->data;
    if (r->k - 1 < BENCH_MAX_FIELDS)
        r->value[r->k - 1] = span_at(r, at, n);
    return 0;
}

static int on_headers_complete(peer_parser *p)
{
    struct rec *r = p->data;
    r->nreq++;
    r->nfields += r->k;
    r->last_k = r->k;
    r->k = 0;
    return 0;
}

static int on_body(peer_parser *p, const char *at, size_t n)
{
    bench_take(p->data, (const uint8_t *)at, n);
    return 0;
}

static int on_message_complete(peer_parser *p)
{
    struct rec *r = p->data;
    r->nmsg++;
    return 0;
}

#ifdef BENCH_PEER_LLHTTP
/* settings: the head corpora (no on_body, no on_message_complete: the
 * head benchmark is unchanged); body_settings: the chunked corpora. */
static llhttp_settings_t settings, body_settings;

#define STR_(x) #x
#define STR(x) STR_(x)
const char *bench_llhttp_version(void)
{
    return STR(LLHTTP_VERSION_MAJOR) "." STR(LLHTTP_VERSION_MINOR) "." STR(LLHTTP_VERSION_PATCH)
        " (strict mode " STR(LLHTTP_STRICT_MODE) ")";
}

size_t bench_llhttp(const uint8_t *buf, size_t len, int stream, struct rec *r)
{
    llhttp_t p;
    (void)stream; /* llhttp goes on with the next message by itself */
    if (settings.on_url == NULL) {
        llhttp_settings_init(&settings);
        settings.on_url = on_url;
        settings.on_header_field = on_header_field;
        settings.on_header_value = on_header_value;
        settings.on_headers_complete = on_headers_complete;
    }
    llhttp_init(&p, HTTP_REQUEST, &settings);
    p.data = r;
    r->base = (const char *)buf;
    if (llhttp_execute(&p, (const char *)buf, len) != HPE_OK)
        return 0;
    return len;
}

size_t bench_llhttp_chunked(const uint8_t *buf, size_t len, struct rec *r)
{
    llhttp_t p;
    if (body_settings.on_body == NULL) {
        llhttp_settings_init(&body_settings);
        body_settings.on_url = on_url;
        body_settings.on_header_field = on_header_field;
        body_settings.on_header_value = on_header_value;
        body_settings.on_headers_complete = on_headers_complete;
        body_settings.on_body = on_body;
        body_settings.on_message_complete = on_message_complete;
    }
    llhttp_init(&p, HTTP_REQUEST, &body_settings);
    p.data = r;
    r->base = (const char *)buf;
    if (llhttp_execute(&p, (const char *)buf, len) != HPE_OK)
        return 0;
    return len;
}
#else
static http_parser_settings settings, body_settings;

const char *bench_http_parser_version(void)
{
    static char v[32];
    unsigned long n = http_parser_version(); /* the library's, not the header's */
    snprintf(v, sizeof v, "%lu.%lu.%lu", (n >> 16) & 255, (n >> 8) & 255, n & 255);
    return v;
}

size_t bench_http_parser(const uint8_t *buf, size_t len, int stream, struct rec *r)
{
    http_parser p;
    size_t n;
    (void)stream;
    if (settings.on_url == NULL) {
        http_parser_settings_init(&settings);
        settings.on_url = on_url;
        settings.on_header_field = on_header_field;
        settings.on_header_value = on_header_value;
        settings.on_headers_complete = on_headers_complete;
    }
    http_parser_init(&p, HTTP_REQUEST);
    p.data = r;
    r->base = (const char *)buf;
    n = http_parser_execute(&p, &settings, (const char *)buf, len);
    return HTTP_PARSER_ERRNO(&p) == HPE_OK ? n : 0;
}

size_t bench_http_parser_chunked(const uint8_t *buf, size_t len, struct rec *r)
{
    http_parser p;
    size_t n;
    if (body_settings.on_body == NULL) {
        http_parser_settings_init(&body_settings);
        body_settings.on_url = on_url;
        body_settings.on_header_field = on_header_field;
        body_settings.on_header_value = on_header_value;
        body_settings.on_headers_complete = on_headers_complete;
        body_settings.on_body = on_body;
        body_settings.on_message_complete = on_message_complete;
    }
    http_parser_init(&p, HTTP_REQUEST);
    p.data = r;
    r->base = (const char *)buf;
    n = http_parser_execute(&p, &body_settings, (const char *)buf, len);
    return HTTP_PARSER_ERRNO(&p) == HPE_OK ? n : 0;
}
#endif

/* ------------------------------------------------------------------------ */
#else /* the driver */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ward_parse.h"

static ward_field ward_fields[BENCH_MAX_FIELDS];

/* The head's spans, as offsets into buf like the peers' (ward's are
 * relative to where the head starts, off). */
static void ward_record(struct rec *r, size_t off, const ward_request *req, size_t n)
{
    r->nreq++;
    r->nfields += n;
    r->last_k = (uint32_t)n;
    r->url.off = (uint32_t)off + req->target.off;
    r->url.len = req->target.len;
    for (size_t k = 0; k < n; k++) {
        r->name[k].off = (uint32_t)off + ward_fields[k].name.off;
        r->name[k].len = ward_fields[k].name.len;
        r->value[k].off = (uint32_t)off + ward_fields[k].value.off;
        r->value[k].len = ward_fields[k].value.len;
    }
}

static size_t bench_ward(const uint8_t *buf, size_t len, int stream, struct rec *r)
{
    size_t off = 0;
    r->base = (const char *)buf;
    do {
        ward_request req;
        size_t n = BENCH_MAX_FIELDS;
        if (ward_parse_request(buf + off, len - off, 0, NULL, &req, ward_fields, &n) != WARD_OK)
            return 0;
        ward_record(r, off, &req, n);
        off += req.head_len;
    } while (stream && off < len);
    return off;
}

/* The body limit for the chunked corpora (the default, 1 MiB, would just
 * hold the largest); every other limit is the default. */
#define BENCH_MAX_BODY (64u << 20)
static const ward_chunked_opts ward_copts = {.max_body = BENCH_MAX_BODY};

/* Why ward's last chunked parse failed, for the check before timing. */
static const char *ward_fail_step;
static ward_status ward_fail_status;

static size_t ward_fail(const char *step, ward_status s)
{
    ward_fail_step = step;
    ward_fail_status = s;
    return 0;
}

/* Head, framing, then the body: one ward_chunked_decode() call per data
 * span (a call returns after the first data it finds), the next call on
 * buf + consumed. */
static size_t bench_ward_chunked(const uint8_t *buf, size_t len, struct rec *r)
{
    ward_request req;
    ward_frame frame;
    ward_chunked dec;
    ward_status s;
    size_t n = BENCH_MAX_FIELDS, off;
    r->base = (const char *)buf;
    s = ward_parse_request(buf, len, 0, NULL, &req, ward_fields, &n);
    if (s != WARD_OK)
        return ward_fail("ward_parse_request", s);
    ward_record(r, 0, &req, n);
    s = ward_frame_request(buf, &req, ward_fields, n, BENCH_MAX_BODY, &frame);
    if (s != WARD_OK || frame.body != WARD_BODY_CHUNKED)
        return ward_fail("ward_frame_request", s);
    memset(&dec, 0, sizeof dec);
    off = req.head_len;
    for (;;) {
        size_t used;
        ward_span data, trailer;
        s = ward_chunked_decode(&dec, &ward_copts, buf + off, len - off, &used, &data, &trailer);
        if (data.len > 0)
            bench_take(r, buf + off + data.off, data.len);
        off += used;
        if (s == WARD_OK)
            break;
        if (s != WARD_AGAIN || used == 0 || off == len) /* an error, or the body is cut short */
            return ward_fail("ward_chunked_decode", s);
    }
    r->nmsg++;
    return off;
}

static const struct parser {
    const char *name;
    bench_fn fn;
    bench_body_fn chunked;
} parsers[] = {
    {"ward", bench_ward, bench_ward_chunked},
    {"llhttp", bench_llhttp, bench_llhttp_chunked},
    {"http-parser", bench_http_parser, bench_http_parser_chunked},
};
#define NPARSERS (sizeof parsers / sizeof parsers[0])

/* (b): a browser's GET, ~700 bytes, 11 fields */
static const char browser_get[] =
    "GET /wiki/Hypertext_Transfer_Protocol?action=history&offset=20240101 HTTP/1.1\r\n"
    "Host: en.wikipedia.org\r\n"
    "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0\r\n"
    "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r\n"
    "Accept-Language: en-US,en;q=0.7,de;q=0.3\r\n"
    "Accept-Encoding: gzip, deflate, br\r\n"
    "Referer: https://en.wikipedia.org/wiki/Special:Search?search=http+protocol&go=Go\r\n"
    "Connection: keep-alive\r\n"
    "Cookie: WMF-Last-Access=23-Nov-2024; WMF-Last-Access-Global=23-Nov-2024; "
    "GeoIP=DE:BE:Berlin:52.52:13.40:v4; enwikimwuser-sessionId=5f1c0e8d2a7b4c39a0e1\r\n"
    "Upgrade-Insecure-Requests: 1\r\n"
    "Sec-Fetch-Dest: document\r\n"
    "Sec-Fetch-Mode: navigate\r\n"
    "\r\n";

struct corpus {
    const char *name;
    char *buf;
    size_t len;
    int stream;
    uint64_t nreq, nfields; /* per pass, as ward finds them */
    /* chunked corpora: the data the body decodes to */
    int chunked;
    uint8_t *body;
    size_t body_len;
    uint64_t body_sum;
    size_t head_len, nchunks, ext_bytes;
};

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (p == NULL) {
        fprintf(stderr, "bench_parse: out of memory\n");
        exit(1);
    }
    return p;
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s);
    char *p = xmalloc(n + 1);
    memcpy(p, s, n + 1);
    return p;
}

/* (c): 50 field lines */
static char *fifty_fields(void)
{
    char *b = malloc(4096);
    size_t n = 0;
    if (b == NULL)
        return dup_str("");
    n += (size_t)snprintf(b + n, 4096 - n, "GET /api/v2/items?page=3&sort=asc HTTP/1.1\r\nHost: api.example.com\r\n");
    for (int k = 1; k < 50; k++)
        n += (size_t)snprintf(b + n, 4096 - n, "X-Field-%02d: value-%02d-abcdefghijklmnop\r\n", k, k);
    snprintf(b + n, 4096 - n, "\r\n");
    return b;
}

/* (d): 100 heads back to back: minimal, browser, 50 fields, and variants */
static char *pipelined(const char *fifty)
{
    size_t cap = 128 * 1024, n = 0;
    char *b = malloc(cap);
    if (b == NULL)
        return dup_str("");
    for (int k = 0; k < 100; k++) {
        switch (k % 5) {
        case 0:
            n += (size_t)snprintf(b + n, cap - n, "GET /%d HTTP/1.1\r\nHost: a\r\n\r\n", k);
            break;
        case 1:
        case 3:
            n += (size_t)snprintf(b + n, cap - n, "%s", browser_get);
            break;
        case 2:
            n += (size_t)snprintf(b + n, cap - n,
                                  "HEAD /static/app.%d.js HTTP/1.1\r\nHost: cdn.example.com\r\n"
                                  "Accept: */*\r\nIf-None-Match: \"5f1c0e8d-%d\"\r\n\r\n", k, k);
            break;
        default:
            n += (size_t)snprintf(b + n, cap - n, "%s", fifty);
            break;
        }
    }
    return b;
}

/* A growing byte buffer for the chunked corpora. */
struct bytes {
    uint8_t *p;
    size_t len, cap;
};

static void put(struct bytes *b, const void *s, size_t n)
{
    if (n > b->cap - b->len) {
        uint8_t *q;
        while (n > b->cap - b->len)
            b->cap = b->cap ? 2 * b->cap : 4096;
        q = realloc(b->p, b->cap);
        if (q == NULL) {
            fprintf(stderr, "bench_parse: out of memory\n");
            exit(1);
        }
        b->p = q;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

static void putf(struct bytes *b, const char *fmt, ...)
{
    char line[512];
    int n;
    va_list ap;
    va_start(ap, fmt);
    n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    put(b, line, n < 0 ? 0 : (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

static uint64_t xorshift(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *s = x;
    return x;
}

/* (e)-(g): an upload, POST with Transfer-Encoding: chunked, whose body is
 * body_len pseudo-random bytes (CR and LF among them) in chunks of
 * lo..hi bytes (the last one what is left); every ext_every-th chunk
 * (0: none) carries a chunk extension, in turn a name alone, name=token,
 * name="quoted string". No trailer fields. */
static void chunked_corpus(struct corpus *c, const char *name, size_t body_len, size_t lo, size_t hi,
                           size_t ext_every, uint64_t seed)
{
    static const char *const ext[] = {";last-modified", ";sig=a3f9c0d2", ";name=\"part 7; rev 2\""};
    struct bytes b = {NULL, 0, 0};
    uint64_t rng = seed;
    size_t at = 0, k = 0;

    memset(c, 0, sizeof *c);
    c->name = name;
    c->chunked = 1;
    c->body = xmalloc(body_len ? body_len : 1);
    c->body_len = body_len;
    for (size_t i = 0; i < body_len; i++)
        c->body[i] = (uint8_t)(xorshift(&rng) >> 32);
    c->body_sum = bench_byte_sum(c->body, body_len);

    putf(&b, "POST /upload/v1/objects?bucket=media&name=%s HTTP/1.1\r\n"
             "Host: storage.example.com\r\n"
             "User-Agent: curl/8.5.0\r\n"
             "Accept: */*\r\n"
             "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk\r\n"
             "Content-Type: application/octet-stream\r\n"
             "Transfer-Encoding: chunked\r\n"
             "\r\n", name);
    c->head_len = b.len;
    while (at < body_len) {
        size_t n = lo + (size_t)(xorshift(&rng) % (hi - lo + 1));
        if (n > body_len - at)
            n = body_len - at;
        putf(&b, "%zx", n);
        if (ext_every != 0 && k % ext_every == ext_every - 1) {
            const char *e = ext[(k / ext_every) % 3];
            putf(&b, "%s", e);
            c->ext_bytes += strlen(e);
        }
        put(&b, "\r\n", 2);
        put(&b, c->body + at, n);
        put(&b, "\r\n", 2);
        at += n;
        k++;
    }
    put(&b, "0\r\n\r\n", 5);
    c->nchunks = k;
    c->buf = (char *)b.p;
    c->len = b.len;
}

/* The CPU time of this thread: time slices that other processes take on a
 * shared machine do not count (their cache pollution still does). */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static struct rec scratch; /* the parsers' span arrays, reused */

/* Runs f over the corpus iters times; the seconds it took. Every pass must
 * find all the heads and fields, and all the data with the right sum
 * (checked once, after the clock stops). */
static double timed(const struct parser *p, const struct corpus *c, uint64_t iters)
{
    double t0, t1;
    memset(&scratch, 0, sizeof scratch);
    t0 = now();
    if (c->chunked)
        for (uint64_t i = 0; i < iters; i++)
            p->chunked((const uint8_t *)c->buf, c->len, &scratch);
    else
        for (uint64_t i = 0; i < iters; i++)
            p->fn((const uint8_t *)c->buf, c->len, c->stream, &scratch);
    t1 = now();
    if (scratch.nreq != iters * c->nreq || scratch.nfields != iters * c->nfields) {
        fprintf(stderr, "bench_parse: %s on %s: %llu heads, %llu fields; expected %llu, %llu\n", p->name,
                c->name, (unsigned long long)scratch.nreq, (unsigned long long)scratch.nfields,
                (unsigned long long)(iters * c->nreq), (unsigned long long)(iters * c->nfields));
        exit(1);
    }
    if (c->chunked && (scratch.nmsg != iters || scratch.nbody != iters * c->body_len ||
                       scratch.sum != iters * c->body_sum)) {
        fprintf(stderr, "bench_parse: %s on %s: %llu bodies, %llu data bytes, sum %llu; expected %llu, %llu, %llu\n",
                p->name, c->name, (unsigned long long)scratch.nmsg, (unsigned long long)scratch.nbody,
                (unsigned long long)scratch.sum, (unsigned long long)iters,
                (unsigned long long)(iters * c->body_len), (unsigned long long)(iters * c->body_sum));
        exit(1);
    }
    return t1 - t0;
}

static int span_eq(struct bspan a, struct bspan b)
{
    return a.off == b.off && a.len == b.len;
}

/* One pass of parser k over c into *o; 1 if it took the whole corpus
 * (head corpora) or the whole request with exactly the body's data bytes
 * (chunked corpora), else 0 after saying why on stderr. */
static int check_one(size_t k, const struct corpus *c, struct rec *o)
{
    const char *name = parsers[k].name;
    memset(o, 0, sizeof *o);
    if (!c->chunked) {
        if (parsers[k].fn((const uint8_t *)c->buf, c->len, c->stream, o) == c->len)
            return 1;
        fprintf(stderr, "bench_parse: %s rejects corpus %s\n", name, c->name);
        return 0;
    }
    o->copy = xmalloc(c->body_len + 1);
    o->copy_cap = c->body_len;
    ward_fail_step = NULL;
    if (parsers[k].chunked((const uint8_t *)c->buf, c->len, o) != c->len) {
        if (k == 0 && ward_fail_step != NULL)
            fprintf(stderr, "bench_parse: ward rejects corpus %s: %s: %s (%d)\n", c->name, ward_fail_step,
                    ward_status_str(ward_fail_status), (int)ward_fail_status);
        else
            fprintf(stderr, "bench_parse: %s rejects corpus %s\n", name, c->name);
    } else if (o->nmsg != 1 || o->nreq != 1) {
        fprintf(stderr, "bench_parse: %s on corpus %s: %llu heads, %llu messages completed, not 1\n", name,
                c->name, (unsigned long long)o->nreq, (unsigned long long)o->nmsg);
    } else if (o->copy_len != c->body_len || o->nbody != c->body_len ||
               memcmp(o->copy, c->body, c->body_len) != 0 || o->sum != c->body_sum) {
        size_t at = 0;
        while (at < c->body_len && at < o->copy_len && at < o->copy_cap && o->copy[at] == c->body[at])
            at++;
        fprintf(stderr, "bench_parse: %s decodes corpus %s to other data: %zu bytes for %zu, first difference at byte %zu\n",
                name, c->name, o->copy_len, c->body_len, at);
    } else {
        free(o->copy);
        o->copy = NULL;
        return 1;
    }
    free(o->copy);
    o->copy = NULL;
    return 0;
}

/* One pass of each parser: heads, fields and spans as ward's; for the
 * chunked corpora the body's data bytes, exactly. Every parser is checked
 * and every failure told before the program stops. */
static void verify(struct corpus *c)
{
    static struct rec w, o;
    int ok = check_one(0, c, &w);
    c->nreq = w.nreq;
    c->nfields = w.nfields;
    for (size_t k = 1; k < NPARSERS; k++) {
        int same;
        if (!check_one(k, c, &o)) {
            ok = 0;
            continue;
        }
        if (w.nreq == 0) /* ward did not get through the head: nothing to compare */
            continue;
        same = o.nreq == w.nreq && o.nfields == w.nfields && o.last_k == w.last_k && span_eq(o.url, w.url);
        for (uint32_t j = 0; same && j < w.last_k; j++)
            same = span_eq(o.name[j], w.name[j]) && span_eq(o.value[j], w.value[j]);
        if (!same) {
            fprintf(stderr, "bench_parse: %s and ward disagree on the head spans of corpus %s\n", parsers[k].name,
                    c->name);
            ok = 0;
        }
    }
    if (!ok) {
        fprintf(stderr, "bench_parse: corpus %s: the parsers do not all agree; nothing timed\n", c->name);
        exit(1);
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void cpu_model(char *out, size_t cap)
{
    char line[256];
    FILE *f = fopen("/proc/cpuinfo", "r");
    snprintf(out, cap, "unknown CPU");
    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
        char *colon = strchr(line, ':');
        if (strncmp(line, "model name", 10) == 0 && colon != NULL) {
            snprintf(out, cap, "%s", colon + 2);
            out[strcspn(out, "\n")] = '\0';
            break;
        }
    }
    if (f != NULL)
        fclose(f);
}

#define NCORPORA 7
#define MAX_RUNS 101

/* -b: for each head corpus (or only that one), the fastest of `batches`
 * batches of each parser, the parsers interleaved batch by batch; a batch
 * is as many passes over the corpus as take about 0.2 ms. */
static int fastest_batches(const struct corpus *corp, int batches, const char *only)
{
    printf("| corpus | ward ns/request | llhttp ns/request | http-parser ns/request | ward/llhttp | "
           "ward/http-parser |\n|---|---:|---:|---:|---:|---:|\n");
    for (int c = 0; c < NCORPORA; c++) {
        double best[NPARSERS];
        uint64_t n[NPARSERS];
        if (corp[c].chunked || (only != NULL && strcmp(only, corp[c].name) != 0))
            continue;
        for (size_t p = 0; p < NPARSERS; p++) {
            double t;
            n[p] = 1;
            while ((t = timed(&parsers[p], &corp[c], n[p])) < 0.2e-3)
                n[p] *= 2;
            best[p] = t / (double)(n[p] * corp[c].nreq);
        }
        for (int b = 0; b < batches; b++) {
            for (size_t p = 0; p < NPARSERS; p++) {
                double t = timed(&parsers[p], &corp[c], n[p]) / (double)(n[p] * corp[c].nreq);
                if (t < best[p])
                    best[p] = t;
            }
        }
        fprintf(stderr, "%s: the fastest of %d batches of %llu/%llu/%llu passes\n", corp[c].name, batches,
                (unsigned long long)n[0], (unsigned long long)n[1], (unsigned long long)n[2]);
        printf("| %s | %.2f | %.2f | %.2f | %.2fx | %.2fx |\n", corp[c].name, best[0] * 1e9, best[1] * 1e9,
               best[2] * 1e9, best[1] / best[0], best[2] / best[0]);
    }
    return 0;
}

int main(int argc, char **argv)
{
    static double rate[NCORPORA][NPARSERS][MAX_RUNS];
    double med[NCORPORA][NPARSERS], lo[NCORPORA][NPARSERS], hi[NCORPORA][NPARSERS];
    uint64_t iters[NCORPORA][NPARSERS];
    struct corpus corp[NCORPORA];
    const char *data_path = NULL;
    double min_time = 0.2;
    int runs = 11;
    uint64_t count = 0;        /* -n: parse each corpus this many times, untimed (bench/icount.sh) */
    int batches = 0;           /* -b: the fastest of this many short batches */
    const char *only = NULL;   /* -c: that corpus only */
    char *fifty = fifty_fields();
    char cpu[128];

    for (int a = 1; a < argc; a++) {
        if (strcmp(argv[a], "-r") == 0 && a + 1 < argc)
            runs = atoi(argv[++a]);
        else if (strcmp(argv[a], "-t") == 0 && a + 1 < argc)
            min_time = atof(argv[++a]);
        else if (strcmp(argv[a], "-o") == 0 && a + 1 < argc)
            data_path = argv[++a];
        else if (strcmp(argv[a], "-n") == 0 && a + 1 < argc)
            count = strtoull(argv[++a], NULL, 10);
        else if (strcmp(argv[a], "-c") == 0 && a + 1 < argc)
            only = argv[++a];
        else if (strcmp(argv[a], "-b") == 0 && a + 1 < argc)
            batches = atoi(argv[++a]);
        else {
            fprintf(stderr, "usage: bench_parse [-r RUNS] [-t SECONDS] [-o DATAFILE] [-n COUNT [-c CORPUS]]\n"
                            "       bench_parse -b BATCHES [-c CORPUS]\n");
            return 2;
        }
    }
    if (runs < 1 || runs > MAX_RUNS || !(min_time > 0.0)) {
        fprintf(stderr, "bench_parse: RUNS in 1..%d, SECONDS > 0\n", MAX_RUNS);
        return 2;
    }
    memset(corp, 0, sizeof corp);
    corp[0] = (struct corpus){.name = "minimal-get", .buf = dup_str("GET / HTTP/1.1\r\nHost: a\r\n\r\n")};
    corp[1] = (struct corpus){.name = "browser-get", .buf = dup_str(browser_get)};
    corp[2] = (struct corpus){.name = "fifty-fields", .buf = fifty};
    corp[3] = (struct corpus){.name = "pipelined-mix", .buf = pipelined(fifty), .stream = 1};
    for (int c = 0; c < 4; c++)
        corp[c].len = strlen(corp[c].buf);
    /* (e) 1 MiB in 16 KiB chunks; (f) a 100 kB upload in 8 KiB chunks, the
     * last one short; (g) 64 KiB in chunks of 1..16 bytes, an extension
     * on every 64th chunk */
    chunked_corpus(&corp[4], "chunked-16k", 1u << 20, 16384, 16384, 0, 0x9E3779B97F4A7C15ull);
    chunked_corpus(&corp[5], "chunked-8k", 100000, 8192, 8192, 0, 0xD1B54A32D192ED03ull);
    chunked_corpus(&corp[6], "chunked-tiny", 1u << 16, 1, 16, 64, 0x8CB92BA72F3D8DD7ull);
    for (int c = 0; c < NCORPORA; c++) {
        verify(&corp[c]);
        if (corp[c].chunked)
            fprintf(stderr, "corpus %-14s %7zu bytes: head %zu bytes, %llu fields; %zu data bytes in %zu chunks, "
                    "%zu extension bytes\n", corp[c].name, corp[c].len, corp[c].head_len,
                    (unsigned long long)corp[c].nfields, corp[c].body_len, corp[c].nchunks, corp[c].ext_bytes);
        else
            fprintf(stderr, "corpus %-14s %7zu bytes, %3llu heads, %4llu fields\n", corp[c].name, corp[c].len,
                    (unsigned long long)corp[c].nreq, (unsigned long long)corp[c].nfields);
    }

    if (count > 0) { /* for an instruction counter: only the parsing, COUNT times per (corpus, parser) */
        for (int c = 0; c < NCORPORA; c++) {
            if (only != NULL && strcmp(only, corp[c].name) != 0)
                continue;
            for (size_t p = 0; p < NPARSERS; p++)
                (void)timed(&parsers[p], &corp[c], count);
        }
        return 0;
    }
    if (batches > 0)
        return fastest_batches(corp, batches, only);
    fprintf(stderr, "calibrating to >= %.2f s per measurement\n", min_time);
    for (int c = 0; c < NCORPORA; c++) {
        for (size_t p = 0; p < NPARSERS; p++) {
            uint64_t n = 1;
            double t;
            while ((t = timed(&parsers[p], &corp[c], n)) < min_time / 4)
                n *= 2;
            iters[c][p] = (uint64_t)((double)n * min_time / t * 1.05) + 1;
        }
    }

    for (int r = 0; r < runs; r++) {
        fprintf(stderr, "run %2d/%d:", r + 1, runs);
        for (int c = 0; c < NCORPORA; c++) {
            for (size_t j = 0; j < NPARSERS; j++) {
                size_t p = (j + (size_t)r) % NPARSERS; /* turn the order */
                double t = timed(&parsers[p], &corp[c], iters[c][p]);
                rate[c][p][r] = (double)(iters[c][p] * corp[c].nreq) / t;
            }
            if (corp[c].chunked) /* GB/s of the request's bytes */
                fprintf(stderr, " %s %.2f/%.2f/%.2f GB/s%s", corp[c].name, rate[c][0][r] * (double)corp[c].len / 1e9,
                        rate[c][1][r] * (double)corp[c].len / 1e9, rate[c][2][r] * (double)corp[c].len / 1e9,
                        c + 1 < NCORPORA ? ";" : "\n");
            else
                fprintf(stderr, " %s %.2f/%.2f/%.2f M/s%s", corp[c].name, rate[c][0][r] / 1e6, rate[c][1][r] / 1e6,
                        rate[c][2][r] / 1e6, c + 1 < NCORPORA ? ";" : "\n");
        }
    }
    for (int c = 0; c < NCORPORA; c++) {
        for (size_t p = 0; p < NPARSERS; p++) {
            qsort(rate[c][p], (size_t)runs, sizeof(double), cmp_double);
            med[c][p] = rate[c][p][runs / 2];
            lo[c][p] = rate[c][p][0];
            hi[c][p] = rate[c][p][runs - 1];
        }
    }

    cpu_model(cpu, sizeof cpu);
    printf("Request parsing, single core: %s; compiler %s; median of %d runs of >= %.2f s CPU time each,\n"
           "parsers interleaved in one process: ward, llhttp %s, http-parser %s.\n"
           "Head corpora: heads only. chunked-*: one POST, head and chunked body; every data byte is read\n"
           "(summed); MB/s counts all the request's bytes (head, chunk framing, data).\n\n",
           cpu, __VERSION__, runs, min_time, bench_llhttp_version(), bench_http_parser_version());
    printf("| corpus | bytes/request | parser | requests/s (median) | min..max | MB/s (median) |\n");
    printf("|---|---:|---|---:|---:|---:|\n");
    for (int c = 0; c < NCORPORA; c++) {
        double bph = (double)corp[c].len / (double)corp[c].nreq;
        for (size_t p = 0; p < NPARSERS; p++)
            printf("| %s | %.0f | %s | %.0f | %.0f..%.0f | %.1f |\n", corp[c].name, bph, parsers[p].name,
                   med[c][p], lo[c][p], hi[c][p], med[c][p] * bph / 1e6);
    }
    printf("\n| corpus | ward/llhttp | ward/http-parser |\n|---|---:|---:|\n");
    for (int c = 0; c < NCORPORA; c++)
        printf("| %s | %.2fx | %.2fx |\n", corp[c].name, med[c][0] / med[c][1], med[c][0] / med[c][2]);

    if (data_path != NULL) {
        FILE *f = fopen(data_path, "w");
        if (f == NULL) {
            perror(data_path);
            return 1;
        }
        fprintf(f, "# idx corpus ward_req_s llhttp_req_s http_parser_req_s ward_bytes_s llhttp_bytes_s "
                   "http_parser_bytes_s ward_over_llhttp ward_over_http_parser\n");
        for (int c = 0; c < NCORPORA; c++) {
            double bph = (double)corp[c].len / (double)corp[c].nreq;
            fprintf(f, "%d %s %.0f %.0f %.0f %.0f %.0f %.0f %.4f %.4f\n", c, corp[c].name, med[c][0], med[c][1],
                    med[c][2], med[c][0] * bph, med[c][1] * bph, med[c][2] * bph, med[c][0] / med[c][1],
                    med[c][0] / med[c][2]);
        }
        fclose(f);
    }
    for (int c = 0; c < NCORPORA; c++) {
        free(corp[c].buf);
        free(corp[c].body);
    }
    return 0;
}

#endif
