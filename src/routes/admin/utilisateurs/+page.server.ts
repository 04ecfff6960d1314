import { ID_PATTERN, ofName, readTimestamp } from '$lib/utils/text';
import { authorize, safeClientAddress } from '$lib/server/auth/guards';
import {
	createAccountWithInvitation,
	inviteAgain,
	type LinkDelivery,
	setAccountDisabled
} from '$lib/server/auth/service';
import { revokeInvitation } from '$lib/server/auth/recovery';
import { listUsers } from '$lib/server/auth/users';
import { getDb } from '$lib/server/db/instance';
import { linkPath } from '$lib/server/mail/links';
import { readPostedForm, refusalAnswer } from '$lib/server/http/form-answer';
import { latestOwnAct, type AuditAction } from '$lib/server/audit/repository';
import {
	doneAnswer,
	doneMarker,
	markerCount,
	markerFreshSince
} from '$lib/server/http/done-answer';
import { listOrganisationRefs } from '$lib/server/plan/repository';
import { NewAccountSchema } from '$lib/schemas/auth';
import { readForm } from '$lib/schemas/form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const viewer = await authorize(event, 'users.manage');
	const db = getDb();
	const users = await listUsers(db);
	// A button sent without script led here (doneAnswer): its confirmation, as the script draws it,
	// only when the account is now as it says and this admin did it in the last minutes (a link
	// naming another account, or crafted, says nothing: « réactivé » of an account never disabled).
	const done = doneMarker(event.url, DONE_KEYS);
	const account = done && users.find((user) => user.id === markerCount(event.url, 'compte'));
	const holds =
		done &&
		account &&
		HOLDS[done](account) &&
		(await latestOwnAct(db, viewer.id, DONE_ACTS[done], markerFreshSince(), {
			type: 'compte',
			id: account.id
		}));
	return {
		// One's own row offers neither a role change nor disabling: both are refused.
		ownId: viewer.id,
		users,
		organisations: await listOrganisationRefs(db, { activeOnly: true }),
		done: done && account && holds ? doneMessage(done, account.email) : null
	};
};

/** What each button's success says of its account, by the key it leads to without script. */
const DONE = {
	revoquee: (of: string) => `L’invitation ${of} est révoquée : son lien ne sert plus.`,
	desactive: (of: string) => `Le compte ${of} est désactivé et toutes ses sessions sont fermées.`,
	reactive: (of: string) => `Le compte ${of} est réactivé.`,
	'reactive-sans-mot-de-passe': (of: string) =>
		`Le compte ${of} est réactivé. Il n’a pas encore de mot de passe, et son invitation a été révoquée quand il a été désactivé : envoyez-lui une nouvelle invitation (« Envoyer une nouvelle invitation », dans la liste).`
} as const;

const DONE_KEYS = Object.keys(DONE) as (keyof typeof DONE)[];

type Listed = Awaited<ReturnType<typeof listUsers>>[number];

/** The state in which each confirmation is true of its account, read as the list shows it. */
const HOLDS: Record<keyof typeof DONE, (account: Listed) => boolean> = {
	revoquee: (account) => account.invitationUntil === null,
	desactive: (account) => account.disabled,
	reactive: (account) => !account.disabled && account.hasPassword,
	'reactive-sans-mot-de-passe': (account) =>
		!account.disabled && !account.hasPassword && account.invitationUntil === null
};

/** The journal's act of each confirmation, done by the admin reading it. */
const DONE_ACTS: Record<keyof typeof DONE, AuditAction> = {
	revoquee: 'account.invitation_revoked',
	desactive: 'account.disabled',
	reactive: 'account.enabled',
	'reactive-sans-mot-de-passe': 'account.enabled'
};

function doneMessage(key: keyof typeof DONE, email: string): string {
	return DONE[key](ofName(email));
}

/**
 * A button's success: its confirmation (`message`, and `extra`) for the page's script; without
 * script, the page again, the account named by its id.
 */
function accountDone(
	event: Parameters<typeof doneAnswer>[0],
	key: keyof typeof DONE,
	account: { id: number; email: string },
	extra: Record<string, unknown> = {}
) {
	return doneAnswer(
		event,
		key,
		{ message: doneMessage(key, account.email), ...extra },
		{ compte: account.id }
	);
}

