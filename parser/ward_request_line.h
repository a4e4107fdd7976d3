/* SPDX-License-Identifier: MIT */
/* ward_request_line.h - the request line (RFC 9112 §3) and the line ends
 * (§2.2) that the field lines share: part of ward_parse.c, which alone
 * includes it. The steps are static functions (WARD_HOT: GCC inlines them
 * into parse_head(), as it could not across files), so they live in a
 * header of their own rather than a .c file; Frama-C proves them with
 * ward_parse.c, the one file that includes them.
 */
#ifndef WARD_REQUEST_LINE_H
#define WARD_REQUEST_LINE_H

#include "ward_parse_int.h"

#include "ward_scan.h"

/* What running out of window means for a line whose window is
 * min(n, cap): the line's own limit first, then the head limit. */
/*@ predicate limit_error(integer s) = s == WARD_E_REQUEST_LINE_TOO_LONG ||
      s == WARD_E_FIELD_LINE_TOO_LONG || s == WARD_E_HEAD_TOO_LARGE; */

/*@ requires limit_error(too_long);
    assigns \nothing;
    ensures \result == too_long || \result == WARD_E_HEAD_TOO_LARGE || \result == WARD_AGAIN; */
static ward_status out_of_window(uint32_t lim, uint32_t cap, int cut, ward_status too_long)
{
    if (lim == cap)
        return too_long;
    if (cut)
        return WARD_E_HEAD_TOO_LARGE;
    return WARD_AGAIN;
}

/* A line end at buf[p]: CRLF, or LF alone under its leniency. */
/*@ requires p < lim && limit_error(too_long);
    requires \valid_read(buf + (0 .. lim - 1));
    requires \valid(next);
    assigns *next;
    ensures \result == WARD_OK ==> p < *next <= lim && *next <= p + 2 && buf[*next - 1] == '\n';
    ensures \result == WARD_OK ==> *next == p + 2 || (flags & WARD_PARSE_LENIENT_BARE_LF) != 0;
    ensures \result != WARD_OK ==> \result != WARD_E_INTERNAL; */
WARD_HOT ward_status line_end(const uint8_t *buf, uint32_t p, uint32_t lim, uint32_t cap, int cut,
                              uint32_t flags, ward_status too_long, uint32_t *next)
{
    *next = p;
    if (buf[p] == '\n') {
        if ((flags & WARD_PARSE_LENIENT_BARE_LF) == 0)
            return WARD_E_LINE_END; /* RFC 9112 §2.2 */
        *next = p + 1;
        return WARD_OK;
    }
    if (buf[p] != '\r')
        return WARD_E_LINE_END;
    if (lim - p < 2)
        return out_of_window(lim, cap, cut, too_long);
    if (buf[p + 1] != '\n')
        return WARD_E_LINE_END; /* bare CR, RFC 9112 §2.2 */
    *next = p + 2;
    return WARD_OK;
}

static const uint8_t lit_http[5] = {'H', 'T', 'T', 'P', '/'};

/* Whether buf[v .. v + 8) is "HTTP/1.0" or "HTTP/1.1", the usual versions:
 * where words may be loaded, in one load and one compare (bit 0 ORed into
 * the last byte maps '0' and '1', and only them, onto '1'). */
/*@ requires v <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (v .. v + 7));
    assigns \nothing;
    ensures \result != 0 <==> (buf[v] == 'H' && buf[v + 1] == 'T' && buf[v + 2] == 'T' && buf[v + 3] == 'P' &&
            buf[v + 4] == '/' && buf[v + 5] == '1' && buf[v + 6] == '.' && (buf[v + 7] == '0' || buf[v + 7] == '1')); */
WARD_HOT int is_http_1x(const uint8_t *buf, uint32_t v)
{
#ifdef WARD_WORDS
    return (load_le(buf + v, 8) | ((uint64_t)1 << 56)) == 0x312e312f50545448ull; /* "HTTP/1.1" */
#else
    return buf[v] == 'H' && buf[v + 1] == 'T' && buf[v + 2] == 'T' && buf[v + 3] == 'P' && buf[v + 4] == '/' &&
           buf[v + 5] == '1' && buf[v + 6] == '.' && (buf[v + 7] == '0' || buf[v + 7] == '1');
#endif
}

/* Whether buf[p .. p + 2) is CR LF, where words may be loaded in one load. */
/*@ requires p < WARD_LIMIT_CAP;
    requires \valid_read(buf + (p .. p + 1));
    assigns \nothing;
    ensures \result != 0 <==> (buf[p] == '\r' && buf[p + 1] == '\n'); */
WARD_HOT int is_crlf(const uint8_t *buf, uint32_t p)
{
#ifdef WARD_WORDS
    return load_le(buf + p, 2) == 0x0a0d;
#else
    return buf[p] == '\r' && buf[p + 1] == '\n';
#endif
}

/* Whether buf[s .. s + 4) is "GET ", the usual method and its SP. */
/*@ requires s <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (s .. s + 3));
    assigns \nothing;
    ensures \result != 0 <==> (buf[s] == 'G' && buf[s + 1] == 'E' && buf[s + 2] == 'T' && buf[s + 3] == ' '); */
