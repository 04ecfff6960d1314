import { expect, test } from './helpers/portal';
import { expectNoAxeViolations } from './helpers/axe';

const PUBLIC_PAGES = [
	['/', 'Le plan en un coup d’œil'],
	['/fiches', 'Fiches-actions'],
	['/fiches?priorite=1&organisation=cdg46', 'Fiches-actions : 4 résultats'],
	['/fiches?statut=inconnu', 'Fiches-actions'],
	['/fiches/14-1', 'Fiche 14-1'],
	['/fiches/11-1', 'Fiche 11-1'],
	['/fiches/17-1', 'Fiche 17-1'],
	['/fiches/14-1/historique/2018', 'Historique 2018 de la fiche 14-1'],
	['/historique', 'Historique du plan'],
	['/organisations', 'Organisations'],
	['/organisations/lot-numerique', 'Syndicat mixte Lot numérique'],
	['/donnees', 'Données ouvertes'],
	['/mentions-legales', 'Mentions légales'],
	['/donnees-personnelles', 'Données personnelles'],
	['/accessibilite', 'Déclaration d’accessibilité']
] as const;

for (const [path, title] of PUBLIC_PAGES) {
	test(`${path} is accessible, titled and in French`, async ({ page }) => {
		const response = await page.goto(path);
		expect(response?.status()).toBe(200);
		// A count and its word are joined by a no-break space (pluralize).
		await expect(page).toHaveTitle(new RegExp(`^${title.replaceAll(' ', '\\s')}`));
		await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
		await expect(page.locator('h1')).toHaveCount(1);
		await expectNoAxeViolations(page);
	});
}

test('English expressions of the plan are marked as English for screen readers', async ({
	page
}) => {
	await page.goto('/');
	const english = page.locator('main [lang="en"]');
	await expect(english.filter({ hasText: /^Open innovation$/ }).first()).toBeVisible();
	await expect(english.filter({ hasText: /^Smart$/ }).first()).toBeVisible();
	// The list of fiches, the fiche's own heading and its texts.
	await expect(page.locator('a[href="/fiches/5-1"] [lang="en"]')).toHaveText('open data');
	await page.goto('/fiches/6-1');
	await expect(page.locator('h1 [lang="en"]')).toHaveText('data center');
	await page.goto('/fiches/5-1');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'Fiche action 5-1 : Accompagnement des territoires dans l’open data'
	);
	expect(await page.locator('main section [lang="en"]').allTextContents()).toContain('Open Data');
	// The dashboard's tiles, and an edition's list of fiches.
	await page.goto('/tableau-de-bord');
	await expect(page.locator('a[href="/fiches/5-1"] [lang="en"]')).toHaveText('open data');
	await page.goto('/bilans/2018');
	await expect(
		page.locator('main li [lang="en"]').filter({ hasText: 'open data' })
	).not.toHaveCount(0);
});

test('an unknown fiche gives a French 404 page', async ({ page }) => {
	for (const path of ['/fiches/99-9', '/fiches/abc', '/organisations/inconnue', '/nulle-part']) {
		const response = await page.goto(path);
		expect(response?.status()).toBe(404);
		await expect(page.locator('h1')).toHaveText('Page introuvable');
		// The heading is not said again as the first paragraph.
		await expect(page.locator('main p').first()).not.toHaveText('Page introuvable.');
		await expectNoAxeViolations(page);
	}
	await page.goto('/fiches/99-9');
	await expect(page.getByText('Aucune fiche-action ne porte le code « 99-9 »')).toBeVisible();
	// A version the edition never had is named, version 0 too.
	expect((await page.goto('/bilans/2018?version=0'))?.status()).toBe(404);
	await expect(page.getByText('Aucun bilan 2018 n’est publié en version 0.')).toBeVisible();
	// A version that is not a number is told as such, on the page and on its data files.
	for (const path of ['/bilans/2018?version=abc', '/bilans/2018/plan.json?version=abc']) {
		expect((await page.goto(path))?.status(), path).toBe(404);
		await expect(page.getByText('Cette version du bilan 2018 n’existe pas')).toBeVisible();
	}
});

