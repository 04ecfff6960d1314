import { z } from 'zod';
import {
	ABANDON_BY_PLAN_MESSAGE,
	NOT_A_NUMBER,
	REPORTED_STATUSES,
	UPDATE_FIELD_LABELS,
	type FicheStatus
} from '../utils/vocabulary';
import {
	characterCount,
	confirmField,
	forbiddenCharacter,
	INCOMPLETE_FORM,
	isIsoDate,
	parseForm,
	textField,
	tooLong,
	unreadDateMessage,
	versionField as readVersion,
	type FieldErrors
} from './form';
import { COMMENT_MAX_LENGTH, PROGRESS_RULE_WORDS, TEXT_MAX_LENGTH } from './limits';
import { formatDate } from '../utils/format';
import { indicatorField, isCountIndicator, type ReportedIndicator } from '../utils/indicators';
import {
	indicatorValueProblem,
	yesNoValue,
	YES_NO_MESSAGE,
	type IndicatorKind
} from '../utils/indicator-kinds';

const PROGRESS_FIELDS = [
	'reported_on',
	'status',
	'progress',
	'done',
	'next_steps',
	'difficulties',
	'submission_key',
	'version',
	'replace_version',
	'new_submission_key',
	'intent'
] as const;

/**
 * « Supprimer le brouillon »: the version the page showed (required, `readVersion`: the draft
 * exists, unlike the progress form's own `versionField` below, empty for a new update), and its
 * box ticked (a draft discarded is not found again).
 */
export const DISCARD_FIELDS = ['version', 'confirm'] as const;
export const DiscardSchema = z.object({
	version: readVersion,
	confirm: confirmField(
		'Cochez la case pour confirmer la suppression : un brouillon supprimé ne se retrouve pas.'
	)
});

const EARLIEST_DATE = '2018-01-01';

export const DONE_REQUIRED = 'Décrivez ce qui a été fait depuis la dernière mise à jour.';

function date(label: string, today: string) {
	const subject = `${label[0]?.toUpperCase()}${label.slice(1)}`;
	// Each bound is told with its day, in words (as the séance's date).
	return z
		.string()
		.trim()
		.min(1, `Indiquez ${label}.`)
		.refine(isIsoDate, unreadDateMessage(subject))
		.refine(
			(v) => v >= EARLIEST_DATE,
			`${subject} ne peut pas précéder le ${formatDate(EARLIEST_DATE)}.`
		)
		.refine(
			(v) => v <= today,
			`${subject} ne peut pas être dans le futur : au plus tard aujourd’hui, le ${formatDate(today)}.`
		);
}

const progressField = z
	.string()
	// « 40 % » is what people write: the sign (and the spaces before it, no-break ones too) is
	// left out — without a regular expression, which took seconds on « 1 », 100,000 spaces, « 1 ».
	.transform((v) => {
		const trimmed = v.trim();
		const number = trimmed.endsWith('%') ? trimmed.slice(0, -1).trimEnd() : trimmed;
		// A sign alone is not a value left empty: it is kept, and refused below.
		return number === '' && trimmed !== '' ? trimmed : number;
	})
	.superRefine((v, context) => {
		if (v === '' || /^\d{1,3}$/.test(v)) return;
		context.addIssue({
			code: 'custom',
			message: /^\d+[.,]\d+$/.test(v)
				? `L’avancement est un ${PROGRESS_RULE_WORDS}, sans décimale.`
				: `L’avancement est un ${PROGRESS_RULE_WORDS} (exemple : 40).`
		});
	})
	.transform((v) => (v === '' ? null : Number(v)))
	.refine(
		(v) => v === null || (v >= 0 && v <= 100),
		'L’avancement est un pourcentage entre 0 et 100.'
	);

/**
 * An advancement the status contradicts (« Réalisée » at 30 %, or left empty, which keeps the
 * fiche's last one; « À lancer » at 40 %): its message, told on the advancement; null when they
 * agree or either is refused on its own.
 */
