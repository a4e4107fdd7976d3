/* SPDX-License-Identifier: MIT */
/* hooks.h - the stand-in for Criterion's hooks header in the
 * ThreadSanitizer build (see criterion.h beside it): ReportHook(POST_ALL),
 * run by tsan_main.c in the runner's process once every test has run. */
#ifndef WARD_TSAN_CRITERION_HOOKS_SHIM_H
#define WARD_TSAN_CRITERION_HOOKS_SHIM_H

struct criterion_global_stats {
    int tested, passing, failing, crashing;
};

typedef void (*t_hook_fn)(struct criterion_global_stats *stats);
void t_register_hook(const char *kind, t_hook_fn fn);

#define ReportHook(kind)                                                                           \
    static void t_hook_##kind(struct criterion_global_stats *stats);                              \
    __attribute__((constructor)) static void t_hook_reg_##kind(void)                               \
    {                                                                                              \
        t_register_hook(#kind, t_hook_##kind);                                                     \
    }                                                                                              \
    static void t_hook_##kind

#endif
