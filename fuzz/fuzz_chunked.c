/* SPDX-License-Identifier: MIT */
/* fuzz_chunked.c - libFuzzer target for ward_chunked_decode().
 *
 * Asserts properties (fuzz/README.md lists them): every call keeps the
 * contract of ward_parse.h (checked in fuzz_common.h's chunk_call(), on
 * exact-size heap copies, the input compared after each call), and
 * decoding the bytes at once, in random fragments and byte by byte gives
 * the same result, the same data and trailer bytes at the same offsets,
 * and the same decoder state. In the generating mode the input describes
 * a well-formed chunked body, which is then encoded here; it must decode
 * to exactly the data it was built from, with counters as RULES.md
 * defines them, and each limit set to exactly what the body needs must
 * pass while one less must fail with that limit's error.
 *
 * Input: an option prefix, then the body bytes (or, generating, the
 * description of a body).
 *   byte 0: 0x01 WARD_CHUNKED_LENIENT_BARE_LF; 0x02 WARD_CHUNKED_KEEP_TRAILERS;
 *           0x04 limits follow; 0x08 NULL options when they are all zero;
 *           0x10 generate; bits 5-7 k: fragments of 1 .. 2^k bytes.
 *   bytes 1-2: the seed of the cut points (16-bit little-endian).
 *   with 0x04: max_ext, max_overhead, max_trailer (16-bit each), then
 *           max_trailer_fields (8-bit), then max_body (32-bit, 0xFFFFFFFF
 *           = UINT64_MAX so the clamp to WARD_BODY_CAP is exercised).
 *   with 0x10: one byte choosing which limit to set on the body (the
 *           limits above are then ignored).
 * Missing bytes read as 0. tools/gen_seeds.c writes seeds in this format.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WARD_FUZZ_STREAM
#include "fuzz_common.h"
#include "ward_parse.h"

#define OPT_BARE_LF 0x01u
#define OPT_KEEP 0x02u
#define OPT_LIMITS 0x04u
#define OPT_NULL 0x08u
#define OPT_GEN 0x10u
#define ALL_BYTES_MAX 512u /* byte by byte up to this length */
#define GEN_CAP 16384u     /* an encoded body stays under this */

struct cfg {
    ward_chunked_opts o;
    const ward_chunked_opts *po;
    uint32_t seed;
    size_t fragmax;
    int gen;
    uint8_t sel;
};

struct dres {
    ward_status st;
    size_t end; /* bytes consumed in all */
    ward_chunked c;
    struct ivls data, trailer;
};

static size_t decode_cfg(const uint8_t *d, size_t size, struct cfg *c)
{
    struct reader r = {d, size, 0};
    uint8_t b0 = rd_u8(&r);

    memset(c, 0, sizeof *c);
    c->o.flags = b0 & (OPT_BARE_LF | OPT_KEEP);
    c->seed = rd_u16(&r);
    c->fragmax = (size_t)1 << (b0 >> 5);
    c->gen = (b0 & OPT_GEN) != 0;
    if (b0 & OPT_LIMITS) {
        uint32_t mb;
        c->o.max_ext = rd_u16(&r);
        c->o.max_overhead = rd_u16(&r);
        c->o.max_trailer = rd_u16(&r);
        c->o.max_trailer_fields = rd_u8(&r);
        mb = rd_u32(&r);
        c->o.max_body = mb == 0xFFFFFFFFu ? UINT64_MAX : mb;
    }
    if (c->gen)
        c->sel = rd_u8(&r);
    c->po = &c->o;
    if ((b0 & OPT_NULL) && c->o.flags == 0 && c->o.max_ext == 0 && c->o.max_overhead == 0 &&
        c->o.max_trailer == 0 && c->o.max_trailer_fields == 0 && c->o.max_body == 0)
        c->po = NULL;
    return rd_end(&r);
}

/* Decodes buf[0 .. len) as a caller does: frag NULL, all of it at once;
 * else in fragments of 1 .. fragmax bytes. After data the caller calls
 * again with the rest; after AGAIN with everything taken, with the next
 * fragment. */
static void decode(const ward_chunked_opts *po, const uint8_t *buf, size_t len, struct rng *frag, size_t fragmax,
                   struct dres *r)
{
    static struct chunk_dec d;
    size_t have = frag == NULL ? len : 0, p = 0;
    ward_status st = WARD_AGAIN;

