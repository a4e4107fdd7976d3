/* SPDX-License-Identifier: MIT */
/* test_chunked.c - ward_chunked_decode() against RULES.md "Chunked
 * decoding" and the contract in ward_parse.h.
 *
 * Every vector runs three ways, each piece of input copied to the end of a
 * read-only guard region (a write, or a read past the piece, faults):
 * at once; byte by byte; and at every split point k ([0, k) then the
 * rest; sampled for long inputs). A piece is fed by calling the decoder on
 * what is left of it until the result is final or the piece is used up
 * (a call stops after each data it finds). Every call is checked for the
 * contract's promises; every way must give the vector's final status, the
 * decoded bytes, the total consumed (OK: where the next message starts;
 * AGAIN: everything) and, under WARD_CHUNKED_KEEP_TRAILERS, the trailer
 * bytes. Byte by byte also fixes the byte that decides (`at`), and each
 * split's first piece must be AGAIN before it and final from it on.
 * Once final, later calls must give the same result and consume nothing.
 *
 * What RULES.md leaves open is not asserted: *consumed and *trailer on an
 * error call (so they are compared only for OK and AGAIN), and where it is
 * ambiguous which error applies, a vector accepts both (`alt`). */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guard.h"
#include "ward_parse.h"

#define KEEP WARD_CHUNKED_KEEP_TRAILERS
#define LF WARD_CHUNKED_LENIENT_BARE_LF
#define CAP WARD_BODY_CAP
#define MIB WARD_DEFAULT_MAX_BODY

#define M_ONCE 0x1u
#define M_BYTES 0x2u
#define M_SPLITS 0x4u
#define M_ALL 0x7u

/* Inputs up to this long are split at every point; longer ones at the
 * first and last 64, around the deciding byte, and 128 points between. */
#define SPLIT_ALL_MAX 4096u

typedef struct cvec {
    const char *id;
    const char *in;
    size_t len;
    ward_chunked_opts opts;
    ward_status expect;
    ward_status alt;        /* nonzero: also accepted (RULES.md is ambiguous) */
    const char *data;       /* all data decoded (before the error, for an error) */
    size_t dlen;
    size_t next;            /* WARD_OK: bytes after the body, the next message */
    const char *trl;        /* under KEEP, for OK and AGAIN: the trailer bytes */
    size_t tlen;
    size_t at;              /* nonzero: byte at-1 decides the final result */
    unsigned modes;         /* M_*; 0 means M_ALL */
} cvec;

#define IN(s) .in = (s), .len = sizeof(s) - 1
#define DATA(s) .data = (s), .dlen = sizeof(s) - 1
#define TRL(s) .trl = (s), .tlen = sizeof(s) - 1

#define NEXT_REQ "GET / HTTP/1.1\r\nHost: a\r\n\r\n"

/* ---- guard placement ---- */

static ward_guard g_small, g_big;

static const uint8_t *place(const void *src, size_t n)
{
    ward_guard *g = n <= 4096 ? &g_small : &g_big;
    if (!g->map)
        cr_assert_eq(ward_guard_init(g, n <= 4096 ? 4096 : n, 1), 0, "guard mapping");
    const uint8_t *p = ward_guard_put(g, src, n);
    cr_assert(p != NULL, "guard mapping");
    return p;
}

/* ---- one way of feeding ---- */

typedef struct crun {
    const cvec *v;
    const char *mode;
    size_t k;
    const ward_chunked_opts *o;
    uint32_t flags;
    ward_chunked c;
    int done;
    ward_status st;   /* final result, WARD_AGAIN while not done */
    size_t fed;       /* bytes given so far */
    size_t done_at;   /* bytes given when the result became final */
    size_t consumed;  /* sum of *consumed */
    uint8_t *data;
    size_t dlen;
    uint8_t *trl;
    size_t tlen;
    size_t cap, tcap;
} crun;

#define CTX "%s [%s k=%zu fed=%zu]"
#define CTXA(r) (r)->v->id, (r)->mode, (r)->k, (r)->fed

static int known_status(ward_status s)
{
    switch (s) {
    case WARD_OK:
    case WARD_AGAIN:
    case WARD_E_LINE_END:
    case WARD_E_CHUNK_SIZE:
    case WARD_E_CHUNK_EXT:
    case WARD_E_CHUNK_DATA:
    case WARD_E_FIELD_NAME:
    case WARD_E_FIELD_VALUE:
    case WARD_E_OBS_FOLD:
    case WARD_E_BODY_TOO_LARGE:
    case WARD_E_CHUNK_EXT_TOO_LONG:
    case WARD_E_CHUNK_OVERHEAD:
    case WARD_E_TRAILER_TOO_LARGE:
    case WARD_E_TOO_MANY_FIELDS:
        return 1;
    default: /* WARD_E_INTERNAL included: never expected */
        return 0;
    }
}

/* One call, checked for what the contract promises on every call. */
static ward_status dec(crun *r, const uint8_t *buf, size_t len, size_t *used, ward_span *d,
                       ward_span *t)
{
    ward_chunked before = r->c;
    *used = SIZE_MAX - 1; /* outputs are defined on every path */
    d->off = t->off = 0x7FFFFFF0u;
    d->len = t->len = 0x100u;
    ward_status st = ward_chunked_decode(&r->c, r->o, buf, len, used, d, t);
    cr_assert(known_status(st), CTX ": result %d (%s)", CTXA(r), (int)st, ward_status_str(st));
    cr_assert(*used <= len, CTX ": consumed %zu of %zu", CTXA(r), *used, len);
    cr_assert((uint64_t)d->off + d->len <= *used, CTX ": data %u+%u past consumed %zu", CTXA(r),
              d->off, d->len, *used);
    cr_assert((uint64_t)t->off + t->len <= *used, CTX ": trailer %u+%u past consumed %zu",
              CTXA(r), t->off, t->len, *used);
    cr_assert(d->len == 0 || t->len == 0, CTX ": data and trailer in one call", CTXA(r));
    cr_assert_eq(r->c.total, before.total + d->len, CTX ": total %llu, was %llu + data %u",
                 CTXA(r), (unsigned long long)r->c.total, (unsigned long long)before.total,
                 d->len);
    cr_assert(r->c.total <= CAP && r->c.overhead <= 2 * CAP, CTX ": chunk_limit_ok", CTXA(r));
    if (st == WARD_AGAIN && len > 0)
        cr_assert(*used > 0, CTX ": AGAIN without progress", CTXA(r));
    if (st == WARD_AGAIN && *used < len && *used < 0x7fffffffu)
        cr_assert(d->len > 0 && d->off + d->len == *used,
                  CTX ": AGAIN with %zu of %zu consumed, not stopped after data", CTXA(r), *used,
                  len);
    /* "a call returns right after the first chunk data it finds" */
    if (d->len > 0)
        cr_assert(st == WARD_AGAIN && d->off + d->len == *used,
                  CTX ": data %u+%u, consumed %zu, result %d", CTXA(r), d->off, d->len, *used,
                  (int)st);
    if (!(r->flags & KEEP))
        cr_assert_eq(t->len, 0, CTX ": trailer reported without KEEP_TRAILERS", CTXA(r));
    /* the trailer section is the last thing before the end of the body */
    if (t->len > 0 && (st == WARD_OK || st == WARD_AGAIN))
        cr_assert(t->off + t->len == *used, CTX ": trailer %u+%u, consumed %zu", CTXA(r), t->off,
                  t->len, *used);
    if (st != WARD_OK && st != WARD_AGAIN)
        cr_assert_eq(r->c.error, (uint8_t)st, CTX ": c.error %u for result %d", CTXA(r),
                     (unsigned)r->c.error, (int)st);
    return st;
}

static void take(crun *r, const uint8_t *buf, ward_span d, ward_span t)
{
    cr_assert(r->dlen + d.len <= r->cap && r->tlen + t.len <= r->tcap, CTX ": too much output",
              CTXA(r));
    if (d.len)
        memcpy(r->data + r->dlen, buf + d.off, d.len);
    r->dlen += d.len;
    if (t.len)
        memcpy(r->trl + r->tlen, buf + t.off, t.len);
    r->tlen += t.len;
}

/* Once final: the same result, nothing consumed, nothing reported. */
static void after(crun *r, const uint8_t *buf, size_t len)
{
    size_t used;
    ward_span d, t;
    ward_status st = dec(r, buf, len, &used, &d, &t);
    cr_assert_eq(st, r->st, CTX ": %d after the final %d", CTXA(r), (int)st, (int)r->st);
    cr_assert(used == 0 && d.len == 0 && t.len == 0,
              CTX ": consumed %zu, data %u, trailer %u after the final result", CTXA(r), used,
              d.len, t.len);
}

static void feed(crun *r, const void *src, size_t n)
{
    const uint8_t *buf = place(src, n);
    if (r->done) {
        after(r, buf, n);
        r->fed += n;
        return;
    }
    size_t off = 0;
    for (;;) {
        size_t used;
        ward_span d, t;
        ward_status st = dec(r, buf + off, n - off, &used, &d, &t);
        take(r, buf + off, d, t);
        off += used;
        r->consumed += used;
        if (st != WARD_AGAIN) {
            r->done = 1;
            r->st = st;
            r->done_at = r->fed + n;
            after(r, buf + off, n - off);
            break;
        }
        if (off == n)
            break;
    }
    r->fed += n;
}

/* A last call with no bytes (and, once final, one with a new body). */
static void finish(crun *r)
{
    if (r->done)
        feed(r, "0\r\n\r\n", 5);
    feed(r, "", 0);
}

static void run_init(crun *r, const cvec *v, const char *mode, size_t k,
                     const ward_chunked_opts *o)
{
    memset(r, 0, sizeof *r);
    r->v = v;
    r->mode = mode;
    r->k = k;
    r->o = o;
    r->flags = v->opts.flags;
    r->st = WARD_AGAIN;
    r->cap = v->len + 1;
    r->tcap = (v->opts.flags & KEEP) ? v->len + 1 : 1;
    r->data = malloc(r->cap);
    r->trl = malloc(r->tcap);
    cr_assert(r->data && r->trl);
}