function progressContradiction(status: string, progress: string): string | null {
	const read = progressField.safeParse(progress);
	if (!read.success) return null;
	// Left empty, the fiche would keep its last advancement (30 %) under « réalisée ».
	if (read.data === null)
		return status === 'realisee'
			? 'Une fiche réalisée est avancée à 100\u202f% : indiquez 100 dans l’avancement.'
			: null;
	if (status === 'realisee' && read.data < 100)
		return 'Une fiche réalisée est avancée à 100\u202f% : corrigez l’avancement, ou choisissez le statut « En cours ».';
	if (status === 'a_lancer' && read.data > 0)
		return 'Une fiche à lancer n’a pas encore avancé : laissez l’avancement vide ou à 0, ou choisissez le statut « En cours ».';
	return null;
}

function schema(today: string) {
	return z.object({
		reported_on: date('la date de la mise à jour', today),
		status: z.enum(REPORTED_STATUSES, {
			error: (issue) =>
				issue.input === 'abandonnee'
					? ABANDON_BY_PLAN_MESSAGE
					: 'Choisissez un statut dans la liste.'
		}),
		progress: progressField,
		// Required on submit only (parseProgressForm): a draft keeps work not yet written.
		done: textField(UPDATE_FIELD_LABELS.done, TEXT_MAX_LENGTH, { required: false, trim: false }),
		next_steps: textField('Les prochaines étapes', TEXT_MAX_LENGTH, {
			required: false,
			trim: false,
			plural: true
		}),
		difficulties: textField('Les difficultés', TEXT_MAX_LENGTH, {
			required: false,
			trim: false,
			plural: true
		}),
		submission_key: z.string().regex(/^[a-z0-9-]{8,64}$/, INCOMPLETE_FORM),
		version: versionField,
		// The version seen on the conflict screen, sent only by « Enregistrer ma version à la place ».
		replace_version: versionField,
		// A key of its own, sent only by « Enregistrer ma saisie comme nouvelle mise à jour »: the
		// page's key may be the validated update's last one, which would be answered as sent twice.
		new_submission_key: z.string().regex(/^([a-z0-9-]{8,64})?$/, INCOMPLETE_FORM),
		intent: z.enum(['draft', 'submit', 'replace', 'new'], {
			error: 'Choisissez « Enregistrer le brouillon » ou « Soumettre ».'
		})
	});
}

const versionField = z
	.string()
	.regex(/^\d{0,9}$/, INCOMPLETE_FORM)
	.transform((v) => (v === '' ? null : Number(v)));

export interface MeasurementInput {
	indicatorId: number;
	measuredOn: string;
	value: number;
	comment: string | null;
}

export interface ProgressInput {
	reportedOn: string;
	status: FicheStatus;
	progress: number | null;
	done: string;
	nextSteps: string;
	difficulties: string;
	submissionKey: string;
	/** The version the person started from; for `replace`, the one shown on the conflict screen. */
	version: number | null;
	/**
	 * `replace`: save mine as a draft over the version seen on the conflict screen, knowingly;
	 * `new`: the typing of an update validated meanwhile, saved as a new draft (saveProgressForm).
	 */
	intent: 'draft' | 'submit' | 'replace' | 'new';
	measurements: MeasurementInput[];
}

/** What parseDecimal keeps at most, said of a value that has more (numberProblem). */
export const TOO_MANY_WHOLE_DIGITS = 'La valeur compte au plus 12 chiffres avant la virgule.';
export const TOO_MANY_DECIMALS = 'La valeur compte au plus 6 décimales.';

/**
 * Why a value that parseDecimal refuses is refused, in French; for a percentage or an amount, the
 * forms its indicator reads, sign included (« 45 % », « 1 500 € »).
 */
