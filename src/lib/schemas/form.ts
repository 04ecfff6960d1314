import { z } from 'zod';
import { formatDate, formatNumber, pluralize } from '../utils/format';
import { ID_PATTERN, mixedScriptWord, mixedScripts } from '../utils/text';

export type FieldErrors = Record<string, string>;

/** The message of a hidden field that does not pass: the page is stale or was made by hand. */
export const INCOMPLETE_FORM = 'Le formulaire est incomplet : rechargez la page.';

/** The hidden « version » of the record a form edits (optimistic concurrency), as a number. */
export const versionField = z.string().regex(ID_PATTERN, INCOMPLETE_FORM).transform(Number);

/**
 * A hidden number a form may leave empty (null), as a number: a structure form's `version` (none
 * when it adds), the `seen_revision` of a structure's or an organisation's form (the record's last
 * revision when the page was opened, whose later ones a conflict names).
 */
export const optionalNumberField = z
	.string()
	.regex(/^\d{0,12}$/, INCOMPLETE_FORM)
	.transform((v) => (v === '' ? null : Number(v)));

/**
 * The number of the row a form names (a hidden field or a list's choice): null when the field is
 * not one, or is sent more than once.
 */
export function readId(formData: FormData, name: string): number | null {
	const { values, errors } = readForm(formData, [name]);
	return !errors[name] && ID_PATTERN.test(values[name] ?? '') ? Number(values[name]) : null;
}

/** What a ticked box sends (`<input type="checkbox" name="confirm" value="oui">`). */
const TICKED = 'oui';

/**
 * A box ticked to confirm what cannot be undone (an abandonment), read as true when ticked. With
 * `unticked`, the form is refused with it when the box is left empty; without, the service judges
 * whether it had to be (an import that abandons no fiche asks for no tick).
 */
export function confirmField(unticked?: string) {
	const ticked = z.string().transform((value) => value === TICKED);
	return unticked === undefined ? ticked : ticked.refine(Boolean, unticked);
}

/** The fields of a form whose only field is its box ticked to confirm (confirmBoxSchema). */
export const CONFIRM_FIELDS = ['confirm'] as const;

/**
 * A form whose only field is a box ticked to confirm what cannot be undone (closing a campaign,
 * discarding a draft, deleting a séance), refused with `unticked` when left empty.
 */
export function confirmBoxSchema(unticked: string) {
	return z.object({ confirm: confirmField(unticked) });
}

/**
 * Characters that show nothing: Unicode's « default ignorable » ones (zero-width space and joiners,
 * word joiner, byte order mark, soft hyphen, the left-to-right and right-to-left marks that pasted
 * text often carries…), and the braille blank.
 */
const WIDTHLESS = /[\p{Default_Ignorable_Code_Point}\u2800]/u;

/**
 * The invisible marks that set the direction of what follows them (left-to-right, right-to-left,
 * Arabic letter marks): text pasted from a web page or a word processor carries them, and a
 * right-to-left one before « 1 500 000 € » shows it as « 000 500 1 € ». Dropped when a text is
 * read; the embeddings and isolates that do the same are refused (`forbiddenCharacter`).
 */
const DIRECTION_MARKS = /[\u200E\u200F\u061C]/g;

/**
 * The fields that hold a password (login, /compte, invitation and reset): a secret is read as
 * typed, its hash was made of every character, direction marks included.
 */
const SECRET_FIELDS: ReadonlySet<string> = new Set(['password', 'current', 'next', 'confirm']);

/** A typed or pasted text without its direction marks (see DIRECTION_MARKS). */
export function withoutDirectionMarks(text: string): string {
	return text.replace(DIRECTION_MARKS, '');
}

/**
 * Whether a text shows nothing: made of spaces and of characters without width only (pasted from
 * a word processor or a web page). Such a text is no title, name, reason or decision.
 */
export function showsNothing(text: string): boolean {
	return text.replace(new RegExp(WIDTHLESS, 'gu'), '').trim() === '';
}

/** A text that shows nothing though it holds characters without width, read as empty. */
function blankWhenInvisible(text: string): string {
	return WIDTHLESS.test(text) && showsNothing(text) ? '' : text;
}

/** A space, or a character without width (WIDTHLESS): what the ends of a text may hold unseen. */
const UNSEEN = /[\s\p{Default_Ignorable_Code_Point}\u2800]/u;

