/*
 * rpz/serial.c - SOA serials. A zone counts its changes in a 64-bit version
 * that only grows (stored, so it survives restarts; independent of the date,
 * so any number of changes a day is fine). The serial is the version modulo
 * 2^32: each change adds one, which RFC 1982 always reads as "later", also
 * across the wrap from 4294967295 to 0.
 *
 * Going back from a serial a secondary holds to the version it stands for is
 * unambiguous while the secondary is less than 2^31 changes behind; the
 * journal keeps far fewer (rpz_journal_keep), so anything older gets AXFR.
 */
#include "rpz/internal.h"

#include "base/err.h"

#define HALF 0x80000000u

uint32_t rpz_serial_of(int64_t version)
{
	return (uint32_t)((uint64_t)version & 0xffffffffu);
}

bool rpz_serial_before(uint32_t a, uint32_t b)
{
	return a != b && (uint32_t)(b - a) < HALF;
}

int rpz_serial_version(int64_t current, uint32_t serial, int64_t *out)
{
	uint32_t behind = rpz_serial_of(current) - serial;

	if (behind >= HALF || (int64_t)behind > current)
		return ERR_NOTFOUND;
	*out = current - (int64_t)behind;
	return 0;
}
