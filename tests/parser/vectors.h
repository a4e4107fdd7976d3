/* SPDX-License-Identifier: MIT */
/* vectors.h - the parser's test vectors, shared by the Criterion tests and
 * the fuzz seed generator (tools/gen_seeds.c). */
#ifndef WARD_TEST_VECTORS_H
#define WARD_TEST_VECTORS_H

#include <stddef.h>
#include <stdint.h>

#include "ward_parse.h"

#define WARD_VEC_MAX_FIELDS 16

struct ward_vec_field {
    const char *name;
    const char *value;
};

struct ward_vector {
    const char *id;        /* short unique name, used in failure messages and seed file names */
    const char *input;     /* the bytes */
    size_t len;            /* 0: strlen(input) */
    ward_parse_opts opts;  /* flags and limits (all-zero: strict defaults) */
    ward_status expect;    /* result of parsing the whole input */
    /* checked when expect == WARD_OK (NULL strings are not checked): */
    const char *method, *target, *path, *query, *host;
    uint8_t version;
    uint8_t form;
    uint16_t req_flags;    /* exact WARD_REQ_* bits */
    uint32_t head_len;     /* 0: the whole input */
    size_t nfields;
    struct ward_vec_field fields[WARD_VEC_MAX_FIELDS];
};

extern const struct ward_vector ward_vectors[];
extern const size_t ward_nvectors;

#endif
