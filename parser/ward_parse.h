/* SPDX-License-Identifier: MIT */
/* ward_parse.h - ward's proved HTTP/1.1 request parser.
 *
 * Allocation-free, reentrant, no dependency beyond memchr/memcmp/memcpy/
 * memset. Every function carries an ACSL contract (right after its prose
 * comment) that Frama-C WP proves with Z3 and CVC4: `ninja proofs`.
 *
 * Spans are offsets into the caller's buffer, never copies or pointers.
 * Strict by default (RFC 9112); each leniency is a named flag.
 */
#ifndef WARD_PARSE_H
#define WARD_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "ward_spec.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ward's version: the one place it is written. ward-serve --version, the
 * default Server field, the pkg-config files and the installed man page
 * take it from here; CHANGELOG.md says what each version brought. */
#define WARD_VERSION_MAJOR 0
#define WARD_VERSION_MINOR 1
#define WARD_VERSION_PATCH 0
#define WARD_VERSION "0.1.0"

/* WARD_PROVED_ONLY, defined when the parser is compiled: the high-assurance
 * build (README.md). Every #if of parser/ that Frama-C's __FRAMAC__ turns
 * off, it turns off too: no SSE2/SSSE3/AVX2 scanner bodies, no word
 * compares, no attributes; the compiler gets, token for token, the code
 * `ninja proofs` proves (tools/check_proved_only.sh checks it). */
#if defined(__GNUC__) && !defined(__FRAMAC__) && !defined(WARD_PROVED_ONLY)
#define WARD_NODISCARD __attribute__((warn_unused_result))
#else
#define WARD_NODISCARD
#endif

/* The one result enum of the kit. Values are numbered and only ever
 * appended to; they are grouped by class so that `s / 10` style tests are
 * never needed: use ward_status_http(). */
typedef enum ward_status {
    WARD_OK = 0,
    WARD_AGAIN = 1, /* incomplete: call again with more bytes */

    /* syntax: 400 */
    WARD_E_EMPTY_LINES = 10,  /* more than one empty line before the request line */
    WARD_E_METHOD = 11,       /* method is empty or not a token */
    WARD_E_TARGET = 12,       /* request-target empty, bad byte, or malformed */
    WARD_E_VERSION = 13,      /* HTTP-version malformed */
    WARD_E_REQUEST_LINE = 14, /* not exactly method SP target SP version CRLF */
    WARD_E_LINE_END = 15,     /* bare CR, or bare LF without its leniency */
    WARD_E_FIELD_NAME = 16,   /* field name empty, not a token, no colon, or space before it */
    WARD_E_FIELD_VALUE = 17,  /* NUL, CTL or DEL in a field value */
    WARD_E_OBS_FOLD = 18,     /* obs-fold without its leniency */
    WARD_E_CONTENT_LENGTH = 19,     /* Content-Length not 1*DIGIT, over WARD_BODY_CAP, or values differ */
    WARD_E_TRANSFER_ENCODING = 20,  /* Transfer-Encoding malformed, empty, chunked not last, twice or with parameters */
    WARD_E_CHUNK_SIZE = 21,         /* chunk-size not 1*HEXDIG, or its line malformed */
    WARD_E_CHUNK_EXT = 22,          /* chunk-ext not token [ "=" ( token / quoted-string ) ] */
    WARD_E_CHUNK_DATA = 23,         /* chunk data not followed by CRLF */

    /* limits */
    WARD_E_REQUEST_LINE_TOO_LONG = 30, /* 414 */
    WARD_E_FIELD_LINE_TOO_LONG = 31,   /* 431 */
    WARD_E_TOO_MANY_FIELDS = 32,       /* 431: over max_fields or the caller's array */
    WARD_E_HEAD_TOO_LARGE = 33,        /* 431 */
    WARD_E_BODY_TOO_LARGE = 34,        /* 413: over max_body (known length or decoded data) */
    WARD_E_CHUNK_EXT_TOO_LONG = 35,    /* 413: chunk extensions over max_ext bytes in all */
    WARD_E_CHUNK_OVERHEAD = 36,        /* 413: framing bytes exceed the data by over max_overhead */
    WARD_E_TRAILER_TOO_LARGE = 37,     /* 431: trailer section over max_trailer bytes */

    /* semantics */
    WARD_E_HOST_MISSING = 50,   /* 400: HTTP/1.1 without Host (RFC 9112 §3.2) */
    WARD_E_HOST_DUPLICATE = 51, /* 400: more than one Host field line */
    WARD_E_HOST_INVALID = 52,   /* 400: Host is not uri-host [ ":" port ] */
    WARD_E_TARGET_FORM = 53,    /* 400: form not allowed for the method */
    WARD_E_CONNECTION = 54,     /* 400: Connection is not a list of tokens */
    WARD_E_EXPECTATION = 55,    /* 417: Expect other than 100-continue */
    WARD_E_TE_WITH_CL = 56,     /* 400, close: Transfer-Encoding and Content-Length (RFC 9112 §6.3 ¶3) */
    WARD_E_TE_HTTP10 = 57,      /* 400, close: Transfer-Encoding in HTTP/1.0 (RFC 9112 §6.1 ¶15) */

    /* unsupported */
    WARD_E_VERSION_UNSUPPORTED = 70, /* 505: a well-formed HTTP/d.d other than 1.0, 1.1 */
    WARD_E_CODING_UNSUPPORTED = 71,  /* 501: a transfer coding other than chunked (RFC 9112 §6.1 ¶11) */

    /* internal */
    WARD_E_INTERNAL = 90 /* 500: a state the code believes unreachable */
} ward_status;

