/* SPDX-License-Identifier: MIT */
/* ward_sem.c - the semantic summary of a head: request-target forms
 * (RFC 9112 §3.2), Host (§3.2), Connection (RFC 9110 §7.6.1) and Expect
 * (RFC 9110 §10.1.1). */
#include "ward_parse_int.h"

#include "ward_scan.h"

static const uint8_t lit_connect[7] = {'C', 'O', 'N', 'N', 'E', 'C', 'T'};
static const uint8_t lit_options[7] = {'O', 'P', 'T', 'I', 'O', 'N', 'S'};
static const uint8_t lit_host[4] = {'h', 'o', 's', 't'};
static const uint8_t lit_connection[10] = {'c', 'o', 'n', 'n', 'e', 'c', 't', 'i', 'o', 'n'};
static const uint8_t lit_expect[6] = {'e', 'x', 'p', 'e', 'c', 't'};
static const uint8_t lit_close[5] = {'c', 'l', 'o', 's', 'e'};
static const uint8_t lit_keep_alive[10] = {'k', 'e', 'e', 'p', '-', 'a', 'l', 'i', 'v', 'e'};
static const uint8_t lit_upgrade[7] = {'u', 'p', 'g', 'r', 'a', 'd', 'e'};
static const uint8_t lit_continue[12] = {'1', '0', '0', '-', 'c', 'o', 'n', 't', 'i', 'n', 'u', 'e'};

/*@ requires off + len <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (off .. off + len - 1));
    requires \valid_read(lit + (0 .. litlen - 1));
    assigns \nothing;
    ensures \result != 0 <==> (len == litlen && eq_bytes(buf, off, lit, litlen)); */
static int bytes_are(const uint8_t *buf, uint32_t off, uint32_t len, const uint8_t *lit, uint32_t litlen)
{
    if (len != litlen)
        return 0;
    /*@ loop invariant 0 <= k <= len;
        loop invariant eq_bytes(buf, off, lit, k);
        loop assigns k;
        loop variant len - k; */
    for (uint32_t k = 0; k < len; k++) {
        if (buf[off + k] != lit[k])
            return 0;
    }
    return 1;
}

int ward_name_is(const uint8_t *buf, uint32_t off, uint32_t len, const uint8_t *lit, uint32_t litlen)
{
    if (len != litlen)
        return 0;
    /*@ loop invariant 0 <= k <= len;
        loop invariant eq_ci(buf, off, lit, k);
        loop assigns k;
        loop variant len - k; */
    for (uint32_t k = 0; k < len; k++) {
        uint8_t c = buf[off + k];
        if (c >= 'A' && c <= 'Z')
            c = (uint8_t)(c + 32);
        if (c != lit[k])
            return 0;
    }
    return 1;
}

/* ward_name_is for this file's literals, which hold no upper-case letter:
 * a byte equal to the literal's matches at once (the usual case), so only
 * an upper-case byte needs folding. Inline, so the literal is a constant,
 * and compared 8 bytes at a time where the build has ci_words_eq()
 * (ward_scan.h; tested against this loop through ward_name_is_words()). */
/*@ requires off + len <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (off .. off + len - 1));
    requires \valid_read(lit + (0 .. litlen - 1));
    requires no_upper(lit, litlen);
    assigns \nothing;
    ensures \result != 0 <==> (len == litlen && eq_ci(buf, off, lit, litlen)); */
WARD_HOT int name_is(const uint8_t *buf, uint32_t off, uint32_t len, const uint8_t *lit, uint32_t litlen)
{
    if (len != litlen)
        return 0;
#ifdef WARD_WORDS
    if (__builtin_constant_p(litlen) && litlen <= 16)
        return ci_words_eq(buf + off, lit, litlen);
#endif
    /*@ loop invariant 0 <= k <= len;
        loop invariant eq_ci(buf, off, lit, k);
        loop assigns k;
        loop variant len - k; */
    for (uint32_t k = 0; k < len; k++) {
        uint8_t c = buf[off + k];
        if (c != lit[k] && !(c >= 'A' && c <= 'Z' && c + 32 == lit[k]))
            return 0;
    }
    return 1;
}

/* authority = uri-host [ ":" port ] in buf[off .. end) (RFC 3986 §3.2):
 * uri-host an IP-literal "[...]" or a reg-name with valid pct-encoding;
 * port *DIGIT, or 1*DIGIT when need_port. need_host refuses an empty host. */
/*@ requires off <= end;
    requires \valid_read(buf + (0 .. end - 1));
    assigns \nothing;
    ensures \result == 0 || \result == 1;
    ensures \result == 1 ==> all_target(buf, off, end);
    ensures \result == 1 && need_host != 0 ==> off < end; */
