/* fuzz_common.h - what the fuzz targets share: the property check and the
 * byte classes written again from the RFCs, independently of the parser's
 * tables, so that a wrong table entry is caught. */
#ifndef WARD_FUZZ_COMMON_H
#define WARD_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond) check((cond) != 0, #cond, __FILE__, __LINE__)
#define FAIL(what) check(0, what, __FILE__, __LINE__)

static void check(int ok, const char *what, const char *file, int line)
{
    if (ok)
        return;
    fprintf(stderr, "%s:%d: property failed: %s\n", file, line, what);
    abort();
}

static int is_alnum(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* RFC 9110 §5.6.2 */
static int c_tchar(uint8_t c)
{
    return is_alnum(c) || (c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* RFC 9110 §5.5: HTAB, SP, VCHAR, obs-text */
static int c_value(uint8_t c)
{
    return c == '\t' || (c >= 0x20 && c != 0x7f);
}

/* RFC 3986 unreserved, sub-delims, ":@/?%[]" */
static int c_target(uint8_t c)
{
    return is_alnum(c) || (c != 0 && strchr("-._~!$&'()*+,;=:@/?%[]", c) != NULL);
}

#endif
