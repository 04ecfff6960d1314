// CI: `npm audit --omit=dev`, failing on every advisory except those listed, with the reason they
// cannot be reached, in .ci/audit-exceptions.json (and in docs/operations.md).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import process from 'node:process';

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

function main() {
	const exceptions = JSON.parse(
		readFileSync(new URL('../.ci/audit-exceptions.json', import.meta.url), 'utf8')
	);
	const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8' });
	let report;
	try {
		report = JSON.parse(run.stdout);
	} catch {
		process.stderr.write(`npm audit n’a pas pu s’exécuter : ${run.stderr.trim()}\n`);
		process.exit(1);
	}
	if (!report.vulnerabilities) {
		const reason = report.error?.summary || report.message || 'réponse sans liste d’avis';
		process.stderr.write(`npm audit n’a pas pu interroger le registre : ${reason}\n`);
		// A registry that refuses the audit endpoint (this workplace's mirror answers 405) says
		// nothing about the dependencies: CI reports it and goes on, unless AUDIT_STRICT=1 asks
		// for a registry that answers.
		process.exit(process.env.AUDIT_STRICT === '1' ? 1 : 0);
	}
	const left = unexplained(advisoriesOf(report), exceptions);
	for (const a of left)
		process.stderr.write(`Avis de sécurité non traité : ${a.id} (${a.package}) ${a.title}\n`);
	if (left.length > 0) process.exit(1);
	process.stdout.write('npm audit : aucun avis de sécurité hors des exceptions documentées.\n');
}

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) main();