    chunk_init(&d, po);
    r->data.n = r->trailer.n = 0;
    r->data.bytes = r->trailer.bytes = 0;
    if (frag == NULL) { /* no bytes: nothing to do, nothing consumed */
        size_t used;
        ward_span ds, ts;
        st = chunk_call(&d, buf, 0, &used, &ds, &ts);
        CHECK(st == WARD_AGAIN && used == 0);
    }
    for (;;) {
        size_t used;
        ward_span ds, ts;
        if (have == p) {
            if (have == len)
                break;
            have += rng_frag(frag, fragmax);
            if (have > len)
                have = len;
            continue;
        }
        st = chunk_call(&d, buf + p, have - p, &used, &ds, &ts);
        ivl_add(&r->data, p + ds.off, ds.len);
        ivl_add(&r->trailer, p + ts.off, ts.len);
        p += used;
        if (st != WARD_AGAIN)
            break;
    }
    r->st = st;
    r->end = p;
    r->c = d.c;
    CHECK(r->data.bytes == d.c.total);
}

/* What the at-once result promises on its own. */
static void check_alone(const struct cfg *c, const uint8_t *buf, size_t len, const struct dres *r)
{
    struct chunk_lims lim = chunk_limits(c->po);
    for (size_t k = 0; k < r->data.n; k++)
        CHECK(r->data.v[k].off + r->data.v[k].len <= r->end);
    for (size_t k = 0; k < r->trailer.n; k++)
        CHECK(r->trailer.v[k].off + r->trailer.v[k].len <= r->end);
    CHECK(r->trailer.n <= 1); /* the trailer section is one run of bytes */
    if (r->st == WARD_OK || r->st == WARD_AGAIN) {
        /* every byte taken is data, framing or trailer section (RULES.md) */
        CHECK(r->c.total + r->c.overhead + r->c.trailer == r->end);
        if (lim.keep)
            CHECK(r->trailer.bytes == r->c.trailer);
        if (r->trailer.n == 1)
            CHECK(r->trailer.v[0].off + r->trailer.v[0].len == r->end);
    }
    if (r->st == WARD_OK)
        CHECK(r->end >= 3 && buf[r->end - 1] == '\n');
    if (r->st == WARD_AGAIN)
        CHECK(r->end == len);
}

/* Two decodings of the same bytes agree. */
static void check_same(const struct dres *a, const struct dres *b)
{
    CHECK(a->st == b->st);
    CHECK(ivl_eq(&a->data, &b->data));
    CHECK(a->c.total == b->c.total && a->c.error == b->c.error);
    if (a->st == WARD_OK || a->st == WARD_AGAIN) { /* the same bytes taken: the same state */
        /* (what an erring call says of the trailer is unspecified) */
        CHECK(ivl_eq(&a->trailer, &b->trailer));
        CHECK(a->end == b->end);
        CHECK(chunk_state_eq(&a->c, &b->c));
    }
}

/* --- the generating mode ------------------------------------------------ */

struct gen {
    uint8_t out[GEN_CAP + 4096];
    size_t n;
    uint8_t data[GEN_CAP];
    size_t nd;
    struct ivls chunks; /* where each chunk's data lies */
    size_t tr_start, tr_len;
    uint64_t ext, framing, fields;
    int64_t peak; /* the most framing bytes ever ahead of the data bytes */
    int bare_lf;
};

static void put(struct gen *g, const void *p, size_t n)
{
    CHECK(g->n + n <= sizeof g->out);
    memcpy(g->out + g->n, p, n);
    g->n += n;
}

/* Framing bytes; ext: they are chunk-extension bytes too. */
static void put_framing(struct gen *g, const char *s, size_t n, int ext)
{
    for (size_t k = 0; k < n; k++) {
        put(g, s + k, 1);
        g->framing++;
        if (ext)
            g->ext++;
        if ((int64_t)g->framing - (int64_t)g->nd > g->peak)
            g->peak = (int64_t)g->framing - (int64_t)g->nd;
    }
}

static void put_eol(struct gen *g, int bare)
{
    if (bare && g->bare_lf)
        put_framing(g, "\n", 1, 0);
    else
        put_framing(g, "\r\n", 2, 0);
}

/* chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] ), nothing
 * after it (no BWS before the CR): only well-formed ones (RULES.md). */
static const char *const exts[] = {
    "",
    ";a",
    ";name=value",
    " ;a",
    "; a = b",
    ";a=\"q \\\"x\\\\\"",
    ";a;b=c",
    "\t;x=\"\" \t; y",
    ";!#$%&'*+-.^_`|~=~",
    ";a=\"\x80\xff\t,;=\"",
};

