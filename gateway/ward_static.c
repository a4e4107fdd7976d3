/* SPDX-License-Identifier: MIT */
/* ward_static.c - the static site gateway (ward_static.h says the rules).
 * It uses only the public ward_server.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "ward_static.h"

#define PATH_CAP 4096

int ward_static_init(ward_static *st, const char *dir)
{
    memset(st, 0, sizeof *st);
    st->rootfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (st->rootfd < 0)
        return -1;
    if (realpath(dir, st->root_real) == NULL) {
        int e = errno;
        close(st->rootfd);
        st->rootfd = -1;
        errno = e;
        return -1;
    }
    return 0;
}

void ward_static_close(ward_static *st)
{
    if (st->rootfd >= 0)
        close(st->rootfd);
    st->rootfd = -1;
}

/* A complete text/plain response: status, Content-Type, Content-Length, msg. */
static int text_answer(ward_resp *resp, int status, const char *msg)
{
    char len[24];

    snprintf(len, sizeof len, "%zu", strlen(msg));
    if (ward_resp_status(resp, status, NULL) != 0 ||
        ward_resp_field(resp, "Content-Type", "text/plain; charset=utf-8") != 0 ||
        ward_resp_field(resp, "Content-Length", len) != 0)
        return -1;
    return ward_resp_write(resp, msg, strlen(msg));
}

static const char *content_type(const char *name)
{
    static const char *const map[][2] = {
        {".html", "text/html; charset=utf-8"},
        {".htm", "text/html; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".txt", "text/plain; charset=utf-8"},
        {".md", "text/plain; charset=utf-8"}, /* browsers show it rather than download it */
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".json", "application/json"},
        {".xml", "application/xml"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".jpeg", "image/jpeg"},
        {".gif", "image/gif"},
        {".webp", "image/webp"},
        {".avif", "image/avif"},
        {".ico", "image/x-icon"},
        {".woff", "font/woff"},
        {".woff2", "font/woff2"},
        {".ttf", "font/ttf"},
        {".otf", "font/otf"},
        {".pdf", "application/pdf"},
        {".wasm", "application/wasm"},
        {".zip", "application/zip"},
        {".gz", "application/gzip"},
        {".tar", "application/x-tar"},
        {".mp4", "video/mp4"},
        {".webm", "video/webm"},
        {".mp3", "audio/mpeg"},
        {".ogg", "audio/ogg"},
        {".wav", "audio/wav"},
    };
    const char *slash = strrchr(name, '/');
    const char *dot = strrchr(slash ? slash : name, '.');

    for (size_t i = 0; dot != NULL && i < sizeof map / sizeof map[0]; i++)
        if (strcasecmp(dot, map[i][0]) == 0)
            return map[i][1];
    return "application/octet-stream";
}

