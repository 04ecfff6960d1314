import type { Db, Executor } from '../db';
import { countTodaysActions, recordAudit } from '../audit/repository';
import { changedSinceConvened, type SinceConvened } from './convocation';
import { notifySittingClosed, notifySittingCancelled } from './sitting-notices';
import { sittingHeader } from './sitting-header';
import { countCancellationsOfSitting } from '../mail/outbox-repository';
import { loadFicheStatesAsOf } from '../dashboard/repository';
import type { User } from '../auth/users';
import { can, FORBIDDEN_MESSAGE, sittingConvened } from '../auth/permissions';
import { findMovedFicheCode } from '../authoring/revisions-repository';
import { ficheCampaignStatus } from '../campaigns/service';
import { findFicheByCode, findFichePeriod } from '../plan/repository';
import { findSitting, type SittingRecord } from './repository';
import type { FicheStatus, SittingFacts } from '../db/schema';
import { INVALID_FORM_MESSAGE, ok, refuse, type Refusal, type Result } from '../result';
import {
	agendaItemHasDecision,
	appendAgendaItem,
	countAgendaItems,
	deleteAgendaItem,
	deleteAttendee,
	deleteDecision,
	deleteSittingRows,
	findAdoptionDay,
	findAgendaItem,
	findCommissionMember,
	findFicheActivityAsOf,
	findLastPriorityDecision,
	findPreviousClosedSitting,
	findPreparingCampaign,
	listFichesWithAddedAt,
	findSittingDecision,
	findSittingRow,
	hasSameDecision,
	insertAttendee,
	insertDecision,
	insertSitting,
	isAttending,
	keepLegacyConvocationFacts,
	listAgendaFicheAdditions,
	listFreeItemTitles,
	listAttendeeNames,
	listSittingsAt,
	listAgendaFicheIds,
	listDecisionIds,
	listPriorityDecisions,
	listPriorityHistory,
	listFicheActivity,
	setFichePriority,
	setSittingState,
	updateSittingDetails
} from './repository';

import { daysAfter, parisDate, parisToday } from '../../utils/dates';
import {
	asksNothingOf,
	isStale,
	MAX_DAYS_AHEAD,
	SITTING_EARLY_WORDS,
	sittingMayOpen,
	sittingOpensAt,
	sittingPastPart,
	sittingStartIsPast
} from '../../utils/rules';
import {
	formatClock,
	formatDate,
	formatMoment,
	formatSittingDay,
	formatSittingMoment,
	plural,
	pluralize
} from '../../utils/format';
import { sameWords } from '../../utils/text';
import { isIsoDate, keepTypedChanges, storedText, type FieldErrors } from '../../schemas/form';
import {
	NEW_PRIORITY_MISSING,
	UNKNOWN_CHOICES,
	type DecisionInput
} from '../../schemas/commission';

export type { DecisionInput };
import {
	closedSittingWords,
	DECISION_KIND_LABELS,
	PRIORITIES,
	SITTING_NOT_FOUND,
	SITTING_NOT_FOUND_OR_UNPUBLISHED,
	SITTING_STATE_LABELS as STATE_LABELS
} from '../../utils/vocabulary';

const CLOSED_MESSAGE =
	'Cette séance est close : elle ne peut plus être modifiée. Ouvrez une nouvelle séance pour revenir sur ses décisions.';

/** A séance deleted (created by mistake), as said to the members who post to it. */
const DELETED_SITTING_MESSAGE =
	'Cette séance a été supprimée (créée par erreur) : rien n’a été enregistré. Retrouvez les séances sur la page de la commission.';

/** A séance deleted once convened (cancelled), as said to the members who post to it. */
const CANCELLED_SITTING_MESSAGE =
	'Cette séance a été annulée après sa convocation : rien n’a été enregistré. Retrouvez les séances sur la page de la commission.';

/** The same, to the members who open it (a bookmark, a tab left open): nothing was sent. */
const DELETED_SITTING_OPENED_MESSAGE =
	'Cette séance a été supprimée (créée par erreur). Retrouvez les séances sur la page de la commission.';

/**
 * The same for a séance deleted once convened: it was cancelled; whether a cancellation was written
 * to those convened (`written`, messages of kind `cancelled`), never that it reached them: without
 * a relay, or while it is down, it waits.
 */
export function cancelledSittingOpenedMessage(written: number): string {
	return written > 0
		? 'Cette séance a été annulée après sa convocation : un courriel d’annulation a été écrit aux personnes convoquées. Retrouvez les séances sur la page de la commission.'
		: 'Cette séance a été annulée après sa convocation. Retrouvez les séances sur la page de la commission.';
}

/**
 * A deleted séance as its notices tell it: created by mistake (never convened), or cancelled once
 * convened, with the people its convocation reached and how many cancellations were written to
 * them. Null for a séance not deleted, or unknown.
 */
async function deletedSitting(
	db: Executor,
	id: number
): Promise<{ convened: false } | { convened: true; recipients: number[]; told: number } | null> {
	const sitting = await findSittingRow(db, id);
	if (!sitting || sitting.deletedAt === null) return null;
	if (sitting.convenedAt === null) return { convened: false };
	const recipients = sitting.convenedAs
		? ((JSON.parse(sitting.convenedAs) as { recipients?: number[] }).recipients ?? [])
		: [];
	return { convened: true, recipients, told: await countCancellationsOfSitting(db, id) };
}

/**
 * A fiche as it stood at the end of `day` — priority, status and advancement from closed séances
 * and updates reported and validated by then (as its list of updates), last update so too — with
 * its review flags then: what the file
 * of a closed séance shows, the same on the day and years later.
 */
export async function ficheStateOn(db: Executor, code: string, day: string) {
	// Validated by that day, as the file's list of updates (findFichePeriod).
	const [state] = await loadFicheStatesAsOf(db, day, code, true);
	// Not in the plan by then (an agenda cannot name such a fiche): nothing to tell of that day.
	if (!state) return null;
	return flagsOn(db, state, day);
}

export interface FicheFlags {
	code: string;
	title: string;
	priority: number;
	status: FicheStatus;
	lastUpdate: string | null;
	stale: boolean;
	priorityOneNotStarted: boolean;
	neverMeasured: number;
}

/**
 * Review flags as of a date: no update for 6 months, priority 1 still to start, indicators never
 * measured. Of the fiche `code` when given (its preparation file), whatever its status; else of
 * every fiche an agenda may take up: not an abandoned one, of which nothing more is expected.
 */
export async function listFicheFlags(
	db: Executor,
	asOf: string,
	code?: string
): Promise<FicheFlags[]> {
	return (await listFicheActivity(db, code)).map((r) => reviewFlags(r, asOf));
}

/** A fiche's review flags from its state as of `asOf` (listFicheFlags, the file of a closed séance). */
function reviewFlags<
	F extends {
		priority: number;
		status: FicheStatus;
		lastUpdate: string | null;
		addedAt: string | null;
		neverMeasured: number | null;
	}
>(fiche: F, asOf: string): F & Omit<FicheFlags, 'code' | 'title'> {
	return {
		...fiche,
		stale: isStale(fiche, asOf),
		priorityOneNotStarted: fiche.priority === 1 && fiche.status === 'a_lancer',
		neverMeasured: asksNothingOf(fiche) ? 0 : Number(fiche.neverMeasured ?? 0)
	};
}

