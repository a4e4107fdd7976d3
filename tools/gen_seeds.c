/* gen_seeds.c - writes the parser's test vectors as a fuzz seed corpus.
 *
 *   gen_seeds [-r] DIR
 *
 * One file per vector, named by its id, in DIR (created if missing). By
 * default each file is fuzz_head's input format: the option prefix that
 * gives the vector's flags and limits (see the top of fuzz/fuzz_head.c),
 * then the vector's bytes; with -r, the bytes alone. Linked with
 * tests/parser/vectors.c; run at build time, never checked in.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vectors.h"

/* fuzz_head's option prefix (keep in step with decode_cfg there) */
#define OPT_LIMITS 0x10u

static void put_limit(uint8_t *p, uint32_t v)
{
    if (v > 0xFFFEu)
        v = 0xFFFFu; /* fuzz_head reads 0xFFFF as UINT32_MAX: clamped alike */
    p[0] = (uint8_t)(v & 0xFFu);
    p[1] = (uint8_t)(v >> 8);
}

static size_t encode_opts(const ward_parse_opts *o, uint8_t out[9])
{
    out[0] = (uint8_t)(o->flags & WARD_PARSE_FLAGS_ALL);
    if (o->max_request_line == 0 && o->max_field_line == 0 && o->max_fields == 0 && o->max_head == 0)
        return 1;
    out[0] |= OPT_LIMITS;
    put_limit(out + 1, o->max_request_line);
    put_limit(out + 3, o->max_field_line);
    put_limit(out + 5, o->max_fields);
    put_limit(out + 7, o->max_head);
    return 9;
}

/* A file name from an id: [A-Za-z0-9._-] kept, anything else '_'. */
static void file_name(char *out, size_t cap, const char *id)
{
    size_t k = 0;
    for (; id[k] != '\0' && k + 1 < cap; k++) {
        char ch = id[k];
        int keep = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
                   ch == '.' || ch == '_' || ch == '-';
        out[k] = keep ? ch : '_';
    }
    out[k] = '\0';
    if (k == 0 || out[0] == '.')
        out[0] = '_';
}

static int write_seed(const char *dir, const struct ward_vector *v, int raw)
{
    char name[256], path[4096];
    uint8_t prefix[9];
    size_t np = raw ? 0 : encode_opts(&v->opts, prefix);
    size_t len = v->len != 0 ? v->len : strlen(v->input);
    FILE *f;
    int ok;

    file_name(name, sizeof name, v->id);
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path) {
        fprintf(stderr, "gen_seeds: path too long for %s\n", v->id);
        return -1;
    }
    f = fopen(path, "wb");
    if (f == NULL) {
        fprintf(stderr, "gen_seeds: %s: %s\n", path, strerror(errno));
        return -1;
    }
    ok = fwrite(prefix, 1, np, f) == np && fwrite(v->input, 1, len, f) == len;
    if (fclose(f) != 0 || !ok) {
        fprintf(stderr, "gen_seeds: %s: write failed\n", path);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int raw = argc == 3 && strcmp(argv[1], "-r") == 0;
    const char *dir = argv[argc - 1];

    if (argc != 2 + raw) {
        fprintf(stderr, "usage: gen_seeds [-r] DIR\n");
        return 2;
    }
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "gen_seeds: %s: %s\n", dir, strerror(errno));
        return 1;
    }
    for (size_t k = 0; k < ward_nvectors; k++) {
        if (write_seed(dir, &ward_vectors[k], raw) != 0)
            return 1;
    }
    printf("gen_seeds: %zu seeds in %s\n", ward_nvectors, dir);
    return 0;
}
