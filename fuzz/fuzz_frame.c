/* SPDX-License-Identifier: MIT */
/* fuzz_frame.c - libFuzzer target for whole requests: ward_parse_request(),
 * ward_frame_request() and ward_chunked_decode() as a server runs them on
 * a pipelined stream (fuzz_common.h's stream_run(): parse a head, frame
 * it, consume the body, then the next request from where the body ended).
 *
 * Asserts properties (fuzz/README.md lists them): every call keeps its
 * contract (exact-size copies; the head alone for the framing call), the
 * framing is what RULES.md "Framing" says (restated here from the rules,
 * not from parser/ward_frame.c), each message's body is consistent with
 * its framing, and the same stream delivered in random fragments, or cut
 * short, gives the same sequence of messages.
 *
 * Input: an option prefix, then the stream.
 *   byte 0: bits 0-3 the WARD_PARSE_* flags; 0x10 WARD_CHUNKED_LENIENT_BARE_LF;
 *           0x20 WARD_CHUNKED_KEEP_TRAILERS; 0x40 four chunked limits follow
 *           (max_ext, max_overhead, max_trailer, max_trailer_fields: one
 *           byte each, 0 = default); 0x80 NULL options when all zero.
 *   bytes 1-2: the seed of the cut points (16-bit little-endian); its top
 *           3 bits k: fragments of 1 .. 2^k bytes.
 *   byte 3: max_body: 0 = 0 (the default), 255 = UINT64_MAX (clamped to
 *           WARD_BODY_CAP), else 16 times it.
 * Missing bytes read as 0. tools/gen_seeds.c writes seeds in this format.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WARD_FUZZ_STREAM
#include "fuzz_common.h"
#include "ward_parse.h"

#define OPT_BARE_LF 0x10u
#define OPT_KEEP 0x20u
#define OPT_CLIMITS 0x40u
#define OPT_NULL 0x80u

struct cfg {
    ward_parse_opts popts;
    ward_chunked_opts copts;
    struct scfg s;
    uint32_t seed;
    size_t fragmax;
};

static size_t decode_cfg(const uint8_t *d, size_t size, struct cfg *c)
{
    struct reader r = {d, size, 0};
    uint8_t b0 = rd_u8(&r), mb;

    memset(c, 0, sizeof *c);
    c->popts.flags = b0 & WARD_PARSE_FLAGS_ALL;
    c->copts.flags = (b0 & OPT_BARE_LF ? WARD_CHUNKED_LENIENT_BARE_LF : 0u) |
                     (b0 & OPT_KEEP ? WARD_CHUNKED_KEEP_TRAILERS : 0u);
    c->seed = rd_u16(&r);
    c->fragmax = (size_t)1 << (c->seed >> 13);
    mb = rd_u8(&r);
    c->s.max_body = mb == 0 ? 0 : mb == 255 ? UINT64_MAX : (uint64_t)mb * 16;
    if (b0 & OPT_CLIMITS) {
        c->copts.max_ext = rd_u8(&r);
        c->copts.max_overhead = rd_u8(&r);
        c->copts.max_trailer = rd_u8(&r);
        c->copts.max_trailer_fields = rd_u8(&r);
    }
    c->copts.max_body = c->s.max_body; /* one body limit, as a server sets it */
    c->s.popts = &c->popts;
    c->s.copts = &c->copts;
    if ((b0 & OPT_NULL) && c->popts.flags == 0)
        c->s.popts = NULL;
    if ((b0 & OPT_NULL) && c->copts.flags == 0 && c->copts.max_ext == 0 && c->copts.max_overhead == 0 &&
        c->copts.max_trailer == 0 && c->copts.max_trailer_fields == 0 && c->copts.max_body == 0)
        c->s.copts = NULL;
    return rd_end(&r);
}

/* --- RULES.md "Framing", restated ------------------------------------- */

/* How the rules may be read where they leave room (each combination is
 * accepted): */
#define READ_ABSENT_CHUNKED_400 0x1u /* TE without chunked: "chunked not last" (400) rather than 501 */
#define READ_CL_TEXT 0x2u            /* Content-Length elements compared as text ("05" != "5") */
#define READ_FOLD_NEAR 0x4u          /* a fold next to (not inside) a TE/CL value breaks it too */
#define READ_ALL 0x8u

struct fexpect {
    ward_status st;
    uint8_t body, close;
    uint64_t length;
};

static int ows(uint8_t c)
{
    return c == ' ' || c == '\t';
}

