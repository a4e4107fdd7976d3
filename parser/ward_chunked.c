/* ward_chunked.c - the chunked body decoder (RFC 9112 §7.1). */
#include "ward_parse_int.h"

ward_status ward_chunked_decode(ward_chunked *c, const ward_chunked_opts *opts, const uint8_t *buf,
                                size_t len, size_t *consumed, ward_span *data, ward_span *trailer)
{
    (void)opts; (void)buf; (void)len;
    *consumed = 0;
    data->off = 0; data->len = 0;
    trailer->off = 0; trailer->len = 0;
    c->error = WARD_E_INTERNAL;
    return WARD_E_INTERNAL;
}