static void run_free(crun *r)
{
    free(r->data);
    free(r->trl);
}

/* What every way must give. */
static void check_final(const crun *r)
{
    const cvec *v = r->v;
    cr_assert(r->st == v->expect || (v->alt != 0 && r->st == v->alt),
              "%s [%s k=%zu]: result %d (%s), want %d (%s)", v->id, r->mode, r->k, (int)r->st,
              ward_status_str(r->st), (int)v->expect, ward_status_str(v->expect));
    cr_assert(r->dlen == v->dlen && (v->dlen == 0 || memcmp(r->data, v->data, v->dlen) == 0),
              "%s [%s k=%zu]: decoded %zu bytes \"%.*s\", want %zu \"%.*s\"", v->id, r->mode,
              r->k, r->dlen, (int)(r->dlen > 64 ? 64 : r->dlen), (const char *)r->data, v->dlen,
              (int)(v->dlen > 64 ? 64 : v->dlen), v->data ? v->data : "");
    cr_assert_eq(r->c.total, (uint64_t)r->dlen, "%s [%s k=%zu]: c.total", v->id, r->mode, r->k);
    if (r->st == WARD_OK)
        cr_assert_eq(r->consumed, v->len - v->next, "%s [%s k=%zu]: consumed %zu, want %zu",
                     v->id, r->mode, r->k, r->consumed, v->len - v->next);
    if (r->st == WARD_AGAIN)
        cr_assert_eq(r->consumed, v->len, "%s [%s k=%zu]: AGAIN having consumed %zu of %zu",
                     v->id, r->mode, r->k, r->consumed, v->len);
    if ((r->flags & KEEP) && (r->st == WARD_OK || r->st == WARD_AGAIN))
        cr_assert(r->tlen == v->tlen && (v->tlen == 0 || memcmp(r->trl, v->trl, v->tlen) == 0),
                  "%s [%s k=%zu]: trailer %zu bytes \"%.*s\", want %zu \"%.*s\"", v->id, r->mode,
                  r->k, r->tlen, (int)(r->tlen > 64 ? 64 : r->tlen), (const char *)r->trl,
                  v->tlen, (int)(v->tlen > 64 ? 64 : v->tlen), v->trl ? v->trl : "");
}

static void same_as(const crun *r, const crun *once)
{
    cr_assert_eq(r->st, once->st, "%s [%s k=%zu]: result %d, at once %d", r->v->id, r->mode, r->k,
                 (int)r->st, (int)once->st);
    cr_assert_eq(r->c.error, once->c.error, "%s [%s k=%zu]: c.error", r->v->id, r->mode, r->k);
}

static int want_split(size_t k, size_t n, size_t ref)
{
    if (n <= SPLIT_ALL_MAX || k <= 64 || k + 64 >= n)
        return 1;
    if (ref && k + 2 >= ref && k <= ref + 1)
        return 1;
    size_t step = n / 128;
    return k % step == 0;
}

static void run_vector(const cvec *v)
{
    const size_t n = v->len;
    const unsigned modes = v->modes ? v->modes : M_ALL;
    static const ward_chunked_opts zero;
    /* all-zero options: byte by byte passes NULL, which means the same */
    const ward_chunked_opts *onull =
        memcmp(&v->opts, &zero, sizeof zero) == 0 ? NULL : &v->opts;
    cr_assert(v->next == 0 || v->expect == WARD_OK, "%s: next without OK", v->id);

    crun once;
    run_init(&once, v, "at once", 0, &v->opts);
    feed(&once, v->in, n);
    finish(&once);
    check_final(&once);

    /* the byte count that decides the result, when known */
    size_t ref = v->at;
    if (v->expect == WARD_OK)
        ref = n - v->next;

    if (modes & M_BYTES) {
        crun b;
        run_init(&b, v, "bytewise", 0, onull);
        for (size_t i = 0; i < n; i++)
            feed(&b, v->in + i, 1);
        finish(&b);
        check_final(&b);
        same_as(&b, &once);
        if (once.st != WARD_AGAIN) {
            if (ref)
                cr_assert_eq(b.done_at, ref, "%s: the result came with byte %zu, want %zu", v->id,
                             b.done_at - 1, ref - 1);
            ref = b.done_at;
        }
        run_free(&b);
    }

    if (modes & M_SPLITS) {
        for (size_t k = 1; k < n; k++) {
            if (!want_split(k, n, ref))
                continue;
            crun s;
            run_init(&s, v, "split", k, &v->opts);
            feed(&s, v->in, k);
            ward_status first = s.done ? s.st : WARD_AGAIN;
            if (once.st == WARD_AGAIN)
                cr_assert_eq(first, WARD_AGAIN, "%s [split k=%zu]: first piece %d", v->id, k,
                             (int)first);
            else if (ref)
                cr_assert_eq(first, k < ref ? WARD_AGAIN : once.st,
                             "%s [split k=%zu]: first piece %d (result decided at %zu)", v->id, k,
                             (int)first, ref);
            feed(&s, v->in + k, n - k);
            finish(&s);
            check_final(&s);
            same_as(&s, &once);
            run_free(&s);
        }
    }
    run_free(&once);
}

#define RUN_ALL(vs)                                                                                \
    for (size_t i_ = 0; i_ < sizeof(vs) / sizeof(vs)[0]; i_++)                                     \
    run_vector(&(vs)[i_])

/* ---- built inputs: each byte marked framing, data or trailer ---- */

enum { K_FRAME = 0, K_DATA = 1, K_TRAILER = 2 };

typedef struct bld {
    uint8_t *b;
    uint8_t *kind;
    size_t n, cap;
    /* expectations made from it */
    uint8_t *data, *trl;
} bld;

static void put(bld *x, int kind, const void *s, size_t n)
{
    if (x->n + n > x->cap) {
        size_t cap = x->cap ? x->cap : 256;
        while (cap < x->n + n)
            cap *= 2;
        x->b = realloc(x->b, cap);
        x->kind = realloc(x->kind, cap);
        cr_assert(x->b && x->kind);
        x->cap = cap;
    }
    memcpy(x->b + x->n, s, n);
    memset(x->kind + x->n, kind, n);
    x->n += n;
}

static void puts_(bld *x, int kind, const char *s)
{
    put(x, kind, s, strlen(s));
}

static void put_rep(bld *x, int kind, int byte, size_t n)
{
    if (n == 0)
        return;
    uint8_t c = (uint8_t)byte;
    put(x, kind, &c, 1); /* grows the buffers for one byte; then the rest */
    while (x->n + n - 1 > x->cap) {
        x->cap *= 2;
        x->b = realloc(x->b, x->cap);
        x->kind = realloc(x->kind, x->cap);
        cr_assert(x->b && x->kind);
    }
    memset(x->b + x->n, c, n - 1);
    memset(x->kind + x->n, kind, n - 1);
    x->n += n - 1;
}

static void bld_free(bld *x)
{
    free(x->b);
    free(x->kind);
    free(x->data);
    free(x->trl);
    memset(x, 0, sizeof *x);
}

/* The first byte count at which framing bytes exceed data bytes by more
 * than m (RULES.md, overhead); 0 if never. */
static size_t over_at(const bld *x, uint64_t m)
{
    uint64_t fr = 0, da = 0;
    for (size_t i = 0; i < x->n; i++) {
        if (x->kind[i] == K_DATA)
            da++;
        else if (x->kind[i] == K_FRAME) {
            fr++;
            if (fr > da && fr - da > m)
                return i + 1;
        }
    }
    return 0;
}

/* Run x's first n bytes as a vector; the data and trailer expected are
 * those of the first `upto` bytes (the result's deciding byte, or n). */
static void run_built(const char *id, bld *x, size_t n, ward_chunked_opts o, ward_status expect,
                      ward_status alt, size_t at, size_t next, unsigned modes)
{
    size_t upto = at ? at : n - next;
    free(x->data);
    free(x->trl);
    x->data = malloc(upto + 1);
    x->trl = malloc(upto + 1);
    cr_assert(x->data && x->trl);
    size_t dl = 0, tl = 0;
    for (size_t i = 0; i < upto; i++) {
        if (x->kind[i] == K_DATA)
            x->data[dl++] = x->b[i];
        else if (x->kind[i] == K_TRAILER)
            x->trl[tl++] = x->b[i];
    }
    cvec v = {.id = id, .in = (const char *)x->b, .len = n, .opts = o, .expect = expect,
              .alt = alt, .data = (const char *)x->data, .dlen = dl, .next = next,
              .trl = (const char *)x->trl, .tlen = tl, .at = at, .modes = modes};
    run_vector(&v);
}

/* ======================================================================
 * Simple bodies
 * ====================================================================== */

/* 0xbE = 190 bytes */
#define D190                                                                                       \
    "0123456789012345678901234567890123456789012345678901234567890123456789"                     \
    "0123456789012345678901234567890123456789012345678901234567890123456789"                     \
    "01234567890123456789012345678901234567890123456789"

