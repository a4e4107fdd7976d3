/* SPDX-License-Identifier: MIT */
/* fuzz_diff.c - differential libFuzzer target: ward against llhttp.
 *
 * The same bytes, a pipelined stream of requests, go through ward as a
 * server runs it (fuzz_common.h's stream_run(), default options: strict,
 * default limits) and through llhttp (Debian's node-llhttp, its defaults:
 * llhttp_settings_init(), HTTP_REQUEST, no lenient flag). Message by
 * message, where both accept a message, they must agree on its framing:
 * where the head ends, which bytes are the body (offsets and bytes), and
 * where the next message starts. A message on which llhttp pauses for an
 * upgrade (CONNECT, Upgrade) ends the comparison: llhttp stops there.
 *
 * Disagreement in acceptance is not a failure: fuzz/README.md lists the
 * kinds ward keeps on purpose, with the rule it follows. Set WARD_DIFF_LOG=1
 * to print, per input, the first message one side accepts and the other
 * does not (fuzz/README.md shows how to count them over a corpus).
 *
 * Input: the stream, nothing else.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WARD_FUZZ_STREAM
#include "fuzz_common.h"
#include "llhttp.h"
#include "ward_parse.h"

struct llmsg {
    size_t head_end, end;
    int upgrade;
};

struct llrun {
    size_t nm;
    struct llmsg m[MSG_MAX + 1];
    int in_msg;          /* a head was seen for m[nm] */
    int upgrade;         /* stopped for an upgrade after m[nm - 1] or in m[nm] */
    llhttp_errno_t err;  /* the error that stopped it (HPE_OK: none) */
    const char *reason;
    size_t err_pos;
    struct ivls body;
};

static struct llrun L;
static const uint8_t *L_base;
static int L_last; /* 1: headers complete, 2: message complete */

static int ll_headers_complete(llhttp_t *p)
{
    (void)p;
    L_last = 1;
    return HPE_PAUSED;
}

static int ll_message_complete(llhttp_t *p)
{
    (void)p;
    L_last = 2;
    return HPE_PAUSED;
}

static int ll_body(llhttp_t *p, const char *at, size_t n)
{
    (void)p;
    ivl_add(&L.body, (size_t)((const uint8_t *)at - L_base), n);
    return 0;
}

/* llhttp over s[0 .. len), all at once; each pause (end of a head, end of
 * a message) gives a position, then parsing resumes from it. */
static void llhttp_run(const uint8_t *s, size_t len)
{
    static llhttp_settings_t settings;
    static int ready;
    llhttp_t p;
    size_t at = 0;

    if (!ready) {
        llhttp_settings_init(&settings);
        settings.on_headers_complete = ll_headers_complete;
        settings.on_message_complete = ll_message_complete;
        settings.on_body = ll_body;
        ready = 1;
    }
    memset(&L.m[0], 0, sizeof L.m[0]);
    L.nm = 0;
    L.in_msg = 0;
    L.upgrade = 0;
    L.err = HPE_OK;
    L.reason = NULL;
    L.err_pos = 0;
    L.body.n = 0;
    L.body.bytes = 0;
    L_base = s;
    llhttp_init(&p, HTTP_REQUEST, &settings);
    for (unsigned guard = 0; guard < 4 * MSG_MAX + 8; guard++) {
        llhttp_errno_t e;
        size_t pos;
        L_last = 0;
        e = llhttp_execute(&p, (const char *)s + at, len - at);
        if (e == HPE_OK)
            return; /* all bytes taken: incomplete, or ignored after Connection: close */
        pos = (size_t)((const uint8_t *)llhttp_get_error_pos(&p) - s);
        CHECK(pos >= at && pos <= len);
        if (e == HPE_PAUSED && L_last == 1) {
            L.m[L.nm].head_end = pos;
            L.m[L.nm].upgrade = llhttp_get_upgrade(&p) != 0;
            L.in_msg = 1;
            if (L.m[L.nm].upgrade) {
                L.upgrade = 1;
                return;
            }
        } else if (e == HPE_PAUSED && L_last == 2) {
            CHECK(L.in_msg);
            L.m[L.nm].end = pos;
            L.nm++;
            L.in_msg = 0;
            if (L.nm == MSG_MAX)
                return;
            memset(&L.m[L.nm], 0, sizeof L.m[L.nm]);
        } else if (e == HPE_PAUSED_UPGRADE) {
            L.upgrade = 1;
            return;
        } else {
            L.err = e;
            L.reason = llhttp_get_error_reason(&p);
            L.err_pos = pos;
            return;
        }
        llhttp_resume(&p);
        at = pos;
    }
    FAIL("llhttp pauses a bounded number of times");
}

/* The spans of l inside [lo, hi), as a list of their own. */
static void ivl_range(const struct ivls *l, size_t lo, size_t hi, struct ivls *out)
{
    out->n = 0;
    out->bytes = 0;
    for (size_t k = 0; k < l->n; k++) {
        if (l->v[k].off >= lo && l->v[k].off < hi)
            ivl_add(out, l->v[k].off, l->v[k].len);
    }
}

static void show(const char *what, const uint8_t *s, size_t len, size_t from)
{
    fprintf(stderr, "%s at %zu: \"", what, from);
    for (size_t k = from; k < len && k < from + 160; k++) {
        uint8_t c = s[k];
        if (c == '\r')
            fputs("\\r", stderr);
        else if (c == '\n')
            fputs("\\n", stderr);
        else if (c == '"' || c == '\\')
            fprintf(stderr, "\\%c", c);
        else if (c >= 0x20 && c < 0x7f)
            fputc(c, stderr);
        else
            fprintf(stderr, "\\x%02x", c);
    }
    fputs("\"\n", stderr);
}

