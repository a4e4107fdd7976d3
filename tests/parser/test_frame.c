/* SPDX-License-Identifier: MIT */
/* test_frame.c - ward_frame_request() against RULES.md "Framing" and the
 * contract in ward_parse.h.
 *
 * Every head is parsed with ward_parse_request() from a guard-page copy
 * and must be accepted; the framing then runs on a second guard-page copy
 * holding exactly the head (req.head_len bytes), with the field array
 * also ending at a guard page, so a read past either faults. Each call is
 * checked for what the contract promises whatever the input, then against
 * the vector's expected status, body kind, length and close. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "guard.h"
#include "ward_parse.h"

#define MAXF 64
#define MIB WARD_DEFAULT_MAX_BODY
#define CAP WARD_BODY_CAP

/* Request lines; HTTP/1.1 needs Host. The test bodies add field lines
 * and the final CRLF. */
#define R11 "POST / HTTP/1.1\r\nHost: a\r\n"
#define R10 "POST / HTTP/1.0\r\n"

typedef struct fvec {
    const char *id;
    const char *in;   /* the head (and possibly body bytes after it) */
    uint32_t pflags;  /* WARD_PARSE_* for the head parser */
    uint64_t max_body;
    ward_status expect;
    uint8_t body;     /* enum ward_body_kind */
    uint64_t length;
    uint8_t close;
} fvec;

static int frame_error(ward_status s)
{
    return s == WARD_E_CONTENT_LENGTH || s == WARD_E_TRANSFER_ENCODING || s == WARD_E_TE_WITH_CL ||
           s == WARD_E_TE_HTTP10 || s == WARD_E_CODING_UNSUPPORTED || s == WARD_E_BODY_TOO_LARGE;
}

static uint64_t body_limit(uint64_t m)
{
    return m == 0 ? WARD_DEFAULT_MAX_BODY : (m > CAP ? CAP : m);
}

/* Parse in (must be accepted), frame it, check the contract's promises;
 * returns the status and fills *f. */
static ward_status frame_head(const char *id, const char *in, uint32_t pflags, uint64_t max_body,
                              ward_frame *f, ward_request *req_out)
{
    size_t n = strlen(in);
    uint8_t *pb = ward_guard_copy(in, n);
    cr_assert(pb != NULL);
    ward_parse_opts po = {.flags = pflags};
    ward_request req;
    ward_field fields[MAXF];
    size_t nf = MAXF;
    ward_status ps = ward_parse_request(pb, n, 0, &po, &req, fields, &nf);
    ward_guard_free(pb, n);
    cr_assert_eq(ps, WARD_OK, "%s: the head parser says %d (%s)", id, (int)ps, ward_status_str(ps));
    cr_assert(req.head_len > 0 && req.head_len <= n);

    /* exactly the head, and exactly the fields, each before a guard page */
    uint8_t *hb = ward_guard_copy(in, req.head_len);
    cr_assert(hb != NULL);
    ward_field *fb = (ward_field *)ward_guard_copy(fields, nf * sizeof(ward_field));
    cr_assert(fb != NULL);
    ward_request rq = req;

    memset(f, 0xA5, sizeof *f); /* outputs are defined on every path */
    ward_status st = ward_frame_request(hb, &rq, fb, nf, max_body, f);

    cr_assert(memcmp(hb, in, req.head_len) == 0, "%s: buf written", id);
    cr_assert(memcmp(&rq, &req, sizeof rq) == 0, "%s: req written", id);
    cr_assert(memcmp(fb, fields, nf * sizeof(ward_field)) == 0, "%s: fields written", id);
    ward_guard_free(hb, req.head_len);
    ward_guard_free((uint8_t *)fb, nf * sizeof(ward_field));

    cr_assert(st == WARD_OK || frame_error(st), "%s: status %d is not a framing result", id,
              (int)st);
    cr_assert(f->body <= WARD_BODY_CHUNKED && f->close <= 1, "%s: body %u close %u", id,
              (unsigned)f->body, (unsigned)f->close);
    if (st != WARD_OK)
        cr_assert(f->close == 1 && f->body == WARD_BODY_NONE && f->length == 0,
                  "%s: error %d with close %u body %u length %llu", id, (int)st,
                  (unsigned)f->close, (unsigned)f->body, (unsigned long long)f->length);
    if (f->body != WARD_BODY_LENGTH)
        cr_assert_eq(f->length, 0, "%s: length %llu without WARD_BODY_LENGTH", id,
                     (unsigned long long)f->length);
    if (st == WARD_OK)
        cr_assert(f->length <= body_limit(max_body), "%s: length over the limit", id);
    if (st == WARD_OK && f->body == WARD_BODY_CHUNKED)
        cr_assert_eq(req.version, 1, "%s: chunked in HTTP/1.0", id);
    if (req_out)
        *req_out = req;
    return st;
}

static void run(const fvec *v)
{
    ward_frame f;
    ward_status st = frame_head(v->id, v->in, v->pflags, v->max_body, &f, NULL);
    cr_assert_eq(st, v->expect, "%s: status %d (%s), want %d (%s)", v->id, (int)st,
                 ward_status_str(st), (int)v->expect, ward_status_str(v->expect));
    cr_assert_eq(f.body, v->body, "%s: body %u, want %u", v->id, (unsigned)f.body,
                 (unsigned)v->body);
    cr_assert_eq(f.length, v->length, "%s: length %llu, want %llu", v->id,
                 (unsigned long long)f.length, (unsigned long long)v->length);
    cr_assert_eq(f.close, v->close, "%s: close %u, want %u", v->id, (unsigned)f.close,
                 (unsigned)v->close);
}

#define RUN_ALL(vs)                                                                                \
    for (size_t i_ = 0; i_ < sizeof(vs) / sizeof(vs)[0]; i_++)                                     \
    run(&(vs)[i_])

