/* ward_scan.c - the exported copies of the scanning primitives, for the
 * differential tests and fuzzers; the parser uses the inline ones of
 * ward_scan.h. Their contracts are in ward_parse_int.h. */
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