/** A fiche's review flags at the end of `day`, from its state then (loadFicheStatesAsOf). */
async function flagsOn<S extends { code: string; priority: number; status: FicheStatus }>(
	db: Executor,
	state: S,
	day: string
) {
	const activity = await findFicheActivityAsOf(db, state.code, day);
	return reviewFlags({ ...state, ...activity }, day);
}

/**
 * The day a séance not yet closed reads its signals and its files on: its own once it is past (what
 * was validated by the end of that day, in Paris: a later validation changes nothing of it), null
 * before then (a séance to come is prepared from what is known today).
 */
export function flagsReadOn(heldOn: string, today: string): string | null {
	return heldOn < today ? heldOn : null;
}

/**
 * The review flags of every fiche an open séance's agenda may take up (not an abandoned one), read
 * on the day flagsReadOn gives (`readOn`; null: today's data, staleness counted to the séance).
 */
export async function agendaFlags(
	db: Executor,
	heldOn: string,
	today: string
): Promise<{ readOn: string | null; flags: FicheFlags[] }> {
	const day = flagsReadOn(heldOn, today);
	if (day === null) return { readOn: null, flags: await listFicheFlags(db, heldOn) };
	// Validated by that day, as a closed séance's file reads it (ficheStateOn).
	const states = (await loadFicheStatesAsOf(db, day, undefined, true)).filter(
		(s) => s.status !== 'abandonnee'
	);
	return { readOn: day, flags: await Promise.all(states.map((s) => flagsOn(db, s, day))) };
}

/**
 * What a person who opens a deleted séance, or one of its files (a link of its convocation, a
 * bookmark), reads: cancelled when it had been convened — to members and staff (`manages`), and to
 * the people its convocation reached —, created by mistake otherwise, to members and staff. Null
 * when it was not deleted, or to anyone else (« n’existe pas »).
 */
export async function deletedSittingNotice(
	db: Executor,
	id: number,
	reader: { id: number; manages: boolean } | null
): Promise<string | null> {
	if (!reader) return null;
	const deleted = await deletedSitting(db, id);
	if (!deleted) return null;
	if (deleted.convened && (reader.manages || deleted.recipients.includes(reader.id)))
		return cancelledSittingOpenedMessage(deleted.told);
	return reader.manages ? DELETED_SITTING_OPENED_MESSAGE : null;
}

/**
 * What the commission's page tells the member who has just deleted a séance (`/commission?supprimee=ID`):
 * it was created by mistake, or, convened, cancelled with how many cancellations were written. Read
 * from the séance and its messages, never from the address: null to anyone but members and staff,
 * and for a séance not deleted or unknown, so that a link made up by hand says nothing.
 */
export async function sittingDeletionNotice(
	db: Executor,
	id: number,
	manages: boolean
): Promise<{ convened: false } | { convened: true; told: number } | null> {
	if (!manages) return null;
	const deleted = await deletedSitting(db, id);
	if (!deleted?.convened) return deleted;
	return { convened: true, told: deleted.told };
}

/**
 * A séance still in preparation cannot be closed: said by changeSittingState and, before any form,
 * by the closing's page.
 */
export const CLOSE_BEFORE_HELD_MESSAGE =
	'Cette séance est en préparation : ouvrez-la (tenue) avant de la clore.';

/**
 * A séance closed meanwhile (another member, another tab), closed again: what its `decisions` did,
 * by their count (closedSittingWords: « sans décision », « sa décision a pris effet »).
 */
function alreadyClosedMessage(decisions: number): string {
	return `Cette séance a déjà été close (par un autre membre ou dans un autre onglet)${closedSittingWords(decisions)} ; son relevé est sur cette page.`;
}

type SittingRow = NonNullable<Awaited<ReturnType<typeof findSittingRow>>>;

/** The sitting, if it exists and is not closed (a closed sitting is never changed again). */
async function openSitting(db: Executor, id: number): Promise<Result<SittingRow>> {
	const sitting = await findSittingRow(db, id);
	if (!sitting) return refuse(404, SITTING_NOT_FOUND);
	// Cancelled after its convocation, not « créée par erreur » (as `deletedSittingNotice` says it).
	if (sitting.deletedAt !== null)
		return refuse(
			404,
			sitting.convenedAt === null ? DELETED_SITTING_MESSAGE : CANCELLED_SITTING_MESSAGE,
			{ reason: 'sitting-deleted' }
		);
	if (sitting.state === 'closed') return refuse(409, CLOSED_MESSAGE, { reason: 'sitting-closed' });
	return ok(sitting);
}

/**
 * The refusal any form sent to a deleted séance gets, whatever else is wrong with it (null: the
 * séance was not deleted), for a page that answers field errors only once the séance is known.
 */
async function deletedSittingRefusal(db: Executor, id: number): Promise<Refusal | null> {
	const open = await openSitting(db, id);
	return !open.ok && open.reason === 'sitting-deleted' ? open : null;
}

/**
 * A séance's form some of whose fields do not pass (each field's message, `message` above them):
 * refused as such, unless the séance was deleted meanwhile, which is said instead: the page read
 * again to show the fields' messages would be that refusal anyway.
 */
export async function sittingFormRefusal(
	db: Executor,
	id: number,
	fieldErrors: FieldErrors,
	message = INVALID_FORM_MESSAGE
): Promise<Refusal> {
	return (await deletedSittingRefusal(db, id)) ?? refuse(400, message, { fieldErrors });
}

/**
 * « Choisissez la nouvelle priorité : priorité 1. » — the priorities the decision form offered for
 * the point `itemId` (all but the fiche's own); the schema's words when the point is not a fiche's.
 */
export async function newPriorityMessage(
	db: Executor,
	sittingId: number,
	itemId: number | null
): Promise<string> {
	const item = itemId === null ? undefined : await findAgendaItem(db, sittingId, itemId);
	if (!item?.priority) return NEW_PRIORITY_MISSING;
	const offered = PRIORITIES.filter((p) => p !== item.priority).map((p) => `priorité ${p}`);
	return `Choisissez la nouvelle priorité : ${offered.join(' ou ')}.`;
}

/**
 * A séance's form whose row number (`field`) names none of the page's: its message above the
 * forms, and under the field when it is a list to choose from (UNKNOWN_CHOICES).
 */
export function unknownChoice(field: keyof typeof UNKNOWN_CHOICES): Refusal {
	const { message, marked } = UNKNOWN_CHOICES[field];
	return refuse(400, message, marked ? { fieldErrors: { [field]: message } } : {});
}

/** A séance's facts as a form or a command gives them: a time of day left out is not given. */
type SittingDetails = Omit<SittingFacts, 'startsAt'> & Partial<Pick<SittingFacts, 'startsAt'>>;

const HELD_IN_FUTURE = 'La séance est déjà tenue : sa date ne peut pas être un jour à venir.';

/**
 * What the rules of a séance's day say of a date typed in a form the schema refused for other
 * fields: the form then tells every problem at once (nothing when the date itself is unreadable).
 * `sittingId`: the séance being corrected, or null. A held one keeps a moment it may be held at
 * (`sittingMayOpen`, with `startsAt`, the rule that lets it be closed): not a day to come, nor
 * today an hour that would keep it from being closed.
 */
