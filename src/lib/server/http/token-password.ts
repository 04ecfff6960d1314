import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { safeClientAddress } from '../auth/guards';
import { checkPasswordPolicy, passwordContext } from '../auth/password';
import type { SignedIn } from '../auth/service';
import { setSessionCookie } from '../auth/sessions';
import { homeFor } from '../auth/permissions';
import type { User } from '../auth/users';
import type { Db } from '../db';
import { getDb } from '../db/instance';
import type { Result } from '../result';
import { InvitationSchema } from '../../schemas/auth';
import { parseForm } from '../../schemas/form';
import { invalidFormAnswer, refusalAnswer } from './form-answer';

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

/** The page's load: the account the link opens, or 410 Gone. */
export async function loadTokenAccount(token: string, flow: SingleUseTokenPassword) {
	const found = await flow.find(getDb(), token);
	if (!found) error(410, { message: flow.invalidMessage, next: flow.invalidNext });
	return {
		account: { name: found.user.name, email: found.user.email },
		renewing: found.renewing ?? false
	};
}

/** The page's action: checks the new password, uses the token, signs in and goes home. */
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
		// Every message that applies at once: a password too short and mistyped hears both.
		if (!errors.password && values.password) {
			const found = await flow.find(getDb(), event.params.token);
			const refusal = checkPasswordPolicy(values.password, passwordContext(found?.user));
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
	if (!result.ok) return refusalAnswer(result);
	const { token, session, user } = result.value;
	setSessionCookie(event.cookies, token, session.expiresAt, event.url.protocol === 'https:');
	// The home page says it was saved (the root layout's confirmation).
	redirect(303, `${homeFor(user.role)}?mot-de-passe=enregistre`);
}
