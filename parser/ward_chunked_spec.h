/* SPDX-License-Identifier: MIT */
/* ward_chunked_spec.h - the chunked body grammar (RFC 9112 §7.1) as ACSL
 * logic, one byte at a time: what each step of ward_chunked_decode() is
 * proved to follow. Private to ward_chunked.c, which alone includes it; a
 * C compiler sees only comments.
 *
 * The model is the decoder's state machine written as a function: one
 * step takes a state s (the C enum's values, mirrored below and checked
 * equal to it in ward_chunked.c), the number r that goes with it (the
 * chunk-size read so far, or the data bytes left in the chunk) and one
 * byte, and gives the next state (ck_state) and number (ck_rem). A
 * byte that breaks a rule gives ck_err(e), e the ward_status the decoder
 * reports; a byte after the body gives CK_PAST.
 *
 * Proved: every framing byte the decoder takes goes through this step
 * (size_step() and tail_step(), and the byte-level functions under them).
 * Not proved: that a call folds the step over exactly the bytes it
 * consumes (data spans, fragment independence): tested and fuzzed
 * (proofs/README.md).
 *
 * The limits (max_body and the others) are not grammar: the contracts
 * state them apart, as conditions on the counters.
 */
#ifndef WARD_CHUNKED_SPEC_H
#define WARD_CHUNKED_SPEC_H

