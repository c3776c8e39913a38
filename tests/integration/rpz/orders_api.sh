# Court orders over the API (rpz/order_api.c, rpz_api.c): the lifecycle
# draft → filed → granted → enforced → lifted, each step by its role and
# refused to the others (403) or out of order (409); a bad domain names its
# field and reason; an order out of reach is 404; the rules appear in and
# leave the zone with one serial each; passthru wins; one domain is lifted
# with a reason; every step is in the order's history and the audit log.
# Users come from `rootcut init --demo`.
. "$(dirname "$0")/../lib/common.sh"
rc_init || { not_ok "init"; done_testing; exit 1; }
rc_serve || { not_ok "server starts"; done_testing; exit 1; }

serial() { # the serial of rpz.rootcut.tw.
	api GET /api/v1/rpz/zones
	json '.items[] | select(.name == "rpz.rootcut.tw.") | .serial'
}
zone_text() { rc_cli rpz export rpz.rootcut.tw; }

# ---- drafting: case workers of an agency; bad input names its field ----

rc_login dns.twnic
api POST /api/v1/orders '{"domains":["bad.example.com"]}'
is "$STATUS" 403 "a DNS operator does not draft orders"

rc_login prosecutor.tp
api POST /api/v1/orders '{"court":"臺灣臺北地方法院","domains":["bad.example.com","1.2.3.4"]}'
is "$STATUS" 400 "an IP address is not a domain"
is "$(json .error.field)" "domains[1]" "the error names the domain's field"
like "$(json .error.message)" "IP address" "and says why"
api GET /api/v1/orders
BEFORE=$(json '.items | length')
api POST /api/v1/orders '{"court":"臺灣臺北地方法院",
	"domains":["good.example.com","bitgin","ok.example.net","1.2.3.4"]}'
is "$STATUS" 400 "a draft with two bad domains is refused"
is "$(json '[.errors[].field] | join(" ")')" "domains[1] domains[3]" \
	"every refused domain is listed, each by its field"
is "$(json '[.errors[].index] | join(" ")')" "1 3" "with its index in the list"
like "$(json '.errors[0].message')" "single label" "and its own reason"
is "$(json .error.field)" "domains[1]" "the error names the first of them"
api GET /api/v1/orders
is "$(json '.items | length')" "$BEFORE" "and no order is left behind"
api POST /api/v1/orders '{"action":"sinkhole"}'
is "$(json .error.field)" action "an unknown action is named"
api POST /api/v1/orders '{"action":"redirect","redirect":"not an address!"}'
is "$(json .error.field)" redirect "a bad redirect target is named"

api POST /api/v1/orders '{"court":"臺灣臺北地方法院","subdomains":true,
	"domains":["hxxps://www[.]fake-invest.com/login","詐騙.tw","mistake.example.org"]}'
is "$STATUS" 201 "a prosecutor drafts an order"
ID=$(json .id)
is "$(json .state)" draft "it starts as a draft"
is "$(json .domains)" 3 "with three domains"
api GET "/api/v1/orders/$ID"
is "$(json '[.domain_list[].domain] | join(" ")')" \
	"mistake.example.org www.fake-invest.com xn--912aw42a.tw" \
	"a URL's host and an IDN in A-labels are seized"

rc_login prosecutor.ks
api GET "/api/v1/orders/$ID"
is "$STATUS" 404 "another district's prosecutor does not see it"
api POST "/api/v1/orders/$ID/file"
is "$STATUS" 404 "nor file it"

# ---- the lifecycle, step by step, each by its role ----

rc_login prosecutor.tp
api POST "/api/v1/orders/$ID/grant" '{"order_number":"113年度聲扣字第7號","order_date":"113/05/01"}'
is "$STATUS" 409 "a draft cannot be granted"
is "$(json .error.field)" state "the refusal names the state"
api POST "/api/v1/orders/$ID/file"
is "$STATUS" 200 "the prosecutor files it with the court"
is "$(json .state)" filed "filed"

rc_login dns.twnic
api POST "/api/v1/orders/$ID/enforce"
is "$STATUS" 409 "a filed order cannot be enforced"
api POST "/api/v1/orders/$ID/grant" '{"order_number":"1","order_date":"2024-05-01"}'
is "$STATUS" 403 "a DNS operator does not record the court's grant"

rc_login investigator.cib
api POST "/api/v1/orders/$ID/grant" '{"order_number":"1","order_date":"2024-05-01"}'
is "$STATUS" 403 "an investigator does not record the grant"

