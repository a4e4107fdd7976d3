/* SPDX-License-Identifier: MIT */
/* ward_parse.c - the request-head parser (RFC 9112 §2-§5, RFC 9110 §5).
 *
 * One pass, left to right, over buf[0 .. n) where n = min(len, max_head):
 * leading empty line, request line, field lines, final empty line. Each
 * line is parsed inside its own window (line start + line limit), so the
 * first byte that breaks a rule, or the first limit reached, decides.
 * Positions are uint32_t: n never exceeds WARD_LIMIT_CAP. The request
 * line's steps are in ward_request_line.h, a field line's in
 * ward_field_line.h (both part of this file); the semantic checks (Host,
 * Connection, Expect, target forms) live in ward_sem.c.
 */
#include "ward_parse_int.h"

#include "ward_scan.h"

#include "ward_request_line.h"

#include "ward_field_line.h"

/* Whether buf[from .. n) holds the end of a head: a LF followed by CR or
 * LF. Only a hint that a full parse is worth making. */
/*@ requires from <= n;
    requires \valid_read(buf + (0 .. n - 1));
    assigns \nothing;
    ensures \result == 0 || \result == 1; */
static int may_end_head(const uint8_t *buf, uint32_t from, uint32_t n)
{
    /*@ loop invariant from <= i <= n;
        loop assigns i;
        loop variant n - i; */
    for (uint32_t i = from; i < n; i++) {
        if (buf[i] == '\n' && n - i >= 2 && (buf[i + 1] == '\r' || buf[i + 1] == '\n'))
            return 1;
    }
    return 0;
}

/*@ requires 1 <= dflt <= WARD_LIMIT_CAP;
    assigns \nothing;
    ensures 1 <= \result <= WARD_LIMIT_CAP;
    ensures v != 0 && v <= WARD_LIMIT_CAP ==> \result == v;
    ensures v > WARD_LIMIT_CAP ==> \result == WARD_LIMIT_CAP;
    ensures v == 0 ==> \result == dflt; */
static uint32_t limit_or(uint32_t v, uint32_t dflt)
{
    if (v == 0)
        return dflt;
    return v > WARD_LIMIT_CAP ? WARD_LIMIT_CAP : v;
}

/*@ requires \valid_read(name + (0 .. len - 1));
    assigns \nothing;
    ensures \result == 0 || \result == 1; */
static int has_underscore(const uint8_t *name, uint32_t len)
{
    /*@ loop invariant 0 <= k <= len;
        loop assigns k;
        loop variant len - k; */
    for (uint32_t k = 0; k < len; k++) {
        if (name[k] == '_')
            return 1;
    }
    return 0;
}

/* The leading empty line RFC 9112 §2.2 asks a server to ignore: one. */
/*@ requires n <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (0 .. n - 1));
    requires \valid(pos) && \valid(req);
    requires \separated(pos, req, buf + (0 .. n - 1));
    assigns *pos, req->flags;
    ensures \result == WARD_OK ==> *pos <= 2 && *pos <= n;
    ensures \result == WARD_OK && *pos > 0 ==> buf[*pos - 1] == '\n'; */
WARD_HOT ward_status skip_empty_line(const uint8_t *buf, uint32_t n, int cut, uint32_t flags,
                                     ward_request *req, uint32_t *pos)
{
    uint32_t p = 0;
    ward_status st;
    *pos = 0;
    if (n == 0)
        return out_of_window(0, 1, cut, WARD_E_HEAD_TOO_LARGE);
    if (buf[0] == '\r' || buf[0] == '\n') {
        st = line_end(buf, 0, n, n + 1, cut, flags, WARD_E_HEAD_TOO_LARGE, &p);
        if (st != WARD_OK)
            return st;
        if (p == n)
            return out_of_window(n, n + 1, cut, WARD_E_HEAD_TOO_LARGE);
        if (buf[p] == '\r' || buf[p] == '\n') {
            uint32_t q;
            st = line_end(buf, p, n, n + 1, cut, flags, WARD_E_HEAD_TOO_LARGE, &q);
            return st == WARD_OK ? WARD_E_EMPTY_LINES : st;
        }
        req->flags |= WARD_REQ_EMPTY_LINE;
    }
    *pos = p;
    return WARD_OK;
}

/* The prev_len hint: AGAIN without a full parse when nothing new can end
 * the head or cross a limit (see ward_parse.h). */