export async function sittingDayProblems(
	db: Executor,
	heldOn: string,
	sittingId: number | null,
	now = new Date(),
	startsAt: string | null = null
): Promise<Partial<Record<'held_on' | 'starts_at', string>>> {
	if (!isIsoDate(heldOn)) return {};
	const adopted = await findAdoptionDay(db);
	// Dated before the plan's adoption, its priority decisions would come before the priorities
	// they change, and the fiche's history would read against its badge.
	if (heldOn <= adopted)
		return {
			held_on: `La séance doit être postérieure à l’adoption du schéma, le ${formatDate(adopted)}.`
		};
	// A year mistyped (2062 for 2026) would file the séance decades away: one is planned a year
	// ahead at most, as a campaign's deadline.
	const latest = daysAfter(parisToday(now), MAX_DAYS_AHEAD);
	if (heldOn > latest)
		return {
			held_on: `Une séance se prévoit au plus un an à l’avance, au plus tard le ${formatDate(latest)} : vérifiez l’année.`
		};
	const sitting = sittingId === null ? undefined : await findSittingRow(db, sittingId);
	if (sitting?.state === 'held' && !sittingMayOpen({ heldOn, startsAt }, now))
		return heldOn > parisToday(now)
			? { held_on: HELD_IN_FUTURE }
			: {
					starts_at: `La séance est déjà tenue : annoncée à ${formatClock(startsAt!)}, elle ne pourrait être close qu’à partir de ${formatClock(sittingOpensAt(startsAt)!)}, ${SITTING_EARLY_WORDS} avant son début. Indiquez l’heure à laquelle elle a commencé.`
				};
	const later = sittingId === null ? [] : await listAgendaFicheAdditions(db, sittingId);
	const early = addedAfter(later, heldOn);
	return early ? { held_on: early } : {};
}

/**
 * Why a séance of `heldOn` cannot take up these fiches: one added to the plan after that day (its
 * decisions would come before the fiche and its first priority). Null when none is.
 */
function addedAfter(fiches: { code: string; addedAt: string | null }[], heldOn: string) {
	const late = fiches.filter((f) => f.addedAt !== null && parisDate(new Date(f.addedAt)) > heldOn);
	if (late.length === 0) return null;
	const [first] = late;
	return late.length === 1
		? `La fiche ${first!.code} n’a été ajoutée au plan que le ${formatDate(first!.addedAt!)} : une séance du ${formatDate(heldOn)} ne peut pas en décider.`
		: `Les fiches ${late.map((f) => f.code).join(', ')} ont été ajoutées au plan après le ${formatDate(heldOn)} : une séance de ce jour ne peut pas en décider.`;
}

/** The refusal of a séance's day (or hour) that breaks its rules (sittingDayProblems), or null. */
async function refusedDay(
	db: Executor,
	heldOn: string,
	sittingId: number | null,
	now = new Date(),
	startsAt: string | null = null
): Promise<Refusal | null> {
	const problems = await sittingDayProblems(db, heldOn, sittingId, now, startsAt);
	const problem = problems.held_on ?? problems.starts_at;
	return problem ? refuse(400, problem, { fieldErrors: problems }) : null;
}

/**
 * Séances one account creates in a day (Paris): a commission meets a few times a year, and each
 * séance is a journal row and a line of the list, published once closed.
 */
export const SITTINGS_CREATED_PER_ACCOUNT_PER_DAY = 20;

/**
 * Free points of a séance's agenda: each is written in every convocation, on the séance's page and
 * in its relevé, published once closed; an agenda names at most 500 fiches beside them.
 */
export const FREE_ITEMS_PER_SITTING = 50;

/** Guests of a séance, listed on its page and in its relevé. */
export const GUESTS_PER_SITTING = 100;

export async function createSitting(
	db: Db,
	user: User,
	details: SittingDetails,
	clientAddress: string | null
): Promise<Result<{ id: number }>> {
	const input = { ...details, startsAt: details.startsAt ?? null };
	return db.transaction().execute(async (trx) => {
		const day = await refusedDay(trx, input.heldOn, null);
		if (day) return day;
		// The same séance twice (a form sent again after going back): the first one stands.
		const same = await sameSittingRefusal(trx, input, null);
		if (same) return same;
		// Counted in the transaction that writes the next one: parallel posts cannot pass it together.
		if (
			(await countTodaysActions(trx, user.id, 'session.created')) >=
			SITTINGS_CREATED_PER_ACCOUNT_PER_DAY
		)
			return refuse(
				429,
				`Vous avez déjà créé ${SITTINGS_CREATED_PER_ACCOUNT_PER_DAY}\u00a0séances aujourd’hui : c’est la limite d’une journée. Créez celle-ci demain ; une séance créée par erreur se supprime de sa page.`
			);
		const id = await insertSitting(trx, {
			...input,
			createdBy: user.id,
			at: new Date().toISOString()
		});
		await recordAudit(trx, {
			actor: user,
			action: 'session.created',
			target: { type: 'séance', id },
			summary: `Séance du ${formatDate(input.heldOn)} créée (${input.title}, ${input.place})`,
			after: input,
			clientAddress
		});
		return ok({ id });
	});
}

/**
 * Date, place and title of a sitting not yet closed, corrected. A held sitting cannot be dated of
 * a day to come (its decisions would take effect then); moving a sitting in preparation to an
 * earlier day is how one held sooner than planned is recorded. `shown`: the details as the form
 * showed them; someone else's correction since is not overwritten unseen.
 */
export async function updateSitting(
	db: Db,
	user: User,
	sittingId: number,
	details: SittingDetails,
	clientAddress: string | null,
	shown: SittingDetails | null = null,
	now = new Date()
): Promise<Result<{ sinceConvened: SinceConvened | null }>> {
	const input = { ...details, startsAt: details.startsAt ?? null };
	return db.transaction().execute(async (trx) => {
		const open = await openSitting(trx, sittingId);
		if (!open.ok) return open;
		const sitting = open.value;
		if (
			shown &&
			(shown.heldOn !== sitting.heldOn ||
				(shown.startsAt ?? null) !== sitting.startsAt ||
				!sameTyping(shown.place, sitting.place) ||
				!sameTyping(shown.title, sitting.title))
		)
			return refuse(
				409,
				`Quelqu’un a corrigé cette séance pendant que vous la corrigiez : elle est maintenant « ${sitting.title} », ${formatSittingMoment(sitting)}, lieu : ${sitting.place}. Vos changements sont conservés ci-dessous, les champs que vous n’aviez pas touchés ont repris leur valeur actuelle : relisez, puis enregistrez à nouveau.`
			);
		const day = await refusedDay(trx, input.heldOn, sittingId, now, input.startsAt);
		if (day) return day;
		const unannounced = await movedPastItsConvocation(trx, sitting, input, now);
		if (unannounced) return unannounced;
		const same = await sameSittingRefusal(trx, input, sittingId);
		if (same) return same;
		const before = {
			heldOn: sitting.heldOn,
			startsAt: sitting.startsAt,
			place: sitting.place,
			title: sitting.title
		};
		// Saved as it was: nothing to write, nor to journal as a correction.
		if (
			before.heldOn === input.heldOn &&
			before.startsAt === input.startsAt &&
			before.place === input.place &&
			before.title === input.title
		)
			return refuse(
				400,
				'Rien n’a changé : la date, l’heure, le lieu et l’intitulé sont déjà ceux-là.'
			);
		await keepLegacyConvocationFacts(trx, sittingId, before);
		await updateSittingDetails(trx, sittingId, input);
		await recordAudit(trx, {
			actor: user,
			action: 'session.updated',
			target: { type: 'séance', id: sittingId },
			summary: `Séance du ${formatDate(input.heldOn)} : date, heure, lieu ou intitulé corrigés`,
			before,
			after: input,
			clientAddress
		});
		// Convened already: what its convocation announced that the séance no longer is (moved
		// back to it, nothing), for the answer to ask to send it again.
		return ok({ sinceConvened: await changedSinceConvened(trx, sittingId) });
	});
}