/* shorthands for expected results */
#define OK_NONE .expect = WARD_OK, .body = WARD_BODY_NONE
#define OK_LEN(n) .expect = WARD_OK, .body = WARD_BODY_LENGTH, .length = (n)
#define OK_CHUNKED .expect = WARD_OK, .body = WARD_BODY_CHUNKED
#define ERR(e) .expect = (e), .body = WARD_BODY_NONE, .length = 0, .close = 1

/* ---- rule 8: neither field ---- */

Test(frame, no_body)
{
    static const fvec vs[] = {
        {"get", R11 "\r\n", 0, 0, OK_NONE},
        {"post-fields", R11 "X: 1\r\nAccept: */*\r\n\r\n", 0, 0, OK_NONE},
        /* names that merely look like the framing fields */
        {"cl-prefix", R11 "Content-Length-X: 5\r\n\r\n", 0, 0, OK_NONE},
        {"cl-short", R11 "Content-Lengt: 5\r\n\r\n", 0, 0, OK_NONE},
        {"cl-space-name", R11 "X-Content-Length: 5\r\n\r\n", 0, 0, OK_NONE},
        {"te-suffix", R11 "Transfer-Encodings: chunked\r\n\r\n", 0, 0, OK_NONE},
        {"te-prefix", R11 "X-Transfer-Encoding: chunked\r\n\r\n", 0, 0, OK_NONE},
        {"te-in-value", R11 "X: Transfer-Encoding: chunked\r\n\r\n", 0, 0, OK_NONE},
        /* bytes after the head are not the head's business */
        {"bytes-after", R11 "\r\nContent-Length: 5\r\n\r\n", 0, 0, OK_NONE},
        {"http10", R10 "\r\n", 0, 0, OK_NONE, .close = 1},
    };
    RUN_ALL(vs);
}

/* ---- rules 6-7: Content-Length ---- */

Test(frame, content_length_valid)
{
    static const fvec vs[] = {
        {"cl-0", R11 "Content-Length: 0\r\n\r\n", 0, 0, OK_LEN(0)},
        {"cl-5", R11 "Content-Length: 5\r\n\r\nhello", 0, 0, OK_LEN(5)},
        {"cl-no-ows", R11 "Content-Length:5\r\n\r\n", 0, 0, OK_LEN(5)},
        {"cl-ows", R11 "Content-Length: \t 5 \t\r\n\r\n", 0, 0, OK_LEN(5)},
        {"cl-lower-name", R11 "content-length: 7\r\n\r\n", 0, 0, OK_LEN(7)},
        {"cl-upper-name", R11 "CONTENT-LENGTH: 7\r\n\r\n", 0, 0, OK_LEN(7)},
        {"cl-zeros", R11 "Content-Length: 005\r\n\r\n", 0, 0, OK_LEN(5)},
        {"cl-zeros-only", R11 "Content-Length: 0000\r\n\r\n", 0, 0, OK_LEN(0)},
        /* more digits than 10^18 has, but the value is small */
        {"cl-zeros-long", R11 "Content-Length: 0000000000000000000000000000005\r\n\r\n", 0, 0,
         OK_LEN(5)},
        {"cl-list", R11 "Content-Length: 5, 5\r\n\r\n", 0, 0, OK_LEN(5)},
        {"cl-list-tight", R11 "Content-Length: 5,5\r\n\r\n", 0, 0, OK_LEN(5)},
        {"cl-list-ows", R11 "Content-Length: 5 ,\t5 , 5\r\n\r\n", 0, 0, OK_LEN(5)},
        {"cl-lines", R11 "Content-Length: 5\r\nContent-Length: 5\r\n\r\n", 0, 0, OK_LEN(5)},
        {"cl-lines-apart", R11 "Content-Length: 5\r\nX: y\r\ncontent-length: 5\r\n\r\n", 0, 0,
         OK_LEN(5)},
        {"cl-lines-list", R11 "Content-Length: 5, 5\r\nContent-Length: 5\r\n\r\n", 0, 0,
         OK_LEN(5)},
        {"cl-http10", R10 "Content-Length: 3\r\n\r\n", 0, 0, OK_LEN(3), .close = 1},
    };
    RUN_ALL(vs);
}

