import type { Executor } from '../db';
import { countToday } from '../audit/repository';
import { findOrganisationStates } from '../authoring/repository';
import type { User } from '../auth/users';
import { ok, refuse, type Refusal, type Result } from '../result';
import { sittingCancelledMail, sittingClosedMail, type Notification } from '../mail/messages';
import { cancelPendingAbout, findReachedAboutSitting } from '../mail/outbox-repository';
import { queueNotification } from '../mail/outbox';
import { activeRecipients } from '../mail/preferences-repository';
import type { SittingFacts } from '../db/schema';
import { decisionLabel } from '../../utils/vocabulary';
import { findSitting } from './repository';
import {
	agendaOfSitting,
	findSittingForNotice,
	markSittingClosingWritten,
	organisationsOfFiches,
	type Convened
} from './convocation-repository';

/*
 * Whom a séance's mailings reach (its audience: the commission's members and the accounts of the
 * organisations of the fiches on its agenda), the day's bounds on them, and the messages of its
 * closing and its cancellation. Its convocation is convocation.ts; composing a message is
 * mail/messages.ts, the outbox and its sending mail/.
 */

/**
 * The active accounts of each organisation of these fiches' links, read once per organisation (an
 * organisation carries or partners several fiches of an agenda).
 */
export async function accountsOfOrganisations(db: Executor, links: { organisationId: number }[]) {
	const accounts = new Map<number, { id: number; email: string; name: string }[]>();
	for (const { organisationId } of links)
		if (!accounts.has(organisationId))
			accounts.set(organisationId, await activeRecipients(db, { organisationId }));
	return accounts;
}

/**
 * A séance's audience: its agenda, the partners concerned (each with their fiches on it, and their
 * organisation's name) and the commission's members.
 */
export async function sittingAudience(db: Executor, sittingId: number) {
	const agenda = await agendaOfSitting(db, sittingId);
	const links = await organisationsOfFiches(
		db,
		agenda.flatMap((a) => (a.ficheId === null ? [] : [a.ficheId]))
	);
	const partners = new Map<
		number,
		{ id: number; email: string; name: string; organisation: string; fiches: Set<number> }
	>();
	const names = await findOrganisationStates(db, [...new Set(links.map((l) => l.organisationId))]);
	const accounts = await accountsOfOrganisations(db, links);
	for (const link of links)
		for (const person of accounts.get(link.organisationId)!) {
			const entry = partners.get(person.id) ?? {
				...person,
				organisation: names.get(link.organisationId)?.name ?? '',
				fiches: new Set<number>()
			};
			entry.fiches.add(link.ficheId);
			partners.set(person.id, entry);
		}
	const members = await activeRecipients(db, { role: 'commission' });
	return { agenda, partners: [...partners.values()], members };
}

/**
 * Convocations of one séance in a day (Paris), whoever sends them: a commission corrects an agenda
 * two or three times before a séance, not ten.
 */
export const CONVOCATIONS_PER_SITTING_PER_DAY = 10;

/**
 * Convocations and deletions of séances one account makes in a day (Paris): each writes to every
 * member and concerned partner, and a one-word change was enough to send one again.
 */
export const SITTING_MAILINGS_PER_ACCOUNT_PER_DAY = 20;

/**
 * The refusal of a convocation (`sittingId`) or a cancellation (null) once a day's bound is reached:
 * counted in the transaction that writes the messages and its journal row, so that parallel
 * requests cannot pass it together.
 */
export async function sittingMailSpent(
	trx: Executor,
	user: User,
	sittingId: number | null,
	now: number
): Promise<Refusal | null> {
	const at = new Date(now);
	if (
		sittingId !== null &&
		(await countToday(
			trx,
			{ actions: ['session.convened'], target: { type: 'séance', id: sittingId } },
			at
		)) >= CONVOCATIONS_PER_SITTING_PER_DAY
	)
		return refuse(
			429,
			`La convocation de cette séance est déjà partie ${CONVOCATIONS_PER_SITTING_PER_DAY}\u00a0fois aujourd’hui : c’est la limite d’une journée, pour que les convoqués ne reçoivent pas message sur message. Envoyez-la de nouveau demain, ou prévenez-les autrement.`
		);
	if (
		(await countToday(
			trx,
			{ actions: ['session.convened', 'session.deleted'], actorId: user.id },
			at
		)) >= SITTING_MAILINGS_PER_ACCOUNT_PER_DAY
	)
		return refuse(
			429,
			`Vous avez déjà envoyé ou annulé ${SITTING_MAILINGS_PER_ACCOUNT_PER_DAY}\u00a0convocations de séance aujourd’hui : c’est la limite d’une journée, pour que le portail n’écrive pas sans fin aux membres et aux partenaires. ${sittingId === null ? 'Supprimez cette séance demain : ses convoqués recevraient son annulation.' : 'Envoyez cette convocation demain.'}`
		);
	return null;
}

/**
 * The séance as its last convocation announced it (`convened_as`); a séance convened before that
 * was recorded announced what it holds still.
 */
export function announced<T extends SittingFacts & { convenedAs: string | null }>(
	sitting: T
): Convened {
	return sitting.convenedAs ? (JSON.parse(sitting.convenedAs) as Convened) : sitting;
}

/**
 * One message of `kind` to each of these people, once each: those it was written to, and those who
 * turned the commission's mail off (written none).
 */
