// Changing an open campaign's deadline and reminder days (changeCampaignDates): the form's
// checks, the messages cancelled, written again or sent, the journal; and the typing kept after a
// refusal (rebaseCampaignDatesTyping).
import type { Db, Executor } from '../db';
import { recordAudit } from '../audit/repository';
import type { User } from '../auth/users';
import { campaignDeadlineMail, campaignMail } from '../mail/messages';
import { cancelPendingAbout } from '../mail/outbox-repository';
import { activeRecipients } from '../mail/preferences-repository';
import { invalidFields, ok, refuse, type Refusal, type Result } from '../result';
import {
	DEADLINE_NOTICES_PER_CAMPAIGN_PER_DAY,
	parseReminderDays,
	reminderDaysText
} from '../../schemas/campaign';
import { INCOMPLETE_FORM, isIsoDate, keepTypedChanges } from '../../schemas/form';
import { daysAfter, daysBefore, parisDate, parisDayEnd } from '../../utils/dates';
import { deadlineChangeWords, formatDate, pluralize, reminderSchedule } from '../../utils/format';
import { CAMPAIGN_NOT_FOUND } from '../../utils/vocabulary';
import {
	campaignPairs,
	changeCampaignDatesRow,
	campaignFicheIds,
	countDeadlineNoticesSince,
	findCampaign,
	recordDatesChangeNotified,
	type CampaignDates,
	type CampaignRow
} from './repository';
import { withPairStates, answersCampaign, byOrganisation } from './pair-states';
import { repeatedCampaign, campaignDateProblems } from './date-checks';
import { OPENING_KIND, queueCampaignMessage, DEADLINE_NOTICE_KIND } from './messages';

export interface DatesChangeInput {
	deadline: string;
	reminders: string;
	/** The deadline and reminders the form showed: changed since (another admin), it is refused. */
	shownDeadline: string;
	shownReminders: string;
	/** Write to each organisation still missing an answer (« Prévenir les organisations »). */
	notify: boolean;
}

const sameDays = (a: number[], b: number[]) =>
	a.length === b.length && a.every((day, i) => day === b[i]);

/** What moved from one campaign's dates to another's, in words: the journal's and the conflict's. */
function datesChangeList(before: CampaignDates, after: CampaignDates): string[] {
	return [
		...(before.deadline === after.deadline
			? []
			: [deadlineChangeWords(before.deadline, after.deadline).toLowerCase()]),
		...(sameDays(before.reminderDays, after.reminderDays)
			? []
			: [
					`rappels : ${reminderSchedule(before.reminderDays)} → ${reminderSchedule(after.reminderDays)}`
				])
	];
}

/** A field of the dates' form as typed against as shown: reminders by their days (« -3,+1 »). */
function sameDatesTyping(typed: string, shown: string): boolean {
	const typedDays = parseReminderDays(typed);
	const shownDays = parseReminderDays(shown);
	return typedDays && shownDays ? sameDays(typedDays, shownDays) : typed.trim() === shown.trim();
}

/**
 * After a change of dates refused because another admin changed them first: what the person
 * typed, except in the fields they had left as the form showed them, which take the campaign's
 * dates of now — sending again keeps the other's change (their deadline is not put back). The
 * dates shown are left out: the page shows those of now.
 */
export async function rebaseCampaignDatesTyping(
	db: Db,
	id: number,
	typed: Record<string, string>
): Promise<Record<string, string>> {
	const { shownDeadline, shownReminders, ...kept } = typed;
	const campaign = await findCampaign(db, id);
	if (!campaign) return kept;
	return keepTypedChanges(
		kept,
		[
			['deadline', shownDeadline ?? null, campaign.deadline],
			['reminders', shownReminders ?? null, reminderDaysText(campaign.reminderDays)]
		],
		sameDatesTyping
	);
}

/**
 * The refusal of a change of deadline told to the organisations once the campaign's notices of the
 * day (Paris) reach DEADLINE_NOTICES_PER_CAMPAIGN_PER_DAY, or null. Counted in the transaction that
 * writes the change and its notices: parallel posts cannot pass the bound together.
 */
async function deadlineNoticesSpent(trx: Executor, id: number, now: number) {
	const today = parisDate(new Date(now));
	const dayStart = Date.parse(parisDayEnd(daysBefore(today, 1)));
	if ((await countDeadlineNoticesSince(trx, id, dayStart)) < DEADLINE_NOTICES_PER_CAMPAIGN_PER_DAY)
		return null;
	return refuse(
		429,
		`Les organisations de cette campagne ont déjà été prévenues ${DEADLINE_NOTICES_PER_CAMPAIGN_PER_DAY}\u00a0fois aujourd’hui d’un changement d’échéance : c’est la limite d’une journée, pour qu’elles ne reçoivent pas message sur message. Rien n’a été changé. Décochez « Prévenir les organisations qui n’ont pas encore répondu » pour changer l’échéance sans les prévenir (les rappels annonceront la nouvelle) ; elles pourront de nouveau être prévenues demain, le ${formatDate(daysAfter(today, 1))}.`
	);
}

