// The campaigns still running that ask an organisation for fiches: /espace's list
// (campaignsForOrganisation), the openings a partner just active gets (announceRunningCampaigns).
import type { Db, Executor } from '../db';
import { campaignMail } from '../mail/messages';
import { LATEST_REMINDER_DAYS } from '../../schemas/campaign';
import { daysBefore, parisDate } from '../../utils/dates';
import { campaignPairs, campaignsOfOrganisation } from './repository';
import { withPairStates, answersCampaign } from './pair-states';
import { OPENING_KIND, queueCampaignMessage } from './messages';

/**
 * The campaigns still running that ask the organisation for fiches, with its pairs: open, and not
 * past their deadline, or past it with reminders after it (they say « il est encore temps » and
 * lead to /espace), marked `late`, until LATEST_REMINDER_DAYS have passed.
 */
async function runningCampaignsOf(db: Executor, organisationId: number, today: string) {
	const result = [];
	const candidates = await campaignsOfOrganisation(
		db,
		organisationId,
		daysBefore(today, LATEST_REMINDER_DAYS)
	);
	for (const { reminderDays, ...c } of candidates) {
		const late = c.deadline < today;
		if (late && !reminderDays.some((o) => o > 0)) continue;
		const pairs = withPairStates(await campaignPairs(db, c.id)).filter(
			(p) => p.organisationId === organisationId
		);
		result.push({ campaign: c, late, reminderDays, pairs });
	}
	return result;
}

/**
 * /espace: the open campaigns with fiches of the organisation, and those still to update. A
 * campaign with reminders after its deadline stays after it, marked `late` (runningCampaignsOf) — a
 * reminder sent late (after a stop, or to someone who turned them back on) or read days later
 * finds it there.
 */
export async function campaignsForOrganisation(db: Db, organisationId: number, today: string) {
	return (await runningCampaignsOf(db, organisationId, today)).map(({ campaign, late, pairs }) => ({
		...campaign,
		late,
		toUpdate: pairs
			.filter((p) => !answersCampaign(p.pairState))
			.map((p) => ({ code: p.code, title: p.ficheTitle })),
		total: pairs.length
	}));
}

/**
 * A partner who just became active (their invitation accepted: called in its transaction, after
 * the password is set) gets the opening of each campaign still running that asks their
 * organisation for fiches it has not answered: opened while they were only invited, it wrote to
 * the organisation's other people, or to nobody. Through the outbox and the person's preferences,
 * as the opening. A campaign past its deadline says so, in the words of a reminder after it.
 * How many were queued.
 */
export async function announceRunningCampaigns(
	db: Executor,
	person: { id: number; email: string; name: string },
	organisationId: number,
	now: number
): Promise<number> {
	let queued = 0;
	for (const { campaign, late, reminderDays, pairs } of await runningCampaignsOf(
		db,
		organisationId,
		parisDate(new Date(now))
	)) {
		const asked = pairs.filter((p) => !answersCampaign(p.pairState));
		if (asked.length === 0) continue;
		const after = late ? Math.max(...reminderDays) : null;
		if (
			await queueCampaignMessage(
				db,
				OPENING_KIND,
				person,
				campaign.id,
				asked,
				(listed) => campaignMail(person, campaign, listed, after),
				now
			)
		)
			queued += 1;
	}
	return queued;
}