/*@ requires n <= len && n <= WARD_LIMIT_CAP && 1 <= rl;
    requires cut == 0 ==> n == len;
    requires \valid_read(buf + (0 .. n - 1));
    assigns \nothing;
    ensures \result == 0 || \result == 1; */
static int hint_again(const uint8_t *buf, size_t len, size_t prev_len, uint32_t n, int cut, uint32_t rl)
{
    if (prev_len == 0 || prev_len > len || cut)
        return 0;
    if (len >= rl && prev_len <= (size_t)rl + 2)
        return 0; /* the request line limit may be crossed now */
    return !may_end_head(buf, prev_len >= 2 ? (uint32_t)prev_len - 2 : 0, n);
}

enum { LINE_FIELD, LINE_EMPTY, LINE_WS };

/* What a line after the request line starts with: the empty line's CR or
 * LF, SP or HTAB, or anything else (a field name, or a byte that fails
 * it). Any byte above SP, a name's usual first byte, is known at one test. */
/*@ assigns \nothing;
    ensures \result == LINE_EMPTY <==> (c == '\r' || c == '\n');
    ensures \result == LINE_WS <==> is_ws(c);
    ensures \result == LINE_FIELD || \result == LINE_EMPTY || \result == LINE_WS; */
WARD_HOT int line_kind(uint8_t c)
{
    if (c > ' ')
        return LINE_FIELD;
    if (c == '\r' || c == '\n')
        return LINE_EMPTY;
    if (cls_ws(c))
        return LINE_WS;
    return LINE_FIELD;
}

/* Parses the field lines from buf[*pos] to the end of the head. */
/*@ requires 1 <= *pos <= n <= WARD_LIMIT_CAP;
    requires 1 <= fl <= WARD_LIMIT_CAP && 1 <= nf <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (0 .. n - 1));
    requires \valid(req) && \valid(pos) && \valid(kept);
    requires \valid(fields + (0 .. cap - 1));
    requires \separated(req, pos, kept, fields + (0 .. cap - 1), buf + (0 .. n - 1));
    requires \separated(req, pos, kept);
    requires span_in(req->host.off, req->host.len, *pos) && req->ndropped == 0;
    assigns *pos, *kept, fields[0 .. cap - 1], req->flags, req->host, req->nlines, req->ndropped;
    ensures \result == WARD_OK ==> \old(*pos) < *pos <= n && buf[*pos - 1] == '\n';
    ensures \result == WARD_OK ==> *kept <= cap && span_in(req->host.off, req->host.len, *pos);
    ensures \result == WARD_OK ==> \forall integer k; 0 <= k < *kept ==>
              field_ok(buf, fields + k, *pos, fold); */
