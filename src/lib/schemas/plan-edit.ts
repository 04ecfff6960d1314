import { z } from 'zod';
import {
	INDICATOR_KINDS,
	indicatorValueProblem,
	type IndicatorKind
} from '../utils/indicator-kinds';
import type { IndicatorDefinition } from '../utils/indicator-target';
import { markupToRichText } from '../utils/rich-text-markup';
import type { RichText } from '../utils/rich-text';
import {
	INCOMPLETE_FORM,
	isIsoDate,
	parseForm,
	textField,
	unreadDateMessage,
	versionField,
	type FieldErrors
} from './form';
import { REASON_MAX_LENGTH, REASON_MIN_LENGTH, TEXT_MAX_LENGTH } from './limits';
import { indicatorDateProblems } from '../utils/rules';
import {
	BASELINE_WORD,
	DECIDED_STATUSES,
	FICHE_FIELD_LABELS,
	FICHE_STATUSES
} from '../utils/vocabulary';
import { FICHE_CODE_PATTERN, foldForMatching, ID_PATTERN } from '../utils/text';
import { indicatorValueReadingProblem, readIndicatorValue } from './progress-update';

/** Rows the fiche form can send: more than any fiche of the plan has, plus blank ones to add. */
export const MAX_OWNERS = 12;
export const MAX_PARTNERS = 24;
export const MAX_INDICATORS = 12;

export const TEXT_SECTIONS = ['context', 'existing', 'description', 'success_factors'] as const;
export type TextSection = (typeof TEXT_SECTIONS)[number];

export const ownerField = (i: number, part: 'org' | 'scope' | 'note') => `owner_${i}_${part}`;
export const partnerField = (i: number, part: 'org' | 'detail') => `partner_${i}_${part}`;
export type IndicatorPart =
	| 'id'
	| 'label'
	| 'unit'
	| 'kind'
	| 'target'
	| 'target_date'
	| 'baseline'
	| 'baseline_date'
	| 'retire'
	| 'unit_confirmed';
export const indicatorRowField = (i: number, part: IndicatorPart) => `ind_${i}_${part}`;
export const INDICATOR_PARTS: IndicatorPart[] = [
	'id',
	'label',
	'unit',
	'kind',
	'target',
	'target_date',
	'baseline',
	'baseline_date',
	'retire',
	'unit_confirmed'
];

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** What every change of the plan carries: the reason (required) and the decision it applies. */
export const REVISION_FIELDS = ['reason', 'decision'] as const;

const FICHE_FIELDS = [
	'version',
	'seen_revision',
	'title',
	'short_title',
	'objective',
	...TEXT_SECTIONS,
	'owners_note',
	'links',
	...REVISION_FIELDS,
	...range(MAX_OWNERS).flatMap((i) => [
		ownerField(i, 'org'),
		ownerField(i, 'scope'),
		ownerField(i, 'note')
	]),
	...range(MAX_PARTNERS).flatMap((i) => [partnerField(i, 'org'), partnerField(i, 'detail')]),
	...range(MAX_INDICATORS).flatMap((i) => INDICATOR_PARTS.map((p) => indicatorRowField(i, p)))
];

/**
 * A text of the plan, which may be left empty: a textField, its words those of every form. `line`: a
 * title or a name, on one line (it heads pages, lists and CSV cells); `plural`: the label is (« Les
 * facteurs… contiennent »). `label` null: a text of a row (a porteur's périmètre), whose messages
 * are shown under its field and named by the row in the summary.
 */
export function text(
	label: string | null,
	max: number,
	options: { line?: boolean; plural?: boolean } = {}
) {
	return textField(label, max, { ...options, required: false });
}

const optionalId = z
	.string()
	.regex(/^\d{0,9}$/, 'Choisissez dans la liste.')
	.transform((v) => (v === '' ? null : Number(v)));

/** The reason and the commission decision every change of the plan carries. */
export const revisionShape = {
	reason: reasonField(
		`Indiquez en quelques mots pourquoi vous faites cette modification (${REASON_MIN_LENGTH} caractères au moins).`
	),
	decision: optionalId
};

/**
 * The reason of a change of the plan (a form's, an import's): of REASON_MIN_LENGTH characters at
 * least, `asked` saying so when it is missing or shorter.
 */
export function reasonField(asked: string) {
	return textField('La raison', REASON_MAX_LENGTH, {
		min: REASON_MIN_LENGTH,
		missing: asked,
		short: asked
	});
}

