import { keepTypedChanges } from '../../schemas/form';
import { listedRowText, rowText } from '../../schemas/plan-edit';
import { formatDate, formatMoment, listInWords, plural, pluralize } from '../../utils/format';
import { parisDate } from '../../utils/dates';
import {
	FICHE_FIELD_LABELS,
	ORGANISATION_KIND_LABELS,
	ORGANISATION_KINDS,
	ORGANISATION_NOT_FOUND
} from '../../utils/vocabulary';
import { compareFicheCodes, ofName, organisationSkeleton } from '../../utils/text';
import type { User } from '../auth/users';
import type { Db, Executor } from '../db';
import type { OrganisationKind } from '../db/schema';
import { refreshSearchText } from '../plan/repository';
import { invalidFields, ok, refuse, type FieldChange, type Result } from '../result';
import { readableOwners, readablePartners } from './fiche-changes';
import { findFicheState, listFicheChoices, type FicheState } from './repository';
import {
	addAlias,
	countActiveAccounts,
	findAdminOrganisation,
	findOrganisationNamed,
	insertOrganisation,
	listOrganisationsNamed,
	listFichesWithTwoOpenUpdates,
	type OpenUpdate,
	listFicheRowsOf,
	type CombinedRows,
	type FicheRowOf,
	listOrganisationFicheIds,
	moveOrganisationRecords,
	findOrganisationWithSlug,
	slugExists,
	updateOrganisation,
	type AdminOrganisation
} from './organisations-repository';
import {
	addRevision,
	checkDecision,
	conflictRefusal,
	editExisting,
	recordChange,
	recordChanges,
	slugify,
	uniqueSlug,
	type ChangeContext,
	type ConflictWords,
	type RevisionInput
} from './edits';
import { listEntityRevisions, type Revision } from './revisions-repository';

/*
 * The organisations of the plan edited by an admin: added, edited (renamed: the former name stays
 * findable), retired, merged; their form's fields (ORGANISATION_FIELD_LINES). Their SQL is in
 * organisations-repository.ts; what every edit shares, in edits.ts.
 */

export function organisationSlug(name: string): string {
	return slugify(name, 'organisation', 60);
}

/** An organisation's own fields, as stored or as its form sent them. */
interface OrganisationValues {
	name: string;
	fullName: string | null;
	kind: OrganisationKind;
}

/** A kind in the words of a change list (an unknown kind, sent by hand, as it came). */
const kindWords = (kind: string) =>
	ORGANISATION_KINDS.includes(kind as OrganisationKind)
		? ORGANISATION_KIND_LABELS[kind as OrganisationKind]
		: kind;

/**
 * An organisation's own fields, one line each, in the form's order: its form field (its column),
 * the label of its revisions and journal lines, its value as the form shows it, and that value in
 * words. A field added to organisations gets its line here, and nowhere else in this file: its
 * change is then saved, revised, journaled, and kept through a conflict (the form's hidden
 * `shown_…` fields come from here too). organisations.spec.ts fails while the table's columns and
 * these lines differ.
 */
interface OrganisationFieldLine {
	form: string;
	label: string;
	shown: (o: OrganisationValues) => string;
	words?: (shown: string) => string;
}

const ORGANISATION_FIELD_LINES = {
	name: { form: 'name', label: 'Nom', shown: (o: OrganisationValues) => o.name },
	fullName: {
		form: 'full_name',
		label: 'Nom complet',
		shown: (o: OrganisationValues) => o.fullName ?? ''
	},
	kind: {
		form: 'kind',
		label: 'Nature',
		shown: (o: OrganisationValues) => o.kind,
		words: kindWords
	}
} satisfies Record<string, OrganisationFieldLine>;
type OrganisationField = keyof typeof ORGANISATION_FIELD_LINES;
const organisationLines = Object.entries(ORGANISATION_FIELD_LINES) as [
	OrganisationField,
	OrganisationFieldLine
][];

const ORGANISATION_LABELS = {
	...(Object.fromEntries(organisationLines.map(([field, line]) => [field, line.label])) as Record<
		OrganisationField,
		string
	>),
	state: 'État'
};

/** The organisation's fields as its form shows them, by form field (`full_name`…). */
export function organisationFormValues(o: OrganisationValues): Record<string, string> {
	return Object.fromEntries(organisationLines.map(([, line]) => [line.form, line.shown(o)]));
}

