/* SPDX-License-Identifier: MIT */
/* vectors.c - the head parser's test vectors, written from parser/RULES.md
 * (and RFC 9110/9112 where RULES.md points at them), never from a run of
 * the implementation. Ids starting "q-" encode a reading of a point
 * RULES.md leaves open; they are listed as questions in the test report.
 *
 * Group prefixes: m- method, rl- request line, t- target bytes, p- path
 * and query, f- forms, v- version, lead- leading empty line, fn- field
 * name, fv- field value, fold- obs-fold, lf- line ends, host-, conn-,
 * exp- Expect, us- underscore, real- captured clients, lim- limits,
 * again- incomplete input.
 */
#include "vectors.h"

#define H (WARD_REQ_HOST | WARD_REQ_HOST_FIELD)
#define QRY WARD_REQ_QUERY
#define CLOSE WARD_REQ_CONN_CLOSE
#define KA WARD_REQ_CONN_KEEP_ALIVE
#define UPG WARD_REQ_CONN_UPGRADE
#define CONT WARD_REQ_EXPECT_CONTINUE
#define FOLD WARD_REQ_OBS_FOLD
#define LEAD WARD_REQ_EMPTY_LINE
#define ORIGIN WARD_FORM_ORIGIN
#define ABS WARD_FORM_ABSOLUTE
#define AUTH WARD_FORM_AUTHORITY
#define STAR WARD_FORM_ASTERISK
#define BARE_LF WARD_PARSE_LENIENT_BARE_LF
#define OBS_FOLD WARD_PARSE_LENIENT_OBS_FOLD
#define WS_COLON WARD_PARSE_LENIENT_WS_BEFORE_COLON
#define DROP_US WARD_PARSE_DROP_UNDERSCORE

/* An OK result: method, target, path, query, host, version, form, flags. */
#define OKR(m, t, p, q, h, ver, fm, fl)                                                   \
    .expect = WARD_OK, .method = m, .target = t, .path = p, .query = q, .host = h,          \
    .version = ver, .form = fm, .req_flags = (uint16_t)(fl)
#define FLD(n, ...) .nfields = n, .fields = {__VA_ARGS__}
#define HOSTA FLD(1, {"Host", "a"})
/* An error (or AGAIN) vector; B: binary input (NUL inside); O: with opts. */
#define E(id_, in_, st) {.id = id_, .input = in_, .expect = st}
#define EB(id_, in_, st) {.id = id_, .input = in_, .len = sizeof(in_) - 1, .expect = st}
#define EO(id_, in_, st, ...) {.id = id_, .input = in_, .expect = st, .opts = {__VA_ARGS__}}

/* A GET with target t and Host: a, HTTP/1.1. */
#define RL11(t) "GET " t " HTTP/1.1\r\nHost: a\r\n\r\n"
#define TOK(id_, t, p, q, fl)                                                             \
    {.id = id_, .input = RL11(t), OKR("GET", t, p, q, "a", 1, ORIGIN, H | (fl)), HOSTA}
/* A GET / HTTP/1.1 with Host: a and then the field lines fl. */
#define F11(fl) "GET / HTTP/1.1\r\nHost: a\r\n" fl "\r\n"
#define FOK(id_, fl, flags, ...)                                                          \
    {.id = id_, .input = F11(fl), OKR("GET", "/", "/", "", "a", 1, ORIGIN, H | (flags)),   \
     __VA_ARGS__}
/* A GET / HTTP/1.1 whose only field is Host: <h>. */
#define HOST11(h) "GET / HTTP/1.1\r\nHost: " h "\r\n\r\n"
#define HOK(id_, h, want)                                                                 \
    {.id = id_, .input = HOST11(h), OKR("GET", "/", "/", "", want, 1, ORIGIN, H),          \
     FLD(1, {"Host", want})}

/* Captured clients. */
#define CHROME_UA                                                                         \
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "             \
    "Chrome/124.0.0.0 Safari/537.36"
#define CHROME_ACCEPT                                                                     \
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"        \
    "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
#define CHROME_UA_CH "\"Chromium\";v=\"124\", \"Google Chrome\";v=\"124\", \"Not-A.Brand\";v=\"99\""
#define CHROME_COOKIE "session=3f9a1c2b7d; theme=dark; _ga=GA1.2.123456789.1700000000"
#define CHROME                                                                            \
    "GET /search?q=ward+http+parser&hl=en HTTP/1.1\r\n"                                   \
    "Host: www.example.com\r\n"                                                           \
    "Connection: keep-alive\r\n"                                                          \
    "sec-ch-ua: " CHROME_UA_CH "\r\n"                                                     \
    "sec-ch-ua-mobile: ?0\r\n"                                                            \
    "sec-ch-ua-platform: \"Linux\"\r\n"                                                   \
    "Upgrade-Insecure-Requests: 1\r\n"                                                    \
    "User-Agent: " CHROME_UA "\r\n"                                                       \
    "Accept: " CHROME_ACCEPT "\r\n"                                                       \
    "Sec-Fetch-Site: none\r\n"                                                            \
    "Sec-Fetch-Mode: navigate\r\n"                                                        \
    "Sec-Fetch-User: ?1\r\n"                                                              \
    "Sec-Fetch-Dest: document\r\n"                                                        \
    "Accept-Encoding: gzip, deflate, br, zstd\r\n"                                        \
    "Accept-Language: en-US,en;q=0.9\r\n"                                                 \
    "Cookie: " CHROME_COOKIE "\r\n"                                                       \
    "\r\n"
#define FIREFOX_UA "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"
#define FIREFOX                                                                           \
    "GET /docs/index.html HTTP/1.1\r\n"                                                   \
    "Host: developer.example.org\r\n"                                                     \
    "User-Agent: " FIREFOX_UA "\r\n"                                                      \
    "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"         \
    "Accept-Language: en-US,en;q=0.5\r\n"                                                 \
    "Accept-Encoding: gzip, deflate, br\r\n"                                              \
    "Referer: https://developer.example.org/\r\n"                                         \
    "DNT: 1\r\n"                                                                          \
    "Connection: keep-alive\r\n"                                                          \
    "Upgrade-Insecure-Requests: 1\r\n"                                                    \
    "Sec-Fetch-Dest: document\r\n"                                                        \
    "Sec-Fetch-Mode: navigate\r\n"                                                        \
    "Sec-Fetch-Site: same-origin\r\n"                                                     \
    "Sec-Fetch-User: ?1\r\n"                                                              \
    "Priority: u=1\r\n"                                                                   \
    "If-Modified-Since: Tue, 09 Apr 2024 10:00:00 GMT\r\n"                                \
    "\r\n"
#define CURL_POST_HEAD                                                                    \
    "POST /api/items HTTP/1.1\r\nHost: localhost:8080\r\nUser-Agent: curl/7.88.1\r\n"     \
    "Accept: */*\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n"