/* A run of bytes in the caller's buffer: buf[off .. off+len). */
typedef struct ward_span {
    uint32_t off;
    uint32_t len;
} ward_span;

/* One field line: name and value (OWS trimmed). */
typedef struct ward_field {
    ward_span name;
    ward_span value;
} ward_field;

/* Leniencies (each off by default) and reader options. */
#define WARD_PARSE_LENIENT_BARE_LF 0x1u       /* accept LF alone as a line end */
#define WARD_PARSE_LENIENT_OBS_FOLD 0x2u      /* accept obs-fold; see WARD_REQ_OBS_FOLD */
#define WARD_PARSE_LENIENT_WS_BEFORE_COLON 0x4u /* accept and drop SP/HTAB before ':' */
#define WARD_PARSE_DROP_UNDERSCORE 0x8u       /* drop (never reject) names containing '_' */
#define WARD_PARSE_FLAGS_ALL 0xFu

/* Default limits (bytes include the line's CRLF). */
#define WARD_DEFAULT_MAX_REQUEST_LINE 8192u
#define WARD_DEFAULT_MAX_FIELD_LINE 8192u
#define WARD_DEFAULT_MAX_FIELDS 100u
#define WARD_DEFAULT_MAX_HEAD 65536u
/* No limit may exceed this; larger values are clamped to it. */
#define WARD_LIMIT_CAP 16777216u

/* Parser options. All-zero means strict with the default limits; a zero
 * limit means its default. NULL options mean all-zero. */
typedef struct ward_parse_opts {
    uint32_t flags;            /* WARD_PARSE_* */
    uint32_t max_request_line; /* 414 beyond it */
    uint32_t max_field_line;   /* 431 beyond it */
    uint32_t max_fields;       /* 431 beyond it (dropped fields count) */
    uint32_t max_head;         /* 431 beyond it: the whole head */
} ward_parse_opts;

/* Request-target forms (RFC 9112 §3.2). */
enum ward_target_form {
    WARD_FORM_NONE = 0,
    WARD_FORM_ORIGIN = 1,    /* /path?query */
    WARD_FORM_ABSOLUTE = 2,  /* scheme://authority/path?query */
    WARD_FORM_AUTHORITY = 3, /* host:port, CONNECT only */
    WARD_FORM_ASTERISK = 4   /* *, OPTIONS only */
};

/* Facts of the semantic summary (ward_request.flags). */
#define WARD_REQ_CONN_CLOSE 0x01u      /* Connection: close */
#define WARD_REQ_CONN_KEEP_ALIVE 0x02u /* Connection: keep-alive */
#define WARD_REQ_CONN_UPGRADE 0x04u    /* Connection: upgrade */
#define WARD_REQ_EXPECT_CONTINUE 0x08u /* Expect: 100-continue */
#define WARD_REQ_HOST 0x10u            /* host is set */
#define WARD_REQ_HOST_FIELD 0x20u      /* a Host field line was present */
#define WARD_REQ_OBS_FOLD 0x40u        /* a value holds an obs-fold: see ward_unfold() */
#define WARD_REQ_EMPTY_LINE 0x80u      /* one empty line preceded the request line */
#define WARD_REQ_QUERY 0x100u          /* the target has a '?' (query may be empty) */

