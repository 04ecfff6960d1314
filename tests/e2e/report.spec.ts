import { spawnSync } from 'node:child_process';
import {
	copyFileSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './helpers/portal';
import { portalDatabase } from './helpers/accounts';
import { expectNoAxeViolations } from './helpers/axe';
import { startOwnPortal } from './helpers/own-portal';
import { E2E_TEMPLATE } from '../../playwright.config';

/** A grey-level PGM (P5) image as written by pdftoppm -gray. */
function readPgm(path: string): { width: number; height: number; pixels: Buffer } {
	const data = readFileSync(path);
	const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(data.subarray(0, 40).toString('latin1'));
	if (!header) throw new Error(`${path} n’est pas une image PGM`);
	return {
		width: Number(header[1]),
		height: Number(header[2]),
		pixels: data.subarray(header[0].length)
	};
}

/** Columns (in mm from the left edge of the A4 page) where something darker than paper is drawn. */
function inkedColumnsMm(image: { width: number; height: number; pixels: Buffer }): number[] {
	const columns = new Set<number>();
	for (let y = 0; y < image.height; y++)
		for (let x = 0; x < image.width; x++)
			if ((image.pixels[y * image.width + x] ?? 255) < 235)
				columns.add(Math.floor((x / image.width) * 210));
	return [...columns].sort((a, b) => a - b);
}

function run(command: string, args: string[], env: Record<string, string> = {}) {
	return spawnSync(command, args, {
		encoding: 'utf8',
		env: { ...process.env, ...env },
		timeout: 180_000
	});
}

/**
 * `npm run report -- ARGS`, as the program npm runs (`node scripts/ops.js report`): without npm's
 * own start-up, half a second to a second on a loaded machine. The first test goes through npm.
 */
function report(args: string[], env: Record<string, string> = {}) {
	return run(process.execPath, ['scripts/ops.js', 'report', ...args], env);
}

// The spec's portal: the report prints from it (--adresse), as in production.
test('the printed report fits A4: nothing beyond the margins, no card split, contents with pages', async ({
	baseURL
}, testInfo) => {
	test.setTimeout(240_000);
	const out = testInfo.outputPath('bilan-2018.pdf');
	const result = run(
		'npm',
		['run', '--silent', 'report', '--', '--year', '2018', '--out', out, '--adresse', baseURL ?? ''],
		{ DATABASE_PATH: await portalDatabase() }
	);
	expect(result.status, result.stderr).toBe(0);
	expect(result.stderr).toContain('Base de données : ');

	const dir = testInfo.outputPath('pages');
	mkdirSync(dir, { recursive: true });
	expect(run('pdftoppm', ['-gray', '-r', '40', out, join(dir, 'page')]).status).toBe(0);
	const pages = readdirSync(dir).sort();
	expect(pages.length).toBeGreaterThanOrEqual(8);
	for (const name of pages) {
		const inked = inkedColumnsMm(readPgm(join(dir, name)));
		// Printable width: 15 mm margins on both sides of the 210 mm page.
		expect(
			inked.filter((mm) => mm < 14 || mm > 195),
			`${name} : encre hors de la zone imprimable`
		).toEqual([]);
	}
	// The same check at screen resolution, kept for a look.
	run('pdftoppm', ['-png', '-r', '60', out, testInfo.outputPath('apercu')]);

	const text = (first: number, last = first) =>
		run('pdftotext', ['-f', String(first), '-l', String(last), out, '-']).stdout;
	// Cover: territory, year, date of publication; then a table of contents with page numbers.
	expect(text(1)).toMatch(/Territoire\s:\sdépartement du Lot/);
	expect(text(1)).toMatch(/Publié le\s+1er\sfévrier\s2019/);
	const contents = text(2);
	expect(contents).toContain('Sommaire');
	expect(contents).toMatch(/page 3/);
	expect(contents).toMatch(/Décisions de la commission en 2018/);
	// Every page carries its number.
	expect(text(pages.length)).toContain(`page ${pages.length} sur ${pages.length}`);
	// Each page holds whole cards of the 23-fiche grid: a code without its priority line is a split.
	let cards = 0;
	for (let n = 1; n <= pages.length; n++) {
		const page = text(n);
		const codes = page.match(/(?:^|\n)\d{1,2}-\d (?!—)/g) ?? [];
		const metas = page.match(/Priorité [12] ·/g) ?? [];
		expect(codes.length, `page ${n} : une carte de fiche coupée`).toBe(metas.length);
		cards += metas.length;
	}
	expect(cards).toBe(23);
	// Paper has no links: each fiche's validated updates of the year are printed under it.
	const all = text(1, pages.length).replace(/\s+/g, ' ');
	expect(all).toMatch(/Pour chaque fiche\s: son état dans l’année et ses mises à jour publiées\./);
	expect(all).toContain('la société QOS Télécom est retenue en juillet 2018');
	expect(all).toMatch(
		/31\sjuillet\s2018 \(Syndicat mixte Lot numérique\) : À l’issue d’un appel public/
	);
	expect(all).not.toContain('Chaque fiche ouvre sa page');
});

test('the edition links its version to print, which gives each fiche its updates of the year', async ({
	page
}) => {
	await page.goto('/bilans/2018');
	await expect(page.locator('.fiche-list .updates')).toHaveCount(0);
	// Every fiche of the edition, in its grid as in its lists, opens the fiche as it froze it.
	const hrefs = await page
		.locator('.grid a, .fiche-list a')
		.evaluateAll((links) => links.map((a) => a.getAttribute('href')));
	expect(hrefs).toHaveLength(46);
	for (const href of hrefs) expect(href).toMatch(/^\/bilans\/2018\/fiches\/\d{1,2}-\d\?version=1$/);
	await page.getByRole('link', { name: /^Version à imprimer/ }).click();
	await expect(page).toHaveURL(/\/bilans\/2018\/impression\?version=1$/);
	await expect(page).toHaveTitle(/Bilan 2018, version à imprimer/);
	const fiche = page
		.locator('.fiche-list > li')
		.filter({ has: page.locator('a[href="/bilans/2018/fiches/14-1?version=1"]') });
	await expect(fiche.locator('.updates > li')).toHaveCount(
		Number(/(\d+)\smises? à jour/.exec((await fiche.textContent()) ?? '')?.[1])
	);
	await expect(fiche.locator('.updates')).toContainText('QOS Télécom');
	await expect(page.locator('canvas:not([data-drawn])')).toHaveCount(0);
	// A fiche without updates in the year has no list under it.
	const quiet = page
		.locator('.fiche-list > li')
		.filter({ hasText: 'pas de mise à jour de l’année publiée' });
	await expect(quiet.first()).toBeVisible();
	await expect(quiet.first().locator('.updates')).toHaveCount(0);
	await expectNoAxeViolations(page);
	expect((await page.goto('/bilans/2099/impression'))?.status()).toBe(404);
});

for (const path of ['/bilans/2018', '/bilans/2018/impression'])
	test(`printed, ${path} lays out within the printable width of A4`, async ({ page }) => {
		await page.setViewportSize({ width: Math.floor((210 / 25.4) * 96), height: 1000 });
		await page.emulateMedia({ media: 'print' });
		await page.goto(path);
		await expect(page.locator('canvas:not([data-drawn])')).toHaveCount(0);
		// On paper, the screen version names once where each fiche's updates are printed.
		const pointer = page.locator('.print-only:visible');
		if (path === '/bilans/2018')
			await expect(pointer).toHaveText(/\s\/bilans\/2018\/impression\?version=1 sur le portail$/);
		else await expect(pointer).toHaveCount(0);
		const overflowing = await page.evaluate(() => {
			const main = document.querySelector('main')!;
			const style = getComputedStyle(main);
			const box = main.getBoundingClientRect();
			const left = box.left + parseFloat(style.paddingLeft);
			const right = box.right - parseFloat(style.paddingRight);
			return [...main.querySelectorAll('*')]
				.filter((el) => {
					const r = el.getBoundingClientRect();
					return r.width > 0 && (r.right > right + 1 || r.left < left - 1);
				})
				.map((el) => `${el.tagName.toLowerCase()}.${el.className}`)
				.slice(0, 10);
		});
		expect(overflowing).toEqual([]);
		// Scrolling areas show only part of what they hold on paper.
		const clipped = await page
			.locator('.table-scroll')
			.evaluateAll((els) => els.filter((el) => el.scrollWidth > el.clientWidth + 1).length);
		expect(clipped).toBe(0);
	});

// eslint-disable-next-line no-empty-pattern -- no fixture needed; Playwright gives testInfo second
test('behind a proxy, the report sends the client-address header its service names, and never prints a refusal as the bilan', async ({}, testInfo) => {
	test.setTimeout(120_000);
	// The portal as its systemd unit starts it (docs/operations.md): it refuses a request that does
	// not say the client's address, as the report's, sent straight to its local address.
	const portal = await startOwnPortal(
		{ ADDRESS_HEADER: 'X-Forwarded-For', XFF_DEPTH: '1' },
		{ copyOf: E2E_TEMPLATE }
	);
	try {
		const out = testInfo.outputPath('bilan-2018.pdf');
		const printFrom = (env: Record<string, string>, address = portal.url) =>
			report(['--year', '2018', '--out', out, '--adresse', address], {
				DATABASE_PATH: portal.databasePath,
				...env
			});
		const refused = printFrom({});
		expect(refused.status).toBe(1);
		expect(refused.stderr).toContain(
			`Le portail à l’adresse ${portal.url} a répondu 400 au lieu du bilan : rien n’a été imprimé.`
		);
		expect(refused.stderr).toContain('ADDRESS_HEADER=X-Forwarded-For');
		expect(existsSync(out)).toBe(false);

		const printed = printFrom({ ADDRESS_HEADER: 'X-Forwarded-For' });
		expect(printed.status, printed.stderr).toBe(0);
		const text = run('pdftotext', ['-l', '1', out, '-']).stdout;
		expect(text.replace(/\s+/g, ' ')).toContain(
			'Bilan 2018 du schéma des usages et services numériques'
		);
		// Hostile probe s56: printed again over the file, without a word. Refused before printing.
		const again = printFrom({ ADDRESS_HEADER: 'X-Forwarded-For' });
		expect(again.status).toBe(1);
		expect(again.stderr).toContain(`Le fichier « ${out} » existe déjà`);
		rmSync(out);

		// Nothing listens there: said in French, not Playwright's error.
		const nowhere = printFrom({}, 'http://127.0.0.1:9');
		expect(nowhere.status).toBe(1);
		expect(nowhere.stderr).toContain('Aucun portail ne répond à l’adresse http://127.0.0.1:9');
		expect(nowhere.stderr).not.toContain('page.goto');

		// Without --adresse, on a database no server uses, with the service's variables in the
		// shell: its own portal listens behind no proxy, and says it is ready whatever LOG_LEVEL.
		const copy = join(portal.dir, 'copie.db');
		copyFileSync(E2E_TEMPLATE, copy);
		const own = report(['--year', '2018', '--out', out], {
			DATABASE_PATH: copy,
			ADDRESS_HEADER: 'X-Forwarded-For',
			XFF_DEPTH: '1',
			LOG_LEVEL: 'warn'
		});
		expect(own.status, own.stderr).toBe(0);
	} finally {
		portal.child.kill('SIGTERM');
		await portal.exited;
	}
});

test('asked for a year that is not published, the report names the years that are', () => {
	const dir = mkdtempSync(join(tmpdir(), 'sdusn-report-'));
	// A copy of the seeded database: report refuses a DATABASE_PATH that names no file.
	copyFileSync(E2E_TEMPLATE, join(dir, 'fresh.db'));
	try {
		const result = report(['--year', '2031'], {
			DATABASE_PATH: join(dir, 'fresh.db')
		});
		expect(result.status).toBe(1);
		expect(result.stderr).toContain('Aucun bilan 2031 n’est publié.');
		expect(result.stderr).toContain('Bilans publiés : 2018');
		expect(result.stderr).toContain('npm run report -- --year 2018 --out bilan-2018.pdf');
		const short = report(['--year', '18'], {
			DATABASE_PATH: join(dir, 'fresh.db')
		});
		expect(short.status).toBe(1);
		expect(short.stderr).toContain('L’année « 18 » s’écrit sur quatre chiffres');
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});
