/* SPDX-License-Identifier: MIT */
/* guard.c - see guard.h. */
#define _DEFAULT_SOURCE 1

#include "guard.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static size_t page_size(void)
{
    long ps = sysconf(_SC_PAGESIZE);
    return ps > 0 ? (size_t)ps : 4096u;
}

/* Data pages for len bytes: at least one, so that len 0 still has a
 * mapping whose end is the guard. */
static size_t data_pages(size_t len)
{
    size_t ps = page_size();
    size_t n = (len + ps - 1) / ps;
    return n ? n : 1;
}

/* Map data pages + one guard page; the guard is PROT_NONE. */
static uint8_t *map_guarded(size_t npages, size_t *map_len)
{
    size_t ps = page_size();
    size_t total = (npages + 1) * ps;
    void *m = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return NULL;
    if (mprotect((uint8_t *)m + npages * ps, ps, PROT_NONE) != 0) {
        munmap(m, total);
        return NULL;
    }
    *map_len = total;
    return m;
}

uint8_t *ward_guard_copy(const void *src, size_t len)
{
    size_t npages = data_pages(len);
    size_t map_len;
    uint8_t *m = map_guarded(npages, &map_len);
    if (!m)
        return NULL;
    uint8_t *p = m + npages * page_size() - len;
    if (len)
        memcpy(p, src, len);
    return p;
}

void ward_guard_free(uint8_t *p, size_t len)
{
    if (!p)
        return;
    size_t ps = page_size();
    size_t npages = data_pages(len);
    uint8_t *end = p + len; /* page-aligned: the guard page */
    munmap(end - npages * ps, (npages + 1) * ps);
}

int ward_guard_init(ward_guard *g, size_t cap, int readonly)
{
    size_t npages = data_pages(cap);
    memset(g, 0, sizeof *g);
    g->map = map_guarded(npages, &g->map_len);
    if (!g->map)
        return -1;
    g->cap = npages * page_size();
    g->readonly = readonly;
    return 0;
}

uint8_t *ward_guard_put(ward_guard *g, const void *src, size_t len)
{
    if (len > g->cap) {
        int ro = g->readonly;
        ward_guard_fini(g);
        if (ward_guard_init(g, len, ro) != 0)
            return NULL;
    }
    if (g->readonly && mprotect(g->map, g->cap, PROT_READ | PROT_WRITE) != 0)
        return NULL;
    uint8_t *p = g->map + g->cap - len;
    if (len)
        memcpy(p, src, len);
    if (g->readonly && mprotect(g->map, g->cap, PROT_READ) != 0)
        return NULL;
    return p;
}

void ward_guard_fini(ward_guard *g)
{
    if (g->map)
        munmap(g->map, g->map_len);
    memset(g, 0, sizeof *g);
}

int ward_guard_in_guard(const ward_guard *g, const void *addr)
{
    uintptr_t a = (uintptr_t)addr, m = (uintptr_t)g->map;
    return g->map && a >= m + g->cap && a < m + g->map_len;
}

int ward_guard_in_data(const ward_guard *g, const void *addr)
{
    uintptr_t a = (uintptr_t)addr, m = (uintptr_t)g->map;
    return g->map && a >= m && a < m + g->cap;
}