Test(frame, content_length_invalid)
{
    static const fvec vs[] = {
        {"cl-differ-list", R11 "Content-Length: 5, 6\r\n\r\n", 0, 0, ERR(WARD_E_CONTENT_LENGTH)},
        {"cl-differ-list3", R11 "Content-Length: 5, 5, 6\r\n\r\n", 0, 0,
         ERR(WARD_E_CONTENT_LENGTH)},
        {"cl-differ-lines", R11 "Content-Length: 5\r\nContent-Length: 6\r\n\r\n", 0, 0,
         ERR(WARD_E_CONTENT_LENGTH)},
        {"cl-differ-line-list", R11 "Content-Length: 5\r\nContent-Length: 5, 0\r\n\r\n", 0, 0,
         ERR(WARD_E_CONTENT_LENGTH)},
        {"cl-empty-first", R11 "Content-Length: ,5\r\n\r\n", 0, 0, ERR(WARD_E_CONTENT_LENGTH)},
        {"cl-empty-last", R11 "Content-Length: 5,\r\n\r\n", 0, 0, ERR(WARD_E_CONTENT_LENGTH)},
        {"cl-empty-last-ows", R11 "Content-Length: 5, \r\n\r\n", 0, 0,
         ERR(WARD_E_CONTENT_LENGTH)},
        {"cl-empty-mid", R11 "Content-Length: 5,,5\r\n\r\n", 0, 0, ERR(WARD_E_CONTENT_LENGTH)},
        {"cl-empty-mid-ows", R11 "Content-Length: 5, ,5\r\n\r\n", 0, 0,
         ERR(WARD_E_CONTENT_LENGTH)},
        {"cl-comma", R11 "Content-Length: ,\r\n\r\n", 0, 0, ERR(WARD_E_CONTENT_LENGTH)},
        {"cl-empty", R11 "Content-Length:\r\n\r\n", 0, 0, ERR(WARD_E_CONTENT_LENGTH)},
        {"cl-empty-ows", R11 "Content-Length:   \r\n\r\n", 0, 0, ERR(WARD_E_CONTENT_LENGTH)},
        /* an empty line is an empty element of the one list */
        {"cl-empty-line", R11 "Content-Length:\r\nContent-Length: 5\r\n\r\n", 0, 0,
         ERR(WARD_E_CONTENT_LENGTH)},
        {"cl-plus", R11 "Content-Length: +5\r\n\r\n", 0, 0, ERR(WARD_E_CONTENT_LENGTH)},
        {"cl-minus", R11 "Content-Length: -5\r\n\r\n", 0, 0, ERR(WARD_E_CONTENT_LENGTH)},
        {"cl-minus-0", R11 "Content-Length: -0\r\n\r\n", 0, 0, ERR(WARD_E_CONTENT_LENGTH)},
        {"cl-hex", R11 "Content-Length: 0x5\r\n\r\n", 0, 0, ERR(WARD_E_CONTENT_LENGTH)},
        {"cl-hex-digit", R11 "Content-Length: a\r\n\r\n", 0, 0, ERR(WARD_E_CONTENT_LENGTH)},
        {"cl-hex-tail", R11 "Content-Length: 5a\r\n\r\n", 0, 0, ERR(WARD_E_CONTENT_LENGTH)},
        {"cl-underscore", R11 "Content-Length: 1_0\r\n\r\n", 0, 0, ERR(WARD_E_CONTENT_LENGTH)},
        {"cl-space-inside", R11 "Content-Length: 4 2\r\n\r\n", 0, 0, ERR(WARD_E_CONTENT_LENGTH)},
        {"cl-tab-inside", R11 "Content-Length: 4\t2\r\n\r\n", 0, 0, ERR(WARD_E_CONTENT_LENGTH)},
        {"cl-dot", R11 "Content-Length: 5.0\r\n\r\n", 0, 0, ERR(WARD_E_CONTENT_LENGTH)},
        {"cl-semicolon", R11 "Content-Length: 5;\r\n\r\n", 0, 0, ERR(WARD_E_CONTENT_LENGTH)},
        {"cl-quoted", R11 "Content-Length: \"5\"\r\n\r\n", 0, 0, ERR(WARD_E_CONTENT_LENGTH)},
        {"cl-word", R11 "Content-Length: five\r\n\r\n", 0, 0, ERR(WARD_E_CONTENT_LENGTH)},
        {"cl-obs-text", R11 "Content-Length: 5\xC2\xA0\r\n\r\n", 0, 0,
         ERR(WARD_E_CONTENT_LENGTH)},
        {"cl-bad-http10", R10 "Content-Length: x\r\n\r\n", 0, 0, ERR(WARD_E_CONTENT_LENGTH)},
        {"cl-bad-keepalive", R11 "Connection: keep-alive\r\nContent-Length: x\r\n\r\n", 0, 0,
         ERR(WARD_E_CONTENT_LENGTH)},
    };
    RUN_ALL(vs);
}

/* WARD_BODY_CAP (10^18) is the largest length; anything over it, overflowing
 * uint64_t or not, is malformed (rule 6 runs before the limit of rule 7). */
Test(frame, content_length_cap)
{
    static const fvec vs[] = {
        {"cap", R11 "Content-Length: 1000000000000000000\r\n\r\n", 0, CAP, OK_LEN(CAP)},
        {"cap-max-u64", R11 "Content-Length: 1000000000000000000\r\n\r\n", 0, UINT64_MAX,
         OK_LEN(CAP)},
        {"cap-zeros", R11 "Content-Length: 0001000000000000000000\r\n\r\n", 0, CAP, OK_LEN(CAP)},
        {"cap-minus-1", R11 "Content-Length: 999999999999999999\r\n\r\n", 0, CAP,
         OK_LEN(CAP - 1)},
        {"cap-plus-1", R11 "Content-Length: 1000000000000000001\r\n\r\n", 0, UINT64_MAX,
         ERR(WARD_E_CONTENT_LENGTH)},
        {"cap-plus-1-default", R11 "Content-Length: 1000000000000000001\r\n\r\n", 0, 0,
         ERR(WARD_E_CONTENT_LENGTH)},
        {"cap-times-10", R11 "Content-Length: 10000000000000000000\r\n\r\n", 0, UINT64_MAX,
         ERR(WARD_E_CONTENT_LENGTH)},
        {"u64-max", R11 "Content-Length: 18446744073709551615\r\n\r\n", 0, UINT64_MAX,
         ERR(WARD_E_CONTENT_LENGTH)},
        /* 2^64 and 2^64 + 5: wrap to 0 and 5 in uint64_t */
        {"u64-wrap-0", R11 "Content-Length: 18446744073709551616\r\n\r\n", 0, UINT64_MAX,
         ERR(WARD_E_CONTENT_LENGTH)},
        {"u64-wrap-5", R11 "Content-Length: 18446744073709551621\r\n\r\n", 0, UINT64_MAX,
         ERR(WARD_E_CONTENT_LENGTH)},
        /* 2^65 + 5 */
        {"u65-wrap-5", R11 "Content-Length: 36893488147419103237\r\n\r\n", 0, 0,
         ERR(WARD_E_CONTENT_LENGTH)},
        {"20-nines", R11 "Content-Length: 99999999999999999999\r\n\r\n", 0, UINT64_MAX,
         ERR(WARD_E_CONTENT_LENGTH)},
        {"30-digits", R11 "Content-Length: 123456789012345678901234567890\r\n\r\n", 0, 0,
         ERR(WARD_E_CONTENT_LENGTH)},
        /* the list of equal too-large values is still too large */
        {"cap-plus-1-list", R11 "Content-Length: 1000000000000000001, 1000000000000000001\r\n\r\n",
         0, UINT64_MAX, ERR(WARD_E_CONTENT_LENGTH)},
        /* with the default limit, 10^18 is well-formed but too large */
        {"cap-default", R11 "Content-Length: 1000000000000000000\r\n\r\n", 0, 0,
         ERR(WARD_E_BODY_TOO_LARGE)},
    };
    RUN_ALL(vs);
}

