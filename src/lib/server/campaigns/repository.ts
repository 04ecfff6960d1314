import type { ExpressionBuilder } from 'kysely';
import type { Executor } from '../db';
import type { CampaignOutcomeTable, Database } from '../db/schema';
import { fromLiveSittings } from '../commission/repository';
import { fichesInPlan, inPlanOrder } from '../plan/repository';

export type Scope =
	| { kind: 'all' }
	| { kind: 'axis'; axisId: number }
	| { kind: 'priority'; priority: number }
	| { kind: 'organisation'; organisationId: number };

/** The fiches a campaign concerns (retired fiches are left out). */
export async function selectFicheIds(db: Executor, scope: Scope): Promise<number[]> {
	const axisId = scope.kind === 'axis' ? scope.axisId : null;
	const priority = scope.kind === 'priority' ? scope.priority : null;
	const organisationId = scope.kind === 'organisation' ? scope.organisationId : null;
	const rows = await fichesInPlan(db)
		.select('fiche.id')
		.where('fiche.retired_on', 'is', null)
		.$if(axisId !== null, (q) => q.where('orientation.axis_id', '=', axisId!))
		.$if(priority !== null, (q) => q.where('fiche.priority', '=', priority!))
		.$if(organisationId !== null, (q) =>
			q.where(({ or, exists, selectFrom }) =>
				or([
					exists(
						selectFrom('fiche_owner')
							.select('fiche_owner.id')
							.whereRef('fiche_owner.fiche_id', '=', 'fiche.id')
							.where('fiche_owner.organisation_id', '=', organisationId!)
					),
					exists(
						selectFrom('fiche_partner')
							.select('fiche_partner.id')
							.whereRef('fiche_partner.fiche_id', '=', 'fiche.id')
							.where('fiche_partner.organisation_id', '=', organisationId!)
					)
				])
			)
		)
		.orderBy('fiche.id')
		.execute();
	return rows.map((r) => r.id);
}

