/* SPDX-License-Identifier: MIT */
/* tsan_main.c - the runner of the ThreadSanitizer build (see
 * criterion/criterion.h beside it): each test in its own forked process,
 * like Criterion; `--filter suite/name` (fnmatch); Criterion's lines. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/hooks.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_TESTS 256

/* A race fails its test at once, whatever the test then does. */
const char *__tsan_default_options(void);
const char *__tsan_default_options(void)
{
    return "halt_on_error=1:exitcode=66";
}

typedef struct test_entry {
    const char *suite, *name;
    t_test_fn fn;
} test_entry;

static test_entry tests[MAX_TESTS];
static int ntests, failed_expect;

static struct {
    const char *name;
    const struct t_suite *cfg;
} suites[16];
static int nsuites;

void t_register(const char *suite, const char *name, t_test_fn fn)
{
    if (ntests < MAX_TESTS)
        tests[ntests++] = (test_entry){suite, name, fn};
}

static t_hook_fn post_all;

void t_register_hook(const char *kind, t_hook_fn fn)
{
    if (strcmp(kind, "POST_ALL") == 0)
        post_all = fn;
}

void t_register_suite(const char *suite, const struct t_suite *cfg)
{
    if (nsuites < (int)(sizeof suites / sizeof suites[0])) {
        suites[nsuites].name = suite;
        suites[nsuites++].cfg = cfg;
    }
}

/* The test in this (forked) process, with its suite's init, fini and
 * timeout (SIGALRM, whose default action kills: a crash for the parent). */
static void run_one(const test_entry *t)
{
    const struct t_suite *cfg = NULL;

    for (int i = 0; i < nsuites; i++)
        if (strcmp(suites[i].name, t->suite) == 0)
            cfg = suites[i].cfg;
    if (cfg != NULL && cfg->timeout > 0)
        alarm((unsigned)cfg->timeout);
    if (cfg != NULL && cfg->init != NULL)
        cfg->init();
    t->fn();
    if (cfg != NULL && cfg->fini != NULL)
        cfg->fini();
}

void t_check(int ok, int fatal, const char *file, int line, const char *expr, const char *fmt, ...)
{
    va_list ap;

    if (ok)
        return;
    fprintf(stderr, "[----] %s:%d: Assertion Failed\n[----]   %s", file, line, expr);
    if (fmt[0] != '\0') {
        fputs(": ", stderr);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
    }
    fputc('\n', stderr);
    failed_expect = 1;
    if (fatal)
        _exit(1);
}

void t_skip(const char *fmt, ...)
{
    va_list ap;

    fputs("[SKIP] ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    _exit(0);
}

int main(int argc, char **argv)
{
    const char *filter = argc > 2 && strcmp(argv[1], "--filter") == 0 ? argv[2] : "*";
    int tested = 0, passing = 0, failing = 0, crashing = 0;

    for (int i = 0; i < ntests; i++) {
        char full[256];
        pid_t pid;
        int st;

        snprintf(full, sizeof full, "%s/%s", tests[i].suite, tests[i].name);
        if (fnmatch(filter, full, 0) != 0)
            continue;
        fflush(stderr);
        pid = fork();
        if (pid == 0) {
            run_one(&tests[i]);
            fflush(stderr);
            _exit(failed_expect ? 1 : 0);
        }
        tested++;
        if (pid < 0 || waitpid(pid, &st, 0) != pid) {
            crashing++;
            continue;
        }
        if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
            passing++;
            fprintf(stderr, "[PASS] %s::%s\n", tests[i].suite, tests[i].name);
        } else if (WIFEXITED(st)) {
            failing++;
            fprintf(stderr, "[FAIL] %s::%s (exit %d)\n", tests[i].suite, tests[i].name,
                    WEXITSTATUS(st));
        } else {
            crashing++;
            fprintf(stderr, "[FAIL] %s::%s: CRASH (signal %d)\n", tests[i].suite, tests[i].name,
                    WTERMSIG(st));
        }
    }
    if (post_all != NULL) {
        struct criterion_global_stats stats = {tested, passing, failing + crashing, crashing};
        post_all(&stats);
    }
    fprintf(stderr, "[====] Synthesis: Tested: %d | Passing: %d | Failing: %d | Crashing: %d\n",
            tested, passing, failing + crashing, crashing);
    return failing + crashing > 0;
}