/**
 * The organisation's last revision (0 before any), which its form sends back (`seen_revision`):
 * a conflict then names who changed it since, and when (`conflictRefusal`).
 */
export async function organisationSeenRevision(db: Executor, id: number): Promise<number> {
	return (await listEntityRevisions(db, 'organisation', id))[0]?.id ?? 0;
}

/** The hidden fields of an organisation's form: its fields as the page showed them. */
export const ORGANISATION_SHOWN_FIELDS = organisationLines.map(([, line]) => `shown_${line.form}`);

/** The fields as the page showed them, read from ORGANISATION_SHOWN_FIELDS. */
export function organisationShown(values: Record<string, string>): OrganisationShown {
	return Object.fromEntries(
		organisationLines.map(([field, line]) => [field, values[`shown_${line.form}`] ?? ''])
	) as OrganisationShown;
}

/** Shown values in the words of a change list, plus the state. */
function inWords(shown: OrganisationShown, state: string) {
	return {
		...(Object.fromEntries(
			organisationLines.map(([field, line]) => [field, (line.words ?? String)(shown[field])])
		) as OrganisationShown),
		state
	};
}

function organisationReadable(o: OrganisationValues & { retiredAt: string | null }) {
	const shown = Object.fromEntries(
		organisationLines.map(([field, line]) => [field, line.shown(o)])
	) as OrganisationShown;
	return inWords(shown, o.retiredAt ? `retirée le ${formatDate(o.retiredAt)}` : 'active');
}

function organisationChanges(
	before: ReturnType<typeof organisationReadable> | null,
	after: ReturnType<typeof organisationReadable>
): FieldChange[] {
	return recordChanges(ORGANISATION_LABELS, before, after);
}

/** The revision and the journal line of a change to an organisation, in its transaction. */
async function recordOrganisationChange(
	trx: Executor,
	user: User,
	organisationId: number,
	action: 'created' | 'updated' | 'merged' | 'retired',
	changes: FieldChange[],
	input: RevisionInput,
	summary: string,
	clientAddress: string | null,
	now: Date
): Promise<void> {
	await recordChange(
		{ trx, user, why: input, clientAddress, now },
		{ entity: 'organisation', entityId: organisationId, ficheId: null, action, changes },
		{
			action: `plan.organisation_${action}`,
			target: { type: 'organisation', id: organisationId },
			summary
		}
	);
}

/** The organisation an edit changes (its id, its name now), or null for a new one. */
type EditedOrganisation = { id: number; name: string } | null;

/**
 * Said of a name another organisation has, or had (`alias`, the former name it matched: named
 * with the organisation's name today), by its form and by the plan's import.
 */
export const organisationNameTaken = (other: { name: string; alias: string }) =>
	other.alias === other.name
		? `« ${other.name} » porte déjà ce nom ou l’a porté : choisissez-la, ou fusionnez.`
		: `« ${other.alias} » est un ancien nom de l’organisation « ${other.name} » : choisissez-la, ou fusionnez.`;

/**
 * Said of a name that looks like another organisation's name or former name (`organisationSkeleton`),
 * written with other letters (« ЕРМ » in Cyrillic letters, beside « EPM »): the lists, the merge's
 * choices and the pages would show two organisations alike. By its form and by the plan's import.
 */
export const organisationNameLookalike = (typed: string, other: { name: string; alias: string }) =>
	`« ${typed} » se lit comme « ${other.alias} », ${other.alias === other.name ? 'le nom d’une autre organisation' : `un ancien nom de « ${other.name} »`}, mais s’écrit avec d’autres lettres (latines, cyrilliques ou grecques qui se ressemblent) : choisissez-la, ou un nom qui ne lui ressemble pas.`;

/**
 * The message under an organisation's name when another organisation has or had it, or looks like
 * it, or null. A name the organisation already has is none (one named, before that rule, as
 * another's identifier could no longer have its kind or full name changed): `edited` is what the
 * caller read.
 */
async function organisationNameProblem(db: Executor, name: string, edited: EditedOrganisation) {
	if (edited?.name === name.trim()) return null;
	const exceptId = edited?.id ?? null;
	const other = await findOrganisationNamed(db, name, exceptId);
	if (other) return organisationNameTaken(other);
	const [lookalike] = await listOrganisationsNamed(db, name, exceptId, organisationSkeleton);
	if (lookalike) return organisationNameLookalike(name.trim(), lookalike);
	// A command naming it (user:create --organisation) would find the other one.
	const withSlug = await findOrganisationWithSlug(db, name.trim(), exceptId);
	return withSlug
		? `« ${name.trim()} » est l’identifiant de l’organisation « ${withSlug.name} » : choisissez un autre nom.`
		: null;
}