/* What the head parser found. Every member is reset on entry. */
typedef struct ward_request {
    ward_span method;
    ward_span target;
    ward_span path;  /* origin/absolute-form: the path ("" if absent); "*" for asterisk */
    ward_span query; /* after '?', without it */
    ward_span host;  /* absolute-form authority, else the Host value */
    uint32_t head_len; /* bytes of the head, final empty line included */
    uint32_t nlines;   /* field lines parsed, dropped ones included */
    uint32_t ndropped; /* field lines dropped by WARD_PARSE_DROP_UNDERSCORE */
    uint32_t flags;    /* WARD_REQ_* */
    uint8_t version;   /* 0: HTTP/1.0; 1: HTTP/1.1, or a higher HTTP/1.x read as 1.1 */
    uint8_t form;      /* enum ward_target_form */
} ward_request;

/*@ // A span inside the first hl bytes (written on the two members, which
    // the provers handle better than a whole struct value).
    predicate span_in(integer off, integer len, integer hl) = off + len <= hl;
    // A field line as the grammar allows it: a token name, a value of value
    // bytes (CR/LF of a fold only when fold != 0) without OWS at its ends.
    predicate field_ok(uint8_t *b, ward_field *f, integer hl, integer fold) =
      span_in(f->name.off, f->name.len, hl) && span_in(f->value.off, f->value.len, hl) &&
      f->name.len >= 1 &&
      all_tchar(b, f->name.off, f->name.off + f->name.len) &&
      (fold == 0 ==> all_value(b, f->value.off, f->value.off + f->value.len)) &&
      all_folded_value(b, f->value.off, f->value.off + f->value.len) &&
      (f->value.len > 0 ==> !is_ws(b[f->value.off]) && !is_ws(b[f->value.off + f->value.len - 1]));
    lemma field_ok_grows: \forall uint8_t *b, ward_field *f, integer h1, h2, fold;
      field_ok(b, f, h1, fold) && h1 <= h2 ==> field_ok(b, f, h2, fold);
*/

/* Parse one request head from buf[0 .. len).
 *
 * Returns WARD_OK when buf starts with a complete, valid head, with *req
 * filled in and fields[0 .. *nfields) holding the field lines kept, in
 * order; WARD_AGAIN when buf is a valid but incomplete prefix; otherwise
 * the first error found (ward_status_http() gives the status to send).
 * On entry *nfields is the capacity of fields; on return it is the count.
 * In a valid head every '%' of the request-target is followed by two hex
 * digits (RFC 3986 §2.1), and the version is HTTP/1.x: req->version is 0
 * for HTTP/1.0, 1 for HTTP/1.1 and for a higher minor version, which is
 * read as 1.1 (RFC 9110 §2.5, §6.2); any other major version is
 * WARD_E_VERSION_UNSUPPORTED.
 *
 * prev_len is a hint for callers that re-parse as bytes arrive: the length
 * of the buffer at the previous call on the same request, which returned
 * WARD_AGAIN (0 if none). With it, the parser looks for the end of the
 * head only in the new bytes and answers WARD_AGAIN without re-parsing
 * when it is absent and no limit is crossed; a syntax error in the bytes
 * is then reported when the head completes or a limit is reached, with
 * the same value as without the hint.
 *
 * The parser never writes to buf, never reads past buf[len-1], and every
 * span it returns lies inside the head.
 */
