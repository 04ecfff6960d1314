import ExcelJS from 'exceljs';
import type { APIRequestContext } from '@playwright/test';
import { expect, test } from './helpers/portal';

async function readXlsx(request: APIRequestContext, path: string) {
	const response = await request.get(path);
	expect(response.status()).toBe(200);
	expect(response.headers()['content-type']).toBe(
		'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
	);
	expect(response.headers()['content-disposition']).toMatch(/attachment; filename=".+\.xlsx"/);
	const workbook = new ExcelJS.Workbook();
	const body = await response.body();
	await workbook.xlsx.load(
		body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer
	);
	const rows: unknown[][] = [];
	workbook.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
	return rows;
}

test('the dashboard figures are offered as Excel workbooks that read back', async ({
	page,
	request
}) => {
	await page.goto('/tableau-de-bord');
	const figure = page.getByRole('figure', { name: /Fiches par statut et par priorité/ });
	const link = figure.getByRole('link', { name: /tableur Excel/ });
	await expect(link).toHaveAttribute('href', /\.xlsx$/);
	const rows = await readXlsx(request, (await link.getAttribute('href'))!);
	// A note, a blank line, the French headers, then the figures as numbers.
	expect(String(rows[0]?.[0])).toMatch(/ — au /);
	expect(rows[1]?.every((h) => typeof h === 'string' && /^[A-ZÀ-Ü]/.test(h))).toBe(true);
	expect(rows.slice(2).some((r) => r.some((c) => typeof c === 'number'))).toBe(true);

	const grid = await readXlsx(request, '/tableau-de-bord/grille-fiches.xlsx');
	expect(grid[1]).toEqual(['Fiche', 'Titre', 'Priorité', 'Statut']);
	expect(grid).toHaveLength(2 + 23);
	expect(grid.slice(2).map((r) => r[3])).toContain('À lancer');

	// The edition's figures too; the open-data CSV stays as it was.
	const edition = await readXlsx(request, '/bilans/2018/avancement-axes.xlsx');
	expect(edition[1]?.[0]).toBe('Code');
	expect(edition.slice(2).map((r) => r[4])).toContain('non évalué');
	expect((await (await request.get('/donnees/fiches.csv')).text()).charCodeAt(0)).not.toBe(0xfeff);
});

test('the record of a closed sitting is offered as an Excel workbook', async ({ request }) => {
	// The seeded sitting of 1 February 2019 and its opinions (other tests add sittings).
	const list = await (await request.get('/commission')).text();
	const id = Number(
		/\/commission\/seances\/(\d+)(?="\s*>Séance du 1er\sfévrier\s2019)/.exec(list)?.[1]
	);
	const rows = await readXlsx(request, `/commission/seances/${id}/releve.xlsx`);
	// Empty rows are not listed: the note, then the headers, then the decisions.
	expect(rows[0]?.[0]).toMatch(/séance du 1er\sfévrier\s2019, Cahors ; présents/);
	expect(rows[1]?.[0]).toBe('Date de la séance');
	const decisions = rows.slice(2);
	expect(decisions.length).toBeGreaterThan(0);
	expect(decisions[0]?.[0]).toBeInstanceOf(Date);
	// The kind of decision, then the opinion: not the same words twice.
	expect(decisions.map((r) => [r[3], r[4]])).toContainEqual(['Avis', 'Avis favorable']);
});
