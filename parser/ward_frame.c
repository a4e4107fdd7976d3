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
    ensures i <= \result <= end; */
static uint32_t skip_ows(const uint8_t *buf, uint32_t i, uint32_t end)
{
    uint32_t j = i;
    /*@ loop invariant i <= j <= end;
        loop assigns j;
        loop variant end - j; */
    while (j < end && cls_ws(buf[j]))
        j++;
    return j;
}

/* Content-Length = 1#( 1*DIGIT ), OWS around each element (RFC 9110
 * §8.6, §5.6.1), in buf[off .. end). Every element must equal *len when
 * *have is set, and sets it otherwise. 0 when the list is valid. */
/*@ requires off <= end <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (0 .. end - 1));
    requires \valid(len) && \valid(have);
    requires \separated(len, have, buf + (0 .. end - 1));
    requires *have != 0 ==> *len <= WARD_BODY_CAP;
    assigns *len, *have;
    ensures *have != 0 ==> *len <= WARD_BODY_CAP;
    ensures \result == 0 ==> *have != 0; */
static int length_list(const uint8_t *buf, uint32_t off, uint32_t end, uint64_t *len, int *have)
{
    uint32_t i = off;
    /*@ loop invariant off <= i <= end;
        loop invariant *have != 0 ==> *len <= WARD_BODY_CAP;
        loop assigns i, *len, *have;
        loop variant end - i; */
    while (1) {
        uint64_t v = 0;
        uint32_t d;
        i = skip_ows(buf, i, end);
        d = i;
        /*@ loop invariant d <= i <= end;
            loop invariant v <= WARD_BODY_CAP;
            loop assigns i, v;
            loop variant end - i; */
        while (i < end && cls_digit(buf[i])) {
            uint64_t dig = (uint64_t)(buf[i] - '0');
            if (v > (WARD_BODY_CAP - dig) / 10)
                return -1; /* over WARD_BODY_CAP: no length ward can frame */
            v = v * 10 + dig;
            i++;
        }
        if (i == d)
            return -1; /* empty element, or not a digit */
        if (*have != 0 && v != *len)
            return -1; /* RFC 9110 §8.6: differing lengths */
        *len = v;
        *have = 1;
        i = skip_ows(buf, i, end);
        if (i == end)
            return 0;
        if (buf[i] != ',')
            return -1;
        i++;
    }
}

/* quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE (RFC 9110
 * §5.6.4) at buf[i] == '"'; the index after it, or 0 if malformed. */
/*@ requires i < end <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (0 .. end - 1));
    assigns \nothing;
    ensures \result == 0 || i < \result <= end; */
static uint32_t skip_quoted(const uint8_t *buf, uint32_t i, uint32_t end)
{
    uint32_t j = i + 1;
    /*@ loop invariant i < j <= end + 1;
        loop assigns j;
        loop variant end + 1 - j; */
    while (j < end) {
        uint8_t c = buf[j];
        if (c == '"')
            return j + 1;
        if (c == '\\') {
            if (end - j < 2 || !ward_class_value(buf[j + 1]))
                return 0;
            j += 2;
        } else if (ward_class_value(c)) {
            j++;
        } else {
            return 0;
        }
    }
    return 0;
}

/* What the Transfer-Encoding lines say, gathered across lines. */
typedef struct codings {
    uint32_t count;   /* codings seen */
    uint32_t chunked; /* times chunked was seen */
    uint32_t last;    /* 1: the last coding seen is chunked */
    uint32_t other;   /* 1: a coding other than chunked was seen */
    uint32_t bad;     /* 1: chunked twice, or with a parameter */
} codings;

/* transfer-parameters after a coding: *( OWS ";" OWS token "=" ( token /
 * quoted-string ) ) (RFC 9110 §10.1.4); the index after them, or 0. */
/*@ requires off < end <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (0 .. end - 1));
    requires \valid(nparams);
    requires \separated(nparams, buf + (0 .. end - 1));
    assigns *nparams;
    ensures \result == 0 || off <= \result <= end; */
