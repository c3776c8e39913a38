/*
 * graph/schema.c - the flows table: one row per flow (transfer, call,
 * resolution, contact, on-chain transfer) between two identifiers of the
 * anti-fraud database, unique by its source reference so that importing the
 * same records again adds nothing.
 */
#include "graph/graph.h"

#include "store/store.h"

static const struct store_migration migrations[] = {
	{ 1, "flows between identifiers",
		"CREATE TABLE flows ("
		" id @ID@,"
		" source_ref TEXT NOT NULL UNIQUE,"
		" kind TEXT NOT NULL,"
		" src_id INTEGER NOT NULL REFERENCES identifiers (id),"
		" dst_id INTEGER NOT NULL REFERENCES identifiers (id),"
		" at TEXT NOT NULL,"
		" amount_twd INTEGER NOT NULL DEFAULT 0,"
		" duration_s INTEGER NOT NULL DEFAULT 0,"
		" channel TEXT NOT NULL DEFAULT '',"
		" cell TEXT NOT NULL DEFAULT '',"
		" imei_id INTEGER REFERENCES identifiers (id),"
		" asset TEXT NOT NULL DEFAULT '',"
		" amount_asset TEXT NOT NULL DEFAULT '',"
		" created_at TEXT NOT NULL);"
		"CREATE INDEX flows_src ON flows (src_id);"
		"CREATE INDEX flows_dst ON flows (dst_id)" },
};

const struct store_module_schema *graph_schema(void)
{
	static const struct store_module_schema schema = { "graph", migrations,
		sizeof(migrations) / sizeof(migrations[0]) };
	return &schema;
}
