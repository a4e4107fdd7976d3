/* SPDX-License-Identifier: MIT */
/* fuzz_head.c - libFuzzer target for ward_parse_request().
 *
 * Asserts properties, not only the absence of crashes (fuzz/README.md
 * lists them). The byte classes are restated here from RFC 9110/3986, not
 * taken from parser/ward_class.h, so a wrong table entry is caught too.
 *
 * Input: an option prefix, then the bytes to parse.
 *   byte 0: bits 0-3 WARD_PARSE_* flags; 0x10: four limits follow
 *           (max_request_line, max_field_line, max_fields, max_head, each
 *           16-bit little-endian, 0 = default, 0xFFFF = UINT32_MAX so the
 *           clamp to WARD_LIMIT_CAP is exercised); 0x20: one capacity
 *           byte follows (else 128 fields); 0x40: pass NULL options when
 *           they are all zero. Missing bytes read as 0.
 * tools/gen_seeds.c writes the test vectors in this format.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "ward_parse.h"

#define MAX_CAP 256u
#define DEFAULT_CAP 128u
#define SMALL_HEAD 256u /* up to this length every prefix is tried */
#define NSAMPLES 24u

static int c_ws(uint8_t c)
{
    return c == ' ' || c == '\t';
}

struct cfg {
    ward_parse_opts opts;
    const ward_parse_opts *popts;
    size_t cap;
    uint32_t rl, fl, nf, mh; /* effective limits */
};

struct result {
    ward_status st;
    ward_request req;
    size_t n;
    ward_field f[MAX_CAP];
};

static uint8_t byte_at(const uint8_t *d, size_t size, size_t i)
{
    return i < size ? d[i] : 0;
}

static uint32_t effective(uint32_t v, uint32_t dflt)
{
    if (v == 0)
        return dflt;
    return v > WARD_LIMIT_CAP ? WARD_LIMIT_CAP : v;
}

/* Decodes the option prefix; returns its length. */
static size_t decode_cfg(const uint8_t *d, size_t size, struct cfg *c)
{
    uint8_t b0 = byte_at(d, size, 0);
    size_t k = 1;

    memset(c, 0, sizeof *c);
    c->opts.flags = b0 & WARD_PARSE_FLAGS_ALL;
    if (b0 & 0x10) {
        uint32_t v[4];
        for (size_t j = 0; j < 4; j++, k += 2) {
            v[j] = (uint32_t)byte_at(d, size, k) | (uint32_t)byte_at(d, size, k + 1) << 8;
            v[j] = v[j] == 0xFFFFu ? UINT32_MAX : v[j];
        }
        c->opts.max_request_line = v[0];
        c->opts.max_field_line = v[1];
        c->opts.max_fields = v[2];
        c->opts.max_head = v[3];
    }
    c->cap = DEFAULT_CAP;
    if (b0 & 0x20) {
        c->cap = byte_at(d, size, k);
        k++;
    }
    c->popts = &c->opts;
    if ((b0 & 0x40) && c->opts.flags == 0 && c->opts.max_request_line == 0 && c->opts.max_field_line == 0 &&
        c->opts.max_fields == 0 && c->opts.max_head == 0)
        c->popts = NULL;
    c->rl = effective(c->opts.max_request_line, WARD_DEFAULT_MAX_REQUEST_LINE);
    c->fl = effective(c->opts.max_field_line, WARD_DEFAULT_MAX_FIELD_LINE);
    c->nf = effective(c->opts.max_fields, WARD_DEFAULT_MAX_FIELDS);
    c->mh = effective(c->opts.max_head, WARD_DEFAULT_MAX_HEAD);
    return k < size ? k : size;
}

/* ward_parse_request() built with WARD_PROVED_ONLY (build.ninja, the objects
 * under build/fuzz/obj/ref/): no vector bodies and no word compares, only
 * the loops Frama-C proves, compiled under its own names. Whatever the
 * input, the release paths must give the same answer. */
