/*
 * intel/case_number.h - Taiwanese case numbers (案號) such as 112年度偵字第1234號:
 * ROC year, case word (字別: 偵, 他, 偵緝, 金訴 …), serial number.
 */
#pragma once
#include <stdint.h>

struct err_msg;

struct case_number {
	int roc_year;     /* 112 */
	char word[32];    /* "偵" (UTF-8, 1 to 6 CJK characters) */
	int64_t serial;   /* 1234 */
	char text[96];    /* canonical: "112年度偵字第1234號" */
};

/*
 * Parse s: "112年度偵字第1234號", with full-width digits, spaces, the 年度 or
 * 年 spelling, or without 第/號. Fills *out and returns 0, or ERR_INVAL with
 * err (field "number") naming what is wrong (year out of range, no case word …).
 */
int case_number_parse(const char *s, struct case_number *out, struct err_msg *err);
