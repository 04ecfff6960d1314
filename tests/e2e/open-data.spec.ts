import { spawnSync } from 'node:child_process';
import { expect, test } from './helpers/portal';
import { parse } from 'csv-parse/sync';
import { ACCOUNTS, apiAs, portalDatabase } from './helpers/accounts';
import { expectNoAxeViolations } from './helpers/axe';
import { daysBefore, parisDayEnd, parisToday } from '../../src/lib/utils/dates';

/** Whether `npm run export` itself has run in this worker. */
let ranThroughNpm = false;

/**
 * The export command's bytes, run on the server's database: `npm run --silent export -- …` the
 * first time, then the program npm runs for it (`node scripts/ops.js export …`, package.json)
 * without npm's own start-up, about half a second of CPU at each of the sixteen runs.
 */
async function exportCommand(
	args: string[]
): Promise<{ stdout: Buffer; stderr: string; status: number | null }> {
	const [command, ...prefix] = ranThroughNpm
		? [process.execPath, 'scripts/ops.js', 'export']
		: ['npm', 'run', '--silent', 'export', '--'];
	ranThroughNpm = true;
	const result = spawnSync(command, [...prefix, ...args], {
		env: { ...process.env, DATABASE_PATH: await portalDatabase() }
	});
	return { stdout: result.stdout, stderr: result.stderr.toString('utf8'), status: result.status };
}

const FILES = [
	'datapackage.json',
	'plan.json',
	'fiches.csv',
	'mesures.csv',
	'mesures-2018.csv',
	'mises-a-jour.csv',
	'decisions.csv'
];

// First in this file: the addresses it asks for are not yet kept by the page cache.
test('HEAD gives the validator and size GET gives, before any GET', async ({ request }) => {
	for (const path of [
		'/donnees/fiches.csv',
		'/bilans/2018/mises-a-jour.csv',
		'/bilans/2018/statuts-priorites.csv'
	]) {
		const head = await request.head(path, { headers: { 'accept-encoding': 'identity' } });
		expect(head.status(), path).toBe(200);
		const { etag, 'content-length': length } = head.headers();
		expect(etag, path).toBeTruthy();
		const got = await request.get(path, { headers: { 'accept-encoding': 'identity' } });
		expect(got.headers().etag, path).toBe(etag);
		expect(length, path).toBe(String((await got.body()).byteLength));
		const again = await request.head(path, { headers: { 'if-none-match': etag! } });
		expect(again.status(), path).toBe(304);
	}
});

test('every open-data file: the same bytes from /donnees, from the export command, and frozen in the 2018 edition', async ({
	request
}) => {
	// Fifteen runs of the command: slow on a shared two-core machine.
	test.setTimeout(180_000);
	for (const file of FILES) {
		const name = file.replace(/\.(json|csv)$/, '');
		const live = await request.get(`/donnees/${file}`);
		expect(live.status(), file).toBe(200);
		expect(live.headers()['content-type']).toMatch(
			file.endsWith('.json') ? /^application\/json/ : /^text\/csv/
		);
		const exported = await exportCommand(['--resource', name]);
		expect(exported.stderr).toMatch(/^Base de données : .+\n$/);
		expect(exported.status).toBe(0);
		expect(exported.stdout.equals(await live.body()), file).toBe(true);

		const frozen = await request.get(`/bilans/2018/${file}`);
		expect(frozen.status(), `/bilans/2018/${file}`).toBe(200);
		const frozenExport = await exportCommand(['--resource', name, '--year', '2018']);
		expect(frozenExport.stderr).toMatch(/^Base de données : .+\n$/);
		expect(frozenExport.stdout.equals(await frozen.body()), `2018 ${file}`).toBe(true);
	}
	const plan = await (await request.get('/donnees/plan.json')).json();
	expect(plan.schema).toBe('sdusn/plan@2');
	expect(plan.fiches).toHaveLength(23);
	const edition = await (await request.get('/bilans/2018/plan.json')).json();
	expect(edition).toMatchObject({ as_of: '2018-12-31', edition: { year: 2018, version: 1 } });
	// Downloaded, an edition's file says its version; exported by version, the package is as frozen
	// (its paths name the files exported beside it), not as its address by version gives it.
	expect((await request.get('/bilans/2018/fiches.csv')).headers()['content-disposition']).toBe(
		'attachment; filename="bilan-2018-version-1-fiches.csv"'
	);
	const byVersion = await exportCommand([
		'--resource',
		'datapackage',
		'--year',
		'2018',
		'--version',
		'1'
	]);
	expect(
		byVersion.stdout.equals(await (await request.get('/bilans/2018/datapackage.json')).body())
	).toBe(true);
});

