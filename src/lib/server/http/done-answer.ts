import { redirect, type RequestEvent } from '@sveltejs/kit';
import { latestOwnAct, type AuditAction } from '../audit/repository';
import type { Executor } from '../db';

/** The address's parameter that names what a form sent without script just did (`doneAnswer`). */
const DONE = 'fait';

/** A form sent by the page's script (SvelteKit's `enhance` marks the request). */
export function sentByScript(event: Pick<RequestEvent, 'request'>): boolean {
	return (
		event.request.method === 'POST' && event.request.headers.get('x-sveltekit-action') === 'true'
	);
}

/**
 * A form's success (Post/Redirect/Get). Sent by the page's script (use:enhance), `answer`, as
 * before: enhanceOnce draws its confirmation, focuses it and has it read. Sent by the browser alone,
 * 303 to the page again, what was done named in the address (`?fait=key`, and `details`: numbers,
 * or keys the page knows; `at`, the part of the page it is drawn in, when not at its top): the page's load turns it
 * into the same confirmation (`doneMarker`, `markerCount`, `markerKeys`), and the
 * browser's history holds a GET, which Back and a reload ask again without sending the form anew.
 * Never a text in the address: only a key the page chooses its message by, and numbers.
 */
export function doneAnswer<T>(
	event: Pick<RequestEvent, 'request' | 'url'>,
	key: string,
	answer: T,
	details: Record<string, number | readonly string[]> = {},
	at = ''
): T {
	if (sentByScript(event)) return answer;
	const marker = new URLSearchParams({ [DONE]: key });
	for (const [name, value] of Object.entries(details))
		if (typeof value === 'number') marker.set(name, String(value));
		else for (const key of value) marker.append(name, key);
	redirect(303, `${event.url.pathname}?${marker}${at && `#${at}`}`);
}

/** What a form sent without script just did (`doneAnswer`): one of `keys`, or nothing. */
export function doneMarker<K extends string>(url: URL, keys: readonly K[]): K | null {
	const value = url.searchParams.get(DONE);
	return keys.find((key) => key === value) ?? null;
}

/** A number a success left in the address (`doneAnswer`'s `counts`): a whole number, or null. */
export function markerCount(url: URL, name: string): number | null {
	const value = url.searchParams.get(name);
	return value !== null && /^\d{1,9}$/.test(value) ? Number(value) : null;
}

/** The keys a success left in the address under `name` (`doneAnswer`'s `details`): of `keys` only. */
export function markerKeys<K extends string>(url: URL, name: string, keys: readonly K[]): K[] {
	const given = new Set(url.searchParams.getAll(name));
	return keys.filter((key) => given.has(key));
}

/**
 * How long after its act a confirmation read from the address (`doneMarker`) may still say it: the
 * redirect's page, a reload or Back soon after. A link with `?fait=` sent later, or crafted, names
 * an act the journal does not hold so recently, and the page says nothing.
 */
const MARKER_FRESH_MS = 10 * 60 * 1000;

/** The moment from which the journal's acts (`latestOwnAct`) still back a marker. */
export function markerFreshSince(now = Date.now()): Date {
	return new Date(now - MARKER_FRESH_MS);
}

/**
 * The key `?enregistre=` names on the page of a fiche, of an axis, an orientation or an objective,
 * or of an organisation (where their forms lead back), when `acts` gives it an action and the
 * journal holds that act by `actorId` on `target` since `markerFreshSince()` (latestOwnAct): a link
 * sent later, or crafted, says nothing. A key whose words the record as it is now belies (« Fiche
 * abandonnée. » of a fiche in progress) is given `false`. No key in the address, no statement.
 */
export async function savedMarker<K extends string>(
	db: Executor,
	url: URL,
	actorId: number,
	target: { type: string; id: number | string },
	acts: Record<K, AuditAction | false>
): Promise<K | null> {
	const key = (Object.keys(acts) as K[]).find((k) => k === url.searchParams.get('enregistre'));
	const action = key && acts[key];
	if (!key || !action) return null;
	return (await latestOwnAct(db, actorId, action, markerFreshSince(), target)) ? key : null;
}

/** The cookie that backs `?relire=1` (refusedBack): the path of the page it was set for. */
const refusedCookie = (secure: boolean) => (secure ? '__Host-sdusn_relire' : 'sdusn_relire');

/**
 * An irreversible act refused because what its confirmation page showed changed meanwhile (a
 * séance's decisions, a bilan's draft): 303 back to that page, `?relire=1`, with a cookie that
 * names it, set for a minute, which `refusedBackHere` reads once. A link with `?relire=1` crafted,
 * or opened later, carries no such cookie, and the page says no refusal.
 */
export function refusedBack(event: Pick<RequestEvent, 'cookies' | 'url'>, page: string): never {
	const secure = event.url.protocol === 'https:';
	event.cookies.set(refusedCookie(secure), page, {
		httpOnly: true,
		sameSite: 'strict',
		secure,
		path: '/',
		maxAge: 60
	});
	redirect(303, `${page}?relire=1`);
}

/** Whether this page was reached by `refusedBack` just now, by this browser (its cookie, then dropped). */
export function refusedBackHere(event: Pick<RequestEvent, 'cookies' | 'url'>): boolean {
	if (!event.url.searchParams.has('relire')) return false;
	const secure = event.url.protocol === 'https:';
	const name = refusedCookie(secure);
	const page = event.cookies.get(name);
	if (page === undefined) return false;
	event.cookies.delete(name, { httpOnly: true, sameSite: 'strict', secure, path: '/' });
	return page === event.url.pathname;
}