/**
 * The one rule of a séance repeated, for a creation (`sittingId` null) as for a correction: another
 * séance of the same day, at the same hour (or both without one), in the same place and under the
 * same title (but for case, accents, spaces and punctuation, `sameWords`) is refused, named with its
 * hour. Two such séances would make two identical lines of the list, two « décidée en séance du … »
 * alike in a fiche's history, two relevés of the same file name and mails of the same subject.
 * Séances at two hours of the same day, in the same place and under the same title, are two.
 */
async function sameSittingRefusal(
	db: Executor,
	details: SittingFacts,
	sittingId: number | null
): Promise<Refusal | null> {
	const same = (await listSittingsAt(db, details, sittingId)).find(
		(other) => sameWords(other.place, details.place) && sameWords(other.title, details.title)
	);
	if (!same) return null;
	const named = `La séance « ${same.title} » du ${formatSittingDay(same)}${same.startsAt ? '' : ' (sans heure)'}, à ${same.place}, existe déjà`;
	return refuse(
		409,
		sittingId === null
			? `${named} : elle figure dans la liste des séances.`
			: `${named} : deux séances ne peuvent avoir le même jour, la même heure, le même lieu et le même intitulé. Changez l’un d’eux, ou supprimez la séance en trop.`
	);
}

/**
 * A séance convened for a moment still to come, not held, moved to a moment already past: it could
 * not be convened again (a convocation never goes to a day gone), and those convened would come on
 * the day their convocation announced, never told. Refused (the correction to a day to come is
 * told by sending the convocation again, which the page then asks for); null otherwise.
 */
async function movedPastItsConvocation(
	db: Executor,
	sitting: SittingRow,
	moved: { heldOn: string; startsAt: string | null },
	now: Date
): Promise<Refusal | null> {
	const past = sittingPastPart(moved, now);
	if (sitting.state !== 'preparation' || past === null) return null;
	const since = await changedSinceConvened(db, sitting.id);
	if (!since || sittingStartIsPast(since.announced, now)) return null;
	const was = since.announced;
	if (was.heldOn === moved.heldOn && was.startsAt === moved.startsAt) return null;
	const message = `Sa convocation du ${formatMoment(since.convenedAt)} l’annonce ${formatSittingMoment(was)} : déplacée ${past === 'day' ? 'à un jour passé' : 'à une heure passée'}, elle ne pourrait plus être convoquée de nouveau, et les convoqués viendraient au moment annoncé sans en être prévenus. Choisissez un moment à venir, puis envoyez de nouveau la convocation ; si elle s’est déjà tenue, datez-la d’aujourd’hui sans heure, ouvrez-la (« Ouvrir la séance (tenue) »), puis corrigez sa date.`;
	return refuse(400, message, {
		fieldErrors: past === 'day' ? { held_on: message } : { starts_at: message }
	});
}

/**
 * After a correction refused because another came first: what the person typed, except in the
 * fields they had left as the form showed them, which take the séance as it is now — saving again
 * keeps the other's correction. Fields are the form's (`held_on`, `starts_at`, `place`, `title`).
 */
export async function rebaseSittingTyping(
	db: Db,
	sittingId: number,
	typed: Record<string, string>,
	shown: SittingDetails
): Promise<Record<string, string>> {
	const now = await findSittingRow(db, sittingId);
	if (!now) return typed;
	return keepTypedChanges(
		typed,
		[
			['held_on', shown.heldOn, now.heldOn],
			['starts_at', shown.startsAt ?? null, now.startsAt],
			['place', shown.place, now.place],
			['title', shown.title, now.title]
		],
		sameTyping
	);
}

/**
 * Why each ticked code cannot join the agenda, in the order ticked: a fiche moved to another
 * objective since the page was drawn (its new code), one that no longer exists, one abandoned
 * (not proposed: nothing more is expected of it), one already on the agenda. And the codes to tick
 * again for the next sending: those that may join, a moved fiche under its new code.
 */
async function agendaChoiceProblems(
	db: Executor,
	codes: string[],
	fiches: { id: number; code: string; status: FicheStatus }[],
	present: Set<number>
): Promise<{ problems: string[]; ticked: string[] }> {
	const problems: string[] = [];
	const ticked: string[] = [];
	for (const code of codes) {
		const fiche = fiches.find((f) => f.code === code);
		if (!fiche) {
			const movedTo = await findMovedFicheCode(db, code);
			if (movedTo) ticked.push(movedTo);
			problems.push(
				movedTo
					? `La fiche ${code} est devenue ${movedTo} (rattachée à un autre objectif).`
					: `La fiche ${code} n’existe pas.`
			);
		} else if (fiche.status === 'abandonnee')
			problems.push(`La fiche ${code} est abandonnée : elle ne s’inscrit plus à l’ordre du jour.`);
		else if (present.has(fiche.id)) problems.push(`La fiche ${code} est déjà à l’ordre du jour.`);
		else ticked.push(code);
	}
	return { problems, ticked };
}

/**
 * Fiches ticked for the agenda refused (`agendaChoiceProblems`): none added, and the codes the page
 * ticks again, a moved fiche's under its new code (the member ticked the fiche, not its code).
 */
export interface AgendaChoiceRefusal extends Refusal {
	ticked: string[];
}

export async function addAgendaFiches(
	db: Db,
	user: User,
	sittingId: number,
	codes: string[],
	clientAddress: string | null
): Promise<Result<{ added: number }> | AgendaChoiceRefusal> {
	return db.transaction().execute(async (trx) => {
		const open = await openSitting(trx, sittingId);
		if (!open.ok) return open;
		// A code named twice is one fiche, and one parameter of the query.
		const distinct = [...new Set(codes)];
		const fiches = await listFichesWithAddedAt(trx, distinct);
		const present = await listAgendaFicheIds(trx, sittingId);
		const { problems, ticked } = await agendaChoiceProblems(trx, distinct, fiches, present);
		if (problems.length > 0) {
			// Nothing added while one is refused: every one named, the page read again (409), the
			// others ticked again, a moved one under its new code.
			const others = distinct.length > problems.length ? ' Aucune fiche n’a été ajoutée.' : '';
			const message = `${problems.join(' ')}${others}`;
			return { ...refuse(409, message, { fieldErrors: { codes: message } }), ticked };
		}
		const early = addedAfter(fiches, open.value.heldOn);
		if (early) return refuse(409, early);
		for (const fiche of fiches) await appendAgendaItem(trx, sittingId, { ficheId: fiche.id });
		await recordAudit(trx, {
			actor: user,
			action: 'session.agenda',
			target: { type: 'séance', id: sittingId },
			summary: `Fiches ajoutées à l’ordre du jour : ${fiches.map((f) => f.code).join(', ')}`,
			after: { kind: 'fiches' },
			clientAddress
		});
		return ok({ added: fiches.length });
	});
}

