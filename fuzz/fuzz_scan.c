/* SPDX-License-Identifier: MIT */
/* fuzz_scan.c - differential libFuzzer target for the scanning primitives
 * and the 8-bytes-at-a-time name compare.
 *
 * For each primitive pair (scalar, proved; fast, SIMD where built), from
 * every start index on the input: both give the same index, and that
 * index keeps the contract of ward_parse_int.h against the byte class
 * restated here from RFC 9110/3986 (so a wrong table entry is caught too).
 * The ends tried are the input's end (libFuzzer's exact-size buffer) and
 * two shorter ends on exact-size heap copies, so a fast primitive that
 * reads past n faults under ASan.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "ward_parse_int.h"

#define MAX_LEN 1024u /* O(len^2) per input: bound it */

/* RFC 3986 §3.2.2: unreserved and sub-delims (a reg-name without "%") */
static int c_regname(uint8_t c)
{
    return is_alnum(c) || (c != 0 && strchr("-._~!$&'()*+,;=", c) != NULL);
}

/* a request-target byte other than the "?" that starts the query */
static int c_path(uint8_t c)
{
    return c_target(c) && c != '?';
}

/* any byte but the "%" of pct-encoded (RFC 3986 §2.1) */
static int c_nopct(uint8_t c)
{
    return c != '%';
}

typedef size_t (*scan_fn)(const uint8_t *buf, size_t i, size_t n);

static const struct pair {
    const char *name;
    scan_fn scalar, fast;
    int (*in_class)(uint8_t c);
} pairs[] = {
    {"value", ward_scan_value_scalar, ward_scan_value_fast, c_value},
    {"target", ward_scan_target_scalar, ward_scan_target_fast, c_target},
    {"tchar", ward_scan_tchar_scalar, ward_scan_tchar_fast, c_tchar},
    {"regname", ward_scan_regname_scalar, ward_scan_regname_fast, c_regname},
    {"path", ward_scan_path_scalar, ward_scan_path_fast, c_path},
    {"line-name", ward_scan_tchar_scalar, ward_scan_line_name, c_tchar},
    {"line-value", ward_scan_value_scalar, ward_scan_line_value, c_value},
    {"tp-path", ward_scan_path_scalar, ward_scan_tp_path, c_path},
    {"tp-target", ward_scan_target_scalar, ward_scan_tp_target, c_target},
    {"nopct", ward_scan_nopct_scalar, ward_scan_nopct_fast, c_nopct},
};

/* The literals the semantic checks compare names and tokens with. */
static const char *const lits[] = {"host", "connection", "expect", "close", "keep-alive", "upgrade",
                                   "100-continue", "te", "x"};

/* ward_name_is_words() and the proved byte loop agree at every offset. */
static void check_words(const uint8_t *buf, size_t n)
{
    for (size_t li = 0; li < sizeof lits / sizeof lits[0]; li++) {
        const uint8_t *lit = (const uint8_t *)lits[li];
        uint32_t ln = (uint32_t)strlen(lits[li]);
        for (size_t off = 0; off + ln <= n; off++) {
            int w = ward_name_is_words(buf, (uint32_t)off, ln, lit, ln);
            if (w != ward_name_is(buf, (uint32_t)off, ln, lit, ln)) {
                fprintf(stderr, "fuzz_scan: \"%s\" at %zu: words %d\n", lits[li], off, w);
                FAIL("ward_name_is_words == ward_name_is");
            }
        }
    }
}

/* Scalar and fast agree from every start, and keep the contract. */
static void check_all_starts(const struct pair *p, const uint8_t *buf, size_t n)
{
    /* the first miss at or after each index, computed backwards once */
    size_t miss = n;
    size_t *want = malloc((n + 1) * sizeof *want);

    CHECK(want != NULL);
    want[n] = n;
    for (size_t i = n; i-- > 0;) {
        if (!p->in_class(buf[i]))
            miss = i;
        want[i] = miss;
    }
    for (size_t i = 0; i <= n; i++) {
        size_t s = p->scalar(buf, i, n);
        size_t f = p->fast(buf, i, n);
        if (s != f || s != want[i]) {
            fprintf(stderr, "fuzz_scan: %s from %zu to %zu: scalar %zu, fast %zu, expected %zu\n", p->name, i, n,
                    s, f, want[i]);
            FAIL("scalar == fast == first byte outside the class");
        }
    }
    free(want);
}

static void check_end(const uint8_t *data, size_t n, int copy)
{
    const uint8_t *buf = data;
    uint8_t *heap = NULL;

    if (copy) { /* exact size: a read past n faults */
        heap = malloc(n);
        CHECK(heap != NULL || n == 0);
        if (n > 0)
            memcpy(heap, data, n);
        buf = heap;
    }
    for (size_t k = 0; k < sizeof pairs / sizeof pairs[0]; k++)
        check_all_starts(&pairs[k], buf, n);
    check_words(buf, n);
    CHECK(!copy || n == 0 || memcmp(heap, data, n) == 0);
    free(heap);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t n = size > MAX_LEN ? MAX_LEN : size;

    check_end(data, size > MAX_LEN ? n : size, size > MAX_LEN);
    if (n > 0) {
        check_end(data, n - 1, 1);
        check_end(data, (size_t)data[0] % n, 1);
    }
    return 0;
}