export function numberProblem(
	raw: string,
	kind?: IndicatorKind | null,
	reading: Reading = 'typed'
): string {
	const typed = withoutSign(kind, raw);
	const grouped = withoutGroupSpaces(typed);
	const cleaned = grouped ?? typed.replace(/\s/g, '');
	if (grouped === null && /^-?\d+([.,]\d+)?$/.test(cleaned))
		return 'Les espaces ne séparent que les milliers, par groupes de trois chiffres (exemples : 1\u00a0000 ou 12\u00a0345\u00a0678).';
	if (reading === 'typed' && THOUSANDS_OR_DECIMALS.test(cleaned) && !onlyDecimal(cleaned, kind))
		return readsTwoWays(cleaned);
	if (/^-?\d{13,}([.,]\d*)?$/.test(cleaned)) return TOO_MANY_WHOLE_DIGITS;
	if (/^-?\d+[.,]\d{7,}$/.test(cleaned)) return TOO_MANY_DECIMALS;
	if (/^-?\d+([.,]\d+)?$/.test(cleaned) && tooManyDigits(cleaned.replace(',', '.')))
		return 'La valeur a trop de chiffres pour être gardée telle que saisie : 15 chiffres en tout, avant et après la virgule, le sont toujours (par exemple 12 avant et 3 après).';
	if (kind === 'percentage')
		return 'La valeur doit être un pourcentage écrit en chiffres (exemples : 45, 45 % ou 12,5).';
	if (kind === 'amount')
		return 'La valeur doit être un montant écrit en chiffres (exemples : 1 500, 1 500 € ou 12,50).';
	return NOT_A_NUMBER;
}

/** « 1,250 »: how to write each of its readings. */
function readsTwoWays(typed: string): string {
	const [sign, whole = '', decimals = ''] = /^(-?)(\d+)[.,](\d+)$/.exec(typed)?.slice(1) ?? [];
	const integer = `écrivez ${sign}${whole}${decimals} ou ${sign}${whole}\u00a0${decimals}, sans point ni virgule`;
	// « 1,25 » or « 1,0 » cannot be thousands; « 1,2570 » neither.
	const kept = withoutTrailingZeros(decimals);
	const decimal = `${sign}${whole},${kept === decimals ? `${decimals}0` : kept || '0'}`;
	return `« ${typed} » se lit de deux façons : ${integer}, pour un nombre entier ; ou ${decimal} pour des décimales.`;
}

/** The sign a percentage or an amount may be typed with, as the « Valeur » field's hint says. */
const VALUE_SIGNS: Partial<Record<IndicatorKind, string>> = { percentage: '%', amount: '€' };

/** The value as typed, trimmed, without the sign its kind may end with (« 45 % », « 1 500 € »). */
function withoutSign(kind: IndicatorKind | null | undefined, raw: string): string {
	const typed = raw.trim();
	const sign = kind ? VALUE_SIGNS[kind] : undefined;
	return sign && typed.endsWith(sign) ? typed.slice(0, -sign.length).trimEnd() : typed;
}

/**
 * « 1.250 » or « 1,250 »: a point or a comma before exactly three digits is a thousands separator
 * to some (a point in France, a comma in a spreadsheet pasted from English: « 1,000 » was stored 1)
 * and decimals to others; read the wrong way it was 1,000 times too small or too large. Refused,
 * saying both readings, unless the indicator's kind allows the decimal one only (onlyDecimal).
 */
const THOUSANDS_OR_DECIMALS = /^-?[1-9]\d{0,2}[.,]\d{3}$/;

/**
 * « 1,000 » that can only be decimals by its kind: a percentage of 1,000 is 1 %, not 1000 %. Never
 * the other way round: « 1,250 » for an amount is no less likely a mistyped decimal than euros.
 */
function onlyDecimal(typed: string, kind: IndicatorKind | null | undefined): boolean {
	if (!kind) return false;
	const decimal = Number(typed.replace(',', '.'));
	const thousands = Number(typed.replace(/[.,]/, ''));
	return (
		indicatorValueProblem(kind, thousands) !== null && indicatorValueProblem(kind, decimal) === null
	);
}

/**
 * The value without the spaces that group its whole part's digits by three (« 1 000 »,
 * « 12 345 678,5 », no-break and narrow no-break ones too); null where a space stands elsewhere
 * (« 1 0 0 » was read 100).
 */
function withoutGroupSpaces(typed: string): string | null {
	if (!/\s/.test(typed)) return typed;
	return /^-?\d{1,3}([ \u00a0\u202f]\d{3})+([.,]\d+)?$/.test(typed)
		? typed.replace(/[ \u00a0\u202f]/g, '')
		: null;
}