/** A fiche's title: given, and of 3 characters at least (« Wi » is not one yet). */
function ficheTitle() {
	const least = 3;
	return textField('Le titre', 300, {
		line: true,
		min: least,
		missing: 'Indiquez le titre de la fiche.',
		short: `Le titre de la fiche compte au moins ${least} caractères.`
	});
}

/**
 * One of a fiche's four texts, its messages naming it as its form and its page head it
 * (« Le texte « Enjeux et contexte » contient… »).
 */
function ficheText(field: 'context' | 'existing' | 'description' | 'successFactors') {
	return text(`Le texte « ${FICHE_FIELD_LABELS[field]} »`, TEXT_MAX_LENGTH);
}

/** The fiche's form; its text fields also read the plan's workbook (workbook.ts). */
export const ficheSchema = z.object({
	version: versionField,
	seen_revision: z
		.string()
		.regex(/^\d{1,12}$/, INCOMPLETE_FORM)
		.transform(Number),
	title: ficheTitle(),
	short_title: text('Le titre court', 120, { line: true }),
	objective: z.string().regex(ID_PATTERN, 'Choisissez l’objectif de la fiche.').transform(Number),
	context: ficheText('context'),
	existing: ficheText('existing'),
	description: ficheText('description'),
	success_factors: ficheText('successFactors'),
	owners_note: text('La note sur les porteurs', 500),
	links: text('Les codes des fiches liées', 500, { plural: true }),
	...revisionShape
});

export interface IndicatorInput extends IndicatorDefinition {
	/** null: a new indicator. */
	id: number | null;
	retire: boolean;
	/** The box beside the unit ticked: its change confirmed although measurements are published. */
	unitConfirmed?: boolean;
	/** The form's row (ind_2_kind…), to say which one a refusal is about: empty rows are skipped. */
	row?: number;
}

export interface FicheEditInput {
	version: number;
	seenRevision: number;
	title: string;
	shortTitle: string | null;
	objectiveId: number;
	texts: Record<TextSection, RichText>;
	ownersNote: string | null;
	/** `row`: the form's row (owner_2_org…), to say which one a refusal is about. */
	owners: { organisationId: number; scope: string | null; note: string | null; row?: number }[];
	partners: { organisationId: number; detail: string | null; row?: number }[];
	linkedCodes: string[];
	indicators: IndicatorInput[];
	reason: string;
	decisionId: number | null;
}

/** A text of a fiche's row (an owner's note, an indicator's unit), in the form and the workbook. */
export const rowText = text(null, 300, { line: true });

/**
 * An indicator's intitulé: a row's text of 3 characters at least (as a person counts them); one
 * too short says the minimum, as a fiche's title does.
 */
const INDICATOR_LABEL_LEAST = 3;
export const indicatorLabel = textField(null, 300, {
	line: true,
	min: INDICATOR_LABEL_LEAST,
	missing: 'Indiquez l’intitulé de l’indicateur.',
	short: `L’intitulé de l’indicateur compte au moins ${INDICATOR_LABEL_LEAST} caractères.`
});

/**
 * The open data joins a cell's several values with « | » (the porteurs and partenaires of
 * fiches.csv, docs/open-data.md): an organisation's name, an owner's scope and a partner's précision
 * never hold it, so that such a cell always splits back into its values. Said in the forms and at
 * the workbook import.
 */
export const holdsListSeparator = (value: string) => value.includes('|');
export const LIST_SEPARATOR_REASON =
	'la barre verticale « | » : elle sépare les valeurs d’une cellule dans les données ouvertes';

/** An owner's scope or a partner's précision: a row's text without the open data's separator. */
export const listedRowText = rowText.refine(
	(v) => !holdsListSeparator(v),
	`Ne peut pas contenir ${LIST_SEPARATOR_REASON}.`
);

function readRowText(
	raw: string,
	errors: FieldErrors,
	field: string,
	schema: typeof rowText | typeof listedRowText | typeof indicatorLabel = rowText
): string | null {
	const parsed = schema.safeParse(raw);
	if (!parsed.success) {
		errors[field] = parsed.error.issues[0]?.message ?? 'Texte invalide.';
		return null;
	}
	return parsed.data || null;
}