/*@ // "HTTP/1." DIGIT at buf[at ..], and the version it is read as: 0 for
    // HTTP/1.0, 1 for HTTP/1.1 and any higher minor (RFC 9110 §2.5, §6.2)
    predicate version_at(uint8_t *b, integer at, integer version) =
      b[at] == 'H' && b[at + 1] == 'T' && b[at + 2] == 'T' && b[at + 3] == 'P' &&
      b[at + 4] == '/' && b[at + 5] == '1' && b[at + 6] == '.' && is_digit(b[at + 7]) &&
      version == (b[at + 7] >= '1' ? 1 : 0);
*/
/*@ requires \valid_read(buf + (0 .. len - 1));
    requires \valid(req) && \valid(nfields);
    requires \valid(fields + (0 .. *nfields - 1));
    requires opts == \null || \valid_read(opts);
    requires \separated(req, nfields, fields + (0 .. *nfields - 1), buf + (0 .. len - 1));
    requires \separated(req, nfields);
    requires opts != \null ==> \separated(opts, req, nfields, fields + (0 .. *nfields - 1));
    assigns *req, *nfields, fields[0 .. *nfields - 1];
    ensures \result != WARD_OK ==> *nfields == 0 && req->head_len == 0;
    ensures \result == WARD_OK ==> 2 <= req->head_len <= len && buf[req->head_len - 1] == '\n';
    ensures \result == WARD_OK ==> *nfields <= \old(*nfields);
    ensures \result == WARD_OK ==> req->method.len >= 1 && span_in(req->method.off, req->method.len, req->head_len) &&
            all_tchar(buf, req->method.off, req->method.off + req->method.len) &&
            buf[req->method.off + req->method.len] == ' ';
    ensures \result == WARD_OK ==> req->target.len >= 1 && span_in(req->target.off, req->target.len, req->head_len) &&
            req->target.off == req->method.off + req->method.len + 1 &&
            all_target(buf, req->target.off, req->target.off + req->target.len) &&
            buf[req->target.off + req->target.len] == ' ';
    ensures \result == WARD_OK ==> pct_ok(buf, req->target.off, req->target.off + req->target.len);
    ensures \result == WARD_OK ==> req->version <= 1 &&
            version_at(buf, req->target.off + req->target.len + 1, req->version);
    ensures \result == WARD_OK ==> WARD_FORM_ORIGIN <= req->form <= WARD_FORM_ASTERISK;
    ensures \result == WARD_OK ==> span_in(req->path.off, req->path.len, req->head_len) &&
            span_in(req->query.off, req->query.len, req->head_len) && span_in(req->host.off, req->host.len, req->head_len);
    ensures \result == WARD_OK ==> \forall integer k; 0 <= k < *nfields ==>
              field_ok(buf, fields + k, req->head_len,
                       opts != \null && (opts->flags & WARD_PARSE_LENIENT_OBS_FOLD) != 0 ? 1 : 0);
*/
WARD_NODISCARD ward_status ward_parse_request(const uint8_t *buf, size_t len, size_t prev_len,
                                              const ward_parse_opts *opts, ward_request *req,
                                              ward_field *fields, size_t *nfields);

/* --- Body framing (RFC 9112 §6) ------------------------------------------ */

enum ward_body_kind {
    WARD_BODY_NONE = 0,    /* no body: neither Content-Length nor Transfer-Encoding */
    WARD_BODY_LENGTH = 1,  /* exactly frame.length bytes */
    WARD_BODY_CHUNKED = 2  /* chunked: decode with ward_chunked_decode() */
};

/* 1 MiB, nginx's client_max_body_size. */
#define WARD_DEFAULT_MAX_BODY 1048576u
/* No body length or body limit exceeds 10^18 (fits int64_t and off_t). */
#define WARD_BODY_CAP 1000000000000000000ull

/* The framing rules as ACSL logic: the reference ward_frame_request() is
 * proved equal to. */
#include "ward_frame_spec.h"

/* How a request's body is framed. */
typedef struct ward_frame {
    uint64_t length; /* WARD_BODY_LENGTH: the body's bytes; else 0 */
    uint8_t body;    /* enum ward_body_kind */
    uint8_t close;   /* 1: the connection must close after the response */
} ward_frame;

/*@ // The effective body limit: 0 means the default, larger means the cap.
    logic integer body_limit(integer m) =
      m == 0 ? WARD_DEFAULT_MAX_BODY : (m > WARD_BODY_CAP ? WARD_BODY_CAP : m);
    predicate frame_error(integer s) =
      s == WARD_E_CONTENT_LENGTH || s == WARD_E_TRANSFER_ENCODING || s == WARD_E_TE_WITH_CL ||
      s == WARD_E_TE_HTTP10 || s == WARD_E_CODING_UNSUPPORTED || s == WARD_E_BODY_TOO_LARGE;
*/