static int name_is(const uint8_t *b, ward_span s, const char *lit)
{
    size_t n = strlen(lit);
    if (s.len != n)
        return 0;
    for (size_t k = 0; k < n; k++) {
        uint8_t c = b[s.off + k];
        if (c >= 'A' && c <= 'Z')
            c = (uint8_t)(c - 'A' + 'a');
        if (c != (uint8_t)lit[k])
            return 0;
    }
    return 1;
}

/* A CR or LF in the value, or (READ_FOLD_NEAR) in a fold between the colon
 * and the value or after the value on the same logical line. */
static int folded(const uint8_t *b, uint32_t head_len, const ward_field *f, unsigned how)
{
    uint32_t ve = f->value.off + f->value.len;
    for (uint32_t k = f->value.off; k < ve; k++) {
        if (b[k] == '\r' || b[k] == '\n')
            return 1;
    }
    if (!(how & READ_FOLD_NEAR))
        return 0;
    for (uint32_t k = f->name.off + f->name.len; k < f->value.off; k++) {
        if (b[k] == '\r' || b[k] == '\n')
            return 1;
    }
    for (uint32_t k = f->value.len > 0 ? ve : f->value.off; k + 1 < head_len; k++) {
        if (b[k] == '\n') /* the line ends here unless a fold follows */
            return ows(b[k + 1]);
    }
    return 0;
}

static uint32_t skip_ows(const uint8_t *b, uint32_t i, uint32_t e)
{
    while (i < e && ows(b[i]))
        i++;
    return i;
}

static uint32_t skip_tchar(const uint8_t *b, uint32_t i, uint32_t e)
{
    while (i < e && c_tchar(b[i]))
        i++;
    return i;
}

/* quoted-string at b[i] == '"' (RFC 9110 §5.6.4); the index after it, or 0. */
static uint32_t skip_qs(const uint8_t *b, uint32_t i, uint32_t e)
{
    for (i++; i < e; i++) {
        uint8_t c = b[i];
        if (c == '"')
            return i + 1;
        if (c == '\\') {
            if (i + 1 >= e)
                return 0;
            c = b[++i];
            if (!(c == '\t' || c == ' ' || (c >= 0x21 && c != 0x7f)))
                return 0;
        } else if (!(c == '\t' || c == ' ' || c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c != 0x7f))) {
            return 0;
        }
    }
    return 0;
}

struct codings {
    unsigned n, nchunked, other;
    int chunked_last, chunked_params, bad;
};

/* One Transfer-Encoding value: #( token *( OWS ";" OWS token "=" ( token /
 * quoted-string ) ) ), empty elements ignored (RULES.md step 3). */
static void te_list(const uint8_t *b, uint32_t i, uint32_t e, struct codings *cd)
{
    for (;;) {
        uint32_t t, params = 0;
        int chunked;
        i = skip_ows(b, i, e);
        if (i == e)
            return;
        if (b[i] == ',') {
            i++;
            continue;
        }
        t = skip_tchar(b, i, e);
        if (t == i) {
            cd->bad = 1;
            return;
        }
        chunked = name_is(b, (ward_span){i, t - i}, "chunked");
        i = t;
        for (;;) {
            uint32_t j = skip_ows(b, i, e);
            if (j == e || b[j] != ';')
                break;
            j = skip_ows(b, j + 1, e);
            t = skip_tchar(b, j, e);
            if (t == j || t == e || b[t] != '=') {
                cd->bad = 1;
                return;
            }
            t++;
            if (t < e && b[t] == '"') {
                t = skip_qs(b, t, e);
            } else {
                uint32_t u = skip_tchar(b, t, e);
                t = u == t ? 0 : u;
            }
            if (t == 0) {
                cd->bad = 1;
                return;
            }
            params++;
            i = t;
        }
        i = skip_ows(b, i, e);
        if (i < e && b[i] != ',') {
            cd->bad = 1;
            return;
        }
        cd->n++;
        if (chunked) {
            cd->nchunked++;
            cd->chunked_params |= params > 0;
        } else {
            cd->other++;
        }
        cd->chunked_last = chunked;
    }
}

/* One Content-Length value: elements of 1*DIGIT with OWS around, no empty
 * one, all equal (RULES.md step 6). *have: a first element was seen. */
