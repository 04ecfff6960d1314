import type { Db, Executor } from '../db';
import { countTodaysActions, recordAudit } from '../audit/repository';
import type { User } from '../auth/users';
import { protectFormula } from '../csv';
import type { Sheet } from '../spreadsheet';
import { listOrganisationChoices } from '../authoring/repository';
import { campaignDeadlineMail, campaignMail, type Notification } from '../mail/messages';
import { queueNotification } from '../mail/outbox';
import {
	cancelPendingAbout,
	countCancelledAboutCampaign,
	lastWrittenAboutCampaign
} from '../mail/outbox-repository';
import {
	activeRecipients,
	organisationReceives,
	organisationRecipientsOf
} from '../mail/preferences-repository';
import { invalidFields, ok, refuse, type Refusal, type Result } from '../result';
import {
	DEADLINE_NOTICES_PER_CAMPAIGN_PER_DAY,
	LATEST_REMINDER_DAYS,
	parseReminderDays,
	reminderDaysText
} from '../../schemas/campaign';
import { INCOMPLETE_FORM, isIsoDate, keepTypedChanges } from '../../schemas/form';
import { daysAfter, daysBefore, parisDate, parisDayEnd } from '../../utils/dates';
import {
	deadlineChangeWords,
	formatDate,
	formatMomentDay,
	formatSentReminder,
	listInWords,
	pluralize,
	reminderSchedule
} from '../../utils/format';
import { compareFrench, sameWords } from '../../utils/text';
import { MAX_DAYS_AHEAD } from '../../utils/rules';
import {
	CAMPAIGN_NOT_FOUND,
	UPDATE_STATE_LABELS,
	UPDATE_STATE_WORDS
} from '../../utils/vocabulary';
import {
	campaignPairs,
	changeCampaignDatesRow,
	campaignFicheIds,
	keepCampaignOutcome,
	campaignsOfFiche,
	campaignsOfOrganisation,
	closeCampaignRow,
	countDeadlineNoticesSince,
	findCampaign,
	insertCampaign,
	isOpenSitting,
	listAxisChoices,
	listCampaigns,
	listCampaignsEndingAfter,
	listDatesChanges,
	listOpenCampaignsEndingOn,
	listOpenSittings,
	listReminders,
	organisationsInvited,
	recordDatesChangeNotified,
	recordReminder,
	selectFicheIds,
	type CampaignDates,
	type CampaignRow,
	type Scope
} from './repository';

const DEFAULT_REMINDERS = '-14, -3, +1';

export type PairState = 'submitted' | 'validated' | 'returned' | 'missing' | 'unreachable';

const PAIR_LABELS: Record<PairState, string> = {
	submitted: UPDATE_STATE_WORDS.submitted,
	validated: UPDATE_STATE_WORDS.validated,
	returned: UPDATE_STATE_LABELS.returned,
	missing: 'manquante',
	// As the commission's file says it (« Non attendue, faute de compte partenaire actif »).
	unreachable: 'non attendue, faute de compte partenaire actif'
};

/**
 * The one rule by which every reader of a campaign's pairs (its page and follow-up files, the
 * commission's review file, /espace, the opening and the reminders, a message judged before it
 * leaves) tells each pair's state. A submission (waiting or validated) answers the campaign; a
 * returned or absent one does not. An organisation with no active account that answered none of
 * its fiches can neither be told nor answer: « non attendue », not waited for. One that answered
 * at least one (before its last partner left or it was retired) was reached: what it submitted
 * stays submitted, and the rest is missing (or returned), counted like any other organisation's.
 */
function withPairStates<
	T extends { organisationId: number; state: string | null; hasAccount: unknown }
