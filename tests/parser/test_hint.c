/* SPDX-License-Identifier: MIT */
/* test_hint.c - the prev_len hint (RULES.md "The prev_len hint"):
 * - every vector fed in chunks, each call hinted with the previous length,
 *   ends with the no-hint result (an error may be deferred to AGAIN only
 *   while no end of head, no head overflow and no 414 is in view);
 * - a hint of 0, larger than len, or equal to len is harmless;
 * - a 414 and a head overflow are still reported at once under the hint.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdint.h>
#include <string.h>

#include "harness.h"
#include "vectors.h"

static ward_h_result hinted, plain;

/* An end of head whose last byte is new (index >= from): the hint must
 * find it. */
static int has_end(const uint8_t *b, size_t n, size_t from, uint32_t flags)
{
    for (size_t j = 0; j + 2 <= n; j++) {
        if (j + 4 <= n && j + 3 >= from && memcmp(b + j, "\r\n\r\n", 4) == 0)
            return 1;
        if (!(flags & WARD_PARSE_LENIENT_BARE_LF))
            continue;
        if (j + 1 >= from && memcmp(b + j, "\n\n", 2) == 0)
            return 1;
        if (j + 3 <= n && j + 2 >= from && memcmp(b + j, "\n\r\n", 3) == 0)
            return 1;
    }
    return 0;
}

/* Feed v in chunks of c bytes, hinting each call with the previous length,
 * until a result other than AGAIN or the end of the input. */
static void feed(const struct ward_vector *v, size_t c)
{
    const uint8_t *in = (const uint8_t *)v->input;
    size_t n = ward_h_vec_len(v), prev = 0;
    ward_h_ctx hc = {v->id, "chunked", 0}, pc = {v->id, "chunk-plain", 0};
    for (size_t len = c < n ? c : n;; len = len + c < n ? len + c : n) {
        hc.k = pc.k = len;
        ward_h_parse(&hc, in, len, prev, &v->opts, WARD_H_MAX_FIELDS, &hinted);
        ward_h_parse(&pc, in, len, 0, &v->opts, WARD_H_MAX_FIELDS, &plain);
        int must = plain.st == WARD_OK || plain.st == WARD_AGAIN ||
                   plain.st == WARD_E_REQUEST_LINE_TOO_LONG ||
                   len > ward_h_max_head(&v->opts) || has_end(in, len, prev, v->opts.flags);
        if (must)
            ward_h_assert_same(&hc, &plain, &hinted);
        else
            cr_assert(hinted.st == WARD_AGAIN || ward_h_same(&plain, &hinted),
                      "%s [chunk %zu, len %zu, prev %zu]: hinted %d, plain %d", v->id, c, len,
                      prev, (int)hinted.st, (int)plain.st);
        if (hinted.st != WARD_AGAIN || len == n)
            break;
        prev = len;
    }
    /* a head the plain parse accepts is accepted under the hint too */
    ward_h_parse(&pc, in, n, 0, &v->opts, WARD_H_MAX_FIELDS, &plain);
    if (plain.st == WARD_OK)
        cr_assert_eq(hinted.st, WARD_OK, "%s [chunk %zu]: never OK under the hint", v->id, c);
}

ParameterizedTestParameters(hint, chunked)
{
    size_t *idx = cr_malloc(ward_nvectors * sizeof *idx);
    for (size_t i = 0; i < ward_nvectors; i++)
        idx[i] = i;
    return cr_make_param_array(size_t, idx, ward_nvectors, NULL);
}

ParameterizedTest(size_t *i, hint, chunked)
{
    static const size_t chunks[] = {1, 2, 3, 5, 7, 16, 61, 256};
    for (size_t k = 0; k < sizeof chunks / sizeof chunks[0]; k++)
        feed(&ward_vectors[*i], chunks[k]);
}