Test(chunked, simple)
{
    static const cvec vs[] = {
        {"simple", IN("5\r\nhello\r\n0\r\n\r\n"), .expect = WARD_OK, DATA("hello")},
        {"two", IN("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"), .expect = WARD_OK,
         DATA("hello world")},
        {"one-byte", IN("1\r\nx\r\n0\r\n\r\n"), .expect = WARD_OK, DATA("x")},
        {"hex-lower", IN("a\r\n0123456789\r\n0\r\n\r\n"), .expect = WARD_OK, DATA("0123456789")},
        {"hex-upper", IN("A\r\n0123456789\r\n0\r\n\r\n"), .expect = WARD_OK, DATA("0123456789")},
        {"hex-two-digits", IN("1f\r\n0123456789abcdefghijklmnopqrstu\r\n"
                              "1F\r\nABCDEFGHIJKLMNOPQRSTUVWXYZ01234\r\n0\r\n\r\n"),
         .expect = WARD_OK,
         DATA("0123456789abcdefghijklmnopqrstuABCDEFGHIJKLMNOPQRSTUVWXYZ01234")},
        {"hex-be", IN("bE\r\n" D190 "\r\n0\r\n\r\n"), .expect = WARD_OK, DATA(D190)},
        {"zeros", IN("0005\r\nhello\r\n0\r\n\r\n"), .expect = WARD_OK, DATA("hello")},
        {"zeros-last", IN("5\r\nhello\r\n000\r\n\r\n"), .expect = WARD_OK, DATA("hello")},
        {"zeros-many", IN("0000000000000000000000000000000000000005\r\nhello\r\n"
                          "0000000000000000000000000000000000000000\r\n\r\n"),
         .expect = WARD_OK, DATA("hello")},
        {"empty-body", IN("0\r\n\r\n"), .expect = WARD_OK},
        /* data that looks like framing */
        {"data-crlf", IN("5\r\n\r\n0\r\n\r\n0\r\n\r\n"), .expect = WARD_OK, DATA("\r\n0\r\n")},
        {"data-nul", IN("3\r\n\0\0\0\r\n0\r\n\r\n"), .expect = WARD_OK, DATA("\0\0\0")},
        {"data-high", IN("4\r\n\x80\xff\x7f\x01\r\n0\r\n\r\n"), .expect = WARD_OK,
         DATA("\x80\xff\x7f\x01")},
    };
    RUN_ALL(vs);
}

Test(chunked, pipelined)
{
    static const cvec vs[] = {
        {"next-request", IN("5\r\nhello\r\n0\r\n\r\n" NEXT_REQ), .expect = WARD_OK,
         DATA("hello"), .next = sizeof(NEXT_REQ) - 1},
        {"next-body", IN("0\r\n\r\n5\r\nhello\r\n0\r\n\r\n"), .expect = WARD_OK, .next = 15},
        {"next-crlf", IN("0\r\n\r\n\r\n"), .expect = WARD_OK, .next = 2},
        {"next-one", IN("0\r\n\r\nG"), .expect = WARD_OK, .next = 1},
        {"next-garbage", IN("0\r\n\r\n\x01\xff"), .expect = WARD_OK, .next = 2},
        /* a trailer is never left to be read as a request */
        {"trailer-next", IN("0\r\nX: y\r\n\r\n" NEXT_REQ), .expect = WARD_OK,
         .next = sizeof(NEXT_REQ) - 1},
        {"trailer-next-keep", IN("0\r\nX: y\r\n\r\n" NEXT_REQ), {.flags = KEEP},
         .expect = WARD_OK, .next = sizeof(NEXT_REQ) - 1, TRL("X: y\r\n\r\n")},
        {"trailer-like-request",
         IN("5\r\nhello\r\n0\r\nGET: / HTTP/1.1\r\nHost: a\r\n\r\n" NEXT_REQ),
         {.flags = KEEP}, .expect = WARD_OK, DATA("hello"), .next = sizeof(NEXT_REQ) - 1,
         TRL("GET: / HTTP/1.1\r\nHost: a\r\n\r\n")},
    };
    RUN_ALL(vs);
}

/* Valid prefixes: AGAIN, everything consumed, the data so far delivered. */
Test(chunked, incomplete)
{
    static const cvec vs[] = {
        {"empty", IN(""), .expect = WARD_AGAIN},
        {"size", IN("5"), .expect = WARD_AGAIN},
        {"size-zeros", IN("000"), .expect = WARD_AGAIN},
        {"size-cr", IN("5\r"), .expect = WARD_AGAIN},
        {"size-line", IN("5\r\n"), .expect = WARD_AGAIN},
        {"data-part", IN("5\r\nhel"), .expect = WARD_AGAIN, DATA("hel")},
        {"data-all", IN("5\r\nhello"), .expect = WARD_AGAIN, DATA("hello")},
        {"data-cr", IN("5\r\nhello\r"), .expect = WARD_AGAIN, DATA("hello")},
        {"data-crlf", IN("5\r\nhello\r\n"), .expect = WARD_AGAIN, DATA("hello")},
        {"next-size", IN("5\r\nhello\r\n1"), .expect = WARD_AGAIN, DATA("hello")},
        {"ext-name", IN("5;a"), .expect = WARD_AGAIN},
        {"ext-eq", IN("5;a="), .expect = WARD_AGAIN},
        {"ext-bws", IN("5 ;a = "), .expect = WARD_AGAIN},
        {"ext-quoted", IN("5;a=\"x"), .expect = WARD_AGAIN},
        {"ext-quoted-bs", IN("5;a=\"x\\"), .expect = WARD_AGAIN},
        {"last", IN("0"), .expect = WARD_AGAIN},
        {"last-line", IN("0\r\n"), .expect = WARD_AGAIN},
        {"final-cr", IN("0\r\n\r"), .expect = WARD_AGAIN},
        {"trailer-name", IN("0\r\nX"), .expect = WARD_AGAIN},
        {"trailer-line", IN("0\r\nX: y"), .expect = WARD_AGAIN},
        {"trailer-crlf", IN("0\r\nX: y\r\n"), .expect = WARD_AGAIN},
        {"keep-last-line", IN("0\r\n"), {.flags = KEEP}, .expect = WARD_AGAIN},
        {"keep-trailer-part", IN("0\r\nX: y"), {.flags = KEEP}, .expect = WARD_AGAIN,
         TRL("X: y")},
        {"keep-trailer-cr", IN("0\r\nX: y\r"), {.flags = KEEP}, .expect = WARD_AGAIN,
         TRL("X: y\r")},
        {"keep-trailer-line", IN("0\r\nX: y\r\n"), {.flags = KEEP}, .expect = WARD_AGAIN,
         TRL("X: y\r\n")},
        {"keep-final-cr", IN("0\r\nX: y\r\n\r"), {.flags = KEEP}, .expect = WARD_AGAIN,
         TRL("X: y\r\n\r")},
        {"keep-empty-final-cr", IN("5\r\nhello\r\n0\r\n\r"), {.flags = KEEP},
         .expect = WARD_AGAIN, DATA("hello"), TRL("\r")},
    };
    RUN_ALL(vs);
}

/* Many chunks of varied sizes: hex in both cases, some leading zeros and
 * extensions, data bytes of every value. */
Test(chunked, many_chunks)
{
    static const char hex_lo[] = "0123456789abcdef", hex_up[] = "0123456789ABCDEF";
    bld x = {0};
    for (unsigned i = 0; i < 60; i++) {
        unsigned size = (i * 37u) % 97u + 1u;
        const char *h = (i & 1) ? hex_up : hex_lo;
        char line[32];
        size_t l = 0;
        if (i % 7 == 3)
            line[l++] = '0';
        if (size >= 16)
            line[l++] = h[size >> 4];
        line[l++] = h[size & 15];
        put(&x, K_FRAME, line, l);
        if (i % 5 == 2)
            puts_(&x, K_FRAME, ";i=\"x\"");
        puts_(&x, K_FRAME, "\r\n");
        for (unsigned j = 0; j < size; j++) {
            uint8_t c = (uint8_t)(i * 31u + j * 7u);
            put(&x, K_DATA, &c, 1);
        }
        puts_(&x, K_FRAME, "\r\n");
    }
    puts_(&x, K_FRAME, "0\r\n");
    puts_(&x, K_TRAILER, "\r\n");
    cr_assert(x.n <= SPLIT_ALL_MAX, "every split point: %zu bytes", x.n);
    ward_chunked_opts o = {0};
    run_built("many", &x, x.n, o, WARD_OK, 0, 0, 0, M_ALL);
    o.flags = KEEP;
    run_built("many-keep", &x, x.n, o, WARD_OK, 0, 0, 0, M_ONCE);
    bld_free(&x);
}

/* ======================================================================
 * Chunk size
 * ====================================================================== */

Test(chunked, bad_size)
{
    static const cvec vs[] = {
        {"empty", IN("\r\n0\r\n\r\n"), .expect = WARD_E_CHUNK_SIZE, .at = 1},
        {"empty-lf", IN("\n0\r\n\r\n"), .expect = WARD_E_CHUNK_SIZE, .at = 1},
        {"empty-lf-lenient", IN("\n0\r\n\r\n"), {.flags = LF}, .expect = WARD_E_CHUNK_SIZE,
         .at = 1},
        {"minus", IN("-1\r\nx\r\n0\r\n\r\n"), .expect = WARD_E_CHUNK_SIZE, .at = 1},
        {"plus", IN("+1\r\nx\r\n0\r\n\r\n"), .expect = WARD_E_CHUNK_SIZE, .at = 1},
        {"space", IN(" 1\r\nx\r\n0\r\n\r\n"), .expect = WARD_E_CHUNK_SIZE, .at = 1},
        {"tab", IN("\t1\r\nx\r\n0\r\n\r\n"), .expect = WARD_E_CHUNK_SIZE, .at = 1},
        {"semicolon", IN(";a\r\nx\r\n0\r\n\r\n"), .expect = WARD_E_CHUNK_SIZE, .at = 1},
        {"x", IN("x1\r\nx\r\n0\r\n\r\n"), .expect = WARD_E_CHUNK_SIZE, .at = 1},
        {"g", IN("g\r\n"), .expect = WARD_E_CHUNK_SIZE, .at = 1},
        {"nul", IN("\0" "1\r\nx\r\n0\r\n\r\n"), .expect = WARD_E_CHUNK_SIZE, .at = 1},
        {"high", IN("\xff"), .expect = WARD_E_CHUNK_SIZE, .at = 1},
        {"0x1", IN("0x1\r\nx\r\n0\r\n\r\n"), .expect = WARD_E_CHUNK_SIZE, .at = 2},
        {"underscore", IN("1_0\r\n"), .expect = WARD_E_CHUNK_SIZE, .at = 2},
        {"g-after", IN("1g\r\n"), .expect = WARD_E_CHUNK_SIZE, .at = 2},
        {"dot", IN("1.5\r\n"), .expect = WARD_E_CHUNK_SIZE, .at = 2},
        {"comma", IN("1,5\r\n"), .expect = WARD_E_CHUNK_SIZE, .at = 2},
        {"minus-after", IN("1-\r\n"), .expect = WARD_E_CHUNK_SIZE, .at = 2},
        {"equals-after", IN("1=a\r\n"), .expect = WARD_E_CHUNK_SIZE, .at = 2},
        {"quote-after", IN("1\"\r\n"), .expect = WARD_E_CHUNK_SIZE, .at = 2},
        {"high-after", IN("1\x80\r\n"), .expect = WARD_E_CHUNK_SIZE, .at = 2},
        {"nul-after", IN("1\0\r\n"), .expect = WARD_E_CHUNK_SIZE, .at = 2},
        {"second-minus", IN("5\r\nhello\r\n-1\r\n"), .expect = WARD_E_CHUNK_SIZE,
         DATA("hello"), .at = 11},
        {"second-empty", IN("5\r\nhello\r\n\r\n"), .expect = WARD_E_CHUNK_SIZE, DATA("hello"),
         .at = 11},
        {"second-z", IN("5\r\nhello\r\nz\r\n"), .expect = WARD_E_CHUNK_SIZE, DATA("hello"),
         .at = 11},
        {"second-0x", IN("5\r\nhello\r\n0x0\r\n\r\n"), .expect = WARD_E_CHUNK_SIZE,
         DATA("hello"), .at = 12},
    };
    RUN_ALL(vs);
}

