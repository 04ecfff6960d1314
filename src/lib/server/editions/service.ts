import type { Db, Executor } from '../db';
import { recordAudit } from '../audit/repository';
import type { User } from '../auth/users';
import { buildPublication } from './snapshot';
import { loadDashboardInput } from '../dashboard/repository';
import { OpenDataSet } from '../opendata/resources';
import { createHash } from 'node:crypto';
import {
	findDraftOfYear,
	findEdition,
	findLatestPublished,
	insertEditionFiles,
	lastPublishedVersion,
	listEditions,
	listEditionsWithoutFiles,
	markPublished,
	upsertDraft
} from './repository';
import { ok, refuse, type FieldChange, type Result } from '../result';
import { formatDate } from '../../utils/format';
import { EDITION_NOT_FOUND } from '../../utils/vocabulary';
import { daysAfter, parisToday } from '../../utils/dates';
import {
	axisTextField,
	type AxisOfForm,
	editionFormFields,
	editionSchema,
	newDraftYearMessage
} from '../../schemas/edition';
import { isIsoDate } from '../../schemas/form';
import { listAxes } from '../plan/repository';

export interface DraftInput {
	year: number;
	asOf: string;
	intro: string;
	axisTexts: Record<string, string>;
	changeNote: string | null;
	/**
	 * From the form: the digest of the draft it showed (`draftDigest`), '' when it showed none. A
	 * draft of the year that differs (saved meanwhile, or before this blank form was opened) is not
	 * overwritten unseen. Left out by the seed and the tools, which write drafts on purpose.
	 */
	shown?: string;
	/**
	 * The axes the form offered a text for: the draft's texts of the others (an axis withdrawn
	 * since) are kept, not dropped unseen. Left out: the texts given are all there is.
	 */
	offeredAxes?: string[];
	/**
	 * From the form: the published version whose texts it was opened on (« corriger »), 0 for a
	 * blank form. A new version of a published bilan starts from the texts of its latest version:
	 * a form based on none of them, or on an older one, is refused (`published-texts`), nothing
	 * published dropped unseen. Left out by the seed and the tools.
	 */
	basedOn?: number;
	/**
	 * From the form: the year of the published version it was opened on (`based_on_year`), which
	 * its read-only year keeps. Another year (the field changed by hand) is refused: a correction
	 * of 2018 saved as a new version of 2019 would drop 2019's texts unseen. Left out by the seed
	 * and the tools.
	 */
	basedOnYear?: number;
}

type DraftTexts = Omit<DraftInput, 'year' | 'shown' | 'offeredAxes' | 'basedOn' | 'basedOnYear'>;