test('the data package names every file it describes, and each one is there', async ({
	request
}) => {
	// Each path read as a reader of the package would: relative to the package's own address.
	const packages = [
		'/donnees/datapackage.json',
		'/bilans/2018/datapackage.json',
		'/bilans/2018/datapackage.json?version=1'
	];
	for (const address of packages) {
		const packageUrl = new URL(address, 'http://portail');
		const descriptor = await (await request.get(address)).json();
		expect(descriptor.licenses[0].name).toBe('etalab-2.0');
		for (const resource of descriptor.resources) {
			const file = new URL(resource.path, packageUrl);
			const response = await request.get(file.pathname + file.search);
			expect(response.status(), `${file.pathname}${file.search}`).toBe(200);
			expect(file.search).toBe(packageUrl.search);
			expect((await response.body()).byteLength).toBe(resource.bytes);
			if (resource.schema) {
				const rows = parse(await response.text()) as string[][];
				expect(rows[0]).toEqual(resource.schema.fields.map((f: { name: string }) => f.name));
			}
		}
	}
});

test('the whole history comes compressed and with validators', async ({ request }) => {
	const first = await request.get('/donnees/mesures.csv', {
		headers: { 'accept-encoding': 'gzip' }
	});
	expect(first.status()).toBe(200);
	const etag = first.headers()['etag'];
	expect(etag).toBeTruthy();
	const again = await request.get('/donnees/mesures.csv', {
		headers: { 'if-none-match': etag!, 'accept-encoding': 'gzip' }
	});
	expect(again.status()).toBe(304);
	expect((await request.get('/donnees/mesures-1999.csv')).status()).toBe(404);
	expect((await request.get('/bilans/2018/mesures-2019.csv')).status()).toBe(404);
	const unknown = await exportCommand(['--resource', 'inconnu']);
	expect(unknown.status).not.toBe(0);
	expect(unknown.stderr).toMatch(/Ressource « inconnu » inconnue/);
});