/* Whitespace after the digits must lead to ';'; whitespace right before
 * the line end is not in the grammar: WARD_E_CHUNK_EXT, at the CR. */
Test(chunked, space_after_size)
{
    static const cvec vs[] = {
        {"sp-cr", IN("5 \r\nhello\r\n0\r\n\r\n"), .expect = WARD_E_CHUNK_EXT, .at = 3},
        {"tab-cr", IN("5\t\r\nhello\r\n0\r\n\r\n"), .expect = WARD_E_CHUNK_EXT, .at = 3},
        {"sps-cr", IN("5  \t \r\nhello\r\n0\r\n\r\n"), .expect = WARD_E_CHUNK_EXT, .at = 6},
        {"sp-lf-lenient", IN("5 \nhello\r\n0\r\n\r\n"), {.flags = LF},
         .expect = WARD_E_CHUNK_EXT, .at = 3},
        {"last-sp", IN("0 \r\n\r\n"), .expect = WARD_E_CHUNK_EXT, .at = 3},
        {"second-sp", IN("5\r\nhello\r\n1\t\r\nx\r\n0\r\n\r\n"), .expect = WARD_E_CHUNK_EXT,
         DATA("hello"), .at = 13},
        /* RULES.md leaves open whether a byte that is neither ';' nor
         * whitespace, after whitespace after the digits, breaks "must lead
         * to ;" (WARD_E_CHUNK_EXT) or is "a byte after the digits that no
         * rule allows" (WARD_E_CHUNK_SIZE): both are accepted */
        {"sp-x", IN("5 x\r\nhello\r\n0\r\n\r\n"), .expect = WARD_E_CHUNK_EXT,
         .alt = WARD_E_CHUNK_SIZE, .at = 3},
        {"sp-digit", IN("5 5\r\nhello\r\n0\r\n\r\n"), .expect = WARD_E_CHUNK_EXT,
         .alt = WARD_E_CHUNK_SIZE, .at = 3},
    };
    RUN_ALL(vs);
}

/* ======================================================================
 * Extensions
 * ====================================================================== */

#define BODY_TAIL "\r\nhello\r\n0\r\n\r\n"

Test(chunked, extensions_valid)
{
    static const cvec vs[] = {
        {"name", IN("5;a" BODY_TAIL), .expect = WARD_OK, DATA("hello")},
        {"token", IN("5;a=b" BODY_TAIL), .expect = WARD_OK, DATA("hello")},
        {"quoted", IN("5;a=\"b c\"" BODY_TAIL), .expect = WARD_OK, DATA("hello")},
        {"quoted-empty", IN("5;a=\"\"" BODY_TAIL), .expect = WARD_OK, DATA("hello")},
        {"quoted-pair", IN("5;a=\"q\\\"p\\\\\"" BODY_TAIL), .expect = WARD_OK, DATA("hello")},
        {"quoted-pair-all", IN("5;a=\"\\\t\\ \\~\\!\\a\\\x80\\\xff\"" BODY_TAIL),
         .expect = WARD_OK, DATA("hello")},
        {"qdtext", IN("5;a=\"\t !#[]~\x80\xff;=,\"" BODY_TAIL), .expect = WARD_OK,
         DATA("hello")},
        {"bws-before-semi", IN("5 ;a" BODY_TAIL), .expect = WARD_OK, DATA("hello")},
        {"bws-after-semi", IN("5; a" BODY_TAIL), .expect = WARD_OK, DATA("hello")},
        {"bws-before-eq", IN("5;a =b" BODY_TAIL), .expect = WARD_OK, DATA("hello")},
        {"bws-after-eq", IN("5;a= b" BODY_TAIL), .expect = WARD_OK, DATA("hello")},
        {"bws-everywhere", IN("5 \t; \ta \t= \tb \t;\tc\t=\t\"d\"" BODY_TAIL),
         .expect = WARD_OK, DATA("hello")},
        {"bws-name-semi", IN("5;a ;b" BODY_TAIL), .expect = WARD_OK, DATA("hello")},
        {"bws-token-semi", IN("5;a=b\t;c" BODY_TAIL), .expect = WARD_OK, DATA("hello")},
        {"bws-quoted-semi", IN("5;a=\"b\" ;c" BODY_TAIL), .expect = WARD_OK, DATA("hello")},
        {"several", IN("5;a;b=c;d=\"e\"" BODY_TAIL), .expect = WARD_OK, DATA("hello")},
        {"tchars", IN("5;!#$%&'*+-.^_`|~09azAZ=!#$%&'*+-.^_`|~09azAZ" BODY_TAIL),
         .expect = WARD_OK, DATA("hello")},
        {"last-chunk", IN("5;a\r\nhello\r\n0;last=\"x\";y=z\r\n\r\n"), .expect = WARD_OK,
         DATA("hello")},
        {"last-only", IN("0;a=b\r\n\r\n"), .expect = WARD_OK},
        {"every-chunk", IN("1;a\r\nx\r\n2;b=c\r\nyz\r\n0;d\r\n\r\n"), .expect = WARD_OK,
         DATA("xyz")},
        {"zeros-ext", IN("00;a\r\n\r\n"), .expect = WARD_OK},
        {"lf-lenient", IN("5;a=\"b\"\nhello\n0;c\n\n"), {.flags = LF}, .expect = WARD_OK,
         DATA("hello")},
    };
    RUN_ALL(vs);
}