/**
 * A text without the characters without width among the spaces at its ends (« titre », a space,
 * then U+200B: a trim stops at such a character and kept both). Only a run at an end that holds a
 * space: a variation selector or a joiner right after a letter or an emoji (« ❤️ ») is part of it.
 * Read character by character from each end, in one pass (no pattern to backtrack over a long run).
 */
function withoutInvisibleEdges(text: string): string {
	const characters = [...text];
	let start = 0;
	while (start < characters.length && UNSEEN.test(characters[start]!)) start++;
	let end = characters.length;
	while (end > start && UNSEEN.test(characters[end - 1]!)) end--;
	const clean = (run: string[]) =>
		run.some((c) => /\s/u.test(c)) ? run.filter((c) => !WIDTHLESS.test(c)) : run;
	return [
		...clean(characters.slice(0, start)),
		...characters.slice(start, end),
		...clean(characters.slice(end))
	].join('');
}

/**
 * A text as a form reads it (readForm, a field that is not a password), for the same text given
 * elsewhere, such as `npm run plan:import -- --reason` or the options of `npm run user:create`:
 * without direction marks, empty when it shows nothing, without characters without width among the
 * spaces at its ends (the trim that follows then takes the spaces).
 */
export function typedText(text: string): string {
	return withoutInvisibleEdges(blankWhenInvisible(withoutDirectionMarks(text)));
}

/**
 * Reads only the named fields of a posted form (anything else, such as an added "priority" field,
 * is ignored). A field sent more than once, or sent as a file, is reported instead of guessed. A
 * value that shows nothing though it holds characters without width is read as empty: every
 * required field then says so, as for one left blank. Direction marks are dropped, but from a
 * password (SECRET_FIELDS).
 */
export function readForm<F extends string>(
	formData: FormData,
	fields: readonly F[]
): { values: Record<F, string>; errors: FieldErrors } {
	const values = {} as Record<F, string>;
	const errors: FieldErrors = {};
	for (const field of fields) {
		const all = formData.getAll(field);
		const first = all[0];
		values[field] =
			typeof first !== 'string'
				? ''
				: SECRET_FIELDS.has(field)
					? blankWhenInvisible(first)
					: typedText(first);
		if (all.length > 1)
			errors[field] = 'Ce champ a été envoyé plusieurs fois : renvoyez le formulaire.';
		else if (first !== undefined && typeof first !== 'string')
			errors[field] = 'Ce champ attend du texte.';
	}
	return { values, errors };
}

/** First French message per field of a failed zod parse. */
function zodErrors(error: z.ZodError): FieldErrors {
	const errors: FieldErrors = {};
	for (const issue of error.issues) {
		const key = String(issue.path[0] ?? 'form');
		errors[key] ??= issue.message;
	}
	return errors;
}

/**
 * Reads the named fields and checks them with a schema. `errors` holds every message, from reading
 * (a field sent twice…) and from the schema; `data` is the schema's output, or null when the
 * schema refused the values. A form is acceptable when `data` is set and `errors` is empty.
 */
export function parseForm<F extends string, S extends z.ZodType>(
	formData: FormData,
	fields: readonly F[],
	schema: S
): { values: Record<F, string>; errors: FieldErrors; data: z.output<S> | null } {
	const { values, errors: read } = readForm(formData, fields);
	const parsed = schema.safeParse(values);
	return {
		values,
		errors: { ...(parsed.success ? {} : zodErrors(parsed.error)), ...read },
		data: parsed.success ? parsed.data : null
	};
}

/**
 * Control characters have no place in typed text, tab and line breaks apart (unless `oneLine`: a
 * title, a name); nor have the invisible characters that reverse or isolate the direction of the
 * text after them (U+202A–202E, U+2066–2069): « 0001 » would read « 1000 » on every page, mail
 * and list that shows it, and the reversal spills over the words around it.
 */
/** The invisible characters that reverse or isolate the direction of the text after them. */
const DIRECTION_CHARACTERS = '\\u202A-\\u202E\\u2066-\\u2069';
/** One character a one-line field refuses: a control character or a direction one. */
const ONE_LINE_FORBIDDEN = `[\\p{Cc}${DIRECTION_CHARACTERS}]`;

/**
 * `text` with each run of the characters a one-line field refuses shown as one space: a value
 * from an address quoted on a page, where a `%00` would be copied raw and a U+202E would reverse
 * the words after it.
 */
export function spacedOutForbidden(text: string): string {
	return text.replace(new RegExp(`${ONE_LINE_FORBIDDEN}+`, 'gu'), ' ');
}

/**
 * The names of the characters a field refuses (`forbiddenCharacter`), as a person fixing the text
 * looks for them; another control character is « caractère de contrôle ».
 */
