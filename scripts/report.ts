// npm run report -- --year 2018 --out bilan-2018.pdf [--version 1] [--adresse http://127.0.0.1:3000]
// Prints the published edition of a year to an A4 PDF with headless Chromium (Debian's), driven
// by playwright-core (a production dependency: no browser download, no test runner). Without
// --adresse it starts a portal of its own on the database; with it, it prints from the portal
// already running there (production), which it must do when one runs on that database.
import { existsSync } from 'node:fs';
import process from 'node:process';
import type { Browser, Page } from 'playwright-core';
import { localAddressHeaders } from '../src/lib/server/config.js';
import { runningServerPid } from '../src/lib/server/db/server-pid.js';
import { initDatabase } from '../src/lib/server/db/instance';
import { findPublishedSnapshot, listEditions } from '../src/lib/server/editions/repository';
import {
	commandDatabasePath,
	outputPath,
	parseOptions,
	runCommand,
	UsageError,
	writeNewFile
} from './cli';
import { destinationPages } from './report/pdf-pages';
import { startPortal } from './serve-child';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * A4: 15 mm at the top, 18 mm at the bottom for the footer; the 15 mm side margins are the page's
 * own padding (EditionReport.svelte), so the window is as wide as the sheet: 210 mm, 793 pixels.
 */
const MARGIN = { top: '15mm', right: '0', bottom: '18mm', left: '0' };
const PAGE_WIDTH_PX = Math.floor((210 / 25.4) * 96);

/** The sentence naming the years a report can be printed for. */
function publishedYearsSentence(years: number[]): string {
	if (years.length === 0)
		return 'Aucun bilan n’est publié pour l’instant : publiez-en un depuis /admin/bilans.';
	const list = years.map((y) => `--year ${y}`).join(', ');
	return `Bilans publiés : ${years.join(', ')} (exemple : npm run report -- ${list.split(', ')[0]} --out bilan-${years[0]}.pdf).`;
}

/** The running portal given with --adresse: its origin, http or https. */
function portalAddress(value: string): string {
	let url: URL | null = null;
	try {
		url = new URL(value);
	} catch {
		url = null;
	}
	if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
		throw new UsageError(
			`L’adresse « ${value} » n’est pas celle d’un portail : écrivez-la comme http://127.0.0.1:3000.`
		);
	return url.origin;
}

/** Why the portal's answer cannot be printed as the bilan, in French; null when it can. */
function answerProblem(address: string, status: number | null): string | null {
	if (status !== null && status >= 200 && status < 300) return null;
	const answered = `Le portail à l’adresse ${address} a répondu ${status ?? 'sans page'} au lieu du bilan : rien n’a été imprimé.`;
	if (status === 400 && !process.env.ADDRESS_HEADER)
		return `${answered} Derrière un mandataire inverse, le portail attend l’adresse du client dans l’en-tête de sa variable ADDRESS_HEADER : lancez la commande avec la même variable que son service (par exemple ADDRESS_HEADER=X-Forwarded-For).`;
	return answered;
}

const USAGE = `Usage : npm run report -- --year AAAA [--out bilan-AAAA.pdf] [--version N] [--adresse http://127.0.0.1:3000]
Imprime en PDF A4 le bilan publié d’une année, avec Chromium ; avec --adresse, depuis le portail qui tourne déjà à cette adresse sur la même base.`;

/** What the command is asked: the year, the file (and its name as given), a version, a portal. */
function reportRequest(argv: string[]) {
	const options = parseOptions(argv, ['year', 'out', 'version', 'adresse'], USAGE);
	const year = options.get('year') ?? '';
	const out = options.get('out') ?? `bilan-${year}.pdf`;
	if (!/\.pdf$/i.test(out))
		throw new UsageError(
			`Le fichier « ${out} » doit finir par .pdf (le bilan est imprimé en PDF).`
		);
	const file = outputPath(out);
	const version = options.get('version');
	const address = options.has('adresse') ? portalAddress(options.get('adresse') ?? '') : null;
	return { year, out, file, version, address };
}

/** The published edition of `year` (its `version`, else the latest) in the database at `path`. */
async function publishedEdition(path: string, year: string, version: string | undefined) {
	const db = await initDatabase(path);
	const years = [...new Set((await listEditions(db, { publishedOnly: true })).map((e) => e.year))];
	const snapshot = /^\d{4}$/.test(year)
		? await findPublishedSnapshot(
				db,
				Number(year),
				version === undefined ? undefined : Number(version)
			)
		: undefined;
	await db.destroy();
	if (!/^\d{4}$/.test(year))
		throw new UsageError(
			`${year === '' ? 'Indiquez l’année du bilan avec --year.' : `L’année « ${year} » s’écrit sur quatre chiffres (--year 2018).`} ${publishedYearsSentence(years)}`
		);
	if (version !== undefined && !/^\d{1,4}$/.test(version))
		throw new UsageError('La version est un nombre entier.');
	if (!snapshot)
		throw new UsageError(
			`Aucun bilan ${year}${version ? ` en version ${version}` : ''} n’est publié. ${publishedYearsSentence(years)}`
		);
	return snapshot;
}

