// web/build.mjs - build the browser UI into web/dist with esbuild (scripts/build-web runs it).
//
// src/main.js and everything it imports (the i18n tables, style.css, ECharts and
// cytoscape.js as lazily loaded chunks) become hashed files under dist/assets/,
// which `rootcut serve` caches as immutable; dist/index.html names them and is
// always revalidated. Nothing is fetched from the network at run time, and the
// output holds no inline script (the server's Content-Security-Policy forbids it).
import { build } from "esbuild";
import { readFileSync, writeFileSync, rmSync, renameSync, mkdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "dist");
const tmp = join(here, "dist.tmp");

rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp, { recursive: true });

const result = await build({
	absWorkingDir: here,
	entryPoints: { app: "src/main.js" },
	bundle: true,
	splitting: true,
	format: "esm",
	target: ["es2020", "chrome100", "firefox100", "safari15"],
	minify: true,
	sourcemap: "linked",
	legalComments: "linked",
	outdir: tmp,
	entryNames: "assets/[name]-[hash]",
	chunkNames: "assets/[name]-[hash]",
	assetNames: "assets/[name]-[hash]",
	metafile: true,
	logLevel: "warning",
	charset: "utf8",
});

let js = null;
let css = null;
for (const [file, info] of Object.entries(result.metafile.outputs)) {
	if (info.entryPoint === "src/main.js") {
		js = "/" + relative(tmp, join(here, file));
		if (info.cssBundle) css = "/" + relative(tmp, join(here, info.cssBundle));
	}
}
if (!js || !css) throw new Error("build: no app bundle or stylesheet in the esbuild output");

const html = readFileSync(join(here, "src/index.html"), "utf8")
	.replaceAll("%APP_JS%", js)
	.replaceAll("%APP_CSS%", css);
writeFileSync(join(tmp, "index.html"), html);

rmSync(out, { recursive: true, force: true });
renameSync(tmp, out);

let bytes = 0;
for (const info of Object.values(result.metafile.outputs)) bytes += info.bytes;
console.log(`web: built ${Object.keys(result.metafile.outputs).length} files (${Math.round(bytes / 1024)} KiB) into web/dist`);
