/* SPDX-License-Identifier: MIT */
/* ward_frame.c - how a request's body is framed (RFC 9112 §6.1-6.3):
 * Content-Length and Transfer-Encoding read from the parsed head.
 * parser/RULES.md gives the order of the checks. */
#include "ward_parse_int.h"

#include "ward_ascii.h"

static const uint8_t lit_content_length[14] = {'c', 'o', 'n', 't', 'e', 'n', 't',
                                               '-', 'l', 'e', 'n', 'g', 't', 'h'};
static const uint8_t lit_transfer_encoding[17] = {'t', 'r', 'a', 'n', 's', 'f', 'e', 'r', '-',
                                                  'e', 'n', 'c', 'o', 'd', 'i', 'n', 'g'};
static const uint8_t lit_chunked[7] = {'c', 'h', 'u', 'n', 'k', 'e', 'd'};

/* Where the OWS at buf[i] ends (RFC 9110 §5.6.3: SP and HTAB only). */
/*@ requires i <= end;
    requires \valid_read(buf + (0 .. end - 1));
    assigns \nothing;
    ensures i <= \result <= end && \result == fr_ows(buf, i, end); */
static uint32_t ows_end(const uint8_t *buf, uint32_t i, uint32_t end)
{
    uint32_t j = i;
    /*@ loop invariant i <= j <= end;
        loop invariant fr_ows(buf, i, end) == fr_ows(buf, j, end);
        loop assigns j;
        loop variant end - j; */
    while (j < end && cls_ws(buf[j]))
        j++;
    return j;
}

/* Where the token at buf[i] ends (RFC 9110 §5.6.2). */
/*@ requires i <= end;
    requires \valid_read(buf + (0 .. end - 1));
    assigns \nothing;
    ensures i <= \result <= end && \result == fr_token(buf, i, end); */
static uint32_t token_end(const uint8_t *buf, uint32_t i, uint32_t end)
{
    uint32_t j = i;
    /*@ loop invariant i <= j <= end;
        loop invariant fr_token(buf, i, end) == fr_token(buf, j, end);
        loop assigns j;
        loop variant end - j; */
    while (j < end && ward_class_tchar(buf[j]))
        j++;
    return j;
}

/* 1*DIGIT at buf[d]: where the run ends, and its value in *x, saturated
 * at WARD_BODY_CAP + 1 (checked before each multiplication). */
/*@ requires d <= end;
    requires \valid_read(buf + (0 .. end - 1));
    requires \valid(x) && \separated(x, buf + (0 .. end - 1));
    assigns *x;
    ensures d <= \result <= end && \result == fr_digits(buf, d, end);
    ensures *x == fr_dec(buf, d, \result) && *x <= WARD_BODY_CAP + 1; */
static uint32_t digits(const uint8_t *buf, uint32_t d, uint32_t end, uint64_t *x)
{
    uint32_t i = d;
    uint64_t v = 0;
    /*@ loop invariant d <= i <= end;
        loop invariant fr_digits(buf, d, end) == fr_digits(buf, i, end);
        loop invariant v == fr_dec(buf, d, i) && v <= WARD_BODY_CAP + 1;
        loop assigns i, v;
        loop variant end - i; */
    while (i < end && cls_digit(buf[i])) {
        uint64_t dig = (uint64_t)(buf[i] - '0');
        v = v > (WARD_BODY_CAP - dig) / 10 ? WARD_BODY_CAP + 1 : v * 10 + dig;
        i++;
    }
    *x = v;
    return i;
}

/* Content-Length = 1#( 1*DIGIT ), OWS around each element (RFC 9110
 * §8.6, §5.6.1), in buf[off .. end), after the value v of the elements
 * before it (-1: none): the value all share, or -2 (cl_list). */
/*@ requires off <= end <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (0 .. end - 1));
    requires -1 <= v <= WARD_BODY_CAP;
    assigns \nothing;
    ensures \result == cl_list(buf, off, end, v);
    ensures \result == -2 || 0 <= \result <= WARD_BODY_CAP; */
