/* SPDX-License-Identifier: MIT */
/* ward_field_line.h - one field line (RFC 9112 §5, RFC 9110 §5.5) and,
 * under WARD_PARSE_LENIENT_OBS_FOLD, the obs-fold lines that continue it:
 * part of ward_parse.c, which alone includes it, as ward_request_line.h is
 * (and for the same reason: static functions that GCC inlines into
 * parse_fields()).
 */
#ifndef WARD_FIELD_LINE_H
#define WARD_FIELD_LINE_H

#include "ward_request_line.h"

/* field-line = field-name ":" OWS field-value OWS, then the line end; under
 * WARD_PARSE_LENIENT_OBS_FOLD the obs-fold lines that follow continue the
 * value. buf[s] is neither CR, LF, SP nor HTAB. */
/*@ requires s < n <= WARD_LIMIT_CAP;
    requires 1 <= fl <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (0 .. n - 1));
    requires \valid(f) && \valid(next) && \valid(folded);
    requires \separated(f, next, folded, buf + (0 .. n - 1));
    assigns *f, *next, *folded;
    ensures \result == WARD_OK ==> s < *next <= n && buf[*next - 1] == '\n';
    ensures \result == WARD_OK ==> f->name.off == s && f->name.len >= 1 &&
            f->name.off + f->name.len < *next && all_tchar(buf, f->name.off, f->name.off + f->name.len);
    ensures \result == WARD_OK ==> f->value.off + f->value.len <= *next &&
            all_folded_value(buf, f->value.off, f->value.off + f->value.len) &&
            (f->value.len > 0 ==> !is_ws(buf[f->value.off]) && !is_ws(buf[f->value.off + f->value.len - 1]));
    ensures \result == WARD_OK && *folded == 0 ==> all_value(buf, f->value.off, f->value.off + f->value.len);
    ensures \result == WARD_OK && *folded != 0 ==> fold != 0; */
WARD_HOT ward_status parse_field(const uint8_t *buf, uint32_t s, uint32_t n, int cut, uint32_t fl,
                                 uint32_t flags, uint32_t fold, ward_field *f, uint32_t *next, int *folded);

/* A line's window: its own limit, or the head's end. */
/*@ logic integer line_lim(integer ls, integer n, integer fl) = fl <= n - ls ? ls + fl : n;

    predicate value_end_at(uint8_t *buf, integer ls, integer n, integer fl, integer e) =
      ls <= e <= line_lim(ls, n, fl) &&
      (\forall integer k; ls <= k < e ==> is_value_byte(buf[k])) &&
      (e < line_lim(ls, n, fl) ==> !is_value_byte(buf[e])); */

/* The first byte of the field line at buf[ls] that no field value may
 * hold, scanned from the line's start: every byte of a good name, its
 * colon and OWS is a value byte too, so on a good line this is its CR.
 * The next line's start comes from it rather than from the name's scan
 * followed by the value's, so that the lines' scans overlap in the CPU
 * instead of waiting on each other (see bench/README.md). */
/*@ requires ls < n <= WARD_LIMIT_CAP;
    requires 1 <= fl <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (0 .. n - 1));
    assigns \nothing;
    ensures value_end_at(buf, ls, n, fl, \result); */
WARD_HOT uint32_t value_end(const uint8_t *buf, uint32_t ls, uint32_t n, uint32_t fl)
{
    uint32_t lim = fl <= n - ls ? ls + fl : n;
    return (uint32_t)scan_value(buf, ls, lim);
}

/* What out_of_window() takes as cap for the field line at buf[ls], equal
 * to its window's end when that is the line's own limit; and its answer
 * there. Out of line, off the usual path, so that the usual path need not
 * keep cap. */
/*@ requires ls <= n <= WARD_LIMIT_CAP && fl <= WARD_LIMIT_CAP;
    assigns \nothing;
    ensures \result == (fl <= n - ls ? ls + fl : n + 1); */
WARD_COLD uint32_t line_cap(uint32_t ls, uint32_t n, uint32_t fl)
{
    return fl <= n - ls ? ls + fl : n + 1;
}

/*@ requires ls <= n <= WARD_LIMIT_CAP && fl <= WARD_LIMIT_CAP;
    assigns \nothing;
    ensures \result == WARD_E_FIELD_LINE_TOO_LONG || \result == WARD_E_HEAD_TOO_LARGE || \result == WARD_AGAIN; */
WARD_COLD ward_status line_out(uint32_t ls, uint32_t n, uint32_t fl, int cut)
{
    return out_of_window(fl <= n - ls ? ls + fl : n, line_cap(ls, n, fl), cut, WARD_E_FIELD_LINE_TOO_LONG);
}

