/* SPDX-License-Identifier: MIT */
/* ward_scan.c - the exported copies of the scanning primitives, for the
 * differential tests and fuzzers (the head parser uses the inline ones of
 * ward_scan.h), and the two table classes framing and chunked decoding
 * use, so that their tables are proved once. Contracts: ward_parse_int.h. */
#include "ward_parse_int.h"

#include "ward_scan.h"

size_t ward_scan_value_scalar(const uint8_t *buf, size_t i, size_t n)
{
    return scan_value_scalar(buf, i, n);
}

size_t ward_scan_value_fast(const uint8_t *buf, size_t i, size_t n)
{
    return scan_value(buf, i, n);
}

size_t ward_scan_target_scalar(const uint8_t *buf, size_t i, size_t n)
{
    return scan_target_scalar(buf, i, n);
}

size_t ward_scan_target_fast(const uint8_t *buf, size_t i, size_t n)
{
    return scan_target(buf, i, n);
}

size_t ward_scan_tchar_scalar(const uint8_t *buf, size_t i, size_t n)
{
    return scan_tchar_scalar(buf, i, n);
}

size_t ward_scan_tchar_fast(const uint8_t *buf, size_t i, size_t n)
{
    return scan_tchar(buf, i, n);
}

size_t ward_scan_regname_scalar(const uint8_t *buf, size_t i, size_t n)
{
    return scan_regname_scalar(buf, i, n);
}

size_t ward_scan_regname_fast(const uint8_t *buf, size_t i, size_t n)
{
    return scan_regname(buf, i, n);
}

size_t ward_scan_path_scalar(const uint8_t *buf, size_t i, size_t n)
{
    return scan_path_scalar(buf, i, n);
}

size_t ward_scan_path_fast(const uint8_t *buf, size_t i, size_t n)
{
    return scan_path(buf, i, n);
}

size_t ward_scan_nopct_scalar(const uint8_t *buf, size_t i, size_t n)
{
    return scan_nopct_scalar(buf, i, n);
}

size_t ward_scan_nopct_fast(const uint8_t *buf, size_t i, size_t n)
{
    return scan_nopct(buf, i, n);
}

size_t ward_scan_line_name(const uint8_t *buf, size_t i, size_t n)
{
    return scan_line(buf, i, n).name;
}

size_t ward_scan_line_value(const uint8_t *buf, size_t i, size_t n)
{
    return scan_line(buf, i, n).value;
}

size_t ward_scan_tp_path(const uint8_t *buf, size_t i, size_t n)
{
    return scan_target_path(buf, i, n).path;
}

size_t ward_scan_tp_target(const uint8_t *buf, size_t i, size_t n)
{
    return scan_target_path(buf, i, n).target;
}

int ward_name_is_words(const uint8_t *buf, uint32_t off, uint32_t len, const uint8_t *lit, uint32_t litlen)
{
#ifdef WARD_WORDS
    if (len == litlen)
        return ci_words_eq(buf + off, lit, litlen);
    return 0;
#else
    return ward_name_is(buf, off, len, lit, litlen);
#endif
}

int ward_class_tchar(uint8_t c)
{
    return cls_tchar(c);
}

int ward_class_value(uint8_t c)
{
    return cls_value(c);
}