/**
 * A measurement as typed, read by its indicator's kind: « oui » and « non » for a yes/no one, a
 * trailing « % » for a percentage (as the advancement field reads it) and « € » for an amount;
 * otherwise parseDecimal.
 */
export function readIndicatorValue(
	kind: IndicatorKind | null | undefined,
	raw: string,
	reading: Reading = 'typed'
): number {
	if (kind === 'boolean') {
		const word = yesNoValue(raw);
		if (word !== null) return word;
	}
	return parseDecimal(withoutSign(kind, raw), kind, reading);
}

/**
 * Where a value's text comes from: `typed` by a person (« 1,000 » reads two ways), or written
 * from a `number` (a spreadsheet's number cell, 12.125 written « 12,125 »: one reading only).
 */
type Reading = 'typed' | 'number';

/** Why readIndicatorValue refuses what was typed, in French (the partner's form's words). */
export function indicatorValueReadingProblem(
	kind: IndicatorKind | null | undefined,
	raw: string,
	reading: Reading = 'typed'
): string {
	return kind === 'boolean' ? YES_NO_MESSAGE : numberProblem(raw, kind, reading);
}

/**
 * A decimal a number (a double) would not keep as typed: past 15 significant digits some are kept
 * (1234567890.123456, which the forms took before they counted digits, is), others not
 * (123456789012.123456 would be stored 123456789012.12346). Zeros before the first other digit,
 * and after the last decimal that is not one, do not count.
 */
function tooManyDigits(decimal: string): boolean {
	const negative = decimal.startsWith('-');
	const [whole = '', decimals = ''] = decimal.replace('-', '').split('.');
	const kept = withoutTrailingZeros(decimals);
	const typed = `${whole.replace(/^0+(?=\d)/, '')}${kept ? `.${kept}` : ''}`;
	const signed = negative && /[1-9]/.test(typed) ? `-${typed}` : typed;
	return String(Number(decimal)) !== signed;
}

/** « 2500 » → « 25 »: decimals without the zeros after their last other digit. */
function withoutTrailingZeros(decimals: string): string {
	let end = decimals.length;
	while (end > 0 && decimals[end - 1] === '0') end -= 1;
	return decimals.slice(0, end);
}

/**
 * "12,5" or "12.5" or "1 200" → number, 12 digits and 6 decimals at most, 15 in all (what the
 * database and every form keep); anything else → NaN. `kind`: the indicator's, which may tell
 * « 1,000 » (THOUSANDS_OR_DECIMALS) a decimal.
 */
export function parseDecimal(
	raw: string,
	kind?: IndicatorKind | null,
	reading: Reading = 'typed'
): number {
	// « +7 », a sign some people and spreadsheets write: read as 7, every rule after it as for « 7 ».
	const typed = withoutGroupSpaces(raw.trim().replace(/^\+(?=\d)/, ''));
	if (typed === null) return NaN;
	if (reading === 'typed' && THOUSANDS_OR_DECIMALS.test(typed) && !onlyDecimal(typed, kind))
		return NaN;
	const cleaned = typed.replace(',', '.');
	if (!/^-?\d{1,12}(\.\d{1,6})?$/.test(cleaned) || tooManyDigits(cleaned)) return NaN;
	return Number(cleaned);
}

/**
 * Validates a progress form against the fiche's indicators. Returns the typed input or a French
 * message per field; `values` always holds what was typed, to refill the form.
 */