/** The texts written for axes, by axis code in code order (an axis left blank has none). */
function writtenAxisTexts(axisTexts: Record<string, string>): [string, string][] {
	return Object.entries(axisTexts)
		.filter(([, text]) => text !== '')
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** What a draft's form showed of it, to tell later whether it changed since. */
export function draftDigest(draft: DraftTexts): string {
	const axes = writtenAxisTexts(draft.axisTexts);
	return createHash('sha256')
		.update(JSON.stringify([draft.asOf, draft.intro, axes, draft.changeNote ?? '']))
		.digest('base64url');
}

/** The draft's digest as stored now ('' when the year has none): the form's next `shown`. */
export async function findDraftDigest(db: Db, year: number): Promise<string> {
	const draft = await findDraftOfYear(db, year);
	return draft ? draftDigest(draft) : '';
}

/**
 * Each text where the stored draft and what was typed differ: stored (`before`), typed (`after`);
 * an axis named by its short name in `axes` (the plan's, in order), or else by its code.
 */
function draftChanges(
	stored: DraftTexts,
	typed: DraftTexts,
	axes: { code: string; shortName: string }[]
): FieldChange[] {
	const codes = [
		...new Set([
			...axes.map((a) => a.code),
			...Object.keys(stored.axisTexts),
			...Object.keys(typed.axisTexts)
		])
	];
	const fields: [string, string, string, string][] = [
		['as_of', 'Chiffres arrêtés au', formatDate(stored.asOf), formatDate(typed.asOf)],
		['intro', 'Introduction', stored.intro, typed.intro],
		...codes.map((code): [string, string, string, string] => [
			axisTextField(code),
			`Texte de l’axe « ${axes.find((a) => a.code === code)?.shortName ?? code} »`,
			stored.axisTexts[code] ?? '',
			typed.axisTexts[code] ?? ''
		]),
		['change_note', 'Note de correction', stored.changeNote ?? '', typed.changeNote ?? '']
	];
	return fields
		.filter(([, , before, after]) => before !== after)
		.map(([field, label, before, after]) => ({ field, label, before, after }));
}

/**
 * Why an edition cannot be published yet: its figures are arrested at the end of a day not over
 * (publishing would freeze that day half-way, or a day to come as if it were past). Null once the
 * day after has come.
 */
export function tooSoonToPublish(asOf: string, now = new Date()): string | null {
	const dayAfter = daysAfter(asOf, 1);
	if (parisToday(now) >= dayAfter) return null;
	return `Les chiffres de ce bilan sont arrêtés au ${formatDate(asOf)} : il ne peut être publié qu’une fois ce jour passé, à partir du ${formatDate(dayAfter)}.`;
}

/**
 * The axes a bilan's form offers a text for: those the bilan shows (in the plan at its date of
 * arrest: one withdrawn since is still shown, and keeps its text), then today's others (a text
 * typed is never dropped unseen). Without a valid date, today's axes.
 */
export async function editionFormAxes(
	db: Executor,
	asOf: string | undefined
): Promise<{ code: string; shortName: string }[]> {
	const today = await listAxes(db);
	const then = asOf && isIsoDate(asOf) ? await listAxes(db, asOf) : [];
	return [...then, ...today.filter((a) => !then.some((t) => t.code === a.code))].map(
		({ code, shortName }) => ({ code, shortName })
	);
}

/**
 * The bilan's form as it is posted: its axes (editionFormAxes, by the date of arrest typed), its
 * fields and its schema, which knows the years that have a draft (a year not begun is refused
 * with the form's other problems, unless it has one).
 */
export async function postedEditionForm(db: Executor, asOf: string | undefined) {
	const axes = await editionFormAxes(db, asOf);
	const drafts = (await listEditions(db, { publishedOnly: false })).filter(
		(e) => e.state === 'draft'
	);
	return {
		axes,
		fields: editionFormFields(axes),
		schema: editionSchema(
			axes,
			drafts.map((e) => e.year)
		)
	};
}

/** A published version of a bilan with its texts, as a correction's form starts from it. */
interface PublishedTexts {
	year: number;
	version: number;
	asOf: string;
	intro: string;
	axisTexts: Record<string, string>;
}

/**
 * The values of the form that corrects `published` (its year's latest version): its date of
 * arrest, its introduction and the text of each of `axes` (the form's), and the version it starts
 * from (`based_on`); what `typed` fills stays (a refused form keeps its typing), only the texts it
 * left empty are taken from the published version.
 */
export function correctionValues<T extends Record<string, string>>(
	published: PublishedTexts,
	axes: AxisOfForm[],
	typed?: T
): Record<string, string> {
	const texts: [string, string][] = [
		['intro', published.intro],
		...axes.map((a): [string, string] => [axisTextField(a.code), published.axisTexts[a.code] ?? ''])
	];
	return {
		year: String(published.year),
		as_of: published.asOf,
		change_note: '',
		...typed,
		...Object.fromEntries(texts.filter(([field]) => !typed?.[field]?.trim())),
		based_on: String(published.version),
		based_on_year: String(published.year)
	};
}

/**
 * The edition the bilans' form opens on: the draft `draftId` (« modifier »), or for the published
 * edition `correctedId` (« corriger ») its year's latest version, or the year's draft if it has
 * one (a correction under way is carried on, not started again). Neither: a blank form.
 */
export async function editionToEdit(
	db: Executor,
	draftId: number | undefined,
	correctedId: number | undefined
) {
	const draft = draftId === undefined ? undefined : await findEdition(db, draftId);
	if (draft?.state === 'draft') return { draft };
	const corrected = correctedId === undefined ? undefined : await findEdition(db, correctedId);
	if (corrected?.state !== 'published') return {};
	const ofYear = await findDraftOfYear(db, corrected.year);
	return ofYear ? { draft: ofYear } : { published: await findLatestPublished(db, corrected.year) };
}

/**
 * Why a form not based on the latest published version of `year` (`latest`) is refused: based on
 * none, on an older version, or on another year's (`baseYear`).
 */
function correctionBaseMessage(
	year: number,
	latest: number,
	basedOn: number,
	baseYear: number
): string {
	const fill = `Rien n’a été enregistré : les textes laissés vides reprennent maintenant ceux de la version ${latest}, votre saisie est gardée. Relisez-les, dites ce que la nouvelle version corrige, puis enregistrez à nouveau.`;
	if (basedOn === 0)
		return `Le bilan ${year} est déjà publié (version ${latest}) : une nouvelle version part de ses textes (« corriger » dans la liste des bilans), pour n’en perdre aucun. ${fill}`;
	if (baseYear !== year)
		return `Ce formulaire reprenait les textes ${baseOf(basedOn, baseYear)}, pas ceux du bilan ${year} (version ${latest} publiée). ${fill}`;
	return `La version ${latest} du bilan ${year} a été publiée depuis que vous avez ouvert ce formulaire (il reprenait la version ${basedOn}). ${fill}`;
}

/** The published version a form was based on, in words (its year unknown: a form sent without). */
const baseOf = (basedOn: number, baseYear: number) =>
	baseYear > 0
		? `du bilan ${baseYear} (version ${basedOn})`
		: `de la version ${basedOn} d’un bilan dont il ne dit pas l’année`;

/** A correction's form changed to a year that has no published version: refused, not saved. */
function baseYearMessage(year: number, basedOn: number, baseYear: number): string {
	return `Ce formulaire corrige les textes ${baseOf(basedOn, baseYear)}, mais le bilan ${year} n’a pas de version publiée. Rien n’a été enregistré ; pour préparer le bilan ${year}, suivez « Préparer un autre bilan ».`;
}

/** Creates or updates the draft of a year; its version follows the last published one. */
export async function saveEditionDraft(
	db: Db,
	admin: User | null,
	input: DraftInput,
	clientAddress: string | null = null,
	now = new Date()
): Promise<Result<{ id: number }>> {
	return db.transaction().execute(async (trx) => {
		const existing = await findDraftOfYear(trx, input.year);
		const yearProblem = newDraftYearMessage(input.year, existing !== undefined, now);
		if (yearProblem) return refuse(400, yearProblem, { fieldErrors: { year: yearProblem } });
		if (existing && input.shown !== undefined && draftDigest(existing) !== input.shown)
			return refuse(
				409,
				input.shown === ''
					? `Un brouillon du bilan ${input.year} existe déjà : rien n’a été enregistré, pour ne pas remplacer ses textes. Ce qui diffère de votre saisie est listé ci-dessous ; votre saisie est gardée. Enregistrez à nouveau pour remplacer le brouillon par votre saisie, ou reprenez-le avec « modifier » dans la liste des bilans.`
					: `Quelqu’un a modifié ce brouillon depuis que vous l’avez ouvert : rien n’a été enregistré. Ce qui diffère entre le brouillon enregistré et votre saisie est listé ci-dessous ; votre saisie est gardée. Enregistrez à nouveau pour remplacer le brouillon par votre saisie.`,
				{ changes: draftChanges(existing, input, await listAxes(trx)) }
			);
		const lastVersion = await lastPublishedVersion(trx, input.year);
		const noteMessage =
			lastVersion > 0 && !input.changeNote
				? `Le bilan ${input.year} est déjà publié : une correction en fait une nouvelle version, dites ce qui change (note de correction).`
				: null;
		const noteAsked = noteMessage ? { change_note: noteMessage } : undefined;
		// A new version (no draft yet) starts from the latest published one's texts.
		const published = existing ? undefined : await findLatestPublished(trx, input.year);
		// The year of the version the form was based on: the form's own when it says none.
		const baseYear = input.basedOn ? (input.basedOnYear ?? input.year) : input.year;
		if (
			published &&
			input.basedOn !== undefined &&
			(input.basedOn !== published.version || baseYear !== input.year)
		) {
			const message = correctionBaseMessage(input.year, published.version, input.basedOn, baseYear);
			const fieldErrors = { form: message, ...noteAsked };
			return refuse(409, message, { reason: 'published-texts', fieldErrors });
		}
		if (!existing && !published && input.basedOn && baseYear !== input.year) {
			const message = baseYearMessage(input.year, input.basedOn, baseYear);
			return refuse(409, message, { fieldErrors: { year: message } });
		}
		if (noteMessage) return refuse(400, noteMessage, { fieldErrors: noteAsked });
		if (lastVersion === 0 && input.changeNote) {
			// Kept nowhere (a first version corrects nothing): said, not dropped unseen.
			const message = `Le bilan ${input.year} n’a pas encore de version publiée : la note de correction est pour une nouvelle version d’un bilan publié. Videz ce champ.`;
			return refuse(400, message, { fieldErrors: { change_note: message } });
		}
		const { offeredAxes, ...draft } = input;
		// The texts of axes the form did not offer: the draft's, or for a new version the published one's.
		const kept = Object.entries((existing ?? published)?.axisTexts ?? {}).filter(
			([code, text]) => offeredAxes !== undefined && !offeredAxes.includes(code) && text !== ''
		);
		const id = await upsertDraft(
			trx,
			{
				...draft,
				axisTexts: { ...Object.fromEntries(kept), ...input.axisTexts },
				changeNote: input.changeNote,
				version: lastVersion + 1,
				createdBy: admin?.id ?? null,
				at: now.toISOString()
			},
			existing
		);
		await recordAudit(
			trx,
			{
				actor: admin,
				action: 'edition.saved',
				target: { type: 'bilan', id },
				summary: `Brouillon du bilan ${input.year} enregistré (au ${formatDate(input.asOf)})`,
				clientAddress
			},
			now
		);
		return ok({ id });
	});
}

/**
 * Freezes the snapshot of a draft and makes it the public edition of its year. With `shown` (the
 * `draftDigest` of the preview the admin read, carried by the confirmation page), only that
 * draft: one saved meanwhile, in another tab or by another administrator, is refused
 * (`draft-changed`), not published unseen.
 */
export async function publishEdition(
	db: Db,
	admin: User | null,
	id: number,
	clientAddress: string | null = null,
	now = new Date(),
	shown?: string
): Promise<Result<{ year: number; version: number }>> {
	return db.transaction().execute(async (trx) => {
		const edition = await findEdition(trx, id);
		if (!edition) return refuse(404, EDITION_NOT_FOUND);
		if (edition.state === 'published')
			return refuse(
				409,
				'Ce bilan a déjà été publié (dans un autre onglet ou par un autre administrateur) : le voici tel que publié.'
			);
		if (shown !== undefined && draftDigest(edition) !== shown)
			return refuse(
				409,
				'Le brouillon a été modifié depuis que vous avez ouvert la page de publication : rien n’a été publié.',
				{ reason: 'draft-changed' }
			);
		const tooSoon = tooSoonToPublish(edition.asOf, now);
		if (tooSoon) return refuse(409, tooSoon);
		const publishedAt = now.toISOString();
		const { snapshot, texts, files } = await buildPublication(
			trx,
			{
				year: edition.year,
				version: edition.version,
				asOf: edition.asOf,
				intro: edition.intro,
				axisTexts: edition.axisTexts,
				changeNote: edition.changeNote
			},
			publishedAt
		);
		await markPublished(trx, id, {
			snapshot: JSON.stringify(snapshot),
			texts: JSON.stringify(texts),
			publishedBy: admin?.id ?? null,
			at: publishedAt
		});
		await insertEditionFiles(trx, id, files);
		await recordAudit(
			trx,
			{
				actor: admin,
				action: 'edition.published',
				target: { type: 'bilan', id },
				summary: `Bilan ${edition.year} publié (version ${edition.version})`,
				clientAddress
			},
			now
		);
		return ok({ year: edition.year, version: edition.version });
	});
}

/**
 * Editions published before `sdusn/plan@2` kept only their plan@1 document: their plan@2 files are
 * computed once, as of their date, and frozen like those of any edition published since.
 */
export async function freezeEditionsWithoutFiles(db: Db): Promise<number> {
	const editions = await listEditionsWithoutFiles(db);
	for (const edition of editions)
		await db.transaction().execute(async (trx) => {
			const state = await loadDashboardInput(trx, edition.asOf);
			const openData = new OpenDataSet(trx, {
				generatedAt: edition.publishedAt ?? edition.createdAt,
				edition: { asOf: edition.asOf, state, year: edition.year, version: edition.version }
			});
			await insertEditionFiles(trx, edition.id, await openData.all());
		});
	return editions.length;
}
