/* test_frame.c - placeholder, being written. */
#include <criterion/criterion.h>