export function parseProgressForm(
	formData: FormData,
	indicators: ReportedIndicator[],
	today: string
): { values: Record<string, string>; errors: FieldErrors; input?: ProgressInput } {
	const indicatorIds = indicators.map((i) => i.id);
	// The kind decides which values are accepted; an indicator without one is a count when its
	// label or unit says so, and otherwise takes any number.
	const kinds = new Map<number, IndicatorKind | null>(
		indicators.map((i) => [i.id, i.kind ?? (isCountIndicator(i) ? 'count' : null)])
	);
	const indicatorFields = indicatorIds.flatMap((id) => [
		indicatorField(id, 'date'),
		indicatorField(id, 'value'),
		indicatorField(id, 'comment')
	]);
	const {
		values,
		errors: allErrors,
		data
	} = parseForm(formData, [...PROGRESS_FIELDS, ...indicatorFields], schema(today));

	const measurements: MeasurementInput[] = [];
	const dateSchema = date('la date de la mesure', today);
	// The update's own date, as typed (a draft submitted later keeps it): a value measured after it
	// belongs to a later update, and an edition cut off between the two days would leave it out.
	const reportedOn = allErrors.reported_on ? null : (values.reported_on ?? '').trim();
	for (const id of indicatorIds) {
		const rawDate = values[indicatorField(id, 'date')] ?? '';
		const rawValue = values[indicatorField(id, 'value')] ?? '';
		const rawComment = values[indicatorField(id, 'comment')] ?? '';
		if (!rawDate.trim() && !rawValue.trim() && !rawComment.trim()) continue;
		const kind = kinds.get(id);
		const value = readIndicatorValue(kind, rawValue);
		if (!rawValue.trim())
			allErrors[indicatorField(id, 'value')] = 'Indiquez la valeur mesurée, ou videz la ligne.';
		else if (!Number.isFinite(value))
			allErrors[indicatorField(id, 'value')] = indicatorValueReadingProblem(kind, rawValue);
		else if (kind === 'boolean' && value !== 0 && value !== 1)
			allErrors[indicatorField(id, 'value')] = YES_NO_MESSAGE;
		else {
			const problem = kind ? indicatorValueProblem(kind, value) : null;
			if (problem) allErrors[indicatorField(id, 'value')] = problem;
		}
		const dateResult = dateSchema.safeParse(rawDate);
		if (!dateResult.success)
			allErrors[indicatorField(id, 'date')] =
				dateResult.error.issues[0]?.message ?? 'Date invalide.';
		else if (reportedOn && isIsoDate(reportedOn) && rawDate.trim() > reportedOn)
			allErrors[indicatorField(id, 'date')] =
				`La date de mesure ne peut pas être postérieure à celle de la mise à jour, le ${formatDate(reportedOn)} : changez l’une ou l’autre.`;
		const commentLength = characterCount(rawComment);
		if (commentLength > COMMENT_MAX_LENGTH)
			allErrors[indicatorField(id, 'comment')] = tooLong(
				'Le commentaire',
				commentLength,
				COMMENT_MAX_LENGTH
			);
		else {
			const forbidden = forbiddenCharacter(rawComment);
			if (forbidden)
				allErrors[indicatorField(id, 'comment')] = `Le commentaire contient ${forbidden}.`;
		}
		measurements.push({
			indicatorId: id,
			measuredOn: rawDate.trim(),
			value,
			comment: rawComment.trim() || null
		});
	}

	// What must hold for any save (dates and numbers as typed, lengths, what the database needs) is
	// checked above for every intent; what a finished update needs, only when it is submitted: a
	// draft, or « Enregistrer ma version à la place » (a draft too), keeps incomplete work — « ce
	// qui a été fait » not yet written, « réalisée » chosen before the advancement is set to 100.
	if (values.intent === 'submit') {
		if (!allErrors.done && (values.done ?? '').trim() === '') allErrors.done = DONE_REQUIRED;
		if (!allErrors.status && !allErrors.progress) {
			const contradiction = progressContradiction(values.status ?? '', values.progress ?? '');
			if (contradiction) allErrors.progress = contradiction;
		}
	}

	if (values.intent === 'new' && !values.new_submission_key)
		allErrors.new_submission_key = INCOMPLETE_FORM;

	if (!data || Object.keys(allErrors).length > 0) return { values, errors: allErrors };
	return {
		values,
		errors: {},
		input: {
			reportedOn: data.reported_on,
			status: data.status,
			progress: data.progress,
			done: data.done,
			nextSteps: data.next_steps,
			difficulties: data.difficulties,
			submissionKey: data.intent === 'new' ? data.new_submission_key : data.submission_key,
			version:
				data.intent === 'replace'
					? data.replace_version
					: data.intent === 'new'
						? null
						: data.version,
			intent: data.intent,
			measurements
		}
	};
}