Test(chunked, extensions_invalid)
{
    static const cvec vs[] = {
        {"empty-name", IN("5;" BODY_TAIL), .expect = WARD_E_CHUNK_EXT, .at = 3},
        {"empty-name-eq", IN("5;=b" BODY_TAIL), .expect = WARD_E_CHUNK_EXT, .at = 3},
        {"empty-name-bws", IN("5 ; \r\nhello\r\n0\r\n\r\n"), .expect = WARD_E_CHUNK_EXT,
         .at = 5},
        {"eq-no-value", IN("5;a=" BODY_TAIL), .expect = WARD_E_CHUNK_EXT, .at = 5},
        {"eq-bws-no-value", IN("5;a= " BODY_TAIL), .expect = WARD_E_CHUNK_EXT, .at = 6},
        {"eq-semi", IN("5;a=;b" BODY_TAIL), .expect = WARD_E_CHUNK_EXT, .at = 5},
        {"space-in-name", IN("5;a b" BODY_TAIL), .expect = WARD_E_CHUNK_EXT, .at = 5},
        {"space-in-value", IN("5;a=b c" BODY_TAIL), .expect = WARD_E_CHUNK_EXT, .at = 7},
        {"tab-in-value", IN("5;a=b\tc" BODY_TAIL), .expect = WARD_E_CHUNK_EXT, .at = 7},
        {"name-at", IN("5;a@" BODY_TAIL), .expect = WARD_E_CHUNK_EXT, .at = 4},
        {"name-ctl", IN("5;a\x01" BODY_TAIL), .expect = WARD_E_CHUNK_EXT, .at = 4},
        {"name-nul", IN("5;a\0" BODY_TAIL), .expect = WARD_E_CHUNK_EXT, .at = 4},
        {"name-high", IN("5;\x80" BODY_TAIL), .expect = WARD_E_CHUNK_EXT, .at = 3},
        {"name-quoted", IN("5;\"a\"" BODY_TAIL), .expect = WARD_E_CHUNK_EXT, .at = 3},
        {"value-at", IN("5;a=b@" BODY_TAIL), .expect = WARD_E_CHUNK_EXT, .at = 6},
        {"value-slash", IN("5;a=b/c" BODY_TAIL), .expect = WARD_E_CHUNK_EXT, .at = 6},
        {"value-high", IN("5;a=\x80" BODY_TAIL), .expect = WARD_E_CHUNK_EXT, .at = 5},
        {"value-eq", IN("5;a=b=c" BODY_TAIL), .expect = WARD_E_CHUNK_EXT, .at = 6},
        {"eq-eq", IN("5;a==b" BODY_TAIL), .expect = WARD_E_CHUNK_EXT, .at = 5},
        {"semi-semi", IN("5;;a" BODY_TAIL), .expect = WARD_E_CHUNK_EXT, .at = 3},
        {"semi-end", IN("5;a;" BODY_TAIL), .expect = WARD_E_CHUNK_EXT, .at = 5},
        {"quoted-cr", IN("5;a=\"b" BODY_TAIL), .expect = WARD_E_CHUNK_EXT, .at = 7},
        {"quoted-del", IN("5;a=\"b\x7f\"" BODY_TAIL), .expect = WARD_E_CHUNK_EXT, .at = 7},
        {"quoted-ctl", IN("5;a=\"b\x01\"" BODY_TAIL), .expect = WARD_E_CHUNK_EXT, .at = 7},
        {"quoted-nul", IN("5;a=\"b\0\"" BODY_TAIL), .expect = WARD_E_CHUNK_EXT, .at = 7},
        /* a LF inside a quoted-string: a bad qdtext byte or a bare LF? both accepted */
        {"quoted-lf", IN("5;a=\"b\n\"" BODY_TAIL), .expect = WARD_E_CHUNK_EXT,
         .alt = WARD_E_LINE_END, .at = 7},
        {"quoted-pair-ctl", IN("5;a=\"\\\x01\"" BODY_TAIL), .expect = WARD_E_CHUNK_EXT,
         .at = 7},
        {"quoted-pair-del", IN("5;a=\"\\\x7f\"" BODY_TAIL), .expect = WARD_E_CHUNK_EXT,
         .at = 7},
        {"quoted-pair-cr", IN("5;a=\"\\" BODY_TAIL), .expect = WARD_E_CHUNK_EXT, .at = 7},
        {"quoted-pair-nul", IN("5;a=\"\\\0\"" BODY_TAIL), .expect = WARD_E_CHUNK_EXT, .at = 7},
        {"after-quote", IN("5;a=\"b\"c" BODY_TAIL), .expect = WARD_E_CHUNK_EXT, .at = 8},
        {"after-quote-quote", IN("5;a=\"b\"\"" BODY_TAIL), .expect = WARD_E_CHUNK_EXT, .at = 8},
        {"after-quote-eq", IN("5;a=\"b\"=" BODY_TAIL), .expect = WARD_E_CHUNK_EXT, .at = 8},
        /* whitespace right before the CR is not in the grammar */
        {"ws-end-name", IN("5;a " BODY_TAIL), .expect = WARD_E_CHUNK_EXT, .at = 5},
        {"ws-end-token", IN("5;a=b\t" BODY_TAIL), .expect = WARD_E_CHUNK_EXT, .at = 7},
        {"ws-end-quoted", IN("5;a=\"b\" " BODY_TAIL), .expect = WARD_E_CHUNK_EXT, .at = 9},
        {"ws-end-last", IN("0;a \r\n\r\n"), .expect = WARD_E_CHUNK_EXT, .at = 5},
        {"ws-end-lenient", IN("5;a \nhello\n0\n\n"), {.flags = LF},
         .expect = WARD_E_CHUNK_EXT, .at = 5},
        {"last-chunk", IN("0;a b\r\n\r\n"), .expect = WARD_E_CHUNK_EXT, .at = 5},
        {"second-chunk", IN("5\r\nhello\r\n1;\r\nx\r\n0\r\n\r\n"), .expect = WARD_E_CHUNK_EXT,
         DATA("hello"), .at = 13},
        {"quoted-lf-lenient", IN("5;a=\"b\n\"" BODY_TAIL), {.flags = LF},
         .expect = WARD_E_CHUNK_EXT, .at = 7},
    };
    RUN_ALL(vs);
}

/* ======================================================================
 * Line ends
 * ====================================================================== */

/* "5\r\nhello\r\n3;e\r\nabc\r\n0\r\nX: y\r\n\r\n" with line end number j
 * (0: size line, 1: after data, 2: extension line, 3: after data, 4: last
 * chunk, 5: trailer field line, 6: final) replaced: how 0 keeps it, 1 is
 * a bare LF, 2 a bare CR followed by 'Z'. Returns the deciding byte
 * count for how 1 and 2. */
static void eol(bld *x, int kind, int *e, int j, int how, size_t *at)
{
    if ((*e)++ != j || how == 0) {
        put(x, kind, "\r\n", 2);
    } else if (how == 1) {
        put(x, kind, "\n", 1);
        *at = x->n;
    } else {
        put(x, kind, "\rZ", 2);
        *at = x->n;
    }
}

static size_t line_end_input(bld *x, int j, int how)
{
    int e = 0;
    size_t at = 0;
    puts_(x, K_FRAME, "5");
    eol(x, K_FRAME, &e, j, how, &at);
    puts_(x, K_DATA, "hello");
    eol(x, K_FRAME, &e, j, how, &at);
    puts_(x, K_FRAME, "3;e");
    eol(x, K_FRAME, &e, j, how, &at);
    puts_(x, K_DATA, "abc");
    eol(x, K_FRAME, &e, j, how, &at);
    puts_(x, K_FRAME, "0");
    eol(x, K_FRAME, &e, j, how, &at);
    puts_(x, K_TRAILER, "X: y");
    eol(x, K_TRAILER, &e, j, how, &at);
    eol(x, K_TRAILER, &e, j, how, &at);
    return at;
}

Test(chunked, line_ends)
{
    char id[64];
    for (int j = 0; j < 7; j++) {
        for (int keep = 0; keep < 2; keep++) {
            ward_chunked_opts strict = {.flags = keep ? KEEP : 0u};
            ward_chunked_opts lenient = {.flags = LF | (keep ? KEEP : 0u)};
            bld x = {0};
            size_t at = line_end_input(&x, j, 1);
            snprintf(id, sizeof id, "bare-lf-%d-strict-keep%d", j, keep);
            run_built(id, &x, x.n, strict, WARD_E_LINE_END, 0, at, 0, M_ALL);
            snprintf(id, sizeof id, "bare-lf-%d-lenient-keep%d", j, keep);
            run_built(id, &x, x.n, lenient, WARD_OK, 0, 0, 0, M_ALL);
            bld_free(&x);

            /* a CR not followed by LF is an error with or without the flag;
             * in a trailer value, whether the CR is a bad value byte or a
             * bad line end is open: both errors are accepted there */
            at = line_end_input(&x, j, 2);
            int value = j == 5;
            snprintf(id, sizeof id, "bare-cr-%d-strict-keep%d", j, keep);
            run_built(id, &x, x.n, strict, WARD_E_LINE_END, value ? WARD_E_FIELD_VALUE : 0,
                      value ? 0 : at, 0, M_ALL);
            snprintf(id, sizeof id, "bare-cr-%d-lenient-keep%d", j, keep);
            run_built(id, &x, x.n, lenient, WARD_E_LINE_END, value ? WARD_E_FIELD_VALUE : 0,
                      value ? 0 : at, 0, M_ALL);
            bld_free(&x);
        }
    }
    /* the unchanged input, and every line end a bare LF */
    static const cvec vs[] = {
        {"crlf", IN("5\r\nhello\r\n3;e\r\nabc\r\n0\r\nX: y\r\n\r\n"), {.flags = KEEP},
         .expect = WARD_OK, DATA("helloabc"), TRL("X: y\r\n\r\n")},
        {"crlf-lenient", IN("5\r\nhello\r\n3;e\r\nabc\r\n0\r\nX: y\r\n\r\n"),
         {.flags = KEEP | LF}, .expect = WARD_OK, DATA("helloabc"), TRL("X: y\r\n\r\n")},
        {"all-lf", IN("5\nhello\n3;e\nabc\n0\nX: y\n\n"), {.flags = KEEP | LF},
         .expect = WARD_OK, DATA("helloabc"), TRL("X: y\n\n")},
        {"all-lf-next", IN("5\nhello\n0\n\nGET"), {.flags = LF}, .expect = WARD_OK,
         DATA("hello"), .next = 3},
        {"all-lf-strict", IN("5\nhello\n0\n\n"), .expect = WARD_E_LINE_END, .at = 2},
        {"cr-cr", IN("5\r\r\nhello\r\n0\r\n\r\n"), {.flags = LF}, .expect = WARD_E_LINE_END,
         .at = 3},
        {"data-cr-cr", IN("5\r\nhello\r\r\n0\r\n\r\n"), {.flags = LF},
         .expect = WARD_E_LINE_END, DATA("hello"), .at = 10},
    };
    RUN_ALL(vs);
}

/* ======================================================================
 * Chunk data must be followed by CRLF
 * ====================================================================== */

Test(chunked, data_end)
{
    static const cvec vs[] = {
        {"letter", IN("5\r\nhelloX\r\n0\r\n\r\n"), .expect = WARD_E_CHUNK_DATA, DATA("hello"),
         .at = 9},
        {"bang", IN("5\r\nhello!"), .expect = WARD_E_CHUNK_DATA, DATA("hello"), .at = 9},
        {"no-crlf", IN("5\r\nhello0\r\n\r\n"), .expect = WARD_E_CHUNK_DATA, DATA("hello"),
         .at = 9},
        {"too-long", IN("1\r\nxx\r\n0\r\n\r\n"), .expect = WARD_E_CHUNK_DATA, DATA("x"),
         .at = 5},
        {"space", IN("1\r\nx \r\n0\r\n\r\n"), .expect = WARD_E_CHUNK_DATA, DATA("x"), .at = 5},
        {"nul", IN("1\r\nx\0\r\n0\r\n\r\n"), .expect = WARD_E_CHUNK_DATA, DATA("x"), .at = 5},
        {"lenient-letter", IN("5\r\nhelloX"), {.flags = LF}, .expect = WARD_E_CHUNK_DATA,
         DATA("hello"), .at = 9},
        {"cr-letter", IN("5\r\nhello\rX"), .expect = WARD_E_LINE_END, DATA("hello"), .at = 10},
        {"cr-letter-lenient", IN("5\r\nhello\rX"), {.flags = LF}, .expect = WARD_E_LINE_END,
         DATA("hello"), .at = 10},
        {"lf-strict", IN("5\r\nhello\n0\r\n\r\n"), .expect = WARD_E_LINE_END, DATA("hello"),
         .at = 9},
        {"lf-lenient", IN("5\r\nhello\n0\r\n\r\n"), {.flags = LF}, .expect = WARD_OK,
         DATA("hello")},
        {"second", IN("2\r\nab\r\n3\r\ncdef\r\n"), .expect = WARD_E_CHUNK_DATA, DATA("abcde"),
         .at = 14},
    };
    RUN_ALL(vs);
}