static void put_size_line(struct gen *g, uint64_t size, uint8_t style)
{
    static const char lo[] = "0123456789abcdef", up[] = "0123456789ABCDEF";
    char digits[32];
    size_t nd = 0, zeros = style & 3u;
    const char *hex = (style & 4u) ? up : lo;
    const char *e = exts[(style >> 3) % (sizeof exts / sizeof exts[0])];

    for (size_t k = 0; k < zeros; k++)
        digits[nd++] = '0';
    {
        char tmp[20];
        size_t t = 0;
        do {
            tmp[t++] = hex[size & 15u];
            size >>= 4;
        } while (size != 0);
        while (t > 0)
            digits[nd++] = tmp[--t];
    }
    put_framing(g, digits, nd, 0);
    put_framing(g, e, strlen(e), 1);
    put_eol(g, (style & 0x80u) != 0);
}

static uint8_t value_byte(uint8_t b)
{
    return c_value(b) ? b : (uint8_t)('a' + b % 26);
}

/* Builds a well-formed body from the description in r; the bytes left
 * after it follow the body (the next message: never taken). */
static void generate(struct gen *g, struct reader *r, int bare_lf)
{
    static const char *const names[] = {"X", "Expires", "a_b", "Trailer-1", "!#$%&'*+-.^_`|~09Zz"};
    uint8_t b;
    size_t nt;

    g->n = g->nd = 0;
    g->chunks.n = 0;
    g->chunks.bytes = 0;
    g->ext = g->framing = g->fields = 0;
    g->peak = 0;
    g->tr_start = g->tr_len = 0;
    g->bare_lf = bare_lf;
    for (unsigned k = 0; k < 64 && r->k < r->n; k++) {
        uint8_t op = rd_u8(r), style;
        size_t size;
        if (op & 0x80u)
            break;
        size = (size_t)(op & 0x3Fu) + 1;
        if (op & 0x40u)
            size += (size_t)rd_u8(r) * 8;
        if (g->n + size + 64 > GEN_CAP)
            break;
        style = rd_u8(r);
        put_size_line(g, size, style);
        ivl_add(&g->chunks, g->n, size);
        for (size_t j = 0; j < size; j++) { /* any bytes: CR, LF, "0\r\n\r\n" are data here */
            uint8_t v = r->k < r->n ? rd_u8(r) : (uint8_t)(j * 31u);
            put(g, &v, 1);
            g->data[g->nd++] = v;
        }
        put_eol(g, (style & 0x40u) != 0);
    }
    /* last-chunk = 1*("0") [ chunk-ext ] CRLF */
    b = rd_u8(r);
    for (unsigned k = 0; k <= (b & 3u); k++)
        put_framing(g, "0", 1, 0);
    {
        const char *e = exts[(b >> 2) % (sizeof exts / sizeof exts[0])];
        put_framing(g, e, strlen(e), 1);
    }
    put_eol(g, (b & 0x80u) != 0);
    /* trailer-section = *( field-line CRLF ), then CRLF */
    g->tr_start = g->n;
    nt = rd_u8(r) % 5u;
    for (size_t k = 0; k < nt; k++) {
        uint8_t how = rd_u8(r);
        const char *nm = names[how % (sizeof names / sizeof names[0])];
        size_t vl = (how >> 3) & 15u;
        put(g, nm, strlen(nm));
        put(g, ":", 1);
        for (size_t j = 0; j < vl; j++) {
            uint8_t v = value_byte(rd_u8(r));
            put(g, &v, 1);
        }
        if ((how & 0x80u) && bare_lf)
            put(g, "\n", 1);
        else
            put(g, "\r\n", 2);
        g->fields++;
    }
    b = rd_u8(r);
    if ((b & 1u) && bare_lf)
        put(g, "\n", 1);
    else
        put(g, "\r\n", 2);
    g->tr_len = g->n - g->tr_start;
}

