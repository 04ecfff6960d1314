import { formatDate, formatMoment, listInWords, plural } from '../../utils/format';
import { parisDate } from '../../utils/dates';
import { foldForMatching } from '../../utils/text';
import { recordAudit, type AuditInput } from '../audit/repository';
import type { User } from '../auth/users';
import type { Db, Executor } from '../db';
import { listFichesWithAddedAt } from '../commission/repository';
import { ok, refuse, type FieldChange, type Refusal, type Result } from '../result';
import { findClosedDecision, type DecisionChoice } from './repository';
import { insertRevision, type NewRevision, type Revision } from './revisions-repository';

/*
 * What every admin's edit of the plan shares — a fiche's (fiches.ts), an organisation's
 * (organisations.ts), an axis's, orientation's or objective's (structure.ts): its opening (the
 * record read in the edit's transaction, or its 404), the decision it may cite, its revision and
 * journal line, the refusal when another edit came first, the changes of a
 * record, and the slugs of new records.
 */

const CLOSED_DECISION = 'Choisissez une décision d’une séance close dans la liste.';

/** The refusal of a cited decision: its message beside the field. */
const decisionRefusal = (problem: string) =>
	refuse(400, problem, { fieldErrors: { decision: problem } });

/**
 * The decision `decisionId` as a change of the fiche `ficheCode` may publish it « en application
 * de », or why not: it must be a closed séance's, and bear on the fiche itself or be a free point
 * of a séance held once the fiche was in the plan (its public history would otherwise cite a
 * decision about another fiche, or from before it). One rule for every change of one fiche that
 * cites a decision: its edit, its abandonment, its status (setFicheStatus).
 */
export async function ficheDecision(
	db: Executor,
	ficheCode: string,
	decisionId: number
): Promise<Result<DecisionChoice>> {
	const decision = await findClosedDecision(db, decisionId);
	if (!decision) return decisionRefusal(CLOSED_DECISION);
	if (decision.ficheCode !== null && decision.ficheCode !== ficheCode)
		return decisionRefusal(
			`Cette décision porte sur la fiche ${decision.ficheCode} : choisissez une décision sur la fiche ${ficheCode}, ou sur un point libre de séance.`
		);
	const [{ addedAt } = { addedAt: null }] = await listFichesWithAddedAt(db, [ficheCode]);
	if (addedAt !== null && parisDate(new Date(addedAt)) > decision.heldOn)
		return decisionRefusal(
			`Cette décision date du ${formatDate(decision.heldOn)}, avant l’ajout de la fiche au plan (le ${formatDate(addedAt)}) : elle ne peut pas en décider.`
		);
	return ok(decision);
}

/**
 * The reason and decision of a change: the decision must belong to a closed sitting and, for a
 * change of one fiche (`ficheCode`), bear on it or on a free point (ficheDecision). A new fiche,
 * an organisation or the plan's structure may cite a decision about anything: a fiche split in
 * two on one fiche's agenda item, a merger decided on a free point.
 */
export async function checkDecision(
	db: Executor,
	decisionId: number | null,
	ficheCode?: string
): Promise<Refusal | null> {
	if (decisionId === null) return null;
	if (ficheCode !== undefined) {
		const cited = await ficheDecision(db, ficheCode, decisionId);
		return cited.ok ? null : cited;
	}
	return (await findClosedDecision(db, decisionId)) ? null : decisionRefusal(CLOSED_DECISION);
}

/**
 * The opening every edit of one record shares: in one transaction, `find` reads the record as it
 * stands, and `edit` changes it; none found (retired from the list by someone else, merged away,
 * an address typed by hand), the 404 `missing`, and nothing is written.
 */
export function editExisting<T>(
	db: Db,
	find: (trx: Executor) => Promise<T | undefined>,
	missing: string,
	edit: (trx: Executor, found: T) => Promise<Result>
): Promise<Result> {
	return db.transaction().execute(async (trx) => {
		const found = await find(trx);
		return found === undefined ? refuse(404, missing) : edit(trx, found);
	});
}

/** Who changes the plan, why, from where and when: what each revision and journal line carries. */
export interface ChangeContext {
	trx: Executor;
	user: User;
	why: RevisionInput;
	clientAddress: string | null;
	now: Date;
}

/** One revision of an admin's edit (origin « portal »), in the edit's transaction. */
export async function addRevision(
	c: ChangeContext,
	revision: Pick<NewRevision, 'entity' | 'entityId' | 'ficheId' | 'action' | 'changes'>
): Promise<void> {
	await insertRevision(c.trx, {
		...revision,
		reason: c.why.reason,
		decisionId: c.why.decisionId,
		origin: 'portal',
		userId: c.user.id,
		createdAt: c.now.toISOString()
	});
}

/**
 * The revision and the journal line of an admin's edit. The journal's summary ends with the
 * reason; its before and after are the changed fields unless given.
 */
export async function recordChange(
	c: ChangeContext,
	revision: Pick<NewRevision, 'entity' | 'entityId' | 'ficheId' | 'action' | 'changes'>,
	audit: Pick<AuditInput, 'action' | 'target' | 'summary' | 'before' | 'after'>
): Promise<void> {
	await addRevision(c, revision);
	const { changes } = revision;
	await recordAudit(
		c.trx,
		{
			actor: c.user,
			action: audit.action,
			target: audit.target,
			summary: `${audit.summary} : ${c.why.reason}`,
			before:
				'before' in audit
					? audit.before
					: Object.fromEntries(changes.map((x) => [x.field, x.before])),
			after:
				'after' in audit ? audit.after : Object.fromEntries(changes.map((x) => [x.field, x.after])),
			clientAddress: c.clientAddress
		},
		c.now
	);
}