/* A hint of 0 or larger than len is ignored: the result is the plain one. */
Test(hint, harmless_values)
{
    for (size_t i = 0; i < ward_nvectors; i++) {
        const struct ward_vector *v = &ward_vectors[i];
        size_t n = ward_h_vec_len(v);
        const size_t hints[] = {0, n + 1, n + 1000, SIZE_MAX / 2, SIZE_MAX};
        ward_h_ctx c = {v->id, "harmless", 0};
        ward_h_parse(&c, v->input, n, 0, &v->opts, WARD_H_MAX_FIELDS, &plain);
        for (size_t h = 0; h < sizeof hints / sizeof hints[0]; h++) {
            c.k = hints[h];
            ward_h_parse(&c, v->input, n, hints[h], &v->opts, WARD_H_MAX_FIELDS, &hinted);
            ward_h_assert_same(&c, &plain, &hinted);
        }
    }
}

/* prev_len == len on a buffer that gave AGAIN: still AGAIN. */
Test(hint, equal_to_len)
{
    for (size_t i = 0; i < ward_nvectors; i++) {
        const struct ward_vector *v = &ward_vectors[i];
        size_t n = ward_h_vec_len(v);
        ward_h_ctx c = {v->id, "prev==len", 0};
        for (size_t k = 1; k <= n; k++) {
            c.k = k;
            if (ward_h_parse(&c, v->input, k, 0, &v->opts, WARD_H_MAX_FIELDS, &plain) !=
                WARD_AGAIN)
                continue;
            cr_assert_eq(ward_h_parse(&c, v->input, k, k, &v->opts, WARD_H_MAX_FIELDS, &hinted),
                         WARD_AGAIN, "%s: prev_len == len == %zu", v->id, k);
        }
    }
}

/* Feed in with chunks of c under the hint: calls shorter than lo answer
 * AGAIN, calls from lo on AGAIN or want, and the first call whose length
 * reaches at answers want. */
static void prompt(const char *id, const char *in, const ward_parse_opts *o, size_t c, size_t lo,
                   size_t at, ward_status want)
{
    size_t n = strlen(in), prev = 0;
    ward_h_ctx hc = {id, "prompt", 0};
    for (size_t len = c; len <= n; len += c) {
        hc.k = len;
        ward_status st = ward_h_parse(&hc, in, len, prev, o, WARD_H_MAX_FIELDS, &hinted);
        if (len < at) {
            cr_assert(st == WARD_AGAIN || (len >= lo && st == want),
                      "%s: chunk %zu len %zu prev %zu: %d", id, c, len, prev, (int)st);
        } else {
            cr_assert_eq(st, want, "%s: chunk %zu len %zu prev %zu: %d, want %d", id, c, len,
                         prev, (int)st, (int)want);
        }
        if (st != WARD_AGAIN)
            return;
        prev = len;
    }
    cr_assert_fail("%s: input shorter than %zu", id, at);
}

Test(hint, request_line_414_prompt)
{
    char line[200];
    memset(line, 'a', sizeof line);
    memcpy(line, "GET /", 5);
    line[sizeof line - 1] = 0;
    for (uint32_t L = 16; L <= 100; L += 7) {
        ward_parse_opts o = {.max_request_line = L};
        for (size_t c = 1; c <= 9; c++)
            prompt("414-hint", line, &o, c, L, L, WARD_E_REQUEST_LINE_TOO_LONG);
    }
    /* the default limit, fed in large chunks */
    static char big[WARD_DEFAULT_MAX_REQUEST_LINE + 2000];
    memset(big, 'a', sizeof big);
    memcpy(big, "GET /", 5);
    big[sizeof big - 1] = 0;
    for (size_t c = 500; c <= 1500; c += 250)
        prompt("414-hint-default", big, NULL, c, WARD_DEFAULT_MAX_REQUEST_LINE,
               WARD_DEFAULT_MAX_REQUEST_LINE, WARD_E_REQUEST_LINE_TOO_LONG);
}

