/* SPDX-License-Identifier: MIT */
/* ward_chunked.c - the chunked body decoder (RFC 9112 §7.1).
 *
 * An explicit-state machine over a caller-owned struct: framing bytes go
 * one at a time through small pure functions (the grammar: state and byte
 * in, next state out), then through the counters that bound the body,
 * the extensions, the framing overhead and the trailer section. Chunk
 * data is never looked at: the call reports it as a span and returns.
 * parser/RULES.md says which byte gives which result; ward_chunked_spec.h
 * is the grammar's step as logic, which each framing byte's step is
 * proved to follow.
 */
#include "ward_parse_int.h"

#include "ward_ascii.h"
#include "ward_chunked_spec.h"

/* The decoder's states, in protocol order. All-zero is CS_SIZE0. */
enum chunk_state {
    CS_SIZE0 = 0,    /* the first hex digit of a chunk-size */
    CS_SIZE = 1,     /* more digits, or what ends the size */
    CS_EXT_WS = 2,   /* BWS after the size or a value: must lead to ';' */
    CS_EXT_NAME0 = 3, /* BWS after ';', then an extension name */
    CS_EXT_NAME = 4, /* in a name */
    CS_EXT_NAME_WS = 5, /* BWS after a name: must lead to '=' or ';' */
    CS_EXT_VAL0 = 6, /* BWS after '=', then a token or a quoted-string */
    CS_EXT_TOKEN = 7, /* in a token value */
    CS_EXT_QUOTED = 8, /* in a quoted-string */
    CS_EXT_ESCAPE = 9, /* after '\' in a quoted-string */
    CS_EXT_AFTER = 10, /* right after a quoted-string */
    CS_SIZE_LF = 11, /* the LF of a size line */
    CS_DATA = 12,    /* chunk data */
    CS_DATA_CR = 13, /* the CR after chunk data */
    CS_DATA_LF = 14, /* the LF after it */
    CS_TRAILER = 15, /* the start of a trailer line */
    CS_TR_NAME = 16, /* in a trailer field name */
    CS_TR_VALUE = 17, /* in a trailer field value */
    CS_TR_LF = 18,   /* the LF of a trailer field line */
    CS_END_LF = 19,  /* the LF of the final empty line */
    CS_DONE = 20,    /* the body is complete */
    CS_LINE_DONE = 21 /* not stored: a size line just ended */
};

/*@ // The model's states are these (ward_chunked_spec.h mirrors the enum).
    lemma ck_states_mirror:
      CK_SIZE0 == CS_SIZE0 && CK_SIZE == CS_SIZE && CK_EXT_WS == CS_EXT_WS && CK_EXT_NAME0 == CS_EXT_NAME0 &&
      CK_EXT_NAME == CS_EXT_NAME && CK_EXT_NAME_WS == CS_EXT_NAME_WS && CK_EXT_VAL0 == CS_EXT_VAL0 &&
      CK_EXT_TOKEN == CS_EXT_TOKEN && CK_EXT_QUOTED == CS_EXT_QUOTED && CK_EXT_ESCAPE == CS_EXT_ESCAPE &&
      CK_EXT_AFTER == CS_EXT_AFTER && CK_SIZE_LF == CS_SIZE_LF && CK_DATA == CS_DATA &&
      CK_DATA_CR == CS_DATA_CR && CK_DATA_LF == CS_DATA_LF && CK_TRAILER == CS_TRAILER &&
      CK_TR_NAME == CS_TR_NAME && CK_TR_VALUE == CS_TR_VALUE && CK_TR_LF == CS_TR_LF &&
      CK_END_LF == CS_END_LF && CK_DONE == CS_DONE && CK_LINE_DONE == CS_LINE_DONE; */

/* The limits in force for a call, defaults applied. */
typedef struct chunk_limits {
    uint64_t body;
    uint32_t ext, overhead, trailer, fields, lenient, keep;
} chunk_limits;

/*@ predicate limits_ok(chunk_limits *l) = l->body <= WARD_BODY_CAP && l->lenient <= 1; */

/* A line end where one may fall: CR waits for its LF, LF alone ends the
 * line only under the leniency (RFC 9112 §2.2). */
/*@ requires lenient <= 1 && \valid(next);
    assigns *next;
    ensures \result == WARD_OK || \result == WARD_E_LINE_END;
    ensures \result == WARD_OK ==> *next == lf_state || *next == done;
    ensures \result == WARD_OK ==> *next == ck_eol(b, lenient, lf_state, done);
    ensures \result != WARD_OK ==> ck_eol(b, lenient, lf_state, done) == ck_err(\result); */
