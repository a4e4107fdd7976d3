/* SPDX-License-Identifier: MIT */
/* test_limits.c - each limit at exactly its value (OK) and one byte over
 * (its error), the defaults, 0 meaning default, clamping at WARD_LIMIT_CAP,
 * precedence, and the prompt 414 (RULES.md "Limits", "Length"). */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* ---- a growable byte buffer ---- */

typedef struct sb {
    char *p;
    size_t n, cap;
} sb;

static void sb_grow(sb *b, size_t more)
{
    if (b->n + more + 1 <= b->cap)
        return;
    b->cap = (b->n + more + 1) * 2;
    b->p = realloc(b->p, b->cap);
    cr_assert(b->p != NULL, "out of memory");
}

static void sb_add(sb *b, const char *s, size_t n)
{
    sb_grow(b, n);
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

static void sb_str(sb *b, const char *s) { sb_add(b, s, strlen(s)); }

static void sb_rep(sb *b, char c, size_t n)
{
    sb_grow(b, n);
    memset(b->p + b->n, c, n);
    b->n += n;
    b->p[b->n] = 0;
}

static void sb_free(sb *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

/* "GET /aaa HTTP/1.0\r\n": a request line of exactly len bytes (>= 16). */
static void rl_line(sb *b, size_t len)
{
    cr_assert(len >= 16);
    sb_str(b, "GET /");
    sb_rep(b, 'a', len - 16);
    sb_str(b, " HTTP/1.0\r\n");
}

/* "Xnnnn: vvv\r\n": a field line of exactly len bytes (>= 9). */
static void field_line(sb *b, unsigned idx, size_t len)
{
    char name[16];
    cr_assert(len >= 9 && idx < 10000);
    name[0] = 'X';
    for (int i = 4; i >= 1; i--, idx /= 10)
        name[i] = (char)('0' + idx % 10);
    sb_add(b, name, 5);
    sb_str(b, ": ");
    sb_rep(b, 'v', len - 9);
    sb_str(b, "\r\n");
}

/* A complete HTTP/1.0 head of exactly total bytes: request line
 * "GET / HTTP/1.0\r\n", field lines of at most 8000 bytes, final CRLF. */
static void head_of(sb *b, size_t total)
{
    size_t rest = total - 18;
    cr_assert(total >= 18);
    sb_str(b, "GET / HTTP/1.0\r\n");
    for (unsigned i = 0; rest > 0; i++) {
        size_t take = rest <= 8000 ? rest : rest - 8000 < 9 ? 7000 : 8000;
        cr_assert(take >= 9, "head_of: %zu bytes left over", rest);
        field_line(b, i, take);
        rest -= take;
    }
    sb_str(b, "\r\n");
}

/* The number of field lines head_of(total) makes. */
static size_t head_fields(size_t total)
{
    size_t rest = total - 18, n = 0;
    while (rest > 0) {
        rest -= rest <= 8000 ? rest : rest - 8000 < 9 ? 7000 : 8000;
        n++;
    }
    return n;
}

/* The whole input through the harness modes; on WARD_OK the builders'
 * shape is checked: GET, origin-form, HTTP/1.0, no Host, nf fields. */
static void run(const char *id, const sb *b, ward_parse_opts o, ward_status want, unsigned modes,
                size_t nf)
{
    struct ward_vector v = {.id = id, .input = b->p, .len = b->n, .opts = o, .expect = want};
    v.method = "GET";
    v.host = "";
    v.form = WARD_FORM_ORIGIN;
    v.head_len = (uint32_t)b->n;
    v.nfields = nf;
    ward_h_run(&v, modes);
}

static ward_h_result res;

static ward_status parse(const char *id, const void *p, size_t n, const ward_parse_opts *o,
                         size_t cap)
{
    ward_h_ctx c = {id, "limits", n};
    return ward_h_parse(&c, p, n, 0, o, cap, &res);
}

/* ---- request line: 414 ---- */

Test(limits, request_line_exact_and_over)
{
    for (size_t L = 16; L <= 120; L += 13) {
        sb b = {0};
        ward_parse_opts o = {.max_request_line = (uint32_t)L};
        rl_line(&b, L);
        sb_str(&b, "\r\n");
        run("rl-exact", &b, o, WARD_OK, WARD_H_ALL, 0);
        sb_free(&b);
        rl_line(&b, L + 1);
        sb_str(&b, "\r\n");
        run("rl-over", &b, o, WARD_E_REQUEST_LINE_TOO_LONG, WARD_H_ALL, 0);
        sb_free(&b);
    }
}

Test(limits, request_line_default)
{
    sb b = {0};
    rl_line(&b, WARD_DEFAULT_MAX_REQUEST_LINE);
    sb_str(&b, "\r\n");
    run("rl-default-exact", &b, (ward_parse_opts){0}, WARD_OK, WARD_H_AT_ONCE, 0);
    cr_assert_eq(parse("rl-default-exact-null", b.p, b.n, NULL, 8), WARD_OK);
    sb_free(&b);
    rl_line(&b, WARD_DEFAULT_MAX_REQUEST_LINE + 1);
    sb_str(&b, "\r\n");
    run("rl-default-over", &b, (ward_parse_opts){0}, WARD_E_REQUEST_LINE_TOO_LONG,
        WARD_H_AT_ONCE, 0);
    cr_assert_eq(parse("rl-default-over-null", b.p, b.n, NULL, 8),
                 WARD_E_REQUEST_LINE_TOO_LONG);
    sb_free(&b);
}

/* 414 as soon as max_request_line bytes arrived without a line end. */
static void prompt_414(const char *id, const char *line, size_t L, const ward_parse_opts *o)
{
    size_t n = strlen(line);
    cr_assert(n > L);
    for (size_t k = 1; k < L; k++)
        cr_assert_eq(parse(id, line, k, o, 8), WARD_AGAIN, "%s: %zu of %zu bytes", id, k, L);
    for (size_t k = L; k <= n; k++)
        cr_assert_eq(parse(id, line, k, o, 8), WARD_E_REQUEST_LINE_TOO_LONG,
                     "%s: 414 expected with %zu bytes (limit %zu)", id, k, L);
}

Test(limits, request_line_prompt)
{
    ward_parse_opts o = {.max_request_line = 24};
    /* no CR yet */
    prompt_414("prompt-target", "GET /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 24, &o);
    /* the limit falls inside the version */
    prompt_414("prompt-version", "GET /aaaaaaaaaaaaa HTTP/1.1\r\nHost: a\r\n\r\n", 24, &o);
    /* the 24th byte is the CR: the line with its CRLF is 25 bytes */
    prompt_414("prompt-cr", "GET /aaaaaaaaa HTTP/1.1\r\nHost: a\r\n\r\n", 24, &o);
    /* a bad byte after the window does not hide the 414 */
    prompt_414("prompt-bad-after", "GET /aaaaaaaaaaaaaaaaaaa\x01 HTTP/1.1\r\n", 24, &o);
    /* the 24th byte is the LF: the line fits, the head is incomplete */
    const char *fit = "GET /aaaaaaaa HTTP/1.1\r\nHost: a\r\n\r\n";
    cr_assert_eq(parse("prompt-fits", fit, 24, &o, 8), WARD_AGAIN);
    cr_assert_eq(parse("prompt-fits", fit, strlen(fit), &o, 8), WARD_OK);
    /* a bad byte inside the window is reported, not the 414 */
    cr_assert_eq(parse("prompt-bad-first", "GET /a\x01" "aaaaaaaaaaaaaaaaaaaaaaaaaaa", 30, &o, 8),
                 WARD_E_TARGET);
}

Test(limits, request_line_prompt_default)
{
    sb b = {0};
    sb_str(&b, "GET /");
    sb_rep(&b, 'a', WARD_DEFAULT_MAX_REQUEST_LINE + 100);
    cr_assert_eq(parse("prompt-default", b.p, WARD_DEFAULT_MAX_REQUEST_LINE - 1, NULL, 8),
                 WARD_AGAIN);
    cr_assert_eq(parse("prompt-default", b.p, WARD_DEFAULT_MAX_REQUEST_LINE, NULL, 8),
                 WARD_E_REQUEST_LINE_TOO_LONG);
    cr_assert_eq(parse("prompt-default", b.p, b.n, NULL, 8), WARD_E_REQUEST_LINE_TOO_LONG);
    sb_free(&b);
}

/* Reading: the leading empty line is not part of the request line, so the
 * request-line window starts after it (RULES.md counts it only in head_len
 * and the head limit). */
Test(limits, q_request_line_after_leading_empty_line)
{
    ward_parse_opts o = {.max_request_line = 30};
    sb b = {0};
    sb_str(&b, "\r\n");
    rl_line(&b, 30);
    sb_str(&b, "\r\n");
    cr_assert_eq(parse("lead-rl-exact", b.p, b.n, &o, 8), WARD_OK);
    sb_free(&b);
    sb_str(&b, "\r\nGET /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    cr_assert_eq(parse("lead-rl-prompt", b.p, 31, &o, 8), WARD_AGAIN);
    cr_assert_eq(parse("lead-rl-prompt", b.p, 32, &o, 8), WARD_E_REQUEST_LINE_TOO_LONG);
    sb_free(&b);
}

/* ---- field line: 431 ---- */

Test(limits, field_line_exact_and_over)
{
    for (size_t F = 9; F <= 80; F += 7) {
        ward_parse_opts o = {.max_field_line = (uint32_t)F};
        sb b = {0};
        sb_str(&b, "GET / HTTP/1.0\r\n");
        field_line(&b, 1, 9);
        field_line(&b, 2, F);
        field_line(&b, 3, 9);
        sb_str(&b, "\r\n");
        run("fl-exact", &b, o, WARD_OK, WARD_H_ALL, 3);
        sb_free(&b);
        sb_str(&b, "GET / HTTP/1.0\r\n");
        field_line(&b, 1, 9);
        field_line(&b, 2, F + 1);
        field_line(&b, 3, 9);
        sb_str(&b, "\r\n");
        run("fl-over", &b, o, WARD_E_FIELD_LINE_TOO_LONG, WARD_H_ALL, 0);
        sb_free(&b);
    }
}

Test(limits, field_line_default)
{
    sb b = {0};
    sb_str(&b, "GET / HTTP/1.0\r\n");
    field_line(&b, 1, WARD_DEFAULT_MAX_FIELD_LINE);
    sb_str(&b, "\r\n");
    run("fl-default-exact", &b, (ward_parse_opts){0}, WARD_OK, WARD_H_AT_ONCE, 1);
    sb_free(&b);
    sb_str(&b, "GET / HTTP/1.0\r\n");
    field_line(&b, 1, WARD_DEFAULT_MAX_FIELD_LINE + 1);
    sb_str(&b, "\r\n");
    run("fl-default-over", &b, (ward_parse_opts){0}, WARD_E_FIELD_LINE_TOO_LONG,
        WARD_H_AT_ONCE, 0);
    cr_assert_eq(parse("fl-default-over-null", b.p, b.n, NULL, 8), WARD_E_FIELD_LINE_TOO_LONG);
    sb_free(&b);
}

/* Each line has its own limit: the request-line limit does not bind field
 * lines and the field-line limit does not bind the request line. */
Test(limits, line_limits_are_separate)
{
    ward_parse_opts o = {.max_request_line = 20, .max_field_line = 20};
    sb b = {0};
    rl_line(&b, 20);
    field_line(&b, 1, 20);
    sb_str(&b, "\r\n");
    cr_assert_eq(parse("separate", b.p, b.n, &o, 8), WARD_OK);
    sb_free(&b);
    o = (ward_parse_opts){.max_field_line = 10};
    rl_line(&b, 60);
    sb_str(&b, "\r\n");
    cr_assert_eq(parse("separate-rl", b.p, b.n, &o, 8), WARD_OK);
    sb_free(&b);
    o = (ward_parse_opts){.max_request_line = 20};
    sb_str(&b, "GET / HTTP/1.0\r\n");
    field_line(&b, 1, 60);
    sb_str(&b, "\r\n");
    cr_assert_eq(parse("separate-fl", b.p, b.n, &o, 8), WARD_OK);
    sb_free(&b);
}

/* ---- field count: 431, max_fields and the caller's capacity ---- */

static void fields_head(sb *b, unsigned n)
{
    sb_str(b, "GET / HTTP/1.0\r\n");
    for (unsigned i = 0; i < n; i++)
        field_line(b, i, 12);
    sb_str(b, "\r\n");
}

Test(limits, max_fields_exact_and_over)
{
    for (unsigned N = 1; N <= 12; N += 3) {
        ward_parse_opts o = {.max_fields = N};
        sb b = {0};
        fields_head(&b, N);
        run("mf-exact", &b, o, WARD_OK, WARD_H_ALL, N);
        sb_free(&b);
        fields_head(&b, N + 1);
        run("mf-over", &b, o, WARD_E_TOO_MANY_FIELDS, WARD_H_ALL, 0);
        /* reported when the line that would exceed starts */
        size_t start = 16 + (size_t)N * 12; /* first byte of line N+1 */
        cr_assert_eq(parse("mf-prompt", b.p, start, &o, 64), WARD_AGAIN, "N=%u", N);
        ward_status st = parse("mf-prompt", b.p, start + 1, &o, 64);
        cr_assert_eq(st, WARD_E_TOO_MANY_FIELDS, "N=%u: %d, not 431 when line %u starts", N,
                     (int)st, N + 1);
        sb_free(&b);
        /* N fields, then the start of the final empty line: not a field */
        fields_head(&b, N);
        cr_assert_eq(parse("mf-final-cr", b.p, b.n - 1, &o, 64), WARD_AGAIN, "N=%u", N);
        sb_free(&b);
    }
}

Test(limits, max_fields_default)
{
    sb b = {0};
    fields_head(&b, WARD_DEFAULT_MAX_FIELDS);
    run("mf-default-exact", &b, (ward_parse_opts){0}, WARD_OK, WARD_H_AT_ONCE,
        WARD_DEFAULT_MAX_FIELDS);
    sb_free(&b);
    fields_head(&b, WARD_DEFAULT_MAX_FIELDS + 1);
    run("mf-default-over", &b, (ward_parse_opts){0}, WARD_E_TOO_MANY_FIELDS, WARD_H_AT_ONCE,
        0);
    cr_assert_eq(parse("mf-default-over-null", b.p, b.n, NULL, WARD_H_MAX_FIELDS),
                 WARD_E_TOO_MANY_FIELDS);
    sb_free(&b);
}

Test(limits, capacity)
{
    sb b = {0};
    for (unsigned cap = 0; cap <= 6; cap++) {
        fields_head(&b, cap);
        cr_assert_eq(parse("cap-exact", b.p, b.n, NULL, cap), WARD_OK, "cap %u", cap);
        cr_assert_eq(res.nfields, cap);
        sb_free(&b);
        fields_head(&b, cap + 1);
        cr_assert_eq(parse("cap-over", b.p, b.n, NULL, cap), WARD_E_TOO_MANY_FIELDS, "cap %u",
                     cap);
        /* reported when the line that would exceed the array starts */
        size_t start = 16 + (size_t)cap * 12;
        cr_assert_eq(parse("cap-prompt", b.p, start, NULL, cap), WARD_AGAIN, "cap %u", cap);
        ward_status st = parse("cap-prompt", b.p, start + 1, NULL, cap);
        cr_assert_eq(st, WARD_E_TOO_MANY_FIELDS, "cap %u: %d, not 431 when line %u starts", cap,
                     (int)st, cap + 1);
        /* the capacity binds even when max_fields is larger */
        ward_parse_opts o = {.max_fields = 50};
        cr_assert_eq(parse("cap-over-max", b.p, b.n, &o, cap), WARD_E_TOO_MANY_FIELDS);
        sb_free(&b);
    }
    /* and max_fields binds when the capacity is larger */
    fields_head(&b, 3);
    ward_parse_opts o = {.max_fields = 2};
    cr_assert_eq(parse("max-under-cap", b.p, b.n, &o, 100), WARD_E_TOO_MANY_FIELDS);
    sb_free(&b);
}

/* Dropped fields count toward max_fields but need no room in the array. */
Test(limits, dropped_fields_and_counts)
{
    const char *in = "GET / HTTP/1.0\r\nA: 1\r\nX_y: 2\r\nB_: 3\r\n\r\n";
    ward_parse_opts drop = {.flags = WARD_PARSE_DROP_UNDERSCORE};
    cr_assert_eq(parse("drop-cap1", in, strlen(in), &drop, 1), WARD_OK);
    cr_assert_eq(res.nfields, 1);
    cr_assert_eq(res.req.ndropped, 2);
    cr_assert_eq(res.req.nlines, 3);
    drop.max_fields = 3;
    cr_assert_eq(parse("drop-max3", in, strlen(in), &drop, 8), WARD_OK);
    drop.max_fields = 2;
    cr_assert_eq(parse("drop-max2", in, strlen(in), &drop, 8), WARD_E_TOO_MANY_FIELDS);
    const char *first = "GET / HTTP/1.0\r\nX_y: 1\r\nA: 2\r\n\r\n";
    drop.max_fields = 1;
    cr_assert_eq(parse("drop-first", first, strlen(first), &drop, 8), WARD_E_TOO_MANY_FIELDS);
}

/* ---- head: 431 ---- */

Test(limits, head_exact_and_over)
{
    for (size_t H = 30; H <= 300; H += 47) {
        ward_parse_opts o = {.max_head = (uint32_t)H};
        sb b = {0};
        head_of(&b, H);
        run("head-exact", &b, o, WARD_OK, WARD_H_ALL, head_fields(H));
        sb_free(&b);
        head_of(&b, H + 1);
        run("head-over", &b, o, WARD_E_HEAD_TOO_LARGE, WARD_H_ALL, 0);
        sb_free(&b);
        /* more than max_head bytes arrived, no end of head among them */
        head_of(&b, H + 50);
        cr_assert_eq(parse("head-over-prefix", b.p, H + 1, &o, 8), WARD_E_HEAD_TOO_LARGE,
                     "H=%zu", H);
        sb_free(&b);
    }
}

Test(limits, head_counts_leading_line_not_body)
{
    ward_parse_opts o = {.max_head = 200};
    sb b = {0};
    sb_str(&b, "\r\n");
    head_of(&b, 198);
    cr_assert_eq(parse("head-lead-exact", b.p, b.n, &o, 8), WARD_OK);
    cr_assert_eq(res.req.head_len, 200);
    sb_free(&b);
    sb_str(&b, "\r\n");
    head_of(&b, 199);
    cr_assert_eq(parse("head-lead-over", b.p, b.n, &o, 8), WARD_E_HEAD_TOO_LARGE);
    sb_free(&b);
    head_of(&b, 200);
    sb_rep(&b, 'B', 500); /* a body (or the next request): not the head */
    cr_assert_eq(parse("head-body", b.p, b.n, &o, 8), WARD_OK);
    cr_assert_eq(res.req.head_len, 200);
    sb_free(&b);
}

Test(limits, head_default)
{
    sb b = {0};
    head_of(&b, WARD_DEFAULT_MAX_HEAD);
    run("head-default-exact", &b, (ward_parse_opts){0}, WARD_OK, WARD_H_AT_ONCE,
        head_fields(WARD_DEFAULT_MAX_HEAD));
    sb_free(&b);
    head_of(&b, WARD_DEFAULT_MAX_HEAD + 1);
    run("head-default-over", &b, (ward_parse_opts){0}, WARD_E_HEAD_TOO_LARGE, WARD_H_AT_ONCE,
        0);
    cr_assert_eq(parse("head-default-over-null", b.p, b.n, NULL, WARD_H_MAX_FIELDS),
                 WARD_E_HEAD_TOO_LARGE);
    sb_free(&b);
}

/* ---- 0 means default; explicit defaults are the same ---- */

Test(limits, zero_means_default)
{
    static const ward_parse_opts dflt = {0, WARD_DEFAULT_MAX_REQUEST_LINE,
                                         WARD_DEFAULT_MAX_FIELD_LINE, WARD_DEFAULT_MAX_FIELDS,
                                         WARD_DEFAULT_MAX_HEAD};
    static const ward_parse_opts zero;
    static const ward_status want[8] = {WARD_OK, WARD_E_REQUEST_LINE_TOO_LONG,
                                        WARD_OK, WARD_E_TOO_MANY_FIELDS,
                                        WARD_OK, WARD_E_HEAD_TOO_LARGE,
                                        WARD_OK, WARD_E_FIELD_LINE_TOO_LONG};
    static ward_h_result a, z, nl;
    sb in[8] = {{0}};
    rl_line(&in[0], WARD_DEFAULT_MAX_REQUEST_LINE), sb_str(&in[0], "\r\n");
    rl_line(&in[1], WARD_DEFAULT_MAX_REQUEST_LINE + 1), sb_str(&in[1], "\r\n");
    fields_head(&in[2], WARD_DEFAULT_MAX_FIELDS);
    fields_head(&in[3], WARD_DEFAULT_MAX_FIELDS + 1);
    head_of(&in[4], WARD_DEFAULT_MAX_HEAD);
    head_of(&in[5], WARD_DEFAULT_MAX_HEAD + 1);
    sb_str(&in[6], "GET / HTTP/1.0\r\n"), field_line(&in[6], 0, WARD_DEFAULT_MAX_FIELD_LINE);
    sb_str(&in[6], "\r\n");
    sb_str(&in[7], "GET / HTTP/1.0\r\n"), field_line(&in[7], 0, WARD_DEFAULT_MAX_FIELD_LINE + 1);
    sb_str(&in[7], "\r\n");
    for (int i = 0; i < 8; i++) {
        ward_h_ctx c = {"zero-default", "compare", (size_t)i};
        ward_h_parse(&c, in[i].p, in[i].n, 0, &dflt, WARD_H_MAX_FIELDS, &a);
        ward_h_parse(&c, in[i].p, in[i].n, 0, &zero, WARD_H_MAX_FIELDS, &z);
        ward_h_parse(&c, in[i].p, in[i].n, 0, NULL, WARD_H_MAX_FIELDS, &nl);
        cr_assert_eq(a.st, want[i], "input %d", i);
        ward_h_assert_same(&c, &a, &z);
        ward_h_assert_same(&c, &a, &nl);
        sb_free(&in[i]);
    }
}

/* ---- clamping at WARD_LIMIT_CAP ---- */

Test(limits, clamp_request_line, .timeout = 120)
{
    const uint32_t vals[] = {WARD_LIMIT_CAP + 1, UINT32_MAX};
    sb b = {0};
    sb_str(&b, "GET /");
    sb_rep(&b, 'a', WARD_LIMIT_CAP);
    for (int i = 0; i < 2; i++) {
        ward_parse_opts o = {.max_request_line = vals[i], .max_head = vals[i]};
        cr_assert_eq(parse("clamp-rl", b.p, WARD_LIMIT_CAP - 1, &o, 8), WARD_AGAIN);
        /* the line hits its clamped limit and the clamped head limit at once */
        cr_assert_eq(parse("clamp-rl", b.p, WARD_LIMIT_CAP, &o, 8),
                     WARD_E_REQUEST_LINE_TOO_LONG, "max %u not clamped", vals[i]);
    }
    sb_free(&b);
}

Test(limits, clamp_head, .timeout = 120)
{
    const uint32_t vals[] = {WARD_LIMIT_CAP + 1, UINT32_MAX};
    sb b = {0};
    for (int i = 0; i < 2; i++) {
        ward_parse_opts o = {.max_field_line = vals[i], .max_head = vals[i]};
        sb_str(&b, "GET / HTTP/1.0\r\n");
        field_line(&b, 0, WARD_LIMIT_CAP - 18);
        sb_str(&b, "\r\n");
        cr_assert_eq(b.n, WARD_LIMIT_CAP);
        cr_assert_eq(parse("clamp-head-exact", b.p, b.n, &o, 8), WARD_OK);
        sb_free(&b);
        sb_str(&b, "GET / HTTP/1.0\r\n");
        field_line(&b, 0, WARD_LIMIT_CAP - 17);
        sb_str(&b, "\r\n");
        cr_assert_eq(parse("clamp-head-over", b.p, b.n, &o, 8), WARD_E_HEAD_TOO_LARGE,
                     "max %u not clamped", vals[i]);
        sb_free(&b);
    }
}

/* ---- precedence ---- */

Test(limits, precedence)
{
    sb b = {0};
    /* request line and head crossed at the same byte: 414 */
    ward_parse_opts o = {.max_request_line = 20, .max_head = 20};
    rl_line(&b, 40);
    sb_str(&b, "\r\n");
    run("prec-rl-head", &b, o, WARD_E_REQUEST_LINE_TOO_LONG, WARD_H_ALL, 0);
    /* the head limit crossed first: 431 head */
    o = (ward_parse_opts){.max_request_line = 100, .max_head = 20};
    run("prec-head-first", &b, o, WARD_E_HEAD_TOO_LARGE, WARD_H_ALL, 0);
    sb_free(&b);
    /* a field line and the head crossed at the same byte: the line's 431 */
    o = (ward_parse_opts){.max_field_line = 30, .max_head = 16 + 30};
    sb_str(&b, "GET / HTTP/1.0\r\n");
    field_line(&b, 0, 60);
    sb_str(&b, "\r\n");
    run("prec-fl-head", &b, o, WARD_E_FIELD_LINE_TOO_LONG, WARD_H_ALL, 0);
    /* the head crossed first */
    o = (ward_parse_opts){.max_field_line = 50, .max_head = 16 + 30};
    run("prec-fl-head-first", &b, o, WARD_E_HEAD_TOO_LARGE, WARD_H_ALL, 0);
    /* the field line crossed first */
    o = (ward_parse_opts){.max_field_line = 30, .max_head = 16 + 50};
    run("prec-fl-first", &b, o, WARD_E_FIELD_LINE_TOO_LONG, WARD_H_ALL, 0);
    sb_free(&b);
}