static int64_t length_list(const uint8_t *buf, uint32_t off, uint32_t end, int64_t v)
{
    uint32_t i = off;
    /*@ loop invariant off <= i <= end;
        loop invariant -1 <= v <= WARD_BODY_CAP;
        loop invariant cl_list(buf, off, end, \at(v, Pre)) == cl_list(buf, i, end, v);
        loop assigns i, v;
        loop variant end - i; */
    while (1) {
        uint64_t x = 0;
        uint32_t d = ows_end(buf, i, end);
        uint32_t j = digits(buf, d, end, &x);
        uint32_t k;
        if (j == d || x > WARD_BODY_CAP || (v >= 0 && (uint64_t)v != x))
            return -2; /* empty, not digits, over the cap, or differing (RFC 9110 §8.6) */
        k = ows_end(buf, j, end);
        if (k == end)
            return (int64_t)x;
        if (buf[k] != ',')
            return -2;
        v = (int64_t)x;
        i = k + 1;
    }
}

/* quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE (RFC 9110
 * §5.6.4) at buf[i] == '"'; the index after it, or 0 if malformed. */
/*@ requires i < end <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (0 .. end - 1));
    assigns \nothing;
    ensures \result == 0 || i < \result <= end;
    ensures \result == 0 ==> fr_quoted(buf, i + 1, end) == -1;
    ensures \result != 0 ==> \result == fr_quoted(buf, i + 1, end); */
static uint32_t skip_quoted(const uint8_t *buf, uint32_t i, uint32_t end)
{
    uint32_t j = i + 1;
    /*@ loop invariant i < j <= end + 1;
        loop invariant fr_quoted(buf, i + 1, end) == fr_quoted(buf, j, end);
        loop assigns j;
        loop variant end + 1 - j; */
    while (1) {
        /* one unfolding of fr_quoted, stated where its terms are at hand */
        /*@ assert fr_quoted(buf, j, end) ==
                   (j >= end ? -1 : (buf[j] == '"' ? j + 1 :
                    (fr_qstep(buf, j, end) < 0 ? -1 : fr_quoted(buf, fr_qstep(buf, j, end), end)))); */
        if (j >= end)
            return 0;
        if (buf[j] == '"')
            return j + 1;
        if (buf[j] == '\\') {
            if (end - j < 2 || !ward_class_value(buf[j + 1]))
                return 0;
            j += 2;
        } else if (ward_class_value(buf[j])) {
            j++;
        } else {
            return 0;
        }
    }
}

/* One transfer-parameter after a coding: OWS ";" OWS token "=" ( token /
 * quoted-string ) (RFC 9110 §10.1.4) from buf[i]; the index after it, i
 * when there is none, or 0 when malformed (fr_param). */
/*@ requires 0 < i <= end <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (0 .. end - 1));
    assigns \nothing;
    ensures \result == 0 || i <= \result <= end;
    ensures \result == 0 ==> fr_param(buf, i, end) == -1;
    ensures \result != 0 ==> \result == fr_param(buf, i, end); */
static uint32_t param_end(const uint8_t *buf, uint32_t i, uint32_t end)
{
    uint32_t j = ows_end(buf, i, end), t, q, v;
    if (j == end || buf[j] != ';')
        return i;
    q = ows_end(buf, j + 1, end);
    t = token_end(buf, q, end);
    if (t == q || t == end || buf[t] != '=' || end - t < 2)
        return 0;
    v = t + 1; /* the value, after "=" */
    /*@ assert fr_param(buf, i, end) == (buf[v] == '"' ? fr_quoted(buf, v + 1, end) :
               (fr_token(buf, v, end) == v ? -1 : fr_token(buf, v, end))); */
    if (buf[v] == '"')
        return skip_quoted(buf, v, end);
    j = token_end(buf, v, end);
    return j == v ? 0 : j;
}

/* transfer-parameters after a coding: *( OWS ";" OWS transfer-parameter )
 * (RFC 9110 §10.1.4); the index after them (off when there are none), or
 * 0 when malformed (fr_params). */
/*@ requires 0 < off <= end <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (0 .. end - 1));
    assigns \nothing;
    ensures \result == 0 || off <= \result <= end;
    ensures \result == 0 ==> fr_params(buf, off, end) == -1;
    ensures \result != 0 ==> \result == fr_params(buf, off, end); */
