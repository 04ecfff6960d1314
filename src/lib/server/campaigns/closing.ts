// Closing a campaign (closeCampaign): its figures kept, its messages still waiting cancelled, and
// how many were, read back from the outbox (closingCancelledMail).
import type { Db, Executor } from '../db';
import { recordAudit } from '../audit/repository';
import type { User } from '../auth/users';
import { cancelPendingAbout, countCancelledAboutCampaign } from '../mail/outbox-repository';
import { ok, refuse, type Result } from '../result';
import { parisDate } from '../../utils/dates';
import { formatDate, pluralize } from '../../utils/format';
import { CAMPAIGN_NOT_FOUND } from '../../utils/vocabulary';
import { campaignPairs, keepCampaignOutcome, closeCampaignRow, findCampaign } from './repository';

/** Why the messages of a campaign closed before they left were not sent (the outbox keeps it). */
const CLOSING_CANCELLED = 'Non envoyé : la campagne a été close avant le départ du message.';

/**
 * How many of the campaign's messages its closing cancelled, read back from the outbox: the
 * closing's notice says it (a count in the address, made up, showed any number).
 */
export function closingCancelledMail(db: Executor, id: number): Promise<number> {
	return countCancelledAboutCampaign(db, id, CLOSING_CANCELLED);
}

/**
 * Closes a campaign (opened by mistake, every answer in, or past its deadline with late reminders
 * still to go): no reminder leaves any more and partners no longer see it in their workspace; its
 * page and follow-up stay. Two admins closing it at once: the second is told it already is. Says
 * how many of its mails still waiting for the relay were cancelled.
 */
export async function closeCampaign(
	db: Db,
	admin: User,
	id: number,
	clientAddress: string | null,
	now = Date.now()
): Promise<Result<{ cancelled: number }>> {
	return db.transaction().execute(async (trx) => {
		const campaign = await findCampaign(trx, id);
		if (!campaign) return refuse(404, CAMPAIGN_NOT_FOUND);
		// Read before the row is closed: its figures as they stand, kept with it from now on.
		const pairs = await campaignPairs(trx, id);
		if (!(await closeCampaignRow(trx, id, admin.id, now)))
			return refuse(
				409,
				`Cette campagne a déjà été close${campaign.closedByName ? ` par ${campaign.closedByName}` : ''}.`
			);
		await keepCampaignOutcome(trx, id, pairs);
		// Its opening or reminders still waiting for the relay no longer ask anything.
		const cancelled = (await cancelPendingAbout(trx, { campaignId: id }, CLOSING_CANCELLED)).length;
		const ended = campaign.deadline < parisDate(new Date(now));
		await recordAudit(trx, {
			actor: admin,
			action: 'campaign.closed',
			target: { type: 'campagne', id },
			summary: `Campagne « ${campaign.title} » close ${ended ? 'après' : 'avant'} son échéance du ${formatDate(campaign.deadline)}${ended ? ' (ses rappels s’arrêtent)' : ''}${cancelled > 0 ? ` ; ${pluralize(cancelled, 'courriel en attente annulé', 'courriels en attente annulés')}` : ''}`,
			clientAddress
		});
		return ok({ cancelled });
	});
}
