/* bench_parse.c - request-head parsing throughput, single core: ward
 * against llhttp and http-parser, side by side in one run, on one corpus.
 *
 *   bench_parse [-r RUNS] [-t SECONDS] [-o DATAFILE]
 *
 * Each (corpus, parser) is calibrated once to run >= SECONDS (0.2) of
 * thread CPU time, then measured RUNS times (11), the parsers interleaved
 * and their order turned each round; the median requests/s and bytes/s
 * are reported. Progress goes
 * to stderr, a Markdown table to stdout, the medians and ratios to
 * DATAFILE for bench/plot.gp.
 *
 * Fairness: every parser finds every span. ward returns the method, target
 * and field spans; llhttp and http-parser get minimal callbacks (on_url,
 * on_header_field, on_header_value, on_headers_complete) that only record
 * spans, as offsets, in an array of the same shape. Before timing, the
 * spans each parser found are compared: all three must agree.
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
};

/* Parse one head (stream == 0) or every head of buf (stream != 0); the
 * result is the number of bytes consumed, 0 on a parse error. */
typedef size_t (*bench_fn)(const uint8_t *buf, size_t len, int stream, struct rec *r);

size_t bench_llhttp(const uint8_t *buf, size_t len, int stream, struct rec *r);
size_t bench_http_parser(const uint8_t *buf, size_t len, int stream, struct rec *r);
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

#ifdef BENCH_PEER_LLHTTP
static llhttp_settings_t settings;

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
#else
static http_parser_settings settings;

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
#endif

/* ------------------------------------------------------------------------ */
#else /* the driver */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ward_parse.h"

static ward_field ward_fields[BENCH_MAX_FIELDS];

static size_t bench_ward(const uint8_t *buf, size_t len, int stream, struct rec *r)
{
    size_t off = 0;
    r->base = (const char *)buf;
    do {
        ward_request req;
        size_t n = BENCH_MAX_FIELDS;
        if (ward_parse_request(buf + off, len - off, 0, NULL, &req, ward_fields, &n) != WARD_OK)
            return 0;
        r->nreq++;
        r->nfields += n;
        r->last_k = (uint32_t)n;
        r->url.off = (uint32_t)off + req.target.off;
        r->url.len = req.target.len;
        for (size_t k = 0; k < n; k++) { /* as offsets into buf, like the peers' */
            r->name[k].off = (uint32_t)off + ward_fields[k].name.off;
            r->name[k].len = ward_fields[k].name.len;
            r->value[k].off = (uint32_t)off + ward_fields[k].value.off;
            r->value[k].len = ward_fields[k].value.len;
        }
        off += req.head_len;
    } while (stream && off < len);
    return off;
}

static const struct parser {
    const char *name;
    bench_fn fn;
} parsers[] = {
    {"ward", bench_ward},
    {"llhttp", bench_llhttp},
    {"http-parser", bench_http_parser},
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
};

