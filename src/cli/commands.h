/*
 * cli/commands.h - the handler of every subcommand, for the table in commands.c.
 * Each lives in its module's *_cmd.c (or in src/cli/ for the core ones).
 */
#pragma once

struct cli_ctx;

int cmd_serve(struct cli_ctx *ctx);   /* http/serve_cmd.c */
int cmd_init(struct cli_ctx *ctx);    /* cli/init_cmd.c */
int cmd_user(struct cli_ctx *ctx);    /* auth/user_cmd.c */
int cmd_agency(struct cli_ctx *ctx);  /* auth/agency_cmd.c */
int cmd_token(struct cli_ctx *ctx);   /* auth/token_cmd.c */
int cmd_audit(struct cli_ctx *ctx);   /* audit/audit_cmd.c */
int cmd_backup(struct cli_ctx *ctx);  /* cli/backup_cmd.c */
int cmd_config(struct cli_ctx *ctx);  /* cli/info_cmd.c */
int cmd_routes(struct cli_ctx *ctx);  /* cli/info_cmd.c */
int cmd_version(struct cli_ctx *ctx); /* cli/info_cmd.c */
int cmd_ident(struct cli_ctx *ctx);   /* intel/intel_cmd.c */
int cmd_lookup(struct cli_ctx *ctx);  /* intel/intel_cmd.c */
int cmd_report(struct cli_ctx *ctx);  /* intel/intel_cmd.c */
int cmd_case(struct cli_ctx *ctx);    /* intel/intel_cmd.c */
int cmd_warning(struct cli_ctx *ctx); /* intel/listing_cmd.c */
int cmd_dispute(struct cli_ctx *ctx); /* intel/listing_cmd.c */
int cmd_import(struct cli_ctx *ctx);  /* intel/import_cmd.c */
/* `import flows`, called by cmd_import (graph/flow_cmd.c) */
int graph_cmd_import_flows(struct cli_ctx *ctx, int argc, char **argv);
int cmd_graph(struct cli_ctx *ctx);   /* graph/graph_cmd.c */
int cmd_demo(struct cli_ctx *ctx);    /* intel/demo_cmd.c */
int cmd_order(struct cli_ctx *ctx);   /* rpz/order_cmd.c */
int cmd_passthru(struct cli_ctx *ctx); /* rpz/rpz_cmd.c */
int cmd_rpz(struct cli_ctx *ctx);     /* rpz/rpz_cmd.c */
int cmd_incident(struct cli_ctx *ctx); /* incident/incident_cmd.c */
