/* SPDX-License-Identifier: MIT */
/* chunked_pieces.c - decode a chunked body that arrives in pieces.
 *
 * The body comes in as three reads, cut at awkward places (inside a chunk
 * size, inside data, inside the final CRLF). Each call of
 * ward_chunked_decode() stops after one piece of data: the program takes
 * it, then calls again on buf + consumed, until the read is used up
 * (WARD_AGAIN: wait for the next read) or the body ends (WARD_OK). */
#include <stdio.h>
#include <string.h>

#include "ward_parse.h"

static const char *const reads[] = {
    "5\r\nhel",
    "lo\r\n7;ext=1\r\n, ward!\r\n1",
    "0\r\n0123456789ABCDEF\r\n0\r\nX-Trailer: yes\r\n\r",
    "\n",
};

int main(void)
{
    ward_chunked dec;
    ward_status st = WARD_AGAIN;
    char out[64];
    size_t outlen = 0;

    memset(&dec, 0, sizeof dec); /* all-zero: the initial state */
    for (size_t r = 0; r < sizeof reads / sizeof reads[0] && st == WARD_AGAIN; r++) {
        const uint8_t *buf = (const uint8_t *)reads[r];
        size_t len = strlen(reads[r]), off = 0;
        do {
            size_t used;
            ward_span data, trailer;
            st = ward_chunked_decode(&dec, NULL, buf + off, len - off, &used, &data, &trailer);
            if (data.len > 0 && outlen + data.len <= sizeof out) {
                memcpy(out + outlen, buf + off + data.off, data.len);
                outlen += data.len;
                printf("read %zu: data \"%.*s\"\n", r, (int)data.len,
                       (const char *)buf + off + data.off);
            }
            off += used;
        } while (st == WARD_AGAIN && off < len);
    }
    if (st != WARD_OK) {
        printf("error: %s (%d)\n", ward_status_str(st), ward_status_http(st));
        return 1;
    }
    printf("body %zu bytes: %.*s\n", outlen, (int)outlen, out);
    return 0;
}
