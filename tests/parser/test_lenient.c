/* SPDX-License-Identifier: MIT */
/* test_lenient.c - each leniency flag off and on over the same inputs
 * (RULES.md; ward_parse.h WARD_PARSE_*), ward_unfold(), and the counts of
 * the underscore-dropping reader. Every parse goes through the harness
 * (guard page, invariants); the "both" cases run all three modes. */
#include <criterion/criterion.h>
#include <string.h>

#include "guard.h"
#include "harness.h"

#define H (WARD_REQ_HOST | WARD_REQ_HOST_FIELD)

static ward_h_result r;

static ward_status parse(const char *id, const char *in, size_t n, uint32_t flags)
{
    ward_parse_opts o = {.flags = flags};
    ward_h_ctx c = {id, "lenient", n};
    return ward_h_parse(&c, in, n, 0, &o, WARD_H_MAX_FIELDS, &r);
}

static int field_is(const char *in, size_t i, const char *name, const char *value)
{
    return i < r.nfields && ward_h_span_is(in, r.fields[i].name, name) &&
           ward_h_span_is(in, r.fields[i].value, value);
}

/* The same input strict (flag off: err) and lenient (flag on: v). */
static void off_on(const struct ward_vector *v, uint32_t flag, ward_status err)
{
    struct ward_vector off = {.id = v->id, .input = v->input, .len = v->len, .opts = v->opts,
                              .expect = err};
    off.opts.flags &= ~flag;
    ward_h_run(&off, WARD_H_ALL);
    struct ward_vector on = *v;
    on.opts.flags |= flag;
    ward_h_run(&on, WARD_H_ALL);
}

/* ---- bare LF ---- */

Test(lenient, bare_lf)
{
    static const struct ward_vector vs[] = {
        {.id = "lf-all", .input = "GET / HTTP/1.1\nHost: a\nX: b\n\n", .expect = WARD_OK,
         .method = "GET", .target = "/", .host = "a", .version = 1, .form = WARD_FORM_ORIGIN,
         .req_flags = H, .nfields = 2, .fields = {{"Host", "a"}, {"X", "b"}}},
        {.id = "lf-lead", .input = "\nGET / HTTP/1.0\r\n\r\n", .expect = WARD_OK,
         .method = "GET", .host = "", .form = WARD_FORM_ORIGIN, .req_flags = WARD_REQ_EMPTY_LINE},
        {.id = "lf-field-only", .input = "GET / HTTP/1.1\r\nHost: a\n\r\n", .expect = WARD_OK,
         .host = "a", .version = 1, .form = WARD_FORM_ORIGIN, .req_flags = H, .nfields = 1,
         .fields = {{"Host", "a"}}},
        {.id = "lf-final-only", .input = "GET / HTTP/1.1\r\nHost: a\r\n\n", .expect = WARD_OK,
         .host = "a", .version = 1, .form = WARD_FORM_ORIGIN, .req_flags = H, .nfields = 1,
         .fields = {{"Host", "a"}}},
        {.id = "lf-body-after", .input = "POST / HTTP/1.0\nX: y\n\nBODY", .expect = WARD_OK,
         .method = "POST", .host = "", .form = WARD_FORM_ORIGIN, .head_len = 22, .nfields = 1,
         .fields = {{"X", "y"}}},
        {.id = "lf-empty-value", .input = "GET / HTTP/1.0\nX:\n\n", .expect = WARD_OK,
         .form = WARD_FORM_ORIGIN, .nfields = 1, .fields = {{"X", ""}}},
    };
    for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++)
        off_on(&vs[i], WARD_PARSE_LENIENT_BARE_LF, WARD_E_LINE_END);
}

/* A CR not followed by LF is an error with or without the flag. */
Test(lenient, bare_cr_never)
{
    static const char *in[] = {"GET / HTTP/1.1\rHost: a\r\n\r\n",
                               "GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n",
                               "GET / HTTP/1.1\r\nHost: a\r\n\rX", "\rGET / HTTP/1.0\r\n\r\n"};
    for (size_t i = 0; i < 4; i++) {
        cr_assert_eq(parse("cr", in[i], strlen(in[i]), 0), WARD_E_LINE_END, "input %zu", i);
        cr_assert_eq(parse("cr", in[i], strlen(in[i]), WARD_PARSE_FLAGS_ALL), WARD_E_LINE_END,
                     "input %zu", i);
    }
}

