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

#if defined(__GNUC__) && !defined(__FRAMAC__)
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

    /* limits */
    WARD_E_REQUEST_LINE_TOO_LONG = 30, /* 414 */
    WARD_E_FIELD_LINE_TOO_LONG = 31,   /* 431 */
    WARD_E_TOO_MANY_FIELDS = 32,       /* 431: over max_fields or the caller's array */
    WARD_E_HEAD_TOO_LARGE = 33,        /* 431 */

    /* semantics */
    WARD_E_HOST_MISSING = 50,   /* 400: HTTP/1.1 without Host (RFC 9112 §3.2) */
    WARD_E_HOST_DUPLICATE = 51, /* 400: more than one Host field line */
    WARD_E_HOST_INVALID = 52,   /* 400: Host is not uri-host [ ":" port ] */
    WARD_E_TARGET_FORM = 53,    /* 400: form not allowed for the method */
    WARD_E_CONNECTION = 54,     /* 400: Connection is not a list of tokens */
    WARD_E_EXPECTATION = 55,    /* 417: Expect other than 100-continue */

    /* unsupported */
    WARD_E_VERSION_UNSUPPORTED = 70, /* 505: a well-formed HTTP/d.d other than 1.0, 1.1 */

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
    uint8_t version;   /* HTTP/1.<version>: 0 or 1 */
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
/*@ // "HTTP/1.<minor>" at buf[at ..]
    predicate version_at(uint8_t *b, integer at, integer minor) =
      b[at] == 'H' && b[at + 1] == 'T' && b[at + 2] == 'T' && b[at + 3] == 'P' &&
      b[at + 4] == '/' && b[at + 5] == '1' && b[at + 6] == '.' && b[at + 7] == '0' + minor;
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

/* The HTTP status a server sends for a result: 0 for WARD_OK/WARD_AGAIN,
 * else 400, 414, 417, 431, 500 or 505. */
/*@ predicate status_400(integer s) =
      (WARD_E_EMPTY_LINES <= s <= WARD_E_OBS_FOLD) || (WARD_E_HOST_MISSING <= s <= WARD_E_CONNECTION);
    predicate status_431(integer s) = WARD_E_FIELD_LINE_TOO_LONG <= s <= WARD_E_HEAD_TOO_LARGE;
*/
/*@ assigns \nothing;
    behavior done:
      assumes s == WARD_OK || s == WARD_AGAIN;
      ensures \result == 0;
    behavior bad_request:
      assumes status_400(s);
      ensures \result == 400;
    behavior uri_too_long:
      assumes s == WARD_E_REQUEST_LINE_TOO_LONG;
      ensures \result == 414;
    behavior expectation_failed:
      assumes s == WARD_E_EXPECTATION;
      ensures \result == 417;
    behavior fields_too_large:
      assumes status_431(s);
      ensures \result == 431;
    behavior version_not_supported:
      assumes s == WARD_E_VERSION_UNSUPPORTED;
      ensures \result == 505;
    behavior internal:
      assumes !(s == WARD_OK || s == WARD_AGAIN) && !status_400(s) && !status_431(s) &&
              s != WARD_E_REQUEST_LINE_TOO_LONG && s != WARD_E_EXPECTATION &&
              s != WARD_E_VERSION_UNSUPPORTED;
      ensures \result == 500;
    complete behaviors;
    disjoint behaviors;
*/
int ward_status_http(ward_status s);

#ifdef __cplusplus
}
#endif

#endif