ward_status ref_parse_request(const uint8_t *buf, size_t len, size_t prev_len, const ward_parse_opts *opts,
                              ward_request *req, ward_field *fields, size_t *nfields);

typedef ward_status parse_fn(const uint8_t *, size_t, size_t, const ward_parse_opts *, ward_request *,
                             ward_field *, size_t *);

/* One call of parse on buf as given; *req starts as garbage to show it is reset. */
static void call_with(parse_fn *parse, const struct cfg *c, const uint8_t *buf, size_t len, size_t prev,
                      uint8_t garbage, struct result *r)
{
    ward_field *fa = malloc(c->cap * sizeof *fa); /* exact size: ASan sees a write past it */
    size_t n = c->cap;

    CHECK(fa != NULL || c->cap == 0);
    memset(&r->req, garbage, sizeof r->req);
    r->st = parse(buf, len, prev, c->popts, &r->req, fa, &n);
    CHECK(n <= c->cap);
    r->n = n;
    if (r->st == WARD_OK && n > 0)
        memcpy(r->f, fa, n * sizeof *fa);
    free(fa);
}

static void call(const struct cfg *c, const uint8_t *buf, size_t len, size_t prev, uint8_t garbage,
                 struct result *r)
{
    call_with(ward_parse_request, c, buf, len, prev, garbage, r);
}

/* One call on an exact-size heap copy of buf[0 .. len): a read past len
 * faults under ASan even when len is a prefix of the fuzzer's input. */
static void call_exact(const struct cfg *c, const uint8_t *buf, size_t len, size_t prev, struct result *r)
{
    uint8_t *copy = malloc(len);

    CHECK(copy != NULL || len == 0);
    if (len > 0)
        memcpy(copy, buf, len);
    call(c, copy, len, prev, 0xA5, r);
    CHECK(len == 0 || memcmp(copy, buf, len) == 0); /* never writes to buf */
    free(copy);
}

static int span_eq(ward_span a, ward_span b)
{
    return a.off == b.off && a.len == b.len;
}

static int req_eq(const ward_request *a, const ward_request *b)
{
    return span_eq(a->method, b->method) && span_eq(a->target, b->target) && span_eq(a->path, b->path) &&
           span_eq(a->query, b->query) && span_eq(a->host, b->host) && a->head_len == b->head_len &&
           a->nlines == b->nlines && a->ndropped == b->ndropped && a->flags == b->flags &&
           a->version == b->version && a->form == b->form;
}

/* Same status and the same outputs: for OK only, or (all) whatever the
 * status, since every output is reset on entry. */
static int same(const struct result *a, const struct result *b, int all)
{
    if (a->st != b->st)
        return 0;
    if (a->st != WARD_OK && !all)
        return 1;
    if (!req_eq(&a->req, &b->req) || a->n != b->n)
        return 0;
    for (size_t k = 0; a->st == WARD_OK && k < a->n; k++) {
        if (!span_eq(a->f[k].name, b->f[k].name) || !span_eq(a->f[k].value, b->f[k].value))
            return 0;
    }
    return 1;
}

/* The defined results and the status each maps to (ward_parse.h). */
static const struct {
    ward_status st;
    int http;
} statuses[] = {
    {WARD_OK, 0}, {WARD_AGAIN, 0},
    {WARD_E_EMPTY_LINES, 400}, {WARD_E_METHOD, 400}, {WARD_E_TARGET, 400}, {WARD_E_VERSION, 400},
    {WARD_E_REQUEST_LINE, 400}, {WARD_E_LINE_END, 400}, {WARD_E_FIELD_NAME, 400}, {WARD_E_FIELD_VALUE, 400},
    {WARD_E_OBS_FOLD, 400}, {WARD_E_REQUEST_LINE_TOO_LONG, 414}, {WARD_E_FIELD_LINE_TOO_LONG, 431},
    {WARD_E_TOO_MANY_FIELDS, 431}, {WARD_E_HEAD_TOO_LARGE, 431}, {WARD_E_HOST_MISSING, 400},
    {WARD_E_HOST_DUPLICATE, 400}, {WARD_E_HOST_INVALID, 400}, {WARD_E_TARGET_FORM, 400},
    {WARD_E_CONNECTION, 400}, {WARD_E_EXPECTATION, 417}, {WARD_E_VERSION_UNSUPPORTED, 505},
    /* WARD_E_INTERNAL left out: "a state the code believes unreachable" */
};

