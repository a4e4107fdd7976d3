/* SPDX-License-Identifier: MIT */
/* criterion.h - a stand-in for Criterion's header in the ThreadSanitizer
 * build only. Criterion's runner cannot start under TSan (its BoxFort
 * arena needs address space TSan has reserved: Snaipe/Criterion#274), so
 * the same test sources are built against this header and tsan_main.c: a
 * forking runner with Criterion's output lines (the Synthesis line that
 * tools/test_summary.sh counts). Only what tests/server and tests/tls use
 * is here. */
#ifndef WARD_TSAN_CRITERION_SHIM_H
#define WARD_TSAN_CRITERION_SHIM_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*t_test_fn)(void);
void t_register(const char *suite, const char *name, t_test_fn fn);
void t_check(int ok, int fatal, const char *file, int line, const char *expr, const char *fmt, ...);
void t_skip(const char *fmt, ...);

#define Test(suite, name)                                                                          \
    static void suite##_##name##_impl(void);                                                       \
    __attribute__((constructor)) static void suite##_##name##_reg(void)                            \
    {                                                                                              \
        t_register(#suite, #name, suite##_##name##_impl);                                          \
    }                                                                                              \
    static void suite##_##name##_impl(void)

/* TestSuite(suite, .init = f, .fini = g, .timeout = seconds): run around
 * each of the suite's tests, in its process; the timeout kills it. */
struct t_suite {
    void (*init)(void);
    void (*fini)(void);
    double timeout;
};
void t_register_suite(const char *suite, const struct t_suite *cfg);

#define TestSuite(suite, ...)                                                                      \
    static const struct t_suite suite##_suite_cfg = {__VA_ARGS__};                               \
    __attribute__((constructor)) static void suite##_suite_reg(void)                               \
    {                                                                                              \
        t_register_suite(#suite, &suite##_suite_cfg);                                              \
    }

#define T_CHECK(ok, fatal, expr, ...) t_check(!!(ok), fatal, __FILE__, __LINE__, expr, "" __VA_ARGS__)

#define cr_assert(c, ...) T_CHECK(c, 1, #c, __VA_ARGS__)
#define cr_expect(c, ...) T_CHECK(c, 0, #c, __VA_ARGS__)
#define cr_assert_eq(a, b, ...) T_CHECK((a) == (b), 1, #a " == " #b, __VA_ARGS__)
#define cr_expect_eq(a, b, ...) T_CHECK((a) == (b), 0, #a " == " #b, __VA_ARGS__)
#define cr_assert_neq(a, b, ...) T_CHECK((a) != (b), 1, #a " != " #b, __VA_ARGS__)
#define cr_expect_neq(a, b, ...) T_CHECK((a) != (b), 0, #a " != " #b, __VA_ARGS__)
#define cr_assert_gt(a, b, ...) T_CHECK((a) > (b), 1, #a " > " #b, __VA_ARGS__)
#define cr_expect_gt(a, b, ...) T_CHECK((a) > (b), 0, #a " > " #b, __VA_ARGS__)
#define cr_assert_geq(a, b, ...) T_CHECK((a) >= (b), 1, #a " >= " #b, __VA_ARGS__)
#define cr_expect_geq(a, b, ...) T_CHECK((a) >= (b), 0, #a " >= " #b, __VA_ARGS__)
#define cr_assert_lt(a, b, ...) T_CHECK((a) < (b), 1, #a " < " #b, __VA_ARGS__)
#define cr_expect_lt(a, b, ...) T_CHECK((a) < (b), 0, #a " < " #b, __VA_ARGS__)
#define cr_assert_null(p, ...) T_CHECK((p) == NULL, 1, #p " == NULL", __VA_ARGS__)
#define cr_expect_null(p, ...) T_CHECK((p) == NULL, 0, #p " == NULL", __VA_ARGS__)
#define cr_assert_not_null(p, ...) T_CHECK((p) != NULL, 1, #p " != NULL", __VA_ARGS__)
#define cr_expect_not_null(p, ...) T_CHECK((p) != NULL, 0, #p " != NULL", __VA_ARGS__)
#define cr_assert_str_eq(a, b, ...) T_CHECK(strcmp((a), (b)) == 0, 1, #a " == " #b, __VA_ARGS__)
#define cr_expect_str_eq(a, b, ...) T_CHECK(strcmp((a), (b)) == 0, 0, #a " == " #b, __VA_ARGS__)
#define cr_skip_test(...) t_skip("" __VA_ARGS__)

#endif
