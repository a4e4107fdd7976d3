/* SPDX-License-Identifier: MIT */
/* ward_ascii.h - the byte classes that are plain comparisons (RFC 5234
 * core rules), each proved equal to its predicate in ward_spec.h. Private
 * to parser/. The table classes are in ward_class.h: a file that needs
 * only these includes this header and leaves the tables' proofs to the
 * files that use them. */
#ifndef WARD_ASCII_H
#define WARD_ASCII_H

#include <stdint.h>

#include "ward_spec.h"

/*@ assigns \nothing;
    ensures \result != 0 <==> is_digit(c); */
static inline int cls_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

/*@ assigns \nothing;
    ensures \result != 0 <==> is_hexdig(c); */
static inline int cls_hexdig(uint8_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

/*@ assigns \nothing;
    ensures \result != 0 <==> is_alpha(c); */
static inline int cls_alpha(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/*@ assigns \nothing;
    ensures \result != 0 <==> is_ws(c); */
static inline int cls_ws(uint8_t c)
{
    return c == ' ' || c == '\t';
}

#endif