Test(frame, max_body)
{
    static const fvec vs[] = {
        {"default-at", R11 "Content-Length: 1048576\r\n\r\n", 0, 0, OK_LEN(MIB)},
        {"default-over", R11 "Content-Length: 1048577\r\n\r\n", 0, 0, ERR(WARD_E_BODY_TOO_LARGE)},
        {"explicit-default-at", R11 "Content-Length: 1048576\r\n\r\n", 0, MIB, OK_LEN(MIB)},
        {"explicit-default-over", R11 "Content-Length: 1048577\r\n\r\n", 0, MIB,
         ERR(WARD_E_BODY_TOO_LARGE)},
        {"100-at", R11 "Content-Length: 100\r\n\r\n", 0, 100, OK_LEN(100)},
        {"100-over", R11 "Content-Length: 101\r\n\r\n", 0, 100, ERR(WARD_E_BODY_TOO_LARGE)},
        {"100-over-list", R11 "Content-Length: 101, 101\r\n\r\n", 0, 100,
         ERR(WARD_E_BODY_TOO_LARGE)},
        {"1-at", R11 "Content-Length: 1\r\n\r\n", 0, 1, OK_LEN(1)},
        {"1-over", R11 "Content-Length: 2\r\n\r\n", 0, 1, ERR(WARD_E_BODY_TOO_LARGE)},
        {"1-zero", R11 "Content-Length: 0\r\n\r\n", 0, 1, OK_LEN(0)},
        /* an explicit limit above the default is honoured */
        {"2mib", R11 "Content-Length: 2097152\r\n\r\n", 0, 2 * MIB, OK_LEN(2 * MIB)},
        {"2mib-over", R11 "Content-Length: 2097153\r\n\r\n", 0, 2 * MIB,
         ERR(WARD_E_BODY_TOO_LARGE)},
        /* differing values are malformed before they are large */
        {"differ-large", R11 "Content-Length: 1048577, 1048578\r\n\r\n", 0, 0,
         ERR(WARD_E_CONTENT_LENGTH)},
        {"too-large-http10", R10 "Connection: keep-alive\r\nContent-Length: 101\r\n\r\n", 0, 100,
         ERR(WARD_E_BODY_TOO_LARGE)},
    };
    RUN_ALL(vs);
}

/* ---- rules 3-5: Transfer-Encoding ---- */

Test(frame, transfer_encoding_chunked)
{
    static const fvec vs[] = {
        {"chunked", R11 "Transfer-Encoding: chunked\r\n\r\n", 0, 0, OK_CHUNKED},
        {"chunked-upper", R11 "Transfer-Encoding: CHUNKED\r\n\r\n", 0, 0, OK_CHUNKED},
        {"chunked-title", R11 "Transfer-Encoding: Chunked\r\n\r\n", 0, 0, OK_CHUNKED},
        {"chunked-mixed", R11 "Transfer-Encoding: cHuNkEd\r\n\r\n", 0, 0, OK_CHUNKED},
        {"name-lower", R11 "transfer-encoding: chunked\r\n\r\n", 0, 0, OK_CHUNKED},
        {"name-upper", R11 "TRANSFER-ENCODING: chunked\r\n\r\n", 0, 0, OK_CHUNKED},
        {"ows", R11 "Transfer-Encoding:\t chunked \t\r\n\r\n", 0, 0, OK_CHUNKED},
        {"empty-elements", R11 "Transfer-Encoding: , , chunked\r\n\r\n", 0, 0, OK_CHUNKED},
        {"empty-elements-tight", R11 "Transfer-Encoding: ,,chunked\r\n\r\n", 0, 0, OK_CHUNKED},
        {"empty-after", R11 "Transfer-Encoding: chunked ,\r\n\r\n", 0, 0, OK_CHUNKED},
        {"empty-around", R11 "Transfer-Encoding: ,chunked,,\r\n\r\n", 0, 0, OK_CHUNKED},
        /* an empty line is an empty element of the one list */
        {"empty-line-first", R11 "Transfer-Encoding:\r\nTransfer-Encoding: chunked\r\n\r\n", 0, 0,
         OK_CHUNKED},
        {"empty-line-last", R11 "Transfer-Encoding: chunked\r\nTransfer-Encoding: \r\n\r\n", 0,
         0, OK_CHUNKED},
        {"keep-alive", R11 "Connection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n", 0, 0,
         OK_CHUNKED},
        {"close", R11 "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n", 0, 0,
         OK_CHUNKED, .close = 1},
        /* max_body bounds known lengths only: a chunked body is checked as it is decoded */
        {"max-body-1", R11 "Transfer-Encoding: chunked\r\n\r\n", 0, 1, OK_CHUNKED},
    };
    RUN_ALL(vs);
}

