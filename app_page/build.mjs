// Build the Voila app's page script and styles: `node build.mjs [folder]` writes app.js,
// app.css and app.licenses.txt (the bundled packages' licences) into the folder, by default
// the backcourse Voila template's static/. esbuild's output depends only on its inputs, so
// the same package-lock.json gives the same bytes (tests/test_app_page.py checks it).
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(process.argv[2] || path.join(here, '../share/jupyter/voila/templates/backcourse/static'));

// JupyterLab-style sheets import each other webpack-style ("~package/..."): resolve them
// as packages.
const tildeImports = {
  name: 'tilde-imports',
  setup(build) {
    build.onResolve({ filter: /^~/ }, (args) =>
      build.resolve(args.path.slice(1), { kind: args.kind, resolveDir: args.resolveDir }),
    );
  },
};

const result = await esbuild.build({
  absWorkingDir: here,
  entryPoints: { app: 'src/index.js' },
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2020',
  outdir: out,
  // The icon font goes inside app.css: one file fewer for the page to ask for.
  loader: { '.woff2': 'dataurl', '.svg': 'dataurl', '.png': 'dataurl', '.gif': 'dataurl' },
  legalComments: 'none', // every bundled package's licence is in app.licenses.txt
  metafile: true,
  plugins: [tildeImports],
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});

// The packages whose code or styles are in the bundle, each with its licence text.
function packageRoot(file) {
  // The nearest package.json that names a package (some packages keep nameless ones in
  // their subfolders, to mark them as ES modules).
  let dir = path.dirname(path.resolve(here, file));
  const named = (d) =>
    fs.existsSync(path.join(d, 'package.json')) &&
    JSON.parse(fs.readFileSync(path.join(d, 'package.json'), 'utf8')).name;
  while (!named(dir)) dir = path.dirname(dir);
  return dir;
}
const roots = new Set();
for (const output of Object.values(result.metafile.outputs)) {
  for (const input of Object.keys(output.inputs)) {
    if (input.includes('node_modules/')) roots.add(packageRoot(input));
  }
}
const sections = [...roots]
  .map((root) => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    const file = fs.readdirSync(root).find((name) => /^(licen[cs]e|copying)/i.test(name));
    const text = file ? fs.readFileSync(path.join(root, file), 'utf8').trim() : `License: ${pkg.license}`;
    return `${pkg.name} ${pkg.version} (${pkg.license})\n\n${text}\n`;
  })
  .sort();
fs.writeFileSync(
  path.join(out, 'app.licenses.txt'),
  'The backcourse app page (app.js, app.css) bundles these packages:\n\n' +
    sections.join('\n' + '-'.repeat(72) + '\n\n'),
);