static char *dup_str(const char *s)
{
    size_t n = strlen(s);
    char *p = malloc(n + 1);
    if (p == NULL) {
        fprintf(stderr, "bench_parse: out of memory\n");
        exit(1);
    }
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
 * find all the heads and fields (checked once, after the clock stops). */
static double timed(const struct parser *p, const struct corpus *c, uint64_t iters)
{
    double t0, t1;
    memset(&scratch, 0, sizeof scratch);
    t0 = now();
    for (uint64_t i = 0; i < iters; i++)
        p->fn((const uint8_t *)c->buf, c->len, c->stream, &scratch);
    t1 = now();
    if (scratch.nreq != iters * c->nreq || scratch.nfields != iters * c->nfields) {
        fprintf(stderr, "bench_parse: %s on %s: %llu heads, %llu fields; expected %llu, %llu\n", p->name,
                c->name, (unsigned long long)scratch.nreq, (unsigned long long)scratch.nfields,
                (unsigned long long)(iters * c->nreq), (unsigned long long)(iters * c->nfields));
        exit(1);
    }
    return t1 - t0;
}

static int span_eq(struct bspan a, struct bspan b)
{
    return a.off == b.off && a.len == b.len;
}

/* One pass of each parser: counts as ward's, and the same spans. */
static void verify(struct corpus *c)
{
    static struct rec w, o;
    memset(&w, 0, sizeof w);
    if (bench_ward((const uint8_t *)c->buf, c->len, c->stream, &w) != c->len) {
        fprintf(stderr, "bench_parse: ward rejects corpus %s\n", c->name);
        exit(1);
    }
    c->nreq = w.nreq;
    c->nfields = w.nfields;
    for (size_t k = 1; k < NPARSERS; k++) {
        int same;
        memset(&o, 0, sizeof o);
        if (parsers[k].fn((const uint8_t *)c->buf, c->len, c->stream, &o) != c->len) {
            fprintf(stderr, "bench_parse: %s rejects corpus %s\n", parsers[k].name, c->name);
            exit(1);
        }
        same = o.nreq == w.nreq && o.nfields == w.nfields && o.last_k == w.last_k && span_eq(o.url, w.url);
        for (uint32_t j = 0; same && j < w.last_k; j++)
            same = span_eq(o.name[j], w.name[j]) && span_eq(o.value[j], w.value[j]);
        if (!same) {
            fprintf(stderr, "bench_parse: %s and ward disagree on corpus %s\n", parsers[k].name, c->name);
            exit(1);
        }
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

#define NCORPORA 4
#define MAX_RUNS 101

int main(int argc, char **argv)
{
    static double rate[NCORPORA][NPARSERS][MAX_RUNS];
    double med[NCORPORA][NPARSERS], lo[NCORPORA][NPARSERS], hi[NCORPORA][NPARSERS];
    uint64_t iters[NCORPORA][NPARSERS];
    struct corpus corp[NCORPORA];
    const char *data_path = NULL;
    double min_time = 0.2;
    int runs = 11;
    char *fifty = fifty_fields();
    char cpu[128];

    for (int a = 1; a < argc; a++) {
        if (strcmp(argv[a], "-r") == 0 && a + 1 < argc)
            runs = atoi(argv[++a]);
        else if (strcmp(argv[a], "-t") == 0 && a + 1 < argc)
            min_time = atof(argv[++a]);
        else if (strcmp(argv[a], "-o") == 0 && a + 1 < argc)
            data_path = argv[++a];
        else {
            fprintf(stderr, "usage: bench_parse [-r RUNS] [-t SECONDS] [-o DATAFILE]\n");
            return 2;
        }
    }
    if (runs < 1 || runs > MAX_RUNS || !(min_time > 0.0)) {
        fprintf(stderr, "bench_parse: RUNS in 1..%d, SECONDS > 0\n", MAX_RUNS);
        return 2;
    }
    corp[0] = (struct corpus){"minimal-get", dup_str("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), 0, 0, 0, 0};
    corp[1] = (struct corpus){"browser-get", dup_str(browser_get), 0, 0, 0, 0};
    corp[2] = (struct corpus){"fifty-fields", fifty, 0, 0, 0, 0};
    corp[3] = (struct corpus){"pipelined-mix", pipelined(fifty), 0, 1, 0, 0};
    for (int c = 0; c < NCORPORA; c++) {
        corp[c].len = strlen(corp[c].buf);
        verify(&corp[c]);
        fprintf(stderr, "corpus %-14s %6zu bytes, %3llu heads, %4llu fields\n", corp[c].name, corp[c].len,
                (unsigned long long)corp[c].nreq, (unsigned long long)corp[c].nfields);
    }

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
    printf("Head parsing, single core: %s; compiler %s; median of %d runs of >= %.2f s CPU time each,\n"
           "parsers interleaved in one process: ward, llhttp %s, http-parser %s.\n\n",
           cpu, __VERSION__, runs, min_time, bench_llhttp_version(), bench_http_parser_version());
    printf("| corpus | bytes/head | parser | heads/s (median) | min..max | MB/s (median) |\n");
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
        fprintf(f, "# idx corpus ward_heads_s llhttp_heads_s http_parser_heads_s ward_bytes_s llhttp_bytes_s "
                   "http_parser_bytes_s ward_over_llhttp ward_over_http_parser\n");
        for (int c = 0; c < NCORPORA; c++) {
            double bph = (double)corp[c].len / (double)corp[c].nreq;
            fprintf(f, "%d %s %.0f %.0f %.0f %.0f %.0f %.0f %.4f %.4f\n", c, corp[c].name, med[c][0], med[c][1],
                    med[c][2], med[c][0] * bph, med[c][1] * bph, med[c][2] * bph, med[c][0] / med[c][1],
                    med[c][0] / med[c][2]);
        }
        fclose(f);
    }
    for (int c = 0; c < NCORPORA; c++)
        free(corp[c].buf);
    return 0;
}

#endif
