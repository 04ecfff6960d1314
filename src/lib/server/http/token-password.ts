import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { safeClientAddress } from '../auth/guards';
import { checkPasswordPolicy, passwordContext } from '../auth/password';
import type { SignedIn } from '../auth/service';
import { setSessionCookie, type Session } from '../auth/sessions';
import { homeFor } from '../auth/permissions';
import type { User } from '../auth/users';
import type { Db } from '../db';
import { getDb } from '../db/instance';
import { latestOwnAct, type AuditAction } from '../audit/repository';
import type { Result } from '../result';
import { InvitationSchema } from '../../schemas/auth';
import { parseForm } from '../../schemas/form';
import { invalidFormAnswer, refusalAnswer } from './form-answer';
import { markerFreshSince } from './done-answer';

/**
 * « Set a password from a single-use link »: the invitation and the password reset pages. Each
 * names how its token is found (`find`: the account it still opens, or nothing) and used
 * (`apply`: sets the password, ends the other sessions and opens one); the pages share the rest.
 */
export interface SingleUseTokenPassword {
	/** `renewing`: the account already has a password, which the link replaces. */
	find(db: Db, token: string): Promise<{ user: User; renewing?: boolean } | undefined>;
	apply(
		db: Db,
		token: string,
		password: string,
		clientAddress: string | null
	): Promise<Result<SignedIn>>;
	/** The page's 410 answer for a link used, expired or made up. */
	invalidMessage: string;
	/** The link that answer leads to, the way out its words name (+error.svelte draws it). */
	invalidNext: { href: string; label: string };
}

/**
 * The page's 410 Gone, with the way out of its link (`invalidNext`): a link used, expired or made
 * up, at opening as when its form is sent (used meanwhile in another tab, replaced, expired).
 */
function gone(flow: SingleUseTokenPassword): never {
	error(410, { message: flow.invalidMessage, next: flow.invalidNext });
}

/** The page's load: the account the link opens, or 410 Gone. */
export async function loadTokenAccount(token: string, flow: SingleUseTokenPassword) {
	const found = await flow.find(getDb(), token);
	if (!found) gone(flow);
	return {
		account: { name: found.user.name, email: found.user.email },
		renewing: found.renewing ?? false
	};
}

/**
 * The page's action: checks the new password, uses the token, signs in and goes home. A link that
 * no longer opens an account (used in another tab since the page was opened, replaced by a newer
 * one, expired) answers the page's 410 as at opening (`gone`), whatever was typed: an `error` the
 * page's script draws as that page (enhanceOnce), rather than a refusal above a form that can no
 * longer be sent.
 */
export async function setPasswordFromToken(
	event: RequestEvent<{ token: string }>,
	flow: SingleUseTokenPassword
) {
	const { values, errors, data } = parseForm(
		await event.request.formData(),
		['password', 'confirm'],
		InvitationSchema
	);
	if (!data || Object.keys(errors).length > 0) {
		const found = await flow.find(getDb(), event.params.token);
		if (!found) gone(flow);
		// Every message that applies at once: a password too short and mistyped hears both.
		if (!errors.password && values.password) {
			const refusal = checkPasswordPolicy(values.password, passwordContext(found.user));
			if (refusal) errors.password = refusal;
		}
		return invalidFormAnswer(errors); // passwords are never given back
	}
	const result = await flow.apply(
		getDb(),
		event.params.token,
		data.password,
		safeClientAddress(event)
	);
	// The service finds the link gone (or used between its check and its transaction): 410.
	if (!result.ok && result.status === 410) gone(flow);
	if (!result.ok) return refusalAnswer(result);
	const { token, session, user } = result.value;
	setSessionCookie(event.cookies, token, session.expiresAt, event.url.protocol === 'https:');
	// The home page says it was saved (the root layout's confirmation, `passwordJustSaved`).
	redirect(303, `${homeFor(user.role)}?${PASSWORD_SAVED.name}=${PASSWORD_SAVED.value}`);
}

/** The marker `setPasswordFromToken` leaves in the address of the home page it leads to. */
const PASSWORD_SAVED = { name: 'mot-de-passe', value: 'enregistre' };

/** What the journal holds of a password set from a link: an invitation's, a reset's. */
const PASSWORD_FROM_LINK: AuditAction[] = ['account.activated', 'password.reset'];

/**
 * Whether the page may say « Votre mot de passe est enregistré et votre session est ouverte. »
 * (the root layout): its address carries the marker `setPasswordFromToken` leaves, and the
 * person's session was opened by that password, set from a link, within `markerFreshSince`: the
 * service journals it in the transaction that opens the session, at or after its opening. A
 * link crafted, kept and opened later, or opened in a session signed in since, says nothing.
 */
export async function passwordJustSaved(
	url: URL,
	locals: { user: User | null; session: Session | null }
): Promise<boolean> {
	const { user, session } = locals;
	// Read only for someone signed in: the root layout's load follows the marker for them alone.
	if (!user || !session || url.searchParams.get(PASSWORD_SAVED.name) !== PASSWORD_SAVED.value)
		return false;
	const opened = new Date(session.createdAt);
	if (opened < markerFreshSince()) return false;
	const acts = await Promise.all(
		PASSWORD_FROM_LINK.map((action) => latestOwnAct(getDb(), user.id, action, opened))
	);
	return acts.some((act) => act !== null);
}
