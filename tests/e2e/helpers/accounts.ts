import { spawnSync } from 'node:child_process';
import {
	request as playwrightRequest,
	expect,
	type APIRequestContext,
	type Browser,
	type BrowserContext,
	type Cookie,
	type Page
} from '@playwright/test';
import { waitForHydration } from './hydration';

export interface Account {
	email: string;
	name: string;
	role: 'admin' | 'commission' | 'partenaire';
	organisation?: string;
	password: string;
}

/** Test accounts; CDG46 carries fiche 9-1, the ARS has nothing to do with it. */
export const ACCOUNTS = {
	admin: {
		email: 'anne.admin@lot-numerique.test',
		name: 'Anne Admin',
		role: 'admin',
		password: 'la vallée du lot au printemps'
	},
	commission: {
		email: 'claude.commission@lot-numerique.test',
		name: 'Claude Commission',
		role: 'commission',
		password: 'les causses du quercy en été'
	},
	partner: {
		email: 'paul.partenaire@cdg46.test',
		name: 'Paul Partenaire',
		role: 'partenaire',
		organisation: 'CDG46',
		password: 'un pont sur la rivière à cahors'
	},
	colleague: {
		email: 'chloe.collegue@cdg46.test',
		name: 'Chloé Collègue',
		role: 'partenaire',
		organisation: 'cdg46',
		password: 'les gabares glissent sous le pont valentré'
	},
	otherPartner: {
		email: 'alice.autre@ars.test',
		name: 'Alice Autre',
		role: 'partenaire',
		organisation: 'ars',
		password: 'figeac et ses ruelles anciennes'
	},
	throttled: {
		email: 'tom.tentatives@cdg46.test',
		name: 'Tom Tentatives',
		role: 'partenaire',
		organisation: 'cdg46',
		password: 'une phrase qui sera bloquée un moment'
	}
} satisfies Record<string, Account>;

type PortalSource = () => Promise<{ url: string; databasePath: string }>;
let ownPortal: PortalSource | null = null;

/** Called by helpers/portal.ts: the running spec's own portal, which these helpers talk to. */
export function useOwnPortal(source: PortalSource): void {
	ownPortal = source;
}

/**
 * The running spec's portal. Every spec has its own (helpers/portal.ts or helpers/own-portal.ts);
 * the suite's web server only seeds the database they start from, so nothing may talk to it.
 */
function specPortal(): Promise<{ url: string; databasePath: string }> {
	if (!ownPortal)
		throw new Error('This spec has no portal of its own: import test from helpers/portal.ts.');
	return ownPortal();
}

/** The address of the portal the running spec talks to. */
export async function portalUrl(): Promise<string> {
	return (await specPortal()).url;
}

/** The database file of the portal the running spec talks to. */
export async function portalDatabase(): Promise<string> {
	return (await specPortal()).databasePath;
}

/**
 * Runs the real `user:create` command on a database (password on stdin): the program `npm run
 * user:create` runs, without npm's own half second of start-up.
 */
export function userCreate(
	databasePath: string,
	account: Pick<Account, 'email' | 'name' | 'role' | 'organisation' | 'password'>
) {
	const args = [
		'scripts/ops.js',
		'user-create',
		'--email',
		account.email,
		'--name',
		account.name,
		'--role',
		account.role
	];
	if (account.organisation) args.push('--organisation', account.organisation);
	return spawnSync(process.execPath, args, {
		input: `${account.password}\n`,
		encoding: 'utf8',
		env: { ...process.env, DATABASE_PATH: databasePath }
	});
}

/** Creates the test accounts in `databasePath` with the real command (helpers/global-setup.ts). */
export function createTestAccounts(databasePath: string): void {
	for (const account of Object.values(ACCOUNTS) as Account[]) {
		const result = userCreate(databasePath, account);
		if (result.status !== 0) throw new Error(`user:create: ${result.stderr}`);
	}
}

/** Who signs in: an account of ACCOUNTS, or one a spec made. */
type SignIn = Pick<Account, 'email' | 'name' | 'password'> & Partial<Account>;