/* The first byte of buf[s .. lim) that is not OWS, else lim. */
/*@ requires s <= lim <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (s .. lim - 1));
    assigns \nothing;
    ensures s <= \result <= lim;
    ensures \forall integer k; s <= k < \result ==> is_ws(buf[k]);
    ensures \result < lim ==> !is_ws(buf[\result]); */
WARD_HOT uint32_t skip_ows(const uint8_t *buf, uint32_t s, uint32_t lim)
{
    uint32_t a = s;

    if (a < lim && buf[a] == ' ') /* the usual one */
        a++;
    if (a < lim && buf[a] <= ' ') { /* more OWS, or none and an empty value */
        /*@ loop invariant s <= a <= lim;
            loop invariant \forall integer k; s <= k < a ==> is_ws(buf[k]);
            loop assigns a;
            loop variant lim - a; */
        while (a < lim && cls_ws(buf[a]))
            a++;
    }
    return a;
}

/* The end of buf[a .. e) less its trailing OWS. */
/*@ requires a <= e <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (a .. e - 1));
    assigns \nothing;
    ensures a <= \result <= e;
    ensures \forall integer k; \result <= k < e ==> is_ws(buf[k]);
    ensures \result > a ==> !is_ws(buf[\result - 1]); */
WARD_HOT uint32_t trim_ows(const uint8_t *buf, uint32_t a, uint32_t e)
{
    uint32_t b = e;

    if (b > a && buf[b - 1] <= ' ') {
        /*@ loop invariant a <= b <= e;
            loop invariant \forall integer k; b <= k < e ==> is_ws(buf[k]);
            loop assigns b;
            loop variant b; */
        while (b > a && cls_ws(buf[b - 1]))
            b--;
    }
    return b;
}

/* The usual value line from buf[s], whose window ends at lim, where pre is
 * value_end() of the line: one SP, a value that starts with no more OWS,
 * its CRLF at pre. Returns 1 with what parse_value_line() would give,
 * else 0 and the line takes parse_value_line()'s general path. A function
 * of its own so that the proof of each path carries that path alone. */
/*@ requires s <= WARD_LIMIT_CAP && pre <= lim <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (0 .. lim - 1));
    requires \forall integer k; s <= k < pre ==> is_value_byte(buf[k]);
    requires \valid(vs) && \valid(ve) && \valid(next);
    requires \separated(vs, ve, next, buf + (0 .. lim - 1));
    assigns *vs, *ve, *next;
    ensures \result != 0 ==> s <= *vs <= *ve < *next <= lim && buf[*next - 1] == '\n';
    ensures \result != 0 ==> all_value(buf, *vs, *ve);
    ensures \result != 0 && *vs < *ve ==> !is_ws(buf[*vs]) && !is_ws(buf[*ve - 1]);
    ensures \result != 0 ==> \forall integer k; s <= k < *vs ==> is_ws(buf[k]);
    ensures \result != 0 ==> \forall integer k; *ve <= k < *next ==> is_folded_value_byte(buf[k]) || buf[k] == '\r' || buf[k] == '\n'; */
WARD_HOT int usual_value_line(const uint8_t *buf, uint32_t s, uint32_t lim, uint32_t pre, uint32_t *vs, uint32_t *ve,
                              uint32_t *next)
{
    uint32_t a = s + 1;

    if (!(pre > a && buf[s] == ' ' && buf[a] > ' ' && lim - pre >= 2 && is_crlf(buf, pre)))
        return 0;
    *vs = a;
    *ve = trim_ows(buf, a, pre);
    *next = pre + 2;
    return 1;
}

/* One line of the value: OWS, value bytes, OWS, line end, from buf[s]
 * where the line began at ls; pre is value_end(ls). [*vs, *ve) is the
 * trimmed value. The usual line is usual_value_line()'s; anything else
 * takes the general path here. */
/*@ requires ls <= s <= n <= WARD_LIMIT_CAP && ls < n;
    requires 1 <= fl <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (0 .. n - 1));
    requires value_end_at(buf, ls, n, fl, pre);
    requires \valid(vs) && \valid(ve) && \valid(next);
    requires \separated(vs, ve, next, buf + (0 .. n - 1));
    assigns *vs, *ve, *next;
    ensures \result == WARD_OK ==> s <= *vs <= *ve < *next <= n && buf[*next - 1] == '\n';
    ensures \result == WARD_OK ==> all_value(buf, *vs, *ve);
    ensures \result == WARD_OK && *vs < *ve ==> !is_ws(buf[*vs]) && !is_ws(buf[*ve - 1]);
    ensures \result == WARD_OK ==> \forall integer k; s <= k < *vs ==> is_ws(buf[k]);
    ensures \result == WARD_OK ==> \forall integer k; *ve <= k < *next ==> is_folded_value_byte(buf[k]) || buf[k] == '\r' || buf[k] == '\n'; */
