/* ward_parse.c - the request-head parser (RFC 9112 §2-§5, RFC 9110 §5).
 *
 * One pass, left to right, over buf[0 .. n) where n = min(len, max_head):
 * leading empty line, request line, field lines, final empty line. Each
 * line is parsed inside its own window (line start + line limit), so the
 * first byte that breaks a rule, or the first limit reached, decides.
 * Positions are uint32_t: n never exceeds WARD_LIMIT_CAP. The semantic
 * checks (Host, Connection, Expect, target forms) live in ward_head.c.
 */
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
 * (RFC 9112 §2.3). On success *major and *minor hold the digits. */
/*@ requires v <= lim <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (0 .. lim - 1));
    requires \valid(major) && \valid(minor);
    requires \separated(major, minor);
    assigns *major, *minor;
    ensures \result == WARD_OK ==> lim - v >= 8 && buf[v] == 'H' && buf[v + 1] == 'T' &&
            buf[v + 2] == 'T' && buf[v + 3] == 'P' && buf[v + 4] == '/' &&
            is_digit(buf[v + 5]) && buf[v + 6] == '.' && is_digit(buf[v + 7]) &&
            *major == buf[v + 5] - '0' && *minor == buf[v + 7] - '0'; */
WARD_HOT ward_status parse_version(const uint8_t *buf, uint32_t v, uint32_t lim, uint32_t cap, int cut,
                                   uint8_t *major, uint8_t *minor)
{
    *major = 1;
    *minor = 0;
    if (lim - v >= 8 && is_http_1x(buf, v)) { /* the usual ones at once; else byte by byte below */
        *minor = (uint8_t)(buf[v + 7] - '0');
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
    *minor = (uint8_t)(buf[v + 7] - '0');
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
    uint8_t major, minor;
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
    st = parse_version(buf, v, lim, cap, cut, &major, &minor);
    if (st != WARD_OK)
        return st;
    st = version_line_end(buf, v, lim, cap, cut, flags, next);
    if (st != WARD_OK)
        return st;
    if (major != 1 || minor > 1)
        return WARD_E_VERSION_UNSUPPORTED; /* RFC 9112 §2.3, RFC 9110 §15.6.6 */
    req->method.off = s;
    req->method.len = m - s;
    req->target.off = m + 1;
    req->target.len = t - (m + 1);
    req->version = minor;
    *pe = p;
    return WARD_OK;
}

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