export async function addAgendaFreeItem(
	db: Db,
	user: User,
	sittingId: number,
	title: string,
	clientAddress: string | null
): Promise<Result> {
	return db.transaction().execute(async (trx) => {
		const open = await openSitting(trx, sittingId);
		if (!open.ok) return open;
		const titles = await listFreeItemTitles(trx, sittingId);
		const same = titles.find((other) => sameWords(other, title));
		if (same !== undefined) {
			const message = `Le point « ${same} » est déjà à l’ordre du jour.`;
			return refuse(409, message, { fieldErrors: { title: message } });
		}
		if (titles.length >= FREE_ITEMS_PER_SITTING) {
			const message = `L’ordre du jour compte déjà ${FREE_ITEMS_PER_SITTING}\u00a0points libres, le maximum d’une séance : regroupez-en, ou retirez-en un avant d’en ajouter un autre.`;
			return refuse(409, message, { fieldErrors: { title: message } });
		}
		await appendAgendaItem(trx, sittingId, { title });
		await recordAudit(trx, {
			actor: user,
			action: 'session.agenda',
			target: { type: 'séance', id: sittingId },
			summary: `Point libre ajouté : ${title}`,
			after: { kind: 'free-item' },
			clientAddress
		});
		return ok();
	});
}

/**
 * A point or an attendee asked for by a page read before it was removed. Its number is never given
 * again (AUTOINCREMENT, migration 2026_12_19_100000_commission_row_ids): such a form is refused,
 * never carried to the point or the person added since.
 */
const ITEM_GONE =
	'Ce point n’est plus à l’ordre du jour de la séance (retiré entre-temps, dans un autre onglet ou par un autre membre)';
export const AGENDA_ITEM_GONE_MESSAGE = `${ITEM_GONE}.`;
export const DECISION_ITEM_GONE_MESSAGE = `${ITEM_GONE} : la décision n’a pas été enregistrée.`;
export const ATTENDEE_GONE_MESSAGE =
	'Cette personne ne figure plus parmi les présents de la séance (retirée entre-temps, dans un autre onglet ou par un autre membre).';

export async function removeAgendaItem(
	db: Db,
	user: User,
	sittingId: number,
	itemId: number,
	clientAddress: string | null
): Promise<Result> {
	return db.transaction().execute(async (trx) => {
		const open = await openSitting(trx, sittingId);
		if (!open.ok) return open;
		const item = await findAgendaItem(trx, sittingId, itemId);
		if (!item) return refuse(404, AGENDA_ITEM_GONE_MESSAGE);
		if (await agendaItemHasDecision(trx, itemId))
			return refuse(409, 'Ce point porte déjà des décisions : il reste à l’ordre du jour.');
		await deleteAgendaItem(trx, itemId);
		// A `before` and no `after`: the journal shows what went, and the page's « point retiré »
		// (heldMarker) tells this act from the agenda's other changes.
		await recordAudit(trx, {
			actor: user,
			action: 'session.agenda',
			target: { type: 'séance', id: sittingId },
			summary: `Point retiré de l’ordre du jour (n° ${itemId})`,
			before: item.code !== null ? { fiche: item.code } : { title: item.title },
			clientAddress
		});
		return ok();
	});
}

export async function addAttendee(
	db: Db,
	user: User,
	sittingId: number,
	attendee: { userId: number } | { guestName: string },
	clientAddress: string | null
): Promise<Result> {
	return db.transaction().execute(async (trx) => {
		const open = await openSitting(trx, sittingId);
		if (!open.ok) return open;
		if ('userId' in attendee) {
			const member = await findCommissionMember(trx, attendee.userId);
			if (!member)
				return refuse(400, 'Choisissez un membre de la commission ou de l’équipe dans la liste.');
			if (await isAttending(trx, sittingId, member.id))
				return refuse(409, `${member.name} figure déjà parmi les présents.`);
			const asGuest = (await listAttendeeNames(trx, sittingId)).find(
				(other) => other.guest && sameWords(other.name, member.name)
			);
			if (asGuest)
				return refuse(
					409,
					`${asGuest.name} figure déjà parmi les présents, comme invité : retirez cette ligne avant de l’ajouter comme membre.`
				);
		} else {
			// A guest bearing the name of someone already present, guest or member, is that person.
			const present = await listAttendeeNames(trx, sittingId);
			const same = present.find((other) => sameWords(other.name, attendee.guestName));
			if (same) {
				const message = `${same.name} figure déjà parmi les présents.`;
				return refuse(409, message, { fieldErrors: { guest_name: message } });
			}
			if (present.filter((other) => other.guest).length >= GUESTS_PER_SITTING) {
				const message = `Cette séance compte déjà ${GUESTS_PER_SITTING}\u00a0invités, le maximum d’une séance : retirez-en un avant d’en ajouter un autre.`;
				return refuse(409, message, { fieldErrors: { guest_name: message } });
			}
		}
		await insertAttendee(trx, sittingId, attendee);
		await recordAudit(trx, {
			actor: user,
			action: 'session.attendees',
			target: { type: 'séance', id: sittingId },
			summary: 'Présent ajouté',
			after: { kind: 'userId' in attendee ? 'member' : 'guest', ...attendee },
			clientAddress
		});
		return ok();
	});
}

export async function removeAttendee(
	db: Db,
	user: User,
	sittingId: number,
	attendeeId: number,
	clientAddress: string | null
): Promise<Result> {
	return db.transaction().execute(async (trx) => {
		const open = await openSitting(trx, sittingId);
		if (!open.ok) return open;
		if (!(await deleteAttendee(trx, sittingId, attendeeId)))
			return refuse(404, ATTENDEE_GONE_MESSAGE);
		await recordAudit(trx, {
			actor: user,
			action: 'session.attendees',
			target: { type: 'séance', id: sittingId },
			summary: `Présent retiré (n° ${attendeeId})`,
			clientAddress
		});
		return ok();
	});
}