>(pairs: T[]): (T & { pairState: PairState })[] {
	const reached = new Set(
		pairs
			.filter((p) => p.hasAccount || p.state === 'submitted' || p.state === 'validated')
			.map((p) => p.organisationId)
	);
	return pairs.map((p) => {
		const { state } = p;
		const pairState: PairState =
			state === 'submitted' || state === 'validated'
				? state
				: !reached.has(p.organisationId)
					? 'unreachable'
					: state === 'returned'
						? 'returned'
						: 'missing';
		return { ...p, pairState };
	});
}
const answered = (s: PairState) => s === 'submitted' || s === 'validated';

/** An organisation's name in a campaign's follow-up: one retired since it answered says so. */
const shownName = (pair: { organisation: string; retiredAt: string | null }) =>
	pair.retiredAt === null ? pair.organisation : `${pair.organisation} (retirée)`;

/** The day a reminder goes: `offset` days from the deadline (negative: before). */
function reminderDay(deadline: string, offset: number): string {
	return daysAfter(deadline, offset);
}

/**
 * Reminders due on or before the opening day (or the day the dates are changed) are never sent
 * (the opening's own message goes that day; a reminder is not sent late): the form says so instead
 * of keeping them silently.
 */
function earlyRemindersMessage(offsets: number[], deadline: string, when: string): string {
	const signed = offsets.map((o) => (o > 0 ? `+${o}` : String(o)));
	const days = offsets.map((o) => formatDate(reminderDay(deadline, o)));
	if (offsets.length === 1)
		return `Le rappel ${signed[0]} tomberait le ${days[0]}, au plus tard ${when} : il ne partirait pas. Retirez-le ou reportez l’échéance.`;
	return `Les rappels ${listInWords(signed)} tomberaient au plus tard ${when} (${days.join(', ')}) : ils ne partiraient pas. Retirez-les ou reportez l’échéance.`;
}

/**
 * Another open campaign asking the same fiches by the same day, under another title (opened
 * again, renamed, or its deadline moved onto this one): every organisation would be asked twice
 * for the same updates, and reminded twice. The refusal's words, or null.
 */
async function repeatedCampaign(
	db: Executor,
	today: string,
	deadline: string,
	ficheIds: number[],
	except: number | null = null
): Promise<string | null> {
	const asking = new Set(ficheIds);
	const repeated = (await listOpenCampaignsEndingOn(db, today, deadline)).find(
		(c) =>
			c.id !== except &&
			c.ficheIds.length === asking.size &&
			c.ficheIds.every((id) => asking.has(id))
	);
	return repeated
		? `La campagne « ${repeated.title} », ouverte, demande déjà ces mêmes fiches pour le ${formatDate(deadline)} : rien n’a été ouvert en double (ses rappels relancent les organisations). Pour une autre campagne, choisissez d’autres fiches ou une autre échéance.`
		: null;
}

export interface CampaignInput {
	title: string;
	deadline: string;
	scope: Scope;
	sittingId: number | null;
	reminders: string;
}

/** Groups a campaign's pairs by organisation: its people get one message listing its fiches. */
function byOrganisation<T extends { organisationId: number }>(pairs: T[]): Map<number, T[]> {
	const map = new Map<number, T[]>();
	for (const pair of pairs)
		map.set(pair.organisationId, [...(map.get(pair.organisationId) ?? []), pair]);
	return map;
}

/** The kind of a campaign's opening message, written at the opening or on joining it later. */
const OPENING_KIND = 'campaign';