const FORBIDDEN_NAMES: Readonly<Record<number, string>> = {
	0x00: 'caractère nul',
	0x09: 'tabulation',
	0x0a: 'saut de ligne',
	0x0b: 'tabulation verticale',
	0x0c: 'saut de page',
	0x0d: 'retour chariot',
	0x1b: 'échappement',
	0x7f: 'suppression',
	0x85: 'passage à la ligne',
	0x202a: 'enchâssement de gauche à droite',
	0x202b: 'enchâssement de droite à gauche',
	0x202c: 'fin d’enchâssement ou d’inversion',
	0x202d: 'forçage de gauche à droite',
	0x202e: 'inversion de sens',
	0x2066: 'isolement de gauche à droite',
	0x2067: 'isolement de droite à gauche',
	0x2068: 'isolement de sens automatique',
	0x2069: 'fin d’isolement'
};

/**
 * What a text holds that a field refuses (control characters, tab and line breaks apart unless
 * `oneLine`; direction ones), or null: the first such character named with its code and its place
 * counted as a person counts (`characterCount`), and how many more follow it — « un caractère non
 * autorisé : U+202E (inversion de sens), 12e caractère », « … 1er caractère, et 2 autres ». Each
 * message that refuses a text for them says this (textField, the progress form's comments, the
 * workbook's cells, a password).
 */
export function forbiddenCharacter(
	text: string,
	{ oneLine = false, lineBreaksApart = false } = {}
): string | null {
	const forbidden = oneLine
		? new RegExp(ONE_LINE_FORBIDDEN, 'u')
		: new RegExp(`[^\\P{Cc}\\t\\n\\r]|[${DIRECTION_CHARACTERS}]`, 'u');
	// `lineBreaksApart`: a field that tells line breaks by a message of its own leaves them to it.
	const characters = [...text];
	const found = characters.flatMap((character, index) =>
		forbidden.test(character) && !(oneLine && lineBreaksApart && /[\r\n]/.test(character))
			? [{ character, index }]
			: []
	);
	const first = found[0];
	if (!first) return null;
	const code = first.character.codePointAt(0)!;
	const name = FORBIDDEN_NAMES[code] ?? 'caractère de contrôle';
	const place = first.index === 0 ? '1er' : `${formatNumber(first.index + 1)}e`;
	const others = found.length - 1;
	const more = others === 0 ? '' : `, et ${pluralize(others, 'autre', 'autres')}`;
	return `un caractère non autorisé : U+${code.toString(16).toUpperCase().padStart(4, '0')} (${name}), ${place} caractère${more}`;
}