async function nameTaken(trx: Executor, name: string, edited: EditedOrganisation) {
	const problem = await organisationNameProblem(trx, name, edited);
	return problem ? invalidFields({ name: problem }) : null;
}

/**
 * An organisation's form refused for other fields: its name's problem too, if it has one (another
 * organisation's name), so that every problem is told at once, not the name on the next attempt.
 */
export async function withOrganisationNameProblem(
	db: Executor,
	errors: Record<string, string>,
	name: string,
	exceptId: number | null
): Promise<Record<string, string>> {
	if (errors.name || name.trim() === '') return errors;
	const edited = exceptId === null ? null : ((await findAdminOrganisation(db, exceptId)) ?? null);
	const problem = await organisationNameProblem(db, name.trim(), edited);
	// The name first, as in the form.
	return problem ? { name: problem, ...errors } : errors;
}

export async function createOrganisation(
	db: Db,
	user: User,
	input: RevisionInput & { name: string; fullName: string | null; kind: OrganisationKind },
	clientAddress: string | null,
	now = new Date()
): Promise<Result<{ id: number }>> {
	return db.transaction().execute(async (trx) => {
		const refusal =
			(await nameTaken(trx, input.name, null)) ?? (await checkDecision(trx, input.decisionId));
		if (refusal) return refusal;
		const slug = await uniqueSlug(organisationSlug(input.name), (x) => slugExists(trx, x));
		const id = await insertOrganisation(trx, { slug, ...input });
		const changes = organisationChanges(null, organisationReadable({ ...input, retiredAt: null }));
		await recordOrganisationChange(
			trx,
			user,
			id,
			'created',
			changes,
			input,
			`Organisation « ${input.name} » créée`,
			clientAddress,
			now
		);
		return ok({ id });
	});
}

const ORGANISATION_CONFLICT =
	'Quelqu’un a modifié cette organisation depuis que vous avez ouvert la page : rien n’a été enregistré. Rechargez la page pour voir son état actuel.';

/** The organisation's fields as its form showed them when it was opened. */
export type OrganisationShown = Record<OrganisationField, string>;

/** An edit of the organisation `id` as it stands, in its transaction; none: its 404. */
function editOrganisationRecord(
	db: Db,
	id: number,
	edit: (trx: Executor, current: AdminOrganisation) => Promise<Result>
): Promise<Result> {
	return editExisting(db, (trx) => findAdminOrganisation(trx, id), ORGANISATION_NOT_FOUND, edit);
}

/**
 * Rename (the former name stays findable), full name and kind. `shown`: the fields as the form
 * showed them; when another change came first, the refusal lists what it changed in them.
 */
