/* SPDX-License-Identifier: MIT */
/* ward_frame_spec.h - the framing rules of RFC 9112 §6.1-6.3 and RFC
 * 9110 §8.6 as a reference parser in ACSL logic: short recursive
 * functions over positions, one per ABNF rule, which read the field
 * values ward_parse_request() reported. ward_frame_request()'s contract
 * (ward_parse.h) says its result and frame *equal* what they give.
 * Nothing here is C; ward_parse.h includes it after ward_field.
 */
#ifndef WARD_FRAME_SPEC_H
#define WARD_FRAME_SPEC_H

/*@
  // The classes as terms (a predicate cannot be the condition of ?:):
  // tchar (RFC 9110 §5.6.2) and a field value byte (§5.5), as is_tchar
  // and is_value_byte say.
  logic boolean fr_tchar(integer c) =
    ('A' <= c && c <= 'Z') || ('a' <= c && c <= 'z') || ('0' <= c && c <= '9') ||
    c == '!' || c == '#' || c == '$' || c == '%' || c == '&' || c == '\'' ||
    c == '*' || c == '+' || c == '-' || c == '.' || c == '^' || c == '_' ||
    c == '`' || c == '|' || c == '~';
  logic boolean fr_value(integer c) =
    c == ' ' || c == '\t' || (0x21 <= c && c <= 0x7e) || (0x80 <= c && c <= 0xff);

  // OWS = *( SP / HTAB ) (RFC 9110 §5.6.3): where the run at b[i] ends in [i, e).
  logic integer fr_ows(uint8_t *b, integer i, integer e) =
    i >= e ? e : ((b[i] == ' ' || b[i] == '\t') ? fr_ows(b, i + 1, e) : i);
  // token = 1*tchar (RFC 9110 §5.6.2): where the run at b[i] ends.
  logic integer fr_token(uint8_t *b, integer i, integer e) =
    i >= e ? e : (fr_tchar(b[i]) == \true ? fr_token(b, i + 1, e) : i);
  // 1*DIGIT: where the run at b[i] ends, and its value, WARD_BODY_CAP + 1
  // once it is over WARD_BODY_CAP.
  logic integer fr_digits(uint8_t *b, integer i, integer e) =
    i >= e ? e : (('0' <= b[i] && b[i] <= '9') ? fr_digits(b, i + 1, e) : i);
  logic integer fr_dec(uint8_t *b, integer i, integer j) =
    j <= i ? 0 :
    (fr_dec(b, i, j - 1) > (WARD_BODY_CAP - (b[j - 1] - '0')) / 10 ? WARD_BODY_CAP + 1 :
     10 * fr_dec(b, i, j - 1) + (b[j - 1] - '0'));

  // Field names, case-insensitive (RFC 9110 §5.1).
  logic boolean fr_name_te(uint8_t *b, integer o, integer n) =
    n == 17 && lower(b[o]) == 't' && lower(b[o + 1]) == 'r' && lower(b[o + 2]) == 'a' &&
    lower(b[o + 3]) == 'n' && lower(b[o + 4]) == 's' && lower(b[o + 5]) == 'f' &&
    lower(b[o + 6]) == 'e' && lower(b[o + 7]) == 'r' && lower(b[o + 8]) == '-' &&
    lower(b[o + 9]) == 'e' && lower(b[o + 10]) == 'n' && lower(b[o + 11]) == 'c' &&
    lower(b[o + 12]) == 'o' && lower(b[o + 13]) == 'd' && lower(b[o + 14]) == 'i' &&
    lower(b[o + 15]) == 'n' && lower(b[o + 16]) == 'g';
  logic boolean fr_name_cl(uint8_t *b, integer o, integer n) =
    n == 14 && lower(b[o]) == 'c' && lower(b[o + 1]) == 'o' && lower(b[o + 2]) == 'n' &&
    lower(b[o + 3]) == 't' && lower(b[o + 4]) == 'e' && lower(b[o + 5]) == 'n' &&
    lower(b[o + 6]) == 't' && lower(b[o + 7]) == '-' && lower(b[o + 8]) == 'l' &&
    lower(b[o + 9]) == 'e' && lower(b[o + 10]) == 'n' && lower(b[o + 11]) == 'g' &&
    lower(b[o + 12]) == 't' && lower(b[o + 13]) == 'h';
  logic boolean fr_chunked(uint8_t *b, integer o, integer n) =
    n == 7 && lower(b[o]) == 'c' && lower(b[o + 1]) == 'h' && lower(b[o + 2]) == 'u' &&
    lower(b[o + 3]) == 'n' && lower(b[o + 4]) == 'k' && lower(b[o + 5]) == 'e' &&
    lower(b[o + 6]) == 'd';

  // Whether one of f[0 .. n) is a Transfer-Encoding (Content-Length) line.
  logic boolean any_te(uint8_t *b, ward_field *f, integer n) =
    n <= 0 ? \false : (any_te(b, f, n - 1) || fr_name_te(b, f[n - 1].name.off, f[n - 1].name.len));
  logic boolean any_cl(uint8_t *b, ward_field *f, integer n) =
    n <= 0 ? \false : (any_cl(b, f, n - 1) || fr_name_cl(b, f[n - 1].name.off, f[n - 1].name.len));
  predicate has_te(uint8_t *b, ward_field *f, integer n) = any_te(b, f, n) == \true;
  predicate has_cl(uint8_t *b, ward_field *f, integer n) = any_cl(b, f, n) == \true;

  // --- Content-Length (RFC 9110 §8.6) ---
  // Content-Length = 1*DIGIT; a list (RFC 9110 §5.6.1, OWS around each
  // element) or several lines are one length when every element is the
  // same. cl_list reads the list in b[i .. e) after the value v of the
  // elements before it (-1: none yet): the shared value, or -2 when an
  // element is empty, not all digits, over WARD_BODY_CAP, or different.
  logic integer cl_list(uint8_t *b, integer i, integer e, integer v) =
    \let d = fr_ows(b, i, e); \let j = fr_digits(b, d, e); \let x = fr_dec(b, d, j);
    \let k = fr_ows(b, j, e);
    (j == d || x > WARD_BODY_CAP || (v >= 0 && x != v)) ? -2 :
    (k >= e ? x : (b[k] != ',' ? -2 : cl_list(b, k + 1, e, x)));
  // Every Content-Length line of f[0 .. k), in order: -1 when there is
  // none, -2 when they are invalid or differ, else the length.
  logic integer cl_fields(uint8_t *b, ward_field *f, integer k) =
    k <= 0 ? -1 :
    (cl_fields(b, f, k - 1) == -2 || fr_name_cl(b, f[k - 1].name.off, f[k - 1].name.len) == \false) ?
      cl_fields(b, f, k - 1) :
      cl_list(b, f[k - 1].value.off, f[k - 1].value.off + f[k - 1].value.len, cl_fields(b, f, k - 1));
  logic integer cl_status(integer v, integer limit) =
    v < 0 ? WARD_E_CONTENT_LENGTH : (v > limit ? WARD_E_BODY_TOO_LARGE : WARD_OK);

  // --- Transfer-Encoding (RFC 9112 §6.1, RFC 9110 §10.1.4) ---
  // quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE (RFC 9110
  // §5.6.4) from b[j], just after its opening DQUOTE: the index after the
  // closing one, or -1. fr_qstep is one qdtext or quoted-pair: the index
  // after it, or -1. (Each recursive function here calls itself once: two
  // calls would let the provers unfold it without end.)
  logic integer fr_qstep(uint8_t *b, integer j, integer e) =
    b[j] == '\\' ? ((e - j < 2 || fr_value(b[j + 1]) == \false) ? -1 : j + 2) :
    (fr_value(b[j]) == \true ? j + 1 : -1);
  logic integer fr_quoted(uint8_t *b, integer j, integer e) =
    j >= e ? -1 :
    (b[j] == '"' ? j + 1 : (fr_qstep(b, j, e) < 0 ? -1 : fr_quoted(b, fr_qstep(b, j, e), e)));
  // transfer-parameter = token BWS "=" BWS ( token / quoted-string ),
  // after OWS ";" OWS (RFC 9110 §10.1.4), from b[i]: the index after it,
  // i when b[i ..] does not start with OWS ";", or -1 when malformed.
  logic integer fr_param(uint8_t *b, integer i, integer e) =
    \let j = fr_ows(b, i, e);
    (j >= e || b[j] != ';') ? i :
    \let n0 = fr_ows(b, j + 1, e); \let t = fr_token(b, n0, e);
    (t == n0 || t >= e || b[t] != '=' || t + 1 >= e) ? -1 :
    (b[t + 1] == '"' ? fr_quoted(b, t + 2, e) :
     (fr_token(b, t + 1, e) == t + 1 ? -1 : fr_token(b, t + 1, e)));
  // *( OWS ";" OWS transfer-parameter ) from b[i]: the index after the
  // last one (i when there is none), or -1.
  logic integer fr_params(uint8_t *b, integer i, integer e) =
    (fr_param(b, i, e) < 0 || fr_param(b, i, e) == i) ? fr_param(b, i, e) :
    fr_params(b, fr_param(b, i, e), e);

  // The codings seen so far, as the phase of a small automaton:
  //   0 none                     1 only other codings (chunked not last)
  //   2 chunked alone, last      3 other codings, then chunked, last
  //   4 chunked, then others     5 invalid: chunked twice or with a
  //                                parameter, or the list malformed
  // Only 2 frames the body (chunked); 3 is a coding ward does not know
  // before chunked (501, RFC 9112 §6.1 ¶11); every other phase leaves the
  // length unknown (400, RFC 9112 §6.3 ¶4).
  logic integer te_next(integer p, integer ch) =
    p == 5 ? 5 :
    (ch != 0 ? (p == 0 ? 2 : (p == 1 ? 3 : 5)) : ((p == 0 || p == 1) ? 1 : 4));
  // One transfer-coding of the list, at b[i] (not "," nor OWS): where it
  // and the OWS after it end, at "," or e, or -1 when it is malformed; and
  // the phase after it, from phase p (chunked takes no parameters).
  logic integer te_elem_end(uint8_t *b, integer i, integer e) =
    \let t = fr_token(b, i, e);
    t == i ? -1 :
    (t >= e ? e :
     (fr_params(b, t, e) < 0 ? -1 :
      ((fr_ows(b, fr_params(b, t, e), e) < e && b[fr_ows(b, fr_params(b, t, e), e)] != ',') ? -1 :
       fr_ows(b, fr_params(b, t, e), e))));
  logic integer te_elem_phase(uint8_t *b, integer i, integer e, integer p) =
    \let t = fr_token(b, i, e);
    \let p1 = te_next(p, fr_chunked(b, i, t - i) == \true ? 1 : 0);
    (t < e && fr_params(b, t, e) != t && (p1 == 2 || p1 == 3)) ? 5 : p1;
  // One step of the list at b[i]: an empty element's "," or OWS byte,
  // else one transfer-coding; where it ends (-1: malformed), and the phase.
  logic integer te_step_end(uint8_t *b, integer i, integer e) =
    (b[i] == ',' || b[i] == ' ' || b[i] == '\t') ? i + 1 : te_elem_end(b, i, e);
  logic integer te_step_phase(uint8_t *b, integer i, integer e, integer p) =
    (b[i] == ',' || b[i] == ' ' || b[i] == '\t') ? p : te_elem_phase(b, i, e, p);
  // Transfer-Encoding = #transfer-coding from b[i] in phase p; empty list
  // elements (",", OWS) are skipped (RFC 9110 §5.6.1).
  logic integer te_list(uint8_t *b, integer i, integer e, integer p) =
    i >= e ? p :
    (te_step_end(b, i, e) < 0 ? 5 : te_list(b, te_step_end(b, i, e), e, te_step_phase(b, i, e, p)));
  // Every Transfer-Encoding line of f[0 .. k), in order, as one list.
  logic integer te_fields(uint8_t *b, ward_field *f, integer k) =
    k <= 0 ? 0 :
    (fr_name_te(b, f[k - 1].name.off, f[k - 1].name.len) == \true ?
       te_list(b, f[k - 1].value.off, f[k - 1].value.off + f[k - 1].value.len, te_fields(b, f, k - 1)) :
       te_fields(b, f, k - 1));
  logic integer te_status(integer p) =
    p == 2 ? WARD_OK : (p == 3 ? WARD_E_CODING_UNSUPPORTED : WARD_E_TRANSFER_ENCODING);
*/

#endif