test('a fiche lists the fiches it links to and those that cite it, or says there are none', async ({
	page
}) => {
	await page.goto('/fiches/4-1');
	const links = page.getByRole('region', { name: 'Fiches liées' });
	await expect(links.getByRole('list').first().getByRole('link')).toHaveText([
		'2-1 — Mise en place d’une plateforme fédérative des téléservices publics',
		'3-1 — Gestion mutualisée du SIG et de la cartographie interactive'
	]);
	await expect(links.getByRole('list').nth(1).getByRole('link')).toHaveCount(2);
	await page.goto('/fiches/14-1');
	const none = page.getByRole('region', { name: 'Fiches liées' });
	await expect(none.getByText('Aucune fiche citée.')).toBeVisible();
	await expect(none.getByText('Aucune fiche ne cite celle-ci.')).toBeVisible();
	await expect(none.getByRole('link')).toHaveCount(0);
});

test('printed, a « Priorité 1 » badge keeps its blue when the browser prints without backgrounds', async ({
	page
}) => {
	await page.emulateMedia({ media: 'print' });
	await page.goto('/fiches/14-1');
	// White on blue: printed without backgrounds (browsers' default), it would vanish.
	const badge = page.getByText('Priorité 1', { exact: true }).first();
	await expect(badge).toBeVisible();
	expect(await badge.evaluate((el) => getComputedStyle(el).printColorAdjust)).toBe('exact');
});

test('unknown filters are ignored with a visible note', async ({ page }) => {
	await page.goto('/fiches?priorite=7&axe=modernite&statut=%3Cb%3E');
	await expect(page.getByRole('status')).toContainText('Priorité « 7 » invalide');
	await expect(page.getByRole('status')).toContainText('Statut inconnu « <b> »');
	await expect(page.getByRole('heading', { level: 2, name: '7 fiches trouvées' })).toBeVisible();
});

test('every response carries the security headers', async ({ request }) => {
	for (const path of ['/', '/fiches/14-1', '/donnees/plan.json', '/fiches/99-9', '/connexion']) {
		const response = await request.get(path);
		const headers = response.headers();
		expect(headers['x-content-type-options']).toBe('nosniff');
		expect(headers['referrer-policy']).toBeTruthy();
		if (headers['content-type']?.startsWith('text/html')) {
			const csp = headers['content-security-policy'] ?? '';
			for (const directive of [
				"object-src 'none'",
				"base-uri 'none'",
				"frame-ancestors 'none'",
				"form-action 'self'"
			])
				expect(csp).toContain(directive);
			expect(csp).not.toContain("script-src 'self' 'unsafe-inline'");
			// Hashes, never a nonce (svelte.config.js, `kit.csp.mode`): a page replayed from the cache
			// would replay its nonce. A hydrated page (the sign-in form) names its inline script's hash.
			expect(csp).not.toContain("'nonce-");
			if (path === '/connexion') expect(csp).toContain("'sha256-");
		}
	}
});