WARD_HOT ward_status parse_fields(const uint8_t *buf, uint32_t n, int cut, uint32_t fl, uint32_t nf,
                                  uint32_t flags, uint32_t fold, ward_request *req, ward_field *fields,
                                  size_t cap, uint32_t *pos, size_t *kept)
{
    uint32_t p = *pos;
    uint32_t lines = 0;
    size_t k = 0;
    /* The lines before WARD_E_TOO_MANY_FIELDS: nf, or fewer when every
     * line is kept (no underscore to drop) and cap is below it. */
    int drop = (flags & WARD_PARSE_DROP_UNDERSCORE) != 0;
    size_t most = !drop && cap < nf ? cap : nf;

    *kept = 0;
    /*@ loop invariant \at(*pos, Pre) <= p <= n;
        loop invariant k <= cap && k <= lines <= nf && req->ndropped <= lines;
        loop invariant drop == 0 ==> k == lines && lines <= cap;
        loop invariant span_in(req->host.off, req->host.len, p);
        loop invariant \forall integer j; 0 <= j < k ==>
                         field_ok(buf, fields + j, p, fold);
        loop assigns p, k, lines, fields[0 .. cap - 1], req->flags, req->host, req->ndropped;
        loop variant n - p; */
    for (;;) {
        ward_field f;
        uint32_t next;
        int folded, kind;
        ward_status st;

        if (p == n)
            return out_of_window(n, n + 1, cut, WARD_E_HEAD_TOO_LARGE);
        kind = line_kind(buf[p]);
        if (kind == LINE_EMPTY) {
            st = line_end(buf, p, n, n + 1, cut, flags, WARD_E_HEAD_TOO_LARGE, &next);
            if (st != WARD_OK)
                return st;
            *pos = next;
            *kept = k;
            req->nlines = lines;
            return WARD_OK;
        }
        if (kind == LINE_WS) /* RFC 9112 §2.2 (first line), §5.2 (obs-fold) */
            return lines == 0 ? WARD_E_FIELD_NAME : WARD_E_OBS_FOLD;
        if (lines == most)
            return WARD_E_TOO_MANY_FIELDS; /* known as the line starts */
        st = parse_field(buf, p, n, cut, fl, flags, fold, &f, &next, &folded);
        if (st != WARD_OK)
            return st;
        /*@ assert kept_fields: \forall integer j; 0 <= j < k ==>
                     field_ok(buf, fields + j, next, fold); */
        lines++;
        if (drop && has_underscore(buf + f.name.off, f.name.len)) {
            req->ndropped++;
            /*@ assert dropped_next: \forall integer j; 0 <= j < k ==> field_ok(buf, fields + j, next, fold); */
        } else {
            if (drop && k == cap)
                return WARD_E_TOO_MANY_FIELDS; /* else lines < most <= cap */
            /* Member by member: a struct copy of f, just written member by
             * member, would stall on store forwarding; and as four plain
             * stores, not one vector store (WARD_STORES_APART). */
            fields[k].name.off = f.name.off;
            fields[k].name.len = f.name.len;
            WARD_STORES_APART(fields[k].name);
            fields[k].value.off = f.value.off;
            fields[k].value.len = f.value.len;
            /*@ assert field_ok(buf, fields + k, next, fold); */
            k++;
            /*@ assert \forall integer j; 0 <= j < k ==>
                       field_ok(buf, fields + j, next, fold); */
            if (folded)
                req->flags |= WARD_REQ_OBS_FOLD;
            /* Only Host, Expect and Connection mean anything here. Their
             * first byte plus their length is 12, 11 and 13 modulo 32
             * (either case: a letter's two cases differ by 32); of the
             * usual names only they pass this one bit test, and a name
             * that does is looked at whole by ward_apply_field (given the
             * kept copy, so that f stays in registers). */
            if (((1u << 11 | 1u << 12 | 1u << 13) >> ((buf[f.name.off] + f.name.len) % 32u)) & 1u) {
                st = ward_apply_field(buf, n, fields + k - 1, req);
                if (st != WARD_OK)
                    return st;
            }
            /*@ assert kept_next: \forall integer j; 0 <= j < k ==> field_ok(buf, fields + j, next, fold); */
        }
        p = next;
    }
}

/*@ requires \valid(req) && \valid(nfields);
    requires \separated(req, nfields);
    assigns *req, *nfields;
    ensures \result == st && *nfields == 0 && req->head_len == 0;
    ensures req->host.off == 0 && req->host.len == 0 && req->ndropped == 0; */
static ward_status fail(ward_request *req, size_t *nfields, ward_status st)
{
    /* member by member: what the provers follow best */
    req->method.off = 0;
    req->method.len = 0;
    req->target.off = 0;
    req->target.len = 0;
    req->path.off = 0;
    req->path.len = 0;
    req->query.off = 0;
    req->query.len = 0;
    req->host.off = 0;
    req->host.len = 0;
    req->head_len = 0;
    req->nlines = 0;
    req->ndropped = 0;
    req->flags = 0;
    req->version = 0;
    req->form = 0;
    *nfields = 0;
    return st;
}

/* The head in buf[0 .. n): everything but the reset and the hint. */
/*@ requires n <= WARD_LIMIT_CAP;
    requires 1 <= rl <= WARD_LIMIT_CAP && 1 <= fl <= WARD_LIMIT_CAP && 1 <= nf <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (0 .. n - 1));
    requires \valid(req) && \valid(kept);
    requires \valid(fields + (0 .. cap - 1));
    requires \separated(req, kept, fields + (0 .. cap - 1), buf + (0 .. n - 1));
    requires \separated(req, kept);
    requires req->host.off == 0 && req->host.len == 0 && req->ndropped == 0 && req->head_len == 0;
    assigns *req, *kept, fields[0 .. cap - 1];
    ensures \result == WARD_OK ==> 2 <= req->head_len <= n && buf[req->head_len - 1] == '\n';
    ensures \result == WARD_OK ==> *kept <= cap;
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
    ensures \result == WARD_OK ==> \forall integer k; 0 <= k < *kept ==>
              field_ok(buf, fields + k, req->head_len, fold); */