static uint32_t skip_params(const uint8_t *buf, uint32_t off, uint32_t end, uint32_t *nparams)
{
    uint32_t i = off;
    *nparams = 0;
    /*@ loop invariant off <= i <= end;
        loop assigns i, *nparams;
        loop variant end - i; */
    while (1) {
        uint32_t j = skip_ows(buf, i, end), t;
        if (j == end || buf[j] != ';')
            return i;
        j = skip_ows(buf, j + 1, end);
        t = (uint32_t)ward_scan_tchar_scalar(buf, j, end);
        if (t == j || t == end || buf[t] != '=')
            return 0;
        j = t + 1;
        if (j == end)
            return 0;
        if (buf[j] == '"') {
            j = skip_quoted(buf, j, end);
            if (j == 0)
                return 0;
        } else {
            t = (uint32_t)ward_scan_tchar_scalar(buf, j, end);
            if (t == j)
                return 0;
            j = t;
        }
        if (*nparams < 0xFFFFu)
            (*nparams)++;
        i = j;
    }
}

/* Transfer-Encoding = #transfer-coding (RFC 9112 §6.1) in buf[off ..
 * end), added to *cs. 0 when the list is well-formed. */
/*@ requires off <= end <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (0 .. end - 1));
    requires \valid(cs);
    requires \separated(cs, buf + (0 .. end - 1));
    assigns *cs; */