/* ======================================================================
 * Trailers
 * ====================================================================== */

Test(chunked, trailers)
{
    static const cvec vs[] = {
        {"one", IN("0\r\nX: y\r\n\r\n"), .expect = WARD_OK},
        {"one-keep", IN("0\r\nX: y\r\n\r\n"), {.flags = KEEP}, .expect = WARD_OK,
         TRL("X: y\r\n\r\n")},
        {"none-keep", IN("0\r\n\r\n"), {.flags = KEEP}, .expect = WARD_OK, TRL("\r\n")},
        {"after-data-keep", IN("5\r\nhello\r\n0\r\nX: y\r\n\r\n"), {.flags = KEEP},
         .expect = WARD_OK, DATA("hello"), TRL("X: y\r\n\r\n")},
        {"several",
         IN("5\r\nhello\r\n0\r\nA: 1\r\nB-c: two words\r\nD:\r\nE:\tv\x80\xff \r\nF:g\r\n\r\n"),
         .expect = WARD_OK, DATA("hello")},
        {"several-keep",
         IN("5\r\nhello\r\n0\r\nA: 1\r\nB-c: two words\r\nD:\r\nE:\tv\x80\xff \r\nF:g\r\n\r\n"),
         {.flags = KEEP}, .expect = WARD_OK, DATA("hello"),
         TRL("A: 1\r\nB-c: two words\r\nD:\r\nE:\tv\x80\xff \r\nF:g\r\n\r\n")},
        {"tchar-name-keep", IN("0\r\n!#$%&'*+-.^_`|~09azAZ: \"q\" (c) <>\r\n\r\n"),
         {.flags = KEEP}, .expect = WARD_OK,
         TRL("!#$%&'*+-.^_`|~09azAZ: \"q\" (c) <>\r\n\r\n")},
        {"ext-and-trailer-keep", IN("0;a=b\r\nX: y\r\n\r\n"), {.flags = KEEP},
         .expect = WARD_OK, TRL("X: y\r\n\r\n")},
        {"lf-keep", IN("0\nX: y\n\n"), {.flags = KEEP | LF}, .expect = WARD_OK, TRL("X: y\n\n")},
        {"mixed-keep", IN("0\r\nX: y\n\r\n"), {.flags = KEEP | LF}, .expect = WARD_OK,
         TRL("X: y\n\r\n")},
    };
    RUN_ALL(vs);
}

Test(chunked, trailers_invalid)
{
    static const cvec vs[] = {
        {"space-before-colon", IN("0\r\nX : y\r\n\r\n"), .expect = WARD_E_FIELD_NAME, .at = 5},
        {"tab-before-colon", IN("0\r\nX\t: y\r\n\r\n"), .expect = WARD_E_FIELD_NAME, .at = 5},
        {"empty-name", IN("0\r\n: y\r\n\r\n"), .expect = WARD_E_FIELD_NAME, .at = 4},
        {"paren", IN("0\r\nX(: y\r\n\r\n"), .expect = WARD_E_FIELD_NAME, .at = 5},
        {"no-colon", IN("0\r\nX\r\n\r\n"), .expect = WARD_E_FIELD_NAME, .at = 5},
        {"high-name", IN("0\r\nX\x80: y\r\n\r\n"), .expect = WARD_E_FIELD_NAME, .at = 5},
        {"nul-name", IN("0\r\nX\0: y\r\n\r\n"), .expect = WARD_E_FIELD_NAME, .at = 5},
        {"ctl-value", IN("0\r\nX: \x01\r\n\r\n"), .expect = WARD_E_FIELD_VALUE, .at = 7},
        {"del-value", IN("0\r\nX: a\x7f\r\n\r\n"), .expect = WARD_E_FIELD_VALUE, .at = 8},
        {"nul-value", IN("0\r\nX: a\0b\r\n\r\n"), .expect = WARD_E_FIELD_VALUE, .at = 8},
        {"esc-value", IN("0\r\nX: a\x1b\r\n\r\n"), .expect = WARD_E_FIELD_VALUE, .at = 8},
        {"fold-first", IN("0\r\n X: y\r\n\r\n"), .expect = WARD_E_OBS_FOLD, .at = 4},
        {"fold-first-tab", IN("0\r\n\tX: y\r\n\r\n"), .expect = WARD_E_OBS_FOLD, .at = 4},
        {"fold-second", IN("0\r\nX: y\r\n z\r\n\r\n"), .expect = WARD_E_OBS_FOLD, .at = 10},
        {"fold-lenient", IN("0\r\nX: y\r\n\tz\r\n\r\n"), {.flags = LF},
         .expect = WARD_E_OBS_FOLD, .at = 10},
        {"final-cr", IN("0\r\n\rZ"), .expect = WARD_E_LINE_END, .at = 5},
        {"lf-strict", IN("0\r\nX: y\n\r\n"), .expect = WARD_E_LINE_END, .at = 8},
        {"final-lf-strict", IN("0\r\nX: y\r\n\n"), .expect = WARD_E_LINE_END, .at = 10},
        {"after-data", IN("5\r\nhello\r\n0\r\nX y\r\n\r\n"), .expect = WARD_E_FIELD_NAME,
         DATA("hello"), .at = 15},
    };
    /* the grammar is checked whether or not the trailer is kept */
    for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++) {
        cvec v = vs[i];
        run_vector(&v);
        v.opts.flags |= KEEP;
        run_vector(&v);
    }
}

Test(chunked, trailer_limits)
{
    ward_chunked_opts o = {0};
    bld x = {0};

    /* max_trailer: the field lines and the final CRLF */
    puts_(&x, K_FRAME, "0\r\n");
    puts_(&x, K_TRAILER, "X: y\r\n\r\n");
    o.max_trailer = 8;
    run_built("trailer-8-at", &x, x.n, o, WARD_OK, 0, 0, 0, M_ALL);
    o.flags = KEEP;
    run_built("trailer-8-at-keep", &x, x.n, o, WARD_OK, 0, 0, 0, M_ALL);
    o.flags = 0;
    o.max_trailer = 7;
    run_built("trailer-7-over", &x, x.n, o, WARD_E_TRAILER_TOO_LARGE, 0, 3 + 8, 0, M_ALL);
    bld_free(&x);

    puts_(&x, K_FRAME, "0\r\n");
    puts_(&x, K_TRAILER, "\r\n");
    o.max_trailer = 2;
    run_built("trailer-empty-2", &x, x.n, o, WARD_OK, 0, 0, 0, M_ALL);
    o.max_trailer = 1;
    run_built("trailer-empty-1", &x, x.n, o, WARD_E_TRAILER_TOO_LARGE, 0, 5, 0, M_ALL);
    bld_free(&x);

    /* the default, 8192 bytes: exactly, then one more */
    o = (ward_chunked_opts){0};
    for (int over = 0; over < 2; over++) {
        puts_(&x, K_FRAME, "0\r\n");
        puts_(&x, K_TRAILER, "X: ");
        put_rep(&x, K_TRAILER, 'v', WARD_DEFAULT_MAX_TRAILER - 3 - 2 - 2 + (size_t)over);
        puts_(&x, K_TRAILER, "\r\n\r\n");
        cr_assert_eq(x.n, 3 + WARD_DEFAULT_MAX_TRAILER + (size_t)over);
        if (over)
            run_built("trailer-default-over", &x, x.n, o, WARD_E_TRAILER_TOO_LARGE, 0, x.n, 0,
                      M_ALL);
        else
            run_built("trailer-default-at", &x, x.n, o, WARD_OK, 0, 0, 0, M_ALL);
        bld_free(&x);
    }

    /* max_trailer_fields: the line beyond it fails at its first byte */
    o = (ward_chunked_opts){.max_trailer_fields = 2};
    puts_(&x, K_FRAME, "0\r\n");
    puts_(&x, K_TRAILER, "A: 1\r\nB: 2\r\n\r\n");
    run_built("fields-2-at", &x, x.n, o, WARD_OK, 0, 0, 0, M_ALL);
    bld_free(&x);
    puts_(&x, K_FRAME, "0\r\n");
    puts_(&x, K_TRAILER, "A: 1\r\nB: 2\r\nC: 3\r\n\r\n");
    run_built("fields-2-over", &x, x.n, o, WARD_E_TOO_MANY_FIELDS, 0, 3 + 12 + 1, 0, M_ALL);
    /* only the line that starts counts: the prefix before it is fine */
    run_built("fields-2-prefix", &x, 3 + 12, o, WARD_AGAIN, 0, 0, 0, M_ALL);
    bld_free(&x);

    /* the default, 100 fields */
    o = (ward_chunked_opts){0};
    for (int over = 0; over < 2; over++) {
        puts_(&x, K_FRAME, "0\r\n");
        for (int i = 0; i < 100 + over; i++)
            puts_(&x, K_TRAILER, "A: 1\r\n");
        puts_(&x, K_TRAILER, "\r\n");
        if (over)
            run_built("fields-default-over", &x, x.n, o, WARD_E_TOO_MANY_FIELDS, 0,
                      3 + 100 * 6 + 1, 0, M_ALL);
        else
            run_built("fields-default-at", &x, x.n, o, WARD_OK, 0, 0, 0, M_ALL);
        bld_free(&x);
    }
}

/* ======================================================================
 * Size limit (max_body)
 * ====================================================================== */

