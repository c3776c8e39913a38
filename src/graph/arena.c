/*
 * graph/arena.c - a chunked bump allocator for the texts of an import batch
 * and of one analysis: everything is freed at once, nothing one by one.
 */
#include "graph/internal.h"

#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

#define CHUNK (256 * 1024)

struct graph_arena_chunk {
	struct graph_arena_chunk *next;
	size_t used, size;
	char data[];
};

void *graph_arena_alloc(struct graph_arena *a, size_t n)
{
	struct graph_arena_chunk *c = a->head;

	n = (n + 7) & ~(size_t)7;
	if (!c || c->size - c->used < n) {
		size_t size = n > CHUNK ? n : CHUNK;
		c = xmalloc(sizeof(*c) + size);
		c->used = 0;
		c->size = size;
		c->next = a->head;
		a->head = c;
	}
	c->used += n;
	return c->data + c->used - n;
}

const char *graph_arena_strdup(struct graph_arena *a, const char *s)
{
	size_t n = strlen(s) + 1;

	if (n == 1)
		return "";
	return memcpy(graph_arena_alloc(a, n), s, n);
}

void graph_arena_reset(struct graph_arena *a)
{
	graph_arena_release(a);
}

void graph_arena_release(struct graph_arena *a)
{
	struct graph_arena_chunk *c = a->head, *next;

	for (; c; c = next) {
		next = c->next;
		free(c);
	}
	a->head = NULL;
}