export async function recordDecision(
	db: Db,
	user: User,
	sittingId: number,
	itemId: number,
	input: DecisionInput,
	clientAddress: string | null,
	now = new Date()
): Promise<Result> {
	return db.transaction().execute(async (trx) => {
		const open = await openSitting(trx, sittingId);
		if (!open.ok) return open;
		const sitting = open.value;
		if (sitting.state !== 'held') {
			return refuse(
				409,
				'Les décisions s’enregistrent pendant la séance : passez d’abord la séance à l’état « tenue ».'
			);
		}
		const item = await findAgendaItem(trx, sittingId, itemId);
		if (!item) return refuse(404, DECISION_ITEM_GONE_MESSAGE);
		// The same form sent twice (a page reloaded after sending without JavaScript, or a post sent
		// again by the browser when its answer was lost) records the decision once and is answered
		// as the first time: the person sees the decision they asked for, without a refusal.
		if (
			await hasSameDecision(trx, itemId, {
				kind: input.kind,
				newPriority: input.kind === 'priority' ? input.newPriority : null,
				opinion: input.kind === 'opinion' ? input.opinion : null,
				text: input.text
			})
		)
			return ok();
		let previous: number | null = null;
		if (input.kind === 'priority') {
			if (item.ficheId === null || item.priority === null)
				return refuse(400, 'Une décision de priorité porte sur une fiche, pas sur un point libre.');
			if (item.status === 'abandonnee') return refuse(409, abandonedFicheMessage(item.code!));
			if (item.priority === input.newPriority) {
				// Not offered by the form as it was drawn: another séance changed it since (or a post
				// sent anyway). Refused under its field, as a conflict: the page reads the fiche's
				// priority again, so the field offers the others.
				const message = `La fiche ${item.code} est déjà en priorité ${input.newPriority} : choisissez une autre priorité.`;
				return refuse(409, message, { fieldErrors: { new_priority: message } });
			}
			if (await agendaItemHasDecision(trx, itemId, 'priority'))
				return refuse(
					409,
					'Une décision de priorité est déjà enregistrée pour cette fiche dans cette séance.'
				);
			const last = await findLastPriorityDecision(trx, item.ficheId);
			if (last !== null && heldLater(last, sitting))
				return refuse(409, laterDecisionMessage(item.code!, last, sitting));
			previous = item.priority;
		}
		const id = await insertDecision(trx, {
			sittingId: sittingId,
			itemId,
			kind: input.kind,
			previousPriority: previous,
			newPriority: input.kind === 'priority' ? input.newPriority : null,
			opinion: input.kind === 'opinion' ? input.opinion : null,
			text: input.text,
			recordedBy: user.id,
			at: now.toISOString()
		});
		await recordAudit(trx, {
			actor: user,
			action: 'decision.recorded',
			target: { type: 'décision', id },
			summary: `Décision (${DECISION_KIND_LABELS[input.kind]}) sur ${item.code ? `la fiche ${item.code}` : 'un point libre'} en séance du ${formatDate(sitting.heldOn)}`,
			before: input.kind === 'priority' ? { priority: previous } : undefined,
			after: input,
			clientAddress
		});
		return ok();
	});
}

/** A text a form sent back (CRLF line breaks from a hidden field) against the one stored. */
function sameTyping(sent: string, stored: string): boolean {
	return storedText(sent) === stored;
}

/** A séance's day and hour (null: not given), which order its decisions among others'. */
type SittingTime = Pick<SittingFacts, 'heldOn' | 'startsAt'>;

/**
 * Whether `a` was held after `b`: a later day, or the same day at a later hour. A séance whose hour
 * was not given counts as the first of its day (as the histories order it, listPriorityHistory).
 */
function heldLater(a: SittingTime, b: SittingTime): boolean {
	if (a.heldOn !== b.heldOn) return a.heldOn > b.heldOn;
	return (a.startsAt ?? '') > (b.startsAt ?? '');
}

function laterDecisionMessage(code: string, last: SittingTime, sitting: SittingTime): string {
	if (last.heldOn !== sitting.heldOn)
		return `La priorité de la fiche ${code} a été décidée en séance du ${formatDate(last.heldOn)}, après la date de cette séance (${formatDate(sitting.heldOn)}) : une décision de cette séance ne peut plus la changer.`;
	const untimed = sitting.startsAt
		? ''
		: ', dont l’heure n’est pas dite : elle compte comme la première de son jour';
	return `La priorité de la fiche ${code} a été décidée en séance du ${formatSittingDay(last)}, plus tard que cette séance (${formatSittingDay(sitting)}${untimed}) : une décision de cette séance ne peut plus la changer.`;
}

/** Why no séance changes the priority of an abandoned fiche: nothing more is expected of it. */
function abandonedFicheMessage(code: string): string {
	return `La fiche ${code} est abandonnée : sa priorité ne change plus (un avis ou une décision libre s’enregistrent encore).`;
}

/** A priority decision of a held sitting that can no longer take effect, and why. */
export interface PriorityConflict {
	decisionId: number;
	code: string;
	message: string;
}

/**
 * The sitting's priority decisions that closing could not apply as recorded: the fiche was
 * abandoned since (its priority no longer changes), its priority changed since (another sitting
 * closed first, or the plan was edited), or a sitting held after this one (a later day, or a
 * later hour of its day) has decided it since.
 * Applied anyway, the first would publish a priority for an abandoned fiche, the second
 * « priorité 1 → 1 » and the third would put the fiche's history out of order; the members take
 * them back instead.
 */
export async function listPriorityConflicts(
	db: Executor,
	sittingId: number,
	sitting: SittingTime
): Promise<PriorityConflict[]> {
	const conflicts: PriorityConflict[] = [];
	for (const change of await listPriorityDecisions(db, sittingId)) {
		const decided = `priorité ${change.previousPriority} → ${change.newPriority}`;
		const last =
			change.lastDecidedOn === null
				? null
				: { heldOn: change.lastDecidedOn, startsAt: change.lastDecidedAt };
		let message: string | null = null;
		if (change.status === 'abandonnee')
			message = `La décision « ${decided} » sur la fiche ${change.code} ne peut pas prendre effet : la fiche a été abandonnée depuis, et la priorité d’une fiche abandonnée ne change plus.`;
		else if (last !== null && heldLater(last, sitting))
			message = laterDecisionMessage(change.code, last, sitting);
		else if (change.priority !== change.previousPriority)
			message = `La décision « ${decided} » sur la fiche ${change.code} a été enregistrée quand la fiche était en priorité ${change.previousPriority} ; elle est maintenant en priorité ${change.priority}.`;
		if (message) conflicts.push({ decisionId: change.decisionId, code: change.code, message });
	}
	return conflicts;
}

/** What to do about conflicts, after their messages. */
export function conflictsAdvice(count: number): string {
	return plural(
		count,
		'Retirez cette décision sur la page de la séance (et décidez à nouveau s’il le faut) avant de la clore.',
		'Retirez ces décisions sur la page de la séance (et décidez à nouveau s’il le faut) avant de la clore.'
	);
}

/** Why a séance with nothing on its agenda is not closed (said on its confirmation page too). */
export const EMPTY_AGENDA_MESSAGE =
	'L’ordre du jour de cette séance est vide : sa clôture publierait un relevé sans rien. Ajoutez les points examinés, ou supprimez la séance si elle a été créée par erreur.';

/** Closing refused because decisions changed since the confirmation page was read. */
export const CLOSING_CHANGED_MESSAGE =
	'Les décisions de la séance ont changé depuis l’ouverture de la page de clôture : relisez ce qui prendra effet, puis confirmez.';

/**
 * preparation → held → closed: « tenue », then « close » for good, which makes the sitting's
 * decisions take effect, dated of its day. Neither before that day (Paris), which must not be in
 * the future. Closing applies exactly the decisions the
 * confirmation page listed (`shownDecisionIds`): one recorded meanwhile, in another tab or by
 * another member, refuses the closing instead of taking effect unseen.
 */
