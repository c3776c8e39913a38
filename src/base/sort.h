/*
 * base/sort.h - sort_items(): qsort() for arrays that may be empty. qsort()
 * with a NULL base is undefined even for zero items, and an empty list is
 * often NULL here (UBSan stops `make asan` on it). Use it instead of qsort().
 */
#ifndef ROOTCUT_BASE_SORT_H
#define ROOTCUT_BASE_SORT_H

#include <stdlib.h>

static inline void sort_items(void *base, size_t n, size_t size,
	int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

#endif
