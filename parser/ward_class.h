/* ward_class.h - the parser's byte classes: one 256-entry table, one bit
 * per class, and a proved classifier per bit. Private to parser/. */
#ifndef WARD_CLASS_H
#define WARD_CLASS_H

#include <stdint.h>

#include "ward_spec.h"

#define WARD_C_TCHAR 1u   /* tchar, RFC 9110 §5.6.2 */
#define WARD_C_VALUE 2u   /* field value byte: HTAB SP VCHAR obs-text */
#define WARD_C_TARGET 4u  /* request-target byte */
#define WARD_C_HOST 8u    /* reg-name byte, '%' included */
#define WARD_C_SCHEME 16u /* scheme byte */
#define WARD_C_IPL 32u    /* IP-literal byte between the brackets */

/* Generated from the predicates of ward_spec.h; the classifiers below are
 * proved equal to them, entry by entry. */
static const uint8_t ward_class[256] = {
     0,  0,  0,  0,  0,  0,  0,  0,  0,  2,  0,  0,  0,  0,  0,  0, /* 0x00 */
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0, /* 0x10 */
     2, 47,  2,  3, 47, 15, 47, 47, 46, 46, 47, 63, 46, 63, 63,  6, /* 0x20 */
    63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 38, 46,  2, 46,  2,  6, /* 0x30 */
     6, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, /* 0x40 */
    63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63,  6,  2,  6,  3, 47, /* 0x50 */
     3, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, /* 0x60 */
    63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63,  2,  3,  2, 47,  0, /* 0x70 */
     2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2, /* 0x80 */
     2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2, /* 0x90 */
     2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2, /* 0xa0 */
     2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2, /* 0xb0 */
     2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2, /* 0xc0 */
     2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2, /* 0xd0 */
     2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2, /* 0xe0 */
     2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2, /* 0xf0 */
};

/*@ assigns \nothing;
    ensures \result != 0 <==> is_tchar(c); */
static inline int cls_tchar(uint8_t c)
{
    return (ward_class[c] & WARD_C_TCHAR) != 0;
}

/*@ assigns \nothing;
    ensures \result != 0 <==> is_value_byte(c); */
static inline int cls_value(uint8_t c)
{
    return (ward_class[c] & WARD_C_VALUE) != 0;
}

/*@ assigns \nothing;
    ensures \result != 0 <==> is_target_char(c); */
static inline int cls_target(uint8_t c)
{
    return (ward_class[c] & WARD_C_TARGET) != 0;
}

/*@ assigns \nothing;
    ensures \result != 0 <==> is_host_char(c); */
static inline int cls_host(uint8_t c)
{
    return (ward_class[c] & WARD_C_HOST) != 0;
}

/*@ assigns \nothing;
    ensures \result != 0 <==> is_scheme_char(c); */
static inline int cls_scheme(uint8_t c)
{
    return (ward_class[c] & WARD_C_SCHEME) != 0;
}

/*@ assigns \nothing;
    ensures \result != 0 <==> is_ipl_char(c); */
static inline int cls_ipl(uint8_t c)
{
    return (ward_class[c] & WARD_C_IPL) != 0;
}

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
