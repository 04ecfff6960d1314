// A campaign's messages through the outbox: the opening and a reminder written to an
// organisation's people (mailOrganisation, queueCampaignMessage), and the judgment of one, written
// earlier, just before it leaves (outdatedCampaignMail).
import type { Executor } from '../db';
import { campaignMail, type Notification } from '../mail/messages';
import { queueNotification } from '../mail/outbox';
import { cancelPendingAbout } from '../mail/outbox-repository';
import { parisDate } from '../../utils/dates';
import { formatDate } from '../../utils/format';
import { campaignPairs, findCampaign, listDatesChanges } from './repository';
import { withPairStates, answersCampaign } from './pair-states';

/** The kind of a campaign's opening message, written at the opening or on joining it later. */
export const OPENING_KIND = 'campaign';

export async function mailOrganisation(
	db: Executor,
	people: { id: number; email: string; name: string }[],
	campaign: { id: number; title: string; deadline: string },
	fiches: { ficheId: number; code: string; ficheTitle: string }[],
	reminder: number | null,
	now: number
): Promise<void> {
	// A reminder still waiting for the relay is replaced by this one: it lists fiches answered
	// since, and may announce as coming a deadline now past.
	if (reminder !== null)
		await cancelPendingAbout(
			db,
			{ campaignId: campaign.id },
			'Non envoyé : un rappel plus récent de la même campagne l’a remplacé.',
			{ kind: 'reminder', userIds: people.map((p) => p.id) }
		);
	for (const person of people)
		await queueCampaignMessage(
			db,
			reminder === null ? OPENING_KIND : 'reminder',
			person,
			campaign.id,
			fiches,
			(listed) => campaignMail(person, campaign, listed, reminder),
			now
		);
}

/**
 * One of a campaign's messages to a person, through their preferences (who receives reminders);
 * false when they turned them off.
 */
export async function queueCampaignMessage(
	db: Executor,
	kind: string,
	person: { id: number; email: string },
	campaignId: number,
	fiches: { ficheId: number; code: string; ficheTitle: string }[],
	write: (fiches: { code: string; title: string }[]) => Notification,
	now: number
): Promise<boolean> {
	const queued = await queueNotification(
		db,
		kind,
		'reminders',
		person,
		write(fiches.map((f) => ({ code: f.code, title: f.ficheTitle }))),
		now,
		// The fiches it asks for: before it leaves, it is judged on them (outdatedCampaignMail).
		{ campaignId, campaignFicheIds: fiches.map((f) => f.ficheId) }
	);
	return queued !== null;
}

/** The kind of the message that tells an organisation its campaign's deadline changed. */
export const DEADLINE_NOTICE_KIND = 'campaign-deadline';

/**
 * Why a campaign's opening or reminder, written earlier (it waited for the relay), must not leave
 * now, or null: the campaign was closed since; a reminder's deadline, announced as coming, has
 * passed; or the recipient's organisation has answered every fiche the message asked for
 * (`ficheIds`, its own list: a fiche the organisation joined since is not in it, one it left or
 * that was abandoned since is no longer asked of it). A message written before that list was kept
 * (null) is judged on the organisation's fiches of the day. An opening still leaves once its
 * deadline is past, while the campaign is open: without it the organisation would never hear of
 * the campaign. One written before the campaign's dates last changed announces the former deadline
 * (those waiting were cancelled by the change, changeCampaignDates; this catches one the sender had
 * already claimed). (A newer reminder cancels an older one when it is written: mailOrganisation.)
 */
export async function outdatedCampaignMail(
	db: Executor,
	message: { kind: string; campaignId: number; createdAt: number; ficheIds: number[] | null },
	organisationId: number | null,
	now: number
): Promise<string | null> {
	const campaign = await findCampaign(db, message.campaignId);
	if (!campaign) return null;
	if (campaign.closedAt !== null) return 'la campagne a été close avant le départ du message.';
	// Written before the campaign's dates last changed, it announces the former deadline. Those
	// waiting then were cancelled by the change; this one was being handed to the sender.
	// A change of the reminder days alone announced nothing else: only one that moved the deadline.
	const changed = (await listDatesChanges(db, campaign.id))
		.filter((c) => c.deadlineBefore !== c.deadlineAfter)
		.at(-1);
	if (changed && message.createdAt < changed.changedAt)
		return `l’échéance de la campagne a été changée (du ${formatDate(changed.deadlineBefore)} au ${formatDate(changed.deadlineAfter)}) depuis qu’il a été écrit : il annonçait l’ancienne.`;
	const today = parisDate(new Date(now));
	if (
		(message.kind === 'reminder' || message.kind === DEADLINE_NOTICE_KIND) &&
		parisDate(new Date(message.createdAt)) <= campaign.deadline &&
		campaign.deadline < today
	)
		return `l’échéance de la campagne (le ${formatDate(campaign.deadline)}), que le message annonçait à venir, est passée depuis qu’il a été écrit.`;
	const held = withPairStates(await campaignPairs(db, campaign.id)).filter(
		(p) => p.organisationId === organisationId
	);
	const named = message.ficheIds ?? held.map((p) => p.ficheId);
	if (named.length === 0) return null;
	const asked = held.filter((p) => named.includes(p.ficheId));
	if (asked.some((p) => !answersCampaign(p.pairState))) return null;
	if (asked.length === 0)
		return 'aucune des fiches que le message demandait ne concerne plus l’organisation du destinataire.';
	return asked.length === named.length
		? 'l’organisation du destinataire a soumis depuis une mise à jour de chaque fiche que le message demandait.'
		: 'l’organisation du destinataire a soumis depuis une mise à jour de chaque fiche que le message demandait, hors celles qui ne la concernent plus.';
}