/** Refuses to print without Chromium, or with a portal of its own beside one running on `path`. */
function refuseUnprintable(path: string, year: string, address: string | null): void {
	if (!existsSync(CHROMIUM)) {
		throw new UsageError(
			`Chromium n’est pas installé (${CHROMIUM} introuvable) : installez-le avec « apt-get install -y chromium » ou indiquez son chemin dans CHROMIUM_PATH. Le bilan reste imprimable depuis un navigateur, dans sa version à imprimer : /bilans/${year}/impression.`
		);
	}
	const running = runningServerPid(path);
	if (!address && running !== null)
		throw new UsageError(
			`Un portail tourne sur cette base (processus ${running}) : imprimez depuis lui, avec --adresse suivi de l’adresse où il écoute (par exemple --adresse http://127.0.0.1:3000).`
		);
}

/** The bilan's print page, opened from the portal at `url`, its charts drawn. */
async function openPrintPage(
	browser: Browser,
	url: string,
	headers: Record<string, string>,
	year: string,
	version: string | undefined
): Promise<Page> {
	// The window is as wide as the sheet, so charts are drawn at the width they print at.
	const page = await browser.newPage({
		viewport: { width: PAGE_WIDTH_PX, height: 1000 },
		locale: 'fr-FR',
		extraHTTPHeaders: headers
	});
	await page.emulateMedia({ media: 'print', reducedMotion: 'reduce' });
	const answer = await page
		.goto(`${url}/bilans/${year}/impression${version ? `?version=${version}` : ''}`, {
			waitUntil: 'networkidle'
		})
		.catch(() => {
			throw new UsageError(
				`Aucun portail ne répond à l’adresse ${url} : vérifiez qu’il tourne et l’adresse donnée avec --adresse (celle où il écoute, par exemple http://127.0.0.1:3000).`
			);
		});
	const problem = answerProblem(url, answer?.status() ?? null);
	if (problem) throw new UsageError(problem);
	// Charts draw after Chart.js loads: wait until every canvas has been sized by it.
	await page.waitForFunction(
		() => document.querySelectorAll('canvas:not([data-drawn])').length === 0,
		null,
		{ timeout: 20_000 }
	);
	return page;
}

/** The open print page as an A4 PDF, footed with the edition's year and version, its contents paged. */
async function printedPdf(page: Page, edition: { year: number; version: number }): Promise<Buffer> {
	const footer = `<div style="width:100%;margin:0 15mm;font:8pt system-ui,sans-serif;color:#3a3a3a;display:flex;justify-content:space-between"><span>Bilan ${edition.year} du SDUSN du Lot — version ${edition.version}</span><span>page <span class="pageNumber"></span> sur <span class="totalPages"></span></span></div>`;
	const print = () =>
		page.pdf({
			format: 'A4',
			printBackground: true,
			margin: MARGIN,
			displayHeaderFooter: true,
			headerTemplate: '<span></span>',
			footerTemplate: footer,
			outline: true,
			tagged: true
		});
	// First printing: where each section lands; the table of contents then shows those pages.
	const pages = Object.fromEntries(destinationPages(await print()));
	await page.evaluate((pages) => {
		for (const cell of document.querySelectorAll<HTMLElement>('[data-toc-page]')) {
			const number = pages[cell.dataset.tocPage ?? ''];
			if (number) cell.textContent = `page ${number}`;
		}
	}, pages);
	return print();
}

runCommand(async () => {
	const { year, out, file, version, address } = reportRequest(process.argv.slice(2));
	const path = commandDatabasePath('refuse-named');
	const snapshot = await publishedEdition(path, year, version);
	refuseUnprintable(path, year, address);

	// A portal behind a proxy refuses (400) a request that does not say the client's address in
	// ADDRESS_HEADER: sent here as its proxy would, given the service's variables (XFF_DEPTH too).
	const headers = address ? localAddressHeaders(process.env) : {};
	const { chromium } = await import('playwright-core');
	// A portal of its own listens on the loopback, behind no proxy, whatever the service's
	// variables in this shell say; and at the info level, whose line tells it is ready.
	const portal = address
		? { url: address, stop: async () => undefined }
		: await startPortal(path, { ADDRESS_HEADER: '', XFF_DEPTH: '', LOG_LEVEL: 'info' });
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
		const page = await openPrintPage(browser, portal.url, headers, year, version);
		writeNewFile(file, await printedPdf(page, snapshot));
		process.stdout.write(`Bilan ${year} (version ${snapshot.version}) imprimé dans « ${out} ».\n`);
	} finally {
		await browser.close();
		await portal.stop();
	}
});