#define PIPE_1 "GET /one HTTP/1.1\r\nHost: h\r\n\r\n"
#define PIPE_2 "GET /two HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
/* Fifty fields: Host, then X-Hdr-01: val-01 .. X-Hdr-49: val-49. */
#define XF(n) "X-Hdr-" #n ": val-" #n "\r\n"
#define XF10(d)                                                                           \
    XF(d##0) XF(d##1) XF(d##2) XF(d##3) XF(d##4) XF(d##5) XF(d##6) XF(d##7) XF(d##8) XF(d##9)
#define FIFTY                                                                             \
    "GET /many HTTP/1.1\r\nHost: example.com\r\n" XF(01) XF(02) XF(03) XF(04) XF(05)      \
        XF(06) XF(07) XF(08) XF(09) XF10(1) XF10(2) XF10(3) XF10(4) "\r\n"
#define LIM_RL "GET /abc HTTP/1.0\r\n"
#define LIM_2F "GET / HTTP/1.1\r\nHost: a\r\nX: b\r\n\r\n"

const struct ward_vector ward_vectors[] = {
    /* ---- methods: 1*tchar, case-sensitive, any token ---- */
    {.id = "m-min-10", .input = "GET / HTTP/1.0\r\n\r\n",
     OKR("GET", "/", "/", "", "", 0, ORIGIN, 0), FLD(0)},
    {.id = "m-min-11", .input = RL11("/"), OKR("GET", "/", "/", "", "a", 1, ORIGIN, H), HOSTA},
    {.id = "m-post", .input = "POST /x HTTP/1.1\r\nHost: a\r\n\r\n",
     OKR("POST", "/x", "/x", "", "a", 1, ORIGIN, H), HOSTA},
    {.id = "m-lowercase", .input = "get / HTTP/1.1\r\nHost: a\r\n\r\n",
     OKR("get", "/", "/", "", "a", 1, ORIGIN, H), HOSTA},
    {.id = "m-msearch", .input = "M-SEARCH / HTTP/1.1\r\nHost: a\r\n\r\n",
     OKR("M-SEARCH", "/", "/", "", "a", 1, ORIGIN, H), HOSTA},
    {.id = "m-all-tchars", .input = "!#$%&'*+-.^_`|~09azAZ / HTTP/1.1\r\nHost: a\r\n\r\n",
     OKR("!#$%&'*+-.^_`|~09azAZ", "/", "/", "", "a", 1, ORIGIN, H), HOSTA},
    {.id = "m-one-char", .input = "A / HTTP/1.0\r\n\r\n", OKR("A", "/", "/", "", "", 0, ORIGIN, 0),
     FLD(0)},
    {.id = "m-propfind", .input = "PROPFIND /dav/ HTTP/1.1\r\nHost: a\r\n\r\n",
     OKR("PROPFIND", "/dav/", "/dav/", "", "a", 1, ORIGIN, H), HOSTA},
    E("m-leading-sp", " GET / HTTP/1.1\r\nHost: a\r\n\r\n", WARD_E_METHOD),
    E("m-leading-htab", "\tGET / HTTP/1.1\r\nHost: a\r\n\r\n", WARD_E_METHOD),
    E("m-htab-separator", "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", WARD_E_METHOD),
    E("m-paren", "GE(T / HTTP/1.1\r\nHost: a\r\n\r\n", WARD_E_METHOD),
    E("m-colon", "GET: / HTTP/1.1\r\nHost: a\r\n\r\n", WARD_E_METHOD),
    E("m-slash", "GET/ HTTP/1.1\r\nHost: a\r\n\r\n", WARD_E_METHOD),
    E("m-crlf-after", "GET\r\n\r\n", WARD_E_METHOD),
    E("m-lf-after", "GET\n\n", WARD_E_METHOD),
    E("m-obs-text", "G\xc3\x89T / HTTP/1.1\r\nHost: a\r\n\r\n", WARD_E_METHOD),
    EB("m-nul", "GE\0T / HTTP/1.1\r\nHost: a\r\n\r\n", WARD_E_METHOD),
    E("m-del", "GET\x7f / HTTP/1.1\r\nHost: a\r\n\r\n", WARD_E_METHOD),

    /* ---- request line: exactly one SP between the parts ---- */
    E("rl-two-sp", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", WARD_E_REQUEST_LINE),
    E("rl-sp-at-version", "GET /  HTTP/1.1\r\nHost: a\r\n\r\n", WARD_E_REQUEST_LINE),
    E("rl-cr-in-target", "GET /\r\nHost: a\r\n\r\n", WARD_E_REQUEST_LINE),
    E("rl-lf-in-target", "GET /\nHost: a\n\n", WARD_E_REQUEST_LINE),
    E("rl-cr-at-target", "GET \r\n\r\n", WARD_E_REQUEST_LINE),
    E("rl-trailing-sp", "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", WARD_E_REQUEST_LINE),
    E("rl-trailing-htab", "GET / HTTP/1.1\t\r\nHost: a\r\n\r\n", WARD_E_REQUEST_LINE),
    E("rl-trailing-letter", "GET / HTTP/1.1a\r\nHost: a\r\n\r\n", WARD_E_REQUEST_LINE),
    E("rl-trailing-word", "GET / HTTP/1.1 extra\r\nHost: a\r\n\r\n", WARD_E_REQUEST_LINE),
    E("q-rl-cr-at-version", "GET / \r\nHost: a\r\n\r\n", WARD_E_VERSION),

    /* ---- target bytes: each byte outside target-char is WARD_E_TARGET ---- */
    E("t-hash", RL11("/a#b"), WARD_E_TARGET),
    E("t-backslash", RL11("/a\\b"), WARD_E_TARGET),
    E("t-dquote", RL11("/a\"b"), WARD_E_TARGET),
    E("t-lt", RL11("/a<b"), WARD_E_TARGET),
    E("t-gt", RL11("/a>b"), WARD_E_TARGET),
    E("t-caret", RL11("/a^b"), WARD_E_TARGET),
    E("t-backtick", RL11("/a`b"), WARD_E_TARGET),
    E("t-lbrace", RL11("/a{b"), WARD_E_TARGET),
    E("t-pipe", RL11("/a|b"), WARD_E_TARGET),
    E("t-rbrace", RL11("/a}b"), WARD_E_TARGET),
    E("t-htab", RL11("/a\tb"), WARD_E_TARGET),
    E("t-ctl-01", RL11("/a\x01" "b"), WARD_E_TARGET),
    E("t-ctl-1f", RL11("/a\x1f" "b"), WARD_E_TARGET),
    E("t-del", RL11("/a\x7f" "b"), WARD_E_TARGET),
    E("t-obs-80", RL11("/a\x80" "b"), WARD_E_TARGET),
    E("t-obs-ff", RL11("/a\xff" "b"), WARD_E_TARGET),
    EB("t-nul", RL11("/a\0b"), WARD_E_TARGET),
    E("t-byte-before-505", "GET /a\x01 HTTP/2.0\r\n\r\n", WARD_E_TARGET),

    /* ---- pct-encoded: every '%' followed by two HEXDIG (RFC 3986 §2.1) ---- */
    E("t-pct-zz", RL11("/%zz"), WARD_E_TARGET),
    E("t-pct-one-digit", RL11("/%2"), WARD_E_TARGET),
    E("t-pct-alone", RL11("/%"), WARD_E_TARGET),
    E("t-pct-second-not-hex", RL11("/a%4g"), WARD_E_TARGET),
    E("t-pct-pct", RL11("/%%41"), WARD_E_TARGET),
    E("t-pct-after-good", RL11("/%41%4"), WARD_E_TARGET),
    E("t-pct-at-query-start", RL11("/a?%"), WARD_E_TARGET),
    E("t-pct-in-query", RL11("/a?x=%41&y=%z1"), WARD_E_TARGET),
    E("t-pct-before-qmark", RL11("/a%4?1"), WARD_E_TARGET),
    E("t-pct-long-target", RL11("/0123456789abcdef0123456789abcdef0123456789abcdef%41%g1"), WARD_E_TARGET),
    E("t-pct-asterisk", "OPTIONS *% HTTP/1.1\r\nHost: a\r\n\r\n", WARD_E_TARGET),
    /* checked last, once the head is complete and every other rule holds */
    E("t-pct-after-505", "GET /%zz HTTP/2.0\r\nHost: a\r\n\r\n", WARD_E_VERSION_UNSUPPORTED),
    E("t-pct-after-version", "GET /%zz http/1.1\r\nHost: a\r\n\r\n", WARD_E_VERSION),
    E("t-pct-after-form", "CONNECT /%zz HTTP/1.1\r\nHost: a\r\n\r\n", WARD_E_TARGET_FORM),
    E("t-pct-after-fields", "GET /%zz HTTP/1.1\r\n:bad\r\n\r\n", WARD_E_FIELD_NAME),
    E("t-pct-after-host-missing", "GET /%zz HTTP/1.1\r\n\r\n", WARD_E_HOST_MISSING),
    E("t-pct-after-expect", "GET /%zz HTTP/1.1\r\nHost: a\r\nExpect: x\r\n\r\n", WARD_E_EXPECTATION),
    E("again-pct-head-incomplete", "GET /%zz HTTP/1.1\r\nHost: a\r\n", WARD_AGAIN),
    E("t-pct-http10", "GET /%zz HTTP/1.0\r\n\r\n", WARD_E_TARGET),
    TOK("p-pct-path-and-query", "/a%2Fb?x=%41", "/a%2Fb", "x=%41", QRY),
    TOK("p-pct-hex-cases", "/%aF%Fa%09%ff?%0A", "/%aF%Fa%09%ff", "%0A", QRY),
    TOK("p-pct-at-end", "/a%20", "/a%20", "", 0),
    TOK("p-pct-long-target", "/0123456789abcdef0123456789abcdef0123456789abcdef%41%42",
        "/0123456789abcdef0123456789abcdef0123456789abcdef%41%42", "", 0),

    /* ---- origin-form: path up to the first '?', query after it ---- */
    TOK("p-path-query", "/a/b?c=d&e", "/a/b", "c=d&e", QRY),
    TOK("p-query-empty", "/?", "/", "", QRY),
    TOK("p-query-second-qmark", "/a?b?c", "/a", "b?c", QRY),
    TOK("p-no-query", "/a/b", "/a/b", "", 0),
    TOK("p-path-all-chars", "/AZaz09-._~!$&'()*+,;=:@/[]%41", "/AZaz09-._~!$&'()*+,;=:@/[]%41",
        "", 0),
    TOK("p-query-all-chars", "/p?/?:@-._~!$&'()*+,;=%7e[]", "/p", "/?:@-._~!$&'()*+,;=%7e[]", QRY),
    TOK("p-double-slash", "//x", "//x", "", 0),

    /* ---- forms and their method restrictions ---- */
    {.id = "f-asterisk-options", .input = "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
     OKR("OPTIONS", "*", "*", "", "a", 1, STAR, H), HOSTA},
    E("f-asterisk-get", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", WARD_E_TARGET_FORM),
    E("f-asterisk-msearch", "M-SEARCH * HTTP/1.1\r\nHost: a\r\n\r\n", WARD_E_TARGET_FORM),
    E("f-asterisk-lowercase", "options * HTTP/1.1\r\nHost: a\r\n\r\n", WARD_E_TARGET_FORM),
    E("f-asterisk-connect", "CONNECT * HTTP/1.1\r\nHost: a\r\n\r\n", WARD_E_TARGET_FORM),
    E("f-asterisk-more", "OPTIONS *x HTTP/1.1\r\nHost: a\r\n\r\n", WARD_E_TARGET),
    E("f-asterisk-slash", "OPTIONS */ HTTP/1.1\r\nHost: a\r\n\r\n", WARD_E_TARGET),
    E("f-asterisk-query", "OPTIONS *? HTTP/1.1\r\nHost: a\r\n\r\n", WARD_E_TARGET),
    {.id = "f-connect", .input = "CONNECT a.com:443 HTTP/1.1\r\nHost: a.com:443\r\n\r\n",
     OKR("CONNECT", "a.com:443", NULL, "", "a.com:443", 1, AUTH, H),
     FLD(1, {"Host", "a.com:443"})},
    {.id = "f-connect-ipv6", .input = "CONNECT [::1]:8443 HTTP/1.1\r\nHost: [::1]:8443\r\n\r\n",
     OKR("CONNECT", "[::1]:8443", NULL, "", "[::1]:8443", 1, AUTH, H),
     FLD(1, {"Host", "[::1]:8443"})},
    {.id = "f-connect-10-no-host", .input = "CONNECT a.com:443 HTTP/1.0\r\n\r\n",
     OKR("CONNECT", "a.com:443", NULL, "", "a.com:443", 0, AUTH, WARD_REQ_HOST), FLD(0)},
    {.id = "f-connect-target-wins", .input = "CONNECT b.org:80 HTTP/1.1\r\nHost: a\r\n\r\n",
     OKR("CONNECT", "b.org:80", NULL, "", "b.org:80", 1, AUTH, H), HOSTA},
    E("f-connect-origin", "CONNECT /x HTTP/1.1\r\nHost: a\r\n\r\n", WARD_E_TARGET_FORM),
    E("f-connect-absolute", "CONNECT http://a.com/ HTTP/1.1\r\nHost: a\r\n\r\n",
      WARD_E_TARGET_FORM),
    E("f-connect-no-port", "CONNECT a.com HTTP/1.1\r\nHost: a\r\n\r\n", WARD_E_TARGET),
    E("f-connect-empty-port", "CONNECT a.com: HTTP/1.1\r\nHost: a\r\n\r\n", WARD_E_TARGET),
    E("f-connect-empty-host", "CONNECT :443 HTTP/1.1\r\nHost: a\r\n\r\n", WARD_E_TARGET),
    E("f-connect-userinfo", "CONNECT u@a.com:443 HTTP/1.1\r\nHost: a\r\n\r\n", WARD_E_TARGET),
    E("f-connect-port-alpha", "CONNECT a.com:44x HTTP/1.1\r\nHost: a\r\n\r\n", WARD_E_TARGET),
    E("f-connect-lowercase", "connect a.com:443 HTTP/1.1\r\nHost: a\r\n\r\n", WARD_E_TARGET),
    {.id = "f-connect-pct-host", .input = "CONNECT a%41.com:443 HTTP/1.1\r\nHost: a\r\n\r\n",
     OKR("CONNECT", "a%41.com:443", NULL, "", "a%41.com:443", 1, AUTH, H), HOSTA},
    E("f-connect-bad-pct", "CONNECT a%zz.com:443 HTTP/1.1\r\nHost: a\r\n\r\n", WARD_E_TARGET),
    E("f-connect-short-pct", "CONNECT a%4:443 HTTP/1.1\r\nHost: a\r\n\r\n", WARD_E_TARGET),
    {.id = "f-abs", .input = "GET http://a.com/x?y HTTP/1.1\r\nHost: a.com\r\n\r\n",
     OKR("GET", "http://a.com/x?y", "/x", "y", "a.com", 1, ABS, H | QRY),
     FLD(1, {"Host", "a.com"})},
    {.id = "f-abs-authority-wins", .input = "GET http://a.com/p HTTP/1.1\r\nHost: b.org\r\n\r\n",
     OKR("GET", "http://a.com/p", "/p", "", "a.com", 1, ABS, H), FLD(1, {"Host", "b.org"})},
    {.id = "f-abs-no-path", .input = "GET http://a.com HTTP/1.1\r\nHost: a.com\r\n\r\n",
     OKR("GET", "http://a.com", "", "", "a.com", 1, ABS, H), FLD(1, {"Host", "a.com"})},
    {.id = "f-abs-query-no-path", .input = "GET http://a.com?q HTTP/1.1\r\nHost: a\r\n\r\n",
     OKR("GET", "http://a.com?q", "", "q", "a.com", 1, ABS, H | QRY), HOSTA},
    {.id = "f-abs-ipv6-port",
     .input = "GET http://[::1]:8080/p HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n",
     OKR("GET", "http://[::1]:8080/p", "/p", "", "[::1]:8080", 1, ABS, H),
     FLD(1, {"Host", "[::1]:8080"})},
    {.id = "f-abs-scheme-chars", .input = "GET h1+x-y.z://a.b/ HTTP/1.1\r\nHost: a\r\n\r\n",
     OKR("GET", "h1+x-y.z://a.b/", "/", "", "a.b", 1, ABS, H), HOSTA},
    {.id = "f-abs-uppercase", .input = "GET HTTP://A.COM/ HTTP/1.1\r\nHost: a\r\n\r\n",
     OKR("GET", "HTTP://A.COM/", "/", "", "A.COM", 1, ABS, H), HOSTA},
    {.id = "f-abs-10-no-host", .input = "GET http://a.com/ HTTP/1.0\r\n\r\n",
     OKR("GET", "http://a.com/", "/", "", "a.com", 0, ABS, WARD_REQ_HOST), FLD(0)},
    {.id = "f-abs-options", .input = "OPTIONS http://a.com HTTP/1.1\r\nHost: a\r\n\r\n",
     OKR("OPTIONS", "http://a.com", "", "", "a.com", 1, ABS, H), HOSTA},
    {.id = "f-abs-at-in-path", .input = "GET http://a.com/x@y?u@v HTTP/1.1\r\nHost: a\r\n\r\n",
     OKR("GET", "http://a.com/x@y?u@v", "/x@y", "u@v", "a.com", 1, ABS, H | QRY), HOSTA},
    {.id = "f-abs-port-no-path", .input = "GET http://a.com:80 HTTP/1.1\r\nHost: a\r\n\r\n",
     OKR("GET", "http://a.com:80", "", "", "a.com:80", 1, ABS, H), HOSTA},
    {.id = "f-abs-pct-host", .input = "GET http://a%41.com/ HTTP/1.1\r\nHost: a\r\n\r\n",
     OKR("GET", "http://a%41.com/", "/", "", "a%41.com", 1, ABS, H), HOSTA},
    E("q-f-abs-11-no-host-field", "GET http://a.com/ HTTP/1.1\r\n\r\n", WARD_E_HOST_MISSING),
    E("f-abs-userinfo", RL11("http://u@a.com/"), WARD_E_TARGET),
    E("f-abs-empty-authority", RL11("http:///x"), WARD_E_TARGET),
    E("f-abs-empty-host-port", RL11("http://:80/"), WARD_E_TARGET),
    E("f-abs-no-slashes", RL11("http:a.com"), WARD_E_TARGET),
    E("f-abs-one-slash", RL11("http:/a.com/"), WARD_E_TARGET),
    E("f-abs-scheme-digit", RL11("1http://a/"), WARD_E_TARGET),
    E("f-abs-scheme-empty", RL11("://a/"), WARD_E_TARGET),
    E("f-abs-scheme-underscore", RL11("ht_tp://a/"), WARD_E_TARGET),
    E("f-abs-port-alpha", RL11("http://a.com:8x/"), WARD_E_TARGET),
    E("f-abs-ipv6-open", RL11("http://[::1/"), WARD_E_TARGET),
    E("f-abs-bad-pct", RL11("http://a%zz/"), WARD_E_TARGET),
    E("f-abs-bad-pct-path", RL11("http://h/%zz"), WARD_E_TARGET),
    E("f-abs-bad-pct-query", RL11("http://h/p?q=%5"), WARD_E_TARGET),
    E("f-abs-bad-pct-query-no-path", RL11("http://h?%"), WARD_E_TARGET),
    {.id = "f-abs-pct-path-query", .input = RL11("http://h/%41b?c=%7E"),
     OKR("GET", "http://h/%41b?c=%7E", "/%41b", "c=%7E", "h", 1, ABS, H | QRY), HOSTA},
    E("f-not-a-form", RL11("a.com"), WARD_E_TARGET),
    E("f-host-port-not-connect", RL11("a.com:80"), WARD_E_TARGET),
    E("f-query-first", RL11("?x"), WARD_E_TARGET),

    /* ---- version: HTTP/ DIGIT . DIGIT; major 1 only, a minor above 1 read as 1.1
     * (RFC 9110 §2.5, §6.2) ---- */
    E("v-lowercase", "GET / http/1.1\r\nHost: a\r\n\r\n", WARD_E_VERSION),
    E("v-2.0", "GET / HTTP/2.0\r\n\r\n", WARD_E_VERSION_UNSUPPORTED),
    E("v-2.0-host", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", WARD_E_VERSION_UNSUPPORTED),
    E("v-0.9", "GET / HTTP/0.9\r\n\r\n", WARD_E_VERSION_UNSUPPORTED),
    E("v-0.1", "GET / HTTP/0.1\r\nHost: a\r\n\r\n", WARD_E_VERSION_UNSUPPORTED),
    E("v-2.1", "GET / HTTP/2.1\r\nHost: a\r\n\r\n", WARD_E_VERSION_UNSUPPORTED),
    {.id = "v-1.2", .input = "GET / HTTP/1.2\r\nHost: a\r\n\r\n",
     OKR("GET", "/", "/", "", "a", 1, ORIGIN, H), HOSTA},
    {.id = "v-1.3", .input = "GET / HTTP/1.3\r\nHost: a\r\n\r\n",
     OKR("GET", "/", "/", "", "a", 1, ORIGIN, H), HOSTA},
    {.id = "v-1.4", .input = "GET / HTTP/1.4\r\nHost: a\r\n\r\n",
     OKR("GET", "/", "/", "", "a", 1, ORIGIN, H), HOSTA},
    {.id = "v-1.5", .input = "GET / HTTP/1.5\r\nHost: a\r\n\r\n",
     OKR("GET", "/", "/", "", "a", 1, ORIGIN, H), HOSTA},
    {.id = "v-1.6", .input = "GET / HTTP/1.6\r\nHost: a\r\n\r\n",
     OKR("GET", "/", "/", "", "a", 1, ORIGIN, H), HOSTA},
    {.id = "v-1.7", .input = "GET / HTTP/1.7\r\nHost: a\r\n\r\n",
     OKR("GET", "/", "/", "", "a", 1, ORIGIN, H), HOSTA},
    {.id = "v-1.8", .input = "GET / HTTP/1.8\r\nHost: a\r\n\r\n",
     OKR("GET", "/", "/", "", "a", 1, ORIGIN, H), HOSTA},
    {.id = "v-1.9", .input = "GET / HTTP/1.9\r\nHost: a\r\n\r\n",
     OKR("GET", "/", "/", "", "a", 1, ORIGIN, H), HOSTA},
    {.id = "v-1.9-close", .input = "POST /x HTTP/1.9\r\nHost: a\r\nConnection: close\r\n\r\n",
     OKR("POST", "/x", "/x", "", "a", 1, ORIGIN, H | CLOSE),
     FLD(2, {"Host", "a"}, {"Connection", "close"})},
    E("v-1.2-no-host", "GET / HTTP/1.2\r\n\r\n", WARD_E_HOST_MISSING),
    E("v-1.2-trailing-digit", "GET / HTTP/1.23\r\nHost: a\r\n\r\n", WARD_E_VERSION),
    E("v-9.9", "GET / HTTP/9.9\r\n\r\n", WARD_E_VERSION_UNSUPPORTED),
    E("v-505-before-form", "GET * HTTP/2.0\r\nHost: a\r\n\r\n", WARD_E_VERSION_UNSUPPORTED),
    E("v-505-before-fields", "GET / HTTP/3.0\r\n:bad\r\n\r\n", WARD_E_VERSION_UNSUPPORTED),
    E("v-1.10", "GET / HTTP/1.10\r\nHost: a\r\n\r\n", WARD_E_VERSION),
    E("v-01.1", "GET / HTTP/01.1\r\nHost: a\r\n\r\n", WARD_E_VERSION),
    E("v-11", "GET / HTTP/11\r\nHost: a\r\n\r\n", WARD_E_VERSION),
    E("v-1.x", "GET / HTTP/1.x\r\nHost: a\r\n\r\n", WARD_E_VERSION),
    E("v-no-minor", "GET / HTTP/1.\r\nHost: a\r\n\r\n", WARD_E_VERSION),
    E("v-no-slash", "GET / HTTP\r\nHost: a\r\n\r\n", WARD_E_VERSION),
    E("v-httq", "GET / HTTQ/1.1\r\nHost: a\r\n\r\n", WARD_E_VERSION),
    E("v-Http", "GET / Http/1.1\r\nHost: a\r\n\r\n", WARD_E_VERSION),

    /* ---- leading empty line (RFC 9112 §2.2) ---- */
    {.id = "lead-crlf", .input = "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
     OKR("GET", "/", "/", "", "a", 1, ORIGIN, H | LEAD), HOSTA},
    E("lead-two-crlf", "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", WARD_E_EMPTY_LINES),
    E("lead-lf-strict", "\nGET / HTTP/1.0\r\n\r\n", WARD_E_LINE_END),
    E("lead-crlf-lf-strict", "\r\n\nGET / HTTP/1.0\r\n\r\n", WARD_E_LINE_END),
    {.id = "lead-lf-lenient", .input = "\nGET / HTTP/1.0\r\n\r\n", .opts = {.flags = BARE_LF},
     OKR("GET", "/", "/", "", "", 0, ORIGIN, LEAD), FLD(0)},
    EO("lead-two-lf-lenient", "\n\nGET / HTTP/1.0\r\n\r\n", WARD_E_EMPTY_LINES, .flags = BARE_LF),
    EO("lead-crlf-lf-lenient", "\r\n\nGET / HTTP/1.0\n\n", WARD_E_EMPTY_LINES, .flags = BARE_LF),
    E("lead-cr-junk", "\rGET / HTTP/1.0\r\n\r\n", WARD_E_LINE_END),

    /* ---- field names ---- */
    FOK("fn-all-tchars", "!#$%&'*+-.^`|~09azAZ: v\r\n", 0,
        FLD(2, {"Host", "a"}, {"!#$%&'*+-.^`|~09azAZ", "v"})),
    FOK("fn-underscore-kept", "X_Y: 1\r\n", 0, FLD(2, {"Host", "a"}, {"X_Y", "1"})),
    FOK("fn-colon-in-value", "X: a:b\r\n", 0, FLD(2, {"Host", "a"}, {"X", "a:b"})),
    E("fn-empty", F11(": v\r\n"), WARD_E_FIELD_NAME),
    E("fn-paren", F11("X(Y: v\r\n"), WARD_E_FIELD_NAME),
    E("fn-slash", F11("X/Y: v\r\n"), WARD_E_FIELD_NAME),
    E("fn-dquote", F11("X\"Y: v\r\n"), WARD_E_FIELD_NAME),
    E("fn-sp-inside", F11("X Y: v\r\n"), WARD_E_FIELD_NAME),
    E("fn-sp-before-colon", F11("X : v\r\n"), WARD_E_FIELD_NAME),
    E("fn-htab-before-colon", F11("X\t: v\r\n"), WARD_E_FIELD_NAME),
    E("fn-no-colon", F11("XY\r\n"), WARD_E_FIELD_NAME),
    EO("fn-no-colon-lf", F11("XY\n"), WARD_E_FIELD_NAME, .flags = BARE_LF),
    E("fn-obs-text", F11("X\xc3\xa9: v\r\n"), WARD_E_FIELD_NAME),
    EB("fn-nul", F11("X\0: v\r\n"), WARD_E_FIELD_NAME),
    E("fn-del", F11("X\x7f: v\r\n"), WARD_E_FIELD_NAME),
    E("fn-first-line-sp", "GET / HTTP/1.1\r\n Host: a\r\n\r\n", WARD_E_FIELD_NAME),
    EO("fn-first-line-sp-fold", "GET / HTTP/1.1\r\n Host: a\r\n\r\n", WARD_E_FIELD_NAME,
       .flags = OBS_FOLD),
    EO("fn-first-line-htab-all", "GET / HTTP/1.0\r\n\tX: a\r\n\r\n", WARD_E_FIELD_NAME,
       .flags = WARD_PARSE_FLAGS_ALL),
    {.id = "fn-ws-colon-lenient", .input = "GET / HTTP/1.1\r\nHost\t: a\r\nX  : b\r\n\r\n",
     .opts = {.flags = WS_COLON}, OKR("GET", "/", "/", "", "a", 1, ORIGIN, H),
     FLD(2, {"Host", "a"}, {"X", "b"})},

    /* ---- field values ---- */
    FOK("fv-ows-trim", "X: \t a b \t \r\n", 0, FLD(2, {"Host", "a"}, {"X", "a b"})),
    FOK("fv-empty", "X:\r\n", 0, FLD(2, {"Host", "a"}, {"X", ""})),
    FOK("fv-ows-only", "X: \t \r\n", 0, FLD(2, {"Host", "a"}, {"X", ""})),
    FOK("fv-no-ows", "X:v\r\n", 0, FLD(2, {"Host", "a"}, {"X", "v"})),
    FOK("fv-htab-inside", "X: a\tb\r\n", 0, FLD(2, {"Host", "a"}, {"X", "a\tb"})),
    FOK("fv-obs-text", "X: caf\xc3\xa9 \xff\x80\r\n", 0,
        FLD(2, {"Host", "a"}, {"X", "caf\xc3\xa9 \xff\x80"})),
    FOK("fv-all-vchar", "X: !\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~\r\n", 0,
        FLD(2, {"Host", "a"}, {"X", "!\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~"})),
    EB("fv-nul", F11("X: a\0b\r\n"), WARD_E_FIELD_VALUE),
    EB("fv-nul-first", F11("X: \0\r\n"), WARD_E_FIELD_VALUE),
    E("fv-ctl-01", F11("X: a\x01" "b\r\n"), WARD_E_FIELD_VALUE),
    E("fv-vt", F11("X: a\vb\r\n"), WARD_E_FIELD_VALUE),
    E("fv-ff", F11("X: a\fb\r\n"), WARD_E_FIELD_VALUE),
    E("fv-esc", F11("X: a\x1b" "b\r\n"), WARD_E_FIELD_VALUE),
    E("fv-us-1f", F11("X: a\x1f" "b\r\n"), WARD_E_FIELD_VALUE),
    E("fv-del", F11("X: a\x7f" "b\r\n"), WARD_E_FIELD_VALUE),
    E("fv-bare-cr", F11("X: a\rb\r\n"), WARD_E_LINE_END),
    E("fv-cr-cr", F11("X: a\r\r\n"), WARD_E_LINE_END),

    /* ---- obs-fold ---- */
    E("fold-strict", F11("X: a\r\n b\r\n"), WARD_E_OBS_FOLD),
    E("fold-strict-htab", F11("X: a\r\n\tb\r\n"), WARD_E_OBS_FOLD),
    {.id = "fold-lenient", .input = F11("X: a\r\n b\r\n"), .opts = {.flags = OBS_FOLD},
     OKR("GET", "/", "/", "", "a", 1, ORIGIN, H | FOLD), FLD(2, {"Host", "a"}, {"X", "a\r\n b"})},
    {.id = "fold-lenient-ows", .input = F11("X:  a \r\n  b \r\n"), .opts = {.flags = OBS_FOLD},
     OKR("GET", "/", "/", "", "a", 1, ORIGIN, H | FOLD),
     FLD(2, {"Host", "a"}, {"X", "a \r\n  b"})},
    {.id = "fold-lenient-multi", .input = F11("X: a\r\n b\r\n\tc\r\nY: d\r\n"),
     .opts = {.flags = OBS_FOLD}, OKR("GET", "/", "/", "", "a", 1, ORIGIN, H | FOLD),
     FLD(3, {"Host", "a"}, {"X", "a\r\n b\r\n\tc"}, {"Y", "d"})},
    {.id = "fold-lenient-bare-lf", .input = "GET / HTTP/1.0\nX: a\n b\n\n",
     .opts = {.flags = OBS_FOLD | BARE_LF}, OKR("GET", "/", "/", "", "", 0, ORIGIN, FOLD),
     FLD(1, {"X", "a\n b"})},
    EO("fold-lenient-ctl", F11("X: a\r\n b\x01\r\n"), WARD_E_FIELD_VALUE, .flags = OBS_FOLD),

    /* ---- line ends: bare LF only under its flag, bare CR never ---- */
    E("lf-strict-request-line", "GET / HTTP/1.0\n\n", WARD_E_LINE_END),
    E("lf-strict-field", "GET / HTTP/1.1\r\nHost: a\n\r\n", WARD_E_LINE_END),
    E("lf-strict-final", "GET / HTTP/1.1\r\nHost: a\r\n\n", WARD_E_LINE_END),
    E("lf-strict-in-value", F11("X: a\nY: b\r\n"), WARD_E_LINE_END),
    {.id = "lf-lenient-all", .input = "GET / HTTP/1.1\nHost: a\nX: b\n\n",
     .opts = {.flags = BARE_LF}, OKR("GET", "/", "/", "", "a", 1, ORIGIN, H),
     FLD(2, {"Host", "a"}, {"X", "b"})},
    {.id = "lf-lenient-mixed", .input = "GET / HTTP/1.1\r\nHost: a\n\r\n",
     .opts = {.flags = BARE_LF}, OKR("GET", "/", "/", "", "a", 1, ORIGIN, H), HOSTA},
    {.id = "lf-lenient-final", .input = "GET / HTTP/1.1\r\nHost: a\r\n\n",
     .opts = {.flags = BARE_LF}, OKR("GET", "/", "/", "", "a", 1, ORIGIN, H), HOSTA},
    E("cr-final-junk", "GET / HTTP/1.1\r\nHost: a\r\n\rX", WARD_E_LINE_END),
    E("cr-request-line-cr", "GET / HTTP/1.1\r\rHost: a\r\n\r\n", WARD_E_LINE_END),
    EO("cr-bare-under-lf-flag", "GET / HTTP/1.1\rHost: a\r\n\r\n", WARD_E_LINE_END,
       .flags = BARE_LF),

    /* ---- Host (RFC 9112 §3.2) ---- */
    E("host-missing", "GET / HTTP/1.1\r\n\r\n", WARD_E_HOST_MISSING),
    E("host-missing-prefix-name", "GET / HTTP/1.1\r\nHostx: a\r\n\r\n", WARD_E_HOST_MISSING),
    {.id = "host-10-present", .input = "GET / HTTP/1.0\r\nHost: a.b\r\n\r\n",
     OKR("GET", "/", "/", "", "a.b", 0, ORIGIN, H), FLD(1, {"Host", "a.b"})},
    E("host-duplicate", "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", WARD_E_HOST_DUPLICATE),
    E("host-duplicate-case", "GET / HTTP/1.1\r\nHost: a\r\nhOST: b\r\n\r\n",
      WARD_E_HOST_DUPLICATE),
    E("host-duplicate-10", "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", WARD_E_HOST_DUPLICATE),
    E("host-duplicate-abs", "GET http://a/ HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n",
      WARD_E_HOST_DUPLICATE),
    {.id = "q-host-empty", .input = HOST11(""), OKR("GET", "/", "/", "", "", 1, ORIGIN, H),
     FLD(1, {"Host", ""})},
    HOK("host-port", "a.com:8080", "a.com:8080"),
    HOK("host-port-empty", "a.com:", "a.com:"),
    HOK("host-port-long", "a.com:99999", "a.com:99999"),
    HOK("host-ipv6", "[::1]", "[::1]"),
    HOK("host-ipv6-port", "[2001:db8::1]:443", "[2001:db8::1]:443"),
    HOK("host-ipv6-empty-port", "[::1]:", "[::1]:"),
    HOK("host-ipvfuture", "[v7.a:b]", "[v7.a:b]"),
    HOK("host-ipv4-port", "192.0.2.1:80", "192.0.2.1:80"),
    HOK("host-pct", "a%2Eb", "a%2Eb"),
    HOK("host-sub-delims", "a!$&'()*+,;=b", "a!$&'()*+,;=b"),
    HOK("host-unreserved", "a_b~c-d.e", "a_b~c-d.e"),
    HOK("host-ows-trimmed", " \t a.com \t", "a.com"),
    {.id = "host-name-case", .input = "GET / HTTP/1.1\r\nhOsT: a\r\n\r\n",
     OKR("GET", "/", "/", "", "a", 1, ORIGIN, H), FLD(1, {"hOsT", "a"})},
    E("host-bad-sp", HOST11("a b"), WARD_E_HOST_INVALID),
    E("host-bad-userinfo", HOST11("u@a"), WARD_E_HOST_INVALID),
    E("host-bad-slash", HOST11("a/b"), WARD_E_HOST_INVALID),
    E("host-bad-pct-short", HOST11("a%2"), WARD_E_HOST_INVALID),
    E("host-bad-pct-hex", HOST11("a%g1"), WARD_E_HOST_INVALID),
    E("host-bad-ipv6-open", HOST11("[::1"), WARD_E_HOST_INVALID),
    E("host-bad-ipv6-bare", HOST11("::1"), WARD_E_HOST_INVALID),
    E("host-bad-after-bracket", HOST11("[::1]x"), WARD_E_HOST_INVALID),
    E("host-bad-ipv6-zone", HOST11("[fe80::1%25eth0]"), WARD_E_HOST_INVALID),
    E("host-bad-port-alpha", HOST11("a:8a"), WARD_E_HOST_INVALID),
    E("host-bad-two-ports", HOST11("a:1:2"), WARD_E_HOST_INVALID),
    E("host-bad-obs-text", HOST11("caf\xc3\xa9"), WARD_E_HOST_INVALID),
    E("host-bad-bracket", HOST11("a]b"), WARD_E_HOST_INVALID),
    E("host-bad-with-abs", "GET http://a.com/ HTTP/1.1\r\nHost: a b\r\n\r\n",
      WARD_E_HOST_INVALID),
    E("host-bad-before-duplicate", "GET / HTTP/1.1\r\nHost: a b\r\nHost: c\r\n\r\n",
      WARD_E_HOST_INVALID),

    /* ---- Connection: a list of tokens ---- */
    FOK("conn-close", "Connection: close\r\n", CLOSE,
        FLD(2, {"Host", "a"}, {"Connection", "close"})),
    FOK("conn-keep-alive-case", "Connection: Keep-Alive\r\n", KA,
        FLD(2, {"Host", "a"}, {"Connection", "Keep-Alive"})),
    FOK("conn-upgrade-upper", "Connection: UPGRADE\r\n", UPG,
        FLD(2, {"Host", "a"}, {"Connection", "UPGRADE"})),
    FOK("conn-list", "Connection: keep-alive, Upgrade\r\n", KA | UPG,
        FLD(2, {"Host", "a"}, {"Connection", "keep-alive, Upgrade"})),
    FOK("conn-empty-elements", "Connection: , ,close,,\t,\r\n", CLOSE,
        FLD(2, {"Host", "a"}, {"Connection", ", ,close,,\t,"})),
    FOK("conn-htab-ows", "Connection: close\t,\tupgrade\r\n", CLOSE | UPG,
        FLD(2, {"Host", "a"}, {"Connection", "close\t,\tupgrade"})),
    FOK("conn-other-tokens", "Connection: foo, bar\r\n", 0,
        FLD(2, {"Host", "a"}, {"Connection", "foo, bar"})),
    FOK("conn-near-misses", "Connection: closed, clos, xclose, keep-alivex\r\n", 0,
        FLD(2, {"Host", "a"}, {"Connection", "closed, clos, xclose, keep-alivex"})),
    FOK("conn-two-lines", "Connection: close\r\nConnection: upgrade\r\n", CLOSE | UPG,
        FLD(3, {"Host", "a"}, {"Connection", "close"}, {"Connection", "upgrade"})),
    FOK("conn-empty", "Connection:\r\n", 0, FLD(2, {"Host", "a"}, {"Connection", ""})),
    FOK("conn-name-case", "cOnNeCtIoN: cLoSe\r\n", CLOSE,
        FLD(2, {"Host", "a"}, {"cOnNeCtIoN", "cLoSe"})),
    /* names that pass parse_fields' one-bit test for Host, Expect and
     * Connection (first byte plus length, modulo 32) but are none of them:
     * values that would be wrong for those fields, and no flag set */
    FOK("names-near-sem", "Hoxt: a b\r\nHosts: a b\r\nGzip: foo\r\nConnectio: a b\r\nhOST1: x y\r\n", 0,
        FLD(6, {"Host", "a"}, {"Hoxt", "a b"}, {"Hosts", "a b"}, {"Gzip", "foo"}, {"Connectio", "a b"},
            {"hOST1", "x y"})),
    E("conn-bad-space", F11("Connection: a b\r\n"), WARD_E_CONNECTION),
    E("conn-bad-semicolon", F11("Connection: close;x\r\n"), WARD_E_CONNECTION),
    E("conn-bad-quoted", F11("Connection: \"close\"\r\n"), WARD_E_CONNECTION),
    E("conn-bad-obs-text", F11("Connection: caf\xc3\xa9\r\n"), WARD_E_CONNECTION),
    E("conn-bad-slash", F11("Connection: close, a/b\r\n"), WARD_E_CONNECTION),
    E("conn-bad-before-duplicate-host",
      "GET / HTTP/1.1\r\nConnection: a b\r\nHost: x\r\nHost: y\r\n\r\n", WARD_E_CONNECTION),

    /* ---- Expect: only 100-continue ---- */
    FOK("exp-continue", "Expect: 100-continue\r\n", CONT,
        FLD(2, {"Host", "a"}, {"Expect", "100-continue"})),
    FOK("exp-continue-mixed-case", "Expect: 100-Continue\r\n", CONT,
        FLD(2, {"Host", "a"}, {"Expect", "100-Continue"})),
    FOK("exp-continue-upper", "eXpEcT: 100-CONTINUE\r\n", CONT,
        FLD(2, {"Host", "a"}, {"eXpEcT", "100-CONTINUE"})),
    FOK("exp-continue-twice", "Expect: 100-continue ,100-continue\r\n", CONT,
        FLD(2, {"Host", "a"}, {"Expect", "100-continue ,100-continue"})),
    {.id = "exp-continue-10", .input = "PUT /u HTTP/1.0\r\nExpect: 100-continue\r\n\r\n",
     OKR("PUT", "/u", "/u", "", "", 0, ORIGIN, CONT), FLD(1, {"Expect", "100-continue"})},
    E("exp-other", F11("Expect: foo\r\n"), WARD_E_EXPECTATION),
    E("exp-list-mixed", F11("Expect: 100-continue, foo\r\n"), WARD_E_EXPECTATION),
    E("exp-param", F11("Expect: 100-continue;a=b\r\n"), WARD_E_EXPECTATION),
    E("exp-102", F11("Expect: 102-processing\r\n"), WARD_E_EXPECTATION),
    E("exp-before-duplicate-host",
      "GET / HTTP/1.1\r\nHost: a\r\nExpect: x\r\nHost: a\r\n\r\n", WARD_E_EXPECTATION),

    /* ---- underscore dropping (a reader option, never a rejection) ---- */
    {.id = "us-drop", .input = F11("X_Y: 1\r\nZ: 2\r\n"), .opts = {.flags = DROP_US},
     OKR("GET", "/", "/", "", "a", 1, ORIGIN, H), FLD(2, {"Host", "a"}, {"Z", "2"})},
    {.id = "us-drop-content-length", .input = F11("Content_Length: 5\r\n"),
     .opts = {.flags = DROP_US}, OKR("GET", "/", "/", "", "a", 1, ORIGIN, H), HOSTA},
    {.id = "us-drop-connection", .input = F11("Connection_: close\r\nExpect_: foo\r\n"),
     .opts = {.flags = DROP_US}, OKR("GET", "/", "/", "", "a", 1, ORIGIN, H), HOSTA},
    {.id = "us-keep-without-flag", .input = F11("Connection_: close\r\n"),
     OKR("GET", "/", "/", "", "a", 1, ORIGIN, H), FLD(2, {"Host", "a"}, {"Connection_", "close"})},
    EO("us-dropped-host-is-no-host", "GET / HTTP/1.1\r\nHost_x: a\r\n\r\n", WARD_E_HOST_MISSING,
       .flags = DROP_US),

    /* ---- captured clients ---- */
    {.id = "real-chrome", .input = CHROME,
     OKR("GET", "/search?q=ward+http+parser&hl=en", "/search", "q=ward+http+parser&hl=en",
         "www.example.com", 1, ORIGIN, H | QRY | KA),
     FLD(15, {"Host", "www.example.com"}, {"Connection", "keep-alive"},
         {"sec-ch-ua", CHROME_UA_CH}, {"sec-ch-ua-mobile", "?0"},
         {"sec-ch-ua-platform", "\"Linux\""}, {"Upgrade-Insecure-Requests", "1"},
         {"User-Agent", CHROME_UA}, {"Accept", CHROME_ACCEPT}, {"Sec-Fetch-Site", "none"},
         {"Sec-Fetch-Mode", "navigate"}, {"Sec-Fetch-User", "?1"},
         {"Sec-Fetch-Dest", "document"}, {"Accept-Encoding", "gzip, deflate, br, zstd"},
         {"Accept-Language", "en-US,en;q=0.9"}, {"Cookie", CHROME_COOKIE})},
    {.id = "real-firefox", .input = FIREFOX,
     OKR("GET", "/docs/index.html", "/docs/index.html", "", "developer.example.org", 1, ORIGIN,
         H | KA),
     FLD(15, {"Host", "developer.example.org"}, {"User-Agent", FIREFOX_UA},
         {"Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
         {"Accept-Language", "en-US,en;q=0.5"}, {"Accept-Encoding", "gzip, deflate, br"},
         {"Referer", "https://developer.example.org/"}, {"DNT", "1"},
         {"Connection", "keep-alive"}, {"Upgrade-Insecure-Requests", "1"},
         {"Sec-Fetch-Dest", "document"}, {"Sec-Fetch-Mode", "navigate"},
         {"Sec-Fetch-Site", "same-origin"}, {"Sec-Fetch-User", "?1"}, {"Priority", "u=1"},
         {"If-Modified-Since", "Tue, 09 Apr 2024 10:00:00 GMT"})},
    {.id = "real-curl-get",
     .input = "GET / HTTP/1.1\r\nHost: localhost:8080\r\nUser-Agent: curl/7.88.1\r\n"
              "Accept: */*\r\n\r\n",
     OKR("GET", "/", "/", "", "localhost:8080", 1, ORIGIN, H),
     FLD(3, {"Host", "localhost:8080"}, {"User-Agent", "curl/7.88.1"}, {"Accept", "*/*"})},
    {.id = "real-curl-post-body", .input = CURL_POST_HEAD "{\"a\":\"hello\"}",
     .head_len = sizeof(CURL_POST_HEAD) - 1,
     OKR("POST", "/api/items", "/api/items", "", "localhost:8080", 1, ORIGIN, H),
     FLD(5, {"Host", "localhost:8080"}, {"User-Agent", "curl/7.88.1"}, {"Accept", "*/*"},
         {"Content-Type", "application/json"}, {"Content-Length", "13"})},
    {.id = "real-curl-put-expect",
     .input = "PUT /up/f.bin HTTP/1.1\r\nHost: files.example\r\nUser-Agent: curl/7.88.1\r\n"
              "Accept: */*\r\nContent-Length: 2000000\r\nExpect: 100-continue\r\n\r\n",
     OKR("PUT", "/up/f.bin", "/up/f.bin", "", "files.example", 1, ORIGIN, H | CONT),
     FLD(5, {"Host", "files.example"}, {"User-Agent", "curl/7.88.1"}, {"Accept", "*/*"},
         {"Content-Length", "2000000"}, {"Expect", "100-continue"})},
    {.id = "real-wget",
     .input = "GET /f HTTP/1.1\r\nUser-Agent: Wget/1.21.3\r\nAccept: */*\r\n"
              "Accept-Encoding: identity\r\nHost: example.com\r\nConnection: Keep-Alive\r\n\r\n",
     OKR("GET", "/f", "/f", "", "example.com", 1, ORIGIN, H | KA),
     FLD(5, {"User-Agent", "Wget/1.21.3"}, {"Accept", "*/*"}, {"Accept-Encoding", "identity"},
         {"Host", "example.com"}, {"Connection", "Keep-Alive"})},
    {.id = "real-websocket",
     .input = "GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\n"
              "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
              "Sec-WebSocket-Version: 13\r\n\r\n",
     OKR("GET", "/chat", "/chat", "", "server.example.com", 1, ORIGIN, H | UPG),
     FLD(5, {"Host", "server.example.com"}, {"Upgrade", "websocket"}, {"Connection", "Upgrade"},
         {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="}, {"Sec-WebSocket-Version", "13"})},
    {.id = "real-pipelined", .input = PIPE_1 PIPE_2, .head_len = sizeof(PIPE_1) - 1,
     OKR("GET", "/one", "/one", "", "h", 1, ORIGIN, H), FLD(1, {"Host", "h"})},
    {.id = "real-10-keep-alive", .input = "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
     OKR("GET", "/", "/", "", "", 0, ORIGIN, KA), FLD(1, {"Connection", "keep-alive"})},
    /* 50 fields; fields 16..49 are checked by test_vectors.c (fifty_fields). */
    {.id = "real-fifty-fields", .input = FIFTY,
     OKR("GET", "/many", "/many", "", "example.com", 1, ORIGIN, H),
     FLD(50, {"Host", "example.com"}, {"X-Hdr-01", "val-01"}, {"X-Hdr-02", "val-02"},
         {"X-Hdr-03", "val-03"}, {"X-Hdr-04", "val-04"}, {"X-Hdr-05", "val-05"},
         {"X-Hdr-06", "val-06"}, {"X-Hdr-07", "val-07"}, {"X-Hdr-08", "val-08"},
         {"X-Hdr-09", "val-09"}, {"X-Hdr-10", "val-10"}, {"X-Hdr-11", "val-11"},
         {"X-Hdr-12", "val-12"}, {"X-Hdr-13", "val-13"}, {"X-Hdr-14", "val-14"},
         {"X-Hdr-15", "val-15"})},

    /* ---- limits with small values (test_limits.c covers the rest) ---- */
    {.id = "lim-request-line-exact", .input = LIM_RL "\r\n",
     .opts = {.max_request_line = sizeof(LIM_RL) - 1},
     OKR("GET", "/abc", "/abc", "", "", 0, ORIGIN, 0), FLD(0)},
    EO("lim-request-line-over", LIM_RL "\r\n", WARD_E_REQUEST_LINE_TOO_LONG,
       .max_request_line = sizeof(LIM_RL) - 2),
    EO("lim-request-line-no-end", "GET /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", WARD_E_REQUEST_LINE_TOO_LONG,
       .max_request_line = 16),
    EO("lim-request-line-bad-byte-first", "GET /a\x01" "aaaaaaaaaaaaaaaaaaaa", WARD_E_TARGET,
       .max_request_line = 16),
    {.id = "lim-head-exact", .input = LIM_2F, .opts = {.max_head = sizeof(LIM_2F) - 1},
     OKR("GET", "/", "/", "", "a", 1, ORIGIN, H), FLD(2, {"Host", "a"}, {"X", "b"})},
    EO("lim-head-over", LIM_2F, WARD_E_HEAD_TOO_LARGE, .max_head = sizeof(LIM_2F) - 2),
    {.id = "lim-fields-exact", .input = LIM_2F, .opts = {.max_fields = 2},
     OKR("GET", "/", "/", "", "a", 1, ORIGIN, H), FLD(2, {"Host", "a"}, {"X", "b"})},
    EO("lim-fields-over", LIM_2F, WARD_E_TOO_MANY_FIELDS, .max_fields = 1),
    {.id = "lim-field-line-exact", .input = LIM_2F,
     .opts = {.max_field_line = sizeof("Host: a\r\n") - 1},
     OKR("GET", "/", "/", "", "a", 1, ORIGIN, H), FLD(2, {"Host", "a"}, {"X", "b"})},
    EO("lim-field-line-over", LIM_2F, WARD_E_FIELD_LINE_TOO_LONG,
       .max_field_line = sizeof("Host: a\r\n") - 2),

    /* ---- incomplete input ---- */
    E("again-empty", "", WARD_AGAIN),
    E("again-no-final-crlf", "GET / HTTP/1.1\r\nHost: a\r\n", WARD_AGAIN),
    E("again-cr", "GET / HTTP/1.1\r", WARD_AGAIN),
    E("again-final-cr", "GET / HTTP/1.1\r\nHost: a\r\n\r", WARD_AGAIN),
    E("again-lead-crlf", "\r\n", WARD_AGAIN),
    E("again-fold-pending", "GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n", WARD_AGAIN),
};

const size_t ward_nvectors = sizeof ward_vectors / sizeof ward_vectors[0];