static int coding_list(const uint8_t *buf, uint32_t off, uint32_t end, codings *cs)
{
    uint32_t i = off;
    /*@ loop invariant off <= i <= end;
        loop assigns i, *cs;
        loop variant end - i; */
    while (i < end) {
        uint32_t t, np;
        if (buf[i] == ',' || cls_ws(buf[i])) { /* RFC 9110 §5.6.1: empty elements */
            i++;
            continue;
        }
        t = (uint32_t)ward_scan_tchar_scalar(buf, i, end);
        if (t == i)
            return -1;
        if (cs->count < 0xFFFFu)
            cs->count++;
        if (ward_name_is(buf, i, t - i, lit_chunked, 7)) {
            if (cs->chunked != 0)
                cs->bad = 1; /* RFC 9112 §6.1: chunked at most once */
            cs->chunked = 1;
            cs->last = 1;
        } else {
            cs->other = 1;
            cs->last = 0;
        }
        if (t == end)
            return 0;
        np = 0;
        i = skip_params(buf, t, end, &np);
        if (i == 0)
            return -1;
        if (np != 0 && cs->last != 0)
            cs->bad = 1; /* chunked takes no parameters */
        i = skip_ows(buf, i, end);
        if (i < end && buf[i] != ',')
            return -1;
    }
    return 0;
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

/* Whether the head has Transfer-Encoding, Content-Length lines (0/1). */
/*@ requires n <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (0 .. n - 1));
    requires \valid_read(fields + (0 .. nfields - 1));
    requires \forall integer k; 0 <= k < nfields ==>
               span_in(fields[k].name.off, fields[k].name.len, n);
    requires \valid(te) && \valid(cl) && \separated(te, cl);
    requires \separated(te, cl, buf + (0 .. n - 1), fields + (0 .. nfields - 1));
    assigns *te, *cl;
    ensures *te <= 1 && *cl <= 1; */
static void framing_fields(const uint8_t *buf, uint32_t n, const ward_field *fields, size_t nfields,
                           uint32_t *te, uint32_t *cl)
{
    (void)n; /* the contract's bound */
    *te = 0;
    *cl = 0;
    /*@ loop invariant 0 <= k <= nfields;
        loop invariant *te <= 1 && *cl <= 1;
        loop assigns k, *te, *cl;
        loop variant nfields - k; */
    for (size_t k = 0; k < nfields; k++) {
        const ward_field *f = &fields[k];
        if (ward_name_is(buf, f->name.off, f->name.len, lit_transfer_encoding, 17))
            *te = 1;
        else if (ward_name_is(buf, f->name.off, f->name.len, lit_content_length, 14))
            *cl = 1;
    }
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
    ensures \result == WARD_OK || \result == WARD_E_TRANSFER_ENCODING ||
            \result == WARD_E_CODING_UNSUPPORTED; */
static ward_status transfer_codings(const uint8_t *buf, uint32_t n, const ward_field *fields,
                                    size_t nfields)
{
    codings cs = {0, 0, 0, 0, 0};
    (void)n;
    /*@ loop invariant 0 <= k <= nfields;
        loop assigns k, cs;
        loop variant nfields - k; */
    for (size_t k = 0; k < nfields; k++) {
        const ward_field *f = &fields[k];
        if (ward_name_is(buf, f->name.off, f->name.len, lit_transfer_encoding, 17) &&
            coding_list(buf, f->value.off, f->value.off + f->value.len, &cs) != 0)
            return WARD_E_TRANSFER_ENCODING;
    }
    if (cs.count == 0 || cs.bad != 0 || cs.last == 0)
        return WARD_E_TRANSFER_ENCODING; /* RFC 9112 §6.3 ¶4: length unknown */
    if (cs.other != 0)
        return WARD_E_CODING_UNSUPPORTED; /* RFC 9112 §6.1 ¶11 */
    return WARD_OK;
}

/* The one length all Content-Length lines agree on (RFC 9110 §8.6). */
/*@ requires n <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (0 .. n - 1));
    requires \valid_read(fields + (0 .. nfields - 1));
    requires \forall integer k; 0 <= k < nfields ==>
               span_in(fields[k].name.off, fields[k].name.len, n) &&
               span_in(fields[k].value.off, fields[k].value.len, n);
    requires \valid(len) && \separated(len, buf + (0 .. n - 1), fields + (0 .. nfields - 1));
    assigns *len;
    ensures *len <= WARD_BODY_CAP;
    ensures \result == WARD_OK || \result == WARD_E_CONTENT_LENGTH; */
static ward_status content_length(const uint8_t *buf, uint32_t n, const ward_field *fields,
                                  size_t nfields, uint64_t *len)
{
    uint64_t v = 0;
    int have = 0;
    (void)n;
    *len = 0;
    /*@ loop invariant 0 <= k <= nfields;
        loop invariant v <= WARD_BODY_CAP;
        loop invariant have != 0 ==> v <= WARD_BODY_CAP;
        loop assigns k, v, have;
        loop variant nfields - k; */
    for (size_t k = 0; k < nfields; k++) {
        const ward_field *f = &fields[k];
        if (ward_name_is(buf, f->name.off, f->name.len, lit_content_length, 14) &&
            length_list(buf, f->value.off, f->value.off + f->value.len, &v, &have) != 0)
            return WARD_E_CONTENT_LENGTH;
    }
    *len = v;
    return WARD_OK;
}

ward_status ward_frame_request(const uint8_t *buf, const ward_request *req, const ward_field *fields,
                               size_t nfields, uint64_t max_body, ward_frame *frame)
{
    uint64_t limit = max_body == 0 ? WARD_DEFAULT_MAX_BODY : (max_body > WARD_BODY_CAP ? WARD_BODY_CAP : max_body);
    uint64_t len = 0;
    uint32_t te = 0, cl = 0;
    ward_status st;

    frame->length = 0;
    frame->body = WARD_BODY_NONE;
    frame->close = 0;
    if ((req->flags & WARD_REQ_CONN_CLOSE) != 0 ||
        (req->version != 1 && (req->flags & WARD_REQ_CONN_KEEP_ALIVE) == 0))
        frame->close = 1; /* RFC 9112 §9.3 */
    framing_fields(buf, req->head_len, fields, nfields, &te, &cl);
    if (te != 0) {
        if (req->version != 1)
            return frame_fail(frame, WARD_E_TE_HTTP10); /* RFC 9112 §6.1 ¶15 */
        if (cl != 0)
            return frame_fail(frame, WARD_E_TE_WITH_CL); /* RFC 9112 §6.3 ¶3 */
        st = transfer_codings(buf, req->head_len, fields, nfields);
        if (st != WARD_OK)
            return frame_fail(frame, st);
        frame->body = WARD_BODY_CHUNKED;
        return WARD_OK;
    }
    if (cl == 0)
        return WARD_OK;
    st = content_length(buf, req->head_len, fields, nfields, &len);
    if (st != WARD_OK)
        return frame_fail(frame, st);
    if (len > limit)
        return frame_fail(frame, WARD_E_BODY_TOO_LARGE); /* RFC 9110 §15.5.14 */
    frame->body = WARD_BODY_LENGTH;
    frame->length = len;
    return WARD_OK;
}