test('a broken download resumes: a range of bytes, live and frozen, unless the file changed', async ({
	request
}) => {
	for (const path of ['/donnees/mesures.csv', '/bilans/2018/mesures.csv']) {
		const identity = { 'accept-encoding': 'identity' };
		const whole = await request.get(path, { headers: identity });
		expect(whole.headers()['accept-ranges'], path).toBe('bytes');
		const etag = whole.headers()['etag']!;
		expect(etag, path).toMatch(/^"/);
		const body = await whole.body();
		const part = await request.get(path, {
			headers: { ...identity, range: 'bytes=100-', 'if-range': etag }
		});
		expect(part.status(), path).toBe(206);
		expect(part.headers()['content-range'], path).toBe(
			`bytes 100-${body.length - 1}/${body.length}`
		);
		expect((await part.body()).equals(body.subarray(100)), path).toBe(true);
		const past = await request.get(path, { headers: { range: `bytes=${body.length}-` } });
		expect(past.status(), path).toBe(416);
		expect(past.headers()['content-range'], path).toBe(`bytes */${body.length}`);
		const changed = await request.get(path, {
			headers: { ...identity, range: 'bytes=100-', 'if-range': '"autre-version"' }
		});
		expect(changed.status(), path).toBe(200);
		expect((await changed.body()).length, path).toBe(body.length);
	}
});

test('a broken download resumes for a signed-in visitor too, whose answers the page cache does not keep', async () => {
	const admin = await apiAs(ACCOUNTS.admin);
	const identity = { 'accept-encoding': 'identity' };
	const whole = await admin.get('/donnees/mesures.csv', { headers: identity });
	expect(whole.headers()['accept-ranges']).toBe('bytes');
	const body = await whole.body();
	const part = await admin.get('/donnees/mesures.csv', {
		headers: { ...identity, range: 'bytes=100-', 'if-range': whole.headers()['last-modified']! }
	});
	expect(part.status()).toBe(206);
	expect(part.headers()['content-range']).toBe(`bytes 100-${body.length - 1}/${body.length}`);
	expect((await part.body()).equals(body.subarray(100))).toBe(true);
	const past = await admin.get('/donnees/mesures.csv', {
		headers: { range: `bytes=${body.length}-` }
	});
	expect(past.status()).toBe(416);
	await admin.dispose();
});

test('a script of another origin gets the files, their validators, a preflight and the refusals', async ({
	request
}) => {
	const file = await request.get('/donnees/plan.json', {
		headers: { origin: 'https://exemple.test' }
	});
	expect(file.status()).toBe(200);
	const headers = file.headers();
	expect(headers['access-control-allow-origin']).toBe('*');
	expect(headers['access-control-expose-headers']).toBe(
		'ETag, Last-Modified, Content-Disposition, Content-Range'
	);
	expect(new Date(headers['last-modified']!).toUTCString()).toBe(headers['last-modified']);
	// The plan's workbook too: its validators readable, dated; downloaded whole (asPublicFile).
	const workbook = (
		await request.get('/donnees/plan.xlsx', { headers: { origin: 'https://exemple.test' } })
	).headers();
	expect(workbook).toMatchObject({
		'access-control-allow-origin': '*',
		'access-control-expose-headers': 'ETag, Last-Modified, Content-Disposition, Content-Range'
	});
	expect(workbook['accept-ranges']).toBeUndefined();
	expect(new Date(workbook['last-modified']!).toUTCString()).toBe(workbook['last-modified']);
	// A validator sent from another origin asks the browser's preflight first: allowed for every
	// file, a figure's table, the charts' data and the workbook included.
	for (const path of [
		'/donnees/plan.json',
		'/donnees/plan.xlsx',
		'/bilans/2018/mesures.csv',
		'/bilans/2018/avancement-axes.csv',
		'/bilans/2018/avancement-axes.xlsx',
		'/bilans/2018/graphiques.json'
	]) {
		const preflight = await request.fetch(path, {
			method: 'OPTIONS',
			headers: {
				origin: 'https://exemple.test',
				'access-control-request-method': 'GET',
				'access-control-request-headers': 'if-none-match'
			}
		});
		expect(preflight.status(), path).toBe(204);
		expect(preflight.headers()).toMatchObject({
			'access-control-allow-origin': '*',
			'access-control-allow-headers': 'If-None-Match, If-Modified-Since, Range, If-Range'
		});
	}
	// A refusal is readable too: « not published » is not a network failure.
	for (const [path, message] of [
		['/bilans/2031/plan.json', 'Aucun bilan 2031 n’est publié.'],
		['/donnees/mesures-1999.csv', 'Ce fichier de données n’existe pas.'],
		// Names no route matches, and a typo taken for a figure of the edition.
		['/donnees/nope.csv', 'Ce fichier de données n’existe pas.'],
		['/donnees/Plan.json', 'Ce fichier de données n’existe pas.'],
		['/bilans/abcd/plan.json', 'Ce fichier de données n’existe pas.'],
		['/bilans/2018/mesure-2018.csv', 'Ce fichier de données n’existe pas.'],
		['/bilans/2018/mesures.csv?version=9', 'Aucun bilan 2018 n’est publié en version 9.']
	]) {
		const refused = await request.get(path!, {
			headers: { accept: '*/*', origin: 'https://exemple.test' }
		});
		expect(refused.status(), path).toBe(404);
		expect(refused.headers()['access-control-allow-origin'], path).toBe('*');
		expect(await refused.json(), path).toEqual({ message });
	}
});

test('a figure’s table and the charts are dated and kept like the open data, resumable but for a workbook', async ({
	request
}) => {
	const edition = (await request.get('/bilans/2018/plan.json')).headers()['last-modified'];
	expect(edition).toBeTruthy();
	for (const path of [
		'/bilans/2018/avancement-axes.csv',
		'/bilans/2018/avancement-axes.xlsx',
		'/bilans/2018/graphiques.json'
	]) {
		const headers = (await request.get(path)).headers();
		// Frozen at the edition's publication, as its open-data files.
		expect(headers['last-modified'], path).toBe(edition);
	}
	// The live workbooks are dated too: a séance's relevé by the last change of published data, as
	// the live files (it names each fiche by today's code and title); the dashboard's figures by
	// that change, or today's start in Paris when later (its figures are of the day).
	const live = (await request.get('/donnees/plan.json')).headers()['last-modified']!;
	expect(live).toBeTruthy();
	const todayStart = new Date(parisDayEnd(daysBefore(parisToday(), 1)));
	const dashboard = new Date(Math.max(Date.parse(live), todayStart.getTime())).toUTCString();
	for (const [path, expected] of [
		['/commission/seances/1/releve.xlsx', live],
		['/tableau-de-bord/statuts-priorites.xlsx', dashboard]
	] as const) {
		const answer = await request.head(path);
		expect(answer.headers()['last-modified'], path).toBe(expected);
		// What wget -N and curl -z ask: not sent again while unchanged.
		const unchanged = await request.get(path, { headers: { 'if-modified-since': expected } });
		expect(unchanged.status(), path).toBe(304);
	}
	for (const path of [
		'/bilans/2018/avancement-axes.xlsx',
		'/tableau-de-bord/statuts-priorites.xlsx',
		'/tableau-de-bord/graphiques.json'
	]) {
		const first = await request.get(path);
		expect(first.status(), path).toBe(200);
		// A workbook is zipped anew at each build: no two builds alike, so it is sent whole.
		const workbook = path.endsWith('.xlsx');
		expect(first.headers()['accept-ranges'], path).toBe(workbook ? undefined : 'bytes');
		// Kept in the page cache: asked again with its ETag, not rebuilt nor sent again.
		const etag = (await request.get(path)).headers()['etag'];
		expect(etag, path).toBeTruthy();
		const again = await request.get(path, { headers: { 'if-none-match': etag! } });
		expect(again.status(), path).toBe(304);
		// A broken download resumes; a workbook's is downloaded again.
		const rest = await request.get(path, { headers: { range: 'bytes=10-' } });
		expect(rest.status(), path).toBe(workbook ? 200 : 206);
		expect((await rest.body()).length, path).toBe(
			(await first.body()).length - (workbook ? 0 : 10)
		);
	}
});

test('/donnees lists every file with its size, rows, last change and licence', async ({ page }) => {
	await page.goto('/donnees');
	const table = page.getByRole('table', { name: 'Fichiers de données ouvertes' });
	for (const file of FILES) await expect(table.getByRole('link', { name: file })).toBeVisible();
	const mesures = table.getByRole('row', { name: /^mesures\.csv/ });
	await expect(mesures).toContainText(/\d+\slignes?/);
	await expect(mesures).toContainText(/octets|Ko|Mo/);
	await expect(mesures).toContainText('Licence Ouverte 2.0');
	await expect(page.getByRole('link', { name: /datapackage\.json/ }).first()).toHaveAttribute(
		'href',
		'/donnees/datapackage.json'
	);
	await expectNoAxeViolations(page);
});
