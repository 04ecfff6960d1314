import type { Executor } from '../db';
import { formatMoment, plural, pluralize, listInWords } from '../../utils/format';
import { NO_MAIL_RELAY } from '../../utils/vocabulary';
import { ofName } from '../../utils/text';
import type { User } from '../auth/users';
import { hasPendingAboutSitting } from '../mail/outbox-repository';
import { mailIsRelayed, relayDownSince } from '../mail/outbox';
import { findAccountNames, findClosingWritten } from './convocation-repository';
import type { NotReached } from './types';

/*
 * What whoever sends a séance's convocation, or closes it, reads of the messages it wrote: to how
 * many, sent or waiting or only written, and who does not receive them (`mailingSummary`).
 */

/** The words of a summary: a convocation (feminine) or a relevé (masculine). */
const MAILING_WORDS = {
	convocation: {
		noun: 'Convocation',
		sent: 'envoyée',
		written: 'écrite',
		it: 'elle',
		none: 'Aucune convocation n’a été écrite : personne ne la reçoit',
		yours: 'cette convocation ne vous parvient pas'
	},
	releve: {
		noun: 'Relevé',
		sent: 'envoyé',
		written: 'écrit',
		it: 'il',
		none: 'Aucun relevé n’a été écrit : personne ne le reçoit',
		yours: 'ce relevé ne vous parvient pas par courriel'
	}
} as const;

/**
 * What the sender reads once a convocation or a relevé is written (`kind`): to how many, sent,
 * waiting for the relay known down since `downSince` (`relayDownSince`), or only written (no relay),
 * and who does not receive the commission's messages (named by `notReachedNames`), to warn them
 * otherwise.
 */
export function mailingSummary(
	kind: keyof typeof MAILING_WORDS,
	written: { members: number; partners: number; released: number; notReached: string[] },
	relayed: boolean,
	downSince: number | null
): string {
	const words = MAILING_WORDS[kind];
	const { members, partners, released, notReached } = written;
	// Only the counts that are not zero: « à 1 membre de la commission », never « et 0 partenaire ».
	const to = listInWords(
		[
			members > 0 ? `${pluralize(members, 'membre', 'membres')} de la commission` : '',
			partners > 0 ? pluralize(partners, 'partenaire concerné', 'partenaires concernés') : '',
			released > 0
				? pluralize(
						released,
						'partenaire dont les fiches ne sont plus à l’ordre du jour',
						'partenaires dont les fiches ne sont plus à l’ordre du jour'
					)
				: ''
		].filter(Boolean)
	);
	const others = notReached.filter((who) => who !== 'vous-même');
	const named = others.join(', ');
	const left = `${
		notReached.includes('vous-même')
			? ` Vous ne recevez pas les messages de la commission (vos préférences, à /compte) : ${words.yours}.`
			: ''
	}${
		others.length === 0
			? ''
			: ` ${named.charAt(0).toUpperCase()}${named.slice(1)} ${plural(others.length, 'ne reçoit', 'ne reçoivent')} pas les messages de la commission (préférences, à /compte) : à prévenir autrement.`
	}`;
	if (to === '')
		return `${words.none} parmi les membres de la commission et les partenaires concernés.${left}`;
	if (relayed && downSince !== null)
		return `${words.noun} ${words.written} pour ${to} ; ${words.it} attend : le serveur de courrier ne répond pas depuis le ${formatMoment(downSince)}, et ${words.it} partira dès qu’il répondra.${left}`;
	return relayed
		? `${words.noun} ${words.sent} à ${to}.${left}`
		: `${words.noun} ${words.written} pour ${to}, mais pas ${words.sent} : ${NO_MAIL_RELAY}${left}`;
}

/**
 * How a summary names one a mailing did not write to (they turned its messages off): `reader`
 * themself « vous-même », a member by name, a partner by organisation (`account`: their names
 * today, undefined for an account no longer there).
 */
function notReachedName(
	{ id, group }: NotReached,
	account: { name: string; organisation?: string | null } | undefined,
	reader: Pick<User, 'id'>
): string {
	if (id === reader.id) return 'vous-même';
	if (group === 'members') return account?.name ?? 'un membre de la commission';
	if (group === 'released') return 'un partenaire dont les fiches ont quitté l’ordre du jour';
	return account?.organisation
		? `un compte ${ofName(account.organisation)}`
		: 'un compte partenaire';
}

/**
 * What a mailing wrote, those it did not reach named for `reader` as they are today
 * (`notReachedName`): what a summary (`mailingSummary`) reads.
 */
export async function withNames<T extends { notReached: NotReached[] }>(
	db: Executor,
	written: T,
	reader: Pick<User, 'id'>
): Promise<Omit<T, 'notReached'> & { notReached: string[] }> {
	const accounts = await findAccountNames(
		db,
		written.notReached.map((who) => who.id)
	);
	return {
		...written,
		notReached: written.notReached.map((who) => notReachedName(who, accounts.get(who.id), reader))
	};
}

/**
 * Since when the séance's messages of `kind` written at or after `since` (its last convocation, its
 * relevé) wait for the relay known down (`relayDownSince`), some of them not left, or null. An
 * earlier mailing's message still waiting is not this one's.
 */
export async function mailingWaitingSince(
	db: Executor,
	sittingId: number,
	kind: 'convened' | 'closed',
	since: number
): Promise<number | null> {
	const down = await relayDownSince(db);
	return down !== null && (await hasPendingAboutSitting(db, sittingId, kind, since)) ? down : null;
}

/**
 * The summary of the relevé the closing of this séance (at `closedAt`) wrote (`closing_written`,
 * `notifySittingClosed`), on the page the closing led to (`?close=1`): to whoever closed it only
 * (null for anyone else, or a closing that kept none); whether it left, from the relay now.
 */
export async function closingSummaryAgain(
	db: Executor,
	sitting: { id: number; closedAt: string | null },
	reader: Pick<User, 'id'>
): Promise<string | null> {
	const kept = await findClosingWritten(db, sitting.id);
	if (!kept || kept.closedBy !== reader.id || sitting.closedAt === null) return null;
	return mailingSummary(
		'releve',
		{ ...(await withNames(db, kept.written, reader)), released: 0 },
		mailIsRelayed(),
		await mailingWaitingSince(db, sitting.id, 'closed', Date.parse(sitting.closedAt))
	);
}