/* Decide how the body of a request parsed by ward_parse_request() is
 * framed (RFC 9112 §6.1-6.3), from the same buf, req and fields.
 *
 * Content-Length is 1*DIGIT, at most WARD_BODY_CAP; a list or repeated
 * field whose values are all equal is that one length, anything else is
 * WARD_E_CONTENT_LENGTH. Transfer-Encoding is a list of codings (tokens,
 * case-insensitive, with parameters); chunked must be the last coding
 * and appear once, without parameters (WARD_E_TRANSFER_ENCODING); other
 * codings are WARD_E_CODING_UNSUPPORTED. Transfer-Encoding together with
 * Content-Length, or in an HTTP/1.0 request, makes the framing faulty:
 * WARD_E_TE_WITH_CL, WARD_E_TE_HTTP10 (ward rejects rather than process
 * such a request by Transfer-Encoding alone: RFC 9112 §6.3 ¶3 allows
 * either and only rejecting leaves no body to guess at). A known length
 * over max_body (0: WARD_DEFAULT_MAX_BODY) is WARD_E_BODY_TOO_LARGE,
 * decided before any body byte is read.
 *
 * Neither field: no body (RFC 9112 §6.3 ¶7).
 *
 * frame->close says the connection must close after the response: on any
 * error (the framing is in doubt), on Connection: close, and for HTTP/1.0
 * without Connection: keep-alive.
 *
 * The contract's behaviors state this exactly, one per case; the length
 * and the codings' verdict are those of the reference parser in
 * ward_frame_spec.h (cl_fields, te_fields).
 */
/*@ requires req->head_len <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (0 .. req->head_len - 1));
    requires \valid_read(req) && \valid(frame);
    requires \valid_read(fields + (0 .. nfields - 1));
    requires \forall integer k; 0 <= k < nfields ==>
               span_in(fields[k].name.off, fields[k].name.len, req->head_len) &&
               span_in(fields[k].value.off, fields[k].value.len, req->head_len);
    requires \separated(frame, req, buf + (0 .. req->head_len - 1), fields + (0 .. nfields - 1));
    assigns *frame;
    ensures results: \result == WARD_OK || frame_error(\result);
    ensures kinds: frame->body <= WARD_BODY_CHUNKED && frame->close <= 1;
    ensures errors_close: \result != WARD_OK ==> frame->close == 1 && frame->body == WARD_BODY_NONE && frame->length == 0;
    ensures no_length: frame->body != WARD_BODY_LENGTH ==> frame->length == 0;
    ensures within_limit: \result == WARD_OK ==> frame->length <= body_limit(max_body);
    ensures chunked_11: \result == WARD_OK && frame->body == WARD_BODY_CHUNKED ==> req->version == 1;
    ensures close: \result == WARD_OK ==>
            (frame->close == 1 <==> ((req->flags & WARD_REQ_CONN_CLOSE) != 0 ||
                                     (req->version != 1 && (req->flags & WARD_REQ_CONN_KEEP_ALIVE) == 0)));
    behavior no_framing:
      assumes !has_te(buf, fields, nfields) && !has_cl(buf, fields, nfields);
      ensures \result == WARD_OK && frame->body == WARD_BODY_NONE;
    behavior te_in_http10:
      assumes has_te(buf, fields, nfields) && req->version != 1;
      ensures \result == WARD_E_TE_HTTP10;
    behavior te_with_cl:
      assumes has_te(buf, fields, nfields) && req->version == 1 && has_cl(buf, fields, nfields);
      ensures \result == WARD_E_TE_WITH_CL;
    behavior transfer_encoding:
      assumes has_te(buf, fields, nfields) && req->version == 1 && !has_cl(buf, fields, nfields);
      ensures \result == \old(te_status(te_fields(buf, fields, nfields)));
      ensures \result == WARD_OK ==> frame->body == WARD_BODY_CHUNKED;
    behavior content_length:
      assumes !has_te(buf, fields, nfields) && has_cl(buf, fields, nfields);
      ensures \result == \old(cl_status(cl_fields(buf, fields, nfields), body_limit(max_body)));
      ensures \result == WARD_OK ==>
              frame->body == WARD_BODY_LENGTH && frame->length == \old(cl_fields(buf, fields, nfields));
    complete behaviors;
    disjoint behaviors;
*/
WARD_NODISCARD ward_status ward_frame_request(const uint8_t *buf, const ward_request *req,
                                              const ward_field *fields, size_t nfields,
                                              uint64_t max_body, ward_frame *frame);

/* --- Chunked decoding (RFC 9112 §7.1) ------------------------------------- */

/* Decoder options. All-zero means strict with the default limits; a zero
 * limit means its default. NULL options mean all-zero. */