static int cl_list(const uint8_t *b, uint32_t i, uint32_t e, unsigned how, int *have, uint64_t *v,
                   const uint8_t **txt, uint32_t *tlen)
{
    for (;;) {
        uint32_t d, t, z;
        uint64_t x = 0;
        i = skip_ows(b, i, e);
        d = i;
        while (i < e && b[i] >= '0' && b[i] <= '9')
            i++;
        t = i;
        if (t == d)
            return 0; /* empty element or not a digit */
        for (z = d; z + 1 < t && b[z] == '0'; z++)
            ;
        if (t - z > 19)
            return 0; /* over 10^18 */
        for (uint32_t k = z; k < t; k++)
            x = x * 10 + (uint64_t)(b[k] - '0');
        if (x > WARD_BODY_CAP)
            return 0;
        if (*have) {
            if (x != *v)
                return 0;
            if ((how & READ_CL_TEXT) && (t - d != *tlen || memcmp(b + d, *txt, *tlen) != 0))
                return 0;
        }
        *have = 1;
        *v = x;
        *txt = b + d;
        *tlen = t - d;
        i = skip_ows(b, i, e);
        if (i == e)
            return 1;
        if (b[i] != ',')
            return 0;
        i++;
    }
}

static struct fexpect model(const uint8_t *b, const ward_request *req, const ward_field *f, size_t nf,
                            uint64_t max_body, unsigned how)
{
    struct fexpect x = {WARD_OK, WARD_BODY_NONE, 0, 0};
    uint64_t lim = max_body == 0 ? WARD_DEFAULT_MAX_BODY : max_body > WARD_BODY_CAP ? WARD_BODY_CAP : max_body;
    size_t nte = 0, ncl = 0;

    for (size_t k = 0; k < nf; k++) {
        nte += name_is(b, f[k].name, "transfer-encoding");
        ncl += name_is(b, f[k].name, "content-length");
    }
    if (nte > 0 && req->version == 0) {
        x.st = WARD_E_TE_HTTP10;
    } else if (nte > 0 && ncl > 0) {
        x.st = WARD_E_TE_WITH_CL;
    } else if (nte > 0) {
        struct codings cd = {0, 0, 0, 0, 0, 0};
        for (size_t k = 0; k < nf && !cd.bad; k++) {
            if (!name_is(b, f[k].name, "transfer-encoding"))
                continue;
            if (folded(b, req->head_len, &f[k], how))
                cd.bad = 1;
            else
                te_list(b, f[k].value.off, f[k].value.off + f[k].value.len, &cd);
        }
        if (cd.bad || cd.n == 0 || cd.nchunked > 1 || (cd.nchunked == 1 && !cd.chunked_last) || cd.chunked_params ||
            (cd.nchunked == 0 && (how & READ_ABSENT_CHUNKED_400)))
            x.st = WARD_E_TRANSFER_ENCODING;
        else if (cd.other > 0)
            x.st = WARD_E_CODING_UNSUPPORTED;
        else
            x.body = WARD_BODY_CHUNKED;
    } else if (ncl > 0) {
        int have = 0, ok = 1;
        uint64_t v = 0;
        const uint8_t *txt = NULL;
        uint32_t tlen = 0;
        for (size_t k = 0; k < nf && ok; k++) {
            if (!name_is(b, f[k].name, "content-length"))
                continue;
            ok = !folded(b, req->head_len, &f[k], how) &&
                 cl_list(b, f[k].value.off, f[k].value.off + f[k].value.len, how, &have, &v, &txt, &tlen);
        }
        if (!ok) {
            x.st = WARD_E_CONTENT_LENGTH;
        } else if (v > lim) {
            x.st = WARD_E_BODY_TOO_LARGE;
        } else {
            x.body = WARD_BODY_LENGTH;
            x.length = v;
        }
    }
    if (x.st != WARD_OK)
        x.close = 1;
    else
        x.close = (req->flags & WARD_REQ_CONN_CLOSE) != 0 ||
                  (req->version == 0 && (req->flags & WARD_REQ_CONN_KEEP_ALIVE) == 0);
    return x;
}

static void on_frame(const struct scfg *cfg, const uint8_t *head, const ward_request *req, const ward_field *f,
                     size_t nf, ward_status fst, const ward_frame *fr)
{
    struct fexpect x = {WARD_OK, 0, 0, 0};
    for (unsigned how = 0; how < READ_ALL; how++) {
        x = model(head, req, f, nf, cfg->max_body, how);
        if (x.st == fst && x.body == fr->body && x.close == fr->close && x.length == fr->length)
            return;
    }
    fprintf(stderr, "framing: ward %s (%d) body %u length %llu close %u; RULES.md: %s (%d) body %u length %llu close %u\n",
            ward_status_str(fst), (int)fst, fr->body, (unsigned long long)fr->length, fr->close,
            ward_status_str(x.st), (int)x.st, x.body, (unsigned long long)x.length, x.close);
    FAIL("the framing follows RULES.md");
}

