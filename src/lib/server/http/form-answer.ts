import { fail } from '@sveltejs/kit';
import type { z } from 'zod';
import { parseForm, type FieldErrors } from '../../schemas/form';
import { INVALID_FORM_MESSAGE, refuse, type Refusal } from '../result';

/**
 * The form answer for a refused action: the status, the message, the message under each field
 * (or, when the refusal names no field, under `form`: above the form, unless `underForm` is false:
 * the page shows the message elsewhere), what the person typed (so nothing is lost) and, for a
 * conflict, what the other writer changed and the version stored now. `extra`: what the page
 * shows beside the form (the plan import's preview).
 */
export function refusalAnswer<
	V extends Record<string, unknown>,
	X extends Record<string, unknown> = Record<never, never>
>(refusal: Refusal, values?: V, extra?: X, { underForm = true }: { underForm?: boolean } = {}) {
	const unnamed: FieldErrors = underForm ? { form: refusal.message } : {};
	return fail(refusal.status, {
		...(extra as X),
		values,
		message: refusal.message,
		errors: inOrderOf(refusal.fieldErrors ?? unnamed, values),
		changes: refusal.changes ?? [],
		stored: refusal.stored ?? null
	});
}

/**
 * The field messages in the order of the fields in `values` (readPostedForm's, or typedValues':
 * the page's order), those of no field there after them as they came: the form's summary
 * (ErrorSummary) lists them as the page shows its fields, whichever part of the schema or the
 * service found each problem.
 */
function inOrderOf(errors: FieldErrors, values: Record<string, unknown> | undefined): FieldErrors {
	if (!values) return errors;
	const order = Object.keys(values);
	const rank = (name: string) => {
		const at = order.indexOf(name);
		return at < 0 ? order.length : at;
	};
	return Object.fromEntries(Object.entries(errors).sort(([a], [b]) => rank(a) - rank(b)));
}

/**
 * The fields of `values` in the order the form posted them, which is the order of its controls
 * on the page; a field not posted (no radio button chosen, a box left unticked) right after the
 * posted one it follows in `values`.
 */
function inPostedOrder<T extends Record<string, string>>(formData: FormData, values: T): T {
	const posted = [...new Set(formData.keys())];
	let rank = -1;
	const ranked = Object.keys(values).map((name, index) => {
		const at = posted.indexOf(name);
		if (at >= 0) rank = at;
		return { name, rank, index };
	});
	ranked.sort((a, b) => a.rank - b.rank || a.index - b.index);
	return Object.fromEntries(ranked.map(({ name }) => [name, values[name]])) as T;
}

/** Every text field of a posted form as typed, to give back with a refusal (files left out). */
export function typedValues(form: FormData): Record<string, string> {
	const values: Record<string, string> = {};
	for (const [name, value] of form) if (typeof value === 'string') values[name] = value;
	return values;
}

/**
 * The answer to a form some of whose fields do not pass: 400, each field's message, what was
 * typed, and `message` above the form (by default: « corrigez les champs signalés »).
 */
export function invalidFormAnswer<
	V extends Record<string, unknown>,
	X extends Record<string, unknown> = Record<never, never>
>(fieldErrors: FieldErrors, values?: V, message = INVALID_FORM_MESSAGE, extra?: X) {
	return refusalAnswer(refuse(400, message, { fieldErrors }), values, extra);
}

/** How readPostedForm answers, when a form differs from the usual one. */
export interface PostedFormOptions<T, E> {
	/**
	 * What of the typed values the answers give back (never a password; a bounded length): by
	 * default all of them. `undefined` gives back nothing.
	 */
	echo?: (typed: T) => E;
	/**
	 * A form of one field shown without its own message (a field inline in a row): the 400
	 * answer's message, above the form, is that field's own message.
	 */
	oneField?: boolean;
}

/**
 * Reads a posted form with parseForm. When every field passes: its `data`, and the `values` to
 * give back with the service's refusal (as typed, with `keep` added, such as which of the page's
 * forms it was; or what `options.echo` keeps of them) and `typed`, every field as typed;
 * otherwise `answer`, the 400 answer to return (invalidFormAnswer), and `errors`, each field's
 * message (to add those the service finds before answering: every problem told at once).
 */
export function readPostedForm<
	F extends string,
	S extends z.ZodType,
	K extends Record<string, string> = Record<never, string>,
	E extends Record<string, string> | undefined = Record<F, string> & K
>(
	formData: FormData,
	fields: readonly F[],
	schema: S,
	keep?: K,
	options: PostedFormOptions<Record<F, string> & K, E> = {}
) {
	const { values: read, errors, data } = parseForm(formData, fields, schema);
	// In the page's order, and so the messages of a refusal (refusalAnswer).
	const typed = { ...inPostedOrder(formData, read), ...keep } as Record<F, string> & K;
	const values = (options.echo ? options.echo(typed) : typed) as E;
	if (!data || Object.keys(errors).length > 0) {
		const message = options.oneField ? Object.values(errors)[0] : undefined;
		return {
			answer: invalidFormAnswer(errors, values as Exclude<E, undefined>, message),
			errors,
			values,
			typed,
			data: undefined
		};
	}
	return { answer: undefined, errors, values, typed, data: data as z.output<S> };
}