function readOrganisationRows<R>(
	values: Record<string, string>,
	errors: FieldErrors,
	count: number,
	orgField: (i: number) => string,
	textFields: { field: (i: number) => string; listed?: true }[],
	build: (organisationId: number, texts: (string | null)[], row: number) => R
): R[] {
	const rows: R[] = [];
	// A row repeating another is told by the service, which names the organisation
	// (repeatedOrganisationRows).
	for (const i of range(count)) {
		const org = (values[orgField(i)] ?? '').trim();
		const texts = textFields.map(({ field, listed }) =>
			readRowText(values[field(i)] ?? '', errors, field(i), listed ? listedRowText : rowText)
		);
		if (org === '') {
			if (texts.some((t) => t !== null))
				errors[orgField(i)] = 'Choisissez l’organisation, ou videz la ligne.';
			continue;
		}
		if (!ID_PATTERN.test(org)) {
			errors[orgField(i)] = 'Choisissez l’organisation dans la liste.';
			continue;
		}
		rows.push(build(Number(org), texts, i));
	}
	return rows;
}

export type OrganisationRole = 'owner' | 'partner';

/** A row of a fiche's owners or partners that repeats an earlier one. */
export interface RepeatedOrganisation {
	role: OrganisationRole;
	organisationId: number;
	/** The owner's scope both rows give (null: both give none); null for a partner. */
	scope: string | null;
	/** The form's rows (0 for « Porteur 1 »): the repeating one and the one it repeats. */
	row: number;
	first: number;
}

/**
 * The rows that repeat an earlier one as the tables' keys see them (migration plan.ts): an
 * organisation owns a fiche once per scope (fiche_owner's fiche, organisation, scope; two rows
 * without a scope are the same owner twice too), and is its partner once (fiche_partner's fiche,
 * organisation), whatever their other texts. The workbook's import keys its rows alike.
 */
export function repeatedOrganisationRows(
	input: Pick<FicheEditInput, 'owners' | 'partners'>
): RepeatedOrganisation[] {
	const repeated: RepeatedOrganisation[] = [];
	const rows = [
		...input.owners.map((o, i) => ({ ...o, role: 'owner' as const, at: o.row ?? i })),
		...input.partners.map((p, i) => ({
			...p,
			role: 'partner' as const,
			scope: null,
			at: p.row ?? i
		}))
	];
	const seen = new Map<string, number>();
	for (const row of rows) {
		const key = JSON.stringify([row.role, row.organisationId, row.scope]);
		const first = seen.get(key);
		if (first === undefined) seen.set(key, row.at);
		else
			repeated.push({
				role: row.role,
				organisationId: row.organisationId,
				scope: row.scope,
				row: row.at,
				first
			});
	}
	return repeated;
}

/**
 * « « Grand Cahors » est déjà partenaire de la fiche 5-1 (Partenaire 1) : une organisation n’est
 * partenaire d’une fiche qu’une fois » — the fiche's form and the workbook's import in the same
 * words, `where` the row repeated (« Partenaire 1 », « ligne 35 »), `name` as the form lists it
 * or the workbook's cell says it.
 */
export function repeatedOrganisationProblem(
	repeat: { role: OrganisationRole; scope: string | null },
	name: string,
	ficheCode: string,
	where: string
): string {
	return repeat.role === 'partner'
		? `« ${name} » est déjà partenaire de la fiche ${ficheCode} (${where}) : une organisation n’est partenaire d’une fiche qu’une fois`
		: `« ${name} » porte déjà la fiche ${ficheCode} ${repeat.scope === null ? 'sans périmètre' : `avec le périmètre « ${repeat.scope} »`} (${where}) : une organisation porte une fiche une fois par périmètre`;
}

/**
 * A number that fits the indicator's kind, or null when the field is empty; NaN when what was
 * typed is no number (its message given): a field refused, not an empty one.
 */
function readValue(
	raw: string,
	kind: IndicatorKind,
	errors: FieldErrors,
	field: string
): number | null {
	if (raw.trim() === '') return null;
	// Read as the partners' form reads a measurement (and the plan's workbook a target).
	const value = readIndicatorValue(kind, raw);
	const problem = Number.isFinite(value)
		? indicatorValueProblem(kind, value)
		: indicatorValueReadingProblem(kind, raw);
	if (problem) errors[field] = problem;
	return value;
}

function readDate(raw: string, errors: FieldErrors, field: string): string | null {
	const value = raw.trim();
	if (value === '') return null;
	if (!isIsoDate(value)) errors[field] = unreadDateMessage('Cette date');
	return value;
}