WARD_HOT int is_get(const uint8_t *buf, uint32_t s)
{
#ifdef WARD_WORDS
    return load_le(buf + s, 4) == 0x20544547u;
#else
    return buf[s] == 'G' && buf[s + 1] == 'E' && buf[s + 2] == 'T' && buf[s + 3] == ' ';
#endif
}

/* HTTP-version = "HTTP/" DIGIT "." DIGIT at buf[v ..], case-sensitive
 * (RFC 9112 §2.3). On success *major holds the first digit and *ver is 0
 * for a minor version 0, else 1: a minor version above 1 is processed as
 * 1, the highest this server conforms to (RFC 9110 §2.5, §6.2). */
/*@ requires v <= lim <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (0 .. lim - 1));
    requires \valid(major) && \valid(ver);
    requires \separated(major, ver);
    assigns *major, *ver;
    ensures \result == WARD_OK ==> lim - v >= 8 && buf[v] == 'H' && buf[v + 1] == 'T' &&
            buf[v + 2] == 'T' && buf[v + 3] == 'P' && buf[v + 4] == '/' &&
            is_digit(buf[v + 5]) && buf[v + 6] == '.' && is_digit(buf[v + 7]) &&
            *major == buf[v + 5] - '0' && *ver == (buf[v + 7] >= '1' ? 1 : 0); */
WARD_HOT ward_status parse_version(const uint8_t *buf, uint32_t v, uint32_t lim, uint32_t cap, int cut,
                                   uint8_t *major, uint8_t *ver)
{
    *major = 1;
    *ver = 0;
    if (lim - v >= 8 && is_http_1x(buf, v)) { /* the usual ones at once; else byte by byte below */
        *ver = (uint8_t)(buf[v + 7] - '0');
        return WARD_OK;
    }
    /*@ loop invariant 0 <= k <= 5;
        loop invariant \forall integer j; 0 <= j < k ==> v + j < lim && buf[v + j] == lit_http[j];
        loop assigns k;
        loop variant 5 - k; */
    for (uint32_t k = 0; k < 5; k++) {
        if (lim - v <= k)
            return out_of_window(lim, cap, cut, WARD_E_REQUEST_LINE_TOO_LONG);
        if (buf[v + k] != lit_http[k])
            return (k == 0 && buf[v] == ' ') ? WARD_E_REQUEST_LINE : WARD_E_VERSION;
    }
    /*@ assert lit_http[0] == 'H' && lit_http[1] == 'T' && lit_http[2] == 'T' && lit_http[3] == 'P' &&
               lit_http[4] == '/'; */
    /*@ assert buf[v] == 'H' && buf[v + 1] == 'T' && buf[v + 2] == 'T' && buf[v + 3] == 'P' &&
               buf[v + 4] == '/'; */
    if (lim - v <= 5)
        return out_of_window(lim, cap, cut, WARD_E_REQUEST_LINE_TOO_LONG);
    if (!cls_digit(buf[v + 5]))
        return WARD_E_VERSION;
    if (lim - v <= 6)
        return out_of_window(lim, cap, cut, WARD_E_REQUEST_LINE_TOO_LONG);
    if (buf[v + 6] != '.')
        return WARD_E_VERSION;
    if (lim - v <= 7)
        return out_of_window(lim, cap, cut, WARD_E_REQUEST_LINE_TOO_LONG);
    if (!cls_digit(buf[v + 7]))
        return WARD_E_VERSION;
    *major = (uint8_t)(buf[v + 5] - '0');
    *ver = buf[v + 7] != '0' ? 1 : 0;
    return WARD_OK;
}

/* Where the method from buf[s] ends: the first byte no tchar, else lim.
 * The usual "GET " at once. */
/*@ requires s <= lim <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (0 .. lim - 1));
    assigns \nothing;
    ensures s <= \result <= lim && all_tchar(buf, s, \result);
    ensures \result < lim ==> !is_tchar(buf[\result]); */
WARD_HOT uint32_t method_end(const uint8_t *buf, uint32_t s, uint32_t lim)
{
    if (lim - s >= 4 && is_get(buf, s))
        return s + 3;
    return (uint32_t)scan_tchar(buf, s, lim);
}

/* Where the request-target from buf[from] ends: the first byte no target
 * char, else lim; *pe is where the path stops (scan_target_path()). */
/*@ requires from <= lim <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (0 .. lim - 1));
    requires \valid(pe) && \separated(pe, buf + (0 .. lim - 1));
    assigns *pe;
    ensures from <= \result <= lim && all_target(buf, from, \result);
    ensures \result < lim ==> !is_target_char(buf[\result]);
    ensures path_end_at(buf, from, \result, *pe); */
WARD_HOT uint32_t target_end(const uint8_t *buf, uint32_t from, uint32_t lim, uint32_t *pe)
{
    target_ends e = scan_target_path(buf, from, lim);

    *pe = (uint32_t)e.path;
    return (uint32_t)e.target;
}