export async function editOrganisation(
	db: Db,
	user: User,
	id: number,
	input: RevisionInput & {
		version: number;
		/** The organisation's last revision when the form was opened (null: not sent). */
		seenRevision?: number | null;
		name: string;
		fullName: string | null;
		kind: OrganisationKind;
		shown?: OrganisationShown | null;
	},
	clientAddress: string | null,
	now = new Date()
): Promise<Result> {
	return editOrganisationRecord(db, id, async (trx, current) => {
		// Merged into another (maybe in another tab meanwhile): its name is now that one's former
		// name, and renaming it would list it apart again.
		// The page has no form for it any more: the name typed is said back, to be copied.
		const into = current.mergedInto;
		if (into) {
			const when = current.retiredAt ? ` le ${formatDate(current.retiredAt)}` : '';
			const typed = input.name !== current.name ? ` Le nom saisi était « ${input.name} ».` : '';
			return refuse(
				409,
				`L’organisation « ${current.name} » a été fusionnée dans « ${into.name} »${when} : elle ne se modifie plus. Rien n’a été enregistré ; modifiez « ${into.name} » s’il y a lieu.${typed}`
			);
		}
		if (current.version !== input.version) {
			if (!input.shown) return refuse(409, ORGANISATION_CONFLICT);
			const seen = input.seenRevision ?? null;
			const since =
				seen === null
					? []
					: (await listEntityRevisions(trx, 'organisation', id))
							.filter((r) => r.id > seen)
							.reverse();
			const changes = organisationChanges(inWords(input.shown, ''), {
				...organisationReadable(current),
				state: ''
			});
			// Retired meanwhile: said first, with its day and author; it may still be renamed.
			const retired = current.retiredAt ? since.findLast((r) => r.action === 'retired') : undefined;
			if (retired) return retiredMeanwhile(current.name, retired, changes);
			return conflictRefusal(ORGANISATION_EDIT_CONFLICT, since, changes, user.id);
		}
		const refusal =
			(await nameTaken(trx, input.name, current)) ?? (await checkDecision(trx, input.decisionId));
		if (refusal) return refusal;
		const changes = organisationChanges(
			organisationReadable(current),
			organisationReadable({ ...input, retiredAt: current.retiredAt })
		);
		if (changes.length === 0) return refuse(400, 'Aucune modification à enregistrer.');
		if (
			!(await updateOrganisation(trx, id, input.version, {
				...input,
				retiredAt: current.retiredAt
			}))
		)
			return refuse(409, ORGANISATION_CONFLICT);
		if (input.name !== current.name) await addAlias(trx, id, current.name, now.toISOString());
		await recordOrganisationChange(
			trx,
			user,
			id,
			'updated',
			changes,
			input,
			`Organisation « ${input.name} » modifiée`,
			clientAddress,
			now
		);
		await refreshSearchText(trx);
		return ok();
	});
}

/** An edit of an organisation refused because another came first (`conflictRefusal`). */
const ORGANISATION_EDIT_CONFLICT: ConflictWords = {
	record: 'cette organisation',
	since: 'depuis que vous avez ouvert la page',
	listed:
		'Ce qui a changé est montré ci-dessous ; vos changements sont conservés, les champs que vous n’aviez pas touchés ont repris leur valeur actuelle : relisez, puis enregistrez à nouveau.',
	// Changed elsewhere than in these fields (its former names, its fiches), or changed and changed
	// back: nothing typed would undo it, the form is simply sent again.
	unlisted:
		'Son nom, son nom complet et sa nature sont tels que la page les montrait (ses anciens noms ou ses fiches ont pu changer) : votre saisie est conservée, enregistrez à nouveau.'
};

/**
 * The refusal of an edit sent from a page opened before a colleague retired the organisation
 * (`retirement`, its revision): who retired it and when, its state among the changes, and what
 * may still be done — a retired organisation stays on the fiches that name it, and may still be
 * renamed (its name is shown there); it comes back only through the plan's workbook.
 */
function retiredMeanwhile(name: string, retirement: Revision, changes: FieldChange[]): Result {
	const by = retirement.userName ? ` par ${retirement.userName}` : '';
	const state = retirement.changes.filter((c) => c.field === 'state');
	return refuse(
		409,
		`L’organisation « ${name} » a été retirée le ${formatMoment(retirement.createdAt)}${by}, depuis que vous avez ouvert la page : rien n’a été enregistré. Elle ne peut plus être choisie comme porteur ou partenaire, mais reste sur les fiches qui la nomment, et son nom, son nom complet et sa nature peuvent encore être corrigés : votre saisie est conservée, enregistrez à nouveau pour les changer quand même. Pour la rétablir, remettez sa ligne dans la feuille « Organisations » du classeur du plan, puis importez-le.`,
		{ changes: [...state, ...changes] }
	);
}

/**
 * After an edit refused because another came first: what the person typed, except in the fields
 * they had left as the form showed them, which take the organisation as it is now — saving again
 * keeps the other's change. Fields are the form's (ORGANISATION_FIELD_LINES).
 */
export async function rebaseOrganisationTyping(
	db: Db,
	id: number,
	typed: Record<string, string>,
	shown: OrganisationShown
): Promise<Record<string, string>> {
	const current = await findAdminOrganisation(db, id);
	if (!current) return typed;
	return keepTypedChanges(
		typed,
		organisationLines.map(([field, line]) => [line.form, shown[field], line.shown(current)])
	);
}