Test(frame, transfer_encoding_unsupported)
{
    static const fvec vs[] = {
        {"gzip-chunked", R11 "Transfer-Encoding: gzip, chunked\r\n\r\n", 0, 0,
         ERR(WARD_E_CODING_UNSUPPORTED)},
        {"gzip-chunked-tight", R11 "Transfer-Encoding: gzip,chunked\r\n\r\n", 0, 0,
         ERR(WARD_E_CODING_UNSUPPORTED)},
        {"deflate-chunked", R11 "Transfer-Encoding: deflate , chunked\r\n\r\n", 0, 0,
         ERR(WARD_E_CODING_UNSUPPORTED)},
        {"identity-chunked", R11 "Transfer-Encoding: identity, chunked\r\n\r\n", 0, 0,
         ERR(WARD_E_CODING_UNSUPPORTED)},
        {"custom-chunked", R11 "Transfer-Encoding: x-my.coding~1, chunked\r\n\r\n", 0, 0,
         ERR(WARD_E_CODING_UNSUPPORTED)},
        {"param-quoted", R11 "Transfer-Encoding: gzip;q=\"x\", chunked\r\n\r\n", 0, 0,
         ERR(WARD_E_CODING_UNSUPPORTED)},
        {"param-token", R11 "Transfer-Encoding: gzip;q=1, chunked\r\n\r\n", 0, 0,
         ERR(WARD_E_CODING_UNSUPPORTED)},
        {"param-ows-semicolon", R11 "Transfer-Encoding: gzip ; q=1 ;\tr=2 , chunked\r\n\r\n", 0,
         0, ERR(WARD_E_CODING_UNSUPPORTED)},
        {"param-quoted-comma", R11 "Transfer-Encoding: gzip;q=\"a, b\", chunked\r\n\r\n", 0, 0,
         ERR(WARD_E_CODING_UNSUPPORTED)},
        {"param-quoted-pair", R11 "Transfer-Encoding: gzip;q=\"a\\\"b\\\\\", chunked\r\n\r\n", 0,
         0, ERR(WARD_E_CODING_UNSUPPORTED)},
        {"param-quoted-empty", R11 "Transfer-Encoding: gzip;q=\"\", chunked\r\n\r\n", 0, 0,
         ERR(WARD_E_CODING_UNSUPPORTED)},
        {"two-codings", R11 "Transfer-Encoding: gzip, deflate, chunked\r\n\r\n", 0, 0,
         ERR(WARD_E_CODING_UNSUPPORTED)},
        /* several lines form one list */
        {"lines-gzip-chunked", R11 "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n",
         0, 0, ERR(WARD_E_CODING_UNSUPPORTED)},
        {"lines-apart", R11 "Transfer-Encoding: gzip\r\nX: y\r\ntransfer-encoding: chunked\r\n\r\n",
         0, 0, ERR(WARD_E_CODING_UNSUPPORTED)},
    };
    RUN_ALL(vs);
}

Test(frame, transfer_encoding_invalid)
{
    static const fvec vs[] = {
        {"chunked-gzip", R11 "Transfer-Encoding: chunked, gzip\r\n\r\n", 0, 0,
         ERR(WARD_E_TRANSFER_ENCODING)},
        {"chunked-twice", R11 "Transfer-Encoding: chunked, chunked\r\n\r\n", 0, 0,
         ERR(WARD_E_TRANSFER_ENCODING)},
        {"chunked-twice-case", R11 "Transfer-Encoding: Chunked, CHUNKED\r\n\r\n", 0, 0,
         ERR(WARD_E_TRANSFER_ENCODING)},
        {"chunked-param", R11 "Transfer-Encoding: chunked;a=b\r\n\r\n", 0, 0,
         ERR(WARD_E_TRANSFER_ENCODING)},
        {"chunked-param-ows", R11 "Transfer-Encoding: chunked ; a=b\r\n\r\n", 0, 0,
         ERR(WARD_E_TRANSFER_ENCODING)},
        {"chunked-param-quoted", R11 "Transfer-Encoding: chunked;a=\"b\"\r\n\r\n", 0, 0,
         ERR(WARD_E_TRANSFER_ENCODING)},
        {"chunked-semicolon", R11 "Transfer-Encoding: chunked;\r\n\r\n", 0, 0,
         ERR(WARD_E_TRANSFER_ENCODING)},
        /* rule 3 runs before rule 4: a list with an unknown coding is still malformed */
        {"gzip-chunked-gzip", R11 "Transfer-Encoding: gzip, chunked, gzip\r\n\r\n", 0, 0,
         ERR(WARD_E_TRANSFER_ENCODING)},
        {"gzip-chunked-twice", R11 "Transfer-Encoding: gzip, chunked, chunked\r\n\r\n", 0, 0,
         ERR(WARD_E_TRANSFER_ENCODING)},
        {"empty", R11 "Transfer-Encoding:\r\n\r\n", 0, 0, ERR(WARD_E_TRANSFER_ENCODING)},
        {"empty-ows", R11 "Transfer-Encoding:  \t \r\n\r\n", 0, 0, ERR(WARD_E_TRANSFER_ENCODING)},
        {"only-commas", R11 "Transfer-Encoding: , ,\r\n\r\n", 0, 0, ERR(WARD_E_TRANSFER_ENCODING)},
        {"empty-lines", R11 "Transfer-Encoding:\r\nTransfer-Encoding: ,\r\n\r\n", 0, 0,
         ERR(WARD_E_TRANSFER_ENCODING)},
        {"space-after", R11 "Transfer-Encoding: chunked x\r\n\r\n", 0, 0,
         ERR(WARD_E_TRANSFER_ENCODING)},
        {"space-inside", R11 "Transfer-Encoding: chun ked\r\n\r\n", 0, 0,
         ERR(WARD_E_TRANSFER_ENCODING)},
        {"not-token", R11 "Transfer-Encoding: @\r\n\r\n", 0, 0, ERR(WARD_E_TRANSFER_ENCODING)},
        {"not-token-elem", R11 "Transfer-Encoding: gz/ip, chunked\r\n\r\n", 0, 0,
         ERR(WARD_E_TRANSFER_ENCODING)},
        {"quoted-coding", R11 "Transfer-Encoding: \"chunked\"\r\n\r\n", 0, 0,
         ERR(WARD_E_TRANSFER_ENCODING)},
        {"param-no-eq", R11 "Transfer-Encoding: gzip;q, chunked\r\n\r\n", 0, 0,
         ERR(WARD_E_TRANSFER_ENCODING)},
        {"param-no-value", R11 "Transfer-Encoding: gzip;q=, chunked\r\n\r\n", 0, 0,
         ERR(WARD_E_TRANSFER_ENCODING)},
        {"param-no-name", R11 "Transfer-Encoding: gzip;=1, chunked\r\n\r\n", 0, 0,
         ERR(WARD_E_TRANSFER_ENCODING)},
        {"param-empty", R11 "Transfer-Encoding: gzip;, chunked\r\n\r\n", 0, 0,
         ERR(WARD_E_TRANSFER_ENCODING)},
        /* the grammar has no OWS around "=" */
        {"param-ows-eq", R11 "Transfer-Encoding: gzip;q = 1, chunked\r\n\r\n", 0, 0,
         ERR(WARD_E_TRANSFER_ENCODING)},
        {"param-unterminated", R11 "Transfer-Encoding: gzip;q=\"x, chunked\r\n\r\n", 0, 0,
         ERR(WARD_E_TRANSFER_ENCODING)},
        {"param-after-quote", R11 "Transfer-Encoding: gzip;q=\"x\"y, chunked\r\n\r\n", 0, 0,
         ERR(WARD_E_TRANSFER_ENCODING)},
        {"param-space-value", R11 "Transfer-Encoding: gzip;q=a b, chunked\r\n\r\n", 0, 0,
         ERR(WARD_E_TRANSFER_ENCODING)},
        {"lines-chunked-gzip", R11 "Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n",
         0, 0, ERR(WARD_E_TRANSFER_ENCODING)},
        {"lines-chunked-twice",
         R11 "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 0, 0,
         ERR(WARD_E_TRANSFER_ENCODING)},
        {"bad-keepalive", R11 "Connection: keep-alive\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
         0, 0, ERR(WARD_E_TRANSFER_ENCODING)},
    };
    RUN_ALL(vs);
}