/* ---- obs-fold and ward_unfold() ---- */

Test(lenient, obs_fold)
{
    static const struct ward_vector vs[] = {
        {.id = "fold-one", .input = "GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n",
         .expect = WARD_OK, .host = "a", .version = 1, .form = WARD_FORM_ORIGIN,
         .req_flags = H | WARD_REQ_OBS_FOLD, .nfields = 2,
         .fields = {{"Host", "a"}, {"X", "a\r\n b"}}},
        {.id = "fold-htab-two", .input = "GET / HTTP/1.0\r\nX: a\r\n\tb\r\n  c\r\nY: d\r\n\r\n",
         .expect = WARD_OK, .form = WARD_FORM_ORIGIN, .req_flags = WARD_REQ_OBS_FOLD,
         .nfields = 2, .fields = {{"X", "a\r\n\tb\r\n  c"}, {"Y", "d"}}},
        {.id = "fold-ows", .input = "GET / HTTP/1.0\r\nX:\ta \t\r\n \t b \r\n\r\n",
         .expect = WARD_OK, .form = WARD_FORM_ORIGIN, .req_flags = WARD_REQ_OBS_FOLD,
         .nfields = 1, .fields = {{"X", "a \t\r\n \t b"}}},
    };
    for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++)
        off_on(&vs[i], WARD_PARSE_LENIENT_OBS_FOLD, WARD_E_OBS_FOLD);
    /* without a fold the flag changes nothing, and no value holds CR/LF */
    const char *plain = "GET / HTTP/1.1\r\nHost: a\r\nX: b\r\n\r\n";
    cr_assert_eq(parse("fold-none", plain, strlen(plain), WARD_PARSE_LENIENT_OBS_FOLD), WARD_OK);
    cr_assert_eq(r.req.flags, H);
}

/* The folded value, unfolded in a writable copy ending at a guard page. */
static void unfold_case(const char *in, uint32_t flags, size_t field, const char *want)
{
    size_t n = strlen(in);
    cr_assert_eq(parse("unfold", in, n, flags), WARD_OK, "%s", in);
    cr_assert(r.req.flags & WARD_REQ_OBS_FOLD);
    ward_span v = r.fields[field].value;
    /* copy only up to the end of the value: a write or read past it faults */
    size_t upto = (size_t)v.off + v.len;
    uint8_t *b = ward_guard_copy(in, upto);
    cr_assert(b != NULL);
    ward_unfold(b, upto, v);
    cr_assert(memcmp(b + v.off, want, v.len) == 0 && strlen(want) == v.len,
              "unfolded \"%.*s\", want \"%s\"", (int)v.len, (const char *)b + v.off, want);
    cr_assert(memcmp(b, in, v.off) == 0, "ward_unfold wrote before the value");
    ward_guard_free(b, upto);
}

Test(lenient, unfold)
{
    unfold_case("GET / HTTP/1.0\r\nX: a\r\n b\r\n\r\n", WARD_PARSE_LENIENT_OBS_FOLD, 0, "a   b");
    unfold_case("GET / HTTP/1.0\r\nX: a\r\n\tb\r\n c\r\nY: z\r\n\r\n",
                WARD_PARSE_LENIENT_OBS_FOLD, 0, "a  \tb   c");
    unfold_case("GET / HTTP/1.0\nX: a\n b\n\n",
                WARD_PARSE_LENIENT_OBS_FOLD | WARD_PARSE_LENIENT_BARE_LF, 0, "a  b");
    /* a span without CR/LF is left as it is; an empty span touches nothing */
    uint8_t buf[] = "a\tb c";
    ward_unfold(buf, 5, (ward_span){0, 5});
    cr_assert(memcmp(buf, "a\tb c", 5) == 0);
    uint8_t crlf[] = "\r\n\r\n";
    ward_unfold(crlf, 4, (ward_span){1, 0});
    cr_assert(memcmp(crlf, "\r\n\r\n", 4) == 0);
    ward_unfold(crlf, 4, (ward_span){1, 2});
    cr_assert(memcmp(crlf, "\r  \n", 4) == 0);
}