/* What a side did with message i, past the messages both completed. */
enum side { S_DONE, S_BODY, S_REJECT, S_NONE, S_UPGRADE };

static enum side ward_side(const struct srun *w, size_t i)
{
    if (i < w->nm)
        return S_DONE;
    if (w->end == END_BODY_AGAIN)
        return S_BODY;
    if (w->end == END_HEAD_ERR || w->end == END_FRAME_ERR || w->end == END_BODY_ERR)
        return S_REJECT;
    return S_NONE; /* clean, inside a head, after close, full */
}

static enum side llhttp_side(size_t i)
{
    if (i < L.nm)
        return L.m[i].upgrade ? S_UPGRADE : S_DONE;
    if (L.upgrade)
        return S_UPGRADE;
    if (L.err != HPE_OK)
        return S_REJECT;
    return L.in_msg ? S_BODY : S_NONE;
}

/* One line naming what each side did with the first message they do not
 * both accept, when one of them accepted its head (WARD_DIFF_LOG). */
static void log_acceptance(const struct srun *w, size_t i, const uint8_t *s, size_t len)
{
    static const char *const names[] = {"accepts", "body-incomplete", "rejects", "none", "upgrade"};
    enum side ws = ward_side(w, i), ls = llhttp_side(i);

    if (ws == ls || ls == S_UPGRADE || !(ws == S_DONE || ws == S_BODY || ls == S_DONE || ls == S_BODY))
        return; /* the same, llhttp stopped, or neither took the head */
    fprintf(stderr, "ACCEPT ward: %s", names[ws]);
    if (ws == S_REJECT)
        fprintf(stderr, " %s %s", end_name(w->end), ward_status_str(w->st));
    else if (ws == S_NONE)
        fprintf(stderr, " %s", end_name(w->end));
    fprintf(stderr, " | llhttp: %s", names[ls]);
    if (ls == S_REJECT)
        fprintf(stderr, " %s (%s)", llhttp_errno_name(L.err), L.reason != NULL ? L.reason : "");
    fputc('\n', stderr);
    show("  message", s, len, i < w->nm ? w->m[i].start : w->at);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct srun w;
    static struct ivls wb, lb;
    static int log = -1;
    struct scfg cfg;
    size_t i;

    if (log < 0)
        log = getenv("WARD_DIFF_LOG") != NULL;
    memset(&cfg, 0, sizeof cfg); /* ward's defaults */
    stream_run(&cfg, data, size, NULL, 0, &w);
    llhttp_run(data, size);

    for (i = 0; i < w.nm && i < L.nm; i++) {
        const struct smsg *a = &w.m[i];
        const struct llmsg *b = &L.m[i];
        int same;
        if (b->upgrade)
            return 0; /* llhttp stops parsing there */
        ivl_range(&w.data, a->head_end, a->end, &wb);
        ivl_range(&L.body, b->head_end, b->end, &lb);
        same = a->head_end == b->head_end && a->end == b->end && ivl_eq(&wb, &lb);
        if (!same) {
            fprintf(stderr, "message %zu: ward head ends at %zu, body %llu bytes in %zu pieces, next at %zu; "
                            "llhttp head ends at %zu, body %llu bytes in %zu pieces, next at %zu\n",
                    i, a->head_end, (unsigned long long)wb.bytes, wb.n, a->end, b->head_end,
                    (unsigned long long)lb.bytes, lb.n, b->end);
            show("  message", data, size, a->start);
        }
        CHECK(a->head_end == b->head_end); /* the same head */
        CHECK(wb.bytes == lb.bytes);       /* the same body length */
        CHECK(ivl_eq(&wb, &lb));           /* the same body bytes, at the same offsets */
        CHECK(a->end == b->end);           /* the next message starts at the same byte */
        for (size_t k = 0; k < wb.n; k++)  /* (the bytes themselves: the same spans of one buffer) */
            CHECK(memcmp(data + wb.v[k].off, data + lb.v[k].off, wb.v[k].len) == 0);
    }
    /* The first message not completed by both. One side complete and the
     * other still reading the body it framed, or both reading one: the
     * head and the body so far must agree too (the framing differs
     * otherwise: one side ends the body where the other reads on). */
    {
        enum side ws = ward_side(&w, i), ls = llhttp_side(i);
        if ((ws == S_DONE || ws == S_BODY) && (ls == S_DONE || ls == S_BODY) && !(ws == S_DONE && ls == S_DONE)) {
            const struct smsg *a = ws == S_DONE ? &w.m[i] : &w.cur;
            size_t wend = ws == S_DONE ? a->end : size, lend = ls == S_DONE ? L.m[i].end : size;
            ivl_range(&w.data, a->head_end, wend, &wb);
            ivl_range(&L.body, L.m[i].head_end, lend, &lb);
            if (ws != ls || a->head_end != L.m[i].head_end || !ivl_eq(&wb, &lb)) {
                fprintf(stderr, "message %zu: ward %s, head ends at %zu, body %llu bytes; llhttp %s, head ends at %zu, "
                                "body %llu bytes\n",
                        i, ws == S_DONE ? "complete" : "reading the body", a->head_end, (unsigned long long)wb.bytes,
                        ls == S_DONE ? "complete" : "reading the body", L.m[i].head_end,
                        (unsigned long long)lb.bytes);
                show("  message", data, size, a->start);
            }
            CHECK(a->head_end == L.m[i].head_end);
            CHECK(ws == ls); /* one ends the body where the other reads on */
            CHECK(ivl_eq(&wb, &lb));
        }
    }
    if (log)
        log_acceptance(&w, i, data, size);
    return 0;
}
