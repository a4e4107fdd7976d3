/* SPDX-License-Identifier: MIT */
/* ward_parse_int.h - the parser's private declarations.
 *
 * The scanning primitives: each returns the first index j in [i, n) whose
 * byte is not in its class, or n. The scalar ones are proved; the fast
 * ones (SSE2 where the build has it) keep the same contract and are fuzzed
 * differentially against them (fuzz/fuzz_scan.c) and tested on every
 * alignment and length (tests/parser/test_scan.c).
 */
#ifndef WARD_PARSE_INT_H
#define WARD_PARSE_INT_H

#include "ward_parse.h"

/* A static helper the compiler must inline (a hot path's small steps);
 * Frama-C sees a plain static function with its contract. */
#if defined(__GNUC__) && !defined(__FRAMAC__) && !defined(WARD_PROVED_ONLY)
#define WARD_HOT static inline __attribute__((always_inline))
#define WARD_COLD static __attribute__((noinline, cold))
#else
#define WARD_HOT static
#define WARD_COLD static
#endif

/* WARD_STORES_APART(x): an empty asm that the compiler must take to read
 * and write the object x, so that stores to x before it and stores after
 * it are not packed into one vector store. GCC's SLP vectorizer packs a
 * field's four members, computed in general registers, into one 16-byte
 * store built with vmovd, vpinsrd and vpunpcklqdq, and then keeps the
 * fields pointer on the stack; four plain stores measured about 5% faster
 * on the browser GET (bench/README.md). No code; nothing under Frama-C. */
#if defined(__GNUC__) && !defined(__FRAMAC__) && !defined(WARD_PROVED_ONLY)
#define WARD_STORES_APART(x) __asm__("" : "+m"(x))
#else
#define WARD_STORES_APART(x) ((void)0)
#endif

/* field value bytes: HTAB, SP, VCHAR, obs-text */
/*@ requires i <= n;
    requires \valid_read(buf + (0 .. n - 1));
    assigns \nothing;
    ensures i <= \result <= n;
    ensures \forall integer k; i <= k < \result ==> is_value_byte(buf[k]);
    ensures \result < n ==> !is_value_byte(buf[\result]);
*/
size_t ward_scan_value_scalar(const uint8_t *buf, size_t i, size_t n);
/*@ requires i <= n;
    requires \valid_read(buf + (0 .. n - 1));
    assigns \nothing;
    ensures i <= \result <= n;
    ensures \forall integer k; i <= k < \result ==> is_value_byte(buf[k]);
    ensures \result < n ==> !is_value_byte(buf[\result]);
*/
size_t ward_scan_value_fast(const uint8_t *buf, size_t i, size_t n);
/* request-target bytes (is_target_char) */
/*@ requires i <= n;
    requires \valid_read(buf + (0 .. n - 1));
    assigns \nothing;
    ensures i <= \result <= n;
    ensures \forall integer k; i <= k < \result ==> is_target_char(buf[k]);
    ensures \result < n ==> !is_target_char(buf[\result]);
*/
size_t ward_scan_target_scalar(const uint8_t *buf, size_t i, size_t n);
/*@ requires i <= n;
    requires \valid_read(buf + (0 .. n - 1));
    assigns \nothing;
    ensures i <= \result <= n;
    ensures \forall integer k; i <= k < \result ==> is_target_char(buf[k]);
    ensures \result < n ==> !is_target_char(buf[\result]);
*/
size_t ward_scan_target_fast(const uint8_t *buf, size_t i, size_t n);
/* tchar */
/*@ requires i <= n;
    requires \valid_read(buf + (0 .. n - 1));
    assigns \nothing;
    ensures i <= \result <= n;
    ensures \forall integer k; i <= k < \result ==> is_tchar(buf[k]);
    ensures \result < n ==> !is_tchar(buf[\result]);
*/
size_t ward_scan_tchar_scalar(const uint8_t *buf, size_t i, size_t n);
/*@ requires i <= n;
    requires \valid_read(buf + (0 .. n - 1));
    assigns \nothing;
    ensures i <= \result <= n;
    ensures \forall integer k; i <= k < \result ==> is_tchar(buf[k]);
    ensures \result < n ==> !is_tchar(buf[\result]);
*/
size_t ward_scan_tchar_fast(const uint8_t *buf, size_t i, size_t n);
/* reg-name bytes without "%" (is_regname_char) */
/*@ requires i <= n;
    requires \valid_read(buf + (0 .. n - 1));
    assigns \nothing;
    ensures i <= \result <= n;
    ensures \forall integer k; i <= k < \result ==> is_regname_char(buf[k]);
    ensures \result < n ==> !is_regname_char(buf[\result]);
*/
size_t ward_scan_regname_scalar(const uint8_t *buf, size_t i, size_t n);
/*@ requires i <= n;
    requires \valid_read(buf + (0 .. n - 1));
    assigns \nothing;
    ensures i <= \result <= n;
    ensures \forall integer k; i <= k < \result ==> is_regname_char(buf[k]);
    ensures \result < n ==> !is_regname_char(buf[\result]);
*/
size_t ward_scan_regname_fast(const uint8_t *buf, size_t i, size_t n);
/* origin-form path bytes: target bytes but "?" (is_path_char) */
/*@ requires i <= n;
    requires \valid_read(buf + (0 .. n - 1));
    assigns \nothing;
    ensures i <= \result <= n;
    ensures \forall integer k; i <= k < \result ==> is_path_char(buf[k]);
    ensures \result < n ==> !is_path_char(buf[\result]);
*/
size_t ward_scan_path_scalar(const uint8_t *buf, size_t i, size_t n);
/*@ requires i <= n;
    requires \valid_read(buf + (0 .. n - 1));
    assigns \nothing;
    ensures i <= \result <= n;
    ensures \forall integer k; i <= k < \result ==> is_path_char(buf[k]);
    ensures \result < n ==> !is_path_char(buf[\result]);
*/
size_t ward_scan_path_fast(const uint8_t *buf, size_t i, size_t n);
/* bytes other than '%': the first '%' (pct-encoded, RFC 3986 §2.1) */
/*@ requires i <= n;
    requires \valid_read(buf + (0 .. n - 1));
    assigns \nothing;
    ensures i <= \result <= n;
    ensures \forall integer k; i <= k < \result ==> buf[k] != '%';
    ensures \result < n ==> buf[\result] == '%';
*/
size_t ward_scan_nopct_scalar(const uint8_t *buf, size_t i, size_t n);
/*@ requires i <= n;
    requires \valid_read(buf + (0 .. n - 1));
    assigns \nothing;
    ensures i <= \result <= n;
    ensures \forall integer k; i <= k < \result ==> buf[k] != '%';
    ensures \result < n ==> buf[\result] == '%';
*/
size_t ward_scan_nopct_fast(const uint8_t *buf, size_t i, size_t n);

