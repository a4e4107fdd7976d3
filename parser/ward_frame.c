/* ward_frame.c - body framing of a request (RFC 9112 §6.1-6.3). */
#include "ward_parse_int.h"

ward_status ward_frame_request(const uint8_t *buf, const ward_request *req, const ward_field *fields,
                               size_t nfields, uint64_t max_body, ward_frame *frame)
{
    (void)buf; (void)req; (void)fields; (void)nfields; (void)max_body;
    frame->length = 0;
    frame->body = WARD_BODY_NONE;
    frame->close = 1;
    return WARD_E_TRANSFER_ENCODING;
}