test('public answers carry validators: 304 when unchanged, brotli or gzip when accepted', async ({
	request
}) => {
	for (const path of [
		'/fiches/14-1',
		'/tableau-de-bord',
		'/donnees/plan.json',
		// The charts' data, fetched by the page's script on every visit.
		'/tableau-de-bord/graphiques.json',
		'/bilans/2018/graphiques.json'
	]) {
		const first = await request.get(path);
		const etag = first.headers()['etag'];
		expect(etag, path).toMatch(/^W\/"[\w-]+"$/);
		expect(first.headers()['cache-control']).toBe('public, no-cache');
		expect(first.headers()['vary']).toBe('Cookie, Accept-Encoding');
		const again = await request.get(path, { headers: { 'if-none-match': etag! } });
		expect(again.status(), path).toBe(304);
		const zipped = await request.get(path, { headers: { 'accept-encoding': 'gzip' } });
		expect(zipped.headers()['content-encoding'], path).toBe('gzip');
		expect(await zipped.body()).toEqual(await first.body());
		// The brotli copy is made in the background once the answer has been asked for again.
		const brotli = () => request.get(path, { headers: { 'accept-encoding': 'br' } });
		await expect.poll(async () => (await brotli()).headers()['content-encoding']).toBe('br');
		expect(await (await brotli()).body()).toEqual(await first.body());
	}
	// HEAD (link checkers, monitoring): before any GET too, the GET's headers and validators (the
	// answer is made and kept, sent without its body), and 304 with them.
	for (const path of ['/bilans/2018/impression', '/donnees/fiches.csv']) {
		const cold = await request.head(path);
		expect(cold.status(), path).toBe(200);
		expect(cold.headers()['cache-control'], path).toBe('public, no-cache');
		const etag = (await request.get(path)).headers()['etag'];
		expect(cold.headers()['etag'], path).toBe(etag);
		const warm = await request.head(path);
		expect(warm.headers()['etag'], path).toBe(etag);
		expect(warm.headers()['cache-control'], path).toBe('public, no-cache');
		expect((await warm.body()).byteLength, path).toBe(0);
		expect((await request.head(path, { headers: { 'if-none-match': etag! } })).status()).toBe(304);
		// The GET after a HEAD still has its body (a HEAD is never kept as the page).
		expect((await (await request.get(path)).body()).byteLength, path).toBeGreaterThan(100);
	}
	// Private and form pages are never marked public.
	const login = await request.get('/connexion');
	expect(login.headers()['cache-control'] ?? '').not.toContain('public');
});

test('the skip link takes the keyboard to the content', async ({ page }) => {
	await page.goto('/fiches/14-1');
	await page.keyboard.press('Tab');
	const skip = page.getByRole('link', { name: 'Aller au contenu' });
	await expect(skip).toBeFocused();
	await expect(skip).toBeInViewport();
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/#contenu$/);
});

test('on a phone, a wide table scrolls sideways from the keyboard', async ({ page }) => {
	for (const [path, name, width] of [
		['/donnees', 'Fichiers de données ouvertes', 390],
		['/organisations', 'Organisations et nombre de fiches portées ou en partenariat', 390],
		// A fiche's measurements no longer: below 30rem its comment goes under the date and the
		// value, and the table fits 320 px (progress-flow.spec.ts checks it).
		['/commission/priorites', /^Priorité de chaque fiche à l’adoption/, 390]
	] as const) {
		await page.setViewportSize({ width, height: 800 });
		await page.goto(path);
		const area = page.getByRole('region', { name });
		await area.focus();
		await expect(area, path).toBeFocused();
		const wider = await area.evaluate((el) => el.scrollWidth > el.clientWidth);
		expect(wider, `${path}: the table is wider than the phone`).toBe(true);
		await page.keyboard.press('ArrowRight');
		await expect
			.poll(() => area.evaluate((el) => el.scrollLeft), { message: path })
			.toBeGreaterThan(0);
	}
});

test('download and year links name what they lead to, in a list of links as on the page', async ({
	page
}) => {
	// A séance's relevé: « tableur Excel » and « CSV » say of what, as the dashboard's downloads.
	await page.goto('/commission/seances/1');
	const day = (await page.locator('h1').textContent())!.replace(/^[^]*?du\s/, '').trim();
	for (const format of ['tableur Excel', 'CSV'])
		await expect(
			page.getByRole('link', {
				name: new RegExp(`^${format}\\s:\\srelevé de décisions du\\s${day.replace(/\s/g, '\\s')}$`)
			})
		).toBeVisible();
	// A fiche's yearly history: each year says whose updates, as the fiche's own links.
	await page.goto('/fiches/14-1/historique/2018');
	const years = page.getByRole('navigation', { name: 'Années de l’historique' });
	await expect(
		years.getByRole('link', { name: /^2018\s:\smises à jour de la fiche 14-1$/ })
	).toHaveAttribute('aria-current', 'page');
	await expectNoAxeViolations(page);
});