static uint32_t skip_params(const uint8_t *buf, uint32_t off, uint32_t end)
{
    uint32_t i = off;
    /*@ loop invariant off <= i <= end;
        loop invariant fr_params(buf, off, end) == fr_params(buf, i, end);
        loop assigns i;
        loop variant end - i; */
    while (1) {
        uint32_t n = param_end(buf, i, end);
        if (n == 0 || n == i)
            return n;
        i = n;
    }
}

/* The three names framing reads (RFC 9110 §5.1: case-insensitive), each
 * on its own so that the literal's bytes meet the provers in a small goal. */
/*@ requires off + len <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (off .. off + len - 1));
    assigns \nothing;
    ensures \result != 0 <==> fr_name_te(buf, off, len) == \true; */
static int is_te(const uint8_t *buf, uint32_t off, uint32_t len)
{
    return ward_name_is(buf, off, len, lit_transfer_encoding, 17);
}

/*@ requires off + len <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (off .. off + len - 1));
    assigns \nothing;
    ensures \result != 0 <==> fr_name_cl(buf, off, len) == \true; */
static int is_cl(const uint8_t *buf, uint32_t off, uint32_t len)
{
    return ward_name_is(buf, off, len, lit_content_length, 14);
}

/*@ requires off + len <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (off .. off + len - 1));
    assigns \nothing;
    ensures \result != 0 <==> fr_chunked(buf, off, len) == \true; */
static int is_chunked(const uint8_t *buf, uint32_t off, uint32_t len)
{
    return ward_name_is(buf, off, len, lit_chunked, 7);
}

/* The codings seen so far, as the phase of ward_frame_spec.h's automaton
 * (te_next): 2 is chunked alone and last, 3 other codings then chunked,
 * 5 invalid, which sticks. */
/*@ requires ph <= 5;
    assigns \nothing;
    ensures \result <= 5 && \result == te_next(ph, chunked != 0 ? 1 : 0); */
static uint32_t coding_seen(uint32_t ph, int chunked)
{
    if (ph == 5)
        return 5;
    if (chunked != 0)
        return ph == 0 ? 2 : (ph == 1 ? 3 : 5); /* RFC 9112 §6.1: chunked once, last */
    return ph <= 1 ? 1 : 4;
}

/* One transfer-coding at buf[i] (not "," nor OWS) and the OWS after it:
 * where they end, at "," or end, or -1 when malformed (te_elem_end); *ph
 * becomes the phase after it (te_elem_phase). */
/*@ requires i < end <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (0 .. end - 1));
    requires \valid(ph) && \separated(ph, buf + (0 .. end - 1)) && *ph <= 5;
    assigns *ph;
    ensures *ph <= 5;
    ensures \result == -1 || i < \result <= end;
    ensures \result == te_elem_end(buf, i, end);
    ensures \result >= 0 ==> *ph == te_elem_phase(buf, i, end, \old(*ph)); */
static int64_t coding(const uint8_t *buf, uint32_t i, uint32_t end, uint32_t *ph)
{
    uint32_t t = token_end(buf, i, end), p, q;
    if (t == i)
        return -1;
    *ph = coding_seen(*ph, is_chunked(buf, i, t - i));
    if (t == end)
        return end;
    p = skip_params(buf, t, end);
    if (p == 0)
        return -1;
    if (p != t && (*ph == 2 || *ph == 3))
        *ph = 5; /* chunked takes no parameters */
    q = ows_end(buf, p, end);
    if (q < end && buf[q] != ',')
        return -1;
    return q;
}

/* Transfer-Encoding = #transfer-coding (RFC 9112 §6.1) in buf[off ..
 * end), from phase ph: the phase after it (te_list). A malformed list is
 * phase 5; the caller reads every line, so the phases of all lines are
 * one fold. */
/*@ requires off <= end <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (0 .. end - 1));
    requires ph <= 5;
    assigns \nothing;
    ensures \result <= 5 && \result == te_list(buf, off, end, ph); */