async function writeToEach<P extends { id: number; email: string; name: string }>(
	db: Executor,
	sittingId: number,
	people: P[],
	kind: string,
	mail: (person: P) => Notification,
	now: number
): Promise<{ written: P[]; optedOut: P[] }> {
	const seen = new Set<number>();
	const written: P[] = [];
	const optedOut: P[] = [];
	for (const person of people) {
		if (seen.has(person.id)) continue;
		seen.add(person.id);
		const id = await queueNotification(db, kind, 'commission', person, mail(person), now, {
			sittingId
		});
		(id === null ? optedOut : written).push(person);
	}
	return { written, optedOut };
}

/**
 * One message to each member and concerned partner of a séance, once each; `member` tells the
 * message which of the two it writes to (the reason it gives), `fiches` how many fiches of a
 * partner's organisation are on the agenda.
 */
async function notifySittingAudience(
	db: Executor,
	sittingId: number,
	kind: string,
	mail: (person: {
		name: string;
		member: boolean;
		fiches: number;
		ficheIds: ReadonlySet<number>;
	}) => Notification,
	now: number
) {
	const { partners, members } = await sittingAudience(db, sittingId);
	return writeToEach(
		db,
		sittingId,
		[
			...members.map((m) => ({ ...m, member: true, fiches: 0, ficheIds: new Set<number>() })),
			...partners.map((p) => ({ ...p, member: false, fiches: p.fiches.size, ficheIds: p.fiches }))
		],
		kind,
		mail,
		now
	);
}

/**
 * In the closing transaction: members get the relevé's decisions, concerned partners those on their
 * organisation's fiches first, each with the relevé's link; a séance convened for another day than
 * it was held on (its date corrected since) says both. What it wrote is kept for the summary of
 * whoever closed it (the séance's `closed_by`, `closingSummaryAgain`): how many members and
 * partners, and whom it did not reach (their account's number, named when shown).
 */
export async function notifySittingClosed(
	db: Executor,
	sittingId: number,
	now: number
): Promise<void> {
	const sitting = await findSittingForNotice(db, sittingId);
	if (!sitting) return;
	const announcedOn = sitting.convenedAt === null ? null : announced(sitting).heldOn;
	const decisions = ((await findSitting(db, sittingId))?.items ?? []).flatMap((item) =>
		item.decisions.map((d) => ({
			ficheId: item.fiche?.id ?? null,
			fiche: item.fiche?.code ?? null,
			title: item.fiche?.title ?? item.title ?? '',
			label: decisionLabel(d),
			text: d.text
		}))
	);
	const facts = {
		id: sitting.id,
		title: sitting.title,
		heldOn: sitting.heldOn,
		startsAt: sitting.startsAt,
		announcedOn: announcedOn === sitting.heldOn ? null : announcedOn,
		decisions
	};
	const { written, optedOut } = await notifySittingAudience(
		db,
		sittingId,
		'closed',
		(person) => sittingClosedMail(person, facts, person.member ? null : person.ficheIds),
		now
	);
	const group = (person: { member: boolean }) => (person.member ? 'members' : 'partners');
	await markSittingClosingWritten(db, sittingId, {
		members: written.filter((person) => person.member).length,
		partners: written.filter((person) => !person.member).length,
		notReached: optedOut.map((person) => ({ id: person.id, group: group(person) }))
	});
}

/**
 * In the deletion's transaction: a séance already convened tells those its last convocation
 * reached (`convened_as.recipients`: not a partner whose fiche joined its agenda since, nor an
 * account created since) that it will not take place, unless `user` has reached the day's bound.
 * Its messages still waiting for the relay are cancelled first, and whoever they were the only
 * messages for is not told of a séance they never heard of. One convened before the recipients
 * were recorded (2026-12-05) tells its members and the partners of the fiches on its agenda, before
 * the agenda goes. How many were told, and how many messages were withdrawn; none when it was never
 * convened.
 */
export async function notifySittingCancelled(
	db: Executor,
	user: User,
	sittingId: number,
	now: number
): Promise<Result<{ told: number; withdrawn: number }>> {
	const sitting = await findSittingForNotice(db, sittingId);
	if (!sitting || sitting.convenedAt === null) return ok({ told: 0, withdrawn: 0 });
	const spent = await sittingMailSpent(db, user, null, now);
	if (spent) return spent;
	const withdrawn = await cancelPendingAbout(
		db,
		{ sittingId },
		'Non envoyé : la séance a été supprimée avant le départ du message.',
		undefined,
		now
	);
	const waiting = withdrawn.flatMap((id) => (id === null ? [] : [id]));
	const reached = await findReachedAboutSitting(db, sittingId, waiting);
	const neverTold = new Set(waiting.filter((id) => !reached.has(id)));
	// The séance as its convocation announced it: moved since without a new convocation, its new
	// day was never told.
	const told = announced(sitting);
	const mail = (person: { name: string }) => sittingCancelledMail(person, told);
	const { written } = told.recipients
		? await writeToEach(
				db,
				sittingId,
				(await activeRecipients(db, { userIds: told.recipients })).filter(
					(person) => !neverTold.has(person.id)
				),
				'cancelled',
				mail,
				now
			)
		: await notifySittingAudience(db, sittingId, 'cancelled', mail, now);
	return ok({ told: written.length, withdrawn: withdrawn.length });
}
