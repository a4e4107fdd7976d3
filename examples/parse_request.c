/* SPDX-License-Identifier: MIT */
/* parse_request.c - parse one request head from a buffer with ward. */
#include <stdio.h>
#include <string.h>

#include "ward_parse.h"

static const char head[] = "GET /hello?name=ward HTTP/1.1\r\n"
                           "Host: example.com\r\n"
                           "Accept: */*\r\n"
                           "\r\n";

int main(void)
{
    const uint8_t *buf = (const uint8_t *)head;
    ward_field fields[16];
    size_t nfields = 16; /* in: capacity; out: count */
    ward_request req;

    ward_status st = ward_parse_request(buf, strlen(head), 0, NULL, &req, fields, &nfields);
    if (st != WARD_OK) {
        printf("error %d (%s): answer %d\n", (int)st, ward_status_str(st), ward_status_http(st));
        return 1;
    }
    /* Spans are offsets into buf: buf[off .. off+len). */
    printf("method %.*s path %.*s query %.*s host %.*s HTTP/1.%u\n", (int)req.method.len,
           head + req.method.off, (int)req.path.len, head + req.path.off, (int)req.query.len,
           head + req.query.off, (int)req.host.len, head + req.host.off, (unsigned)req.version);
    for (size_t i = 0; i < nfields; i++)
        printf("field %.*s: %.*s\n", (int)fields[i].name.len, head + fields[i].name.off,
               (int)fields[i].value.len, head + fields[i].value.off);
    printf("head %u bytes\n", (unsigned)req.head_len);
    return 0;
}