/* The limit to set on a generated body, and the result it must give. */
static ward_status gen_limits(const struct gen *g, uint8_t sel, ward_chunked_opts *o)
{
    uint32_t flags = o->flags;

    memset(o, 0, sizeof *o);
    o->flags = flags;
    o->max_ext = o->max_overhead = o->max_trailer = o->max_trailer_fields = UINT32_MAX;
    o->max_body = UINT64_MAX;
    switch (sel % 11u) {
    case 1:
        if (g->nd >= 1) {
            o->max_body = g->nd;
            return WARD_OK;
        }
        break;
    case 2:
        if (g->nd >= 2) {
            o->max_body = g->nd - 1;
            return WARD_E_BODY_TOO_LARGE;
        }
        break;
    case 3:
        if (g->ext >= 1) {
            o->max_ext = (uint32_t)g->ext;
            return WARD_OK;
        }
        break;
    case 4:
        if (g->ext >= 2) {
            o->max_ext = (uint32_t)g->ext - 1;
            return WARD_E_CHUNK_EXT_TOO_LONG;
        }
        break;
    case 5:
        o->max_trailer = (uint32_t)g->tr_len;
        return WARD_OK;
    case 6:
        if (g->tr_len >= 2) { /* 0 would mean the default */
            o->max_trailer = (uint32_t)g->tr_len - 1;
            return WARD_E_TRAILER_TOO_LARGE;
        }
        break;
    case 7:
        if (g->fields >= 1) {
            o->max_trailer_fields = (uint32_t)g->fields;
            return WARD_OK;
        }
        break;
    case 8:
        if (g->fields >= 2) {
            o->max_trailer_fields = (uint32_t)g->fields - 1;
            return WARD_E_TOO_MANY_FIELDS;
        }
        break;
    case 9:
        o->max_overhead = (uint32_t)g->peak; /* >= 1: a body starts with framing */
        return WARD_OK;
    case 10:
        if (g->peak >= 2) {
            o->max_overhead = (uint32_t)g->peak - 1;
            return WARD_E_CHUNK_OVERHEAD;
        }
        break;
    default:
        break;
    }
    return WARD_OK;
}

/* A generated body decodes to what it was built from. */
static void check_generated(const struct gen *g, const uint8_t *buf, const struct dres *r, ward_status want,
                            int keep)
{
    if (r->st != want)
        fprintf(stderr, "generated body of %zu bytes: %s (%d), want %s (%d)\n", g->n, ward_status_str(r->st),
                (int)r->st, ward_status_str(want), (int)want);
    CHECK(r->st == want);
    if (want != WARD_OK)
        return;
    CHECK(r->end == g->tr_start + g->tr_len);
    CHECK(ivl_eq(&r->data, &g->chunks));
    for (size_t k = 0, at = 0; k < r->data.n; k++) {
        CHECK(memcmp(buf + r->data.v[k].off, g->data + at, r->data.v[k].len) == 0);
        at += r->data.v[k].len;
    }
    CHECK(r->c.total == g->nd);
    CHECK(r->c.ext == g->ext);
    CHECK(r->c.overhead == g->framing);
    CHECK(r->c.trailer == g->tr_len);
    CHECK(r->c.nfields == g->fields);
    if (keep) {
        CHECK(r->trailer.n == 1 && r->trailer.v[0].off == g->tr_start && r->trailer.v[0].len == g->tr_len);
    } else {
        CHECK(r->trailer.n == 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct dres once, frag, bytes;
    static struct gen g;
    struct cfg c;
    size_t k = decode_cfg(data, size, &c);
    const uint8_t *buf = data + k;
    size_t len = size - k;
    uint8_t *owned = NULL;
    ward_status want = WARD_OK;
    struct rng rg = {c.seed};

    if (c.gen) {
        struct reader r = {buf, len, 0};
        generate(&g, &r, (c.o.flags & OPT_BARE_LF) != 0);
        if (r.k < r.n) /* the rest follows the body */
            put(&g, buf + r.k, r.n - r.k < 256 ? r.n - r.k : 256);
        want = gen_limits(&g, c.sel, &c.o);
        c.po = &c.o;
        owned = dup_exact(g.out, g.n); /* exact size: a read past it faults */
        buf = owned;
        len = g.n;
    }

    decode(c.po, buf, len, NULL, 0, &once);
    check_alone(&c, buf, len, &once);
    if (c.gen)
        check_generated(&g, buf, &once, want, (c.o.flags & OPT_KEEP) != 0);
    decode(c.po, buf, len, &rg, c.fragmax, &frag);
    check_same(&once, &frag);
    if (len <= ALL_BYTES_MAX && c.fragmax > 1) {
        decode(c.po, buf, len, &rg, 1, &bytes);
        check_same(&once, &bytes);
    }
    free(owned);
    return 0;
}
