/* SPDX-License-Identifier: MIT */
/* ward_status.c - names and HTTP statuses of the result enum. */
#include "ward_parse.h"

const char *ward_status_str(ward_status s)
{
    switch (s) {
    case WARD_OK: return "ok";
    case WARD_AGAIN: return "incomplete";
    case WARD_E_EMPTY_LINES: return "more than one empty line before the request line";
    case WARD_E_METHOD: return "invalid method";
    case WARD_E_TARGET: return "invalid request-target";
    case WARD_E_VERSION: return "malformed HTTP version";
    case WARD_E_REQUEST_LINE: return "malformed request line";
    case WARD_E_LINE_END: return "invalid line ending";
    case WARD_E_FIELD_NAME: return "invalid field name";
    case WARD_E_FIELD_VALUE: return "invalid field value";
    case WARD_E_OBS_FOLD: return "obsolete line folding";
    case WARD_E_REQUEST_LINE_TOO_LONG: return "request line too long";
    case WARD_E_FIELD_LINE_TOO_LONG: return "field line too long";
    case WARD_E_TOO_MANY_FIELDS: return "too many fields";
    case WARD_E_HEAD_TOO_LARGE: return "request head too large";
    case WARD_E_HOST_MISSING: return "missing Host";
    case WARD_E_HOST_DUPLICATE: return "more than one Host";
    case WARD_E_HOST_INVALID: return "invalid Host";
    case WARD_E_TARGET_FORM: return "request-target form not allowed for the method";
    case WARD_E_CONNECTION: return "invalid Connection";
    case WARD_E_EXPECTATION: return "unsupported expectation";
    case WARD_E_VERSION_UNSUPPORTED: return "HTTP version not supported";
    case WARD_E_CONTENT_LENGTH: return "invalid Content-Length";
    case WARD_E_TRANSFER_ENCODING: return "invalid Transfer-Encoding";
    case WARD_E_CHUNK_SIZE: return "invalid chunk size";
    case WARD_E_CHUNK_EXT: return "invalid chunk extension";
    case WARD_E_CHUNK_DATA: return "chunk data not followed by CRLF";
    case WARD_E_BODY_TOO_LARGE: return "body too large";
    case WARD_E_CHUNK_EXT_TOO_LONG: return "chunk extensions too long";
    case WARD_E_CHUNK_OVERHEAD: return "too much chunk framing for the data";
    case WARD_E_TRAILER_TOO_LARGE: return "trailer section too large";
    case WARD_E_TE_WITH_CL: return "Transfer-Encoding with Content-Length";
    case WARD_E_TE_HTTP10: return "Transfer-Encoding in HTTP/1.0";
    case WARD_E_CODING_UNSUPPORTED: return "transfer coding not implemented";
    case WARD_E_INTERNAL: return "internal error";
    default: return "unknown result";
    }
}

int ward_status_http(ward_status s)
{
    switch (s) {
    case WARD_OK:
    case WARD_AGAIN:
        return 0;
    case WARD_E_REQUEST_LINE_TOO_LONG:
        return 414;
    case WARD_E_FIELD_LINE_TOO_LONG:
    case WARD_E_TOO_MANY_FIELDS:
    case WARD_E_HEAD_TOO_LARGE:
    case WARD_E_TRAILER_TOO_LARGE:
        return 431;
    case WARD_E_BODY_TOO_LARGE:
    case WARD_E_CHUNK_EXT_TOO_LONG:
    case WARD_E_CHUNK_OVERHEAD:
        return 413;
    case WARD_E_CODING_UNSUPPORTED:
        return 501;
    case WARD_E_EXPECTATION:
        return 417;
    case WARD_E_VERSION_UNSUPPORTED:
        return 505;
    case WARD_E_EMPTY_LINES:
    case WARD_E_METHOD:
    case WARD_E_TARGET:
    case WARD_E_VERSION:
    case WARD_E_REQUEST_LINE:
    case WARD_E_LINE_END:
    case WARD_E_FIELD_NAME:
    case WARD_E_FIELD_VALUE:
    case WARD_E_OBS_FOLD:
    case WARD_E_HOST_MISSING:
    case WARD_E_HOST_DUPLICATE:
    case WARD_E_HOST_INVALID:
    case WARD_E_TARGET_FORM:
    case WARD_E_CONNECTION:
    case WARD_E_CONTENT_LENGTH:
    case WARD_E_TRANSFER_ENCODING:
    case WARD_E_CHUNK_SIZE:
    case WARD_E_CHUNK_EXT:
    case WARD_E_CHUNK_DATA:
    case WARD_E_TE_WITH_CL:
    case WARD_E_TE_HTTP10:
        return 400;
    case WARD_E_INTERNAL:
    default:
        return 500;
    }
}

const char *ward_version(void)
{
    return WARD_VERSION;
}