WARD_HOT int valid_authority(const uint8_t *buf, uint32_t off, uint32_t end, int need_host, int need_port)
{
    uint32_t i = off;
    if (i < end && buf[i] == '[') {
        uint32_t j = i + 1;
        /*@ loop invariant i == off && i + 1 <= j <= end;
            loop invariant all_target(buf, off, j);
            loop assigns j;
            loop variant end - j; */
        while (j < end && cls_ipl(buf[j]))
            j++;
        if (j == i + 1 || j == end || buf[j] != ']')
            return 0;
        i = j + 1;
    } else {
        /*@ loop invariant off <= i <= end;
            loop invariant all_target(buf, off, i);
            loop assigns i;
            loop variant end - i; */
        while (i < end) {
            i = (uint32_t)scan_regname(buf, i, end);
            if (i == end || buf[i] != '%')
                break;
            /* pct-encoded = "%" HEXDIG HEXDIG */
            if (end - i < 3 || !cls_hexdig(buf[i + 1]) || !cls_hexdig(buf[i + 2]))
                return 0;
            i += 3;
        }
        if (need_host && i == off)
            return 0;
    }
    /*@ assert all_target(buf, off, i); */
    if (i == end)
        return need_port ? 0 : 1;
    if (buf[i] != ':')
        return 0;
    i++;
    if (need_port && i == end)
        return 0;
    /*@ loop invariant off < i <= end;
        loop invariant all_target(buf, off, i);
        loop assigns i;
        loop variant end - i; */
    while (i < end) {
        if (!cls_digit(buf[i]))
            return 0;
        i++;
    }
    return 1;
}

/* A comma list of tokens (RFC 9110 §5.6.1) in buf[off .. end): OWS and
 * empty elements allowed; CR and LF count as OWS so that an accepted
 * obs-fold reads as the SP it stands for (RFC 9112 §5.2). Each element
 * sets its flag (Connection) or must be 100-continue (Expect). */
/*@ requires off <= end <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (0 .. end - 1));
    requires \valid(flags);
    requires \separated(flags, buf + (0 .. end - 1));
    assigns *flags;
    ensures \result == WARD_OK || \result == bad; */
