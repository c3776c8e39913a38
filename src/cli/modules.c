/*
 * cli/modules.c - the list of modules: their schemas (migrated in this order)
 * and their route tables. Adding a module means adding a line to each list.
 */
#include "cli/cli.h"

#include "audit/audit.h"
#include "audit/audit_api.h"
#include "auth/account.h"
#include "auth/auth_api.h"
#include "dns/verify.h"
#include "graph/graph.h"
#include "graph/graph_api.h"
#include "http/http.h"
#include "incident/incident.h"
#include "incident/incident_api.h"
#include "intel/intel.h"
#include "intel/intel_api.h"
#include "notify/notify.h"
#include "notify/notify_api.h"
#include "rpz/rpz.h"
#include "rpz/rpz_api.h"
#include "store/store.h"

const struct store_module_schema *cli_schemas(size_t *n)
{
	static struct store_module_schema list[8];

	list[0] = *store_schema();
	list[1] = *auth_schema();
	list[2] = *audit_schema();
	list[3] = *intel_schema();
	list[4] = *notify_schema();
	list[5] = *rpz_schema();
	list[6] = *graph_schema();
	list[7] = *incident_schema();
	*n = sizeof(list) / sizeof(list[0]);
	return list;
}

const struct http_route_table *cli_route_tables(size_t *n)
{
	static struct http_route_table list[9];

	list[0] = *http_core_routes();
	list[1] = *auth_routes();
	list[2] = *audit_routes();
	list[3] = *intel_routes();
	list[4] = *notify_routes();
	list[5] = *rpz_routes();
	list[6] = *dns_routes();
	list[7] = *graph_routes();
	list[8] = *incident_routes();
	*n = sizeof(list) / sizeof(list[0]);
	return list;
}