export function isIsoDate(value: string): boolean {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
	const date = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** The day a date field's refusal writes as an example of the writing it reads. */
const EXAMPLE_DAY = '2026-12-07';

/**
 * Why a date field's value is refused when it is no day `isIsoDate` reads (« 31/02/2026 »,
 * « 07/12/2026 »): the field's calendar sends a day it reads, so this is met by a browser without
 * one (a text field) or a form made by hand, told the writing that is read rather than a format
 * the field never shows. `subject`: the field as a sentence starts it (« La date de la séance »).
 */
export function unreadDateMessage(subject: string): string {
	return `${subject} n’a pas pu être lue comme un jour du calendrier : choisissez-la dans le calendrier du champ ou, sans calendrier, écrivez l’année, le mois puis le jour (${EXAMPLE_DAY} pour le ${formatDate(EXAMPLE_DAY)}).`;
}

/**
 * The line breaks a text on one line (a title, a name) may not hold: CR and LF, and Unicode's line
 * and paragraph separators (U+2028, U+2029), which pasted text may carry and which break a line
 * where they are shown. (U+0085 and U+000B are control characters, refused as such.)
 */
export const LINE_BREAK = /[\r\n\u2028\u2029]/;

/** Line breaks as stored: LF (a browser sends CRLF). */
function unixLineBreaks(value: string): string {
	return value.replace(/\r\n?/g, '\n');
}

/** A typed text as a textField stores it: trimmed, LF line breaks. */
export function storedText(value: string): string {
	return unixLineBreaks(value.trim());
}

/**
 * Characters as a person counts them: an emoji is one (`length` counts UTF-16 units, two for it),
 * as SQLite's length() counts them too.
 */
export function characterCount(text: string): number {
	return [...text].length;
}

/**
 * « Ce qui a été fait : 10 000 caractères au plus (10 412 saisis, 412 de trop). »; without a label
 * (a row's text, see textField), « 300 caractères au plus (…). »
 */
export function tooLong(label: string | null, count: number, max: number): string {
	const limit = `${formatNumber(max)} caractères au plus (${formatNumber(count)} saisis, ${formatNumber(count - max)} de trop).`;
	return label ? `${label} : ${limit}` : limit;
}

/**
 * A text field: at most `max` characters, no control characters, line ends made "\n". Trimmed and
 * required unless told otherwise (the progress form keeps what the partner typed, spaces included,
 * and leaves its texts optional). Messages name the field by `label` (« Le lieu »…), plural when
 * `plural` says so (« Les difficultés contiennent… »); `line`: a title or a name, on one line.
 * `label` null: a text of a row (a porteur's périmètre), whose messages go without a subject: the
 * form's summary names the row and the field before them (« Porteur 1, périmètre : … »).
 * `min`: the fewest characters a filled field holds (« Le nom compte au moins 2 caractères. »),
 * counted as `max` is; `missing`: the message of a required field left empty, where the form says
 * more than « … est obligatoire » (what to write there); `short`, likewise, the message of a text
 * under `min`.
 */
export function textField(
	label: string | null,
	max: number,
	{
		required = true,
		trim = true,
		plural = false,
		line = false,
		min = 0,
		missing,
		short
	}: {
		required?: boolean;
		trim?: boolean;
		plural?: boolean;
		line?: boolean;
		min?: number;
		missing?: string;
		short?: string;
	} = {}
) {
	const base = trim ? z.string().trim() : z.string();
	// « Le titre contient… », or for a row's text « Contient… ».
	const says = (singular: string, many: string) => {
		const verb = plural ? many : singular;
		return label ? `${label} ${verb}` : `${verb.charAt(0).toUpperCase()}${verb.slice(1)}`;
	};
	// Counted as stored: a browser sends each line break as CRLF, two characters for one.
	return base
		.transform(unixLineBreaks)
		.superRefine((v, ctx) => {
			const count = characterCount(v);
			if (count > max) ctx.addIssue({ code: 'custom', message: tooLong(label, count, max) });
		})
		.refine(
			(v) => !required || v !== '',
			missing ?? `${says('est obligatoire', 'sont obligatoires')}.`
		)
		.refine(
			(v) => v === '' || characterCount(v) >= min,
			short ?? `${says('compte', 'comptent')} au moins ${formatNumber(min)} caractères.`
		)
		.superRefine((v, ctx) => {
			const forbidden = forbiddenCharacter(v, { oneLine: line, lineBreaksApart: true });
			if (forbidden)
				ctx.addIssue({
					code: 'custom',
					message: `${says('contient', 'contiennent')} ${forbidden}.`
				});
		})
		.refine(
			(v) => !line || !LINE_BREAK.test(v),
			`${says('tient sur une ligne : retirez ses', 'tiennent sur une ligne : retirez leurs')} retours à la ligne.`
		);
}

/**
 * Refuses beside its field an organisation's name that mixes Latin letters with Cyrillic or Greek
 * ones drawn the same (`mixedScripts`: « SGАR » with a Cyrillic « А » looks like « SGAR »); a name
 * wholly in one script (« ЕРМ ») passes.
 */
export function refuseMixedScripts(name: string, context: z.RefinementCtx): void {
	const mixed = mixedScripts(name);
	if (mixed) context.addIssue({ code: 'custom', message: `Le nom ${mixed}.` });
}

/**
 * Refuses beside its field a person's name one word of which mixes those letters (`mixedScriptWord`:
 * « Аlice Аdmin » with Cyrillic « А »); « Алиса Smith », each word in one script, passes.
 */
export function refuseMixedScriptWords(name: string, context: z.RefinementCtx): void {
	const mixed = mixedScriptWord(name);
	if (mixed) context.addIssue({ code: 'custom', message: mixed });
}

/**
 * A form given back after a conflict (another person's change came first): what was typed, except
 * in the fields left as the form showed them, which take their value as stored now, so that
 * saving again keeps the other's change. `fields`: each field's name, shown value and current one.
 */
export function keepTypedChanges(
	typed: Record<string, string>,
	fields: [field: string, shown: string | null, current: string | null][],
	same: (typed: string, shown: string) => boolean = (a, b) => a.trim() === b.trim()
): Record<string, string> {
	const result = { ...typed };
	for (const [field, shown, current] of fields)
		if (same(typed[field] ?? '', shown ?? '')) result[field] = current ?? '';
	return result;
}