/* Reading: a folded field is one field line (RFC 9112 §5.2: obs-fold is
 * part of the field value), so nlines counts it once. */
Test(lenient, q_fold_counts_one_line)
{
    const char *in = "GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n c\r\n\r\n";
    cr_assert_eq(parse("fold-nlines", in, strlen(in), WARD_PARSE_LENIENT_OBS_FOLD), WARD_OK);
    cr_assert_eq(r.nfields, 2);
    cr_assert_eq(r.req.nlines, 2, "nlines %u", r.req.nlines);
}

/* ---- whitespace before the colon ---- */

Test(lenient, ws_before_colon)
{
    static const struct ward_vector vs[] = {
        {.id = "ws-sp", .input = "GET / HTTP/1.1\r\nHost : a\r\n\r\n", .expect = WARD_OK,
         .host = "a", .version = 1, .form = WARD_FORM_ORIGIN, .req_flags = H, .nfields = 1,
         .fields = {{"Host", "a"}}},
        {.id = "ws-mixed", .input = "GET / HTTP/1.0\r\nX \t \t: b\r\nY\t:c\r\n\r\n",
         .expect = WARD_OK, .form = WARD_FORM_ORIGIN, .nfields = 2,
         .fields = {{"X", "b"}, {"Y", "c"}}},
        {.id = "ws-connection", .input = "GET / HTTP/1.0\r\nConnection : close\r\n\r\n",
         .expect = WARD_OK, .form = WARD_FORM_ORIGIN, .req_flags = WARD_REQ_CONN_CLOSE,
         .nfields = 1, .fields = {{"Connection", "close"}}},
    };
    for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++)
        off_on(&vs[i], WARD_PARSE_LENIENT_WS_BEFORE_COLON, WARD_E_FIELD_NAME);
    /* a Host with whitespace before its colon is still the Host */
    const char *dup = "GET / HTTP/1.1\r\nHost: a\r\nHost\t: b\r\n\r\n";
    cr_assert_eq(parse("ws-dup", dup, strlen(dup), WARD_PARSE_LENIENT_WS_BEFORE_COLON),
                 WARD_E_HOST_DUPLICATE);
    /* the flag does not allow an empty name or a line starting with SP */
    const char *empty = "GET / HTTP/1.0\r\n : b\r\n\r\n";
    cr_assert_eq(parse("ws-empty", empty, strlen(empty), WARD_PARSE_LENIENT_WS_BEFORE_COLON),
                 WARD_E_FIELD_NAME);
    const char *noname = "GET / HTTP/1.0\r\nX: a\r\n\t: b\r\n\r\n";
    cr_assert_eq(parse("ws-noname", noname, strlen(noname), WARD_PARSE_LENIENT_WS_BEFORE_COLON),
                 WARD_E_OBS_FOLD);
}

/* ---- dropping names with '_' ---- */

Test(lenient, drop_underscore_counts)
{
    const char *in = "GET / HTTP/1.1\r\nHost: a\r\nX_A: 1\r\nB: 2\r\n_C: 3\r\nD_: 4\r\n\r\n";
    size_t n = strlen(in);
    cr_assert_eq(parse("drop-off", in, n, 0), WARD_OK);
    cr_assert_eq(r.nfields, 5);
    cr_assert_eq(r.req.nlines, 5);
    cr_assert_eq(r.req.ndropped, 0);
    cr_assert(field_is(in, 1, "X_A", "1") && field_is(in, 3, "_C", "3"));
    cr_assert_eq(parse("drop-on", in, n, WARD_PARSE_DROP_UNDERSCORE), WARD_OK);
    cr_assert_eq(r.nfields, 2);
    cr_assert_eq(r.req.nlines, 5);
    cr_assert_eq(r.req.ndropped, 3);
    cr_assert(field_is(in, 0, "Host", "a") && field_is(in, 1, "B", "2"));
    cr_assert_eq(r.req.head_len, n);
}

/* A dropped field has no effect: it is not Host, Connection or Expect,
 * even when its name would read as one with '_' taken for '-'. */