async function mailOrganisation(
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
async function queueCampaignMessage(
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

/**
 * The deadline's and the reminders' problems against today in Paris: a deadline passed or more
 * than a year away, reminders that would fall before the opening. A deadline or reminders the
 * form's schema cannot read are left to its own message: the route asks this beside them, so that
 * every problem is told at once.
 */
export function campaignDateProblems(
	deadline: string,
	reminders: string,
	now = Date.now(),
	/** An open campaign's dates changed, rather than a campaign opened (the words differ). */
	change = false
): Partial<Record<'deadline' | 'reminders', string>> {
	if (!isIsoDate(deadline)) return {};
	const today = parisDate(new Date(now));
	if (deadline < today)
		return {
			deadline: `Choisissez une échéance à venir, à partir d’aujourd’hui, le ${formatDate(today)}.`
		};
	const latest = daysAfter(today, MAX_DAYS_AHEAD);
	if (deadline > latest)
		return {
			deadline: `Choisissez une échéance au plus tard le ${formatDate(latest)} : une campagne dure au plus un an (vérifiez l’année).`
		};
	const early = (parseReminderDays(reminders) ?? []).filter(
		(offset) => reminderDay(deadline, offset) <= today
	);
	return early.length > 0
		? {
				reminders: earlyRemindersMessage(
					early,
					deadline,
					change ? 'aujourd’hui, jour du changement' : 'le jour de l’ouverture'
				)
			}
		: {};
}

/**
 * Campaigns one account opens in a day (Paris): each writes to every organisation concerned, then
 * reminds it, and a title that differs by one word passes the check of a campaign opened twice.
 */
export const CAMPAIGNS_OPENED_PER_ACCOUNT_PER_DAY = 5;

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
		const asked = pairs.filter((p) => !answered(p.pairState));
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

/**
 * Closes a campaign (opened by mistake, every answer in, or past its deadline with late reminders
 * still to go): no reminder leaves any more and partners no longer see it in their workspace; its
 * page and follow-up stay. Two admins closing it at once: the second is told it already is. Says
 * how many of its mails still waiting for the relay were cancelled.
 */
/** Why the messages of a campaign closed before they left were not sent (the outbox keeps it). */
const CLOSING_CANCELLED = 'Non envoyé : la campagne a été close avant le départ du message.';

/**
 * How many of the campaign's messages its closing cancelled, read back from the outbox: the
 * closing's notice says it (a count in the address, made up, showed any number).
 */
export function closingCancelledMail(db: Executor, id: number): Promise<number> {
	return countCancelledAboutCampaign(db, id, CLOSING_CANCELLED);
}

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

/** The kind of the message that tells an organisation its campaign's deadline changed. */
const DEADLINE_NOTICE_KIND = 'campaign-deadline';

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
		const missing = fiches.filter((f) => !answered(f.pairState));
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
		sent += await db.transaction().execute(async (trx) => {
			let count = 0;
			// Read again in the transaction that writes: closed by an admin since the list was read,
			// nothing more leaves for it; its deadline or reminders changed since, those of now count
			// (the reminders of the former deadline would announce it after the change).
			const campaign = await findCampaign(trx, listed.id);
			if (!campaign || campaign.closedAt !== null) return count;
			const due = dueOf(campaign);
			if (due.length === 0) return count;
			const pairs = withPairStates(await campaignPairs(trx, campaign.id));
			const written = await listReminders(trx, campaign.id);
			for (const [organisationId, fiches] of byOrganisation(pairs)) {
				const missing = fiches.filter((f) => !answered(f.pairState));
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
		});
	}
	return sent;
}

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
	if (asked.some((p) => !answered(p.pairState))) return null;
	if (asked.length === 0)
		return 'aucune des fiches que le message demandait ne concerne plus l’organisation du destinataire.';
	return asked.length === named.length
		? 'l’organisation du destinataire a soumis depuis une mise à jour de chaque fiche que le message demandait.'
		: 'l’organisation du destinataire a soumis depuis une mise à jour de chaque fiche que le message demandait, hors celles qui ne la concernent plus.';
}

