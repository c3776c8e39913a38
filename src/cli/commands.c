/*
 * cli/commands.c - the one table of subcommands: name, handler, what main()
 * prepares for it, and its help text (docs/cli.md is generated from these).
 * To add a command follow docs/internals/adding-a-command.md.
 */
#include "cli/cli.h"

#include "cli/commands.h"

static const struct cli_command commands[] = {
	{ "serve", cmd_serve, CLI_CONFIG | CLI_STORE, "run the HTTP API and web UI",
		"usage: rootcut serve [--listen ADDR:PORT] [--threads N] [--ready-file FILE]\n"
		"                     [--dns ADDR:PORT]\n"
		"\n"
		"Serve the API (/api/v1/...), the web UI and /metrics until SIGINT or SIGTERM;\n"
		"SIGHUP reopens the access log (for logrotate).\n"
		"\n"
		"  --listen ADDR:PORT  where to listen (default 127.0.0.1:8080, env ROOTCUT_LISTEN;\n"
		"                      port 0 picks a free port; IPv6 as [::1]:8080)\n"
		"  --threads N         worker threads (default: one per CPU)\n"
		"  --ready-file FILE   once listening, write the base URL to FILE (for scripts)\n"
		"  --dns ADDR:PORT     also serve the RPZ zones as their DNS primary (UDP and TCP:\n"
		"                      queries, AXFR, IXFR, NOTIFY; env ROOTCUT_DNS_LISTEN; see\n"
		"                      dns_secondaries and dns_tsig_keys in `rootcut config`)\n"
		"\n"
		"HTTPS is served when tls_cert and tls_key are configured (see `rootcut config`).\n" },
	{ "init", cmd_init, CLI_CONFIG | CLI_STORE | CLI_CREATE,
		"create or migrate the database and the first admin",
		"usage: rootcut init [--admin NAME] [--demo [--demo-reports N]]\n"
		"\n"
		"Create the data directory and database (or migrate an existing one to this\n"
		"version), the center's agency, and the first administrator, whose one-time\n"
		"password is printed once. Running it again on an existing database only migrates.\n"
		"\n"
		"  --admin NAME  user name of the first administrator (default admin)\n"
		"  --demo        also load demonstration agencies and users; on a demo database\n"
		"                every run issues fresh passwords for the admin and demo users\n"
		"  --demo-reports N\n"
		"                with --demo: import N generated reports (default 2000, 0 for\n"
		"                none) and open cases around their rings; never twice\n" },
	{ "user", cmd_user, CLI_CONFIG | CLI_STORE, "add, list, disable and change users",
		"usage: rootcut user <subcommand> ...\n"
		"\n"
		"  add NAME --agency AGENCY --roles ROLES [--display-name TEXT] [--email ADDR]\n"
		"                            create a user; prints a one-time password\n"
		"  list [--agency AGENCY]    list users\n"
		"  show NAME                 show one user\n"
		"  disable NAME | enable NAME\n"
		"  passwd NAME               issue a new one-time password (ends their sessions)\n"
		"  roles NAME ROLES          replace the user's roles\n"
		"  agency NAME AGENCY        move the user to another agency\n"
		"  unlock NAME               clear a lockout after failed sign-ins\n"
		"  totp-reset NAME           turn off the second factor of a user who lost the device\n"
		"\n"
		"AGENCY is an agency id, code or name. ROLES is a comma-separated list of:\n"
		"admin, analyst, prosecutor, investigator, reporter, reviewer, dns_operator,\n"
		"auditor, api_client.\n" },
	{ "agency", cmd_agency, CLI_CONFIG | CLI_STORE, "add and list agencies",
		"usage: rootcut agency <subcommand> ...\n"
		"\n"
		"  add --name NAME --code CODE --kind KIND [--name-en NAME] [--supervisor AGENCY]\n"
		"  list\n"
		"\n"
		"KIND is one of: high_prosecutors, district_prosecutors, police,\n"
		"investigation_bureau, government, isp_registry, bank, telecom, foreign_partner.\n"
		"--supervisor names the supervisory authority (上級/主管機關) by id, code or name.\n" },
	{ "token", cmd_token, CLI_CONFIG | CLI_STORE, "create, list and revoke API tokens",
		"usage: rootcut token <subcommand> ...\n"
		"\n"
		"  create --user NAME --name LABEL --scopes SCOPES [--days N]\n"
		"                    create a token; its secret is printed once (default 90 days,\n"
		"                    0 = no expiry)\n"
		"  list [--user NAME]\n"
		"  revoke ID\n"
		"\n"
		"SCOPES is a comma-separated list of: read, write, admin, audit, metrics, lookup.\n"
		"A token acts as its user, narrowed to its scopes.\n" },
	{ "report", cmd_report, CLI_CONFIG | CLI_STORE, "file and read reports",
		"usage: rootcut report <subcommand> ...\n"
		"\n"
		"  add --agency AGENCY --channel CHANNEL --crime-type TYPE [--occurred TIME]\n"
		"      [--reported TIME] [--loss TWD] [--payment METHOD] [--victim KIND]\n"
		"      [--narrative TEXT] [--source-ref REF] [--ident TYPE:ROLE=VALUE ...]\n"
		"                 store a report; TYPE may be auto (detected from the value)\n"
		"  show ID        print a report (audited)\n"
		"\n"
		"TIME accepts ISO 8601, 2024-03-01, 113/03/01 and 民國113年3月1日 (Asia/Taipei).\n"
		"Crime types: investment_fraud, romance_fraud, impersonation, online_shopping,\n"
		"gambling, ransomware, intrusion, data_leak, money_laundering, other.\n"
		"Roles: caller, sms_sender, receiving_account, first_layer_account, website, domain,\n"
		"ip, email, wallet, contact_account, device, suspect, victim.\n" },
	{ "case", cmd_case, CLI_CONFIG | CLI_STORE, "open cases, add members, link reports",
		"usage: rootcut case <subcommand> ...\n"
		"\n"
		"  add NUMBER --office AGENCY --owner USER [--title TEXT]\n"
		"                 open a case, e.g. 112年度偵字第1234號\n"
		"  list           the newest 500 cases\n"
		"  member NUMBER USER ROLE\n"
		"                 add USER as owner, prosecutor, investigator, analyst or viewer\n"
		"  link NUMBER REPORT_ID\n"
		"                 link a report to the case\n" },
	{ "warning", cmd_warning, CLI_CONFIG | CLI_STORE,
		"the warning list: identifiers that never correlate",
		"usage: rootcut warning <subcommand> ...\n"
		"\n"
		"  list [--type TYPE]         every entry: id, type, value, reason, who added it\n"
		"  add TYPE VALUE --reason TEXT\n"
		"                             put an identifier on the list (audited); TYPE may be\n"
		"                             auto. An IP entry may be a CIDR range; a domain entry\n"
		"                             also covers URLs and e-mail addresses under it\n"
		"  remove ID                  take entry ID off the list (audited)\n"
		"\n"
		"Identifiers on the warning list (the 165 hotline, banks' service numbers, big\n"
		"platforms, public resolvers ...) are stored with reports but never counted or\n"
		"correlated, and the lookup service answers none for them.\n" },
	{ "dispute", cmd_dispute, CLI_CONFIG | CLI_STORE, "decide owners' disputes of a listing",
		"usage: rootcut dispute <subcommand> ...\n"
		"\n"
		"  list [--status open|upheld|rejected]\n"
		"                             disputes, newest first (reading them is audited)\n"
		"  decide ID upheld|rejected [--note TEXT]\n"
		"                             upheld clears the identifier: the lookup service\n"
		"                             answers none (its reports stay and still correlate);\n"
		"                             the submitter is notified either way (audited)\n"
		"\n"
		"Disputes are filed through POST /api/v1/disputes by whoever receives the owner's\n"
		"complaint (a bank, a telecom, the 165 hotline, a case worker).\n" },
	{ "lookup", cmd_lookup, CLI_CONFIG | CLI_STORE, "is this identifier flagged?",
		"usage: rootcut lookup TYPE VALUE\n"
		"\n"
		"Print the risk of an identifier as the lookup service answers banks and telecoms:\n"
		"none, reported, confirmed or seized, with counts and first and last seen. TYPE is\n"
		"phone, bank_account, domain, url, ip, email, wallet, line_id, telegram,\n"
		"social_profile, imei, or auto.\n" },
	{ "ident", cmd_ident, 0, "parse and normalise an identifier",
		"usage: rootcut ident TYPE VALUE\n"
		"\n"
		"Show how rootcut reads VALUE: canonical form, display form, type details and the\n"
		"identifiers derived from it (a URL's domain). TYPE may be auto. Touches no data.\n" },
	{ "import", cmd_import, CLI_CONFIG | CLI_STORE,
		"import reports or flows in bulk (CSV, TSV, JSON Lines)",
		"usage: rootcut import reports FILE [--format csv|tsv|jsonl] [--encoding utf-8|big5]\n"
		"                             [--map COLUMN=FIELD ...] [--set FIELD=VALUE ...]\n"
		"                             [--agency AGENCY] [--batch N | --bulk] [--skip N]\n"
		"                             [--columns A,B,...] [--rejects FILE] [--quiet]\n"
		"       rootcut import flows FILE --kind transfer|call|resolution|contact|chain\n"
		"                             [--format csv|jsonl] [--batch N] [--rejects FILE] [--quiet]\n"
		"\n"
		"import flows stores every good row as a flow between two identifiers (bank\n"
		"transfers, call records, domain resolutions, contacts, on-chain transfers; the\n"
		"columns of each kind are in docs/user/flows.md); re-importing adds nothing.\n"
		"\n"
		"Store every good row of FILE (- for standard input) as a report with its\n"
		"identifiers; report every bad row with its line, field and reason. Importing the\n"
		"same rows again adds nothing: a row without a source_ref gets one from its content.\n"
		"The columns and their mapping are described in docs/user/import.md.\n"
		"\n"
		"  --format FMT        csv (default; RFC 4180), tsv (tab-separated, no quoting) or\n"
		"                      jsonl (the fields of POST /api/v1/reports); by default from\n"
		"                      the file name (.csv, .tsv, .jsonl)\n"
		"  --encoding ENC      utf-8 (default) or big5 (CP950, with HKSCS as fallback)\n"
		"  --map COLUMN=FIELD  read column COLUMN as FIELD (a report field, TYPE:ROLE for\n"
		"                      identifiers, or - to skip it), e.g. --map 網址=url:website\n"
		"  --set FIELD=VALUE   VALUE for FIELD where a row leaves it empty,\n"
		"                      e.g. --set crime_type=investment_fraud --set channel=165\n"
		"  --agency AGENCY     the reporting agency of rows that name none (id, code, name)\n"
		"  --batch N           reports per transaction (default 50000)\n"
		"  --bulk              one transaction for the whole file, indexes rebuilt at its\n"
		"                      end: fastest for a first load, all or nothing, and other\n"
		"                      writers wait until it ends (docs/user/import.md)\n"
		"  --skip N            skip N lines before the header row\n"
		"  --columns A,B,...   the column names of a file without a header row\n"
		"  --rejects FILE      also write the rejected rows to FILE as CSV:\n"
		"                      line,field,reason,raw\n"
		"  --quiet             do not list rejected rows on stderr\n"
		"\n"
		"Exit status: 0 when every row was stored or already stored, 1 when some rows were\n"
		"rejected (the others are stored), 2 for bad usage, others when the import could\n"
		"not run.\n" },
	{ "graph", cmd_graph, CLI_CONFIG | CLI_STORE,
		"link analysis: rings, money layering, call centers, paths",
		"usage: rootcut graph ANALYSIS [--OPTION VALUE ...]\n"
		"\n"
		"Run one analysis of the flows, reports and cases (溯源斷根) and print it as JSON.\n"
		"Identifiers are given as a row id or TYPE:VALUE (phone:0912-345-678).\n"
		"\n"
		"  clusters       cases (and reports in no case) bound by shared identifiers\n"
		"                 [--min-units N] [--max-fanout N]\n"
		"  layering       money from victims' transfers, layer by layer, in time order;\n"
		"                 where it converges (the money house)\n"
		"                 [--start IDENT] [--depth N] [--max-gap-days N]\n"
		"  call-centers   phones that called victims, joined by shared IMEIs and cells\n"
		"                 [--min-victims N]\n"
		"  path           --from IDENT --to IDENT [--depth N]\n"
		"  neighbourhood  --id IDENT [--depth N]\n"
		"\n"
		"Bounds of every analysis: --max-nodes N (nodes expanded), --time-ms N, --limit N\n"
		"(items listed; the rest are counted). See docs/user/en/graph.md.\n" },
	{ "demo", cmd_demo, 0, "generate realistic synthetic reports",
		"usage: rootcut demo generate [--reports N] [--seed S] [--format jsonl|csv]\n"
		"                             [--out FILE]\n"
		"\n"
		"Write N (default 1000) synthetic fraud reports for demonstrations and benchmarks:\n"
		"Taiwanese phone numbers, bank accounts, domains, wallets with valid checksums,\n"
		"LINE IDs and Chinese narratives, with planted rings (call centers sharing phones,\n"
		"layers of money-mule accounts, shared wallets and domains), reports of one\n"
		"victim through two channels, and service numbers the warning list suppresses.\n"
		"The same --seed gives the same output. Import it with `rootcut import reports`.\n"
		"\n"
		"  --reports N   how many reports (default 1000)\n"
		"  --seed S      the seed (default 1)\n"
		"  --format FMT  jsonl (default) or csv (the import's default columns)\n"
		"  --out FILE    write to FILE instead of standard output\n" },
	{ "order", cmd_order, CLI_CONFIG | CLI_STORE, "court orders that seize domains (RPZ)",
		"usage: rootcut order <subcommand> ...\n"
		"\n"
		"  add --agency AGENCY [--case CASE] [--zone ZONE] [--court TEXT]\n"
		"      [--action nxdomain|nodata|redirect] [--redirect TARGET] [--no-subdomains]\n"
		"      [--starts TIME] [--expires TIME] [--note TEXT] [--domain D]...\n"
		"      [--domains-file FILE [--column N] [--skip N]]\n"
		"                         create a draft order; prints its id\n"
		"  add-domains ID [D]... [--domains-file FILE [--column N] [--skip N]]\n"
		"                         add domains to a draft\n"
		"  list [--state STATE]   list the orders\n"
		"  show ID [--domains]    show an order, its domains (the first 20, or all) and history\n"
		"  file ID                draft → filed (submitted to the court)\n"
		"  grant ID --number TEXT --date DATE [--court TEXT]\n"
		"                         filed → granted: record the court's ruling\n"
		"  enforce ID             granted → enforced: publish its rules (at --starts, if later)\n"
		"  lift ID --reason TEXT  granted or enforced → lifted: withdraw its rules now\n"
		"  lift-domain ID DOMAIN --reason TEXT\n"
		"                         lift one domain listed by mistake, at once\n"
		"\n"
		"A domain may be an internationalised name, defanged (bad[.]example) or a URL,\n"
		"whose host is seized as written. --domains-file reads one domain a line (or the\n"
		"Nth tab-separated column), skips the first --skip lines and # comments, reports\n"
		"every refused row on stderr with its line, and adds the rest. --redirect takes\n"
		"IPv4/IPv6 addresses (comma-separated) or one host name; the default is rpz_redirect.\n"
		"TIME and DATE: ISO 8601 or a ROC date (113/05/01); without a zone, Asia/Taipei.\n"
		"Subdomains are covered unless --no-subdomains. An order expires by itself at\n"
		"--expires (`rootcut serve`, or `rootcut rpz apply-due`).\n" },
	{ "passthru", cmd_passthru, CLI_CONFIG | CLI_STORE, "names never blocked by any order",
		"usage: rootcut passthru <subcommand> ...\n"
		"\n"
		"  add DOMAIN --reason TEXT [--no-subdomains]\n"
		"                         never block DOMAIN (and, unless --no-subdomains, any name\n"
		"                         under it), whatever an order says; published at once\n"
		"  list                   list the entries\n"
		"  remove DOMAIN          remove an entry; the orders it overrode apply again\n" },
	{ "rpz", cmd_rpz, CLI_CONFIG | CLI_STORE, "the RPZ zones as published",
		"usage: rootcut rpz <subcommand> ...\n"
		"\n"
		"  zones                  list the zones (feeds) with their serial and rule count\n"
		"  history ZONE           the zone's changes by serial, newest first\n"
		"  export [ZONE] [--out FILE]\n"
		"                         write the zone (default: the first of rpz_zones) as a\n"
		"                         zone file with SOA and NS, for BIND, Knot or NSD\n"
		"  apply-due              apply the orders' due starts and expiries now (`serve`\n"
		"                         does this by itself at the right time)\n"
		"  verify RESOLVER[:PORT] [ZONE] [--control NAME] [--sample N] [--timeout-ms N]\n"
		"         [--no-store]    ask a resolver about up to N (20) seized domains, the\n"
		"                         canary and the control name (which must resolve); print\n"
		"                         which are blocked as the zone says, store the result with\n"
		"                         the orders; exit 1 when any is not\n" },
	{ "audit", cmd_audit, CLI_CONFIG | CLI_STORE, "verify and list the audit log",
		"usage: rootcut audit <subcommand> ...\n"
		"\n"
		"  verify            check the hash chain; exit status 0 when intact, 5 when\n"
		"                    tampered (the first bad event is named)\n"
		"  list [--limit N] [--actor NAME] [--action ACTION]\n"
		"                    newest events first (default 50)\n" },
	{ "backup", cmd_backup, CLI_CONFIG | CLI_STORE, "copy the live database consistently",
		"usage: rootcut backup [--force] FILE\n"
		"\n"
		"Write a consistent copy of the database to FILE while the server keeps running\n"
		"(SQLite online backup), check its integrity, then move it into place. Also copy\n"
		"DATA/audit.key: the audit chain cannot be verified without it.\n"
		"\n"
		"  --force  replace FILE if it exists\n" },
	{ "config", cmd_config, CLI_CONFIG, "print the configuration",
		"usage: rootcut config [--reference | --markdown]\n"
		"\n"
		"Print the effective configuration (file and environment applied).\n"
		"\n"
		"  --reference  print every key with its default, as a commented config file\n"
		"  --markdown   print the key reference as a Markdown table\n" },
	{ "routes", cmd_routes, 0, "list the API endpoints and who may use them",
		"usage: rootcut routes\n"
		"\n"
		"Print every routed endpoint with the roles, token scope and reach the policy\n"
		"table grants.\n" },
	{ "version", cmd_version, 0, "print the version and library versions",
		"usage: rootcut version\n" },
};

const struct cli_command *cli_commands(size_t *n)
{
	*n = sizeof(commands) / sizeof(commands[0]);
	return commands;
}