export async function insertCampaign(
	db: Executor,
	values: {
		title: string;
		deadline: string;
		sittingId: number | null;
		reminderDays: number[];
		createdBy: number;
		ficheIds: number[];
	},
	now: number
): Promise<number> {
	const { id } = await db
		.insertInto('campaign')
		.values({
			title: values.title,
			deadline: values.deadline,
			session_id: values.sittingId,
			reminder_days: JSON.stringify(values.reminderDays),
			created_by: values.createdBy,
			opened_at: now
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	if (values.ficheIds.length > 0)
		await db
			.insertInto('campaign_fiche')
			.values(values.ficheIds.map((ficheId) => ({ campaign_id: id, fiche_id: ficheId })))
			.execute();
	return id;
}

export interface CampaignRow {
	id: number;
	title: string;
	deadline: string;
	sittingId: number | null;
	sittingTitle: string | null;
	reminderDays: number[];
	openedAt: number;
	/** The admin who opened it (null: that account was removed). */
	openedBy: number | null;
	/** Closed before its end by an admin (milliseconds), and by whom. */
	closedAt: number | null;
	closedByName: string | null;
	fiches: number;
}

const CAMPAIGN_COLUMNS = [
	'campaign.id',
	'campaign.title',
	'campaign.deadline',
	'campaign.session_id as sittingId',
	'campaign.reminder_days as reminderDays',
	'campaign.opened_at as openedAt',
	'campaign.created_by as openedBy',
	'campaign.closed_at as closedAt',
	'closer.name as closedByName',
	'commission_session.title as sittingTitle'
] as const;

function campaignQuery(db: Executor) {
	return db
		.selectFrom('campaign')
		.leftJoin('commission_session', 'commission_session.id', 'campaign.session_id')
		.leftJoin('user_account as closer', 'closer.id', 'campaign.closed_by')
		.select(CAMPAIGN_COLUMNS)
		.select((eb) =>
			eb
				.selectFrom('campaign_fiche')
				// A fiche abandoned since the opening awaits nothing more: not counted, as on its page.
				.innerJoin('fiche', 'fiche.id', 'campaign_fiche.fiche_id')
				.select(eb.fn.countAll<number>().as('n'))
				.whereRef('campaign_fiche.campaign_id', '=', 'campaign.id')
				.where('fiche.status', '!=', 'abandonnee')
				.as('fiches')
		);
}

/** The reminder days are stored as JSON; the count of fiches comes from a subquery. */
function toCampaign({
	reminderDays,
	fiches,
	...r
}: Awaited<ReturnType<ReturnType<typeof campaignQuery>['executeTakeFirstOrThrow']>>): CampaignRow {
	return { ...r, reminderDays: JSON.parse(reminderDays) as number[], fiches: Number(fiches ?? 0) };
}

export async function listCampaigns(db: Executor): Promise<CampaignRow[]> {
	return (await campaignQuery(db).orderBy('campaign.deadline', 'desc').execute()).map(toCampaign);
}

export async function findCampaign(db: Executor, id: number): Promise<CampaignRow | undefined> {
	const row = await campaignQuery(db).where('campaign.id', '=', id).executeTakeFirst();
	return row ? toCampaign(row) : undefined;
}

/** Campaigns not closed whose deadline is `date` or later. */
export async function listCampaignsEndingAfter(db: Executor, date: string): Promise<CampaignRow[]> {
	return (
		await campaignQuery(db)
			.where('campaign.deadline', '>=', date)
			.where('campaign.closed_at', 'is', null)
			.execute()
	).map(toCampaign);
}

/**
 * The campaigns not closed, whose deadline is `today` or later, that end on `deadline`: each with
 * its fiches (an opening that repeats one of them asks the same again).
 */
export async function listOpenCampaignsEndingOn(
	db: Executor,
	today: string,
	deadline: string
): Promise<{ id: number; title: string; ficheIds: number[] }[]> {
	const campaigns = await db
		.selectFrom('campaign')
		.select(['id', 'title'])
		.where('closed_at', 'is', null)
		.where('deadline', '=', deadline)
		.where('deadline', '>=', today)
		.orderBy('id')
		.execute();
	if (campaigns.length === 0) return [];
	const fiches = await db
		.selectFrom('campaign_fiche')
		.select(['campaign_id as campaignId', 'fiche_id as ficheId'])
		.where(
			'campaign_id',
			'in',
			campaigns.map((c) => c.id)
		)
		.execute();
	return campaigns.map((c) => ({
		...c,
		ficheIds: fiches.filter((f) => f.campaignId === c.id).map((f) => f.ficheId)
	}));
}

/** The fiches a campaign asks for (its own list, as written at the opening). */
export async function campaignFicheIds(db: Executor, campaignId: number): Promise<number[]> {
	const rows = await db
		.selectFrom('campaign_fiche')
		.select('fiche_id as ficheId')
		.where('campaign_id', '=', campaignId)
		.execute();
	return rows.map((r) => r.ficheId);
}

/** Closes a campaign still open; false when it was already closed (or does not exist). */
export async function closeCampaignRow(
	db: Executor,
	id: number,
	closedBy: number,
	now: number
): Promise<boolean> {
	const result = await db
		.updateTable('campaign')
		.set({ closed_at: now, closed_by: closedBy })
		.where('id', '=', id)
		.where('closed_at', 'is', null)
		.executeTakeFirst();
	return result.numUpdatedRows > 0n;
}

/** One (fiche, organisation) pair a campaign waits for (campaignPairs). */
export interface CampaignPair {
	ficheId: number;
	code: string;
	ficheTitle: string;
	organisationId: number;
	organisation: string;
	/** The latest answer's state since the opening (submitted, validated, returned), or null. */
	state: string | null;
	/** Whether the organisation has an active partner account (a flag as SQLite gives it). */
	hasAccount: unknown;
	/** When the organisation was retired (one that answered before stays), or null. */
	retiredAt: string | null;
}

/**
 * Every (fiche, organisation) pair of a campaign: the organisations carrying or partnering each
 * fiche not abandoned since, with the state of their latest update submitted since the campaign
 * opened. A closed
 * campaign's are those kept when it was closed (campaign_outcome), so its figures stay as they
 * were; one closed before they were kept is read from the live tables.
 */
export async function campaignPairs(db: Executor, campaignId: number): Promise<CampaignPair[]> {
	const campaign = await db
		.selectFrom('campaign')
		.select(['opened_at as openedAt', 'closed_at as closedAt'])
		.where('id', '=', campaignId)
		.executeTakeFirstOrThrow();
	if (campaign.closedAt !== null) {
		const kept = await keptPairs(db, campaignId);
		if (kept.length > 0) return kept;
	}
	return livePairs(db, campaignId, new Date(campaign.openedAt).toISOString());
}

async function keptPairs(db: Executor, campaignId: number): Promise<CampaignPair[]> {
	return db
		.selectFrom('campaign_outcome as kept')
		.innerJoin('fiche', 'fiche.id', 'kept.fiche_id')
		.innerJoin('objective', 'objective.id', 'fiche.objective_id')
		.innerJoin('organisation', 'organisation.id', 'kept.organisation_id')
		.select([
			'fiche.id as ficheId',
			'fiche.code',
			'fiche.title as ficheTitle',
			'organisation.id as organisationId',
			'organisation.name as organisation',
			'organisation.retired_at as retiredAt',
			'kept.state',
			'kept.has_account as hasAccount'
		])
		.where('kept.campaign_id', '=', campaignId)
		.$call(inPlanOrder)
		.orderBy('organisation.name')
		.execute();
}

/** Keeps a campaign's pairs as they are at its closing (closeCampaign, in its transaction). */
export async function keepCampaignOutcome(
	db: Executor,
	campaignId: number,
	pairs: CampaignPair[]
): Promise<void> {
	if (pairs.length === 0) return;
	await db
		.insertInto('campaign_outcome')
		.values(
			pairs.map((p) => ({
				campaign_id: campaignId,
				fiche_id: p.ficheId,
				organisation_id: p.organisationId,
				state: p.state as CampaignOutcomeTable['state'],
				has_account: p.hasAccount ? 1 : 0
			}))
		)
		.execute();
}

async function livePairs(db: Executor, campaignId: number, since: string): Promise<CampaignPair[]> {
	/** The organisation's latest answer on the fiche that counts for this campaign. */
	const answer = (eb: ExpressionBuilder<Database, 'fiche' | 'organisation'>) =>
		eb
			.selectFrom('progress_update')
			.select('progress_update.state')
			.whereRef('progress_update.fiche_id', '=', 'fiche.id')
			.whereRef('progress_update.organisation_id', '=', 'organisation.id')
			.where('progress_update.state', 'in', ['submitted', 'validated', 'returned'])
			// Sent since the opening; or sent before it and still awaiting review, or validated
			// since: the organisation answered, it is not asked again (nor reminded). Sent before
			// and returned: its one open update, « renvoyée » (still asked and reminded).
			.where((w) =>
				w.or([
					w('progress_update.submitted_at', '>=', since),
					w('progress_update.state', 'in', ['submitted', 'returned']),
					w('progress_update.validated_at', '>=', since)
				])
			)
			.orderBy('progress_update.submitted_at', 'desc')
			.limit(1);
	const links = db
		.selectFrom('fiche_owner')
		.select(['fiche_id', 'organisation_id'])
		.union(db.selectFrom('fiche_partner').select(['fiche_id', 'organisation_id']));
	return (
		db
			.selectFrom('campaign_fiche')
			.innerJoin('fiche', 'fiche.id', 'campaign_fiche.fiche_id')
			.innerJoin('objective', 'objective.id', 'fiche.objective_id')
			.innerJoin(links.as('link'), 'link.fiche_id', 'fiche.id')
			.innerJoin('organisation', 'organisation.id', 'link.organisation_id')
			.select((eb) => [
				'fiche.id as ficheId',
				'fiche.code',
				'fiche.title as ficheTitle',
				'organisation.id as organisationId',
				'organisation.name as organisation',
				'organisation.retired_at as retiredAt',
				answer(eb).as('state'),
				// An organisation without an active partner account is never mailed and cannot answer:
				// an invitation not yet accepted (no password) is no account yet (activeRecipients).
				eb
					.exists(
						eb
							.selectFrom('user_account')
							.select('user_account.id')
							.whereRef('user_account.organisation_id', '=', 'organisation.id')
							.where('user_account.role', '=', 'partenaire')
							.where('user_account.disabled_at', 'is', null)
							.where('user_account.password_hash', 'is not', null)
					)
					.as('hasAccount')
			])
			.where('campaign_fiche.campaign_id', '=', campaignId)
			// A fiche abandoned since the opening awaits nothing more (its reminders and counts too).
			.where('fiche.status', '!=', 'abandonnee')
			// A retired organisation is asked nothing more; one that answered keeps its answer here
			// (not a returned one: it can no longer send it again, and the campaign would wait for ever).
			.where((eb) =>
				eb.or([
					eb('organisation.retired_at', 'is', null),
					eb(answer(eb), 'in', ['submitted', 'validated'])
				])
			)
			// The plan's order, which a fiche moved to another objective follows under its new code.
			.$call(inPlanOrder)
			.orderBy('organisation.name')
			.execute()
	);
}

/**
 * Records a reminder announcing `deadline`; false when this campaign, organisation, reminder and
 * deadline already have one (a reminder of the same day before a former deadline does not count).
 */
export async function recordReminder(
	db: Executor,
	reminder: { campaignId: number; organisationId: number; offsetDays: number; deadline: string },
	now: number
): Promise<boolean> {
	const inserted = await db
		.insertInto('campaign_reminder')
		.values({
			campaign_id: reminder.campaignId,
			organisation_id: reminder.organisationId,
			offset_days: reminder.offsetDays,
			deadline: reminder.deadline,
			sent_at: now
		})
		.onConflict((oc) => oc.doNothing())
		.returning('campaign_id')
		.executeTakeFirst();
	return inserted !== undefined;
}

export async function listReminders(db: Executor, campaignId: number) {
	return db
		.selectFrom('campaign_reminder')
		.select([
			'organisation_id as organisationId',
			'offset_days as offsetDays',
			'deadline',
			'sent_at as sentAt'
		])
		.where('campaign_id', '=', campaignId)
		.orderBy('sent_at')
		.execute();
}

/** A campaign's deadline and reminder days. */
export interface CampaignDates {
	deadline: string;
	reminderDays: number[];
}

/**
 * Sets an open campaign's deadline and reminder days, and keeps the change, only while they are
 * still `expected` (what the admin's form showed): the change's id, or null when the campaign was
 * closed or its dates changed meanwhile (another admin), and then nothing is written. One conditional UPDATE: two
 * changes at once cannot both pass.
 */
export async function changeCampaignDatesRow(
	db: Executor,
	campaignId: number,
	expected: CampaignDates,
	next: CampaignDates,
	changedBy: number,
	now: number
): Promise<number | null> {
	const updated = await db
		.updateTable('campaign')
		.set({ deadline: next.deadline, reminder_days: JSON.stringify(next.reminderDays) })
		.where('id', '=', campaignId)
		.where('closed_at', 'is', null)
		.where('deadline', '=', expected.deadline)
		.where('reminder_days', '=', JSON.stringify(expected.reminderDays))
		.executeTakeFirst();
	if (updated.numUpdatedRows === 0n) return null;
	const { id } = await db
		.insertInto('campaign_dates_change')
		.values({
			campaign_id: campaignId,
			deadline_before: expected.deadline,
			deadline_after: next.deadline,
			reminder_days_before: JSON.stringify(expected.reminderDays),
			reminder_days_after: JSON.stringify(next.reminderDays),
			changed_by: changedBy,
			changed_at: now
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return id;
}

/** How many organisations a change of dates (its id) told of the new deadline. */
export async function recordDatesChangeNotified(
	db: Executor,
	changeId: number,
	notified: number
): Promise<void> {
	await db
		.updateTable('campaign_dates_change')
		.set({ notified })
		.where('id', '=', changeId)
		.execute();
}

/**
 * How many changes of a campaign's dates since `since` (ms) told at least one organisation of the
 * new deadline. Read in the transaction that writes the next: parallel changes cannot pass a
 * bound together.
 */
export async function countDeadlineNoticesSince(
	db: Executor,
	campaignId: number,
	since: number
): Promise<number> {
	const { n } = await db
		.selectFrom('campaign_dates_change')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('campaign_id', '=', campaignId)
		.where('changed_at', '>=', since)
		.where('notified', '>', 0)
		.executeTakeFirstOrThrow();
	return n;
}

/**
 * A campaign's changes of dates, oldest first, with who made them and how many organisations each
 * told of its new deadline (`notified`: null for the changes recorded before it was counted, not
 * known; 0 when it told none).
 */
export async function listDatesChanges(db: Executor, campaignId: number) {
	const rows = await db
		.selectFrom('campaign_dates_change')
		.leftJoin('user_account', 'user_account.id', 'campaign_dates_change.changed_by')
		.select([
			'campaign_dates_change.deadline_before as deadlineBefore',
			'campaign_dates_change.deadline_after as deadlineAfter',
			'campaign_dates_change.reminder_days_before as reminderDaysBefore',
			'campaign_dates_change.reminder_days_after as reminderDaysAfter',
			'campaign_dates_change.changed_at as changedAt',
			'campaign_dates_change.changed_by as changedBy',
			'campaign_dates_change.notified',
			'user_account.name as changedByName'
		])
		.where('campaign_dates_change.campaign_id', '=', campaignId)
		.orderBy('campaign_dates_change.id')
		.execute();
	return rows.map((r) => ({
		...r,
		reminderDaysBefore: JSON.parse(r.reminderDaysBefore) as number[],
		reminderDaysAfter: JSON.parse(r.reminderDaysAfter) as number[]
	}));
}

/** Campaigns not closed, with a deadline on or after `since`, with fiches of an organisation. */
export async function campaignsOfOrganisation(db: Executor, organisationId: number, since: string) {
	const rows = await db
		.selectFrom('campaign')
		.select([
			'campaign.id',
			'campaign.title',
			'campaign.deadline',
			'campaign.reminder_days as reminderDays'
		])
		.where('campaign.deadline', '>=', since)
		.where('campaign.closed_at', 'is', null)
		.where(({ exists, selectFrom }) =>
			exists(
				selectFrom('campaign_fiche')
					.innerJoin(
						db
							.selectFrom('fiche_owner')
							.select(['fiche_id', 'organisation_id'])
							.union(db.selectFrom('fiche_partner').select(['fiche_id', 'organisation_id']))
							.as('link'),
						'link.fiche_id',
						'campaign_fiche.fiche_id'
					)
					.innerJoin('fiche', 'fiche.id', 'campaign_fiche.fiche_id')
					.select('campaign_fiche.fiche_id')
					.whereRef('campaign_fiche.campaign_id', '=', 'campaign.id')
					.where('link.organisation_id', '=', organisationId)
					.where('fiche.status', '!=', 'abandonnee')
			)
		)
		.orderBy('campaign.deadline')
		.execute();
	return rows.map((r) => ({ ...r, reminderDays: JSON.parse(r.reminderDays) as number[] }));
}

/** The campaigns a fiche is part of, newest deadline first. */
export async function campaignsOfFiche(db: Executor, ficheId: number) {
	return db
		.selectFrom('campaign_fiche')
		.innerJoin('campaign', 'campaign.id', 'campaign_fiche.campaign_id')
		.select([
			'campaign.id',
			'campaign.title',
			'campaign.deadline',
			'campaign.closed_at as closedAt'
		])
		.where('campaign_fiche.fiche_id', '=', ficheId)
		.orderBy('campaign.deadline', 'desc')
		.execute();
}

/** The axes the campaign form offers: id, code and label. */
export async function listAxisChoices(db: Executor) {
	return db
		.selectFrom('axis')
		.select(['id', 'code', 'label'])
		.where('retired_at', 'is', null)
		.orderBy('position')
		.execute();
}

/** Whether a sitting exists and is not closed (one a campaign may prepare). */
export async function isOpenSitting(db: Executor, id: number): Promise<boolean> {
	const row = await fromLiveSittings(db)
		.select('id')
		.where('id', '=', id)
		.where('state', '!=', 'closed')
		.executeTakeFirst();
	return row !== undefined;
}

export async function listOpenSittings(db: Executor) {
	return fromLiveSittings(db)
		.select(['id', 'title', 'held_on as heldOn'])
		.where('state', '!=', 'closed')
		.orderBy('held_on')
		.execute();
}

/**
 * Among these organisations, those with a partner invited whose invitation still opens (unused,
 * unexpired; the account not disabled and without a password yet): they will have an account.
 */
export async function organisationsInvited(
	db: Executor,
	organisationIds: number[],
	now: number
): Promise<number[]> {
	if (organisationIds.length === 0) return [];
	const rows = await db
		.selectFrom('user_account')
		.innerJoin('invitation', 'invitation.user_id', 'user_account.id')
		.select('user_account.organisation_id as organisationId')
		.distinct()
		.where('user_account.organisation_id', 'in', organisationIds)
		.where('user_account.role', '=', 'partenaire')
		.where('user_account.disabled_at', 'is', null)
		.where('user_account.password_hash', 'is', null)
		.where('invitation.used_at', 'is', null)
		.where('invitation.expires_at', '>', now)
		.execute();
	return rows.map((r) => r.organisationId!);
}
