// CI: `npm audit`, failing on every advisory of a package the portal runs, except those listed,
// with the reason they cannot be reached, in .ci/audit-exceptions.json (and in docs/operations.md).
// The portal runs its production dependencies and what the build bundles into build/: SvelteKit and
// the packages it brings are development dependencies in package-lock.json, which
// `npm audit --omit=dev` never looked at, yet they answer every request.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';

/**
 * The development dependencies the build bundles into build/ (docs/operations.md, « Audit des
 * dépendances »). The adapter's source maps name each package it bundles (bundledIn checks them in
 * CI); svelte and esm-env are bundled earlier, by Vite's server build, whose files have no source
 * map: they are listed by hand (svelte's server runtime renders every page). So are the packages
 * only the browser runs, bundled into build/client, which has no source map either: chart.js and
 * the @kurkle/color it brings; audit-check.spec.ts fails when the browser's code (src/ but the
 * server's files) imports a package, or such a package depends on one, that this list omits.
 */
export const BUNDLED_PACKAGES = [
	'@kurkle/color',
	'@sveltejs/adapter-node',
	'@sveltejs/kit',
	'chart.js',
	'clsx',
	'cookie',
	'devalue',
	'esm-env',
	'set-cookie-parser',
	'svelte'
];

/**
 * What follows the last `node_modules/` of a path (`node_modules/a/node_modules/b/x.js` → `b/x.js`).
 * @param {string} path
 */
const packageAt = (path) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);

/**
 * Where the adapter copies its own server (its `files/`: the handler, and polka, sirv, totalist
 * and @polka/url, bundled when the adapter was published) before bundling it into build/: its
 * source maps name that folder, not node_modules. npm audit reads the adapter's own advisories;
 * those of polka or sirv themselves, which are not installed, it cannot see (docs/operations.md).
 */
const ADAPTER_FILES = '.svelte-kit/adapter-node/';

/**
 * The packages whose files a build's source maps name (`…/node_modules/<package>/…`, or the
 * adapter's own server, ADAPTER_FILES), sorted.
 * @param {string} buildDir
 * @returns {string[]}
 */
export function bundledIn(buildDir) {
	/** @type {Set<string>} */
	const found = new Set();
	for (const entry of readdirSync(buildDir, { recursive: true, withFileTypes: true })) {
		if (!entry.isFile() || !entry.name.endsWith('.map')) continue;
		const map = JSON.parse(readFileSync(join(entry.parentPath, entry.name), 'utf8'));
		for (const source of /** @type {string[]} */ (map.sources ?? [])) {
			if (source.includes(ADAPTER_FILES)) found.add('@sveltejs/adapter-node');
			if (!source.includes('node_modules/')) continue;
			const [scope = '', name = ''] = packageAt(source).split('/');
			found.add(scope.startsWith('@') ? `${scope}/${name}` : scope);
		}
	}
	return [...found].sort();
}

/**
 * What the portal runs, out of a full `npm audit --json` report: the vulnerabilities of a package
 * installed as a production dependency (one of its copies not `dev` in package-lock.json, what
 * `npm audit --omit=dev` keeps) or bundled into build/.
 * @param {{ vulnerabilities?: Record<string, { name?: string, nodes?: string[], via?: unknown[] }> }} report
 * @param {{ packages?: Record<string, { dev?: boolean }> }} lock
 * @param {string[]} bundled
 */
export function runtimeReport(report, lock, bundled) {
	const packages = lock.packages ?? {};
	const runs = (/** @type {string} */ name, /** @type {string[]} */ nodes) =>
		bundled.includes(name) ||
		nodes.some((node) => packages[node] !== undefined && packages[node]?.dev !== true);
	return {
		...report,
		vulnerabilities: Object.fromEntries(
			Object.entries(report.vulnerabilities ?? {}).filter(([name, vulnerability]) =>
				runs(vulnerability.name ?? name, vulnerability.nodes ?? [`node_modules/${name}`])
			)
		)
	};
}

/**
 * The advisories (GHSA identifiers) an `npm audit --json` report names, with their package.
 * @param {{ vulnerabilities?: Record<string, { via?: unknown[] }> }} report
 * @returns {{ id: string, package: string, title: string }[]}
 */
export function advisoriesOf(report) {
	/** @type {Map<string, { id: string, package: string, title: string }>} */
	const found = new Map();
	for (const vulnerability of Object.values(report.vulnerabilities ?? {})) {
		for (const via of vulnerability.via ?? []) {
			if (typeof via !== 'object' || via === null) continue;
			const { url = '', name = '', title = '' } = /** @type {Record<string, string>} */ (via);
			const id = /GHSA-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}/i.exec(url)?.[0] ?? url;
			found.set(id, { id, package: name, title });
		}
	}
	return [...found.values()];
}

/**
 * @param {ReturnType<typeof advisoriesOf>} advisories
 * @param {{ id: string }[]} exceptions
 */
export function unexplained(advisories, exceptions) {
	const allowed = new Set(exceptions.map((e) => e.id.toLowerCase()));
	return advisories.filter((a) => !allowed.has(a.id.toLowerCase()));
}

/**
 * The audit, on the project in `root`: 0 when every advisory of a package the portal runs is an
 * exception, 1 otherwise, or when build/ bundles a package BUNDLED_PACKAGES does not name.
 * @param {string} root
 * @param {{ write: (text: string) => unknown }} [out]
 * @param {{ write: (text: string) => unknown }} [err]
 * @returns {number}
 */
export function auditCheck(root, out = process.stdout, err = process.stderr) {
	const build = join(root, 'build');
	if (existsSync(build)) {
		const unlisted = bundledIn(build).filter((name) => !BUNDLED_PACKAGES.includes(name));
		if (unlisted.length > 0) {
			err.write(
				`La construction (build/) comprend ${unlisted.join(', ')}, absent de BUNDLED_PACKAGES (scripts/audit-check.js) : ajoutez-le pour que ses avis de sécurité soient lus.\n`
			);
			return 1;
		}
	}
	const exceptions = JSON.parse(readFileSync(join(root, '.ci/audit-exceptions.json'), 'utf8'));
	const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
	const run = spawnSync('npm', ['audit', '--json'], { cwd: root, encoding: 'utf8' });
	let report;
	try {
		report = JSON.parse(run.stdout);
	} catch {
		err.write(`npm audit n’a pas pu s’exécuter : ${run.stderr.trim()}\n`);
		return 1;
	}
	if (!report.vulnerabilities) {
		const reason = report.error?.summary || report.message || 'réponse sans liste d’avis';
		err.write(`npm audit n’a pas pu interroger le registre : ${reason}\n`);
		// A registry that refuses the audit endpoint (this workplace's mirror answers 405) says
		// nothing about the dependencies: CI reports it and goes on, unless AUDIT_STRICT=1 asks
		// for a registry that answers.
		return process.env.AUDIT_STRICT === '1' ? 1 : 0;
	}
	const left = unexplained(advisoriesOf(runtimeReport(report, lock, BUNDLED_PACKAGES)), exceptions);
	for (const a of left)
		err.write(`Avis de sécurité non traité : ${a.id} (${a.package}) ${a.title}\n`);
	if (left.length > 0) return 1;
	out.write(
		'npm audit : aucun avis de sécurité hors des exceptions documentées (dépendances de production et paquets compris dans build/).\n'
	);
	return 0;
}

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1])
	process.exit(auditCheck(new URL('..', import.meta.url).pathname));