Test(lenient, drop_underscore_no_effect)
{
    static const struct {
        const char *in;
        ward_status off, on;
        uint16_t flags_on;
    } cs[] = {
        {"GET / HTTP/1.1\r\nHost: a\r\nContent_Length: 5\r\n\r\n", WARD_OK, WARD_OK, H},
        {"GET / HTTP/1.1\r\nHost: a\r\nHost_x: [bad\r\n\r\n", WARD_OK, WARD_OK, H},
        {"GET / HTTP/1.1\r\nHost_x: a\r\n\r\n", WARD_E_HOST_MISSING, WARD_E_HOST_MISSING, 0},
        {"GET / HTTP/1.0\r\nConnection_: close\r\n\r\n", WARD_OK, WARD_OK, 0},
        {"GET / HTTP/1.0\r\nExpect_: nope\r\n\r\n", WARD_OK, WARD_OK, 0},
        {"GET / HTTP/1.0\r\nConn_ection: a b\r\n\r\n", WARD_OK, WARD_OK, 0},
    };
    for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++) {
        size_t n = strlen(cs[i].in);
        cr_assert_eq(parse("drop-effect-off", cs[i].in, n, 0), cs[i].off, "case %zu", i);
        cr_assert_eq(parse("drop-effect-on", cs[i].in, n, WARD_PARSE_DROP_UNDERSCORE), cs[i].on,
                     "case %zu", i);
        if (cs[i].on != WARD_OK)
            continue;
        cr_assert_eq(r.req.flags, cs[i].flags_on, "case %zu: flags 0x%x", i, r.req.flags);
        cr_assert_eq(r.req.ndropped, 1, "case %zu", i);
        for (size_t f = 0; f < r.nfields; f++)
            cr_assert(memchr(cs[i].in + r.fields[f].name.off, '_', r.fields[f].name.len) == NULL,
                      "case %zu: a name with '_' was kept", i);
    }
}

/* Dropped lines still count toward the head limit. */
Test(lenient, drop_underscore_head_limit)
{
    const char *in = "GET / HTTP/1.0\r\nX_Y: 12345\r\n\r\n";
    size_t n = strlen(in);
    ward_parse_opts o = {.flags = WARD_PARSE_DROP_UNDERSCORE, .max_head = (uint32_t)n};
    ward_h_ctx c = {"drop-head", "lenient", n};
    cr_assert_eq(ward_h_parse(&c, in, n, 0, &o, 8, &r), WARD_OK);
    o.max_head = (uint32_t)n - 1;
    cr_assert_eq(ward_h_parse(&c, in, n, 0, &o, 8, &r), WARD_E_HEAD_TOO_LARGE);
}

/* ---- all at once ---- */

Test(lenient, all_flags_together)
{
    static const struct ward_vector v = {
        .id = "all-flags",
        .input = "\nGET / HTTP/1.1\nHost : a\nX_Y: 1\nZ: a\n b\n\n",
        .opts = {.flags = WARD_PARSE_FLAGS_ALL},
        .expect = WARD_OK, .method = "GET", .target = "/", .path = "/", .query = "",
        .host = "a", .version = 1, .form = WARD_FORM_ORIGIN,
        .req_flags = H | WARD_REQ_EMPTY_LINE | WARD_REQ_OBS_FOLD,
        .nfields = 2, .fields = {{"Host", "a"}, {"Z", "a\n b"}}};
    ward_h_run(&v, WARD_H_ALL);
    cr_assert_eq(parse("all-flags", v.input, strlen(v.input), WARD_PARSE_FLAGS_ALL), WARD_OK);
    cr_assert_eq(r.req.ndropped, 1);
    /* each flag alone is not enough */
    const uint32_t each[] = {WARD_PARSE_LENIENT_BARE_LF, WARD_PARSE_LENIENT_OBS_FOLD,
                             WARD_PARSE_LENIENT_WS_BEFORE_COLON, WARD_PARSE_DROP_UNDERSCORE};
    for (int i = 0; i < 4; i++)
        cr_assert_neq(parse("all-minus-one", v.input, strlen(v.input),
                            WARD_PARSE_FLAGS_ALL & ~each[i]) == WARD_OK &&
                          r.nfields == 2,
                      1, "flag 0x%x not needed?", each[i]);
}
