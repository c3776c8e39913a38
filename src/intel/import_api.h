/*
 * intel/import_api.h - POST /api/v1/import: bulk import over HTTP (the
 * route is in intel_api.c's table).
 */
#pragma once

struct http_request;

/*
 * The body is the file; query arguments as the command's options: format
 * (csv, tsv, jsonl), encoding (utf-8, big5), map and set (repeatable),
 * agency (analysts only), batch, skip. Answers 200 with the counts, the
 * first 1000 rejected rows and the first 1000 stored report ids.
 */
int intel_api_post_import(struct http_request *req);
