#ifndef SWITCHYARD_CPCRE2_SHIM_H
#define SWITCHYARD_CPCRE2_SHIM_H
// Select the 8-bit (UTF-8) code unit width before including PCRE2.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#endif