#define WARD_CHUNKED_LENIENT_BARE_LF 0x1u /* accept LF alone as a line end */
#define WARD_CHUNKED_KEEP_TRAILERS 0x2u   /* report the trailer section's bytes */
#define WARD_CHUNKED_FLAGS_ALL 0x3u

#define WARD_DEFAULT_MAX_EXT 4096u       /* chunk-extension bytes, all chunks together */
#define WARD_DEFAULT_MAX_OVERHEAD 16384u /* framing bytes beyond the data decoded */
#define WARD_DEFAULT_MAX_TRAILER 8192u   /* trailer section bytes */

typedef struct ward_chunked_opts {
    uint32_t flags;         /* WARD_CHUNKED_* */
    uint32_t max_ext;       /* WARD_E_CHUNK_EXT_TOO_LONG beyond it */
    uint32_t max_overhead;  /* WARD_E_CHUNK_OVERHEAD beyond it */
    uint32_t max_trailer;   /* WARD_E_TRAILER_TOO_LARGE beyond it */
    uint32_t max_trailer_fields; /* WARD_E_TOO_MANY_FIELDS beyond it (default WARD_DEFAULT_MAX_FIELDS) */
    uint64_t max_body;      /* WARD_E_BODY_TOO_LARGE beyond it (default WARD_DEFAULT_MAX_BODY) */
} ward_chunked_opts;

/* The decoder's state: caller-owned, all-zero before the first call. */
typedef struct ward_chunked {
    uint64_t remaining; /* data bytes left in the current chunk, or the size being read */
    uint64_t total;     /* data bytes decoded so far */
    uint64_t overhead;  /* framing bytes (size lines, extensions, CRLFs) so far */
    uint32_t ext;       /* chunk-extension bytes so far */
    uint32_t trailer;   /* trailer section bytes so far */
    uint32_t nfields;   /* trailer field lines so far */
    uint8_t state;      /* where in the grammar the next byte falls */
    uint8_t error;      /* the error, once one is found: it sticks */
} ward_chunked;

/*@ predicate chunk_limit_ok(ward_chunked *c) = c->total <= WARD_BODY_CAP && c->overhead <= 2 * WARD_BODY_CAP;
*/

/* Decode a chunked body (RFC 9112 §7.1) from the next bytes of the stream,
 * buf[0 .. len), without copying: the chunk data found is reported as a
 * span of buf. A call stops right after the first data it finds, so that
 * the caller can take it before asking for more.
 *
 * Returns WARD_AGAIN when the body is not finished: call again with
 * buf + *consumed (when *consumed < len) or with the next bytes to
 * arrive. Returns WARD_OK when the body is complete, its trailer section
 * and final CRLF included: buf + *consumed is where the next message
 * starts. Otherwise the first error; it sticks, later calls return it.
 *
 * *data is the chunk data in buf[0 .. *consumed) (len 0 if none); under
 * WARD_CHUNKED_KEEP_TRAILERS, *trailer is the trailer-section bytes found
 * (field lines and the final empty line, already checked against the
 * field-line grammar), else len 0. A call never reports both.
 *
 * The decoder never writes to buf and never reads past buf[len-1]; at
 * most 2^31 - 1 bytes are looked at per call.
 */
/*@ requires \valid(c) && \valid(consumed) && \valid(data) && \valid(trailer);
    requires \valid_read(buf + (0 .. len - 1));
    requires opts == \null || \valid_read(opts);
    requires \separated(c, consumed, data, trailer, buf + (0 .. len - 1));
    requires opts != \null ==> \separated(opts, c, consumed, data, trailer);
    requires chunk_limit_ok(c);
    assigns *c, *consumed, *data, *trailer;
    ensures *consumed <= len;
    ensures chunk_limit_ok(c);
    ensures span_in(data->off, data->len, *consumed) && span_in(trailer->off, trailer->len, *consumed);
    ensures data->len == 0 || trailer->len == 0;
    ensures c->total == \old(c->total) + data->len;
    ensures \result == WARD_OK || \result == WARD_AGAIN || \result == \old(c->error) ||
            \result == WARD_E_LINE_END || \result == WARD_E_CHUNK_SIZE || \result == WARD_E_CHUNK_EXT ||
            \result == WARD_E_CHUNK_DATA || \result == WARD_E_FIELD_NAME || \result == WARD_E_FIELD_VALUE ||
            \result == WARD_E_OBS_FOLD || \result == WARD_E_BODY_TOO_LARGE ||
            \result == WARD_E_CHUNK_EXT_TOO_LONG || \result == WARD_E_CHUNK_OVERHEAD ||
            \result == WARD_E_TRAILER_TOO_LARGE || \result == WARD_E_TOO_MANY_FIELDS ||
            \result == WARD_E_INTERNAL;
    ensures \result == WARD_AGAIN && *consumed < len && *consumed < 0x7fffffff ==>
            data->len > 0 && data->off + data->len == *consumed;
    ensures \result == WARD_AGAIN && len > 0 ==> *consumed > 0;
    ensures \result != WARD_OK && \result != WARD_AGAIN ==> c->error == \result;
*/
WARD_NODISCARD ward_status ward_chunked_decode(ward_chunked *c, const ward_chunked_opts *opts,
                                               const uint8_t *buf, size_t len, size_t *consumed,
                                               ward_span *data, ward_span *trailer);