function invitationUrl(origin: string, token: string): string {
	return `${origin}${linkPath('invitation', token)}`;
}

/** The account an action names (`userId`); 0, which names none, when the value is no id. */
function targetId(formData: FormData): number {
	// One account per button: a form naming several (a field sent twice) names none.
	if (formData.getAll('userId').length !== 1) return 0;
	const { values } = readForm(formData, ['userId']);
	return ID_PATTERN.test(values.userId) ? Number(values.userId) : 0;
}

/**
 * Until when the open invitation the page showed opens (`shownUntil`; null when it showed none):
 * one sent since, by another admin, is neither replaced nor revoked unseen.
 */
function shownUntil(formData: FormData): number | null {
	const { values } = readForm(formData, ['shownUntil']);
	return readTimestamp(values.shownUntil);
}

/**
 * The row's `shownUntil` as this save left it (its invitation's end; none once revoked): a form of
 * the same row pressed while it was under way goes with it (enhance-once/form-basis.ts, `ownBasis`), rather
 * than being refused over an invitation the person sent themselves.
 */
function ownBasis(until: number | null) {
	return { basis: { shownUntil: until === null ? '' : String(until) } };
}

/**
 * The notice after a link is made: its address when the admin is shown it, and what became of its
 * mail, as the service read them for the journal (`LinkDelivery`).
 */
function invitationNotice(
	origin: string,
	email: string,
	token: string,
	renewing: boolean,
	{ mailed, relayDownSince, shown }: LinkDelivery
) {
	return {
		invitation: {
			email,
			url: shown ? invitationUrl(origin, token) : null,
			mailed,
			relayDownSince,
			renewing
		}
	};
}

export const actions: Actions = {
	create: async (event) => {
		const admin = await authorize(event, 'users.manage');
		const { answer, values, data } = readPostedForm(
			await event.request.formData(),
			['email', 'name', 'role', 'organisation'],
			NewAccountSchema
		);
		if (answer) return answer;
		const result = await createAccountWithInvitation(
			getDb(),
			admin,
			data,
			safeClientAddress(event)
		);
		if (!result.ok) return refusalAnswer(result, values);
		const { invitationToken, delivery } = result.value;
		return invitationNotice(
			event.url.origin,
			data.email.toLowerCase(),
			invitationToken,
			false,
			delivery
		);
	},
	invite: async (event) => {
		const admin = await authorize(event, 'users.manage');
		const form = await event.request.formData();
		const result = await inviteAgain(
			getDb(),
			admin,
			targetId(form),
			shownUntil(form),
			safeClientAddress(event)
		);
		if (!result.ok) return refusalAnswer(result);
		const { email, token, renewing, delivery, expiresAt } = result.value;
		return {
			...invitationNotice(event.url.origin, email, token, renewing, delivery),
			...ownBasis(expiresAt)
		};
	},
	revoke: async (event) => {
		const admin = await authorize(event, 'users.manage');
		const form = await event.request.formData();
		const id = targetId(form);
		const result = await revokeInvitation(
			getDb(),
			admin,
			id,
			shownUntil(form),
			safeClientAddress(event)
		);
		if (!result.ok) return refusalAnswer(result);
		return accountDone(event, 'revoquee', { id, email: result.value.email }, ownBasis(null));
	},
	disable: async (event) => {
		const admin = await authorize(event, 'users.manage');
		const id = targetId(await event.request.formData());
		const result = await setAccountDisabled(getDb(), admin, id, true, safeClientAddress(event));
		if (!result.ok) return refusalAnswer(result);
		return accountDone(event, 'desactive', { id, email: result.value.email });
	},
	enable: async (event) => {
		const admin = await authorize(event, 'users.manage');
		const id = targetId(await event.request.formData());
		const result = await setAccountDisabled(getDb(), admin, id, false, safeClientAddress(event));
		if (!result.ok) return refusalAnswer(result);
		const { email, withoutPassword } = result.value;
		return accountDone(event, withoutPassword ? 'reactive-sans-mot-de-passe' : 'reactive', {
			id,
			email
		});
	}
};