WARD_HOT ward_status parse_head(const uint8_t *buf, uint32_t n, int cut, uint32_t rl, uint32_t fl, uint32_t nf,
                                uint32_t flags, uint32_t fold, ward_request *req, ward_field *fields, size_t cap,
                                size_t *kept)
{
    uint32_t pos, pe;
    ward_status st;

    *kept = 0;
    st = skip_empty_line(buf, n, cut, flags, req, &pos);
    if (st != WARD_OK)
        return st;
    st = parse_request_line(buf, pos, n, cut, rl, flags, req, &pos, &pe);
    if (st != WARD_OK)
        return st;
    /*@ assert rl_ok: version_at(buf, req->target.off + req->target.len + 1, req->version) &&
                      req->target.off + req->target.len + 8 < pos; */
    st = ward_classify_target(buf, n, pe, req);
    if (st != WARD_OK)
        return st;
    /*@ assert version_at(buf, req->target.off + req->target.len + 1, req->version); */
    /*@ assert req->method.len >= 1 && all_tchar(buf, req->method.off, req->method.off + req->method.len) &&
               buf[req->method.off + req->method.len] == ' ' && req->method.off + req->method.len < pos; */
    /*@ assert req->method.len >= 1 && all_tchar(buf, req->method.off, req->method.off + req->method.len) &&
               buf[req->method.off + req->method.len] == ' ' && req->method.off + req->method.len < pos; */
    /*@ assert span_in(req->path.off, req->path.len, pos) && span_in(req->query.off, req->query.len, pos) &&
               span_in(req->host.off, req->host.len, pos); */
    st = parse_fields(buf, n, cut, fl, nf, flags, fold, req, fields, cap, &pos, kept);
    if (st != WARD_OK)
        return st;
    /*@ assert version_at(buf, req->target.off + req->target.len + 1, req->version); */
    /*@ assert req->method.len >= 1 && all_tchar(buf, req->method.off, req->method.off + req->method.len) &&
               buf[req->method.off + req->method.len] == ' ' && req->method.off + req->method.len < pos; */
    if (req->version == 1 && (req->flags & WARD_REQ_HOST_FIELD) == 0)
        return WARD_E_HOST_MISSING; /* RFC 9112 §3.2 */
    /*@ assert fields_before: \forall integer k; 0 <= k < *kept ==> field_ok(buf, fields + k, pos, fold); */
    req->head_len = pos;
    /*@ assert \forall integer k; 0 <= k < *kept ==> field_ok(buf, fields + k, req->head_len, fold); */
    return WARD_OK;
}

/* pct-encoded = "%" HEXDIG HEXDIG (RFC 3986 §2.1): whether every '%' in
 * buf[from .. to) starts one. The usual target holds no '%': one scan. */
/*@ requires from <= to <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (0 .. to - 1));
    assigns \nothing;
    ensures \result != 0 <==> pct_ok(buf, from, to); */
WARD_HOT int pct_valid(const uint8_t *buf, uint32_t from, uint32_t to)
{
    uint32_t i = from;
    /*@ loop invariant from <= i <= to;
        loop invariant pct_ok(buf, from, i);
        loop assigns i;
        loop variant to - i; */
    while (i < to) {
        i = (uint32_t)scan_nopct(buf, i, to);
        if (i == to)
            break;
        if (to - i < 3 || !cls_hexdig(buf[i + 1]) || !cls_hexdig(buf[i + 2]))
            return 0;
        i += 3;
    }
    return 1;
}

/* parse_head, in two copies: one for the strict default (no flags), where
 * every leniency test folds away, and one for any flags. */