/**
 * Changes an open campaign's deadline and reminder days (its séance moved) without closing it: its
 * answers and the reminders already sent stay. The same checks as the opening, against today. In
 * one transaction: the change, kept only while the dates are those the admin's form showed (two
 * admins at once: the second is refused with the dates of the first); its openings and reminders
 * still waiting for the relay, which announce the former deadline, are cancelled — an opening is
 * written again with the new deadline (the organisation must still hear of the campaign); with
 * `notify`, each person who receives reminders in an organisation still missing an answer is told
 * the new deadline and its fiches still to update (a campaign's organisations are told so at most
 * DEADLINE_NOTICES_PER_CAMPAIGN_PER_DAY times a day: beyond, only a change without notice passes);
 * journaled, before and after. Each reminder day
 * is then counted from the new deadline (sendCampaignReminders).
 */
export async function changeCampaignDates(
	db: Db,
	admin: User,
	id: number,
	input: DatesChangeInput,
	clientAddress: string | null,
	now = Date.now()
): Promise<Result<{ notified: number; cancelled: number }>> {
	const typed = typedDatesChange(input, now);
	if (!typed.ok) return typed;
	const { before, after } = typed.value;
	const notify = input.notify && before.deadline !== after.deadline;
	return db.transaction().execute(async (trx) => {
		const campaign = await changeableCampaign(trx, id, before, after, notify, now);
		if (!campaign.ok) return campaign;
		const changeId = await changeCampaignDatesRow(trx, id, before, after, admin.id, now);
		if (changeId === null) return datesChangedMeanwhile(before, campaign.value);
		const { notified, cancelled } = await announceNewDates(trx, campaign.value, after, notify, now);
		if (notified > 0) await recordDatesChangeNotified(trx, changeId, notified);
		const outcome = { notified, cancelled, notify: input.notify };
		await journalDatesChange(
			trx,
			admin,
			campaign.value,
			before,
			after,
			outcome,
			clientAddress,
			now
		);
		return ok({ notified, cancelled });
	});
}

/**
 * The dates the form showed (`before`) and those typed (`after`), once readable and, against
 * today, possible (the opening's checks); else the form's refusal.
 */
function typedDatesChange(
	input: DatesChangeInput,
	now: number
): Result<{ before: CampaignDates; after: CampaignDates }> {
	const reminderDays = parseReminderDays(input.reminders);
	if (!reminderDays)
		return refuse(400, 'Les rappels sont illisibles.', {
			fieldErrors: { reminders: 'Indiquez par exemple -14, -3, +1.' }
		});
	const shownDays = parseReminderDays(input.shownReminders);
	if (!isIsoDate(input.shownDeadline) || !shownDays) return refuse(400, INCOMPLETE_FORM);
	const dateProblems = campaignDateProblems(input.deadline, input.reminders, now, true);
	if (Object.keys(dateProblems).length > 0) return invalidFields(dateProblems);
	return ok({
		before: { deadline: input.shownDeadline, reminderDays: shownDays },
		after: { deadline: input.deadline, reminderDays }
	});
}

/**
 * The campaign, read in the change's transaction, if its dates may change from `before` to
 * `after`: open, a change at all, no other campaign of the same fiches and deadline, and, when the
 * organisations are to be told (`notify`), a form still showing the stored dates and the day's
 * notices not spent — a form out of date is said first (with its rebase), then the day's notices
 * spent: not « décochez » to an admin whose next post would be refused as out of date anyway.
 */
async function changeableCampaign(
	trx: Executor,
	id: number,
	before: CampaignDates,
	after: CampaignDates,
	notify: boolean,
	now: number
): Promise<Result<CampaignRow>> {
	const campaign = await findCampaign(trx, id);
	if (!campaign) return refuse(404, CAMPAIGN_NOT_FOUND);
	if (campaign.closedAt !== null)
		return refuse(
			409,
			`Cette campagne a été close${campaign.closedByName ? ` par ${campaign.closedByName}` : ''} : son échéance et ses rappels ne changent plus. Ouvrez-en une nouvelle au besoin.`
		);
	const deadlineMoved = before.deadline !== after.deadline;
	if (!deadlineMoved && sameDays(before.reminderDays, after.reminderDays))
		return refuse(400, 'Ni l’échéance ni les rappels ne changent : rien n’a été modifié.', {
			fieldErrors: {
				deadline: 'Ni l’échéance ni les rappels ne changent : modifiez l’échéance ou les rappels.'
			}
		});
	const repeated =
		deadlineMoved &&
		(await repeatedCampaign(
			trx,
			parisDate(new Date(now)),
			after.deadline,
			await campaignFicheIds(trx, id),
			id
		));
	if (repeated) return refuse(409, repeated, { fieldErrors: { deadline: repeated } });
	if (notify) {
		if (datesChangeList(before, campaign).length > 0)
			return datesChangedMeanwhile(before, campaign);
		const spent = await deadlineNoticesSpent(trx, id, now);
		if (spent) return spent;
	}
	return ok(campaign);
}