static ward_status line_end(uint8_t b, uint32_t lenient, uint8_t lf_state, uint8_t done, uint8_t *next)
{
    *next = lf_state;
    if (b == '\r')
        return WARD_OK;
    *next = done;
    return lenient != 0 ? WARD_OK : WARD_E_LINE_END;
}

/* The grammar of a size line (chunk-size, chunk-ext, CRLF) for one byte b
 * in state st (CS_SIZE0 .. CS_SIZE_LF). *ext is 1 when b is an extension
 * byte. CS_LINE_DONE means the line's LF was b. */
/*@ requires st <= CS_SIZE_LF && lenient <= 1;
    requires \valid(next) && \valid(ext) && \separated(next, ext);
    assigns *next, *ext;
    ensures \result == WARD_OK || \result == WARD_E_CHUNK_SIZE || \result == WARD_E_CHUNK_EXT ||
            \result == WARD_E_LINE_END;
    ensures \result == WARD_OK ==> *next <= CS_SIZE_LF || *next == CS_LINE_DONE;
    ensures \result == WARD_OK && (st == CS_SIZE0 || (st == CS_SIZE && *next == CS_SIZE)) ==> is_hexdig(b);
    ensures \result == WARD_OK && st == CS_SIZE0 ==> *next == CS_SIZE;
    ensures \result == WARD_OK ==> *next == ck_size_line(st, b, lenient);
    ensures \result != WARD_OK ==> ck_size_line(st, b, lenient) == ck_err(\result);
    ensures *ext <= 1; */
static ward_status size_line_byte(uint8_t st, uint8_t b, uint32_t lenient, uint8_t *next, uint32_t *ext)
{
    int ws = cls_ws(b), crlf = b == '\r' || b == '\n';
    *next = st;
    *ext = !crlf;
    switch (st) {
    case CS_SIZE0:
        *ext = 0;
        if (!cls_hexdig(b))
            return WARD_E_CHUNK_SIZE; /* chunk-size = 1*HEXDIG */
        *next = CS_SIZE;
        return WARD_OK;
    case CS_SIZE:
        if (cls_hexdig(b)) {
            *ext = 0;
            return WARD_OK;
        }
        if (b == ';')
            *next = CS_EXT_NAME0;
        else if (ws)
            *next = CS_EXT_WS;
        else if (crlf)
            return line_end(b, lenient, CS_SIZE_LF, CS_LINE_DONE, next);
        else
            return WARD_E_CHUNK_SIZE;
        return WARD_OK;
    case CS_EXT_WS:
        if (b == ';')
            *next = CS_EXT_NAME0;
        else if (!ws)
            return WARD_E_CHUNK_EXT; /* BWS leads to ";" */
        return WARD_OK;
    case CS_EXT_NAME0:
        if (ward_class_tchar(b))
            *next = CS_EXT_NAME;
        else if (!ws)
            return WARD_E_CHUNK_EXT; /* chunk-ext-name = token */
        return WARD_OK;
    case CS_EXT_NAME:
        if (ward_class_tchar(b))
            return WARD_OK;
        if (b == '=')
            *next = CS_EXT_VAL0;
        else if (b == ';')
            *next = CS_EXT_NAME0;
        else if (ws)
            *next = CS_EXT_NAME_WS;
        else if (crlf)
            return line_end(b, lenient, CS_SIZE_LF, CS_LINE_DONE, next);
        else
            return WARD_E_CHUNK_EXT;
        return WARD_OK;
    case CS_EXT_NAME_WS:
        if (b == '=')
            *next = CS_EXT_VAL0;
        else if (b == ';')
            *next = CS_EXT_NAME0;
        else if (!ws)
            return WARD_E_CHUNK_EXT;
        return WARD_OK;
    case CS_EXT_VAL0:
        if (b == '"')
            *next = CS_EXT_QUOTED;
        else if (ward_class_tchar(b))
            *next = CS_EXT_TOKEN;
        else if (!ws)
            return WARD_E_CHUNK_EXT; /* chunk-ext-val = token / quoted-string */
        return WARD_OK;
    case CS_EXT_TOKEN:
    case CS_EXT_AFTER:
        if (st == CS_EXT_TOKEN && ward_class_tchar(b))
            return WARD_OK;
        if (b == ';')
            *next = CS_EXT_NAME0;
        else if (ws)
            *next = CS_EXT_WS;
        else if (crlf)
            return line_end(b, lenient, CS_SIZE_LF, CS_LINE_DONE, next);
        else
            return WARD_E_CHUNK_EXT;
        return WARD_OK;
    case CS_EXT_QUOTED:
        if (b == '"')
            *next = CS_EXT_AFTER;
        else if (b == '\\')
            *next = CS_EXT_ESCAPE;
        else if (!ward_class_value(b))
            return WARD_E_CHUNK_EXT; /* qdtext, RFC 9110 §5.6.4 */
        return WARD_OK;
    case CS_EXT_ESCAPE:
        if (!ward_class_value(b))
            return WARD_E_CHUNK_EXT; /* quoted-pair */
        *next = CS_EXT_QUOTED;
        return WARD_OK;
    default: /* CS_SIZE_LF */
        *ext = 0;
        if (b != '\n')
            return WARD_E_LINE_END; /* bare CR */
        *next = CS_LINE_DONE;
        return WARD_OK;
    }
}

