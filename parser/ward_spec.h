/* SPDX-License-Identifier: MIT */
/* ward_spec.h - the ACSL logic shared by the parser's contracts.
 *
 * Nothing here is C: it is the grammar of RFC 9110/9112 (and the URI
 * character sets of RFC 3986) written as ACSL predicates, so that the
 * contracts in ward_parse.h and the loop invariants in the .c files speak
 * the RFC's words. A C compiler sees only comments.
 */
#ifndef WARD_SPEC_H
#define WARD_SPEC_H

/*@
  // RFC 5234 core rules.
  predicate is_digit(integer c) = '0' <= c <= '9';
  predicate is_alpha(integer c) = ('A' <= c <= 'Z') || ('a' <= c <= 'z');
  predicate is_hexdig(integer c) =
    is_digit(c) || ('A' <= c <= 'F') || ('a' <= c <= 'f');
  predicate is_vchar(integer c) = 0x21 <= c <= 0x7e;
  predicate is_ws(integer c) = c == ' ' || c == '\t';

  // RFC 9110 §5.6.2: tchar.
  predicate is_tchar(integer c) =
    is_alpha(c) || is_digit(c) ||
    c == '!' || c == '#' || c == '$' || c == '%' || c == '&' || c == '\'' ||
    c == '*' || c == '+' || c == '-' || c == '.' || c == '^' || c == '_' ||
    c == '`' || c == '|' || c == '~';

  // RFC 9110 §5.5: field-vchar = VCHAR / obs-text; field-content adds SP
  // and HTAB between them. A value byte is any of these.
  predicate is_obs_text(integer c) = 0x80 <= c <= 0xff;
  predicate is_value_byte(integer c) =
    is_ws(c) || is_vchar(c) || is_obs_text(c);

  // RFC 3986 §2.2, §2.3.
  predicate is_unreserved(integer c) =
    is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
  predicate is_sub_delim(integer c) =
    c == '!' || c == '$' || c == '&' || c == '\'' || c == '(' || c == ')' ||
    c == '*' || c == '+' || c == ',' || c == ';' || c == '=';

  // A request-target byte: pchar, "/", "?" (RFC 3986 §3.3, §3.4), the
  // "%" of pct-encoded, and the "[" "]" ":" "@" of an authority. No
  // fragment "#", no SP, CTL, DEL, non-ASCII, backslash, quote, "<>^`{|}".
  predicate is_target_char(integer c) =
    is_unreserved(c) || is_sub_delim(c) ||
    c == ':' || c == '@' || c == '/' || c == '?' || c == '%' ||
    c == '[' || c == ']';

  // reg-name bytes (RFC 3986 §3.2.2), "%" of pct-encoded included.
  predicate is_host_char(integer c) =
    is_unreserved(c) || is_sub_delim(c) || c == '%';

  // reg-name bytes other than the "%" of pct-encoded: unreserved and
  // sub-delims (RFC 3986 §3.2.2).
  predicate is_regname_char(integer c) = is_unreserved(c) || is_sub_delim(c);

  // Bytes of an origin-form path: target bytes but the "?" that starts
  // the query (RFC 3986 §3.3, §3.4).
  predicate is_path_char(integer c) = is_target_char(c) && c != '?';

  // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) (RFC 3986 §3.1)
  predicate is_scheme_char(integer c) =
    is_alpha(c) || is_digit(c) || c == '+' || c == '-' || c == '.';

  // Bytes of an IP-literal between the brackets: IPv6address and
  // IPvFuture draw only on these (RFC 3986 §3.2.2).
  predicate is_ipl_char(integer c) =
    is_unreserved(c) || is_sub_delim(c) || c == ':';

  predicate all_tchar(uint8_t *b, integer from, integer to) =
    \forall integer k; from <= k < to ==> is_tchar(b[k]);
  predicate all_value(uint8_t *b, integer from, integer to) =
    \forall integer k; from <= k < to ==> is_value_byte(b[k]);
  predicate all_target(uint8_t *b, integer from, integer to) =
    \forall integer k; from <= k < to ==> is_target_char(b[k]);
  // Where a path scan from the target's start at `from` stopped: the
  // first byte in [from, to) that is no path char, else to.
  predicate path_end_at(uint8_t *b, integer from, integer to, integer e) =
    from <= e <= to && (\forall integer k; from <= k < e ==> is_path_char(b[k])) &&
    (e < to ==> !is_path_char(b[e]));
  // pct-encoded = "%" HEXDIG HEXDIG (RFC 3986 §2.1): every "%" in
  // [from, to) is followed by two HEXDIG inside [from, to).
  predicate pct_ok(uint8_t *b, integer from, integer to) =
    \forall integer k; from <= k < to ==> b[k] == '%' ==>
      k + 2 < to && is_hexdig(b[k + 1]) && is_hexdig(b[k + 2]);
  predicate all_digit(uint8_t *b, integer from, integer to) =
    \forall integer k; from <= k < to ==> is_digit(b[k]);

  // A value byte under the obs-fold leniency: a fold's CR and LF stay in
  // the span (the caller replaces them with SP, RFC 9112 §5.2).
  predicate is_folded_value_byte(integer c) =
    is_value_byte(c) || c == '\r' || c == '\n';
  predicate all_folded_value(uint8_t *b, integer from, integer to) =
    \forall integer k; from <= k < to ==> is_folded_value_byte(b[k]);

  // Case-insensitive equality of a span with a lower-case literal held in
  // a byte array (ASCII letters only fold), and exact equality.
  logic integer lower(integer c) = ('A' <= c <= 'Z') ? c + 32 : c;
  predicate eq_ci(uint8_t *b, integer off, uint8_t *lit, integer n) =
    \forall integer k; 0 <= k < n ==> lower(b[off + k]) == lit[k];
  predicate eq_bytes(uint8_t *b, integer off, uint8_t *lit, integer n) =
    \forall integer k; 0 <= k < n ==> b[off + k] == lit[k];
*/

#endif
