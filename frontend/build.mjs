// Builds static/build/ from frontend/ and GOV.UK Frontend (npm).
//
//   site.css  GOV.UK Frontend's Sass with the site's own styles, compiled
//             without the GDS Transport font and the crown (see site.scss)
//   site.js   the two GOV.UK Frontend components the site uses (service
//             navigation, skip link) and the site's own progressive enhancement
//
// Source maps are left out on purpose: Django's manifest storage fails on a
// `sourceMappingURL` that points at a file it does not have.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "static", "build");
const govuk = join(root, "node_modules", "govuk-frontend");
const { version } = JSON.parse(await readFile(join(govuk, "package.json"), "utf8"));
const notice = `/*! GOV.UK Frontend ${version} (https://github.com/alphagov/govuk-frontend) | MIT licence | (c) Crown copyright */\n`;

// Write next to the target and rename, so a half-written file is never served.
async function writeAtomically(path, text) {
  const temporary = `${path}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}

function withoutSourceMap(code) {
  return code.replace(/^\/\/# sourceMappingURL=.*$/gm, "").trimEnd() + "\n";
}

await mkdir(out, { recursive: true });

const css = sass.compile(join(root, "frontend", "site.scss"), {
  style: "compressed",
  importers: [new sass.NodePackageImporter(root)],
  sourceMap: false,
});
if (/GDS Transport|govuk-crest|url\(/.test(css.css)) {
  throw new Error("site.css must not reference the GOV.UK font, the crest or any other asset file");
}
// Compressed output starts with a byte-order mark when the CSS holds any
// non-ASCII character; it must stay the very first byte, before the notice,
// or the browser reads it as part of the first selector and drops that rule.
const BOM = "\uFEFF";
const body = css.css.startsWith(BOM) ? css.css.slice(1) : css.css;
if (body.includes(BOM)) {
  throw new Error("site.css has a byte-order mark in the middle");
}
await writeAtomically(join(out, "site.css"), BOM + notice + body + "\n");

const components = ["service-navigation", "skip-link"];
const parts = [];
for (const name of components) {
  const bundle = join(govuk, "dist", "govuk", "components", name, `${name}.bundle.js`);
  parts.push(withoutSourceMap(await readFile(bundle, "utf8")));
}
parts.push(await readFile(join(root, "frontend", "site.js"), "utf8"));
await writeAtomically(join(out, "site.js"), notice + parts.join("\n"));

console.log(`built static/build/site.css and static/build/site.js (GOV.UK Frontend ${version})`);