/*@ requires n <= WARD_LIMIT_CAP;
    requires flags == 0 ==> fold == 0;
    requires 1 <= rl <= WARD_LIMIT_CAP && 1 <= fl <= WARD_LIMIT_CAP && 1 <= nf <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (0 .. n - 1));
    requires \valid(req) && \valid(kept);
    requires \valid(fields + (0 .. cap - 1));
    requires \separated(req, kept, fields + (0 .. cap - 1), buf + (0 .. n - 1));
    requires \separated(req, kept);
    requires req->host.off == 0 && req->host.len == 0 && req->ndropped == 0 && req->head_len == 0;
    assigns *req, *kept, fields[0 .. cap - 1];
    ensures \result == WARD_OK ==> 2 <= req->head_len <= n && buf[req->head_len - 1] == '\n';
    ensures \result == WARD_OK ==> *kept <= cap;
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
    ensures \result == WARD_OK ==> \forall integer k; 0 <= k < *kept ==>
              field_ok(buf, fields + k, req->head_len, fold); */
static ward_status parse_head_split(const uint8_t *buf, uint32_t n, int cut, uint32_t rl, uint32_t fl,
                                    uint32_t nf, uint32_t flags, uint32_t fold, ward_request *req,
                                    ward_field *fields, size_t cap, size_t *kept)
{
    ward_status st;
    if (flags == 0) {
        st = parse_head(buf, n, cut, rl, fl, nf, 0, 0, req, fields, cap, kept);
        /*@ assert st == WARD_OK ==> \forall integer k; 0 <= k < *kept ==>
                   field_ok(buf, fields + k, req->head_len, fold); */
    } else {
        st = parse_head(buf, n, cut, rl, fl, nf, flags, fold, req, fields, cap, kept);
        /*@ assert st == WARD_OK ==> \forall integer k; 0 <= k < *kept ==>
                   field_ok(buf, fields + k, req->head_len, fold); */
    }
    return st;
}

ward_status ward_parse_request(const uint8_t *buf, size_t len, size_t prev_len,
                               const ward_parse_opts *opts, ward_request *req,
                               ward_field *fields, size_t *nfields)
{
    size_t cap = *nfields;
    uint32_t flags = opts != NULL ? opts->flags : 0;
    /* whether a kept value may hold a fold's CR LF: the contract's word for it */
    uint32_t fold = opts != NULL && (opts->flags & WARD_PARSE_LENIENT_OBS_FOLD) != 0 ? 1 : 0;
    uint32_t rl = limit_or(opts != NULL ? opts->max_request_line : 0, WARD_DEFAULT_MAX_REQUEST_LINE);
    uint32_t fl = limit_or(opts != NULL ? opts->max_field_line : 0, WARD_DEFAULT_MAX_FIELD_LINE);
    uint32_t nf = limit_or(opts != NULL ? opts->max_fields : 0, WARD_DEFAULT_MAX_FIELDS);
    uint32_t head = limit_or(opts != NULL ? opts->max_head : 0, WARD_DEFAULT_MAX_HEAD);
    uint32_t n = len >= head ? head : (uint32_t)len;
    int cut = len >= head;
    size_t kept;
    ward_status st;

    st = fail(req, nfields, WARD_AGAIN);
    if (hint_again(buf, len, prev_len, n, cut, rl))
        return st;
    st = parse_head_split(buf, n, cut, rl, fl, nf, flags, fold, req, fields, cap, &kept);
    /* The target's pct-encoding last, once the head is complete: checked
     * inside parse_head() its fact (pct_ok) joined the hypotheses of
     * parse_head()'s slowest goals and pushed two past the timeout; here it
     * costs the browser GET about 1 ns, as in the request line. */
    if (st == WARD_OK && !pct_valid(buf, req->target.off, req->target.off + req->target.len))
        st = WARD_E_TARGET; /* RFC 3986 §2.1 */
    if (st != WARD_OK)
        return fail(req, nfields, st);
    *nfields = kept;
    return WARD_OK;
}

void ward_unfold(uint8_t *buf, size_t len, ward_span value)
{
    size_t end;
    if (value.off > len || value.len > len - value.off)
        return;
    end = (size_t)value.off + value.len;
    /*@ loop invariant value.off <= k <= end;
        loop invariant \forall integer j; value.off <= j < k ==>
          (\at(buf[j], Pre) == '\r' || \at(buf[j], Pre) == '\n' ? buf[j] == ' ' : buf[j] == \at(buf[j], Pre));
        loop invariant \forall integer j; k <= j < len ==> buf[j] == \at(buf[j], Pre);
        loop assigns k, buf[value.off .. end - 1];
        loop variant end - k; */
    for (size_t k = value.off; k < end; k++) {
        if (buf[k] == '\r' || buf[k] == '\n')
            buf[k] = ' ';
    }
}