/** The refusal of a form whose dates another admin changed since it was opened. */
function datesChangedMeanwhile(before: CampaignDates, campaign: CampaignRow): Refusal {
	return refuse(
		409,
		`L’échéance ou les rappels de cette campagne ont été modifiés entre-temps : ${datesChangeList(before, campaign).join(' ; ')}. Rien n’a été changé. Vos changements sont conservés ci-dessous, les champs que vous n’aviez pas touchés ont repris leur valeur actuelle : relisez-les, puis renvoyez le formulaire au besoin.`
	);
}

/**
 * The messages of a campaign whose dates changed to `after`: when its deadline moved, what waits
 * for the relay announces the former one and does not leave (cancelled), an opening being written
 * again with the new deadline (those people have not yet heard of the campaign); with `notify`,
 * each person who receives reminders in an organisation still missing an answer is told the new
 * deadline. Only the reminder days changed: what waits still announces the right deadline and goes
 * (a reminder written for an offset since removed too: its day had come), and there is no new
 * deadline to tell. `campaign` is as read before the change: its dates are the form's `before`
 * (changeCampaignDatesRow wrote only then). How many organisations were told, and how many
 * messages cancelled.
 */
async function announceNewDates(
	trx: Executor,
	campaign: CampaignRow,
	after: CampaignDates,
	notify: boolean,
	now: number
): Promise<{ notified: number; cancelled: number }> {
	const organisations = byOrganisation(withPairStates(await campaignPairs(trx, campaign.id)));
	const people = new Map<number, Awaited<ReturnType<typeof activeRecipients>>>();
	for (const organisationId of organisations.keys())
		people.set(organisationId, await activeRecipients(trx, { organisationId }));
	const { reopened, cancelled } =
		campaign.deadline === after.deadline
			? { reopened: new Set<number | null>(), cancelled: 0 }
			: await cancelOutdatedMessages(trx, campaign, after.deadline, [...people.values()], now);
	const moved = { id: campaign.id, title: campaign.title, deadline: after.deadline };
	let notified = 0;
	for (const [organisationId, fiches] of organisations) {
		const missing = fiches.filter((f) => !answersCampaign(f.pairState));
		if (missing.length === 0) continue;
		let told = false;
		for (const person of people.get(organisationId) ?? []) {
			if (reopened.has(person.id))
				await queueCampaignMessage(
					trx,
					OPENING_KIND,
					person,
					campaign.id,
					missing,
					(listed) => campaignMail(person, moved, listed, null),
					now
				);
			else if (notify)
				told =
					(await queueCampaignMessage(
						trx,
						DEADLINE_NOTICE_KIND,
						person,
						campaign.id,
						missing,
						(listed) => campaignDeadlineMail(person, moved, campaign.deadline, listed),
						now
					)) || told;
		}
		if (told) notified += 1;
	}
	return { notified, cancelled };
}

/**
 * Cancels what waits for the relay about a campaign whose deadline moved from `campaign`'s to
 * `deadline`: the openings to `people` (whose ids are `reopened`: they are written again), then
 * every other message; how many in all.
 */
async function cancelOutdatedMessages(
	trx: Executor,
	campaign: CampaignRow,
	deadline: string,
	people: { id: number }[][],
	now: number
): Promise<{ reopened: Set<number | null>; cancelled: number }> {
	const reason = `Non envoyé : l’échéance de la campagne a été changée (du ${formatDate(campaign.deadline)} au ${formatDate(deadline)}) avant le départ du message.`;
	const about = { campaignId: campaign.id };
	const userIds = people.flat().map((p) => p.id);
	const reopened = new Set(
		await cancelPendingAbout(trx, about, reason, { kind: OPENING_KIND, userIds }, now)
	);
	const others = await cancelPendingAbout(trx, about, reason, undefined, now);
	return { reopened, cancelled: reopened.size + others.length };
}

/** The journal's line of a change of dates: what changed, organisations told, messages cancelled. */
async function journalDatesChange(
	trx: Executor,
	admin: User,
	campaign: CampaignRow,
	before: CampaignDates,
	after: CampaignDates,
	outcome: { notified: number; cancelled: number; notify: boolean },
	clientAddress: string | null,
	now: number
): Promise<void> {
	const { notified, cancelled } = outcome;
	const changes = datesChangeList(before, after);
	await recordAudit(
		trx,
		{
			actor: admin,
			action: 'campaign.dates_changed',
			target: { type: 'campagne', id: campaign.id },
			summary: `Campagne « ${campaign.title} » : ${changes.join(' ; ')}${notified > 0 ? ` ; ${pluralize(notified, 'organisation prévenue', 'organisations prévenues')}` : ''}${cancelled > 0 ? ` ; ${pluralize(cancelled, 'courriel en attente annulé', 'courriels en attente annulés')}` : ''}`,
			before,
			after: { ...after, notify: outcome.notify },
			clientAddress
		},
		new Date(now)
	);
}
