// The scheduled reminders of the campaigns (sendCampaignReminders, once a minute), each sent once,
// and who each goes to (peopleToRemind).
import type { Db, Executor } from '../db';
import { lastWrittenAboutCampaign } from '../mail/outbox-repository';
import { organisationRecipientsOf } from '../mail/preferences-repository';
import { LATEST_REMINDER_DAYS } from '../../schemas/campaign';
import { daysBefore, parisDate } from '../../utils/dates';
import {
	campaignPairs,
	findCampaign,
	listCampaignsEndingAfter,
	listReminders,
	recordReminder,
	type CampaignRow
} from './repository';
import { withPairStates, answersCampaign, byOrganisation } from './pair-states';
import { reminderDay } from './date-checks';
import { OPENING_KIND, mailOrganisation } from './messages';

/**
 * The people of an organisation a campaign's reminder of `day` (Paris) goes to: those who receive
 * reminders, except one sent the campaign's opening on that day or after — on accepting their
 * invitation (announceRunningCampaigns) or written again after a change of deadline — which
 * already listed their fiches: as at the opening, whose day's reminders and those before never go
 * (sendCampaignReminders), the first reminder they get is the next one after it.
 */
async function peopleToRemind(
	db: Executor,
	campaignId: number,
	organisationId: number,
	day: string
) {
	const people = await organisationRecipientsOf(db, organisationId, 'reminders');
	const opened = await lastWrittenAboutCampaign(
		db,
		campaignId,
		OPENING_KIND,
		people.map((p) => p.id)
	);
	return people.filter((p) => {
		const at = opened.get(p.id);
		return at === undefined || parisDate(new Date(at)) < day;
	});
}

/**
 * The reminders of campaign `campaignId` due today (`dueOf`), in the transaction that writes them:
 * the campaign read again, then each organisation still missing an answer reminded once per
 * reminder and deadline. How many organisations were written to.
 */
async function remindCampaign(
	trx: Executor,
	campaignId: number,
	dueOf: (campaign: CampaignRow) => number[],
	now: number
): Promise<number> {
	let count = 0;
	// Read again in the transaction that writes: closed by an admin since the list was read,
	// nothing more leaves for it; its deadline or reminders changed since, those of now count
	// (the reminders of the former deadline would announce it after the change).
	const campaign = await findCampaign(trx, campaignId);
	if (!campaign || campaign.closedAt !== null) return count;
	const due = dueOf(campaign);
	if (due.length === 0) return count;
	const pairs = withPairStates(await campaignPairs(trx, campaign.id));
	const written = await listReminders(trx, campaign.id);
	for (const [organisationId, fiches] of byOrganisation(pairs)) {
		const missing = fiches.filter((f) => !answersCampaign(f.pairState));
		if (missing.length === 0) continue;
		const fresh = due.filter(
			(offset) =>
				!written.some(
					(r) =>
						r.organisationId === organisationId &&
						r.offsetDays === offset &&
						r.deadline === campaign.deadline
				)
		);
		if (fresh.length === 0) continue;
		// An organisation where nobody is to be reminded (no account yet, all turned reminders
		// off, or each was sent the opening on the reminder's day or after) gets no row: the
		// campaign page must not say it was reminded; the first to turn reminders on again gets
		// those due, and one sent the opening gets the next reminder after it.
		const people = await peopleToRemind(
			trx,
			campaign.id,
			organisationId,
			reminderDay(campaign.deadline, Math.max(...fresh))
		);
		if (people.length === 0) continue;
		const recorded: number[] = [];
		for (const offset of fresh)
			if (
				await recordReminder(
					trx,
					{
						campaignId: campaign.id,
						organisationId,
						offsetDays: offset,
						deadline: campaign.deadline
					},
					now
				)
			)
				recorded.push(offset);
		if (recorded.length === 0) continue;
		await mailOrganisation(trx, people, campaign, missing, Math.max(...recorded), now);
		count += 1;
	}
	return count;
}

/**
 * Scheduled job (once a minute): for each campaign, each organisation still missing an update for
 * one of its fiches gets the reminders whose day (deadline + offset, Paris time) has come and was
 * after the opening. A row per campaign, organisation, reminder and the deadline it announces,
 * written with the message in one transaction, makes it idempotent: a restart, two restarts in a
 * minute or a clock going back send nothing twice; after the deadline changed, each reminder of
 * the new deadline goes once, though the same reminder went for the former one (its row stays).
 * Reminders found due together (the server was off) make one message.
 */
export async function sendCampaignReminders(db: Db, now: number): Promise<number> {
	const today = parisDate(new Date(now));
	let sent = 0;
	/** The reminders of a campaign due today, counted from its deadline as read. */
	const dueOf = (campaign: CampaignRow) => {
		const openedOn = parisDate(new Date(campaign.openedAt));
		return campaign.reminderDays.filter((offset) => {
			const day = reminderDay(campaign.deadline, offset);
			return day <= today && day > openedOn;
		});
	};
	for (const listed of await listCampaignsEndingAfter(
		db,
		daysBefore(today, LATEST_REMINDER_DAYS)
	)) {
		if (dueOf(listed).length === 0) continue;
		sent += await db.transaction().execute((trx) => remindCampaign(trx, listed.id, dueOf, now));
	}
	return sent;
}