static ward_status parse_list(const uint8_t *buf, uint32_t off, uint32_t end, int expect, ward_status bad,
                              uint32_t *flags)
{
    uint32_t i = off;
    /*@ loop invariant off <= i <= end;
        loop assigns i, *flags;
        loop variant end - i; */
    while (i < end) {
        uint8_t c = buf[i];
        uint32_t t;
        if (c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            i++;
            continue;
        }
        t = (uint32_t)scan_tchar(buf, i, end);
        if (t == i)
            return bad;
        if (expect) {
            if (!name_is(buf, i, t - i, lit_continue, 12))
                return bad; /* RFC 9110 §10.1.1: 417 */
            *flags |= WARD_REQ_EXPECT_CONTINUE;
        } else if (name_is(buf, i, t - i, lit_close, 5)) {
            *flags |= WARD_REQ_CONN_CLOSE;
        } else if (name_is(buf, i, t - i, lit_keep_alive, 10)) {
            *flags |= WARD_REQ_CONN_KEEP_ALIVE;
        } else if (name_is(buf, i, t - i, lit_upgrade, 7)) {
            *flags |= WARD_REQ_CONN_UPGRADE;
        }
        i = t;
        /*@ loop invariant t <= i <= end;
            loop assigns i;
            loop variant end - i; */
        while (i < end && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n'))
            i++;
        if (i < end && buf[i] != ',')
            return bad;
    }
    return WARD_OK;
}

/* Where a request-target's parts lie: all offsets within the target. */
typedef struct parts {
    uint32_t form, path_off, path_end, query_off, host_off, host_end, flags;
} parts;

/*@ predicate parts_in(parts p, integer end) =
      p.path_off <= p.path_end <= end && p.query_off <= end && p.host_off <= p.host_end <= end;
*/

/* absolute-form = scheme "://" authority path-abempty [ "?" query ]. */
/*@ requires off < end <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (0 .. end - 1));
    requires \valid(p);
    requires \separated(p, buf + (0 .. end - 1));
    assigns p->host_off, p->host_end, p->path_off;
    ensures \result == WARD_OK || \result == WARD_E_TARGET;
    ensures \result == WARD_OK ==> off <= p->host_off <= p->host_end == p->path_off <= end; */
WARD_HOT ward_status parse_absolute(const uint8_t *buf, uint32_t off, uint32_t end, parts *p)
{
    uint32_t i = off + 1, a, ae;
    if (!cls_alpha(buf[off]))
        return WARD_E_TARGET;
    /*@ loop invariant off < i <= end;
        loop assigns i;
        loop variant end - i; */
    while (i < end && cls_scheme(buf[i]))
        i++;
    if (end - i < 3 || buf[i] != ':' || buf[i + 1] != '/' || buf[i + 2] != '/')
        return WARD_E_TARGET;
    a = i + 3;
    ae = a;
    /*@ loop invariant a <= ae <= end;
        loop assigns ae;
        loop variant end - ae; */
    while (ae < end && buf[ae] != '/' && buf[ae] != '?')
        ae++;
    if (!valid_authority(buf, a, ae, 1, 0))
        return WARD_E_TARGET; /* RFC 9110 §4.2.1, §4.2.4: no empty host, no userinfo */
    p->host_off = a;
    p->host_end = ae;
    p->path_off = ae;
    return WARD_OK;
}

/*@ requires off < end <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (0 .. end - 1));
    requires \valid(p);
    requires \separated(p, buf + (0 .. end - 1));
    requires path_end_at(buf, off, end, pe);
    assigns *p;
    ensures \result == WARD_OK ==> WARD_FORM_ORIGIN <= p->form <= WARD_FORM_ASTERISK && parts_in(*p, end);
    ensures \result == WARD_OK || \result == WARD_E_TARGET || \result == WARD_E_TARGET_FORM; */
WARD_HOT ward_status target_parts(const uint8_t *buf, uint32_t off, uint32_t end, uint32_t pe, int connect,
                                  int options, parts *p)
{
    p->form = WARD_FORM_NONE;
    p->path_off = off;
    p->host_off = off;
    p->host_end = off;
    p->flags = 0;
    if (buf[off] == '*') {
        if (end - off != 1)
            return WARD_E_TARGET;
        if (!options)
            return WARD_E_TARGET_FORM; /* RFC 9112 §3.2.4 */
        p->form = WARD_FORM_ASTERISK;
    } else if (buf[off] == '/') {
        if (connect)
            return WARD_E_TARGET_FORM; /* RFC 9112 §3.2.3 */
        p->form = WARD_FORM_ORIGIN;
    } else if (connect) {
        if (!valid_authority(buf, off, end, 1, 1)) /* authority-form = uri-host ":" port */
            return parse_absolute(buf, off, end, p) == WARD_OK ? WARD_E_TARGET_FORM : WARD_E_TARGET;
        p->form = WARD_FORM_AUTHORITY;
        p->host_end = end;
        p->path_off = end;
        p->flags = WARD_REQ_HOST;
    } else {
        if (parse_absolute(buf, off, end, p) != WARD_OK)
            return WARD_E_TARGET;
        p->form = WARD_FORM_ABSOLUTE;
        p->flags = WARD_REQ_HOST;
    }
    /* all target bytes: stops at '?'; pe, from the target's start, is it
     * unless the path starts after it (absolute form) */
    p->path_end = pe >= p->path_off ? pe : (uint32_t)scan_path(buf, p->path_off, end);
    p->query_off = end;
    if (p->path_end < end) {
        p->query_off = p->path_end + 1;
        p->flags |= WARD_REQ_QUERY;
    }
    return WARD_OK;
}

ward_status ward_classify_target(const uint8_t *buf, uint32_t n, uint32_t pe, ward_request *req)
{
    uint32_t off = req->target.off;
    uint32_t end = req->target.off + req->target.len;
    int connect = bytes_are(buf, req->method.off, req->method.len, lit_connect, 7);
    int options = bytes_are(buf, req->method.off, req->method.len, lit_options, 7);
    parts p;
    ward_status st = target_parts(buf, off, end, pe, connect, options, &p);
    (void)n;
    if (st != WARD_OK)
        return st;
    req->form = (uint8_t)p.form;
    req->path.off = p.path_off;
    req->path.len = p.path_end - p.path_off;
    req->query.off = p.query_off;
    req->query.len = end - p.query_off;
    req->host.off = p.host_off;
    req->host.len = p.host_end - p.host_off;
    req->flags |= p.flags;
    return WARD_OK;
}

ward_status ward_apply_field(const uint8_t *buf, uint32_t n, const ward_field *f, ward_request *req)
{
    uint32_t vo = f->value.off, ve = f->value.off + f->value.len;
    (void)n;
    if (name_is(buf, f->name.off, f->name.len, lit_host, 4)) {
        if ((req->flags & WARD_REQ_HOST_FIELD) != 0)
            return WARD_E_HOST_DUPLICATE; /* RFC 9112 §3.2 */
        if (!valid_authority(buf, vo, ve, 0, 0))
            return WARD_E_HOST_INVALID;
        req->flags |= WARD_REQ_HOST_FIELD;
        if ((req->flags & WARD_REQ_HOST) == 0) { /* absolute-form authority wins, §3.2.2 */
            req->host = f->value;
            req->flags |= WARD_REQ_HOST;
        }
        return WARD_OK;
    }
    if (name_is(buf, f->name.off, f->name.len, lit_connection, 10)) {
        /* the two usual values whole, without the list walk */
        if (name_is(buf, vo, f->value.len, lit_keep_alive, 10)) {
            req->flags |= WARD_REQ_CONN_KEEP_ALIVE;
            return WARD_OK;
        }
        if (name_is(buf, vo, f->value.len, lit_close, 5)) {
            req->flags |= WARD_REQ_CONN_CLOSE;
            return WARD_OK;
        }
        return parse_list(buf, vo, ve, 0, WARD_E_CONNECTION, &req->flags);
    }
    if (name_is(buf, f->name.off, f->name.len, lit_expect, 6))
        return parse_list(buf, vo, ve, 1, WARD_E_EXPECTATION, &req->flags);
    return WARD_OK;
}