/** The words of an edit refused because another came first, for one kind of record. */
export interface ConflictWords {
	/** « cette fiche », « cet élément du plan », « cette organisation ». */
	record: string;
	/** « depuis que vous l’avez ouverte », « depuis que vous avez ouvert la page ». */
	since: string;
	/** What the page does then, when the other edit's changes are listed, and when they are not. */
	listed: string;
	unlisted: string;
}

/** Who wrote a revision, how and when: what a conflict says of the edits that came first. */
export type RevisionBy = Pick<Revision, 'userId' | 'userName' | 'origin' | 'createdAt'>;

/** « Anne Admin », « Bruno Admin (import d’un classeur) », « quelqu’un » (no account named). */
const revisionAuthor = (revision: RevisionBy) =>
	`${revision.userName ?? 'quelqu’un'}${revision.origin === 'import' ? ' (import d’un classeur)' : ''}`;

/**
 * Where the person posting changed the record themselves, when they alone did: « depuis un autre
 * onglet, une autre fenêtre ou un autre appareil » (a form: the server cannot tell which, as the
 * partner’s form says it), « par l’import d’un classeur », or both.
 */
function ownWay(revisions: RevisionBy[]): string {
	const imported = revisions.some((r) => r.origin === 'import');
	const typed = revisions.some((r) => r.origin !== 'import');
	return listInWords([
		...(typed ? ['depuis un autre onglet, une autre fenêtre ou un autre appareil'] : []),
		...(imported ? ['par l’import d’un classeur'] : [])
	]);
}

/**
 * Who changed a record since the form was opened, and when, from the revisions written since
 * (oldest first): « Anne Admin a modifié cette fiche le 7 décembre 2026 à 21 h 40, depuis que
 * vous l’avez ouverte », or, for several, « Anne Admin et Bruno Admin ont modifié cette fiche
 * depuis que vous l’avez ouverte, en dernier le … » ; « Quelqu’un a modifié… » when none is known
 * (a save overtaken between its reading and its writing, a version moved without a revision).
 * The person posting (`posterId`) is « vous », last: « Vous avez modifié cette fiche depuis un
 * autre onglet, une autre fenêtre ou un autre appareil le … » when they alone did, « Bruno Admin
 * et vous avez modifié… » with another.
 */
function editedMeanwhile(words: ConflictWords, revisions: RevisionBy[], posterId: number): string {
	const last = revisions.at(-1);
	const own = revisions.some((r) => r.userId === posterId);
	const others = [...new Set(revisions.filter((r) => r.userId !== posterId).map(revisionAuthor))];
	const authors = listInWords(own ? [...others, 'vous'] : others);
	const verb = own ? 'avez' : plural(others.length, 'a', 'ont');
	const how = own && others.length === 0 ? ` ${ownWay(revisions)}` : '';
	const when = last && formatMoment(last.createdAt);
	const since =
		revisions.length === 1 ? `le ${when}, ${words.since}` : `${words.since}, en dernier le ${when}`;
	const said = !last
		? `quelqu’un a modifié ${words.record} ${words.since}`
		: `${authors} ${verb} modifié ${words.record}${how} ${since}`;
	return said.charAt(0).toUpperCase() + said.slice(1);
}

/**
 * An edit refused because another came first: who and when (`editedMeanwhile`, from `revisions`,
 * those written since the form was opened, oldest first); its message says that the other edit's
 * changes are listed only when there are some to list (revisions that undo each other, or none,
 * leave none).
 */
export function conflictRefusal(
	words: ConflictWords,
	revisions: RevisionBy[],
	changes: FieldChange[],
	posterId: number
): Refusal {
	const then = changes.length > 0 ? words.listed : words.unlisted;
	return refuse(
		409,
		`${editedMeanwhile(words, revisions, posterId)} : rien n’a été enregistré. ${then}`,
		{
			changes
		}
	);
}

/** A stable address-friendly code from a name: lower case, no accents, words joined by « - ». */
export function slugify(name: string, fallback: string, max: number): string {
	const slug = foldForMatching(name)
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '')
		.slice(0, max)
		.replace(/-$/, '');
	return slug || fallback;
}

/** `base`, or `base-2`, `base-3`… : the first that `taken` does not hold. */
export async function uniqueSlug(
	base: string,
	taken: (slug: string) => boolean | Promise<boolean>
) {
	let slug = base;
	for (let n = 2; await taken(slug); n++) slug = `${base}-${n}`;
	return slug;
}

/** The fields of a record that differ, in the order of `labels` (a new record: all but empty). */
export function recordChanges<K extends string>(
	labels: Record<K, string>,
	before: Record<K, string> | null,
	after: Record<K, string>
): FieldChange[] {
	return (Object.keys(labels) as K[])
		.filter((field) => (before ? before[field] : '') !== after[field])
		.map((field) => ({
			field,
			label: labels[field],
			before: before ? before[field] : '',
			after: after[field]
		}));
}

export interface RevisionInput {
	reason: string;
	decisionId: number | null;
}