WARD_HOT ward_status parse_value_line(const uint8_t *buf, uint32_t ls, uint32_t s, uint32_t n, int cut,
                                      uint32_t fl, uint32_t flags, uint32_t pre, uint32_t *vs, uint32_t *ve,
                                      uint32_t *next)
{
    uint32_t lim = fl <= n - ls ? ls + fl : n;
    uint32_t a, e;

    if (usual_value_line(buf, s, lim, pre, vs, ve, next))
        return WARD_OK;
    *vs = s;
    *ve = s;
    *next = s;
    if (lim <= s)
        return line_out(ls, n, fl, cut);
    a = skip_ows(buf, s, lim);
    e = pre >= a ? pre : (uint32_t)scan_value(buf, a, lim); /* pre < a: a bad byte before the value */
    if (e == lim)
        return line_out(ls, n, fl, cut);
    if (lim - e >= 2 && is_crlf(buf, e)) { /* the usual CRLF */
        *next = e + 2;
    } else {
        ward_status st;
        if (buf[e] != '\r' && buf[e] != '\n')
            return WARD_E_FIELD_VALUE; /* RFC 9110 §5.5 */
        st = line_end(buf, e, lim, line_cap(ls, n, fl), cut, flags, WARD_E_FIELD_LINE_TOO_LONG, next);
        if (st != WARD_OK)
            return st;
    }
    *vs = a;
    *ve = trim_ows(buf, a, e);
    return WARD_OK;
}

WARD_HOT ward_status parse_field(const uint8_t *buf, uint32_t s, uint32_t n, int cut, uint32_t fl,
                                 uint32_t flags, uint32_t fold, ward_field *f, uint32_t *next, int *folded)
{
    uint32_t lim = fl <= n - s ? s + fl : n;
    uint32_t c, colon, vs, ve, at, vo, vz, pre;
    line_ends ends;
    int folds = 0;
    ward_status st;

    f->name.off = s;
    f->name.len = 0;
    f->value.off = s;
    f->value.len = 0;
    *next = s;
    *folded = 0;
    ends = scan_line(buf, s, lim); /* the name's end and value_end(s) */
    pre = (uint32_t)ends.value;
    c = (uint32_t)ends.name;
    if (c == lim)
        return line_out(s, n, fl, cut);
    if (c == s)
        return WARD_E_FIELD_NAME; /* empty name, RFC 9110 §5.1 */
    colon = c;
    if (buf[colon] != ':') {
        if (!cls_ws(buf[colon]) || (flags & WARD_PARSE_LENIENT_WS_BEFORE_COLON) == 0)
            return WARD_E_FIELD_NAME; /* RFC 9112 §5.1: no whitespace before the colon */
        /*@ loop invariant c <= colon <= lim;
            loop assigns colon;
            loop variant lim - colon; */
        while (colon < lim && cls_ws(buf[colon]))
            colon++;
        if (colon == lim)
            return line_out(s, n, fl, cut);
        if (buf[colon] != ':')
            return WARD_E_FIELD_NAME;
    }
    st = parse_value_line(buf, s, colon + 1, n, cut, fl, flags, pre, &vs, &ve, &at);
    if (st != WARD_OK)
        return st;
    vo = vs;
    vz = ve;
    /*@ loop invariant s < at <= n && buf[at - 1] == '\n';
        loop invariant colon < vo <= vz < at;
        loop invariant all_folded_value(buf, vo, vz);
        loop invariant \forall integer k; vz <= k < at ==> is_folded_value_byte(buf[k]);
        loop invariant vo < vz ==> !is_ws(buf[vo]) && !is_ws(buf[vz - 1]);
        loop invariant folds == 0 ==> all_value(buf, vo, vz);
        loop invariant folds != 0 ==> fold != 0;
        loop assigns at, vs, ve, st, vo, vz, folds;
        loop variant n - at; */
    while (fold != 0) {
        uint32_t ls = at;
        if (ls == n)
            return out_of_window(n, n + 1, cut, WARD_E_FIELD_LINE_TOO_LONG);
        if (!cls_ws(buf[ls]))
            break;
        st = parse_value_line(buf, ls, ls, n, cut, fl, flags, value_end(buf, ls, n, fl), &vs, &ve, &at);
        if (st != WARD_OK)
            return st;
        if (vs < ve) { /* RFC 9112 §5.2: the fold continues the value */
            if (vo == vz)
                vo = vs;
            vz = ve;
            folds = 1;
        }
    }
    f->name.len = c - s;
    f->value.off = vo;
    f->value.len = vz - vo;
    *folded = folds;
    *next = at;
    return WARD_OK;
}

#endif
