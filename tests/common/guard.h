/* SPDX-License-Identifier: MIT */
/* guard.h - place test input right before an unmapped page.
 *
 * A copy of the bytes ends exactly at the end of a mapped page; the page
 * after it is PROT_NONE, so reading buf[len] (or any byte after it) faults
 * at once instead of reading stale memory. Used by every parser test: the
 * parser promises never to read past buf[len-1].
 *
 * Two ways to use it:
 * - one-shot: ward_guard_copy() / ward_guard_free(), a fresh mapping;
 * - a reusable region: ward_guard_init() once, ward_guard_put() for each
 *   input (no mmap per call: the byte-by-byte tests place thousands of
 *   prefixes), ward_guard_fini() at the end.
 */
#ifndef WARD_TEST_GUARD_H
#define WARD_TEST_GUARD_H

#include <stddef.h>
#include <stdint.h>

/* A writable copy of src[0 .. len) ending at a page followed by a
 * PROT_NONE page, or NULL if the mapping fails. len may be 0: the pointer
 * then points at the guard page itself (it must not be dereferenced).
 * Release with ward_guard_free(p, len). */
uint8_t *ward_guard_copy(const void *src, size_t len);
void ward_guard_free(uint8_t *p, size_t len);

/* A reusable region: cap data bytes (rounded up to pages), then a guard. */
typedef struct ward_guard {
    uint8_t *map;    /* start of the mapping */
    size_t map_len;  /* data pages + the guard page */
    size_t cap;      /* data bytes available */
    int readonly;    /* ward_guard_put leaves the data pages PROT_READ */
} ward_guard;

/* 0 on success, -1 if the mapping fails. readonly != 0: after each
 * ward_guard_put the data pages are made read-only, so a write faults. */
int ward_guard_init(ward_guard *g, size_t cap, int readonly);
/* Copy src[0 .. len) so that it ends at the guard page; the returned
 * pointer is valid until the next put. Grows the region when len > cap.
 * NULL if the mapping fails. */
uint8_t *ward_guard_put(ward_guard *g, const void *src, size_t len);
void ward_guard_fini(ward_guard *g);

/* 1 if addr lies in g's guard page, 0 otherwise (for crash reports). */
int ward_guard_in_guard(const ward_guard *g, const void *addr);
/* 1 if addr lies in g's data pages, 0 otherwise. */
int ward_guard_in_data(const ward_guard *g, const void *addr);

#endif