export async function retireOrganisation(
	db: Db,
	user: User,
	id: number,
	input: RevisionInput & { version: number },
	clientAddress: string | null,
	now = new Date()
): Promise<Result> {
	return editOrganisationRecord(db, id, async (trx, current) => {
		if (current.version !== input.version) return refuse(409, ORGANISATION_CONFLICT);
		// Merged, it is said as the merge form says it: where it went, and when.
		if (current.retiredAt)
			return refuse(
				409,
				current.mergedInto
					? `L’organisation « ${current.name} » a déjà été fusionnée dans « ${current.mergedInto.name} » le ${formatDate(current.retiredAt)} : elle est déjà retirée. Rien n’a été enregistré.`
					: 'Cette organisation est déjà retirée.'
			);
		// Its partners would keep signing in for fiches no campaign expects of it any more, and be
		// thanked for updates they never sent: their accounts go first, or follow a merge.
		const accounts = await countActiveAccounts(trx, id);
		if (accounts > 0)
			return refuse(
				409,
				// A plain-text message: the page is named in words (the retire form links to it).
				`L’organisation « ${current.name} » a encore ${pluralize(accounts, 'compte actif', 'comptes actifs')} (${plural(accounts, 'partenaire, ou invitation pas encore acceptée', 'partenaires, ou invitations pas encore acceptées')}) : ${plural(accounts, 'désactivez-le', 'désactivez-les')} sur la page « Comptes et invitations » de l’administration, ou fusionnez-la dans l’organisation qui la remplace (${plural(accounts, 'son compte la suit', 'ses comptes la suivent')}), avant de la retirer. Rien n’a été enregistré.`
			);
		const refusal = await checkDecision(trx, input.decisionId);
		if (refusal) return refusal;
		const retiredAt = parisDate(now);
		if (!(await updateOrganisation(trx, id, input.version, { ...current, retiredAt })))
			return refuse(409, ORGANISATION_CONFLICT);
		const changes = organisationChanges(
			organisationReadable(current),
			organisationReadable({ ...current, retiredAt })
		);
		await recordOrganisationChange(
			trx,
			user,
			id,
			'retired',
			changes,
			input,
			`Organisation « ${current.name} » retirée`,
			clientAddress,
			now
		);
		return ok();
	});
}

const OPEN_UPDATE_WORDS: Record<OpenUpdate['state'], string> = {
	draft: 'un brouillon',
	submitted: 'une mise à jour soumise',
	returned: 'une mise à jour renvoyée'
};

/**
 * Why two organisations may not merge yet: on each fiche, what each holds, and who may act. Only a
 * validation closes an update (a return leaves it open); a draft or a returned update is its
 * organisation's to submit, which staff cannot do for it.
 */
function twoOpenUpdatesMessage(clash: OpenUpdate[]): string {
	const codes = [...new Set(clash.map((u) => u.code))];
	const held = (code: string) =>
		listInWords(
			clash
				.filter((u) => u.code === code)
				.map((u) => `${OPEN_UPDATE_WORDS[u.state]} ${ofName(u.organisation)}`)
		);
	const head =
		codes.length === 1
			? `Les deux organisations ont chacune une mise à jour en cours de la fiche ${codes[0]} : ${held(codes[0]!)}.`
			: `Les deux organisations ont chacune une mise à jour en cours des fiches ${listInWords(codes)} : ${codes.map((c) => `${c}, ${held(c)}`).join(' ; ')}.`;
	const unsubmitted = clash.filter((u) => u.state !== 'submitted');
	const toSubmit = [...new Set(unsubmitted.map((u) => u.organisation))];
	// Nobody can submit for an organisation without an account: staff must give it one first.
	const withoutAccount = [
		...new Set(unsubmitted.filter((u) => !u.hasAccount).map((u) => u.organisation))
	];
	const steps = [
		clash.some((u) => u.state === 'submitted')
			? 'une mise à jour soumise se valide à /admin/suivis'
			: '',
		toSubmit.length > 0
			? `un brouillon ou une mise à jour renvoyée ne peut être soumis que par un compte de son organisation (${toSubmit.join(' ou ')}), puis se valide`
			: '',
		withoutAccount.length > 0
			? `${listInWords(withoutAccount)} ${plural(withoutAccount.length, 'n’a', 'n’ont')} aucun compte actif : créez-en ou réactivez-en un à /admin/utilisateurs, pour qu’une personne de l’organisation soumette ou reprenne ce qu’elle a en cours`
			: ''
	].filter(Boolean);
	return `${head} Pour fusionner, l’une des deux doit être validée (un renvoi la laisse en cours) : ${steps.join(' ; ')}. Rien n’a été enregistré.`;
}

