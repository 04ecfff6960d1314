import type { Db } from '../db';
import type { Role } from '../db/schema';
import { latestOwnAct, recordAudit, roleHeldAt } from '../audit/repository';
import { findUserById, type User } from '../auth/users';
import { outdatedCampaignMail } from '../campaigns/service';
import { ok, refuse, type Result } from '../result';
import { readLink } from './links';
import { readUnsubscribeToken, UNSUBSCRIBE_TOKEN } from './outbox';
import {
	CATEGORIES,
	findPreferences,
	savePreferences,
	type Category,
	type Preferences
} from './preferences-repository';

export type { Category, Preferences };

/** How each category is named to a partner (/compte, the unsubscribe page). */
const CATEGORY_LABELS: Record<Category, string> = {
	reminders: 'Rappels des campagnes de suivi (ouverture, échéances)',
	validations: 'Validations et renvois des mises à jour de mon organisation',
	commission: 'Commission : convocations, ordres du jour et relevés de décisions'
};

/**
 * The same, inside a sentence addressed to the reader (the unsubscribe page: « Ne plus envoyer à …
 * les courriels suivants : … ? »), where /compte's first person (« de mon organisation ») was wrong.
 */
const CATEGORY_LABELS_TO_READER: Record<Category, string> = {
	...CATEGORY_LABELS,
	validations: 'Validations et renvois des mises à jour de votre organisation'
};

/**
 * The categories each role is written to in: a partner in all three; a commission member about
 * sittings only; staff about the updates submitted to them (the « validations » category, a
 * digest). /compte offers only these.
 */
export const CATEGORIES_BY_ROLE: Record<Role, readonly Category[]> = {
	partenaire: CATEGORIES,
	commission: ['commission'],
	admin: ['validations']
};

/**
 * How a category is named to a person of `role`: as their own choice (/compte, the journal), or
 * `toReader`, inside a sentence addressed to them (the unsubscribe page).
 */
export function categoryLabel(category: Category, role: Role, toReader = false): string {
	return role === 'admin' && category === 'validations'
		? 'Mises à jour soumises par les partenaires, à relire (un récapitulatif par heure au plus)'
		: (toReader ? CATEGORY_LABELS_TO_READER : CATEGORY_LABELS)[category];
}

export function mailPreferences(db: Db, user: User): Promise<Preferences> {
	return findPreferences(db, user.id);
}

function describe(preferences: Preferences, role: Role): string {
	const on = CATEGORIES_BY_ROLE[role].filter((c) => preferences[c]);
	return on.length === 0
		? 'aucune notification'
		: on.map((c) => categoryLabel(c, role)).join(' ; ');
}

/**
 * Saves the boxes the person changed on the page (`sent` against `shown`, what the page showed);
 * a box left as shown keeps what is stored, so that a second tab opened earlier does not undo a
 * change made meanwhile in the first. Without `shown`, every box is taken as sent. Returns what is
 * stored now, and the boxes changed meanwhile elsewhere that were kept.
 */
export async function updateMailPreferences(
	db: Db,
	user: User,
	{ preferences: sent, shown }: { preferences: Preferences; shown: Preferences | null },
	clientAddress: string | null,
	now = Date.now()
): Promise<Result<{ preferences: Preferences; kept: Category[] }>> {
	return db.transaction().execute(async (trx) => {
		const before = await findPreferences(trx, user.id);
		const touched = (c: Category) => shown === null || sent[c] !== shown[c];
		const preferences = Object.fromEntries(
			CATEGORIES.map((c) => [c, touched(c) ? sent[c] : before[c]])
		) as Preferences;
		const kept = CATEGORIES.filter((c) => !touched(c) && before[c] !== shown![c]);
		// Saved as they were: nothing to write, nor to journal (a row per click would let any
		// account fill the journal).
		if (CATEGORIES.every((c) => preferences[c] === before[c])) return ok({ preferences, kept });
		await savePreferences(trx, user.id, preferences, now);
		await recordAudit(trx, {
			actor: user,
			action: 'mail.preferences',
			target: { type: 'compte', id: user.id },
			summary: `Notifications reçues : ${describe(preferences, user.role)}`,
			before,
			// The boxes it kept as stored, changed elsewhere meanwhile: what its page confirms
			// (keptMeanwhileJournaled).
			after: kept.length > 0 ? { ...preferences, kept } : preferences,
			clientAddress
		});
		return ok({ preferences, kept });
	});
}

/**
 * Of `named` (the categories a save sent without script names in its address as kept, doneAnswer),
 * those the journal shows kept: the person's latest change of their preferences since `since`
 * records them among those it kept as stored, changed elsewhere meanwhile (in another tab, or by
 * the unsubscribe link of a mail). A link crafted, or opened again later, names no choice that was
 * not made so, nor one changed by an earlier save of the same tab; a save that changed nothing
 * journals nothing, and its address's choices are not said.
 */
