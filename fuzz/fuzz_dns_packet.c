/*
 * fuzz/fuzz_dns_packet.c - libFuzzer target for the DNS primary's packet
 * handling (src/dns/query.c and every answer behind it: plain queries,
 * AXFR, IXFR, TSIG), on a small RPZ zone in a temporary database built at
 * the first call. The first input byte chooses the transport and the
 * client: bit 0 TCP, bit 1 the TSIG secondary's address (127.0.0.1) rather
 * than the address-only one (10.1.2.3); the rest is the DNS message.
 * Every response must parse as DNS and keep the query's id.
 */
#include <ldns/ldns.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/err.h"
#include "base/log.h"
#include "base/str.h"
#include "cli/cli.h"
#include "config/config.h"
#include "dns/internal.h"
#include "rpz/internal.h"
#include "rpz/rpz.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct dns_ctx ctx;
static uint16_t query_id;

static int check_send(struct dns_out *o, const uint8_t *wire, size_t len)
{
	ldns_pkt *p = NULL;

	(void)o;
	if (len < 12 || ldns_wire2pkt(&p, wire, len) != LDNS_STATUS_OK)
		abort(); /* we sent something that is not DNS */
	if (ldns_pkt_id(p) != query_id || !ldns_pkt_qr(p))
		abort();
	ldns_pkt_free(p);
	return 0;
}

static void add_records(struct store_conn *c, int64_t zone_id)
{
	struct rpz_rrs adds = RPZ_RRS_INIT;
	struct rpz_notices notices = RPZ_NOTICES_INIT;

	rpz_rrs_add(&adds, "bad.example.rpz.test.", 5, 60, ".");
	rpz_rrs_add(&adds, "*.bad.example.rpz.test.", 5, 60, ".");
	rpz_rrs_add(&adds, "nodata.example.rpz.test.", 5, 60, "*.");
	rpz_rrs_add(&adds, "redirect.example.rpz.test.", 1, 60, "192.0.2.1");
	rpz_rrs_add(&adds, "redirect.example.rpz.test.", 28, 60, "2001:db8::1");
	if (store_begin(c) || rpz_zone_write(c, zone_id, NULL, &adds, false, "fuzz", &notices) ||
		rpz_commit(c, &notices))
		abort();
	rpz_rrs_release(&adds);
}

static void setup(void)
{
	static struct store *db;
	struct err_msg err = ERR_MSG_INIT;
	const struct store_module_schema *schemas;
	struct dns_acl *acl = NULL;
	struct store_conn *c;
	struct config cfg;
	char dir[] = "/tmp/rootcut-fuzz-dns-XXXXXX", path[256];
	int64_t zone_id;
	size_t n;

	log_set_level(LOG_ERROR);
	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof(path), "%s/rootcut.db", dir);
	if (store_open(path, NULL, &db, &err))
		abort();
	c = store_acquire(db);
	schemas = cli_schemas(&n);
	config_defaults(&cfg);
	str_copy(cfg.rpz_zones, sizeof(cfg.rpz_zones), "rpz.test");
	cfg.rpz_journal_keep = 3;
	rpz_configure(&cfg);
	if (store_migrate(c, schemas, n, &err) || rpz_zones_sync(c, &err) ||
		rpz_zone_id(c, "rpz.test.", &zone_id))
		abort();
	add_records(c, zone_id);
	store_release(c);
	if (dns_acl_parse("isp allow=127.0.0.1 key=isp-key.\nopen allow=10.0.0.0/8\n",
		    "isp-key. hmac-sha256 c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0IQ==\n", &acl, &err))
		abort();
	ctx.store = db;
	ctx.acl = acl;
	ctx.cache = dns_index_cache_new();
	/* the database lives as long as the process; only the directory entries go */
	unlink(path);
	snprintf(path, sizeof(path), "%s/rootcut.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/rootcut.db-shm", dir);
	unlink(path);
	rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dns_out out = { check_send, false };
	struct sockaddr_storage from;
	socklen_t len;

	if (!ctx.store)
		setup();
	if (size < 1)
		return 0;
	out.tcp = data[0] & 1;
	dns_addr_parse(data[0] & 2 ? "127.0.0.1" : "10.1.2.3", 53, &from, &len);
	query_id = size >= 3 ? (uint16_t)(data[1] << 8 | data[2]) : 0;
	dns_handle(&ctx, data + 1, size - 1, (const struct sockaddr *)&from, &out);
	return 0;
}