Test(chunked, max_body)
{
    static const cvec vs[] = {
        /* the default, 1 MiB: reported on the size digits alone */
        {"default-line", IN("100001\r\n"), .expect = WARD_E_BODY_TOO_LARGE, .at = 6},
        {"default-digits", IN("100001"), .expect = WARD_E_BODY_TOO_LARGE, .at = 6},
        {"default-at-line", IN("100000\r\n"), .expect = WARD_AGAIN},
        {"default-7-digits", IN("1000000"), .expect = WARD_E_BODY_TOO_LARGE, .at = 7},
        {"default-zeros", IN("00000000000000000000100000\r\n"), .expect = WARD_AGAIN},
        {"default-total", IN("5\r\nhello\r\nFFFFB\r\n"), .expect = WARD_AGAIN, DATA("hello")},
        {"default-total-over", IN("5\r\nhello\r\nFFFFC\r\n"), .expect = WARD_E_BODY_TOO_LARGE,
         DATA("hello"), .at = 15},
        {"default-explicit-0", IN("100001"), {.max_body = 0}, .expect = WARD_E_BODY_TOO_LARGE,
         .at = 6},
        {"explicit-default", IN("100001"), {.max_body = MIB}, .expect = WARD_E_BODY_TOO_LARGE,
         .at = 6},
        {"explicit-2mib", IN("100001\r\n"), {.max_body = 2 * MIB}, .expect = WARD_AGAIN},
        {"explicit-2mib-over", IN("200001"), {.max_body = 2 * MIB},
         .expect = WARD_E_BODY_TOO_LARGE, .at = 6},
        /* an explicit small limit */
        {"16-at", IN("10\r\n0123456789abcdef\r\n0\r\n\r\n"), {.max_body = 16},
         .expect = WARD_OK, DATA("0123456789abcdef")},
        {"16-over", IN("11\r\n0123456789abcdef0\r\n0\r\n\r\n"), {.max_body = 16},
         .expect = WARD_E_BODY_TOO_LARGE, .at = 2},
        {"16-zeros", IN("0000000000000000000000000000010\r\n"), {.max_body = 16},
         .expect = WARD_AGAIN},
        {"16-two-at", IN("8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n"), {.max_body = 16},
         .expect = WARD_OK, DATA("1234567812345678")},
        {"16-two-over", IN("8\r\n12345678\r\n9\r\n123456789\r\n0\r\n\r\n"), {.max_body = 16},
         .expect = WARD_E_BODY_TOO_LARGE, DATA("12345678"), .at = 14},
        {"16-three-over", IN("8\r\n12345678\r\n8\r\n12345678\r\n1\r\nx\r\n0\r\n\r\n"),
         {.max_body = 16}, .expect = WARD_E_BODY_TOO_LARGE, DATA("1234567812345678"), .at = 27},
        {"1-over", IN("2\r\n"), {.max_body = 1}, .expect = WARD_E_BODY_TOO_LARGE, .at = 1},
        /* WARD_BODY_CAP bounds any limit; sizes past it never wrap around */
        {"cap-at", IN("DE0B6B3A7640000\r\nab"), {.max_body = UINT64_MAX},
         .expect = WARD_AGAIN, DATA("ab")},
        {"cap-over", IN("DE0B6B3A7640001\r\nab"), {.max_body = UINT64_MAX},
         .expect = WARD_E_BODY_TOO_LARGE, .at = 15},
        {"cap-over-explicit", IN("DE0B6B3A7640001\r\nab"), {.max_body = CAP},
         .expect = WARD_E_BODY_TOO_LARGE, .at = 15},
        {"17-digits", IN("10000000000000000\r\n\r\n"), {.max_body = UINT64_MAX},
         .expect = WARD_E_BODY_TOO_LARGE, .at = 16},
        {"17-digits-default", IN("10000000000000000\r\n\r\n"), .expect = WARD_E_BODY_TOO_LARGE,
         .at = 7},
        {"2^64+5", IN("10000000000000005\r\nhello\r\n0\r\n\r\n"), {.max_body = UINT64_MAX},
         .expect = WARD_E_BODY_TOO_LARGE, .at = 16},
        {"32-f", IN("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF\r\n"), {.max_body = UINT64_MAX},
         .expect = WARD_E_BODY_TOO_LARGE, .at = 15},
        {"32-digits-ending-0", IN("100000000000000000000000000000000\r\n\r\n"),
         {.max_body = UINT64_MAX}, .expect = WARD_E_BODY_TOO_LARGE, .at = 16},
    };
    RUN_ALL(vs);
}

/* A whole body of exactly the default limit, in one chunk and in two. */
Test(chunked, max_body_full)
{
    ward_chunked_opts o = {0};
    bld x = {0};
    puts_(&x, K_FRAME, "100000\r\n");
    put_rep(&x, K_DATA, 'd', MIB);
    puts_(&x, K_FRAME, "\r\n0\r\n");
    puts_(&x, K_TRAILER, "\r\n");
    run_built("one-mib", &x, x.n, o, WARD_OK, 0, 0, 0, M_ONCE | M_SPLITS);
    bld_free(&x);

    puts_(&x, K_FRAME, "80000\r\n");
    put_rep(&x, K_DATA, 'd', MIB / 2);
    puts_(&x, K_FRAME, "\r\n80001\r\n");
    run_built("half-then-over", &x, x.n, o, WARD_E_BODY_TOO_LARGE, 0, 7 + MIB / 2 + 2 + 5, 0,
              M_ONCE | M_SPLITS);
    bld_free(&x);
}

/* ======================================================================
 * Extension limit (max_ext)
 * ====================================================================== */

Test(chunked, max_ext)
{
    static const cvec vs[] = {
        {"3-at", IN("5;ab\r\nhello\r\n0\r\n\r\n"), {.max_ext = 3}, .expect = WARD_OK,
         DATA("hello")},
        {"2-over", IN("5;ab\r\nhello\r\n0\r\n\r\n"), {.max_ext = 2},
         .expect = WARD_E_CHUNK_EXT_TOO_LONG, .at = 4},
        /* counted over the whole body, the last chunk's included */
        {"across-at", IN("1;ab\r\nX\r\n1;cd\r\nY\r\n0;e\r\n\r\n"), {.max_ext = 8},
         .expect = WARD_OK, DATA("XY")},
        {"across-last", IN("1;ab\r\nX\r\n1;cd\r\nY\r\n0;e\r\n\r\n"), {.max_ext = 7},
         .expect = WARD_E_CHUNK_EXT_TOO_LONG, DATA("XY"), .at = 21},
        {"across-second", IN("1;ab\r\nX\r\n1;cd\r\nY\r\n0;e\r\n\r\n"), {.max_ext = 5},
         .expect = WARD_E_CHUNK_EXT_TOO_LONG, DATA("X"), .at = 13},
        /* from the first byte after the digits to the CR: BWS counts */
        {"bws-before-at", IN("1 ;a\r\nx\r\n0\r\n\r\n"), {.max_ext = 3}, .expect = WARD_OK,
         DATA("x")},
        {"bws-before-over", IN("1 ;a\r\nx\r\n0\r\n\r\n"), {.max_ext = 2},
         .expect = WARD_E_CHUNK_EXT_TOO_LONG, .at = 4},
        {"bws-mid-at", IN("1;a =b\r\nx\r\n0\r\n\r\n"), {.max_ext = 5}, .expect = WARD_OK,
         DATA("x")},
        {"bws-mid-over", IN("1;a =b\r\nx\r\n0\r\n\r\n"), {.max_ext = 4},
         .expect = WARD_E_CHUNK_EXT_TOO_LONG, .at = 6},
        {"bws-mid-over-ws", IN("1;a =b\r\nx\r\n0\r\n\r\n"), {.max_ext = 2},
         .expect = WARD_E_CHUNK_EXT_TOO_LONG, .at = 4},
        {"quoted-at", IN("1;a=\"b c\"\r\nx\r\n0\r\n\r\n"), {.max_ext = 8}, .expect = WARD_OK,
         DATA("x")},
        {"quoted-over", IN("1;a=\"b c\"\r\nx\r\n0\r\n\r\n"), {.max_ext = 7},
         .expect = WARD_E_CHUNK_EXT_TOO_LONG, .at = 9},
        /* one byte, grammar first: a bad byte past the limit is a grammar error */
        {"grammar-first", IN("1;a b\r\nx\r\n0\r\n\r\n"), {.max_ext = 3},
         .expect = WARD_E_CHUNK_EXT, .at = 5},
        {"limit-before-grammar", IN("1;a b\r\nx\r\n0\r\n\r\n"), {.max_ext = 2},
         .expect = WARD_E_CHUNK_EXT_TOO_LONG, .at = 4},
    };
    RUN_ALL(vs);

    /* the default, 4096 bytes */
    ward_chunked_opts o = {0};
    bld x = {0};
    for (int over = 0; over < 2; over++) {
        puts_(&x, K_FRAME, "1;");
        put_rep(&x, K_FRAME, 'a', WARD_DEFAULT_MAX_EXT - 1 + (size_t)over);
        puts_(&x, K_FRAME, "\r\n");
        puts_(&x, K_DATA, "x");
        puts_(&x, K_FRAME, "\r\n0\r\n");
        puts_(&x, K_TRAILER, "\r\n");
        cr_assert_eq(over_at(&x, WARD_DEFAULT_MAX_OVERHEAD), 0);
        if (over)
            run_built("default-over", &x, x.n, o, WARD_E_CHUNK_EXT_TOO_LONG, 0,
                      1 + WARD_DEFAULT_MAX_EXT + 1, 0, M_ALL);
        else
            run_built("default-at", &x, x.n, o, WARD_OK, 0, 0, 0, M_ALL);
        bld_free(&x);
    }
}

/* ======================================================================
 * Overhead limit (max_overhead)
 * ====================================================================== */

