import type { APIRequestContext, APIResponse } from '@playwright/test';
import { expect, test } from './helpers/portal';
import SQLite from 'better-sqlite3';
import { ACCOUNTS, apiAs, portalDatabase, portalUrl } from './helpers/accounts';
import { startOwnPortal } from './helpers/own-portal';
import { E2E_TEMPLATE } from '../../playwright.config';
import net from 'node:net';
import { daysAfter, parisToday } from '../../src/lib/utils/dates';
import { waitForHydration } from './helpers/hydration';

/** What an outside probe found (issue 12), checked against the running portal. */

const SECURITY = {
	'x-content-type-options': 'nosniff',
	'x-frame-options': 'DENY',
	'referrer-policy': 'strict-origin-when-cross-origin'
};

test('every answer carries the security headers: static files and the cross-site refusal', async () => {
	const api = await apiAs(null);
	const home = await api.get('/');
	const asset = /(\/_app\/immutable\/[^"']+\.(?:js|css))/.exec(await home.text())?.[1];
	expect(asset).toBeTruthy();
	for (const path of ['/robots.txt', '/favicon.svg', asset!]) {
		const response = await api.get(path);
		expect(response.status(), path).toBe(200);
		expect(response.headers(), path).toMatchObject(SECURITY);
	}
	const crossSite = await api.post('/connexion', {
		headers: { origin: 'https://evil.example' },
		form: { email: 'a@b.fr', password: 'x' }
	});
	expect(crossSite.status()).toBe(403);
	expect(crossSite.headers()).toMatchObject(SECURITY);
	await api.dispose();
});

test('refusals made before any page runs are answered in French', async () => {
	const api = await apiAs(null);
	const answers: (readonly [string, Promise<APIResponse>, number, string])[] = [
		...(
			[
				['formulaire venu d’un autre site', { origin: 'https://evil.example' }, 'form'],
				['formulaire sans origine (multipart)', { origin: 'null' }, 'multipart']
			] as const
		).map(
			([label, headers, kind]) =>
				[
					label,
					api.post('/connexion', { headers, [kind]: { email: 'a@b.fr', password: 'x' } }),
					403,
					'envoyé depuis un autre site que le portail'
				] as const
		),
		['adresse mal encodée', api.get('/fiches/%E0%A4%A'), 400, 'Cette adresse est mal formée'],
		[
			'script d’une version précédente',
			api.get('/_app/immutable/entry/app.AncienneVersion.js'),
			404,
			'Fichier introuvable'
		],
		[
			'formulaire envoyé en JSON',
			api.post('/connexion', { data: { email: 'a@b.fr', password: 'x' } }),
			415,
			'n’a pas été envoyé comme un formulaire de page'
		],
		['page sans formulaire', api.post('/fiches', { form: { x: '1' } }), 405, 'ne reçoit pas'],
		[
			'fichier de données',
			api.post('/donnees/plan.json', { form: { x: '1' } }),
			405,
			'ne reçoit pas'
		],
		[
			'formulaire trop volumineux',
			api.post('/connexion', { form: { email: 'a@b.fr', password: 'x'.repeat(600_000) } }),
			413,
			'trop volumineux'
		]
	];
	for (const [label, answer, status, text] of answers) {
		const response = await answer;
		expect(response.status(), label).toBe(status);
		const body = await response.text();
		expect(body, label).toContain(text);
		expect(body, label).not.toMatch(
			/forbidden|Malformed|Unsupported|not allowed|exceeds|not found/i
		);
	}
	// Asked by a script, the cross-site refusal is JSON, still in French.
	const json = await api.post('/connexion', {
		headers: { origin: 'https://evil.example', accept: 'application/json' },
		form: { email: 'a@b.fr' }
	});
	expect(json.status()).toBe(403);
	expect((await json.json()).message).toContain('envoyé depuis un autre site');
	// The same forms from the portal itself still work.
	const own = await api.post('/connexion', { form: { email: 'a@b.fr', password: 'x' } });
	expect(own.status()).toBe(400);
	await api.dispose();
});

test('a form sent by the page’s script to a portal whose ORIGIN is wrong shows the French refusal', async ({
	page
}) => {
	// A portal behind a proxy whose ORIGIN is wrong: the browser's Origin is never the portal's, but
	// it is the machine the request was sent to (its Host): the portal is said misconfigured.
	const portal = await startOwnPortal(
		{ ORIGIN: 'http://portail.example' },
		{ copyOf: E2E_TEMPLATE }
	);
	try {
		// Its start line gives the address people use, and the one it listens on beside.
		expect(portal.output()).toContain(
			`Portail SDUSN disponible sur http://portail.example/ (écoute sur ${portal.url}/`
		);
		await page.goto(`${portal.url}/connexion`);
		await waitForHydration(page);
		await page.getByLabel('Adresse électronique').fill(ACCOUNTS.commission.email);
		await page.getByLabel('Mot de passe').fill(ACCOUNTS.commission.password);
		// Sent by the page's script (use:enhance), not by the browser's own form submission.
		const refused = page.waitForResponse(
			(r) =>
				r.request().method() === 'POST' && r.request().headers()['x-sveltekit-action'] === 'true'
		);
		await page.getByRole('button', { name: 'Se connecter' }).click();
		expect((await refused).status()).toBe(403);
		await expect(page.getByText('Le portail est mal configuré')).toBeVisible();
		// An address printed on paper is the configured ORIGIN, never the Host a request claims
		// (the page is kept and shared by every visitor).
		const edition = await (
			await page.request.get(`${portal.url}/bilans/2018`, { headers: { host: 'evil.example' } })
		).text();
		expect(edition).toContain('http://portail.example/bilans/2018/impression?version=1');
		expect(edition).not.toContain('evil.example');
	} finally {
		portal.child.kill('SIGTERM');
		await portal.exited;
	}
});

test('redirectTo never leads off the portal, and never answers 500', async () => {
	const anonymous = await apiAs(null);
	const signIn = await anonymous.post('/connexion', {
		form: {
			email: ACCOUNTS.commission.email,
			password: ACCOUNTS.commission.password,
			redirectTo: '/\t/evil.example'
		}
	});
	expect(signIn.status()).toBe(303);
	expect(signIn.headers().location).toBe('/commission');
	// Signed in, visiting /connexion with a hostile target.
	for (const target of [
		'%2F%09%2Fevil.example',
		'%2F%5Cevil.example',
		'%2F%2Fevil.example',
		'https%3A%2F%2Fevil.example',
		'%2Ffiches%0D%0ASet-Cookie%3A%20x%3D1',
		'%2Ffiches%2F%E2%98%83',
		'%2F%EF%BC%8Fevil.example'
	]) {
		const response = await anonymous.get(`/connexion?redirectTo=${target}`);
		expect(response.status(), target).toBe(303);
		const location = response.headers().location ?? '';
		const origin = await portalUrl();
		expect(new URL(location, origin).origin, target).toBe(origin);
		expect(response.headers()['set-cookie'] ?? '', target).not.toContain('x=1');
	}
	expect((await anonymous.get('/connexion?redirectTo=%2Ffiches%2F9-1')).headers().location).toBe(
		'/fiches/9-1'
	);
	await anonymous.dispose();
});

test('a malformed form body answers 400 with the French error page', async () => {
	const api = await apiAs(null);
	const cases: [string, string][] = [
		['multipart/form-data', 'x'],
		['multipart/form-data; boundary=zzz', '--autre\r\n\r\nx'],
		[
			'multipart/form-data; boundary=zzz',
			'--zzz\r\nContent-Disposition: form-data; name="email"\r\n\r\nab'
		],
		[
			'multipart/form-data; boundary=zzz',
			'--zzz\r\nContent-Disposition: form-data\r\n\r\nx\r\n--zzz--\r\n'
		],
		['text/plain', 'email=a@b.fr']
	];
	for (const [type, body] of cases) {
		const response = await api.post('/connexion', {
			headers: { 'content-type': type },
			data: body
		});
		expect(response.status(), `${type} ${JSON.stringify(body)}`).toBe(400);
		expect(await response.text()).toContain('Le formulaire envoyé est illisible');
	}
	await api.dispose();
});

test('a form naming the reserved `default` action, or a member of Object.prototype, answers 404 in French, not 500', async () => {
	const api = await apiAs(null);
	for (const path of [
		'/connexion?/default',
		'/mot-de-passe-oublie?/default',
		'/deconnexion?/default'
	]) {
		const response = await api.post(path, { form: { email: 'a@b.fr' } });
		expect(response.status(), path).toBe(404);
		expect(await response.text()).toContain('Page introuvable.');
	}
	// Names every object inherits: SvelteKit's actions[name] found and called them (a 500, or for a
	// script's post a 200 « success » past the page's guard).
	for (const path of [
		'/connexion?/constructor',
		'/connexion?/__proto__',
		'/admin/utilisateurs?/hasOwnProperty'
	]) {
		const response = await api.post(path, { form: { x: '1' } });
		expect(response.status(), path).toBe(404);
		expect(await response.text()).toContain('Page introuvable.');
	}
	const scripted = await api.post('/admin/utilisateurs?/toString', {
		form: { x: '1' },
		headers: { accept: 'application/json', 'x-sveltekit-action': 'true' }
	});
	expect(scripted.status()).toBe(404);
	expect(await scripted.json()).toEqual({ type: 'error', error: { message: 'Page introuvable.' } });
	await api.dispose();
});

test('percent-encoded spellings of a path are sent to the canonical one', async () => {
	const api = await apiAs(null);
	for (const [spelling, canonical] of [
		['/%66iches', '/fiches'],
		['/tableau%2Dde%2Dbord', '/tableau-de-bord'],
		['/fiches/%39-1?axe=1', '/fiches/9-1?axe=1']
	] as const) {
		const response = await api.get(spelling);
		expect(response.status(), spelling).toBe(301);
		expect(response.headers().location).toBe(canonical);
	}
	await api.dispose();
});

// Readback s47: errors and redirections on public routes carried no Cache-Control, though every
// answer that is not a public page is `private, no-store` (README « Comptes, rôles et sécurité »).
test('a public route’s errors and redirections are never stored, its page may be', async () => {
	const api = await apiAs(null);
	const answers: [string, number, Promise<APIResponse>][] = [
		['/fiches/99-9', 404, api.get('/fiches/99-9')],
		['/bilans/2099', 404, api.get('/bilans/2099')],
		['/organisations/nope', 404, api.get('/organisations/nope')],
		['/bilans/2018?version=abc', 404, api.get('/bilans/2018?version=abc')],
		['PUT /fiches', 405, api.put('/fiches')],
		['/%66iches', 301, api.get('/%66iches', { maxRedirects: 0 })]
	];
	for (const [request, status, answer] of answers) {
		const response = await answer;
		expect(response.status(), request).toBe(status);
		expect(response.headers()['cache-control'], request).toBe('private, no-store');
	}
	expect((await api.get('/fiches')).headers()['cache-control']).toBe('public, no-cache');
	await api.dispose();
});

test('a deep made-up path keeps small headers (absolute asset paths)', async () => {
	const api = await apiAs(null);
	for (const path of ['/', `/fiches/${'a/'.repeat(1500)}x`]) {
		const response = await api.get(path);
		const link = response.headers().link ?? '';
		expect(link, path).not.toContain('../');
		expect(JSON.stringify(response.headers()).length, path).toBeLessThan(8_000);
	}
	await api.dispose();
});

async function invite(admin: APIRequestContext, email: string): Promise<string> {
	const response = await admin.post('/admin/utilisateurs?/create', {
		form: { email, name: 'Dora Appareil', role: 'commission', organisation: '' }
	});
	const link = /\/invitation\/[a-z2-7]{24}\.[a-z2-7]{32}/.exec(await response.text())?.[0];
	expect(link).toBeTruthy();
	return link!;
}

test('the invitation page (a token in its address, a name) is never stored', async () => {
	const admin = await apiAs(ACCOUNTS.admin);
	const link = await invite(admin, 'invitation.privee@lot.test');
	const visitor = await apiAs(null);
	const response = await visitor.get(link);
	expect(response.status()).toBe(200);
	expect(response.headers()['cache-control']).toBe('private, no-store');
	await Promise.all([admin.dispose(), visitor.dispose()]);
});

test('a browser that signed in before is not locked out by guesses from elsewhere', async ({
	browser
}) => {
	const email = 'dora.appareil@lot.test';
	const password = 'le lot serpente entre les falaises';
	const admin = await apiAs(ACCOUNTS.admin);
	const link = await invite(admin, email);
	await admin.dispose();
	const owner = await browser.newContext();
	const page = await owner.newPage();
	await page.goto(link);
	await page.getByLabel(/^Mot de passe \(/).fill(password);
	await page.getByLabel('Mot de passe, encore une fois').fill(password);
	await page.getByRole('button', { name: 'Enregistrer mon mot de passe' }).click();
	await page.getByRole('button', { name: 'Se déconnecter' }).click();
	const signIn = async () => {
		await page.goto('/connexion');
		await page.getByLabel('Adresse électronique').fill(email);
		await page.getByLabel('Mot de passe').fill(password);
		await page.getByRole('button', { name: 'Se connecter' }).click();
	};
	await signIn();
	await expect(page.getByRole('link', { name: 'Dora Appareil' })).toBeVisible();
	const device = (await owner.cookies()).find((c) => c.name === 'sdusn_appareil');
	expect(device).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
	await page.getByRole('button', { name: 'Se déconnecter' }).click();

	// Someone else locks the account for every untrusted browser.
	const attacker = await apiAs(null);
	for (let i = 0; i < 6; i++)
		await attacker.post('/connexion', { form: { email, password: `devinette ${i}` } });
	const locked = await attacker.post('/connexion', { form: { email, password } });
	expect(locked.status()).toBe(429);
	await attacker.dispose();

	// The owner's browser still gets in.
	await signIn();
	await expect(page.getByRole('link', { name: 'Dora Appareil' })).toBeVisible();
	await owner.close();
});

test('repeated wrong current passwords on /compte end the session', async () => {
	const admin = await apiAs(ACCOUNTS.admin);
	const link = await invite(admin, 'verification.compte@lot.test');
	await admin.dispose();
	const person = await apiAs(null);
	const password = 'les noyers de la bouriane en automne';
	const accepted = await person.post(link, { form: { password, confirm: password } });
	expect(accepted.status()).toBe(303);
	const attempt = () =>
		person.post('/compte?/password', {
			form: {
				current: 'ce n’est pas le bon',
				next: 'un autre mot de passe tout neuf',
				confirm: 'un autre mot de passe tout neuf'
			}
		});
	for (let i = 1; i < 5; i++) {
		const response = await attempt();
		expect(response.status(), `attempt ${i}`).toBe(400);
		expect(await response.text()).toContain('Le mot de passe actuel est incorrect.');
	}
	const fifth = await attempt();
	expect(fifth.status()).toBe(303);
	expect(fifth.headers().location).toBe('/connexion?session=fermee');
	const after = await person.get('/compte');
	expect(after.status()).toBe(303);
	expect(after.headers().location).toMatch(/^\/connexion\?redirectTo=/);
	// Signed in again, the password just proven: the right current password changes it.
	const signedIn = await person.post('/connexion', {
		form: { email: 'verification.compte@lot.test', password }
	});
	expect(signedIn.status()).toBe(303);
	const right = await person.post('/compte?/password', {
		form: {
			current: password,
			next: 'un autre mot de passe tout neuf',
			confirm: 'un autre mot de passe tout neuf'
		}
	});
	expect(right.status()).toBe(303);
	expect(right.headers().location).toMatch(/^\/compte\?fait=mot-de-passe/);
	await person.dispose();
});

test('a session cookie no longer valid is cleared and the sign-in page says the session ended', async () => {
	const visitor = await apiAs(null);
	// A reset deletes the session's row: its cookie is then one the portal does not know.
	const ended = await visitor.get('/espace', { headers: { cookie: 'sdusn_session=ancien.jeton' } });
	expect(ended.status()).toBe(303);
	expect(ended.headers().location).toBe('/connexion?redirectTo=%2Fespace&session=finie');
	expect(ended.headers()['set-cookie']).toMatch(/^sdusn_session=;.*Max-Age=0/);
	const page = await visitor.get('/connexion?redirectTo=%2Fespace&session=finie');
	expect((await page.text()).replace(/\s+/g, ' ')).toContain(
		'Votre session a pris fin : reconnectez-vous.'
	);
	// Without a cookie, nothing is said of a session.
	const fresh = await visitor.get('/espace');
	expect(fresh.headers().location).toBe('/connexion?redirectTo=%2Fespace');
	await visitor.dispose();
});

test('a form whose body is still coming when its account is disabled acts for nobody', async () => {
	const admin = await apiAs(ACCOUNTS.admin);
	const email = 'membre.en.vol@lot.test';
	const link = await invite(admin, email);
	const member = await apiAs(null);
	const password = 'les gabarres de saint-cirq au matin';
	expect((await member.post(link, { form: { password, confirm: password } })).status()).toBe(303);
	const [cookie] = (await member.storageState()).cookies;
	const list = await (await admin.get('/admin/utilisateurs')).text();
	const id = /name="userId" value="(\d+)"/.exec(list.slice(list.indexOf(email)))?.[1];
	expect(id).toBeTruthy();

	// The member sends a new séance's headers and the start of its body, and waits.
	const base = new URL(await portalUrl());
	const title = 'Séance envoyée au ralenti';
	const body = new URLSearchParams({
		title,
		held_on: daysAfter(parisToday(), 30),
		starts_at: '14:00',
		place: 'Cahors'
	}).toString();
	const socket = net.connect(Number(base.port), base.hostname);
	let answer = '';
	socket.on('data', (chunk) => (answer += chunk));
	const closed = new Promise((done) => socket.on('close', done));
	await new Promise((connected) => socket.on('connect', connected));
	socket.write(
		[
			`POST /commission?/create HTTP/1.1`,
			`Host: ${base.host}`,
			`Origin: ${base.origin}`,
			`Cookie: ${cookie!.name}=${cookie!.value}`,
			'Accept: text/html',
			'Content-Type: application/x-www-form-urlencoded',
			`Content-Length: ${Buffer.byteLength(body)}`,
			'Connection: close',
			'',
			body.slice(0, 10)
		].join('\r\n')
	);
	await new Promise((wait) => setTimeout(wait, 500));
	// Meanwhile an administrator disables the account: its sessions end.
	const disabled = await admin.post('/admin/utilisateurs?/disable', { form: { userId: id! } });
	// Sent without script, a success leads to the page again (Post/Redirect/Get).
	expect(disabled.status()).toBe(303);
	socket.end(body.slice(10));
	await closed;
	// The séance was not created: the request is answered as one without a session.
	expect(answer).toMatch(/^HTTP\/1\.1 303/);
	expect(answer).toMatch(/\r\nlocation: \/connexion/i);
	expect(await (await admin.get('/commission')).text()).not.toContain(title);
	await Promise.all([admin.dispose(), member.dispose()]);
});

test('a session renewed on a page replayed from the cache still gets its renewed cookie', async () => {
	const partner = await apiAs(ACCOUNTS.partner);
	const { cookies } = await partner.storageState();
	const token = cookies.find((c) => c.name === 'sdusn_session')!.value;
	const database = await portalDatabase();
	// The session is renewed once it has less than 15 days left: it is set to reach that point
	// `window` ms from now. The first page is rendered (and kept) before, without renewal; the same
	// page asked for once that point has passed renews it, with nothing written in between (a write
	// of another connection would change the cache's key). A machine too loaded to answer the
	// first within the window renewed it already: tried again with a longer one, not failed.
	for (let window = 2_000; ; window *= 2) {
		const renewsAt = Date.now() + window;
		const db = new SQLite(database);
		db.prepare('UPDATE user_session SET expires_at = ? WHERE id = ?').run(
			renewsAt + 15 * 86_400_000,
			token.split('.')[0]
		);
		db.close();
		const first = await partner.get('/espace');
		expect(first.status()).toBe(200);
		if (first.headers()['set-cookie'] !== undefined) {
			expect(Date.now(), 'renewed only once its point has passed').toBeGreaterThan(renewsAt);
			expect(window, 'a window the machine answers within').toBeLessThan(16_000);
			continue;
		}
		await new Promise((resolve) => setTimeout(resolve, Math.max(0, renewsAt - Date.now()) + 100));
		const renewed = await partner.get('/espace');
		expect(renewed.status()).toBe(200);
		expect(renewed.headers()['set-cookie']).toMatch(/^sdusn_session=[^;]+;.*Expires=/i);
		break;
	}
	await partner.dispose();
});