/**
 * Signs `account` in through the login form, on the portal of `origin` (the page's own by
 * default): what a test about signing in uses, and the first sign-in of each account on each
 * portal (`loginPage`). Each call opens a session of its own.
 */
export async function signInThroughForm(page: Page, account: SignIn, origin = ''): Promise<void> {
	await page.goto(`${origin}/connexion`);
	await page.getByLabel('Adresse électronique').fill(account.email);
	await page.getByLabel('Mot de passe').fill(account.password);
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await expect(page.getByRole('link', { name: account.name })).toBeVisible();
}

/** The session cookie's name on a portal served over plain HTTP (sessionCookieName). */
const SESSION_COOKIE = 'sdusn_session';

/** The sessions this worker opened through the form, per portal and account, and where each led. */
const openedSessions = new Map<string, { cookie: Cookie; landing: string }>();

/**
 * Signs `account` in on `page`, for a test that is not about signing in. The first time on each
 * portal it goes through the login form (`signInThroughForm`); after that, the session it opened is
 * given to the page's context (its cookie alone, no device cookie) and the page opens where the
 * form led, which costs one page instead of the form's page, its password hash and the page after.
 * Every context signed in so shares one session: a test that signs out in one tab and expects
 * another to stay signed in, or that checks what the form sets, calls `signInThroughForm`. A
 * session closed since (signed out, account disabled or its role changed) is opened again through
 * the form.
 */
export async function loginPage(page: Page, account: SignIn, origin = ''): Promise<void> {
	const portal = origin || new URL(await portalUrl()).origin;
	const key = `${portal} ${account.email}`;
	const known = openedSessions.get(key);
	if (known) {
		await page.context().addCookies([known.cookie]);
		// Until the page's script has taken over, as after the form: the pages' scripts are then
		// loaded and cached, so the next page is ready as soon (a test typing at once is not ahead
		// of its script).
		await page.goto(`${portal}${known.landing}`);
		await waitForHydration(page);
		if (await page.getByRole('link', { name: account.name }).isVisible()) return;
	}
	await signInThroughForm(page, account, origin);
	const cookie = (await page.context().cookies(portal)).find((c) => c.name === SESSION_COOKIE);
	const url = new URL(page.url());
	if (cookie) openedSessions.set(key, { cookie, landing: `${url.pathname}${url.search}` });
}

/**
 * A new context (a window of its own, with its own cookies; without scripts when
 * `javaScriptEnabled` is false) signed in as `account` (`loginPage`) on the portal of `origin` (the
 * spec's own by default), its page opened at `path` when given, once its script has taken over
 * (`waitForHydration`).
 */
export async function signedIn(
	browser: Browser,
	account: SignIn,
	{
		path,
		javaScriptEnabled = true,
		origin = ''
	}: { path?: string; javaScriptEnabled?: boolean; origin?: string } = {}
): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({ javaScriptEnabled });
	const page = await context.newPage();
	await loginPage(page, account, origin);
	if (path !== undefined) {
		await page.goto(`${origin}${path}`);
		await waitForHydration(page);
	}
	return { context, page };
}

/**
 * An HTTP client signed in as `account` (or anonymous), sending the Origin a browser would. Each
 * request on its own connection: a client left idle about as long as the server keeps a connection
 * (keepAliveTimeout, 5 s) sent its next request on one the server was closing, and got « socket
 * hang up » (seen once in CI, on a loaded machine).
 */
export async function apiAs(account: Account | null): Promise<APIRequestContext> {
	const baseURL = await portalUrl();
	const context = await playwrightRequest.newContext({
		baseURL,
		extraHTTPHeaders: { origin: baseURL, accept: 'text/html', connection: 'close' },
		maxRedirects: 0
	});
	if (account) {
		const response = await context.post('/connexion', {
			form: { email: account.email, password: account.password }
		});
		expect(response.status(), `login of ${account.email}`).toBe(303);
	}
	return context;
}