static void check_status(ward_status st)
{
    size_t k = 0;
    while (k < sizeof statuses / sizeof statuses[0] && statuses[k].st != st)
        k++;
    CHECK(k < sizeof statuses / sizeof statuses[0]); /* a defined, reachable value */
    CHECK(ward_status_http(st) == statuses[k].http);
    CHECK(ward_status_str(st) != NULL);
}

static int in_head(ward_span s, uint32_t hl)
{
    return (uint64_t)s.off + s.len <= hl;
}

static int inside(ward_span s, ward_span outer)
{
    return s.off >= outer.off && (uint64_t)s.off + s.len <= (uint64_t)outer.off + outer.len;
}

static int eq_ci(const uint8_t *buf, ward_span s, const char *lit)
{
    size_t n = strlen(lit);
    if (s.len != n)
        return 0;
    for (size_t k = 0; k < n; k++) {
        uint8_t c = buf[s.off + k];
        if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != (uint8_t)lit[k])
            return 0;
    }
    return 1;
}

static int eq_lit(const uint8_t *buf, ward_span s, const char *lit)
{
    return s.len == strlen(lit) && memcmp(buf + s.off, lit, s.len) == 0;
}

static size_t count_named(const uint8_t *buf, const struct result *r, const char *lit, size_t *last)
{
    size_t cnt = 0;
    for (size_t k = 0; k < r->n; k++) {
        if (eq_ci(buf, r->f[k].name, lit)) {
            cnt++;
            *last = k;
        }
    }
    return cnt;
}

