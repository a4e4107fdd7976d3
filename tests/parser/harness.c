/* SPDX-License-Identifier: MIT */
/* harness.c - see harness.h. */
#define _DEFAULT_SOURCE 1

#include "harness.h"

#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guard.h"

#define CHECK(c, cond, fmt, ...)                                                          \
    cr_assert((cond), "%s [%s k=%zu]: " fmt, (c)->id, (c)->phase, (c)->k, ##__VA_ARGS__)

/* ---- crash reports: name the vector when the parser faults ---- */

static ward_guard region;
static const ward_h_ctx *volatile cur;

static size_t put_str(char *b, size_t n, size_t cap, const char *s)
{
    while (s && *s && n < cap)
        b[n++] = *s++;
    return n;
}

static size_t put_num(char *b, size_t n, size_t cap, size_t v)
{
    char d[24];
    size_t i = 0;
    do
        d[i++] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    while (i && n < cap)
        b[n++] = d[--i];
    return n;
}

static void on_fault(int sig, siginfo_t *si, void *uc)
{
    char m[512];
    size_t n = 0, cap = sizeof m;
    const ward_h_ctx *c = cur;
    (void)sig;
    (void)uc;
    n = put_str(m, n, cap, "\nward harness: fault in ");
    if (c) {
        n = put_str(m, n, cap, c->id);
        n = put_str(m, n, cap, " [");
        n = put_str(m, n, cap, c->phase);
        n = put_str(m, n, cap, " k=");
        n = put_num(m, n, cap, c->k);
        n = put_str(m, n, cap, "]: ");
    } else {
        n = put_str(m, n, cap, "(outside a parse): ");
    }
    if (ward_guard_in_guard(&region, si->si_addr))
        n = put_str(m, n, cap, "read past the end of the input (guard page)\n");
    else if (ward_guard_in_data(&region, si->si_addr))
        n = put_str(m, n, cap, "write to the read-only input\n");
    else
        n = put_str(m, n, cap, "address outside the input\n");
    if (write(2, m, n) < 0)
        _exit(99);
    /* SA_RESETHAND: returning re-runs the access under the default action. */
}

static void setup(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = (int)(SA_SIGINFO | SA_RESETHAND);
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    cr_assert(ward_guard_init(&region, 1 << 16, 1) == 0, "guard region: mmap failed");
}

/* ---- byte classes, written from RULES.md / ward_spec.h ---- */

static int is_tchar(uint8_t b)
{
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') ||
           (b != 0 && strchr("!#$%&'*+-.^_`|~", b) != NULL);
}

static int is_target_char(uint8_t b)
{
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') ||
           (b != 0 && strchr("-._~!$&'()*+,;=:@/?%[]", b) != NULL);
}

static int is_hexdig(uint8_t b)
{
    return (b >= '0' && b <= '9') || (b >= 'A' && b <= 'F') || (b >= 'a' && b <= 'f');
}

static int is_value_byte(uint8_t b)
{
    return b == ' ' || b == '\t' || (b >= 0x21 && b <= 0x7e) || b >= 0x80;
}

static const char *status_name(ward_status s)
{
    switch (s) {
    case WARD_OK: return "WARD_OK";
    case WARD_AGAIN: return "WARD_AGAIN";
    case WARD_E_EMPTY_LINES: return "WARD_E_EMPTY_LINES";
    case WARD_E_METHOD: return "WARD_E_METHOD";
    case WARD_E_TARGET: return "WARD_E_TARGET";
    case WARD_E_VERSION: return "WARD_E_VERSION";
    case WARD_E_REQUEST_LINE: return "WARD_E_REQUEST_LINE";
    case WARD_E_LINE_END: return "WARD_E_LINE_END";
    case WARD_E_FIELD_NAME: return "WARD_E_FIELD_NAME";
    case WARD_E_FIELD_VALUE: return "WARD_E_FIELD_VALUE";
    case WARD_E_OBS_FOLD: return "WARD_E_OBS_FOLD";
    case WARD_E_REQUEST_LINE_TOO_LONG: return "WARD_E_REQUEST_LINE_TOO_LONG";
    case WARD_E_FIELD_LINE_TOO_LONG: return "WARD_E_FIELD_LINE_TOO_LONG";
    case WARD_E_TOO_MANY_FIELDS: return "WARD_E_TOO_MANY_FIELDS";
    case WARD_E_HEAD_TOO_LARGE: return "WARD_E_HEAD_TOO_LARGE";
    case WARD_E_HOST_MISSING: return "WARD_E_HOST_MISSING";
    case WARD_E_HOST_DUPLICATE: return "WARD_E_HOST_DUPLICATE";
    case WARD_E_HOST_INVALID: return "WARD_E_HOST_INVALID";
    case WARD_E_TARGET_FORM: return "WARD_E_TARGET_FORM";
    case WARD_E_CONNECTION: return "WARD_E_CONNECTION";
    case WARD_E_EXPECTATION: return "WARD_E_EXPECTATION";
    case WARD_E_VERSION_UNSUPPORTED: return "WARD_E_VERSION_UNSUPPORTED";
    case WARD_E_INTERNAL: return "WARD_E_INTERNAL";
    case WARD_E_CONTENT_LENGTH: return "WARD_E_CONTENT_LENGTH";
    case WARD_E_TRANSFER_ENCODING: return "WARD_E_TRANSFER_ENCODING";
    case WARD_E_CHUNK_SIZE: return "WARD_E_CHUNK_SIZE";
    case WARD_E_CHUNK_EXT: return "WARD_E_CHUNK_EXT";
    case WARD_E_CHUNK_DATA: return "WARD_E_CHUNK_DATA";
    case WARD_E_BODY_TOO_LARGE: return "WARD_E_BODY_TOO_LARGE";
    case WARD_E_CHUNK_EXT_TOO_LONG: return "WARD_E_CHUNK_EXT_TOO_LONG";
    case WARD_E_CHUNK_OVERHEAD: return "WARD_E_CHUNK_OVERHEAD";
    case WARD_E_TRAILER_TOO_LARGE: return "WARD_E_TRAILER_TOO_LARGE";
    case WARD_E_TE_WITH_CL: return "WARD_E_TE_WITH_CL";
    case WARD_E_TE_HTTP10: return "WARD_E_TE_HTTP10";
    case WARD_E_CODING_UNSUPPORTED: return "WARD_E_CODING_UNSUPPORTED";
    }
    return NULL;
}

#define SN(s) (status_name(s) ? status_name(s) : "(undefined)")

/* Printable form of bytes for messages; four rotating buffers. */
static const char *esc(const void *p, size_t n)
{
    static char bufs[4][600];
    static unsigned turn;
    char *o = bufs[turn++ % 4];
    const uint8_t *b = p;
    size_t j = 0;
    for (size_t i = 0; i < n && j + 8 < sizeof bufs[0]; i++) {
        if (b[i] >= 0x20 && b[i] < 0x7f && b[i] != '\\')
            o[j++] = (char)b[i];
        else
            j += (size_t)snprintf(o + j, 8, "\\x%02x", b[i]);
    }
    if (j + 8 >= sizeof bufs[0])
        j += (size_t)snprintf(o + j, 8, "...");
    o[j] = 0;
    return o;
}

#define ESPAN(in, s) esc((const uint8_t *)(in) + (s).off, (s).len)

/* ---- helpers ---- */

int ward_h_span_eq(const void *buf, ward_span s, const void *str, size_t n)
{
    return s.len == n && (n == 0 || memcmp((const uint8_t *)buf + s.off, str, n) == 0);
}

int ward_h_span_is(const void *buf, ward_span s, const char *str)
{
    return ward_h_span_eq(buf, s, str, strlen(str));
}

size_t ward_h_vec_len(const struct ward_vector *v)
{
    return v->len ? v->len : strlen(v->input);
}

static uint32_t eff(uint32_t v, uint32_t dflt)
{
    if (v == 0)
        return dflt;
    return v > WARD_LIMIT_CAP ? WARD_LIMIT_CAP : v;
}

uint32_t ward_h_max_head(const ward_parse_opts *o)
{
    return eff(o ? o->max_head : 0, WARD_DEFAULT_MAX_HEAD);
}

uint32_t ward_h_max_request_line(const ward_parse_opts *o)
{
    return eff(o ? o->max_request_line : 0, WARD_DEFAULT_MAX_REQUEST_LINE);
}

static int span_same(ward_span a, ward_span b)
{
    return a.off == b.off && a.len == b.len;
}

static int span_zero(ward_span a)
{
    return a.off == 0 && a.len == 0;
}

static int span_in(ward_span s, uint64_t lo, uint64_t hi)
{
    return s.off >= lo && (uint64_t)s.off + s.len <= hi;
}

int ward_h_same(const ward_h_result *a, const ward_h_result *b)
{
    const ward_request *x = &a->req, *y = &b->req;
    if (a->st != b->st || a->nfields != b->nfields)
        return 0;
    if (!span_same(x->method, y->method) || !span_same(x->target, y->target) ||
        !span_same(x->path, y->path) || !span_same(x->query, y->query) ||
        !span_same(x->host, y->host))
        return 0;
    if (x->head_len != y->head_len || x->nlines != y->nlines || x->ndropped != y->ndropped ||
        x->flags != y->flags || x->version != y->version || x->form != y->form)
        return 0;
    for (size_t i = 0; i < a->nfields && i < WARD_H_MAX_FIELDS; i++)
        if (!span_same(a->fields[i].name, b->fields[i].name) ||
            !span_same(a->fields[i].value, b->fields[i].value))
            return 0;
    return 1;
}

void ward_h_assert_same(const ward_h_ctx *c, const ward_h_result *want, const ward_h_result *got)
{
    CHECK(c, ward_h_same(want, got),
          "differs from the at-once parse: status %s vs %s, head_len %u vs %u, nfields %zu vs "
          "%zu, flags 0x%x vs 0x%x, nlines %u vs %u",
          SN(got->st), SN(want->st), got->req.head_len, want->req.head_len, got->nfields,
          want->nfields, got->req.flags, want->req.flags, got->req.nlines, want->req.nlines);
}

/* ---- the per-call invariants ---- */

static void check_reset(const ward_h_ctx *c, const ward_h_result *r)
{
    const ward_request *q = &r->req;
    /* Expectation (ward_parse.h: "every member is reset on entry"): a
     * result other than WARD_OK leaves *req all zero and *nfields 0. */
    CHECK(c, r->nfields == 0, "%s but *nfields = %zu (expected 0)", SN(r->st), r->nfields);
    CHECK(c,
          span_zero(q->method) && span_zero(q->target) && span_zero(q->path) &&
              span_zero(q->query) && span_zero(q->host) && q->head_len == 0 &&
              q->nlines == 0 && q->ndropped == 0 && q->flags == 0 && q->version == 0 &&
              q->form == 0,
          "%s but *req is not reset to zero (head_len %u, flags 0x%x, method %u+%u)",
          SN(r->st), q->head_len, q->flags, q->method.off, q->method.len);
}

static int name_is_host(const uint8_t *b, ward_span s)
{
    static const char h[] = "host";
    if (s.len != 4)
        return 0;
    for (size_t i = 0; i < 4; i++) {
        uint8_t x = b[s.off + i];
        if ((x >= 'A' && x <= 'Z' ? x + 32 : x) != h[i])
            return 0;
    }
    return 1;
}

static void check_field(const ward_h_ctx *c, const uint8_t *b, const ward_field *f, size_t i,
                        uint32_t hl, int folded)
{
    CHECK(c, span_in(f->name, 0, hl) && span_in(f->value, 0, hl),
          "field %zu span outside the head (%u)", i, hl);
    CHECK(c, f->name.len > 0, "field %zu: empty name", i);
    for (uint32_t j = 0; j < f->name.len; j++)
        CHECK(c, is_tchar(b[f->name.off + j]), "field %zu: name byte 0x%02x not a tchar", i,
              b[f->name.off + j]);
    if (f->value.len == 0)
        return;
    uint8_t first = b[f->value.off], last = b[f->value.off + f->value.len - 1];
    CHECK(c, first != ' ' && first != '\t' && last != ' ' && last != '\t',
          "field %zu: value not OWS-trimmed: \"%s\"", i, ESPAN(b, f->value));
    for (uint32_t j = 0; j < f->value.len; j++) {
        uint8_t x = b[f->value.off + j];
        CHECK(c, is_value_byte(x) || (folded && (x == '\r' || x == '\n')),
              "field %zu: value byte 0x%02x not allowed", i, x);
    }
}

static void check_ok(const ward_h_ctx *c, const uint8_t *b, size_t len, size_t cap,
                     const ward_h_result *r)
{
    const ward_request *q = &r->req;
    uint32_t hl = q->head_len;
    CHECK(c, hl > 0 && hl <= len, "head_len %u not in 1..len %zu", hl, len);
    CHECK(c, r->nfields <= cap, "*nfields %zu over the capacity %zu", r->nfields, cap);
    CHECK(c, q->version <= 1, "version %u", q->version);
    CHECK(c, q->form >= WARD_FORM_ORIGIN && q->form <= WARD_FORM_ASTERISK, "form %u", q->form);
    CHECK(c, (q->flags & ~0x1FFu) == 0, "undefined flag bits 0x%x", q->flags);
    CHECK(c,
          span_in(q->method, 0, hl) && span_in(q->target, 0, hl) && span_in(q->path, 0, hl) &&
              span_in(q->query, 0, hl) && span_in(q->host, 0, hl),
          "a request span lies outside the head (%u)", hl);
    uint32_t lead = 0;
    if (q->flags & WARD_REQ_EMPTY_LINE)
        lead = b[0] == '\n' ? 1 : 2;
    CHECK(c, q->method.off == lead && q->method.len > 0, "method at %u+%u, expected at %u",
          q->method.off, q->method.len, lead);
    for (uint32_t j = 0; j < q->method.len; j++)
        CHECK(c, is_tchar(b[q->method.off + j]), "method byte not a tchar");
    CHECK(c, q->target.off == q->method.off + q->method.len + 1 && q->target.len > 0,
          "target at %u+%u not one SP after the method", q->target.off, q->target.len);
    int has_q = 0;
    for (uint32_t j = 0; j < q->target.len; j++) {
        CHECK(c, is_target_char(b[q->target.off + j]), "target byte 0x%02x",
              b[q->target.off + j]);
        has_q |= b[q->target.off + j] == '?';
    }
    CHECK(c, !!(q->flags & WARD_REQ_QUERY) == has_q, "WARD_REQ_QUERY is %d, '?' in target %d",
          !!(q->flags & WARD_REQ_QUERY), has_q);
    /* pct-encoded (RFC 3986 §2.1): every '%' followed by two HEXDIG in the target */
    for (uint32_t j = 0; j < q->target.len; j++) {
        if (b[q->target.off + j] == '%')
            CHECK(c, q->target.len - j >= 3 && is_hexdig(b[q->target.off + j + 1]) &&
                         is_hexdig(b[q->target.off + j + 2]),
                  "target '%%' at %u not followed by two hex digits", j);
    }
    /* "HTTP/1." DIGIT after the target's SP: version 0 for 1.0, else 1 */
    uint32_t v = q->target.off + q->target.len + 1;
    CHECK(c, v + 8 <= hl && memcmp(b + v, "HTTP/1.", 7) == 0 && b[v + 7] >= '0' && b[v + 7] <= '9' &&
                 q->version == (b[v + 7] == '0' ? 0 : 1),
          "version %u for \"%s\"", q->version, v + 8 <= hl ? esc((const char *)b + v, 8) : "");
    uint64_t t0 = q->target.off, t1 = t0 + q->target.len;
    CHECK(c, q->path.len == 0 || span_in(q->path, t0, t1), "path outside the target");
    CHECK(c, q->query.len == 0 || span_in(q->query, t0, t1), "query outside the target");
    CHECK(c, q->ndropped <= q->nlines, "ndropped %u > nlines %u", q->ndropped, q->nlines);
    int folded = !!(q->flags & WARD_REQ_OBS_FOLD);
    if (!folded)
        CHECK(c, r->nfields + q->ndropped == q->nlines, "nfields %zu + ndropped %u != nlines %u",
              r->nfields, q->ndropped, q->nlines);
    int host_is_field = 0;
    for (size_t i = 0; i < r->nfields; i++) {
        check_field(c, b, &r->fields[i], i, hl, folded);
        if (name_is_host(b, r->fields[i].name) && span_same(r->fields[i].value, q->host))
            host_is_field = 1;
    }
    if (q->host.len > 0) {
        int in_target = span_in(q->host, t0, t1);
        if (q->form == WARD_FORM_ABSOLUTE || q->form == WARD_FORM_AUTHORITY)
            CHECK(c, in_target, "host is not the target's authority");
        else
            CHECK(c, host_is_field, "host is not the value of a Host field");
    }
}

ward_status ward_h_parse(const ward_h_ctx *c, const void *in, size_t len, size_t prev_len,
                         const ward_parse_opts *opts, size_t cap, ward_h_result *out)
{
    setup();
    CHECK(c, cap <= WARD_H_MAX_FIELDS, "harness capacity %zu too large", cap);
    uint8_t *buf = ward_guard_put(&region, in, len);
    CHECK(c, buf != NULL, "guard region: mmap failed for %zu bytes", len);
    memset(&out->req, 0xA5, sizeof out->req);
    memset(out->fields, 0xA5, sizeof out->fields);
    out->nfields = cap;
    cur = c;
    ward_status st = ward_parse_request(buf, len, prev_len, opts, &out->req, out->fields,
                                        &out->nfields);
    cur = NULL;
    out->st = st;
    CHECK(c, len == 0 || memcmp(buf, in, len) == 0, "the parser wrote to its input");
    CHECK(c, status_name(st) != NULL, "undefined result %d", (int)st);
    CHECK(c, st != WARD_E_INTERNAL, "WARD_E_INTERNAL");
    if (st != WARD_OK)
        check_reset(c, out);
    else
        check_ok(c, buf, len, cap, out);
    return st;
}

/* ---- one vector ---- */

#define VSTR(name)                                                                        \
    if (v->name)                                                                          \
    CHECK(c, ward_h_span_is(in, q->name, v->name), #name " is \"%s\", expected \"%s\"",   \
          ESPAN(in, q->name), esc(v->name, strlen(v->name)))

void ward_h_check_vector(const ward_h_ctx *c, const struct ward_vector *v, const void *in,
                         const ward_h_result *r)
{
    const ward_request *q = &r->req;
    CHECK(c, r->st == v->expect, "expected %s, got %s", SN(v->expect), SN(r->st));
    if (v->expect != WARD_OK)
        return;
    VSTR(method);
    VSTR(target);
    VSTR(path);
    VSTR(query);
    VSTR(host);
    CHECK(c, q->version == v->version, "version 1.%u, expected 1.%u", q->version, v->version);
    CHECK(c, q->form == v->form, "form %u, expected %u", q->form, v->form);
    CHECK(c, q->flags == v->req_flags, "flags 0x%x, expected 0x%x", q->flags, v->req_flags);
    uint32_t hl = v->head_len ? v->head_len : (uint32_t)ward_h_vec_len(v);
    CHECK(c, q->head_len == hl, "head_len %u, expected %u", q->head_len, hl);
    CHECK(c, r->nfields == v->nfields, "nfields %zu, expected %zu", r->nfields, v->nfields);
    for (size_t i = 0; i < v->nfields && i < WARD_VEC_MAX_FIELDS; i++) {
        const ward_field *f = &r->fields[i];
        const struct ward_vec_field *w = &v->fields[i];
        if (w->name)
            CHECK(c, ward_h_span_is(in, f->name, w->name),
                  "field %zu name \"%s\", expected \"%s\"", i, ESPAN(in, f->name),
                  esc(w->name, strlen(w->name)));
        if (w->value)
            CHECK(c, ward_h_span_is(in, f->value, w->value),
                  "field %zu value \"%s\", expected \"%s\"", i, ESPAN(in, f->value),
                  esc(w->value, strlen(w->value)));
    }
}

/* An end of head whose last byte is at index >= k: the hint must see it. */
static int end_in_new_bytes(const uint8_t *b, size_t n, size_t k, uint32_t flags)
{
    for (size_t j = 0; j + 2 <= n; j++) {
        if (j + 4 <= n && j + 3 >= k && memcmp(b + j, "\r\n\r\n", 4) == 0)
            return 1;
        if (!(flags & WARD_PARSE_LENIENT_BARE_LF))
            continue;
        if (j + 1 >= k && memcmp(b + j, "\n\n", 2) == 0)
            return 1;
        if (j + 3 <= n && j + 2 >= k && memcmp(b + j, "\n\r\n", 3) == 0)
            return 1;
    }
    return 0;
}

static ward_h_result full, part;

void ward_h_run(const struct ward_vector *v, unsigned modes)
{
    const uint8_t *in = (const uint8_t *)v->input;
    size_t n = ward_h_vec_len(v);
    ward_h_ctx c = {v->id, "at-once", n};
    ward_h_parse(&c, in, n, 0, &v->opts, WARD_H_MAX_FIELDS, &full);
    ward_h_check_vector(&c, v, in, &full);
    if (!(modes & (WARD_H_BYTEWISE | WARD_H_SPLITS)) || n < 2)
        return;

    uint8_t *pre = calloc(n, 1); /* 1: prefix k gave WARD_AGAIN */
    cr_assert(pre != NULL);
    size_t hl = v->expect == WARD_OK ? full.req.head_len : n;
    int seen = 0;
    c.phase = "bytewise";
    for (size_t k = 1; k < n; k++) {
        c.k = k;
        ward_status st = ward_h_parse(&c, in, k, 0, &v->opts, WARD_H_MAX_FIELDS, &part);
        pre[k] = st == WARD_AGAIN;
        if (v->expect == WARD_OK && k < hl) {
            CHECK(&c, st == WARD_AGAIN, "strict prefix of the head gave %s", SN(st));
        } else if (v->expect == WARD_OK) {
            ward_h_assert_same(&c, &full, &part);
        } else {
            CHECK(&c, st == WARD_AGAIN || st == v->expect, "prefix gave %s, expected %s or AGAIN",
                  SN(st), SN(v->expect));
            CHECK(&c, !seen || st == v->expect, "prefix gave %s after an earlier %s", SN(st),
                  SN(v->expect));
            seen |= st == v->expect;
        }
    }

    if (modes & WARD_H_SPLITS) {
        c.phase = "split";
        int must_rl = v->expect == WARD_E_REQUEST_LINE_TOO_LONG;
        int over = n > ward_h_max_head(&v->opts);
        for (size_t k = 1; k < n; k++) {
            if (!pre[k])
                continue;
            c.k = k;
            ward_h_parse(&c, in, n, k, &v->opts, WARD_H_MAX_FIELDS, &part);
            if (v->expect == WARD_OK || v->expect == WARD_AGAIN || must_rl || over ||
                end_in_new_bytes(in, n, k, v->opts.flags))
                ward_h_assert_same(&c, &full, &part);
            else
                CHECK(&c, part.st == WARD_AGAIN || ward_h_same(&full, &part),
                      "hinted parse gave %s, expected %s or AGAIN (deferred)", SN(part.st),
                      SN(v->expect));
        }
    }
    free(pre);
}