rc_login prosecutor.tp
api POST "/api/v1/orders/$ID/grant" '{"order_number":"113年度聲扣字第7號","order_date":"not a date"}'
is "$(json .error.field)" order_date "a bad ruling date is named"
api POST "/api/v1/orders/$ID/grant" '{"order_number":"113年度聲扣字第7號","order_date":"113/05/01"}'
is "$STATUS" 200 "the prosecutor records the grant"
is "$(json .order_date)" 2024-05-01 "ROC date stored as 2024-05-01"
api POST "/api/v1/orders/$ID/enforce"
is "$STATUS" 403 "a prosecutor does not enforce"

rc_login dns.twnic
before=$(serial)
api POST "/api/v1/orders/$ID/enforce"
is "$STATUS" 200 "the DNS operator enforces it"
is "$(json .state)" enforced "enforced"
is "$(serial)" $((before + 1)) "one new serial for the whole order"
z=$(zone_text)
like "$z" 'www\.fake-invest\.com +60 IN CNAME +\.' "the domain is in the zone (NXDOMAIN)"
like "$z" '\*\.xn--912aw42a\.tw +60 IN CNAME +\.' "its subdomains too"

# ---- lift one domain listed by mistake ----

api POST "/api/v1/orders/$ID/lift-domain" '{"domain":"mistake.example.org"}'
is "$STATUS" 400 "a lift needs a reason"
is "$(json .error.field)" reason "the refusal names reason"
api POST "/api/v1/orders/$ID/lift-domain" '{"domain":"mistake.example.org","reason":"listed by mistake"}'
is "$STATUS" 200 "one domain lifted at once"
is "$(json .lifted)" 1 "counted as lifted"
unlike "$(zone_text)" '^mistake\.example\.org' "and gone from the zone"
like "$(zone_text)" '^www\.fake-invest\.com' "the others stay"

# ---- passthru wins over the order ----

rc_login prosecutor.tp
api POST /api/v1/rpz/passthru '{"domain":"fake-invest.com","reason":"x"}'
is "$STATUS" 403 "a prosecutor does not keep the passthru list"
rc_login dns.twnic
api POST /api/v1/rpz/passthru '{"domain":"fake-invest.com","reason":"a shared host, cleared by the court"}'
is "$STATUS" 201 "the DNS operator adds a passthru entry"
PT=$(json .id)
z=$(zone_text)
like "$z" '^fake-invest\.com +60 IN CNAME +rpz-passthru\.' "published as rpz-passthru"
unlike "$z" '^www\.fake-invest\.com' "the seized name under it is no longer blocked"
api DELETE "/api/v1/rpz/passthru/$PT"
is "$STATUS" 200 "removed"
like "$(zone_text)" '^www\.fake-invest\.com' "the order applies again"

# ---- lift the order ----

api POST "/api/v1/orders/$ID/lift" '{"reason":"the court revoked the seizure"}'
is "$STATUS" 200 "the DNS operator lifts the order"
is "$(json .state)" lifted "lifted"
unlike "$(zone_text)" 'fake-invest' "no rule of the order is left"
api POST "/api/v1/orders/$ID/lift" '{"reason":"again"}'
is "$STATUS" 409 "a lifted order cannot be lifted again"

# ---- history, zones, audit ----

api GET "/api/v1/orders/$ID"
is "$(json '[.history[].action] | join(",")')" "create,domains,file,grant,enforce,lift_domain,lift" \
	"the order's history has every step"
is "$(json '.history[] | select(.action == "enforce") | .actor')" dns.twnic "with who did it"
api GET /api/v1/rpz/zones/rpz.rootcut.tw/history
is "$STATUS" 200 "the zone's history by serial"
like "$(json '[.items[].reason] | join(",")')" "order lifted,passthru removed,passthru added,order domain lifted,order enforced" \
	"one serial per change, newest first"

rc_login auditor
api GET "/api/v1/audit?limit=200"
for a in order.create order.file order.grant order.enforce order.domain.lift order.lift \
	passthru.add passthru.remove order.read; do
	is "$(json "[.items[] | select(.action == \"$a\")] | length > 0")" true "audited: $a"
done
is "$(json '[.items[] | select(.action == "order.read" and .outcome == "denied")] | length > 0')" true \
	"the out-of-reach read is audited as denied"
check "the audit chain verifies" rc_cli audit verify

done_testing