/* RULES.md leaves open whether a list without chunked ("gzip") fails
 * rule 3 ("chunked not the last coding") or rule 4 (unknown coding): only
 * that it is one of the two, and closes. */
Test(frame, transfer_encoding_no_chunked)
{
    static const char *in[] = {R11 "Transfer-Encoding: gzip\r\n\r\n",
                               R11 "Transfer-Encoding: gzip, deflate\r\n\r\n",
                               R11 "Transfer-Encoding: identity\r\n\r\n"};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        ward_frame f;
        ward_status st = frame_head("no-chunked", in[i], 0, 0, &f, NULL);
        cr_assert(st == WARD_E_TRANSFER_ENCODING || st == WARD_E_CODING_UNSUPPORTED,
                  "input %zu: %d (%s)", i, (int)st, ward_status_str(st));
        cr_assert(f.close == 1 && f.body == WARD_BODY_NONE && f.length == 0);
    }
}

/* ---- rules 1-2: the faulty framings, checked first ---- */

Test(frame, te_with_cl)
{
    static const fvec vs[] = {
        {"te-cl", R11 "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", 0, 0,
         ERR(WARD_E_TE_WITH_CL)},
        {"cl-te", R11 "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 0, 0,
         ERR(WARD_E_TE_WITH_CL)},
        {"cl0-te", R11 "Content-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n", 0, 0,
         ERR(WARD_E_TE_WITH_CL)},
        /* rule 2 runs before the syntax of either field */
        {"te-bad-cl", R11 "Transfer-Encoding: @\r\nContent-Length: 5\r\n\r\n", 0, 0,
         ERR(WARD_E_TE_WITH_CL)},
        {"te-cl-bad", R11 "Transfer-Encoding: chunked\r\nContent-Length: x\r\n\r\n", 0, 0,
         ERR(WARD_E_TE_WITH_CL)},
        {"te-gzip-cl", R11 "Transfer-Encoding: gzip, chunked\r\nContent-Length: 5\r\n\r\n", 0, 0,
         ERR(WARD_E_TE_WITH_CL)},
        {"te-empty-cl", R11 "Transfer-Encoding:\r\nContent-Length: 5\r\n\r\n", 0, 0,
         ERR(WARD_E_TE_WITH_CL)},
        {"te-cl-empty", R11 "Transfer-Encoding: chunked\r\nContent-Length:\r\n\r\n", 0, 0,
         ERR(WARD_E_TE_WITH_CL)},
        {"te-cl-too-large", R11 "Transfer-Encoding: chunked\r\nContent-Length: 1048577\r\n\r\n",
         0, 0, ERR(WARD_E_TE_WITH_CL)},
        {"te-cl-keepalive",
         R11 "Connection: keep-alive\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", 0,
         0, ERR(WARD_E_TE_WITH_CL)},
    };
    RUN_ALL(vs);
}

Test(frame, te_http10)
{
    static const fvec vs[] = {
        {"te", R10 "Transfer-Encoding: chunked\r\n\r\n", 0, 0, ERR(WARD_E_TE_HTTP10)},
        /* rule 1 runs before rule 2 */
        {"te-cl", R10 "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", 0, 0,
         ERR(WARD_E_TE_HTTP10)},
        {"cl-te", R10 "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 0, 0,
         ERR(WARD_E_TE_HTTP10)},
        {"te-bad", R10 "Transfer-Encoding: @\r\n\r\n", 0, 0, ERR(WARD_E_TE_HTTP10)},
        {"te-empty", R10 "Transfer-Encoding:\r\n\r\n", 0, 0, ERR(WARD_E_TE_HTTP10)},
        {"te-gzip", R10 "Transfer-Encoding: gzip, chunked\r\n\r\n", 0, 0, ERR(WARD_E_TE_HTTP10)},
        {"te-lines", R10 "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n", 0, 0,
         ERR(WARD_E_TE_HTTP10)},
        {"te-keepalive", R10 "Connection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n", 0, 0,
         ERR(WARD_E_TE_HTTP10)},
        {"te-host", R10 "Host: a\r\nTransfer-Encoding: chunked\r\n\r\n", 0, 0,
         ERR(WARD_E_TE_HTTP10)},
    };
    RUN_ALL(vs);
}