/* The two results of scan_line() (ward_scan.h), the fused scan of a field
 * line, each on its own: the name's end, as ward_scan_tchar_fast(), and
 * the value bytes' end, as ward_scan_value_fast(). */
/*@ requires i <= n;
    requires \valid_read(buf + (0 .. n - 1));
    assigns \nothing;
    ensures i <= \result <= n;
    ensures \forall integer k; i <= k < \result ==> is_tchar(buf[k]);
    ensures \result < n ==> !is_tchar(buf[\result]);
*/
size_t ward_scan_line_name(const uint8_t *buf, size_t i, size_t n);
/*@ requires i <= n;
    requires \valid_read(buf + (0 .. n - 1));
    assigns \nothing;
    ensures i <= \result <= n;
    ensures \forall integer k; i <= k < \result ==> is_value_byte(buf[k]);
    ensures \result < n ==> !is_value_byte(buf[\result]);
*/
size_t ward_scan_line_value(const uint8_t *buf, size_t i, size_t n);

/* The two results of scan_target_path() (ward_scan.h), the fused scan of a
 * request-target, each on its own: the path's end, as
 * ward_scan_path_fast(), and the target's, as ward_scan_target_fast(). */
/*@ requires i <= n;
    requires \valid_read(buf + (0 .. n - 1));
    assigns \nothing;
    ensures i <= \result <= n;
    ensures \forall integer k; i <= k < \result ==> is_path_char(buf[k]);
    ensures \result < n ==> !is_path_char(buf[\result]);
*/
size_t ward_scan_tp_path(const uint8_t *buf, size_t i, size_t n);
/*@ requires i <= n;
    requires \valid_read(buf + (0 .. n - 1));
    assigns \nothing;
    ensures i <= \result <= n;
    ensures \forall integer k; i <= k < \result ==> is_target_char(buf[k]);
    ensures \result < n ==> !is_target_char(buf[\result]);
*/
size_t ward_scan_tp_target(const uint8_t *buf, size_t i, size_t n);