/**
 * A row that sends an indicator another row sent already (a form forged or sent from a copy):
 * refused, naming both rows, rather than the second dropped unseen.
 */
const repeatedIndicatorProblem = (row: number, first: number, id: string) =>
	`Indicateur ${row + 1} : c’est l’indicateur n° ${id} de la ligne « Indicateur ${first + 1} », envoyé deux fois. Rien n’a été enregistré ; rechargez la fiche et reportez-y votre saisie, une ligne par indicateur.`;

function readIndicators(values: Record<string, string>, errors: FieldErrors): IndicatorInput[] {
	const rows: IndicatorInput[] = [];
	const rowOfId = new Map<string, number>();
	for (const i of range(MAX_INDICATORS)) {
		const get = (part: IndicatorPart) => values[indicatorRowField(i, part)] ?? '';
		const field = (part: IndicatorPart) => indicatorRowField(i, part);
		const rawId = get('id').trim();
		const typed = INDICATOR_PARTS.filter((p) => p !== 'id' && p !== 'kind').some(
			(p) => get(p).trim() !== ''
		);
		if (rawId === '' && !typed) continue;
		if (rawId !== '' && !ID_PATTERN.test(rawId)) {
			errors[field('label')] = INCOMPLETE_FORM;
			continue;
		}
		const first = rowOfId.get(rawId);
		if (first !== undefined) errors[field('label')] = repeatedIndicatorProblem(i, first, rawId);
		else if (rawId !== '') rowOfId.set(rawId, i);
		const kind = get('kind') as IndicatorKind;
		if (!INDICATOR_KINDS.includes(kind))
			errors[field('kind')] = 'Choisissez la nature dans la liste.';
		const safeKind = INDICATOR_KINDS.includes(kind) ? kind : 'count';
		const label = readRowText(get('label'), errors, field('label'), indicatorLabel);
		const unit = readRowText(get('unit'), errors, field('unit'));
		const target = readValue(get('target'), safeKind, errors, field('target'));
		const targetDate = readDate(get('target_date'), errors, field('target_date'));
		if (targetDate && target === null)
			errors[field('target')] ??= 'Indiquez la valeur cible, ou videz sa date.';
		const baseline = readValue(get('baseline'), safeKind, errors, field('baseline'));
		const baselineDate = readDate(get('baseline_date'), errors, field('baseline_date'));
		// A refused number asks nothing of its date: its own message alone (as for the target).
		if (baseline !== null && !errors[field('baseline')] && !baselineDate)
			errors[field('baseline_date')] ??= `Indiquez la date de la ${BASELINE_WORD}.`;
		const dateProblems = indicatorDateProblems(
			targetDate && !errors[field('target_date')] ? targetDate : null,
			baselineDate && !errors[field('baseline_date')] ? baselineDate : null
		);
		if (dateProblems.target) errors[field('target_date')] ??= dateProblems.target;
		if (dateProblems.baseline) errors[field('baseline_date')] ??= dateProblems.baseline;
		rows.push({
			id: rawId === '' ? null : Number(rawId),
			label: label ?? '',
			unit,
			kind: safeKind,
			target,
			targetDate,
			baseline,
			baselineDate,
			retire: get('retire') === 'on',
			unitConfirmed: get('unit_confirmed') === 'on',
			row: i
		});
	}
	refuseRepeatedLabels(rows, errors);
	return rows;
}

/**
 * Why the later of two indicators of a fiche under one label is refused: « l’indicateur « Bornes »
 * de cette fiche porte déjà ce libellé… », `other` quoted as its caller quotes it, `where` saying
 * where it is (the workbook's « (ligne 12) »). The fiche's form and the workbook say it alike.
 */
export function repeatedIndicatorLabel(other: string, where = ''): string {
	return `l’indicateur ${other} de cette fiche${where} porte déjà ce libellé (capitales, accents, espaces et ponctuation mis à part) : donnez à celui-ci un autre libellé`;
}

/**
 * Two indicators of the fiche kept in service under one label, compared as titles and names are
 * everywhere (foldForMatching): the later row is refused, naming the other by its label.
 */
function refuseRepeatedLabels(rows: IndicatorInput[], errors: FieldErrors) {
	const first = new Map<string, string>();
	for (const row of rows) {
		const folded = foldForMatching(row.label);
		if (row.retire || folded === '' || row.row === undefined) continue;
		const other = first.get(folded);
		if (other === undefined) first.set(folded, row.label);
		else {
			const said = repeatedIndicatorLabel(`« ${other} »`);
			errors[indicatorRowField(row.row, 'label')] ??=
				`${said.charAt(0).toUpperCase()}${said.slice(1)}.`;
		}
	}
}