export interface Completion {
	campaign: CampaignRow;
	fiches: {
		code: string;
		title: string;
		organisations: { name: string; state: PairState; label: string }[];
	}[];
	organisations: {
		id: number;
		name: string;
		done: number;
		total: number;
		missing: string[];
		/** The reminders written, with the deadline each announced. */
		reminders: { offset: number; sentAt: number; deadline: string }[];
	}[];
	/** The changes of its deadline or reminder days, oldest first. */
	datesChanges: Awaited<ReturnType<typeof listDatesChanges>>;
	/** Organisations concerned that have no active account: not counted, listed apart. */
	withoutAccount: string[];
	/** Those of withoutAccount with a partner invited, whose invitation still opens. */
	invited: string[];
	/** Organisations with an active account, but nobody who receives the campaigns' messages. */
	notMailed: string[];
	/**
	 * Organisations counted because they answered before losing their last active account (or
	 * being retired): none now, so they are neither told nor reminded.
	 */
	lostAccount: string[];
	/** Those of lostAccount retired since they answered: nobody can be invited for them. */
	retiredSince: string[];
	done: number;
	total: number;
	complete: boolean;
	/**
	 * Not complete, and no organisation still asked for an update has anyone who receives the
	 * campaigns' messages: the opening (and the reminders) write to nobody.
	 */
	reachesNobody: boolean;
}

/** The campaign page: per fiche and per organisation, submitted / validated / missing. */
export async function campaignCompletion(
	db: Db,
	id: number,
	now = Date.now()
): Promise<Result<Completion>> {
	const campaign = await findCampaign(db, id);
	if (!campaign) return refuse(404, CAMPAIGN_NOT_FOUND);
	const pairs = withPairStates(await campaignPairs(db, id)).map((p) => ({
		...p,
		organisation: shownName(p)
	}));
	const expected = pairs.filter((p) => p.pairState !== 'unreachable');
	const reminders = await listReminders(db, id);
	const fiches = new Map<string, Completion['fiches'][number]>();
	for (const p of pairs) {
		const fiche = fiches.get(p.code) ?? { code: p.code, title: p.ficheTitle, organisations: [] };
		fiche.organisations.push({
			name: p.organisation,
			state: p.pairState,
			label: PAIR_LABELS[p.pairState]
		});
		fiches.set(p.code, fiche);
	}
	const organisations = [...byOrganisation(expected)].map(([orgId, list]) => ({
		id: orgId,
		name: list[0]!.organisation,
		done: list.filter((p) => answered(p.pairState)).length,
		total: list.length,
		missing: list.filter((p) => !answered(p.pairState)).map((p) => p.code),
		reminders: reminders
			.filter((r) => r.organisationId === orgId)
			.map((r) => ({ offset: r.offsetDays, sentAt: r.sentAt, deadline: r.deadline }))
	}));
	organisations.sort((a, b) => compareFrench(a.name, b.name));
	for (const fiche of fiches.values())
		fiche.organisations.sort((a, b) => compareFrench(a.name, b.name));
	const unreachable = pairs.filter((p) => p.pairState === 'unreachable');
	const withoutAccount = [...new Set(unreachable.map((p) => p.organisation))].sort((a, b) =>
		a.localeCompare(b, 'fr')
	);
	const invitedIds = await organisationsInvited(db, [...byOrganisation(unreachable).keys()], now);
	const invited = withoutAccount.filter((name) =>
		unreachable.some((p) => p.organisation === name && invitedIds.includes(p.organisationId))
	);
	const done = expected.filter((p) => answered(p.pairState)).length;
	const complete = expected.length > 0 && done === expected.length;
	const notMailed: string[] = [];
	const lostAccount: string[] = [];
	const unmailed = new Set<number>();
	for (const organisation of organisations) {
		// Reached by an answer given before its last account went (withPairStates).
		const lost = !expected.some((p) => p.organisationId === organisation.id && p.hasAccount);
		if (!lost && (await organisationReceives(db, organisation.id, 'reminders'))) continue;
		(lost ? lostAccount : notMailed).push(organisation.name);
		unmailed.add(organisation.id);
	}
	const retiredSince = organisations
		.filter((o) => expected.some((p) => p.organisationId === o.id && p.retiredAt !== null))
		.map((o) => o.name);
	return ok({
		campaign,
		fiches: [...fiches.values()],
		organisations,
		datesChanges: await listDatesChanges(db, id),
		withoutAccount,
		invited,
		notMailed,
		lostAccount: lostAccount.filter((name) => !retiredSince.includes(name)),
		retiredSince,
		done,
		total: expected.length,
		complete,
		reachesNobody:
			!complete && organisations.every((o) => o.missing.length === 0 || unmailed.has(o.id))
	});
}