/**
 * After a merge: a revision (« merged ») on each fiche whose owners or partners now read otherwise
 * than `before` the merge.
 */
async function reviseMergedFiches(
	context: ChangeContext,
	fiches: { id: number; code: string }[],
	before: Map<number, FicheState>
): Promise<void> {
	for (const f of fiches) {
		const old = before.get(f.id)!;
		const updated = (await findFicheState(context.trx, f.code))!;
		const ficheChanges: FieldChange[] = [];
		const owners = [readableOwners(old.owners), readableOwners(updated.owners)] as const;
		const partners = [readablePartners(old.partners), readablePartners(updated.partners)] as const;
		if (owners[0] !== owners[1])
			ficheChanges.push({
				field: 'owners',
				label: FICHE_FIELD_LABELS.owners,
				before: owners[0],
				after: owners[1]
			});
		if (partners[0] !== partners[1])
			ficheChanges.push({
				field: 'partners',
				label: FICHE_FIELD_LABELS.partners,
				before: partners[0],
				after: partners[1]
			});
		if (ficheChanges.length === 0) continue;
		await addRevision(context, {
			entity: 'fiche',
			entityId: f.id,
			ficheId: f.id,
			action: 'merged',
			changes: ficheChanges
		});
	}
}

/** Rows a merge makes one, with what its revision says of them and whether the form takes them. */
interface FicheRowsMadeOne extends CombinedRows {
	code: string;
	line: string;
	/** The notes (or précisions) joined are a text the fiche's form and the workbook accept. */
	fits: boolean;
}

/**
 * The owner and partner rows two organisations being merged hold alike on a fiche, which would
 * then be the kept one's twice: both own it under the same scope (the table's key refused the
 * second with a 500) or both without one (listed twice, after which the fiche's form and
 * the workbook refused the fiche, repeatedOrganisationRows), or both are its partners. The kept
 * organisation's row stays, in its place; the notes of an owner (a partner's précisions) that
 * differ are joined by « ; ». An owner row under a scope and one without stay two, as one owner
 * that is also partner of a fiche: the form and the workbook take both. Rows of the kept one alone
 * are left as they are.
 */
function ficheRowsMadeOne(rows: FicheRowOf[], keptId: number): FicheRowsMadeOne[] {
	const alike = new Map<string, FicheRowOf[]>();
	for (const row of rows) {
		const key = JSON.stringify([row.role, row.ficheId, row.scope]);
		alike.set(key, [...(alike.get(key) ?? []), row]);
	}
	// Only rows of both: two rows of the kept one alone (left by a merge made before rows were made
	// one) are on a fiche the merge does not revise, and are not the merge's to join.
	return [...alike.values()]
		.filter(
			(group) =>
				group.some((r) => r.organisationId === keptId) &&
				group.some((r) => r.organisationId !== keptId)
		)
		.map((group) => {
			const [keep, ...drop] = [
				...group.filter((r) => r.organisationId === keptId),
				...group.filter((r) => r.organisationId !== keptId)
			] as [FicheRowOf, ...FicheRowOf[]];
			const texts = [...new Set([keep, ...drop].flatMap((r) => (r.text ? [r.text] : [])))];
			const text = texts.length > 0 ? texts.join(' ; ') : null;
			const schema = keep.role === 'owner' ? rowText : listedRowText;
			const what =
				keep.role === 'owner'
					? `porteur ${keep.scope === null ? 'sans périmètre' : `avec le périmètre « ${keep.scope} »`}`
					: 'partenaire';
			const joined =
				texts.length > 1
					? ` ; ${keep.role === 'owner' ? 'notes' : 'précisions'} jointes : « ${text} »`
					: '';
			return {
				role: keep.role,
				keep: keep.id,
				text,
				drop: drop.map((r) => r.id),
				code: keep.code,
				line: `Fiche ${keep.code}, ${what} : ${group.length} lignes réunies en une${joined}`,
				fits: text === null || schema.safeParse(text).success
			};
		})
		.sort((a, b) => compareFicheCodes(a.code, b.code) || a.role.localeCompare(b.role));
}