export async function keptMeanwhileJournaled(
	db: Db,
	user: User,
	named: readonly Category[],
	since: Date
): Promise<Category[]> {
	if (named.length === 0) return [];
	const own = { type: 'compte', id: user.id } as const;
	const latest = await latestOwnAct(db, user.id, 'mail.preferences', since, own);
	const kept = (latest?.after as { kept?: unknown } | null)?.kept;
	return Array.isArray(kept) ? named.filter((category) => kept.includes(category)) : [];
}

/** A link no longer valid (410): its page says « Lien expiré ou déjà utilisé » and leads to /compte. */
const UNSUBSCRIBE_INVALID =
	'Ce lien de désabonnement n’est pas ou plus valable. Vous pouvez choisir les courriels que vous recevez depuis votre compte.';

/** What a one-click link turns off, for its confirmation page. */
export async function unsubscribeTarget(
	db: Db,
	token: string
): Promise<Result<{ email: string; category: Category; label: string; active: boolean }>> {
	const read = await readUnsubscribeToken(db, token);
	if (!read) return refuse(410, UNSUBSCRIBE_INVALID);
	const { user } = read;
	const preferences = await findPreferences(db, user.id);
	return ok({
		email: user.email,
		category: read.category,
		label: categoryLabel(read.category, user.role, true),
		active: preferences[read.category]
	});
}

/** RFC 8058 one-click unsubscribe: turns off the token's one category of its one account. */
export async function unsubscribe(
	db: Db,
	token: string,
	clientAddress: string | null,
	now = Date.now()
): Promise<Result<{ label: string }>> {
	const read = await readUnsubscribeToken(db, token);
	if (!read) return refuse(410, UNSUBSCRIBE_INVALID);
	const { user } = read;
	return db.transaction().execute(async (trx) => {
		const before = await findPreferences(trx, user.id);
		if (before[read.category]) {
			const after = { ...before, [read.category]: false };
			await savePreferences(trx, user.id, after, now);
			await recordAudit(trx, {
				actor: user,
				action: 'mail.preferences',
				target: { type: 'compte', id: user.id },
				summary: `Désabonnement en un clic : ${categoryLabel(read.category, user.role)}`,
				before,
				after,
				clientAddress
			});
		}
		return ok({ label: categoryLabel(read.category, user.role, true) });
	});
}

/**
 * Why a notification written earlier (it waited for the relay) must not reach its account now
 * (`now`): the account was disabled since, or moved to another organisation or role since (the
 * audit journal's role changes), or the person turned that category off since, or it is about a
 * campaign and out of date (outdatedCampaignMail). Null for a message that is no
 * notification (an invitation, a reset: their links are checked apart).
 */
export async function unwantedNotification(
	db: Db,
	message: {
		kind: string;
		userId: number | null;
		unsubscribeUrl: string | null;
		campaignId: number | null;
		campaignFicheIds: string | null;
		createdAt: number;
	},
	now: number
): Promise<string | null> {
	if (message.userId === null || message.unsubscribeUrl === null) return null;
	const user = await findUserById(db, message.userId);
	if (!user || user.disabled)
		return 'le compte du destinataire a été désactivé depuis que le message a été écrit.';
	// Written for the role and organisation the account had then: a person moved to another
	// organisation must not read the former one's work (its comments, its fiches, its links).
	const then = await roleHeldAt(db, user.id, new Date(message.createdAt));
	if (then && then.role !== user.role)
		return 'le destinataire a changé de rôle depuis que le message a été écrit : il s’adressait à son rôle d’alors.';
	if (then && then.organisationId !== user.organisationId)
		return 'le destinataire a changé d’organisation depuis que le message a été écrit : il concernait son ancienne organisation.';
	// The portal's own link, stored with the message: its category read as written, signed before
	// the address was (a message waiting since an upgrade) or since alike.
	const link = readLink(message.unsubscribeUrl);
	const category = (
		link?.kind === 'unsubscribe'
			? new RegExp(`^${UNSUBSCRIBE_TOKEN}$`).exec(link.token)?.[2]
			: undefined
	) as Category | undefined;
	if (category && !(await findPreferences(db, user.id))[category])
		return 'le destinataire a désactivé ces messages depuis que celui-ci a été écrit.';
	if (message.campaignId !== null)
		return outdatedCampaignMail(
			db,
			{
				kind: message.kind,
				campaignId: message.campaignId,
				createdAt: message.createdAt,
				ficheIds: message.campaignFicheIds
					? (JSON.parse(message.campaignFicheIds) as number[])
					: null
			},
			user.organisationId,
			now
		);
	return null;
}