static int hexval(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The request path, decoded once and normalised, into out (relative to
 * the root, no leading '/', "" for the root itself). *trailing: the path
 * ended with '/'. Returns 0, or the status to answer (400, 404). */
static int resolve(ward_bytes path, char *out, size_t cap, int *trailing)
{
    char seg[PATH_CAP];
    size_t o = 0, s = 0, i = 0;

    *trailing = 0;
    out[0] = '\0';
    if (path.len == 0 || path.ptr[0] != '/' || path.len >= cap)
        return 400;
    *trailing = path.ptr[path.len - 1] == '/';
    while (i <= path.len) {
        uint8_t c = i < path.len ? path.ptr[i] : '/';
        if (c == '%') {
            int hi = i + 2 < path.len ? hexval(path.ptr[i + 1]) : -1;
            int lo = i + 2 < path.len ? hexval(path.ptr[i + 2]) : -1;
            if (hi < 0 || lo < 0)
                return 400;
            c = (uint8_t)(hi * 16 + lo);
            if (c == '/' || c == '\0' || c == '\\')
                return 400; /* an encoded separator or NUL: refused */
            i += 3;
            seg[s++] = (char)c;
            continue;
        }
        i++;
        if (c != '/') {
            seg[s++] = (char)c;
            continue;
        }
        /* the end of a segment */
        if (s == 0 || (s == 1 && seg[0] == '.')) {
            s = 0;
            continue;
        }
        if (s == 2 && seg[0] == '.' && seg[1] == '.') {
            if (o == 0)
                return 400; /* above the root */
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--; /* the '/' before the dropped segment */
            out[o] = '\0';
            s = 0;
            continue;
        }
        if (seg[0] == '.')
            return 404; /* dot files are not served */
        if (o + s + 2 >= cap)
            return 400;
        if (o > 0)
            out[o++] = '/';
        memcpy(out + o, seg, s);
        o += s;
        out[o] = '\0';
        s = 0;
    }
    return 0;
}

/* Open rel beneath the root; -1 with errno (EXDEV, ELOOP: it left the root). */
static int open_beneath(const ward_static *st, const char *rel)
{
    struct open_how how;
    char proc[64], real[PATH_CAP];
    size_t rl = strlen(st->root_real);
    ssize_t n;
    long fd;
    int e;

    memset(&how, 0, sizeof how);
    how.flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC; /* a FIFO must not stall a worker */
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    fd = syscall(SYS_openat2, st->rootfd, rel[0] ? rel : ".", &how, sizeof how);
    if (fd >= 0 || errno != ENOSYS)
        return (int)fd;
    /* no openat2: open, then check where it landed */
    fd = openat(st->rootfd, rel[0] ? rel : ".", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return -1;
    snprintf(proc, sizeof proc, "/proc/self/fd/%ld", fd);
    n = readlink(proc, real, sizeof real - 1);
    if (n < 0 || (size_t)n < rl || memcmp(real, st->root_real, rl) != 0 ||
        ((size_t)n > rl && real[rl] != '/' && rl > 1)) {
        e = n < 0 ? errno : EXDEV;
        close((int)fd);
        errno = e;
        return -1;
    }
    return (int)fd;
}

static const char *const wday[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

static void http_date(time_t t, char out[64])
{
    struct tm tm;

    gmtime_r(&t, &tm);
    snprintf(out, 64, "%s, %02d %s %04d %02d:%02d:%02d GMT", wday[tm.tm_wday % 7], tm.tm_mday,
             mon[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* IMF-fixdate only (RFC 9110 §5.6.7); -1 when it is not one. */
static time_t parse_date(ward_bytes v)
{
    char s[30], m[4];
    struct tm tm;
    int d, y, hh, mm, ss, mi = -1;

    if (v.ptr == NULL || v.len != 29)
        return -1;
    memcpy(s, v.ptr, 29);
    s[29] = '\0';
    if (sscanf(s + 5, "%2d %3s %4d %2d:%2d:%2d", &d, m, &y, &hh, &mm, &ss) != 6 ||
        strcmp(s + 25, " GMT") != 0)
        return -1;
    for (int i = 0; i < 12; i++)
        if (strcmp(m, mon[i]) == 0)
            mi = i;
    if (mi < 0)
        return -1;
    memset(&tm, 0, sizeof tm);
    tm.tm_mday = d;
    tm.tm_mon = mi;
    tm.tm_year = y - 1900;
    tm.tm_hour = hh;
    tm.tm_min = mm;
    tm.tm_sec = ss;
    return timegm(&tm);
}

/* RFC 9110 §13.1.2: weak comparison of If-None-Match's list with etag;
 * "*" matches any. */
static int etag_listed(ward_bytes v, const char *etag)
{
    size_t el = strlen(etag), i = 0;

    while (i < v.len) {
        size_t j;
        while (i < v.len && (v.ptr[i] == ' ' || v.ptr[i] == '\t' || v.ptr[i] == ','))
            i++;
        if (i < v.len && v.ptr[i] == '*')
            return 1;
        if (i + 2 <= v.len && v.ptr[i] == 'W' && v.ptr[i + 1] == '/')
            i += 2;
        j = i;
        while (j < v.len && v.ptr[j] != ',')
            j++;
        while (j > i && (v.ptr[j - 1] == ' ' || v.ptr[j - 1] == '\t'))
            j--;
        if (j - i == el && memcmp(v.ptr + i, etag, el) == 0)
            return 1;
        while (i < v.len && v.ptr[i] != ',')
            i++;
    }
    return 0;
}

static int parse_u64(const uint8_t *p, size_t n, uint64_t *out)
{
    uint64_t v = 0;

    if (n == 0 || n > 19)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (uint64_t)(p[i] - '0');
    }
    *out = v;
    return 0;
}

/* RFC 9110 §14.1.1, one range only. 0: none to honour (absent, bad, several:
 * the whole file); 1: [*first, *last]; -1: unsatisfiable (416). */
static int parse_range(ward_bytes v, uint64_t size, uint64_t *first, uint64_t *last)
{
    const uint8_t *p = v.ptr;
    size_t n = v.len, dash;
    uint64_t a, b;

    if (p == NULL || n < 7 || strncasecmp((const char *)p, "bytes=", 6) != 0)
        return 0;
    p += 6;
    n -= 6;
    while (n > 0 && (p[0] == ' ' || p[0] == '\t'))
        p++, n--;
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    if (memchr(p, ',', n) != NULL)
        return 0; /* several ranges: the whole file */
    for (dash = 0; dash < n && p[dash] != '-'; dash++)
        ;
    if (dash == n)
        return 0;
    if (dash == 0) { /* suffix: the last b bytes */
        if (parse_u64(p + 1, n - 1, &b) != 0)
            return 0;
        if (b == 0 || size == 0)
            return -1;
        *first = b >= size ? 0 : size - b;
        *last = size - 1;
        return 1;
    }
    if (parse_u64(p, dash, &a) != 0)
        return 0;
    if (dash + 1 == n) {
        b = UINT64_MAX;
    } else if (parse_u64(p + dash + 1, n - dash - 1, &b) != 0 || b < a) {
        return 0;
    }
    if (a >= size)
        return -1;
    *first = a;
    *last = b >= size ? size - 1 : b;
    return 1;
}

/* The normalised path, percent-encoded for a Location field. */
static void location(const char *rel, ward_bytes query, char *out, size_t cap)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;

    out[o++] = '/';
    for (const char *p = rel; *p != '\0' && o + 5 < cap; p++) {
        unsigned char c = (unsigned char)*p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr("/-._~!$&'()*+,;=:@", c) != NULL) {
            out[o++] = (char)c;
        } else {
            out[o++] = '%';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
        }
    }
    if (rel[0] != '\0' && o + 1 < cap)
        out[o++] = '/';
    if (query.len > 0 && o + query.len + 2 < cap) {
        out[o++] = '?';
        memcpy(out + o, query.ptr, query.len);
        o += query.len;
    }
    out[o] = '\0';
}

static int send_file(ward_resp *resp, const ward_req *req, int fd, const struct stat *st,
                     const char *name, int is_get)
{
    char etag[80], lm[64], num[24], cr[80];
    ward_bytes inm = ward_req_field(req, "If-None-Match");
    ward_bytes ims = ward_req_field(req, "If-Modified-Since");
    ward_bytes range = ward_req_field(req, "Range");
    ward_bytes ifr = ward_req_field(req, "If-Range");
    uint64_t size = (uint64_t)st->st_size, first = 0, last = size ? size - 1 : 0;
    int status = 200, r = 0;

    snprintf(etag, sizeof etag, "\"%llx-%llx-%llx\"", (unsigned long long)st->st_ino,
             (unsigned long long)st->st_size,
             (unsigned long long)st->st_mtim.tv_sec * 1000000000ull +
                 (unsigned long long)st->st_mtim.tv_nsec);
    http_date(st->st_mtim.tv_sec, lm);
    /* RFC 9110 §13.2.2: If-None-Match, else If-Modified-Since */
    if (inm.ptr != NULL ? etag_listed(inm, etag)
                        : (ims.ptr != NULL && parse_date(ims) >= 0 &&
                           st->st_mtim.tv_sec <= parse_date(ims)))
        status = 304;
    if (status == 200 && is_get && range.ptr != NULL) {
        /* If-Range: a strong ETag or the exact Last-Modified */
        int fresh = ifr.ptr == NULL ||
                    (ifr.len == strlen(etag) && memcmp(ifr.ptr, etag, ifr.len) == 0) ||
                    (ifr.len == strlen(lm) && memcmp(ifr.ptr, lm, ifr.len) == 0);
        r = fresh ? parse_range(range, size, &first, &last) : 0;
        status = r == 1 ? 206 : r == -1 ? 416 : 200;
    }
    if (ward_resp_status(resp, status, NULL) != 0 || ward_resp_field(resp, "ETag", etag) != 0 ||
        ward_resp_field(resp, "Last-Modified", lm) != 0)
        return -1;
    if (status == 304)
        return 0;
    if (ward_resp_field(resp, "Accept-Ranges", "bytes") != 0 ||
        ward_resp_field(resp, "X-Content-Type-Options", "nosniff") != 0)
        return -1;
    if (status == 416) {
        snprintf(cr, sizeof cr, "bytes */%llu", (unsigned long long)size);
        if (ward_resp_field(resp, "Content-Range", cr) != 0)
            return -1;
        return text_answer(resp, 416, "range not satisfiable\n");
    }
    if (ward_resp_field(resp, "Content-Type", content_type(name)) != 0)
        return -1;
    if (status == 206) {
        snprintf(cr, sizeof cr, "bytes %llu-%llu/%llu", (unsigned long long)first,
                 (unsigned long long)last, (unsigned long long)size);
        if (ward_resp_field(resp, "Content-Range", cr) != 0)
            return -1;
    }
    if (size == 0) {
        return ward_resp_field(resp, "Content-Length", "0");
    }
    snprintf(num, sizeof num, "%llu", (unsigned long long)(last - first + 1));
    if (ward_resp_field(resp, "Content-Length", num) != 0)
        return -1;
    return ward_resp_sendfile(resp, fd, (off_t)first, (size_t)(last - first + 1));
}

int ward_gateway_static(void *arg, const ward_req *req, ward_resp *resp)
{
    const ward_static *cfg = arg;
    int is_get = req->method.len == 3 && memcmp(req->method.ptr, "GET", 3) == 0;
    int is_head = req->method.len == 4 && memcmp(req->method.ptr, "HEAD", 4) == 0;
    char rel[PATH_CAP], loc[PATH_CAP * 3 + 16];
    int trailing, status, fd, rc;
    struct stat st;

    if (!is_get && !is_head) {
        if (ward_resp_field(resp, "Allow", "GET, HEAD") != 0)
            return -1;
        return text_answer(resp, 405, "only GET and HEAD are served\n");
    }
    status = resolve(req->path, rel, sizeof rel - 16, &trailing);
    if (status != 0)
        return text_answer(resp, status, status == 404 ? "not found\n" : "bad path\n");
    fd = open_beneath(cfg, rel);
    if (fd < 0)
        return errno == ENOENT || errno == ENOTDIR || errno == ENAMETOOLONG
                   ? text_answer(resp, 404, "not found\n")
                   : text_answer(resp, 403, "forbidden\n");
    if (fstat(fd, &st) != 0) {
        close(fd);
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        if (!trailing) {
            location(rel, req->query, loc, sizeof loc);
            if (ward_resp_field(resp, "Location", loc) != 0)
                return -1;
            return text_answer(resp, 301, "moved\n");
        }
        if (rel[0] != '\0')
            strcat(rel, "/");
        strcat(rel, "index.html");
        fd = open_beneath(cfg, rel);
        if (fd < 0)
            return text_answer(resp, 403, "forbidden\n"); /* no index.html: no listing */
        if (fstat(fd, &st) != 0) {
            close(fd);
            return -1;
        }
    } else if (trailing && rel[0] != '\0') {
        close(fd);
        return text_answer(resp, 404, "not found\n"); /* "/file.html/" */
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return text_answer(resp, 403, "forbidden\n");
    }
    rc = send_file(resp, req, fd, &st, rel, is_get);
    close(fd);
    return rc;
}