/** Rows a merge would make one whose joined notes or précisions the fiche's form would refuse. */
function tooLongWhenJoined(madeOne: FicheRowsMadeOne[]): string | null {
	const codes = [...new Set(madeOne.filter((r) => !r.fits).map((r) => r.code))];
	if (codes.length === 0) return null;
	return `Les deux organisations sont sur ${plural(codes.length, 'la fiche', 'les fiches')} ${listInWords(codes)} sur la même ligne (porteur sous le même périmètre, ou partenaire), qui n’en fera plus qu’une : jointes, leurs notes ou précisions seraient trop longues pour le formulaire de la fiche. Raccourcissez l’une d’elles dans ce formulaire, puis fusionnez. Rien n’a été enregistré.`;
}

/**
 * Why a retired organisation is not merged: it was merged already (its former name would then be
 * two organisations' former name) or retired (its fiches keep it, as retiring promised).
 */
function notMergeableMessage(absorbed: AdminOrganisation, retiredAt: string): string {
	const when = formatDate(retiredAt);
	const state = absorbed.mergedInto
		? `a déjà été fusionnée dans « ${absorbed.mergedInto.name} » le ${when}`
		: `a déjà été retirée le ${when}`;
	return `L’organisation « ${absorbed.name} » ${state} : elle ne se fusionne plus. Rien n’a été enregistré.`;
}

/**
 * Merges `absorbedId` into `input.into`: every owner, partner, account and progress update
 * follows; the absorbed name becomes a former name of the one kept, and the absorbed record is
 * retired. Each fiche whose owners or partners change gets its revision; rows the two held alike
 * are made one (ficheRowsMadeOne), which the merge's revision says (« Lignes réunies »).
 */
export async function mergeOrganisations(
	db: Db,
	user: User,
	absorbedId: number,
	input: RevisionInput & { version: number; into: number },
	clientAddress: string | null,
	now = new Date()
): Promise<Result<{ keptId: number }>> {
	return db.transaction().execute(async (trx) => {
		const absorbed = await findAdminOrganisation(trx, absorbedId);
		const kept = await findAdminOrganisation(trx, input.into);
		if (!absorbed) return refuse(404, ORGANISATION_NOT_FOUND);
		// Read in this transaction: of two merges sent together, the second sees the first's.
		if (absorbed.retiredAt) return refuse(409, notMergeableMessage(absorbed, absorbed.retiredAt));
		if (absorbed.version !== input.version) return refuse(409, ORGANISATION_CONFLICT);
		if (!kept || kept.retiredAt || kept.id === absorbed.id)
			return refuse(400, 'Choisissez une autre organisation, active, dans la liste.', {
				fieldErrors: { into: 'Choisissez une autre organisation, active, dans la liste.' }
			});
		const refusal = await checkDecision(trx, input.decisionId);
		if (refusal) return refusal;
		const clash = await listFichesWithTwoOpenUpdates(trx, absorbed.id, kept.id);
		if (clash.length > 0) return refuse(409, twoOpenUpdatesMessage(clash));
		const madeOne = ficheRowsMadeOne(await listFicheRowsOf(trx, [kept.id, absorbed.id]), kept.id);
		const tooLong = tooLongWhenJoined(madeOne);
		if (tooLong) return refuse(409, tooLong);
		const ficheIds = await listOrganisationFicheIds(trx, absorbed.id);
		const fiches = (await listFicheChoices(trx)).filter((f) => ficheIds.includes(f.id));
		const before = new Map<number, FicheState>();
		for (const f of fiches) before.set(f.id, (await findFicheState(trx, f.code))!);

		await moveOrganisationRecords(trx, absorbed.id, kept.id, madeOne);
		await addAlias(trx, kept.id, absorbed.name, now.toISOString());
		const retiredAt = parisDate(now);
		await updateOrganisation(trx, absorbed.id, absorbed.version, { ...absorbed, retiredAt });
		// The merge first: the public page reads the absorbed name as its first change's « before ».
		const changes: FieldChange[] = [
			{ field: 'merged', label: 'Fusion', before: absorbed.name, after: kept.name }
		];
		if (madeOne.length > 0)
			changes.push({
				field: 'combined',
				label: 'Lignes réunies',
				before: '',
				after: madeOne.map((r) => r.line).join('\n')
			});
		await recordOrganisationChange(
			trx,
			user,
			kept.id,
			'merged',
			changes,
			input,
			`Organisation « ${absorbed.name} » fusionnée dans « ${kept.name} »`,
			clientAddress,
			now
		);
		await reviseMergedFiches({ trx, user, why: input, clientAddress, now }, fiches, before);
		await refreshSearchText(trx);
		return ok({ keptId: kept.id });
	});
}