/* The line end after the version at buf[v .. v + 8): CRLF, or what
 * line_end() allows; a ninth digit makes a bad version. */
/*@ requires v <= lim <= WARD_LIMIT_CAP && lim - v >= 8;
    requires \valid_read(buf + (0 .. lim - 1));
    requires \valid(next) && \separated(next, buf + (0 .. lim - 1));
    assigns *next;
    ensures \result == WARD_OK ==> v + 8 < *next <= lim; */
WARD_HOT ward_status version_line_end(const uint8_t *buf, uint32_t v, uint32_t lim, uint32_t cap, int cut,
                                      uint32_t flags, uint32_t *next)
{
    *next = v;
    if (lim - v >= 10 && is_crlf(buf, v + 8)) { /* the usual CRLF */
        *next = v + 10;
        return WARD_OK;
    }
    if (lim - v <= 8)
        return out_of_window(lim, cap, cut, WARD_E_REQUEST_LINE_TOO_LONG);
    if (cls_digit(buf[v + 8]))
        return WARD_E_VERSION;
    if (buf[v + 8] != '\r' && buf[v + 8] != '\n')
        return WARD_E_REQUEST_LINE;
    return line_end(buf, v + 8, lim, cap, cut, flags, WARD_E_REQUEST_LINE_TOO_LONG, next);
}

/* request-line = method SP request-target SP HTTP-version CRLF
 * (RFC 9112 §3), starting at buf[s]; *next is the first byte after it.
 * The target is scanned as a path first: *pe, where that scan stopped, is
 * the origin-form path's end for ward_classify_target(), which so need
 * not scan it again. */
/*@ requires s <= n <= WARD_LIMIT_CAP;
    requires 1 <= rl <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (0 .. n - 1));
    requires \valid(req) && \valid(next) && \valid(pe);
    requires \separated(req, next, pe, buf + (0 .. n - 1));
    requires \separated(next, pe);
    assigns req->method, req->target, req->version, *next, *pe;
    ensures \result == WARD_OK ==> s < *next <= n && *next - s <= rl;
    ensures \result == WARD_OK ==> req->method.len >= 1 && req->method.off == s &&
            req->method.off + req->method.len < *next &&
            all_tchar(buf, req->method.off, req->method.off + req->method.len);
    ensures \result == WARD_OK ==> req->target.len >= 1 &&
            req->target.off + req->target.len < *next &&
            all_target(buf, req->target.off, req->target.off + req->target.len);
    ensures \result == WARD_OK ==> buf[req->method.off + req->method.len] == ' ' &&
            req->target.off == req->method.off + req->method.len + 1 &&
            buf[req->target.off + req->target.len] == ' ';
    ensures \result == WARD_OK ==> req->version <= 1 &&
            req->target.off + req->target.len + 8 < *next &&
            version_at(buf, req->target.off + req->target.len + 1, req->version);
    ensures \result == WARD_OK ==> path_end_at(buf, req->target.off, req->target.off + req->target.len, *pe); */
WARD_HOT ward_status parse_request_line(const uint8_t *buf, uint32_t s, uint32_t n, int cut, uint32_t rl,
                                        uint32_t flags, ward_request *req, uint32_t *next, uint32_t *pe)
{
    uint32_t cap = rl <= n - s ? s + rl : n + 1; /* never equal to lim when n - s < rl */
    uint32_t lim = rl <= n - s ? s + rl : n;
    uint32_t m, p, t, v;
    uint8_t major, ver;
    ward_status st;

    *next = s;
    *pe = s;
    m = method_end(buf, s, lim);
    if (m == lim)
        return out_of_window(lim, cap, cut, WARD_E_REQUEST_LINE_TOO_LONG);
    if (m == s || buf[m] != ' ')
        return WARD_E_METHOD;
    if (lim - m < 2)
        return out_of_window(lim, cap, cut, WARD_E_REQUEST_LINE_TOO_LONG);
    t = target_end(buf, m + 1, lim, &p);
    if (t == lim)
        return out_of_window(lim, cap, cut, WARD_E_REQUEST_LINE_TOO_LONG);
    if (buf[t] != ' ')
        return (buf[t] == '\r' || buf[t] == '\n') ? WARD_E_REQUEST_LINE : WARD_E_TARGET;
    if (t == m + 1)
        return WARD_E_REQUEST_LINE; /* two SP: RFC 9112 §3 */
    v = t + 1;
    st = parse_version(buf, v, lim, cap, cut, &major, &ver);
    if (st != WARD_OK)
        return st;
    st = version_line_end(buf, v, lim, cap, cut, flags, next);
    if (st != WARD_OK)
        return st;
    if (major != 1)
        return WARD_E_VERSION_UNSUPPORTED; /* RFC 9110 §6.2, §15.6.6: only a major version other than 1 */
    req->method.off = s;
    req->method.len = m - s;
    req->target.off = m + 1;
    req->target.len = t - (m + 1);
    req->version = ver;
    *pe = p;
    return WARD_OK;
}

#endif