/* --- the stream -------------------------------------------------------- */

/* Each message on its own, and the data inside the bodies. */
static void check_run(const uint8_t *s, size_t len, const struct srun *r)
{
    size_t prev = 0, iv = 0;
    for (size_t i = 0; i < r->nm; i++) {
        const struct smsg *m = &r->m[i];
        CHECK(m->start == prev && m->head_end > m->start && m->end >= m->head_end && m->end <= len);
        switch (m->fr.body) {
        case WARD_BODY_NONE:
            CHECK(m->end == m->head_end && m->total == 0);
            break;
        case WARD_BODY_LENGTH: /* exactly length bytes */
            CHECK(m->end - m->head_end == m->fr.length && m->total == m->fr.length);
            break;
        case WARD_BODY_CHUNKED:
            CHECK(m->end > m->head_end && s[m->end - 1] == '\n' && m->total == m->c.total);
            CHECK(m->c.total + m->c.overhead + m->c.trailer == m->end - m->head_end);
            break;
        default:
            FAIL("body kind");
        }
        CHECK(!m->fr.close || (i + 1 == r->nm && r->end == END_CLOSE)); /* the last one */
        for (uint64_t got = 0; iv < r->data.n && r->data.v[iv].off < m->end; iv++) { /* data in the body */
            CHECK(r->data.v[iv].off >= m->head_end && r->data.v[iv].off + r->data.v[iv].len <= m->end);
            got += r->data.v[iv].len;
            CHECK(got <= m->total);
        }
        prev = m->end;
    }
    CHECK(r->at == prev);
    for (; iv < r->data.n; iv++) /* the rest: the unfinished message's body */
        CHECK(r->data.v[iv].off >= r->cur.head_end && r->cur.head_end > 0);
    CHECK(r->end != END_CLEAN || prev == len);
}

/* The trailer spans before `before` agree (an erring call's are unspecified). */
static int trailers_eq_before(const struct ivls *a, const struct ivls *b, size_t before)
{
    size_t i = 0, j = 0;
    while (i < a->n && a->v[i].off < before)
        i++;
    while (j < b->n && b->v[j].off < before)
        j++;
    if (i != j)
        return 0;
    for (size_t k = 0; k < i; k++) {
        if (a->v[k].off != b->v[k].off || a->v[k].len != b->v[k].len)
            return 0;
    }
    return 1;
}

static void check_same(const struct srun *a, const struct srun *b)
{
    CHECK(a->nm == b->nm);
    for (size_t i = 0; i < a->nm; i++)
        CHECK(smsg_eq(&a->m[i], &b->m[i]));
    CHECK(a->end == b->end && a->st == b->st && a->at == b->at);
    CHECK(ivl_eq(&a->data, &b->data));
    if (a->end == END_BODY_ERR)
        CHECK(trailers_eq_before(&a->trailer, &b->trailer, a->at));
    else
        CHECK(ivl_eq(&a->trailer, &b->trailer));
}

/* The stream cut at `cut` (at once): its complete messages are the whole
 * stream's first ones, and an end it reaches by itself is the same end. */
static void check_cut(const struct srun *full, const struct srun *r)
{
    CHECK(r->nm <= full->nm);
    for (size_t i = 0; i < r->nm; i++)
        CHECK(smsg_eq(&r->m[i], &full->m[i]));
    switch (r->end) {
    case END_HEAD_ERR:
    case END_FRAME_ERR:
    case END_BODY_ERR:
    case END_CLOSE:
    case END_FULL:
        CHECK(full->nm == r->nm && full->end == r->end && full->st == r->st && full->at == r->at);
        break;
    default:
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct srun once, frag, cut;
    struct cfg c;
    size_t k = decode_cfg(data, size, &c);
    const uint8_t *s = data + k;
    size_t len = size - k, at;
    struct rng rg = {c.seed};
    uint8_t *copy;

    c.s.on_frame = on_frame;
    stream_run(&c.s, s, len, NULL, 0, &once); /* libFuzzer's buffer: exact size */
    check_run(s, len, &once);

    c.s.on_frame = NULL; /* the same heads: checked once */
    stream_run(&c.s, s, len, &rg, c.fragmax, &frag);
    check_same(&once, &frag);

    at = len == 0 ? 0 : (size_t)(rng_next(&rg) % (len + 1));
    copy = dup_exact(s, at);
    stream_run(&c.s, copy, at, NULL, 0, &cut);
    free(copy);
    check_cut(&once, &cut);
    return 0;
}
