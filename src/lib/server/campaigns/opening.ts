// Opening a campaign (openCampaign): checked, written and mailed to each organisation concerned
// in one transaction, within the day's bound of openings per account.
import type { Db, Executor } from '../db';
import { countTodaysActions, recordAudit } from '../audit/repository';
import type { User } from '../auth/users';
import { activeRecipients } from '../mail/preferences-repository';
import { invalidFields, ok, refuse, type Refusal, type Result } from '../result';
import { parseReminderDays } from '../../schemas/campaign';
import { parisDate } from '../../utils/dates';
import { formatDate, pluralize } from '../../utils/format';
import { sameWords } from '../../utils/text';
import {
	campaignPairs,
	insertCampaign,
	isOpenSitting,
	listCampaignsEndingAfter,
	selectFicheIds,
	type Scope
} from './repository';
import { withPairStates, answersCampaign, byOrganisation } from './pair-states';
import { repeatedCampaign, campaignDateProblems } from './date-checks';
import { mailOrganisation } from './messages';

export interface CampaignInput {
	title: string;
	deadline: string;
	scope: Scope;
	sittingId: number | null;
	reminders: string;
}

/**
 * Campaigns one account opens in a day (Paris): each writes to every organisation concerned, then
 * reminds it, and a title that differs by one word passes the check of a campaign opened twice.
 */
export const CAMPAIGNS_OPENED_PER_ACCOUNT_PER_DAY = 5;

/**
 * Why the campaign may not be opened, read in the opening's transaction, or null: the same
 * campaign opened already, the account's openings of the day spent, a séance that is not open.
 */
async function openingRefused(
	trx: Executor,
	admin: User,
	input: CampaignInput,
	today: string,
	now: number
): Promise<Refusal | null> {
	// The same campaign opened twice (two tabs, a form sent again): every partner would get
	// two openings and two rounds of reminders.
	const twin = (await listCampaignsEndingAfter(trx, today)).find((c) =>
		sameWords(c.title, input.title)
	);
	if (twin)
		return refuse(409, `La campagne « ${twin.title} » est déjà ouverte.`, {
			fieldErrors: {
				title: `Une campagne « ${twin.title} » est déjà ouverte (échéance le ${formatDate(twin.deadline)}) : rien n’a été ouvert en double. Donnez un autre titre pour en ouvrir une autre.`
			}
		});
	// Counted in the transaction that writes the next one: parallel posts cannot pass it together.
	if (
		(await countTodaysActions(trx, admin.id, 'campaign.opened', new Date(now))) >=
		CAMPAIGNS_OPENED_PER_ACCOUNT_PER_DAY
	)
		return refuse(
			429,
			`Vous avez déjà ouvert ${CAMPAIGNS_OPENED_PER_ACCOUNT_PER_DAY}\u00a0campagnes aujourd’hui : c’est la limite d’une journée, pour que le portail n’écrive pas sans fin aux organisations. Ouvrez celle-ci demain.`
		);
	// A séance closed (or removed) since the form was drawn, or a number typed by hand.
	if (input.sittingId !== null && !(await isOpenSitting(trx, input.sittingId)))
		return refuse(400, 'Cette séance n’existe pas ou est déjà close.', {
			fieldErrors: {
				sitting:
					'Cette séance n’existe pas ou est déjà close : choisissez une séance dans la liste.'
			}
		});
	return null;
}

/** Opens a campaign and, in the same transaction, mails each organisation concerned its fiches. */
export async function openCampaign(
	db: Db,
	admin: User,
	input: CampaignInput,
	clientAddress: string | null,
	now = Date.now()
): Promise<Result<{ id: number }>> {
	const reminderDays = parseReminderDays(input.reminders);
	if (!reminderDays)
		return refuse(400, 'Les rappels sont illisibles.', {
			fieldErrors: { reminders: 'Indiquez par exemple -14, -3, +1.' }
		});
	const today = parisDate(new Date(now));
	const dateProblems = campaignDateProblems(input.deadline, input.reminders, now);
	if (Object.keys(dateProblems).length > 0) return invalidFields(dateProblems);
	return db.transaction().execute(async (trx) => {
		const refused = await openingRefused(trx, admin, input, today, now);
		if (refused) return refused;
		const ficheIds = await selectFicheIds(trx, input.scope);
		if (ficheIds.length === 0)
			return refuse(400, 'Aucune fiche ne correspond à cette sélection.', {
				fieldErrors: { scope: 'Aucune fiche ne correspond à cette sélection.' }
			});
		const repeated = await repeatedCampaign(trx, today, input.deadline, ficheIds);
		if (repeated) return refuse(409, repeated, { fieldErrors: { scope: repeated } });
		const id = await insertCampaign(
			trx,
			{
				title: input.title,
				deadline: input.deadline,
				sittingId: input.sittingId,
				reminderDays,
				createdBy: admin.id,
				ficheIds
			},
			now
		);
		const pairs = withPairStates(await campaignPairs(trx, id));
		// An update sent just before the opening, still awaiting review, already answers: the
		// opening mail asks only for the others (an organisation with none is not written to).
		const asked = pairs.filter((p) => !answersCampaign(p.pairState));
		for (const [organisationId, fiches] of byOrganisation(asked))
			await mailOrganisation(
				trx,
				await activeRecipients(trx, { organisationId }),
				{ ...input, id },
				fiches,
				null,
				now
			);
		await recordAudit(
			trx,
			{
				actor: admin,
				action: 'campaign.opened',
				target: { type: 'campagne', id },
				summary: `Campagne « ${input.title} » ouverte : ${pluralize(ficheIds.length, 'fiche', 'fiches')}, ${pluralize(byOrganisation(pairs).size, 'organisation', 'organisations')}, échéance le ${formatDate(input.deadline)}`,
				after: { ...input, reminderDays, fiches: ficheIds.length },
				clientAddress
			},
			// Dated by the clock that counts the day's openings above.
			new Date(now)
		);
		return ok({ id });
	});
}
