/* test_chunked.c - placeholder, being written. */
#include <criterion/criterion.h>