Test(hint, head_431_prompt)
{
    char in[400];
    memset(in, 'v', sizeof in);
    memcpy(in, "GET / HTTP/1.0\r\nX: ", 19);
    in[sizeof in - 1] = 0;
    for (uint32_t H = 20; H <= 300; H += 37) {
        ward_parse_opts o = {.max_head = H};
        for (size_t c = 1; c <= 9; c++)
            prompt("431-hint", in, &o, c, H, H + 1, WARD_E_HEAD_TOO_LARGE);
    }
}

/* A syntax error in early bytes is reported once the end of the head
 * arrives, with the value a plain parse gives. */
Test(hint, deferred_error_reported_at_end)
{
    static const char *in[] = {
        "GET /\x01 HTTP/1.1\r\nHost: a\r\nX: aaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n",
        "GET / HTTP/1.1\r\nHo st: a\r\nX: aaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nX: a\x7fzaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\nX: aaaaaaaaaaaaaaaaaaaaa\r\n\r\n",
    };
    static const ward_status want[] = {WARD_E_TARGET, WARD_E_FIELD_NAME, WARD_E_FIELD_VALUE,
                                       WARD_E_HOST_DUPLICATE};
    for (size_t i = 0; i < 4; i++) {
        size_t n = strlen(in[i]);
        ward_h_ctx c = {"deferred", "hint", i};
        for (size_t k = 1; k + 4 < n; k++) {
            c.k = k;
            if (ward_h_parse(&c, in[i], k, 0, NULL, WARD_H_MAX_FIELDS, &plain) != WARD_AGAIN)
                break;
            cr_assert_eq(ward_h_parse(&c, in[i], n, k, NULL, WARD_H_MAX_FIELDS, &hinted),
                         want[i], "input %zu prev %zu", i, k);
        }
    }
}

/* The end of the head split across calls at each of its bytes, CRLF and
 * bare-LF forms. */
Test(hint, terminator_straddles_chunks)
{
    static const struct {
        const char *in;
        uint32_t flags;
    } cs[] = {
        {"GET / HTTP/1.1\r\nHost: a\r\n\r\n", 0},
        {"GET / HTTP/1.0\r\n\r\n", 0},
        {"\r\nGET / HTTP/1.0\r\n\r\n", 0},
        {"GET / HTTP/1.1\nHost: a\n\n", WARD_PARSE_LENIENT_BARE_LF},
        {"GET / HTTP/1.1\nHost: a\n\r\n", WARD_PARSE_LENIENT_BARE_LF},
        {"GET / HTTP/1.1\r\nHost: a\r\n\n", WARD_PARSE_LENIENT_BARE_LF},
        {"GET / HTTP/1.0\n\n", WARD_PARSE_LENIENT_BARE_LF},
    };
    for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++) {
        size_t n = strlen(cs[i].in);
        ward_parse_opts o = {.flags = cs[i].flags};
        ward_h_ctx c = {"straddle", "hint", i};
        cr_assert_eq(ward_h_parse(&c, cs[i].in, n, 0, &o, WARD_H_MAX_FIELDS, &plain), WARD_OK,
                     "case %zu", i);
        for (size_t a = n - 4; a < n; a++) {
            for (size_t b = a + 1; b < n; b++) {
                /* calls at a, b (hint a), n (hint b) */
                c.k = a;
                cr_assert_eq(ward_h_parse(&c, cs[i].in, a, 0, &o, 8, &hinted), WARD_AGAIN);
                c.k = b;
                cr_assert_eq(ward_h_parse(&c, cs[i].in, b, a, &o, 8, &hinted), WARD_AGAIN,
                             "case %zu: %zu after %zu", i, b, a);
                c.k = n;
                ward_h_parse(&c, cs[i].in, n, b, &o, 8, &hinted);
                ward_h_assert_same(&c, &plain, &hinted);
            }
        }
    }
}