/* The CRLF after chunk data (CS_DATA_CR, CS_DATA_LF). */
/*@ requires (st == CS_DATA_CR || st == CS_DATA_LF) && lenient <= 1;
    requires \valid(next);
    assigns *next;
    ensures \result == WARD_OK || \result == WARD_E_CHUNK_DATA || \result == WARD_E_LINE_END;
    ensures \result == WARD_OK ==> *next == CS_DATA_LF || *next == CS_SIZE0;
    ensures \result == WARD_OK ==> *next == ck_data_end(st, b, lenient);
    ensures \result != WARD_OK ==> ck_data_end(st, b, lenient) == ck_err(\result); */
static ward_status data_end_byte(uint8_t st, uint8_t b, uint32_t lenient, uint8_t *next)
{
    *next = CS_SIZE0;
    if (st == CS_DATA_CR) {
        if (b == '\r' || b == '\n')
            return line_end(b, lenient, CS_DATA_LF, CS_SIZE0, next);
        return WARD_E_CHUNK_DATA; /* RFC 9112 §7.1: chunk-data CRLF */
    }
    return b == '\n' ? WARD_OK : WARD_E_LINE_END;
}

/* The trailer section (CS_TRAILER .. CS_END_LF): field lines with the
 * field-line grammar (RFC 9112 §5, §7.1.2), then an empty line. *field
 * is 1 when b starts a field line. */
/*@ requires CS_TRAILER <= st <= CS_END_LF && lenient <= 1;
    requires \valid(next) && \valid(field) && \separated(next, field);
    assigns *next, *field;
    ensures \result == WARD_OK || \result == WARD_E_FIELD_NAME || \result == WARD_E_FIELD_VALUE ||
            \result == WARD_E_OBS_FOLD || \result == WARD_E_LINE_END;
    ensures \result == WARD_OK ==> CS_TRAILER <= *next <= CS_DONE;
    ensures \result == WARD_OK ==> *next == ck_trailer(st, b, lenient);
    ensures \result != WARD_OK ==> ck_trailer(st, b, lenient) == ck_err(\result);
    ensures *field <= 1; */
static ward_status trailer_byte(uint8_t st, uint8_t b, uint32_t lenient, uint8_t *next, uint32_t *field)
{
    *next = st;
    *field = 0;
    switch (st) {
    case CS_TRAILER:
        if (b == '\r' || b == '\n')
            return line_end(b, lenient, CS_END_LF, CS_DONE, next);
        if (cls_ws(b))
            return WARD_E_OBS_FOLD; /* RFC 9112 §5.2 */
        if (!ward_class_tchar(b))
            return WARD_E_FIELD_NAME;
        *field = 1;
        *next = CS_TR_NAME;
        return WARD_OK;
    case CS_TR_NAME:
        if (b == ':')
            *next = CS_TR_VALUE;
        else if (!ward_class_tchar(b))
            return WARD_E_FIELD_NAME; /* RFC 9112 §5.1: no space before ':' */
        return WARD_OK;
    case CS_TR_VALUE:
        if (b == '\r' || b == '\n')
            return line_end(b, lenient, CS_TR_LF, CS_TRAILER, next);
        if (!ward_class_value(b))
            return WARD_E_FIELD_VALUE; /* RFC 9110 §5.5 */
        return WARD_OK;
    case CS_TR_LF:
        if (b != '\n')
            return WARD_E_LINE_END;
        *next = CS_TRAILER;
        return WARD_OK;
    default: /* CS_END_LF */
        if (b != '\n')
            return WARD_E_LINE_END;
        *next = CS_DONE;
        return WARD_OK;
    }
}

