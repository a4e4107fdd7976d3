/* SPDX-License-Identifier: MIT */
/* fuzz_common.h - what the fuzz targets share: the property check and the
 * byte classes written again from the RFCs, independently of the parser's
 * tables, so that a wrong table entry is caught. With WARD_FUZZ_STREAM
 * defined before it is included, also what fuzz_chunked, fuzz_frame and
 * fuzz_diff share: exact-size copies, a reader for the option prefix, a
 * PRNG for cut points, merged span lists, a contract-checked call of
 * ward_chunked_decode() and a server loop over a pipelined stream. */
#ifndef WARD_FUZZ_COMMON_H
#define WARD_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond) check((cond) != 0, #cond, __FILE__, __LINE__)
#define FAIL(what) check(0, what, __FILE__, __LINE__)

static inline void check(int ok, const char *what, const char *file, int line)
{
    if (ok)
        return;
    fprintf(stderr, "%s:%d: property failed: %s\n", file, line, what);
    abort();
}

static inline int is_alnum(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* RFC 9110 §5.6.2 */
static inline int c_tchar(uint8_t c)
{
    return is_alnum(c) || (c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* RFC 9110 §5.5: HTAB, SP, VCHAR, obs-text */
static inline int c_value(uint8_t c)
{
    return c == '\t' || (c >= 0x20 && c != 0x7f);
}

/* RFC 3986 unreserved, sub-delims, ":@/?%[]" */
static inline int c_target(uint8_t c)
{
    return is_alnum(c) || (c != 0 && strchr("-._~!$&'()*+,;=:@/?%[]", c) != NULL);
}

#ifdef WARD_FUZZ_STREAM
/* ------------------------------------------------------------------------
 * Streams: fuzz_chunked, fuzz_frame, fuzz_diff
 * ------------------------------------------------------------------------ */
#include "ward_parse.h"

/* An exact-size heap copy: ASan faults on a read one byte past n. */
static inline uint8_t *dup_exact(const uint8_t *p, size_t n)
{
    uint8_t *q = malloc(n > 0 ? n : 1);
    CHECK(q != NULL);
    if (n > 0)
        memcpy(q, p, n);
    return q;
}

/* The option prefix: bytes past the end read as 0. */
struct reader {
    const uint8_t *d;
    size_t n, k;
};

static inline uint8_t rd_u8(struct reader *r)
{
    uint8_t b = r->k < r->n ? r->d[r->k] : 0;
    r->k++;
    return b;
}

static inline uint32_t rd_u16(struct reader *r)
{
    uint32_t lo = rd_u8(r);
    return lo | (uint32_t)rd_u8(r) << 8;
}

static inline uint32_t rd_u32(struct reader *r)
{
    uint32_t lo = rd_u16(r);
    return lo | rd_u16(r) << 16;
}

/* Where the prefix ends (at most n). */
static inline size_t rd_end(const struct reader *r)
{
    return r->k < r->n ? r->k : r->n;
}

/* splitmix64, seeded from the input: where a stream is cut */
struct rng {
    uint64_t s;
};

static inline uint64_t rng_next(struct rng *g)
{
    uint64_t z = (g->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A fragment size in [1, max]. */
static inline size_t rng_frag(struct rng *g, size_t max)
{
    return max <= 1 ? 1 : 1 + (size_t)(rng_next(g) % max);
}

/* Absolute spans [off, off+len) in order, adjacent ones merged: the same
 * bytes reported in any number of pieces give the same list. */
#define IVL_MAX 8192u
struct ivls {
    size_t n;
    uint64_t bytes;
    struct {
        size_t off, len;
    } v[IVL_MAX];
};

static inline void ivl_add(struct ivls *l, size_t off, size_t len)
{
    if (len == 0)
        return;
    l->bytes += len;
    if (l->n > 0) {
        CHECK(l->v[l->n - 1].off + l->v[l->n - 1].len <= off); /* in order, never twice */
        if (l->v[l->n - 1].off + l->v[l->n - 1].len == off) {
            l->v[l->n - 1].len += len;
            return;
        }
    }
    CHECK(l->n < IVL_MAX); /* more pieces than bytes of input: cannot be */
    l->v[l->n].off = off;
    l->v[l->n].len = len;
    l->n++;
}

static inline int ivl_eq(const struct ivls *a, const struct ivls *b)
{
    if (a->n != b->n || a->bytes != b->bytes)
        return 0;
    for (size_t k = 0; k < a->n; k++) {
        if (a->v[k].off != b->v[k].off || a->v[k].len != b->v[k].len)
            return 0;
    }
    return 1;
}

/* --- ward_chunked_decode() under its contract (ward_parse.h, RULES.md) --- */

/* The effective limits: 0 is the default; max_body is clamped to the cap. */
struct chunk_lims {
    uint64_t body, ext, overhead, trailer, fields;
    int keep, bare_lf;
};

static inline struct chunk_lims chunk_limits(const ward_chunked_opts *o)
{
    static const ward_chunked_opts zero;
    struct chunk_lims l;
    if (o == NULL)
        o = &zero;
    l.body = o->max_body == 0 ? WARD_DEFAULT_MAX_BODY : o->max_body > WARD_BODY_CAP ? WARD_BODY_CAP : o->max_body;
    l.ext = o->max_ext != 0 ? o->max_ext : WARD_DEFAULT_MAX_EXT;
    l.overhead = o->max_overhead != 0 ? o->max_overhead : WARD_DEFAULT_MAX_OVERHEAD;
    l.trailer = o->max_trailer != 0 ? o->max_trailer : WARD_DEFAULT_MAX_TRAILER;
    l.fields = o->max_trailer_fields != 0 ? o->max_trailer_fields : WARD_DEFAULT_MAX_FIELDS;
    l.keep = (o->flags & WARD_CHUNKED_KEEP_TRAILERS) != 0;
    l.bare_lf = (o->flags & WARD_CHUNKED_LENIENT_BARE_LF) != 0;
    return l;
}

/* One decoder as a caller keeps it. */
struct chunk_dec {
    ward_chunked c;
    const ward_chunked_opts *opts;
    struct chunk_lims lim;
    int done;          /* WARD_OK was returned */
    ward_status last;  /* the last result */
    uint64_t calls;
};

static inline void chunk_init(struct chunk_dec *d, const ward_chunked_opts *opts)
{
    memset(d, 0, sizeof *d);
    d->opts = opts;
    d->lim = chunk_limits(opts);
    d->last = WARD_AGAIN;
}

static inline int chunk_state_eq(const ward_chunked *a, const ward_chunked *b)
{
    return a->remaining == b->remaining && a->total == b->total && a->overhead == b->overhead &&
           a->ext == b->ext && a->trailer == b->trailer && a->nfields == b->nfields && a->state == b->state &&
           a->error == b->error;
}

static inline int chunk_result_ok(ward_status st)
{
    switch (st) {
    case WARD_OK: case WARD_AGAIN: case WARD_E_LINE_END: case WARD_E_CHUNK_SIZE: case WARD_E_CHUNK_EXT:
    case WARD_E_CHUNK_DATA: case WARD_E_FIELD_NAME: case WARD_E_FIELD_VALUE: case WARD_E_OBS_FOLD:
    case WARD_E_BODY_TOO_LARGE: case WARD_E_CHUNK_EXT_TOO_LONG: case WARD_E_CHUNK_OVERHEAD:
    case WARD_E_TRAILER_TOO_LARGE: case WARD_E_TOO_MANY_FIELDS:
        return 1;
    default: /* WARD_E_INTERNAL included: "a state the code believes unreachable" */
        return 0;
    }
}

/* One call on an exact-size heap copy of src[0 .. len), outputs filled with
 * garbage first, checked against the contract. A call that ends the body
 * (OK or an error) is followed by one more on a copy of the state, with the
 * bytes after it, which must answer the same and consume nothing. */
static inline ward_status chunk_call(struct chunk_dec *d, const uint8_t *src, size_t len, size_t *consumed,
                              ward_span *data, ward_span *trailer)
{
    uint8_t *buf = dup_exact(src, len);
    ward_chunked old = d->c;
    ward_status st;

    *consumed = (size_t)0xA5A5A5A5u;
    memset(data, 0xA5, sizeof *data);
    memset(trailer, 0x5A, sizeof *trailer);
    st = ward_chunked_decode(&d->c, d->opts, buf, len, consumed, data, trailer);
    d->calls++;
    CHECK(len == 0 || memcmp(buf, src, len) == 0); /* never writes to buf */
    free(buf);

    CHECK(chunk_result_ok(st) || st == (ward_status)old.error);
    CHECK(*consumed <= len);
    CHECK((uint64_t)data->off + data->len <= *consumed);
    CHECK((uint64_t)trailer->off + trailer->len <= *consumed);
    CHECK(data->len == 0 || trailer->len == 0);
    CHECK(d->c.total == old.total + data->len);
    CHECK(d->c.total <= WARD_BODY_CAP && d->c.overhead <= 2 * WARD_BODY_CAP);
    if (st == WARD_AGAIN && *consumed < len && *consumed < 0x7fffffffu) /* stopped after data */
        CHECK(data->len > 0 && data->off + data->len == *consumed);
    if (st == WARD_AGAIN && len > 0) /* progress */
        CHECK(*consumed > 0);
    if (data->len > 0) /* "a call stops right after the first data it finds" */
        CHECK(st == WARD_AGAIN && data->off + data->len == *consumed);
    if (!d->lim.keep)
        CHECK(trailer->len == 0);
    if (trailer->len > 0) /* the trailer section runs to the end of what was consumed */
        CHECK(trailer->off + trailer->len == *consumed);
    if (old.error != 0) { /* errors stick */
        CHECK(st == (ward_status)old.error && *consumed == 0 && data->len == 0 && trailer->len == 0);
        CHECK(chunk_state_eq(&old, &d->c));
    } else if (d->done) { /* after OK: OK, nothing consumed */
        CHECK(st == WARD_OK && *consumed == 0 && data->len == 0 && trailer->len == 0);
        CHECK(chunk_state_eq(&old, &d->c));
    }
    if (st != WARD_OK && st != WARD_AGAIN) {
        CHECK(d->c.error == st);
    } else {
        CHECK(d->c.error == 0);
        /* the limits: one past each is an error, so no success is over one */
        CHECK(d->c.total <= d->lim.body);
        CHECK(d->c.ext <= d->lim.ext);
        CHECK(d->c.trailer <= d->lim.trailer);
        CHECK(d->c.nfields <= d->lim.fields);
        CHECK(d->c.overhead <= d->c.total + d->lim.overhead);
    }
    if (st == WARD_OK && !d->done) /* the final CRLF (or LF) was consumed */
        CHECK(*consumed > 0 && src[*consumed - 1] == '\n');

    if (st != WARD_AGAIN) { /* the body is over: a later call changes nothing */
        static const uint8_t more[1] = {'0'};
        const uint8_t *rest = *consumed < len ? src + *consumed : more;
        size_t rlen = *consumed < len ? len - *consumed : 1;
        uint8_t *copy = dup_exact(rest, rlen);
        ward_chunked c2 = d->c;
        size_t n2 = 7;
        ward_span d2, t2;
        ward_status st2 = ward_chunked_decode(&c2, d->opts, copy, rlen, &n2, &d2, &t2);
        CHECK(memcmp(copy, rest, rlen) == 0);
        free(copy);
        CHECK(st2 == st && n2 == 0 && d2.len == 0 && t2.len == 0);
        CHECK(chunk_state_eq(&c2, &d->c));
    }
    if (st == WARD_OK)
        d->done = 1;
    d->last = st;
    return st;
}

/* --- a server loop over a pipelined stream ------------------------------ */

/* Parse a head, frame it, consume the body (fixed length or chunked), then
 * the next request from where the body ended; stop at the first error, at
 * frame.close, or when the bytes run out. The bytes arrive all at once or
 * in fragments; every call sees an exact-size copy of the bytes it is
 * given (the head alone for ward_frame_request()). */

#define MSG_MAX 256u
#define FIELDS_CAP 128u

enum stream_end {
    END_CLEAN = 1,  /* the bytes ended between messages */
    END_HEAD_AGAIN, /* inside a head */
    END_HEAD_ERR,   /* ward_parse_request() error: st */
    END_FRAME_ERR,  /* ward_frame_request() error: st */
    END_BODY_AGAIN, /* inside a body */
    END_BODY_ERR,   /* ward_chunked_decode() error: st */
    END_CLOSE,      /* after a message with frame.close */
    END_FULL        /* MSG_MAX messages */
};

struct smsg {
    size_t start, head_end, end; /* absolute offsets; end: where the next one starts */
    ward_frame fr;
    uint64_t total;    /* body bytes delivered */
    uint32_t nfields;  /* kept field lines */
    uint32_t rflags;   /* ward_request.flags */
    uint8_t version;
    ward_chunked c;    /* the decoder at the end of a chunked body */
};

struct srun {
    size_t nm;
    struct smsg m[MSG_MAX];
    enum stream_end end;
    ward_status st;   /* the error, for the *_ERR ends */
    size_t at;        /* where the message that ended the run started */
    struct smsg cur;  /* that message as far as it got */
    struct ivls data, trailer;
};

struct scfg {
    const ward_parse_opts *popts;
    uint64_t max_body;
    const ward_chunked_opts *copts;
    /* called on each accepted head after framing (fuzz_frame's model) */
    void (*on_frame)(const struct scfg *cfg, const uint8_t *head, const ward_request *req, const ward_field *f,
                     size_t nf, ward_status fst, const ward_frame *fr);
};

static inline int frame_error(ward_status s)
{
    return s == WARD_E_CONTENT_LENGTH || s == WARD_E_TRANSFER_ENCODING || s == WARD_E_TE_WITH_CL ||
           s == WARD_E_TE_HTTP10 || s == WARD_E_CODING_UNSUPPORTED || s == WARD_E_BODY_TOO_LARGE;
}

/* ward_frame_request() on an exact-size copy of the head, outputs garbage
 * first, checked against its contract. */
static inline ward_status frame_call(const struct scfg *cfg, const uint8_t *head, const ward_request *req,
                              const ward_field *fields, size_t nf, ward_frame *fr)
{
    uint8_t *h = dup_exact(head, req->head_len);
    ward_field *fc = malloc(nf > 0 ? nf * sizeof *fc : 1); /* exact size */
    ward_request rc = *req;
    uint64_t lim = cfg->max_body == 0 ? WARD_DEFAULT_MAX_BODY : cfg->max_body > WARD_BODY_CAP ? WARD_BODY_CAP : cfg->max_body;
    ward_status st;

    CHECK(fc != NULL);
    if (nf > 0)
        memcpy(fc, fields, nf * sizeof *fc);
    memset(fr, 0xA5, sizeof *fr);
    st = ward_frame_request(h, &rc, fc, nf, cfg->max_body, fr);
    CHECK(memcmp(h, head, req->head_len) == 0);
    CHECK(nf == 0 || memcmp(fc, fields, nf * sizeof *fc) == 0); /* reads only */
    free(h);
    free(fc);
    CHECK(st == WARD_OK || frame_error(st));
    CHECK(fr->body <= WARD_BODY_CHUNKED && fr->close <= 1);
    if (st != WARD_OK)
        CHECK(fr->close == 1 && fr->body == WARD_BODY_NONE && fr->length == 0);
    if (fr->body != WARD_BODY_LENGTH)
        CHECK(fr->length == 0);
    if (st == WARD_OK)
        CHECK(fr->length <= lim);
    if (st == WARD_OK && fr->body == WARD_BODY_CHUNKED)
        CHECK(req->version == 1);
    if (cfg->on_frame != NULL)
        cfg->on_frame(cfg, head, req, fields, nf, st, fr);
    return st;
}

/* Runs the stream s[0 .. len). frag NULL: all bytes at once; else they
 * arrive in fragments of 1 .. fragmax bytes. */
static inline void stream_run(const struct scfg *cfg, const uint8_t *s, size_t len, struct rng *frag, size_t fragmax,
                       struct srun *out)
{
    static ward_field fields[FIELDS_CAP];
    enum { P_HEAD, P_LENGTH, P_CHUNKED } phase = P_HEAD;
    size_t have = frag == NULL ? len : 0, pos = 0, p = 0;
    uint64_t remaining = 0;
    struct chunk_dec dec;
    struct smsg *m = &out->cur;

    out->nm = 0;
    out->end = 0;
    out->st = WARD_OK;
    out->at = 0;
    out->data.n = out->trailer.n = 0;
    out->data.bytes = out->trailer.bytes = 0;
    memset(m, 0, sizeof *m);
    for (;;) {
        int more = 0; /* 1: wait for the next fragment */
        if (phase == P_HEAD) {
            ward_request req;
            size_t nf = FIELDS_CAP;
            ward_status st = WARD_AGAIN;
            out->at = pos;
            if (pos == len) {
                out->end = END_CLEAN;
                break;
            }
            if (out->nm == MSG_MAX) {
                out->end = END_FULL;
                break;
            }
            memset(m, 0, sizeof *m);
            m->start = pos;
            if (have > pos) {
                uint8_t *b = dup_exact(s + pos, have - pos);
                st = ward_parse_request(b, have - pos, 0, cfg->popts, &req, fields, &nf);
                CHECK(memcmp(b, s + pos, have - pos) == 0);
                free(b);
            }
            if (st == WARD_AGAIN) {
                if (have == len) {
                    out->end = END_HEAD_AGAIN;
                    break;
                }
                more = 1;
            } else if (st != WARD_OK) {
                out->end = END_HEAD_ERR;
                out->st = st;
                break;
            } else {
                ward_status fst;
                CHECK(req.head_len >= 2 && req.head_len <= have - pos && nf <= FIELDS_CAP);
                m->head_end = pos + req.head_len;
                m->nfields = (uint32_t)nf;
                m->rflags = req.flags;
                m->version = req.version;
                fst = frame_call(cfg, s + pos, &req, fields, nf, &m->fr);
                if (fst != WARD_OK) {
                    out->end = END_FRAME_ERR;
                    out->st = fst;
                    break;
                }
                p = m->head_end;
                if (m->fr.body == WARD_BODY_LENGTH) {
                    remaining = m->fr.length;
                    phase = P_LENGTH;
                } else if (m->fr.body == WARD_BODY_CHUNKED) {
                    chunk_init(&dec, cfg->copts);
                    phase = P_CHUNKED;
                }
            }
        } else if (phase == P_LENGTH) {
            size_t n = have - p;
            if (n > remaining)
                n = (size_t)remaining;
            ivl_add(&out->data, p, n);
            m->total += n;
            p += n;
            remaining -= n;
            if (remaining > 0) {
                if (have == len) {
                    out->end = END_BODY_AGAIN;
                    break;
                }
                more = 1;
            } else {
                phase = P_HEAD;
            }
        } else {
            size_t used = 0;
            ward_span dsp, tsp;
            ward_status st = WARD_AGAIN;
            if (have > p) {
                st = chunk_call(&dec, s + p, have - p, &used, &dsp, &tsp);
                ivl_add(&out->data, p + dsp.off, dsp.len);
                ivl_add(&out->trailer, p + tsp.off, tsp.len);
                m->total += dsp.len;
                p += used;
            }
            m->c = dec.c;
            if (st == WARD_OK) {
                CHECK(m->total == dec.c.total);
                phase = P_HEAD;
            } else if (st != WARD_AGAIN) {
                out->end = END_BODY_ERR;
                out->st = st;
                break;
            } else if (p == have) { /* all taken: wait for more */
                if (have == len) {
                    out->end = END_BODY_AGAIN;
                    break;
                }
                more = 1;
            }
        }
        if (more) {
            CHECK(frag != NULL && have < len);
            have += rng_frag(frag, fragmax);
            if (have > len)
                have = len;
            continue;
        }
        if (phase == P_HEAD && m->head_end != 0) { /* a message is complete */
            m->end = m->fr.body == WARD_BODY_NONE ? m->head_end : p;
            out->m[out->nm++] = *m;
            pos = m->end;
            if (m->fr.close) {
                out->end = END_CLOSE;
                memset(m, 0, sizeof *m);
                out->at = pos;
                break;
            }
            memset(m, 0, sizeof *m);
        }
    }
}

static inline int smsg_eq(const struct smsg *a, const struct smsg *b)
{
    return a->start == b->start && a->head_end == b->head_end && a->end == b->end &&
           a->fr.body == b->fr.body && a->fr.length == b->fr.length && a->fr.close == b->fr.close &&
           a->total == b->total && a->nfields == b->nfields && a->rflags == b->rflags &&
           a->version == b->version && chunk_state_eq(&a->c, &b->c);
}

static inline const char *end_name(enum stream_end e)
{
    static const char *names[] = {"?", "clean", "head-again", "head-error", "frame-error", "body-again",
                                  "body-error", "close", "full"};
    return (unsigned)e < sizeof names / sizeof names[0] ? names[e] : "?";
}
#endif /* WARD_FUZZ_STREAM */

#endif
