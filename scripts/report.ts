// npm run report -- --year 2019 --out bilan-2019.pdf [--version 1]
// Prints the published edition of a year to an A4 PDF with headless Chromium (Debian's).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import process from 'node:process';
import { databasePath } from '../src/lib/server/db/index';
import { initDatabase } from '../src/lib/server/db/instance';
import { findPublishedSnapshot } from '../src/lib/server/editions/repository';
import { parseOptions, runCommand, UsageError } from './cli';
import { startPortal } from './serve-child';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

runCommand(async () => {
	const options = parseOptions(process.argv.slice(2), ['year', 'out', 'version']);
	const year = options.get('year') ?? '';
	const out = options.get('out') ?? `bilan-${year}.pdf`;
	const version = options.get('version');
	if (!/^\d{4}$/.test(year))
		throw new UsageError(
			'Indiquez l’année du bilan : npm run report -- --year 2019 --out bilan-2019.pdf'
		);
	if (version !== undefined && !/^\d{1,4}$/.test(version))
		throw new UsageError('La version est un nombre entier.');
	if (!existsSync(CHROMIUM)) {
		throw new UsageError(
			`Chromium n’est pas installé (${CHROMIUM} introuvable) : installez-le avec « apt-get install -y chromium » ou indiquez son chemin dans CHROMIUM_PATH. Le bilan reste consultable et imprimable depuis le navigateur à l’adresse /bilans/${year}.`
		);
	}
	const path = databasePath();
	const db = await initDatabase(path);
	const snapshot = await findPublishedSnapshot(
		db,
		Number(year),
		version === undefined ? undefined : Number(version)
	);
	await db.destroy();
	if (!snapshot)
		throw new UsageError(
			`Aucun bilan ${year}${version ? ` en version ${version}` : ''} n’est publié.`
		);

	const { chromium } = await import('@playwright/test');
	const portal = await startPortal(path);
	const browser = await chromium.launch({
		executablePath: CHROMIUM,
		args: [
			'--disable-gpu',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync'
		]
	});
	try {
		const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
		await page.emulateMedia({ media: 'print', reducedMotion: 'reduce' });
		await page.goto(`${portal.url}/bilans/${year}${version ? `?version=${version}` : ''}`, {
			waitUntil: 'networkidle'
		});
		// Charts draw after Chart.js loads: wait until every canvas has been sized by it.
		await page.waitForFunction(
			() => document.querySelectorAll('canvas:not([data-drawn])').length === 0,
			null,
			{ timeout: 20_000 }
		);
		await page.pdf({
			path: resolve(out),
			format: 'A4',
			printBackground: true,
			margin: { top: '0', bottom: '0', left: '0', right: '0' }
		});
		process.stdout.write(`Bilan ${year} (version ${snapshot.version}) imprimé dans « ${out} ».\n`);
	} finally {
		await browser.close();
		await portal.stop();
	}
});
