import { redirect } from '@sveltejs/kit';
import { authorize, safeClientAddress } from '$lib/server/auth/guards';
import { changePassword, newPasswordRefusal } from '$lib/server/auth/service';
import { deleteSessionCookie, setSessionCookie } from '$lib/server/auth/sessions';
import { getDb } from '$lib/server/db/instance';
import { invalidFormAnswer, readPostedForm, refusalAnswer } from '$lib/server/http/form-answer';
import {
	doneAnswer,
	doneMarker,
	markerCount,
	markerFreshSince,
	markerKeys
} from '$lib/server/http/done-answer';
import { latestOwnAct } from '$lib/server/audit/repository';
import {
	CATEGORIES_BY_ROLE,
	categoryLabel,
	keptMeanwhileJournaled,
	mailPreferences,
	updateMailPreferences
} from '$lib/server/mail/preferences';
import { MailPreferencesSchema, PasswordChangeSchema } from '$lib/schemas/auth';
import { parseForm } from '$lib/schemas/form';
import type { User } from '$lib/server/auth/users';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = await authorize(event, 'account.own');
	return {
		account: {
			name: user.name,
			email: user.email,
			role: user.role,
			organisation: user.organisationName
		},
		mail: await mailPreferences(getDb(), user),
		// The categories the account's role is written to, each named for that role.
		mailCategories: CATEGORIES_BY_ROLE[user.role].map((category) => ({
			category,
			label: categoryLabel(category, user.role)
		})),
		done: await doneOf(event.url, user)
	};
};

/**
 * A form sent without script led here (doneAnswer): its confirmation, as the script draws it from
 * the form's answer, only as far as it is true now. The preferences shown are those stored: saved,
 * whatever the link. The categories kept meanwhile, named by their keys, only as far as the
 * journal shows them kept in the last minutes (keptMeanwhileJournaled: a link crafted, or opened
 * later, names no choice that was not made); the password changed, when the journal holds its
 * change in the last minutes with as many other sessions closed.
 */
async function doneOf(url: URL, user: User) {
	const { id, role } = user;
	const done = doneMarker(url, ['preferences', 'mot-de-passe']);
	if (done === 'preferences') {
		const named = markerKeys(url, 'gardee', CATEGORIES_BY_ROLE[role]);
		const kept = await keptMeanwhileJournaled(getDb(), user, named, markerFreshSince());
		return {
			preferencesSaved: true as const,
			keptMeanwhile: kept.map((c) => categoryLabel(c, role))
		};
	}
	const endedSessions = markerCount(url, 'sessions');
	if (done !== 'mot-de-passe' || endedSessions === null) return null;
	// Only a password change journals its ended sessions with their count.
	const ended = await latestOwnAct(getDb(), id, 'session.ended', markerFreshSince());
	return ended?.count === endedSessions ? { changed: true as const, endedSessions } : null;
}

export const actions: Actions = {
	preferences: async (event) => {
		const user = await authorize(event, 'account.own');
		// The boxes show what is stored, not what was sent: nothing is given back.
		const { answer, data } = readPostedForm(
			await event.request.formData(),
			[
				'reminders',
				'validations',
				'commission',
				'shown_reminders',
				'shown_validations',
				'shown_commission'
			],
			MailPreferencesSchema,
			undefined,
			{ echo: () => undefined }
		);
		if (answer) return answer;
		const result = await updateMailPreferences(getDb(), user, data, safeClientAddress(event));
		if (!result.ok) return refusalAnswer(result);
		const { kept } = result.value;
		return doneAnswer(
			event,
			'preferences',
			{ preferencesSaved: true, keptMeanwhile: kept.map((c) => categoryLabel(c, user.role)) },
			{ gardee: kept }
		);
	},
	password: async (event) => {
		const user = await authorize(event, 'account.own');
		const { values, errors, data } = parseForm(
			await event.request.formData(),
			['current', 'next', 'confirm'],
			PasswordChangeSchema
		);
		// Every message that applies at once: a new password too weak and mistyped hears both, and a
		// wrong current password is told with them (the service checks it, counted as any try).
		let refused: typeof errors | undefined;
		if (!data || Object.keys(errors).length > 0) {
			const weak = !errors.next && values.next ? newPasswordRefusal(user, values) : null;
			refused = weak ? { ...errors, next: weak } : errors;
			if (refused.current || !values.current) return invalidFormAnswer(refused); // never given back
		}
		const result = await changePassword(
			getDb(),
			user,
			event.locals.session!.id,
			{ current: values.current!, next: values.next ?? '', refused },
			safeClientAddress(event)
		);
		if (!result.ok) {
			if (result.status === 401) {
				deleteSessionCookie(event.cookies, event.url.protocol === 'https:');
				redirect(303, '/connexion?session=fermee');
			}
			return refusalAnswer(result);
		}
		const { token, session, endedSessions } = result.value;
		setSessionCookie(event.cookies, token, session.expiresAt, event.url.protocol === 'https:');
		// The new session's cookie goes with the redirect too.
		return doneAnswer(
			event,
			'mot-de-passe',
			{ changed: true, endedSessions },
			{ sessions: endedSessions }
		);
	}
};