/* 1 when buf[off .. off+len) equals the lower-case literal lit[0 ..
 * litlen) with ASCII letters compared case-insensitively (field names,
 * list tokens: RFC 9110 §5.1). */
/*@ requires off + len <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (off .. off + len - 1));
    requires \valid_read(lit + (0 .. litlen - 1));
    assigns \nothing;
    ensures \result != 0 <==> (len == litlen && eq_ci(buf, off, lit, litlen)); */
int ward_name_is(const uint8_t *buf, uint32_t off, uint32_t len, const uint8_t *lit, uint32_t litlen);

/*@ predicate no_upper(uint8_t *lit, integer n) = \forall integer k; 0 <= k < n ==> !('A' <= lit[k] <= 'Z');
*/

/* ward_name_is for a literal of at most 16 bytes with no upper-case
 * letter, by the 8-bytes-at-a-time compare the head parser's semantic
 * checks use where the build has it (ward_scan.h): exported for the
 * differential tests, as the scanners' fast copies are. */
/*@ requires off + len <= WARD_LIMIT_CAP && litlen <= 16;
    requires \valid_read(buf + (off .. off + len - 1));
    requires \valid_read(lit + (0 .. litlen - 1));
    requires no_upper(lit, litlen);
    assigns \nothing;
    ensures \result != 0 <==> (len == litlen && eq_ci(buf, off, lit, litlen)); */
int ward_name_is_words(const uint8_t *buf, uint32_t off, uint32_t len, const uint8_t *lit, uint32_t litlen);

/* tchar (RFC 9110 §5.6.2) and field value byte (RFC 9110 §5.5), from the
 * tables of ward_class.h. */
/*@ assigns \nothing;
    ensures \result != 0 <==> is_tchar(c); */
int ward_class_tchar(uint8_t c);
/*@ assigns \nothing;
    ensures \result != 0 <==> is_value_byte(c); */
int ward_class_value(uint8_t c);

/* Checks the request-target's form against the method (RFC 9112 §3.2)
 * and fills in form, path, query and, for the absolute and authority
 * forms, host. pe is where a path scan from the target's start stopped
 * (the request line's scan), the origin-form path's end. */
/*@ requires n <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (0 .. n - 1));
    requires \valid(req);
    requires \separated(req, buf + (0 .. n - 1));
    requires req->target.len >= 1 && span_in(req->target.off, req->target.len, n) && span_in(req->method.off, req->method.len, n);
    requires req->host.off == 0 && req->host.len == 0;
    requires path_end_at(buf, req->target.off, req->target.off + req->target.len, pe);
    assigns req->form, req->path, req->query, req->host, req->flags;
    ensures \result == WARD_OK ==> WARD_FORM_ORIGIN <= req->form <= WARD_FORM_ASTERISK;
    ensures \result == WARD_OK ==> req->path.off + req->path.len <= req->target.off + req->target.len;
    ensures \result == WARD_OK ==> req->query.off + req->query.len <= req->target.off + req->target.len;
    ensures \result == WARD_OK ==> req->host.off + req->host.len <= req->target.off + req->target.len;
    ensures \result == WARD_OK || \result == WARD_E_TARGET || \result == WARD_E_TARGET_FORM; */
ward_status ward_classify_target(const uint8_t *buf, uint32_t n, uint32_t pe, ward_request *req);

/* Applies the meaning of one kept field line to req: Host (RFC 9112
 * §3.2), Connection (RFC 9110 §7.6.1), Expect (RFC 9110 §10.1.1). */
/*@ requires n <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (0 .. n - 1));
    requires \valid(req) && \valid_read(f);
    requires \separated(req, f, buf + (0 .. n - 1));
    requires span_in(f->name.off, f->name.len, n) && span_in(f->value.off, f->value.len, n) && span_in(req->host.off, req->host.len, n);
    assigns req->flags, req->host;
    ensures (req->host.off == \old(req->host.off) && req->host.len == \old(req->host.len)) ||
            (req->host.off == f->value.off && req->host.len == f->value.len);
    ensures \result == WARD_OK || \result == WARD_E_HOST_DUPLICATE || \result == WARD_E_HOST_INVALID ||
            \result == WARD_E_CONNECTION || \result == WARD_E_EXPECTATION; */
ward_status ward_apply_field(const uint8_t *buf, uint32_t n, const ward_field *f, ward_request *req);

#endif
