/* SPDX-License-Identifier: MIT */
/* test_status.c - ward_status_str() and ward_status_http(), against the
 * enum and the status codes written in ward_parse.h's comments. */
#include <criterion/criterion.h>
#include <limits.h>
#include <string.h>

#include "ward_parse.h"

static const struct {
    ward_status s;
    int http;
} defined[] = {
    {WARD_OK, 0},
    {WARD_AGAIN, 0},
    {WARD_E_EMPTY_LINES, 400},
    {WARD_E_METHOD, 400},
    {WARD_E_TARGET, 400},
    {WARD_E_VERSION, 400},
    {WARD_E_REQUEST_LINE, 400},
    {WARD_E_LINE_END, 400},
    {WARD_E_FIELD_NAME, 400},
    {WARD_E_FIELD_VALUE, 400},
    {WARD_E_OBS_FOLD, 400},
    {WARD_E_CONTENT_LENGTH, 400},
    {WARD_E_TRANSFER_ENCODING, 400},
    {WARD_E_CHUNK_SIZE, 400},
    {WARD_E_CHUNK_EXT, 400},
    {WARD_E_CHUNK_DATA, 400},
    {WARD_E_REQUEST_LINE_TOO_LONG, 414},
    {WARD_E_FIELD_LINE_TOO_LONG, 431},
    {WARD_E_TOO_MANY_FIELDS, 431},
    {WARD_E_HEAD_TOO_LARGE, 431},
    {WARD_E_BODY_TOO_LARGE, 413},
    {WARD_E_CHUNK_EXT_TOO_LONG, 413},
    {WARD_E_CHUNK_OVERHEAD, 413},
    {WARD_E_TRAILER_TOO_LARGE, 431},
    {WARD_E_HOST_MISSING, 400},
    {WARD_E_HOST_DUPLICATE, 400},
    {WARD_E_HOST_INVALID, 400},
    {WARD_E_TARGET_FORM, 400},
    {WARD_E_CONNECTION, 400},
    {WARD_E_EXPECTATION, 417},
    {WARD_E_TE_WITH_CL, 400},
    {WARD_E_TE_HTTP10, 400},
    {WARD_E_VERSION_UNSUPPORTED, 505},
    {WARD_E_CODING_UNSUPPORTED, 501},
    {WARD_E_INTERNAL, 500},
};
#define NDEFINED (sizeof defined / sizeof defined[0])

/* The numbering is part of the API ("numbered and only ever appended"). */
Test(status, numbering)
{
    static const int num[NDEFINED] = {0,  1,  10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
                                      21, 22, 23, 30, 31, 32, 33, 34, 35, 36, 37, 50, 51,
                                      52, 53, 54, 55, 56, 57, 70, 71, 90};
    for (size_t i = 0; i < NDEFINED; i++)
        cr_assert_eq((int)defined[i].s, num[i], "entry %zu", i);
}

static int is_defined(int v)
{
    for (size_t i = 0; i < NDEFINED; i++)
        if ((int)defined[i].s == v)
            return 1;
    return 0;
}

Test(status, str_defined_distinct)
{
    for (size_t i = 0; i < NDEFINED; i++) {
        const char *a = ward_status_str(defined[i].s);
        cr_assert(a != NULL, "ward_status_str(%d) is NULL", (int)defined[i].s);
        cr_assert(a[0] != 0, "ward_status_str(%d) is empty", (int)defined[i].s);
        for (size_t j = 0; j < i; j++)
            cr_assert(strcmp(a, ward_status_str(defined[j].s)) != 0,
                      "values %d and %d share the phrase \"%s\"", (int)defined[i].s,
                      (int)defined[j].s, a);
    }
}

static const int unknown[] = {2,  9,  24, 29, 38, 49, 58, 69, 72, 89, 91, 100, 255, 1000,
                              INT_MAX, -1, INT_MIN};

Test(status, str_unknown)
{
    for (size_t u = 0; u < sizeof unknown / sizeof unknown[0]; u++) {
        cr_assert(!is_defined(unknown[u]));
        const char *s = ward_status_str((ward_status)unknown[u]);
        cr_assert(s != NULL, "ward_status_str(%d) is NULL", unknown[u]);
        cr_assert(s[0] != 0, "ward_status_str(%d) is empty", unknown[u]);
        for (size_t i = 0; i < NDEFINED; i++)
            cr_assert(strcmp(s, ward_status_str(defined[i].s)) != 0,
                      "unknown %d reads like defined %d: \"%s\"", unknown[u],
                      (int)defined[i].s, s);
    }
    /* every value in the enum's range that is not defined */
    for (int v = -5; v < 200; v++)
        if (!is_defined(v))
            cr_assert(ward_status_str((ward_status)v) != NULL, "ward_status_str(%d) NULL", v);
}

Test(status, http_defined)
{
    for (size_t i = 0; i < NDEFINED; i++)
        cr_assert_eq(ward_status_http(defined[i].s), defined[i].http, "ward_status_http(%d)",
                     (int)defined[i].s);
}

/* An unknown value is not OK or AGAIN: one of the error statuses the
 * header lists (it is not specified which). */
Test(status, http_unknown)
{
    for (size_t u = 0; u < sizeof unknown / sizeof unknown[0]; u++) {
        int h = ward_status_http((ward_status)unknown[u]);
        cr_assert(h == 400 || h == 413 || h == 414 || h == 417 || h == 431 || h == 500 ||
                      h == 501 || h == 505,
                  "ward_status_http(%d) = %d", unknown[u], h);
    }
}

/* The framing and chunked-decoding results, by name: each has its own
 * phrase and the status its enum comment gives (ward_parse.h). */
Test(status, framing_and_chunked)
{
    static const struct {
        ward_status s;
        int http;
    } added[] = {
        {WARD_E_CONTENT_LENGTH, 400},     {WARD_E_TRANSFER_ENCODING, 400},
        {WARD_E_CHUNK_SIZE, 400},         {WARD_E_CHUNK_EXT, 400},
        {WARD_E_CHUNK_DATA, 400},         {WARD_E_TE_WITH_CL, 400},
        {WARD_E_TE_HTTP10, 400},          {WARD_E_BODY_TOO_LARGE, 413},
        {WARD_E_CHUNK_EXT_TOO_LONG, 413}, {WARD_E_CHUNK_OVERHEAD, 413},
        {WARD_E_TRAILER_TOO_LARGE, 431},  {WARD_E_CODING_UNSUPPORTED, 501},
    };
    for (size_t i = 0; i < sizeof added / sizeof added[0]; i++) {
        cr_assert(is_defined((int)added[i].s), "%d missing from the table", (int)added[i].s);
        const char *a = ward_status_str(added[i].s);
        cr_assert(a != NULL && a[0] != 0, "ward_status_str(%d)", (int)added[i].s);
        cr_assert_eq(ward_status_http(added[i].s), added[i].http, "ward_status_http(%d) = %d",
                     (int)added[i].s, ward_status_http(added[i].s));
        /* not the phrase of OK, AGAIN or INTERNAL, nor of an unknown value */
        cr_assert(strcmp(a, ward_status_str(WARD_OK)) != 0);
        cr_assert(strcmp(a, ward_status_str(WARD_AGAIN)) != 0);
        cr_assert(strcmp(a, ward_status_str(WARD_E_INTERNAL)) != 0);
        cr_assert(strcmp(a, ward_status_str((ward_status)89)) != 0);
    }
}