export async function changeSittingState(
	db: Db,
	user: User,
	sittingId: number,
	target: 'held' | 'closed',
	clientAddress: string | null,
	now = new Date(),
	shownDecisionIds?: readonly number[]
): Promise<Result> {
	return db.transaction().execute(async (trx) => {
		const open = await openSitting(trx, sittingId);
		// Closed meanwhile (another member, another tab): what was asked is done, said as such.
		if (!open.ok && target === 'closed' && open.reason === 'sitting-closed')
			return refuse(409, alreadyClosedMessage((await listDecisionIds(trx, sittingId)).length));
		if (!open.ok) return open;
		const sitting = open.value;
		const allowed =
			(sitting.state === 'preparation' && target === 'held') ||
			(sitting.state === 'held' && target === 'closed');
		if (sitting.state === 'preparation' && target === 'closed')
			return refuse(409, CLOSE_BEFORE_HELD_MESSAGE);
		if (!allowed) {
			return refuse(
				409,
				`La séance est ${STATE_LABELS[sitting.state]} : elle ne peut pas passer à l’état « ${STATE_LABELS[target]} ».`
			);
		}
		if (!sittingMayOpen(sitting, now)) {
			const done = target === 'held' ? 'tenue' : 'close';
			const from = sittingOpensAt(sitting.startsAt);
			// Otherwise a séance convened for 23 h 30 could be opened, decided and closed at 9 h 40,
			// its relevé mailed before the meeting.
			return refuse(
				409,
				from === null
					? `La séance est datée du ${formatDate(sitting.heldOn)} : elle ne peut être ${done} qu’à partir de ce jour.`
					: `La séance est annoncée le ${formatSittingDay(sitting)} : elle ne peut être ${done} qu’à partir de ${formatClock(from)} ce jour-là, ${SITTING_EARLY_WORDS} avant son début. Réunie plus tôt, corrigez d’abord son heure (« Corriger la date, l’heure, le lieu ou l’intitulé »).`
			);
		}
		if (target === 'closed' && (await countAgendaItems(trx, sittingId)) === 0)
			return refuse(409, EMPTY_AGENDA_MESSAGE);
		if (target === 'closed' && shownDecisionIds) {
			const current = await listDecisionIds(trx, sittingId);
			const shown = [...shownDecisionIds].sort((a, b) => a - b);
			if (current.length !== shown.length || current.some((id, i) => id !== shown[i]))
				return refuse(409, CLOSING_CHANGED_MESSAGE, { reason: 'closing-changed' });
		}
		if (target === 'closed') {
			const conflicts = await listPriorityConflicts(trx, sittingId, sitting);
			if (conflicts.length > 0)
				return refuse(
					409,
					[...conflicts.map((c) => c.message), conflictsAdvice(conflicts.length)].join(' ')
				);
		}
		await setSittingState(
			trx,
			sittingId,
			target === 'closed'
				? { state: 'closed', closedBy: user.id, at: now.toISOString() }
				: { state: 'held' }
		);
		await recordAudit(trx, {
			actor: user,
			action: 'session.state',
			target: { type: 'séance', id: sittingId },
			summary: `Séance du ${formatDate(sitting.heldOn)} : ${STATE_LABELS[sitting.state]} → ${STATE_LABELS[target]}`,
			before: { state: sitting.state },
			after: { state: target },
			clientAddress
		});
		if (target === 'closed') {
			await notifySittingClosed(trx, sittingId, now.getTime());
			for (const change of await listPriorityDecisions(trx, sittingId)) {
				await setFichePriority(trx, change.id, change.newPriority!);
				await recordAudit(trx, {
					actor: user,
					action: 'priority.changed',
					target: { type: 'fiche', id: change.code },
					summary: `Fiche ${change.code} : priorité ${change.priority} → ${change.newPriority} (séance du ${formatDate(sitting.heldOn)})`,
					before: { priority: change.priority },
					after: { priority: change.newPriority },
					clientAddress
				});
			}
		}
		return ok();
	});
}

/**
 * A séance created by mistake (twice, or at the wrong date) removed, with its agenda and attendees:
 * only while nothing has been decided in it and it is not closed (a closed séance is public). A
 * campaign still running that prepares it keeps it; one closed or past loses its link to it. A
 * séance already convened writes its cancellation to those convened (`told`: to how many, said to
 * the member who deleted it). Journaled with what it was.
 */
export async function deleteSitting(
	db: Db,
	user: User,
	sittingId: number,
	clientAddress: string | null,
	now = new Date()
): Promise<Result<{ convened: boolean; told: number }>> {
	return db.transaction().execute(async (trx) => {
		const open = await openSitting(trx, sittingId);
		if (!open.ok) return open;
		const sitting = open.value;
		if ((await listDecisionIds(trx, sittingId)).length > 0)
			return refuse(
				409,
				'Des décisions sont enregistrées dans cette séance : retirez-les d’abord si elle a été créée par erreur.'
			);
		const campaign = await findPreparingCampaign(trx, sittingId, parisToday(now));
		if (campaign)
			return refuse(
				409,
				`La campagne de suivi « ${campaign.title} » prépare cette séance : elle ne peut pas être supprimée. Corrigez plutôt sa date, son lieu ou son intitulé.`
			);
		// Before its agenda goes: the partners told are those of the fiches it had.
		const cancelled = await notifySittingCancelled(trx, user, sittingId, now.getTime());
		if (!cancelled.ok) return cancelled;
		const { told, withdrawn } = cancelled.value;
		await deleteSittingRows(trx, sittingId, now.toISOString());
		await recordAudit(
			trx,
			{
				actor: user,
				action: 'session.deleted',
				target: { type: 'séance', id: sittingId },
				summary: `Séance du ${formatDate(sitting.heldOn)} supprimée (${sitting.title}, ${sitting.place})${told > 0 ? ` ; annulation écrite à ${pluralize(told, 'personne convoquée', 'personnes convoquées')}` : ''}${withdrawn > 0 ? ` ; ${pluralize(withdrawn, 'message pas encore parti retiré', 'messages pas encore partis retirés')}` : ''}`,
				before: {
					heldOn: sitting.heldOn,
					place: sitting.place,
					title: sitting.title,
					state: sitting.state
				},
				clientAddress
			},
			now
		);
		return ok({ convened: sitting.convenedAt !== null, told });
	});
}

/**
 * A decision of a held sitting taken back (recorded on the wrong point, or by mistake): nothing has
 * taken effect before the closing, so it goes, with its trace in the journal.
 */
export async function removeDecision(
	db: Db,
	user: User,
	sittingId: number,
	decisionId: number,
	clientAddress: string | null
): Promise<Result> {
	return db.transaction().execute(async (trx) => {
		const open = await openSitting(trx, sittingId);
		if (!open.ok) return open;
		const decision = await findSittingDecision(trx, sittingId, decisionId);
		if (!decision)
			return refuse(404, 'Cette décision n’est pas (ou plus) enregistrée dans la séance.');
		await deleteDecision(trx, decisionId);
		await recordAudit(trx, {
			actor: user,
			action: 'decision.removed',
			target: { type: 'décision', id: decisionId },
			summary: `Décision (${DECISION_KIND_LABELS[decision.kind]}) retirée ${decision.code ? `de la fiche ${decision.code}` : 'd’un point libre'} en séance du ${formatDate(open.value.heldOn)}`,
			before: {
				kind: decision.kind,
				newPriority: decision.newPriority,
				opinion: decision.opinion,
				text: decision.text
			},
			clientAddress
		});
		return ok();
	});
}

/** A point of a séance's agenda as the séance page shows it (DecisionForm receives one). */
export type AgendaPoint = ReturnType<typeof agendaPoints>[number];

/**
 * The points of `sitting`'s agenda for its page: the fiche's code, title and badges (not the
 * organisations it names), and whether `user` may open the fiche's file.
 */