static int is_hex(uint8_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

/* The request line of an accepted head; returns the offset after it. */
static uint32_t check_request_line(const struct cfg *c, const uint8_t *buf, const ward_request *q)
{
    uint32_t hl = q->head_len;
    uint32_t start = (q->flags & WARD_REQ_EMPTY_LINE) ? (buf[0] == '\r' ? 2u : 1u) : 0u;
    uint32_t t_end = q->target.off + q->target.len, v, end;
    const uint8_t *qm;

    CHECK(((q->flags & WARD_REQ_EMPTY_LINE) != 0) == (buf[0] == '\r' || buf[0] == '\n'));
    CHECK(buf[0] != '\n' || (c->opts.flags & WARD_PARSE_LENIENT_BARE_LF));
    CHECK(q->method.off == start && q->method.len >= 1 && q->method.off + q->method.len < hl);
    for (uint32_t k = 0; k < q->method.len; k++)
        CHECK(c_tchar(buf[q->method.off + k]));
    CHECK(buf[q->method.off + q->method.len] == ' ');
    CHECK(q->target.off == q->method.off + q->method.len + 1 && q->target.len >= 1 && t_end + 10 <= hl);
    for (uint32_t k = 0; k < q->target.len; k++)
        CHECK(c_target(buf[q->target.off + k]));
    for (uint32_t k = q->target.off; k < t_end; k++) /* pct-encoded, RFC 3986 §2.1 */
        CHECK(buf[k] != '%' || (t_end - k >= 3 && is_hex(buf[k + 1]) && is_hex(buf[k + 2])));
    CHECK(buf[t_end] == ' ');
    v = t_end + 1;
    /* HTTP/1.0 is version 0; 1.1 and any higher minor, read as 1.1, version 1 */
    CHECK(memcmp(buf + v, "HTTP/1.", 7) == 0 && buf[v + 7] >= '0' && buf[v + 7] <= '9' &&
          q->version == (buf[v + 7] == '0' ? 0 : 1));
    end = v + 8;
    if (buf[end] == '\r')
        end++;
    CHECK(end < hl && buf[end] == '\n');
    end++;
    CHECK(end - start <= c->rl);

    /* target form against the method, and the path/query/host spans */
    qm = memchr(buf + q->target.off, '?', q->target.len);
    CHECK(((q->flags & WARD_REQ_QUERY) != 0) == (qm != NULL));
    CHECK(qm != NULL ? q->query.off == (uint32_t)(qm - buf) + 1 && q->query.off + q->query.len == t_end
                     : q->query.len == 0);
    CHECK(q->path.len == 0 || inside(q->path, q->target));
    switch (q->form) {
    case WARD_FORM_ORIGIN:
        CHECK(buf[q->target.off] == '/' && q->path.off == q->target.off && q->path.len >= 1);
        CHECK(q->path.off + q->path.len == (qm != NULL ? q->query.off - 1 : t_end));
        CHECK(!eq_lit(buf, q->method, "CONNECT"));
        break;
    case WARD_FORM_ABSOLUTE:
        CHECK(q->host.len >= 1 && inside(q->host, q->target));
        CHECK(!eq_lit(buf, q->method, "CONNECT"));
        break;
    case WARD_FORM_AUTHORITY:
        CHECK(eq_lit(buf, q->method, "CONNECT") && span_eq(q->host, q->target));
        break;
    case WARD_FORM_ASTERISK:
        CHECK(eq_lit(buf, q->method, "OPTIONS") && eq_lit(buf, q->target, "*"));
        CHECK(span_eq(q->path, q->target));
        break;
    default:
        FAIL("form is one of the four forms");
    }
    return end;
}

/* A kept field's value: after the colon and OWS, value bytes, no OWS at
 * its ends; CR/LF only inside an obs-fold. ce ends the field's first line. */
static void check_value(const struct cfg *c, const uint8_t *buf, const ward_request *q, const ward_field *f,
                        uint32_t colon, uint32_t ce)
{
    uint32_t hl = q->head_len, end = f->value.off + f->value.len;
    int fold = (c->opts.flags & WARD_PARSE_LENIENT_OBS_FOLD) != 0;

    CHECK(in_head(f->value, hl));
    if (f->value.len == 0)
        return;
    CHECK(f->value.off > colon && (f->value.off < ce || fold));
    CHECK(!c_ws(buf[f->value.off]) && !c_ws(buf[end - 1]));
    for (uint32_t k = colon + 1; k < f->value.off; k++) /* OWS, or empty lines before a fold */
        CHECK(c_ws(buf[k]) || (fold && (buf[k] == '\r' || buf[k] == '\n')));
    for (uint32_t k = f->value.off; k < end; k++) {
        if (buf[k] == '\r' || buf[k] == '\n') { /* only inside a fold */
            CHECK(fold && k + 1 < hl && (q->flags & WARD_REQ_OBS_FOLD));
            CHECK(buf[k] == '\n' ? c_ws(buf[k + 1]) : buf[k + 1] == '\n');
        } else {
            CHECK(c_value(buf[k]));
        }
    }
    for (uint32_t k = end; k < ce; k++) /* OWS to the line end, if the value ends on this line */
        CHECK(c_ws(buf[k]));
}

/* Walks the field lines of an accepted head, line by line, and checks them
 * against the kept fields and the options. */
static void check_lines(const struct cfg *c, const uint8_t *buf, const struct result *r, uint32_t p)
{
    const ward_request *q = &r->req;
    uint32_t hl = q->head_len, logical = 0, dropped = 0;
    size_t kept = 0;
    int bare_lf = (c->opts.flags & WARD_PARSE_LENIENT_BARE_LF) != 0;

    for (;;) {
        const uint8_t *lf = memchr(buf + p, '\n', hl - p);
        uint32_t e, ce, name_end;

        CHECK(lf != NULL);
        e = (uint32_t)(lf - buf); /* the LF ending this line */
        ce = (e > p && buf[e - 1] == '\r') ? e - 1 : e;
        CHECK(bare_lf || ce + 1 == e); /* no LF without CR */
        for (uint32_t k = p; k < ce; k++)
            CHECK(buf[k] != '\r'); /* no bare CR */
        CHECK(e + 1 - p <= c->fl || ce == p);
        if (ce == p) { /* the empty line ends the head */
            CHECK(e + 1 == hl);
            break;
        }
        if (c_ws(buf[p])) { /* an obs-fold continues the previous line */
            CHECK((c->opts.flags & WARD_PARSE_LENIENT_OBS_FOLD) && logical > 0);
            p = e + 1;
            continue;
        }
        logical++;
        name_end = p;
        while (c_tchar(buf[name_end]))
            name_end++;
        CHECK(name_end > p);
        if ((c->opts.flags & WARD_PARSE_DROP_UNDERSCORE) && memchr(buf + p, '_', name_end - p) != NULL) {
            dropped++;
        } else { /* the next kept field is this line */
            const ward_field *f = &r->f[kept];
            uint32_t colon = name_end;
            CHECK(kept < r->n);
            CHECK(f->name.off == p && f->name.len == name_end - p);
            while (c_ws(buf[colon]) && (c->opts.flags & WARD_PARSE_LENIENT_WS_BEFORE_COLON))
                colon++;
            CHECK(buf[colon] == ':');
            check_value(c, buf, q, f, colon, ce);
            kept++;
        }
        p = e + 1;
    }
    CHECK(kept == r->n);
    CHECK(q->nlines == logical && q->ndropped == dropped);
}

/* Everything an OK answer promises (ward_parse.h, RULES.md). */
static void check_ok(const struct cfg *c, const uint8_t *buf, size_t len, const struct result *r)
{
    const ward_request *q = &r->req;
    uint32_t hl = q->head_len, p;
    size_t last = 0, nhost;

    CHECK(hl >= 1 && hl <= len && hl <= c->mh && buf[hl - 1] == '\n');
    CHECK(r->n <= c->cap && q->nlines <= c->nf);
    CHECK(q->ndropped <= q->nlines && r->n == q->nlines - q->ndropped);
    CHECK(q->ndropped == 0 || (c->opts.flags & WARD_PARSE_DROP_UNDERSCORE));
    CHECK(in_head(q->method, hl) && in_head(q->target, hl) && in_head(q->path, hl));
    CHECK(in_head(q->query, hl) && in_head(q->host, hl));
    for (size_t k = 0; k < r->n; k++) /* the fields' bytes: check_lines() */
        CHECK(in_head(r->f[k].name, hl) && in_head(r->f[k].value, hl) && r->f[k].name.len >= 1);
    /* a CR/LF in a value is announced (check_value()); the flag alone may
     * also mean a fold that only begins a value ("Host:\r\n a") */
    CHECK(!(q->flags & WARD_REQ_OBS_FOLD) || (c->opts.flags & WARD_PARSE_LENIENT_OBS_FOLD));
    p = check_request_line(c, buf, q);
    check_lines(c, buf, r, p);

    /* semantic summary */
    nhost = count_named(buf, r, "host", &last);
    CHECK(nhost <= 1 && ((q->flags & WARD_REQ_HOST_FIELD) != 0) == (nhost == 1));
    CHECK(q->version == 0 || nhost == 1); /* RFC 9112 §3.2 */
    if (q->form == WARD_FORM_ORIGIN || q->form == WARD_FORM_ASTERISK) {
        if (nhost == 1 && r->f[last].value.len > 0)
            CHECK(span_eq(q->host, r->f[last].value));
        else
            CHECK(q->host.len == 0);
    }
    if (q->flags & WARD_REQ_EXPECT_CONTINUE)
        CHECK(count_named(buf, r, "expect", &last) >= 1);
    if (q->flags & (WARD_REQ_CONN_CLOSE | WARD_REQ_CONN_KEEP_ALIVE | WARD_REQ_CONN_UPGRADE))
        CHECK(count_named(buf, r, "connection", &last) >= 1);
}

/* A few prefix lengths in [lo, hi), derived from the input. */
static size_t sample(const uint8_t *buf, size_t len, size_t lo, size_t hi, unsigned k)
{
    uint32_t h = 2166136261u ^ k;
    for (size_t i = 0; i < len && i < 64; i++)
        h = (h ^ buf[i]) * 16777619u;
    h = (h ^ k) * 16777619u;
    return lo + (size_t)(h % (uint32_t)(hi - lo));
}

/* Whether the field line starting at ls would exceed max_fields or the
 * capacity: the head cut there (plus an empty line) is accepted with as
 * many lines as allowed. */
static int line_would_exceed(const struct cfg *c, const uint8_t *buf, size_t ls)
{
    static struct result r;
    uint8_t *cut = malloc(ls + 2);

    CHECK(cut != NULL);
    memcpy(cut, buf, ls);
    cut[ls] = '\r';
    cut[ls + 1] = '\n';
    call(c, cut, ls + 2, 0, 0xA5, &r);
    free(cut);
    return r.st == WARD_OK && r.req.head_len == ls + 2 && (r.req.nlines == c->nf || r.n == c->cap);
}

/* What RULES.md says of the byte that decides an error: limits are
 * reported as soon as they are reached; too many fields "when the line
 * that would exceed starts" (with the underscore option a line's fate is
 * known only at its colon, so that case is left out). p0 is the shortest
 * prefix whose answer is the error. */
static void check_decisive(const struct cfg *c, const uint8_t *buf, ward_status st, size_t p0)
{
    size_t start = buf[0] == '\r' ? 2 : buf[0] == '\n' ? 1 : 0;
    size_t ls = p0 - 1; /* start of the line holding the deciding byte */

    while (ls > 0 && buf[ls - 1] != '\n')
        ls--;
    switch (st) {
    case WARD_E_REQUEST_LINE_TOO_LONG:
        CHECK(p0 == start + c->rl && p0 <= c->mh);
        return;
    case WARD_E_FIELD_LINE_TOO_LONG:
        CHECK(p0 > c->fl && buf[p0 - c->fl - 1] == '\n' && p0 <= c->mh);
        if (p0 == ls + 1) /* this limit and the field count met at one byte */
            return;
        break;
    case WARD_E_HEAD_TOO_LARGE:
        CHECK(p0 == c->mh);
        if (p0 == ls + 1)
            return;
        break;
    case WARD_E_TOO_MANY_FIELDS:
        if (!(c->opts.flags & WARD_PARSE_DROP_UNDERSCORE))
            CHECK(p0 >= 2 && buf[p0 - 2] == '\n');
        break;
    default:
        break;
    }
    if ((c->opts.flags & WARD_PARSE_DROP_UNDERSCORE) || ls == 0 || !c_tchar(buf[ls]))
        return;
    if (line_would_exceed(c, buf, ls)) {
        CHECK(st == WARD_E_TOO_MANY_FIELDS); /* not a later byte's error */
        CHECK(p0 == ls + 1);                  /* reported at the line's first byte */
    }
}

/* Every prefix answers AGAIN until the answer is decided, then the same
 * answer as the whole input: RULES.md's "first error", and for an OK
 * answer, every strict prefix of the head is AGAIN. */
static void check_prefixes(const struct cfg *c, const uint8_t *buf, size_t len, const struct result *full)
{
    static struct result r;
    size_t p0 = len; /* shortest prefix with a decided answer */

    if (full->st == WARD_OK)
        p0 = full->req.head_len;
    if (len <= SMALL_HEAD) {
        int decided = 0;
        for (size_t p = 0; p <= len; p++) {
            call_exact(c, buf, p, 0, &r);
            if (!decided && r.st != WARD_AGAIN) {
                decided = 1;
                CHECK(full->st != WARD_OK || p == p0);
                p0 = p;
            }
            CHECK(decided ? same(&r, full, 0) : r.st == WARD_AGAIN);
        }
        CHECK(decided == (full->st != WARD_AGAIN));
    } else {
        if (full->st != WARD_OK && full->st != WARD_AGAIN) { /* binary search for p0 */
            size_t lo = 0, hi = len; /* answer(lo) is AGAIN, answer(hi) is decided */
            while (hi - lo > 1) {
                size_t mid = lo + (hi - lo) / 2;
                call_exact(c, buf, mid, 0, &r);
                if (r.st == WARD_AGAIN)
                    lo = mid;
                else
                    hi = mid;
            }
            p0 = hi;
        }
        for (unsigned k = 0; k < NSAMPLES + 4; k++) {
            size_t p = k == 0 ? 0 : k == 1 ? p0 - 1 : k == 2 ? p0 : k == 3 ? len - 1 : sample(buf, len, 0, len, k);
            if (full->st == WARD_AGAIN && p == len)
                continue;
            call_exact(c, buf, p, 0, &r);
            CHECK(p < p0 ? r.st == WARD_AGAIN : same(&r, full, 0));
        }
    }
    if (full->st != WARD_OK && full->st != WARD_AGAIN)
        check_decisive(c, buf, full->st, p0);
}

/* The prev_len hint: a chain of calls, each passing the length of the
 * previous one (which answered AGAIN), as a slowloris-guarded caller does.
 * An OK answer must be the unhinted one; an error may be deferred (AGAIN)
 * but never changed, and never past the head limit or the request-line
 * limit (RULES.md, "The prev_len hint"). */
static void check_hint(const struct cfg *c, const uint8_t *buf, size_t len, const struct result *full)
{
    static struct result r, plain;
    size_t cuts[8], ncut = 0, prev = 0;

    if (len < 2)
        return;
    for (unsigned k = 0; k < 7; k++) { /* one cut in each seventh of [1, len): ascending */
        size_t lo = 1 + k * (len - 1) / 7, hi = 1 + (k + 1) * (len - 1) / 7;
        cuts[ncut++] = lo < hi ? sample(buf, len, lo, hi, 100 + k) : lo;
    }
    cuts[ncut++] = len - 1;
    call_exact(c, buf, cuts[0], 0, &r);
    if (r.st != WARD_AGAIN)
        return;
    prev = cuts[0];
    for (size_t i = 1; i <= ncut; i++) {
        size_t at = i < ncut ? cuts[i] : len;
        if (at == prev)
            continue;
        call_exact(c, buf, at, prev, &r);
        if (at < len)
            call_exact(c, buf, at, 0, &plain);
        else
            plain = *full;
        if (r.st != WARD_AGAIN) {
            CHECK(same(&r, &plain, 0));
            return;
        }
        CHECK(plain.st != WARD_OK);
        CHECK(at <= c->mh || plain.st == WARD_AGAIN);
        CHECK(plain.st != WARD_E_REQUEST_LINE_TOO_LONG);
        prev = at;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct result r, again;
    struct cfg c;
    size_t k = decode_cfg(data, size, &c);
    const uint8_t *buf = data + k;
    size_t len = size - k;
    uint8_t *saved = malloc(len + 1);

    CHECK(saved != NULL);
    if (len > 0)
        memcpy(saved, buf, len);
    /* libFuzzer's buffer is exact-size: a read past len faults */
    call(&c, buf, len, 0, 0xA5, &r);
    call(&c, buf, len, 0, 0x5A, &again);
    CHECK(same(&r, &again, 1)); /* deterministic, every output reset */
    call_with(ref_parse_request, &c, buf, len, 0, 0x3C, &again);
    CHECK(same(&r, &again, 1)); /* the proved paths agree */
    CHECK(len == 0 || memcmp(saved, buf, len) == 0); /* never writes to buf */
    free(saved);

    check_status(r.st);
    if (r.st == WARD_OK) {
        check_ok(&c, buf, len, &r);
        if (r.req.head_len < len) { /* the bytes after the head play no part */
            call_exact(&c, buf, r.req.head_len, 0, &again);
            CHECK(same(&again, &r, 0));
        }
    }
    check_prefixes(&c, buf, len, &r);
    check_hint(&c, buf, len, &r);
    return 0;
}
