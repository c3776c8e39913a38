/*
 * base/compat.h - banned functions, turned into compile errors.
 *
 * Included by every translation unit through the compiler command line
 * (-include), so no file can forget it. Each banned call has a safer form in
 * base/: buf_addf() for sprintf, str_copy() for strcpy, str_to_int64() for atoi,
 * gmtime_r()/localtime_r() for their non-reentrant forms.
 */
#pragma once

/* System headers first, so their own declarations are not rewritten. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef gets
#define gets(x) BANNED(gets)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef atol
#define atol(x) BANNED(atol)
#undef gmtime
#define gmtime(x) BANNED(gmtime)
#undef localtime
#define localtime(x) BANNED(localtime)