/*@ predicate state_ok(ward_chunked *c) =
      c->total <= WARD_BODY_CAP && c->overhead <= 2 * WARD_BODY_CAP &&
      c->remaining <= WARD_BODY_CAP - c->total; */

/* One framing byte in a size line: grammar, then the body limit on the
 * size read so far, the extension limit, the overhead limit. */
/*@ requires \valid(c) && \valid_read(l) && \separated(c, l);
    requires limits_ok(l) && c->state <= CS_SIZE_LF && chunk_limit_ok(c) && state_ok(c);
    assigns c->state, c->remaining, c->ext, c->overhead;
    ensures chunk_limit_ok(c) && state_ok(c) && c->total == \old(c->total);
    ensures \result == WARD_OK ==> c->state <= CS_DATA || c->state == CS_TRAILER;
    ensures c->state == CS_DATA ==> c->remaining > 0;
    ensures \result == WARD_OK || \result == WARD_E_CHUNK_SIZE || \result == WARD_E_CHUNK_EXT ||
            \result == WARD_E_LINE_END || \result == WARD_E_BODY_TOO_LARGE ||
            \result == WARD_E_CHUNK_EXT_TOO_LONG || \result == WARD_E_CHUNK_OVERHEAD;
    ensures \result == WARD_OK ==>
            c->state == ck_state(\old(c->state), \old(c->remaining), b, l->lenient) &&
            c->remaining == ck_rem(\old(c->state), \old(c->remaining), b);
    ensures ck_syntax(\result) ==> ck_state(\old(c->state), \old(c->remaining), b, l->lenient) == ck_err(\result);
    ensures \result == WARD_E_BODY_TOO_LARGE ==>
            ck_state(\old(c->state), \old(c->remaining), b, l->lenient) == CK_SIZE &&
            ck_rem(\old(c->state), \old(c->remaining), b) > (l->body > c->total ? l->body - c->total : 0); */
static ward_status size_step(ward_chunked *c, uint8_t b, const chunk_limits *l)
{
    uint8_t next = CS_SIZE0;
    uint32_t ext = 0;
    ward_status st = size_line_byte(c->state, b, l->lenient, &next, &ext);
    if (st != WARD_OK)
        return st;
    if (c->state == CS_SIZE0 || (c->state == CS_SIZE && next == CS_SIZE)) {
        uint64_t room = l->body > c->total ? l->body - c->total : 0;
        uint64_t d = (uint64_t)(b <= '9' ? b - '0' : (b >= 'a' ? b - 'a' + 10 : b - 'A' + 10));
        uint64_t r = c->state == CS_SIZE0 ? 0 : c->remaining;
        if (d > room || r > (room - d) / 16)
            return WARD_E_BODY_TOO_LARGE; /* decided before the chunk's data */
        c->remaining = r * 16 + d;
    }
    if (ext != 0) {
        if (c->ext >= l->ext)
            return WARD_E_CHUNK_EXT_TOO_LONG;
        c->ext++;
    }
    if (c->overhead >= c->total + l->overhead)
        return WARD_E_CHUNK_OVERHEAD; /* 1-byte chunks, long extensions */
    c->overhead++;
    if (next == CS_LINE_DONE)
        next = c->remaining == 0 ? CS_TRAILER : CS_DATA; /* last-chunk, RFC 9112 §7.1 */
    c->state = next;
    return WARD_OK;
}

/* One byte after chunk data or in the trailer section: grammar, then the
 * overhead limit (CRLF after data) or the trailer limits. */
/*@ requires \valid(c) && \valid_read(l) && \separated(c, l);
    requires limits_ok(l) && CS_DATA_CR <= c->state <= CS_END_LF && chunk_limit_ok(c) && state_ok(c);
    assigns c->state, c->overhead, c->trailer, c->nfields;
    ensures chunk_limit_ok(c) && state_ok(c);
    ensures \result == WARD_OK ==> CS_DATA_LF <= c->state <= CS_DONE || c->state == CS_SIZE0;
    ensures \result == WARD_OK || \result == WARD_E_CHUNK_DATA || \result == WARD_E_LINE_END ||
            \result == WARD_E_FIELD_NAME || \result == WARD_E_FIELD_VALUE || \result == WARD_E_OBS_FOLD ||
            \result == WARD_E_CHUNK_OVERHEAD || \result == WARD_E_TRAILER_TOO_LARGE ||
            \result == WARD_E_TOO_MANY_FIELDS;
    ensures \result == WARD_OK ==> c->state == ck_state(\old(c->state), c->remaining, b, l->lenient);
    ensures ck_syntax(\result) ==> ck_state(\old(c->state), c->remaining, b, l->lenient) == ck_err(\result); */