static uint32_t coding_list(const uint8_t *buf, uint32_t off, uint32_t end, uint32_t ph)
{
    uint32_t i = off;
    /*@ loop invariant off <= i <= end && ph <= 5;
        loop invariant te_list(buf, off, end, \at(ph, Pre)) == te_list(buf, i, end, ph);
        loop assigns i, ph;
        loop variant end - i; */
    while (1) {
        int64_t r;
        /* one unfolding of te_list, stated where its terms are at hand */
        /*@ assert te_list(buf, i, end, ph) == (i >= end ? ph : (te_step_end(buf, i, end) < 0 ? 5 :
                     te_list(buf, te_step_end(buf, i, end), end, te_step_phase(buf, i, end, ph)))); */
        if (i >= end)
            return ph;
        if (buf[i] == ',' || cls_ws(buf[i])) { /* RFC 9110 §5.6.1: empty elements */
            i++;
            continue;
        }
        r = coding(buf, i, end, &ph);
        if (r < 0)
            return 5;
        i = (uint32_t)r;
    }
}

/*@ requires \valid(frame);
    assigns *frame;
    ensures frame->close == 1 && frame->body == WARD_BODY_NONE && frame->length == 0;
    ensures \result == st; */
static ward_status frame_fail(ward_frame *frame, ward_status st)
{
    frame->length = 0;
    frame->body = WARD_BODY_NONE;
    frame->close = 1;
    return st;
}

/*@ requires \valid(frame) && body <= WARD_BODY_CHUNKED && close <= 1;
    requires body != WARD_BODY_LENGTH ==> length == 0;
    assigns *frame;
    ensures frame->body == body && frame->length == length && frame->close == close;
    ensures frame->body != WARD_BODY_LENGTH ==> frame->length == 0;
    ensures \result == WARD_OK; */
static ward_status frame_set(ward_frame *frame, uint8_t body, uint64_t length, uint8_t close)
{
    frame->length = length;
    frame->body = body;
    frame->close = close;
    return WARD_OK;
}

/* Whether the head has a Transfer-Encoding line (RFC 9112 §6.1), and
 * whether it has a Content-Length line (RFC 9110 §8.6). Results, not
 * stores: the framing functions after them read the fields' memory. */
/*@ requires n <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (0 .. n - 1));
    requires \valid_read(fields + (0 .. nfields - 1));
    requires \forall integer k; 0 <= k < nfields ==>
               span_in(fields[k].name.off, fields[k].name.len, n);
    assigns \nothing;
    ensures \result != 0 <==> has_te(buf, fields, nfields); */
static int te_line(const uint8_t *buf, uint32_t n, const ward_field *fields, size_t nfields)
{
    int te = 0;
    (void)n; /* the contract's bound */
    /*@ loop invariant 0 <= k <= nfields;
        loop invariant te != 0 <==> has_te(buf, fields, k);
        loop assigns k, te;
        loop variant nfields - k; */
    for (size_t k = 0; k < nfields; k++)
        if (is_te(buf, fields[k].name.off, fields[k].name.len))
            te = 1;
    return te;
}

/*@ requires n <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (0 .. n - 1));
    requires \valid_read(fields + (0 .. nfields - 1));
    requires \forall integer k; 0 <= k < nfields ==>
               span_in(fields[k].name.off, fields[k].name.len, n);
    assigns \nothing;
    ensures \result != 0 <==> has_cl(buf, fields, nfields); */
static int cl_line(const uint8_t *buf, uint32_t n, const ward_field *fields, size_t nfields)
{
    int cl = 0;
    (void)n;
    /*@ loop invariant 0 <= k <= nfields;
        loop invariant cl != 0 <==> has_cl(buf, fields, k);
        loop assigns k, cl;
        loop variant nfields - k; */
    for (size_t k = 0; k < nfields; k++)
        if (is_cl(buf, fields[k].name.off, fields[k].name.len))
            cl = 1;
    return cl;
}

/* The codings of every Transfer-Encoding line, as one list: WARD_OK when
 * chunked is the last coding and the only one (RFC 9112 §6.1, §6.3 ¶4). */
/*@ requires n <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (0 .. n - 1));
    requires \valid_read(fields + (0 .. nfields - 1));
    requires \forall integer k; 0 <= k < nfields ==>
               span_in(fields[k].name.off, fields[k].name.len, n) &&
               span_in(fields[k].value.off, fields[k].value.len, n);
    assigns \nothing;
    ensures \result == te_status(te_fields(buf, fields, nfields)); */