/*@
  // The decoder's states, in protocol order (parser/ward_chunked.c's
  // enum chunk_state, checked against it there).
  logic integer CK_SIZE0 = 0;        // the first hex digit of a chunk-size
  logic integer CK_SIZE = 1;         // more digits, or what ends the size
  logic integer CK_EXT_WS = 2;       // BWS after the size or a value: must lead to ";"
  logic integer CK_EXT_NAME0 = 3;    // BWS after ";", then an extension name
  logic integer CK_EXT_NAME = 4;     // in a name
  logic integer CK_EXT_NAME_WS = 5;  // BWS after a name: must lead to "=" or ";"
  logic integer CK_EXT_VAL0 = 6;     // BWS after "=", then a token or a quoted-string
  logic integer CK_EXT_TOKEN = 7;    // in a token value
  logic integer CK_EXT_QUOTED = 8;   // in a quoted-string
  logic integer CK_EXT_ESCAPE = 9;   // after "\" in a quoted-string
  logic integer CK_EXT_AFTER = 10;   // right after a quoted-string
  logic integer CK_SIZE_LF = 11;     // the LF of a size line
  logic integer CK_DATA = 12;        // chunk data: r bytes left
  logic integer CK_DATA_CR = 13;     // the CR after chunk data
  logic integer CK_DATA_LF = 14;     // the LF after it
  logic integer CK_TRAILER = 15;     // the start of a trailer line
  logic integer CK_TR_NAME = 16;     // in a trailer field name
  logic integer CK_TR_VALUE = 17;    // in a trailer field value
  logic integer CK_TR_LF = 18;       // the LF of a trailer field line
  logic integer CK_END_LF = 19;      // the LF of the final empty line
  logic integer CK_DONE = 20;        // the body is complete
  logic integer CK_LINE_DONE = 21;   // a size line's LF was just read (never a stored state)
  logic integer CK_PAST = 999;       // a byte after the body: not the body's
  // A byte that breaks a rule: the state holds the error the decoder reports.
  logic integer ck_err(integer e) = 1000 + e;

  // The errors that are grammar (a byte breaks a rule) and those that are
  // limits (the input is grammatical, a counter is at its limit).
  predicate ck_syntax(integer e) =
    e == WARD_E_LINE_END || e == WARD_E_CHUNK_SIZE || e == WARD_E_CHUNK_EXT || e == WARD_E_CHUNK_DATA ||
    e == WARD_E_FIELD_NAME || e == WARD_E_FIELD_VALUE || e == WARD_E_OBS_FOLD;
  predicate ck_limit(integer e) =
    e == WARD_E_BODY_TOO_LARGE || e == WARD_E_CHUNK_EXT_TOO_LONG || e == WARD_E_CHUNK_OVERHEAD ||
    e == WARD_E_TRAILER_TOO_LARGE || e == WARD_E_TOO_MANY_FIELDS;

  // Byte classes as booleans (a step is a term), the same sets as
  // ward_spec.h's is_hexdig, is_ws, is_tchar, is_value_byte.
  logic boolean ck_hexdig(integer c) =
    ('0' <= c && c <= '9') || ('A' <= c && c <= 'F') || ('a' <= c && c <= 'f');
  logic boolean ck_ws(integer c) = c == ' ' || c == '\t';
  logic boolean ck_crlf(integer c) = c == '\r' || c == '\n';
  logic boolean ck_tchar(integer c) =
    ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9') ||
    c == '!' || c == '#' || c == '$' || c == '%' || c == '&' || c == '\'' || c == '*' ||
    c == '+' || c == '-' || c == '.' || c == '^' || c == '_' || c == '`' || c == '|' || c == '~';
  logic boolean ck_value(integer c) =
    c == '\t' || (' ' <= c && c <= '~') || (0x80 <= c && c <= 0xff);
  // A hex digit's value, either case (RFC 5234 HEXDIG, RFC 9112 §7.1).
  logic integer ck_hexval(integer c) =
    ('0' <= c && c <= '9') ? c - '0' : (('a' <= c && c <= 'f') ? c - 'a' + 10 : c - 'A' + 10);

  // A line end where one may fall, at a CR or LF c: CR waits for its LF
  // (state lf); LF alone ends the line (state done) only under the
  // leniency (RFC 9112 §2.2).
  logic integer ck_eol(integer c, integer lenient, integer lf, integer done) =
    c == '\r' ? lf : (lenient != 0 ? done : ck_err(WARD_E_LINE_END));

  // A size line: chunk-size [ chunk-ext ] CRLF (RFC 9112 §7.1, §7.1.1):
  //   chunk-size = 1*HEXDIG
  //   chunk-ext  = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
  //   chunk-ext-name = token; chunk-ext-val = token / quoted-string
  //   quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE (RFC 9110 §5.6.4)
  // CK_LINE_DONE: the line ended at c.
  logic integer ck_size_line(integer s, integer c, integer lenient) =
    s == CK_SIZE0 ? (ck_hexdig(c) ? CK_SIZE : ck_err(WARD_E_CHUNK_SIZE)) :
    s == CK_SIZE ? (ck_hexdig(c) ? CK_SIZE : c == ';' ? CK_EXT_NAME0 : ck_ws(c) ? CK_EXT_WS :
                    ck_crlf(c) ? ck_eol(c, lenient, CK_SIZE_LF, CK_LINE_DONE) : ck_err(WARD_E_CHUNK_SIZE)) :
    s == CK_EXT_WS ? (c == ';' ? CK_EXT_NAME0 : ck_ws(c) ? CK_EXT_WS : ck_err(WARD_E_CHUNK_EXT)) :
    s == CK_EXT_NAME0 ? (ck_tchar(c) ? CK_EXT_NAME : ck_ws(c) ? CK_EXT_NAME0 : ck_err(WARD_E_CHUNK_EXT)) :
    s == CK_EXT_NAME ? (ck_tchar(c) ? CK_EXT_NAME : c == '=' ? CK_EXT_VAL0 : c == ';' ? CK_EXT_NAME0 :
                        ck_ws(c) ? CK_EXT_NAME_WS :
                        ck_crlf(c) ? ck_eol(c, lenient, CK_SIZE_LF, CK_LINE_DONE) : ck_err(WARD_E_CHUNK_EXT)) :
    s == CK_EXT_NAME_WS ? (c == '=' ? CK_EXT_VAL0 : c == ';' ? CK_EXT_NAME0 : ck_ws(c) ? CK_EXT_NAME_WS :
                           ck_err(WARD_E_CHUNK_EXT)) :
    s == CK_EXT_VAL0 ? (c == '"' ? CK_EXT_QUOTED : ck_tchar(c) ? CK_EXT_TOKEN : ck_ws(c) ? CK_EXT_VAL0 :
                        ck_err(WARD_E_CHUNK_EXT)) :
    s == CK_EXT_TOKEN ? (ck_tchar(c) ? CK_EXT_TOKEN : c == ';' ? CK_EXT_NAME0 : ck_ws(c) ? CK_EXT_WS :
                         ck_crlf(c) ? ck_eol(c, lenient, CK_SIZE_LF, CK_LINE_DONE) : ck_err(WARD_E_CHUNK_EXT)) :
    // qdtext and quoted-pair: value bytes (HTAB, SP, VCHAR, obs-text)
    s == CK_EXT_QUOTED ? (c == '"' ? CK_EXT_AFTER : c == '\\' ? CK_EXT_ESCAPE : ck_value(c) ? CK_EXT_QUOTED :
                          ck_err(WARD_E_CHUNK_EXT)) :
    s == CK_EXT_ESCAPE ? (ck_value(c) ? CK_EXT_QUOTED : ck_err(WARD_E_CHUNK_EXT)) :
    s == CK_EXT_AFTER ? (c == ';' ? CK_EXT_NAME0 : ck_ws(c) ? CK_EXT_WS :
                         ck_crlf(c) ? ck_eol(c, lenient, CK_SIZE_LF, CK_LINE_DONE) : ck_err(WARD_E_CHUNK_EXT)) :
    // CK_SIZE_LF: a CR must be followed by LF
    (c == '\n' ? CK_LINE_DONE : ck_err(WARD_E_LINE_END));

  // The CRLF after chunk-data (RFC 9112 §7.1: chunk-data CRLF).
  logic integer ck_data_end(integer s, integer c, integer lenient) =
    s == CK_DATA_CR ? (ck_crlf(c) ? ck_eol(c, lenient, CK_DATA_LF, CK_SIZE0) : ck_err(WARD_E_CHUNK_DATA)) :
    (c == '\n' ? CK_SIZE0 : ck_err(WARD_E_LINE_END));

  // The trailer section and the final CRLF (RFC 9112 §7.1.2, §5):
  //   trailer-section = *( field-line CRLF ); field-line = field-name ":" OWS field-value OWS
  // with no whitespace before the colon and no obs-fold (RFC 9112 §5.1, §5.2).
  logic integer ck_trailer(integer s, integer c, integer lenient) =
    s == CK_TRAILER ? (ck_crlf(c) ? ck_eol(c, lenient, CK_END_LF, CK_DONE) :
                       ck_ws(c) ? ck_err(WARD_E_OBS_FOLD) : ck_tchar(c) ? CK_TR_NAME : ck_err(WARD_E_FIELD_NAME)) :
    s == CK_TR_NAME ? (c == ':' ? CK_TR_VALUE : ck_tchar(c) ? CK_TR_NAME : ck_err(WARD_E_FIELD_NAME)) :
    s == CK_TR_VALUE ? (ck_crlf(c) ? ck_eol(c, lenient, CK_TR_LF, CK_TRAILER) :
                        ck_value(c) ? CK_TR_VALUE : ck_err(WARD_E_FIELD_VALUE)) :
    s == CK_TR_LF ? (c == '\n' ? CK_TRAILER : ck_err(WARD_E_LINE_END)) :
    // CK_END_LF
    (c == '\n' ? CK_DONE : ck_err(WARD_E_LINE_END));

  // One byte c in state (s, r). A size line that ends with size 0 is the
  // last-chunk: the trailer section follows; else r bytes of chunk-data.
  // A data byte counts r down; the last one leads to the CRLF.
  logic integer ck_state(integer s, integer r, integer c, integer lenient) =
    s <= CK_SIZE_LF ?
      (ck_size_line(s, c, lenient) == CK_LINE_DONE ? (r == 0 ? CK_TRAILER : CK_DATA) : ck_size_line(s, c, lenient)) :
    s == CK_DATA ? (r <= 1 ? CK_DATA_CR : CK_DATA) :
    s <= CK_DATA_LF ? ck_data_end(s, c, lenient) :
    s <= CK_END_LF ? ck_trailer(s, c, lenient) :
    s == CK_DONE ? CK_PAST : s;
  // The number: a hex digit of the size shifts it in (r * 16 + value), a
  // data byte counts down; nothing else changes it.
  logic integer ck_rem(integer s, integer r, integer c) =
    (s == CK_SIZE0 && ck_hexdig(c)) ? ck_hexval(c) :
    (s == CK_SIZE && ck_hexdig(c)) ? r * 16 + ck_hexval(c) :
    s == CK_DATA ? r - 1 : r;

*/

#endif