/** One line per fiche and organisation: its state, and the reminders sent to the organisation. */
function completionLines(completion: Completion, formatTime: (ms: number) => string) {
	const reminderText = new Map(
		completion.organisations.map((o) => [
			o.name,
			o.reminders
				.map(
					(r) => `${formatSentReminder(r, completion.campaign.deadline)} : ${formatTime(r.sentAt)}`
				)
				.join(' ; ')
		])
	);
	return completion.fiches.flatMap((f) =>
		f.organisations.map((o) => [f.code, f.title, o.name, o.label, reminderText.get(o.name) ?? ''])
	);
}

/** The same, as CSV rows (every text after the fiche's code through protectFormula). */
export function completionRows(
	completion: Completion,
	formatTime: (ms: number) => string
): string[][] {
	return [
		['fiche', 'intitule', 'organisation', 'etat', 'rappels'],
		...completionLines(completion, formatTime).map(([code, ...texts]) => [
			code!,
			...texts.map((text) => protectFormula(text!))
		])
	];
}

/**
 * The same for people, as a workbook's sheet: French headings (a workbook never reads a text cell
 * as a formula, the titles go as they are).
 */
export function completionSheet(completion: Completion, formatTime: (ms: number) => string): Sheet {
	const { title, deadline, closedAt } = completion.campaign;
	return {
		title: 'Suivi de la campagne',
		note: `Campagne de suivi « ${title} », échéance le ${formatDate(deadline)}${closedAt === null ? '' : `, close le ${formatMomentDay(closedAt)} (avancement du jour de la clôture)`} : ${completion.done} sur ${pluralize(completion.total, 'mise à jour attendue', 'mises à jour attendues')}`,
		headers: ['Fiche', 'Intitulé', 'Organisation', 'État', 'Rappels'],
		rows: completionLines(completion, formatTime)
	};
}

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
			.filter((p) => !answered(p.pairState))
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
		const asked = pairs.filter((p) => !answered(p.pairState));
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

/**
 * The commission's review file: the fiche's state in each campaign it is part of, for each
 * organisation asked; with `onlyOrganisationId` (a partner reading the file), that organisation's
 * only: how staff judged another's update (« renvoyée ») is not a partner's to read.
 */
export async function ficheCampaignStatus(
	db: Db,
	ficheId: number,
	onlyOrganisationId?: number | null
) {
	const result = [];
	for (const c of await campaignsOfFiche(db, ficheId)) {
		const pairs = withPairStates(await campaignPairs(db, c.id)).filter(
			(p) =>
				p.ficheId === ficheId &&
				(onlyOrganisationId === undefined || p.organisationId === onlyOrganisationId)
		);
		// A campaign that asked nothing of the partner's organisation on this fiche: not theirs.
		if (pairs.length === 0 && onlyOrganisationId !== undefined) continue;
		result.push({
			...c,
			organisations: pairs.map((p) => ({
				name: shownName(p),
				label: PAIR_LABELS[p.pairState],
				state: p.pairState
			}))
		});
	}
	return result;
}

/** /admin/campagnes: the campaigns and what the form offers. */
export async function campaignsPage(db: Db) {
	return {
		campaigns: await listCampaigns(db),
		axes: await listAxisChoices(db),
		// French order: « Ad’Occ » before « ARS », « École… » and « État » among the E.
		organisations: (await listOrganisationChoices(db)).sort((a, b) =>
			compareFrench(a.name, b.name)
		),
		sittings: await listOpenSittings(db),
		defaultReminders: DEFAULT_REMINDERS
	};
}