/**
 * « 3-1, 8-1 » or « 3-1 8-1 » → ['3-1', '8-1'], full-width digits and dashes read as such (« ７-１ »
 * typed with a Japanese keyboard is 7-1); every malformed code is reported at once.
 */
function readCodes(raw: string, errors: FieldErrors): string[] {
	const codes = raw
		.normalize('NFKC')
		.replace(/[\u2010-\u2015\u2212]/g, '-')
		.split(/[\s,;]+/)
		.map((c) => c.trim())
		.filter(Boolean);
	const bad = [...new Set(codes.filter((c) => !FICHE_CODE_PATTERN.test(c)))];
	if (bad.length > 0)
		errors.links =
			bad.length === 1
				? `« ${bad[0]} » n’est pas un code de fiche (exemple : 3-1).`
				: `${bad.map((c) => `« ${c} »`).join(', ')} ne sont pas des codes de fiche (exemple : 3-1).`;
	return [...new Set(codes)];
}

/**
 * Validates the fiche form: every field, each owner, partner and indicator row. Returns the typed
 * input or a French message per field; `values` always holds what was typed.
 */
export function parseFicheForm(formData: FormData): {
	values: Record<string, string>;
	errors: FieldErrors;
	input?: FicheEditInput;
	/** The linked codes read, well formed (also when another field is refused). */
	linkedCodes: string[];
	/** The owner and partner rows read (also when another field is refused). */
	organisations: Pick<FicheEditInput, 'owners' | 'partners'>;
	/** The indicator rows read (also when another field is refused). */
	indicators: IndicatorInput[];
} {
	const { values, errors, data } = parseForm(formData, FICHE_FIELDS, ficheSchema);
	const owners = readOrganisationRows(
		values,
		errors,
		MAX_OWNERS,
		(i) => ownerField(i, 'org'),
		[
			{ field: (i) => ownerField(i, 'scope'), listed: true },
			{ field: (i) => ownerField(i, 'note') }
		],
		(organisationId, [scope, note], row) => ({
			organisationId,
			scope: scope ?? null,
			note: note ?? null,
			row
		})
	);
	const partners = readOrganisationRows(
		values,
		errors,
		MAX_PARTNERS,
		(i) => partnerField(i, 'org'),
		[{ field: (i) => partnerField(i, 'detail'), listed: true }],
		(organisationId, [detail], row) => ({ organisationId, detail: detail ?? null, row })
	);
	const indicators = readIndicators(values, errors);
	const linkedCodes = readCodes(values.links ?? '', errors);
	const organisations = { owners, partners };
	if (!data || Object.keys(errors).length > 0)
		return { values, errors, linkedCodes, organisations, indicators };
	return {
		values,
		errors: {},
		linkedCodes,
		organisations,
		indicators,
		input: {
			version: data.version,
			seenRevision: data.seen_revision,
			title: data.title,
			shortTitle: data.short_title || null,
			objectiveId: data.objective,
			texts: {
				context: markupToRichText(data.context),
				existing: markupToRichText(data.existing),
				description: markupToRichText(data.description),
				success_factors: markupToRichText(data.success_factors)
			},
			ownersNote: data.owners_note || null,
			owners,
			partners,
			linkedCodes,
			indicators,
			reason: data.reason,
			decisionId: data.decision
		}
	};
}

export const NEW_FICHE_FIELDS = ['objective', 'title', ...REVISION_FIELDS] as const;
export const NewFicheSchema = z.object({
	objective: z.string().regex(ID_PATTERN, 'Choisissez l’objectif de la fiche.').transform(Number),
	title: ficheTitle(),
	...revisionShape
});

/** A fiche's status set by Lot numérique (« Changer le statut »). */
export const STATUS_FIELDS = ['status', 'shown_status', ...REVISION_FIELDS] as const;
export const StatusSchema = z.object({
	status: z.enum(DECIDED_STATUSES, { error: 'Choisissez le nouveau statut dans la liste.' }),
	/** The status the page showed: another change since is told, not silently replaced. */
	shown_status: z.enum(FICHE_STATUSES, { error: INCOMPLETE_FORM }),
	...revisionShape
});