/* ---- fields as the head parser delivered them ---- */

Test(frame, drop_underscore)
{
    const uint32_t D = WARD_PARSE_DROP_UNDERSCORE;
    const fvec vs[] = {
        {"cl-dropped", R11 "Content_Length: 5\r\n\r\n", D, 0, OK_NONE},
        {"te-dropped", R11 "Transfer_Encoding: chunked\r\n\r\n", D, 0, OK_NONE},
        {"cl-dropped-te", R11 "Content_Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", D, 0,
         OK_CHUNKED},
        {"te-dropped-cl", R11 "Transfer_Encoding: chunked\r\nContent-Length: 5\r\n\r\n", D, 0,
         OK_LEN(5)},
        {"cl-dropped-differ", R11 "Content-Length: 5\r\nContent_Length: 6\r\n\r\n", D, 0,
         OK_LEN(5)},
        {"te-dropped-http10", R10 "Transfer_Encoding: chunked\r\n\r\n", D, 0, OK_NONE,
         .close = 1},
        /* without the flag the names are other fields: never the framing ones */
        {"cl-kept", R11 "Content_Length: 5\r\n\r\n", 0, 0, OK_NONE},
        {"te-kept-cl", R11 "Transfer_Encoding: chunked\r\nContent-Length: 5\r\n\r\n", 0, 0,
         OK_LEN(5)},
    };
    RUN_ALL(vs);
}

/* An accepted obs-fold leaves CR LF in the value; in the framing fields it
 * is a syntax error of that field (OWS is SP and HTAB only), even where
 * reading CR/LF as OWS would give a valid list. */
Test(frame, obs_fold)
{
    const uint32_t F = WARD_PARSE_LENIENT_OBS_FOLD;
    const fvec vs[] = {
        {"cl-fold", R11 "Content-Length: 5,\r\n 5\r\n\r\n", F, 0, ERR(WARD_E_CONTENT_LENGTH)},
        {"cl-fold-digits", R11 "Content-Length: 5\r\n 5\r\n\r\n", F, 0,
         ERR(WARD_E_CONTENT_LENGTH)},
        {"cl-fold-tab", R11 "Content-Length: 5\r\n\t,5\r\n\r\n", F, 0,
         ERR(WARD_E_CONTENT_LENGTH)},
        {"te-fold", R11 "Transfer-Encoding: gzip,\r\n chunked\r\n\r\n", F, 0,
         ERR(WARD_E_TRANSFER_ENCODING)},
        {"te-fold-empty", R11 "Transfer-Encoding: ,\r\n chunked\r\n\r\n", F, 0,
         ERR(WARD_E_TRANSFER_ENCODING)},
        /* rule 1 still comes first */
        {"te-fold-http10", R10 "Transfer-Encoding: ,\r\n chunked\r\n\r\n", F, 0,
         ERR(WARD_E_TE_HTTP10)},
        /* a fold elsewhere does not matter */
        {"other-fold", R11 "X: a\r\n b\r\nContent-Length: 5\r\n\r\n", F, 0, OK_LEN(5)},
        {"other-fold-te", R11 "X: a\r\n b\r\nTransfer-Encoding: chunked\r\n\r\n", F, 0,
         OK_CHUNKED},
    };
    RUN_ALL(vs);
}

/* Bare LF line ends and dropped whitespace before the colon leave nothing
 * in the values: the framing is the same as with CRLF. */
Test(frame, other_leniencies)
{
    const fvec vs[] = {
        {"lf-cl", "POST / HTTP/1.1\nHost: a\nContent-Length: 5\n\n", WARD_PARSE_LENIENT_BARE_LF,
         0, OK_LEN(5)},
        {"lf-te", "POST / HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n",
         WARD_PARSE_LENIENT_BARE_LF, 0, OK_CHUNKED},
        {"ws-colon-cl", R11 "Content-Length : 5\r\n\r\n", WARD_PARSE_LENIENT_WS_BEFORE_COLON, 0,
         OK_LEN(5)},
        {"ws-colon-te-cl", R11 "Transfer-Encoding\t: chunked\r\nContent-Length: 5\r\n\r\n",
         WARD_PARSE_LENIENT_WS_BEFORE_COLON, 0, ERR(WARD_E_TE_WITH_CL)},
    };
    RUN_ALL(vs);
}

/* ---- close ---- */

