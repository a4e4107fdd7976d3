/* SPDX-License-Identifier: MIT */
/* ward_static.h - the static site gateway of ward-serve (--root DIR).
 *
 * GET and HEAD of the files under one directory:
 * - the path is percent-decoded once; an encoded '/' (%2F), a NUL (%00),
 *   a bad escape or a '..' that would climb above the root: 400; '.'
 *   segments and empty segments are dropped; a segment starting with '.'
 *   (dot files: .git, .htpasswd): 404;
 * - the file is opened beneath the root descriptor (openat2 with
 *   RESOLVE_BENEATH: a symlink leading out of the root gives 403; a
 *   kernel without openat2 gets the same rule from /proc/self/fd);
 * - a directory: 301 to add the slash, else its index.html (403 without);
 * - Content-Type from a table of the common types, Last-Modified, a strong
 *   ETag, X-Content-Type-Options: nosniff, Accept-Ranges: bytes;
 * - If-None-Match (then If-Modified-Since when it is absent): 304;
 * - Range: one byte range on GET (206, or 416 with Content-Range: bytes
 *   * /size); several ranges or a bad Range get the whole file (200);
 *   If-Range is honoured;
 * - the body goes out through ward_resp_sendfile();
 * - other methods: 405 with Allow: GET, HEAD; other file types: 403.
 */
#ifndef WARD_STATIC_H
#define WARD_STATIC_H

#include <stdint.h>

#include "ward_server.h"

typedef struct ward_static {
    int rootfd;          /* O_DIRECTORY descriptor of the root (the caller's) */
    char root_real[4096]; /* realpath of the root, for the /proc fallback */
} ward_static;

/* Open dir as the root: 0, or -1 with errno set. */
int ward_static_init(ward_static *st, const char *dir);
void ward_static_close(ward_static *st);

/* The handler: arg is a ward_static *. */
int ward_gateway_static(void *arg, const ward_req *req, ward_resp *resp);

#endif