Test(chunked, max_overhead_small)
{
    static const cvec vs[] = {
        /* the last-chunk line is framing; the final CRLF is the trailer section */
        {"empty-3", IN("0\r\n\r\n"), {.max_overhead = 3}, .expect = WARD_OK},
        {"empty-2", IN("0\r\n\r\n"), {.max_overhead = 2}, .expect = WARD_E_CHUNK_OVERHEAD,
         .at = 3},
        {"trailer-3", IN("0\r\nX: y\r\nLong-Field: 0123456789\r\n\r\n"), {.max_overhead = 3},
         .expect = WARD_OK},
        {"hello-3", IN("5\r\nhello\r\n0\r\n\r\n"), {.max_overhead = 3}, .expect = WARD_OK,
         DATA("hello")},
        {"hello-2", IN("5\r\nhello\r\n0\r\n\r\n"), {.max_overhead = 2},
         .expect = WARD_E_CHUNK_OVERHEAD, .at = 3},
        /* data decoded so far pays for later framing */
        {"hello-twice-3", IN("5\r\nhello\r\n5\r\nhello\r\n0\r\n\r\n"), {.max_overhead = 3},
         .expect = WARD_OK, DATA("hellohello")},
        /* one byte, in order: grammar, size limit, extension limit, overhead */
        {"grammar-first", IN("1g\r\n"), {.max_overhead = 1}, .expect = WARD_E_CHUNK_SIZE,
         .at = 2},
        {"size-first", IN("10\r\n"), {.max_overhead = 1, .max_body = 15},
         .expect = WARD_E_BODY_TOO_LARGE, .at = 2},
        {"ext-first", IN("1;abc\r\nx\r\n0\r\n\r\n"), {.max_ext = 3, .max_overhead = 4},
         .expect = WARD_E_CHUNK_EXT_TOO_LONG, .at = 5},
        {"ext-then-overhead", IN("1;abc\r\nx\r\n0\r\n\r\n"), {.max_ext = 4, .max_overhead = 4},
         .expect = WARD_E_CHUNK_OVERHEAD, .at = 5},
    };
    RUN_ALL(vs);
}

/* 1-byte chunks: 5 framing bytes per data byte. With the default limit
 * the framing leads by 4*i + 4 after chunk i (0-based), so chunk 4095 ends
 * at exactly 16384 and the size digit of chunk 4096 (byte 6*4096) is the
 * first byte over. */
Test(chunked, max_overhead_attack_default)
{
    bld x = {0};
    for (int i = 0; i < 5000; i++) {
        puts_(&x, K_FRAME, "1\r\n");
        puts_(&x, K_DATA, "A");
        puts_(&x, K_FRAME, "\r\n");
    }
    puts_(&x, K_FRAME, "0\r\n");
    puts_(&x, K_TRAILER, "\r\n");
    size_t at = over_at(&x, WARD_DEFAULT_MAX_OVERHEAD);
    cr_assert_eq(at, 6 * 4096 + 1, "model: %zu", at);
    ward_chunked_opts o = {0};
    run_built("attack-default", &x, x.n, o, WARD_E_CHUNK_OVERHEAD, 0, at, 0, M_ALL);
    /* the same cut just before: all fine so far */
    run_built("attack-default-before", &x, at - 1, o, WARD_AGAIN, 0, 0, 0, M_ONCE | M_BYTES);
    bld_free(&x);
}

/* Other shapes of attack with explicit limits, the deciding byte from the
 * rule applied to the input's bytes. */
Test(chunked, max_overhead_attack_explicit)
{
    ward_chunked_opts o = {0};
    bld x = {0};
    for (int i = 0; i < 200; i++) {
        puts_(&x, K_FRAME, "1;x\r\n");
        puts_(&x, K_DATA, "A");
        puts_(&x, K_FRAME, "\r\n");
    }
    puts_(&x, K_FRAME, "0\r\n");
    puts_(&x, K_TRAILER, "\r\n");
    o.max_overhead = 100;
    size_t at = over_at(&x, 100);
    cr_assert(at > 0);
    run_built("attack-ext-100", &x, x.n, o, WARD_E_CHUNK_OVERHEAD, 0, at, 0, M_ALL);
    bld_free(&x);

    /* leading zeros */
    for (int i = 0; i < 100; i++) {
        puts_(&x, K_FRAME, "000000000000000000000000000000000000001\r\n");
        puts_(&x, K_DATA, "A");
        puts_(&x, K_FRAME, "\r\n");
    }
    puts_(&x, K_FRAME, "0\r\n");
    puts_(&x, K_TRAILER, "\r\n");
    o.max_overhead = 500;
    at = over_at(&x, 500);
    cr_assert(at > 0);
    run_built("attack-zeros-500", &x, x.n, o, WARD_E_CHUNK_OVERHEAD, 0, at, 0, M_ALL);
    /* a larger limit lets the whole body through: 42 per chunk, 3 more at the end */
    o.max_overhead = 100 * 42 + 3;
    cr_assert_eq(over_at(&x, 100 * 42 + 3), 0);
    run_built("zeros-4203", &x, x.n, o, WARD_OK, 0, 0, 0, M_ALL);
    o.max_overhead = 100 * 42 + 2;
    run_built("zeros-4202", &x, x.n, o, WARD_E_CHUNK_OVERHEAD, 0, x.n - 2, 0, M_ALL);
    bld_free(&x);

    /* the limit is reached inside a later size line, after data paid for the first */
    puts_(&x, K_FRAME, "4\r\n");
    puts_(&x, K_DATA, "abcd");
    puts_(&x, K_FRAME, "\r\n0000000001\r\n");
    puts_(&x, K_DATA, "e");
    puts_(&x, K_FRAME, "\r\n0\r\n");
    puts_(&x, K_TRAILER, "\r\n");
    o.max_overhead = 6;
    at = over_at(&x, 6);
    cr_assert_eq(at, 3 + 4 + 2 + 6, "model: %zu", at);
    run_built("later-line-6", &x, x.n, o, WARD_E_CHUNK_OVERHEAD, 0, at, 0, M_ALL);
    /* the framing leads by 17 at most: after the last-chunk line */
    o.max_overhead = 17;
    cr_assert_eq(over_at(&x, 17), 0);
    run_built("later-line-17", &x, x.n, o, WARD_OK, 0, 0, 0, M_ALL);
    o.max_overhead = 16;
    cr_assert_eq(over_at(&x, 16), x.n - 2);
    run_built("later-line-16", &x, x.n, o, WARD_E_CHUNK_OVERHEAD, 0, x.n - 2, 0, M_ALL);
    bld_free(&x);
}

/* Normal 8 KiB chunks never reach the limit: the data pays for the
 * framing, however many chunks (even with a tiny max_overhead). */
Test(chunked, max_overhead_normal_chunks)
{
    ward_chunked_opts o = {.max_overhead = 16};
    bld x = {0};
    for (int i = 0; i < 8; i++) {
        puts_(&x, K_FRAME, "2000\r\n");
        put_rep(&x, K_DATA, 'a' + i, 8192);
        puts_(&x, K_FRAME, "\r\n");
    }
    puts_(&x, K_FRAME, "0\r\n");
    puts_(&x, K_TRAILER, "\r\n");
    cr_assert_eq(over_at(&x, 16), 0);
    run_built("8k-x8-overhead-16", &x, x.n, o, WARD_OK, 0, 0, 0, M_ALL);
    bld_free(&x);

    /* default limit, more chunks than 16384 / 8 framing bytes each: at once */
    o = (ward_chunked_opts){.max_body = 32u * MIB};
    for (int i = 0; i < 2100; i++) {
        puts_(&x, K_FRAME, "2000\r\n");
        put_rep(&x, K_DATA, 'a' + i % 26, 8192);
        puts_(&x, K_FRAME, "\r\n");
    }
    puts_(&x, K_FRAME, "0\r\n");
    puts_(&x, K_TRAILER, "\r\n");
    cr_assert_eq(over_at(&x, WARD_DEFAULT_MAX_OVERHEAD), 0);
    run_built("8k-x2100-default", &x, x.n, o, WARD_OK, 0, 0, 0, M_ONCE);
    bld_free(&x);
}

/* ======================================================================
 * Sticky results, NULL options
 * ====================================================================== */

/* After an error every call returns it and consumes nothing, whatever it
 * is given; after OK likewise with OK. (run_vector checks this for every
 * vector; here with fresh buffers and a fresh decoder next to it.) */
Test(chunked, sticky)
{
    ward_guard g;
    cr_assert_eq(ward_guard_init(&g, 4096, 1), 0);
    static const struct {
        const char *in;
        ward_status st;
    } cases[] = {{"x", WARD_E_CHUNK_SIZE}, {"0\r\n\r\n", WARD_OK}, {"1;\r\n", WARD_E_CHUNK_EXT}};
    for (size_t i = 0; i < 3; i++) {
        ward_chunked c = {0};
        size_t used, n = strlen(cases[i].in);
        ward_span d, t;
        const uint8_t *b = ward_guard_put(&g, cases[i].in, n);
        cr_assert(b);
        cr_assert_eq(ward_chunked_decode(&c, NULL, b, n, &used, &d, &t), cases[i].st, "%zu", i);
        ward_chunked saved = c;
        static const char *more[] = {"5\r\nhello\r\n0\r\n\r\n", "0\r\n\r\n", "x", ""};
        for (size_t m = 0; m < 4; m++) {
            size_t mn = strlen(more[m]);
            b = ward_guard_put(&g, more[m], mn);
            cr_assert(b);
            used = 99;
            d = t = (ward_span){1, 1};
            cr_assert_eq(ward_chunked_decode(&c, NULL, b, mn, &used, &d, &t), cases[i].st,
                         "%zu/%zu", i, m);
            cr_assert(used == 0 && d.len == 0 && t.len == 0, "%zu/%zu", i, m);
            cr_assert_eq(c.total, saved.total);
            cr_assert_eq(c.error, saved.error);
        }
        /* a fresh state decodes normally */
        ward_chunked c2 = {0};
        b = ward_guard_put(&g, "0\r\n\r\n", 5);
        cr_assert_eq(ward_chunked_decode(&c2, NULL, b, 5, &used, &d, &t), WARD_OK);
        cr_assert_eq(used, 5);
    }
    ward_guard_fini(&g);
}