static ward_status transfer_codings(const uint8_t *buf, uint32_t n, const ward_field *fields,
                                    size_t nfields)
{
    uint32_t ph = 0;
    (void)n;
    /*@ loop invariant 0 <= k <= nfields && ph <= 5;
        loop invariant ph == te_fields(buf, fields, k);
        loop assigns k, ph;
        loop variant nfields - k; */
    for (size_t k = 0; k < nfields; k++) {
        const ward_field *f = &fields[k];
        if (is_te(buf, f->name.off, f->name.len))
            ph = coding_list(buf, f->value.off, f->value.off + f->value.len, ph);
    }
    if (ph == 2)
        return WARD_OK;
    if (ph == 3)
        return WARD_E_CODING_UNSUPPORTED; /* RFC 9112 §6.1 ¶11 */
    return WARD_E_TRANSFER_ENCODING;      /* RFC 9112 §6.3 ¶4: length unknown */
}

/* The one length all Content-Length lines agree on (RFC 9110 §8.6):
 * -1 when there is none, -2 when they are invalid or differ. */
/*@ requires n <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (0 .. n - 1));
    requires \valid_read(fields + (0 .. nfields - 1));
    requires \forall integer k; 0 <= k < nfields ==>
               span_in(fields[k].name.off, fields[k].name.len, n) &&
               span_in(fields[k].value.off, fields[k].value.len, n);
    assigns \nothing;
    ensures \result == cl_fields(buf, fields, nfields);
    ensures -2 <= \result <= WARD_BODY_CAP; */
static int64_t content_length(const uint8_t *buf, uint32_t n, const ward_field *fields, size_t nfields)
{
    int64_t v = -1;
    (void)n;
    /*@ loop invariant 0 <= k <= nfields;
        loop invariant -2 <= v <= WARD_BODY_CAP;
        loop invariant v == cl_fields(buf, fields, k);
        loop assigns k, v;
        loop variant nfields - k; */
    for (size_t k = 0; k < nfields; k++) {
        const ward_field *f = &fields[k];
        if (v != -2 && is_cl(buf, f->name.off, f->name.len))
            v = length_list(buf, f->value.off, f->value.off + f->value.len, v);
    }
    return v;
}

ward_status ward_frame_request(const uint8_t *buf, const ward_request *req, const ward_field *fields,
                               size_t nfields, uint64_t max_body, ward_frame *frame)
{
    uint64_t limit = max_body == 0 ? WARD_DEFAULT_MAX_BODY : (max_body > WARD_BODY_CAP ? WARD_BODY_CAP : max_body);
    uint8_t close = (req->flags & WARD_REQ_CONN_CLOSE) != 0 ||
                    (req->version != 1 && (req->flags & WARD_REQ_CONN_KEEP_ALIVE) == 0); /* RFC 9112 §9.3 */
    int te = te_line(buf, req->head_len, fields, nfields);
    int cl = cl_line(buf, req->head_len, fields, nfields);
    int64_t len = 0;
    uint8_t body = WARD_BODY_NONE; /* neither field: RFC 9112 §6.3 ¶7 */
    ward_status st = WARD_OK;

    /* *frame is written once, at the end: the framing logic reads the
     * caller's memory, and a store before a call would hide from the
     * provers that the fields are unchanged; one exit keeps each goal to
     * one store. */
    if (te != 0) {
        if (req->version != 1)
            st = WARD_E_TE_HTTP10; /* RFC 9112 §6.1 ¶15 */
        else if (cl != 0)
            st = WARD_E_TE_WITH_CL; /* RFC 9112 §6.3 ¶3 */
        else
            st = transfer_codings(buf, req->head_len, fields, nfields);
        body = WARD_BODY_CHUNKED;
    } else if (cl != 0) {
        len = content_length(buf, req->head_len, fields, nfields);
        if (len < 0)
            st = WARD_E_CONTENT_LENGTH;
        else if ((uint64_t)len > limit)
            st = WARD_E_BODY_TOO_LARGE; /* RFC 9110 §15.5.14 */
        body = WARD_BODY_LENGTH;
    }
    if (st != WARD_OK)
        return frame_fail(frame, st);
    return frame_set(frame, body, body == WARD_BODY_LENGTH ? (uint64_t)len : 0, close);
}