/* Replace each CR and LF in buf[value.off .. +len) with SP: what RFC 9112
 * §5.2 asks of a recipient that accepts obs-fold. The caller owns buf. */
/*@ requires \valid(buf + (0 .. len - 1));
    assigns buf[0 .. len - 1];
    ensures \forall integer k; 0 <= k < len && (k < value.off || k >= value.off + value.len) ==>
              buf[k] == \old(buf[k]);
    ensures value.off + value.len <= len ==> \forall integer k; value.off <= k < value.off + value.len ==>
              (\old(buf[k]) == '\r' || \old(buf[k]) == '\n' ? buf[k] == ' ' : buf[k] == \old(buf[k]));
*/
void ward_unfold(uint8_t *buf, size_t len, ward_span value);

/* A short English phrase for a result ("request line too long"). Never NULL. */
/*@ assigns \nothing;
    ensures \valid_read(\result); */
const char *ward_status_str(ward_status s);

/* WARD_VERSION of the library linked in, which may differ from the header
 * a program was compiled with. Never NULL. */
/*@ assigns \nothing;
    ensures \valid_read(\result); */
const char *ward_version(void);

/* The HTTP status a server sends for a result: 0 for WARD_OK/WARD_AGAIN,
 * else 400, 413, 414, 417, 431, 500, 501 or 505. */
/*@ predicate status_400(integer s) =
      (WARD_E_EMPTY_LINES <= s <= WARD_E_CHUNK_DATA) || (WARD_E_HOST_MISSING <= s <= WARD_E_CONNECTION) ||
      s == WARD_E_TE_WITH_CL || s == WARD_E_TE_HTTP10;
    predicate status_413(integer s) = WARD_E_BODY_TOO_LARGE <= s <= WARD_E_CHUNK_OVERHEAD;
    predicate status_431(integer s) =
      (WARD_E_FIELD_LINE_TOO_LONG <= s <= WARD_E_HEAD_TOO_LARGE) || s == WARD_E_TRAILER_TOO_LARGE;
*/
/*@ assigns \nothing;
    behavior done:
      assumes s == WARD_OK || s == WARD_AGAIN;
      ensures \result == 0;
    behavior bad_request:
      assumes status_400(s);
      ensures \result == 400;
    behavior content_too_large:
      assumes status_413(s);
      ensures \result == 413;
    behavior uri_too_long:
      assumes s == WARD_E_REQUEST_LINE_TOO_LONG;
      ensures \result == 414;
    behavior expectation_failed:
      assumes s == WARD_E_EXPECTATION;
      ensures \result == 417;
    behavior fields_too_large:
      assumes status_431(s);
      ensures \result == 431;
    behavior not_implemented:
      assumes s == WARD_E_CODING_UNSUPPORTED;
      ensures \result == 501;
    behavior version_not_supported:
      assumes s == WARD_E_VERSION_UNSUPPORTED;
      ensures \result == 505;
    behavior internal:
      assumes !(s == WARD_OK || s == WARD_AGAIN) && !status_400(s) && !status_413(s) && !status_431(s) &&
              s != WARD_E_REQUEST_LINE_TOO_LONG && s != WARD_E_EXPECTATION &&
              s != WARD_E_CODING_UNSUPPORTED && s != WARD_E_VERSION_UNSUPPORTED;
      ensures \result == 500;
    complete behaviors;
    disjoint behaviors;
*/
int ward_status_http(ward_status s);

#ifdef __cplusplus
}
#endif

#endif
