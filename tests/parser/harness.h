/* SPDX-License-Identifier: MIT */
/* harness.h - run parser vectors at once, byte by byte and at every split
 * point, each parse on an input that ends at a guard page.
 *
 * Every parse made through ward_h_parse() is checked for what the API
 * promises on every call, whatever the input:
 * - the result is a defined ward_status value;
 * - buf is not written (the copy is read-only and compared afterwards);
 * - on a result other than WARD_OK, *req is all zero and *nfields is 0
 *   ("every member is reset on entry", and nothing is filled in unless the
 *   head is accepted);
 * - on WARD_OK: 0 < head_len <= len, every span lies inside the head,
 *   *nfields <= capacity, names are tokens, values are trimmed value
 *   bytes, version/form/flags hold defined values.
 */
#ifndef WARD_TEST_HARNESS_H
#define WARD_TEST_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "vectors.h"
#include "ward_parse.h"

#define WARD_H_MAX_FIELDS 256u

/* Everything one call returned. */
typedef struct ward_h_result {
    ward_status st;
    ward_request req;
    size_t nfields;
    ward_field fields[WARD_H_MAX_FIELDS];
} ward_h_result;

/* Names the parse in failure messages: "<id> [<phase> k=<k>]". */
typedef struct ward_h_ctx {
    const char *id;
    const char *phase;
    size_t k;
} ward_h_ctx;

/* Parse in[0 .. len) copied to a guard page, with prev_len, opts (may be
 * NULL) and a field array of capacity cap (<= WARD_H_MAX_FIELDS); checks
 * the invariants above and returns the status (also in out->st). */
ward_status ward_h_parse(const ward_h_ctx *c, const void *in, size_t len, size_t prev_len,
                         const ward_parse_opts *opts, size_t cap, ward_h_result *out);

/* Same status, same *req member by member, same field spans. */
int ward_h_same(const ward_h_result *a, const ward_h_result *b);
void ward_h_assert_same(const ward_h_ctx *c, const ward_h_result *want,
                        const ward_h_result *got);

/* 1 if buf[s.off .. +s.len) equals the NUL-terminated str. */
int ward_h_span_is(const void *buf, ward_span s, const char *str);
/* Same with an explicit length (strings holding NUL or CR/LF). */
int ward_h_span_eq(const void *buf, ward_span s, const void *str, size_t n);

/* The vector's input length (v->len, or strlen when 0). */
size_t ward_h_vec_len(const struct ward_vector *v);
/* The effective limits of opts (0 means default, clamped to the cap). */
uint32_t ward_h_max_head(const ward_parse_opts *o);
uint32_t ward_h_max_request_line(const ward_parse_opts *o);

/* Assert that r is what v expects (status; on WARD_OK every checked
 * member and every field, in order). in is v's input. As in vectors.h, a
 * NULL string is not checked (also a field's name or value); the count
 * v->nfields is always checked, its first WARD_VEC_MAX_FIELDS entries
 * against v->fields. */
void ward_h_check_vector(const ward_h_ctx *c, const struct ward_vector *v, const void *in,
                         const ward_h_result *r);

#define WARD_H_AT_ONCE 0x1u
#define WARD_H_BYTEWISE 0x2u
#define WARD_H_SPLITS 0x4u
#define WARD_H_ALL 0x7u

/* Run v in the given modes (WARD_H_*; splits need bytewise's prefixes and
 * run it too):
 * at once: the whole input gives v->expect and v's outputs;
 * bytewise: every prefix 1..n-1 gives WARD_AGAIN while it is shorter than
 *   the head (WARD_OK: prefixes holding the whole head give the at-once
 *   result); for an error, AGAIN or that error, and once the error then
 *   always the error;
 * splits: for every k whose prefix gave AGAIN, the whole input parsed with
 *   prev_len = k gives the at-once result. For an error the hint may defer
 *   it (AGAIN) while no end of head, no head overflow and no 414 is in the
 *   new bytes (RULES.md, the prev_len hint); otherwise it must be equal. */
void ward_h_run(const struct ward_vector *v, unsigned modes);

#endif
