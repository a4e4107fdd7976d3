/* SPDX-License-Identifier: MIT */
/* test_vectors.c - every vector of vectors.c, at once, byte by byte and at
 * every split point (harness.h). One parameterized test per vector: a
 * failure names the vector id; a crash is named by the harness's fault
 * handler on stderr ("ward harness: fault in <id> [...]"). */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "vectors.h"

ParameterizedTestParameters(vectors, each)
{
    size_t *idx = cr_malloc(ward_nvectors * sizeof *idx);
    for (size_t i = 0; i < ward_nvectors; i++)
        idx[i] = i;
    return cr_make_param_array(size_t, idx, ward_nvectors, NULL);
}

ParameterizedTest(size_t *i, vectors, each)
{
    const struct ward_vector *v = &ward_vectors[*i];
    cr_log_info("vector %s", v->id);
    ward_h_run(v, WARD_H_ALL);
}

static const struct ward_vector *find(const char *id)
{
    for (size_t i = 0; i < ward_nvectors; i++)
        if (strcmp(ward_vectors[i].id, id) == 0)
            return &ward_vectors[i];
    cr_assert_fail("no vector %s", id);
    return NULL;
}

/* The table is well-formed: unique ids, field counts the struct can hold
 * or that a dedicated test checks, OK vectors with method and target. */
Test(vectors, table)
{
    cr_assert(ward_nvectors >= 150, "only %zu vectors", ward_nvectors);
    for (size_t i = 0; i < ward_nvectors; i++) {
        const struct ward_vector *v = &ward_vectors[i];
        cr_assert(v->id && v->input, "vector %zu: no id or input", i);
        for (size_t j = 0; j < i; j++)
            cr_assert(strcmp(v->id, ward_vectors[j].id) != 0, "duplicate id %s", v->id);
        if (v->expect == WARD_OK)
            cr_assert(v->method && v->target, "%s: OK vector without method/target", v->id);
        if (v->nfields > WARD_VEC_MAX_FIELDS)
            cr_assert(strcmp(v->id, "real-fifty-fields") == 0,
                      "%s: %zu fields but the struct holds %d", v->id, v->nfields,
                      WARD_VEC_MAX_FIELDS);
    }
}

/* The fields of real-fifty-fields beyond the table's 16: Host, then
 * X-Hdr-NN: val-NN for NN = 01..49, in order. */
Test(vectors, fifty_fields)
{
    const struct ward_vector *v = find("real-fifty-fields");
    static ward_h_result r;
    ward_h_ctx c = {v->id, "fifty", 0};
    size_t n = ward_h_vec_len(v);
    cr_assert_eq(ward_h_parse(&c, v->input, n, 0, NULL, WARD_H_MAX_FIELDS, &r), WARD_OK);
    cr_assert_eq(r.nfields, 50);
    cr_assert(ward_h_span_is(v->input, r.fields[0].name, "Host"));
    cr_assert(ward_h_span_is(v->input, r.fields[0].value, "example.com"));
    for (size_t i = 1; i < 50; i++) {
        char name[16], value[16];
        snprintf(name, sizeof name, "X-Hdr-%02zu", i);
        snprintf(value, sizeof value, "val-%02zu", i);
        cr_assert(ward_h_span_is(v->input, r.fields[i].name, name), "field %zu name", i);
        cr_assert(ward_h_span_is(v->input, r.fields[i].value, value), "field %zu value", i);
    }
    cr_assert_eq(r.req.nlines, 50);
    cr_assert_eq(r.req.ndropped, 0);
}

/* NULL options and all-zero options are the same thing. */
Test(vectors, null_opts_equal_zero_opts)
{
    static ward_h_result a, b;
    for (size_t i = 0; i < ward_nvectors; i++) {
        const struct ward_vector *v = &ward_vectors[i];
        static const ward_parse_opts zero;
        if (memcmp(&v->opts, &zero, sizeof zero) != 0)
            continue;
        ward_h_ctx c = {v->id, "null-opts", 0};
        size_t n = ward_h_vec_len(v);
        ward_h_parse(&c, v->input, n, 0, NULL, WARD_H_MAX_FIELDS, &a);
        ward_h_parse(&c, v->input, n, 0, &zero, WARD_H_MAX_FIELDS, &b);
        ward_h_assert_same(&c, &b, &a);
    }
}
