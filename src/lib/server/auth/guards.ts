import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { log } from '../log.js';
import { recordDenial } from '../audit/repository';
import { getDb } from '../db/instance';
import { sentByScript } from '../http/done-answer';
import {
	can,
	FORBIDDEN_MESSAGE,
	refusalReason,
	type Action,
	type RefusalWithNext,
	type Resources
} from './permissions';
import type { User } from './users';

type Event = Pick<RequestEvent, 'locals' | 'url' | 'getClientAddress' | 'request'>;

const SIGNED_OUT_MESSAGE =
	'Votre session a pris fin (déconnexion, ou délai dépassé) : rien n’a été enregistré et votre saisie est conservée ci-dessous. Connectez-vous dans un autre onglet, puis renvoyez le formulaire.';

/**
 * Not signed in: 303 to /connexion, coming back here afterwards. A form sent by the page's script
 * (SvelteKit's `enhance`, which marks the request) is answered 401 instead: the form then stays as
 * typed, with the message above it (src/lib/client/enhance-once/send-once.ts), where following the redirect
 * would replace the page and lose what was typed. A session cookie sent but no longer valid (see
 * hooks.server.ts) adds `session=finie`: /connexion then says the session ended.
 */
export function requireUser(event: Event): User {
	const user = event.locals.user;
	if (!user) {
		// A cookie sent but no longer valid: the alert's link opens the sign-in page saying so, as a
		// page would (`session=finie`).
		if (sentByScript(event))
			error(401, {
				message: SIGNED_OUT_MESSAGE,
				signIn: true,
				...(event.locals.sessionEnded ? { sessionEnded: true } : {})
			});
		// A form sent by the browser comes back to its page, not to its action (`?/enregistrer`).
		const search = event.request.method === 'POST' ? '' : event.url.search;
		const target = `${event.url.pathname}${search}`;
		// A cookie sent but no longer valid: the sign-in page says the session ended (never for a
		// visitor who sent none).
		const ended = event.locals.sessionEnded ? '&session=finie' : '';
		redirect(303, `/connexion?redirectTo=${encodeURIComponent(target)}${ended}`);
	}
	return user;
}

/** Signed in meanwhile, in another tab, with another account: the form stays as typed. */
const FORBIDDEN_FORM_MESSAGE =
	'Le compte connecté n’a pas les droits nécessaires pour cette action (connexion avec un autre compte dans un autre onglet ?) : rien n’a été enregistré et votre saisie est conservée ci-dessous. Connectez-vous avec le bon compte dans un autre onglet, puis renvoyez le formulaire.';

/** What a form sent by script is told beside a refusal: the typing stays. */
const KEPT = 'Rien n’a été enregistré et votre saisie est conservée ci-dessous.';

/**
 * Signed in but not allowed: journaled, then 403. A form sent by the page's script gets a message
 * for its alert (src/lib/client/enhance-once/send-once.ts keeps the typing, as for a 401). `reason`: why this
 * account may not (a service's refusal, « Votre organisation ne porte pas cette fiche… », or
 * refusalReason's, with the 403 page's link onward when it has one), said as it is — signing in again would not change it; without it, the account signed in may be another
 * one than the page's (signed in again in another tab), and the alert offers to sign in.
 */
export async function deny(
	event: Event,
	user: User,
	what: string,
	reason?: string | RefusalWithNext
): Promise<never> {
	await journalDenial(event, user, what);
	if (reason) {
		const refusal = typeof reason === 'string' ? { message: reason } : reason;
		error(403, sentByScript(event) ? `${refusal.message} ${KEPT}` : refusal);
	}
	error(
		403,
		sentByScript(event) ? { message: FORBIDDEN_FORM_MESSAGE, signIn: true } : FORBIDDEN_MESSAGE
	);
}

/**
 * 404 with `message`, for what does not exist or is not this account's to see (both answered
 * alike). A form sent by the page's script gets it as a 403 would be (the typing
 * kept, a link to sign in in another tab): the account signed in may be another one than the
 * page's.
 */
export function missing(event: Event, message: string): never {
	error(404, sentByScript(event) ? { message: `${message} ${KEPT}`, signIn: true } : message);
}

/** The `access.denied` line of a refusal (`deny`). */
async function journalDenial(event: Event, user: User, what: string): Promise<void> {
	// A journal busy with another process's write (SQLITE_BUSY) must not turn the 403 into a 500.
	await recordDenial(getDb(), {
		actor: user,
		action: 'access.denied',
		target: { type: 'route', id: event.url.pathname },
		summary: `${event.request.method} ${event.url.pathname} refusé (${what})`,
		clientAddress: safeClientAddress(event)
	}).catch((failure: unknown) =>
		log().error(
			{ event: 'audit-error', err: failure instanceof Error ? failure.message : String(failure) },
			'Refus d’accès non journalisé'
		)
	);
}

export async function authorize<A extends Action>(
	event: Event,
	action: A,
	resource?: Resources[A]
): Promise<User> {
	const user = requireUser(event);
	if (!can(user, action, resource))
		await deny(event, user, action, refusalReason(user, action, resource));
	return user;
}

export function safeClientAddress(event: Pick<RequestEvent, 'getClientAddress'>): string | null {
	try {
		return event.getClientAddress();
	} catch {
		return null;
	}
}
