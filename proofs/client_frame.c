/* SPDX-License-Identifier: MIT */
/* proofs/client_frame.c - a verified client of the public contracts: parse a
 * head, then frame its body, as a server does. Proved (`ninja proofs`) with
 * nothing assumed beyond the public `requires` of ward_parse.h: what
 * ward_parse_request() ensures is all ward_frame_request() requires, and a
 * caller can conclude from the two contracts alone what it acts on. Never
 * compiled into ward.
 */
#include "ward_parse.h"

#define CLIENT_FIELDS 32

/*@ requires 0 < len <= WARD_LIMIT_CAP;
    requires \valid_read(buf + (0 .. len - 1));
    requires \valid(req) && \valid(frame) && \valid(nf) && \valid(fields + (0 .. CLIENT_FIELDS - 1));
    requires \separated(req, frame, nf, fields + (0 .. CLIENT_FIELDS - 1), buf + (0 .. len - 1));
    assigns *req, *frame, *nf, fields[0 .. CLIENT_FIELDS - 1];
    // 0: framed; 1: the head is incomplete or invalid; 2: its framing is
    ensures 0 <= \result <= 2;
    ensures \result == 0 ==> *nf <= CLIENT_FIELDS && frame->body <= WARD_BODY_CHUNKED &&
            (frame->body == WARD_BODY_LENGTH ==> frame->length <= WARD_DEFAULT_MAX_BODY) &&
            (frame->body == WARD_BODY_CHUNKED ==> req->version == 1);
    // a framing in doubt closes the connection, and no body is read
    ensures \result == 2 ==> frame->close == 1 && frame->body == WARD_BODY_NONE;
*/
int client_frame(const uint8_t *buf, size_t len, ward_request *req, ward_field *fields, size_t *nf,
                 ward_frame *frame)
{
    *nf = CLIENT_FIELDS;
    if (ward_parse_request(buf, len, 0, NULL, req, fields, nf) != WARD_OK)
        return 1;
    if (ward_frame_request(buf, req, fields, *nf, 0, frame) != WARD_OK)
        return 2;
    return 0;
}