export function agendaPoints(user: User | null, sitting: SittingRecord) {
	return sitting.items.map(({ fiche, ...item }) => ({
		...item,
		fiche: fiche
			? {
					code: fiche.code,
					codeThen: fiche.codeThen,
					title: fiche.title,
					priority: fiche.priority,
					status: fiche.status
				}
			: null,
		canSeeFile:
			fiche !== null &&
			can(user, 'commission.file.view', {
				ficheOrganisationIds: fiche.organisationIds,
				onAgenda: true,
				convened: sittingConvened(sitting)
			})
	}));
}

/** Where the commission's page lists its séances: the link onward from a deleted séance's 404. */
export const SITTINGS_LINK = { href: '/commission', label: 'Les séances de la commission' };

/**
 * The file of a fiche for a séance, or the code it moved to (another objective since the
 * convocation's link was sent: its file is under its new code, where the page redirects).
 */
export type SittingFileAnswer = { file: SittingFile } | { movedTo: string };

type SittingFile = Awaited<ReturnType<typeof fileOfFiche>>;

/**
 * What the file of the fiche `code` for the séance `sittingId` answers `user`, in this order: the
 * fiche's new code when it is not on the agenda under this one because it moved (whether the séance
 * exists or not); a 404 for a séance that does not exist (`unseenSittingRefusal`, as the séance page
 * says it); a 404 saying why there is no file to a member or an admin (who may read any fiche's file
 * on the agenda); to anyone else who may not read it, a 403 (`forbidden`, said generally by the page)
 * when they may read the séance (closed), else the 404 of a séance that does not exist; else the
 * file (`fileOfFiche`).
 */
export async function sittingFileView(
	db: Db,
	user: User,
	sittingId: number,
	code: string
): Promise<Result<SittingFileAnswer>> {
	const sitting = await findSitting(db, sittingId);
	const item = sitting?.items.find((i) => i.fiche?.code === code);
	// A former code leads to the new one whether the séance exists or not: sent there for one only,
	// anyone would tell from it that a séance not yet published exists.
	if (!item) {
		const movedTo = await findMovedFicheCode(db, code);
		if (movedTo) return ok({ movedTo });
	}
	if (!sitting) return unseenSittingRefusal(db, user, sittingId, false);
	const seen = can(user, 'commission.sitting.view', { closed: sitting.state === 'closed' });
	if (!item) {
		if (
			can(user, 'commission.file.view', {
				ficheOrganisationIds: [],
				onAgenda: true,
				convened: true
			})
		)
			return refuse(
				404,
				`La fiche ${code} n’est pas à l’ordre du jour de cette séance : elle n’y a pas de dossier de préparation.`
			);
	}
	const readable = can(user, 'commission.file.view', {
		ficheOrganisationIds: item?.fiche?.organisationIds ?? [],
		onAgenda: item !== undefined,
		convened: sittingConvened(sitting)
	});
	if (!readable)
		return seen
			? refuse(403, FORBIDDEN_MESSAGE, { reason: 'forbidden' })
			: unseenSittingRefusal(db, user, sittingId, true);
	return ok({ file: await fileOfFiche(db, user, sitting, code) });
}

/**
 * The 404 a signed-in `user` reads for a séance that does not exist (`exists` false) or that they
 * may not see (not closed, not of the commission nor of the staff), on its page as on its files:
 * deleted since its convocation named it, said to members and staff and to those it reached
 * (`deletedSittingNotice`); else « n’existe pas » to members and staff, who see every séance, and to
 * anyone else the same words for a séance unknown and one not yet published, so that its number
 * does not tell whether it exists (as anonymous visitors are sent to sign in for both).
 */
export async function unseenSittingRefusal(
	db: Db,
	user: User,
	sittingId: number,
	exists: boolean
): Promise<Refusal> {
	const manages = can(user, 'commission.manage');
	const gone = exists ? null : await deletedSittingNotice(db, sittingId, { id: user.id, manages });
	if (gone) return refuse(404, gone, { reason: 'sitting-deleted', next: SITTINGS_LINK });
	return refuse(404, manages ? SITTING_NOT_FOUND : SITTING_NOT_FOUND_OR_UNPUBLISHED);
}

/**
 * What the file of the fiche `code` for `sitting` shows `user` (who may read it): the period
 * reported between the previous closed séance and this one's day, and the fiche's state. A closed
 * séance's file, or that of a séance whose day is past, shows the fiche as it stood on its day,
 * today's state beside it (`current`); before then, the fiche as it is now (`stateOn` null).
 */
async function fileOfFiche(db: Db, user: User, sitting: SittingRecord, code: string) {
	const fiche = (await findFicheByCode(db, code))!;
	const previous = await findPreviousClosedSitting(db, sitting.heldOn, sitting.id);
	// What was reported between the previous séance and this one's day, whenever it is read.
	const period = await findFichePeriod(db, fiche.id, previous?.heldOn ?? null, sitting.heldOn);
	const closed = sitting.state === 'closed';
	const day = closed ? sitting.heldOn : flagsReadOn(sitting.heldOn, parisToday());
	const then = day === null ? null : await ficheStateOn(db, fiche.code, day);
	const flags = then ?? (await listFicheFlags(db, sitting.heldOn, fiche.code))[0]!;
	const readable = can(user, 'commission.sitting.view', { closed });
	return {
		sitting: {
			...sittingHeader(sitting),
			// As the séance page lets in (its record once closed, else members and staff): a partner
			// convened to an open séance reads this file but not the séance, which answers 403.
			readable
		},
		// What the séance decided on the fiche, as its relevé says it: once held, to whoever reads the
		// séance (a closed one's relevé is public; a held one's decisions take effect at its closing,
		// read by members and staff only). Null before it is held, or for a partner convened to it.
		decisions:
			sitting.state === 'preparation' || !readable
				? null
				: (sitting.items.find((i) => i.fiche?.code === fiche.code)?.decisions ?? []).map(
						({ id, kind, opinion, previousPriority, newPriority, text }) => ({
							id,
							kind,
							opinion,
							previousPriority,
							newPriority,
							text
						})
					),
		previousDate: previous?.heldOn ?? null,
		// A partner reads their own organisation's state only (members and staff: every one's).
		campaigns: await ficheCampaignStatus(
			db,
			fiche.id,
			can(user, 'campaigns.states.all') ? undefined : user.organisationId
		),
		fiche: {
			code: fiche.code,
			// A closed séance names the fiche by its code then, as its relevé does (« 9-1 (aujourd’hui
			// 3-2) »): `codeThen` of findSitting, read at `recordedUntil`.
			codeThen:
				sitting.items.find((i) => i.fiche?.code === fiche.code)?.fiche?.codeThen ?? fiche.code,
			title: fiche.title,
			priority: flags.priority,
			status: flags.status,
			progress: then ? then.progress : fiche.progress,
			lastUpdate: flags.lastUpdate,
			owners: fiche.owners,
			linked: fiche.linked,
			citedBy: fiche.citedBy
		},
		// The day the state above is of (the séance's), and today's beside it; null: today's.
		stateOn: then ? sitting.heldOn : null,
		closed,
		current: then
			? { priority: fiche.priority, status: fiche.status, progress: fiche.progress }
			: null,
		progressThen: period.progressAtStart,
		measurements: period.indicators,
		updates: period.updates,
		flags,
		priorityHistory: await listPriorityHistory(db, fiche.id)
	};
}