static ward_status tail_step(ward_chunked *c, uint8_t b, const chunk_limits *l)
{
    uint8_t next = CS_SIZE0;
    uint32_t field = 0;
    ward_status st;
    if (c->state <= CS_DATA_LF) {
        st = data_end_byte(c->state, b, l->lenient, &next);
        if (st != WARD_OK)
            return st;
        if (c->overhead >= c->total + l->overhead)
            return WARD_E_CHUNK_OVERHEAD;
        c->overhead++;
        c->state = next;
        return WARD_OK;
    }
    st = trailer_byte(c->state, b, l->lenient, &next, &field);
    if (st != WARD_OK)
        return st;
    if (c->trailer >= l->trailer)
        return WARD_E_TRAILER_TOO_LARGE;
    c->trailer++;
    if (field != 0) {
        if (c->nfields >= l->fields)
            return WARD_E_TOO_MANY_FIELDS;
        c->nfields++;
    }
    c->state = next;
    return WARD_OK;
}

/*@ requires 2 <= st <= 255;
    requires \valid(c) && \valid(consumed) && \valid(data) && \valid(trailer);
    requires \separated(c, consumed, data, trailer);
    assigns c->error, *consumed, *data, *trailer;
    ensures *consumed == 0 && data->off == 0 && data->len == 0 && trailer->off == 0 && trailer->len == 0;
    ensures c->error == st;
    ensures \result == st; */
static ward_status chunk_fail(ward_chunked *c, ward_status st, size_t *consumed, ward_span *data,
                              ward_span *trailer)
{
    c->error = (uint8_t)st;
    *consumed = 0;
    data->off = 0;
    data->len = 0;
    trailer->off = 0;
    trailer->len = 0;
    return st;
}

/*@ requires \valid(l);
    requires opts == \null || \valid_read(opts);
    requires opts != \null ==> \separated(opts, l);
    assigns *l;
    ensures limits_ok(l); */
static void chunk_limits_of(const ward_chunked_opts *opts, chunk_limits *l)
{
    l->body = WARD_DEFAULT_MAX_BODY;
    l->ext = WARD_DEFAULT_MAX_EXT;
    l->overhead = WARD_DEFAULT_MAX_OVERHEAD;
    l->trailer = WARD_DEFAULT_MAX_TRAILER;
    l->fields = WARD_DEFAULT_MAX_FIELDS;
    l->lenient = 0;
    l->keep = 0;
    if (opts == NULL)
        return;
    if (opts->max_body != 0)
        l->body = opts->max_body > WARD_BODY_CAP ? WARD_BODY_CAP : opts->max_body;
    if (opts->max_ext != 0)
        l->ext = opts->max_ext;
    if (opts->max_overhead != 0)
        l->overhead = opts->max_overhead;
    if (opts->max_trailer != 0)
        l->trailer = opts->max_trailer;
    if (opts->max_trailer_fields != 0)
        l->fields = opts->max_trailer_fields;
    l->lenient = (opts->flags & WARD_CHUNKED_LENIENT_BARE_LF) != 0 ? 1u : 0u;
    l->keep = (opts->flags & WARD_CHUNKED_KEEP_TRAILERS) != 0 ? 1u : 0u;
}

/* Framing bytes from buf[0] on, each through size_step() or tail_step(),
 * until chunk data, the end of the body, the end of buf[0 .. n) or an
 * error. *at is where it stopped (the erring byte on an error); *tstart is
 * where the trailer section began in this call, or *at when it did not. */