Test(frame, close)
{
    static const fvec vs[] = {
        {"11-default", R11 "\r\n", 0, 0, OK_NONE, .close = 0},
        {"11-close", R11 "Connection: close\r\n\r\n", 0, 0, OK_NONE, .close = 1},
        {"11-close-case", R11 "Connection: Close\r\n\r\n", 0, 0, OK_NONE, .close = 1},
        {"11-close-list", R11 "Connection: keep-alive, close\r\n\r\n", 0, 0, OK_NONE, .close = 1},
        {"11-close-lines", R11 "Connection: upgrade\r\nConnection: close\r\n\r\n", 0, 0, OK_NONE,
         .close = 1},
        {"11-keep-alive", R11 "Connection: keep-alive\r\n\r\n", 0, 0, OK_NONE, .close = 0},
        {"11-upgrade", R11 "Connection: upgrade\r\n\r\n", 0, 0, OK_NONE, .close = 0},
        {"11-other", R11 "Connection: x-foo\r\n\r\n", 0, 0, OK_NONE, .close = 0},
        {"11-cl", R11 "Content-Length: 5\r\n\r\n", 0, 0, OK_LEN(5), .close = 0},
        {"11-cl-close", R11 "Content-Length: 5\r\nConnection: close\r\n\r\n", 0, 0, OK_LEN(5),
         .close = 1},
        {"11-chunked", R11 "Transfer-Encoding: chunked\r\n\r\n", 0, 0, OK_CHUNKED, .close = 0},
        {"10-default", R10 "\r\n", 0, 0, OK_NONE, .close = 1},
        {"10-keep-alive", R10 "Connection: keep-alive\r\n\r\n", 0, 0, OK_NONE, .close = 0},
        {"10-keep-alive-case", R10 "Connection: Keep-Alive\r\n\r\n", 0, 0, OK_NONE, .close = 0},
        {"10-keep-alive-list", R10 "Connection: foo, keep-alive\r\n\r\n", 0, 0, OK_NONE,
         .close = 0},
        {"10-keep-alive-close", R10 "Connection: keep-alive, close\r\n\r\n", 0, 0, OK_NONE,
         .close = 1},
        {"10-close", R10 "Connection: close\r\n\r\n", 0, 0, OK_NONE, .close = 1},
        {"10-upgrade", R10 "Connection: upgrade\r\n\r\n", 0, 0, OK_NONE, .close = 1},
        {"10-cl", R10 "Content-Length: 5\r\n\r\n", 0, 0, OK_LEN(5), .close = 1},
        {"10-cl-keep-alive", R10 "Content-Length: 5\r\nConnection: keep-alive\r\n\r\n", 0, 0,
         OK_LEN(5), .close = 0},
        {"10-host-keep-alive", R10 "Host: a\r\nConnection: keep-alive\r\n\r\n", 0, 0, OK_NONE,
         .close = 0},
    };
    RUN_ALL(vs);
}

/* Every error closes, whatever Connection says and whatever the version. */
Test(frame, errors_close)
{
    static const struct {
        const char *fields;
        ward_status want11, want10;
    } errs[] = {
        {"Content-Length: x\r\n", WARD_E_CONTENT_LENGTH, WARD_E_CONTENT_LENGTH},
        {"Content-Length: 5, 6\r\n", WARD_E_CONTENT_LENGTH, WARD_E_CONTENT_LENGTH},
        {"Content-Length: 1048577\r\n", WARD_E_BODY_TOO_LARGE, WARD_E_BODY_TOO_LARGE},
        {"Transfer-Encoding: chunked, gzip\r\n", WARD_E_TRANSFER_ENCODING, WARD_E_TE_HTTP10},
        {"Transfer-Encoding: gzip, chunked\r\n", WARD_E_CODING_UNSUPPORTED, WARD_E_TE_HTTP10},
        {"Transfer-Encoding: chunked\r\nContent-Length: 1\r\n", WARD_E_TE_WITH_CL,
         WARD_E_TE_HTTP10},
        {"Transfer-Encoding: chunked\r\n", WARD_OK, WARD_E_TE_HTTP10},
    };
    static const char *conn[] = {"", "Connection: keep-alive\r\n", "Connection: close\r\n"};
    char in[512];
    for (size_t e = 0; e < sizeof errs / sizeof errs[0]; e++)
        for (size_t c = 0; c < 3; c++)
            for (int v = 0; v < 2; v++) {
                ward_status want = v ? errs[e].want11 : errs[e].want10;
                if (want == WARD_OK)
                    continue;
                int k = snprintf(in, sizeof in, "%s%s%s\r\n", v ? R11 : R10, conn[c],
                                 errs[e].fields);
                cr_assert(k > 0 && (size_t)k < sizeof in);
                ward_frame f;
                ward_status st = frame_head("errors-close", in, 0, 0, &f, NULL);
                cr_assert_eq(st, want, "%s: %d (%s)", in, (int)st, ward_status_str(st));
                cr_assert(f.close == 1 && f.body == WARD_BODY_NONE && f.length == 0, "%s", in);
            }
}

/* max_body 0 is the default limit; a limit over WARD_BODY_CAP is the cap. */
Test(frame, max_body_zero_is_default)
{
    static const uint64_t lens[] = {0, 1, MIB - 1, MIB, MIB + 1, 2 * MIB};
    char in[256];
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        int k = snprintf(in, sizeof in, R11 "Content-Length: %llu\r\n\r\n",
                         (unsigned long long)lens[i]);
        cr_assert(k > 0 && (size_t)k < sizeof in);
        ward_frame f0, fd;
        ward_status s0 = frame_head("max0", in, 0, 0, &f0, NULL);
        ward_status sd = frame_head("maxd", in, 0, MIB, &fd, NULL);
        cr_assert_eq(s0, sd, "%llu", (unsigned long long)lens[i]);
        cr_assert_eq(s0, lens[i] <= MIB ? WARD_OK : WARD_E_BODY_TOO_LARGE);
        cr_assert(f0.body == fd.body && f0.length == fd.length && f0.close == fd.close);
    }
}

/* The same head framed twice, and framed after other heads, gives the same
 * answer: the function keeps no state. */
Test(frame, stateless)
{
    const char *a = R11 "Content-Length: 5\r\n\r\n";
    const char *b = R11 "Transfer-Encoding: chunked, gzip\r\n\r\n";
    ward_frame f1, f2, f3;
    cr_assert_eq(frame_head("a", a, 0, 0, &f1, NULL), WARD_OK);
    cr_assert_eq(frame_head("b", b, 0, 0, &f2, NULL), WARD_E_TRANSFER_ENCODING);
    cr_assert_eq(frame_head("a", a, 0, 0, &f3, NULL), WARD_OK);
    cr_assert(f1.body == f3.body && f1.length == f3.length && f1.close == f3.close);
    cr_assert(f1.body == WARD_BODY_LENGTH && f1.length == 5 && f1.close == 0);
}