/*@ requires \valid(c) && \valid_read(l) && \valid(at) && \valid(tstart);
    requires \valid_read(buf + (0 .. n - 1));
    requires \separated(c, l, at, tstart, buf + (0 .. n - 1));
    requires limits_ok(l) && chunk_limit_ok(c) && state_ok(c);
    requires c->state == CS_DATA ==> c->remaining > 0;
    assigns *at, *tstart, c->state, c->remaining, c->ext, c->overhead, c->trailer, c->nfields;
    ensures *at <= n && *tstart <= *at;
    ensures chunk_limit_ok(c) && state_ok(c);
    ensures \result == WARD_OK ==> (c->state == CS_DATA ==> c->remaining > 0);
    ensures \result == WARD_OK ==> *at == n || c->state == CS_DATA || c->state == CS_DONE;
    ensures \result == WARD_OK || \result == WARD_E_LINE_END || \result == WARD_E_CHUNK_SIZE ||
            \result == WARD_E_CHUNK_EXT || \result == WARD_E_CHUNK_DATA || \result == WARD_E_FIELD_NAME ||
            \result == WARD_E_FIELD_VALUE || \result == WARD_E_OBS_FOLD || \result == WARD_E_BODY_TOO_LARGE ||
            \result == WARD_E_CHUNK_EXT_TOO_LONG || \result == WARD_E_CHUNK_OVERHEAD ||
            \result == WARD_E_TRAILER_TOO_LARGE || \result == WARD_E_TOO_MANY_FIELDS ||
            \result == WARD_E_INTERNAL; */
static ward_status chunk_frame(ward_chunked *c, const chunk_limits *l, const uint8_t *buf, uint32_t n,
                               uint32_t *at, uint32_t *tstart)
{
    uint32_t i = 0, ts = 0;
    int in_trailer = 0;
    ward_status st = WARD_OK;
    /*@ loop invariant 0 <= i <= n && ts <= i;
        loop invariant st == WARD_OK;
        loop invariant chunk_limit_ok(c) && state_ok(c);
        loop invariant c->state == CS_DATA ==> c->remaining > 0;
        loop assigns i, ts, in_trailer, st, c->state, c->remaining, c->ext, c->overhead, c->trailer, c->nfields;
        loop variant n - i; */
    while (i < n && c->state != CS_DATA && c->state != CS_DONE) {
        uint8_t s = c->state;
        if (s <= CS_SIZE_LF) {
            st = size_step(c, buf[i], l);
        } else if (s <= CS_END_LF) {
            if (s >= CS_TRAILER && in_trailer == 0) {
                in_trailer = 1;
                ts = i;
            }
            st = tail_step(c, buf[i], l);
        } else {
            st = WARD_E_INTERNAL;
        }
        if (st != WARD_OK)
            break;
        i++;
    }
    *at = i;
    *tstart = in_trailer != 0 ? ts : i;
    return st;
}

ward_status ward_chunked_decode(ward_chunked *c, const ward_chunked_opts *opts, const uint8_t *buf,
                                size_t len, size_t *consumed, ward_span *data, ward_span *trailer)
{
    uint32_t n = len > 0x7fffffffu ? 0x7fffffffu : (uint32_t)len;
    uint32_t i = 0, tstart = 0, used, doff = 0, dlen = 0, toff = 0, tlen = 0;
    chunk_limits l;
    ward_status st;

    /* The outputs are written once, at the end (or by chunk_fail()), from
     * locals: the proof of their spans then needs no frame over the calls
     * and the writes to *c in between (with one, Z3 took 15 to 50 s, and
     * more than the timeout on a loaded machine). */
    if (c->error != 0) /* errors stick; a 1 there is no error ward wrote */
        return chunk_fail(c, c->error == WARD_AGAIN ? WARD_E_INTERNAL : (ward_status)c->error, consumed,
                          data, trailer);
    if (c->remaining > WARD_BODY_CAP - c->total)
        return chunk_fail(c, WARD_E_INTERNAL, consumed, data, trailer); /* not a state ward wrote */
    if (c->state == CS_DATA && c->remaining == 0)
        c->state = CS_DATA_CR; /* nor is this */
    chunk_limits_of(opts, &l);
    st = chunk_frame(c, &l, buf, n, &i, &tstart);
    if (st != WARD_OK)
        return chunk_fail(c, st, consumed, data, trailer);
    if (c->state == CS_DATA && i < n) {
        uint32_t take = c->remaining < (uint64_t)(n - i) ? (uint32_t)c->remaining : n - i;
        c->total += take;
        c->remaining -= take;
        if (c->remaining == 0)
            c->state = CS_DATA_CR;
        doff = i;
        dlen = take;
        used = i + take;
        st = WARD_AGAIN;
    } else {
        used = i;
        if (tstart < i && l.keep != 0) {
            toff = tstart;
            tlen = i - tstart;
        }
        st = c->state == CS_DONE ? WARD_OK : WARD_AGAIN;
    }
    *consumed = used;
    data->off = doff;
    data->len = dlen;
    trailer->off = toff;
    trailer->len = tlen;
    return st;
}
